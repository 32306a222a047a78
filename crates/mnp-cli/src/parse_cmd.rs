//! `mnp parse`: mails in, maintenance records out.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use mnp_core::{Email, Error, Maintenance, Registry};
use mnp_parsers::generic;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::input::{Inputs, Item};

/// Mails processed per parallel batch: bounds memory whatever the input size.
const CHUNK: usize = 512;

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// Mail files, directories (searched recursively for .eml/.mbox), mbox files, or `-` for stdin.
    paths: Vec<PathBuf>,
    /// What to print: per-circuit forecast events, or one object per maintenance.
    #[arg(long, value_enum, default_value_t = View::Events)]
    view: View,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Force this vendor parser instead of routing (id or alias).
    #[arg(long)]
    vendor: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar even on a terminal.
    #[arg(long)]
    quiet: bool,
    /// Read mail that routes to no vendor with the generic parser (printed
    /// with provider "generic", plus its confidence and evidence).
    #[arg(long)]
    generic: bool,
    /// Circuit inventory for the generic parser: a CSV with a
    /// `vendorCircuitId` column; ids found in it are preferred.
    #[arg(long, value_name = "FILE.csv", requires = "generic")]
    circuits: Option<PathBuf>,
    /// Generic results below this confidence count as failed ("for a human").
    #[arg(long, default_value_t = 0.6, value_name = "0..1")]
    min_confidence: f64,
}

/// Set to `1` to skip the registry and read every mail with the generic
/// parser: how `score-corpus` measures it on vendors it has never seen.
pub const FORCE_GENERIC_ENV: &str = "MNP_FORCE_GENERIC";

/// How to use the generic parser in this run.
struct GenericCtx {
    inventory: generic::Inventory,
    options: generic::Options,
    /// Skip routing altogether.
    force: bool,
}

/// The rows of a CSV circuit inventory: its `vendorCircuitId` column and,
/// when there is one, its `vendor` (or `vendorId`) column.
pub(crate) fn inventory_rows(path: &Path) -> anyhow::Result<Vec<(Option<String>, String)>> {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read circuit inventory {}", path.display()))?;
    let headers = rd
        .headers()
        .with_context(|| format!("{}: no header row", path.display()))?
        .clone();
    let norm = |h: &str| h.trim().to_ascii_lowercase().replace(['_', '-', ' '], "");
    let col = headers
        .iter()
        .position(|h| norm(h) == "vendorcircuitid")
        .with_context(|| format!("{}: no vendorCircuitId column", path.display()))?;
    let vendor_col = headers
        .iter()
        .position(|h| matches!(norm(h).as_str(), "vendor" | "vendorid"));
    let mut rows = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: bad row {}", path.display(), i + 2))?;
        if let Some(v) = rec.get(col).filter(|v| !v.trim().is_empty()) {
            let vendor = vendor_col
                .and_then(|c| rec.get(c))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            rows.push((vendor, v.to_string()));
        }
    }
    Ok(rows)
}

/// The `vendorCircuitId` column of a CSV inventory.
fn load_inventory(path: &Path) -> anyhow::Result<generic::Inventory> {
    Ok(generic::Inventory::new(
        inventory_rows(path)?.into_iter().map(|(_, id)| id),
    ))
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    Events,
    Maintenance,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Jsonl,
    Table,
}

/// What happened to one mail.
enum Outcome {
    Parsed {
        parser: String,
        maintenances: Vec<Maintenance>,
        /// Confidence and evidence, for generic results.
        generic: Option<(f64, Vec<generic::Evidence>)>,
    },
    Ignored {
        parser: Option<String>,
        error: Error,
    },
    Failed {
        error: String,
        kind: &'static str,
    },
}

