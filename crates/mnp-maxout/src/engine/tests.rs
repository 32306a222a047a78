//! Engine unit tests. Values are computed by hand in the comments.

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::telemetry::{CircuitRef, Counter, CounterWidth};

const G: f64 = 1e9;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap()
}

fn min(n: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(n)
}

fn engine(rule: Rule) -> (Engine, CircuitIdx) {
    let mut e = Engine::new();
    let mut spec = CircuitSpec::new("C1", 1_000_000_000, rule);
    spec.customer = Some("ACME".into());
    let idx = e.add_circuit(spec).unwrap();
    (e, idx)
}

/// Feeds `(minute, in Gbit/s, out Gbit/s)` and returns all events.
fn feed(e: &mut Engine, idx: CircuitIdx, samples: &[(i64, f64, f64)]) -> Vec<EpisodeEvent> {
    let mut ev = Vec::new();
    for &(m, i, o) in samples {
        e.observe(idx, min(m), Some(i * G), Some(o * G), &mut ev);
    }
    ev
}

fn opened(ev: &[EpisodeEvent]) -> Vec<&Episode> {
    ev.iter()
        .filter_map(|e| match e {
            EpisodeEvent::Opened(x) => Some(x),
            _ => None,
        })
        .collect()
}

fn resolved(ev: &[EpisodeEvent]) -> Vec<&Episode> {
    ev.iter()
        .filter_map(|e| match e {
            EpisodeEvent::Resolved(x) => Some(x),
            _ => None,
        })
        .collect()
}

#[test]
fn opens_after_three_and_resolves_with_hysteresis() {
    let (mut e, c) = engine(Rule::default());
    let ev = feed(
        &mut e,
        c,
        &[
            (0, 0.5, 0.1),
            (1, 1.0, 0.1), // run starts
            (2, 1.0, 0.1),
            (3, 1.0, 0.1), // third over → opens, start = minute 1
            (4, 1.05, 0.1),
            (5, 0.95, 0.1), // hold band: not over, not below 90 %
            (6, 0.5, 0.1),  // resolving run starts
            (7, 0.5, 0.1),
            (8, 0.5, 0.1), // third below → resolves, end = minute 6
        ],
    );
    let o = opened(&ev);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].start, min(1));
    // Over samples at 1 and 2 each hold 60 s until the next sample.
    assert_eq!(o[0].seconds_over, 120);
    assert_eq!(o[0].peak_percent, 100.0);
    assert_eq!(o[0].customer.as_deref(), Some("ACME"));
    let r = resolved(&ev);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].start, min(1));
    assert_eq!(r[0].end, Some(min(6)));
    // Over samples at 1, 2, 3, 4 → 4 × 60 s.
    assert_eq!((r[0].seconds_over, r[0].minutes_over), (240, 4));
    assert!((r[0].peak_percent - 105.0).abs() < 1e-9);
    assert_eq!(r[0].peak_bps, 1.05 * G);
    assert_eq!(r[0].direction, Direction::In);
    assert_eq!(r[0].id, o[0].id);
    assert_eq!(e.stats().opened, 1);
    assert_eq!(e.stats().resolved, 1);
    assert!(e.open_episode(c).is_none());
}

#[test]
fn hold_band_breaks_a_resolving_run() {
    let (mut e, c) = engine(Rule::default());
    let ev = feed(
        &mut e,
        c,
        &[
            (0, 1.0, 0.0),
            (1, 1.0, 0.0),
            (2, 1.0, 0.0),
            (3, 0.5, 0.0),
            (4, 0.5, 0.0),
            (5, 0.92, 0.0),
            (6, 0.5, 0.0),
            (7, 0.5, 0.0),
            (8, 0.5, 0.0),
        ],
    );
    let r = resolved(&ev);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].end, Some(min(6)));
    assert_eq!(r[0].last_sample, min(8));
    // Over: 0, 1, 2 → 180 s; 0.92 is not over.
    assert_eq!(r[0].seconds_over, 180);
}

#[test]
fn a_dip_below_threshold_restarts_the_opening_run() {
    let (mut e, c) = engine(Rule::default());
    let ev = feed(
        &mut e,
        c,
        &[
            (0, 1.0, 0.0),
            (1, 1.0, 0.0),
            (2, 0.99, 0.0),
            (3, 1.0, 0.0),
            (4, 1.0, 0.0),
        ],
    );
    assert!(ev.is_empty());
    let ev = feed(&mut e, c, &[(5, 1.0, 0.0)]);
    assert_eq!(opened(&ev)[0].start, min(3));
}

