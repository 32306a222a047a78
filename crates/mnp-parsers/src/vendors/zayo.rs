//! Zayo "Maintenance Notification" mails (HTML with a plain-text twin).

use std::sync::LazyLock;

use crate::helpers::html::{self, CellText};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, maint, text, tz};
use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

const DOC: &str = "\
# Routing
Sender domain `zayo.com` (`mr@zayo.com`); subjects such as
`***Customer***ZAYO TTN-0001234567 Planned***` or `START MAINTENANCE
NOTIFICATION***...`; content signature: the `Zayo Maintenance Notification`
title or a `Maintenance Ticket #: TTN-...` line next to a `zayo.com` address.

# Formats
HTML (read first: the plain-text twin has been seen to carry a different
ticket number) with bold labels `Maintenance Ticket #:`, `Urgency:`,
`Date Notice Sent:`, `Customer:`, `Reason for Maintenance:`; a `Maintenance
Window` block with one or more `Nth Activity Date` headings, each followed by
the window in local time and in GMT (`25-Sep-2020 00:01 to 25-Sep-2020 05:00
( Pacific )`); a `Circuit(s) Affected` table with `Circuit Id` and `Expected
Impact` columns. Mails without HTML are read from the plain text.

# Quirks
Every `Activity Date` is one maintenance with the same ticket id (a
three-night splice job gives three). The GMT line of a block is used; without
it the local line is converted (`Pacific`, `Eastern`... follow US DST rules).
Circuit ids are kept as written, inner spaces included (`/OGYX/123456/   /ZYO
/`), as the notice writes them. Status: `Cancellation` /
`has cancelled` → CANCELLED, `START MAINTENANCE` / `commencing` → IN-PROCESS,
`COMPLETED MAINTENANCE` / `END OF WINDOW` / `has been completed` → COMPLETED,
`RESCHEDULE` → RE-SCHEDULED, anything else (Planned, Demand, Emergency,
Courtesy urgencies) → CONFIRMED; the body words are only read above the
`Maintenance Ticket #` line, since the reason text below may say `before
commencing` of a planned job. Impact: `Hard Down`/`Switch Hit`/outage →
OUTAGE, `No Expected Impact` → NO-IMPACT, `Protected`/redundancy →
REDUCED-REDUNDANCY, degradation → DEGRADED. The account is the `Customer:`
line, else the `***Customer***` part of the subject (start/complete notices
have no `Customer:` line).

# Known gaps
A `Backup Date` block is a contingency window only used if the first
attempt fails; it is not emitted (Zayo sends a new notice when it is used).
";

/// Zayo parser.
pub struct Zayo;

inventory::submit! {
    ParserDescriptor {
        id: "zayo",
        carrier: "Zayo",
        senders: &["zayo.com"],
        subjects: &[r"\bZAYO\s+TTN-\d+", r"\bZayo\b.*\bmaintenance\b"],
        formats: &["html", "text"],
        doc: DOC,
        fallback: false,
        parser: &Zayo,
    }
}

static WINDOW: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(\d{1,2}-[a-z]{3}-\d{4}\s+\d{1,2}:\d{2})\s+to\s+(\d{1,2}-[a-z]{3}-\d{4}\s+\d{1,2}:\d{2})\s*\(\s*([^)]*?)\s*\)",
    )
    .ok()
});
static TICKET: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)\bTTN-\d+").ok());
static SUBJECT_ACCOUNT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\*\*\*([^*]+?)\*\*\*\s*ZAYO\s+TTN-").ok());

const WINDOW_FORMATS: &[&str] = &["%d-%b-%Y %H:%M"];

/// Which block of the `Maintenance Window` section a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Activity,
    Backup,
}

/// One `Activity Date` block: its window lines as (begin, end, zone text).
type WindowLines = Vec<(String, String, String)>;

