//! Time zones named in notices, resolved offline with chrono-tz.
//!
//! Carriers write zones as IANA names (`Europe/London`), Windows names
//! (`W. Europe Standard Time`), abbreviations (`EST`, `CDT`, `CET`), generic
//! names (`Eastern`, `Central Time`) or just a city (`Amsterdam`). All of them
//! resolve here, without any network lookup.
//!
//! Abbreviations that state daylight time themselves (`EDT`, `CEST`) are fixed
//! offsets; generic names (`Eastern`, `ET`) and cities follow the zone's DST
//! rules for the date in question. Ambiguous abbreviations are resolved the
//! way carriers use them in practice: `CST` is US Central, `IST` is India,
//! `BST` is British Summer Time.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A zone as found in a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A fixed UTC offset (abbreviations such as `EDT`, numeric offsets).
    Fixed(FixedOffset),
    /// An IANA zone with its DST rules.
    Named(Tz),
}

/// UTC as a [`Zone`].
pub const UTC: Zone = Zone::Named(Tz::UTC);

fn h(hours: i32, minutes: i32) -> Option<Zone> {
    let secs = hours * 3600 + hours.signum() * minutes * 60;
    FixedOffset::east_opt(secs).map(Zone::Fixed)
}

/// A zone abbreviation or generic name (case-insensitive).
pub fn abbreviation(abbr: &str) -> Option<Zone> {
    let a = abbr
        .trim()
        .trim_matches(|c: char| c == '(' || c == ')' || c == '.')
        .to_ascii_uppercase();
    match a.as_str() {
        "UTC" | "GMT" | "UT" | "Z" | "ZULU" | "UCT" => h(0, 0),
        "EST" => h(-5, 0),
        "EDT" => h(-4, 0),
        "CST" => h(-6, 0),
        "CDT" => h(-5, 0),
        "MST" => h(-7, 0),
        "MDT" => h(-6, 0),
        "PST" => h(-8, 0),
        "PDT" => h(-7, 0),
        "AKST" => h(-9, 0),
        "AKDT" => h(-8, 0),
        "HST" => h(-10, 0),
        "AST" => h(-4, 0),
        "ADT" => h(-3, 0),
        "NST" => h(-3, -30),
        "BST" => h(1, 0),
        "IST" => h(5, 30),
        "WET" => h(0, 0),
        "WEST" => h(1, 0),
        "CET" | "MEZ" => h(1, 0),
        "CEST" | "MESZ" => h(2, 0),
        "EET" => h(2, 0),
        "EEST" => h(3, 0),
        "MSK" => h(3, 0),
        "TRT" => h(3, 0),
        "GST" => h(4, 0),
        "PKT" => h(5, 0),
        "ICT" | "WIB" => h(7, 0),
        "SGT" | "HKT" | "AWST" | "PHT" | "MYT" | "CCT" => h(8, 0),
        "JST" | "KST" => h(9, 0),
        "ACST" => h(9, 30),
        "AEST" => h(10, 0),
        "ACDT" => h(10, 30),
        "AEDT" => h(11, 0),
        "NZST" => h(12, 0),
        "NZDT" => h(13, 0),
        "BRT" => h(-3, 0),
        "ART" => h(-3, 0),
        "CLT" => h(-4, 0),
        "CLST" => h(-3, 0),
        "PET" | "COT" | "ECT" => h(-5, 0),
        "EAT" => h(3, 0),
        "WAT" => h(1, 0),
        "CAT" | "SAST" => h(2, 0),
        "OEZ" => h(2, 0),
        "OESZ" => h(3, 0),
        "WEZ" => h(0, 0),
        "WESZ" => h(1, 0),
        "NPT" => h(5, 45),
        "IRST" => h(3, 30),
        "ET" | "EASTERN" | "EASTERN TIME" | "US/EASTERN" => {
            Some(Zone::Named(Tz::America__New_York))
        }
        "CT" | "CENTRAL" | "CENTRAL TIME" | "US/CENTRAL" => Some(Zone::Named(Tz::America__Chicago)),
        "MT" | "MOUNTAIN" | "MOUNTAIN TIME" | "US/MOUNTAIN" => {
            Some(Zone::Named(Tz::America__Denver))
        }
        "PT" | "PACIFIC" | "PACIFIC TIME" | "US/PACIFIC" => {
            Some(Zone::Named(Tz::America__Los_Angeles))
        }
        _ => None,
    }
}

