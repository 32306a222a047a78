//! `mnp vendors`: what parsers are registered, and their documentation.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use mnp_core::Registry;
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
    /// Print the vendor reference page (docs/vendors.md) generated from the descriptors.
    Docs {
        /// The corpus folder whose fixtures are counted.
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
    },
    /// Show what a declarative profile extracts from mails, field by field.
    Test {
        /// The profile (TOML).
        profile: PathBuf,
        /// Mails to try it on.
        #[arg(required = true)]
        mails: Vec<PathBuf>,
    },
    /// Scaffold a new vendor: parser file, `mod` line, corpus folder with template fixtures.
    New {
        /// Vendor id, kebab-case (e.g. `acme-fiber`).
        id: String,
        /// The carrier's sender domain.
        #[arg(long)]
        sender: String,
        /// Carrier display name (default: from the id).
        #[arg(long)]
        carrier: Option<String>,
        /// Root of the mnp checkout.
        #[arg(long, default_value = ".")]
        repo: PathBuf,
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
        VendorsCmd::List {
            format: ListFormat::Json,
        } => {
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
        VendorsCmd::List {
            format: ListFormat::Table,
        } => {
            let idw = reg
                .entries()
                .iter()
                .map(|e| e.id.len())
                .max()
                .unwrap_or(2)
                .max(2);
            let cw = reg
                .entries()
                .iter()
                .map(|e| e.carrier.len())
                .max()
                .unwrap_or(7)
                .max(7);
            writeln!(
                out,
                "{:<idw$}  {:<cw$}  {:<10}  SENDERS",
                "ID", "CARRIER", "ORIGIN"
            )?;
            for e in reg.entries() {
                writeln!(
                    out,
                    "{:<idw$}  {:<cw$}  {:<10}  {}",
                    e.id,
                    e.carrier,
                    e.origin.to_string(),
                    e.senders.join(", ")
                )?;
            }
        }
        VendorsCmd::Test { profile, mails } => {
            return crate::profiles_cmd::vendors_test(&profile, &mails);
        }
        VendorsCmd::Docs { corpus } => write!(out, "{}", vendors_page(reg, &corpus))?,
        VendorsCmd::New {
            id,
            sender,
            carrier,
            repo,
        } => {
            for p in crate::scaffold::new_vendor(&repo, &id, &sender, carrier.as_deref())? {
                writeln!(out, "wrote {p}")?;
            }
            writeln!(
                out,
                "next: edit the parser and fixtures, then `MNP_CORPUS_FILTER={id} INSTA_UPDATE=always cargo test -p mnp-parsers --test corpus` and review the snapshots"
            )?;
        }
        VendorsCmd::Show { id } => {
            let Some(e) = reg.get(&id) else {
                anyhow::bail!("unknown vendor {id:?} (see `mnp vendors list`)");
            };
            writeln!(
                out,
                "{} — {}\norigin: {}\nsenders: {}\nsubjects: {}\nformats: {}\n",
                e.id,
                e.carrier,
                e.origin,
                e.senders.join(", "),
                e.subject_patterns.join(" | "),
                e.formats.join(", ")
            )?;
            writeln!(out, "{}", e.doc.trim_end())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn fixture_count(corpus: &Path, id: &str) -> (usize, usize) {
    let count = |d: &Path| {
        std::fs::read_dir(d)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .count()
            })
            .unwrap_or(0)
    };
    (
        count(&corpus.join(id)),
        count(&corpus.join(id).join("reject")),
    )
}

/// The vendor reference page, generated from the registered descriptors.
pub fn vendors_page(reg: &Registry, corpus: &Path) -> String {
    let mut s = String::from(
        "# Vendors\n\nGenerated from the parser descriptors by `mnp vendors docs > docs/vendors.md`; a test fails when\nthis page is stale. Details per vendor: `mnp vendors show ID`.\n\n",
    );
    s.push_str(&format!("{} parsers registered.\n\n", reg.len()));
    s.push_str("| id | carrier | senders | formats | fixtures (reject) | aliases | origin |\n|---|---|---|---|---|---|---|\n");
    for e in reg.entries() {
        let (n, r) = fixture_count(corpus, &e.id);
        let aliases: Vec<&str> = reg
            .aliases()
            .iter()
            .filter(|(_, id)| **id == e.id)
            .map(|(a, _)| a.as_str())
            .collect();
        let senders = if e.senders.is_empty() {
            "(content signature)".to_string()
        } else {
            e.senders.join(", ")
        };
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {n} ({r}) | {} | {} |\n",
            e.id,
            e.carrier.replace('|', "/"),
            senders,
            e.formats.join(", "),
            aliases.join(", "),
            e.origin
        ));
    }
    s
}
