//! HTML to text that keeps the table structure a parser needs.
//!
//! Carrier notices are mostly HTML tables. A tag-stripping regex glues a label
//! cell to its value cell and loses row boundaries; here every block element
//! and table row starts a new line, cells of one row are separated by a tab,
//! `<br>` breaks a line, and script/style/head content is dropped.
//!
//! Rendering does not build a DOM: [`stream`] tokenizes the HTML and models
//! the tree builder's open elements, which is several times faster than
//! html5ever's tree. Documents that need the tree builder's rearranging
//! (content foster-parented out of a table, misnested formatting around
//! blocks, `select`, SVG, deep nesting) fall back to the DOM ([`parse`],
//! walked iteratively so hostile nesting cannot overflow the stack); both
//! paths give the same text.

pub mod stream;

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements that start and end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "tr"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "center"
            | "dl"
            | "dt"
            | "dd"
            | "form"
            | "caption"
            | "address"
            | "body"
            | "html"
            | "title"
            | "font-block"
    )
}

/// Elements whose content is not text.
fn is_skipped(name: &str) -> bool {
    matches!(name, "script" | "style" | "head" | "noscript" | "template")
}

/// Render an HTML document (or fragment) as text: one line per block or table
/// row, table cells separated by `\t`, whitespace collapsed, blank lines removed.
///
/// ```
/// let t = mnp_core::html::to_text("<table><tr><td>Start</td><td>2024-01-01 10:00</td></tr><tr><td>End</td><td>12:00</td></tr></table>");
/// assert_eq!(t, "Start\t2024-01-01 10:00\nEnd\t12:00");
/// ```
pub fn to_text(html: &str) -> String {
    stream_to_text(html).unwrap_or_else(|| doc_to_text(&parse(html)))
}

/// [`to_text`] without a DOM; `None` when the document needs the tree
/// builder's rearranging (see [`stream`]), so the caller must use [`parse`]
/// and [`doc_to_text`].
pub fn stream_to_text(html: &str) -> Option<String> {
    let mut sink = TextSink::default();
    stream::stream(html, &mut sink).ok()?;
    Some(sink.finish())
}

/// [`to_text`] of a document whose events were recorded
/// ([`stream::Recording`]).
pub fn recording_to_text(rec: &stream::Recording) -> String {
    let mut sink = TextSink::default();
    rec.replay(&mut sink);
    sink.finish()
}

/// A [`stream::Sink`] that renders the events it is given exactly as
/// [`doc_to_text`] renders a tree; feed it the events of a subtree (such as
/// one table cell) to render just that part.
#[derive(Default)]
pub struct TextSink {
    w: Writer,
    skip: usize,
}

impl TextSink {
    /// The text rendered so far.
    pub fn finish(self) -> String {
        self.w.finish()
    }
}

impl stream::Sink for TextSink {
    fn open(&mut self, name: &str) {
        if self.skip > 0 || is_skipped(name) {
            self.skip += 1;
            return;
        }
        match name {
            "br" => self.w.newline(),
            "td" | "th" => self.w.cell(),
            n if is_block(n) => self.w.newline(),
            _ => {}
        }
    }
    fn close(&mut self, name: &str) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if name == "td" || name == "th" {
            self.w.in_cell = false;
        } else if is_block(name) {
            self.w.newline();
        }
    }
    fn text(&mut self, text: &str) {
        if self.skip == 0 {
            self.w.text(text);
        }
    }
}

/// Deepest element nesting accepted before the HTML is flattened (see [`parse`]).
pub const MAX_NESTING: usize = 1_000;

/// Parse an HTML document. html5ever's tree builder is quadratic in nesting
/// depth, so a hostile mail with tens of thousands of nested elements would
/// take minutes; a linear pre-scan estimates the depth and, beyond
/// [`MAX_NESTING`], the markup is flattened (container tags dropped, text and
/// line structure kept) before parsing.
pub fn parse(html: &str) -> Html {
    if nesting_estimate(html) > MAX_NESTING {
        Html::parse_document(&flatten(html))
    } else {
        Html::parse_document(html)
    }
}

const NESTERS: &[&str] = &[
    "div",
    "span",
    "table",
    "font",
    "b",
    "i",
    "u",
    "blockquote",
    "center",
    "a",
    "em",
    "strong",
    "section",
    "ul",
    "ol",
];

fn tag_name(tag: &str) -> (bool, String) {
    let t = tag.trim_start_matches('<');
    let closing = t.starts_with('/');
    let name: String = t
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (closing, name)
}

