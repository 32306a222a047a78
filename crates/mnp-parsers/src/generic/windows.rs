//! Finding maintenance windows in free text: every date-time written in one
//! of the common carrier shapes, its zone (after the time, earlier on the
//! line, or once for the whole notice), and a pairing of those instants into
//! begin/end windows.
//!
//! Numeric dates are ambiguous (`03/04/2024`): a part above 12 decides; else
//! only what the notice itself shows decides (a format it writes out such as
//! `(dd/mm/yyyy)`, another date in the same layout with a part above 12, a
//! weekday named beside the date, the same day written with a month name);
//! else the reading nearest after the mail's own date is taken and recorded
//! as a guess ("ambiguous day/month") in [`Found::guesses`].
//! A time with no zone anywhere is read as UTC and flagged, so the caller can
//! lower its confidence; a "local time" with no zone takes the zone of the
//! one place the notice names, again as a guess.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use mnp_core::Window;
use regex::{Captures, Regex};

use crate::helpers::tz::{self, Zone};

/// Month names and English abbreviations, as a regex alternation: the
/// English ones, then every name of [`MONTH_NAMES`].
static MONTHS: LazyLock<String> = LazyLock::new(|| {
    let english = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
    let others: Vec<String> = MONTH_NAMES
        .iter()
        .flat_map(|names| names.iter())
        .map(|n| regex::escape(n))
        .collect();
    format!("(?:{english}|{})", others.join("|"))
});

/// Month names in the languages carriers write notices in (English,
/// French, German, Spanish, Portuguese, Italian, Dutch), by month.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "janvier", "januar", "jänner", "janner", "enero", "janeiro", "gennaio", "januari",
    ],
    &[
        "février",
        "fevrier",
        "februar",
        "febrero",
        "fevereiro",
        "febbraio",
        "februari",
    ],
    &["mars", "märz", "marz", "maerz", "marzo", "março", "maart"],
    &["avril", "abril", "aprile"],
    &["mai", "mayo", "maio", "maggio", "mei"],
    &["juin", "juni", "junio", "junho", "giugno"],
    &["juillet", "juli", "julio", "julho", "luglio"],
    &["août", "aout", "agosto", "augustus"],
    &[
        "septembre",
        "septiembre",
        "setiembre",
        "setembro",
        "settembre",
    ],
    &["octobre", "oktober", "octubre", "outubro", "ottobre"],
    &["novembre", "noviembre", "novembro"],
    &[
        "décembre",
        "decembre",
        "dezember",
        "diciembre",
        "dezembro",
        "dicembre",
    ],
];

/// Longest window accepted between a begin and an end.
const MAX_WINDOW_HOURS: i64 = 31 * 24;

fn date_re() -> String {
    format!(
        r"(?:(?P<iy>\d{{4}})(?:[-/.]|年)(?P<im>\d{{1,2}})(?:[-/.]|月)(?P<id>\d{{1,2}})日?(?:\s*\([^)\n]{{1,12}}\))?|(?P<ay>\d{{4}})-(?P<am>{m})-(?P<ad>\d{{1,2}})|(?P<n1>\d{{1,2}})(?P<ns>[-/.])(?P<n2>\d{{1,2}})[-/.](?P<ny>\d{{4}}|\d{{2}})|(?P<dd>\d{{1,2}})(?:st|nd|rd|th|\.)?[- ](?:de[- ])?(?P<dm>{m})\.?,?[- ](?:de[- ])?(?P<dy>\d{{4}})|(?P<mm>{m})\.?[ -](?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?[ -](?P<my>\d{{4}})|(?P<yd>\d{{1,2}})[ -](?P<ym>{m})\b\.?,?)",
        m = MONTHS.as_str()
    )
}

const TIME_RE: &str = r"(?P<h>\d{1,2})[:.hH](?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?(?:\s*(?P<ap>[ap])\.?m\.?\b)?|(?P<hh>[01]\d|2[0-3])(?P<mm2>[0-5]\d)\s*(?:hrs|h\b|hours)";

/// A date, then a time: `2024-03-12 22:00`, `Mar 12, 2024 at 10:00 PM`.
static DATETIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{}(?:T|\s*(?:\([\p{{L}}]{{3,12}}\)\s*)?,?\s*(?:at\s+|from\s+|@\s*|à\s+|às\s+|a\s+las\s+|um\s+|alle(?:\s+ore)?\s+|ore\s+|om\s+|de\s+|das\s+|van\s+|dalle\s+ore\s+|dalle\s+|godz\.?\s+)?)(?:{TIME_RE})",
        date_re()
    ))
    .ok()
});

/// A time, then a date: `22:00 12/10/2020`, `12:00 AM (local time) 06/12/2021`.
static TIMEDATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{TIME_RE})\s*(?:\([a-z ]{{1,20}}\)\s*)?(?:(?-i:[A-Z]{{2,5}}),?\s+)?(?:(?:on|di|del|de|le|am|op|em|no|du)\s+)?,?\s*(?:[\p{{L}}-]{{3,14}},?\s+)?(?:(?:on|di|del|de|le|am|op)\s+)?{}\b",
        date_re()
    ))
    .ok()
});

/// A time with no date right after a date-time: `22:00 - 02:00`.
static TIME_TAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[A-Z]{2,5}\s*)?(?:-|–|～|~|to|until|till|bis|hasta|até|tot|às|à|a|alle\s+ore|alle)\s*(?P<h>\d{1,2})[:.h](?P<mi>\d{2})(?:\s*(?P<ap>[ap])\.?m\.?\b)?").ok()
});

static ZONE_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:hrs\b|hours\b|h\b|[Uu]hr\b)?\s*[\(\[]?\s*(?P<z>Z\b|(?:UTC|GMT)\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?|[+\-]\d{2}:?\d{2}\b|[A-Z]{2,5}\b|Eastern|Central|Pacific|Mountain)")
        .ok()
});

/// Zone words written anywhere: `(UTC)`, `GMT+1`, `EST`, `Eastern Time`.
static ZONE_ANY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?P<z>(?:UTC|GMT)\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?|UTC|GMT|[ECMP][SD]T|CET|CEST|MEZ|MESZ|WET|WEST|EET|EEST|MSK|BST|IST|JST|KST|SGT|HKT|AWST|ACST|ACDT|AEST|AEDT|NZST|NZDT|GST|EAT|WAT|CAT|SAST|PKT|ICT|WIB|PHT|BRT|ART|CLT|Eastern|Central|Pacific|Mountain)\b")
        .ok()
});

/// A city or region named as the zone: `Frankfurt time`, `(London)`,
/// `local time Madrid`. Only a capitalised name with one of those cues
/// counts, so a city in an address or signature is not read as a zone.
static CITY_CUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\(\s*(?P<a>[A-Z][a-z]+(?:[ _][A-Z][a-z]+)?)\s*\)|\b(?P<b>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+(?i:time|zeit|tijd|tid)\b|\b(?i:local)(?:\s+(?i:time))?\s*[:(]?\s*(?P<c>[A-Z][a-z]+(?: [A-Z][a-z]+)?)|\b(?i:heure|hora|horário|horario|ora)\s+(?i:(?:local\s+)?(?:de|di|do|da)\s+)?(?P<d>[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)?)")
        .ok()
});

/// What joins the two ends of a range on one line: `X to Y`, `X - Y`.
static RANGE_JOIN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?:\bto\b|\band\b|\buntil\b|\btill\b|-|–|—)").ok());

const START_WORDS: &[&str] = &[
    "start",
    "begin",
    "from",
    "commenc",
    "opens",
    "début",
    "debut",
    "inicio",
    "início",
    "comienzo",
    "inizio",
    "aanvang",
    "van:",
    "początek",
    "poczatek",
];
const END_WORDS: &[&str] = &[
    "end",
    "finish",
    "until",
    "to:",
    "complet",
    "closes",
    "stop",
    "fin ",
    "fin:",
    "fin\t",
    "fim ",
    "fim:",
    "término",
    "termino",
    "einde",
    "hasta",
    "até",
    "bis ",
    "tot:",
    "zakończenie",
    "koniec",
];
/// Labels of a window the notice replaces ("Original window (no longer
/// valid)"): like a backup date, no maintenance of its own while another
/// window is given.
const SUPERSEDED_WORDS: &[&str] = &[
    "(cancelled)",
    "bisherig",
    "ursprünglich",
    "alter termin",
    "anterior",
    "originalmente",
    "initialement",
    "ancienne",
    "oorspronkelijk",
    "previous",
    "original date",
    "old date",
    "original window",
    "originally scheduled",
    "previously scheduled",
    "previous window",
    "old window",
    "no longer valid",
    "superseded",
    "replaced by",
];
/// Labels of a contingency date, used only if the first one is not.
const BACKUP_WORDS: &[&str] = &["backup", "back-up", "alternate", "fallback", "contingency"];
/// Lines that date the mail itself, not the work.
const STAMP_WORDS: &[&str] = &["sent:", "date:", "issued", "received", "wrote:", "posted"];

/// What a date-time on a line is, judging by the words before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Follows a start label.
    Begin,
    /// Follows an end label.
    End,
    /// No label.
    Unknown,
}

/// One date-time found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The instant, in UTC.
    pub at: DateTime<Utc>,
    /// Whether the zone was written (not defaulted to UTC).
    pub zoned: bool,
    /// The zone was written and is UTC/GMT (or +00:00).
    pub utc: bool,
    /// Its role on its line.
    pub role: Role,
    /// The zone is only the notice's one zone (or, for a "local time", the
    /// zone of the one place it names), not written near the time.
    pub inferred: bool,
    /// Labelled as a backup/alternate date.
    pub backup: bool,
    /// The text it was read from.
    pub text: String,
    /// What the reading had to guess (`ambiguous day/month: ...`, a zone
    /// taken from the place the notice names); empty when nothing was.
    pub guesses: Vec<String>,
}

/// A window with the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundWindow {
    /// The window.
    pub window: Window,
    /// Both ends had a written (or notice-wide) zone.
    pub zoned: bool,
    /// Both ends carried begin/end labels (or were one range expression).
    pub labelled: bool,
    /// Both ends were written in UTC/GMT.
    pub utc: bool,
    /// An end's zone is only the notice's one zone.
    pub inferred: bool,
    /// Labelled as a backup/alternate date.
    pub backup: bool,
    /// The end is the begin plus a stated duration, not a written end.
    pub from_duration: bool,
    /// What either end (or the duration) had to guess; a window with any
    /// guess is for a human to check. Also written into `evidence`.
    pub guesses: Vec<String>,
    /// The source text of both ends, then the guesses in brackets.
    pub evidence: String,
}

