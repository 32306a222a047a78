#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::*;

const MINIMAL: &str = r#"
id = "acme-fiber"
carrier = "Acme Fiber"
senders = ["acmefiber.example"]
subjects = ['^Acme Fiber Maintenance']

[dates]
formats = ["%Y-%m-%d %H:%M"]
zone = "UTC"

[fields]
id = { label = "Ticket" }
begin = { label = "Start Time (UTC)" }
end = { label = "End Time (UTC)" }
circuits = { label = "Circuit ID(s)", split = [",", ";"] }
impact = { label = "Impact" }

[[status]]
to = "CANCELLED"
words = ["cancel", "annulé"]

[[impact]]
to = "NO-IMPACT"
words = ["no impact", "aucun impact"]
"#;

fn mail(raw: &str) -> Email {
    Email::parse(raw.as_bytes()).unwrap()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

#[test]
fn minimal_profile_reads_a_labelled_text_notice() {
    let p = load_str("acme.toml", MINIMAL).unwrap();
    assert_eq!(p.id, "acme-fiber");
    let e = mail(
        "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\n\
         Ticket: AF-1001\nTicket Number: wrong\nStart Time (UTC): 2025-05-06 22:00\n\
         End Time (UTC): 2025-05-07 03:30\nCircuit ID(s): AF/1, AF/2; AF/3\nImpact: Outage up to 30 minutes\n",
    );
    let ms = p.parse(&e).unwrap();
    assert_eq!(ms.len(), 1);
    let m = &ms[0];
    assert_eq!(m.maintenance_id, "AF-1001");
    assert_eq!(m.provider, "acme-fiber");
    assert_eq!(m.status, Status::Confirmed);
    let w = m.window.unwrap();
    assert_eq!(w.begin(), at(2025, 5, 6, 22, 0));
    assert_eq!(w.end(), at(2025, 5, 7, 3, 30));
    let ids: Vec<&str> = m
        .circuits
        .iter()
        .map(|c| c.vendor_circuit_id.as_str())
        .collect();
    assert_eq!(ids, ["AF/1", "AF/2", "AF/3"]);
    assert!(m.circuits.iter().all(|c| c.impact == Impact::Outage));
    assert!(m.conformance().is_empty());
}

#[test]
fn non_english_status_and_impact_words() {
    let p = load_str("acme.toml", MINIMAL).unwrap();
    let e = mail(
        "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance - ANNULÉ\n\n\
         Ticket: AF-1002\nCircuit ID(s): AF/9\nImpact: Aucun impact\n",
    );
    let ms = p.parse(&e).unwrap();
    assert_eq!(ms[0].status, Status::Cancelled);
    // a cancellation may come without a window
    assert_eq!(ms[0].window, None);
    assert_eq!(ms[0].circuits[0].impact, Impact::NoImpact);
}

#[test]
fn an_impact_line_under_each_circuit_line_is_that_circuits_impact() {
    let p = load_str("acme.toml", MINIMAL).unwrap();
    let e = mail(
        "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\n\
         Ticket: AF-9\nStart Time (UTC): 2025-01-01 01:00\nEnd Time (UTC): 2025-01-01 02:00\n\
         Circuit ID(s): X1\nImpact: Aucun impact\nCircuit ID(s): X2\nImpact: Outage\n",
    );
    let got: Vec<(String, Impact)> = p.parse(&e).unwrap()[0]
        .circuits
        .iter()
        .map(|c| (c.vendor_circuit_id.clone(), c.impact))
        .collect();
    assert_eq!(
        got,
        [
            ("X1".to_string(), Impact::NoImpact),
            ("X2".to_string(), Impact::Outage)
        ]
    );
    // one impact line for two circuit lines: it applies to all
    let e = mail(
        "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\n\
         Ticket: AF-9\nStart Time (UTC): 2025-01-01 01:00\nEnd Time (UTC): 2025-01-01 02:00\n\
         Impact: no impact\nCircuit ID(s): X1\nCircuit ID(s): X2\n",
    );
    let ms = p.parse(&e).unwrap();
    assert!(ms[0].circuits.iter().all(|c| c.impact == Impact::NoImpact));
}

#[test]
fn several_windows_give_several_maintenances() {
    let p = load_str("acme.toml", MINIMAL).unwrap();
    let e = mail(
        "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\n\
         Ticket: AF-7\nStart Time (UTC): 2025-01-01 01:00\nEnd Time (UTC): 2025-01-01 02:00\n\
         Start Time (UTC): 2025-01-02 01:00\nEnd Time (UTC): 2025-01-02 04:00\nCircuit ID(s): X1\n",
    );
    let ms = p.parse(&e).unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[1].window.unwrap().end(), at(2025, 1, 2, 4, 0));
    assert!(ms.iter().all(|m| m.maintenance_id == "AF-7"));
}

