//! IMAP source: a mailbox on an IMAP server (`imap://` or `imaps://`).
//!
//! [`ImapSource`] keeps one connection to the server, selects the configured
//! mailbox and works by UID:
//!
//! * **pending** — `NOOP` (so mail delivered since the last command is seen),
//!   then `UID SEARCH` for undeleted messages without a label keyword, oldest
//!   UID first. In folder mode only the keywords of labels that need a human
//!   exclude a message: one with another label still in the mailbox had its
//!   move interrupted and is offered again, so the move gets completed.
//! * **read** — `UID FETCH (INTERNALDATE BODY.PEEK[])`: the exact RFC 5322
//!   bytes the server holds, without setting `\Seen`, and the INTERNALDATE
//!   as the received time.
//! * **record** — the label name is stored as an IMAP keyword
//!   (`MaintParseSuccess`, …), plus `\Seen` for labels a machine settled; in
//!   folder mode a settled message is then moved into a folder named after its
//!   label (created on demand) with `MOVE`, or `COPY` + `\Deleted` +
//!   `EXPUNGE` on servers without it. Messages that need a human
//!   ([`Label::needs_human`]) stay in the mailbox, unseen, with only the
//!   keyword — in both modes — so the inbox is the dead-letter queue.
//!
//! Message keys are `UIDVALIDITY:UID`, so a key listed before the mailbox was
//! recreated is refused instead of touching a different message.
//!
//! Network behaviour: every socket operation has a timeout; an I/O error, a
//! timeout, a garbled response or a `NO` that signals the server's own
//! trouble (`[UNAVAILABLE]`, `[SERVERBUG]`, …) drops the connection, waits
//! (exponential backoff) and retries on a fresh one. Any other `NO`/`BAD`
//! answer, a failed login or an untrusted TLS certificate is final and
//! reported at once — retrying a wrong password only locks accounts.
//! Passwords never appear in logs, errors or [`Source::describe`].
//!
//! The protocol is spoken by the small `wire` module rather than the `imap`
//! crate, whose parser fails on untagged responses servers send at any time
//! (see there). Known gaps: no STARTTLS (use `imaps://`), no XOAUTH2, no
//! IDLE (the pipeline polls). Without `MOVE`, a crash between `COPY` and
//! `EXPUNGE` can leave a second copy in the label folder (never a loss).
//!
//! ```no_run
//! use mnp_ingest::sources::imap::ImapSource;
//! use mnp_ingest::Source;
//!
//! let mut src = ImapSource::from_url("imaps://noc:secret@mail.example.net/INBOX?labels=folders")?;
//! for r in src.pending()? {
//!     let msg = src.read(&r)?;
//!     // … parse and store msg.raw, then src.record(&r, &outcome)
//! }
//! # Ok::<(), mnp_ingest::Error>(())
//! ```

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

use crate::source::{Label, Message, MessageRef, Outcome, Source};
use crate::{Error, Result};

mod wire;
use wire::{Part, Wire, WireError};

/// Default timeout of every network operation.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of retries after the first attempt of an operation.
pub const DEFAULT_RETRIES: u32 = 4;
/// Default wait before the first retry (doubled each time, at most 60 s).
pub const DEFAULT_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How long `Drop` waits for the server to answer `LOGOUT`.
const LOGOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// How an outcome is recorded on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabelMode {
    /// The label name as an IMAP keyword on the message (plus `\Seen` unless
    /// a human must look at it); messages stay in the mailbox.
    #[default]
    Keywords,
    /// Keyword as above, then messages a machine settled are moved into a
    /// folder named after the label (`folder_prefix` + label name), created
    /// on demand. Messages for a human stay in the mailbox with the keyword.
    Folders,
}

impl LabelMode {
    fn as_str(self) -> &'static str {
        match self {
            LabelMode::Keywords => "keywords",
            LabelMode::Folders => "folders",
        }
    }
}

/// Connection settings of an [`ImapSource`], usually from a URL
/// ([`ImapConfig::from_url`]).
///
/// `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapConfig {
    /// Implicit TLS (`imaps://`); `false` is plain text (`imap://`).
    pub tls: bool,
    /// Server host name or IP address (IPv6 without brackets).
    pub host: String,
    /// Server port (default 143 for `imap://`, 993 for `imaps://`).
    pub port: u16,
    /// Login name.
    pub user: String,
    /// Password; `None` when the URL had none (set it from the environment or
    /// a config file before connecting).
    pub password: Option<String>,
    /// Mailbox to watch (default `INBOX`).
    pub mailbox: String,
    /// How labels are recorded (`?labels=keywords|folders`).
    pub label_mode: LabelMode,
    /// Prepended to the label name to form the folder name in folder mode
    /// (`?folder_prefix=INBOX.` for servers that keep folders under INBOX).
    pub folder_prefix: String,
    /// PEM file of extra CA certificates trusted besides the web PKI roots
    /// (`?ca_file=/etc/mnp/ca.pem`), for servers with an internal CA.
    pub ca_file: Option<PathBuf>,
    /// Timeout of connecting and of every read and write (`?timeout=SECONDS`).
    pub timeout: Duration,
    /// Retries after a failed attempt (`?retries=N`).
    pub retries: u32,
    /// Wait before the first retry, doubled for each further one.
    pub backoff: Duration,
}

