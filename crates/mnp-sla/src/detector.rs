//! Outages per circuit from link UP/DOWN events.
//!
//! [`detect`] takes [`LinkEvent`]s in any order, a [`PortMap`] from
//! (device, port) to circuit id and a [`DetectorConfig`], and returns a
//! [`Detection`]: the [`Outage`]s of every circuit plus everything it could
//! not use — events on unknown ports, UPs without a DOWN, repeated DOWNs,
//! and instant flaps — so nothing is dropped silently.
//!
//! # Conventions
//!
//! * **Order**: events are sorted by timestamp, ties by line number, then by
//!   input order (a stable sort), so same-second lines keep their file order.
//! * **Ports**: the detector looks ports up with
//!   [`normalize_device`]`(device)` and [`normalize_port`]`(port)`; a
//!   [`PortMap`] is keyed by those normalised names ([`PortTable`] normalises
//!   on insert). Events on ports the map does not know are tallied per
//!   (normalised device, normalised port) in [`Detection::unknown_ports`].
//! * **One state machine per circuit**, fed by every port mapped to it (both
//!   ends of a circuit may log): a DOWN opens an outage; a DOWN while it is
//!   open is a repeated DOWN (counted, no second outage); the first UP closes
//!   it; an UP while none is open is an UP without a DOWN (counted,
//!   ignored). Cisco-style devices log `%LINK` and `%LINEPROTO` for every
//!   transition, so one real flap typically shows one repeated DOWN and one
//!   UP without a DOWN — expected, not an error.
//! * **Down periods** run from the opening DOWN to the closing UP. A period
//!   whose UP has the same timestamp as its DOWN (a flap within the log's
//!   resolution) is an *instant flap*: reported in
//!   [`Detection::instant_flaps`], not an outage, and not a merge partner.
//!   So every closed outage has `begin < end`.
//! * **Flap merging**: a down period that starts at most
//!   [`DetectorConfig::merge_gap`] after the previous outage of the same
//!   circuit ended continues that outage (`next.begin - prev.end <= gap`).
//!   With the default gap of zero only periods that touch merge. Because the
//!   down periods do not depend on the gap, a larger gap only groups them
//!   more coarsely: it never increases the number of outages.
//! * **Still down**: an outage with no closing UP by the last event has
//!   `end: None`. Input that continues earlier input (the next batch posted
//!   to the service, the next file) goes through [`detect_continuing`] with
//!   the outages still open, so that its first UP closes them.
//! * The result is deterministic: outages sorted by (circuit, begin), the
//!   other lists by time then line, unknown ports by (device, port).
//!
//! ```
//! use std::collections::HashMap;
//! use mnp_sla::detector::{detect, DetectorConfig, PortTable};
//! use mnp_sla::logs::{parse_str, ParseOptions};
//! let log = "May  1 10:00:00 rtr1 %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down\n\
//!            May  1 10:05:00 rtr1 %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to up\n";
//! let events = parse_str(log, &ParseOptions::new(2024, chrono_tz::UTC)).events;
//! let ports: PortTable<&str> = [("RTR1", "Gi0/1", "CKT-1")].into_iter().collect();
//! let d = detect(&events, &ports, &DetectorConfig::default());
//! assert_eq!(d.outages.len(), 1);
//! assert_eq!(d.outages[0].circuit, "CKT-1");
//! assert_eq!(d.outages[0].seconds(), Some(300));
//! ```

// Input never panics; tests may.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use chrono::{DateTime, TimeDelta, Utc};

use crate::logs::{LinkEvent, LinkState, normalize_device, normalize_port};

/// Maps a (device, port) — both already normalised with
/// [`normalize_device`] and [`normalize_port`] — to a circuit id.
pub trait PortMap<C> {
    /// The circuit on this port, if any.
    fn circuit(&self, device: &str, port: &str) -> Option<C>;
}

/// Keys must be normalised (`(normalize_device(d), normalize_port(p))`).
impl<C: Clone, S: BuildHasher> PortMap<C> for HashMap<(String, String), C, S> {
    fn circuit(&self, device: &str, port: &str) -> Option<C> {
        self.get(&(device.to_string(), port.to_string())).cloned()
    }
}

