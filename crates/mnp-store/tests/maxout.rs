//! The maxout queries (episodes, daily peaks, alert outbox), on SQLite
//! always and on PostgreSQL when `MNP_TEST_POSTGRES_URL` names a server
//! (each test gets a fresh database).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use mnp_store::{Backoff, Circuit, MaxoutFilter, MaxoutWrite, NewMail, Store, StoredMaxout};
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
    mnp_testkit::databases("mnp-store-maxout", test)
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
        provisioned_bps: Some(1_000_000_000),
        burst_bps: None,
        sla_id: None,
        sla_epoch: None,
        description: String::new(),
    })
    .unwrap()
}

fn episode(c: Uuid, circuit_ref: &str, customer: Option<&str>, start: &str) -> StoredMaxout {
    StoredMaxout {
        maxout_event_id: Uuid::new_v5(
            &Uuid::NAMESPACE_OID,
            format!("{circuit_ref}{start}").as_bytes(),
        ),
        internal_circuit_id: c,
        circuit_ref: circuit_ref.into(),
        customer_id: customer.map(String::from),
        started_at: t(start),
        ended_at: None,
        last_sample_at: Some(t(start)),
        peak_percent: 101.5,
        peak_bps: 1.015e9,
        seconds_over: 0,
        minutes_over: 0,
        direction: "out".into(),
        capacity_bps: 1_000_000_000,
        provisioned_bps: 1_000_000_000,
        burst_bps: None,
        threshold_percent: 100.0,
        alerted_at: None,
    }
}

#[test]
fn migration_3_is_applied() {
    for (backend, mut s) in stores("migration") {
        assert_eq!(s.schema_version().unwrap(), 3, "{backend}");
        assert!(s.migrate().unwrap().is_empty(), "{backend}");
    }
}

