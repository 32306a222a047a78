//! The IMAP source against a real dovecot (Debian `dovecot-imapd`), started
//! per test by `scripts/test-servers/dovecot.sh` in a temporary directory.
//!
//! Mail goes in with IMAP APPEND over a second, independent connection; what
//! the source did is checked over yet another fresh connection and by reading
//! dovecot's Maildir files directly. Without dovecot installed each test
//! prints `SKIPPED <test>: <why>` and passes, unless
//! `MNP_TEST_REQUIRE_SERVERS=1` is set (CI), which turns the skip into a
//! failure.

#![allow(clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use mnp_ingest::sources::imap::{ImapConfig, ImapSource};
use mnp_ingest::{Error, Label, MessageRef, Outcome, Source};

// ---------------------------------------------------------------------------
// The server

struct Dovecot {
    dir: PathBuf,
    port: u16,
    imaps_port: Option<u16>,
    ca_file: Option<PathBuf>,
    user: String,
    password: String,
    maildir: PathBuf,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn script() -> PathBuf {
    repo_root().join("scripts/test-servers/dovecot.sh")
}

fn skip(test: &str, why: &str) {
    if std::env::var("MNP_TEST_REQUIRE_SERVERS").is_ok_and(|v| v == "1") {
        panic!("{test}: {why} (MNP_TEST_REQUIRE_SERVERS=1 forbids skipping)");
    }
    // Straight to the process's stderr: libtest captures `eprintln!` of
    // passing tests, and a skip must be visible in the CI log.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

impl Dovecot {
    /// Start a fresh server; `None` (after printing SKIPPED) without dovecot.
    fn start(test: &str, extra: &[&str]) -> Option<Dovecot> {
        // Short: dovecot's socket paths under it must stay below ~100 bytes.
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("mnp-imap-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let t0 = Instant::now();
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(&dir)
            .args(extra)
            .output()
            .expect("run dovecot.sh");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() == Some(77) {
            let _ = std::fs::remove_dir_all(&dir);
            skip(test, stderr.trim());
            return None;
        }
        assert!(
            out.status.success(),
            "dovecot.sh start failed ({}): {stderr}",
            out.status
        );
        let vars: BTreeMap<String, String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let get = |k: &str| {
            vars.get(k)
                .cloned()
                .unwrap_or_else(|| panic!("no {k} in {vars:?}"))
        };
        eprintln!(
            "{test}: dovecot up in {} ms (script: {} ms)",
            t0.elapsed().as_millis(),
            get("DOVECOT_START_MS")
        );
        Some(Dovecot {
            port: get("IMAP_PORT").parse().unwrap(),
            imaps_port: vars.get("IMAPS_PORT").map(|p| p.parse().unwrap()),
            ca_file: vars.get("IMAP_CA_FILE").map(PathBuf::from),
            user: get("IMAP_USER"),
            password: get("IMAP_PASSWORD"),
            maildir: PathBuf::from(get("IMAP_MAILDIR")),
            dir,
        })
    }

    /// A source URL for the plain listener; `rest` is `/MAILBOX?OPTIONS`.
    fn url(&self, rest: &str) -> String {
        format!(
            "imap://{}:{}@127.0.0.1:{}{rest}",
            pct(&self.user),
            pct(&self.password),
            self.port
        )
    }

    /// An independent connection (not through the source).
    fn client(&self) -> imap::Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut c = imap::Client::new(tcp);
        c.read_greeting().unwrap();
        c.login(&self.user, &self.password)
            .map_err(|(e, _)| e)
            .unwrap()
    }

    fn kick(&self) -> String {
        let out = Command::new("bash")
            .arg(script())
            .args(["kick"])
            .arg(&self.dir)
            .arg(&self.user)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kick failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn stop(&self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .output();
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Fixtures and helpers

const FIXTURES: [(&str, Label); 5] = [
    ("zayo-planned.eml", Label::MaintParseSuccess),
    ("lumen-completed.eml", Label::MaintUnknownCircuit),
    ("zayo-survey.eml", Label::MaintIgnored),
    ("unknown-carrier-utf8.eml", Label::MaintUnknownVendor),
    ("broken-notice-attachment.eml", Label::MaintParseException),
];

/// A fixture as sent over IMAP: CRLF line ends (what the server hands back).
fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/imap")
        .join(name);
    let lf = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let lf: Vec<u8> = lf.into_iter().filter(|b| *b != b'\r').collect();
    let mut crlf = Vec::with_capacity(lf.len() + 200);
    for b in lf {
        if b == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(b);
    }
    crlf
}

fn lf(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().copied().filter(|b| *b != b'\r').collect()
}

/// INTERNALDATE given to the n-th appended fixture.
fn date(n: usize) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(2 * 3600)
        .unwrap()
        .with_ymd_and_hms(2024, 5, 14, 9, 41, n as u32)
        .unwrap()
}

fn append_all(d: &Dovecot, mailbox: &str) {
    let mut c = d.client();
    for (i, (name, _)) in FIXTURES.iter().enumerate() {
        c.append_with_flags_and_date(mailbox, fixture(name), &[], date(i))
            .unwrap();
    }
    c.logout().unwrap();
}

fn outcome(label: Label) -> Outcome {
    Outcome {
        label,
        vendor: None,
        summary: format!("test: {label}"),
    }
}

fn reason(e: Error) -> String {
    match e {
        Error::Source { reason, .. } => reason,
        other => other.to_string(),
    }
}

/// One message as seen over a fresh connection.
#[derive(Debug)]
struct Seen {
    uid: u32,
    flags: BTreeSet<String>,
    raw: Vec<u8>,
}

/// All messages of `mailbox`, read with EXAMINE (changes nothing).
fn examine(d: &Dovecot, mailbox: &str) -> Vec<Seen> {
    let mut c = d.client();
    let mb = c.examine(mailbox).unwrap();
    let mut out = Vec::new();
    if mb.exists > 0 {
        for f in c.fetch("1:*", "(UID FLAGS BODY.PEEK[])").unwrap().iter() {
            out.push(Seen {
                uid: f.uid.unwrap(),
                flags: f
                    .flags()
                    .iter()
                    .map(|f| f.to_string())
                    .filter(|f| f != "\\Recent")
                    .collect(),
                raw: f.body().unwrap().to_vec(),
            });
        }
    }
    c.logout().unwrap();
    out.sort_by_key(|s| s.uid);
    out
}

fn find<'a>(msgs: &'a [Seen], raw: &[u8]) -> &'a Seen {
    msgs.iter()
        .find(|m| m.raw == raw)
        .unwrap_or_else(|| panic!("message not found among {} messages", msgs.len()))
}

fn mailbox_names(d: &Dovecot) -> BTreeSet<String> {
    let mut c = d.client();
    let names = c
        .list(Some(""), Some("*"))
        .unwrap()
        .iter()
        .map(|n| n.name().to_string())
        .collect();
    c.logout().unwrap();
    names
}

fn expected_flags(label: Label) -> BTreeSet<String> {
    let mut s = BTreeSet::from([label.as_str().to_string()]);
    if !label.needs_human() {
        s.insert("\\Seen".into());
    }
    s
}

/// Files of a Maildir folder (`cur/` and `new/`): (file name, bytes).
fn maildir_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["cur", "new"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out
}

/// Flags of a Maildir file, decoded with the folder's `dovecot-keywords`
/// (lowercase letters are keyword indexes, `S` is seen).
fn maildir_flags(folder: &Path, file_name: &str) -> BTreeSet<String> {
    let keywords: BTreeMap<usize, String> =
        std::fs::read_to_string(folder.join("dovecot-keywords"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(' '))
            .filter_map(|(i, k)| Some((i.parse().ok()?, k.to_string())))
            .collect();
    let info = file_name.rsplit_once(":2,").map(|(_, f)| f).unwrap_or("");
    info.chars()
        .filter_map(|c| match c {
            'S' => Some("\\Seen".to_string()),
            'a'..='z' => keywords.get(&(c as usize - 'a' as usize)).cloned(),
            _ => None,
        })
        .collect()
}

fn fast(url: String) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}timeout=5&retries=2")
}

