//! The maxout runtime: the threshold engine wired to the store.
//!
//! [`Runtime`] is what `mnp maxout replay` and the telemetry worker of
//! `mnp serve` share. It is built from the store's circuit inventory (every
//! circuit with a provisioned rate; rules from [`RuntimeOptions`]), restores
//! the open episodes stored by an earlier run (so they continue without a
//! second alert), and maps readings tagged `device=,port=` to circuits
//! through the `EquipmentPortToCircuit` map.
//!
//! The work is split in a pure half and an I/O half so a failed database
//! write loses nothing:
//! * [`Runtime::feed`] runs one reading through the engine and keeps the
//!   episode events and the day's peak utilisation in memory;
//! * [`Runtime::persist`] writes what was kept in one transaction: episodes
//!   (`MaxoutEvent`), daily peaks that rose, and one alert mail per opened
//!   episode (and per resolved one with `resolved_mail`) queued in the
//!   `AlertOutbox` table. On error nothing is forgotten: the next call
//!   writes it again (every write is idempotent: episodes by id, mails by
//!   `{episode}:{kind}`).
//! * [`Runtime::tick`] is the wall-clock housekeeping: stale circuits,
//!   waiting one-direction halves, and reminder mails for episodes still
//!   open after the [`RepeatPolicy`] interval.
//!
//! Delivering the queued mails (outbox folder or SMTP) is the caller's job.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use mnp_maxout::alert::{
    Address, AlertInput, AlertKind, Brand, Recipients, Renderer, RepeatPolicy, suggest_options,
};
use mnp_maxout::engine::{CircuitIdx, CircuitSpec, Engine, Episode, EpisodeEvent, RuleSet};
use mnp_maxout::telemetry::{
    CircuitRef, CounterOutcome, CounterPair, Direction, Reading, UNKNOWN_LINK_FACTOR,
};
use mnp_store::{Circuit, NewMail, Store, StoredMaxout};
use uuid::Uuid;

/// How the runtime builds rules and mails.
#[derive(Debug, Clone)]
pub struct RuntimeOptions {
    /// Defaults and per-customer / per-circuit overrides.
    pub rules: RuleSet,
    /// Threshold, percent of the ceiling: replaces the defaults' threshold
    /// (customer and circuit overrides still win).
    pub threshold: Option<f64>,
    /// Reminders and the resolved mail.
    pub repeat: RepeatPolicy,
    /// Sender company shown in the mail.
    pub company: String,
    /// Sender (NOC) address.
    pub noc_email: String,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions {
            rules: RuleSet::default(),
            threshold: None,
            repeat: RepeatPolicy {
                every: None,
                resolved_mail: false,
            },
            company: "mnp NOC".into(),
            noc_email: "noc@mnp.example".into(),
        }
    }
}

/// Counts since the runtime started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuntimeStats {
    /// Readings fed.
    pub readings: u64,
    /// Readings for circuits that are not in the inventory (or not mapped).
    pub unknown: u64,
    /// Episodes opened.
    pub opened: u64,
    /// Episodes resolved.
    pub resolved: u64,
    /// Episodes stored for the first time.
    pub new_episodes: u64,
    /// Alert mails queued (opened, reminder, resolved).
    pub mails_queued: u64,
}

/// A circuit the engine watches, with its inventory row.
struct Watched {
    circuit: Circuit,
    ceiling: f64,
}

/// Peak utilisation of one circuit on one day (days since the Unix epoch).
#[derive(Debug, Clone, Copy)]
struct DayPeak {
    day: i64,
    percent: f64,
    /// Rose since it was last written (the circuit is in `Runtime::dirty`).
    dirty: bool,
}

const DAY_MS: i64 = 86_400_000;

/// The engine, its inventory, and what is still to be written.
pub struct Runtime {
    engine: Engine,
    /// By [`CircuitIdx`].
    watched: Vec<Watched>,
    /// device → port → circuit id.
    ports: HashMap<String, HashMap<String, String>>,
    renderer: Renderer,
    opts: RuntimeOptions,
    from: Address,
    /// By [`CircuitIdx`]: the current day's peak.
    peaks: Vec<Option<DayPeak>>,
    /// Circuits whose current day's peak rose since the last write.
    dirty: Vec<usize>,
    /// Peaks of days a circuit has moved past, still to be written.
    done_peaks: Vec<(Uuid, i64, f64)>,
    /// By [`CircuitIdx`], only for counter telemetry (feeds the peaks; the
    /// engine keeps its own copy).
    counters: Vec<CounterPair>,
    customers: HashMap<String, Option<mnp_store::Customer>>,
    /// Episode events not yet written.
    events: Vec<EpisodeEvent>,
    /// When the last mail of each open episode was queued (for reminders).
    last_mail: HashMap<Uuid, DateTime<Utc>>,
    stats: RuntimeStats,
}

