//! Telemetry ingest of `mnp serve`: three write endpoints, a bounded queue,
//! one background engine worker and one mail delivery thread.
//!
//! | route | body |
//! |---|---|
//! | `POST /api/v1/telemetry` | one JSON sample of the original API (`circuitId`, `timestamp`, `usage`, `direction`) |
//! | `POST /api/v1/telemetry/batch` | a JSON array of such samples |
//! | `POST /api/v1/write` | InfluxDB line protocol as Telegraf sends it; `?precision=ns\|us\|ms\|s` |
//! | `GET /api/v1/telemetry/stats` | queue depth and counters |
//!
//! All writes need the bearer token (`Authorization: Bearer T`; Telegraf's
//! InfluxDB v2 output sends `Token T`, also accepted). A body over
//! `--max-telemetry-body` is 413, before or after gzip decompression
//! (`Content-Encoding: gzip`, Telegraf's default, is accepted).
//!
//! Key decisions:
//! * **Partial writes keep the good part**, like InfluxDB: every accepted
//!   sample is queued; when some lines or elements are bad the answer is
//!   400 with `accepted` and a `rejected` list naming each line (1-based) or
//!   array index (0-based) with its reason. All good: 204 for `/write`
//!   (what Telegraf expects), 202 with `{"accepted": n}` for the JSON routes.
//!   Samples of circuits that are not in the inventory are not errors; the
//!   worker counts them (`unknownCircuits` in the stats).
//! * **Memory is bounded by `--telemetry-queue` samples**: a request is
//!   admitted only when all its samples fit (an atomic reservation, released
//!   when the worker has processed them), else 429 with `Retry-After` and
//!   nothing of it is queued, so the client can resend the same body. A body
//!   with more samples than the whole queue is 413.
//! * **One worker thread** owns the [`Runtime`] (engine + inventory) and its
//!   own store connection, so samples of one circuit are processed in
//!   arrival order. It drains what is queued (up to [`DRAIN_MAX`] samples),
//!   runs it through the engine and writes episodes, peaks and alert mails
//!   in one transaction per drained batch; every second it ticks (stale
//!   circuits, reminders). A database that is down is retried; queued
//!   samples wait (and the queue fills up, so clients get 429 rather than
//!   silent loss).
//! * **Mails go out on a thread of their own** (`Delivery`), with its own
//!   store connection: the worker only queues them in the `AlertOutbox`
//!   table and nudges it; the thread delivers what is due with
//!   [`crate::mailer`] (outbox folder, or SMTP with `--smtp`) at once and
//!   every second (retries, reminders). A slow or silent mail server (up to
//!   the SMTP timeout per round) therefore never holds up sample
//!   processing, and a delivery error never costs the worker its database
//!   connection. The table stays the source of truth (queued → sent, retry
//!   with backoff, or rejected), so nothing is sent twice or lost.
//! * **Graceful shutdown drains the queue**: after the server stops
//!   accepting requests, [`Telemetry::shutdown`] lets the worker process and
//!   write everything queued and waits for it. Delivery over SMTP finishes
//!   the mail in flight (bounded by the SMTP timeout) and starts no other:
//!   unsent mails stay queued for the next start. The outbox folder is
//!   local and quick, so its last round writes every due mail.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use clap::Args;
use mnp_maxout::alert::{Address, RepeatPolicy};
use mnp_maxout::telemetry::{Batch, Reading, json, line};
use mnp_maxout::units::{Seconds, parse_duration};
use mnp_store::Store;
use serde_json::{Value, json};

use crate::config::{self, GlobalOpts};
use crate::mailer::{Mailer, deliver_report_until};
use crate::maxout_runtime::{Runtime, RuntimeOptions};
use crate::serve::{ApiError, read_body, require_token};

/// Most samples the worker takes from the queue for one transaction.
pub const DRAIN_MAX: usize = 50_000;

/// How often the worker ticks and the delivery thread looks for due mails.
const TICK: Duration = Duration::from_secs(1);

/// How often the worker writes the daily peaks (and at shutdown).
const PEAKS_EVERY: Duration = Duration::from_secs(10);

