//! Threshold-engine throughput and memory per tracked circuit.
//!
//! `cargo bench -p mnp-maxout --bench engine [-- CIRCUITS]` (default 100,000).
//! One thread. Prints samples/s for the paths a service uses:
//!
//! * `observe_ms` — dense index, Unix ms, both directions (the hot path);
//! * `observe` — the same with `DateTime<Utc>` instants;
//! * `observe_sample` — looked up by circuit id string (hash map);
//! * `observe_counters` — 64-bit octet counters → rates → engine;
//! * `line protocol parse` — text → readings, for comparison with ingest.
//!
//! Traffic: each circuit at 30–80 % of capacity with a per-round wobble;
//! every 20th circuit runs at 100–104 % in rounds 40–79 of each 200, so
//! episodes open and resolve and the event path is included.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::Instant;

use chrono::DateTime;
use mnp_maxout::engine::{CircuitIdx, CircuitSpec, Engine, Rule};
use mnp_maxout::telemetry::{CircuitRef, Counter, CounterSample, CounterWidth, Sample, line};

const CAP: u64 = 1_000_000_000;
const T0: i64 = 1_700_000_000_000;
const STEP_MS: i64 = 10_000;

fn level(c: usize, round: usize) -> f64 {
    let base = 0.3 + 0.5 * ((c * 7919 % 1000) as f64 / 1000.0);
    let wobble = 0.02 * (((c + round) % 5) as f64 - 2.0);
    if c.is_multiple_of(20) && (40..80).contains(&(round % 200)) {
        1.0 + 0.01 * ((c + round) % 5) as f64
    } else {
        (base + wobble).min(0.85)
    }
}

fn engine(n: usize) -> (Engine, Vec<CircuitIdx>) {
    let mut e = Engine::new();
    let ids = (0..n)
        .map(|c| {
            let mut spec = CircuitSpec::new(format!("CIRCUIT-{c:07}"), CAP, Rule::default());
            spec.customer = Some(format!("CUST-{:05}", c / 10));
            e.add_circuit(spec).unwrap()
        })
        .collect();
    (e, ids)
}

/// Per-circuit values of one round cycle, precomputed so the loop measures the engine.
fn table(n: usize, rounds: usize) -> Vec<f64> {
    (0..rounds)
        .flat_map(|r| (0..n).map(move |c| level(c, r) * CAP as f64))
        .collect()
}

fn report(name: &str, samples: usize, secs: f64, events: usize) {
    println!(
        "{name:<24} {:>14.0} samples/s  ({samples} samples in {secs:.3} s, {events} events)",
        samples as f64 / secs
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let rounds = 200;
    let vals = table(n, rounds);
    println!("engine bench: {n} circuits, {rounds} rounds, 1 thread");

    // Hot path.
    let (mut e, ids) = engine(n);
    let mut ev = Vec::new();
    let mut events = 0;
    // Events are counted as opened + resolved in every run.
    let start = Instant::now();
    for r in 0..rounds {
        let ts = T0 + r as i64 * STEP_MS;
        let row = &vals[r * n..(r + 1) * n];
        for (c, &v) in row.iter().enumerate() {
            e.observe_ms(ids[c], ts, Some(v), Some(v * 0.3), &mut ev);
        }
        events += ev.len();
        ev.clear();
    }
    report(
        "observe_ms",
        n * rounds,
        start.elapsed().as_secs_f64(),
        events,
    );
    let st = e.stats();
    assert_eq!(st.accepted as usize, n * rounds);
    assert!(st.opened > 0 && st.resolved > 0);
    println!(
        "bytes of state per tracked circuit: {} (rate samples only)",
        e.bytes_per_circuit()
    );

    // DateTime path.
    let (mut e, ids) = engine(n);
    let start = Instant::now();
    for r in 0..rounds {
        let ts = DateTime::from_timestamp_millis(T0 + r as i64 * STEP_MS).unwrap();
        let row = &vals[r * n..(r + 1) * n];
        for (c, &v) in row.iter().enumerate() {
            e.observe(ids[c], ts, Some(v), Some(v * 0.3), &mut ev);
        }
        ev.clear();
    }
    report(
        "observe (DateTime)",
        n * rounds,
        start.elapsed().as_secs_f64(),
        (e.stats().opened + e.stats().resolved) as usize,
    );

    // Lookup by id.
    let r2 = rounds / 4;
    let (mut e, _) = engine(n);
    let mut samples: Vec<Sample> = (0..n)
        .map(|c| Sample::new(format!("CIRCUIT-{c:07}"), DateTime::UNIX_EPOCH, 0.0, 0.0))
        .collect();
    let start = Instant::now();
    for r in 0..r2 {
        let ts = DateTime::from_timestamp_millis(T0 + r as i64 * STEP_MS).unwrap();
        for (c, s) in samples.iter_mut().enumerate() {
            s.ts = ts;
            s.in_bps = Some(vals[r * n + c]);
            e.observe_sample(s, &mut ev);
        }
        ev.clear();
    }
    report(
        "observe_sample (by id)",
        n * r2,
        start.elapsed().as_secs_f64(),
        (e.stats().opened + e.stats().resolved) as usize,
    );

    // Counters.
    let (mut e, ids) = engine(n);
    let mut octets = vec![0u64; n];
    let mut cs = CounterSample {
        circuit: CircuitRef::Id(String::new()),
        ts: DateTime::UNIX_EPOCH,
        in_octets: None,
        out_octets: None,
        link_bps: Some(10 * CAP),
    };
    let start = Instant::now();
    for r in 0..r2 {
        cs.ts = DateTime::from_timestamp_millis(T0 + r as i64 * STEP_MS).unwrap();
        for c in 0..n {
            octets[c] = octets[c].wrapping_add((vals[r * n + c] * 10.0 / 8.0) as u64);
            cs.in_octets = Counter::new(octets[c], CounterWidth::Bits64);
            cs.out_octets = Counter::new(octets[c] / 3, CounterWidth::Bits64);
            e.observe_counters(ids[c], &cs, &mut ev);
        }
        ev.clear();
    }
    report(
        "observe_counters",
        n * r2,
        start.elapsed().as_secs_f64(),
        (e.stats().opened + e.stats().resolved) as usize,
    );
    println!(
        "bytes of state per tracked circuit: {} (with counters)",
        e.bytes_per_circuit()
    );

    // Line protocol parsing, for scale.
    let lines = 100_000;
    let mut body = String::new();
    for i in 0..lines {
        body.push_str(&format!(
            "interface,circuit=CIRCUIT-{:07},device=r{},port=xe-0/0/{} in_bps={}.5,out_bps={} {}\n",
            i % n,
            i % 50,
            i % 48,
            400_000_000 + i,
            100_000_000 + i,
            1_700_000_000_000_000_000i64 + i as i64
        ));
    }
    let start = Instant::now();
    let batch = line::parse(&body, line::Precision::Nanoseconds, DateTime::UNIX_EPOCH);
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(batch.readings.len(), lines);
    report("line protocol parse", lines, secs, 0);
    println!("  ({:.1} MB/s)", body.len() as f64 / secs / 1e6);
    black_box(batch);
}
