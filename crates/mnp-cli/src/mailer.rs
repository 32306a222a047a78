//! Delivery of the queued alert mails: to an outbox folder (the default, no
//! mail server needed) or over SMTP with `lettre`.
//!
//! The `AlertOutbox` table is the source of truth. [`deliver`] takes every
//! mail that is due, renders it once (multipart/alternative, text then
//! HTML, both base64) and hands the same bytes to the folder
//! writer or to the SMTP server, so the file in the outbox folder and the
//! message a server receives are identical. Each outcome is written back:
//!
//! | outcome | recorded as | retried |
//! |---|---|---|
//! | written / accepted (250) | `sentAt` | never again |
//! | 4xx reply, network error, timeout, TLS or auth failure, unwritable folder | `lastError`, `attempts + 1`, next attempt after a [`Backoff`] (1 min doubling, at most 1 h) | yes, until sent |
//! | 5xx reply to the message or a recipient (550 mailbox unknown, 554 rejected, …), an address that does not parse | `lastError` starting with [`REJECTED`], next attempt parked 100 years out | **no** |
//!
//! A permanent rejection stops retrying because resending the same bytes to
//! the same recipients gets the same answer and, repeated every hour, gets
//! the sender's address flagged. The mail stays in the table (listed by
//! `mnp maxout outbox --list` as *rejected*) for a human to look at. 5xx
//! replies about authentication (530, 534, 535, 538) are a configuration
//! problem, not the mail's, and are retried like transient errors, so
//! fixing the password delivers the backlog.
//!
//! A 550 for one recipient rejects the whole mail: lettre stops at the
//! first refused `RCPT TO` and does not say which address it was, so the
//! account manager and CX team in Cc do not get it either; the rejection
//! (with the server's text naming the address) is on record instead.
//!
//! When the server cannot be reached at all (connection refused, timeout,
//! TLS handshake) the first failure ends the round: the remaining due mails
//! are recorded as failed with the same error instead of each waiting for
//! its own timeout.
//!
//! # SMTP settings
//! `smtp://[user:pass@]host[:port]` (plain, port 25; for a local relay),
//! `smtp://host:587?tls=starttls` (STARTTLS required) or
//! `smtps://[user:pass@]host[:port]` (implicit TLS, port 465). Query
//! parameters: `timeout=SECONDS` (connect, read and write, default 15),
//! `ca_file=PEM` (trust this CA in addition to the webpki roots, e.g. a
//! private relay), `helo=NAME` (EHLO name, default `[127.0.0.1]`). User and
//! password are percent-decoded. The password is never printed: settings
//! show as `smtp://user:***@host:port`.
//!
//! # Header injection
//! Every address (From, To, Cc, and the envelope) is parsed with lettre's
//! [`lettre::Address`] before it reaches a header or an SMTP command; a mail
//! whose stored address does not parse is rejected, not sent. Header values
//! (subject, kind) have control characters replaced by spaces and are
//! folded (long ASCII at spaces, non-ASCII as RFC 2047 encoded words), so
//! no value can end a header line.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration as StdDuration;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, Utc};
use lettre::Transport;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{self, SmtpTransport};
use mnp_maxout::alert::Address;
use mnp_store::{Backoff, OutboxMail, Store};
use uuid::Uuid;

use crate::config::{self, GlobalOpts};

/// `lastError` prefix of a mail that was rejected permanently (5xx, bad
/// address) and is not retried.
pub const REJECTED: &str = "rejected permanently: ";

/// How long a rejected mail is parked: it stays in the table, never due.
const PARKED_DAYS: i64 = 365 * 100;

/// Default SMTP timeout (connect, each read and write).
pub const DEFAULT_TIMEOUT: StdDuration = StdDuration::from_secs(15);

/// Where due mails go.
#[derive(Debug, Clone)]
pub enum Mailer {
    /// Written as `NNNNNN-{dedupe key}.eml` files into this folder.
    Outbox(PathBuf),
    /// Sent to this SMTP server.
    Smtp(SmtpSettings),
}

