//! Request Tracker 5 (REST2) as a helpdesk source.
//!
//! Maintenance mail reaches a RT queue (usually through `rt-mailgate`); every
//! new ticket is one message. [`RtSource`] polls the queue, reads the message
//! the ticket was created from, and records the outcome on the ticket.
//!
//! - **pending**: a TicketSQL search through REST2,
//!   `Queue = 'Maintenance' AND Status != 'rejected' AND Status != 'deleted'
//!   AND CF.{MaintLabel} IS NULL`, oldest first: every unlabelled ticket, also
//!   one a human resolved before mnp saw it (limit the start with
//!   [`RtConfig::extra_query`], e.g. `Created > '2024-06-01'`). A ticket leaves the list
//!   once it carries a label; clearing the custom field (in the web UI, or
//!   REST2 `{"CustomFields": {"MaintLabel": null}}`) puts it back.
//! - **read**: the ticket's history → its `Create` transaction → that
//!   transaction's attachments, rebuilt into RFC 5322 bytes (see *Fidelity*).
//! - **record**: a comment with the outcome summary first, then the label in
//!   the ticket custom field (`MaintLabel`) and, unless a human must look at
//!   it ([`Label::needs_human`](crate::Label::needs_human)), status
//!   `resolved`, in one update; then the ticket is read back to check that
//!   both are visible (RT answers 200 even when it refused a change). A failure between the
//!   two steps leaves the ticket unlabelled, so it is offered again: at worst a
//!   duplicate comment, never a lost label. Failures keep their status (new or
//!   open) for a human, and carry the label so they are not offered again.
//!
//! # Fidelity of the original message
//!
//! RT 5 does not keep the bytes of an incoming mail. It parses it with
//! MIME-tools and stores one row per MIME entity (headers + decoded body);
//! REST2 hands those rows out, and this module puts them back together:
//! headers as RT stored them, multipart structure with the original boundary,
//! bodies re-encoded in their `Content-Transfer-Encoding` (base64 or
//! quoted-printable), `message/rfc822` parts nested. What is lost, all by RT
//! on the way in:
//! - text parts (text/plain, text/html) are converted to UTF-8 and marked
//!   `charset=utf-8`; RT notes the original charset in
//!   `X-RT-Original-Encoding`, and the part is converted back to it (and the
//!   charset parameter restored) whenever that round-trips cleanly — RT
//!   decodes `iso-8859-1` as true Latin-1, so a mislabelled windows-1252
//!   byte such as 0x96 comes back as the same byte. RT's `X-RT-*` headers and
//!   the `Content-Length` it adds are dropped;
//! - header order changes, encoded words may come back decoded as UTF-8,
//!   address headers are re-quoted;
//! - preamble and epilogue of multiparts are dropped, and a multipart with a
//!   single part is collapsed into that part;
//! - quoted-printable and base64 are re-encoded by us, so line breaks differ
//!   (the decoded content is the same);
//! - a UTF-16 text part (Colt's circuit CSV) has its `Content-Type`,
//!   `Content-Disposition` and `Content-Transfer-Encoding` headers destroyed
//!   by RT 5.0.3 (it decodes the ASCII headers as UTF-16): its text comes
//!   back as an anonymous `text/plain` part, without type or file name, so a
//!   parser that looks for the attachment does not find it.
//!
//! When the ticket was *not* created by mail (REST, web UI) and its create
//! transaction carries the mail as an attachment — a file named `*.eml`, or
//! of type `message/rfc822`, or the ticket content itself with that type —
//! its bytes are returned unchanged. That is the lossless way to feed RT from
//! another system: attach the mail as `application/octet-stream` named
//! `*.eml`. (RT hands out `message/rfc822` content as UTF-8 text, with
//! non-UTF-8 bytes replaced by `\xNN` escapes, so that type is exact only for
//! ASCII or UTF-8 mail.)
//!
//! # Errors
//!
//! Every request has a timeout; timeouts, refused connections and 5xx answers
//! are retried with exponential backoff (a retried comment may be posted
//! twice, never lost); 401 is reported as a credentials error, 403 as missing
//! rights. Nothing on the ticket changes unless the update succeeded, and
//! credentials never appear in errors or logs.
//!
//! # Speed
//!
//! RT 5 checks a token or password with bcrypt on every REST2 call (about
//! 0.4 s each). The source therefore logs in once through RT's REST 1.0 entry
//! point and sends the web session cookie along with the credentials (about
//! 25 ms a call); if RT offers no session, or it expires, RT falls back to the
//! credentials. Reading a message takes 2 + (number of MIME parts) calls,
//! recording it 3.
//!
//! # Rights
//!
//! The RT user needs, on the queue: SeeQueue, ShowTicket, ShowTicketComments,
//! ModifyTicket, CommentOnTicket, SeeCustomField, ModifyCustomField. The
//! custom field (single free-form value, default `MaintLabel`) must apply to
//! the queue.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::source::{Message, MessageRef, Outcome, Source};
use crate::{Error, Result};

/// Name of the ticket custom field that holds the label, unless configured.
pub const DEFAULT_LABEL_FIELD: &str = "MaintLabel";
/// Queue polled when the URL names none.
pub const DEFAULT_QUEUE: &str = "Maintenance";
/// Largest response body accepted (an attachment comes base64 inside JSON).
const MAX_BODY: u64 = 128 * 1024 * 1024;
/// REST2 caps `per_page` at 100.
const PER_PAGE: usize = 100;
/// Upper bound on pages walked in one listing (100 000 items).
const MAX_PAGES: usize = 1000;
/// A web session is renewed after this long.
const SESSION_REFRESH: Duration = Duration::from_secs(15 * 60);

