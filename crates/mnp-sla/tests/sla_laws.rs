//! Property tests for the SLA maths laws of issue 5.

use chrono::{DateTime, Utc};
use mnp_core::Status;
use mnp_sla::definition::{CreditTier, SlaDefinition};
use mnp_sla::evaluate::{ForecastWindow, Measurement, Member, OutageSpan, evaluate_quiet};
use mnp_sla::period::{IntervalKind, Period};
use proptest::prelude::*;

const P0: i64 = 1_790_000_000;
const DAY: i64 = 86_400;

fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(P0 + s, 0).unwrap()
}

fn sla(strategy: &str, allowance: Option<u32>) -> SlaDefinition {
    SlaDefinition {
        id: "law".into(),
        name: "law".into(),
        uptime_percent: 99.9,
        interval: IntervalKind::CalendarMonthFromFirst,
        strategy: strategy.into(),
        vendors: vec!["zayo".into()],
        maintenance_allowance_minutes: allowance,
        credits: vec![
            CreditTier {
                below_percent: 99.9,
                credit_percent_of_mrc: 10.0,
            },
            CreditTier {
                below_percent: 99.0,
                credit_percent_of_mrc: 30.0,
            },
        ],
        description: None,
        line: 0,
    }
}

/// Outages around a period of `len` seconds: some before, inside, after,
/// some still open.
fn outages(len: i64) -> impl Strategy<Value = Vec<OutageSpan>> {
    prop::collection::vec(
        (
            -3 * DAY..len + 3 * DAY,
            prop::option::weighted(0.9, 0..2 * DAY),
        ),
        0..12,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(b, l)| (at(b), l.map(|l| at(b + l))))
            .collect()
    })
}

fn windows(len: i64) -> impl Strategy<Value = Vec<ForecastWindow>> {
    prop::collection::vec((-3 * DAY..len + 3 * DAY, 0..DAY, any::<bool>()), 0..6).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (b, l, cancelled))| ForecastWindow {
                begin: at(b),
                end: at(b + l),
                status: if cancelled {
                    Status::Cancelled
                } else {
                    Status::Confirmed
                },
                reference: format!("M{i}"),
            })
            .collect()
    })
}

fn allowance() -> impl Strategy<Value = Option<u32>> {
    prop::option::of(0u32..600)
}

/// Period length, `now` offset, and the scenario.
fn scenario() -> impl Strategy<Value = (i64, i64, Vec<OutageSpan>, Vec<ForecastWindow>, Option<u32>)>
{
    (DAY..40 * DAY).prop_flat_map(|len| {
        (
            Just(len),
            -DAY..len + 10 * DAY,
            outages(len),
            windows(len),
            allowance(),
        )
    })
}

fn one(
    s: &SlaDefinition,
    o: &[OutageSpan],
    w: &[ForecastWindow],
    p: &Period,
    now: i64,
) -> Measurement {
    evaluate_quiet(
        s,
        &[Member {
            circuit: "c",
            outages: o,
            forecasts: w,
        }],
        p,
        at(now),
    )
    .unwrap()
}

