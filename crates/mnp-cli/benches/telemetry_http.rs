//! HTTP telemetry ingest of `mnp serve`, end to end on loopback.
//!
//! A SQLite database with N simulated circuits (default 10,000), the real
//! release binary (`mnp serve --listen 127.0.0.1:0`), and keep-alive
//! HTTP/1.1 clients on the same machine:
//!
//! 1. **Batched line protocol**: the simulator's samples (rates) as
//!    `POST /api/v1/write` bodies of B lines (default 5,000), from C client
//!    threads (default 2); a 429 is waited out and resent. Timed from the
//!    first request until the worker has processed every sample (engine +
//!    one SQLite transaction per drained batch), and the HTTP part alone
//!    (until the last request was answered).
//! 2. **One sample per request**: the same kind of line, one per
//!    `POST /api/v1/write`, for a fixed number of requests.
//! 3. **Memory**: the engine's state per tracked circuit
//!    (`engineBytesPerCircuit` of `/api/v1/telemetry/stats`) and the
//!    server's resident set (VmRSS) before and after the run.
//!
//! `cargo bench -p mnp-cli --bench telemetry_http [-- CIRCUITS [BATCH [CLIENTS]]]`
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mnp_maxout::simulate::{SimConfig, Simulator};
use mnp_maxout::telemetry::line;
use mnp_maxout::units::Seconds;
use mnp_store::{Circuit, Store};

const TOKEN: &str = "bench-token";

/// A keep-alive HTTP/1.1 connection that POSTs and reads the status.
struct Conn {
    s: BufReader<TcpStream>,
    addr: String,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            s: BufReader::new(s),
            addr: addr.to_string(),
        }
    }

    /// POST, returns the status (the body is read and dropped).
    fn post(&mut self, path: &str, body: &[u8]) -> u16 {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        let w = self.s.get_mut();
        w.write_all(head.as_bytes()).unwrap();
        w.write_all(body).unwrap();
        let mut line = String::new();
        self.s.read_line(&mut line).unwrap();
        let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut len = 0usize;
        loop {
            line.clear();
            self.s.read_line(&mut line).unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap();
            }
        }
        let mut sink = vec![0u8; len];
        self.s.read_exact(&mut sink).unwrap();
        status
    }

    /// POST until it is not 429; returns how many 429s there were.
    fn post_all(&mut self, path: &str, body: &[u8]) -> u64 {
        let mut retries = 0;
        loop {
            match self.post(path, body) {
                204 | 202 => return retries,
                429 | 503 => {
                    retries += 1;
                    std::thread::sleep(Duration::from_millis(5));
                }
                s => panic!("HTTP {s}"),
            }
        }
    }
}

