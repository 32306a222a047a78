//! Seaborn Networks (noc@seabornnetworks.com) maintenance notices.

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text};

const DOC: &str = "\
# Routing
Sender domain `seabornnetworks.com` (also the `From:` line of an inline-forwarded copy);
subjects naming Seaborn. Content signature: `seabornnetworks.com` or the `Seaborn Ticket
number` label.

# Formats
A short HTML (or plain) letter of `Label: value` lines: `Notification Details:`,
`Description:`, `Seaborn Ticket number:`, `Start date/time:` / `Finish date/time:`
(`8/12/2021 2:00:00 am GMT`, US month-first), `Circuit impacted:` (one or more ids,
comma separated, the label may repeat), `Service Impact:`. The subject reads
`[## <account> ##] <Emergency|Planned> Maintenance Notification CID: <circuit> TT#<ticket>`.

# Quirks
Status comes from the `Be advised that ...` sentence: `rescheduled`/`postponed` →
RE-SCHEDULED, `cancelled` → CANCELLED, `completed` → COMPLETED, `started`/`in progress`
→ IN-PROCESS, otherwise (`has been scheduled`, emergency works) CONFIRMED. The body's
ticket number wins over the subject's `TT#` (forwarded threads keep an older `TT#` in
the subject); the account is the number inside `[## ... ##]`. Circuit ids are stripped
of the replacement characters mail clients leave around a non-breaking space.
`Service Impact` maps `no impact` → NO-IMPACT, `degraded` → DEGRADED, `redundancy`/`at
risk` → REDUCED-REDUNDANCY and everything else, including `Switch hits up to N
minutes`, → OUTAGE. Dates are month-first; a first field over 12 is read day-first.

# Known gaps
A time with no zone is read as UTC (every sample states GMT).
";

/// Seaborn parser.
pub struct Seaborn;

inventory::submit! {
    ParserDescriptor {
        id: "seaborn",
        carrier: "Seaborn Networks",
        senders: &["seabornnetworks.com"],
        subjects: &[r"\bSeaborn\b"],
        formats: &["html", "text"],
        doc: DOC,
        fallback: false,
        parser: &Seaborn,
    }
}

const DATE_FORMATS: &[&str] = &[
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
];

static ACCOUNT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\[##\s*([^#\]]+?)\s*##\]").ok());
static SUBJECT_TT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\bTT\s*#\s*(\w+)").ok());

/// `Be advised that ...` words, first match wins (rescheduling words before
/// `cancel`).
const STATUS_WORDS: Rules<Status> = &[
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["complete", "finished"]),
    (Status::InProcess, &["started", "in progress"]),
];

/// Status from the notice wording.
pub fn status_of(body: &str) -> Status {
    let advised = body
        .lines()
        .find(|l| l.to_ascii_lowercase().contains("be advised"))
        .unwrap_or(body);
    words::first(advised, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// `Service Impact:` words, first match wins; a plain `none` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (
        Impact::NoImpact,
        &["no impact", "no service impact", "non-service"],
    ),
    (Impact::Degraded, &["degrad"]),
    (Impact::ReducedRedundancy, &["redundan", "at risk"]),
];

/// Impact of a `Service Impact:` text.
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["none"]) {
        return Impact::NoImpact;
    }
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// A circuit id without the U+FFFD / NBSP debris and punctuation around it.
fn clean_id(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace() || c == '\u{fffd}' || c == '\u{a0}' || c == ':' || c == ',' || c == '.'
    })
}

