//! Crash safety with real process kills: `mnp ingest` is killed with
//! SIGKILL at pseudo-random moments while it works through thousands of
//! mails, then restarted until a run completes. Afterwards every message is
//! stored exactly once, labelled, moved out of the inbox, and every
//! maintenance has exactly its one set of forecast events: nothing lost,
//! nothing duplicated. Runs on SQLite, and on PostgreSQL when
//! `MNP_TEST_POSTGRES_URL` is set.
#![allow(clippy::print_stderr)] // skip notes and measurements are for the test log

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MAILS: usize = 2000;

fn mail(i: usize) -> String {
    format!(
        "From: Fiber Provider <noc@fiberprovider.com>\r\nTo: netops@lakeside-isp.example\r\n\
Subject: Planned Work PWCR{i:05} Notification from Fiber Provider to Lakeside ISP\r\n\
Date: Tue, 30 Apr 2024 16:20:00 -0500\r\nMessage-ID: <pwcr{i:05}.1@fiberprovider.com>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\n\
PLANNED WORK (PW) Notification from Fiber Provider\r\n\r\nCustomer: Lakeside ISP\r\n\
PW Reference number: PWCR{i:05}\r\n\
Start Date and Time: 2024-May-14 23:00 CDT\r\nEnd Date and Time: 2024-May-15 05:00 CDT\r\n\
Action and Reason: Crash test {i}.\r\n\r\nService ID: IC-{i:05}\r\nImpact: 1 x 30 minutes interruption\r\n"
    )
}

fn tmpdir(tag: &str) -> PathBuf {
    mnp_testkit::tmpdir("mnp-crash", tag)
}

fn count_eml(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

fn crash_and_recover(db_url: &str, tag: &str) {
    let inbox = tmpdir(tag);
    for i in 0..MAILS {
        std::fs::write(inbox.join(format!("{i:05}.eml")), mail(i)).unwrap();
    }
    let mnp = env!("CARGO_BIN_EXE_mnp");
    let init = Command::new(mnp)
        .args(["db", "init", "--database", db_url])
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    // xorshift: deterministic kill delays between 40 and 400 ms
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut kills = 0;
    let started = Instant::now();
    loop {
        let mut child = Command::new(mnp)
            .args([
                "ingest",
                "--once",
                "--source",
                &format!("dir:{}", inbox.display()),
                "--database",
                db_url,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(40 + seed % 360);
        let deadline = Instant::now() + delay;
        let mut finished = None;
        while Instant::now() < deadline {
            if let Some(st) = child.try_wait().unwrap() {
                finished = Some(st);
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        match finished {
            Some(st) => {
                let err = child.wait_with_output().unwrap().stderr;
                assert!(
                    st.success(),
                    "ingest failed after {kills} kills: {}",
                    String::from_utf8_lossy(&err)
                );
                if count_eml(&inbox) == 0 {
                    break;
                }
            }
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "no progress after {kills} kills"
        );
    }
    assert!(
        kills >= 3,
        "the test must really kill the ingest several times (killed {kills} times)"
    );

    // Nothing left in the inbox, every mail moved exactly once.
    assert_eq!(count_eml(&inbox), 0);
    let moved = count_eml(&inbox.join("processed/MaintUnknownCircuit"));
    assert_eq!(moved, MAILS, "every mail is in processed/ exactly once");

    // The database agrees: one notification per mail, none pending,
    // one maintenance per mail, one current forecast event per maintenance.
    let mut store = mnp_store::Store::open(db_url).unwrap();
    let ns = store.notifications(None).unwrap();
    assert_eq!(ns.len(), MAILS, "one notification per mail ({kills} kills)");
    assert!(
        ns.iter().all(|n| n.label == "MaintUnknownCircuit"),
        "no half-processed notification"
    );
    let mut shas: Vec<&str> = ns.iter().map(|n| n.sha256.as_str()).collect();
    shas.sort_unstable();
    shas.dedup();
    assert_eq!(shas.len(), MAILS);
    assert_eq!(store.maintenances().unwrap().len(), MAILS);
    let events = store
        .forecast_events(&mnp_store::ForecastFilter::default())
        .unwrap();
    assert_eq!(
        events.len(),
        MAILS,
        "one current event per maintenance, none duplicated"
    );
    let all = store
        .forecast_events(&mnp_store::ForecastFilter {
            include_history: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        all.len(),
        MAILS,
        "no orphan events from interrupted transactions"
    );
    eprintln!(
        "{tag}: {MAILS} mails survived {kills} SIGKILLs in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn sqlite_survives_sigkill() {
    let d = tmpdir("sqlite-db");
    crash_and_recover(&format!("sqlite:{}", d.join("mnp.db").display()), "sqlite");
}

#[test]
fn postgres_survives_sigkill() {
    let Some(base) = mnp_testkit::postgres_base_url() else {
        eprintln!(
            "SKIPPED postgres_survives_sigkill: MNP_TEST_POSTGRES_URL is not set (.ci/run sets it)"
        );
        return;
    };
    let url = mnp_testkit::create_database(&base, &mnp_testkit::unique_name("mnp_crash"));
    crash_and_recover(&url, "postgres");
}
