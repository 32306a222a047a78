//! The customer alert mail: subject, HTML and plain-text bodies, recipients.
//!
//! One mail per episode ([`AlertKind::Opened`]), optional reminders while it
//! lasts ([`AlertKind::Reminder`], see [`RepeatPolicy`]) and one when it
//! resolves ([`AlertKind::Resolved`]). Delivery (SMTP with `lettre`, or the
//! outbox folder) is the caller's job; this module produces the values.
//!
//! # Templates
//! `templates/maxout.html`, `templates/maxout.txt` and
//! `templates/subject.txt` are compiled in (`include_str!`) and rendered with
//! minijinja. The HTML is a 600 px table layout with inline CSS only: the
//! utilisation bar is two table cells, there are no images, no web fonts and
//! no remote URLs, so it looks the same in Outlook, Gmail and Apple Mail
//! and nothing is fetched when the mail is opened.
//!
//! # Safety
//! * All values reach the templates as strings prepared here; the HTML
//!   template is auto-escaped (minijinja escapes `& < > " ' /`), so customer
//!   names such as `<script>` or `"quotes"` are shown, never interpreted.
//! * Every single-line value has control characters (CR, LF, TAB, NUL…)
//!   replaced by spaces; the subject is cleaned again after rendering, so
//!   it can never carry a line break into the mail header.
//! * [`Address`] accepts plain `local@domain` ASCII addresses only — no
//!   display names, quotes, comments, spaces or control characters — so a
//!   recipient cannot smuggle in a header either.
//!
//! ```
//! use mnp_maxout::alert::{Brand, Recipients};
//! let r = Recipients::for_customer("ACME", Some("noc@acme.example"), Some("am@isp.example"), Some("cx@isp.example")).unwrap();
//! assert_eq!(r.to()[0].as_str(), "noc@acme.example");
//! assert_eq!(r.cc().len(), 2);
//! assert!(Recipients::for_customer("ACME", Some("noc@acme.example\r\nBcc: x@evil.example"), None, None).is_err());
//! ```

use chrono::{DateTime, Utc};
use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use crate::engine::Episode;
use crate::error::{Error, Result, clip};
use crate::telemetry::Direction;
use crate::units::{Seconds, format_bps, format_duration, format_percent, format_time};

const HTML: &str = include_str!("../templates/maxout.html");
const TEXT: &str = include_str!("../templates/maxout.txt");
const SUBJECT: &str = include_str!("../templates/subject.txt");

/// Longest subject we produce, in characters.
const SUBJECT_MAX: usize = 200;

/// A validated mail address (`local@domain`, ASCII, no display name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Address(String);

impl Address {
    /// The address text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses one address. Refuses control characters (header injection),
    /// spaces, display names, quoted local parts, IP-literal and non-ASCII
    /// domains, and domains without a dot.
    pub fn parse(s: &str) -> Result<Address> {
        let bad = |reason: &str| Error::Address {
            address: clip(s),
            reason: reason.to_string(),
        };
        if s.chars().any(char::is_control) {
            return Err(bad("contains control characters (CR, LF, TAB…)"));
        }
        let a = s.trim();
        if a.is_empty() {
            return Err(bad("empty"));
        }
        if a.len() > 254 {
            return Err(bad("longer than 254 characters"));
        }
        if !a.is_ascii() {
            return Err(bad("non-ASCII addresses are not supported"));
        }
        let (local, domain) = a.rsplit_once('@').ok_or_else(|| bad("no @"))?;
        if local.is_empty() || local.len() > 64 {
            return Err(bad("local part must be 1 to 64 characters"));
        }
        const SPECIAL: &str = "!#$%&'*+/=?^_`{|}~-.";
        if !local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c))
        {
            return Err(bad(
                "local part has characters other than letters, digits and !#$%&'*+/=?^_`{|}~-.",
            ));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(bad("misplaced dot in the local part"));
        }
        if !domain.contains('.') {
            return Err(bad("domain needs a dot"));
        }
        for label in domain.split('.') {
            if label.is_empty() || label.len() > 63 {
                return Err(bad("empty or too long domain label"));
            }
            if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                || label.starts_with('-')
                || label.ends_with('-')
            {
                return Err(bad("domain labels take letters, digits and inner hyphens"));
            }
        }
        Ok(Address(a.to_string()))
    }

    /// Parses a list separated by commas or semicolons (as stored in a
    /// customer record: `"noc@a.example, ops@a.example"`). Empty items are
    /// skipped; any bad item fails the whole list.
    pub fn parse_list(s: &str) -> Result<Vec<Address>> {
        s.split([',', ';'])
            .filter(|p| !p.trim().is_empty())
            .map(Address::parse)
            .collect()
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Address {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Address::parse(s)
    }
}

