//! The IMAP4rev1 client protocol, as much as the source needs.
//!
//! Why not the `imap` crate: its response parser rejects untagged responses
//! a server may send at any time — dovecot answers `SEARCH … KEYWORD X` with
//! `* FLAGS` and `* OK [PERMANENTFLAGS …]` when it first sees keyword `X`,
//! which made every search fail — and it `assert!`s on the tag of the final
//! response, so a confused server could panic us. Here every response is
//! read as a unit (line plus any `{n}` literals) and commands pick out the
//! few responses they care about; everything else is ignored, nothing panics
//! and every size is bounded.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};

use chrono::{DateTime, FixedOffset};

/// Longest response line (outside literals) accepted.
const MAX_LINE: u64 = 1 << 20;
/// Largest literal (message) accepted.
const MAX_LITERAL: u64 = 256 << 20;
/// Deepest parenthesis nesting accepted in a response.
const MAX_DEPTH: usize = 32;

/// What went wrong on the wire.
#[derive(Debug)]
pub(super) enum WireError {
    /// Socket error (including timeouts).
    Io(io::Error),
    /// The server closed the connection (with its `BYE` text, if any).
    Closed(Option<String>),
    /// The server broke the protocol.
    Protocol(String),
    /// Tagged `NO`.
    No(String),
    /// Tagged `BAD`.
    Bad(String),
}

impl From<io::Error> for WireError {
    fn from(e: io::Error) -> Self {
        WireError::Io(e)
    }
}