/// Keys must be normalised (`(normalize_device(d), normalize_port(p))`).
impl<C: Clone> PortMap<C> for BTreeMap<(String, String), C> {
    fn circuit(&self, device: &str, port: &str) -> Option<C> {
        self.get(&(device.to_string(), port.to_string())).cloned()
    }
}

/// A port map that normalises device and port names on insert, built from
/// rows such as the store's `EquipmentPortToCircuit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortTable<C> {
    map: HashMap<(String, String), C>,
}

impl<C> Default for PortTable<C> {
    fn default() -> Self {
        PortTable {
            map: HashMap::new(),
        }
    }
}

impl<C> PortTable<C> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Map a port (names as written) to a circuit; returns the circuit it
    /// was mapped to before, if the normalised port was already present.
    pub fn insert(&mut self, device: &str, port: &str, circuit: C) -> Option<C> {
        self.map
            .insert((normalize_device(device), normalize_port(port)), circuit)
    }

    /// Number of mapped ports.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no port is mapped.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl<C: Clone> PortMap<C> for PortTable<C> {
    fn circuit(&self, device: &str, port: &str) -> Option<C> {
        self.map
            .get(&(device.to_string(), port.to_string()))
            .cloned()
    }
}

impl<C, D: AsRef<str>, P: AsRef<str>> FromIterator<(D, P, C)> for PortTable<C> {
    /// Later rows win over earlier ones for the same normalised port.
    fn from_iter<I: IntoIterator<Item = (D, P, C)>>(iter: I) -> Self {
        let mut t = PortTable::new();
        for (d, p, c) in iter {
            t.insert(d.as_ref(), p.as_ref(), c);
        }
        t
    }
}

/// Detector settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetectorConfig {
    /// Down periods of one circuit separated by at most this much merge into
    /// one outage. Zero (the default) merges only touching periods; a
    /// negative gap is taken as zero.
    pub merge_gap: TimeDelta,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            merge_gap: TimeDelta::zero(),
        }
    }
}

impl DetectorConfig {
    /// A config with this merge gap in seconds.
    pub fn with_merge_gap_secs(secs: i64) -> Self {
        DetectorConfig {
            merge_gap: TimeDelta::try_seconds(secs).unwrap_or(TimeDelta::MAX),
        }
    }
}

/// One outage of one circuit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outage<C> {
    /// Circuit id from the port map.
    pub circuit: C,
    /// Time of the opening DOWN.
    pub begin: DateTime<Utc>,
    /// Time of the closing UP; `None` while the circuit is still down at
    /// the last event.
    pub end: Option<DateTime<Utc>>,
    /// Down periods merged into this outage (1 when no flap was merged).
    pub flaps: usize,
    /// Events that make up the outage: opening DOWNs, repeated DOWNs and
    /// closing UPs of every merged period (an outage carried over by
    /// [`detect_continuing`] has no opening DOWN in this input).
    pub events: usize,
    /// Line numbers of those events, in time order.
    pub lines: Vec<usize>,
}

impl<C> Outage<C> {
    /// `(begin, end)`: the shape of the store's `CircuitOutageEvent`
    /// (`beginOutage`, `endOutage`) and of the evaluator's outage spans.
    pub fn span(&self) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
        (self.begin, self.end)
    }

    /// `end - begin`, for a closed outage.
    pub fn duration(&self) -> Option<TimeDelta> {
        self.end.map(|e| e - self.begin)
    }

    /// Whole seconds of a closed outage (fractions dropped).
    pub fn seconds(&self) -> Option<i64> {
        self.duration().map(|d| d.num_seconds())
    }

    /// The outage as a window, for a closed outage (always `begin < end`).
    pub fn window(&self) -> Option<mnp_core::Window> {
        self.end
            .and_then(|e| mnp_core::Window::new(self.begin, e).ok())
    }

    /// Duration up to `until` for an open outage (`until` before `begin`
    /// gives zero), or the duration of a closed one.
    pub fn duration_until(&self, until: DateTime<Utc>) -> TimeDelta {
        let end = self.end.unwrap_or(until);
        (end - self.begin).max(TimeDelta::zero())
    }
}

