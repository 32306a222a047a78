//! The SLA evaluator: one circuit (or protection group), one period, one
//! [`Measurement`]. Pure: values in, values out.
//!
//! # The arithmetic
//!
//! 1. **Clip to the period.** Every outage `(begin, Option<end>)` is cut to
//!    the period `[start, end)`; an outage crossing a boundary counts only
//!    its part inside (the rest belongs to the neighbouring period). An
//!    outage still open (`end = None`) counts until the period end or `now`,
//!    whichever is earlier. All instants are truncated to whole seconds.
//!    Overlapping outages of one circuit (duplicate reports) are merged, so
//!    no second is counted twice.
//! 2. **Forecast maintenance.** Windows with status `CANCELLED` are ignored;
//!    every other status counts (tentative, confirmed, in-process,
//!    completed, rescheduled — the window given is the one announced last).
//!    A circuit's windows are merged, then the SLA's strategy
//!    ([`crate::strategy`]) turns member outages and windows into the
//!    service's outage and the excluded part of it (only the overlap with a
//!    window for that circuit is excluded; the rest counts).
//! 3. **Allowance.** With `maintenance_allowance_minutes`, at most that much
//!    outage per period is excluded, earliest first; the rest counts.
//! 4. **Availability** = 100 × (1 − counted / period seconds), where counted
//!    = outage − excluded. For a period still in progress this is measured
//!    against the whole period.
//! 5. **Breach and credit.** Breached when availability < `uptime_percent`;
//!    the credit is that of the highest applicable tier (the tier with the
//!    lowest `below_percent` that availability is below). Both comparisons
//!    are exact: percentages are taken to six decimals (millionths of a
//!    percent) and compared in integers, so exactly 99.9 % of a 30-day month
//!    (2592 s counted) is *not* a breach of 99.9 %, and 2593 s is.
//!
//! Outage seconds, excluded seconds and counted seconds are additive over
//! adjacent periods when no allowance is set (the allowance is per period,
//! so it does not add up).
//!
//! [`evaluate`] also writes the arithmetic as text lines
//! ([`Measurement::explanation`]) for `mnp sla explain`;
//! [`evaluate_quiet`] skips that for batch runs.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{DateTime, Utc};
use mnp_core::{MaintForecastEvent, Status};
use serde::Serialize;

use crate::definition::SlaDefinition;
use crate::period::{Period, rfc3339};
use crate::strategy::{Intervals, MemberTimeline, StrategyError};

/// An outage as stored (`CircuitOutageEvent`): begin and, once closed, end.
pub type OutageSpan = (DateTime<Utc>, Option<DateTime<Utc>>);

/// A forecast maintenance window for one circuit (from `MaintForecastEvent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastWindow {
    /// Window start.
    pub begin: DateTime<Utc>,
    /// Window end.
    pub end: DateTime<Utc>,
    /// Status of the maintenance; `Cancelled` windows exclude nothing.
    pub status: Status,
    /// The carrier's maintenance reference, shown in explanations.
    pub reference: String,
}

impl ForecastWindow {
    /// The window of a forecast event; `None` when the event has no window
    /// (e.g. a cancellation notice that gives none).
    pub fn from_event(ev: &MaintForecastEvent) -> Option<ForecastWindow> {
        Some(ForecastWindow {
            begin: ev.begin_window?,
            end: ev.end_window?,
            status: ev.status,
            reference: ev.vendor_maintenance_id.clone(),
        })
    }

    /// True when the window excludes outage time (not cancelled).
    pub fn counts(&self) -> bool {
        self.status != Status::Cancelled
    }
}

/// One member circuit's inputs: its outages and its forecast windows.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// How to name the circuit in explanations (vendor circuit id or uuid).
    pub circuit: &'a str,
    /// The circuit's outages; only the parts inside the period count.
    pub outages: &'a [OutageSpan],
    /// Forecast windows for this circuit.
    pub forecasts: &'a [ForecastWindow],
}

