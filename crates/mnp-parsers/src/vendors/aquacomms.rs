//! Aqua Comms maintenance notices (helpdesk HTML, `ISSUE=`/`PROJ=` subject).

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
Sender domain `aquacomms.com` (`tickets@aquacomms.com`); subjects starting
`Aqua Comms` or carrying `ISSUE=<n> PROJ=<n>`; content signature: the
`Aqua Comms NOC` signature with a `Ticket Number:` row.

# Formats
Helpdesk HTML (`When replying, type your text above this line.`): `Ticket
Number:`, `Scheduled Start Date & Time:` and `Scheduled End Date & Time:`
(`22:00 12/10/2020 GMT`, time first, day-first date), one or more `Service
ID:` rows, then an update log (`- Update - ...`). The subject reads `Aqua
Comms Planned Outage Work ISSUE=11111 PROJ=999`: ISSUE is the maintenance id
and PROJ the customer account.

# Quirks
Dates are day-first (`12/10/2020` is 12 October). The note `all time stamps
below will appear in US Central time` is about the update log, not the
window, which states its own zone; a window time without a zone is read as
GMT. Status: the subject or the notice sentence saying `cancelled` →
CANCELLED, `completed`/`closed` → COMPLETED, `rescheduled`/`postponed` →
RE-SCHEDULED, `in progress`/`started` → IN-PROCESS, otherwise (planned,
emergency, reminder) CONFIRMED. Impact is OUTAGE (`Planned Outage Work`)
unless the notice says `no impact`/`non-service affecting`. Without
`ISSUE=` the `Ticket Number` is the id.

# Known gaps
The update log is only used as the summary; its US Central timestamps are
not read.
";

/// Aqua Comms parser.
pub struct AquaComms;

inventory::submit! {
    ParserDescriptor {
        id: "aquacomms",
        carrier: "Aqua Comms",
        senders: &["aquacomms.com"],
        subjects: &[r"^\s*(?:(?:re|fwd?|fw)\s*:\s*)*Aqua\s?Comms\b", r"\bISSUE=\d+\s+PROJ=\w+"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &AquaComms,
    }
}

static ISSUE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)\bISSUE=(\w+)").ok());
static PROJ: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)\bPROJ=(\w+)").ok());

/// Subject and notice words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Completed, &["completed", "closed"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (
        Status::InProcess,
        &["in progress", "has started", "commenced"],
    ),
];

/// Status from the subject and the notice sentence.
pub fn status_of(subject: &str, notice: &str) -> Status {
    words::first(&format!("{subject} {notice}"), STATUS_WORDS).unwrap_or(Status::Confirmed)
}

fn parse_time(s: &str, field: &'static str) -> Result<chrono::DateTime<chrono::Utc>> {
    dates::parse_datetime(
        s,
        &[
            "%H:%M %d/%m/%Y",
            "%H:%M:%S %d/%m/%Y",
            "%d/%m/%Y %H:%M",
            "%d/%m/%Y %H:%M:%S",
        ],
        Some(tz::UTC),
        field,
    )
}

impl VendorParser for AquaComms {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let ticket = text::label_value(body, &["Ticket Number"]);
        let begin = text::label_value(
            body,
            &[
                "Scheduled Start Date & Time",
                "Scheduled Start Date and Time",
                "Start Date & Time",
            ],
        );
        let end = text::label_value(
            body,
            &[
                "Scheduled End Date & Time",
                "Scheduled End Date and Time",
                "End Date & Time",
            ],
        );
        let issue = ISSUE
            .as_ref()
            .and_then(|r| r.captures(&email.subject))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
        if begin.is_none() && end.is_none() && ticket.is_none() {
            return Err(Error::not_maintenance(
                "no ticket number and no scheduled window",
            ));
        }
        let maintenance_id = issue.or(ticket).ok_or(Error::MissingField {
            field: "maintenance_id",
        })?;
        // the sentence that says what this notice is about
        let notice = body
            .lines()
            .find(|l| {
                l.to_ascii_lowercase().contains("maintenance event")
                    || l.to_ascii_lowercase().contains("this notice")
            })
            .unwrap_or("");
        let status = status_of(&email.subject, notice);
        let window = match (begin, end) {
            (Some(b), Some(e)) => Some(Window::new(
                parse_time(&b, "begin")?,
                parse_time(&e, "end")?,
            )?),
            (None, None) if status == Status::Cancelled => None,
            (None, _) => return Err(Error::MissingField { field: "begin" }),
            (_, None) => return Err(Error::MissingField { field: "end" }),
        };
        let lower = body.to_ascii_lowercase();
        let impact = if lower.contains("no impact")
            || lower.contains("non-service affecting")
            || lower.contains("non service affecting")
        {
            Impact::NoImpact
        } else {
            Impact::Outage
        };
        let circuits: Vec<CircuitImpact> = text::label_values(body, &["Service ID"])
            .iter()
            .flat_map(|v| {
                v.split([',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .map(|id| CircuitImpact::new(id, impact))
            .collect();
        if circuits.is_empty() && status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        let mut m = Maintenance::new("aquacomms");
        m.maintenance_id = maintenance_id;
        m.status = status;
        m.window = window;
        m.account = PROJ
            .as_ref()
            .and_then(|r| r.captures(&email.subject))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
            .unwrap_or_default();
        m.circuits = circuits;
        m.stamp = email.date;
        m.summary = body
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- Update -"))
            .next_back()
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        m.organizer = "tickets@aquacomms.com".into();
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let body = email.text();
        body.contains("Aqua Comms NOC") && body.contains("Ticket Number")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn day_first_dates() {
        assert_eq!(
            parse_time("22:00 12/10/2020 GMT", "b")
                .unwrap()
                .to_rfc3339(),
            "2020-10-12T22:00:00+00:00"
        );
        assert_eq!(
            parse_time("01:30 03/04/2024", "b").unwrap().to_rfc3339(),
            "2024-04-03T01:30:00+00:00"
        );
        // the shared zone table reads IST as India Standard Time (+05:30)
        assert_eq!(
            parse_time("06:00 03/04/2024 IST", "b")
                .unwrap()
                .to_rfc3339(),
            "2024-04-03T00:30:00+00:00"
        );
    }

    #[test]
    fn status_words() {
        assert_eq!(
            status_of(
                "Aqua Comms Planned Outage Work ISSUE=1 PROJ=2",
                "notify you of the following Maintenance Event."
            ),
            Status::Confirmed
        );
        assert_eq!(
            status_of(
                "Aqua Comms Planned Outage Work ISSUE=1 PROJ=2 - Cancelled",
                ""
            ),
            Status::Cancelled
        );
        assert_eq!(
            status_of(
                "Aqua Comms Emergency Outage Work ISSUE=1 PROJ=2",
                "the following Maintenance Event has been completed."
            ),
            Status::Completed
        );
    }
}
