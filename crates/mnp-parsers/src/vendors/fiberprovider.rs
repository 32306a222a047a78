//! Fiber Provider "PLANNED WORK (PW) Notification" plain-text notices (the seed format).

use std::sync::LazyLock;

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::words::{self, Rules};
use crate::helpers::{dates, sheets, text};

const DOC: &str = "\
# Routing
Sender domain `fiberprovider.com`; subject `Planned Work PW... Notification from Fiber Provider`.

# Formats
Plain text with `Label: value` lines: `Customer:`, `PW Reference number:`,
`Start Date and Time:`, `End Date and Time:` (e.g. `2019-Apr-09 06:00 UTC`),
`Action and Reason:`, then one `Service ID:` line per affected circuit, each
optionally followed by `Impact: N x M hours interruption`.

# Quirks
The seed implementation kept only the last `Service ID`, miscomputed
`impactSeconds` for interruptions of 24 hours or more, failed when `Impact:`
was missing and ignored US zone abbreviations. Here every circuit is listed,
`impactSeconds` is count × duration (hours, minutes or days) summed over the
circuits' largest value, a missing `Impact:` means the circuit is at risk for
the whole window (OUTAGE, no `impactSeconds`), and `CST`/`CDT`/`EST`... are
resolved as fixed offsets. `Action and Reason:` becomes the summary, so a
\"New try for cancelled PWIC45678\" reference is kept verbatim. A notice whose
title says CANCELLED is a cancellation.

Circuits are also read from attached CSV / XLSX tables (`Service ID` and
`Impact` columns); a circuit listed in both text and table appears once.

# Known gaps
Attached tables without a `Service ID` header column are ignored.
";

/// Fiber Provider parser.
pub struct FiberProvider;

inventory::submit! {
    ParserDescriptor {
        id: "fiberprovider",
        carrier: "Fiber Provider",
        senders: &["fiberprovider.com"],
        subjects: &[r"Notification from Fiber Provider"],
        formats: &["text", "csv", "xlsx"],
        doc: DOC,
        fallback: false,
        parser: &FiberProvider,
    }
}

static INTERRUPTION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+)\s*x\s*(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|days?|d)\b")
        .ok()
});

/// Seconds of interruption from an `Impact:` text such as `1 x 3 hours interruption`.
pub fn impact_seconds(s: &str) -> Option<i64> {
    let c = INTERRUPTION.as_ref()?.captures(s)?;
    let count: i64 = c.get(1)?.as_str().parse().ok()?;
    let amount: f64 = c.get(2)?.as_str().replace(',', ".").parse().ok()?;
    let unit = c.get(3)?.as_str().to_ascii_lowercase();
    let per = if unit.starts_with('d') {
        86_400.0
    } else if unit.starts_with('m') {
        60.0
    } else {
        3_600.0
    };
    count.checked_mul((amount * per).round() as i64)
}

/// Impact words, first match wins.
const IMPACT_WORDS: Rules<Impact> = &[
    (Impact::NoImpact, &["no impact", "no interruption", "none"]),
    (Impact::Degraded, &["degrad"]),
    (Impact::ReducedRedundancy, &["redundan"]),
];

fn impact_of(s: &str) -> Impact {
    words::first(s, IMPACT_WORDS).unwrap_or(Impact::Outage)
}

impl VendorParser for FiberProvider {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let body = email.text();
        let head = body
            .lines()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase();
        if !head.contains("PLANNED WORK")
            && !email.subject.to_ascii_lowercase().contains("planned work")
        {
            return Err(Error::not_maintenance(
                "no PLANNED WORK notification header",
            ));
        }
        let mut m = Maintenance::new("fiberprovider");
        m.organizer = "noc@fiberprovider.com".into();
        m.account = text::label_value(body, &["Customer"]).unwrap_or_default();
        m.maintenance_id = text::label_value(body, &["PW Reference number", "PW Reference"])
            .ok_or(Error::MissingField {
                field: "maintenance_id",
            })?;
        m.summary = text::label_value(body, &["Action and Reason"]).unwrap_or_default();
        let cancelled =
            head.contains("CANCEL") || email.subject.to_ascii_lowercase().contains("cancel");
        m.status = if cancelled {
            Status::Cancelled
        } else {
            Status::Confirmed
        };
        let fmts = ["%Y-%b-%d %H:%M", "%Y-%m-%d %H:%M", "%d-%b-%Y %H:%M"];
        let begin = text::label_value(body, &["Start Date and Time"]);
        let end = text::label_value(body, &["End Date and Time"]);
        m.window = match (begin, end) {
            (Some(b), Some(e)) => Some(Window::new(
                dates::parse_datetime(&b, &fmts, None, "begin")?,
                dates::parse_datetime(&e, &fmts, None, "end")?,
            )?),
            (None, None) if cancelled => None,
            _ => return Err(Error::MissingField { field: "window" }),
        };
        m.stamp = email.date;
        // Circuits: each "Service ID:" line, with the Impact: line that follows it (if any)
        let mut max_secs: Option<i64> = None;
        let lines: Vec<&str> = body.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(id) = text::label_value(line, &["Service ID"]) else {
                continue;
            };
            let impact_line = lines
                .iter()
                .skip(i + 1)
                .take_while(|l| text::label_value(l, &["Service ID"]).is_none())
                .find_map(|l| text::label_value(l, &["Impact"]));
            let impact = impact_line
                .as_deref()
                .map(impact_of)
                .unwrap_or(Impact::Outage);
            if let Some(s) = impact_line.as_deref().and_then(impact_seconds) {
                max_secs = Some(max_secs.map_or(s, |m: i64| m.max(s)));
            }
            for part in id
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                m.circuits.push(CircuitImpact::new(part, impact));
            }
        }
        for table in sheets::tables(email)? {
            let Some(id_col) = table.column(&["Service ID", "Service", "Circuit ID"]) else {
                continue;
            };
            let impact_col = table.column(&["Impact"]);
            for row in table.records() {
                let Some(id) = row.get(id_col).map(|s| s.trim()).filter(|s| !s.is_empty()) else {
                    continue;
                };
                let impact_text = impact_col.and_then(|c| row.get(c)).map(String::as_str);
                let impact = impact_text.map(impact_of).unwrap_or(Impact::Outage);
                if let Some(s) = impact_text.and_then(impact_seconds) {
                    max_secs = Some(max_secs.map_or(s, |m: i64| m.max(s)));
                }
                if !m.circuits.iter().any(|c| c.vendor_circuit_id == id) {
                    m.circuits.push(CircuitImpact::new(id, impact));
                }
            }
        }
        if m.circuits.is_empty() && !cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        m.impact_seconds = max_secs;
        Ok(vec![m])
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

    #[test]
    fn impact_seconds_handles_long_interruptions() {
        assert_eq!(impact_seconds("1 x 3 hours interruption"), Some(10_800));
        assert_eq!(impact_seconds("2 x 30 minutes interruption"), Some(3_600));
        // the seed's bug: over 24 h wrapped around; 1 x 26 hours is 93600 s
        assert_eq!(impact_seconds("1 x 26 hours interruption"), Some(93_600));
        assert_eq!(impact_seconds("1 x 2 days"), Some(172_800));
        assert_eq!(impact_seconds("no interruption expected"), None);
    }
}
