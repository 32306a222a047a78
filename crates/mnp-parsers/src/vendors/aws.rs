//! Amazon Web Services: AWS Direct Connect maintenance notices (plain text).

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::dates;
use crate::helpers::words::{self, Rules};

const DOC: &str = "\
# Routing
Sender domains `amazon.com` and `aws.com` (`no-reply-aws@amazon.com`, often only
in `Reply-To:` when the notice passes through a list or helpdesk); subject
`AWS Direct Connect ... Maintenance`. Copies without a usable sender are
claimed by content: `AWS Direct Connect` together with `Amazon Web Services`.

# Formats
Plain text (quoted-printable). One sentence carries location and window:
`Planned maintenance has been scheduled on an AWS Direct Connect router in
<site> from Thu, 20 May 2021 08:00:00 GMT to Thu, 20 May 2021 14:00:00 GMT for
6 hours.`; the affected connections follow one per line (`dxcon-...`,
`dxvif-...`, `dxlag-...`). The AWS account is in the subject
(`[AWS Account: 123456789012]`). The `X-SM-COMMUNICATION-TYPE` header names the
event (`AWS_DIRECTCONNECT_MAINTENANCE_SCHEDULED`, `..._CANCELLED`, ...).

# Quirks
No maintenance id: a stable one is derived from account, window and the
sorted connection ids (`mnp_core::util::derive_id`), so the cancellation of a
scheduled maintenance (same window, same connections) gets the same id.
Status: `has been cancelled` → CANCELLED, `has been completed` → COMPLETED,
`has been rescheduled` → RE-SCHEDULED, `has started`/`is in progress` →
IN-PROCESS, emergency and planned maintenance → CONFIRMED; the
`X-SM-COMMUNICATION-TYPE` header is used when the text says nothing. Every
connection gets impact OUTAGE (\"may become unavailable\"). Sentences are
read with whitespace collapsed, so hard-wrapped copies parse the same.

# Known gaps
AWS Health notices for other services (EC2, RDS...) are refused as not
maintenance of a circuit.
";

/// AWS Direct Connect parser.
pub struct Aws;

inventory::submit! {
    ParserDescriptor {
        id: "aws",
        carrier: "Amazon Web Services (Direct Connect)",
        senders: &["amazon.com", "aws.com"],
        subjects: &[r"AWS Direct Connect\b.*Maintenance"],
        formats: &["text"],
        doc: DOC,
        fallback: false,
        parser: &Aws,
    }
}

const STAMP: &str = r"[A-Z][a-z]{2},?\s+\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[A-Z]{2,4}|[+-]\d{4})";

static WINDOW: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!(r"\bfrom\s+({STAMP})\s+to\s+({STAMP})")).ok());
static CONNECTION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*((?:dx[a-z]{3}|[a-z]{5})-[a-z0-9]{8,17})\s*$").ok());
static ACCOUNT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)AWS Account(?:\s*ID)?\s*:?\s*(\d{6,})").ok());

const FORMATS: &[&str] = &[
    "%a %d %b %Y %H:%M:%S",
    "%a %d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
];

/// Notice sentences, first match wins; they decide before the header does.
const TEXT_STATUS_WORDS: Rules<Status> = &[
    (
        Status::Cancelled,
        &["has been cancelled", "has been canceled"],
    ),
    (Status::Completed, &["has been completed", "has completed"]),
    (Status::Rescheduled, &["has been rescheduled"]),
    (
        Status::InProcess,
        &["has started", "is in progress", "is currently in progress"],
    ),
    (
        Status::Confirmed,
        &["maintenance has been scheduled", "maintenance is scheduled"],
    ),
];

/// `X-SM-COMMUNICATION-TYPE` words, first match wins.
const KIND_STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["complete"]),
    (Status::Rescheduled, &["reschedule"]),
];

/// Status from the notice text, else from the `X-SM-COMMUNICATION-TYPE` header.
fn status_of(text: &str, kind: &str) -> Status {
    words::first(text, TEXT_STATUS_WORDS)
        .or_else(|| words::first(kind, KIND_STATUS_WORDS))
        .unwrap_or(Status::Confirmed)
}

fn is_direct_connect_maintenance(flat: &str) -> bool {
    flat.contains("AWS Direct Connect") && flat.to_ascii_lowercase().contains("maintenance")
}

impl VendorParser for Aws {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        if !is_direct_connect_maintenance(&flat) {
            return Err(Error::not_maintenance(
                "no AWS Direct Connect maintenance announcement",
            ));
        }
        // The paragraph holding the window is the summary.
        let normalized = body.replace("\r\n", "\n");
        let (summary, c) = normalized
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .find_map(|p| {
                let c = WINDOW.as_ref()?.captures(&p)?;
                let b = c.get(1)?.as_str().to_string();
                let e = c.get(2)?.as_str().to_string();
                Some((p.clone(), (b, e)))
            })
            .ok_or(Error::MissingField { field: "window" })?;
        let begin = dates::parse_datetime(&c.0, FORMATS, None, "begin")?;
        let end = dates::parse_datetime(&c.1, FORMATS, None, "end")?;