/// The generic parser's verdict on a mail nothing else could read.
fn parse_generic(email: &Email, ctx: &GenericCtx) -> Outcome {
    match generic::parse(email, &ctx.inventory, &ctx.options) {
        Ok(r) if r.is_confident(&ctx.options) => Outcome::Parsed {
            parser: generic::PROVIDER.to_string(),
            maintenances: r.maintenances,
            generic: Some((r.confidence, r.evidence)),
        },
        Ok(r) => Outcome::Failed {
            error: format!(
                "generic parser: confidence {:.2} below {:.2}, {} maintenance(s) found; for a human, not stored",
                r.confidence,
                ctx.options.min_confidence,
                r.maintenances.len()
            ),
            kind: "low-confidence",
        },
        Err(e) if e.is_not_maintenance() => Outcome::Ignored {
            parser: Some(generic::PROVIDER.to_string()),
            error: e,
        },
        Err(e) => Outcome::Failed {
            kind: e.kind(),
            error: format!("generic parser: {e}"),
        },
    }
}

fn parse_one(
    reg: &Registry,
    item: &Item,
    vendor: Option<&str>,
    generic: Option<&GenericCtx>,
) -> Outcome {
    let bytes = match &item.bytes {
        Ok(b) => b,
        Err(e) => {
            return Outcome::Failed {
                error: format!("cannot read: {e}"),
                kind: "io",
            };
        }
    };
    let email = match Email::parse(bytes) {
        Ok(e) => e,
        Err(e) => {
            return Outcome::Failed {
                kind: e.kind(),
                error: e.to_string(),
            };
        }
    };
    if let Some(ctx) = generic.filter(|c| c.force) {
        return parse_generic(&email, ctx);
    }
    match reg.parse(&email, vendor) {
        Ok(p) => Outcome::Parsed {
            parser: p.parser,
            maintenances: p.maintenances,
            generic: None,
        },
        Err(Error::Unrouted { .. }) if generic.is_some() => match generic {
            Some(ctx) => parse_generic(&email, ctx),
            None => Outcome::Failed {
                error: "unrouted".into(),
                kind: "unrouted",
            },
        },
        Err(e) if e.is_not_maintenance() => {
            let parser = match &e {
                Error::Parser { parser, .. } => Some(parser.clone()),
                _ => None,
            };
            Outcome::Ignored { parser, error: e }
        }
        Err(e) => Outcome::Failed {
            kind: e.kind(),
            error: e.to_string(),
        },
    }
}

fn records(
    view: View,
    source: &str,
    ms: &[Maintenance],
    generic: Option<&(f64, Vec<generic::Evidence>)>,
) -> Vec<Value> {
    let add_generic = |v: &mut Value, evidence: bool| {
        if let (Value::Object(o), Some((confidence, ev))) = (v, generic) {
            o.insert("confidence".into(), json!(confidence));
            if evidence {
                o.insert("evidence".into(), json!(ev));
            }
        }
    };
    match view {
        View::Maintenance => ms
            .iter()
            .map(|m| {
                let mut v = serde_json::to_value(m).unwrap_or(Value::Null);
                if let Value::Object(o) = &mut v {
                    o.insert("source".into(), json!(source));
                }
                add_generic(&mut v, true);
                v
            })
            .collect(),
        View::Events => ms
            .iter()
            .flat_map(|m| m.events())
            .map(|mut e| {
                e.source = Some(source.to_string());
                let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
                add_generic(&mut v, false);
                v
            })
            .collect(),
    }
}