/// A command part: text, or a string sent as a synchronizing literal.
pub(super) enum Part<'a> {
    Text(&'a str),
    Literal(&'a [u8]),
}

/// The result of a completed command.
#[derive(Debug, Default)]
pub(super) struct Reply {
    /// Untagged responses, without the leading `* ` and final CRLF.
    pub untagged: Vec<Vec<u8>>,
    /// Text of the tagged `OK` (response code included).
    pub text: String,
}

/// One connection's command/response stream.
pub(super) struct Wire<S: Read + Write> {
    io: BufReader<S>,
    tag: u32,
    bye: Option<String>,
}

impl<S: Read + Write> Wire<S> {
    pub(super) fn new(stream: S) -> Self {
        Wire {
            io: BufReader::new(stream),
            tag: 0,
            bye: None,
        }
    }

    /// Read the server greeting (one untagged response).
    pub(super) fn greeting(&mut self) -> Result<Vec<u8>, WireError> {
        let unit = self.read_unit()?;
        Ok(unit.strip_prefix(b"* ").unwrap_or(&unit).to_vec())
    }

    /// Run a command made of text only.
    pub(super) fn simple(&mut self, command: &str) -> Result<Reply, WireError> {
        self.run(&[Part::Text(command)])
    }

    /// Run a command; literals are sent after the server's `+` go-ahead.
    pub(super) fn run(&mut self, parts: &[Part<'_>]) -> Result<Reply, WireError> {
        self.tag = self.tag.wrapping_add(1);
        let tag = format!("m{}", self.tag);
        let mut reply = Reply::default();
        let mut out = format!("{tag} ").into_bytes();
        for part in parts {
            match part {
                Part::Text(t) => out.extend_from_slice(t.as_bytes()),
                Part::Literal(bytes) => {
                    out.extend_from_slice(format!("{{{}}}\r\n", bytes.len()).as_bytes());
                    self.send(&out)?;
                    out.clear();
                    self.await_continuation(&tag, &mut reply)?;
                    out.extend_from_slice(bytes);
                }
            }
        }
        out.extend_from_slice(b"\r\n");
        self.send(&out)?;
        loop {
            let unit = self.read_unit()?;
            match self.classify(&tag, unit, &mut reply)? {
                Some(done) => return done.map(|text| Reply { text, ..reply }),
                None => continue,
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), WireError> {
        let s = self.io.get_mut();
        s.write_all(bytes)?;
        s.flush()?;
        Ok(())
    }

    fn await_continuation(&mut self, tag: &str, reply: &mut Reply) -> Result<(), WireError> {
        loop {
            let unit = self.read_unit()?;
            if unit.first() == Some(&b'+') {
                return Ok(());
            }
            if let Some(done) = self.classify(tag, unit, reply)? {
                // The server finished the command instead of asking for the literal.
                return Err(match done {
                    Ok(text) => WireError::Protocol(format!(
                        "server completed the command before the literal: {text}"
                    )),
                    Err(e) => e,
                });
            }
        }
    }

    /// `Some(result)` when `unit` is our tagged completion.
    #[allow(clippy::type_complexity)]
    fn classify(
        &mut self,
        tag: &str,
        unit: Vec<u8>,
        reply: &mut Reply,
    ) -> Result<Option<Result<String, WireError>>, WireError> {
        if let Some(rest) = unit.strip_prefix(b"* ") {
            if starts_with_ci(rest, b"BYE") {
                self.bye = Some(text(rest.get(3..).unwrap_or_default()));
            }
            reply.untagged.push(rest.to_vec());
            return Ok(None);
        }
        if unit.first() == Some(&b'+') {
            // A continuation we did not ask for (e.g. IDLE leftovers): ignore.
            return Ok(None);
        }
        let Some(rest) = unit
            .strip_prefix(tag.as_bytes())
            .and_then(|r| r.strip_prefix(b" "))
        else {
            return Err(WireError::Protocol(format!(
                "unexpected response {:?}",
                text(unit.get(..80.min(unit.len())).unwrap_or_default())
            )));
        };
        let (status, info) = split_word(rest);
        let info = text(info);
        Ok(Some(if status.eq_ignore_ascii_case(b"OK") {
            Ok(info)
        } else if status.eq_ignore_ascii_case(b"NO") {
            Err(WireError::No(info))
        } else if status.eq_ignore_ascii_case(b"BAD") {
            Err(WireError::Bad(info))
        } else {
            Err(WireError::Protocol(format!(
                "unknown completion status {:?}",
                text(status)
            )))
        }))
    }

    /// One response: a line plus any literals it announces, without the
    /// final CRLF.
    fn read_unit(&mut self) -> Result<Vec<u8>, WireError> {
        let mut buf = Vec::new();
        loop {
            let start = buf.len();
            let n = (&mut self.io).take(MAX_LINE).read_until(b'\n', &mut buf)?;
            if n == 0 {
                return Err(WireError::Closed(self.bye.clone()));
            }
            if buf.last() != Some(&b'\n') {
                return Err(if n as u64 >= MAX_LINE {
                    WireError::Protocol("response line too long".into())
                } else {
                    WireError::Closed(self.bye.clone())
                });
            }
            let line = buf.get(start..).unwrap_or_default();
            match literal_len(trim_crlf(line)) {
                Some(len) if len > MAX_LITERAL => {
                    return Err(WireError::Protocol(format!(
                        "literal of {len} bytes is larger than the limit"
                    )));
                }
                Some(len) => {
                    let got = (&mut self.io).take(len).read_to_end(&mut buf)?;
                    if (got as u64) < len {
                        return Err(WireError::Closed(self.bye.clone()));
                    }
                }
                None => break,
            }
        }
        let end = buf.len() - trim_crlf_len(&buf);
        buf.truncate(end);
        Ok(buf)
    }
}

fn trim_crlf_len(b: &[u8]) -> usize {
    match b {
        [.., b'\r', b'\n'] => 2,
        [.., b'\n'] => 1,
        _ => 0,
    }
}

fn trim_crlf(b: &[u8]) -> &[u8] {
    b.get(..b.len() - trim_crlf_len(b)).unwrap_or_default()
}

/// `{123}` or `{123+}` at the end of a line.
fn literal_len(line: &[u8]) -> Option<u64> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|b| *b == b'{')?;
    let digits = inner.get(open + 1..)?;
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

pub(super) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim().to_string()
}

pub(super) fn starts_with_ci(b: &[u8], prefix: &[u8]) -> bool {
    b.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// The first space-separated word and the rest.
fn split_word(b: &[u8]) -> (&[u8], &[u8]) {
    match b.iter().position(|c| *c == b' ') {
        Some(i) => (
            b.get(..i).unwrap_or_default(),
            b.get(i + 1..).unwrap_or_default(),
        ),
        None => (b, &[]),
    }
}

// ---------------------------------------------------------------------------
// Response values

/// A value in a response: atom (also numbers, NIL, flags, `BODY[...]`),
/// string (quoted or literal) or parenthesized list.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Val<'a> {
    Atom(&'a [u8]),
    Str(Cow<'a, [u8]>),
    List(Vec<Val<'a>>),
}

impl<'a> Val<'a> {
    fn atom_is(&self, name: &str) -> bool {
        matches!(self, Val::Atom(a) if a.eq_ignore_ascii_case(name.as_bytes()))
    }
    fn number(&self) -> Option<u32> {
        match self {
            Val::Atom(a) => std::str::from_utf8(a).ok()?.parse().ok(),
            _ => None,
        }
    }
    /// A string or atom's bytes (`None` for NIL and lists).
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Val::Str(s) => Some(s),
            Val::Atom(a) if !a.eq_ignore_ascii_case(b"NIL") => Some(a),
            _ => None,
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn new(s: &'a [u8]) -> Self {
        Parser { s, i: 0 }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    /// All values to the end of input.
    fn all(&mut self) -> Option<Vec<Val<'a>>> {
        let mut out = Vec::new();
        loop {
            self.skip_spaces();
            if self.peek().is_none() {
                return Some(out);
            }
            out.push(self.val(0)?);
        }
    }
    fn val(&mut self, depth: usize) -> Option<Val<'a>> {
        self.skip_spaces();
        match self.peek()? {
            b'(' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_spaces();
                    match self.peek()? {
                        b')' => {
                            self.i += 1;
                            return Some(Val::List(items));
                        }
                        _ => items.push(self.val(depth + 1)?),
                    }
                }
            }
            b'"' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    let c = self.peek()?;
                    self.i += 1;
                    match c {
                        b'"' => return Some(Val::Str(Cow::Owned(out))),
                        b'\\' => {
                            out.push(self.peek()?);
                            self.i += 1;
                        }
                        b'\r' | b'\n' => return None,
                        c => out.push(c),
                    }
                }
            }
            b'{' => {
                let close = self.s.get(self.i..)?.iter().position(|c| *c == b'}')? + self.i;
                let len = literal_len(self.s.get(self.i..=close)?)?;
                let len = usize::try_from(len).ok()?;
                let start = close + 1;
                let start = if self.s.get(start..start + 2) == Some(b"\r\n") {
                    start + 2
                } else if self.s.get(start) == Some(&b'\n') {
                    start + 1
                } else {
                    return None;
                };
                let data = self.s.get(start..start.checked_add(len)?)?;
                self.i = start + len;
                Some(Val::Str(Cow::Borrowed(data)))
            }
            _ => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    match c {
                        b' ' | b'(' | b')' | b'"' | b'\r' | b'\n' => break,
                        b'[' => {
                            // A section spec: anything up to the closing bracket.
                            let close = self.s.get(self.i..)?.iter().position(|c| *c == b']')?;
                            self.i += close + 1;
                        }
                        _ => self.i += 1,
                    }
                }
                if self.i == start {
                    return None;
                }
                Some(Val::Atom(self.s.get(start..self.i)?))
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The responses the source reads

/// Capability atoms (upper case) from `* CAPABILITY` responses.
pub(super) fn capabilities(untagged: &[Vec<u8>]) -> Vec<String> {
    let mut caps = Vec::new();
    for u in untagged {
        let (word, rest) = split_word(u);
        if word.eq_ignore_ascii_case(b"CAPABILITY") {
            caps.extend(
                text(rest)
                    .split_ascii_whitespace()
                    .map(|c| c.to_ascii_uppercase()),
            );
        }
    }
    caps
}

/// What SELECT tells about the mailbox.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Selected {
    pub uid_validity: Option<u32>,
    pub permanent_flags: Option<Vec<String>>,
    pub read_only: bool,
}

/// Parse the responses of SELECT.
pub(super) fn selected(reply: &Reply) -> Selected {
    let mut s = Selected {
        read_only: reply.text.to_ascii_uppercase().starts_with("[READ-ONLY]"),
        ..Selected::default()
    };
    for u in &reply.untagged {
        let Some(code) = u.strip_prefix(b"OK [").or_else(|| u.strip_prefix(b"ok [")) else {
            continue;
        };
        let Some(end) = code.iter().position(|c| *c == b']') else {
            continue;
        };
        let code = text(code.get(..end).unwrap_or_default());
        let (name, arg) = code.split_once(' ').unwrap_or((&code, ""));
        if name.eq_ignore_ascii_case("UIDVALIDITY") {
            s.uid_validity = arg.trim().parse().ok();
        } else if name.eq_ignore_ascii_case("PERMANENTFLAGS") {
            let inner = arg.trim().trim_start_matches('(').trim_end_matches(')');
            s.permanent_flags = Some(inner.split_ascii_whitespace().map(String::from).collect());
        }
    }
    s
}

/// UIDs from `* SEARCH` responses.
pub(super) fn search(untagged: &[Vec<u8>]) -> Result<Vec<u32>, WireError> {
    let mut uids = Vec::new();
    for u in untagged {
        let (word, rest) = split_word(u);
        if !word.eq_ignore_ascii_case(b"SEARCH") {
            continue;
        }
        for n in text(rest).split_ascii_whitespace() {
            uids.push(
                n.parse()
                    .map_err(|_| WireError::Protocol(format!("bad number {n:?} in SEARCH")))?,
            );
        }
    }
    uids.sort_unstable();
    uids.dedup();
    Ok(uids)
}

/// One message from a `FETCH` response.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Fetched {
    pub uid: Option<u32>,
    pub body: Option<Vec<u8>>,
    pub internal_date: Option<DateTime<FixedOffset>>,
}

