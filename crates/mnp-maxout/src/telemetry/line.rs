//! InfluxDB line protocol, as Telegraf writes it to `POST /api/v1/write`.
//!
//! ```text
//! interface,circuit=C1,device=r1,port=xe-0/0/1 in_bps=1.2e9,out_bps=3e8 1700000000000000000
//! interface,device=r1,port=xe-0/0/2 ifHCInOctets=123456789i,ifHCOutOctets=42i,ifHighSpeed=10000i 1700000000000000000
//! ```
//!
//! # What is read
//! * **Circuit**: tag `circuit`; without it, tags `device` (or `agent_host`,
//!   Telegraf's SNMP agent) and `port` (or `ifName`) → [`CircuitRef::Port`],
//!   for the caller to map through `EquipmentPortToCircuit`.
//! * **Rates**: fields `in_bps`, `out_bps` (float, integer `i` or unsigned
//!   `u`; finite, ≥ 0).
//! * **Counters**: `ifHCInOctets` / `ifHCOutOctets` (64-bit) and
//!   `ifInOctets` / `ifOutOctets` (32-bit), integers only; the 64-bit field
//!   wins when both are present. `ifHighSpeed` (Mbit/s) or `ifSpeed`
//!   (bit/s; 4294967295 means "faster", ignored) give the port speed used
//!   for reset detection.
//! * **Timestamp**: optional integer in the request's [`Precision`]
//!   (nanoseconds by default, like InfluxDB); a line without one takes the
//!   `now` passed in.
//!
//! The measurement name is not checked. Lines with none of the fields above
//! are counted in [`Batch::skipped`] (Telegraf sends many measurements);
//! lines with one of them that is unusable are errors, one per line, and do
//! not affect the other lines. Blank lines and `#` comments are ignored;
//! `\r\n` endings are accepted. Escapes follow the InfluxDB spec (`\,`,
//! `\=`, `\ ` in keys and tag values; `\"` and `\\` in string fields).

use chrono::{DateTime, Utc};

use super::{Batch, CircuitRef, Counter, CounterSample, CounterWidth, Reading, Sample, valid_rate};
use crate::error::{Error, clip};

/// Unit of the timestamps in a write request (`?precision=` in InfluxDB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// `ns` (the default).
    #[default]
    Nanoseconds,
    /// `us` (also `u`).
    Microseconds,
    /// `ms`.
    Milliseconds,
    /// `s`.
    Seconds,
}

impl Precision {
    fn nanos(self) -> i64 {
        match self {
            Precision::Nanoseconds => 1,
            Precision::Microseconds => 1_000,
            Precision::Milliseconds => 1_000_000,
            Precision::Seconds => 1_000_000_000,
        }
    }
}

impl std::str::FromStr for Precision {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ns" | "n" => Ok(Precision::Nanoseconds),
            "us" | "u" | "µs" => Ok(Precision::Microseconds),
            "ms" => Ok(Precision::Milliseconds),
            "s" => Ok(Precision::Seconds),
            other => Err(format!("unknown precision {other:?} (use ns, us, ms or s)")),
        }
    }
}

/// Appends a reading as one line of line protocol (measurement `interface`,
/// nanosecond timestamp, `\n`-terminated), the way Telegraf would send it:
/// rates as `in_bps`/`out_bps` floats; counters as `ifHCInOctets` /
/// `ifHCOutOctets` (64-bit) or `ifInOctets` / `ifOutOctets` (32-bit)
/// integers, with `ifHighSpeed` (Mbit/s) when the port speed is known.
/// A reading without any value writes nothing.
pub fn encode(r: &Reading, out: &mut String) {
    use std::fmt::Write as _;
    let mut fields: Vec<String> = Vec::with_capacity(3);
    let (circuit, ts) = match r {
        Reading::Rates(s) => {
            if let Some(v) = s.in_bps {
                fields.push(format!("in_bps={v}"));
            }
            if let Some(v) = s.out_bps {
                fields.push(format!("out_bps={v}"));
            }
            (&s.circuit, s.ts)
        }
        Reading::Counters(c) => {
            let int = |v: u64| {
                if i64::try_from(v).is_ok() {
                    format!("{v}i")
                } else {
                    format!("{v}u")
                }
            };
            for (counter, hc, low) in [
                (c.in_octets, "ifHCInOctets", "ifInOctets"),
                (c.out_octets, "ifHCOutOctets", "ifOutOctets"),
            ] {
                if let Some(k) = counter {
                    let name = if k.width == CounterWidth::Bits64 {
                        hc
                    } else {
                        low
                    };
                    fields.push(format!("{name}={}", int(k.value)));
                }
            }
            if let Some(l) = c.link_bps.filter(|&l| l >= 1_000_000 && !fields.is_empty()) {
                fields.push(format!("ifHighSpeed={}", int(l / 1_000_000)));
            }
            (&c.circuit, c.ts)
        }
    };
    if fields.is_empty() {
        return;
    }
    out.push_str("interface");
    match circuit {
        CircuitRef::Id(id) => {
            out.push_str(",circuit=");
            out.push_str(&escape_tag(id));
        }
        CircuitRef::Port { device, port } => {
            out.push_str(",device=");
            out.push_str(&escape_tag(device));
            out.push_str(",port=");
            out.push_str(&escape_tag(port));
        }
    }
    let ns = ts.timestamp_nanos_opt().unwrap_or_default();
    let _ = writeln!(out, " {} {ns}", fields.join(","));
}

