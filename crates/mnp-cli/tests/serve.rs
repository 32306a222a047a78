//! End-to-end tests of `mnp serve`: the real binary on a free loopback port,
//! a real SQLite database prepared with `mnp db init`, `mnp db seed` and
//! `mnp ingest`, and real HTTP requests from a tiny HTTP/1.1 client. Every
//! server is stopped with SIGTERM and must exit 0.
#![allow(clippy::print_stderr)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use mnp_testkit::http::Response as Resp;
use mnp_testkit::serve::Serve;
use serde_json::Value;

const TOKEN: &str = "s3cret-token-for-tests";

/// The binary with the environment of whoever runs the tests kept out
fn mnp() -> Command {
    mnp_testkit::clean_command(env!("CARGO_BIN_EXE_mnp"))
}

fn corpus(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(p)
}

fn tmpdir(name: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-serve-test", name)
}

fn mnp_ok(dir: &Path, args: &[&str]) -> String {
    mnp_testkit::run_ok(mnp().current_dir(dir), args)
}

/// A database with the demo network; with `ingest`, also the whole corpus.
fn database(dir: &Path, ingest: bool) -> String {
    let db = format!("sqlite:{}", dir.join("mnp.db").display());
    mnp_ok(dir, &["--database", &db, "db", "init"]);
    mnp_ok(dir, &["--database", &db, "db", "seed"]);
    if ingest {
        let src = format!("files:{}", corpus("").display());
        let out = mnp_ok(dir, &["--database", &db, "ingest", "--source", &src]);
        assert!(out.contains("MaintParseSuccess="), "{out}");
    }
    db
}

// ---------------------------------------------------------------- HTTP (mnp_testkit::http)

trait Json {
    /// The body as JSON; the content type must say so.
    fn json(&self) -> Value;
}

impl Json for Resp {
    fn json(&self) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{}",
            self.text()
        );
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One request; a body with `Content-Length` must arrive whole.
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let r = mnp_testkit::http::request(addr, method, path, headers, body);
    r.assert_complete();
    r
}

// ---------------------------------------------------------------- the server under test

struct Server(Serve);

impl std::ops::Deref for Server {
    type Target = Serve;
    fn deref(&self) -> &Serve {
        &self.0
    }
}

impl Server {
    /// `mnp -v --database DB serve --listen 127.0.0.1:0 ARGS…`, waiting for
    /// the "listening on" line to learn the port.
    fn start(dir: &Path, db: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let n = std::fs::read_dir(dir).unwrap().count();
        let log = dir.join(format!("serve-{n}.log"));
        let started = Instant::now();
        let s = Serve::start(
            mnp()
                .current_dir(dir)
                .args(["-v", "--database", db, "serve", "--listen", "127.0.0.1:0"])
                .args(args)
                .envs(env.iter().copied()),
            log,
        );
        eprintln!("mnp serve up on {} after {:?}", s.addr, started.elapsed());
        Server(s)
    }

    fn get(&self, path: &str) -> Resp {
        http(&self.addr, "GET", path, &[], b"")
    }

    fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        http(&self.addr, "POST", path, headers, body)
    }

    /// SIGTERM, then wait for the exit.
    fn stop(self) -> ExitStatus {
        self.0.stop(Duration::from_secs(20))
    }

    fn stop_ok(self) {
        let log = self.0.log.clone();
        let st = self.stop();
        let log = std::fs::read_to_string(log).unwrap_or_default();
        assert!(
            st.success(),
            "mnp serve exited with {st:?} on SIGTERM\n{log}"
        );
        assert!(log.contains("SIGTERM: shutting down"), "{log}");
    }
}

fn events(s: &Server, query: &str) -> Vec<Value> {
    let r = s.get(&format!("/api/v1/maintenances{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.json().as_array().unwrap().clone()
}

fn str_of<'a>(e: &'a Value, k: &str) -> &'a str {
    e[k].as_str()
        .unwrap_or_else(|| panic!("{k} missing in {e}"))
}

