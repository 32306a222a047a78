//! Small helpers shared by parsers and stages.

use sha2::{Digest, Sha256};

/// A stable id derived from the given parts, for notices that carry no
/// maintenance id of their own. The same parts always give the same id, so
/// a re-sent notice maps to the same maintenance.
///
/// ```
/// let a = mnp_core::util::derive_id("aws", &["us-east-1", "2024-01-01T00:00:00Z"]);
/// assert_eq!(a, mnp_core::util::derive_id("aws", &["us-east-1", "2024-01-01T00:00:00Z"]));
/// assert!(a.starts_with("aws-"));
/// assert_eq!(a.len(), 4 + 16);
/// ```
pub fn derive_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.trim().as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    format!("{prefix}-{}", hex::encode(&digest[..8]))
}

/// Normalise a carrier circuit id for matching: a leading label such as
/// `Circuit ID:`, `CID:` or `Service ID #` is dropped, letters are upper-cased
/// and everything that is not a letter or digit (spaces, dashes, slashes,
/// dots, underscores) is removed — carriers write the same id as
/// `IC-99999`, `ic 99999` or `IC/99999` in different notices.
///
/// ```
/// use mnp_core::util::normalize_circuit_id as n;
/// assert_eq!(n(" ic-99 999 "), "IC99999");
/// assert_eq!(n("Circuit ID: 12/KFGS/400100/ATI"), n("12-kfgs-400100-ati"));
/// assert_eq!(n("CID# VZ.123"), "VZ123");
/// assert_eq!(n(""), "");
/// ```
pub fn normalize_circuit_id(id: &str) -> String {
    let t = id.trim();
    let lower = t.to_ascii_lowercase();
    let mut rest = t;
    for label in [
        "circuit id",
        "circuit",
        "service id",
        "cid",
        "sid",
        "service",
    ] {
        if let Some(after) = lower.strip_prefix(label) {
            let after_trim = after.trim_start();
            if after_trim.starts_with([':', '#']) {
                let skip = t.len() - after_trim.len() + 1;
                rest = t.get(skip..).unwrap_or("");
                break;
            }
        }
    }
    rest.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}
