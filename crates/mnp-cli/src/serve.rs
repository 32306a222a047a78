//! `mnp serve`: the HTTP service shell.
//!
//! A thin axum front over the same wiring `mnp ingest` and `mnp maintenances`
//! use; no domain logic lives here.
//!
//! | route | what |
//! |---|---|
//! | `GET /healthz` | `{"status":"ok","schemaVersion":N}`, 503 when the database is unreachable |
//! | `GET /api/v1/maintenances` | current forecast events as JSON (filters: vendor, circuit, customer, status, from, to) |
//! | `GET /api/v1/maintenances.ics` | the same events as a BCOP iCalendar feed |
//! | `POST /api/v1/helpdesk/webhook` | bearer token; ingests the named ticket from the `--helpdesk` source |
//! | `POST /api/v1/log-events` | bearer token; link UP/DOWN events (JSON array, JSON lines or syslog text) → stored outages |
//! | `POST /api/v1/telemetry`, `/api/v1/telemetry/batch`, `/api/v1/write` | bearer token; telemetry → bounded queue → maxout engine worker (see [`crate::serve_telemetry`]) |
//! | `GET /api/v1/telemetry/stats` | telemetry queue depth and counters |
//! | `GET /api/v1/openapi.json` | the OpenAPI 3.1 document ([`OPENAPI`]) |
//!
//! Key decisions:
//! * The store is synchronous, so every database call runs on the blocking
//!   pool. Reads share one connection behind a mutex; the webhook has its own
//!   [`Pipeline`] (and connection), so a slow ingest never blocks the feed. A
//!   connection that failed is dropped and reopened on the next request, which
//!   is also how the service recovers from a database that was down at start.
//!   Log events have a connection of their own too; a detection is one
//!   transaction (see `outages_cmd::store_detection`), so posts are applied
//!   one after the other and a later post closes what an earlier one opened.
//! * The helpdesk is called outside the pipeline lock: fetching a ticket and
//!   recording its label may be slow, only the database transaction is
//!   serialised. Re-delivering a webhook is harmless (the pipeline is
//!   idempotent by Message-ID / SHA-256).
//! * For a local source (`dir:`, `files:`, `maildir:`, `mbox:`) a ticket id
//!   names a pending file by its stem (`4711` → `4711.eml`), looked up among
//!   the source's pending messages, so a request can never read a path of its
//!   choosing. Any other source gets the ticket id as its key.
//! * Errors are JSON (`{"error": "..."}`) with the status that tells the
//!   caller what to do: 400 fix the request, 401 the token, 413 the size, 502
//!   the helpdesk failed (retry later), 503 not configured / database down.
//! * `--listen` accepts port 0; the bound address is printed on stdout
//!   (`listening on http://127.0.0.1:PORT`) once the socket is open.

use std::io::Write;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use mnp_core::{Registry, Status};
use mnp_ingest::{MessageRef, Pipeline, Processed, Source};
use mnp_store::{ForecastFilter, Store};
use serde_json::{Value, json};

use mnp_sla::logs::{InputFormat, ParseOptions, parse_bytes};

use crate::config::{self, GlobalOpts};
use crate::ingest_cmd::open_source;
use crate::outages_cmd::{parse_gap, parse_zone, store_detection};

/// The OpenAPI 3.1 document served at `/api/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Every route the service answers, as (method, path); the OpenAPI document
/// must list each of them (checked by a test).
pub const ROUTES: [(&str, &str); 10] = [
    ("get", "/healthz"),
    ("get", "/api/v1/maintenances"),
    ("get", "/api/v1/maintenances.ics"),
    ("post", "/api/v1/helpdesk/webhook"),
    ("post", "/api/v1/log-events"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/telemetry"),
    ("post", "/api/v1/telemetry/batch"),
    ("post", "/api/v1/write"),
    ("get", "/api/v1/telemetry/stats"),
];

const QUERY_PARAMS: [&str; 6] = ["vendor", "circuit", "customer", "status", "from", "to"];

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the bound address is
    /// printed on stdout).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: String,
    /// Bearer token the helpdesk webhook requires (default: $MNP_API_TOKEN;
    /// prefer the variable: arguments are visible to other users). Without a
    /// token the webhook is disabled (503).
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Source the webhook ingests tickets from (default: $MNP_HELPDESK), e.g.
    /// rt://host/QUEUE, or dir:PATH where ticket 4711 is PATH/4711.eml.
    #[arg(long, value_name = "SPEC")]
    helpdesk: Option<String>,
    /// Largest webhook body accepted, in bytes (larger: 413).
    #[arg(long, default_value_t = 64 * 1024, value_name = "BYTES")]
    max_body: usize,
    /// Largest log-events body accepted, in bytes (larger: 413).
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    max_log_body: usize,
    #[command(flatten)]
    telemetry: crate::serve_telemetry::TelemetryArgs,
}

