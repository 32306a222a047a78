//! Runtime plugins: the example cdylib is built and loaded; a panicking, a
//! garbage-returning and a wrong-ABI plugin give clear errors while the host
//! keeps working.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Build the example plugins into their own target dir (no lock contention
/// with the running `cargo test`) and return the directory holding them.
fn built_plugins() -> PathBuf {
    let target = repo().join("target/plugin-tests");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .current_dir(repo())
        .args([
            "build",
            "--quiet",
            "-p",
            "mnp-plugin-example",
            "-p",
            "mnp-plugin-wrong-abi",
            "--target-dir",
        ])
        .arg(&target)
        .status()
        .unwrap();
    assert!(st.success(), "building the example plugins failed");
    target.join("debug")
}

fn lib(name: &str) -> String {
    format!(
        "{}{name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

fn plugin_dir(tag: &str, libs: &[&str]) -> PathBuf {
    let built = built_plugins();
    let d = std::env::temp_dir().join(format!("mnp-plugins-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for l in libs {
        std::fs::copy(built.join(lib(l)), d.join(lib(l))).unwrap();
    }
    d
}

fn mnp(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(args)
        .output()
        .unwrap()
}

const GOOD: &str = "From: ops@example-networks.test\r\nSubject: Example Networks maintenance EXN-42\r\n\r\nReference: EXN-42\r\nStatus: confirmed\r\nStart: 2024-05-01T22:00:00Z\r\nEnd: 2024-05-02T02:00:00Z\r\nCircuit: EXN-CKT-1\r\nCircuit: EXN-CKT-2\r\n";

#[test]
fn example_plugin_is_listed_and_parses() {
    let dir = plugin_dir("ok", &["mnp_plugin_example"]);
    let out = mnp(&[
        "--plugin-dir",
        dir.to_str().unwrap(),
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
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "example-networks")
        .expect("plugin listed");
    assert!(e["origin"].as_str().unwrap().starts_with("plugin "), "{e}");
    assert!(e["origin"].as_str().unwrap().contains("mnp_plugin_example"));
    let bcop = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "bcop")
        .unwrap();
    assert_eq!(bcop["origin"], "built-in");

    let mail = dir.join("good.eml");
    std::fs::write(&mail, GOOD).unwrap();
    let out = mnp(&[
        "--plugin-dir",
        dir.to_str().unwrap(),
        "parse",
        "--view",
        "maintenance",
        mail.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["maintenanceId"], "EXN-42");
    assert_eq!(v[0]["beginWindow"], "2024-05-01T22:00:00Z");
    assert_eq!(v[0]["circuits"].as_array().unwrap().len(), 2);
}

#[test]
fn misbehaving_plugins_give_clear_errors_and_the_host_goes_on() {
    let dir = plugin_dir("bad", &["mnp_plugin_example", "mnp_plugin_wrong_abi"]);
    let mails = dir.join("mails");
    std::fs::create_dir_all(&mails).unwrap();
    std::fs::write(
        mails.join("1-panic.eml"),
        GOOD.replace("Subject:", "X-Example-Behaviour: panic\r\nSubject:"),
    )
    .unwrap();
    std::fs::write(
        mails.join("2-garbage.eml"),
        GOOD.replace("Subject:", "X-Example-Behaviour: garbage\r\nSubject:"),
    )
    .unwrap();
    std::fs::write(mails.join("3-good.eml"), GOOD).unwrap();
    let out = mnp(&[
        "--plugin-dir",
        dir.to_str().unwrap(),
        "parse",
        "--format",
        "jsonl",
        mails.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("ABI version 999 is not supported"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1-panic.eml")
            && stderr.contains("panicked: example plugin asked to panic"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2-garbage.eml") && stderr.contains("invalid JSON"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        events
            .iter()
            .filter(|e| e["vendorMaintenanceId"] == "EXN-42")
            .count(),
        2,
        "the good mail still parses: {stdout}"
    );
}

#[test]
#[cfg(unix)]
fn plugins_load_only_from_the_named_directory() {
    let outside = plugin_dir("outside", &["mnp_plugin_example"]);
    let dir = std::env::temp_dir().join(format!("mnp-plugins-link-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink(
        outside.join(lib("mnp_plugin_example")),
        dir.join(lib("linked")),
    )
    .unwrap();
    std::fs::copy(
        outside.join(lib("mnp_plugin_example")),
        dir.join("sub").join(lib("nested")),
    )
    .unwrap();
    let out = mnp(&[
        "--plugin-dir",
        dir.to_str().unwrap(),
        "vendors",
        "list",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("resolves outside the plugin directory"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != "example-networks"),
        "neither the link nor sub/ is loaded"
    );
}

#[test]
fn config_file_names_plugin_dirs() {
    let dir = plugin_dir("cfg", &["mnp_plugin_example"]);
    std::fs::write(dir.join("mnp.toml"), "plugin_dirs = [\".\"]\n").unwrap();
    let out = mnp(&[
        "--config",
        dir.join("mnp.toml").to_str().unwrap(),
        "vendors",
        "show",
        "example-networks",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Example Networks (plugin)"));
    std::fs::write(dir.join("bad.toml"), "plugin_dirz = 1\n").unwrap();
    let out = mnp(&[
        "--config",
        dir.join("bad.toml").to_str().unwrap(),
        "vendors",
        "list",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad config"));
}
