//! Declarative vendor profiles from the command line: loaded from
//! `--profiles DIR` next to the built-in parsers, a malformed one reported
//! with file, line and key while the others keep working, and
//! `mnp vendors test` showing what a profile extracts.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mnp-profiles-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn mnp(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn operator_profiles_load_beside_builtins_and_bad_ones_are_reported() {
    let d = tmpdir("dir");
    // An operator's copy of the northwind profile under another id and sender.
    let text =
        std::fs::read_to_string(repo().join("crates/mnp-parsers/profiles/northwind-fibre.toml"))
            .unwrap()
            .replace("id = \"northwind-fibre\"", "id = \"southwind-fibre\"")
            .replace(
                "carrier = \"Northwind Fibre\"",
                "carrier = \"Southwind Fibre\"",
            )
            .replace(
                "senders = [\"northwindfibre.example\"]",
                "senders = [\"southwindfibre.example\"]",
            )
            .replace("subjects = ['^\\s*\\[Northwind Fibre\\]']", "subjects = []")
            .replace(
                "signatures = [\"change-management@northwindfibre.example\"]",
                "signatures = []",
            );
    std::fs::write(d.join("southwind.toml"), &text).unwrap();
    std::fs::write(d.join("broken.toml"), "id = \"broken\"\ncarrier = \"B\"\nsenders = [\"b.example\"]\n\n[dates]\nzone = \"Nowhere/Town\"\n").unwrap();

    let out = mnp(&[
        "--profiles",
        d.to_str().unwrap(),
        "vendors",
        "list",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.toml:6") && stderr.contains("Nowhere/Town"),
        "file, line and problem named: {stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "southwind-fibre")
        .expect("operator profile registered");
    assert!(e["origin"].as_str().unwrap().starts_with("profile "), "{e}");
    assert!(
        v.as_array().unwrap().iter().any(|e| e["id"] == "zayo"),
        "built-ins still there"
    );

    // A southwind mail routes to the operator profile by sender and parses.
    let mail = std::fs::read_to_string(repo().join("corpus/northwind-fibre/2025-05-planned.eml"))
        .unwrap()
        .replace("northwindfibre.example", "southwindfibre.example")
        .replace("[Northwind Fibre]", "[Southwind Fibre]");
    let m = d.join("mail.eml");
    std::fs::write(&m, mail).unwrap();
    let out = mnp(&[
        "--profiles",
        d.to_str().unwrap(),
        "parse",
        "--view",
        "maintenance",
        m.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["provider"], "southwind-fibre");
    assert_eq!(v[0]["maintenanceId"], "NWF-CHG-2025-0418");
    // 18/05/2025 23:00 Europe/Berlin (CEST, UTC+2) = 21:00 UTC
    assert_eq!(v[0]["beginWindow"], "2025-05-18T21:00:00Z");
}

#[test]
fn vendors_test_traces_every_field() {
    let profile = repo().join("crates/mnp-parsers/profiles/northwind-fibre.toml");
    let mail = repo().join("corpus/northwind-fibre/2025-05-planned.eml");
    let out = mnp(&[
        "vendors",
        "test",
        profile.to_str().unwrap(),
        mail.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("id        = NWF-CHG-2025-0418"), "{s}");
    assert!(
        s.contains("begin     = 2025-05-18T21:00:00+00:00")
            && s.contains("text \"18/05/2025 23:00\""),
        "{s}"
    );
    assert!(s.contains("NWF-WAV-200871 (NO-IMPACT)"), "{s}");
    let bad = tmpdir("bad").join("bad.toml");
    std::fs::write(&bad, "id = \"Bad Id\"\n").unwrap();
    let out = mnp(&[
        "vendors",
        "test",
        bad.to_str().unwrap(),
        mail.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.toml:1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
