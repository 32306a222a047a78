//! HTML as a stream of element and text events, without building a DOM.
//!
//! html5ever's tree builder (through `scraper`) costs far more than the rest
//! of parsing a mail, yet rendering text and reading tables only need the
//! elements in the order the tree builder would open and close them. This
//! module has a small, panic-free tokenizer (tags, attributes skipped with
//! their quoting, comments, doctype, raw-text elements, character references
//! decoded exactly like html5ever) and a model of the tree builder's stack of
//! open elements for the cases that occur in real mail: the head section,
//! implied end tags, end tags without an open element (ignored), scopes,
//! tables with implied `tbody`/`tr` and implicitly closed cells.
//!
//! Where the tree builder would move content around — text or elements
//! foster-parented out of a table, the adoption agency splitting a block out
//! of a formatting element, `select`, `template`, foreign content (SVG,
//! MathML), framesets, nesting deeper than [`MAX_DEPTH`] — [`stream`] gives
//! up with [`Unsupported`] and the caller falls back to the DOM. So for every
//! document that [`stream`] accepts, the events are the ones a walk over
//! html5ever's tree would give (void elements open and close at once).

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// Deepest stack of open elements [`stream`] models before giving up (the
/// DOM path then applies its own protection against hostile nesting).
pub const MAX_DEPTH: usize = 256;

/// The receiver of [`stream`]'s events, in document order.
pub trait Sink {
    /// An element starts (lower-case local name).
    fn open(&mut self, name: &str);
    /// An element ends (every opened element is closed, at the latest at the
    /// end of the input).
    fn close(&mut self, name: &str);
    /// Character data (entities decoded). Consecutive calls without an
    /// `open`, `close` or `comment` between them belong to one text node.
    fn text(&mut self, text: &str);
    /// A comment node (it separates text nodes).
    fn comment(&mut self) {}
    /// The source text of the attributes of the element just opened, for
    /// elements made by a start tag (read values with [`attribute`]).
    fn attributes(&mut self, raw: &str) {
        let _ = raw;
    }
}

/// The document uses a construct that [`stream`] does not model; use the DOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

/// Feed the events of `html` to `sink`. On [`Unsupported`] the sink has seen
/// a prefix of the events and should be discarded.
pub fn stream(html: &str, sink: &mut impl Sink) -> Result<(), Unsupported> {
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let mut b = Builder {
        sink,
        src: html,
        tag: None,
        names: String::new(),
        stack: Vec::new(),
        in_body: false,
        text_mode: false,
        skip_lf: false,
        form: false,
        fresh: false,
        reopened: false,
        ctx: Ctx::Body,
        pending_ws: String::new(),
    };
    let mut tok = Tokenizer {
        s: html,
        pos: 0,
        name_at: (0, 0),
        attrs_at: (0, 0),
        text: String::new(),
        text_at: None,
        name: String::new(),
        name_borrowed: None,
    };
    loop {
        let t = tok.next(b.raw_kind());
        match t {
            Tok::Eof => break,
            Tok::Text => {
                let text = std::mem::take(&mut tok.text);
                let t = match tok.text_at.take() {
                    Some((from, to)) => html.get(from..to).unwrap_or(""),
                    None => &text,
                };
                b.text(t)?;
                tok.text = text;
                tok.text.clear();
            }
            Tok::Start(self_closing) => {
                let name = std::mem::take(&mut tok.name);
                let n = match tok.name_borrowed {
                    Some((from, to)) => html.get(from..to).unwrap_or(""),
                    None => &name,
                };
                b.tag = Some((tok.name_at, tok.attrs_at));
                let r = b.start(n, self_closing);
                b.tag = None;
                tok.name = name;
                r?;
            }
            Tok::End => {
                let name = std::mem::take(&mut tok.name);
                let n = match tok.name_borrowed {
                    Some((from, to)) => html.get(from..to).unwrap_or(""),
                    None => &name,
                };
                let r = b.end(n);
                tok.name = name;
                r?;
            }
            Tok::Comment => b.comment(),
            Tok::Doctype => b.skip_lf = false,
        }
    }
    b.finish();
    Ok(())
}

/// The events of one document, recorded once (one pass of the tokenizer)
/// and replayed to any number of sinks: the text rendering and each table
/// reading of a mail share one tokenization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    buf: String,
    events: Vec<(EventKind, usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    Open,
    Close,
    Text,
    Comment,
    /// Attributes of the `td`/`th` just opened.
    Attributes,
}

impl Recording {
    /// Record the events of `html` ([`Unsupported`] as for [`stream`]).
    pub fn record(html: &str) -> Result<Recording, Unsupported> {
        let mut r = Recording {
            buf: String::with_capacity(html.len() / 2),
            events: Vec::with_capacity(html.len() / 16),
        };
        stream(html, &mut r)?;
        Ok(r)
    }

    /// Send the recorded events to `sink`, in order.
    pub fn replay(&self, sink: &mut impl Sink) {
        for &(kind, a, b) in &self.events {
            let s = self.buf.get(a..b).unwrap_or("");
            match kind {
                EventKind::Open => sink.open(s),
                EventKind::Close => sink.close(s),
                EventKind::Text => sink.text(s),
                EventKind::Comment => sink.comment(),
                EventKind::Attributes => sink.attributes(s),
            }
        }
    }

    fn push(&mut self, kind: EventKind, s: &str) {
        let a = self.buf.len();
        self.buf.push_str(s);
        self.events.push((kind, a, self.buf.len()));
    }
}

