//! Reports over outages and forecast maintenance: per provider, MTTR per
//! circuit, and how well carriers' announcements matched what happened —
//! plus a small self-contained SVG bar chart. Pure: the CLI loads the
//! records for a period, calls these and renders the rows.
//!
//! Circuits are keyed by any `K: Ord + Clone` (the CLI uses internal
//! circuit ids); [`CircuitInfo`] names them.
//!
//! # Conventions
//!
//! * **Whole seconds**, like the evaluator; instants are truncated.
//! * **Outages in a period** are those overlapping it; their *outage
//!   seconds* are the part inside the period, overlapping outages of one
//!   circuit merged. An open outage runs until `now` (and at most to the
//!   period end).
//! * **MTTR** (mean time to repair) is the mean full duration of the outages
//!   *repaired* in the period — closed, with their end inside it — so an
//!   outage is repaired in exactly one period and a long one crossing a
//!   month boundary is not cut short.
//! * **Forecast accuracy** looks at the current, non-cancelled forecast
//!   windows of each circuit (the evaluator's convention):
//!   * an outage is `inside` when every second of it lies in windows of its
//!     circuit, `partly-inside` when some do, `unforecast` when none do;
//!   * a window *caused no outage* when no outage of its circuit overlaps
//!     it; otherwise the outage seconds inside it are compared with the
//!     announced impact: `NO-IMPACT` announces 0 s, other impacts the
//!     maintenance's impact duration; more than announced is
//!     `longer-than-announced`, no announced duration is
//!     `impact-not-announced`.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use mnp_core::{Impact, Status};
use serde::Serialize;

use crate::period::{Period, rfc3339};
use crate::strategy::Intervals;

/// How to name a circuit in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircuitInfo {
    /// The carrier's circuit id (or another name for people).
    pub name: String,
    /// Provider (vendor id).
    pub provider: String,
    /// Owning customer.
    pub customer: Option<String>,
}

/// One outage of a circuit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutageRecord<K> {
    /// The circuit.
    pub circuit: K,
    /// Begin.
    pub begin: DateTime<Utc>,
    /// End; `None` while open.
    pub end: Option<DateTime<Utc>>,
}

/// One forecast maintenance window of a circuit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowRecord<K> {
    /// The circuit.
    pub circuit: K,
    /// The carrier's maintenance id.
    pub reference: String,
    /// Window start.
    pub begin: DateTime<Utc>,
    /// Window end.
    pub end: DateTime<Utc>,
    /// Status; cancelled windows are ignored.
    pub status: Status,
    /// Announced impact on this circuit.
    pub impact: Option<Impact>,
    /// Announced impact duration of the maintenance, in seconds.
    pub impact_seconds: Option<i64>,
}

/// One SLA measurement, for the provider totals.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementRecord<K> {
    /// The circuit.
    pub circuit: K,
    /// Below the promised uptime.
    pub breached: bool,
    /// Credit in percent of the MRC.
    pub credit_percent: f64,
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn minutes(s: i64) -> f64 {
    (s as f64 / 60.0 * 100.0).round() / 100.0
}

/// The outage as a span of seconds, an open one until `now`.
fn span<K>(o: &OutageRecord<K>, now: DateTime<Utc>) -> (i64, i64) {
    (secs(o.begin), secs(o.end.unwrap_or(now)))
}

fn overlaps<K>(o: &OutageRecord<K>, p: &Period, now: DateTime<Utc>) -> bool {
    let (b, e) = span(o, now);
    b < secs(p.end) && e > secs(p.start)
}

fn repaired_in<K>(o: &OutageRecord<K>, p: &Period) -> Option<i64> {
    let end = o.end?;
    (end > p.start && end <= p.end).then(|| (secs(end) - secs(o.begin)).max(0))
}

/// Outage seconds inside the period per circuit, overlaps merged.
fn seconds_in<'a, K: Ord + 'a>(
    outages: impl IntoIterator<Item = &'a OutageRecord<K>>,
    p: &Period,
    now: DateTime<Utc>,
) -> BTreeMap<&'a K, i64> {
    let mut spans: BTreeMap<&K, Vec<(i64, i64)>> = BTreeMap::new();
    for o in outages {
        spans.entry(&o.circuit).or_default().push(span(o, now));
    }
    spans
        .into_iter()
        .map(|(k, v)| {
            let s = Intervals::from_spans(v)
                .clip(secs(p.start), secs(p.end))
                .seconds();
            (k, s)
        })
        .collect()
}