fn source(url: &str) -> ImapSource {
    let mut cfg = ImapConfig::from_url(url).unwrap();
    cfg.backoff = Duration::from_millis(50);
    ImapSource::new(cfg).unwrap()
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn keyword_mode_lists_reads_labels_and_forgets_labelled() {
    let Some(d) = Dovecot::start("keyword_mode_lists_reads_labels_and_forgets_labelled", &[])
    else {
        return;
    };
    append_all(&d, "INBOX");
    let mut src = source(&fast(d.url("")));
    assert!(!src.describe().contains(&pct(&d.password)));
    assert!(!src.describe().contains(&d.password));

    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), FIXTURES.len(), "{refs:?}");
    for (i, r) in refs.iter().enumerate() {
        let msg = src.read(r).unwrap();
        let want = fixture(FIXTURES[i].0);
        assert_eq!(msg.raw, want, "bytes of {} differ", FIXTURES[i].0);
        assert_eq!(msg.received_at, Some(date(i).with_timezone(&Utc)));
        assert!(msg.origin.contains(";UID="), "{}", msg.origin);
        assert!(!msg.origin.contains(&d.password));
    }
    // Reading (BODY.PEEK) set no flag.
    for m in examine(&d, "INBOX") {
        assert!(m.flags.is_empty(), "uid {}: {:?}", m.uid, m.flags);
    }

    for (r, (_, label)) in refs.iter().zip(FIXTURES) {
        src.record(r, &outcome(label)).unwrap();
    }

    // A fresh connection sees every message still in INBOX with its label.
    let inbox = examine(&d, "INBOX");
    assert_eq!(inbox.len(), FIXTURES.len());
    for (name, label) in FIXTURES {
        let m = find(&inbox, &fixture(name));
        assert_eq!(m.flags, expected_flags(label), "{name}");
    }
    // So do dovecot's files on disk.
    let files = maildir_files(&d.maildir);
    assert_eq!(files.len(), FIXTURES.len());
    for (name, label) in FIXTURES {
        let want = lf(&fixture(name));
        let (file, _) = files
            .iter()
            .find(|(_, bytes)| *bytes == want)
            .unwrap_or_else(|| panic!("{name} not in the Maildir"));
        assert_eq!(
            maildir_flags(&d.maildir, file),
            expected_flags(label),
            "{file}"
        );
    }

    // Labelled messages are no longer pending, also over a new connection.
    assert_eq!(src.pending().unwrap(), Vec::<MessageRef>::new());
    drop(src);
    let mut src = source(&fast(d.url("/INBOX")));
    assert!(src.pending().unwrap().is_empty());

    // New mail is.
    let mut c = d.client();
    c.append("INBOX", fixture("zayo-planned.eml")).unwrap();
    c.logout().unwrap();
    let again = src.pending().unwrap();
    assert_eq!(again.len(), 1);
    assert!(!refs.contains(&again[0]));

    // A human fixed the parser and removed the dead-letter keyword: the
    // message comes back; recording again leaves exactly one label.
    let dead = find(&inbox, &fixture("broken-notice-attachment.eml")).uid;
    let mut c = d.client();
    c.select("INBOX").unwrap();
    c.uid_store(dead.to_string(), "-FLAGS (MaintParseException)")
        .unwrap();
    c.logout().unwrap();
    let again = src.pending().unwrap();
    assert_eq!(again.len(), 2);
    let r = again
        .iter()
        .find(|r| r.key.ends_with(&format!(":{dead}")))
        .unwrap();
    src.record(r, &outcome(Label::MaintParseSuccess)).unwrap();
    let inbox = examine(&d, "INBOX");
    let m = inbox.iter().find(|m| m.uid == dead).unwrap();
    assert_eq!(m.flags, expected_flags(Label::MaintParseSuccess));

    // A pending message expunged by another client before it was read or
    // labelled: a clear error, and nothing else is touched.
    let gone = src.pending().unwrap();
    assert_eq!(gone.len(), 1);
    let uid = gone[0].key.split_once(':').unwrap().1.to_string();
    let mut c = d.client();
    c.select("INBOX").unwrap();
    c.uid_store(&uid, "+FLAGS (\\Deleted)").unwrap();
    c.expunge().unwrap();
    c.logout().unwrap();
    let msg = reason(src.read(&gone[0]).unwrap_err());
    assert!(msg.contains("is no longer in mailbox"), "{msg}");
    let msg = reason(
        src.record(&gone[0], &outcome(Label::MaintIgnored))
            .unwrap_err(),
    );
    assert!(msg.contains("is no longer in mailbox"), "{msg}");
    assert_eq!(examine(&d, "INBOX").len(), FIXTURES.len());
    assert!(src.pending().unwrap().is_empty());
}