impl Sink for Recording {
    fn open(&mut self, name: &str) {
        self.push(EventKind::Open, name);
    }
    fn close(&mut self, name: &str) {
        self.push(EventKind::Close, name);
    }
    fn text(&mut self, text: &str) {
        // consecutive text is one node: keep it one event
        if let Some((EventKind::Text, _, end)) = self.events.last_mut()
            && *end == self.buf.len()
        {
            self.buf.push_str(text);
            *end = self.buf.len();
            return;
        }
        self.push(EventKind::Text, text);
    }
    fn comment(&mut self) {
        self.push(EventKind::Comment, "");
    }
    fn attributes(&mut self, raw: &str) {
        // kept for table cells only (cell colours); the rest is not read
        if let Some(&(EventKind::Open, a, b)) = self.events.last()
            && matches!(self.buf.get(a..b), Some("td" | "th"))
        {
            self.push(EventKind::Attributes, raw);
        }
    }
}

/// The value of attribute `name` (lower case) in the attribute source `raw`
/// given to [`Sink::attributes`], decoded as html5ever decodes attribute
/// values; the first of duplicate attributes counts, like in the DOM.
pub fn attribute(raw: &str, name: &str) -> Option<String> {
    let b = raw.as_bytes();
    let mut i = 0;
    loop {
        while b.get(i).is_some_and(|&c| is_ws(c) || c == b'/') {
            i += 1;
        }
        let n0 = i;
        // an attribute name may start with '=' and runs to whitespace, '/', '>' or '='
        if b.get(i) == Some(&b'=') {
            i += 1;
        }
        while b
            .get(i)
            .is_some_and(|&c| !(is_ws(c) || c == b'/' || c == b'>' || c == b'='))
        {
            i += 1;
        }
        if i == n0 {
            return None;
        }
        let this = raw.get(n0..i)?;
        while b.get(i).is_some_and(|&c| is_ws(c)) {
            i += 1;
        }
        let value = if b.get(i) == Some(&b'=') {
            i += 1;
            while b.get(i).is_some_and(|&c| is_ws(c)) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v0 = i + 1;
                    let v1 = v0
                        + b.get(v0..)?
                            .iter()
                            .position(|&c| c == q)
                            .unwrap_or(b.len() - v0);
                    i = v1 + 1;
                    raw.get(v0..v1.min(raw.len()))
                }
                _ => {
                    let v0 = i;
                    while b.get(i).is_some_and(|&c| !(is_ws(c) || c == b'>')) {
                        i += 1;
                    }
                    raw.get(v0..i)
                }
            }
        } else {
            Some("")
        };
        if this.eq_ignore_ascii_case(name) {
            let mut out = String::new();
            push_attr_value(&mut out, value?);
            return Some(out);
        }
    }
}

/// Attribute value text: like [`push_text`] with html5ever's attribute rule
/// for character references (a named reference without `;` followed by an
/// alphanumeric or `=` stays as written).
fn push_attr_value(out: &mut String, v: &str) {
    let mut rest = v;
    while let Some(p) = rest.find(['&', '\r', '\0']) {
        out.push_str(rest.get(..p).unwrap_or(""));
        let tail = rest.get(p..).unwrap_or("");
        if tail.starts_with('&') {
            let after = tail.get(1..).unwrap_or("");
            let decoded = char_ref(after).filter(|&(used, _, _)| {
                after.starts_with('#')
                    || after.get(..used).is_some_and(|m| m.ends_with(';'))
                    || !after
                        .as_bytes()
                        .get(used)
                        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'=')
            });
            match decoded {
                Some((used, a, b)) => {
                    out.push(a);
                    if let Some(b) = b {
                        out.push(b);
                    }
                    rest = after.get(used..).unwrap_or("");
                }
                None => {
                    out.push('&');
                    rest = after;
                }
            }
        } else if tail.starts_with('\r') {
            out.push('\n');
            rest = tail.get(1..).unwrap_or("");
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        } else {
            out.push('\u{fffd}');
            rest = tail.get(1..).unwrap_or("");
        }
    }
    out.push_str(rest);
}

// ---------------------------------------------------------------- tokenizer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    /// Entities decoded, no tags (`title`, `textarea`).
    Rcdata,
    /// Literal text, no tags (`style`, `script`, `xmp`, `iframe`, ...).
    Rawtext,
    /// Everything to the end is text.
    Plaintext,
}

enum Tok {
    Eof,
    /// In `Tokenizer::text`.
    Text,
    /// Start tag in `Tokenizer::name`, self-closing flag.
    Start(bool),
    /// End tag in `Tokenizer::name`.
    End,
    Comment,
    /// A doctype: no node at all.
    Doctype,
}

