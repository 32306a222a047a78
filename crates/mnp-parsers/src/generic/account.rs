//! The customer account a notice is for: a `Customer:` / `Account #:` label,
//! the cell under a `Customer Name` / `Account` table header, a
//! `Customer<TAB>X` pair, the `To:` line of a notice's own header table, an
//! `Account: X` in the subject, else whom the letter greets.

use std::sync::LazyLock;

use regex::Regex;

use super::Evidence;
use crate::helpers::words;

const WHO: &str = r"(?:(?:customer|account|company|end customer|client|cliente|kunde|klant)(?:[ \t]+(?:name|number|account|no\.?|#|id|pon|po|nummer|n[º°o]\.?))?|kundennummer|kundenname|klantnummer|n[uú]m[eé]ro[ \t]+(?:de[ \t]+|do[ \t]+|da[ \t]+)?client[e]?|compte[ \t]+client|n[º°]\.?[ \t]*(?:de[ \t]+)?cliente?|cuenta|conta|konto|customer[ \t]+no\.?|お客様番号|c[oó]digo[ \t]+(?:do[ \t]+|de[ \t]+|del[ \t]+)?cliente|codice[ \t]+cliente|numer[ \t]+klienta|(?:peer|customer|your)[ \t]+asn?)";

static LABEL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?im)^[ \t>*■•\-]*(?:[^:\n/]{{1,40}}/[ \t]*)?{WHO}[ \t]*:[ \t]*(?P<v>[^\t\n:]{{2,80}}?)[ \t]*(?:\t|$)"
    ))
    .ok()
});

/// A key/value table rendered one cell per line: `Account Number` alone on
/// its line, the value on the next.
static NEXT_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?im)^[ \t>*■•\-]*(?:[^:\n/\t]{{1,40}}/[ \t]*)?{WHO}[ \t]*:?[ \t]*\n[ \t]*(?P<v>[^\t\n:]{{2,80}}?)[ \t]*$"
    ))
    .ok()
});

/// `Customer<TAB>Contoso` in a two-column key/value table.
static TAB: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?im)^[ \t>*■•\-]*(?:[^:\n/\t]{{1,40}}/[ \t]*)?{WHO}[ \t]*:?[ \t]*\t[ \t]*(?P<v>[^\t\n:]{{2,80}}?)[ \t]*(?:\t|$)"
    ))
    .ok()
});

/// A notice's own `To:<TAB>Contoso` header line (a mail header has no tab).
static TO: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*To:[ \t]*\t[ \t]*(?P<v>[^\t\n@<>]{2,80}?)[ \t]*$").ok()
});

static SUBJECT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:account|customer)(?:[ \t]+(?:number|no\.?|id|#))?[ \t]*[:#][ \t]*(?P<v>[A-Za-z0-9][A-Za-z0-9\-_.]{1,40})").ok()
});

/// Header cells of an account column, best first.
static HEADER: LazyLock<[Option<Regex>; 2]> = LazyLock::new(|| {
    [
        Regex::new(&format!(r"(?i)^{WHO}$")).ok(),
        Regex::new(r"(?i)^name$").ok(),
    ]
});

static GREETING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t>*]*(?:Dear|Hi|Hello)[ \t]+(?P<v>[^\n]{2,60}?)[ \t]*,?[ \t]*$|^[ \t>*]*(?:Dear|Hi|Hello)[ \t]+(?P<w>[^,\n]{2,60}?)[ \t]*,").ok()
});

/// Greetings that name nobody.
const NOBODY: &[&str] = &[
    "customer",
    "customers",
    "valued customer",
    "sir/madam",
    "sir or madam",
    "sir / madam",
    "all",
    "colleague",
    "colleagues",
    "partner",
    "team",
    "client",
];

/// Whom a greeting names: nobody when it greets a role ("Dear Customer",
/// "Hello NOC Team", "Dear all"), the AS number when it
/// greets a network by name and ASN ("Dear Example.com (AS65000)": peering
/// notices know the peer by its ASN, a stable id, not by its display name).
fn greeted(name: &str) -> Option<String> {
    if words::whole(name, NOBODY) {
        return None;
    }
    let last = name
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or(name)
        .trim_matches(|c: char| !c.is_alphanumeric());
    if words::whole(last, ROLES) {
        return None;
    }
    if let Some(asn) = ASN.as_ref().and_then(|re| re.captures(name)) {
        return asn.get(1).map(|m| {
            m.as_str()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_uppercase()
        });
    }
    Some(name.to_string())
}

/// The last word of a greeting that greets a role, not a customer by name.
/// ("Dear Example Customer" may well be a customer's name, so it stays.)
const ROLES: &[&str] = &[
    "partner",
    "partners",
    "team",
    "colleague",
    "colleagues",
    "user",
    "users",
    "subscriber",
    "subscribers",
    "all",
];

static ASN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\(\s*(AS\s?\d{1,10})\s*\)").ok());

