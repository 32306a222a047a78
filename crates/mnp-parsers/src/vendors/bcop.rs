//! BCOP maintenance calendar (`X-MAINTNOTE-*` iCalendar), the generic format.

use mnp_core::{
    CircuitImpact, Email, Error, Impact, Maintenance, ParserDescriptor, Result, Status,
    VendorParser, Window,
};

use crate::helpers::ical::{self, Event};

const DOC: &str = "\
# Routing
No sender domain of its own: a generic fallback. Any mail whose parts (body or
attachment, also inside a forwarded message) hold an iCalendar with
`X-MAINTNOTE-` properties routes here when no specific vendor claims it.
Vendors that send BCOP calendars (NTT, PacketFabric, Telstra, ...) call
[`parse_calendars`] from their own parser.

# Formats
iCalendar per the BCOP maintenance-notification profile: one `VEVENT` per
maintenance with `X-MAINTNOTE-PROVIDER`, `-ACCOUNT`, `-MAINTENANCE-ID`,
`-OBJECT-ID` (repeated; optional `X-MAINTNOTE-OBJECT-IMPACT` parameter),
`-IMPACT`, `-STATUS`, plus `DTSTART`, `DTEND`, `DTSTAMP`, `UID`, `SEQUENCE`,
`SUMMARY`, `ORGANIZER`.

# Quirks
Floating times (no `Z`, no `TZID`) are read as UTC, never the host's zone.
`TZID` is resolved offline (IANA, Windows names, cities). A per-object impact
parameter overrides the event impact. Provider and organizer are kept as
written (trimmed).

# Known gaps
`RRULE` recurrences are not expanded; `VTIMEZONE` definitions are not read
(the `TZID` name is looked up instead).
";

/// The BCOP calendar parser.
pub struct Bcop;

inventory::submit! {
    ParserDescriptor {
        id: "bcop",
        carrier: "BCOP maintenance calendar (generic)",
        senders: &[],
        subjects: &[],
        formats: &["icalendar"],
        doc: DOC,
        fallback: true,
        parser: &Bcop,
    }
}

/// True when `text` looks like a BCOP maintenance calendar.
pub fn is_bcop_calendar(text: &str) -> bool {
    text.contains("BEGIN:VCALENDAR") && text.to_ascii_uppercase().contains("X-MAINTNOTE-")
}

/// True when the mail carries a BCOP calendar that [`parse_calendars`] will
/// read: in a part (body, attachment, forwarded message) or pasted into the
/// body text. Vendors that also send other formats check this first.
pub fn has_calendar(email: &Email) -> bool {
    email.calendars().iter().any(|c| is_bcop_calendar(c)) || is_bcop_calendar(email.text())
}

/// True when a BCOP calendar in a part of the mail has an event whose
/// provider or organizer `names` accepts: the content signature of vendors
/// that send BCOP calendars, so a forwarded calendar with an anonymised
/// `From:` still routes to them.
///
/// `names` is called with the `X-MAINTNOTE-PROVIDER` text and with the
/// organizer as `<ORGANIZER value> <CN parameter>` (`mailto:noc@gin.ntt.net
/// NTT NOC`); how it matches (a case-insensitive substring, a whole word) is
/// the vendor's choice. A calendar pasted into the body text is not read.
pub fn calendar_names(email: &Email, mut names: impl FnMut(&str) -> bool) -> bool {
    email
        .calendars()
        .into_iter()
        .filter(|c| is_bcop_calendar(c))
        .any(|c| {
            ical::parse(c).events.iter().any(|ev| {
                let organizer = ev
                    .get("ORGANIZER")
                    .map(|p| format!("{} {}", p.value, p.param("CN").unwrap_or("")));
                names(&ev.text("X-MAINTNOTE-PROVIDER")) || organizer.is_some_and(|o| names(&o))
            })
        })
}

