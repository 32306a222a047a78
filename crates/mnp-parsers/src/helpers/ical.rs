//! iCalendar (RFC 5545) reading, written with `nom`, enough for the BCOP
//! maintenance-notification profile and for vendors that attach calendars.
//!
//! Lines are unfolded first (a CRLF or LF followed by a space or tab
//! continues the previous line). Each content line is `NAME *(;PARAM=VALUE)
//! :VALUE`; lines that do not parse are skipped rather than failing the whole
//! calendar. Only `VEVENT` components are collected.
//!
//! Times: `...Z` is UTC; with `TZID=` the zone is looked up offline in
//! chrono-tz (IANA names, plus common Windows names); a **floating** time
//! (no `Z`, no `TZID`) is read as **UTC** on purpose — never the host's zone —
//! so results do not depend on where mnp runs. A `DATE` value is midnight UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use mnp_core::{Error, Result};
use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{take_while, take_while1},
    character::complete::char,
    combinator::rest,
    multi::{many0, separated_list1},
    sequence::{delimited, preceded},
};

use super::tz;

/// One content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Upper-case property name.
    pub name: String,
    /// Parameters (upper-case names, values unquoted; multi-values joined by `,`).
    pub params: Vec<(String, String)>,
    /// Raw value (not unescaped).
    pub value: String,
}

impl Property {
    /// A parameter value by (case-insensitive) name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The value as TEXT: backslash escapes undone.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }
}

/// A `VEVENT` with its properties in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// Properties in order of appearance.
    pub props: Vec<Property>,
}

impl Event {
    /// First property with this name.
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.props
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
    /// All properties with this name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.props
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
    }
    /// First property's TEXT value, trimmed (empty string when absent).
    pub fn text(&self, name: &str) -> String {
        self.get(name)
            .map(|p| p.text().trim().to_string())
            .unwrap_or_default()
    }
    /// A date-time property as UTC (see the module docs for the rules).
    pub fn datetime(&self, name: &'static str) -> Result<Option<DateTime<Utc>>> {
        match self.get(name) {
            None => Ok(None),
            Some(p) => parse_datetime(p.value.trim(), p.param("TZID"), name).map(Some),
        }
    }
}

/// A parsed calendar: its events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Properties outside any component (VERSION, PRODID, METHOD...).
    pub props: Vec<Property>,
    /// The `VEVENT`s.
    pub events: Vec<Event>,
}

/// Undo RFC 5545 line folding.
pub fn unfold(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    let mut out = String::with_capacity(s.len());
    let mut lines = s.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        if let Some(cont) = line.strip_prefix([' ', '\t']) {
            out.push_str(cont);
        } else {
            out.push('\n');
            out.push_str(line);
        }
    }
    out
}

fn name(i: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_').parse(i)
}

fn param_value(i: &str) -> IResult<&str, &str> {
    alt((
        delimited(char('"'), take_while(|c: char| c != '"'), char('"')),
        take_while(|c: char| c != ';' && c != ':' && c != ',' && c != '"'),
    ))
    .parse(i)
}

fn param(i: &str) -> IResult<&str, (&str, Vec<&str>)> {
    (
        preceded(char(';'), name),
        preceded(char('='), separated_list1(char(','), param_value)),
    )
        .parse(i)
}

type Line<'a> = (&'a str, Vec<(&'a str, Vec<&'a str>)>, &'a str);

fn content_line(i: &str) -> IResult<&str, Line<'_>> {
    (name, many0(param), preceded(char(':'), rest)).parse(i)
}

/// Parse one (unfolded) content line.
pub fn parse_line(line: &str) -> Option<Property> {
    let (_, (n, params, value)) = content_line(line.trim_end_matches('\r')).ok()?;
    Some(Property {
        name: n.to_ascii_uppercase(),
        params: params
            .into_iter()
            .map(|(k, v)| (k.to_ascii_uppercase(), v.join(",")))
            .collect(),
        value: value.to_string(),
    })
}

