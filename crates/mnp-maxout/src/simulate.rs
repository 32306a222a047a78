//! A deterministic traffic generator (the seed project's `netboss_mock`).
//!
//! Same [`SimConfig`] (and seed) → the same circuits and the same samples,
//! bit for bit, on every machine: randomness comes from [`SplitMix64`]
//! streams, one per circuit, seeded from the config seed and the circuit
//! index.
//!
//! # Circuits
//! `SIM-0001` … `SIM-NNNN` (1-based in the id, 0-based index `i` below),
//! customer `SIMCUST-NN` per ten circuits, provisioned 100 Mbit/s – 10 Gbit/s,
//! every 7th circuit (`i % 7 == 3`) with a burst ceiling of twice its
//! provisioned rate, on device `sim-rK` port `xe-0/0/P`. Rates and
//! utilisation are relative to the ceiling.
//!
//! # Normal traffic
//! A diurnal curve peaking at 20:00 UTC (`0.65 + 0.35·sin(2π(h − 14)/24)`,
//! between 30 % and 100 % of the circuit's base level), the base level
//! 35–70 % of the ceiling, ±5 % noise and random bursts (1 % chance per
//! sample, 1–3 samples, +10–25 points). Normal traffic is clamped to
//! **at most 85 %** of the ceiling in both directions, so it never reaches a
//! threshold above 85 % and always counts as "below" a resolve level above
//! 85 %.
//!
//! # Circuits that max out
//! Every circuit with `i % maxout_every == 0` (default 5: `SIM-0001`,
//! `SIM-0006`, `SIM-0011`, …). Its `r`-th such circuit (`r = i /
//! maxout_every`) runs at **100.5–102.5 %** of its ceiling in one direction
//! (`out` for even `r`, `in` for odd) during the windows
//! `[start + first_maxout_after + k·maxout_period + (r mod 6)·interval,
//!   … + maxout_length)` for `k = 0, 1, …` while the window starts before
//! the end of the run. [`Simulator::planned`] lists them and
//! [`Simulator::expected`] computes exactly how many episodes the engine
//! will open and resolve for a given rule.
//!
//! # Samples
//! One reading per circuit at `start + j·interval` for `j = 0, 1, …` while
//! before `start + duration`: rates ([`Reading::Rates`]) or, with
//! `counters`, octet counters ([`Reading::Counters`]) that integrate the
//! same rates — 64-bit (`ifHCInOctets`) starting at a random value, except
//! circuits of 100 Mbit/s and less which use 32-bit counters and wrap.
//! The rate of sample `j` is the average over the interval ending at it.

