//! AT&T maintenance notices: labelled text body plus a spreadsheet of circuits.

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, sheets, text, tz};

const DOC: &str = "\
# Routing
Sender domain `att.com` (notices come from personal-looking `g12345@att.com`
mailboxes named `ATT Maintenance`); subject `Summary of Planned Maintenance`.
Copies without the sender are claimed by content: the labels `Event ID:`,
`Customer Impact Description:` and `Business Risk:` together.

# Formats
`multipart/mixed`: a short plain/HTML body with `Event ID:` (the maintenance
id), `Customer Impact Description:` (`Planned Maintenance`), `Summary:`,
`Description:`, `Business Risk:` (`Outage`) and one line `Start Time: March 31,
2025 14:00 GMT, End Time: March 31, 2025 15:00 GMT`; the circuits are in an
attached spreadsheet (`.xlsx`, read with calamine; `.csv` also accepted) with
a customer column (`Customer` or `Customer Name`) and a circuit column
(`Circuit/Asset` or `Circuit ID`).

# Quirks
AT&T writes the window in GMT; some notices omit the zone and mean GMT too,
so a time without a zone is read as UTC (never the host zone). The account
is the spreadsheet's customer name. `Business Risk:` gives the impact of
every circuit: `No Impact`/`None` → NO-IMPACT, `Degraded` → DEGRADED,
`At Risk`/`Redundancy` → REDUCED-REDUNDANCY, otherwise OUTAGE. Status from
subject and `Customer Impact Description:`: cancel → CANCELLED,
reschedule/postpone → RE-SCHEDULED, complete → COMPLETED, started/in progress
→ IN-PROCESS, planned/emergency → CONFIRMED. Without a spreadsheet,
`Circuit ID:` lines in the body are used. A spreadsheet whose zip directory
declares more than 64 MiB uncompressed (a zip bomb) or that cannot be read
is a typed error, not a notice silently without circuits.

# Known gaps
Only the first worksheet with a circuit column is read.
";

/// AT&T parser.
pub struct Att;

inventory::submit! {
    ParserDescriptor {
        id: "att",
        carrier: "AT&T",
        senders: &["att.com"],
        subjects: &[r"^\s*(?:(?:RE|FW|FWD)\s*:\s*)*Summary of (?:Planned|Emergency|Cancell?ed|Completed) Maintenance"],
        formats: &["text", "html", "xlsx", "csv"],
        doc: DOC,
        fallback: false,
        parser: &Att,
    }
}

static WINDOW_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)Start Time:\s*(.+?)\s*,?\s*End Time:\s*(.+?)\s*$").ok());

const FORMATS: &[&str] = &[
    "%B %d %Y %H:%M",
    "%B %d %Y %H:%M:%S",
    "%b %d %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
];

/// `Business Risk:` words, first match wins; a plain `none` is no impact too.
const IMPACT_WORDS: Rules<Impact> = &[
    (Impact::NoImpact, &["no impact", "no outage"]),
    (Impact::Degraded, &["degrad"]),
    (Impact::ReducedRedundancy, &["at risk", "redundan"]),
];

/// Subject and `Customer Impact Description:` words, first match wins.
const STATUS_WORDS: Rules<Status> = &[
    (Status::Cancelled, &["cancel"]),
    (Status::Rescheduled, &["reschedul", "postpone"]),
    (Status::Completed, &["complete"]),
    (Status::InProcess, &["started", "in progress"]),
];

