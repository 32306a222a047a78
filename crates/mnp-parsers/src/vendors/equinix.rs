//! Equinix network maintenance notices (`no-reply@equinix.com`, HTML with a
//! plain-text alternative, per-product asset tables).

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{maint, text, tz};

const DOC: &str = "\
# Routing
Sender domain `equinix.com` (also `ap.equinix.com` and other subdomains; inline
forwards are caught by their quoted `From:` line); subjects containing
`Metro Area Network Maintenance` or ending in `Network Maintenance - DD-MON-YYYY [id]`;
content signature: the notice mentions Equinix and has the `Service Serial #`
asset table or the `SPAN:`/`UTC:` window lines.

# Formats
One HTML notice (plus a plain-text copy) per maintenance: `DATE:`, `SPAN:`
(`16-NOV-2021 - 17-NOV-2021`), `LOCAL:` and `UTC:` lines
(`WEDNESDAY, 17 NOV 07:00 - WEDNESDAY, 17 NOV 13:00`, no year), `IBX(s):` or
`LOCATION:`, `DESCRIPTION:`, `PRODUCTS:`, `IMPACT:`, then one table per product
with `Account #`, `Product`, optional `IBX`, `Service Serial #` and more columns.
The maintenance id is the last bracketed token of the subject
(`[K-293030438574]`, `[5-210987654321]`, `[CHG0031000]`), else the body's
`Please reference <id>`. Status comes from the subject prefix (`COMPLETED -`,
`CANCELLED -`, `REMINDER -`, `RESCHEDULED -`, `EXTENDED -`...) or the intro
sentence (`has now been completed`, `has been cancelled`); anything else is a
confirmed (scheduled) maintenance.

# Quirks
The `UTC:` line carries no year: the year is taken from the `SPAN:`/`DATE:`
dates (then the subject date, then the mail date), choosing the year that puts
the day closest to that reference, so windows across New Year come out right.
Without a `UTC:` line the `LOCAL:` line is read in the zone of the IBX metro
(`SV` = Los Angeles, `SK` = Stockholm...) when all listed IBXs agree.
Bilingual notices (Japanese first, then English) repeat the window; identical
windows collapse, different ones become separate maintenances with the same
id. `IMPACT:` maps `No impact` to NO-IMPACT, `Loss of redundancy` to
REDUCED-REDUNDANCY, `degraded` to DEGRADED, anything else (`There will be service
interruptions`) to OUTAGE. A circuit listed twice is kept twice. Cancellations
quote the original notice, so they keep its window and assets.

# Known gaps
Japanese-only notices (no English `IMPACT:` line) default to OUTAGE. When the
HTML table has an empty first column, the plain-text rendering shifts columns.
";

/// Equinix parser.
pub struct Equinix;

inventory::submit! {
    ParserDescriptor {
        id: "equinix",
        carrier: "Equinix",
        senders: &["equinix.com"],
        subjects: &[
            r"Metro Area Network Maintenance",
            r"Network Maintenance\s*-\s*(?:\([^)]*\)\s*-\s*)?\d{1,2}-[A-Z]{3}-\d{4}\s*\[[^\]]+\]\s*$",
        ],
        formats: &["html", "text"],
        doc: DOC,
        fallback: false,
        parser: &Equinix,
    }
}

fn re(p: &str) -> Option<Regex> {
    Regex::new(p).ok()
}

static UTC_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?mi)^[\s*]*UTC\s*:\s*\**\s*(.+)$"));
static LOCAL_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?mi)^[\s*]*LOCAL\s*:\s*\**\s*(.+)$"));
static IBX_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?mi)^[\s*]*(?:IBX\(s\)|IBX|LOCATION)\s*:\s*\**\s*(.+)$"));
/// `17 NOV 07:00` (a weekday may precede it; the year never follows).
static DAY_TIME: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{1,2}):(\d{2})"));
/// `16-NOV-2021`
static DMY: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})"));
static SPAN_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?mi)^[\s*]*(?:SPAN|DATE|日付)\s*:\s*\**\s*(.+)$"));
static SUBJECT_ID: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\[\s*([A-Za-z0-9][A-Za-z0-9._-]*\d[A-Za-z0-9._-]*)\s*\]"));
static BODY_ID: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)please reference\s+\[?([A-Z0-9][A-Z0-9_-]*\d[A-Z0-9_-]*)"));
static SUBJECT_TAGS: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)^(?:\s*(?:(?:fwd?|fw|re|aw|wg)\s*:|\[[^\]]*\]))*\s*"));

