//! The pipeline: record → route → parse → match circuits → store → label.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use mnp_core::{Email, Error as ParseError, Maintenance, Registry, Status};
use mnp_store::{ForecastEvent, NewNotification, Store};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::Result;
use crate::lifecycle::{self, Decision, Version};
use crate::source::{Label, Message, Outcome, Source};

/// What happened to one message.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Row id in `MaintNotification`.
    pub notification_id: i64,
    /// The label.
    pub label: Label,
    /// Vendor id when routed.
    pub vendor: Option<String>,
    /// Human summary (also the helpdesk comment).
    pub summary: String,
    /// True when the message had already been processed (nothing changed).
    pub duplicate: bool,
    /// Maintenances stored (revised or new).
    pub stored: usize,
    /// Carrier circuit ids not found in the inventory.
    pub unknown_circuits: Vec<String>,
}

impl Processed {
    /// The outcome to record at the source.
    pub fn outcome(&self) -> Outcome {
        Outcome {
            label: self.label,
            vendor: self.vendor.clone(),
            summary: self.summary.clone(),
        }
    }
}

/// Counters of one run over a source.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunStats {
    /// Messages seen.
    pub seen: usize,
    /// Already processed before (only re-labelled).
    pub duplicates: usize,
    /// Per label.
    pub labels: BTreeMap<String, usize>,
    /// Outcomes that could not be recorded at the source (will be retried).
    pub record_errors: usize,
}

/// What a [`Fallback`] reader made of a mail no vendor parser claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The maintenances it read (provider is the fallback's name).
    pub maintenances: Vec<Maintenance>,
    /// 0..=1: how sure the reader is.
    pub confidence: f64,
    /// Which text produced each field, one line per field (`window: ... ← "..."`).
    pub evidence: Vec<String>,
}

/// A reader of last resort for mail that routes to no vendor (in practice
/// `mnp_parsers::generic`; this crate does not depend on the parsers).
///
/// The pipeline gives it the circuit ids of the inventory, so it can prefer
/// ids the operator knows. Its result is used as a forecast only when it is
/// confident enough *and* its circuits are found in the inventory under one
/// vendor; otherwise the mail is labelled for a human with the suggestion and
/// its evidence in the summary — a guess is never stored as a fact.
pub trait Fallback: Send {
    /// The reader's name, shown in summaries (`generic`).
    fn name(&self) -> &str;
    /// Read the mail; `None` when it found nothing that looks like a notice.
    fn suggest(&self, email: &Email, known_circuits: &[String]) -> Option<Suggestion>;
}

/// The ingest pipeline: a registry and a store.
pub struct Pipeline {
    registry: Registry,
    store: Store,
    fallback: Option<(Box<dyn Fallback>, f64)>,
}

fn sha256_hex(raw: &[u8]) -> String {
    hex::encode(Sha256::digest(raw))
}

fn fmt_window(m: &Maintenance) -> String {
    match m.window {
        Some(w) => format!(
            "{} – {}",
            w.begin().format("%Y-%m-%d %H:%MZ"),
            w.end().format("%Y-%m-%d %H:%MZ")
        ),
        None => "no window".into(),
    }
}

impl Pipeline {
    /// A pipeline over a registry and an (already migrated) store.
    pub fn new(registry: Registry, store: Store) -> Pipeline {
        Pipeline {
            registry,
            store,
            fallback: None,
        }
    }

    /// Read unrouted mail with `fallback`; results at or above
    /// `min_confidence` (0..=1) whose circuits the inventory knows are stored
    /// under that circuits' vendor, everything else goes to a human.
    pub fn with_fallback(mut self, fallback: Box<dyn Fallback>, min_confidence: f64) -> Pipeline {
        self.fallback = Some((fallback, min_confidence));
        self
    }

