//! Outages and SLAs end to end with the real `mnp` binary: SLA import, the
//! circuit inventory, a real carrier notice (`corpus/fiberprovider`, window
//! PWIC21410 on 2024-08-20 04:00–09:00 UTC), the port map, a protection
//! group, a Cisco + Juniper syslog file (`tests/data/sla/kc-2024-08.log`),
//! the batch evaluator, `explain`, the reports and `POST /api/v1/log-events`.
//! On SQLite always, and on PostgreSQL when `MNP_TEST_POSTGRES_URL` is set.
//!
//! # The August 2024 numbers, by hand
//!
//! August has 31 × 86,400 = 2,678,400 s. Every circuit has SLA
//! `fiberprovider-99.95` (breach below 99.95 %: 10 % credit; below 99.9 %:
//! 25 %), which allows 1,339.2 s; the protected pair IC-51001 + IC-51003 has
//! `kc-protected-99.99` (below 99.99 %: 50 %), which allows 267.84 s.
//!
//! | circuit | outages (UTC) | outage | in PWIC21410 | counted | availability |
//! |---|---|---|---|---|---|
//! | IC-51001 | 08-20 03:30–04:40, 08-25 10:00–10:15 | 5100 | 2400 | 2700 | 99.899194 % → 25 % |
//! | IC-51002 | 08-20 06:00–06:01 (two flaps merged by a 60 s gap), 08-31 23:50–(09-01 00:20) | 660 | 60 | 600 | 99.977599 % |
//! | IC-51003 | 08-20 04:30–04:50, 08-25 10:05–10:30 | 2700 | 1200 | 1500 | 99.943996 % → 10 % |
//! | kc-pair | both down 08-20 04:30–04:40 (in the window), 08-25 10:05–10:15 | 1200 | 600 | 600 | 99.977599 % → 50 % |
//!
//! The Cisco lines are RFC 3164 in local time (`--zone America/Chicago`,
//! CDT = UTC−5); the Juniper ones RFC 5424 with an offset. A late JSON-lines
//! file then adds IC-51003 08-28 12:00–12:10 (counted 2100 s → 99.921595 %,
//! still 10 %) and closes IC-51002's outage at 09-01 00:20 (September:
//! 1200 s of 2,592,000 → 99.953704 %, no breach).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data(f: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/sla")
        .join(f)
        .display()
        .to_string()
}

fn tmpdir(tag: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-sla-cli", tag)
}

/// SQLite always; a fresh PostgreSQL database when configured.
fn databases(tag: &str) -> Vec<(PathBuf, String)> {
    mnp_testkit::database_dirs("mnp-sla-cli", tag)
}

fn mnp_cmd(dir: &Path, db: &str) -> Command {
    let mut c = mnp_testkit::clean_command(env!("CARGO_BIN_EXE_mnp"));
    c.current_dir(dir).args(["--database", db]);
    c
}

