//! Crown Castle Fiber maintenance notifications (HTML).

use std::sync::LazyLock;

use crate::helpers::html::{self, CellText, Table};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text, tz};
use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

const DOC: &str = "\
# Routing
Sender domain `crowncastle.com` (`fiberchangemgmt@crowncastle.com`); subjects
`Crown Castle Fiber ... Maintenance ...: CM...`; content signature: a
`Ticket Number:` label with a `CM` ticket in a mail that names Crown Castle
Fiber.

# Formats
HTML: `Dear <customer>,`, a sentence saying what the notice is, `Ticket
Number: CM20231201000`, `Location of Work:`, a `timezonegrid` table (`Scheduled
Start Date & Time | Scheduled End Date & Time | Time Zone`, one row per zone:
date and time in separate cells, `1/3/2024 | 3:00 AM | 1/3/2024 | 9:00 AM |
Eastern`), `Expected Customer Impact:`, `Work Description:`, and a
`circuitgrid` table (`Circuit ID | Active Product | A Location | Z Location |
Impact | Notes`).

# Quirks
The GMT row of the time table is used; without it the first row whose zone
resolves (`Eastern`/`Central`/`Mountain`/`Pacific` follow US DST rules).
Dates are month-first, 12-hour clock. Status from the notice sentence and the
subject: cancelled → CANCELLED, postponed / rescheduled → RE-SCHEDULED,
completed → COMPLETED, started / in progress → IN-PROCESS, otherwise
(planned, emergency, demand) CONFIRMED. Impact per circuit row: `None` /
`No Impact` → NO-IMPACT (the notice still calls the work \"potentially service
affecting\"; the row is more specific), `Outage`/`Hard Down`/`Service
Affecting`/`Switch Hit` → OUTAGE, degradation → DEGRADED, protected /
redundancy → REDUCED-REDUNDANCY; an empty impact cell falls back to
`Expected Customer Impact:`.

# Known gaps
Notices listing several windows (several rows for the same zone) are read as
one window: the first GMT row.
";

/// Crown Castle parser.
pub struct CrownCastle;

inventory::submit! {
    ParserDescriptor {
        id: "crown-castle",
        carrier: "Crown Castle Fiber",
        senders: &["crowncastle.com"],
        subjects: &[r"\bCrown\s+Castle\b.*\bMaintenance\b"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &CrownCastle,
    }
}

static TICKET: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\bCM\d{6,}\b").ok());

const FORMATS: &[&str] = &[
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
];

/// Impact words, first match wins; a plain `none` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (
        Impact::NoImpact,
        &["no impact", "none expected", "non-service"],
    ),
    (Impact::Degraded, &["degrad", "latency"]),
    (Impact::ReducedRedundancy, &["protect", "redundan"]),
];

/// Crown Castle's impact text as an impact.
pub fn impact_of(s: &str) -> Option<Impact> {
    if s.trim().is_empty() {
        None
    } else if words::whole(s, &["none"]) {
        Some(Impact::NoImpact)
    } else {
        Some(words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage))
    }
}

/// Subject and notice sentence words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["postpone", "reschedul"]),
    (
        Status::Completed,
        &[
            "has been completed",
            "completion notification",
            "maintenance completed",
        ],
    ),
    (
        Status::InProcess,
        &["has started", "in progress", "has begun"],
    ),
];

/// Status from the notice sentence and subject.
fn status_of(subject: &str, body: &str) -> Status {
    // the notice sentence sits above the ticket number; the work description
    // below it may mention cancelled or completed things of its own
    let head: Vec<&str> = body
        .lines()
        .take_while(|l| !l.trim_start().starts_with("Ticket Number"))
        .take(15)
        .collect();
    let s = format!("{subject}\n{}", head.join("\n"));
    words::first(&s, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// The window from the time-zone table: GMT row first, else the first row whose zone resolves.
fn window(tables: &[Table]) -> Result<Option<Window>> {
    for rows in tables.iter().map(|t| &t.rows) {
        let is_grid = rows.first().is_some_and(|h| {
            h.iter()
                .any(|c| c.to_ascii_lowercase().starts_with("scheduled start"))
        });
        if !is_grid {
            continue;
        }
        let data: Vec<&Vec<String>> = rows.iter().skip(1).filter(|r| r.len() >= 5).collect();
        let zone_of = |r: &Vec<String>| r.get(4).map(|z| z.trim().to_string()).unwrap_or_default();
        let utc =
            |r: &&&Vec<String>| matches!(zone_of(r).to_ascii_uppercase().as_str(), "GMT" | "UTC");
        let pick = data.iter().find(utc).or_else(|| {
            data.iter()
                .find(|r| tz::zone_by_name(&zone_of(r)).is_some())
        });
        let Some(row) = pick else {
            return Err(Error::bad_value(
                "window",
                rows.get(1).map(|r| r.join(" ")).unwrap_or_default(),
                "no known time zone",
            ));
        };
        let zone = tz::zone_by_name(&zone_of(row));
        let at = |d: usize, t: usize, field: &'static str| -> Result<DateTime<Utc>> {
            let s = format!(
                "{} {}",
                row.get(d).map(String::as_str).unwrap_or(""),
                row.get(t).map(String::as_str).unwrap_or("")
            );
            dates::parse_datetime(&s, FORMATS, zone, field)
        };
        return Ok(Some(Window::new(at(0, 1, "begin")?, at(2, 3, "end")?)?));
    }
    Ok(None)
}

impl VendorParser for CrownCastle {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = text::html_text_or_plain(email);
        let id = text::label_value(&body, &["Ticket Number", "Ticket #"])
            .or_else(|| {
                TICKET
                    .as_ref()?
                    .find(&email.subject)
                    .map(|m| m.as_str().to_string())
            })
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::not_maintenance("no Crown Castle ticket number"))?;
        let mut m = Maintenance::new("crown-castle");
        m.maintenance_id = id;
        m.organizer = "fiberchangemgmt@crowncastle.com".into();
        m.stamp = email.date;
        m.status = status_of(&email.subject, &body);
        m.account = text::dear(&body)
            .filter(|a| {
                !a.eq_ignore_ascii_case("customer") && !a.eq_ignore_ascii_case("valued customer")
            })
            .map(str::to_string)
            .unwrap_or_default();
        m.summary = text::label_value(&body, &["Work Description"]).unwrap_or_default();
        let tables = html::email_tables(email, CellText::AsWritten);
        m.window = window(&tables)?;
        if m.window.is_none() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "window" });
        }
        let general = text::label_value(&body, &["Expected Customer Impact"])
            .and_then(|s| impact_of(&s))
            .unwrap_or(Impact::Outage);
        for table in &tables {
            let Some(grid) = table.grid("circuit id") else {
                continue;
            };
            for row in grid.rows {
                let Some(id) = grid.cell(row, "circuit id") else {
                    continue;
                };
                let impact = grid
                    .cell(row, "impact")
                    .and_then(impact_of)
                    .unwrap_or(general);
                m.circuits.push(CircuitImpact::new(id, impact));
            }
        }
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Crown Castle")
            && t.contains("Ticket Number")
            && TICKET.as_ref().is_some_and(|r| r.is_match(t))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, html: &str) -> Email {
        let raw = format!(
            "From: Change Management <fiberchangemgmt@crowncastle.com>\r\nSubject: {subject}\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    fn notice(sentence: &str, rows: &str) -> String {
        format!(
            "<p>Dear Contoso Ltd, <br><br>{sentence}</p><p><strong>Ticket Number: </strong>CM20240311007</p>\
             <table class=\"timezonegrid\"><tr><th colspan=2>Scheduled Start Date &amp; Time</th><th colspan=2>Scheduled End Date &amp; Time</th><th>Time Zone</th></tr>{rows}</table>\
             <p><strong>Expected Customer Impact:</strong> Service Affecting</p>\
             <table id=\"circuitgrid\"><tr><th>Circuit ID</th><th>Active Product</th><th>Impact</th></tr>\
             <tr><td>445566-ETH-NYCMNY01-BSTNMA02</td><td>Ethernet</td><td>Outage</td></tr><tr><td>778899-WAVE</td><td>Wave</td><td></td></tr></table>"
        )
    }

    #[test]
    fn local_zone_when_no_gmt_row() {
        // Central on 12 March 2024 is CDT (UTC-5): 11:00 PM → 04:00 UTC next day
        let html = notice(
            "This notice is being sent to notify you of the following planned maintenance event on the Crown Castle Fiber network.",
            "<tr><td>3/12/2024</td><td>11:00 PM</td><td>3/13/2024</td><td>5:00 AM</td><td>Central</td></tr>",
        );
        let ms = CrownCastle
            .parse(&mail(
                "Crown Castle Fiber Scheduled Maintenance Notification: CM20240311007",
                &html,
            ))
            .unwrap();
        let w = ms[0].window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-13T04:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-03-13T10:00:00+00:00");
        assert_eq!(ms[0].account, "Contoso Ltd");
        assert_eq!(ms[0].status, Status::Confirmed);
        // an empty impact cell falls back to `Expected Customer Impact`
        assert_eq!(
            ms[0].circuits,
            vec![
                CircuitImpact::new("445566-ETH-NYCMNY01-BSTNMA02", Impact::Outage),
                CircuitImpact::new("778899-WAVE", Impact::Outage)
            ]
        );
    }

    #[test]
    fn cancellation_and_statuses() {
        let html = notice(
            "This notice is being sent to notify you that the following maintenance event has been cancelled.",
            "<tr><td>3/12/2024</td><td>4:00 AM</td><td>3/12/2024</td><td>10:00 AM</td><td>GMT</td></tr>",
        );
        let ms = CrownCastle
            .parse(&mail(
                "Crown Castle Fiber Maintenance Cancellation Notification: CM20240311007",
                &html,
            ))
            .unwrap();
        assert_eq!(ms[0].status, Status::Cancelled);
        assert_eq!(
            ms[0].window.unwrap().begin().to_rfc3339(),
            "2024-03-12T04:00:00+00:00"
        );
        assert_eq!(
            status_of(
                "Crown Castle Fiber Rescheduled Maintenance Notification: CM1",
                ""
            ),
            Status::Rescheduled
        );
        assert_eq!(
            status_of(
                "Crown Castle Fiber Emergency Maintenance Notification: CM1",
                ""
            ),
            Status::Confirmed
        );
        assert_eq!(impact_of("None"), Some(Impact::NoImpact));
    }
}
