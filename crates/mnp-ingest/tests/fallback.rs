//! The fallback reader for unrouted mail: when its suggestion is stored as a
//! forecast and when the mail goes to a human instead (SQLite always,
//! PostgreSQL when configured). The reader here returns a fixed suggestion:
//! what is under test is the pipeline's decision, not the reading (the real
//! generic parser is run end to end in mnp-cli's tests).

mod common;

use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use common::*;
use mnp_core::{CircuitImpact, Email, Impact, Maintenance, Status, Window};
use mnp_ingest::{Fallback, Label, Message, MessageRef, Pipeline, Suggestion};
use mnp_store::{Circuit, ForecastFilter};

/// Returns whatever the test put in `next`, and remembers the circuit ids
/// the pipeline offered.
struct Fixed {
    next: Arc<Mutex<Option<Suggestion>>>,
    offered: Arc<Mutex<Vec<String>>>,
}

impl Fallback for Fixed {
    fn name(&self) -> &str {
        "fixed"
    }
    fn suggest(&self, _email: &Email, known: &[String]) -> Option<Suggestion> {
        *self.offered.lock().unwrap() = known.to_vec();
        self.next.lock().unwrap().clone()
    }
}

fn suggestion(confidence: f64, circuits: &[&str]) -> Suggestion {
    let mut m = Maintenance::new("generic");
    m.maintenance_id = "CHG-7781".into();
    m.status = Status::Confirmed;
    m.window = Some(
        Window::new(
            Utc.with_ymd_and_hms(2025, 3, 4, 22, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2025, 3, 5, 3, 0, 0).unwrap(),
        )
        .unwrap(),
    );
    m.circuits = circuits
        .iter()
        .map(|c| CircuitImpact::new(c, Impact::Outage))
        .collect();
    Suggestion {
        maintenances: vec![m],
        confidence,
        evidence: vec!["maintenance_id: CHG-7781 <- \"Change: CHG-7781\"".into()],
    }
}

/// A notice from a carrier no parser knows; `n` makes each mail distinct.
fn unrouted_mail(n: u32) -> Message {
    let raw = format!(
        "From: Network Operations <noc@unheard-of-carrier.example>\r\n\
         To: noc@operator.example\r\n\
         Subject: Planned works CHG-7781 ({n})\r\n\
         Message-ID: <fallback-{n}@unheard-of-carrier.example>\r\n\
         Date: Mon, 17 Feb 2025 09:00:00 +0000\r\n\
         \r\n\
         Change: CHG-7781\r\n\
         Start: 2025-03-04 22:00 UTC\r\nEnd: 2025-03-05 03:00 UTC\r\n\
         Service: ZX-100\r\n"
    );
    Message {
        r#ref: MessageRef {
            key: format!("m{n}"),
            ticket_id: None,
        },
        raw: raw.into_bytes(),
        received_at: None,
        origin: format!("m{n}"),
    }
}

fn circuit(vendor: &str, id: &str) -> Circuit {
    Circuit {
        internal_circuit_id: uuid::Uuid::new_v4(),
        vendor_circuit_id: id.into(),
        vendor_id: vendor.into(),
        customer_id: None,
        provisioned_bps: None,
        burst_bps: None,
        sla_id: None,
        sla_epoch: None,
        description: String::new(),
    }
}

