//! `mnp sla`, `mnp ports`, `mnp groups`: SLA definitions, the port map,
//! protection groups, and the batch evaluator that turns stored outages into
//! SLA measurements.
//!
//! Which SLA a circuit is measured against: its `slaId`; without one, the
//! single SLA whose `vendors` list the circuit's vendor (none or several:
//! the circuit is not evaluated). A protection group is measured against
//! its own `slaId`, as one service made of its member circuits.
//!
//! The batch (`mnp sla evaluate`) runs in one transaction with the outage
//! table locked: it reads the unevaluated outages, works out every (circuit
//! or group, SLA period) they touch — plus, with `--period`, every period of
//! every circuit and group starting in that month — evaluates each with
//! `mnp_sla::evaluate`, upserts the measurements (identical values leave the
//! row untouched) and marks the outages evaluated. Outages that arrive late
//! for a closed period are unevaluated, so the next run re-evaluates that
//! period.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use mnp_core::{Registry, Status};
use mnp_sla::definition::SlaDefinition;
use mnp_sla::evaluate::{ForecastWindow, Measurement, Member, OutageSpan};
use mnp_sla::logs::{normalize_device, normalize_port};
use mnp_sla::period::{Period, parse_month, period_containing, periods_for, periods_overlapping};
use mnp_store::{
    Circuit, ForecastEvent, PortMapping, ProtectionGroup, Store, StoredMeasurement, StoredSla,
    Subject,
};
use uuid::Uuid;

use crate::config::{self, GlobalOpts};
use crate::report_cmd::Table;

#[derive(Subcommand, Debug)]
pub enum SlaCmd {
    /// Import SLA definitions from a TOML file (see `mnp sla strategies` and
    /// docs in mnp_sla::definition). Every problem is reported with its line;
    /// nothing is imported when there is one.
    Import {
        /// The TOML file.
        file: PathBuf,
    },
    /// List the stored SLAs and how many circuits and groups use each.
    List,
    /// List the registered SLA strategies.
    Strategies,
    /// Evaluate SLAs: pick up unevaluated outages, evaluate every affected
    /// (circuit or group, period) — with --period also every period starting
    /// in that month — store the measurements, mark the outages evaluated.
    Evaluate(EvaluateArgs),
    /// Show the arithmetic behind a circuit's (or group's) measurement.
    Explain(ExplainArgs),
}

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// Month (YYYY-MM, UTC) whose periods are evaluated for every circuit and
    /// group with an SLA. Without it only the periods touched by unevaluated
    /// outages are.
    #[arg(long, value_name = "YYYY-MM")]
    period: Option<String>,
    /// The time open outages count until (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Carrier circuit id (as in the inventory), internal uuid, or
    /// protection group id.
    circuit: String,
    /// Month (YYYY-MM): the SLA periods starting in it are explained.
    #[arg(long, value_name = "YYYY-MM")]
    period: String,
    /// Only circuits of this vendor (when the carrier id is not unique).
    #[arg(long)]
    vendor: Option<String>,
    /// The time open outages count until (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum PortsCmd {
    /// Import the port map from CSV (header: device, port, vendor,
    /// vendorCircuitId). All rows are checked first — unknown vendors and
    /// circuits, and two rows naming the same port (after normalisation:
    /// Gi0/1 = GigabitEthernet0/1) — and nothing is imported on error.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// List the port map.
    List,
}

#[derive(Subcommand, Debug)]
pub enum GroupsCmd {
    /// Import protection groups from CSV, one row per member (header:
    /// group, vendor, vendorCircuitId, and optionally name, customer, slaId,
    /// slaEpoch, given on any row of the group). A group's members are
    /// replaced by the rows given.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// List protection groups and their members.
    List,
}

/// `--now`, or the current time.
pub(crate) fn now_arg(now: &Option<String>) -> anyhow::Result<DateTime<Utc>> {
    match now {
        None => Ok(Utc::now()),
        Some(t) => DateTime::parse_from_rfc3339(t)
            .map(|d| d.with_timezone(&Utc))
            .with_context(|| format!("--now {t:?} is not an RFC 3339 time")),
    }
}

pub(crate) fn month_arg(p: &str) -> anyhow::Result<Period> {
    parse_month(p).with_context(|| "--period".to_string())
}

// ---------------------------------------------------------------- inventory

