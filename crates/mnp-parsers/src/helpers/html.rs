//! HTML tables as rows of cell texts.
//!
//! Carrier notices keep their facts in HTML tables: label/value rows
//! (`Ticket Number: | CM20240101`), header-and-data grids (`Circuit ID |
//! Impact`), and layout tables that wrap all of it, often several levels
//! deep. This module reads those tables from documents the mail has already
//! parsed ([`Email::html_docs`]) in one of three shapes:
//!
//! - [`tables`] / [`email_tables`]: every `<table>` as a [`Table`] holding its
//!   own rows only. A row of a table nested in a cell belongs to the nested
//!   table, so a grid stays one grid however deep the layout wraps it. Use
//!   this for header-and-data grids ([`Table::grid`]) and label cells
//!   followed by value cells ([`value`]).
//! - [`rows`] / [`email_rows`]: every `<tr>` of the document in document
//!   order, nested or not. Use this for label/value notices where the row
//!   matters and not the table it sits in ([`pair`]); an outer layout row is
//!   included too, but its cell text is the whole inner table and never equals
//!   a label.
//! - [`runs`] / [`email_runs`]: every `<tr>` in document order, cut into runs
//!   of consecutive rows of one table, each a [`Table`]. A nested table's rows
//!   end the run of the table around it (its later rows start a new run). Use
//!   this for a grid that ends where anything else starts: the header row is
//!   the first one in document order ([`Table::grid_by`] on each run), and the
//!   data rows are only those right below it.
//!
//! In every shape a row's cells are the `<td>`/`<th>` children of its `<tr>`
//! (a cell holding a nested table is one cell whose text includes the nested
//! table's text; a `td` inside `<template>` content or inline SVG is no cell),
//! each turned into text as the [`CellText`] asks. Rows whose
//! cells are all empty (spacers) are dropped; empty cells inside a row are
//! kept, so column positions line up with the header.
//!
//! Nothing here panics or allocates selectors per call; a document without
//! tables gives empty vectors.
//!
//! ```
//! use mnp_parsers::helpers::html::{self, CellText};
//!
//! let doc = mnp_core::html::parse(
//!     "<table><tr><td>Ticket:</td><td>CM1</td></tr><tr><td>\
//!      <table><tr><th>Circuit ID</th><th>Impact</th></tr>\
//!      <tr><td>IC-1</td><td>Outage</td></tr></table></td></tr></table>",
//! );
//! let tables = html::tables(&doc, CellText::AsWritten);
//! assert_eq!(html::value(&tables, "Ticket"), Some("CM1"));
//! let grid = tables.iter().find_map(|t| t.grid("circuit id")).unwrap();
//! assert_eq!(grid.column("impact"), Some(1));
//! assert_eq!(grid.rows, [vec!["IC-1".to_string(), "Outage".to_string()]]);
//! assert_eq!(grid.cell(&grid.rows[0], "Impact"), Some("Outage"));
//! ```
//!
//! [`Email::html_docs`]: mnp_core::Email::html_docs

use std::sync::LazyLock;

use mnp_core::Email;
use scraper::{ElementRef, Html, Selector};

static TABLE: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("table").ok());
static TR: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("tr").ok());

/// How the text of a cell is normalised. Every variant turns no-break spaces
/// into spaces and trims the ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellText {
    /// The cell's text nodes joined as written: inner whitespace, line breaks
    /// of the source included, is kept (some circuit ids carry significant
    /// runs of spaces, `/OGYX/123456/   /ZYO /`).
    AsWritten,
    /// Every run of whitespace becomes one space: one line per cell.
    Collapsed,
    /// The cell's text nodes joined with a space, then every run of
    /// whitespace becomes one space: words split over elements stay apart
    /// (`<b>Circuit</b>ID` reads `Circuit ID`, where [`Collapsed`] reads
    /// `CircuitID`).
    ///
    /// [`Collapsed`]: CellText::Collapsed
    Spaced,
    /// Rendered with [`mnp_core::html::to_text`]: `<br>` and block elements
    /// break lines, rows of a nested table become lines with tab-separated
    /// cells, whitespace inside a line is collapsed. For cells listing one
    /// item per line.
    Lines,
}

/// One `<table>`: its own rows, each the list of its cell texts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Non-blank rows in document order; cells in column order.
    pub rows: Vec<Vec<String>>,
}

