//! Alert mail over SMTP, against a real SMTP server process
//! (`scripts/test-servers/smtp.sh`, Debian's python3-aiosmtpd): replayed
//! episodes arrive with the right envelope, headers and both alternatives;
//! a 451 keeps the mail queued until a later run sends it exactly once; a
//! 550 is recorded as a permanent rejection and not retried; a stopped or
//! silent server gives a clear error within the timeout and keeps the
//! mails; hostile header values cannot add a header.
//!
//! Without aiosmtpd the tests print `SKIPPED …` and pass, unless
//! `MNP_TEST_REQUIRE_SERVERS=1`. SQLite always; PostgreSQL too when
//! `MNP_TEST_POSTGRES_URL` is set.
#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

use chrono::{Duration, Utc};
use mnp_core::Email;
use mnp_store::{NewMail, Store};
use mnp_testkit::servers::ScriptServer;

mod common;
use common::{SIM_ARGS, add_customer, add_sim_circuits};

fn tmpdir(tag: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-smtp", tag)
}

/// A running test SMTP server; stopped on drop.
struct Server {
    srv: ScriptServer,
    port: u16,
    maildir: PathBuf,
    ca_file: Option<PathBuf>,
}

/// One message the server accepted.
#[derive(Debug)]
struct Received {
    mail_from: String,
    rcpt_tos: Vec<String>,
    authenticated: bool,
    raw: Vec<u8>,
}

