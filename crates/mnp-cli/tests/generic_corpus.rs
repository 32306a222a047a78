//! Regression guard on the generic parser's accuracy (`mnp corpus score
//! --generic`), on the project's held-out sets of carriers it was not tuned
//! on when they were written (`crates/mnp-parsers/tests/data/generic-holdout*`,
//! always present; each was scored blind once, then used for tuning — the
//! last two, holdout10 and holdout11, only scored: their floors are the
//! final parser's blind result) and
//! on the reference corpus (`../shared/corpus/real`, or `MNP_REAL_CORPUS`;
//! skipped when absent). Each pass count — with no inventory and with the
//! sender's carrier's circuits, at the default 0.6 threshold and with every
//! result scored — must stay at or above `generic_corpus_baseline.json`.
//! The baseline is a floor written by hand after a measured run; raise it
//! when the parser gets better.
#![allow(clippy::print_stderr)] // the measured numbers are for the test log

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `(passed, cases, confident, confident and right)` of one scoring run.
fn score(dir: &Path, inventory: Option<&Path>, min_confidence: &str) -> (u64, u64, u64, u64) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mnp"));
    cmd.args(["corpus", "score", "--generic", "--format", "json"])
        .args(["--min-confidence", min_confidence]);
    if let Some(inv) = inventory {
        cmd.arg("--circuits").arg(inv).arg("--per-vendor");
    }
    let out = cmd.arg(dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = |k: &str| v[k].as_u64().unwrap();
    let cases = v["cases"].as_array().unwrap().len() as u64;
    (n("passed"), cases, n("confident"), n("confidentRight"))
}

fn check(set: &str, dir: &Path, inventory: &Path) {
    let baseline: BTreeMap<String, BTreeMap<String, u64>> = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generic_corpus_baseline.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let floor = &baseline[set];
    let mut drops = Vec::new();
    for (name, inv, min) in [
        ("none@0.6", None, "0.6"),
        ("none@0", None, "0"),
        ("per-vendor@0.6", Some(inventory), "0.6"),
        ("per-vendor@0", Some(inventory), "0"),
    ] {
        let (passed, cases, confident, right) = score(dir, inv, min);
        eprintln!(
            "{set} {name}: {passed}/{cases} passed; {right} of {confident} confident results right"
        );
        let want = floor[name];
        if passed < want {
            drops.push(format!("{set} {name}: {passed} < recorded {want}"));
        }
    }
    assert!(drops.is_empty(), "generic pass counts dropped: {drops:?}");
}

/// One test per held-out set, named after it.
macro_rules! holdout_guards {
    ($($test:ident => $set:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let dir = repo().join(concat!("crates/mnp-parsers/tests/data/generic-", $set));
            check($set, &dir, &dir.join("inventory.csv"));
        }
    )*};
}

holdout_guards! {
    generic_holdout_pass_counts_do_not_drop => "holdout",
    generic_holdout2_pass_counts_do_not_drop => "holdout2",
    generic_holdout3_pass_counts_do_not_drop => "holdout3",
    generic_holdout4_pass_counts_do_not_drop => "holdout4",
    generic_holdout5_pass_counts_do_not_drop => "holdout5",
    generic_holdout6_pass_counts_do_not_drop => "holdout6",
    generic_holdout7_pass_counts_do_not_drop => "holdout7",
    generic_holdout8_pass_counts_do_not_drop => "holdout8",
    generic_holdout9_pass_counts_do_not_drop => "holdout9",
    generic_holdout10_pass_counts_do_not_drop => "holdout10",
    generic_holdout11_pass_counts_do_not_drop => "holdout11",
}

#[test]
fn generic_real_corpus_pass_counts_do_not_drop() {
    let dir = std::env::var_os("MNP_REAL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/corpus/real"));
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED generic_real_corpus_pass_counts_do_not_drop: no reference corpus at ../shared/corpus/real (set MNP_REAL_CORPUS)"
        );
        return;
    }
    let inv = repo().join("crates/mnp-parsers/tests/data/generic-inventory.csv");
    check("real", &dir, &inv);
}