/// A header row of a [`Table`] and the rows below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid<'t> {
    /// The header row's cells.
    pub header: &'t [String],
    /// Every row after the header row, in order.
    pub rows: &'t [Vec<String>],
}

impl Table {
    /// The table read as a grid under its first row that has a cell equal to
    /// `header_cell` (ASCII case-insensitive), e.g. `"circuit id"`; `None`
    /// when no row has such a cell.
    pub fn grid(&self, header_cell: &str) -> Option<Grid<'_>> {
        self.grid_by(|c| c.eq_ignore_ascii_case(header_cell))
    }

    /// The table read as a grid under its first row that has a cell for
    /// which `is_header` holds, e.g. `|c| c.to_ascii_lowercase().contains("start")`;
    /// `None` when no row has such a cell.
    pub fn grid_by(&self, is_header: impl Fn(&str) -> bool) -> Option<Grid<'_>> {
        let pos = self
            .rows
            .iter()
            .position(|r| r.iter().any(|c| is_header(c)))?;
        Some(Grid {
            header: self.rows.get(pos)?,
            rows: self.rows.get(pos + 1..).unwrap_or_default(),
        })
    }
}

impl Grid<'_> {
    /// Position of the first header cell equal to `name` (ASCII
    /// case-insensitive), for `row.get(i)` on the data rows.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
    }

    /// The trimmed cell of `row` under the header cell `name`; `None` when
    /// there is no such column, the row is too short or the cell is blank.
    pub fn cell<'r>(&self, row: &'r [String], name: &str) -> Option<&'r str> {
        let text = row.get(self.column(name)?)?.trim();
        (!text.is_empty()).then_some(text)
    }
}

/// Every table of `doc` in document order (an outer table before the tables
/// nested in it), each with its own rows only. Tables without a non-blank
/// row are kept, as empty [`Table`]s.
pub fn tables(doc: &Html, text: CellText) -> Vec<Table> {
    let (Some(table_sel), Some(tr_sel)) = (TABLE.as_ref(), TR.as_ref()) else {
        return Vec::new();
    };
    doc.select(table_sel)
        .map(|table| Table {
            rows: table
                .select(tr_sel)
                .filter(|tr| nearest_table(*tr).is_some_and(|t| t.id() == table.id()))
                .filter_map(|tr| cells(tr, text))
                .collect(),
        })
        .collect()
}

/// Every non-blank `<tr>` of `doc` in document order, rows of nested tables
/// and layout rows wrapping them included, as cell texts.
pub fn rows(doc: &Html, text: CellText) -> Vec<Vec<String>> {
    let Some(tr_sel) = TR.as_ref() else {
        return Vec::new();
    };
    doc.select(tr_sel)
        .filter_map(|tr| cells(tr, text))
        .collect()
}

/// Every `<tr>` of `doc` in document order, cut into runs of consecutive
/// rows that belong to the same table: where a row of another table (nested,
/// or a later one) comes between, the run ends. Blank rows end a run like any
/// other but are then dropped; runs without a non-blank row are left out.
pub fn runs(doc: &Html, text: CellText) -> Vec<Table> {
    let Some(tr_sel) = TR.as_ref() else {
        return Vec::new();
    };
    let mut out: Vec<Table> = Vec::new();
    let mut current = None;
    for tr in doc.select(tr_sel) {
        let table = nearest_table(tr).map(|t| t.id());
        if current != Some(table) {
            current = Some(table);
            out.push(Table::default());
        }
        if let (Some(cells), Some(run)) = (cells(tr, text), out.last_mut()) {
            run.rows.push(cells);
        }
    }
    out.retain(|t| !t.rows.is_empty());
    out
}

/// [`tables`] of every HTML body of the mail, in body order.
pub fn email_tables(email: &Email, text: CellText) -> Vec<Table> {
    email
        .html_sources()
        .into_iter()
        .zip(email.html_events())
        .flat_map(|(src, rec)| match rec {
            Some(rec) => Reader::replay(rec, text).tables(),
            None => tables(&mnp_core::html::parse(src), text),
        })
        .collect()
}

/// [`rows`] of every HTML body of the mail, in body order.
pub fn email_rows(email: &Email, text: CellText) -> Vec<Vec<String>> {
    email
        .html_sources()
        .into_iter()
        .zip(email.html_events())
        .flat_map(|(src, rec)| match rec {
            Some(rec) => Reader::replay(rec, text).rows(),
            None => rows(&mnp_core::html::parse(src), text),
        })
        .collect()
}