impl Mailer {
    /// The mailer a command uses: `--smtp URL` (`off` forces the folder),
    /// else `$MNP_SMTP_URL`, else `smtp_url` in `mnp.toml`, else the outbox
    /// folder `dir`.
    pub fn resolve(smtp: Option<&str>, dir: &Path, opts: &GlobalOpts) -> anyhow::Result<Mailer> {
        let url = match smtp.map(str::trim) {
            Some("off") | Some("none") => None,
            Some(u) => Some(u.to_string()),
            None => config::smtp_url(opts)?,
        };
        Ok(match url {
            Some(u) => Mailer::Smtp(SmtpSettings::parse(&u)?),
            None => Mailer::Outbox(dir.to_path_buf()),
        })
    }

    /// "written to" or "sent via", for summaries.
    pub fn verb(&self) -> &'static str {
        match self {
            Mailer::Outbox(_) => "written to",
            Mailer::Smtp(_) => "sent via",
        }
    }
}

impl fmt::Display for Mailer {
    /// The folder, or the SMTP URL without the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailer::Outbox(d) => write!(f, "{}", d.display()),
            Mailer::Smtp(s) => write!(f, "{s}"),
        }
    }
}

/// Transport security of an SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS (`smtp://`): a trusted local relay.
    Plain,
    /// Plain connection upgraded with STARTTLS, required (`?tls=starttls`).
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Tls,
}

/// An SMTP server to send through, from an `smtp://` or `smtps://` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS mode.
    pub security: Security,
    /// AUTH user, when the URL has one.
    pub user: Option<String>,
    password: Option<String>,
    /// Connect, read and write timeout.
    pub timeout: StdDuration,
    /// Extra CA certificate (PEM) to trust.
    pub ca_file: Option<PathBuf>,
    /// EHLO name.
    pub helo: Option<String>,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("timeout", &self.timeout)
            .field("ca_file", &self.ca_file)
            .field("helo", &self.helo)
            .finish()
    }
}

impl fmt::Display for SmtpSettings {
    /// `smtp://user:***@host:port` — never the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.security == Security::Tls {
            "smtps"
        } else {
            "smtp"
        };
        write!(f, "{scheme}://")?;
        if let Some(u) = &self.user {
            write!(f, "{u}")?;
            if self.password.is_some() {
                write!(f, ":***")?;
            }
            write!(f, "@")?;
        }
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(f, "{host}:{}", self.port)?;
        if self.security == Security::StartTls {
            write!(f, "?tls=starttls")?;
        }
        Ok(())
    }
}

fn percent_decode(s: &str) -> anyhow::Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'%') => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| anyhow!("bad percent escape in the user or password"))?;
                out.push(hex);
                i += 3;
            }
            Some(&c) => {
                out.push(c);
                i += 1;
            }
            None => break,
        }
    }
    String::from_utf8(out).map_err(|_| anyhow!("user or password is not UTF-8"))
}

impl SmtpSettings {
    /// Parses `smtp://[user:pass@]host[:port][?tls=starttls&timeout=S&ca_file=PEM&helo=NAME]`
    /// or `smtps://…`. Errors never contain the password.
    pub fn parse(url: &str) -> anyhow::Result<SmtpSettings> {
        let shown = mnp_core::util::redact_url(url);
        let u = url::Url::parse(url.trim()).map_err(|e| anyhow!("bad SMTP URL {shown}: {e}"))?;
        let mut security = match u.scheme() {
            "smtp" => Security::Plain,
            "smtps" => Security::Tls,
            other => bail!("bad SMTP URL {shown}: scheme must be smtp or smtps, not {other:?}"),
        };
        let host = u
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| anyhow!("bad SMTP URL {shown}: no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        if !matches!(u.path(), "" | "/") {
            bail!("bad SMTP URL {shown}: no path expected");
        }
        let user = Some(percent_decode(u.username())?).filter(|s| !s.is_empty());
        let password = u.password().map(percent_decode).transpose()?;
        if password.is_some() && user.is_none() {
            bail!("bad SMTP URL {shown}: a password needs a user");
        }
        let mut timeout = DEFAULT_TIMEOUT;
        let mut ca_file = None;
        let mut helo = None;
        for (k, v) in u.query_pairs() {
            match k.as_ref() {
                "tls" => {
                    security = match (v.as_ref(), security) {
                        ("starttls" | "required", Security::Plain) => Security::StartTls,
                        ("none" | "off", Security::Plain) => Security::Plain,
                        (_, Security::Tls) => {
                            bail!("bad SMTP URL {shown}: smtps:// is TLS already, drop ?tls=")
                        }
                        (o, _) => {
                            bail!("bad SMTP URL {shown}: tls={o:?}, expected starttls or none")
                        }
                    }
                }
                "timeout" => {
                    let secs: u64 = v
                        .parse()
                        .ok()
                        .filter(|s| (1..=600).contains(s))
                        .ok_or_else(|| {
                            anyhow!("bad SMTP URL {shown}: timeout must be 1 to 600 seconds")
                        })?;
                    timeout = StdDuration::from_secs(secs);
                }
                "ca_file" => ca_file = Some(PathBuf::from(v.as_ref())),
                "helo" => helo = Some(v.into_owned()),
                other => bail!(
                    "bad SMTP URL {shown}: unknown parameter {other:?} (tls, timeout, ca_file, helo)"
                ),
            }
        }
        let port = u.port().unwrap_or(match security {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::Tls => 465,
        });
        Ok(SmtpSettings {
            host,
            port,
            security,
            user,
            password,
            timeout,
            ca_file,
            helo,
        })
    }