/// How to authenticate against RT.
#[derive(Clone, PartialEq, Eq)]
pub enum RtAuth {
    /// An RT auth token (`Authorization: token …`), made under
    /// *Logged in as → Settings → Auth Tokens*.
    Token(String),
    /// A user name and its RT password (HTTP basic auth).
    Basic {
        /// RT user name.
        user: String,
        /// Its password.
        password: String,
    },
}

impl fmt::Debug for RtAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RtAuth::Token(_) => f.write_str("Token(<redacted>)"),
            RtAuth::Basic { user, .. } => {
                write!(f, "Basic {{ user: {user:?}, password: <redacted> }}")
            }
        }
    }
}

impl RtAuth {
    /// Credentials from the environment: `MNP_RT_TOKEN`, else `MNP_RT_USER`
    /// and `MNP_RT_PASSWORD`.
    pub fn from_env() -> Option<RtAuth> {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(t) = get("MNP_RT_TOKEN") {
            return Some(RtAuth::Token(t));
        }
        Some(RtAuth::Basic {
            user: get("MNP_RT_USER")?,
            password: get("MNP_RT_PASSWORD")?,
        })
    }

    fn header(&self) -> String {
        match self {
            RtAuth::Token(t) => format!("token {}", t.trim()),
            RtAuth::Basic { user, password } => {
                format!(
                    "Basic {}",
                    mnp_core::util::base64_encode(format!("{user}:{password}").as_bytes())
                )
            }
        }
    }
}

/// Where RT is and how to talk to it.
#[derive(Debug, Clone)]
pub struct RtConfig {
    /// RT's web root, `http(s)://host[:port][/path]/`, always ending in `/`.
    pub base_url: String,
    /// Queue to poll.
    pub queue: String,
    /// Credentials.
    pub auth: RtAuth,
    /// Ticket custom field that receives the label.
    pub label_field: String,
    /// Set status `resolved` on tickets whose label needs no human.
    pub resolve: bool,
    /// Extra TicketSQL ANDed to the pending search (e.g. `Created > '2024-01-01'`).
    pub extra_query: Option<String>,
    /// Timeout of one HTTP request, connect to last byte.
    pub timeout: Duration,
    /// Attempts per request (timeouts, refused connections, 5xx).
    pub attempts: u32,
    /// Pause before the first retry; doubles each time, at most 30 s.
    pub backoff: Duration,
}

impl RtConfig {
    /// A configuration for the RT at `base_url` (`rt://host:port/` is http,
    /// `rts://host/` https, or an explicit `http(s)://host[:port][/path]/`),
    /// polling `queue`.
    pub fn new(base_url: &str, queue: &str, auth: RtAuth) -> Result<RtConfig> {
        let (base, _) = parse_base(base_url)?;
        if queue.trim().is_empty() {
            return Err(config_err("empty queue name"));
        }
        Ok(RtConfig {
            base_url: base,
            queue: queue.trim().to_string(),
            auth,
            label_field: DEFAULT_LABEL_FIELD.to_string(),
            resolve: true,
            extra_query: None,
            timeout: Duration::from_secs(30),
            attempts: 4,
            backoff: Duration::from_millis(500),
        })
    }

    /// A configuration from one URL such as
    /// `rt://rt.example.net:8080/?queue=Maintenance&field=MaintLabel`
    /// (`queue` defaults to `Maintenance`, `field` to `MaintLabel`; the
    /// path is RT's web path). Credentials never go in the URL.
    pub fn from_url(url: &str, auth: RtAuth) -> Result<RtConfig> {
        let (_, query) = parse_base(url)?;
        let mut queue = DEFAULT_QUEUE.to_string();
        let mut field = DEFAULT_LABEL_FIELD.to_string();
        let mut resolve = true;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_decode(v);
            match k {
                "queue" => queue = v,
                "field" => field = v,
                "resolve" => resolve = !matches!(v.as_str(), "0" | "false" | "no"),
                other => return Err(config_err(&format!("unknown URL parameter {other:?}"))),
            }
        }
        let mut cfg = RtConfig::new(url, &queue, auth)?;
        if field.trim().is_empty() {
            return Err(config_err("empty custom field name"));
        }
        cfg.label_field = field;
        cfg.resolve = resolve;
        Ok(cfg)
    }
}

fn config_err(reason: &str) -> Error {
    Error::Source {
        source_name: "rt".to_string(),
        reason: reason.to_string(),
    }
}

/// Normalise a base URL; returns it and its query string.
fn parse_base(url: &str) -> Result<(String, String)> {
    let url = url.trim();
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| config_err(&format!("not a URL: {url:?}")))?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "rt" | "http" => "http",
        "rts" | "https" => "https",
        other => {
            return Err(config_err(&format!(
                "unsupported scheme {other:?} (rt, rts, http, https)"
            )));
        }
    };
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(config_err(
            "credentials do not belong in the URL: use a token or user/password",
        ));
    }
    if authority.is_empty() {
        return Err(config_err(&format!("no host in {url:?}")));
    }
    let path = path.trim_end_matches('/');
    Ok((format!("{scheme}://{authority}{path}/"), query.to_string()))
}

/// One attachment row of a transaction, as REST2 gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    id: u64,
    parent: u64,
    content_type: String,
    headers: String,
    filename: String,
    content: Option<Vec<u8>>,
}