#[test]
fn open_after_duration() {
    let rule = Rule {
        open_samples: 1,
        open_after: Seconds::minutes(5),
        ..Rule::default()
    };
    let (mut e, c) = engine(rule);
    let ev = feed(
        &mut e,
        c,
        &[
            (0, 1.0, 0.0),
            (1, 1.0, 0.0),
            (2, 1.0, 0.0),
            (3, 1.0, 0.0),
            (4, 1.0, 0.0),
        ],
    );
    assert!(ev.is_empty(), "4 minutes is not 5");
    let ev = feed(&mut e, c, &[(5, 1.0, 0.0)]);
    assert_eq!(opened(&ev)[0].start, min(0));
    assert_eq!(opened(&ev)[0].seconds_over, 300);
}

#[test]
fn resolve_after_duration() {
    let rule = Rule {
        resolve_samples: 1,
        resolve_after: Seconds::minutes(2),
        ..Rule::default()
    };
    let (mut e, c) = engine(rule);
    let ev = feed(
        &mut e,
        c,
        &[
            (0, 1.0, 0.0),
            (1, 1.0, 0.0),
            (2, 1.0, 0.0),
            (3, 0.1, 0.0),
            (4, 0.1, 0.0),
        ],
    );
    assert!(resolved(&ev).is_empty());
    let ev = feed(&mut e, c, &[(5, 0.1, 0.0)]);
    assert_eq!(resolved(&ev)[0].end, Some(min(3)));
}

#[test]
fn stale_gap_breaks_the_opening_run() {
    let (mut e, c) = engine(Rule::default()); // stale after 10 min
    let ev = feed(
        &mut e,
        c,
        &[(0, 1.0, 0.0), (1, 1.0, 0.0), (12, 1.0, 0.0), (13, 1.0, 0.0)],
    );
    assert!(
        ev.is_empty(),
        "2 + 2 over samples across an 11-minute gap must not open"
    );
    let ev = feed(&mut e, c, &[(14, 1.0, 0.0)]);
    let o = opened(&ev);
    assert_eq!(o[0].start, min(12));
    assert_eq!(o[0].seconds_over, 120);
}

#[test]
fn a_gap_of_exactly_stale_after_is_not_stale() {
    let (mut e, c) = engine(Rule::default());
    let ev = feed(&mut e, c, &[(0, 1.0, 0.0), (10, 1.0, 0.0), (20, 1.0, 0.0)]);
    assert_eq!(opened(&ev)[0].seconds_over, 1200);
}

#[test]
fn stale_never_resolves() {
    let (mut e, c) = engine(Rule::default());
    let mut ev = feed(&mut e, c, &[(0, 1.0, 0.0), (1, 1.0, 0.0), (2, 1.0, 0.0)]);
    assert_eq!(opened(&ev).len(), 1);
    ev.clear();
    e.tick(min(5), &mut ev);
    assert!(ev.is_empty(), "3 minutes of silence is not stale");
    e.tick(min(13), &mut ev);
    assert_eq!(ev.len(), 1);
    assert!(matches!(&ev[0], EpisodeEvent::Stale(x) if x.is_open()));
    e.tick(min(60), &mut ev);
    e.tick(min(600), &mut ev);
    assert_eq!(ev.len(), 1, "stale is reported once per silence");
    assert!(e.open_episode(c).is_some());
    // Data comes back low: needs three fresh samples; the gap adds no time over.
    let ev = feed(&mut e, c, &[(700, 0.1, 0.0), (701, 0.1, 0.0)]);
    assert!(resolved(&ev).is_empty() && opened(&ev).is_empty());
    assert!(matches!(&ev[0], EpisodeEvent::Update(x) if x.last_sample == min(700)));
    let ev = feed(&mut e, c, &[(702, 0.1, 0.0)]);
    let r = resolved(&ev);
    assert_eq!(r[0].end, Some(min(700)));
    assert_eq!(r[0].seconds_over, 120);
}

#[test]
fn gap_in_resolving_run_restarts_it() {
    let (mut e, c) = engine(Rule::default());
    let ev = feed(
        &mut e,
        c,
        &[
            (0, 1.0, 0.0),
            (1, 1.0, 0.0),
            (2, 1.0, 0.0),
            (3, 0.1, 0.0),
            (4, 0.1, 0.0),
            (30, 0.1, 0.0),
            (31, 0.1, 0.0),
        ],
    );
    assert!(resolved(&ev).is_empty());
    let ev = feed(&mut e, c, &[(32, 0.1, 0.0)]);
    assert_eq!(resolved(&ev)[0].end, Some(min(30)));
}

