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

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648 alphabet, padded), on one line — for the
/// places mnp writes MIME or HTTP itself (alert mails, helpdesk uploads,
/// Basic credentials).
///
/// ```
/// use mnp_core::util::base64_encode as b;
/// assert_eq!(b(b""), "");
/// assert_eq!(b(b"f"), "Zg==");
/// assert_eq!(b(b"fo"), "Zm8=");
/// assert_eq!(b(b"foobar"), "Zm9vYmFy");
/// ```
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// [`base64_encode`] in lines of 76 characters (the MIME limit) joined by
/// `eol`, with no line end after the last.
///
/// ```
/// let s = mnp_core::util::base64_lines(&[0u8; 120], "\r\n");
/// assert_eq!(s.split("\r\n").map(str::len).collect::<Vec<_>>(), [76, 76, 8]);
/// ```
pub fn base64_lines(data: &[u8], eol: &str) -> String {
    let flat = base64_encode(data);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 * eol.len());
    // ASCII only, so every 76-byte chunk is a str boundary.
    for (i, line) in flat.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.push_str(eol);
        }
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
    }
    out
}
