//! Corpus test: every `tests/data/logs_*.log` is parsed and run through the
//! detector, and compared with its hand-written `logs_*.expected`:
//!
//! ```text
//! options year=2024 zone=Europe/Berlin      parse options
//! port DEVICE PORT CIRCUIT                  port map row (names as written)
//! event LINE up|down DEVICE PORT TS FAMILY  every event, in input order
//! skip LINE KIND[:DETAIL]                   every skipped line, in order
//! unknown DEVICE PORT LINES                 normalised names, lines a,b,c
//! repeated LINES / up-without-down LINES / instant LINES
//! gap SECONDS                               then, for that merge gap:
//! outage CIRCUIT BEGIN END|open FLAPS LINES every outage, sorted
//! ```
//!
//! Lists after `unknown`…`instant` hold for every gap. Each fixture is also
//! parsed with CRLF line endings (same result) and twice (equal).

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use mnp_sla::detector::{DetectorConfig, PortTable, detect};
use mnp_sla::logs::{LineError, LinkState, ParseOptions, ParseReport, parse_bytes, parse_str};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

#[derive(Debug, PartialEq)]
struct Event {
    line: usize,
    state: LinkState,
    device: String,
    port: String,
    ts: DateTime<Utc>,
    family: String,
}

#[derive(Debug, PartialEq)]
struct Outage {
    circuit: String,
    begin: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    flaps: usize,
    lines: Vec<usize>,
}

#[derive(Default)]
struct Expected {
    opts: Option<ParseOptions>,
    ports: Vec<(String, String, String)>,
    events: Vec<Event>,
    skips: Vec<(usize, String)>,
    unknown: Vec<(String, String, Vec<usize>)>,
    repeated: Vec<usize>,
    ups: Vec<usize>,
    instant: Vec<usize>,
    gaps: Vec<(i64, Vec<Outage>)>,
}

fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("bad expected timestamp {s}: {e}"))
        .to_utc()
}

fn lines_of(s: &str) -> Vec<usize> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(|x| x.parse().unwrap())
        .collect()
}

fn read_expected(path: &Path) -> Expected {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut x = Expected::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        let at = format!("{}:{}", path.display(), i + 1);
        match w[0] {
            "options" => {
                let mut year = None;
                let mut zone = None;
                for kv in &w[1..] {
                    let (k, v) = kv.split_once('=').unwrap();
                    match k {
                        "year" => year = Some(v.parse().unwrap()),
                        "zone" => zone = Some(v.parse::<chrono_tz::Tz>().unwrap()),
                        _ => panic!("{at}: unknown option {k}"),
                    }
                }
                x.opts = Some(ParseOptions::new(year.unwrap(), zone.unwrap()));
            }
            "port" => x.ports.push((w[1].into(), w[2].into(), w[3].into())),
            "event" => x.events.push(Event {
                line: w[1].parse().unwrap(),
                state: w[2].parse().unwrap(),
                device: w[3].into(),
                port: w[4].into(),
                ts: ts(w[5]),
                family: w[6].into(),
            }),
            "skip" => x.skips.push((w[1].parse().unwrap(), w[2].into())),
            "unknown" => {
                if w.len() > 1 {
                    x.unknown.push((w[1].into(), w[2].into(), lines_of(w[3])));
                }
            }
            "repeated" => x.repeated = w[1..].iter().map(|n| n.parse().unwrap()).collect(),
            "up-without-down" => x.ups = w[1..].iter().map(|n| n.parse().unwrap()).collect(),
            "instant" => x.instant = w[1..].iter().map(|n| n.parse().unwrap()).collect(),
            "gap" => x.gaps.push((w[1].parse().unwrap(), Vec::new())),
            "outage" => x
                .gaps
                .last_mut()
                .unwrap_or_else(|| panic!("{at}: outage before any gap"))
                .1
                .push(Outage {
                    circuit: w[1].into(),
                    begin: ts(w[2]),
                    end: (w[3] != "open").then(|| ts(w[3])),
                    flaps: w[4].parse().unwrap(),
                    lines: lines_of(w[5]),
                }),
            other => panic!("{at}: unknown directive {other}"),
        }
    }
    assert!(x.opts.is_some(), "{}: no options line", path.display());
    assert!(!x.gaps.is_empty(), "{}: no gap section", path.display());
    x
}

fn kind(e: &LineError) -> String {
    match e {
        LineError::Framing { .. } => "framing".into(),
        LineError::Timestamp { .. } => "timestamp".into(),
        LineError::Unrecognised => "unrecognised".into(),
        LineError::Malformed { family, .. } => format!("malformed:{family}"),
        LineError::Ambiguous { .. } => "ambiguous".into(),
        LineError::Json { .. } => "json".into(),
        LineError::MissingField { field } => format!("missing-field:{field}"),
        LineError::BadValue { field, .. } => format!("bad-value:{field}"),
        other => format!("{other:?}"),
    }
}

