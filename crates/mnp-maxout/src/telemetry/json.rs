//! The original JSON sample API (`POST /api/v1/telemetry` and
//! `POST /api/v1/telemetry/batch`).
//!
//! # Accepted shape
//! ```json
//! {"circuitId": "C1", "timestamp": "2024-05-01T12:00:00Z", "usage": 950000000, "direction": "in"}
//! ```
//! * `circuitId` — non-empty string (an integer is accepted and used as text).
//! * `timestamp` — RFC 3339 string with offset, or a Unix time as a number
//!   (or numeric string) whose magnitude tells the unit: below 10¹² seconds
//!   (fractions allowed), below 10¹⁵ milliseconds, below 10¹⁸ microseconds,
//!   else nanoseconds. 10¹² seconds is the year 33658 and 10¹² ms is 2001,
//!   so real timestamps are never ambiguous.
//! * `usage` — the rate in **bits per second**, a finite number ≥ 0 (a
//!   numeric string is accepted).
//! * `direction` — `in` / `out` (case-insensitive; `ingress`/`egress` and
//!   `rx`/`tx` are synonyms).
//!
//! Unknown fields are ignored (old clients send extras). One sample gives
//! one direction; the engine merges the `in` and `out` samples of the same
//! instant. A batch is a JSON array of such objects; each bad element is an
//! [`Error::BadSample`] with its 0-based index and the other elements are
//! kept. A body that is not JSON (or, for a batch, not an array) is one
//! [`Error::Json`].

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Batch, CircuitRef, Direction, Reading, Sample, valid_rate};
use crate::error::{Error, clip};

/// Parses the body of `POST /api/v1/telemetry`: one sample.
pub fn parse_sample(body: &[u8]) -> Result<Sample, Error> {
    let v: Value = serde_json::from_slice(body).map_err(|e| Error::Json {
        reason: e.to_string(),
    })?;
    sample_from_value(0, &v)
}

/// Parses the body of `POST /api/v1/telemetry/batch`: an array of samples.
pub fn parse_batch(body: &[u8]) -> Result<Batch, Error> {
    let v: Value = serde_json::from_slice(body).map_err(|e| Error::Json {
        reason: e.to_string(),
    })?;
    let Value::Array(items) = v else {
        return Err(Error::Json {
            reason: "expected an array of samples".into(),
        });
    };
    let mut batch = Batch::default();
    for (i, item) in items.iter().enumerate() {
        match sample_from_value(i, item) {
            Ok(s) => batch.readings.push(Reading::Rates(s)),
            Err(e) => batch.errors.push(e),
        }
    }
    Ok(batch)
}

/// Reads one sample object; `index` is used in errors.
pub fn sample_from_value(index: usize, v: &Value) -> Result<Sample, Error> {
    let bad = |field: &'static str, reason: String| Error::BadSample {
        index,
        field,
        reason,
    };
    let Value::Object(map) = v else {
        return Err(bad("sample", "expected an object".into()));
    };
    let circuit = match map.get("circuitId") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        Some(other) => {
            return Err(bad(
                "circuitId",
                format!(
                    "expected a non-empty string, got {}",
                    clip(&other.to_string())
                ),
            ));
        }
        None => return Err(bad("circuitId", "missing".into())),
    };
    let ts = match map.get("timestamp") {
        Some(t) => timestamp(t).map_err(|r| bad("timestamp", r))?,
        None => return Err(bad("timestamp", "missing".into())),
    };
    let usage = match map.get("usage") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
        None => return Err(bad("usage", "missing".into())),
    }
    .filter(|&u| valid_rate(u))
    .ok_or_else(|| {
        bad(
            "usage",
            "expected bits per second, a finite number ≥ 0".into(),
        )
    })?;
    let direction = match map.get("direction") {
        Some(Value::String(s)) => parse_direction(s)
            .ok_or_else(|| bad("direction", format!("{:?} is not in or out", clip(s))))?,
        Some(_) => return Err(bad("direction", "expected \"in\" or \"out\"".into())),
        None => return Err(bad("direction", "missing".into())),
    };
    let (in_bps, out_bps) = match direction {
        Direction::In => (Some(usage), None),
        Direction::Out | Direction::Both => (None, Some(usage)),
    };
    Ok(Sample {
        circuit: CircuitRef::Id(circuit),
        ts,
        in_bps,
        out_bps,
    })
}

/// Encodes a sample in the original API's shape: one object per present
/// direction (`timestamp` in RFC 3339 with milliseconds). A sample named by
/// device port cannot be expressed and gives nothing.
pub fn encode_sample(s: &Sample) -> Vec<Value> {
    let Some(id) = s.circuit.id() else {
        return Vec::new();
    };
    let ts = s.ts.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    [("in", s.in_bps), ("out", s.out_bps)]
        .into_iter()
        .filter_map(|(dir, v)| {
            v.map(|usage| serde_json::json!({"circuitId": id, "timestamp": ts, "usage": usage, "direction": dir}))
        })
        .collect()
}

fn parse_direction(s: &str) -> Option<Direction> {
    match s.trim().to_ascii_lowercase().as_str() {
        "in" | "ingress" | "rx" => Some(Direction::In),
        "out" | "egress" | "tx" => Some(Direction::Out),
        _ => None,
    }
}

