//! Status and impact words: a vendor's word list turned into a
//! [`Status`](mnp_core::Status) or an [`Impact`](mnp_core::Impact).
//!
//! Most carriers say what a notice is (`Cancelled`, `Rescheduled`, `has been
//! completed`) or how bad it is (`No Impact`, `At Risk`, `Hard Down`) in free
//! words, and every carrier has its own words and its own order of checks
//! (Seaborn looks for `reschedul` before `cancel`, most others the other way
//! round; Windstream's `postponed` is a cancellation). So the words stay with
//! the vendor, as an ordered table of [`Rules`], and only the matching lives
//! here: the first rule with a word found in the text wins (a word is an
//! ASCII case-insensitive substring: `reschedul` finds `Rescheduled`), and the
//! vendor picks the default when none does.
//!
//! ```
//! use mnp_core::Status;
//! use mnp_parsers::helpers::words::{self, Rules};
//!
//! const STATUS: Rules<Status> = &[
//!     (Status::Cancelled, &["cancel"]),
//!     (Status::Rescheduled, &["reschedul", "postpone"]),
//! ];
//! let status_of = |s: &str| words::first(s, STATUS).unwrap_or(Status::Confirmed);
//! assert_eq!(status_of("Maintenance POSTPONED"), Status::Rescheduled);
//! assert_eq!(status_of("Planned works"), Status::Confirmed);
//! assert!(words::whole(" None ", &["none", "nil"]));
//! ```

use std::borrow::Cow;

/// An ordered word table: each value with the words that select it. Earlier
/// rules win over later ones.
pub type Rules<T> = &'static [(T, &'static [&'static str])];

/// The value of the first rule one of whose words occurs in `text` (ASCII
/// case-insensitive substring); `None` when no word occurs.
pub fn first<T: Copy>(text: &str, rules: &[(T, &[&str])]) -> Option<T> {
    let text = text.to_ascii_lowercase();
    rules
        .iter()
        .find(|(_, words)| words.iter().any(|w| text.contains(lower(w).as_ref())))
        .map(|(value, _)| *value)
}

/// Whether the whole of `text`, trimmed, is one of `words` (ASCII
/// case-insensitive): `none` is no impact, but `none of the circuits` is no
/// such word.
pub fn whole(text: &str, words: &[&str]) -> bool {
    let text = text.trim();
    words.iter().any(|w| text.eq_ignore_ascii_case(w))
}

/// The word in lower case; borrowed when it already is (tables are written
/// in lower case, so this rarely allocates).
fn lower<'w>(word: &'w str) -> Cow<'w, str> {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use mnp_core::{Impact, Status};

    use super::*;

    const STATUS: Rules<Status> = &[
        (Status::Cancelled, &["cancel"]),
        (Status::Rescheduled, &["reschedul", "postpone"]),
        (Status::Completed, &["complete"]),
    ];

    #[test]
    fn first_rule_with_a_word_wins() {
        assert_eq!(first("CANCELLED", STATUS), Some(Status::Cancelled));
        // both rules match: the earlier one wins
        assert_eq!(
            first("Rescheduled; old window cancelled", STATUS),
            Some(Status::Cancelled)
        );
        assert_eq!(
            first("Maintenance Postponed", STATUS),
            Some(Status::Rescheduled)
        );
        assert_eq!(first("Planned Maintenance", STATUS), None);
        assert_eq!(first("", STATUS), None);
        assert_eq!(first::<Status>("anything", &[]), None);
    }

    #[test]
    fn words_match_whatever_their_case() {
        let rules: &[(Impact, &[&str])] = &[(Impact::NoImpact, &["No Impact"])];
        assert_eq!(first("there is NO IMPACT", rules), Some(Impact::NoImpact));
        // non-ASCII words match as written
        let rules: &[(Impact, &[&str])] = &[(Impact::NoImpact, &["影響はございません"])];
        assert_eq!(
            first("お客様への影響はございません。", rules),
            Some(Impact::NoImpact)
        );
    }

    #[test]
    fn whole_is_the_trimmed_text_only() {
        assert!(whole("none", &["none"]));
        assert!(whole("  NONE\n", &["nil", "none"]));
        assert!(!whole("none expected", &["none"]));
        assert!(!whole("", &["none"]));
        assert!(!whole("none", &[]));
    }
}
