//! Netflix Open Connect (AS2906) peering maintenance notices (plain text).

use std::net::IpAddr;
use std::sync::LazyLock;

use chrono::Duration;
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, tz};

const DOC: &str = "\
# Routing
Sender domain `netflix.com` (notices come from `cdnetops@saasmail.netflix.com`,
replies go to `cdnetops@netflix.com`); subject `Netflix Open Connect - ... Maintenance`.
Forwarded or anonymised copies are claimed by content: `Netflix (AS2906)`
together with `Your IPs:`.

# Formats
Plain text addressed to the peer (`Example.com (AS65000),`), one sentence
`Netflix (AS2906) will be performing scheduled maintenance in <site>, at
2024-01-31 18:00:00+00:00 UTC.`, an expected downtime (`Expected downtime will
be approximately 60 minutes.`) and the peer's session addresses under
`Your IPs:`, one per line.

# Quirks
The notice has no maintenance id: a stable one is derived from the peer AS,
the site and the start time (`mnp_core::util::derive_id`), so a later
cancellation of the same work maps to the same id. The window is the start
time plus the announced downtime. Each session address is a circuit with
impact OUTAGE (the BGP sessions flap). The account is the peer's AS number
(`AS65000`). Status from the subject and the maintenance sentence: cancel →
CANCELLED, reschedule → RE-SCHEDULED, complete → COMPLETED, otherwise
CONFIRMED; a `Dry Run Notification-` prefix is kept as a normal notice, as
Netflix sends it to verify contacts for real maintenance.

# Known gaps
The one-hour traffic drain before the downtime is not part of the window.
";

/// Netflix Open Connect parser.
pub struct Netflix;

inventory::submit! {
    ParserDescriptor {
        id: "netflix",
        carrier: "Netflix Open Connect (AS2906)",
        senders: &["netflix.com"],
        subjects: &[r"Netflix Open Connect\b.*Maintenance"],
        formats: &["text"],
        doc: DOC,
        fallback: false,
        parser: &Netflix,
    }
}

static ACCOUNT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\((AS\s?\d+)\)\s*,").ok());
static SENTENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)Netflix \(AS2906\) will (?:be performing|perform|no longer be performing)\s+(?:[\w-]+\s+)?maintenance\s+(?:in|at)\s+(.+?),?\s+(?:at|on|starting)\s+(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}:?\d{2})?\s*(UTC|GMT)?",
    )
    .ok()
});
static DOWNTIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:expected\s+)?downtime\s+will\s+be\s+(?:approximately\s+|about\s+|up\s+to\s+)?(\d+)\s*(minutes?|mins?|hours?|hrs?)").ok()
});

/// Status words of the subject and the maintenance sentence, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel", "no longer be performing"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["complete"]),
];

