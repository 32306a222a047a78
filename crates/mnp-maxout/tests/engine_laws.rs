//! Laws of the threshold engine and of counter → rate, checked with proptest.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use chrono::{DateTime, Utc};
use mnp_maxout::engine::{CircuitIdx, CircuitSpec, Engine, EpisodeEvent, Rule};
use mnp_maxout::telemetry::{Counter, CounterOutcome, CounterState, CounterWidth, RESET_TOLERANCE};
use mnp_maxout::units::Seconds;
use proptest::prelude::*;

const CAP: u64 = 1_000_000_000;
const T0: i64 = 1_700_000_000_000;

/// One step of a stream: seconds since the previous sample (some long enough
/// to be stale), and in/out utilisation in whole percent (boundaries hit).
#[derive(Debug, Clone)]
struct Step {
    gap_s: i64,
    in_pct: Option<u32>,
    out_pct: Option<u32>,
}

fn step(partial: bool) -> impl Strategy<Value = Step> {
    let gap = prop_oneof![8 => Just(60i64), 2 => 1i64..=120, 1 => 601i64..=3600];
    let pct = prop_oneof![3 => 0u32..=130, 2 => 85u32..=105];
    let dir = move || {
        if partial {
            prop_oneof![6 => pct.clone().prop_map(Some), 1 => Just(None)].boxed()
        } else {
            pct.clone().prop_map(Some).boxed()
        }
    };
    (gap, dir(), dir()).prop_map(|(gap_s, in_pct, out_pct)| {
        let (in_pct, out_pct) = if in_pct.is_none() && out_pct.is_none() {
            (Some(0), None)
        } else {
            (in_pct, out_pct)
        };
        Step {
            gap_s,
            in_pct,
            out_pct,
        }
    })
}

fn rule(threshold: f64, resolve: f64) -> impl Strategy<Value = Rule> {
    (
        1u32..=5,
        1u32..=5,
        prop_oneof![Just(0u64), Just(60), Just(180)],
        prop_oneof![Just(0u64), Just(120)],
    )
        .prop_map(
            move |(open_samples, resolve_samples, open_after, resolve_after)| Rule {
                threshold_percent: threshold,
                open_samples,
                open_after: Seconds(open_after),
                resolve_below_percent: resolve,
                resolve_samples,
                resolve_after: Seconds(resolve_after),
                stale_after: Seconds(600),
                update_every: Seconds(300),
            },
        )
}

fn bps(p: Option<u32>) -> Option<f64> {
    p.map(|p| CAP as f64 * f64::from(p) / 100.0)
}

/// Runs a stream through a fresh engine; returns the events of each step.
fn run(rule: &Rule, steps: &[Step]) -> Vec<Vec<EpisodeEvent>> {
    let mut e = Engine::new();
    let c = e
        .add_circuit(CircuitSpec::new("C", CAP, rule.clone()))
        .unwrap();
    let mut ts = T0;
    let mut out = Vec::new();
    for s in steps {
        ts += s.gap_s * 1000;
        let mut ev = Vec::new();
        e.observe_ms(c, ts, bps(s.in_pct), bps(s.out_pct), &mut ev);
        out.push(ev);
    }
    let mut ev = Vec::new();
    e.tick(
        DateTime::<Utc>::from_timestamp_millis(ts + 10_000).unwrap(),
        &mut ev,
    );
    out.push(ev);
    out
}

fn count_opened(events: &[Vec<EpisodeEvent>]) -> usize {
    events
        .iter()
        .flatten()
        .filter(|e| matches!(e, EpisodeEvent::Opened(_)))
        .count()
}