    /// The store.
    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Process one message in one transaction. Idempotent: a message already
    /// recorded (same SHA-256, or same Message-ID) changes nothing, unless
    /// its earlier outcome was a failure awaiting a human, in which case it is
    /// parsed again (a fixed or newly added parser clears the dead-letter
    /// queue).
    pub fn process(&mut self, msg: &Message) -> Result<Processed> {
        let sha = sha256_hex(&msg.raw);
        let email = Email::parse(&msg.raw);
        let message_id = email.as_ref().ok().and_then(|e| e.message_id.clone());
        let registry = &self.registry;
        let fallback = self.fallback.as_ref().map(|(f, m)| (f.as_ref(), *m));
        self.store
            .transaction(|store| {
                let existing = store.find_notification(message_id.as_deref(), &sha)?;
                let notification_id = match &existing {
                    Some(n) => {
                        let label = Label::from_name(&n.label);
                        if !label.is_some_and(Label::needs_human) {
                            return Ok(Processed {
                                notification_id: n.notification_id,
                                label: label.unwrap_or(Label::MaintParseException),
                                vendor: n.vendor_id.clone(),
                                summary: format!(
                                    "already processed as notification {}",
                                    n.notification_id
                                ),
                                duplicate: true,
                                stored: 0,
                                unknown_circuits: Vec::new(),
                            });
                        }
                        n.notification_id
                    }
                    None => store.insert_notification(&NewNotification {
                        helpdesk_ticket_id: msg.r#ref.ticket_id.clone(),
                        message_id: message_id.clone(),
                        sha256: sha.clone(),
                        sender: email
                            .as_ref()
                            .map(|e| e.sender_address().to_string())
                            .unwrap_or_default(),
                        subject: email
                            .as_ref()
                            .map(|e| e.subject.clone())
                            .unwrap_or_default(),
                        received_at: msg.received_at.unwrap_or_else(Utc::now),
                        source: msg.origin.clone(),
                        raw: msg.raw.clone(),
                    })?,
                };
                let mut p = match &email {
                    Err(e) => failed(notification_id, None, Label::MaintParseException, e),
                    Ok(email) => match registry.parse(email, None) {
                        Err(e) if e.is_not_maintenance() => {
                            let vendor = parser_of(&e);
                            Processed {
                                notification_id,
                                label: Label::MaintIgnored,
                                summary: format!("ignored: {e}"),
                                vendor,
                                duplicate: false,
                                stored: 0,
                                unknown_circuits: Vec::new(),
                            }
                        }
                        Err(e @ ParseError::Unrouted { .. }) => match fallback {
                            None => failed(notification_id, None, Label::MaintUnknownVendor, &e),
                            Some((f, min)) => {
                                read_unrouted(store, notification_id, f, min, email, msg, &e)?
                            }
                        },
                        Err(e) => failed(
                            notification_id,
                            parser_of(&e),
                            Label::MaintParseException,
                            &e,
                        ),
                        Ok(parsed) => store_parsed(
                            store,
                            notification_id,
                            &parsed.parser,
                            parsed.maintenances,
                            email,
                            msg,
                        )?,
                    },
                };
                let error = p.label.needs_human().then(|| p.summary.clone());
                store.set_label(
                    notification_id,
                    p.label.as_str(),
                    p.vendor.as_deref(),
                    error.as_deref(),
                )?;
                p.duplicate = false;
                Ok(p)
            })
            .map_err(Into::into)
    }

    /// Process everything a source has pending and record each outcome
    /// there. Stops at the first database or source read error (nothing is
    /// lost: unprocessed messages stay pending); an outcome that cannot be
    /// recorded at the source is counted and retried on the next run.
    pub fn run(&mut self, source: &mut dyn Source) -> Result<RunStats> {
        let mut stats = RunStats::default();
        for r in source.pending()? {
            let msg = source.read(&r)?;
            let p = self.process(&msg)?;
            stats.seen += 1;
            if p.duplicate {
                stats.duplicates += 1;
            }
            *stats
                .labels
                .entry(p.label.as_str().to_string())
                .or_default() += 1;
            if let Err(e) = source.record(&r, &p.outcome()) {
                tracing::warn!(source = %source.describe(), message = %r.key, error = %e, "could not record the outcome at the source; will retry");
                stats.record_errors += 1;
            }
        }
        Ok(stats)
    }
}