// ---------------------------------------------------------------- tests

#[test]
fn healthz_and_maintenance_filters() {
    let dir = tmpdir("read");
    let db = database(&dir, true);
    let s = Server::start(&dir, &db, &[], &[]);

    let h = s.get("/healthz");
    assert_eq!(h.status, 200, "{}", h.text());
    let h = h.json();
    assert_eq!(h["status"], "ok");
    assert_eq!(
        h["schemaVersion"].as_i64(),
        Some(mnp_store::schema::MIGRATIONS.len() as i64)
    );

    // vendor filter: PWIC20871 with its three circuits and one window
    let fiber = events(&s, "?vendor=fiberprovider");
    assert!(fiber.iter().all(|e| e["vendorId"] == "fiberprovider"));
    let pw: Vec<&Value> = fiber
        .iter()
        .filter(|e| e["vendorMaintenanceId"] == "PWIC20871")
        .collect();
    let circuits: Vec<&str> = pw
        .iter()
        .map(|e| str_of(e, "parsedVendorCircuitId"))
        .collect();
    assert_eq!(circuits, ["IC-40211", "IC-40388", "IC-40390"]);
    for e in &pw {
        assert_eq!(e["beginWindow"], "2024-05-15T04:00:00Z");
        assert_eq!(e["endWindow"], "2024-05-15T10:00:00Z");
        assert_eq!(e["status"], "CONFIRMED");
        assert!(
            e["internalCircuitId"].is_string(),
            "seeded circuit not matched: {e}"
        );
        assert_eq!(e["current"], true);
    }
    let all = events(&s, "");
    assert!(all.len() > fiber.len());
    assert!(all.iter().any(|e| e["vendorId"] != "fiberprovider"));

    // status filter (case-insensitive), alone and combined with vendor
    let cancelled = events(&s, "?status=cancelled");
    assert!(!cancelled.is_empty());
    assert!(cancelled.iter().all(|e| e["status"] == "CANCELLED"));
    assert!(cancelled.iter().any(|e| e["vendorId"] != "fiberprovider"));
    let fc = events(&s, "?vendor=fiberprovider&status=CANCELLED");
    assert!(
        fc.iter()
            .all(|e| e["status"] == "CANCELLED" && e["vendorId"] == "fiberprovider")
    );
    assert!(fc.iter().any(|e| e["vendorMaintenanceId"] == "PWIC20955"));
    assert!(
        events(&s, "?vendor=fiberprovider&status=confirmed")
            .iter()
            .all(|e| e["status"] == "CONFIRMED")
    );

    // circuit, customer
    let c = events(&s, "?circuit=IC-40388");
    assert!(!c.is_empty() && c.iter().all(|e| e["parsedVendorCircuitId"] == "IC-40388"));
    assert!(c.iter().any(|e| e["vendorMaintenanceId"] == "PWIC20871"));
    let internal = str_of(pw[1], "internalCircuitId");
    assert_eq!(events(&s, &format!("?circuit={internal}")), c);
    let cust = events(&s, "?customer=lakeside-isp");
    assert!(cust.iter().any(|e| e["vendorMaintenanceId"] == "PWIC20871"));
    assert!(cust.iter().all(|e| e["internalCircuitId"].is_string()));

    // from/to: windows overlapping the interval (and windowless notices)
    let w = events(
        &s,
        "?vendor=fiberprovider&from=2024-05-15T09:00:00Z&to=2024-05-15T09:30:00%2B00:00",
    );
    assert_eq!(
        w.iter()
            .filter(|e| e["vendorMaintenanceId"] == "PWIC20871")
            .count(),
        3
    );
    for e in &w {
        if let (Some(b), Some(en)) = (e["beginWindow"].as_str(), e["endWindow"].as_str()) {
            assert!(
                b < "2024-05-15T09:30:00Z" && en > "2024-05-15T09:00:00Z",
                "{e}"
            );
        }
    }
    assert!(w.iter().all(|e| e["vendorMaintenanceId"] != "PWIC21410"));
    assert_eq!(
        events(&s, "?vendor=fiberprovider&from=2024-05-15&to=2024-05-16"),
        w
    );
    assert!(
        events(&s, "?vendor=fiberprovider&from=2030-01-01")
            .iter()
            .all(|e| e["beginWindow"].is_null())
    );
    // empty values mean no filter
    assert_eq!(events(&s, "?vendor=fiberprovider&status=&from="), fiber);

    // bad parameters: 400 naming the parameter
    for (q, param) in [
        ("?from=yesterday", "from"),
        ("?to=2024-13-01", "to"),
        ("?from=2024-05-16&to=2024-05-15", "from"),
        ("?status=postponed", "status"),
        ("?vendr=zayo", "vendr"),
        ("?vendor=a&vendor=b", "vendor"),
    ] {
        for path in ["/api/v1/maintenances", "/api/v1/maintenances.ics"] {
            let r = s.get(&format!("{path}{q}"));
            assert_eq!(r.status, 400, "{path}{q}: {}", r.text());
            let j = r.json();
            assert_eq!(j["parameter"], param, "{q}: {j}");
            assert!(str_of(&j, "error").contains(&format!("`{param}`")), "{j}");
        }
    }

    // unknown route / method: JSON errors
    let r = s.get("/api/v1/nothing");
    assert_eq!(r.status, 404);
    assert!(r.json()["routes"].as_array().unwrap().len() >= 5);
    assert_eq!(s.post("/api/v1/maintenances", &[], b"").status, 405);

    let log = s.log();
    assert!(
        log.contains("method=GET path=/healthz status=200"),
        "requests are not logged:\n{log}"
    );
    assert!(
        log.contains("path=/api/v1/maintenances status=400"),
        "{log}"
    );
    s.stop_ok();
}