/// SLA definitions, circuits and groups as the evaluator needs them.
pub(crate) struct Inventory {
    pub slas: BTreeMap<String, SlaDefinition>,
    pub circuits: BTreeMap<Uuid, Circuit>,
    pub groups: Vec<ProtectionGroup>,
    /// vendor id → ids of the SLAs that list it.
    applicable: BTreeMap<String, Vec<String>>,
    /// Definitions that could not be read.
    pub problems: Vec<String>,
}

/// One thing measured: a circuit or a group, with its SLA.
pub(crate) struct SubjectSpec<'a> {
    pub subject: Subject,
    pub name: String,
    pub sla: &'a SlaDefinition,
    pub epoch: Option<DateTime<Utc>>,
    pub members: Vec<Uuid>,
}

impl Inventory {
    pub fn load(s: &mut Store) -> mnp_store::Result<Inventory> {
        let mut slas = BTreeMap::new();
        let mut applicable: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut problems = Vec::new();
        for st in s.slas()? {
            match serde_json::from_str::<SlaDefinition>(&st.definition) {
                Ok(d) => {
                    for v in &st.vendors {
                        applicable
                            .entry(v.clone())
                            .or_default()
                            .push(st.sla_id.clone());
                    }
                    slas.insert(st.sla_id.clone(), d);
                }
                Err(e) => problems.push(format!(
                    "SLA {}: stored definition unreadable ({e}); import it again",
                    st.sla_id
                )),
            }
        }
        let circuits = s
            .circuits()?
            .into_iter()
            .map(|c| (c.internal_circuit_id, c))
            .collect();
        Ok(Inventory {
            slas,
            circuits,
            groups: s.protection_groups()?,
            applicable,
            problems,
        })
    }

    /// The carrier id of a circuit, or its uuid when unknown.
    pub fn name(&self, id: &Uuid) -> String {
        self.circuits
            .get(id)
            .map_or_else(|| id.to_string(), |c| c.vendor_circuit_id.clone())
    }

    /// The SLA a circuit is measured against (see the module docs):
    /// `Ok(None)` when it has none.
    pub fn sla_of(&self, c: &Circuit) -> Result<Option<&SlaDefinition>, String> {
        match &c.sla_id {
            Some(id) => self.slas.get(id).map(Some).ok_or_else(|| {
                format!(
                    "circuit {}/{}: slaId {id:?} is not a stored SLA (mnp sla import)",
                    c.vendor_id, c.vendor_circuit_id
                )
            }),
            None => match self.applicable.get(&c.vendor_id).map(Vec::as_slice) {
                Some([one]) => Ok(self.slas.get(one)),
                _ => Ok(None),
            },
        }
    }

    fn circuit_subject(&self, c: &Circuit) -> Result<Option<SubjectSpec<'_>>, String> {
        Ok(self.sla_of(c)?.map(|sla| SubjectSpec {
            subject: Subject::Circuit(c.internal_circuit_id),
            name: c.vendor_circuit_id.clone(),
            sla,
            epoch: c.sla_epoch,
            members: vec![c.internal_circuit_id],
        }))
    }

    fn group_subject(&self, g: &ProtectionGroup) -> Result<Option<SubjectSpec<'_>>, String> {
        let Some(id) = &g.sla_id else {
            return Ok(None);
        };
        let sla = self.slas.get(id).ok_or_else(|| {
            format!(
                "group {}: slaId {id:?} is not a stored SLA (mnp sla import)",
                g.protection_group_id
            )
        })?;
        if g.members.is_empty() {
            return Err(format!(
                "group {}: no member circuits",
                g.protection_group_id
            ));
        }
        // by carrier id, so explanations list members in a stable order
        let mut members = g.members.clone();
        members.sort_by_cached_key(|m| (self.name(m), *m));
        Ok(Some(SubjectSpec {
            subject: Subject::Group(g.protection_group_id.clone()),
            name: g.protection_group_id.clone(),
            sla,
            epoch: g.sla_epoch,
            members,
        }))
    }

    /// Every circuit and group with an SLA; problems (unknown SLA ids) as
    /// text.
    pub fn subjects(&self) -> (Vec<SubjectSpec<'_>>, Vec<String>) {
        let mut out = Vec::new();
        let mut problems = self.problems.clone();
        for c in self.circuits.values() {
            match self.circuit_subject(c) {
                Ok(Some(s)) => out.push(s),
                Ok(None) => {}
                Err(e) => problems.push(e),
            }
        }
        for g in &self.groups {
            match self.group_subject(g) {
                Ok(Some(s)) => out.push(s),
                Ok(None) => {}
                Err(e) => problems.push(e),
            }
        }
        (out, problems)
    }
}

