//! `mnp outages`: detect outages from link-state logs and store them; list
//! what is stored. [`store_detection`] is shared with `POST
//! /api/v1/log-events` in `mnp serve`.
//!
//! A detection runs in one transaction with the outage table locked: it
//! loads the port map and the outages still open, continues them with the
//! new events (`mnp_sla::detector::detect_continuing`, so the first UP of a
//! later file closes an outage an earlier one opened) and records every
//! outage by (circuit, begin). Feeding the same log twice changes nothing.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use clap::{Args, Subcommand, ValueEnum};
use mnp_sla::detector::{DetectorConfig, PortTable, detect_continuing};
use mnp_sla::logs::{InputFormat, ParseOptions, ParseReport, parse_bytes};
use mnp_store::{NewOutage, OutageWrite, Store};
use serde::Serialize;
use uuid::Uuid;

use crate::config::{self, GlobalOpts};
use crate::report_cmd::Table;

#[derive(Subcommand, Debug)]
pub enum OutagesCmd {
    /// Read link UP/DOWN log lines (syslog RFC 3164/5424 of Cisco, Juniper,
    /// Arista; JSON lines {device, port, state, ts}), map ports to circuits
    /// (mnp ports import) and store the outages. Outages still open in the
    /// database are continued. Skipped lines and events on unknown ports are
    /// reported with their line numbers; exit code 1 when a line was
    /// malformed.
    Detect(DetectArgs),
    /// List stored outages.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct DetectArgs {
    /// Log file, or `-` for standard input.
    #[arg(long, value_name = "FILE|-")]
    input: String,
    /// What the input holds: auto (per line: `{` starts JSON), syslog, jsonl.
    #[arg(long, default_value = "auto")]
    format: String,
    /// Time zone of timestamps written without one (all RFC 3164 ones).
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    zone: String,
    /// Year of the first RFC 3164 line (its header has none; later lines
    /// roll over at New Year). Default: the current year.
    #[arg(long)]
    year: Option<i32>,
    /// Down periods of a circuit at most this far apart merge into one
    /// outage: seconds, or with a unit (90s, 2m, 1h). Default 0: only
    /// touching ones.
    #[arg(long, default_value = "0", value_name = "DURATION")]
    merge_gap: String,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only outages overlapping this month (YYYY-MM, UTC).
    #[arg(long, value_name = "YYYY-MM")]
    period: Option<String>,
    /// Only open outages.
    #[arg(long)]
    open: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

/// `90`, `90s`, `2m`, `1h`, `1d` → seconds.
pub(crate) fn parse_gap(s: &str) -> anyhow::Result<TimeDelta> {
    let t = s.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map_or((t, ""), |i| t.split_at(i));
    let n: i64 = num
        .parse()
        .with_context(|| format!("merge gap {s:?}: expected seconds or 90s, 2m, 1h"))?;
    let mult = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        u => bail!("merge gap {s:?}: unknown unit {u:?} (s, m, h, d)"),
    };
    n.checked_mul(mult)
        .and_then(TimeDelta::try_seconds)
        .with_context(|| format!("merge gap {s:?} is too large"))
}

/// A time zone name such as `Europe/Berlin` or `UTC`.
pub(crate) fn parse_zone(s: &str) -> anyhow::Result<chrono_tz::Tz> {
    s.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        anyhow::anyhow!("unknown time zone {s:?} (an IANA name such as Europe/Berlin or UTC)")
    })
}