/// The window of one block: the GMT/UTC line, else the first line whose zone resolves.
fn block_window(lines: &WindowLines) -> Result<Window> {
    let is_utc = |z: &str| matches!(z.trim().to_ascii_uppercase().as_str(), "GMT" | "UTC" | "UT");
    let pick = lines
        .iter()
        .find(|(_, _, z)| is_utc(z))
        .or_else(|| lines.iter().find(|(_, _, z)| tz::zone_by_name(z).is_some()));
    let Some((b, e, z)) = pick else {
        let z = lines.first().map(|(_, _, z)| z.as_str()).unwrap_or("");
        return Err(Error::bad_value("window", z, "no known time zone"));
    };
    let zone =
        tz::zone_by_name(z).ok_or_else(|| Error::bad_value("window", z, "unknown time zone"))?;
    Window::new(
        dates::parse_datetime(b, WINDOW_FORMATS, Some(zone), "begin")?,
        dates::parse_datetime(e, WINDOW_FORMATS, Some(zone), "end")?,
    )
}

/// Window blocks in order, `Backup Date` blocks dropped.
fn activity_blocks(body: &str) -> Vec<WindowLines> {
    let Some(re) = WINDOW.as_ref() else {
        return Vec::new();
    };
    let mut blocks: Vec<(Block, WindowLines)> = Vec::new();
    for line in body.lines() {
        let l = line.to_ascii_lowercase();
        if l.contains("activity date") {
            blocks.push((Block::Activity, Vec::new()));
            continue;
        }
        if l.contains("backup date") {
            blocks.push((Block::Backup, Vec::new()));
            continue;
        }
        let Some(c) = re.captures(line) else { continue };
        let (Some(b), Some(e), Some(z)) = (c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        if blocks.is_empty() {
            // a window without any heading: one implicit activity block
            blocks.push((Block::Activity, Vec::new()));
        }
        if let Some((_, lines)) = blocks.last_mut() {
            lines.push((
                b.as_str().to_string(),
                e.as_str().to_string(),
                z.as_str().to_string(),
            ));
        }
    }
    blocks
        .into_iter()
        .filter(|(k, l)| *k == Block::Activity && !l.is_empty())
        .map(|(_, l)| l)
        .collect()
}

/// Status from the subject and the notice's opening sentences. Only the part
/// above `Maintenance Ticket #` is read: the reason text below it may say
/// "before commencing construction" without the work having started.
fn status_of(subject: &str, body: &str) -> Status {
    let s = subject.to_ascii_uppercase();
    let b = body.to_ascii_lowercase();
    let b = b.split("maintenance ticket").next().unwrap_or("");
    if s.contains("CANCEL")
        || b.contains("cancellation of maintenance")
        || b.contains("has cancelled")
    {
        Status::Cancelled
    } else if s.contains("COMPLETED MAINTENANCE")
        || s.contains("END OF WINDOW")
        || b.contains("has been completed")
        || b.contains("window has ended")
    {
        Status::Completed
    } else if s.contains("START MAINTENANCE")
        || b.contains("commencing")
        || b.contains("has started")
    {
        Status::InProcess
    } else if s.contains("RESCHEDULE")
        || b.contains("has rescheduled")
        || b.contains("has been rescheduled")
    {
        Status::Rescheduled
    } else {
        Status::Confirmed
    }
}

/// `Expected Impact` words, first match wins; a plain `none` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (Impact::NoImpact, &["no expected impact", "no impact"]),
    (Impact::ReducedRedundancy, &["protect", "redundan"]),
    (Impact::Degraded, &["degrad", "latency"]),
];

/// Zayo's `Expected Impact` cell as an impact.
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["none"]) {
        return Impact::NoImpact;
    }
    // Hard Down, Switch Hit, outage, or words we do not know: assume the worst
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// Circuits from the `Circuit Id` / `Expected Impact` table of the HTML.
fn html_circuits(email: &Email) -> Vec<CircuitImpact> {
    let mut out = Vec::new();
    // cell text as written: circuit ids keep their inner spaces
    for table in html::email_tables(email, CellText::AsWritten) {
        let Some(grid) = table.grid("circuit id") else {
            continue;
        };
        for row in grid.rows {
            let Some(id) = grid.cell(row, "circuit id") else {
                continue;
            };
            let impact = grid
                .cell(row, "expected impact")
                .map(impact_of)
                .unwrap_or(Impact::Outage);
            out.push(CircuitImpact::new(id, impact));
        }
    }
    out
}

