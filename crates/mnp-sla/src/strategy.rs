//! SLA strategies: how member circuits' outages become the service's downtime.
//!
//! A strategy is one [`SlaStrategy`] implementation submitted with
//! `inventory::submit!` as a [`StrategyDescriptor`] from the file that
//! defines it — there is no central list. [`all`] collects them sorted by id;
//! an SLA definition names one by id (`strategy = "standard-availability"`).
//!
//! The evaluator ([`crate::evaluate`]) hands a strategy one
//! [`MemberTimeline`] per member circuit: that circuit's outages and its
//! forecast-maintenance windows, already clipped to the period, in whole
//! seconds, merged into disjoint [`Intervals`]. The strategy answers with a
//! [`Downtime`]: when the service was down (`outage`) and which part of that
//! is excused by forecast maintenance (`excluded`, a subset of `outage`).
//!
//! # Forecast maintenance convention
//!
//! Outage time that overlaps a **non-cancelled** forecast window **for that
//! circuit** is excluded — only the overlapping part; the rest of the outage
//! counts. A circuit's windows are merged before they are used, so two
//! overlapping announcements (a reschedule, a duplicate notice) never exclude
//! the same second twice, and an outage is never excluded beyond its own
//! length. Which statuses count as "non-cancelled", and the optional
//! per-period maintenance allowance, are applied by the evaluator.
//!
//! # Built-in strategies
//!
//! * `standard-availability` — one circuit: downtime is its outage time;
//!   excluded is the part inside its forecast windows.
//! * `protection-group` — several circuits protecting each other: the
//!   service is down only while **every** member is down at the same time
//!   (intersection of the members' outages). Maintenance is applied per
//!   member first: an instant counts against the group only if every member
//!   is down *and* none of them is inside one of its own forecast windows
//!   then. So counted group downtime is ∩ᵢ (outageᵢ − maintenanceᵢ), the
//!   group outage is ∩ᵢ outageᵢ, and the difference is excluded. This makes
//!   a group's counted downtime a subset of every member's, hence group
//!   availability ≥ each member's availability.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::LazyLock;

use chrono::{DateTime, Utc};

/// What can go wrong applying a strategy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StrategyError {
    /// No strategy with this id is registered.
    #[error("unknown strategy {id:?} (registered: {})", known.join(", "))]
    Unknown {
        /// The id asked for.
        id: String,
        /// The registered ids.
        known: Vec<&'static str>,
    },
    /// The strategy cannot work with this many member circuits.
    #[error("strategy {strategy} needs {expected}, got {got} circuits")]
    MemberCount {
        /// The strategy id.
        strategy: &'static str,
        /// What it needs, in words ("exactly one circuit").
        expected: &'static str,
        /// How many it was given.
        got: usize,
    },
}

/// A set of disjoint half-open intervals `[begin, end)` of Unix seconds,
/// sorted, with overlapping and touching intervals merged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Intervals {
    spans: Vec<(i64, i64)>,
}

impl Intervals {
    /// The empty set.
    pub fn new() -> Intervals {
        Intervals::default()
    }

    /// The union of the given spans; empty and reversed spans are dropped.
    pub fn from_spans(spans: impl IntoIterator<Item = (i64, i64)>) -> Intervals {
        let mut v: Vec<(i64, i64)> = spans.into_iter().filter(|(b, e)| b < e).collect();
        v.sort_unstable();
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
        for (b, e) in v {
            match out.last_mut() {
                Some(last) if b <= last.1 => last.1 = last.1.max(e),
                _ => out.push((b, e)),
            }
        }
        Intervals { spans: out }
    }

    /// One interval from two instants (whole seconds); empty if `end <= begin`.
    pub fn between(begin: DateTime<Utc>, end: DateTime<Utc>) -> Intervals {
        Intervals::from_spans([(begin.timestamp(), end.timestamp())])
    }

