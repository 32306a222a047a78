//! `mnp simulate` and `mnp maxout`: the offline half of the maxout service.
//!
//! * `mnp simulate` writes the deterministic traffic of
//!   [`mnp_maxout::simulate`] as InfluxDB line protocol or the original
//!   JSON sample API, to stdout or a file.
//! * `mnp maxout replay` runs a telemetry file through the threshold engine
//!   with rules built from the circuit inventory (`provisionedBps`,
//!   `burstBps`, customer), stores the episodes (`MaxoutEvent`), queues one
//!   alert mail per opened episode in the `AlertOutbox` table (customer
//!   contact in To, account manager and CX team in CC) and delivers the due
//!   mails with [`crate::mailer`]: `.eml` files in an outbox folder, or
//!   SMTP with `--smtp URL` / `$MNP_SMTP_URL` / `smtp_url` in `mnp.toml`.
//! * `mnp maxout report` lists stored episodes; `--svg DIR` draws one
//!   daily-peak chart per circuit. `mnp maxout forecast` lists circuits
//!   whose daily peak trend reaches capacity within N days.
//!
//! Replays are idempotent: episode ids are derived from circuit and start,
//! mails are keyed by `{episode}:{kind}`, so replaying the same file again
//! stores and mails nothing new.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use clap::{Args, Subcommand, ValueEnum};
use mnp_maxout::alert::{Address, RepeatPolicy};
use mnp_maxout::forecast::{CircuitPeaks, DailyPeak, ForecastConfig, forecast};
use mnp_maxout::simulate::{SimConfig, Simulator};
use mnp_maxout::telemetry::{
    CounterOutcome, CounterPair, Reading, UNKNOWN_LINK_FACTOR, json, line,
};
use mnp_maxout::units::{Seconds, parse_duration};
use mnp_store::{Circuit, MaxoutFilter};
use uuid::Uuid;

use crate::config::{self, GlobalOpts};
use crate::mailer::{self, Mailer};
use crate::maxout_runtime::{Runtime, RuntimeOptions};

/// Output format of `mnp simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimFormat {
    /// InfluxDB line protocol, as Telegraf writes it.
    Lineprotocol,
    /// A JSON array in the original sample API's shape.
    Json,
}

/// `mnp simulate`.
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Number of circuits (SIM-0001 …).
    #[arg(long, default_value_t = 100)]
    circuits: usize,
    /// Length of the run (e.g. 2h, 30m).
    #[arg(long, default_value = "30m")]
    duration: String,
    /// Sampling interval (e.g. 60s).
    #[arg(long, default_value = "10s")]
    interval: String,
    /// Random seed; the same seed gives the same output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// First sample (RFC 3339), default 2024-01-01T00:00:00Z.
    #[arg(long)]
    start: Option<String>,
    /// Emit SNMP octet counters instead of rates (line protocol only).
    #[arg(long)]
    counters: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimFormat::Lineprotocol)]
    format: SimFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// POST the samples to this mnp service (base URL, e.g.
    /// http://127.0.0.1:8080) instead of writing them: line protocol to
    /// /api/v1/write, JSON to /api/v1/telemetry/batch. A full queue (429,
    /// 503) is waited for and the batch resent, never dropped.
    #[arg(long, value_name = "URL", conflicts_with = "output")]
    target: Option<String>,
    /// Bearer token for --target (default: $MNP_API_TOKEN).
    #[arg(long, value_name = "TOKEN", requires = "target")]
    token: Option<String>,
    /// Samples (lines, or JSON objects) per request with --target.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    batch: usize,
}

/// `mnp maxout …`.
#[derive(Subcommand, Debug)]
pub enum MaxoutCmd {
    /// Run a telemetry file through the engine: store episodes, queue and write alert mails.
    Replay(ReplayArgs),
    /// List stored maxout episodes.
    Report(ReportArgs),
    /// Circuits whose daily peak trend reaches capacity within N days.
    Forecast(ForecastArgs),
    /// Deliver due alert mails to the outbox folder or SMTP (retries failed ones), or list the queue.
    Outbox(OutboxArgs),
}

