//! Telecom Italia Sparkle (TISAmericaNOC@tisparkle.com) maintenance notices.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::html::{self, CellText};
use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, tz};

const DOC: &str = "\
# Routing
Sender domain `tisparkle.com`; subject `... | Sparkle TT# <id> / <id>`. Content signature:
`tisparkle.com` or the `Sparkle Ticket Number` label (forwarded copies often have an
empty `From:`).

# Formats
HTML letter with a two-column table: `Type of Maintenance`, `Sparkle Ticket Number`
(`1111111 / 22222 / 33333`), one `Start Date/Time (UTC) <tag>` / `End Date/Time (UTC)
<tag>` pair per window (`Day 1`, `Day 2`, `BACKUP`; values `08/10/2021 03:00 UTC`,
month-first: this is the Americas NOC), `Duration of Maintenance (minutes)`, `Expected
Impact Time (minutes)`, `Location`, `Circuits Involved in the Activity` (one id per line),
`Description of Work`.

# Quirks
Several tickets in one notice: the n-th ticket number belongs to the n-th window, so one
notice gives one maintenance per window with its own id (a single ticket with several
windows repeats that id; a notice without windows, e.g. a cancellation, gives one
maintenance per ticket with no window). The `BACKUP` window is a maintenance of its own,
as Sparkle announces it with its own ticket. Status: CANCELLED, COMPLETED, RE-SCHEDULED
or IN-PROCESS when the subject, the type or the intro says so (`cancel`, `complet`,
`reschedul`/`postpone`, `in progress`), otherwise CONFIRMED (emergency works too).
`Expected Impact Time` of 0 minutes or `no impact` → NO-IMPACT, else OUTAGE with
`impact_seconds` set from the minutes. A date whose first field is over 12 is read
day-first. The zone is the one after the time, else the one in the label's
parentheses, else UTC. The notice names no customer: the account is the placeholder
`Not Available`, as in the reference corpus.

# Known gaps
European Sparkle NOCs may write day-first dates with both fields ≤ 12; those are read
month-first.
";

/// Sparkle parser.
pub struct Sparkle;

inventory::submit! {
    ParserDescriptor {
        id: "sparkle",
        carrier: "Telecom Italia Sparkle",
        senders: &["tisparkle.com"],
        subjects: &[r"\bSparkle\s+TT\s*#"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Sparkle,
    }
}

const ACCOUNT_PLACEHOLDER: &str = "Not Available";
const DATE_FORMATS: &[&str] = &[
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
];

static MINUTES: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(\d+)\s*(?:min|minutes?)?").ok());
static PAREN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\(([^)]*)\)").ok());

/// Table rows of the HTML bodies as (label, value): the first two non-empty
/// direct cells, each rendered with line breaks kept (a value cell may hold a
/// nested table of circuits; layout rows wrapping whole tables never equal a
/// label).
fn rows(email: &Email) -> Vec<(String, String)> {
    html::email_rows(email, CellText::Lines)
        .iter()
        .filter_map(|r| html::pair(r, &[]))
        .map(|(label, value)| (label.to_string(), value.to_string()))
        .collect()
}

/// Subject, maintenance type and intro words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["complet", "finished"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::InProcess, &["in progress", "started"]),
];

