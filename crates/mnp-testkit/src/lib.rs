//! # mnp-testkit: the set-up the integration tests of mnp share
//!
//! A dev-dependency only (`publish = false`); it depends on nothing of mnp,
//! just std and the `postgres` client, so any crate's tests can use it
//! without a dependency cycle. Each piece was written again in many test
//! files before; the behaviour is theirs, kept to the letter:
//!
//! * [`tmpdir`]: a fresh, empty directory per call, named
//!   `{prefix}-{tag}-{pid}-{n}` (process id + a per-process counter, so
//!   parallel tests and parallel test binaries never share one);
//! * [`fresh_postgres`] / [`create_database`]: a new PostgreSQL database on
//!   the server named by `MNP_TEST_POSTGRES_URL` (`DROP`/`CREATE DATABASE`,
//!   the URL rebuilt with the new name), or `None` after printing
//!   `SKIPPED {test} on PostgreSQL: MNP_TEST_POSTGRES_URL is not set …`
//!   when the variable is unset. This skip does not look at
//!   `MNP_TEST_REQUIRE_SERVERS` (CI always sets the URL);
//! * [`databases`]: SQLite always, plus PostgreSQL when configured: the
//!   list every "runs on both backends" test loops over;
//! * [`clean_command`]: a program with every `MNP_*` variable of the
//!   caller's environment removed, so the developer's own settings cannot
//!   leak into a test; [`run_ok`] runs one to a successful end;
//! * [`eml_files`]: the mails of an outbox folder or maildir, in order;
//! * [`http::request`]: a raw HTTP/1.1 client (`Connection: close`, chunked
//!   bodies decoded) that needs no HTTP crate and sees exactly the bytes the
//!   server sent;
//! * [`serve::Serve`]: `mnp serve --listen 127.0.0.1:0` as a child process,
//!   its address read from the `listening on http://…` line, stopped with
//!   SIGTERM;
//! * [`servers::ScriptServer`]: a server of `scripts/test-servers/` (SMTP,
//!   …), skipped with `SKIPPED {test}: {why}` when not installed, unless
//!   `MNP_TEST_REQUIRE_SERVERS=1` makes that a failure.
//!
//! ```no_run
//! for db in mnp_testkit::databases("mnp-example", "roundtrip") {
//!     // db.backend is "sqlite" or "postgres"; db.url goes to --database
//!     assert!(db.dir.is_dir());
//! }
//! ```
// Printing the skip note on stderr is the point of the PostgreSQL helpers.
#![allow(clippy::print_stderr)]

pub mod http;
pub mod serve;
pub mod servers;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable naming the PostgreSQL server of the tests
/// (`postgres://user@host:port/db`; `scripts/test-servers/postgres.sh start
/// DIR` prints one, `.ci/run` sets it).
pub const POSTGRES_URL_VAR: &str = "MNP_TEST_POSTGRES_URL";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A number not handed out before in this process (0, 1, 2, …): with the
/// process id it makes directory, database and log names unique.
pub fn unique() -> usize {
    COUNTER.fetch_add(1, Ordering::SeqCst)
}

/// `{prefix}_{pid}_{n}`: a name no other call, test or test process uses.
pub fn unique_name(prefix: &str) -> String {
    format!("{prefix}_{}_{}", std::process::id(), unique())
}

/// A fresh, empty directory `{temp}/{prefix}-{tag}-{pid}-{n}` (whatever an
/// earlier run left there is removed first). Panics when it cannot be made.
pub fn tmpdir(prefix: &str, tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "{prefix}-{tag}-{}-{}",
        std::process::id(),
        unique()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The value of [`POSTGRES_URL_VAR`], or `None` when it is not set. Prints
/// nothing: callers that skip say so themselves (see [`fresh_postgres`]).
pub fn postgres_base_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR).ok()
}

/// Drops and creates database `name` on the server of `base` and returns
/// `base` with its database replaced by `name`. Panics when the server
/// cannot be reached or refuses: a configured server must work.
pub fn create_database(base: &str, name: &str) -> String {
    let mut c = postgres::Client::connect(base, postgres::NoTls)
        .expect("MNP_TEST_POSTGRES_URL must be reachable");
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (head, _) = base.rsplit_once('/').unwrap();
    format!("{head}/{name}")
}

