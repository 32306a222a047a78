//! Where mails come from on the command line: files, directories
//! (recursive), mbox files and stdin — produced lazily so memory does not
//! grow with the number of mails.

use std::collections::VecDeque;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One mail to parse: where it came from and its bytes (or why it could not be read).
pub struct Item {
    /// `path`, `path#N` for the N-th message of an mbox, or `-` for stdin.
    pub source: String,
    pub bytes: io::Result<Vec<u8>>,
}

/// Files a directory walk picks up.
fn is_mail_file(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("eml" | "mbox" | "msg" | "mail")
    )
}

/// A lazy iterator over every mail named by `paths`.
pub struct Inputs {
    pending: VecDeque<PathBuf>,
    queue: VecDeque<Item>,
    stdin_done: bool,
}

impl Inputs {
    pub fn new(paths: &[PathBuf]) -> Inputs {
        let pending: VecDeque<PathBuf> = if paths.is_empty() {
            [PathBuf::from("-")].into()
        } else {
            paths.iter().cloned().collect()
        };
        Inputs {
            pending,
            queue: VecDeque::new(),
            stdin_done: false,
        }
    }

    fn expand(&mut self, path: PathBuf) {
        if path.as_os_str() == "-" {
            if self.stdin_done {
                return;
            }
            self.stdin_done = true;
            let mut buf = Vec::new();
            match io::stdin().lock().read_to_end(&mut buf) {
                Ok(_) => self.push_bytes("-".into(), buf),
                Err(e) => self.queue.push_back(Item {
                    source: "-".into(),
                    bytes: Err(e),
                }),
            }
            return;
        }
        match fs::metadata(&path) {
            Ok(md) if md.is_dir() => match fs::read_dir(&path) {
                Ok(rd) => {
                    let mut children: Vec<PathBuf> =
                        rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    // depth-first, in name order
                    for c in children.into_iter().rev() {
                        let hidden = c
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('.'));
                        if hidden {
                            continue;
                        }
                        if c.is_dir() || is_mail_file(&c) {
                            self.pending.push_front(c);
                        }
                    }
                }
                Err(e) => self.queue.push_back(Item {
                    source: path.display().to_string(),
                    bytes: Err(e),
                }),
            },
            Ok(_) => {
                let src = path.display().to_string();
                match fs::read(&path) {
                    Ok(b) => self.push_bytes(src, b),
                    Err(e) => self.queue.push_back(Item {
                        source: src,
                        bytes: Err(e),
                    }),
                }
            }
            Err(e) => self.queue.push_back(Item {
                source: path.display().to_string(),
                bytes: Err(e),
            }),
        }
    }

    fn push_bytes(&mut self, source: String, bytes: Vec<u8>) {
        if is_mbox(&bytes) {
            for (i, m) in split_mbox(&bytes).into_iter().enumerate() {
                self.queue.push_back(Item {
                    source: format!("{source}#{}", i + 1),
                    bytes: Ok(m),
                });
            }
        } else {
            self.queue.push_back(Item {
                source,
                bytes: Ok(bytes),
            });
        }
    }
}

impl Iterator for Inputs {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(i) = self.queue.pop_front() {
                return Some(i);
            }
            let p = self.pending.pop_front()?;
            self.expand(p);
        }
    }
}

/// An mbox starts with a `From ` separator line.
pub fn is_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// Split an mbox (mboxrd/mboxo) into messages, undoing `>From ` quoting.
pub use mnp_ingest::sources::dir::split_mbox;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbox_split_and_unquote() {
        let mb = b"From a@b Mon Jan 1 00:00:00 2024\nSubject: one\n\n>From here\n\nFrom c@d Mon Jan 1 00:00:00 2024\nSubject: two\n\nx\n";
        let msgs = split_mbox(mb);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0], b"Subject: one\n\nFrom here\n\n");
        assert_eq!(msgs[1], b"Subject: two\n\nx\n");
    }
}
