//! `mnp vendors new`: write a new vendor's parser file, its `mod` line and
//! its corpus folder (two template fixtures with their snapshots) in one go.

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};

const VENDOR: &str = include_str!("templates/vendor.rs.tmpl");
const PLANNED: &str = include_str!("templates/planned.eml.tmpl");
const CANCELLED: &str = include_str!("templates/cancelled.eml.tmpl");
const PLANNED_SNAP: &str = include_str!("templates/planned.snap.tmpl");
const CANCELLED_SNAP: &str = include_str!("templates/cancelled.snap.tmpl");

fn fill(t: &str, id: &str, carrier: &str, sender: &str) -> String {
    let strukt: String = id
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    t.replace("{{ID}}", id)
        .replace("{{UPPER}}", &id.to_ascii_uppercase())
        .replace("{{CARRIER}}", carrier)
        .replace("{{SENDER}}", sender)
        .replace("{{STRUCT}}", &strukt)
}

/// Write the files; returns the paths written.
pub fn new_vendor(
    repo: &Path,
    id: &str,
    sender: &str,
    carrier: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let kebab = regex_lite_kebab(id);
    if !kebab {
        bail!("vendor id {id:?} must be kebab-case (a-z, 0-9, single dashes), e.g. crown-castle");
    }
    let sender = sender.trim().trim_start_matches('@').to_ascii_lowercase();
    if !sender.contains('.') || sender.contains(char::is_whitespace) {
        bail!("sender {sender:?} must be a domain such as carrier.example");
    }
    let carrier = carrier.map(str::to_string).unwrap_or_else(|| {
        id.split('-')
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect::<Vec<_>>()
            .join(" ")
    });
    let module = id.replace('-', "_");
    let vendors = repo.join("crates/mnp-parsers/src/vendors");
    let file = vendors.join(format!("{module}.rs"));
    let corpus = repo.join("corpus").join(id);
    if !vendors.is_dir() {
        bail!(
            "{} is not an mnp checkout (no crates/mnp-parsers/src/vendors)",
            repo.display()
        );
    }
    if file.exists() || corpus.exists() {
        bail!(
            "vendor {id} already exists ({} or {})",
            file.display(),
            corpus.display()
        );
    }
    let modrs = vendors.join("mod.rs");
    let old =
        fs::read_to_string(&modrs).with_context(|| format!("cannot read {}", modrs.display()))?;
    let mut lines: Vec<String> = old.lines().map(str::to_string).collect();
    let new_line = format!("pub mod {module};");
    let pos = lines
        .iter()
        .position(|l| l.starts_with("pub mod ") && l.as_str() > new_line.as_str())
        .or_else(|| {
            lines
                .iter()
                .rposition(|l| l.starts_with("pub mod "))
                .map(|p| p + 1)
        })
        .unwrap_or(lines.len());
    lines.insert(pos, new_line);
    fs::create_dir_all(&corpus)?;
    let f = |t: &str| fill(t, id, &carrier, &sender);
    let writes = [
        (file.clone(), f(VENDOR)),
        (corpus.join("template-planned.eml"), f(PLANNED)),
        (corpus.join("template-planned.snap"), f(PLANNED_SNAP)),
        (corpus.join("template-cancelled.eml"), f(CANCELLED)),
        (corpus.join("template-cancelled.snap"), f(CANCELLED_SNAP)),
        (modrs.clone(), lines.join("\n") + "\n"),
    ];
    let mut written = Vec::new();
    for (p, content) in writes {
        fs::write(&p, content).with_context(|| format!("cannot write {}", p.display()))?;
        written.push(p.display().to_string());
    }
    Ok(written)
}

fn regex_lite_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}
