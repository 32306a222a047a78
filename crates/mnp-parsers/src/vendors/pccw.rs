//! PCCW Global (gsoc-planned-event@pccwglobal.com) outage notifications.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text, tz};
use crate::vendors::bcop;

const DOC: &str = "\
# Routing
Sender domain `pccwglobal.com`; subjects `... Outage Notification of International Service -
RPO Reference number ...`. Content signature: `pccwglobal.com` together with an `RPO
Reference Number`, or a BCOP calendar whose provider is PCCW.

# Formats
Two shapes. (1) A BCOP iCalendar (`X-MAINTNOTE-PROVIDER: PCCW Global`), read with
`vendors::bcop::parse_calendars`. (2) The text/HTML letter (plain and HTML alternatives
carry the same `Label : value` lines): `Customer Name`, `RPO Reference Number`, `Date
Time : 26/11/2024 01:00:00 to 26/11/2024 10:00:00 GMT (dd/mm/yyyy)`, `Duration`, `Service/
Circuit Affected :` followed by one `SR654321 / A(XXX)-B(XXX) EP4321 /` line per service,
`Outage Description`, `Impact`. The subject is `[<stage> - ]<Planned|Emergency> Outage
Notification of International Service - RPO Reference number <rpo> - <INC ticket>`.

# Quirks
A calendar, when present, wins over the letter. The maintenance id is the ticket after
the subject's last ` - ` (`INC...`), else the RPO reference. Status comes from the
subject's stage: `Completion` → COMPLETED, `Cancellation` → CANCELLED, `Reschedule`/
`Amendment`/`Postponement`/`Revised` → RE-SCHEDULED, `Commencement`/`Started` →
IN-PROCESS, none or `Reminder` → CONFIRMED (emergency too). The body's date format hint
`(dd/mm/yyyy)` or `(mm/dd/yyyy)` decides the field order (day-first without a hint); the
zone after the end time applies to both ends. Completion and cancellation letters are
emitted without circuits: they close a maintenance already announced (with its
circuits) under the same id, and the reference corpus expects none. In other letters
each `Service/Circuit Affected` line gives one circuit, its id being the first
`/`-separated field; `Impact` maps `no impact` → NO-IMPACT, `redundan`/`resilien` →
REDUCED-REDUNDANCY, `degrad` → DEGRADED, anything else (`Switching hits`, outage) → OUTAGE;
a non-zero `Duration` becomes `impact_seconds`.

# Known gaps
A letter whose times carry no zone is read as UTC. The end-point names after the first
`/` of a service line are not kept.
";

/// PCCW Global parser.
pub struct Pccw;

inventory::submit! {
    ParserDescriptor {
        id: "pccw",
        carrier: "PCCW Global",
        senders: &["pccwglobal.com"],
        subjects: &[r"Outage Notification of International Service", r"\bRPO Reference number\b"],
        formats: &["icalendar", "text", "html"],
        doc: DOC,
        fallback: false,
        parser: &Pccw,
    }
}

static DURATION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(\d+)\s*(hours?|hrs?|mins?|minutes?)").ok());
static HINT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\(\s*(dd/mm/yyyy|mm/dd/yyyy)\s*\)").ok());

/// Subject stage words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["complet"]),
    (
        Status::Rescheduled,
        &["reschedul", "amend", "postpone", "revised"],
    ),
    (Status::InProcess, &["commence", "started", "in progress"]),
];

