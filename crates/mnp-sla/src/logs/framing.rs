//! The envelope of one log line: RFC 3164, RFC 5424, the ISO file format
//! of rsyslog/syslog-ng, and JSON lines. Family parsers see only the
//! [`SyslogMessage`] this produces.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;

use super::{LineError, LinkState, re};

/// Which syslog framing a line used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    /// BSD syslog, `<PRI>Mmm dd hh:mm:ss host msg` (PRI optional).
    Rfc3164,
    /// `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
    Rfc5424,
    /// `2024-05-01T10:00:00.123+02:00 host msg` (rsyslog / syslog-ng
    /// high-precision file format; PRI optional).
    IsoFile,
}

/// One framed syslog record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogMessage<'a> {
    /// The framing it was read with.
    pub framing: Framing,
    /// The PRI value, when the line has one.
    pub priority: Option<u8>,
    /// Header timestamp in UTC (zone-less ones read in the default zone).
    pub ts: DateTime<Utc>,
    /// HOSTNAME as written: the device.
    pub host: &'a str,
    /// RFC 5424 APP-NAME, or the RFC 3164 TAG (`mib2d` of `mib2d[1234]:`)
    /// when the message starts with one.
    pub app: Option<&'a str>,
    /// RFC 5424 MSGID (`SNMP_TRAP_LINK_DOWN` for Junos structured logs).
    pub msgid: Option<&'a str>,
    /// RFC 5424 STRUCTURED-DATA as written (`[id k="v"]…`), if any.
    pub structured_data: Option<&'a str>,
    /// The message. For RFC 3164 and the ISO file format it is everything
    /// after the host, TAG included (a TAG cannot be told from a mnemonic
    /// such as `SNMP_TRAP_LINK_DOWN:` by its form); for RFC 5424 it is MSG.
    pub text: &'a str,
}

/// Tracks the year of RFC 3164 lines (see the module docs of `logs`).
#[derive(Debug, Clone)]
pub(crate) struct YearTracker {
    year: i32,
    last_month: Option<u32>,
}

impl YearTracker {
    pub(crate) fn new(year: i32) -> Self {
        YearTracker {
            year,
            last_month: None,
        }
    }

    /// The year of a line in `month` (1..=12), updating the state.
    pub(crate) fn year_for(&mut self, month: u32) -> i32 {
        match self.last_month {
            Some(last) if last > month + 6 => {
                self.year = self.year.saturating_add(1);
                self.last_month = Some(month);
                self.year
            }
            // A late line from last year: it does not move the current year.
            Some(last) if month > last + 6 => self.year.saturating_sub(1),
            _ => {
                self.last_month = Some(month);
                self.year
            }
        }
    }
}

static RFC3164: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"^([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{4})\s+)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s+(\S+)(?:\s+(.*))?$",
    )
});
static ISO_FILE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^(\d{4}-\d{2}-\d{2}[T ]\S+)\s+(\S+)(?:\s+(.*))?$"));
static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^([A-Za-z0-9_./-]+)(?:\[[^\]\s]*\])?:"));

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn framing_error(reason: impl Into<String>) -> LineError {
    LineError::Framing {
        reason: reason.into(),
    }
}

fn bad_ts(value: &str, reason: impl Into<String>) -> LineError {
    LineError::Timestamp {
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// Read the envelope of a trimmed, non-blank, non-JSON line.
pub(crate) fn parse_syslog<'a>(
    line: &'a str,
    zone: Tz,
    years: &mut YearTracker,
) -> Result<SyslogMessage<'a>, LineError> {
    let (priority, rest) = parse_pri(line)?;
    if priority.is_some()
        && let Some(r) = rest.strip_prefix("1 ")
    {
        return parse_5424(priority, r, zone);
    }
    let b = rest.as_bytes();
    if b.len() > 5 && b.iter().take(4).all(u8::is_ascii_digit) && b.get(4) == Some(&b'-') {
        return parse_iso_file(priority, rest, zone);
    }
    parse_3164(priority, rest, zone, years)
}