/// Folder mode, shared by the MOVE and the COPY + EXPUNGE variants.
fn folder_mode(d: &Dovecot) {
    append_all(d, "INBOX");
    let mut src = source(&fast(d.url("/INBOX?labels=folders")));
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), FIXTURES.len());
    for (i, r) in refs.iter().enumerate() {
        assert_eq!(src.read(r).unwrap().raw, fixture(FIXTURES[i].0));
        src.record(r, &outcome(FIXTURES[i].1)).unwrap();
    }

    // Settled messages moved to their label folder, bytes intact, seen.
    let names = mailbox_names(d);
    for (name, label) in FIXTURES {
        if label.needs_human() {
            assert!(!names.contains(label.as_str()), "{names:?}");
            continue;
        }
        assert!(names.contains(label.as_str()), "{names:?}");
        let folder = examine(d, label.as_str());
        assert_eq!(folder.len(), 1, "{label}");
        assert_eq!(folder[0].raw, fixture(name));
        assert_eq!(folder[0].flags, expected_flags(label));
        // On disk: Maildir++ folder `.NAME`.
        let dir = d.maildir.join(format!(".{label}"));
        let files = maildir_files(&dir);
        assert_eq!(files.len(), 1, "{}", dir.display());
        assert_eq!(files[0].1, lf(&fixture(name)));
        assert_eq!(maildir_flags(&dir, &files[0].0), expected_flags(label));
    }
    assert!(
        !names.contains("MaintOutOfSequence"),
        "created on demand only"
    );

    // Messages for a human stay in INBOX, unseen, with only the keyword;
    // nothing else is left there (not even \Deleted copies).
    let inbox = examine(d, "INBOX");
    let humans: Vec<_> = FIXTURES.iter().filter(|(_, l)| l.needs_human()).collect();
    assert_eq!(inbox.len(), humans.len(), "{inbox:?}");
    for (name, label) in humans {
        let m = find(&inbox, &fixture(name));
        assert_eq!(m.flags, BTreeSet::from([label.as_str().to_string()]));
    }
    assert_eq!(maildir_files(&d.maildir).len(), 2);

    // Nothing pending any more; new mail is.
    assert!(src.pending().unwrap().is_empty());
    let mut c = d.client();
    c.append("INBOX", fixture("zayo-survey.eml")).unwrap();
    c.logout().unwrap();
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), 1);
    src.record(&refs[0], &outcome(Label::MaintIgnored)).unwrap();
    assert_eq!(examine(d, "MaintIgnored").len(), 2);
    assert!(src.pending().unwrap().is_empty());

    // A move cut short (keyword stored, then the process died): the message
    // is offered again, and recording it again completes the move.
    let mut c = d.client();
    c.append_with_flags(
        "INBOX",
        fixture("lumen-completed.eml"),
        &[
            imap::types::Flag::Custom("MaintUnknownCircuit".into()),
            imap::types::Flag::Seen,
        ],
    )
    .unwrap();
    c.logout().unwrap();
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), 1);
    src.record(&refs[0], &outcome(Label::MaintUnknownCircuit))
        .unwrap();
    assert_eq!(examine(d, "MaintUnknownCircuit").len(), 2);
    assert_eq!(examine(d, "INBOX").len(), 2);
    assert!(src.pending().unwrap().is_empty());
}

