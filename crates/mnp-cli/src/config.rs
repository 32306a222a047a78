//! `mnp.toml` and the global options that shape the registry.
//!
//! Looked up from `--config FILE`, else `$MNP_CONFIG`, else `./mnp.toml` when
//! present. Relative paths in the file are relative to the file's folder.
//!
//! ```toml
//! # directories of vendor-parser plugins (cdylib), loaded in order
//! plugin_dirs = ["plugins"]
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
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    plugin_dirs: Vec<PathBuf>,
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

/// The registry: built-in parsers, then plugins from the config file and
/// `--plugin-dir`. A plugin that fails to load is reported on stderr and
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
    Ok(reg)
}