/// A peering letter that opens with its addressee's name and AS number and
/// a comma, no "Dear" (`Example.com (AS65000),`): the first line of the
/// body. Only the AS number makes it an addressee ("Kia ora," is not one).
fn salutation(body: &str) -> Option<(String, String)> {
    let first = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let name = first.strip_suffix(',')?.trim();
    if name.chars().count() > 60 || !ASN.as_ref().is_some_and(|r| r.is_match(name)) {
        return None;
    }
    Some((greeted(name)?, first.to_string()))
}

/// A value that starts by naming itself: `Compte n° `, `Account no. `, `No. `.
static NUMBER_PREFIX: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:compte|account|acct|cuenta|konto|conta|client|customer)\s*)?(?:n[°º]|no\.|nr\.|#|number)\s*:?\s*").ok()
});

/// A value that hides the account (`*****1234`).
fn masked(v: &str) -> bool {
    v.contains("***") || v.trim().is_empty()
}

fn from_table(body: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = body.lines().collect();
    for head in HEADER.iter().flatten() {
        for (i, line) in lines.iter().enumerate() {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            // three or more columns, or two column headers: a table, not a
            // key/value pair
            let filled = cells.iter().filter(|c| !c.is_empty()).count();
            // a cell that starts with a digit is data, not a header
            // ("L2 Connection Name" is a header, "123456" is not)
            if filled < 2
                || cells
                    .iter()
                    .any(|c| c.bytes().next().is_some_and(|b| b.is_ascii_digit()))
            {
                continue;
            }
            let Some(col) = cells.iter().position(|c| head.is_match(c)) else {
                continue;
            };
            if filled == 2
                && !cells
                    .iter()
                    .any(|c| c.to_ascii_lowercase().contains("circuit"))
            {
                continue;
            }
            let Some(next) = lines.get(i + 1) else {
                continue;
            };
            let row: Vec<&str> = next.split('\t').map(str::trim).collect();
            if row.len() >= 2
                && let Some(v) = row.get(col).filter(|v| !masked(v))
            {
                return Some((v.to_string(), format!("{line} / {next}")));
            }
        }
    }
    None
}

/// Like [`capture`], but a label naming a number or account (`Account`,
/// `Customer No.`, `Kundennummer`) beats one naming the customer
/// (`Customer: Tui Freight Ltd`), wherever they stand.
fn capture_best(re: &Option<Regex>, text: &str) -> Option<(String, String)> {
    let found: Vec<(String, String)> = unmasked(re, text).collect();
    let numbered = |src: &str| {
        let key = src.split([':', '\t']).next().unwrap_or("").to_lowercase();
        [
            "account", "number", "nummer", "no.", "no ", "#", "número", "numero", "numer", "code",
            "código", "codice", "id", "konto", "cuenta", "conta", "compte",
        ]
        .iter()
        .any(|w| key.contains(w))
    };
    found
        .iter()
        .find(|(_, src)| numbered(src))
        .or(found.first())
        .cloned()
}

/// Every match of `re` in `text` whose value (group `v`, else `w`) is not
/// masked: (value, the matched text).
fn unmasked<'a>(
    re: &'a Option<Regex>,
    text: &'a str,
) -> impl Iterator<Item = (String, String)> + 'a {
    re.iter().flat_map(move |re| {
        re.captures_iter(text).filter_map(|c| {
            let v = c.name("v").or_else(|| c.name("w"))?.as_str().trim();
            (!masked(v)).then(|| {
                (
                    v.to_string(),
                    c.get(0).map_or("", |m| m.as_str()).trim().to_string(),
                )
            })
        })
    })
}

fn capture(re: &Option<Regex>, text: &str) -> Option<(String, String)> {
    unmasked(re, text).next()
}

/// The customer account, or an empty string when the notice names none.
pub(super) fn find(subject: &str, body: &str, ev: &mut Vec<Evidence>) -> String {
    let found = capture_best(&LABEL, body)
        .or_else(|| from_table(body))
        .or_else(|| capture(&TAB, body))
        .or_else(|| capture(&NEXT_LINE, body))
        .or_else(|| capture(&TO, body))
        .or_else(|| capture(&SUBJECT, subject).map(|(v, _)| (v, format!("subject: {subject}"))))
        .or_else(|| capture(&GREETING, body).and_then(|(v, src)| Some((greeted(&v)?, src))))
        .or_else(|| salutation(body));
    // "Client : Compte n° FR-558120": the number, not its label
    let found = found.map(|(v, src)| {
        let bare = NUMBER_PREFIX
            .as_ref()
            .and_then(|r| r.find(&v))
            .filter(|m| m.start() == 0 && m.end() < v.len())
            .map_or(v.as_str(), |m| &v[m.end()..])
            .trim()
            .to_string();
        // "NWCS-4471 (Northwind Carrier Services SRL)": the id, not its gloss
        let bare = match bare.split_once(" (") {
            Some((id, _)) if !id.contains(' ') && id.chars().any(|c| c.is_ascii_digit()) => {
                id.to_string()
            }
            _ => bare,
        };
        (bare, src)
    });
    match found {
        Some((v, src)) if !v.is_empty() => {
            ev.push(Evidence {
                field: "account",
                value: v.clone(),
                source: src,
            });
            v
        }
        _ => String::new(),
    }
}