fn month_num(s: &str) -> Option<u32> {
    let l = s.trim().trim_end_matches('.').to_lowercase();
    if let Some(i) = MONTH_NAMES
        .iter()
        .position(|names| names.contains(&l.as_str()))
    {
        return u32::try_from(i + 1).ok();
    }
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names
        .iter()
        .position(|n| l.starts_with(n))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn num(c: &Captures, name: &str) -> Option<u32> {
    c.name(name)?.as_str().parse().ok()
}

fn year(c: &Captures, name: &str) -> Option<i32> {
    let y: i32 = c.name(name)?.as_str().parse().ok()?;
    Some(if y < 100 { 2000 + y } else { y })
}

/// A date alone, in any of the shapes of [`date_re`].
static DATE_ONLY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b{}", date_re())).ok());

/// A numeric date format written out: `(dd/mm/yyyy)`, `MM/DD/YY`.
static FORMAT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<a>dd|mm|jj|tt|gg)[-/.](?P<b>dd|mm|jj|tt|gg)[-/.](?:yyyy|yy|aaaa|aa|jjjj|rrrr|tttt|uuuu)\b").ok()
});

/// A weekday name: `Mon`, `Tuesday`, `Thurs`.
static WEEKDAY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?P<mon>mon)(?:day)?|(?P<tue>tue)(?:s|sday)?|(?P<wed>wed)(?:nesday)?|(?P<thu>thu)(?:r|rs|rsday)?|(?P<fri>fri)(?:day)?|(?P<sat>sat)(?:urday)?|(?P<sun>sun)(?:day)?)\b").ok()
});

/// What a notice itself shows about the order of day and month in its
/// numeric dates. Only this decides an ambiguous `06/12/2021`.
#[derive(Debug, Default)]
struct DateHints {
    /// A format written out: `(dd/mm/yyyy)` is day-first, `mm/dd/yyyy` not.
    stated: Option<bool>,
    /// Per separator (`/`, `.`, `-`): the order shown by the dates of that
    /// layout that show one (a part above 12, a weekday written just before
    /// that fits one reading only, the same day written with a month name),
    /// when they all agree.
    layouts: Vec<(String, bool)>,
    /// Days written with a month name (`6 December 2021`, `Dec 6, 2021`).
    named: Vec<NaiveDate>,
    /// The reading to take with no mail date to go by: month-first only
    /// where US zones are written (a guess, recorded as one).
    fallback_day_first: bool,
}

fn date_hints(texts: &[&str]) -> DateHints {
    let mut h = DateHints::default();
    let (mut dd_mm, mut mm_dd) = (false, false);
    for t in texts {
        for c in FORMAT.as_ref().into_iter().flat_map(|r| r.captures_iter(t)) {
            // day is dd, jj (jour), tt (Tag) or gg (giorno); month is mm
            let day = |m: regex::Match| {
                let l = m.as_str().to_ascii_lowercase();
                if l == "mm" { l } else { "dd".to_string() }
            };
            let first = c.name("a").map(day);
            let second = c.name("b").map(day);
            match (first.as_deref(), second.as_deref()) {
                (Some("dd"), Some("mm")) => dd_mm = true,
                (Some("mm"), Some("dd")) => mm_dd = true,
                _ => {}
            }
        }
    }
    // every date of every text, read once (the date pattern is costly)
    let dates: Vec<(&str, Vec<Captures>)> = texts
        .iter()
        .map(|t| {
            let caps = DATE_ONLY
                .as_ref()
                .map(|r| r.captures_iter(t).collect())
                .unwrap_or_default();
            (*t, caps)
        })
        .collect();
    for c in dates.iter().flat_map(|(_, caps)| caps) {
        if let Some(d) = named_date(c) {
            h.named.push(d);
        }
    }
    // per separator: how many dates show day-first, how many month-first
    let mut counts: Vec<(String, u32, u32)> = Vec::new();
    for (t, caps) in &dates {
        let mut prev_end = 0;
        for c in caps {
            let Some(m) = c.get(0) else { continue };
            // the text since the previous date, at most 20 bytes of it
            let lead = t.get(prev_end.min(m.start())..m.start()).unwrap_or("");
            prev_end = m.end();
            let (Some(y), Some(a), Some(b), Some(sep)) =
                (year(c, "ny"), num(c, "n1"), num(c, "n2"), c.name("ns"))
            else {
                continue;
            };
            let vote = if a > 12 && b <= 12 {
                Some(true)
            } else if b > 12 && a <= 12 {
                Some(false)
            } else {
                match (
                    NaiveDate::from_ymd_opt(y, b, a),
                    NaiveDate::from_ymd_opt(y, a, b),
                ) {
                    (Some(dm), Some(md)) if dm != md => {
                        let mut from = lead.len().saturating_sub(20);
                        while !lead.is_char_boundary(from) {
                            from += 1;
                        }
                        let near = lead.get(from..).unwrap_or("");
                        weekday_vote(near, dm, md).or_else(|| name_vote(&h.named, dm, md))
                    }
                    _ => None,
                }
            };
            let Some(day_first) = vote else { continue };
            let sep = sep.as_str().to_string();
            let i = match counts.iter().position(|(s, _, _)| *s == sep) {
                Some(i) => i,
                None => {
                    counts.push((sep, 0, 0));
                    counts.len() - 1
                }
            };
            if let Some(entry) = counts.get_mut(i) {
                entry.1 += u32::from(day_first);
                entry.2 += u32::from(!day_first);
            }
        }
    }
    h.stated = match (dd_mm, mm_dd) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    h.layouts = counts
        .into_iter()
        .filter_map(|(sep, dm, md)| match (dm > 0, md > 0) {
            (true, false) => Some((sep, true)),
            (false, true) => Some((sep, false)),
            _ => None,
        })
        .collect();
    h.fallback_day_first = !texts
        .iter()
        .any(|t| US_ZONE.as_ref().is_some_and(|r| r.is_match(t)));
    h
}

static US_ZONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:[ECMP][SD]T|Eastern|Central|Pacific|Mountain|America/)").ok()
});

/// A date written with its month's name and a year.
fn named_date(c: &Captures) -> Option<NaiveDate> {
    if let Some(y) = year(c, "ay") {
        return NaiveDate::from_ymd_opt(y, month_num(c.name("am")?.as_str())?, num(c, "ad")?);
    }
    if let Some(y) = year(c, "dy") {
        return NaiveDate::from_ymd_opt(y, month_num(c.name("dm")?.as_str())?, num(c, "dd")?);
    }
    if let Some(y) = year(c, "my") {
        return NaiveDate::from_ymd_opt(y, month_num(c.name("mm")?.as_str())?, num(c, "md")?);
    }
    None
}

/// The last weekday named in `s`.
fn weekday_in(s: &str) -> Option<Weekday> {
    let c = WEEKDAY.as_ref()?.captures_iter(s).last()?;
    [
        ("mon", Weekday::Mon),
        ("tue", Weekday::Tue),
        ("wed", Weekday::Wed),
        ("thu", Weekday::Thu),
        ("fri", Weekday::Fri),
        ("sat", Weekday::Sat),
        ("sun", Weekday::Sun),
    ]
    .into_iter()
    .find_map(|(g, w)| c.name(g).map(|_| w))
}