/// [`runs`] of every HTML body of the mail, in body order (a run never
/// crosses from one body into the next).
pub fn email_runs(email: &Email, text: CellText) -> Vec<Table> {
    email
        .html_sources()
        .into_iter()
        .zip(email.html_events())
        .flat_map(|(src, rec)| match rec {
            Some(rec) => Reader::replay(rec, text).runs(),
            None => runs(&mnp_core::html::parse(src), text),
        })
        .collect()
}

/// Tables read from the events of [`mnp_core::html::stream`], without a
/// DOM: the same rows and cells as [`tables`], [`rows`] and [`runs`] give
/// on the parsed document. The `email_*` functions use it and fall back to
/// the DOM for documents the stream declines.
struct Reader {
    mode: CellText,
    open: Vec<Open>,
    /// Tables opened so far (their ids are their opening order).
    n_tables: usize,
    table_stack: Vec<usize>,
    /// Every `tr` in document order: its table and its cells when non-blank.
    all_rows: Vec<(Option<usize>, Option<Vec<String>>)>,
    /// Open rows: index into `all_rows` and the cells read so far.
    row_stack: Vec<(usize, Vec<String>)>,
    cells: Vec<CellAcc>,
    /// The last event was text (a next text event continues the same node).
    in_text: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Table,
    Row,
    /// A cell; `true` when it is a child of a row.
    Cell(bool),
    Other,
}

struct CellAcc {
    text: String,
    nodes: usize,
    lines: Option<mnp_core::html::TextSink>,
}

impl Reader {
    #[cfg(test)]
    fn read(src: &str, mode: CellText) -> Option<Reader> {
        let rec = mnp_core::html::stream::Recording::record(src).ok()?;
        Some(Self::replay(&rec, mode))
    }

    fn replay(rec: &mnp_core::html::stream::Recording, mode: CellText) -> Reader {
        let mut r = Reader {
            mode,
            open: Vec::new(),
            n_tables: 0,
            table_stack: Vec::new(),
            all_rows: Vec::new(),
            row_stack: Vec::new(),
            cells: Vec::new(),
            in_text: false,
        };
        rec.replay(&mut r);
        r
    }

    fn tables(self) -> Vec<Table> {
        let mut out = vec![Table::default(); self.n_tables];
        for (table, cells) in self.all_rows {
            if let (Some(t), Some(cells)) = (table.and_then(|t| out.get_mut(t)), cells) {
                t.rows.push(cells);
            }
        }
        out
    }

    fn rows(self) -> Vec<Vec<String>> {
        self.all_rows.into_iter().filter_map(|(_, c)| c).collect()
    }

    fn runs(self) -> Vec<Table> {
        let mut out: Vec<Table> = Vec::new();
        let mut current = None;
        for (table, cells) in self.all_rows {
            if current != Some(table) {
                current = Some(table);
                out.push(Table::default());
            }
            if let (Some(cells), Some(run)) = (cells, out.last_mut()) {
                run.rows.push(cells);
            }
        }
        out.retain(|t| !t.rows.is_empty());
        out
    }

    fn finish_cell(&self, cell: CellAcc) -> String {
        match self.mode {
            CellText::AsWritten => cell.text.replace('\u{a0}', " ").trim().to_string(),
            CellText::Collapsed | CellText::Spaced => {
                let mut out = String::with_capacity(cell.text.len());
                for w in cell.text.split_whitespace() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(w);
                }
                out
            }
            CellText::Lines => cell
                .lines
                .map(|l| l.finish())
                .unwrap_or_default()
                .replace('\u{a0}', " ")
                .trim()
                .to_string(),
        }
    }
}

impl mnp_core::html::stream::Sink for Reader {
    fn open(&mut self, name: &str) {
        self.in_text = false;
        for c in &mut self.cells {
            if let Some(l) = c.lines.as_mut() {
                l.open(name);
            }
        }
        let kind = match name {
            "table" => {
                self.table_stack.push(self.n_tables);
                self.n_tables += 1;
                Open::Table
            }
            "tr" => {
                self.all_rows.push((self.table_stack.last().copied(), None));
                self.row_stack.push((self.all_rows.len() - 1, Vec::new()));
                Open::Row
            }
            "td" | "th" => {
                self.cells.push(CellAcc {
                    text: String::new(),
                    nodes: 0,
                    lines: (self.mode == CellText::Lines).then(mnp_core::html::TextSink::default),
                });
                Open::Cell(self.open.last() == Some(&Open::Row))
            }
            _ => Open::Other,
        };
        self.open.push(kind);
    }

