//! The maintenance calendar a NOC subscribes to: stored forecast events as
//! iCalendar, in the BCOP maintenance-notification profile (so any BCOP-aware
//! tool — mnp's own `bcop` parser included — reads it back).

use std::collections::BTreeMap;

use mnp_store::ForecastEvent;

fn ics_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Fold a content line at 75 octets (RFC 5545 §3.1), on char boundaries.
fn fold(line: &str, out: &mut String) {
    let mut count = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if count + n > 75 {
            out.push_str("\r\n ");
            count = 1;
        }
        out.push(c);
        count += n;
    }
    out.push_str("\r\n");
}

const IMPACT_ORDER: [&str; 4] = ["NO-IMPACT", "REDUCED-REDUNDANCY", "DEGRADED", "OUTAGE"];

/// Render events as a calendar: one `VEVENT` per maintenance window, its
/// circuits as `X-MAINTNOTE-OBJECT-ID` lines. Events without a window are
/// left out (a calendar entry needs one).
pub fn ics(events: &[ForecastEvent], stamp: chrono::DateTime<chrono::Utc>) -> String {
    let mut groups: BTreeMap<(String, String, i64, i64), Vec<&ForecastEvent>> = BTreeMap::new();
    for e in events {
        let (Some(b), Some(en)) = (e.begin_window, e.end_window) else {
            continue;
        };
        groups
            .entry((
                e.vendor_id.clone(),
                e.vendor_maintenance_id.clone(),
                b.timestamp(),
                en.timestamp(),
            ))
            .or_default()
            .push(e);
    }
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mnp//maintenance feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Carrier maintenance",
    ] {
        fold(l, &mut out);
    }
    for ((vendor, id, _, _), evs) in &groups {
        let Some(first) = evs.first() else { continue };
        let (Some(b), Some(en)) = (first.begin_window, first.end_window) else {
            continue;
        };
        let worst = evs
            .iter()
            .filter_map(|e| e.impact.as_deref())
            .max_by_key(|i| IMPACT_ORDER.iter().position(|x| x == i).unwrap_or(3))
            .unwrap_or("OUTAGE");
        let mut lines = vec![
            "BEGIN:VEVENT".to_string(),
            format!(
                "UID:{}-{}-{}@mnp",
                escape(vendor),
                escape(id),
                b.timestamp()
            ),
            format!("DTSTAMP:{}", ics_time(&stamp)),
            format!("DTSTART:{}", ics_time(&b)),
            format!("DTEND:{}", ics_time(&en)),
            format!("SEQUENCE:{}", first.revision),
            format!(
                "SUMMARY:{} {} ({})",
                escape(vendor),
                escape(id),
                first.status
            ),
            format!("X-MAINTNOTE-PROVIDER:{}", escape(vendor)),
            format!("X-MAINTNOTE-MAINTENANCE-ID:{}", escape(id)),
        ];
        for e in evs {
            if let Some(c) = &e.parsed_vendor_circuit_id {
                let imp = e.impact.as_deref().unwrap_or(worst);
                lines.push(format!(
                    "X-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT={imp}:{}",
                    escape(c)
                ));
            }
        }
        lines.push(format!("X-MAINTNOTE-IMPACT:{worst}"));
        lines.push(format!("X-MAINTNOTE-STATUS:{}", first.status));
        if first.status == "CANCELLED" {
            lines.push("STATUS:CANCELLED".into());
        }
        lines.push("END:VEVENT".into());
        for l in lines {
            fold(&l, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}