fn period(a: i64, b: i64) -> Period {
    Period::new(at(a), at(b)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Availability within [0, 100]; the counted parts are consistent.
    #[test]
    fn availability_within_bounds((len, now, o, w, a) in scenario()) {
        let m = one(&sla("standard-availability", a), &o, &w, &period(0, len), now);
        prop_assert!((0.0..=100.0).contains(&m.availability_percent), "{}", m.availability_percent);
        prop_assert!(0 <= m.excluded_seconds && m.excluded_seconds <= m.outage_seconds);
        prop_assert!(m.outage_seconds <= m.period_seconds);
        prop_assert_eq!(m.counted_seconds, m.outage_seconds - m.excluded_seconds);
        if let Some(a) = a {
            prop_assert!(m.excluded_seconds <= i64::from(a) * 60);
        }
        // 99.9 % allows exactly a thousandth of the period.
        prop_assert_eq!(m.breached, m.counted_seconds * 1000 > m.period_seconds);
        prop_assert!(m.credit_percent == 0.0 || m.breached);
    }

    /// Adding forecast maintenance never lowers availability.
    #[test]
    fn more_maintenance_never_lowers_availability((len, now, o, w, a) in scenario(), extra in windows(40 * DAY)) {
        let s = sla("standard-availability", a);
        let p = period(0, len);
        let before = one(&s, &o, &w, &p, now);
        let mut more = w.clone();
        more.extend(extra);
        let after = one(&s, &o, &more, &p, now);
        prop_assert!(after.availability_percent >= before.availability_percent);
        prop_assert!(after.counted_seconds <= before.counted_seconds);
        prop_assert_eq!(after.outage_seconds, before.outage_seconds);
        prop_assert!(after.credit_percent <= before.credit_percent);
    }

    /// Two halves of a period add up to the whole: outage, excluded and
    /// counted seconds (no allowance — it is per period), and availability
    /// as the length-weighted mean. With an allowance outage still adds up.
    #[test]
    fn halves_add_up_to_the_whole((len, now, o, w, a) in scenario(), cut in 1i64..1_000) {
        let mid = len * cut / 1_000;
        prop_assume!(0 < mid && mid < len);
        let s = sla("standard-availability", None);
        let whole = one(&s, &o, &w, &period(0, len), now);
        let first = one(&s, &o, &w, &period(0, mid), now);
        let second = one(&s, &o, &w, &period(mid, len), now);
        prop_assert_eq!(first.outage_seconds + second.outage_seconds, whole.outage_seconds);
        prop_assert_eq!(first.excluded_seconds + second.excluded_seconds, whole.excluded_seconds);
        prop_assert_eq!(first.counted_seconds + second.counted_seconds, whole.counted_seconds);
        let weighted = (first.availability_percent * mid as f64
            + second.availability_percent * (len - mid) as f64) / len as f64;
        prop_assert!((weighted - whole.availability_percent).abs() < 1e-9);
        let s = sla("standard-availability", a);
        let whole = one(&s, &o, &w, &period(0, len), now);
        let first = one(&s, &o, &w, &period(0, mid), now);
        let second = one(&s, &o, &w, &period(mid, len), now);
        prop_assert_eq!(first.outage_seconds + second.outage_seconds, whole.outage_seconds);
    }

    /// A protection group's availability is at least each member's.
    #[test]
    fn protection_group_at_least_each_member(
        (len, now, o1, w1, a) in scenario(),
        o2 in outages(40 * DAY),
        w2 in windows(40 * DAY),
        o3 in outages(40 * DAY),
    ) {
        let p = period(0, len);
        let members = [
            Member { circuit: "a", outages: &o1, forecasts: &w1 },
            Member { circuit: "b", outages: &o2, forecasts: &w2 },
            Member { circuit: "c", outages: &o3, forecasts: &[] },
        ];
        for n in 1..=3 {
            let group = evaluate_quiet(&sla("protection-group", a), &members[..n], &p, at(now)).unwrap();
            for m in &members[..n] {
                let alone = one(&sla("standard-availability", a), m.outages, m.forecasts, &p, now);
                prop_assert!(group.availability_percent >= alone.availability_percent);
                prop_assert!(group.counted_seconds <= alone.counted_seconds);
                prop_assert!(group.outage_seconds <= alone.outage_seconds);
            }
            if n == 1 {
                // A group of one is the circuit itself.
                let alone = one(&sla("standard-availability", a), &o1, &w1, &p, now);
                prop_assert_eq!(group.counted_seconds, alone.counted_seconds);
                prop_assert_eq!(group.excluded_seconds, alone.excluded_seconds);
            }
        }
    }
}

/// `now` only matters for open outages: closed ones count the same.
#[test]
fn now_does_not_change_closed_outages() {
    let s = sla("standard-availability", None);
    let o = [(at(DAY), Some(at(DAY + 3_600)))];
    let p = period(0, 30 * DAY);
    let early = one(&s, &o, &[], &p, -5 * DAY);
    let late = one(&s, &o, &[], &p, 90 * DAY);
    assert_eq!(
        (early.counted_seconds, late.counted_seconds),
        (3_600, 3_600)
    );
}
