//! The decoded view of one mail message that every parser reads.
//!
//! [`Email::parse`] turns untrusted bytes into an [`Email`]: headers decoded
//! (RFC 2047), every leaf part transfer-decoded and, for text parts, charset
//! decoded; `message/rfc822` parts become nested [`Email`]s in
//! [`Email::forwarded`]. `mailparse` stays behind this module: no parser sees
//! its types. Limits ([`Limits`]) bound size and nesting so a hostile message
//! yields a typed [`Error`] instead of a hang or a stack overflow.

use std::cell::OnceCell;

use chrono::{DateTime, TimeZone, Utc};
use mailparse::ParsedMail;
use scraper::Html;

use crate::error::{Error, Result};
use crate::html;

/// Resource limits applied while decoding a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest message accepted, in bytes (default 25 MiB).
    pub max_size: usize,
    /// Deepest MIME nesting accepted, counting multipart containers and
    /// forwarded `message/rfc822` parts (default 32).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_size: 25 * 1024 * 1024,
            max_depth: 32,
        }
    }
}

/// A mailbox from an address header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mailbox {
    /// Display name, if any.
    pub name: Option<String>,
    /// The address (`local@domain`), as written.
    pub address: String,
}

impl Mailbox {
    /// The domain part of the address, lower-cased (empty when there is none).
    pub fn domain(&self) -> String {
        self.address
            .rsplit_once('@')
            .map(|(_, d)| d.trim().trim_end_matches('>').to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// One leaf part of the message (not a multipart container).
#[derive(Debug, Clone)]
pub struct Part {
    /// Lower-case MIME type, e.g. `text/html`.
    pub mime: String,
    /// File name from Content-Disposition or Content-Type `name=`.
    pub filename: Option<String>,
    /// True when Content-Disposition says `attachment`.
    pub is_attachment: bool,
    /// The transfer-decoded bytes.
    pub data: Vec<u8>,
    /// For `text/*` parts (and text-like attachments such as `.ics`, `.csv`):
    /// the charset-decoded text.
    pub text: Option<String>,
}

impl Part {
    /// True for `text/plain` parts that are not attachments.
    pub fn is_plain_body(&self) -> bool {
        self.mime == "text/plain" && !self.is_attachment
    }
    /// True for `text/html` parts.
    pub fn is_html(&self) -> bool {
        self.mime == "text/html"
    }
    /// True for iCalendar parts (by type or `.ics` file name).
    pub fn is_calendar(&self) -> bool {
        self.mime == "text/calendar"
            || self.mime == "application/ics"
            || self
                .filename
                .as_deref()
                .is_some_and(|f| f.to_ascii_lowercase().ends_with(".ics"))
    }
}

/// A decoded mail message.
#[derive(Debug)]
pub struct Email {
    /// `From:` mailbox, if present and readable.
    pub from: Option<Mailbox>,
    /// `Sender:` mailbox.
    pub sender: Option<Mailbox>,
    /// `Reply-To:` mailbox.
    pub reply_to: Option<Mailbox>,
    /// Decoded subject (RFC 2047), empty when absent.
    pub subject: String,
    /// `Date:` header as UTC.
    pub date: Option<DateTime<Utc>>,
    /// `Message-ID:` without angle brackets.
    pub message_id: Option<String>,
    /// Leaf parts in document order.
    pub parts: Vec<Part>,
    /// Forwarded messages (`message/rfc822` parts), decoded.
    pub forwarded: Vec<Email>,
    /// Size of the raw message in bytes.
    pub size: usize,
    raw: Vec<u8>,
    headers_cache: OnceCell<Vec<(String, String)>>,
    text_cache: OnceCell<String>,
    html_text_cache: OnceCell<String>,
    html_cache: OnceCell<Vec<Html>>,
    events_cache: OnceCell<Vec<Option<html::stream::Recording>>>,
    html_texts_cache: OnceCell<Vec<String>>,
}

impl Email {
    /// Decode a message with default [`Limits`].
    ///
    /// ```
    /// let raw = b"From: NOC <noc@example.com>\r\nSubject: =?utf-8?q?Wartung_=C3=BC?=\r\n\r\nhello";
    /// let mail = mnp_core::Email::parse(raw).unwrap();
    /// assert_eq!(mail.subject, "Wartung \u{fc}");
    /// assert_eq!(mail.from.unwrap().domain(), "example.com");
    /// ```
    pub fn parse(raw: &[u8]) -> Result<Email> {
        Self::parse_with(raw, &Limits::default())
    }

    /// Decode a message with explicit limits.
    pub fn parse_with(raw: &[u8], limits: &Limits) -> Result<Email> {
        if raw.len() > limits.max_size {
            return Err(Error::TooLarge {
                size: raw.len(),
                limit: limits.max_size,
            });
        }
        decode(raw, limits, 0)
    }

    /// The raw bytes this message was decoded from (for plugins, which take
    /// bytes, and for storing the original).
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// Every sender-ish address: From, Sender, Reply-To, then the same for
    /// forwarded messages.
    pub fn senders(&self) -> Vec<&Mailbox> {
        let mut v: Vec<&Mailbox> = [&self.from, &self.sender, &self.reply_to]
            .into_iter()
            .flatten()
            .collect();
        for f in &self.forwarded {
            v.extend(f.senders());
        }
        v
    }

    /// The From address, else Sender, else Reply-To (empty string if none).
    pub fn sender_address(&self) -> &str {
        [&self.from, &self.sender, &self.reply_to]
            .into_iter()
            .flatten()
            .map(|m| m.address.as_str())
            .find(|a| !a.is_empty())
            .unwrap_or("")
    }

    /// All headers, decoded (unfolded, RFC 2047), in order. Decoded on the
    /// first call: most mails only need the few fields read eagerly.
    pub fn headers(&self) -> &[(String, String)] {
        self.headers_cache.get_or_init(|| {
            mailparse::parse_headers(&self.raw)
                .map(|(headers, _)| {
                    headers
                        .iter()
                        .map(|h| (h.get_key(), header_value(h)))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// A header value by case-insensitive name (first occurrence).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Text bodies of the given MIME type, not attachments, this message only.
    pub fn bodies<'a>(&'a self, mime: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.parts
            .iter()
            .filter(move |p| p.mime == mime && !p.is_attachment)
            .filter_map(|p| p.text.as_deref())
    }

    /// All `text/html` part texts (including attached HTML), this message first,
    /// then forwarded messages.
    pub fn html_sources(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .parts
            .iter()
            .filter(|p| p.is_html())
            .filter_map(|p| p.text.as_deref())
            .collect();
        for f in &self.forwarded {
            v.extend(f.html_sources());
        }
        v
    }

    /// Parsed HTML documents for [`Email::html_sources`], parsed once and cached.
    /// Building the tree is the most expensive step of reading a mail; the
    /// text renderings ([`Email::text`], [`Email::html_text`]) and routing do
    /// not need it, so only parsers that select elements pay for it.
    pub fn html_docs(&self) -> &[Html] {
        self.html_cache
            .get_or_init(|| self.html_sources().into_iter().map(html::parse).collect())
    }

    /// The recorded HTML events ([`html::stream::Recording`]) of each of
    /// [`Email::html_sources`], in the same order, recorded once and cached;
    /// `None` for a document the stream declines (use the DOM for it).
    pub fn html_events(&self) -> Vec<Option<&html::stream::Recording>> {
        let mut v: Vec<Option<&html::stream::Recording>> =
            self.own_html_events().iter().map(Option::as_ref).collect();
        for f in &self.forwarded {
            v.extend(f.html_events());
        }
        v
    }

    /// Recordings of this message's own HTML parts (those with text).
    fn own_html_events(&self) -> &[Option<html::stream::Recording>] {
        self.events_cache.get_or_init(|| {
            self.parts
                .iter()
                .filter(|p| p.is_html())
                .filter_map(|p| p.text.as_deref())
                .map(|src| html::stream::Recording::record(src).ok())
                .collect()
        })
    }

    /// This message's own HTML parts (those with text) rendered as text,
    /// once.
    fn own_html_texts(&self) -> &[String] {
        self.html_texts_cache.get_or_init(|| {
            self.parts
                .iter()
                .filter(|p| p.is_html())
                .filter_map(|p| p.text.as_deref())
                .zip(self.own_html_events())
                .map(|(src, rec)| Self::render(src, rec.as_ref()))
                .collect()
        })
    }

    /// Every HTML rendering, this message's then the forwarded ones, each
    /// followed by a line break.
    fn push_html_texts(&self, out: &mut String) {
        for t in self.own_html_texts() {
            out.push_str(t);
            out.push('\n');
        }
        for f in &self.forwarded {
            f.push_html_texts(out);
        }
    }

    /// An HTML source rendered as text from its recording, else the DOM.
    fn render(src: &str, rec: Option<&html::stream::Recording>) -> String {
        match rec {
            Some(r) => html::recording_to_text(r),
            None => html::doc_to_text(&html::parse(src)),
        }
    }

    /// iCalendar texts from any part (body or attachment), then forwarded messages.
    pub fn calendars(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .parts
            .iter()
            .filter(|p| p.is_calendar())
            .filter_map(|p| p.text.as_deref())
            .collect();
        for f in &self.forwarded {
            v.extend(f.calendars());
        }
        v
    }

    /// Attachments (parts with a disposition of attachment or a file name).
    pub fn attachments(&self) -> impl Iterator<Item = &Part> {
        self.parts
            .iter()
            .filter(|p| p.is_attachment || p.filename.is_some())
    }

    /// The readable text of the message: every plain-text body; when a
    /// message has no plain-text body, its HTML rendered as text
    /// ([`html::to_text`]: one line per block or table row, cells separated by
    /// a tab). Forwarded messages follow, each the same way. Cached.
    pub fn text(&self) -> &str {
        self.text_cache.get_or_init(|| {
            let mut out = String::new();
            let plains: Vec<&str> = self.bodies("text/plain").collect();
            if plains.iter().any(|p| !p.trim().is_empty()) {
                for p in plains {
                    out.push_str(p);
                    out.push('\n');
                }
            } else {
                let attachment = self
                    .parts
                    .iter()
                    .filter(|p| p.is_html() && p.text.is_some())
                    .map(|p| p.is_attachment);
                for (attachment, text) in attachment.zip(self.own_html_texts()) {
                    if !attachment {
                        out.push_str(text);
                        out.push('\n');
                    }
                }
            }
            for f in &self.forwarded {
                out.push_str(f.text());
                out.push('\n');
            }
            out
        })
    }

    /// The HTML bodies rendered as text (rows on lines, cells tab-separated),
    /// regardless of whether a plain-text body exists.
    /// (Rendered once and cached; each call returns a copy.)
    pub fn html_text(&self) -> String {
        self.html_text_cache
            .get_or_init(|| {
                let mut out = String::new();
                self.push_html_texts(&mut out);
                out
            })
            .clone()
    }
}

/// The first header called `name` (ASCII case-insensitive), compared on the
/// raw name bytes: mailparse's lookup decodes every name it passes.
fn first_header<'a>(
    headers: &'a [mailparse::MailHeader<'a>],
    name: &str,
) -> Option<&'a mailparse::MailHeader<'a>> {
    headers
        .iter()
        .find(|h| h.get_key_raw().eq_ignore_ascii_case(name.as_bytes()))
}

fn mailbox_of(parsed: &ParsedMail<'_>, name: &str) -> Option<Mailbox> {
    let header = first_header(&parsed.headers, name)?;
    if let Ok(list) = mailparse::addrparse_header(header) {
        for a in list.iter() {
            match a {
                mailparse::MailAddr::Single(s) => {
                    return Some(Mailbox {
                        name: s.display_name.clone(),
                        address: s.addr.clone(),
                    });
                }
                mailparse::MailAddr::Group(g) => {
                    if let Some(s) = g.addrs.first() {
                        return Some(Mailbox {
                            name: s.display_name.clone(),
                            address: s.addr.clone(),
                        });
                    }
                }
            }
        }
    }
    // Unparseable address header: keep any `x@y` token we can see.
    let value = header.get_value();
    let token = value
        .split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == ',' || c == '"')
        .find(|t| t.contains('@'))?;
    Some(Mailbox {
        name: None,
        address: token.to_string(),
    })
}

/// A header value unfolded and RFC 2047-decoded, as
/// [`mailparse::MailHeader::get_value`] gives it. Most values have no encoded
/// word: for a UTF-8 value without `=?` that is the lines, each without its
/// leading whitespace, joined by one space, done here without mailparse's
/// token vectors; anything else goes to mailparse.
fn header_value(h: &mailparse::MailHeader<'_>) -> String {
    let raw = h.get_value_raw();
    if memchr::memmem::find(raw, b"=?").is_some() {
        return h.get_value();
    }
    let Ok(value) = std::str::from_utf8(raw) else {
        return h.get_value();
    };
    let mut out = String::with_capacity(value.len());
    for (i, line) in value.lines().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line.trim_start());
    }
    out
}

/// The transfer-decoded body of a leaf part. Quoted-printable is decoded by
/// [`decode_quoted_printable`] (mailparse's decoder builds a filtered copy
/// of the body and decodes it char by char); the rest by mailparse.
fn body_bytes(p: &ParsedMail<'_>) -> std::result::Result<Vec<u8>, mailparse::MailParseError> {
    match p.get_body_encoded() {
        mailparse::body::Body::QuotedPrintable(b) => Ok(decode_quoted_printable(b.get_raw())),
        _ => p.get_body_raw(),
    }
}

/// Quoted-printable decoding with exactly the results of the
/// `quoted_printable` crate in its robust mode (which mailparse uses): bytes
/// other than printable ASCII, tab, CR and LF are dropped first; each line
/// loses its trailing spaces, tabs and CRs; `=` + two hex digits is a byte,
/// `=` at the end of a line joins it to the next, `=` + one character at the
/// end of a line is kept as is, any other `=` is kept; lines are joined by
/// CR LF, and a final line break is kept.
fn decode_quoted_printable(input: &[u8]) -> Vec<u8> {
    let keep = |c: u8| matches!(c, b'\t' | b'\r' | b'\n' | b' '..=b'~');
    let mut out = Vec::with_capacity(input.len());
    let mut scratch = Vec::new();
    // None before the first line; Some(true) when the line before ended
    // with a hard line break
    let mut line_break: Option<bool> = None;
    let mut ends_with_newline = false;
    let mut rest = input;
    while !rest.is_empty() {
        let (seg, next, had_newline) = match memchr::memchr(b'\n', rest) {
            Some(nl) => (
                rest.get(..nl).unwrap_or_default(),
                rest.get(nl + 1..).unwrap_or_default(),
                true,
            ),
            None => (rest, &[][..], false),
        };
        rest = next;
        let line: &[u8] = if seg.iter().all(|&c| keep(c)) {
            seg
        } else {
            scratch.clear();
            scratch.extend(seg.iter().copied().filter(|&c| keep(c)));
            &scratch
        };
        if !had_newline && line.is_empty() {
            // nothing kept after the last line feed: no further line
            break;
        }
        ends_with_newline = had_newline;
        let end = line
            .iter()
            .rposition(|&c| !matches!(c, b' ' | b'\t' | b'\r'))
            .map_or(0, |p| p + 1);
        let line = line.get(..end).unwrap_or_default();
        if line_break == Some(true) {
            out.extend_from_slice(b"\r\n");
            line_break = Some(false);
        }
        let mut i = 0;
        let mut hard = true;
        while let Some(&c) = line.get(i) {
            if c != b'=' {
                // copy the run up to the next '='
                let run = line
                    .get(i..)
                    .and_then(|r| memchr::memchr(b'=', r))
                    .map_or(line.len(), |p| i + p);
                out.extend_from_slice(line.get(i..run).unwrap_or_default());
                i = run;
                continue;
            }
            match (line.get(i + 1), line.get(i + 2)) {
                (None, _) => {
                    // soft line break
                    hard = false;
                    break;
                }
                (Some(&u), None) => {
                    out.push(b'=');
                    out.push(u);
                    break;
                }
                (Some(&u), Some(&l)) => {
                    match (hex_digit(u), hex_digit(l)) {
                        (Some(h), Some(lo)) => out.push(h << 4 | lo),
                        _ => out.extend_from_slice(&[b'=', u, l]),
                    }
                    i += 3;
                }
            }
        }
        if hard {
            line_break = Some(true);
        }
    }
    if ends_with_newline && line_break == Some(true) {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn mailparse_err(e: mailparse::MailParseError) -> Error {
    let s = e.to_string();
    if s.contains("Recursion limit") {
        Error::TooDeep { limit: 100 }
    } else {
        Error::Malformed { reason: s }
    }
}

fn decode(raw: &[u8], limits: &Limits, depth: usize) -> Result<Email> {
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Malformed {
            reason: "empty message".into(),
        });
    }
    if !starts_with_header(raw) {
        return Err(Error::Malformed {
            reason: "not a mail message: no header block".into(),
        });
    }
    let raw = strip_mbox_separator(raw);
    let parsed = mailparse::parse_mail(raw).map_err(mailparse_err)?;
    if parsed.headers.is_empty() {
        return Err(Error::Malformed {
            reason: "no header block".into(),
        });
    }
    // the other headers are decoded when asked for (`Email::headers`)
    let first = |name: &str| first_header(&parsed.headers, name).map(header_value);
    let subject = first("Subject").unwrap_or_default().trim().to_string();
    let date = first("Date")
        .and_then(|d| mailparse::dateparse(&d).ok())
        .and_then(|ts| Utc.timestamp_opt(ts, 0).single());
    let message_id = first("Message-ID").map(|m| {
        m.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim()
            .to_string()
    });
    let mut email = Email {
        from: mailbox_of(&parsed, "From"),
        sender: mailbox_of(&parsed, "Sender"),
        reply_to: mailbox_of(&parsed, "Reply-To"),
        subject,
        date,
        message_id,
        parts: Vec::new(),
        forwarded: Vec::new(),
        size: raw.len(),
        raw: raw.to_vec(),
        headers_cache: OnceCell::new(),
        text_cache: OnceCell::new(),
        html_text_cache: OnceCell::new(),
        html_cache: OnceCell::new(),
        events_cache: OnceCell::new(),
        html_texts_cache: OnceCell::new(),
    };
    walk(&parsed, limits, depth, &mut email)?;
    Ok(email)
}

/// Drop a leading mbox `From ` separator line, if any.
fn strip_mbox_separator(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"From ") {
        match raw.iter().position(|b| *b == b'\n') {
            Some(nl) => raw.get(nl + 1..).unwrap_or_default(),
            None => raw,
        }
    } else {
        raw
    }
}

/// True when the first line is an RFC 5322 header field (`Name: value`, the
/// name printable ASCII without spaces) — what every mail starts with.
fn starts_with_header(raw: &[u8]) -> bool {
    let start = raw
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(raw.len());
    let mut rest = raw.get(start..).unwrap_or_default();
    let mut line = &rest[..rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len())];
    if line.starts_with(b"From ") {
        // an mbox "From " separator line in front of a single saved message
        rest = rest.get(line.len() + 1..).unwrap_or_default();
        line = &rest[..rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len())];
    }
    match line.iter().position(|b| *b == b':') {
        Some(0) | None => false,
        Some(colon) => line[..colon].iter().all(|b| (33..=126).contains(b)),
    }
}

