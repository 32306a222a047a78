//! Cisco NX-OS link-state messages (`%ETHPORT-5-IF_DOWN_…`,
//! `%ETHPORT-5-IF_UP`).

use std::sync::LazyLock;

use regex::Regex;

use super::{FamilyExample, LinkFamily, LinkState, Recognised, SyslogMessage, re};

const DOC: &str = "\
# Formats
`%ETHPORT-5-IF_DOWN_<CAUSE>: Interface Ethernet1/1 is down (<cause text>)`
for every cause (`LINK_FAILURE`, `ADMIN_DOWN`, `CFG_CHANGE`,
`PORT_CHANNEL_MEMBERS_DOWN`, `INTERFACE_REMOVED`, …) and `%ETHPORT-5-IF_UP:
Interface Ethernet1/1 is up in mode access|trunk|routed`, anywhere in the
message (NX-OS writes its own `2024 May  1 10:00:00 UTC:` stamp first).

# Quirks
Admin-down causes are DOWNs like the others. `%ETHPORT-5-IF_ADMIN_UP` /
`IF_ADMIN_DOWN` report the configured state, not the link, and are left as
noise, as are `SPEED`, `IF_DUPLEX`, `IF_BANDWIDTH_CHANGE` and flow-control
notices.

# Known gaps
`%ETH_PORT_CHANNEL-5-PORT_DOWN` (member left a port-channel) is noise; the
port-channel itself reports `IF_DOWN_PORT_CHANNEL_MEMBERS_DOWN`.
";

inventory::submit! {
    LinkFamily {
        id: "cisco-nxos",
        description: "Cisco NX-OS %ETHPORT-5-IF_DOWN_*, %ETHPORT-5-IF_UP",
        doc: DOC,
        fixtures: &["logs_cisco_nxos.log"],
        examples: &[
            FamilyExample {
                line: "<189>May  1 10:00:00 n9k-1 : 2024 May  1 10:00:00 UTC: %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/1 is down (Link failure)",
                port: "Ethernet1/1",
                state: LinkState::Down,
            },
            FamilyExample {
                line: "<189>May  1 10:00:30 n9k-1 : 2024 May  1 10:00:30 UTC: %ETHPORT-5-IF_UP: Interface Ethernet1/1 is up in mode trunk",
                port: "Ethernet1/1",
                state: LinkState::Up,
            },
        ],
        fallback: false,
        recognise,
    }
}

static MNEMONIC: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"%ETHPORT-\d-IF_(UP|DOWN_[A-Z0-9_]+)\s*:\s*(.*)$"));
static BODY: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)^Interface\s+([^\s,]+)\s+is\s+(up|down)\b"));

fn recognise(m: &SyslogMessage<'_>) -> Option<Result<Recognised, String>> {
    if !m.text.contains("%ETHPORT-") {
        return None;
    }
    let c = MNEMONIC.as_ref()?.captures(m.text)?;
    let want = if c.get(1).is_some_and(|k| k.as_str() == "UP") {
        LinkState::Up
    } else {
        LinkState::Down
    };
    let rest = c.get(2).map_or("", |r| r.as_str());
    Some(read(rest, want))
}

fn read(rest: &str, want: LinkState) -> Result<Recognised, String> {
    let body = BODY.as_ref().ok_or("internal: body pattern")?;
    let c = body
        .captures(rest)
        .ok_or_else(|| format!("expected `Interface NAME is up|down` in {rest:?}"))?;
    let said = c.get(2).map_or("", |s| s.as_str()).parse::<LinkState>()?;
    if said != want {
        return Err(format!("mnemonic says {want} but the text says {said}"));
    }
    let port = c.get(1).map_or("", |p| p.as_str()).to_string();
    Ok(Recognised { port, state: want })
}
