//! Registry invariants: ids, docs, fixtures, aliases, registered count.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn vendor_modules() -> BTreeSet<String> {
    fs::read_dir(root().join("src/vendors"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".rs") && n != "mod.rs")
        .map(|n| n.trim_end_matches(".rs").to_string())
        .collect()
}

/// Ids of the profiles compiled in from `profiles/<id>.toml`.
fn is_builtin_profile(id: &str) -> bool {
    mnp_parsers::profiles::BUILTIN
        .iter()
        .any(|(name, _)| name.strip_suffix(".toml") == Some(id))
}

#[test]
fn ids_are_kebab_case_and_match_their_module() {
    let reg = mnp_parsers::registry();
    let kebab = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    let mods = vendor_modules();
    for e in reg.entries() {
        assert!(kebab.is_match(&e.id), "{} is not kebab-case", e.id);
        if is_builtin_profile(&e.id) {
            // a built-in profile lives in profiles/<id>.toml instead
            assert!(
                root()
                    .join("profiles")
                    .join(format!("{}.toml", e.id))
                    .is_file(),
                "built-in profile {} is not in profiles/{}.toml",
                e.id,
                e.id
            );
            assert_eq!(e.formats, ["profile"], "{}", e.id);
            continue;
        }
        assert!(
            mods.contains(&e.id.replace('-', "_")),
            "{} has no module src/vendors/{}.rs",
            e.id,
            e.id.replace('-', "_")
        );
    }
}

#[test]
fn every_module_registers_exactly_one_parser() {
    // inventory drops submissions of crates nothing references; this also
    // proves registry() links every vendor file.
    let reg = mnp_parsers::registry();
    let mods = vendor_modules();
    let submitted: usize = mods
        .iter()
        .map(|m| {
            fs::read_to_string(root().join(format!("src/vendors/{m}.rs")))
                .unwrap()
                .matches("inventory::submit!")
                .count()
        })
        .sum();
    assert_eq!(
        reg.len(),
        submitted + mnp_parsers::profiles::BUILTIN.len(),
        "registered parsers vs inventory::submit! in src/vendors plus built-in profiles"
    );
    let ids: BTreeSet<String> = reg
        .entries()
        .iter()
        .filter(|e| !is_builtin_profile(&e.id))
        .map(|e| e.id.replace('-', "_"))
        .collect();
    assert_eq!(
        ids, mods,
        "every vendor module registers the parser of its own id"
    );
    assert!(reg.len() >= 2);
}

#[test]
fn docs_have_the_four_sections() {
    for e in mnp_parsers::registry().entries() {
        for h in ["# Routing", "# Formats", "# Quirks", "# Known gaps"] {
            assert!(e.doc.contains(h), "{}: doc lacks {h:?}", e.id);
        }
        assert!(!e.carrier.trim().is_empty(), "{}: no carrier name", e.id);
        assert!(!e.formats.is_empty(), "{}: no formats", e.id);
        assert!(
            e.fallback || !e.senders.is_empty() || !e.subject_patterns.is_empty(),
            "{}: cannot be routed",
            e.id
        );
    }
}

#[test]
fn every_parser_has_fixtures_and_every_folder_a_parser() {
    let reg = mnp_parsers::registry();
    let corpus = root().join("../../corpus");
    for e in reg.entries() {
        let dir = corpus.join(&e.id);
        let n = fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no corpus/{}/ folder", e.id, e.id))
            .filter_map(|x| x.ok())
            .filter(|x| x.path().extension().is_some_and(|e| e == "eml"))
            .count();
        assert!(
            n >= 2,
            "{}: at least two fixtures are required, found {n}",
            e.id
        );
    }
    for d in fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|x| x.ok())
        .filter(|x| x.path().is_dir())
    {
        let name = d.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        assert!(
            reg.get(&name).is_some_and(|e| e.id == name),
            "corpus/{name}/ has no parser"
        );
    }
}

#[test]
fn aliases_point_to_live_ids() {
    let reg = mnp_parsers::registry();
    assert!(!mnp_parsers::ALIASES.is_empty());
    for a in mnp_parsers::ALIASES {
        let e = reg
            .get(a.name)
            .unwrap_or_else(|| panic!("alias {} resolves to nothing", a.name));
        assert_eq!(e.id, a.id);
        assert!(
            reg.entries().iter().all(|e| e.id != a.name),
            "alias {} shadows a registered id",
            a.name
        );
        for s in a.senders {
            assert!(e.matches_domain(s), "{} does not route {s}", a.id);
        }
    }
}

#[test]
fn renamed_carriers_route_through_the_alias_table() {
    let reg = mnp_parsers::registry();
    for (from, want) in [
        ("noc@level3.com", "lumen"),
        ("maint@ops.centurylink.com", "lumen"),
        ("InfraCo.CM@exainfra.net", "gtt"),
    ] {
        let raw = format!("From: {from}\r\nSubject: Scheduled maintenance\r\n\r\nbody");
        let email = mnp_core::Email::parse(raw.as_bytes()).unwrap();
        assert_eq!(reg.route(&email).unwrap().id, want, "{from}");
    }
    assert_eq!(reg.get("Level3").unwrap().id, "lumen");
    assert_eq!(reg.get("EXA").unwrap().id, "gtt");
    assert!(
        reg.get("telia").is_none(),
        "no Arelion parser exists: the alias must not be invented"
    );
}

#[test]
fn every_builtin_profile_file_is_compiled_in_and_registered() {
    // profiles/*.toml and profiles::BUILTIN must list the same files, and
    // each must load and register under its file name's id
    let on_disk: BTreeSet<String> = fs::read_dir(root().join("profiles"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    let compiled: BTreeSet<String> = mnp_parsers::profiles::BUILTIN
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(on_disk, compiled);
    let reg = mnp_parsers::registry();
    for name in &compiled {
        let id = name.trim_end_matches(".toml");
        let e = reg
            .get(id)
            .unwrap_or_else(|| panic!("built-in profile {id} is not registered"));
        assert_eq!(e.origin, mnp_core::Origin::BuiltIn, "{id}");
        assert_eq!(e.formats, ["profile"], "{id}");
    }
}
