//! Telstra (Telstra International / GPEN) maintenance notices: HTML
//! notifications, and BCOP iCalendar.

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, maint, tz};
use crate::vendors::bcop;

const DOC: &str = "\
# Routing
Sender domains `telstra.com` (`gpen@team.telstra.com`), `telstraglobal.com`
and `telstra.net`; content signature: a BCOP calendar whose provider or
organizer names Telstra, or an HTML notice naming Telstra with the
`Change Reference` and `Maintenance Window` rows.

# Formats
1. BCOP iCalendar (`X-MAINTNOTE-*`), read with the shared BCOP reader
   (`vendors::bcop::parse_calendars`); provider and organizer stay as written.
2. HTML notice: a title (`Planned Maintenance Notification`, `Planned
   Maintenance Reminder Notification`, `Emergency Maintenance Notification`,
   `Planned Maintenance Amendment`, `Planned Maintenance Completion`,
   `... Cancellation`), a line `Service Impacting` or `Non-Service Impacting`,
   then label/value rows: `To:` (the account), `Attention:`, `Change
   Reference:` (the id), `Maintenance Window:` (`01-Jun-2021 15:59:00(UTC) to
   01-Jun-2021 22:00:00(UTC)`), `Expected Impact:`, `Maintenance Details:` and
   `Service(s) Impacted:` (circuit ids, which contain spaces:
   `SNG SYD EPL 9876543`).

# Quirks
Title words set the status: Notification/Reminder/Emergency → CONFIRMED,
Amendment/Reschedule/Update → RE-SCHEDULED, Completion → COMPLETED (also
`completed - Unsuccessful`), Cancellation/Withdrawn → CANCELLED,
Commenced/In Progress → IN-PROCESS. Impact: `Non-Service Impacting` is
NO-IMPACT; otherwise `Expected Impact` mentioning loss of resilience or
redundancy is REDUCED-REDUNDANCY, degradation DEGRADED, anything else OUTAGE.
Several `X to Y` ranges in the window cell are several windows (one
maintenance each, same id). Circuit ids are split on `<br>`, `,` and `;`,
never on spaces. A window without a zone is read as UTC (GPEN states UTC).

# Known gaps
The older Telstra text notice layout (pre-GPEN) is not handled; a cancellation
without a window row yields no window.
";

/// Telstra parser.
pub struct Telstra;

inventory::submit! {
    ParserDescriptor {
        id: "telstra",
        carrier: "Telstra",
        senders: &["telstra.com", "telstraglobal.com", "telstra.net"],
        subjects: &[],
        formats: &["icalendar", "html"],
        doc: DOC,
        fallback: false,
        parser: &Telstra,
    }
}

fn re(p: &str) -> Option<Regex> {
    Regex::new(p).ok()
}

static RANGE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let dt = r"\d{1,2}[-/ ][A-Za-z]{3}[-/ ]\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:\(\s*[A-Za-z]{2,5}(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)|[A-Za-z]{2,5})?";
    re(&format!(r"(?i)({dt})\s*(?:to|-|–)\s*({dt})"))
});

/// A `Label: value` line (the colon is required, so `To:` does not match prose).
fn field(text: &str, label: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let l = l.trim();
        let head = l.get(..label.len())?;
        if !head.eq_ignore_ascii_case(label) {
            return None;
        }
        let rest = l.get(label.len()..)?.trim_start();
        let v = rest.strip_prefix(':')?.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// Notice title words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel", "withdraw"]),
    (Status::Completed, &["complet"]),
    (
        Status::Rescheduled,
        &["amend", "reschedul", "postpone", "update"],
    ),
    (Status::InProcess, &["commenc", "in progress", "started"]),
];