impl std::fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapConfig")
            .field("tls", &self.tls)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("mailbox", &self.mailbox)
            .field("label_mode", &self.label_mode)
            .field("folder_prefix", &self.folder_prefix)
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("backoff", &self.backoff)
            .finish()
    }
}

fn url_error(reason: impl Into<String>) -> Error {
    Error::Source {
        source_name: "imap".into(),
        reason: reason.into(),
    }
}

impl ImapConfig {
    /// Parse `imap[s]://USER[:PASSWORD]@HOST[:PORT][/MAILBOX][?OPTIONS]`.
    ///
    /// User, password and mailbox are percent-decoded (`%40` for `@`, `%2F`
    /// for `/` in a password). The port defaults to 143 (`imap`) or 993
    /// (`imaps`), the mailbox to `INBOX`. Options (`&`-separated):
    /// `labels=keywords|folders`, `folder_prefix=P`, `ca_file=PATH`,
    /// `timeout=SECONDS`, `retries=N`. Errors never repeat the URL (it may
    /// hold a password).
    pub fn from_url(url: &str) -> Result<ImapConfig> {
        let (tls, rest) = if let Some(r) = strip_prefix_ci(url, "imaps://") {
            (true, r)
        } else if let Some(r) = strip_prefix_ci(url, "imap://") {
            (false, r)
        } else {
            return Err(url_error("URL must start with imap:// or imaps://"));
        };
        let (before_query, query) = match rest.split_once('?') {
            Some((a, q)) => (a, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match before_query.find('/') {
            Some(i) => (&before_query[..i], &before_query[i + 1..]),
            None => (before_query, ""),
        };
        let Some((userinfo, hostport)) = authority.rsplit_once('@') else {
            return Err(url_error(
                "URL has no user name (imap://USER:PASSWORD@HOST/MAILBOX)",
            ));
        };
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (
                pct_decode(u, "user name")?,
                Some(pct_decode(p, "password")?),
            ),
            None => (pct_decode(userinfo, "user name")?, None),
        };
        if user.is_empty() {
            return Err(url_error("URL has an empty user name"));
        }
        let (host, port) = parse_host_port(hostport, if tls { 993 } else { 143 })?;
        if path.contains(';') {
            return Err(url_error(
                "IMAP URL parameters such as ;UID= are not supported in a source URL",
            ));
        }
        let mut mailbox = pct_decode(path, "mailbox")?;
        if mailbox.is_empty() {
            mailbox = "INBOX".into();
        }
        check_name(&mailbox, "mailbox")?;

        let mut cfg = ImapConfig {
            tls,
            host,
            port,
            user,
            password,
            mailbox,
            label_mode: LabelMode::default(),
            folder_prefix: String::new(),
            ca_file: None,
            timeout: DEFAULT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            backoff: DEFAULT_BACKOFF,
        };
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = pct_decode(v, k)?;
            match k {
                "labels" => {
                    cfg.label_mode = match v.as_str() {
                        "keywords" | "keyword" => LabelMode::Keywords,
                        "folders" | "folder" => LabelMode::Folders,
                        other => {
                            return Err(url_error(format!(
                                "labels={other}: expected keywords or folders"
                            )));
                        }
                    }
                }
                "folder_prefix" => {
                    check_name(&v, "folder_prefix")?;
                    cfg.folder_prefix = v;
                }
                "ca_file" => cfg.ca_file = Some(PathBuf::from(v)),
                "timeout" => {
                    let secs: u64 =
                        v.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                            url_error(format!("timeout={v}: expected seconds > 0"))
                        })?;
                    cfg.timeout = Duration::from_secs(secs);
                }
                "retries" => {
                    cfg.retries = v
                        .parse()
                        .map_err(|_| url_error(format!("retries={v}: expected a number")))?;
                }
                other => {
                    return Err(url_error(format!(
                        "unknown option {other} (known: labels, folder_prefix, ca_file, timeout, retries)"
                    )));
                }
            }
        }
        Ok(cfg)
    }

    /// The URL without the password, e.g. `imaps://noc@mail.example.net:993/INBOX`
    /// (with `?labels=folders` in folder mode).
    pub fn redacted_url(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let mut s = format!(
            "{}://{}@{}:{}/{}",
            if self.tls { "imaps" } else { "imap" },
            pct_encode(&self.user),
            host,
            self.port,
            pct_encode(&self.mailbox)
        );
        if self.label_mode == LabelMode::Folders {
            s.push_str("?labels=");
            s.push_str(self.label_mode.as_str());
        }
        s
    }

    fn folder_for(&self, label: Label) -> String {
        format!("{}{}", self.folder_prefix, label.as_str())
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

fn parse_host_port(hostport: &str, default_port: u16) -> Result<(String, u16)> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let Some((h, after)) = rest.split_once(']') else {
            return Err(url_error("unclosed [ in the host"));
        };
        if after.is_empty() {
            (h, None)
        } else if let Some(p) = after.strip_prefix(':') {
            (h, Some(p))
        } else {
            return Err(url_error("unexpected text after ] in the host"));
        }
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(url_error("URL has no host"));
    }
    let port = match port {
        None | Some("") => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| url_error(format!("bad port {p:?}")))?,
    };
    Ok((host.to_string(), port))
}

