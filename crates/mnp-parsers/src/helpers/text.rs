//! Finding labelled values in notice text (`Label: value` lines, or a label
//! cell followed by its value cell as rendered by `mnp_core::html::to_text`).

/// Find the first line that starts with one of `labels` (case-insensitive,
/// ignoring leading spaces, `>` quote marks and `*`), and return what follows
/// the label after an optional `:`/tab/space. When nothing follows on that
/// line, the next non-empty line is returned.
pub fn label_value(text: &str, labels: &[&str]) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
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
                .iter()
                .skip(i + 1)
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

#[cfg(test)]
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
}
