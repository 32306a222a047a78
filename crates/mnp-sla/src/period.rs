//! SLA periods: which stretch of time one measurement covers.
//!
//! A [`Period`] is a half-open UTC interval `[start, end)`. An SLA names an
//! [`IntervalKind`] that cuts time into consecutive periods:
//!
//! | kind (TOML text) | periods | needs `slaEpoch` |
//! |---|---|---|
//! | `calendarMonthFromFirst` | UTC calendar months, `YYYY-MM-01T00:00Z` to the next first | no (ignored) |
//! | `calendarMonthFromTurnupDay` | months starting on the turn-up day-of-month and time of day of the epoch | yes |
//! | `bankersMonth` | 30 × 24 h from the epoch | yes |
//! | `fixed:<duration>` | fixed lengths from the epoch, e.g. `fixed:7d`, `fixed:12h`, `fixed:1d12h` | yes |
//!
//! # Conventions
//!
//! * **Whole seconds.** Every instant (epoch, bounds) is truncated to the
//!   second, so period lengths and outage sums are exact integers.
//! * **Turn-up day clamping.** For `calendarMonthFromTurnupDay`, period *k*
//!   starts *k* months after the epoch, always computed from the epoch itself
//!   (never from the previous boundary). A turn-up day that a month lacks is
//!   clamped to that month's last day: an epoch on 31 January gives
//!   boundaries on 28 (29) February, 31 March, 30 April, 31 May, … — the day
//!   goes back to 31 in every month that has one, the clamp never drifts.
//!   The same holds for days 29 and 30 in February.
//! * **Nothing before the epoch.** For the kinds that need an epoch the first
//!   period starts at the epoch: the circuit had no SLA before turn-up.
//!   Without an epoch they fail with [`PeriodError::MissingEpoch`] rather than
//!   guess an alignment.
//! * **Naming a period by month.** `--period 2026-10` ([`parse_month`]) is the
//!   UTC month `[2026-10-01, 2026-11-01)`; [`periods_for`] returns the periods
//!   that *start* inside that range. Consecutive months therefore never share
//!   a period, and every period belongs to exactly one month. For
//!   `calendarMonthFromFirst` that is the month itself; for the turn-up-day
//!   kind it is the one period starting in that month; a 30-day bankers'
//!   month may start zero, one or two times in a calendar month.
//!   [`periods_overlapping`] and [`period_containing`] answer the other
//!   question the evaluator asks: which periods a (late) outage touches.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Months, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Most periods one call returns; more is refused with
/// [`PeriodError::TooManyPeriods`] (e.g. `fixed:1s` over a year).
pub const MAX_PERIODS: usize = 100_000;

/// Length of a bankers' month in seconds (30 days).
pub const BANKERS_MONTH_SECONDS: i64 = 30 * 86_400;

/// What can go wrong computing periods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeriodError {
    /// The interval text is not one of the known kinds.
    #[error("unknown interval {value:?}: {reason}")]
    UnknownInterval {
        /// The text given.
        value: String,
        /// What is wrong, listing the accepted kinds.
        reason: String,
    },
    /// The interval kind counts from the circuit's `slaEpoch`, which is absent.
    #[error("interval {interval} counts from the circuit's slaEpoch, which is not set")]
    MissingEpoch {
        /// The interval kind.
        interval: IntervalKind,
    },
    /// A `--period` value that is not `YYYY-MM`.
    #[error("bad period {value:?}: {reason}")]
    BadPeriod {
        /// The text given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A period whose end is not after its start.
    #[error("empty period {start} .. {end}: end is not after start")]
    EmptyPeriod {
        /// The start given.
        start: DateTime<Utc>,
        /// The end given.
        end: DateTime<Utc>,
    },
    /// The range asks for more than [`MAX_PERIODS`] periods.
    #[error("more than {limit} periods between {from} and {to}")]
    TooManyPeriods {
        /// The limit.
        limit: usize,
        /// Start of the range asked for.
        from: DateTime<Utc>,
        /// End of the range asked for.
        to: DateTime<Utc>,
    },
    /// A date outside what the calendar arithmetic can represent.
    #[error("date out of range computing {what}")]
    OutOfRange {
        /// What was being computed.
        what: &'static str,
    },
}

/// One SLA period, the half-open UTC interval `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    /// First instant of the period (inclusive).
    pub start: DateTime<Utc>,
    /// First instant after the period (exclusive).
    pub end: DateTime<Utc>,
}