/// An unrouted mail through the fallback reader (see [`Fallback`]).
fn read_unrouted(
    store: &mut Store,
    notification_id: i64,
    f: &dyn Fallback,
    min_confidence: f64,
    email: &Email,
    msg: &Message,
    unrouted: &ParseError,
) -> mnp_store::Result<Processed> {
    let inventory = store.circuits()?;
    let known: Vec<String> = inventory
        .iter()
        .map(|c| c.vendor_circuit_id.clone())
        .collect();
    let Some(s) = f.suggest(email, &known) else {
        return Ok(failed(
            notification_id,
            None,
            Label::MaintUnknownVendor,
            &format!("{unrouted}; the {} reader found no maintenance", f.name()),
        ));
    };
    // The vendors the suggested circuits belong to, by normalised id
    // (each inventory id normalised once, not once per suggested circuit).
    let mut owners: HashMap<String, Vec<&str>> = HashMap::new();
    for c in &inventory {
        let key = mnp_core::util::normalize_circuit_id(&c.vendor_circuit_id);
        if !key.is_empty() {
            owners.entry(key).or_default().push(c.vendor_id.as_str());
        }
    }
    let mut vendors: Vec<&str> = Vec::new();
    let mut unknown = 0;
    for c in s.maintenances.iter().flat_map(|m| &m.circuits) {
        let key = mnp_core::util::normalize_circuit_id(&c.vendor_circuit_id);
        match owners.get(&key) {
            None => unknown += 1,
            Some(of) => {
                for o in of {
                    if !vendors.contains(o) {
                        vendors.push(o);
                    }
                }
            }
        }
    }
    let suggestion = describe(f.name(), &s);
    let refuse = |why: String| {
        failed(
            notification_id,
            None,
            Label::MaintUnknownVendor,
            &format!("{unrouted}; {why}\n{suggestion}"),
        )
    };
    if s.maintenances.is_empty() {
        return Ok(refuse(format!(
            "the {} reader found no maintenance",
            f.name()
        )));
    }
    if s.confidence < min_confidence {
        return Ok(refuse(format!(
            "{} reader confidence {:.2} is below {:.2}: for a human",
            f.name(),
            s.confidence,
            min_confidence
        )));
    }
    let vendor = match (vendors.as_slice(), unknown) {
        ([v], 0) => v.to_string(),
        ([], _) => {
            return Ok(refuse(
                "none of its circuits is in the inventory: for a human".into(),
            ));
        }
        ([_], _) => {
            return Ok(refuse(
                "some of its circuits are not in the inventory: for a human".into(),
            ));
        }
        (vs, _) => {
            return Ok(refuse(format!(
                "its circuits belong to several vendors ({}): for a human",
                vs.join(", ")
            )));
        }
    };
    let mut maintenances = s.maintenances.clone();
    for m in &mut maintenances {
        m.provider = vendor.clone();
    }
    let mut p = store_parsed(store, notification_id, &vendor, maintenances, email, msg)?;
    p.summary = format!(
        "read by the {} reader (confidence {:.2}), circuits of {vendor}\n{}\n{suggestion}",
        f.name(),
        s.confidence,
        p.summary
    );
    Ok(p)
}

/// A suggestion in words: what was read, and from which text.
fn describe(reader: &str, s: &Suggestion) -> String {
    let mut lines = vec![format!(
        "{reader} reader suggestion (confidence {:.2}):",
        s.confidence
    )];
    for m in &s.maintenances {
        let circuits: Vec<&str> = m
            .circuits
            .iter()
            .map(|c| c.vendor_circuit_id.as_str())
            .collect();
        lines.push(format!(
            "  {} {} {}, circuits: {}",
            m.maintenance_id,
            m.status,
            fmt_window(m),
            if circuits.is_empty() {
                "none".to_string()
            } else {
                circuits.join(", ")
            }
        ));
    }
    if !s.evidence.is_empty() {
        lines.push("evidence:".into());
        lines.extend(s.evidence.iter().map(|e| format!("  {e}")));
    }
    lines.join("\n")
}

fn parser_of(e: &ParseError) -> Option<String> {
    match e {
        ParseError::Parser { parser, .. } => Some(parser.clone()),
        _ => None,
    }
}

fn failed(
    notification_id: i64,
    vendor: Option<String>,
    label: Label,
    e: &dyn std::fmt::Display,
) -> Processed {
    Processed {
        notification_id,
        label,
        vendor,
        summary: format!("{label}: {e}"),
        duplicate: false,
        stored: 0,
        unknown_circuits: Vec::new(),
    }
}

