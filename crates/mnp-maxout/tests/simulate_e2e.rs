//! End to end without I/O: simulator → wire format (line protocol, JSON
//! halves, counters) → parser → engine → episodes → rendered mails. The
//! simulator's documented plan says exactly which episodes must come out.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::BTreeMap;

use mnp_maxout::alert::{AlertInput, AlertKind, Brand, Recipients, Renderer, suggest_options};
use mnp_maxout::engine::{Engine, Episode, EpisodeEvent, Rule};
use mnp_maxout::simulate::{Expected, SimConfig, Simulator};
use mnp_maxout::telemetry::{Reading, json, line};
use mnp_maxout::units::Seconds;

#[derive(Clone, Copy)]
enum Wire {
    LineRates,
    LineCounters,
    JsonHalves,
}

fn config(counters: bool) -> SimConfig {
    SimConfig {
        circuits: 50,
        duration: Seconds::minutes(120),
        counters,
        seed: 42,
        ..SimConfig::default()
    }
}

/// Runs the whole pipeline; returns the events and the engine.
fn run(wire: Wire, rule: &Rule) -> (Vec<EpisodeEvent>, Engine, Simulator) {
    let sim = Simulator::new(config(matches!(wire, Wire::LineCounters))).unwrap();
    let mut engine = Engine::new();
    for c in sim.circuits() {
        engine.add_circuit(c.spec(rule.clone())).unwrap();
    }
    let mut events = Vec::new();
    for tick in sim.clone() {
        // One request per tick, as Telegraf flushes.
        let batch = match wire {
            Wire::LineRates | Wire::LineCounters => {
                let mut body = String::new();
                for r in &tick.readings {
                    line::encode(r, &mut body);
                }
                line::parse(&body, line::Precision::Nanoseconds, tick.ts)
            }
            Wire::JsonHalves => {
                let items: Vec<_> = tick
                    .readings
                    .iter()
                    .flat_map(|r| match r {
                        Reading::Rates(s) => json::encode_sample(s),
                        Reading::Counters(_) => panic!("rates expected"),
                    })
                    .collect();
                json::parse_batch(&serde_json::to_vec(&items).unwrap()).unwrap()
            }
        };
        assert!(batch.errors.is_empty(), "{:?}", batch.errors);
        assert_eq!(
            batch.readings.len(),
            tick.readings.len()
                * if matches!(wire, Wire::JsonHalves) {
                    2
                } else {
                    1
                }
        );
        for r in &batch.readings {
            match r {
                Reading::Rates(s) => engine.observe_sample(s, &mut events),
                Reading::Counters(c) => engine.observe_counter_sample(c, &mut events),
            };
        }
        engine.tick(tick.ts + chrono::Duration::seconds(1), &mut events);
    }
    (events, engine, sim)
}

fn by_kind(events: &[EpisodeEvent]) -> (Vec<&Episode>, Vec<&Episode>) {
    let mut opened = Vec::new();
    let mut resolved = Vec::new();
    for e in events {
        match e {
            EpisodeEvent::Opened(x) => opened.push(x),
            EpisodeEvent::Resolved(x) => resolved.push(x),
            EpisodeEvent::Update(_) => {}
            EpisodeEvent::Stale(x) => panic!("nothing goes stale in the simulation: {x:?}"),
        }
    }
    (opened, resolved)
}

