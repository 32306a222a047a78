//! Lumen (formerly CenturyLink / Level 3) "Scheduled Maintenance" HTML notices.

use std::sync::LazyLock;

use crate::helpers::html::{self, CellText, Table};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text};
use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

const DOC: &str = "\
# Routing
Sender domains `lumen.com` (`smc@lumen.com`), `centurylink.com`, `level3.com`;
subjects naming Lumen or Level 3 and a maintenance; content signature: a
`Scheduled Maintenance (Window) #:` heading in a mail that names Lumen or
links to level3.com.

# Formats
HTML: `Scheduled Maintenance Window #: <id>` (or `Scheduled Maintenance #:`),
`Summary:`, `Updates:` (one `YYYY-MM-DD HH:MM:SS GMT - <event>` line per
update, newest first), then `Customer Impact:` with one block per window:
the window id (`<id>-1`, `<id>-2`...), a `Start | End` table with the window
in GMT and in the location's zone, `Maintenance Location(s)`, and an impact
table (`Customer Name`, `Circuit ID`, `Alt Circuit ID`, `Impact Type`,
`Maximum Duration`, optionally `Status`).

# Quirks
Each window block is one maintenance, all with the heading's id (the block
ids `<id>-N` name windows of the same maintenance). A block without its own
impact table takes the circuits of the next block that has one. The GMT row
of a window table is used; otherwise the local row with its abbreviation
(`MDT`, `EDT`, `BRT`...). A circuit whose `Circuit ID` is `_`, `N/A` or empty
is identified by its `Alt Circuit ID`. Status, per block: the row `Status`
column (`Completed` → COMPLETED, `Alternate Night` / `Postponed` →
RE-SCHEDULED, `Not Completed` / `Cancelled` → CANCELLED, `In Progress` →
IN-PROCESS); else the block prose (`completed successfully`, `alternate
night`); else the newest `Updates:` line (`is scheduled` → CONFIRMED, `has
begun` → IN-PROCESS, `has ended` → COMPLETED, cancelled, postponed or
rescheduled); else the subject; else CONFIRMED. `EMERGENCY` / `ESSENTIAL`
designations do not change the status. Impact: `Outage`/`Switch Hit`/unknown
→ OUTAGE, `No Impact`/`None` → NO-IMPACT, degradation → DEGRADED,
redundancy/protected → REDUCED-REDUNDANCY.

# Known gaps
The first notice of a job says `Scheduled Maintenance #: 55501234` while
window-level updates say `Scheduled Maintenance Window #: 55501234-1`; both
ids are kept as written, so linking an update to its announcement is left to
the store (prefix match).

The block prose is read from the whole notice, not per block: a notice that
mixes a completed and an alternate-night block without a `Status` column
gets the same status for both.
";

/// Lumen parser.
pub struct Lumen;

inventory::submit! {
    ParserDescriptor {
        id: "lumen",
        carrier: "Lumen Technologies",
        senders: &["lumen.com", "centurylink.com", "level3.com"],
        subjects: &[r"\bLumen\b.*\bmaintenance\b", r"\bLevel\s?3\b.*\bmaintenance\b"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Lumen,
    }
}

static HEADING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)Scheduled\s+Maintenance(?:\s+Window)?\s*#\s*:?\s*([0-9A-Za-z][0-9A-Za-z-]*)")
        .ok()
});
static UPDATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s*(?:GMT|UTC)\s*-\s*(.+?)\s*$").ok()
});
static PARENS: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\([^)]*\)").ok());

/// One window block of the `Customer Impact` section.
#[derive(Debug, Default)]
struct Block {
    window: Option<Window>,
    rows: Vec<Row>,
}

/// One row of an impact table.
#[derive(Debug, Clone)]
struct Row {
    account: String,
    circuit: String,
    impact: Impact,
    status: String,
}

/// `Impact Type` words, first match wins; a plain `none` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (Impact::NoImpact, &["no impact", "no expected impact"]),
    (Impact::Degraded, &["degrad", "latency"]),
    (Impact::ReducedRedundancy, &["redundan", "protect"]),
];