/// The `FETCH` responses (unparsable ones are skipped: they may be flag
/// updates of other messages in a form we do not need).
pub(super) fn fetches(untagged: &[Vec<u8>]) -> Vec<Fetched> {
    let mut out = Vec::new();
    for u in untagged {
        let Some(vals) = Parser::new(u).all() else {
            continue;
        };
        let [seq, word, Val::List(items)] = vals.as_slice() else {
            continue;
        };
        if seq.number().is_none() || !word.atom_is("FETCH") {
            continue;
        }
        let mut f = Fetched::default();
        for pair in items.chunks(2) {
            let [key, value] = pair else { continue };
            let Val::Atom(k) = key else { continue };
            if k.eq_ignore_ascii_case(b"UID") {
                f.uid = value.number();
            } else if k.eq_ignore_ascii_case(b"INTERNALDATE") {
                f.internal_date = value
                    .bytes()
                    .and_then(|b| parse_internal_date(&String::from_utf8_lossy(b)));
            } else if starts_with_ci(k, b"BODY[]") {
                f.body = value.bytes().map(<[u8]>::to_vec);
            }
        }
        out.push(f);
    }
    out
}

/// `14-May-2024 09:41:00 +0200` (the day may be space-padded).
pub(super) fn parse_internal_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    let s = if s.find('-') == Some(1) {
        format!("0{s}")
    } else {
        s.to_string()
    };
    DateTime::parse_from_str(&s, "%d-%b-%Y %H:%M:%S %z").ok()
}