/// The RT web session used instead of checking the password on every call.
#[derive(Default)]
struct Session {
    /// `RT_SID_…=…`, when logged in.
    cookie: Option<String>,
    /// When it was obtained.
    at: Option<Instant>,
    /// RT answered but offered no session (REST 1.0 disabled): don't ask again.
    unsupported: bool,
}

/// The Request Tracker source. See the module docs.
pub struct RtSource {
    cfg: RtConfig,
    agent: ureq::Agent,
    auth_header: String,
    session: Mutex<Session>,
}

impl fmt::Debug for RtSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RtSource")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

impl RtSource {
    /// A source for `cfg`. Does not contact RT (see [`RtSource::check`]).
    pub fn new(cfg: RtConfig) -> RtSource {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(cfg.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("mnp-ingest/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let auth_header = cfg.auth.header();
        RtSource {
            cfg,
            agent,
            auth_header,
            session: Mutex::new(Session::default()),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &RtConfig {
        &self.cfg
    }

    /// Ask RT who we are: fails with a clear error on wrong credentials, an
    /// unreachable server or a missing queue.
    pub fn check(&self) -> Result<()> {
        let (_, body) = self.request("GET", "rt", None, &[200])?;
        json_body(&body).map_err(|e| self.err(format!("GET rt: {e}")))?;
        let q = percent_encode(&self.cfg.queue);
        self.request("GET", &format!("queue/{q}"), None, &[200])
            .map_err(|e| match e {
                // RT answers 403 for a queue that does not exist, too.
                Error::Source { reason, .. }
                    if reason.contains("HTTP 404") || reason.contains("HTTP 403") =>
                {
                    self.err(format!(
                        "queue {:?} not found (or not visible to this user)",
                        self.cfg.queue
                    ))
                }
                e => e,
            })?;
        Ok(())
    }

    fn err(&self, reason: String) -> Error {
        Error::Source {
            source_name: self.describe(),
            reason,
        }
    }

    fn api_url(&self, path: &str) -> String {
        format!("{}REST/2.0/{}", self.cfg.base_url, path)
    }

    fn cookie(&self) -> Option<String> {
        self.session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .cookie
            .clone()
    }

    /// Log in to RT's web UI once (REST 1.0 entry point) and reuse its session
    /// cookie: RT 5 checks a token or password with bcrypt on every REST2
    /// call (about 0.4 s each), a session costs nothing. The credentials still
    /// go with every call, so an expired session only makes calls slower.
    fn ensure_session(&self) -> Result<()> {
        {
            let s = self.session.lock().unwrap_or_else(|e| e.into_inner());
            if s.unsupported
                || s.cookie.is_some() && s.at.is_some_and(|at| at.elapsed() < SESSION_REFRESH)
            {
                return Ok(());
            }
        }
        let url = format!("{}REST/1.0/", self.cfg.base_url);
        let resp = match &self.cfg.auth {
            RtAuth::Token(_) => self
                .agent
                .get(&url)
                .header("Authorization", self.auth_header.as_str())
                .call(),
            RtAuth::Basic { user, password } => self
                .agent
                .post(&url)
                .content_type("application/x-www-form-urlencoded")
                .send(format!(
                    "user={}&pass={}",
                    percent_encode(user),
                    percent_encode(password)
                )),
        };
        // Unreachable: the REST2 call that follows retries and reports it.
        let Ok(mut resp) = resp else { return Ok(()) };
        let cookie = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|c| c.trim_start().starts_with("RT_SID_"))
            .map(|c| c.trim().to_string());
        let status = resp.status().as_u16();
        let Ok(body) = resp.body_mut().with_config().limit(1 << 20).read_to_vec() else {
            return Ok(());
        };
        let body = String::from_utf8_lossy(&body);
        let first = body.lines().next().unwrap_or("");
        if first.contains(" 401 ") || status == 401 {
            return Err(self.err(
                "login: HTTP 401: RT rejected the credentials (check the auth token, or the user name and password)"
                    .into(),
            ));
        }
        let mut s = self.session.lock().unwrap_or_else(|e| e.into_inner());
        match cookie {
            Some(c) if status == 200 && first.starts_with("RT/") && first.contains(" 200 ") => {
                s.cookie = Some(c);
                s.at = Some(Instant::now());
            }
            _ if (500..600).contains(&status) => {}
            _ => {
                tracing::debug!(source = %self.describe(), status, "RT offers no web session; checking credentials on every call");
                s.unsupported = true;
            }
        }
        Ok(())
    }

    /// One REST2 call with retries; returns status and body for the statuses
    /// in `ok`, a clear error otherwise.
    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        ok: &[u16],
    ) -> Result<(u16, Vec<u8>)> {
        self.ensure_session()?;
        let url = self.api_url(path);
        let payload = match body {
            Some(v) => Some(
                serde_json::to_vec(v).map_err(|e| self.err(format!("encoding request: {e}")))?,
            ),
            None => None,
        };
        let attempts = self.cfg.attempts.max(1);
        let mut pause = self.cfg.backoff;
        let mut last = String::new();
        for attempt in 1..=attempts {
            let cookie = self.cookie();
            match self.once(method, &url, payload.as_deref(), cookie.as_deref()) {
                Ok((status, bytes)) if ok.contains(&status) => return Ok((status, bytes)),
                // With a cookie RT redirects to its login page instead of 401.
                Ok((302, _)) if cookie.is_some() => {
                    *self.session.lock().unwrap_or_else(|e| e.into_inner()) = Session::default();
                    return Err(self.err(format!(
                        "{method} {path}: HTTP 401: RT rejected the session and the credentials (check the auth token, or the user name and password)"
                    )));
                }
                Ok((401, _)) => {
                    return Err(self.err(format!(
                        "{method} {path}: HTTP 401: RT rejected the credentials (check the auth token, or the user name and password)"
                    )));
                }
                Ok((403, bytes)) => {
                    return Err(self.err(format!(
                        "{method} {path}: HTTP 403: permission denied for this RT user: {}",
                        snippet(&bytes)
                    )));
                }
                Ok((status, bytes)) if (500..600).contains(&status) => {
                    last = format!("HTTP {status}: {}", snippet(&bytes));
                }
                Ok((status, bytes)) => {
                    return Err(self.err(format!(
                        "{method} {path}: HTTP {status}: {}",
                        snippet(&bytes)
                    )));
                }
                Err(e) if retryable(&e) => last = e.to_string(),
                Err(e) => return Err(self.err(format!("{method} {path}: {e}"))),
            }
            if attempt < attempts {
                tracing::warn!(source = %self.describe(), method, path, attempt, error = %last, "RT request failed; retrying");
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(30));
            }
        }
        Err(self.err(format!(
            "{method} {path}: gave up after {attempts} attempts: {last}"
        )))
    }

    fn once(
        &self,
        method: &str,
        url: &str,
        payload: Option<&[u8]>,
        cookie: Option<&str>,
    ) -> Result<(u16, Vec<u8>), ureq::Error> {
        let auth = self.auth_header.as_str();
        let cookie = cookie.unwrap_or("");
        let resp = match (method, payload) {
            ("GET", _) => self
                .agent
                .get(url)
                .header("Authorization", auth)
                .header("Cookie", cookie)
                .header("Accept", "application/json")
                .call(),
            ("PUT", p) => self
                .agent
                .put(url)
                .header("Authorization", auth)
                .header("Cookie", cookie)
                .header("Accept", "application/json")
                .content_type("application/json")
                .send(p.unwrap_or(b"{}")),
            (_, p) => self
                .agent
                .post(url)
                .header("Authorization", auth)
                .header("Cookie", cookie)
                .header("Accept", "application/json")
                .content_type("application/json")
                .send(p.unwrap_or(b"{}")),
        };
        let mut resp = resp?;
        let status = resp.status().as_u16();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()?;
        Ok((status, bytes))
    }

    fn get_json(&self, path: &str) -> Result<Value> {
        let (_, body) = self.request("GET", path, None, &[200])?;
        json_body(&body).map_err(|e| self.err(format!("GET {path}: {e}")))
    }

    /// All items of a paged REST2 collection (`path` already has a `?`).
    fn list_all(&self, path: &str) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let v = self.get_json(&format!("{path}&per_page={PER_PAGE}&page={page}"))?;
            let items = v
                .get("items")
                .and_then(Value::as_array)
                .ok_or_else(|| self.err(format!("GET {path}: answer has no items list")))?;
            let n = items.len();
            out.extend(items.iter().cloned());
            let per_page = v
                .get("per_page")
                .and_then(as_u64)
                .unwrap_or(PER_PAGE as u64) as usize;
            let pages = v.get("pages").and_then(as_u64);
            if n == 0 || n < per_page || pages.is_some_and(|p| page as u64 >= p) {
                return Ok(out);
            }
        }
        Err(self.err(format!("GET {path}: more than {MAX_PAGES} pages")))
    }

    fn ticket_id(&self, r: &MessageRef) -> Result<u64> {
        let raw = r.ticket_id.as_deref().unwrap_or(&r.key);
        raw.trim()
            .parse()
            .map_err(|_| self.err(format!("not a ticket id: {raw:?}")))
    }

    fn pending_query(&self) -> String {
        let mut q = format!(
            "Queue = '{}' AND Status != 'rejected' AND Status != 'deleted' AND CF.{{{}}} IS NULL",
            sql_quote(&self.cfg.queue),
            self.cfg.label_field.replace(['{', '}'], "")
        );
        if let Some(extra) = self
            .cfg
            .extra_query
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            q = format!("{q} AND ({extra})");
        }
        q
    }

    /// The create transaction's id and time.
    fn create_transaction(&self, ticket: u64) -> Result<(u64, Option<DateTime<Utc>>)> {
        let items = self.list_all(&format!("ticket/{ticket}/history?fields=Type,Created"))?;
        items
            .iter()
            .find(|t| t.get("Type").and_then(Value::as_str) == Some("Create"))
            .and_then(|t| {
                let id = t.get("id").and_then(as_u64)?;
                let at = t
                    .get("Created")
                    .and_then(Value::as_str)
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.with_timezone(&Utc));
                Some((id, at))
            })
            .ok_or_else(|| {
                self.err(format!(
                    "ticket {ticket} has no Create transaction in its history"
                ))
            })
    }

    fn attachment(&self, id: u64) -> Result<Part> {
        let v = self.get_json(&format!("attachment/{id}"))?;
        let parent = match v.get("Parent") {
            Some(Value::Object(o)) => o.get("id").and_then(as_u64).unwrap_or(0),
            Some(p) => as_u64(p).unwrap_or(0),
            None => 0,
        };
        let content = match v.get("Content").and_then(Value::as_str) {
            Some(b64) => Some(
                base64_decode(b64)
                    .ok_or_else(|| self.err(format!("attachment {id}: content is not base64")))?,
            ),
            None => None,
        };
        Ok(Part {
            id,
            parent,
            content_type: v
                .get("ContentType")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            headers: v
                .get("Headers")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            filename: v
                .get("Filename")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            content,
        })
    }
}

