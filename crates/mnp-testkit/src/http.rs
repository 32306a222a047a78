//! A tiny HTTP/1.1 client for tests of `mnp serve`: one request per
//! connection (`Connection: close`), the answer read to the end.
//!
//! Why not an HTTP crate: the tests check what the server puts on the wire
//! (status, header names, chunked or not), and a raw client has no
//! redirects, retries or connection pools of its own to hide any of it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A whole answer: status, headers (names lowercased, values trimmed, in
/// wire order) and the body (de-chunked when it came chunked).
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code of the status line.
    pub status: u16,
    /// `(lowercased name, trimmed value)` in the order received.
    pub headers: Vec<(String, String)>,
    /// The body bytes after transfer decoding.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts that a body sent with `Content-Length` (not chunked) arrived
    /// whole: `short body` otherwise.
    pub fn assert_complete(&self) {
        let chunked = self
            .header("transfer-encoding")
            .is_some_and(|t| t.contains("chunked"));
        if let (false, Some(n)) = (
            chunked,
            self.header("content-length")
                .and_then(|n| n.parse::<usize>().ok()),
        ) {
            assert_eq!(self.body.len(), n, "short body");
        }
    }
}

/// Sends `method path` to `addr` (`host:port`) with `headers`, then `body`
/// with a `Content-Length` for every method but GET, and reads the answer
/// until the server closes (60 s read timeout). The server may answer and
/// close before it has read the whole body (413): a failed write is
/// ignored, and a read error after some bytes ends the answer. Panics when
/// nothing comes back or the answer is not HTTP.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if method != "GET" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    let _ = s.write_all(&bytes);
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if raw.is_empty() => panic!("{method} {path}: {e}"),
            Err(_) => break,
        }
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut r = Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    if r.header("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        r.body = dechunk(&r.body);
    }
    r
}

/// The payload of a `Transfer-Encoding: chunked` body (chunk extensions
/// ignored, trailers dropped; stops at the last complete chunk).
pub fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = std::str::from_utf8(&b[..eol])
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .trim();
        let n = usize::from_str_radix(size, 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunk_joins_chunks_and_skips_extensions() {
        // "Wiki" (4) + "pedia" (5, with an extension) + last chunk
        let body = b"4\r\nWiki\r\n5;name=x\r\npedia\r\n0\r\n\r\n";
        assert_eq!(dechunk(body), b"Wikipedia");
    }

    #[test]
    fn dechunk_of_nothing_is_empty() {
        assert_eq!(dechunk(b""), b"");
        assert_eq!(dechunk(b"0\r\n\r\n"), b"");
    }

    #[test]
    fn headers_match_in_any_case() {
        let r = Response {
            status: 200,
            headers: vec![("content-length".into(), "3".into())],
            body: b"abc".to_vec(),
        };
        assert_eq!(r.header("Content-Length"), Some("3"));
        assert_eq!(r.header("x-missing"), None);
        r.assert_complete();
    }

    #[test]
    #[should_panic(expected = "short body")]
    fn a_short_body_is_caught() {
        let r = Response {
            status: 200,
            headers: vec![("content-length".into(), "10".into())],
            body: b"abc".to_vec(),
        };
        r.assert_complete();
    }
}