/// Shared state of the service.
struct App {
    opts: GlobalOpts,
    registry: Registry,
    /// Connection for the read endpoints; `None` until opened or after a failure.
    reader: Mutex<Option<Store>>,
    /// The webhook's pipeline (own connection); `None` until opened or after a failure.
    pipeline: Mutex<Option<Pipeline>>,
    /// Connection for log events; `None` until opened or after a failure.
    outages: Mutex<Option<Store>>,
    token: Option<String>,
    helpdesk: Option<String>,
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub fn run(args: ServeArgs, opts: &GlobalOpts, reg: Registry) -> anyhow::Result<ExitCode> {
    let token = args
        .token
        .filter(|t| !t.trim().is_empty())
        .or_else(|| env_nonempty("MNP_API_TOKEN"))
        .map(|t| t.trim().to_string());
    let helpdesk = args
        .helpdesk
        .filter(|h| !h.trim().is_empty())
        .or_else(|| env_nonempty("MNP_HELPDESK"));
    if let Some(spec) = &helpdesk {
        // a typo in the spec should stop the service now, not fail every webhook
        open_source(spec).with_context(|| format!("bad --helpdesk / $MNP_HELPDESK {spec:?}"))?;
    }
    match (&token, &helpdesk) {
        (None, _) => tracing::warn!(
            "no API token (--token / $MNP_API_TOKEN): the helpdesk webhook and log events are disabled"
        ),
        (Some(_), None) => tracing::warn!(
            "no helpdesk source (--helpdesk / $MNP_HELPDESK): the helpdesk webhook is disabled"
        ),
        _ => {}
    }
    let telemetry = crate::serve_telemetry::Telemetry::start(&args.telemetry, opts)?;
    let tel_routes =
        crate::serve_telemetry::router(telemetry.clone(), token.clone(), args.telemetry.max_body());
    let app = Arc::new(App {
        opts: opts.clone(),
        registry: reg,
        reader: Mutex::new(None),
        pipeline: Mutex::new(None),
        outages: Mutex::new(None),
        token,
        helpdesk,
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // A PostgreSQL connection blocks on its own runtime when dropped, which
    // panics inside ours: the last reference to the App (and its store
    // connections) is dropped here, after the runtime is gone.
    let keep = app.clone();
    let code = rt.block_on(serve(
        app,
        &args.listen,
        args.max_body,
        args.max_log_body,
        tel_routes,
    ));
    // queued telemetry is processed and written before the process exits
    telemetry.shutdown();
    // blocking jobs still running (a helpdesk call) get a moment to finish
    rt.shutdown_timeout(Duration::from_secs(10));
    drop(keep);
    code
}

fn router(
    app: Arc<App>,
    max_body: usize,
    max_log_body: usize,
    telemetry: Router<Arc<App>>,
) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/maintenances", get(maintenances_json))
        .route("/api/v1/maintenances.ics", get(maintenances_ics))
        .route(
            "/api/v1/helpdesk/webhook",
            post(webhook).layer(DefaultBodyLimit::max(max_body)),
        )
        .route(
            "/api/v1/log-events",
            post(log_events).layer(DefaultBodyLimit::max(max_log_body)),
        )
        .route("/api/v1/openapi.json", get(openapi))
        .merge(telemetry)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(log_request))
        .with_state(app)
}

async fn serve(
    app: Arc<App>,
    listen: &str,
    max_body: usize,
    max_log_body: usize,
    telemetry: Router<Arc<App>>,
) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr().context("no local address")?;
    let shutdown = shutdown_signal()?;
    {
        // open the database now so a wrong URL shows in the log at once; the
        // service still starts (healthz says 503) and retries per request
        let app = app.clone();
        let opened =
            tokio::task::spawn_blocking(move || with_reader(&app, |s| s.schema_version())).await;
        match opened {
            Ok(Ok(v)) => tracing::info!(schema_version = v, "database ready"),
            Ok(Err(e)) => {
                tracing::warn!(error = %e.message, "database not available yet; healthz answers 503 until it is")
            }
            Err(e) => tracing::warn!(error = %e, "database check failed"),
        }
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{addr}")?;
        out.flush()?;
    }
    tracing::info!(%addr, "mnp serve listening");
    axum::serve(listener, router(app, max_body, max_log_body, telemetry))
        .with_graceful_shutdown(shutdown)
        .await
        .context("server failed")?;
    tracing::info!("mnp serve stopped");
    Ok(ExitCode::SUCCESS)
}