#[test]
fn burst_is_the_ceiling() {
    let mut e = Engine::new();
    let mut spec = CircuitSpec::new("B1", 1_000_000_000, Rule::default());
    spec.burst_bps = Some(2_000_000_000);
    let c = e.add_circuit(spec).unwrap();
    let ev = feed(
        &mut e,
        c,
        &[(0, 1.5, 0.0), (1, 1.5, 0.0), (2, 1.5, 0.0), (3, 1.5, 0.0)],
    );
    assert!(
        ev.is_empty(),
        "150 % of the commit is 75 % of the burst ceiling"
    );
    let ev = feed(&mut e, c, &[(4, 2.0, 0.0), (5, 2.0, 0.0), (6, 2.1, 0.0)]);
    let o = opened(&ev);
    assert!((o[0].peak_percent - 105.0).abs() < 1e-9);
    assert_eq!(o[0].capacity_bps, 2_000_000_000);
    assert_eq!(o[0].provisioned_bps, 1_000_000_000);
}

#[test]
fn burst_below_provisioned_is_ignored() {
    let mut spec = CircuitSpec::new("B2", 1_000, Rule::default());
    spec.burst_bps = Some(500);
    assert_eq!(spec.ceiling_bps(), 1_000);
}

#[test]
fn direction_union() {
    let (mut e, c) = engine(Rule::default());
    let ev = feed(&mut e, c, &[(0, 0.1, 1.0), (1, 0.1, 1.0), (2, 0.1, 1.0)]);
    assert_eq!(opened(&ev)[0].direction, Direction::Out);
    let ev = feed(
        &mut e,
        c,
        &[(3, 1.0, 0.1), (4, 0.0, 0.0), (5, 0.0, 0.0), (6, 0.0, 0.0)],
    );
    assert_eq!(resolved(&ev)[0].direction, Direction::Both);
}

#[test]
fn lower_threshold_per_rule() {
    let rule = Rule {
        threshold_percent: 80.0,
        resolve_below_percent: 70.0,
        ..Rule::default()
    };
    let (mut e, c) = engine(rule);
    let ev = feed(&mut e, c, &[(0, 0.8, 0.0), (1, 0.85, 0.0), (2, 0.8, 0.0)]);
    let o = opened(&ev);
    assert_eq!(o[0].threshold_percent, 80.0);
    assert!((o[0].peak_percent - 85.0).abs() < 1e-9);
}

#[test]
fn json_halves_merge() {
    let (mut e, c) = engine(Rule::default());
    let mut ev = Vec::new();
    for m in 0..3 {
        assert_eq!(
            e.observe(c, min(m), Some(1.0 * G), None, &mut ev),
            Observed::Pending
        );
        assert_eq!(
            e.observe(c, min(m), None, Some(0.2 * G), &mut ev),
            Observed::Merged
        );
    }
    let o = opened(&ev);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].direction, Direction::In);
    assert_eq!(o[0].start, min(0));
    assert_eq!(e.stats().pending, 3);
    assert_eq!(e.stats().merged, 3);
}

#[test]
fn lone_halves_commit_on_the_next_sample_or_tick() {
    let (mut e, c) = engine(Rule::default());
    let mut ev = Vec::new();
    for m in 0..3 {
        e.observe(c, min(m), Some(1.0 * G), None, &mut ev);
    }
    assert!(ev.is_empty(), "minute 2 is still waiting for its out half");
    // The first tick starts the wait (no tick clock when the half arrived).
    e.tick(min(2) + Duration::seconds(4), &mut ev);
    e.tick(min(2) + Duration::seconds(8), &mut ev);
    assert!(ev.is_empty(), "within the 5 s grace");
    e.tick(min(2) + Duration::seconds(9), &mut ev);
    assert_eq!(opened(&ev)[0].start, min(0));
    // A late half for a committed instant is a duplicate.
    assert_eq!(
        e.observe(c, min(2), None, Some(0.0), &mut ev),
        Observed::Duplicate
    );
}

#[test]
fn two_halves_of_the_same_direction_keep_the_larger() {
    let (mut e, c) = engine(Rule::default());
    let mut ev = Vec::new();
    e.observe(c, min(0), Some(0.5 * G), None, &mut ev);
    e.observe(c, min(0), Some(1.0 * G), None, &mut ev);
    e.observe(c, min(0), None, Some(0.0), &mut ev);
    e.observe(c, min(1), Some(G), Some(0.0), &mut ev);
    e.observe(c, min(2), Some(G), Some(0.0), &mut ev);
    assert_eq!(opened(&ev)[0].start, min(0));
}