impl VendorParser for Bcop {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        parse_calendars(email)
    }
    fn claims(&self, email: &Email) -> bool {
        email.calendars().iter().any(|c| is_bcop_calendar(c))
            || email.text().contains("X-MAINTNOTE-MAINTENANCE-ID")
    }
}

/// All maintenances from every BCOP calendar in the mail (parts, attachments,
/// forwarded messages; as a last resort a calendar pasted into the body text).
pub fn parse_calendars(email: &Email) -> Result<Vec<Maintenance>> {
    let mut cals: Vec<&str> = email
        .calendars()
        .into_iter()
        .filter(|c| is_bcop_calendar(c))
        .collect();
    if cals.is_empty() && is_bcop_calendar(email.text()) {
        cals.push(email.text());
    }
    if cals.is_empty() {
        return Err(Error::MissingField { field: "calendar" });
    }
    let mut out = Vec::new();
    for c in cals {
        out.extend(parse_calendar_text(c)?);
    }
    Ok(out)
}

/// All maintenances of one calendar text.
pub fn parse_calendar_text(text: &str) -> Result<Vec<Maintenance>> {
    let cal = ical::parse(text);
    let events: Vec<&Event> = cal
        .events
        .iter()
        .filter(|e| e.get("X-MAINTNOTE-MAINTENANCE-ID").is_some())
        .collect();
    if events.is_empty() {
        return Err(Error::MissingField {
            field: "maintenance_id",
        });
    }
    events.into_iter().map(event_to_maintenance).collect()
}

