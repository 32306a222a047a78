//! Network sources (IMAP, Request Tracker) opened from their URLs.

use mnp_ingest::Source;

/// Open an IMAP or Request Tracker source, or `None` when the spec is neither.
pub fn open(spec: &str) -> anyhow::Result<Option<Box<dyn Source>>> {
    let _ = spec;
    Ok(None)
}