impl Server {
    /// Starts a server, or `None` (after printing SKIPPED) when aiosmtpd is
    /// not installed and servers are not required.
    fn start(tag: &str, args: &[&str]) -> Option<Server> {
        let dir = tmpdir(&format!("{tag}-srv"));
        let srv = ScriptServer::start("smtp.sh", dir, args, tag, "SMTP server")?;
        Some(Server {
            port: srv.fact("SMTP_PORT").parse().unwrap(),
            ca_file: srv.facts.get("SMTP_CA_FILE").map(PathBuf::from),
            maildir: PathBuf::from(srv.fact("SMTP_MAILDIR")),
            srv,
        })
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn stop(&self) {
        assert!(self.srv.stop().status.success());
    }

    /// Every accepted message, in arrival order.
    fn received(&self) -> Vec<Received> {
        mnp_testkit::eml_files(&self.maildir)
            .iter()
            .map(|p| {
                let env: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(p.with_extension("json")).unwrap())
                        .unwrap();
                Received {
                    mail_from: env["mail_from"].as_str().unwrap().to_string(),
                    rcpt_tos: env["rcpt_tos"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect(),
                    authenticated: env["authenticated"].as_bool().unwrap(),
                    raw: std::fs::read(p).unwrap(),
                }
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// SQLite always; a fresh PostgreSQL database when configured.
fn databases(tag: &str) -> Vec<(PathBuf, String)> {
    mnp_testkit::database_dirs("mnp-smtp", tag)
}

fn mnp(dir: &Path, db: &str, args: &[&str]) -> Output {
    mnp_env(dir, db, args, &[])
}

fn mnp_env(dir: &Path, db: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = mnp_testkit::clean_command(env!("CARGO_BIN_EXE_mnp"));
    c.envs(env.iter().copied());
    c.current_dir(dir)
        .args(["--database", db])
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, db: &str, args: &[&str]) -> String {
    let o = mnp(dir, db, args);
    assert!(
        o.status.success(),
        "mnp {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const EVIL_NAME: &str = "Evil <script>alert(\"x\")</script> & Co\r\nBcc: evil@attacker.example";

/// The simulator's 16 circuits in the inventory, as in tests/maxout.rs:
/// circuit i belongs to `customers[(i / 5) % 4]`; the four that max out
/// (SIM-0001, -0006, -0011, -0016; twice each in 2 h with seed 7) go to
/// lakeside-isp, prairie-net, acme-widgets and evil-corp.
fn setup(dir: &Path, db: &str) {
    ok(dir, db, &["db", "init"]);
    ok(dir, db, &["db", "seed"]);
    add_customer(db, "evil-corp", EVIL_NAME, "noc@evil-corp.example");
    let customers = ["lakeside-isp", "prairie-net", "acme-widgets", "evil-corp"];
    add_sim_circuits(db, |i| customers[(i / 5) % 4]);
    let mut args = SIM_ARGS.to_vec();
    args.extend(["--output", "sim.lp"]);
    ok(dir, db, &args);
}

/// (To, Cc) of the alert for a circuit, from the seeded customer records.
fn expected_rcpts(circuit: &str) -> (&'static str, [&'static str; 2]) {
    match circuit {
        "SIM-0001" => (
            "noc@lakeside-isp.example",
            ["am.north@mnp-demo.example", "cx@mnp-demo.example"],
        ),
        "SIM-0006" => (
            "ops@prairie-net.example",
            ["am.central@mnp-demo.example", "cx@mnp-demo.example"],
        ),
        "SIM-0011" => (
            "it@acme-widgets.example",
            ["am.north@mnp-demo.example", "cx@mnp-demo.example"],
        ),
        "SIM-0016" => (
            "noc@evil-corp.example",
            ["am.south@mnp-demo.example", "cx@mnp-demo.example"],
        ),
        other => panic!("no alert expected for {other}"),
    }
}

/// Header lines of a raw message, unfolded, as (name, value).
fn header_lines(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap();
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with(' ') || line.starts_with('\t') {
            out.last_mut().unwrap().1.push_str(line);
        } else {
            let (k, v) = line.split_once(':').unwrap();
            out.push((k.to_string(), v.trim_start().to_string()));
        }
    }
    out
}

fn circuit_of(m: &Email) -> String {
    let s = &m.subject;
    let i = s.find("SIM-").unwrap();
    s[i..i + 8].to_string()
}

#[test]
fn replayed_episodes_arrive_over_smtp_with_headers_and_both_alternatives() {
    let Some(srv) = Server::start("replay", &[]) else {
        return;
    };
    let (dir, db) = databases("replay").remove(0);
    setup(&dir, &db);
    let url = srv.url();
    let out = ok(
        &dir,
        &db,
        &["maxout", "replay", "--input", "sim.lp", "--smtp", &url],
    );
    assert!(
        out.contains(&format!(
            "8 episode(s) opened, 8 resolved, 8 new stored; 8 mail(s) queued, 8 sent via smtp://127.0.0.1:{}",
            srv.port
        )),
        "{out}"
    );
    assert!(
        !dir.join("outbox").exists(),
        "nothing written to the folder"
    );

    let got = srv.received();
    assert_eq!(got.len(), 8, "one mail per episode");
    let mut per_circuit: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    for r in &got {
        let m = Email::parse(&r.raw).unwrap();
        let circuit = circuit_of(&m);
        *per_circuit.entry(circuit.clone()).or_default() += 1;
        let (to, cc) = expected_rcpts(&circuit);
        assert_eq!(r.mail_from, "noc@mnp.example");
        assert_eq!(r.rcpt_tos, [to, cc[0], cc[1]]);
        let names: Vec<String> = header_lines(&r.raw).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                "Date",
                "From",
                "To",
                "Cc",
                "Subject",
                "Message-ID",
                "X-Mnp-Maxout-Event",
                "X-Mnp-Alert-Kind",
                "MIME-Version",
                "Content-Type"
            ]
        );
        assert_eq!(m.header("From").unwrap().trim(), "noc@mnp.example");
        assert_eq!(m.header("To").unwrap().trim(), to);
        assert_eq!(m.header("Cc").unwrap().trim(), cc.join(", "));
        assert!(
            m.subject.starts_with(&format!(
                "[mnp NOC] Capacity alert: circuit {circuit} reached "
            )),
            "{}",
            m.subject
        );
        assert!(
            m.header("Content-Type")
                .unwrap()
                .starts_with("multipart/alternative")
        );
        ids.insert(m.header("Message-ID").unwrap().trim().to_string());
        let text: String = m.bodies("text/plain").collect();
        let html: String = m.bodies("text/html").collect();
        assert!(text.contains(&circuit) && html.contains(&circuit));
        if circuit == "SIM-0016" {
            assert!(!html.contains("<script>"), "customer name not escaped");
            assert!(html.contains("&lt;script&gt;"), "{html}");
            assert!(text.contains("Evil <script>"), "plain text shows the name");
        }
    }
    assert_eq!(ids.len(), 8, "distinct Message-IDs");
    let want: BTreeMap<String, usize> = ["SIM-0001", "SIM-0006", "SIM-0011", "SIM-0016"]
        .into_iter()
        .map(|c| (c.to_string(), 2))
        .collect();
    assert_eq!(per_circuit, want);
    let mut s = Store::open(&db).unwrap();
    assert!(s.outbox(false).unwrap().is_empty(), "all sent");

    // A second replay of the same telemetry sends nothing.
    let out = ok(
        &dir,
        &db,
        &["maxout", "replay", "--input", "sim.lp", "--smtp", &url],
    );
    assert!(out.contains("0 mail(s) queued, 0 sent via"), "{out}");
    assert_eq!(srv.received().len(), 8);
}

#[test]
fn a_451_keeps_the_mail_queued_and_a_later_run_sends_it_exactly_once() {
    for (dir, db) in databases("retry") {
        let Some(srv) = Server::start("retry", &["--fail-first", "1"]) else {
            return;
        };
        setup(&dir, &db);
        let url = srv.url();
        let before = Utc::now();
        let o = mnp(
            &dir,
            &db,
            &["maxout", "replay", "--input", "sim.lp", "--smtp", &url],
        );
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(
            out.contains("8 mail(s) queued, 7 sent via")
                && out.contains(", 1 failed (kept for retry)"),
            "{out}"
        );
        assert_eq!(srv.received().len(), 7);

        let mut s = Store::open(&db).unwrap();
        let q = s.outbox(false).unwrap();
        assert_eq!(q.len(), 1, "{db}");
        let m = &q[0];
        assert_eq!(m.attempts, 1);
        let err = m.last_error.as_deref().unwrap();
        assert!(err.contains("451"), "{err}");
        assert!(!err.starts_with("rejected"), "{err}");
        // Backoff: first retry one minute after the attempt (whole seconds).
        let wait = m.next_attempt_at - before;
        assert!(
            wait >= Duration::seconds(59) && wait <= Duration::seconds(61 + 30),
            "{wait}"
        );
        let listed = ok(&dir, &db, &["maxout", "outbox", "--list"]);
        assert!(
            listed.contains("retry ") && listed.contains("451"),
            "{listed}"
        );

        // Not due yet: nothing is sent.
        let out = ok(&dir, &db, &["maxout", "outbox", "--smtp", &url]);
        assert!(out.starts_with("0 mail(s) sent via"), "{out}");
        // Due: sent, once.
        let later = (Utc::now() + Duration::minutes(5)).to_rfc3339();
        let out = ok(
            &dir,
            &db,
            &["maxout", "outbox", "--smtp", &url, "--now", &later],
        );
        assert!(out.starts_with("1 mail(s) sent via"), "{out}");
        let even_later = (Utc::now() + Duration::hours(3)).to_rfc3339();
        let out = ok(
            &dir,
            &db,
            &["maxout", "outbox", "--smtp", &url, "--now", &even_later],
        );
        assert!(out.starts_with("0 mail(s) sent via"), "{out}");

        let got = srv.received();
        assert_eq!(got.len(), 8);
        let ids: std::collections::BTreeSet<String> = got
            .iter()
            .map(|r| {
                Email::parse(&r.raw)
                    .unwrap()
                    .header("Message-ID")
                    .unwrap()
                    .trim()
                    .to_string()
            })
            .collect();
        assert_eq!(ids.len(), 8, "the retried mail arrived exactly once");
        assert!(s.outbox(false).unwrap().is_empty());
        assert!(s.outbox(true).unwrap().iter().all(|m| m.sent_at.is_some()));
    }
}

#[test]
fn a_550_for_a_recipient_is_a_permanent_rejection_and_not_retried() {
    for (dir, db) in databases("reject") {
        let Some(srv) = Server::start("reject", &["--reject", "noc@evil-corp.example"]) else {
            return;
        };
        setup(&dir, &db);
        let url = srv.url();
        let o = mnp(
            &dir,
            &db,
            &["maxout", "replay", "--input", "sim.lp", "--smtp", &url],
        );
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert_eq!(o.status.code(), Some(1), "{out}");
        // SIM-0016 (evil-corp) maxes out twice: 2 rejected, 6 sent.
        assert!(out.contains("8 mail(s) queued, 6 sent via"), "{out}");
        assert!(out.contains(", 2 failed"), "{out}");
        assert_eq!(srv.received().len(), 6);
        assert!(
            srv.received()
                .iter()
                .all(|r| !r.rcpt_tos.contains(&"noc@evil-corp.example".to_string()))
        );

        let mut s = Store::open(&db).unwrap();
        let q = s.outbox(false).unwrap();
        assert_eq!(q.len(), 2, "{db}");
        for m in &q {
            let err = m.last_error.as_deref().unwrap();
            assert!(err.starts_with("rejected permanently: "), "{err}");
            assert!(err.contains("550"), "{err}");
            assert!(m.next_attempt_at > Utc::now() + Duration::days(365 * 50));
            assert_eq!(m.to, ["noc@evil-corp.example"]);
        }
        let listed = ok(&dir, &db, &["maxout", "outbox", "--list"]);
        assert_eq!(
            listed
                .matches("rejected after 1 attempt(s), not retried")
                .count(),
            2,
            "{listed}"
        );
        // Not retried, however late.
        let later = (Utc::now() + Duration::days(30)).to_rfc3339();
        let out = ok(
            &dir,
            &db,
            &["maxout", "outbox", "--smtp", &url, "--now", &later],
        );
        assert!(
            out.starts_with("0 mail(s) sent via") && out.contains("0 rejected"),
            "{out}"
        );
        assert_eq!(srv.received().len(), 6);
        assert_eq!(s.outbox(false).unwrap().len(), 2, "kept on record");
    }
}

#[test]
fn a_stopped_or_silent_server_gives_a_clear_error_and_keeps_the_mails() {
    let Some(srv) = Server::start("down", &[]) else {
        return;
    };
    let (dir, db) = databases("down").remove(0);
    setup(&dir, &db);
    let url = srv.url();
    srv.stop();
    let t = Instant::now();
    let o = mnp(
        &dir,
        &db,
        &["maxout", "replay", "--input", "sim.lp", "--smtp", &url],
    );
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("8 mail(s) queued, 0 sent via") && out.contains("8 failed (kept for retry)"),
        "{out}"
    );
    let mut s = Store::open(&db).unwrap();
    let q = s.outbox(false).unwrap();
    assert_eq!(q.len(), 8);
    let refused = q
        .iter()
        .filter(|m| m.last_error.as_deref().unwrap().contains("refused"))
        .count();
    assert_eq!(refused, 8, "{:?}", q[0].last_error);
    // One connection attempt, the other seven recorded without one.
    let not_attempted = q
        .iter()
        .filter(|m| {
            m.last_error
                .as_deref()
                .unwrap()
                .starts_with("not attempted: ")
        })
        .count();
    assert_eq!(not_attempted, 7);
    assert!(t.elapsed().as_secs() < 30);

    // The outbox command says why on stderr.
    let later = (Utc::now() + Duration::minutes(5)).to_rfc3339();
    let o = mnp(
        &dir,
        &db,
        &["maxout", "outbox", "--smtp", &url, "--now", &later],
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains(&format!(
            "mnp: delivery failed: smtp 127.0.0.1:{}: ",
            srv.port
        )) && err.contains("refused"),
        "{err}"
    );

    // A server that accepts but never greets: bounded by ?timeout=2.
    let Some(silent) = Server::start("silent", &["--silent"]) else {
        return;
    };
    let t = Instant::now();
    let even_later = (Utc::now() + Duration::hours(2)).to_rfc3339();
    let o = mnp(
        &dir,
        &db,
        &[
            "maxout",
            "outbox",
            "--smtp",
            &format!("{}?timeout=2", silent.url()),
            "--now",
            &even_later,
        ],
    );
    let took = t.elapsed();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(took.as_secs() < 10, "one timeout, not eight: {took:?}");
    assert!(
        err.contains(&format!(
            "mnp: delivery failed: smtp 127.0.0.1:{}: timed out: no answer within 2 s",
            silent.port
        )),
        "{err}"
    );
    assert_eq!(s.outbox(false).unwrap().len(), 8);

    // Back up: everything goes out.
    let Some(back) = Server::start("back", &[]) else {
        return;
    };
    let much_later = (Utc::now() + Duration::hours(6)).to_rfc3339();
    let out = ok(
        &dir,
        &db,
        &[
            "maxout",
            "outbox",
            "--smtp",
            &back.url(),
            "--now",
            &much_later,
        ],
    );
    assert!(out.starts_with("8 mail(s) sent via"), "{out}");
    assert_eq!(back.received().len(), 8);
}

#[test]
fn hostile_header_values_cannot_add_a_header() {
    let Some(srv) = Server::start("hostile", &[]) else {
        return;
    };
    let (dir, db) = databases("hostile").remove(0);
    ok(&dir, &db, &["db", "init"]);
    let mut s = Store::open(&db).unwrap();
    let now = Utc::now();
    let mail = |key: &str, subject: &str, to: &str| NewMail {
        dedupe_key: key.into(),
        maxout_event_id: None,
        kind: "opened\r\nX-Injected: kind".into(),
        to: vec![to.into()],
        cc: vec!["cx@mnp-demo.example".into()],
        subject: subject.into(),
        text: "text\r\n\r\n--boundary\r\n".into(),
        html: "<p>html</p>\r\nBcc: evil@attacker.example".into(),
    };
    s.enqueue_mail(
        &mail(
            "a",
            "Alert\r\nBcc: evil@attacker.example\r\nX-Injected: yes",
            "noc@customer.example",
        ),
        now,
    )
    .unwrap();
    s.enqueue_mail(
        &mail(
            "b",
            "Überlast\r\nBcc: evil@attacker.example",
            "noc@customer.example",
        ),
        now,
    )
    .unwrap();
    // Passes the store's last-line check (no control, comma or space) but is
    // no address: rejected, never sent.
    s.enqueue_mail(
        &mail("c", "Alert", "<evil@attacker.example>noc@customer.example"),
        now,
    )
    .unwrap();

    // A hostile sender on the command line is refused before anything is sent.
    let o = mnp(
        &dir,
        &db,
        &[
            "maxout",
            "outbox",
            "--smtp",
            &srv.url(),
            "--noc-email",
            "noc@isp.example\r\nBcc: evil@attacker.example",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--noc-email"));
    assert!(srv.received().is_empty());

    let o = mnp(&dir, &db, &["maxout", "outbox", "--smtp", &srv.url()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.starts_with("2 mail(s) sent via") && out.contains("1 rejected"),
        "{out}"
    );
    let got = srv.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        assert_eq!(r.rcpt_tos, ["noc@customer.example", "cx@mnp-demo.example"]);
        let names: Vec<String> = header_lines(&r.raw).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                "Date",
                "From",
                "To",
                "Cc",
                "Subject",
                "Message-ID",
                "X-Mnp-Alert-Kind",
                "MIME-Version",
                "Content-Type"
            ],
            "no Bcc, no X-Injected"
        );
        let m = Email::parse(&r.raw).unwrap();
        assert_eq!(
            m.header("X-Mnp-Alert-Kind").unwrap().trim(),
            "opened  X-Injected: kind"
        );
        let text: String = m.bodies("text/plain").collect();
        assert_eq!(
            text, "text\r\n\r\n--boundary\r\n",
            "bodies travel as base64"
        );
    }
    let subjects: Vec<String> = got
        .iter()
        .map(|r| Email::parse(&r.raw).unwrap().subject.clone())
        .collect();
    assert_eq!(
        subjects,
        [
            "Alert  Bcc: evil@attacker.example  X-Injected: yes",
            "Überlast  Bcc: evil@attacker.example"
        ]
    );
    let rejected = s
        .outbox(false)
        .unwrap()
        .into_iter()
        .map(|m| m.last_error.unwrap())
        .collect::<Vec<_>>();
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected[0].starts_with("rejected permanently: To address"),
        "{}",
        rejected[0]
    );
}

/// One mail queued directly (no replay needed) in an initialised database.
fn queue_one(dir: &Path, db: &str, key: &str) {
    ok(dir, db, &["db", "init"]);
    enqueue_plain(&mut Store::open(db).unwrap(), key);
}

/// A plain alert for noc@customer.example queued under `key`.
fn enqueue_plain(s: &mut Store, key: &str) {
    s.enqueue_mail(
        &NewMail {
            dedupe_key: key.into(),
            maxout_event_id: None,
            kind: "opened".into(),
            to: vec!["noc@customer.example".into()],
            cc: vec![],
            subject: "Capacity alert".into(),
            text: "text".into(),
            html: "<p>html</p>".into(),
        },
        Utc::now(),
    )
    .unwrap();
}

#[test]
fn starttls_and_smtps_with_auth_and_a_private_ca_never_show_the_password() {
    const PASSWORD: &str = "s3cr@t/pw";
    // user "mnp user", password "s3cr@t/pw", percent-encoded in the URL
    let userinfo = "mnp%20user:s3cr%40t%2Fpw";
    for (mode, scheme, query) in [("--tls", "smtp", "tls=starttls&"), ("--smtps", "smtps", "")] {
        let Some(srv) = Server::start("tls", &[mode, "--auth", "mnp user:s3cr@t/pw"]) else {
            return;
        };
        let ca = srv.ca_file.clone().expect("openssl made a test CA");
        let (dir, db) = databases("tls").remove(0);
        queue_one(&dir, &db, "tls");
        let base = format!("{scheme}://{userinfo}@localhost:{}", srv.port);
        let url = |userinfo_override: Option<&str>, with_ca: bool| {
            let mut u = match userinfo_override {
                Some(ui) => format!("{scheme}://{ui}@localhost:{}", srv.port),
                None => base.clone(),
            };
            u.push('?');
            u.push_str(query);
            u.push_str("timeout=5");
            if with_ca {
                u.push_str(&format!("&ca_file={}", ca.display()));
            }
            u
        };

        // Wrong password: 535 is a configuration problem, retried later.
        let o = mnp(
            &dir,
            &db,
            &[
                "maxout",
                "outbox",
                "--smtp",
                &url(Some("mnp%20user:wrong-pw"), true),
            ],
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.status.code(), Some(1), "{mode}: {all}");
        assert!(all.contains("535"), "{mode}: {all}");
        assert!(
            all.contains(&format!("{scheme}://mnp user:***@localhost:{}", srv.port)),
            "{mode}: {all}"
        );
        assert!(!all.contains("wrong-pw"), "{mode}: {all}");
        let mut s = Store::open(&db).unwrap();
        let q = s.outbox(false).unwrap();
        assert_eq!(q.len(), 1);
        let err = q[0].last_error.clone().unwrap();
        assert!(!err.starts_with("rejected") && err.contains("535"), "{err}");

        // Without the private CA the certificate is not trusted.
        let later = (Utc::now() + Duration::minutes(5)).to_rfc3339();
        let o = mnp(
            &dir,
            &db,
            &[
                "maxout",
                "outbox",
                "--smtp",
                &url(None, false),
                "--now",
                &later,
            ],
        );
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(1), "{mode}: {err}");
        assert!(
            err.contains("certificate") || err.contains("UnknownIssuer"),
            "{mode}: {err}"
        );
        assert!(!err.contains(PASSWORD), "{mode}: {err}");
        assert!(srv.received().is_empty());

        // With it: sent, authenticated.
        let later = (Utc::now() + Duration::minutes(30)).to_rfc3339();
        let o = mnp(
            &dir,
            &db,
            &[
                "maxout",
                "outbox",
                "--smtp",
                &url(None, true),
                "--now",
                &later,
            ],
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "{mode}: {all}");
        assert!(all.starts_with("1 mail(s) sent via"), "{mode}: {all}");
        assert!(
            !all.contains(PASSWORD) && !all.contains("s3cr"),
            "{mode}: {all}"
        );
        let got = srv.received();
        assert_eq!(got.len(), 1);
        assert!(got[0].authenticated, "{mode}");
        assert_eq!(got[0].rcpt_tos, ["noc@customer.example"]);
        // The stored errors of the earlier attempts do not carry it either.
        let stored = s.outbox(true).unwrap();
        assert!(
            stored
                .iter()
                .all(|m| !m.last_error.as_deref().unwrap_or("").contains("s3cr"))
        );
    }
}

#[test]
fn the_smtp_server_and_sender_come_from_the_environment_or_mnp_toml() {
    let Some(srv) = Server::start("config", &[]) else {
        return;
    };
    let (dir, db) = databases("config").remove(0);
    queue_one(&dir, &db, "env");
    // $MNP_SMTP_URL and $MNP_MAIL_FROM.
    let env_url = srv.url();
    let o = mnp_env(
        &dir,
        &db,
        &["maxout", "outbox"],
        &[
            ("MNP_SMTP_URL", env_url.as_str()),
            ("MNP_MAIL_FROM", "alerts@isp.example"),
        ],
    );
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("1 mail(s) sent via smtp://127.0.0.1:"));
    let got = srv.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].mail_from, "alerts@isp.example");

    // `--smtp off` wins over the environment: the folder.
    let mut s = Store::open(&db).unwrap();
    enqueue_plain(&mut s, "off");
    let o = mnp_env(
        &dir,
        &db,
        &["maxout", "outbox", "--smtp", "off", "--dir", "folder"],
        &[("MNP_SMTP_URL", env_url.as_str())],
    );
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("1 mail(s) written to folder"));
    assert_eq!(std::fs::read_dir(dir.join("folder")).unwrap().count(), 1);
    assert_eq!(srv.received().len(), 1);

    // mnp.toml: smtp_url and mail_from; --noc-email still wins.
    enqueue_plain(&mut s, "toml");
    std::fs::write(
        dir.join("mnp.toml"),
        format!(
            "smtp_url = \"{}\"\nmail_from = \"toml@isp.example\"\n",
            srv.url()
        ),
    )
    .unwrap();
    let out = ok(
        &dir,
        &db,
        &["maxout", "outbox", "--noc-email", "cli@isp.example"],
    );
    assert!(
        out.starts_with("1 mail(s) sent via smtp://127.0.0.1:"),
        "{out}"
    );
    let got = srv.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].mail_from, "cli@isp.example");
}