/// `mnp maxout outbox`.
#[derive(Args, Debug)]
pub struct OutboxArgs {
    /// Folder the mails are written to as `.eml` files (when not sent over SMTP).
    #[arg(long, default_value = "outbox")]
    dir: PathBuf,
    /// Send over SMTP: smtp://[user:pass@]host[:port], smtps://…, or `off` for
    /// the folder [default: $MNP_SMTP_URL, else smtp_url in mnp.toml, else the folder].
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// Sender (NOC) address [default: $MNP_MAIL_FROM, else mail_from in mnp.toml, else noc@mnp.example].
    #[arg(long, default_value = "", hide_default_value = true)]
    noc_email: String,
    /// List the queue (sent and unsent) instead of delivering.
    #[arg(long)]
    list: bool,
    /// Deliver what is due at this instant (RFC 3339) instead of now.
    #[arg(long)]
    now: Option<String>,
}

/// `mnp maxout replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Telemetry: line protocol, or a JSON array of samples.
    #[arg(long)]
    input: PathBuf,
    /// Folder the alert mails are written to as `.eml` files (when not sent over SMTP).
    #[arg(long, default_value = "outbox")]
    outbox: PathBuf,
    /// Send over SMTP: smtp://[user:pass@]host[:port], smtps://…, or `off` for
    /// the folder [default: $MNP_SMTP_URL, else smtp_url in mnp.toml, else the folder].
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// Threshold, percent of the circuit's ceiling (replaces the rules'
    /// default; customer and circuit overrides still win).
    #[arg(long)]
    threshold: Option<f64>,
    /// Maxout rules file (TOML: [defaults], [customers.ID], [circuits."ID"]);
    /// default: the [maxout] tables of mnp.toml.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Also queue a mail when an episode resolves.
    #[arg(long)]
    resolved_mail: bool,
    /// Sender company shown in the mail.
    #[arg(long, default_value = "mnp NOC")]
    company: String,
    /// Sender (NOC) address [default: $MNP_MAIL_FROM, else mail_from in mnp.toml, else noc@mnp.example].
    #[arg(long, default_value = "", hide_default_value = true)]
    noc_email: String,
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// CSV with a header.
    Csv,
    /// JSON array.
    Json,
}

/// `mnp maxout report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Only this customer id.
    #[arg(long)]
    customer: Option<String>,
    /// Only episodes overlapping this month (YYYY-MM, UTC).
    #[arg(long)]
    period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write one SVG chart per reported circuit into this folder (daily
    /// peaks, or every sample with `--telemetry`).
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Telemetry file (line protocol or JSON) to chart sample by sample.
    #[arg(long, requires = "svg")]
    telemetry: Option<PathBuf>,
}

/// `mnp maxout forecast`.
#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// List circuits reaching capacity within this many days.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Fit over this many past days.
    #[arg(long, default_value_t = 30)]
    window: u32,
    /// Days of data needed.
    #[arg(long, default_value_t = 7)]
    min_days: usize,
    /// "Today" (YYYY-MM-DD), default the current UTC day.
    #[arg(long)]
    today: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn seconds_arg(what: &str, s: &str) -> anyhow::Result<Seconds> {
    parse_duration(s)
        .map(Seconds)
        .map_err(|e| anyhow::anyhow!("--{what} {s:?}: {e}"))
}

// ---------------------------------------------------------------- simulate

