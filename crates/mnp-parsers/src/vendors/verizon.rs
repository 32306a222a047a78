//! Verizon Business "Verizon Maintenance Notification" HTML notices.

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use crate::helpers::{dates, text};

const DOC: &str = "\
# Routing
Sender domains `verizonbusiness.com` (`NO-REPLY-sched-maint@EMEA.verizonbusiness.com`
and the other regional schedulers) and `verizon.com`; subject `Verizon ...
Maintenance`. Copies without the sender are claimed by content: `Verizon
MASTARS Request number`.

# Formats
HTML: `Verizon Maintenance Notification`, `Dear <customer>,`, a letter, an
optional `Attention:` paragraph (cancellation, not completed, rescheduled),
then label/value blocks: `Customer Contact ID:`, `Maintenance Date/Time
(Local):`, `Maintenance Date/Time (GMT):` (`Aug 16 2021 23:01 GMT - Aug 17 2021
05:01 GMT`), `Maintenance Location:`, `Description of Maintenance:`, `Planned
Circuit Downtime:` (`15 Minute(s)`, `5 Hour(s)`), `Verizon MASTARS Request
number:` (the maintenance id), `Verizon MASTARS Event id:`, and a `Circuits
Affected:` table whose columns vary (`Company Name`, `Circuit ID`, `A End`,
`Z End`, `DNS Short Name`, `Expected Outage Window`, ...).

# Quirks
The GMT line is the window; the local line (with its zone abbreviation,
e.g. `BST`, `CDT`) is only the fallback. Several GMT lines give several
maintenances with the same request number. The circuit is the `Circuit ID`
column, read from the HTML table cells so that empty leading cells do not
shift columns. `Planned Circuit Downtime:` becomes `impact_seconds`; a
downtime of zero or `No Impact` gives NO-IMPACT, otherwise OUTAGE. Status from
the `Attention:` paragraph: cancelled or \"was not completed\" → CANCELLED,
rescheduled → RE-SCHEDULED, completed → COMPLETED, started/in progress →
IN-PROCESS, none → CONFIRMED. The account is the `Dear ...,` name.

# Known gaps
Per-circuit `Expected Outage Window` times (local, no date) are not used.
";

/// Verizon parser.
pub struct Verizon;

inventory::submit! {
    ParserDescriptor {
        id: "verizon",
        carrier: "Verizon Business",
        senders: &["verizonbusiness.com", "verizon.com"],
        subjects: &[r"\bVerizon\b.*\bMaintenance\b"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Verizon,
    }
}

static DEAR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*Dear\s+(.+?)\s*,").ok());
static DOWNTIME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(\d+(?:\.\d+)?)\s*(minute|min|hour|hr|day)").ok());
static SEL_TR: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("tr").ok());
static SEL_TABLE: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("table").ok());

const FORMATS: &[&str] = &[
    "%b %d %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%B %d %Y %H:%M",
    "%B %d %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%Y-%m-%d %H:%M",
];

/// A table: (document index, table index in that document).
type TableId = (usize, usize);

/// Table rows of a document as (table, cells), cells whitespace-collapsed.
/// Each row belongs to its nearest enclosing table.
fn rows(doc_index: usize, doc: &Html) -> Vec<(TableId, Vec<String>)> {
    let (Some(table_sel), Some(tr)) = (SEL_TABLE.as_ref(), SEL_TR.as_ref()) else {
        return Vec::new();
    };
    let tables: Vec<ElementRef<'_>> = doc.select(table_sel).collect();
    doc.select(tr)
        .map(|row| {
            let table = row
                .ancestors()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().name() == "table")
                .and_then(|t| tables.iter().position(|x| *x == t))
                .unwrap_or(usize::MAX);
            let cells = row
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|c| {
                    c.text()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            ((doc_index, table), cells)
        })
        .collect()
}