/// An event the detector read but did not turn into outage time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anomaly<C> {
    /// Circuit the port maps to.
    pub circuit: C,
    /// Device as written.
    pub device: String,
    /// Port as written.
    pub port: String,
    /// When.
    pub ts: DateTime<Utc>,
    /// Line number.
    pub line: usize,
}

/// Events on a port the map does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPort {
    /// Normalised device.
    pub device: String,
    /// Normalised port.
    pub port: String,
    /// Device and port as written in the first such event.
    pub written: (String, String),
    /// Number of events.
    pub events: usize,
    /// Their line numbers, in time order.
    pub lines: Vec<usize>,
}

/// Everything the detector found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection<C> {
    /// Outages, sorted by (circuit, begin).
    pub outages: Vec<Outage<C>>,
    /// Events on unmapped ports, sorted by (device, port).
    pub unknown_ports: Vec<UnknownPort>,
    /// UPs while no outage was open for the circuit (ignored).
    pub ups_without_down: Vec<Anomaly<C>>,
    /// DOWNs while an outage was already open (no second outage).
    pub repeated_downs: Vec<Anomaly<C>>,
    /// Down periods whose UP came at the DOWN's timestamp (the DOWN event).
    pub instant_flaps: Vec<Anomaly<C>>,
    /// Events read in total.
    pub events: usize,
}

impl<C> Detection<C> {
    /// Events on unmapped ports, all ports together.
    pub fn unknown_events(&self) -> usize {
        self.unknown_ports.iter().map(|u| u.events).sum()
    }
}

/// An open down period: its begin and events, and the outage it continues
/// (merge candidate) if it started within the gap.
struct Period {
    begin: DateTime<Utc>,
    lines: Vec<usize>,
    first: usize,
    continues: Option<OutageAcc>,
}

struct OutageAcc {
    begin: DateTime<Utc>,
    end: DateTime<Utc>,
    flaps: usize,
    lines: Vec<usize>,
}

#[derive(Default)]
struct CircuitState {
    /// Last closed outage, kept open for merging.
    closed: Option<OutageAcc>,
    /// The current down period.
    down: Option<Period>,
}

fn anomaly<C: Clone>(circuit: &C, e: &LinkEvent) -> Anomaly<C> {
    Anomaly {
        circuit: circuit.clone(),
        device: e.device.clone(),
        port: e.port.clone(),
        ts: e.ts,
        line: e.line,
    }
}

fn finish<C: Clone>(circuit: &C, acc: OutageAcc, out: &mut Vec<Outage<C>>) {
    out.push(Outage {
        circuit: circuit.clone(),
        begin: acc.begin,
        end: Some(acc.end),
        flaps: acc.flaps,
        events: acc.lines.len(),
        lines: acc.lines,
    });
}

/// Turn events into outages per circuit (see the module docs for the
/// rules). Never fails: whatever cannot be used is reported in the result.
pub fn detect<C, M>(events: &[LinkEvent], ports: &M, config: &DetectorConfig) -> Detection<C>
where
    C: Clone + Ord,
    M: PortMap<C> + ?Sized,
{
    detect_continuing(events, ports, config, &[])
}