fn parse_pri(line: &str) -> Result<(Option<u8>, &str), LineError> {
    let Some(after) = line.strip_prefix('<') else {
        return Ok((None, line));
    };
    let Some((digits, rest)) = after.split_once('>') else {
        return Err(framing_error("'<' without a closing '>'"));
    };
    let pri =
        (!digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse::<u8>().ok())
            .flatten()
            .filter(|p| *p <= 191)
            .ok_or_else(|| framing_error(format!("bad PRI <{digits}>")))?;
    Ok((Some(pri), rest))
}

/// A host must be present and not be the message itself (a line whose
/// daemon wrote no host starts with the mnemonic).
fn check_host(host: &str) -> Result<&str, LineError> {
    let host = host.strip_suffix(':').unwrap_or(host);
    if host.is_empty() || host.starts_with('%') {
        return Err(LineError::MissingField { field: "host" });
    }
    Ok(host)
}

fn tag_of(text: &str) -> Option<&str> {
    TAG.as_ref()?
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

fn parse_3164<'a>(
    priority: Option<u8>,
    rest: &'a str,
    zone: Tz,
    years: &mut YearTracker,
) -> Result<SyslogMessage<'a>, LineError> {
    let rx = RFC3164
        .as_ref()
        .ok_or_else(|| framing_error("internal: header pattern"))?;
    let Some(c) = rx.captures(rest) else {
        return Err(framing_error(
            "expected an RFC 3164 `Mmm dd hh:mm:ss host` or RFC 5424 header",
        ));
    };
    let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
    let stamp = rest
        .get(..c.get(8).map_or(0, |m| m.start()))
        .unwrap_or("")
        .trim();
    let mon = g(1).to_ascii_lowercase();
    let month = MONTHS
        .iter()
        .position(|m| *m == mon)
        .and_then(|i| u32::try_from(i + 1).ok())
        .ok_or_else(|| bad_ts(stamp, format!("unknown month {:?}", g(1))))?;
    let num = |i: usize| g(i).parse::<u32>().unwrap_or(u32::MAX);
    let nanos = match c.get(7) {
        Some(f) => {
            let s = f.as_str();
            let n: u32 = s.parse().unwrap_or(0);
            let scale = 10u32.pow(9u32.saturating_sub(u32::try_from(s.len()).unwrap_or(9)));
            n.saturating_mul(scale)
        }
        None => 0,
    };
    let time = NaiveTime::from_hms_nano_opt(num(4), num(5), num(6), nanos)
        .ok_or_else(|| bad_ts(stamp, "no such time of day"))?;
    let year = match c.get(3) {
        Some(y) => y.as_str().parse::<i32>().unwrap_or(i32::MAX),
        None => years.year_for(month),
    };
    let date = NaiveDate::from_ymd_opt(year, month, num(2))
        .ok_or_else(|| bad_ts(stamp, format!("no such day in {year}")))?;
    let ts = localize(date.and_time(time), zone).map_err(|r| bad_ts(stamp, r))?;
    let host = check_host(g(8))?;
    let text = g(9).trim();
    Ok(SyslogMessage {
        framing: Framing::Rfc3164,
        priority,
        ts,
        host,
        app: tag_of(text),
        msgid: None,
        structured_data: None,
        text,
    })
}

fn parse_iso_file<'a>(
    priority: Option<u8>,
    rest: &'a str,
    zone: Tz,
) -> Result<SyslogMessage<'a>, LineError> {
    let rx = ISO_FILE
        .as_ref()
        .ok_or_else(|| framing_error("internal: header pattern"))?;
    let Some(c) = rx.captures(rest) else {
        return Err(framing_error("expected `TIMESTAMP host message`"));
    };
    let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
    let ts = parse_iso(g(1), zone).map_err(|r| bad_ts(g(1), r))?;
    let host = check_host(g(2))?;
    let text = g(3).trim();
    Ok(SyslogMessage {
        framing: Framing::IsoFile,
        priority,
        ts,
        host,
        app: tag_of(text),
        msgid: None,
        structured_data: None,
        text,
    })
}