impl Source for RtSource {
    fn describe(&self) -> String {
        format!(
            "rt:{}?queue={}",
            self.cfg.base_url,
            percent_encode(&self.cfg.queue)
        )
    }

    fn pending(&mut self) -> Result<Vec<MessageRef>> {
        let q = percent_encode(&self.pending_query());
        let items = self.list_all(&format!("tickets?query={q}&orderby=id&order=ASC"))?;
        let mut out = Vec::with_capacity(items.len());
        for it in &items {
            let id = it
                .get("id")
                .and_then(as_u64)
                .ok_or_else(|| self.err("ticket without id in search".into()))?;
            out.push(MessageRef {
                key: id.to_string(),
                ticket_id: Some(id.to_string()),
            });
        }
        tracing::debug!(source = %self.describe(), count = out.len(), "pending tickets");
        Ok(out)
    }

    fn read(&mut self, r: &MessageRef) -> Result<Message> {
        let ticket = self.ticket_id(r)?;
        let (txn, created) = self.create_transaction(ticket)?;
        let ids: Vec<u64> = self
            .list_all(&format!("transaction/{txn}/attachments?fields=ContentType"))?
            .iter()
            .filter_map(|a| a.get("id").and_then(as_u64))
            .collect();
        let mut parts = Vec::with_capacity(ids.len());
        for id in ids {
            parts.push(self.attachment(id)?);
        }
        let raw =
            original_message(&parts).map_err(|e| self.err(format!("ticket {ticket}: {e}")))?;
        Ok(Message {
            r#ref: r.clone(),
            raw,
            received_at: created,
            origin: format!("{}Ticket/Display.html?id={ticket}", self.cfg.base_url),
        })
    }

