//! Capacity forecast: which circuits will reach capacity soon.
//!
//! For each circuit, the daily peak utilisation (percent of the ceiling,
//! highest sample of each UTC day — see [`DailyPeaks`]) over the last
//! `window_days` days is fitted with an ordinary least-squares line
//! `percent = a + b·x`, where `x` is the day relative to `today` (today is
//! 0, yesterday −1). `a` is therefore today's trend value and `b` the growth
//! in percentage points per day.
//!
//! A circuit is listed when its trend reaches `target_percent` (default
//! 100) within `horizon_days`: the projected day is `today + ⌈(target − a) /
//! b⌉`. A circuit whose trend is already at or above the target is listed
//! with 0 days left. Circuits with fewer than `min_days` days of data, or a
//! flat or falling trend, are not listed. The result is sorted by days
//! left, then by steeper growth first, then by circuit id: the upsell list
//! for Account Management.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The highest utilisation of one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DailyPeak {
    /// The day (UTC).
    pub day: NaiveDate,
    /// Highest utilisation that day, percent of the ceiling.
    pub percent: f64,
}

/// Collects per-day maxima from samples.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailyPeaks {
    days: BTreeMap<NaiveDate, f64>,
}

impl DailyPeaks {
    /// Records a utilisation (percent) at an instant; non-finite values are ignored.
    pub fn add(&mut self, ts: DateTime<Utc>, percent: f64) {
        if !percent.is_finite() {
            return;
        }
        let e = self.days.entry(ts.date_naive()).or_insert(percent);
        if percent > *e {
            *e = percent;
        }
    }

    /// The peaks, oldest first.
    pub fn peaks(&self) -> Vec<DailyPeak> {
        self.days
            .iter()
            .map(|(&day, &percent)| DailyPeak { day, percent })
            .collect()
    }
}

/// Settings of the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForecastConfig {
    /// Fit over the days `(today − window_days, today]`. Default 30.
    pub window_days: u32,
    /// List circuits reaching the target within this many days. Default 90.
    pub horizon_days: u32,
    /// Days of data needed in the window. Default 7.
    pub min_days: usize,
    /// The level to project, percent of the ceiling. Default 100.
    pub target_percent: f64,
}

impl Default for ForecastConfig {
    fn default() -> Self {
        ForecastConfig {
            window_days: 30,
            horizon_days: 90,
            min_days: 7,
            target_percent: 100.0,
        }
    }
}

/// A fitted line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Growth, percentage points per day.
    pub slope_per_day: f64,
    /// The line's value today, percent.
    pub fitted_today: f64,
    /// Coefficient of determination (1 = all points on the line).
    pub r_squared: f64,
    /// Days of data used.
    pub days: usize,
}

/// Fits the peaks of the window ending `today` (inclusive). `None` with
/// fewer than two distinct days.
pub fn fit(peaks: &[DailyPeak], today: NaiveDate, window_days: u32) -> Option<Trend> {
    let pts: Vec<(f64, f64)> = peaks
        .iter()
        .filter(|p| p.percent.is_finite())
        .filter_map(|p| {
            let x = (p.day - today).num_days();
            (x <= 0 && x > -i64::from(window_days)).then_some((x as f64, p.percent))
        })
        .collect();
    let n = pts.len() as f64;
    if pts.len() < 2 {
        return None;
    }
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let b = sxy / sxx;
    let a = my - b * mx;
    let ss_tot: f64 = pts.iter().map(|p| (p.1 - my).powi(2)).sum();
    let ss_res: f64 = pts.iter().map(|p| (p.1 - (a + b * p.0)).powi(2)).sum();
    Some(Trend {
        slope_per_day: b,
        fitted_today: a,
        r_squared: if ss_tot == 0.0 {
            1.0
        } else {
            1.0 - ss_res / ss_tot
        },
        days: pts.len(),
    })
}

/// One circuit's daily peaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircuitPeaks {
    /// Circuit id.
    pub circuit: String,
    /// Customer id.
    pub customer: Option<String>,
    /// Daily peaks, any order.
    pub peaks: Vec<DailyPeak>,
}

/// A circuit expected to reach the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Circuit id.
    pub circuit: String,
    /// Customer id.
    pub customer: Option<String>,
    /// The fitted trend.
    pub trend: Trend,
    /// Highest daily peak in the window, percent.
    pub max_peak_percent: f64,
    /// Projected day the trend reaches the target.
    pub reaches_on: NaiveDate,
    /// Days from today (0 = already there).
    pub days_left: i64,
}

