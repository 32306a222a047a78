//! Momentum Telecom (Momentum Data Services) maintenance e-mails.

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
Sender domain `momentumtelecom.com` (`maintenance@momentumtelecom.com`, a
Salesforce email-to-case address, often forwarded); subjects `Momentum Data
Services | Planned Network Maintenance , | <account> | | <case> | [ ref:... ]`;
content signature: `Maintenance start date/time:` in a mail naming
momentumtelecom.com.

# Formats
HTML (Salesforce template) or its text: `Maintenance start date/time:
2021-08-14 09:30 AM UTC`, `Maintenance finish date/time:`, `Reason for
Maintenance:`, `Expected Impact:`, `Account:`, `Circuit ID(s) impacted:`
(comma-separated), `Address(s):`. The case number is only in the subject,
between `|` separators.

# Quirks
The maintenance id is the numeric subject field (the Salesforce case number);
without it a stable id is derived from the circuits and window. Times carry
their zone (`UTC`, `ET`, `CST`...); a time without a zone is read as US
Eastern, Momentum's home zone. Status from the subject's notice kind:
cancelled → CANCELLED, rescheduled / postponed → RE-SCHEDULED, completed →
COMPLETED, otherwise (planned, emergency) CONFIRMED. Impact: the notice
sentences (`may experience a brief outage`, `an outage`) → OUTAGE; `no impact
is expected` / `not expected to experience` → NO-IMPACT. `Expected Impact:`
is free text with garbled durations and is only kept in mind, not parsed.

# Known gaps
Only one window per notice is read.
";

/// Momentum parser.
pub struct Momentum;

inventory::submit! {
    ParserDescriptor {
        id: "momentum",
        carrier: "Momentum Telecom",
        senders: &["momentumtelecom.com"],
        subjects: &[r"Momentum Data Services\s*\|"],
        formats: &["html", "text"],
        doc: DOC,
        fallback: false,
        parser: &Momentum,
    }
}

static CASE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\|\s*(\d{5,})\s*\|").ok());

const FORMATS: &[&str] = &[
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%b %d %Y %I:%M %p",
];

/// Subject fields between `|` (trimmed, in order).
fn subject_fields(subject: &str) -> Vec<String> {
    subject
        .split('|')
        .map(|f| f.trim().trim_end_matches(',').trim().to_string())
        .collect()
}

/// Subject kind words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["complete"]),
];

/// Body sentences that say there is no impact.
const IMPACT_WORDS: Rules<Impact> = &[(
    Impact::NoImpact,
    &[
        "no impact is expected",
        "not expected to experience",
        "no service impact",
    ],
)];