/// Percent-decode a URL component into UTF-8. `what` names the component in
/// errors; the value itself is never repeated (it may be a password).
fn pct_decode(s: &str, what: &str) -> Result<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| url_error(format!("bad percent-escape in the {what}")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| url_error(format!("the {what} is not UTF-8")))
}

/// Percent-encode everything but unreserved characters and `/`.
fn pct_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn check_name(name: &str, what: &str) -> Result<()> {
    if name.chars().any(char::is_control) {
        return Err(url_error(format!("the {what} contains control characters")));
    }
    Ok(())
}

/// Encode a mailbox name in IMAP's modified UTF-7 (RFC 3501 §5.1.3).
pub fn encode_mailbox_name(name: &str) -> String {
    fn flush(out: &mut String, pending: &mut Vec<u16>) {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        out.push_str(&modified_base64(&bytes));
        out.push('-');
        pending.clear();
    }
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    for ch in name.chars() {
        if (' '..='~').contains(&ch) {
            flush(&mut out, &mut pending);
            if ch == '&' {
                out.push_str("&-");
            } else {
                out.push(ch);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(ch.encode_utf16(&mut buf));
        }
    }
    flush(&mut out, &mut pending);
    out
}

/// Base64 with `,` instead of `/` and no padding (modified UTF-7).
fn modified_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
    let sym = |v: u32| char::from(ALPHABET[(v & 63) as usize]);
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b0 = u32::from(chunk.first().copied().unwrap_or(0));
        let b1 = u32::from(chunk.get(1).copied().unwrap_or(0));
        let b2 = u32::from(chunk.get(2).copied().unwrap_or(0));
        let n = (b0 << 16) | (b1 << 8) | b2;
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        if chunk.len() > 1 {
            out.push(sym(n >> 6));
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        }
    }
    out
}

/// An IMAP quoted string.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The `UID SEARCH` criteria for pending messages.
///
/// Keyword mode: undeleted and without any label keyword. Folder mode:
/// undeleted and without the keywords of labels that need a human (those stay
/// in the mailbox by design); a message with another label keyword that is
/// still here had its move interrupted and is offered again, so the pipeline
/// finds it stored and the move is completed.
fn pending_criteria(mode: LabelMode) -> String {
    let mut q = String::from("UNDELETED");
    for l in Label::ALL {
        if mode == LabelMode::Keywords || l.needs_human() {
            q.push_str(" NOT KEYWORD ");
            q.push_str(l.as_str());
        }
    }
    q
}

fn parse_key(key: &str) -> Option<(u32, u32)> {
    let (v, u) = key.split_once(':')?;
    Some((v.parse().ok()?, u.parse().ok()?))
}

/// The socket: plain TCP or rustls over TCP.
enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// Why an attempt failed: worth another try on a new connection, or not.
enum Failure {
    Transient(String),
    Permanent(String),
}

fn describe_io(e: &io::Error, timeout: Duration) -> String {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
            format!("timed out after {} s", timeout.as_secs_f64())
        }
        _ => e.to_string(),
    }
}

/// Transport trouble is transient; a server's NO/BAD is final.
fn classify(e: WireError, what: &str, timeout: Duration) -> Failure {
    match e {
        WireError::Io(io) => Failure::Transient(format!("{what}: {}", describe_io(&io, timeout))),
        WireError::Closed(None) => {
            Failure::Transient(format!("{what}: connection closed by the server"))
        }
        WireError::Closed(Some(bye)) => {
            Failure::Transient(format!("{what}: connection closed by the server ({bye})"))
        }
        WireError::Protocol(m) => Failure::Transient(format!("{what}: protocol error: {m}")),
        WireError::No(m) if transient_no(&m) => {
            Failure::Transient(format!("{what}: server answered NO: {m}"))
        }
        WireError::No(m) => Failure::Permanent(format!("{what}: server answered NO: {m}")),
        WireError::Bad(m) => Failure::Permanent(format!("{what}: server answered BAD: {m}")),
    }
}

/// A NO that a new connection may not get: the server's own trouble
/// (RFC 5530 `UNAVAILABLE`, `SERVERBUG`, `INUSE`, `LIMIT`), or the state of
/// this session gone stale — dovecot answers "Internal error" once the
/// selected mailbox was deleted and recreated by another client; after a
/// reconnect the changed UIDVALIDITY is reported properly.
fn transient_no(text: &str) -> bool {
    let t = text.to_ascii_uppercase();
    [
        "[UNAVAILABLE]",
        "[SERVERBUG]",
        "[INUSE]",
        "[LIMIT]",
        "INTERNAL ERROR",
    ]
    .iter()
    .any(|c| t.contains(c))
}

/// One logged-in connection with the mailbox selected.
struct Conn {
    wire: Wire<Stream>,
    /// A second handle on the socket, to shorten timeouts and shut it down.
    tcp: TcpStream,
    uid_validity: u32,
    can_move: bool,
    uidplus: bool,
    read_only: bool,
    /// PERMANENTFLAGS of the mailbox (`None`: not announced).
    permanent_flags: Option<Vec<String>>,
    timeout: Duration,
}

