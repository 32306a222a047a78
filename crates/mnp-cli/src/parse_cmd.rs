//! `mnp parse`: mails in, maintenance records out.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use mnp_core::{Email, Error, Maintenance, Registry};
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

fn parse_one(reg: &Registry, item: &Item, vendor: Option<&str>) -> Outcome {
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
    match reg.parse(&email, vendor) {
        Ok(p) => Outcome::Parsed {
            parser: p.parser,
            maintenances: p.maintenances,
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

fn records(view: View, source: &str, ms: &[Maintenance]) -> Vec<Value> {
    match view {
        View::Maintenance => ms
            .iter()
            .map(|m| {
                let mut v = serde_json::to_value(m).unwrap_or(Value::Null);
                if let Value::Object(o) = &mut v {
                    o.insert("source".into(), json!(source));
                }
                v
            })
            .collect(),
        View::Events => ms
            .iter()
            .flat_map(|m| m.events())
            .map(|mut e| {
                e.source = Some(source.to_string());
                serde_json::to_value(e).unwrap_or(Value::Null)
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
                .map(|it| parse_one(reg, it, vendor))
                .collect()
        });
        for (item, outcome) in chunk.iter().zip(outcomes) {
            match outcome {
                Outcome::Parsed {
                    parser,
                    maintenances,
                } => match args.format {
                    Format::Json => {
                        for r in records(args.view, &item.source, &maintenances) {
                            if !first {
                                writeln!(out, ",")?;
                            }
                            first = false;
                            write!(out, "{}", serde_json::to_string_pretty(&r)?)?;
                        }
                    }
                    Format::Jsonl => {
                        for r in records(args.view, &item.source, &maintenances) {
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