#[test]
fn folder_mode_moves_settled_mail_and_keeps_human_mail_in_inbox() {
    let Some(d) = Dovecot::start(
        "folder_mode_moves_settled_mail_and_keeps_human_mail_in_inbox",
        &[],
    ) else {
        return;
    };
    folder_mode(&d);
}

#[test]
fn folder_mode_without_move_copies_and_expunges() {
    let Some(d) = Dovecot::start(
        "folder_mode_without_move_copies_and_expunges",
        &["--no-move"],
    ) else {
        return;
    };
    // The server really hides MOVE and UIDPLUS.
    let mut c = d.client();
    let caps = c.capabilities().unwrap();
    assert!(!caps.has_str("MOVE") && !caps.has_str("UIDPLUS"));
    drop(caps);
    c.logout().unwrap();
    folder_mode(&d);
}

#[test]
fn other_mailbox_names_are_quoted_and_encoded() {
    let Some(d) = Dovecot::start("other_mailbox_names_are_quoted_and_encoded", &[]) else {
        return;
    };
    let mut c = d.client();
    // "Wartung München" in modified UTF-7, and a name with a space.
    c.create("Wartung M&APw-nchen").unwrap();
    c.create("Carrier Notices").unwrap();
    c.append("Wartung M&APw-nchen", fixture("unknown-carrier-utf8.eml"))
        .unwrap();
    c.append("Carrier Notices", fixture("zayo-planned.eml"))
        .unwrap();
    c.append("INBOX", fixture("lumen-completed.eml")).unwrap();
    c.logout().unwrap();

    let mut src = source(&fast(d.url("/Wartung%20M%C3%BCnchen")));
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(
        src.read(&refs[0]).unwrap().raw,
        fixture("unknown-carrier-utf8.eml")
    );
    src.record(&refs[0], &outcome(Label::MaintUnknownVendor))
        .unwrap();
    assert!(src.pending().unwrap().is_empty());

    let mut src = source(&fast(d.url("/Carrier%20Notices?labels=folders")));
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(src.read(&refs[0]).unwrap().raw, fixture("zayo-planned.eml"));
    src.record(&refs[0], &outcome(Label::MaintParseSuccess))
        .unwrap();
    assert!(examine(&d, "Carrier Notices").is_empty());
    assert_eq!(examine(&d, "MaintParseSuccess").len(), 1);
    // INBOX untouched.
    assert!(examine(&d, "INBOX")[0].flags.is_empty());

    // Another client deletes and recreates the mailbox under our open
    // session: the old key is refused (new UIDVALIDITY), nothing is touched,
    // and listing again offers the new message.
    let mut src = source(&fast(d.url("/Carrier%20Notices")));
    let mut c = d.client();
    c.append("Carrier Notices", fixture("zayo-survey.eml"))
        .unwrap();
    let old = src.pending().unwrap();
    assert_eq!(old.len(), 1);
    c.delete("Carrier Notices").unwrap();
    c.create("Carrier Notices").unwrap();
    c.append("Carrier Notices", fixture("lumen-completed.eml"))
        .unwrap();
    c.logout().unwrap();
    let msg = reason(src.read(&old[0]).unwrap_err());
    assert!(msg.contains("UIDVALIDITY"), "{msg}");
    let msg = reason(
        src.record(&old[0], &outcome(Label::MaintIgnored))
            .unwrap_err(),
    );
    assert!(msg.contains("UIDVALIDITY"), "{msg}");
    let new = src.pending().unwrap();
    assert_eq!(new.len(), 1);
    assert_ne!(new, old);
    assert_eq!(
        src.read(&new[0]).unwrap().raw,
        fixture("lumen-completed.eml")
    );
    assert!(examine(&d, "Carrier Notices")[0].flags.is_empty());

    let e = source(&fast(d.url("/No%20Such%20Box")))
        .pending()
        .unwrap_err();
    let msg = reason(e);
    assert!(
        msg.contains("cannot select mailbox \"No Such Box\""),
        "{msg}"
    );
}

