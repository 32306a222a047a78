//! Helpers shared by vendor parsers: iCalendar, time zones, dates, labelled
//! text, HTML tables.

pub mod dates;
pub mod html;
pub mod ical;
pub mod sheets;
pub mod text;
pub mod tz;
