//! Tata Communications (planned.activity@tatacommunications.com) work notifications.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text, tz};

const DOC: &str = "\
# Routing
Sender domain `tatacommunications.com` (ServiceNow sends as `Do-Not-Reply@`); subject
`TCL TT: \"<change>\" / \"<type>\" / \"<status>\" / <kind> Notification`. Content signature:
`Ticket Reference - TCL` together with `tatacommunications.com`.

# Formats
HTML table (a plain-text alternative carries the same rows): `Ticket Reference - TCL`
(`CHGP...` change number), `Service ID` (comma separated), `NIMS ID`, `Maintenance Type`
(`Normal`, `Emergency`), `Activity Status` (`Scheduled`, `Rescheduled`, `Cancelled`,
`Completed`, `In Progress`), `Activity Window (IST)` and `Activity Window (GMT)` (`2024-12-22
00:01:00 GMT to 2024-12-30 23:59:00 GMT`), `Expected Impact Duration(DD:HH:MM)` (`8 Days 23
Hours 58 Minutes`), `Activity Description`.

# Quirks
The GMT window is preferred; another `Activity Window (<zone>)` row is used with the
zone written after the times or, failing that, in the label. Status comes from
`Activity Status` (else the subject's third quoted field): `Scheduled`/`Reminder` →
CONFIRMED, `Rescheduled`/`Postponed` → RE-SCHEDULED, `Cancelled` → CANCELLED,
`Completed`/`Closed` → COMPLETED, `In Progress`/`Started` → IN-PROCESS. Impact is OUTAGE
(\"would experience an outage\") unless the notice says no impact or an impact duration
of zero (NO-IMPACT); the duration becomes `impact_seconds`. Mails from Tata whose
subject and body are not a planned/emergency work notification (fault tickets, RFO
reports) are refused as not maintenance. The notice names no customer: the account is
the placeholder `N/A`, as in the reference corpus.

# Known gaps
`NIMS ID` (Tata's inventory ids) are not reported as circuits; only `Service ID` is.
";

/// Tata Communications parser.
pub struct Tata;

inventory::submit! {
    ParserDescriptor {
        id: "tata",
        carrier: "Tata Communications",
        senders: &["tatacommunications.com"],
        subjects: &[r"\bTCL\s+TT\s*:.*Work Notification"],
        formats: &["html", "text"],
        doc: DOC,
        fallback: false,
        parser: &Tata,
    }
}

const ACCOUNT_PLACEHOLDER: &str = "N/A";
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M",
];

static SUBJECT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)TT\s*:\s*"([^"]*)"\s*/\s*"([^"]*)"\s*/\s*"([^"]*)""#).ok());
static DURATION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(\d+)\s*days?)?\s*(?:(\d+)\s*hours?)?\s*(?:(\d+)\s*min(?:ute)?s?)?").ok()
});
static WINDOW_LABEL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?im)^\s*Activity Window\s*\(([^)]*)\)\s*[:\t ]\s*(.+?)\s*$").ok()
});

/// `Activity Status` / subject status words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["complet", "closed"]),
    (Status::InProcess, &["progress", "started"]),
    (Status::Confirmed, &["schedul", "reminder", "confirm"]),
];

/// Status from an `Activity Status` value or the subject's status field.
pub fn status_of(s: &str) -> Option<Status> {
    words::first(s, STATUS_WORDS)
}

/// Seconds of an `8 Days 23 Hours 58 Minutes` duration (None when nothing is read).
pub fn duration_seconds(s: &str) -> Option<i64> {
    let c = DURATION
        .as_ref()?
        .captures_iter(s)
        .find(|c| c.get(1).is_some() || c.get(2).is_some() || c.get(3).is_some())?;
    let n = |i| {
        c.get(i)
            .and_then(|m| m.as_str().parse::<i64>().ok())
            .unwrap_or(0)
    };
    Some(n(1) * 86_400 + n(2) * 3_600 + n(3) * 60)
}

/// The window from the preferred `Activity Window (...)` row.
fn window(body: &str) -> Result<Option<Window>> {
    let Some(re) = WINDOW_LABEL.as_ref() else {
        return Ok(None);
    };
    let mut rows: Vec<(String, String)> = re
        .captures_iter(body)
        .filter_map(|c| {
            Some((
                c.get(1)?.as_str().trim().to_string(),
                c.get(2)?.as_str().to_string(),
            ))
        })
        .collect();
    // GMT/UTC first, then whatever else is given
    rows.sort_by_key(|(z, _)| !matches!(z.to_ascii_uppercase().as_str(), "GMT" | "UTC"));
    let Some((zone, value)) = rows.first() else {
        return Ok(None);
    };
    let label_zone = tz::zone_by_name(zone);
    let (b, e) = value
        .split_once(" to ")
        .ok_or_else(|| Error::bad_value("window", value, "expected `<begin> to <end>`"))?;
    let t = |s: &str, f| -> Result<DateTime<Utc>> {
        let default = label_zone.ok_or_else(|| Error::bad_value(f, s, "no time zone"))?;
        dates::parse_datetime(s, DATE_FORMATS, Some(default), f)
    };
    Ok(Some(Window::new(t(b, "begin")?, t(e, "end")?)?))
}