    /// The lettre transport (connects on each send; nothing is opened here).
    fn transport(&self) -> anyhow::Result<SmtpTransport> {
        let mut b = SmtpTransport::builder_dangerous(self.host.as_str())
            .port(self.port)
            .timeout(Some(self.timeout));
        if self.security != Security::Plain {
            let mut p = TlsParameters::builder(self.host.clone());
            if let Some(ca) = &self.ca_file {
                let pem = std::fs::read(ca)
                    .with_context(|| format!("cannot read SMTP ca_file {}", ca.display()))?;
                p = p.add_root_certificate(
                    Certificate::from_pem(&pem)
                        .with_context(|| format!("SMTP ca_file {}", ca.display()))?,
                );
            }
            let p = p.build_rustls().context("SMTP TLS settings")?;
            b = b.tls(match self.security {
                Security::Tls => Tls::Wrapper(p),
                _ => Tls::Required(p),
            });
        }
        if let Some(h) = &self.helo {
            b = b.hello_name(ClientId::Domain(h.clone()));
        }
        if let Some(u) = &self.user {
            b = b
                .credentials(Credentials::new(
                    u.clone(),
                    self.password.clone().unwrap_or_default(),
                ))
                .authentication(vec![Mechanism::Plain, Mechanism::Login]);
        }
        Ok(b.build())
    }
}

// ---------------------------------------------------------------- delivery

/// What one delivery round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Written to the folder or accepted by the server.
    pub sent: usize,
    /// Failed for now, queued again with backoff.
    pub failed: usize,
    /// Rejected permanently (5xx, bad address), not retried.
    pub rejected: usize,
    /// The first error of the round, one line.
    pub first_error: Option<String>,
}

/// Why one mail was not delivered.
enum Failure {
    /// Try this mail again later.
    Transient(String),
    /// Never again.
    Permanent(String),
    /// The server is unreachable: stop this round.
    Unreachable(String),
}

/// Sends every due mail of the outbox table with `mailer` and records each
/// outcome (see the module docs). Returns (sent, failed); failed counts
/// permanent rejections too.
pub fn deliver(
    s: &mut Store,
    mailer: &Mailer,
    from: &Address,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize)> {
    let r = deliver_report(s, mailer, from, now)?;
    Ok((r.sent, r.failed + r.rejected))
}

/// [`deliver`] with the details.
pub fn deliver_report(
    s: &mut Store,
    mailer: &Mailer,
    from: &Address,
    now: DateTime<Utc>,
) -> anyhow::Result<DeliveryReport> {
    deliver_report_until(s, mailer, from, now, &|| false)
}