/// The result for one circuit (or group) and period
/// (`SlaPerformanceMeasurement`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
    /// The SLA evaluated.
    pub sla_id: String,
    /// The strategy used.
    pub strategy: String,
    /// The period (whole seconds).
    pub period: Period,
    /// Length of the period in seconds.
    pub period_seconds: i64,
    /// Seconds the service was down in the period, before exclusions
    /// (`outageSeconds`).
    pub outage_seconds: i64,
    /// Of those, seconds excluded by forecast maintenance, after the
    /// allowance (`excludedSeconds`).
    pub excluded_seconds: i64,
    /// Seconds inside forecast maintenance that were not excluded because the
    /// allowance was used up (they are part of `counted_seconds`).
    pub over_allowance_seconds: i64,
    /// `outage_seconds − excluded_seconds`: what availability is computed from.
    pub counted_seconds: i64,
    /// Counted seconds the promised uptime allows in this period.
    pub allowed_seconds: f64,
    /// 100 × (1 − counted / period), within 0–100.
    pub availability_percent: f64,
    /// Availability below the promised uptime.
    pub breached: bool,
    /// Credit in percent of the MRC (0 when no tier applies).
    pub credit_percent: f64,
    /// The arithmetic, one line each, for `mnp sla explain` (empty from
    /// [`evaluate_quiet`]).
    pub explanation: Vec<String>,
}

/// What can go wrong evaluating.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluateError {
    /// The SLA's strategy is unknown or refuses the member count.
    #[error(transparent)]
    Strategy(#[from] StrategyError),
    /// An outage that ends before it begins.
    #[error("circuit {circuit}: outage #{index} ends ({end}) before it begins ({begin})")]
    BadOutage {
        /// The circuit.
        circuit: String,
        /// Position in the outage list (0-based).
        index: usize,
        /// Its begin.
        begin: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// A forecast window that ends before it begins.
    #[error(
        "circuit {circuit}: forecast window {reference} ends ({end}) before it begins ({begin})"
    )]
    BadWindow {
        /// The circuit.
        circuit: String,
        /// The maintenance reference.
        reference: String,
        /// Its begin.
        begin: DateTime<Utc>,
        /// Its end.
        end: DateTime<Utc>,
    },
    /// A period whose end is not after its start.
    #[error("empty period {0}")]
    EmptyPeriod(Period),
}