/// One provider's outages in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderRow {
    /// Provider (vendor id).
    pub provider: String,
    /// Circuits of the provider in the inventory.
    pub circuits: usize,
    /// Outages overlapping the period.
    pub outages: usize,
    /// Of those, still open.
    pub open_outages: usize,
    /// Outage seconds inside the period.
    pub outage_seconds: i64,
    /// The same in minutes (two decimals).
    pub outage_minutes: f64,
    /// Outages repaired in the period.
    pub repaired: usize,
    /// Mean time to repair in minutes, over the repaired outages.
    pub mttr_minutes: Option<f64>,
    /// Longest repaired outage in minutes.
    pub longest_minutes: Option<f64>,
    /// SLA measurements of the provider's circuits that are breached.
    pub breaches: usize,
    /// Sum of their credits, percent of MRC.
    pub credit_percent_sum: f64,
}

/// Per-provider outage totals for a period, worst first (most outage
/// seconds, then name). Every provider with a circuit is listed.
pub fn providers<K: Ord + Clone>(
    period: &Period,
    circuits: &BTreeMap<K, CircuitInfo>,
    outages: &[OutageRecord<K>],
    measurements: &[MeasurementRecord<K>],
    now: DateTime<Utc>,
) -> Vec<ProviderRow> {
    #[derive(Default)]
    struct Acc {
        circuits: usize,
        outages: usize,
        open: usize,
        seconds: i64,
        repairs: Vec<i64>,
        breaches: usize,
        credits: f64,
    }
    let mut by: BTreeMap<&str, Acc> = BTreeMap::new();
    for c in circuits.values() {
        by.entry(c.provider.as_str()).or_default().circuits += 1;
    }
    let inside: Vec<&OutageRecord<K>> = outages
        .iter()
        .filter(|o| circuits.contains_key(&o.circuit) && overlaps(o, period, now))
        .collect();
    for o in &inside {
        if let Some(c) = circuits.get(&o.circuit) {
            let a = by.entry(c.provider.as_str()).or_default();
            a.outages += 1;
            a.open += usize::from(o.end.is_none());
            if let Some(d) = repaired_in(o, period) {
                a.repairs.push(d);
            }
        }
    }
    for (k, s) in seconds_in(inside.iter().copied(), period, now) {
        if let Some(c) = circuits.get(k) {
            by.entry(c.provider.as_str()).or_default().seconds += s;
        }
    }
    for m in measurements {
        if let Some(c) = circuits.get(&m.circuit)
            && m.breached
        {
            let a = by.entry(c.provider.as_str()).or_default();
            a.breaches += 1;
            a.credits += m.credit_percent;
        }
    }
    let mut rows: Vec<ProviderRow> = by
        .into_iter()
        .map(|(p, a)| ProviderRow {
            provider: p.to_string(),
            circuits: a.circuits,
            outages: a.outages,
            open_outages: a.open,
            outage_seconds: a.seconds,
            outage_minutes: minutes(a.seconds),
            repaired: a.repairs.len(),
            mttr_minutes: mean(&a.repairs).map(|m| (m / 60.0 * 100.0).round() / 100.0),
            longest_minutes: a.repairs.iter().max().map(|s| minutes(*s)),
            breaches: a.breaches,
            credit_percent_sum: a.credits,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.outage_seconds
            .cmp(&a.outage_seconds)
            .then_with(|| a.provider.cmp(&b.provider))
    });
    rows
}

fn mean(v: &[i64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64)
}

/// One circuit's repair times in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MttrRow {
    /// Circuit name.
    pub circuit: String,
    /// Provider.
    pub provider: String,
    /// Customer.
    pub customer: Option<String>,
    /// Outages overlapping the period.
    pub outages: usize,
    /// Outage seconds inside the period.
    pub outage_seconds: i64,
    /// Outages repaired in the period.
    pub repaired: usize,
    /// Mean time to repair in seconds (rounded), over the repaired outages.
    pub mttr_seconds: Option<i64>,
    /// Longest repaired outage in seconds.
    pub longest_seconds: Option<i64>,
}