fn events_of(r: &ParseReport) -> Vec<Event> {
    r.events
        .iter()
        .map(|e| Event {
            line: e.line,
            state: e.state,
            device: e.device.clone(),
            port: e.port.clone(),
            ts: e.ts,
            family: e.family.into(),
        })
        .collect()
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(data())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("logs_") && n.ends_with(".log")
        })
        .collect();
    v.sort();
    v
}

fn check(path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let x = read_expected(&path.with_extension("expected"));
    let opts = x.opts.clone().unwrap();
    let input = fs::read_to_string(path).unwrap();
    let report = parse_str(&input, &opts);

    // Every event and skip, exactly, in order.
    let got = events_of(&report);
    for (i, (g, w)) in got.iter().zip(&x.events).enumerate() {
        assert_eq!(g, w, "{name}: event #{i}");
    }
    assert_eq!(got.len(), x.events.len(), "{name}: number of events");
    let skips: Vec<(usize, String)> = report.skipped.iter().map(|(l, e)| (*l, kind(e))).collect();
    assert_eq!(skips, x.skips, "{name}: skipped lines");

    // Every non-blank line is accounted for, once.
    let non_blank = input.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(report.lines, non_blank, "{name}: lines read");
    assert_eq!(
        report.events.len() + report.skipped.len(),
        non_blank,
        "{name}"
    );

    // Conformance: raw is the line, UTC times, parse twice / CRLF / bytes equal.
    for e in &report.events {
        assert_eq!(
            input.lines().nth(e.line - 1),
            Some(e.raw.as_str()),
            "{name}"
        );
    }
    assert_eq!(parse_str(&input, &opts), report, "{name}: parse twice");
    let crlf = parse_str(&input.replace('\n', "\r\n"), &opts);
    assert_eq!(events_of(&crlf), got, "{name}: CRLF events");
    assert_eq!(crlf.skipped, report.skipped, "{name}: CRLF skips");
    assert_eq!(
        parse_bytes(input.as_bytes(), &opts),
        report,
        "{name}: bytes"
    );

    // Detector, for each gap.
    let ports: PortTable<String> = x
        .ports
        .iter()
        .map(|(d, p, c)| (d.as_str(), p.as_str(), c.clone()))
        .collect();
    assert_eq!(ports.len(), x.ports.len(), "{name}: duplicate port rows");
    for (gap, want) in &x.gaps {
        let cfg = DetectorConfig {
            merge_gap: TimeDelta::seconds(*gap),
        };
        let d = detect(&report.events, &ports, &cfg);
        let got: Vec<Outage> = d
            .outages
            .iter()
            .map(|o| Outage {
                circuit: o.circuit.clone(),
                begin: o.begin,
                end: o.end,
                flaps: o.flaps,
                lines: o.lines.clone(),
            })
            .collect();
        assert_eq!(&got, want, "{name}: outages at gap {gap}");
        for o in &d.outages {
            assert_eq!(o.events, o.lines.len(), "{name}");
            if let Some(e) = o.end {
                assert!(o.begin < e, "{name}: begin < end");
            }
        }
        let unknown: Vec<(String, String, Vec<usize>)> = d
            .unknown_ports
            .iter()
            .map(|u| (u.device.clone(), u.port.clone(), u.lines.clone()))
            .collect();
        assert_eq!(unknown, x.unknown, "{name}: unknown ports at gap {gap}");
        let lines = |v: &[mnp_sla::detector::Anomaly<String>]| -> Vec<usize> {
            v.iter().map(|a| a.line).collect()
        };
        assert_eq!(
            lines(&d.repeated_downs),
            x.repeated,
            "{name}: repeated DOWNs"
        );
        assert_eq!(
            lines(&d.ups_without_down),
            x.ups,
            "{name}: UPs without DOWN"
        );
        assert_eq!(lines(&d.instant_flaps), x.instant, "{name}: instant flaps");
        assert_eq!(d.events, report.events.len());
    }
}

#[test]
fn every_fixture_matches_its_expectations() {
    let all = fixtures();
    assert!(all.len() >= 6, "fixtures found: {all:?}");
    for path in &all {
        check(path);
    }
}

#[test]
fn every_expectation_file_has_a_fixture() {
    for e in fs::read_dir(data()).unwrap() {
        let p = e.unwrap().path();
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        if n.starts_with("logs_") && n.ends_with(".expected") {
            assert!(p.with_extension("log").exists(), "{n} has no .log");
        }
    }
}