#[test]
fn episodes_insert_update_close_and_never_reopen() {
    for (backend, mut s) in stores("episodes") {
        let c1 = circuit(&mut s, "C1");
        let c2 = circuit(&mut s, "C2");
        let mut e = episode(c1, "C1", Some("acme"), "2024-01-01T10:00:00Z");
        assert_eq!(
            s.record_maxout(&e).unwrap(),
            MaxoutWrite::Inserted,
            "{backend}"
        );
        assert_eq!(
            s.record_maxout(&e).unwrap(),
            MaxoutWrite::Unchanged,
            "{backend}"
        );
        e.peak_percent = 103.25;
        e.seconds_over = 600;
        e.minutes_over = 10;
        e.last_sample_at = Some(t("2024-01-01T10:10:00Z"));
        assert_eq!(
            s.record_maxout(&e).unwrap(),
            MaxoutWrite::Updated,
            "{backend}"
        );
        let other = episode(c2, "C2", Some("beta"), "2024-01-02T08:00:00Z");
        s.record_maxout(&other).unwrap();

        let open = s.open_maxouts().unwrap();
        assert_eq!(open.len(), 2, "{backend}");
        assert_eq!(open[0], e, "{backend}: round trip");

        let mut closed = e.clone();
        closed.ended_at = Some(t("2024-01-01T10:15:00.700Z"));
        assert_eq!(
            s.record_maxout(&closed).unwrap(),
            MaxoutWrite::Closed,
            "{backend}"
        );
        // an "open" write of a closed episode (late duplicate) is ignored
        assert_eq!(
            s.record_maxout(&e).unwrap(),
            MaxoutWrite::Unchanged,
            "{backend}"
        );
        let got = s.maxout_event(e.maxout_event_id).unwrap().unwrap();
        assert_eq!(
            got.ended_at,
            Some(t("2024-01-01T10:15:00Z")),
            "{backend}: whole seconds"
        );
        assert_eq!(got.peak_percent, 103.25, "{backend}");

        assert!(
            s.close_maxout(other.maxout_event_id, t("2024-01-02T09:00:00Z"))
                .unwrap()
        );
        assert!(
            !s.close_maxout(other.maxout_event_id, t("2024-01-02T09:30:00Z"))
                .unwrap()
        );
        assert!(s.open_maxouts().unwrap().is_empty(), "{backend}");

        s.set_maxout_alerted(e.maxout_event_id, t("2024-01-01T10:00:05Z"))
            .unwrap();
        let got = s.maxout_event(e.maxout_event_id).unwrap().unwrap();
        assert_eq!(got.alerted_at, Some(t("2024-01-01T10:00:05Z")), "{backend}");

        // list by customer and period
        let acme = s
            .maxout_events(&MaxoutFilter {
                customer: Some("acme".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(acme.len(), 1, "{backend}");
        assert_eq!(acme[0].circuit_ref, "C1");
        let jan2 = s
            .maxout_events(&MaxoutFilter {
                from: Some(t("2024-01-02T00:00:00Z")),
                to: Some(t("2024-01-03T00:00:00Z")),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(jan2.len(), 1, "{backend}");
        assert_eq!(jan2[0].circuit_ref, "C2");
        assert_eq!(s.maxout_events(&MaxoutFilter::default()).unwrap().len(), 2);
    }
}

#[test]
fn daily_peaks_only_grow() {
    for (backend, mut s) in stores("peaks") {
        let c = circuit(&mut s, "C1");
        let d1 = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        s.record_daily_peak(c, d1, 80.0).unwrap();
        s.record_daily_peak(c, d1, 70.0).unwrap();
        s.record_daily_peak(c, d1, f64::NAN).unwrap();
        s.record_daily_peak(c, d2, 85.0).unwrap();
        s.record_daily_peak(c, d2, 90.5).unwrap();
        let p = s.daily_peaks(d1).unwrap();
        assert_eq!(p.len(), 2, "{backend}");
        assert_eq!((p[0].day, p[0].peak_percent), (d1, 80.0), "{backend}");
        assert_eq!((p[1].day, p[1].peak_percent), (d2, 90.5), "{backend}");
        assert_eq!(s.daily_peaks(d2).unwrap().len(), 1, "{backend}");
    }
}

fn mail(key: &str) -> NewMail {
    NewMail {
        dedupe_key: key.into(),
        maxout_event_id: Some(Uuid::new_v4()),
        kind: "opened".into(),
        to: vec!["noc@acme.example".into()],
        cc: vec!["am@isp.example".into(), "cx@isp.example".into()],
        subject: "Capacity alert".into(),
        text: "plain".into(),
        html: "<p>&lt;b&gt;</p>".into(),
    }
}

#[test]
fn outbox_dedupes_retries_with_backoff_and_keeps_until_sent() {
    for (backend, mut s) in stores("outbox") {
        let now = t("2024-01-01T10:00:00Z");
        let a = s.enqueue_mail(&mail("e1:opened"), now).unwrap().unwrap();
        assert_eq!(
            s.enqueue_mail(&mail("e1:opened"), now).unwrap(),
            None,
            "{backend}: dedupe"
        );
        let b = s.enqueue_mail(&mail("e2:opened"), now).unwrap().unwrap();
        assert_ne!(a, b);

        let due = s.due_mails(now, 10).unwrap();
        assert_eq!(due.len(), 2, "{backend}");
        assert_eq!(due[0].to, vec!["noc@acme.example"], "{backend}");
        assert_eq!(
            due[0].cc,
            vec!["am@isp.example", "cx@isp.example"],
            "{backend}"
        );
        assert_eq!(due[0].html, "<p>&lt;b&gt;</p>");
        assert_eq!(s.due_mails(now, 1).unwrap().len(), 1, "{backend}: limit");

        let backoff = Backoff::default();
        let next = s
            .mark_mail_failed(a, "421 try later", now, &backoff)
            .unwrap();
        assert_eq!(next, now + Duration::minutes(1), "{backend}");
        let next = s.mark_mail_failed(a, "421 again", now, &backoff).unwrap();
        assert_eq!(next, now + Duration::minutes(2), "{backend}");
        let due = s.due_mails(now, 10).unwrap();
        assert_eq!(due.iter().map(|m| m.outbox_id).collect::<Vec<_>>(), vec![b]);
        let later = s.due_mails(now + Duration::minutes(2), 10).unwrap();
        assert_eq!(later.len(), 2, "{backend}");
        let failed = later.iter().find(|m| m.outbox_id == a).unwrap();
        assert_eq!(failed.attempts, 2, "{backend}");
        assert_eq!(failed.last_error.as_deref(), Some("421 again"), "{backend}");

        s.mark_mail_sent(a, now + Duration::minutes(2)).unwrap();
        s.mark_mail_sent(b, now).unwrap();
        assert!(
            s.due_mails(now + Duration::hours(5), 10)
                .unwrap()
                .is_empty(),
            "{backend}"
        );
        let all = s.outbox(true).unwrap();
        assert_eq!(all.len(), 2, "{backend}");
        assert!(
            all.iter()
                .all(|m| m.sent_at.is_some() && m.last_error.is_none())
        );
        assert!(s.outbox(false).unwrap().is_empty());
        // sent mails still dedupe
        assert_eq!(
            s.enqueue_mail(&mail("e1:opened"), now).unwrap(),
            None,
            "{backend}"
        );
    }
}

#[test]
fn outbox_refuses_header_breaking_addresses() {
    for (backend, mut s) in stores("outbox-bad") {
        let mut m = mail("x");
        m.to = vec!["a@b.example\r\nBcc: evil@x.example".into()];
        assert!(
            s.enqueue_mail(&m, t("2024-01-01T00:00:00Z")).is_err(),
            "{backend}"
        );
        let mut m = mail("y");
        m.to.clear();
        assert!(
            s.enqueue_mail(&m, t("2024-01-01T00:00:00Z")).is_err(),
            "{backend}"
        );
    }
}