/// MTTR per circuit with an outage in the period, slowest repair first
/// (then name).
pub fn mttr<K: Ord + Clone>(
    period: &Period,
    circuits: &BTreeMap<K, CircuitInfo>,
    outages: &[OutageRecord<K>],
    now: DateTime<Utc>,
) -> Vec<MttrRow> {
    let mut per: BTreeMap<&K, Vec<&OutageRecord<K>>> = BTreeMap::new();
    for o in outages.iter().filter(|o| overlaps(o, period, now)) {
        per.entry(&o.circuit).or_default().push(o);
    }
    let mut rows: Vec<MttrRow> = per
        .into_iter()
        .filter_map(|(k, os)| {
            let c = circuits.get(k)?;
            let repairs: Vec<i64> = os.iter().filter_map(|o| repaired_in(o, period)).collect();
            let seconds = seconds_in(os.iter().copied(), period, now)
                .into_values()
                .sum();
            Some(MttrRow {
                circuit: c.name.clone(),
                provider: c.provider.clone(),
                customer: c.customer.clone(),
                outages: os.len(),
                outage_seconds: seconds,
                repaired: repairs.len(),
                mttr_seconds: mean(&repairs).map(|m| m.round() as i64),
                longest_seconds: repairs.iter().max().copied(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.mttr_seconds
            .cmp(&a.mttr_seconds)
            .then_with(|| a.circuit.cmp(&b.circuit))
    });
    rows
}

/// What forecast accuracy found about one outage or window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Finding {
    /// Outage entirely inside forecast windows of its circuit.
    Inside,
    /// Outage partly inside forecast windows.
    PartlyInside,
    /// Outage outside every forecast window.
    Unforecast,
    /// Window during which the circuit had no outage.
    NoOutage,
    /// Window whose outage stayed within the announced impact.
    AsAnnounced,
    /// Window whose outage exceeded the announced impact.
    LongerThanAnnounced,
    /// Window with an outage but no announced impact duration.
    ImpactNotAnnounced,
}

impl Finding {
    /// The kebab-case name used in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Inside => "inside",
            Finding::PartlyInside => "partly-inside",
            Finding::Unforecast => "unforecast",
            Finding::NoOutage => "no-outage",
            Finding::AsAnnounced => "as-announced",
            Finding::LongerThanAnnounced => "longer-than-announced",
            Finding::ImpactNotAnnounced => "impact-not-announced",
        }
    }
}

/// One line of the forecast-accuracy report: an outage or a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastRow {
    /// `outage` or `window`.
    pub kind: &'static str,
    /// Circuit name.
    pub circuit: String,
    /// Provider.
    pub provider: String,
    /// Maintenance reference(s): the window's, or the windows an outage
    /// fell into (`;`-separated).
    pub reference: String,
    /// Begin (RFC 3339).
    pub begin: String,
    /// End (RFC 3339); empty for an open outage.
    pub end: String,
    /// Outage: its length (open: until now). Window: outage seconds inside
    /// it.
    pub outage_seconds: i64,
    /// Outage: seconds inside forecast windows. Window: its length.
    pub forecast_seconds: i64,
    /// Window: announced impact seconds.
    pub announced_seconds: Option<i64>,
    /// The verdict.
    pub finding: Finding,
}

/// Totals of the forecast-accuracy report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastSummary {
    /// Outages overlapping the period.
    pub outages: usize,
    /// Entirely inside forecast windows.
    pub inside: usize,
    /// Partly inside.
    pub partly_inside: usize,
    /// Outside every window.
    pub unforecast: usize,
    /// Outage seconds of those outages (full length).
    pub outage_seconds: i64,
    /// Of which inside forecast windows.
    pub forecast_outage_seconds: i64,
    /// Non-cancelled windows overlapping the period.
    pub windows: usize,
    /// Windows during which the circuit had no outage.
    pub windows_without_outage: usize,
    /// Windows whose outage exceeded the announced impact.
    pub longer_than_announced: usize,
    /// Windows with an outage but no announced duration.
    pub impact_not_announced: usize,
}

/// The forecast-accuracy report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastAccuracy {
    /// Totals.
    pub summary: ForecastSummary,
    /// Outages then windows, each by circuit name and begin.
    pub rows: Vec<ForecastRow>,
}