/// Escapes a tag key or value (`,`, `=`, space and backslash).
fn escape_tag(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        // Line protocol has no escape for line breaks: they become spaces.
        let c = if c == '\n' || c == '\r' { ' ' } else { c };
        if matches!(c, ',' | '=' | ' ' | '\\') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// A typed field value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Float(f64),
    Int(i64),
    UInt(u64),
    Bool,
    Str,
}

/// Parses a whole request body. Invalid UTF-8 is an error of the line it is in.
pub fn parse_bytes(body: &[u8], precision: Precision, now: DateTime<Utc>) -> Batch {
    let mut batch = Batch::default();
    for (i, raw) in body.split(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        match std::str::from_utf8(raw) {
            Ok(text) => parse_into(&mut batch, line_no, text, precision, now),
            Err(_) => batch.errors.push(Error::Syntax {
                line: line_no,
                reason: "not valid UTF-8".into(),
            }),
        }
    }
    batch
}

/// Parses a body that is already text.
pub fn parse(body: &str, precision: Precision, now: DateTime<Utc>) -> Batch {
    let mut batch = Batch::default();
    for (i, text) in body.split('\n').enumerate() {
        parse_into(&mut batch, i + 1, text, precision, now);
    }
    batch
}

fn parse_into(
    batch: &mut Batch,
    line_no: usize,
    text: &str,
    precision: Precision,
    now: DateTime<Utc>,
) {
    let text = text.strip_suffix('\r').unwrap_or(text);
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return;
    }
    match parse_line(line_no, trimmed, precision, now) {
        Ok(readings) if readings.is_empty() => batch.skipped += 1,
        Ok(readings) => batch.readings.extend(readings),
        Err(e) => batch.errors.push(e),
    }
}

