//! Declarative vendor profiles: a carrier's notice format said in TOML
//! instead of Rust.
//!
//! Most carriers write a notice as labelled lines or as an HTML table: a
//! ticket number after `Ticket:`, the window after `Start Time (UTC)` and
//! `End Time (UTC)`, the circuits under a `Circuit ID(s)` header. A
//! [`Profile`] says where each field lives and how to read it, and is then a
//! [`VendorParser`] like any other: it registers in the same
//! [`Registry`] (with [`Origin::Profile`]), routes the same way (sender
//! domains, subject patterns, content signatures) and is held to the same
//! conformance check.
//!
//! # Format
//!
//! ```toml
//! id = "acme-fiber"                     # kebab-case vendor id
//! carrier = "Acme Fiber"
//! senders = ["acmefiber.example"]       # sender domains (subdomains match)
//! subjects = ['^Acme Fiber Maintenance'] # case-insensitive regexes
//! signatures = ["noc.acmefiber.example"] # body text that identifies the vendor
//! require = ["maintenance"]             # mail without any of these is not a notice
//! derive_id = false                     # true: no id field, derive a stable one
//! organizer = "noc@acmefiber.example"   # the organizer of every maintenance
//! doc = "free text, shown under # Quirks"
//! gaps = "free text, shown under # Known gaps"
//! default_status = "CONFIRMED"          # when no status word is found
//! default_impact = "OUTAGE"             # when no impact word is found
//!
//! [dates]
//! formats = ["%d/%m/%Y %H:%M"]          # chrono formats, tried in order
//! zone = "Europe/London"                # fixed zone (a zone in the value wins)
//! zone_label = "Time Zone"              # ...or read the zone from a label
//!
//! [fields]
//! id = { label = ["Ticket", "Reference"] }
//! begin = { label = "Start Time (UTC)" }
//! end = { label = "End Time (UTC)" }
//! circuits = { header = "Circuit ID(s)", split = [",", ";"] }
//! status = { regex = '^Status:\s*(?P<value>\w+)' }
//! impact = { label = "Impact" }
//! account = { label = "Customer" }
//! summary = { from = "subject", regex = '(?P<value>.+)' }
//!
//! [[status]]                            # first rule with a word found wins
//! to = "CANCELLED"
//! words = ["cancel", "annul", "storniert"]
//!
//! [[impact]]
//! to = "NO-IMPACT"
//! words = ["no impact", "kein"]
//! ```
//!
//! (Top-level keys go before the first `[table]`: in TOML a key written after
//! `[[status]]` belongs to that rule, and is refused as an unknown field.)
//!
//! A field is found by `header` (the cells under that header cell of an HTML
//! table), else by `label` (a `Label: value` line of the body text — HTML
//! label/value table rows render as such lines; the label must be followed
//! by `:`, a tab, `=`, `#`, `- ` or a run of spaces, so `Ticket` never reads
//! `Ticket Number: 1`; a label alone on its line takes the next line), else
//! by `regex` (its `value` named group), in the body text or, with
//! `from = "subject"`, the subject. Every occurrence counts: several `begin`/`end` values give
//! several windows, several circuit lines several circuits. Status words are
//! looked for in the status field (the subject when there is none); impact
//! words in the impact field, per circuit when circuits and impact are
//! columns of one table, or when every labelled circuit line has its own
//! labelled impact line below it. Words match case-insensitively anywhere in the text, in
//! any language.
//!
//! # Errors
//!
//! [`load_str`] and [`load_dir`] return a [`ProfileError`] per bad file,
//! naming the file, the line and the key; [`load_dir`] loads the good files
//! whatever the bad ones hold, so one malformed profile never takes the
//! others down.
//!
//! # Tracing
//!
//! [`explain`] runs a profile on a mail and returns, field by field, the text
//! it found, where, and what it made of it — what `mnp vendors test` prints.

mod format;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mnp_core::{
    CircuitImpact, Email, Entry, Error, Impact, Maintenance, Origin, Registry, Result, Status,
    VendorParser, Window,
};
use regex::Regex;

use crate::helpers::html::{self, CellText};
use crate::helpers::tz::Zone;
use crate::helpers::{dates, maint, text, tz};

/// The profiles compiled into the binary: `(file name, TOML text)`.
pub const BUILTIN: &[(&str, &str)] = &[(
    "northwind-fibre.toml",
    include_str!("../../profiles/northwind-fibre.toml"),
)];