/// The URL of a new database `{db_prefix}_{pid}_{n}` when
/// `MNP_TEST_POSTGRES_URL` is set; otherwise `None`, after printing
/// `SKIPPED {test} on PostgreSQL: MNP_TEST_POSTGRES_URL is not set
/// (scripts/test-servers/postgres.sh start DIR prints one)`.
pub fn fresh_postgres(test: &str, db_prefix: &str) -> Option<String> {
    let Some(base) = postgres_base_url() else {
        eprintln!(
            "SKIPPED {test} on PostgreSQL: MNP_TEST_POSTGRES_URL is not set (scripts/test-servers/postgres.sh start DIR prints one)"
        );
        return None;
    };
    Some(create_database(&base, &unique_name(db_prefix)))
}

/// One database a test runs on.
#[derive(Debug, Clone)]
pub struct Database {
    /// `"sqlite"` or `"postgres"`.
    pub backend: &'static str,
    /// A fresh working directory of its own (the SQLite file lives here).
    pub dir: PathBuf,
    /// The URL for `Store::open` / `mnp --database`.
    pub url: String,
}

/// SQLite always (`sqlite:{dir}/mnp.db` in `tmpdir(prefix, tag)`), then
/// PostgreSQL when configured: a fresh database named after `prefix` (dashes
/// as underscores) with its own directory `tmpdir(prefix, "{tag}-pg")`; when
/// not configured, [`fresh_postgres`] prints the skip note for `tag`.
pub fn databases(prefix: &str, tag: &str) -> Vec<Database> {
    let dir = tmpdir(prefix, tag);
    let url = format!("sqlite:{}", dir.join("mnp.db").display());
    let mut v = vec![Database {
        backend: "sqlite",
        dir,
        url,
    }];
    if let Some(url) = fresh_postgres(tag, &prefix.replace('-', "_")) {
        v.push(Database {
            backend: "postgres",
            dir: tmpdir(prefix, &format!("{tag}-pg")),
            url,
        });
    }
    v
}

/// [`databases`] as `(dir, url)` pairs, the shape the `mnp` command-line
/// tests loop over (`for (dir, db) in …`).
pub fn database_dirs(prefix: &str, tag: &str) -> Vec<(PathBuf, String)> {
    databases(prefix, tag)
        .into_iter()
        .map(|d| (d.dir, d.url))
        .collect()
}

/// Runs `cmd ARGS…` to the end and returns its stdout (invalid UTF-8
/// replaced); panics with `mnp {args:?} failed: {stdout}{stderr}` unless it
/// exits 0.
pub fn run_ok(cmd: &mut Command, args: &[&str]) -> String {
    let out = cmd.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "mnp {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `.eml` files in `dir` (an outbox folder, a test SMTP server's
/// maildir), sorted by name, which is arrival order for the numbered files
/// mnp and the test servers write; none when `dir` does not exist.
pub fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    v.sort();
    v
}

/// `Command::new(program)` with every `MNP_*` variable of this process's
/// environment removed (variables set on the command afterwards still
/// apply). For `env!("CARGO_BIN_EXE_mnp")`.
pub fn clean_command(program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("MNP_") {
            c.env_remove(k);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmpdirs_are_fresh_and_never_shared() {
        let a = tmpdir("mnp-testkit", "same");
        let b = tmpdir("mnp-testkit", "same");
        assert_ne!(a, b);
        assert!(a.is_dir() && b.is_dir());
        assert_eq!(std::fs::read_dir(&a).unwrap().count(), 0);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        let pid = std::process::id();
        assert!(
            name.starts_with(&format!("mnp-testkit-same-{pid}-")),
            "{name}"
        );
    }

    #[test]
    fn unique_names_carry_the_pid_and_a_counter() {
        let pid = std::process::id();
        let a = unique_name("mnp_x");
        let b = unique_name("mnp_x");
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("mnp_x_{pid}_")), "{a}");
    }

    #[test]
    fn clean_command_removes_every_mnp_variable_only() {
        use std::collections::BTreeSet;
        // `cargo test` under .ci/run has MNP_TEST_POSTGRES_URL and friends
        let removed: BTreeSet<String> = clean_command("true")
            .get_envs()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        let mnp_vars: BTreeSet<String> = std::env::vars_os()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .filter(|k| k.starts_with("MNP_"))
            .collect();
        assert_eq!(removed, mnp_vars);
    }
}