/// Parses one line (1-based `line_no` is used in errors). An empty vector
/// means the line carries none of the fields we read.
pub fn parse_line(
    line_no: usize,
    text: &str,
    precision: Precision,
    now: DateTime<Utc>,
) -> Result<Vec<Reading>, Error> {
    let syntax = |reason: &str| Error::Syntax {
        line: line_no,
        reason: reason.to_string(),
    };
    let sections = split_unescaped(text, b' ', true);
    let mut parts = sections.into_iter().filter(|s| !s.is_empty());
    let key = parts.next().ok_or_else(|| syntax("empty line"))?;
    let fields = parts
        .next()
        .ok_or_else(|| syntax("no fields (expected `measurement,tags fields [timestamp]`)"))?;
    let stamp = parts.next();
    if parts.next().is_some() {
        return Err(syntax("unexpected text after the timestamp"));
    }
    if text.starts_with(' ') {
        return Err(syntax("line starts with a space"));
    }

    // Measurement and tags.
    let mut key_parts = split_unescaped(key, b',', false).into_iter();
    let measurement = key_parts.next().unwrap_or_default();
    if measurement.is_empty() {
        return Err(syntax("empty measurement name"));
    }
    let (mut circuit, mut device, mut port) = (None, None, None);
    for tag in key_parts {
        let (k, v) = split_kv(tag)
            .ok_or_else(|| syntax(&format!("tag {:?} is not key=value", clip(tag))))?;
        if k.is_empty() || v.is_empty() {
            return Err(syntax(&format!(
                "tag {:?} has an empty key or value",
                clip(tag)
            )));
        }
        match unescape(k).as_str() {
            "circuit" => circuit = Some(unescape(v)),
            "device" => device = Some(unescape(v)),
            "agent_host" => {
                device.get_or_insert_with(|| unescape(v));
            }
            "port" => port = Some(unescape(v)),
            "ifName" => {
                port.get_or_insert_with(|| unescape(v));
            }
            _ => {}
        }
    }

    // Fields.
    let mut in_bps = None;
    let mut out_bps = None;
    let (mut hc_in, mut hc_out, mut c32_in, mut c32_out) = (None, None, None, None);
    let (mut high_speed, mut speed) = (None, None);
    for field in split_unescaped(fields, b',', true) {
        let (k, v) = split_kv(field)
            .ok_or_else(|| syntax(&format!("field {:?} is not key=value", clip(field))))?;
        if k.is_empty() {
            return Err(syntax(&format!("field {:?} has an empty key", clip(field))));
        }
        let name = unescape(k);
        let bad = |reason: &str| Error::BadField {
            line: line_no,
            field: name.clone(),
            value: clip(v),
            reason: reason.to_string(),
        };
        let value = parse_value(v).map_err(&bad)?;
        match name.as_str() {
            "in_bps" => in_bps = Some(rate(&value).ok_or_else(|| bad("not a finite number ≥ 0"))?),
            "out_bps" => {
                out_bps = Some(rate(&value).ok_or_else(|| bad("not a finite number ≥ 0"))?)
            }
            "ifHCInOctets" => hc_in = Some(counter(&value, CounterWidth::Bits64).map_err(&bad)?),
            "ifHCOutOctets" => hc_out = Some(counter(&value, CounterWidth::Bits64).map_err(&bad)?),
            "ifInOctets" => c32_in = Some(counter(&value, CounterWidth::Bits32).map_err(&bad)?),
            "ifOutOctets" => c32_out = Some(counter(&value, CounterWidth::Bits32).map_err(&bad)?),
            "ifHighSpeed" => {
                high_speed = speed_value(&value).map(|mbps| mbps.saturating_mul(1_000_000))
            }
            "ifSpeed" => speed = speed_value(&value).filter(|&s| s != u64::from(u32::MAX)),
            _ => {}
        }
    }
    let in_octets = hc_in.or(c32_in);
    let out_octets = hc_out.or(c32_out);
    let has_rates = in_bps.is_some() || out_bps.is_some();
    let has_counters = in_octets.is_some() || out_octets.is_some();
    if !has_rates && !has_counters {
        return Ok(Vec::new());
    }

    let circuit = match (circuit, device, port) {
        (Some(c), _, _) => CircuitRef::Id(c),
        (None, Some(device), Some(port)) => CircuitRef::Port { device, port },
        _ => return Err(Error::NoCircuit { line: line_no }),
    };
    let ts = match stamp {
        None => now,
        Some(s) => parse_timestamp(s, precision).map_err(|reason| Error::BadTimestamp {
            line: line_no,
            value: clip(s),
            reason: reason.to_string(),
        })?,
    };

    let mut out = Vec::with_capacity(2);
    if has_rates {
        out.push(Reading::Rates(Sample {
            circuit: circuit.clone(),
            ts,
            in_bps,
            out_bps,
        }));
    }
    if has_counters {
        out.push(Reading::Counters(CounterSample {
            circuit,
            ts,
            in_octets,
            out_octets,
            link_bps: high_speed.filter(|&s| s > 0).or(speed.filter(|&s| s > 0)),
        }));
    }
    Ok(out)
}

fn parse_timestamp(s: &str, precision: Precision) -> Result<DateTime<Utc>, &'static str> {
    let n: i64 = s.parse().map_err(|_| "not an integer")?;
    let ns = n.checked_mul(precision.nanos()).ok_or("out of range")?;
    Ok(DateTime::from_timestamp_nanos(ns))
}

fn rate(v: &Value) -> Option<f64> {
    let f = match *v {
        Value::Float(f) => f,
        Value::Int(i) => i as f64,
        Value::UInt(u) => u as f64,
        Value::Bool | Value::Str => return None,
    };
    valid_rate(f).then_some(f)
}

fn counter(v: &Value, width: CounterWidth) -> Result<Counter, &'static str> {
    let raw = match *v {
        Value::Int(i) => u64::try_from(i).map_err(|_| "counter is negative")?,
        Value::UInt(u) => u,
        Value::Float(_) => return Err("counter must be an integer (suffix i or u)"),
        Value::Bool | Value::Str => return Err("counter must be an integer"),
    };
    Counter::new(raw, width).ok_or("value does not fit a 32-bit counter")
}

fn speed_value(v: &Value) -> Option<u64> {
    match *v {
        Value::Int(i) => u64::try_from(i).ok(),
        Value::UInt(u) => Some(u),
        Value::Float(f) if (0.0..1.8e19).contains(&f) => Some(f as u64),
        _ => None,
    }
}

