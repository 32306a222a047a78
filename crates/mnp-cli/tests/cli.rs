//! End-to-end tests of the `mnp` binary: exit codes, views, formats, inputs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn mnp() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mnp"))
}

fn corpus(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(p)
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = mnp();
    c.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        let mut si = child.stdin.take().unwrap();
        if let Some(b) = stdin {
            si.write_all(b).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mnp-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const FIBER: &str = "fiberprovider/2024-05-two-circuits-cdt.eml";

#[test]
fn events_view_is_the_default_and_lists_every_circuit() {
    let f = corpus(FIBER);
    let out = run(&["parse", f.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["objectType"], "maintForecastEvent");
    assert_eq!(arr[0]["parsedVendorCircuitId"], "IC-40211");
    assert_eq!(arr[2]["parsedVendorCircuitId"], "IC-40390");
    assert_eq!(arr[0]["beginWindow"], "2024-05-15T04:00:00Z");
    assert_eq!(arr[0]["impactSeconds"], 93600);
    assert_eq!(arr[0]["vendorMaintenanceId"], "PWIC20871");
    assert!(arr[0]["source"].as_str().unwrap().ends_with(".eml"));
}

#[test]
fn maintenance_view_and_directory_walk() {
    let dir = corpus("fiberprovider");
    let out = run(
        &[
            "parse",
            "--view",
            "maintenance",
            "--format",
            "jsonl",
            dir.to_str().unwrap(),
        ],
        None,
    );
    // the reject/ mail is ignored (not maintenance), not failed
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["maintenanceId"].as_str())
        .collect();
    assert_eq!(ids, ["PWIC20871", "PWIC20955", "PWIC21410"]);
    assert_eq!(
        lines.iter().filter(|l| l.get("ignored").is_some()).count(),
        1
    );
}

#[test]
fn failures_exit_1_and_the_batch_goes_on() {
    let d = tmpdir("fail");
    std::fs::write(d.join("a-empty.eml"), b"").unwrap();
    std::fs::write(d.join("b-garbage.eml"), b"\x00\x01\x02garbage").unwrap();
    std::fs::write(
        d.join("c-unrouted.eml"),
        b"From: someone@unknown.example\r\nSubject: hi\r\n\r\nhello",
    )
    .unwrap();
    let mut deep = String::new();
    for i in 0..10_000 {
        deep.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
        ));
    }
    std::fs::write(d.join("d-deep.eml"), deep).unwrap();
    std::fs::copy(corpus(FIBER), d.join("e-good.eml")).unwrap();
    let out = run(&["parse", "--format", "jsonl", d.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let recs: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = recs.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds, ["malformed", "malformed", "unrouted", "too-deep"]);
    assert_eq!(
        recs.iter()
            .filter(|r| r["objectType"] == "maintForecastEvent")
            .count(),
        3,
        "the good mail still parses"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("c-unrouted.eml: no parser for sender \"someone@unknown.example\""),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
}

#[test]
fn mbox_on_stdin() {
    let a = std::fs::read(corpus(FIBER)).unwrap();
    let b = std::fs::read(corpus("fiberprovider/2024-06-cancelled.eml")).unwrap();
    let mut mbox = b"From noc@fiberprovider.com Tue Apr 30 21:20:00 2024\n".to_vec();
    mbox.extend_from_slice(&a);
    mbox.extend_from_slice(b"\nFrom noc@fiberprovider.com Mon Jun  3 08:05:00 2024\n");
    mbox.extend_from_slice(&b);
    let out = run(
        &["parse", "--view", "maintenance", "--format", "json", "-"],
        Some(&mbox),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["source"], "-#1");
    assert_eq!(arr[1]["source"], "-#2");
    assert_eq!(arr[1]["status"], "CANCELLED");
}

#[test]
fn table_format_and_forced_vendor() {
    let f = corpus(FIBER);
    let out = run(
        &[
            "parse",
            "--format",
            "table",
            "--vendor",
            "fiberprovider",
            f.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let t = String::from_utf8(out.stdout).unwrap();
    let mut lines = t.lines();
    assert!(lines.next().unwrap().starts_with("VENDOR"));
    let row = lines.next().unwrap();
    assert!(
        row.contains("PWIC20871")
            && row.contains("2024-05-15 04:00Z")
            && row.contains("IC-40388 (OUTAGE)"),
        "{row}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let f = corpus(FIBER);
    assert_eq!(
        run(
            &["parse", "--vendor", "no-such-carrier", f.to_str().unwrap()],
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(&["parse", "--format", "xml", f.to_str().unwrap()], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
    // an unreadable path is a per-mail failure, reported with its name
    let out = run(&["parse", "/nonexistent/mail.eml"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/mail.eml"));
}

#[test]
fn vendors_list_and_show() {
    let out = run(&["vendors", "list", "--format", "json"], None);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"bcop") && ids.contains(&"fiberprovider"));
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "sorted by id");
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|e| e["origin"] == "built-in")
    );
    let out = run(&["vendors", "show", "fiberprovider"], None);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("# Quirks") && s.contains("fiberprovider.com"));
    assert_eq!(
        run(&["vendors", "show", "nope"], None).status.code(),
        Some(2)
    );
}

#[test]
fn vendors_page_is_fresh() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = mnp()
        .current_dir(&repo)
        .args(["vendors", "docs"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let now = String::from_utf8(out.stdout).unwrap();
    assert!(
        now.contains(
            "| `fiberprovider` | Fiber Provider | fiberprovider.com | text, csv, xlsx | 3 (1) |"
        ),
        "{now}"
    );
    let page = std::fs::read_to_string(repo.join("docs/vendors.md")).unwrap_or_default();
    assert!(
        page == now,
        "docs/vendors.md is stale: regenerate with `cargo run -q -p mnp-cli -- vendors docs > docs/vendors.md`"
    );
}