struct Tokenizer<'a> {
    s: &'a str,
    pos: usize,
    /// Byte ranges of the last tag's name and attributes.
    name_at: (usize, usize),
    attrs_at: (usize, usize),
    /// The pending text: `text_at` when it is one range of the input that
    /// needs no decoding (no copy made), else `text`.
    text: String,
    text_at: Option<(usize, usize)>,
    /// The last tag's name: `name_borrowed` when the input has it in lower
    /// case already, else `name`.
    name: String,
    name_borrowed: Option<(usize, usize)>,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl Tokenizer<'_> {
    fn bytes(&self) -> &[u8] {
        self.s.as_bytes()
    }
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes().get(i).copied()
    }
    fn rest(&self, from: usize) -> &str {
        self.s.get(from..).unwrap_or("")
    }
    fn has_text(&self) -> bool {
        self.text_at.is_some() || !self.text.is_empty()
    }

    /// The next token. `raw` is the content model the builder asks for
    /// (with the name of the element whose end tag ends it).
    fn next(&mut self, raw: Option<(Raw, &str)>) -> Tok {
        if self.pos >= self.s.len() {
            return Tok::Eof;
        }
        if let Some((kind, end)) = raw {
            return self.raw_text(kind, end);
        }
        // data state: text up to the next '<' that starts a token
        let start = self.pos;
        let mut seg = start;
        let mut i = start;
        loop {
            let Some(off) = find_byte(self.bytes(), i, b'<') else {
                self.push_data(seg, self.s.len());
                self.pos = self.s.len();
                break;
            };
            let lt = i + off;
            match self.at(lt + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    if lt > seg {
                        self.push_data(seg, lt);
                    }
                    if self.has_text() {
                        self.pos = lt;
                        return Tok::Text;
                    }
                    return self.tag(lt + 1, false);
                }
                Some(b'/') => match self.at(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        if lt > seg {
                            self.push_data(seg, lt);
                        }
                        if self.has_text() {
                            self.pos = lt;
                            return Tok::Text;
                        }
                        return self.tag(lt + 2, true);
                    }
                    Some(b'>') => {
                        // `</>` is dropped; the text around it is one run
                        self.push_data(seg, lt);
                        seg = lt + 3;
                        i = lt + 3;
                    }
                    Some(_) => {
                        if lt > seg {
                            self.push_data(seg, lt);
                        }
                        if self.has_text() {
                            self.pos = lt;
                            return Tok::Text;
                        }
                        self.pos = self.bogus_comment(lt + 2);
                        return Tok::Comment;
                    }
                    None => {
                        self.push_data(seg, self.s.len());
                        self.pos = self.s.len();
                        break;
                    }
                },
                Some(b'!') | Some(b'?') => {
                    if lt > seg {
                        self.push_data(seg, lt);
                    }
                    if self.has_text() {
                        self.pos = lt;
                        return Tok::Text;
                    }
                    return self.markup(lt);
                }
                // a '<' that starts nothing is text
                _ => i = lt + 1,
            }
        }
        if !self.has_text() {
            Tok::Eof
        } else {
            Tok::Text
        }
    }

    /// `<!...` or `<?...` at `lt`.
    fn markup(&mut self, lt: usize) -> Tok {
        if self.at(lt + 1) == Some(b'?') {
            self.pos = self.bogus_comment(lt + 1);
            return Tok::Comment;
        }
        let body = lt + 2;
        let rest = self.rest(body);
        if let Some(after) = rest.strip_prefix("--") {
            let c = body + 2;
            self.pos = if after.starts_with('>') {
                c + 1
            } else if after.starts_with("->") {
                c + 2
            } else {
                comment_end(after).map_or(self.s.len(), |e| c + e)
            };
            return Tok::Comment;
        }
        // doctype, CDATA (a bogus comment in HTML content) and anything else:
        // up to the next '>'
        let doctype = rest
            .get(..7)
            .is_some_and(|d| d.eq_ignore_ascii_case("doctype"));
        self.pos = self.bogus_comment(body);
        if doctype { Tok::Doctype } else { Tok::Comment }
    }

    fn bogus_comment(&self, from: usize) -> usize {
        match find_byte(self.bytes(), from, b'>') {
            Some(p) => from + p + 1,
            None => self.s.len(),
        }
    }

    /// A tag whose name starts at `i`. A tag cut off by the end of input is
    /// dropped, like html5ever does.
    fn tag(&mut self, i: usize, end: bool) -> Tok {
        let s = self.s;
        let b = s.as_bytes();
        let mut j = i;
        let mut nul = false;
        while let Some(&c) = b.get(j) {
            if is_ws(c) || c == b'/' || c == b'>' {
                break;
            }
            nul |= c == 0;
            j += 1;
        }
        let raw = s.get(i..j).unwrap_or("");
        if !nul && !raw.bytes().any(|c| c.is_ascii_uppercase()) {
            self.name_borrowed = Some((i, j));
        } else {
            self.name_borrowed = None;
            self.name.clear();
            self.name.push_str(raw);
            self.name.make_ascii_lowercase();
            if nul {
                self.name = self.name.replace('\0', "\u{fffd}");
            }
        }
        match self.attributes(j) {
            Some((after, self_closing)) => {
                self.pos = after;
                self.name_at = (i, j);
                self.attrs_at = (j, after.saturating_sub(1).max(j));
                if end {
                    Tok::End
                } else {
                    Tok::Start(self_closing)
                }
            }
            None => {
                self.pos = self.s.len();
                Tok::Eof
            }
        }
    }

    /// Skip the attributes of a tag from `i` (just after its name); the
    /// position after its `>` and whether it ended in `/>`.
    fn attributes(&self, mut i: usize) -> Option<(usize, bool)> {
        #[derive(Clone, Copy)]
        enum S {
            Before,
            Name,
            AfterName,
            BeforeValue,
            Unquoted,
            AfterQuoted,
            SelfClosing,
        }
        let b = self.bytes();
        let mut s = S::Before;
        loop {
            // inside a name or an unquoted value, skip to the next byte
            // that can end it
            match s {
                S::Name => {
                    while b
                        .get(i)
                        .is_some_and(|&c| !is_ws(c) && !matches!(c, b'/' | b'>' | b'='))
                    {
                        i += 1;
                    }
                }
                S::Unquoted => {
                    while b.get(i).is_some_and(|&c| !is_ws(c) && c != b'>') {
                        i += 1;
                    }
                }
                _ => {}
            }
            let c = *b.get(i)?;
            match s {
                S::Before => match c {
                    _ if is_ws(c) => {}
                    b'/' => s = S::SelfClosing,
                    b'>' => return Some((i + 1, false)),
                    _ => s = S::Name,
                },
                S::Name => match c {
                    _ if is_ws(c) => s = S::AfterName,
                    b'/' => s = S::SelfClosing,
                    b'>' => return Some((i + 1, false)),
                    b'=' => s = S::BeforeValue,
                    _ => {}
                },
                S::AfterName => match c {
                    _ if is_ws(c) => {}
                    b'/' => s = S::SelfClosing,
                    b'=' => s = S::BeforeValue,
                    b'>' => return Some((i + 1, false)),
                    _ => s = S::Name,
                },
                S::BeforeValue => match c {
                    _ if is_ws(c) => {}
                    b'"' | b'\'' => {
                        let p = memchr::memchr(c, b.get(i + 1..)?)?;
                        i += p + 1;
                        s = S::AfterQuoted;
                    }
                    b'>' => return Some((i + 1, false)),
                    _ => s = S::Unquoted,
                },
                S::Unquoted => match c {
                    _ if is_ws(c) => s = S::Before,
                    b'>' => return Some((i + 1, false)),
                    _ => {}
                },
                S::AfterQuoted => match c {
                    _ if is_ws(c) => s = S::Before,
                    b'/' => s = S::SelfClosing,
                    b'>' => return Some((i + 1, false)),
                    _ => {
                        s = S::Before;
                        continue;
                    }
                },
                S::SelfClosing => match c {
                    b'>' => return Some((i + 1, true)),
                    _ => {
                        s = S::Before;
                        continue;
                    }
                },
            }
            i += 1;
        }
    }

    /// Content of a raw-text element up to its end tag (left for the next
    /// call, which reads it as an end tag).
    fn raw_text(&mut self, kind: Raw, end: &str) -> Tok {
        let start = self.pos;
        let stop = if kind == Raw::Plaintext {
            self.s.len()
        } else if end == "script" {
            self.find_script_end(start).unwrap_or(self.s.len())
        } else {
            self.find_end_tag(start, end).unwrap_or(self.s.len())
        };
        if let Some(seg) = self.s.get(start..stop) {
            push_text(&mut self.text, seg, kind == Raw::Rcdata, true);
        }
        self.pos = stop;
        if stop >= self.s.len() && !self.has_text() {
            return Tok::Eof;
        }
        if !self.has_text() {
            // the end tag right away
            return self.next(None);
        }
        Tok::Text
    }

    /// Where a script's content ends: its `</script` end tag, except inside
    /// a `<!-- ... <script> ... -->` section (the tokenizer's escaped and
    /// double-escaped script states).
    fn find_script_end(&self, from: usize) -> Option<usize> {
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum St {
            Data,
            Escaped,
            DoubleEscaped,
        }
        let b = self.bytes();
        let named = |at: usize| {
            b.get(at..at + 6)
                .is_some_and(|n| n.eq_ignore_ascii_case(b"script"))
                && b.get(at + 6)
                    .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
        };
        let mut st = St::Data;
        let mut dashes = 0usize;
        let mut i = from;
        while let Some(&c) = b.get(i) {
            match c {
                b'-' if st != St::Data => {
                    dashes += 1;
                    i += 1;
                    continue;
                }
                b'>' if st != St::Data && dashes >= 2 => st = St::Data,
                b'<' => {
                    if st == St::Data && b.get(i + 1..i + 4) == Some(b"!--".as_slice()) {
                        st = St::Escaped;
                        dashes = 2;
                        i += 4;
                        continue;
                    }
                    let close = b.get(i + 1) == Some(&b'/');
                    if named(if close { i + 2 } else { i + 1 }) {
                        match (st, close) {
                            (St::Data | St::Escaped, true) => return Some(i),
                            (St::Escaped, false) => st = St::DoubleEscaped,
                            (St::DoubleEscaped, true) => st = St::Escaped,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            dashes = 0;
            i += 1;
        }
        None
    }

    fn find_end_tag(&self, from: usize, name: &str) -> Option<usize> {
        let b = self.bytes();
        let mut i = from;
        loop {
            let p = i + find_byte(b, i, b'<')?;
            if b.get(p + 1) != Some(&b'/') {
                i = p + 1;
                continue;
            }
            let n = p + 2;
            let candidate = b.get(n..n + name.len())?;
            if candidate.eq_ignore_ascii_case(name.as_bytes())
                && b.get(n + name.len())
                    .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
            {
                return Some(p);
            }
            i = p + 2;
        }
    }

    /// Data-state text `[from, to)`: entities decoded, NUL dropped.
    fn push_data(&mut self, from: usize, to: usize) {
        if let Some(seg) = self.s.get(from..to) {
            if !self.has_text() {
                if memchr::memchr3(b'\r', 0, b'&', seg.as_bytes()).is_none() {
                    // nothing to decode: the text is this range of the input
                    if !seg.is_empty() {
                        self.text_at = Some((from, to));
                    }
                    return;
                }
            } else if let Some((a, b)) = self.text_at.take() {
                self.text.push_str(self.s.get(a..b).unwrap_or(""));
            }
            push_text(&mut self.text, seg, true, false);
        }
    }
}

/// Offset (from `from`) of the first `byte` in `b[from..]`.
fn find_byte(b: &[u8], from: usize, byte: u8) -> Option<usize> {
    memchr::memchr(byte, b.get(from..)?)
}

/// The end (just past `-->` or `--!>`) of a comment whose text starts `s`.
fn comment_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    loop {
        let p = from + s.get(from..)?.find("--")?;
        match (b.get(p + 2), b.get(p + 3)) {
            (Some(b'>'), _) => return Some(p + 3),
            (Some(b'!'), Some(b'>')) => return Some(p + 4),
            _ => from = p + 1,
        }
    }
}

/// Append `seg` to `out` with newlines normalised (CR LF and CR become LF),
/// character references decoded when `entities`, and NUL dropped (data) or
/// replaced by U+FFFD (`raw`).
fn push_text(out: &mut String, seg: &str, entities: bool, raw: bool) {
    let special = |b: &[u8]| {
        if entities {
            memchr::memchr3(b'\r', 0, b'&', b)
        } else {
            memchr::memchr2(b'\r', 0, b)
        }
    };
    let mut rest = seg;
    while let Some(p) = special(rest.as_bytes()) {
        out.push_str(rest.get(..p).unwrap_or(""));
        let tail = rest.get(p..).unwrap_or("");
        let mut chars = tail.chars();
        match chars.next() {
            Some('\r') => {
                out.push('\n');
                rest = tail.get(1..).unwrap_or("");
                if rest.starts_with('\n') {
                    rest = rest.get(1..).unwrap_or("");
                }
            }
            Some('\0') => {
                if raw {
                    out.push('\u{fffd}');
                }
                rest = tail.get(1..).unwrap_or("");
            }
            _ => {
                let after = tail.get(1..).unwrap_or("");
                match char_ref(after) {
                    Some((used, a, b)) => {
                        out.push(a);
                        if let Some(b) = b {
                            out.push(b);
                        }
                        rest = after.get(used..).unwrap_or("");
                    }
                    None => {
                        out.push('&');
                        rest = after;
                    }
                }
            }
        }
    }
    out.push_str(rest);
}

/// A character reference at the start of `s` (just after the `&`), decoded
/// as html5ever does in text: the bytes it uses and its one or two chars.
fn char_ref(s: &str) -> Option<(usize, char, Option<char>)> {
    let b = s.as_bytes();
    match b.first()? {
        b'#' => {
            let (base, digits_at) = match b.get(1) {
                Some(b'x' | b'X') => (16, 2),
                _ => (10, 1),
            };
            let mut i = digits_at;
            let mut num: u32 = 0;
            let mut too_big = false;
            while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(base)) {
                num = num.wrapping_mul(base);
                if num > 0x10FFFF {
                    too_big = true;
                }
                num = num.wrapping_add(d);
                i += 1;
            }
            if i == digits_at {
                return None;
            }
            if b.get(i) == Some(&b';') {
                i += 1;
            }
            let c = match num {
                n if n > 0x10FFFF || too_big => '\u{fffd}',
                0 | 0xD800..=0xDFFF => '\u{fffd}',
                0x80..=0x9F => C1_REPLACEMENTS
                    .get((num - 0x80) as usize)
                    .copied()
                    .flatten()
                    .or_else(|| char::from_u32(num))
                    .unwrap_or('\u{fffd}'),
                n => char::from_u32(n).unwrap_or('\u{fffd}'),
            };
            Some((i, c, None))
        }
        c if c.is_ascii_alphanumeric() => {
            // the references mail uses most, terminated by ';': no longer
            // name starts with them, so they are the longest match
            for (name, ch) in [
                ("nbsp;", '\u{a0}'),
                ("amp;", '&'),
                ("lt;", '<'),
                ("gt;", '>'),
                ("quot;", '"'),
            ] {
                if s.starts_with(name) {
                    return Some((name.len(), ch, None));
                }
            }
            let mut best: Option<(usize, (u32, u32))> = None;
            for (i, ch) in s.char_indices() {
                let end = i + ch.len_utf8();
                match s.get(..end).and_then(|p| NAMED_ENTITIES.get(p)) {
                    Some(&m) => {
                        if m.0 != 0 {
                            best = Some((end, m));
                        }
                    }
                    None => break,
                }
            }
            let (used, (c1, c2)) = best?;
            let a = char::from_u32(c1)?;
            let b = if c2 == 0 { None } else { char::from_u32(c2) };
            Some((used, a, b))
        }
        _ => None,
    }
}

// ------------------------------------------------------------------ builder

struct Builder<'s, 'h, S: Sink> {
    sink: &'s mut S,
    /// The document, and the name and attribute ranges of the current start tag.
    src: &'h str,
    tag: Option<((usize, usize), (usize, usize))>,
    /// Names of the open elements, back to back; `stack` holds their starts.
    names: String,
    stack: Vec<usize>,
    in_body: bool,
    /// The current node is a raw-text element (its content and end tag come next).
    text_mode: bool,
    /// Drop a line feed at the start of the next text (after `pre`, `listing`, `textarea`).
    skip_lf: bool,
    /// A `form` element has been opened (the tree builder's form pointer).
    form: bool,
    /// The innermost table has no caption, row or cell yet.
    fresh: bool,
    /// A formatting element was closed by something other than its own end
    /// tag: html5ever may reopen it later (not modelled), so constructs
    /// whose outcome depends on the exact stack (`</form>`) are declined.
    reopened: bool,
    /// The insertion context: the nearest table-related open element.
    ctx: Ctx,
    /// Whitespace text of a fresh table: the tree keeps it in the table,
    /// after the blocks foster-parented before it, so it is sent when the
    /// table gets its first row (or ends).
    pending_ws: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Body,
    Cell,
    Caption,
    Row,
    TableBody,
    Table,
    ColGroup,
}

fn table_ctx_of(name: &str) -> Option<Ctx> {
    match name {
        "td" | "th" => Some(Ctx::Cell),
        "caption" => Some(Ctx::Caption),
        "tr" => Some(Ctx::Row),
        "tbody" | "thead" | "tfoot" => Some(Ctx::TableBody),
        "table" => Some(Ctx::Table),
        "colgroup" => Some(Ctx::ColGroup),
        _ => None,
    }
}

fn raw_kind_of(name: &str) -> Option<Raw> {
    match name {
        "title" | "textarea" => Some(Raw::Rcdata),
        "style" | "script" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Some(Raw::Rawtext)
        }
        "plaintext" => Some(Raw::Plaintext),
        _ => None,
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "area"
            | "article"
            | "aside"
            | "base"
            | "basefont"
            | "bgsound"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "iframe"
            | "img"
            | "input"
            | "keygen"
            | "li"
            | "link"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "meta"
            | "nav"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "p"
            | "param"
            | "plaintext"
            | "pre"
            | "script"
            | "search"
            | "section"
            | "select"
            | "source"
            | "style"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "track"
            | "ul"
            | "wbr"
            | "xmp"
    )
}

