//! The generic parser: best-effort reading of mail that routes to no vendor.
//!
//! It knows no carrier, only how carriers in general write notices. It
//! reads a BCOP iCalendar (`X-MAINTNOTE-*`) when one is attached; otherwise
//! the HTML rendered as text (tables keep their rows) or the plain text, plus
//! CSV/XLSX attachments as tables. In that text it looks for date-time
//! ranges in the shapes carriers write ([`windows`]: several zones, backup
//! dates and moved dates), a reference id (next to a label, preferring one
//! the subject repeats), status words (subject, a title line, the first
//! paragraphs), impact words (a label, each circuit's own table row, the
//! wording), the customer account (label, table column, `To:` line, subject,
//! greeting) and circuit ids — ids found in the operator's circuit
//! [`Inventory`] first, else values next to circuit labels or under circuit
//! header cells, kept whole when written with spaces (`123 456 789`).
//! Every field it sets is recorded as
//! [`Evidence`] (the text that produced it), and the result carries a
//! [`GenericResult::confidence`] in 0..=1. Below [`Options::min_confidence`]
//! the caller must hand the mail to a human: the result is a suggestion, never
//! a fact.
//!
//! ```
//! use mnp_parsers::generic::{self, Inventory, Options};
//! let raw = b"From: noc@unknown-carrier.example\nSubject: Planned maintenance TKT-20240312\n\n\
//! Ticket: TKT-20240312\nStart: 2024-03-12 22:00 UTC\nEnd: 2024-03-13 04:00 UTC\n\
//! Circuit ID: ABC-123456\nImpact: Outage\n";
//! let mail = mnp_core::Email::parse(raw).unwrap();
//! let r = generic::parse(&mail, &Inventory::default(), &Options::default()).unwrap();
//! assert_eq!(r.maintenances[0].maintenance_id, "TKT-20240312");
//! assert_eq!(r.maintenances[0].circuits[0].vendor_circuit_id, "ABC-123456");
//! assert!(r.confidence >= Options::default().min_confidence);
//! ```

mod account;
mod circuits;
pub mod windows;

use std::collections::HashMap;
use std::sync::LazyLock;

use mnp_core::util::{derive_id, normalize_circuit_id};
use mnp_core::{CircuitImpact, Email, Error, Impact, Maintenance, Result, Status};
use regex::Regex;

use crate::helpers::{text, words};

/// The provider name the generic parser's results carry.
pub const PROVIDER: &str = "generic";

/// Known circuit ids (e.g. the sender's vendor's circuits from the Circuit
/// table or a CSV), matched after [`normalize_circuit_id`].
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Normalised id → the ways the records write it.
    ids: HashMap<String, Vec<String>>,
}

impl Inventory {
    /// An inventory of these ids (as written in the operator's records).
    pub fn new<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for s in ids {
            let id = s.as_ref().trim().to_string();
            let key = normalize_circuit_id(&id);
            if key.len() >= 3 {
                let forms = map.entry(key).or_default();
                if !forms.contains(&id) {
                    forms.push(id);
                }
            }
        }
        Inventory { ids: map }
    }

    /// Whether no ids are known.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Number of known ids.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The id as the inventory writes it, when `token` is a known circuit
    /// (the form written exactly as `token` when the records hold several).
    pub fn lookup(&self, token: &str) -> Option<&str> {
        let forms = self.ids.get(&normalize_circuit_id(token))?;
        forms
            .iter()
            .find(|f| f.as_str() == token.trim())
            .or_else(|| forms.first())
            .map(String::as_str)
    }
}

/// Tuning of the generic parser.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Below this confidence a result is for a human, not a forecast.
    pub min_confidence: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_confidence: 0.6,
        }
    }
}

/// Which text produced a field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    /// The field: `window`, `maintenance_id`, `status`, `impact`,
    /// `impact_seconds`, `circuit`, `account`.
    pub field: &'static str,
    /// The value read.
    pub value: String,
    /// The text it was read from.
    pub source: String,
}

/// What the generic parser found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GenericResult {
    /// One maintenance per window (or one without a window for a cancellation).
    pub maintenances: Vec<Maintenance>,
    /// 0..=1: how sure the parser is that these are right.
    pub confidence: f64,
    /// The text behind every field.
    pub evidence: Vec<Evidence>,
}

impl GenericResult {
    /// Whether the result may be used as a forecast under `opts`.
    pub fn is_confident(&self, opts: &Options) -> bool {
        !self.maintenances.is_empty() && self.confidence >= opts.min_confidence
    }
}

const STATUS_STRONG: words::Rules<Status> = &[
    (
        Status::Cancelled,
        &[
            "cancel",
            "withdrawn",
            "called off",
            "annulé",
            "annulation",
            "abgesagt",
            "storniert",
            "anulad",
            "annullat",
            "geannuleerd",
            "odwołan",
        ],
    ),
    (
        Status::Rescheduled,
        &[
            "reschedul",
            "re-schedul",
            "postpone",
            "new date",
            "revised",
            "reprogramad",
            "reprogramac",
            "verschiebung",
            "terminänderung",
            "adiad",
            "reporté",
            "report des",
            "report de l",
            "verschoben",
            "neuer termin",
            "nueva fecha",
            "reagendad",
            "remarcad",
            "nova data",
            "riprogrammat",
            "rinviat",
            "verplaatst",
            "uitgesteld",
            "przełożon",
            "nowy termin",
        ],
    ),
    (
        Status::Completed,
        &[
            "completed",
            "complete:",
            "completion",
            "has been complete",
            "finished",
            "closed",
            "terminé",
            "abgeschlossen",
            "completad",
            "finalizad",
            "concluíd",
            "completat",
            "afgerond",
            "zakończon",
        ],
    ),
    (
        Status::InProcess,
        &[
            "in progress",
            "in-progress",
            "has started",
            "started",
            "commenced",
            "underway",
            "start maintenance",
            "start of maintenance",
            "work start",
            "en cours",
            "en curso",
            "em andamento",
            "in corso",
            "in uitvoering",
            "w toku",
        ],
    ),
    (Status::Tentative, &["tentative", "proposed", "provisional"]),
];

