//! `mnp ingest` and `mnp maintenances`: run sources through the pipeline,
//! and show what is stored.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use mnp_core::{Email, Registry};
use mnp_ingest::{Fallback, Pipeline, Source, Suggestion};
use mnp_parsers::generic;
use mnp_store::ForecastFilter;

use crate::config::{self, GlobalOpts};

#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Source: dir:PATH, files:PATH (read-only scan), mbox:PATH, maildir:PATH,
    /// imap://user:pass@host/INBOX, imaps://..., rt://host/QUEUE, rts://...
    /// (repeatable; default: `sources` in mnp.toml, $MNP_SOURCES).
    #[arg(long = "source", value_name = "SPEC")]
    sources: Vec<String>,
    /// Process what is pending and exit (the default).
    #[arg(long, conflicts_with = "watch")]
    once: bool,
    /// Keep polling the sources.
    #[arg(long)]
    watch: bool,
    /// Seconds between polls with --watch.
    #[arg(long, default_value_t = 60)]
    interval: u64,
    /// Confidence (0..1) the generic parser needs before its reading of an
    /// unrouted mail is stored; below it, or when its circuits are not all
    /// one vendor's known circuits, the mail is labelled for a human.
    #[arg(long, default_value_t = generic::Options::default().min_confidence, value_name = "X")]
    generic_min_confidence: f64,
    /// Do not run the generic parser on unrouted mail (it goes to a human).
    #[arg(long)]
    no_generic: bool,
}

/// The generic parser as the pipeline's reader of last resort.
pub struct GenericReader;

impl Fallback for GenericReader {
    fn name(&self) -> &str {
        generic::PROVIDER
    }

    fn suggest(&self, email: &Email, known_circuits: &[String]) -> Option<Suggestion> {
        let inventory = generic::Inventory::new(known_circuits);
        let r = generic::parse(email, &inventory, &generic::Options::default()).ok()?;
        Some(Suggestion {
            maintenances: r.maintenances,
            confidence: r.confidence,
            evidence: r
                .evidence
                .iter()
                .map(|e| format!("{}: {} <- {:?}", e.field, e.value, e.source))
                .collect(),
        })
    }
}

/// A pipeline with the generic reader unless disabled.
pub fn pipeline(
    reg: &Registry,
    store: mnp_store::Store,
    generic_min_confidence: Option<f64>,
) -> Pipeline {
    let p = Pipeline::new(reg.clone(), store);
    match generic_min_confidence {
        Some(min) => p.with_fallback(Box::new(GenericReader), min),
        None => p,
    }
}

/// Open a source from its spec.
pub fn open_source(spec: &str) -> anyhow::Result<Box<dyn Source>> {
    if let Some(s) = mnp_ingest::sources::dir::open(spec) {
        return Ok(s);
    }
    if let Some(s) = crate::remote::open(spec)? {
        return Ok(s);
    }
    bail!(
        "unknown source {spec:?} (dir:, files:, mbox:, maildir:, imap://, imaps://, rt://, rts://)"
    )
}

