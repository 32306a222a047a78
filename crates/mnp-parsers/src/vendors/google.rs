//! Google (AS15169) peering maintenance notices (HTML with a plain-text twin).

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text, tz};

const DOC: &str = "\
# Routing
Sender domain `google.com` (`noc-noreply@google.com`); subject
`[Scheduled] Google Planned Network Maintenance Notification - Reference PCR/...`.
Copies without the sender are claimed by content: `Network Maintenance
Notification - Reference` together with `Google Neighbor Address`.

# Formats
`multipart/alternative`: an HTML part and a `format=flowed` plain part with the
same content. Heading `Google Network Maintenance Notification - Reference
PCR/123456`, `Start Time:` / `End Time:` (`2023-12-05 20:55:00 +0000 UTC`),
`Duration:`, then a table: `Google ASN:` / `Peer ASN:` and one row per BGP
session with `Google Neighbor Address(es):` and `Peer Neighbor Address(es):`.

# Quirks
The HTML is preferred (its table keeps the address pairs together); the
plain part is read with whitespace collapsed, which also undoes the flowed
line breaks. Each session is a circuit named `<google address>-<peer
address>` with impact OUTAGE; the account is the peer ASN. The status is the
bracketed subject tag: `[Scheduled]`/`[Updated]`/`[Reminder]` → CONFIRMED,
`[Canceled]`/`[Cancelled]` → CANCELLED, `[Completed]` → COMPLETED,
`[Rescheduled]` → RE-SCHEDULED, `[Started]`/`[In Progress]` → IN-PROCESS;
without a tag the heading and body words decide. A time with a numeric
offset uses it; a bare `UTC` is UTC.

# Known gaps
The `Duration:` line is not cross-checked against the window.
";

/// Google peering parser.
pub struct Google;

inventory::submit! {
    ParserDescriptor {
        id: "google",
        carrier: "Google (AS15169 peering)",
        senders: &["google.com"],
        subjects: &[r"Google (?:Planned |Emergency )?Network Maintenance Notification"],
        formats: &["html", "text"],
        doc: DOC,
        fallback: false,
        parser: &Google,
    }
}

static REFERENCE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"Network Maintenance Notification\s*-\s*Reference\s+(\S+)").ok());
static TAG: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\s*\[([^\]]+)\]").ok());
static TIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i:(Start|End) Time):\s*(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}:?\d{2})?(?:\s*\b([A-Z]{2,5})\b)?").ok()
});
static PEER_ASN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"Peer ASN:\s*(\d+)").ok());
static SESSION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"Google Neighbor Address\(es\):\s*([0-9A-Fa-f:.]+)\s+Peer Neighbor Address\(es\):\s*([0-9A-Fa-f:.]+)").ok()
});

/// Subject tag words, first match wins.
const TAG_STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["reschedul"]),
    (Status::Completed, &["complete"]),
    (Status::InProcess, &["start", "progress"]),
    (
        Status::Confirmed,
        &["schedul", "update", "remind", "emergency"],
    ),
];

/// Body state-change sentences, first match wins.
const BODY_STATUS_WORDS: Rules<Status> = &[
    (
        Status::Cancelled,
        &["has been cancelled", "has been canceled"],
    ),
    (Status::Completed, &["has been completed"]),
    (Status::Rescheduled, &["has been rescheduled"]),
];

fn status_of_tag(tag: &str) -> Option<Status> {
    words::first(tag, TAG_STATUS_WORDS)
}

