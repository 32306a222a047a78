//! The outage and SLA queries, on SQLite always and on PostgreSQL when
//! `MNP_TEST_POSTGRES_URL` names a server (each test gets a fresh database).

use chrono::{DateTime, TimeDelta, Utc};
use mnp_core::Maintenance;
use mnp_store::{
    Circuit, ForecastEvent, NewOutage, OutageWrite, PortMapping, ProtectionGroup, Store,
    StoredMeasurement, StoredSla, Subject,
};
use uuid::Uuid;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn open(url: &str) -> Store {
    let mut s = Store::open(url).unwrap();
    s.migrate().unwrap();
    s
}

/// SQLite always; PostgreSQL when configured (a fresh database per call).
fn stores(test: &str) -> Vec<(&'static str, Store)> {
    mnp_testkit::databases("mnp-store-sla", test)
        .into_iter()
        .map(|d| (d.backend, open(&d.url)))
        .collect()
}

fn circuit(s: &mut Store, id: &str) -> Uuid {
    s.upsert_circuit(&Circuit {
        internal_circuit_id: Uuid::new_v4(),
        vendor_circuit_id: id.into(),
        vendor_id: "fiberprovider".into(),
        customer_id: None,
        provisioned_bps: None,
        burst_bps: None,
        sla_id: Some("gold".into()),
        sla_epoch: None,
        description: String::new(),
    })
    .unwrap()
}

fn outage(c: Uuid, b: &str, e: Option<&str>) -> NewOutage {
    NewOutage {
        internal_circuit_id: c,
        begin: t(b),
        end: e.map(t),
        source: "test".into(),
    }
}

/// A recorded notification to hang forecast events on.
fn notification(s: &mut Store, sha: &str) -> i64 {
    s.insert_notification(&mnp_store::NewNotification {
        helpdesk_ticket_id: None,
        message_id: None,
        sha256: sha.into(),
        sender: "noc@fiberprovider.com".into(),
        subject: "PW".into(),
        received_at: t("2026-09-01T00:00:00Z"),
        source: "test".into(),
        raw: b"x".to_vec(),
    })
    .unwrap()
}

/// A fiberprovider maintenance `id` (the stored record; events carry the windows).
fn maintenance(id: &str) -> Maintenance {
    serde_json::from_value(serde_json::json!({
        "provider": "fiberprovider", "account": "", "maintenanceId": id, "status": "CONFIRMED",
        "beginWindow": "2026-10-03T00:00:00Z", "endWindow": "2026-10-03T04:00:00Z",
        "impactSeconds": 3600, "circuits": [], "stamp": null, "sequence": null,
        "summary": "", "organizer": "", "uid": ""
    }))
    .unwrap()
}

/// A forecast event of maintenance `id` for circuit `c` over `b`–`e`.
fn event(nid: i64, id: &str, c: Option<Uuid>, b: &str, e: &str, status: &str) -> ForecastEvent {
    ForecastEvent {
        maint_forecast_event_id: Uuid::new_v4(),
        maintenance_key: 0,
        revision: 0,
        current: true,
        notification_id: nid,
        notification_helpdesk_ticket_id: None,
        vendor_id: "fiberprovider".into(),
        vendor_maintenance_id: id.into(),
        begin_window: Some(t(b)),
        end_window: Some(t(e)),
        impact_duration: Some(3600),
        impact: Some("OUTAGE".into()),
        parsed_vendor_circuit_id: Some("IC-1".into()),
        internal_circuit_id: c,
        status: status.into(),
        sequence: None,
    }
}

#[test]
fn slas_upsert_and_replace_vendor_applicability() {
    for (db, mut s) in stores("slas") {
        let mut sla = StoredSla {
            sla_id: "gold".into(),
            name: "Gold".into(),
            uptime_percent: 99.95,
            interval_kind: "calendarMonthFromFirst".into(),
            strategy: "standard-availability".into(),
            definition: "{}".into(),
            vendors: vec!["zayo".into(), "lumen".into(), "zayo".into()],
        };
        s.upsert_sla(&sla).unwrap();
        let got = s.slas().unwrap();
        assert_eq!(got.len(), 1, "{db}");
        assert_eq!(
            got[0].vendors,
            ["lumen", "zayo"],
            "{db}: sorted, deduplicated"
        );
        sla.vendors = vec!["colt".into()];
        sla.uptime_percent = 99.9;
        s.upsert_sla(&sla).unwrap();
        let got = s.sla("gold").unwrap().unwrap();
        assert_eq!(got.vendors, ["colt"], "{db}");
        assert_eq!(got.uptime_percent, 99.9, "{db}");
        assert!(s.sla("silver").unwrap().is_none());
    }
}