/// Install the Ctrl-C and SIGTERM handlers now, before the "listening"
/// line, so a signal sent right after start is never missed (axum polls the
/// shutdown future on a task of its own, possibly later); the returned
/// future resolves on either, then in-flight requests finish.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
        let mut term = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => tracing::info!("interrupt: shutting down"),
                _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                tracing::info!("interrupt: shutting down");
            } else {
                std::future::pending::<()>().await;
            }
        })
    }
}

async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let ms = start.elapsed().as_millis() as u64;
    if resp.status().is_server_error() {
        tracing::warn!(%method, %path, status, ms, "request");
    } else {
        tracing::info!(%method, %path, status, ms, "request");
    }
    resp
}

// ---------------------------------------------------------------- errors

/// An error answer: a status and a JSON body `{"error": ..., ...}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    message: String,
    extra: serde_json::Map<String, Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            extra: serde_json::Map::new(),
        }
    }
    pub(crate) fn with(mut self, key: &str, value: impl Into<Value>) -> ApiError {
        self.extra.insert(key.to_string(), value.into());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        body.insert("error".into(), Value::String(self.message));
        body.extend(self.extra);
        let mut resp = (self.status, Json(Value::Object(body))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    let routes: Vec<String> = ROUTES
        .iter()
        .map(|(m, p)| format!("{} {p}", m.to_ascii_uppercase()))
        .collect();
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no route {method} {}", uri.path()),
    )
    .with("routes", routes)
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method {method} not allowed on {}", uri.path()),
    )
}

/// Run blocking work (the store, a helpdesk) on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("worker failed: {e}"),
        )
    })?
}

/// Run `f` on the read connection, opening it first if needed. Cannot open
/// → 503; a failed query → 500 and the connection is dropped (reopened next time).
fn with_reader<T>(
    app: &App,
    f: impl FnOnce(&mut Store) -> mnp_store::Result<T>,
) -> Result<T, ApiError> {
    let mut guard = app.reader.lock().unwrap_or_else(PoisonError::into_inner);
    let store = match guard.as_mut() {
        Some(s) => s,
        None => {
            let s = config::store(&app.opts).map_err(|e| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("database unavailable: {e:#}"),
                )
            })?;
            guard.insert(s)
        }
    };
    f(store).map_err(|e| {
        *guard = None;
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("database error: {e}"),
        )
    })
}

// ---------------------------------------------------------------- read endpoints

async fn healthz(State(app): State<Arc<App>>) -> Response {
    match blocking(move || with_reader(&app, |s| s.schema_version())).await {
        Ok(v) => Json(json!({ "status": "ok", "schemaVersion": v })).into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "error": e.message })),
        )
            .into_response(),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

fn bad_param(name: &str, reason: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        format!("bad query parameter `{name}`: {reason}"),
    )
    .with("parameter", name)
}

/// RFC 3339, or a bare date meaning its midnight UTC.
fn parse_time(name: &str, v: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        && let Some(t) = d.and_hms_opt(0, 0, 0)
    {
        return Ok(t.and_utc());
    }
    Err(bad_param(
        name,
        format!("{v:?} is not an RFC 3339 time (2024-05-15T04:00:00Z) or a date (2024-05-15)"),
    ))
}

