//! File-system sources: a directory of `.eml` files, an mbox file, a Maildir.
//!
//! * **Directory** (`dir:PATH`): every `*.eml` directly in `PATH` is pending.
//!   Recording moves the file to `PATH/processed/<Label>/`, except for labels
//!   that need a human, which leave the file where it is (the dead-letter
//!   queue is the folder itself) and write `NAME.eml.label` beside it.
//! * **mbox** (`mbox:PATH`): read-only; every message is pending on every run
//!   and idempotency (Message-ID / SHA-256) keeps re-runs harmless. Outcomes
//!   live in the database only.
//! * **Maildir** (`maildir:PATH`): messages in `new/` and unflagged ones in
//!   `cur/` are pending. Recording moves the message to `cur/` with the
//!   Maildir info flags `:2,S` (seen) for handled mail, or `:2,F` (flagged,
//!   left unseen) for mail that needs a human — a mail client shows the
//!   dead-letter queue as flagged messages.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::source::{Message, MessageRef, Outcome, Source};
use crate::{Error, Result};

fn io(path: &Path, err: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        err,
    }
}

fn mtime(p: &Path) -> Option<DateTime<Utc>> {
    fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .map(DateTime::<Utc>::from)
}

/// A file's handle: its path is the key.
fn file_ref(p: PathBuf) -> MessageRef {
    MessageRef {
        key: p.display().to_string(),
        ticket_id: None,
    }
}

/// Read the file a handle names (the file sources all key by path).
fn read_file(r: &MessageRef) -> Result<Message> {
    let p = PathBuf::from(&r.key);
    let raw = fs::read(&p).map_err(|e| io(&p, e))?;
    Ok(Message {
        r#ref: r.clone(),
        raw,
        received_at: mtime(&p),
        origin: r.key.clone(),
    })
}

fn sorted_files(dir: &Path, pred: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir, e)),
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && pred(p))
        .collect();
    v.sort();
    Ok(v)
}

/// A directory of `.eml` files.
pub struct DirSource {
    root: PathBuf,
}

impl DirSource {
    /// Watch `root`.
    pub fn new(root: impl Into<PathBuf>) -> DirSource {
        DirSource { root: root.into() }
    }
}

impl Source for DirSource {
    fn describe(&self) -> String {
        format!("dir:{}", self.root.display())
    }
    fn pending(&mut self) -> Result<Vec<MessageRef>> {
        if !self.root.is_dir() {
            return Err(Error::Source {
                source_name: self.describe(),
                reason: "not a directory".into(),
            });
        }
        Ok(sorted_files(&self.root, |p| {
            p.extension().is_some_and(|e| e == "eml") && !p.with_extension("eml.label").exists()
        })?
        .into_iter()
        .map(file_ref)
        .collect())
    }
    fn read(&mut self, r: &MessageRef) -> Result<Message> {
        read_file(r)
    }
    fn record(&mut self, r: &MessageRef, outcome: &Outcome) -> Result<()> {
        let p = PathBuf::from(&r.key);
        if outcome.label.needs_human() {
            let note = p.with_extension("eml.label");
            return fs::write(&note, format!("{}\n{}\n", outcome.label, outcome.summary))
                .map_err(|e| io(&note, e));
        }
        let dest_dir = self.root.join("processed").join(outcome.label.as_str());
        fs::create_dir_all(&dest_dir).map_err(|e| io(&dest_dir, e))?;
        let name = p.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        let dest = dest_dir.join(name);
        fs::rename(&p, &dest).map_err(|e| io(&p, e))
    }
}

/// An mbox file (read-only).
pub struct MboxSource {
    path: PathBuf,
    messages: Vec<Vec<u8>>,
}

impl MboxSource {
    /// Read `path`.
    pub fn new(path: impl Into<PathBuf>) -> MboxSource {
        MboxSource {
            path: path.into(),
            messages: Vec::new(),
        }
    }
}

/// Split an mbox (mboxrd/mboxo) into messages, undoing `>From ` quoting.
pub fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut cur: Option<Vec<u8>> = None;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"From ") {
            if let Some(m) = cur.take() {
                out.push(m);
            }
            cur = Some(Vec::new());
            continue;
        }
        let Some(m) = cur.as_mut() else { continue };
        let n = line.iter().take_while(|b| **b == b'>').count();
        let unquoted = if n > 0 && line.get(n..).is_some_and(|r| r.starts_with(b"From ")) {
            line.get(1..).unwrap_or(line)
        } else {
            line
        };
        m.extend_from_slice(unquoted);
    }
    if let Some(m) = cur {
        out.push(m);
    }
    out
}

