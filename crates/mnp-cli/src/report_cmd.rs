//! `mnp report`: SLA breaches with credits, per-provider outage totals,
//! forecast accuracy and MTTR for a month, as a table, CSV or JSON, with an
//! optional SVG bar chart. The numbers come from `mnp_sla::report` (and the
//! stored measurements); this file only loads and renders.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use mnp_core::{Impact, Status};
use mnp_sla::period::Period;
use mnp_sla::report::{Bar, CircuitInfo, MeasurementRecord, OutageRecord, WindowRecord, bar_chart};
use mnp_store::{Store, Subject};
use serde::Serialize;
use uuid::Uuid;

use crate::config::{self, GlobalOpts};
use crate::sla_cmd::{month_arg, now_arg, subject_kind};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Which report.
    #[arg(value_enum)]
    kind: ReportKind,
    /// Month (YYYY-MM, UTC). `sla` shows the measurements of SLA periods
    /// starting in it; the others look at outages and windows overlapping it.
    #[arg(long, value_name = "YYYY-MM")]
    period: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write a bar chart (SVG, self-contained) to this file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// `sla`: list every measurement, not only breaches.
    #[arg(long)]
    all: bool,
    /// The time open outages count until (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ReportKind {
    /// SLA breaches with their credits (from `mnp sla evaluate`).
    Sla,
    /// Per provider: outage count and minutes, MTTR, breaches.
    Providers,
    /// Outages inside forecast windows vs unforecast, windows without
    /// outage, outages longer than announced.
    ForecastAccuracy,
    /// Mean time to repair per circuit.
    Mttr,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Json,
}

/// Rows of strings with a header, rendered aligned or as CSV.
pub(crate) struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Aligned columns, two blanks apart; empty cells shown as `-`.
    pub fn text(&self) -> String {
        let cell = |s: &str| {
            if s.is_empty() {
                "-".to_string()
            } else {
                s.to_string()
            }
        };
        let mut width: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                if let Some(w) = width.get_mut(i) {
                    *w = (*w).max(cell(c).chars().count());
                }
            }
        }
        let line = |cells: Vec<String>| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let w = width.get(i).copied().unwrap_or(0);
                if i + 1 == cells.len() {
                    s.push_str(c);
                } else {
                    s.push_str(&format!("{c:<w$}  "));
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(self.headers.clone());
        for r in &self.rows {
            out.push_str(&line(r.iter().map(|c| cell(c)).collect()));
        }
        out
    }

    pub fn csv(&self) -> anyhow::Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.headers)?;
        for r in &self.rows {
            w.write_record(r)?;
        }
        Ok(String::from_utf8(w.into_inner().context("csv")?)?)
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn ts(t: DateTime<Utc>) -> String {
    mnp_store::db::time_text(&t)
}

/// Circuits as report names, keyed by internal id.
fn circuit_infos(s: &mut Store) -> anyhow::Result<BTreeMap<Uuid, CircuitInfo>> {
    Ok(s.circuits()?
        .into_iter()
        .map(|c| {
            (
                c.internal_circuit_id,
                CircuitInfo {
                    name: c.vendor_circuit_id,
                    provider: c.vendor_id,
                    customer: c.customer_id,
                },
            )
        })
        .collect())
}