fn walk(p: &ParsedMail<'_>, limits: &Limits, depth: usize, email: &mut Email) -> Result<()> {
    if depth > limits.max_depth {
        return Err(Error::TooDeep {
            limit: limits.max_depth,
        });
    }
    let mime = p.ctype.mimetype.to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        if p.subparts.is_empty() {
            // A multipart without readable children: keep the body as text so
            // nothing is silently lost.
            if let Ok(body) = p.get_body()
                && !body.trim().is_empty()
            {
                email.parts.push(Part {
                    mime: "text/plain".into(),
                    filename: None,
                    is_attachment: false,
                    data: body.as_bytes().to_vec(),
                    text: Some(body),
                });
            }
        }
        for sp in &p.subparts {
            walk(sp, limits, depth + 1, email)?;
        }
        return Ok(());
    }
    let disp = p.get_content_disposition();
    let is_attachment = disp.disposition == mailparse::DispositionType::Attachment;
    let filename = disp
        .params
        .get("filename")
        .or_else(|| p.ctype.params.get("name"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let data = body_bytes(p).map_err(|e| Error::Malformed {
        reason: format!("cannot decode {mime} part: {e}"),
    })?;
    if mime == "message/rfc822" || mime == "message/global" {
        match decode(&data, limits, depth + 1) {
            Ok(inner) => email.forwarded.push(inner),
            Err(e @ (Error::TooDeep { .. } | Error::TooLarge { .. })) => return Err(e),
            Err(_) => email.parts.push(Part {
                mime: "text/plain".into(),
                filename,
                is_attachment,
                text: Some(String::from_utf8_lossy(&data).into_owned()),
                data,
            }),
        }
        return Ok(());
    }
    let texty = mime.starts_with("text/")
        || mime == "application/ics"
        || mime == "application/csv"
        || filename.as_deref().is_some_and(|f| {
            let f = f.to_ascii_lowercase();
            f.ends_with(".ics") || f.ends_with(".csv") || f.ends_with(".txt")
        });
    let text = if texty {
        Some(decode_text(p, &data))
    } else {
        None
    };
    email.parts.push(Part {
        mime,
        filename,
        is_attachment,
        data,
        text,
    });
    Ok(())
}

/// Charset-decode a text part. Unknown or missing charsets fall back to
/// UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the de-facto
/// superset of Latin-1 that mislabelled mail uses in practice). `us-ascii`
/// labels are treated the same way, since 8-bit bytes under that label are
/// common in the wild.
fn decode_text(p: &ParsedMail<'_>, data: &[u8]) -> String {
    let label = p.ctype.charset.trim().to_ascii_lowercase();
    let explicit = p.ctype.params.contains_key("charset")
        && !matches!(label.as_str(), "us-ascii" | "ascii" | "");
    if explicit && let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
        let (s, _, _) = enc.decode(data);
        return s.into_owned();
    }
    match std::str::from_utf8(data) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(data).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    /// mailparse's own decoding of `body` as a quoted-printable part.
    fn mailparse_qp(body: &[u8]) -> Vec<u8> {
        let mut mail = b"Content-Transfer-Encoding: quoted-printable\r\n\r\n".to_vec();
        mail.extend_from_slice(body);
        let parsed = mailparse::parse_mail(&mail).unwrap();
        parsed.get_body_raw().unwrap()
    }

    #[test]
    fn quoted_printable_hand_checked() {
        // soft break joins, hex octets decode, a bad octet and a lone '='
        // with one character before the line end are kept, trailing blanks go
        let got = decode_quoted_printable(b"Caf=C3=A9 =\r\nau lait=ZZ \t\r\nx=4\r\n\r\n");
        assert_eq!(got, b"Caf\xc3\xa9 au lait=ZZ\r\nx=4\r\n\r\n");
        // 8-bit bytes are dropped before the octets are read
        assert_eq!(decode_quoted_printable(b"=\xffA\xfe9"), b"\xa9");
        // nothing kept after the last line feed: no extra line
        assert_eq!(decode_quoted_printable(b"a\n\xff"), b"a\r\n");
        assert_eq!(decode_quoted_printable(b"a=\n"), b"a");
        assert_eq!(decode_quoted_printable(b""), b"");
    }

    #[test]
    fn header_values_hand_checked() {
        let mail =
            b"Subject: Planned\r\n  work\r\n\tnext week\r\nX-A: =?utf-8?q?=C3=BC?=\r\n\r\nbody";
        let parsed = mailparse::parse_mail(mail).unwrap();
        assert_eq!(header_value(&parsed.headers[0]), "Planned work next week");
        assert_eq!(header_value(&parsed.headers[1]), "\u{fc}");
    }

    fn qp_input() -> impl Strategy<Value = Vec<u8>> {
        let atoms = prop::sample::select(vec![
            &b"="[..],
            b"=\r\n",
            b"=\n",
            b"\r\n",
            b"\n",
            b"\r",
            b" ",
            b"\t",
            b"=3D",
            b"=c3=a9",
            b"=G1",
            b"\xff",
            b"\x00",
            b"ab",
            b"Z",
            b"?",
        ]);
        prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn quoted_printable_equals_mailparse(body in qp_input()) {
            prop_assert_eq!(decode_quoted_printable(&body), mailparse_qp(&body));
        }

        #[test]
        fn header_value_equals_mailparse(
            value in prop::collection::vec(
                prop::sample::select(vec![
                    "a", " ", "\t", "\r\n ", "\r\n\t", "\n ", "=?", "?=", "=?utf-8?q?x?=",
                    "\u{e9}", "<b@c.d>", "\"q\"", ","
                ]),
                0..20,
            )
        ) {
            let mail = format!("X-T: {}\r\n\r\nbody", value.concat());
            let parsed = mailparse::parse_mail(mail.as_bytes()).unwrap();
            if let Some(h) = parsed.headers.first() {
                prop_assert_eq!(header_value(h), h.get_value());
            }
        }
    }
}
