//! Megaport planned / emergency maintenance notices (HTML).

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text, tz};

const DOC: &str = "\
# Routing
Sender domain `megaport.com` (`support@megaport.com`); subjects naming a
Megaport maintenance; content signature: a Megaport notice (`The Megaport
Team` / `Megaport`) with `maintenance (<id>)` and a `Start Date and Time:` line.

# Formats
HTML: `Hi <account>`, one sentence with the id in brackets (`This is a
reminder that Planned maintenance (987654321-1) that will impact the services
listed below.`), `Purpose of Maintenance:`, `Impacted Service(s):`, a table
`Service ID | Service Type | Service Name`, then `Start Date and Time: Wed, 12
May 2021 10:00:00 UTC` and `End Date and Time: ...`.

# Quirks
The sentence holding the id sets the status: `has been cancelled` →
CANCELLED, `has been completed`/`is complete` → COMPLETED, `rescheduled`,
`postponed`, `amended`, `updated` → RE-SCHEDULED, `has commenced`/`is in
progress` → IN-PROCESS, otherwise (scheduled, reminder, emergency) CONFIRMED.
Impact is OUTAGE unless the notice says `no impact`/`no service impact`/
`non-service impacting` (NO-IMPACT) or a loss of redundancy
(REDUCED-REDUNDANCY); a sentence that some *other* sessions `will not be
affected` does not make it impact-free. The table has empty spacer cells; the
`Service ID` column is found by its header. Times carry their zone (`UTC`);
a time without one is read as UTC. The `Impacted Service(s):` line repeats
the window in a short day-first form and is not used.

# Known gaps
A cancellation without Start/End lines yields no window; only one window per
notice is read.
";

/// Megaport parser.
pub struct Megaport;

inventory::submit! {
    ParserDescriptor {
        id: "megaport",
        carrier: "Megaport",
        senders: &["megaport.com"],
        subjects: &[r"\bMegaport\b.*\bmaintenance\b"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Megaport,
    }
}

static ID_SENTENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)([^.\n]*\bmaintenance\s*\(\s*([A-Za-z0-9][A-Za-z0-9_./-]*)\s*\)[^.\n]*)").ok()
});

/// Words of the sentence that names the maintenance, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (
        Status::Completed,
        &["been completed", "is complete", "has completed"],
    ),
    (
        Status::Rescheduled,
        &["reschedul", "postpone", "amended", "updated"],
    ),
    (
        Status::InProcess,
        &["commenced", "in progress", "has started"],
    ),
];

/// Status from the sentence that names the maintenance.
pub fn status_of(sentence: &str) -> Status {
    words::first(sentence, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// Impact words of the notice text, first match wins.
const IMPACT_WORDS: Rules<Impact> = &[
    (
        Impact::NoImpact,
        &[
            "no impact",
            "no service impact",
            "non-service impacting",
            "not be service impacting",
        ],
    ),
    (
        Impact::ReducedRedundancy,
        &[
            "loss of redundancy",
            "reduced redundancy",
            "without redundancy",
        ],
    ),
];

/// Impact from the notice text.
pub fn impact_of(text: &str) -> Impact {
    words::first(text, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// Service ids from the `Service ID` column of the services table.
fn services(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut col: Option<usize> = None;
    for line in body.lines() {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if let Some(i) = cells
            .iter()
            .position(|c| c.eq_ignore_ascii_case("service id"))
        {
            col = Some(i);
            continue;
        }
        let Some(i) = col else { continue };
        if !line.contains('\t') {
            col = None;
            continue;
        }
        if let Some(id) = cells.get(i).filter(|c| !c.is_empty()) {
            out.push(id.to_string());
        }
    }
    out
}

fn parse_time(s: &str, field: &'static str) -> Result<chrono::DateTime<chrono::Utc>> {
    dates::parse_datetime(
        s,
        &[
            "%a %d %b %Y %H:%M:%S",
            "%a %d %b %Y %H:%M",
            "%d %b %Y %H:%M:%S",
            "%d %b %Y %H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ],
        Some(tz::UTC),
        field,
    )
}

impl VendorParser for Megaport {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let caps = ID_SENTENCE
            .as_ref()
            .and_then(|r| r.captures(body))
            .ok_or_else(|| Error::not_maintenance("no `maintenance (<id>)` sentence"))?;
        let sentence = caps.get(1).map(|m| m.as_str()).unwrap_or("");
        let id = caps
            .get(2)
            .map(|m| m.as_str().trim().to_string())
            .ok_or(Error::MissingField {
                field: "maintenance_id",
            })?;
        let status = status_of(sentence);
        let begin = text::label_value(body, &["Start Date and Time"]);
        let end = text::label_value(body, &["End Date and Time"]);
        let window = match (begin, end) {
            (Some(b), Some(e)) => Some(Window::new(
                parse_time(&b, "begin")?,
                parse_time(&e, "end")?,
            )?),
            (None, None) if status == Status::Cancelled => None,
            (None, _) => return Err(Error::MissingField { field: "begin" }),
            (_, None) => return Err(Error::MissingField { field: "end" }),
        };
        let ids = services(body);
        if ids.is_empty() && status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        let impact = impact_of(body);
        let mut m = Maintenance::new("megaport");
        m.maintenance_id = id;
        m.status = status;
        m.window = window;
        m.account = body
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("Hi "))
            .map(|a| a.trim().trim_end_matches([',', '!']).trim().to_string())
            .unwrap_or_default();
        m.circuits = ids.iter().map(|c| CircuitImpact::new(c, impact)).collect();
        m.stamp = email.date;
        m.summary = text::label_value(body, &["Purpose of Maintenance"]).unwrap_or_default();
        m.organizer = "support@megaport.com".into();
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let body = email.text();
        body.contains("Megaport")
            && body.contains("Start Date and Time")
            && ID_SENTENCE.as_ref().is_some_and(|r| r.is_match(body))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn sentence_status() {
        assert_eq!(
            status_of(
                "This is a reminder that Planned maintenance (1-1) that will impact the services listed below"
            ),
            Status::Confirmed
        );
        assert_eq!(
            status_of("Planned maintenance (1-1) has been cancelled"),
            Status::Cancelled
        );
        assert_eq!(
            status_of("Emergency maintenance (1-1) has been completed"),
            Status::Completed
        );
        assert_eq!(
            status_of("Planned maintenance (1-1) has been rescheduled"),
            Status::Rescheduled
        );
    }

    #[test]
    fn other_sessions_not_affected_is_still_an_outage() {
        assert_eq!(
            impact_of(
                "The secondary route server will be unavailable. Sessions with the primary will not be affected."
            ),
            Impact::Outage
        );
        assert_eq!(
            impact_of("There is no service impact expected."),
            Impact::NoImpact
        );
    }

    #[test]
    fn service_column_skips_spacer_cells() {
        let t = "Service ID\t\tService Type\t\tService Name\n 40001 \t\tVXC\t\tSYD-MEL\n40002\t\tPort\t\tx\nStart Date and Time: y\n";
        assert_eq!(services(t), vec!["40001", "40002"]);
    }

    #[test]
    fn times_with_and_without_zone() {
        assert_eq!(
            parse_time("Wed, 12 May 2021 10:00:00 UTC", "b")
                .unwrap()
                .to_rfc3339(),
            "2021-05-12T10:00:00+00:00"
        );
        // AEST (UTC+10)
        assert_eq!(
            parse_time("Sat, 01 Jun 2024 02:00:00 AEST", "b")
                .unwrap()
                .to_rfc3339(),
            "2024-05-31T16:00:00+00:00"
        );
    }
}