/// Whether a weekday named in `near` (the last one) fits the day-first
/// reading `dm` only (`Some(true)`) or the month-first `md` only.
fn weekday_vote(near: &str, dm: NaiveDate, md: NaiveDate) -> Option<bool> {
    let w = weekday_in(near)?;
    match (dm.weekday() == w, md.weekday() == w) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Whether the notice writes the day of `dm` only (`Some(true)`) or of `md`
/// only with its month's name.
fn name_vote(named: &[NaiveDate], dm: NaiveDate, md: NaiveDate) -> Option<bool> {
    match (named.contains(&dm), named.contains(&md)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// A subject prefix of a forward or reply: `Fwd:`, `RE:`, `[Fwd: ...]`, `WG:`.
static PASSED_ON: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|[\s\[(])(?:re|fwd?|tr|wg|aw)\s*:").ok());

/// The day an undecided numeric date is judged against.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    /// The mail's own date, or the date of the notice it forwards.
    day: NaiveDate,
    /// Whether the work is taken to follow `day` (a notice goes out before
    /// the work); a forward with no date of its notice only bounds it.
    after: bool,
    /// What `day` is, for the evidence.
    what: String,
}

/// What an undecided numeric date is judged against: the date of the
/// notice a mail forwards or answers when a `Date:`/`Sent:` line in the body
/// gives one (the earliest not after `sent`), else the mail's own date; for
/// a forward or reply with no such line the nearest reading either side.
fn reference(text: &str, subject: &str, sent: Option<NaiveDate>) -> Option<Reference> {
    let sent = sent?;
    let stamped = text
        .lines()
        .filter(|l| {
            let l = l
                .trim_start_matches([' ', '>', '*', '\t'])
                .to_ascii_lowercase();
            STAMP_WORDS.iter().any(|w| l.starts_with(w))
        })
        .flat_map(|l| {
            DATE_ONLY
                .as_ref()
                .into_iter()
                .flat_map(move |r| r.captures_iter(l))
        })
        .filter_map(|c| {
            year(&c, "iy")
                .and_then(|y| NaiveDate::from_ymd_opt(y, num(&c, "im")?, num(&c, "id")?))
                .or_else(|| named_date(&c))
        })
        .filter(|d| *d <= sent)
        .min();
    if let Some(day) = stamped {
        return Some(Reference {
            day,
            after: true,
            what: format!("the date {day} of the notice it passes on"),
        });
    }
    let lower = text.to_ascii_lowercase();
    let passed_on = PASSED_ON.as_ref().is_some_and(|r| r.is_match(subject))
        || lower.contains("forwarded message")
        || lower.contains("original message");
    Some(Reference {
        day: sent,
        after: !passed_on,
        what: if passed_on {
            format!("the date {sent} of the forward or reply")
        } else {
            format!("the mail's date {sent}")
        },
    })
}

/// The date of `c`, and the guess made to read it, if one was. A numeric
/// date both of whose readings exist is decided by the notice (see
/// [`DateHints`]) or by a weekday named in `context` (the text just before
/// the date and the match itself); failing that the reading nearest after
/// the [`Reference`] day (less a day, for a mail stamped in another zone) is
/// taken, else the nearest before it, and the choice is returned as a guess.
/// `guessed` keeps the order guessed per layout (separator), so that the
/// other undecided dates of that layout are read the same way.
fn read_date(
    c: &Captures,
    hints: &DateHints,
    sent: Option<&Reference>,
    year_from: Option<NaiveDate>,
    context: &str,
    guessed: &mut Vec<(String, bool, String)>,
) -> Option<(NaiveDate, Option<String>)> {
    let (Some(y), Some(a), Some(b)) = (year(c, "ny"), num(c, "n1"), num(c, "n2")) else {
        return date_of(c, year_from).map(|d| (d, None));
    };
    let (dm, md) = match (
        NaiveDate::from_ymd_opt(y, b, a),
        NaiveDate::from_ymd_opt(y, a, b),
    ) {
        (Some(dm), Some(md)) if dm != md => (dm, md),
        (Some(one), _) | (None, Some(one)) => return Some((one, None)),
        (None, None) => return None,
    };
    let sep = c.name("ns").map_or("/", |m| m.as_str());
    let decided = hints
        .stated
        .or_else(|| {
            hints
                .layouts
                .iter()
                .find(|(s, _)| s == sep)
                .map(|(_, d)| *d)
        })
        .or_else(|| weekday_vote(context, dm, md));
    if let Some(day_first) = decided {
        return Some((if day_first { dm } else { md }, None));
    }
    let raw = format!(
        "{}{sep}{}{sep}{}",
        c.name("n1").map_or("", |m| m.as_str()),
        c.name("n2").map_or("", |m| m.as_str()),
        c.name("ny").map_or("", |m| m.as_str())
    );
    // one guess per layout: later dates are read the way the first one was,
    // so a begin and its end never disagree
    let earlier = guessed.iter().find(|(s, _, _)| s == sep);
    let (pick, why) = match (earlier, sent) {
        (Some((_, day_first, first)), _) => (
            if *day_first { dm } else { md },
            format!("read like {first} before it"),
        ),
        (None, Some(r)) if !r.after => {
            let dist = |d: NaiveDate| (d - r.day).num_days().abs();
            let pick = if dist(md) < dist(dm) { md } else { dm };
            (pick, format!("the reading nearest {}", r.what))
        }
        (None, Some(r)) => {
            let from = r.day - Duration::days(1);
            match [dm, md].into_iter().filter(|d| *d >= from).min() {
                Some(d) => (d, format!("the reading nearest after {}", r.what)),
                None => (
                    dm.max(md),
                    format!("both readings are before {}; the later", r.what),
                ),
            }
        }
        (None, None) if hints.fallback_day_first => (dm, "no mail date; day-first".to_string()),
        (None, None) => (
            md,
            "no mail date; month-first, as US zones are named".to_string(),
        ),
    };
    let other = if pick == dm { md } else { dm };
    if earlier.is_none() {
        guessed.push((sep.to_string(), pick == dm, raw.clone()));
    }
    Some((
        pick,
        Some(format!(
            "ambiguous day/month: {raw} read as {pick}, could be {other} ({why})"
        )),
    ))
}

/// The date of `c` when it is not an `a/b/y` numeric one (see [`read_date`]);
/// a year-less date takes the year that puts it nearest `sent`.
fn date_of(c: &Captures, sent: Option<NaiveDate>) -> Option<NaiveDate> {
    if let (Some(sent), Some(d), Some(m)) = (sent, num(c, "yd"), c.name("ym")) {
        // no year written: the one that puts the date nearest the mail's own
        let m = month_num(m.as_str())?;
        let y = sent.year();
        return [y - 1, y, y + 1]
            .iter()
            .filter_map(|y| NaiveDate::from_ymd_opt(*y, m, d))
            .min_by_key(|x| (*x - sent).num_days().abs());
    }
    if let Some(y) = year(c, "iy") {
        return NaiveDate::from_ymd_opt(y, num(c, "im")?, num(c, "id")?);
    }
    named_date(c)
}

fn hour12(h: u32, ap: Option<&str>) -> Option<u32> {
    match ap.map(|s| s.to_ascii_lowercase()) {
        None => Some(h),
        Some(a) if h == 0 || h > 12 => (a == "a" || a == "p").then_some(h).filter(|h| *h < 24),
        Some(a) if a == "p" => Some(if h == 12 { 12 } else { h + 12 }),
        Some(_) => Some(if h == 12 { 0 } else { h }),
    }
}

fn time_of(c: &Captures) -> Option<NaiveTime> {
    if let Some(h) = num(c, "hh") {
        return NaiveTime::from_hms_opt(h, num(c, "mm2")?, 0);
    }
    let h = hour12(num(c, "h")?, c.name("ap").map(|m| m.as_str()))?;
    NaiveTime::from_hms_opt(h, num(c, "mi")?, num(c, "s").unwrap_or(0))
}

fn resolve_zone(word: &str) -> Option<Zone> {
    let w = word.trim();
    if w.eq_ignore_ascii_case("z") {
        return Some(tz::UTC);
    }
    if matches!(w.to_ascii_uppercase().as_str(), "AM" | "PM" | "TO" | "AND") {
        return None;
    }
    // an abbreviation first: "CET" is also an IANA zone name, but one with
    // summer time, while a notice writing "CET" means UTC+1
    tz::abbreviation(w)
        .or_else(|| tz::zone_by_name(w))
        .or_else(|| tz::offset(&w.replace(' ', "")))
}

/// The zone written right after position `end` of `line`.
fn zone_after(line: &str) -> Option<(Zone, usize)> {
    let c = ZONE_AFTER.as_ref()?.captures(line)?;
    let z = c.name("z")?;
    resolve_zone(z.as_str()).map(|zone| (zone, c.get(0).map_or(0, |m| m.end())))
}

/// The zone words in `s`, resolved; a word that is part of an identifier
/// (`EST-MX-44120`, `CAT/ETH/1`) is none.
fn zone_words(s: &str) -> impl Iterator<Item = Zone> + '_ {
    ZONE_ANY.iter().flat_map(move |re| {
        re.captures_iter(s).filter_map(move |c| {
            let z = c.name("z")?;
            let after = s.get(z.end()..).unwrap_or("");
            let mut rest = after.chars();
            let joined = matches!(rest.next(), Some('-' | '/' | '_'))
                && rest.next().is_some_and(|c| c.is_ascii_alphabetic());
            let before = s.get(..z.start()).unwrap_or("");
            let glued = before.ends_with(['-', '/', '_']);
            if joined || glued {
                return None;
            }
            resolve_zone(z.as_str())
        })
    })
}

/// The last zone word in `s`.
fn zone_in(s: &str) -> Option<Zone> {
    zone_words(s).last()
}

/// The first zone word in `s` (a range's zone written after its end).
fn first_zone_in(s: &str) -> Option<Zone> {
    zone_words(s).next()
}

/// The first city or region named as a zone in `s` (see [`CITY_CUE`]),
/// resolved by `tz::city`, so its DST follows the date in question.
fn city_in(s: &str) -> Option<Zone> {
    let lower = s.to_lowercase();
    if let Some((_, tz)) = COUNTRY_TIMES.iter().find(|(w, _)| lower.contains(w)) {
        return Some(Zone::Named(*tz));
    }
    CITY_CUE.as_ref()?.captures_iter(s).find_map(|c| {
        let name = ["a", "b", "c", "d"]
            .iter()
            .find_map(|g| c.name(g))?
            .as_str();
        city_variant(name).or_else(|| {
            // "Frankfurt Main", "Local London": the one word that is a city
            name.split([' ', '_']).find_map(city_variant)
        })
    })
}

/// A country's or region's time named in words ("Nederlandse tijd", "ora
/// italiana", "hora peninsular"): the zone of its capital.
const COUNTRY_TIMES: &[(&str, chrono_tz::Tz)] = &[
    ("nederlandse tijd", chrono_tz::Tz::Europe__Amsterdam),
    ("belgische tijd", chrono_tz::Tz::Europe__Brussels),
    ("ora italiana", chrono_tz::Tz::Europe__Rome),
    ("hora peninsular", chrono_tz::Tz::Europe__Madrid),
    ("hora de españa", chrono_tz::Tz::Europe__Madrid),
    ("heure française", chrono_tz::Tz::Europe__Paris),
    ("heure de france", chrono_tz::Tz::Europe__Paris),
    ("deutsche zeit", chrono_tz::Tz::Europe__Berlin),
    ("deutscher zeit", chrono_tz::Tz::Europe__Berlin),
    ("svensk tid", chrono_tz::Tz::Europe__Stockholm),
    ("norsk tid", chrono_tz::Tz::Europe__Oslo),
    ("dansk tid", chrono_tz::Tz::Europe__Copenhagen),
    ("czasu polskiego", chrono_tz::Tz::Europe__Warsaw),
    ("czas polski", chrono_tz::Tz::Europe__Warsaw),
    ("centro de méxico", chrono_tz::Tz::America__Mexico_City),
    ("hora de méxico", chrono_tz::Tz::America__Mexico_City),
    ("uk time", chrono_tz::Tz::Europe__London),
    ("irish time", chrono_tz::Tz::Europe__Dublin),
    ("swiss time", chrono_tz::Tz::Europe__Zurich),
];

/// A city by its name or its adjective: "Frankfurter Zeit" (German),
/// "Brusselse tijd" (Dutch, Brussel → Brussels).
fn city_variant(name: &str) -> Option<Zone> {
    tz::city(name)
        .or_else(|| name.strip_suffix("er").and_then(tz::city))
        .or_else(|| {
            let stem = name.strip_suffix("se")?;
            tz::city(stem).or_else(|| tz::city(&format!("{stem}s")))
        })
}

/// Names `tz::city` resolves that in a notice are seldom the place meant:
/// directions and regions (`Central`, `North`), people (`Davis`, `Regina`),
/// words (`Christmas`, `Wake`), and parts of longer names (`Jersey` in
/// "New Jersey", `Petersburg` in "St Petersburg").
const NOT_PLACES: &[&str] = &[
    "act",
    "acre",
    "atlantic",
    "beulah",
    "casey",
    "center",
    "central",
    "christmas",
    "continental",
    "currie",
    "davis",
    "dawson",
    "east",
    "easter",
    "eastern",
    "general",
    "jersey",
    "johnston",
    "knox",
    "lhi",
    "lindeman",
    "louisville",
    "marengo",
    "midway",
    "monticello",
    "mountain",
    "new salem",
    "norfolk",
    "north",
    "nsw",
    "pacific",
    "palmer",
    "petersburg",
    "regina",
    "resolute",
    "reunion",
    "south",
    "stanley",
    "tell city",
    "troll",
    "vevay",
    "victoria",
    "vincennes",
    "wake",
    "west",
    "winamac",
    "yancowinna",
];

/// A run of capitalised or all-caps words: a place name candidate.
static CAPITALISED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z][a-z]+|[A-Z]{3,})(?: (?:[A-Z][a-z]+|[A-Z]{3,})){0,3}\b").ok()
});

/// Capitalised words right after a time: `00:00 FRANKFURT`, `23:00 Singapore`.
static WORDS_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^ *(?:hrs\b|hours\b|h\b)? *[\(\[]? *(?P<w>(?:[A-Z][a-z]+|[A-Z]{3,})(?: (?:[A-Z][a-z]+|[A-Z]{3,})){0,2})\b").ok()
});

/// The end of a range on the same line, up to its time: `- 2025-03-05 04:00`.
static RANGE_END: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:-|–|—|to\b|until\b|till\b).{0,30}?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?P<r>\s.*|$)").ok()
});

/// The zone of a place name, unless it is one of [`NOT_PLACES`] or a
/// polar station.
fn place(name: &str) -> Option<chrono_tz::Tz> {
    let lower = name.to_ascii_lowercase();
    if NOT_PLACES.contains(&lower.as_str()) {
        return None;
    }
    match tz::city(&lower)? {
        Zone::Named(t) if !t.name().starts_with("Antarctica/") => Some(t),
        _ => None,
    }
}