impl Conn {
    fn keyword_allowed(&self, keyword: &str) -> bool {
        match &self.permanent_flags {
            None => true,
            Some(f) => f.iter().any(|x| x == "\\*" || x == keyword),
        }
    }

    fn command(&mut self, cmd: &str, what: &str) -> Result<wire::Reply, Failure> {
        self.wire
            .simple(cmd)
            .map_err(|e| classify(e, what, self.timeout))
    }
}

/// A mailbox on an IMAP server as a message [`Source`]. See the module docs.
pub struct ImapSource {
    config: ImapConfig,
    tls: Option<Arc<rustls::ClientConfig>>,
    conn: Option<Conn>,
    /// Label folders known to exist (folder mode).
    folders: HashSet<String>,
}

impl ImapSource {
    /// A source for `config`. Reads the CA file, if any; does not connect yet
    /// (the first operation does, or [`ImapSource::connect`]).
    pub fn new(config: ImapConfig) -> Result<ImapSource> {
        let name = config.redacted_url();
        let err = |reason: String| Error::Source {
            source_name: name.clone(),
            reason,
        };
        if config.label_mode == LabelMode::Folders
            && Label::ALL
                .iter()
                .any(|l| config.folder_for(*l).eq_ignore_ascii_case(&config.mailbox))
        {
            return Err(err(format!(
                "mailbox {} is itself a label folder; watch another mailbox",
                config.mailbox
            )));
        }
        let tls = if config.tls {
            Some(Arc::new(tls_config(&config).map_err(err)?))
        } else {
            if !is_loopback(&config.host) {
                tracing::warn!(
                    source = %name,
                    "plain imap:// to a remote host: the password is sent unencrypted; use imaps://"
                );
            }
            None
        };
        Ok(ImapSource {
            config,
            tls,
            conn: None,
            folders: HashSet::new(),
        })
    }

    /// Parse `url` ([`ImapConfig::from_url`]) and make a source for it.
    pub fn from_url(url: &str) -> Result<ImapSource> {
        ImapSource::new(ImapConfig::from_url(url)?)
    }

    /// The configuration.
    pub fn config(&self) -> &ImapConfig {
        &self.config
    }

    /// Connect, log in and select the mailbox now (with retries), so wrong
    /// credentials or an unknown mailbox show up before any work starts.
    pub fn connect(&mut self) -> Result<()> {
        self.run("connect", |_, _, _| Ok(()))
    }

    fn error(&self, reason: String) -> Error {
        Error::Source {
            source_name: self.config.redacted_url(),
            reason,
        }
    }

    /// Run `op` on a live connection: (re)connect as needed; on a transient
    /// failure drop the connection, back off and try again.
    fn run<T>(
        &mut self,
        what: &str,
        mut op: impl FnMut(&mut Conn, &ImapConfig, &mut HashSet<String>) -> Result<T, Failure>,
    ) -> Result<T> {
        let attempts = self.config.retries.saturating_add(1);
        let mut last = String::new();
        for attempt in 0..attempts {
            if attempt > 0 {
                let wait = backoff(self.config.backoff, attempt);
                tracing::warn!(
                    source = %self.config.redacted_url(),
                    operation = what,
                    attempt,
                    error = %last,
                    wait_ms = wait.as_millis() as u64,
                    "imap operation failed; reconnecting"
                );
                std::thread::sleep(wait);
            }
            if self.conn.is_none() {
                match open(&self.config, self.tls.as_ref()) {
                    Ok(c) => self.conn = Some(c),
                    Err(Failure::Permanent(r)) => return Err(self.error(r)),
                    Err(Failure::Transient(r)) => {
                        last = r;
                        continue;
                    }
                }
            }
            let Some(conn) = self.conn.as_mut() else {
                continue;
            };
            match op(conn, &self.config, &mut self.folders) {
                Ok(v) => return Ok(v),
                Err(Failure::Permanent(r)) => return Err(self.error(format!("{what}: {r}"))),
                Err(Failure::Transient(r)) => {
                    if let Some(c) = self.conn.take() {
                        let _ = c.tcp.shutdown(std::net::Shutdown::Both);
                    }
                    last = r;
                }
            }
        }
        Err(self.error(format!(
            "{what}: {last} (gave up after {attempts} attempts)"
        )))
    }

    fn origin(&self, uid_validity: u32, uid: u32) -> String {
        let mut base = self.config.clone();
        base.label_mode = LabelMode::Keywords;
        format!(
            "{};UIDVALIDITY={uid_validity}/;UID={uid}",
            base.redacted_url()
        )
    }

    fn key(&self, r: &MessageRef) -> Result<(u32, u32)> {
        parse_key(&r.key).ok_or_else(|| {
            self.error(format!(
                "bad message key {:?} (expected UIDVALIDITY:UID)",
                r.key
            ))
        })
    }
}