    fn close(&mut self, name: &str) {
        self.in_text = false;
        match self.open.pop() {
            Some(Open::Table) => {
                self.table_stack.pop();
            }
            Some(Open::Row) => {
                if let Some((i, cells)) = self.row_stack.pop()
                    && cells.iter().any(|c| !c.is_empty())
                    && let Some(slot) = self.all_rows.get_mut(i)
                {
                    slot.1 = Some(cells);
                }
            }
            Some(Open::Cell(direct)) => {
                if let Some(cell) = self.cells.pop() {
                    let text = self.finish_cell(cell);
                    if direct && let Some((_, cells)) = self.row_stack.last_mut() {
                        cells.push(text);
                    }
                }
            }
            _ => {}
        }
        for c in &mut self.cells {
            if let Some(l) = c.lines.as_mut() {
                l.close(name);
            }
        }
    }

    fn text(&mut self, text: &str) {
        let new_node = !self.in_text;
        self.in_text = true;
        let spaced = self.mode == CellText::Spaced;
        for c in &mut self.cells {
            if new_node {
                if spaced && c.nodes > 0 {
                    c.text.push(' ');
                }
                c.nodes += 1;
            }
            c.text.push_str(text);
            if let Some(l) = c.lines.as_mut() {
                l.text(text);
            }
        }
    }

    fn comment(&mut self) {
        self.in_text = false;
    }
}

/// The text of every `name` element (all its text nodes joined as written)
/// of every HTML body of the mail, in document order; e.g. the `h1` titles.
/// (For `p`, whose extent depends on the document's quirks mode, which the
/// stream does not model, the DOM is used.)
pub fn email_element_texts(email: &Email, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (src, rec) in email.html_sources().into_iter().zip(email.html_events()) {
        let mut r = ElementTexts {
            name,
            open: Vec::new(),
            texts: Vec::new(),
        };
        if let Some(rec) = rec.filter(|_| name != "p") {
            rec.replay(&mut r);
            out.extend(r.texts);
        } else if let Ok(sel) = Selector::parse(name) {
            let doc = mnp_core::html::parse(src);
            out.extend(doc.select(&sel).map(|e| e.text().collect::<String>()));
        }
    }
    out
}

struct ElementTexts<'n> {
    name: &'n str,
    /// Per open element: `Some(index into texts)` for a `name` element.
    open: Vec<Option<usize>>,
    texts: Vec<String>,
}

impl mnp_core::html::stream::Sink for ElementTexts<'_> {
    fn open(&mut self, name: &str) {
        if name == self.name {
            self.open.push(Some(self.texts.len()));
            self.texts.push(String::new());
        } else {
            self.open.push(None);
        }
    }
    fn close(&mut self, _: &str) {
        self.open.pop();
    }
    fn text(&mut self, text: &str) {
        for i in self.open.iter().flatten() {
            if let Some(t) = self.texts.get_mut(*i) {
                t.push_str(text);
            }
        }
    }
}

/// Every `<tr>` that has no `<tr>` inside it (a leaf row: the rows of
/// nested layout tables are not) of every HTML body of the mail, in
/// document order, each as its cells (`td`/`th` children), each cell as its
/// text nodes in document order, as written. Rows without cells are kept.
pub fn email_leaf_rows(email: &Email) -> Vec<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for (src, rec) in email.html_sources().into_iter().zip(email.html_events()) {
        let mut r = LeafRows::default();
        if let Some(rec) = rec {
            rec.replay(&mut r);
            out.extend(
                r.rows
                    .into_iter()
                    .filter_map(|(leaf, cells)| leaf.then_some(cells)),
            );
        } else if let Some(tr_sel) = TR.as_ref() {
            let doc = mnp_core::html::parse(src);
            for tr in doc.select(tr_sel) {
                if tr.select(tr_sel).next().is_some() {
                    continue;
                }
                out.push(
                    tr.child_elements()
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .map(|c| c.text().map(str::to_string).collect())
                        .collect(),
                );
            }
        }
    }
    out
}

