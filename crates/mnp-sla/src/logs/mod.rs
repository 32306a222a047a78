//! Link UP/DOWN events from syslog and JSON-lines logs.
//!
//! The main entry points are [`parse_str`] / [`parse_bytes`] (a whole input)
//! and [`LogParser`] (line by line, for streams). Each returns
//! [`LinkEvent`]s — device, port as written, [`LinkState`], UTC timestamp,
//! 1-based line number and the raw line — and, for every line that gave no
//! event, its line number and a typed [`LineError`] in the [`ParseReport`].
//! Nothing is dropped silently and nothing panics on input.
//!
//! # Two layers
//!
//! 1. **Framing** (`framing.rs`) reads the envelope of one line:
//!    * RFC 3164 `<PRI>Mmm dd hh:mm:ss host tag: msg` (the `<PRI>` is
//!      optional, as in files written by syslog daemons; `Mmm dd yyyy
//!      hh:mm:ss` and fractional seconds are accepted too);
//!    * RFC 5424 `<PRI>1 2024-05-01T10:00:00.123+02:00 host app procid msgid
//!      [structured-data] msg`;
//!    * the ISO "high precision" file format of rsyslog and syslog-ng,
//!      `2024-05-01T10:00:00.123+02:00 host tag: msg`;
//!    * JSON lines `{"device": …, "port": …, "state": "up"|"down", "ts": …}`
//!      (`ts` an RFC 3339 string, a zone-less `YYYY-MM-DD[T ]hh:mm:ss[.f]`
//!      string, or Unix seconds). JSON lines need no family parser.
//! 2. **Families**: one small parser per device family reads the message
//!    text, each in its own file, registered with `inventory::submit!` as a
//!    [`LinkFamily`] (id, description, docs, fixtures, examples). There is no
//!    central list; [`families`] collects them.
//!
//! # Conventions
//!
//! * **Time zone**: a timestamp without a zone (always the case in RFC 3164)
//!   is read in [`ParseOptions::default_zone`]. A local time that occurs
//!   twice (the hour after a DST fall-back) takes the earlier instant; one
//!   that does not exist (a DST spring-forward gap) is a
//!   [`LineError::Timestamp`].
//! * **Year** of RFC 3164 lines: the first such line is in
//!   [`ParseOptions::year`]; after that, a month that drops by more than six
//!   (December → January) moves to the next year, and a line whose month
//!   jumps up by more than six (a late December line after January ones) is
//!   put in the previous year without moving the current one. A header that
//!   carries a year (`May  1 2024 10:00:00`) is taken as written.
//! * **Device** is the syslog HOSTNAME (or the JSON `device`) as written;
//!   **port** is the interface as written. [`normalize_device`] and
//!   [`normalize_port`] (`Gi0/1` = `GigabitEthernet0/1`) are applied by the
//!   detector when it looks ports up, never to the events themselves.
//! * **Timestamp used** is the syslog header's, not a timestamp the device
//!   may repeat inside the message (Cisco's `*May  1 10:00:00.123:`), since
//!   the header is the one with a known year and zone policy.
//! * **Choosing a family**: families marked specific are asked first; one
//!   claim wins, several claims are [`LineError::Ambiguous`] (never
//!   first-wins by accident). Only when no specific family claims a line are
//!   the fallback families asked, the same way. Cisco IOS is the fallback for
//!   the `%LINK-…`/`%LINEPROTO-…` mnemonics that other Cisco-like systems
//!   (Arista EOS's `Ebra` agent) also write.
//! * **Skipped lines**: blank lines are ignored without a record; every other
//!   line without an event is in [`ParseReport::skipped`]: syslog lines that
//!   are not link-state messages as [`LineError::Unrecognised`] (noise),
//!   the rest as typed errors (bad framing, timestamps, JSON, or a link-state
//!   mnemonic whose text a family could not read).
//!
//! # Example
//!
//! ```
//! use mnp_sla::logs::{parse_str, LinkState, ParseOptions};
//! let log = "<187>May  1 10:00:00 rtr1 %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down\n\
//!            <189>May  1 10:00:01 rtr1 %SYS-5-CONFIG_I: Configured from console by admin\n";
//! let report = parse_str(log, &ParseOptions::new(2024, chrono_tz::Europe::Berlin));
//! assert_eq!(report.events.len(), 1);
//! assert_eq!(report.events[0].port, "GigabitEthernet0/1");
//! assert_eq!(report.events[0].state, LinkState::Down);
//! assert_eq!(report.events[0].ts.to_rfc3339(), "2024-05-01T08:00:00+00:00");
//! assert_eq!(report.skipped.len(), 1); // line 2: noise, reported
//! ```