/// `mnp simulate`.
pub fn simulate(args: SimulateArgs) -> anyhow::Result<ExitCode> {
    let mut cfg = SimConfig {
        circuits: args.circuits,
        duration: seconds_arg("duration", &args.duration)?,
        interval: seconds_arg("interval", &args.interval)?,
        seed: args.seed,
        counters: args.counters,
        ..SimConfig::default()
    };
    if let Some(s) = &args.start {
        cfg.start = DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("--start {s:?} is not an RFC 3339 time"))?
            .with_timezone(&Utc);
    }
    if args.counters && args.format == SimFormat::Json {
        bail!("--counters needs --format lineprotocol (the JSON API carries rates only)");
    }
    let sim = Simulator::new(cfg).context("invalid simulation")?;
    if let Some(target) = &args.target {
        return simulate_to(sim, &args, target);
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut buf = String::new();
    let mut first = true;
    if args.format == SimFormat::Json {
        out.write_all(b"[\n")?;
    }
    for tick in sim {
        buf.clear();
        for r in &tick.readings {
            match args.format {
                SimFormat::Lineprotocol => line::encode(r, &mut buf),
                SimFormat::Json => {
                    if let Reading::Rates(s) = r {
                        for v in json::encode_sample(s) {
                            if !first {
                                buf.push_str(",\n");
                            }
                            first = false;
                            buf.push_str(&v.to_string());
                        }
                    }
                }
            }
        }
        out.write_all(buf.as_bytes())?;
    }
    if args.format == SimFormat::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Sends batches to a running `mnp serve`, waiting out a full queue.
struct Poster {
    agent: ureq::Agent,
    url: String,
    auth: Option<String>,
    content_type: &'static str,
    sent: u64,
    requests: u64,
    retried: u64,
}

impl Poster {
    fn post(&mut self, body: &[u8], samples: usize) -> anyhow::Result<()> {
        let mut failures = 0u32;
        loop {
            let mut req = self
                .agent
                .post(&self.url)
                .header("Content-Type", self.content_type);
            if let Some(a) = &self.auth {
                req = req.header("Authorization", a);
            }
            match req.send(body) {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    if (200..300).contains(&status) {
                        self.sent += samples as u64;
                        self.requests += 1;
                        return Ok(());
                    }
                    if status == 429 || status == 503 {
                        let wait = resp
                            .headers()
                            .get("retry-after")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .unwrap_or(1)
                            .clamp(1, 60);
                        self.retried += 1;
                        tracing::info!(status, wait, "target busy, resending after Retry-After");
                        std::thread::sleep(std::time::Duration::from_secs(wait));
                        continue;
                    }
                    let text = resp.body_mut().read_to_string().unwrap_or_default();
                    bail!("{}: HTTP {status}: {}", self.url, one_line(&text));
                }
                Err(e) => {
                    // a refused or reset connection: the batch was not taken
                    failures += 1;
                    if failures > 5 {
                        return Err(e).with_context(|| format!("cannot POST to {}", self.url));
                    }
                    self.retried += 1;
                    std::thread::sleep(std::time::Duration::from_millis(200 << failures));
                }
            }
        }
    }
}

/// `mnp simulate --target URL`.
fn simulate_to(sim: Simulator, args: &SimulateArgs, target: &str) -> anyhow::Result<ExitCode> {
    let base = target.trim_end_matches('/');
    let (path, content_type) = match args.format {
        SimFormat::Lineprotocol => ("/api/v1/write", "text/plain; charset=utf-8"),
        SimFormat::Json => ("/api/v1/telemetry/batch", "application/json"),
    };
    let token = args
        .token
        .clone()
        .or_else(|| std::env::var("MNP_API_TOKEN").ok())
        .filter(|t| !t.trim().is_empty());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .build()
        .into();
    let mut p = Poster {
        agent,
        url: format!("{base}{path}"),
        auth: token.map(|t| format!("Bearer {}", t.trim())),
        content_type,
        sent: 0,
        requests: 0,
        retried: 0,
    };
    let batch = args.batch.max(1);
    let mut buf = String::new();
    let mut n = 0usize;
    let json = args.format == SimFormat::Json;
    let flush = |p: &mut Poster, buf: &mut String, n: &mut usize| -> anyhow::Result<()> {
        if *n == 0 {
            return Ok(());
        }
        if json {
            buf.push(']');
        }
        p.post(buf.as_bytes(), *n)?;
        buf.clear();
        *n = 0;
        Ok(())
    };
    for tick in sim {
        for r in &tick.readings {
            if json {
                if let Reading::Rates(s) = r {
                    for v in json::encode_sample(s) {
                        buf.push(if n == 0 { '[' } else { ',' });
                        buf.push_str(&v.to_string());
                        n += 1;
                    }
                }
            } else {
                line::encode(r, &mut buf);
                n += 1;
            }
            if n >= batch {
                flush(&mut p, &mut buf, &mut n)?;
            }
        }
    }
    flush(&mut p, &mut buf, &mut n)?;
    writeln!(
        std::io::stdout().lock(),
        "{} sample(s) sent to {} in {} request(s), {} resent after 429/503",
        p.sent,
        p.url,
        p.requests,
        p.retried
    )?;
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- replay

/// Reads a telemetry file: a JSON array of samples when it starts with
/// `[` or `{`, else line protocol (nanosecond timestamps).
fn read_telemetry(path: &Path, now: DateTime<Utc>) -> anyhow::Result<mnp_maxout::telemetry::Batch> {
    let body = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') | Some(b'{') => json::parse_batch(&body)
            .with_context(|| format!("{}: not a JSON sample array", path.display()))?,
        _ => line::parse_bytes(&body, line::Precision::Nanoseconds, now),
    })
}

