//! SLA evaluation at scale: N circuits (default 100,000) with K outages each
//! (default 10, so 1,000,000 outage rows) in October 2026, every tenth
//! circuit with a forecast window over one of its outages.
//!
//! 1. **Pure evaluation**: `mnp_sla::evaluate::evaluate_quiet` for every
//!    circuit and the month, data in memory (grouping the flat rows per
//!    circuit timed separately).
//! 2. **End to end** with the real binary: a database filled in bulk, then
//!    `mnp sla evaluate --period 2026-10` (picks up the 1,000,000 unevaluated
//!    outages, evaluates 100,000 circuit-months, writes the measurements,
//!    marks the outages) and a second run (nothing pending, every row
//!    unchanged). SQLite always; PostgreSQL when `MNP_BENCH_POSTGRES_URL`
//!    names a server (a fresh database is created and dropped).
//!
//! `cargo bench -p mnp-cli --bench sla [-- CIRCUITS [OUTAGES_PER_CIRCUIT]]`
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    missing_docs
)]

use std::collections::HashMap;
use std::process::Command;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use mnp_core::Status;
use mnp_sla::definition::SlaDefinition;
use mnp_sla::evaluate::{ForecastWindow, Member, OutageSpan, evaluate_quiet};
use mnp_sla::period::parse_month;
use mnp_store::Store;
use mnp_store::db::Value;
use uuid::Uuid;

const SLA: &str = r#"
[[sla]]
id = "bench-99.95"
name = "Benchmark SLA"
uptime_percent = 99.95
interval = "calendarMonthFromFirst"
strategy = "standard-availability"
vendors = ["fiberprovider"]
[[sla.credit]]
below_percent = 99.95
credit_percent_of_mrc = 10
[[sla.credit]]
below_percent = 99.9
credit_percent_of_mrc = 25
"#;

/// A deterministic generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
}

struct Data {
    circuits: Vec<Uuid>,
    /// (circuit index, begin, end)
    outages: Vec<(usize, DateTime<Utc>, DateTime<Utc>)>,
    /// (circuit index, begin, end)
    windows: Vec<(usize, DateTime<Utc>, DateTime<Utc>)>,
}

fn generate(n: usize, k: usize) -> Data {
    let mut rng = Rng(2026);
    let month = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
    let slot = 31 * 86_400 / k as i64;
    let mut outages = Vec::with_capacity(n * k);
    let mut windows = Vec::new();
    let circuits: Vec<Uuid> = (0..n)
        .map(|i| Uuid::from_u64_pair(0x6d6e_7000_0000_0000, i as u64))
        .collect();
    for c in 0..n {
        for j in 0..k {
            // one outage per slot, 1 s to 5 min long, never overlapping
            let len = 1 + rng.below(300.min(slot as u64 / 2));
            let begin =
                month + TimeDelta::seconds(j as i64 * slot + rng.below((slot - len) as u64));
            let end = begin + TimeDelta::seconds(len);
            outages.push((c, begin, end));
            if c % 10 == 0 && j == 0 {
                windows.push((
                    c,
                    begin - TimeDelta::minutes(30),
                    begin + TimeDelta::hours(1),
                ));
            }
        }
    }
    // the evaluator is handed outages in store order: by circuit and begin
    Data {
        circuits,
        outages,
        windows,
    }
}

fn sla() -> SlaDefinition {
    mnp_sla::definition::parse(SLA).unwrap().remove(0)
}

fn pure(d: &Data, now: DateTime<Utc>) {
    let sla = sla();
    let oct = parse_month("2026-10").unwrap();
    let t = Instant::now();
    let mut outages: HashMap<Uuid, Vec<OutageSpan>> = HashMap::new();
    for (c, b, e) in &d.outages {
        outages
            .entry(d.circuits[*c])
            .or_default()
            .push((*b, Some(*e)));
    }
    let mut windows: HashMap<Uuid, Vec<ForecastWindow>> = HashMap::new();
    for (c, b, e) in &d.windows {
        windows
            .entry(d.circuits[*c])
            .or_default()
            .push(ForecastWindow {
                begin: *b,
                end: *e,
                status: Status::Confirmed,
                reference: format!("PW{c}"),
            });
    }
    let group = t.elapsed();
    let names: Vec<String> = (0..d.circuits.len())
        .map(|i| format!("IC-{i:06}"))
        .collect();
    let mut best = f64::MAX;
    let mut breached = 0;
    for _ in 0..3 {
        let t = Instant::now();
        breached = 0;
        for (i, c) in d.circuits.iter().enumerate() {
            let m = evaluate_quiet(
                &sla,
                &[Member {
                    circuit: &names[i],
                    outages: outages.get(c).map_or(&[], Vec::as_slice),
                    forecasts: windows.get(c).map_or(&[], Vec::as_slice),
                }],
                &oct,
                now,
            )
            .unwrap();
            breached += usize::from(m.breached);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "pure evaluation: {} circuits, {} outages, {} windows: {:.3} s (best of 3; {:.2} µs/circuit), grouping rows per circuit {:.3} s; {breached} breached",
        d.circuits.len(),
        d.outages.len(),
        d.windows.len(),
        best,
        best * 1e6 / d.circuits.len() as f64,
        group.as_secs_f64()
    );
}

/// Multi-row INSERTs of `cols` columns, `rows` at a time.
fn bulk<T>(
    s: &mut Store,
    table_cols: &str,
    cols: usize,
    items: &[T],
    row: impl Fn(&T) -> Vec<Value>,
) {
    const CHUNK: usize = 500;
    for chunk in items.chunks(CHUNK) {
        let mut sql = format!("INSERT INTO {table_cols} VALUES ");
        let mut params = Vec::with_capacity(chunk.len() * cols);
        for (r, item) in chunk.iter().enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            let ph: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            sql.push('(');
            sql.push_str(&ph.join(", "));
            sql.push(')');
            params.extend(row(item));
        }
        s.db().execute(&sql, &params).unwrap();
    }
}

