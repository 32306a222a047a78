//! The threshold engine: samples in, maxout episodes out. Pure and fast.
//!
//! # Model
//! * **Ceiling** = the circuit's burst capacity when it has one above the
//!   provisioned rate, else the provisioned rate. Utilisation is
//!   `max(in, out) / ceiling` and **thresholds are percentages of the
//!   ceiling**: a customer with a 1 Gbit/s commit and 2 Gbit/s burst who runs
//!   at 1.5 Gbit/s is using what they bought; they max out when traffic hits
//!   the burst limit, where packets start to drop. (Running above the commit
//!   is a billing matter.) Episodes also carry `peak_bps` and the provisioned
//!   rate so the alert can say both.
//! * **Over** = utilisation ≥ `threshold_percent`. An episode **opens** when
//!   `open_samples` consecutive samples are over and the run spans at least
//!   `open_after` (first to last sample); it starts at the first sample of
//!   that run.
//! * **Resolve** (hysteresis): an open episode resolves when
//!   `resolve_samples` consecutive samples are below `resolve_below_percent`
//!   spanning at least `resolve_after`; it ends at the first sample of that
//!   run. Samples between the two levels keep the episode open and break a
//!   resolving run.
//! * **Stale**: a gap between two samples longer than `stale_after` breaks
//!   any run, so nothing opens or resolves across missing data. An open
//!   episode of a circuit that stops reporting stays open (it never resolves
//!   without samples); [`Engine::tick`] reports it once as
//!   [`EpisodeEvent::Stale`].
//! * **Time over**: each sample holds until the next one (sample-and-hold).
//!   `seconds_over` sums the intervals from an over sample to the next
//!   sample, except across stale gaps. For an episode whose samples are all
//!   over, `seconds_over == end − start`.
//! * **Direction**: which directions were over threshold during the episode
//!   (`in`, `out` or `both`).
//!
//! # Order and halves
//! Samples of one circuit must arrive in time order; an older sample is
//! dropped ([`Observed::OutOfOrder`]), one at the same instant as the last
//! is a [`Observed::Duplicate`]. A sample with one direction (the original
//! JSON API) waits for its other half at the same instant; it is committed
//! when the other half arrives, when a later sample arrives, or by
//! [`Engine::tick`] once it has waited the pending grace (default 5 s on the
//! tick clock). Two-direction samples are committed at once. When a committed
//! sample lacks a direction, that direction holds its last value for up to
//! `stale_after` (then counts as absent): a missing half — or a counter
//! reset in one direction — never makes a maxed-out circuit look idle.
//!
//! # Speed
//! Circuits are registered once and addressed by a dense [`CircuitIdx`];
//! the per-sample path is a few comparisons on one cache-resident struct
//! (no allocation unless an event is emitted). Run one engine per core and
//! shard circuits by id to keep per-circuit order.
//!
//! ```
//! use chrono::{DateTime, Duration};
//! use mnp_maxout::engine::{CircuitSpec, Engine, EpisodeEvent, Rule};
//!
//! let mut engine = Engine::new();
//! let c1 = engine.add_circuit(CircuitSpec::new("C1", 1_000_000_000, Rule::default())).unwrap();
//! let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
//! let mut events = Vec::new();
//! for (i, gbps) in [0.5, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5].into_iter().enumerate() {
//!     let ts = t0 + Duration::minutes(i as i64);
//!     engine.observe(c1, ts, Some(gbps * 1e9), Some(0.0), &mut events);
//! }
//! assert!(matches!(&events[0], EpisodeEvent::Opened(e) if e.start == t0 + Duration::minutes(1)));
//! assert!(matches!(&events[1], EpisodeEvent::Resolved(e) if e.minutes_over == 3));
//! ```

pub mod config;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use config::{Rule, RuleOverride, RuleSet};

use crate::error::{Error, Result};
use crate::telemetry::{
    CounterOutcome, CounterPair, CounterSample, Direction, Sample, UNKNOWN_LINK_FACTOR, valid_rate,
};
use crate::units::{Seconds, from_millis};