#[test]
fn wrong_credentials_give_a_clear_error_at_once() {
    let Some(d) = Dovecot::start("wrong_credentials_give_a_clear_error_at_once", &[]) else {
        return;
    };
    let url = format!(
        "imap://{}:{}@127.0.0.1:{}/INBOX?retries=3",
        d.user, "not-the-password", d.port
    );
    let mut cfg = ImapConfig::from_url(&url).unwrap();
    cfg.backoff = Duration::from_secs(2);
    let mut src = ImapSource::new(cfg).unwrap();
    let t0 = Instant::now();
    let e = src.connect().unwrap_err();
    let elapsed = t0.elapsed();
    let text = e.to_string();
    assert!(
        text.contains("login as mnptest failed") && text.contains("Authentication failed"),
        "{text}"
    );
    assert!(!text.contains("not-the-password"), "{text}");
    // Final, not retried with backoff.
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    let e = src.pending().unwrap_err();
    assert!(reason(e).contains("login as mnptest failed"));

    // Unknown user: same clear message.
    let url = format!("imap://nobody-here:x@127.0.0.1:{}/", d.port);
    let e = source(&url).pending().unwrap_err();
    assert!(reason(e).contains("login as nobody-here failed"));

    // No password at all.
    let url = format!("imap://{}@127.0.0.1:{}/", d.user, d.port);
    let e = source(&url).pending().unwrap_err();
    assert!(reason(e).contains("no password"));
}

