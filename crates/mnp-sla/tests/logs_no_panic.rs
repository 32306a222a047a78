//! "Best effort, never panics": arbitrary text, mutated fixture lines and
//! extreme options give events or typed skips, and every non-blank line is
//! accounted for exactly once.

use std::fs;
use std::path::Path;

use mnp_sla::logs::{InputFormat, ParseOptions, parse_bytes, parse_str};
use proptest::prelude::*;

fn fixture_lines() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut v = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        if n.starts_with("logs_") && n.ends_with(".log") {
            v.extend(fs::read_to_string(&p).unwrap().lines().map(String::from));
        }
    }
    assert!(v.len() > 100);
    v
}

fn zone() -> impl Strategy<Value = chrono_tz::Tz> {
    prop::sample::select(vec![
        chrono_tz::UTC,
        chrono_tz::Europe::Berlin,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Pacific::Kiritimati,
    ])
}

fn format() -> impl Strategy<Value = InputFormat> {
    prop::sample::select(vec![
        InputFormat::Auto,
        InputFormat::Syslog,
        InputFormat::Jsonl,
    ])
}

fn accounted(input: &str, opts: &ParseOptions) -> Result<(), TestCaseError> {
    let r = parse_str(input, opts);
    let non_blank = input
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim_start_matches('\u{feff}').trim().is_empty())
        .count();
    prop_assert_eq!(r.lines, non_blank);
    prop_assert_eq!(r.events.len() + r.skipped.len(), non_blank);
    for e in &r.events {
        prop_assert!(!e.device.is_empty() && !e.port.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn arbitrary_text_never_panics(
        s in ".{0,300}", year in any::<i32>(), z in zone(), f in format(),
    ) {
        let opts = ParseOptions::new(year, z).with_format(f);
        accounted(&s, &opts)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..300)) {
        let r = parse_bytes(&b, &ParseOptions::new(2024, chrono_tz::UTC));
        prop_assert!(r.events.len() + r.skipped.len() == r.lines);
    }

    #[test]
    fn mutated_fixture_lines_never_panic(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        insert in "[<>\\[\\]\"\\\\ :,%0-9A-Za-z{}\u{feff}\u{00e9}-]{0,6}",
        year in any::<i32>(), z in zone(), f in format(),
    ) {
        let lines = fixture_lines();
        let line = pick.get(&lines);
        let chars: Vec<char> = line.chars().collect();
        let n = chars.len().max(1);
        let (i, j) = (at.index(n), cut.index(n));
        let (i, j) = (i.min(j), i.max(j));
        // Replace chars[i..j] with the inserted text.
        let mutated: String = chars.iter().take(i).chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(chars.iter().skip(j)).collect();
        let opts = ParseOptions::new(year, z).with_format(f);
        accounted(&mutated, &opts)?;
        accounted(&format!("{line}\n{mutated}\n{line}"), &opts)?;
    }
}