fn month(s: &str) -> Option<u32> {
    let m = s.get(..3)?.to_ascii_lowercase();
    let n = match m.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// The date with this day and month whose year puts it closest to `reference`.
fn closest_year(day: u32, mon: u32, reference: NaiveDate) -> Option<NaiveDate> {
    let y = reference.year();
    [y - 1, y, y + 1]
        .into_iter()
        .filter_map(|yy| NaiveDate::from_ymd_opt(yy, mon, day))
        .min_by_key(|d| (*d - reference).num_days().abs())
}

/// The reference date the year-less window lines are read against.
fn reference_date(body: &str, subject: &str, email: &Email) -> Option<NaiveDate> {
    let dmy = |s: &str| -> Option<NaiveDate> {
        let c = DMY.as_ref()?.captures(s)?;
        NaiveDate::from_ymd_opt(
            c.get(3)?.as_str().parse().ok()?,
            month(c.get(2)?.as_str())?,
            c.get(1)?.as_str().parse().ok()?,
        )
    };
    SPAN_LINE
        .as_ref()
        .and_then(|r| {
            r.captures_iter(body)
                .find_map(|c| c.get(1).and_then(|m| dmy(m.as_str())))
        })
        .or_else(|| dmy(subject))
        .or_else(|| email.date.map(|d| d.date_naive()))
}

/// The two `DD MON HH:MM` points of a window line, as naive date-times.
fn window_points(line: &str, reference: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let r = DAY_TIME.as_ref()?;
    let mut pts = r.captures_iter(line).filter_map(|c| {
        let day: u32 = c.get(1)?.as_str().parse().ok()?;
        let mon = month(c.get(2)?.as_str())?;
        let t = NaiveTime::from_hms_opt(
            c.get(3)?.as_str().parse().ok()?,
            c.get(4)?.as_str().parse().ok()?,
            0,
        )?;
        Some((day, mon, t))
    });
    let (bd, bm, bt) = pts.next()?;
    let (ed, em, et) = pts.next()?;
    let begin = closest_year(bd, bm, reference)?.and_time(bt);
    let end = closest_year(ed, em, begin.date())?.and_time(et);
    Some((begin, end))
}

/// IANA zone of an Equinix metro code (the letters of an IBX name such as `SV10`).
fn metro_zone(metro: &str) -> Option<&'static str> {
    Some(match metro {
        "AM" | "ZW" | "EN" => "Europe/Amsterdam",
        "AT" | "MI" | "BO" | "NY" | "DC" | "PH" => "America/New_York",
        "CH" | "DA" | "HO" => "America/Chicago",
        "DE" => "America/Denver",
        "LA" | "SV" | "SE" | "SJ" => "America/Los_Angeles",
        "TR" => "America/Toronto",
        "MT" => "America/Montreal",
        "VA" => "America/Vancouver",
        "SP" | "RJ" => "America/Sao_Paulo",
        "MX" => "America/Mexico_City",
        "BG" => "America/Bogota",
        "LD" | "MA" => "Europe/London",
        "DB" => "Europe/Dublin",
        "FR" | "MU" | "DU" | "HH" | "BE" => "Europe/Berlin",
        "PA" => "Europe/Paris",
        "MD" | "BX" | "BA" => "Europe/Madrid",
        "ML" | "GN" => "Europe/Rome",
        "ZH" | "GV" => "Europe/Zurich",
        "SK" => "Europe/Stockholm",
        "HE" => "Europe/Helsinki",
        "WA" => "Europe/Warsaw",
        "WI" => "Europe/Vienna",
        "SO" => "Europe/Sofia",
        "IL" => "Europe/Istanbul",
        "LS" => "Europe/Lisbon",
        "DX" | "AD" => "Asia/Dubai",
        "SG" | "JH" => "Asia/Singapore",
        "HK" => "Asia/Hong_Kong",
        "TY" | "OS" => "Asia/Tokyo",
        "SL" => "Asia/Seoul",
        "SH" => "Asia/Shanghai",
        "MB" => "Asia/Kolkata",
        "KL" => "Asia/Kuala_Lumpur",
        "JK" => "Asia/Jakarta",
        "MN" => "Asia/Manila",
        "SY" | "CA" => "Australia/Sydney",
        "ME" => "Australia/Melbourne",
        "BR" => "Australia/Brisbane",
        "PE" => "Australia/Perth",
        "AE" => "Australia/Adelaide",
        _ => return None,
    })
}