/// Lumen's `Impact Type` cell as an impact.
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["none"]) {
        return Impact::NoImpact;
    }
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// Row `Status` words, first match wins (`not completed` is a cancellation).
const ROW_STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["not completed", "cancel"]),
    (Status::Completed, &["completed", "complete"]),
    (Status::Rescheduled, &["alternate", "postpone", "reschedul"]),
    (Status::InProcess, &["progress", "started", "begun"]),
    (Status::Confirmed, &["scheduled", "confirmed"]),
];

/// A row `Status` cell as a status (None when empty or unknown).
fn row_status(s: &str) -> Option<Status> {
    words::first(s, ROW_STATUS_WORDS)
}

/// `Updates:` event words, first match wins.
const UPDATE_STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["postpone", "reschedul"]),
    (Status::Completed, &["has ended", "completed"]),
    (
        Status::InProcess,
        &["has begun", "has started", "extended", "in progress"],
    ),
    (Status::Confirmed, &["is scheduled", "has been scheduled"]),
];

/// An `Updates:` event text as a status.
fn update_status(s: &str) -> Option<Status> {
    words::first(s, UPDATE_STATUS_WORDS)
}

/// The newest `Updates:` line: (timestamp, event text).
fn latest_update(body: &str) -> Option<(DateTime<Utc>, String)> {
    let re = UPDATE.as_ref()?;
    re.captures_iter(body)
        .filter_map(|c| {
            let when =
                dates::parse_utc(c.get(1)?.as_str(), &["%Y-%m-%d %H:%M:%S"], "update").ok()?;
            Some((when, c.get(2)?.as_str().to_string()))
        })
        .max_by_key(|(when, _)| *when)
}

fn parse_cell_time(cell: &str, field: &'static str) -> Result<DateTime<Utc>> {
    let bare = PARENS
        .as_ref()
        .map(|r| r.replace_all(cell, " ").into_owned())
        .unwrap_or_else(|| cell.to_string());
    dates::parse_datetime(&bare, &["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"], None, field)
}

/// The window of a `Start | End` table: the GMT/UTC row, else the first row that parses.
fn table_window(rows: &[Vec<String>]) -> Result<Window> {
    let data: Vec<&Vec<String>> = rows.iter().skip(1).filter(|r| r.len() >= 2).collect();
    let is_utc = |r: &&&Vec<String>| {
        r.first()
            .is_some_and(|c| c.contains("GMT") || c.contains("UTC"))
    };
    let ordered = data
        .iter()
        .filter(is_utc)
        .chain(data.iter().filter(|r| !is_utc(r)));
    let mut first_err = None;
    for row in ordered {
        let (Some(b), Some(e)) = (row.first(), row.get(1)) else {
            continue;
        };
        match parse_cell_time(b, "begin").and_then(|b| Ok((b, parse_cell_time(e, "end")?))) {
            Ok((b, e)) => return Window::new(b, e),
            Err(err) => {
                first_err.get_or_insert(err);
            }
        }
    }
    Err(first_err.unwrap_or(Error::MissingField { field: "window" }))
}

/// The circuit rows of an impact table (`Customer Name | Circuit ID | Alt
/// Circuit ID | Impact Type | ... | Status`); none when it is not one.
fn impact_rows(table: &Table) -> Vec<Row> {
    let Some(grid) = table.grid("circuit id") else {
        return Vec::new();
    };
    let cell = |row: &[String], name: &str| grid.cell(row, name).unwrap_or_default().to_string();
    let usable = |s: &str| {
        !s.is_empty() && !matches!(s.to_ascii_uppercase().as_str(), "_" | "-" | "N/A" | "NA")
    };
    grid.rows
        .iter()
        .filter_map(|row| {
            let main = cell(row, "circuit id");
            let circuit = if usable(&main) {
                main
            } else {
                cell(row, "alt circuit id")
            };
            if !usable(&circuit) {
                return None;
            }
            Some(Row {
                account: cell(row, "customer name"),
                circuit,
                impact: impact_of(&cell(row, "impact type")),
                status: cell(row, "status"),
            })
        })
        .collect()
}