fn fill(url: &str, d: &Data) {
    let mut s = Store::open(url).unwrap();
    s.migrate().unwrap();
    s.sync_vendors(&mnp_parsers::registry()).unwrap();
    let def = sla();
    s.upsert_sla(&mnp_store::StoredSla {
        sla_id: def.id.clone(),
        name: def.name.clone(),
        uptime_percent: def.uptime_percent,
        interval_kind: def.interval.to_string(),
        strategy: def.strategy.clone(),
        definition: serde_json::to_string(&def).unwrap(),
        vendors: def.vendors.clone(),
    })
    .unwrap();
    let t = Instant::now();
    s.transaction(|s| {
        let idx: Vec<usize> = (0..d.circuits.len()).collect();
        bulk(
            s,
            r#""Circuit" ("internalCircuitId", "vendorCircuitId", "normalizedVendorCircuitId", "vendorId", "slaId", "description")"#,
            6,
            &idx,
            |i| {
                vec![
                    d.circuits[*i].into(),
                    format!("IC-{i:06}").into(),
                    format!("IC{i:06}").into(),
                    "fiberprovider".into(),
                    "bench-99.95".into(),
                    "".into(),
                ]
            },
        );
        bulk(
            s,
            r#""CircuitOutageEvent" ("outageEventId", "internalCircuitId", "beginOutage", "endOutage", "durationSeconds", "evaluated", "source")"#,
            7,
            &d.outages,
            |(c, b, e)| {
                vec![
                    Uuid::new_v4().into(),
                    d.circuits[*c].into(),
                    (*b).into(),
                    (*e).into(),
                    Value::Int((*e - *b).num_seconds()),
                    Value::Bool(false),
                    "bench".into(),
                ]
            },
        );
        bulk(
            s,
            r#""MaintForecastEvent" ("maintForecastEventId", "maintenanceKey", "revision", "current", "notificationId", "vendorId", "vendorMaintenanceId", "beginWindow", "endWindow", "internalCircuitId", "status")"#,
            11,
            &d.windows,
            |(c, b, e)| {
                vec![
                    Uuid::new_v4().into(),
                    Value::Int(*c as i64),
                    Value::Int(1),
                    Value::Bool(true),
                    Value::Int(1),
                    "fiberprovider".into(),
                    format!("PW{c}").into(),
                    (*b).into(),
                    (*e).into(),
                    d.circuits[*c].into(),
                    "CONFIRMED".into(),
                ]
            },
        );
        Ok(())
    })
    .unwrap();
    if s.backend() == mnp_store::db::Backend::Postgres {
        s.db().batch("ANALYZE").unwrap();
    }
    println!("  filled in {:.1} s", t.elapsed().as_secs_f64());
}

fn evaluate(url: &str, label: &str) {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_mnp"))
        .env_remove("MNP_LOG")
        .args([
            "-v",
            "--database",
            url,
            "sla",
            "evaluate",
            "--period",
            "2026-10",
            "--now",
            "2026-11-05T00:00:00Z",
        ])
        .output()
        .unwrap();
    let el = t.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    let phases: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("sla evaluate"))
        .flat_map(|l| l.split_whitespace())
        .filter(|w| w.contains("_ms="))
        .collect();
    println!(
        "  {label}: {el:.2} s wall ({}) — {}",
        phases.join(" "),
        stdout.lines().collect::<Vec<_>>().join("; ")
    );
}

fn fresh_postgres(base: &str) -> (String, String) {
    let name = format!("mnp_bench_sla_{}", std::process::id());
    let mut c = postgres::Client::connect(base, postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (head, _) = base.rsplit_once('/').unwrap();
    (format!("{head}/{name}"), name)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(100_000);
    let k = args.get(1).copied().unwrap_or(10);
    let now = Utc.with_ymd_and_hms(2026, 11, 5, 0, 0, 0).unwrap();
    let t = Instant::now();
    let d = generate(n, k);
    println!(
        "generated {} circuits, {} outages in {:.2} s",
        n,
        d.outages.len(),
        t.elapsed().as_secs_f64()
    );
    pure(&d, now);

    let dir = std::env::temp_dir().join(format!("mnp-bench-sla-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("mnp.db").display());
    println!("SQLite (file, WAL):");
    fill(&url, &d);
    evaluate(&url, "first run");
    evaluate(&url, "second run");
    let _ = std::fs::remove_dir_all(&dir);

    match std::env::var("MNP_BENCH_POSTGRES_URL") {
        Ok(base) => {
            let (url, name) = fresh_postgres(&base);
            println!("PostgreSQL:");
            fill(&url, &d);
            evaluate(&url, "first run");
            evaluate(&url, "second run");
            let mut c = postgres::Client::connect(&base, postgres::NoTls).unwrap();
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
        }
        Err(_) => println!("PostgreSQL: skipped (set MNP_BENCH_POSTGRES_URL)"),
    }
}