fn status_of(kind: &str) -> Status {
    words::first(kind, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

fn impact_of(body: &str) -> Impact {
    words::first(body, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

impl VendorParser for Momentum {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let begin = text::label_value(
            body,
            &[
                "Maintenance start date/time",
                "Maintenance start date",
                "Maintenance start",
            ],
        );
        let end = text::label_value(
            body,
            &[
                "Maintenance finish date/time",
                "Maintenance end date/time",
                "Maintenance finish date",
                "Maintenance end",
            ],
        );
        let circuits = text::label_value(
            body,
            &[
                "Circuit ID(s) impacted",
                "Circuit IDs impacted",
                "Circuit ID impacted",
                "Circuit ID(s)",
            ],
        );
        if begin.is_none() && circuits.is_none() {
            return Err(Error::not_maintenance(
                "no maintenance start or impacted circuits",
            ));
        }
        let fields = subject_fields(&email.subject);
        let kind = fields
            .iter()
            .find(|f| f.to_ascii_lowercase().contains("maintenance"))
            .cloned()
            .unwrap_or_default();
        let mut m = Maintenance::new("momentum");
        m.organizer = "maintenance@momentumtelecom.com".into();
        m.stamp = email.date;
        m.status = status_of(&format!("{kind} {}", email.subject));
        m.summary = text::label_value(body, &["Reason for Maintenance"])
            .map(|s| s.trim_end_matches("/font>").trim().to_string())
            .unwrap_or_default();
        m.account = text::label_value(body, &["Account"]).unwrap_or_default();
        let eastern = crate::helpers::tz::abbreviation("ET");
        m.window = match (begin, end) {
            (Some(b), Some(e)) => Some(Window::new(
                dates::parse_datetime(&b, FORMATS, eastern, "begin")?,
                dates::parse_datetime(&e, FORMATS, eastern, "end")?,
            )?),
            (None, None) if m.status == Status::Cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        let impact = impact_of(body);
        for c in circuits
            .unwrap_or_default()
            .split([',', ';'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            m.circuits.push(CircuitImpact::new(c, impact));
        }
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        let case = CASE
            .as_ref()
            .and_then(|r| r.captures(&email.subject))
            .and_then(|c| c.get(1))
            .map(|c| c.as_str().to_string());
        m.maintenance_id = match case {
            Some(c) => c,
            None => {
                let ids: Vec<&str> = m
                    .circuits
                    .iter()
                    .map(|c| c.vendor_circuit_id.as_str())
                    .collect();
                let when = m.window.map(|w| w.begin().to_rfc3339()).unwrap_or_default();
                let mut parts = vec![when.as_str()];
                parts.extend(ids);
                mnp_core::util::derive_id("momentum", &parts)
            }
        };
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Maintenance start date/time")
            && t.to_ascii_lowercase().contains("momentumtelecom.com")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, body: &str) -> Email {
        let raw = format!(
            "From: maintenance@momentumtelecom.com\r\nSubject: {subject}\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\n\r\n{body}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const BODY: &str = "Dear,\nplease be advised that you may experience a brief outage during the time frame listed below:\n\
        Maintenance start date/time: 2024-03-16 11:00 PM CDT\nMaintenance finish date/time: 2024-03-17 02:30 AM CDT\n\
        Account: Globex LLC\nCircuit ID(s) impacted: M00412, M00413\n";

    #[test]
    fn case_number_zone_and_circuits() {
        let ms = Momentum
            .parse(&mail("Momentum Data Services | Planned Network Maintenance , | Globex LLC | | 22334455 | [ ref:_x._y:ref ]", BODY))
            .unwrap();
        let m = &ms[0];
        assert_eq!(m.maintenance_id, "22334455");
        assert_eq!(m.status, Status::Confirmed);
        // CDT is UTC-5
        assert_eq!(
            m.window.unwrap().begin().to_rfc3339(),
            "2024-03-17T04:00:00+00:00"
        );
        assert_eq!(
            m.window.unwrap().end().to_rfc3339(),
            "2024-03-17T07:30:00+00:00"
        );
        assert_eq!(
            m.circuits,
            vec![
                CircuitImpact::new("M00412", Impact::Outage),
                CircuitImpact::new("M00413", Impact::Outage)
            ]
        );
        assert_eq!(m.account, "Globex LLC");
    }

    #[test]
    fn derived_id_is_stable_and_cancel_maps() {
        let a = Momentum
            .parse(&mail(
                "Momentum Data Services | Cancelled Network Maintenance",
                BODY,
            ))
            .unwrap();
        let b = Momentum
            .parse(&mail(
                "Momentum Data Services | Cancelled Network Maintenance",
                BODY,
            ))
            .unwrap();
        assert_eq!(a[0].maintenance_id, b[0].maintenance_id);
        assert!(a[0].maintenance_id.starts_with("momentum-"));
        assert_eq!(a[0].status, Status::Cancelled);
        let survey = mail(
            "Momentum Data Services | How did we do?",
            "Please rate your support experience.",
        );
        assert!(matches!(
            Momentum.parse(&survey),
            Err(Error::NotMaintenance { .. })
        ));
    }
}