/// [`detect`] for input that continues earlier input (the next batch of a
/// stream, the next log file): `open` holds the outages that were still open
/// at the end of the earlier input, as `(circuit, begin)`. Each acts as a
/// DOWN at its begin that no line wrote, so the first UP of this input
/// closes it with its original begin (a further DOWN is a repeated DOWN).
///
/// Only open outages carry over: a DOWN of this input within the merge gap
/// of an outage *closed* in the earlier input starts a new outage. With a
/// zero gap, detecting two consecutive parts this way gives the same outage
/// spans as detecting the whole.
pub fn detect_continuing<C, M>(
    events: &[LinkEvent],
    ports: &M,
    config: &DetectorConfig,
    open: &[(C, DateTime<Utc>)],
) -> Detection<C>
where
    C: Clone + Ord,
    M: PortMap<C> + ?Sized,
{
    let gap = config.merge_gap.max(TimeDelta::zero());
    let mut order: Vec<&LinkEvent> = events.iter().collect();
    order.sort_by_key(|e| (e.ts, e.line));

    // Resolve ports once per distinct (device, port); tally unknown ones.
    let mut lookups: HashMap<(String, String), Option<C>> = HashMap::new();
    let mut unknown: BTreeMap<(String, String), UnknownPort> = BTreeMap::new();
    // Carried-over outages first, so that at equal times they come before
    // this input's events (line 0 sorts first, and the sort is stable).
    let mut steps: Vec<(DateTime<Utc>, usize, C, Option<&LinkEvent>)> = open
        .iter()
        .map(|(c, begin)| (*begin, 0, c.clone(), None))
        .collect();
    for e in order {
        let key = (normalize_device(&e.device), normalize_port(&e.port));
        let circuit = lookups
            .entry(key.clone())
            .or_insert_with(|| ports.circuit(&key.0, &key.1))
            .clone();
        match circuit {
            Some(c) => steps.push((e.ts, e.line, c, Some(e))),
            None => {
                let u = unknown.entry(key.clone()).or_insert_with(|| UnknownPort {
                    device: key.0.clone(),
                    port: key.1.clone(),
                    written: (e.device.clone(), e.port.clone()),
                    events: 0,
                    lines: Vec::new(),
                });
                u.events += 1;
                u.lines.push(e.line);
            }
        }
    }
    steps.sort_by_key(|a| (a.0, a.1));

    let mut states: BTreeMap<C, CircuitState> = BTreeMap::new();
    let mut outages = Vec::new();
    let mut ups_without_down = Vec::new();
    let mut repeated_downs = Vec::new();
    let mut instant_flaps = Vec::new();

    for (ts, _, circuit, event) in steps {
        let st = states.entry(circuit.clone()).or_default();
        let state = event.map_or(LinkState::Down, |e| e.state);
        match (state, st.down.as_mut(), event) {
            // A carried-over outage on a circuit already down: nothing new.
            (LinkState::Down, Some(_), None) => {}
            (LinkState::Down, Some(p), Some(e)) => {
                tracing::debug!(device = %e.device, port = %e.port, line = e.line, "repeated DOWN");
                p.lines.push(e.line);
                repeated_downs.push(anomaly(&circuit, e));
            }
            (LinkState::Down, None, _) => {
                let continues = match st.closed.take() {
                    Some(prev) if ts - prev.end <= gap => Some(prev),
                    Some(prev) => {
                        finish(&circuit, prev, &mut outages);
                        None
                    }
                    None => None,
                };
                let lines: Vec<usize> = event.map(|e| e.line).into_iter().collect();
                st.down = Some(Period {
                    begin: ts,
                    first: event.map_or(0, |e| e.line),
                    lines,
                    continues,
                });
            }
            (LinkState::Up, None, Some(e)) => {
                tracing::debug!(device = %e.device, port = %e.port, line = e.line, "UP without a DOWN");
                ups_without_down.push(anomaly(&circuit, e));
            }
            (LinkState::Up, Some(_), Some(e)) => {
                let Some(mut p) = st.down.take() else {
                    continue;
                };
                if e.ts == p.begin {
                    tracing::debug!(device = %e.device, port = %e.port, line = p.first, "instant flap");
                    instant_flaps.push(Anomaly {
                        line: p.first,
                        ..anomaly(&circuit, e)
                    });
                    st.closed = p.continues;
                    continue;
                }
                p.lines.push(e.line);
                st.closed = Some(match p.continues {
                    Some(mut acc) => {
                        acc.end = e.ts;
                        acc.flaps += 1;
                        acc.lines.extend(p.lines);
                        acc
                    }
                    None => OutageAcc {
                        begin: p.begin,
                        end: e.ts,
                        flaps: 1,
                        lines: p.lines,
                    },
                });
            }
            // An UP always comes from an event.
            (LinkState::Up, _, None) => {}
        }
    }

    for (circuit, st) in states {
        match st.down {
            Some(p) => {
                let (begin, flaps, mut lines) = match p.continues {
                    Some(acc) => (acc.begin, acc.flaps + 1, acc.lines),
                    None => (p.begin, 1, Vec::new()),
                };
                lines.extend(p.lines);
                outages.push(Outage {
                    circuit,
                    begin,
                    end: None,
                    flaps,
                    events: lines.len(),
                    lines,
                });
            }
            None => {
                if let Some(acc) = st.closed {
                    finish(&circuit, acc, &mut outages);
                }
            }
        }
    }
    outages.sort_by(|a, b| (&a.circuit, a.begin).cmp(&(&b.circuit, b.begin)));

    Detection {
        outages,
        unknown_ports: unknown.into_values().collect(),
        ups_without_down,
        repeated_downs,
        instant_flaps,
        events: events.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap() + TimeDelta::seconds(s)
    }

    fn ev(line: usize, dev: &str, port: &str, state: LinkState, s: i64) -> LinkEvent {
        LinkEvent {
            device: dev.into(),
            port: port.into(),
            state,
            ts: t(s),
            line,
            raw: String::new(),
            family: "test",
        }
    }

    use LinkState::{Down as D, Up as U};

    fn table() -> PortTable<&'static str> {
        [
            ("r1", "GigabitEthernet0/1", "A"),
            ("r2", "xe-0/0/1", "A"), // far end of A
            ("r1", "Gi0/2", "B"),
        ]
        .into_iter()
        .collect()
    }

    fn spans(d: &Detection<&'static str>) -> Vec<(&'static str, i64, Option<i64>, usize)> {
        let base = t(0);
        d.outages
            .iter()
            .map(|o| {
                (
                    o.circuit,
                    (o.begin - base).num_seconds(),
                    o.end.map(|e| (e - base).num_seconds()),
                    o.flaps,
                )
            })
            .collect()
    }

    #[test]
    fn down_opens_up_closes_and_names_are_normalised() {
        let evs = [ev(1, "R1", "Gi0/1", D, 10), ev(2, "r1.", "gi 0/1", U, 70)];
        let d = detect(&evs, &table(), &DetectorConfig::default());
        assert_eq!(spans(&d), vec![("A", 10, Some(70), 1)]);
        assert_eq!(d.outages[0].lines, vec![1, 2]);
        assert_eq!(d.outages[0].events, 2);
        assert_eq!(d.outages[0].seconds(), Some(60));
        assert!(d.unknown_ports.is_empty());
    }

    #[test]
    fn repeated_down_and_up_without_down_are_counted_not_outages() {
        // LINK + LINEPROTO pairs, plus an UP before anything went down.
        let evs = [
            ev(1, "r1", "Gi0/1", U, 0),
            ev(2, "r1", "Gi0/1", D, 10),
            ev(3, "r1", "Gi0/1", D, 11),
            ev(4, "r1", "Gi0/1", U, 40),
            ev(5, "r1", "Gi0/1", U, 41),
        ];
        let d = detect(&evs, &table(), &DetectorConfig::default());
        assert_eq!(spans(&d), vec![("A", 10, Some(40), 1)]);
        assert_eq!(d.outages[0].lines, vec![2, 3, 4]);
        assert_eq!(
            d.repeated_downs.iter().map(|a| a.line).collect::<Vec<_>>(),
            vec![3]
        );
        assert_eq!(
            d.ups_without_down
                .iter()
                .map(|a| a.line)
                .collect::<Vec<_>>(),
            vec![1, 5]
        );
    }

    #[test]
    fn both_ends_of_a_circuit_feed_one_state_machine() {
        let evs = [
            ev(1, "r1", "Gi0/1", D, 100),
            ev(1, "r2", "xe-0/0/1", D, 101),
            ev(2, "r1", "Gi0/1", U, 200),
            ev(2, "r2", "xe-0/0/1", U, 201),
        ];
        let d = detect(&evs, &table(), &DetectorConfig::default());
        assert_eq!(spans(&d), vec![("A", 100, Some(200), 1)]);
        assert_eq!(d.repeated_downs.len(), 1);
        assert_eq!(d.ups_without_down.len(), 1);
    }

    #[test]
    fn out_of_order_input_is_sorted_and_ties_keep_line_order() {
        let evs = [
            ev(4, "r1", "Gi0/2", U, 50),
            ev(2, "r1", "Gi0/2", D, 20),
            ev(1, "r1", "Gi0/1", D, 20),
            ev(3, "r1", "Gi0/1", U, 30),
        ];
        let d = detect(&evs, &table(), &DetectorConfig::default());
        assert_eq!(
            spans(&d),
            vec![("A", 20, Some(30), 1), ("B", 20, Some(50), 1)]
        );
        // Same second, UP written before DOWN: UP without DOWN, then open.
        let evs = [ev(8, "r1", "Gi0/2", D, 5), ev(7, "r1", "Gi0/2", U, 5)];
        let d = detect(&evs, &table(), &DetectorConfig::default());
        assert_eq!(spans(&d), vec![("B", 5, None, 1)]);
        assert_eq!(d.ups_without_down.len(), 1);
    }

    #[test]
    fn flaps_within_the_gap_merge_and_touching_ones_merge_at_zero() {
        let evs = [
            ev(1, "r1", "Gi0/1", D, 0),
            ev(2, "r1", "Gi0/1", U, 10),
            ev(3, "r1", "Gi0/1", D, 10), // touches: merges even at gap 0
            ev(4, "r1", "Gi0/1", U, 20),
            ev(5, "r1", "Gi0/1", D, 50), // 30 s later
            ev(6, "r1", "Gi0/1", U, 60),
            ev(7, "r1", "Gi0/1", D, 121), // 61 s later
            ev(8, "r1", "Gi0/1", U, 130),
        ];
        let d0 = detect(&evs, &table(), &DetectorConfig::default());
        assert_eq!(
            spans(&d0),
            vec![
                ("A", 0, Some(20), 2),
                ("A", 50, Some(60), 1),
                ("A", 121, Some(130), 1)
            ]
        );
        let d30 = detect(&evs, &table(), &DetectorConfig::with_merge_gap_secs(30));
        assert_eq!(
            spans(&d30),
            vec![("A", 0, Some(60), 3), ("A", 121, Some(130), 1)]
        );
        assert_eq!(d30.outages[0].lines, vec![1, 2, 3, 4, 5, 6]);
        let d61 = detect(&evs, &table(), &DetectorConfig::with_merge_gap_secs(61));
        assert_eq!(spans(&d61), vec![("A", 0, Some(130), 4)]);
        assert_eq!(d61.outages[0].events, 8);
        let neg = detect(&evs, &table(), &DetectorConfig::with_merge_gap_secs(-5));
        assert_eq!(spans(&neg), spans(&d0));
    }

    #[test]
    fn still_down_at_the_end_and_merged_into_an_open_period() {
        let evs = [
            ev(1, "r1", "Gi0/1", D, 0),
            ev(2, "r1", "Gi0/1", U, 10),
            ev(3, "r1", "Gi0/1", D, 15),
        ];
        let d = detect(&evs, &table(), &DetectorConfig::default());
        assert_eq!(spans(&d), vec![("A", 0, Some(10), 1), ("A", 15, None, 1)]);
        assert_eq!(d.outages[1].duration_until(t(100)), TimeDelta::seconds(85));
        assert_eq!(d.outages[1].window(), None);
        let d = detect(&evs, &table(), &DetectorConfig::with_merge_gap_secs(5));
        assert_eq!(spans(&d), vec![("A", 0, None, 2)]);
        assert_eq!(d.outages[0].lines, vec![1, 2, 3]);
    }

    #[test]
    fn instant_flaps_are_reported_not_outages_nor_merge_partners() {
        let evs = [
            ev(1, "r1", "Gi0/1", D, 0),
            ev(2, "r1", "Gi0/1", U, 0),
            ev(3, "r1", "Gi0/1", D, 5),
            ev(4, "r1", "Gi0/1", U, 9),
            ev(5, "r1", "Gi0/1", D, 12),
            ev(6, "r1", "Gi0/1", U, 12),
        ];
        let d = detect(&evs, &table(), &DetectorConfig::with_merge_gap_secs(10));
        assert_eq!(spans(&d), vec![("A", 5, Some(9), 1)]);
        assert_eq!(
            d.instant_flaps.iter().map(|a| a.line).collect::<Vec<_>>(),
            vec![1, 5]
        );
    }

    #[test]
    fn unknown_ports_are_tallied_per_normalised_port() {
        let evs = [
            ev(1, "r9", "Te1/1", D, 0),
            ev(2, "R9", "TenGigabitEthernet1/1", U, 5),
            ev(3, "r1", "Gi0/3", D, 1),
        ];
        let d = detect(&evs, &table(), &DetectorConfig::default());
        assert!(d.outages.is_empty());
        assert_eq!(d.events, 3);
        assert_eq!(d.unknown_events(), 3);
        assert_eq!(
            d.unknown_ports,
            vec![
                UnknownPort {
                    device: "r1".into(),
                    port: "gigabitethernet0/3".into(),
                    written: ("r1".into(), "Gi0/3".into()),
                    events: 1,
                    lines: vec![3],
                },
                UnknownPort {
                    device: "r9".into(),
                    port: "tengigabitethernet1/1".into(),
                    written: ("r9".into(), "Te1/1".into()),
                    events: 2,
                    lines: vec![1, 2],
                },
            ]
        );
    }

    #[test]
    fn carried_over_outages_are_closed_by_the_first_up() {
        let evs = [
            ev(5, "r1", "Gi0/1", D, 50), // repeated: A is still down
            ev(6, "r1", "Gi0/1", U, 60),
            ev(7, "r1", "Gi0/2", U, 70), // B: UP without DOWN
        ];
        let open = [("A", t(-3600)), ("C", t(-10))];
        let d = detect_continuing(&evs, &table(), &DetectorConfig::default(), &open);
        assert_eq!(
            spans(&d),
            vec![("A", -3600, Some(60), 1), ("C", -10, None, 1)]
        );
        assert_eq!(d.outages[0].lines, vec![5, 6]);
        assert_eq!(d.outages[0].span(), (t(-3600), Some(t(60))));
        assert!(d.outages[1].lines.is_empty());
        assert_eq!(d.repeated_downs.len(), 1);
        assert_eq!(d.ups_without_down.len(), 1);
        // A carried-over outage after a DOWN of the same circuit adds nothing.
        let evs = [ev(1, "r1", "Gi0/1", D, 0), ev(2, "r1", "Gi0/1", U, 20)];
        let d = detect_continuing(&evs, &table(), &DetectorConfig::default(), &[("A", t(5))]);
        assert_eq!(spans(&d), vec![("A", 0, Some(20), 1)]);
        assert!(d.repeated_downs.is_empty());
    }

    #[test]
    fn hash_and_btree_maps_work_with_normalised_keys() {
        let mut h = HashMap::new();
        h.insert(("r1".to_string(), normalize_port("Gi0/1")), 7u32);
        let evs = [ev(1, "R1", "GigabitEthernet0/1", D, 0)];
        let d = detect(&evs, &h, &DetectorConfig::default());
        assert_eq!(d.outages.len(), 1);
        assert_eq!(d.outages[0].circuit, 7);
        let b: BTreeMap<_, _> = h.into_iter().collect();
        assert_eq!(
            detect(&evs, &b, &DetectorConfig::default()).outages.len(),
            1
        );
        let mut pt = PortTable::new();
        assert!(pt.is_empty());
        assert_eq!(pt.insert("r1", "Gi0/1", 1), None);
        assert_eq!(pt.insert("R1", "GigabitEthernet0/1", 2), Some(1));
        assert_eq!(pt.len(), 1);
    }
}
