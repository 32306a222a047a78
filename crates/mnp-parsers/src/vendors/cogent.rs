//! Cogent Communications "Network Maintenance" notices (text or simple HTML).

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{text, tz};

const DOC: &str = "\
# Routing
Sender domain `cogentco.com` (`support@cogentco.com`, `Cogent-NoReply@...`);
subjects `06/12/2021 987654321-1 Planned Network Maintenance - San Jose, CA
123456789`; content signature: `Work order number:` next to a cogentco.com
address.

# Formats
A title line (`<work> Planned Network Maintenance`, `Emergency Network
Maintenance`), `Dear <customer>,`, then `Start time: 12:00 AM (local time)
06/12/2021`, `End time: ...`, `Work order number:`, `Order ID(s) impacted:`
(comma-separated), `Expected Outage/Downtime:`, and a sentence naming the
area: `Cogent customers receiving service in the greater San Jose, CA metro
area will be affected`.

# Quirks
Times are \"local time\" of the affected area: the city is looked up
offline (IANA city names and common aliases), then the US state or Canadian
province, then the country, so `San Jose, CA` is America/Los_Angeles with its
DST rules. When the notice names a zone in the brackets instead (`(GMT)`,
`(CET)`), that zone is used. Dates are day-first (`06/12/2021` is 6 December
2021), as Cogent writes them; a date that is impossible day-first
(`06/13/2021`) is read month-first. Status from the title and subject:
cancelled → CANCELLED, rescheduled / postponed → RE-SCHEDULED, completed →
COMPLETED, otherwise (planned, emergency) CONFIRMED. Impact: an `Expected
Outage/Downtime` of none / 0 / no outage → NO-IMPACT, anything else → OUTAGE.
The account is the `Dear ...,` name (often just `Cogent Customer`).

# Known gaps
`06/12/2021` is ambiguous; notices with both readings valid are read
day-first. An area whose city, state and country are all unknown is refused
(no time zone) rather than guessed.
";

/// Cogent parser.
pub struct Cogent;

inventory::submit! {
    ParserDescriptor {
        id: "cogent",
        carrier: "Cogent Communications",
        senders: &["cogentco.com"],
        subjects: &[r"^\s*(?:\w+:\s*)*\d{1,2}/\d{1,2}/\d{4}\s+\S+\s+.*\bNetwork Maintenance\b"],
        formats: &["text", "html"],
        doc: DOC,
        fallback: false,
        parser: &Cogent,
    }
}

static TIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(\d{1,2}:\d{2}(?:\s*[AP]M)?)\s*\(\s*([^)]*?)\s*\)\s*(\d{1,2})/(\d{1,2})/(\d{4})",
    )
    .ok()
});
static AREA: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)receiving service (?:in|at|near) (?:the )?(?:greater )?(.+?)(?:\s+metro(?:politan)?(?: area)?)?\s+(?:will|may) be affected").ok()
});
static SUBJECT_AREA: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)Network Maintenance\s*-\s*([^,]+,\s*[A-Za-z .]+?)(?:\s+[\d,-]+)?\s*$").ok()
});
static WORK_ORDER: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b\d+-\d+\b").ok());

