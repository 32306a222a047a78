//! `mnp.toml` and the global options that shape the registry.
//!
//! Looked up from `--config FILE`, else `$MNP_CONFIG`, else `./mnp.toml` when
//! present. Relative paths in the file are relative to the file's folder.
//!
//! ```toml
//! # directories of vendor-parser plugins (cdylib), loaded in order
//! plugin_dirs = ["plugins"]
//! # directories of declarative vendor profiles (*.toml)
//! profile_dirs = ["profiles"]
//! # alert mail: SMTP server (default: .eml files in an outbox folder) and sender
//! smtp_url = "smtps://noc:secret@mail.example"
//! mail_from = "noc@isp.example"
//! ```

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use mnp_core::Registry;
use serde::Deserialize;

/// Options every subcommand accepts.
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalOpts {
    /// Configuration file (default: $MNP_CONFIG, else ./mnp.toml if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Load vendor-parser plugins from this directory (repeatable).
    #[arg(long = "plugin-dir", global = true, value_name = "DIR")]
    pub plugin_dirs: Vec<PathBuf>,
    /// Load declarative vendor profiles (*.toml) from this directory (repeatable).
    #[arg(long = "profiles", global = true, value_name = "DIR")]
    pub profile_dirs: Vec<PathBuf>,
    /// Database URL (default: $MNP_DATABASE_URL, else `database_url` in mnp.toml, else sqlite:./mnp.db).
    #[arg(long = "database", global = true, value_name = "URL")]
    pub database: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    plugin_dirs: Vec<PathBuf>,
    #[serde(default)]
    profile_dirs: Vec<PathBuf>,
    #[serde(default)]
    database_url: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    smtp_url: Option<String>,
    #[serde(default)]
    mail_from: Option<String>,
    /// Maxout rules inline: `[maxout.defaults]`, `[maxout.customers.ID]`,
    /// `[maxout.circuits."ID"]` (see `mnp_maxout::engine::config`).
    #[serde(default)]
    maxout: Option<mnp_maxout::engine::RuleSet>,
}

fn load_file(opts: &GlobalOpts) -> anyhow::Result<(Option<PathBuf>, FileConfig)> {
    let path = opts
        .config
        .clone()
        .or_else(|| std::env::var_os("MNP_CONFIG").map(PathBuf::from))
        .or_else(|| {
            Path::new("mnp.toml")
                .is_file()
                .then(|| PathBuf::from("mnp.toml"))
        });
    let Some(path) = path else {
        return Ok((None, FileConfig::default()));
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read config {}", path.display()))?;
    let cfg: FileConfig =
        toml::from_str(&text).with_context(|| format!("bad config {}", path.display()))?;
    Ok((Some(path), cfg))
}

/// The database URL: `--database`, else `$MNP_DATABASE_URL`, else the
/// config file's `database_url`, else `sqlite:./mnp.db`.
pub fn database_url(opts: &GlobalOpts) -> anyhow::Result<String> {
    if let Some(u) = &opts.database {
        return Ok(u.clone());
    }
    if let Ok(u) = std::env::var("MNP_DATABASE_URL")
        && !u.trim().is_empty()
    {
        return Ok(u);
    }
    let (_, cfg) = load_file(opts)?;
    Ok(cfg
        .database_url
        .unwrap_or_else(|| "sqlite:./mnp.db".to_string()))
}

/// Sources named in the config file (`sources = [...]`) and `$MNP_SOURCES`
/// (comma-separated).
pub fn configured_sources(opts: &GlobalOpts) -> anyhow::Result<Vec<String>> {
    let (_, cfg) = load_file(opts)?;
    let mut v = cfg.sources;
    if let Ok(s) = std::env::var("MNP_SOURCES") {
        v.extend(
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        );
    }
    Ok(v)
}

/// The SMTP server for alert mail: `$MNP_SMTP_URL`, else `smtp_url` in the
/// config file; `None` means the outbox folder.
pub fn smtp_url(opts: &GlobalOpts) -> anyhow::Result<Option<String>> {
    if let Ok(u) = std::env::var("MNP_SMTP_URL")
        && !u.trim().is_empty()
    {
        return Ok(Some(u));
    }
    let (_, cfg) = load_file(opts)?;
    Ok(cfg.smtp_url.filter(|u| !u.trim().is_empty()))
}

/// Sender of alert mail: `cli` (`--noc-email`), else `$MNP_MAIL_FROM`,
/// else `mail_from` in the config file, else `noc@mnp.example`.
pub fn mail_from(opts: &GlobalOpts, cli: Option<&str>) -> anyhow::Result<String> {
    if let Some(a) = cli.filter(|a| !a.trim().is_empty()) {
        return Ok(a.to_string());
    }
    if let Ok(a) = std::env::var("MNP_MAIL_FROM")
        && !a.trim().is_empty()
    {
        return Ok(a);
    }
    let (_, cfg) = load_file(opts)?;
    Ok(cfg
        .mail_from
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "noc@mnp.example".to_string()))
}