pub(super) const IMPACT: words::Rules<Impact> = &[
    (
        Impact::NoImpact,
        &[
            "no impact",
            "no service impact",
            "non-service affecting",
            "non service affecting",
            "no outage",
            "not service affecting",
            "no interruption",
            "no expected impact",
            "none expected",
            "kein einfluss",
            "keine auswirkung",
            "sin impacto",
            "sem impacto",
            "aucun impact",
            "nessun impatto",
            "geen impact",
        ],
    ),
    (
        Impact::ReducedRedundancy,
        &[
            "redundan",
            "at risk",
            "resilien",
            "protection",
            "redondance",
            "ridondanza",
            "redundância",
        ],
    ),
    (
        Impact::Degraded,
        &[
            "degrad",
            "dégrad",
            "latency",
            "packet loss",
            "beeinträchtig",
        ],
    ),
    (
        Impact::Outage,
        &[
            "outage",
            "down",
            "interruption",
            "loss of service",
            "hit",
            "disruption",
            "unavailab",
            "service affecting",
            "ausfall",
            "unterbrechung",
            "corte",
            "interrupción",
            "interrupção",
            "coupure",
            "interruzione",
            "onderbreking",
        ],
    ),
];

/// Phrases that deny an outage ("no interruption is expected", "the
/// service is not expected to go down"): they do not make a notice an
/// outage, and on their own they mean no impact.
const DENIED_OUTAGE: &[&str] = &[
    "no interruption",
    "no service interruption",
    "no outage",
    "no downtime",
    "without interruption",
    "without any interruption",
    "not expected to go down",
    "will not go down",
    "not be interrupted",
    "no loss of service",
    "keine unterbrechung",
    "kein ausfall",
    "sin corte",
    "sin interrupción",
    "sem interrupção",
    "aucune coupure",
    "aucune interruption",
    "nessuna interruzione",
    "geen onderbreking",
];

/// The impact a piece of text states. Explicit "no impact" wording wins;
/// then lost redundancy, degradation, an outage — an outage the text denies
/// ("loss of redundancy, no interruption expected") is no outage, and a
/// denial alone is no impact. `ambiguous` when more than one impact is
/// still stated.
pub(super) fn classify_impact(text: &str) -> Option<(Impact, bool)> {
    let mut lower = text.to_lowercase();
    let mut denied = false;
    for d in DENIED_OUTAGE {
        if lower.contains(d) {
            denied = true;
            lower = lower.replace(d, " ");
        }
    }
    let stated: Vec<Impact> = IMPACT
        .iter()
        .filter(|(_, ws)| ws.iter().any(|w| lower.contains(w)))
        .map(|(i, _)| *i)
        .collect();
    match stated.first() {
        Some(i) => Some((*i, stated.len() > 1)),
        None if denied => Some((Impact::NoImpact, false)),
        None => None,
    }
}

const MAINT_WORDS: &[&str] = &[
    "maintenance",
    "planned work",
    "scheduled work",
    "planned outage",
    "change window",
    "network work",
    "engineering work",
    "emergency work",
];

static ID_LABEL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?im)\b(?:ticket|reference|ref\.?|maintenance|case|change|event|notification|work order|request|activity|job|pw|crq|chg|r[ée]f[ée]rence|referencia|referência|riferimento|referentie|kenmerk|numer|número|numero|nummer|wartungsnummer|ticketnummer|codice|numer)(?:[ \t]+[\p{L}']+){0,3}?(?:[ \t]*(?:id|number|no\.?|nr\.?|ref(?:erence)?|#))?[ \t]*(?:[:#=]|\t|is\b|\(|[ \t]-[ \t])[ \t#:*]*\n?[ \t]*(?:[A-Z]{2,6}[ \t]+)?(?P<id>[A-Za-z0-9][A-Za-z0-9\-_/.]{1,40}[A-Za-z0-9])")
        .ok()
});

/// A table header cell naming the notice's own reference.
static ID_HEADER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:reference|ref\.?|ticket(?:[ \t]+(?:id|number|no\.?|#))?|(?:maintenance|change|case|event|notification|work[ \t]+order|request)[ \t]+(?:id|number|no\.?|#|ref(?:erence)?)|r[ée]f[ée]rence|referencia|referência|riferimento|referentie|kenmerk)$").ok()
});

/// `change HMT/CR/2025/0318`, `onderhoud WDN-ONH-25-0131`: an id of two or
/// more parts right after a word naming the work.
static ID_INLINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:change|ticket|reference|ref|maintenance|notice|case|event|work\s+order|wartung\w*|onderhoud|mantenimiento|manutenção|manutenzione|travaux|intervención|intervenção|intervento|prace|werkzaamheden|gmud)\s+(?:no\.?\s*|number\s*|nr\.?\s*|#\s*)?(?P<id>[A-Za-z0-9]+(?:[-/_.][A-Za-z0-9]+){1,6})\b").ok()
});