#[test]
fn out_of_order_duplicate_invalid_unknown() {
    let (mut e, c) = engine(Rule::default());
    let mut ev = Vec::new();
    assert_eq!(
        e.observe(c, min(5), Some(1.0), Some(1.0), &mut ev),
        Observed::Accepted
    );
    assert_eq!(
        e.observe(c, min(4), Some(1.0), Some(1.0), &mut ev),
        Observed::OutOfOrder
    );
    assert_eq!(
        e.observe(c, min(5), Some(1.0), Some(1.0), &mut ev),
        Observed::Duplicate
    );
    assert_eq!(
        e.observe(c, min(6), Some(f64::NAN), Some(1.0), &mut ev),
        Observed::Invalid
    );
    assert_eq!(
        e.observe(c, min(6), Some(-1.0), None, &mut ev),
        Observed::Invalid
    );
    assert_eq!(e.observe(c, min(6), None, None, &mut ev), Observed::Invalid);
    assert_eq!(
        e.observe(CircuitIdx(9), min(6), Some(1.0), Some(1.0), &mut ev),
        Observed::UnknownCircuit
    );
    let s = Sample::new("nope", min(7), 1.0, 1.0);
    assert_eq!(e.observe_sample(&s, &mut ev), Observed::UnknownCircuit);
    let st = e.stats();
    assert_eq!(
        (
            st.accepted,
            st.out_of_order,
            st.duplicate,
            st.invalid,
            st.unknown_circuit
        ),
        (1, 1, 1, 3, 2)
    );
}

#[test]
fn updates_while_open() {
    let rule = Rule {
        update_every: Seconds::minutes(5),
        ..Rule::default()
    };
    let (mut e, c) = engine(rule);
    let samples: Vec<(i64, f64, f64)> = (0..=12).map(|m| (m, 1.0, 0.0)).collect();
    let ev = feed(&mut e, c, &samples);
    // Opens at minute 2; updates at 7 and 12.
    let updates: Vec<DateTime<Utc>> = ev
        .iter()
        .filter_map(|x| match x {
            EpisodeEvent::Update(ep) => Some(ep.last_sample),
            _ => None,
        })
        .collect();
    assert_eq!(updates, vec![min(7), min(12)]);
    let last = ev.last().unwrap().episode();
    assert_eq!(last.seconds_over, 720);
}

#[test]
fn counters_become_rates_and_resets_are_not_spikes() {
    let (mut e, c) = engine(Rule::default());
    let mut ev = Vec::new();
    // 1 Gbit/s for 60 s = 7.5e9 octets.
    let step = 7_500_000_000u64;
    let mut value = u64::MAX - step / 2; // wraps between the first two polls
    let mut obs = Vec::new();
    for m in 0..4 {
        let s = CounterSample {
            circuit: CircuitRef::Id("C1".into()),
            ts: min(m),
            in_octets: Counter::new(value, CounterWidth::Bits64),
            out_octets: Counter::new(0, CounterWidth::Bits64),
            link_bps: Some(10_000_000_000),
        };
        obs.push(e.observe_counter_sample(&s, &mut ev));
        value = value.wrapping_add(step);
    }
    assert_eq!(
        obs,
        vec![
            Observed::CounterSeeded,
            Observed::Accepted,
            Observed::Accepted,
            Observed::Accepted
        ]
    );
    let o = opened(&ev);
    assert_eq!(o[0].start, min(1));
    assert_eq!(o[0].peak_bps, 1e9);
    // Reboot: counters restart from 0 → dropped, no 100 % spike of anything.
    let s = CounterSample {
        circuit: CircuitRef::Id("C1".into()),
        ts: min(4),
        in_octets: Counter::new(1000, CounterWidth::Bits64),
        out_octets: Counter::new(0, CounterWidth::Bits64),
        link_bps: Some(10_000_000_000),
    };
    // `in` is dropped and re-seeded; `out` still gives a rate (0), and `in`
    // holds its last value, so the reset neither spikes nor resolves.
    assert_eq!(e.observe_counter_sample(&s, &mut ev), Observed::Accepted);
    assert_eq!(e.stats().counter_reset, 1);
    let open = e.open_episode(c).unwrap();
    assert_eq!(open.peak_bps, 1e9);
    assert!(resolved(&ev).is_empty());
}

