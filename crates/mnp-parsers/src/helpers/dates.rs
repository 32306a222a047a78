//! Reading the date/time strings carriers write.
//!
//! Each vendor knows its own formats and passes them explicitly; the
//! [`DEFAULT_FORMATS`] are a wide net for the rest. Strings are normalised
//! first (whitespace collapsed, ordinal suffixes, commas, `at`, `hrs`
//! dropped), and a zone written before or after the time (`UTC`, `EST`,
//! `(GMT+1)`, `Eastern`, `+0100`) is split off and resolved with
//! [`super::tz`]. A time without any zone is never read in the host's zone:
//! the caller must say which zone applies.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use mnp_core::{Error, Result};
use regex::Regex;

use super::tz::{self, Zone};

/// Formats tried by [`parse_naive`] when a vendor gives none. Day-first and
/// month-first numeric dates are ambiguous: only ISO-like and month-name
/// forms are listed here, vendors add `%d/%m/%Y` or `%m/%d/%Y` themselves.
pub const DEFAULT_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%b-%d %H:%M",
    "%Y-%b-%d %H:%M:%S",
    "%d-%b-%Y %H:%M",
    "%d-%b-%Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %I:%M %p",
    "%b %d %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%b %d %Y %I:%M %p",
    "%b %d %Y %I:%M:%S %p",
    "%a %d %b %Y %H:%M",
    "%a %d %b %Y %H:%M:%S",
    "%a %b %d %Y %H:%M",
    "%a %b %d %Y %H:%M:%S",
    "%a %b %d %Y %I:%M %p",
    "%Y-%m-%d %I:%M %p",
    "%Y%m%dT%H%M%S",
];

static ORDINAL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\b(\d{1,2})(st|nd|rd|th)\b").ok());
static NOISE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(\bat\b|\bhrs\b|\bhours\b|\bh\b|,)").ok());
static ZONE_TAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*[\(\[]?\s*((?:UTC|GMT)\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?|[+\-]\d{2}:?\d{2}|[A-Z]{2,5}|Eastern|Central|Pacific|Mountain|Eastern Time|Central Time|Pacific Time|Mountain Time)\s*[\)\]]?\s*$",
    )
    .ok()
});
static ZONE_HEAD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*[\(\[]?\s*((?:UTC|GMT)(?:\s*[+\-]\s*\d{1,2}(?::?\d{2})?)?)\s*[\)\]]?\s*[:\-]?\s*",
    )
    .ok()
});