/// How well forecast maintenance matched the outages of a period.
pub fn forecast_accuracy<K: Ord + Clone>(
    period: &Period,
    circuits: &BTreeMap<K, CircuitInfo>,
    outages: &[OutageRecord<K>],
    windows: &[WindowRecord<K>],
    now: DateTime<Utc>,
) -> ForecastAccuracy {
    let windows: Vec<&WindowRecord<K>> = windows
        .iter()
        .filter(|w| w.status != Status::Cancelled && w.begin < w.end)
        .filter(|w| w.begin < period.end && w.end > period.start)
        .filter(|w| circuits.contains_key(&w.circuit))
        .collect();
    let outages: Vec<&OutageRecord<K>> = outages
        .iter()
        .filter(|o| circuits.contains_key(&o.circuit) && overlaps(o, period, now))
        .collect();
    let mut win_of: BTreeMap<&K, Vec<&WindowRecord<K>>> = BTreeMap::new();
    for w in &windows {
        win_of.entry(&w.circuit).or_default().push(w);
    }
    let mut out_of: BTreeMap<&K, Vec<(i64, i64)>> = BTreeMap::new();
    for o in &outages {
        out_of.entry(&o.circuit).or_default().push(span(o, now));
    }
    let mut summary = ForecastSummary::default();
    let mut rows = Vec::new();
    for o in &outages {
        let Some(c) = circuits.get(&o.circuit) else {
            continue;
        };
        let (b, e) = span(o, now);
        let own = Intervals::from_spans([(b, e)]);
        let ws = win_of.get(&o.circuit).map(Vec::as_slice).unwrap_or(&[]);
        let cover = Intervals::from_spans(ws.iter().map(|w| (secs(w.begin), secs(w.end))));
        let inside = own.intersect(&cover).seconds();
        let length = own.seconds();
        let finding = if inside == 0 {
            summary.unforecast += 1;
            Finding::Unforecast
        } else if inside == length {
            summary.inside += 1;
            Finding::Inside
        } else {
            summary.partly_inside += 1;
            Finding::PartlyInside
        };
        let mut refs: Vec<&str> = ws
            .iter()
            .filter(|w| secs(w.begin) < e && secs(w.end) > b)
            .map(|w| w.reference.as_str())
            .collect();
        refs.sort_unstable();
        refs.dedup();
        summary.outages += 1;
        summary.outage_seconds += length;
        summary.forecast_outage_seconds += inside;
        rows.push(ForecastRow {
            kind: "outage",
            circuit: c.name.clone(),
            provider: c.provider.clone(),
            reference: refs.join(";"),
            begin: rfc3339(o.begin),
            end: o.end.map(rfc3339).unwrap_or_default(),
            outage_seconds: length,
            forecast_seconds: inside,
            announced_seconds: None,
            finding,
        });
    }
    for w in &windows {
        let Some(c) = circuits.get(&w.circuit) else {
            continue;
        };
        let (b, e) = (secs(w.begin), secs(w.end));
        let down = Intervals::from_spans(out_of.get(&w.circuit).cloned().unwrap_or_default())
            .clip(b, e)
            .seconds();
        let announced = match w.impact {
            Some(Impact::NoImpact) => Some(0),
            _ => w.impact_seconds,
        };
        let finding = match (down, announced) {
            (0, _) => {
                summary.windows_without_outage += 1;
                Finding::NoOutage
            }
            (_, None) => {
                summary.impact_not_announced += 1;
                Finding::ImpactNotAnnounced
            }
            (d, Some(a)) if d > a => {
                summary.longer_than_announced += 1;
                Finding::LongerThanAnnounced
            }
            _ => Finding::AsAnnounced,
        };
        summary.windows += 1;
        rows.push(ForecastRow {
            kind: "window",
            circuit: c.name.clone(),
            provider: c.provider.clone(),
            reference: w.reference.clone(),
            begin: rfc3339(w.begin),
            end: rfc3339(w.end),
            outage_seconds: down,
            forecast_seconds: e - b,
            announced_seconds: announced,
            finding,
        });
    }
    rows.sort_by(|a, b| {
        (a.kind, &a.circuit, &a.begin, &a.reference).cmp(&(
            b.kind,
            &b.circuit,
            &b.begin,
            &b.reference,
        ))
    });
    ForecastAccuracy { summary, rows }
}

