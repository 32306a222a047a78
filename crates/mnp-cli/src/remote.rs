//! Network sources (IMAP, Request Tracker) opened from their URLs.
//!
//! * `imap://USER:PASS@HOST[:PORT]/MAILBOX[?labels=keywords|folders]`, `imaps://…`
//! * `rt://HOST[:PORT]/[?queue=Maintenance&field=MaintLabel]`, `rts://…` (HTTPS); credentials
//!   from `$MNP_RT_TOKEN`, or `$MNP_RT_USER` + `$MNP_RT_PASSWORD` — never in the URL.

use anyhow::Context;
use mnp_ingest::Source;
use mnp_ingest::sources::{imap::ImapSource, rt};

/// Open an IMAP or Request Tracker source, or `None` when the spec is neither.
pub fn open(spec: &str) -> anyhow::Result<Option<Box<dyn Source>>> {
    let lower = spec.to_ascii_lowercase();
    if lower.starts_with("imap://") || lower.starts_with("imaps://") {
        return Ok(Some(Box::new(
            ImapSource::from_url(spec).context("bad IMAP source")?,
        )));
    }
    if lower.starts_with("rt://") || lower.starts_with("rts://") {
        let auth = rt::RtAuth::from_env().context(
            "Request Tracker source: set MNP_RT_TOKEN, or MNP_RT_USER and MNP_RT_PASSWORD",
        )?;
        let cfg = rt::RtConfig::from_url(spec, auth).context("bad Request Tracker source")?;
        return Ok(Some(Box::new(rt::RtSource::new(cfg))));
    }
    Ok(None)
}
