//! "Best effort, never panics": parsers and the engine on hostile input.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use chrono::DateTime;
use mnp_maxout::engine::{CircuitIdx, CircuitSpec, Engine, Rule};
use mnp_maxout::telemetry::{json, line};
use proptest::prelude::*;

const VALID: &str = "interface,circuit=C1,device=r1,port=xe-0/0/1 in_bps=1.2e9,out_bps=3e8 1700000000000000000\n\
interface,device=r1,port=xe\\ 0/0/2 ifHCInOctets=123456789i,ifHCOutOctets=42u,ifHighSpeed=10000i,ifDescr=\"a, \\\"b\\\" c\" 1700000000000000000\n\
if,circuit=C2 ifInOctets=7i,ifOutOctets=8i 1\n";

const VALID_JSON: &str = r#"[{"circuitId":"C1","timestamp":"2024-05-01T12:00:00Z","usage":950000000,"direction":"in"},{"circuitId":"C1","timestamp":1714564800,"usage":"1e6","direction":"out"}]"#;

#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, u8),
    Insert(usize, u8),
    Delete(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let interesting = prop_oneof![
        any::<u8>(),
        prop::sample::select(b" ,=\\\"\n\r\t-.eEiu0123456789{}[]:".to_vec())
    ];
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), interesting.clone()).prop_map(|(i, b)| Edit::Replace(i, b)),
            (any::<usize>(), interesting).prop_map(|(i, b)| Edit::Insert(i, b)),
            any::<usize>().prop_map(Edit::Delete),
        ],
        1..8,
    )
}

fn mutate(base: &str, edits: &[Edit]) -> Vec<u8> {
    let mut b = base.as_bytes().to_vec();
    for e in edits {
        let n = b.len().max(1);
        match *e {
            Edit::Replace(i, c) if !b.is_empty() => b[i % n] = c,
            Edit::Insert(i, c) => b.insert(i % (b.len() + 1), c),
            Edit::Delete(i) if !b.is_empty() => {
                b.remove(i % n);
            }
            _ => {}
        }
    }
    b
}

proptest! {
    #[test]
    fn line_protocol_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let b = line::parse_bytes(&bytes, line::Precision::Seconds, DateTime::UNIX_EPOCH);
        let lines = bytes.split(|&c| c == b'\n').count();
        for e in &b.errors {
            let at = e.position().unwrap();
            prop_assert!(at >= 1 && at <= lines);
        }
    }

    #[test]
    fn mutated_line_protocol_never_panics(e in edits()) {
        let body = mutate(VALID, &e);
        let b = line::parse_bytes(&body, line::Precision::Nanoseconds, DateTime::UNIX_EPOCH);
        let lines = body.split(|&c| c == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)).count();
        // Every non-blank line is accounted for at most once.
        prop_assert!(b.errors.len() + b.skipped <= lines);
    }

    #[test]
    fn mutated_json_never_panics(e in edits()) {
        let body = mutate(VALID_JSON, &e);
        let _ = json::parse_batch(&body);
        let _ = json::parse_sample(&body);
    }

    #[test]
    fn engine_takes_any_numbers(
        samples in prop::collection::vec((any::<i64>(), any::<Option<f64>>(), any::<Option<f64>>(), any::<bool>()), 0..200),
        threshold in 1.0f64..=1000.0,
    ) {
        let mut e = Engine::new();
        let c = e.add_circuit(CircuitSpec::new("C", 1, Rule { threshold_percent: threshold, resolve_below_percent: threshold / 2.0, ..Rule::default() })).unwrap();
        let mut ev = Vec::new();
        for (ts, i, o, tick) in samples {
            e.observe_ms(c, ts, i, o, &mut ev);
            e.observe_ms(CircuitIdx(7), ts, i, o, &mut ev);
            if tick {
                e.tick(DateTime::from_timestamp_millis(ts).unwrap_or(DateTime::UNIX_EPOCH), &mut ev);
            }
        }
        let _ = e.open_episodes();
    }
}
