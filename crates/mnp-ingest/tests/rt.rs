//! The Request Tracker source against a real RT 5 (REST2).
//!
//! Each test starts its own RT with `scripts/test-servers/rt.sh start DIR`
//! (SQLite database and site config in DIR, free loopback port), feeds it mail
//! through `rt-mailgate` or REST2, runs the source and checks the result with
//! an independent REST2 read as RT's `root` user. Without RT installed the
//! tests print `SKIPPED …` and pass, unless `MNP_RT_REQUIRED=1`.
#![allow(clippy::print_stderr)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mnp_core::Email;
use mnp_ingest::sources::rt::{RtAuth, RtConfig, RtSource};
use mnp_ingest::{Label, MessageRef, Outcome, Source};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn script() -> PathBuf {
    repo().join("scripts/test-servers/rt.sh")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/rt")
            .join(name),
    )
    .unwrap()
}

/// A running RT; stopped and removed on drop.
struct Rt {
    dir: PathBuf,
    env: HashMap<String, String>,
    agent: ureq::Agent,
}

impl Rt {
    /// Start RT for `test`, or say why not and return `None`.
    fn start(test: &str) -> Option<Rt> {
        let installed = Command::new("bash")
            .arg(script())
            .arg("check")
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !installed {
            let why = "Request Tracker 5 is not installed (apt-get install request-tracker5 rt5-db-sqlite rt5-standalone rt5-clients)";
            if std::env::var("MNP_RT_REQUIRED").as_deref() == Ok("1") {
                panic!("{test}: {why}");
            }
            // Straight to the process's stderr: libtest captures eprintln!.
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("mnp-rt-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(&dir)
            .output()
            .unwrap();
        // From here on Drop stops the server, even if an assertion fails.
        let mut rt = Rt {
            dir,
            env: HashMap::new(),
            agent: ureq::Agent::config_builder()
                .timeout_global(Some(Duration::from_secs(60)))
                .http_status_as_error(false)
                .build()
                .into(),
        };
        assert!(
            out.status.success(),
            "rt.sh start failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some((k, v)) = line.split_once('=') {
                rt.env.insert(k.to_string(), v.to_string());
            }
        }
        eprintln!(
            "{test}: RT at {} started in {} s",
            rt.env["RT_URL"], rt.env["RT_STARTUP_SECONDS"]
        );
        Some(rt)
    }

    /// Start again in the same directory (same database, new port).
    fn restart(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .status();
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "restart: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some((k, v)) = line.split_once('=') {
                self.env.insert(k.to_string(), v.to_string());
            }
        }
    }

    fn url(&self) -> &str {
        &self.env["RT_URL"]
    }

    fn token_source(&self) -> RtSource {
        let mut cfg = RtConfig::new(
            self.url(),
            &self.env["RT_QUEUE"],
            RtAuth::Token(self.env["RT_TOKEN"].clone()),
        )
        .unwrap();
        cfg.timeout = Duration::from_secs(60);
        RtSource::new(cfg)
    }

    fn basic_source(&self) -> RtSource {
        let auth = RtAuth::Basic {
            user: self.env["RT_USER"].clone(),
            password: self.env["RT_PASSWORD"].clone(),
        };
        // The one-URL form, with the rt:// scheme.
        let url =
            self.url().replacen("http://", "rt://", 1) + "?queue=Maintenance&field=MaintLabel";
        RtSource::new(RtConfig::from_url(&url, auth).unwrap())
    }

    /// Deliver a mail the way a mail alias does.
    fn mail(&self, raw: &[u8]) {
        let mut child = Command::new("bash")
            .arg(script())
            .arg("mail")
            .arg(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(raw).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "rt-mailgate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn admin_auth(&self) -> String {
        let pair = format!(
            "{}:{}",
            self.env["RT_ADMIN_USER"], self.env["RT_ADMIN_PASSWORD"]
        );
        format!("Basic {}", b64(pair.as_bytes()))
    }

    /// An independent REST2 read, as RT's root user.
    fn admin_get(&self, path: &str) -> Value {
        let url = format!("{}REST/2.0/{path}", self.url());
        let mut r = self
            .agent
            .get(&url)
            .header("Authorization", self.admin_auth())
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "GET {path}");
        serde_json::from_slice(
            &r.body_mut()
                .with_config()
                .limit(1 << 28)
                .read_to_vec()
                .unwrap(),
        )
        .unwrap()
    }

    fn admin_post(&self, path: &str, body: &Value) -> Value {
        let url = format!("{}REST/2.0/{path}", self.url());
        let mut r = self
            .agent
            .post(&url)
            .header("Authorization", self.admin_auth())
            .content_type("application/json")
            .send(serde_json::to_vec(body).unwrap())
            .unwrap();
        assert!(
            matches!(r.status().as_u16(), 200 | 201),
            "POST {path}: {}",
            r.status()
        );
        serde_json::from_slice(&r.body_mut().read_to_vec().unwrap()).unwrap()
    }

    /// Ids of the tickets in the queue, oldest first.
    fn ticket_ids(&self) -> Vec<String> {
        let v = self
            .admin_get("tickets?query=Queue%3D%27Maintenance%27&orderby=id&order=ASC&per_page=100");
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    }

    fn ticket(&self, id: &str) -> Value {
        self.admin_get(&format!("ticket/{id}"))
    }

    /// Contents of the ticket's comments.
    fn comments(&self, id: &str) -> Vec<String> {
        let h = self.admin_get(&format!("ticket/{id}/history?fields=Type&per_page=100"));
        let mut out = Vec::new();
        for t in h["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["Type"] == "Comment")
        {
            let atts = self.admin_get(&format!(
                "transaction/{}/attachments?per_page=100",
                t["id"].as_str().unwrap()
            ));
            for a in atts["items"].as_array().unwrap() {
                let a = self.admin_get(&format!("attachment/{}", a["id"].as_str().unwrap()));
                if let Some(c) = a["Content"].as_str() {
                    out.push(String::from_utf8(unb64(c)).unwrap());
                }
            }
        }
        out
    }
}

