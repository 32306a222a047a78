//! The sample SLA file, read and evaluated with hand-computed numbers.

use chrono::{DateTime, Utc};
use mnp_core::Status;
use mnp_sla::definition::{self, SlaDefinition};
use mnp_sla::evaluate::{ForecastWindow, Member, evaluate, evaluate_circuit};
use mnp_sla::period::{self, IntervalKind, Period, parse_month};

const EXAMPLE: &str = include_str!("data/sla_example.toml");

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn example(id: &str) -> SlaDefinition {
    definition::parse(EXAMPLE)
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap()
}

fn window(b: &str, e: &str, reference: &str) -> ForecastWindow {
    ForecastWindow {
        begin: t(b),
        end: t(e),
        status: Status::Confirmed,
        reference: reference.into(),
    }
}

const NOW: &str = "2027-06-01T00:00:00Z";

#[test]
fn example_file_reads() {
    let all = definition::parse(EXAMPLE).unwrap();
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "zayo-wavelength-99.99",
            "lumen-dia-99.9",
            "colt-ethernet-99.95",
            "subsea-protected-100",
            "equinix-fabric-weekly"
        ]
    );
    let kinds: Vec<String> = all.iter().map(|s| s.interval.to_string()).collect();
    assert_eq!(
        kinds,
        [
            "calendarMonthFromFirst",
            "calendarMonthFromTurnupDay",
            "bankersMonth",
            "calendarMonthFromFirst",
            "fixed:7d"
        ]
    );
    assert_eq!(all[0].line, 20);
    assert_eq!(all[0].maintenance_allowance_seconds(), Some(28_800));
    assert_eq!(all[1].vendors, ["lumen", "cogent"]);
    assert_eq!(all[3].strategy, "protection-group");
    assert!(all.iter().all(|s| s.validate().is_ok()));
}

#[test]
fn example_file_with_a_typo_names_the_line() {
    let broken = EXAMPLE.replacen(
        "strategy = \"protection-group\"",
        "strategy = \"protected-pair\"",
        1,
    );
    let e = definition::parse(&broken).unwrap_err().to_string();
    assert_eq!(
        e,
        "line 82: unknown strategy \"protected-pair\" (registered: protection-group, standard-availability)"
    );
    let broken = EXAMPLE.replacen("below_percent = 99.5\n", "below_percent = 99.95\n", 1);
    let e = definition::parse(&broken).unwrap_err().to_string();
    assert!(
        e.starts_with("line 38: credit tiers are not ordered: below_percent 99.95 follows 99.9"),
        "{e}"
    );
}

/// Zayo, October 2026 (31 days = 2,678,400 s). 99.99 % allows 267.84 s.
/// 45 min down, the first 20 min inside announced maintenance → 25 min =
/// 1500 s counted → 99.943996 %: breached, below 99.99 but not 99.9 → 10 %.
#[test]
fn zayo_october() {
    let sla = example("zayo-wavelength-99.99");
    let oct = parse_month("2026-10").unwrap();
    let ps = period::periods_for(sla.interval, None, oct.start, oct.end).unwrap();
    assert_eq!(ps, [oct]);
    let outages = [(t("2026-10-14T02:10:00Z"), Some(t("2026-10-14T02:55:00Z")))];
    let windows = [
        window(
            "2026-10-14T00:00:00Z",
            "2026-10-14T02:30:00Z",
            "TTN-0001234567",
        ),
        ForecastWindow {
            status: Status::Cancelled,
            ..window(
                "2026-10-14T02:30:00Z",
                "2026-10-14T06:00:00Z",
                "TTN-0001234999",
            )
        },
    ];
    let m = evaluate_circuit(&sla, "OGYX/123456//ZYO", &outages, &windows, &oct, t(NOW)).unwrap();
    assert_eq!(m.period_seconds, 2_678_400);
    assert_eq!(
        (m.outage_seconds, m.excluded_seconds, m.counted_seconds),
        (2_700, 1_200, 1_500)
    );
    assert!((m.allowed_seconds - 267.84).abs() < 1e-9);
    assert!((m.availability_percent - 99.943_996).abs() < 5e-7);
    assert!(m.breached);
    assert_eq!(m.credit_percent, 10.0);
    let text = m.explanation.join("\n");
    assert!(
        text.contains("credit: 10 % of MRC (availability below 99.99 %; tiers: < 99.99 % → 10 %, < 99.9 % → 25 %, < 99.5 % → 50 %)"),
        "{text}"
    );
    assert!(text.contains("TTN-0001234999 (CANCELLED)"), "{text}");
}