impl Drop for ImapSource {
    fn drop(&mut self) {
        if let Some(mut c) = self.conn.take() {
            // A polite LOGOUT, but never wait long for a dead server.
            let _ = c.tcp.set_read_timeout(Some(LOGOUT_TIMEOUT));
            let _ = c.tcp.set_write_timeout(Some(LOGOUT_TIMEOUT));
            let _ = c.wire.simple("LOGOUT");
            let _ = c.tcp.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 1u32 << attempt.saturating_sub(1).min(16);
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn tls_config(config: &ImapConfig) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = &config.ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read CA file {}: {e}", path.display()))?;
        let mut n = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| format!("CA file {}: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("CA file {}: {e}", path.display()))?;
            n += 1;
        }
        if n == 0 {
            return Err(format!("CA file {} holds no certificate", path.display()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn connect_tcp(host: &str, port: u16, timeout: Duration) -> Result<TcpStream, Failure> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| Failure::Transient(format!("cannot resolve {host}: {e}")))?
        .collect();
    let mut last = format!("{host} resolves to no address");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = format!("connect to {addr}: {}", describe_io(&e, timeout)),
        }
    }
    Err(Failure::Transient(last))
}

/// Connect, greet, log in, look at the capabilities and select the mailbox.
fn open(config: &ImapConfig, tls: Option<&Arc<rustls::ClientConfig>>) -> Result<Conn, Failure> {
    let timeout = config.timeout;
    let tcp = connect_tcp(&config.host, config.port, timeout)?;
    let io_fail = |e: io::Error| Failure::Transient(format!("socket setup: {e}"));
    tcp.set_read_timeout(Some(timeout)).map_err(io_fail)?;
    tcp.set_write_timeout(Some(timeout)).map_err(io_fail)?;
    let _ = tcp.set_nodelay(true);
    let handle = tcp.try_clone().map_err(io_fail)?;

    let stream = match tls {
        None => Stream::Plain(tcp),
        Some(cfg) => Stream::Tls(Box::new(handshake(config, cfg, tcp)?)),
    };
    let mut wire = Wire::new(stream);
    let greeting = wire
        .greeting()
        .map_err(|e| classify(e, "reading the server greeting", timeout))?;
    if !wire::starts_with_ci(&greeting, b"OK") {
        let text = wire::text(&greeting);
        return Err(if wire::starts_with_ci(&greeting, b"BYE") {
            Failure::Transient(format!("server refused the connection: {text}"))
        } else {
            Failure::Permanent(format!("unexpected server greeting: {text}"))
        });
    }
    let Some(password) = config.password.as_deref() else {
        return Err(Failure::Permanent(format!(
            "no password for user {} (give it in the URL or the configuration)",
            config.user
        )));
    };
    let user_q = quote(&config.user);
    let pass_q = quote(password);
    let user_part = if is_quotable(&config.user) {
        Part::Text(&user_q)
    } else {
        Part::Literal(config.user.as_bytes())
    };
    let pass_part = if is_quotable(password) {
        Part::Text(&pass_q)
    } else {
        Part::Literal(password.as_bytes())
    };
    wire.run(&[Part::Text("LOGIN "), user_part, Part::Text(" "), pass_part])
        .map_err(|e| match e {
            // "[UNAVAILABLE] Temporary authentication failure": the server's
            // authentication backend is down, not the password wrong.
            WireError::No(m) if transient_no(&m) => {
                Failure::Transient(format!("login as {}: {m}", config.user))
            }
            WireError::No(m) | WireError::Bad(m) => Failure::Permanent(format!(
                "login as {} failed: {m} (check the user name and password)",
                config.user
            )),
            other => classify(other, "login", timeout),
        })?;
    let caps = wire
        .simple("CAPABILITY")
        .map_err(|e| classify(e, "CAPABILITY", timeout))?;
    let caps = wire::capabilities(&caps.untagged);
    let has = |c: &str| caps.iter().any(|x| x == c);
    let (can_move, uidplus) = (has("MOVE"), has("UIDPLUS"));
    let reply = wire
        .simple(&format!(
            "SELECT {}",
            quote(&encode_mailbox_name(&config.mailbox))
        ))
        .map_err(|e| match e {
            WireError::No(m) if transient_no(&m) => {
                Failure::Transient(format!("cannot select mailbox {:?}: {m}", config.mailbox))
            }
            WireError::No(m) | WireError::Bad(m) => {
                Failure::Permanent(format!("cannot select mailbox {:?}: {m}", config.mailbox))
            }
            other => classify(other, "SELECT", timeout),
        })?;
    let sel = wire::selected(&reply);
    let conn = Conn {
        wire,
        tcp: handle,
        uid_validity: sel.uid_validity.unwrap_or(0),
        can_move,
        uidplus,
        read_only: sel.read_only,
        permanent_flags: sel.permanent_flags,
        timeout,
    };
    tracing::debug!(
        source = %config.redacted_url(),
        uid_validity = conn.uid_validity,
        can_move,
        uidplus,
        read_only = conn.read_only,
        "imap connected"
    );
    Ok(conn)
}

/// True when `s` can be sent as an IMAP quoted string.
fn is_quotable(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn handshake(
    config: &ImapConfig,
    tls: &Arc<rustls::ClientConfig>,
    mut tcp: TcpStream,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, Failure> {
    let name = ServerName::try_from(config.host.clone()).map_err(|_| {
        Failure::Permanent(format!("{:?} is not a valid TLS server name", config.host))
    })?;
    let mut conn = rustls::ClientConnection::new(Arc::clone(tls), name)
        .map_err(|e| Failure::Permanent(format!("TLS setup: {e}")))?;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut tcp) {
            let what = format!("TLS handshake with {}:{}", config.host, config.port);
            // A certificate or protocol error will not fix itself.
            if let Some(te) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return Err(Failure::Permanent(format!("{what} failed: {te}")));
            }
            return Err(Failure::Transient(format!(
                "{what} failed: {}",
                describe_io(&e, config.timeout)
            )));
        }
    }
    Ok(rustls::StreamOwned::new(conn, tcp))
}

fn check_validity(conn: &Conn, uid_validity: u32) -> Result<(), Failure> {
    if conn.uid_validity != uid_validity {
        return Err(Failure::Permanent(format!(
            "the mailbox was recreated (UIDVALIDITY {uid_validity} is now {}); list the messages again",
            conn.uid_validity
        )));
    }
    Ok(())
}

/// Make sure `folder` exists (LIST, else CREATE and SUBSCRIBE).
fn ensure_folder(
    conn: &mut Conn,
    known: &mut HashSet<String>,
    folder: &str,
) -> Result<(), Failure> {
    if known.contains(folder) {
        return Ok(());
    }
    let encoded = encode_mailbox_name(folder);
    let quoted = quote(&encoded);
    let exists = |conn: &mut Conn| -> Result<bool, Failure> {
        let reply = conn.command(&format!("LIST \"\" {quoted}"), "LIST")?;
        Ok(wire::list_names(&reply.untagged)
            .iter()
            .any(|n| n.as_slice() == encoded.as_bytes()))
    };
    if !exists(conn)? {
        match conn.wire.simple(&format!("CREATE {quoted}")) {
            Ok(_) => {
                tracing::info!(folder, "created label folder");
                // So that mail clients show it; not essential.
                let _ = conn.wire.simple(&format!("SUBSCRIBE {quoted}"));
            }
            // Someone else may have created it meanwhile.
            Err(WireError::No(m)) => {
                if !exists(conn)? {
                    return Err(Failure::Permanent(format!(
                        "cannot create folder {folder:?}: {m}"
                    )));
                }
            }
            Err(e) => return Err(classify(e, "CREATE", conn.timeout)),
        }
    }
    known.insert(folder.to_string());
    Ok(())
}

/// Move (or copy + delete) message `uid` into `folder`.
fn move_message(
    conn: &mut Conn,
    known: &mut HashSet<String>,
    uid: u32,
    folder: &str,
) -> Result<(), Failure> {
    ensure_folder(conn, known, folder)?;
    let verb = if conn.can_move { "MOVE" } else { "COPY" };
    let cmd = format!("UID {verb} {uid} {}", quote(&encode_mailbox_name(folder)));
    match conn.wire.simple(&cmd) {
        Ok(_) => {}
        // The folder vanished since we last looked: create it again.
        Err(WireError::No(m)) if m.contains("TRYCREATE") => {
            known.remove(folder);
            ensure_folder(conn, known, folder)?;
            conn.command(&cmd, &format!("UID {verb}"))?;
        }
        Err(e) => return Err(classify(e, &format!("UID {verb}"), conn.timeout)),
    }
    if !conn.can_move {
        conn.command(
            &format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"),
            "UID STORE \\Deleted",
        )?;
        if conn.uidplus {
            conn.command(&format!("UID EXPUNGE {uid}"), "UID EXPUNGE")?;
        } else {
            conn.command("EXPUNGE", "EXPUNGE")?;
        }
    }
    Ok(())
}

impl Source for ImapSource {
    fn describe(&self) -> String {
        self.config.redacted_url()
    }