/// Any token of two or more parts with digits and letters (`WDN-ONH-25-0131`).
static ID_TOKEN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(?P<id>[A-Za-z0-9]+(?:[-/_][A-Za-z0-9]+){1,6})\b").ok());

static SUBJECT_ID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?P<id>(?:[A-Za-z0-9]{1,10}[-_])*(?:[A-Za-z]{1,10}[-_]?\d{3,}|\d{5,})[A-Za-z0-9\-_]*)\b").ok()
});

/// A token that could be an identifier: 3–60 characters of letters, digits
/// and `-_/.:`, at least one digit, not a date or a time.
fn id_shaped(t: &str) -> bool {
    let n = t.chars().count();
    (3..=60).contains(&n)
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/.:".contains(c))
        && !t.contains(':')
        && !looks_like_date(t)
        && !looks_like_phone(t)
        && !looks_like_bandwidth(t)
}

/// A bandwidth or port speed (`10G`, `100G`, `1GE`, `500M`, `10GE`).
pub(super) fn looks_like_bandwidth(t: &str) -> bool {
    static BW: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?i)^\d+(?:[.,]\d+)?(?:[gmkt](?:e|b|bps|bit|bit/s|ig)?)$").ok()
    });
    BW.as_ref().is_some_and(|r| r.is_match(t))
}

/// A North American phone number (`1-800-555-0147`, `555.010.4477`): in a
/// signature, not a circuit.
fn looks_like_phone(t: &str) -> bool {
    static PHONE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"^\+?(?:1[-.])?\d{3}[-.]\d{3}[-.]\d{4}$").ok());
    PHONE.as_ref().is_some_and(|r| r.is_match(t))
}

fn looks_like_date(t: &str) -> bool {
    static DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"^(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}[:.]\d{2}|(?:19|20)\d{2}|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])(?:T\d{4,6})?|(?i:\d{1,2}[-/ ]?)?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-/ ]?\d{2,4})$").ok()
    });
    DATE.as_ref().is_some_and(|r| r.is_match(t))
}

fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| !c.is_ascii_alphanumeric())
}

/// Whether `id` occurs in `text` as a whole token (not inside a longer id).
fn has_token(text: &str, id: &str) -> bool {
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    text.match_indices(id).any(|(i, _)| {
        edge(text.get(..i).and_then(|b| b.chars().next_back()))
            && edge(text.get(i + id.len()..).and_then(|a| a.chars().next()))
    })
}

/// Words that make a labelled value something other than the notice's id
/// (`Maintenance Address: Location1`, `Notification CID: X`).
const NOT_ID_LABEL: &[&str] = &[
    "address",
    "location",
    "duration",
    "reason",
    "description",
    "impact",
    "type",
    "status",
    "cid",
    "circuit",
    "name",
    "contact",
    "phone",
    "email",
    "site",
    "customer",
    "cliente",
    "client",
    "klant",
    "kunde",
    "klienta",
    "account",
    "circuito",
    "leitung",
];