/// Mailbox names (as sent, i.e. modified UTF-7) from `* LIST` responses.
pub(super) fn list_names(untagged: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for u in untagged {
        let Some(vals) = Parser::new(u).all() else {
            continue;
        };
        let [word, Val::List(_), _delim, name, ..] = vals.as_slice() else {
            continue;
        };
        if !word.atom_is("LIST") {
            continue;
        }
        if let Some(n) = name.bytes() {
            out.push(n.to_vec());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake server: canned input, and whatever the client wrote.
    struct Fake {
        input: io::Cursor<Vec<u8>>,
        written: Vec<u8>,
    }
    impl Read for Fake {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.input.read(buf)
        }
    }
    impl Write for Fake {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    fn wire(input: &[u8]) -> Wire<Fake> {
        Wire::new(Fake {
            input: io::Cursor::new(input.to_vec()),
            written: Vec::new(),
        })
    }

    #[test]
    fn search_tolerates_unsolicited_responses() {
        // What dovecot sent that broke the imap crate.
        let mut w = wire(
            b"* SEARCH 1 3\r\n* FLAGS (\\Seen MaintParseSuccess)\r\n\
              * OK [PERMANENTFLAGS (\\Seen MaintParseSuccess \\*)] Flags permitted.\r\n\
              * 4 EXISTS\r\nm1 OK Search completed.\r\n",
        );
        let r = w.simple("UID SEARCH UNDELETED").unwrap();
        assert_eq!(search(&r.untagged).unwrap(), vec![1, 3]);
        assert_eq!(w.io.get_ref().written, b"m1 UID SEARCH UNDELETED\r\n");
    }

    #[test]
    fn fetch_with_literal_and_interleaved_flag_update() {
        let body = b"Subject: x\r\n\r\n) \"{3}\r\n* not a response\r\n";
        let mut input = Vec::new();
        input.extend_from_slice(b"* 2 FETCH (FLAGS (\\Seen MaintIgnored))\r\n");
        input.extend_from_slice(
            format!(
                "* 7 FETCH (UID 42 INTERNALDATE \" 4-Jun-2024 09:41:05 +0200\" BODY[] {{{}}}\r\n",
                body.len()
            )
            .as_bytes(),
        );
        input.extend_from_slice(body);
        input.extend_from_slice(b")\r\n* OK [HIGHESTMODSEQ 9] x\r\nm1 OK Fetch completed.\r\n");
        let mut w = wire(&input);
        let r = w
            .simple("UID FETCH 42 (UID INTERNALDATE BODY.PEEK[])")
            .unwrap();
        let f = fetches(&r.untagged);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].uid, None);
        assert_eq!(f[1].uid, Some(42));
        assert_eq!(f[1].body.as_deref(), Some(&body[..]));
        assert_eq!(
            f[1].internal_date.unwrap().to_rfc3339(),
            "2024-06-04T09:41:05+02:00"
        );
    }

    #[test]
    fn fetch_nil_body_and_quoted_body() {
        let r = [
            b"1 FETCH (UID 5 BODY[] NIL)".to_vec(),
            b"2 FETCH (BODY[] \"a \\\"b\\\"\" UID 6)".to_vec(),
        ];
        let f = fetches(&r);
        assert_eq!(f[0].body, None);
        assert_eq!(f[1].body.as_deref(), Some(&b"a \"b\""[..]));
        assert_eq!(f[1].uid, Some(6));
    }

    #[test]
    fn tagged_no_and_bad() {
        let mut w = wire(b"m1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
        match w.simple("LOGIN a b") {
            Err(WireError::No(t)) => assert_eq!(t, "[AUTHENTICATIONFAILED] Authentication failed."),
            other => panic!("{other:?}"),
        }
        let mut w = wire(b"m1 BAD Error in IMAP command\r\n");
        assert!(matches!(w.simple("X"), Err(WireError::Bad(_))));
    }

    #[test]
    fn hostile_or_broken_servers_do_not_panic() {
        // Wrong tag, EOF, BYE then EOF, oversize literal, unknown status.
        let cases: [(&[u8], &str); 6] = [
            (b"zz9 OK done\r\n", "Protocol"),
            (b"", "Closed"),
            (b"* BYE Kicked by admin\r\n", "Closed"),
            (b"* 1 FETCH (BODY[] {999999999999}\r\n", "Protocol"),
            (b"m1 MAYBE\r\n", "Protocol"),
            (b"* 1 FETCH (BODY[] {10}\r\nabc", "Closed"),
        ];
        for (input, want) in cases {
            let e = wire(input).simple("NOOP").unwrap_err();
            assert!(format!("{e:?}").starts_with(want), "{input:?}: {e:?}");
        }
        if let Err(WireError::Closed(Some(bye))) = wire(b"* BYE Kicked by admin\r\n").simple("NOOP")
        {
            assert_eq!(bye, "Kicked by admin");
        } else {
            panic!("no BYE text");
        }
        // Deep nesting and garbage are skipped, not crashed on.
        let deep = format!("1 FETCH {}", "(".repeat(10_000));
        assert!(fetches(&[deep.into_bytes(), b"\xff\xfe (".to_vec()]).is_empty());
        assert!(list_names(&[b"LIST (".to_vec(), b"LIST".to_vec()]).is_empty());
        assert!(search(&[b"SEARCH 1 x".to_vec()]).is_err());
    }

    #[test]
    fn literals_wait_for_the_go_ahead() {
        let mut w = wire(b"+ go ahead\r\n+ go ahead\r\nm1 OK Logged in\r\n");
        w.run(&[
            Part::Text("LOGIN "),
            Part::Literal("jürgen".as_bytes()),
            Part::Text(" "),
            Part::Literal(b"p\"w"),
        ])
        .unwrap();
        assert_eq!(
            w.io.get_ref().written,
            "m1 LOGIN {7}\r\njürgen {3}\r\np\"w\r\n".as_bytes()
        );
        // Refused before the literal: the NO is reported.
        let mut w = wire(b"m1 NO too big\r\n");
        assert!(matches!(
            w.run(&[Part::Text("APPEND x "), Part::Literal(b"abc")]),
            Err(WireError::No(_))
        ));
    }

    #[test]
    fn select_capability_and_list() {
        let reply = Reply {
            untagged: vec![
                b"FLAGS (\\Answered \\Seen)".to_vec(),
                b"OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted.".to_vec(),
                b"3 EXISTS".to_vec(),
                b"OK [UIDVALIDITY 1795344717] UIDs valid".to_vec(),
            ],
            text: "[READ-WRITE] Select completed.".into(),
        };
        let s = selected(&reply);
        assert_eq!(s.uid_validity, Some(1_795_344_717));
        assert_eq!(
            s.permanent_flags,
            Some(vec!["\\Answered".into(), "\\Seen".into(), "\\*".into()])
        );
        assert!(!s.read_only);
        assert!(
            selected(&Reply {
                text: "[READ-ONLY] ok".into(),
                ..Reply::default()
            })
            .read_only
        );

        let caps = capabilities(&[b"CAPABILITY IMAP4rev1 UIDPLUS move".to_vec()]);
        assert!(caps.contains(&"MOVE".to_string()) && caps.contains(&"UIDPLUS".to_string()));

        let names = list_names(&[
            b"LIST (\\HasNoChildren) \".\" MaintParseSuccess".to_vec(),
            b"LIST (\\HasNoChildren) \"/\" \"Carrier Notices\"".to_vec(),
            b"LIST () NIL {5}\r\nA\"B C".to_vec(),
        ]);
        assert_eq!(
            names,
            vec![
                b"MaintParseSuccess".to_vec(),
                b"Carrier Notices".to_vec(),
                b"A\"B C".to_vec()
            ]
        );
    }

    #[test]
    fn internal_dates() {
        assert_eq!(
            parse_internal_date("14-May-2024 09:41:00 +0200")
                .unwrap()
                .to_rfc3339(),
            "2024-05-14T09:41:00+02:00"
        );
        assert!(parse_internal_date(" 1-Jan-2024 00:00:00 -0500").is_some());
        assert!(parse_internal_date("yesterday").is_none());
    }
}