/// Circuits from a plain-text body: in the `Circuit(s) Affected` section, a
/// line (or first tab cell) directly followed by an impact text.
fn text_circuits(body: &str) -> Vec<CircuitImpact> {
    let lines: Vec<&str> = body
        .lines()
        .skip_while(|l| !l.to_ascii_lowercase().contains("circuit(s) affected"))
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take_while(|l| {
            let l = l.to_ascii_lowercase();
            !l.starts_with("please contact") && !l.starts_with("if you have any questions")
        })
        .collect();
    let impactish = |s: &str| {
        let l = s.to_ascii_lowercase();
        l.contains("hard down")
            || l.contains("impact")
            || l.contains("switch hit")
            || l.contains("outage")
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut cells = line.split('\t').map(str::trim);
        let first = cells.next().unwrap_or("");
        if first.eq_ignore_ascii_case("circuit id") || impactish(first) {
            continue;
        }
        let impact = match cells.next() {
            Some(second) => second.to_string(),
            None => lines.get(i + 1).map(|s| s.to_string()).unwrap_or_default(),
        };
        if impactish(&impact) && !first.is_empty() {
            out.push(CircuitImpact::new(first, impact_of(&impact)));
        }
    }
    out
}

fn notice_date(body: &str) -> Option<DateTime<Utc>> {
    let v = text::label_value(body, &["Date Notice Sent"])?;
    dates::parse_utc(&v, &["%d-%b-%Y"], "stamp").ok()
}