fn status_of(subject: &str, flat: &str) -> Status {
    if let Some(s) = TAG
        .as_ref()
        .and_then(|r| r.captures(subject))
        .and_then(|c| c.get(1))
        .and_then(|g| status_of_tag(g.as_str()))
    {
        return s;
    }
    words::first(flat, BODY_STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// The notice text with all whitespace collapsed: the HTML rendering when the
/// mail has HTML, else the plain text.
fn flat_text(email: &Email) -> String {
    text::html_text_or_plain(email)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl VendorParser for Google {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let flat = flat_text(email);
        let Some(reference) = REFERENCE
            .as_ref()
            .and_then(|r| r.captures(&flat).or_else(|| r.captures(&email.subject)))
        else {
            return Err(Error::not_maintenance(
                "no Google network maintenance reference",
            ));
        };
        let mut m = Maintenance::new("google");
        m.organizer = "noc-noreply@google.com".into();
        m.maintenance_id = reference
            .get(1)
            .map(|g| g.as_str().to_string())
            .unwrap_or_default();
        m.summary = reference
            .get(0)
            .map(|g| g.as_str().to_string())
            .unwrap_or_default();
        m.status = status_of(&email.subject, &flat);
        m.stamp = email.date;
        let (mut begin, mut end) = (None, None);
        for c in TIME
            .as_ref()
            .map(|r| r.captures_iter(&flat).collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let which = c
                .get(1)
                .map(|g| g.as_str().to_ascii_lowercase())
                .unwrap_or_default();
            let when = c.get(2).map(|g| g.as_str()).unwrap_or("");
            let zone = match (c.get(3), c.get(4)) {
                (Some(off), _) => tz::offset(off.as_str()),
                (None, Some(name)) => tz::zone_by_name(name.as_str()),
                (None, None) => None,
            }
            .ok_or_else(|| Error::bad_value("window", when, "no time zone"))?;
            let t = dates::parse_datetime(
                when,
                &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
                Some(zone),
                "window",
            )?;
            if which == "start" {
                begin = begin.or(Some(t));
            } else {
                end = end.or(Some(t));
            }
        }
        m.window = match (begin, end) {
            (Some(b), Some(e)) => Some(Window::new(b, e)?),
            (None, None) if m.status == Status::Cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        m.account = PEER_ASN
            .as_ref()
            .and_then(|r| r.captures(&flat))
            .and_then(|c| c.get(1))
            .map(|g| g.as_str().to_string())
            .unwrap_or_default();
        if let Some(r) = SESSION.as_ref() {
            for c in r.captures_iter(&flat) {
                if let (Some(g), Some(p)) = (c.get(1), c.get(2)) {
                    let id = format!("{}-{}", g.as_str(), p.as_str());
                    if !m.circuits.iter().any(|x| x.vendor_circuit_id == id) {
                        m.circuits.push(CircuitImpact::new(id, Impact::Outage));
                    }
                }
            }
        }
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Network Maintenance Notification - Reference")
            && t.contains("Google Neighbor Address")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, body: &str) -> Email {
        let raw = format!(
            "From: Google NOC <noc-noreply@google.com>\nSubject: {subject}\nDate: Mon, 4 Mar 2024 10:00:00 +0000\nContent-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes\n\n{body}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const BODY: &str = "Google Network Maintenance Notification - Reference PCR/778812\n\nDetails:\nStart Time: 2024-03-12 23:00:00 -0500 EST\nEnd Time: 2024-03-13 03:00:00 -0500 EST\nDuration: 4h0m0s\n\nGoogle ASN: 15169 Peer ASN: 64496\n\nGoogle Neighbor Address(es): 203.0.113.1 Peer Neighbor Address(es):  \n203.0.113.2\n\nThank you for peering with Google!\n";

    #[test]
    fn flowed_text_offsets_and_sessions() {
        let ms = Google.parse(&mail("[Scheduled] Google Planned Network Maintenance Notification - Reference PCR/778812", BODY)).unwrap();
        let m = &ms[0];
        assert_eq!(m.maintenance_id, "PCR/778812");
        assert_eq!(m.account, "64496");
        // 23:00 at -05:00 is 04:00 UTC next day
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-13T04:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-03-13T08:00:00+00:00");
        assert_eq!(
            m.circuits,
            vec![CircuitImpact::new(
                "203.0.113.1-203.0.113.2",
                Impact::Outage
            )]
        );
    }

    #[test]
    fn subject_tags() {
        assert_eq!(
            status_of("[Canceled] Google Planned Network Maintenance", ""),
            Status::Cancelled
        );
        assert_eq!(
            status_of("[Completed] Google Planned Network Maintenance", ""),
            Status::Completed
        );
        assert_eq!(
            status_of("[Rescheduled] Google Planned Network Maintenance", ""),
            Status::Rescheduled
        );
        assert_eq!(
            status_of(
                "Google Planned Network Maintenance",
                "it has been cancelled"
            ),
            Status::Cancelled
        );
    }

    #[test]
    fn other_google_mail_is_not_maintenance() {
        let e = Google
            .parse(&mail(
                "Your ISP Portal digest",
                "Here are this week's peering statistics.\n",
            ))
            .unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