#[test]
fn ics_feed_reads_back_with_the_bcop_parser() {
    let dir = tmpdir("ics");
    let db = database(&dir, true);
    let s = Server::start(&dir, &db, &[], &[]);
    for query in ["?vendor=fiberprovider", ""] {
        let r = s.get(&format!("/api/v1/maintenances.ics{query}"));
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(
            r.header("content-type")
                .unwrap()
                .starts_with("text/calendar")
        );
        let text = r.text();
        let parsed = mnp_parsers::vendors::bcop::parse_calendar_text(&text)
            .unwrap_or_else(|e| panic!("feed does not parse back: {e}\n{text}"));
        // the same windows as the JSON answer (which also has windowless rows)
        let from_ics: BTreeSet<(String, String, String)> = parsed
            .iter()
            .map(|m| {
                let w = m.window.expect("a calendar entry has a window");
                (
                    m.maintenance_id.clone(),
                    w.begin().to_rfc3339(),
                    w.end().to_rfc3339(),
                )
            })
            .collect();
        let from_json: BTreeSet<(String, String, String)> = events(&s, query)
            .iter()
            .filter(|e| e["beginWindow"].is_string())
            .map(|e| {
                let t = |k: &str| {
                    chrono::DateTime::parse_from_rfc3339(str_of(e, k))
                        .unwrap()
                        .to_rfc3339()
                };
                (
                    str_of(e, "vendorMaintenanceId").to_string(),
                    t("beginWindow"),
                    t("endWindow"),
                )
            })
            .collect();
        assert_eq!(from_ics, from_json, "{query}");
        assert_eq!(parsed.len(), from_json.len());
        if query.contains("fiberprovider") {
            let m = parsed
                .iter()
                .find(|m| m.maintenance_id == "PWIC20871")
                .unwrap();
            let w = m.window.unwrap();
            assert_eq!(w.begin().to_rfc3339(), "2024-05-15T04:00:00+00:00");
            assert_eq!(w.end().to_rfc3339(), "2024-05-15T10:00:00+00:00");
            let ids: Vec<&str> = m
                .circuits
                .iter()
                .map(|c| c.vendor_circuit_id.as_str())
                .collect();
            assert_eq!(ids, ["IC-40211", "IC-40388", "IC-40390"]);
            assert_eq!(m.provider, "fiberprovider");
            assert!(parsed.iter().all(|m| m.provider == "fiberprovider"));
        }
    }
    s.stop_ok();
}