    fn record(&mut self, r: &MessageRef, outcome: &Outcome) -> Result<()> {
        let ticket = self.ticket_id(r)?;
        let field = self.cfg.label_field.clone();
        let label = outcome.label.as_str();
        let mut text = format!("mnp ingest: {label}\n");
        if let Some(v) = &outcome.vendor {
            text.push_str(&format!("vendor: {v}\n"));
        }
        if !outcome.summary.trim().is_empty() {
            text.push('\n');
            text.push_str(outcome.summary.trim_end());
            text.push('\n');
        }
        let comment = json!({ "Subject": format!("mnp ingest: {label}"), "Content": text, "ContentType": "text/plain" });
        self.request(
            "POST",
            &format!("ticket/{ticket}/comment"),
            Some(&comment),
            &[200, 201],
        )?;

        let resolve = self.cfg.resolve && !outcome.label.needs_human();
        let mut update = json!({ "CustomFields": { field.clone(): label } });
        if resolve {
            update["Status"] = json!("resolved");
        }
        let (_, answer) =
            self.request("PUT", &format!("ticket/{ticket}"), Some(&update), &[200])?;

        // RT answers 200 with a list of messages even when a change was refused:
        // read the ticket back instead of trusting them.
        let t = self.get_json(&format!("ticket/{ticket}"))?;
        let values = label_values(&t, &field);
        let said = snippet(&answer);
        match values {
            None => {
                return Err(self.err(format!(
                    "ticket {ticket}: custom field {field:?} does not apply to it (create it and apply it to queue {:?}); RT said: {said}",
                    self.cfg.queue
                )));
            }
            Some(v) if !v.iter().any(|x| x == label) => {
                return Err(self.err(format!(
                    "ticket {ticket}: label {label} not set; RT said: {said}"
                )));
            }
            Some(_) => {}
        }
        let status = t.get("Status").and_then(Value::as_str).unwrap_or("");
        if resolve && status != "resolved" {
            return Err(self.err(format!(
                "ticket {ticket}: status is {status:?}, not resolved; RT said: {said}"
            )));
        }
        tracing::info!(source = %self.describe(), ticket, label, status, "ticket labelled");
        Ok(())
    }
}

/// Values of the named custom field on a ticket record, `None` when the field
/// does not apply to the ticket.
fn label_values(ticket: &Value, field: &str) -> Option<Vec<String>> {
    let cfs = ticket.get("CustomFields")?.as_array()?;
    let cf = cfs
        .iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(field))?;
    Some(
        cf.get("values")
            .and_then(Value::as_array)
            .map(|vs| {
                vs.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

fn retryable(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Timeout(_) | ureq::Error::Io(_) | ureq::Error::ConnectionFailed
    )
}

fn json_body(body: &[u8]) -> std::result::Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("answer is not JSON ({e}): {}", snippet(body)))
}

/// A short printable excerpt of a response body for error messages.
fn snippet(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body);
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return "(empty answer)".to_string();
    }
    match s.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Quote a string for a TicketSQL single-quoted literal.
