//! The TOML shape of a profile and its compilation into a [`Profile`].
//!
//! Deserialisation refuses unknown keys; everything serde cannot check
//! (regexes, zones, date formats, status and impact names) is checked here,
//! with the byte span of the offending value turned into a line number.

use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use chrono::format::{Item, StrftimeItems};
use mnp_core::{Impact, Status};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::{Locator, Profile, ProfileError, Source};
use crate::helpers::tz::{self, Zone};

/// One string or a list of strings (`label = "Ticket"` or
/// `label = ["Ticket", "Reference"]`).
#[derive(Debug, Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    id: Spanned<String>,
    carrier: Spanned<String>,
    #[serde(default)]
    senders: Vec<String>,
    #[serde(default)]
    subjects: Vec<Spanned<String>>,
    #[serde(default)]
    signatures: Vec<String>,
    #[serde(default)]
    require: Vec<String>,
    #[serde(default)]
    doc: String,
    #[serde(default)]
    gaps: String,
    #[serde(default)]
    organizer: String,
    #[serde(default)]
    derive_id: bool,
    #[serde(default)]
    dates: RawDates,
    #[serde(default)]
    fields: RawFields,
    #[serde(default)]
    status: Vec<RawRule>,
    #[serde(default)]
    default_status: Option<Spanned<String>>,
    #[serde(default)]
    impact: Vec<RawRule>,
    #[serde(default)]
    default_impact: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDates {
    #[serde(default)]
    formats: Vec<Spanned<String>>,
    #[serde(default)]
    zone: Option<Spanned<String>>,
    #[serde(default)]
    zone_label: OneOrMany,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFields {
    id: Option<Spanned<RawField>>,
    begin: Option<Spanned<RawField>>,
    end: Option<Spanned<RawField>>,
    circuits: Option<Spanned<RawField>>,
    status: Option<Spanned<RawField>>,
    impact: Option<Spanned<RawField>>,
    account: Option<Spanned<RawField>>,
    summary: Option<Spanned<RawField>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawField {
    #[serde(default)]
    label: OneOrMany,
    #[serde(default)]
    header: OneOrMany,
    #[serde(default)]
    regex: Option<Spanned<String>>,
    #[serde(default)]
    from: Option<Spanned<String>>,
    #[serde(default)]
    split: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    to: Spanned<String>,
    words: Spanned<Vec<String>>,
}

/// Line (1-based) of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .unwrap_or(text)
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// The dotted key at byte `offset`: the last `[table]` header above it and
/// the `key =` on its line (or the word under the span).
pub(super) fn key_at(text: &str, span: Range<usize>) -> String {
    let start = span.start.min(text.len());
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = text
        .get(start..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| start + i);
    let line = text.get(line_start..line_end).unwrap_or("");
    let table = text
        .get(..line_start)
        .unwrap_or("")
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let under = text
        .get(span.clone())
        .unwrap_or("")
        .trim()
        .trim_matches('"')
        .to_string();
    let key = match line.split_once('=') {
        Some((k, _)) if !k.trim().starts_with('[') => k.trim().trim_matches('"').to_string(),
        _ if line.trim().starts_with('[') => line
            .trim()
            .trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_string(),
        _ => under,
    };
    match table {
        Some(t) if !line.trim().starts_with('[') && !key.is_empty() => format!("{t}.{key}"),
        Some(t) if key.is_empty() => t,
        _ => key,
    }
}

struct Ctx<'a> {
    name: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(
        &self,
        span: Range<usize>,
        key: impl Into<String>,
        reason: impl Into<String>,
    ) -> ProfileError {
        ProfileError {
            file: self.name.to_path_buf(),
            // 0..0 marks a key that is missing altogether: no line to name
            line: (span != (0..0)).then(|| line_of(self.text, span.start)),
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// Parse and check a profile's text.
pub(super) fn compile(name: &Path, text: &str) -> Result<Profile, ProfileError> {
    let ctx = Ctx { name, text };
    let raw: RawProfile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let msg = e.message().trim().to_string();
        // serde names the offending key in backticks: prefer it
        let named = msg
            .strip_prefix("unknown field `")
            .and_then(|r| r.split_once('`'))
            .map(|(k, _)| k.to_string());
        let mut key = key_at(text, span.clone());
        if let Some(k) = named.filter(|k| !key.ends_with(k.as_str())) {
            key = k;
        }
        ProfileError {
            file: name.to_path_buf(),
            line: e.span().map(|s| line_of(text, s.start)),
            key,
            reason: msg,
        }
    })?;

    let id = raw.id.get_ref().trim().to_string();
    let kebab =
        Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").map_err(|e| ctx.err(0..0, "id", e.to_string()))?;
    if !kebab.is_match(&id) {
        return Err(ctx.err(
            raw.id.span(),
            "id",
            format!("{id:?} is not a kebab-case vendor id"),
        ));
    }
    let carrier = raw.carrier.get_ref().trim().to_string();
    if carrier.is_empty() {
        return Err(ctx.err(raw.carrier.span(), "carrier", "empty carrier name"));
    }
    let senders: Vec<String> = raw
        .senders
        .iter()
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let mut subjects = Vec::new();
    for s in &raw.subjects {
        RegexBuilder::new(s.get_ref())
            .case_insensitive(true)
            .build()
            .map_err(|e| {
                ctx.err(
                    s.span(),
                    "subjects",
                    format!("bad regex: {}", first_line(&e.to_string())),
                )
            })?;
        subjects.push(s.get_ref().clone());
    }
    if senders.is_empty() && subjects.is_empty() && raw.signatures.is_empty() {
        return Err(ctx.err(
            raw.id.span(),
            "senders",
            "the profile cannot be routed: give senders, subjects or signatures",
        ));
    }

    let mut formats = Vec::new();
    for f in &raw.dates.formats {
        if f.get_ref().trim().is_empty()
            || StrftimeItems::new(f.get_ref()).any(|i| matches!(i, Item::Error))
        {
            return Err(ctx.err(
                f.span(),
                "dates.formats",
                format!("{:?} is not a chrono date format", f.get_ref()),
            ));
        }
        formats.push(f.get_ref().clone());
    }
    let zone: Option<Zone> = match &raw.dates.zone {
        None => None,
        Some(z) => Some(tz::zone_by_name(z.get_ref()).ok_or_else(|| {
            ctx.err(
                z.span(),
                "dates.zone",
                format!("unknown time zone {:?}", z.get_ref()),
            )
        })?),
    };
    let zone_label = raw.dates.zone_label.into_vec();

    let field =
        |key: &str, f: Option<Spanned<RawField>>| -> Result<Option<Locator>, ProfileError> {
            let Some(f) = f else { return Ok(None) };
            let span = f.span();
            let f = f.into_inner();
            let from = match f
                .from
                .as_ref()
                .map(|s| (s.get_ref().to_ascii_lowercase(), s.span()))
            {
                None => Source::Body,
                Some((s, _)) if s == "body" => Source::Body,
                Some((s, _)) if s == "subject" => Source::Subject,
                Some((s, sp)) => {
                    return Err(ctx.err(
                        sp,
                        format!("fields.{key}.from"),
                        format!("{s:?} is not `body` or `subject`"),
                    ));
                }
            };
            let regex = match &f.regex {
                None => None,
                Some(r) => {
                    let re = RegexBuilder::new(r.get_ref())
                        .multi_line(true)
                        .build()
                        .map_err(|e| {
                            ctx.err(
                                r.span(),
                                format!("fields.{key}.regex"),
                                format!("bad regex: {}", first_line(&e.to_string())),
                            )
                        })?;
                    if !re.capture_names().any(|n| n == Some("value")) {
                        return Err(ctx.err(
                            r.span(),
                            format!("fields.{key}.regex"),
                            "the regex has no named group `(?P<value>...)`",
                        ));
                    }
                    Some(re)
                }
            };
            let labels: Vec<String> = f
                .label
                .into_vec()
                .into_iter()
                .filter(|l| !l.trim().is_empty())
                .collect();
            let headers: Vec<String> = f
                .header
                .into_vec()
                .into_iter()
                .filter(|l| !l.trim().is_empty())
                .collect();
            if labels.is_empty() && headers.is_empty() && regex.is_none() {
                return Err(ctx.err(
                    span,
                    format!("fields.{key}"),
                    "give a label, a header or a regex",
                ));
            }
            if f.split.is_some() && key != "circuits" {
                return Err(ctx.err(
                    span,
                    format!("fields.{key}.split"),
                    "only circuits are split",
                ));
            }
            Ok(Some(Locator {
                labels,
                headers,
                regex,
                from,
                split: f.split.unwrap_or_else(|| vec![",".into(), ";".into()]),
            }))
        };
    let fields = raw.fields;
    let id_field = field("id", fields.id)?;
    let begin = field("begin", fields.begin)?;
    let end = field("end", fields.end)?;
    let circuits = field("circuits", fields.circuits)?;
    let status_field = field("status", fields.status)?;
    let impact_field = field("impact", fields.impact)?;
    let account = field("account", fields.account)?;
    let summary = field("summary", fields.summary)?;
    let (Some(begin), Some(end), Some(circuits)) = (begin, end, circuits) else {
        return Err(ctx.err(
            0..0,
            "fields",
            "fields.begin, fields.end and fields.circuits are required",
        ));
    };
    if id_field.is_none() && !raw.derive_id {
        return Err(ctx.err(0..0, "fields.id", "give fields.id, or derive_id = true"));
    }

    let mut status = Vec::new();
    for r in &raw.status {
        let s = Status::from_str(r.to.get_ref()).map_err(|_| {
            ctx.err(r.to.span(), "status.to", format!("{:?} is not a status (CONFIRMED, CANCELLED, RE-SCHEDULED, COMPLETED, IN-PROCESS, TENTATIVE, NO-CHANGE)", r.to.get_ref()))
        })?;
        status.push((s, words(&ctx, &r.words, "status.words")?));
    }
    let default_status = match &raw.default_status {
        None => Status::Confirmed,
        Some(s) => Status::from_str(s.get_ref()).map_err(|_| {
            ctx.err(
                s.span(),
                "default_status",
                format!("{:?} is not a status", s.get_ref()),
            )
        })?,
    };
    let mut impact = Vec::new();
    for r in &raw.impact {
        let i = Impact::from_str(r.to.get_ref()).map_err(|_| {
            ctx.err(
                r.to.span(),
                "impact.to",
                format!(
                    "{:?} is not an impact (NO-IMPACT, REDUCED-REDUNDANCY, DEGRADED, OUTAGE)",
                    r.to.get_ref()
                ),
            )
        })?;
        impact.push((i, words(&ctx, &r.words, "impact.words")?));
    }
    let default_impact = match &raw.default_impact {
        None => Impact::Outage,
        Some(s) => Impact::from_str(s.get_ref()).map_err(|_| {
            ctx.err(
                s.span(),
                "default_impact",
                format!("{:?} is not an impact", s.get_ref()),
            )
        })?,
    };

    Ok(Profile {
        id,
        carrier,
        path: name.to_path_buf(),
        senders,
        subjects,
        signatures: raw
            .signatures
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
        require: raw
            .require
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
        doc: raw.doc,
        gaps: raw.gaps,
        organizer: raw.organizer,
        derive_id: raw.derive_id,
        formats,
        zone,
        zone_label,
        id_field,
        begin,
        end,
        circuits,
        status_field,
        impact_field,
        account,
        summary,
        status,
        default_status,
        impact,
        default_impact,
    })
}

fn words(ctx: &Ctx<'_>, w: &Spanned<Vec<String>>, key: &str) -> Result<Vec<String>, ProfileError> {
    let list: Vec<String> = w
        .get_ref()
        .iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    if list.is_empty() {
        return Err(ctx.err(w.span(), key, "an empty word list maps nothing"));
    }
    Ok(list)
}

fn first_line(s: &str) -> String {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}