#[test]
fn missing_window_is_a_typed_error() {
    let p = load_str("acme.toml", MINIMAL).unwrap();
    let e = mail(
        "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\nTicket: AF-8\nCircuit ID(s): X1\n",
    );
    assert_eq!(
        p.parse(&e).unwrap_err(),
        Error::MissingField { field: "window" }
    );
    let e = mail(
        "From: noc@acmefiber.example\nSubject: x\n\nStart Time (UTC): 2025-01-01 01:00\nEnd Time (UTC): 2025-01-01 02:00\nCircuit ID(s): X1\n",
    );
    assert_eq!(
        p.parse(&e).unwrap_err(),
        Error::MissingField {
            field: "maintenance_id"
        }
    );
    // a begin without its end: refused, not paired with a guess
    let e = mail(
        "From: noc@acmefiber.example\nSubject: x\n\nTicket: AF-8\n\
         Start Time (UTC): 2025-01-01 01:00\nEnd Time (UTC): 2025-01-01 02:00\n\
         Start Time (UTC): 2025-01-02 01:00\nCircuit ID(s): X1\n",
    );
    assert!(matches!(
        p.parse(&e).unwrap_err(),
        Error::BadValue {
            field: "window",
            ..
        }
    ));
}

#[test]
fn html_header_cells_regex_and_zone_from_a_label() {
    let text = r#"
id = "tabled"
carrier = "Tabled"
senders = ["tabled.example"]
[dates]
formats = ["%d/%m/%Y %H:%M"]
zone_label = "Time Zone"
[fields]
id = { regex = 'Change (?P<value>CHG\d+)', from = "subject" }
begin = { label = "Start" }
end = { label = "End" }
circuits = { header = "Circuit ID" }
impact = { header = "Impact" }
[[impact]]
to = "NO-IMPACT"
words = ["none"]
[[impact]]
to = "DEGRADED"
words = ["at risk"]
"#;
    let p = load_str("tabled.toml", text).unwrap();
    let e = mail(
        "From: ops@tabled.example\nSubject: Change CHG0042 notice\nContent-Type: text/html\n\n\
         <table><tr><td>Start</td><td>01/07/2025 23:00</td></tr>\
         <tr><td>End</td><td>02/07/2025 02:00</td></tr>\
         <tr><td>Time Zone</td><td>Europe/Paris</td></tr></table>\
         <table><tr><th>Circuit ID</th><th>Impact</th></tr>\
         <tr><td>TB-1</td><td>None</td></tr><tr><td>TB-2</td><td>At risk</td></tr>\
         <tr><td>TB-3</td><td>Outage</td></tr></table>",
    );
    let ms = p.parse(&e).unwrap();
    let m = &ms[0];
    assert_eq!(m.maintenance_id, "CHG0042");
    // Paris is UTC+2 in July
    assert_eq!(m.window.unwrap().begin(), at(2025, 7, 1, 21, 0));
    assert_eq!(m.window.unwrap().end(), at(2025, 7, 2, 0, 0));
    let got: Vec<(&str, Impact)> = m
        .circuits
        .iter()
        .map(|c| (c.vendor_circuit_id.as_str(), c.impact))
        .collect();
    assert_eq!(
        got,
        [
            ("TB-1", Impact::NoImpact),
            ("TB-2", Impact::Degraded),
            ("TB-3", Impact::Outage)
        ]
    );
    let trace = explain(&p, &e);
    let begin = trace.iter().find(|t| t.field == "begin").unwrap();
    assert_eq!(begin.raw, ["01/07/2025 23:00"]);
    assert_eq!(begin.value.as_deref(), Ok("2025-07-01T21:00:00+00:00"));
    assert!(begin.source.contains("label \"Start\""), "{}", begin.source);
    let circuits = trace.iter().find(|t| t.field == "circuits").unwrap();
    assert!(
        circuits.source.contains("table column"),
        "{}",
        circuits.source
    );
    let zone = trace.iter().find(|t| t.field == "zone").unwrap();
    assert_eq!(zone.raw, ["Europe/Paris"]);
    assert_eq!(trace.last().unwrap().field, "result");
    assert!(trace.last().unwrap().value.is_ok());
}

#[test]
fn require_words_refuse_other_mail() {
    let text = MINIMAL.replace("subjects = [", "require = [\"maintenance\"]\nsubjects = [");
    let p = load_str("acme.toml", &text).unwrap();
    let e = mail("From: news@acmefiber.example\nSubject: Our newsletter\n\nHello!\n");
    assert!(p.parse(&e).unwrap_err().is_not_maintenance());
    let t = explain(&p, &e);
    assert_eq!(t[0].field, "require");
    assert!(t.last().unwrap().value.is_err());
}