/// Outages and forecast windows per circuit, as the evaluator takes them.
#[derive(Default)]
pub(crate) struct Timelines {
    outages: HashMap<Uuid, Vec<OutageSpan>>,
    windows: HashMap<Uuid, Vec<ForecastWindow>>,
}

impl Timelines {
    /// Everything overlapping `[from, to)`, of one circuit or of all.
    pub fn load(
        s: &mut Store,
        circuit: Option<Uuid>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> mnp_store::Result<Timelines> {
        let mut t = Timelines::default();
        for o in s.outages_overlapping(circuit, from, to)? {
            t.outages
                .entry(o.internal_circuit_id)
                .or_default()
                .push((o.begin, o.end));
        }
        for e in s.forecast_windows_overlapping(circuit, from, to)? {
            if let (Some(c), Some(w)) = (e.internal_circuit_id, window_of(&e)) {
                t.windows.entry(c).or_default().push(w);
            }
        }
        Ok(t)
    }

    fn members<'a>(
        &'a self,
        inv: &Inventory,
        ids: &[Uuid],
        names: &'a mut Vec<String>,
    ) -> Vec<Member<'a>> {
        names.clear();
        names.extend(ids.iter().map(|id| inv.name(id)));
        let names: &'a Vec<String> = &*names;
        ids.iter()
            .zip(names.iter())
            .map(|(id, name)| Member {
                circuit: name.as_str(),
                outages: self.outages.get(id).map_or(&[], Vec::as_slice),
                forecasts: self.windows.get(id).map_or(&[], Vec::as_slice),
            })
            .collect()
    }
}

/// A stored forecast event as the evaluator's window (`None` without one).
pub(crate) fn window_of(e: &ForecastEvent) -> Option<ForecastWindow> {
    Some(ForecastWindow {
        begin: e.begin_window?,
        end: e.end_window?,
        status: e.status.parse().unwrap_or(Status::Unknown),
        reference: e.vendor_maintenance_id.clone(),
    })
}

fn stored(subject: Subject, m: &Measurement, at: DateTime<Utc>) -> StoredMeasurement {
    StoredMeasurement {
        subject,
        period_start: m.period.start,
        period_end: m.period.end,
        sla_id: m.sla_id.clone(),
        outage_seconds: m.outage_seconds,
        excluded_seconds: m.excluded_seconds,
        availability_percent: m.availability_percent,
        breached: m.breached,
        credit_percent: m.credit_percent,
        evaluated_at: at,
    }
}

// ---------------------------------------------------------------- evaluate

/// What a batch evaluation did.
#[derive(Debug, Default)]
pub(crate) struct BatchOutcome {
    pub picked_up: usize,
    pub evaluated: usize,
    pub written: usize,
    pub breached: usize,
    pub ranges: usize,
    pub problems: Vec<String>,
    pub load_ms: u128,
    pub evaluate_ms: u128,
    pub write_ms: u128,
}

/// Merge periods into disjoint ranges (overlapping or touching periods
/// share one), so each range's data is loaded once.
fn ranges(periods: impl IntoIterator<Item = Period>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut v: Vec<Period> = periods.into_iter().collect();
    v.sort();
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for p in v {
        match out.last_mut() {
            Some(last) if p.start <= last.1 => last.1 = last.1.max(p.end),
            _ => out.push((p.start, p.end)),
        }
    }
    out
}