const US_STATES: &[(&str, &str, Tz)] = &[
    ("AL", "Alabama", Tz::America__Chicago),
    ("AK", "Alaska", Tz::America__Anchorage),
    ("AZ", "Arizona", Tz::America__Phoenix),
    ("AR", "Arkansas", Tz::America__Chicago),
    ("CA", "California", Tz::America__Los_Angeles),
    ("CO", "Colorado", Tz::America__Denver),
    ("CT", "Connecticut", Tz::America__New_York),
    ("DE", "Delaware", Tz::America__New_York),
    ("DC", "District of Columbia", Tz::America__New_York),
    ("FL", "Florida", Tz::America__New_York),
    ("GA", "Georgia", Tz::America__New_York),
    ("HI", "Hawaii", Tz::Pacific__Honolulu),
    ("ID", "Idaho", Tz::America__Boise),
    ("IL", "Illinois", Tz::America__Chicago),
    ("IN", "Indiana", Tz::America__Indiana__Indianapolis),
    ("IA", "Iowa", Tz::America__Chicago),
    ("KS", "Kansas", Tz::America__Chicago),
    ("KY", "Kentucky", Tz::America__New_York),
    ("LA", "Louisiana", Tz::America__Chicago),
    ("ME", "Maine", Tz::America__New_York),
    ("MD", "Maryland", Tz::America__New_York),
    ("MA", "Massachusetts", Tz::America__New_York),
    ("MI", "Michigan", Tz::America__Detroit),
    ("MN", "Minnesota", Tz::America__Chicago),
    ("MS", "Mississippi", Tz::America__Chicago),
    ("MO", "Missouri", Tz::America__Chicago),
    ("MT", "Montana", Tz::America__Denver),
    ("NE", "Nebraska", Tz::America__Chicago),
    ("NV", "Nevada", Tz::America__Los_Angeles),
    ("NH", "New Hampshire", Tz::America__New_York),
    ("NJ", "New Jersey", Tz::America__New_York),
    ("NM", "New Mexico", Tz::America__Denver),
    ("NY", "New York", Tz::America__New_York),
    ("NC", "North Carolina", Tz::America__New_York),
    ("ND", "North Dakota", Tz::America__Chicago),
    ("OH", "Ohio", Tz::America__New_York),
    ("OK", "Oklahoma", Tz::America__Chicago),
    ("OR", "Oregon", Tz::America__Los_Angeles),
    ("PA", "Pennsylvania", Tz::America__New_York),
    ("RI", "Rhode Island", Tz::America__New_York),
    ("SC", "South Carolina", Tz::America__New_York),
    ("SD", "South Dakota", Tz::America__Chicago),
    ("TN", "Tennessee", Tz::America__Chicago),
    ("TX", "Texas", Tz::America__Chicago),
    ("UT", "Utah", Tz::America__Denver),
    ("VT", "Vermont", Tz::America__New_York),
    ("VA", "Virginia", Tz::America__New_York),
    ("WA", "Washington", Tz::America__Los_Angeles),
    ("WV", "West Virginia", Tz::America__New_York),
    ("WI", "Wisconsin", Tz::America__Chicago),
    ("WY", "Wyoming", Tz::America__Denver),
    ("PR", "Puerto Rico", Tz::America__Puerto_Rico),
    // Canadian provinces Cogent serves
    ("ON", "Ontario", Tz::America__Toronto),
    ("QC", "Quebec", Tz::America__Toronto),
    ("BC", "British Columbia", Tz::America__Vancouver),
    ("AB", "Alberta", Tz::America__Edmonton),
    ("MB", "Manitoba", Tz::America__Winnipeg),
    ("NS", "Nova Scotia", Tz::America__Halifax),
];

const COUNTRIES: &[(&str, Tz)] = &[
    ("usa", Tz::America__New_York),
    ("united kingdom", Tz::Europe__London),
    ("uk", Tz::Europe__London),
    ("england", Tz::Europe__London),
    ("ireland", Tz::Europe__Dublin),
    ("germany", Tz::Europe__Berlin),
    ("france", Tz::Europe__Paris),
    ("netherlands", Tz::Europe__Amsterdam),
    ("the netherlands", Tz::Europe__Amsterdam),
    ("belgium", Tz::Europe__Brussels),
    ("luxembourg", Tz::Europe__Luxembourg),
    ("switzerland", Tz::Europe__Zurich),
    ("austria", Tz::Europe__Vienna),
    ("italy", Tz::Europe__Rome),
    ("spain", Tz::Europe__Madrid),
    ("portugal", Tz::Europe__Lisbon),
    ("denmark", Tz::Europe__Copenhagen),
    ("sweden", Tz::Europe__Stockholm),
    ("norway", Tz::Europe__Oslo),
    ("finland", Tz::Europe__Helsinki),
    ("poland", Tz::Europe__Warsaw),
    ("czech republic", Tz::Europe__Prague),
    ("czechia", Tz::Europe__Prague),
    ("hungary", Tz::Europe__Budapest),
    ("romania", Tz::Europe__Bucharest),
    ("bulgaria", Tz::Europe__Sofia),
    ("greece", Tz::Europe__Athens),
    ("mexico", Tz::America__Mexico_City),
    ("japan", Tz::Asia__Tokyo),
    ("singapore", Tz::Asia__Singapore),
    ("hong kong", Tz::Asia__Hong_Kong),
];