/// Utilisation points (percent of the ceiling, max of both directions)
/// per circuit id from a telemetry batch; counters are turned into rates.
fn utilisation_points(
    batch: &mnp_maxout::telemetry::Batch,
    ceilings: &HashMap<String, f64>,
) -> HashMap<String, Vec<mnp_maxout::svg::ChartPoint>> {
    let mut out: HashMap<String, Vec<mnp_maxout::svg::ChartPoint>> = HashMap::new();
    let mut counters: HashMap<String, CounterPair> = HashMap::new();
    for r in &batch.readings {
        let Some(id) = r.circuit().id() else { continue };
        let Some(&ceiling) = ceilings.get(id) else {
            continue;
        };
        let bps = match r {
            Reading::Rates(s) => [s.in_bps, s.out_bps].into_iter().flatten().reduce(f64::max),
            Reading::Counters(c) => {
                let pair = counters.entry(id.to_string()).or_default();
                let (i, o) = pair.update(c, Some(ceiling * UNKNOWN_LINK_FACTOR));
                [i, o]
                    .into_iter()
                    .flatten()
                    .filter_map(CounterOutcome::rate)
                    .reduce(f64::max)
            }
        };
        if let Some(bps) = bps {
            out.entry(id.to_string())
                .or_default()
                .push(mnp_maxout::svg::ChartPoint {
                    ts: r.ts(),
                    percent: 100.0 * bps / ceiling,
                });
        }
    }
    out
}

