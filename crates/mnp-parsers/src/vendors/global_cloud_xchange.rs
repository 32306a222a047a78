//! Global Cloud Xchange (GCX) "Service Advisory Notice" HTML notices.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::html::{self, CellText, Grid, Table};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, maint, text, tz};

const DOC: &str = "\
# Routing
Sender domains `globalcloudxchange.com` (`Gnoc@globalcloudxchange.com`) and
`gcxworld.com` (`change@gcxworld.com`, the Reply-To); subject
`<ref> | <kind> | Service Advisory Notice | <summary> | <start> - <end>`.
Copies without the sender are claimed by content: `Global Cloud Xchange`
together with a `Service ID` table.

# Formats
Pipe-separated subject: reference (`PE2024020844407`), kind (`Scheduled`,
`Emergency`, `Cancelled`, `Rescheduled`, `Completed`...), `Service Advisory
Notice`, a short summary and the window (`12-Feb-2024 09:00 (GMT) -
12-Feb-2024 17:00 (GMT)`). HTML body: `Dear <customer>,`, a description, an
`Impact:` line, a schedule table (`Window`, `Primary Start Date (GMT)`,
`Primary End Date (GMT)`, `Backup Start Date (GMT)`, `Backup End Date (GMT)`)
and a `Service ID` / `Impact` table.

# Quirks
Every schedule row is a window, so a notice with several rows gives several
maintenances with the same reference; the subject window is used when the
table is missing. The zone is read from the column header (`(GMT)`).
Impact words: `At Risk` → REDUCED-REDUNDANCY, `No Impact` → NO-IMPACT,
`Degraded` → DEGRADED, anything else (`Outage`, `Service Affecting`, a
duration) → OUTAGE; a circuit row without an impact takes the body's
`Impact:` line. Status from the subject kind: `Emergency`, `Scheduled`,
`Planned`, `Reminder`, `Update` → CONFIRMED, `Cancel...` → CANCELLED,
`Reschedul...`/`Postpone...` → RE-SCHEDULED, `Complete...` → COMPLETED,
`Start...`/`In Progress` → IN-PROCESS. The account is the `Dear ...,` name.

# Known gaps
Backup (contingency) windows are not emitted: they only apply if the primary
window fails, which a later notice announces.
";

/// Global Cloud Xchange parser.
pub struct GlobalCloudXchange;

inventory::submit! {
    ParserDescriptor {
        id: "global-cloud-xchange",
        carrier: "Global Cloud Xchange (GCX)",
        senders: &["globalcloudxchange.com", "gcxworld.com"],
        subjects: &[r"^\s*[A-Z]{2}\d{6,}\s*\|.*\|\s*Service Advisory Notice\s*\|"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &GlobalCloudXchange,
    }
}

static SUBJECT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?:RE|FW|FWD)\s*:\s*)*([A-Z]{2}\d{6,})\s*\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*(?:\|\s*(.*?)\s*)?$").ok()
});
static ZONE_IN_HEADER: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\(([^)]+)\)").ok());

const FORMATS: &[&str] = &[
    "%d-%b-%Y %H:%M",
    "%d-%b-%Y %H:%M:%S",
    "%d-%B-%Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
];

/// The first row (in document order) with a cell matching `is_header`, and
/// the rows right below it in the same table.
fn table_below(runs: &[Table], is_header: impl Fn(&str) -> bool) -> Option<Grid<'_>> {
    runs.iter().find_map(|t| t.grid_by(&is_header))
}

fn col(header: &[String], want: impl Fn(&str) -> bool) -> Option<usize> {
    header.iter().position(|h| want(&h.to_ascii_lowercase()))
}

/// GCX impact words, first match wins; a plain `none` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (Impact::NoImpact, &["no impact", "no service impact"]),
    (
        Impact::ReducedRedundancy,
        &["at risk", "redundan", "resilien"],
    ),
    (Impact::Degraded, &["degrad"]),
];

/// Subject kind words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["complete"]),
    (Status::InProcess, &["start", "progress"]),
];

