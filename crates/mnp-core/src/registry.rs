//! The [`VendorParser`] trait, parser registration and the router.
//!
//! Built-in parsers submit a static [`ParserDescriptor`] with
//! `inventory::submit!` from the file that defines them; there is no central
//! list. [`Registry::builtin`] collects them (sorted by id); plugins and
//! declarative profiles are added at run time with [`Registry::register`], so
//! every parser, whatever its origin, is routed the same way.
//!
//! Routing ([`Registry::route`]) goes stage by stage and never picks "the
//! first" by accident:
//! 1. sender domain, exact or subdomain, case-insensitive — From, then
//!    Sender/Reply-To, then forwarded messages' senders, then `From:` lines of
//!    inline-forwarded text;
//! 2. subject patterns;
//! 3. content signatures ([`VendorParser::claims`]), specific parsers before
//!    generic fallbacks such as the BCOP calendar parser.
//!
//! When one stage yields several candidates, later stages may narrow them
//! (subject, then content); if they cannot, the result is
//! [`Error::Ambiguous`]. No candidate at all is [`Error::Unrouted`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, OnceLock};

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::email::Email;
use crate::error::{Error, Result};
use crate::model::Maintenance;

/// A vendor's notice parser.
pub trait VendorParser: Send + Sync {
    /// Parse a mail already routed to this vendor into maintenances.
    ///
    /// Returns [`Error::NotMaintenance`] for vendor mail that is not a
    /// maintenance notice, and typed errors for notices it cannot read.
    /// Never panics.
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>>;

    /// Content signature: true when the mail's content identifies this
    /// vendor even though sender and subject did not (forwarded copies,
    /// helpdesk senders). Default: no signature.
    fn claims(&self, _email: &Email) -> bool {
        false
    }
}

/// Static description of a built-in parser, submitted with `inventory`.
pub struct ParserDescriptor {
    /// Kebab-case vendor id, never changes (`crown-castle`).
    pub id: &'static str,
    /// Carrier's display name.
    pub carrier: &'static str,
    /// Sender domains (a subdomain matches too).
    pub senders: &'static [&'static str],
    /// Subject regular expressions (case-insensitive).
    pub subjects: &'static [&'static str],
    /// Formats handled, e.g. `html-table`, `text`, `icalendar`.
    pub formats: &'static [&'static str],
    /// Documentation: Routing / Formats / Quirks / Known gaps sections.
    pub doc: &'static str,
    /// A generic fallback (content signature consulted only when no specific
    /// parser claims the mail).
    pub fallback: bool,
    /// The parser.
    pub parser: &'static dyn VendorParser,
}

inventory::collect!(ParserDescriptor);

/// Where a registered parser comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary.
    BuiltIn,
    /// Loaded from a plugin library.
    Plugin(PathBuf),
    /// Loaded from a declarative profile file.
    Profile(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::Plugin(p) => write!(f, "plugin {}", p.display()),
            Origin::Profile(p) => write!(f, "profile {}", p.display()),
        }
    }
}

/// A parser in the registry.
#[derive(Clone)]
pub struct Entry {
    /// Vendor id.
    pub id: String,
    /// Carrier display name.
    pub carrier: String,
    /// Sender domains, lower-case.
    pub senders: Vec<String>,
    /// Subject patterns as written.
    pub subject_patterns: Vec<String>,
    subjects: Vec<Regex>,
    /// Formats handled.
    pub formats: Vec<String>,
    /// Documentation text.
    pub doc: String,
    /// Generic fallback parser?
    pub fallback: bool,
    /// Where it comes from.
    pub origin: Origin,
    /// The parser.
    pub parser: Arc<dyn VendorParser>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("id", &self.id)
            .field("origin", &self.origin)
            .finish()
    }
}

