//! Colt Technology Services planned-works notices: subject, text body, CSV of
//! services and an Outlook calendar invite.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, ical, text};

const DOC: &str = "\
# Routing
Sender domain `colt.net` (`PlannedWorks@colt.net`, `DoNotReply_Change@colt.net`);
subjects `Colt ... Maintenance Notification - CRQ...` and `MAINTENANCE ALERT:
CRQ...`. Copies relayed through a change mailbox (other sender) are claimed
by content: a `CRQ` reference together with `colt.net` in the text.

# Formats
The subject carries most of the data: `[Cancellation|Update:|Reminder:] Colt
<kind> Maintenance Notification - CRQ1-12345678 [06/8/2021 22:00:00 GMT -
07/8/2021 06:00:00 GMT] for <customer>, <OCN>`, and for state changes
`MAINTENANCE ALERT: CRQ1-12345678 31/10/2021 00:00:00 GMT - 31/10/2021
07:30:00 GMT - COMPLETED`. The body (plain and HTML) repeats `Planned Work
(PW)Ref.:`, `Start Date & Time:` / `End Date & Time:` (`07/12/2021
23:00:00(GMT)*`) and `Outage Duration:` (`360 Minutes`). The affected services
are in an attached tab-separated CSV (UTF-16 with BOM) with `OCN` (`OCN:
123456`, the account) and `Circuit ID` columns. An Outlook invite (`.ics`,
not BCOP) may be attached with the same window in `DTSTART`/`DTEND`.

# Quirks
Dates are day-first (`06/8/2021`). The subject window wins over the body and
the calendar: Colt updates the subject of a re-sent notice while attached
invites and body texts can be stale copies. Status from the subject:
`Cancellation`/`CANCELLED` → CANCELLED, `COMPLETED` → COMPLETED,
`STARTED`/`IN PROGRESS` → IN-PROCESS, `Reschedule`/`Postponed` →
RE-SCHEDULED, otherwise (notification, `Update:`, `Reminder:`, emergency or
urgent work) CONFIRMED; without a subject status the body sentences `has been
completed` / `has been cancelled` / `has started` decide. Every service is
OUTAGE: `Outage Duration:` says `No Impact` even on service-affecting
notices, so it only feeds `impact_seconds` when it is a duration. The OCN
from the CSV is the account; without a CSV the number after the customer
name in the subject is used.

# Known gaps
Services listed only on the Colt Online portal (alerts without CSV) give a
maintenance without circuits.
";

/// Colt parser.
pub struct Colt;

inventory::submit! {
    ParserDescriptor {
        id: "colt",
        carrier: "Colt Technology Services",
        senders: &["colt.net"],
        subjects: &[r"\bColt\b.*Maintenance Notification\s*-\s*CRQ", r"MAINTENANCE ALERT:\s*CRQ"],
        formats: &["text", "html", "csv", "icalendar"],
        doc: DOC,
        fallback: false,
        parser: &Colt,
    }
}

const STAMP: &str = r"\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*\(?[A-Z]{2,5}\)?";

static CRQ: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(CRQ\d*-\d+)\b").ok());
static SUBJECT_WINDOW: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!(r"({STAMP})\s*-\s*({STAMP})")).ok());
static SUBJECT_OCN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\bfor\s+[^\[\]]+?,\s*(\d+)\s*$").ok());
static SUBJECT_KIND: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(Colt\b.*?Maintenance Notification|MAINTENANCE ALERT)").ok());
static DURATION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(\d+(?:\.\d+)?)\s*(minutes?|mins?|hours?|hrs?)\b").ok());

const FORMATS: &[&str] = &["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"];