/// A GCX impact word as an [`Impact`].
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["none"]) {
        return Impact::NoImpact;
    }
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// The subject's kind word as a [`Status`].
pub fn status_of(kind: &str) -> Status {
    words::first(kind, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

fn parse_time(s: &str, header: &str, field: &'static str) -> Result<DateTime<Utc>> {
    let zone = ZONE_IN_HEADER
        .as_ref()
        .and_then(|r| r.captures(header))
        .and_then(|c| c.get(1))
        .and_then(|g| tz::zone_by_name(g.as_str()));
    dates::parse_datetime(s, FORMATS, zone, field)
}

/// Windows of the schedule table: (primary start, primary end) per row.
fn table_windows(runs: &[Table]) -> Result<Vec<Window>> {
    let Some(grid) = table_below(runs, |c| c.to_ascii_lowercase().contains("primary start")) else {
        return Ok(Vec::new());
    };
    let (Some(bi), Some(ei)) = (
        col(grid.header, |h| h.contains("primary start")),
        col(grid.header, |h| h.contains("primary end")),
    ) else {
        return Ok(Vec::new());
    };
    let bh = grid.header.get(bi).map(String::as_str).unwrap_or("");
    let eh = grid.header.get(ei).map(String::as_str).unwrap_or("");
    let mut out = Vec::new();
    for row in grid.rows {
        let (Some(b), Some(e)) = (row.get(bi), row.get(ei)) else {
            continue;
        };
        if b.is_empty() || b.eq_ignore_ascii_case("NA") || b.eq_ignore_ascii_case("N/A") {
            continue;
        }
        let w = Window::new(parse_time(b, bh, "begin")?, parse_time(e, eh, "end")?)?;
        if !out.contains(&w) {
            out.push(w);
        }
    }
    Ok(out)
}

/// The window written in the subject: `12-Feb-2024 09:00 (GMT) - 12-Feb-2024 17:00 (GMT)`.
fn subject_window(s: &str) -> Result<Option<Window>> {
    let Some((b, e)) = s
        .split_once(") - ")
        .map(|(b, e)| (format!("{b})"), e.to_string()))
    else {
        return Ok(None);
    };
    Ok(Some(Window::new(
        dates::parse_datetime(&b, FORMATS, None, "begin")?,
        dates::parse_datetime(&e, FORMATS, None, "end")?,
    )?))
}

fn circuits(runs: &[Table], default: Impact) -> Vec<CircuitImpact> {
    let Some(grid) = table_below(runs, |c| c.eq_ignore_ascii_case("Service ID")) else {
        return Vec::new();
    };
    let Some(ci) = col(grid.header, |h| h == "service id") else {
        return Vec::new();
    };
    let ii = col(grid.header, |h| h.contains("impact"));
    let mut out: Vec<CircuitImpact> = Vec::new();
    for row in grid.rows {
        let Some(id) = row.get(ci).map(|s| s.trim()).filter(|s| !s.is_empty()) else {
            continue;
        };
        let impact = ii
            .and_then(|i| row.get(i))
            .filter(|s| !s.trim().is_empty())
            .map(|s| impact_of(s))
            .unwrap_or(default);
        for part in id
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let c = CircuitImpact::new(part, impact);
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

impl VendorParser for GlobalCloudXchange {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let subject = SUBJECT.as_ref().and_then(|r| r.captures(&email.subject));
        let runs = html::email_runs(email, CellText::Spaced);
        let has_services = table_below(&runs, |c| c.eq_ignore_ascii_case("Service ID")).is_some();
        let Some(subject) = subject else {
            if has_services {
                return Err(Error::MissingField {
                    field: "maintenance_id",
                });
            }
            return Err(Error::not_maintenance("no GCX service advisory reference"));
        };
        let get = |i| subject.get(i).map(|g| g.as_str().trim()).unwrap_or("");
        let body = email.text();
        let mut m = Maintenance::new("globalcloudxchange");
        m.organizer = "Gnoc@globalcloudxchange.com".into();
        m.maintenance_id = get(1).to_string();
        m.status = status_of(get(2));
        m.summary = get(4).to_string();
        m.stamp = email.date;
        m.account = text::dear(body)
            .map(|name| name.trim().to_string())
            .unwrap_or_default();
        let body_impact = body
            .lines()
            .find_map(|l| l.trim().strip_prefix("Impact:"))
            .map(impact_of)
            .unwrap_or(Impact::Outage);
        m.circuits = circuits(&runs, body_impact);
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        let mut windows = table_windows(&runs)?;
        if windows.is_empty() {
            windows.extend(subject_window(get(5))?);
        }
        maint::per_window_or_cancelled(m, windows)
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Global Cloud Xchange") && t.contains("Service ID")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, html: &str) -> Email {
        let raw = format!(
            "From: Gnoc@globalcloudxchange.com\nSubject: {subject}\nDate: Mon, 4 Mar 2024 10:00:00 +0000\nContent-Type: text/html; charset=UTF-8\n\n{html}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const HTML: &str = "<div>Dear Northwind Telecom,<br/><br/>Fibre repair.<br/>Impact: Outage<br/></div>\
        <table><tr><td>Window</td><td>Primary Start Date (GMT) </td><td>Primary End Date (GMT) </td><td>Backup Start Date (GMT) </td><td>Backup End Date (GMT) </td></tr>\
        <tr><td>1</td><td>18-Mar-2024 20:00</td><td>19-Mar-2024 02:00</td><td>NA</td><td>NA</td></tr>\
        <tr><td>2</td><td>20-Mar-2024 20:00</td><td>21-Mar-2024 02:00</td><td>NA</td><td>NA</td></tr></table>\
        <table><tr><td>Service ID</td><td>Impact</td></tr><tr><td>IPLC40021 </td><td>At Risk</td></tr><tr><td>IPLC40022</td><td></td></tr></table>\
        <p>Please contact the Global Cloud Xchange GNOC.</p>";

    #[test]
    fn two_schedule_rows_two_maintenances() {
        let ms = GlobalCloudXchange
            .parse(&mail("PE2024031100123 | Scheduled | Service Advisory Notice | Fibre Repair | 18-Mar-2024 20:00 (GMT) - 19-Mar-2024 02:00 (GMT)", HTML))
            .unwrap();
        assert_eq!(ms.len(), 2);
        assert!(
            ms.iter()
                .all(|m| m.maintenance_id == "PE2024031100123" && m.status == Status::Confirmed)
        );
        assert_eq!(
            ms[1].window.unwrap().begin().to_rfc3339(),
            "2024-03-20T20:00:00+00:00"
        );
        assert_eq!(ms[0].account, "Northwind Telecom");
        // the empty impact cell takes the body's "Impact: Outage"
        assert_eq!(
            ms[0].circuits,
            vec![
                CircuitImpact::new("IPLC40021", Impact::ReducedRedundancy),
                CircuitImpact::new("IPLC40022", Impact::Outage)
            ]
        );
    }

    #[test]
    fn statuses_and_impacts() {
        assert_eq!(status_of("Emergency"), Status::Confirmed);
        assert_eq!(status_of("Cancellation"), Status::Cancelled);
        assert_eq!(status_of("Rescheduled"), Status::Rescheduled);
        assert_eq!(status_of("Completed"), Status::Completed);
        assert_eq!(impact_of("At Risk"), Impact::ReducedRedundancy);
        assert_eq!(impact_of("No Impact"), Impact::NoImpact);
        assert_eq!(impact_of("Outage - 4 Hours"), Impact::Outage);
    }

    #[test]
    fn subject_window_is_the_fallback() {
        let w = subject_window("12-Feb-2024 09:00 (GMT) - 12-Feb-2024 17:00 (GMT)")
            .unwrap()
            .unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-02-12T09:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-02-12T17:00:00+00:00");
    }

    #[test]
    fn newsletter_is_not_maintenance() {
        let e = GlobalCloudXchange
            .parse(&mail("GCX quarterly update", "<p>News from GCX</p>"))
            .unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