/// Status from the notice title.
pub fn status_of(title: &str) -> Status {
    words::first(title, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// Impact from the `Service Impacting` line and the `Expected Impact` text.
pub fn impact_of(header: &str, expected: &str) -> Impact {
    let h = header.to_ascii_lowercase();
    let e = expected.to_ascii_lowercase();
    if h.contains("non-service")
        || h.contains("non service")
        || h.contains("no service impact")
        || e.contains("no impact")
        || e.contains("no outage")
        || e.contains("no service impact")
    {
        Impact::NoImpact
    } else if e.contains("resilien") || e.contains("redundan") || e.contains("protection") {
        Impact::ReducedRedundancy
    } else if e.contains("degrad") {
        Impact::Degraded
    } else {
        Impact::Outage
    }
}

/// Separate text pieces of the value cell(s) of the row labelled `label`.
fn row_values(email: &Email, label: &str) -> Vec<String> {
    let label = label.to_ascii_lowercase();
    // rows of nested layout tables contain the whole notice: only leaf rows count
    for cells in crate::helpers::html::email_leaf_rows(email) {
        let Some((first, rest)) = cells.split_first() else {
            continue;
        };
        if !first.concat().to_ascii_lowercase().contains(&label) {
            continue;
        }
        return rest
            .iter()
            .flatten()
            .flat_map(|t| t.split([',', ';', '\n']))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
    }
    Vec::new()
}

fn parse_time(s: &str, field: &'static str) -> Result<chrono::DateTime<chrono::Utc>> {
    dates::parse_datetime(
        s,
        &[
            "%d-%b-%Y %H:%M:%S",
            "%d-%b-%Y %H:%M",
            "%d %b %Y %H:%M:%S",
            "%d %b %Y %H:%M",
            "%d/%b/%Y %H:%M:%S",
            "%d/%b/%Y %H:%M",
        ],
        Some(tz::UTC),
        field,
    )
}

fn parse_html(email: &Email) -> Result<Vec<Maintenance>> {
    let text = email.text();
    let maintenance_id = field(text, "Change Reference").ok_or_else(|| {
        Error::not_maintenance("no Change Reference: not a Telstra maintenance notice")
    })?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let title = lines
        .iter()
        .take(4)
        .find(|l| l.to_ascii_lowercase().contains("maintenance"))
        .copied()
        .unwrap_or("");
    let header = lines
        .iter()
        .take(6)
        .find(|l| {
            l.to_ascii_lowercase()
                .trim_end_matches('.')
                .ends_with("impacting")
        })
        .copied()
        .unwrap_or("");
    let status = status_of(title);
    let impact = impact_of(header, &field(text, "Expected Impact").unwrap_or_default());
    // the window cell runs up to the next label
    let window_text = between_labels(
        text,
        "Maintenance Window",
        &[
            "Expected Impact",
            "Maintenance Details",
            "Service(s) Impacted",
        ],
    );
    let mut windows = Vec::new();
    if let Some(r) = RANGE.as_ref() {
        for c in r.captures_iter(&window_text) {
            let (Some(b), Some(e)) = (c.get(1), c.get(2)) else {
                continue;
            };
            let w = Window::new(
                parse_time(b.as_str(), "begin")?,
                parse_time(e.as_str(), "end")?,
            )?;
            if !windows.contains(&w) {
                windows.push(w);
            }
        }
    }
    if windows.is_empty() && status != Status::Cancelled {
        return Err(Error::MissingField { field: "window" });
    }
    let mut circuits = row_values(email, "Service(s) Impacted");
    if circuits.is_empty() {
        circuits = field(text, "Service(s) Impacted")
            .map(|v| {
                v.split([',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
    }
    if circuits.is_empty() && status != Status::Cancelled {
        return Err(Error::MissingField { field: "circuits" });
    }
    let mut m = Maintenance::new("telstra");
    m.maintenance_id = maintenance_id;
    m.status = status;
    // the `To:` row of the notice table (label and value in separate cells),
    // not a `To:` header line of an inline-forwarded copy
    m.account = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("To:").filter(|v| v.starts_with('\t')))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .or_else(|| field(text, "To"))
        .unwrap_or_default();
    m.circuits = circuits
        .iter()
        .map(|c| CircuitImpact::new(c, impact))
        .collect();
    m.stamp = email.date;
    m.summary = field(text, "Maintenance Details")
        .or_else(|| {
            let i = lines
                .iter()
                .position(|l| l.to_ascii_lowercase().starts_with("maintenance details"))?;
            lines.get(i + 1).map(|s| s.to_string())
        })
        .unwrap_or_else(|| title.to_string());
    m.organizer = "gpen@team.telstra.com".into();
    Ok(maint::per_window(m, windows))
}

/// The text after `label` up to the first of `ends` (or the end).
fn between_labels(text: &str, label: &str, ends: &[&str]) -> String {
    let Some(start) = text.find(label) else {
        return String::new();
    };
    let tail = text.get(start + label.len()..).unwrap_or("");
    let end = ends
        .iter()
        .filter_map(|e| tail.find(e))
        .min()
        .unwrap_or(tail.len());
    tail.get(..end).unwrap_or("").to_string()
}

impl VendorParser for Telstra {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        if bcop::has_calendar(email) {
            return bcop::parse_calendars(email);
        }
        parse_html(email)
    }

    fn claims(&self, email: &Email) -> bool {
        if bcop::calendar_names(email, |s| s.to_ascii_lowercase().contains("telstra")) {
            return true;
        }
        let t = email.text();
        t.contains("Telstra") && t.contains("Change Reference") && t.contains("Maintenance Window")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn title_words() {
        assert_eq!(
            status_of("Planned Maintenance Notification"),
            Status::Confirmed
        );
        assert_eq!(
            status_of("Planned Maintenance Reminder Notification"),
            Status::Confirmed
        );
        assert_eq!(
            status_of("Emergency Maintenance Notification"),
            Status::Confirmed
        );
        assert_eq!(
            status_of("Planned Maintenance Amendment"),
            Status::Rescheduled
        );
        assert_eq!(
            status_of("Planned Maintenance Completion"),
            Status::Completed
        );
        assert_eq!(
            status_of("Planned Maintenance Cancellation"),
            Status::Cancelled
        );
    }

    #[test]
    fn impact_words() {
        assert_eq!(
            impact_of(
                "Service Impacting",
                "4 hours outage during the change window"
            ),
            Impact::Outage
        );
        assert_eq!(impact_of("Non-Service Impacting", ""), Impact::NoImpact);
        assert_eq!(
            impact_of("Service Impacting", "Loss of resilience for the duration"),
            Impact::ReducedRedundancy
        );
    }

    #[test]
    fn two_ranges_in_the_window_cell_are_two_windows() {
        let raw = "From: gpen@team.telstra.com\nSubject: x\nContent-Type: text/html\n\n<table>\
<tr><td>Planned Maintenance Notification</td></tr><tr><td>Service Impacting</td></tr>\
<tr><th>To:</th><td>Harbour Net</td></tr><tr><th>Change Reference:</th><td>PN777</td></tr>\
<tr><th>Maintenance Window:</th><td>03-Mar-2024 14:00:00(UTC) to 03-Mar-2024 18:00:00(UTC)<br>10-Mar-2024 14:00:00(UTC) to 10-Mar-2024 18:00:00(UTC)</td></tr>\
<tr><th>Expected Impact:</th><td>30 min outage</td></tr>\
<tr><th>Service(s) Impacted:</th><td>SYD LAX IPL 100<br>SYD LAX IPL 200, SYD HKG EPL 3<br></td></tr></table>";
        let email = Email::parse(raw.as_bytes()).unwrap();
        let ms = Telstra.parse(&email).unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!(
            ms[0].window.unwrap().begin().to_rfc3339(),
            "2024-03-03T14:00:00+00:00"
        );
        assert_eq!(
            ms[1].window.unwrap().end().to_rfc3339(),
            "2024-03-10T18:00:00+00:00"
        );
        let ids: Vec<&str> = ms[0]
            .circuits
            .iter()
            .map(|c| c.vendor_circuit_id.as_str())
            .collect();
        assert_eq!(ids, ["SYD LAX IPL 100", "SYD LAX IPL 200", "SYD HKG EPL 3"]);
        assert_eq!(ms[1].maintenance_id, "PN777");
        assert_eq!(ms[0].account, "Harbour Net");
    }

    #[test]
    fn offsets_in_brackets_are_resolved() {
        // 22:00 at UTC+8 is 14:00 UTC
        assert_eq!(
            parse_time("03-Mar-2024 22:00:00(GMT+8)", "begin")
                .unwrap()
                .to_rfc3339(),
            "2024-03-03T14:00:00+00:00"
        );
    }
}