/// The filter of a maintenances request. Unknown or repeated parameters are
/// refused (a typo must not silently widen the answer); empty values mean
/// "no filter".
fn filter_of(uri: &Uri) -> Result<ForecastFilter, ApiError> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("bad query string: {e}")))?;
    let mut f = ForecastFilter::default();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &pairs {
        let Some(name) = QUERY_PARAMS.iter().copied().find(|p| p == k) else {
            return Err(bad_param(
                k,
                format!("unknown parameter (known: {})", QUERY_PARAMS.join(", ")),
            ));
        };
        if seen.contains(&name) {
            return Err(bad_param(name, "given more than once"));
        }
        seen.push(name);
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match name {
            "vendor" => f.vendor = Some(v.to_string()),
            "circuit" => f.circuit = Some(v.to_string()),
            "customer" => f.customer = Some(v.to_string()),
            "status" => {
                let s: Status = v.parse().map_err(|_| {
                    let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                    bad_param(name, format!("{v:?} is not a status ({})", all.join(", ")))
                })?;
                f.status = Some(s.as_str().to_string());
            }
            "from" => f.from = Some(parse_time(name, v)?),
            "to" => f.to = Some(parse_time(name, v)?),
            _ => {}
        }
    }
    if let (Some(a), Some(b)) = (f.from, f.to)
        && a > b
    {
        return Err(bad_param("from", "is after `to`"));
    }
    Ok(f)
}

async fn events(app: Arc<App>, uri: &Uri) -> Result<Vec<mnp_store::ForecastEvent>, ApiError> {
    let f = filter_of(uri)?;
    blocking(move || with_reader(&app, |s| s.forecast_events(&f))).await
}

async fn maintenances_json(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
    Ok(Json(events(app, &uri).await?).into_response())
}

async fn maintenances_ics(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
    let evs = events(app, &uri).await?;
    let body = mnp_ingest::feed::ics(&evs, Utc::now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"maintenances.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

// ---------------------------------------------------------------- webhook

/// Equal in time independent of where the strings differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

/// `Authorization: Bearer T` (or `Token T`, the InfluxDB v2 form Telegraf
/// sends) carrying exactly `token`, compared in constant time.
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, given)) = v.trim().split_once(' ') else {
        return false;
    };
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
        && constant_time_eq(given.trim().as_bytes(), token.as_bytes())
}

/// The API token check every write route makes: 503 when no token is
/// configured (the route is `what`), 401 when the request does not carry it.
pub(crate) fn require_token(
    token: Option<&str>,
    headers: &HeaderMap,
    what: &str,
) -> Result<(), ApiError> {
    let Some(token) = token else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{what} disabled: no API token configured (--token or MNP_API_TOKEN)"),
        ));
    };
    if !authorized(headers, token) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong bearer token",
        ));
    }
    Ok(())
}

/// The request body, or the error that says why it could not be read
/// (413 when it is over the route's limit).
pub(crate) fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        let status = e.status();
        let msg = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "request body too large".to_string()
        } else {
            format!("cannot read the body: {}", e.body_text())
        };
        ApiError::new(status, msg)
    })
}

/// Decode `application/x-www-form-urlencoded` text.
fn form_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn ticket_from_form(body: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        matches!(form_decode(k)?.as_str(), "ticket" | "ticketId").then(|| form_decode(v))?
    })
}

fn ticket_from_json(v: &Value) -> Option<String> {
    let obj = v.as_object()?;
    match obj.get("ticketId").or_else(|| obj.get("ticket"))? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// The ticket id a webhook body names: JSON `{"ticketId": ...}` or
/// `{"ticket": ...}` (string or number), or a form `ticket=...`.
fn ticket_of(headers: &HeaderMap, body: &[u8]) -> Result<String, ApiError> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "body is not UTF-8"))?;
    let id =
        if ctype.starts_with("application/json") || ctype.contains("+json") {
            let v: Value = serde_json::from_str(text).map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("body is not valid JSON: {e}"),
                )
            })?;
            ticket_from_json(&v).ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "JSON body needs a `ticketId` (or `ticket`) string or number",
                )
            })?
        } else {
            // a form, or no / another content type: helpdesks are not always
            // careful with it (curl -d sends JSON as a form), so take either
            ticket_from_form(text)
            .or_else(|| serde_json::from_str::<Value>(text).ok().and_then(|v| ticket_from_json(&v)))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "body names no ticket: send JSON {\"ticketId\": \"123\"} or a form ticket=123",
                )
            })?
        };
    let id = id.trim().to_string();
    let ok = !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("bad ticket id {id:?} (1-128 characters of A-Z a-z 0-9 . _ -)"),
        ));
    }
    Ok(id)
}