fn parse_value(v: &str) -> Result<Value, &'static str> {
    if v.is_empty() {
        return Err("empty value");
    }
    if let Some(inner) = v.strip_prefix('"') {
        return if inner.ends_with('"') && !inner.ends_with("\\\"") || inner.ends_with("\\\\\"") {
            Ok(Value::Str)
        } else {
            Err("unterminated string")
        };
    }
    if let Some(num) = v.strip_suffix('i') {
        return num.parse().map(Value::Int).map_err(|_| "not an integer");
    }
    if let Some(num) = v.strip_suffix('u') {
        return num
            .parse()
            .map(Value::UInt)
            .map_err(|_| "not an unsigned integer");
    }
    match v {
        "t" | "T" | "true" | "True" | "TRUE" | "f" | "F" | "false" | "False" | "FALSE" => {
            return Ok(Value::Bool);
        }
        _ => {}
    }
    // Rust accepts "inf" and "NaN"; line protocol does not.
    if !v
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return Err("not a number");
    }
    match v.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Value::Float(f)),
        _ => Err("not a finite number"),
    }
}

/// Splits at `delim` bytes that are not escaped by a backslash (and, when
/// `quotes`, not inside a double-quoted string).
fn split_unescaped(s: &str, delim: u8, quotes: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    let mut in_quotes = false;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'"' if quotes => in_quotes = !in_quotes,
            _ if b == delim && !in_quotes => {
                // Delimiters are ASCII, so these are char boundaries.
                out.push(s.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or_default());
    out
}

/// Splits `key=value` at the first unescaped `=`.
fn split_kv(s: &str) -> Option<(&str, &str)> {
    let mut escaped = false;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if escaped {
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'=' {
            return Some((s.get(..i)?, s.get(i + 1..)?));
        }
    }
    None
}

/// Removes the backslash of `\,` `\=` `\ ` `\\` `\"`.
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && matches!(n, ',' | '=' | ' ' | '\\' | '"')
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn one(line: &str) -> Vec<Reading> {
        parse_line(1, line, Precision::Nanoseconds, now()).unwrap()
    }

    #[test]
    fn telegraf_rates() {
        let r = one(
            "interface,circuit=C1,device=r1,port=xe-0/0/1 in_bps=1.2e9,out_bps=3e8 1700000000000000000",
        );
        assert_eq!(
            r,
            vec![Reading::Rates(Sample {
                circuit: CircuitRef::Id("C1".into()),
                ts: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                in_bps: Some(1.2e9),
                out_bps: Some(3e8),
            })]
        );
    }

    #[test]
    fn counters_by_port_with_speed() {
        let r = one(
            "interface,agent_host=r1,ifName=xe-0/0/2 ifHCInOctets=123i,ifHCOutOctets=42u,ifHighSpeed=10000i,ifDescr=\"uplink, a b\" 1700000000000000000",
        );
        let Reading::Counters(c) = &r[0] else {
            panic!("{r:?}")
        };
        assert_eq!(
            c.circuit,
            CircuitRef::Port {
                device: "r1".into(),
                port: "xe-0/0/2".into()
            }
        );
        assert_eq!(c.in_octets, Counter::new(123, CounterWidth::Bits64));
        assert_eq!(c.out_octets, Counter::new(42, CounterWidth::Bits64));
        assert_eq!(c.link_bps, Some(10_000_000_000));
    }

    #[test]
    fn counter32_and_hc_preference() {
        let r = one("if,circuit=C2 ifInOctets=7i,ifHCInOctets=9i,ifOutOctets=8i 1");
        let Reading::Counters(c) = &r[0] else {
            panic!()
        };
        assert_eq!(c.in_octets, Counter::new(9, CounterWidth::Bits64));
        assert_eq!(c.out_octets, Counter::new(8, CounterWidth::Bits32));
        let e = parse_line(
            4,
            "if,circuit=C2 ifInOctets=4294967296i 1",
            Precision::Nanoseconds,
            now(),
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::BadField { line: 4, ref field, .. } if field == "ifInOctets"),
            "{e}"
        );
    }

    #[test]
    fn escapes_in_tags() {
        let r = one(r"interface,circuit=ACME\ C1\,x\=y in_bps=1i");
        assert_eq!(r[0].circuit(), &CircuitRef::Id("ACME C1,x=y".into()));
        assert_eq!(r[0].ts(), now());
    }

    #[test]
    fn precision() {
        let b = parse("m,circuit=C in_bps=1 1700000000", Precision::Seconds, now());
        assert_eq!(
            b.readings[0].ts(),
            DateTime::from_timestamp(1_700_000_000, 0).unwrap()
        );
        let b = parse(
            "m,circuit=C in_bps=1 99999999999999999",
            Precision::Seconds,
            now(),
        );
        assert!(matches!(b.errors[0], Error::BadTimestamp { line: 1, .. }));
    }

    #[test]
    fn skipped_and_errors_keep_good_lines() {
        let body = "# comment\r\ncpu,host=x usage_idle=99 1\r\n\r\nm,circuit=A in_bps=5 2\nm,circuit=B in_bps=-5 3\nm in_bps=1 4\nm,circuit=C in_bps=1 x\nm,circuit=D in_bps=inf 5\nm,circuit=E\n";
        let b = parse(body, Precision::Nanoseconds, now());
        assert_eq!(b.skipped, 1);
        assert_eq!(b.readings.len(), 1);
        assert_eq!(b.readings[0].circuit(), &CircuitRef::Id("A".into()));
        let lines: Vec<usize> = b.errors.iter().filter_map(Error::position).collect();
        assert_eq!(lines, vec![5, 6, 7, 8, 9]);
        assert!(matches!(b.errors[1], Error::NoCircuit { line: 6 }));
        assert!(
            b.errors[0].to_string().starts_with("line 5: field in_bps"),
            "{}",
            b.errors[0]
        );
    }

    #[test]
    fn bytes_with_bad_utf8() {
        let b = parse_bytes(
            b"m,circuit=A in_bps=1 1\n\xff\xfe\n",
            Precision::Nanoseconds,
            now(),
        );
        assert_eq!(b.readings.len(), 1);
        assert!(matches!(b.errors[0], Error::Syntax { line: 2, .. }));
    }

    #[test]
    fn encode_round_trips() {
        let ts = DateTime::from_timestamp(1_700_000_000, 5).unwrap();
        let rates = Reading::Rates(Sample {
            circuit: CircuitRef::Id("A B,c=d".into()),
            ts,
            in_bps: Some(1.5e9),
            out_bps: None,
        });
        let counters = Reading::Counters(CounterSample {
            circuit: CircuitRef::Port {
                device: "r1".into(),
                port: "xe-0/0/1".into(),
            },
            ts,
            in_octets: Counter::new(u64::MAX, CounterWidth::Bits64),
            out_octets: Counter::new(7, CounterWidth::Bits32),
            link_bps: Some(10_000_000_000),
        });
        let mut nl = String::new();
        encode(&Reading::Rates(Sample::new("a\nb", ts, 1.0, 1.0)), &mut nl);
        assert!(
            nl.starts_with("interface,circuit=a\\ b in_bps=1,out_bps=1 "),
            "{nl}"
        );
        let mut body = String::new();
        encode(&rates, &mut body);
        encode(&counters, &mut body);
        assert_eq!(
            body,
            "interface,circuit=A\\ B\\,c\\=d in_bps=1500000000 1700000000000000005\n\
             interface,device=r1,port=xe-0/0/1 ifHCInOctets=18446744073709551615u,ifOutOctets=7i,ifHighSpeed=10000i 1700000000000000005\n"
        );
        let b = parse(&body, Precision::Nanoseconds, ts);
        assert!(b.errors.is_empty(), "{:?}", b.errors);
        assert_eq!(b.readings, vec![rates, counters]);
    }

    #[test]
    fn values() {
        assert_eq!(parse_value("1.5"), Ok(Value::Float(1.5)));
        assert_eq!(parse_value("-3i"), Ok(Value::Int(-3)));
        assert_eq!(parse_value("3u"), Ok(Value::UInt(3)));
        assert_eq!(parse_value("true"), Ok(Value::Bool));
        assert_eq!(parse_value("\"a\\\"b\""), Ok(Value::Str));
        assert!(parse_value("\"open").is_err());
        assert!(parse_value("NaN").is_err());
        assert!(parse_value("1e999").is_err());
    }

    #[test]
    fn trailing_garbage_and_leading_space() {
        assert!(parse_line(1, "m,circuit=A in_bps=1 1 2", Precision::Nanoseconds, now()).is_err());
        assert!(
            parse_line(
                1,
                "m,circuit=A,bad in_bps=1 1",
                Precision::Nanoseconds,
                now()
            )
            .is_err()
        );
        assert!(parse_line(1, "m,circuit=A", Precision::Nanoseconds, now()).is_err());
    }
}
