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

/// A URL fit for logs and error messages: the password of the user-info
/// part and the value of any `password=` / `pass=` / `token=` query
/// parameter become `***`; the user name stays (it tells which account).
/// Every database, mail and helpdesk URL is shown through this one function.
///
/// ```
/// use mnp_core::util::redact_url as r;
/// assert_eq!(r("postgres://mnp:s3cret@db/mnp"), "postgres://mnp:***@db/mnp");
/// assert_eq!(r("smtps://noc:p@ss@mx.example:465"), "smtps://noc:***@mx.example:465");
/// assert_eq!(r("imap://noc@mail.example/INBOX"), "imap://noc@mail.example/INBOX");
/// assert_eq!(
///     r("postgres://db/mnp?user=a&password=x&sslmode=require"),
///     "postgres://db/mnp?user=a&password=***&sslmode=require"
/// );
/// assert_eq!(r("sqlite:./mnp.db"), "sqlite:./mnp.db");
/// assert_eq!(r("rts://rt:a/b@rt.example/Maint"), "rts://rt:***@rt.example/Maint");
/// ```
pub fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = match base.split_once("://") {
        Some((scheme, rest)) => {
            // The user info ends at the last '@' (a password may hold '@'
            // or '/'; an '@' in a path only hides more than needed).
            match rest.rsplit_once('@') {
                Some((creds, host)) => match creds.split_once(':') {
                    Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
                    None => base.to_string(),
                },
                None => base.to_string(),
            }
        }
        None => base.to_string(),
    };
    if let Some(q) = query {
        let params: Vec<String> = q
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _))
                    if ["password", "pass", "passwd", "token", "secret"]
                        .contains(&k.to_ascii_lowercase().as_str()) =>
                {
                    format!("{k}=***")
                }
                _ => p.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}