/// Store parsed maintenances: group the notice's records by maintenance id
/// (a notice may give several windows for one id), decide each group against
/// what is stored, match circuits, record revisions.
fn store_parsed(
    store: &mut Store,
    notification_id: i64,
    vendor: &str,
    maintenances: Vec<Maintenance>,
    email: &Email,
    msg: &Message,
) -> mnp_store::Result<Processed> {
    let mut groups: Vec<(String, Vec<Maintenance>)> = Vec::new();
    for mut m in maintenances {
        if m.stamp.is_none() {
            m.stamp = email.date;
        }
        match groups.iter_mut().find(|(id, _)| *id == m.maintenance_id) {
            Some((_, g)) => g.push(m),
            None => groups.push((m.maintenance_id.clone(), vec![m])),
        }
    }
    let scope = store.vendor_scope(vendor)?;
    let mut unknown: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    let mut stored = 0;
    let mut out_of_sequence = 0;
    for (id, group) in &groups {
        let Some(first) = group.first() else { continue };
        let existing = store.maintenance(vendor, id)?;
        let decision = lifecycle::decide(
            existing.as_ref().map(|s| Version {
                sequence: s.sequence,
                stamp: s.stamp,
            }),
            Version {
                sequence: first.sequence,
                stamp: first.stamp,
            },
        );
        if decision == Decision::OutOfSequence {
            out_of_sequence += 1;
            lines.push(format!(
                "{vendor} {id}: out of sequence (stored revision is newer), not applied"
            ));
            continue;
        }
        let windowless_end = group.iter().all(|m| m.window.is_none())
            && matches!(first.status, Status::Cancelled | Status::Completed);
        let mut events = Vec::new();
        if let (true, Some(ex)) = (windowless_end, &existing) {
            // A cancellation/completion that repeats no window: carry the
            // current events over with the new status, so the NOC still sees
            // which windows and circuits it concerned.
            let current = store.forecast_events(&mnp_store::ForecastFilter {
                maintenance_key: Some(ex.maintenance_key),
                ..Default::default()
            })?;
            for e in current {
                events.push(ForecastEvent {
                    maint_forecast_event_id: Uuid::new_v4(),
                    status: first.status.as_str().to_string(),
                    notification_helpdesk_ticket_id: msg.r#ref.ticket_id.clone(),
                    ..e
                });
            }
        } else {
            for m in group {
                let circuits: Vec<Option<&mnp_core::CircuitImpact>> = if m.circuits.is_empty() {
                    vec![None]
                } else {
                    m.circuits.iter().map(Some).collect()
                };
                for c in circuits {
                    let internal = match c {
                        Some(c) => {
                            let found = store.find_circuit(&scope, &c.vendor_circuit_id)?;
                            if found.is_none() && !unknown.contains(&c.vendor_circuit_id) {
                                unknown.push(c.vendor_circuit_id.clone());
                            }
                            found.map(|f| f.internal_circuit_id)
                        }
                        None => None,
                    };
                    events.push(ForecastEvent {
                        maint_forecast_event_id: Uuid::new_v4(),
                        maintenance_key: 0,
                        revision: 0,
                        current: true,
                        notification_id,
                        notification_helpdesk_ticket_id: msg.r#ref.ticket_id.clone(),
                        vendor_id: vendor.to_string(),
                        vendor_maintenance_id: id.clone(),
                        begin_window: m.window.map(|w| w.begin()),
                        end_window: m.window.map(|w| w.end()),
                        impact_duration: m.impact_seconds,
                        impact: c.map(|c| c.impact.as_str().to_string()),
                        parsed_vendor_circuit_id: c.map(|c| c.vendor_circuit_id.clone()),
                        internal_circuit_id: internal,
                        status: m.status.as_str().to_string(),
                        sequence: m.sequence,
                    });
                }
            }
        }
        let (_, revision) = store.record_revision(vendor, notification_id, group, &events)?;
        stored += 1;
        let windows: Vec<String> = group.iter().map(fmt_window).collect();
        lines.push(format!(
            "{vendor} {id}: {} (revision {revision}), {}, {} circuit event(s)",
            first.status,
            windows.join("; "),
            events.len()
        ));
    }
    let label = if stored == 0 && out_of_sequence > 0 {
        Label::MaintOutOfSequence
    } else if !unknown.is_empty() {
        lines.push(format!(
            "unknown circuit(s), stored without internal id: {}",
            unknown.join(", ")
        ));
        Label::MaintUnknownCircuit
    } else {
        Label::MaintParseSuccess
    };
    Ok(Processed {
        notification_id,
        label,
        vendor: Some(vendor.to_string()),
        summary: lines.join("\n"),
        duplicate: false,
        stored,
        unknown_circuits: unknown,
    })
}
