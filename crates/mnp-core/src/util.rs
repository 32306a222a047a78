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
