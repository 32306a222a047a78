//! # An example mnp plugin: "Example Networks" notices
//!
//! Built as a `cdylib` and loaded with `mnp --plugin-dir DIR`. It depends on
//! nothing but `mnp-plugin` (no serde, no mnp-core): bytes in, JSON out.
//!
//! The format is a plain-text notice from `example-networks.test` with
//! `Reference:`, `Status:`, `Start:`/`End:` (RFC 3339) and one `Circuit:` line
//! per circuit. For the host's robustness tests, a mail carrying the header
//! `X-Example-Behaviour: panic` makes the plugin panic and `... garbage` makes
//! it return bytes that are not JSON.

use mnp_plugin::{Plugin, PluginError, json_escape};

struct ExampleNetworks;

fn field<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        l.trim()
            .strip_prefix(label)
            .map(|v| v.trim_start_matches(':').trim())
    })
}

impl Plugin for ExampleNetworks {
    fn descriptor() -> String {
        r##"{"id":"example-networks","carrier":"Example Networks (plugin)","senders":["example-networks.test"],"subjects":["^Example Networks maintenance"],"formats":["text"],"doc":"# Routing\nSender example-networks.test.\n\n# Formats\nReference/Status/Start/End/Circuit lines.\n\n# Quirks\nNone.\n\n# Known gaps\nOnly RFC 3339 times."}"##.to_string()
    }

    fn parse(mail: &[u8]) -> Result<String, PluginError> {
        let text = String::from_utf8_lossy(mail);
        if text.contains("X-Example-Behaviour: panic") {
            panic!("example plugin asked to panic");
        }
        if text.contains("X-Example-Behaviour: garbage") {
            return Ok("\u{1}\u{2} definitely not json".to_string());
        }
        let err = |kind: &str, m: &str| PluginError {
            kind: kind.into(),
            message: m.into(),
        };
        let Some(reference) = field(&text, "Reference") else {
            return Err(err("not-maintenance", "no Reference: line"));
        };
        let status = match field(&text, "Status")
            .unwrap_or("confirmed")
            .to_ascii_lowercase()
            .as_str()
        {
            "cancelled" | "canceled" => "CANCELLED",
            "completed" => "COMPLETED",
            _ => "CONFIRMED",
        };
        let start = field(&text, "Start").ok_or_else(|| err("missing-field", "Start"))?;
        let end = field(&text, "End").ok_or_else(|| err("missing-field", "End"))?;
        let circuits: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Circuit:"))
            .map(|c| {
                format!(
                    "{{\"vendorCircuitId\":\"{}\",\"impact\":\"OUTAGE\"}}",
                    json_escape(c.trim())
                )
            })
            .collect();
        Ok(format!(
            "[{{\"provider\":\"example-networks\",\"maintenanceId\":\"{}\",\"status\":\"{status}\",\"beginWindow\":\"{}\",\"endWindow\":\"{}\",\"circuits\":[{}]}}]",
            json_escape(reference),
            json_escape(start),
            json_escape(end),
            circuits.join(",")
        ))
    }
}

mnp_plugin::export_plugin!(ExampleNetworks);
