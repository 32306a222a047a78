//! HGC Global Communications (HGCINOCPW@hgc.com.hk) maintenance work notifications.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};

use crate::helpers::html::{self, CellText};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, maint, tz};

const DOC: &str = "\
# Routing
Sender domain `hgc.com.hk`; subject `[<kind>] HGC Maintenance Work Notification - <customer>
| <circuit> | <ticket>`. Content signature: `hgc.com.hk` (the planned-work mailbox in
the signature) together with a `Maintenance Window start date` label.

# Formats
HTML letter with a three-column table `label | : | value`: `Circuit ID`, `Customer`,
`Maintenance Window start date & time` / `Maintenance Window end date & time`
(`15-Aug-2021 07:01 UTC`), `Service Impact`, `Description`. The ticket number (`TIC...`)
is only in the subject, after the last `|`.

# Quirks
Status: the subject tag and the intro sentence decide — `cancel` → CANCELLED,
`complet`/`finished` → COMPLETED, `reschedul`/`postpone`/`revised` → RE-SCHEDULED,
`in progress`/`started` → IN-PROCESS, otherwise (`[Emergency]`, planned) CONFIRMED.
Impact: `no impact`/`no service impact` → NO-IMPACT, `redundan`/`resilien`/`at risk` →
REDUCED-REDUNDANCY, `degrad` → DEGRADED, anything else (`Down throughout maintenance
window`, interruptions, switching hits) → OUTAGE. Several start/end rows (a second or
backup window) give one maintenance per window with the same id. An `N x M minutes interruption`
impact text also sets `impact_seconds` (read with `fiberprovider::impact_seconds`). A time with no zone is
Hong Kong time. Without a subject ticket the `Ticket`/`Reference` row is used, else a
stable id is derived from the circuits and the first start time. The account is the
body's `Customer` row (the subject's customer text is the distribution list name).

# Known gaps
The attachment HGC sometimes adds (the previous notice) is not read.
";

/// HGC parser.
pub struct Hgc;

inventory::submit! {
    ParserDescriptor {
        id: "hgc",
        carrier: "HGC Global Communications",
        senders: &["hgc.com.hk"],
        subjects: &[r"\bHGC\s+Maintenance\s+Work\s+Notification\b"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Hgc,
    }
}

const DATE_FORMATS: &[&str] = &[
    "%d-%b-%Y %H:%M",
    "%d-%b-%Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
];
const HONG_KONG: tz::Zone = tz::Zone::Named(Tz::Asia__Hong_Kong);

/// `label | : | value` rows of the HTML bodies (direct cells, rendered with
/// line breaks kept; a bare `:` cell is skipped, a colon left on the label or
/// value is trimmed).
fn rows(email: &Email) -> Vec<(String, String)> {
    html::email_rows(email, CellText::Lines)
        .iter()
        .filter_map(|r| html::pair(r, &[":"]))
        .map(|(label, value)| {
            (
                label.trim_end_matches(':').trim().to_string(),
                value.trim_start_matches(':').trim().to_string(),
            )
        })
        .collect()
}

/// Plain-text fallback: `Label : value` lines.
fn text_rows(body: &str) -> Vec<(String, String)> {
    body.lines()
        .filter_map(|l| {
            let (a, b) = l.split_once(':')?;
            let (a, b) = (a.trim(), b.trim());
            (!a.is_empty() && !b.is_empty() && a.len() < 60).then(|| (a.to_string(), b.to_string()))
        })
        .collect()
}

/// Subject tag and intro words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["complet", "finished"]),
    (Status::Rescheduled, &["reschedul", "postpone", "revised"]),
    (Status::InProcess, &["in progress", "started"]),
];

/// Status from the subject and the intro.
pub fn status_of(text: &str) -> Status {
    words::first(text, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// `Service Impact` words, first match wins; a plain `nil` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (
        Impact::NoImpact,
        &["no impact", "no service impact", "not be affected"],
    ),
    (
        Impact::ReducedRedundancy,
        &["redundan", "resilien", "at risk"],
    ),
    (Impact::Degraded, &["degrad"]),
];

