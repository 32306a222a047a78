//! Shared test setup: stores on SQLite (always) and PostgreSQL (when
//! `MNP_TEST_POSTGRES_URL` names a server; each test gets its own database).
#![allow(dead_code, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use mnp_store::Store;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn corpus(p: &str) -> Vec<u8> {
    std::fs::read(repo().join("corpus").join(p)).unwrap()
}

pub fn tmpdir(tag: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-ingest", tag)
}

/// A fresh PostgreSQL database URL, or None (with a printed skip note).
pub fn fresh_postgres(test: &str) -> Option<String> {
    let Some(base) = mnp_testkit::postgres_base_url() else {
        eprintln!(
            "SKIPPED {test} on PostgreSQL: MNP_TEST_POSTGRES_URL is not set (.ci/run sets it)"
        );
        return None;
    };
    Some(mnp_testkit::create_database(
        &base,
        &mnp_testkit::unique_name("mnp_test"),
    ))
}

/// Every store the suite runs on: SQLite always, PostgreSQL when configured.
pub fn stores(test: &str) -> Vec<(String, Store)> {
    let dir = tmpdir(test);
    let mut v = vec![(
        "sqlite".to_string(),
        open(&format!("sqlite:{}", dir.join("mnp.db").display())),
    )];
    if let Some(url) = fresh_postgres(test) {
        v.push(("postgres".to_string(), open(&url)));
    }
    v
}

pub fn open(url: &str) -> Store {
    let mut s = Store::open(url).unwrap();
    s.migrate().unwrap();
    s.sync_vendors(&mnp_parsers::registry()).unwrap();
    s
}
