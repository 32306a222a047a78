//! Windstream (Windstream Wholesale / Uniti) maintenance notifications.

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::html::{self, CellText};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, tz};

const DOC: &str = "\
# Routing
Sender domain `windstream.com` (`wci.maintenance.notifications@windstream.com`);
subjects `Windstream (<Kind> Notification WMT#: 123456)`; content signature:
a `WMT:` label together with a windstream.com address or the Windstream
Change Management Team.

# Formats
HTML: an `<h1>` title (`Planned Maintenance Notification`, `Demand ...`,
`Emergency ...`, `Completed ...`, `Cancelled ...`, `Postponed ...`,
`Rescheduled ...`), label/value table rows `WMT:`, `Service Affecting:`,
`Event Start Date & Time:` / `Event End Date & Time:` (`03/20/24 02:00 ET`),
an impact table (`Impact Type | Duration | Impact Start | Impact End`) and a
circuit table (`Name | Account | Circuit ID | Rate Code | Cust Ckt ID | ...`).

# Quirks
Times are US local with a zone abbreviation; `ET`/`CT` follow US DST rules
(`03/20/24 02:00 ET` is 06:00 UTC), `EST`/`EDT` are fixed; a time without a
zone is read as US Eastern, Windstream's home zone. Dates are month-first with
a two- or four-digit year. Status from the title, else the subject:
Completed → COMPLETED, Cancelled → CANCELLED, Postponed → CANCELLED (the
announced window will not happen; a new notice follows with the new date),
Rescheduled → RE-SCHEDULED, Started / In Progress → IN-PROCESS, Planned /
Demand / Emergency → CONFIRMED. Impact: `Service Affecting: NO` → NO-IMPACT
for every circuit; otherwise the `Impact Type` (`Outage`/`Hit` → OUTAGE,
degradation → DEGRADED, `Protected`/redundancy → REDUCED-REDUNDANCY). The
account is the `Name` column (the `Account` column is a masked number).

# Known gaps
Separate `Impact Start`/`Impact End` sub-windows inside the event window are
not modelled; the event window is used.
";

/// Windstream parser.
pub struct Windstream;

inventory::submit! {
    ParserDescriptor {
        id: "windstream",
        carrier: "Windstream",
        senders: &["windstream.com"],
        subjects: &[r"^\s*(?:\w+:\s*)*Windstream\s*\(.*Notification\s+WMT"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Windstream,
    }
}

static SUBJECT_WMT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)WMT\s*#?\s*:?\s*(\d+)").ok());

const FORMATS: &[&str] = &[
    "%m/%d/%y %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %I:%M %p",
];

/// The `<h1>` titles of the HTML bodies.
fn titles(email: &Email) -> String {
    html::email_element_texts(email, "h1").join(" ")
}

/// Notice title and subject words, first match wins (a postponed notice
/// cancels the window; the new one comes as a new notice).
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel", "postpone"]),
    (Status::Completed, &["complete"]),
    (Status::Rescheduled, &["reschedul"]),
    (Status::InProcess, &["started", "in progress", "commenc"]),
    (
        Status::Confirmed,
        &["planned", "demand", "emergency", "scheduled"],
    ),
];

/// A notice title or subject as a status.
fn status_of(s: &str) -> Option<Status> {
    words::first(s, STATUS_WORDS)
}

/// `Impact Type` words, first match wins; a plain `none` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (Impact::NoImpact, &["no impact", "non-service"]),
    (Impact::Degraded, &["degrad", "latency"]),
    (Impact::ReducedRedundancy, &["protect", "redundan"]),
];

/// Windstream's `Impact Type` cell as an impact.
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["none"]) {
        return Impact::NoImpact;
    }
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

fn parse_time(s: &str, field: &'static str) -> Result<chrono::DateTime<chrono::Utc>> {
    dates::parse_datetime(s, FORMATS, tz::abbreviation("ET"), field)
}