pub fn run(args: ParseArgs, reg: &Registry) -> anyhow::Result<ExitCode> {
    if let Some(v) = &args.vendor
        && reg.get(v).is_none()
    {
        anyhow::bail!("unknown vendor {v:?} (see `mnp vendors list`)");
    }
    if !(0.0..=1.0).contains(&args.min_confidence) {
        anyhow::bail!("--min-confidence must be between 0 and 1");
    }
    let force = std::env::var(FORCE_GENERIC_ENV).is_ok_and(|v| v == "1");
    let generic_ctx = if args.generic || force {
        Some(GenericCtx {
            inventory: match &args.circuits {
                Some(p) => load_inventory(p)?,
                None => generic::Inventory::default(),
            },
            options: generic::Options {
                min_confidence: args.min_confidence,
            },
            force,
        })
    } else {
        None
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let show_progress = !args.quiet && io::stderr().is_terminal();
    let bar = show_progress.then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} mails, {per_sec} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b
    });

    let mut inputs = Inputs::new(&args.paths);
    let mut first = true;
    let mut failed = 0usize;
    let mut table_rows: Vec<[String; 6]> = Vec::new();
    if args.format == Format::Json {
        writeln!(out, "[")?;
    }
    loop {
        let chunk: Vec<Item> = inputs.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let vendor = args.vendor.as_deref();
        let outcomes: Vec<Outcome> = pool.install(|| {
            chunk
                .par_iter()
                .map(|it| parse_one(reg, it, vendor, generic_ctx.as_ref()))
                .collect()
        });
        for (item, outcome) in chunk.iter().zip(outcomes) {
            match outcome {
                Outcome::Parsed {
                    parser,
                    maintenances,
                    generic,
                } => match args.format {
                    Format::Json => {
                        for r in records(args.view, &item.source, &maintenances, generic.as_ref()) {
                            if !first {
                                writeln!(out, ",")?;
                            }
                            first = false;
                            write!(out, "{}", serde_json::to_string_pretty(&r)?)?;
                        }
                    }
                    Format::Jsonl => {
                        for r in records(args.view, &item.source, &maintenances, generic.as_ref()) {
                            writeln!(out, "{}", serde_json::to_string(&r)?)?;
                        }
                    }
                    Format::Table => {
                        for m in &maintenances {
                            table_rows.push(table_row(&parser, m));
                        }
                    }
                },
                Outcome::Ignored { parser, error } => {
                    tracing::info!(source = %item.source, parser = parser.as_deref().unwrap_or(""), "ignored: {error}");
                    if args.format == Format::Jsonl {
                        let r = json!({"ignored": error.to_string(), "kind": error.kind(), "source": item.source});
                        writeln!(out, "{}", serde_json::to_string(&r)?)?;
                    }
                }
                Outcome::Failed { error, kind } => {
                    failed += 1;
                    if let Some(b) = &bar {
                        b.suspend(|| eprintln!("{}: {error}", item.source));
                    } else {
                        eprintln!("{}: {error}", item.source);
                    }
                    if args.format == Format::Jsonl {
                        let r = json!({"error": error, "kind": kind, "source": item.source});
                        writeln!(out, "{}", serde_json::to_string(&r)?)?;
                    }
                }
            }
        }
        if let Some(b) = &bar {
            b.inc(chunk.len() as u64);
        }
        out.flush()?;
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match args.format {
        Format::Json => {
            if !first {
                writeln!(out)?;
            }
            writeln!(out, "]")?;
        }
        Format::Table => write_table(&mut out, &table_rows)?,
        Format::Jsonl => {}
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn table_row(parser: &str, m: &Maintenance) -> [String; 6] {
    let (b, e) = match m.window {
        Some(w) => (
            w.begin().format("%Y-%m-%d %H:%MZ").to_string(),
            w.end().format("%Y-%m-%d %H:%MZ").to_string(),
        ),
        None => ("-".into(), "-".into()),
    };
    let circuits = m
        .circuits
        .iter()
        .map(|c| format!("{} ({})", c.vendor_circuit_id, c.impact))
        .collect::<Vec<_>>()
        .join(", ");
    [
        parser.to_string(),
        m.maintenance_id.clone(),
        m.status.to_string(),
        b,
        e,
        circuits,
    ]
}

pub fn write_table(out: &mut impl Write, rows: &[[String; 6]]) -> io::Result<()> {
    let head = [
        "VENDOR",
        "MAINTENANCE",
        "STATUS",
        "BEGIN (UTC)",
        "END (UTC)",
        "CIRCUITS",
    ];
    let mut w = head.map(|h| h.chars().count());
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(x) = w.get_mut(i) {
                *x = (*x).max(c.chars().count());
            }
        }
    }
    let line = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let width = w.get(i).copied().unwrap_or(0);
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<width$}  "));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, &head)?;
    for r in rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        line(out, &cells)?;
    }
    Ok(())
}