/// Status from the subject, the maintenance type and the intro text.
pub fn status_of(text: &str) -> Status {
    words::first(text, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// A `Start/End Date/Time (<zone>) <tag>` label split into (is_start, zone, tag).
fn window_label(label: &str) -> Option<(bool, Option<tz::Zone>, String)> {
    let l = label.trim();
    let lower = l.to_ascii_lowercase();
    let is_start = if lower.starts_with("start date") {
        true
    } else if lower.starts_with("end date") {
        false
    } else {
        return None;
    };
    let zone = PAREN
        .as_ref()
        .and_then(|r| r.captures(l))
        .and_then(|c| c.get(1))
        .and_then(|g| tz::zone_by_name(g.as_str()));
    let tag = match l.rfind(')') {
        Some(p) => l.get(p + 1..).unwrap_or(""),
        // `End Date/Time Day 2`: the tag follows `time` (or `date`)
        None => {
            let after = lower
                .find("time")
                .map(|p| p + 4)
                .or_else(|| lower.find("date").map(|p| p + 4));
            after.and_then(|p| l.get(p..)).unwrap_or("")
        }
    };
    Some((is_start, zone, tag.trim().to_ascii_lowercase()))
}

type When = DateTime<Utc>;

fn time(s: &str, zone: Option<tz::Zone>, field: &'static str) -> Result<DateTime<Utc>> {
    dates::parse_datetime(s, DATE_FORMATS, Some(zone.unwrap_or(tz::UTC)), field)
}

impl VendorParser for Sparkle {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let rows = rows(email);
        let get = |label: &str| {
            rows.iter()
                .find(|(l, _)| l.eq_ignore_ascii_case(label))
                .map(|(_, v)| v.as_str())
        };
        let Some(tickets) = get("Sparkle Ticket Number") else {
            if rows.iter().any(|(l, _)| window_label(l).is_some()) {
                return Err(Error::MissingField {
                    field: "maintenance_id",
                });
            }
            return Err(Error::not_maintenance(
                "no Sparkle Ticket Number in a Sparkle mail",
            ));
        };
        let ids: Vec<&str> = tickets
            .split(['/', ',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if ids.is_empty() {
            return Err(Error::MissingField {
                field: "maintenance_id",
            });
        }
        // windows in order of appearance, paired start/end by tag
        let mut windows: Vec<(String, Option<When>, Option<When>)> = Vec::new();
        for (label, value) in &rows {
            let Some((is_start, zone, tag)) = window_label(label) else {
                continue;
            };
            let t = time(value, zone, if is_start { "begin" } else { "end" })?;
            let pos = match windows.iter().position(|(k, _, _)| *k == tag) {
                Some(p) => p,
                None => {
                    windows.push((tag.clone(), None, None));
                    windows.len() - 1
                }
            };
            if let Some(w) = windows.get_mut(pos) {
                if is_start {
                    w.1 = Some(t)
                } else {
                    w.2 = Some(t)
                }
            }
        }
        let intro: String = email
            .html_text()
            .lines()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        let words = format!(
            "{} {} {}",
            email.subject,
            get("Type of Maintenance").unwrap_or(""),
            intro
        );
        let status = status_of(&words);
        let impact_min: Option<i64> = get("Expected Impact Time (minutes)")
            .or_else(|| get("Expected Impact Time"))
            .and_then(|v| MINUTES.as_ref()?.captures(v)?.get(1)?.as_str().parse().ok());
        let no_impact = get("Expected Impact Time (minutes)")
            .is_some_and(|v| v.to_ascii_lowercase().contains("no impact"));
        let impact = if no_impact || impact_min == Some(0) {
            Impact::NoImpact
        } else {
            Impact::Outage
        };
        let mut base = Maintenance::new("sparkle");
        base.status = status;
        base.account = ACCOUNT_PLACEHOLDER.into();
        base.organizer = "TISAmericaNOC@tisparkle.com".into();
        base.stamp = email.date;
        base.summary = get("Description of Work")
            .map(|s| s.lines().next().unwrap_or("").trim().to_string())
            .unwrap_or_default();
        if let Some(c) =
            get("Circuits Involved in the Activity").or_else(|| get("Circuits Involved"))
        {
            for id in c
                .split(['\n', ',', ';', ' ', '\t'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                if !base.circuits.iter().any(|x| x.vendor_circuit_id == id) {
                    base.circuits.push(CircuitImpact::new(id, impact));
                }
            }
        }
        if base.circuits.is_empty() && !matches!(status, Status::Cancelled | Status::Completed) {
            return Err(Error::MissingField { field: "circuits" });
        }
        let mut out = Vec::new();
        if windows.is_empty() {
            if status != Status::Cancelled {
                return Err(Error::MissingField { field: "window" });
            }
            for id in &ids {
                let mut m = base.clone();
                m.maintenance_id = (*id).to_string();
                out.push(m);
            }
            return Ok(out);
        }
        for (i, (_, b, e)) in windows.iter().enumerate() {
            let (Some(b), Some(e)) = (b, e) else {
                return Err(Error::MissingField { field: "window" });
            };
            let mut m = base.clone();
            m.maintenance_id = ids
                .get(i)
                .or(ids.last())
                .map(|s| s.to_string())
                .unwrap_or_default();
            let w = Window::new(*b, *e)?;
            m.window = Some(w);
            m.impact_seconds = impact_min
                .filter(|n| *n > 0)
                .map(|n| (n * 60).min(w.seconds()));
            out.push(m);
        }
        Ok(out)
    }

    fn claims(&self, email: &Email) -> bool {
        let has = |t: &str| t.contains("tisparkle.com") || t.contains("Sparkle Ticket Number");
        has(email.text()) || has(&email.html_text())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, tickets: &str, windows: &[(&str, &str, &str)]) -> Email {
        let mut rows = format!(
            "<tr><td><p>Type of Maintenance</p></td><td><p>Planned</p></td></tr><tr><td><p>Sparkle Ticket Number</p></td><td><p>{tickets}</p></td></tr>"
        );
        for (tag, b, e) in windows {
            rows.push_str(&format!(
                "<tr><td><p>Start Date/Time (UTC) {tag}</p></td><td><p>{b}</p></td></tr><tr><td><p>End Date/Time (UTC) {tag}</p></td><td><p>{e}</p></td></tr>"
            ));
        }
        rows.push_str(
            "<tr><td><p>Expected Impact Time (minutes)</p></td><td><p>30 minutes</p></td></tr>",
        );
        rows.push_str("<tr><td><p>Circuits Involved in the Activity</p></td><td><p>SPK-MIA-0007<br>SPK-MIA-0008</p></td></tr>");
        let raw = format!(
            "From: TISAmericaNOC@tisparkle.com\nSubject: {subject}\nContent-Type: text/html\n\n<p>Dear Customer:</p><p>Please be informed of an activity to be performed:</p><table>{rows}</table>"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn one_ticket_per_window() {
        let e = mail(
            "Maintenance Notification | Sparkle TT# 500 / 501",
            "500 / 501",
            &[
                ("Day 1", "03/04/2024 04:00 UTC", "03/04/2024 08:00 UTC"),
                ("BACKUP", "03/05/2024 04:00 UTC", "03/05/2024 08:00 UTC"),
            ],
        );
        let ms = Sparkle.parse(&e).unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].maintenance_id, "500");
        assert_eq!(ms[1].maintenance_id, "501");
        // month-first: March 4th and 5th
        assert_eq!(
            ms[0].window.unwrap().begin().to_rfc3339(),
            "2024-03-04T04:00:00+00:00"
        );
        assert_eq!(
            ms[1].window.unwrap().end().to_rfc3339(),
            "2024-03-05T08:00:00+00:00"
        );
        assert_eq!(
            ms[0].circuits.len(),
            2,
            "<br>-separated circuits stay apart"
        );
        assert_eq!(ms[0].impact_seconds, Some(1800));
        assert_eq!(ms[0].status, Status::Confirmed);
    }

    #[test]
    fn one_ticket_many_windows_repeats_the_id_and_day_first_when_needed() {
        let e = mail(
            "Sparkle TT# 77",
            "77",
            &[
                ("Day 1", "25/03/2024 22:00 UTC", "26/03/2024 02:00 UTC"),
                ("Day 2", "26/03/2024 22:00 UTC", "27/03/2024 02:00 UTC"),
            ],
        );
        let ms = Sparkle.parse(&e).unwrap();
        assert_eq!(ms.len(), 2);
        assert!(ms.iter().all(|m| m.maintenance_id == "77"));
        assert_eq!(
            ms[1].window.unwrap().begin().to_rfc3339(),
            "2024-03-26T22:00:00+00:00"
        );
    }

    #[test]
    fn cancellation_without_windows() {
        let e = mail(
            "Maintenance Cancelled | Sparkle TT# 500 / 501",
            "500 / 501",
            &[],
        );
        let ms = Sparkle.parse(&e).unwrap();
        assert_eq!(ms.len(), 2);
        assert!(
            ms.iter()
                .all(|m| m.status == Status::Cancelled && m.window.is_none())
        );
    }

    #[test]
    fn tags_without_zone_parentheses() {
        assert_eq!(window_label("Start Date/Time Day 2").unwrap().2, "day 2");
        assert_eq!(window_label("End Date/Time Day 2").unwrap().2, "day 2");
        assert!(window_label("End Date/Time Day 2").unwrap().1.is_none());
        assert!(window_label("Location").is_none());
    }

    #[test]
    fn label_zone_applies_when_value_has_none() {
        let (_, zone, tag) = window_label("Start Date/Time (CET) Day 1").unwrap();
        assert_eq!(tag, "day 1");
        let t = time("03/04/2024 10:00", zone, "begin").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-03-04T09:00:00+00:00");
    }
}