fn is_local(spec: &str) -> bool {
    spec.split_once(':')
        .is_some_and(|(kind, _)| matches!(kind, "dir" | "files" | "maildir" | "mbox"))
}

/// The message a ticket id names at the source. Local sources: the pending
/// message whose file stem (or name, or key) is the id; others: the id itself.
fn resolve(spec: &str, source: &mut dyn Source, id: &str) -> Result<MessageRef, ApiError> {
    if !is_local(spec) {
        return Ok(MessageRef {
            key: id.to_string(),
            ticket_id: Some(id.to_string()),
        });
    }
    let pending = source
        .pending()
        .map_err(|e| helpdesk_failed(source, id, &e))?;
    let matches: Vec<MessageRef> = pending
        .into_iter()
        .filter(|r| {
            let p = std::path::Path::new(&r.key);
            let is = |o: Option<&std::ffi::OsStr>| o.is_some_and(|s| s == id);
            r.ticket_id.as_deref() == Some(id)
                || r.key == id
                || is(p.file_name())
                || is(p.file_stem())
        })
        .collect();
    match matches.as_slice() {
        [r] => Ok(MessageRef {
            key: r.key.clone(),
            ticket_id: Some(id.to_string()),
        }),
        [] => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("ticket {id} is not pending at {}", source.describe()),
        )
        .with("ticketId", id)),
        _ => Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "ticket {id} names {} messages at {}",
                matches.len(),
                source.describe()
            ),
        )
        .with("ticketId", id)),
    }
}

fn helpdesk_failed(source: &dyn Source, id: &str, e: &dyn std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        format!("helpdesk {} failed: {e}", source.describe()),
    )
    .with("ticketId", id)
}

fn result_json(id: &str, p: &Processed) -> Value {
    json!({
        "ticketId": id,
        "notificationId": p.notification_id,
        "label": p.label.as_str(),
        "vendor": p.vendor,
        "summary": p.summary,
        "duplicate": p.duplicate,
        "stored": p.stored,
        "unknownCircuits": p.unknown_circuits,
    })
}

/// Fetch, process and label one ticket (blocking).
fn ingest_ticket(app: &App, spec: &str, id: &str) -> Result<Value, ApiError> {
    let mut source = open_source(spec).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot open helpdesk {spec:?}: {e:#}"),
        )
    })?;
    let r = resolve(spec, source.as_mut(), id)?;
    let msg = source
        .read(&r)
        .map_err(|e| helpdesk_failed(source.as_ref(), id, &e))?;
    let processed = {
        let mut guard = app.pipeline.lock().unwrap_or_else(PoisonError::into_inner);
        let pipeline = match guard.as_mut() {
            Some(p) => p,
            None => {
                let mut store = config::store(&app.opts).map_err(|e| {
                    ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        format!("database unavailable: {e:#}"),
                    )
                })?;
                store.sync_vendors(&app.registry).map_err(|e| {
                    ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        format!("database error: {e}"),
                    )
                })?;
                guard.insert(crate::ingest_cmd::pipeline(
                    &app.registry,
                    store,
                    Some(mnp_parsers::generic::Options::default().min_confidence),
                ))
            }
        };
        pipeline.process(&msg).map_err(|e| {
            *guard = None;
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("ingest of ticket {id} failed: {e}"),
            )
            .with("ticketId", id)
        })?
    };
    let body = result_json(id, &processed);
    tracing::info!(ticket = id, label = %processed.label, vendor = ?processed.vendor, duplicate = processed.duplicate, "webhook ingested");
    if let Err(e) = source.record(&r, &processed.outcome()) {
        // stored, but the label is not on the ticket: 502 so the helpdesk
        // re-delivers; the repeat is idempotent and only records the label
        return Err(helpdesk_failed(
            source.as_ref(),
            id,
            &format!("stored, but recording the label failed: {e}"),
        )
        .with("result", body));
    }
    Ok(body)
}