/// Lumen DIA turned up 31 January 14:00 UTC: service months run 28 Feb
/// 14:00 → 31 Mar 14:00 (31 days) → 30 Apr 14:00. An outage 31 Mar
/// 13:00–15:00 is split: 1 h in each period.
#[test]
fn lumen_turnup_month_split() {
    let sla = example("lumen-dia-99.9");
    assert_eq!(sla.interval, IntervalKind::CalendarMonthFromTurnupDay);
    let epoch = Some(t("2026-01-31T14:00:00Z"));
    let (b, e) = (t("2026-03-31T13:00:00Z"), t("2026-03-31T15:00:00Z"));
    let touched = period::periods_overlapping(sla.interval, epoch, b, e).unwrap();
    assert_eq!(
        touched,
        [
            Period::new(t("2026-02-28T14:00:00Z"), t("2026-03-31T14:00:00Z")).unwrap(),
            Period::new(t("2026-03-31T14:00:00Z"), t("2026-04-30T14:00:00Z")).unwrap(),
        ]
    );
    let outages = [(b, Some(e))];
    let first = evaluate_circuit(&sla, "BBEX/000111", &outages, &[], &touched[0], t(NOW)).unwrap();
    let second = evaluate_circuit(&sla, "BBEX/000111", &outages, &[], &touched[1], t(NOW)).unwrap();
    assert_eq!(
        (first.period_seconds, second.period_seconds),
        (2_678_400, 2_592_000)
    );
    assert_eq!(
        (first.outage_seconds, second.outage_seconds),
        (3_600, 3_600)
    );
    // 99.9 % of 31 days allows 2678.4 s; 3600 s → 99.865591 %: < 99.9 → 5 %.
    assert!(first.breached && first.credit_percent == 5.0);
    assert!((first.availability_percent - 99.865_591).abs() < 5e-7);
    // 30 days allow 2592 s; 3600 s → 99.861111 %.
    assert!((second.availability_percent - 99.861_111).abs() < 5e-7);
    // `--period 2026-03` names the service month starting in March.
    let mar = parse_month("2026-03").unwrap();
    assert_eq!(
        period::periods_for(sla.interval, epoch, mar.start, mar.end).unwrap(),
        [touched[1]]
    );
}

/// Colt, bankers' month 31 Jan → 2 Mar 2026 (2,592,000 s); 99.95 % allows
/// 1296 s. A 5 h outage entirely inside a maintenance window, with a 240-min
/// allowance: 4 h excused, 1 h counted → 99.861111 %, breached, 10 %.
#[test]
fn colt_bankers_month_with_allowance() {
    let sla = example("colt-ethernet-99.95");
    let epoch = Some(t("2026-01-01T00:00:00Z"));
    let p = period::period_containing(sla.interval, epoch, t("2026-02-14T00:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (p.start, p.end),
        (t("2026-01-31T00:00:00Z"), t("2026-03-02T00:00:00Z"))
    );
    let outages = [(t("2026-02-14T01:00:00Z"), Some(t("2026-02-14T06:00:00Z")))];
    let windows = [window(
        "2026-02-14T00:00:00Z",
        "2026-02-14T08:00:00Z",
        "CRQ000000123456",
    )];
    let m = evaluate_circuit(&sla, "LON/LON/LE-123456", &outages, &windows, &p, t(NOW)).unwrap();
    assert_eq!(
        (
            m.outage_seconds,
            m.excluded_seconds,
            m.over_allowance_seconds,
            m.counted_seconds
        ),
        (18_000, 14_400, 3_600, 3_600)
    );
    assert!((m.allowed_seconds - 1_296.0).abs() < 1e-9);
    assert!(m.breached);
    assert_eq!(m.credit_percent, 10.0);
}

/// Subsea pair, October 2026: leg A down 01:00–03:00, leg B down
/// 02:30–04:00 → both down 02:30–03:00 = 1800 s → 99.932796 %, below 99.95
/// → 30 %. Each leg alone would be far worse (7200 s, 5400 s).
#[test]
fn subsea_protection_group() {
    let sla = example("subsea-protected-100");
    let oct = parse_month("2026-10").unwrap();
    let a = [(t("2026-10-03T01:00:00Z"), Some(t("2026-10-03T03:00:00Z")))];
    let b = [(t("2026-10-03T02:30:00Z"), Some(t("2026-10-03T04:00:00Z")))];
    let members = [
        Member {
            circuit: "GTT-WAVE-1",
            outages: &a,
            forecasts: &[],
        },
        Member {
            circuit: "TELSTRA-WAVE-7",
            outages: &b,
            forecasts: &[],
        },
    ];
    let m = evaluate(&sla, &members, &oct, t(NOW)).unwrap();
    assert_eq!(m.counted_seconds, 1_800);
    assert!((m.availability_percent - 99.932_796).abs() < 5e-7);
    assert!(m.breached);
    assert_eq!(m.credit_percent, 30.0);
    // An announced window on leg B over 02:45–03:30 excuses 02:45–03:00.
    let bw = [window(
        "2026-10-03T02:45:00Z",
        "2026-10-03T03:30:00Z",
        "TEL-CHG-42",
    )];
    let members = [
        members[0],
        Member {
            forecasts: &bw,
            ..members[1]
        },
    ];
    let m = evaluate(&sla, &members, &oct, t(NOW)).unwrap();
    assert_eq!(
        (m.outage_seconds, m.excluded_seconds, m.counted_seconds),
        (1_800, 900, 900)
    );
    assert_eq!(
        m.credit_percent, 10.0,
        "99.966398 % is below 100 but not below 99.95"
    );
}

/// Equinix weekly periods from the epoch; a week has 604,800 s and
/// 99.999 % allows 6.048 s: a 7 s flap breaches (no credit tiers).
#[test]
fn equinix_weekly() {
    let sla = example("equinix-fabric-weekly");
    let epoch = Some(t("2026-10-05T00:00:00Z"));
    let p = period::period_containing(sla.interval, epoch, t("2026-10-14T12:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(p.seconds(), 604_800);
    let flap = |s: i64| {
        let b = t("2026-10-14T12:00:00Z");
        [(b, Some(b + chrono::Duration::seconds(s)))]
    };
    let m = evaluate_circuit(&sla, "FAB-1", &flap(6), &[], &p, t(NOW)).unwrap();
    assert!(!m.breached);
    let m = evaluate_circuit(&sla, "FAB-1", &flap(7), &[], &p, t(NOW)).unwrap();
    assert!(m.breached);
    assert_eq!(m.credit_percent, 0.0);
    assert!(
        m.explanation
            .join("\n")
            .contains("credit: the SLA has no credit tiers")
    );
}
