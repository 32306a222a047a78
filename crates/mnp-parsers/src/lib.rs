//! # mnp-parsers: one parser per carrier, registered, never panicking
//!
//! Every vendor lives in one file under [`vendors`]: a documentation constant
//! (Routing / Formats / Quirks / Known gaps), a `ParserDescriptor` submitted
//! with `inventory`, and an implementation of [`mnp_core::VendorParser`].
//! There is no central list; [`registry`] collects whatever is linked and adds
//! the [`ALIASES`] table. Shared reading helpers live in [`helpers`]:
//! BCOP iCalendar (`nom`), offline time zones (`chrono-tz`), date formats and
//! labelled text.
//!
//! The crate is pure: no I/O, no printing, and no panics — `unwrap`,
//! `expect`, indexing and `panic!` are denied by lint, and the fuzz target
//! plus the corpus tests check it.
//!
//! ```
//! let reg = mnp_parsers::registry();
//! let raw = b"From: noc@fiberprovider.com\nSubject: Planned Work PW1 Notification from Fiber Provider\n\n\
//! PLANNED WORK (PW) Notification from Fiber Provider\nPW Reference number: PW1\n\
//! Start Date and Time: 2024-Mar-01 22:00 UTC\nEnd Date and Time: 2024-Mar-02 02:00 UTC\nService ID: IC-1\n";
//! let parsed = reg.parse_bytes(raw, None).unwrap();
//! assert_eq!(parsed.parser, "fiberprovider");
//! assert_eq!(parsed.maintenances[0].circuits[0].vendor_circuit_id, "IC-1");
//! ```
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

pub mod helpers;
pub mod scoring;
pub mod vendors;

use mnp_core::Registry;

/// Renamed or merged carriers: (old name, current vendor id). Every id here
/// must be registered (a test checks it).
pub const ALIASES: &[(&str, &str)] = &[];

/// The registry of every built-in parser, with [`ALIASES`] applied.
///
/// Every binary calls this, which keeps this crate (and so its `inventory`
/// submissions) linked.
pub fn registry() -> Registry {
    let mut reg = match Registry::builtin() {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "built-in parser registration failed");
            Registry::new()
        }
    };
    for (alias, id) in ALIASES {
        if let Err(e) = reg.add_alias(alias, id) {
            tracing::error!(alias, id, error = %e, "bad alias");
        }
    }
    reg
}

/// Decode, route and parse untrusted bytes, then run the conformance check on
/// whatever comes out. Returns the violations found (empty when the output
/// is conformant or the mail was refused with a typed error). The fuzz
/// target and the corpus tests both call this; it must never panic.
pub fn check_bytes(reg: &Registry, raw: &[u8]) -> Vec<String> {
    let email = match mnp_core::Email::parse(raw) {
        Ok(e) => e,
        Err(_) => return Vec::new(),
    };
    let first = reg.parse(&email, None);
    let mut violations = Vec::new();
    if let Ok(p) = &first {
        for m in &p.maintenances {
            violations.extend(m.conformance());
        }
        // parse twice → equal
        if let Ok(again) = reg.parse(&email, None) {
            if again.maintenances != p.maintenances {
                violations.push("parsing twice gave different results".into());
            }
        }
    }
    // Forcing every parser on the same mail must not panic either.
    for e in reg.entries() {
        if let Ok(ms) = e.parser.parse(&email) {
            for m in &ms {
                violations.extend(m.conformance().into_iter().map(|v| format!("{}: {v}", e.id)));
            }
        }
    }
    violations
}

/// The README's library example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