impl VendorParser for Seaborn {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = text::html_body_or_plain(email);
        let start = text::label_value(
            &body,
            &["Start date/time", "Start date / time", "Start time"],
        );
        let ticket = text::label_value(&body, &["Seaborn Ticket number", "Seaborn Ticket"]);
        let about_maintenance = body.to_ascii_lowercase().contains("maintenance");
        if start.is_none() && (ticket.is_none() || !about_maintenance) {
            return Err(Error::not_maintenance(
                "no maintenance window in a Seaborn mail",
            ));
        }
        let mut m = Maintenance::new("seaborn");
        m.maintenance_id = ticket
            .map(|t| clean_id(&t).to_string())
            .filter(|t| !t.is_empty())
            .or_else(|| {
                SUBJECT_TT
                    .as_ref()?
                    .captures(&email.subject)?
                    .get(1)
                    .map(|g| g.as_str().to_string())
            })
            .ok_or(Error::MissingField {
                field: "maintenance_id",
            })?;
        m.account = ACCOUNT
            .as_ref()
            .and_then(|r| r.captures(&email.subject))
            .and_then(|c| c.get(1))
            .map(|g| g.as_str().to_string())
            .unwrap_or_default();
        m.status = status_of(&body);
        m.summary = text::label_value(&body, &["Description"]).unwrap_or_default();
        m.organizer = "noc@seabornnetworks.com".into();
        m.stamp = email.date;
        let end = text::label_value(
            &body,
            &[
                "Finish date/time",
                "End date/time",
                "Finish date / time",
                "End time",
            ],
        );
        m.window = match (start, end) {
            (Some(b), Some(e)) => Some(Window::new(
                dates::parse_utc(&b, DATE_FORMATS, "begin")?,
                dates::parse_utc(&e, DATE_FORMATS, "end")?,
            )?),
            (None, None) if m.status == Status::Cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        let impact = text::label_value(&body, &["Service Impact"])
            .map(|s| impact_of(&s))
            .unwrap_or(Impact::Outage);
        for v in text::label_values(
            &body,
            &[
                "Circuit impacted",
                "Circuits impacted",
                "Circuit(s) impacted",
            ],
        ) {
            for id in v
                .split([',', ';', ' '])
                .map(clean_id)
                .filter(|s| !s.is_empty())
            {
                if !m.circuits.iter().any(|c| c.vendor_circuit_id == id) {
                    m.circuits.push(CircuitImpact::new(id, impact));
                }
            }
        }
        if m.circuits.is_empty() && !matches!(m.status, Status::Cancelled | Status::Completed) {
            return Err(Error::MissingField { field: "circuits" });
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let has =
            |t: &str| t.contains("seabornnetworks.com") || t.contains("Seaborn Ticket number");
        has(email.text()) || has(&email.html_text())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(advised: &str, dates: (&str, &str)) -> Email {
        let raw = format!(
            "From: NOC Seaborn <noc@seabornnetworks.com>\nSubject: [## 40411 ##] Planned Maintenance Notification CID: X TT#1200\n\
             Date: Tue, 2 Apr 2024 10:00:00 +0000\n\nDear Customer,\nBe advised that {advised} and the details are below:\n\
             Seaborn Ticket number: 1207\nStart date/time: {}\nFinish date/time: {}\n\
             Circuit impacted:\u{a0}SBN-NYC-FOR-0001, SBN-NYC-FOR-0002\nService Impact: Loss of service for up to 4 hours\n",
            dates.0, dates.1
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn us_dates_with_am_pm_and_body_ticket() {
        let e = mail(
            "a maintenance has been scheduled",
            ("4/9/2024 11:00:00 pm GMT", "4/10/2024 3:30:00 am GMT"),
        );
        let m = &Seaborn.parse(&e).unwrap()[0];
        assert_eq!(
            m.maintenance_id, "1207",
            "the body ticket wins over the subject TT#"
        );
        assert_eq!(m.account, "40411");
        assert_eq!(m.status, Status::Confirmed);
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-04-09T23:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-04-10T03:30:00+00:00");
        assert_eq!(m.circuits.len(), 2);
        assert_eq!(
            m.circuits[0],
            CircuitImpact::new("SBN-NYC-FOR-0001", Impact::Outage)
        );
    }

    #[test]
    fn status_words() {
        assert_eq!(
            status_of("Be advised that this maintenance has been rescheduled"),
            Status::Rescheduled
        );
        assert_eq!(
            status_of("Be advised that this maintenance has been cancelled"),
            Status::Cancelled
        );
        assert_eq!(
            status_of("Be advised that this maintenance has been completed"),
            Status::Completed
        );
        assert_eq!(
            status_of("Be advised that a maintenance has been scheduled"),
            Status::Confirmed
        );
    }

    #[test]
    fn day_first_when_month_cannot_be() {
        let e = mail(
            "a maintenance has been scheduled",
            ("25/04/2024 01:00 GMT", "25/04/2024 05:00 GMT"),
        );
        let w = Seaborn.parse(&e).unwrap()[0].window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-04-25T01:00:00+00:00");
    }

    #[test]
    fn impacts() {
        assert_eq!(impact_of("Switch hits UP to 5 minutes"), Impact::Outage);
        assert_eq!(impact_of("No impact expected"), Impact::NoImpact);
        assert_eq!(impact_of("Loss of redundancy"), Impact::ReducedRedundancy);
    }
}
