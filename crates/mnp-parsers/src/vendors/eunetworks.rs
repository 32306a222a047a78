//! euNetworks maintenance notices: BCOP iCalendar attached to a Salesforce mail.

use mnp_core::{Email, Error, Maintenance, ParserDescriptor, Result, VendorParser};

use super::bcop;

const DOC: &str = "\
# Routing
Sender domain `eunetworks.com` (`maintenance@eunetworks.com`, sent through
Salesforce); subjects `[CANCELLED|COMPLETED|...] euNetworks Planned|Emergency
Work: 02345678`; content signature: a BCOP calendar whose provider or
organizer is euNetworks.

# Formats
A short HTML/plain announcement plus an attached BCOP iCalendar
(`X-<id>.ics`) with `X-MAINTNOTE-PROVIDER:euNetworks.com`, `-ACCOUNT`,
`-MAINTENANCE-ID`, `-OBJECT-ID` per circuit, `-IMPACT`, `-STATUS`, `DTSTART`
/ `DTEND` in UTC, `SEQUENCE`, `ORGANIZER:mailto:noc@eunetworks.com`. The
calendar is the source of truth and is read with the shared BCOP reader.

# Quirks
Cancelled and completed notices keep the original window and list no
circuits (`X-MAINTNOTE-OBJECT-ID` absent): they are emitted with no circuits.
The provider is the calendar's text (`euNetworks.com`), as for every BCOP
sender. A mail from euNetworks without a calendar is refused: as not a
maintenance when its subject names no work, else as a missing calendar.

# Known gaps
The HTML announcement is not parsed; a notice sent without its calendar is
an error, not a guess.
";

/// euNetworks parser.
pub struct EuNetworks;

inventory::submit! {
    ParserDescriptor {
        id: "eunetworks",
        carrier: "euNetworks",
        senders: &["eunetworks.com"],
        subjects: &[r"\beuNetworks\b.*\bWork\s*:\s*\d+"],
        formats: &["icalendar"],
        doc: DOC,
        fallback: false,
        parser: &EuNetworks,
    }
}

fn is_eunetworks_calendar(cal: &str) -> bool {
    let l = cal.to_ascii_lowercase();
    bcop::is_bcop_calendar(cal)
        && (l.contains("x-maintnote-provider:eunetworks")
            || l.contains("mailto:noc@eunetworks.com")
            || l.contains("@eunetworks.com"))
}

impl VendorParser for EuNetworks {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        let has_calendar = email.calendars().iter().any(|c| bcop::is_bcop_calendar(c))
            || bcop::is_bcop_calendar(email.text());
        if !has_calendar {
            // word match: "euNetworks" itself contains "work"
            let s = email.subject.to_ascii_lowercase();
            let words = s
                .split(|c: char| !c.is_ascii_alphanumeric())
                .collect::<Vec<_>>();
            if words
                .iter()
                .any(|w| matches!(*w, "work" | "works" | "maintenance"))
            {
                return Err(Error::MissingField { field: "calendar" });
            }
            return Err(Error::not_maintenance(
                "no maintenance calendar and no work in the subject",
            ));
        }
        bcop::parse_calendars(email)
    }

    fn claims(&self, email: &Email) -> bool {
        email.calendars().iter().any(|c| is_eunetworks_calendar(c))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use mnp_core::Impact;

    fn mail(subject: &str, cal: &str) -> Email {
        let raw = format!(
            "From: Maintenance <maintenance@eunetworks.com>\r\nSubject: {subject}\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\n\
             Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nMaintenance Announcement\r\n\
             --b\r\nContent-Type: text/calendar; name=\"X-1.ics\"\r\nContent-Disposition: attachment; filename=\"X-1.ics\"\r\n\r\n{cal}\r\n--b--\r\n"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    const CAL: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE-TIME:20240312T220000Z\r\nDTEND;VALUE=DATE-TIME:20240313T040000Z\r\n\
        DTSTAMP;VALUE=DATE-TIME:20240301T090000Z\r\nUID:03456789@euNetworks.com\r\nSEQUENCE:1\r\nX-MAINTNOTE-PROVIDER:euNetworks.com\r\n\
        X-MAINTNOTE-ACCOUNT:Acme BV\r\nX-MAINTNOTE-MAINTENANCE-ID:03456789\r\nX-MAINTNOTE-OBJECT-ID:EUN-WAVE-0012\r\nX-MAINTNOTE-IMPACT:OUTAGE\r\n\
        X-MAINTNOTE-STATUS:CONFIRMED\r\nORGANIZER;CN=noc@eunetworks.com:mailto:noc@eunetworks.com\r\nEND:VEVENT\r\nEND:VCALENDAR";

    #[test]
    fn reads_the_calendar_and_claims_it() {
        let m = mail("euNetworks Planned Work: 03456789", CAL);
        assert!(EuNetworks.claims(&m));
        let ms = EuNetworks.parse(&m).unwrap();
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].maintenance_id, "03456789");
        assert_eq!(
            ms[0].window.unwrap().begin().to_rfc3339(),
            "2024-03-12T22:00:00+00:00"
        );
        assert_eq!(ms[0].circuits[0].vendor_circuit_id, "EUN-WAVE-0012");
        assert_eq!(ms[0].circuits[0].impact, Impact::Outage);
    }

    #[test]
    fn no_calendar() {
        let m = mail("euNetworks newsletter: new routes", "no calendar here");
        assert!(matches!(
            EuNetworks.parse(&m),
            Err(Error::NotMaintenance { .. })
        ));
        let m = mail("euNetworks Planned Work: 03456789", "no calendar here");
        assert!(matches!(
            EuNetworks.parse(&m),
            Err(Error::MissingField { field: "calendar" })
        ));
    }
}