/// Linear estimate of the element nesting depth (opening minus closing tags
/// of commonly nested container elements).
pub fn nesting_estimate(html: &str) -> usize {
    let mut depth: isize = 0;
    let mut max: isize = 0;
    for piece in html.split('<').skip(1) {
        let end = piece.find('>').unwrap_or(piece.len());
        let tag = piece.get(..end).unwrap_or("");
        let (closing, name) = tag_name(tag);
        if !NESTERS.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        depth += if closing { -1 } else { 1 };
        depth = depth.max(0);
        max = max.max(depth);
    }
    max as usize
}

/// Drop the nesting container tags, keep everything else.
fn flatten(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut first = true;
    for piece in html.split('<') {
        if first {
            out.push_str(piece);
            first = false;
            continue;
        }
        let end = piece.find('>').unwrap_or(piece.len());
        let tag = piece.get(..end).unwrap_or("");
        let (_, name) = tag_name(tag);
        if NESTERS.contains(&name.as_str()) {
            // keep a line break where a block container was
            if matches!(
                name.as_str(),
                "div" | "table" | "blockquote" | "center" | "section" | "ul" | "ol"
            ) {
                out.push_str("<br>");
            }
            out.push_str(piece.get(end + 1..).unwrap_or(""));
        } else {
            out.push('<');
            out.push_str(piece);
        }
    }
    out
}

/// Like [`to_text`] for an already parsed document.
pub fn doc_to_text(doc: &Html) -> String {
    let mut w = Writer::default();
    let mut skip = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if skip > 0 || is_skipped(name) {
                        skip += 1;
                        continue;
                    }
                    match name {
                        "br" => w.newline(),
                        "td" | "th" => w.cell(),
                        n if is_block(n) => w.newline(),
                        _ => {}
                    }
                }
                Node::Text(t) if skip == 0 => w.text(&t.text),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let name = el.name();
                    if name == "td" || name == "th" {
                        w.in_cell = false;
                    } else if is_block(name) {
                        w.newline();
                    }
                }
            }
        }
    }
    w.finish()
}

#[derive(Default)]
struct Writer {
    /// Finished lines, joined by `\n` (no blank ones).
    out: String,
    cur: String,
    /// cells opened on the current line
    cells: usize,
    in_cell: bool,
    pending_space: bool,
}