/// The batch (see the module docs); runs inside one transaction.
pub(crate) fn evaluate_batch(
    s: &mut Store,
    month: Option<Period>,
    now: DateTime<Utc>,
) -> mnp_store::Result<BatchOutcome> {
    s.transaction(|s| {
        s.lock_outages()?;
        let t0 = Instant::now();
        let inv = Inventory::load(s)?;
        let (subjects, mut problems) = inv.subjects();
        let pending = s.unevaluated_outages()?;
        let mut of_circuit: HashMap<Uuid, Vec<usize>> = HashMap::new();
        for (i, sub) in subjects.iter().enumerate() {
            for m in &sub.members {
                of_circuit.entry(*m).or_default().push(i);
            }
        }
        let mut jobs: BTreeSet<(Period, usize)> = BTreeSet::new();
        let mut failed: BTreeSet<usize> = BTreeSet::new();
        let mut fail = |i: usize, sub: &SubjectSpec<'_>, e: &dyn std::fmt::Display| {
            if failed.insert(i) {
                problems.push(format!("{}: {e}", sub.name));
            }
        };
        if let Some(m) = month {
            for (i, sub) in subjects.iter().enumerate() {
                match periods_for(sub.sla.interval, sub.epoch, m.start, m.end) {
                    Ok(ps) => jobs.extend(ps.into_iter().map(|p| (p, i))),
                    Err(e) => fail(i, sub, &e),
                }
            }
        }
        for o in &pending {
            for &i in of_circuit
                .get(&o.internal_circuit_id)
                .map_or(&[][..], Vec::as_slice)
            {
                let Some(sub) = subjects.get(i) else { continue };
                let end = o.end.unwrap_or(now).max(o.begin);
                match periods_overlapping(sub.sla.interval, sub.epoch, o.begin, end) {
                    Ok(ps) => jobs.extend(ps.into_iter().map(|p| (p, i))),
                    Err(e) => fail(i, sub, &e),
                }
            }
        }
        let mut out = BatchOutcome {
            picked_up: pending.len(),
            ..Default::default()
        };
        let rs = ranges(jobs.iter().map(|(p, _)| *p));
        out.ranges = rs.len();
        let at = Utc::now();
        let mut names = Vec::new();
        let mut results: Vec<StoredMeasurement> = Vec::with_capacity(jobs.len());
        let mut load = t0.elapsed();
        let mut eval = std::time::Duration::ZERO;
        for (from, to) in rs {
            let tl = Instant::now();
            let tls = Timelines::load(s, None, from, to)?;
            load += tl.elapsed();
            let te = Instant::now();
            for (p, i) in jobs.range(
                (
                    Period {
                        start: from,
                        end: from,
                    },
                    0,
                )..,
            ) {
                if p.start >= to {
                    break;
                }
                let Some(sub) = subjects.get(*i) else {
                    continue;
                };
                let members = tls.members(&inv, &sub.members, &mut names);
                match mnp_sla::evaluate::evaluate_quiet(sub.sla, &members, p, now) {
                    Ok(m) => {
                        out.evaluated += 1;
                        out.breached += usize::from(m.breached);
                        results.push(stored(sub.subject.clone(), &m, at));
                    }
                    Err(e) => problems.push(format!("{} {p}: {e}", sub.name)),
                }
            }
            eval += te.elapsed();
        }
        let tw = Instant::now();
        out.written = s.upsert_measurements(&results)?;
        // the table is locked since `pending` was read: these are the same rows
        s.mark_unevaluated_outages_evaluated()?;
        out.write_ms = tw.elapsed().as_millis();
        out.load_ms = load.as_millis();
        out.evaluate_ms = eval.as_millis();
        out.problems = problems;
        tracing::info!(
            picked_up = out.picked_up,
            evaluated = out.evaluated,
            written = out.written,
            load_ms = out.load_ms,
            evaluate_ms = out.evaluate_ms,
            write_ms = out.write_ms,
            "sla evaluate"
        );
        Ok(out)
    })
}

