//! Verizon Business "Verizon Maintenance Notification" HTML notices.

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::html::{self, CellText};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, maint, text};

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

static DOWNTIME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(\d+(?:\.\d+)?)\s*(minute|min|hour|hr|day)").ok());

const FORMATS: &[&str] = &[
    "%b %d %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%B %d %Y %H:%M",
    "%B %d %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%Y-%m-%d %H:%M",
];

/// Circuit ids from the rows right below the first header row (in document
/// order) with a `Circuit ID` cell, in the same table.
fn html_circuits(email: &Email) -> Vec<String> {
    let runs = html::email_runs(email, CellText::Spaced);
    let Some(grid) = runs.iter().find_map(|t| t.grid("Circuit ID")) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for row in grid.rows {
        let Some(id) = grid
            .cell(row, "Circuit ID")
            .filter(|s| !s.starts_with("---"))
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

/// `Attention:` words, first match wins (`not completed` before `completed`).
const STATUS_WORDS: Rules<Status> = &[
    (
        Status::Cancelled,
        &["cancel", "not completed", "not be performed"],
    ),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["completed"]),
    (Status::InProcess, &["started", "in progress"]),
];

/// Status from the `Attention:` paragraph(s).
pub fn status_of(attention: &str) -> Status {
    words::first(attention, STATUS_WORDS).unwrap_or(Status::Confirmed)
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
        m.account = text::dear(body)
            .map(|name| name.trim().to_string())
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
        maint::per_window_or_cancelled(m, windows)
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