fn run(dir: &Path, db: &str, args: &[&str]) -> Output {
    mnp_cmd(dir, db).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn ok(dir: &Path, db: &str, args: &[&str]) -> String {
    let o = run(dir, db, args);
    assert!(
        o.status.success(),
        "mnp {args:?} failed ({:?}): {}{}",
        o.status.code(),
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    stdout(&o)
}

/// `mnp ... --format csv` rows keyed by their first two columns
/// (`kind,name` or `circuit,provider` …) → the whole line.
fn csv_rows(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .skip(1)
        .map(|l| {
            let key: Vec<&str> = l.splitn(3, ',').take(2).collect();
            (key.join(","), l.to_string())
        })
        .collect()
}

/// The demo network plus everything the scenario needs, up to the log.
fn prepare(dir: &Path, db: &str) {
    ok(dir, db, &["db", "init"]);
    ok(dir, db, &["db", "seed"]);
    let out = ok(dir, db, &["sla", "import", &data("sla.toml")]);
    assert!(
        out.contains("imported 2 SLA(s)") && out.contains("kc-protected-99.99"),
        "{out}"
    );
    ok(dir, db, &["circuits", "import", &data("circuits.csv")]);
    let src = format!("files:{}", repo().join("corpus/fiberprovider").display());
    let out = ok(dir, db, &["ingest", "--source", &src]);
    assert!(out.contains("MaintParseSuccess=3"), "{out}");
    let out = ok(dir, db, &["ports", "import", &data("ports.csv")]);
    assert!(out.contains("imported 3 port(s)"), "{out}");
    let out = ok(dir, db, &["groups", "import", &data("groups.csv")]);
    assert!(out.contains("imported 1 protection group(s)"), "{out}");
    let out = ok(dir, db, &["groups", "list"]);
    assert!(
        out.contains("kc-pair") && out.contains("IC-51001,IC-51003"),
        "{out}"
    );
}

fn detect_august(dir: &Path, db: &str) -> Output {
    run(
        dir,
        db,
        &[
            "outages",
            "detect",
            "--input",
            &data("kc-2024-08.log"),
            "--zone",
            "America/Chicago",
            "--year",
            "2024",
            "--merge-gap",
            "60s",
        ],
    )
}

fn availability(counted: i64, period: i64) -> f64 {
    100.0 - counted as f64 * 100.0 / period as f64
}

#[test]
fn kansas_city_outages_sla_and_reports() {
    for (dir, db) in databases("kc") {
        let dir = dir.as_path();
        let db = db.as_str();
        prepare(dir, db);

        // ---- detection: skipped lines and unknown ports with numbers
        let o = detect_august(dir, db);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "malformed lines → 1: {out}");
        for want in [
            "read 24 line(s): 19 link event(s), 3 other message(s), 2 malformed",
            "not link-state messages: lines 1, 4, 9",
            "line 16: not a syslog line",
            "line 17: cisco-ios: expected `Interface NAME, changed state to STATE`",
            "unknown port kc-pe1 GigabitEthernet0/0/9: 2 event(s) on lines 14-15",
            "6 outage(s): 6 new, 0 closed, 0 updated, 0 unchanged; 1 still open",
            "ignored: 2 UP without DOWN, 2 repeated DOWN, 0 instant flap(s)",
        ] {
            assert!(out.contains(want), "{db}: missing {want:?} in\n{out}");
        }
        // the same log again changes nothing
        let out = stdout(&detect_august(dir, db));
        assert!(
            out.contains("6 outage(s): 0 new, 0 closed, 0 updated, 6 unchanged"),
            "{db}: {out}"
        );
        let listed: Value =
            serde_json::from_str(&ok(dir, db, &["outages", "list", "--format", "json"])).unwrap();
        let spans: Vec<(String, String, Option<i64>)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["circuit"].as_str().unwrap().to_string(),
                    o["begin"].as_str().unwrap().to_string(),
                    o["durationSeconds"].as_i64(),
                )
            })
            .collect();
        let want = [
            ("IC-51001", "2024-08-20T03:30:00Z", Some(4200)),
            ("IC-51001", "2024-08-25T10:00:00Z", Some(900)),
            ("IC-51002", "2024-08-20T06:00:00Z", Some(60)),
            ("IC-51002", "2024-08-31T23:50:00Z", None),
            ("IC-51003", "2024-08-20T04:30:00Z", Some(1200)),
            ("IC-51003", "2024-08-25T10:05:00Z", Some(1500)),
        ];
        let want: Vec<(String, String, Option<i64>)> = want
            .iter()
            .map(|(c, b, d)| (c.to_string(), b.to_string(), *d))
            .collect();
        assert_eq!(spans, want, "{db}");

        // ---- evaluation of August (IC-51002 still open: counts to the month end)
        let now = "2024-09-05T00:00:00Z";
        let out = ok(
            dir,
            db,
            &["sla", "evaluate", "--period", "2024-08", "--now", now],
        );
        assert!(out.contains("picked up 6 unevaluated outage(s)"), "{out}");
        // 3 circuits + 1 group in August, IC-51002's open outage also in September
        assert!(
            out.contains("evaluated 5 measurement(s): 5 written, 0 unchanged; 4 breached"),
            "{db}: {out}"
        );
        let aug = csv_rows(&ok(
            dir,
            db,
            &[
                "report", "sla", "--period", "2024-08", "--all", "--format", "csv",
            ],
        ));
        let expect = |name: &str, tail: &str| {
            let row = aug
                .get(name)
                .unwrap_or_else(|| panic!("{db}: no row {name}: {aug:?}"));
            assert!(row.ends_with(tail), "{db}: {row} should end with {tail}");
        };
        expect("circuit,IC-51001", "5100,2400,2700,99.899194,true,25");
        expect("circuit,IC-51002", "660,60,600,99.977599,false,0");
        expect("circuit,IC-51003", "2700,1200,1500,99.943996,true,10");
        expect("group,kc-pair", "1200,600,600,99.977599,true,50");
        // default: breaches only, worst credit first
        let breaches = ok(
            dir,
            db,
            &["report", "sla", "--period", "2024-08", "--format", "csv"],
        );
        let names: Vec<&str> = breaches
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap())
            .collect();
        assert_eq!(
            names,
            ["kc-pair", "IC-51001", "IC-51003"],
            "{db}: {breaches}"
        );

        let json_before = ok(
            dir,
            db,
            &[
                "report", "sla", "--period", "2024-08", "--all", "--format", "json",
            ],
        );
        let rows: Value = serde_json::from_str(&json_before).unwrap();
        let r51001 = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "IC-51001")
            .unwrap();
        assert!(
            (r51001["availabilityPercent"].as_f64().unwrap() - availability(2700, 2_678_400)).abs()
                < 1e-9
        );
        assert_eq!(r51001["customer"], "prairie-net");

        // ---- re-running gives identical rows (evaluatedAt included)
        let out = ok(
            dir,
            db,
            &["sla", "evaluate", "--period", "2024-08", "--now", now],
        );
        assert!(
            out.contains("picked up 0 unevaluated outage(s)")
                && out.contains("evaluated 4 measurement(s): 0 written, 4 unchanged"),
            "{db}: {out}"
        );
        let json_after = ok(
            dir,
            db,
            &[
                "report", "sla", "--period", "2024-08", "--all", "--format", "json",
            ],
        );
        assert_eq!(json_before, json_after, "{db}");

        // ---- explain prints the arithmetic
        let ex = ok(
            dir,
            db,
            &[
                "sla", "explain", "IC-51001", "--period", "2024-08", "--now", now,
            ],
        );
        for want in [
            "period 2024-08-01T00:00:00Z .. 2024-09-01T00:00:00Z = 2678400 s (31 d)",
            "forecast window PWIC21410 (CONFIRMED) 2024-08-20T04:00:00Z .. 2024-08-20T09:00:00Z",
            "= 4200 s (1 h 10 min), of which 2400 s inside forecast maintenance (PWIC21410) excluded, 1800 s counted",
            "counted outage = 5100 - 2400 = 2700 s (45 min)",
            "availability = 100 × (1 - 2700 / 2678400) = 99.899194 %",
            "promised 99.95 % allows 1339.2 s of counted outage in this period: 2700 s counted, breached",
            "credit: 25 % of MRC (availability below 99.9 %",
            "stored measurement: the same",
        ] {
            assert!(ex.contains(want), "{db}: missing {want:?} in\n{ex}");
        }
        let ex = ok(
            dir,
            db,
            &[
                "sla", "explain", "kc-pair", "--period", "2024-08", "--now", now,
            ],
        );
        assert!(
            ex.contains("every one of the 2 member circuits down at the same time): 1200 s")
                && ex.contains("counted outage = 1200 - 600 = 600 s")
                && ex.contains("credit: 50 % of MRC"),
            "{db}: {ex}"
        );

        // ---- a late file: closes IC-51002's outage, adds one to closed August
        let mut child = mnp_cmd(dir, db)
            .args(["outages", "detect", "--input", "-", "--format", "jsonl"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(&std::fs::read(data("kc-2024-09.jsonl")).unwrap())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(
            out.contains("line 4: bad state \"sideways\"")
                && out
                    .contains("2 outage(s): 1 new, 1 closed, 0 updated, 0 unchanged; 0 still open"),
            "{db}: {out}"
        );
        let out = ok(
            dir,
            db,
            &[
                "sla",
                "evaluate",
                "--period",
                "2024-09",
                "--now",
                "2024-10-05T00:00:00Z",
            ],
        );
        // September: 3 circuits + group; August again: IC-51003 and kc-pair
        // (the late outage) and IC-51002 (its outage closed)
        assert!(
            out.contains("picked up 2 unevaluated outage(s)")
                && out.contains("evaluated 7 measurement(s): 5 written, 2 unchanged"),
            "{db}: {out}"
        );
        let aug = csv_rows(&ok(
            dir,
            db,
            &[
                "report", "sla", "--period", "2024-08", "--all", "--format", "csv",
            ],
        ));
        assert!(
            aug["circuit,IC-51003"].ends_with("3300,1200,2100,99.921595,true,10"),
            "{db}: {aug:?}"
        );
        assert!(aug["circuit,IC-51002"].ends_with("660,60,600,99.977599,false,0"));
        assert!(aug["group,kc-pair"].ends_with("1200,600,600,99.977599,true,50"));
        let sep = csv_rows(&ok(
            dir,
            db,
            &[
                "report", "sla", "--period", "2024-09", "--all", "--format", "csv",
            ],
        ));
        assert!(
            sep["circuit,IC-51002"].ends_with("1200,0,1200,99.953704,false,0"),
            "{db}: {sep:?}"
        );
        assert_eq!(sep.len(), 4, "{db}: {sep:?}");

        // ---- reports
        let providers = ok(
            dir,
            db,
            &[
                "report",
                "providers",
                "--period",
                "2024-08",
                "--format",
                "csv",
            ],
        );
        // 9060 s = 151 min; repaired in August: 4200+900+60+1200+1500+600 = 8460 s / 6
        assert!(
            providers.contains("fiberprovider,6,7,0,151,6,23.5,70,2,35"),
            "{db}: {providers}"
        );
        assert!(
            providers.contains("bcop,2,0,0,0,0,,,0,0"),
            "{db}: {providers}"
        );

        let svg = dir.join("forecast.svg");
        let fa = ok(
            dir,
            db,
            &[
                "report",
                "forecast-accuracy",
                "--period",
                "2024-08",
                "--format",
                "json",
                "--svg",
                svg.to_str().unwrap(),
            ],
        );
        let fa: Value = serde_json::from_str(&fa).unwrap();
        let s = &fa["summary"];
        assert_eq!(
            (
                s["outages"].as_i64(),
                s["inside"].as_i64(),
                s["partlyInside"].as_i64(),
                s["unforecast"].as_i64(),
                s["windows"].as_i64(),
                s["windowsWithoutOutage"].as_i64(),
                s["longerThanAnnounced"].as_i64(),
            ),
            (
                Some(7),
                Some(2),
                Some(1),
                Some(4),
                Some(3),
                Some(0),
                Some(1)
            ),
            "{db}: {s}"
        );
        let svg = std::fs::read_to_string(svg).unwrap();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                && svg.contains("unforecast outages")
                && !svg.contains("href"),
            "{svg}"
        );
        let fa_csv = ok(
            dir,
            db,
            &[
                "report",
                "forecast-accuracy",
                "--period",
                "2024-08",
                "--format",
                "csv",
            ],
        );
        for want in [
            "outage,IC-51001,fiberprovider,PWIC21410,2024-08-20T03:30:00Z,2024-08-20T04:40:00Z,4200,2400,,partly-inside",
            "outage,IC-51003,fiberprovider,,2024-08-28T12:00:00Z,2024-08-28T12:10:00Z,600,0,,unforecast",
            "window,IC-51002,fiberprovider,PWIC21410,2024-08-20T04:00:00Z,2024-08-20T09:00:00Z,60,18000,0,longer-than-announced",
            "window,IC-51001,fiberprovider,PWIC21410,2024-08-20T04:00:00Z,2024-08-20T09:00:00Z,2400,18000,14400,as-announced",
        ] {
            assert!(fa_csv.contains(want), "{db}: missing {want} in\n{fa_csv}");
        }
        let mttr = ok(
            dir,
            db,
            &["report", "mttr", "--period", "2024-08", "--format", "csv"],
        );
        assert_eq!(
            mttr.lines().collect::<Vec<_>>(),
            [
                "circuit,provider,customer,outages,outageSeconds,repaired,mttrSeconds,longestSeconds",
                "IC-51001,fiberprovider,prairie-net,2,5100,2,2550,4200",
                "IC-51003,fiberprovider,prairie-net,3,3300,3,1100,1500",
                "IC-51002,fiberprovider,prairie-net,2,660,1,60,60",
            ],
            "{db}"
        );
        let table = ok(dir, db, &["report", "sla", "--period", "2024-08"]);
        assert!(
            table.starts_with("3 breach(es) in SLA periods starting 2024-08"),
            "{table}"
        );
    }
}