/// Next space-separated RFC 5424 header field (runs of spaces tolerated).
fn field(s: &str) -> (&str, &str) {
    let s = s.trim_start_matches(' ');
    s.split_once(' ').unwrap_or((s, ""))
}

fn nil(s: &str) -> Option<&str> {
    (s != "-" && !s.is_empty()).then_some(s)
}

fn parse_5424(priority: Option<u8>, r: &str, zone: Tz) -> Result<SyslogMessage<'_>, LineError> {
    let (stamp, r) = field(r);
    let (host, r) = field(r);
    let (app, r) = field(r);
    let (_procid, r) = field(r);
    let (msgid, r) = field(r);
    if stamp == "-" || stamp.is_empty() {
        return Err(bad_ts(stamp, "no timestamp (nil)"));
    }
    let ts = parse_iso(stamp, zone).map_err(|e| bad_ts(stamp, e))?;
    let host = nil(host).ok_or(LineError::MissingField { field: "host" })?;
    let host = check_host(host)?;
    let r = r.trim_start_matches(' ');
    let (sd, msg) = if let Some(m) = r.strip_prefix('-') {
        (None, m)
    } else if r.starts_with('[') {
        let end = structured_data_end(r)?;
        (r.get(..end), r.get(end..).unwrap_or(""))
    } else if r.is_empty() {
        (None, "")
    } else {
        return Err(framing_error(
            "RFC 5424 structured data must be '-' or start with '['",
        ));
    };
    let msg = msg.trim().trim_start_matches('\u{feff}').trim_start();
    Ok(SyslogMessage {
        framing: Framing::Rfc5424,
        priority,
        ts,
        host,
        app: nil(app),
        msgid: nil(msgid),
        structured_data: sd,
        text: msg,
    })
}

/// Byte offset just past the last SD-ELEMENT at the start of `s` (which
/// starts with `[`). Inside quoted PARAM-VALUEs, `\"`, `\\` and `\]` are
/// escapes and `]` does not close the element.
fn structured_data_end(s: &str) -> Result<usize, LineError> {
    let b = s.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        i += 1;
        let mut quoted = false;
        loop {
            let Some(&c) = b.get(i) else {
                return Err(framing_error("unterminated RFC 5424 structured data"));
            };
            i += 1;
            if quoted {
                match c {
                    b'\\' => i += 1,
                    b'"' => quoted = false,
                    _ => {}
                }
            } else if c == b'"' {
                quoted = true;
            } else if c == b']' {
                break;
            }
        }
    }
    Ok(i.min(b.len()))
}

/// An ISO 8601 / RFC 3339 timestamp, `T` or space between date and time,
/// offset `Z`, `+hh:mm` or `+hhmm`, or no zone at all (read in `zone`).
pub(crate) fn parse_iso(s: &str, zone: Tz) -> Result<DateTime<Utc>, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.to_utc());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Ok(d.to_utc());
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return localize(n, zone);
        }
    }
    Err("expected an ISO 8601 date and time".into())
}

/// A zone-less local time in `zone`: the earlier instant when it occurs
/// twice, an error when it does not occur (DST gap).
pub(crate) fn localize(n: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    match zone.from_local_datetime(&n) {
        chrono::LocalResult::Single(d) => Ok(d.to_utc()),
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.to_utc()),
        chrono::LocalResult::None => Err(format!(
            "{n} does not exist in {} (daylight-saving gap)",
            zone.name()
        )),
    }
}

/// A JSON line, decoded.
pub(crate) struct JsonEvent {
    pub(crate) device: String,
    pub(crate) port: String,
    pub(crate) state: LinkState,
    pub(crate) ts: DateTime<Utc>,
}

fn json_str<'v>(
    obj: &'v serde_json::Map<String, serde_json::Value>,
    field: &'static str,
) -> Result<&'v str, LineError> {
    match obj.get(field) {
        None | Some(serde_json::Value::Null) => Err(LineError::MissingField { field }),
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        Some(v) => Err(LineError::BadValue {
            field,
            value: v.to_string(),
            reason: "expected a non-empty string".into(),
        }),
    }
}