#[test]
fn derived_id_is_stable() {
    let text = MINIMAL
        .replace("id = { label = \"Ticket\" }\n", "")
        .replace("subjects", "derive_id = true\nsubjects");
    let p = load_str("acme.toml", &text).unwrap();
    let e = mail(
        "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\n\
         Start Time (UTC): 2025-01-01 01:00\nEnd Time (UTC): 2025-01-01 02:00\nCircuit ID(s): X1\n",
    );
    let a = p.parse(&e).unwrap();
    assert!(a[0].maintenance_id.starts_with("acme-fiber-"));
    assert_eq!(a, p.parse(&e).unwrap());
}

#[test]
fn register_adds_profiles_with_their_origin_and_refuses_taken_ids() {
    let mut reg = Registry::new();
    let p = load_str("dir/acme.toml", MINIMAL).unwrap();
    assert!(register(&mut reg, vec![p.clone()]).is_empty());
    let e = reg.get("acme-fiber").unwrap();
    assert_eq!(e.origin, Origin::Profile(PathBuf::from("dir/acme.toml")));
    for h in ["# Routing", "# Formats", "# Quirks", "# Known gaps"] {
        assert!(e.doc.contains(h));
    }
    let m = mail("From: x@noc.acmefiber.example\nSubject: hi\n\nTicket: 1\n");
    assert_eq!(reg.route(&m).unwrap().id, "acme-fiber");
    let errs = register(&mut reg, vec![p]);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].key, "id");
    assert!(
        errs[0].to_string().contains("already registered"),
        "{}",
        errs[0]
    );
}

/// (mutation of MINIMAL, expected line, expected key, expected reason fragment)
fn malformed_cases() -> Vec<(String, usize, &'static str, &'static str)> {
    let line_of = |needle: &str| MINIMAL.lines().position(|l| l.contains(needle)).unwrap() + 1;
    vec![
        (
            MINIMAL.replace("zone = \"UTC\"", "zone = \"Mars/Olympus\""),
            line_of("zone = "),
            "dates.zone",
            "unknown time zone",
        ),
        (
            MINIMAL.replace("to = \"CANCELLED\"", "to = \"ABORTED\""),
            line_of("to = \"CANCELLED\""),
            "status.to",
            "not a status",
        ),
        (
            MINIMAL.replace("to = \"NO-IMPACT\"", "to = \"MILD\""),
            line_of("to = \"NO-IMPACT\""),
            "impact.to",
            "not an impact",
        ),
        (
            MINIMAL.replace("words = [\"cancel\", \"annulé\"]", "words = []"),
            line_of("words = [\"cancel\""),
            "status.words",
            "empty word list",
        ),
        (
            MINIMAL.replace(
                "impact = { label = \"Impact\" }",
                "impact = { regex = '(?P<value>[a-z' }",
            ),
            line_of("impact = { label"),
            "fields.impact.regex",
            "bad regex",
        ),
        (
            MINIMAL.replace(
                "impact = { label = \"Impact\" }",
                "impact = { regex = 'Impact: (\\w+)' }",
            ),
            line_of("impact = { label"),
            "fields.impact.regex",
            "named group",
        ),
        (
            MINIMAL.replace(
                "subjects = ['^Acme Fiber Maintenance']",
                "subjects = ['(unclosed']",
            ),
            line_of("subjects = "),
            "subjects",
            "bad regex",
        ),
        (
            MINIMAL.replace("formats = [\"%Y-%m-%d %H:%M\"]", "formats = [\"%Y-%Q\"]"),
            line_of("formats = "),
            "dates.formats",
            "not a chrono date format",
        ),
        (
            MINIMAL.replace("zone = \"UTC\"", "zone = \"UTC\"\ncolour = \"blue\""),
            line_of("zone = ") + 1,
            "colour",
            "unknown field",
        ),
        (
            MINIMAL.replace(
                "begin = { label = \"Start Time (UTC)\" }",
                "begin = { lable = \"Start\" }",
            ),
            line_of("begin = "),
            "lable",
            "unknown field",
        ),
        (
            MINIMAL.replace("carrier = \"Acme Fiber\"", "carrier = \"Acme Fiber"),
            line_of("carrier = "),
            "carrier",
            "",
        ),
        (
            MINIMAL.replace("id = \"acme-fiber\"", "id = \"Acme Fiber\""),
            line_of("id = \"acme"),
            "id",
            "kebab-case",
        ),
    ]
}