pub fn run(args: IngestArgs, opts: &GlobalOpts, reg: &Registry) -> anyhow::Result<ExitCode> {
    let mut specs = args.sources.clone();
    if specs.is_empty() {
        specs = config::configured_sources(opts)?;
    }
    if specs.is_empty() {
        bail!("no source: give --source SPEC or set `sources` in mnp.toml");
    }
    let mut sources: Vec<Box<dyn Source>> = specs
        .iter()
        .map(|s| open_source(s))
        .collect::<anyhow::Result<_>>()?;
    let mut store = config::store(opts)?;
    store.sync_vendors(reg)?;
    if !(0.0..=1.0).contains(&args.generic_min_confidence) {
        bail!(
            "--generic-min-confidence must be between 0 and 1, not {}",
            args.generic_min_confidence
        );
    }
    let mut pipeline = pipeline(
        reg,
        store,
        (!args.no_generic).then_some(args.generic_min_confidence),
    );
    let mut out = std::io::stdout().lock();
    loop {
        for src in sources.iter_mut() {
            let stats = pipeline
                .run(src.as_mut())
                .with_context(|| format!("ingest from {} stopped", src.describe()))?;
            let labels: Vec<String> = stats
                .labels
                .iter()
                .map(|(l, n)| format!("{l}={n}"))
                .collect();
            writeln!(
                out,
                "{}: {} message(s), {} already known, {}{}",
                src.describe(),
                stats.seen,
                stats.duplicates,
                if labels.is_empty() {
                    "nothing new".to_string()
                } else {
                    labels.join(" ")
                },
                if stats.record_errors > 0 {
                    format!(
                        ", {} outcome(s) not recorded at the source (retried next run)",
                        stats.record_errors
                    )
                } else {
                    String::new()
                }
            )?;
            out.flush()?;
        }
        if !args.watch {
            break;
        }
        std::thread::sleep(Duration::from_secs(args.interval.max(1)));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct NotificationArgs {
    /// Only notices with this label (MaintParseException, MaintUnknownVendor, ...).
    #[arg(long, conflicts_with = "for_human")]
    label: Option<String>,
    /// Only the dead-letter queue: notices a human must look at.
    #[arg(long)]
    for_human: bool,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// `mnp notifications list`.
pub fn notifications(args: NotificationArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    if let Some(l) = &args.label
        && mnp_ingest::Label::from_name(l).is_none()
    {
        let names: Vec<&str> = mnp_ingest::Label::ALL.iter().map(|l| l.as_str()).collect();
        bail!("unknown label {l:?} (one of {})", names.join(", "));
    }
    let mut store = config::store(opts)?;
    let mut rows = store.notifications(args.label.as_deref())?;
    if args.for_human {
        rows.retain(|n| mnp_ingest::Label::from_name(&n.label).is_some_and(|l| l.needs_human()));
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        ListFormat::Ics => bail!("notifications have no iCalendar form: use table or json"),
        ListFormat::Table => {
            writeln!(
                out,
                "{:>6} {:<20} {:<16} {:<40} REASON",
                "ID", "LABEL", "VENDOR", "SUBJECT"
            )?;
            for n in rows {
                let reason = n.error_text.unwrap_or_default();
                let reason = reason.lines().next().unwrap_or("");
                let subject: String = n.subject.chars().take(40).collect();
                writeln!(
                    out,
                    "{:>6} {:<20} {:<16} {:<40} {}",
                    n.notification_id,
                    n.label,
                    n.vendor_id.as_deref().unwrap_or("-"),
                    subject,
                    reason
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only this vendor.
    #[arg(long)]
    vendor: Option<String>,
    /// Only this circuit (internal uuid or carrier id).
    #[arg(long)]
    circuit: Option<String>,
    /// Only circuits of this customer.
    #[arg(long)]
    customer: Option<String>,
    /// Only this status (CONFIRMED, CANCELLED, ...).
    #[arg(long)]
    status: Option<String>,
    /// Windows ending after this time (RFC 3339).
    #[arg(long)]
    from: Option<String>,
    /// Windows starting before this time (RFC 3339).
    #[arg(long)]
    to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Ics,
}

fn time_arg(
    s: &Option<String>,
    what: &str,
) -> anyhow::Result<Option<chrono::DateTime<chrono::Utc>>> {
    s.as_ref()
        .map(|t| {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&chrono::Utc))
                .with_context(|| format!("--{what} {t:?} is not an RFC 3339 time"))
        })
        .transpose()
}

pub fn list(args: ListArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let mut store = config::store(opts)?;
    let f = ForecastFilter {
        vendor: args.vendor,
        circuit: args.circuit,
        customer: args.customer,
        status: args.status.map(|s| s.to_ascii_uppercase()),
        from: time_arg(&args.from, "from")?,
        to: time_arg(&args.to, "to")?,
        include_history: false,
        maintenance_key: None,
    };
    let events = store.forecast_events(&f)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&events)?)?,
        ListFormat::Ics => write!(
            out,
            "{}",
            mnp_ingest::feed::ics(&events, chrono::Utc::now())
        )?,
        ListFormat::Table => {
            writeln!(
                out,
                "{:<20} {:<22} {:<13} {:<17} {:<17} {:<24} INTERNAL",
                "VENDOR", "MAINTENANCE", "STATUS", "BEGIN (UTC)", "END (UTC)", "CIRCUIT"
            )?;
            let t = |d: Option<chrono::DateTime<chrono::Utc>>| {
                d.map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|| "-".into())
            };
            for e in events {
                writeln!(
                    out,
                    "{:<20} {:<22} {:<13} {:<17} {:<17} {:<24} {}",
                    e.vendor_id,
                    e.vendor_maintenance_id,
                    e.status,
                    t(e.begin_window),
                    t(e.end_window),
                    e.parsed_vendor_circuit_id.as_deref().unwrap_or("-"),
                    e.internal_circuit_id
                        .map(|u| u.to_string())
                        .unwrap_or_else(|| "unknown".into())
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
