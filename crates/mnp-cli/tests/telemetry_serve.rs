//! Telemetry ingest of `mnp serve` end to end: the real binary on a free
//! loopback port, a real SQLite database (and PostgreSQL when
//! `MNP_TEST_POSTGRES_URL` is set, for the simulate run), real HTTP.
//!
//! * each write endpoint accepts good input and names every rejected line
//!   or element, while the good ones of the same request are processed;
//! * 401 without / with a wrong token, 413 over the body limit (also once
//!   gunzipped), gzip bodies accepted, 415 for other encodings, 429 with
//!   `Retry-After` when the queue is full;
//! * samples of one circuit are processed in arrival order (an episode
//!   opens and resolves at exactly the instants worked out by hand);
//! * `mnp simulate --target` → serve → episodes stored → alert mails in the
//!   outbox folder, and through a real SMTP server process
//!   (`scripts/test-servers/smtp.sh`, python3-aiosmtpd; `SKIPPED …` without
//!   it unless `MNP_TEST_REQUIRE_SERVERS=1`), with the exact counts of the
//!   simulator's plan.
#![allow(clippy::print_stderr)]

use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use mnp_maxout::engine::Rule;
use mnp_maxout::simulate::Simulator;
use mnp_store::{Circuit, MaxoutFilter, PortMapping, Store};
use mnp_testkit::eml_files as emls;
use mnp_testkit::http::{Response as Resp, request as http};
use mnp_testkit::serve::Serve;
use mnp_testkit::servers::ScriptServer;
use serde_json::Value;

mod common;
use common::{sim_cmd, sim_config};

const TOKEN: &str = "telemetry-test-token";
fn mnp() -> Command {
    mnp_testkit::clean_command(env!("CARGO_BIN_EXE_mnp"))
}

fn tmpdir(tag: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-telemetry", tag)
}

fn mnp_ok(dir: &Path, args: &[&str]) -> String {
    mnp_testkit::run_ok(mnp().current_dir(dir), args)
}

/// `db init` + `db seed` (customers lakeside-isp, prairie-net, acme-widgets).
fn init_db(dir: &Path, db: &str) {
    mnp_ok(dir, &["--database", db, "db", "init"]);
    mnp_ok(dir, &["--database", db, "db", "seed"]);
}

fn sqlite(dir: &Path) -> String {
    format!("sqlite:{}", dir.join("mnp.db").display())
}

/// SQLite always; a fresh PostgreSQL database when configured.
fn databases(tag: &str) -> Vec<(PathBuf, String)> {
    mnp_testkit::database_dirs("mnp-telemetry", tag)
}

fn circuit(id: &str, customer: &str, bps: i64) -> Circuit {
    Circuit {
        internal_circuit_id: uuid::Uuid::new_v4(),
        vendor_circuit_id: id.into(),
        vendor_id: "fiberprovider".into(),
        customer_id: Some(customer.into()),
        provisioned_bps: Some(bps),
        burst_bps: None,
        sla_id: None,
        sla_epoch: None,
        description: format!("test circuit {id}"),
    }
}

/// C1 and C2, 1 Gbit/s each, of acme-widgets; port r1 xe-0/0/1 is C1.
fn two_circuits(db: &str) {
    let mut s = Store::open(db).unwrap();
    let c1 = s
        .upsert_circuit(&circuit("C1", "acme-widgets", 1_000_000_000))
        .unwrap();
    s.upsert_circuit(&circuit("C2", "acme-widgets", 1_000_000_000))
        .unwrap();
    s.upsert_port(&PortMapping {
        device: "r1".into(),
        port: "xe-0/0/1".into(),
        internal_circuit_id: c1,
    })
    .unwrap();
}

// ---------------------------------------------------------------- HTTP client

trait Json {
    /// The body as JSON.
    fn json(&self) -> Value;
}

impl Json for Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

// ---------------------------------------------------------------- server

struct Server(Serve);

impl std::ops::Deref for Server {
    type Target = Serve;
    fn deref(&self) -> &Serve {
        &self.0
    }
}

impl Server {
    fn start(dir: &Path, db: &str, args: &[&str]) -> Server {
        let log = dir.join(format!("serve-{}.log", mnp_testkit::unique()));
        Server(Serve::start(
            mnp()
                .current_dir(dir)
                .args(["-v", "--database", db, "serve", "--listen", "127.0.0.1:0"])
                .args(["--token", TOKEN])
                .args(args),
            log,
        ))
    }