fn timestamp(v: &Value) -> Result<DateTime<Utc>, String> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                epoch_int(i)
            } else {
                epoch_float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => {
            let s = s.trim();
            if let Ok(i) = s.parse::<i64>() {
                epoch_int(i)
            } else if let Ok(f) = s.parse::<f64>() {
                epoch_float(f)
            } else {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| format!("{:?} is not RFC 3339 or a Unix time: {e}", clip(s)))
            }
        }
        _ => Err("expected an RFC 3339 string or a Unix time".into()),
    }
}

fn epoch_int(i: i64) -> Result<DateTime<Utc>, String> {
    let a = i.unsigned_abs();
    let t = if a < 1_000_000_000_000 {
        DateTime::from_timestamp(i, 0)
    } else if a < 1_000_000_000_000_000 {
        DateTime::from_timestamp_millis(i)
    } else if a < 1_000_000_000_000_000_000 {
        DateTime::from_timestamp_micros(i)
    } else {
        Some(DateTime::from_timestamp_nanos(i))
    };
    t.ok_or_else(|| format!("{i} is out of range"))
}

fn epoch_float(f: f64) -> Result<DateTime<Utc>, String> {
    if !f.is_finite() || f.abs() >= 1e12 {
        return Err(format!("{f} is not a Unix time in seconds"));
    }
    let ms = (f * 1000.0).round() as i64;
    DateTime::from_timestamp_millis(ms).ok_or_else(|| format!("{f} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(s, 0).unwrap()
    }

    #[test]
    fn original_shape() {
        let s = parse_sample(br#"{"circuitId":"C1","timestamp":"2024-05-01T12:00:00Z","usage":950000000,"direction":"in","extra":1}"#).unwrap();
        assert_eq!(s.circuit, CircuitRef::Id("C1".into()));
        assert_eq!(s.ts, t(1_714_564_800));
        assert_eq!((s.in_bps, s.out_bps), (Some(950e6), None));
    }

    #[test]
    fn timestamp_units() {
        for (v, want) in [
            ("1714564800", t(1_714_564_800)),
            ("1714564800000", t(1_714_564_800)),
            ("1714564800000000", t(1_714_564_800)),
            ("1714564800000000000", t(1_714_564_800)),
            (
                "1714564800.5",
                DateTime::from_timestamp_millis(1_714_564_800_500).unwrap(),
            ),
            ("\"2024-05-01T14:00:00+02:00\"", t(1_714_564_800)),
            ("\"1714564800\"", t(1_714_564_800)),
        ] {
            let body =
                format!(r#"{{"circuitId":"C","timestamp":{v},"usage":"1","direction":"OUT"}}"#);
            let s = parse_sample(body.as_bytes()).unwrap();
            assert_eq!(s.ts, want, "{v}");
            assert_eq!(s.out_bps, Some(1.0));
        }
    }

    #[test]
    fn batch_keeps_good_samples() {
        let body = br#"[
            {"circuitId":"A","timestamp":1714564800,"usage":1,"direction":"in"},
            {"circuitId":"","timestamp":1714564800,"usage":1,"direction":"in"},
            {"circuitId":"B","timestamp":"yesterday","usage":1,"direction":"in"},
            {"circuitId":"B","timestamp":1714564800,"usage":-1,"direction":"in"},
            {"circuitId":"B","timestamp":1714564800,"usage":1,"direction":"sideways"},
            {"circuitId":"B","timestamp":1714564800,"usage":1},
            7,
            {"circuitId":42,"timestamp":1714564800,"usage":2,"direction":"tx"}
        ]"#;
        let b = parse_batch(body).unwrap();
        assert_eq!(b.readings.len(), 2);
        assert_eq!(b.readings[1].circuit(), &CircuitRef::Id("42".into()));
        let fields: Vec<(usize, &str)> = b
            .errors
            .iter()
            .map(|e| match e {
                Error::BadSample { index, field, .. } => (*index, *field),
                other => panic!("{other}"),
            })
            .collect();
        assert_eq!(
            fields,
            vec![
                (1, "circuitId"),
                (2, "timestamp"),
                (3, "usage"),
                (4, "direction"),
                (5, "direction"),
                (6, "sample")
            ]
        );
        assert_eq!(
            b.errors[3].to_string(),
            "sample 4: direction: \"sideways\" is not in or out"
        );
    }

    #[test]
    fn encode_round_trips() {
        let s = Sample::new(
            "C1",
            DateTime::from_timestamp_millis(1_714_564_800_250).unwrap(),
            5e8,
            1e6,
        );
        let v = encode_sample(&s);
        assert_eq!(
            v[0].to_string(),
            r#"{"circuitId":"C1","direction":"in","timestamp":"2024-05-01T12:00:00.250Z","usage":500000000.0}"#
        );
        let body = serde_json::to_vec(&v).unwrap();
        let b = parse_batch(&body).unwrap();
        assert_eq!(b.readings.len(), 2);
        let Reading::Rates(back) = &b.readings[1] else {
            panic!()
        };
        assert_eq!((back.ts, back.out_bps), (s.ts, Some(1e6)));
    }

    #[test]
    fn bodies_that_are_not_json() {
        assert!(matches!(parse_batch(b"{\"a\":1}"), Err(Error::Json { .. })));
        assert!(matches!(parse_batch(b"[1,"), Err(Error::Json { .. })));
        assert!(matches!(parse_sample(b"nope"), Err(Error::Json { .. })));
    }
}