/// Parse a calendar text. Never fails: unreadable lines are skipped, an
/// unterminated `VEVENT` is kept.
pub fn parse(text: &str) -> Calendar {
    let unfolded = unfold(text);
    let mut cal = Calendar::default();
    let mut stack: Vec<String> = Vec::new();
    let mut current: Option<Event> = None;
    for line in unfolded.lines() {
        let Some(p) = parse_line(line) else { continue };
        match p.name.as_str() {
            "BEGIN" => {
                let comp = p.value.trim().to_ascii_uppercase();
                if comp == "VEVENT" && current.is_none() {
                    current = Some(Event::default());
                }
                stack.push(comp);
            }
            "END" => {
                let comp = p.value.trim().to_ascii_uppercase();
                if comp == "VEVENT"
                    && let Some(ev) = current.take()
                {
                    cal.events.push(ev);
                }
                if let Some(pos) = stack.iter().rposition(|c| *c == comp) {
                    stack.truncate(pos);
                }
            }
            _ => {
                // Properties of nested components (VALARM inside VEVENT) are not the event's.
                let inner = stack.last().map(|s| s.as_str());
                match (&mut current, inner) {
                    (Some(ev), Some("VEVENT")) => ev.props.push(p),
                    (None, Some("VCALENDAR")) | (None, None) => cal.props.push(p),
                    _ => {}
                }
            }
        }
    }
    if let Some(ev) = current.take() {
        cal.events.push(ev);
    }
    cal
}

/// Undo TEXT escapes (`\n`, `\,`, `\;`, `\\`).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parse an iCalendar DATE-TIME or DATE value to UTC.
pub fn parse_datetime(
    value: &str,
    tzid: Option<&str>,
    field: &'static str,
) -> Result<DateTime<Utc>> {
    let v = value.trim();
    let bad = |why: &str| Error::bad_value(field, v, why.to_string());
    if let Some(stripped) = v.strip_suffix(['Z', 'z']) {
        let naive = NaiveDateTime::parse_from_str(stripped, "%Y%m%dT%H%M%S")
            .map_err(|_| bad("not an iCalendar date-time"))?;
        return Ok(naive.and_utc());
    }
    let naive = match NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S") {
        Ok(n) => n,
        Err(_) => NaiveDate::parse_from_str(v, "%Y%m%d")
            .map_err(|_| bad("not an iCalendar date-time"))?
            .and_hms_opt(0, 0, 0)
            .ok_or_else(|| bad("invalid date"))?,
    };
    match tzid {
        // Floating time: UTC on purpose (see module docs).
        None => Ok(naive.and_utc()),
        Some(z) => {
            let zone = tz::zone_by_name(z.trim().trim_matches('"'))
                .ok_or_else(|| Error::bad_value(field, format!("TZID={z}"), "unknown time zone"))?;
            tz::localize(&zone, naive).ok_or_else(|| bad("time does not exist in that zone"))
        }
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

    #[test]
    fn unfolds_and_parses_params() {
        let cal = parse(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=OUTAGE:ci\r\n rcuit-1\r\nSUMMARY:a\\, b\\nc\r\nBEGIN:VALARM\r\nSUMMARY:alarm\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        );
        assert_eq!(cal.events.len(), 1);
        let ev = &cal.events[0];
        let obj = ev.get("x-maintnote-object-id").unwrap();
        assert_eq!(obj.value, "circuit-1");
        assert_eq!(obj.param("X-MAINTNOTE-OBJECT-IMPACT"), Some("OUTAGE"));
        assert_eq!(ev.text("SUMMARY"), "a, b\nc");
        assert_eq!(
            ev.all("SUMMARY").count(),
            1,
            "VALARM summary must not leak into the event"
        );
    }

    #[test]
    fn datetimes() {
        let utc = parse_datetime("20240301T220000Z", None, "dtstart").unwrap();
        assert_eq!(utc.to_rfc3339(), "2024-03-01T22:00:00+00:00");
        // floating = UTC
        assert_eq!(
            parse_datetime("20240301T220000", None, "dtstart").unwrap(),
            utc
        );
        // 22:00 in New York on 1 March (EST, UTC-5) = 03:00 UTC next day
        let ny = parse_datetime("20240301T220000", Some("America/New_York"), "dtstart").unwrap();
        assert_eq!(ny.to_rfc3339(), "2024-03-02T03:00:00+00:00");
        assert!(parse_datetime("2024-03-01", None, "dtstart").is_err());
        assert!(parse_datetime("20240301T220000", Some("Mars/Olympus"), "dtstart").is_err());
    }
}