#[derive(Default)]
struct LeafRows {
    /// Every row in document order: still a leaf, its cells' text nodes.
    rows: Vec<(bool, Vec<Vec<String>>)>,
    /// Open elements: `Row(index)`, `Cell(row index or none)`, other.
    open: Vec<LeafOpen>,
    /// Open cells of any row: their text nodes.
    cells: Vec<Vec<String>>,
    in_text: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LeafOpen {
    Row(usize),
    Cell(Option<usize>),
    Other,
}

impl mnp_core::html::stream::Sink for LeafRows {
    fn open(&mut self, name: &str) {
        self.in_text = false;
        let kind = match name {
            "tr" => {
                for o in &self.open {
                    if let LeafOpen::Row(i) = o
                        && let Some(r) = self.rows.get_mut(*i)
                    {
                        r.0 = false;
                    }
                }
                self.rows.push((true, Vec::new()));
                LeafOpen::Row(self.rows.len() - 1)
            }
            "td" | "th" => {
                self.cells.push(Vec::new());
                match self.open.last() {
                    Some(LeafOpen::Row(i)) => LeafOpen::Cell(Some(*i)),
                    _ => LeafOpen::Cell(None),
                }
            }
            _ => LeafOpen::Other,
        };
        self.open.push(kind);
    }
    fn close(&mut self, _: &str) {
        self.in_text = false;
        if let Some(LeafOpen::Cell(row)) = self.open.pop()
            && let Some(nodes) = self.cells.pop()
            && let Some(r) = row.and_then(|i| self.rows.get_mut(i))
        {
            r.1.push(nodes);
        }
    }
    fn text(&mut self, text: &str) {
        let new_node = !self.in_text;
        self.in_text = true;
        for c in &mut self.cells {
            match c.last_mut() {
                Some(last) if !new_node => last.push_str(text),
                _ => c.push(text.to_string()),
            }
        }
    }
    fn comment(&mut self) {
        self.in_text = false;
    }
}

/// The value cell right after the first cell labelled `label`, searching
/// the rows of `tables` in order. Label cells are compared without a
/// trailing `:` and ASCII case-insensitively (`WMT` finds `WMT:` and
/// `wmt :`); a label whose next cell is missing or blank does not count and
/// the search goes on.
pub fn value<'t>(tables: &'t [Table], label: &str) -> Option<&'t str> {
    let want = label.trim_end_matches(':');
    tables.iter().flat_map(|t| &t.rows).find_map(|row| {
        let pos = row
            .iter()
            .position(|c| c.trim_end_matches(':').trim().eq_ignore_ascii_case(want))?;
        row.get(pos + 1)
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    })
}

/// A row read as `(label, value)`: its first two cells that are neither
/// empty nor one of `filler` (such as the `:` column of a `label | : |
/// value` layout). `None` when the row has fewer than two such cells.
pub fn pair<'r>(row: &'r [String], filler: &[&str]) -> Option<(&'r str, &'r str)> {
    let mut filled = row
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty() && !filler.contains(c));
    Some((filled.next()?, filled.next()?))
}

/// The `<table>` a row belongs to: its nearest `table` ancestor.
fn nearest_table(tr: ElementRef<'_>) -> Option<ElementRef<'_>> {
    tr.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "table")
}

/// The cell texts of a row; `None` when every cell is empty (or there is none).
fn cells(tr: ElementRef<'_>, text: CellText) -> Option<Vec<String>> {
    let cells: Vec<String> = tr
        .child_elements()
        .filter(|c| matches!(c.value().name(), "td" | "th"))
        .map(|c| cell_text(c, text))
        .collect();
    cells.iter().any(|c| !c.is_empty()).then_some(cells)
}