/// The zone of an area such as `San Jose, CA`, `Frankfurt, Germany`, `Toronto, ON`.
fn area_zone(area: &str) -> Option<tz::Zone> {
    let parts: Vec<&str> = area
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let city = parts.first()?;
    if let Some(z) = tz::city(city) {
        return Some(z);
    }
    for region in parts.iter().skip(1) {
        let r = region.trim_end_matches('.');
        if let Some((_, _, zone)) = US_STATES
            .iter()
            .find(|(abbr, name, _)| abbr.eq_ignore_ascii_case(r) || name.eq_ignore_ascii_case(r))
        {
            return Some(tz::Zone::Named(*zone));
        }
        if let Some((_, zone)) = COUNTRIES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(r))
        {
            return Some(tz::Zone::Named(*zone));
        }
    }
    None
}

/// Day-first date, month-first when day-first is impossible.
fn cogent_date(first: u32, second: u32, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, second, first)
        .or_else(|| NaiveDate::from_ymd_opt(year, first, second))
}

/// `12:00 AM (local time) 06/12/2021` → UTC, with `local` the zone of the area.
fn parse_time(value: &str, local: Option<tz::Zone>, field: &'static str) -> Result<DateTime<Utc>> {
    let c = TIME
        .as_ref()
        .and_then(|r| r.captures(value))
        .ok_or_else(|| Error::bad_value(field, value, "unrecognised date/time"))?;
    let get = |i: usize| c.get(i).map(|m| m.as_str()).unwrap_or("");
    let clock = get(1)
        .to_ascii_uppercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let time = NaiveTime::parse_from_str(&clock, "%I:%M %p")
        .or_else(|_| NaiveTime::parse_from_str(&clock, "%I:%M%p"))
        .or_else(|_| NaiveTime::parse_from_str(&clock, "%H:%M"))
        .map_err(|_| Error::bad_value(field, value, "unrecognised time"))?;
    let (a, b, y) = (
        get(3).parse::<u32>(),
        get(4).parse::<u32>(),
        get(5).parse::<i32>(),
    );
    let date = match (a, b, y) {
        (Ok(a), Ok(b), Ok(y)) => cogent_date(a, b, y),
        _ => None,
    }
    .ok_or_else(|| Error::bad_value(field, value, "unrecognised date"))?;
    let label = get(2);
    let zone = if label.to_ascii_lowercase().contains("local") || label.is_empty() {
        local.ok_or_else(|| {
            Error::bad_value(
                field,
                value,
                "local time of an area with no known time zone",
            )
        })?
    } else {
        tz::zone_by_name(label)
            .ok_or_else(|| Error::bad_value(field, value, "unknown time zone"))?
    };
    tz::localize(&zone, date.and_time(time))
        .ok_or_else(|| Error::bad_value(field, value, "time does not exist in zone"))
}

/// Subject and title words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["completed"]),
];