// Input never panics; tests may.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod arista_eos;
mod cisco_ios;
mod cisco_iosxr;
mod cisco_nxos;
mod framing;
mod interface;
mod juniper_junos;

use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

pub use framing::{Framing, SyslogMessage};
pub use interface::{normalize_device, normalize_port};

/// Link state carried by one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkState {
    /// The link (or its line protocol) came up.
    Up,
    /// The link (or its line protocol) went down, administratively or not.
    Down,
}

impl LinkState {
    /// `up` / `down`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Up => "up",
            LinkState::Down => "down",
        }
    }
}

impl std::fmt::Display for LinkState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LinkState {
    type Err = String;
    /// `up` / `down`, any case, surrounding blanks ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("up") {
            Ok(LinkState::Up)
        } else if t.eq_ignore_ascii_case("down") {
            Ok(LinkState::Down)
        } else {
            Err(format!("{t:?} is neither up nor down"))
        }
    }
}

/// One link UP/DOWN event read from a log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkEvent {
    /// Device as written in the log (syslog HOSTNAME or JSON `device`).
    pub device: String,
    /// Interface as written (`Gi0/1`, `xe-0/0/1`); see [`normalize_port`].
    pub port: String,
    /// New state.
    pub state: LinkState,
    /// When, in UTC.
    pub ts: DateTime<Utc>,
    /// 1-based line number in the input.
    pub line: usize,
    /// The line as read (without its line ending).
    pub raw: String,
    /// Id of the [`LinkFamily`] that read it, or `jsonl` for JSON lines.
    pub family: &'static str,
}

/// Why a line gave no event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// Not a syslog (or JSON) line at all: no header, no host, bad PRI.
    #[error("not a syslog line: {reason}")]
    Framing {
        /// What is wrong with the envelope.
        reason: String,
    },
    /// A timestamp that cannot be read or placed in time.
    #[error("bad timestamp {value:?}: {reason}")]
    Timestamp {
        /// The timestamp as written.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A well-framed syslog line that no family recognises as a link-state
    /// message: ordinary log noise.
    #[error("no link-state message recognised")]
    Unrecognised,
    /// A family recognised its link-state mnemonic but could not read the
    /// interface or the state.
    #[error("{family}: {reason}")]
    Malformed {
        /// Family id.
        family: &'static str,
        /// What could not be read.
        reason: String,
    },
    /// Several families of the same rank claimed the line.
    #[error("claimed by several families: {}", families.join(", "))]
    Ambiguous {
        /// The claiming family ids.
        families: Vec<&'static str>,
    },
    /// A line that should be JSON and is not valid JSON (or not an object).
    #[error("bad JSON: {reason}")]
    Json {
        /// The decoder's message.
        reason: String,
    },
    /// A JSON line without a required field, or a syslog line without a
    /// host.
    #[error("missing field {field}")]
    MissingField {
        /// Field name.
        field: &'static str,
    },
    /// A field whose value cannot be used.
    #[error("bad {field} {value:?}: {reason}")]
    BadValue {
        /// Field name.
        field: &'static str,
        /// The value as written.
        value: String,
        /// Why it was refused.
        reason: String,
    },
}

impl LineError {
    /// True for [`LineError::Unrecognised`]: a valid line that is simply not
    /// a link-state message. Everything else is malformed input.
    pub fn is_noise(&self) -> bool {
        matches!(self, LineError::Unrecognised)
    }
}