/// One bar of [`bar_chart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Length (negative values are drawn as zero).
    pub value: f64,
    /// Drawn in the alert colour (a breach, say).
    pub highlight: bool,
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn short(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A horizontal bar chart as a standalone SVG document: no scripts, fonts
/// or external references; labels escaped. `unit` follows each value.
pub fn bar_chart(title: &str, unit: &str, bars: &[Bar]) -> String {
    const W: f64 = 760.0;
    const LABEL: f64 = 230.0;
    const VALUE: f64 = 110.0;
    const ROW: f64 = 22.0;
    const TOP: f64 = 44.0;
    let plot = W - LABEL - VALUE - 20.0;
    let max = bars
        .iter()
        .map(|b| b.value)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let h = TOP + ROW * bars.len().max(1) as f64 + 16.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" viewBox="0 0 {W} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<title>{}</title>"#, xml_escape(title));
    let _ = writeln!(s, r##"<rect width="{W}" height="{h}" fill="#ffffff"/>"##);
    let _ = writeln!(
        s,
        r##"<text x="10" y="24" font-size="15" font-weight="bold" fill="#222222">{}</text>"##,
        xml_escape(title)
    );
    if bars.is_empty() {
        let _ = writeln!(
            s,
            r##"<text x="10" y="{}" fill="#666666">nothing to show</text>"##,
            TOP + 14.0
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let v = if b.value.is_finite() {
            b.value.max(0.0)
        } else {
            0.0
        };
        let len = if max > 0.0 { plot * v / max } else { 0.0 };
        let fill = if b.highlight { "#c0392b" } else { "#2e86c1" };
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" fill="#222222">{}</text>"##,
            LABEL - 8.0,
            y + 15.0,
            xml_escape(&b.label)
        );
        let _ = writeln!(
            s,
            r#"<rect x="{LABEL}" y="{}" width="{len:.1}" height="{}" fill="{fill}"/>"#,
            y + 4.0,
            ROW - 8.0
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{}" fill="#222222">{} {}</text>"##,
            LABEL + len + 6.0,
            y + 15.0,
            short(b.value),
            xml_escape(unit)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::period::parse_month;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn circuits() -> BTreeMap<u32, CircuitInfo> {
        let c = |n: &str, p: &str| CircuitInfo {
            name: n.into(),
            provider: p.into(),
            customer: None,
        };
        [
            (1, c("A-1", "acme")),
            (2, c("A-2", "acme")),
            (3, c("Z-1", "zeta")),
        ]
        .into_iter()
        .collect()
    }

    fn o(c: u32, b: &str, e: Option<&str>) -> OutageRecord<u32> {
        OutageRecord {
            circuit: c,
            begin: t(b),
            end: e.map(t),
        }
    }

    const NOW: &str = "2026-11-15T00:00:00Z";

    #[test]
    fn providers_clip_merge_and_repair_once() {
        let oct = parse_month("2026-10").unwrap();
        let outages = [
            // crosses into October: 600 s inside, repaired in October (1200 s)
            o(1, "2026-09-30T23:50:00Z", Some("2026-10-01T00:10:00Z")),
            // duplicate report overlapping the one below: merged
            o(1, "2026-10-05T10:00:00Z", Some("2026-10-05T10:30:00Z")),
            o(1, "2026-10-05T10:20:00Z", Some("2026-10-05T10:40:00Z")),
            // crosses out of October: 300 s inside, repaired in November
            o(2, "2026-10-31T23:55:00Z", Some("2026-11-01T01:00:00Z")),
            // open since Oct 31 23:00: 3600 s inside
            o(3, "2026-10-31T23:00:00Z", None),
            // other month
            o(3, "2026-08-01T00:00:00Z", Some("2026-08-01T01:00:00Z")),
        ];
        let ms = [MeasurementRecord {
            circuit: 1,
            breached: true,
            credit_percent: 10.0,
        }];
        let rows = providers(&oct, &circuits(), &outages, &ms, t(NOW));
        assert_eq!(rows.len(), 2);
        // most outage seconds first: zeta 3600 s, acme 3300 s
        let acme = &rows[1];
        assert_eq!(acme.provider, "acme");
        assert_eq!(acme.circuits, 2);
        assert_eq!(acme.outages, 4);
        assert_eq!(acme.outage_seconds, 600 + 2400 + 300);
        assert_eq!(acme.repaired, 3);
        // (1200 + 1800 + 1200) / 3 = 1400 s
        assert_eq!(acme.mttr_minutes, Some(23.33));
        assert_eq!(acme.longest_minutes, Some(30.0));
        assert_eq!((acme.breaches, acme.credit_percent_sum), (1, 10.0));
        let zeta = &rows[0];
        assert_eq!(
            (zeta.outages, zeta.open_outages, zeta.outage_seconds),
            (1, 1, 3600)
        );
        assert_eq!(zeta.mttr_minutes, None);
    }

    #[test]
    fn mttr_per_circuit() {
        let oct = parse_month("2026-10").unwrap();
        let outages = [
            o(1, "2026-10-05T10:00:00Z", Some("2026-10-05T10:30:00Z")),
            o(1, "2026-10-06T10:00:00Z", Some("2026-10-06T10:10:00Z")),
            o(3, "2026-10-07T10:00:00Z", Some("2026-10-07T12:00:00Z")),
        ];
        let rows = mttr(&oct, &circuits(), &outages, t(NOW));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].circuit, "Z-1");
        assert_eq!(rows[0].mttr_seconds, Some(7200));
        assert_eq!(rows[1].mttr_seconds, Some(1200));
        assert_eq!(rows[1].outage_seconds, 2400);
    }

    #[test]
    fn forecast_accuracy_classifies_outages_and_windows() {
        let oct = parse_month("2026-10").unwrap();
        let w =
            |c: u32, r: &str, b: &str, e: &str, status: Status, impact: Impact, s: Option<i64>| {
                WindowRecord {
                    circuit: c,
                    reference: r.into(),
                    begin: t(b),
                    end: t(e),
                    status,
                    impact: Some(impact),
                    impact_seconds: s,
                }
            };
        let windows = [
            w(
                1,
                "PW-1",
                "2026-10-03T00:00:00Z",
                "2026-10-03T04:00:00Z",
                Status::Confirmed,
                Impact::Outage,
                Some(1800),
            ),
            w(
                2,
                "PW-1",
                "2026-10-03T00:00:00Z",
                "2026-10-03T04:00:00Z",
                Status::Confirmed,
                Impact::NoImpact,
                Some(1800),
            ),
            w(
                3,
                "PW-2",
                "2026-10-10T00:00:00Z",
                "2026-10-10T04:00:00Z",
                Status::Confirmed,
                Impact::Outage,
                Some(3600),
            ),
            w(
                3,
                "PW-3",
                "2026-10-12T00:00:00Z",
                "2026-10-12T04:00:00Z",
                Status::Cancelled,
                Impact::Outage,
                Some(3600),
            ),
        ];
        let outages = [
            // 3:30–4:30: half inside PW-1, 1800 s inside = announced
            o(1, "2026-10-03T03:30:00Z", Some("2026-10-03T04:30:00Z")),
            // inside PW-1 although announced NO-IMPACT
            o(2, "2026-10-03T01:00:00Z", Some("2026-10-03T01:01:00Z")),
            // during the cancelled window: unforecast
            o(3, "2026-10-12T01:00:00Z", Some("2026-10-12T01:10:00Z")),
        ];
        let r = forecast_accuracy(&oct, &circuits(), &outages, &windows, t(NOW));
        let s = &r.summary;
        assert_eq!(
            (s.outages, s.inside, s.partly_inside, s.unforecast),
            (3, 1, 1, 1)
        );
        assert_eq!(
            (s.outage_seconds, s.forecast_outage_seconds),
            (3600 + 60 + 600, 1800 + 60)
        );
        assert_eq!(
            (s.windows, s.windows_without_outage, s.longer_than_announced),
            (3, 1, 1)
        );
        let f: Vec<(&str, &str, Finding)> = r
            .rows
            .iter()
            .map(|r| (r.kind, r.circuit.as_str(), r.finding))
            .collect();
        assert_eq!(
            f,
            [
                ("outage", "A-1", Finding::PartlyInside),
                ("outage", "A-2", Finding::Inside),
                ("outage", "Z-1", Finding::Unforecast),
                ("window", "A-1", Finding::AsAnnounced),
                ("window", "A-2", Finding::LongerThanAnnounced),
                ("window", "Z-1", Finding::NoOutage),
            ]
        );
        assert_eq!(r.rows[0].reference, "PW-1");
    }

    #[test]
    fn chart_is_standalone_and_escaped() {
        let svg = bar_chart(
            "Outage <minutes> & more",
            "min",
            &[
                Bar {
                    label: "a&b".into(),
                    value: 10.0,
                    highlight: true,
                },
                Bar {
                    label: "c".into(),
                    value: 5.0,
                    highlight: false,
                },
            ],
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("a&amp;b") && svg.contains("&lt;minutes&gt;"));
        assert!(!svg.contains("href") && !svg.contains("<script"));
        assert!(
            svg.contains("width=\"400.0\"") && svg.contains("width=\"200.0\""),
            "{svg}"
        );
        assert!(bar_chart("empty", "", &[]).contains("nothing to show"));
    }
}
