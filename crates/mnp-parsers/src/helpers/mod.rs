//! Helpers shared by vendor parsers: iCalendar, time zones, dates, labelled
//! text, HTML tables, status/impact words, one maintenance per window.

pub mod dates;
pub mod html;
pub mod ical;
pub mod maint;
pub mod sheets;
pub mod text;
pub mod tz;
pub mod words;