#[test]
fn openapi_document_lists_every_route() {
    let dir = tmpdir("openapi");
    let db = database(&dir, true);
    let s = Server::start(&dir, &db, &["--token", TOKEN], &[]);
    let doc = s.get("/api/v1/openapi.json").json();
    assert!(str_of(&doc, "openapi").starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in [
        ("get", "/healthz"),
        ("get", "/api/v1/maintenances"),
        ("get", "/api/v1/maintenances.ics"),
        ("post", "/api/v1/helpdesk/webhook"),
        ("get", "/api/v1/openapi.json"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} not in the document"
        );
    }
    // and every operation the document lists is answered (not 404/405)
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let r = http(&s.addr, &method.to_ascii_uppercase(), path, &[], b"");
            assert!(
                r.status != 404 && r.status != 405,
                "{method} {path} → {}",
                r.status
            );
        }
    }
    // the documented event schema is what the service sends
    let props: BTreeSet<&String> = doc["components"]["schemas"]["ForecastEvent"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let ev = events(&s, "?vendor=fiberprovider");
    let sent: BTreeSet<&String> = ev[0].as_object().unwrap().keys().collect();
    assert_eq!(props, sent);
    s.stop_ok();
}

const UNKNOWN_VENDOR_MAIL: &str = "From: Operations <ops@unheard-of-carrier.example>\r\n\
To: noc@lakeside-isp.example\r\n\
Subject: Scheduled works on your service\r\n\
Date: Mon, 03 Jun 2024 09:00:00 +0000\r\n\
Message-ID: <works-77@unheard-of-carrier.example>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Dear customer, we will carry out works on 2024-06-10 between 01:00 and 05:00 UTC.\r\n";