    /// The disjoint spans, sorted.
    pub fn spans(&self) -> &[(i64, i64)] {
        &self.spans
    }

    /// Total length in seconds.
    pub fn seconds(&self) -> i64 {
        self.spans.iter().map(|(b, e)| e - b).sum()
    }

    /// True when the set is empty.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Seconds in the union of both sets.
    pub fn union(&self, other: &Intervals) -> Intervals {
        Intervals::from_spans(self.spans.iter().chain(other.spans.iter()).copied())
    }

    /// Seconds in both sets.
    pub fn intersect(&self, other: &Intervals) -> Intervals {
        let (a, b) = (&self.spans, &other.spans);
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while let (Some(&(ab, ae)), Some(&(bb, be))) = (a.get(i), b.get(j)) {
            let (lo, hi) = (ab.max(bb), ae.min(be));
            if lo < hi {
                out.push((lo, hi));
            }
            if ae < be {
                i += 1;
            } else {
                j += 1;
            }
        }
        Intervals { spans: out }
    }

    /// Seconds in `self` but not in `other`.
    pub fn subtract(&self, other: &Intervals) -> Intervals {
        let mut out = Vec::new();
        let mut j = 0;
        for &(b, e) in &self.spans {
            let mut cur = b;
            // Skip holes that end before this span.
            while other.spans.get(j).is_some_and(|&(_, oe)| oe <= cur) {
                j += 1;
            }
            let mut k = j;
            while let Some(&(ob, oe)) = other.spans.get(k) {
                if ob >= e {
                    break;
                }
                if ob > cur {
                    out.push((cur, ob));
                }
                cur = cur.max(oe);
                if cur >= e {
                    break;
                }
                k += 1;
            }
            if cur < e {
                out.push((cur, e));
            }
        }
        Intervals { spans: out }
    }

    /// The part of the set inside `[begin, end)`.
    pub fn clip(&self, begin: i64, end: i64) -> Intervals {
        self.intersect(&Intervals::from_spans([(begin, end)]))
    }

    /// The first `seconds` of the set in time order (all of it if shorter).
    pub fn first_seconds(&self, seconds: i64) -> Intervals {
        let mut left = seconds.max(0);
        let mut out = Vec::new();
        for &(b, e) in &self.spans {
            if left == 0 {
                break;
            }
            let take = (e - b).min(left);
            out.push((b, b + take));
            left -= take;
        }
        Intervals { spans: out }
    }
}

/// One member circuit's inputs for a period, clipped to it and merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberTimeline {
    /// When the circuit was down.
    pub outages: Intervals,
    /// Non-cancelled forecast maintenance windows for this circuit, merged.
    pub maintenance: Intervals,
}

/// A strategy's answer: the service's downtime in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Downtime {
    /// When the service was down.
    pub outage: Intervals,
    /// The part of `outage` excused by forecast maintenance (⊆ `outage`).
    pub excluded: Intervals,
}

/// An SLA strategy: combines member timelines into the service's downtime.
pub trait SlaStrategy: Send + Sync {
    /// The service's downtime from its members' timelines (all clipped to
    /// the same period). Refuses member counts it cannot work with.
    fn downtime(&self, members: &[MemberTimeline]) -> Result<Downtime, StrategyError>;
}

/// A registered strategy, submitted with `inventory::submit!`.
pub struct StrategyDescriptor {
    /// Kebab-case id used in SLA files; never changes.
    pub id: &'static str,
    /// One-paragraph description for people (`mnp sla strategies`).
    pub doc: &'static str,
    /// The strategy.
    pub strategy: &'static dyn SlaStrategy,
}

inventory::collect!(StrategyDescriptor);

/// Every registered strategy, sorted by id.
pub fn all() -> Vec<&'static StrategyDescriptor> {
    SORTED.clone()
}