impl Entry {
    /// Build an entry; subject patterns are compiled case-insensitively.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: impl Into<String>,
        carrier: impl Into<String>,
        senders: Vec<String>,
        subject_patterns: Vec<String>,
        formats: Vec<String>,
        doc: impl Into<String>,
        fallback: bool,
        origin: Origin,
        parser: Arc<dyn VendorParser>,
    ) -> Result<Entry> {
        let id = id.into();
        let subjects = subject_patterns
            .iter()
            .map(|p| {
                RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| Error::bad_value("subject pattern", p, format!("{id}: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Entry {
            id,
            carrier: carrier.into(),
            senders: senders
                .into_iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .collect(),
            subject_patterns,
            subjects,
            formats,
            doc: doc.into(),
            fallback,
            origin,
            parser,
        })
    }

    fn from_descriptor(d: &'static ParserDescriptor) -> Result<Entry> {
        struct Static(&'static dyn VendorParser);
        impl VendorParser for Static {
            fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
                self.0.parse(email)
            }
            fn claims(&self, email: &Email) -> bool {
                self.0.claims(email)
            }
        }
        Entry::new(
            d.id,
            d.carrier,
            d.senders.iter().map(|s| s.to_string()).collect(),
            d.subjects.iter().map(|s| s.to_string()).collect(),
            d.formats.iter().map(|s| s.to_string()).collect(),
            d.doc,
            d.fallback,
            Origin::BuiltIn,
            Arc::new(Static(d.parser)),
        )
    }

    /// True when `domain` is one of this vendor's sender domains or a subdomain of one.
    pub fn matches_domain(&self, domain: &str) -> bool {
        // compared without lower-casing a copy: routing asks every entry
        let domain = domain.trim().trim_end_matches('.');
        !domain.is_empty()
            && self.senders.iter().any(|s| {
                domain.eq_ignore_ascii_case(s)
                    || domain.len().checked_sub(s.len() + 1).is_some_and(|dot| {
                        domain.as_bytes().get(dot) == Some(&b'.')
                            && domain
                                .get(dot + 1..)
                                .is_some_and(|tail| tail.eq_ignore_ascii_case(s))
                    })
            })
    }

    /// True when one of the subject patterns matches.
    pub fn matches_subject(&self, subject: &str) -> bool {
        self.subjects.iter().any(|r| r.is_match(subject))
    }
}

/// What [`Registry::parse`] returns.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Id of the parser that produced the result.
    pub parser: String,
    /// The maintenances, at least one.
    pub maintenances: Vec<Maintenance>,
}

/// All registered parsers, sorted by id, plus the alias table.
#[derive(Clone, Default)]
pub struct Registry {
    entries: Vec<Entry>,
    aliases: BTreeMap<String, String>,
    /// Every entry's subject patterns in one set, with the index of the
    /// entry each pattern belongs to: routing by subject is one pass over
    /// the subject instead of one per pattern. Built on first use, dropped
    /// when an entry is added; `None` when the set does not compile.
    subject_set: OnceLock<Option<(RegexSet, Vec<usize>)>>,
}

