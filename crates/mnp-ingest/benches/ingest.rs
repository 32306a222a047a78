//! Ingest throughput end to end (bytes → parse → match → store → label) for
//! 10,000 mails into SQLite (a file) and, when `MNP_BENCH_POSTGRES_URL` is
//! set, PostgreSQL. Half the mails name a circuit that is in the inventory.
//!
//! `cargo bench -p mnp-ingest --bench ingest [-- N]`
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::time::Instant;

use mnp_ingest::{Message, MessageRef, Pipeline};
use mnp_store::{Circuit, Store};

fn mail(i: usize) -> Vec<u8> {
    format!(
        "From: Fiber Provider <noc@fiberprovider.com>\r\nTo: netops@lakeside-isp.example\r\n\
Subject: Planned Work PWB{i:06} Notification from Fiber Provider to Lakeside ISP\r\n\
Date: Tue, 30 Apr 2024 16:20:00 -0500\r\nMessage-ID: <pwb{i:06}.1@fiberprovider.com>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\n\
PLANNED WORK (PW) Notification from Fiber Provider\r\n\r\nCustomer: Lakeside ISP\r\n\
PW Reference number: PWB{i:06}\r\n\
Start Date and Time: 2024-May-14 23:00 CDT\r\nEnd Date and Time: 2024-May-15 05:00 CDT\r\n\
Action and Reason: Benchmark {i}.\r\n\r\nService ID: IC-{:05}\r\nImpact: 1 x 30 minutes interruption\r\n\
Service ID: IC-B{i:06}\r\n",
        i % 5000
    )
    .into_bytes()
}

fn run(label: &str, url: &str, n: usize) {
    let mut store = Store::open(url).unwrap();
    store.migrate().unwrap();
    let reg = mnp_parsers::registry();
    store.sync_vendors(&reg).unwrap();
    store
        .transaction(|s| {
            for i in 0..5000 {
                s.upsert_circuit(&Circuit {
                    internal_circuit_id: uuid::Uuid::new_v4(),
                    vendor_circuit_id: format!("IC-{i:05}"),
                    vendor_id: "fiberprovider".into(),
                    customer_id: None,
                    provisioned_bps: Some(1_000_000_000),
                    burst_bps: None,
                    sla_id: None,
                    sla_epoch: None,
                    description: String::new(),
                })?;
            }
            Ok(())
        })
        .unwrap();
    let mails: Vec<Vec<u8>> = (0..n).map(mail).collect();
    let bytes: usize = mails.iter().map(Vec::len).sum();
    let mut p = Pipeline::new(reg, store);
    let t = Instant::now();
    for (i, raw) in mails.into_iter().enumerate() {
        let m = Message {
            r#ref: MessageRef {
                key: i.to_string(),
                ticket_id: None,
            },
            raw,
            received_at: None,
            origin: "bench".into(),
        };
        p.process(&m).unwrap();
    }
    let el = t.elapsed().as_secs_f64();
    println!(
        "{label:<10} {n} mails in {el:.2} s: {:.0} mails/s, {:.2} MB/s",
        n as f64 / el,
        bytes as f64 / el / 1e6
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("mnp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    run(
        "sqlite",
        &format!("sqlite:{}", dir.join("bench.db").display()),
        n,
    );
    match std::env::var("MNP_BENCH_POSTGRES_URL") {
        Ok(u) => run("postgres", &u, n),
        Err(_) => println!("postgres   skipped (set MNP_BENCH_POSTGRES_URL to a fresh database)"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