/// Collapse whitespace and drop ordinal suffixes, commas, `at`, `hrs`.
pub fn normalize(s: &str) -> String {
    let mut t = s.replace('\u{a0}', " ");
    // The regexes only run when a byte they need is there (most strings
    // have no ordinal, and many no comma or `at`/`h` word): dates are read
    // many times per mail. Non-ASCII text always goes to the regexes
    // (Unicode digits, case folding).
    let b = t.as_bytes();
    let ascii = t.is_ascii();
    let ordinal = !ascii
        || b.windows(2).any(|w| {
            w.first().is_some_and(u8::is_ascii_digit)
                && w.get(1)
                    .is_some_and(|c| matches!(c.to_ascii_lowercase(), b's' | b'n' | b'r' | b't'))
        });
    if ordinal && let Some(r) = ORDINAL.as_ref() {
        t = r.replace_all(&t, "$1").into_owned();
    }
    let noise = !t.is_ascii()
        || t.bytes()
            .any(|c| c == b',' || matches!(c.to_ascii_lowercase(), b'h' | b't'));
    if noise && let Some(r) = NOISE.as_ref() {
        t = r.replace_all(&t, " ").into_owned();
    }
    // "06.00" → "06:00" only for times (HH.MM at a word end) is vendor-specific; leave it.
    let mut out = String::with_capacity(t.len());
    for w in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Try `formats` (then [`DEFAULT_FORMATS`] when `formats` is empty) on the
/// normalised string.
pub fn parse_naive(s: &str, formats: &[&str]) -> Option<NaiveDateTime> {
    let n = normalize(s);
    let list = if formats.is_empty() {
        DEFAULT_FORMATS
    } else {
        formats
    };
    for f in list {
        if let Ok(d) = NaiveDateTime::parse_from_str(&n, f) {
            return Some(d);
        }
        // date-only formats
        if !f.contains("%H")
            && !f.contains("%I")
            && let Ok(d) = NaiveDate::parse_from_str(&n, f)
        {
            return d.and_hms_opt(0, 0, 0);
        }
    }
    None
}

/// Split a zone written after (or before) the date-time. Returns the rest
/// and the zone, if one was recognised; an unrecognised trailing word is left
/// in place.
pub fn split_zone(s: &str) -> (String, Option<Zone>) {
    let n = normalize(s);
    if let Some(r) = ZONE_TAIL.as_ref()
        && let Some(c) = r.captures(&n)
        && let (Some(all), Some(z)) = (c.get(0), c.get(1))
    {
        let word = z.as_str().replace(' ', "");
        let zone = tz::zone_by_name(z.as_str()).or_else(|| tz::offset(&word));
        // AM/PM look like zones: never treat them as one.
        if let Some(zone) =
            zone.filter(|_| !matches!(word.to_ascii_uppercase().as_str(), "AM" | "PM"))
        {
            return (n[..all.start()].trim().to_string(), Some(zone));
        }
    }
    if let Some(r) = ZONE_HEAD.as_ref()
        && let Some(c) = r.captures(&n)
        && let (Some(all), Some(z)) = (c.get(0), c.get(1))
        && let Some(zone) = tz::zone_by_name(&z.as_str().replace(' ', ""))
    {
        return (n[all.end()..].trim().to_string(), Some(zone));
    }
    (n, None)
}

/// Parse a date-time with an optional zone in the string; `default` applies
/// when the string names none. No zone at all is a [`Error::BadValue`].
pub fn parse_datetime(
    s: &str,
    formats: &[&str],
    default: Option<Zone>,
    field: &'static str,
) -> Result<DateTime<Utc>> {
    let (rest, zone) = split_zone(s);
    let zone = zone
        .or(default)
        .ok_or_else(|| Error::bad_value(field, s, "no time zone"))?;
    let naive = parse_naive(&rest, formats)
        .ok_or_else(|| Error::bad_value(field, s, "unrecognised date/time"))?;
    tz::localize(&zone, naive)
        .ok_or_else(|| Error::bad_value(field, s, "time does not exist in zone"))
}

/// Like [`parse_datetime`] with UTC as the default zone.
pub fn parse_utc(s: &str, formats: &[&str], field: &'static str) -> Result<DateTime<Utc>> {
    parse_datetime(s, formats, Some(tz::UTC), field)
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
    fn common_shapes() {
        let t = |s: &str| parse_utc(s, &[], "t").map(|d| d.to_rfc3339());
        assert_eq!(
            t("2019-Apr-09 06:00 UTC").unwrap(),
            "2019-04-09T06:00:00+00:00"
        );
        assert_eq!(t("2024-03-01 22:00").unwrap(), "2024-03-01T22:00:00+00:00");
        assert_eq!(
            t("Mar 1st, 2024 at 10:00 PM GMT").unwrap(),
            "2024-03-01T22:00:00+00:00"
        );
        assert_eq!(
            t("01-Mar-2024 22:00 (GMT+1)").unwrap(),
            "2024-03-01T21:00:00+00:00"
        );
        assert_eq!(
            t("2024-07-01 01:00 CDT").unwrap(),
            "2024-07-01T06:00:00+00:00"
        );
        assert_eq!(
            t("UTC: 2024-07-01 01:00").unwrap(),
            "2024-07-01T01:00:00+00:00"
        );
        assert_eq!(
            t("Tue, 09 Apr 2019 06:00 +0200").unwrap(),
            "2019-04-09T04:00:00+00:00"
        );
        assert!(t("next tuesday").is_err());
    }

    #[test]
    fn no_zone_without_default_is_an_error() {
        assert!(parse_datetime("2024-03-01 22:00", &[], None, "begin").is_err());
    }
}