fn sql_quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (
            b.get(i),
            b.get(i + 1).and_then(|c| hex_val(*c)),
            b.get(i + 2).and_then(|c| hex_val(*c)),
        ) {
            (Some(b'%'), Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
            }
            (Some(b'+'), _, _) => {
                out.push(b' ');
                i += 1;
            }
            (Some(c), _, _) => {
                out.push(*c);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

// ---------------------------------------------------------------------------
// Rebuilding the original message from RT's attachment rows.

/// Headers RT adds to what it stores; dropped from the rebuilt message.
const RT_ADDED_HEADERS: [&str; 6] = [
    "x-rt-interface",
    "x-rt-incoming-encryption",
    "x-rt-incoming-signature",
    "x-rt-original-encoding",
    "x-rt-privacy",
    "content-length",
];

/// The original message of a create transaction, from its attachment rows
/// (in id order). See the module docs for what RT keeps.
fn original_message(parts: &[Part]) -> std::result::Result<Vec<u8>, String> {
    let top = parts
        .iter()
        .find(|p| p.parent == 0)
        .ok_or_else(|| "its create transaction has no message (no attachments)".to_string())?;
    let by_email = header_lines(&top.headers).iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("X-RT-Interface") && v.trim().eq_ignore_ascii_case("Email")
    });
    if !by_email {
        // Created through the API or the web UI: the mail itself may be there.
        if let Some(raw) = parts.iter().find_map(|p| {
            let leaf = !parts.iter().any(|c| c.parent == p.id);
            let is_msg = p.content_type.eq_ignore_ascii_case("message/rfc822")
                || p.filename.to_ascii_lowercase().ends_with(".eml");
            if leaf && is_msg {
                p.content.clone().filter(|c| !c.is_empty())
            } else {
                None
            }
        }) {
            return Ok(raw);
        }
    }
    let mut out = Vec::new();
    write_entity(top, parts, &mut out, 0)?;
    Ok(out)
}

/// Header fields of an RT header block (unfolded name, raw value incl. folds).
fn header_lines(block: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in block.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push('\n');
                last.1.push_str(line);
            }
            continue;
        }
        if let Some((n, v)) = line.split_once(':') {
            out.push((
                n.trim().to_string(),
                v.strip_prefix(' ').unwrap_or(v).to_string(),
            ));
        }
    }
    out
}

/// A MIME parameter (`boundary`) of a header value.
fn mime_param(value: &str, name: &str) -> Option<String> {
    let unfolded = value.replace(['\n', '\r'], " ");
    for piece in unfolded.split(';').skip(1) {
        let (k, v) = piece.split_once('=')?;
        if k.trim().eq_ignore_ascii_case(name) {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .unwrap_or(v);
            return Some(v.to_string());
        }
    }
    None
}

fn write_entity(
    p: &Part,
    parts: &[Part],
    out: &mut Vec<u8>,
    depth: usize,
) -> std::result::Result<(), String> {
    if depth > 50 {
        return Err("attachments nest deeper than 50 levels".into());
    }
    let children: Vec<&Part> = parts
        .iter()
        .filter(|c| c.parent == p.id && c.id != p.id)
        .collect();
    let mut headers = header_lines(&p.headers);
    headers.retain(|(n, v)| {
        let n = n.to_ascii_lowercase();
        let rt_added = RT_ADDED_HEADERS.contains(&n.as_str());
        let emptied = n.starts_with("content-") && v.trim().is_empty();
        !(rt_added || emptied)
    });
    let ctype = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let multipart = p
        .content_type
        .to_ascii_lowercase()
        .starts_with("multipart/")
        || ctype
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/");

    let mut boundary = None;
    if multipart && !children.is_empty() {
        let b = mime_param(&ctype, "boundary").unwrap_or_default();
        if b.is_empty() {
            let b = format!("mnp-rt-{}", p.id);
            let ct = format!(
                "{}; boundary=\"{b}\"",
                if ctype.trim().is_empty() {
                    &p.content_type
                } else {
                    &ctype
                }
            );
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("Content-Type"));
            headers.push(("Content-Type".into(), ct));
            boundary = Some(b);
        } else {
            boundary = Some(b);
        }
    }

    let cte = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Transfer-Encoding"))
        .map(|(_, v)| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    // RT turned this text part into UTF-8: turn it back when it can be done
    // without loss, and say so in the charset again.
    let mut body = p.content.clone().unwrap_or_default();
    if children.is_empty()
        && let Some(orig) = original_charset(&p.headers, &ctype)
        && let Some(bytes) = encode_back(&body, &orig)
    {
        body = bytes;
        for h in headers
            .iter_mut()
            .filter(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
        {
            h.1 = set_charset(&h.1, &orig);
        }
    }
    for (n, v) in &headers {
        out.extend_from_slice(n.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');

    if let Some(b) = boundary {
        for c in &children {
            out.extend_from_slice(format!("--{b}\n").as_bytes());
            write_entity(c, parts, out, depth + 1)?;
            out.push(b'\n');
        }
        out.extend_from_slice(format!("--{b}--\n").as_bytes());
    } else if !children.is_empty() {
        // message/rfc822 and friends: the enclosed message follows the headers.
        for c in &children {
            write_entity(c, parts, out, depth + 1)?;
        }
    } else {
        match cte.as_str() {
            "base64" => out.extend_from_slice(base64_lines(&body).as_bytes()),
            "quoted-printable" => out.extend_from_slice(qp_encode(&body).as_bytes()),
            _ => out.extend_from_slice(&body),
        }
    }
    Ok(())
}

/// The charset a text part had before RT converted it to UTF-8: RT's
/// `X-RT-Original-Encoding`, when the part now says `charset=utf-8` and is of
/// a type RT converts (text/plain, text/html).
fn original_charset(rt_headers: &str, ctype: &str) -> Option<String> {
    let orig = header_lines(rt_headers)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("X-RT-Original-Encoding"))
        .map(|(_, v)| v.trim().to_string())?;
    let is_utf8 = |c: &str| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "utf-8" | "utf8" | "utf-8-strict"
        )
    };
    let mime = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let now = mime_param(ctype, "charset").unwrap_or_default();
    (matches!(mime.as_str(), "text/plain" | "text/html")
        && is_utf8(&now)
        && !is_utf8(&orig)
        && !orig.is_empty())
    .then_some(orig)
}