/// The longest run of words from the start of `words` that names a place.
fn place_prefix(words: &[&str]) -> Option<(String, chrono_tz::Tz, usize)> {
    (1..=words.len()).rev().find_map(|j| {
        let name = words.get(..j)?.join(" ");
        place(&name).map(|t| (name, t, j))
    })
}

/// Every place named in `s` (capitalised or all-caps words that
/// `tz::city` resolves), as written, with its zone.
fn places_in(s: &str) -> Vec<(String, chrono_tz::Tz)> {
    let mut out = Vec::new();
    for m in CAPITALISED
        .as_ref()
        .into_iter()
        .flat_map(|r| r.find_iter(s))
    {
        let words: Vec<&str> = m.as_str().split(' ').collect();
        let mut i = 0;
        while let Some(rest) = words.get(i..).filter(|r| !r.is_empty()) {
            match place_prefix(rest) {
                Some((name, t, n)) => {
                    out.push((name, t));
                    i += n;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// The zone of the one place a notice names (in `texts`: its body and
/// subject), with the names as written; `None` when it names none, or
/// places in different zones.
fn place_zone(texts: &[&str]) -> Option<(chrono_tz::Tz, String)> {
    let mut zone: Option<chrono_tz::Tz> = None;
    let mut names: Vec<String> = Vec::new();
    for (name, t) in texts.iter().flat_map(|s| places_in(s)) {
        if zone.is_some_and(|z| z != t) {
            return None;
        }
        zone = Some(t);
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            names.push(name);
        }
    }
    zone.map(|z| (z, names.join(", ")))
}

/// A place named right after a time, as its zone: `22:00 - 04:00 LONDON`,
/// `Start 2025-03-04 23:00 Singapore`.
fn city_after(s: &str) -> Option<Zone> {
    let c = WORDS_AFTER.as_ref()?.captures(s)?;
    let words: Vec<&str> = c.name("w")?.as_str().split(' ').collect();
    place_prefix(&words).map(|(_, t, _)| Zone::Named(t))
}

/// A place named after the end of a range that starts here:
/// `2025-03-04 22:00 - 2025-03-05 04:00 LONDON` for the begin.
fn city_after_range(s: &str) -> Option<Zone> {
    let c = RANGE_END.as_ref()?.captures(s)?;
    city_after(c.name("r")?.as_str())
}

/// The zone a notice states once for all its times, when it names exactly one.
pub fn notice_zone(text: &str) -> Option<Zone> {
    // "All times are Pacific Time (PDT, UTC-7)": the notice says it
    if let Some(c) = TIMES_ARE.as_ref().and_then(|r| r.captures(text))
        && let Some(z) = c
            .name("z")
            .and_then(|m| first_zone_in(m.as_str()).or_else(|| city_in(m.as_str())))
    {
        return Some(z);
    }
    let mut zones: Vec<Zone> = Vec::new();
    for z in zone_words(text) {
        if !zones.contains(&z) {
            zones.push(z);
        }
    }
    match zones.as_slice() {
        [one] => Some(*one),
        // "Local time (London)" once at the top of the notice
        [] => city_in(text),
        _ => None,
    }
}

/// A sentence stating the zone of every time in the notice.
static TIMES_ARE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:all\s+)?times\s+(?:are|in|shown\s+in|given\s+in|listed\s+in|are\s+in|are\s+given\s+in|are\s+shown\s+in)\b|\b(?:time\s*zone|zona\s+horaria|fuso\s+hor[áa]rio|fuseau\s+horaire|zeitzone|tijdzone|strefa\s+czasowa|fuso\s+orario)\s*[:\t])(?P<z>[^\n.]{1,60})").ok()
});

static ANCHOR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})[- ]({m})[- ,]+(\d{{4}})\b",
        m = MONTHS.as_str()
    ))
    .ok()
});

/// The first full day-month-year date the text writes.
fn anchor_date(text: &str) -> Option<NaiveDate> {
    let c = ANCHOR.as_ref()?.captures(text)?;
    let d: u32 = c.get(1)?.as_str().parse().ok()?;
    let m = month_num(c.get(2)?.as_str())?;
    let y: i32 = c.get(3)?.as_str().parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

fn role_of(before: &str) -> Role {
    let b = before.to_ascii_lowercase();
    let last = |words: &[&str]| words.iter().filter_map(|w| b.rfind(w)).max();
    match (last(START_WORDS), last(END_WORDS)) {
        (Some(s), Some(e)) => {
            if s > e {
                Role::Begin
            } else {
                Role::End
            }
        }
        (Some(_), None) => Role::Begin,
        (None, Some(_)) => Role::End,
        (None, None) => Role::Unknown,
    }
}

/// Every date-time in `text`, in order, each with its zone resolved (written
/// after it, else earlier on its line or the line before, else the notice's
/// one zone, else UTC with `zoned: false`). Lines that date the mail itself
/// (`Sent:`, `Date:`) are skipped.
pub fn find_all(text: &str) -> Vec<Found> {
    find_all_near(text, None)
}

/// [`find_all_in`] with no subject.
pub fn find_all_near(text: &str, sent: Option<DateTime<Utc>>) -> Vec<Found> {
    find_all_in(text, "", sent)
}

/// [`find_all`], with the mail's subject and its own date `sent` as more
/// evidence: an ambiguous numeric date (`06/08/2021`) the notice does not
/// decide is read as the reading nearest after `sent` (notices go out days
/// or weeks before the work), and a "local time" with no zone takes the zone
/// of the one place the body and subject name (`San Jose, CA`); both are
/// recorded in [`Found::guesses`].
pub fn find_all_in(text: &str, subject: &str, sent: Option<DateTime<Utc>>) -> Vec<Found> {
    let Some(re) = DATETIME.as_ref() else {
        return Vec::new();
    };
    let text = date_first(text);
    let text = text.as_ref();
    let hints = date_hints(&[text, subject]);
    let refer = reference(text, subject, sent.map(|s| s.date_naive()));
    let mut guessed: Vec<(String, bool, String)> = Vec::new();
    let mut place: Option<Option<(chrono_tz::Tz, String)>> = None;
    // year-less dates ("02 NOV 14:00") take their year from a full date
    // the notice writes, else from the mail's own date
    let sent_day = anchor_date(text).or(sent.map(|s| s.date_naive()));
    let doc_zone = notice_zone(text);
    let mut out = Vec::new();
    let mut prev_line = "";
    // the first row of the tab-separated table the line is in (its header:
    // "Window<TAB>Start (UTC)<TAB>End (UTC)")
    let mut table_head = "";
    let mut in_table = false;
    let all_lines: Vec<&str> = text.lines().collect();
    for (line_no, line) in all_lines.iter().copied().enumerate() {
        let next_line = all_lines.get(line_no + 1).copied();
        if line.trim_end().contains('\t') {
            if !in_table {
                table_head = line;
            }
            in_table = true;
        } else {
            in_table = false;
            table_head = "";
        }
        let lower = line
            .trim_start_matches([' ', '>', '*', '\t'])
            .to_ascii_lowercase();
        if STAMP_WORDS.iter().any(|w| lower.starts_with(w)) {
            prev_line = line;
            continue;
        }
        let mut last_end: Option<usize> = None;
        let mut prev_on_line: Option<(usize, Role)> = None;
        let mut caps: Vec<Captures> = re.captures_iter(line).collect();
        if let Some(td) = TIMEDATE.as_ref() {
            for c in td.captures_iter(line) {
                let Some(m) = c.get(0) else { continue };
                // "23:00 di martedì 04/02/2025 alle ore 03:00 di mercoledì
                // 05/02/2025": a time-first reading that starts earlier than
                // an overlapping date-first one is the right one
                let clash = |o: &Captures| {
                    o.get(0)
                        .is_some_and(|x| x.start() < m.end() && m.start() < x.end())
                };
                if caps
                    .iter()
                    .any(|o| clash(o) && o.get(0).is_some_and(|x| x.start() <= m.start()))
                {
                    continue;
                }
                caps.retain(|o| !clash(o));
                caps.push(c);
            }
            caps.sort_by_key(|c| c.get(0).map_or(0, |m| m.start()));
        }
        for c in caps {
            let Some(all) = c.get(0) else { continue };
            // "07:00:21" is when something was logged, not a window boundary
            if num(&c, "s").is_some_and(|sec| sec != 0) {
                continue;
            }
            let rest = line.get(all.end()..).unwrap_or("");
            let before = line.get(..all.start()).unwrap_or("");
            let since_prev = last_end.and_then(|e| line.get(e..all.start()));
            // a weekday just before the date (or inside the match) may decide it
            let lead = since_prev.unwrap_or(before);
            let mut from = lead.len().saturating_sub(20);
            while !lead.is_char_boundary(from) {
                from += 1;
            }
            let context = format!("{} {}", lead.get(from..).unwrap_or(""), all.as_str());
            let (Some((date, date_guess)), Some(time)) = (
                read_date(&c, &hints, refer.as_ref(), sent_day, &context, &mut guessed),
                time_of(&c),
            ) else {
                continue;
            };
            let naive = NaiveDateTime::new(date, time);
            last_end = Some(all.end());
            // a same-day end time: "22:00 - 02:00 UTC"
            // "2026-02-10T01:00:00-07:00": right after an ISO time (with a
            // "T" or seconds) a signed hh:mm is its offset, not an end time
            let iso_offset = (all.as_str().contains('T') || num(&c, "s").is_some())
                && rest.starts_with(['+', '-']);
            let tail = TIME_TAIL
                .as_ref()
                .filter(|_| !iso_offset)
                .and_then(|r| r.captures(rest))
                .filter(|t| {
                    // "bis 11.03.2025": the start of a date, not a time
                    let end = t.get(0).map_or(0, |m| m.end());
                    !rest.get(end..).is_some_and(|r| {
                        r.starts_with(['.', '/', '-'])
                            && r.get(1..)
                                .is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit()))
                    })
                })
                .and_then(|t| {
                    let h = hour12(num(&t, "h")?, t.name("ap").map(|m| m.as_str()))?;
                    let end = NaiveTime::from_hms_opt(h, num(&t, "mi")?, 0)?;
                    Some((end, t.get(0).map_or(0, |m| m.end())))
                });
            let after_tail = tail.and_then(|(_, n)| rest.get(n..)).unwrap_or(rest);
            // "02:00-06:00 JST": with a same-day end time, "-06:00" is that
            // end, not an offset, so the zone after the range comes first
            let written = tail
                .and_then(|_| zone_after(after_tail))
                .or_else(|| zone_after(rest))
                .map(|(z, _)| z)
                .or_else(|| zone_after(after_tail).map(|(z, _)| z))
                // "00:00 FRANKFURT", "22:00 - 04:00 LONDON"
                .or_else(|| city_after(rest))
                .or_else(|| city_after(after_tail))
                // "22:00 CEST 12-Oct-2024": the zone between time and date
                .or_else(|| zone_in(all.as_str()))
                .or_else(|| first_zone_in(rest))
                // "23:00 (Singapore)", "Hora local Madrid: ..."
                .or_else(|| city_in(rest))
                // "2025-03-04 22:00 - 2025-03-05 04:00 LONDON"
                .or_else(|| city_after_range(rest))
                .or_else(|| city_in(before))
                .or_else(|| zone_in(before))
                .or_else(|| zone_in(prev_line))
                .or_else(|| zone_in(table_head))
                // "02:00 AM – 06:00 AM\n(Hong Kong Time, GMT+8)"
                .or_else(|| {
                    next_line
                        .filter(|l| l.trim_start().starts_with('('))
                        .and_then(|l| zone_in(l).or_else(|| city_in(l)))
                })
                .or_else(|| city_in(prev_line));
            let mut guesses: Vec<String> = date_guess.into_iter().collect();
            let mut zone_found = written.or(doc_zone);
            // "LOCAL: 02 JUL 19:00", "(local time)": no zone is written, so
            // only the one place the notice names can stand for it, as a guess
            if written.is_none()
                && (before.to_ascii_lowercase().contains("local")
                    || all.as_str().to_ascii_lowercase().contains("local")
                    || rest
                        .get(..30.min(rest.len()))
                        .is_some_and(|r| r.to_ascii_lowercase().contains("local")))
            {
                let Some((t, names)) = place
                    .get_or_insert_with(|| place_zone(&[text, subject]))
                    .clone()
                else {
                    continue;
                };
                zone_found = Some(Zone::Named(t));
                guesses.push(format!(
                    "local time with no zone: {} taken from the one place the notice names ({names})",
                    t.name()
                ));
            }
            let inferred = written.is_none();
            let (zone, zoned) = match zone_found {
                Some(z) => (z, true),
                None => (tz::UTC, false),
            };
            let Some(at) = tz::localize(&zone, naive) else {
                continue;
            };
            let utc = written.is_some() && at == naive.and_utc();
            let mut role = match since_prev {
                Some(gap) => role_of(gap),
                None => role_of(before),
            };
            if let Some(gap) = since_prev
                && role == Role::Unknown
                && gap.len() < 25
                && RANGE_JOIN.as_ref().is_some_and(|r| r.is_match(gap))
            {
                role = Role::End;
            }
            if role == Role::Unknown && since_prev.is_none() {
                role = role_of(prev_line.rsplit('\t').next().unwrap_or(""));
                if role != Role::Unknown && !prev_line.trim().ends_with(':') {
                    role = Role::Unknown;
                }
            }
            // "Start <old date> <new date>": the later one on a labelled
            // line replaces the first (a moved window shows both)
            if let (Some(gap), Some((idx, prev_role))) = (since_prev, prev_on_line)
                && role == Role::Unknown
                && prev_role != Role::Unknown
                && gap.trim().len() <= 6
                && !RANGE_JOIN.as_ref().is_some_and(|r| r.is_match(gap))
                && idx + 1 == out.len()
            {
                out.pop();
                role = prev_role;
            }
            // "NEW window: …" labels its own line; "  joi 14.01.2027, …" under
            // "Original window (no longer valid):" does not
            let own_label = before.contains([':', '\t']);
            let lower_ctx = if own_label {
                before.to_lowercase()
            } else {
                format!("{before} {prev_line}").to_lowercase()
            };
            let backup = BACKUP_WORDS
                .iter()
                .chain(SUPERSEDED_WORDS)
                .any(|w| lower_ctx.contains(w));
            let src = all.as_str().trim().to_string();
            if let Some((end_t, n)) = tail {
                let mut end_naive = NaiveDateTime::new(date, end_t);
                if end_naive <= naive {
                    end_naive += Duration::days(1);
                }
                if let Some(end) = tz::localize(&zone, end_naive) {
                    out.push(Found {
                        at,
                        zoned,
                        utc,
                        role: Role::Begin,
                        inferred,
                        backup,
                        text: src.clone(),
                        guesses: guesses.clone(),
                    });
                    out.push(Found {
                        at: end,
                        zoned,
                        utc,
                        role: Role::End,
                        inferred,
                        backup,
                        text: format!("{src}{}", rest.get(..n).unwrap_or("")),
                        guesses,
                    });
                    prev_on_line = None;
                    continue;
                }
            }
            out.push(Found {
                at,
                zoned,
                utc,
                role,
                inferred,
                backup,
                text: src,
                guesses,
            });
            prev_on_line = Some((out.len() - 1, role));
        }
        if !line.trim().is_empty() {
            prev_line = line;
        }
    }
    out
}