const WINDOWS: &[(&str, Tz)] = &[
    ("w. europe standard time", Tz::Europe__Berlin),
    ("central europe standard time", Tz::Europe__Budapest),
    ("romance standard time", Tz::Europe__Paris),
    ("central european standard time", Tz::Europe__Warsaw),
    ("gmt standard time", Tz::Europe__London),
    ("greenwich standard time", Tz::Atlantic__Reykjavik),
    ("e. europe standard time", Tz::Europe__Chisinau),
    ("fle standard time", Tz::Europe__Kiev),
    ("gtb standard time", Tz::Europe__Bucharest),
    ("russian standard time", Tz::Europe__Moscow),
    ("turkey standard time", Tz::Europe__Istanbul),
    ("eastern standard time", Tz::America__New_York),
    ("central standard time", Tz::America__Chicago),
    ("mountain standard time", Tz::America__Denver),
    ("pacific standard time", Tz::America__Los_Angeles),
    ("us mountain standard time", Tz::America__Phoenix),
    ("china standard time", Tz::Asia__Shanghai),
    ("singapore standard time", Tz::Asia__Singapore),
    ("tokyo standard time", Tz::Asia__Tokyo),
    ("india standard time", Tz::Asia__Kolkata),
    ("aus eastern standard time", Tz::Australia__Sydney),
    ("utc", Tz::UTC),
    ("coordinated universal time", Tz::UTC),
];

static CITIES: LazyLock<HashMap<String, Tz>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for tz in chrono_tz::TZ_VARIANTS {
        let name = tz.name();
        if let Some((region, city)) = name.rsplit_once('/') {
            if matches!(region, "Etc" | "SystemV" | "US") {
                continue;
            }
            let city = city.replace('_', " ").to_ascii_lowercase();
            // Prefer the canonical continent zones over legacy aliases.
            m.entry(city).or_insert(tz);
        }
    }
    // Common spellings that are not IANA city names.
    for (k, v) in [
        ("frankfurt", Tz::Europe__Berlin),
        ("munich", Tz::Europe__Berlin),
        ("milan", Tz::Europe__Rome),
        ("marseille", Tz::Europe__Paris),
        ("manchester", Tz::Europe__London),
        ("washington", Tz::America__New_York),
        ("ashburn", Tz::America__New_York),
        ("atlanta", Tz::America__New_York),
        ("miami", Tz::America__New_York),
        ("boston", Tz::America__New_York),
        ("dallas", Tz::America__Chicago),
        ("houston", Tz::America__Chicago),
        ("san francisco", Tz::America__Los_Angeles),
        ("san jose", Tz::America__Los_Angeles),
        ("seattle", Tz::America__Los_Angeles),
        ("mumbai", Tz::Asia__Kolkata),
        ("beijing", Tz::Asia__Shanghai),
    ] {
        m.insert(k.to_string(), v);
    }
    m
});

/// A zone by IANA name, Windows name, abbreviation or city (case-insensitive).
pub fn zone_by_name(name: &str) -> Option<Zone> {
    let n = name.trim();
    if n.is_empty() {
        return None;
    }
    if let Ok(tz) = Tz::from_str_insensitive(n) {
        return Some(Zone::Named(tz));
    }
    if let Some(z) = abbreviation(n) {
        return Some(z);
    }
    if let Some(z) = offset(n) {
        return Some(z);
    }
    let lower = n.to_ascii_lowercase();
    if let Some((_, tz)) = WINDOWS.iter().find(|(w, _)| *w == lower) {
        return Some(Zone::Named(*tz));
    }
    // "(UTC+01:00) Amsterdam, Berlin..." style Outlook names
    if let Some(rest) = lower.strip_prefix("(utc")
        && let Some((off, _)) = rest.split_once(')')
    {
        if off.is_empty() {
            return h(0, 0);
        }
        return offset(off);
    }
    city(&lower)
}

/// A zone by city name, e.g. `Amsterdam`, `New York`.
pub fn city(name: &str) -> Option<Zone> {
    CITIES
        .get(&name.trim().to_ascii_lowercase())
        .map(|tz| Zone::Named(*tz))
}