#[test]
fn reconnects_after_the_server_drops_the_connection() {
    let Some(d) = Dovecot::start("reconnects_after_the_server_drops_the_connection", &[]) else {
        return;
    };
    append_all(&d, "INBOX");
    let mut src = source(&fast(d.url("")));
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), FIXTURES.len());

    // The server closes our connection; the next calls reconnect.
    let kicked = d.kick();
    assert!(kicked.contains(&d.user), "kick output: {kicked:?}");
    assert_eq!(src.read(&refs[0]).unwrap().raw, fixture(FIXTURES[0].0));
    d.kick();
    src.record(&refs[0], &outcome(Label::MaintParseSuccess))
        .unwrap();
    d.kick();
    assert_eq!(src.pending().unwrap().len(), FIXTURES.len() - 1);

    // Server gone for good: a clear error after the retries, in bounded time.
    d.stop();
    let t0 = Instant::now();
    let e = src.read(&refs[1]).unwrap_err();
    let msg = reason(e);
    assert!(msg.contains("gave up after 3 attempts"), "{msg}");
    assert!(msg.contains(&format!("127.0.0.1:{}", d.port)), "{msg}");
    assert!(t0.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_silent_server_times_out_with_a_clear_error() {
    // Accepts connections and never says a word (no dovecot needed).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().take(2) {
            held.push(s.unwrap());
        }
        // Keep them open until the client gives up (it closes its side).
        for mut s in held {
            let mut buf = [0u8; 64];
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = s.read(&mut buf);
        }
    });
    let mut src = source(&format!(
        "imap://u:p@127.0.0.1:{port}/INBOX?timeout=1&retries=1"
    ));
    let t0 = Instant::now();
    let e = src.pending().unwrap_err();
    let elapsed = t0.elapsed();
    let msg = reason(e);
    assert!(
        msg.contains("timed out after 1 s") && msg.contains("gave up after 2 attempts"),
        "{msg}"
    );
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
    drop(src);
    holder.join().unwrap();
}

