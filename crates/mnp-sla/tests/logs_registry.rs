//! Family registry invariants: ids, modules, docs, fixtures, examples and
//! the registered count (inventory drops what the linker drops).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use mnp_sla::logs::{self, LogParser, ParseOptions, families, parse_str};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn submissions(p: &Path) -> usize {
    fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| l.trim_start().starts_with("inventory::submit!"))
        .count()
}

/// `src/logs/*.rs` that submit a family.
fn family_modules() -> BTreeSet<String> {
    fs::read_dir(root().join("src/logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| submissions(p) > 0)
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .collect()
}

#[test]
fn every_family_module_registers_exactly_one_family() {
    let mods = family_modules();
    for m in &mods {
        let n = submissions(&root().join(format!("src/logs/{m}.rs")));
        assert_eq!(n, 1, "{m}.rs submits {n} families");
    }
    assert_eq!(families().len(), mods.len(), "registered vs submitted");
    let ids: BTreeSet<String> = families().iter().map(|f| f.id.replace('-', "_")).collect();
    assert_eq!(ids, mods, "family ids vs modules");
    assert!(families().len() >= 5);
}

#[test]
fn ids_are_unique_kebab_case_and_sorted() {
    let kebab = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    let ids: Vec<&str> = families().iter().map(|f| f.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "unique and sorted");
    for id in &ids {
        assert!(kebab.is_match(id), "{id}");
        assert_ne!(*id, "jsonl", "reserved for JSON lines");
        assert_eq!(logs::family(id).map(|f| f.id), Some(*id));
    }
}

#[test]
fn docs_have_the_sections_and_descriptions_are_one_line() {
    for f in families() {
        for h in ["# Formats", "# Quirks", "# Known gaps"] {
            assert!(f.doc.contains(h), "{}: missing {h}", f.id);
        }
        assert!(
            !f.description.is_empty() && !f.description.contains('\n'),
            "{}",
            f.id
        );
    }
}

#[test]
fn examples_parse_to_their_family_port_and_state() {
    for f in families() {
        assert!(!f.examples.is_empty(), "{} has no examples", f.id);
        for ex in f.examples {
            let mut p = LogParser::new(ParseOptions::new(2024, chrono_tz::UTC));
            let ev = p
                .parse_line(1, ex.line)
                .unwrap_or_else(|e| panic!("{}: {e}: {}", f.id, ex.line))
                .unwrap();
            assert_eq!(ev.family, f.id, "{}", ex.line);
            assert_eq!(ev.port, ex.port, "{}", ex.line);
            assert_eq!(ev.state, ex.state, "{}", ex.line);
        }
    }
}

#[test]
fn every_family_has_fixtures_that_give_its_events_and_every_fixture_an_owner() {
    let mut owned = BTreeSet::new();
    for f in families() {
        assert!(!f.fixtures.is_empty(), "{} has no fixtures", f.id);
        for name in f.fixtures {
            assert!(
                name.starts_with("logs_") && name.ends_with(".log"),
                "{name}"
            );
            let text = fs::read_to_string(root().join("tests/data").join(name))
                .unwrap_or_else(|e| panic!("{}: {name}: {e}", f.id));
            let r = parse_str(&text, &ParseOptions::new(2024, chrono_tz::UTC));
            let n = r.events.iter().filter(|e| e.family == f.id).count();
            assert!(n >= 2, "{}: {name} gives {n} events of the family", f.id);
            owned.insert(name.to_string());
        }
    }
    // Fixtures without a family are the framing-only ones (JSON lines).
    for e in fs::read_dir(root().join("tests/data")).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().to_string();
        if n.starts_with("logs_") && n.ends_with(".log") && !owned.contains(&n) {
            assert_eq!(n, "logs_jsonl.log", "{n} belongs to no family");
        }
    }
}