async fn webhook(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_token(app.token.as_deref(), &headers, "webhook")?;
    let Some(spec) = app.helpdesk.clone() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "webhook disabled: no helpdesk source configured (--helpdesk or MNP_HELPDESK)",
        ));
    };
    let body = read_body(body)?;
    let id = ticket_of(&headers, &body)?;
    let result = blocking(move || ingest_ticket(&app, &spec, &id)).await?;
    Ok(Json(result).into_response())
}

// ---------------------------------------------------------------- log events

/// The body of a log-events post as lines, and how to read them: a JSON
/// array becomes one line per element (numbered from 1), JSON lines and
/// syslog text are taken as they are.
fn log_lines(headers: &HeaderMap, body: &[u8]) -> Result<(Vec<u8>, InputFormat), ApiError> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match ctype.as_str() {
        "application/json" => {
            let v: Value = serde_json::from_slice(body).map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("body is not valid JSON: {e}"),
                )
            })?;
            let items = match v {
                Value::Array(items) => items,
                one @ Value::Object(_) => vec![one],
                _ => {
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "JSON body must be an array of {device, port, state, ts} objects (or one)",
                    ));
                }
            };
            let mut text = Vec::new();
            for item in items {
                // One element per line; serde_json never writes a raw newline.
                serde_json::to_writer(&mut text, &item)
                    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
                text.push(b'\n');
            }
            Ok((text, InputFormat::Jsonl))
        }
        "application/x-ndjson"
        | "application/jsonl"
        | "application/json-lines"
        | "application/x-jsonlines" => Ok((body.to_vec(), InputFormat::Jsonl)),
        "text/plain" => Ok((body.to_vec(), InputFormat::Syslog)),
        "" => Ok((body.to_vec(), InputFormat::Auto)),
        other => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "content type {other:?} not understood: send application/json (an array of events), application/x-ndjson or text/plain (syslog)"
            ),
        )),
    }
}

/// `zone`, `year` and `mergeGap` of a log-events request.
fn log_options(uri: &Uri) -> Result<(ParseOptions, chrono::TimeDelta), ApiError> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("bad query string: {e}")))?;
    let mut zone = chrono_tz::UTC;
    let mut year = chrono::Datelike::year(&Utc::now());
    let mut gap = chrono::TimeDelta::zero();
    for (k, v) in &pairs {
        let v = v.trim();
        match k.as_str() {
            "zone" => zone = parse_zone(v).map_err(|e| bad_param("zone", format!("{e:#}")))?,
            "year" => {
                year = v
                    .parse()
                    .map_err(|_| bad_param("year", format!("{v:?} is not a year")))?
            }
            "mergeGap" => {
                gap = parse_gap(v).map_err(|e| bad_param("mergeGap", format!("{e:#}")))?
            }
            other => {
                return Err(bad_param(
                    other,
                    "unknown parameter (known: zone, year, mergeGap)",
                ));
            }
        }
    }
    Ok((ParseOptions::new(year, zone), gap))
}