/// Collected once: the evaluator looks a strategy up for every circuit.
static SORTED: LazyLock<Vec<&'static StrategyDescriptor>> = LazyLock::new(|| {
    let mut v: Vec<&'static StrategyDescriptor> =
        inventory::iter::<StrategyDescriptor>.into_iter().collect();
    v.sort_by_key(|d| d.id);
    v
});

/// The registered ids, sorted.
pub fn ids() -> Vec<&'static str> {
    all().into_iter().map(|d| d.id).collect()
}

/// The strategy with this id.
pub fn find(id: &str) -> Result<&'static StrategyDescriptor, StrategyError> {
    SORTED
        .iter()
        .copied()
        .find(|d| d.id == id)
        .ok_or_else(|| StrategyError::Unknown {
            id: id.to_string(),
            known: ids(),
        })
}

/// `standard-availability`: one circuit.
struct StandardAvailability;

impl SlaStrategy for StandardAvailability {
    fn downtime(&self, members: &[MemberTimeline]) -> Result<Downtime, StrategyError> {
        let [m] = members else {
            return Err(StrategyError::MemberCount {
                strategy: "standard-availability",
                expected: "exactly one circuit",
                got: members.len(),
            });
        };
        Ok(Downtime {
            outage: m.outages.clone(),
            excluded: m.outages.intersect(&m.maintenance),
        })
    }
}

inventory::submit! {
    StrategyDescriptor {
        id: "standard-availability",
        doc: "One circuit. Availability = 1 - counted outage seconds / period seconds; \
              outage time inside a non-cancelled forecast maintenance window for the circuit \
              is excluded (only the overlapping part).",
        strategy: &StandardAvailability,
    }
}

/// `protection-group`: down only while every member is down.
struct ProtectionGroup;

impl SlaStrategy for ProtectionGroup {
    fn downtime(&self, members: &[MemberTimeline]) -> Result<Downtime, StrategyError> {
        let Some((first, rest)) = members.split_first() else {
            return Err(StrategyError::MemberCount {
                strategy: "protection-group",
                expected: "at least one circuit",
                got: 0,
            });
        };
        let mut outage = first.outages.clone();
        let mut counted = first.outages.subtract(&first.maintenance);
        for m in rest {
            outage = outage.intersect(&m.outages);
            counted = counted.intersect(&m.outages.subtract(&m.maintenance));
        }
        Ok(Downtime {
            excluded: outage.subtract(&counted),
            outage,
        })
    }
}

