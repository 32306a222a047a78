//! A chart of a simulated circuit, kept as a golden sample in
//! `tests/data/chart_sample.svg` (re-write with `MNP_BLESS=1`).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::path::PathBuf;

use mnp_maxout::simulate::{SimConfig, Simulator};
use mnp_maxout::svg::{Chart, ChartPoint, render};
use mnp_maxout::telemetry::Reading;
use mnp_maxout::units::Seconds;

#[test]
fn chart_of_a_simulated_maxout() {
    let sim = Simulator::new(SimConfig {
        circuits: 1,
        duration: Seconds::minutes(180),
        interval: Seconds(60),
        first_maxout_after: Seconds::minutes(30),
        maxout_length: Seconds::minutes(20),
        ..SimConfig::default()
    })
    .unwrap();
    let cap = sim.circuits()[0].ceiling_bps() as f64;
    let mut points = Vec::new();
    for (i, tick) in sim.enumerate() {
        // Leave a 15-minute hole to show a gap.
        if (100..115).contains(&i) {
            continue;
        }
        let Reading::Rates(s) = &tick.readings[0] else {
            panic!()
        };
        let util = s.in_bps.unwrap().max(s.out_bps.unwrap()) / cap * 100.0;
        points.push(ChartPoint {
            ts: tick.ts,
            percent: util,
        });
    }
    let mut chart = Chart::new("SIM-0001 — SIMCUST-01 <test & co>", &points, 100.0);
    chart.resolve_percent = Some(90.0);
    chart.max_gap = Some(Seconds::minutes(5));
    let svg = render(&chart);
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert!(svg.contains("SIMCUST-01 &lt;test &amp; co&gt;"));
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/chart_sample.svg");
    match std::fs::read_to_string(&path) {
        Ok(want) if std::env::var_os("MNP_BLESS").is_none() => {
            assert!(want == svg, "chart differs; MNP_BLESS=1 to re-write")
        }
        _ => std::fs::write(&path, &svg).unwrap(),
    }
}
