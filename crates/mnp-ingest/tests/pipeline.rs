//! The pipeline end to end on SQLite (always) and PostgreSQL (when
//! configured): labels, circuit matching, lifecycle, idempotency, sources.

mod common;

use common::*;
use mnp_ingest::sources::dir::{DirSource, MaildirSource};
use mnp_ingest::{Label, Message, MessageRef, Pipeline};
use mnp_store::{Circuit, ForecastFilter};

fn msg(raw: Vec<u8>, key: &str) -> Message {
    Message {
        r#ref: MessageRef {
            key: key.into(),
            ticket_id: Some(format!("T-{key}")),
        },
        raw,
        received_at: None,
        origin: key.into(),
    }
}

fn circuit(vendor: &str, id: &str) -> Circuit {
    Circuit {
        internal_circuit_id: uuid::Uuid::new_v4(),
        vendor_circuit_id: id.into(),
        vendor_id: vendor.into(),
        customer_id: None,
        provisioned_bps: Some(1_000_000_000),
        burst_bps: None,
        sla_id: None,
        sla_epoch: None,
        description: String::new(),
    }
}

#[test]
fn labels_matching_and_idempotency() {
    for (backend, store) in stores("labels") {
        let mut p = Pipeline::new(mnp_parsers::registry(), store);
        // inventory written differently from the notice: case, dashes, spaces
        let known = p
            .store()
            .upsert_circuit(&circuit("fiberprovider", "ic 40211"))
            .unwrap();
        p.store()
            .upsert_circuit(&circuit("fiberprovider", "IC/40388"))
            .unwrap();

        let raw = corpus("fiberprovider/2024-05-two-circuits-cdt.eml");
        let r = p.process(&msg(raw.clone(), "a")).unwrap();
        assert_eq!(
            r.label,
            Label::MaintUnknownCircuit,
            "{backend}: IC-40390 is not in the inventory"
        );
        assert_eq!(
            r.unknown_circuits,
            vec!["IC-40390".to_string()],
            "{backend}"
        );
        let ev = p
            .store()
            .forecast_events(&ForecastFilter::default())
            .unwrap();
        assert_eq!(ev.len(), 3, "{backend}");
        let e = ev
            .iter()
            .find(|e| e.parsed_vendor_circuit_id.as_deref() == Some("IC-40211"))
            .unwrap();
        assert_eq!(e.internal_circuit_id, Some(known), "{backend}");
        assert_eq!(
            e.begin_window.unwrap().to_rfc3339(),
            "2024-05-15T04:00:00+00:00",
            "{backend}"
        );
        assert_eq!(e.impact_duration, Some(93_600), "{backend}");
        assert_eq!(
            e.notification_helpdesk_ticket_id.as_deref(),
            Some("T-a"),
            "{backend}"
        );
        assert!(
            ev.iter()
                .find(|e| e.parsed_vendor_circuit_id.as_deref() == Some("IC-40390"))
                .unwrap()
                .internal_circuit_id
                .is_none()
        );

        // the same bytes again, and the same Message-ID with other bytes: nothing changes
        let again = p.process(&msg(raw.clone(), "b")).unwrap();
        assert!(again.duplicate, "{backend}");
        let mut resent = raw.clone();
        resent.extend_from_slice(b"\n");
        assert!(
            p.process(&msg(resent, "c")).unwrap().duplicate,
            "{backend}: same Message-ID"
        );
        assert_eq!(
            p.store()
                .forecast_events(&ForecastFilter::default())
                .unwrap()
                .len(),
            3,
            "{backend}"
        );
        assert_eq!(p.store().notifications(None).unwrap().len(), 1, "{backend}");

        // not maintenance → ignored; unknown sender → unknown vendor; garbage → exception (kept)
        let r = p
            .process(&msg(
                corpus("fiberprovider/reject/customer-survey.eml"),
                "d",
            ))
            .unwrap();
        assert_eq!(r.label, Label::MaintIgnored, "{backend}");
        let r = p
            .process(&msg(
                b"From: x@nobody.example\r\nSubject: hi\r\nMessage-ID: <u1@x>\r\n\r\nhello"
                    .to_vec(),
                "e",
            ))
            .unwrap();
        assert_eq!(r.label, Label::MaintUnknownVendor, "{backend}");
        let r = p.process(&msg(b"\x00\x01 not mail".to_vec(), "f")).unwrap();
        assert_eq!(r.label, Label::MaintParseException, "{backend}");
        let failed = p
            .store()
            .notifications(Some("MaintParseException"))
            .unwrap();
        assert_eq!(failed.len(), 1, "{backend}");
        assert!(
            failed[0]
                .error_text
                .as_deref()
                .unwrap()
                .contains("not a mail message"),
            "{backend}"
        );
        assert_eq!(
            p.store()
                .notification_raw(failed[0].notification_id)
                .unwrap(),
            b"\x00\x01 not mail",
            "{backend}: raw bytes kept"
        );
    }
}

fn with_sequence(raw: &[u8], seq: &str, mid: &str) -> Vec<u8> {
    String::from_utf8(raw.to_vec())
        .unwrap()
        .replace("SEQUENCE:0", &format!("SEQUENCE:{seq}"))
        .replace("<mw-2024-0311.1@backbone-carrier.example>", mid)
        .into_bytes()
}