fn cell_text(cell: ElementRef<'_>, text: CellText) -> String {
    match text {
        CellText::AsWritten => cell
            .text()
            .collect::<String>()
            .replace('\u{a0}', " ")
            .trim()
            .to_string(),
        // `split_whitespace` treats U+00A0 as whitespace too
        CellText::Collapsed => cell
            .text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        CellText::Spaced => cell
            .text()
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        CellText::Lines => mnp_core::html::to_text(&cell.inner_html())
            .replace('\u{a0}', " ")
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn doc(html: &str) -> Html {
        mnp_core::html::parse(html)
    }

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    /// A layout table whose second row holds a nested circuit grid.
    const NESTED: &str = "<table>\
        <tr><td><b>Ticket:</b></td><td>&nbsp;TTN-1 </td></tr>\
        <tr><td></td><td> </td></tr>\
        <tr><td colspan=2><table>\
          <tr><th>Circuit Id</th><th>Expected Impact</th></tr>\
          <tr><td>/OGYX/1/   /ZYO /</td><td>Hard Down</td></tr>\
          <tr><td>IC-2</td><td></td></tr>\
        </table></td></tr>\
      </table>";

    #[test]
    fn nested_rows_belong_to_the_nested_table_only() {
        let t = tables(&doc(NESTED), CellText::AsWritten);
        assert_eq!(t.len(), 2);
        // outer: the ticket row, the blank spacer row dropped, the layout row
        // whose one cell is the nested table's text (joined as written)
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].rows[0], strings(&["Ticket:", "TTN-1"]));
        assert_eq!(
            t[0].rows[1],
            strings(&["Circuit IdExpected Impact/OGYX/1/   /ZYO /Hard DownIC-2"])
        );
        // inner: header plus two rows; the empty impact cell is kept
        assert_eq!(
            t[1].rows,
            vec![
                strings(&["Circuit Id", "Expected Impact"]),
                strings(&["/OGYX/1/   /ZYO /", "Hard Down"]),
                strings(&["IC-2", ""]),
            ]
        );
    }

    #[test]
    fn grid_finds_the_header_and_columns() {
        let t = tables(&doc(NESTED), CellText::AsWritten);
        assert!(t[0].grid("circuit id").is_none());
        let g = t[1].grid("CIRCUIT ID").unwrap();
        assert_eq!(g.header, strings(&["Circuit Id", "Expected Impact"]));
        assert_eq!(g.column("expected impact"), Some(1));
        assert_eq!(g.column("status"), None);
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[1][0], "IC-2");
        assert_eq!(g.cell(&g.rows[0], "Circuit ID"), Some("/OGYX/1/   /ZYO /"));
        assert_eq!(g.cell(&g.rows[0], "expected impact"), Some("Hard Down"));
        // blank cell, missing column, short row
        assert_eq!(g.cell(&g.rows[1], "expected impact"), None);
        assert_eq!(g.cell(&g.rows[1], "status"), None);
        assert_eq!(g.cell(&strings(&["IC-3"]), "expected impact"), None);
        // a header as the last row gives an empty grid, not a panic
        let last = Table {
            rows: vec![strings(&["x"]), strings(&["Circuit ID"])],
        };
        assert!(last.grid("circuit id").unwrap().rows.is_empty());
    }

    #[test]
    fn rows_are_every_tr_in_document_order() {
        let r = rows(&doc(NESTED), CellText::Collapsed);
        assert_eq!(
            r,
            vec![
                strings(&["Ticket:", "TTN-1"]),
                strings(&["Circuit IdExpected Impact/OGYX/1/ /ZYO /Hard DownIC-2"]),
                strings(&["Circuit Id", "Expected Impact"]),
                strings(&["/OGYX/1/ /ZYO /", "Hard Down"]),
                strings(&["IC-2", ""]),
            ]
        );
    }

    #[test]
    fn cell_text_variants() {
        let d = doc("<table><tr><td> A&nbsp;B\n   C<br>D<p>E</p> </td></tr></table>");
        assert_eq!(rows(&d, CellText::AsWritten)[0][0], "A B\n   CDE");
        assert_eq!(rows(&d, CellText::Collapsed)[0][0], "A B CDE");
        assert_eq!(rows(&d, CellText::Spaced)[0][0], "A B C D E");
        assert_eq!(rows(&d, CellText::Lines)[0][0], "A B C\nD\nE");
    }

    #[test]
    fn runs_end_where_another_table_comes_between() {
        // NESTED in document order: ticket row (outer), spacer (outer, blank),
        // layout row (outer), then the three rows of the nested grid
        let r = runs(&doc(NESTED), CellText::Spaced);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].rows.len(), 2);
        assert_eq!(r[0].rows[0], strings(&["Ticket:", "TTN-1"]));
        assert_eq!(
            r[1].rows,
            vec![
                strings(&["Circuit Id", "Expected Impact"]),
                strings(&["/OGYX/1/ /ZYO /", "Hard Down"]),
                strings(&["IC-2", ""]),
            ]
        );
        // a grid whose data rows are interrupted by a nested table: the rows
        // after the nested table are a run of their own, and so is a blank
        // nested table's run (left out, being empty)
        let d = doc("<table><tr><th>Circuit ID</th></tr><tr><td>C-1</td></tr>\
             <tr><td><table><tr><td> </td></tr></table></td></tr><tr><td>C-2</td></tr></table>\
             <table><tr><td>C-3</td></tr></table>");
        let r = runs(&d, CellText::Spaced);
        assert_eq!(r.len(), 3);
        let g = r.iter().find_map(|t| t.grid("circuit id")).unwrap();
        // the row holding the blank nested table is itself blank, so dropped
        assert_eq!(g.rows, [strings(&["C-1"])]);
        assert_eq!(r[1].rows, [strings(&["C-2"])]);
        assert_eq!(r[2].rows, [strings(&["C-3"])]);
        assert!(runs(&doc("<p>none</p>"), CellText::Spaced).is_empty());
    }

    #[test]
    fn grid_by_takes_a_predicate() {
        let t = tables(&doc(NESTED), CellText::AsWritten);
        let g = t[1]
            .grid_by(|c| c.to_ascii_lowercase().contains("impact"))
            .unwrap();
        assert_eq!(g.header, strings(&["Circuit Id", "Expected Impact"]));
        assert!(t[1].grid_by(|_| false).is_none());
    }

    #[test]
    fn lines_render_a_nested_table_one_row_per_line() {
        let d = doc(
            "<table><tr><td>Circuits</td><td><table><tr><td>C-1</td><td>Down</td></tr>\
             <tr><td>C-2</td><td>Down</td></tr></table></td></tr></table>",
        );
        let r = rows(&d, CellText::Lines);
        assert_eq!(r[0], strings(&["Circuits", "C-1\tDown\nC-2\tDown"]));
    }

    #[test]
    fn value_after_label() {
        let d = doc(
            "<table><tr><td>WMT :</td><td></td></tr><tr><td>Notes</td><td>wmt</td></tr>\
             <tr><td>WMT:</td><td>123456</td></tr><tr><th>Service Affecting:</th><td>NO</td></tr></table>",
        );
        let t = tables(&d, CellText::AsWritten);
        // the first `WMT` label has a blank value and the `wmt` value cell is no label
        assert_eq!(value(&t, "WMT"), Some("123456"));
        assert_eq!(value(&t, "wmt:"), Some("123456"));
        assert_eq!(value(&t, "service affecting"), Some("NO"));
        assert_eq!(value(&t, "Notes"), Some("wmt"));
        assert_eq!(value(&t, "Missing"), None);
        assert_eq!(value(&[], "WMT"), None);
    }

    #[test]
    fn pair_skips_empty_and_filler_cells() {
        let row = strings(&["", "Circuit ID", ":", "HGC-1", "extra"]);
        assert_eq!(pair(&row, &[":"]), Some(("Circuit ID", "HGC-1")));
        assert_eq!(pair(&row, &[]), Some(("Circuit ID", ":")));
        assert_eq!(pair(&strings(&["Label", ":"]), &[":"]), None);
        assert_eq!(pair(&[], &[]), None);
    }

    #[test]
    fn no_tables_and_odd_markup() {
        assert!(tables(&doc("<p>no tables</p>"), CellText::AsWritten).is_empty());
        assert!(rows(&doc(""), CellText::Lines).is_empty());
        // a table with only blank rows is kept, empty; cells without <tr> get one implied
        let t = tables(
            &doc("<table><tr><td> </td></tr></table><table><td>x</td></table>"),
            CellText::AsWritten,
        );
        assert_eq!(
            t,
            vec![
                Table::default(),
                Table {
                    rows: vec![strings(&["x"])]
                }
            ]
        );
    }

    fn corpus_html() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
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
        let mut out = Vec::new();
        for f in files {
            if let Ok(mail) = Email::parse(&std::fs::read(&f).unwrap()) {
                for src in mail.html_sources() {
                    out.push((f.display().to_string(), src.to_string()));
                }
            }
        }
        out
    }

    /// The DOM-free reader gives the DOM's tables, rows and runs, in every
    /// cell-text mode, on every HTML body of the corpus and on cut-off
    /// variants of them.
    #[test]
    fn stream_reader_equals_dom_reader_on_the_corpus() {
        let bodies = corpus_html();
        assert!(bodies.len() > 50);
        let modes = [
            CellText::AsWritten,
            CellText::Collapsed,
            CellText::Spaced,
            CellText::Lines,
        ];
        let (mut checked, mut declined) = (0, 0);
        for (name, src) in &bodies {
            let mut variants = vec![src.clone()];
            for k in 1..4 {
                let mut cut = src.len() * k / 4;
                while !src.is_char_boundary(cut) {
                    cut += 1;
                }
                variants.push(src[..cut].to_string());
            }
            for (v, html) in variants.iter().enumerate() {
                let d = doc(html);
                for mode in modes {
                    let Some(r) = Reader::read(html, mode) else {
                        declined += 1;
                        continue;
                    };
                    assert_eq!(r.tables(), tables(&d, mode), "{name} variant {v} {mode:?}");
                    let r = Reader::read(html, mode).unwrap();
                    assert_eq!(r.rows(), rows(&d, mode), "{name} variant {v} {mode:?}");
                    let r = Reader::read(html, mode).unwrap();
                    assert_eq!(r.runs(), runs(&d, mode), "{name} variant {v} {mode:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked} checked, {declined} declined");
    }

    /// Element texts and leaf rows read from the stream equal the DOM's.
    #[test]
    fn element_texts_and_leaf_rows_equal_the_dom_on_the_corpus() {
        let mut checked = 0;
        for (name, src) in corpus_html() {
            let d = doc(&src);
            let raw = format!(
                "From: a@b.example\nSubject: x\nContent-Type: text/html; charset=utf-8\n\n{src}"
            );
            let Ok(email) = Email::parse(raw.as_bytes()) else {
                continue;
            };
            for tag in ["h1", "p", "td", "b", "span"] {
                let sel = Selector::parse(tag).unwrap();
                let dom: Vec<String> = d.select(&sel).map(|e| e.text().collect()).collect();
                assert_eq!(email_element_texts(&email, tag), dom, "{name} {tag}");
            }
            let tr = TR.as_ref().unwrap();
            let dom: Vec<Vec<Vec<String>>> = d
                .select(tr)
                .filter(|t| t.select(tr).next().is_none())
                .map(|t| {
                    t.child_elements()
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .map(|c| c.text().map(str::to_string).collect())
                        .collect()
                })
                .collect();
            assert_eq!(email_leaf_rows(&email), dom, "{name}");
            checked += 1;
        }
        assert!(checked > 50);
    }

    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<br>",
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th>",
        "<tbody>",
        "</tbody>",
        "<b>",
        "</b>",
        "<span>",
        "</span>",
        "<h1>",
        "</h1>",
        "<style>",
        "</style>",
        "<!-- c -->",
        "<caption>",
        "<col>",
        "<form>",
        "</form>",
        "<a>",
        "</a>",
        "<font>",
        "</font>",
        "<hr>",
        "<td colspan=2>",
        " ",
        "\n",
        "\t",
        "x",
        "Circuit ID",
        "10:00",
        "&amp;",
        "&nbsp;",
        "&",
        "<",
        "<!doctype html>",
        "\u{a0}",
        "<p/>",
        "<li>",
        "<ul>",
        "</ul>",
        "<thead>",
        "<tfoot>",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// On markup soup, the stream reader equals the DOM reader or declines.
        #[test]
        fn stream_reader_equals_dom_reader_or_declines(
            idx in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let src: String = idx.iter().map(|&i| PIECES[i]).collect();
            let d = doc(&src);
            for mode in [CellText::AsWritten, CellText::Collapsed, CellText::Spaced, CellText::Lines] {
                if let Some(r) = Reader::read(&src, mode) {
                    proptest::prop_assert_eq!(r.tables(), tables(&d, mode), "{:?} {:?}", src, mode);
                    let r = Reader::read(&src, mode).unwrap();
                    proptest::prop_assert_eq!(r.rows(), rows(&d, mode), "{:?} {:?}", src, mode);
                    let r = Reader::read(&src, mode).unwrap();
                    proptest::prop_assert_eq!(r.runs(), runs(&d, mode), "{:?} {:?}", src, mode);
                }
            }
        }
    }

    #[test]
    fn email_level_reads_every_html_body() {
        let raw = "From: a@b.example\nSubject: x\nContent-Type: multipart/alternative; boundary=B\n\n\
                   --B\nContent-Type: text/html\n\n<table><tr><td>A</td><td>1</td></tr></table>\n\
                   --B\nContent-Type: text/html\n\n<table><tr><td>B</td><td>2</td></tr></table>\n--B--\n";
        let email = Email::parse(raw.as_bytes()).unwrap();
        let t = email_tables(&email, CellText::AsWritten);
        assert_eq!(value(&t, "B"), Some("2"));
        assert_eq!(
            email_rows(&email, CellText::AsWritten),
            vec![strings(&["A", "1"]), strings(&["B", "2"])]
        );
        // one run per body, even for the first table of each
        let r = email_runs(&email, CellText::Spaced);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].rows, [strings(&["B", "2"])]);
    }
}