fn status_of(s: &str) -> Status {
    words::first(s, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

fn impact_of(downtime: Option<&str>) -> Impact {
    let Some(d) = downtime else {
        return Impact::Outage;
    };
    let l = d.trim().to_ascii_lowercase();
    if l.starts_with("none")
        || l.starts_with("no ")
        || l == "no"
        || l.starts_with("0 ")
        || l == "0"
        || l.contains("no outage")
        || l.contains("no impact")
    {
        Impact::NoImpact
    } else {
        Impact::Outage
    }
}

impl VendorParser for Cogent {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let id = text::label_value(body, &["Work order number", "Maintenance Ticket"])
            .or_else(|| {
                WORK_ORDER
                    .as_ref()?
                    .find(&email.subject)
                    .map(|m| m.as_str().to_string())
            })
            .map(|s| s.trim().trim_end_matches('.').to_string())
            .filter(|s| !s.is_empty());
        let start = text::label_value(body, &["Start time"]);
        let (Some(id), true) = (
            id,
            start.is_some() || body.to_ascii_lowercase().contains("network maintenance"),
        ) else {
            return Err(Error::not_maintenance("no Cogent work order"));
        };
        let title = body
            .lines()
            .find(|l| l.trim_end().ends_with("Network Maintenance"))
            .unwrap_or("")
            .trim()
            .to_string();
        let mut m = Maintenance::new("cogent");
        m.maintenance_id = id;
        m.organizer = "support@cogentco.com".into();
        m.stamp = email.date;
        m.summary = title.clone();
        m.status = status_of(&format!("{} {title}", email.subject));
        m.account = text::dear(body).map(str::to_string).unwrap_or_default();
        let area = AREA
            .as_ref()
            .and_then(|r| r.captures(body))
            .or_else(|| SUBJECT_AREA.as_ref()?.captures(&email.subject))
            .and_then(|c| c.get(1))
            .map(|a| a.as_str().trim().to_string());
        let local = area.as_deref().and_then(area_zone);
        let end = text::label_value(body, &["End time"]);
        m.window = match (start, end) {
            (Some(b), Some(e)) => Some(Window::new(
                parse_time(&b, local, "begin")?,
                parse_time(&e, local, "end")?,
            )?),
            (None, None) if m.status == Status::Cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        let impact = impact_of(
            text::label_value(body, &["Expected Outage/Downtime", "Expected Outage"]).as_deref(),
        );
        let orders = text::label_value(
            body,
            &[
                "Order ID(s) impacted",
                "Order IDs impacted",
                "Order ID impacted",
            ],
        )
        .unwrap_or_default();
        for o in orders
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            m.circuits.push(CircuitImpact::new(o, impact));
        }
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Work order number") && t.to_ascii_lowercase().contains("cogentco.com")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn local_time_follows_the_area() {
        let sj = area_zone("San Jose, CA");
        // 6 Dec 2021 is PST (UTC-8)
        assert_eq!(
            parse_time("12:00 AM (local time) 06/12/2021", sj, "b")
                .unwrap()
                .to_rfc3339(),
            "2021-12-06T08:00:00+00:00"
        );
        // Newark is not an IANA city: New Jersey → Eastern, 14 July 2023 is EDT (UTC-4)
        let nj = area_zone("Newark, NJ");
        assert_eq!(
            parse_time("11:00 PM (local time) 14/07/2023", nj, "b")
                .unwrap()
                .to_rfc3339(),
            "2023-07-15T03:00:00+00:00"
        );
        // Frankfurt in winter is CET (UTC+1)
        let fra = area_zone("Frankfurt, Germany");
        assert_eq!(
            parse_time("02:00 AM (local time) 10/01/2024", fra, "b")
                .unwrap()
                .to_rfc3339(),
            "2024-01-10T01:00:00+00:00"
        );
        // impossible day-first date: read month-first (13 June)
        assert_eq!(
            parse_time("01:00 AM (GMT) 06/13/2024", None, "b")
                .unwrap()
                .to_rfc3339(),
            "2024-06-13T01:00:00+00:00"
        );
        assert!(
            parse_time(
                "01:00 AM (local time) 06/12/2024",
                area_zone("Atlantis, Nowhere"),
                "b"
            )
            .is_err()
        );
    }

    #[test]
    fn statuses_and_impacts() {
        assert_eq!(
            status_of("CANCELLED: 06/12/2021 1-1 Planned Network Maintenance"),
            Status::Cancelled
        );
        assert_eq!(
            status_of("Emergency Network Maintenance"),
            Status::Confirmed
        );
        assert_eq!(
            status_of("Rescheduled Planned Network Maintenance"),
            Status::Rescheduled
        );
        assert_eq!(impact_of(Some("45-60 minutes")), Impact::Outage);
        assert_eq!(impact_of(Some("None expected")), Impact::NoImpact);
        assert_eq!(impact_of(Some("0 minutes")), Impact::NoImpact);
    }
}
