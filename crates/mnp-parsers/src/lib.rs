//! # mnp-parsers: one parser per carrier, registered, never panicking
//!
//! Every vendor lives in one file under [`vendors`]: a documentation constant
//! (Routing / Formats / Quirks / Known gaps), a `ParserDescriptor` submitted
//! with `inventory`, and an implementation of [`mnp_core::VendorParser`].
//! There is no central list; [`registry`] collects whatever is linked and adds
//! the [`ALIASES`] table. Shared reading helpers live in [`helpers`]:
//! BCOP iCalendar (`nom`), offline time zones (`chrono-tz`), date formats and
//! labelled text. Carriers whose notices are plain enough are described
//! declaratively instead, by a TOML [`profiles`] file (built-in ones are
//! compiled in from `profiles/*.toml`; operators load their own at run time).
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
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub mod generic;
pub mod helpers;
pub mod profiles;
pub mod scoring;
pub mod vendors;

use mnp_core::Registry;

/// A former or alternative name of a carrier, resolved to the current id.
#[derive(Debug, Clone, Copy)]
pub struct Alias {
    /// The old or alternative name (kebab-case), accepted wherever an id is.
    pub name: &'static str,
    /// The registered vendor id it resolves to.
    pub id: &'static str,
    /// Sender domains of the old brand, routed to `id`.
    pub senders: &'static [&'static str],
    /// Why the alias exists.
    pub note: &'static str,
}

/// Renamed or merged carriers: the one alias table. Every id here must be
/// registered and no alias may shadow an id (tests check both).
pub const ALIASES: &[Alias] = &[
    Alias {
        name: "centurylink",
        id: "lumen",
        senders: &["centurylink.com"],
        note: "CenturyLink became Lumen Technologies (2020)",
    },
    Alias {
        name: "level3",
        id: "lumen",
        senders: &["level3.com"],
        note: "Level 3 merged into CenturyLink (2017), now Lumen",
    },
    Alias {
        name: "level-3",
        id: "lumen",
        senders: &[],
        note: "spelling of level3",
    },
    Alias {
        name: "exa",
        id: "gtt",
        senders: &["exainfra.net"],
        note: "GTT's infrastructure business became EXA Infrastructure (2022)",
    },
    Alias {
        name: "exa-infrastructure",
        id: "gtt",
        senders: &[],
        note: "long form of exa",
    },
    Alias {
        name: "crowncastle",
        id: "crown-castle",
        senders: &[],
        note: "the reference corpus's provider name",
    },
    Alias {
        name: "globalcloudxchange",
        id: "global-cloud-xchange",
        senders: &[],
        note: "the reference corpus's provider name",
    },
    Alias {
        name: "gcx",
        id: "global-cloud-xchange",
        senders: &[],
        note: "common abbreviation",
    },
    Alias {
        name: "telecom-italia-sparkle",
        id: "sparkle",
        senders: &[],
        note: "Sparkle's former name",
    },
    Alias {
        name: "pccw-global",
        id: "pccw",
        senders: &[],
        note: "PCCW Global is the wholesale brand",
    },
    Alias {
        name: "tata-communications",
        id: "tata",
        senders: &[],
        note: "full name",
    },
];

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
    // Built-in declarative profiles register like any built-in parser; a
    // bad one is logged and skipped, never fatal.
    for e in &profiles::register_builtin(&mut reg) {
        tracing::error!(error = %e, "built-in profile skipped");
    }
    for a in ALIASES {
        if let Err(e) = reg
            .add_alias(a.name, a.id)
            .and_then(|_| reg.add_senders(a.id, a.senders))
        {
            tracing::error!(alias = a.name, id = a.id, error = %e, "bad alias");
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
        if let Ok(again) = reg.parse(&email, None)
            && again.maintenances != p.maintenances
        {
            violations.push("parsing twice gave different results".into());
        }
    }
    // The generic parser reads any mail: its output must be conformant too
    // (this puts it under the fuzz target and the corpus tests).
    let inv = generic::Inventory::new(["IC-99999", "1234567-10987654"]);
    if let Ok(r) = generic::parse(&email, &inv, &generic::Options::default()) {
        for m in &r.maintenances {
            violations.extend(m.conformance().into_iter().map(|v| format!("generic: {v}")));
        }
    }
    // Forcing every parser on the same mail must not panic either.
    for e in reg.entries() {
        if let Ok(ms) = e.parser.parse(&email) {
            for m in &ms {
                violations.extend(
                    m.conformance()
                        .into_iter()
                        .map(|v| format!("{}: {v}", e.id)),
                );
            }
        }
    }
    violations
}

/// The README's library example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