#[test]
fn ports_and_protection_groups() {
    for (db, mut s) in stores("ports") {
        let a = circuit(&mut s, "IC-1");
        let b = circuit(&mut s, "IC-2");
        s.upsert_port(&PortMapping {
            device: "rtr1".into(),
            port: "Gi0/1".into(),
            internal_circuit_id: a,
        })
        .unwrap();
        s.upsert_port(&PortMapping {
            device: "rtr1".into(),
            port: "Gi0/1".into(),
            internal_circuit_id: b,
        })
        .unwrap();
        s.upsert_port(&PortMapping {
            device: "mx1".into(),
            port: "xe-0/0/1".into(),
            internal_circuit_id: a,
        })
        .unwrap();
        let ports = s.ports().unwrap();
        assert_eq!(ports.len(), 2, "{db}");
        assert_eq!(
            ports[1].internal_circuit_id, b,
            "{db}: the later mapping wins"
        );
        assert!(s.delete_port("mx1", "xe-0/0/1").unwrap());
        assert!(!s.delete_port("mx1", "xe-0/0/1").unwrap());

        let mut g = ProtectionGroup {
            protection_group_id: "pair-1".into(),
            name: "Pair".into(),
            customer_id: None,
            sla_id: Some("protected".into()),
            sla_epoch: Some(t("2026-01-15T10:00:00.750Z")),
            members: vec![b, a, a],
        };
        s.upsert_protection_group(&g).unwrap();
        let got = s.protection_groups().unwrap();
        let mut both = vec![a, b];
        both.sort();
        assert_eq!(got[0].members, both, "{db}");
        assert_eq!(
            got[0].sla_epoch,
            Some(t("2026-01-15T10:00:00Z")),
            "{db}: whole seconds"
        );
        g.members = vec![a];
        s.upsert_protection_group(&g).unwrap();
        assert_eq!(s.protection_groups().unwrap()[0].members, vec![a], "{db}");
    }
}