/// What the input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Decide per line: a line starting with `{` or `[` is JSON, any other
    /// syslog.
    #[default]
    Auto,
    /// Syslog only (RFC 3164, RFC 5424, ISO file format).
    Syslog,
    /// JSON lines only.
    Jsonl,
}

impl FromStr for InputFormat {
    type Err = String;
    /// `auto`, `syslog`, `jsonl` (or `json`), any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(InputFormat::Auto),
            "syslog" => Ok(InputFormat::Syslog),
            "jsonl" | "json" => Ok(InputFormat::Jsonl),
            other => Err(format!(
                "unknown log format {other:?} (expected auto, syslog or jsonl)"
            )),
        }
    }
}

/// How to read an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// Year of the first RFC 3164 line (its header has none); see the module
    /// docs for how later lines roll over into the next year.
    pub year: i32,
    /// Zone of timestamps written without one.
    pub default_zone: Tz,
    /// Syslog, JSON lines or per-line detection.
    pub format: InputFormat,
}

impl ParseOptions {
    /// Options with a reference year and default zone, format
    /// [`InputFormat::Auto`].
    pub fn new(year: i32, default_zone: Tz) -> Self {
        ParseOptions {
            year,
            default_zone,
            format: InputFormat::Auto,
        }
    }

    /// The same options with another format.
    pub fn with_format(mut self, format: InputFormat) -> Self {
        self.format = format;
        self
    }
}

/// Everything read from one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseReport {
    /// Events, in input order.
    pub events: Vec<LinkEvent>,
    /// Lines that gave no event (blank lines excepted): 1-based line number
    /// and reason, in input order.
    pub skipped: Vec<(usize, LineError)>,
    /// Non-blank lines read.
    pub lines: usize,
}

impl ParseReport {
    /// Skipped lines that are plain noise ([`LineError::Unrecognised`]).
    pub fn unrecognised(&self) -> usize {
        self.skipped.iter().filter(|(_, e)| e.is_noise()).count()
    }

    /// Skipped lines that are malformed (every skip that is not noise).
    pub fn malformed(&self) -> usize {
        self.skipped.len() - self.unrecognised()
    }
}

/// What a family read from a message: the interface as written and the
/// state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    /// Interface as written in the message.
    pub port: String,
    /// New state.
    pub state: LinkState,
}

/// A family parser's answer for one message: `None` when the message is not
/// one of the family's link-state messages; `Some(Err(reason))` when it is
/// (the mnemonic matched) but cannot be read.
pub type Recognise = fn(&SyslogMessage<'_>) -> Option<Result<Recognised, String>>;

/// One example line of a family, checked by the registry tests.
#[derive(Debug, Clone, Copy)]
pub struct FamilyExample {
    /// A complete log line.
    pub line: &'static str,
    /// The port it must yield, as written.
    pub port: &'static str,
    /// The state it must yield.
    pub state: LinkState,
}

/// A registered device-family parser, submitted with `inventory::submit!`
/// from the file that defines it.
pub struct LinkFamily {
    /// Kebab-case id, never changes (`cisco-nxos`); its module is the
    /// snake-case id.
    pub id: &'static str,
    /// One-line description (the systems and mnemonics covered).
    pub description: &'static str,
    /// Documentation with `# Formats`, `# Quirks` and `# Known gaps`
    /// sections.
    pub doc: &'static str,
    /// Fixture files in `crates/mnp-sla/tests/data/` whose events this
    /// family must read.
    pub fixtures: &'static [&'static str],
    /// Example lines with the event each must give.
    pub examples: &'static [FamilyExample],
    /// A fallback: asked only when no specific family claims a line.
    pub fallback: bool,
    /// The parser.
    pub recognise: Recognise,
}

impl std::fmt::Debug for LinkFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkFamily")
            .field("id", &self.id)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

inventory::collect!(LinkFamily);

static FAMILIES: LazyLock<Vec<&'static LinkFamily>> = LazyLock::new(|| {
    let mut v: Vec<&'static LinkFamily> = inventory::iter::<LinkFamily>.into_iter().collect();
    v.sort_by_key(|f| f.id);
    v
});