/// Open and migrate the store.
pub fn store(opts: &GlobalOpts) -> anyhow::Result<mnp_store::Store> {
    let url = database_url(opts)?;
    let mut s = mnp_store::Store::open(&url)
        .with_context(|| format!("cannot open database {}", mnp_core::util::redact_url(&url)))?;
    s.migrate().context("cannot migrate the database")?;
    Ok(s)
}

/// The registry: built-in parsers, then plugins from the config file and
/// `--plugin-dir`, then declarative profiles (`profile_dirs`, `--profiles`). A plugin that fails to load is reported on stderr and
/// skipped; the other parsers keep working.
pub fn registry(opts: &GlobalOpts) -> anyhow::Result<Registry> {
    let mut reg = mnp_parsers::registry();
    let (path, cfg) = load_file(opts)?;
    let base = path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let dirs: Vec<PathBuf> = cfg
        .plugin_dirs
        .iter()
        .map(|d| base.join(d))
        .chain(opts.plugin_dirs.iter().cloned())
        .collect();
    for dir in dirs {
        for (file, res) in mnp_plugin::host::load_dir(&dir, &mut reg) {
            if let Err(e) = res {
                #[allow(clippy::print_stderr)]
                {
                    eprintln!("mnp: warning: plugin {} not loaded: {e}", file.display());
                }
            }
        }
    }
    let profile_dirs: Vec<PathBuf> = cfg
        .profile_dirs
        .iter()
        .map(|d| base.join(d))
        .chain(opts.profile_dirs.iter().cloned())
        .collect();
    for e in crate::profiles_cmd::load_profile_dirs(&mut reg, &profile_dirs) {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("mnp: warning: {e}");
        }
    }
    Ok(reg)
}

/// Maxout rules: from `file` (`--rules`, the layout of
/// `mnp_maxout::engine::config` at the top level), else the `[maxout]`
/// tables of mnp.toml, else the defaults. Validated; errors name the file
/// and the line or the override that broke a rule.
pub fn maxout_rules(
    opts: &GlobalOpts,
    file: Option<&Path>,
) -> anyhow::Result<mnp_maxout::engine::RuleSet> {
    let (rules, from) = match file {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read maxout rules {}", p.display()))?;
            let rules = toml::from_str(&text)
                .with_context(|| format!("bad maxout rules {}", p.display()))?;
            (rules, p.display().to_string())
        }
        None => {
            let (path, cfg) = load_file(opts)?;
            let from = path.map_or_else(|| "defaults".to_string(), |p| p.display().to_string());
            (cfg.maxout.unwrap_or_default(), from)
        }
    };
    rules
        .validate()
        .with_context(|| format!("bad maxout rules in {from}"))?;
    Ok(rules)
}
