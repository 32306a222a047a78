//! Turkcell Superonline (inoc@superonline.net) maintenance notices.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};

use crate::helpers::html::{self, CellText};
use crate::helpers::{dates, text, tz};

const DOC: &str = "\
# Routing
Sender domains `superonline.net` and `turkcell.com.tr`; subjects naming Turkcell or
Superonline with a maintenance. Content signature: the `TURKCELL SUPERONLINE` banner or
`superonline.net`, together with a `Maintenance Number`.

# Formats
HTML: a banner `TURKCELL SUPERONLINE PLANNED MAINTENANCE [EMERGENCY]`, then a
two-column table `Maintenance Number:`, `Start Tİme:` / `End Tİme:` (Turkish dotted
capital I; values `07.08.2021 00:00 GMT+3`), `Impact of the maintenance:` whose value
cell holds the description and a nested table with one row per circuit: circuit id,
customer, impact (`Down`).

# Quirks
Dates are Turkish day-first (`DD.MM.YYYY`) and `GMT+3` is Turkey time, UTC+03:00 (the
reference corpus expects the month-first reading with the POSIX-inverted sign that
Python's dateutil gives, 2021-07-08T03:00Z for `07.08.2021 00:00 GMT+3`; this parser
deliberately does not reproduce that: the instant is 2021-08-06T21:00Z). A time with no
zone is Europe/Istanbul. Labels are matched after folding `İ`/`ı` to `I`/`i`. Status
from the banner and intro: `cancel`/`iptal` → CANCELLED, `postpone`/`reschedul`/`ertelen`
→ RE-SCHEDULED, `complet`/`tamamlan` → COMPLETED, otherwise (planned, emergency)
CONFIRMED. Impact words: `Down`/`Kesinti`/`Outage` → OUTAGE, `No impact`/`Etkilenmeyecek` →
NO-IMPACT, `Flap`/`Switch`/`Redundan`/`Risk` → REDUCED-REDUNDANCY, `Degraded` →
DEGRADED. The account is the customer column of the first circuit row.

# Known gaps
Only the English layout has been seen; Turkish-only labels are not recognised.
";

/// Turkcell Superonline parser.
pub struct Turkcell;

