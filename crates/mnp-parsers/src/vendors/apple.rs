//! Apple (AS714) peering maintenance notices (plain text).

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
Sender domain `apple.com` (the notices come from `peering-noc@group.apple.com`);
subject `Apple (AS714) Net Maintenance Notice ...`. Anonymised or forwarded copies
are claimed by content: the `Apple (AS714)` heading together with a
`Reference Internal Ticket` line.

# Formats
Plain text: a heading `Apple (AS714) Network Maintenance Notification`, then
`Reference Internal Ticket: CHG...` (the maintenance id), `Start Time:` and
`End Time:` (`2 May 2023 14:00 UTC`), and `Peering Details:` with `Apple AS:`,
`Peer AS:` and `Peer IP:` (a Python-style list of the session addresses).

# Quirks
The affected object is the BGP peering, so the circuit id is the peer's AS
number written `AS<n>` (from `Peer AS:`, else the subject's `for AS<n>`),
with impact OUTAGE: Apple drains traffic and the sessions go down. The
notice names no customer account; the account is the placeholder
`Customer info unavailable`, as other tools report it. Status comes from the
subject and heading only (the body always says \"When the maintenance is
completed...\"): cancel → CANCELLED, reschedule/postpone → RE-SCHEDULED,
complete → COMPLETED, otherwise CONFIRMED (emergency notices included).
Times without a zone are read as UTC, the zone Apple always writes.

# Known gaps
The peer IP addresses are not emitted as separate circuits.
";

/// The account Apple notices carry (they name no customer).
const NO_ACCOUNT: &str = "Customer info unavailable";

/// Apple peering parser.
pub struct Apple;

inventory::submit! {
    ParserDescriptor {
        id: "apple",
        carrier: "Apple (AS714 peering)",
        senders: &["apple.com"],
        subjects: &[r"\bApple \(AS714\).*Mainten"],
        formats: &["text"],
        doc: DOC,
        fallback: false,
        parser: &Apple,
    }
}

static SUBJECT_AS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\bfor\s+AS\s?(\d+)\b").ok());

const FORMATS: &[&str] = &[
    "%d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%d %B %Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%b %d %Y %H:%M",
];

/// Status words of the subject and the notice heading, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["complete"]),
];

/// The status words of the subject and the notice heading.
fn status_of(head: &str) -> Status {
    words::first(head, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

fn is_apple_notice(body: &str) -> bool {
    body.contains("Apple (AS714)") && body.contains("Reference Internal Ticket")
}

impl VendorParser for Apple {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let heading = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let head = format!("{} {heading}", email.subject);
        if !head.to_ascii_lowercase().contains("mainten")
            && text::label_value(body, &["Reference Internal Ticket"]).is_none()
        {
            return Err(Error::not_maintenance(
                "no Apple maintenance heading or ticket reference",
            ));
        }
        let mut m = Maintenance::new("apple");
        m.organizer = "peering-noc@group.apple.com".into();
        m.account = NO_ACCOUNT.into();
        m.maintenance_id =
            text::label_value(body, &["Reference Internal Ticket"]).ok_or(Error::MissingField {
                field: "maintenance_id",
            })?;
        m.status = status_of(&head);
        m.summary = email.subject.clone();
        m.stamp = email.date;
        let begin = text::label_value(body, &["Start Time"]);
        let end = text::label_value(body, &["End Time"]);
        m.window = match (begin, end) {
            (Some(b), Some(e)) => Some(Window::new(
                dates::parse_datetime(&b, FORMATS, Some(tz::UTC), "begin")?,
                dates::parse_datetime(&e, FORMATS, Some(tz::UTC), "end")?,
            )?),
            (None, None) if m.status == Status::Cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        let peer_as = text::label_value(body, &["Peer AS"])
            .map(|v| {
                v.trim_start_matches(['A', 'S', 'a', 's'])
                    .trim()
                    .to_string()
            })
            .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
            .or_else(|| {
                SUBJECT_AS
                    .as_ref()?
                    .captures(&email.subject)?
                    .get(1)
                    .map(|g| g.as_str().to_string())
            })
            .ok_or(Error::MissingField { field: "circuits" })?;
        m.circuits
            .push(CircuitImpact::new(format!("AS{peer_as}"), Impact::Outage));
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        is_apple_notice(email.text())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, body: &str) -> Email {
        let raw = format!(
            "From: peering-noc@group.apple.com\nSubject: {subject}\nDate: Tue, 5 Mar 2024 10:00:00 +0000\n\n{body}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const BODY: &str = "Apple (AS714) Network Maintenance Notification\nReference Internal Ticket: CHG0042\n\nDetails:\nStart Time: 12 Mar 2024 22:00 UTC\nEnd Time: 13 March 2024 02:30 UTC\n\nPeering Details:\nApple AS: 714\nPeer AS: 64500\n\nWhen the maintenance is completed, Apple will automatically re-route traffic back.\n";

    #[test]
    fn reads_ticket_window_and_peer_as() {
        let ms = Apple
            .parse(&mail(
                "Apple (AS714) Net Maintenance Notice for AS64500 in Paris",
                BODY,
            ))
            .unwrap();
        let m = &ms[0];
        assert_eq!(m.maintenance_id, "CHG0042");
        // "completed" in the body text must not make it COMPLETED
        assert_eq!(m.status, Status::Confirmed);
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-12T22:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-03-13T02:30:00+00:00");
        assert_eq!(
            m.circuits,
            vec![CircuitImpact::new("AS64500", Impact::Outage)]
        );
        assert_eq!(m.account, NO_ACCOUNT);
    }

    #[test]
    fn status_words_come_from_the_subject() {
        assert_eq!(
            status_of("Apple (AS714) Net Maintenance Cancellation for AS1"),
            Status::Cancelled
        );
        assert_eq!(
            status_of("Apple (AS714) Net Maintenance Rescheduled"),
            Status::Rescheduled
        );
        assert_eq!(
            status_of("Apple (AS714) Emergency Net Maintenance Notice"),
            Status::Confirmed
        );
    }

    #[test]
    fn other_apple_mail_is_not_maintenance() {
        let e = Apple
            .parse(&mail(
                "Your peering session report",
                "Hello,\nHere is your monthly traffic report.\n",
            ))
            .unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
