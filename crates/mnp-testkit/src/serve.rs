//! `mnp serve` as a child process of a test.
//!
//! The server is started on `--listen 127.0.0.1:0` so parallel tests never
//! fight over a port; it prints `listening on http://ADDR` as its first line
//! on stdout, which is how the test learns the port. It is stopped with
//! SIGTERM (the way an init system stops it) and killed if a test panics
//! before that.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A running server. Dropping it without [`Serve::stop`] kills it.
#[derive(Debug)]
pub struct Serve {
    /// `host:port` from the `listening on http://` line.
    pub addr: String,
    /// The file its stderr goes to.
    pub log: PathBuf,
    child: Child,
    stopped: bool,
}

impl Serve {
    /// Spawns `cmd` (the whole `mnp … serve --listen 127.0.0.1:0 …`
    /// command line) with stdin closed, stderr into `log` and stdout read
    /// for its first line, which must be `listening on http://ADDR` within
    /// 30 s; otherwise the child is killed and the test panics with that
    /// line and the log.
    pub fn start(cmd: &mut Command, log: PathBuf) -> Serve {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        // a thread, so that a server that never prints cannot hang the test
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "mnp serve did not start: {line:?}\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        };
        Serve {
            addr: addr.to_string(),
            log,
            child,
            stopped: false,
        }
    }

    /// What the server has written to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits up to `within` for the exit; panics (with
    /// the log) when the server is still running then.
    pub fn stop(mut self, within: Duration) -> ExitStatus {
        self.stopped = true;
        // the shell's builtin kill: no libc binding, no /bin/kill needed
        let kill = format!("kill -TERM {}", self.child.id());
        assert!(
            Command::new("sh")
                .args(["-c", &kill])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + within;
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("mnp serve did not stop on SIGTERM\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if !self.stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