impl Period {
    /// A period; both bounds truncated to the second; refuses `end <= start`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Period, PeriodError> {
        let (start, end) = (whole_seconds(start), whole_seconds(end));
        if end <= start {
            return Err(PeriodError::EmptyPeriod { start, end });
        }
        Ok(Period { start, end })
    }

    /// The UTC calendar month `year-month` (month 1–12).
    pub fn month(year: i32, month: u32) -> Result<Period, PeriodError> {
        let start = month_start(i64::from(year) * 12 + i64::from(month) - 1)
            .filter(|_| (1..=12).contains(&month))
            .ok_or(PeriodError::OutOfRange {
                what: "calendar month",
            })?;
        let end = start
            .checked_add_months(Months::new(1))
            .ok_or(PeriodError::OutOfRange {
                what: "calendar month",
            })?;
        Ok(Period { start, end })
    }

    /// Length in seconds.
    pub fn seconds(&self) -> i64 {
        self.end.timestamp() - self.start.timestamp()
    }

    /// True when `t` lies in `[start, end)`.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} .. {}", rfc3339(self.start), rfc3339(self.end))
    }
}

/// How an SLA cuts time into periods (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum IntervalKind {
    /// UTC calendar months from the first of the month.
    CalendarMonthFromFirst,
    /// Months starting on the turn-up day (and time) of `slaEpoch`, clamped
    /// to the last day of short months.
    CalendarMonthFromTurnupDay,
    /// 30-day periods from `slaEpoch`.
    BankersMonth,
    /// Fixed-length periods from `slaEpoch`.
    Fixed {
        /// Length of one period in seconds (> 0).
        seconds: i64,
    },
}

/// The interval kinds' texts, for error messages and docs.
pub const INTERVAL_KINDS: &[&str] = &[
    "calendarMonthFromFirst",
    "calendarMonthFromTurnupDay",
    "bankersMonth",
    "fixed:<duration> (e.g. fixed:7d, fixed:12h, fixed:1d12h; units w d h m s)",
];

impl IntervalKind {
    /// True when the kind counts from the circuit's `slaEpoch`.
    pub fn needs_epoch(&self) -> bool {
        !matches!(self, IntervalKind::CalendarMonthFromFirst)
    }
}

impl fmt::Display for IntervalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntervalKind::CalendarMonthFromFirst => f.write_str("calendarMonthFromFirst"),
            IntervalKind::CalendarMonthFromTurnupDay => f.write_str("calendarMonthFromTurnupDay"),
            IntervalKind::BankersMonth => f.write_str("bankersMonth"),
            IntervalKind::Fixed { seconds } => write!(f, "fixed:{}", format_duration(*seconds)),
        }
    }
}

impl FromStr for IntervalKind {
    type Err = PeriodError;

    /// Parses the TOML text; the named kinds are matched case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let unknown = |reason: String| PeriodError::UnknownInterval {
            value: s.to_string(),
            reason,
        };
        if let Some(rest) = t
            .get(..6)
            .filter(|head| head.eq_ignore_ascii_case("fixed:"))
            .and_then(|_| t.get(6..))
        {
            let seconds = parse_duration(rest).map_err(unknown)?;
            return Ok(IntervalKind::Fixed { seconds });
        }
        for kind in [
            IntervalKind::CalendarMonthFromFirst,
            IntervalKind::CalendarMonthFromTurnupDay,
            IntervalKind::BankersMonth,
        ] {
            if t.eq_ignore_ascii_case(&kind.to_string()) {
                return Ok(kind);
            }
        }
        Err(unknown(format!(
            "expected one of {}",
            INTERVAL_KINDS.join(", ")
        )))
    }
}

impl From<IntervalKind> for String {
    fn from(k: IntervalKind) -> String {
        k.to_string()
    }
}