/// The one zone all listed IBXs are in, if they agree.
fn ibx_zone(body: &str) -> Option<tz::Zone> {
    let line = IBX_LINE
        .as_ref()?
        .captures(body)?
        .get(1)?
        .as_str()
        .to_string();
    let mut zone: Option<&str> = None;
    for code in line
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let metro: String = code
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if let Some(z) = metro_zone(&metro.to_ascii_uppercase()) {
            match zone {
                None => zone = Some(z),
                Some(prev) if prev != z => return None,
                Some(_) => {}
            }
        }
    }
    tz::zone_by_name(zone?)
}

/// Every distinct window of the notice, in order of appearance.
fn windows(body: &str, reference: Option<NaiveDate>) -> Result<Vec<Window>> {
    let Some(reference) = reference else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Window> = Vec::new();
    let mut push = |w: Window| {
        if !out.contains(&w) {
            out.push(w);
        }
    };
    let utc_lines: Vec<&str> = UTC_LINE
        .as_ref()
        .map(|r| {
            r.captures_iter(body)
                .filter_map(|c| c.get(1).map(|m| m.as_str()))
                .collect()
        })
        .unwrap_or_default();
    for line in &utc_lines {
        if let Some((b, e)) = window_points(line, reference) {
            push(Window::new(b.and_utc(), e.and_utc())?);
        }
    }
    let zone = if utc_lines.is_empty() {
        ibx_zone(body)
    } else {
        None
    };
    if let Some(zone) = zone {
        let local_lines: Vec<String> = LOCAL_LINE
            .as_ref()
            .map(|r| {
                r.captures_iter(body)
                    .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        for line in local_lines {
            if let Some((b, e)) = window_points(&line, reference) {
                let b = tz::localize(&zone, b).ok_or_else(|| {
                    Error::bad_value("begin", &line, "time does not exist in the IBX zone")
                })?;
                let e = tz::localize(&zone, e).ok_or_else(|| {
                    Error::bad_value("end", &line, "time does not exist in the IBX zone")
                })?;
                push(Window::new(b, e)?);
            }
        }
    }
    Ok(out)
}

/// Rows of the asset tables: (account, service serial).
fn assets(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // (account column, serial column) of the current tab-separated table, or
    // None for a space-separated plain-text table.
    let mut table: Option<Option<(Option<usize>, usize)>> = None;
    for line in body.lines() {
        let l = line.trim().trim_matches('*').trim();
        if l.to_ascii_lowercase().contains("service serial") {
            table = if l.contains('\t') {
                let cells: Vec<String> = l
                    .split('\t')
                    .map(|c| c.trim().to_ascii_lowercase())
                    .collect();
                cells
                    .iter()
                    .position(|c| c.starts_with("service serial"))
                    .map(|s| Some((cells.iter().position(|c| c.starts_with("account")), s)))
            } else {
                Some(None)
            };
            continue;
        }
        let Some(cols) = table else { continue };
        match cols {
            Some((acct, serial)) => {
                if !l.contains('\t') {
                    table = None;
                    continue;
                }
                let cells: Vec<&str> = l.split('\t').map(str::trim).collect();
                let id = cells.get(serial).copied().unwrap_or("");
                if id.is_empty() || id == "-" {
                    continue;
                }
                let account = acct.and_then(|a| cells.get(a)).copied().unwrap_or("");
                out.push((account.to_string(), id.to_string()));
            }
            None => {
                // "009999 Metro Connect 09999020-B": account first, serial last.
                let toks: Vec<&str> = l.split_whitespace().collect();
                let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
                    continue;
                };
                if toks.len() < 3 || !first.chars().all(|c| c.is_ascii_digit()) {
                    table = None;
                    continue;
                }
                out.push((first.to_string(), last.to_string()));
            }
        }
    }
    out
}

/// `IMPACT:` words, first match wins (Japanese notices say no impact as
/// `影響はございません`).
const IMPACT_WORDS: Rules<Impact> = &[
    (
        Impact::NoImpact,
        &[
            "no impact",
            "not impact",
            "no service impact",
            "影響はございません",
        ],
    ),
    (Impact::ReducedRedundancy, &["redundan", "resilien"]),
    (Impact::Degraded, &["degrad", "latency", "packet loss"]),
];

/// The impact announced on the `IMPACT:` line.
pub fn impact_of(s: &str) -> Impact {
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// The subject without list tags and `Fwd:`/`RE:` prefixes.
fn clean_subject(subject: &str) -> String {
    match SUBJECT_TAGS.as_ref() {
        Some(r) => r.replace(subject, "").trim().to_string(),
        None => subject.trim().to_string(),
    }
}

/// Intro sentence words, first match wins (the subject prefix decides first).
const INTRO_STATUS_WORDS: Rules<Status> = &[
    (
        Status::Cancelled,
        &["has been cancelled", "has been canceled"],
    ),
    (Status::Completed, &["been completed"]),
    (
        Status::Rescheduled,
        &[
            "has been rescheduled",
            "has been postponed",
            "has been extended",
        ],
    ),
    (
        Status::InProcess,
        &["has commenced", "is now in progress", "has started"],
    ),
];

/// Status from the subject prefix (`COMPLETED - ...`), else the intro sentence.
pub fn status_of(subject: &str, intro: &str) -> Status {
    let clean = clean_subject(subject).to_ascii_uppercase();
    let prefix = clean.split(" - ").next().unwrap_or("");
    let has = |w: &str| {
        prefix
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|t| t == w)
    };
    if has("CANCELLED") || has("CANCELED") || has("CANCELLATION") {
        return Status::Cancelled;
    }
    if has("COMPLETED") || has("COMPLETE") {
        return Status::Completed;
    }
    if has("RESCHEDULED")
        || prefix.contains("RE-SCHEDULED")
        || has("POSTPONED")
        || has("EXTENDED")
        || has("EXTENSION")
    {
        return Status::Rescheduled;
    }
    if has("STARTED") || has("COMMENCED") || prefix.contains("IN PROGRESS") {
        return Status::InProcess;
    }
    words::first(intro, INTRO_STATUS_WORDS).unwrap_or(Status::Confirmed)
}

impl VendorParser for Equinix {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = text::html_text_or_plain(email);
        let has_window = UTC_LINE.as_ref().is_some_and(|r| r.is_match(&body))
            || LOCAL_LINE.as_ref().is_some_and(|r| r.is_match(&body));
        let rows = assets(&body);
        if !has_window && rows.is_empty() {
            return Err(Error::not_maintenance(
                "no maintenance window and no impacted assets",
            ));
        }
        // The intro is what precedes the first window line ("...has now been completed").
        let intro_end = SPAN_LINE
            .as_ref()
            .and_then(|r| r.find(&body))
            .map_or(body.len(), |m| m.start());
        let status = status_of(&email.subject, body.get(..intro_end).unwrap_or(""));
        let windows = windows(&body, reference_date(&body, &email.subject, email))?;
        if windows.is_empty() && status != Status::Cancelled {
            return Err(Error::MissingField { field: "window" });
        }
        let impact =
            text::label_value(&body, &["IMPACT"]).map_or(Impact::Outage, |s| impact_of(&s));
        if rows.is_empty() && status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        let summary = clean_subject(&email.subject);
        let maintenance_id = SUBJECT_ID
            .as_ref()
            .and_then(|r| {
                r.captures_iter(&email.subject)
                    .filter_map(|c| c.get(1))
                    .last()
            })
            .or_else(|| {
                BODY_ID
                    .as_ref()
                    .and_then(|r| r.captures(&body))
                    .and_then(|c| c.get(1))
            })
            .map(|m| m.as_str().trim().to_string())
            .unwrap_or_else(|| {
                let begin = windows
                    .first()
                    .map(|w| w.begin().to_rfc3339())
                    .unwrap_or_default();
                mnp_core::util::derive_id("equinix", &[&summary, &begin])
            });
        let mut m = Maintenance::new("equinix");
        m.maintenance_id = maintenance_id;
        m.status = status;
        m.account = rows
            .iter()
            .map(|(a, _)| a.as_str())
            .find(|a| !a.is_empty())
            .unwrap_or("")
            .to_string();
        m.circuits = rows
            .iter()
            .map(|(_, id)| CircuitImpact::new(id, impact))
            .collect();
        m.stamp = email.date;
        m.summary = summary;
        m.organizer = "servicedesk@equinix.com".into();
        Ok(maint::per_window(m, windows))
    }

    fn claims(&self, email: &Email) -> bool {
        let body = text::html_text_or_plain(email).to_ascii_lowercase();
        body.contains("equinix")
            && (body.contains("service serial #")
                || (body.contains("span:") && body.contains("utc:")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn year_comes_from_the_span_even_across_new_year() {
        // SPAN 01-JAN-2025, UTC day 31 DEC belongs to 2024
        let (b, e) = window_points(
            "TUESDAY, 31 DEC 22:00 - WEDNESDAY, 01 JAN 04:00",
            d(2025, 1, 1),
        )
        .unwrap();
        assert_eq!(b.to_string(), "2024-12-31 22:00:00");
        assert_eq!(e.to_string(), "2025-01-01 04:00:00");
        // a Japanese weekday in front changes nothing
        let (b, _) =
            window_points("金曜日, 02 JUL 10:00 - 金曜日, 02 JUL 15:00", d(2021, 7, 2)).unwrap();
        assert_eq!(b.to_string(), "2021-07-02 10:00:00");
    }

    #[test]
    fn local_line_uses_the_ibx_metro_zone() {
        // SV = Los Angeles: 23:00 PST on 16 Nov = 07:00 UTC on 17 Nov
        let body = "SPAN: 16-NOV-2021 - 17-NOV-2021\nLOCAL: TUESDAY, 16 NOV 23:00 - WEDNESDAY, 17 NOV 05:00\nIBX(s): HQ,SV1,SV5\n";
        let w = windows(body, Some(d(2021, 11, 16))).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].begin().to_rfc3339(), "2021-11-17T07:00:00+00:00");
        assert_eq!(w[0].end().to_rfc3339(), "2021-11-17T13:00:00+00:00");
        // metros in different zones: no guess
        assert!(ibx_zone("IBX(s): SV1, NY5\n").is_none());
    }

    #[test]
    fn status_words() {
        assert_eq!(
            status_of("[maintenance-notices] COMPLETED - Scheduled X [EQ-1]", ""),
            Status::Completed
        );
        assert_eq!(
            status_of("CANCELLED - Remedial works [CHG1]", ""),
            Status::Cancelled
        );
        assert_eq!(
            status_of("Fwd: REMINDER - 3rd Party works [K-1]", ""),
            Status::Confirmed
        );
        assert_eq!(
            status_of("RESCHEDULED - Fibre works [K-2]", ""),
            Status::Rescheduled
        );
        assert_eq!(
            status_of(
                "Scheduled Software Upgrade [K-3]",
                "The maintenance listed below has now been completed."
            ),
            Status::Completed
        );
        // a status word after the prefix is part of the title, not a status
        assert_eq!(
            status_of(
                "Scheduled Fibre Works - replaces cancelled K-3 - SV Metro [K-4]",
                ""
            ),
            Status::Confirmed
        );
    }

    #[test]
    fn impact_words() {
        assert_eq!(impact_of("No impact to your service"), Impact::NoImpact);
        assert_eq!(
            impact_of("Loss of redundancy to your service"),
            Impact::ReducedRedundancy
        );
        assert_eq!(
            impact_of("There will be service interruptions"),
            Impact::Outage
        );
    }

    #[test]
    fn asset_tables_tabbed_and_plain() {
        let t = "Metro Connect\nAccount #\tProduct\tIBX\tService Serial #\n555\tMetro Connect\tSV8\t 123-A \n556\tMetro Connect\tSV8\t-\nWe apologize\n";
        assert_eq!(assets(t), vec![("555".to_string(), "123-A".to_string())]);
        let p =
            "Account # Product Service Serial #\n009 Metro Connect 0901-B\n*Internet Exchange*\n";
        assert_eq!(assets(p), vec![("009".to_string(), "0901-B".to_string())]);
    }
}