/// `mnp serve` options of the telemetry ingest.
#[derive(Args, Debug, Clone)]
pub struct TelemetryArgs {
    /// Samples the telemetry queue holds (full: 429 with Retry-After).
    #[arg(long, default_value_t = 200_000, value_name = "N")]
    telemetry_queue: usize,
    /// Largest telemetry body accepted, in bytes (larger: 413).
    #[arg(long, default_value_t = 32 * 1024 * 1024, value_name = "BYTES")]
    max_telemetry_body: usize,
    /// Folder alert mails are written to as `.eml` files (without SMTP).
    #[arg(long, default_value = "outbox", value_name = "DIR")]
    outbox: PathBuf,
    /// Send alert mails over SMTP: smtp://[user:pass@]host[:port], smtps://…,
    /// or `off` for the folder [default: $MNP_SMTP_URL, else smtp_url in
    /// mnp.toml, else the folder].
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// Sender (NOC) address of alert mails [default: $MNP_MAIL_FROM, else
    /// mail_from in mnp.toml, else noc@mnp.example].
    #[arg(long, value_name = "ADDRESS")]
    noc_email: Option<String>,
    /// Sender company shown in alert mails.
    #[arg(long, default_value = "mnp NOC")]
    company: String,
    /// Maxout threshold, percent of the circuit's ceiling (default 100;
    /// replaces the rules' default, customer and circuit overrides still win).
    #[arg(long, value_name = "PERCENT")]
    threshold: Option<f64>,
    /// Maxout rules file (TOML: [defaults], [customers.ID], [circuits."ID"]);
    /// default: the [maxout] tables of mnp.toml.
    #[arg(long = "maxout-rules", value_name = "FILE")]
    rules: Option<std::path::PathBuf>,
    /// Remind the customer of an episode still open this long after the
    /// last mail (e.g. 4h); default never.
    #[arg(long, value_name = "DURATION")]
    repeat: Option<String>,
    /// Also mail when an episode resolves.
    #[arg(long)]
    resolved_mail: bool,
}

impl TelemetryArgs {
    /// Largest body of a telemetry write.
    pub fn max_body(&self) -> usize {
        self.max_telemetry_body
    }
}

enum Msg {
    Readings(Vec<Reading>),
    Shutdown,
}

/// To the delivery thread.
enum Nudge {
    /// The worker queued new mails.
    Mails,
    /// The worker has stopped: last round (folder only), then stop.
    Stop,
}

/// Counters shown at `/api/v1/telemetry/stats`.
#[derive(Default)]
struct Counters {
    accepted: AtomicU64,
    rejected: AtomicU64,
    throttled: AtomicU64,
    processed: AtomicU64,
    dropped: AtomicU64,
    unknown: AtomicU64,
    out_of_order: AtomicU64,
    opened: AtomicU64,
    resolved: AtomicU64,
    mails_queued: AtomicU64,
    mails_written: AtomicU64,
    mails_failed: AtomicU64,
    circuits: AtomicU64,
    bytes_per_circuit: AtomicU64,
    requests: AtomicU64,
}

/// The queue and its worker.
pub struct Telemetry {
    tx: Sender<Msg>,
    depth: AtomicUsize,
    capacity: usize,
    ready: AtomicBool,
    counters: Counters,
    last_error: Mutex<Option<String>>,
    worker: Mutex<Option<JoinHandle<()>>>,
    /// Wakes the delivery thread.
    mail_tx: Sender<Nudge>,
    /// Shutdown began: SMTP delivery starts no new mail.
    mail_stop: AtomicBool,
    deliverer: Mutex<Option<JoinHandle<()>>>,
}