/// UTF-8 `text` in `charset` again, or `None` when that would lose anything.
fn encode_back(text: &[u8], charset: &str) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(text).ok()?;
    let label = charset.trim().to_ascii_lowercase();
    // Perl's iso-8859-1 (what RT decoded with) is Latin-1 proper, where the
    // WHATWG label means windows-1252: map code points one to one.
    if matches!(
        label.as_str(),
        "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1" | "us-ascii" | "ascii"
    ) {
        let limit = if label.contains("ascii") { 0x7f } else { 0xff };
        return s
            .chars()
            .map(|c| {
                u8::try_from(u32::from(c))
                    .ok()
                    .filter(|b| u32::from(*b) <= limit)
            })
            .collect();
    }
    let enc = encoding_rs::Encoding::for_label(label.as_bytes())?;
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        // encoding_rs has no UTF-16 encoder.
        let le = enc == encoding_rs::UTF_16LE;
        return Some(
            s.encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect(),
        );
    }
    if enc.output_encoding() != enc {
        return None;
    }
    let (bytes, _, lossy) = enc.encode(s);
    if lossy {
        return None;
    }
    // Only a clean round trip replaces RT's UTF-8.
    let (back, bad) = enc.decode_without_bom_handling(&bytes);
    (!bad && back == s).then(|| bytes.into_owned())
}

/// A Content-Type value with its charset parameter replaced.
fn set_charset(value: &str, charset: &str) -> String {
    let mut pieces: Vec<String> = value.split(';').map(str::to_string).collect();
    let mut done = false;
    for p in pieces.iter_mut().skip(1) {
        if p.split_once('=')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        {
            *p = format!(" charset=\"{charset}\"");
            done = true;
        }
    }
    if !done {
        pieces.push(format!(" charset=\"{charset}\""));
    }
    pieces.join(";")
}