fn stored_of(ep: &Episode, internal: Uuid) -> StoredMaxout {
    let i = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    StoredMaxout {
        maxout_event_id: ep.id,
        internal_circuit_id: internal,
        circuit_ref: ep.circuit.clone(),
        customer_id: ep.customer.clone(),
        started_at: ep.start,
        ended_at: ep.end,
        last_sample_at: Some(ep.last_sample),
        peak_percent: ep.peak_percent,
        peak_bps: ep.peak_bps,
        seconds_over: i(ep.seconds_over),
        minutes_over: i(ep.minutes_over),
        direction: ep.direction.as_str().to_string(),
        capacity_bps: i(ep.capacity_bps),
        provisioned_bps: i(ep.provisioned_bps),
        burst_bps: ep.burst_bps.map(i),
        threshold_percent: ep.threshold_percent,
        alerted_at: None,
    }
}

fn episode_of(m: &StoredMaxout) -> Episode {
    let u = |v: i64| u64::try_from(v).unwrap_or(0);
    Episode {
        id: m.maxout_event_id,
        circuit: m.circuit_ref.clone(),
        customer: m.customer_id.clone(),
        start: m.started_at,
        end: m.ended_at,
        last_sample: m.last_sample_at.unwrap_or(m.started_at),
        peak_percent: m.peak_percent,
        peak_bps: m.peak_bps,
        seconds_over: u(m.seconds_over),
        minutes_over: u(m.minutes_over),
        direction: match m.direction.as_str() {
            "in" => Direction::In,
            "both" => Direction::Both,
            _ => Direction::Out,
        },
        capacity_bps: u(m.capacity_bps),
        provisioned_bps: u(m.provisioned_bps),
        burst_bps: m.burst_bps.map(u),
        threshold_percent: m.threshold_percent,
    }
}

impl Runtime {
    /// Builds the engine from the store's inventory and port map and
    /// restores the open episodes.
    pub fn load(s: &mut Store, opts: RuntimeOptions) -> anyhow::Result<Runtime> {
        let mut rules = opts.rules.clone();
        if let Some(t) = opts.threshold {
            rules.defaults.threshold_percent = t;
        }
        let mut engine = Engine::new();
        let mut watched = Vec::new();
        let mut by_internal: HashMap<Uuid, String> = HashMap::new();
        for c in s.circuits()? {
            by_internal.insert(c.internal_circuit_id, c.vendor_circuit_id.clone());
            let Some(bps) = c.provisioned_bps.and_then(|b| u64::try_from(b).ok()) else {
                continue;
            };
            if bps == 0 || engine.index_of(&c.vendor_circuit_id).is_some() {
                continue;
            }
            let rule = rules
                .resolve(&c.vendor_circuit_id, c.customer_id.as_deref())
                .with_context(|| format!("maxout rule of circuit {}", c.vendor_circuit_id))?;
            let mut spec = CircuitSpec::new(c.vendor_circuit_id.clone(), bps, rule);
            spec.customer = c.customer_id.clone();
            spec.burst_bps = c.burst_bps.and_then(|b| u64::try_from(b).ok());
            let ceiling = spec.ceiling_bps() as f64;
            engine
                .add_circuit(spec)
                .with_context(|| format!("circuit {}", c.vendor_circuit_id))?;
            watched.push(Watched {
                circuit: c,
                ceiling,
            });
        }
        let mut ports: HashMap<String, HashMap<String, String>> = HashMap::new();
        for p in s.ports()? {
            if let Some(id) = by_internal.get(&p.internal_circuit_id) {
                ports
                    .entry(p.device)
                    .or_default()
                    .insert(p.port, id.clone());
            }
        }
        // Open episodes continue where they were (no second alert).
        let mut last_mail = HashMap::new();
        for m in s.open_maxouts()? {
            if let Some(idx) = engine.index_of(&m.circuit_ref) {
                engine.restore(idx, &episode_of(&m))?;
                if let Some(t) = m.alerted_at {
                    last_mail.insert(m.maxout_event_id, t);
                }
            }
        }
        let from = Address::parse(&opts.noc_email).context("--noc-email")?;
        let renderer = Renderer::new(Brand {
            company: opts.company.clone(),
            noc_email: opts.noc_email.clone(),
            noc_phone: None,
        })?;
        let n = watched.len();
        Ok(Runtime {
            engine,
            watched,
            ports,
            renderer,
            opts,
            from,
            peaks: vec![None; n],
            dirty: Vec::new(),
            done_peaks: Vec::new(),
            counters: Vec::new(),
            customers: HashMap::new(),
            events: Vec::new(),
            last_mail,
            stats: RuntimeStats::default(),
        })
    }