/// Who gets an alert: the customer contact in To, the account manager and
/// the CX team in CC. Duplicates (case-insensitive) are dropped; an address
/// in To is not repeated in CC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipients {
    to: Vec<Address>,
    cc: Vec<Address>,
}

impl Recipients {
    /// Recipients from a customer record. `customer` names the customer in
    /// the error when there is no contact.
    pub fn for_customer(
        customer: &str,
        contact: Option<&str>,
        account_manager: Option<&str>,
        cx_team: Option<&str>,
    ) -> Result<Recipients> {
        let to = Address::parse_list(contact.unwrap_or_default())?;
        if to.is_empty() {
            return Err(Error::MissingContact {
                customer: clip(customer),
            });
        }
        let mut cc = Address::parse_list(account_manager.unwrap_or_default())?;
        cc.extend(Address::parse_list(cx_team.unwrap_or_default())?);
        Ok(Recipients::build(to, cc))
    }

    /// Internal-only recipients for a customer without a contact: the CX
    /// team in To, the account manager in CC.
    pub fn internal(account_manager: Option<&str>, cx_team: Option<&str>) -> Result<Recipients> {
        let to = Address::parse_list(cx_team.unwrap_or_default())?;
        let cc = Address::parse_list(account_manager.unwrap_or_default())?;
        if to.is_empty() && cc.is_empty() {
            return Err(Error::MissingContact {
                customer: "(internal)".into(),
            });
        }
        let (to, cc) = if to.is_empty() {
            (cc, Vec::new())
        } else {
            (to, cc)
        };
        Ok(Recipients::build(to, cc))
    }

    fn build(to: Vec<Address>, cc: Vec<Address>) -> Recipients {
        let mut seen: Vec<String> = Vec::new();
        let mut keep = |a: &Address| {
            let k = a.0.to_ascii_lowercase();
            if seen.contains(&k) {
                false
            } else {
                seen.push(k);
                true
            }
        };
        let to: Vec<Address> = to.into_iter().filter(&mut keep).collect();
        let cc: Vec<Address> = cc.into_iter().filter(&mut keep).collect();
        Recipients { to, cc }
    }

    /// To.
    pub fn to(&self) -> &[Address] {
        &self.to
    }

    /// CC.
    pub fn cc(&self) -> &[Address] {
        &self.cc
    }
}

/// Which mail of an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    /// The episode opened.
    Opened,
    /// It is still open (sent every [`RepeatPolicy::every`]).
    Reminder,
    /// It resolved.
    Resolved,
}

impl AlertKind {
    /// `opened`, `reminder`, `resolved`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Opened => "opened",
            AlertKind::Reminder => "reminder",
            AlertKind::Resolved => "resolved",
        }
    }
}

/// When to remind a customer of an episode that is still open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RepeatPolicy {
    /// Remind this long after the last mail of the episode; `None` never.
    pub every: Option<Seconds>,
    /// Send the resolved mail (default true).
    #[serde(default = "yes")]
    pub resolved_mail: bool,
}

fn yes() -> bool {
    true
}

impl RepeatPolicy {
    /// Whether a reminder is due for an open episode whose last mail went out
    /// at `last_sent`.
    pub fn reminder_due(&self, last_sent: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        match self.every {
            Some(every) if every.0 > 0 => (now - last_sent).num_milliseconds() >= every.as_millis(),
            _ => false,
        }
    }
}

/// Who sends the mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// Company name shown in the header and subject.
    pub company: String,
    /// NOC mail address (shown as a mailto link).
    pub noc_email: String,
    /// NOC phone, optional.
    #[serde(default)]
    pub noc_phone: Option<String>,
}

/// One way out of a maxout, shown in the mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpgradeOption {
    /// Short title ("Upgrade to 2 Gbit/s").
    pub title: String,
    /// One or two sentences.
    pub detail: String,
    /// New ceiling, bits/s, when the option has one.
    pub capacity_bps: Option<u64>,
}