impl Telemetry {
    /// Starts the worker thread (it opens its own store connection and
    /// builds the runtime, retrying while the database is unavailable).
    pub fn start(args: &TelemetryArgs, opts: &GlobalOpts) -> anyhow::Result<Arc<Telemetry>> {
        let repeat = match &args.repeat {
            Some(r) => Some(Seconds(
                parse_duration(r).map_err(|e| anyhow::anyhow!("--repeat {r:?}: {e}"))?,
            )),
            None => None,
        };
        if args.telemetry_queue == 0 {
            anyhow::bail!("--telemetry-queue must be at least 1");
        }
        // a bad sender address or SMTP URL should stop the service now
        let noc_email = config::mail_from(opts, args.noc_email.as_deref())?;
        let from = Address::parse(&noc_email).context("--noc-email")?;
        let mailer = Mailer::resolve(args.smtp.as_deref(), &args.outbox, opts)?;
        tracing::info!(mailer = %mailer, "alert mails {}", mailer.verb());
        let rt_opts = RuntimeOptions {
            rules: crate::config::maxout_rules(opts, args.rules.as_deref())?,
            threshold: args.threshold,
            repeat: RepeatPolicy {
                every: repeat,
                resolved_mail: args.resolved_mail,
            },
            company: args.company.clone(),
            noc_email,
        };
        let (tx, rx) = mpsc::channel();
        let (mail_tx, mail_rx) = mpsc::channel();
        let tel = Arc::new(Telemetry {
            tx,
            depth: AtomicUsize::new(0),
            capacity: args.telemetry_queue,
            ready: AtomicBool::new(false),
            counters: Counters::default(),
            last_error: Mutex::new(None),
            worker: Mutex::new(None),
            mail_tx,
            mail_stop: AtomicBool::new(false),
            deliverer: Mutex::new(None),
        });
        let d = Delivery {
            tel: tel.clone(),
            opts: opts.clone(),
            mailer,
            from,
            store: None,
        };
        let handle = std::thread::Builder::new()
            .name("mnp-mail".into())
            .spawn(move || d.run(mail_rx))
            .context("cannot start the mail delivery thread")?;
        *tel.deliverer.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
        let w = Worker {
            tel: tel.clone(),
            opts: opts.clone(),
            rt_opts,
            store: None,
            rt: None,
            nudged: 0,
        };
        let spawned = std::thread::Builder::new()
            .name("mnp-telemetry".into())
            .spawn(move || w.run(rx));
        let handle = match spawned {
            Ok(h) => h,
            Err(e) => {
                tel.shutdown();
                return Err(e).context("cannot start the telemetry worker");
            }
        };
        *tel.worker.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
        Ok(tel)
    }

    /// Reserves room for `n` samples, or says the queue is full.
    fn reserve(&self, n: usize) -> bool {
        let mut cur = self.depth.load(Ordering::Acquire);
        loop {
            if cur.saturating_add(n) > self.capacity {
                return false;
            }
            match self.depth.compare_exchange_weak(
                cur,
                cur + n,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return true,
                Err(now) => cur = now,
            }
        }
    }

    fn release(&self, n: usize) {
        self.depth.fetch_sub(n, Ordering::AcqRel);
    }