/// `{"device", "port", "state", "ts"}`; other fields are ignored.
pub(crate) fn parse_json(line: &str, zone: Tz) -> Result<JsonEvent, LineError> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| LineError::Json {
        reason: e.to_string(),
    })?;
    let serde_json::Value::Object(obj) = v else {
        return Err(LineError::Json {
            reason: "expected an object".into(),
        });
    };
    let device = json_str(&obj, "device")?.to_string();
    let port = json_str(&obj, "port")?.to_string();
    let state_s = json_str(&obj, "state")?;
    let state = state_s
        .parse::<LinkState>()
        .map_err(|reason| LineError::BadValue {
            field: "state",
            value: state_s.to_string(),
            reason,
        })?;
    let ts = match obj.get("ts") {
        None | Some(serde_json::Value::Null) => {
            return Err(LineError::MissingField { field: "ts" });
        }
        Some(serde_json::Value::String(s)) => {
            parse_iso(s.trim(), zone).map_err(|r| bad_ts(s, r))?
        }
        Some(serde_json::Value::Number(n)) => unix(n).ok_or_else(|| LineError::BadValue {
            field: "ts",
            value: n.to_string(),
            reason: "Unix seconds out of range".into(),
        })?,
        Some(v) => {
            return Err(LineError::BadValue {
                field: "ts",
                value: v.to_string(),
                reason: "expected an ISO 8601 string or Unix seconds".into(),
            });
        }
    };
    Ok(JsonEvent {
        device,
        port,
        state,
        ts,
    })
}