/// Namespace of episode ids: `Uuid::new_v5(EPISODE_NAMESPACE, "{circuit}\n{start_ms}")`,
/// so the same episode replayed from the same data gets the same id.
pub const EPISODE_NAMESPACE: Uuid = Uuid::from_u128(0x6d6e_702d_6d61_786f_7574_2d65_7069_7364);

/// "No timestamp" inside [`State`].
const NONE: i64 = i64::MIN;

/// A circuit to watch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircuitSpec {
    /// The id samples name it by ([`CircuitRef::Id`](crate::telemetry::CircuitRef::Id)).
    pub id: String,
    /// Owning customer.
    pub customer: Option<String>,
    /// Provisioned (committed) rate, bits/s; must be > 0.
    pub provisioned_bps: u64,
    /// Burst ceiling, bits/s; used as the ceiling when above provisioned.
    pub burst_bps: Option<u64>,
    /// Port speed, bits/s, for counter reset detection (default: ten times
    /// the ceiling, see [`UNKNOWN_LINK_FACTOR`]).
    pub link_bps: Option<u64>,
    /// Thresholds and timings.
    pub rule: Rule,
}

impl CircuitSpec {
    /// A circuit without customer, burst or port speed.
    pub fn new(id: impl Into<String>, provisioned_bps: u64, rule: Rule) -> Self {
        CircuitSpec {
            id: id.into(),
            customer: None,
            provisioned_bps,
            burst_bps: None,
            link_bps: None,
            rule,
        }
    }

    /// The ceiling: burst when above provisioned, else provisioned.
    pub fn ceiling_bps(&self) -> u64 {
        self.burst_bps
            .map_or(self.provisioned_bps, |b| b.max(self.provisioned_bps))
    }
}

/// Dense handle of a registered circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CircuitIdx(pub u32);

/// One maxout episode (stored as `MaxoutEvent`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// Stable id (v5 of circuit and start, see [`EPISODE_NAMESPACE`]).
    pub id: Uuid,
    /// Circuit id.
    pub circuit: String,
    /// Customer id.
    pub customer: Option<String>,
    /// First sample of the run that opened it.
    pub start: DateTime<Utc>,
    /// First sample of the run that resolved it; `None` while open.
    pub end: Option<DateTime<Utc>>,
    /// Latest sample seen for the circuit.
    pub last_sample: DateTime<Utc>,
    /// Highest utilisation, percent of the ceiling.
    pub peak_percent: f64,
    /// Highest rate (max of in and out), bits/s.
    pub peak_bps: f64,
    /// Time at or over threshold (sample-and-hold), seconds.
    pub seconds_over: u64,
    /// `seconds_over` in whole minutes, rounded to nearest.
    pub minutes_over: u64,
    /// Direction(s) over threshold.
    pub direction: Direction,
    /// The ceiling the percentages refer to, bits/s.
    pub capacity_bps: u64,
    /// Provisioned rate, bits/s.
    pub provisioned_bps: u64,
    /// Burst ceiling, bits/s, if any.
    pub burst_bps: Option<u64>,
    /// Threshold in force, percent of the ceiling.
    pub threshold_percent: f64,
}

impl Episode {
    /// Open (not resolved yet).
    pub fn is_open(&self) -> bool {
        self.end.is_none()
    }
}

/// What the engine reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", content = "episode", rename_all = "lowercase")]
pub enum EpisodeEvent {
    /// An episode opened: store it, alert the customer.
    Opened(Episode),
    /// Periodic progress of an open episode (peak, time over so far).
    Update(Episode),
    /// The episode resolved: store the end, send the resolved mail.
    Resolved(Episode),
    /// The circuit of an open episode stopped reporting (once per silence).
    Stale(Episode),
}

impl EpisodeEvent {
    /// The episode the event is about.
    pub fn episode(&self) -> &Episode {
        match self {
            EpisodeEvent::Opened(e)
            | EpisodeEvent::Update(e)
            | EpisodeEvent::Resolved(e)
            | EpisodeEvent::Stale(e) => e,
        }
    }
}