/// The notice's reference: candidates next to id labels in the body and
/// the subject, and id-shaped tokens of the subject; one the subject and
/// the body both carry beats one that only a label in the body names.
fn find_id(
    subject: &str,
    body: &str,
    not: &[String],
    ev: &mut Vec<Evidence>,
) -> (Option<String>, f64) {
    let usable = |t: &str| id_shaped(t) && !not.iter().any(|n| n == t);
    // (id, source, score, confidence)
    let mut cands: Vec<(String, String, u32, f64)> = Vec::new();
    if let Some(re) = ID_LABEL.as_ref() {
        for (text, in_subject) in [(body, false), (subject, true)] {
            for c in re.captures_iter(text) {
                let (Some(m), Some(all)) = (c.name("id"), c.get(0)) else {
                    continue;
                };
                let label = all
                    .as_str()
                    .get(..m.start().saturating_sub(all.start()))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if !usable(m.as_str()) || NOT_ID_LABEL.iter().any(|w| label.contains(w)) {
                    continue;
                }
                let id = m.as_str().to_string();
                let both = if in_subject {
                    has_token(body, &id)
                } else {
                    has_token(subject, &id)
                };
                let source = if in_subject {
                    format!("subject: {subject}")
                } else {
                    all.as_str().trim().to_string()
                };
                cands.push((id, source, 2 + 2 * u32::from(both), 0.2));
            }
        }
    }
    // under a `Reference` / `Ticket` header: alone on its line with the id on
    // the next (a key/value table rendered one cell per line), or a cell of
    // a summary table with the id in the cell below; one pass over the lines,
    // the first kind ranked before the second as they come
    if let Some(head) = ID_HEADER.as_ref() {
        let lines: Vec<&str> = body.lines().collect();
        let (mut below, mut in_table) = (Vec::new(), Vec::new());
        for (i, line) in lines.iter().enumerate() {
            if head.is_match(line.trim().trim_end_matches(':').trim_end())
                && let Some(next) = lines
                    .iter()
                    .skip(i + 1)
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty())
                && usable(next)
            {
                below.push((next.to_string(), format!("{} / {next}", line.trim())));
            }
            if !line.contains('\t') {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let (Some(col), Some(next)) = (
                cells.iter().position(|c| head.is_match(c)),
                lines.get(i + 1),
            ) else {
                continue;
            };
            let row: Vec<&str> = next.split('\t').map(str::trim).collect();
            if let Some(v) = row.get(col).filter(|v| row.len() >= 2 && usable(v)) {
                in_table.push((v.to_string(), format!("{line} / {next}")));
            }
        }
        for (id, source) in below.into_iter().chain(in_table) {
            let both = has_token(subject, &id);
            cands.push((id, source, 2 + 2 * u32::from(both), 0.2));
        }
    }
    for (text, in_subject) in [(subject, true), (body, false)] {
        for c in ID_INLINE.iter().flat_map(|r| r.captures_iter(text)) {
            if let Some(m) = c.name("id")
                && usable(m.as_str())
                && m.as_str().chars().filter(char::is_ascii_digit).count() >= 3
            {
                let id = m.as_str().to_string();
                let both = if in_subject {
                    has_token(body, &id)
                } else {
                    has_token(subject, &id)
                };
                cands.push((
                    id,
                    c.get(0).map_or("", |m| m.as_str()).to_string(),
                    1 + 2 * u32::from(both),
                    0.15,
                ));
            }
        }
    }
    for c in ID_TOKEN.iter().flat_map(|r| r.captures_iter(subject)) {
        if let Some(m) = c.name("id")
            && usable(m.as_str())
            && m.as_str().chars().filter(char::is_ascii_digit).count() >= 3
            && m.as_str().chars().filter(char::is_ascii_alphabetic).count() >= 2
            && has_token(body, m.as_str())
        {
            cands.push((
                m.as_str().to_string(),
                format!("subject: {subject}"),
                1,
                0.12,
            ));
        }
    }
    if let Some(re) = SUBJECT_ID.as_ref() {
        for c in re.captures_iter(subject) {
            if let Some(m) = c.name("id")
                && usable(m.as_str())
            {
                let id = m.as_str().to_string();
                let score = 1 + u32::from(id.len() >= 5 && has_token(body, &id));
                cands.push((id, format!("subject: {subject}"), score, 0.12));
            }
        }
    }
    // the first of the best
    let mut best: Option<(String, String, u32, f64)> = None;
    // (a tie goes to the id with letters in it: `PW-CHG-000184552`, not a
    // ticket system's `#184552`)
    let rank = |c: &(String, String, u32, f64)| {
        (
            c.2,
            u32::from(c.0.chars().any(|ch| ch.is_ascii_alphabetic())),
        )
    };
    for c in cands {
        if best.as_ref().is_none_or(|b| rank(&c) > rank(b)) {
            best = Some(c);
        }
    }
    match best {
        Some((id, source, _, conf)) => {
            ev.push(Evidence {
                field: "maintenance_id",
                value: id.clone(),
                source,
            });
            (Some(id), conf)
        }
        None => (None, 0.0),
    }
}

static TITLE_STATUS: LazyLock<[(Status, Option<Regex>); 3]> = LazyLock::new(|| {
    [
        (
            Status::Cancelled,
            Regex::new(r"(?i)\b(?:cancel\w*|withdrawn)\b").ok(),
        ),
        (
            Status::Rescheduled,
            Regex::new(r"(?i)\b(?:reschedul\w*|re-schedul\w*|postpone\w*|updated?|amend\w*|revised|modified)\b").ok(),
        ),
        (
            Status::Completed,
            Regex::new(r"(?i)\b(?:complet(?:ed|ion)|end|ended|over|closed|finished)\b").ok(),
        ),
    ]
});

/// The status a title line names as a whole word.
fn title_status(line: &str) -> Option<Status> {
    let s = TITLE_STATUS
        .iter()
        .find(|(_, re)| re.as_ref().is_some_and(|r| r.is_match(line)))
        .map(|(s, _)| *s)?;
    // "Your request (#184552) has been updated": a ticket system's words
    // about itself, not about the work
    let l = line.to_ascii_lowercase();
    if s == Status::Rescheduled
        && l.contains("updated")
        && (l.contains("request") || l.contains("ticket"))
        && !MAINT_WORDS.iter().any(|w| l.contains(w))
    {
        return None;
    }
    Some(s)
}

