//! Hand-checked cases and the round-trip law of the generic parser.

use super::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

fn mail(s: &str) -> Email {
    Email::parse(s.as_bytes()).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

#[test]
fn labelled_notice_is_confident() {
    let m = mail(
        "From: noc@carrier.example\nSubject: Scheduled Maintenance Notification\n\n\
         Maintenance ID: MW-778812\nStart Date/Time: 12-Mar-2024 22:00 GMT\n\
         End Date/Time: 13-Mar-2024 03:30 GMT\nImpact: Loss of service up to 30 minutes\n\
         Circuit ID: LON/ETH/004411\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances.len(), 1);
    let x = &r.maintenances[0];
    assert_eq!(x.maintenance_id, "MW-778812");
    assert_eq!(x.status, Status::Confirmed);
    let w = x.window.unwrap();
    assert_eq!(w.begin(), utc(2024, 3, 12, 22, 0));
    assert_eq!(w.end(), utc(2024, 3, 13, 3, 30));
    assert_eq!(
        x.circuits,
        vec![CircuitImpact::new("LON/ETH/004411", Impact::Outage)]
    );
    assert!(r.is_confident(&Options::default()), "{r:?}");
    assert!(r.evidence.iter().any(|e| e.field == "window"));
    assert!(x.conformance().is_empty());
}

#[test]
fn start_and_duration_make_the_window() {
    let m = mail(
        "From: noc@carrier.example\nSubject: Scheduled Maintenance MW-4410\n\n\
         Maintenance ID: MW-4410\nStart: 2025-03-04 22:00 UTC, Duration: 4 hours\n\
         Circuit ID: LON/ETH/004411\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances.len(), 1);
    let w = r.maintenances[0].window.unwrap();
    // 22:00 UTC + 4 h
    assert_eq!(w.begin(), utc(2025, 3, 4, 22, 0));
    assert_eq!(w.end(), utc(2025, 3, 5, 2, 0));
    assert_eq!(r.maintenances[0].impact_seconds, None);
    let e = r.evidence.iter().find(|e| e.field == "window").unwrap();
    assert!(e.source.contains("duration: 4 hours"), "{e:?}");
}

#[test]
fn an_end_wins_over_a_duration_and_the_outage_is_impact_seconds() {
    let m = mail(
        "From: noc@carrier.example\nSubject: Scheduled Maintenance MW-4411\n\n\
         Maintenance ID: MW-4411\nStart: 2025-03-04 22:00 UTC\nEnd: 2025-03-05 04:00 UTC\n\
         Duration: 2 hours\nExpected outage duration: 15 minutes\n\
         Circuit ID: LON/ETH/004411\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    let x = &r.maintenances[0];
    let w = x.window.unwrap();
    // the written end, not 22:00 + 2 h
    assert_eq!(w.end(), utc(2025, 3, 5, 4, 0));
    // 15 min = 900 s
    assert_eq!(x.impact_seconds, Some(900));
    assert!(
        r.evidence
            .iter()
            .any(|e| e.field == "impact_seconds" && e.value == "900")
    );
    assert!(x.conformance().is_empty());
}

#[test]
fn a_labelled_duration_is_as_sure_as_an_end_an_unlabelled_one_less() {
    let conf = |when: &str| {
        let m = mail(&format!(
            "From: noc@carrier.example\nSubject: Scheduled Maintenance MW-4412\n\n\
             Maintenance ID: MW-4412\n{when}\nCircuit ID: LON/ETH/004411\n"
        ));
        let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
        assert_eq!(r.maintenances.len(), 1, "{when}");
        assert_eq!(
            r.maintenances[0].window.unwrap().end(),
            utc(2025, 3, 5, 2, 0),
            "{when}"
        );
        r.confidence
    };
    let with_end = conf("Start: 2025-03-04 22:00 UTC\nEnd: 2025-03-05 02:00 UTC");
    let labelled = conf("Start: 2025-03-04 22:00 UTC\nDuration: 4 hours");
    let unlabelled = conf("Work on 2025-03-04 22:00 UTC for up to 4 hours");
    assert_eq!(labelled, with_end);
    assert!(unlabelled < labelled, "{unlabelled} vs {labelled}");
}

#[test]
fn inventory_ids_win_over_shapes() {
    let m = mail(
        "From: ops@carrier.example\nSubject: Planned work 55120\n\n\
         We will perform maintenance affecting your service XQ 88110 and others.\n\
         Window: 2024-06-01 01:00 - 05:00 UTC\nExpected impact: no impact\n",
    );
    let inv = Inventory::new(["XQ-88110", "XQ-99999"]);
    let r = parse(&m, &inv, &Options::default()).unwrap();
    let x = &r.maintenances[0];
    assert_eq!(
        x.circuits,
        vec![CircuitImpact::new("XQ-88110", Impact::NoImpact)]
    );
    assert_eq!(x.maintenance_id, "55120");
    assert_eq!(x.window.unwrap().end(), utc(2024, 6, 1, 5, 0));
}

#[test]
fn cancellation_without_window() {
    let m = mail(
        "From: noc@carrier.example\nSubject: CANCELLED: maintenance CHG0045512\n\n\
         The maintenance below has been cancelled.\nCircuit: AB/1234/XY\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances.len(), 1);
    assert_eq!(r.maintenances[0].status, Status::Cancelled);
    assert_eq!(r.maintenances[0].window, None);
    assert_eq!(r.maintenances[0].maintenance_id, "CHG0045512");
}

#[test]
fn newsletter_is_not_maintenance() {
    let m = mail("From: news@carrier.example\nSubject: Our spring offers\n\nGreat prices!\n");
    assert!(parse(&m, &Inventory::default(), &Options::default()).is_err());
}

#[test]
fn vague_mail_is_for_a_human() {
    let m = mail(
        "From: noc@carrier.example\nSubject: maintenance next week\n\n\
         We plan some maintenance next week, details to follow.\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert!(!r.is_confident(&Options::default()));
}

#[test]
fn table_column_of_circuits() {
    let m = mail(
        "From: noc@carrier.example\nSubject: Maintenance notice\nContent-Type: text/html\n\n\
         <p>Ticket: 991234</p><table><tr><td>Circuit ID</td><td>Start (UTC)</td><td>End (UTC)</td></tr>\
         <tr><td>CKT-1001</td><td>2024-09-10 02:00</td><td>2024-09-10 06:00</td></tr>\
         <tr><td>CKT-1002</td><td>2024-09-10 02:00</td><td>2024-09-10 06:00</td></tr></table>",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances.len(), 1, "{r:?}");
    let ids: Vec<&str> = r.maintenances[0]
        .circuits
        .iter()
        .map(|c| c.vendor_circuit_id.as_str())
        .collect();
    assert_eq!(ids, ["CKT-1001", "CKT-1002"]);
    assert_eq!(
        r.maintenances[0].window.unwrap().begin(),
        utc(2024, 9, 10, 2, 0)
    );
}

/// Render `t` (UTC) in `zone_name` (fixed offset in hours) using style `k`.
fn render(t: DateTime<Utc>, off_h: i32, zone_name: &str, k: usize) -> String {
    let local = t.naive_utc() + Duration::hours(i64::from(off_h));
    let f = match k % 7 {
        0 => "%Y-%m-%d %H:%M",
        1 => "%d-%b-%Y %H:%M",
        2 => "%b %d, %Y %I:%M %p",
        3 => "%d %B %Y %H:%M",
        4 => "%Y/%m/%d %H:%M",
        5 => "%A, %B %d, %Y at %I:%M %p",
        _ => "%Y-%m-%dT%H:%M",
    };
    format!("{} {zone_name}", local.format(f))
}

proptest! {
    /// Any rendering of a known window parses back to it.
    #[test]
    fn any_rendering_round_trips(
        begin_min in 0i64..(3 * 365 * 24 * 60),
        len_min in 15i64..(48 * 60),
        zi in 0usize..5,
        k1 in 0usize..7,
        k2 in 0usize..7,
    ) {
        let zones = [(0, "UTC"), (0, "GMT"), (1, "GMT+1"), (-5, "(UTC-05:00)"), (9, "+0900")];
        let (off, name) = zones[zi];
        let base = utc(2024, 1, 1, 0, 0);
        let b = base + Duration::minutes(begin_min);
        let e = b + Duration::minutes(len_min);
        let text = format!(
            "Start time: {}\nEnd time: {}\n",
            render(b, off, name, k1),
            render(e, off, name, k2)
        );
        let w = windows::pair(&windows::find_all(&text));
        prop_assert_eq!(w.len(), 1, "{}", text);
        prop_assert_eq!(w[0].window.begin(), b, "{}", text);
        prop_assert_eq!(w[0].window.end(), e, "{}", text);
    }

    /// Arbitrary text never panics.
    #[test]
    fn never_panics(s in "\\PC{0,300}") {
        let m = Email::parse(format!("Subject: x\n\n{s}").as_bytes());
        if let Ok(m) = m {
            let _ = parse(&m, &Inventory::new(["AB-123"]), &Options::default());
        }
    }
}

#[test]
fn account_from_label_table_or_greeting() {
    let mut ev = Vec::new();
    assert_eq!(
        account::find("", "Customer: Contoso Ltd\n", &mut ev),
        "Contoso Ltd"
    );
    assert_eq!(
        account::find(
            "",
            "Customer Name\tCircuit ID\tImpact\nFabrikam Inc\tXY-1\tOutage\n",
            &mut ev
        ),
        "Fabrikam Inc"
    );
    assert_eq!(
        account::find("", "Dear Northwind Traders,\n", &mut ev),
        "Northwind Traders"
    );
    // a greeting that names nobody is no account
    assert_eq!(account::find("", "Dear Customer,\n", &mut ev), "");
    assert_eq!(
        account::find("", "Customer\tWide World\n", &mut ev),
        "Wide World"
    );
    assert_eq!(ev.len(), 4);
}

#[test]
fn account_greetings_to_a_role_name_nobody_and_an_asn_is_the_peer() {
    let mut ev = Vec::new();
    // a greeting to a role names nobody
    assert_eq!(account::find("", "Dear Partners,\n", &mut ev), "");
    assert_eq!(account::find("", "Hello NOC Team,\n", &mut ev), "");
    // a peer greeted by name and AS number: the ASN identifies it
    assert_eq!(
        account::find("", "Dear Example.com (AS 64512),\n", &mut ev),
        "AS64512"
    );
    // a letter opening with its addressee and no "Dear"
    assert_eq!(
        account::find(
            "",
            "\nExample.net (AS64511),\n\nWe will perform maintenance.\n",
            &mut ev
        ),
        "AS64511"
    );
    assert_eq!(
        account::find("", "Our ASN\t64500\nPeer ASN\t64501\n", &mut ev),
        "64501"
    );
    // an account column beside headers with digits in them ("L2 ...")
    assert_eq!(
        account::find(
            "",
            "Account #\tProduct\tL2 Connection Name\n778899\tFabric\tvc-1\n",
            &mut ev
        ),
        "778899"
    );
    // ...but a row starting with a number is data, not a header row
    assert_eq!(
        account::find("", "12\tCustomer\tXY-1\nfoo\tbar\tbaz\n", &mut ev),
        ""
    );
    assert_eq!(ev.len(), 4);
}

#[test]
fn account_labels_in_other_languages_and_one_cell_per_line() {
    let mut ev = Vec::new();
    assert_eq!(
        account::find("", "Kundennummer:     KD-1234\n", &mut ev),
        "KD-1234"
    );
    assert_eq!(
        account::find("", "Cliente: Contoso Ltda\n", &mut ev),
        "Contoso Ltda"
    );
    assert_eq!(
        account::find("", "Customer account:  CA-77\n", &mut ev),
        "CA-77"
    );
    assert_eq!(
        account::find(
            "",
            "Reference\n\tPW-1\nAccount Number\n\tAC-5510\nStatus\n",
            &mut ev
        ),
        "AC-5510"
    );
    assert_eq!(ev.len(), 4);
}

#[test]
fn circuit_labels_in_any_order_and_language_and_lists_with_descriptions() {
    let ids = |body: &str| -> Vec<String> {
        circuits::labelled(body).into_iter().map(|c| c.id).collect()
    };
    assert_eq!(
        ids("Affected Service(s):  QN-1001, QN-1002\n"),
        ["QN-1001", "QN-1002"]
    );
    assert_eq!(
        ids("Affected ports: PX-3301, PX-3302\n"),
        ["PX-3301", "PX-3302"]
    );
    assert_eq!(
        ids(
            "Betroffene Leitungen:\n  NL/ETH/100234   Ethernet 10G   Kassel\n  NL/ETH/100871   Ethernet 1G\n\nAuswirkung: Ausfall\n"
        ),
        ["NL/ETH/100234", "NL/ETH/100871"]
    );
    assert_eq!(
        ids(
            "Circuits:\n  PL-2209-ETH   (Impact: Outage, 45 minutes)\n  PL-2210-ETH   (Impact: Outage)\n"
        ),
        ["PL-2209-ETH", "PL-2210-ETH"]
    );
    assert_eq!(
        ids("Circuitos afectados:\n  SL-0091\n  SL-0094\n"),
        ["SL-0091", "SL-0094"]
    );
    assert_eq!(ids("Circuitos afetados:\tVR-1120\t\n"), ["VR-1120"]);
    assert_eq!(
        ids("Affected Circuit(s)\n\tMRD.WAV.10093\nCustomer Impact\n"),
        ["MRD.WAV.10093"]
    );
    assert_eq!(ids("Service:   IBF-PER-0015\n"), ["IBF-PER-0015"]);
    assert_eq!(
        ids(
            "Notice\tHM-1\nCircuits\tHM/DF/001187\nHM/DF/001188\nHM/ETH/020331 (10G)\nWork description: panels at 60 Hudson St\n"
        ),
        ["HM/DF/001187", "HM/DF/001188", "HM/ETH/020331"]
    );
    assert_eq!(
        ids("Liens concernés :\n - LT-LIAISON-5521\n - LT-LIAISON-5522\n"),
        ["LT-LIAISON-5521", "LT-LIAISON-5522"]
    );
    // "services" in a sentence is no label, and a list stops at the next label
    assert!(ids("This work may affect your services\nReference: PW-2291\n").is_empty());
    assert!(ids("We offer many services: 24/7 support\n").is_empty());
}

/// Render `t` in the IANA zone `tz` with the zone's own abbreviation for
/// that date (EST/EDT, CET/CEST, GMT/BST…), in style `k`. Numeric dates are
/// written the way the zone's region writes them: month-first for US
/// zones, day-first elsewhere (the parser's documented reading).
fn render_tz(t: DateTime<Utc>, tz: chrono_tz::Tz, k: usize) -> String {
    let local = t.with_timezone(&tz);
    let us = tz.name().starts_with("America/");
    let f = match k % 6 {
        0 if us => "%m-%d-%Y %H:%M %Z",
        0 => "%d.%m.%Y %H:%M %Z",
        1 if us => "%m/%d/%Y %I:%M %p %Z",
        1 => "%d/%m/%Y %H:%M %Z",
        2 => "%H:%M %Z %d-%b-%Y",
        3 => "%a, %d %b %Y %H:%M %Z",
        4 => "%B %-d, %Y %H:%M hrs %Z",
        _ => "%Y-%m-%d %H:%M (%Z)",
    };
    local.format(f).to_string()
}

proptest! {
    /// A window written in a zone with daylight saving, with the zone's
    /// abbreviation for that date, parses back to the same instants.
    #[test]
    fn dst_zone_renderings_round_trip(
        begin_min in 0i64..(3 * 365 * 24 * 60),
        len_min in 15i64..(30 * 60),
        zi in 0usize..5,
        k1 in 0usize..6,
        k2 in 0usize..6,
    ) {
        let zones = [
            chrono_tz::America::New_York,
            chrono_tz::Europe::Berlin,
            chrono_tz::Europe::London,
            chrono_tz::Asia::Tokyo,
            chrono_tz::Australia::Sydney,
        ];
        let tz = zones[zi];
        // whole minutes only: notices never give seconds
        let b = utc(2024, 1, 1, 0, 0) + Duration::minutes(begin_min);
        let e = b + Duration::minutes(len_min);
        let text = format!(
            "Maintenance window\nStart: {}\nEnd: {}\n",
            render_tz(b, tz, k1),
            render_tz(e, tz, k2)
        );
        let w = windows::pair(&windows::find_all(&text));
        prop_assert_eq!(w.len(), 1, "{}", text);
        prop_assert_eq!(w[0].window.begin(), b, "{}", text);
        prop_assert_eq!(w[0].window.end(), e, "{}", text);
        prop_assert!(w[0].zoned, "{}", text);
    }

    /// A same-day range ("12 Mar 2024 22:00 - 02:00 UTC") parses back,
    /// crossing midnight when the end reads earlier than the begin.
    #[test]
    fn short_range_round_trips(
        begin_min in 0i64..(3 * 365 * 24 * 60),
        len_min in 15i64..(23 * 60),
        zi in 0usize..3,
    ) {
        let zones = [(0, "UTC"), (1, "(GMT+1)"), (-7, "UTC-7")];
        let (off, name) = zones[zi];
        let b = utc(2024, 1, 1, 0, 0) + Duration::minutes(begin_min);
        let e = b + Duration::minutes(len_min);
        let lb = b.naive_utc() + Duration::hours(off);
        let le = e.naive_utc() + Duration::hours(off);
        let text = format!(
            "Window: {} - {} {name}\n",
            lb.format("%d %b %Y %H:%M"),
            le.format("%H:%M")
        );
        let w = windows::pair(&windows::find_all(&text));
        prop_assert_eq!(w.len(), 1, "{}", text);
        prop_assert_eq!(w[0].window.begin(), b, "{}", text);
        prop_assert_eq!(w[0].window.end(), e, "{}", text);
    }

    /// Mutated fixtures (bytes flipped, cut, repeated) never panic and never
    /// give non-conformant output.
    #[test]
    fn mutated_fixtures_are_safe(
        which in 0usize..1000,
        at in 0usize..100_000,
        byte in any::<u8>(),
        cut in 0usize..100_000,
    ) {
        let files = fixtures();
        prop_assume!(!files.is_empty());
        let mut raw = files[which % files.len()].clone();
        if !raw.is_empty() {
            let i = at % raw.len();
            raw[i] = byte;
            let c = cut % raw.len();
            let tail = raw[c..].to_vec();
            raw.extend_from_slice(&tail);
        }
        let v = check_bytes(&raw);
        prop_assert!(v.is_empty(), "{:?}", v);
    }
}

/// The project's own fixtures (`corpus/*/*.eml`, rejects included).
fn fixtures() -> Vec<Vec<u8>> {
    static FILES: std::sync::LazyLock<Vec<Vec<u8>>> = std::sync::LazyLock::new(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut out = Vec::new();
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "eml")
                    && let Ok(b) = std::fs::read(&p)
                {
                    out.push(b);
                }
            }
        }
        out
    });
    FILES.clone()
}

#[test]
fn every_fixture_passes_the_generic_check() {
    let files = fixtures();
    assert!(files.len() > 50, "only {} fixtures found", files.len());
    for raw in &files {
        let v = check_bytes(raw);
        assert!(v.is_empty(), "{v:?}");
    }
}

#[test]
fn backup_dates_and_untranslated_local_lines_are_dropped() {
    // the local line borrows the notice's only zone (UTC) and would give a
    // second, wrong window; the backup date is no maintenance of its own
    let m = mail(
        "From: noc@carrier.example\nSubject: Maintenance REF-4411\n\n\
         Maintenance REF-4411\nLOKAL: 02 JUL 2021 19:00 - 03 JUL 2021 00:00\n\
         UTC: 02 JUL 2021 10:00 - 02 JUL 2021 15:00\nBackup date\n\
         09 JUL 2021 10:00 - 09 JUL 2021 15:00 UTC\nCircuit ID: QX-1\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances.len(), 1, "{r:?}");
    let w = r.maintenances[0].window.unwrap();
    assert_eq!(w.begin(), utc(2021, 7, 2, 10, 0));
    assert_eq!(w.end(), utc(2021, 7, 2, 15, 0));
}

#[test]
fn moved_window_keeps_the_new_date() {
    // "Start <old> <new>": the second date on a labelled line replaces the first
    let t = "Start\t2021-11-10 03:00:00 GMT 2021-12-08 03:00 GMT\n\
             End\t2021-11-10 11:00:00 GMT 2021-12-08 11:00 GMT\n";
    let w = windows::pair(&windows::find_all(t));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].window.begin(), utc(2021, 12, 8, 3, 0));
    assert_eq!(w[0].window.end(), utc(2021, 12, 8, 11, 0));
}

#[test]
fn title_line_and_subject_label_fields() {
    let m = mail(
        "From: noc@carrier.example\nSubject: Notice [Account: 000123]\n\n\
         Maintenance End_\nDear Customer,\nThe maintenance is now over.\n\
         Maintenance ID\t\t55501\nStart time\t\tAug 29, 2022 15:00 UTC\n\
         End time\t\tAug 29, 2022 19:05 UTC\nService ID (SID)\t\tAB-001 AB-002\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    let x = &r.maintenances[0];
    assert_eq!(x.status, Status::Completed);
    assert_eq!(x.maintenance_id, "55501");
    assert_eq!(x.account, "000123");
    let ids: Vec<&str> = x
        .circuits
        .iter()
        .map(|c| c.vendor_circuit_id.as_str())
        .collect();
    assert_eq!(ids, ["AB-001", "AB-002"]);
}

#[test]
fn flattened_table_is_rebuilt() {
    let m = mail(
        "From: noc@carrier.example\nSubject: Scheduled maintenance #: 77001\n\n\
         Maintenance #: 77001\nStart: 2021-08-26 04:00 GMT\nEnd: 2021-08-26 10:00 GMT\n\
         Customer Name\nCircuit ID\nBandwidth\nImpact Type\nContoso\n9-87654321\n10G\nOutage\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    let x = &r.maintenances[0];
    assert_eq!(x.account, "Contoso");
    assert_eq!(
        x.circuits,
        vec![CircuitImpact::new("9-87654321", Impact::Outage)]
    );
}

#[test]
fn long_runs_of_short_lines_stay_linear() {
    // thousands of short digit-free lines (a header-like run) once made the
    // flattened-table search try every split at every line
    let mut body = String::from("Start: 2024-03-12 22:00 UTC\nEnd: 2024-03-13 04:00 UTC\n");
    for i in 0..4000 {
        body.push_str(if i % 2 == 0 { "Circuit ID\n" } else { "Name\n" });
    }
    let m = mail(&format!(
        "From: a@b.example\nSubject: Maintenance 4242\n\n{body}"
    ));
    let t = std::time::Instant::now();
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances.len(), 1);
    assert!(t.elapsed().as_secs() < 5, "took {:?}", t.elapsed());
}

#[test]
fn id_the_subject_repeats_beats_a_footer_reference() {
    let m = mail(
        "From: noc@carrier.example\nSubject: TT: \"CHG7654321\" / Planned Work Notification\n\n\
         Ticket Reference - XYZ  CHG7654321\nStart: 2024-03-12 22:00 UTC\n\
         End: 2024-03-13 04:00 UTC\nCircuit ID: QQ-1\nRef:MSG000111222333\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances[0].maintenance_id, "CHG7654321");
    // a label whose words name another field is not the id
    let m = mail(
        "From: noc@carrier.example\nSubject: Demand Notification WMT#: 556677\n\n\
         Maintenance Address:\nLocation1\nStart: 2024-03-12 22:00 UTC\n\
         End: 2024-03-13 04:00 UTC\nCircuit ID: QQ-1\n",
    );
    let r = parse(&m, &Inventory::default(), &Options::default()).unwrap();
    assert_eq!(r.maintenances[0].maintenance_id, "556677");
}

proptest! {
    /// A begin written in a city's local time plus a stated duration gives
    /// back the window, across DST changes (the zone's offset for the date).
    #[test]
    fn city_begin_plus_duration_round_trips(
        begin_min in 0i64..(3 * 365 * 24 * 60),
        len_min in 15i64..(12 * 60),
        zi in 0usize..4,
        hours in any::<bool>(),
    ) {
        let zones = [
            (chrono_tz::America::New_York, "New York"),
            (chrono_tz::Europe::Berlin, "Frankfurt"),
            (chrono_tz::Europe::London, "London"),
            (chrono_tz::Australia::Sydney, "Sydney"),
        ];
        let (tz, city) = zones[zi];
        // whole hours when the length is written in hours
        let len_min = if hours { (len_min / 60).max(1) * 60 } else { len_min };
        let b = utc(2024, 1, 1, 0, 0) + Duration::minutes(begin_min);
        let local = b.with_timezone(&tz).naive_local();
        // a local time read twice in the autumn is read as the earlier one
        prop_assume!(tz.from_local_datetime(&local).single().is_some());
        let amount = if hours {
            format!("{} hours", len_min / 60)
        } else {
            format!("{len_min} minutes")
        };
        let text = format!(
            "Start: {} ({city})\nExpected duration: {amount}\n",
            local.format("%Y-%m-%d %H:%M")
        );
        let found = windows::find_all(&text);
        prop_assert!(windows::pair(&found).is_empty(), "{}", text);
        let w = windows::from_duration(&found, &text);
        prop_assert!(w.is_some(), "{}", text);
        let w = w.unwrap();
        prop_assert_eq!(w.window.begin(), b, "{}", text);
        prop_assert_eq!(w.window.end(), b + Duration::minutes(len_min), "{}", text);
        prop_assert!(w.labelled && w.zoned, "{}", text);
    }
}

#[test]
fn work_moved_to_the_alternate_window_is_rescheduled_not_completed() {
    let mut ev = Vec::new();
    let body = "Scheduled Maintenance Window #: 4711-1\nSummary: fibre repair.\nUpdates:\nThe scheduled maintenance window 4711-1 has ended.\n\
                Work on the services below will be performed during the alternate night \
                maintenance window.\n";
    assert_eq!(super::find_status("", body, &mut ev).0, Status::Rescheduled);
    let done = "Scheduled Maintenance Window #: 4711-1\nSummary: fibre repair.\nUpdates:\nThe scheduled maintenance window 4711-1 has ended.\n";
    assert_eq!(super::find_status("", done, &mut ev).0, Status::Completed);
    let off = "Planned Works Details\nRef.: PW-1\nThus please take note that this maintenance \
               for your service stands as cancelled. There are no new dates.\n";
    assert_eq!(super::find_status("", off, &mut ev).0, Status::Cancelled);
}

#[test]
fn impact_wording_with_denied_outages() {
    let c = |t: &str| super::classify_impact(t).map(|(i, _)| i);
    assert_eq!(
        c("your services are protected (loss of redundancy). No interruption is expected."),
        Some(Impact::ReducedRedundancy)
    );
    assert_eq!(
        c("Degraded service - intermittent packet loss. The service is not expected to go down."),
        Some(Impact::Degraded)
    );
    assert_eq!(c("No interruption is expected."), Some(Impact::NoImpact));
    assert_eq!(
        c("two short outages of up to 5 minutes"),
        Some(Impact::Outage)
    );
    assert_eq!(
        c("Ausfall der Dienste für bis zu 4 Stunden"),
        Some(Impact::Outage)
    );
    assert_eq!(
        c("perte de redondance ; aucune coupure n'est prévue"),
        Some(Impact::ReducedRedundancy)
    );
    assert_eq!(c("Please read carefully"), None);
    // both stated and nothing denied: flagged
    assert_eq!(
        super::classify_impact("switch hit and higher latency"),
        Some((Impact::Degraded, true))
    );
}

/// The windows `text` gives, as (begin, end) in UTC.
fn spans(text: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    windows::pair(&windows::find_all(text))
        .iter()
        .filter(|w| !w.backup)
        .map(|w| (w.window.begin(), w.window.end()))
        .collect()
}

#[test]
fn windows_written_time_first_apart_or_in_other_languages() {
    // a range before its date, crossing midnight
    assert_eq!(
        spans("When: 22:00-04:00 UTC on 11 March 2025 (overnight)\n"),
        [(utc(2025, 3, 11, 22, 0), utc(2025, 3, 12, 4, 0))]
    );
    // each end with its own zone and date after the time
    assert_eq!(
        spans("Window: 23:30 UTC on 15 April 2025 until 03:30 UTC on 16 April 2025\n"),
        [(utc(2025, 4, 15, 23, 30), utc(2025, 4, 16, 3, 30))]
    );
    // date and time on two lines; EST is UTC-5 in January
    assert_eq!(
        spans(
            "Date:    Thursday, January 16, 2025\nTime:    12:00 AM to 6:00 AM Eastern (EST, UTC-5)\n"
        ),
        [(utc(2025, 1, 16, 5, 0), utc(2025, 1, 16, 11, 0))]
    );
    // French: 00h00 Paris time in April is CEST, UTC+2
    assert_eq!(
        spans(
            "Début : mardi 8 avril 2025 à 00h00 (heure de Paris)\nFin : mardi 8 avril 2025 à 06h00 (heure de Paris)\n"
        ),
        [(utc(2025, 4, 7, 22, 0), utc(2025, 4, 8, 4, 0))]
    );
    // German: MEZ is UTC+1
    assert_eq!(
        spans(
            "Beginn: Dienstag, 4. März 2025, 22:00 Uhr (MEZ)\nEnde: Mittwoch, 5. März 2025, 03:00 Uhr (MEZ)\n"
        ),
        [(utc(2025, 3, 4, 21, 0), utc(2025, 3, 5, 2, 0))]
    );
    // Spanish with "de": UTC-3
    assert_eq!(
        spans(
            "Inicio: 20 de marzo de 2025 02:00 (UTC-3)\nFin: 20 de marzo de 2025 06:00 (UTC-3)\n"
        ),
        [(utc(2025, 3, 20, 5, 0), utc(2025, 3, 20, 9, 0))]
    );
}

#[test]
fn the_zone_in_a_table_header_covers_every_row() {
    let t = "Window\tStart (UTC)\tEnd (UTC)\nNight 1\t13-May-2025 22:00\t14-May-2025 06:00\n\
             Night 2\t14-May-2025 22:00\t15-May-2025 06:00\n";
    let f = windows::find_all(t);
    assert_eq!(f.len(), 4);
    assert!(f.iter().all(|f| f.utc && !f.inferred), "{f:?}");
    assert_eq!(
        spans(t),
        [
            (utc(2025, 5, 13, 22, 0), utc(2025, 5, 14, 6, 0)),
            (utc(2025, 5, 14, 22, 0), utc(2025, 5, 15, 6, 0))
        ]
    );
}

#[test]
fn a_window_the_notice_replaces_is_not_a_maintenance() {
    let text = "ORIGINAL WINDOW (no longer valid):\n  2025-05-27 04:00 UTC - 2025-05-27 08:00 UTC\n\n\
                NEW WINDOW:\n  Start: 2025-06-10 04:00 UTC\n  End: 2025-06-10 08:00 UTC\n";
    assert_eq!(
        spans(text),
        [(utc(2025, 6, 10, 4, 0), utc(2025, 6, 10, 8, 0))]
    );
}

#[test]
fn more_wording_carriers_use() {
    let mut ev = Vec::new();
    // statuses in subjects in other languages, upper case included
    for (subject, want) in [
        ("REPROGRAMADO: Aviso de mantenimiento", Status::Rescheduled),
        ("Report des travaux programmés", Status::Rescheduled),
        ("Wartungsarbeiten ABGESAGT", Status::Cancelled),
        ("Lavori completati", Status::Completed),
    ] {
        assert_eq!(
            super::find_status(subject, "", &mut ev).0,
            want,
            "{subject}"
        );
    }
    // accounts
    assert_eq!(
        account::find("", "Número de cliente:    CC-0093321\n", &mut ev),
        "CC-0093321"
    );
    assert_eq!(
        account::find("", "Compte client\t3100-8821\t\n", &mut ev),
        "3100-8821"
    );
    // impact: a key that only contains the word, a value on the next line,
    // a one-word "none" with an explanation, a hedge giving way
    assert_eq!(
        super::find_impact(
            "影響 / Impact\tIntermittent packet loss (degraded service)\n",
            &mut ev
        ),
        Impact::Degraded
    );
    assert_eq!(
        super::find_impact(
            "Customer Impact\n\tDegraded service: packet loss.\nReason\n",
            &mut ev
        ),
        Impact::Degraded
    );
    assert_eq!(
        super::find_impact(
            "Wpływ na usługę:   brak - prace nie powinny mieć wpływu\n",
            &mut ev
        ),
        Impact::NoImpact
    );
    assert_eq!(
        super::find_impact(
            "Expected Customer Impact: Potential Service Affecting\nExpected Impact Duration: None Expected\n",
            &mut ev
        ),
        Impact::NoImpact
    );
    // a signature after a list is no circuit, nor is a phone number
    let ids: Vec<String> = circuits::labelled(
        "Affected Circuits:\nLCS/IRXX/448120\nLCS/DIA/77310\nLarchwood NOC | 1-800-555-0147\n",
    )
    .into_iter()
    .map(|c| c.id)
    .collect();
    assert_eq!(ids, ["LCS/IRXX/448120", "LCS/DIA/77310"]);
    assert!(!super::id_shaped("1-800-555-0147"));
}

#[test]
fn a_same_day_end_time_is_no_offset_and_a_stated_zone_covers_the_notice() {
    // 02:00-06:00 JST (UTC+9) on 8 July = 17:00-21:00 UTC on 7 July
    assert_eq!(
        spans("Tuesday, 8 July 2025 02:00-06:00 JST (UTC+9)\n"),
        [(utc(2025, 7, 7, 17, 0), utc(2025, 7, 7, 21, 0))]
    );
    // PDT is UTC-7: 11:00 PM on 26 Aug = 06:00 UTC on 27 Aug
    let t = "Night 1: Tuesday, August 26, 2025, 11:00 PM - Wednesday, August 27, 2025, 3:00 AM\n\
             All times are Pacific Time (PDT, UTC-7).\n";
    assert_eq!(
        spans(t),
        [(utc(2025, 8, 27, 6, 0), utc(2025, 8, 27, 10, 0))]
    );
}

#[test]
fn tables_drawn_with_pipes_or_spaces_and_ids_under_their_label() {
    let ids = |body: &str| -> Vec<String> {
        circuits::labelled(&super::tidy(body))
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    let art = "Services affected:\n+----+--------------+--------+\n| #  | Service ID   | Site   |\n\
               +----+--------------+--------+\n| 1  | TL-AKL-0551  | Albany |\n| 2  | TL-AKL-0602  | Rosedale |\n\
               +----+--------------+--------+\n";
    assert_eq!(ids(art), ["TL-AKL-0551", "TL-AKL-0602"]);
    let spaced = "Affected Configuration Items\n  Service ID              Type        Status\n\
                  PW/10G/0204             Wavelength  Active\n  PW/10G/0219             Wavelength  Active\n";
    assert_eq!(ids(spaced), ["PW/10G/0204", "PW/10G/0219"]);
    // a label, then a table whose first column holds the ids
    let under =
        "Circuitos afetados:\nDesignação\tServiço\tVelocidade\nGB-0042118\tLan-to-Lan\t1 Gbps\n";
    assert_eq!(ids(under), ["GB-0042118"]);
    // the reference alone on its line, the id on the next
    let mut ev = Vec::new();
    assert_eq!(
        super::find_id(
            "Planned work",
            "Reference\nDL-PW-27-0003\nPrimary window\n",
            &[],
            &mut ev
        )
        .0,
        Some("DL-PW-27-0003".to_string())
    );
    // and in a summary table's column
    assert_eq!(
        super::find_id(
            "Planned work",
            "Ticket\tStatus\nBWM-240871\tScheduled\n",
            &[],
            &mut ev
        )
        .0,
        Some("BWM-240871".to_string())
    );
    // an impact cell that says none, then why
    assert_eq!(
        super::impact_value("None - diverse path"),
        Some((Impact::NoImpact, false))
    );
    // Frankfurter Zeit: CET in February (UTC+1); Polish "godz."
    assert_eq!(
        spans(
            "Beginn: Dienstag, 2. Februar 2027, 22:00 Uhr (Frankfurter Zeit)\nEnde: Mittwoch, 3. Februar 2027, 04:00 Uhr (Frankfurter Zeit)\n"
        ),
        [(utc(2027, 2, 2, 21, 0), utc(2027, 2, 3, 3, 0))]
    );
    assert_eq!(
        spans(
            "Początek prac: 19.01.2027, godz. 01:00 (CET)\nZakończenie prac: 19.01.2027, godz. 05:00 (CET)\n"
        ),
        [(utc(2027, 1, 19, 0, 0), utc(2027, 1, 19, 4, 0))]
    );
}

#[test]
fn round_four_layouts() {
    // an ISO time's offset is no end time; an end time is not the start of a date
    assert_eq!(
        spans("NEW window: 2026-02-10T01:00:00-07:00 to 2026-02-10T05:00:00-07:00\n"),
        [(utc(2026, 2, 10, 8, 0), utc(2026, 2, 10, 12, 0))]
    );
    assert_eq!(
        spans(
            "Zeitfenster (MEZ):\n  1. Nacht:  Dienstag, 11.03.2025, 01:00 Uhr  bis  11.03.2025, 05:00 Uhr MEZ\n"
        ),
        [(utc(2025, 3, 11, 0, 0), utc(2025, 3, 11, 4, 0))]
    );
    // CJK dates and a full-width tilde; EAT (UTC+3); a parenthesised weekday
    assert_eq!(
        spans("作業日時 / Window: 2025年7月5日(土) 02:00～06:00 JST (UTC+9)\n"),
        [(utc(2025, 7, 4, 17, 0), utc(2025, 7, 4, 21, 0))]
    );
    assert_eq!(
        spans("Start: Saturday, 17 May 2025 00:00 EAT\nEnd: Saturday, 17 May 2025 06:00 EAT\n"),
        [(utc(2025, 5, 16, 21, 0), utc(2025, 5, 17, 3, 0))]
    );
    assert_eq!(
        spans("08 May 2025 (Thursday) 02:00 AM – 06:00 AM\n(Hong Kong Time, GMT+8)\n"),
        [(utc(2025, 5, 7, 18, 0), utc(2025, 5, 7, 22, 0))]
    );
    // Italian time-first with "di <weekday>", Dutch "van … tot", a country's time
    assert_eq!(
        spans(
            "Finestra: dalle ore 23:00 di martedì 04/02/2025 alle ore 03:00 di mercoledì 05/02/2025 (ora italiana, CET)\n"
        ),
        [(utc(2025, 2, 4, 22, 0), utc(2025, 2, 5, 2, 0))]
    );
    assert_eq!(
        spans("Tijdstip: woensdag 16 juli 2025 van 02:00 tot 04:00 uur (Nederlandse tijd)\n"),
        [(utc(2025, 7, 16, 0, 0), utc(2025, 7, 16, 2, 0))]
    );
    // the range and its date wrapped onto two lines of prose
    assert_eq!(
        spans(
            "will upgrade the core routers from 1:00 AM to 5:00 AM (GMT+3) on\nFriday, 9 January 2026.\n"
        ),
        [(utc(2026, 1, 8, 22, 0), utc(2026, 1, 9, 2, 0))]
    );
    // a ticket id that starts like a zone is no zone; a zone stated after a tab
    let t = "Número de ventana\tEST-MX-44120\nInicio\t08/04/2025 23:00 hrs\nFin\t09/04/2025 03:00 hrs\n\
             Zona horaria\tHora del centro de México (UTC-6)\nFormato de fecha\tDD/MM/AAAA\n";
    assert_eq!(spans(t), [(utc(2025, 4, 9, 5, 0), utc(2025, 4, 9, 9, 0))]);
    assert!(windows::find_all(t).iter().all(|f| f.guesses.is_empty()));
    // a new window right under the one it replaces
    assert_eq!(
        spans(
            "Original window : 08 May 2025 02:00 AM - 06:00 AM HKT   (cancelled)\n  NEW window      : 15 May 2025 02:00 AM - 06:00 AM HKT\n"
        ),
        [(utc(2025, 5, 14, 18, 0), utc(2025, 5, 14, 22, 0))]
    );
}

#[test]
fn round_four_fields() {
    let ids = |body: &str| -> Vec<String> {
        circuits::labelled(&super::tidy(body))
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    // ids written with a speed and letters around them stay whole; speeds alone are no ids
    assert_eq!(
        ids("Affected circuits:\n    SKR-TYO-OSA 10G 00231\n    SKR.IPT.7781.TYO\n"),
        ["SKR-TYO-OSA 10G 00231", "SKR.IPT.7781.TYO"]
    );
    assert!(!super::id_shaped("100G") && !super::id_shaped("10GE"));
    // quoted lists, underlined labels, dot leaders, bilingual labels and headers
    assert_eq!(
        ids(
            "> Services:\n>   HU/BUD/ETH/00312  (Ethernet 1G)\n>   HU/VIE/ETH/00077\n>\n> Kind regards\n"
        ),
        ["HU/BUD/ETH/00312", "HU/VIE/ETH/00077"]
    );
    assert_eq!(
        ids("Affected services\n-----------------\nXAN/ATH/WL/55012\n"),
        ["XAN/ATH/WL/55012"]
    );
    assert_eq!(
        ids("  Designação ... FNX.POA.CWB.0030871\n"),
        ["FNX.POA.CWB.0030871"]
    );
    assert_eq!(
        ids("Usługa / Service:  TAT/KRK-WAW/1G/00455\n"),
        ["TAT/KRK-WAW/1G/00455"]
    );
    assert_eq!(
        ids("回線番号/Circuit No.\tサービス/Service\n0012345678901\tEthernet\n"),
        ["0012345678901"]
    );
    let mut ev = Vec::new();
    // an account number beats the customer's name; labels with a prefix in another language
    assert_eq!(
        account::find(
            "",
            &super::tidy("  Customer ........ Tui Freight Ltd\n  Account ......... 88-4410\n"),
            &mut ev
        ),
        "88-4410"
    );
    assert_eq!(
        account::find("", "Numer klienta / Customer number: KL-448102\n", &mut ev),
        "KL-448102"
    );
    assert_eq!(
        account::find(
            "",
            "Kundennummer:\t7004-1192\t  Wartungsnummer:\tSPW-1\n",
            &mut ev
        ),
        "7004-1192"
    );
    // ids after a word naming the work
    assert_eq!(
        super::find_id(
            "POSTPONED: Change HMT/CR/2025/0318",
            "change HMT/CR/2025/0318 has been postponed\n",
            &[],
            &mut ev
        )
        .0,
        Some("HMT/CR/2025/0318".to_string())
    );
    // "Brak usługi" is lack of service, "None - diverse path" no impact
    assert_eq!(
        super::impact_value("Brak usługi do 2 godzin").map(|i| i.0),
        None
    );
    assert_eq!(
        super::find_impact(
            "Wpływ / Impact:    Brak usługi do 2 godzin / outage up to 2 hours\n",
            &mut ev
        ),
        Impact::Outage
    );
    // no outage word anywhere: lost redundancy stated in prose
    assert_eq!(
        super::find_impact(
            "During the work your wavelengths will run unprotected (loss of redundancy).\n",
            &mut ev
        ),
        Impact::ReducedRedundancy
    );
}

#[test]
fn round_five_layouts() {
    // a date line, then start and end lines with times only; the end's own date wins
    assert_eq!(
        spans(
            "Date : mardi 4 mars 2025\nDébut : 22h00 (heure de Paris)\nFin : 03h00 (heure de Paris) le mercredi 5 mars 2025\n"
        ),
        [(utc(2025, 3, 4, 21, 0), utc(2025, 3, 5, 2, 0))]
    );
    // a city's adjective: Brussels in March is CET (UTC+1)
    assert_eq!(
        spans(
            "Aanvang: dinsdag 4 maart 2025 22:00 (Brusselse tijd)\nEinde: woensdag 5 maart 2025 02:00 (Brusselse tijd)\n"
        ),
        [(utc(2025, 3, 4, 21, 0), utc(2025, 3, 5, 1, 0))]
    );
    // a zone between the time and its date: AEDT is UTC+11
    assert_eq!(
        spans(
            "Start: 11:00 PM AEDT, Thursday 15 January 2026\nFinish: 3:00 AM AEDT, Friday 16 January 2026\n"
        ),
        [(utc(2026, 1, 15, 12, 0), utc(2026, 1, 15, 16, 0))]
    );
    let mut ev = Vec::new();
    // an impact column of a summary table
    assert_eq!(
        super::find_impact(
            "Maintenance ID\tStart date\tEnd date\tImpact\nEW-1\t24 Jun 2025\t25 Jun 2025\tDegraded performance (higher latency)\n",
            &mut ev
        ),
        Impact::Degraded
    );
    // a value that names itself before the number
    assert_eq!(
        account::find("", "Client : Compte n° FR-558120\n", &mut ev),
        "FR-558120"
    );
    let ids = |body: &str| -> Vec<String> {
        circuits::labelled(&super::tidy(body))
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        ids("Services affected (hard down during the splice):\n    BSL-0031\n    BSL-0032\n"),
        ["BSL-0031", "BSL-0032"]
    );
    assert_eq!(
        ids("Configuration items affected:\n  GF-ABZ-000731  (IP Transit 10G)\n"),
        ["GF-ABZ-000731"]
    );
    assert_eq!(
        ids("Configuration items:    700004518822931; 700004518822944\n"),
        ["700004518822931", "700004518822944"]
    );
    assert_eq!(
        ids("Affected capacity:\nLVX-STM64-0012 – outage of up to 30 minutes\n"),
        ["LVX-STM64-0012"]
    );
    assert_eq!(
        ids("Liens\tRF/MRS/IP-TRANSIT/7781, RF/MRS/NIC/7782\n"),
        ["RF/MRS/IP-TRANSIT/7781", "RF/MRS/NIC/7782"]
    );
    assert_eq!(
        ids("Lien(s) impacté(s) : CMT/PAR/ETH/0098812\n"),
        ["CMT/PAR/ETH/0098812"]
    );
    assert_eq!(
        ids("Circuito: PTY-DAV 1GE 001207 (impacto previsto: pérdida total del servicio)\n"),
        ["PTY-DAV 1GE 001207"]
    );
    assert_eq!(
        ids("Service\tRoute\tCapacity\nJHB CPT 10G 0042\tJohannesburg - Cape Town\t10G\n"),
        ["JHB CPT 10G 0042"]
    );
}

#[test]
fn round_six_layouts() {
    let mut ev = Vec::new();
    assert_eq!(
        account::find("", "  Nº de cliente ................: 40021877\n", &mut ev),
        ""
    );
    assert_eq!(
        account::find(
            "",
            &super::tidy("  Nº de cliente ................: 40021877\n"),
            &mut ev
        ),
        "40021877"
    );
    assert_eq!(
        account::find("", "■ お客様番号 / Customer No.\n  C-0088-2211\n", &mut ev),
        "C-0088-2211"
    );
    assert_eq!(
        account::find(
            "",
            "Client / Customer: NWCS-4471 (Northwind Carrier Services SRL)\n",
            &mut ev
        ),
        "NWCS-4471"
    );
    // a lost-redundancy clause and its denied outage in one sentence
    assert_eq!(
        super::find_impact(
            "links will run without redundancy (loss of redundancy); no outage is expected\n",
            &mut ev
        ),
        Impact::ReducedRedundancy
    );
    // a ticket system's own "updated" line is no status
    assert_eq!(
        super::find_status(
            "Planned work",
            "Your request (#184552) has been updated.\nHello,\n",
            &mut ev
        )
        .0,
        Status::Confirmed
    );
    // a letters-and-digits id beats a ticket system's bare number
    assert_eq!(
        super::find_id(
            "Planned work",
            "Your request (#184552) has been updated.\nChange Ticket: PW-CHG-000184552\n",
            &[],
            &mut ev
        )
        .0,
        Some("PW-CHG-000184552".to_string())
    );
    let ids = |body: &str| -> Vec<String> {
        circuits::labelled(&super::tidy(body))
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        ids("  Affected service | CSPN-L2VPN-7781\n"),
        ["CSPN-L2VPN-7781"]
    );
    assert_eq!(
        ids("Usługa:   NRW-WAW-L2-00412 (Warszawa - Białystok, L2VPN 1 Gb/s)\n"),
        ["NRW-WAW-L2-00412"]
    );
    assert_eq!(
        ids(
            "  Service ID               Expected Impact\n  QW-DXB-LON-0003     Outage\n  QW-DXB-MRS-0011     Loss of redundancy\n"
        ),
        ["QW-DXB-LON-0003", "QW-DXB-MRS-0011"]
    );
    assert_eq!(
        ids("Cliente\tID circuito\tVelocidad\nDemo\tPTG-IP-88120\t1 Gbps\n"),
        ["PTG-IP-88120"]
    );
    // a date under a window label, times on the start and end lines
    assert_eq!(
        spans(
            "Janela de manutenção:\tquinta-feira, 10/12/2026 (dd/mm/aaaa)\nInício:\t00:00 (horário de Brasília, UTC-3)\nTérmino:\t05:00 (horário de Brasília, UTC-3)\n"
        ),
        [(utc(2026, 12, 10, 3, 0), utc(2026, 12, 10, 8, 0))]
    );
    // bilingual date and window lines; EET is UTC+2
    assert_eq!(
        spans(
            "Data / Date: marti, 12 ianuarie 2027 / Tuesday, 12 January 2027\nInterval / Window: 01:00 - 05:00 EET (UTC+2)\n"
        ),
        [(utc(2027, 1, 11, 23, 0), utc(2027, 1, 12, 3, 0))]
    );
    // the original window under its label is no maintenance
    assert_eq!(
        spans(
            "  Original window (no longer valid):\n      marti 12.01.2027, 01:00 - 05:00 (EET, UTC+2)\n  NEW window:\n      joi 14.01.2027, 01:00 - 05:00 (EET, UTC+2)\n"
        ),
        [(utc(2027, 1, 13, 23, 0), utc(2027, 1, 14, 3, 0))]
    );
}