#[test]
fn bad_sla_files_name_the_line() {
    let d = tmpdir("badsla");
    let db = format!("sqlite:{}", d.join("mnp.db").display());
    std::fs::write(
        d.join("bad.toml"),
        "[[sla]]\n\
         id = \"gold\"\n\
         name = \"Gold\"\n\
         uptime_percent = 100.5\n\
         interval = \"calendarMonthFromFirst\"\n\
         strategy = \"best-effort\"\n\
         vendors = [\"zayo\"]\n",
    )
    .unwrap();
    let o = run(&d, &db, &["sla", "import", "bad.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("bad.toml: 2 problem(s), nothing imported"),
        "{e}"
    );
    assert!(
        e.contains(
            "line 4: uptime_percent = 100.5 is impossible: a percentage cannot be above 100"
        ),
        "{e}"
    );
    assert!(
        e.contains("line 6: unknown strategy \"best-effort\" (registered: protection-group, standard-availability)"),
        "{e}"
    );
    std::fs::write(
        d.join("typo.toml"),
        "[[sla]]\nid = \"gold\"\nuptime_pecent = 99\n",
    )
    .unwrap();
    let o = run(&d, &db, &["sla", "import", "typo.toml"]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("line 3:") && e.contains("uptime_pecent"), "{e}");
    assert_eq!(
        ok(&d, &db, &["sla", "list"]).lines().count(),
        1,
        "nothing imported"
    );
}

#[test]
fn port_import_refuses_ports_that_normalise_alike() {
    let d = tmpdir("ports");
    let db = format!("sqlite:{}", d.join("mnp.db").display());
    ok(&d, &db, &["db", "init"]);
    ok(&d, &db, &["db", "seed"]);
    std::fs::write(
        d.join("ports.csv"),
        "device,port,vendor,vendorCircuitId\n\
         kc-pe1,Gi0/0/1,fiberprovider,IC-51001\n\
         KC-PE1,GigabitEthernet0/0/1,fiberprovider,IC-51002\n\
         kc-pe1,Gi0/0/2,fiberprovider,IC-99999\n\
         kc-pe1,Gi0/0/3,nosuchcarrier,X\n\
         kc-pe1,,fiberprovider,IC-51003\n",
    )
    .unwrap();
    let o = run(&d, &db, &["ports", "import", "ports.csv"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    for want in [
        "4 invalid row(s), nothing imported",
        "line 3: port KC-PE1 GigabitEthernet0/0/1 is already mapped on line 2",
        "line 4: no circuit fiberprovider/IC-99999 in the inventory",
        "line 5: unknown vendor \"nosuchcarrier\"",
        "line 6: device, port, vendor and vendorCircuitId are all required",
    ] {
        assert!(e.contains(want), "missing {want:?} in {e}");
    }
    assert_eq!(ok(&d, &db, &["ports", "list"]).lines().count(), 1);
    // the same port written differently later replaces the earlier mapping
    std::fs::write(
        d.join("a.csv"),
        "device,port,vendor,vendorCircuitId\nkc-pe1,Gi0/0/1,fiberprovider,IC-51001\n",
    )
    .unwrap();
    std::fs::write(
        d.join("b.csv"),
        "device,port,vendor,vendorCircuitId\nkc-pe1,GigabitEthernet0/0/1,fiberprovider,IC-51002\n",
    )
    .unwrap();
    ok(&d, &db, &["ports", "import", "a.csv"]);
    let out = ok(&d, &db, &["ports", "import", "b.csv"]);
    assert!(
        out.contains("1 written differently before replaced"),
        "{out}"
    );
    let list = ok(&d, &db, &["ports", "list"]);
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(
        list.contains("GigabitEthernet0/0/1") && list.contains("IC-51002"),
        "{list}"
    );
}

// ---------------------------------------------------------------- POST /api/v1/log-events

/// One HTTP/1.1 POST with `Connection: close`: (status, body).
fn http(addr: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let r = mnp_testkit::http::request(addr, "POST", path, headers, body);
    (r.status, r.text())
}

#[test]
fn log_events_api_stores_outages_and_reports_rejected_lines() {
    let d = tmpdir("api");
    let db = format!("sqlite:{}", d.join("mnp.db").display());
    prepare(&d, &db);
    let token = "s3cret-log-token";
    let srv = mnp_testkit::serve::Serve::start(
        mnp_cmd(&d, &db).args(["serve", "--listen", "127.0.0.1:0", "--token", token]),
        d.join("serve.log"),
    );
    let addr = srv.addr.clone();
    let auth = format!("Bearer {token}");
    let path = "/api/v1/log-events";

    let (st, _) = http(&addr, path, &[("Content-Type", "application/json")], b"[]");
    assert_eq!(st, 401);
    let (st, _) = http(
        &addr,
        path,
        &[("Authorization", &auth), ("Content-Type", "image/png")],
        b"x",
    );
    assert_eq!(st, 415);

    // a JSON array: line numbers are positions
    let events = br#"[
        {"device":"kc-mx1","port":"xe-0/0/3","state":"down","ts":"2024-08-25T10:05:00Z"},
        {"device":"kc-mx1","port":"xe-0/0/3","state":"sideways","ts":"2024-08-25T10:06:00Z"},
        {"device":"kc-mx9","port":"xe-0/0/3","state":"down","ts":"2024-08-25T10:06:00Z"},
        {"device":"kc-mx1","port":"xe-0/0/3","state":"up","ts":"2024-08-25T10:30:00Z"}
    ]"#;
    let (st, body) = http(
        &addr,
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        events,
    );
    assert_eq!(st, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["lines"], 4, "{v}");
    assert_eq!(v["events"], 3, "{v}");
    assert_eq!(v["rejected"][0]["line"], 2, "{v}");
    assert_eq!(v["unknownPorts"][0]["device"], "kc-mx9", "{v}");
    assert_eq!(v["unknownPorts"][0]["lines"][0], 3, "{v}");
    assert_eq!(
        (v["inserted"].as_i64(), v["stillOpen"].as_i64()),
        (Some(1), Some(0)),
        "{v}"
    );

    // raw syslog, local time: a DOWN now, its UP in the next post
    let down = b"<187>Aug 25 05:00:00 kc-pe1 1029: %LINK-3-UPDOWN: Interface GigabitEthernet0/0/1, changed state to down\n\
                 <189>Aug 25 05:00:01 kc-pe1 1030: %SYS-5-CONFIG_I: Configured from console by noc\n";
    let (st, body) = http(
        &addr,
        &format!("{path}?zone=America/Chicago&year=2024"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        down,
    );
    assert_eq!(st, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["noise"].as_i64(), v["stillOpen"].as_i64()),
        (Some(1), Some(1)),
        "{v}"
    );
    let up = b"<187>Aug 25 05:15:00 kc-pe1 1031: %LINK-3-UPDOWN: Interface Gi0/0/1, changed state to up\n";
    let (st, body) = http(
        &addr,
        &format!("{path}?zone=America/Chicago&year=2024"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        up,
    );
    assert_eq!(st, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["closed"], 1, "{v}");
    let (st, body) = http(
        &addr,
        &format!("{path}?zone=Mars/Olympus"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        up,
    );
    assert_eq!(st, 400, "{body}");

    assert!(srv.stop(Duration::from_secs(30)).success());

    let listed = ok(&d, &db, &["outages", "list", "--period", "2024-08"]);
    assert!(
        listed.contains("IC-51001  fiberprovider  2024-08-25T10:00:00Z  2024-08-25T10:15:00Z  900")
            && listed.contains(
                "IC-51003  fiberprovider  2024-08-25T10:05:00Z  2024-08-25T10:30:00Z  1500"
            )
            && listed.contains("api:log-events"),
        "{listed}"
    );
}