/// Impact of a `Service Impact` text.
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["nil"]) {
        return Impact::NoImpact;
    }
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

fn time(s: &str, field: &'static str) -> Result<DateTime<Utc>> {
    dates::parse_datetime(s, DATE_FORMATS, Some(HONG_KONG), field)
}

impl VendorParser for Hgc {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let mut rows = rows(email);
        if rows.is_empty() {
            rows = text_rows(email.text());
        }
        let get = |prefix: &str| {
            rows.iter()
                .find(|(l, _)| l.to_ascii_lowercase().starts_with(prefix))
                .map(|(_, v)| v.as_str())
        };
        let starts: Vec<&str> = rows
            .iter()
            .filter(|(l, _)| l.to_ascii_lowercase().contains("window start"))
            .map(|(_, v)| v.as_str())
            .collect();
        let ends: Vec<&str> = rows
            .iter()
            .filter(|(l, _)| l.to_ascii_lowercase().contains("window end"))
            .map(|(_, v)| v.as_str())
            .collect();
        let circuit_text = get("circuit id").or_else(|| get("circuit"));
        if starts.is_empty() && circuit_text.is_none() {
            return Err(Error::not_maintenance(
                "no circuit or maintenance window in an HGC mail",
            ));
        }
        let intro: String = email.text().lines().take(4).collect::<Vec<_>>().join(" ");
        let mut base = Maintenance::new("hgc");
        base.status = status_of(&format!("{} {intro}", email.subject));
        base.account = get("customer").unwrap_or_default().to_string();
        base.summary = get("description").unwrap_or_default().to_string();
        base.organizer = "HGCINOCPW@hgc.com.hk".into();
        base.stamp = email.date;
        let impact_text = get("service impact").or_else(|| get("impact"));
        let impact = impact_text.map(impact_of).unwrap_or(Impact::Outage);
        // "2 x 15 minutes interruption": the same reading as Fiber Provider's notices
        base.impact_seconds = impact_text.and_then(crate::vendors::fiberprovider::impact_seconds);
        for id in circuit_text
            .unwrap_or("")
            .split(['\n', ',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            base.circuits.push(CircuitImpact::new(id, impact));
        }
        if base.circuits.is_empty() && !matches!(base.status, Status::Cancelled | Status::Completed)
        {
            return Err(Error::MissingField { field: "circuits" });
        }
        let subject_id = email
            .subject
            .rsplit('|')
            .next()
            .filter(|_| email.subject.contains('|'))
            .map(str::trim);
        // the last `|` field is the ticket, unless the subject stops at the circuit
        let is_circuit = |s: &str| base.circuits.iter().any(|c| c.vendor_circuit_id == s);
        base.maintenance_id =
            match subject_id.filter(|s| !s.is_empty() && !s.contains(' ') && !is_circuit(s)) {
                Some(s) => s.to_string(),
                None => match get("ticket").or_else(|| get("reference")) {
                    Some(t) => t.to_string(),
                    None => {
                        let circuits: Vec<&str> = base
                            .circuits
                            .iter()
                            .map(|c| c.vendor_circuit_id.as_str())
                            .collect();
                        let first = starts.first().copied().unwrap_or("");
                        mnp_core::util::derive_id("hgc", &[&circuits.join(","), first])
                    }
                },
            };
        if starts.len() != ends.len() {
            return Err(Error::MissingField { field: "window" });
        }
        let windows = starts
            .iter()
            .zip(ends.iter())
            .map(|(b, e)| Window::new(time(b, "begin")?, time(e, "end")?))
            .collect::<Result<Vec<_>>>()?;
        maint::per_window_or_cancelled(base, windows)
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text().to_ascii_lowercase();
        t.contains("hgc.com.hk") && t.contains("maintenance window start")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, intro: &str, rows: &[(&str, &str)]) -> Email {
        let mut t = String::new();
        for (l, v) in rows {
            t.push_str(&format!(
                "<tr><td><p>{l}</p></td><td><p>:</p></td><td><p>{v}</p></td></tr>"
            ));
        }
        let raw = format!(
            "From: HGCINOCPW@hgc.com.hk\nSubject: {subject}\nContent-Type: text/html\n\n<p>Dear Customer,</p><p>{intro}</p><table>{t}</table>"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn hong_kong_time_and_subject_ticket() {
        let e = mail(
            "[Planned] HGC Maintenance Work Notification - Example Ltd | HGC-IPL-0099 | TIC000000000004242",
            "Please be advised that there will be planned maintenance work. Below are the details:",
            &[
                ("Circuit ID", "HGC-IPL-0099"),
                ("Customer", "Example Ltd"),
                (
                    "Maintenance Window start date &amp; time",
                    "03-May-2024 01:00",
                ),
                (
                    "Maintenance Window end date &amp; time",
                    "03-May-2024 05:00",
                ),
                ("Service Impact", "No service impact expected"),
            ],
        );
        let ms = Hgc.parse(&e).unwrap();
        assert_eq!(ms.len(), 1);
        let m = &ms[0];
        assert_eq!(m.maintenance_id, "TIC000000000004242");
        // 01:00 HKT (UTC+8) is 17:00 UTC the day before
        assert_eq!(
            m.window.unwrap().begin().to_rfc3339(),
            "2024-05-02T17:00:00+00:00"
        );
        assert_eq!(
            m.circuits,
            vec![CircuitImpact::new("HGC-IPL-0099", Impact::NoImpact)]
        );
        assert_eq!(m.status, Status::Confirmed);
        assert_eq!(m.account, "Example Ltd");
    }

    #[test]
    fn two_windows_and_cancel() {
        let rows = [
            ("Circuit ID", "HGC-IPL-0099"),
            (
                "Maintenance Window start date &amp; time",
                "03-May-2024 01:00 UTC",
            ),
            (
                "Maintenance Window end date &amp; time",
                "03-May-2024 05:00 UTC",
            ),
            (
                "Backup Maintenance Window start date &amp; time",
                "04-May-2024 01:00 UTC",
            ),
            (
                "Backup Maintenance Window end date &amp; time",
                "04-May-2024 05:00 UTC",
            ),
        ];
        let e = mail(
            "HGC Maintenance Work Notification - X | HGC-IPL-0099 | TIC1",
            "Please be advised that the maintenance has been cancelled.",
            &rows,
        );
        let ms = Hgc.parse(&e).unwrap();
        assert_eq!(ms.len(), 2);
        assert!(
            ms.iter()
                .all(|m| m.status == Status::Cancelled && m.maintenance_id == "TIC1")
        );
        assert_eq!(
            ms[1].window.unwrap().end().to_rfc3339(),
            "2024-05-04T05:00:00+00:00"
        );
    }

    #[test]
    fn subject_without_ticket_gets_a_derived_id() {
        let rows = [
            ("Circuit ID", "HGC-IPL-0100"),
            (
                "Maintenance Window start date &amp; time",
                "03-May-2024 01:00 UTC",
            ),
            (
                "Maintenance Window end date &amp; time",
                "03-May-2024 05:00 UTC",
            ),
        ];
        let e = mail(
            "HGC Maintenance Work Notification - X | HGC-IPL-0100",
            "Please be advised.",
            &rows,
        );
        let m = &Hgc.parse(&e).unwrap()[0];
        assert!(m.maintenance_id.starts_with("hgc-"), "{}", m.maintenance_id);
        let again = &Hgc.parse(&e).unwrap()[0];
        assert_eq!(m.maintenance_id, again.maintenance_id);
    }

    #[test]
    fn impacts() {
        assert_eq!(
            impact_of("Down throughout maintenance window"),
            Impact::Outage
        );
        assert_eq!(impact_of("Loss of resilience"), Impact::ReducedRedundancy);
        assert_eq!(impact_of("No impact"), Impact::NoImpact);
    }
}
