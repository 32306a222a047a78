//! GTT / EXA Infrastructure "Planned Work Notification" HTML notices.

use std::sync::LazyLock;

use mnp_core::html::stream::{Recording, Sink, attribute};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;
use scraper::{ElementRef, Node, Selector};

use crate::helpers::dates;

const DOC: &str = "\
# Routing
Sender domains `exainfra.net` (EXA Infrastructure, GTT's former
infrastructure business, `InfraCo.CM@exainfra.net`; also the `exa` alias's
domain), `gtt.net` and `gttcorp.org`;
subjects `GTT|EXA (Planned|Emergency) Work Notification`; content signature:
a `Planned Work Notification: <id> - <state>` title with the
`SLID/CCSD` services table.

# Formats
HTML: a title cell `Planned Work Notification: 60543210 - Rescheduled`, a
details table with `Start` / `End` rows (`2021-11-09 04:00:00 GMT`) and
`Location`, the work reason, then a services table with the columns
`Services Affected`, `SLID/CCSD` (the circuit id), `Customer PON` (the
account), `Service Type`, `Expected Impact to your Service` (a duration,
colour-coded) and `Site Address`. Subjects read `GTT Emergency Work
Notification TT 11111111 – Update`.

# Quirks
The state after the title's dash sets the status: `New`, `Reminder` →
CONFIRMED; `Update`, `Reschedule(d)`, `Extension` → RE-SCHEDULED (updates move
or re-scope the work); `Cancelled` → CANCELLED; `Completed`, `Closed` →
COMPLETED; `Started`, `In Progress` → IN-PROCESS. `Emergency` in the subject
does not change the status. The id is the title's number (it can differ from
the subject's `TT` number, which is only the fallback). Rescheduled notices
strike the old time through (`<strike>old</strike><font>new</font>`): struck
text is ignored, and the last date-time in the cell wins. The impact cell's
colour is the impact: red (`#FFCCCC`) service interruption = OUTAGE, yellow
(`#FFE599`) resiliency loss = REDUCED-REDUNDANCY; `0 min` or `No impact` is
NO-IMPACT; no colour = OUTAGE. Times without a zone are GMT, as every GTT
notice states. Cancellations carry no Start/End rows: no window.

# Known gaps
Plain-text-only GTT notices are read from the rendered text, without colours
(impact then comes from the cell text only).
";

/// GTT / EXA parser.
pub struct Gtt;

inventory::submit! {
    ParserDescriptor {
        id: "gtt",
        carrier: "GTT / EXA Infrastructure",
        senders: &["exainfra.net", "gtt.net", "gttcorp.org"],
        subjects: &[r"\b(?:GTT|EXA)\s+(?:Planned|Emergency)\s+Work\s+Notification\b"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Gtt,
    }
}

fn re(p: &str) -> Option<Regex> {
    Regex::new(p).ok()
}

static TITLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?:Planned|Emergency)\s+Work\s+Notification\s*:\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*[-–—]\s*([A-Za-z][A-Za-z -]*)",
    )
});
static SUBJECT_TT: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)\bTT\s*#?\s*(\d+)(?:\s*[-–—]\s*([A-Za-z][A-Za-z -]*))?"));
static DATETIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:GMT|UTC|[A-Z]{3,4}|[+-]\d{2}:?\d{2}))?)",
    )
});
static SEL_TR: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("tr").ok());
static SEL_CELL: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("td, th").ok());

/// Status from the state word after the title's dash (or the subject's).
pub fn status_of(state: &str) -> Option<Status> {
    let s = state.trim().to_ascii_lowercase();
    let s = s.as_str();
    Some(if s.starts_with("cancel") {
        Status::Cancelled
    } else if s.starts_with("complet") || s.starts_with("closed") || s.starts_with("final") {
        Status::Completed
    } else if s.starts_with("resched")
        || s.starts_with("re-sched")
        || s.starts_with("update")
        || s.starts_with("exten")
        || s.starts_with("postpon")
    {
        Status::Rescheduled
    } else if s.starts_with("start") || s.starts_with("in progress") || s.starts_with("commenc") {
        Status::InProcess
    } else if s.starts_with("new")
        || s.starts_with("remind")
        || s.starts_with("confirm")
        || s.starts_with("schedul")
    {
        Status::Confirmed
    } else {
        return None;
    })
}