/// `mnp maxout replay`.
pub fn replay(args: ReplayArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    let now = Utc::now();
    let batch = read_telemetry(&args.input, now)?;
    for e in batch.errors.iter().take(10) {
        tracing::warn!(error = %e, "rejected telemetry");
    }
    let mut rt = Runtime::load(
        &mut s,
        RuntimeOptions {
            rules: config::maxout_rules(opts, args.rules.as_deref())?,
            threshold: args.threshold,
            repeat: RepeatPolicy {
                every: None,
                resolved_mail: args.resolved_mail,
            },
            company: args.company.clone(),
            noc_email: args.noc_email.clone(),
        },
    )?;
    for r in &batch.readings {
        rt.feed(r);
    }
    rt.persist(&mut s, now)?;
    let stats = rt.stats();
    let rejected = batch.errors.len();
    let mailer = Mailer::resolve(args.smtp.as_deref(), &args.outbox, opts)?;
    let (written, failed) = mailer::deliver(&mut s, &mailer, rt.from(), Utc::now())?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} reading(s), {} rejected, {} for unknown circuits; {} episode(s) opened, {} resolved, {} new stored; {} mail(s) queued, {} {} {}{}",
        batch.readings.len(),
        rejected,
        stats.unknown,
        stats.opened,
        stats.resolved,
        stats.new_episodes,
        stats.mails_queued,
        written,
        mailer.verb(),
        mailer,
        if failed > 0 {
            format!(", {failed} failed (kept for retry)")
        } else {
            String::new()
        }
    )?;
    Ok(if failed > 0 || rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

// ---------------------------------------------------------------- report

/// `mnp maxout report`.
pub fn report(args: ReportArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    let mut filter = MaxoutFilter {
        customer: args.customer.clone(),
        ..Default::default()
    };
    if let Some(p) = &args.period {
        let month = crate::sla_cmd::month_arg(p)?;
        filter.from = Some(month.start);
        filter.to = Some(month.end);
    }
    let rows = s.maxout_events(&filter)?;
    let mut out = std::io::stdout().lock();
    let ts = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "maxoutEventId",
                "circuit",
                "customer",
                "start",
                "end",
                "peakPercent",
                "minutesOver",
                "direction",
                "alertedAt",
            ])?;
            for r in &rows {
                w.write_record([
                    r.maxout_event_id.to_string(),
                    r.circuit_ref.clone(),
                    r.customer_id.clone().unwrap_or_default(),
                    ts(Some(r.started_at)),
                    ts(r.ended_at),
                    format!("{:.2}", r.peak_percent),
                    r.minutes_over.to_string(),
                    r.direction.clone(),
                    ts(r.alerted_at),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(
                out,
                "{:<16} {:<16} {:<20} {:<20} {:>8} {:>6} {:<4}",
                "CIRCUIT", "CUSTOMER", "START", "END", "PEAK %", "MIN", "DIR"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<16} {:<16} {:<20} {:<20} {:>8.2} {:>6} {:<4}",
                    r.circuit_ref,
                    r.customer_id.as_deref().unwrap_or("-"),
                    ts(Some(r.started_at)),
                    if r.ended_at.is_some() {
                        ts(r.ended_at)
                    } else {
                        "open".into()
                    },
                    r.peak_percent,
                    r.minutes_over,
                    r.direction
                )?;
            }
            writeln!(out, "{} episode(s)", rows.len())?;
        }
    }
    if let Some(dir) = &args.svg {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let from = filter
            .from
            .map(|t| t.date_naive())
            .unwrap_or(NaiveDate::MIN);
        let peaks = s.daily_peaks(from)?;
        let mut per: BTreeMap<Uuid, (String, f64, String)> = BTreeMap::new();
        let mut ceilings: HashMap<String, f64> = HashMap::new();
        for r in &rows {
            ceilings.insert(r.circuit_ref.clone(), r.capacity_bps as f64);
            per.insert(
                r.internal_circuit_id,
                (
                    format!(
                        "{} ({})",
                        r.circuit_ref,
                        r.customer_id.as_deref().unwrap_or("-")
                    ),
                    r.threshold_percent,
                    r.circuit_ref.clone(),
                ),
            );
        }
        let mut samples = match &args.telemetry {
            Some(p) => utilisation_points(&read_telemetry(p, Utc::now())?, &ceilings),
            None => HashMap::new(),
        };
        for (id, (title, threshold, circuit)) in &per {
            let points: Vec<mnp_maxout::svg::ChartPoint> = match samples.remove(circuit) {
                Some(mut v) if args.telemetry.is_some() => {
                    v.retain(|p| {
                        filter.from.is_none_or(|f| p.ts >= f) && filter.to.is_none_or(|t| p.ts < t)
                    });
                    v
                }
                _ => peaks
                    .iter()
                    .filter(|p| p.internal_circuit_id == *id)
                    .filter(|p| filter.to.is_none_or(|to| p.day < to.date_naive()))
                    .filter_map(|p| {
                        Some(mnp_maxout::svg::ChartPoint {
                            ts: p.day.and_hms_opt(0, 0, 0)?.and_utc(),
                            percent: p.peak_percent,
                        })
                    })
                    .collect(),
            };
            let chart = mnp_maxout::svg::Chart::new(title, &points, *threshold);
            let path = dir.join(format!("{}.svg", crate::mailer::safe_name(circuit)));
            std::fs::write(&path, mnp_maxout::svg::render(&chart))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- forecast

/// `mnp maxout forecast`.
pub fn forecast_cmd(args: ForecastArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    let today = match &args.today {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .with_context(|| format!("--today {d:?} is not YYYY-MM-DD"))?,
        None => Utc::now().date_naive(),
    };
    let cfg = ForecastConfig {
        window_days: args.window,
        horizon_days: args.days,
        min_days: args.min_days,
        ..ForecastConfig::default()
    };
    let circuits: HashMap<Uuid, Circuit> = s
        .circuits()?
        .into_iter()
        .map(|c| (c.internal_circuit_id, c))
        .collect();
    let mut per: BTreeMap<Uuid, Vec<DailyPeak>> = BTreeMap::new();
    let from = today - Duration::days(i64::from(args.window));
    for p in s.daily_peaks(from)? {
        per.entry(p.internal_circuit_id)
            .or_default()
            .push(DailyPeak {
                day: p.day,
                percent: p.peak_percent,
            });
    }
    let input: Vec<CircuitPeaks> = per
        .into_iter()
        .filter_map(|(id, peaks)| {
            let c = circuits.get(&id)?;
            Some(CircuitPeaks {
                circuit: c.vendor_circuit_id.clone(),
                customer: c.customer_id.clone(),
                peaks,
            })
        })
        .collect();
    let list = forecast(&input, today, &cfg);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            // camelCase like the other JSON outputs of mnp
            let rows: Vec<serde_json::Value> = list
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "circuit": p.circuit,
                        "customer": p.customer,
                        "daysLeft": p.days_left,
                        "reachesOn": p.reaches_on.to_string(),
                        "slopePerDay": p.trend.slope_per_day,
                        "fittedToday": p.trend.fitted_today,
                        "rSquared": p.trend.r_squared,
                        "days": p.trend.days,
                        "maxPeakPercent": p.max_peak_percent,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "circuit",
                "customer",
                "daysLeft",
                "reachesOn",
                "slopePerDay",
                "fittedToday",
                "maxPeakPercent",
            ])?;
            for p in &list {
                w.write_record([
                    p.circuit.clone(),
                    p.customer.clone().unwrap_or_default(),
                    p.days_left.to_string(),
                    p.reaches_on.to_string(),
                    format!("{:.3}", p.trend.slope_per_day),
                    format!("{:.2}", p.trend.fitted_today),
                    format!("{:.2}", p.max_peak_percent),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(
                out,
                "{:<16} {:<16} {:>9} {:<10} {:>10} {:>8}",
                "CIRCUIT", "CUSTOMER", "DAYS LEFT", "REACHES", "PP/DAY", "MAX %"
            )?;
            for p in &list {
                writeln!(
                    out,
                    "{:<16} {:<16} {:>9} {:<10} {:>10.3} {:>8.2}",
                    p.circuit,
                    p.customer.as_deref().unwrap_or("-"),
                    p.days_left,
                    p.reaches_on,
                    p.trend.slope_per_day,
                    p.max_peak_percent
                )?;
            }
            writeln!(
                out,
                "{} circuit(s) expected to reach capacity within {} days",
                list.len(),
                args.days
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `mnp maxout outbox`.
pub fn outbox_cmd(args: OutboxArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    let mut out = std::io::stdout().lock();
    if args.list {
        for m in s.outbox(true)? {
            let state = match (m.sent_at, &m.last_error) {
                (Some(t), _) => format!("sent {}", t.format("%Y-%m-%dT%H:%M:%SZ")),
                (None, Some(e)) if e.starts_with(mailer::REJECTED) => format!(
                    "rejected after {} attempt(s), not retried: {}",
                    m.attempts,
                    crate::maxout_cmd::one_line(&e[mailer::REJECTED.len()..])
                ),
                (None, Some(e)) => format!(
                    "retry {} after {} attempt(s): {}",
                    m.next_attempt_at.format("%Y-%m-%dT%H:%M:%SZ"),
                    m.attempts,
                    crate::maxout_cmd::one_line(e)
                ),
                (None, None) => "queued".into(),
            };
            writeln!(
                out,
                "{:>6} {:<8} {:<32} {}",
                m.outbox_id,
                m.kind,
                m.to.join(","),
                state
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let from = Address::parse(&args.noc_email).context("--noc-email")?;
    let now = crate::sla_cmd::now_arg(&args.now)?;
    let mailer = Mailer::resolve(args.smtp.as_deref(), &args.dir, opts)?;
    let r = mailer::deliver_report(&mut s, &mailer, &from, now)?;
    let (sent, failed) = (r.sent, r.failed + r.rejected);
    writeln!(
        out,
        "{sent} mail(s) {} {mailer}, {} failed (kept for retry), {} rejected (not retried)",
        mailer.verb(),
        r.failed,
        r.rejected
    )?;
    if let Some(e) = &r.first_error {
        eprintln!("mnp: delivery failed: {e}");
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn one_line(s: &str) -> String {
    mnp_maxout::alert::one_line(s, 120)
}

/// `mnp maxout …`.
pub fn run(cmd: MaxoutCmd, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    match cmd {
        MaxoutCmd::Replay(mut a) => {
            a.noc_email = config::mail_from(opts, Some(&a.noc_email))?;
            replay(a, opts)
        }
        MaxoutCmd::Report(a) => report(a, opts),
        MaxoutCmd::Forecast(a) => forecast_cmd(a, opts),
        MaxoutCmd::Outbox(mut a) => {
            a.noc_email = config::mail_from(opts, Some(&a.noc_email))?;
            outbox_cmd(a, opts)
        }
    }
}