fn find_status(subject: &str, body: &str, ev: &mut Vec<Evidence>) -> (Status, f64) {
    // lower-cased here, not only ASCII: "REPORTÉS", "ANULADO"
    if let Some(s) = words::first(&subject.to_lowercase(), STATUS_STRONG) {
        ev.push(Evidence {
            field: "status",
            value: s.to_string(),
            source: format!("subject: {subject}"),
        });
        return (s, 0.05);
    }
    if let Some(v) = text::label_value(body, &["status", "maintenance status", "notification type"])
        && let Some(s) = words::first(&v, STATUS_STRONG)
    {
        ev.push(Evidence {
            field: "status",
            value: s.to_string(),
            source: v,
        });
        return (s, 0.05);
    }
    // a title line at the top of the body says what the notice is
    // ("Maintenance Update", "Maintenance End")
    for line in body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(2)
    {
        if line.len() <= 80
            && let Some(s) = title_status(line)
        {
            ev.push(Evidence {
                field: "status",
                value: s.to_string(),
                source: format!("title: {line}"),
            });
            return (s, 0.04);
        }
    }
    // the body's first paragraphs only: boilerplate further down ("should
    // the work be cancelled…") is not the notice's status
    let head: String = body.lines().take(15).collect::<Vec<_>>().join("\n");
    const BODY: words::Rules<Status> = &[
        (
            Status::Cancelled,
            &[
                "has been cancelled",
                "has been canceled",
                "is cancelled",
                "cancellation",
                "not completed",
                "will not take place",
                "will not go ahead",
                "stands as cancelled",
                "stands as canceled",
                "has been withdrawn",
            ],
        ),
        (
            Status::Rescheduled,
            &[
                "has been rescheduled",
                "has been postponed",
                "rescheduled",
                "has been amended",
                // the first window is over and the work moves to the
                // alternate (backup) one: the notice reschedules it
                "performed during the alternate",
                "performed on the alternate",
                "moved to the alternate",
                "moved to the backup",
                "postponed",
                "verschoben",
                "reprogramad",
                "reporté",
                "uitgesteld",
                "verplaatst",
                "rinviat",
                "riprogrammat",
                "adiad",
                "przełożon",
            ],
        ),
        (
            Status::Completed,
            &[
                "has been completed",
                "was completed",
                "successfully completed",
                "completed successfully",
                "is now over",
                "has ended",
                "have been completed",
            ],
        ),
        (
            Status::InProcess,
            &["has started", "is in progress", "has begun"],
        ),
    ];
    if let Some(s) = words::first(&head, BODY) {
        ev.push(Evidence {
            field: "status",
            value: s.to_string(),
            source: "body wording".into(),
        });
        return (s, 0.03);
    }
    (Status::Confirmed, 0.0)
}

/// Words that, in a line's key (`Expected Customer Impact:`, `影響 /
/// Impact<TAB>`, `Wpływ na usługę:`), mark the line as the impact statement.
const IMPACT_KEYS: &[&str] = &[
    "impact",
    "outage type",
    "auswirkung",
    "impacto",
    "impatto",
    "wpływ",
    "gevolgen",
    "effect on service",
    "afectaci",
    "afetaç",
    "conséquence",
];

/// The values of the lines whose key names the impact, each with the lines
/// that continue it (a sentence wrapped onto the next lines), up to a blank
/// line or the next `Label:` line. A key is the text before a `:` or a tab,
/// at most 40 characters, or a short line of its own with the value on the
/// next line (a key/value table rendered one cell per line).
fn impact_paragraphs(body: &str) -> Vec<String> {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        // a summary table: the cell under an `Impact` header cell
        if l.contains('\t') && !l.chars().any(|c| c.is_ascii_digit()) {
            let cells: Vec<&str> = l.split('\t').map(str::trim).collect();
            let row: Vec<&str> = lines
                .get(i + 1)
                .map(|n| n.split('\t').map(str::trim).collect())
                .unwrap_or_default();
            if let Some(col) = cells.iter().position(|c| {
                let c = c.to_lowercase();
                c.chars().count() <= 30 && IMPACT_KEYS.iter().any(|k| c.contains(k))
            }) && cells.iter().filter(|c| !c.is_empty()).count() >= 3
                && let Some(v) = row.get(col).filter(|v| !v.is_empty())
            {
                out.push((*v).to_string());
                continue;
            }
        }
        let t = l
            .trim_start_matches(|c: char| c.is_whitespace() || c == '>' || c == '*')
            .trim_end();
        let cut = [t.find(':'), t.find('\t')]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(t.len());
        let Some(key) = t.get(..cut).map(str::to_lowercase) else {
            continue;
        };
        if key.chars().count() > 40 || !IMPACT_KEYS.iter().any(|k| key.contains(k)) {
            continue;
        }
        let value = t
            .get(cut..)
            .unwrap_or("")
            .trim_start_matches(|c: char| c == ':' || c == '\t' || c.is_whitespace())
            .trim();
        let (at, mut text) = if value.is_empty() {
            let Some((j, next)) = lines
                .iter()
                .enumerate()
                .skip(i + 1)
                .take(2)
                .find(|(_, l)| !l.trim().is_empty())
            else {
                continue;
            };
            (j, next.trim().to_string())
        } else {
            (i, value.to_string())
        };
        for l in lines.iter().skip(at + 1).take(6) {
            let t = l.trim();
            let label_like = t
                .split_once(':')
                .is_some_and(|(head, _)| head.len() <= 40 && !head.trim().contains(". "));
            if t.is_empty() || label_like || t.contains('\t') {
                break;
            }
            text.push(' ');
            text.push_str(t);
        }
        out.push(text);
    }
    out
}

/// Hedged wording ("Potential Service Affecting", "may see a brief hit"):
/// a definite statement elsewhere in the notice wins over it.
fn hedged(text: &str) -> bool {
    let l = text.to_lowercase();
    [
        "potential",
        "possible",
        "possibly",
        "may ",
        "might",
        "could",
        "risk of",
    ]
    .iter()
    .any(|h| l.contains(h))
}