fn check_against_plan(wire: Wire) {
    let rule = Rule::default();
    let (events, engine, sim) = run(wire, &rule);
    let (opened, resolved) = by_kind(&events);
    // 50 circuits, every 5th maxes out (10), two windows each in 2 h.
    assert_eq!(
        sim.expected(&rule),
        Some(Expected {
            opened: 20,
            resolved: 20
        })
    );
    assert_eq!(opened.len(), 20);
    assert_eq!(resolved.len(), 20);
    let plan = sim.planned();
    assert_eq!(plan.len(), 20);
    for (p, (o, r)) in plan.iter().zip(
        opened_in_plan_order(&opened)
            .iter()
            .zip(opened_in_plan_order(&resolved)),
    ) {
        assert_eq!(
            (&o.circuit, o.start, o.direction),
            (&p.circuit, p.start, p.direction)
        );
        assert_eq!(
            (&r.circuit, r.start, r.end),
            (&p.circuit, p.start, Some(p.end))
        );
        // Every sample of the window is over: time over = the whole window.
        assert_eq!(r.seconds_over, 600);
        assert!(
            r.peak_percent >= 100.49 && r.peak_percent <= 102.51,
            "{}",
            r.peak_percent
        );
    }
    let st = engine.stats();
    assert_eq!(st.counter_reset, 0, "no false counter resets");
    assert_eq!(
        st.out_of_order + st.duplicate + st.invalid + st.unknown_circuit,
        0
    );
    assert!(engine.open_episodes().is_empty());
}

fn opened_in_plan_order<'a>(eps: &[&'a Episode]) -> Vec<&'a Episode> {
    let mut v = eps.to_vec();
    v.sort_by(|a, b| a.circuit.cmp(&b.circuit).then(a.start.cmp(&b.start)));
    v
}

#[test]
fn line_protocol_rates_match_the_plan() {
    check_against_plan(Wire::LineRates);
}

#[test]
fn counters_with_wraps_match_the_plan() {
    let sim = Simulator::new(config(true)).unwrap();
    assert!(
        sim.circuits()
            .iter()
            .any(|c| c.provisioned_bps <= 100_000_000),
        "the run should include 32-bit counters"
    );
    check_against_plan(Wire::LineCounters);
}

#[test]
fn json_halves_match_the_plan() {
    check_against_plan(Wire::JsonHalves);
}

#[test]
fn other_rules_give_the_predicted_counts() {
    for rule in [
        Rule {
            threshold_percent: 95.0,
            ..Rule::default()
        },
        Rule {
            open_samples: 61,
            ..Rule::default()
        },
        Rule {
            open_samples: 1,
            open_after: Seconds::minutes(9),
            resolve_after: Seconds::minutes(2),
            ..Rule::default()
        },
    ] {
        let (events, _, sim) = run(Wire::LineRates, &rule);
        let (opened, resolved) = by_kind(&events);
        let want = sim.expected(&rule).unwrap();
        assert_eq!(
            (opened.len(), resolved.len()),
            (want.opened, want.resolved),
            "{rule:?}"
        );
    }
}

#[test]
fn one_mail_per_episode() {
    let (events, _, sim) = run(Wire::LineRates, &Rule::default());
    let customers: BTreeMap<&str, (String, String)> = sim
        .circuits()
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                (
                    c.customer.clone(),
                    format!("noc@{}.example", c.customer.to_lowercase()),
                ),
            )
        })
        .collect();
    let renderer = Renderer::new(Brand {
        company: "Example Networks".into(),
        noc_email: "noc@example-networks.example".into(),
        noc_phone: None,
    })
    .unwrap();
    let mut mails = Vec::new();
    for e in &events {
        let kind = match e {
            EpisodeEvent::Opened(_) => AlertKind::Opened,
            EpisodeEvent::Resolved(_) => AlertKind::Resolved,
            _ => continue,
        };
        let ep = e.episode();
        let (name, contact) = &customers[ep.circuit.as_str()];
        let to = Recipients::for_customer(
            name,
            Some(contact),
            Some("am@example-networks.example"),
            Some("cx@example-networks.example"),
        )
        .unwrap();
        let m = renderer
            .render(&AlertInput {
                kind,
                episode: ep.clone(),
                customer_name: name.clone(),
                circuit_description: String::new(),
                options: suggest_options(ep),
                repeat_every: None,
            })
            .unwrap();
        assert!(m.subject.contains(&ep.circuit));
        assert_eq!(to.cc().len(), 2);
        mails.push((kind, to, m));
    }
    let opened = mails.iter().filter(|m| m.0 == AlertKind::Opened).count();
    let resolved = mails.iter().filter(|m| m.0 == AlertKind::Resolved).count();
    assert_eq!((opened, resolved), (20, 20));
}