/// A profile that could not be loaded or registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The profile file (or the name given to [`load_str`]).
    pub file: PathBuf,
    /// 1-based line of the offending value, when known.
    pub line: Option<usize>,
    /// Dotted key of the offending value (`fields.begin.regex`), empty when
    /// the file as a whole is at fault.
    pub key: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for ProfileError {}

/// Where the text of a field is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Body,
    Subject,
}

/// How to find one field.
#[derive(Debug, Clone)]
struct Locator {
    labels: Vec<String>,
    headers: Vec<String>,
    regex: Option<Regex>,
    from: Source,
    split: Vec<String>,
}

/// A loaded, checked profile: a [`VendorParser`] described by TOML.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Vendor id.
    pub id: String,
    /// Carrier display name.
    pub carrier: String,
    /// The file it was loaded from.
    pub path: PathBuf,
    /// Sender domains, lower-case.
    pub senders: Vec<String>,
    /// Subject patterns as written.
    pub subjects: Vec<String>,
    signatures: Vec<String>,
    require: Vec<String>,
    doc: String,
    gaps: String,
    organizer: String,
    derive_id: bool,
    formats: Vec<String>,
    zone: Option<Zone>,
    zone_label: Vec<String>,
    id_field: Option<Locator>,
    begin: Locator,
    end: Locator,
    circuits: Locator,
    status_field: Option<Locator>,
    impact_field: Option<Locator>,
    account: Option<Locator>,
    summary: Option<Locator>,
    status: Vec<(Status, Vec<String>)>,
    default_status: Status,
    impact: Vec<(Impact, Vec<String>)>,
    default_impact: Impact,
}

/// What a profile made of one field of one mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTrace {
    /// The field (`id`, `begin`, `circuits`, ...).
    pub field: String,
    /// Where the text was found (`label "Ticket" in body`), or where it was
    /// looked for in vain.
    pub source: String,
    /// The raw texts found, in order.
    pub raw: Vec<String>,
    /// The value read from them, or why there is none.
    pub value: std::result::Result<String, String>,
}

impl fmt::Display for FieldTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Ok(v) => writeln!(f, "{:<9} = {v}", self.field)?,
            Err(e) => writeln!(f, "{:<9} ! {e}", self.field)?,
        }
        write!(f, "{:<9}   from {}", "", self.source)?;
        for r in &self.raw {
            write!(f, "\n{:<9}   text {r:?}", "")?;
        }
        Ok(())
    }
}

/// Load one profile from its TOML text; `name` is used in errors and as the
/// profile's path.
pub fn load_str(name: impl AsRef<Path>, text: &str) -> std::result::Result<Profile, ProfileError> {
    format::compile(name.as_ref(), text)
}

/// Load every `*.toml` file of `dir` (sorted by name). Good profiles are
/// returned whatever the bad ones hold; each bad one gives its own error.
pub fn load_dir(dir: &Path) -> (Vec<Profile>, Vec<ProfileError>) {
    let io_err = |file: &Path, e: std::io::Error| ProfileError {
        file: file.to_path_buf(),
        line: None,
        key: String::new(),
        reason: e.to_string(),
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => return (Vec::new(), vec![io_err(dir, e)]),
    };
    files.sort();
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for f in files {
        match std::fs::read_to_string(&f) {
            Ok(t) => match load_str(&f, &t) {
                Ok(p) => ok.push(p),
                Err(e) => bad.push(e),
            },
            Err(e) => bad.push(io_err(&f, e)),
        }
    }
    (ok, bad)
}

