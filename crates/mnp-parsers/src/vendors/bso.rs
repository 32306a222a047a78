//! BSO (network-servicedesk@bso.co) HTML maintenance notices.

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, text};

const DOC: &str = "\
# Routing
Sender domains `bso.co` and `bsonetwork.net` (the service-desk portal); subjects naming BSO
and a maintenance. Content signature: the `BSO's upstream provider` wording or the
`servicedesk.bsonetwork.net` portal link together with a `Maintenance ID` field.

# Formats
One HTML layout (a navy banner, then two-column tables) for every stage of a
maintenance. The banner names the stage: `Maintenance_`, `Maintenance Reminder_`,
`Maintenance Start_`, `Maintenance Update_`, `Maintenance End_`, `Maintenance Cancelled_`.
Fields: `Service ID (SID)` (one or more ids, space separated), `Maintenance Reason`,
`Maintenance ID`, then per timeslot `Timeslot start time` / `Timeslot end time`
(`Aug 29, 2022 15:00 UTC`), `Expected impact duration` and an `Expected impact level`
block with one `SID  level` row per service.

# Quirks
Status comes from the banner: `Maintenance_`, `Reminder` and `Start` (sent shortly
*before* the window: \"will begin soon\") are CONFIRMED, `Update` and `Extension` are
RE-SCHEDULED (the window or impact changed), `End`/`Completed` COMPLETED, `Cancel`
CANCELLED; a banner with `Started`/`In progress` is IN-PROCESS. Emergency works use the
same banners and are CONFIRMED. Impact levels: `Hard Down`/`Outage` → OUTAGE, `Switch
hit`/`Higher latency`/`Flapping` → REDUCED-REDUNDANCY (protected services take a
switch-over), `At risk only`/`No impact` → NO-IMPACT, `Degraded` → DEGRADED; a SID
without a level row is OUTAGE. A notice with several timeslots gives one maintenance per
timeslot (same id), each with the impact rows that follow that timeslot. The notice
names no customer: the account is the placeholder `Customer info unavailable`, as in the
reference corpus.

# Known gaps
Times are always stated in UTC in the samples; another zone abbreviation is honoured
through `helpers::tz`, a missing one is read as UTC. `Expected impact duration` (an upper
bound, \"Up to 04 Hours\") is not turned into `impact_seconds`.
";

/// BSO parser.
pub struct Bso;

inventory::submit! {
    ParserDescriptor {
        id: "bso",
        carrier: "BSO",
        senders: &["bso.co", "bsonetwork.net"],
        subjects: &[r"\bBSO\b.*\bmaintenance\b", r"\bmaintenance\b.*\bBSO\b"],
        formats: &["html"],
        doc: DOC,
        fallback: false,
        parser: &Bso,
    }
}

const ACCOUNT_PLACEHOLDER: &str = "Customer info unavailable";
const DATE_FORMATS: &[&str] = &[
    "%b %d %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
];

/// The banner line naming the stage (`Maintenance Update_`), if any.
fn banner(body: &str) -> Option<&str> {
    body.lines()
        .map(str::trim)
        .take(15)
        .find(|l| l.ends_with('_') && l.to_ascii_lowercase().contains("maintenance"))
}

/// Status from the banner (or, without one, the subject).
pub fn status_of(banner: &str) -> Status {
    let l = banner.to_ascii_lowercase();
    let word = |w: &str| l.split(|c: char| !c.is_ascii_alphabetic()).any(|x| x == w);
    if l.contains("cancel") {
        Status::Cancelled
    } else if l.contains("update")
        || l.contains("reschedul")
        || l.contains("exten")
        || l.contains("postpone")
        || l.contains("amend")
    {
        Status::Rescheduled
    } else if word("end") || word("ended") || l.contains("complet") || word("closed") {
        Status::Completed
    } else if word("started") || l.contains("in progress") || word("ongoing") {
        Status::InProcess
    } else {
        Status::Confirmed
    }
}

/// `Expected impact level` words, first match wins: an outage word beats a
/// softer one in the same text.
const IMPACT_WORDS: Rules<Impact> = &[
    (
        Impact::Outage,
        &["hard down", "outage", "down", "interruption"],
    ),
    (
        Impact::NoImpact,
        &["at risk", "no impact", "not impact", "none"],
    ),
    (
        Impact::ReducedRedundancy,
        &["switch", "latency", "flap", "redundan"],
    ),
    (Impact::Degraded, &["degrad"]),
];

/// Impact of an `Expected impact level` text.
pub fn impact_of(level: &str) -> Impact {
    words::first(level, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// `label<TAB...>value` on one line (label compared case-insensitively).
fn cell_value<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let (head, rest) = line.split_once('\t')?;
    head.trim().eq_ignore_ascii_case(label).then(|| rest.trim())
}

struct Slot {
    begin: String,
    end: Option<String>,
    levels: Vec<(String, String)>,
}

fn slots(body: &str, sids: &[String]) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::new();
    for line in body.lines().map(str::trim) {
        if let Some(v) = cell_value(line, "Timeslot start time") {
            out.push(Slot {
                begin: v.to_string(),
                end: None,
                levels: Vec::new(),
            });
        } else if let Some(v) = cell_value(line, "Timeslot end time") {
            if let Some(s) = out.last_mut() {
                s.end.get_or_insert_with(|| v.to_string());
            }
        } else if let Some((head, rest)) = line.split_once('\t') {
            let head = head.trim();
            if let Some(s) = out.last_mut().filter(|_| sids.iter().any(|s| s == head)) {
                s.levels.push((head.to_string(), rest.trim().to_string()));
            }
        }
    }
    out
}

fn time(s: &str, field: &'static str) -> Result<chrono::DateTime<chrono::Utc>> {
    dates::parse_utc(s, DATE_FORMATS, field)
}

impl VendorParser for Bso {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = text::html_body_or_plain(email);
        let id = body
            .lines()
            .find_map(|l| cell_value(l.trim(), "Maintenance ID"))
            .map(str::to_string);
        let has_slot = body
            .lines()
            .any(|l| cell_value(l.trim(), "Timeslot start time").is_some());
        let Some(id) = id.filter(|i| !i.is_empty()) else {
            if has_slot {
                return Err(Error::MissingField {
                    field: "maintenance_id",
                });
            }
            return Err(Error::not_maintenance("no Maintenance ID in a BSO mail"));
        };
        let status = status_of(banner(&body).unwrap_or(&email.subject));
        let sids: Vec<String> = body
            .lines()
            .find_map(|l| {
                cell_value(l.trim(), "Service ID (SID)")
                    .or_else(|| cell_value(l.trim(), "Service ID"))
            })
            .map(|v| {
                v.split([' ', '\t', ',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let mut base = Maintenance::new("bso");
        base.maintenance_id = id;
        base.status = status;
        base.account = ACCOUNT_PLACEHOLDER.into();
        base.organizer = "network-servicedesk@bso.co".into();
        base.stamp = email.date;
        base.summary = text::label_value(&body, &["Maintenance Reason"]).unwrap_or_default();
        let slots = slots(&body, &sids);
        if slots.is_empty() {
            if status == Status::Cancelled {
                base.circuits = sids
                    .iter()
                    .map(|s| CircuitImpact::new(s, Impact::Outage))
                    .collect();
                return Ok(vec![base]);
            }
            return Err(Error::MissingField { field: "window" });
        }
        let mut out = Vec::new();
        for slot in slots {
            let end = slot.end.as_deref().ok_or(Error::MissingField {
                field: "window end",
            })?;
            let mut m = base.clone();
            m.window = Some(Window::new(time(&slot.begin, "begin")?, time(end, "end")?)?);
            for sid in &sids {
                let impact = slot
                    .levels
                    .iter()
                    .find(|(s, _)| s == sid)
                    .map(|(_, l)| impact_of(l))
                    .unwrap_or(Impact::Outage);
                m.circuits.push(CircuitImpact::new(sid, impact));
            }
            if m.circuits.is_empty() && status != Status::Cancelled && status != Status::Completed {
                return Err(Error::MissingField { field: "circuits" });
            }
            out.push(m);
        }
        Ok(out)
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        (t.contains("BSO's upstream provider") || t.contains("servicedesk.bsonetwork.net"))
            && t.contains("Maintenance ID")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(banner: &str, rows: &str) -> Vec<u8> {
        format!(
            "From: network-servicedesk@bso.co\r\nSubject: x\r\nDate: Tue, 2 Apr 2024 10:00:00 +0000\r\nContent-Type: text/html\r\n\r\n\
             <html><body><table><tr><td>{banner}</td></tr></table>\
             <table><tr><td>Service ID (SID)</td><td></td><td><span>SID-A</span> <span>SID-B</span></td></tr>\
             <tr><td>Maintenance ID</td><td></td><td>90210</td></tr>{rows}</table></body></html>"
        )
        .into_bytes()
    }

    #[test]
    fn status_words() {
        assert_eq!(status_of("Maintenance_"), Status::Confirmed);
        assert_eq!(status_of("Maintenance Reminder_"), Status::Confirmed);
        assert_eq!(status_of("Maintenance Start_"), Status::Confirmed);
        assert_eq!(status_of("Maintenance Update_"), Status::Rescheduled);
        assert_eq!(status_of("Maintenance End_"), Status::Completed);
        assert_eq!(status_of("Maintenance Cancelled_"), Status::Cancelled);
        assert_eq!(status_of("Maintenance Extended_"), Status::Rescheduled);
        assert_eq!(status_of("Maintenance Started_"), Status::InProcess);
    }

    #[test]
    fn impact_words() {
        assert_eq!(impact_of("Hard Down"), Impact::Outage);
        assert_eq!(
            impact_of("Switch hit and Higher latency"),
            Impact::ReducedRedundancy
        );
        assert_eq!(impact_of("At risk only"), Impact::NoImpact);
    }

    #[test]
    fn two_timeslots_give_two_maintenances_with_their_own_levels() {
        let rows = "<tr><td>Timeslot start time</td><td></td><td>Apr 9, 2024 22:00 UTC</td></tr>\
            <tr><td>Timeslot end time</td><td></td><td>Apr 10, 2024 02:00 UTC</td></tr>\
            <tr><td>SID-A</td><td></td><td>Hard Down</td></tr><tr><td>SID-B</td><td></td><td>At risk only</td></tr>\
            <tr><td>Timeslot start time</td><td></td><td>Apr 10, 2024 22:00 UTC</td></tr>\
            <tr><td>Timeslot end time</td><td></td><td>Apr 11, 2024 01:30 UTC</td></tr>\
            <tr><td>SID-A</td><td></td><td>Switch hit</td></tr>";
        let email = Email::parse(&mail("Maintenance Reminder_", rows)).unwrap();
        let ms = Bso.parse(&email).unwrap();
        assert_eq!(ms.len(), 2);
        let w0 = ms[0].window.unwrap();
        assert_eq!(w0.begin().to_rfc3339(), "2024-04-09T22:00:00+00:00");
        assert_eq!(w0.end().to_rfc3339(), "2024-04-10T02:00:00+00:00");
        assert_eq!(
            ms[0].circuits,
            vec![
                CircuitImpact::new("SID-A", Impact::Outage),
                CircuitImpact::new("SID-B", Impact::NoImpact)
            ]
        );
        let w1 = ms[1].window.unwrap();
        assert_eq!(w1.begin().to_rfc3339(), "2024-04-10T22:00:00+00:00");
        assert_eq!(w1.end().to_rfc3339(), "2024-04-11T01:30:00+00:00");
        // SID-B has no level row in the second slot: assume the worst
        assert_eq!(
            ms[1].circuits,
            vec![
                CircuitImpact::new("SID-A", Impact::ReducedRedundancy),
                CircuitImpact::new("SID-B", Impact::Outage)
            ]
        );
        assert!(
            ms.iter()
                .all(|m| m.maintenance_id == "90210" && m.status == Status::Confirmed)
        );
    }

    #[test]
    fn cancellation_without_timeslot_has_no_window() {
        let email = Email::parse(&mail("Maintenance Cancelled_", "")).unwrap();
        let ms = Bso.parse(&email).unwrap();
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].status, Status::Cancelled);
        assert!(ms[0].window.is_none());
    }

    #[test]
    fn newsletter_is_not_maintenance() {
        let raw = b"From: network-servicedesk@bso.co\r\nSubject: BSO news\r\n\r\nOur new PoP in Marseille is live.\r\n";
        let email = Email::parse(raw).unwrap();
        assert!(Bso.parse(&email).unwrap_err().is_not_maintenance());
    }
}