fn evaluate_cmd(args: EvaluateArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let month = args.period.as_deref().map(month_arg).transpose()?;
    let now = now_arg(&args.now)?;
    let mut s = config::store(opts)?;
    let o = evaluate_batch(&mut s, month, now)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "picked up {} unevaluated outage(s)", o.picked_up)?;
    writeln!(
        out,
        "evaluated {} measurement(s): {} written, {} unchanged; {} breached",
        o.evaluated,
        o.written,
        o.evaluated - o.written,
        o.breached
    )?;
    for p in &o.problems {
        writeln!(out, "not evaluated: {p}")?;
    }
    Ok(if o.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

// ---------------------------------------------------------------- explain

fn explain_cmd(args: ExplainArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let month = month_arg(&args.period)?;
    let now = now_arg(&args.now)?;
    let mut s = config::store(opts)?;
    let inv = Inventory::load(&mut s)?;
    let wanted = args.circuit.trim();
    let norm = mnp_core::util::normalize_circuit_id(wanted);
    let matches: Vec<&Circuit> = inv
        .circuits
        .values()
        .filter(|c| args.vendor.as_deref().is_none_or(|v| c.vendor_id == v))
        .filter(|c| {
            c.internal_circuit_id.to_string() == wanted.to_ascii_lowercase()
                || mnp_core::util::normalize_circuit_id(&c.vendor_circuit_id) == norm
        })
        .collect();
    let spec = match matches.as_slice() {
        [c] => inv
            .circuit_subject(c)
            .map_err(anyhow::Error::msg)?
            .with_context(|| {
                format!(
                    "circuit {}/{} has no SLA: set its slaId (mnp circuits import) or give its vendor exactly one SLA",
                    c.vendor_id, c.vendor_circuit_id
                )
            })?,
        [] => match inv.groups.iter().find(|g| g.protection_group_id == wanted) {
            Some(g) => inv
                .group_subject(g)
                .map_err(anyhow::Error::msg)?
                .with_context(|| format!("group {wanted} has no slaId"))?,
            None => bail!("no circuit or protection group {wanted:?}"),
        },
        many => bail!(
            "{wanted:?} names {} circuits ({}); add --vendor",
            many.len(),
            many.iter()
                .map(|c| format!("{}/{}", c.vendor_id, c.vendor_circuit_id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut periods = periods_for(spec.sla.interval, spec.epoch, month.start, month.end)?;
    if periods.is_empty()
        && let Some(p) = period_containing(spec.sla.interval, spec.epoch, month.start)?
    {
        periods.push(p);
    }
    let mut out = std::io::stdout().lock();
    if periods.is_empty() {
        writeln!(out, "{}: no SLA period in {}", spec.name, args.period)?;
    }
    let mut names = Vec::new();
    for (n, p) in periods.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let mut tls = Timelines::default();
        for m in &spec.members {
            let one = Timelines::load(&mut s, Some(*m), p.start, p.end)?;
            tls.outages.extend(one.outages);
            tls.windows.extend(one.windows);
        }
        let members = tls.members(&inv, &spec.members, &mut names);
        let m = mnp_sla::evaluate::evaluate(spec.sla, &members, p, now)?;
        writeln!(out, "{} ({})", spec.name, subject_kind(&spec.subject))?;
        for line in &m.explanation {
            writeln!(out, "{line}")?;
        }
        match s.measurement(&spec.subject, p.start)? {
            None => writeln!(
                out,
                "stored measurement: none yet (mnp sla evaluate --period {})",
                p.start.format("%Y-%m")
            )?,
            Some(st) if st == stored(spec.subject.clone(), &m, st.evaluated_at) => writeln!(
                out,
                "stored measurement: the same (evaluated {})",
                st.evaluated_at.to_rfc3339()
            )?,
            Some(st) => writeln!(
                out,
                "stored measurement differs (evaluated {}: {} s outage, {} s excluded, {:.6} %); run mnp sla evaluate",
                st.evaluated_at.to_rfc3339(),
                st.outage_seconds,
                st.excluded_seconds,
                st.availability_percent
            )?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn subject_kind(s: &Subject) -> &'static str {
    match s {
        Subject::Circuit(_) => "circuit",
        Subject::Group(_) => "group",
    }
}

// ---------------------------------------------------------------- import, list

fn import_slas(file: &Path, s: &mut Store, reg: &Registry) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let defs = mnp_sla::definition::parse(&text).map_err(|errs| {
        let lines: Vec<String> = errs.0.iter().map(|e| e.to_string()).collect();
        anyhow::anyhow!(
            "{}: {} problem(s), nothing imported:\n  {}",
            file.display(),
            lines.len(),
            lines.join("\n  ")
        )
    })?;
    for d in &defs {
        for v in &d.vendors {
            if reg.get(v).is_none() {
                tracing::warn!(sla = %d.id, vendor = %v, "vendor is not a registered parser id");
            }
        }
    }
    s.transaction(|s| {
        for d in &defs {
            s.upsert_sla(&StoredSla {
                sla_id: d.id.clone(),
                name: d.name.clone(),
                uptime_percent: d.uptime_percent,
                interval_kind: d.interval.to_string(),
                strategy: d.strategy.clone(),
                definition: serde_json::to_string(d)
                    .map_err(|e| mnp_store::Error::Schema(e.to_string()))?,
                vendors: d.vendors.clone(),
            })?;
        }
        Ok(())
    })?;
    Ok(defs.into_iter().map(|d| d.id).collect())
}

pub fn run_sla(cmd: SlaCmd, opts: &GlobalOpts, reg: &Registry) -> anyhow::Result<ExitCode> {
    match cmd {
        SlaCmd::Evaluate(a) => return evaluate_cmd(a, opts),
        SlaCmd::Explain(a) => return explain_cmd(a, opts),
        SlaCmd::Strategies => {
            let mut out = std::io::stdout().lock();
            for d in mnp_sla::strategy::all() {
                writeln!(out, "{}\n  {}", d.id, d.doc)?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let mut s = config::store(opts)?;
    let mut out = std::io::stdout().lock();
    match cmd {
        SlaCmd::Import { file } => {
            let ids = import_slas(&file, &mut s, reg)?;
            writeln!(
                out,
                "imported {} SLA(s) from {}: {}",
                ids.len(),
                file.display(),
                ids.join(", ")
            )?;
        }
        SlaCmd::List => {
            let inv = Inventory::load(&mut s)?;
            let mut users: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for c in inv.circuits.values() {
                if let Ok(Some(d)) = inv.sla_of(c) {
                    users.entry(d.id.as_str()).or_default().0 += 1;
                }
            }
            for g in &inv.groups {
                if let Some(id) = &g.sla_id {
                    users.entry(id.as_str()).or_default().1 += 1;
                }
            }
            let mut t = Table::new(&[
                "sla", "uptime", "interval", "strategy", "vendors", "circuits", "groups",
            ]);
            for st in s.slas()? {
                let (c, g) = users.get(st.sla_id.as_str()).copied().unwrap_or_default();
                t.push(vec![
                    st.sla_id.clone(),
                    format!("{} %", st.uptime_percent),
                    st.interval_kind,
                    st.strategy,
                    st.vendors.join(","),
                    c.to_string(),
                    g.to_string(),
                ]);
            }
            write!(out, "{}", t.text())?;
            for p in &inv.problems {
                writeln!(out, "problem: {p}")?;
            }
        }
        SlaCmd::Evaluate(_) | SlaCmd::Explain(_) | SlaCmd::Strategies => {}
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- CSV helpers

/// A CSV file with a header, columns found by (case-insensitive) names.
struct Csv {
    headers: Vec<String>,
    rows: Vec<(usize, Result<csv::StringRecord, String>)>,
}

impl Csv {
    fn read(path: &Path) -> anyhow::Result<Csv> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .context("cannot read the CSV header")?
            .iter()
            .map(|h| h.to_string())
            .collect();
        let rows = rdr
            .records()
            .map(|r| match r {
                Ok(r) => (r.position().map_or(0, |p| p.line() as usize), Ok(r)),
                Err(e) => (
                    e.position().map_or(0, |p| p.line() as usize),
                    Err(format!("malformed row: {e}")),
                ),
            })
            .collect();
        Ok(Csv { headers, rows })
    }

    fn col(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    }
}

fn field(r: &csv::StringRecord, c: Option<usize>) -> Option<String> {
    c.and_then(|c| r.get(c))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// The circuit a (vendor, carrier id) pair names, or the reason it names none.
fn find_circuit(
    s: &mut Store,
    reg: &Registry,
    vendor: &str,
    id: &str,
) -> anyhow::Result<Result<Circuit, String>> {
    let Some(v) = reg.get(vendor).map(|e| e.id.clone()) else {
        return Ok(Err(format!(
            "unknown vendor {vendor:?} (see `mnp vendors list`)"
        )));
    };
    let scope = s.vendor_scope(&v)?;
    Ok(s.find_circuit(&scope, id)?
        .ok_or_else(|| format!("no circuit {v}/{id} in the inventory (mnp circuits import)")))
}

fn fail_rows(path: &Path, errors: &[String]) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: {} invalid row(s), nothing imported:\n  {}",
        path.display(),
        errors.len(),
        errors.join("\n  ")
    )
}

// ---------------------------------------------------------------- ports

pub fn run_ports(cmd: PortsCmd, opts: &GlobalOpts, reg: &Registry) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    s.sync_vendors(reg)?;
    let mut out = std::io::stdout().lock();
    match cmd {
        PortsCmd::Import { file } => {
            let csv = Csv::read(&file)?;
            let (Some(dc), Some(pc), Some(vc), Some(ic)) = (
                csv.col(&["device", "host"]),
                csv.col(&["port", "interface"]),
                csv.col(&["vendor", "vendorId"]),
                csv.col(&["vendorCircuitId", "circuit", "circuitId"]),
            ) else {
                bail!(
                    "{}: the header needs device, port, vendor and vendorCircuitId columns (found {:?})",
                    file.display(),
                    csv.headers
                );
            };
            let mut errors = Vec::new();
            let mut rows: Vec<PortMapping> = Vec::new();
            let mut seen: HashMap<(String, String), usize> = HashMap::new();
            for (line, rec) in &csv.rows {
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        errors.push(format!("line {line}: {e}"));
                        continue;
                    }
                };
                let (Some(d), Some(p), Some(v), Some(id)) = (
                    field(rec, Some(dc)),
                    field(rec, Some(pc)),
                    field(rec, Some(vc)),
                    field(rec, Some(ic)),
                ) else {
                    errors.push(format!(
                        "line {line}: device, port, vendor and vendorCircuitId are all required"
                    ));
                    continue;
                };
                let key = (normalize_device(&d), normalize_port(&p));
                if let Some(first) = seen.insert(key, *line) {
                    errors.push(format!(
                        "line {line}: port {d} {p} is already mapped on line {first} (Gi0/1 and GigabitEthernet0/1 are the same port)"
                    ));
                    continue;
                }
                match find_circuit(&mut s, reg, &v, &id)? {
                    Ok(c) => rows.push(PortMapping {
                        device: d,
                        port: p,
                        internal_circuit_id: c.internal_circuit_id,
                    }),
                    Err(e) => errors.push(format!("line {line}: {e}")),
                }
            }
            if !errors.is_empty() {
                return Err(fail_rows(&file, &errors));
            }
            let existing = s.ports()?;
            let replaced = s.transaction(|s| {
                let mut replaced = 0;
                for p in &rows {
                    let key = (normalize_device(&p.device), normalize_port(&p.port));
                    // the same port written differently before: one mapping only
                    for old in existing.iter().filter(|o| {
                        (normalize_device(&o.device), normalize_port(&o.port)) == key
                            && (o.device != p.device || o.port != p.port)
                    }) {
                        replaced += usize::from(s.delete_port(&old.device, &old.port)?);
                    }
                    s.upsert_port(p)?;
                }
                Ok(replaced)
            })?;
            writeln!(
                out,
                "imported {} port(s) from {}{}",
                rows.len(),
                file.display(),
                if replaced > 0 {
                    format!(" ({replaced} written differently before replaced)")
                } else {
                    String::new()
                }
            )?;
        }
        PortsCmd::List => {
            let inv = Inventory::load(&mut s)?;
            let mut t = Table::new(&["device", "port", "vendor", "circuit"]);
            for p in s.ports()? {
                let c = inv.circuits.get(&p.internal_circuit_id);
                t.push(vec![
                    p.device,
                    p.port,
                    c.map_or("-".into(), |c| c.vendor_id.clone()),
                    inv.name(&p.internal_circuit_id),
                ]);
            }
            write!(out, "{}", t.text())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------- groups

/// Group-level columns already given: column → (value, line).
type Given<'a> = BTreeMap<&'a str, (String, usize)>;

pub fn run_groups(cmd: GroupsCmd, opts: &GlobalOpts, reg: &Registry) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    s.sync_vendors(reg)?;
    let mut out = std::io::stdout().lock();
    match cmd {
        GroupsCmd::Import { file } => {
            let csv = Csv::read(&file)?;
            let (Some(gc), Some(vc), Some(ic)) = (
                csv.col(&["group", "protectionGroupId"]),
                csv.col(&["vendor", "vendorId"]),
                csv.col(&["vendorCircuitId", "circuit", "circuitId"]),
            ) else {
                bail!(
                    "{}: the header needs group, vendor and vendorCircuitId columns (found {:?})",
                    file.display(),
                    csv.headers
                );
            };
            let (nc, cc, sc, ec) = (
                csv.col(&["name"]),
                csv.col(&["customer", "customerId"]),
                csv.col(&["slaId", "sla"]),
                csv.col(&["slaEpoch"]),
            );
            let slas: BTreeSet<String> = s.slas()?.into_iter().map(|x| x.sla_id).collect();
            let mut errors = Vec::new();
            let mut groups: BTreeMap<String, (ProtectionGroup, Given<'_>)> = BTreeMap::new();
            for (line, rec) in &csv.rows {
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        errors.push(format!("line {line}: {e}"));
                        continue;
                    }
                };
                let (Some(g), Some(v), Some(id)) = (
                    field(rec, Some(gc)),
                    field(rec, Some(vc)),
                    field(rec, Some(ic)),
                ) else {
                    errors.push(format!(
                        "line {line}: group, vendor and vendorCircuitId are all required"
                    ));
                    continue;
                };
                let (grp, given) = groups.entry(g.clone()).or_insert_with(|| {
                    (
                        ProtectionGroup {
                            protection_group_id: g.clone(),
                            name: g.clone(),
                            customer_id: None,
                            sla_id: None,
                            sla_epoch: None,
                            members: Vec::new(),
                        },
                        BTreeMap::new(),
                    )
                });
                for (key, c) in [
                    ("name", nc),
                    ("customer", cc),
                    ("slaId", sc),
                    ("slaEpoch", ec),
                ] {
                    let Some(val) = field(rec, c) else { continue };
                    if let Some((prev, first)) = given.get(key) {
                        if *prev != val {
                            errors.push(format!(
                                "line {line}: group {g}: {key} {val:?} differs from {prev:?} on line {first}"
                            ));
                        }
                        continue;
                    }
                    match key {
                        "name" => grp.name = val.clone(),
                        "customer" => grp.customer_id = Some(val.clone()),
                        "slaId" if !slas.contains(&val) => errors.push(format!(
                            "line {line}: slaId {val:?} is not a stored SLA (mnp sla import first)"
                        )),
                        "slaId" => grp.sla_id = Some(val.clone()),
                        _ => match DateTime::parse_from_rfc3339(&val) {
                            Ok(t) => grp.sla_epoch = Some(t.with_timezone(&Utc)),
                            Err(_) => errors.push(format!(
                                "line {line}: slaEpoch {val:?} is not an RFC 3339 time"
                            )),
                        },
                    }
                    given.insert(key, (val, *line));
                }
                match find_circuit(&mut s, reg, &v, &id)? {
                    Ok(c) if grp.members.contains(&c.internal_circuit_id) => errors.push(format!(
                        "line {line}: circuit {v}/{id} is listed twice in group {g}"
                    )),
                    Ok(c) => grp.members.push(c.internal_circuit_id),
                    Err(e) => errors.push(format!("line {line}: {e}")),
                }
            }
            if !errors.is_empty() {
                return Err(fail_rows(&file, &errors));
            }
            s.transaction(|s| {
                for (g, _) in groups.values() {
                    if let Some(c) = &g.customer_id
                        && s.customer(c)?.is_none()
                    {
                        s.upsert_customer(&mnp_store::Customer {
                            customer_id: c.clone(),
                            name: c.clone(),
                            contact_email: None,
                            account_manager_email: None,
                            cx_team_email: None,
                        })?;
                    }
                    s.upsert_protection_group(g)?;
                }
                Ok(())
            })?;
            writeln!(
                out,
                "imported {} protection group(s) from {}",
                groups.len(),
                file.display()
            )?;
        }
        GroupsCmd::List => {
            let inv = Inventory::load(&mut s)?;
            let mut t = Table::new(&["group", "name", "sla", "epoch", "members"]);
            for g in &inv.groups {
                t.push(vec![
                    g.protection_group_id.clone(),
                    g.name.clone(),
                    g.sla_id.clone().unwrap_or_else(|| "-".into()),
                    g.sla_epoch.map_or("-".into(), |e| e.to_rfc3339()),
                    {
                        let mut names: Vec<String> =
                            g.members.iter().map(|m| inv.name(m)).collect();
                        names.sort();
                        names.join(",")
                    },
                ]);
            }
            write!(out, "{}", t.text())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn ranges_merge_overlapping_and_touching_periods_only() {
        let p = |a: &str, b: &str| Period::new(t(a), t(b)).unwrap();
        let r = ranges([
            p("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"),
            p("2026-10-15T00:00:00Z", "2026-11-15T00:00:00Z"),
            p("2026-11-15T00:00:00Z", "2026-11-16T00:00:00Z"),
            p("2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z"),
        ]);
        assert_eq!(
            r,
            vec![
                (t("2024-03-01T00:00:00Z"), t("2024-04-01T00:00:00Z")),
                (t("2026-10-01T00:00:00Z"), t("2026-11-16T00:00:00Z")),
            ]
        );
    }
}