static FROM_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // "From: Name <x@y>" lines in inline-forwarded text (also "De:" / "Von:")
    Regex::new(
        r"(?mi)^[\s>*]*(?:from|de|von|sender)\s*:[^\n@]{0,200}?[\w.+-]+@([\w-]+(?:\.[\w-]+)+)",
    )
    .unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
});

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Every parser submitted with `inventory` in the linked crates.
    /// Use `mnp_parsers::registry()` rather than this, so that the parsers
    /// crate is linked at all.
    pub fn builtin() -> Result<Registry> {
        let mut r = Registry::new();
        for d in inventory::iter::<ParserDescriptor> {
            r.register(Entry::from_descriptor(d)?)?;
        }
        Ok(r)
    }

    /// Add a parser; refuses an id (or alias) already present.
    pub fn register(&mut self, entry: Entry) -> Result<()> {
        if self.get(&entry.id).is_some() {
            return Err(Error::Plugin {
                name: entry.origin.to_string(),
                reason: format!("vendor id {:?} is already registered", entry.id),
            });
        }
        let pos = self.entries.partition_point(|e| e.id < entry.id);
        self.entries.insert(pos, entry);
        self.subject_set = OnceLock::new();
        Ok(())
    }

    /// Add an alias (an old or merged carrier name) for a registered id.
    pub fn add_alias(&mut self, alias: &str, id: &str) -> Result<()> {
        if self
            .entries
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .is_err()
        {
            return Err(Error::UnknownVendor { id: id.to_string() });
        }
        self.aliases
            .insert(alias.to_ascii_lowercase(), id.to_string());
        Ok(())
    }

    /// Add sender domains to a registered parser (e.g. a former brand's
    /// domain from the alias table).
    pub fn add_senders(&mut self, id: &str, senders: &[&str]) -> Result<()> {
        let i = self
            .entries
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .map_err(|_| Error::UnknownVendor { id: id.to_string() })?;
        if let Some(e) = self.entries.get_mut(i) {
            for s in senders {
                let s = s.trim().to_ascii_lowercase();
                if !e.senders.contains(&s) {
                    e.senders.push(s);
                }
            }
        }
        Ok(())
    }

    /// The alias table (alias → id).
    pub fn aliases(&self) -> &BTreeMap<String, String> {
        &self.aliases
    }

    /// Registered parsers, sorted by id.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of registered parsers.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A parser by id or alias (case-insensitive).
    pub fn get(&self, id: &str) -> Option<&Entry> {
        let key = id.trim().to_ascii_lowercase();
        let key = self.aliases.get(&key).cloned().unwrap_or(key);
        self.entries
            .binary_search_by(|e| e.id.as_str().cmp(&key))
            .ok()
            .and_then(|i| self.entries.get(i))
    }

    /// Pick the parser for a mail (see the module docs for the stages).
    pub fn route(&self, email: &Email) -> Result<&Entry> {
        // Stage 1: sender domains, in decreasing order of trust; each group
        // is computed only when the previous one found nothing (the last one
        // needs the rendered text, which is the expensive part).
        let groups: [&dyn Fn() -> Vec<String>; 4] = [
            &|| email.from.iter().map(|m| m.domain()).collect(),
            &|| {
                [&email.sender, &email.reply_to]
                    .into_iter()
                    .flatten()
                    .map(|m| m.domain())
                    .collect()
            },
            &|| {
                email
                    .forwarded
                    .iter()
                    .flat_map(|f| f.senders())
                    .map(|m| m.domain())
                    .collect()
            },
            &|| {
                FROM_LINE
                    .captures_iter(email.text())
                    .filter_map(|c| c.get(1).map(|m| m.as_str().to_ascii_lowercase()))
                    .collect()
            },
        ];
        for group in groups {
            let domains = group();
            if domains.is_empty() {
                continue;
            }
            let cands: Vec<&Entry> = self
                .entries
                .iter()
                .filter(|e| domains.iter().any(|d| e.matches_domain(d)))
                .collect();
            if !cands.is_empty() {
                return self.narrow(cands, email);
            }
        }
        // Stage 2: subject.
        let subject_cands = self.by_subject(&email.subject);
        if !subject_cands.is_empty() {
            return self.narrow(subject_cands, email);
        }
        // Stage 3: content signatures, specific before fallback.
        for fallback in [false, true] {
            let cands: Vec<&Entry> = self
                .entries
                .iter()
                .filter(|e| e.fallback == fallback && e.parser.claims(email))
                .collect();
            match cands.len() {
                0 => continue,
                1 => return Ok(cands[0]),
                _ => return Err(ambiguous(&cands)),
            }
        }
        Err(Error::Unrouted {
            sender: email.sender_address().to_string(),
            subject: email.subject.clone(),
        })
    }

    /// The entries one of whose subject patterns matches `subject`, in
    /// entry order (what [`Entry::matches_subject`] on each would give).
    fn by_subject(&self, subject: &str) -> Vec<&Entry> {
        let set = self.subject_set.get_or_init(|| {
            let mut owners = Vec::new();
            let mut patterns = Vec::new();
            for (i, e) in self.entries.iter().enumerate() {
                for r in &e.subjects {
                    patterns.push(r.as_str());
                    owners.push(i);
                }
            }
            RegexSetBuilder::new(patterns)
                .case_insensitive(true)
                .build()
                .ok()
                .map(|set| (set, owners))
        });
        match set {
            Some((set, owners)) => {
                let mut hits: Vec<usize> = set
                    .matches(subject)
                    .iter()
                    .filter_map(|p| owners.get(p).copied())
                    .collect();
                hits.dedup();
                hits.iter().filter_map(|&i| self.entries.get(i)).collect()
            }
            None => self
                .entries
                .iter()
                .filter(|e| e.matches_subject(subject))
                .collect(),
        }
    }

    /// Several candidates from one stage: narrow by subject, then by content.
    fn narrow<'a>(&'a self, cands: Vec<&'a Entry>, email: &Email) -> Result<&'a Entry> {
        if cands.len() == 1 {
            return Ok(cands[0]);
        }
        let by_subject: Vec<&Entry> = cands
            .iter()
            .copied()
            .filter(|e| e.matches_subject(&email.subject))
            .collect();
        if by_subject.len() == 1 {
            return Ok(by_subject[0]);
        }
        let pool = if by_subject.is_empty() {
            cands
        } else {
            by_subject
        };
        let by_content: Vec<&Entry> = pool
            .iter()
            .copied()
            .filter(|e| e.parser.claims(email))
            .collect();
        if by_content.len() == 1 {
            return Ok(by_content[0]);
        }
        Err(ambiguous(&pool))
    }

    /// Route (or use `vendor` when given) and parse. Errors are wrapped with
    /// the parser id; an empty result is [`Error::MissingField`].
    pub fn parse(&self, email: &Email, vendor: Option<&str>) -> Result<Parsed> {
        let entry = match vendor {
            Some(v) => self
                .get(v)
                .ok_or_else(|| Error::UnknownVendor { id: v.to_string() })?,
            None => self.route(email)?,
        };
        let maintenances = entry
            .parser
            .parse(email)
            .map_err(|e| e.in_parser(&entry.id))?;
        if maintenances.is_empty() {
            return Err(Error::MissingField {
                field: "maintenance",
            }
            .in_parser(&entry.id));
        }
        Ok(Parsed {
            parser: entry.id.clone(),
            maintenances,
        })
    }

    /// Decode `raw` and parse it: the whole bytes → maintenances path.
    pub fn parse_bytes(&self, raw: &[u8], vendor: Option<&str>) -> Result<Parsed> {
        let email = Email::parse(raw)?;
        self.parse(&email, vendor)
    }
}