inventory::submit! {
    ParserDescriptor {
        id: "turkcell",
        carrier: "Turkcell Superonline",
        senders: &["superonline.net", "turkcell.com.tr"],
        subjects: &[r"\bSuperonline\b.*\bmaint", r"\bTurkcell\b.*\bmaint"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Turkcell,
    }
}

const DATE_FORMATS: &[&str] = &[
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
];
const ISTANBUL: tz::Zone = tz::Zone::Named(Tz::Europe__Istanbul);

/// Fold the Turkish dotted/dotless i so ASCII labels match.
fn fold(s: &str) -> String {
    s.replace('İ', "I").replace('ı', "i")
}

fn body(email: &Email) -> String {
    fold(&text::html_body_or_plain(email))
}

/// Status from the banner and intro.
pub fn status_of(head: &str) -> Status {
    let l = head.to_lowercase();
    if l.contains("cancel") || l.contains("iptal") {
        Status::Cancelled
    } else if l.contains("postpone") || l.contains("reschedul") || l.contains("ertelen") {
        Status::Rescheduled
    } else if l.contains("complet") || l.contains("tamamlan") {
        Status::Completed
    } else {
        Status::Confirmed
    }
}

/// Impact of a circuit row's impact cell (None when the text is no impact word).
pub fn impact_of(s: &str) -> Option<Impact> {
    let l = fold(s).to_lowercase();
    Some(
        if l.contains("no impact") || l.contains("not affected") || l.contains("etkilenmeyecek") {
            Impact::NoImpact
        } else if l.contains("down")
            || l.contains("outage")
            || l.contains("kesinti")
            || l.contains("interrupt")
        {
            Impact::Outage
        } else if l.contains("flap")
            || l.contains("switch")
            || l.contains("redundan")
            || l.contains("risk")
        {
            Impact::ReducedRedundancy
        } else if l.contains("degrad") {
            Impact::Degraded
        } else {
            return None;
        },
    )
}

fn time(s: &str, field: &'static str) -> Result<DateTime<Utc>> {
    dates::parse_datetime(s, DATE_FORMATS, Some(ISTANBUL), field)
}

impl VendorParser for Turkcell {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = body(email);
        let Some(id) = text::label_value(&body, &["Maintenance Number", "Maintenance No"]) else {
            return Err(Error::not_maintenance(
                "no Maintenance Number in a Turkcell mail",
            ));
        };
        let mut m = Maintenance::new("turkcell");
        m.maintenance_id = id
            .trim_matches(|c: char| c.is_whitespace() || c == ':')
            .to_string();
        if m.maintenance_id.is_empty() {
            return Err(Error::MissingField {
                field: "maintenance_id",
            });
        }
        let head: String = body.lines().take(6).collect::<Vec<_>>().join(" ");
        m.status = status_of(&format!("{} {head}", email.subject));
        m.organizer = "inoc@superonline.net".into();
        m.stamp = email.date;
        let begin = text::label_value(&body, &["Start Time", "Start Date"]);
        let end = text::label_value(&body, &["End Time", "End Date", "Finish Time"]);
        m.window = match (begin, end) {
            (Some(b), Some(e)) => Some(Window::new(time(&b, "begin")?, time(&e, "end")?)?),
            (None, None) if m.status == Status::Cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        // every row, nested ones included: the circuits sit in a table inside a value cell
        for row in html::email_rows(email, CellText::Collapsed) {
            let (Some(id), Some(customer), Some(level)) = (row.first(), row.get(1), row.get(2))
            else {
                continue;
            };
            let Some(impact) = impact_of(level) else {
                continue;
            };
            if id.is_empty() || id.contains(' ') {
                continue;
            }
            if m.account.is_empty() {
                m.account = customer.clone();
            }
            if !m.circuits.iter().any(|c| c.vendor_circuit_id == *id) {
                m.circuits.push(CircuitImpact::new(id, impact));
            }
        }
        // summary: the description in the impact cell, up to the circuit table
        m.summary = text::label_value(&body, &["Impact of the maintenance"]).unwrap_or_default();
        if m.circuits.is_empty() && !matches!(m.status, Status::Cancelled | Status::Completed) {
            return Err(Error::MissingField { field: "circuits" });
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = fold(email.text());
        let u = t.to_uppercase();
        (u.contains("TURKCELL SUPERONLINE") || t.contains("superonline.net"))
            && u.contains("MAINTENANCE NUMBER")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(banner: &str, start: &str, end: &str) -> Email {
        let raw = format!(
            "From: inoc@superonline.net\nSubject: Planned maintenance\nContent-Type: text/html; charset=utf-8\n\n\
             <table><tr><td><p>{banner}</p></td></tr>\
             <tr><td><p>Maintenance Number: </p></td><td><p>&nbsp;20240411000123</p></td></tr>\
             <tr><td><p>Start T\u{130}me: </p></td><td><p>&nbsp;{start}</p></td></tr>\
             <tr><td><p>End T\u{130}me: </p></td><td><p>&nbsp;{end}</p></td></tr>\
             <tr><td><p>Impact of the maintenance:</p></td><td><p>Fiber works.</p>\
             <table><tr><td><p>TSO-<wbr>IST-0042</p></td><td><p>ACME AS</p></td><td><p>Down</p></td></tr>\
             <tr><td><p>TSO-ANK-0043</p></td><td><p>ACME AS</p></td><td><p>Flapping</p></td></tr></table></td></tr></table>"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn day_first_and_gmt_plus_3_is_turkey_time() {
        let e = mail(
            "TURKCELL SUPERONLINE PLANNED MAINTENANCE",
            "11.04.2024 01:00 GMT+3",
            "11.04.2024 05:00 GMT+3",
        );
        let m = &Turkcell.parse(&e).unwrap()[0];
        let w = m.window.unwrap();
        // 11 April 01:00 at UTC+3 is 10 April 22:00 UTC
        assert_eq!(w.begin().to_rfc3339(), "2024-04-10T22:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-04-11T02:00:00+00:00");
        assert_eq!(m.maintenance_id, "20240411000123");
        assert_eq!(m.account, "ACME AS");
        assert_eq!(m.status, Status::Confirmed);
        assert_eq!(
            m.circuits,
            vec![
                CircuitImpact::new("TSO-IST-0042", Impact::Outage),
                CircuitImpact::new("TSO-ANK-0043", Impact::ReducedRedundancy)
            ]
        );
    }

    #[test]
    fn no_zone_means_istanbul() {
        let e = mail(
            "TURKCELL SUPERONLINE PLANNED MAINTENANCE",
            "02.01.2024 02:00",
            "02.01.2024 06:00",
        );
        let w = Turkcell.parse(&e).unwrap()[0].window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-01-01T23:00:00+00:00");
    }

    #[test]
    fn statuses() {
        assert_eq!(
            status_of("TURKCELL SUPERONLINE PLANNED MAINTENANCE EMERGENCY"),
            Status::Confirmed
        );
        assert_eq!(
            status_of("TURKCELL SUPERONLINE PLANNED MAINTENANCE CANCELLED"),
            Status::Cancelled
        );
        assert_eq!(status_of("Maintenance postponed"), Status::Rescheduled);
        assert_eq!(status_of("Maintenance completed"), Status::Completed);
    }
}
