//! Helpers shared by vendor parsers: iCalendar, time zones, dates, labelled text.

pub mod dates;
pub mod sheets;
pub mod ical;
pub mod text;
pub mod tz;