/// The circuits expected to reach `cfg.target_percent` within
/// `cfg.horizon_days` of `today`, soonest first.
pub fn forecast(
    circuits: &[CircuitPeaks],
    today: NaiveDate,
    cfg: &ForecastConfig,
) -> Vec<Projection> {
    let mut out: Vec<Projection> = circuits
        .iter()
        .filter_map(|c| {
            let trend = fit(&c.peaks, today, cfg.window_days)?;
            if trend.days < cfg.min_days.max(2) {
                return None;
            }
            let days_left = if trend.fitted_today >= cfg.target_percent {
                0
            } else if trend.slope_per_day > 0.0 {
                let x = ((cfg.target_percent - trend.fitted_today) / trend.slope_per_day).ceil();
                if !x.is_finite() || x > f64::from(cfg.horizon_days) {
                    return None;
                }
                x as i64
            } else {
                return None;
            };
            let max_peak_percent = c
                .peaks
                .iter()
                .filter(|p| {
                    let x = (p.day - today).num_days();
                    x <= 0 && x > -i64::from(cfg.window_days)
                })
                .map(|p| p.percent)
                .fold(f64::NEG_INFINITY, f64::max);
            Some(Projection {
                circuit: c.circuit.clone(),
                customer: c.customer.clone(),
                trend,
                max_peak_percent,
                reaches_on: today.checked_add_signed(Duration::days(days_left))?,
                days_left,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then(b.trend.slope_per_day.total_cmp(&a.trend.slope_per_day))
            .then(a.circuit.cmp(&b.circuit))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 6, 30).unwrap() + Duration::days(n)
    }

    fn peaks(values: &[(i64, f64)]) -> Vec<DailyPeak> {
        values
            .iter()
            .map(|&(d, percent)| DailyPeak {
                day: day(d),
                percent,
            })
            .collect()
    }

    fn circuit(id: &str, values: &[(i64, f64)]) -> CircuitPeaks {
        CircuitPeaks {
            circuit: id.into(),
            customer: None,
            peaks: peaks(values),
        }
    }

    #[test]
    fn three_points_on_a_line() {
        // 80, 85, 90 on days −2, −1, 0: slope 5 / day, today 90, reaches 100 in 2 days.
        let t = fit(&peaks(&[(-2, 80.0), (-1, 85.0), (0, 90.0)]), day(0), 30).unwrap();
        assert!((t.slope_per_day - 5.0).abs() < 1e-12);
        assert!((t.fitted_today - 90.0).abs() < 1e-12);
        assert!((t.r_squared - 1.0).abs() < 1e-12);
        let cfg = ForecastConfig {
            min_days: 3,
            ..ForecastConfig::default()
        };
        let f = forecast(
            &[circuit("C1", &[(-2, 80.0), (-1, 85.0), (0, 90.0)])],
            day(0),
            &cfg,
        );
        assert_eq!(f[0].days_left, 2);
        assert_eq!(f[0].reaches_on, day(2));
        assert_eq!(f[0].max_peak_percent, 90.0);
    }

    #[test]
    fn noisy_points() {
        // x = −3..0, y = 70, 74, 74, 78: x̄ = −1.5, ȳ = 74,
        // Sxy = (−1.5)(−4) + (−0.5)(0) + (0.5)(0) + (1.5)(4) = 12, Sxx = 5,
        // b = 2.4, a = 74 + 2.4·1.5 = 77.6; reaches 100 after ⌈22.4 / 2.4⌉ = ⌈9.33⌉ = 10 days.
        let v = [(-3, 70.0), (-2, 74.0), (-1, 74.0), (0, 78.0)];
        let t = fit(&peaks(&v), day(0), 30).unwrap();
        assert!((t.slope_per_day - 2.4).abs() < 1e-12);
        assert!((t.fitted_today - 77.6).abs() < 1e-12);
        // Fitted 70.4, 72.8, 75.2, 77.6 → residuals −0.4, 1.2, −1.2, 0.4 → SS_res = 3.2;
        // SS_tot = 16 + 0 + 0 + 16 = 32; r² = 1 − 3.2 / 32 = 0.9.
        assert!((t.r_squared - 0.9).abs() < 1e-12);
        let cfg = ForecastConfig {
            min_days: 4,
            ..ForecastConfig::default()
        };
        assert_eq!(forecast(&[circuit("C", &v)], day(0), &cfg)[0].days_left, 10);
    }

    #[test]
    fn horizon_window_and_order() {
        // 50 → 59 over ten days: slope 1, today 59, 41 days to go.
        let slow: Vec<(i64, f64)> = (0..10).map(|i| (i - 9, 50.0 + i as f64)).collect();
        // Flat at 60: never.
        let flat: Vec<(i64, f64)> = (0..10).map(|i| (i - 9, 60.0)).collect();
        // Already over: 99 → 108.
        let over: Vec<(i64, f64)> = (0..10).map(|i| (i - 9, 99.0 + i as f64)).collect();
        // Fast growth but old data outside a 30-day window, then nothing.
        let old: Vec<(i64, f64)> = (0..10).map(|i| (i - 60, 50.0 + 5.0 * i as f64)).collect();
        let cs = [
            circuit("SLOW", &slow),
            circuit("FLAT", &flat),
            circuit("OVER", &over),
            circuit("OLD", &old),
        ];
        let f = forecast(&cs, day(0), &ForecastConfig::default());
        let ids: Vec<(&str, i64)> = f
            .iter()
            .map(|p| (p.circuit.as_str(), p.days_left))
            .collect();
        assert_eq!(ids, vec![("OVER", 0), ("SLOW", 41)]);
        let short = ForecastConfig {
            horizon_days: 30,
            ..ForecastConfig::default()
        };
        assert_eq!(forecast(&cs, day(0), &short).len(), 1);
    }

    #[test]
    fn too_few_days() {
        let cfg = ForecastConfig::default(); // needs 7
        assert!(
            forecast(
                &[circuit("C", &[(-2, 80.0), (-1, 90.0), (0, 99.0)])],
                day(0),
                &cfg
            )
            .is_empty()
        );
        assert!(fit(&peaks(&[(0, 80.0)]), day(0), 30).is_none());
        assert!(fit(&peaks(&[(0, 80.0), (0, 90.0)]), day(0), 30).is_none());
    }

    #[test]
    fn daily_peaks_per_utc_day() {
        let mut d = DailyPeaks::default();
        let t = DateTime::from_timestamp(1_719_705_600, 0).unwrap(); // 2024-06-30 00:00 UTC
        d.add(t, 50.0);
        d.add(t + Duration::hours(23), 70.0);
        d.add(t + Duration::hours(12), 60.0);
        d.add(t + Duration::hours(24), 10.0);
        d.add(t, f64::NAN);
        assert_eq!(d.peaks(), peaks(&[(0, 70.0), (1, 10.0)]));
    }
}
