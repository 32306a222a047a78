//! Finding labelled values in notice text (`Label: value` lines, or a label
//! cell followed by its value cell as rendered by `mnp_core::html::to_text`),
//! which text of a mail to read them from, and the `Dear <name>,` a letter is
//! addressed to.

use std::sync::LazyLock;

use mnp_core::Email;
use regex::Regex;

static DEAR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*Dear\s+(.+?)\s*,").ok());

/// Find the first line that starts with one of `labels` (case-insensitive,
/// ignoring leading spaces, `>` quote marks and `*`), and return what follows
/// the label after an optional `:`/tab/space. When nothing follows on that
/// line, the next non-empty line is returned.
pub fn label_value(text: &str, labels: &[&str]) -> Option<String> {
    let mut lines = text.lines();
    while let Some(raw) = lines.next() {
        let line = raw.trim_start_matches(|c: char| c.is_whitespace() || c == '>' || c == '*');
        for label in labels {
            let Some(head) = line.get(..label.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(label) {
                continue;
            }
            let rest = line.get(label.len()..).unwrap_or("");
            // the label must end at a word boundary
            if rest.chars().next().is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let value = rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == '*')
                .trim_start_matches([':', '-', '='])
                .trim_start_matches(|c: char| c == ':' || c.is_whitespace() || c == '*')
                .trim();
            if !value.is_empty() {
                return Some(value.to_string());
            }
            return lines
                .by_ref()
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
                .map(|l| l.to_string());
        }
    }
    None
}

/// All values for a label (every matching line), in order.
pub fn label_values(text: &str, labels: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(v) = label_value(rest, labels) {
        out.push(v.clone());
        // advance past the line that produced it
        let Some(pos) = rest.find(v.as_str()) else {
            break;
        };
        rest = rest.get(pos + v.len()..).unwrap_or("");
    }
    out
}

/// The text between the first `start` marker and the next `end` marker
/// (case-sensitive); `None` when `start` is absent. A missing `end` means
/// "to the end of the text".
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let s = text.find(start)? + start.len();
    let tail = text.get(s..)?;
    let e = tail.find(end).unwrap_or(tail.len());
    tail.get(..e)
}

/// The text to read labels from: the HTML rendering ([`Email::html_text`],
/// table rows keep label and value on one line) unless it is blank, else the
/// plain text.
pub fn html_text_or_plain(email: &Email) -> String {
    let html = email.html_text();
    if html.trim().is_empty() {
        email.text().to_string()
    } else {
        html
    }
}

/// Like [`html_text_or_plain`], but the HTML rendering is taken whenever the
/// mail has an HTML body at all, even one that renders blank (the plain text
/// is then not read).
pub fn html_body_or_plain(email: &Email) -> String {
    if email.html_sources().is_empty() {
        email.text().to_string()
    } else {
        email.html_text()
    }
}

/// The name a letter is addressed to: what follows `Dear` at the start of a
/// line, up to the first comma on that line (`Dear Contoso Ltd,` → `Contoso
/// Ltd`); `None` without such a line. Many notices carry the customer account
/// only there.
pub fn dear(text: &str) -> Option<&str> {
    Some(DEAR.as_ref()?.captures(text)?.get(1)?.as_str())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_labels() {
        let t = "Hello\nStart Date and Time: 2019-Apr-09 06:00 UTC\nService ID:\tIC-1\nImpact\n  Outage\n";
        assert_eq!(
            label_value(t, &["start date and time"]).unwrap(),
            "2019-Apr-09 06:00 UTC"
        );
        assert_eq!(label_value(t, &["Service ID"]).unwrap(), "IC-1");
        assert_eq!(label_value(t, &["Impact"]).unwrap(), "Outage");
        assert_eq!(
            label_value(t, &["Star"]),
            None,
            "a label must end at a word boundary"
        );
    }

    #[test]
    fn many_values() {
        let t = "Circuit: A\nfoo\nCircuit: B\n";
        assert_eq!(label_values(t, &["Circuit"]), vec!["A", "B"]);
    }

    fn mail(parts: &str) -> Email {
        let raw = format!(
            "From: a@b.example\nSubject: x\nContent-Type: multipart/alternative; boundary=B\n\n{parts}--B--\n"
        );
        Email::parse(raw.as_bytes()).unwrap()
    }

    #[test]
    fn html_or_plain_text() {
        let plain = "--B\nContent-Type: text/plain\n\nPlain: 1\n";
        let both = mail(&format!(
            "{plain}--B\nContent-Type: text/html\n\n<table><tr><td>Html:</td><td>2</td></tr></table>\n"
        ));
        assert_eq!(html_text_or_plain(&both).trim(), "Html:\t2");
        assert_eq!(html_body_or_plain(&both).trim(), "Html:\t2");
        // an HTML body that renders blank: only the first falls back
        let blank = mail(&format!(
            "{plain}--B\nContent-Type: text/html\n\n<p> </p>\n"
        ));
        assert_eq!(html_text_or_plain(&blank).trim(), "Plain: 1");
        assert_eq!(html_body_or_plain(&blank).trim(), "");
        let only_plain = mail(plain);
        assert_eq!(html_text_or_plain(&only_plain).trim(), "Plain: 1");
        assert_eq!(html_body_or_plain(&only_plain).trim(), "Plain: 1");
    }

    #[test]
    fn dear_is_the_addressee() {
        let t = "Verizon Maintenance Notification\n\n  Dear Fabrikam Corp ,\nPlease note, ...";
        assert_eq!(dear(t), Some("Fabrikam Corp"));
        assert_eq!(dear("Hello,\nDear Customer, Dear Other,"), Some("Customer"));
        // `Dear` must start a line and the comma be on the same line
        assert_eq!(dear("Hello Dear X,"), None);
        assert_eq!(dear("Dear X\nand Y,"), None);
    }
}