impl TryFrom<String> for IntervalKind {
    type Error = PeriodError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Parses a duration such as `7d`, `12h`, `90m`, `1w`, `1d12h`, `3600s`
/// into seconds (> 0). Units: `w` week, `d` day, `h` hour, `m` minute,
/// `s` second; each at most once, largest first.
fn parse_duration(s: &str) -> Result<i64, String> {
    const UNITS: [(char, i64); 5] = [
        ('w', 7 * 86_400),
        ('d', 86_400),
        ('h', 3_600),
        ('m', 60),
        ('s', 1),
    ];
    let s = s.trim();
    if s.is_empty() {
        return Err("fixed: needs a duration such as 7d, 12h or 1d12h".into());
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut last_unit: Option<usize> = None;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let lc = c.to_ascii_lowercase();
        let Some((pos, &(_, unit_seconds))) = UNITS.iter().enumerate().find(|(_, (u, _))| *u == lc)
        else {
            return Err(format!(
                "{c:?} is not a duration unit (use w, d, h, m, s as in 7d or 1d12h)"
            ));
        };
        if digits.is_empty() {
            return Err(format!("unit {c:?} without a number before it"));
        }
        if last_unit.is_some_and(|last| pos <= last) {
            return Err("units must go from largest to smallest, each once (e.g. 1d12h)".into());
        }
        let n: i64 = digits
            .parse()
            .map_err(|_| format!("{digits} is too large"))?;
        let add = n
            .checked_mul(unit_seconds)
            .ok_or_else(|| format!("{digits}{c} is too large"))?;
        total = total
            .checked_add(add)
            .ok_or_else(|| "duration is too large".to_string())?;
        last_unit = Some(pos);
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(format!(
            "{digits} has no unit (use w, d, h, m, s as in 7d or 1d12h)"
        ));
    }
    if total <= 0 {
        return Err("a fixed period must be longer than zero".into());
    }
    // About 10,000 years: beyond that the calendar arithmetic cannot follow.
    if total > 10_000 * 366 * 86_400 {
        return Err("duration is too large".into());
    }
    Ok(total)
}

/// Formats seconds in the largest units, e.g. `1d12h`, `7d`, `90s` → `1m30s`.
fn format_duration(mut seconds: i64) -> String {
    if seconds <= 0 {
        return format!("{seconds}s");
    }
    let mut out = String::new();
    for (u, n) in [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)] {
        if seconds >= n {
            out.push_str(&format!("{}{u}", seconds / n));
            seconds %= n;
        }
    }
    out
}

/// Parses a `--period` month `YYYY-MM` into the UTC calendar month.
///
/// ```
/// let p = mnp_sla::period::parse_month("2026-10").unwrap();
/// assert_eq!(p.start.to_rfc3339(), "2026-10-01T00:00:00+00:00");
/// assert_eq!(p.end.to_rfc3339(), "2026-11-01T00:00:00+00:00");
/// assert_eq!(p.seconds(), 31 * 86_400);
/// ```
pub fn parse_month(s: &str) -> Result<Period, PeriodError> {
    let bad = |reason: &str| PeriodError::BadPeriod {
        value: s.to_string(),
        reason: reason.to_string(),
    };
    let t = s.trim();
    let Some((y, m)) = t.split_once('-') else {
        return Err(bad("expected YYYY-MM, e.g. 2026-10"));
    };
    if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("the year must have four digits, as in 2026-10"));
    }
    if m.is_empty() || m.len() > 2 || !m.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("the month must be 1 to 12, as in 2026-10"));
    }
    let year: i32 = y.parse().map_err(|_| bad("bad year"))?;
    let month: u32 = m.parse().map_err(|_| bad("bad month"))?;
    if !(1..=12).contains(&month) {
        return Err(bad("the month must be 1 to 12, as in 2026-10"));
    }
    Period::month(year, month)
}

