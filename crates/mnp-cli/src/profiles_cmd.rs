//! `mnp vendors test PROFILE.toml MAIL.eml…`: what a declarative profile
//! makes of mails, field by field, so that an operator can write a profile
//! from their own mail and see at once which label or regex is wrong.
//!
//! Also [`load_profile_dirs`], the loader of the `profiles` directories
//! named in `mnp.toml` / `--profiles DIR`: a malformed profile is reported
//! as a warning naming file, line and key, and the others load.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use mnp_core::{Email, Registry};
use mnp_parsers::profiles::{self, ProfileError};

/// Load `profile`, run it on every mail and print the trace of each.
///
/// Exit code 0 when every mail parsed, 1 when one did not; a profile that
/// does not load is an error (the message names file, line and key).
pub fn vendors_test(profile: &Path, mails: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(profile)
        .with_context(|| format!("cannot read profile {}", profile.display()))?;
    let p = profiles::load_str(profile, &text).map_err(|e| anyhow::anyhow!("{e}"))?;
    // Routing as it would be in service: the built-ins plus this profile,
    // which stands in for a parser of the same id (a built-in profile being
    // edited, or a profile meant to replace a parser).
    let builtin = mnp_parsers::registry();
    let replaced = builtin.get(&p.id).map(|e| e.origin.to_string());
    let mut reg = Registry::new();
    for e in builtin.entries().iter().filter(|e| e.id != p.id) {
        reg.register(e.clone())?;
    }
    let clash = profiles::register(&mut reg, vec![p.clone()]);
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "profile {} ({}) from {}",
        p.id,
        p.carrier,
        profile.display()
    )?;
    if let Some(origin) = replaced {
        writeln!(out, "(stands in for the {origin} parser of the same id)")?;
    }
    for e in &clash {
        writeln!(out, "warning: {e}")?;
    }
    let mut failed = 0usize;
    for mail in mails {
        writeln!(out, "\n== {}", mail.display())?;
        let raw = match std::fs::read(mail) {
            Ok(r) => r,
            Err(e) => {
                writeln!(out, "cannot read: {e}")?;
                failed += 1;
                continue;
            }
        };
        let email = match Email::parse(&raw) {
            Ok(e) => e,
            Err(e) => {
                writeln!(out, "cannot decode: {e}")?;
                failed += 1;
                continue;
            }
        };
        writeln!(out, "from      {}", email.sender_address())?;
        writeln!(out, "subject   {}", email.subject)?;
        writeln!(out, "route     {}", route_note(&reg, &email, &p.id))?;
        let traces = profiles::explain(&p, &email);
        if traces.last().is_some_and(|t| t.value.is_err()) {
            failed += 1;
        }
        for t in &traces {
            writeln!(out, "{t}")?;
        }
    }
    writeln!(
        out,
        "\n{} of {} mail(s) parsed",
        mails.len() - failed.min(mails.len()),
        mails.len()
    )?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Where the router sends the mail, compared with the profile under test.
fn route_note(reg: &Registry, email: &Email, id: &str) -> String {
    match reg.route(email) {
        Ok(e) if e.id == id => format!("{id} (this profile)"),
        Ok(e) => format!(
            "{} ({}), not this profile: check senders / subjects / signatures",
            e.id, e.origin
        ),
        Err(e) => format!("{e}: check senders / subjects / signatures"),
    }
}

/// Load every `*.toml` profile of `dirs` into `reg`. Returns the problems
/// (bad files, ids already taken), each naming its file, line and key; the
/// good profiles are registered whatever the bad ones hold.
///
/// Wiring: call from `config::registry` after the plugins, with the
/// `profiles` directories of `mnp.toml` (relative to it) and `--profiles
/// DIR`, printing each error as a warning.
pub fn load_profile_dirs(reg: &mut Registry, dirs: &[PathBuf]) -> Vec<ProfileError> {
    let mut errors = Vec::new();
    for dir in dirs {
        let (ok, bad) = profiles::load_dir(dir);
        errors.extend(bad);
        errors.extend(profiles::register(reg, ok));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_dirs_load_the_good_and_report_the_bad() {
        let dir = std::env::temp_dir().join(format!("mnp-cli-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("good.toml"),
            "id = \"acme-fiber\"\ncarrier = \"Acme\"\nsenders = [\"acme.example\"]\n\
             [fields]\nid = { label = \"Ticket\" }\nbegin = { label = \"Start\" }\n\
             end = { label = \"End\" }\ncircuits = { label = \"Circuit\" }\n",
        )
        .unwrap();
        std::fs::write(dir.join("bad.toml"), "id = \"x\"\ncarrier = 3\n").unwrap();
        let mut reg = mnp_parsers::registry();
        let before = reg.len();
        let errs = load_profile_dirs(&mut reg, std::slice::from_ref(&dir));
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(reg.len(), before + 1);
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].to_string().contains("bad.toml:2: carrier"),
            "{}",
            errs[0]
        );
    }
}