/// A short time (`22:00`, `10:00 PM`, `00h00`).
const SHORT_TIME: &str = r"\d{1,2}[:.hH]\d{2}(?:\s*[ap]\.?m\.?)?";

/// A time range written before its date: `22:00-04:00 UTC on 11 March 2025`.
static RANGE_FIRST: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?P<t1>{SHORT_TIME})\s*(?:-|–|to|until|till)\s*(?P<t2>{SHORT_TIME}(?:\s*\(?(?-i:[A-Z]{{2,5}}|(?:UTC|GMT)\s*[+\-]\s*\d{{1,2}}(?::?\d{{2}})?)\)?)?)\s*,?\s*(?:on\s+)?(?:[a-z]{{3,9}},?\s+)?(?P<d>{})",
        date_re()
    ))
    .ok()
});

static TIME_ONLY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!(r"(?i){SHORT_TIME}")).ok());

/// A `Date:` line with no time, then a `Time:` line with no date.
static DATE_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[ \t>*■•]*(?:[^:\n/\t]{1,30}/[ \t]*)?(?:date|datum|fecha|data|dia|día|jour|day|janela[^:\t\n]{0,30}|ventana[^:\t\n]{0,30}|window|finestra[^:\t\n]{0,30}|venster|termin)[ \t]*[:\t][ \t]*(?P<v>\S.*)$",
    )
    .ok()
});
static TIME_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<l>[ \t>*■•]*(?:[^:\n/\t]{1,30}/[ \t]*)?(?:times?|hours|window|interval|zeit|uhrzeit|hora|horario|horário|heure|horaire|orario|start|begin|beginn|début|debut|inicio|início|aanvang|end|finish|ende|fin|término|fim|einde|from|to|until)[ \t]*[:\t])[ \t]*(?P<v>\S.*)$").ok()
});

/// The text with dates moved in front of their times where a notice writes
/// them the other way round or apart, so one reading serves every layout:
/// `22:00-04:00 UTC on 11 March 2025` → `11 March 2025 22:00 - 04:00 UTC`;
/// `Date: Thursday, January 16, 2025` + `Time: 12:00 AM to 6:00 AM Eastern`
/// → the time line gets the date.
fn date_first(text: &str) -> std::borrow::Cow<'_, str> {
    let (Some(range), Some(date_line), Some(time_line), Some(date_only), Some(time_only)) = (
        RANGE_FIRST.as_ref(),
        DATE_LINE.as_ref(),
        TIME_LINE.as_ref(),
        DATE_ONLY.as_ref(),
        TIME_ONLY.as_ref(),
    ) else {
        return text.into();
    };
    let has_time = |s: &str| time_only.is_match(s);
    let mut changed = false;
    let mut lines: Vec<String> = Vec::new();
    let mut pending_date: Option<(String, usize)> = None;
    let all: Vec<&str> = text.lines().collect();
    let mut skip_next = false;
    for (i, line) in all.iter().copied().enumerate() {
        if skip_next {
            skip_next = false;
            continue;
        }
        let mut l = line.to_string();
        if range.is_match(line) {
            l = range.replace_all(line, "$d $t1 - $t2").into_owned();
            changed = true;
        } else if has_time(line)
            && !date_only.is_match(line)
            && let Some(next) = all.get(i + 1)
        {
            // prose wrapped between the range and its date: "from 1:00 AM
            // to 5:00 AM (GMT+3) on\nFriday, 9 January 2026"
            let both = format!("{} {}", line.trim_end(), next.trim_start());
            if range.is_match(&both) {
                l = range.replace_all(&both, "$d $t1 - $t2").into_owned();
                changed = true;
                skip_next = true;
            }
        }
        if let Some((d, at)) = &pending_date
            && lines.len() <= at + 3
            && let Some(c) = time_line.captures(&l)
            && let (Some(label), Some(v)) = (c.name("l"), c.name("v"))
            && has_time(v.as_str())
            && !date_only.is_match(v.as_str())
        {
            l = format!("{} {d} {}", label.as_str(), v.as_str());
            changed = true;
            // the date may serve the end line too ("Date:", "Start:", "End:")
        } else if let Some(c) = date_line.captures(&l)
            && let Some(v) = c.name("v")
            && date_only.is_match(v.as_str())
            && !has_time(v.as_str())
        {
            // the date itself, not a format note after it ("(dd/mm/aaaa)")
            let d = date_only
                .find(v.as_str())
                .map_or(v.as_str(), |m| m.as_str());
            pending_date = Some((d.trim().to_string(), lines.len()));
        }
        lines.push(l);
    }
    if changed {
        let mut out = lines.join("\n");
        if text.ends_with('\n') {
            out.push('\n');
        }
        out.into()
    } else {
        text.into()
    }
}

/// Pair date-times into windows: a begin (labelled or not) with the next
/// later instant within [`MAX_WINDOW_HOURS`]; repeats of an instant already
/// used (the same time given in a second zone) are skipped, and so are
/// windows already found.
pub fn pair(found: &[Found]) -> Vec<FoundWindow> {
    let mut out: Vec<FoundWindow> = Vec::new();
    let mut used: Vec<DateTime<Utc>> = Vec::new();
    let mut pending: Option<&Found> = None;
    for f in found {
        // an instant already in a window is a repeat in another zone; a
        // UTC-written one may still replace a local reading (below)
        if used.contains(&f.at) && !f.utc {
            continue;
        }
        match pending {
            None => {
                if f.role != Role::End {
                    pending = Some(f);
                }
            }
            Some(b) => {
                if f.at == b.at {
                    continue;
                }
                let hours = (f.at - b.at).num_hours();
                if f.role != Role::Begin && f.at > b.at && hours <= MAX_WINDOW_HOURS {
                    if let Ok(w) = Window::new(b.at, f.at) {
                        let guesses = joined(&b.guesses, &f.guesses);
                        let new = FoundWindow {
                            window: w,
                            zoned: b.zoned && f.zoned,
                            labelled: b.role == Role::Begin && f.role == Role::End,
                            utc: b.utc && f.utc,
                            inferred: b.inferred || f.inferred,
                            backup: b.backup || f.backup,
                            from_duration: false,
                            evidence: with_guesses(format!("{} → {}", b.text, f.text), &guesses),
                            guesses,
                        };
                        if let Some(old) = out.iter_mut().find(|o| o.window == w) {
                            // the same window read again with nothing guessed
                            // (the UTC line under a "local" one) confirms it
                            if !old.guesses.is_empty() && new.guesses.is_empty() {
                                let backup = old.backup || new.backup;
                                *old = new;
                                old.backup = backup;
                            }
                        } else {
                            // the same work given in two zones that disagree
                            // by a minute ("00:01 Pacific" / "07:00 GMT"):
                            // keep the UTC reading
                            match out.iter().position(|o| overlaps(&o.window, &w)) {
                                Some(i) => {
                                    if new.utc
                                        && let Some(old) = out.get_mut(i)
                                        && !old.utc
                                    {
                                        let backup = old.backup || new.backup;
                                        *old = new;
                                        old.backup = backup;
                                    }
                                }
                                None => {
                                    used.push(b.at);
                                    used.push(f.at);
                                    out.push(new);
                                }
                            }
                        }
                    }
                    pending = None;
                } else if f.role != Role::End {
                    pending = Some(f);
                }
            }
        }
    }
    out
}

