//! `mnp vendors new` on a temporary copy of the repository: the scaffolded
//! vendor builds and its tests (corpus snapshots, registry invariants) pass.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        let n = name.to_string_lossy();
        if n == "target" || n == ".git" || n == "fuzz" || n.ends_with(".snap.new") {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        if e.file_type().unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

fn mnp(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mnp"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn scaffolded_vendor_builds_and_passes_its_tests() {
    let tmp = std::env::temp_dir().join(format!("mnp-scaffold-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    for d in ["crates", "corpus", "examples"] {
        copy_tree(&repo().join(d), &tmp.join(d));
    }
    for f in ["Cargo.toml", "Cargo.lock", "README.md"] {
        fs::copy(repo().join(f), tmp.join(f)).unwrap();
    }
    let out = mnp(&[
        "vendors",
        "new",
        "acme-fiber",
        "--sender",
        "acme-fiber.example",
        "--repo",
        tmp.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        fs::read_to_string(tmp.join("crates/mnp-parsers/src/vendors/mod.rs"))
            .unwrap()
            .contains("pub mod acme_fiber;")
    );
    assert!(tmp.join("corpus/acme-fiber/template-planned.eml").is_file());

    // A second run must refuse to overwrite; bad ids are refused.
    let again = mnp(&[
        "vendors",
        "new",
        "acme-fiber",
        "--sender",
        "acme-fiber.example",
        "--repo",
        tmp.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    let bad = mnp(&[
        "vendors",
        "new",
        "Acme_Fiber",
        "--sender",
        "x.example",
        "--repo",
        tmp.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("kebab-case"));

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .current_dir(&tmp)
        .env(
            "CARGO_TARGET_DIR",
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo().join("target")),
        )
        .env("MNP_CORPUS_FILTER", "acme-fiber")
        .env("CI", "true") // insta: never write snapshots, fail on a mismatch
        .args([
            "test",
            "--quiet",
            "--locked",
            "-p",
            "mnp-parsers",
            "--test",
            "corpus",
            "--test",
            "registry",
        ])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "scaffolded vendor does not pass:\n{}\n{}",
        String::from_utf8_lossy(&st.stdout),
        String::from_utf8_lossy(&st.stderr)
    );
    let _ = fs::remove_dir_all(&tmp);
}