    /// Counts so far.
    pub fn stats(&self) -> RuntimeStats {
        self.stats
    }

    /// The sender address mails are delivered with.
    pub fn from(&self) -> &Address {
        &self.from
    }

    /// Number of circuits watched.
    pub fn circuits(&self) -> usize {
        self.watched.len()
    }

    /// The engine's approximate state size per tracked circuit, bytes.
    pub fn engine_bytes_per_circuit(&self) -> usize {
        self.engine.bytes_per_circuit()
    }

    /// The engine's outcome counts (out of order, duplicates, …).
    pub fn engine_stats(&self) -> mnp_maxout::engine::Stats {
        self.engine.stats()
    }

    /// The engine index of the circuit a reading names: by id, or by
    /// device and port through the port map.
    pub fn lookup(&self, c: &CircuitRef) -> Option<CircuitIdx> {
        match c {
            CircuitRef::Id(id) => self.engine.index_of(id),
            CircuitRef::Port { device, port } => self
                .ports
                .get(device.as_str())
                .and_then(|m| m.get(port.as_str()))
                .and_then(|id| self.engine.index_of(id)),
        }
    }

    /// Runs one reading through the engine (no I/O). Events and peaks are
    /// kept until [`persist`](Self::persist).
    pub fn feed(&mut self, r: &Reading) {
        self.stats.readings += 1;
        let Some(idx) = self.lookup(r.circuit()) else {
            self.stats.unknown += 1;
            return;
        };
        let i = idx.0 as usize;
        let Some(ceiling) = self.watched.get(i).map(|w| w.ceiling) else {
            self.stats.unknown += 1;
            return;
        };
        let (ts, bps) = match r {
            Reading::Rates(s) => {
                self.engine
                    .observe(idx, s.ts, s.in_bps, s.out_bps, &mut self.events);
                (s.ts, s.in_bps.unwrap_or(0.0).max(s.out_bps.unwrap_or(0.0)))
            }
            Reading::Counters(c) => {
                self.engine.observe_counters(idx, c, &mut self.events);
                if self.counters.len() < self.watched.len() {
                    self.counters
                        .resize(self.watched.len(), CounterPair::default());
                }
                let rate = |x: Option<CounterOutcome>| x.and_then(CounterOutcome::rate);
                let m = match self.counters.get_mut(i) {
                    Some(pair) => {
                        let (a, b) = pair.update(c, Some(ceiling * UNKNOWN_LINK_FACTOR));
                        [rate(a), rate(b)].into_iter().flatten().reduce(f64::max)
                    }
                    None => None,
                };
                let Some(m) = m else { return };
                (c.ts, m)
            }
        };
        self.note_peak(i, ts.timestamp_millis(), 100.0 * bps / ceiling);
    }

    /// Raise the day's peak utilisation of circuit `i`.
    fn note_peak(&mut self, i: usize, ts_ms: i64, pct: f64) {
        if !pct.is_finite() {
            return;
        }
        let day = ts_ms.div_euclid(DAY_MS);
        let Some(slot) = self.peaks.get_mut(i) else {
            return;
        };
        match slot {
            Some(p) if p.day == day => {
                if pct > p.percent {
                    p.percent = pct;
                    if !p.dirty {
                        p.dirty = true;
                        self.dirty.push(i);
                    }
                }
            }
            Some(p) if day < p.day => {
                // a late sample of an earlier day: written as it is (the
                // store keeps the higher value)
                if let Some(w) = self.watched.get(i) {
                    self.done_peaks
                        .push((w.circuit.internal_circuit_id, day, pct));
                }
            }
            _ => {
                let was_dirty = slot.is_some_and(|p| p.dirty);
                if let (Some(p), Some(w)) = (*slot, self.watched.get(i))
                    && p.dirty
                {
                    self.done_peaks
                        .push((w.circuit.internal_circuit_id, p.day, p.percent));
                }
                *slot = Some(DayPeak {
                    day,
                    percent: pct,
                    dirty: true,
                });
                if !was_dirty {
                    self.dirty.push(i);
                }
            }
        }
    }