impl Writer {
    fn newline(&mut self) {
        let line = self
            .cur
            .trim_matches(|c: char| c == ' ')
            .trim_end_matches('\t')
            .trim_start_matches('\t');
        if !line.trim().is_empty() {
            if !self.out.is_empty() {
                self.out.push('\n');
            }
            self.out.push_str(line);
        }
        self.cur.clear();
        self.cells = 0;
        self.pending_space = false;
    }
    fn cell(&mut self) {
        if self.cells > 0 || !self.cur.trim().is_empty() {
            // drop trailing spaces before the separator
            while self.cur.ends_with(' ') {
                self.cur.pop();
            }
            self.cur.push('\t');
        }
        self.cells += 1;
        self.in_cell = true;
        self.pending_space = false;
    }
    /// Append text: runs of whitespace (and no-break spaces) become one
    /// space, none at the start of a line or after a tab.
    fn text(&mut self, t: &str) {
        if t.is_empty() {
            self.pending_space = true;
            return;
        }
        let b = t.as_bytes();
        let n = b.len();
        // an ASCII byte that is part of a word
        let wordy = |c: u8| c < 0x80 && !matches!(c, b'\t'..=b'\r' | b' ');
        // the separator (whitespace or no-break space) starting at `i`, and its length
        let sep_at = |i: usize| -> Option<usize> {
            let c = *b.get(i)?;
            if c < 0x80 {
                return matches!(c, b'\t'..=b'\r' | b' ').then_some(1);
            }
            let ch = t.get(i..)?.chars().next()?;
            (ch.is_whitespace() || ch == '\u{a0}').then(|| ch.len_utf8())
        };
        let mut i = 0;
        let mut seen_sep = false;
        loop {
            // a run of separators
            let run = i;
            while let Some(len) = sep_at(i) {
                i += len;
            }
            if i > run {
                if run == 0 {
                    self.pending_space = true;
                }
                seen_sep = true;
            }
            if i >= n {
                if i > run {
                    self.pending_space = true;
                }
                return;
            }
            // a word; a single space between words is kept inside the run
            // (`word` would put exactly that space between them)
            let start = i;
            loop {
                while b.get(i).is_some_and(|&c| wordy(c)) {
                    i += 1;
                }
                match b.get(i) {
                    Some(&c) if c >= 0x80 => {
                        if sep_at(i).is_some() {
                            break;
                        }
                        i += t
                            .get(i..)
                            .and_then(|r| r.chars().next())
                            .map_or(1, char::len_utf8);
                    }
                    Some(b' ') if b.get(i + 1).is_some_and(|&c| wordy(c)) => i += 1,
                    _ => break,
                }
            }
            self.word(t.get(start..i).unwrap_or(""), seen_sep);
        }
    }
    fn word(&mut self, w: &str, after_space: bool) {
        if (after_space || self.pending_space)
            && !self.cur.is_empty()
            && !self.cur.ends_with([' ', '\t'])
        {
            self.cur.push(' ');
        }
        self.cur.push_str(w);
        self.pending_space = false;
    }
    fn finish(mut self) -> String {
        self.newline();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_cells_and_rows_apart() {
        let t = to_text(
            "<html><head><style>td{}</style></head><body><p>Dear  customer,<br>see below</p>\
             <table><tr><th>Circuit</th><th>Impact</th></tr><tr><td> ABC-1 </td><td>Outage</td></tr></table></body></html>",
        );
        assert_eq!(
            t,
            "Dear customer,\nsee below\nCircuit\tImpact\nABC-1\tOutage"
        );
    }

    #[test]
    fn inline_elements_do_not_split_words_apart() {
        assert_eq!(
            to_text("<p>Start: <b>2024</b>-01-01 <span>10:00</span> UTC</p>"),
            "Start: 2024-01-01 10:00 UTC"
        );
    }

    /// The writer's whitespace handling as first written (split on every
    /// whitespace char), kept as the reference for the faster scanner.
    fn reference_text(w: &mut Writer, t: &str) {
        for (i, word) in t
            .split(|c: char| c.is_whitespace() || c == '\u{a0}')
            .enumerate()
        {
            if word.is_empty() {
                if i == 0 {
                    w.pending_space = true;
                }
                continue;
            }
            if (i > 0 || w.pending_space) && !w.cur.is_empty() && !w.cur.ends_with([' ', '\t']) {
                w.cur.push(' ');
            }
            w.cur.push_str(word);
            w.pending_space = false;
        }
        if t.ends_with(|c: char| c.is_whitespace() || c == '\u{a0}') {
            w.pending_space = true;
        }
    }

    proptest::proptest! {
        #[test]
        fn writer_text_matches_the_reference_on_random_text(
            texts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        " ", "  ", "\n", "\t", "\r", "\x0b", "\x1c", "\u{a0}", "\u{2003}",
                        "\u{85}", "a", "bc", "é", "中", "-", ":",
                    ]),
                    0..12,
                ),
                1..4,
            )
        ) {
            let (mut fast, mut slow) = (Writer::default(), Writer::default());
            for (k, t) in texts.iter().map(|t| t.concat()).enumerate() {
                if k == 1 {
                    fast.cell();
                    slow.cell();
                }
                fast.text(&t);
                reference_text(&mut slow, &t);
            }
            proptest::prop_assert_eq!(fast.finish(), slow.finish());
        }
    }

    #[test]
    fn writer_text_matches_the_reference() {
        let pieces = [
            "",
            " ",
            "a",
            " a",
            "a ",
            " a b ",
            "\u{a0}x\u{a0}",
            "x\u{2003}y",
            "\u{3000}",
            "\t\n\x0b\x0c\r",
            "é è",
            "\u{85}z",
            "ab\u{a0}\u{a0}cd",
            "\x1c",
            "中文 字",
            "one two  three",
            "a \x0bb c\u{a0}d e\u{2003}f",
            "x y ",
            " lead and trail ",
            "a  b",
            " ",
            "wrapped\nline\r\nand\ttab\n",
            "\nx\ny",
            "p\n\nq",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let (mut fast, mut slow) = (Writer::default(), Writer::default());
                    for (k, t) in [a, b, c].into_iter().enumerate() {
                        if k == 1 {
                            fast.cell();
                            slow.cell();
                        }
                        fast.text(t);
                        reference_text(&mut slow, t);
                    }
                    assert_eq!(fast.finish(), slow.finish(), "{a:?} {b:?} {c:?}");
                }
            }
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(200_000) + "x" + &"</div>".repeat(200_000);
        assert_eq!(to_text(&html), "x");
        let html = "<table><tr><td>".repeat(30_000) + "y";
        assert_eq!(to_text(&html), "y");
    }
}