    /// Queues the readings of one request: all or nothing.
    fn enqueue(&self, readings: Vec<Reading>) -> Result<(), ApiError> {
        let n = readings.len();
        if n == 0 {
            return Ok(());
        }
        if n > self.capacity {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "{n} samples in one request, the queue holds {}: send smaller batches",
                    self.capacity
                ),
            ));
        }
        if !self.reserve(n) {
            self.counters
                .throttled
                .fetch_add(n as u64, Ordering::Relaxed);
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "telemetry queue full ({} of {} samples): retry later",
                    self.depth.load(Ordering::Relaxed),
                    self.capacity
                ),
            )
            .with("retryAfter", 1));
        }
        if self.tx.send(Msg::Readings(readings)).is_err() {
            self.release(n);
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "telemetry worker stopped",
            ));
        }
        self.counters
            .accepted
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Lets the worker drain the queue and write everything, lets the
    /// delivery thread finish the mail in flight (SMTP) or write the due
    /// mails (folder), and waits for both.
    pub fn shutdown(&self) {
        self.mail_stop.store(true, Ordering::Release);
        let _ = self.tx.send(Msg::Shutdown);
        let handle = self
            .worker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(h) = handle
            && h.join().is_err()
        {
            tracing::error!("telemetry worker panicked");
        }
        let _ = self.mail_tx.send(Nudge::Stop);
        let handle = self
            .deliverer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(h) = handle
            && h.join().is_err()
        {
            tracing::error!("mail delivery thread panicked");
        }
    }

    /// Shows `msg` as `lastError` in the stats.
    fn set_error(&self, msg: &str) {
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(msg.to_string());
    }

    fn stats_json(&self) -> Value {
        let c = &self.counters;
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        json!({
            "ready": self.ready.load(Ordering::Relaxed),
            "queueDepth": self.depth.load(Ordering::Relaxed),
            "queueCapacity": self.capacity,
            "requests": g(&c.requests),
            "accepted": g(&c.accepted),
            "rejected": g(&c.rejected),
            "throttled": g(&c.throttled),
            "processed": g(&c.processed),
            "dropped": g(&c.dropped),
            "unknownCircuits": g(&c.unknown),
            "outOfOrder": g(&c.out_of_order),
            "circuits": g(&c.circuits),
            "engineBytesPerCircuit": g(&c.bytes_per_circuit),
            "episodesOpened": g(&c.opened),
            "episodesResolved": g(&c.resolved),
            "mailsQueued": g(&c.mails_queued),
            "mailsWritten": g(&c.mails_written),
            "mailsFailed": g(&c.mails_failed),
            "lastError": self.last_error.lock().unwrap_or_else(PoisonError::into_inner).clone(),
        })
    }
}

// ---------------------------------------------------------------- worker

struct Worker {
    tel: Arc<Telemetry>,
    opts: GlobalOpts,
    rt_opts: RuntimeOptions,
    store: Option<Store>,
    rt: Option<Runtime>,
    /// `mails_queued` when the delivery thread was last nudged.
    nudged: u64,
}

impl Worker {
    fn run(mut self, rx: Receiver<Msg>) {
        let mut last_tick = Instant::now();
        let mut last_peaks = Instant::now();
        let mut backlog: Vec<Vec<Reading>> = Vec::new();
        let mut stopping = false;
        while !stopping {
            let wait = TICK.saturating_sub(last_tick.elapsed());
            match rx.recv_timeout(wait) {
                Ok(Msg::Readings(v)) => backlog.push(v),
                Ok(Msg::Shutdown) | Err(RecvTimeoutError::Disconnected) => stopping = true,
                Err(RecvTimeoutError::Timeout) => {}
            }
            let mut n: usize = backlog.iter().map(Vec::len).sum();
            while n < DRAIN_MAX || stopping {
                match rx.try_recv() {
                    Ok(Msg::Readings(v)) => {
                        n += v.len();
                        backlog.push(v);
                    }
                    Ok(Msg::Shutdown) => stopping = true,
                    Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
                }
            }
            if !backlog.is_empty() && self.ensure() {
                self.process(&mut backlog);
            }
            if last_tick.elapsed() >= TICK || stopping {
                last_tick = Instant::now();
                let peaks = last_peaks.elapsed() >= PEAKS_EVERY || stopping;
                if self.housekeeping(peaks) && peaks {
                    last_peaks = Instant::now();
                }
            }
            if stopping && !backlog.is_empty() {
                // the database never came back: what is left is lost
                let n: usize = backlog.iter().map(Vec::len).sum();
                tracing::error!(
                    samples = n,
                    "telemetry lost at shutdown: database unavailable"
                );
                self.tel
                    .counters
                    .dropped
                    .fetch_add(n as u64, Ordering::Relaxed);
                self.tel.release(n);
            }
        }
        tracing::info!("telemetry worker stopped");
    }