impl VendorParser for Zayo {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = text::html_text_or_plain(email);
        let ticket = text::label_value(&body, &["Maintenance Ticket #", "Maintenance Ticket"]);
        let subject_ticket = TICKET
            .as_ref()
            .and_then(|r| r.find(&email.subject))
            .map(|m| m.as_str().to_string());
        let Some(id) = ticket
            .or(subject_ticket)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
        else {
            return Err(Error::not_maintenance("no Zayo maintenance ticket number"));
        };
        let mut base = Maintenance::new("zayo");
        base.maintenance_id = id;
        base.organizer = "mr@zayo.com".into();
        base.status = status_of(&email.subject, &body);
        base.account = text::label_value(&body, &["Customer:"])
            .or_else(|| {
                SUBJECT_ACCOUNT
                    .as_ref()?
                    .captures(&email.subject)?
                    .get(1)
                    .map(|m| m.as_str().trim().to_string())
            })
            .unwrap_or_default();
        base.summary = text::label_value(&body, &["Reason for Maintenance"]).unwrap_or_default();
        base.stamp = notice_date(&body).or(email.date);
        let mut circuits = html_circuits(email);
        if circuits.is_empty() {
            circuits = text_circuits(email.text());
        }
        if circuits.is_empty() && base.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        base.circuits = circuits;
        let windows = activity_blocks(&body)
            .iter()
            .map(block_window)
            .collect::<Result<Vec<_>>>()?;
        maint::per_window_or_cancelled(base, windows)
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Zayo Maintenance Notification")
            || (t.contains("Maintenance Ticket #")
                && t.contains("TTN-")
                && t.to_ascii_lowercase().contains("zayo.com"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, html: &str) -> Email {
        let raw = format!(
            "From: MR Zayo <mr@zayo.com>\r\nSubject: {subject}\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const TABLE: &str = "<br><br><b>Circuit(s) Affected: </b><br><table><tr><th>Circuit Id</th><th>Expected Impact</th></tr>\
        <tr><td>/IPYX/765432/   /ZYO /</td><td>Switch Hit - up to 15 minutes</td></tr>\
        <tr><td> CUST-7 </td><td>No Expected Impact</td></tr></table>";

    #[test]
    fn two_activity_dates_give_two_maintenances_and_backup_is_dropped() {
        let html = format!(
            "<b>Maintenance Ticket #: </b> TTN-0009876543<br><br><b>Customer: </b> Acme<br><br>\
             <b>1<sup>st</sup> Activity Date </b><br>12-Mar-2024 00:01 to 12-Mar-2024 04:00 ( Eastern )<br> 12-Mar-2024 04:01 to 12-Mar-2024 08:00 ( GMT )\
             <br><br><b>2<sup>nd</sup> Activity Date </b><br>13-Mar-2024 00:01 to 13-Mar-2024 04:00 ( Eastern )\
             <br><br><b>Backup Date </b><br>14-Mar-2024 00:01 to 14-Mar-2024 04:00 ( Eastern ){TABLE}"
        );
        let ms = Zayo
            .parse(&mail("***Acme***ZAYO TTN-0009876543 Planned***", &html))
            .unwrap();
        assert_eq!(ms.len(), 2);
        let w0 = ms[0].window.unwrap();
        assert_eq!(w0.begin().to_rfc3339(), "2024-03-12T04:01:00+00:00");
        assert_eq!(w0.end().to_rfc3339(), "2024-03-12T08:00:00+00:00");
        // no GMT line in the 2nd block: Eastern on 13 March 2024 is EDT (UTC-4)
        let w1 = ms[1].window.unwrap();
        assert_eq!(w1.begin().to_rfc3339(), "2024-03-13T04:01:00+00:00");
        assert_eq!(w1.end().to_rfc3339(), "2024-03-13T08:00:00+00:00");
        assert!(
            ms.iter()
                .all(|m| m.maintenance_id == "TTN-0009876543" && m.status == Status::Confirmed)
        );
        assert_eq!(
            ms[0].circuits,
            vec![
                CircuitImpact::new("/IPYX/765432/   /ZYO /", Impact::Outage),
                CircuitImpact::new("CUST-7", Impact::NoImpact)
            ]
        );
    }

    #[test]
    fn status_words() {
        assert_eq!(
            status_of(
                "START MAINTENANCE NOTIFICATION***A***ZAYO TTN-1 Planned***",
                ""
            ),
            Status::InProcess
        );
        assert_eq!(
            status_of(
                "COMPLETED MAINTENANCE NOTIFICATION***A***ZAYO TTN-1 Planned***",
                ""
            ),
            Status::Completed
        );
        assert_eq!(
            status_of("END OF WINDOW NOTIFICATION***A***ZAYO TTN-1 Planned***", ""),
            Status::Completed
        );
        assert_eq!(
            status_of("CANCELLED NOTIFICATION***A***ZAYO TTN-1 Planned***", ""),
            Status::Cancelled
        );
        assert_eq!(
            status_of(
                "x",
                "** Please note Cancellation of Maintenance Notification **"
            ),
            Status::Cancelled
        );
        assert_eq!(
            status_of("RESCHEDULE NOTIFICATION***A***ZAYO TTN-1 Planned***", ""),
            Status::Rescheduled
        );
        assert_eq!(
            status_of(
                "***A***ZAYO TTN-1 Emergency***",
                "will be performing maintenance"
            ),
            Status::Confirmed
        );
        // words below the ticket line (reason text) do not change the status
        let body = "will be performing maintenance\nMaintenance Ticket #: TTN-1\n\
                    Reason for Maintenance: relocation before commencing road works";
        assert_eq!(
            status_of("***A***ZAYO TTN-1 Planned***", body),
            Status::Confirmed
        );
    }

    #[test]
    fn account_from_subject_and_not_maintenance() {
        let html = format!(
            "Please be advised that the below scheduled maintenance activity will be commencing momentarily.<br><br>\
             <b>Maintenance Ticket #: </b> TTN-0000000042<br><br><b>1<sup>st</sup> Activity Date </b><br>\
             05-Jan-2024 23:00 to 06-Jan-2024 03:00 ( GMT ){TABLE}"
        );
        let ms = Zayo
            .parse(&mail(
                "START MAINTENANCE NOTIFICATION***Beta Corp***ZAYO TTN-0000000042 Courtesy***",
                &html,
            ))
            .unwrap();
        assert_eq!(ms[0].account, "Beta Corp");
        assert_eq!(ms[0].status, Status::InProcess);
        assert_eq!(
            ms[0].window.unwrap().end().to_rfc3339(),
            "2024-01-06T03:00:00+00:00"
        );
        let news = mail(
            "Zayo Q1 product update",
            "<p>Our network keeps growing.</p>",
        );
        assert!(matches!(
            Zayo.parse(&news),
            Err(Error::NotMaintenance { .. })
        ));
    }
}