async fn log_events(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_token(app.token.as_deref(), &headers, "log events")?;
    let body = read_body(body)?;
    let (opts, gap) = log_options(&uri)?;
    let (text, format) = log_lines(&headers, &body)?;
    let summary = blocking(move || {
        let report = parse_bytes(&text, &opts.with_format(format));
        let mut guard = app.outages.lock().unwrap_or_else(PoisonError::into_inner);
        let store = match guard.as_mut() {
            Some(s) => s,
            None => {
                let s = config::store(&app.opts).map_err(|e| {
                    ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        format!("database unavailable: {e:#}"),
                    )
                })?;
                guard.insert(s)
            }
        };
        store_detection(store, &report, gap, "api:log-events").map_err(|e| {
            *guard = None;
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("database error: {e}"),
            )
        })
    })
    .await?;
    Ok(Json(summary).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_lists_every_route() {
        let doc: Value = serde_json::from_str(OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        for (method, path) in ROUTES {
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} missing in openapi.json"
            );
        }
        let listed: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(
            listed,
            ROUTES.len(),
            "openapi.json lists a route the service does not answer"
        );
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3cre"));
        assert!(!constant_time_eq(b"s3cret", b"s3cret!"));
        assert!(!constant_time_eq(b"", b"x"));
        assert!(!constant_time_eq(b"s3cres", b"s3cret"));
    }

    #[test]
    fn bearer_or_token_scheme() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, HeaderValue::from_str(v).unwrap());
            authorized(&h, "s3cret")
        };
        assert!(with("Bearer s3cret"));
        assert!(with("bearer  s3cret "));
        assert!(with("Token s3cret"), "InfluxDB v2 / Telegraf form");
        assert!(!with("Basic s3cret"));
        assert!(!with("Bearer s3cre"));
        assert!(!with("s3cret"));
        assert!(!authorized(&HeaderMap::new(), "s3cret"));
    }

    #[test]
    fn ticket_bodies() {
        let mut h = HeaderMap::new();
        assert_eq!(ticket_of(&h, br#"{"ticketId":"123"}"#).unwrap(), "123");
        assert_eq!(ticket_of(&h, br#"{"ticket":456}"#).unwrap(), "456");
        assert_eq!(ticket_of(&h, b"ticket=789").unwrap(), "789");
        assert!(ticket_of(&h, br#"{"ticketId":"../etc/passwd"}"#).is_err());
        assert!(ticket_of(&h, br#"{"id":"1"}"#).is_err());
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert_eq!(ticket_of(&h, b"queue=x&ticket=%34%32").unwrap(), "42");
        assert_eq!(ticket_of(&h, br#"{"ticketId":"43"}"#).unwrap(), "43");
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        assert!(ticket_of(&h, b"ticket=1").is_err());
        assert!(ticket_of(&h, b"").is_err());
    }

    #[test]
    fn log_bodies_by_content_type() {
        let mut h = HeaderMap::new();
        let syslog = b"<187>Aug 19 22:30:00 kc-pe1 1: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down\n";
        assert_eq!(log_lines(&h, syslog).unwrap().1, InputFormat::Auto);
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        assert_eq!(
            log_lines(&h, syslog).unwrap(),
            (syslog.to_vec(), InputFormat::Syslog)
        );
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-ndjson"),
        );
        assert_eq!(log_lines(&h, b"{}\n{}").unwrap().1, InputFormat::Jsonl);
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let (text, f) = log_lines(
            &h,
            br#"[{"device":"r1","port":"Gi0/1","state":"down","ts":"2024-08-20T03:30:00Z"}, 7]"#,
        )
        .unwrap();
        assert_eq!(f, InputFormat::Jsonl);
        let lines: Vec<&str> = std::str::from_utf8(&text).unwrap().lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "one line per element, so numbers are positions"
        );
        assert_eq!(lines[1], "7");
        assert!(
            log_lines(&h, b"{\"device\":1}").is_ok(),
            "one object is an array of one"
        );
        assert!(log_lines(&h, b"\"x\"").is_err());
        assert!(log_lines(&h, b"[").is_err());
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
        assert_eq!(
            log_lines(&h, b"x").unwrap_err().status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let (o, gap) = log_options(
            &"/x?zone=America/Chicago&year=2024&mergeGap=60s"
                .parse()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            (o.year, o.default_zone, gap.num_seconds()),
            (2024, chrono_tz::America::Chicago, 60)
        );
        assert!(log_options(&"/x?zone=Mars".parse().unwrap()).is_err());
        assert!(log_options(&"/x?tz=UTC".parse().unwrap()).is_err());
    }

    #[test]
    fn filters() {
        let f = filter_of(
            &"/x?vendor=zayo&status=cancelled&from=2024-05-01&to="
                .parse()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(f.vendor.as_deref(), Some("zayo"));
        assert_eq!(f.status.as_deref(), Some("CANCELLED"));
        assert_eq!(f.from.unwrap().to_rfc3339(), "2024-05-01T00:00:00+00:00");
        assert!(f.to.is_none());
        let e = filter_of(&"/x?from=yesterday".parse().unwrap()).unwrap_err();
        assert_eq!(e.extra["parameter"], "from");
        assert!(filter_of(&"/x?vendr=zayo".parse().unwrap()).is_err());
        assert!(filter_of(&"/x?vendor=a&vendor=b".parse().unwrap()).is_err());
    }
}
