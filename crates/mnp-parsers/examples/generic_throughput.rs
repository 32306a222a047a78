//! Throughput of the generic parser: decode + `generic::parse` on every
//! `.eml` under the given folders, all in memory, one thread, best of
//! `ROUNDS` passes.
//!
//! `cargo run --release -p mnp-parsers --example generic_throughput -- DIR...`
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::time::Instant;

use mnp_parsers::generic::{self, Inventory, Options};

const ROUNDS: usize = 5;

fn collect(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "eml")
            && let Ok(b) = std::fs::read(&p)
        {
            out.push(b);
        }
    }
}

fn main() {
    let mut mails = Vec::new();
    for d in std::env::args().skip(1) {
        collect(Path::new(&d), &mut mails);
    }
    let bytes: usize = mails.iter().map(Vec::len).sum();
    let (inv, opts) = (Inventory::default(), Options::default());
    let mut best = f64::MAX;
    let mut confident = 0;
    for _ in 0..ROUNDS {
        confident = 0;
        let t = Instant::now();
        for raw in &mails {
            if let Ok(m) = mnp_core::Email::parse(raw)
                && let Ok(r) = generic::parse(&m, &inv, &opts)
                && r.is_confident(&opts)
            {
                confident += 1;
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let n = mails.len() as f64;
    println!(
        "{} mails, {:.2} MB, best of {ROUNDS}: {:.3} s = {:.0} mails/s, {:.1} MB/s ({confident} confident)",
        mails.len(),
        bytes as f64 / 1e6,
        best,
        n / best,
        bytes as f64 / 1e6 / best
    );
}