#[test]
fn outages_are_keyed_by_circuit_and_begin() {
    for (db, mut s) in stores("outages") {
        let a = circuit(&mut s, "IC-1");
        let b = circuit(&mut s, "IC-2");
        // Fractions are dropped, so a re-read of the same log matches.
        let w = s
            .record_outage(&outage(a, "2026-10-03T01:00:00.400Z", None))
            .unwrap();
        assert_eq!(w, OutageWrite::Inserted, "{db}");
        let w = s
            .record_outage(&outage(a, "2026-10-03T01:00:00Z", None))
            .unwrap();
        assert_eq!(w, OutageWrite::Unchanged, "{db}");
        assert_eq!(s.open_outages(None).unwrap().len(), 1, "{db}");
        assert_eq!(s.open_outages(Some(b)).unwrap().len(), 0, "{db}");

        let w = s
            .record_outage(&outage(
                a,
                "2026-10-03T01:00:00Z",
                Some("2026-10-03T01:30:00Z"),
            ))
            .unwrap();
        assert_eq!(w, OutageWrite::Closed, "{db}");
        let w = s
            .record_outage(&outage(a, "2026-10-03T01:00:00Z", None))
            .unwrap();
        assert_eq!(w, OutageWrite::Unchanged, "{db}: never re-opened");
        let w = s
            .record_outage(&outage(
                a,
                "2026-10-03T01:00:00Z",
                Some("2026-10-03T01:45:00Z"),
            ))
            .unwrap();
        assert_eq!(w, OutageWrite::Updated, "{db}");
        let all = s
            .outages_overlapping(
                Some(a),
                t("2026-10-01T00:00:00Z"),
                t("2026-11-01T00:00:00Z"),
            )
            .unwrap();
        assert_eq!(all.len(), 1, "{db}");
        assert_eq!(all[0].end, Some(t("2026-10-03T01:45:00Z")), "{db}");
        assert_eq!(all[0].duration_seconds, Some(2700), "{db}");
        assert!(!all[0].evaluated, "{db}");

        // open outage closed by id; not twice, not before its begin
        let id = s
            .insert_outage(&outage(b, "2026-10-31T23:00:00Z", None))
            .unwrap();
        assert!(
            !s.close_outage(id, t("2026-10-31T22:00:00Z")).unwrap(),
            "{db}"
        );
        assert!(
            s.close_outage(id, t("2026-11-01T01:00:00Z")).unwrap(),
            "{db}"
        );
        assert!(
            !s.close_outage(id, t("2026-11-01T02:00:00Z")).unwrap(),
            "{db}"
        );
        assert!(
            !s.close_outage(Uuid::new_v4(), t("2026-11-01T02:00:00Z"))
                .unwrap(),
            "{db}"
        );
        // a second outage with the same begin is a key error
        assert!(
            s.insert_outage(&outage(b, "2026-10-31T23:00:00Z", None))
                .is_err(),
            "{db}"
        );

        let pending = s.unevaluated_outages().unwrap();
        assert_eq!(pending.len(), 2, "{db}");
        let ids: Vec<Uuid> = pending.iter().map(|o| o.outage_event_id).collect();
        assert_eq!(s.mark_outages_evaluated(&ids).unwrap(), 2, "{db}");
        assert!(s.unevaluated_outages().unwrap().is_empty(), "{db}");
        // a change makes it unevaluated again
        s.record_outage(&outage(
            a,
            "2026-10-03T01:00:00Z",
            Some("2026-10-03T01:50:00Z"),
        ))
        .unwrap();
        assert_eq!(s.unevaluated_outages().unwrap().len(), 1, "{db}");

        // overlap: the outage crossing into November belongs to both months,
        // an open one to every month from its begin on
        let nov = (t("2026-11-01T00:00:00Z"), t("2026-12-01T00:00:00Z"));
        s.insert_outage(&outage(a, "2026-11-20T00:00:00Z", None))
            .unwrap();
        let o = s.outages_overlapping(None, nov.0, nov.1).unwrap();
        assert_eq!(o.len(), 2, "{db}");
        let dec = s
            .outages_overlapping(None, t("2026-12-01T00:00:00Z"), t("2027-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(dec.len(), 1, "{db}");
        assert!(dec[0].end.is_none(), "{db}");
        // touching is not overlapping: [begin, end) against [from, to)
        let o = s
            .outages_overlapping(None, t("2026-10-03T01:50:00Z"), t("2026-10-03T02:00:00Z"))
            .unwrap();
        assert!(o.is_empty(), "{db}: {o:?}");

        // many ids at once (chunked statements)
        let begin = t("2026-09-01T00:00:00Z");
        let ids: Vec<Uuid> = (0..1_200)
            .map(|i| {
                s.insert_outage(&NewOutage {
                    internal_circuit_id: a,
                    begin: begin - TimeDelta::seconds(i * 100),
                    end: Some(begin - TimeDelta::seconds(i * 100 - 50)),
                    source: "bulk".into(),
                })
                .unwrap()
            })
            .collect();
        assert_eq!(s.mark_outages_evaluated(&ids).unwrap(), 1_200, "{db}");
        s.insert_outage(&outage(b, "2026-08-01T00:00:00Z", None))
            .unwrap();
        assert_eq!(
            s.mark_unevaluated_outages_evaluated().unwrap(),
            3,
            "{db}: the changed one, the open November one, this one"
        );
        assert!(s.unevaluated_outages().unwrap().is_empty(), "{db}");
    }
}

#[test]
fn lock_outages_works_inside_a_transaction() {
    for (db, mut s) in stores("lock") {
        let a = circuit(&mut s, "IC-1");
        s.transaction(|s| {
            s.lock_outages()?;
            s.record_outage(&outage(a, "2026-10-03T01:00:00Z", None))?;
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{db}: {e}"));
        assert_eq!(s.open_outages(None).unwrap().len(), 1, "{db}");
    }
}

#[test]
fn forecast_windows_of_circuits_overlapping_a_range() {
    for (db, mut s) in stores("windows") {
        let a = circuit(&mut s, "IC-1");
        let b = circuit(&mut s, "IC-2");
        let nid = notification(&mut s, "x");
        let m = maintenance("PW1");
        let ev =
            |c: Option<Uuid>, b: &str, e: &str, status: &str| event(nid, "PW1", c, b, e, status);
        s.record_revision(
            "fiberprovider",
            nid,
            std::slice::from_ref(&m),
            &[
                ev(
                    Some(a),
                    "2026-10-03T00:00:00Z",
                    "2026-10-03T04:00:00Z",
                    "CONFIRMED",
                ),
                ev(
                    Some(b),
                    "2026-10-31T22:00:00Z",
                    "2026-11-01T02:00:00Z",
                    "CANCELLED",
                ),
                ev(
                    None,
                    "2026-10-03T00:00:00Z",
                    "2026-10-03T04:00:00Z",
                    "CONFIRMED",
                ),
            ],
        )
        .unwrap();
        let oct = (t("2026-10-01T00:00:00Z"), t("2026-11-01T00:00:00Z"));
        let all = s.forecast_windows_overlapping(None, oct.0, oct.1).unwrap();
        assert_eq!(
            all.len(),
            2,
            "{db}: unmatched events have no circuit: {all:?}"
        );
        assert!(all.iter().any(|e| e.status == "CANCELLED"), "{db}");
        let of_a = s
            .forecast_windows_overlapping(Some(a), oct.0, oct.1)
            .unwrap();
        assert_eq!(of_a.len(), 1, "{db}");
        let nov = s
            .forecast_windows_overlapping(None, oct.1, t("2026-12-01T00:00:00Z"))
            .unwrap();
        assert_eq!(nov.len(), 1, "{db}");
        // a later revision supersedes the windows: not current any more
        s.record_revision("fiberprovider", nid, &[m], &[]).unwrap();
        assert!(
            s.forecast_windows_overlapping(None, oct.0, oct.1)
                .unwrap()
                .is_empty(),
            "{db}"
        );
    }
}

#[test]
fn measurements_upsert_keeps_identical_rows_untouched() {
    for (db, mut s) in stores("measurements") {
        let a = circuit(&mut s, "IC-1");
        s.upsert_protection_group(&ProtectionGroup {
            protection_group_id: "pair-1".into(),
            name: "Pair".into(),
            customer_id: None,
            sla_id: Some("gold".into()),
            sla_epoch: None,
            members: vec![a],
        })
        .unwrap();
        let m = StoredMeasurement {
            subject: Subject::Circuit(a),
            period_start: t("2026-10-01T00:00:00Z"),
            period_end: t("2026-11-01T00:00:00Z"),
            sla_id: "gold".into(),
            outage_seconds: 4200,
            excluded_seconds: 2400,
            availability_percent: 99.932_795_698_924_73,
            breached: true,
            credit_percent: 10.0,
            evaluated_at: t("2026-11-02T08:00:00Z"),
        };
        assert!(s.upsert_measurement(&m).unwrap(), "{db}: inserted");
        let again = StoredMeasurement {
            evaluated_at: t("2026-11-03T08:00:00Z"),
            ..m.clone()
        };
        assert!(
            !s.upsert_measurement(&again).unwrap(),
            "{db}: same values, untouched"
        );
        let got = s.measurement(&m.subject, m.period_start).unwrap().unwrap();
        assert_eq!(got, m, "{db}: evaluatedAt kept");
        assert_eq!(got.counted_seconds(), 1800);
        let changed = StoredMeasurement {
            outage_seconds: 4300,
            evaluated_at: t("2026-11-04T08:00:00Z"),
            ..m.clone()
        };
        assert!(s.upsert_measurement(&changed).unwrap(), "{db}: updated");
        assert_eq!(
            s.measurement(&m.subject, m.period_start).unwrap().unwrap(),
            changed,
            "{db}"
        );
        let g = StoredMeasurement {
            subject: Subject::Group("pair-1".into()),
            ..m.clone()
        };
        assert!(s.upsert_measurement(&g).unwrap(), "{db}");
        let sept = StoredMeasurement {
            period_start: t("2026-09-01T00:00:00Z"),
            period_end: t("2026-10-01T00:00:00Z"),
            ..m.clone()
        };
        assert!(s.upsert_measurement(&sept).unwrap(), "{db}");
        let oct = s
            .measurements(t("2026-10-01T00:00:00Z"), t("2026-11-01T00:00:00Z"))
            .unwrap();
        assert_eq!(oct.len(), 2, "{db}");
        assert_eq!(oct[0].subject, Subject::Circuit(a), "{db}: circuits first");
        assert_eq!(oct[1].subject, Subject::Group("pair-1".into()), "{db}");
        // many at once: chunked statements, identical rows untouched, a
        // repeated key keeps the last row
        let many: Vec<StoredMeasurement> = (0..450)
            .map(|i| StoredMeasurement {
                subject: Subject::Circuit(Uuid::from_u64_pair(1, i)),
                outage_seconds: i as i64,
                ..m.clone()
            })
            .chain(std::iter::once(g.clone()))
            .collect();
        assert_eq!(
            s.upsert_measurements(&many).unwrap(),
            450,
            "{db}: the group row is unchanged"
        );
        assert_eq!(s.upsert_measurements(&many).unwrap(), 0, "{db}");
        let mut twice = many.clone();
        twice.push(StoredMeasurement {
            excluded_seconds: 0,
            ..many[7].clone()
        });
        assert_eq!(s.upsert_measurements(&twice).unwrap(), 1, "{db}");
        assert_eq!(
            s.measurement(&many[7].subject, m.period_start)
                .unwrap()
                .unwrap()
                .excluded_seconds,
            0,
            "{db}"
        );
        assert!(
            s.measurement(&Subject::Group("nope".into()), m.period_start)
                .unwrap()
                .is_none()
        );
    }
}

/// A forecast that arrives, moves or is cancelled after an SLA evaluation
/// changes how the outages under its windows count: those outages become
/// unevaluated, so the next batch evaluation redoes their periods.
#[test]
fn forecast_changes_reopen_the_outages_under_their_windows() {
    for (db, mut s) in stores("reopen") {
        let a = circuit(&mut s, "IC-1");
        let b = circuit(&mut s, "IC-2");
        // a: one outage on Oct 3 (02:00–03:00), one on Oct 20; b: Oct 3.
        for o in [
            outage(a, "2026-10-03T02:00:00Z", Some("2026-10-03T03:00:00Z")),
            outage(a, "2026-10-20T10:00:00Z", Some("2026-10-20T10:30:00Z")),
            outage(b, "2026-10-03T02:00:00Z", Some("2026-10-03T03:00:00Z")),
        ] {
            s.record_outage(&o).unwrap();
        }
        let evaluated_all = |s: &mut Store| {
            let ids: Vec<Uuid> = s
                .unevaluated_outages()
                .unwrap()
                .iter()
                .map(|o| o.outage_event_id)
                .collect();
            s.mark_outages_evaluated(&ids).unwrap();
        };
        let pending = |s: &mut Store| {
            let mut v: Vec<(Uuid, String)> = s
                .unevaluated_outages()
                .unwrap()
                .iter()
                .map(|o| (o.internal_circuit_id, o.begin.to_rfc3339()))
                .collect();
            v.sort();
            v
        };
        evaluated_all(&mut s);
        assert!(pending(&mut s).is_empty(), "{db}");

        let nid = notification(&mut s, "late");
        let m = maintenance("PW9");
        let ev = |b: &str, e: &str| event(nid, "PW9", Some(a), b, e, "CONFIRMED");

        // The late notice covers a's Oct 3 outage only (not a's Oct 20 one,
        // not b's outage at the same time).
        let (key, _) = s
            .record_revision(
                "fiberprovider",
                nid,
                std::slice::from_ref(&m),
                &[ev("2026-10-03T00:00:00Z", "2026-10-03T04:00:00Z")],
            )
            .unwrap();
        assert_eq!(
            pending(&mut s),
            vec![(a, "2026-10-03T02:00:00+00:00".to_string())],
            "{db}"
        );

        // Moved to Oct 20: both of a's outages are judged anew (the old
        // window no longer excludes Oct 3; the new one covers Oct 20).
        evaluated_all(&mut s);
        s.record_revision(
            "fiberprovider",
            nid,
            std::slice::from_ref(&m),
            &[ev("2026-10-20T09:00:00Z", "2026-10-20T12:00:00Z")],
        )
        .unwrap();
        let mut both = vec![
            (a, "2026-10-03T02:00:00+00:00".to_string()),
            (a, "2026-10-20T10:00:00+00:00".to_string()),
        ];
        both.sort();
        assert_eq!(pending(&mut s), both, "{db}");

        // Cancelled without a window: the Oct 20 outage counts again.
        evaluated_all(&mut s);
        s.set_maintenance_status(key, mnp_core::Status::Cancelled, nid)
            .unwrap();
        assert_eq!(
            pending(&mut s),
            vec![(a, "2026-10-20T10:00:00+00:00".to_string())],
            "{db}"
        );

        // An outage still open under a window is reopened too.
        evaluated_all(&mut s);
        s.record_outage(&outage(b, "2026-10-25T08:00:00Z", None))
            .unwrap();
        evaluated_all(&mut s);
        let mut evb = ev("2026-10-25T07:00:00Z", "2026-10-25T09:00:00Z");
        evb.internal_circuit_id = Some(b);
        let mut m2 = m.clone();
        m2.maintenance_id = "PW10".into();
        s.record_revision("fiberprovider", nid, &[m2], &[evb])
            .unwrap();
        assert_eq!(
            pending(&mut s),
            vec![(b, "2026-10-25T08:00:00+00:00".to_string())],
            "{db}"
        );
    }
}