#[test]
fn restore_continues_an_episode() {
    let (mut e, c) = engine(Rule::default());
    let ev = feed(&mut e, c, &[(0, 1.0, 0.0), (1, 1.0, 0.0), (2, 1.0, 0.0)]);
    let stored = opened(&ev)[0].clone();
    let (mut e2, c2) = engine(Rule::default());
    e2.restore(c2, &stored).unwrap();
    assert_eq!(e2.open_episode(c2).unwrap().id, stored.id);
    let ev = feed(
        &mut e2,
        c2,
        &[(3, 1.0, 0.0), (4, 0.1, 0.0), (5, 0.1, 0.0), (6, 0.1, 0.0)],
    );
    assert!(opened(&ev).is_empty(), "not opened (and alerted) again");
    let r = resolved(&ev);
    assert_eq!(
        (r[0].start, r[0].end, r[0].id),
        (min(0), Some(min(4)), stored.id)
    );
    // 120 s restored (minute 2 → 3 is unknown after restart) + minute 3 → 4.
    assert_eq!(r[0].seconds_over, 180);
    assert!(e2.restore(CircuitIdx(7), &stored).is_err());
}

#[test]
fn reconfigure_keeps_state() {
    let (mut e, c) = engine(Rule::default());
    feed(&mut e, c, &[(0, 0.85, 0.0), (1, 0.85, 0.0)]);
    let spec = CircuitSpec {
        rule: Rule {
            threshold_percent: 80.0,
            resolve_below_percent: 70.0,
            ..Rule::default()
        },
        ..CircuitSpec::new("C1", 1_000_000_000, Rule::default())
    };
    assert_eq!(e.add_circuit(spec).unwrap(), c);
    assert_eq!(e.len(), 1);
    let ev = feed(&mut e, c, &[(2, 0.85, 0.0), (3, 0.85, 0.0), (4, 0.85, 0.0)]);
    assert_eq!(opened(&ev)[0].start, min(2));
}

#[test]
fn rejects_bad_specs() {
    let mut e = Engine::new();
    assert!(
        e.add_circuit(CircuitSpec::new("Z", 0, Rule::default()))
            .is_err()
    );
    let bad = Rule {
        open_samples: 0,
        ..Rule::default()
    };
    assert!(e.add_circuit(CircuitSpec::new("Z", 1, bad)).is_err());
}

#[test]
fn episode_ids_are_stable() {
    let (mut a, ca) = engine(Rule::default());
    let (mut b, cb) = engine(Rule::default());
    let s = [(0, 1.0, 0.0), (1, 1.0, 0.0), (2, 1.0, 0.0)];
    assert_eq!(
        opened(&feed(&mut a, ca, &s))[0].id,
        opened(&feed(&mut b, cb, &s))[0].id
    );
}

#[test]
fn sharding_is_stable() {
    assert_eq!(shard_of("C1", 4), shard_of("C1", 4));
    assert!(shard_of("C1", 4) < 4);
    assert_eq!(shard_of("C1", 0), 0);
}

#[test]
fn memory_estimate() {
    let (e, _) = engine(Rule::default());
    let b = e.bytes_per_circuit();
    assert!(b > 100 && b < 1000, "{b}");
}

#[test]
fn a_missing_direction_holds_until_stale() {
    let (mut e, c) = engine(Rule::default());
    let mut ev = Vec::new();
    for m in 0..3 {
        e.observe(c, min(m), Some(G), Some(0.0), &mut ev);
    }
    assert_eq!(opened(&ev).len(), 1);
    // Out-only samples: `in` holds 1 Gbit/s (over) for 10 minutes.
    for m in 3..=12 {
        e.observe(c, min(m), None, Some(0.0), &mut ev);
        e.tick(min(m) + Duration::seconds(10), &mut ev);
    }
    assert!(resolved(&ev).is_empty());
    // From minute 13 `in` is older than stale_after: only `out` counts.
    for m in 13..=15 {
        e.observe(c, min(m), None, Some(0.0), &mut ev);
        e.tick(min(m) + Duration::seconds(10), &mut ev);
    }
    let r = resolved(&ev);
    assert_eq!(r[0].end, Some(min(13)));
    // Over (held) from minute 0 to 13.
    assert_eq!(r[0].seconds_over, 13 * 60);
}

#[test]
fn replayed_halves_wait_on_the_tick_clock() {
    // Old data replayed: sample time is a year ago, the tick clock is now.
    let (mut e, c) = engine(Rule::default());
    let mut ev = Vec::new();
    let now = min(525_600);
    e.tick(now, &mut ev);
    e.observe(c, min(0), Some(G), None, &mut ev);
    e.tick(now + Duration::seconds(2), &mut ev);
    assert_eq!(
        e.observe(c, min(0), None, Some(0.0), &mut ev),
        Observed::Merged
    );
    assert_eq!(e.stats().pending + e.stats().merged, 2);
    assert_eq!(e.stats().duplicate, 0);
}