/// Subject words, first match wins.
const SUBJECT_STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["complete"]),
    (Status::InProcess, &["started", "in progress", "commenced"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (
        Status::Confirmed,
        &["notification", "update", "reminder", "emergency", "urgent"],
    ),
];

/// Status from the subject, `None` when it has no status word.
pub fn subject_status(subject: &str) -> Option<Status> {
    words::first(subject, SUBJECT_STATUS_WORDS)
}

/// Body state-change sentences, first match wins.
const BODY_STATUS_WORDS: Rules<Status> = &[
    (
        Status::Cancelled,
        &["has been cancelled", "has been canceled"],
    ),
    (Status::Completed, &["has been completed"]),
    (
        Status::InProcess,
        &["has started", "has commenced", "is in progress"],
    ),
    (
        Status::Rescheduled,
        &["has been rescheduled", "has been postponed"],
    ),
];

/// Status from the body's state-change sentences.
fn body_status(flat: &str) -> Status {
    words::first(flat, BODY_STATUS_WORDS).unwrap_or(Status::Confirmed)
}

fn time(s: &str, field: &'static str) -> Result<DateTime<Utc>> {
    dates::parse_datetime(s.trim().trim_end_matches('*').trim(), FORMATS, None, field)
}

fn subject_window(subject: &str) -> Result<Option<Window>> {
    let Some(c) = SUBJECT_WINDOW.as_ref().and_then(|r| r.captures(subject)) else {
        return Ok(None);
    };
    let b = c.get(1).map(|g| g.as_str()).unwrap_or("");
    let e = c.get(2).map(|g| g.as_str()).unwrap_or("");
    Ok(Some(Window::new(time(b, "begin")?, time(e, "end")?)?))
}

fn body_window(body: &str) -> Result<Option<Window>> {
    match (
        text::label_value(body, &["Start Date & Time"]),
        text::label_value(body, &["End Date & Time"]),
    ) {
        (Some(b), Some(e)) => Ok(Some(Window::new(time(&b, "begin")?, time(&e, "end")?)?)),
        _ => Ok(None),
    }
}

/// The window of an attached invite whose summary names `id`.
fn calendar_window(email: &Email, id: &str) -> Result<Option<Window>> {
    for cal in email.calendars() {
        for ev in ical::parse(cal).events {
            if !ev.text("SUMMARY").contains(id) {
                continue;
            }
            if let (Some(b), Some(e)) = (ev.datetime("DTSTART")?, ev.datetime("DTEND")?) {
                return Ok(Some(Window::new(b, e)?));
            }
        }
    }
    Ok(None)
}

/// (OCN account, circuit ids) from the attached service CSVs.
fn csv_services(email: &Email) -> (String, Vec<String>) {
    let mut account = String::new();
    let mut ids: Vec<String> = Vec::new();
    for p in email.attachments() {
        let is_csv = p.mime.contains("csv")
            || p.filename
                .as_deref()
                .is_some_and(|f| f.to_ascii_lowercase().ends_with(".csv"));
        let Some(t) = p.text.as_deref().filter(|_| is_csv) else {
            continue;
        };
        let t = t.trim_start_matches('\u{feff}');
        let first = t.lines().next().unwrap_or("");
        let delim = if first.contains('\t') {
            b'\t'
        } else if first.contains(';') && !first.contains(',') {
            b';'
        } else {
            b','
        };
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .flexible(true)
            .has_headers(false)
            .from_reader(t.as_bytes());
        let mut records = rdr.records().filter_map(|r| r.ok());
        let Some(header) = records.next() else {
            continue;
        };
        let header: Vec<String> = header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let Some(ci) = header
            .iter()
            .position(|h| h == "circuit id" || h == "service id")
        else {
            continue;
        };
        let oi = header.iter().position(|h| h == "ocn");
        for r in records {
            if let Some(id) = r
                .get(ci)
                .map(str::trim)
                .filter(|s| !s.is_empty() && !ids.iter().any(|x| x == s))
            {
                ids.push(id.to_string());
            }
            if let Some(o) = oi.and_then(|i| r.get(i)).filter(|_| account.is_empty()) {
                account = o.trim().trim_start_matches("OCN:").trim().to_string();
            }
        }
    }
    (account, ids)
}

/// Seconds of an `Outage Duration:` such as `360 Minutes` (`No Impact` → none).
fn outage_seconds(s: &str) -> Option<i64> {
    let c = DURATION.as_ref()?.captures(s)?;
    let n: f64 = c.get(1)?.as_str().parse().ok()?;
    let per = if c.get(2)?.as_str().to_ascii_lowercase().starts_with('h') {
        3_600.0
    } else {
        60.0
    };
    Some((n * per).round() as i64)
}

fn crq(s: &str) -> Option<String> {
    CRQ.as_ref()?
        .captures(s)?
        .get(1)
        .map(|g| g.as_str().to_string())
}

impl VendorParser for Colt {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let id = crq(&email.subject)
            .or_else(|| {
                text::label_value(body, &["Planned Work (PW)Ref.", "Planned Work (PW) Ref."])
                    .and_then(|v| crq(&v))
            })
            .or_else(|| crq(body));
        let Some(id) = id else {
            return Err(Error::not_maintenance("no Colt CRQ change reference"));
        };
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut m = Maintenance::new("colt");
        m.organizer = email
            .from
            .as_ref()
            .filter(|f| f.domain().ends_with("colt.net"))
            .map(|f| f.address.clone())
            .unwrap_or_else(|| "PlannedWorks@colt.net".into());
        m.maintenance_id = id;
        m.status = subject_status(&email.subject).unwrap_or_else(|| body_status(&flat));
        m.summary = SUBJECT_KIND
            .as_ref()
            .and_then(|r| r.captures(&email.subject))
            .and_then(|c| c.get(1))
            .map(|g| g.as_str().to_string())
            .unwrap_or_else(|| email.subject.clone());
        m.stamp = email.date;
        m.window = match subject_window(&email.subject)? {
            Some(w) => Some(w),
            None => match body_window(body)? {
                Some(w) => Some(w),
                None => calendar_window(email, &m.maintenance_id)?,
            },
        };
        if m.window.is_none() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "window" });
        }
        m.impact_seconds = text::label_value(body, &["Outage Duration"])
            .as_deref()
            .and_then(outage_seconds);
        let (account, ids) = csv_services(email);
        m.account = if account.is_empty() {
            SUBJECT_OCN
                .as_ref()
                .and_then(|r| r.captures(&email.subject))
                .and_then(|c| c.get(1))
                .map(|g| g.as_str().to_string())
                .unwrap_or_default()
        } else {
            account
        };
        m.circuits = ids
            .iter()
            .map(|id| CircuitImpact::new(id, Impact::Outage))
            .collect();
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("colt.net") && (crq(&email.subject).is_some() || crq(t).is_some())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn subject_window_is_day_first_utc() {
        let w = subject_window("Colt Service Affecting Maintenance Notification - CRQ1-40404040 [03/4/2024 22:00:00 GMT - 04/4/2024 04:00:00 GMT] for Contoso, 700123")
            .unwrap()
            .unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-04-03T22:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-04-04T04:00:00+00:00");
        let alert = subject_window("MAINTENANCE ALERT: CRQ1-40404040 03/04/2024 22:00:00 GMT - 04/04/2024 04:00:00 GMT - STARTED").unwrap().unwrap();
        assert_eq!(alert, w);
    }

    #[test]
    fn body_times_with_star_and_cet() {
        let body = "Start Date & Time:   03/07/2024 23:00:00(GMT)*\nEnd Date & Time:   04/07/2024 02:00:00 (CEST)*\n";
        let w = body_window(body).unwrap().unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-07-03T23:00:00+00:00");
        // 02:00 CEST = 00:00 UTC
        assert_eq!(w.end().to_rfc3339(), "2024-07-04T00:00:00+00:00");
    }

    #[test]
    fn subject_statuses() {
        assert_eq!(
            subject_status("Cancellation Colt Third Party Maintenance Notification - CRQ1-1"),
            Some(Status::Cancelled)
        );
        assert_eq!(
            subject_status("MAINTENANCE ALERT: CRQ1-1 ... - COMPLETED"),
            Some(Status::Completed)
        );
        assert_eq!(
            subject_status("MAINTENANCE ALERT: CRQ1-1 ... - STARTED"),
            Some(Status::InProcess)
        );
        assert_eq!(
            subject_status("Update: Colt Service Affecting Maintenance Notification - CRQ1-1"),
            Some(Status::Confirmed)
        );
        assert_eq!(
            subject_status("Colt Emergency Maintenance Notification - CRQ1-1"),
            Some(Status::Confirmed)
        );
        assert_eq!(subject_status("Fwd: CRQ1-1"), None);
        // "please consider the work as completed" is not a completion
        assert_eq!(
            body_status("please consider the work as completed."),
            Status::Confirmed
        );
        assert_eq!(
            body_status("under reference CRQ1-1 with start time x has been completed."),
            Status::Completed
        );
    }

    #[test]
    fn outage_duration() {
        assert_eq!(outage_seconds("360 Minutes"), Some(21_600));
        assert_eq!(outage_seconds("2 Hours"), Some(7_200));
        assert_eq!(outage_seconds("No Impact"), None);
    }

    #[test]
    fn newsletter_is_not_maintenance() {
        let raw = b"From: news@colt.net\nSubject: Colt quarterly newsletter\n\nNew data centres in Frankfurt.\n";
        let e = Colt.parse(&Email::parse(raw).unwrap()).unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