/// [`deliver_report`] that asks `stop` before each mail and, once it says
/// yes, leaves the rest of the round untouched: still queued, due at once
/// on the next start (a mail already handed to the server is finished
/// first, bounded by the SMTP timeout). `mnp serve` uses it so that a
/// shutdown does not wait for every due mail.
pub fn deliver_report_until(
    s: &mut Store,
    mailer: &Mailer,
    from: &Address,
    now: DateTime<Utc>,
    stop: &dyn Fn() -> bool,
) -> anyhow::Result<DeliveryReport> {
    let mut report = DeliveryReport::default();
    let due = s.due_mails(now, usize::MAX >> 1)?;
    if due.is_empty() {
        return Ok(report);
    }
    let transport = match mailer {
        Mailer::Outbox(dir) => {
            // A folder that cannot be created fails each mail (recorded,
            // retried later) instead of aborting: the queue is the source
            // of truth.
            let _ = std::fs::create_dir_all(dir);
            None
        }
        Mailer::Smtp(settings) => Some(settings.transport()?),
    };
    let mut unreachable: Option<String> = None;
    for m in due {
        if stop() {
            break;
        }
        let outcome = if let Some(e) = &unreachable {
            Err(Failure::Transient(format!("not attempted: {e}")))
        } else {
            match render(&m, from, now) {
                Err(e) => Err(Failure::Permanent(e)),
                Ok((envelope, bytes)) => match (mailer, &transport) {
                    (Mailer::Smtp(settings), Some(t)) => send_smtp(t, settings, &envelope, &bytes),
                    (Mailer::Outbox(dir), _) => write_file(dir, &m, &bytes),
                    (Mailer::Smtp(_), None) => Err(Failure::Unreachable("no transport".into())),
                },
            }
        };
        match outcome {
            Ok(()) => {
                s.mark_mail_sent(m.outbox_id, now)?;
                report.sent += 1;
            }
            Err(Failure::Permanent(e)) => {
                let parked = Backoff {
                    base: Duration::days(PARKED_DAYS),
                    max: Duration::days(PARKED_DAYS),
                };
                s.mark_mail_failed(m.outbox_id, &format!("{REJECTED}{e}"), now, &parked)?;
                tracing::warn!(mail = m.outbox_id, error = %e, "mail rejected permanently, not retried");
                report.first_error.get_or_insert(e);
                report.rejected += 1;
            }
            Err(Failure::Transient(e) | Failure::Unreachable(e)) if unreachable.is_some() => {
                s.mark_mail_failed(m.outbox_id, &e, now, &Backoff::default())?;
                report.failed += 1;
            }
            Err(Failure::Unreachable(e)) => {
                let next = s.mark_mail_failed(m.outbox_id, &e, now, &Backoff::default())?;
                tracing::warn!(mail = m.outbox_id, error = %e, next = %next, "mail server unreachable");
                report.first_error.get_or_insert(e.clone());
                unreachable = Some(e);
                report.failed += 1;
            }
            Err(Failure::Transient(e)) => {
                let next = s.mark_mail_failed(m.outbox_id, &e, now, &Backoff::default())?;
                tracing::warn!(mail = m.outbox_id, error = %e, next = %next, "delivery failed, will retry");
                report.first_error.get_or_insert(e);
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

fn write_file(dir: &Path, m: &OutboxMail, bytes: &[u8]) -> Result<(), Failure> {
    let name = format!("{:06}-{}.eml", m.outbox_id, safe_name(&m.dedupe_key));
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, dir.join(&name)))
        .map_err(|e| Failure::Transient(e.to_string()))
}

/// SMTP auth replies that mean "fix the configuration", not "bad mail".
const AUTH_CODES: [u16; 4] = [530, 534, 535, 538];

fn send_smtp(
    t: &SmtpTransport,
    settings: &SmtpSettings,
    envelope: &Envelope,
    bytes: &[u8],
) -> Result<(), Failure> {
    match t.send_raw(envelope, bytes) {
        Ok(_) => Ok(()),
        Err(e) => {
            let detail = if timed_out(&e) {
                // A read timeout shows as EAGAIN ("resource temporarily
                // unavailable") on Linux: say what it means.
                format!(
                    "timed out: no answer within {} s ({})",
                    settings.timeout.as_secs(),
                    error_chain(&e)
                )
            } else {
                error_chain(&e)
            };
            let text = format!("smtp {}:{}: {detail}", settings.host, settings.port);
            let code = e.status().and_then(|c| c.to_string().parse::<u16>().ok());
            Err(match code {
                Some(c) if e.is_permanent() && !AUTH_CODES.contains(&c) => Failure::Permanent(text),
                Some(_) => Failure::Transient(text),
                None => Failure::Unreachable(text),
            })
        }
    }
}

/// Whether an I/O timeout (`TimedOut`, or `WouldBlock` from a socket
/// timeout) is behind the error.
fn timed_out(e: &smtp::Error) -> bool {
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            );
        }
        src = s.source();
    }
    e.is_timeout()
}

/// The error and its sources on one line, each distinct message once.
fn error_chain(e: &smtp::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    mnp_maxout::alert::one_line(&parts.join(": "), 300)
}