/// Start tags that close an open `p` (in button scope) first.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "listing"
            | "form"
            | "plaintext"
            | "xmp"
            | "hr"
            | "li"
            | "dd"
            | "dt"
    )
}

/// End tags that close their element only when it is in scope.
fn scoped_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "button"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "applet"
            | "marquee"
            | "object"
    )
}

fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// Elements that make up a table's structure (the table context).
fn is_table_node(name: &str) -> bool {
    matches!(
        name,
        "table" | "tbody" | "thead" | "tfoot" | "tr" | "colgroup"
    )
}

/// Blocks (line breaks before and after) that may be foster-parented out of
/// a table that has no rows yet.
fn fosterable(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "center"
            | "blockquote"
            | "ul"
            | "ol"
            | "dl"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "address"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn is_ws_text(t: &str) -> bool {
    t.bytes().all(is_ws)
}

/// Elements whose start tag before `<body>` goes into the head.
fn head_content(name: &str) -> bool {
    matches!(
        name,
        "base"
            | "basefont"
            | "bgsound"
            | "link"
            | "meta"
            | "title"
            | "noscript"
            | "noframes"
            | "style"
            | "script"
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Default,
    Button,
    ListItem,
    Table,
}

impl<S: Sink> Builder<'_, '_, S> {
    fn name_at(&self, i: usize) -> &str {
        let start = self.stack.get(i).copied().unwrap_or(0);
        let end = self.stack.get(i + 1).copied().unwrap_or(self.names.len());
        self.names.get(start..end).unwrap_or("")
    }
    fn top(&self) -> &str {
        match self.stack.len() {
            0 => "",
            n => self.name_at(n - 1),
        }
    }
    fn raw_kind(&self) -> Option<(Raw, &str)> {
        if !self.text_mode {
            return None;
        }
        let top = self.top();
        raw_kind_of(top).map(|k| (k, top))
    }

    fn push(&mut self, name: &str) -> Result<(), Unsupported> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Unsupported("nesting"));
        }
        match name {
            "table" => self.fresh = true,
            "caption" | "colgroup" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" => {
                self.fresh = false;
                self.flush_ws();
            }
            _ => {}
        }
        self.sink.open(name);
        self.send_attributes(name);
        self.stack.push(self.names.len());
        self.names.push_str(name);
        if let Some(c) = table_ctx_of(name) {
            self.ctx = c;
        }
        Ok(())
    }
    fn flush_ws(&mut self) {
        if !self.pending_ws.is_empty() {
            self.sink.text(&self.pending_ws);
            self.pending_ws.clear();
        }
    }
    fn void(&mut self, name: &str) {
        self.sink.open(name);
        self.send_attributes(name);
        self.sink.close(name);
    }
    /// Give the sink the attributes of the current start tag when `name` is
    /// the element it makes (not an implied one).
    fn send_attributes(&mut self, name: &str) {
        if let Some(((n0, n1), (a0, a1))) = self.tag
            && self
                .src
                .get(n0..n1)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            self.tag = None;
            if let Some(raw) = self.src.get(a0..a1)
                && !raw.trim().is_empty()
            {
                self.sink.attributes(raw);
            }
        }
    }
    fn pop(&mut self) {
        if let Some(start) = self.stack.pop() {
            if let Some(name) = self.names.get(start..) {
                if is_formatting(name) {
                    // still in the list of active formatting elements: the
                    // tree builder reopens it where text comes next
                    self.reopened = true;
                }
                if name == "table" {
                    self.fresh = false;
                    if !self.pending_ws.is_empty() {
                        self.sink.text(&self.pending_ws);
                        self.pending_ws.clear();
                    }
                }
                self.sink.close(name);
            }
            let recompute = self.names.get(start..).and_then(table_ctx_of).is_some();
            self.names.truncate(start);
            if recompute {
                self.ctx = self.compute_ctx();
            }
        }
    }
    /// Pop until an element for which `f` holds has been popped.
    fn pop_until(&mut self, f: impl Fn(&str) -> bool) {
        while !self.stack.is_empty() {
            let hit = f(self.top());
            self.pop();
            if hit {
                break;
            }
        }
    }
    fn in_scope(&self, f: impl Fn(&str) -> bool, scope: Scope) -> bool {
        for i in (0..self.stack.len()).rev() {
            let n = self.name_at(i);
            if f(n) {
                return true;
            }
            let boundary = match scope {
                Scope::Table => matches!(n, "html" | "table" | "template"),
                _ => {
                    matches!(
                        n,
                        "applet"
                            | "caption"
                            | "html"
                            | "table"
                            | "td"
                            | "th"
                            | "marquee"
                            | "object"
                            | "template"
                    ) || (scope == Scope::Button && n == "button")
                        || (scope == Scope::ListItem && matches!(n, "ol" | "ul"))
                }
            };
            if boundary {
                return false;
            }
        }
        false
    }
    fn ctx(&self) -> Ctx {
        self.ctx
    }
    fn compute_ctx(&self) -> Ctx {
        for i in (0..self.stack.len()).rev() {
            match self.name_at(i) {
                "td" | "th" => return Ctx::Cell,
                "caption" => return Ctx::Caption,
                "tr" => return Ctx::Row,
                "tbody" | "thead" | "tfoot" => return Ctx::TableBody,
                "table" => return Ctx::Table,
                "colgroup" => return Ctx::ColGroup,
                _ => {}
            }
        }
        Ctx::Body
    }
    fn close_p(&mut self) {
        if self.in_scope(|n| n == "p", Scope::Button) {
            self.pop_until(|n| n == "p");
        }
    }

    fn comment(&mut self) {
        self.skip_lf = false;
        if self.in_body {
            self.sink.comment();
        }
    }

    fn text(&mut self, t: &str) -> Result<(), Unsupported> {
        let mut t = t;
        if std::mem::take(&mut self.skip_lf) {
            t = t.strip_prefix('\n').unwrap_or(t);
        }
        if self.text_mode {
            if self.in_body && !t.is_empty() {
                self.sink.text(t);
            }
            return Ok(());
        }
        if !self.in_body {
            t = t.trim_start_matches(|c: char| c.is_ascii() && is_ws(c as u8));
            if t.is_empty() {
                return Ok(());
            }
            self.in_body = true;
        }
        if t.is_empty() {
            return Ok(());
        }
        if self.fresh && is_table_node(self.top()) && is_ws_text(t) {
            self.pending_ws.push_str(t);
            return Ok(());
        }
        match self.ctx() {
            Ctx::Table | Ctx::TableBody | Ctx::Row | Ctx::ColGroup
                if is_table_node(self.top()) && !is_ws_text(t) =>
            {
                Err(Unsupported("text foster-parented out of a table"))
            }
            _ => {
                self.sink.text(t);
                Ok(())
            }
        }
    }

    fn start(&mut self, name: &str, self_closing: bool) -> Result<(), Unsupported> {
        let _ = self_closing; // ignored on HTML elements, as in html5ever
        self.skip_lf = false;
        let name = if name == "image" { "img" } else { name };
        if !self.in_body {
            match name {
                "html" | "head" => return Ok(()),
                "frameset" | "template" => return Err(Unsupported(name_static(name))),
                _ if head_content(name) => {
                    // head content: not rendered, but raw text must be skipped
                    if raw_kind_of(name).is_some() {
                        self.in_body_head_raw(name)?;
                    }
                    return Ok(());
                }
                _ => self.in_body = true,
            }
        }
        loop {
            let ctx = self.ctx();
            match ctx {
                Ctx::Table | Ctx::TableBody | Ctx::Row | Ctx::ColGroup
                    if !is_table_node(self.top()) =>
                {
                    // inside an element foster-parented before the table
                    if matches!(
                        name,
                        "table"
                            | "caption"
                            | "col"
                            | "colgroup"
                            | "tbody"
                            | "tfoot"
                            | "thead"
                            | "tr"
                            | "td"
                            | "th"
                    ) {
                        // clear the stack back to the table context
                        while !self.stack.is_empty() && !is_table_node(self.top()) {
                            self.pop();
                        }
                        continue;
                    }
                    // the table's own rules still apply to these
                    match name {
                        "form" => {
                            if !self.form {
                                self.form = true;
                                self.void(name);
                            }
                            return Ok(());
                        }
                        "input" => return Err(Unsupported("input in a table")),
                        _ => return self.start_in_body(name),
                    }
                }
                Ctx::Table | Ctx::TableBody | Ctx::Row | Ctx::ColGroup => match (ctx, name) {
                    (Ctx::ColGroup, "col") => {
                        self.void(name);
                        return Ok(());
                    }
                    (Ctx::ColGroup, _) => {
                        self.pop_until(|n| n == "colgroup");
                        continue;
                    }
                    (_, "table") => {
                        self.pop_until(|n| n == "table");
                        continue;
                    }
                    (Ctx::Row, "td" | "th") => {
                        self.push(name)?;
                        return Ok(());
                    }
                    (
                        Ctx::Row,
                        "tr" | "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead",
                    ) => {
                        self.pop_until(|n| n == "tr");
                        continue;
                    }
                    (Ctx::TableBody, "tr") => {
                        self.push(name)?;
                        return Ok(());
                    }
                    (Ctx::TableBody, "td" | "th") => {
                        self.push("tr")?;
                        continue;
                    }
                    (
                        Ctx::TableBody,
                        "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead",
                    ) => {
                        self.pop_until(|n| matches!(n, "tbody" | "thead" | "tfoot"));
                        continue;
                    }
                    (Ctx::Table, "caption" | "tbody" | "tfoot" | "thead" | "colgroup") => {
                        self.push(name)?;
                        return Ok(());
                    }
                    (Ctx::Table, "col") => {
                        self.push("colgroup")?;
                        continue;
                    }
                    (Ctx::Table, "tr" | "td" | "th") => {
                        self.push("tbody")?;
                        continue;
                    }
                    (_, "style" | "script") => {
                        self.push(name)?;
                        self.text_mode = true;
                        return Ok(());
                    }
                    (_, "form") => {
                        if !self.form {
                            self.form = true;
                            self.void(name);
                        }
                        return Ok(());
                    }
                    // A block right at the start of a table goes before it: its
                    // lines come before the table's rows either way.
                    _ if self.fresh && fosterable(name) => return self.start_in_body(name),
                    _ => return Err(Unsupported("element foster-parented out of a table")),
                },
                Ctx::Cell | Ctx::Caption
                    if matches!(
                        name,
                        "caption"
                            | "col"
                            | "colgroup"
                            | "tbody"
                            | "td"
                            | "tfoot"
                            | "th"
                            | "thead"
                            | "tr"
                    ) =>
                {
                    if ctx == Ctx::Cell {
                        self.pop_until(|n| matches!(n, "td" | "th"));
                    } else {
                        self.pop_until(|n| n == "caption");
                    }
                    continue;
                }
                _ => return self.start_in_body(name),
            }
        }
    }

    /// A raw-text element in the head: its content is skipped (not in body).
    fn in_body_head_raw(&mut self, name: &str) -> Result<(), Unsupported> {
        // Pushed so that the tokenizer reads its content as raw text; the
        // events are not sent (in_body is false), see `text` and `end`.
        if self.stack.len() >= MAX_DEPTH {
            return Err(Unsupported("nesting"));
        }
        self.stack.push(self.names.len());
        self.names.push_str(name);
        self.text_mode = true;
        Ok(())
    }

    fn start_in_body(&mut self, name: &str) -> Result<(), Unsupported> {
        match name {
            "html" | "body" | "head" | "frame" => Ok(()),
            "caption" | "col" | "colgroup" | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr" => {
                Ok(())
            }
            "frameset" | "template" | "select" | "svg" | "math" | "input" | "isindex" => {
                // input: type=hidden matters in tables; kept simple here
                if name == "input" {
                    self.void(name);
                    return Ok(());
                }
                Err(Unsupported(name_static(name)))
            }
            "a" | "nobr" => {
                // a second `a` (or `nobr`) runs the adoption agency
                for i in (0..self.stack.len()).rev() {
                    let n = self.name_at(i);
                    if n == name {
                        return Err(Unsupported("nested a"));
                    }
                    if matches!(
                        n,
                        "td" | "th" | "caption" | "applet" | "marquee" | "object" | "template"
                    ) {
                        break;
                    }
                }
                self.push(name)
            }
            "form" => {
                if self.form {
                    return Ok(());
                }
                self.close_p();
                self.form = true;
                self.push(name)
            }
            "li" | "dd" | "dt" => {
                for i in (0..self.stack.len()).rev() {
                    let n = self.name_at(i);
                    let hit = if name == "li" {
                        n == "li"
                    } else {
                        matches!(n, "dd" | "dt")
                    };
                    if hit {
                        let target = n.to_string();
                        self.pop_until(|x| x == target);
                        break;
                    }
                    if is_special(n) && !matches!(n, "address" | "div" | "p") {
                        break;
                    }
                }
                self.close_p();
                self.push(name)
            }
            "button" => {
                if self.in_scope(|n| n == "button", Scope::Default) {
                    self.pop_until(|n| n == "button");
                }
                self.push(name)
            }
            "option" | "optgroup" => {
                if self.top() == "option" {
                    self.pop();
                }
                self.push(name)
            }
            _ if is_heading(name) => {
                self.close_p();
                if is_heading(self.top()) {
                    self.pop();
                }
                self.push(name)
            }
            _ if is_void(name) => {
                if name == "hr" {
                    self.close_p();
                }
                self.void(name);
                Ok(())
            }
            _ => {
                if closes_p(name) {
                    self.close_p();
                }
                self.push(name)?;
                if matches!(name, "pre" | "listing" | "textarea") {
                    self.skip_lf = true;
                }
                if raw_kind_of(name).is_some() {
                    self.text_mode = true;
                }
                Ok(())
            }
        }
    }

    fn end(&mut self, name: &str) -> Result<(), Unsupported> {
        self.skip_lf = false;
        if self.text_mode {
            self.text_mode = false;
            if self.in_body {
                self.pop();
            } else if let Some(start) = self.stack.pop() {
                self.names.truncate(start);
            }
            return Ok(());
        }
        if !self.in_body {
            match name {
                "body" | "html" | "br" => self.in_body = true,
                _ => return Ok(()),
            }
        }
        let ctx = self.ctx();
        if matches!(ctx, Ctx::Table | Ctx::TableBody | Ctx::Row | Ctx::ColGroup)
            && is_table_node(self.top())
            && matches!(name, "p" | "br")
        {
            // would be an empty element foster-parented right before the
            // table, next to the table's own line break: nothing to render
            return Ok(());
        }
        match ctx {
            Ctx::Table | Ctx::TableBody | Ctx::Row | Ctx::Cell | Ctx::Caption | Ctx::ColGroup
                if matches!(
                    name,
                    "table"
                        | "tbody"
                        | "thead"
                        | "tfoot"
                        | "tr"
                        | "td"
                        | "th"
                        | "caption"
                        | "colgroup"
                ) =>
            {
                if self.in_scope(|n| n == name, Scope::Table) {
                    self.pop_until(|n| n == name);
                }
                Ok(())
            }
            Ctx::Table | Ctx::TableBody | Ctx::Row | Ctx::ColGroup
                if matches!(name, "body" | "col" | "html") =>
            {
                Ok(())
            }
            _ => self.end_in_body(name),
        }
    }

    fn end_in_body(&mut self, name: &str) -> Result<(), Unsupported> {
        match name {
            "body" | "html" => Ok(()),
            "br" => {
                self.void("br");
                Ok(())
            }
            "p" => {
                if self.in_scope(|n| n == "p", Scope::Button) {
                    self.pop_until(|n| n == "p");
                } else {
                    self.void("p");
                }
                Ok(())
            }
            "li" => {
                if self.in_scope(|n| n == "li", Scope::ListItem) {
                    self.pop_until(|n| n == "li");
                }
                Ok(())
            }
            "dd" | "dt" => {
                if self.in_scope(|n| n == name, Scope::Default) {
                    self.pop_until(|n| n == name);
                }
                Ok(())
            }
            "form" => {
                if self.reopened && self.form {
                    Err(Unsupported("form end with reopened formatting elements"))
                } else if self.top() == "form" {
                    self.form = false;
                    self.pop();
                    Ok(())
                } else if self.in_scope(|n| n == "form", Scope::Default) {
                    Err(Unsupported("form closed with open children"))
                } else {
                    self.form = false;
                    Ok(())
                }
            }
            _ if is_heading(name) => {
                if self.in_scope(is_heading, Scope::Default) {
                    self.pop_until(is_heading);
                }
                Ok(())
            }
            _ if scoped_block(name) => {
                if self.in_scope(|n| n == name, Scope::Default) {
                    self.pop_until(|n| n == name);
                }
                Ok(())
            }
            _ if is_formatting(name) => {
                let mut special_above = false;
                for i in (0..self.stack.len()).rev() {
                    let n = self.name_at(i);
                    if n == name {
                        if special_above {
                            return Err(Unsupported("adoption agency"));
                        }
                        let depth = self.stack.len() - i;
                        let reopened = self.reopened;
                        for _ in 1..depth {
                            self.pop();
                        }
                        let above = self.reopened;
                        self.pop();
                        // the element closed by its own end tag leaves the list
                        self.reopened = reopened || above;
                        return Ok(());
                    }
                    if matches!(
                        n,
                        "td" | "th"
                            | "caption"
                            | "applet"
                            | "marquee"
                            | "object"
                            | "template"
                            | "table"
                            | "html"
                    ) {
                        return Ok(());
                    }
                    special_above |= is_special(n);
                }
                Ok(())
            }
            _ => {
                for i in (0..self.stack.len()).rev() {
                    let n = self.name_at(i);
                    if n == name {
                        let depth = self.stack.len() - i;
                        for _ in 0..depth {
                            self.pop();
                        }
                        return Ok(());
                    }
                    if is_special(n) {
                        return Ok(());
                    }
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self) {
        if !self.in_body {
            self.stack.clear();
            self.names.clear();
            return;
        }
        while !self.stack.is_empty() {
            self.pop();
        }
    }
}

fn name_static(name: &str) -> &'static str {
    match name {
        "frameset" => "frameset",
        "template" => "template",
        "select" => "select",
        "svg" => "svg",
        "math" => "math",
        _ => "unsupported element",
    }
}