/// Base64 in 76-character lines, each ending in a newline.
fn base64_lines(data: &[u8]) -> String {
    let mut out = mnp_core::util::base64_lines(data, "\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Decode base64, ignoring whitespace; `None` on any other bad character.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Quoted-printable (RFC 2045 §6.7), line breaks kept as hard breaks.
fn qp_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() + data.len() / 8);
    let mut col = 0usize;
    let mut i = 0usize;
    while i < data.len() {
        let b = data.get(i).copied().unwrap_or(0);
        let next = data.get(i + 1).copied();
        if b == b'\n' || (b == b'\r' && next == Some(b'\n')) {
            out.push('\n');
            col = 0;
            i += if b == b'\r' { 2 } else { 1 };
            continue;
        }
        let at_line_end = matches!(next, None | Some(b'\n'))
            || (next == Some(b'\r') && data.get(i + 2) == Some(&b'\n'));
        let literal =
            (b == b'\t' || b == b' ') && !at_line_end || (33..=126).contains(&b) && b != b'=';
        let piece = if literal {
            (b as char).to_string()
        } else {
            format!("={b:02X}")
        };
        if col + piece.len() > 75 {
            out.push_str("=\n");
            col = 0;
        }
        col += piece.len();
        out.push_str(&piece);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(id: u64, parent: u64, ct: &str, headers: &str, content: Option<&[u8]>) -> Part {
        let filename = String::new();
        Part {
            id,
            parent,
            content_type: ct.into(),
            headers: headers.into(),
            filename,
            content: content.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn base_urls() {
        let ok = |u: &str| parse_base(u).map(|(b, _)| b).map_err(|e| e.to_string());
        assert_eq!(ok("rt://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080/");
        assert_eq!(
            ok("rts://rt.example.net/rt/?queue=x").unwrap(),
            "https://rt.example.net/rt/"
        );
        assert_eq!(
            ok("https://rt.example.net/").unwrap(),
            "https://rt.example.net/"
        );
        assert!(
            ok("rt://user:pw@host/")
                .unwrap_err()
                .contains("credentials")
        );
        assert!(ok("ftp://host/").is_err());
        assert!(ok("host:80").is_err());
        let c = RtConfig::from_url(
            "rt://h:1/?queue=Vendor%20Mail&field=Lbl&resolve=no",
            RtAuth::Token("t".into()),
        )
        .unwrap();
        assert_eq!(
            (c.queue.as_str(), c.label_field.as_str(), c.resolve),
            ("Vendor Mail", "Lbl", false)
        );
        assert!(RtConfig::from_url("rt://h/?bogus=1", RtAuth::Token("t".into())).is_err());
    }

    #[test]
    fn credentials_never_shown() {
        let a = RtAuth::Basic {
            user: "u".into(),
            password: "secret".into(),
        };
        assert!(!format!("{a:?}").contains("secret"));
        assert!(!format!("{:?}", RtAuth::Token("tok-secret".into())).contains("secret"));
        assert_eq!(a.header(), "Basic dTpzZWNyZXQ=");
    }

    #[test]
    fn base64_round_trip() {
        for n in 0..300usize {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 % 256) as u8).collect();
            assert_eq!(base64_decode(&base64_lines(&data)).unwrap(), data, "n={n}");
        }
        assert_eq!(mnp_core::util::base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(mnp_core::util::base64_encode(b"fo"), "Zm8=");
        assert!(base64_decode("a*b").is_none());
    }

    #[test]
    fn quoted_printable() {
        assert_eq!(
            qp_encode("Grüße = a \nb\t\n".as_bytes()),
            "Gr=C3=BC=C3=9Fe =3D a=20\nb=09\n"
        );
        let long = "x".repeat(200);
        assert!(qp_encode(long.as_bytes()).lines().all(|l| l.len() <= 76));
    }

    #[test]
    fn rebuilds_multipart() {
        let parts = vec![
            part(
                1,
                0,
                "multipart/mixed",
                "Subject: s\nContent-Type: multipart/mixed; boundary=\"BB\"\nX-RT-Interface: Email\nContent-Length: 0",
                None,
            ),
            part(
                2,
                1,
                "text/plain",
                "content-type: text/plain; charset=\"utf-8\"\nX-RT-Original-Encoding: iso-8859-1\nContent-Length: 6",
                Some("hé\n".as_bytes()),
            ),
            part(
                3,
                1,
                "application/pdf",
                "Content-Type: application/pdf; name=\"a.pdf\"\nContent-Transfer-Encoding: base64\nContent-Disposition: \nContent-Length: 3",
                Some(&[0, 1, 2]),
            ),
        ];
        let raw = original_message(&parts).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&raw),
            "Subject: s\nContent-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\ncontent-type: text/plain; charset=\"iso-8859-1\"\n\nh\u{fffd}\n\n--BB\nContent-Type: application/pdf; name=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\nAAEC\n\n--BB--\n"
        );
    }

    #[test]
    fn charset_restored() {
        let parts = vec![part(
            1,
            0,
            "text/plain",
            "Subject: x\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\nX-RT-Original-Encoding: iso-8859-1",
            Some("M\u{fc}nchen \u{96}\n".as_bytes()),
        )];
        let raw = original_message(&parts).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&raw),
            "Subject: x\nContent-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n\nM=FCnchen =96\n"
        );
        assert_eq!(encode_back("\u{20ac}".as_bytes(), "iso-8859-1"), None);
        assert_eq!(
            encode_back("\u{20ac}".as_bytes(), "windows-1252"),
            Some(vec![0x80])
        );
        assert_eq!(
            encode_back("\u{feff}a".as_bytes(), "UTF-16LE"),
            Some(vec![0xff, 0xfe, b'a', 0])
        );
        assert_eq!(
            encode_back("\u{4e2d}".as_bytes(), "gb2312").map(|b| b.len()),
            Some(2)
        );
        assert_eq!(encode_back("x".as_bytes(), "no-such-charset"), None);
        // Not converted by RT: left alone.
        assert_eq!(
            original_charset(
                "X-RT-Original-Encoding: iso-8859-1",
                "text/calendar; charset=iso-8859-1"
            ),
            None
        );
    }

    #[test]
    fn raw_attachment_wins_for_api_tickets() {
        let mail = b"From: a@b\nSubject: x\n\nbody\n";
        let parts = vec![
            part(
                8,
                0,
                "multipart/mixed",
                "Content-Type: multipart/mixed; boundary=\"q\"\nX-RT-Interface: REST",
                None,
            ),
            part(
                9,
                8,
                "text/plain",
                "Content-Type: text/plain",
                Some(b"see attached"),
            ),
            part(
                10,
                8,
                "message/rfc822",
                "Content-Type: message/rfc822; name=\"o.eml\"",
                Some(mail),
            ),
        ];
        assert_eq!(original_message(&parts).unwrap(), mail);
        // By mail, a nested message is part of the message, not a replacement.
        let mut by_mail = parts.clone();
        by_mail[0].headers =
            "Content-Type: multipart/mixed; boundary=\"q\"\nX-RT-Interface: Email".into();
        assert_ne!(original_message(&by_mail).unwrap(), mail);
        assert!(original_message(&[]).is_err());
    }

    #[test]
    fn nested_message_and_missing_boundary() {
        let parts = vec![
            part(
                1,
                0,
                "multipart/mixed",
                "Content-Type: multipart/mixed",
                None,
            ),
            part(2, 1, "message/rfc822", "Content-Type: message/rfc822", None),
            part(
                3,
                2,
                "text/plain",
                "Subject: inner\nContent-Type: text/plain",
                Some(b"inner body"),
            ),
        ];
        let raw = String::from_utf8(original_message(&parts).unwrap()).unwrap();
        assert!(
            raw.starts_with("Content-Type: multipart/mixed; boundary=\"mnp-rt-1\"\n\n--mnp-rt-1\n")
        );
        assert!(raw.contains("Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/plain\n\ninner body\n--mnp-rt-1--\n"));
    }

    #[test]
    fn label_values_of_ticket() {
        let t = json!({"CustomFields": [{"name": "MaintLabel", "values": ["MaintIgnored"]}]});
        assert_eq!(
            label_values(&t, "MaintLabel"),
            Some(vec!["MaintIgnored".to_string()])
        );
        assert_eq!(label_values(&t, "Other"), None);
        assert_eq!(sql_quote("it's"), "it\\'s");
        assert_eq!(percent_decode("a%20b+c%zz"), "a b c%zz");
    }
}