use chrono::{DateTime, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::engine::{CircuitSpec, Rule};
use crate::error::{Error, Result};
use crate::telemetry::{
    CircuitRef, Counter, CounterSample, CounterWidth, Direction, Reading, Sample,
};
use crate::units::Seconds;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator with a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`0` when `n == 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Number of circuits. Default 100.
    pub circuits: usize,
    /// First sample. Default 2024-01-01T00:00:00Z.
    pub start: DateTime<Utc>,
    /// Length of the run. Default 30 min.
    pub duration: Seconds,
    /// Sampling interval. Default 10 s.
    pub interval: Seconds,
    /// Seed. Default 1.
    pub seed: u64,
    /// Emit octet counters instead of rates.
    pub counters: bool,
    /// Every `maxout_every`-th circuit maxes out (0: none). Default 5.
    pub maxout_every: usize,
    /// First maxout window after the start. Default 5 min.
    pub first_maxout_after: Seconds,
    /// Length of a maxout window. Default 10 min.
    pub maxout_length: Seconds,
    /// Windows repeat with this period. Default 1 h.
    pub maxout_period: Seconds,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            circuits: 100,
            start: DateTime::from_timestamp(1_704_067_200, 0).unwrap_or(DateTime::UNIX_EPOCH),
            duration: Seconds::minutes(30),
            interval: Seconds(10),
            seed: 1,
            counters: false,
            maxout_every: 5,
            first_maxout_after: Seconds::minutes(5),
            maxout_length: Seconds::minutes(10),
            maxout_period: Seconds::minutes(60),
        }
    }
}

/// A simulated circuit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimCircuit {
    /// `SIM-0001`…
    pub id: String,
    /// `SIMCUST-01`…
    pub customer: String,
    /// Provisioned rate, bits/s.
    pub provisioned_bps: u64,
    /// Burst ceiling, bits/s.
    pub burst_bps: Option<u64>,
    /// Port speed, bits/s.
    pub link_bps: u64,
    /// Device name.
    pub device: String,
    /// Port name.
    pub port: String,
    /// Whether it has maxout windows.
    pub maxes_out: bool,
    /// Direction of its maxouts.
    pub maxout_direction: Direction,
}

impl SimCircuit {
    /// The ceiling (burst if any, else provisioned).
    pub fn ceiling_bps(&self) -> u64 {
        self.burst_bps
            .unwrap_or(self.provisioned_bps)
            .max(self.provisioned_bps)
    }

    /// An engine registration for this circuit with a rule.
    pub fn spec(&self, rule: Rule) -> CircuitSpec {
        CircuitSpec {
            id: self.id.clone(),
            customer: Some(self.customer.clone()),
            provisioned_bps: self.provisioned_bps,
            burst_bps: self.burst_bps,
            link_bps: Some(self.link_bps),
            rule,
        }
    }
}

/// A planned maxout window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedEpisode {
    /// Circuit id.
    pub circuit: String,
    /// First sample at 100.5 % or more.
    pub start: DateTime<Utc>,
    /// First sample back to normal (may be after the end of the run).
    pub end: DateTime<Utc>,
    /// Direction over.
    pub direction: Direction,
}

/// Episodes the engine will produce for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// Episodes opened.
    pub opened: usize,
    /// Episodes resolved before the end of the run.
    pub resolved: usize,
}

/// All readings of one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// The instant.
    pub ts: DateTime<Utc>,
    /// One reading per circuit, in circuit order.
    pub readings: Vec<Reading>,
}

#[derive(Debug, Clone)]
struct Gen {
    rng: SplitMix64,
    base: f64,
    out_ratio: f64,
    burst_left: u32,
    burst_add: f64,
    counter_in: u64,
    counter_out: u64,
    width: CounterWidth,
    rank: usize,
}

/// The generator.
#[derive(Debug, Clone)]
pub struct Simulator {
    cfg: SimConfig,
    circuits: Vec<SimCircuit>,
    gens: Vec<Gen>,
    /// Maxout windows per circuit, ms from the start.
    windows: Vec<Vec<(i64, i64)>>,
    step: i64,
    steps: i64,
}

const SPEEDS: [u64; 7] = [
    100_000_000,
    200_000_000,
    500_000_000,
    1_000_000_000,
    2_000_000_000,
    5_000_000_000,
    10_000_000_000,
];

impl Simulator {
    /// Builds the circuits. Refuses a zero interval or duration, and a
    /// maxout window that does not fit its period.
    pub fn new(cfg: SimConfig) -> Result<Simulator> {
        let bad = |field: &str, reason: &str| Error::Config {
            field: format!("simulate.{field}"),
            reason: reason.into(),
        };
        if cfg.interval.0 == 0 {
            return Err(bad("interval", "must be more than 0"));
        }
        if cfg.duration.0 == 0 {
            return Err(bad("duration", "must be more than 0"));
        }
        // Bounded so that all instants and offsets fit comfortably.
        const MAX: u64 = 100 * 365 * 86_400;
        for (field, v) in [
            ("duration", cfg.duration),
            ("interval", cfg.interval),
            ("first_maxout_after", cfg.first_maxout_after),
            ("maxout_length", cfg.maxout_length),
            ("maxout_period", cfg.maxout_period),
        ] {
            if v.0 > MAX {
                return Err(bad(field, "must be at most 100 years"));
            }
        }
        if cfg
            .start
            .checked_add_signed(Duration::seconds(3 * MAX as i64))
            .is_none()
        {
            return Err(bad("start", "too late: the run would leave the calendar"));
        }
        if cfg.maxout_every > 0
            && (cfg.maxout_length.0 == 0
                || cfg.maxout_length.0 + 6 * cfg.interval.0 >= cfg.maxout_period.0)
        {
            return Err(bad(
                "maxout_period",
                "must exceed maxout_length plus six intervals",
            ));
        }
        let mut circuits = Vec::with_capacity(cfg.circuits);
        let mut gens = Vec::with_capacity(cfg.circuits);
        for i in 0..cfg.circuits {
            let mut rng =
                SplitMix64::new(cfg.seed ^ (i as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            rng.next_u64();
            let provisioned = SPEEDS
                .get(rng.below(SPEEDS.len() as u64) as usize)
                .copied()
                .unwrap_or(1_000_000_000);
            let burst = (i % 7 == 3).then_some(provisioned * 2);
            let ceiling = burst.unwrap_or(provisioned);
            let link = [1_000_000_000u64, 10_000_000_000, 100_000_000_000]
                .into_iter()
                .find(|&l| l >= ceiling)
                .unwrap_or(100_000_000_000);
            let maxes_out = cfg.maxout_every > 0 && i.is_multiple_of(cfg.maxout_every);
            let rank = i.checked_div(cfg.maxout_every).unwrap_or(0);
            let width = if provisioned <= 100_000_000 {
                CounterWidth::Bits32
            } else {
                CounterWidth::Bits64
            };
            let start_counter = match width {
                CounterWidth::Bits32 => rng.below(1 << 32),
                CounterWidth::Bits64 => rng.next_u64(),
            };
            circuits.push(SimCircuit {
                id: format!("SIM-{:04}", i + 1),
                customer: format!("SIMCUST-{:02}", i / 10 + 1),
                provisioned_bps: provisioned,
                burst_bps: burst,
                link_bps: link,
                device: format!("sim-r{}", i / 48 + 1),
                port: format!("xe-0/0/{}", i % 48),
                maxes_out,
                maxout_direction: if rank % 2 == 0 {
                    Direction::Out
                } else {
                    Direction::In
                },
            });
            gens.push(Gen {
                base: 0.35 + 0.35 * rng.next_f64(),
                out_ratio: 0.3 + 0.7 * rng.next_f64(),
                burst_left: 0,
                burst_add: 0.0,
                counter_in: start_counter,
                counter_out: start_counter / 2,
                width,
                rank,
                rng,
            });
        }
        let steps = i64::try_from(cfg.duration.0.div_ceil(cfg.interval.0)).unwrap_or(i64::MAX);
        let mut sim = Simulator {
            cfg,
            circuits,
            gens,
            windows: Vec::new(),
            step: 0,
            steps,
        };
        sim.windows = (0..sim.circuits.len())
            .map(|i| sim.compute_windows(i))
            .collect();
        Ok(sim)
    }

    /// The configuration.
    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// The circuits.
    pub fn circuits(&self) -> &[SimCircuit] {
        &self.circuits
    }

    /// Number of instants the run has.
    pub fn steps(&self) -> i64 {
        self.steps
    }

    fn interval_ms(&self) -> i64 {
        self.cfg.interval.as_millis()
    }

    /// Maxout windows of circuit index `i`, as `(start, end)` in ms from the run start.
    fn windows(&self, i: usize) -> &[(i64, i64)] {
        self.windows.get(i).map_or(&[], Vec::as_slice)
    }

    fn compute_windows(&self, i: usize) -> Vec<(i64, i64)> {
        let (Some(c), Some(g)) = (self.circuits.get(i), self.gens.get(i)) else {
            return Vec::new();
        };
        if !c.maxes_out {
            return Vec::new();
        }
        let run = self.steps.saturating_mul(self.interval_ms());
        let offset =
            self.cfg.first_maxout_after.as_millis() + (g.rank % 6) as i64 * self.interval_ms();
        let period = self.cfg.maxout_period.as_millis().max(1);
        let len = self.cfg.maxout_length.as_millis();
        (0..)
            .map(|k| offset + k * period)
            .take_while(|&s| s < run)
            .map(|s| (s, s + len))
            .collect()
    }

    /// The planned maxout windows of the whole run, by circuit then time.
    pub fn planned(&self) -> Vec<PlannedEpisode> {
        let t0 = self.cfg.start;
        (0..self.circuits.len())
            .flat_map(|i| {
                let c = self.circuits.get(i);
                self.windows(i).iter().filter_map(move |&(s, e)| {
                    let c = c?;
                    Some(PlannedEpisode {
                        circuit: c.id.clone(),
                        start: t0 + Duration::milliseconds(s),
                        end: t0 + Duration::milliseconds(e),
                        direction: c.maxout_direction,
                    })
                })
            })
            .collect()
    }

    /// How many episodes the engine opens and resolves over the run with
    /// `rule`, or `None` when the rule is outside what the plan guarantees:
    /// threshold in (85, 100.5] %, resolve level above 85 %, `stale_after`
    /// at least one interval.
    pub fn expected(&self, rule: &Rule) -> Option<Expected> {
        if !(rule.threshold_percent > 85.0
            && rule.threshold_percent <= 100.5
            && rule.resolve_below_percent > 85.0)
        {
            return None;
        }
        if rule.stale_after.0 < self.cfg.interval.0 {
            return None;
        }
        let iv = self.interval_ms();
        let run_end = self.steps * iv;
        // Counters: sample 0 only seeds; windows start after it anyway.
        let samples_in = |from: i64, to: i64| -> i64 {
            let to = to.min(run_end);
            if to <= from {
                0
            } else {
                (to - from + iv - 1) / iv
            }
        };
        let fits = |n: i64, samples: u32, after: Seconds| {
            n >= i64::from(samples) && (n - 1) * iv >= after.as_millis()
        };
        let mut out = Expected {
            opened: 0,
            resolved: 0,
        };
        for i in 0..self.circuits.len() {
            let w = self.windows(i);
            for (k, &(s, e)) in w.iter().enumerate() {
                if !fits(samples_in(s, e), rule.open_samples, rule.open_after) {
                    continue;
                }
                out.opened += 1;
                let next = w.get(k + 1).map_or(run_end, |n| n.0);
                if fits(
                    samples_in(e, next),
                    rule.resolve_samples,
                    rule.resolve_after,
                ) {
                    out.resolved += 1;
                }
            }
        }
        Some(out)
    }

    /// Utilisation (fraction of the ceiling) of circuit `i` at step `j`: (in, out).
    fn levels(&mut self, i: usize, j: i64) -> (f64, f64) {
        let offset_ms = j * self.interval_ms();
        let in_window = self
            .windows(i)
            .iter()
            .any(|&(s, e)| offset_ms >= s && offset_ms < e);
        let ts = self.cfg.start + Duration::milliseconds(offset_ms);
        let dir = self
            .circuits
            .get(i)
            .map_or(Direction::Out, |c| c.maxout_direction);
        let Some(g) = self.gens.get_mut(i) else {
            return (0.0, 0.0);
        };
        let hour =
            f64::from(ts.hour()) + f64::from(ts.minute()) / 60.0 + f64::from(ts.second()) / 3600.0;
        let diurnal = 0.65 + 0.35 * (std::f64::consts::TAU * (hour - 14.0) / 24.0).sin();
        if g.burst_left == 0 && g.rng.next_f64() < 0.01 {
            g.burst_left = 1 + g.rng.below(3) as u32;
            g.burst_add = 0.10 + 0.15 * g.rng.next_f64();
        }
        let burst = if g.burst_left > 0 {
            g.burst_left -= 1;
            g.burst_add
        } else {
            0.0
        };
        let noise_in = 1.0 + 0.1 * (g.rng.next_f64() - 0.5);
        let noise_out = 1.0 + 0.1 * (g.rng.next_f64() - 0.5);
        let normal_in = (g.base * diurnal * noise_in + burst).clamp(0.01, 0.85);
        let normal_out = (g.base * g.out_ratio * diurnal * noise_out + burst).clamp(0.01, 0.85);
        let max_level = 1.005 + 0.02 * g.rng.next_f64();
        if in_window {
            match dir {
                Direction::In => (max_level, normal_out),
                _ => (normal_in, max_level),
            }
        } else {
            (normal_in, normal_out)
        }
    }
}

impl Iterator for Simulator {
    type Item = Tick;

    fn next(&mut self) -> Option<Tick> {
        if self.step >= self.steps {
            return None;
        }
        let j = self.step;
        self.step += 1;
        let iv_s = self.cfg.interval.0 as f64;
        let ts = self.cfg.start + Duration::milliseconds(j * self.interval_ms());
        let mut readings = Vec::with_capacity(self.circuits.len());
        for i in 0..self.circuits.len() {
            let (lin, lout) = self.levels(i, j);
            let (Some(c), Some(g)) = (self.circuits.get(i), self.gens.get_mut(i)) else {
                continue;
            };
            let ceiling = c.ceiling_bps() as f64;
            let (rin, rout) = (lin * ceiling, lout * ceiling);
            if self.cfg.counters {
                if j > 0 {
                    let m = g.width.modulus();
                    let add = |v: u64, rate: f64| {
                        ((u128::from(v) + (rate * iv_s / 8.0).round() as u128) % m) as u64
                    };
                    g.counter_in = add(g.counter_in, rin);
                    g.counter_out = add(g.counter_out, rout);
                }
                readings.push(Reading::Counters(CounterSample {
                    circuit: CircuitRef::Id(c.id.clone()),
                    ts,
                    in_octets: Counter::new(g.counter_in, g.width),
                    out_octets: Counter::new(g.counter_out, g.width),
                    link_bps: Some(c.link_bps),
                }));
            } else {
                readings.push(Reading::Rates(Sample {
                    circuit: CircuitRef::Id(c.id.clone()),
                    ts,
                    in_bps: Some(rin.round()),
                    out_bps: Some(rout.round()),
                }));
            }
        }
        Some(Tick { ts, readings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // Reference output of SplitMix64 with seed 0 (as in Vigna's splitmix64.c).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert!((0.0..1.0).contains(&r.next_f64()));
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn plan_is_documented() {
        let sim = Simulator::new(SimConfig {
            circuits: 12,
            duration: Seconds::minutes(120),
            ..SimConfig::default()
        })
        .unwrap();
        let p = sim.planned();
        // Indices 0, 5, 10 → SIM-0001, SIM-0006, SIM-0011; two windows each in 2 h.
        let ids: Vec<&str> = p.iter().map(|e| e.circuit.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "SIM-0001", "SIM-0001", "SIM-0006", "SIM-0006", "SIM-0011", "SIM-0011"
            ]
        );
        let t0 = SimConfig::default().start;
        // SIM-0006 has rank 1: staggered by one interval (10 s), direction in.
        assert_eq!(p[2].start, t0 + Duration::seconds(310));
        assert_eq!(p[2].end, t0 + Duration::seconds(910));
        assert_eq!(p[2].direction, Direction::In);
        assert_eq!(p[1].start, t0 + Duration::seconds(3900));
        assert_eq!(p[0].direction, Direction::Out);
        // 10-minute windows at 10 s = 60 samples; default rule opens and resolves each.
        assert_eq!(
            sim.expected(&Rule::default()),
            Some(Expected {
                opened: 6,
                resolved: 6
            })
        );
        assert_eq!(
            sim.expected(&Rule {
                threshold_percent: 101.0,
                ..Rule::default()
            }),
            None
        );
        // Needing 61 samples (more than a window has): nothing opens.
        assert_eq!(
            sim.expected(&Rule {
                open_samples: 61,
                ..Rule::default()
            }),
            Some(Expected {
                opened: 0,
                resolved: 0
            })
        );
        assert_eq!(
            sim.expected(&Rule {
                open_samples: 60,
                ..Rule::default()
            }),
            Some(Expected {
                opened: 6,
                resolved: 6
            })
        );
    }

    #[test]
    fn deterministic_and_seeded() {
        let cfg = SimConfig {
            circuits: 5,
            duration: Seconds::minutes(2),
            ..SimConfig::default()
        };
        let a: Vec<Tick> = Simulator::new(cfg.clone()).unwrap().collect();
        let b: Vec<Tick> = Simulator::new(cfg.clone()).unwrap().collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 12);
        let c: Vec<Tick> = Simulator::new(SimConfig { seed: 2, ..cfg })
            .unwrap()
            .collect();
        assert_ne!(a, c);
    }

    #[test]
    fn normal_traffic_stays_below_85_percent() {
        let sim = Simulator::new(SimConfig {
            circuits: 30,
            duration: Seconds::minutes(24 * 60),
            interval: Seconds(300),
            maxout_every: 0,
            ..SimConfig::default()
        })
        .unwrap();
        let caps: Vec<f64> = sim
            .circuits()
            .iter()
            .map(|c| c.ceiling_bps() as f64)
            .collect();
        let mut max: f64 = 0.0;
        for t in sim {
            for (r, cap) in t.readings.iter().zip(&caps) {
                let Reading::Rates(s) = r else { panic!() };
                max = max
                    .max(s.in_bps.unwrap() / cap)
                    .max(s.out_bps.unwrap() / cap);
            }
        }
        assert!(max <= 0.8501 && max > 0.6, "{max}");
    }

    #[test]
    fn rejects_bad_configs() {
        assert!(
            Simulator::new(SimConfig {
                duration: Seconds(u64::MAX),
                ..SimConfig::default()
            })
            .is_err()
        );
        assert!(
            Simulator::new(SimConfig {
                start: DateTime::<Utc>::MAX_UTC,
                ..SimConfig::default()
            })
            .is_err()
        );
        assert!(
            Simulator::new(SimConfig {
                interval: Seconds(0),
                ..SimConfig::default()
            })
            .is_err()
        );
        assert!(
            Simulator::new(SimConfig {
                maxout_period: Seconds::minutes(10),
                ..SimConfig::default()
            })
            .is_err()
        );
    }
}
