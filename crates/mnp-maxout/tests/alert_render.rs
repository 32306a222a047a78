//! Alert rendering: escaping, header safety, hand-checked content, and the
//! golden samples in `tests/data/` (re-write with `MNP_BLESS=1`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::path::PathBuf;

use chrono::DateTime;
use mnp_maxout::alert::{AlertInput, AlertKind, Brand, Renderer, suggest_options};
use mnp_maxout::engine::{EPISODE_NAMESPACE, Episode};
use mnp_maxout::telemetry::Direction;
use mnp_maxout::units::Seconds;
use uuid::Uuid;

fn brand() -> Brand {
    Brand {
        company: "Example Networks".into(),
        noc_email: "noc@example-networks.example".into(),
        noc_phone: Some("+44 20 7946 0000".into()),
    }
}

/// 1 Gbit/s circuit, no burst, peak 1.052 Gbit/s, open 14:05 → 15:47 UTC.
fn episode(circuit: &str) -> Episode {
    let start = DateTime::from_timestamp(1_714_572_300, 0).unwrap(); // 2024-05-01 14:05 UTC
    Episode {
        id: Uuid::new_v5(&EPISODE_NAMESPACE, b"sample"),
        circuit: circuit.into(),
        customer: Some("NWL".into()),
        start,
        end: None,
        last_sample: start + chrono::Duration::minutes(102),
        peak_percent: 105.2,
        peak_bps: 1.052e9,
        seconds_over: 95 * 60,
        minutes_over: 95,
        direction: Direction::Out,
        capacity_bps: 1_000_000_000,
        provisioned_bps: 1_000_000_000,
        burst_bps: None,
        threshold_percent: 100.0,
    }
}

