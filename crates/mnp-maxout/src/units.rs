//! Small shared units: [`Seconds`] for configuration durations, and the
//! human formatting of bit rates, percentages and durations used by the
//! alert mail and the SVG chart.
//!
//! Conventions of the whole crate: rates are `f64` **bits per second**;
//! capacities are `u64` bits per second; instants are `DateTime<Utc>` at the
//! API and Unix **milliseconds** (`i64`) inside the engine; configuration
//! durations are whole seconds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A configuration duration in whole seconds.
///
/// Deserializes from an integer (seconds) or a string such as `"90s"`,
/// `"5m"`, `"1h30m"`, `"2d"` (units `d`, `h`, `m`, `s`, largest first, each
/// once); serializes as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Seconds(pub u64);

impl Seconds {
    /// `n` minutes.
    pub const fn minutes(n: u64) -> Self {
        Seconds(n * 60)
    }

    /// Milliseconds, saturating at `i64::MAX`.
    pub fn as_millis(self) -> i64 {
        i64::try_from(self.0.saturating_mul(1000)).unwrap_or(i64::MAX)
    }
}

impl std::str::FromStr for Seconds {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_duration(s).map(Seconds)
    }
}

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}s", self.0)
    }
}

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(n) => Ok(Seconds(n)),
            Raw::Text(t) => parse_duration(&t)
                .map(Seconds)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Parses `"90"`, `"90s"`, `"5m"`, `"1h30m"`, `"2d"` into seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    const UNITS: [(char, u64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration (use e.g. 90s, 5m, 1h30m)".into());
    }
    if let Ok(n) = s.parse::<u64>() {
        return Ok(n);
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    let mut last_unit: Option<usize> = None;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let lc = c.to_ascii_lowercase();
        let Some((pos, &(_, unit))) = UNITS.iter().enumerate().find(|(_, (u, _))| *u == lc) else {
            return Err(format!("{c:?} is not a duration unit (use d, h, m, s)"));
        };
        if digits.is_empty() {
            return Err(format!("unit {c:?} without a number before it"));
        }
        if last_unit.is_some_and(|last| pos <= last) {
            return Err("units must go from largest to smallest, each once (e.g. 1h30m)".into());
        }
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("{digits} is too large"))?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| "duration too large".to_string())?;
        digits.clear();
        last_unit = Some(pos);
    }
    if !digits.is_empty() {
        return Err(format!("{digits} has no unit (use d, h, m, s)"));
    }
    Ok(total)
}

/// Formats a bit rate with SI prefixes: `950 Mbit/s`, `1.2 Gbit/s`,
/// `10 Gbit/s`. Up to three significant digits; trailing zeros dropped.
pub fn format_bps(bps: f64) -> String {
    if !bps.is_finite() || bps < 0.0 {
        return "n/a".into();
    }
    const PREFIXES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];
    for (scale, p) in PREFIXES {
        if bps >= scale {
            return format!("{} {p}bit/s", three_digits(bps / scale));
        }
    }
    format!("{} bit/s", three_digits(bps))
}

/// Up to three significant digits, no trailing zeros (`1.25`, `12.5`, `125`).
fn three_digits(v: f64) -> String {
    let s = if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Formats a percentage with one decimal, dropping `.0`: `98.4 %`, `100 %`.
pub fn format_percent(p: f64) -> String {
    if p.is_finite() {
        let s = format!("{p:.1}");
        format!("{} %", s.strip_suffix(".0").unwrap_or(&s))
    } else {
        "n/a".into()
    }
}

/// Formats a duration in seconds as `45 s`, `12 min`, `1 h 05 min`,
/// `2 d 03 h`.
pub fn format_duration(secs: u64) -> String {
    if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min", (secs + 30) / 60)
    } else if secs < 86_400 {
        let m = (secs + 30) / 60;
        match m % 60 {
            0 => format!("{} h", m / 60),
            rest => format!("{} h {rest:02} min", m / 60),
        }
    } else {
        let h = (secs + 1800) / 3600;
        match h % 24 {
            0 => format!("{} d", h / 24),
            rest => format!("{} d {rest:02} h", h / 24),
        }
    }
}

/// Formats an instant as `2024-05-01 14:05 UTC`.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Unix milliseconds → instant (the epoch if out of chrono's range, which
/// cannot happen for values that came from a `DateTime`).
pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert!(parse_duration("30m1h").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("12").is_ok());
        assert!(parse_duration("5m3").is_err());
    }

    #[test]
    fn seconds_from_json() {
        let s: Seconds = serde_json::from_str("\"5m\"").unwrap();
        assert_eq!(s, Seconds(300));
        let s: Seconds = serde_json::from_str("42").unwrap();
        assert_eq!(s, Seconds(42));
        assert!(serde_json::from_str::<Seconds>("\"soon\"").is_err());
    }

    #[test]
    fn bps() {
        assert_eq!(format_bps(950e6), "950 Mbit/s");
        assert_eq!(format_bps(1.2e9), "1.2 Gbit/s");
        assert_eq!(format_bps(10e9), "10 Gbit/s");
        assert_eq!(format_bps(12.5e9), "12.5 Gbit/s");
        assert_eq!(format_bps(1.234e9), "1.23 Gbit/s");
        assert_eq!(format_bps(999.0), "999 bit/s");
        assert_eq!(format_bps(f64::NAN), "n/a");
    }

    #[test]
    fn durations_human() {
        assert_eq!(format_duration(45), "45 s");
        assert_eq!(format_duration(720), "12 min");
        assert_eq!(format_duration(3900), "1 h 05 min");
        assert_eq!(format_duration(2 * 86_400 + 3 * 3600), "2 d 03 h");
        assert_eq!(format_duration(14_400), "4 h");
        assert_eq!(format_duration(86_400), "1 d");
        assert_eq!(format_percent(98.44), "98.4 %");
        assert_eq!(format_percent(100.0), "100 %");
        assert_eq!(format_percent(99.96), "100 %");
    }
}