inventory::submit! {
    StrategyDescriptor {
        id: "protection-group",
        doc: "Circuits protecting each other. The service is down only while every member \
              circuit is down at the same time (intersection of the members' outages). An \
              instant is excluded when any member is inside one of its own non-cancelled \
              forecast maintenance windows then, so group availability is never below a \
              member's.",
        strategy: &ProtectionGroup,
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn iv(spans: &[(i64, i64)]) -> Intervals {
        Intervals::from_spans(spans.iter().copied())
    }

    #[test]
    fn registry_invariants() {
        let all = all();
        assert_eq!(all.len(), 2, "registered strategies: {:?}", ids());
        assert_eq!(ids(), ["protection-group", "standard-availability"]);
        for d in &all {
            assert!(
                d.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && !d.id.starts_with('-'),
                "{} is not kebab-case",
                d.id
            );
            assert!(d.doc.len() > 40, "{} needs a doc", d.id);
        }
        let e = find("best-effort").err().unwrap().to_string();
        assert_eq!(
            e,
            "unknown strategy \"best-effort\" (registered: protection-group, standard-availability)"
        );
    }

    #[test]
    fn interval_algebra_by_hand() {
        let a = iv(&[(0, 10), (5, 15), (20, 30), (30, 35)]);
        assert_eq!(a.spans(), [(0, 15), (20, 35)]);
        assert_eq!(a.seconds(), 30);
        let b = iv(&[(10, 22), (25, 26), (34, 100)]);
        assert_eq!(
            a.intersect(&b).spans(),
            [(10, 15), (20, 22), (25, 26), (34, 35)]
        );
        assert_eq!(a.subtract(&b).spans(), [(0, 10), (22, 25), (26, 34)]);
        assert_eq!(a.union(&b).spans(), [(0, 100)]);
        assert_eq!(a.clip(12, 21).spans(), [(12, 15), (20, 21)]);
        assert_eq!(a.first_seconds(17).spans(), [(0, 15), (20, 22)]);
        assert!(iv(&[(5, 5), (9, 3)]).is_empty());
    }

    #[test]
    fn standard_excludes_only_the_overlap() {
        // 45 min down, a window covering its first 20 min.
        let m = MemberTimeline {
            outages: iv(&[(0, 2_700)]),
            maintenance: iv(&[(-600, 1_200)]),
        };
        let d = find("standard-availability")
            .unwrap()
            .strategy
            .downtime(&[m])
            .unwrap();
        assert_eq!((d.outage.seconds(), d.excluded.seconds()), (2_700, 1_200));
        let e = find("standard-availability")
            .unwrap()
            .strategy
            .downtime(&[MemberTimeline::default(), MemberTimeline::default()])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "strategy standard-availability needs exactly one circuit, got 2 circuits"
        );
    }

    #[test]
    fn protection_group_by_hand() {
        // A down 10:00–11:00, B down 10:30–12:00: both down 10:30–11:00.
        // B has a window 10:50–11:30: 10:50–11:00 is excused.
        let h = 3_600;
        let a = MemberTimeline {
            outages: iv(&[(10 * h, 11 * h)]),
            maintenance: Intervals::new(),
        };
        let b = MemberTimeline {
            outages: iv(&[(10 * h + 1_800, 12 * h)]),
            maintenance: iv(&[(10 * h + 3_000, 11 * h + 1_800)]),
        };
        let d = find("protection-group")
            .unwrap()
            .strategy
            .downtime(&[a, b])
            .unwrap();
        assert_eq!(d.outage.spans(), [(10 * h + 1_800, 11 * h)]);
        assert_eq!(d.excluded.spans(), [(10 * h + 3_000, 11 * h)]);
        assert_eq!(d.outage.seconds() - d.excluded.seconds(), 1_200);
        assert!(
            find("protection-group")
                .unwrap()
                .strategy
                .downtime(&[])
                .is_err()
        );
    }

    fn spans() -> impl Strategy<Value = Vec<(i64, i64)>> {
        prop::collection::vec((0i64..1_000, 0i64..200).prop_map(|(b, l)| (b, b + l)), 0..8)
    }

    /// Brute force: the set of seconds covered.
    fn bits(s: &Intervals) -> Vec<bool> {
        let mut v = vec![false; 1_300];
        for &(b, e) in s.spans() {
            for x in b..e {
                v[x as usize] = true;
            }
        }
        v
    }

    proptest! {
        #[test]
        fn interval_ops_match_brute_force(a in spans(), b in spans(), n in 0i64..500) {
            let (a, b) = (Intervals::from_spans(a), Intervals::from_spans(b));
            let (ba, bb) = (bits(&a), bits(&b));
            let zip = |f: fn(bool, bool) -> bool| ba.iter().zip(&bb).map(|(x, y)| f(*x, *y)).collect::<Vec<_>>();
            prop_assert_eq!(bits(&a.intersect(&b)), zip(|x, y| x && y));
            prop_assert_eq!(bits(&a.subtract(&b)), zip(|x, y| x && !y));
            prop_assert_eq!(bits(&a.union(&b)), zip(|x, y| x || y));
            prop_assert_eq!(a.seconds(), ba.iter().filter(|x| **x).count() as i64);
            let f = a.first_seconds(n);
            prop_assert_eq!(f.seconds(), n.min(a.seconds()));
            prop_assert_eq!(f.subtract(&a), Intervals::new());
            for w in a.spans().windows(2) {
                prop_assert!(w[0].1 < w[1].0);
            }
        }
    }
}