fn get_json(addr: &str, path: &str) -> serde_json::Value {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (_, body) = raw.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn start(dir: &Path, db: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mnp"))
        .current_dir(dir)
        // the simulated circuits have no customer: no alert recipients
        .env("MNP_LOG", "error")
        .args(["--database", db, "serve", "--listen", "127.0.0.1:0"])
        .args(["--token", TOKEN, "--telemetry-queue", "200000"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .expect("listening line")
        .to_string();
    (child, addr)
}

/// Waits until the worker has loaded the inventory.
fn wait_ready(addr: &str) -> serde_json::Value {
    loop {
        let st = get_json(addr, "/api/v1/telemetry/stats");
        if st["ready"] == true {
            return st;
        }
        // the worker loads the inventory on the first batch or tick
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_processed(addr: &str, n: u64) -> serde_json::Value {
    loop {
        let st = get_json(addr, "/api/v1/telemetry/stats");
        if st["processed"].as_u64() >= Some(n) {
            return st;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let circuits: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let batch: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let clients: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2);

    let dir = std::env::temp_dir().join(format!("mnp-bench-telemetry-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite:{}", dir.join("mnp.db").display());
    let st = Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(["--database", &db, "db", "init"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());

    // 10 s samples, about 1.2 million in all: 120 per circuit (20 minutes)
    // for 10,000 circuits, 12 for 100,000
    let ticks = (1_200_000 / circuits.max(1)).clamp(2, 120) as u64;
    let cfg = SimConfig {
        circuits,
        duration: Seconds(10 * ticks),
        interval: Seconds(10),
        seed: 42,
        ..SimConfig::default()
    };
    let sim = Simulator::new(cfg.clone()).unwrap();
    {
        let mut s = Store::open(&db).unwrap();
        s.transaction(|s| {
            for c in sim.circuits() {
                s.upsert_circuit(&Circuit {
                    internal_circuit_id: uuid::Uuid::new_v4(),
                    vendor_circuit_id: c.id.clone(),
                    vendor_id: "fiberprovider".into(),
                    customer_id: None,
                    provisioned_bps: Some(c.provisioned_bps as i64),
                    burst_bps: c.burst_bps.map(|b| b as i64),
                    sla_id: None,
                    sla_epoch: None,
                    description: String::new(),
                })?;
            }
            Ok(())
        })
        .unwrap();
    }
    // the bodies, generated before the clock starts
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    let mut buf = String::new();
    let mut n = 0usize;
    let mut total = 0u64;
    for tick in sim {
        for r in &tick.readings {
            line::encode(r, &mut buf);
            n += 1;
            if n == batch {
                bodies.push(std::mem::take(&mut buf).into_bytes());
                total += n as u64;
                n = 0;
            }
        }
    }
    if n > 0 {
        bodies.push(buf.into_bytes());
        total += n as u64;
    }
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    println!(
        "{circuits} circuits, {total} samples in {} bodies of up to {batch} lines ({:.1} MB), {clients} client thread(s)",
        bodies.len(),
        bytes as f64 / 1e6
    );

    let (mut child, addr) = start(&dir, &db);
    let pid = child.id();
    // a first sample makes the worker load the inventory
    Conn::new(&addr).post_all(
        "/api/v1/write",
        b"interface,circuit=SIM-0001 in_bps=1,out_bps=1 1704067100000000000\n",
    );
    let st = wait_ready(&addr);
    let bytes_per_circuit = st["engineBytesPerCircuit"].as_u64().unwrap_or(0);
    let rss_before = rss_kib(pid);

    // 1. batched line protocol
    let bodies = Arc::new(bodies);
    let retries = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|k| {
            let (bodies, retries, addr) = (bodies.clone(), retries.clone(), addr.clone());
            std::thread::spawn(move || {
                let mut c = Conn::new(&addr);
                // client k sends bodies k, k + C, k + 2C, … in order: when
                // the batch divides the circuits evenly among the clients,
                // each circuit is always sent by the same client, in order
                for b in bodies.iter().skip(k).step_by(clients) {
                    retries.fetch_add(c.post_all("/api/v1/write", b), Ordering::Relaxed);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let http = t0.elapsed();
    let st = wait_processed(&addr, total + 1);
    let end_to_end = t0.elapsed();
    let rss_after = rss_kib(pid);
    println!(
        "batched: HTTP accepted {total} samples in {:.3} s = {:.0} samples/s ({} resent after 429); processed end to end in {:.3} s = {:.0} samples/s; out of order {}, episodes opened {}",
        http.as_secs_f64(),
        total as f64 / http.as_secs_f64(),
        retries.load(Ordering::Relaxed),
        end_to_end.as_secs_f64(),
        total as f64 / end_to_end.as_secs_f64(),
        st["outOfOrder"],
        st["episodesOpened"],
    );

    // 2. one sample per request (later instants, so nothing is a duplicate)
    let singles = 20_000usize.min(circuits * 20);
    let base = 1_704_067_200_000_000_000i64 + 3_600_000_000_000;
    let per_client = singles / clients;
    let t1 = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|k| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut c = Conn::new(&addr);
                for j in 0..per_client {
                    let i = k * per_client + j;
                    let body = format!(
                        "interface,circuit=SIM-{:04} in_bps=1e6,out_bps=1e6 {}\n",
                        i % circuits + 1,
                        base + (i / circuits) as i64 * 10_000_000_000
                    );
                    c.post_all("/api/v1/write", body.as_bytes());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let single = t1.elapsed();
    let sent = (per_client * clients) as u64;
    wait_processed(&addr, total + 1 + sent);
    let single_e2e = t1.elapsed();
    println!(
        "one sample per request: {sent} requests in {:.3} s = {:.0} samples/s (end to end {:.0}/s)",
        single.as_secs_f64(),
        sent as f64 / single.as_secs_f64(),
        sent as f64 / single_e2e.as_secs_f64()
    );
    println!(
        "memory: engine state {bytes_per_circuit} bytes per tracked circuit; server RSS {} MiB after loading {circuits} circuits, {} MiB after the run",
        rss_before / 1024,
        rss_after / 1024
    );
    let _ = Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}")])
        .status();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
