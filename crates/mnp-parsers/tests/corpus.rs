//! The corpus test: every fixture under `corpus/<vendor>/` is routed with no
//! hint, must land on its own folder's parser, parse, pass the conformance
//! check, give the same result with LF and CRLF line endings and when parsed
//! twice, and match its insta snapshot (`<name>.snap` beside it). Mails in
//! `corpus/<vendor>/reject/` must route to that vendor and be refused with a
//! typed error, whose text is snapshotted.
//!
//! `MNP_CORPUS_FILTER=<vendor>` restricts the run to one folder while working
//! on a vendor; snapshots are (re)written with `INSTA_UPDATE=always` and must
//! be read and checked by hand against the fixture before committing.

use std::fs;
use std::path::{Path, PathBuf};

use mnp_core::{Email, Maintenance, Registry};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn emls(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    v.sort();
    v
}

fn vendor_dirs() -> Vec<PathBuf> {
    let filter = std::env::var("MNP_CORPUS_FILTER").ok();
    let mut v: Vec<PathBuf> = fs::read_dir(corpus_root())
        .expect("corpus/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .filter(|p| {
            filter
                .as_deref()
                .is_none_or(|f| p.file_name().unwrap() == f)
        })
        .collect();
    v.sort();
    v
}

fn to_lf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn to_crlf(b: &[u8]) -> Vec<u8> {
    let lf = to_lf(b);
    let mut out = Vec::with_capacity(lf.len() + lf.len() / 40);
    for &c in &lf {
        if c == b'\n' {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

fn parse(reg: &Registry, raw: &[u8]) -> Result<(String, Vec<Maintenance>), mnp_core::Error> {
    let email = Email::parse(raw)?;
    let p = reg.parse(&email, None)?;
    Ok((p.parser, p.maintenances))
}

#[test]
fn corpus_fixtures_match_their_snapshots() {
    let reg = mnp_parsers::registry();
    let mut checked = 0;
    for dir in vendor_dirs() {
        let id = dir.file_name().unwrap().to_string_lossy().to_string();
        for eml in emls(&dir) {
            let name = eml.file_stem().unwrap().to_string_lossy().to_string();
            let what = format!("corpus/{id}/{name}.eml");
            let raw = fs::read(&eml).unwrap();
            let (parser, ms) = parse(&reg, &raw).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(
                parser, id,
                "{what} routes to {parser}, not to its folder's parser"
            );
            for m in &ms {
                let v = m.conformance();
                assert!(v.is_empty(), "{what}: conformance: {v:?}");
            }
            let (_, lf) = parse(&reg, &to_lf(&raw)).unwrap_or_else(|e| panic!("{what} (LF): {e}"));
            let (_, crlf) =
                parse(&reg, &to_crlf(&raw)).unwrap_or_else(|e| panic!("{what} (CRLF): {e}"));
            assert_eq!(lf, ms, "{what}: LF endings change the result");
            assert_eq!(crlf, ms, "{what}: CRLF endings change the result");
            let (_, again) = parse(&reg, &raw).unwrap();
            assert_eq!(again, ms, "{what}: parsing twice differs");
            let json = serde_json::to_string_pretty(&ms).unwrap();
            insta::with_settings!({snapshot_path => dir.clone(), prepend_module_to_snapshot => false, omit_expression => true, description => what.clone()}, {
                insta::assert_snapshot!(name.clone(), json);
            });
            checked += 1;
        }
        let reject = dir.join("reject");
        for eml in emls(&reject) {
            let name = eml.file_stem().unwrap().to_string_lossy().to_string();
            let what = format!("corpus/{id}/reject/{name}.eml");
            let raw = fs::read(&eml).unwrap();
            let email = Email::parse(&raw).unwrap_or_else(|e| panic!("{what}: {e}"));
            let routed = reg.route(&email).map(|e| e.id.clone());
            assert_eq!(
                routed.as_deref().ok(),
                Some(id.as_str()),
                "{what} must route to {id}: {routed:?}"
            );
            let err = reg
                .parse(&email, None)
                .expect_err(&format!("{what} must be refused"));
            insta::with_settings!({snapshot_path => reject.clone(), prepend_module_to_snapshot => false, omit_expression => true, description => what.clone()}, {
                insta::assert_snapshot!(name.clone(), format!("{} | {err}", err.kind()));
            });
            checked += 1;
        }
    }
    assert!(checked > 0, "no corpus fixture was checked");
}

#[test]
fn corpus_fixtures_never_trip_the_checker() {
    // check_bytes forces every parser on every fixture (and on truncations of
    // it): none may panic or emit a non-conformant record.
    let reg = mnp_parsers::registry();
    let mut n = 0;
    for dir in vendor_dirs() {
        let mut files = emls(&dir);
        files.extend(emls(&dir.join("reject")));
        for eml in files {
            let raw = fs::read(&eml).unwrap();
            for cut in [raw.len(), raw.len() / 2, raw.len() / 3] {
                let v = mnp_parsers::check_bytes(&reg, &raw[..cut]);
                assert!(v.is_empty(), "{} cut at {cut}: {v:?}", eml.display());
            }
            n += 1;
        }
    }
    assert!(n > 0);
}
