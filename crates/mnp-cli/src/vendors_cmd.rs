//! `mnp vendors`: what parsers are registered, and their documentation.

use std::io::{self, Write};
use std::process::ExitCode;

use mnp_core::Registry;
use clap::{Subcommand, ValueEnum};
use serde_json::json;

#[derive(Subcommand, Debug)]
pub enum VendorsCmd {
    /// List registered parsers.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show one parser's documentation.
    Show {
        /// Vendor id or alias.
        id: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

pub fn run(cmd: VendorsCmd, reg: &Registry) -> anyhow::Result<ExitCode> {

    let mut out = io::stdout().lock();
    match cmd {
        VendorsCmd::List { format: ListFormat::Json } => {
            let v: Vec<_> = reg
                .entries()
                .iter()
                .map(|e| {
                    json!({
                        "id": e.id, "carrier": e.carrier, "senders": e.senders,
                        "subjects": e.subject_patterns, "formats": e.formats,
                        "fallback": e.fallback, "origin": e.origin.to_string(),
                        "aliases": reg.aliases().iter().filter(|(_, id)| **id == e.id).map(|(a, _)| a).collect::<Vec<_>>(),
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        VendorsCmd::List { format: ListFormat::Table } => {
            let idw = reg.entries().iter().map(|e| e.id.len()).max().unwrap_or(2).max(2);
            let cw = reg.entries().iter().map(|e| e.carrier.len()).max().unwrap_or(7).max(7);
            writeln!(out, "{:<idw$}  {:<cw$}  {:<10}  SENDERS", "ID", "CARRIER", "ORIGIN")?;
            for e in reg.entries() {
                writeln!(out, "{:<idw$}  {:<cw$}  {:<10}  {}", e.id, e.carrier, e.origin.to_string(), e.senders.join(", "))?;
            }
        }
        VendorsCmd::Show { id } => {
            let Some(e) = reg.get(&id) else {
                anyhow::bail!("unknown vendor {id:?} (see `mnp vendors list`)");
            };
            writeln!(out, "{} — {}\norigin: {}\nsenders: {}\nsubjects: {}\nformats: {}\n", e.id, e.carrier, e.origin,
                e.senders.join(", "), e.subject_patterns.join(" | "), e.formats.join(", "))?;
            writeln!(out, "{}", e.doc.trim_end())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