/// Text of an element, skipping struck-through parts (old values of a reschedule).
fn live_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        let struck = node.ancestors().take_while(|a| a.id() != el.id()).any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "strike" | "s" | "del"))
        });
        if !struck {
            out.push_str(t);
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cells(tr: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    match SEL_CELL.as_ref() {
        Some(s) => tr.select(s).collect(),
        None => Vec::new(),
    }
}

/// One row of the services table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Service {
    circuit: String,
    account: String,
    impact: Impact,
}

/// Impact of a services row from its impact cell's colour and text.
pub fn impact_of(style: &str, text: &str) -> Impact {
    let st = style.to_ascii_lowercase();
    let t = text.trim().to_ascii_lowercase();
    let zero =
        t.starts_with("0 ") || t == "0" || t.contains("no impact") || t == "none" || t == "n/a";
    if zero {
        Impact::NoImpact
    } else if st.contains("ffe599")
        || st.contains("806000")
        || t.contains("resilien")
        || t.contains("redundan")
    {
        Impact::ReducedRedundancy
    } else {
        Impact::Outage
    }
}

/// What the HTML tables say: (start, end, services).
#[derive(Default)]
struct Tables {
    start: Option<String>,
    end: Option<String>,
    services: Vec<Service>,
}

/// One `<tr>` as `read_html` reads it.
#[derive(Debug, PartialEq, Eq)]
struct HtmlRow {
    /// Its nearest `table` (an id unique within the document).
    table: Option<usize>,
    /// No `<tr>` inside it.
    leaf: bool,
    /// Per cell of a leaf row (none for the others): its live text and its
    /// `style` followed by its `bgcolor`.
    cells: Vec<(String, String)>,
}

/// Every `<tr>` of one HTML body, from its recorded events, else the DOM.
fn html_rows(src: &str, rec: Option<&Recording>) -> Vec<HtmlRow> {
    if let Some(rec) = rec {
        let mut r = RowReader::default();
        rec.replay(&mut r);
        // number tables by their first row, as the DOM path does
        let mut ids: Vec<usize> = Vec::new();
        for row in &mut r.rows {
            if !row.leaf {
                row.cells.clear();
            }
            row.table = row.table.map(|t| match ids.iter().position(|i| *i == t) {
                Some(p) => p,
                None => {
                    ids.push(t);
                    ids.len() - 1
                }
            });
        }
        return r.rows;
    }
    let (Some(sel_tr), doc) = (SEL_TR.as_ref(), mnp_core::html::parse(src)) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    doc.select(sel_tr)
        .map(|tr| HtmlRow {
            table: tr
                .ancestors()
                .find(|a| a.value().as_element().is_some_and(|e| e.name() == "table"))
                .map(|a| match ids.iter().position(|i| *i == a.id()) {
                    Some(p) => p,
                    None => {
                        ids.push(a.id());
                        ids.len() - 1
                    }
                }),
            leaf: tr.select(sel_tr).next().is_none(),
            cells: cells(tr)
                .into_iter()
                .filter(|_| tr.select(sel_tr).next().is_none())
                .map(|c| {
                    let mut st = c.value().attr("style").unwrap_or("").to_string();
                    st.push_str(c.value().attr("bgcolor").unwrap_or(""));
                    (live_text(c), st)
                })
                .collect(),
        })
        .collect()
}