    /// Opens the store and builds the runtime if needed; false while the
    /// database is unavailable.
    fn ensure(&mut self) -> bool {
        if self.store.is_none() {
            match config::store(&self.opts) {
                Ok(s) => self.store = Some(s),
                Err(e) => {
                    self.fail(&format!("database unavailable: {e:#}"));
                    std::thread::sleep(Duration::from_millis(500));
                    return false;
                }
            }
        }
        if self.rt.is_none()
            && let Some(s) = self.store.as_mut()
        {
            match Runtime::load(s, self.rt_opts.clone()) {
                Ok(rt) => {
                    tracing::info!(circuits = rt.circuits(), "telemetry worker ready");
                    self.tel
                        .counters
                        .circuits
                        .store(rt.circuits() as u64, Ordering::Relaxed);
                    self.tel
                        .counters
                        .bytes_per_circuit
                        .store(rt.engine_bytes_per_circuit() as u64, Ordering::Relaxed);
                    self.rt = Some(rt);
                    self.tel.ready.store(true, Ordering::Relaxed);
                }
                Err(e) => {
                    self.store = None;
                    self.fail(&format!("cannot load the inventory: {e:#}"));
                    std::thread::sleep(Duration::from_millis(500));
                    return false;
                }
            }
        }
        self.rt.is_some()
    }

    fn fail(&self, msg: &str) {
        tracing::warn!(error = msg, "telemetry worker");
        self.tel.set_error(msg);
    }

    /// Runs the backlog through the engine and writes the result in one
    /// transaction. The samples leave the queue when the engine has them;
    /// what the engine made of them stays in the runtime until written.
    fn process(&mut self, backlog: &mut Vec<Vec<Reading>>) {
        let (Some(rt), Some(s)) = (self.rt.as_mut(), self.store.as_mut()) else {
            return;
        };
        let mut n = 0;
        for v in backlog.drain(..) {
            for r in &v {
                rt.feed(r);
            }
            n += v.len();
        }
        let res = rt.persist_episodes(s, Utc::now());
        self.tel.release(n);
        self.tel
            .counters
            .processed
            .fetch_add(n as u64, Ordering::Relaxed);
        if let Err(e) = res {
            self.store = None;
            self.fail(&format!("cannot write episodes (kept for retry): {e:#}"));
        }
        self.publish();
    }

    /// Tick (stale circuits, reminders), retry unwritten episodes; the
    /// mails they queue go to the delivery thread. Returns false when the
    /// database could not be written.
    fn housekeeping(&mut self, peaks: bool) -> bool {
        if self.rt.is_none() || self.store.is_none() {
            // retry the database even when nothing arrives
            if !self.ensure() {
                return false;
            }
        }
        let (Some(rt), Some(s)) = (self.rt.as_mut(), self.store.as_mut()) else {
            return false;
        };
        let now = Utc::now();
        let res = rt
            .tick(s, now)
            .and_then(|()| if peaks { rt.persist(s, now) } else { Ok(()) });
        if let Err(e) = res {
            self.store = None;
            self.fail(&format!("tick failed: {e:#}"));
            return false;
        }
        self.tel
            .counters
            .bytes_per_circuit
            .store(rt.engine_bytes_per_circuit() as u64, Ordering::Relaxed);
        self.publish();
        true
    }

    /// Copies the runtime's counts to the shared stats and nudges the
    /// delivery thread when mails were queued since the last nudge.
    fn publish(&mut self) {
        let Some(rt) = self.rt.as_ref() else { return };
        let st = rt.stats();
        if st.mails_queued > self.nudged {
            self.nudged = st.mails_queued;
            let _ = self.tel.mail_tx.send(Nudge::Mails);
        }
        let c = &self.tel.counters;
        c.unknown.store(st.unknown, Ordering::Relaxed);
        c.opened.store(st.opened, Ordering::Relaxed);
        c.resolved.store(st.resolved, Ordering::Relaxed);
        c.mails_queued.store(st.mails_queued, Ordering::Relaxed);
        c.out_of_order
            .store(rt.engine_stats().out_of_order, Ordering::Relaxed);
    }
}

// ---------------------------------------------------------------- delivery

/// Sends the alert mails the worker queued, on a thread of its own with its
/// own store connection: a mail server that is slow or never answers holds
/// up this thread only (each round is bounded by the SMTP timeout, the
/// first unreachable mail ends it), never sample processing.
struct Delivery {
    tel: Arc<Telemetry>,
    opts: GlobalOpts,
    mailer: Mailer,
    from: Address,
    store: Option<Store>,
}

