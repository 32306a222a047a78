//! Servers started by the repo's own scripts in `scripts/test-servers/`
//! (`NAME.sh start DIR [ARGS…]` / `NAME.sh stop DIR`).
//!
//! The scripts' contract: `start` prints what the test needs as
//! `KEY=VALUE` lines on stdout and exits 0; exit code 77 means the server
//! software is not installed (the reason on stderr). A test then skips with
//! `SKIPPED {test}: {why}` and passes, unless `MNP_TEST_REQUIRE_SERVERS=1`
//! (CI), where a missing server is a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A running script server; `NAME.sh stop DIR` on drop.
#[derive(Debug)]
pub struct ScriptServer {
    script: PathBuf,
    /// The directory the server lives in.
    pub dir: PathBuf,
    /// The `KEY=VALUE` lines `start` printed.
    pub facts: BTreeMap<String, String>,
}

/// The path of `scripts/test-servers/{name}` in this repository.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/test-servers")
        .join(name)
}

/// Whether `MNP_TEST_REQUIRE_SERVERS=1`: a server that cannot start is then
/// a test failure, not a skip.
pub fn servers_required() -> bool {
    std::env::var("MNP_TEST_REQUIRE_SERVERS").as_deref() == Ok("1")
}

impl ScriptServer {
    /// Runs `bash scripts/test-servers/{name} start DIR ARGS…`. On exit 77
    /// it panics with `MNP_TEST_REQUIRE_SERVERS=1 but the {what} cannot
    /// start: {why}` when servers are required, and otherwise returns
    /// `None` after printing `SKIPPED {test}: {why}`. Any other failure
    /// panics with the script's output.
    pub fn start(
        name: &str,
        dir: PathBuf,
        args: &[&str],
        test: &str,
        what: &str,
    ) -> Option<ScriptServer> {
        let script = script(name);
        let o = Command::new("bash")
            .arg(&script)
            .arg("start")
            .arg(&dir)
            .args(args)
            .output()
            .unwrap();
        if o.status.code() == Some(77) {
            let why = String::from_utf8_lossy(&o.stderr).trim().to_string();
            assert!(
                !servers_required(),
                "MNP_TEST_REQUIRE_SERVERS=1 but the {what} cannot start: {why}"
            );
            eprintln!("SKIPPED {test}: {why}");
            return None;
        }
        assert!(
            o.status.success(),
            "{name} start failed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let facts = String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Some(ScriptServer { script, dir, facts })
    }

    /// The value `start` printed for `key`; panics when there was none.
    pub fn fact(&self, key: &str) -> &str {
        self.facts
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing: {:?}", self.facts))
    }

    /// Runs `NAME.sh stop DIR` (again on drop; stopping twice is fine).
    pub fn stop(&self) -> Output {
        self.run_stop().unwrap()
    }

    fn run_stop(&self) -> std::io::Result<Output> {
        Command::new("bash")
            .arg(&self.script)
            .arg("stop")
            .arg(&self.dir)
            .output()
    }
}

impl Drop for ScriptServer {
    fn drop(&mut self) {
        let _ = self.run_stop();
    }
}