/// An amount of time: `4 hours`, `90 minutes`, `2 hrs`, `1.5h`, `30 min`.
static AMOUNT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<n>\d{1,3}(?:[.,]\d{1,2})?)\s*(?P<u>hours?|hrs?|h|minutes?|mins?)\b").ok()
});

/// Words before an amount that make it the length of the work.
const DURATION_WORDS: &[&str] = &[
    "duration",
    "lasting",
    "last for",
    "take approx",
    "take about",
];
/// `for up to 2 hrs`: a length, but not labelled as one.
const FOR_WORDS: &[&str] = &[
    "for up to",
    "for approximately",
    "for approx",
    "for about",
    "for around",
    "for",
];
/// Words before an amount that make it the length of the outage only.
const OUTAGE_WORDS: &[&str] = &[
    "outage",
    "downtime",
    "down time",
    "interruption",
    "loss of service",
    "service impact",
    "disruption",
    " hit",
];

/// A length of time the notice states for the work or for its outage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stated {
    /// The length in seconds (> 0).
    pub seconds: i64,
    /// Called a duration (`Duration: 4 hours`), not just `for up to 2 hrs`.
    pub labelled: bool,
    /// The length of the outage (`Outage duration: 30 min`), not of the work.
    pub outage: bool,
    /// The text it was read from.
    pub text: String,
}

/// Every stated duration in `text`, in order. An amount counts only after a
/// cue on its own line, within 40 bytes: `duration`, `for up to`, `lasting`.
pub fn durations(text: &str) -> Vec<Stated> {
    let Some(re) = AMOUNT.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in text.lines() {
        for c in re.captures_iter(line) {
            let (Some(all), Some(n), Some(u)) = (c.get(0), c.name("n"), c.name("u")) else {
                continue;
            };
            let before = line.get(..all.start()).unwrap_or("");
            let mut from = before.len().saturating_sub(40);
            while !before.is_char_boundary(from) {
                from += 1;
            }
            let near = before.get(from..).unwrap_or("").to_ascii_lowercase();
            // only what follows the last date-time or clause on the line
            let near = near.rsplit([',', ';', '|', '\t']).next().unwrap_or("");
            let labelled = DURATION_WORDS.iter().any(|w| near.contains(w));
            let trimmed = near.trim_end();
            let for_cue = FOR_WORDS
                .iter()
                .any(|w| trimmed == *w || trimmed.ends_with(&format!(" {w}")));
            let outage = OUTAGE_WORDS.iter().any(|w| near.contains(w));
            // "Loss of service up to 30 minutes", "Expected outage: 5 min"
            let outage_cue = outage
                && [
                    "up to",
                    "approximately",
                    "approx.",
                    "about",
                    "around",
                    "of",
                    ":",
                ]
                .iter()
                .any(|w| trimmed.ends_with(w));
            if !labelled && !for_cue && !outage_cue {
                continue;
            }
            let Ok(amount) = n.as_str().replace(',', ".").parse::<f64>() else {
                continue;
            };
            let unit = if u.as_str().to_ascii_lowercase().starts_with('h') {
                3600.0
            } else {
                60.0
            };
            let seconds = (amount * unit).round() as i64;
            if seconds <= 0 || seconds > MAX_WINDOW_HOURS * 3600 {
                continue;
            }
            let src = format!("{}{}", near.trim_start(), all.as_str());
            out.push(Stated {
                seconds,
                labelled,
                outage,
                text: src.trim().to_string(),
            });
        }
    }
    out
}

/// A window from a begin and a stated duration, for a notice that gives no
/// end: the begin is the first labelled one (else the only date-time that is
/// no backup), the length the first stated work duration, else the first
/// outage duration. `labelled` only when both the begin and the duration
/// carry labels.
pub fn from_duration(found: &[Found], text: &str) -> Option<FoundWindow> {
    let firsts: Vec<&Found> = found.iter().filter(|f| !f.backup).collect();
    let begin = firsts
        .iter()
        .find(|f| f.role == Role::Begin)
        .or(match firsts.as_slice() {
            [one] if one.role != Role::End => Some(one),
            _ => None,
        })?;
    let stated = durations(text);
    let d = stated
        .iter()
        .find(|d| !d.outage)
        .or_else(|| stated.first())?;
    let end = begin.at + Duration::seconds(d.seconds);
    let window = Window::new(begin.at, end).ok()?;
    let mut guesses = begin.guesses.clone();
    if !d.labelled {
        // "for up to 2 hrs" in running text may be the work or only a part
        guesses.push(format!(
            "end = begin + a length not labelled as the duration ({})",
            d.text
        ));
    }
    Some(FoundWindow {
        window,
        zoned: begin.zoned,
        labelled: begin.role == Role::Begin && d.labelled,
        utc: begin.utc,
        inferred: begin.inferred,
        backup: false,
        from_duration: true,
        evidence: with_guesses(format!("{} + {}", begin.text, d.text), &guesses),
        guesses,
    })
}

/// The guesses of two ends, each once.
fn joined(a: &[String], b: &[String]) -> Vec<String> {
    let mut out = a.to_vec();
    for g in b {
        if !out.contains(g) {
            out.push(g.clone());
        }
    }
    out
}

/// `evidence`, then the guesses made for it in brackets.
fn with_guesses(evidence: String, guesses: &[String]) -> String {
    if guesses.is_empty() {
        evidence
    } else {
        format!("{evidence} [guess: {}]", guesses.join("; "))
    }
}

/// The stated outage length of a notice whose window is written out: the
/// first outage duration no longer than the window (a longer one is no
/// outage inside it).
pub fn outage_within(text: &str, window: &Window) -> Option<Stated> {
    durations(text)
        .into_iter()
        .find(|d| d.outage && d.seconds <= window.seconds())
}

