//! Parse throughput: decode → route → parse over the reference corpus
//! (`../shared/corpus/real`, or `MNP_REAL_CORPUS`) plus the project's own
//! `corpus/`, all mails held in memory. Prints mails/s and MB/s for one
//! thread and for all cores, the cumulative cost of the phases (decode,
//! text rendering, routing, parsing) and the per-vendor cost (µs per mail)
//! so the slowest parsers stand out.
//!
//! `cargo bench -p mnp-parsers --bench throughput [-- SECONDS]`
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mnp_core::{Email, Registry};

fn collect(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "eml") {
            let vendor = p
                .parent()
                .and_then(|d| d.file_name())
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            out.push((vendor, std::fs::read(&p).unwrap()));
        }
    }
}

fn parse_all(reg: &Registry, mails: &[(String, Vec<u8>)]) -> usize {
    let mut ok = 0;
    for (_, raw) in mails {
        if let Ok(email) = Email::parse(raw)
            && reg.parse(&email, None).is_ok()
        {
            ok += 1;
        }
    }
    ok
}

/// CPU time of this thread so far (`/proc/thread-self/schedstat`), so that
/// a busy machine (other jobs on the cores) does not inflate the phase costs;
/// zero where the file is missing.
fn cpu_now() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

fn main() {
    let secs: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3.0);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let real = std::env::var_os("MNP_REAL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus/real"));
    let mut mails = Vec::new();
    collect(&real, &mut mails);
    let n_real = mails.len();
    collect(&root.join("corpus"), &mut mails);
    let bytes: usize = mails.iter().map(|(_, b)| b.len()).sum();
    let reg = mnp_parsers::registry();
    println!(
        "{} mails ({} reference + {} project fixtures), {:.2} MB",
        mails.len(),
        n_real,
        mails.len() - n_real,
        bytes as f64 / 1e6
    );
    let ok = parse_all(&reg, &mails);
    println!("{ok} parse to maintenances (the rest are rejects or failures)");

    // one thread
    let budget = Duration::from_secs_f64(secs);
    let t = Instant::now();
    let c = cpu_now();
    let mut rounds = 0usize;
    while t.elapsed() < budget {
        parse_all(&reg, &mails);
        rounds += 1;
    }
    let el = t.elapsed().as_secs_f64();
    let cpu = (cpu_now() - c).as_secs_f64();
    let one = (rounds * mails.len()) as f64 / el;
    println!(
        "1 thread : {:>10.0} mails/s  {:>8.1} MB/s   (per CPU-second of the thread: {:.0} mails/s)",
        one,
        (rounds * bytes) as f64 / el / 1e6,
        (rounds * mails.len()) as f64 / cpu.max(1e-9)
    );

    // all cores
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let t = Instant::now();
    let total: usize = std::thread::scope(|s| {
        let hs: Vec<_> = (0..cores)
            .map(|_| {
                s.spawn(|| {
                    let mut r = 0usize;
                    while t.elapsed() < budget {
                        parse_all(&reg, &mails);
                        r += 1;
                    }
                    r
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let el = t.elapsed().as_secs_f64();
    println!(
        "{cores} threads: {:>10.0} mails/s  {:>8.1} MB/s",
        (total * mails.len()) as f64 / el,
        (total * bytes) as f64 / el / 1e6
    );

    // phase breakdown, one thread: where does the time go?
    let phase = |name: &str, f: &dyn Fn(&[u8])| {
        let t = Instant::now();
        let c = cpu_now();
        let mut n = 0usize;
        while t.elapsed() < budget / 3 {
            for (_, raw) in &mails {
                f(raw);
            }
            n += mails.len();
        }
        println!(
            "  {name:<40} {:>8.1} µs/mail  ({:.1} CPU)",
            t.elapsed().as_secs_f64() * 1e6 / n as f64,
            (cpu_now() - c).as_secs_f64() * 1e6 / n as f64
        );
    };
    println!("phases (cumulative):");
    phase("decode (Email::parse)", &|raw| {
        let _ = Email::parse(raw);
    });
    phase("+ text() (HTML rendered without a DOM)", &|raw| {
        if let Ok(e) = Email::parse(raw) {
            let _ = e.text();
        }
    });
    phase("+ route", &|raw| {
        if let Ok(e) = Email::parse(raw) {
            let _ = reg.route(&e);
        }
    });
    phase("+ parse (full path)", &|raw| {
        if let Ok(e) = Email::parse(raw) {
            let _ = reg.parse(&e, None);
        }
    });
    // the HTML work alone, on mails decoded beforehand
    let decoded: Vec<Email> = mails
        .iter()
        .filter_map(|(_, r)| Email::parse(r).ok())
        .collect();
    let html_phase = |name: &str, f: &dyn Fn(&str)| {
        let t = Instant::now();
        let c = cpu_now();
        let mut n = 0usize;
        while t.elapsed() < budget / 3 {
            for e in &decoded {
                for src in e.html_sources() {
                    f(src);
                }
            }
            n += decoded.len();
        }
        println!(
            "  {name:<40} {:>8.1} µs/mail  ({:.1} CPU)",
            t.elapsed().as_secs_f64() * 1e6 / n as f64,
            (cpu_now() - c).as_secs_f64() * 1e6 / n as f64
        );
    };
    struct Null;
    impl mnp_core::html::stream::Sink for Null {
        fn open(&mut self, _: &str) {}
        fn close(&mut self, _: &str) {}
        fn text(&mut self, _: &str) {}
    }
    println!("HTML alone (mails decoded beforehand):");
    html_phase("events (tokenizer + tree model)", &|src| {
        let _ = mnp_core::html::stream::stream(src, &mut Null);
    });
    html_phase("text rendering (html::to_text)", &|src| {
        let _ = mnp_core::html::to_text(src);
    });
    println!("for comparison, not on the path of most parsers:");
    phase("decode + html5ever DOM (html_docs)", &|raw| {
        if let Ok(e) = Email::parse(raw) {
            let _ = e.html_docs();
        }
    });

    // per vendor folder: µs per mail, slowest first
    let mut per: BTreeMap<&str, (usize, Duration)> = BTreeMap::new();
    for (v, raw) in &mails {
        let t = Instant::now();
        for _ in 0..20 {
            if let Ok(email) = Email::parse(raw) {
                let _ = reg.parse(&email, None);
            }
        }
        let e = per.entry(v.as_str()).or_default();
        e.0 += 20;
        e.1 += t.elapsed();
    }
    let mut rows: Vec<(&str, f64)> = per
        .iter()
        .map(|(v, (n, d))| (*v, d.as_secs_f64() * 1e6 / *n as f64))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("slowest folders (µs per mail):");
    for (v, us) in rows.iter().take(8) {
        println!("  {v:<24} {us:>8.1}");
    }
}
