//! Regression guard on the reference corpus (`../shared/corpus/real`, or
//! `MNP_REAL_CORPUS`): every vendor's pass count (both modes) must stay at or
//! above the value recorded in `real_corpus_baseline.json`, and
//! `docs/conformance.md` must be what `mnp corpus score --format markdown`
//! prints now. Prints a skip message when the corpus is absent.
#![allow(clippy::print_stderr)] // skip notes and measurements are for the test log

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn real_corpus() -> Option<PathBuf> {
    let p = std::env::var_os("MNP_REAL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/corpus/real"));
    p.is_dir().then_some(p)
}

fn score(dir: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(["corpus", "score", dir.to_str().unwrap(), "--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn real_corpus_pass_counts_do_not_drop() {
    let Some(dir) = real_corpus() else {
        eprintln!(
            "SKIPPED real_corpus_pass_counts_do_not_drop: no reference corpus at ../shared/corpus/real (set MNP_REAL_CORPUS)"
        );
        return;
    };
    let v: serde_json::Value = serde_json::from_str(&score(&dir, "json")).unwrap();
    let mut passed: BTreeMap<String, u64> = BTreeMap::new();
    let cases = v["cases"].as_array().unwrap();
    assert!(
        cases.len() > 50,
        "the reference corpus has about 69 cases, found {}",
        cases.len()
    );
    for c in cases {
        *passed
            .entry(c["vendor"].as_str().unwrap().to_string())
            .or_default() += u64::from(c["passed"] == true);
    }
    let baseline: BTreeMap<String, u64> = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real_corpus_baseline.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let reg = mnp_parsers_ids();
    let mut drops = Vec::new();
    for (vendor, want) in &baseline {
        assert!(
            reg.contains(vendor),
            "baseline names {vendor}, which has no registered parser"
        );
        let got = passed.get(vendor).copied().unwrap_or(0);
        if got < *want {
            drops.push(format!("{vendor}: {got} < recorded {want}"));
        }
    }
    for vendor in &reg {
        if passed.contains_key(vendor) {
            assert!(
                baseline.contains_key(vendor),
                "{vendor} has corpus cases but no recorded baseline"
            );
        }
    }
    assert!(drops.is_empty(), "pass counts dropped: {drops:?}");
}

fn mnp_parsers_ids() -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(["vendors", "list", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn conformance_page_is_fresh() {
    let Some(dir) = real_corpus() else {
        eprintln!(
            "SKIPPED conformance_page_is_fresh: no reference corpus at ../shared/corpus/real"
        );
        return;
    };
    let now = score(&dir, "markdown");
    let page = std::fs::read_to_string(repo().join("docs/conformance.md")).unwrap_or_default();
    assert!(
        page == now,
        "docs/conformance.md is stale: regenerate with `cargo run -q -p mnp-cli -- corpus score ../shared/corpus/real --format markdown > docs/conformance.md`"
    );
}