    /// Writes the kept events, the peaks that rose and the alert mails in
    /// one transaction. On error everything stays kept for the next call.
    pub fn persist(&mut self, s: &mut Store, now: DateTime<Utc>) -> anyhow::Result<()> {
        self.persist_inner(s, now, true)
    }

    /// [`persist`](Self::persist) without the daily peaks: episodes and
    /// mails must not wait, peaks are a daily aggregate that can be written
    /// every few seconds (each one is a row per circuit).
    pub fn persist_episodes(&mut self, s: &mut Store, now: DateTime<Utc>) -> anyhow::Result<()> {
        self.persist_inner(s, now, false)
    }

    fn persist_inner(
        &mut self,
        s: &mut Store,
        now: DateTime<Utc>,
        with_peaks: bool,
    ) -> anyhow::Result<()> {
        let peaks = with_peaks && !(self.done_peaks.is_empty() && self.dirty.is_empty());
        if self.events.is_empty() && !peaks {
            return Ok(());
        }
        let mut stats = self.stats;
        let mut last_mail = Vec::new();
        let events = std::mem::take(&mut self.events);
        let res = s.transaction(|s| {
            for ev in &events {
                self.handle_event(s, ev, now, &mut stats, &mut last_mail)
                    .map_err(|e| mnp_store::Error::Input {
                        location: format!("episode {}", ev.episode().id),
                        reason: format!("{e:#}"),
                    })?;
            }
            if !peaks {
                return Ok(());
            }
            for (c, day, p) in &self.done_peaks {
                s.record_daily_peak(*c, day_of(*day), *p)?;
            }
            for &i in &self.dirty {
                if let (Some(Some(p)), Some(w)) = (self.peaks.get(i), self.watched.get(i))
                    && p.dirty
                {
                    s.record_daily_peak(w.circuit.internal_circuit_id, day_of(p.day), p.percent)?;
                }
            }
            Ok(())
        });
        match res {
            Ok(()) => {
                self.stats = stats;
                if peaks {
                    self.done_peaks.clear();
                    for i in std::mem::take(&mut self.dirty) {
                        if let Some(Some(p)) = self.peaks.get_mut(i) {
                            p.dirty = false;
                        }
                    }
                }
                for (id, t) in last_mail {
                    match t {
                        Some(t) => self.last_mail.insert(id, t),
                        None => self.last_mail.remove(&id),
                    };
                }
                Ok(())
            }
            Err(e) => {
                // keep the events, in order, ahead of any fed meanwhile
                let later = std::mem::replace(&mut self.events, events);
                self.events.extend(later);
                Err(e.into())
            }
        }
    }

    /// [`feed`](Self::feed) then [`persist`](Self::persist): one reading,
    /// written at once (batching callers feed many, then persist once).
    #[allow(dead_code)]
    pub fn observe(
        &mut self,
        s: &mut Store,
        r: &Reading,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.feed(r);
        self.persist(s, now)
    }

    /// Wall-clock housekeeping, every few seconds: commits waiting halves,
    /// reports stale circuits (their open episodes are written, never
    /// resolved), and queues reminder mails that are due. Then writes the
    /// episodes (not the peaks: [`persist`](Self::persist) does).
    pub fn tick(&mut self, s: &mut Store, now: DateTime<Utc>) -> anyhow::Result<()> {
        self.engine.tick(now, &mut self.events);
        if self.opts.repeat.every.is_some() {
            let due: Vec<Episode> = self
                .engine
                .open_episodes()
                .into_iter()
                .filter(|ep| {
                    self.last_mail
                        .get(&ep.id)
                        .is_some_and(|&t| self.opts.repeat.reminder_due(t, now))
                })
                .collect();
            if !due.is_empty() {
                let mut stats = self.stats;
                let mut sent = Vec::new();
                s.transaction(|s| {
                    for ep in &due {
                        self.queue_mail(s, ep, AlertKind::Reminder, now, &mut stats)
                            .map_err(|e| mnp_store::Error::Input {
                                location: format!("episode {}", ep.id),
                                reason: format!("{e:#}"),
                            })?;
                        sent.push(ep.id);
                    }
                    Ok(())
                })?;
                self.stats = stats;
                for id in sent {
                    self.last_mail.insert(id, now);
                }
            }
        }
        self.persist_episodes(s, now)
    }