/// What happened to one observed sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    /// Committed.
    Accepted,
    /// A one-direction sample, waiting for its other half.
    Pending,
    /// Merged with a waiting half of the same instant.
    Merged,
    /// Older than the circuit's last sample: dropped.
    OutOfOrder,
    /// Same instant as the last committed sample: dropped.
    Duplicate,
    /// No direction, or a rate that is negative or not finite: dropped.
    Invalid,
    /// No circuit with that index or id.
    UnknownCircuit,
    /// Counters only seeded (first reading, or after a reset): no rate yet.
    CounterSeeded,
    /// A counter reset was detected: dropped and re-seeded.
    CounterReset,
}

/// Counts of [`Observed`] outcomes and events since the engine started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct Stats {
    pub accepted: u64,
    pub pending: u64,
    pub merged: u64,
    pub out_of_order: u64,
    pub duplicate: u64,
    pub invalid: u64,
    pub unknown_circuit: u64,
    pub counter_seeded: u64,
    pub counter_reset: u64,
    pub opened: u64,
    pub resolved: u64,
}

/// Per-circuit hot state: configuration pre-computed in bits/s and
/// milliseconds, and the dynamic state. Kept small and flat.
#[derive(Debug, Clone)]
struct State {
    over_bps: f64,
    resolve_bps: f64,
    open_ms: i64,
    resolve_ms: i64,
    stale_ms: i64,
    update_ms: i64,
    open_samples: u32,
    resolve_samples: u32,
    /// Last committed sample.
    last_ts: i64,
    /// The current run: towards opening while closed, towards resolving while open.
    run_start: i64,
    run_over_ms: i64,
    run_peak: f64,
    run_count: u32,
    run_dirs: u8,
    last_over: bool,
    open: bool,
    stale: bool,
    ep_dirs: u8,
    ep_start: i64,
    ep_over_ms: i64,
    ep_peak: f64,
    next_update: i64,
    /// Last value of each direction and when it was seen (sample-and-hold
    /// for samples that lack a direction).
    hold_in: f64,
    hold_out: f64,
    hold_in_ts: i64,
    hold_out_ts: i64,
    /// A one-direction sample waiting for its other half (NaN = absent).
    pending_ts: i64,
    pending_in: f64,
    pending_out: f64,
    /// Engine clock (last tick) when the half arrived; NONE before any tick.
    pending_since: i64,
}

impl State {
    fn new(spec: &CircuitSpec) -> State {
        let mut s = State {
            over_bps: 0.0,
            resolve_bps: 0.0,
            open_ms: 0,
            resolve_ms: 0,
            stale_ms: 0,
            update_ms: 0,
            open_samples: 1,
            resolve_samples: 1,
            last_ts: NONE,
            run_start: NONE,
            run_over_ms: 0,
            run_peak: 0.0,
            run_count: 0,
            run_dirs: 0,
            last_over: false,
            open: false,
            stale: false,
            ep_dirs: 0,
            ep_start: NONE,
            ep_over_ms: 0,
            ep_peak: 0.0,
            next_update: NONE,
            hold_in: f64::NAN,
            hold_out: f64::NAN,
            hold_in_ts: NONE,
            hold_out_ts: NONE,
            pending_ts: NONE,
            pending_in: f64::NAN,
            pending_out: f64::NAN,
            pending_since: NONE,
        };
        s.configure(spec);
        s
    }

    fn configure(&mut self, spec: &CircuitSpec) {
        let ceiling = spec.ceiling_bps() as f64;
        let r = &spec.rule;
        self.over_bps = ceiling * r.threshold_percent / 100.0;
        self.resolve_bps = ceiling * r.resolve_below_percent / 100.0;
        self.open_ms = r.open_after.as_millis();
        self.resolve_ms = r.resolve_after.as_millis();
        self.stale_ms = r.stale_after.as_millis();
        self.update_ms = r.update_every.as_millis();
        self.open_samples = r.open_samples.max(1);
        self.resolve_samples = r.resolve_samples.max(1);
    }
}