/// Status from the subject's stage word.
pub fn status_of(subject: &str) -> Status {
    words::first(subject, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// `Impact :` words, first match wins; a plain `nil` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (Impact::NoImpact, &["no impact", "no service impact"]),
    (Impact::ReducedRedundancy, &["redundan", "resilien"]),
    (Impact::Degraded, &["degrad"]),
];

/// Impact of the `Impact :` text.
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["nil"]) {
        return Impact::NoImpact;
    }
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// The window of a `Date Time :` value.
pub fn window(value: &str) -> Result<Window> {
    let month_first = HINT
        .as_ref()
        .and_then(|r| r.captures(value))
        .and_then(|c| c.get(1))
        .is_some_and(|h| h.as_str().to_ascii_lowercase().starts_with("mm"));
    let clean = HINT
        .as_ref()
        .map_or(value.to_string(), |r| r.replace_all(value, "").into_owned());
    let (b, e) = clean
        .split_once(" to ")
        .ok_or_else(|| Error::bad_value("window", value, "expected `<begin> to <end>`"))?;
    let formats: &[&str] = if month_first {
        &["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"]
    } else {
        &["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
    };
    let (_, end_zone) = dates::split_zone(e);
    let zone = end_zone.unwrap_or(tz::UTC);
    let t =
        |s: &str, f| -> Result<DateTime<Utc>> { dates::parse_datetime(s, formats, Some(zone), f) };
    Window::new(t(b, "begin")?, t(e, "end")?)
}

fn duration_seconds(s: &str) -> Option<i64> {
    let c = DURATION.as_ref()?.captures(s)?;
    let n: i64 = c.get(1)?.as_str().parse().ok()?;
    let unit = c.get(2)?.as_str().to_ascii_lowercase();
    Some(if unit.starts_with('h') {
        n * 3600
    } else {
        n * 60
    })
}

/// The lines listed under `Service/Circuit Affected :`.
fn service_lines(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in body.lines().map(str::trim) {
        if !inside {
            if line
                .to_ascii_lowercase()
                .starts_with("service/circuit affected")
            {
                inside = true;
                let rest = line.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
                if !rest.is_empty() {
                    out.push(rest.to_string());
                }
            }
            continue;
        }
        if line.is_empty() || line.contains(" : ") || line.ends_with(':') {
            if out.is_empty() && line.is_empty() {
                continue;
            }
            break;
        }
        out.push(line.to_string());
    }
    out
}

fn is_pccw_calendar(c: &str) -> bool {
    bcop::is_bcop_calendar(c) && c.to_ascii_uppercase().contains("PCCW")
}

impl VendorParser for Pccw {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        if email.calendars().iter().any(|c| bcop::is_bcop_calendar(c)) {
            return bcop::parse_calendars(email);
        }
        let body = email.text();
        let date_time = text::label_value(body, &["Date Time"]);
        let rpo = text::label_value(body, &["RPO Reference Number"]);
        if date_time.is_none() && rpo.is_none() {
            return Err(Error::not_maintenance(
                "no RPO reference or outage window in a PCCW mail",
            ));
        }
        let mut m = Maintenance::new("PCCW Global");
        let subject_ticket = email
            .subject
            .rsplit(" - ")
            .next()
            .filter(|_| email.subject.contains(" - "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.contains(' '));
        m.maintenance_id =
            subject_ticket
                .map(str::to_string)
                .or(rpo)
                .ok_or(Error::MissingField {
                    field: "maintenance_id",
                })?;
        m.status = status_of(
            email
                .subject
                .split("Outage Notification")
                .next()
                .unwrap_or(""),
        );
        m.account = text::label_value(body, &["Customer Name"]).unwrap_or_default();
        m.organizer = "mailto:gsoc-planned-event@pccwglobal.com".into();
        m.summary = email.subject.clone();
        m.stamp = email.date;
        m.window = match date_time {
            Some(v) => Some(window(&v)?),
            None if m.status == Status::Cancelled => None,
            None => return Err(Error::MissingField { field: "window" }),
        };
        if !matches!(m.status, Status::Completed | Status::Cancelled) {
            let impact = text::label_value(body, &["Impact"])
                .map(|s| impact_of(&s))
                .unwrap_or(Impact::Outage);
            for line in service_lines(body) {
                let id = line.split('/').next().unwrap_or("").trim();
                if !id.is_empty() && !m.circuits.iter().any(|c| c.vendor_circuit_id == id) {
                    m.circuits.push(CircuitImpact::new(id, impact));
                }
            }
            if m.circuits.is_empty() {
                return Err(Error::MissingField { field: "circuits" });
            }
            let secs = text::label_value(body, &["Duration"])
                .and_then(|d| duration_seconds(&d))
                .filter(|s| *s > 0);
            m.impact_seconds = secs.map(|s| m.window.map_or(s, |w| s.min(w.seconds())));
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        (t.contains("pccwglobal.com") || t.contains("PCCW Global"))
            && t.contains("RPO Reference Number")
            || email.calendars().iter().any(|c| is_pccw_calendar(c))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn windows_follow_the_format_hint() {
        let w = window("26/11/2024 01:00:00 to 26/11/2024 10:00:00 GMT (dd/mm/yyyy)").unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-11-26T01:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-11-26T10:00:00+00:00");
        let w = window("03/04/2025 18:00:00 to 03/04/2025 22:00:00 GMT (mm/dd/yyyy)").unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2025-03-04T18:00:00+00:00");
        // the end's zone applies to the begin too: 02:00 HKT is 18:00 UTC the day before
        let w = window("05/04/2025 02:00:00 to 05/04/2025 06:00:00 HKT (dd/mm/yyyy)").unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2025-04-04T18:00:00+00:00");
    }

    #[test]
    fn stages() {
        assert_eq!(status_of("Completion - Planned "), Status::Completed);
        assert_eq!(status_of("Cancellation - Planned "), Status::Cancelled);
        assert_eq!(status_of("Reschedule - Planned "), Status::Rescheduled);
        assert_eq!(status_of("Planned "), Status::Confirmed);
        assert_eq!(status_of("Emergency "), Status::Confirmed);
    }

    #[test]
    fn service_block() {
        let b = "Service/Circuit Affected :\nSR111 / A(X)-B(Y) EP1 /\nSR222 / A(X)-B(Y) EP2 /\n\nOutage Description : x\n";
        assert_eq!(
            service_lines(b),
            vec!["SR111 / A(X)-B(Y) EP1 /", "SR222 / A(X)-B(Y) EP2 /"]
        );
    }
}
