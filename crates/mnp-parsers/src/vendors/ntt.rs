//! NTT Global IP Network maintenance notices (BCOP iCalendar).

use std::sync::LazyLock;

use mnp_core::{Email, Error, Maintenance, ParserDescriptor, Result, VendorParser};
use regex::Regex;

use crate::vendors::bcop;

const DOC: &str = "\
# Routing
Sender domain `ntt.net` (`noc@us.ntt.net`, `noc@gin.ntt.net` and other
subdomains); content signature: a BCOP calendar whose `X-MAINTNOTE-PROVIDER`
or `ORGANIZER` names NTT (the word `NTT`, e.g. `NTT Global IP Network` or an
`ntt.net` address).

# Formats
BCOP maintenance iCalendar (`X-MAINTNOTE-*`), as the body or as an `.ics`
attachment beside a short text, read with the shared BCOP reader
(`vendors::bcop::parse_calendars`): one maintenance per `VEVENT`, status from
`X-MAINTNOTE-STATUS`, per-object impact from `X-MAINTNOTE-OBJECT-IMPACT`.

# Quirks
Provider and organizer are kept as the calendar writes them (the reference
sample says `example.com`), not replaced by `ntt`. `TZID` zones are resolved
offline; floating times are UTC. A calendar without `X-MAINTNOTE-` lines is
not a BCOP calendar and is not read.

# Known gaps
NTT mail without a calendar is not read: a text that speaks of maintenance
fails with a missing `calendar`, anything else (tickets, newsletters) is
refused as not a maintenance notice.
";

/// NTT parser.
pub struct Ntt;

inventory::submit! {
    ParserDescriptor {
        id: "ntt",
        carrier: "NTT Global IP Network",
        senders: &["ntt.net"],
        subjects: &[],
        formats: &["icalendar"],
        doc: DOC,
        fallback: false,
        parser: &Ntt,
    }
}

static NTT_WORD: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)\bntt\b").ok());

impl VendorParser for Ntt {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        if bcop::has_calendar(email) {
            return bcop::parse_calendars(email);
        }
        if email.subject.to_ascii_lowercase().contains("maintenance")
            || email.text().to_ascii_lowercase().contains("maintenance")
        {
            return Err(Error::MissingField { field: "calendar" });
        }
        Err(Error::not_maintenance(
            "no BCOP calendar and no mention of maintenance",
        ))
    }

    fn claims(&self, email: &Email) -> bool {
        // `NTT` as a whole word, not any name that merely contains the letters
        NTT_WORD
            .as_ref()
            .is_some_and(|word| bcop::calendar_names(email, |s| word.is_match(s)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const MAIL: &str = "From: NOC <noc@gin.ntt.net>\nSubject: Maintenance\nContent-Type: text/calendar\n\n\
BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Asia/Tokyo:20240405T020000\nDTEND;TZID=Asia/Tokyo:20240405T060000\n\
X-MAINTNOTE-PROVIDER:NTT Global IP Network\nX-MAINTNOTE-MAINTENANCE-ID:GIN-1\nX-MAINTNOTE-OBJECT-ID:C-1\n\
X-MAINTNOTE-IMPACT:OUTAGE\nX-MAINTNOTE-STATUS:CONFIRMED\nEND:VEVENT\nEND:VCALENDAR\n";

    #[test]
    fn tokyo_calendar_and_claim() {
        let email = Email::parse(MAIL.as_bytes()).unwrap();
        assert!(Ntt.claims(&email));
        let ms = Ntt.parse(&email).unwrap();
        // 02:00 JST = 17:00 UTC the day before
        assert_eq!(
            ms[0].window.unwrap().begin().to_rfc3339(),
            "2024-04-04T17:00:00+00:00"
        );
        assert_eq!(ms[0].provider, "NTT Global IP Network");
        let other = MAIL.replace("NTT Global IP Network", "example.com");
        assert!(!Ntt.claims(&Email::parse(other.as_bytes()).unwrap()));
    }

    #[test]
    fn no_calendar() {
        let survey =
            Email::parse(b"From: noc@us.ntt.net\nSubject: Survey\n\nHow did we do?").unwrap();
        assert!(matches!(
            Ntt.parse(&survey),
            Err(Error::NotMaintenance { .. })
        ));
        let text =
            Email::parse(b"From: noc@us.ntt.net\nSubject: Scheduled maintenance\n\nsee portal")
                .unwrap();
        assert!(matches!(
            Ntt.parse(&text),
            Err(Error::MissingField { field: "calendar" })
        ));
    }
}