/// The built-in profiles ([`BUILTIN`]); a bad one is reported, not fatal.
pub fn builtin() -> (Vec<Profile>, Vec<ProfileError>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (name, t) in BUILTIN {
        match load_str(Path::new("<built-in>").join(name), t) {
            Ok(p) => ok.push(p),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

/// Register `profiles` in `registry` with [`Origin::Profile`]. A profile
/// whose id is taken (or whose entry cannot be built) is skipped and
/// reported; the others are registered.
pub fn register(registry: &mut Registry, profiles: Vec<Profile>) -> Vec<ProfileError> {
    register_as(registry, profiles, |p| Origin::Profile(p.path.clone()))
}

/// Register the [`builtin`] profiles as [`Origin::BuiltIn`] parsers: compiled
/// in, they are as much part of the binary as a Rust parser (their format is
/// `profile` in the vendor list). Returns the load and registration errors.
pub fn register_builtin(registry: &mut Registry) -> Vec<ProfileError> {
    let (ok, mut bad) = builtin();
    bad.extend(register_as(registry, ok, |_| Origin::BuiltIn));
    bad
}

fn register_as(
    registry: &mut Registry,
    profiles: Vec<Profile>,
    origin: impl Fn(&Profile) -> Origin,
) -> Vec<ProfileError> {
    let mut errors = Vec::new();
    for p in profiles {
        let path = p.path.clone();
        let origin = origin(&p);
        let entry = Entry::new(
            p.id.clone(),
            p.carrier.clone(),
            p.senders.clone(),
            p.subjects.clone(),
            vec!["profile".into()],
            p.doc_text(),
            false,
            origin,
            Arc::new(p),
        );
        if let Err(e) = entry.and_then(|e| registry.register(e)) {
            let reason = match e {
                Error::Plugin { reason, .. } => reason,
                e => e.to_string(),
            };
            errors.push(ProfileError {
                file: path,
                line: Some(1),
                key: "id".into(),
                reason,
            });
        }
    }
    errors
}

/// Run `profile` on `email` and say, field by field, what it found and
/// where. The last entry, `result`, is the outcome of
/// [`VendorParser::parse`] (the number of maintenances, or the error).
pub fn explain(profile: &Profile, email: &Email) -> Vec<FieldTrace> {
    let mut traces = Vec::new();
    let result = profile.extract(email, &mut traces);
    traces.push(FieldTrace {
        field: "result".into(),
        source: format!("profile {}", profile.id),
        raw: Vec::new(),
        value: match result {
            Ok(ms) => Ok(format!(
                "{} maintenance{}{}",
                ms.len(),
                if ms.len() == 1 { "" } else { "s" },
                ms.iter()
                    .filter_map(|m| m.window)
                    .map(|w| format!(" [{} .. {}]", w.begin().to_rfc3339(), w.end().to_rfc3339()))
                    .collect::<String>()
            )),
            Err(e) => Err(e.to_string()),
        },
    });
    traces
}

/// Load `text` as a profile and, when it loads, run it (parse and
/// [`explain`]) on each of `mails`; returns the conformance violations of
/// whatever it produced (empty when all is well or nothing loaded). The
/// profile fuzz target and the tests call this; it must never panic.
pub fn check_text(text: &str, mails: &[&[u8]]) -> Vec<String> {
    let Ok(p) = load_str("check.toml", text) else {
        return Vec::new();
    };
    let mut violations = Vec::new();
    for raw in mails {
        let Ok(email) = Email::parse(raw) else {
            continue;
        };
        if let Ok(ms) = p.parse(&email) {
            for m in &ms {
                violations.extend(m.conformance());
            }
            if p.parse(&email).ok().as_ref() != Some(&ms) {
                violations.push("parsing twice gave different results".into());
            }
        }
        let _ = explain(&p, &email);
    }
    violations
}

/// A mail with the texts a profile reads from it, rendered once.
struct Mail<'e> {
    email: &'e Email,
    body: String,
    tables: std::sync::OnceLock<Vec<html::Table>>,
}

impl<'e> Mail<'e> {
    fn new(email: &'e Email) -> Self {
        Mail {
            email,
            body: text::html_text_or_plain(email),
            tables: std::sync::OnceLock::new(),
        }
    }

    fn tables(&self) -> &[html::Table] {
        self.tables
            .get_or_init(|| html::email_tables(self.email, CellText::Collapsed))
    }
}

/// One value found for a field, and where.
struct Found {
    value: String,
    how: String,
}

impl Profile {
    /// The registry documentation: the four sections, Routing and Formats
    /// generated from the profile.
    pub fn doc_text(&self) -> String {
        let mut d = String::from("# Routing\n");
        if !self.senders.is_empty() {
            d.push_str(&format!("Sender domains {}. ", self.senders.join(", ")));
        }
        if !self.subjects.is_empty() {
            d.push_str(&format!(
                "Subjects matching {}. ",
                self.subjects.join(" | ")
            ));
        }
        if !self.signatures.is_empty() {
            d.push_str(&format!(
                "Content signatures {}.",
                self.signatures.join(", ")
            ));
        }
        d.push_str(&format!(
            "\n\n# Formats\nDeclarative profile {}: labelled text and HTML tables.\n\n# Quirks\n{}\n\n# Known gaps\n{}\n",
            self.path.display(),
            self.doc.trim(),
            self.gaps.trim()
        ));
        d
    }

    fn source_text<'m>(&self, mail: &'m Mail<'_>, from: Source) -> &'m str {
        match from {
            Source::Body => &mail.body,
            Source::Subject => &mail.email.subject,
        }
    }

    /// Every value of a field, by the first method that finds any.
    fn locate(&self, mail: &Mail<'_>, loc: &Locator) -> (Vec<Found>, String) {
        let src = self.source_text(mail, loc.from);
        let where_ = match loc.from {
            Source::Body => "body",
            Source::Subject => "subject",
        };
        let mut tried = Vec::new();
        if !loc.headers.is_empty() && loc.from == Source::Body {
            let tables = mail.tables();
            let mut found = Vec::new();
            for t in tables {
                for h in &loc.headers {
                    let Some(g) = t.grid(h) else { continue };
                    let Some(col) = g.column(h) else { continue };
                    for row in g.rows {
                        if let Some(c) = row.get(col).map(|c| c.trim()).filter(|c| !c.is_empty()) {
                            found.push(Found {
                                value: c.to_string(),
                                how: format!("table column {h:?}"),
                            });
                        }
                    }
                    break;
                }
                if !found.is_empty() {
                    break;
                }
            }
            if !found.is_empty() {
                return (found, String::new());
            }
            tried.push(format!("table header {:?}", loc.headers));
        }
        if !loc.labels.is_empty() {
            let labels: Vec<&str> = loc.labels.iter().map(String::as_str).collect();
            let found: Vec<Found> = label_values(src, &labels)
                .into_iter()
                .map(|(label, value)| Found {
                    value,
                    how: format!("label {label:?} in {where_}"),
                })
                .collect();
            if !found.is_empty() {
                return (found, String::new());
            }
            tried.push(format!("label {:?} in {where_}", loc.labels));
        }
        if let Some(re) = &loc.regex {
            let found: Vec<Found> = re
                .captures_iter(src)
                .filter_map(|c| c.name("value"))
                .map(|m| m.as_str().trim().to_string())
                .filter(|v| !v.is_empty())
                .map(|value| Found {
                    value,
                    how: format!("regex {:?} in {where_}", re.as_str()),
                })
                .collect();
            if !found.is_empty() {
                return (found, String::new());
            }
            tried.push(format!("regex {:?} in {where_}", re.as_str()));
        }
        (Vec::new(), tried.join(", then "))
    }

    fn first(
        &self,
        mail: &Mail<'_>,
        field: &str,
        loc: Option<&Locator>,
        traces: &mut Vec<FieldTrace>,
    ) -> Option<String> {
        let loc = loc?;
        let (found, tried) = self.locate(mail, loc);
        let v = found.first().map(|f| f.value.clone());
        traces.push(FieldTrace {
            field: field.into(),
            source: found
                .first()
                .map_or(format!("nothing found ({tried})"), |f| f.how.clone()),
            raw: found.iter().take(1).map(|f| f.value.clone()).collect(),
            value: v.clone().ok_or_else(|| "not found".to_string()),
        });
        v
    }

    fn status_of(&self, text: &str) -> Option<Status> {
        let t = text.to_lowercase();
        self.status
            .iter()
            .find(|(_, ws)| ws.iter().any(|w| t.contains(w.as_str())))
            .map(|(s, _)| *s)
    }

    fn impact_of(&self, text: &str) -> Option<Impact> {
        let t = text.to_lowercase();
        self.impact
            .iter()
            .find(|(_, ws)| ws.iter().any(|w| t.contains(w.as_str())))
            .map(|(s, _)| *s)
    }

    fn zone_for(&self, mail: &Mail<'_>, traces: &mut Vec<FieldTrace>) -> Option<Zone> {
        if !self.zone_label.is_empty() {
            let body = &mail.body;
            let labels: Vec<&str> = self.zone_label.iter().map(String::as_str).collect();
            if let Some((label, v)) = label_values(body, &labels).into_iter().next() {
                let zone = tz::zone_by_name(&v)
                    .or_else(|| dates::split_zone(&format!("2000-01-01 00:00 {v}")).1);
                traces.push(FieldTrace {
                    field: "zone".into(),
                    source: format!("label {label:?} in body"),
                    raw: vec![v.clone()],
                    value: zone
                        .map(|z| zone_name(&z))
                        .ok_or_else(|| "unknown time zone".to_string()),
                });
                if zone.is_some() {
                    return zone;
                }
            }
        }
        if let Some(z) = self.zone {
            traces.push(FieldTrace {
                field: "zone".into(),
                source: "dates.zone".into(),
                raw: Vec::new(),
                value: Ok(zone_name(&z)),
            });
        }
        self.zone
    }

    fn times(
        &self,
        mail: &Mail<'_>,
        field: &'static str,
        loc: &Locator,
        zone: Option<Zone>,
        traces: &mut Vec<FieldTrace>,
    ) -> Vec<chrono::DateTime<chrono::Utc>> {
        let (found, tried) = self.locate(mail, loc);
        let formats: Vec<&str> = self.formats.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for f in &found {
            match dates::parse_datetime(&f.value, &formats, zone, field) {
                Ok(t) => out.push(t),
                Err(e) => errors.push(e.to_string()),
            }
        }
        traces.push(FieldTrace {
            field: field.into(),
            source: found
                .first()
                .map_or(format!("nothing found ({tried})"), |f| f.how.clone()),
            raw: found.iter().map(|f| f.value.clone()).collect(),
            value: if found.is_empty() {
                Err("not found".into())
            } else if errors.is_empty() {
                Ok(out
                    .iter()
                    .map(|t| t.to_rfc3339())
                    .collect::<Vec<_>>()
                    .join(", "))
            } else {
                Err(errors.join("; "))
            },
        });
        if errors.is_empty() { out } else { Vec::new() }
    }

    /// The whole parse, recording what each field gave.
    fn extract(&self, email: &Email, traces: &mut Vec<FieldTrace>) -> Result<Vec<Maintenance>> {
        let mail = &Mail::new(email);
        let body = &mail.body;
        if !self.require.is_empty() {
            let hay = format!("{}\n{}", email.subject, body).to_lowercase();
            let hit = self
                .require
                .iter()
                .find(|w| hay.contains(&w.to_lowercase()));
            traces.push(FieldTrace {
                field: "require".into(),
                source: "subject and body".into(),
                raw: hit.cloned().into_iter().collect(),
                value: hit
                    .map(|w| format!("found {w:?}"))
                    .ok_or_else(|| format!("none of {:?}: not a maintenance notice", self.require)),
            });
            if hit.is_none() {
                return Err(Error::not_maintenance(format!(
                    "none of {:?} found",
                    self.require
                )));
            }
        }
        let mut m = Maintenance::new(self.id.clone());
        m.organizer = self.organizer.clone();
        m.stamp = email.date;

        // status: words in the status field, else in the subject
        let (status_text, status_source) = match &self.status_field {
            Some(loc) => {
                let (found, tried) = self.locate(mail, loc);
                match found.into_iter().next() {
                    Some(f) => (Some(f.value), format!("status words in {}", f.how)),
                    None => (None, format!("nothing found ({tried})")),
                }
            }
            None => (
                Some(email.subject.clone()),
                "status words in the subject".into(),
            ),
        };
        let matched = status_text.as_deref().and_then(|t| self.status_of(t));
        m.status = matched.unwrap_or(self.default_status);
        traces.push(FieldTrace {
            field: "status".into(),
            source: status_source,
            raw: status_text.into_iter().collect(),
            value: Ok(match matched {
                Some(s) => s.to_string(),
                None => format!("{} (default: no status word found)", self.default_status),
            }),
        });

        // id
        let id = self.first(mail, "id", self.id_field.as_ref(), traces);
        let zone = self.zone_for(mail, traces);
        let begins = self.times(mail, "begin", &self.begin, zone, traces);
        let ends = self.times(mail, "end", &self.end, zone, traces);

        // circuits and their impact
        let per_row = self.per_row_impacts(mail);
        let global = if let Some(rows) = &per_row {
            traces.push(FieldTrace {
                field: "impact".into(),
                source: "impact words per circuit row (table row, or the impact line under each circuit line)".into(),
                raw: Vec::new(),
                value: Ok(rows
                    .iter()
                    .map(|i| i.unwrap_or(self.default_impact).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")),
            });
            None
        } else {
            let (text, source) = match &self.impact_field {
                Some(loc) => {
                    let (found, tried) = self.locate(mail, loc);
                    match found.into_iter().next() {
                        Some(f) => (Some(f.value), format!("impact words in {}", f.how)),
                        None => (None, format!("nothing found ({tried})")),
                    }
                }
                None => (None, "no impact field".into()),
            };
            let matched = text.as_deref().and_then(|t| self.impact_of(t));
            traces.push(FieldTrace {
                field: "impact".into(),
                source,
                raw: text.into_iter().collect(),
                value: Ok(match matched {
                    Some(i) => i.to_string(),
                    None => format!("{} (default: no impact word found)", self.default_impact),
                }),
            });
            matched
        };
        let (found, tried) = self.locate(mail, &self.circuits);
        let mut seen = Vec::new();
        for (i, f) in found.iter().enumerate() {
            let impact = match &per_row {
                Some(rows) => rows.get(i).copied().flatten(),
                None => global,
            }
            .unwrap_or(self.default_impact);
            for part in split_all(&f.value, &self.circuits.split) {
                if !seen.contains(&part) {
                    seen.push(part.clone());
                    m.circuits.push(CircuitImpact::new(&part, impact));
                }
            }
        }
        traces.push(FieldTrace {
            field: "circuits".into(),
            source: found
                .first()
                .map_or(format!("nothing found ({tried})"), |f| f.how.clone()),
            raw: found.iter().map(|f| f.value.clone()).collect(),
            value: if m.circuits.is_empty() {
                Err("none".into())
            } else {
                Ok(m.circuits
                    .iter()
                    .map(|c| format!("{} ({})", c.vendor_circuit_id, c.impact))
                    .collect::<Vec<_>>()
                    .join(", "))
            },
        });

        m.account = self
            .first(mail, "account", self.account.as_ref(), traces)
            .unwrap_or_default();
        m.summary = self
            .first(mail, "summary", self.summary.as_ref(), traces)
            .unwrap_or_default();

        // begin and end values pair up in order; an odd one out means the
        // profile cannot tell which window is meant: refuse, never guess
        if begins.len() != ends.len() {
            return Err(Error::bad_value(
                "window",
                format!("{} begin and {} end values", begins.len(), ends.len()),
                "begin and end values do not pair up",
            ));
        }
        let mut windows = Vec::new();
        for (b, e) in begins.iter().zip(ends.iter()) {
            windows.push(Window::new(*b, *e)?);
        }
        m.maintenance_id = match id {
            Some(id) => id,
            None if self.derive_id => {
                let parts: Vec<String> = windows
                    .iter()
                    .map(|w| w.begin().to_rfc3339())
                    .chain(m.circuits.iter().map(|c| c.vendor_circuit_id.clone()))
                    .collect();
                if parts.is_empty() {
                    return Err(Error::MissingField {
                        field: "maintenance_id",
                    });
                }
                let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
                let d = mnp_core::util::derive_id(&self.id, &parts);
                traces.push(FieldTrace {
                    field: "id".into(),
                    source: "derived from the windows and circuits".into(),
                    raw: Vec::new(),
                    value: Ok(d.clone()),
                });
                d
            }
            None => {
                return Err(Error::MissingField {
                    field: "maintenance_id",
                });
            }
        };
        if m.circuits.is_empty() && m.status != Status::Cancelled {
            return Err(Error::MissingField { field: "circuits" });
        }
        maint::per_window_or_cancelled(m, windows)
    }

    /// Impacts per circuit row, when both circuits and impact are read from
    /// columns of the same HTML table.
    fn per_row_impacts(&self, mail: &Mail<'_>) -> Option<Vec<Option<Impact>>> {
        self.per_table_row_impacts(mail)
            .or_else(|| self.per_label_impacts(mail))
    }

    /// Impacts per circuit line, when circuits and impact are both labelled
    /// lines of the body and every circuit line has its own impact line
    /// before the next circuit line (`Circuit ID: A` / `Impact: Outage` /
    /// `Circuit ID: B` / `Impact: None`). Anything less regular is read with
    /// one impact for all.
    fn per_label_impacts(&self, mail: &Mail<'_>) -> Option<Vec<Option<Impact>>> {
        let imp = self.impact_field.as_ref()?;
        if imp.labels.is_empty()
            || self.circuits.labels.is_empty()
            || imp.from != Source::Body
            || self.circuits.from != Source::Body
        {
            return None;
        }
        let body = &mail.body;
        let cl: Vec<&str> = self.circuits.labels.iter().map(String::as_str).collect();
        let il: Vec<&str> = imp.labels.iter().map(String::as_str).collect();
        let circuits = label_hits(body, &cl);
        let impacts = label_hits(body, &il);
        if circuits.len() < 2 {
            return None;
        }
        let mut out = Vec::new();
        for (i, (line, _, _)) in circuits.iter().enumerate() {
            let next = circuits.get(i + 1).map_or(usize::MAX, |(l, _, _)| *l);
            let (_, _, v) = impacts.iter().find(|(l, _, _)| l > line && *l < next)?;
            out.push(self.impact_of(v));
        }
        Some(out)
    }

    /// Impacts per row of the circuits table.
    fn per_table_row_impacts(&self, mail: &Mail<'_>) -> Option<Vec<Option<Impact>>> {
        let imp = self.impact_field.as_ref()?;
        // circuits are read from a table whenever one has their header
        // (headers are tried before labels), so the rows line up
        if imp.headers.is_empty() || self.circuits.headers.is_empty() {
            return None;
        }
        let tables = mail.tables();
        for t in tables {
            for h in &self.circuits.headers {
                let Some(g) = t.grid(h) else { continue };
                let (Some(cc), Some(ic)) =
                    (g.column(h), imp.headers.iter().find_map(|ih| g.column(ih)))
                else {
                    continue;
                };
                return Some(
                    g.rows
                        .iter()
                        .filter(|r| r.get(cc).is_some_and(|c| !c.trim().is_empty()))
                        .map(|r| r.get(ic).and_then(|c| self.impact_of(c)))
                        .collect(),
                );
            }
        }
        None
    }
}

impl VendorParser for Profile {
    fn parse(&self, email: &Email) -> Result<Vec<Maintenance>> {
        self.extract(email, &mut Vec::new())
    }

    fn claims(&self, email: &Email) -> bool {
        if self.signatures.is_empty() {
            return false;
        }
        let body = email.text().to_lowercase();
        self.signatures
            .iter()
            .any(|s| body.contains(&s.to_lowercase()))
    }
}

/// Every `label: value` of `text` for any of `labels`, with the label that
/// matched, in text order.
fn label_values(text: &str, labels: &[&str]) -> Vec<(String, String)> {
    label_hits(text, labels)
        .into_iter()
        .map(|(_, l, v)| (l, v))
        .collect()
}

/// [`label_values`] with the 0-based line of each label.
fn label_hits(text: &str, labels: &[&str]) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_start_matches(|c: char| c.is_whitespace() || c == '>' || c == '*');
        for label in labels {
            let Some(rest) = line
                .get(..label.len())
                .filter(|h| h.eq_ignore_ascii_case(label))
                .and_then(|_| line.get(label.len()..))
            else {
                continue;
            };
            // the label must be followed by a separator (`:`, tab, `=`,
            // `#`, `- `, a run of spaces) or end the line: `Ticket` does not
            // read `Ticket Number: 1` as `Number: 1`, nor `Ticket-Nr.: 1`
            // as `Nr.: 1`
            let spaced = rest.starts_with("  ") || rest.starts_with('\t');
            let trimmed = rest.trim_start_matches([' ', '*']);
            if !(trimmed.is_empty()
                || spaced
                || trimmed.starts_with([':', '\t', '=', '#', '\u{ff1a}'])
                || trimmed.starts_with("- "))
            {
                continue;
            }
            let value = trimmed
                .trim_start_matches([':', '=', '-', '#', '\u{ff1a}'])
                .trim_matches(|c: char| c.is_whitespace() || c == '*');
            if !value.is_empty() {
                out.push((i, label.to_string(), value.to_string()));
            } else if let Some(v) = lines
                .iter()
                .skip(i + 1)
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
            {
                out.push((i, label.to_string(), v.to_string()));
            }
            break;
        }
    }
    out
}

fn zone_name(z: &Zone) -> String {
    match z {
        Zone::Named(tz) => tz.name().to_string(),
        Zone::Fixed(off) => format!("UTC{off}"),
    }
}

fn split_all(value: &str, seps: &[String]) -> Vec<String> {
    let mut parts = vec![value.to_string()];
    for s in seps.iter().filter(|s| !s.is_empty()) {
        parts = parts
            .iter()
            .flat_map(|p| p.split(s.as_str()).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