    fn pending(&mut self) -> Result<Vec<MessageRef>> {
        let criteria = pending_criteria(self.config.label_mode);
        self.run("list pending messages", |conn, _, _| {
            // A server searches the view it last announced to this session:
            // NOOP first, so mail delivered since then is included.
            conn.command("NOOP", "NOOP")?;
            let reply = conn.command(&format!("UID SEARCH {criteria}"), "UID SEARCH")?;
            let uids = wire::search(&reply.untagged)
                .map_err(|e| classify(e, "UID SEARCH", conn.timeout))?;
            Ok(uids
                .into_iter()
                .map(|uid| MessageRef {
                    key: format!("{}:{uid}", conn.uid_validity),
                    ticket_id: None,
                })
                .collect())
        })
    }

    fn read(&mut self, r: &MessageRef) -> Result<Message> {
        let (uid_validity, uid) = self.key(r)?;
        let (raw, received_at) = self.run("read message", |conn, cfg, _| {
            check_validity(conn, uid_validity)?;
            let reply = conn.command(
                &format!("UID FETCH {uid} (UID INTERNALDATE BODY.PEEK[])"),
                "UID FETCH",
            )?;
            let Some(f) = wire::fetches(&reply.untagged)
                .into_iter()
                .find(|f| f.uid == Some(uid))
            else {
                return Err(Failure::Permanent(format!(
                    "message UID {uid} is no longer in mailbox {:?}",
                    cfg.mailbox
                )));
            };
            let Some(body) = f.body else {
                // NIL: expunged by another session, or the mailbox was
                // recreated, after this session last synchronised (RFC 2180).
                // A fresh connection tells which.
                return Err(Failure::Transient(format!(
                    "message UID {uid} vanished from this session's view"
                )));
            };
            Ok((body, f.internal_date.map(|d| d.with_timezone(&Utc))))
        })?;
        Ok(Message {
            r#ref: r.clone(),
            raw,
            received_at,
            origin: self.origin(uid_validity, uid),
        })
    }