/// A numeric offset: `+0100`, `-05:00`, `UTC+1`, `GMT-5`, `+8`.
pub fn offset(s: &str) -> Option<Zone> {
    let s = s.trim();
    let s = s
        .strip_prefix("UTC")
        .or_else(|| s.strip_prefix("GMT"))
        .or_else(|| s.strip_prefix("utc"))
        .or_else(|| s.strip_prefix("gmt"))
        .unwrap_or(s)
        .trim();
    let (sign, digits) = match s.chars().next()? {
        '+' => (1, &s[1..]),
        '-' | '\u{2212}' => (-1, s.trim_start_matches(['-', '\u{2212}'])),
        _ => return None,
    };
    let digits = digits.trim();
    let (hh, mm) = if let Some((a, b)) = digits.split_once(':') {
        (a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)
    } else if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        (digits[..2].parse().ok()?, digits[2..].parse().ok()?)
    } else if (1..=2).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        (digits.parse().ok()?, 0)
    } else {
        return None;
    };
    if hh > 14 || mm > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hh * 3600 + mm * 60)).map(Zone::Fixed)
}

/// Interpret a local time in `zone` as UTC. An ambiguous local time (DST
/// fall-back) takes the earlier instant; a non-existent one (spring-forward
/// gap) is read with the offset in force just before the gap.
pub fn localize(zone: &Zone, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone {
        Zone::Fixed(off) => off
            .from_local_datetime(&naive)
            .single()
            .map(|d| d.with_timezone(&Utc)),
        Zone::Named(tz) => match tz.from_local_datetime(&naive) {
            LocalResult::Single(d) => Some(d.with_timezone(&Utc)),
            LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
            LocalResult::None => {
                let before = naive - chrono::Duration::hours(3);
                let off = tz.offset_from_utc_datetime(&before).fix();
                off.from_local_datetime(&naive)
                    .single()
                    .map(|d| d.with_timezone(&Utc))
            }
        },
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
    use chrono::NaiveDate;

    fn nd(y: i32, m: u32, d: u32, hh: u32, mm: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(hh, mm, 0)
            .unwrap()
    }

    #[test]
    fn abbreviations_and_generic_names() {
        // 01:00 CDT = 06:00 UTC
        let z = zone_by_name("CDT").unwrap();
        assert_eq!(
            localize(&z, nd(2024, 7, 1, 1, 0)).unwrap().to_rfc3339(),
            "2024-07-01T06:00:00+00:00"
        );
        // "Eastern" follows DST: July = EDT (-4), January = EST (-5)
        let e = zone_by_name("Eastern").unwrap();
        assert_eq!(
            localize(&e, nd(2024, 7, 1, 0, 0)).unwrap().to_rfc3339(),
            "2024-07-01T04:00:00+00:00"
        );
        assert_eq!(
            localize(&e, nd(2024, 1, 1, 0, 0)).unwrap().to_rfc3339(),
            "2024-01-01T05:00:00+00:00"
        );
    }

    #[test]
    fn cities_windows_names_and_offsets() {
        let a = zone_by_name("Amsterdam").unwrap();
        assert_eq!(
            localize(&a, nd(2024, 1, 10, 1, 0)).unwrap().to_rfc3339(),
            "2024-01-10T00:00:00+00:00"
        );
        assert_eq!(
            zone_by_name("new york"),
            Some(Zone::Named(Tz::America__New_York))
        );
        assert_eq!(
            zone_by_name("W. Europe Standard Time"),
            Some(Zone::Named(Tz::Europe__Berlin))
        );
        let o = zone_by_name("UTC+05:30").unwrap();
        assert_eq!(
            localize(&o, nd(2024, 1, 1, 5, 30)).unwrap().to_rfc3339(),
            "2024-01-01T00:00:00+00:00"
        );
        assert_eq!(zone_by_name("-0800"), h(-8, 0));
        assert!(zone_by_name("Atlantis").is_none());
    }

    #[test]
    fn dst_gap_and_overlap() {
        let e = Zone::Named(Tz::America__New_York);
        // 2024-03-10 02:30 does not exist in New York; read with EST (-5)
        assert_eq!(
            localize(&e, nd(2024, 3, 10, 2, 30)).unwrap().to_rfc3339(),
            "2024-03-10T07:30:00+00:00"
        );
        // 2024-11-03 01:30 happens twice; the earlier (EDT, -4) wins
        assert_eq!(
            localize(&e, nd(2024, 11, 3, 1, 30)).unwrap().to_rfc3339(),
            "2024-11-03T05:30:00+00:00"
        );
    }
}