#[test]
fn webhook_ingests_the_named_ticket() {
    let dir = tmpdir("webhook");
    let db = database(&dir, false);
    let hd = dir.join("helpdesk");
    std::fs::create_dir_all(&hd).unwrap();
    std::fs::copy(
        corpus("fiberprovider/2024-05-two-circuits-cdt.eml"),
        hd.join("4711.eml"),
    )
    .unwrap();
    std::fs::copy(
        corpus("cogent/2024-06-planned-chicago.eml"),
        hd.join("4712.eml"),
    )
    .unwrap();
    std::fs::write(hd.join("4713.eml"), UNKNOWN_VENDOR_MAIL).unwrap();
    let spec = format!("dir:{}", hd.display());
    let s = Server::start(&dir, &db, &["--token", TOKEN, "--helpdesk", &spec], &[]);
    const HOOK: &str = "/api/v1/helpdesk/webhook";
    let bearer = format!("Bearer {TOKEN}");
    let auth = ("Authorization", bearer.as_str());
    let json_ct = ("Content-Type", "application/json");

    // 401: no token, wrong token, a prefix of it, another scheme
    let wrong_prefix = format!("Bearer {}", &TOKEN[..TOKEN.len() - 1]);
    for h in [
        vec![json_ct],
        vec![json_ct, ("Authorization", "Bearer nope")],
        vec![json_ct, ("Authorization", wrong_prefix.as_str())],
        vec![json_ct, ("Authorization", "Basic czNjcmV0")],
    ] {
        let r = s.post(HOOK, &h, br#"{"ticketId":"4711"}"#);
        assert_eq!(r.status, 401, "{h:?}: {}", r.text());
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        assert!(r.json()["error"].is_string());
    }
    assert!(
        hd.join("4711.eml").exists(),
        "an unauthorised call ingested the ticket"
    );

    // 400: bad bodies
    for (ct, body) in [
        (json_ct, &b"{\"ticketId\": "[..]),
        (json_ct, &br#"{"id": "4711"}"#[..]),
        (json_ct, &br#"{"ticketId": ["4711"]}"#[..]),
        (json_ct, &br#"{"ticketId": "../../etc/passwd"}"#[..]),
        (json_ct, &b""[..]),
        (
            ("Content-Type", "application/x-www-form-urlencoded"),
            &b"queue=noc"[..],
        ),
    ] {
        let r = s.post(HOOK, &[auth, ct], body);
        assert_eq!(
            r.status,
            400,
            "{}: {}",
            String::from_utf8_lossy(body),
            r.text()
        );
        assert!(r.json()["error"].is_string());
    }

    // 413: more than 64 KiB
    let mut big = br#"{"ticketId":"4711","padding":""#.to_vec();
    big.resize(100 * 1024, b'x');
    big.extend_from_slice(b"\"}");
    let r = s.post(HOOK, &[auth, json_ct], &big);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(hd.join("4711.eml").exists());

    // 200: the ticket is fetched, parsed, stored and labelled at the source
    let r = s.post(HOOK, &[auth, json_ct], br#"{"ticketId":"4711"}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["ticketId"], "4711");
    assert_eq!(j["label"], "MaintParseSuccess", "{j}");
    assert_eq!(j["vendor"], "fiberprovider");
    assert_eq!(j["stored"], 1);
    assert_eq!(j["duplicate"], false);
    assert!(str_of(&j, "summary").contains("PWIC20871"), "{j}");
    assert!(!hd.join("4711.eml").exists());
    assert!(
        hd.join("processed/MaintParseSuccess/4711.eml").exists(),
        "label not recorded at the source"
    );
    let ev = events(&s, "?vendor=fiberprovider");
    assert_eq!(ev.len(), 3);
    assert!(
        ev.iter()
            .all(|e| e["notificationHelpdeskTicketId"] == "4711"),
        "{ev:?}"
    );
    assert!(ev.iter().all(|e| e["vendorMaintenanceId"] == "PWIC20871"));

    // form body, and JSON with `ticket` as a number
    let r = s.post(
        HOOK,
        &[auth, ("Content-Type", "application/x-www-form-urlencoded")],
        b"queue=noc&ticket=4712",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["vendor"], "cogent", "{j}");
    let label = str_of(&j, "label").to_string();
    assert!(
        hd.join("processed").join(&label).join("4712.eml").exists(),
        "{j}"
    );
    assert!(
        events(&s, "?vendor=cogent")
            .iter()
            .all(|e| e["notificationHelpdeskTicketId"] == "4712")
    );

    let r = s.post(HOOK, &[auth, json_ct], br#"{"ticket": 4713}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["label"], "MaintUnknownVendor", "{j}");
    // a failure stays for a human: the file stays, its label beside it
    assert!(hd.join("4713.eml").exists());
    assert!(
        std::fs::read_to_string(hd.join("4713.eml.label"))
            .unwrap()
            .starts_with("MaintUnknownVendor")
    );

    // nothing pending under these ids any more; unknown ids are 404 too
    for id in ["4711", "4713", "9999"] {
        let r = s.post(
            HOOK,
            &[auth, json_ct],
            format!(r#"{{"ticketId":"{id}"}}"#).as_bytes(),
        );
        assert_eq!(r.status, 404, "{id}: {}", r.text());
        assert_eq!(r.json()["ticketId"], id);
    }
    // independent read: what the database holds, through the CLI
    let out = mnp_ok(
        &dir,
        &[
            "--database",
            &db,
            "maintenances",
            "list",
            "--format",
            "json",
        ],
    );
    let stored: Vec<Value> = serde_json::from_str(&out).unwrap();
    let tickets: BTreeSet<&str> = stored
        .iter()
        .filter_map(|e| e["notificationHelpdeskTicketId"].as_str())
        .collect();
    assert_eq!(tickets, BTreeSet::from(["4711", "4712"]));

    let log = s.log();
    assert!(!log.contains(TOKEN), "the token is logged");
    s.stop_ok();
}

#[test]
fn webhook_disabled_or_helpdesk_failing() {
    let dir = tmpdir("webhook-off");
    let db = database(&dir, false);
    let body = br#"{"ticketId":"1"}"#;
    const HOOK: &str = "/api/v1/helpdesk/webhook";
    let bearer = format!("Bearer {TOKEN}");

    // no token configured: disabled
    let s = Server::start(&dir, &db, &["--helpdesk", "dir:/nonexistent"], &[]);
    let r = s.post(HOOK, &[("Authorization", &bearer)], body);
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(str_of(&r.json(), "error").contains("MNP_API_TOKEN"));
    s.stop_ok();

    // token but no helpdesk: disabled
    let s = Server::start(&dir, &db, &["--token", TOKEN], &[]);
    let r = s.post(HOOK, &[("Authorization", &bearer)], body);
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(str_of(&r.json(), "error").contains("MNP_HELPDESK"));
    s.stop_ok();

    // both from the environment; the helpdesk fails → 502 with its error
    let s = Server::start(
        &dir,
        &db,
        &[],
        &[
            ("MNP_API_TOKEN", TOKEN),
            ("MNP_HELPDESK", "dir:/nonexistent/helpdesk"),
        ],
    );
    assert_eq!(
        s.post(HOOK, &[("Authorization", "Bearer other")], body)
            .status,
        401
    );
    let r = s.post(HOOK, &[("Authorization", &bearer)], body);
    assert_eq!(r.status, 502, "{}", r.text());
    let e = r.json();
    assert!(
        str_of(&e, "error").contains("/nonexistent/helpdesk")
            && str_of(&e, "error").contains("not a directory"),
        "{e}"
    );
    assert_eq!(e["ticketId"], "1");
    s.stop_ok();
}

#[test]
fn healthz_is_503_while_the_database_is_unreachable() {
    let dir = tmpdir("nodb");
    // a closed port: bind, note, release
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let missing = format!("sqlite:{}", dir.join("no/such/dir/mnp.db").display());
    let pg = format!("postgres://mnp@127.0.0.1:{port}/mnp?connect_timeout=5");
    for db in [missing.as_str(), pg.as_str()] {
        let s = Server::start(&dir, db, &[], &[]);
        let r = s.get("/healthz");
        assert_eq!(r.status, 503, "{db}: {}", r.text());
        let j = r.json();
        assert_eq!(j["status"], "unavailable");
        assert!(str_of(&j, "error").contains("database"), "{j}");
        assert_eq!(s.get("/api/v1/maintenances").status, 503);
        // the rest of the service still answers
        assert_eq!(s.get("/api/v1/openapi.json").status, 200);
        s.stop_ok();
    }

    // and recovers once the database is there, without a restart
    std::fs::create_dir_all(dir.join("later")).unwrap();
    let later = format!("sqlite:{}", dir.join("later/sub/mnp.db").display());
    let s = Server::start(&dir, &later, &[], &[]);
    assert_eq!(s.get("/healthz").status, 503);
    std::fs::create_dir_all(dir.join("later/sub")).unwrap();
    let h = s.get("/healthz");
    assert_eq!(h.status, 200, "{}", h.text());
    s.stop_ok();
}

#[test]
fn startup_errors_exit_2() {
    let dir = tmpdir("badargs");
    for (args, needle) in [
        (
            vec!["serve", "--listen", "not-an-address"],
            "cannot listen on not-an-address",
        ),
        (
            vec!["serve", "--helpdesk", "carrier-pigeon:coop"],
            "--helpdesk",
        ),
    ] {
        let out = mnp().current_dir(&dir).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // a port already taken
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = mnp()
        .current_dir(&dir)
        .args(["serve", "--listen", &addr])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