#[test]
fn imaps_with_the_server_ca_works_and_an_untrusted_certificate_is_refused() {
    let Some(d) = Dovecot::start(
        "imaps_with_the_server_ca_works_and_an_untrusted_certificate_is_refused",
        &[],
    ) else {
        return;
    };
    let (Some(port), Some(ca)) = (d.imaps_port, d.ca_file.clone()) else {
        skip(
            "imaps_with_the_server_ca_works_and_an_untrusted_certificate_is_refused",
            "openssl is not installed, no TLS listener",
        );
        return;
    };
    let mut c = d.client();
    c.append("INBOX", fixture("zayo-planned.eml")).unwrap();
    c.logout().unwrap();
    let creds = format!("{}:{}", pct(&d.user), pct(&d.password));

    // Verified against the test CA, by host name.
    let url = format!(
        "imaps://{creds}@localhost:{port}/INBOX?ca_file={}&timeout=5&retries=1",
        pct(&ca.display().to_string())
    );
    let mut src = source(&url);
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(src.read(&refs[0]).unwrap().raw, fixture("zayo-planned.eml"));
    src.record(&refs[0], &outcome(Label::MaintParseSuccess))
        .unwrap();
    assert!(src.pending().unwrap().is_empty());
    assert_eq!(
        examine(&d, "INBOX")[0].flags,
        expected_flags(Label::MaintParseSuccess)
    );

    // Web PKI roots only: the self-signed certificate is refused at once.
    let url = format!("imaps://{creds}@127.0.0.1:{port}/INBOX?retries=3");
    let mut cfg = ImapConfig::from_url(&url).unwrap();
    cfg.backoff = Duration::from_secs(2);
    let t0 = Instant::now();
    let e = ImapSource::new(cfg).unwrap().pending().unwrap_err();
    let msg = reason(e);
    assert!(
        msg.contains("TLS handshake") && msg.to_lowercase().contains("certificate"),
        "{msg}"
    );
    assert!(t0.elapsed() < Duration::from_secs(2));
}

#[test]
fn large_eight_bit_message_round_trips_byte_for_byte() {
    let Some(d) = Dovecot::start("large_eight_bit_message_round_trips_byte_for_byte", &[]) else {
        return;
    };
    // ~6 MiB: a Latin-1 (not UTF-8) 8-bit part and a long base64 part.
    let mut raw = b"From: NOC Archiv <archiv@netzbetrieb-sued.example>\r\n\
To: noc@initech-networks.example\r\n\
Subject: Wartungsprotokoll Q2 (Anhang)\r\n\
Message-ID: <q2-protokoll@netzbetrieb-sued.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: 8bit\r\n\r\n"
        .to_vec();
    for i in 0..2000 {
        raw.extend_from_slice(format!("Zeile {i}: ").as_bytes());
        raw.extend_from_slice(b"Gr\xfc\xdfe aus M\xfcnchen, St\xf6rung \xe4\xf6\xfc\r\n");
    }
    raw.extend_from_slice(
        b"--b1\r\nContent-Type: application/octet-stream\r\n\
Content-Transfer-Encoding: base64\r\n\r\n",
    );
    let line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
    while raw.len() < 6 << 20 {
        raw.extend_from_slice(line);
    }
    raw.extend_from_slice(b"--b1--\r\n");

    let mut c = d.client();
    c.append("INBOX", &raw).unwrap();
    c.logout().unwrap();
    let mut src = source(&fast(d.url("")));
    let refs = src.pending().unwrap();
    assert_eq!(refs.len(), 1);
    let msg = src.read(&refs[0]).unwrap();
    assert_eq!(msg.raw.len(), raw.len());
    assert!(msg.raw == raw, "bytes differ");
    src.record(&refs[0], &outcome(Label::MaintIgnored)).unwrap();
    assert!(src.pending().unwrap().is_empty());
}