/// Per-circuit cold data, touched only when an event is built.
#[derive(Debug, Clone)]
struct Meta {
    id: String,
    customer: Option<String>,
    ceiling_bps: u64,
    provisioned_bps: u64,
    burst_bps: Option<u64>,
    link_bps: Option<u64>,
    threshold_percent: f64,
}

/// The threshold engine for a set of circuits.
#[derive(Debug, Clone)]
pub struct Engine {
    hot: Vec<State>,
    cold: Vec<Meta>,
    by_id: HashMap<String, CircuitIdx>,
    /// Counter state, allocated on the first counter sample.
    counters: Vec<CounterPair>,
    pending_grace_ms: i64,
    /// `now` of the last [`tick`](Engine::tick), Unix ms; NONE before the first.
    clock_ms: i64,
    stats: Stats,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine without circuits; pending grace 5 s.
    pub fn new() -> Self {
        Engine {
            hot: Vec::new(),
            cold: Vec::new(),
            by_id: HashMap::new(),
            counters: Vec::new(),
            pending_grace_ms: 5_000,
            clock_ms: NONE,
            stats: Stats::default(),
        }
    }

    /// How long [`tick`](Self::tick) lets a one-direction sample wait for
    /// its other half (wall clock).
    pub fn set_pending_grace(&mut self, grace: Seconds) {
        self.pending_grace_ms = grace.as_millis();
    }

    /// Registers a circuit, or updates the configuration of a registered one
    /// (its state and open episode are kept). Refuses a zero capacity and an
    /// invalid rule.
    pub fn add_circuit(&mut self, spec: CircuitSpec) -> Result<CircuitIdx> {
        if spec.provisioned_bps == 0 {
            return Err(Error::Config {
                field: format!("circuits.{}.provisioned_bps", spec.id),
                reason: "must be more than 0".into(),
            });
        }
        spec.rule.validate(&format!("circuits.{}.", spec.id))?;
        let meta = Meta {
            id: spec.id.clone(),
            customer: spec.customer.clone(),
            ceiling_bps: spec.ceiling_bps(),
            provisioned_bps: spec.provisioned_bps,
            burst_bps: spec.burst_bps,
            link_bps: spec.link_bps,
            threshold_percent: spec.rule.threshold_percent,
        };
        if let Some(&idx) = self.by_id.get(&spec.id) {
            let i = idx.0 as usize;
            if let (Some(st), Some(m)) = (self.hot.get_mut(i), self.cold.get_mut(i)) {
                st.configure(&spec);
                *m = meta;
            }
            return Ok(idx);
        }
        let idx = CircuitIdx(u32::try_from(self.hot.len()).map_err(|_| Error::Config {
            field: "circuits".into(),
            reason: "more than 2^32 circuits".into(),
        })?);
        self.hot.push(State::new(&spec));
        self.cold.push(meta);
        self.by_id.insert(spec.id, idx);
        if !self.counters.is_empty() {
            self.counters.push(CounterPair::default());
        }
        Ok(idx)
    }

    /// The handle of a circuit id.
    pub fn index_of(&self, id: &str) -> Option<CircuitIdx> {
        self.by_id.get(id).copied()
    }

    /// The id of a handle.
    pub fn circuit_id(&self, idx: CircuitIdx) -> Option<&str> {
        self.cold.get(idx.0 as usize).map(|m| m.id.as_str())
    }

    /// Number of registered circuits.
    pub fn len(&self) -> usize {
        self.hot.len()
    }

    /// No circuits registered.
    pub fn is_empty(&self) -> bool {
        self.hot.is_empty()
    }

    /// Outcome counts so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Observes a rate sample of a registered circuit. Events go to `events`.
    pub fn observe(
        &mut self,
        idx: CircuitIdx,
        ts: DateTime<Utc>,
        in_bps: Option<f64>,
        out_bps: Option<f64>,
        events: &mut Vec<EpisodeEvent>,
    ) -> Observed {
        self.observe_ms(idx, ts.timestamp_millis(), in_bps, out_bps, events)
    }