        let mut m = Maintenance::new("aws");
        m.organizer = "aws-account-notifications@amazon.com".into();
        m.account = ACCOUNT
            .as_ref()
            .and_then(|r| r.captures(&email.subject).or_else(|| r.captures(&flat)))
            .and_then(|c| c.get(1))
            .map(|g| g.as_str().to_string())
            .unwrap_or_default();
        m.status = status_of(&flat, email.header("X-SM-COMMUNICATION-TYPE").unwrap_or(""));
        m.window = Some(Window::new(begin, end)?);
        m.summary = summary;
        m.stamp = email.date;
        let mut ids: Vec<String> = body
            .lines()
            .filter_map(|l| {
                CONNECTION
                    .as_ref()?
                    .captures(l)?
                    .get(1)
                    .map(|g| g.as_str().to_string())
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        if ids.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        m.circuits = ids
            .iter()
            .map(|id| CircuitImpact::new(id, Impact::Outage))
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        let (b, e) = (begin.to_rfc3339(), end.to_rfc3339());
        let mut parts: Vec<&str> = vec![&m.account, &b, &e];
        parts.extend(sorted.iter().map(String::as_str));
        m.maintenance_id = mnp_core::util::derive_id("aws", &parts);
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("AWS Direct Connect") && t.contains("Amazon Web Services")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(kind: &str, body: &str) -> Email {
        let raw = format!(
            "Reply-To: \"Amazon Web Services, Inc.\" <no-reply-aws@amazon.com>\nSubject: AWS Direct Connect Planned Maintenance Notification [AWS Account: 210987654321]\nX-SM-COMMUNICATION-TYPE: {kind}\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n\n{body}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const PLANNED: &str = "Hello,\n\nPlanned maintenance has been scheduled on an AWS Direct Connect router in\nTelehouse North, London, GBR from Tue, 19 Mar 2024 23:00:00 GMT to Wed, 20 Mar\n2024 03:00:00 GMT for 4 hours. During this maintenance window, your AWS Direct\nConnect services listed below may become unavailable.\n\ndxcon-fg31ab7c\ndxvif-ffq9r2d4\n\nSincerely,\nAmazon Web Services\n";

    #[test]
    fn wrapped_sentence_window_account_and_connections() {
        let ms = Aws
            .parse(&mail("AWS_DIRECTCONNECT_MAINTENANCE_SCHEDULED", PLANNED))
            .unwrap();
        let m = &ms[0];
        assert_eq!(m.status, Status::Confirmed);
        assert_eq!(m.account, "210987654321");
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-19T23:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-03-20T03:00:00+00:00");
        let ids: Vec<&str> = m
            .circuits
            .iter()
            .map(|c| c.vendor_circuit_id.as_str())
            .collect();
        assert_eq!(ids, ["dxcon-fg31ab7c", "dxvif-ffq9r2d4"]);
        assert!(
            m.summary
                .starts_with("Planned maintenance has been scheduled")
        );
        assert!(m.summary.ends_with("may become unavailable."));
    }

    #[test]
    fn cancellation_maps_to_the_scheduled_id() {
        let cancel = PLANNED.replace(
            "Planned maintenance has been scheduled on an AWS Direct Connect router in",
            "We would like to inform you that the planned maintenance that was scheduled for AWS Direct Connect endpoint in",
        )
        .replace("for 4 hours. During", "has been cancelled. During");
        let a = Aws
            .parse(&mail("AWS_DIRECTCONNECT_MAINTENANCE_SCHEDULED", PLANNED))
            .unwrap();
        let b = Aws
            .parse(&mail("AWS_DIRECTCONNECT_MAINTENANCE_CANCELLED", &cancel))
            .unwrap();
        assert_eq!(b[0].status, Status::Cancelled);
        assert_eq!(a[0].maintenance_id, b[0].maintenance_id);
    }

    #[test]
    fn status_words() {
        assert_eq!(
            status_of("the maintenance has been completed", ""),
            Status::Completed
        );
        assert_eq!(
            status_of("Emergency maintenance has been scheduled on", ""),
            Status::Confirmed
        );
        assert_eq!(
            status_of(
                "your maintenance",
                "AWS_DIRECTCONNECT_MAINTENANCE_CANCELLED"
            ),
            Status::Cancelled
        );
    }

    #[test]
    fn other_aws_mail_is_not_maintenance() {
        let e = Aws
            .parse(&mail("AWS_BILLING", "Your invoice is available.\n"))
            .unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