impl VendorParser for Windstream {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let tables = html::email_tables(email, CellText::AsWritten);
        let subject_wmt = SUBJECT_WMT
            .as_ref()
            .and_then(|r| r.captures(&email.subject))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
        let Some(id) = html::value(&tables, "WMT")
            .map(|s| s.trim().to_string())
            .or(subject_wmt)
        else {
            return Err(Error::not_maintenance("no WMT maintenance number"));
        };
        let mut m = Maintenance::new("windstream");
        m.maintenance_id = id;
        m.organizer = "wci.maintenance.notifications@windstream.com".into();
        m.stamp = email.date;
        let title = titles(email);
        m.status = status_of(&title)
            .or_else(|| status_of(&email.subject))
            .unwrap_or(Status::Confirmed);
        m.window = match (
            html::value(&tables, "Event Start Date & Time"),
            html::value(&tables, "Event End Date & Time"),
        ) {
            (Some(b), Some(e)) => {
                Some(Window::new(parse_time(b, "begin")?, parse_time(e, "end")?)?)
            }
            (None, None) if m.status == Status::Cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        let affecting =
            html::value(&tables, "Service Affecting").map(|s| s.trim().to_ascii_lowercase());
        // the row under the `Impact Type:` header row
        let impact_text = tables.iter().find_map(|t| {
            let h = t.rows.iter().position(|r| {
                r.first()
                    .is_some_and(|c| c.to_ascii_lowercase().starts_with("impact type"))
            })?;
            t.rows.get(h + 1)?.first().cloned()
        });
        let impact = match affecting.as_deref() {
            Some("no") => Impact::NoImpact,
            _ => impact_text
                .as_deref()
                .map(impact_of)
                .unwrap_or(Impact::Outage),
        };
        for table in &tables {
            let Some(grid) = table.grid("circuit id") else {
                continue;
            };
            for row in grid.rows {
                let Some(id) = grid.cell(row, "circuit id") else {
                    continue;
                };
                if m.account.is_empty() {
                    m.account = grid.cell(row, "name").unwrap_or_default().to_string();
                }
                m.circuits.push(CircuitImpact::new(id, impact));
            }
        }
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        m.summary = title.trim().to_string();
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("WMT")
            && (t.contains("windstream.com") || t.contains("Windstream Change Management"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, html: &str) -> Email {
        let raw = format!(
            "From: wci.maintenance.notifications@windstream.com\r\nSubject: {subject}\r\nDate: Mon, 4 Nov 2024 10:00:00 +0000\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    fn notice(title: &str, start: &str, end: &str, affecting: &str) -> String {
        format!(
            "<h1>{title}</h1><table><tr><td><table><tr><td><b>WMT:</b></td><td>778899</td></tr>\
             <tr><td><b>Service Affecting:</b></td><td>{affecting}</td></tr>\
             <tr><td><b>Event Start Date &amp; Time:</b></td><td>{start}</td></tr>\
             <tr><td><b>Event End Date &amp; Time:</b></td><td>{end}</td></tr></table></td>\
             <td><table><tr><td><b>Impact Type:</b></td><td><b>Duration</b></td></tr><tr><td>Outage</td><td>30 minute(s)</td></tr></table></td></tr></table>\
             <table><tr><td>Name</td><td>Account</td><td>Circuit ID</td></tr><tr><td>NORTHWIND</td><td>*****9876</td><td>WS/DKFX/556677/ /WXN /</td></tr></table>"
        )
    }

    #[test]
    fn et_follows_dst_and_cst_is_fixed() {
        // 10 Nov 2024 is after the US fall-back: ET = EST (UTC-5)
        let ms = Windstream
            .parse(&mail(
                "Windstream (Planned Notification WMT#: 778899)",
                &notice(
                    "Planned Maintenance Notification",
                    "11/10/24 01:00 ET",
                    "11/10/24 05:00 ET",
                    "YES",
                ),
            ))
            .unwrap();
        let w = ms[0].window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-11-10T06:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-11-10T10:00:00+00:00");
        assert_eq!(ms[0].status, Status::Confirmed);
        assert_eq!(ms[0].account, "NORTHWIND");
        assert_eq!(
            ms[0].circuits,
            vec![CircuitImpact::new("WS/DKFX/556677/ /WXN /", Impact::Outage)]
        );
        let ms = Windstream
            .parse(&mail(
                "x",
                &notice(
                    "Completed Maintenance Notification",
                    "07/02/2024 00:00 CST",
                    "07/02/2024 02:00 CST",
                    "NO",
                ),
            ))
            .unwrap();
        assert_eq!(
            ms[0].window.unwrap().begin().to_rfc3339(),
            "2024-07-02T06:00:00+00:00"
        );
        assert_eq!(ms[0].status, Status::Completed);
        assert_eq!(ms[0].circuits[0].impact, Impact::NoImpact);
    }

    #[test]
    fn titles_map_to_statuses() {
        assert_eq!(
            status_of("Postponed Maintenance Notification"),
            Some(Status::Cancelled)
        );
        assert_eq!(
            status_of("Cancelled Maintenance Notification"),
            Some(Status::Cancelled)
        );
        assert_eq!(
            status_of("Demand Maintenance Notification"),
            Some(Status::Confirmed)
        );
        assert_eq!(
            status_of("Emergency Maintenance Notification"),
            Some(Status::Confirmed)
        );
        assert_eq!(
            status_of("Rescheduled Maintenance Notification"),
            Some(Status::Rescheduled)
        );
    }
}