impl Delivery {
    /// A round when the worker nudges and every [`TICK`] (retries after
    /// backoff, mails left by an earlier run); on [`Nudge::Stop`] one last
    /// round for the folder, then stop.
    fn run(mut self, rx: Receiver<Nudge>) {
        let mut last = false;
        while !last {
            match rx.recv_timeout(TICK) {
                Ok(Nudge::Mails) | Err(RecvTimeoutError::Timeout) => {}
                Ok(Nudge::Stop) | Err(RecvTimeoutError::Disconnected) => last = true,
            }
            // any number of nudges make one round
            loop {
                match rx.try_recv() {
                    Ok(Nudge::Mails) => {}
                    Ok(Nudge::Stop) | Err(TryRecvError::Disconnected) => last = true,
                    Err(TryRecvError::Empty) => break,
                }
                if last {
                    break;
                }
            }
            // until the worker has the database there is nothing to send
            // that could not wait (and one error message is enough)
            if self.tel.ready.load(Ordering::Relaxed) && !self.stopping() {
                self.round();
            }
        }
        tracing::info!("mail delivery stopped");
    }

    /// Shutdown began and mails go over SMTP: start no new one.
    fn stopping(&self) -> bool {
        matches!(self.mailer, Mailer::Smtp(_)) && self.tel.mail_stop.load(Ordering::Acquire)
    }

    /// Delivers every due mail (see [`crate::mailer`]) and counts the outcome.
    fn round(&mut self) {
        if self.store.is_none() {
            match config::store(&self.opts) {
                Ok(s) => self.store = Some(s),
                Err(e) => {
                    self.fail(&format!("mail delivery: database unavailable: {e:#}"));
                    return;
                }
            }
        }
        let Some(s) = self.store.as_mut() else { return };
        let tel = &self.tel;
        let smtp = matches!(self.mailer, Mailer::Smtp(_));
        let stop = || smtp && tel.mail_stop.load(Ordering::Acquire);
        let res = deliver_report_until(s, &self.mailer, &self.from, Utc::now(), &stop);
        match res {
            Ok(r) => {
                let c = &tel.counters;
                c.mails_written.fetch_add(r.sent as u64, Ordering::Relaxed);
                c.mails_failed
                    .fetch_add((r.failed + r.rejected) as u64, Ordering::Relaxed);
                if let Some(e) = r.first_error {
                    // each mail's outcome is on record in the table
                    tel.set_error(&format!("mail delivery: {e}"));
                }
            }
            Err(e) => {
                // reconnect next round; the worker keeps its connection
                self.store = None;
                self.fail(&format!("mail delivery failed: {e:#}"));
            }
        }
    }

    fn fail(&self, msg: &str) {
        tracing::warn!(error = msg, "mail delivery");
        self.tel.set_error(msg);
    }
}

// ---------------------------------------------------------------- HTTP

/// The telemetry routes, with their own state; `token` as for the other
/// write endpoints (none: 503).
pub fn router<S: Clone + Send + Sync + 'static>(
    tel: Arc<Telemetry>,
    token: Option<String>,
    max_body: usize,
) -> Router<S> {
    let st = Arc::new(Http {
        tel,
        token,
        max_body,
    });
    Router::new()
        .route(
            "/api/v1/telemetry",
            post(one_sample).layer(DefaultBodyLimit::max(max_body)),
        )
        .route(
            "/api/v1/telemetry/batch",
            post(sample_batch).layer(DefaultBodyLimit::max(max_body)),
        )
        .route(
            "/api/v1/write",
            post(write_lines).layer(DefaultBodyLimit::max(max_body)),
        )
        .route("/api/v1/telemetry/stats", get(stats))
        .with_state(st)
}

struct Http {
    tel: Arc<Telemetry>,
    token: Option<String>,
    /// Also the limit of a decompressed body.
    max_body: usize,
}