    fn handle_event(
        &mut self,
        s: &mut Store,
        ev: &EpisodeEvent,
        now: DateTime<Utc>,
        stats: &mut RuntimeStats,
        last_mail: &mut Vec<(Uuid, Option<DateTime<Utc>>)>,
    ) -> anyhow::Result<()> {
        let ep = ev.episode();
        let Some(internal) = self
            .engine
            .index_of(&ep.circuit)
            .and_then(|i| self.watched.get(i.0 as usize))
            .map(|w| w.circuit.internal_circuit_id)
        else {
            return Ok(());
        };
        let write = s.record_maxout(&stored_of(ep, internal))?;
        if write == mnp_store::MaxoutWrite::Inserted {
            stats.new_episodes += 1;
        }
        let kind = match ev {
            EpisodeEvent::Opened(_) => {
                stats.opened += 1;
                AlertKind::Opened
            }
            EpisodeEvent::Resolved(_) => {
                stats.resolved += 1;
                last_mail.push((ep.id, None));
                if !self.opts.repeat.resolved_mail {
                    return Ok(());
                }
                AlertKind::Resolved
            }
            _ => return Ok(()),
        };
        if self.queue_mail(s, ep, kind, now, stats)? && kind == AlertKind::Opened {
            s.set_maxout_alerted(ep.id, now)?;
            last_mail.push((ep.id, Some(now)));
        }
        Ok(())
    }

    /// Renders and queues one alert mail; false when it was queued before
    /// (same dedupe key) or there is nobody to send it to.
    fn queue_mail(
        &mut self,
        s: &mut Store,
        ep: &Episode,
        kind: AlertKind,
        now: DateTime<Utc>,
        stats: &mut RuntimeStats,
    ) -> anyhow::Result<bool> {
        let Some(description) = self
            .engine
            .index_of(&ep.circuit)
            .and_then(|i| self.watched.get(i.0 as usize))
            .map(|w| w.circuit.description.clone())
        else {
            return Ok(false);
        };
        let customer = match &ep.customer {
            Some(id) => match self.customers.get(id) {
                Some(c) => c.clone(),
                None => {
                    let c = s.customer(id)?;
                    self.customers.insert(id.clone(), c.clone());
                    c
                }
            },
            None => None,
        };
        let recipients = match &customer {
            Some(c) => Recipients::for_customer(
                &c.customer_id,
                c.contact_email.as_deref(),
                c.account_manager_email.as_deref(),
                c.cx_team_email.as_deref(),
            )
            .or_else(|_| {
                Recipients::internal(
                    c.account_manager_email.as_deref(),
                    c.cx_team_email.as_deref(),
                )
            }),
            None => Recipients::internal(None, None),
        };
        let recipients = match recipients {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(episode = %ep.id, circuit = %ep.circuit, error = %e, "no recipient for the alert");
                return Ok(false);
            }
        };
        let rendered = self.renderer.render(&AlertInput {
            kind,
            episode: ep.clone(),
            customer_name: customer
                .as_ref()
                .map(|c| c.name.clone())
                .or_else(|| ep.customer.clone())
                .unwrap_or_default(),
            circuit_description: description,
            options: suggest_options(ep),
            repeat_every: self.opts.repeat.every,
        })?;
        // one reminder per interval: keyed by the instant it was due
        let key = match kind {
            AlertKind::Reminder => format!("{}:reminder:{}", ep.id, now.timestamp()),
            k => format!("{}:{}", ep.id, k.as_str()),
        };
        let queued = s.enqueue_mail(
            &NewMail {
                dedupe_key: key,
                maxout_event_id: Some(ep.id),
                kind: kind.as_str().to_string(),
                to: recipients
                    .to()
                    .iter()
                    .map(|a| a.as_str().to_string())
                    .collect(),
                cc: recipients
                    .cc()
                    .iter()
                    .map(|a| a.as_str().to_string())
                    .collect(),
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
            },
            now,
        )?;
        if queued.is_some() {
            stats.mails_queued += 1;
        }
        Ok(queued.is_some())
    }
}

fn day_of(day: i64) -> NaiveDate {
    DateTime::from_timestamp_millis(day.saturating_mul(DAY_MS))
        .unwrap_or(DateTime::UNIX_EPOCH)
        .date_naive()
}