    /// [`observe`](Self::observe) with the instant in Unix milliseconds.
    pub fn observe_ms(
        &mut self,
        idx: CircuitIdx,
        ts: i64,
        in_bps: Option<f64>,
        out_bps: Option<f64>,
        events: &mut Vec<EpisodeEvent>,
    ) -> Observed {
        let complete = in_bps.is_some() && out_bps.is_some();
        let o = self.observe_inner(idx, ts, in_bps, out_bps, complete, events);
        self.count(o);
        o
    }

    /// Observes a [`Sample`] whose circuit is a registered id.
    pub fn observe_sample(&mut self, s: &Sample, events: &mut Vec<EpisodeEvent>) -> Observed {
        match s.circuit.id().and_then(|id| self.index_of(id)) {
            Some(idx) => self.observe(idx, s.ts, s.in_bps, s.out_bps, events),
            None => {
                self.stats.unknown_circuit += 1;
                Observed::UnknownCircuit
            }
        }
    }

    /// Observes octet counters of a registered circuit: they become rates
    /// (see [`crate::telemetry::counter`]) and those are observed.
    pub fn observe_counters(
        &mut self,
        idx: CircuitIdx,
        s: &CounterSample,
        events: &mut Vec<EpisodeEvent>,
    ) -> Observed {
        let i = idx.0 as usize;
        let Some(meta) = self.cold.get(i) else {
            self.stats.unknown_circuit += 1;
            return Observed::UnknownCircuit;
        };
        let default_link = meta
            .link_bps
            .map_or(meta.ceiling_bps as f64 * UNKNOWN_LINK_FACTOR, |l| l as f64);
        if self.counters.len() < self.hot.len() {
            self.counters.resize(self.hot.len(), CounterPair::default());
        }
        let Some(pair) = self.counters.get_mut(i) else {
            return Observed::UnknownCircuit;
        };
        let (oi, oo) = pair.update(s, Some(default_link));
        let (rin, rout) = (
            oi.and_then(CounterOutcome::rate),
            oo.and_then(CounterOutcome::rate),
        );
        if rin.is_none() && rout.is_none() {
            let all = [oi, oo];
            let o = if all
                .iter()
                .any(|o| matches!(o, Some(CounterOutcome::Reset { .. })))
            {
                Observed::CounterReset
            } else if all
                .iter()
                .any(|o| matches!(o, Some(CounterOutcome::Seeded)))
            {
                Observed::CounterSeeded
            } else if all
                .iter()
                .any(|o| matches!(o, Some(CounterOutcome::OutOfOrder)))
            {
                Observed::OutOfOrder
            } else if all
                .iter()
                .any(|o| matches!(o, Some(CounterOutcome::Duplicate)))
            {
                Observed::Duplicate
            } else {
                Observed::Invalid
            };
            self.count(o);
            return o;
        }
        if [oi, oo]
            .iter()
            .any(|o| matches!(o, Some(CounterOutcome::Reset { .. })))
        {
            self.stats.counter_reset += 1;
        }
        let complete = s.in_octets.is_some() && s.out_octets.is_some();
        let o = self.observe_inner(idx, s.ts.timestamp_millis(), rin, rout, complete, events);
        self.count(o);
        o
    }

    /// Looks up a counter sample's circuit id and observes it.
    pub fn observe_counter_sample(
        &mut self,
        s: &CounterSample,
        events: &mut Vec<EpisodeEvent>,
    ) -> Observed {
        match s.circuit.id().and_then(|id| self.index_of(id)) {
            Some(idx) => self.observe_counters(idx, s, events),
            None => {
                self.stats.unknown_circuit += 1;
                Observed::UnknownCircuit
            }
        }
    }