/// Status words of the subject and the maintenance sentence.
fn status_of(s: &str) -> Status {
    words::first(s, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// Minutes in a `60 minutes` / `2 hours` downtime.
fn downtime_minutes(text: &str) -> Option<i64> {
    let c = DOWNTIME.as_ref()?.captures(text)?;
    let n: i64 = c.get(1)?.as_str().parse().ok()?;
    let unit = c.get(2)?.as_str().to_ascii_lowercase();
    Some(if unit.starts_with('h') {
        n.checked_mul(60)?
    } else {
        n
    })
}

/// The session addresses listed under `Your IPs:`.
fn addresses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines().map(str::trim) {
        if line.to_ascii_lowercase().starts_with("your ips") {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if line.is_empty() {
            if out.is_empty() {
                continue;
            }
            break;
        }
        match line.parse::<IpAddr>() {
            Ok(ip) => out.push(ip.to_string()),
            Err(_) => break,
        }
    }
    out
}

impl VendorParser for Netflix {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(c) = SENTENCE.as_ref().and_then(|r| r.captures(&flat)) else {
            if !flat.to_ascii_lowercase().contains("maintenance") {
                return Err(Error::not_maintenance(
                    "no Netflix maintenance announcement",
                ));
            }
            return Err(Error::MissingField { field: "window" });
        };
        let sentence = c.get(0).map(|g| g.as_str()).unwrap_or("");
        let site = c.get(1).map(|g| g.as_str().trim()).unwrap_or("");
        let when = c.get(2).map(|g| g.as_str()).unwrap_or("");
        let zone = match (c.get(3), c.get(4)) {
            (Some(off), _) => tz::offset(off.as_str())
                .ok_or_else(|| Error::bad_value("begin", off.as_str(), "bad offset"))?,
            (None, Some(_)) => tz::UTC,
            (None, None) => return Err(Error::bad_value("begin", when, "no time zone")),
        };
        let begin = dates::parse_datetime(
            when,
            &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
            Some(zone),
            "begin",
        )?;
        let minutes = downtime_minutes(&flat).ok_or(Error::MissingField { field: "window" })?;
        let end = begin + Duration::minutes(minutes);

        let mut m = Maintenance::new("netflix");
        m.organizer = "cdnetops@netflix.com".into();
        m.account = ACCOUNT
            .as_ref()
            .and_then(|r| r.captures(&flat))
            .and_then(|c| c.get(1))
            .map(|g| g.as_str().replace(' ', ""))
            .unwrap_or_default();
        m.status = status_of(&format!("{} {sentence}", email.subject));
        m.window = Some(Window::new(begin, end)?);
        m.summary = sentence.trim().to_string();
        m.stamp = email.date;
        m.circuits = addresses(body)
            .into_iter()
            .map(|ip| CircuitImpact::new(ip, Impact::Outage))
            .collect();
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        m.maintenance_id =
            mnp_core::util::derive_id("netflix", &[&m.account, site, &begin.to_rfc3339()]);
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Netflix (AS2906)") && t.contains("Your IPs")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, body: &str) -> Email {
        let raw = format!(
            "From: cdnetops@saasmail.netflix.com\nSubject: {subject}\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n\n{body}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const BODY: &str = "Riverside Net (AS64511),\n\n    Netflix (AS2906) will be performing scheduled maintenance in Equinix FR5, at 2024-03-20 23:30:00+01:00 CET.\n\n    Expected downtime will be approximately 2 hours.\n\n    Your IPs:\n    198.51.100.7\n    2001:db8:40::7\n\n    Thank you,\n";

    #[test]
    fn offset_and_downtime_make_the_window() {
        let ms = Netflix
            .parse(&mail(
                "Netflix Open Connect - Scheduled Maintenance - Equinix FR5",
                BODY,
            ))
            .unwrap();
        let m = &ms[0];
        // 23:30 at +01:00 is 22:30 UTC; 2 hours of downtime
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-20T22:30:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-03-21T00:30:00+00:00");
        assert_eq!(m.account, "AS64511");
        assert_eq!(m.circuits.len(), 2);
        assert_eq!(m.circuits[1].vendor_circuit_id, "2001:db8:40::7");
        assert!(m.maintenance_id.starts_with("netflix-"));
    }

    #[test]
    fn cancellation_keeps_the_same_id() {
        let a = Netflix
            .parse(&mail(
                "Netflix Open Connect - Scheduled Maintenance - Equinix FR5",
                BODY,
            ))
            .unwrap();
        let b = Netflix
            .parse(&mail(
                "Netflix Open Connect - Cancelled Maintenance - Equinix FR5",
                BODY,
            ))
            .unwrap();
        assert_eq!(b[0].status, Status::Cancelled);
        assert_eq!(a[0].maintenance_id, b[0].maintenance_id);
    }

    #[test]
    fn other_mail_is_not_maintenance() {
        let e = Netflix
            .parse(&mail(
                "Open Connect partner survey",
                "Please rate our peering portal.\n",
            ))
            .unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