/// Circuit ids from the table whose header row has a `Circuit ID` cell.
fn html_circuits(email: &Email) -> Vec<String> {
    let all: Vec<_> = email
        .html_docs()
        .iter()
        .enumerate()
        .flat_map(|(i, d)| rows(i, d))
        .collect();
    let Some(pos) = all
        .iter()
        .position(|(_, cells)| cells.iter().any(|c| c.eq_ignore_ascii_case("Circuit ID")))
    else {
        return Vec::new();
    };
    let Some((table, header)) = all.get(pos) else {
        return Vec::new();
    };
    let Some(ci) = header
        .iter()
        .position(|c| c.eq_ignore_ascii_case("Circuit ID"))
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for (_, cells) in all.iter().skip(pos + 1).take_while(|(t, _)| t == table) {
        let Some(id) = cells
            .get(ci)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && !s.starts_with("---"))
        else {
            continue;
        };
        if !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// Circuit ids from the rendered text: the tab-separated rows under the
/// `Circuit ID` header line (used when the mail has no HTML table).
fn text_circuits(body: &str) -> Vec<String> {
    let mut lines = body.lines();
    let Some(ci) = lines.by_ref().find_map(|l| {
        l.split('\t')
            .position(|c| c.trim().eq_ignore_ascii_case("Circuit ID"))
    }) else {
        return Vec::new();
    };
    lines
        .take_while(|l| l.contains('\t'))
        .filter_map(|l| l.split('\t').nth(ci).map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Status from the `Attention:` paragraph(s).
pub fn status_of(attention: &str) -> Status {
    let l = attention.to_ascii_lowercase();
    if l.contains("cancel") || l.contains("not completed") || l.contains("not be performed") {
        Status::Cancelled
    } else if l.contains("reschedul") || l.contains("postpone") {
        Status::Rescheduled
    } else if l.contains("completed") {
        Status::Completed
    } else if l.contains("started") || l.contains("in progress") {
        Status::InProcess
    } else {
        Status::Confirmed
    }
}

/// Seconds in `15 Minute(s)`, `5 Hour(s)`, `7 Hours`.
pub fn downtime_seconds(s: &str) -> Option<i64> {
    let c = DOWNTIME.as_ref()?.captures(s)?;
    let n: f64 = c.get(1)?.as_str().parse().ok()?;
    let unit = c.get(2)?.as_str().to_ascii_lowercase();
    let per = if unit.starts_with('m') {
        60.0
    } else if unit.starts_with('d') {
        86_400.0
    } else {
        3_600.0
    };
    Some((n * per).round() as i64)
}

fn parse_range(s: &str) -> Result<Window> {
    let (b, e) = s
        .split_once(" - ")
        .ok_or_else(|| Error::bad_value("window", s, "no ' - ' between begin and end"))?;
    Window::new(
        dates::parse_datetime(b, FORMATS, None, "begin")?,
        dates::parse_datetime(e, FORMATS, None, "end")?,
    )
}

impl VendorParser for Verizon {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let Some(id) = text::label_value(
            body,
            &["Verizon MASTARS Request number", "MASTARS Request number"],
        ) else {
            return Err(Error::not_maintenance("no Verizon MASTARS request number"));
        };
        let mut m = Maintenance::new("verizon");
        m.organizer = email
            .from
            .as_ref()
            .filter(|f| f.domain().contains("verizon"))
            .map(|f| f.address.clone())
            .unwrap_or_else(|| "NO-REPLY-sched-maint@EMEA.verizonbusiness.com".into());
        m.maintenance_id = id;
        m.account = DEAR
            .as_ref()
            .and_then(|r| r.captures(body))
            .and_then(|c| c.get(1))
            .map(|g| g.as_str().trim().to_string())
            .unwrap_or_default();
        let attention: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| l.to_ascii_lowercase().starts_with("attention"))
            .collect();
        m.status = status_of(&attention.join(" "));
        m.summary = text::label_value(body, &["Description of Maintenance"]).unwrap_or_default();
        m.stamp = email.date;
        let downtime = text::label_value(body, &["Planned Circuit Downtime"]);
        m.impact_seconds = downtime.as_deref().and_then(downtime_seconds);
        let impact = match (&downtime, m.impact_seconds) {
            (_, Some(0)) => Impact::NoImpact,
            (Some(d), _) if d.to_ascii_lowercase().contains("no impact") => Impact::NoImpact,
            _ => Impact::Outage,
        };
        let mut ids = html_circuits(email);
        if ids.is_empty() {
            ids = text_circuits(body);
        }
        m.circuits = ids
            .iter()
            .map(|id| CircuitImpact::new(id, impact))
            .collect();
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        let mut ranges = text::label_values(body, &["Maintenance Date/Time (GMT)"]);
        if ranges.is_empty() {
            ranges = text::label_values(
                body,
                &["Maintenance Date/Time (Local)", "Maintenance Date/Time"],
            );
        }
        let mut windows: Vec<Window> = Vec::new();
        for r in &ranges {
            let w = parse_range(r)?;
            if !windows.contains(&w) {
                windows.push(w);
            }
        }
        if windows.is_empty() {
            if m.status == Status::Cancelled {
                return Ok(vec![m]);
            }
            return Err(Error::MissingField { field: "window" });
        }
        Ok(windows
            .into_iter()
            .map(|w| {
                let mut x = m.clone();
                x.window = Some(w);
                x
            })
            .collect())
    }

    fn claims(&self, email: &Email) -> bool {
        email.text().contains("Verizon MASTARS Request number")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(html: &str) -> Email {
        let raw = format!(
            "From: NO-REPLY-sched-maint@US.verizonbusiness.com\nSubject: Verizon Maintenance Notification\nDate: Mon, 4 Mar 2024 10:00:00 +0000\nContent-Type: text/html; charset=utf-8\n\n{html}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    fn html(attention: &str, gmt: &str, local: &str) -> String {
        format!(
            "<p>Verizon Maintenance Notification</p><p>Dear Fabrikam Corp,</p>{attention}\
             <table><tr><td>Maintenance Date/Time (Local):</td></tr><tr><td>{local}</td></tr>{gmt}\
             <tr><td>Planned Circuit Downtime:</td></tr><tr><td>45 Minute(s)</td></tr>\
             <tr><td>Verizon MASTARS Request number:</td></tr><tr><td>554433221-1</td></tr></table>\
             <table><tr><th>Company Name</th><th>Circuit ID</th><th>A End</th></tr>\
             <tr><td></td><td>V7788123</td><td>W1</td></tr><tr><td>FABRIKAM</td><td> V7788124 </td><td>W2</td></tr></table>"
        )
    }

    #[test]
    fn gmt_line_wins_and_empty_cells_do_not_shift_columns() {
        let gmt = "<tr><td>Maintenance Date/Time (GMT):</td></tr><tr><td>Mar 12 2024 05:00 GMT - Mar 12 2024 11:00 GMT</td></tr>";
        let ms = Verizon
            .parse(&mail(&html(
                "",
                gmt,
                "Mar 12 2024 00:00 CDT - Mar 12 2024 06:00 CDT",
            )))
            .unwrap();
        let m = &ms[0];
        assert_eq!(m.status, Status::Confirmed);
        assert_eq!(m.account, "Fabrikam Corp");
        assert_eq!(
            m.window.unwrap().begin().to_rfc3339(),
            "2024-03-12T05:00:00+00:00"
        );
        assert_eq!(m.impact_seconds, Some(2_700));
        let ids: Vec<&str> = m
            .circuits
            .iter()
            .map(|c| c.vendor_circuit_id.as_str())
            .collect();
        assert_eq!(ids, ["V7788123", "V7788124"]);
    }

    #[test]
    fn local_line_with_zone_is_the_fallback() {
        // 00:00 CDT (UTC-5) = 05:00 UTC
        let ms = Verizon
            .parse(&mail(&html(
                "",
                "",
                "Mar 12 2024 00:00 CDT - Mar 12 2024 06:00 CDT",
            )))
            .unwrap();
        let w = ms[0].window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-03-12T05:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-03-12T11:00:00+00:00");
    }

    #[test]
    fn attention_paragraphs() {
        assert_eq!(
            status_of(
                "Attention: Due to unforeseen circumstances, this maintenance was not completed, and may be rescheduled"
            ),
            Status::Cancelled
        );
        assert_eq!(
            status_of(
                "Attention: This request has been rescheduled from Dec 07 2021 19:00 GMT to Dec 07 2021 04:00 GMT"
            ),
            Status::Rescheduled
        );
        assert_eq!(
            status_of("Attention: This maintenance has been cancelled."),
            Status::Cancelled
        );
        assert_eq!(
            status_of("Attention: This maintenance has been completed."),
            Status::Completed
        );
        assert_eq!(status_of(""), Status::Confirmed);
        assert_eq!(downtime_seconds("5 Hour(s)"), Some(18_000));
        assert_eq!(downtime_seconds("7 Hours"), Some(25_200));
    }

    #[test]
    fn survey_is_not_maintenance() {
        let e = Verizon
            .parse(&mail(
                "<p>Tell us how we did: take our 2-minute survey.</p>",
            ))
            .unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