    fn record(&mut self, r: &MessageRef, outcome: &Outcome) -> Result<()> {
        let (uid_validity, uid) = self.key(r)?;
        let label = outcome.label;
        self.run("record label", |conn, cfg, known| {
            check_validity(conn, uid_validity)?;
            if conn.read_only {
                return Err(Failure::Permanent(format!(
                    "mailbox {:?} is read-only for this user",
                    cfg.mailbox
                )));
            }
            if !conn.keyword_allowed(label.as_str()) {
                return Err(Failure::Permanent(format!(
                    "mailbox {:?} does not accept the keyword {label} (no \\* in PERMANENTFLAGS)",
                    cfg.mailbox
                )));
            }
            // STORE on a missing UID succeeds silently: look first.
            let reply = conn.command(&format!("UID FETCH {uid} (UID FLAGS)"), "UID FETCH")?;
            if !wire::fetches(&reply.untagged)
                .iter()
                .any(|f| f.uid == Some(uid))
            {
                return Err(Failure::Permanent(format!(
                    "message UID {uid} is no longer in mailbox {:?}",
                    cfg.mailbox
                )));
            }
            // Exactly one label per message: drop the others first, so an
            // interruption leaves none (offered again) rather than two.
            let others: Vec<&str> = Label::ALL
                .iter()
                .filter(|l| **l != label)
                .map(|l| l.as_str())
                .collect();
            conn.command(
                &format!("UID STORE {uid} -FLAGS.SILENT ({})", others.join(" ")),
                "UID STORE -FLAGS",
            )?;
            let add = if label.needs_human() {
                label.as_str().to_string()
            } else {
                format!("{label} \\Seen")
            };
            conn.command(
                &format!("UID STORE {uid} +FLAGS.SILENT ({add})"),
                "UID STORE +FLAGS",
            )?;
            if cfg.label_mode == LabelMode::Folders && !label.needs_human() {
                move_message(conn, known, uid, &cfg.folder_for(label))?;
            }
            Ok(())
        })?;
        tracing::debug!(source = %self.describe(), uid, %label, "labelled");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(e: Error) -> String {
        match e {
            Error::Source { reason, .. } => reason,
            other => other.to_string(),
        }
    }

    #[test]
    fn url_defaults() {
        let c = ImapConfig::from_url("imap://noc:secret@mail.example.net").unwrap();
        assert!(!c.tls);
        assert_eq!(c.host, "mail.example.net");
        assert_eq!(c.port, 143);
        assert_eq!(c.user, "noc");
        assert_eq!(c.password.as_deref(), Some("secret"));
        assert_eq!(c.mailbox, "INBOX");
        assert_eq!(c.label_mode, LabelMode::Keywords);
        assert_eq!(c.timeout, DEFAULT_TIMEOUT);
        assert_eq!(c.retries, DEFAULT_RETRIES);

        let c = ImapConfig::from_url("IMAPS://noc:secret@mail.example.net/").unwrap();
        assert!(c.tls);
        assert_eq!(c.port, 993);
        assert_eq!(c.mailbox, "INBOX");
    }

    #[test]
    fn url_percent_decoding() {
        let c = ImapConfig::from_url(
            "imaps://noc%40example.net:p%40ss%3Aw%2Fo%25rd%20x@10.0.0.5:1993/Carrier%20Notices/2024",
        )
        .unwrap();
        assert_eq!(c.user, "noc@example.net");
        assert_eq!(c.password.as_deref(), Some("p@ss:w/o%rd x"));
        assert_eq!(c.host, "10.0.0.5");
        assert_eq!(c.port, 1993);
        assert_eq!(c.mailbox, "Carrier Notices/2024");
        // An unencoded @ in the password still works: the last @ ends the userinfo.
        let c = ImapConfig::from_url("imap://u:a@b@host/").unwrap();
        assert_eq!(c.password.as_deref(), Some("a@b"));
        assert_eq!(c.host, "host");
        // UTF-8 in the mailbox.
        let c = ImapConfig::from_url("imap://u:p@h/Entw%C3%BCrfe").unwrap();
        assert_eq!(c.mailbox, "Entwürfe");
    }

    #[test]
    fn url_ipv6_and_options() {
        let c = ImapConfig::from_url(
            "imap://u:p@[::1]:1143/INBOX?labels=folders&folder_prefix=INBOX.&ca_file=/etc/ca.pem&timeout=5&retries=0",
        )
        .unwrap();
        assert_eq!(c.host, "::1");
        assert_eq!(c.port, 1143);
        assert_eq!(c.label_mode, LabelMode::Folders);
        assert_eq!(c.folder_prefix, "INBOX.");
        assert_eq!(c.folder_for(Label::MaintIgnored), "INBOX.MaintIgnored");
        assert_eq!(c.ca_file, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(c.timeout, Duration::from_secs(5));
        assert_eq!(c.retries, 0);
        let c = ImapConfig::from_url("imaps://u:p@[2001:db8::1]").unwrap();
        assert_eq!(c.host, "2001:db8::1");
        assert_eq!(c.port, 993);
        assert_eq!(c.redacted_url(), "imaps://u@[2001:db8::1]:993/INBOX");
    }

    #[test]
    fn url_without_password() {
        let c = ImapConfig::from_url("imap://noc@h").unwrap();
        assert_eq!(c.password, None);
    }

    #[test]
    fn url_errors_never_echo_the_password() {
        for bad in [
            "http://u:hunter2@h/",
            "imap://hunter2@/",
            "imap://:hunter2@h/",
            "imap://h/INBOX",
            "imap://u:hunter2@h:99999/",
            "imap://u:hunter2@h:0/",
            "imap://u:hunter2@h:x/",
            "imap://u:hunter2%zz@h/",
            "imap://u:hunter2%ff@h/",
            "imap://u:hunter2@h/INBOX;UID=5",
            "imap://u:hunter2@h/IN%0ABOX",
            "imap://u:hunter2@h/?labels=tags",
            "imap://u:hunter2@h/?colour=red",
            "imap://u:hunter2@h/?timeout=0",
            "imap://u:hunter2@[::1/",
        ] {
            let e = ImapConfig::from_url(bad).expect_err(bad);
            let msg = reason(e);
            assert!(!msg.contains("hunter2"), "{bad}: {msg}");
            assert!(!msg.is_empty());
        }
    }

    #[test]
    fn debug_and_describe_hide_the_password() {
        let c = ImapConfig::from_url("imaps://noc:hunter2@h/INBOX?labels=folders").unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
        assert_eq!(c.redacted_url(), "imaps://noc@h:993/INBOX?labels=folders");
        let s = ImapSource::new(c).unwrap();
        assert!(!s.describe().contains("hunter2"));
    }

    #[test]
    fn folder_mode_refuses_to_watch_a_label_folder() {
        let e = ImapSource::from_url("imap://u:p@localhost/MaintParseSuccess?labels=folders")
            .err()
            .unwrap();
        assert!(reason(e).contains("label folder"));
        assert!(ImapSource::from_url("imap://u:p@localhost/MaintParseSuccess").is_ok());
    }

    #[test]
    fn missing_ca_file_is_reported() {
        let e = ImapSource::from_url("imaps://u:p@localhost/?ca_file=/nonexistent/ca.pem")
            .err()
            .unwrap();
        assert!(reason(e).contains("/nonexistent/ca.pem"));
    }

    #[test]
    fn modified_utf7() {
        assert_eq!(encode_mailbox_name("INBOX"), "INBOX");
        assert_eq!(encode_mailbox_name("Tom & Jerry"), "Tom &- Jerry");
        assert_eq!(encode_mailbox_name("Entwürfe"), "Entw&APw-rfe");
        // RFC 3501 §5.1.3 example.
        assert_eq!(
            encode_mailbox_name("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        // Astral plane: a surrogate pair.
        assert_eq!(encode_mailbox_name("😀"), "&2D3eAA-");
    }

    #[test]
    fn pending_criteria_per_mode() {
        let k = pending_criteria(LabelMode::Keywords);
        assert!(k.starts_with("UNDELETED"));
        for l in Label::ALL {
            assert!(k.contains(&format!("NOT KEYWORD {l}")), "{k}");
        }
        let f = pending_criteria(LabelMode::Folders);
        assert!(f.contains("NOT KEYWORD MaintParseException"));
        assert!(f.contains("NOT KEYWORD MaintUnknownVendor"));
        assert!(!f.contains("MaintParseSuccess"));
    }

    #[test]
    fn source_can_move_to_another_thread() {
        fn send<T: Send>() {}
        send::<ImapSource>();
    }

    #[test]
    fn which_no_answers_are_worth_a_retry() {
        assert!(transient_no(
            "[UNAVAILABLE] Temporary authentication failure. [host:2024-01-01]"
        ));
        assert!(transient_no("[SERVERBUG] Internal error occurred."));
        assert!(transient_no(
            "Internal error occurred. Refer to server log for more information."
        ));
        assert!(!transient_no(
            "[AUTHENTICATIONFAILED] Authentication failed."
        ));
        assert!(!transient_no("[NONEXISTENT] Mailbox doesn't exist: X"));
        assert!(!transient_no("[TRYCREATE] Mailbox doesn't exist: X"));
    }

    #[test]
    fn keys_and_quoting() {
        assert_eq!(parse_key("1700000000:42"), Some((1_700_000_000, 42)));
        assert_eq!(parse_key("42"), None);
        assert_eq!(parse_key("a:b"), None);
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(backoff(Duration::from_secs(1), 1), Duration::from_secs(1));
        assert_eq!(backoff(Duration::from_secs(1), 3), Duration::from_secs(4));
        assert_eq!(backoff(Duration::from_secs(1), 30), MAX_BACKOFF);
    }
}