fn ambiguous(cands: &[&Entry]) -> Error {
    Error::Ambiguous {
        candidates: cands.iter().map(|e| e.id.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    struct Nothing;
    impl VendorParser for Nothing {
        fn parse(&self, _: &Email) -> Result<Vec<Maintenance>> {
            Ok(Vec::new())
        }
    }

    fn entry(id: &str, subjects: &[&str]) -> Entry {
        Entry::new(
            id,
            id,
            vec![format!("{id}.example")],
            subjects.iter().map(|s| s.to_string()).collect(),
            Vec::new(),
            "",
            false,
            Origin::BuiltIn,
            Arc::new(Nothing),
        )
        .unwrap()
    }

    fn routed(reg: &Registry, subject: &str) -> Result<String> {
        let raw = format!("From: noc@elsewhere.test\r\nSubject: {subject}\r\n\r\nbody");
        let mail = Email::parse(raw.as_bytes()).unwrap();
        reg.route(&mail).map(|e| e.id.clone())
    }

    #[test]
    fn subject_routing_through_the_set() {
        let mut reg = Registry::new();
        reg.register(entry("alpha", &["^alpha notice", "planned work ref a-"]))
            .unwrap();
        reg.register(entry("beta", &["beta maintenance"])).unwrap();
        // case-insensitive, second pattern of an entry, unanchored
        assert_eq!(routed(&reg, "ALPHA NOTICE 12").unwrap(), "alpha");
        assert_eq!(routed(&reg, "Re: Planned Work ref A-7").unwrap(), "alpha");
        assert_eq!(routed(&reg, "Fwd: Beta Maintenance").unwrap(), "beta");
        assert!(matches!(routed(&reg, "lunch"), Err(Error::Unrouted { .. })));
        assert!(matches!(
            routed(&reg, "alpha notice and beta maintenance"),
            Err(Error::Ambiguous { .. })
        ));
        // an entry added after the set was built takes part
        reg.register(entry("gamma", &["gamma window"])).unwrap();
        assert_eq!(routed(&reg, "Gamma window 3").unwrap(), "gamma");
        assert_eq!(routed(&reg, "Beta maintenance").unwrap(), "beta");
    }
}
