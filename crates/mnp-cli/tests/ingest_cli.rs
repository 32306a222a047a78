//! `mnp db`, `mnp circuits import`, `mnp ingest`, `mnp maintenances list`
//! end to end on a temporary SQLite database.

use std::path::{Path, PathBuf};
use std::process::Output;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tmpdir(tag: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-ingest-cli", tag)
}

fn mnp(dir: &Path, args: &[&str]) -> Output {
    mnp_testkit::clean_command(env!("CARGO_BIN_EXE_mnp"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn circuit_import_validates_every_row_and_imports_nothing_on_error() {
    let d = tmpdir("import");
    std::fs::write(
        d.join("bad.csv"),
        "vendor,vendorCircuitId,customer,provisionedBps\n\
         fiberprovider,IC-1,acme,1000000000\n\
         nosuchcarrier,X-1,acme,10\n\
         fiberprovider,ic 1,acme,10\n\
         zayo,OGYX/1,acme,fast\n\
         zayo,OGYX/2,acme\n",
    )
    .unwrap();
    let o = mnp(&d, &["circuits", "import", "bad.csv"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("4 invalid row(s), nothing imported"), "{e}");
    assert!(
        e.contains("line 3: unknown vendor \"nosuchcarrier\""),
        "{e}"
    );
    assert!(
        e.contains("line 4: duplicate circuit fiberprovider/ic 1 (first on line 2)"),
        "{e}"
    );
    assert!(
        e.contains("line 5: provisionedBps \"fast\" is not a non-negative integer"),
        "{e}"
    );
    assert!(e.contains("line 6: malformed row"), "{e}");
    assert_eq!(
        ok(&mnp(&d, &["circuits", "list"])).lines().count(),
        0,
        "nothing imported"
    );

    // aliases resolve; the good file imports
    std::fs::write(
        d.join("good.csv"),
        "vendor,vendorCircuitId,customer,provisionedBps,slaEpoch\n\
         fiberprovider,IC-40211,lakeside,10000000000,2024-01-01T00:00:00Z\n\
         level3,LUMEN-77,acme,1000000000,\n",
    )
    .unwrap();
    assert!(ok(&mnp(&d, &["circuits", "import", "good.csv"])).contains("imported 2 circuits"));
    let list = ok(&mnp(&d, &["circuits", "list"]));
    assert!(
        list.contains("fiberprovider") && list.contains("IC-40211"),
        "{list}"
    );
    assert!(
        list.contains("lumen") && list.contains("LUMEN-77"),
        "the alias level3 is stored as lumen: {list}"
    );
}

#[test]
fn ingest_is_idempotent_and_lists_and_exports_what_it_stored() {
    let d = tmpdir("ingest");
    ok(&mnp(&d, &["db", "init"]));
    assert!(ok(&mnp(&d, &["db", "seed"])).contains("seeded 3 customers and 8 circuits"));
    let src = format!("files:{}", repo().join("corpus/fiberprovider").display());
    let first = ok(&mnp(&d, &["ingest", "--source", &src]));
    assert!(first.contains("4 message(s), 0 already known"), "{first}");
    assert!(first.contains("MaintIgnored=1"), "{first}");
    let again = ok(&mnp(&d, &["ingest", "--source", &src]));
    assert!(again.contains("4 message(s), 4 already known"), "{again}");

    let json = ok(&mnp(
        &d,
        &[
            "maintenances",
            "list",
            "--format",
            "json",
            "--vendor",
            "fiberprovider",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let evs = v.as_array().unwrap();
    // PWIC20871: 3 circuits, PWIC21410: 3 circuits, PWIC20955 (cancelled): 1
    assert_eq!(evs.len(), 7, "{json}");
    let ic = evs
        .iter()
        .find(|e| {
            e["parsedVendorCircuitId"] == "IC-40211" && e["vendorMaintenanceId"] == "PWIC20871"
        })
        .unwrap();
    assert!(
        ic["internalCircuitId"].is_string(),
        "seeded circuit matched"
    );
    assert_eq!(ic["beginWindow"], "2024-05-15T04:00:00Z");

    let ics = ok(&mnp(
        &d,
        &[
            "maintenances",
            "list",
            "--format",
            "ics",
            "--vendor",
            "fiberprovider",
        ],
    ));
    let back = mnp_parsers::vendors::bcop::parse_calendar_text(&ics).unwrap();
    assert_eq!(back.len(), 2, "two windowed maintenances in the feed");
    let m = back
        .iter()
        .find(|m| m.maintenance_id == "PWIC20871")
        .unwrap();
    assert_eq!(
        m.window.unwrap().begin().to_rfc3339(),
        "2024-05-15T04:00:00+00:00"
    );
    assert_eq!(m.circuits.len(), 3);

    let status = ok(&mnp(&d, &["db", "status"]));
    assert!(status.contains("notifications: 4"), "{status}");

    // config file: database and sources
    std::fs::write(
        d.join("mnp.toml"),
        format!(
            "database_url = \"sqlite:{}\"\nsources = [\"{src}\"]\n",
            d.join("other.db").display()
        ),
    )
    .unwrap();
    let o = ok(&mnp(&d, &["ingest"]));
    assert!(
        o.contains("4 message(s), 0 already known"),
        "a fresh database from mnp.toml: {o}"
    );
    assert!(d.join("other.db").is_file());
}

#[test]
fn unknown_source_and_unreachable_database_are_clear_errors() {
    let d = tmpdir("errors");
    let o = mnp(&d, &["ingest", "--source", "ftp://x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown source \"ftp://x\""));
    let o = mnp(
        &d,
        &[
            "db",
            "status",
            "--database",
            "postgres://nobody:secret@127.0.0.1:1/none",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("cannot open database") && !e.contains("secret"),
        "password redacted: {e}"
    );
}

/// Mail from a sender no parser knows: the generic parser reads it; a clear
/// notice about a known circuit is stored under that circuit's vendor, a
/// vague one is labelled for a human (and everything is, with --no-generic).
#[test]
fn unrouted_mail_is_read_by_the_generic_parser_or_left_for_a_human() {
    let run = |tag: &str, extra: &[&str]| {
        let d = tmpdir(tag);
        ok(&mnp(&d, &["db", "init"]));
        std::fs::write(
            d.join("inventory.csv"),
            "vendor,vendorCircuitId,customer,provisionedBps\n\
             zayo,OGYX/418823//ZYO,lakeside,10000000000\n",
        )
        .unwrap();
        ok(&mnp(&d, &["circuits", "import", "inventory.csv"]));
        let inbox = d.join("inbox");
        std::fs::create_dir_all(&inbox).unwrap();
        std::fs::write(
            inbox.join("clear.eml"),
            "From: Service Desk <change@harbourline-networks.example>\r\n\
             To: noc@operator.example\r\n\
             Subject: Planned maintenance HLN-CM-20250311\r\n\
             Message-ID: <hln-20250311@harbourline-networks.example>\r\n\
             Date: Mon, 24 Feb 2025 10:12:00 +0000\r\n\
             \r\n\
             Dear customer,\r\n\
             \r\n\
             We will carry out planned maintenance on our backbone.\r\n\
             \r\n\
             Reference: HLN-CM-20250311\r\n\
             Start: 2025-03-11 23:00 UTC\r\n\
             End: 2025-03-12 04:00 UTC\r\n\
             Circuit ID: OGYX/418823//ZYO\r\n\
             Impact: Outage\r\n\
             \r\n\
             Harbourline Networks NOC\r\n",
        )
        .unwrap();
        std::fs::write(
            inbox.join("vague.eml"),
            "From: hello@harbourline-networks.example\r\n\
             To: noc@operator.example\r\n\
             Subject: Network news\r\n\
             Message-ID: <news-1@harbourline-networks.example>\r\n\
             Date: Mon, 24 Feb 2025 10:15:00 +0000\r\n\
             \r\n\
             We keep improving our network. Thank you for being a customer.\r\n",
        )
        .unwrap();
        let src = format!("files:{}", inbox.display());
        let mut args = vec!["ingest", "--source", src.as_str()];
        args.extend_from_slice(extra);
        let out = ok(&mnp(&d, &args));
        let json = ok(&mnp(&d, &["maintenances", "list", "--format", "json"]));
        let events: serde_json::Value = serde_json::from_str(&json).unwrap();
        let json = ok(&mnp(
            &d,
            &["notifications", "list", "--for-human", "--format", "json"],
        ));
        let human: serde_json::Value = serde_json::from_str(&json).unwrap();
        (
            out,
            events.as_array().unwrap().clone(),
            human.as_array().unwrap().clone(),
        )
    };

    let (out, events, human) = run("generic-on", &[]);
    assert!(
        out.contains("2 message(s), 0 already known, MaintParseSuccess=1 MaintUnknownVendor=1"),
        "{out}"
    );
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e["vendorId"], "zayo");
    assert_eq!(e["vendorMaintenanceId"], "HLN-CM-20250311");
    assert_eq!(e["beginWindow"], "2025-03-11T23:00:00Z");
    assert_eq!(e["endWindow"], "2025-03-12T04:00:00Z");
    assert_eq!(e["parsedVendorCircuitId"], "OGYX/418823//ZYO");
    assert!(e["internalCircuitId"].is_string(), "{e}");
    assert_eq!(e["impact"], "OUTAGE");
    // The newsletter is in the dead-letter queue, with the reason.
    assert_eq!(human.len(), 1, "{human:?}");
    assert_eq!(human[0]["subject"], "Network news");
    assert_eq!(human[0]["label"], "MaintUnknownVendor");
    let why = human[0]["errorText"].as_str().unwrap();
    assert!(why.contains("no parser"), "{why}");

    let (out, events, human) = run("generic-off", &["--no-generic"]);
    assert!(out.contains("MaintUnknownVendor=2"), "{out}");
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(human.len(), 2, "{human:?}");

    let d = tmpdir("generic-bad-threshold");
    let o = mnp(
        &d,
        &[
            "ingest",
            "--source",
            "files:.",
            "--generic-min-confidence",
            "1.5",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("between 0 and 1"));
}