/// Evaluates one circuit (or protection group) for one period, with the
/// explanation text. `now` bounds outages that are still open.
pub fn evaluate(
    sla: &SlaDefinition,
    members: &[Member<'_>],
    period: &Period,
    now: DateTime<Utc>,
) -> Result<Measurement, EvaluateError> {
    run(sla, members, period, now, true)
}

/// Like [`evaluate`] without building the explanation (batch runs).
pub fn evaluate_quiet(
    sla: &SlaDefinition,
    members: &[Member<'_>],
    period: &Period,
    now: DateTime<Utc>,
) -> Result<Measurement, EvaluateError> {
    run(sla, members, period, now, false)
}

/// [`evaluate`] for a single circuit.
pub fn evaluate_circuit(
    sla: &SlaDefinition,
    circuit: &str,
    outages: &[OutageSpan],
    forecasts: &[ForecastWindow],
    period: &Period,
    now: DateTime<Utc>,
) -> Result<Measurement, EvaluateError> {
    evaluate(
        sla,
        &[Member {
            circuit,
            outages,
            forecasts,
        }],
        period,
        now,
    )
}

/// Percentages as integers in millionths of a percent (1 % = 1,000,000).
const SCALE: i128 = 100_000_000;

fn millionths(p: f64) -> i128 {
    if p.is_nan() {
        return 0;
    }
    ((p * 1_000_000.0).round() as i128).clamp(0, SCALE)
}

/// True when `counted` seconds of `period` seconds put availability below
/// `percent`: counted / period > (100 − percent) / 100, in integers.
fn below(counted: i64, period: i64, percent: f64) -> bool {
    i128::from(counted) * SCALE > (SCALE - millionths(percent)) * i128::from(period)
}

fn run(
    sla: &SlaDefinition,
    members: &[Member<'_>],
    period: &Period,
    now: DateTime<Utc>,
    explain: bool,
) -> Result<Measurement, EvaluateError> {
    let strategy = sla.strategy()?;
    let (p0, p1) = (period.start.timestamp(), period.end.timestamp());
    if p1 <= p0 {
        return Err(EvaluateError::EmptyPeriod(*period));
    }
    let ps = p1 - p0;
    let now_s = now.timestamp();
    let mut lines: Vec<String> = Vec::new();
    if explain {
        lines.push(format!(
            "SLA {} ({}): strategy {}, promised uptime {} %",
            sla.id,
            sla.name,
            strategy.id,
            pct(sla.uptime_percent)
        ));
        lines.push(format!("period {} .. {} = {}", ts(p0), ts(p1), secs(ps)));
    }
    let mut timelines = Vec::with_capacity(members.len());
    // (circuit, clipped window, reference) of every counting window.
    let mut windows: Vec<(&str, (i64, i64), &str)> = Vec::new();
    for m in members {
        let mut spans = Vec::with_capacity(m.outages.len());
        if explain {
            lines.push(format!("circuit {}:", m.circuit));
        }
        for (index, &(begin, end)) in m.outages.iter().enumerate() {
            if let Some(end) = end.filter(|e| *e < begin) {
                return Err(EvaluateError::BadOutage {
                    circuit: m.circuit.to_string(),
                    index,
                    begin,
                    end,
                });
            }
            let b = begin.timestamp();
            let e = match end {
                Some(e) => e.timestamp(),
                None => p1.min(now_s),
            };
            let (cb, ce) = (b.max(p0), e.min(p1));
            if cb >= ce {
                continue;
            }
            spans.push((cb, ce));
            if explain {
                lines.push(outage_line(
                    b,
                    end.map(|e| e.timestamp()),
                    cb,
                    ce,
                    p0,
                    p1,
                    now_s,
                ));
            }
        }
        let outages = Intervals::from_spans(spans);
        if explain && outages.is_empty() {
            lines.push("  no outage in the period".into());
        }
        let mut wspans = Vec::new();
        for w in m.forecasts {
            if w.end < w.begin {
                return Err(EvaluateError::BadWindow {
                    circuit: m.circuit.to_string(),
                    reference: w.reference.clone(),
                    begin: w.begin,
                    end: w.end,
                });
            }
            let (b, e) = (w.begin.timestamp(), w.end.timestamp());
            let (cb, ce) = (b.max(p0), e.min(p1));
            if cb >= ce {
                continue;
            }
            if explain {
                lines.push(format!(
                    "  forecast window {} ({}) {} .. {}{}",
                    w.reference,
                    w.status.as_str(),
                    ts(b),
                    ts(e),
                    if w.counts() {
                        String::new()
                    } else {
                        ": cancelled, excludes nothing".to_string()
                    }
                ));
            }
            if w.counts() {
                wspans.push((cb, ce));
                windows.push((m.circuit, (cb, ce), w.reference.as_str()));
            }
        }
        let maintenance = Intervals::from_spans(wspans);
        timelines.push(MemberTimeline {
            outages,
            maintenance,
        });
    }

    let downtime = strategy.strategy.downtime(&timelines)?;
    let full_excluded = downtime.excluded;
    let excluded = match sla.maintenance_allowance_seconds() {
        Some(a) => full_excluded.first_seconds(a),
        None => full_excluded.clone(),
    };
    let outage_seconds = downtime.outage.seconds();
    let excluded_seconds = excluded.seconds();
    let over_allowance_seconds = full_excluded.seconds() - excluded_seconds;
    let counted_seconds = outage_seconds - excluded_seconds;
    let availability_percent =
        (100.0 - counted_seconds as f64 * 100.0 / ps as f64).clamp(0.0, 100.0);
    let breached = below(counted_seconds, ps, sla.uptime_percent);
    // From the integer form, so 99.99 % of 2678400 s prints as 267.84.
    let allowed_seconds =
        (i128::from(ps) * (SCALE - millionths(sla.uptime_percent))) as f64 / SCALE as f64;
    let tier = sla
        .credits
        .iter()
        .filter(|t| below(counted_seconds, ps, t.below_percent))
        .max_by(|a, b| a.credit_percent_of_mrc.total_cmp(&b.credit_percent_of_mrc));
    let credit_percent = tier.map_or(0.0, |t| t.credit_percent_of_mrc);

    if explain {
        let how = if strategy.id == "protection-group" {
            format!(
                "every one of the {} member circuits down at the same time",
                members.len()
            )
        } else {
            "the circuit's outages, overlaps merged".to_string()
        };
        lines.push(format!(
            "service outage ({}: {how}): {}",
            strategy.id,
            secs(outage_seconds)
        ));
        for &(b, e) in downtime.outage.spans() {
            let ex = excluded.clip(b, e);
            let mut line = format!("  {} .. {} = {}", ts(b), ts(e), secs(e - b));
            if !ex.is_empty() {
                let refs: Vec<String> = windows
                    .iter()
                    .filter(|(_, w, _)| !ex.intersect(&Intervals::from_spans([*w])).is_empty())
                    .map(|(c, _, r)| {
                        if members.len() > 1 {
                            format!("{c}: {r}")
                        } else {
                            (*r).to_string()
                        }
                    })
                    .collect();
                line.push_str(&format!(
                    ", of which {} s inside forecast maintenance ({}) excluded, {} s counted",
                    ex.seconds(),
                    refs.join(", "),
                    (e - b) - ex.seconds()
                ));
            }
            lines.push(line);
        }
        lines.push(format!(
            "excluded by forecast maintenance: {}",
            secs(excluded_seconds)
        ));
        if let Some(a) = sla.maintenance_allowance_seconds() {
            lines.push(format!(
                "maintenance allowance {} per period: {} s inside forecast maintenance, {} s excluded, {} s beyond the allowance counted",
                secs(a),
                full_excluded.seconds(),
                excluded_seconds,
                over_allowance_seconds
            ));
        }
        lines.push(format!(
            "counted outage = {outage_seconds} - {excluded_seconds} = {}",
            secs(counted_seconds)
        ));
        lines.push(format!(
            "availability = 100 × (1 - {counted_seconds} / {ps}) = {} %",
            pct(availability_percent)
        ));
        lines.push(format!(
            "promised {} % allows {} s of counted outage in this period: {} s counted, {}",
            pct(sla.uptime_percent),
            num(allowed_seconds),
            counted_seconds,
            if breached { "breached" } else { "not breached" }
        ));
        let tiers: Vec<String> = sla
            .credits
            .iter()
            .map(|t| {
                format!(
                    "< {} % → {} %",
                    pct(t.below_percent),
                    pct(t.credit_percent_of_mrc)
                )
            })
            .collect();
        lines.push(match (tier, tiers.is_empty()) {
            (_, true) => "credit: the SLA has no credit tiers".to_string(),
            (Some(t), false) => format!(
                "credit: {} % of MRC (availability below {} %; tiers: {})",
                pct(t.credit_percent_of_mrc),
                pct(t.below_percent),
                tiers.join(", ")
            ),
            (None, false) => format!("credit: none (tiers: {})", tiers.join(", ")),
        });
    }
    tracing::debug!(
        sla = %sla.id,
        period = %period,
        outage_seconds,
        excluded_seconds,
        counted_seconds,
        breached,
        "evaluated"
    );
    Ok(Measurement {
        sla_id: sla.id.clone(),
        strategy: strategy.id.to_string(),
        period: Period {
            start: DateTime::from_timestamp(p0, 0).unwrap_or(period.start),
            end: DateTime::from_timestamp(p1, 0).unwrap_or(period.end),
        },
        period_seconds: ps,
        outage_seconds,
        excluded_seconds,
        over_allowance_seconds,
        counted_seconds,
        allowed_seconds,
        availability_percent,
        breached,
        credit_percent,
        explanation: lines,
    })
}

/// One outage's explanation line: its own bounds, and how it was clipped.
fn outage_line(b: i64, end: Option<i64>, cb: i64, ce: i64, p0: i64, p1: i64, now: i64) -> String {
    let mut notes = Vec::new();
    if b < p0 {
        notes.push("began before the period");
    }
    match end {
        Some(e) if e > p1 => notes.push("ended after the period"),
        Some(_) => {}
        None if p1 <= now => notes.push("still open, counted to the period end"),
        None => notes.push("still open, counted until now"),
    }
    let shown_end = end.map_or_else(String::new, |e| format!("{} ", ts(e)));
    if notes.is_empty() {
        format!("  outage {} .. {}= {}", ts(b), shown_end, secs(ce - cb))
    } else {
        format!(
            "  outage {} .. {}({}): in the period {} .. {} = {}",
            ts(b),
            shown_end,
            notes.join(", "),
            ts(cb),
            ts(ce),
            secs(ce - cb)
        )
    }
}

fn ts(s: i64) -> String {
    DateTime::from_timestamp(s, 0).map_or_else(|| s.to_string(), rfc3339)
}

/// `2700 s (45 min)`.
fn secs(s: i64) -> String {
    if s < 60 {
        return format!("{s} s");
    }
    let mut parts = Vec::new();
    let mut r = s;
    for (n, unit) in [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")] {
        if r >= n {
            parts.push(format!("{} {unit}", r / n));
            r %= n;
        }
    }
    format!("{s} s ({})", parts.join(" "))
}

/// A percentage with up to six decimals, trailing zeros dropped.
fn pct(p: f64) -> String {
    num_with(p, 6)
}

/// A number with up to two decimals, trailing zeros dropped.
fn num(x: f64) -> String {
    num_with(x, 2)
}

fn num_with(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
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
    use crate::definition::CreditTier;
    use crate::period::{IntervalKind, parse_month};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn sla(uptime: f64, strategy: &str) -> SlaDefinition {
        SlaDefinition {
            id: "gold".into(),
            name: "Gold".into(),
            uptime_percent: uptime,
            interval: IntervalKind::CalendarMonthFromFirst,
            strategy: strategy.into(),
            vendors: vec!["zayo".into()],
            maintenance_allowance_minutes: None,
            credits: vec![
                CreditTier {
                    below_percent: 99.9,
                    credit_percent_of_mrc: 10.0,
                },
                CreditTier {
                    below_percent: 99.5,
                    credit_percent_of_mrc: 25.0,
                },
                CreditTier {
                    below_percent: 99.0,
                    credit_percent_of_mrc: 50.0,
                },
            ],
            description: None,
            line: 0,
        }
    }

    fn win(b: &str, e: &str, status: Status, r: &str) -> ForecastWindow {
        ForecastWindow {
            begin: t(b),
            end: t(e),
            status,
            reference: r.into(),
        }
    }

    const LATER: &str = "2027-01-01T00:00:00Z";

    #[test]
    fn the_issue_example_45_min_with_20_in_a_window() {
        let oct = parse_month("2026-10").unwrap();
        let outages = [(t("2026-10-05T10:00:00Z"), Some(t("2026-10-05T10:45:00Z")))];
        let windows = [win(
            "2026-10-05T09:40:00Z",
            "2026-10-05T10:20:00Z",
            Status::Confirmed,
            "ZAYO-M1",
        )];
        let m = evaluate_circuit(
            &sla(99.9, "standard-availability"),
            "ZAYO-1",
            &outages,
            &windows,
            &oct,
            t(LATER),
        )
        .unwrap();
        assert_eq!(m.period_seconds, 2_678_400);
        assert_eq!(
            (m.outage_seconds, m.excluded_seconds, m.counted_seconds),
            (2_700, 1_200, 1_500)
        );
        // 1 - 1500 / 2678400 = 0.99943996...
        assert!(
            (m.availability_percent - 99.943_996_415_770_6).abs() < 1e-9,
            "{}",
            m.availability_percent
        );
        // 99.9 % of a 31-day month allows 2678.4 s.
        assert!((m.allowed_seconds - 2_678.4).abs() < 1e-6);
        assert!(!m.breached);
        assert_eq!(m.credit_percent, 0.0);
        let text = m.explanation.join("\n");
        assert!(
            text.contains("period 2026-10-01T00:00:00Z .. 2026-11-01T00:00:00Z = 2678400 s (31 d)"),
            "{text}"
        );
        assert!(
            text.contains(
                "  outage 2026-10-05T10:00:00Z .. 2026-10-05T10:45:00Z = 2700 s (45 min)"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "of which 1200 s inside forecast maintenance (ZAYO-M1) excluded, 1500 s counted"
            ),
            "{text}"
        );
        assert!(
            text.contains("counted outage = 2700 - 1200 = 1500 s (25 min)"),
            "{text}"
        );
        assert!(
            text.contains("availability = 100 × (1 - 1500 / 2678400) = 99.943996 %"),
            "{text}"
        );
        assert!(text.contains("promised 99.9 % allows 2678.4 s of counted outage in this period: 1500 s counted, not breached"), "{text}");
    }

    #[test]
    fn breach_boundary_is_exact() {
        // 30-day bankers' month: 99.9 % allows exactly 2592 s.
        let p = Period::new(t("2026-01-01T00:00:00Z"), t("2026-01-31T00:00:00Z")).unwrap();
        let s = sla(99.9, "standard-availability");
        let at = |secs: i64| {
            let b = t("2026-01-10T00:00:00Z");
            let o = [(b, Some(b + chrono::Duration::seconds(secs)))];
            evaluate_quiet(
                &s,
                &[Member {
                    circuit: "c",
                    outages: &o,
                    forecasts: &[],
                }],
                &p,
                t(LATER),
            )
            .unwrap()
        };
        let m = at(2_592);
        assert!(!m.breached, "exactly 99.9 % meets 99.9 %");
        assert_eq!(m.availability_percent, 99.9);
        assert_eq!(m.credit_percent, 0.0);
        let m = at(2_593);
        assert!(m.breached);
        assert_eq!(m.credit_percent, 10.0);
        // Tiers: 99.5 % of 2592000 s allows 12960 s; one more second → 25 %.
        assert_eq!(at(12_960).credit_percent, 10.0);
        assert_eq!(at(12_961).credit_percent, 25.0);
        // Below 99 % (25920 s): the highest tier, 50 %.
        assert_eq!(at(100_000).credit_percent, 50.0);
        assert!(at(0).explanation.is_empty(), "quiet");
    }

    #[test]
    fn outages_split_at_period_boundaries_and_open_outages() {
        let oct = parse_month("2026-10").unwrap();
        let s = sla(99.9, "standard-availability");
        let outages = [
            // 1 h before the period, 1 h inside.
            (t("2026-09-30T23:00:00Z"), Some(t("2026-10-01T01:00:00Z"))),
            // 30 min inside, 30 min in November.
            (t("2026-10-31T23:30:00Z"), Some(t("2026-11-01T00:30:00Z"))),
            // Entirely in September.
            (t("2026-09-10T00:00:00Z"), Some(t("2026-09-11T00:00:00Z"))),
        ];
        let m = evaluate_circuit(&s, "c", &outages, &[], &oct, t(LATER)).unwrap();
        assert_eq!(m.outage_seconds, 3_600 + 1_800);
        let text = m.explanation.join("\n");
        assert!(text.contains("outage 2026-09-30T23:00:00Z .. 2026-10-01T01:00:00Z (began before the period): in the period 2026-10-01T00:00:00Z .. 2026-10-01T01:00:00Z = 3600 s (1 h)"), "{text}");
        assert!(text.contains("(ended after the period): in the period 2026-10-31T23:30:00Z .. 2026-11-01T00:00:00Z = 1800 s (30 min)"), "{text}");
        // Still open on 2026-10-20 12:00: counts until now.
        let open = [(t("2026-10-20T10:00:00Z"), None)];
        let m = evaluate_circuit(&s, "c", &open, &[], &oct, t("2026-10-20T12:00:00Z")).unwrap();
        assert_eq!(m.outage_seconds, 7_200);
        assert!(m.explanation.join("\n").contains("outage 2026-10-20T10:00:00Z .. (still open, counted until now): in the period 2026-10-20T10:00:00Z .. 2026-10-20T12:00:00Z = 7200 s (2 h)"));
        // Evaluated after the period: counts to the period end.
        let m = evaluate_circuit(&s, "c", &open, &[], &oct, t(LATER)).unwrap();
        assert_eq!(m.outage_seconds, 11 * 86_400 + 14 * 3_600);
        // `now` before the outage began: nothing yet.
        let m = evaluate_circuit(&s, "c", &open, &[], &oct, t("2026-10-19T00:00:00Z")).unwrap();
        assert_eq!(m.outage_seconds, 0);
        assert_eq!(m.availability_percent, 100.0);
    }

    #[test]
    fn duplicate_outages_and_overlapping_windows_count_once() {
        let oct = parse_month("2026-10").unwrap();
        // Two reports of the same outage, overlapping: 10:00–11:00 in all.
        let outages = [
            (t("2026-10-05T10:00:00Z"), Some(t("2026-10-05T10:40:00Z"))),
            (t("2026-10-05T10:20:00Z"), Some(t("2026-10-05T11:00:00Z"))),
        ];
        // A notice and its reschedule overlap: 09:00–10:30 ∪ 10:15–10:45 = 09:00–10:45.
        let windows = [
            win(
                "2026-10-05T09:00:00Z",
                "2026-10-05T10:30:00Z",
                Status::Confirmed,
                "M1",
            ),
            win(
                "2026-10-05T10:15:00Z",
                "2026-10-05T10:45:00Z",
                Status::Rescheduled,
                "M1-bis",
            ),
            win(
                "2026-10-05T10:45:00Z",
                "2026-10-05T11:00:00Z",
                Status::Cancelled,
                "M2",
            ),
        ];
        let m = evaluate_circuit(
            &sla(99.9, "standard-availability"),
            "c",
            &outages,
            &windows,
            &oct,
            t(LATER),
        )
        .unwrap();
        assert_eq!(
            (m.outage_seconds, m.excluded_seconds, m.counted_seconds),
            (3_600, 2_700, 900)
        );
        let text = m.explanation.join("\n");
        assert!(text.contains("(M1, M1-bis)"), "{text}");
        assert!(text.contains("M2 (CANCELLED) 2026-10-05T10:45:00Z .. 2026-10-05T11:00:00Z: cancelled, excludes nothing"), "{text}");
    }

    #[test]
    fn maintenance_allowance_caps_exclusion() {
        let oct = parse_month("2026-10").unwrap();
        let mut s = sla(99.9, "standard-availability");
        s.maintenance_allowance_minutes = Some(30);
        // Two 40-min outages, each entirely inside a window: 80 min in
        // maintenance, 30 min allowed → first 30 min excluded, 50 counted.
        let outages = [
            (t("2026-10-05T10:00:00Z"), Some(t("2026-10-05T10:40:00Z"))),
            (t("2026-10-12T10:00:00Z"), Some(t("2026-10-12T10:40:00Z"))),
        ];
        let windows = [
            win(
                "2026-10-05T09:00:00Z",
                "2026-10-05T12:00:00Z",
                Status::Confirmed,
                "M1",
            ),
            win(
                "2026-10-12T09:00:00Z",
                "2026-10-12T12:00:00Z",
                Status::Tentative,
                "M2",
            ),
        ];
        let m = evaluate_circuit(&s, "c", &outages, &windows, &oct, t(LATER)).unwrap();
        assert_eq!(
            (
                m.outage_seconds,
                m.excluded_seconds,
                m.over_allowance_seconds,
                m.counted_seconds
            ),
            (4_800, 1_800, 3_000, 3_000)
        );
        assert!(m.breached, "3000 s > 2678.4 s");
        let text = m.explanation.join("\n");
        assert!(text.contains("maintenance allowance 1800 s (30 min) per period: 4800 s inside forecast maintenance, 1800 s excluded, 3000 s beyond the allowance counted"), "{text}");
        s.maintenance_allowance_minutes = Some(0);
        assert_eq!(
            evaluate_circuit(&s, "c", &outages, &windows, &oct, t(LATER))
                .unwrap()
                .counted_seconds,
            4_800
        );
    }

    #[test]
    fn protection_group_by_hand() {
        let oct = parse_month("2026-10").unwrap();
        let s = sla(99.99, "protection-group");
        // A down 10:00–11:00; B down 10:30–12:00 with a window 10:50–11:30.
        let a = [(t("2026-10-05T10:00:00Z"), Some(t("2026-10-05T11:00:00Z")))];
        let b = [(t("2026-10-05T10:30:00Z"), Some(t("2026-10-05T12:00:00Z")))];
        let bw = [win(
            "2026-10-05T10:50:00Z",
            "2026-10-05T11:30:00Z",
            Status::Confirmed,
            "LUMEN-9",
        )];
        let members = [
            Member {
                circuit: "A",
                outages: &a,
                forecasts: &[],
            },
            Member {
                circuit: "B",
                outages: &b,
                forecasts: &bw,
            },
        ];
        let m = evaluate(&s, &members, &oct, t(LATER)).unwrap();
        assert_eq!(
            (m.outage_seconds, m.excluded_seconds, m.counted_seconds),
            (1_800, 600, 1_200)
        );
        let text = m.explanation.join("\n");
        assert!(
            text.contains("every one of the 2 member circuits down at the same time"),
            "{text}"
        );
        assert!(text.contains("(B: LUMEN-9)"), "{text}");
        // 99.99 % of 2678400 s allows 267.84 s: 1200 s is a breach, but
        // availability 99.955197 % is not below the first tier (99.9 %).
        assert!(m.breached);
        assert_eq!(m.credit_percent, 0.0);
        assert!(
            text.contains("availability = 100 × (1 - 1200 / 2678400) = 99.955197 %"),
            "{text}"
        );
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let oct = parse_month("2026-10").unwrap();
        let s = sla(99.9, "standard-availability");
        let bad = [(t("2026-10-05T10:00:00Z"), Some(t("2026-10-05T09:00:00Z")))];
        let e = evaluate_circuit(&s, "c", &bad, &[], &oct, t(LATER)).unwrap_err();
        assert!(
            matches!(e, EvaluateError::BadOutage { index: 0, .. }),
            "{e}"
        );
        let w = [win(
            "2026-10-05T10:00:00Z",
            "2026-10-05T09:00:00Z",
            Status::Confirmed,
            "M",
        )];
        assert!(matches!(
            evaluate_circuit(&s, "c", &[], &w, &oct, t(LATER)),
            Err(EvaluateError::BadWindow { .. })
        ));
        let e = evaluate(&s, &[], &oct, t(LATER)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "strategy standard-availability needs exactly one circuit, got 0 circuits"
        );
        let mut u = s.clone();
        u.strategy = "nope".into();
        assert!(matches!(
            evaluate_circuit(&u, "c", &[], &[], &oct, t(LATER)),
            Err(EvaluateError::Strategy(StrategyError::Unknown { .. }))
        ));
        let empty = Period {
            start: oct.end,
            end: oct.start,
        };
        assert!(matches!(
            evaluate_circuit(&s, "c", &[], &[], &empty, t(LATER)),
            Err(EvaluateError::EmptyPeriod(_))
        ));
        // Zero-length outage: nothing.
        let z = [(t("2026-10-05T10:00:00Z"), Some(t("2026-10-05T10:00:00Z")))];
        assert_eq!(
            evaluate_circuit(&s, "c", &z, &[], &oct, t(LATER))
                .unwrap()
                .outage_seconds,
            0
        );
    }

    #[test]
    fn forecast_window_from_event() {
        let ev = MaintForecastEvent {
            object_type: "maintForecastEvent".into(),
            begin_window: Some(t("2026-10-05T09:00:00Z")),
            end_window: Some(t("2026-10-05T12:00:00Z")),
            impact_seconds: None,
            parsed_vendor_circuit_id: Some("ZAYO-1".into()),
            provider: "zayo".into(),
            vendor_maintenance_id: "TTN-1".into(),
            status: Status::Cancelled,
            impact: None,
            notification_helpdesk_ticket_id: None,
            source: None,
        };
        let w = ForecastWindow::from_event(&ev).unwrap();
        assert_eq!(w.reference, "TTN-1");
        assert!(!w.counts());
        assert!(
            ForecastWindow::from_event(&MaintForecastEvent {
                end_window: None,
                ..ev
            })
            .is_none()
        );
    }
}