/// Every registered family, sorted by id.
pub fn families() -> &'static [&'static LinkFamily] {
    &FAMILIES
}

/// The family with this id.
pub fn family(id: &str) -> Option<&'static LinkFamily> {
    families().iter().copied().find(|f| f.id == id)
}

/// Ask the families about one framed message: specific ones first, then
/// fallbacks; one claim wins, several are ambiguous.
fn recognise(msg: &SyslogMessage<'_>) -> Result<(&'static str, Recognised), LineError> {
    recognise_with(families(), msg)
}

fn recognise_with(
    all: &[&'static LinkFamily],
    msg: &SyslogMessage<'_>,
) -> Result<(&'static str, Recognised), LineError> {
    for fallback in [false, true] {
        let mut claims: Vec<(&'static str, Result<Recognised, String>)> = all
            .iter()
            .filter(|f| f.fallback == fallback)
            .filter_map(|f| (f.recognise)(msg).map(|r| (f.id, r)))
            .collect();
        match claims.len() {
            0 => continue,
            1 => {
                if let Some((id, r)) = claims.pop() {
                    return r
                        .map(|rec| (id, rec))
                        .map_err(|reason| LineError::Malformed { family: id, reason });
                }
            }
            _ => {
                return Err(LineError::Ambiguous {
                    families: claims.into_iter().map(|(id, _)| id).collect(),
                });
            }
        }
    }
    Err(LineError::Unrecognised)
}

/// Reads lines one at a time, keeping the RFC 3164 year across lines.
#[derive(Debug, Clone)]
pub struct LogParser {
    opts: ParseOptions,
    years: framing::YearTracker,
}

impl LogParser {
    /// A parser for one input.
    pub fn new(opts: ParseOptions) -> Self {
        let years = framing::YearTracker::new(opts.year);
        LogParser { opts, years }
    }

    /// Read one line (`line_no` is 1-based and only recorded). A trailing
    /// `\r` and a leading byte-order mark are ignored. `Ok(None)` for a blank
    /// line.
    pub fn parse_line(
        &mut self,
        line_no: usize,
        line: &str,
    ) -> Result<Option<LinkEvent>, LineError> {
        let raw = line.strip_suffix('\r').unwrap_or(line);
        let text = raw.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            return Ok(None);
        }
        // No syslog line starts with `{` or `[`; a JSON array is a JSON
        // line that is wrong, not a syslog line.
        let json = text.starts_with('{') || text.starts_with('[');
        match (self.opts.format, json) {
            (InputFormat::Jsonl, _) | (InputFormat::Auto, true) => {
                let j = framing::parse_json(text, self.opts.default_zone)?;
                Ok(Some(LinkEvent {
                    device: j.device,
                    port: j.port,
                    state: j.state,
                    ts: j.ts,
                    line: line_no,
                    raw: raw.to_string(),
                    family: "jsonl",
                }))
            }
            (InputFormat::Syslog, true) => Err(LineError::Framing {
                reason: "a JSON object where a syslog line was expected".into(),
            }),
            (InputFormat::Syslog | InputFormat::Auto, false) => {
                let msg = framing::parse_syslog(text, self.opts.default_zone, &mut self.years)?;
                let (family, rec) = recognise(&msg)?;
                Ok(Some(LinkEvent {
                    device: msg.host.to_string(),
                    port: rec.port,
                    state: rec.state,
                    ts: msg.ts,
                    line: line_no,
                    raw: raw.to_string(),
                    family,
                }))
            }
        }
    }
}

/// Parse a whole input (lines separated by `\n` or `\r\n`).
pub fn parse_str(input: &str, opts: &ParseOptions) -> ParseReport {
    let mut parser = LogParser::new(opts.clone());
    let mut report = ParseReport::default();
    for (i, line) in input.split('\n').enumerate() {
        push(&mut parser, &mut report, i + 1, line);
    }
    report
}

/// Parse a whole input given as bytes; invalid UTF-8 in a line is replaced
/// (U+FFFD) rather than refused, since hosts, mnemonics and interface names
/// are ASCII.
pub fn parse_bytes(input: &[u8], opts: &ParseOptions) -> ParseReport {
    let mut parser = LogParser::new(opts.clone());
    let mut report = ParseReport::default();
    for (i, line) in input.split(|b| *b == b'\n').enumerate() {
        push(
            &mut parser,
            &mut report,
            i + 1,
            &String::from_utf8_lossy(line),
        );
    }
    report
}

fn push(parser: &mut LogParser, report: &mut ParseReport, line_no: usize, line: &str) {
    match parser.parse_line(line_no, line) {
        Ok(None) => {}
        Ok(Some(ev)) => {
            report.lines += 1;
            report.events.push(ev);
        }
        Err(e) => {
            report.lines += 1;
            tracing::trace!(line = line_no, reason = %e, "log line skipped");
            report.skipped.push((line_no, e));
        }
    }
}

// ---- helpers shared by the family parsers ----

/// Compile a constant pattern; `None` (never expected) makes the family
/// claim nothing rather than panic.
fn re(p: &str) -> Option<regex::Regex> {
    regex::Regex::new(p).ok()
}

/// A Cisco-style state phrase: `up`, `down`, `administratively down`,
/// `lowerlayerdown` (line protocol down because the layer below is; any case, blanks and a trailing period ignored). Family regexes capture
/// letters and blanks only, so trailing junk never reaches here.
fn state_phrase(s: &str) -> Result<LinkState, String> {
    let t = s.trim().trim_end_matches('.').trim().to_ascii_lowercase();
    match t.as_str() {
        "up" => Ok(LinkState::Up),
        "down" | "administratively down" | "admin down" | "lowerlayerdown" | "lower layer down" => {
            Ok(LinkState::Down)
        }
        _ => Err(format!("state {t:?} is neither up nor down")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn opts() -> ParseOptions {
        ParseOptions::new(2024, chrono_tz::UTC)
    }

    fn one(line: &str) -> Result<Option<LinkEvent>, LineError> {
        LogParser::new(opts()).parse_line(1, line)
    }

    #[test]
    fn blank_lines_are_ignored_without_a_record() {
        let r = parse_str("\n  \r\n\n", &opts());
        assert_eq!(r.lines, 0);
        assert!(r.skipped.is_empty() && r.events.is_empty());
    }

    #[test]
    fn noise_and_malformed_are_told_apart() {
        let log = "<189>May  1 10:00:00 rtr1 %SYS-5-CONFIG_I: Configured\n\
                   garbage\n\
                   <187>May  1 10:00:00 rtr1 %LINK-3-UPDOWN: Interface , changed state to down\n";
        let r = parse_str(log, &opts());
        assert_eq!(r.lines, 3);
        assert_eq!(r.unrecognised(), 1);
        assert_eq!(r.malformed(), 2);
        assert_eq!(r.skipped[0], (1, LineError::Unrecognised));
        assert!(matches!(r.skipped[1], (2, LineError::Framing { .. })));
        assert!(matches!(
            r.skipped[2],
            (
                3,
                LineError::Malformed {
                    family: "cisco-ios",
                    ..
                }
            )
        ));
    }

    #[test]
    fn arista_claims_ebra_lines_and_cisco_ios_is_the_fallback() {
        let ios = "<187>May  1 10:00:00 rtr1 %LINEPROTO-5-UPDOWN: Line protocol on Interface Gi0/1, changed state to down";
        let eos = "<187>May  1 10:00:00 leaf1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet1, changed state to down";
        assert_eq!(one(ios).unwrap().unwrap().family, "cisco-ios");
        assert_eq!(one(eos).unwrap().unwrap().family, "arista-eos");
    }

    fn claim_all(_: &SyslogMessage<'_>) -> Option<Result<Recognised, String>> {
        Some(Ok(Recognised {
            port: "p1".into(),
            state: LinkState::Down,
        }))
    }
    fn claim_none(_: &SyslogMessage<'_>) -> Option<Result<Recognised, String>> {
        None
    }
    fn fam(id: &'static str, fallback: bool, recognise: Recognise) -> &'static LinkFamily {
        Box::leak(Box::new(LinkFamily {
            id,
            description: "",
            doc: "",
            fixtures: &[],
            examples: &[],
            fallback,
            recognise,
        }))
    }

    #[test]
    fn two_specific_claims_are_ambiguous_and_fallbacks_wait_their_turn() {
        let mut years = framing::YearTracker::new(2024);
        let msg =
            framing::parse_syslog("May  1 10:00:00 r1 x", chrono_tz::UTC, &mut years).unwrap();
        let (a, b) = (fam("a", false, claim_all), fam("b", false, claim_all));
        let (fb, none) = (fam("fb", true, claim_all), fam("n", false, claim_none));
        assert_eq!(
            recognise_with(&[a, b, fb], &msg),
            Err(LineError::Ambiguous {
                families: vec!["a", "b"]
            })
        );
        assert_eq!(recognise_with(&[a, fb, none], &msg).map(|r| r.0), Ok("a"));
        assert_eq!(recognise_with(&[none, fb], &msg).map(|r| r.0), Ok("fb"));
        let fb2 = fam("fb2", true, claim_all);
        assert!(matches!(
            recognise_with(&[none, fb, fb2], &msg),
            Err(LineError::Ambiguous { .. })
        ));
        assert_eq!(recognise_with(&[none], &msg), Err(LineError::Unrecognised));
        assert_eq!(
            LineError::Ambiguous {
                families: vec!["a", "b"]
            }
            .to_string(),
            "claimed by several families: a, b"
        );
    }

    #[test]
    fn format_option_forces_the_framing() {
        let json = r#"{"device":"r1","port":"Gi0/1","state":"down","ts":"2024-05-01T10:00:00Z"}"#;
        let mut p = LogParser::new(opts().with_format(InputFormat::Syslog));
        assert!(matches!(
            p.parse_line(1, json),
            Err(LineError::Framing { .. })
        ));
        let mut p = LogParser::new(opts().with_format(InputFormat::Jsonl));
        assert!(matches!(
            p.parse_line(1, "<187>May  1 10:00:00 r1 x"),
            Err(LineError::Json { .. })
        ));
        let ev = p.parse_line(7, json).unwrap().unwrap();
        assert_eq!(ev.line, 7);
        assert_eq!(ev.family, "jsonl");
        assert_eq!(ev.ts, Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap());
    }

    #[test]
    fn crlf_and_bom_are_ignored() {
        let lf = "\u{feff}<187>May  1 10:00:00 rtr1 %LINK-3-UPDOWN: Interface Gi0/1, changed state to up\nx\n";
        let crlf = lf.replace('\n', "\r\n");
        let a = parse_str(lf, &opts());
        let b = parse_str(&crlf, &opts());
        assert_eq!(a.events.len(), 1);
        assert_eq!(a.skipped, b.skipped);
        assert_eq!(a.events[0].port, b.events[0].port);
        assert!(!b.events[0].raw.ends_with('\r'));
    }

    #[test]
    fn bytes_with_invalid_utf8_still_parse() {
        let mut b = b"<187>May  1 10:00:00 rtr1 %LINK-3-UPDOWN: Interface Gi0/1, changed state to down \xff\n".to_vec();
        b.extend_from_slice(b"\xfe\xfe\n");
        let r = parse_bytes(&b, &opts());
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].state, LinkState::Down);
        assert_eq!(r.skipped.len(), 1);
    }

    #[test]
    fn state_phrases() {
        assert_eq!(state_phrase("Down"), Ok(LinkState::Down));
        assert_eq!(state_phrase("administratively down."), Ok(LinkState::Down));
        assert_eq!(state_phrase(" UP "), Ok(LinkState::Up));
        assert_eq!(state_phrase("lowerlayerdown"), Ok(LinkState::Down));
        assert!(state_phrase("reset").is_err());
        assert_eq!("Down".parse::<LinkState>(), Ok(LinkState::Down));
        assert!("sideways".parse::<LinkState>().is_err());
        assert_eq!("JSONL".parse::<InputFormat>(), Ok(InputFormat::Jsonl));
        assert!("xml".parse::<InputFormat>().is_err());
    }
}