#[test]
fn lifecycle_revisions_cancellation_and_out_of_sequence() {
    for (backend, store) in stores("lifecycle") {
        let mut p = Pipeline::new(mnp_parsers::registry(), store);
        let planned = corpus("bcop/2024-03-planned-tzid.eml");
        assert_eq!(
            p.process(&msg(planned.clone(), "1")).unwrap().label,
            Label::MaintUnknownCircuit
        );
        let m = p
            .store()
            .maintenance("bcop", "MW-2024-0311")
            .unwrap()
            .unwrap();
        assert_eq!(
            (m.status.as_str(), m.revision, m.sequence),
            ("CONFIRMED", 1, Some(0)),
            "{backend}"
        );

        // sequence 2: the forwarded cancellation
        let r = p
            .process(&msg(corpus("bcop/2024-03-cancelled-forwarded.eml"), "2"))
            .unwrap();
        assert_ne!(r.label, Label::MaintOutOfSequence, "{backend}");
        let m = p
            .store()
            .maintenance("bcop", "MW-2024-0311")
            .unwrap()
            .unwrap();
        assert_eq!(
            (m.status.as_str(), m.revision),
            ("CANCELLED", 2),
            "{backend}"
        );

        // a late copy of sequence 1: kept, labelled, does not override
        let late = with_sequence(
            &planned,
            "1",
            "<mw-2024-0311.late@backbone-carrier.example>",
        );
        let r = p.process(&msg(late, "3")).unwrap();
        assert_eq!(r.label, Label::MaintOutOfSequence, "{backend}");
        let m = p
            .store()
            .maintenance("bcop", "MW-2024-0311")
            .unwrap()
            .unwrap();
        assert_eq!(
            (m.status.as_str(), m.revision),
            ("CANCELLED", 2),
            "{backend}"
        );
        assert_eq!(
            p.store().revision_count(m.maintenance_key).unwrap(),
            2,
            "{backend}: history kept"
        );
        assert_eq!(
            p.store()
                .notifications(Some("MaintOutOfSequence"))
                .unwrap()
                .len(),
            1,
            "{backend}"
        );

        // current events are the cancellation's; history holds the planned ones
        let cur = p
            .store()
            .forecast_events(&ForecastFilter {
                vendor: Some("bcop".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(
            !cur.is_empty() && cur.iter().all(|e| e.status == "CANCELLED"),
            "{backend}: {cur:?}"
        );
        let all = p
            .store()
            .forecast_events(&ForecastFilter {
                include_history: true,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            all.len(),
            cur.len() + 2,
            "{backend}: two planned circuits in revision 1"
        );

        // a windowless cancellation of a stored maintenance keeps its windows
        let fp = corpus("fiberprovider/2024-05-two-circuits-cdt.eml");
        p.process(&msg(fp, "4")).unwrap();
        let cancel = String::from_utf8(corpus("fiberprovider/2024-06-cancelled.eml"))
            .unwrap()
            .replace("PWIC20955", "PWIC20871")
            .replace("Mon, 03 Jun 2024", "Thu, 02 May 2024");
        p.process(&msg(cancel.into_bytes(), "5")).unwrap();
        let ev = p
            .store()
            .forecast_events(&ForecastFilter {
                vendor: Some("fiberprovider".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ev.len(), 3, "{backend}");
        assert!(
            ev.iter()
                .all(|e| e.status == "CANCELLED" && e.begin_window.is_some()),
            "{backend}: {ev:?}"
        );
    }
}

#[test]
fn directory_and_maildir_sources_label_and_keep_failures() {
    for (backend, store) in stores("sources") {
        let mut p = Pipeline::new(mnp_parsers::registry(), store);
        let dir = tmpdir("dirsrc");
        std::fs::write(
            dir.join("a.eml"),
            corpus("fiberprovider/2024-06-cancelled.eml"),
        )
        .unwrap();
        std::fs::write(
            dir.join("b.eml"),
            b"From: x@nobody.example\r\nSubject: hi\r\n\r\nhello",
        )
        .unwrap();
        std::fs::write(
            dir.join("c.eml"),
            corpus("fiberprovider/reject/customer-survey.eml"),
        )
        .unwrap();
        let mut src = DirSource::new(&dir);
        let stats = p.run(&mut src).unwrap();
        assert_eq!(stats.seen, 3, "{backend}");
        assert!(
            dir.join("processed/MaintUnknownCircuit/a.eml").is_file(),
            "{backend}"
        );
        assert!(
            dir.join("processed/MaintIgnored/c.eml").is_file(),
            "{backend}"
        );
        assert!(
            dir.join("b.eml").is_file(),
            "{backend}: failures stay for a human"
        );
        assert!(
            std::fs::read_to_string(dir.join("b.eml.label"))
                .unwrap()
                .starts_with("MaintUnknownVendor")
        );
        assert_eq!(
            p.run(&mut src).unwrap().seen,
            0,
            "{backend}: nothing pending after labelling"
        );

        let md = tmpdir("maildir");
        for d in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(md.join(d)).unwrap();
        }
        std::fs::write(
            md.join("new/1700000000.M1P1.host"),
            corpus("bcop/2024-03-planned-tzid.eml"),
        )
        .unwrap();
        std::fs::write(
            md.join("cur/1700000001.M2P1.host:2,"),
            b"garbage without headers",
        )
        .unwrap();
        let mut src = MaildirSource::new(&md);
        let stats = p.run(&mut src).unwrap();
        assert_eq!(stats.seen, 2, "{backend}");
        assert!(
            md.join("cur/1700000000.M1P1.host:2,S").is_file(),
            "{backend}"
        );
        assert!(
            md.join("cur/1700000001.M2P1.host:2,F").is_file(),
            "{backend}: failure flagged, kept"
        );
        assert_eq!(p.run(&mut src).unwrap().seen, 0, "{backend}");
    }
}