/// Common port/product speeds, bits/s, used for suggestions.
pub const TIERS: [u64; 20] = [
    10_000_000,
    20_000_000,
    50_000_000,
    100_000_000,
    200_000_000,
    300_000_000,
    500_000_000,
    1_000_000_000,
    2_000_000_000,
    3_000_000_000,
    5_000_000_000,
    10_000_000_000,
    20_000_000_000,
    25_000_000_000,
    40_000_000_000,
    50_000_000_000,
    100_000_000_000,
    200_000_000_000,
    400_000_000_000,
    800_000_000_000,
];

/// Target utilisation of the peak on a suggested upgrade.
pub const UPGRADE_HEADROOM: f64 = 0.7;

/// Suggested options for an episode:
/// * **Upgrade** — the smallest [`TIERS`] speed above the current ceiling
///   that carries the peak at ≤ 70 % ([`UPGRADE_HEADROOM`]);
/// * **Burst** — when the circuit has no burst: the smallest tier at least
///   1.5 × the provisioned rate, keeping the commit;
/// * beyond the largest tier: an additional circuit.
pub fn suggest_options(ep: &Episode) -> Vec<UpgradeOption> {
    let mut out = Vec::new();
    let need = (ep.peak_bps / UPGRADE_HEADROOM).max(ep.capacity_bps as f64 + 1.0);
    match TIERS.iter().find(|&&t| t as f64 >= need) {
        Some(&t) => out.push(UpgradeOption {
            title: format!("Upgrade to {}", format_bps(t as f64)),
            detail: format!(
                "Your peak of {} would use {} of a {} service, leaving room for growth.",
                format_bps(ep.peak_bps),
                format_percent(ep.peak_bps / t as f64 * 100.0),
                format_bps(t as f64)
            ),
            capacity_bps: Some(t),
        }),
        None => out.push(UpgradeOption {
            title: "Add a parallel circuit".into(),
            detail: "Your traffic exceeds our largest single service; a second circuit with load sharing doubles the capacity.".into(),
            capacity_bps: None,
        }),
    }
    if ep.burst_bps.is_none_or(|b| b <= ep.provisioned_bps) {
        let want = ep.provisioned_bps as f64 * 1.5;
        if let Some(&t) = TIERS.iter().find(|&&t| t as f64 >= want) {
            out.push(UpgradeOption {
                title: format!("Enable burst up to {}", format_bps(t as f64)),
                detail: format!(
                    "Keep your {} commitment and absorb peaks up to {}; usage above the commitment is billed by the 95th percentile.",
                    format_bps(ep.provisioned_bps as f64),
                    format_bps(t as f64)
                ),
                capacity_bps: Some(t),
            });
        }
    }
    out
}

/// Everything one alert mail shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertInput {
    /// Which mail.
    pub kind: AlertKind,
    /// The episode (for a resolved mail: with its end).
    pub episode: Episode,
    /// Customer display name.
    pub customer_name: String,
    /// Circuit description (service name, A–B end), may be empty.
    pub circuit_description: String,
    /// Options to offer (usually [`suggest_options`]).
    pub options: Vec<UpgradeOption>,
    /// Reminder interval to mention, if reminders are on.
    pub repeat_every: Option<Seconds>,
}

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// One line, no control characters, at most 200 characters.
    pub subject: String,
    /// The plain-text alternative.
    pub text: String,
    /// The HTML alternative.
    pub html: String,
}

/// Renders alert mails with the compiled-in templates.
#[derive(Debug)]
pub struct Renderer {
    env: Environment<'static>,
    brand: Brand,
}

impl Renderer {
    /// A renderer for a sender.
    pub fn new(brand: Brand) -> Result<Renderer> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        // Keeps "1 Gbit/s" and "1 h 35 min" on one line in running text.
        env.add_filter("nobr", |s: String| s.replace(' ', "\u{a0}"));
        for (name, src) in [
            ("maxout.html", HTML),
            ("maxout.txt", TEXT),
            ("subject.txt", SUBJECT),
        ] {
            env.add_template(name, src).map_err(|e| Error::Template {
                template: name.into(),
                reason: format!("{e:#}"),
            })?;
        }
        Ok(Renderer { env, brand })
    }

    /// Renders subject, text and HTML of one mail.
    pub fn render(&self, input: &AlertInput) -> Result<Rendered> {
        let view = View::new(&self.brand, input);
        let render = |name: &str| -> Result<String> {
            self.env
                .get_template(name)
                .and_then(|t| t.render(&view))
                .map_err(|e| Error::Template {
                    template: name.into(),
                    reason: format!("{e:#}"),
                })
        };
        let subject = one_line(&render("subject.txt")?, SUBJECT_MAX);
        Ok(Rendered {
            subject,
            text: render("maxout.txt")?,
            html: render("maxout.html")?,
        })
    }
}