/// Token check and body: 503 without a configured token, 401, 413; a
/// gzip body (Telegraf's default) is decompressed up to the same size
/// limit (larger: 413, so a small bomb cannot fill memory); other
/// encodings are 415.
fn admit(
    st: &Http,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Bytes, ApiError> {
    require_token(st.token.as_deref(), headers, "telemetry")?;
    let body = read_body(body)?;
    let enc = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = match enc.as_str() {
        "" | "identity" => body,
        "gzip" | "x-gzip" => gunzip(&body, st.max_body)?,
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("content encoding {other:?} not supported: send gzip or identity"),
            ));
        }
    };
    st.tel.counters.requests.fetch_add(1, Ordering::Relaxed);
    Ok(body)
}

/// Decompresses a gzip body of at most `max` bytes once decompressed.
fn gunzip(body: &[u8], max: usize) -> Result<Bytes, ApiError> {
    use std::io::Read;
    let mut out = Vec::with_capacity(body.len().saturating_mul(4).min(max));
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    flate2::read::MultiGzDecoder::new(body)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("bad gzip body: {e}")))?;
    if out.len() > max {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body too large once decompressed (limit {max} bytes)"),
        ));
    }
    Ok(Bytes::from(out))
}

/// Queues the accepted readings and answers: all good → `ok` status;
/// some rejected → 400 naming each; full → 429 with `Retry-After`.
fn answer(st: &Http, batch: Batch, ok: StatusCode, what: &str) -> Result<Response, ApiError> {
    let accepted = batch.readings.len();
    let rejected: Vec<Value> = batch
        .errors
        .iter()
        .map(|e| {
            let mut v = json!({ "error": e.to_string() });
            if let Some(p) = e.position() {
                v[what] = json!(p);
            }
            v
        })
        .collect();
    st.tel
        .counters
        .rejected
        .fetch_add(rejected.len() as u64, Ordering::Relaxed);
    if let Err(e) = st.tel.enqueue(batch.readings) {
        let status = e.status;
        let e = if rejected.is_empty() {
            e
        } else {
            e.with("rejected", rejected)
        };
        let mut resp = e.into_response();
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        return Ok(resp);
    }
    if !rejected.is_empty() {
        let n = rejected.len();
        return Ok(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "partial write: {n} of {} rejected, {accepted} accepted",
                n + accepted
            ),
        )
        .with("accepted", accepted)
        .with("skipped", batch.skipped)
        .with("rejected", rejected)
        .into_response());
    }
    if ok == StatusCode::NO_CONTENT {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok((
        ok,
        Json(json!({ "accepted": accepted, "skipped": batch.skipped })),
    )
        .into_response())
}

async fn one_sample(
    State(st): State<Arc<Http>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = admit(&st, &headers, body)?;
    let batch = match json::parse_sample(&body) {
        Ok(s) => Batch {
            readings: vec![Reading::Rates(s)],
            ..Batch::default()
        },
        Err(e) => {
            st.tel.counters.rejected.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::new(StatusCode::BAD_REQUEST, e.to_string())
                .with("accepted", 0)
                .with("rejected", json!([{ "error": e.to_string() }])));
        }
    };
    answer(&st, batch, StatusCode::ACCEPTED, "index")
}

async fn sample_batch(
    State(st): State<Arc<Http>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = admit(&st, &headers, body)?;
    let batch = json::parse_batch(&body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()).with("accepted", 0))?;
    answer(&st, batch, StatusCode::ACCEPTED, "index")
}

async fn write_lines(
    State(st): State<Arc<Http>>,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = admit(&st, &headers, body)?;
    // InfluxDB v1 parameters (db, rp, u, p, consistency) are accepted and ignored
    let precision = match q.iter().rev().find(|(k, _)| k == "precision") {
        Some((_, v)) => v.parse::<line::Precision>().map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("bad query parameter `precision`: {e}"),
            )
            .with("parameter", "precision")
        })?,
        None => line::Precision::Nanoseconds,
    };
    let batch = line::parse_bytes(&body, precision, Utc::now());
    answer(&st, batch, StatusCode::NO_CONTENT, "line")
}

async fn stats(State(st): State<Arc<Http>>) -> Response {
    Json(st.tel.stats_json()).into_response()
}