fn unix(n: &serde_json::Number) -> Option<DateTime<Utc>> {
    if let Some(i) = n.as_i64() {
        return DateTime::from_timestamp(i, 0);
    }
    let f = n.as_f64()?;
    if !f.is_finite() || f.abs() > 1e15 {
        return None;
    }
    let secs = f.floor();
    // Both fit: |secs| <= 1e15 and the fraction is in [0, 1).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (s, ns) = (
        secs as i64,
        ((f - secs) * 1e9).round().min(999_999_999.0) as u32,
    );
    DateTime::from_timestamp(s, ns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    fn syslog(line: &str, zone: Tz) -> Result<SyslogMessage<'_>, LineError> {
        parse_syslog(line, zone, &mut YearTracker::new(2024))
    }

    #[test]
    fn rfc3164_with_and_without_pri() {
        let m = syslog(
            "<187>May  1 10:00:00 rtr1 %LINK-3-UPDOWN: Interface Gi0/1, changed state to down",
            chrono_tz::Europe::Berlin,
        )
        .unwrap();
        assert_eq!(m.framing, Framing::Rfc3164);
        assert_eq!(m.priority, Some(187));
        assert_eq!(m.host, "rtr1");
        assert_eq!(m.app, None);
        assert_eq!(m.ts, utc(2024, 5, 1, 8, 0, 0));
        assert!(m.text.starts_with("%LINK-3-UPDOWN"));

        let m = syslog(
            "Jan 09 23:59:59.250 mx1 mib2d[1234]: SNMP_TRAP_LINK_UP: x",
            chrono_tz::UTC,
        )
        .unwrap();
        assert_eq!(m.priority, None);
        assert_eq!(m.app, Some("mib2d"));
        assert_eq!(m.text, "mib2d[1234]: SNMP_TRAP_LINK_UP: x");
        assert_eq!(
            m.ts,
            utc(2024, 1, 9, 23, 59, 59) + chrono::TimeDelta::milliseconds(250)
        );
    }

    #[test]
    fn rfc3164_header_with_a_year_is_taken_as_written() {
        let m = syslog("<189>Dec 31 2023 23:00:00 r1 x", chrono_tz::UTC).unwrap();
        assert_eq!(m.ts, utc(2023, 12, 31, 23, 0, 0));
    }

    #[test]
    fn rfc3164_errors() {
        let z = chrono_tz::UTC;
        assert!(matches!(
            syslog("hello world", z),
            Err(LineError::Framing { .. })
        ));
        assert!(matches!(
            syslog("<999>May  1 10:00:00 r1 x", z),
            Err(LineError::Framing { .. })
        ));
        assert!(matches!(
            syslog("<12 May", z),
            Err(LineError::Framing { .. })
        ));
        assert!(matches!(
            syslog("Foo  1 10:00:00 r1 x", z),
            Err(LineError::Timestamp { .. })
        ));
        assert!(matches!(
            syslog("Feb 30 10:00:00 r1 x", z),
            Err(LineError::Timestamp { .. })
        ));
        assert!(matches!(
            syslog("May  1 25:00:00 r1 x", z),
            Err(LineError::Timestamp { .. })
        ));
        assert_eq!(
            syslog(
                "May  1 10:00:00 %LINK-3-UPDOWN: Interface Gi0/1, changed state to up",
                z
            ),
            Err(LineError::MissingField { field: "host" })
        );
    }

    #[test]
    fn dst_gap_is_an_error_and_overlap_takes_the_earlier_instant() {
        let berlin = chrono_tz::Europe::Berlin;
        let e = syslog("Mar 31 02:30:00 r1 x", berlin).unwrap_err();
        assert!(matches!(e, LineError::Timestamp { .. }), "{e}");
        assert!(e.to_string().contains("daylight-saving gap"), "{e}");
        let m = syslog("Oct 27 02:30:00 r1 x", berlin).unwrap();
        assert_eq!(m.ts, utc(2024, 10, 27, 0, 30, 0));
    }

    #[test]
    fn year_rolls_over_at_new_year_and_late_lines_stay_behind() {
        let mut y = YearTracker::new(2023);
        assert_eq!(y.year_for(12), 2023);
        assert_eq!(y.year_for(1), 2024);
        assert_eq!(y.year_for(12), 2023); // late line
        assert_eq!(y.year_for(1), 2024);
        assert_eq!(y.year_for(2), 2024);
        assert_eq!(y.year_for(7), 2024);
        assert_eq!(y.year_for(1), 2024); // 7 -> 1 is not > 6 apart
    }

    #[test]
    fn rfc5424_fields_and_structured_data() {
        let line = r#"<28>1 2024-05-01T10:00:00.123+02:00 mx1 mib2d 1234 SNMP_TRAP_LINK_DOWN [junos@2636.1.1.1.2.21 interface-name="xe-0/0/1" note="a \"]\" b"][x@1 k="v"] ifIndex 520, ifName xe-0/0/1"#;
        let m = syslog(line, chrono_tz::UTC).unwrap();
        assert_eq!(m.framing, Framing::Rfc5424);
        assert_eq!(m.priority, Some(28));
        assert_eq!(m.host, "mx1");
        assert_eq!(m.app, Some("mib2d"));
        assert_eq!(m.msgid, Some("SNMP_TRAP_LINK_DOWN"));
        assert_eq!(
            m.structured_data,
            Some(
                r#"[junos@2636.1.1.1.2.21 interface-name="xe-0/0/1" note="a \"]\" b"][x@1 k="v"]"#
            )
        );
        assert_eq!(m.text, "ifIndex 520, ifName xe-0/0/1");
        assert_eq!(
            m.ts,
            utc(2024, 5, 1, 8, 0, 0) + chrono::TimeDelta::milliseconds(123)
        );

        let m = syslog(
            "<187>1 2024-05-01T10:00:00Z r1 - - - - \u{feff}hello",
            chrono_tz::UTC,
        )
        .unwrap();
        assert_eq!(m.app, None);
        assert_eq!(m.msgid, None);
        assert_eq!(m.structured_data, None);
        assert_eq!(m.text, "hello");
    }

    #[test]
    fn rfc5424_errors_and_zone_less_timestamps() {
        let z = chrono_tz::America::New_York;
        assert!(matches!(
            syslog("<187>1 - r1 app - - - x", z),
            Err(LineError::Timestamp { .. })
        ));
        assert_eq!(
            syslog("<187>1 2024-05-01T10:00:00Z - app - - - x", z),
            Err(LineError::MissingField { field: "host" })
        );
        assert!(matches!(
            syslog("<187>1 2024-05-01T10:00:00Z r1 app - - [x k=\"v\" msg", z),
            Err(LineError::Framing { .. })
        ));
        assert!(matches!(
            syslog("<187>1 2024-05-01T10:00:00Z r1 app - - oops", z),
            Err(LineError::Framing { .. })
        ));
        let m = syslog("<187>1 2024-05-01T10:00:00 r1 app - - - x", z).unwrap();
        assert_eq!(m.ts, utc(2024, 5, 1, 14, 0, 0));
    }

    #[test]
    fn iso_file_format() {
        let m = syslog(
            "2024-05-01T10:00:00.123456+02:00 leaf1 Ebra: %LINEPROTO-5-UPDOWN: x",
            chrono_tz::UTC,
        )
        .unwrap();
        assert_eq!(m.framing, Framing::IsoFile);
        assert_eq!(m.host, "leaf1");
        assert_eq!(m.app, Some("Ebra"));
        assert_eq!(
            m.ts,
            utc(2024, 5, 1, 8, 0, 0) + chrono::TimeDelta::microseconds(123_456)
        );
    }

    #[test]
    fn iso_timestamps() {
        let z = chrono_tz::Europe::Berlin;
        let want = utc(2024, 5, 1, 8, 0, 0);
        for s in [
            "2024-05-01T10:00:00+02:00",
            "2024-05-01 10:00:00+02:00",
            "2024-05-01T10:00:00+0200",
            "2024-05-01T08:00:00Z",
            "2024-05-01T10:00:00",
            "2024-05-01 10:00:00.000",
        ] {
            assert_eq!(parse_iso(s, z), Ok(want), "{s}");
        }
        assert!(parse_iso("2024-05-01", z).is_err());
        assert!(parse_iso("yesterday", z).is_err());
    }

    #[test]
    fn json_lines() {
        let z = chrono_tz::UTC;
        let j = parse_json(
            r#"{"device":"r1","port":"Gi0/1","state":"DOWN","ts":"2024-05-01T10:00:00Z","extra":1}"#,
            z,
        )
        .unwrap();
        assert_eq!((j.device.as_str(), j.port.as_str()), ("r1", "Gi0/1"));
        assert_eq!(j.state, LinkState::Down);
        assert_eq!(j.ts, utc(2024, 5, 1, 10, 0, 0));
        let j = parse_json(
            r#"{"device":"r1","port":"p","state":"up","ts":1714557600.5}"#,
            z,
        )
        .unwrap();
        assert_eq!(
            j.ts,
            utc(2024, 5, 1, 10, 0, 0) + chrono::TimeDelta::milliseconds(500)
        );
        let j = parse_json(
            r#"{"device":"r1","port":"p","state":"up","ts":1714557600}"#,
            z,
        )
        .unwrap();
        assert_eq!(j.ts, utc(2024, 5, 1, 10, 0, 0));

        let err = |l: &str| parse_json(l, z).err().unwrap();
        assert!(matches!(err("{"), LineError::Json { .. }));
        assert!(matches!(err("[1]"), LineError::Json { .. }));
        assert_eq!(
            err(r#"{"port":"p","state":"up","ts":1}"#),
            LineError::MissingField { field: "device" }
        );
        assert!(matches!(
            err(r#"{"device":"","port":"p","state":"up","ts":1}"#),
            LineError::BadValue {
                field: "device",
                ..
            }
        ));
        assert!(matches!(
            err(r#"{"device":"d","port":"p","state":"flapping","ts":1}"#),
            LineError::BadValue { field: "state", .. }
        ));
        assert_eq!(
            err(r#"{"device":"d","port":"p","state":"up"}"#),
            LineError::MissingField { field: "ts" }
        );
        assert!(matches!(
            err(r#"{"device":"d","port":"p","state":"up","ts":"soon"}"#),
            LineError::Timestamp { .. }
        ));
        assert!(matches!(
            err(r#"{"device":"d","port":"p","state":"up","ts":1e300}"#),
            LineError::BadValue { field: "ts", .. }
        ));
        assert!(matches!(
            err(r#"{"device":"d","port":"p","state":"up","ts":true}"#),
            LineError::BadValue { field: "ts", .. }
        ));
    }
}