fn outage_records(s: &mut Store, p: &Period) -> anyhow::Result<Vec<OutageRecord<Uuid>>> {
    Ok(s.outages_overlapping(None, p.start, p.end)?
        .into_iter()
        .map(|o| OutageRecord {
            circuit: o.internal_circuit_id,
            begin: o.begin,
            end: o.end,
        })
        .collect())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SlaRow {
    kind: &'static str,
    name: String,
    provider: String,
    customer: Option<String>,
    sla: String,
    period_start: DateTime<Utc>,
    period_end: DateTime<Utc>,
    outage_seconds: i64,
    excluded_seconds: i64,
    counted_seconds: i64,
    availability_percent: f64,
    breached: bool,
    credit_percent: f64,
    /// When the stored values were computed (JSON only).
    evaluated_at: DateTime<Utc>,
}

/// What a report produced: rows for the table/CSV, a JSON value, bars.
struct Rendered {
    preamble: Vec<String>,
    table: Table,
    json: serde_json::Value,
    chart: (String, &'static str, Vec<Bar>),
}

fn sla_report(s: &mut Store, month: &Period, all: bool) -> anyhow::Result<Rendered> {
    let infos = circuit_infos(s)?;
    let groups: BTreeMap<String, mnp_store::ProtectionGroup> = s
        .protection_groups()?
        .into_iter()
        .map(|g| (g.protection_group_id.clone(), g))
        .collect();
    let mut rows = Vec::new();
    for m in s.measurements(month.start, month.end)? {
        if !all && !m.breached {
            continue;
        }
        let (name, provider, customer) = match &m.subject {
            Subject::Circuit(id) => match infos.get(id) {
                Some(c) => (c.name.clone(), c.provider.clone(), c.customer.clone()),
                None => (id.to_string(), String::new(), None),
            },
            Subject::Group(g) => {
                let grp = groups.get(g);
                let vendors: BTreeSet<&str> = grp
                    .map(|g| {
                        g.members
                            .iter()
                            .filter_map(|m| infos.get(m).map(|c| c.provider.as_str()))
                            .collect()
                    })
                    .unwrap_or_default();
                (
                    g.clone(),
                    vendors.into_iter().collect::<Vec<_>>().join(";"),
                    grp.and_then(|g| g.customer_id.clone()),
                )
            }
        };
        rows.push(SlaRow {
            kind: subject_kind(&m.subject),
            name,
            provider,
            customer,
            counted_seconds: m.counted_seconds(),
            sla: m.sla_id,
            period_start: m.period_start,
            period_end: m.period_end,
            outage_seconds: m.outage_seconds,
            excluded_seconds: m.excluded_seconds,
            availability_percent: m.availability_percent,
            breached: m.breached,
            credit_percent: m.credit_percent,
            evaluated_at: m.evaluated_at,
        });
    }
    rows.sort_by(|a, b| {
        (b.breached, b.credit_percent, b.counted_seconds)
            .partial_cmp(&(a.breached, a.credit_percent, a.counted_seconds))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| (a.kind, &a.name, a.period_start).cmp(&(b.kind, &b.name, b.period_start)))
    });
    let mut t = Table::new(&[
        "kind",
        "name",
        "provider",
        "customer",
        "sla",
        "periodStart",
        "periodEnd",
        "outageSeconds",
        "excludedSeconds",
        "countedSeconds",
        "availabilityPercent",
        "breached",
        "creditPercent",
    ]);
    for r in &rows {
        t.push(vec![
            r.kind.into(),
            r.name.clone(),
            r.provider.clone(),
            opt(r.customer.clone()),
            r.sla.clone(),
            ts(r.period_start),
            ts(r.period_end),
            r.outage_seconds.to_string(),
            r.excluded_seconds.to_string(),
            r.counted_seconds.to_string(),
            format!("{:.6}", r.availability_percent),
            r.breached.to_string(),
            r.credit_percent.to_string(),
        ]);
    }
    let breaches = rows.iter().filter(|r| r.breached).count();
    let bars = rows
        .iter()
        .map(|r| Bar {
            label: r.name.clone(),
            value: r.counted_seconds as f64 / 60.0,
            highlight: r.breached,
        })
        .collect();
    Ok(Rendered {
        preamble: vec![format!(
            "{breaches} breach(es) in SLA periods starting {}",
            month.start.format("%Y-%m")
        )],
        table: t,
        json: serde_json::to_value(&rows)?,
        chart: (
            format!(
                "Counted outage minutes, SLA periods starting {} (red: breached)",
                month.start.format("%Y-%m")
            ),
            "min",
            bars,
        ),
    })
}

fn providers_report(s: &mut Store, month: &Period, now: DateTime<Utc>) -> anyhow::Result<Rendered> {
    let infos = circuit_infos(s)?;
    let outages = outage_records(s, month)?;
    let ms: Vec<MeasurementRecord<Uuid>> = s
        .measurements(month.start, month.end)?
        .into_iter()
        .filter_map(|m| match m.subject {
            Subject::Circuit(c) => Some(MeasurementRecord {
                circuit: c,
                breached: m.breached,
                credit_percent: m.credit_percent,
            }),
            Subject::Group(_) => None,
        })
        .collect();
    let rows = mnp_sla::report::providers(month, &infos, &outages, &ms, now);
    let mut t = Table::new(&[
        "provider",
        "circuits",
        "outages",
        "openOutages",
        "outageMinutes",
        "repaired",
        "mttrMinutes",
        "longestMinutes",
        "breaches",
        "creditPercentSum",
    ]);
    for r in &rows {
        t.push(vec![
            r.provider.clone(),
            r.circuits.to_string(),
            r.outages.to_string(),
            r.open_outages.to_string(),
            r.outage_minutes.to_string(),
            r.repaired.to_string(),
            opt(r.mttr_minutes),
            opt(r.longest_minutes),
            r.breaches.to_string(),
            r.credit_percent_sum.to_string(),
        ]);
    }
    let bars = rows
        .iter()
        .map(|r| Bar {
            label: r.provider.clone(),
            value: r.outage_minutes,
            highlight: r.breaches > 0,
        })
        .collect();
    Ok(Rendered {
        preamble: Vec::new(),
        table: t,
        json: serde_json::to_value(&rows)?,
        chart: (
            format!(
                "Outage minutes per provider, {} (red: SLA breached)",
                month.start.format("%Y-%m")
            ),
            "min",
            bars,
        ),
    })
}

fn forecast_report(s: &mut Store, month: &Period, now: DateTime<Utc>) -> anyhow::Result<Rendered> {
    let infos = circuit_infos(s)?;
    let outages = outage_records(s, month)?;
    let windows: Vec<WindowRecord<Uuid>> = s
        .forecast_windows_overlapping(None, month.start, month.end)?
        .into_iter()
        .filter_map(|e| {
            Some(WindowRecord {
                circuit: e.internal_circuit_id?,
                begin: e.begin_window?,
                end: e.end_window?,
                status: e.status.parse().unwrap_or(Status::Unknown),
                impact: e.impact.as_deref().and_then(|i| i.parse::<Impact>().ok()),
                impact_seconds: e.impact_duration,
                reference: e.vendor_maintenance_id,
            })
        })
        .collect();
    let r = mnp_sla::report::forecast_accuracy(month, &infos, &outages, &windows, now);
    let sm = &r.summary;
    let mut t = Table::new(&[
        "kind",
        "circuit",
        "provider",
        "reference",
        "begin",
        "end",
        "outageSeconds",
        "forecastSeconds",
        "announcedSeconds",
        "finding",
    ]);
    for row in &r.rows {
        t.push(vec![
            row.kind.into(),
            row.circuit.clone(),
            row.provider.clone(),
            row.reference.clone(),
            row.begin.clone(),
            row.end.clone(),
            row.outage_seconds.to_string(),
            row.forecast_seconds.to_string(),
            opt(row.announced_seconds),
            row.finding.as_str().into(),
        ]);
    }
    let preamble = vec![
        format!(
            "outages: {} ({} inside forecast windows, {} partly inside, {} unforecast); {} of {} outage seconds forecast",
            sm.outages,
            sm.inside,
            sm.partly_inside,
            sm.unforecast,
            sm.forecast_outage_seconds,
            sm.outage_seconds
        ),
        format!(
            "forecast windows: {} ({} caused no outage, {} longer than announced, {} without announced impact)",
            sm.windows,
            sm.windows_without_outage,
            sm.longer_than_announced,
            sm.impact_not_announced
        ),
    ];
    let bar = |label: &str, v: usize, highlight: bool| Bar {
        label: label.into(),
        value: v as f64,
        highlight,
    };
    let bars = vec![
        bar("outages inside windows", sm.inside, false),
        bar("outages partly inside", sm.partly_inside, false),
        bar("unforecast outages", sm.unforecast, true),
        bar("windows without outage", sm.windows_without_outage, false),
        bar("longer than announced", sm.longer_than_announced, true),
    ];
    Ok(Rendered {
        preamble,
        table: t,
        json: serde_json::to_value(&r)?,
        chart: (
            format!("Forecast accuracy, {}", month.start.format("%Y-%m")),
            "",
            bars,
        ),
    })
}

fn mttr_report(s: &mut Store, month: &Period, now: DateTime<Utc>) -> anyhow::Result<Rendered> {
    let infos = circuit_infos(s)?;
    let outages = outage_records(s, month)?;
    let rows = mnp_sla::report::mttr(month, &infos, &outages, now);
    let mut t = Table::new(&[
        "circuit",
        "provider",
        "customer",
        "outages",
        "outageSeconds",
        "repaired",
        "mttrSeconds",
        "longestSeconds",
    ]);
    for r in &rows {
        t.push(vec![
            r.circuit.clone(),
            r.provider.clone(),
            opt(r.customer.clone()),
            r.outages.to_string(),
            r.outage_seconds.to_string(),
            r.repaired.to_string(),
            opt(r.mttr_seconds),
            opt(r.longest_seconds),
        ]);
    }
    let bars = rows
        .iter()
        .filter_map(|r| {
            Some(Bar {
                label: r.circuit.clone(),
                value: r.mttr_seconds? as f64 / 60.0,
                highlight: false,
            })
        })
        .collect();
    Ok(Rendered {
        preamble: Vec::new(),
        table: t,
        json: serde_json::to_value(&rows)?,
        chart: (
            format!("Mean time to repair, {}", month.start.format("%Y-%m")),
            "min",
            bars,
        ),
    })
}

pub fn run(args: ReportArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let month = month_arg(&args.period)?;
    let now = now_arg(&args.now)?;
    let mut s = config::store(opts)?;
    let r = match args.kind {
        ReportKind::Sla => sla_report(&mut s, &month, args.all)?,
        ReportKind::Providers => providers_report(&mut s, &month, now)?,
        ReportKind::ForecastAccuracy => forecast_report(&mut s, &month, now)?,
        ReportKind::Mttr => mttr_report(&mut s, &month, now)?,
    };
    if let Some(path) = &args.svg {
        let (title, unit, bars) = &r.chart;
        std::fs::write(path, bar_chart(title, unit, bars))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            for l in &r.preamble {
                writeln!(out, "{l}")?;
            }
            write!(out, "{}", r.table.text())?;
        }
        Format::Csv => write!(out, "{}", r.table.csv()?)?,
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&r.json)?)?,
    }
    Ok(ExitCode::SUCCESS)
}