/// Replaces control characters by spaces, collapses whitespace, trims and
/// cuts to `max` characters (with an ellipsis).
pub fn one_line(s: &str, max: usize) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let joined = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= max {
        joined
    } else {
        let mut out: String = joined.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The template context: every value is a ready string (or number for the bar).
#[derive(Debug, Serialize)]
struct View {
    kind: &'static str,
    company: String,
    noc_email: String,
    noc_phone: Option<String>,
    customer: String,
    circuit: String,
    description: String,
    peak_percent: String,
    peak_bps: String,
    threshold: String,
    ceiling: String,
    started: String,
    ended: Option<String>,
    duration: String,
    time_over: String,
    direction: String,
    provisioned: String,
    burst: Option<String>,
    bar_fill: u32,
    bar_rest: u32,
    bar_color: &'static str,
    bar_ascii: String,
    options: Vec<OptionView>,
    repeat_every: Option<String>,
    reference: String,
    details: Vec<Row>,
}

#[derive(Debug, Serialize)]
struct OptionView {
    title: String,
    detail: String,
}

#[derive(Debug, Serialize)]
struct Row {
    label: &'static str,
    value: String,
}

impl View {
    fn new(brand: &Brand, input: &AlertInput) -> View {
        let ep = &input.episode;
        let line = |s: &str| one_line(s, 200);
        let until = ep.end.unwrap_or(ep.last_sample);
        let duration_s = u64::try_from((until - ep.start).num_seconds()).unwrap_or(0);
        let fill = if ep.peak_percent.is_finite() {
            ep.peak_percent.round().clamp(0.0, 100.0) as u32
        } else {
            0
        };
        let bar_color = if ep.peak_percent >= ep.threshold_percent {
            "#c62828"
        } else if ep.peak_percent >= 80.0 {
            "#e67e22"
        } else {
            "#2e7d32"
        };
        let ascii_fill = (fill as usize * 30 + 50) / 100;
        let bar_ascii = format!(
            "[{}{}]",
            "#".repeat(ascii_fill),
            "-".repeat(30 - ascii_fill.min(30))
        );
        let direction = match ep.direction {
            Direction::In => "from your network to us (upstream)",
            Direction::Out => "from us to your network (downstream)",
            Direction::Both => "both directions",
        }
        .to_string();
        let ceiling = format_bps(ep.capacity_bps as f64);
        let peak_percent = format_percent(ep.peak_percent);
        let peak_bps = format_bps(ep.peak_bps);
        let threshold = format_percent(ep.threshold_percent);
        let started = format_time(ep.start);
        let ended = ep.end.map(format_time);
        let duration = format_duration(duration_s);
        let time_over = format_duration(ep.seconds_over);
        let provisioned = format_bps(ep.provisioned_bps as f64);
        let burst = ep
            .burst_bps
            .filter(|&b| b > ep.provisioned_bps)
            .map(|b| format_bps(b as f64));
        let description = line(&input.circuit_description);

        let mut details = vec![Row {
            label: "Circuit",
            value: line(&ep.circuit),
        }];
        if !description.is_empty() {
            details.push(Row {
                label: "Service",
                value: description.clone(),
            });
        }
        details.push(Row {
            label: "Started",
            value: started.clone(),
        });
        match &ended {
            Some(e) => details.push(Row {
                label: "Ended",
                value: e.clone(),
            }),
            None => {
                details.push(Row {
                    label: "Status",
                    value: "Ongoing".into(),
                });
                details.push(Row {
                    label: "Last measurement",
                    value: format_time(ep.last_sample),
                });
            }
        }
        details.push(Row {
            label: "Duration",
            value: duration.clone(),
        });
        details.push(Row {
            label: "Time at or above threshold",
            value: format!("{time_over} (threshold {threshold} of {ceiling})"),
        });
        details.push(Row {
            label: "Peak",
            value: format!("{peak_bps} ({peak_percent} of {ceiling})"),
        });
        details.push(Row {
            label: "Direction",
            value: direction.clone(),
        });
        details.push(Row {
            label: "Provisioned",
            value: match &burst {
                Some(b) => format!("{provisioned} committed, burst up to {b}"),
                None => provisioned.clone(),
            },
        });

        View {
            kind: input.kind.as_str(),
            company: line(&brand.company),
            noc_email: line(&brand.noc_email),
            noc_phone: brand
                .noc_phone
                .as_deref()
                .map(line)
                .filter(|p| !p.is_empty()),
            customer: line(&input.customer_name),
            circuit: line(&ep.circuit),
            description,
            peak_percent,
            peak_bps,
            threshold,
            ceiling,
            started,
            ended,
            duration,
            time_over,
            direction,
            provisioned,
            burst,
            bar_fill: fill,
            bar_rest: 100 - fill,
            bar_color,
            bar_ascii,
            options: input
                .options
                .iter()
                .map(|o| OptionView {
                    title: line(&o.title),
                    detail: line(&o.detail),
                })
                .collect(),
            repeat_every: input
                .repeat_every
                .filter(|s| s.0 > 0)
                .map(|s| format_duration(s.0)),
            reference: ep.id.to_string(),
            details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(Address::parse("noc@acme.example").is_ok());
        assert!(Address::parse(" first.last+tag@sub.acme-corp.example ").is_ok());
        for bad in [
            "",
            "acme.example",
            "a@b",
            "a@@b.example",
            "a b@c.example",
            "\"a\"@c.example",
            "Name <a@c.example>",
            "a@c.example\r\nBcc: x@evil.example",
            "a@c.example\n",
            "a\u{0}@c.example",
            ".a@c.example",
            "a..b@c.example",
            "a@-c.example",
            "a@c..example",
            "ä@c.example",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad:?} accepted");
        }
        let l = Address::parse_list("a@x.example, b@x.example; ;").unwrap();
        assert_eq!(l.len(), 2);
        assert!(Address::parse_list("a@x.example, nope").is_err());
    }

    #[test]
    fn recipients_dedup_and_roles() {
        let r = Recipients::for_customer(
            "C",
            Some("noc@c.example"),
            Some("am@isp.example, NOC@c.example"),
            Some("am@isp.example; cx@isp.example"),
        )
        .unwrap();
        let to: Vec<&str> = r.to().iter().map(Address::as_str).collect();
        let cc: Vec<&str> = r.cc().iter().map(Address::as_str).collect();
        assert_eq!(to, vec!["noc@c.example"]);
        assert_eq!(cc, vec!["am@isp.example", "cx@isp.example"]);
        assert!(matches!(
            Recipients::for_customer("C", None, Some("am@isp.example"), None),
            Err(Error::MissingContact { .. })
        ));
        assert!(matches!(
            Recipients::for_customer("C", Some(" "), None, None),
            Err(Error::MissingContact { .. })
        ));
        let i = Recipients::internal(Some("am@isp.example"), None).unwrap();
        assert_eq!(i.to()[0].as_str(), "am@isp.example");
        assert!(Recipients::internal(None, None).is_err());
    }

    #[test]
    fn repeat_policy() {
        let t = DateTime::from_timestamp(0, 0).unwrap();
        let p = RepeatPolicy {
            every: Some(Seconds::minutes(60)),
            resolved_mail: true,
        };
        assert!(!p.reminder_due(t, t + chrono::Duration::minutes(59)));
        assert!(p.reminder_due(t, t + chrono::Duration::minutes(60)));
        assert!(!RepeatPolicy::default().reminder_due(t, t + chrono::Duration::days(9)));
        let p: RepeatPolicy = serde_json::from_str(r#"{"every":"4h"}"#).unwrap();
        assert_eq!(p.every, Some(Seconds(14_400)));
        assert!(p.resolved_mail);
    }

    #[test]
    fn one_line_strips_controls() {
        assert_eq!(one_line("a\r\nBcc: x\t y", 100), "a Bcc: x y");
        assert_eq!(one_line("abcdef", 4), "abc…");
    }
}