impl VendorParser for Tata {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = text::html_body_or_plain(email);
        let subj = SUBJECT.as_ref().and_then(|r| r.captures(&email.subject));
        let subj_field = |i| {
            subj.as_ref()
                .and_then(|c| c.get(i))
                .map(|m| m.as_str().trim().to_string())
        };
        let id = text::label_value(&body, &["Ticket Reference - TCL", "Ticket Reference"])
            .filter(|s| !s.is_empty())
            .or_else(|| subj_field(1).filter(|s| !s.is_empty()));
        let is_work = body.contains("Activity Window")
            || email
                .subject
                .to_ascii_lowercase()
                .contains("work notification");
        let Some(id) = id.filter(|_| is_work) else {
            if is_work {
                return Err(Error::MissingField {
                    field: "maintenance_id",
                });
            }
            return Err(Error::not_maintenance(
                "no planned/emergency work notification in a Tata mail",
            ));
        };
        let mut m = Maintenance::new("tata");
        m.maintenance_id = id;
        m.account = ACCOUNT_PLACEHOLDER.into();
        m.organizer = "planned.activity@tatacommunications.com".into();
        m.stamp = email.date;
        m.summary = email.subject.clone();
        m.status = text::label_value(&body, &["Activity Status"])
            .and_then(|s| status_of(&s))
            .or_else(|| subj_field(3).and_then(|s| status_of(&s)))
            .unwrap_or(Status::Confirmed);
        m.window = window(&body)?;
        if m.window.is_none() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "window" });
        }
        let secs = text::label_value(
            &body,
            &[
                "Expected Impact Duration(DD:HH:MM)",
                "Expected Impact Duration",
            ],
        )
        .map(|s| s.trim_start_matches([':', ' ', '\t']).to_string())
        .and_then(|s| duration_seconds(&s));
        let lower = body.to_ascii_lowercase();
        let no_impact =
            secs == Some(0) || lower.contains("no impact") || lower.contains("no service impact");
        let impact = if no_impact {
            Impact::NoImpact
        } else {
            Impact::Outage
        };
        m.impact_seconds = secs
            .filter(|s| *s > 0)
            .map(|s| m.window.map_or(s, |w| s.min(w.seconds())));
        if let Some(ids) = text::label_value(&body, &["Service ID"]) {
            for c in ids
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                m.circuits.push(CircuitImpact::new(c, impact));
            }
        }
        if m.circuits.is_empty() && !matches!(m.status, Status::Cancelled | Status::Completed) {
            return Err(Error::MissingField { field: "circuits" });
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Ticket Reference - TCL") && t.contains("tatacommunications.com")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(
            duration_seconds("8 Days 23 Hours 58 Minutes"),
            Some(777_480)
        );
        assert_eq!(duration_seconds("0 Days 4 Hours 0 Minutes"), Some(14_400));
        assert_eq!(duration_seconds("n/a"), None);
    }

    #[test]
    fn statuses() {
        assert_eq!(status_of("Scheduled"), Some(Status::Confirmed));
        assert_eq!(status_of("Rescheduled"), Some(Status::Rescheduled));
        assert_eq!(status_of("Cancelled"), Some(Status::Cancelled));
        assert_eq!(status_of("Completed"), Some(Status::Completed));
        assert_eq!(status_of("Work In Progress"), Some(Status::InProcess));
        assert_eq!(status_of("Normal"), None);
    }

    #[test]
    fn ist_window_when_no_gmt_row() {
        // 05:30 IST is 00:00 UTC
        let w =
            window("Activity Window (IST)\t2024-03-02 05:30:00 IST to 2024-03-02 09:30:00 IST\n")
                .unwrap()
                .unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-02T00:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-03-02T04:00:00+00:00");
        // the label's zone applies when the values carry none
        let w = window("Activity Window (IST)\t2024-03-02 05:30:00 to 2024-03-02 09:30:00\n")
            .unwrap()
            .unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-02T00:00:00+00:00");
    }

    #[test]
    fn gmt_row_is_preferred() {
        let t = "Activity Window (IST)\t2024-03-02 06:30:00 IST to 2024-03-02 09:30:00 IST\nActivity Window (GMT)\t2024-03-02 00:00:00 GMT to 2024-03-02 04:00:00 GMT\n";
        let w = window(t).unwrap().unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-02T00:00:00+00:00");
    }
}