/// The impact an impact label's value (or an impact cell) states: a
/// one-word "none" (`None - diverse path`, `brak - …`), else its wording.
pub(super) fn impact_value(v: &str) -> Option<(Impact, bool)> {
    let head = v
        .split([' ', '-', '–', ',', ';', '.', '(', ':'])
        .find(|w| !w.is_empty())
        .unwrap_or("");
    // "None - diverse path" (a separator after the word), not "Brak
    // usługi" ("lack of service")
    let after = v.trim_start().get(head.len()..).unwrap_or("").trim_start();
    let explained = after.is_empty() || after.starts_with(['-', '–', ',', ';', '.', '(', ':']);
    if words::whole(v, NONE_WORDS)
        || explained && words::whole(head, NONE_WORDS) && !head.eq_ignore_ascii_case("no")
    {
        Some((Impact::NoImpact, false))
    } else {
        classify_impact(v)
    }
}

/// Values that state no impact in one word, possibly followed by an
/// explanation (`brak - prace nie powinny…`, `None – traffic is rerouted`).
const NONE_WORDS: &[&str] = &[
    "none", "nil", "n/a", "no", "keine", "keiner", "ninguno", "ninguna", "nenhum", "nenhuma",
    "aucun", "aucune", "nessuno", "geen", "brak",
];

fn find_impact(body: &str, ev: &mut Vec<Evidence>) -> Impact {
    // the impact found, with the text that said it
    fn said(ev: &mut Vec<Evidence>, i: Impact, source: impl Into<String>) -> Impact {
        ev.push(Evidence {
            field: "impact",
            value: i.to_string(),
            source: source.into(),
        });
        i
    }
    let stated: Vec<(String, Impact)> = impact_paragraphs(body)
        .into_iter()
        .filter_map(|v| impact_value(&v).map(|(i, _)| (v, i)))
        .collect();
    let labelled = stated
        .iter()
        .find(|(v, _)| !hedged(v))
        .or(stated.first())
        .cloned();
    if let Some((v, i)) = labelled {
        return said(ev, i, v);
    }
    // free wording: only the plain phrases, redundancy and degradation
    // words are too common in boilerplate to mean anything on their own
    const BODY_IMPACT: words::Rules<Impact> = &[
        (
            Impact::NoImpact,
            &[
                "no impact",
                "no service impact",
                "non-service affecting",
                "non service affecting",
                "not service affecting",
                "no expected impact",
            ],
        ),
        (
            Impact::Outage,
            &["outage", "interruption", "loss of service", "down"],
        ),
    ];
    // a sentence that denies an outage says what the impact is instead
    // ("loss of redundancy, no outage expected")
    let joined: String = body
        .split("\n\n")
        .map(|p| p.replace('\n', " "))
        .collect::<Vec<_>>()
        .join("\n");
    for sentence in joined.split('\n').flat_map(|s| s.split(". ")) {
        let l = sentence.to_lowercase();
        if DENIED_OUTAGE.iter().any(|d| l.contains(d))
            && let Some((i, false)) = classify_impact(sentence)
        {
            return said(ev, i, sentence.trim());
        }
    }
    let mut undenied = body.to_lowercase();
    for d in DENIED_OUTAGE {
        undenied = undenied.replace(d, " ");
    }
    if let Some(i) = words::first(&undenied, BODY_IMPACT) {
        return said(ev, i, "body wording");
    }
    // no outage word anywhere: a plain statement of lost redundancy or of
    // degradation is the impact ("your wavelengths will run unprotected
    // (loss of redundancy)")
    const BODY_SOFT: words::Rules<Impact> = &[
        (
            Impact::ReducedRedundancy,
            &[
                "loss of redundancy",
                "loss of resilience",
                "reduced redundancy",
                "without redundancy",
                "run unprotected",
                "unprotected during",
                "loss of diversity",
            ],
        ),
        (
            Impact::Degraded,
            &[
                "degraded service",
                "service degradation",
                "intermittent packet loss",
            ],
        ),
    ];
    if let Some(i) = words::first(&undenied, BODY_SOFT) {
        return said(ev, i, "body wording");
    }
    Impact::Outage
}

/// The text with `Label` / `:` / `value` written on three lines (a
/// two-column table flattened by a mail client) joined into `Label:\tvalue`,
/// and a circuit table flattened to one cell per line rebuilt as rows.
fn tidy(text: &str) -> String {
    // "Reference ..........: X", "GMUD ......... X": dot leaders are a colon
    let led;
    let text = match DOT_LEADER.as_ref() {
        Some(r) if r.is_match(text) => {
            led = r.replace_all(text, ":\t").into_owned();
            led.as_str()
        }
        _ => text,
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 1);
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        if let Some((rows, n)) = circuits::vertical_table(&lines, i) {
            out.push_str(&rows);
            i += n;
            continue;
        }
        if let (Some(colon), Some(value)) = (lines.get(i + 1), lines.get(i + 2))
            && colon.trim() == ":"
            && !line.trim().is_empty()
        {
            out.push_str(line.trim_end());
            out.push_str(":\t");
            out.push_str(value.trim());
            out.push('\n');
            i += 3;
            continue;
        }
        // an ASCII-art table: `| a | b |` rows become tab-separated cells,
        // `+----+----+` rules go
        let t = line.trim();
        if t.starts_with('+') && t.ends_with('+') && t.chars().all(|c| "+-=| ".contains(c)) {
            i += 1;
            continue;
        }
        if t.len() > 2 && t.starts_with('|') && t.ends_with('|') {
            let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
            i += 1;
            continue;
        }
        // `Affected service | X`: a pipe between cells is a tab
        if t.contains(" | ") {
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(indent);
            out.push_str(&t.split(" | ").map(str::trim).collect::<Vec<_>>().join("\t"));
            out.push('\n');
            i += 1;
            continue;
        }
        // a table aligned with spaces (two or more gaps of 2+ spaces
        // between words, or one gap on each of two lines running
        // together): the gaps become tabs
        let gaps = |l: &str| {
            SPACED_COLUMNS
                .as_ref()
                .map_or(0, |r| r.find_iter(l.trim()).count())
        };
        let block = gaps(t) == 1
            && (lines.get(i + 1).is_some_and(|n| gaps(n) >= 1)
                || i > 0 && lines.get(i - 1).is_some_and(|p| gaps(p) >= 1));
        if gaps(t) >= 2 || block {
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(indent);
            out.push_str(
                &SPACE_GAP
                    .as_ref()
                    .map_or_else(|| t.to_string(), |r| r.replace_all(t, "\t").into_owned()),
            );
            out.push('\n');
            i += 1;
            continue;
        }
        out.push_str(line);
        out.push('\n');
        i += 1;
    }
    out
}