/// `Business Risk:` as an impact.
pub fn impact_of(s: &str) -> Impact {
    if words::whole(s, &["none"]) {
        return Impact::NoImpact;
    }
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

/// Status from the subject and the `Customer Impact Description:`.
pub fn status_of(s: &str) -> Status {
    words::first(s, STATUS_WORDS).unwrap_or(Status::Confirmed)
}

/// Rows of every attachment table (each XLSX sheet, CSV files), via the
/// shared [`sheets`] reader. An unreadable spreadsheet is an error rather
/// than a notice silently without circuits.
fn attachment_tables(email: &Email) -> Result<Vec<Vec<Vec<String>>>> {
    Ok(sheets::tables(email)?.into_iter().map(|t| t.rows).collect())
}

fn is_circuit_header(h: &str) -> bool {
    let l = h.to_ascii_lowercase();
    l.starts_with("circuit") || l == "asset" || l == "asset id"
}

/// (account, circuit ids) from the first table with a circuit column.
fn from_tables(tables: &[Vec<Vec<String>>]) -> Option<(String, Vec<String>)> {
    for t in tables {
        let Some(hpos) = t
            .iter()
            .position(|r| r.iter().any(|c| is_circuit_header(c)))
        else {
            continue;
        };
        let header = t.get(hpos)?;
        let ci = header.iter().position(|c| is_circuit_header(c))?;
        let ai = header
            .iter()
            .position(|c| c.to_ascii_lowercase().starts_with("customer"));
        let mut account = String::new();
        let mut ids: Vec<String> = Vec::new();
        for row in t.iter().skip(hpos + 1) {
            let Some(id) = row.get(ci).map(|s| s.trim()).filter(|s| !s.is_empty()) else {
                continue;
            };
            if !ids.iter().any(|x| x == id) {
                ids.push(id.to_string());
            }
            if account.is_empty() {
                account = ai
                    .and_then(|i| row.get(i))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
            }
        }
        if !ids.is_empty() {
            return Some((account, ids));
        }
    }
    None
}

fn window(body: &str) -> Result<Option<Window>> {
    let (b, e) = match body
        .lines()
        .find_map(|l| WINDOW_LINE.as_ref()?.captures(l.trim()))
    {
        Some(c) => (
            c.get(1).map(|g| g.as_str().to_string()),
            c.get(2)
                .map(|g| g.as_str().trim_end_matches([',', '.']).to_string()),
        ),
        None => (
            text::label_value(body, &["Start Time"]),
            text::label_value(body, &["End Time"]),
        ),
    };
    match (b, e) {
        (Some(b), Some(e)) => Ok(Some(Window::new(
            dates::parse_datetime(&b, FORMATS, Some(tz::UTC), "begin")?,
            dates::parse_datetime(&e, FORMATS, Some(tz::UTC), "end")?,
        )?)),
        _ => Ok(None),
    }
}

impl VendorParser for Att {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let Some(id) = text::label_value(body, &["Event ID"]) else {
            return Err(Error::not_maintenance("no AT&T Event ID"));
        };
        let mut m = Maintenance::new("att");
        m.organizer = email
            .from
            .as_ref()
            .map(|f| f.address.clone())
            .filter(|a| a.to_ascii_lowercase().ends_with("att.com"))
            .unwrap_or_else(|| "att.com".into());
        m.maintenance_id = id;
        let kind = text::label_value(body, &["Customer Impact Description"]).unwrap_or_default();
        m.status = status_of(&format!("{} {kind}", email.subject));
        let summary = text::label_value(body, &["Summary"]).unwrap_or_default();
        let description = text::label_value(body, &["Description"]).unwrap_or_default();
        m.summary = format!("{summary} {description}").trim().to_string();
        m.stamp = email.date;
        m.window = window(body)?;
        if m.window.is_none() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "window" });
        }
        let impact = text::label_value(body, &["Business Risk"])
            .map(|s| impact_of(&s))
            .unwrap_or(Impact::Outage);
        let (account, ids) = from_tables(&attachment_tables(email)?).unwrap_or_else(|| {
            let ids = text::label_values(body, &["Circuit ID", "Circuit"]);
            (
                text::label_value(body, &["Customer Name", "Customer"]).unwrap_or_default(),
                ids,
            )
        });
        m.account = account;
        for id in ids {
            for part in id
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                m.circuits.push(CircuitImpact::new(part, impact));
            }
        }
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        Ok(vec![m])
    }

    fn claims(&self, email: &Email) -> bool {
        let t = email.text();
        t.contains("Event ID:")
            && t.contains("Customer Impact Description:")
            && t.contains("Business Risk:")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn mail(subject: &str, body: &str) -> Email {
        let raw = format!(
            "From: ATT Maintenance <m40110@att.com>\nSubject: {subject}\nDate: Mon, 4 Mar 2024 10:00:00 -0500\n\n{body}"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn window_line_with_and_without_zone() {
        let body = "Event ID: 7001\nCustomer Impact Description: Planned Maintenance\nBusiness Risk: No Impact\nCircuit ID: BBEC.998877..ATI\n\nStart Time: April 2, 2024 05:00 GMT, End Time: April 2, 2024 09:30 GMT\n";
        let m = &Att
            .parse(&mail("Summary of Planned Maintenance", body))
            .unwrap()[0];
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-04-02T05:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-04-02T09:30:00+00:00");
        assert_eq!(
            m.circuits,
            vec![CircuitImpact::new("BBEC.998877..ATI", Impact::NoImpact)]
        );
        let bare = body.replace(" GMT", "");
        let m2 = &Att
            .parse(&mail("Summary of Planned Maintenance", &bare))
            .unwrap()[0];
        assert_eq!(m2.window, m.window, "no zone means GMT");
        // an explicit US zone is honoured: 05:00 EDT = 09:00 UTC
        let edt = body.replace("05:00 GMT", "05:00 EDT");
        let m3 = &Att
            .parse(&mail("Summary of Planned Maintenance", &edt))
            .unwrap()[0];
        assert_eq!(
            m3.window.unwrap().begin().to_rfc3339(),
            "2024-04-02T09:00:00+00:00"
        );
    }

    #[test]
    fn statuses_and_impacts() {
        assert_eq!(
            status_of("Summary of Planned Maintenance Planned Maintenance"),
            Status::Confirmed
        );
        assert_eq!(
            status_of("Summary of Cancelled Maintenance"),
            Status::Cancelled
        );
        assert_eq!(status_of("Emergency Maintenance"), Status::Confirmed);
        assert_eq!(impact_of("Outage"), Impact::Outage);
        assert_eq!(impact_of("No Impact"), Impact::NoImpact);
    }

    #[test]
    fn csv_table() {
        let t = vec![vec![
            vec!["Customer Name".to_string(), "Circuit ID".to_string()],
            vec!["Contoso".to_string(), " 12/KFGS/400100/ATI ".to_string()],
            vec!["Contoso".to_string(), "12/KFGS/400101/ATI".to_string()],
        ]];
        let (acct, ids) = from_tables(&t).unwrap();
        assert_eq!(acct, "Contoso");
        assert_eq!(ids, ["12/KFGS/400100/ATI", "12/KFGS/400101/ATI"]);
    }

    #[test]
    fn other_att_mail_is_not_maintenance() {
        let e = Att
            .parse(&mail(
                "Your AT&T Business bill is ready",
                "View your bill online.\n",
            ))
            .unwrap_err();
        assert!(e.is_not_maintenance());
    }
}