    fn count(&mut self, o: Observed) {
        let s = &mut self.stats;
        match o {
            Observed::Accepted => s.accepted += 1,
            Observed::Pending => s.pending += 1,
            Observed::Merged => s.merged += 1,
            Observed::OutOfOrder => s.out_of_order += 1,
            Observed::Duplicate => s.duplicate += 1,
            Observed::Invalid => s.invalid += 1,
            Observed::UnknownCircuit => s.unknown_circuit += 1,
            Observed::CounterSeeded => s.counter_seeded += 1,
            Observed::CounterReset => s.counter_reset += 1,
        }
    }

    fn observe_inner(
        &mut self,
        idx: CircuitIdx,
        ts: i64,
        in_bps: Option<f64>,
        out_bps: Option<f64>,
        complete: bool,
        events: &mut Vec<EpisodeEvent>,
    ) -> Observed {
        let i = idx.0 as usize;
        let (Some(st), Some(meta)) = (self.hot.get_mut(i), self.cold.get(i)) else {
            return Observed::UnknownCircuit;
        };
        if (in_bps.is_none() && out_bps.is_none())
            || in_bps.is_some_and(|v| !valid_rate(v))
            || out_bps.is_some_and(|v| !valid_rate(v))
        {
            return Observed::Invalid;
        }
        let vin = in_bps.unwrap_or(f64::NAN);
        let vout = out_bps.unwrap_or(f64::NAN);
        let before = events.len();
        let clock = self.clock_ms;
        let result = 'done: {
            if st.pending_ts != NONE {
                if ts == st.pending_ts {
                    // f64::max ignores NaN: fills the missing half, keeps the larger of two.
                    st.pending_in = st.pending_in.max(vin);
                    st.pending_out = st.pending_out.max(vout);
                    if !st.pending_in.is_nan() && !st.pending_out.is_nan() {
                        let (pi, po) = (st.pending_in, st.pending_out);
                        st.pending_ts = NONE;
                        commit(st, meta, ts, pi, po, events);
                    }
                    break 'done Observed::Merged;
                }
                if ts < st.pending_ts {
                    break 'done Observed::OutOfOrder;
                }
                let (pt, pi, po) = (st.pending_ts, st.pending_in, st.pending_out);
                st.pending_ts = NONE;
                commit(st, meta, pt, pi, po, events);
            }
            if ts < st.last_ts {
                break 'done Observed::OutOfOrder;
            }
            if ts == st.last_ts {
                break 'done Observed::Duplicate;
            }
            if complete {
                commit(st, meta, ts, vin, vout, events);
                Observed::Accepted
            } else {
                st.pending_ts = ts;
                st.pending_in = vin;
                st.pending_out = vout;
                st.pending_since = clock;
                Observed::Pending
            }
        };
        if events.len() != before {
            self.tally(before, events);
        }
        result
    }

    fn tally(&mut self, from: usize, events: &[EpisodeEvent]) {
        for e in events.iter().skip(from) {
            match e {
                EpisodeEvent::Opened(_) => self.stats.opened += 1,
                EpisodeEvent::Resolved(_) => self.stats.resolved += 1,
                _ => {}
            }
        }
    }

    /// Wall-clock housekeeping, call every few seconds: commits one-direction
    /// samples that have waited at least the pending grace for their other
    /// half (measured on the tick clock, from the last tick before the half
    /// arrived, so replays of old data wait just as long), and reports open
    /// episodes of circuits whose last sample is older than `stale_after`
    /// (once per silence). Never opens or resolves anything by itself,
    /// except through the committed halves.
    pub fn tick(&mut self, now: DateTime<Utc>, events: &mut Vec<EpisodeEvent>) {
        let now = now.timestamp_millis();
        self.clock_ms = now;
        let before = events.len();
        for (st, meta) in self.hot.iter_mut().zip(self.cold.iter()) {
            if st.pending_ts != NONE {
                if st.pending_since == NONE {
                    st.pending_since = now;
                } else if now.saturating_sub(st.pending_since) >= self.pending_grace_ms {
                    let (pt, pi, po) = (st.pending_ts, st.pending_in, st.pending_out);
                    st.pending_ts = NONE;
                    commit(st, meta, pt, pi, po, events);
                }
            }
            if st.last_ts != NONE && !st.stale && now.saturating_sub(st.last_ts) > st.stale_ms {
                st.stale = true;
                if st.open {
                    events.push(EpisodeEvent::Stale(episode(st, meta, None)));
                }
            }
        }
        if events.len() != before {
            self.tally(before, events);
        }
    }

    /// The open episode of a circuit, if any.
    pub fn open_episode(&self, idx: CircuitIdx) -> Option<Episode> {
        let i = idx.0 as usize;
        match (self.hot.get(i), self.cold.get(i)) {
            (Some(st), Some(meta)) if st.open => Some(episode(st, meta, None)),
            _ => None,
        }
    }

    /// All open episodes, in registration order.
    pub fn open_episodes(&self) -> Vec<Episode> {
        self.hot
            .iter()
            .zip(self.cold.iter())
            .filter(|(st, _)| st.open)
            .map(|(st, meta)| episode(st, meta, None))
            .collect()
    }

    /// Restores an open episode after a restart (from the stored
    /// `MaxoutEvent` rows with no end), so it is not opened and alerted
    /// again. The circuit continues from `last_sample`.
    pub fn restore(&mut self, idx: CircuitIdx, ep: &Episode) -> Result<()> {
        let i = idx.0 as usize;
        let Some(st) = self.hot.get_mut(i) else {
            return Err(Error::Config {
                field: format!("circuit index {}", idx.0),
                reason: "not registered".into(),
            });
        };
        st.open = true;
        st.ep_start = ep.start.timestamp_millis();
        st.ep_over_ms = i64::try_from(ep.seconds_over.saturating_mul(1000)).unwrap_or(i64::MAX);
        st.ep_peak = ep.peak_bps;
        st.ep_dirs = match ep.direction {
            Direction::In => 1,
            Direction::Out => 2,
            Direction::Both => 3,
        };
        st.last_ts = ep.last_sample.timestamp_millis();
        st.last_over = false;
        st.run_count = 0;
        st.stale = false;
        st.next_update = st.last_ts.saturating_add(st.update_ms);
        Ok(())
    }

    /// Approximate bytes of state per tracked circuit: hot and cold structs,
    /// the id/customer strings (twice for the id: name and index key), the
    /// hash index entry, and counter state when counters are in use.
    pub fn bytes_per_circuit(&self) -> usize {
        let n = self.hot.len().max(1);
        let strings: usize = self
            .cold
            .iter()
            .map(|m| 2 * m.id.capacity() + m.customer.as_ref().map_or(0, String::capacity))
            .sum();
        let index = (std::mem::size_of::<(String, CircuitIdx)>() + 1) * self.by_id.capacity() / n;
        let counters = if self.counters.is_empty() {
            0
        } else {
            std::mem::size_of::<CounterPair>()
        };
        std::mem::size_of::<State>() + std::mem::size_of::<Meta>() + strings / n + index + counters
    }
}