/// A run of dots between a label and its value.
static DOT_LEADER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[ \t]*\.{3,}[ \t]*:?[ \t]*").ok());

/// A gap of two or more spaces between two non-space characters.
static SPACED_COLUMNS: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\S {2,}\S").ok());
static SPACE_GAP: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r" {2,}").ok());

/// Read `email` without knowing its carrier.
///
/// Returns [`Error::NotMaintenance`] only when the mail has neither a window
/// nor any maintenance wording; otherwise a result, possibly empty or with a
/// low confidence, for the caller to judge with [`GenericResult::is_confident`].
pub fn parse(email: &Email, inv: &Inventory, _opts: &Options) -> Result<GenericResult> {
    let subject = email.subject.as_str();
    // A BCOP calendar is a standard, not a vendor: when one is attached it
    // says everything, field by field.
    if !email.calendars().is_empty()
        && let Ok(ms) = crate::vendors::bcop::parse_calendars(email)
        && !ms.is_empty()
    {
        let evidence = ms
            .iter()
            .map(|m| Evidence {
                field: "calendar",
                value: m.maintenance_id.clone(),
                source: "BCOP iCalendar (X-MAINTNOTE-*)".into(),
            })
            .collect();
        let maintenances = ms
            .into_iter()
            .map(|mut m| {
                m.provider = PROVIDER.to_string();
                m
            })
            .collect();
        return Ok(GenericResult {
            maintenances,
            confidence: 0.95,
            evidence,
        });
    }
    // The HTML rendered as text first (table rows stay on one line), else
    // the plain text: the first that gives a window is read for every field.
    let html = if email.html_sources().is_empty() {
        String::new()
    } else {
        tidy(&email.html_text())
    };
    let html_found = if html.trim().is_empty() {
        Vec::new()
    } else {
        windows::find_all_in(&html, subject, email.date)
    };
    let html_wins = windows::pair(&html_found);
    let (mut body_owned, mut wins) = if html_wins.is_empty() {
        let plain = tidy(email.text());
        let plain_found = windows::find_all_in(&plain, subject, email.date);
        let plain_wins = windows::pair(&plain_found);
        // no written end: a begin plus a stated duration
        if !plain_wins.is_empty() {
            (plain, plain_wins)
        } else if let Some(w) = windows::from_duration(&html_found, &html) {
            (html, vec![w])
        } else if let Some(w) = windows::from_duration(&plain_found, &plain) {
            (plain, vec![w])
        } else {
            (plain, plain_wins)
        }
    } else {
        (html, html_wins)
    };
    // CSV/XLSX attachments are tables like any other: their rows join the
    // text, cells tab-separated, for the circuit and account columns.
    if let Ok(tables) = crate::helpers::sheets::tables(email) {
        for t in tables {
            body_owned.push('\n');
            for row in &t.rows {
                body_owned.push_str(&row.join("\t"));
                body_owned.push('\n');
            }
        }
    }
    let body = body_owned.as_str();
    let mut ev: Vec<Evidence> = Vec::new();
    let mut confidence = 0.0;

    if wins.is_empty() {
        wins = windows::pair(&windows::find_all(subject));
    }
    // a time written in UTC beats one that only borrows the notice's zone
    // (an untranslated "local" line), and a backup date is no maintenance
    // of its own while a first date is given
    if wins.iter().any(|w| w.utc && !w.inferred) {
        wins.retain(|w| !w.inferred);
    }
    if wins.iter().any(|w| !w.backup) {
        wins.retain(|w| !w.backup);
    }
    let lower_all = format!("{subject}\n{body}").to_ascii_lowercase();
    let maint_word = MAINT_WORDS.iter().any(|w| lower_all.contains(w));
    if wins.is_empty() && !maint_word {
        return Err(Error::not_maintenance(
            "no maintenance wording and no date-time range",
        ));
    }
    if maint_word {
        confidence += 0.1;
    }

    let (status, c) = find_status(subject, body, &mut ev);
    confidence += c;

    if let Some(w) = wins.first() {
        confidence += 0.3;
        if w.zoned {
            confidence += 0.1;
        }
        if w.labelled {
            confidence += 0.05;
        }
    } else if status == Status::Cancelled {
        confidence += 0.2;
    }
    for w in &wins {
        ev.push(Evidence {
            field: "window",
            value: format!(
                "{} / {}",
                w.window.begin().to_rfc3339(),
                w.window.end().to_rfc3339()
            ),
            source: w.evidence.clone(),
        });
    }

    // an outage length stated beside a written-out window is the impact's
    // length, not the window
    let impact_seconds = wins
        .first()
        .filter(|w| !w.from_duration)
        .and_then(|w| windows::outage_within(body, &w.window));
    if let Some(d) = &impact_seconds {
        ev.push(Evidence {
            field: "impact_seconds",
            value: d.seconds.to_string(),
            source: d.text.clone(),
        });
    }

    let impact = find_impact(body, &mut ev);
    let mut circuits = circuits::from_inventory(inv, body);
    if !circuits.is_empty() {
        confidence += 0.25;
    } else {
        circuits = circuits::labelled(body);
        if circuits.iter().any(|c| !c.weak) {
            confidence += if inv.is_empty() { 0.2 } else { 0.1 };
        } else if !circuits.is_empty() {
            confidence += 0.05;
        }
    }
    circuits::row_impacts(body, &mut circuits);
    {
        let mut sources = email.html_sources();
        sources.push(email.text());
        for c in &mut circuits {
            if inv.lookup(&c.id).is_none()
                && let Some(raw) = circuits::as_written(&c.id, &sources)
            {
                c.id = raw;
            }
        }
    }
    for c in &circuits {
        ev.push(Evidence {
            field: "circuit",
            value: c.id.clone(),
            source: c.source.clone(),
        });
        if let Some(i) = c.impact {
            ev.push(Evidence {
                field: "impact",
                value: format!("{}: {i}", c.id),
                source: c.source.clone(),
            });
        }
    }
    let circuit_ids: Vec<String> = circuits.iter().map(|c| c.id.clone()).collect();
    let (id, c) = find_id(subject, body, &circuit_ids, &mut ev);
    confidence += c;

    let no_circuits = circuits.is_empty();
    let weak_circuits = !no_circuits && circuits.iter().all(|c| c.weak);
    let unsure_impact = circuits.iter().any(|c| c.ambiguous);
    let have_id = id.is_some();
    let mut m = Maintenance::new(PROVIDER);
    m.status = status;
    m.account = account::find(subject, body, &mut ev);
    m.circuits = circuits
        .into_iter()
        .map(|c| CircuitImpact::new(c.id, c.impact.unwrap_or(impact)))
        .collect();
    m.stamp = email.date;
    m.impact_seconds = impact_seconds.map(|d| d.seconds);
    m.summary = subject.trim().to_string();
    m.organizer = email.sender_address().to_string();
    m.maintenance_id = match id {
        Some(id) => id,
        None => {
            let begin = wins
                .first()
                .map(|w| w.window.begin().to_rfc3339())
                .unwrap_or_default();
            let domain = email.from.as_ref().map(|f| f.domain()).unwrap_or_default();
            derive_id(PROVIDER, &[&domain, subject, &begin])
        }
    };
    let maintenances = if wins.is_empty() {
        if status == Status::Cancelled {
            vec![m]
        } else {
            Vec::new()
        }
    } else {
        crate::helpers::maint::per_window(m, wins.iter().map(|w| w.window).collect())
    };
    // Caps: a result missing one of the facts a forecast needs is never
    // confident, however well the rest reads.
    let mut confidence: f64 = confidence;
    if maintenances.is_empty() {
        confidence = confidence.min(0.3);
    }
    if no_circuits {
        confidence = confidence.min(0.5);
    }
    if weak_circuits || unsure_impact {
        confidence = confidence.min(0.55);
    }
    if !have_id {
        confidence = confidence.min(0.55);
    }
    if wins.iter().any(|w| !w.zoned) {
        confidence = confidence.min(0.5);
    }
    // a window read with a guess (its evidence says which) is for a human
    if wins.iter().any(|w| !w.guesses.is_empty()) {
        confidence = confidence.min(0.55);
    }
    Ok(GenericResult {
        maintenances,
        confidence: (confidence * 100.0).round() / 100.0,
        evidence: ev,
    })
}