/// [`HtmlRow`]s from stream events: the DOM's rows, cells (`td`/`th` of a
/// leaf row are its children), live text and colours.
#[derive(Default)]
struct RowReader {
    rows: Vec<HtmlRow>,
    tables: usize,
    table_stack: Vec<usize>,
    /// Open elements: a row (index), a cell (row index), or other.
    open: Vec<Opened>,
    /// Open cells: their text (struck parts left out), colours, and how many
    /// strike-through elements are open inside them.
    cells: Vec<(String, String, usize)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Opened {
    Table,
    Row(usize),
    Cell(Option<usize>),
    Struck,
    Other,
}

impl Sink for RowReader {
    fn open(&mut self, name: &str) {
        let kind = match name {
            "table" => {
                self.table_stack.push(self.tables);
                self.tables += 1;
                Opened::Table
            }
            "tr" => {
                for o in &self.open {
                    if let Opened::Row(i) = o
                        && let Some(r) = self.rows.get_mut(*i)
                    {
                        r.leaf = false;
                    }
                }
                self.rows.push(HtmlRow {
                    table: self.table_stack.last().copied(),
                    leaf: true,
                    cells: Vec::new(),
                });
                Opened::Row(self.rows.len() - 1)
            }
            "td" | "th" => {
                let row = self.open.iter().rev().find_map(|o| match o {
                    Opened::Row(i) => Some(*i),
                    _ => None,
                });
                self.cells.push((String::new(), String::new(), 0));
                Opened::Cell(row)
            }
            "strike" | "s" | "del" => {
                for c in &mut self.cells {
                    c.2 += 1;
                }
                Opened::Struck
            }
            _ => Opened::Other,
        };
        self.open.push(kind);
    }
    fn attributes(&mut self, raw: &str) {
        if let Some(Opened::Cell(_)) = self.open.last()
            && let Some(c) = self.cells.last_mut()
        {
            c.1 = attribute(raw, "style").unwrap_or_default();
            c.1.push_str(&attribute(raw, "bgcolor").unwrap_or_default());
        }
    }
    fn close(&mut self, _: &str) {
        match self.open.pop() {
            Some(Opened::Table) => {
                self.table_stack.pop();
            }
            Some(Opened::Cell(row)) => {
                if let Some((text, style, _)) = self.cells.pop()
                    && let Some(r) = row.and_then(|i| self.rows.get_mut(i))
                {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    r.cells.push((text, style));
                }
            }
            Some(Opened::Struck) => {
                for c in &mut self.cells {
                    c.2 = c.2.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    fn text(&mut self, text: &str) {
        for c in &mut self.cells {
            if c.2 == 0 {
                c.0.push_str(text);
                c.0.push(' ');
            }
        }
    }
}

fn read_html(email: &Email) -> Tables {
    let mut out = Tables::default();
    for (src, rec) in email.html_sources().into_iter().zip(email.html_events()) {
        // the services table being read and its columns
        let mut cols: Option<(usize, Option<usize>, Option<usize>)> = None;
        let mut services_table = None;
        for tr in html_rows(src, rec) {
            let table = tr.table;
            if table != services_table {
                cols = None;
            }
            // a row of a nested table is also a descendant of the outer row; only leaf rows count
            if !tr.leaf {
                continue;
            }
            let texts: Vec<String> = tr.cells.iter().map(|c| c.0.clone()).collect();
            let label = texts
                .first()
                .map(|t| t.trim().to_ascii_lowercase())
                .unwrap_or_default();
            if texts.len() == 2 && (label == "start" || label == "end") {
                let v = texts.get(1).cloned().unwrap_or_default();
                if label == "start" {
                    out.start.get_or_insert(v);
                } else {
                    out.end.get_or_insert(v);
                }
                continue;
            }
            let lower: Vec<String> = texts.iter().map(|t| t.to_ascii_lowercase()).collect();
            if let Some(slid) = lower
                .iter()
                .position(|t| t.contains("slid") || t.contains("ccsd"))
            {
                let pon = lower.iter().position(|t| t.contains("customer pon"));
                let imp = lower.iter().position(|t| t.contains("impact"));
                cols = Some((slid, pon, imp));
                services_table = table;
                continue;
            }
            let Some((slid, pon, imp)) = cols else {
                continue;
            };
            let circuit = texts
                .get(slid)
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            if circuit.is_empty() || texts.len() <= slid {
                continue;
            }
            let (style, itext) = imp
                .and_then(|i| tr.cells.get(i))
                .map(|(t, st)| (st.clone(), t.clone()))
                .unwrap_or_default();
            out.services.push(Service {
                circuit,
                account: pon
                    .and_then(|p| texts.get(p))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default(),
                impact: impact_of(&style, &itext),
            });
        }
    }
    out
}

/// Fallback for notices without HTML: tab- or `|`-separated lines of the text.
fn read_text(text: &str) -> Tables {
    let mut out = Tables::default();
    let mut cols: Option<(usize, Option<usize>, Option<usize>)> = None;
    for line in text.lines() {
        let cells: Vec<&str> = line.split(['\t', '|']).map(str::trim).collect();
        let label = cells
            .first()
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default();
        let label = label.trim_end_matches(':');
        if label == "start" || label == "end" {
            let v = cells.get(1..).map(|c| c.join(" ")).unwrap_or_default();
            if label == "start" {
                out.start.get_or_insert(v);
            } else {
                out.end.get_or_insert(v);
            }
            continue;
        }
        let lower: Vec<String> = cells.iter().map(|t| t.to_ascii_lowercase()).collect();
        if let Some(slid) = lower
            .iter()
            .position(|t| t.contains("slid") || t.contains("ccsd"))
        {
            cols = Some((
                slid,
                lower.iter().position(|t| t.contains("customer pon")),
                lower.iter().position(|t| t.contains("impact")),
            ));
            continue;
        }
        let Some((slid, pon, imp)) = cols else {
            continue;
        };
        if cells.len() <= slid {
            cols = None;
            continue;
        }
        let circuit = cells.get(slid).copied().unwrap_or("");
        if circuit.is_empty() {
            continue;
        }
        out.services.push(Service {
            circuit: circuit.to_string(),
            account: pon
                .and_then(|p| cells.get(p))
                .copied()
                .unwrap_or("")
                .to_string(),
            impact: impact_of("", imp.and_then(|i| cells.get(i)).copied().unwrap_or("")),
        });
    }
    out
}

/// The last date-time written in a Start/End cell (a reschedule shows the old one first).
fn cell_time(cell: &str, field: &'static str) -> Result<chrono::DateTime<chrono::Utc>> {
    let last = DATETIME
        .as_ref()
        .and_then(|r| r.find_iter(cell).last())
        .ok_or_else(|| Error::bad_value(field, cell, "no date-time"))?;
    dates::parse_utc(
        last.as_str(),
        &[
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ],
        field,
    )
}

impl VendorParser for Gtt {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let text = email.text();
        let title = TITLE.as_ref().and_then(|r| r.captures(text));
        let subject_tt = SUBJECT_TT.as_ref().and_then(|r| r.captures(&email.subject));
        let id = title
            .as_ref()
            .and_then(|c| c.get(1))
            .or_else(|| subject_tt.as_ref().and_then(|c| c.get(1)))
            .map(|m| m.as_str().trim().to_string())
            .ok_or_else(|| {
                Error::not_maintenance("no Planned Work Notification title and no TT number")
            })?;
        let state = title
            .as_ref()
            .and_then(|c| c.get(2))
            .or_else(|| subject_tt.as_ref().and_then(|c| c.get(2)))
            .map(|m| m.as_str().to_string())
            .unwrap_or_default();
        let status = status_of(&state).unwrap_or(Status::Confirmed);
        let mut tables = if email.html_sources().is_empty() {
            read_text(text)
        } else {
            read_html(email)
        };
        if tables.services.is_empty() && tables.start.is_none() {
            tables = read_text(text);
        }
        let window = match (&tables.start, &tables.end) {
            (Some(b), Some(e)) => Some(Window::new(cell_time(b, "begin")?, cell_time(e, "end")?)?),
            (None, None) if status == Status::Cancelled => None,
            (None, _) => return Err(Error::MissingField { field: "begin" }),
            (_, None) => return Err(Error::MissingField { field: "end" }),
        };
        if tables.services.is_empty() && status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        let mut m = Maintenance::new("gtt");
        m.maintenance_id = id;
        m.status = status;
        m.window = window;
        m.account = tables
            .services
            .iter()
            .map(|s| s.account.as_str())
            .find(|a| !a.is_empty())
            .unwrap_or("")
            .to_string();
        m.circuits = tables
            .services
            .iter()
            .map(|s| CircuitImpact::new(&s.circuit, s.impact))
            .collect();
        m.stamp = email.date;
        m.summary = email.subject.clone();
        m.organizer = "InfraCo.CM@exainfra.net".into();
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        TITLE.as_ref().is_some_and(|r| r.is_match(t)) && t.contains("SLID/CCSD")
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    /// Rows read from the recorded events equal the DOM's (table, leaf, cell
    /// live text and colours) on every HTML body of the corpus.
    #[test]
    fn stream_rows_equal_dom_rows_on_the_corpus() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "eml") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        walk(&root.join("../shared/corpus/real"), &mut files);
        walk(&root.join("corpus"), &mut files);
        let mut checked = 0;
        for f in files {
            let Ok(email) = Email::parse(&std::fs::read(&f).unwrap()) else {
                continue;
            };
            for (src, rec) in email.html_sources().into_iter().zip(email.html_events()) {
                let Some(rec) = rec else { continue };
                assert_eq!(
                    html_rows(src, Some(rec)),
                    html_rows(src, None),
                    "{}",
                    f.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "{checked}");
    }

    use super::*;

    const HTML: &str = "From: InfraCo.CM@exainfra.net\nSubject: EXA Planned Work Notification TT 7001 - Rescheduled\nContent-Type: text/html\n\n\
<table><tr><td>logo</td><td><i>Planned Work Notification: 7001 - Rescheduled</i></td></tr></table>\
<table><tr><td>Start</td><td><strike>2024-05-01 01:00:00 GMT </strike><font>2024-05-08 01:00 GMT</font></td></tr>\
<tr><td>End</td><td><strike>2024-05-01 05:00:00 GMT </strike><font>2024-05-08 05:00 GMT</font></td></tr></table>\
<table><thead><tr><th>Services Affected</th><th>SLID/CCSD</th><th>Customer PON</th><th>Service Type</th><th>Expected Impact to your Service</th><th>Site Address</th></tr></thead>\
<tr><td>W/1</td><td> 900-1 </td><td>PO 5</td><td>Wavelength</td><td bgcolor=\"#FFE599\">240 min</td><td>x</td></tr>\
<tr><td>W/2</td><td>900-2</td><td>PO 5</td><td>Wavelength</td><td style=\"color: #C00000\" bgcolor=\"#FFCCCC\">30 min</td><td>x</td></tr></table>";

    #[test]
    fn reschedule_ignores_struck_times_and_reads_colours() {
        let email = Email::parse(HTML.as_bytes()).unwrap();
        let ms = Gtt.parse(&email).unwrap();
        assert_eq!(ms.len(), 1);
        let m = &ms[0];
        assert_eq!(m.maintenance_id, "7001");
        assert_eq!(m.status, Status::Rescheduled);
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-05-08T01:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-05-08T05:00:00+00:00");
        assert_eq!(
            m.circuits,
            vec![
                CircuitImpact::new("900-1", Impact::ReducedRedundancy),
                CircuitImpact::new("900-2", Impact::Outage)
            ]
        );
        assert_eq!(m.account, "PO 5");
    }

    #[test]
    fn status_words() {
        assert_eq!(status_of("New"), Some(Status::Confirmed));
        assert_eq!(status_of("Reminder"), Some(Status::Confirmed));
        assert_eq!(status_of("Update"), Some(Status::Rescheduled));
        assert_eq!(status_of("Cancelled"), Some(Status::Cancelled));
        assert_eq!(status_of("Completed"), Some(Status::Completed));
        assert_eq!(status_of("Started"), Some(Status::InProcess));
        assert_eq!(status_of("whatever"), None);
    }

    #[test]
    fn zero_duration_is_no_impact() {
        assert_eq!(impact_of("", "0 min"), Impact::NoImpact);
        assert_eq!(impact_of("bgcolor=#FFCCCC", "90 min"), Impact::Outage);
    }
}