/// The window blocks in document order.
fn blocks(email: &Email) -> Result<Vec<Block>> {
    let mut out: Vec<Block> = Vec::new();
    for table in html::email_tables(email, CellText::AsWritten) {
        let first = table
            .rows
            .first()
            .map(|r| r.iter().map(|c| c.to_ascii_lowercase()).collect::<Vec<_>>());
        let is_window = first.as_deref().is_some_and(|f| {
            f.len() == 2
                && f.first().is_some_and(|c| c == "start")
                && f.get(1).is_some_and(|c| c == "end")
        });
        if is_window {
            out.push(Block {
                window: Some(table_window(&table.rows)?),
                rows: Vec::new(),
            });
            continue;
        }
        let found = impact_rows(&table);
        if found.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(b) => b.rows.extend(found),
            None => out.push(Block {
                window: None,
                rows: found,
            }),
        }
    }
    Ok(out)
}

/// Words of the prose after `Customer Impact`, first match wins.
const PROSE_STATUS_WORDS: Rules<Status> = &[
    (Status::Completed, &["completed successfully"]),
    (Status::Rescheduled, &["alternate night"]),
    (
        Status::Cancelled,
        &["has been cancelled", "has been canceled"],
    ),
];

fn prose_status(body: &str) -> Option<Status> {
    let l = body.to_ascii_lowercase();
    let impact = l.split("customer impact").nth(1).unwrap_or("");
    words::first(impact, PROSE_STATUS_WORDS)
}

/// Subject words, first match wins.
const SUBJECT_STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["complete"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
];

fn subject_status(subject: &str) -> Option<Status> {
    words::first(subject, SUBJECT_STATUS_WORDS)
}

impl VendorParser for Lumen {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = text::html_text_or_plain(email);
        let Some(id) = HEADING
            .as_ref()
            .and_then(|r| r.captures(&body))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
        else {
            return Err(Error::not_maintenance("no Scheduled Maintenance heading"));
        };
        let update = latest_update(&body);
        let fallback_status = prose_status(&body)
            .or_else(|| update.as_ref().and_then(|(_, u)| update_status(u)))
            .or_else(|| subject_status(&email.subject))
            .unwrap_or(Status::Confirmed);
        let mut base = Maintenance::new("lumen");
        base.maintenance_id = id;
        base.organizer = "smc@lumen.com".into();
        base.summary = text::label_value(&body, &["Summary"]).unwrap_or_default();
        base.stamp = update.as_ref().map(|(w, _)| *w).or(email.date);