proptest! {
    /// Raising the threshold (same absolute resolve level) never yields more episodes.
    #[test]
    fn higher_threshold_never_more_episodes(
        (r1, r2) in (90u32..=110, 0u32..=20, 50u32..=90)
            .prop_flat_map(|(t, d, r)| (rule(f64::from(t), f64::from(r)), Just(f64::from(t + d))))
            .prop_map(|(r1, t2)| { let r2 = Rule { threshold_percent: t2, ..r1.clone() }; (r1, r2) }),
        steps in prop::collection::vec(step(true), 0..300),
    ) {
        let low = count_opened(&run(&r1, &steps));
        let high = count_opened(&run(&r2, &steps));
        prop_assert!(high <= low, "threshold {} → {low} episodes, {} → {high}", r1.threshold_percent, r2.threshold_percent);
    }

    /// An episode opens only after `open_samples` consecutive over-threshold
    /// samples with no stale gap, spanning `open_after`; it resolves only after
    /// `resolve_samples` consecutive fresh samples below the resolve level.
    #[test]
    fn opens_and_resolves_only_on_consecutive_fresh_runs(
        rule in rule(100.0, 90.0),
        steps in prop::collection::vec(step(false), 0..300),
    ) {
        let events = run(&rule, &steps);
        let mut ts = T0;
        let times: Vec<i64> = steps.iter().map(|s| { ts += s.gap_s * 1000; ts }).collect();
        let util = |i: usize| steps[i].in_pct.unwrap_or(0).max(steps[i].out_pct.unwrap_or(0));
        let fresh = |i: usize| i > 0 && steps[i].gap_s <= 600;
        for (k, evs) in events.iter().enumerate().take(steps.len()) {
            for e in evs {
                let (n, pred): (usize, &dyn Fn(usize) -> bool) = match e {
                    EpisodeEvent::Opened(_) => (rule.open_samples as usize, &|i| util(i) >= 100),
                    EpisodeEvent::Resolved(_) => (rule.resolve_samples as usize, &|i| util(i) < 90),
                    _ => continue,
                };
                prop_assert!(k + 1 >= n, "{e:?} after {} samples", k + 1);
                for i in (k + 1 - n)..=k {
                    prop_assert!(pred(i), "sample {i} of the run ending at {k} is not on the right side");
                    if i > k + 1 - n {
                        prop_assert!(fresh(i), "stale gap inside the run ending at {k}");
                    }
                }
                let ep = e.episode();
                match e {
                    EpisodeEvent::Opened(_) => {
                        prop_assert!(times[k] - ep.start.timestamp_millis() >= rule.open_after.as_millis());
                        prop_assert!(ep.seconds_over as i64 * 1000 <= times[k] - ep.start.timestamp_millis());
                    }
                    _ => {
                        let end = ep.end.unwrap().timestamp_millis();
                        prop_assert!(times[k] - end >= rule.resolve_after.as_millis());
                        prop_assert!(ep.seconds_over as i64 * 1000 <= end - ep.start.timestamp_millis());
                    }
                }
            }
        }
        // The final tick (after the last sample) never opens or resolves.
        let last = events.last().unwrap();
        prop_assert!(last.iter().all(|e| matches!(e, EpisodeEvent::Stale(_))));
    }

    /// Per circuit, events alternate Opened → Resolved: never two open episodes.
    #[test]
    fn never_two_open_episodes(
        rule in rule(100.0, 90.0),
        steps in prop::collection::vec((0usize..3, step(true), any::<bool>()), 0..400),
    ) {
        let mut e = Engine::new();
        let ids: Vec<CircuitIdx> = (0..3).map(|i| e.add_circuit(CircuitSpec::new(format!("C{i}"), CAP, rule.clone())).unwrap()).collect();
        let mut ts = [T0; 3];
        let mut open = [false; 3];
        let mut ev = Vec::new();
        for (c, s, tick) in &steps {
            ts[*c] += s.gap_s * 1000;
            e.observe_ms(ids[*c], ts[*c], bps(s.in_pct), bps(s.out_pct), &mut ev);
            if *tick {
                let now = ts.iter().max().unwrap() + 1;
                e.tick(DateTime::<Utc>::from_timestamp_millis(now).unwrap(), &mut ev);
            }
            for x in ev.drain(..) {
                let i: usize = x.episode().circuit[1..].parse().unwrap();
                match x {
                    EpisodeEvent::Opened(_) => { prop_assert!(!open[i], "second open episode on C{i}"); open[i] = true; }
                    EpisodeEvent::Resolved(_) => { prop_assert!(open[i], "resolved without open on C{i}"); open[i] = false; }
                    EpisodeEvent::Update(_) | EpisodeEvent::Stale(_) => prop_assert!(open[i]),
                }
            }
            for i in 0..3 {
                prop_assert_eq!(e.open_episode(ids[i]).is_some(), open[i]);
            }
        }
    }

    /// Silence never resolves: after an episode opens, any number of ticks
    /// with no samples leaves it open.
    #[test]
    fn stale_never_resolves(
        rule in rule(100.0, 90.0),
        ticks in prop::collection::vec(1i64..100_000, 1..50),
    ) {
        let mut e = Engine::new();
        let c = e.add_circuit(CircuitSpec::new("C", CAP, rule.clone())).unwrap();
        let mut ev = Vec::new();
        let mut ts = T0;
        for _ in 0..(rule.open_samples + 4) {
            ts += 60_000;
            e.observe_ms(c, ts, Some(CAP as f64), Some(0.0), &mut ev);
        }
        prop_assert!(e.open_episode(c).is_some());
        let mut now = ts;
        for t in ticks {
            now += t * 1000;
            ev.clear();
            e.tick(DateTime::<Utc>::from_timestamp_millis(now).unwrap(), &mut ev);
            prop_assert!(ev.iter().all(|x| matches!(x, EpisodeEvent::Stale(_))));
        }
        prop_assert!(e.open_episode(c).is_some());
    }

    /// A rate computed across a counter wrap equals the true rate.
    #[test]
    fn counter_wrap_gives_true_rate(
        wide in any::<bool>(),
        start in any::<u64>(),
        octets in 1u64..=1_000_000_000_000,
        dt_ms in 1_000i64..=300_000,
    ) {
        let width = if wide { CounterWidth::Bits64 } else { CounterWidth::Bits32 };
        let m = width.modulus();
        let start = (u128::from(start) % m) as u64;
        let octets = if wide { octets } else { octets % (1 << 32) }.max(1);
        let end = ((u128::from(start) + u128::from(octets)) % m) as u64;
        let truth = octets as f64 * 8.0 / (dt_ms as f64 / 1000.0);
        let mut s = CounterState::new();
        s.update_ms(0, Counter::new(start, width).unwrap(), Some(truth));
        let got = s.update_ms(dt_ms, Counter::new(end, width).unwrap(), Some(truth));
        prop_assert_eq!(got, CounterOutcome::Rate(truth));
    }

    /// Whatever the counters do (resets, wraps, jumps), no rate exceeds what
    /// the link can carry (plus the jitter tolerance): a reset is never a spike.
    #[test]
    fn counters_never_spike(
        wide in any::<bool>(),
        values in prop::collection::vec((any::<u64>(), 1i64..=120_000), 1..50),
        link in 1_000_000u64..=100_000_000_000,
    ) {
        let width = if wide { CounterWidth::Bits64 } else { CounterWidth::Bits32 };
        let mut s = CounterState::new();
        let mut ts = 0;
        for (v, dt) in values {
            ts += dt;
            let v = (u128::from(v) % width.modulus()) as u64;
            if let CounterOutcome::Rate(r) = s.update_ms(ts, Counter::new(v, width).unwrap(), Some(link as f64)) {
                prop_assert!(r <= link as f64 * RESET_TOLERANCE);
            }
        }
    }
}