impl Drop for Rt {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn label(t: &Value) -> Vec<String> {
    t["CustomFields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "MaintLabel")
        .map(|c| {
            c["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn corpus_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let d = d.unwrap().path();
        if !d.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&d).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "eml") {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// What a parser makes of a mail: the vendor and its maintenances, or the
/// error. `without` blanks the named maintenance fields.
fn parse(raw: &[u8], without: &[&str]) -> String {
    let reg = mnp_parsers::registry();
    match Email::parse(raw)
        .map_err(|e| e.to_string())
        .and_then(|e| reg.parse(&e, None).map_err(|e| e.to_string()))
    {
        Ok(p) => {
            let mut v = serde_json::to_value(&p.maintenances).unwrap();
            for m in v.as_array_mut().unwrap() {
                for f in without {
                    m.as_object_mut().unwrap().remove(*f);
                }
            }
            format!("{} {v}", p.parser)
        }
        Err(e) => format!("error: {e}"),
    }
}

/// Corpus mails RT damages on the way in, what it damages, and the fields
/// that therefore differ. Colt attaches its circuit list as a UTF-16LE CSV:
/// RT 5.0.3 decodes that part's (ASCII) MIME headers as UTF-16 while
/// converting it to UTF-8, which destroys its Content-Type, file name and
/// disposition; the CSV text survives as an anonymous text part.
const KNOWN_RT_LOSSES: [(&str, &[&str]); 3] = [
    ("colt/2024-06-planned-csv-ics.eml", &["circuits"]),
    ("colt/2024-07-completed-alert.eml", &["circuits", "account"]),
    ("colt/2024-11-third-party-cancelled.eml", &["circuits"]),
];

/// Every corpus mail goes through rt-mailgate into RT and comes back through
/// `read()`: same Message-ID, subject and sender, and the parsers make the same
/// maintenances of it as of the original file.
#[test]
fn mailed_corpus_reads_back_and_parses_the_same() {
    let Some(rt) = Rt::start("mailed_corpus_reads_back_and_parses_the_same") else {
        return;
    };
    let files = corpus_fixtures();
    assert!(files.len() > 20, "corpus not found");
    let t0 = Instant::now();
    for f in &files {
        rt.mail(&std::fs::read(f).unwrap());
    }
    eprintln!(
        "mailed {} messages in {:.1} s",
        files.len(),
        t0.elapsed().as_secs_f64()
    );

    let mut src = rt.token_source();
    let pending = src.pending().unwrap();
    assert_eq!(
        pending.iter().map(|r| r.key.clone()).collect::<Vec<_>>(),
        rt.ticket_ids()
    );
    assert_eq!(pending.len(), files.len());

    let t0 = Instant::now();
    let mut differ = Vec::new();
    for (r, f) in pending.iter().zip(&files) {
        let name = f
            .strip_prefix(repo().join("corpus"))
            .unwrap()
            .display()
            .to_string();
        let original = std::fs::read(f).unwrap();
        let msg = src.read(r).unwrap();
        assert_eq!(msg.r#ref, *r);
        assert!(msg.received_at.is_some(), "{name}: no time");
        assert!(
            msg.origin
                .ends_with(&format!("Ticket/Display.html?id={}", r.key)),
            "{}",
            msg.origin
        );
        let (a, b) = (
            Email::parse(&original).unwrap(),
            Email::parse(&msg.raw).unwrap(),
        );
        assert_eq!(a.message_id, b.message_id, "{name}");
        assert_eq!(a.subject, b.subject, "{name}");
        assert_eq!(
            a.from.as_ref().map(|m| &m.address),
            b.from.as_ref().map(|m| &m.address),
            "{name}"
        );
        assert_eq!(a.date, b.date, "{name}");
        let without = KNOWN_RT_LOSSES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
            .unwrap_or(&[]);
        let (before, after) = (parse(&original, without), parse(&msg.raw, without));
        if before != after {
            differ.push(format!(
                "{name}:\n  original: {before}\n  from RT:  {after}"
            ));
        }
        if !without.is_empty() {
            // Still a loss (else remove it from the list), and the CSV text is there.
            assert_ne!(
                parse(&original, &[]),
                parse(&msg.raw, &[]),
                "{name} is no longer damaged by RT"
            );
            assert!(b.text().contains("C-4093381"), "{name}: {}", b.text());
        }
    }
    eprintln!(
        "read {} messages in {:.1} s",
        pending.len(),
        t0.elapsed().as_secs_f64()
    );
    assert!(
        differ.is_empty(),
        "{} of {} parse differently after RT:\n{}",
        differ.len(),
        files.len(),
        differ.join("\n")
    );
}

/// A latin-1, quoted-printable, multipart/alternative mail with a PDF: RT
/// converts the text to UTF-8; the rebuilt message decodes to the same text,
/// the same HTML and the same PDF bytes, in the same structure.
#[test]
fn charset_and_transfer_encodings_survive_as_content() {
    let Some(rt) = Rt::start("charset_and_transfer_encodings_survive_as_content") else {
        return;
    };
    let original = fixture("latin1-qp-alternative.eml");
    rt.mail(&original);
    let mut src = rt.token_source();
    let pending = src.pending().unwrap();
    assert_eq!(pending.len(), 1);
    let raw = src.read(&pending[0]).unwrap().raw;
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains("Content-Type: multipart/mixed; boundary=\"=_mixed_4711\""),
        "{text}"
    );
    assert!(text.contains("--=_alt_4711\n"), "{text}");
    assert!(
        !text.contains("X-RT-"),
        "RT's own headers are dropped:\n{text}"
    );
    let (a, b) = (
        Email::parse(&original).unwrap(),
        Email::parse(&raw).unwrap(),
    );
    assert_eq!(a.subject, "Geplante Wartung München 14.09.2024");
    assert_eq!(a.subject, b.subject);
    assert_eq!(a.from, b.from);
    assert_eq!(a.parts.len(), b.parts.len());
    for (pa, pb) in a.parts.iter().zip(&b.parts) {
        assert_eq!(
            (&pa.mime, &pa.filename, pa.is_attachment),
            (&pb.mime, &pb.filename, pb.is_attachment)
        );
        assert_eq!(pa.text, pb.text, "{}", pa.mime);
        if pa.text.is_none() {
            assert_eq!(pa.data, pb.data, "{}", pa.mime);
        }
    }
    assert!(b.text().contains("DE-MUC-4711-ÄÖÜ"), "{}", b.text());
}

/// Label, status and comment land on the ticket; failures stay new for a
/// human; labelled tickets are no longer pending.
#[test]
fn record_sets_label_status_and_comment() {
    let Some(rt) = Rt::start("record_sets_label_status_and_comment") else {
        return;
    };
    for f in ["zayo", "cogent", "equinix"] {
        let dir = repo().join("corpus").join(f);
        let mut emls: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        emls.sort();
        rt.mail(&std::fs::read(&emls[0]).unwrap());
    }
    let mut src = rt.basic_source();
    let pending = src.pending().unwrap();
    assert_eq!(pending.len(), 3);
    let ids: Vec<String> = pending.iter().map(|r| r.key.clone()).collect();
    let outcomes = [
        (
            Label::MaintParseSuccess,
            Some("zayo"),
            "Zayo TTN-0001: 2 circuits, 2024-03-05 06:00Z–10:00Z",
        ),
        (
            Label::MaintParseException,
            Some("cogent"),
            "no window found: the parser saw no start time",
        ),
        (
            Label::MaintOutOfSequence,
            Some("equinix"),
            "older than revision 3 already stored",
        ),
    ];
    for (r, (l, v, s)) in pending.iter().zip(outcomes) {
        src.record(
            r,
            &Outcome {
                label: l,
                vendor: v.map(str::to_string),
                summary: s.to_string(),
            },
        )
        .unwrap();
    }

    // An independent read, as root.
    let t: Vec<Value> = ids.iter().map(|id| rt.ticket(id)).collect();
    assert_eq!(label(&t[0]), ["MaintParseSuccess"]);
    assert_eq!(t[0]["Status"], "resolved");
    assert_eq!(label(&t[1]), ["MaintParseException"]);
    assert_eq!(t[1]["Status"], "new", "a failure stays for a human");
    assert_eq!(label(&t[2]), ["MaintOutOfSequence"]);
    assert_eq!(t[2]["Status"], "resolved");
    for (id, (l, v, s)) in ids.iter().zip(outcomes) {
        let c = rt.comments(id);
        assert_eq!(c.len(), 1, "ticket {id}: {c:?}");
        assert!(
            c[0].contains(&format!("mnp ingest: {l}")) && c[0].contains(s),
            "{}",
            c[0]
        );
        assert!(
            c[0].contains(&format!("vendor: {}", v.unwrap())),
            "{}",
            c[0]
        );
    }

    // Labelled tickets, failures included, are no longer offered.
    assert!(src.pending().unwrap().is_empty());
    // An unlabelled ticket a human already resolved is still offered; a
    // rejected one is not.
    rt.mail(&fixture("latin1-8bit.eml"));
    rt.mail(&fixture("latin1-qp-alternative.eml"));
    let late = src.pending().unwrap();
    assert_eq!(late.len(), 2);
    for (r, status) in late.iter().zip(["resolved", "rejected"]) {
        rt.agent
            .put(&format!("{}REST/2.0/ticket/{}", rt.url(), r.key))
            .header("Authorization", rt.admin_auth())
            .content_type("application/json")
            .send(serde_json::to_vec(&json!({ "Status": status })).unwrap())
            .unwrap();
        assert_eq!(rt.ticket(&r.key)["Status"], status);
    }
    assert_eq!(src.pending().unwrap(), late[..1]);
    src.record(
        &late[0],
        &Outcome {
            label: Label::MaintIgnored,
            vendor: None,
            summary: "not a notice".into(),
        },
    )
    .unwrap();
    assert!(src.pending().unwrap().is_empty());
    // A human clears the label of the failure: it is offered again, and a new
    // outcome replaces the old label.
    let r = MessageRef {
        key: ids[1].clone(),
        ticket_id: Some(ids[1].clone()),
    };
    rt.agent
        .put(&format!("{}REST/2.0/ticket/{}", rt.url(), ids[1]))
        .header("Authorization", rt.admin_auth())
        .content_type("application/json")
        .send(serde_json::to_vec(&json!({"CustomFields": {"MaintLabel": null}})).unwrap())
        .unwrap();
    assert_eq!(src.pending().unwrap(), vec![r.clone()]);
    src.record(
        &r,
        &Outcome {
            label: Label::MaintUnknownCircuit,
            vendor: None,
            summary: "re-run".into(),
        },
    )
    .unwrap();
    let t1 = rt.ticket(&ids[1]);
    assert_eq!(
        (label(&t1), t1["Status"].as_str()),
        (vec!["MaintUnknownCircuit".to_string()], Some("resolved"))
    );
    assert!(src.pending().unwrap().is_empty());

    // A label field that does not apply to the queue is a clear error.
    let mut cfg = src.config().clone();
    cfg.label_field = "NoSuchField".into();
    let mut wrong = RtSource::new(cfg);
    let err = wrong
        .record(
            &r,
            &Outcome {
                label: Label::MaintIgnored,
                vendor: None,
                summary: String::new(),
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("NoSuchField") && err.contains("does not apply"),
        "{err}"
    );
}

/// A wrong token or password is reported as a credentials problem, without
/// the secret, and changes nothing.
#[test]
fn wrong_credentials_give_a_clear_error() {
    let Some(rt) = Rt::start("wrong_credentials_give_a_clear_error") else {
        return;
    };
    rt.mail(&fixture("latin1-8bit.eml"));
    let bad = [
        RtAuth::Token("1-27-00000000000000000000000000000000".into()),
        RtAuth::Basic {
            user: rt.env["RT_USER"].clone(),
            password: "not-the-password".into(),
        },
        RtAuth::Basic {
            user: "nobody-here".into(),
            password: "not-the-password".into(),
        },
    ];
    for auth in bad {
        let mut cfg = RtConfig::new(rt.url(), "Maintenance", auth).unwrap();
        cfg.backoff = Duration::from_millis(10);
        let mut src = RtSource::new(cfg);
        let t0 = Instant::now();
        let err = src.pending().unwrap_err().to_string();
        assert!(
            err.contains("HTTP 401") && err.contains("credentials"),
            "{err}"
        );
        assert!(
            !err.contains("not-the-password") && !err.contains("0000000000"),
            "{err}"
        );
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "a 401 is not retried"
        );
        let r = MessageRef {
            key: "1".into(),
            ticket_id: Some("1".into()),
        };
        assert!(src.read(&r).unwrap_err().to_string().contains("HTTP 401"));
        let out = Outcome {
            label: Label::MaintParseSuccess,
            vendor: None,
            summary: "x".into(),
        };
        assert!(
            src.record(&r, &out)
                .unwrap_err()
                .to_string()
                .contains("HTTP 401")
        );
        assert!(src.check().is_err());
    }
    let t = rt.ticket("1");
    assert_eq!((label(&t).len(), t["Status"].as_str()), (0, Some("new")));
    assert!(rt.comments("1").is_empty());
    assert_eq!(rt.token_source().pending().unwrap().len(), 1);
    rt.token_source().check().unwrap();
    let mut cfg = rt.token_source().config().clone();
    cfg.queue = "No Such Queue".into();
    let err = RtSource::new(cfg).check().unwrap_err().to_string();
    assert!(err.contains("\"No Such Queue\" not found"), "{err}");
}

/// A ticket created through REST2 with the mail attached as message/rfc822
/// gives back exactly the mail's bytes (8-bit latin-1 included).
#[test]
fn api_created_ticket_returns_the_exact_bytes() {
    let Some(rt) = Rt::start("api_created_ticket_returns_the_exact_bytes") else {
        return;
    };
    let mails = [
        fixture("latin1-qp-alternative.eml"),
        fixture("latin1-8bit.eml"),
        std::fs::read(repo().join("corpus/colt/2024-06-planned-csv-ics.eml")).unwrap(),
    ];
    for (i, m) in mails.iter().enumerate() {
        let body = match i {
            // The mail as the ticket's content (ASCII: exact through JSON text).
            0 => json!({"Queue": "Maintenance", "Subject": "forwarded by the mail robot",
                        "ContentType": "message/rfc822", "Content": String::from_utf8(m.clone()).unwrap()}),
            // 8-bit latin-1: as an opaque .eml file.
            1 => {
                json!({"Queue": "Maintenance", "Subject": "forwarded by the mail robot", "Content": "original attached",
                        "ContentType": "text/plain",
                        "Attachments": [{"FileName": "original.eml", "FileType": "application/octet-stream",
                                         "FileContent": b64(m)}]})
            }
            // UTF-8/ASCII multipart as message/rfc822.
            _ => {
                json!({"Queue": "Maintenance", "Subject": "forwarded by the mail robot", "Content": "original attached",
                        "ContentType": "text/plain",
                        "Attachments": [{"FileName": "notice", "FileType": "message/rfc822", "FileContent": b64(m)}]})
            }
        };
        rt.admin_post("ticket", &body);
    }
    let mut src = rt.token_source();
    let pending = src.pending().unwrap();
    assert_eq!(pending.len(), 3);
    // The content form goes through JSON text: exact for an ASCII mail.
    for (r, m) in pending.iter().zip(&mails) {
        let got = src.read(r).unwrap().raw;
        assert!(
            got == *m,
            "ticket {}: bytes differ:\n{}",
            r.key,
            String::from_utf8_lossy(&got)
        );
    }
}

/// A helpdesk that answers 500 or not at all: retried with backoff, then a
/// clear error; nothing on the ticket changes.
#[test]
fn failing_helpdesk_is_retried_then_reported() {
    // A stub that answers every request with 500 and counts them.
    let l500 = TcpListener::bind("127.0.0.1:0").unwrap();
    let port500 = l500.local_addr().unwrap().port();
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = counter.clone();
    std::thread::spawn(move || {
        for s in l500.incoming().take(50) {
            let Ok(mut s) = s else { continue };
            c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 65536];
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = s.read(&mut buf);
            let body = "<html>Internal Server Error</html>";
            let _ = write!(
                s,
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    // A stub that accepts and never answers.
    let lsilent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port_silent = lsilent.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in lsilent.incoming().take(20) {
            held.push(s);
        }
    });

    let cfg = |port: u16| {
        let mut c = RtConfig::new(
            &format!("rt://127.0.0.1:{port}/"),
            "Maintenance",
            RtAuth::Token("t".into()),
        )
        .unwrap();
        c.attempts = 3;
        c.backoff = Duration::from_millis(50);
        c.timeout = Duration::from_millis(700);
        c
    };
    let r = MessageRef {
        key: "1".into(),
        ticket_id: Some("1".into()),
    };
    let out = Outcome {
        label: Label::MaintParseSuccess,
        vendor: None,
        summary: "x".into(),
    };

    let mut s500 = RtSource::new(cfg(port500));
    let err = s500.pending().unwrap_err().to_string();
    assert!(
        err.contains("gave up after 3 attempts") && err.contains("HTTP 500"),
        "{err}"
    );
    // One attempt at a web session, then three REST2 attempts.
    assert_eq!(counter.load(std::sync::atomic::Ordering::SeqCst), 1 + 3);
    assert!(
        s500.record(&r, &out)
            .unwrap_err()
            .to_string()
            .contains("HTTP 500")
    );

    let mut silent = RtSource::new(cfg(port_silent));
    let t0 = Instant::now();
    let err = silent.read(&r).unwrap_err().to_string();
    assert!(
        err.contains("gave up after 3 attempts") && err.to_lowercase().contains("timeout"),
        "{err}"
    );
    assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());

    // Nothing listens: refused connections, retried, then reported.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = RtSource::new(cfg(closed))
        .pending()
        .unwrap_err()
        .to_string();
    assert!(err.contains("gave up after 3 attempts"), "{err}");
    assert!(!err.contains("token t"), "{err}");
}

/// RT stopping in the middle: the ticket stays pending and unlabelled, and is
/// processed once RT is back.
#[test]
fn rt_going_away_loses_nothing() {
    let Some(mut rt) = Rt::start("rt_going_away_loses_nothing") else {
        return;
    };
    rt.mail(&fixture("latin1-qp-alternative.eml"));
    let mut src = rt.token_source();
    let pending = src.pending().unwrap();
    assert_eq!(pending.len(), 1);
    let before = src.read(&pending[0]).unwrap();

    let status = Command::new("bash")
        .arg(script())
        .arg("stop")
        .arg(&rt.dir)
        .status()
        .unwrap();
    assert!(status.success());
    let mut cfg = src.config().clone();
    cfg.attempts = 2;
    cfg.backoff = Duration::from_millis(50);
    let mut down = RtSource::new(cfg);
    let out = Outcome {
        label: Label::MaintParseSuccess,
        vendor: Some("x".into()),
        summary: "stored".into(),
    };
    let err = down.record(&pending[0], &out).unwrap_err().to_string();
    assert!(err.contains("gave up after 2 attempts"), "{err}");
    assert!(down.pending().is_err());

    // The same database under a new server (and port).
    rt.restart();
    let mut src = rt.token_source();
    assert_eq!(
        src.pending().unwrap(),
        pending,
        "still pending after the failed update"
    );
    assert_eq!(src.read(&pending[0]).unwrap().raw, before.raw);
    assert!(rt.comments(&pending[0].key).is_empty());
    src.record(&pending[0], &out).unwrap();
    assert_eq!(label(&rt.ticket(&pending[0].key)), ["MaintParseSuccess"]);
    assert!(src.pending().unwrap().is_empty());
}

fn b64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() {
                T[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

fn unb64(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