/// `s` with everything but ASCII letters, digits and `-` replaced by `_`
/// (a file name that cannot leave its folder).
pub(crate) fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

// ---------------------------------------------------------------- message

/// Base64 in MIME lines (CRLF between lines of 76 characters).
fn base64(data: &[u8]) -> String {
    mnp_core::util::base64_lines(data, "\r\n")
}

/// Longest header line we aim for (RFC 5322 recommends 78).
const LINE: usize = 76;

/// Folds a printable ASCII value at spaces so that `Name: value` lines stay
/// near [`LINE`] characters; a word longer than a line stays whole.
fn fold_ascii(name: &str, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut col = name.len() + 2;
    for (i, word) in value.split(' ').enumerate() {
        if i > 0 {
            if !word.is_empty() && col + 1 + word.len() > LINE && col > 1 {
                out.push_str("\r\n");
                col = 0;
            }
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
    out
}

/// A header value: control characters (CR, LF, TAB, NUL…) become spaces;
/// printable ASCII is folded at spaces, anything else becomes RFC 2047
/// encoded words of at most 45 bytes each (75 characters), one per line.
fn header_value(name: &str, s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.is_ascii() {
        return fold_ascii(name, &clean);
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in clean.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64(w.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// [`header_value`] for a one-line use (tests, short values).
#[cfg(test)]
fn header_text(s: &str) -> String {
    header_value("X", s)
}

/// The addresses of a mail, parsed with lettre's RFC 5321 rules.
struct Parties {
    from: lettre::Address,
    to: Vec<lettre::Address>,
    cc: Vec<lettre::Address>,
}

fn parse_addr(what: &str, a: &str) -> Result<lettre::Address, String> {
    // mnp's own rules first (ASCII, no display names, no controls), then
    // lettre's: both must accept it before it reaches a header or RCPT TO.
    Address::parse(a).map_err(|e| format!("{what} address: {e}"))?;
    lettre::Address::from_str(a.trim()).map_err(|e| {
        format!(
            "{what} address {:?}: {e}",
            mnp_maxout::alert::one_line(a, 80)
        )
    })
}

fn parties(m: &OutboxMail, from: &Address) -> Result<Parties, String> {
    let to =
        m.to.iter()
            .map(|a| parse_addr("To", a))
            .collect::<Result<Vec<_>, _>>()?;
    if to.is_empty() {
        return Err("no To address".into());
    }
    Ok(Parties {
        from: parse_addr("From", from.as_str())?,
        to,
        cc: m
            .cc
            .iter()
            .map(|a| parse_addr("Cc", a))
            .collect::<Result<Vec<_>, _>>()?,
    })
}

fn list(v: &[lettre::Address]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Envelope (From, every To and Cc) and message bytes of a queued mail.
fn render(
    m: &OutboxMail,
    from: &Address,
    now: DateTime<Utc>,
) -> Result<(Envelope, Vec<u8>), String> {
    let p = parties(m, from)?;
    let bytes = message(m, &p, now);
    let rcpt: Vec<lettre::Address> = p.to.iter().chain(&p.cc).cloned().collect();
    let envelope = Envelope::new(Some(p.from), rcpt).map_err(|e| format!("envelope: {e}"))?;
    Ok((envelope, bytes))
}

/// The mail as RFC 5322 bytes: multipart/alternative, text then HTML, both
/// base64 (UTF-8, any line length).
fn message(m: &OutboxMail, p: &Parties, now: DateTime<Utc>) -> Vec<u8> {
    let boundary = format!(
        "mnp-alt-{}",
        Uuid::new_v5(&Uuid::NAMESPACE_OID, m.dedupe_key.as_bytes()).simple()
    );
    let msg_id = Uuid::new_v5(&Uuid::NAMESPACE_URL, m.dedupe_key.as_bytes());
    let mut h = String::new();
    h.push_str(&format!("Date: {}\r\n", m.created_at.min(now).to_rfc2822()));
    h.push_str(&format!("From: {}\r\n", p.from));
    h.push_str(&format!("To: {}\r\n", fold_ascii("To", &list(&p.to))));
    if !p.cc.is_empty() {
        h.push_str(&format!("Cc: {}\r\n", fold_ascii("Cc", &list(&p.cc))));
    }
    h.push_str(&format!(
        "Subject: {}\r\n",
        header_value("Subject", &m.subject)
    ));
    h.push_str(&format!("Message-ID: <{msg_id}@mnp.maxout>\r\n"));
    if let Some(id) = m.maxout_event_id {
        h.push_str(&format!("X-Mnp-Maxout-Event: {id}\r\n"));
    }
    h.push_str(&format!(
        "X-Mnp-Alert-Kind: {}\r\n",
        header_value("X-Mnp-Alert-Kind", &m.kind)
    ));
    h.push_str("MIME-Version: 1.0\r\n");
    h.push_str(&format!(
        "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
    ));
    for (ct, body) in [("text/plain", &m.text), ("text/html", &m.html)] {
        h.push_str(&format!(
            "--{boundary}\r\nContent-Type: {ct}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            base64(body.as_bytes())
        ));
    }
    h.push_str(&format!("--{boundary}--\r\n"));
    h.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
        let long = base64(&[0u8; 120]);
        assert!(long.split("\r\n").all(|l| l.len() <= 76));
    }

    #[test]
    fn header_text_never_breaks_a_header() {
        assert_eq!(header_text("a\r\nBcc: x"), "a  Bcc: x");
        assert!(header_text("Überlast").starts_with("=?UTF-8?B?"));
        // "Ü" is C3 9C: base64 "w5w=".
        assert_eq!(header_text("Ü"), "=?UTF-8?B?w5w=?=");
    }

    #[test]
    fn long_subjects_fold_at_spaces_and_only_there() {
        let subject = "[mnp NOC] Capacity alert: circuit SIM-0001 reached 117.3 % of capacity \r\nBcc: evil@x.example and then some more words to pass the line";
        let v = header_value("Subject", subject);
        // Every line break is a fold: CRLF followed by a space.
        for (i, line) in v.split("\r\n").enumerate() {
            assert!(i == 0 || line.starts_with(' '), "{line:?}");
            assert!(line.len() + if i == 0 { 9 } else { 0 } <= LINE, "{line:?}");
        }
        // Unfolding gives the cleaned value back.
        assert_eq!(v.replace("\r\n", ""), subject.replace(['\r', '\n'], " "));
        // 30 × "é" = 60 bytes → encoded words of 22 characters (44 bytes) and 8.
        let w = header_value("Subject", &"é".repeat(30));
        let words: Vec<&str> = w.split("\r\n ").collect();
        assert_eq!(words.len(), 2);
        assert!(words.iter().all(|x| x.len() <= 75));
    }

    #[test]
    fn smtp_urls_parse_and_never_show_the_password() {
        let s = SmtpSettings::parse("smtp://noc%40isp:s3cr%2Ft@mail.example:2525").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.security),
            ("mail.example", 2525, Security::Plain)
        );
        assert_eq!(s.user.as_deref(), Some("noc@isp"));
        assert_eq!(s.password.as_deref(), Some("s3cr/t"));
        assert_eq!(s.to_string(), "smtp://noc@isp:***@mail.example:2525");
        assert!(!format!("{s:?}").contains("s3cr"));
        assert_eq!(s.timeout, DEFAULT_TIMEOUT);

        let s = SmtpSettings::parse("smtps://relay.example").unwrap();
        assert_eq!((s.port, s.security), (465, Security::Tls));
        let s = SmtpSettings::parse("smtp://relay.example?tls=starttls&timeout=3&helo=noc.example")
            .unwrap();
        assert_eq!((s.port, s.security), (587, Security::StartTls));
        assert_eq!(s.timeout, StdDuration::from_secs(3));
        assert_eq!(s.helo.as_deref(), Some("noc.example"));
        assert_eq!(s.to_string(), "smtp://relay.example:587?tls=starttls");

        for bad in [
            "http://u:hunter2@mail.example",
            "smtp://u:hunter2@mail.example?timeout=0",
            "smtp://u:hunter2@mail.example?bogus=1",
            "smtp://u:hunter2@mail.example/path",
            "smtps://u:hunter2@mail.example?tls=starttls",
            "smtp://u:hunter2@",
        ] {
            let e = format!("{:#}", SmtpSettings::parse(bad).unwrap_err());
            assert!(!e.contains("hunter2"), "{e}");
            assert!(e.starts_with("bad SMTP URL"), "{e}");
        }
    }
}