/// The periods of `interval` that **start** in `[from, to)` (see the module
/// docs for why "start"), in order. `epoch` is the circuit's `slaEpoch`,
/// required by every kind but `calendarMonthFromFirst`.
pub fn periods_for(
    interval: IntervalKind,
    epoch: Option<DateTime<Utc>>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Period>, PeriodError> {
    let cutter = Cutter::new(interval, epoch)?;
    let from = whole_seconds(from);
    let mut k = match cutter.index_containing(from)? {
        Some(k) if cutter.start_of(k)? < from => k + 1,
        Some(k) => k,
        None => 0,
    };
    collect(&cutter, &mut k, from, to)
}

/// The periods of `interval` that overlap `[from, to)`, in order: the ones
/// an outage from `from` to `to` must be counted in.
pub fn periods_overlapping(
    interval: IntervalKind,
    epoch: Option<DateTime<Utc>>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Period>, PeriodError> {
    let cutter = Cutter::new(interval, epoch)?;
    let from = whole_seconds(from);
    let mut k = cutter.index_containing(from)?.unwrap_or(0);
    collect(&cutter, &mut k, from, to)
}

/// The period of `interval` containing `t`; `None` when `t` is before the
/// epoch of a kind that counts from it.
pub fn period_containing(
    interval: IntervalKind,
    epoch: Option<DateTime<Utc>>,
    t: DateTime<Utc>,
) -> Result<Option<Period>, PeriodError> {
    let cutter = Cutter::new(interval, epoch)?;
    match cutter.index_containing(whole_seconds(t))? {
        Some(k) => Ok(Some(Period {
            start: cutter.start_of(k)?,
            end: cutter.start_of(k + 1)?,
        })),
        None => Ok(None),
    }
}

fn collect(
    cutter: &Cutter,
    k: &mut i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Period>, PeriodError> {
    let to = whole_seconds(to);
    let mut out = Vec::new();
    let mut start = cutter.start_of(*k)?;
    while start < to {
        if out.len() == MAX_PERIODS {
            return Err(PeriodError::TooManyPeriods {
                limit: MAX_PERIODS,
                from,
                to,
            });
        }
        let end = cutter.start_of(*k + 1)?;
        out.push(Period { start, end });
        start = end;
        *k += 1;
    }
    Ok(out)
}

/// Period boundaries as a function of an index: period `k` is
/// `[start_of(k), start_of(k + 1))`.
enum Cutter {
    /// `k` = months since year 0 (year × 12 + month0).
    CalendarMonth,
    /// `k` = months since the epoch (k ≥ 0).
    TurnupMonth(DateTime<Utc>),
    /// `k` = steps of `step` seconds since the epoch (k ≥ 0).
    Step { epoch: i64, step: i64 },
}

impl Cutter {
    fn new(interval: IntervalKind, epoch: Option<DateTime<Utc>>) -> Result<Cutter, PeriodError> {
        let epoch = match (interval.needs_epoch(), epoch) {
            (false, _) => return Ok(Cutter::CalendarMonth),
            (true, None) => return Err(PeriodError::MissingEpoch { interval }),
            (true, Some(e)) => whole_seconds(e),
        };
        Ok(match interval {
            IntervalKind::CalendarMonthFromFirst => Cutter::CalendarMonth,
            IntervalKind::CalendarMonthFromTurnupDay => Cutter::TurnupMonth(epoch),
            IntervalKind::BankersMonth => Cutter::Step {
                epoch: epoch.timestamp(),
                step: BANKERS_MONTH_SECONDS,
            },
            IntervalKind::Fixed { seconds } if seconds > 0 => Cutter::Step {
                epoch: epoch.timestamp(),
                step: seconds,
            },
            IntervalKind::Fixed { seconds } => {
                return Err(PeriodError::UnknownInterval {
                    value: format!("fixed:{seconds}s"),
                    reason: "a fixed period must be longer than zero".into(),
                });
            }
        })
    }

    fn start_of(&self, k: i64) -> Result<DateTime<Utc>, PeriodError> {
        let out = match self {
            Cutter::CalendarMonth => month_start(k),
            Cutter::TurnupMonth(epoch) => u32::try_from(k)
                .ok()
                .and_then(|k| epoch.checked_add_months(Months::new(k))),
            Cutter::Step { epoch, step } => k
                .checked_mul(*step)
                .and_then(|d| d.checked_add(*epoch))
                .and_then(|s| DateTime::from_timestamp(s, 0)),
        };
        out.ok_or(PeriodError::OutOfRange {
            what: "a period boundary",
        })
    }

    /// Index of the period containing `t`; `None` before the epoch.
    fn index_containing(&self, t: DateTime<Utc>) -> Result<Option<i64>, PeriodError> {
        match self {
            Cutter::CalendarMonth => Ok(Some(i64::from(t.year()) * 12 + i64::from(t.month0()))),
            Cutter::TurnupMonth(epoch) => {
                if t < *epoch {
                    return Ok(None);
                }
                let mut k = (i64::from(t.year()) - i64::from(epoch.year())) * 12
                    + i64::from(t.month0())
                    - i64::from(epoch.month0());
                k = k.max(0);
                // The estimate is off by at most one either way (day and
                // time of day within the month).
                while k > 0 && self.start_of(k)? > t {
                    k -= 1;
                }
                while self.start_of(k + 1)? <= t {
                    k += 1;
                }
                Ok(Some(k))
            }
            Cutter::Step { epoch, step } => {
                let d = t.timestamp() - epoch;
                if d < 0 {
                    return Ok(None);
                }
                Ok(Some(d / step))
            }
        }
    }
}

/// First instant of the UTC month `k` = year × 12 + month0.
fn month_start(k: i64) -> Option<DateTime<Utc>> {
    let year = i32::try_from(k.div_euclid(12)).ok()?;
    let month = u32::try_from(k.rem_euclid(12)).ok()? + 1;
    Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0).single()
}

/// `t` truncated to the whole second.
pub(crate) fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// RFC 3339 in UTC with a `Z`, whole seconds.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn starts(ps: &[Period]) -> Vec<String> {
        ps.iter().map(|p| rfc3339(p.start)).collect()
    }

    #[test]
    fn interval_kinds_parse_and_print() {
        for (text, kind) in [
            (
                "calendarMonthFromFirst",
                IntervalKind::CalendarMonthFromFirst,
            ),
            (
                "calendarMonthFromTurnupDay",
                IntervalKind::CalendarMonthFromTurnupDay,
            ),
            ("bankersMonth", IntervalKind::BankersMonth),
            ("fixed:7d", IntervalKind::Fixed { seconds: 604_800 }),
            ("fixed:1d12h", IntervalKind::Fixed { seconds: 129_600 }),
            ("fixed:90m", IntervalKind::Fixed { seconds: 5_400 }),
        ] {
            assert_eq!(text.parse::<IntervalKind>().unwrap(), kind, "{text}");
        }
        assert_eq!(
            "fixed:1w".parse::<IntervalKind>().unwrap().to_string(),
            "fixed:7d"
        );
        assert_eq!(
            "fixed:90m".parse::<IntervalKind>().unwrap().to_string(),
            "fixed:1h30m"
        );
        assert_eq!(
            "BANKERSMONTH".parse::<IntervalKind>().unwrap(),
            IntervalKind::BankersMonth
        );
        for bad in [
            "fixéd:7d",
            "ééééé",
            "monthly",
            "fixed:",
            "fixed:0d",
            "fixed:7",
            "fixed:d",
            "fixed:7x",
            "fixed:12h1d",
            "fixed:1h1h",
            "",
        ] {
            let e = bad.parse::<IntervalKind>().unwrap_err();
            assert!(
                matches!(e, PeriodError::UnknownInterval { .. }),
                "{bad}: {e}"
            );
        }
        let e = "monthly".parse::<IntervalKind>().unwrap_err().to_string();
        assert!(
            e.contains("calendarMonthFromFirst") && e.contains("bankersMonth"),
            "{e}"
        );
    }

    #[test]
    fn interval_kind_serde_is_its_text() {
        let j = serde_json::to_string(&IntervalKind::Fixed { seconds: 604_800 }).unwrap();
        assert_eq!(j, "\"fixed:7d\"");
        let k: IntervalKind = serde_json::from_str("\"calendarMonthFromTurnupDay\"").unwrap();
        assert_eq!(k, IntervalKind::CalendarMonthFromTurnupDay);
        assert!(serde_json::from_str::<IntervalKind>("\"weekly\"").is_err());
    }

    #[test]
    fn month_argument() {
        let p = parse_month("2026-10").unwrap();
        assert_eq!(
            p,
            Period::new(t("2026-10-01T00:00:00Z"), t("2026-11-01T00:00:00Z")).unwrap()
        );
        assert_eq!(p.seconds(), 2_678_400);
        assert_eq!(
            parse_month("2026-12").unwrap().end,
            t("2027-01-01T00:00:00Z")
        );
        assert_eq!(parse_month("2028-02").unwrap().seconds(), 29 * 86_400);
        assert_eq!(parse_month("2026-2").unwrap().seconds(), 28 * 86_400);
        for bad in [
            "2026-13",
            "2026-00",
            "26-10",
            "2026/10",
            "October",
            "2026-10-01",
            "",
        ] {
            assert!(
                matches!(parse_month(bad), Err(PeriodError::BadPeriod { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn calendar_months_ignore_the_epoch() {
        let ps = periods_for(
            IntervalKind::CalendarMonthFromFirst,
            Some(t("2026-01-17T09:30:00Z")),
            t("2026-01-01T00:00:00Z"),
            t("2026-04-01T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(
            starts(&ps),
            [
                "2026-01-01T00:00:00Z",
                "2026-02-01T00:00:00Z",
                "2026-03-01T00:00:00Z"
            ]
        );
        assert_eq!(
            ps.iter().map(Period::seconds).collect::<Vec<_>>(),
            [2_678_400, 2_419_200, 2_678_400]
        );
        // Starting mid-month: the month that started before `from` is not in it.
        let ps = periods_for(
            IntervalKind::CalendarMonthFromFirst,
            None,
            t("2026-01-15T00:00:00Z"),
            t("2026-02-15T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(starts(&ps), ["2026-02-01T00:00:00Z"]);
        let ps = periods_overlapping(
            IntervalKind::CalendarMonthFromFirst,
            None,
            t("2026-01-15T00:00:00Z"),
            t("2026-02-15T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(
            starts(&ps),
            ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"]
        );
    }

    #[test]
    fn turnup_day_31_clamps_to_short_months_and_comes_back() {
        let epoch = t("2026-01-31T14:00:00Z");
        let ps = periods_for(
            IntervalKind::CalendarMonthFromTurnupDay,
            Some(epoch),
            t("2025-01-01T00:00:00Z"),
            t("2026-07-01T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(
            starts(&ps),
            [
                "2026-01-31T14:00:00Z",
                "2026-02-28T14:00:00Z",
                "2026-03-31T14:00:00Z",
                "2026-04-30T14:00:00Z",
                "2026-05-31T14:00:00Z",
                "2026-06-30T14:00:00Z",
            ]
        );
        // 31 Jan → 28 Feb is 28 days; 28 Feb → 31 Mar is 31 days.
        assert_eq!(ps[0].seconds(), 28 * 86_400);
        assert_eq!(ps[1].seconds(), 31 * 86_400);
        assert_eq!(ps[5].end, t("2026-07-31T14:00:00Z"));
        // Leap year: 29 February.
        let p = period_containing(
            IntervalKind::CalendarMonthFromTurnupDay,
            Some(t("2027-12-31T00:00:00Z")),
            t("2028-03-01T00:00:00Z"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (p.start, p.end),
            (t("2028-02-29T00:00:00Z"), t("2028-03-31T00:00:00Z"))
        );
    }

    #[test]
    fn turnup_day_month_argument_picks_the_period_starting_in_it() {
        let epoch = t("2026-03-15T00:00:00Z");
        let oct = parse_month("2026-10").unwrap();
        let ps = periods_for(
            IntervalKind::CalendarMonthFromTurnupDay,
            Some(epoch),
            oct.start,
            oct.end,
        )
        .unwrap();
        assert_eq!(
            ps,
            [Period::new(t("2026-10-15T00:00:00Z"), t("2026-11-15T00:00:00Z")).unwrap()]
        );
        // Before the epoch there is no period.
        assert_eq!(
            period_containing(
                IntervalKind::CalendarMonthFromTurnupDay,
                Some(epoch),
                t("2026-03-14T23:59:59Z")
            )
            .unwrap(),
            None
        );
        let ps = periods_for(
            IntervalKind::CalendarMonthFromTurnupDay,
            Some(epoch),
            t("2026-01-01T00:00:00Z"),
            t("2026-04-01T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(starts(&ps), ["2026-03-15T00:00:00Z"]);
    }

    #[test]
    fn bankers_months_are_30_days_from_the_epoch() {
        let epoch = t("2026-01-01T00:00:00Z");
        let ps = periods_for(
            IntervalKind::BankersMonth,
            Some(epoch),
            epoch,
            t("2026-04-01T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(
            starts(&ps),
            [
                "2026-01-01T00:00:00Z",
                "2026-01-31T00:00:00Z",
                "2026-03-02T00:00:00Z"
            ]
        );
        assert!(ps.iter().all(|p| p.seconds() == 2_592_000));
        // February 2026 has no bankers' month starting in it; January two.
        let feb = parse_month("2026-02").unwrap();
        assert!(
            periods_for(IntervalKind::BankersMonth, Some(epoch), feb.start, feb.end)
                .unwrap()
                .is_empty()
        );
        let jan = parse_month("2026-01").unwrap();
        assert_eq!(
            periods_for(IntervalKind::BankersMonth, Some(epoch), jan.start, jan.end)
                .unwrap()
                .len(),
            2
        );
        // ...but February overlaps one.
        assert_eq!(
            starts(
                &periods_overlapping(IntervalKind::BankersMonth, Some(epoch), feb.start, feb.end)
                    .unwrap()
            ),
            ["2026-01-31T00:00:00Z"]
        );
    }

    #[test]
    fn fixed_weeks_from_the_epoch() {
        let epoch = t("2026-10-05T06:00:00Z"); // a Monday
        let k = "fixed:7d".parse().unwrap();
        let p = period_containing(k, Some(epoch), t("2026-10-20T12:00:00Z"))
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.start, p.end),
            (t("2026-10-19T06:00:00Z"), t("2026-10-26T06:00:00Z"))
        );
        let oct = parse_month("2026-10").unwrap();
        assert_eq!(
            starts(&periods_for(k, Some(epoch), oct.start, oct.end).unwrap()),
            [
                "2026-10-05T06:00:00Z",
                "2026-10-12T06:00:00Z",
                "2026-10-19T06:00:00Z",
                "2026-10-26T06:00:00Z"
            ]
        );
    }

    #[test]
    fn epoch_kinds_need_an_epoch() {
        for k in [
            IntervalKind::CalendarMonthFromTurnupDay,
            IntervalKind::BankersMonth,
            IntervalKind::Fixed { seconds: 60 },
        ] {
            let e = periods_for(
                k,
                None,
                t("2026-01-01T00:00:00Z"),
                t("2026-02-01T00:00:00Z"),
            )
            .unwrap_err();
            assert_eq!(e, PeriodError::MissingEpoch { interval: k });
            assert!(e.to_string().contains("slaEpoch"));
        }
    }

    #[test]
    fn too_many_periods_is_refused() {
        let e = periods_for(
            IntervalKind::Fixed { seconds: 1 },
            Some(t("2026-01-01T00:00:00Z")),
            t("2026-01-01T00:00:00Z"),
            t("2027-01-01T00:00:00Z"),
        )
        .unwrap_err();
        assert!(matches!(
            e,
            PeriodError::TooManyPeriods {
                limit: MAX_PERIODS,
                ..
            }
        ));
    }

    #[test]
    fn subsecond_bounds_are_truncated() {
        let p = Period::new(t("2026-10-01T00:00:00.900Z"), t("2026-10-01T00:00:10.100Z")).unwrap();
        assert_eq!(p.seconds(), 10);
        assert!(Period::new(t("2026-10-01T00:00:00.100Z"), t("2026-10-01T00:00:00.900Z")).is_err());
    }

    use proptest::prelude::*;

    fn kind() -> impl Strategy<Value = IntervalKind> {
        prop_oneof![
            Just(IntervalKind::CalendarMonthFromFirst),
            Just(IntervalKind::CalendarMonthFromTurnupDay),
            Just(IntervalKind::BankersMonth),
            (3_600i64..40 * 86_400).prop_map(|seconds| IntervalKind::Fixed { seconds }),
        ]
    }

    proptest! {
        /// Periods tile time: consecutive, no gaps; month ranges partition
        /// them; the containing period contains the instant.
        #[test]
        fn periods_tile_time(k in kind(), epoch in 1_600_000_000i64..1_900_000_000, a in 0i64..400 * 86_400, b in 0i64..400 * 86_400, x in 0i64..800 * 86_400) {
            let epoch = DateTime::from_timestamp(epoch, 0).unwrap();
            let from = epoch + chrono::Duration::seconds(a.min(b)) - chrono::Duration::days(30);
            let mid = epoch + chrono::Duration::seconds(a.max(b));
            let to = mid + chrono::Duration::days(100);
            let all = periods_for(k, Some(epoch), from, to).unwrap();
            for w in all.windows(2) {
                prop_assert_eq!(w[0].end, w[1].start);
            }
            for p in &all {
                prop_assert!(p.start >= from && p.start < to && p.seconds() > 0);
            }
            let mut halves = periods_for(k, Some(epoch), from, mid).unwrap();
            halves.extend(periods_for(k, Some(epoch), mid, to).unwrap());
            prop_assert_eq!(&halves, &all);
            let x = epoch + chrono::Duration::seconds(x);
            let p = period_containing(k, Some(epoch), x).unwrap().unwrap();
            prop_assert!(p.contains(x));
            let over = periods_overlapping(k, Some(epoch), x, x + chrono::Duration::seconds(1)).unwrap();
            prop_assert_eq!(over, vec![p]);
        }
    }
}