    fn post(&self, path: &str, body: &[u8]) -> Resp {
        let auth = format!("Bearer {TOKEN}");
        http(&self.addr, "POST", path, &[("Authorization", &auth)], body)
    }

    fn stats(&self) -> Value {
        let r = http(&self.addr, "GET", "/api/v1/telemetry/stats", &[], b"");
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// Waits until the worker has processed everything accepted and
    /// `mailsWritten` reached `mails`.
    fn settle(&self, mails: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let st = self.stats();
            if st["queueDepth"] == 0
                && st["processed"] == st["accepted"]
                && st["mailsWritten"].as_u64() >= Some(mails)
            {
                return st;
            }
            assert!(
                Instant::now() < deadline,
                "telemetry did not settle: {st}\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM; must exit 0.
    fn stop(self) -> ExitStatus {
        self.0.stop(Duration::from_secs(30))
    }
}

/// 2024-01-01T00:00:00Z plus `min` minutes, in nanoseconds.
fn ns(min: i64) -> i64 {
    (1_704_067_200 + min * 60) * 1_000_000_000
}

fn at(min: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_704_067_200 + min * 60, 0).unwrap()
}

// ---------------------------------------------------------------- tests

#[test]
fn endpoints_accept_good_samples_and_name_every_rejected_one() {
    let dir = tmpdir("endpoints");
    let db = sqlite(&dir);
    init_db(&dir, &db);
    two_circuits(&db);
    // the seeded demo circuits with a provisioned rate are watched too
    let watched = Store::open(&db)
        .unwrap()
        .circuits()
        .unwrap()
        .iter()
        .filter(|c| c.provisioned_bps.is_some_and(|b| b > 0))
        .count();
    let srv = Server::start(&dir, &db, &["--max-telemetry-body", "4096"]);

    // one JSON sample: 202; a bad one: 400 naming the field
    let r = srv.post(
        "/api/v1/telemetry",
        br#"{"circuitId":"C1","timestamp":"2024-01-01T00:00:00Z","usage":5e8,"direction":"in"}"#,
    );
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(r.json()["accepted"], 1);
    let r = srv.post(
        "/api/v1/telemetry",
        br#"{"circuitId":"C1","timestamp":"2024-01-01T00:00:00Z","usage":-1,"direction":"out"}"#,
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let v = r.json();
    assert_eq!(v["accepted"], 0);
    assert!(
        v["rejected"][0]["error"]
            .as_str()
            .unwrap()
            .contains("usage"),
        "{v}"
    );

    // batch: element 1 is bad, 0 and 2 are queued
    let r = srv.post(
        "/api/v1/telemetry/batch",
        br#"[{"circuitId":"C2","timestamp":1704067200,"usage":1e8,"direction":"in"},
             {"circuitId":"C2","timestamp":1704067200,"usage":1e8,"direction":"sideways"},
             {"circuitId":"C2","timestamp":1704067200,"usage":2e8,"direction":"out"}]"#,
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let v = r.json();
    assert_eq!(v["accepted"], 2, "{v}");
    assert_eq!(v["rejected"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["rejected"][0]["index"], 1, "{v}");
    assert!(
        v["rejected"][0]["error"]
            .as_str()
            .unwrap()
            .contains("direction")
    );
    let r = srv.post("/api/v1/telemetry/batch", b"{\"not\":\"an array\"}");
    assert_eq!(r.status, 400);

    // line protocol: line 2 and 4 are bad; lines 1, 3 (by port) and 5
    // (unknown circuit) are queued; line 6 is another measurement (skipped)
    let body = format!(
        "interface,circuit=C1 in_bps=6e8,out_bps=1e8 {}\n\
         interface,circuit=C1 in_bps=abc,out_bps=1e8 {}\n\
         interface,device=r1,port=xe-0/0/1 in_bps=6e8,out_bps=1e8 {}\n\
         interface,circuit=C1 in_bps=6e8,out_bps=1e8 yesterday\n\
         interface,circuit=NOPE in_bps=6e8,out_bps=1e8 {}\n\
         cpu,host=r1 usage_idle=99 {}\n",
        ns(1),
        ns(2),
        ns(2),
        ns(3),
        ns(3)
    );
    let r = srv.post("/api/v1/write", body.as_bytes());
    assert_eq!(r.status, 400, "{}", r.text());
    let v = r.json();
    assert_eq!(v["accepted"], 3, "{v}");
    assert_eq!(v["skipped"], 1, "{v}");
    let lines: Vec<u64> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 4], "{v}");

    // all good: 204; ?precision=s
    let body = format!("interface,circuit=C1 in_bps=6e8,out_bps=1e8 {}\n", ns(4));
    assert_eq!(srv.post("/api/v1/write", body.as_bytes()).status, 204);
    let body = format!(
        "interface,circuit=C2 in_bps=6e8,out_bps=1e8 {}\n",
        1_704_067_200 + 300
    );
    let r = srv.post("/api/v1/write?db=telegraf&precision=s", body.as_bytes());
    assert_eq!(r.status, 204, "{}", r.text());
    let r = srv.post("/api/v1/write?precision=fortnights", body.as_bytes());
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["parameter"], "precision");

    // auth: none, wrong, and the InfluxDB v2 "Token" scheme
    let none = http(&srv.addr, "POST", "/api/v1/write", &[], body.as_bytes());
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let wrong = http(
        &srv.addr,
        "POST",
        "/api/v1/write",
        &[("Authorization", "Bearer nope")],
        body.as_bytes(),
    );
    assert_eq!(wrong.status, 401);
    let v2 = format!("Token {TOKEN}");
    let body = format!("interface,circuit=C2 in_bps=6e8,out_bps=1e8 {}\n", ns(6));
    let ok = http(
        &srv.addr,
        "POST",
        "/api/v1/write",
        &[("Authorization", &v2)],
        body.as_bytes(),
    );
    assert_eq!(ok.status, 204, "{}", ok.text());

    // 413 over --max-telemetry-body 4096
    let big = vec![b'#'; 5000];
    let r = srv.post("/api/v1/write", &big);
    assert_eq!(r.status, 413, "{}", r.text());
    // gzip (Telegraf's default) is decompressed: one more good line; a
    // small body that decompresses past the limit is 413; brotli is 415
    let gz = |b: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    };
    let auth = format!("Bearer {TOKEN}");
    let gzip = [
        ("Authorization", auth.as_str()),
        ("Content-Encoding", "gzip"),
    ];
    let body = format!("interface,circuit=C2 in_bps=6e8,out_bps=1e8 {}\n", ns(7));
    let r = http(
        &srv.addr,
        "POST",
        "/api/v1/write",
        &gzip,
        &gz(body.as_bytes()),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    let bomb = gz(&big);
    assert!(bomb.len() < 4096);
    let r = http(&srv.addr, "POST", "/api/v1/write", &gzip, &bomb);
    assert_eq!(r.status, 413, "{}", r.text());
    let r = http(&srv.addr, "POST", "/api/v1/write", &gzip, b"not gzip");
    assert_eq!(r.status, 400, "{}", r.text());
    let r = http(
        &srv.addr,
        "POST",
        "/api/v1/write",
        &[("Authorization", &auth), ("Content-Encoding", "br")],
        b"x",
    );
    assert_eq!(r.status, 415);

    // accepted: 1 + 2 + 3 + 1 + 1 + 1 + 1 (gzip) = 10; rejected: 1 + 1 + 2 = 4;
    // unknown circuit: line 5 of the mixed body only
    let st = srv.settle(0);
    assert_eq!(st["accepted"], 10, "{st}");
    assert_eq!(st["processed"], 10, "{st}");
    assert_eq!(st["rejected"], 4, "{st}");
    assert_eq!(st["unknownCircuits"], 1, "{st}");
    assert_eq!(st["circuits"], watched as u64, "{st}");
    assert_eq!(st["throttled"], 0, "{st}");
    assert!(srv.stop().success());

    // the daily peak of C1 comes from its good samples: 600 Mbit/s of 1 Gbit/s
    let mut s = Store::open(&db).unwrap();
    let peaks = s.daily_peaks(at(0).date_naive()).unwrap();
    assert_eq!(peaks.len(), 2, "C1 and C2");
    let c1 = s
        .circuits()
        .unwrap()
        .into_iter()
        .find(|c| c.vendor_circuit_id == "C1")
        .unwrap();
    let p = peaks
        .iter()
        .find(|p| p.internal_circuit_id == c1.internal_circuit_id)
        .unwrap();
    assert!((p.peak_percent - 60.0).abs() < 1e-9, "{}", p.peak_percent);
}

#[test]
fn full_queue_answers_429_with_retry_after_and_keeps_nothing_of_the_request() {
    // The worker cannot open this database, so nothing leaves the queue.
    let dir = tmpdir("full");
    let db = format!("sqlite:{}", dir.join("missing/dir/mnp.db").display());
    let srv = Server::start(&dir, &db, &["--telemetry-queue", "5"]);
    let lines = |n: i64| -> String {
        (0..n)
            .map(|i| format!("interface,circuit=C1 in_bps=1,out_bps=1 {}\n", ns(i)))
            .collect()
    };
    assert_eq!(srv.post("/api/v1/write", lines(3).as_bytes()).status, 204);
    let r = srv.post("/api/v1/write", lines(3).as_bytes());
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(r.json()["error"].as_str().unwrap().contains("queue full"));
    assert_eq!(srv.post("/api/v1/write", lines(2).as_bytes()).status, 204);
    let r = srv.post(
        "/api/v1/telemetry",
        br#"{"circuitId":"C1","timestamp":1704067200,"usage":1,"direction":"in"}"#,
    );
    assert_eq!(r.status, 429);
    // more than the whole queue can ever hold
    assert_eq!(srv.post("/api/v1/write", lines(6).as_bytes()).status, 413);
    let st = srv.stats();
    assert_eq!(st["queueDepth"], 5, "{st}");
    assert_eq!(st["queueCapacity"], 5, "{st}");
    assert_eq!(st["accepted"], 5, "{st}");
    assert_eq!(st["throttled"], 4, "{st}");
    assert_eq!(st["processed"], 0, "{st}");
    assert_eq!(st["ready"], false, "{st}");
    let log = srv.log.clone();
    assert!(srv.stop().success());
    let log = std::fs::read_to_string(log).unwrap();
    assert!(log.contains("telemetry lost at shutdown"), "{log}");
}

#[test]
fn samples_of_one_circuit_are_processed_in_arrival_order() {
    let dir = tmpdir("order");
    let db = sqlite(&dir);
    init_db(&dir, &db);
    two_circuits(&db);
    let srv = Server::start(&dir, &db, &["--telemetry-queue", "8"]);
    // C1 at 1 Gbit/s, one sample a minute: 50 % for minutes 0-4, 101 % for
    // 5-14, 50 % from 15 to 24. Three samples over open the episode at
    // minute 7 with start 5; three below 90 % resolve it at minute 17 with
    // end 15; over from 5 to 15 = 10 minutes, peak 101 %, direction in.
    // Each C1 sample is its own request, followed by a C2 batch.
    for m in 0..25 {
        let in_bps = if (5..15).contains(&m) { 1.01e9 } else { 5e8 };
        let body = format!(
            "interface,circuit=C1 in_bps={in_bps},out_bps=1e8 {}\n",
            ns(m)
        );
        let other = format!(
            r#"[{{"circuitId":"C2","timestamp":{},"usage":1e8,"direction":"in"}},{{"circuitId":"C2","timestamp":{},"usage":1e8,"direction":"out"}}]"#,
            1_704_067_200 + m * 60,
            1_704_067_200 + m * 60
        );
        for (path, b) in [
            ("/api/v1/write", body.as_bytes()),
            ("/api/v1/telemetry/batch", other.as_bytes()),
        ] {
            loop {
                let r = srv.post(path, b);
                if r.status == 429 {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                assert!(r.status == 204 || r.status == 202, "{}", r.text());
                break;
            }
        }
    }
    let st = srv.settle(1);
    assert_eq!(st["accepted"], 75, "{st}");
    assert_eq!(st["outOfOrder"], 0, "{st}");
    assert_eq!(st["episodesOpened"], 1, "{st}");
    assert_eq!(st["episodesResolved"], 1, "{st}");
    assert!(srv.stop().success());
    let mut s = Store::open(&db).unwrap();
    let eps = s.maxout_events(&MaxoutFilter::default()).unwrap();
    assert_eq!(eps.len(), 1);
    let e = &eps[0];
    assert_eq!(e.circuit_ref, "C1");
    assert_eq!(e.started_at, at(5));
    assert_eq!(e.ended_at, Some(at(15)));
    assert_eq!(e.minutes_over, 10);
    assert!((e.peak_percent - 101.0).abs() < 1e-9, "{}", e.peak_percent);
    assert_eq!(e.direction, "in");
    let mails = emls(&dir.join("outbox"));
    assert_eq!(mails.len(), 1);
    let raw = std::fs::read_to_string(&mails[0]).unwrap();
    assert!(raw.contains("To: it@acme-widgets.example"), "{raw}");
}

/// The simulator's circuits in the inventory, spread over the seeded customers.
fn add_sim_circuits(db: &str) {
    let customers = ["lakeside-isp", "prairie-net", "acme-widgets"];
    common::add_sim_circuits(db, |i| customers[i % 3]);
}

#[test]
fn simulate_to_serve_stores_exact_episodes_and_mails() {
    let sim = Simulator::new(sim_config()).unwrap();
    let expected = sim.expected(&Rule::default()).unwrap();
    // 16 circuits, every 5th maxes out: SIM-0001, -0006, -0011, -0016; two
    // windows each in 2 h (minutes 5+ and 65+), each 10 samples over and
    // followed by 50 below: 8 episodes open and resolve, 8 mails.
    assert_eq!((expected.opened, expected.resolved), (8, 8));
    for (dir, db) in databases("simulate") {
        init_db(&dir, &db);
        add_sim_circuits(&db);
        // rates as line protocol, as JSON samples, and SNMP octet counters
        // (32-bit ones wrap) as line protocol: the same episodes each time
        for (format, outbox) in [
            ("lineprotocol", "outbox-lp"),
            ("json", "outbox-json"),
            ("counters", "outbox-counters"),
        ] {
            // a fresh start: no episodes yet
            {
                let mut s = Store::open(&db).unwrap();
                s.db()
                    .batch(r#"DELETE FROM "AlertOutbox"; DELETE FROM "MaxoutEvent";"#)
                    .unwrap();
            }
            // a queue smaller than two batches: the simulator gets 429s and resends
            let srv = Server::start(&dir, &db, &["--telemetry-queue", "300", "--outbox", outbox]);
            let target = format!("http://{}", srv.addr);
            let mut args = sim_cmd(&["--batch", "200", "--target", &target, "--token", TOKEN]);
            match format {
                "counters" => args.push("--counters"),
                f => args.extend(["--format", f]),
            }
            let out = mnp_ok(&dir, &args);
            eprintln!("{format}: {out}");
            // 16 circuits × 120 samples; JSON sends in and out separately
            let samples = if format == "json" { 3840 } else { 1920 };
            assert!(
                out.starts_with(&format!("{samples} sample(s) sent to {target}")),
                "{out}"
            );
            let st = srv.settle(8);
            assert_eq!(st["accepted"], samples, "{st}");
            assert_eq!(st["rejected"], 0, "{st}");
            assert_eq!(st["episodesOpened"], 8, "{st}");
            assert_eq!(st["mailsWritten"], 8, "{st}");
            assert!(srv.stop().success());

            let mut s = Store::open(&db).unwrap();
            let eps = s.maxout_events(&MaxoutFilter::default()).unwrap();
            assert_eq!(eps.len(), expected.opened, "{db} {format}");
            assert_eq!(
                eps.iter().filter(|e| e.ended_at.is_some()).count(),
                expected.resolved,
                "{db} {format}"
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
                assert!(e.alerted_at.is_some());
            }
            assert_eq!(emls(&dir.join(outbox)).len(), expected.opened, "{format}");
        }
    }
}

/// The test SMTP server of `scripts/test-servers/smtp.sh`; stopped on drop.
struct Smtp {
    _srv: ScriptServer,
    port: u16,
    maildir: PathBuf,
}

impl Smtp {
    fn start(tag: &str) -> Option<Smtp> {
        let dir = tmpdir(&format!("{tag}-smtp"));
        let srv = ScriptServer::start("smtp.sh", dir, &[], tag, "SMTP server")?;
        Some(Smtp {
            port: srv.fact("SMTP_PORT").parse().unwrap(),
            maildir: PathBuf::from(srv.fact("SMTP_MAILDIR")),
            _srv: srv,
        })
    }

    /// (envelope recipients, raw message) of every accepted message.
    fn received(&self) -> Vec<(Vec<String>, String)> {
        mnp_testkit::eml_files(&self.maildir)
            .iter()
            .map(|p| {
                let env: Value =
                    serde_json::from_slice(&std::fs::read(p.with_extension("json")).unwrap())
                        .unwrap();
                let rcpt = env["rcpt_tos"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect();
                (rcpt, std::fs::read_to_string(p).unwrap())
            })
            .collect()
    }
}

#[test]
fn simulate_to_serve_sends_exact_alert_mails_over_smtp() {
    let Some(smtp) = Smtp::start("telemetry") else {
        return;
    };
    let sim = Simulator::new(sim_config()).unwrap();
    let expected = sim.expected(&Rule::default()).unwrap();
    assert_eq!(
        expected.opened, 8,
        "see simulate_to_serve_stores_exact_episodes_and_mails"
    );
    let dir = tmpdir("smtp-e2e");
    let db = sqlite(&dir);
    init_db(&dir, &db);
    add_sim_circuits(&db);
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let srv = Server::start(&dir, &db, &["--smtp", &url]);
    let target = format!("http://{}", srv.addr);
    let out = mnp_ok(&dir, &sim_cmd(&["--target", &target, "--token", TOKEN]));
    assert!(out.starts_with("1920 sample(s) sent"), "{out}");
    let st = srv.settle(8);
    assert_eq!(st["mailsWritten"], 8, "{st}");
    assert_eq!(st["mailsFailed"], 0, "{st}");
    assert!(srv.stop().success());
    assert!(!dir.join("outbox").exists(), "SMTP, not the folder");

    let mut s = Store::open(&db).unwrap();
    let eps = s.maxout_events(&MaxoutFilter::default()).unwrap();
    assert_eq!(eps.len(), 8);
    let got = smtp.received();
    assert_eq!(got.len(), 8, "one mail per episode");
    for (rcpt, raw) in &got {
        let ep = eps
            .iter()
            .find(|e| raw.contains(&format!("X-Mnp-Maxout-Event: {}", e.maxout_event_id)))
            .expect("the mail names a stored episode");
        let cust = s
            .customer(ep.customer_id.as_deref().unwrap())
            .unwrap()
            .unwrap();
        // the customer in To, account manager and CX team in CC: all three
        // are envelope recipients
        for a in [
            cust.contact_email.as_deref().unwrap(),
            cust.account_manager_email.as_deref().unwrap(),
            cust.cx_team_email.as_deref().unwrap(),
        ] {
            assert!(rcpt.iter().any(|r| r == a), "{a} not in {rcpt:?}");
        }
    }
}

#[test]
fn open_episodes_get_reminders_with_repeat() {
    let dir = tmpdir("repeat");
    let db = sqlite(&dir);
    init_db(&dir, &db);
    two_circuits(&db);
    let srv = Server::start(&dir, &db, &["--repeat", "2s"]);
    // three samples at 101 % open an episode that stays open (nothing below)
    let body: String = (0..3)
        .map(|m| format!("interface,circuit=C1 in_bps=1.01e9,out_bps=1e8 {}\n", ns(m)))
        .collect();
    assert_eq!(srv.post("/api/v1/write", body.as_bytes()).status, 204);
    // the opened mail at once, a reminder two seconds after it (ticks are
    // one second apart, so within 2–3 s)
    let st = srv.settle(2);
    assert_eq!(st["episodesOpened"], 1, "{st}");
    assert_eq!(st["episodesResolved"], 0, "{st}");
    assert!(srv.stop().success());
    let kinds: Vec<String> = emls(&dir.join("outbox"))
        .iter()
        .map(|p| {
            let raw = std::fs::read_to_string(p).unwrap();
            raw.lines()
                .find_map(|l| l.strip_prefix("X-Mnp-Alert-Kind: "))
                .unwrap()
                .trim()
                .to_string()
        })
        .collect();
    assert!(kinds.len() >= 2, "{kinds:?}");
    assert_eq!(kinds[0], "opened");
    assert!(kinds[1..].iter().all(|k| k == "reminder"), "{kinds:?}");
}

// ------------------------------------------------- a mail server that hangs

/// A TCP relay in front of the test SMTP server: it accepts connections and
/// holds them without sending a byte (a mail server that never answers)
/// until [`Gate::open`]; from then on every held and new connection is
/// joined to the real server, byte for byte.
struct Gate {
    port: u16,
    accepted: Arc<AtomicUsize>,
    open: Arc<(Mutex<bool>, Condvar)>,
}

impl Gate {
    fn new(server_port: u16) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let open = Arc::new((Mutex::new(false), Condvar::new()));
        let (n, gate) = (accepted.clone(), open.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(client) = conn else { break };
                n.fetch_add(1, Ordering::SeqCst);
                let gate = gate.clone();
                std::thread::spawn(move || {
                    let (lock, cv) = &*gate;
                    let mut is_open = lock.lock().unwrap();
                    while !*is_open {
                        is_open = cv.wait(is_open).unwrap();
                    }
                    drop(is_open);
                    let server = TcpStream::connect(("127.0.0.1", server_port)).unwrap();
                    let (mut c_in, mut s_out) =
                        (client.try_clone().unwrap(), server.try_clone().unwrap());
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut c_in, &mut s_out);
                        let _ = s_out.shutdown(Shutdown::Write);
                    });
                    let (mut s_in, mut c_out) = (server, client);
                    let _ = std::io::copy(&mut s_in, &mut c_out);
                    let _ = c_out.shutdown(Shutdown::Write);
                });
            }
        });
        Gate {
            port,
            accepted,
            open,
        }
    }

    /// An `smtp://` URL through the gate; the client waits up to 120 s for
    /// each answer, far longer than the test needs while the gate is shut.
    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?timeout=120", self.port)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Lets every connection through to the server (also from another thread).
    fn opener(&self) -> impl FnOnce() + Send + 'static {
        let open = self.open.clone();
        move || {
            let (lock, cv) = &*open;
            *lock.lock().unwrap() = true;
            cv.notify_all();
        }
    }

    /// Waits until the gate holds a connection (mnp is waiting for a greeting).
    fn wait_for_client(&self, srv: &Server) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.accepted() == 0 {
            assert!(
                Instant::now() < deadline,
                "no SMTP connection: {}\n{}",
                srv.stats(),
                srv.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Three samples at 101 % of its 1 Gbit/s: opens an episode of `circuit`
/// (as in `open_episodes_get_reminders_with_repeat`).
fn over(circuit: &str) -> String {
    (0..3)
        .map(|m| {
            format!(
                "interface,circuit={circuit} in_bps=1.01e9,out_bps=1e8 {}\n",
                ns(m)
            )
        })
        .collect()
}

impl Server {
    /// Waits until everything accepted is processed and `opened` episodes
    /// are open, whatever the mails do.
    fn processed(&self, accepted: u64, opened: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let st = self.stats();
            if st["queueDepth"] == 0
                && st["accepted"] == accepted
                && st["processed"] == accepted
                && st["episodesOpened"] == opened
            {
                return st;
            }
            assert!(
                Instant::now() < deadline,
                "samples not processed while SMTP hangs: {st}\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The episode id each received mail names, in arrival order.
fn mailed_episodes(smtp: &Smtp) -> Vec<String> {
    smtp.received()
        .iter()
        .map(|(_, raw)| {
            raw.lines()
                .find_map(|l| l.strip_prefix("X-Mnp-Maxout-Event: "))
                .unwrap_or_else(|| panic!("no episode header: {raw}"))
                .trim()
                .to_string()
        })
        .collect()
}

/// The stored episode ids of C1 and C2.
fn episode_ids(db: &str) -> (String, String) {
    let mut s = Store::open(db).unwrap();
    let eps = s.maxout_events(&MaxoutFilter::default()).unwrap();
    assert_eq!(eps.len(), 2, "{eps:?}");
    let id = |c: &str| {
        eps.iter()
            .find(|e| e.circuit_ref == c)
            .unwrap_or_else(|| panic!("no episode of {c}"))
            .maxout_event_id
            .to_string()
    };
    (id("C1"), id("C2"))
}

// Regression (issue #6): delivery ran on the engine worker, so a mail
// server that never answered stopped sample processing until the SMTP
// timeout, and clients got 429 from an idle engine.
#[test]
fn a_silent_mail_server_does_not_hold_up_samples_and_every_mail_arrives_once() {
    for (dir, db) in databases("mail-thread") {
        let Some(smtp) = Smtp::start("mail-thread") else {
            return;
        };
        init_db(&dir, &db);
        two_circuits(&db);
        let gate = Gate::new(smtp.port);
        let srv = Server::start(&dir, &db, &["--smtp", &gate.url()]);
        // C1's episode: its mail goes to a server that never greets
        assert_eq!(srv.post("/api/v1/write", over("C1").as_bytes()).status, 204);
        gate.wait_for_client(&srv);
        // meanwhile C2's samples are processed and its episode stored
        assert_eq!(srv.post("/api/v1/write", over("C2").as_bytes()).status, 204);
        let st = srv.processed(6, 2);
        // the first mail is still waiting for the greeting: nothing sent,
        // nothing failed (the 120 s timeout has not run out), one connection
        assert_eq!(st["mailsWritten"], 0, "{st}");
        assert_eq!(st["mailsFailed"], 0, "{st}");
        assert_eq!(gate.accepted(), 1);
        let (c1, c2) = episode_ids(&db);
        assert!(smtp.received().is_empty());

        // the server answers: both mails arrive, each once
        (gate.opener())();
        let st = srv.settle(2);
        assert_eq!(st["mailsWritten"], 2, "{st}");
        assert_eq!(st["mailsFailed"], 0, "{st}");
        assert!(srv.stop().success());
        let mut got = mailed_episodes(&smtp);
        got.sort();
        let mut want = vec![c1, c2];
        want.sort();
        assert_eq!(got, want, "{db}");
        let due = Store::open(&db).unwrap().due_mails(Utc::now(), 10).unwrap();
        assert!(due.is_empty(), "{due:?}");
    }
}

#[test]
fn on_sigterm_the_mail_in_flight_is_finished_and_the_rest_waits_for_the_next_start() {
    for (dir, db) in databases("mail-stop") {
        let Some(smtp) = Smtp::start("mail-stop") else {
            return;
        };
        init_db(&dir, &db);
        two_circuits(&db);
        let gate = Gate::new(smtp.port);
        let srv = Server::start(&dir, &db, &["--smtp", &gate.url()]);
        assert_eq!(srv.post("/api/v1/write", over("C1").as_bytes()).status, 204);
        gate.wait_for_client(&srv);
        assert_eq!(srv.post("/api/v1/write", over("C2").as_bytes()).status, 204);
        srv.processed(6, 2);
        let (c1, c2) = episode_ids(&db);

        // SIGTERM while C1's mail waits for the greeting; the server answers
        // only once the engine worker has stopped, so the delivery thread is
        // all that is left: it finishes C1's mail and does not start C2's
        let log = srv.log.clone();
        let open = gate.opener();
        let opener = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while !std::fs::read_to_string(&log)
                .unwrap_or_default()
                .contains("telemetry worker stopped")
            {
                assert!(Instant::now() < deadline, "the worker did not stop");
                std::thread::sleep(Duration::from_millis(20));
            }
            open();
        });
        assert!(srv.stop().success());
        opener.join().unwrap();
        assert_eq!(mailed_episodes(&smtp), std::slice::from_ref(&c1), "{db}");
        // C2's mail is still queued, never attempted
        let due = Store::open(&db).unwrap().due_mails(Utc::now(), 10).unwrap();
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(
            due[0].maxout_event_id.map(|u| u.to_string()),
            Some(c2.clone())
        );
        assert_eq!(due[0].attempts, 0);
        assert_eq!(due[0].last_error, None);

        // the next start sends it, and only it
        let url = format!("smtp://127.0.0.1:{}", smtp.port);
        let srv = Server::start(&dir, &db, &["--smtp", &url]);
        let st = srv.settle(1);
        assert_eq!(st["mailsWritten"], 1, "{st}");
        assert!(srv.stop().success());
        assert_eq!(mailed_episodes(&smtp), [c1, c2], "{db}");
    }
}
