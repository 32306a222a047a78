//! `mnp simulate` → `mnp maxout replay` → episodes in the store and alert
//! mails in the outbox folder, with the exact counts the simulator
//! promises ([`Simulator::expected`]), recipients from the customer record,
//! escaped customer data, and no duplicates on a second replay. SQLite
//! always; PostgreSQL when `MNP_TEST_POSTGRES_URL` is set.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mnp_core::Email;
use mnp_maxout::engine::Rule;
use mnp_maxout::simulate::Simulator;
use mnp_store::{Circuit, MaxoutFilter, Store};
use mnp_testkit::eml_files as emls;

mod common;
use common::{add_customer, sim_cmd, sim_config};

fn tmpdir(tag: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-maxout-cli", tag)
}

/// SQLite always; a fresh PostgreSQL database when configured.
fn databases(tag: &str) -> Vec<(PathBuf, String)> {
    mnp_testkit::database_dirs("mnp-maxout-cli", tag)
}

fn run(dir: &Path, db: &str, args: &[&str]) -> Output {
    let o = mnp_testkit::clean_command(env!("CARGO_BIN_EXE_mnp"))
        .current_dir(dir)
        .args(["--database", db])
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "mnp {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

const EVIL_NAME: &str = r#"Evil <script>alert("x")</script> & Co"#;

/// The simulator's circuits in the inventory. The maxing-out ones
/// (indices 0, 5, 10, 15) go to the three seeded customers and one whose
/// name needs escaping.
fn add_sim_circuits(db: &str) {
    add_customer(db, "evil-corp", EVIL_NAME, "noc@evil-corp.example");
    let customers = ["lakeside-isp", "prairie-net", "acme-widgets", "evil-corp"];
    common::add_sim_circuits(db, |i| customers[(i / 5) % 4]);
}

#[test]
fn simulate_replay_stores_exact_episodes_and_mails_once() {
    let sim = Simulator::new(sim_config()).unwrap();
    let expected = sim.expected(&Rule::default()).unwrap();
    // 4 maxing circuits × 2 windows in 2 h, each long enough to open and resolve.
    assert_eq!((expected.opened, expected.resolved), (8, 8));
    let sim_args = sim_cmd(&[]);
    for (dir, db) in databases("replay") {
        run(&dir, &db, &["db", "init"]);
        run(&dir, &db, &["db", "seed"]);
        add_sim_circuits(&db);

        let mut a = sim_args.to_vec();
        a.extend(["--format", "lineprotocol", "--output", "sim.lp"]);
        run(&dir, &db, &a);
        // deterministic: stdout equals the file
        let again = run(&dir, &db, &sim_args);
        assert_eq!(again.stdout, std::fs::read(dir.join("sim.lp")).unwrap());

        let out = run(&dir, &db, &["maxout", "replay", "--input", "sim.lp"]);
        let summary = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            summary.contains("8 episode(s) opened, 8 resolved, 8 new stored"),
            "{summary}"
        );

        let mut s = Store::open(&db).unwrap();
        let eps = s.maxout_events(&MaxoutFilter::default()).unwrap();
        assert_eq!(eps.len(), expected.opened, "{db}");
        assert_eq!(
            eps.iter().filter(|e| e.ended_at.is_some()).count(),
            expected.resolved
        );
        assert!(
            eps.iter()
                .all(|e| e.peak_percent >= 100.0 && e.alerted_at.is_some())
        );
        let planned = sim.planned();
        for e in &eps {
            assert!(
                planned
                    .iter()
                    .any(|p| p.circuit == e.circuit_ref && p.start == e.started_at),
                "episode {} at {} was not planned",
                e.circuit_ref,
                e.started_at
            );
        }

        let outbox = dir.join("outbox");
        let files = emls(&outbox);
        assert_eq!(files.len(), expected.opened, "one mail per episode");
        let mut evil = 0;
        for f in &files {
            let raw = std::fs::read(f).unwrap();
            let m = Email::parse(&raw).unwrap();
            let ep_id = m.header("X-Mnp-Maxout-Event").unwrap().trim().to_string();
            let ep = eps
                .iter()
                .find(|e| e.maxout_event_id.to_string() == ep_id)
                .unwrap();
            let cust = s
                .customer(ep.customer_id.as_deref().unwrap())
                .unwrap()
                .unwrap();
            assert_eq!(
                m.header("To").unwrap().trim(),
                cust.contact_email.as_deref().unwrap()
            );
            let cc = m.header("Cc").unwrap();
            assert!(
                cc.contains(cust.account_manager_email.as_deref().unwrap()),
                "{cc}"
            );
            assert!(cc.contains("cx@mnp-demo.example"), "{cc}");
            assert!(m.subject.contains(&ep.circuit_ref), "{}", m.subject);
            let html: String = m.bodies("text/html").collect();
            let text: String = m.bodies("text/plain").collect();
            assert!(html.contains(&ep.circuit_ref) && text.contains(&ep.circuit_ref));
            if cust.customer_id == "evil-corp" {
                evil += 1;
                assert!(!html.contains("<script>"), "customer name not escaped");
                assert!(html.contains("&lt;script&gt;"), "{html}");
                assert!(text.contains(EVIL_NAME), "plain text shows the name as is");
            }
        }
        assert_eq!(evil, 2, "SIM-0016 maxes out twice");
        assert_eq!(s.outbox(false).unwrap().len(), 0, "all delivered");

        // Replaying the same telemetry (here: as JSON) adds nothing.
        let mut a = sim_args.to_vec();
        a.extend(["--format", "json", "--output", "sim.json"]);
        run(&dir, &db, &a);
        for input in ["sim.lp", "sim.json"] {
            let out = run(&dir, &db, &["maxout", "replay", "--input", input]);
            let summary = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(
                summary.contains("0 new stored; 0 mail(s) queued, 0 written"),
                "{input}: {summary}"
            );
        }
        assert_eq!(s.maxout_events(&MaxoutFilter::default()).unwrap().len(), 8);
        assert_eq!(emls(&outbox).len(), 8);
        assert_eq!(s.outbox(true).unwrap().len(), 8);

        // Reports.
        let out = run(
            &dir,
            &db,
            &["maxout", "report", "--format", "json", "--svg", "charts"],
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 8);
        assert_eq!(std::fs::read_dir(dir.join("charts")).unwrap().count(), 4);
        run(
            &dir,
            &db,
            &[
                "maxout",
                "report",
                "--svg",
                "detail",
                "--telemetry",
                "sim.lp",
            ],
        );
        let svg = std::fs::read_to_string(dir.join("detail/SIM-0016.svg")).unwrap();
        assert!(svg.contains("<polyline"), "a line through every sample");
        assert!(svg.contains("SIM-0016 (evil-corp)"));
        let out = run(
            &dir,
            &db,
            &[
                "maxout",
                "report",
                "--customer",
                "evil-corp",
                "--period",
                "2024-01",
                "--format",
                "csv",
            ],
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
        let out = run(&dir, &db, &["maxout", "report", "--period", "2024-02"]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("0 episode(s)"));
        // One day of data is not a trend: nothing listed, but it runs.
        let out = run(
            &dir,
            &db,
            &[
                "maxout",
                "forecast",
                "--days",
                "30",
                "--today",
                "2024-01-01",
            ],
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("0 circuit(s)"));
    }
}

#[test]
fn counter_telemetry_gives_the_same_episodes_as_rates() {
    let expected = Simulator::new(sim_config())
        .unwrap()
        .expected(&Rule::default())
        .unwrap();
    for (dir, db) in databases("counters") {
        run(&dir, &db, &["db", "init"]);
        run(&dir, &db, &["db", "seed"]);
        add_sim_circuits(&db);
        run(&dir, &db, &sim_cmd(&["--counters", "--output", "sim.lp"]));
        let lp = std::fs::read_to_string(dir.join("sim.lp")).unwrap();
        assert!(
            lp.contains("ifHCInOctets") && lp.contains("ifInOctets"),
            "64- and 32-bit"
        );
        run(
            &dir,
            &db,
            &["maxout", "replay", "--input", "sim.lp", "--outbox", "mails"],
        );
        let mut s = Store::open(&db).unwrap();
        let eps = s.maxout_events(&MaxoutFilter::default()).unwrap();
        assert_eq!(eps.len(), expected.opened, "{db}");
        assert_eq!(emls(&dir.join("mails")).len(), expected.opened);
        let m = Email::parse(&std::fs::read(&emls(&dir.join("mails"))[0]).unwrap()).unwrap();
        assert_eq!(m.header("From").unwrap().trim(), "noc@mnp.example");
    }
}

#[test]
fn simulate_refuses_counters_as_json() {
    let dir = tmpdir("json-counters");
    let o = Command::new(env!("CARGO_BIN_EXE_mnp"))
        .current_dir(&dir)
        .args(["simulate", "--counters", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--counters needs --format lineprotocol"));
}

/// Regression guard for engine restore: telemetry split in two replays,
/// cut while episodes are open, must give the same episodes and mails as
/// one replay (the open episode continues, no second alert).
#[test]
fn split_replay_continues_open_episodes_without_a_second_alert() {
    let expected = Simulator::new(sim_config())
        .unwrap()
        .expected(&Rule::default())
        .unwrap();
    for (dir, db) in databases("split") {
        run(&dir, &db, &["db", "init"]);
        run(&dir, &db, &["db", "seed"]);
        add_sim_circuits(&db);
        let out = run(&dir, &db, &sim_cmd(&[]));
        let text = String::from_utf8(out.stdout).unwrap();
        // 2024-01-01T00:10:00Z: inside the first maxout windows
        let cut = "1704067800000000000";
        let (a, b): (Vec<&str>, Vec<&str>) = text
            .lines()
            .partition(|l| l.rsplit(' ').next().unwrap() < cut);
        std::fs::write(dir.join("a.lp"), a.join("\n") + "\n").unwrap();
        std::fs::write(dir.join("b.lp"), b.join("\n") + "\n").unwrap();
        run(
            &dir,
            &db,
            &["maxout", "replay", "--input", "a.lp", "--resolved-mail"],
        );
        let mut s = Store::open(&db).unwrap();
        let open = s.open_maxouts().unwrap().len();
        assert!(open > 0, "the cut must fall inside an episode");
        run(
            &dir,
            &db,
            &["maxout", "replay", "--input", "b.lp", "--resolved-mail"],
        );
        let eps = s.maxout_events(&MaxoutFilter::default()).unwrap();
        assert_eq!(eps.len(), expected.opened, "{db}");
        assert!(s.open_maxouts().unwrap().is_empty());
        let mails = s.outbox(true).unwrap();
        let opened = mails.iter().filter(|m| m.kind == "opened").count();
        let resolved = mails.iter().filter(|m| m.kind == "resolved").count();
        assert_eq!((opened, resolved), (expected.opened, expected.resolved));
        assert_eq!(
            emls(&dir.join("outbox")).len(),
            expected.opened + expected.resolved
        );
    }
}

#[test]
fn forecast_lists_the_circuits_at_capacity_from_daily_peaks() {
    for (dir, db) in databases("forecast") {
        run(&dir, &db, &["db", "init"]);
        run(&dir, &db, &["db", "seed"]);
        add_sim_circuits(&db);
        run(
            &dir,
            &db,
            &[
                "simulate",
                "--circuits",
                "16",
                "--duration",
                "10d",
                "--interval",
                "5m",
                "--seed",
                "7",
                "--output",
                "sim.lp",
            ],
        );
        run(&dir, &db, &["maxout", "replay", "--input", "sim.lp"]);
        let mut s = Store::open(&db).unwrap();
        let from = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(s.daily_peaks(from).unwrap().len(), 16 * 10, "{db}");
        // Horizon 0: only circuits whose trend is at capacity today.
        let out = run(
            &dir,
            &db,
            &[
                "maxout",
                "forecast",
                "--days",
                "0",
                "--today",
                "2024-01-10",
                "--format",
                "json",
            ],
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ids: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["circuit"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            ["SIM-0001", "SIM-0006", "SIM-0011", "SIM-0016"],
            "{db}"
        );
        assert!(v.as_array().unwrap().iter().all(|p| p["daysLeft"] == 0));
    }
}

#[test]
fn failed_outbox_writes_stay_queued_and_are_retried_with_backoff() {
    for (dir, db) in databases("retry") {
        run(&dir, &db, &["db", "init"]);
        run(&dir, &db, &["db", "seed"]);
        add_sim_circuits(&db);
        run(&dir, &db, &sim_cmd(&["--output", "sim.lp"]));
        // a file where the folder should be: every write fails
        std::fs::write(dir.join("blocked"), "not a folder").unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_mnp"))
            .current_dir(&dir)
            .env_remove("MNP_DATABASE_URL")
            .args(["--database", &db, "maxout", "replay", "--input", "sim.lp"])
            .args(["--outbox", "blocked"])
            .output()
            .unwrap();
        let summary = String::from_utf8_lossy(&o.stdout).into_owned();
        assert_eq!(o.status.code(), Some(1), "{summary}");
        assert!(summary.contains("8 mail(s) queued, 0 written") && summary.contains("8 failed"));
        let mut s = Store::open(&db).unwrap();
        let q = s.outbox(false).unwrap();
        assert_eq!(q.len(), 8);
        assert!(q.iter().all(|m| m.attempts == 1 && m.last_error.is_some()));
        let list = run(&dir, &db, &["maxout", "outbox", "--list"]);
        assert!(String::from_utf8_lossy(&list.stdout).contains("retry "));

        std::fs::remove_file(dir.join("blocked")).unwrap();
        // not due yet: backoff
        let out = run(&dir, &db, &["maxout", "outbox", "--dir", "blocked"]);
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 mail(s) written"));
        let later = (chrono::Utc::now() + chrono::Duration::minutes(5)).to_rfc3339();
        let out = run(
            &dir,
            &db,
            &["maxout", "outbox", "--dir", "blocked", "--now", &later],
        );
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("8 mail(s) written"));
        assert_eq!(emls(&dir.join("blocked")).len(), 8);
        assert!(s.outbox(false).unwrap().is_empty());
    }
}

/// Per-customer and per-circuit thresholds from a rules file (or the
/// `[maxout]` tables of mnp.toml): the circuit's override beats the
/// customer's, the customer's beats the default; bad files name the line.
#[test]
fn customer_and_circuit_rules_decide_which_circuits_max_out() {
    let dir = tmpdir("rules");
    let db = format!("sqlite:{}", dir.join("mnp.db").display());
    run(&dir, &db, &["db", "init"]);
    run(&dir, &db, &["db", "seed"]);
    {
        let mut s = Store::open(&db).unwrap();
        for (id, customer) in [
            ("R-ACME-1", "acme-widgets"),
            ("R-ACME-2", "acme-widgets"),
            ("R-LAKE-1", "lakeside-isp"),
        ] {
            s.upsert_circuit(&Circuit {
                internal_circuit_id: uuid::Uuid::new_v4(),
                vendor_circuit_id: id.into(),
                vendor_id: "fiberprovider".into(),
                customer_id: Some(customer.into()),
                provisioned_bps: Some(1_000_000_000),
                burst_bps: None,
                sla_id: None,
                sla_epoch: None,
                description: String::new(),
            })
            .unwrap();
        }
    }
    // Five samples a minute apart: ACME-1 and LAKE-1 at 85 %, ACME-2 at 90 %.
    let mut lp = String::new();
    for i in 0..5i64 {
        let ts = (1_767_261_600 + 60 * i) * 1_000_000_000; // 2026-01-01T10:00Z + i min
        for (c, bps) in [
            ("R-ACME-1", 850_000_000),
            ("R-ACME-2", 900_000_000),
            ("R-LAKE-1", 850_000_000),
        ] {
            lp.push_str(&format!(
                "interface,circuit={c} in_bps={bps},out_bps=1000 {ts}\n"
            ));
        }
    }
    std::fs::write(dir.join("t.lp"), &lp).unwrap();
    std::fs::write(
        dir.join("rules.toml"),
        "[customers.acme-widgets]\nthreshold_percent = 80\nresolve_below_percent = 70\n\n\
         [circuits.\"R-ACME-2\"]\nthreshold_percent = 95\n",
    )
    .unwrap();
    let opened = |db: &str| {
        let mut s = Store::open(db).unwrap();
        let mut v: Vec<String> = s
            .maxout_events(&MaxoutFilter::default())
            .unwrap()
            .into_iter()
            .map(|m| m.circuit_ref)
            .collect();
        v.sort();
        v
    };

    // Default rule (100 %): nobody is over.
    let out = run(&dir, &db, &["maxout", "replay", "--input", "t.lp"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 episode(s) opened"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The rules file: only ACME-1 (85 ≥ 80; ACME-2's own 95 wins over 80).
    let db2 = format!("sqlite:{}", dir.join("rules.db").display());
    run(&dir, &db2, &["db", "init"]);
    run(&dir, &db2, &["db", "seed"]);
    {
        let mut from = Store::open(&db).unwrap();
        let mut to = Store::open(&db2).unwrap();
        for c in from.circuits().unwrap() {
            to.upsert_circuit(&c).unwrap();
        }
    }
    run(
        &dir,
        &db2,
        &[
            "maxout",
            "replay",
            "--input",
            "t.lp",
            "--rules",
            "rules.toml",
        ],
    );
    assert_eq!(opened(&db2), vec!["R-ACME-1".to_string()]);

    // The same rules inline in mnp.toml.
    let db3 = format!("sqlite:{}", dir.join("inline.db").display());
    run(&dir, &db3, &["db", "init"]);
    run(&dir, &db3, &["db", "seed"]);
    {
        let mut from = Store::open(&db).unwrap();
        let mut to = Store::open(&db3).unwrap();
        for c in from.circuits().unwrap() {
            to.upsert_circuit(&c).unwrap();
        }
    }
    std::fs::write(
        dir.join("mnp.toml"),
        "[maxout.customers.acme-widgets]\nthreshold_percent = 80\nresolve_below_percent = 70\n",
    )
    .unwrap();
    run(&dir, &db3, &["maxout", "replay", "--input", "t.lp"]);
    // ACME-2 has no override here: 90 ≥ 80 opens it too.
    assert_eq!(
        opened(&db3),
        vec!["R-ACME-1".to_string(), "R-ACME-2".to_string()]
    );
    std::fs::remove_file(dir.join("mnp.toml")).unwrap();

    // Bad files: a wrong type names the line; an impossible rule names the override.
    std::fs::write(
        dir.join("bad.toml"),
        "[defaults]\nopen_samples = 3\nthreshold_percent = \"high\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("worse.toml"),
        "[circuits.\"R-ACME-1\"]\nthreshold_percent = 60\nresolve_below_percent = 75\n",
    )
    .unwrap();
    for (file, want) in [("bad.toml", "line 3"), ("worse.toml", "R-ACME-1")] {
        let o = Command::new(env!("CARGO_BIN_EXE_mnp"))
            .current_dir(&dir)
            .env_remove("MNP_CONFIG")
            .args([
                "--database",
                &db,
                "maxout",
                "replay",
                "--input",
                "t.lp",
                "--rules",
                file,
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{file}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(file) && e.contains(want), "{file}: {e}");
    }
}