/// Commits one sample to a circuit's state (see the module docs for the rules).
#[inline]
fn commit(
    st: &mut State,
    meta: &Meta,
    ts: i64,
    vin: f64,
    vout: f64,
    events: &mut Vec<EpisodeEvent>,
) {
    // A missing direction holds its last value while that is fresh, so a
    // lone half (or a counter reset in one direction) never reads as "low".
    let vin = if vin.is_nan() {
        if st.hold_in_ts != NONE && ts.saturating_sub(st.hold_in_ts) <= st.stale_ms {
            st.hold_in
        } else {
            f64::NAN
        }
    } else {
        st.hold_in = vin;
        st.hold_in_ts = ts;
        vin
    };
    let vout = if vout.is_nan() {
        if st.hold_out_ts != NONE && ts.saturating_sub(st.hold_out_ts) <= st.stale_ms {
            st.hold_out
        } else {
            f64::NAN
        }
    } else {
        st.hold_out = vout;
        st.hold_out_ts = ts;
        vout
    };
    let v = vin.max(vout);
    let gap = if st.last_ts == NONE {
        i64::MAX
    } else {
        ts.saturating_sub(st.last_ts)
    };
    let fresh = gap <= st.stale_ms;
    if fresh {
        if st.last_over {
            if st.open {
                st.ep_over_ms = st.ep_over_ms.saturating_add(gap);
            } else if st.run_count > 0 {
                st.run_over_ms = st.run_over_ms.saturating_add(gap);
            }
        }
    } else {
        st.run_count = 0;
    }
    st.last_ts = ts;
    st.stale = false;
    // NaN (absent half) compares false.
    let dirs = u8::from(vin >= st.over_bps) | (u8::from(vout >= st.over_bps) << 1);
    let over = dirs != 0;
    st.last_over = over;
    if !st.open {
        if !over {
            st.run_count = 0;
            return;
        }
        if st.run_count == 0 {
            st.run_start = ts;
            st.run_over_ms = 0;
            st.run_peak = v;
            st.run_dirs = 0;
        }
        st.run_count = st.run_count.saturating_add(1);
        st.run_peak = st.run_peak.max(v);
        st.run_dirs |= dirs;
        if st.run_count >= st.open_samples && ts.saturating_sub(st.run_start) >= st.open_ms {
            st.open = true;
            st.ep_start = st.run_start;
            st.ep_over_ms = st.run_over_ms;
            st.ep_peak = st.run_peak;
            st.ep_dirs = st.run_dirs;
            st.run_count = 0;
            st.next_update = ts.saturating_add(st.update_ms);
            events.push(EpisodeEvent::Opened(episode(st, meta, None)));
        }
        return;
    }
    st.ep_peak = st.ep_peak.max(v);
    st.ep_dirs |= dirs;
    if v < st.resolve_bps {
        if st.run_count == 0 {
            st.run_start = ts;
        }
        st.run_count = st.run_count.saturating_add(1);
        if st.run_count >= st.resolve_samples && ts.saturating_sub(st.run_start) >= st.resolve_ms {
            st.open = false;
            st.run_count = 0;
            events.push(EpisodeEvent::Resolved(episode(
                st,
                meta,
                Some(st.run_start),
            )));
            return;
        }
    } else {
        st.run_count = 0;
    }
    if st.update_ms > 0 && ts >= st.next_update {
        st.next_update = ts.saturating_add(st.update_ms);
        events.push(EpisodeEvent::Update(episode(st, meta, None)));
    }
}