#[test]
fn confident_suggestions_on_known_circuits_are_stored_the_rest_go_to_a_human() {
    for (backend, store) in stores("fallback") {
        let next = Arc::new(Mutex::new(None));
        let offered = Arc::new(Mutex::new(Vec::new()));
        let reader = Fixed {
            next: next.clone(),
            offered: offered.clone(),
        };
        let mut p =
            Pipeline::new(mnp_parsers::registry(), store).with_fallback(Box::new(reader), 0.6);
        let zx = p
            .store()
            .upsert_circuit(&circuit("fiberprovider", "zx 100"))
            .unwrap();
        p.store().upsert_circuit(&circuit("zayo", "ZY-5")).unwrap();
        let label_of = |p: &mut Pipeline, id: i64| {
            let n = p
                .store()
                .notifications(None)
                .unwrap()
                .into_iter()
                .find(|n| n.notification_id == id)
                .unwrap();
            (n.label, n.vendor_id, n.error_text.unwrap_or_default())
        };

        // Nothing found: for a human.
        *next.lock().unwrap() = None;
        let r = p.process(&unrouted_mail(1)).unwrap();
        assert_eq!(r.label, Label::MaintUnknownVendor, "{backend}");
        assert!(
            r.summary.contains("found no maintenance"),
            "{backend}: {}",
            r.summary
        );
        let mut ids = offered.lock().unwrap().clone();
        ids.sort();
        assert_eq!(
            ids,
            vec!["ZY-5".to_string(), "zx 100".to_string()],
            "{backend}"
        );

        // Below the threshold: for a human, the suggestion and its evidence kept.
        *next.lock().unwrap() = Some(suggestion(0.45, &["ZX-100"]));
        let r = p.process(&unrouted_mail(2)).unwrap();
        assert_eq!(r.label, Label::MaintUnknownVendor, "{backend}");
        let (label, vendor, error) = label_of(&mut p, r.notification_id);
        assert_eq!(label, "MaintUnknownVendor", "{backend}");
        assert_eq!(vendor, None, "{backend}");
        assert!(
            error.contains("confidence 0.45 is below 0.60"),
            "{backend}: {error}"
        );
        assert!(
            error.contains("CHG-7781 CONFIRMED 2025-03-04 22:00Z – 2025-03-05 03:00Z"),
            "{backend}: {error}"
        );
        assert!(
            error.contains("Change: CHG-7781"),
            "{backend}: evidence kept: {error}"
        );

        // Confident but a circuit the inventory does not know: for a human.
        *next.lock().unwrap() = Some(suggestion(0.9, &["ZX-100", "QQ-1"]));
        let r = p.process(&unrouted_mail(3)).unwrap();
        assert_eq!(r.label, Label::MaintUnknownVendor, "{backend}");
        assert!(
            r.summary.contains("not in the inventory"),
            "{backend}: {}",
            r.summary
        );

        // Confident, circuits of two vendors: for a human.
        *next.lock().unwrap() = Some(suggestion(0.9, &["ZX-100", "ZY-5"]));
        let r = p.process(&unrouted_mail(4)).unwrap();
        assert_eq!(r.label, Label::MaintUnknownVendor, "{backend}");
        assert!(
            r.summary.contains("several vendors (fiberprovider, zayo)"),
            "{backend}: {}",
            r.summary
        );
        assert!(
            p.store()
                .forecast_events(&ForecastFilter::default())
                .unwrap()
                .is_empty(),
            "{backend}: nothing stored so far"
        );

        // Confident, one vendor's known circuit: stored under that vendor.
        *next.lock().unwrap() = Some(suggestion(0.9, &["ZX-100"]));
        let r = p.process(&unrouted_mail(5)).unwrap();
        assert_eq!(
            r.label,
            Label::MaintParseSuccess,
            "{backend}: {}",
            r.summary
        );
        assert_eq!(r.vendor.as_deref(), Some("fiberprovider"), "{backend}");
        assert!(
            r.summary
                .starts_with("read by the fixed reader (confidence 0.90)"),
            "{backend}: {}",
            r.summary
        );
        let ev = p
            .store()
            .forecast_events(&ForecastFilter::default())
            .unwrap();
        assert_eq!(ev.len(), 1, "{backend}");
        assert_eq!(ev[0].vendor_id, "fiberprovider", "{backend}");
        assert_eq!(ev[0].vendor_maintenance_id, "CHG-7781", "{backend}");
        assert_eq!(ev[0].internal_circuit_id, Some(zx), "{backend}");
        assert_eq!(
            ev[0].begin_window.unwrap().to_rfc3339(),
            "2025-03-04T22:00:00+00:00",
            "{backend}"
        );

        // The mail that was below the threshold is offered again after a
        // human fixed the cause (here: the reader is now sure): it is read
        // again and stored — the dead-letter queue empties itself.
        let r = p.process(&unrouted_mail(2)).unwrap();
        assert!(!r.duplicate, "{backend}");
        assert_eq!(
            r.label,
            Label::MaintParseSuccess,
            "{backend}: {}",
            r.summary
        );
        let (label, vendor, _) = label_of(&mut p, r.notification_id);
        assert_eq!(
            (label.as_str(), vendor.as_deref()),
            ("MaintParseSuccess", Some("fiberprovider")),
            "{backend}"
        );
    }
}

#[test]
fn without_a_fallback_unrouted_mail_is_for_a_human() {
    for (backend, store) in stores("no-fallback") {
        let mut p = Pipeline::new(mnp_parsers::registry(), store);
        let r = p.process(&unrouted_mail(9)).unwrap();
        assert_eq!(r.label, Label::MaintUnknownVendor, "{backend}");
        assert!(r.label.needs_human());
    }
}
