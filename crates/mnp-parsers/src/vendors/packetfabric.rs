//! PacketFabric maintenance notices (BCOP iCalendar).

use mnp_core::{Email, Error, Maintenance, ParserDescriptor, Result, VendorParser};

use crate::vendors::bcop;

const DOC: &str = "\
# Routing
Sender domain `packetfabric.com` (`support@packetfabric.com`); subjects
naming PacketFabric with a maintenance; content signature: a BCOP calendar
whose `X-MAINTNOTE-PROVIDER` or `ORGANIZER` names PacketFabric.

# Formats
BCOP maintenance iCalendar (`X-MAINTNOTE-*`), as the body or as an `.ics`
attachment beside a short text or HTML message, read with the shared BCOP
reader (`vendors::bcop::parse_calendars`): one maintenance per `VEVENT`,
status from `X-MAINTNOTE-STATUS` (TENTATIVE, CONFIRMED, CANCELLED,
IN-PROCESS, COMPLETED, RE-SCHEDULED), per-object impact from
`X-MAINTNOTE-OBJECT-IMPACT`.

# Quirks
Provider and organizer are kept as the calendar writes them (the reference
sample says `example.com`). `TZID` zones are resolved offline; floating times
are UTC. A cancellation calendar may omit `DTSTART`/`DTEND`: no window.

# Known gaps
PacketFabric mail without a calendar is not read: a text that speaks of
maintenance fails with a missing `calendar`, anything else (portal
notifications, newsletters) is refused as not a maintenance notice.
";

/// PacketFabric parser.
pub struct PacketFabric;

inventory::submit! {
    ParserDescriptor {
        id: "packetfabric",
        carrier: "PacketFabric",
        senders: &["packetfabric.com"],
        subjects: &[r"\bPacketFabric\b.*\bmaintenance\b"],
        formats: &["icalendar"],
        doc: DOC,
        fallback: false,
        parser: &PacketFabric,
    }
}

impl VendorParser for PacketFabric {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        if bcop::has_calendar(email) {
            return bcop::parse_calendars(email);
        }
        if email.subject.to_ascii_lowercase().contains("maintenance") {
            return Err(Error::MissingField { field: "calendar" });
        }
        Err(Error::not_maintenance(
            "no BCOP calendar and no maintenance subject",
        ))
    }

    fn claims(&self, email: &Email) -> bool {
        bcop::calendar_names(email, |s| s.to_ascii_lowercase().contains("packetfabric"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use mnp_core::{Impact, Status};

    const MAIL: &str = "From: PacketFabric Support <support@packetfabric.com>\nSubject: x\nContent-Type: text/calendar\n\n\
BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=America/Los_Angeles:20240707T230000\nDTEND;TZID=America/Los_Angeles:20240708T030000\n\
X-MAINTNOTE-PROVIDER:PacketFabric\nX-MAINTNOTE-MAINTENANCE-ID:PF-1\nX-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=NO-IMPACT:PF-AE-1\n\
X-MAINTNOTE-OBJECT-ID:PF-BC-2\nX-MAINTNOTE-IMPACT:OUTAGE\nX-MAINTNOTE-STATUS:RE-SCHEDULED\nEND:VEVENT\nEND:VCALENDAR\n";

    #[test]
    fn pacific_daylight_calendar() {
        let email = Email::parse(MAIL.as_bytes()).unwrap();
        assert!(PacketFabric.claims(&email));
        let ms = PacketFabric.parse(&email).unwrap();
        // 23:00 PDT (UTC-7) on 7 July = 06:00 UTC on 8 July
        let w = ms[0].window.unwrap();
        assert_eq!(w.begin().to_rfc3339(), "2024-07-08T06:00:00+00:00");
        assert_eq!(w.end().to_rfc3339(), "2024-07-08T10:00:00+00:00");
        assert_eq!(ms[0].status, Status::Rescheduled);
        assert_eq!(ms[0].circuits[0].impact, Impact::NoImpact);
        assert_eq!(ms[0].circuits[1].impact, Impact::Outage);
    }
}