/// One BCOP `VEVENT` as a maintenance.
pub fn event_to_maintenance(ev: &Event) -> Result<Maintenance> {
    let mut m = Maintenance::new(ev.text("X-MAINTNOTE-PROVIDER"));
    m.account = ev.text("X-MAINTNOTE-ACCOUNT");
    m.maintenance_id = ev.text("X-MAINTNOTE-MAINTENANCE-ID");
    if m.maintenance_id.is_empty() {
        return Err(Error::MissingField {
            field: "maintenance_id",
        });
    }
    let status = ev.text("X-MAINTNOTE-STATUS");
    m.status = if status.is_empty() {
        return Err(Error::MissingField { field: "status" });
    } else {
        status.parse::<Status>()?
    };
    let event_impact = match ev.text("X-MAINTNOTE-IMPACT") {
        s if s.is_empty() => None,
        s => Some(s.parse::<Impact>()?),
    };
    for obj in ev.all("X-MAINTNOTE-OBJECT-ID") {
        let id = obj.text();
        let id = id.trim();
        if id.is_empty() {
            continue;
        }
        let impact = match obj.param("X-MAINTNOTE-OBJECT-IMPACT") {
            Some(s) => s.parse::<Impact>()?,
            None => event_impact.ok_or(Error::MissingField { field: "impact" })?,
        };
        m.circuits.push(CircuitImpact::new(id, impact));
    }
    let begin = ev.datetime("DTSTART")?;
    let end = ev.datetime("DTEND")?;
    m.window = match (begin, end) {
        (Some(b), Some(e)) => Some(Window::new(b, e)?),
        (None, None) if m.status == Status::Cancelled => None,
        (None, _) => return Err(Error::MissingField { field: "dtstart" }),
        (_, None) => return Err(Error::MissingField { field: "dtend" }),
    };
    m.stamp = ev.datetime("DTSTAMP")?;
    m.uid = ev.text("UID");
    m.sequence = match ev.text("SEQUENCE") {
        s if s.is_empty() => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| Error::bad_value("sequence", &s, "not an integer"))?,
        ),
    };
    m.summary = ev.text("SUMMARY");
    m.organizer = ev
        .get("ORGANIZER")
        .map(|p| p.value.trim().to_string())
        .unwrap_or_default();
    if m.provider.is_empty() {
        return Err(Error::MissingField { field: "provider" });
    }
    Ok(m)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const CAL: &str = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:Fibre works\nDTSTART;TZID=Europe/Amsterdam:20240110T010000\nDTEND;TZID=Europe/Amsterdam:20240110T050000\nDTSTAMP:20240101T120000Z\nUID:abc-1\nSEQUENCE:2\nX-MAINTNOTE-PROVIDER:carrier.example\nX-MAINTNOTE-ACCOUNT:ACME\nX-MAINTNOTE-MAINTENANCE-ID:MW-9\nX-MAINTNOTE-OBJECT-ID:CKT-1\nX-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=NO-IMPACT:CKT-2\nX-MAINTNOTE-IMPACT:OUTAGE\nX-MAINTNOTE-STATUS:CONFIRMED\nORGANIZER;CN=NOC:mailto:noc@carrier.example\nEND:VEVENT\nEND:VCALENDAR\n";

    #[test]
    fn maps_every_field() {
        let ms = parse_calendar_text(CAL).unwrap();
        assert_eq!(ms.len(), 1);
        let m = &ms[0];
        assert_eq!(m.provider, "carrier.example");
        assert_eq!(m.account, "ACME");
        assert_eq!(m.maintenance_id, "MW-9");
        assert_eq!(m.status, Status::Confirmed);
        // Amsterdam in January is UTC+1
        let w = m.window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-01-10T00:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-01-10T04:00:00+00:00");
        assert_eq!(
            m.circuits,
            vec![
                CircuitImpact::new("CKT-1", Impact::Outage),
                CircuitImpact::new("CKT-2", Impact::NoImpact)
            ]
        );
        assert_eq!(m.sequence, Some(2));
        assert_eq!(m.organizer, "mailto:noc@carrier.example");
        assert_eq!(m.uid, "abc-1");
    }

    fn mail(from: &str, cal: &str) -> Email {
        let raw =
            format!("From: {from}\nSubject: Maintenance\nContent-Type: text/calendar\n\n{cal}");
        Email::parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn calendar_names_reads_provider_and_organizer() {
        let email = mail("someone@example.org", CAL);
        assert!(has_calendar(&email));
        // provider `carrier.example`
        assert!(calendar_names(&email, |s| s.contains("carrier.example")));
        // organizer value and CN, joined by a space
        let mut seen = Vec::new();
        assert!(!calendar_names(&email, |s| {
            seen.push(s.to_string());
            false
        }));
        assert_eq!(seen, ["carrier.example", "mailto:noc@carrier.example NOC"]);
        assert!(calendar_names(&email, |s| s.ends_with(" NOC")));
        assert!(!calendar_names(&email, |s| s
            .to_ascii_lowercase()
            .contains("telstra")));
    }

    #[test]
    fn calendar_names_needs_a_bcop_calendar_part() {
        // a plain calendar without X-MAINTNOTE lines names nobody
        let plain = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nORGANIZER;CN=Carrier:mailto:noc@carrier.example\nEND:VEVENT\nEND:VCALENDAR\n";
        let email = mail("noc@carrier.example", plain);
        assert!(!has_calendar(&email));
        assert!(!calendar_names(&email, |_| true));
        // a BCOP calendar pasted into a text body is read, but names nobody
        let raw = format!("From: a@b.example\nSubject: x\n\n{CAL}");
        let pasted = Email::parse(raw.as_bytes()).unwrap();
        assert!(has_calendar(&pasted));
        assert!(!calendar_names(&pasted, |_| true));
    }

    #[test]
    fn bad_status_is_typed() {
        let bad = CAL.replace("STATUS:CONFIRMED", "STATUS:MAYBE");
        assert!(matches!(
            parse_calendar_text(&bad),
            Err(Error::BadValue {
                field: "status",
                ..
            })
        ));
        let noimpact = CAL.replace("X-MAINTNOTE-IMPACT:OUTAGE\n", "");
        assert!(matches!(
            parse_calendar_text(&noimpact),
            Err(Error::MissingField { field: "impact" })
        ));
    }
}