impl Source for MboxSource {
    fn describe(&self) -> String {
        format!("mbox:{}", self.path.display())
    }
    fn pending(&mut self) -> Result<Vec<MessageRef>> {
        let bytes = fs::read(&self.path).map_err(|e| io(&self.path, e))?;
        self.messages = split_mbox(&bytes);
        Ok((0..self.messages.len())
            .map(|i| MessageRef {
                key: i.to_string(),
                ticket_id: None,
            })
            .collect())
    }
    fn read(&mut self, r: &MessageRef) -> Result<Message> {
        let i: usize = r.key.parse().map_err(|_| Error::Source {
            source_name: self.describe(),
            reason: format!("bad key {}", r.key),
        })?;
        let raw = self.messages.get(i).cloned().ok_or_else(|| Error::Source {
            source_name: self.describe(),
            reason: format!("no message {i}"),
        })?;
        Ok(Message {
            r#ref: r.clone(),
            raw,
            received_at: None,
            origin: format!("{}#{}", self.path.display(), i + 1),
        })
    }
    fn record(&mut self, _r: &MessageRef, _outcome: &Outcome) -> Result<()> {
        Ok(())
    }
}

/// A Maildir (`new/`, `cur/`, `tmp/`).
pub struct MaildirSource {
    root: PathBuf,
}

impl MaildirSource {
    /// Use the Maildir at `root`.
    pub fn new(root: impl Into<PathBuf>) -> MaildirSource {
        MaildirSource { root: root.into() }
    }
}

/// The info flags of a Maildir file name (`...:2,FS` → `FS`).
fn maildir_flags(name: &str) -> &str {
    name.rsplit_once(":2,").map(|(_, f)| f).unwrap_or("")
}

impl Source for MaildirSource {
    fn describe(&self) -> String {
        format!("maildir:{}", self.root.display())
    }
    fn pending(&mut self) -> Result<Vec<MessageRef>> {
        if !self.root.join("cur").is_dir() && !self.root.join("new").is_dir() {
            return Err(Error::Source {
                source_name: self.describe(),
                reason: "not a Maildir (no cur/ or new/)".into(),
            });
        }
        let mut v = sorted_files(&self.root.join("new"), |_| true)?;
        v.extend(sorted_files(&self.root.join("cur"), |p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let f = maildir_flags(&name);
            !f.contains('S') && !f.contains('F')
        })?);
        Ok(v.into_iter().map(file_ref).collect())
    }
    fn read(&mut self, r: &MessageRef) -> Result<Message> {
        read_file(r)
    }
    fn record(&mut self, r: &MessageRef, outcome: &Outcome) -> Result<()> {
        let p = PathBuf::from(&r.key);
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let base = name
            .split_once(":2,")
            .map(|(b, _)| b.to_string())
            .unwrap_or(name.clone());
        let mut flags: Vec<char> = maildir_flags(&name).chars().collect();
        flags.push(if outcome.label.needs_human() {
            'F'
        } else {
            'S'
        });
        flags.sort_unstable();
        flags.dedup();
        let flags: String = flags.into_iter().collect();
        let dest = self.root.join("cur").join(format!("{base}:2,{flags}"));
        fs::rename(&p, &dest).map_err(|e| io(&p, e))
    }
}

/// A read-only scan of a directory tree: every `*.eml` below `PATH`
/// (`files:PATH`). Nothing is moved; outcomes live in the database and
/// idempotency makes re-runs harmless. For archives and demos.
pub struct FilesSource {
    root: PathBuf,
}

impl FilesSource {
    /// Scan `root`.
    pub fn new(root: impl Into<PathBuf>) -> FilesSource {
        FilesSource { root: root.into() }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "eml") {
            out.push(p);
        }
    }
    Ok(())
}

impl Source for FilesSource {
    fn describe(&self) -> String {
        format!("files:{}", self.root.display())
    }
    fn pending(&mut self) -> Result<Vec<MessageRef>> {
        let mut v = Vec::new();
        walk(&self.root, &mut v)?;
        Ok(v.into_iter().map(file_ref).collect())
    }
    fn read(&mut self, r: &MessageRef) -> Result<Message> {
        read_file(r)
    }
    fn record(&mut self, _r: &MessageRef, _outcome: &Outcome) -> Result<()> {
        Ok(())
    }
}

/// Open a file-system source from a spec: `dir:PATH`, `files:PATH`, `mbox:PATH`, `maildir:PATH`.
pub fn open(spec: &str) -> Option<Box<dyn Source>> {
    let (kind, path) = spec.split_once(':')?;
    match kind {
        "dir" => Some(Box::new(DirSource::new(path))),
        "files" => Some(Box::new(FilesSource::new(path))),
        "mbox" => Some(Box::new(MboxSource::new(path))),
        "maildir" => Some(Box::new(MaildirSource::new(path))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Label;

    #[test]
    fn flags() {
        assert_eq!(maildir_flags("1700000000.M1P2.host:2,FS"), "FS");
        assert_eq!(maildir_flags("1700000000.M1P2.host"), "");
    }

    #[test]
    fn mbox_split() {
        let m = split_mbox(b"From a Mon\nSubject: 1\n\n>From x\nFrom b Tue\nSubject: 2\n\ny\n");
        assert_eq!(
            m,
            vec![
                b"Subject: 1\n\nFrom x\n".to_vec(),
                b"Subject: 2\n\ny\n".to_vec()
            ]
        );
    }

    #[test]
    fn label_flags_are_distinct() {
        assert!(Label::MaintParseException.needs_human());
        assert!(!Label::MaintUnknownCircuit.needs_human());
    }
}