/// Decode untrusted bytes and run the generic parser on them (with a small
/// inventory, so that path runs too), then check what comes out: every
/// maintenance conformant, the confidence a number in 0..=1, evidence for
/// every result, and parsing twice gives the same. Returns the violations
/// (empty when all hold, or when the bytes are no mail or no maintenance).
/// The `generic` fuzz target and a corpus test call this; it never panics.
pub fn check_bytes(raw: &[u8]) -> Vec<String> {
    let Ok(email) = Email::parse(raw) else {
        return Vec::new();
    };
    let inv = Inventory::new(["IC-99999", "1234567-10987654", "123 456 789"]);
    let opts = Options::default();
    let Ok(r) = parse(&email, &inv, &opts) else {
        return Vec::new();
    };
    let mut out: Vec<String> = r
        .maintenances
        .iter()
        .flat_map(|m| m.conformance())
        .map(|v| format!("generic: {v}"))
        .collect();
    if !(0.0..=1.0).contains(&r.confidence) {
        out.push(format!(
            "generic: confidence {} outside 0..=1",
            r.confidence
        ));
    }
    if !r.maintenances.is_empty() && r.evidence.is_empty() {
        out.push("generic: a result without evidence".into());
    }
    if parse(&email, &inv, &opts).ok().as_ref() != Some(&r) {
        out.push("generic: parsing twice gave different results".into());
    }
    out
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests;