fn input(kind: AlertKind, customer: &str, circuit: &str) -> AlertInput {
    let mut ep = episode(circuit);
    if kind == AlertKind::Resolved {
        ep.end = Some(ep.start + chrono::Duration::minutes(97));
    }
    AlertInput {
        kind,
        options: suggest_options(&ep),
        episode: ep,
        customer_name: customer.into(),
        circuit_description: "Frankfurt DC2 – London LD8, 1G wave".into(),
        repeat_every: Some(Seconds::minutes(240)),
    }
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Compares with the stored sample, or writes it when missing / `MNP_BLESS=1`.
fn golden(name: &str, got: &str) {
    let path = data(name);
    let bless = std::env::var_os("MNP_BLESS").is_some();
    match std::fs::read_to_string(&path) {
        Ok(want) if !bless => assert!(
            want == got,
            "{name} differs from the stored sample; re-run with MNP_BLESS=1 and review it"
        ),
        _ => std::fs::write(&path, got).unwrap(),
    }
}

#[test]
fn opened_mail_hand_checked() {
    let r = Renderer::new(brand()).unwrap();
    let m = r
        .render(&input(
            AlertKind::Opened,
            "Northwind Logistics GmbH",
            "FRA-LON-10042",
        ))
        .unwrap();
    assert_eq!(
        m.subject,
        "[Example Networks] Capacity alert: circuit FRA-LON-10042 reached 105.2 % of capacity"
    );
    // Peak 105.2 % → the bar is full (100 %) and red; no empty cell.
    assert!(
        m.html
            .contains("width=\"100%\" style=\"width:100%;background-color:#c62828;")
    );
    assert!(!m.html.contains("width=\"0%\""));
    for needle in [
        "Dear Northwind Logistics GmbH",
        "2024-05-01 14:05 UTC",
        "1.05 Gbit/s (105.2 % of 1 Gbit/s)",
        "from us to your network (downstream)",
        "1 h 35 min (threshold 100 % of 1 Gbit/s)",
        // Upgrade: smallest tier ≥ 1.052 G / 0.7 = 1.503 G → 2 G, peak = 52.6 % of it.
        "Upgrade to 2 Gbit/s",
        "would use 52.6 % of a 2 Gbit/s service",
        // Burst: smallest tier ≥ 1.5 × 1 G → 2 G.
        "Enable burst up to 2 Gbit/s",
    ] {
        // minijinja's HTML escaping also escapes '/' (harmless in a browser).
        assert!(
            m.html.contains(&needle.replace('/', "&#x2f;")),
            "html lacks {needle:?}"
        );
        assert!(m.text.contains(needle), "text lacks {needle:?}");
    }
    assert!(m.text.contains("reminder every 4 h while it lasts"));
    assert!(m.html.contains("reminder every 4\u{a0}h while it lasts"));
    assert!(
        m.text
            .contains("Peak utilisation  [##############################] 105.2 %"),
        "{}",
        m.text
    );
    assert!(
        m.text.contains("Circuit:                    FRA-LON-10042"),
        "{}",
        m.text
    );
    // No external resources of any kind.
    for banned in [
        "<img", "http://", "https://", "url(", "<link", "<script", "@import",
    ] {
        assert!(!m.html.contains(banned), "html contains {banned:?}");
    }
    golden("alert_sample.html", &m.html);
    golden("alert_sample.txt", &m.text);
}

#[test]
fn resolved_and_reminder_variants() {
    let r = Renderer::new(brand()).unwrap();
    let m = r
        .render(&input(
            AlertKind::Resolved,
            "Northwind Logistics GmbH",
            "FRA-LON-10042",
        ))
        .unwrap();
    assert_eq!(
        m.subject,
        "[Example Networks] Resolved: circuit FRA-LON-10042 is back below capacity"
    );
    assert!(m.html.contains("Ended</td>"));
    assert!(m.html.contains("2024-05-01 15:42 UTC"));
    assert!(
        m.html
            .contains("The episode lasted 1\u{a0}h\u{a0}37\u{a0}min")
    );
    assert!(m.text.contains("The episode lasted 1 h 37 min"));
    assert!(
        !m.text.contains("reminder every"),
        "no reminder note once resolved"
    );
    assert!(m.html.contains("To avoid future episodes"));
    assert!(
        m.text
            .starts_with("Example Networks Network Operations\nRESOLVED: circuit FRA-LON-10042"),
        "{}",
        m.text
    );
    golden("alert_resolved_sample.html", &m.html);

    let m = r
        .render(&input(AlertKind::Reminder, "Northwind", "FRA-LON-10042"))
        .unwrap();
    assert_eq!(
        m.subject,
        "[Example Networks] Still at capacity: circuit FRA-LON-10042 (105.2 % peak)"
    );
    assert!(m.html.contains("Ongoing</td>"));
    assert!(
        m.text
            .contains("Last measurement:           2024-05-01 15:47 UTC")
    );
}

#[test]
fn customer_data_is_escaped() {
    let r = Renderer::new(brand()).unwrap();
    let evil_name = "ACME <script>alert(\"x\")</script> & O'Brien \"Networks\"";
    let evil_circuit = "C1\"><img src=x onerror=alert(1)>";
    let mut i = input(AlertKind::Opened, evil_name, evil_circuit);
    i.circuit_description = "<b>bold</b>".into();
    let m = r.render(&i).unwrap();
    assert!(!m.html.contains("<script"));
    assert!(!m.html.contains("<img"));
    assert!(!m.html.contains("<b>bold"));
    assert!(m.html.contains("ACME &lt;script&gt;alert(&quot;x&quot;)&lt;&#x2f;script&gt; &amp; O&#x27;Brien &quot;Networks&quot;"), "{}", m.html);
    assert!(
        m.html
            .contains("C1&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
    );
    // Plain text shows the name as written.
    assert!(m.text.contains(evil_name));
}

#[test]
fn header_injection_is_impossible() {
    let r = Renderer::new(brand()).unwrap();
    let m = r
        .render(&input(
            AlertKind::Opened,
            "ACME\r\nBcc: victim@example.com",
            "C1\r\nBcc: victim@example.com\r\n\r\nbody",
        ))
        .unwrap();
    assert!(!m.subject.contains(['\r', '\n']));
    assert_eq!(
        m.subject,
        "[Example Networks] Capacity alert: circuit C1 Bcc: victim@example.com body reached 105.2 % of capacity"
    );
    assert!(m.text.contains("Dear ACME Bcc: victim@example.com,"));
    let mut i = input(AlertKind::Opened, "x", &"C".repeat(500));
    i.episode.circuit = "C".repeat(500);
    assert!(r.render(&i).unwrap().subject.chars().count() <= 200);
}

#[test]
fn bar_and_colours() {
    let r = Renderer::new(brand()).unwrap();
    let mut i = input(AlertKind::Resolved, "N", "C1");
    // 85 % peak with an 80 % threshold: red, 85/15 split.
    i.episode.peak_percent = 85.0;
    i.episode.threshold_percent = 80.0;
    let m = r.render(&i).unwrap();
    assert!(
        m.html
            .contains("width=\"85%\" style=\"width:85%;background-color:#c62828;")
    );
    assert!(
        m.html
            .contains("width=\"15%\" style=\"width:15%;background-color:#e4e7eb;")
    );
    // 85 / 100 × 30 = 25.5 → 26 hashes.
    assert!(
        m.text
            .contains(&format!("[{}{}] 85 %", "#".repeat(26), "-".repeat(4)))
    );
    // Below the threshold and ≥ 80: amber.
    i.episode.threshold_percent = 90.0;
    assert!(
        r.render(&i)
            .unwrap()
            .html
            .contains("background-color:#e67e22;height:18px")
    );
}

#[test]
fn options_for_burst_and_largest_tier() {
    let mut ep = episode("C1");
    ep.burst_bps = Some(2_000_000_000);
    ep.capacity_bps = 2_000_000_000;
    ep.peak_bps = 2.0e9;
    let o = suggest_options(&ep);
    // Has burst → only an upgrade: 2 G / 0.7 = 2.857 G → 3 G.
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].capacity_bps, Some(3_000_000_000));
    ep.capacity_bps = 800_000_000_000;
    ep.peak_bps = 800e9;
    assert_eq!(suggest_options(&ep)[0].title, "Add a parallel circuit");
}