        let mut blocks = blocks(email)?;
        // a window without its own impact table shares the next table's circuits
        for i in (0..blocks.len()).rev() {
            let empty = blocks.get(i).is_some_and(|b| b.rows.is_empty());
            if !empty {
                continue;
            }
            let donor: Vec<Row> = blocks
                .iter()
                .skip(i + 1)
                .find(|b| !b.rows.is_empty())
                .map(|b| b.rows.clone())
                .unwrap_or_default();
            if let Some(b) = blocks.get_mut(i) {
                b.rows = donor;
            }
        }
        if blocks.is_empty() {
            if fallback_status == Status::Cancelled {
                base.status = Status::Cancelled;
                return Ok(vec![base]);
            }
            return Err(Error::MissingField { field: "window" });
        }
        let mut out = Vec::new();
        for b in blocks {
            let mut m = base.clone();
            m.window = b.window;
            m.status = b
                .rows
                .iter()
                .find_map(|r| row_status(&r.status))
                .unwrap_or(fallback_status);
            m.account = b
                .rows
                .iter()
                .map(|r| r.account.as_str())
                .find(|a| !a.is_empty())
                .unwrap_or("")
                .to_string();
            m.circuits = b
                .rows
                .iter()
                .map(|r| CircuitImpact::new(&r.circuit, r.impact))
                .collect();
            if m.window.is_none() && m.status != Status::Cancelled {
                return Err(Error::MissingField { field: "window" });
            }
            if m.circuits.is_empty() && m.status != Status::Cancelled {
                return Err(Error::MissingField { field: "circuits" });
            }
            out.push(m);
        }
        Ok(out)
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        let named = t.contains("Lumen") || t.to_ascii_lowercase().contains("level3.com");
        named && HEADING.as_ref().is_some_and(|r| r.is_match(t)) && t.contains("Customer Impact")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(html: &str) -> Email {
        let raw = format!(
            "From: smc@lumen.com\r\nSubject: Lumen Scheduled Maintenance\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    fn window(id: &str, rows: &[(&str, &str)]) -> String {
        let mut s = format!("<p>{id}</p><table><tr><td>Start</td><td>End</td></tr>");
        for (b, e) in rows {
            s.push_str(&format!("<tr><td>{b}</td><td>{e}</td></tr>"));
        }
        s.push_str("</table>");
        s
    }

    const IMPACT: &str = "<table><tr><td>Customer Name</td><td>Circuit ID</td><td>Alt Circuit ID</td><td>Impact Type</td></tr>\
        <tr><td>Initech</td><td>_</td><td> 441234567 </td><td>Switch Hit</td></tr>\
        <tr><td>Initech</td><td>BBEX/123456//LVL3</td><td>N/A</td><td>No Impact</td></tr></table>";

    #[test]
    fn two_windows_same_id_and_local_zone_fallback() {
        let html = format!(
            "Scheduled Maintenance Window #: 31415926-1<br>Updates:<br>2024-03-01 10:00:00 GMT - This maintenance is scheduled.<br>Customer Impact:<br>{}{IMPACT}{}{IMPACT}",
            window(
                "31415926-1",
                &[(
                    "2024-03-12 05:00 GMT (Greenwich Mean Time)",
                    "2024-03-12 11:00 GMT (Greenwich Mean Time)"
                )]
            ),
            // only a local row: CDT is UTC-5
            window(
                "31415926-2",
                &[(
                    "2024-03-13 00:00 CDT (Central Daylight Time)",
                    "2024-03-13 06:00 CDT (Central Daylight Time)"
                )]
            ),
        );
        let ms = Lumen.parse(&mail(&html)).unwrap();
        assert_eq!(ms.len(), 2);
        assert!(
            ms.iter()
                .all(|m| m.maintenance_id == "31415926-1" && m.status == Status::Confirmed)
        );
        assert_eq!(
            ms[0].window.unwrap().begin().to_rfc3339(),
            "2024-03-12T05:00:00+00:00"
        );
        assert_eq!(
            ms[1].window.unwrap().begin().to_rfc3339(),
            "2024-03-13T05:00:00+00:00"
        );
        assert_eq!(
            ms[1].window.unwrap().end().to_rfc3339(),
            "2024-03-13T11:00:00+00:00"
        );
        assert_eq!(
            ms[0].circuits,
            vec![
                CircuitImpact::new("441234567", Impact::Outage),
                CircuitImpact::new("BBEX/123456//LVL3", Impact::NoImpact)
            ]
        );
        assert_eq!(ms[0].account, "Initech");
    }

    #[test]
    fn newest_update_wins() {
        let body = "Updates:\n2024-03-12 11:02:00 GMT - The scheduled maintenance window 1-1 has ended.\n2024-03-12 05:01:00 GMT - The scheduled maintenance work has begun.\n";
        let (when, what) = latest_update(body).unwrap();
        assert_eq!(when.to_rfc3339(), "2024-03-12T11:02:00+00:00");
        assert_eq!(update_status(&what), Some(Status::Completed));
        assert_eq!(
            update_status("This maintenance is scheduled."),
            Some(Status::Confirmed)
        );
        assert_eq!(
            update_status("The scheduled maintenance work has begun."),
            Some(Status::InProcess)
        );
        assert_eq!(
            update_status("This maintenance has been cancelled."),
            Some(Status::Cancelled)
        );
        assert_eq!(row_status("Alternate Night"), Some(Status::Rescheduled));
        assert_eq!(row_status("Not Completed"), Some(Status::Cancelled));
        assert_eq!(row_status("Completed"), Some(Status::Completed));
    }

    #[test]
    fn not_a_notice() {
        let m = mail("<p>Lumen Customer Portal: your monthly invoice is ready.</p>");
        assert!(matches!(Lumen.parse(&m), Err(Error::NotMaintenance { .. })));
    }
}