#[test]
fn malformed_profiles_name_file_line_and_key() {
    for (text, line, key, reason) in malformed_cases() {
        let e = load_str("bad.toml", &text).expect_err(key);
        assert_eq!(e.file, PathBuf::from("bad.toml"), "{e}");
        assert_eq!(e.line, Some(line), "{key}: {e}");
        assert!(e.key.ends_with(key), "{key}: {e}");
        assert!(e.reason.contains(reason), "{key}: {e}");
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("bad.toml:{line}: ")), "{shown}");
    }
}

#[test]
fn a_missing_field_names_the_key_without_a_line() {
    let text = MINIMAL.replace("begin = { label = \"Start Time (UTC)\" }\n", "");
    let e = load_str("bad.toml", &text).unwrap_err();
    assert_eq!(e.line, None);
    assert_eq!(e.key, "fields");
    assert_eq!(
        e.to_string(),
        "bad.toml: fields: fields.begin, fields.end and fields.circuits are required"
    );
}

#[test]
fn a_top_level_key_written_after_a_rule_is_refused_where_it_is() {
    // In TOML this key belongs to the last [[impact]] rule: refused there,
    // not silently ignored.
    let text = format!("{MINIMAL}default_impact = \"DEGRADED\"\n");
    let e = load_str("bad.toml", &text).unwrap_err();
    assert_eq!(e.line, Some(MINIMAL.lines().count() + 1), "{e}");
    assert!(e.key.ends_with("default_impact"), "{e}");
    assert!(e.reason.contains("unknown field"), "{e}");
}

#[test]
fn a_bad_profile_does_not_take_the_others_down() {
    let dir = std::env::temp_dir().join(format!("mnp-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a-good.toml"), MINIMAL).unwrap();
    std::fs::write(dir.join("b-bad.toml"), "id = [").unwrap();
    std::fs::write(
        dir.join("c-good.toml"),
        MINIMAL
            .replace("acme-fiber", "other-fiber")
            .replace("acmefiber", "otherfiber"),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a profile").unwrap();
    let (ok, bad) = load_dir(&dir);
    std::fs::remove_dir_all(&dir).ok();
    let ids: Vec<&str> = ok.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["acme-fiber", "other-fiber"]);
    assert_eq!(bad.len(), 1);
    assert!(bad[0].file.ends_with("b-bad.toml"));
    assert_eq!(bad[0].line, Some(1));
}

#[test]
fn builtin_profiles_load() {
    let (ok, bad) = builtin();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(ok.len(), BUILTIN.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Loading never panics, whatever bytes the file holds.
    #[test]
    fn loading_mutated_profiles_never_panics(
        cut in 0usize..2000,
        pos in 0usize..2000,
        junk in "[\\[\\]{}=\"'a-z0-9 .\\n(?<>)\\\\]{0,12}",
    ) {
        let base = BUILTIN.first().map_or(MINIMAL, |(_, t)| *t);
        for src in [MINIMAL, base] {
            let mut s: String = src.chars().take(cut.min(src.chars().count())).collect();
            let tail: String = src.chars().skip(cut).collect();
            let at = s.char_indices().map(|(i, _)| i).nth(pos % (s.chars().count() + 1)).unwrap_or(s.len());
            s.insert_str(at, &junk);
            s.push_str(&tail);
            let mail = "From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\n\
                Ticket: AF-1\nStatus: Scheduled\nStart Time (UTC): 2025-05-06 22:00\n\
                End Time (UTC): 2025-05-07 03:30\nTime Zone: Europe/Berlin\nCircuit ID(s): AF/1\n";
            let v = check_text(&s, &[mail.as_bytes(), s.as_bytes()]);
            prop_assert!(v.is_empty(), "{:?}", v);
            let _ = load_str("fuzz.toml", &s[..at]);
        }
    }

    /// Parsing never panics and every result is conformant, whatever the mail.
    #[test]
    fn parsing_mutated_mail_never_panics(
        body in "(Ticket|Start Time \\(UTC\\)|End Time \\(UTC\\)|Circuit ID\\(s\\)|Impact|Status|[a-z]{1,5})[:\\t ]{0,2}[0-9A-Za-z /:;,.-]{0,24}(\n|\t|<td>|</tr>){1,2}",
        n in 1usize..12,
        html in any::<bool>(),
    ) {
        let p = load_str("acme.toml", MINIMAL).unwrap();
        let (bp, _) = builtin();
        let body = body.repeat(n);
        let ct = if html { "Content-Type: text/html\n" } else { "" };
        let raw = format!("From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n{ct}\n{body}");
        if let Ok(e) = Email::parse(raw.as_bytes()) {
            for prof in std::iter::once(&p).chain(bp.iter()) {
                if let Ok(ms) = prof.parse(&e) {
                    for m in &ms {
                        prop_assert!(m.conformance().is_empty(), "{:?}", m.conformance());
                    }
                }
                let _ = explain(prof, &e);
            }
        }
    }
}
