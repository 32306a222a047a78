//! Shared test setup: stores on SQLite (always) and PostgreSQL (when
//! `MNP_TEST_POSTGRES_URL` names a server; each test gets its own database).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use mnp_store::Store;

static N: AtomicUsize = AtomicUsize::new(0);

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn corpus(p: &str) -> Vec<u8> {
    std::fs::read(repo().join("corpus").join(p)).unwrap()
}

pub fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "mnp-ingest-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A fresh PostgreSQL database URL, or None (with a printed skip note).
pub fn fresh_postgres(test: &str) -> Option<String> {
    let Ok(base) = std::env::var("MNP_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED {test} on PostgreSQL: MNP_TEST_POSTGRES_URL is not set (.ci/run sets it)"
        );
        return None;
    };
    let name = format!(
        "mnp_test_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut c = postgres::Client::connect(&base, postgres::NoTls)
        .expect("MNP_TEST_POSTGRES_URL must be reachable");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (head, _) = base.rsplit_once('/').unwrap();
    Some(format!("{head}/{name}"))
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
