//! Laws of the outage detector, checked with proptest on random event
//! streams (few ports, few distinct seconds, so ties, flaps, repeated DOWNs
//! and UPs without DOWN all happen often).

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use mnp_sla::detector::{Detection, DetectorConfig, PortTable, detect, detect_continuing};
use mnp_sla::logs::{LinkEvent, LinkState};
use proptest::prelude::*;

/// Ports 0..=4; 0 and 1 are both ends of circuit "A", 2 is "B", 3 is "C",
/// 4 is unmapped.
const PORTS: [(&str, &str); 5] = [
    ("r1", "Gi0/1"),
    ("r2", "xe-0/0/1"),
    ("r1", "Gi0/2"),
    ("r3", "Et1"),
    ("r9", "Te9/9"),
];

fn table() -> PortTable<&'static str> {
    [
        ("r1", "GigabitEthernet0/1", "A"),
        ("R2", "xe-0/0/1", "A"),
        ("r1", "Gi0/2", "B"),
        ("r3", "Ethernet1", "C"),
    ]
    .into_iter()
    .collect()
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap()
}

/// (port, is_down, second) triples; line numbers are positions + 1.
fn events_strategy() -> impl Strategy<Value = Vec<LinkEvent>> {
    prop::collection::vec((0usize..5, any::<bool>(), 0i64..120), 0..60).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (p, down, s))| LinkEvent {
                device: PORTS[p].0.into(),
                port: PORTS[p].1.into(),
                state: if down { LinkState::Down } else { LinkState::Up },
                ts: t0() + TimeDelta::seconds(s),
                line: i + 1,
                raw: String::new(),
                family: "test",
            })
            .collect()
    })
}

fn run(events: &[LinkEvent], gap: i64) -> Detection<&'static str> {
    detect(
        events,
        &table(),
        &DetectorConfig {
            merge_gap: TimeDelta::seconds(gap),
        },
    )
}

fn span(events: &[LinkEvent]) -> (DateTime<Utc>, DateTime<Utc>) {
    let min = events.iter().map(|e| e.ts).min().unwrap_or(t0());
    let max = events.iter().map(|e| e.ts).max().unwrap_or(t0());
    (min, max)
}

fn per_circuit(d: &Detection<&'static str>) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for o in &d.outages {
        *m.entry(o.circuit).or_insert(0) += 1;
    }
    m
}

fn down_time(d: &Detection<&'static str>, until: DateTime<Utc>) -> TimeDelta {
    d.outages
        .iter()
        .map(|o| o.duration_until(until))
        .fold(TimeDelta::zero(), |a, b| a + b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn outages_of_a_circuit_never_overlap_and_begin_before_end(
        events in events_strategy(), gap in 0i64..40,
    ) {
        let d = run(&events, gap);
        for o in &d.outages {
            if let Some(e) = o.end {
                prop_assert!(o.begin < e, "{o:?}");
            }
            prop_assert!(o.flaps >= 1);
            prop_assert_eq!(o.events, o.lines.len());
        }
        for w in d.outages.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            prop_assert!(a.circuit <= b.circuit, "sorted by circuit");
            if a.circuit == b.circuit {
                // Only the last outage of a circuit may be open, and the
                // next one starts more than the gap after this one ends.
                let end = a.end.expect("open outage followed by another");
                prop_assert!(end < b.begin, "{a:?} overlaps {b:?}");
                prop_assert!(b.begin - end > TimeDelta::seconds(gap), "{a:?} / {b:?} within gap");
            }
        }
    }

    #[test]
    fn total_down_time_never_exceeds_the_span_of_events(
        events in events_strategy(), gap in 0i64..40,
    ) {
        let d = run(&events, gap);
        let (first, last) = span(&events);
        for (c, _) in per_circuit(&d) {
            let total: TimeDelta = d.outages.iter().filter(|o| o.circuit == c)
                .map(|o| o.duration_until(last))
                .fold(TimeDelta::zero(), |a, b| a + b);
            prop_assert!(total <= last - first, "{c}: {total} > {}", last - first);
        }
        for o in &d.outages {
            prop_assert!(o.begin >= first && o.end.unwrap_or(last) <= last);
        }
    }

    #[test]
    fn a_larger_gap_never_increases_outages_nor_reduces_down_time(
        events in events_strategy(), g1 in 0i64..40, extra in 0i64..60,
    ) {
        let (small, large) = (run(&events, g1), run(&events, g1 + extra));
        prop_assert!(large.outages.len() <= small.outages.len());
        let (s, l) = (per_circuit(&small), per_circuit(&large));
        for (c, n) in &l {
            prop_assert!(n <= s.get(c).unwrap_or(&0), "{c}");
        }
        let (_, last) = span(&events);
        prop_assert!(down_time(&large, last) >= down_time(&small, last));
        // What does not depend on the gap does not change.
        prop_assert_eq!(&large.unknown_ports, &small.unknown_ports);
        prop_assert_eq!(&large.repeated_downs, &small.repeated_downs);
        prop_assert_eq!(&large.ups_without_down, &small.ups_without_down);
        prop_assert_eq!(&large.instant_flaps, &small.instant_flaps);
    }

    #[test]
    fn input_order_does_not_matter(
        events in events_strategy(), gap in 0i64..40, seed in any::<u64>(),
    ) {
        // A deterministic shuffle (xorshift), lines unchanged.
        let mut shuffled = events.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(run(&shuffled, gap), run(&events, gap));
    }

    #[test]
    fn every_event_is_accounted_for(events in events_strategy(), gap in 0i64..40) {
        let d = run(&events, gap);
        prop_assert_eq!(d.events, events.len());
        let in_outages: usize = d.outages.iter().map(|o| o.events).sum();
        let used = in_outages + d.unknown_events() + d.ups_without_down.len();
        // Events of instant flaps (their DOWN, repeated DOWNs, UP) are the
        // only ones reported nowhere else.
        if d.instant_flaps.is_empty() {
            prop_assert_eq!(used, events.len());
        } else {
            prop_assert!(used + 2 * d.instant_flaps.len() <= events.len());
        }
        let unknown_expected = events.iter().filter(|e| e.device == "r9").count();
        prop_assert_eq!(d.unknown_events(), unknown_expected);
    }

    #[test]
    fn detecting_in_two_parts_carrying_open_outages_equals_detecting_the_whole(
        events in events_strategy(), split in 0i64..121,
    ) {
        let cut = t0() + TimeDelta::seconds(split);
        let (first, second): (Vec<LinkEvent>, Vec<LinkEvent>) =
            events.iter().cloned().partition(|e| e.ts < cut);
        let cfg = DetectorConfig::default();
        let d1 = detect(&first, &table(), &cfg);
        let open: Vec<(&str, DateTime<Utc>)> = d1.outages.iter()
            .filter(|o| o.end.is_none()).map(|o| (o.circuit, o.begin)).collect();
        let d2 = detect_continuing(&second, &table(), &cfg, &open);
        let mut parts: Vec<_> = d1.outages.iter().filter(|o| o.end.is_some())
            .chain(&d2.outages).map(|o| (o.circuit, o.span())).collect();
        parts.sort();
        let whole: Vec<_> = run(&events, 0).outages.iter().map(|o| (o.circuit, o.span())).collect();
        prop_assert_eq!(parts, whole);
    }
}