/// Whether two windows share more than half of the shorter one.
fn overlaps(a: &Window, b: &Window) -> bool {
    a.intersect(b)
        .is_some_and(|i| 2 * i.seconds() > a.seconds().min(b.seconds()))
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
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn windows(t: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        pair(&find_all(t))
            .into_iter()
            .map(|w| (w.window.begin(), w.window.end()))
            .collect()
    }

    #[test]
    fn range_in_a_city_zone_before_summer_time() {
        // Frankfurt = Europe/Berlin, CET (UTC+1) on 4 March:
        // 22:00 local = 21:00 UTC, 04:00 next day local = 03:00 UTC
        let t = "Maintenance: 2025-03-04 22:00 – 04:00 Frankfurt time\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 3, 4, 21, 0), utc(2025, 3, 5, 3, 0))]
        );
    }

    #[test]
    fn city_in_parentheses_follows_summer_time() {
        // London in July is BST (UTC+1): 23:00 = 22:00 UTC, 03:00 = 02:00 UTC
        let t = "Start: 2025-07-10 23:00 (London)\nEnd: 2025-07-11 03:00 (London)\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 7, 10, 22, 0), utc(2025, 7, 11, 2, 0))]
        );
        // the same city in winter is UTC+0
        let t = "Start: 2025-01-10 23:00 (London)\nEnd: 2025-01-11 03:00 (London)\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 1, 10, 23, 0), utc(2025, 1, 11, 3, 0))]
        );
    }

    #[test]
    fn singapore_and_hora_local() {
        // Singapore is UTC+8 all year: 23:00 = 15:00 UTC, 03:00 next day = 19:00 UTC
        let t = "Start: 2025-03-04 23:00 (Singapore)\nEnd: 2025-03-05 03:00 (Singapore)\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 3, 4, 15, 0), utc(2025, 3, 4, 19, 0))]
        );
        // Madrid on 1 August is CEST (UTC+2): 01:00-05:00 = 23:00 (31 Jul)-03:00 UTC
        let t = "Hora local Madrid: 2025-08-01 01:00 - 05:00\n";
        let found = find_all(t);
        assert!(found.iter().all(|f| f.zoned && !f.inferred));
        assert_eq!(
            windows(t),
            vec![(utc(2025, 7, 31, 23, 0), utc(2025, 8, 1, 3, 0))]
        );
    }

    #[test]
    fn local_time_header_names_the_city() {
        // New York in June is EDT (UTC-4): 22:00 = 02:00 UTC next day
        let t = "All times Local time (New York)\nStart: 2025-06-03 22:00\nEnd: 2025-06-04 02:00\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 6, 4, 2, 0), utc(2025, 6, 4, 6, 0))]
        );
    }

    #[test]
    fn begin_plus_labelled_duration() {
        // 22:00 UTC + 4 h = 02:00 UTC next day
        let t = "Start: 2025-03-04 22:00 UTC, Duration: 4 hours\n";
        let found = find_all(t);
        assert!(pair(&found).is_empty());
        let w = from_duration(&found, t).unwrap();
        assert_eq!(w.window.begin(), utc(2025, 3, 4, 22, 0));
        assert_eq!(w.window.end(), utc(2025, 3, 5, 2, 0));
        assert!(w.labelled && w.zoned && w.from_duration);
        assert_eq!(w.evidence, "2025-03-04 22:00 + duration: 4 hours");
    }

    #[test]
    fn duration_shapes() {
        let one = |t: &str| {
            let d = durations(t);
            assert_eq!(d.len(), 1, "{t}: {d:?}");
            (d[0].seconds, d[0].labelled, d[0].outage)
        };
        // 90 min = 5400 s; 2 h = 7200 s; 30 min = 1800 s; 1.5 h = 5400 s
        assert_eq!(
            one("The expected duration approximately 90 minutes."),
            (5400, true, false)
        );
        assert_eq!(one("Work will run for up to 2 hrs."), (7200, false, false));
        assert_eq!(one("Outage duration: 30 min"), (1800, true, true));
        assert_eq!(one("Duration: 1.5 hours"), (5400, true, false));
        assert_eq!(
            one("Impact: Loss of service up to 30 minutes"),
            (1800, false, true)
        );
        // no cue: an amount alone is not a duration
        assert!(durations("Our office is 5 minutes from the station").is_empty());
        assert!(durations("Please reply within 24 hours").is_empty());
    }

    #[test]
    fn duration_from_a_city_zone_in_summer() {
        // Berlin on 10 July is CEST (UTC+2): 01:00 local = 23:00 UTC on
        // 9 July; + 90 min = 00:30 UTC on 10 July
        let t = "Start time: 2025-07-10 01:00 Berlin time\nExpected duration: 90 minutes\n";
        let w = from_duration(&find_all(t), t).unwrap();
        assert_eq!(w.window.begin(), utc(2025, 7, 9, 23, 0));
        assert_eq!(w.window.end(), utc(2025, 7, 10, 0, 30));
    }

    #[test]
    fn unlabelled_duration_is_not_labelled() {
        // one date-time with no label + "for up to 2 hrs": 09:00 + 2 h = 11:00 UTC
        let t = "We will work on 2025-05-06 09:00 UTC for up to 2 hrs.\n";
        let w = from_duration(&find_all(t), t).unwrap();
        assert_eq!(w.window.begin(), utc(2025, 5, 6, 9, 0));
        assert_eq!(w.window.end(), utc(2025, 5, 6, 11, 0));
        assert!(!w.labelled);
    }

    #[test]
    fn outage_inside_a_window_is_not_the_window() {
        let t = "Start: 2025-03-04 22:00 UTC\nEnd: 2025-03-05 04:00 UTC\nOutage duration: 30 min\n";
        let ws = pair(&find_all(t));
        assert_eq!(
            ws.iter()
                .map(|w| (w.window.begin(), w.window.end()))
                .collect::<Vec<_>>(),
            vec![(utc(2025, 3, 4, 22, 0), utc(2025, 3, 5, 4, 0))]
        );
        assert_eq!(outage_within(t, &ws[0].window).unwrap().seconds, 1800);
        // an "outage" longer than the 6 h window is not inside it
        let t =
            "Start: 2025-03-04 22:00 UTC\nEnd: 2025-03-05 04:00 UTC\nOutage duration: 8 hours\n";
        let ws = pair(&find_all(t));
        assert!(outage_within(t, &ws[0].window).is_none());
    }

    #[test]
    fn labelled_iso_utc() {
        let t = "Start Time: 2024-03-12 22:00 UTC\nEnd Time: 2024-03-13 04:00 UTC\n";
        assert_eq!(
            windows(t),
            vec![(utc(2024, 3, 12, 22, 0), utc(2024, 3, 13, 4, 0))]
        );
    }

    #[test]
    fn us_style_with_eastern_daylight() {
        // 11 PM EDT = 03:00 UTC next day; 5:00 AM EDT = 09:00 UTC
        let t = "Begin: 07/10/2024 11:00 PM EDT\nEnd: 07/11/2024 5:00 AM EDT";
        assert_eq!(
            windows(t),
            vec![(utc(2024, 7, 11, 3, 0), utc(2024, 7, 11, 9, 0))]
        );
    }

    #[test]
    fn same_day_range_crossing_midnight() {
        // 22:00–02:00 at GMT+1 → 21:00–01:00 UTC
        let t = "Window: 14 Feb 2025 22:00 - 02:00 (GMT+1)";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 2, 14, 21, 0), utc(2025, 2, 15, 1, 0))]
        );
    }

    #[test]
    fn duplicate_local_times_are_skipped() {
        let t = "Start: 2024-05-01 06:00 UTC (2024-05-01 02:00 EDT)\nEnd: 2024-05-01 10:00 UTC (2024-05-01 06:00 EDT)";
        assert_eq!(
            windows(t),
            vec![(utc(2024, 5, 1, 6, 0), utc(2024, 5, 1, 10, 0))]
        );
    }

    #[test]
    fn notice_wide_zone_and_day_first() {
        // 25/03 decides day-first; CET in March 2024 (before 31 Mar) is UTC+1
        let t = "All times are CET.\nStart\t25/03/2024 23:00\nEnd\t26/03/2024 03:00\nBackup\t01/04/2024 23:00\t02/04/2024 03:00";
        let w = windows(t);
        assert_eq!(w[0], (utc(2024, 3, 25, 22, 0), utc(2024, 3, 26, 2, 0)));
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn sent_lines_are_not_windows() {
        let t = "Sent: 2024-03-01 10:00 UTC\nFrom 2024-03-12 22:00 UTC to 2024-03-13 02:00 UTC";
        assert_eq!(
            windows(t),
            vec![(utc(2024, 3, 12, 22, 0), utc(2024, 3, 13, 2, 0))]
        );
    }

    #[test]
    fn utc_reading_wins_over_a_local_one_a_minute_off() {
        // 00:01 Pacific (PDT, UTC-7) = 07:01Z; the GMT line says 07:00Z
        let t = "25-Sep-2020 00:01 to 25-Sep-2020 05:00 ( Pacific )\n25-Sep-2020 07:00 to 25-Sep-2020 12:00 ( GMT )";
        assert_eq!(
            windows(t),
            vec![(utc(2020, 9, 25, 7, 0), utc(2020, 9, 25, 12, 0))]
        );
    }

    #[test]
    fn local_time_without_zone_is_not_guessed() {
        let t = "LOCAL: FRIDAY, 02 JUL 19:00 - SATURDAY, 03 JUL 00:00";
        assert!(find_all_near(t, Some(utc(2021, 7, 1, 11, 5))).is_empty());
    }

    #[test]
    fn year_less_dates_take_the_year_nearest_the_mail() {
        // sent 28 Dec 2023, "10 JAN" → 2024
        let t = "UTC: WEDNESDAY, 10 JAN 22:00 - THURSDAY, 11 JAN 06:00";
        let w = pair(&find_all_near(t, Some(utc(2023, 12, 28, 9, 0))));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].window.begin(), utc(2024, 1, 10, 22, 0));
        assert_eq!(w[0].window.end(), utc(2024, 1, 11, 6, 0));
    }

    #[test]
    fn ambiguous_numeric_date_nearest_the_mail() {
        // sent 1 Aug 2021: 06/08/2021 is 6 August, not 8 June
        let t = "Start: 06/08/2021 22:00 GMT\nEnd: 07/08/2021 06:00 GMT";
        let w = pair(&find_all_near(t, Some(utc(2021, 8, 1, 9, 0))));
        assert_eq!(w[0].window.begin(), utc(2021, 8, 6, 22, 0));
        assert_eq!(w[0].window.end(), utc(2021, 8, 7, 6, 0));
    }

    #[test]
    fn logged_timestamps_with_seconds_are_ignored() {
        let t = "2021-05-20 07:00:21 GMT - The scheduled maintenance work has begun.\nStart\t2021-05-20 07:00 GMT\tEnd\t2021-05-20 12:00 GMT";
        assert_eq!(
            windows(t),
            vec![(utc(2021, 5, 20, 7, 0), utc(2021, 5, 20, 12, 0))]
        );
    }

    #[test]
    fn unzoned_is_flagged() {
        let f = find_all("Start: 2024-03-12 22:00");
        assert_eq!(f.len(), 1);
        assert!(!f[0].zoned);
    }

    fn wins_near(t: &str, subject: &str, sent: DateTime<Utc>) -> Vec<FoundWindow> {
        pair(&find_all_in(t, subject, Some(sent)))
    }

    fn ends(w: &FoundWindow) -> (DateTime<Utc>, DateTime<Utc>) {
        (w.window.begin(), w.window.end())
    }

    /// The generic parser's result for a mail of `headers` and `body`.
    fn generic(headers: &str, body: &str) -> crate::generic::GenericResult {
        let raw = format!("From: noc@carrier.example\n{headers}\n\n{body}");
        let email = mnp_core::Email::parse(raw.as_bytes()).unwrap();
        crate::generic::parse(
            &email,
            &crate::generic::Inventory::default(),
            &crate::generic::Options::default(),
        )
        .unwrap()
    }

    #[test]
    fn local_time_takes_the_zone_of_the_one_place_named_in_summer() {
        // Frankfurt = Europe/Berlin, CEST (UTC+2) on 10 July:
        // 01:00 local = 23:00 UTC on 9 July, 05:00 local = 03:00 UTC
        let t = "Start time: 2025-07-10 01:00 (local time)\nEnd time: 2025-07-10 05:00 (local time)\n\
                 Customers in the metro area of Frankfurt will be affected.\n";
        let w = wins_near(t, "Planned work", utc(2025, 6, 20, 9, 0));
        assert_eq!(w.len(), 1);
        assert_eq!(
            ends(&w[0]),
            (utc(2025, 7, 9, 23, 0), utc(2025, 7, 10, 3, 0))
        );
        assert!(w[0].inferred);
        assert_eq!(w[0].guesses.len(), 1);
        assert!(
            w[0].guesses[0].contains("Europe/Berlin"),
            "{:?}",
            w[0].guesses
        );
        assert!(w[0].evidence.contains("(Frankfurt)"), "{}", w[0].evidence);
    }

    #[test]
    fn local_time_takes_the_zone_of_a_place_in_the_subject_in_winter() {
        // 12/18/2025 can only be 18 December; San Jose = America/Los_Angeles,
        // PST (UTC-8) then: 00:00 local = 08:00 UTC, 06:00 local = 14:00 UTC
        let t = "Start time: 12:00 AM (local time) 12/18/2025\nEnd time: 06:00 AM (local time) 12/18/2025\n";
        let subject = "12/18/2025 Planned Network Maintenance - San Jose, CA 123456789";
        let w = wins_near(t, subject, utc(2025, 12, 1, 9, 0));
        assert_eq!(w.len(), 1);
        assert_eq!(
            ends(&w[0]),
            (utc(2025, 12, 18, 8, 0), utc(2025, 12, 18, 14, 0))
        );
        assert_eq!(w[0].guesses.len(), 1, "{:?}", w[0].guesses);
        assert!(
            w[0].evidence.contains("America/Los_Angeles"),
            "{}",
            w[0].evidence
        );
        assert!(w[0].evidence.contains("San Jose"), "{}", w[0].evidence);
    }

    #[test]
    fn local_time_with_two_places_or_none_is_not_read() {
        let t =
            "Start time: 2025-07-10 01:00 (local time)\nEnd time: 2025-07-10 05:00 (local time)\n";
        let two = format!("{t}Sites in Frankfurt and London are affected.\n");
        assert!(find_all_in(&two, "", Some(utc(2025, 6, 20, 9, 0))).is_empty());
        assert!(find_all_in(t, "Planned work", Some(utc(2025, 6, 20, 9, 0))).is_empty());
        // two names of one zone are one zone: Munich and Frankfurt both Berlin
        let one = format!("{t}Sites in Frankfurt and Munich are affected.\n");
        assert_eq!(find_all_in(&one, "", None).len(), 2);
        // a word that is also a zone's city name is no place: "New Jersey"
        let jersey = format!("{t}Sites in New Jersey are affected.\n");
        assert!(find_all_in(&jersey, "", None).is_empty());
    }

    #[test]
    fn a_guessed_local_window_gives_way_to_the_same_one_in_utc() {
        // Stockholm in December is CET (UTC+1): 00:01 local = 23:01 UTC
        let t = "LOCAL:\t\tFRIDAY, 17 DEC 00:01 - FRIDAY, 17 DEC 06:00\n\
                 UTC:\t\tTHURSDAY, 16 DEC 23:01 - FRIDAY, 17 DEC 05:00\n\
                 Equipment room, Stockholm, Sweden\n";
        let w = wins_near(t, "", utc(2021, 12, 6, 15, 3));
        assert_eq!(w.len(), 1);
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 12, 16, 23, 1), utc(2021, 12, 17, 5, 0))
        );
        assert!(w[0].guesses.is_empty(), "{:?}", w[0].guesses);
        assert!(w[0].utc);
    }

    #[test]
    fn bare_and_all_caps_city_names_after_times_are_zones() {
        // London in July is BST (UTC+1): 22:00 = 21:00 UTC, 04:00 next day = 03:00 UTC
        let t = "Maintenance: 2025-07-04 22:00 - 04:00 LONDON\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 7, 4, 21, 0), utc(2025, 7, 5, 3, 0))]
        );
        // Frankfurt on 4 March is CET (UTC+1): 00:00 = 23:00 UTC the day before
        let t = "Start: 2025-03-04 00:00 FRANKFURT\nEnd: 2025-03-04 04:00 FRANKFURT\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 3, 3, 23, 0), utc(2025, 3, 4, 3, 0))]
        );
        // Singapore is UTC+8: 23:00 = 15:00 UTC, 03:00 next day = 19:00 UTC
        let t = "Start 2025-03-04 23:00 Singapore\nEnd 2025-03-05 03:00 Singapore\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 3, 4, 15, 0), utc(2025, 3, 4, 19, 0))]
        );
        let f = find_all(t);
        assert!(
            f.iter()
                .all(|f| f.zoned && !f.inferred && f.guesses.is_empty())
        );
        // New York in July is EDT (UTC-4), the city written after the range's end
        let t = "Window: 2025-07-10 22:00 - 2025-07-11 04:00 NEW YORK\n";
        assert_eq!(
            windows(t),
            vec![(utc(2025, 7, 11, 2, 0), utc(2025, 7, 11, 8, 0))]
        );
        // a weekday after the time is no zone: unzoned, read as UTC and flagged
        let f = find_all("Start: 2025-03-04 22:00 Tuesday\n");
        assert_eq!(f.len(), 1);
        assert!(!f[0].zoned);
    }

    #[test]
    fn ambiguous_day_month_decided_by_a_written_format() {
        // sent 1 Feb 2021: nearest after would be 12 June, but the notice says dd/mm
        let t =
            "All dates are dd/mm/yyyy.\nStart: 06/12/2021 22:00 UTC\nEnd: 07/12/2021 02:00 UTC\n";
        let w = wins_near(t, "", utc(2021, 2, 1, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 12, 6, 22, 0), utc(2021, 12, 7, 2, 0))
        );
        assert!(w[0].guesses.is_empty());
        // (MM/DD/YYYY): 06/12 is 12 June, 06/13 is 13 June
        let t = "Times (MM/DD/YYYY)\nStart: 06/12/2021 22:00 UTC\nEnd: 06/13/2021 02:00 UTC\n";
        let w = wins_near(t, "", utc(2021, 11, 20, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 6, 12, 22, 0), utc(2021, 6, 13, 2, 0))
        );
        assert!(w[0].guesses.is_empty());
    }

    #[test]
    fn ambiguous_day_month_decided_by_another_date_of_the_same_layout() {
        // 13/12/2021 shows day-first for slashed dates: 06/12 is 6 December
        let t = "Start: 06/12/2021 22:00 UTC\nEnd: 07/12/2021 02:00 UTC\nBackup: 13/12/2021 22:00 UTC\n";
        let w = wins_near(t, "", utc(2021, 2, 1, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 12, 6, 22, 0), utc(2021, 12, 7, 2, 0))
        );
        assert!(w[0].guesses.is_empty());
        // 06/13/2021 shows month-first: 06/12 is 12 June
        let t = "Start: 06/12/2021 22:00 UTC\nEnd: 06/13/2021 02:00 UTC\n";
        let w = wins_near(t, "", utc(2021, 11, 20, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 6, 12, 22, 0), utc(2021, 6, 13, 2, 0))
        );
        assert!(w[0].guesses.is_empty());
        // a dotted date does not decide a slashed one
        let t = "Issued 25.11.2021\nStart: 06/12/2021 22:00 UTC\nEnd: 07/12/2021 02:00 UTC\n";
        let w = wins_near(t, "", utc(2021, 2, 1, 9, 0));
        assert!(w[0].guesses[0].starts_with("ambiguous day/month"));
    }

    #[test]
    fn ambiguous_day_month_decided_by_a_weekday_or_a_month_name() {
        // 6 Dec 2021 is a Monday, 12 Jun 2021 a Saturday; 7 Dec a Tuesday
        let t = "Start: Monday 06/12/2021 22:00 UTC\nEnd: Tuesday 07/12/2021 02:00 UTC\n";
        let w = wins_near(t, "", utc(2021, 2, 1, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 12, 6, 22, 0), utc(2021, 12, 7, 2, 0))
        );
        assert!(w[0].guesses.is_empty());
        let t = "Start: Saturday 06/12/2021 22:00 UTC\nEnd: Sunday 06/13/2021 02:00 UTC\n";
        let w = wins_near(t, "", utc(2021, 11, 20, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 6, 12, 22, 0), utc(2021, 6, 13, 2, 0))
        );
        // the same day written with its month's name: 12 June, so 06/12 is
        // month-first (sent 20 Nov, nearest after would be 6 Dec)
        let t = "Work on 12 June 2021.\nWindow: 06/12/2021 22:00 - 23:30 UTC\n";
        let w = wins_near(t, "", utc(2021, 11, 20, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 6, 12, 22, 0), utc(2021, 6, 12, 23, 30))
        );
        assert!(w[0].guesses.is_empty());
    }

    #[test]
    fn undecided_day_month_is_the_reading_nearest_after_the_mail_and_a_guess() {
        let t = "Start: 06/08/2021 22:00 GMT\nEnd: 07/08/2021 06:00 GMT\n";
        // sent 1 Aug 2021: 6 August (after) rather than 8 June (before)
        let w = wins_near(t, "", utc(2021, 8, 1, 9, 0));
        assert_eq!(ends(&w[0]), (utc(2021, 8, 6, 22, 0), utc(2021, 8, 7, 6, 0)));
        assert!(
            w[0].evidence.contains("ambiguous day/month"),
            "{}",
            w[0].evidence
        );
        // sent 20 May 2021: 8 June is the nearest after (6 Aug is later)
        let t1 = "Window: 06/08/2021 22:00 - 23:30 GMT\n";
        let w = wins_near(t1, "", utc(2021, 5, 20, 9, 0));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 6, 8, 22, 0), utc(2021, 6, 8, 23, 30))
        );
        assert!(
            w[0].evidence.contains("ambiguous day/month"),
            "{}",
            w[0].evidence
        );
        // sent 7 July: 06/08 is 6 Aug (8 June is past), and 07/08 follows it
        // as 7 Aug, though 8 July alone would be nearer after the mail
        let w = wins_near(t, "", utc(2021, 7, 7, 9, 0));
        assert_eq!(ends(&w[0]), (utc(2021, 8, 6, 22, 0), utc(2021, 8, 7, 6, 0)));
        assert_eq!(w[0].guesses.len(), 2, "{:?}", w[0].guesses);
        // a forward: the forwarded notice's own Date line is the reference
        // (11 Aug; 12 Aug is after it, 8 Dec much later)
        let t = "---------- Forwarded message ---------\nDate: Wed, 11 Aug 2021 at 23:09\n\
                 Start date/time: 8/12/2021 2:00:00 am GMT\nFinish date/time: 8/12/2021 11:00:00 am GMT\n";
        let w = wins_near(t, "Fwd: Emergency maintenance", utc(2021, 8, 16, 16, 29));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 8, 12, 2, 0), utc(2021, 8, 12, 11, 0))
        );
        assert!(!w[0].guesses.is_empty());
        // a forward with no date of its notice: the nearest reading either
        // side of the forward's date (sent 27 Aug: 10 Aug, not 8 Oct)
        let t = "Start: 08/10/2021 03:00 UTC\nEnd: 08/10/2021 11:00 UTC\n";
        let w = wins_near(t, "Fwd: Maintenance", utc(2021, 8, 27, 15, 24));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 8, 10, 3, 0), utc(2021, 8, 10, 11, 0))
        );
        // "Procedure:" is no reply: nearest after 27 Aug is 8 Oct
        let w = wins_near(t, "Procedure: maintenance", utc(2021, 8, 27, 15, 24));
        assert_eq!(
            ends(&w[0]),
            (utc(2021, 10, 8, 3, 0), utc(2021, 10, 8, 11, 0))
        );
    }

    #[test]
    fn an_unlabelled_duration_is_a_guess_a_labelled_one_not() {
        let t = "We will work on 2025-05-06 09:00 UTC for up to 2 hrs.\n";
        let w = from_duration(&find_all(t), t).unwrap();
        assert_eq!(w.guesses.len(), 1);
        assert!(w.evidence.contains("for up to 2 hrs"), "{}", w.evidence);
        let t = "Start: 2025-05-06 09:00 UTC\nDuration: 2 hours\n";
        let w = from_duration(&find_all(t), t).unwrap();
        assert!(w.guesses.is_empty());
        assert_eq!(ends(&w), (utc(2025, 5, 6, 9, 0), utc(2025, 5, 6, 11, 0)));
    }

    #[test]
    fn a_guessed_window_is_not_confident() {
        let opts = crate::generic::Options::default();
        let facts = "Maintenance ID: MW-4412\nCircuit ID: LON/ETH/004411\n";
        // the same notice, sure and unsure: a labelled duration is confident
        let sure = generic(
            "Subject: Scheduled Maintenance MW-4412",
            &format!("{facts}Start: 2025-05-06 09:00 UTC\nDuration: 2 hours\n"),
        );
        assert!(sure.confidence >= opts.min_confidence, "{sure:?}");
        for (what, headers, body) in [
            (
                "unlabelled duration",
                "Subject: Scheduled Maintenance MW-4412",
                "We will work on 2025-05-06 09:00 UTC for up to 2 hrs.\n",
            ),
            (
                "undecided day/month",
                "Subject: Scheduled Maintenance MW-4412\nDate: Sun, 1 Aug 2021 09:00:00 +0000",
                "Start: 06/08/2021 22:00 GMT\nEnd: 07/08/2021 06:00 GMT\n",
            ),
            (
                "zone of the one place",
                "Subject: Scheduled Maintenance MW-4412 - Frankfurt",
                "Start: 2025-07-10 01:00 (local time)\nEnd: 2025-07-10 05:00 (local time)\n",
            ),
        ] {
            let r = generic(headers, &format!("{facts}{body}"));
            assert_eq!(r.maintenances.len(), 1, "{what}: {r:?}");
            assert!(r.confidence < opts.min_confidence, "{what}: {r:?}");
            assert!(
                r.evidence
                    .iter()
                    .any(|e| e.field == "window" && e.source.contains("[guess: ")),
                "{what}: {r:?}"
            );
        }
    }
}