/// Builds the public episode from the state (cold path).
fn episode(st: &State, meta: &Meta, end: Option<i64>) -> Episode {
    let seconds_over = u64::try_from(st.ep_over_ms.max(0) / 1000).unwrap_or(0);
    let ceiling = meta.ceiling_bps as f64;
    Episode {
        id: Uuid::new_v5(
            &EPISODE_NAMESPACE,
            format!("{}\n{}", meta.id, st.ep_start).as_bytes(),
        ),
        circuit: meta.id.clone(),
        customer: meta.customer.clone(),
        start: from_millis(st.ep_start),
        end: end.map(from_millis),
        last_sample: from_millis(st.last_ts),
        peak_percent: if ceiling > 0.0 {
            st.ep_peak / ceiling * 100.0
        } else {
            0.0
        },
        peak_bps: st.ep_peak,
        seconds_over,
        minutes_over: (seconds_over + 30) / 60,
        direction: Direction::from_bits(st.ep_dirs).unwrap_or(Direction::Both),
        capacity_bps: meta.ceiling_bps,
        provisioned_bps: meta.provisioned_bps,
        burst_bps: meta.burst_bps,
        threshold_percent: meta.threshold_percent,
    }
}

/// Which of `shards` engines a circuit belongs to (FNV-1a of its id), so
/// that one circuit's samples always go to the same engine and stay in
/// order. Resolve [`CircuitRef::Port`](crate::telemetry::CircuitRef::Port) to the circuit id first.
pub fn shard_of(circuit_id: &str, shards: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in circuit_id.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % shards.max(1) as u64) as usize
}

#[cfg(test)]
mod tests;