/// `1-3, 7, 9-10`: line numbers compressed into ranges.
pub(crate) fn line_ranges(lines: impl IntoIterator<Item = usize>) -> String {
    let mut v: Vec<usize> = lines.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&a) = v.get(i) {
        let mut j = i;
        while v.get(j + 1).is_some_and(|n| *n == v[j] + 1) {
            j += 1;
        }
        let b = v[j];
        parts.push(if a == b {
            a.to_string()
        } else {
            format!("{a}-{b}")
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// A line that gave no event (not counting plain noise).
#[derive(Debug, Clone, Serialize)]
pub struct Rejected {
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub error: String,
}

/// Events on a port the map does not know.
#[derive(Debug, Clone, Serialize)]
pub struct Unknown {
    /// Device as first written.
    pub device: String,
    /// Port as first written.
    pub port: String,
    /// Number of events.
    pub events: usize,
    /// Their line numbers.
    pub lines: Vec<usize>,
}

/// What one detection read and stored.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetectSummary {
    /// Non-blank lines read.
    pub lines: usize,
    /// Link UP/DOWN events read.
    pub events: usize,
    /// Lines that are valid syslog but no link-state message.
    pub noise: usize,
    /// Their line numbers, compressed (`1-3, 7`).
    #[serde(skip)]
    pub noise_lines: String,
    /// Malformed lines, with numbers and reasons.
    pub rejected: Vec<Rejected>,
    /// Events on unmapped ports.
    pub unknown_ports: Vec<Unknown>,
    /// UPs with no open outage (ignored).
    pub ups_without_down: usize,
    /// DOWNs while already down (no second outage).
    pub repeated_downs: usize,
    /// Down and up within the same second (no outage).
    pub instant_flaps: usize,
    /// Outages found (including ones continued from the database).
    pub outages: usize,
    /// New outages stored.
    pub inserted: usize,
    /// Open outages closed.
    pub closed: usize,
    /// Closed outages whose end moved.
    pub updated: usize,
    /// Outages already stored as found.
    pub unchanged: usize,
    /// Outages still open after this input.
    pub still_open: usize,
}

/// Detect outages in parsed events and record them (see the module docs).
pub fn store_detection(
    store: &mut Store,
    report: &ParseReport,
    merge_gap: TimeDelta,
    source: &str,
) -> mnp_store::Result<DetectSummary> {
    let mut sum = DetectSummary {
        lines: report.lines,
        events: report.events.len(),
        noise: report.unrecognised(),
        noise_lines: line_ranges(
            report
                .skipped
                .iter()
                .filter(|(_, e)| e.is_noise())
                .map(|(l, _)| *l),
        ),
        rejected: report
            .skipped
            .iter()
            .filter(|(_, e)| !e.is_noise())
            .map(|(line, e)| Rejected {
                line: *line,
                error: e.to_string(),
            })
            .collect(),
        ..Default::default()
    };
    store.transaction(|s| {
        s.lock_outages()?;
        let ports: PortTable<Uuid> = s
            .ports()?
            .into_iter()
            .map(|p| (p.device, p.port, p.internal_circuit_id))
            .collect();
        let open: Vec<(Uuid, DateTime<Utc>)> = s
            .open_outages(None)?
            .into_iter()
            .map(|o| (o.internal_circuit_id, o.begin))
            .collect();
        let d = detect_continuing(&report.events, &ports, &DetectorConfig { merge_gap }, &open);
        sum.unknown_ports = d
            .unknown_ports
            .iter()
            .map(|u| Unknown {
                device: u.written.0.clone(),
                port: u.written.1.clone(),
                events: u.events,
                lines: u.lines.clone(),
            })
            .collect();
        sum.ups_without_down = d.ups_without_down.len();
        sum.repeated_downs = d.repeated_downs.len();
        sum.instant_flaps = d.instant_flaps.len();
        sum.outages = d.outages.len();
        for o in &d.outages {
            sum.still_open += usize::from(o.end.is_none());
            let w = s.record_outage(&NewOutage {
                internal_circuit_id: o.circuit,
                begin: o.begin,
                end: o.end,
                source: source.to_string(),
            })?;
            match w {
                OutageWrite::Inserted => sum.inserted += 1,
                OutageWrite::Closed => sum.closed += 1,
                OutageWrite::Updated => sum.updated += 1,
                OutageWrite::Unchanged => sum.unchanged += 1,
            }
        }
        Ok(())
    })?;
    tracing::info!(
        source,
        lines = sum.lines,
        events = sum.events,
        outages = sum.outages,
        inserted = sum.inserted,
        closed = sum.closed,
        "outages detected"
    );
    Ok(sum)
}

fn detect(args: DetectArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let format: InputFormat = args.format.parse().map_err(anyhow::Error::msg)?;
    let zone = parse_zone(&args.zone)?;
    let gap = parse_gap(&args.merge_gap)?;
    let year = args.year.unwrap_or_else(|| Utc::now().year());
    let (bytes, source) = if args.input == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .context("cannot read standard input")?;
        (b, "log:stdin".to_string())
    } else {
        let b =
            std::fs::read(&args.input).with_context(|| format!("cannot read {}", args.input))?;
        let name = std::path::Path::new(&args.input)
            .file_name()
            .map_or(args.input.clone(), |n| n.to_string_lossy().into_owned());
        (b, format!("log:{name}"))
    };
    let report = parse_bytes(&bytes, &ParseOptions::new(year, zone).with_format(format));
    let mut s = config::store(opts)?;
    let sum = store_detection(&mut s, &report, gap, &source)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "read {} line(s): {} link event(s), {} other message(s), {} malformed",
        sum.lines,
        sum.events,
        sum.noise,
        sum.rejected.len()
    )?;
    if sum.noise > 0 {
        writeln!(out, "  not link-state messages: lines {}", sum.noise_lines)?;
    }
    for r in &sum.rejected {
        writeln!(out, "  line {}: {}", r.line, r.error)?;
    }
    for u in &sum.unknown_ports {
        writeln!(
            out,
            "unknown port {} {}: {} event(s) on lines {}",
            u.device,
            u.port,
            u.events,
            line_ranges(u.lines.iter().copied())
        )?;
    }
    writeln!(
        out,
        "{} outage(s): {} new, {} closed, {} updated, {} unchanged; {} still open",
        sum.outages, sum.inserted, sum.closed, sum.updated, sum.unchanged, sum.still_open
    )?;
    if sum.ups_without_down + sum.repeated_downs + sum.instant_flaps > 0 {
        writeln!(
            out,
            "ignored: {} UP without DOWN, {} repeated DOWN, {} instant flap(s)",
            sum.ups_without_down, sum.repeated_downs, sum.instant_flaps
        )?;
    }
    Ok(if sum.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutageOut {
    circuit: String,
    vendor: String,
    internal_circuit_id: Uuid,
    begin: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    duration_seconds: Option<i64>,
    evaluated: bool,
    source: String,
}

fn list(args: ListArgs, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let mut s = config::store(opts)?;
    let circuits: std::collections::HashMap<Uuid, mnp_store::Circuit> = s
        .circuits()?
        .into_iter()
        .map(|c| (c.internal_circuit_id, c))
        .collect();
    let outages = match (&args.period, args.open) {
        (_, true) => s.open_outages(None)?,
        (Some(p), false) => {
            let m = crate::sla_cmd::month_arg(p)?;
            s.outages_overlapping(None, m.start, m.end)?
        }
        (None, false) => {
            // every outage: instants the SQLite text form orders correctly
            let (from, to) = (
                DateTime::<Utc>::UNIX_EPOCH,
                DateTime::parse_from_rfc3339("9999-12-31T23:59:59Z")
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            );
            s.outages_overlapping(None, from, to)?
        }
    };
    let mut rows: Vec<OutageOut> = outages
        .into_iter()
        .map(|o| {
            let c = circuits.get(&o.internal_circuit_id);
            OutageOut {
                circuit: c.map_or_else(
                    || o.internal_circuit_id.to_string(),
                    |c| c.vendor_circuit_id.clone(),
                ),
                vendor: c.map_or_else(String::new, |c| c.vendor_id.clone()),
                internal_circuit_id: o.internal_circuit_id,
                begin: o.begin,
                end: o.end,
                duration_seconds: o.duration_seconds,
                evaluated: o.evaluated,
                source: o.source,
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.vendor, &a.circuit, a.begin).cmp(&(&b.vendor, &b.circuit, b.begin)));
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        ListFormat::Table => {
            let mut t = Table::new(&[
                "circuit",
                "vendor",
                "begin",
                "end",
                "seconds",
                "evaluated",
                "source",
            ]);
            for r in rows {
                t.push(vec![
                    r.circuit,
                    r.vendor,
                    mnp_store::db::time_text(&r.begin),
                    r.end
                        .map_or_else(|| "open".into(), |e| mnp_store::db::time_text(&e)),
                    r.duration_seconds.map_or("-".into(), |d| d.to_string()),
                    if r.evaluated { "yes" } else { "no" }.into(),
                    r.source,
                ]);
            }
            write!(out, "{}", t.text())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(cmd: OutagesCmd, opts: &GlobalOpts) -> anyhow::Result<ExitCode> {
    match cmd {
        OutagesCmd::Detect(a) => detect(a, opts),
        OutagesCmd::List(a) => list(a, opts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_line_ranges() {
        assert_eq!(parse_gap("60s").unwrap(), TimeDelta::seconds(60));
        assert_eq!(parse_gap("90").unwrap(), TimeDelta::seconds(90));
        assert_eq!(parse_gap("2m").unwrap(), TimeDelta::seconds(120));
        assert_eq!(parse_gap("1h").unwrap(), TimeDelta::seconds(3600));
        assert!(parse_gap("soon").is_err());
        assert!(parse_gap("5y").is_err());
        assert_eq!(line_ranges([7, 1, 2, 3, 9, 10, 3]), "1-3, 7, 9-10");
        assert_eq!(line_ranges([]), "");
        assert!(parse_zone("Europe/Berlin").is_ok());
        assert!(parse_zone("Mars/Olympus").is_err());
    }
}
