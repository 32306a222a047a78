//! `mnp parse --generic`: unrouted mail read by the generic parser, with an
//! optional circuit inventory and a confidence threshold.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mnp-generic-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn mnp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(args)
        .env_remove("MNP_FORCE_GENERIC")
        .output()
        .unwrap()
}

/// A notice from a carrier no parser knows: labelled fields, times in CEST.
const UNKNOWN: &str = "From: Network Operations <noc@tiny-fibre.example>\n\
Subject: Planned maintenance notification PM-2024-0917\n\
Date: Mon, 2 Sep 2024 08:00:00 +0000\n\n\
Dear customer,\n\n\
Reference: PM-2024-0917\n\
Start: 17 Sep 2024 23:00 CEST\n\
End: 18 Sep 2024 04:00 CEST\n\
Service ID: TFB-7781, TFB-7790\n\
Impact: Outage of up to 2 hours\n";

/// Vague mail: maintenance wording, no window.
const VAGUE: &str = "From: noc@tiny-fibre.example\nSubject: maintenance soon\n\n\
We will do some maintenance on the backbone soon. Details follow.\n";

fn write(dir: &Path, name: &str, body: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn unrouted_without_flag_fails() {
    let d = tmpdir("noflag");
    let f = write(&d, "unknown.eml", UNKNOWN);
    let out = mnp(&["parse", "--view", "maintenance", &f]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn generic_reads_unknown_vendor() {
    let d = tmpdir("read");
    let f = write(&d, "unknown.eml", UNKNOWN);
    let out = mnp(&["parse", "--generic", "--view", "maintenance", &f]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = &v[0];
    assert_eq!(m["provider"], "generic");
    assert_eq!(m["maintenanceId"], "PM-2024-0917");
    // CEST = UTC+2: 23:00 → 21:00Z, 04:00 → 02:00Z
    assert_eq!(m["beginWindow"], "2024-09-17T21:00:00Z");
    assert_eq!(m["endWindow"], "2024-09-18T02:00:00Z");
    let ids: Vec<&str> = m["circuits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["vendorCircuitId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["TFB-7781", "TFB-7790"]);
    assert!(m["confidence"].as_f64().unwrap() >= 0.6);
    assert!(!m["evidence"].as_array().unwrap().is_empty());
}

#[test]
fn inventory_narrows_circuits() {
    let d = tmpdir("inv");
    let f = write(&d, "unknown.eml", UNKNOWN);
    let csv = write(
        &d,
        "circuits.csv",
        "provider,vendorCircuitId\ntiny,TFB 7790\n",
    );
    let out = mnp(&[
        "parse",
        "--generic",
        "--circuits",
        &csv,
        "--view",
        "maintenance",
        &f,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let circuits = v[0]["circuits"].as_array().unwrap();
    assert_eq!(circuits.len(), 1);
    // the inventory's spelling of the id
    assert_eq!(circuits[0]["vendorCircuitId"], "TFB 7790");
}

#[test]
fn inventory_without_column_is_an_error() {
    let d = tmpdir("badcsv");
    let f = write(&d, "unknown.eml", UNKNOWN);
    let csv = write(&d, "circuits.csv", "id\nX-1\n");
    let out = mnp(&["parse", "--generic", "--circuits", &csv, &f]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vendorCircuitId"));
}

#[test]
fn low_confidence_is_for_a_human() {
    let d = tmpdir("low");
    let f = write(&d, "vague.eml", VAGUE);
    let out = mnp(&["parse", "--generic", "--view", "maintenance", &f]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("for a human"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 0);

    // the same known notice fails when the bar is set above its confidence
    let g = write(&d, "unknown.eml", UNKNOWN);
    let out = mnp(&["parse", "--generic", "--min-confidence", "1", &g]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn routed_mail_is_untouched_by_the_flag() {
    let f = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/fiberprovider/2024-05-two-circuits-cdt.eml");
    let out = mnp(&[
        "parse",
        "--generic",
        "--view",
        "maintenance",
        f.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(v[0]["provider"], "generic");
    assert!(v[0].get("confidence").is_none());
}

#[test]
fn forced_generic_skips_the_registry() {
    let f = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/fiberprovider/2024-05-two-circuits-cdt.eml");
    let out = Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(["parse", "--view", "maintenance", f.to_str().unwrap()])
        .env("MNP_FORCE_GENERIC", "1")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for m in v.as_array().unwrap() {
        assert_eq!(m["provider"], "generic");
    }
}
