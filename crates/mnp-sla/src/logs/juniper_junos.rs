//! Juniper Junos link-state messages (`SNMP_TRAP_LINK_DOWN`,
//! `SNMP_TRAP_LINK_UP`).

use std::sync::LazyLock;

use regex::Regex;

use super::{FamilyExample, LinkFamily, LinkState, Recognised, SyslogMessage, re};

const DOC: &str = "\
# Formats
`mib2d[1234]: SNMP_TRAP_LINK_DOWN: ifIndex 520, ifAdminStatus up(1),
ifOperStatus down(2), ifName xe-0/0/1` and `SNMP_TRAP_LINK_UP` (also with
the explicit-priority prefix `%DAEMON-4-SNMP_TRAP_LINK_DOWN:`). In Junos
structured (RFC 5424) logs the mnemonic is the MSGID and the interface is
also in the `interface-name` structured-data parameter, read when the text
has no `ifName`.

# Quirks
The mnemonic decides the state; `ifAdminStatus down(2)` (a disabled port) is
a DOWN like the others. Logical units (`xe-0/0/1.0`) send their own traps and
are ports of their own: map them, or they are reported as unknown ports.

# Known gaps
Traps that carry only an `ifIndex` (very old Junos) are malformed: an index
cannot be mapped to a port without the device's SNMP table.
";

inventory::submit! {
    LinkFamily {
        id: "juniper-junos",
        description: "Juniper Junos SNMP_TRAP_LINK_DOWN, SNMP_TRAP_LINK_UP",
        doc: DOC,
        fixtures: &["logs_juniper_junos.log"],
        examples: &[
            FamilyExample {
                line: "<28>May  1 10:00:00 mx1 mib2d[1234]: SNMP_TRAP_LINK_DOWN: ifIndex 520, ifAdminStatus up(1), ifOperStatus down(2), ifName xe-0/0/1",
                port: "xe-0/0/1",
                state: LinkState::Down,
            },
            FamilyExample {
                line: "<28>1 2024-05-01T10:00:07.204+02:00 mx1 mib2d 1234 SNMP_TRAP_LINK_UP [junos@2636.1.1.1.2.21 snmp-interface-index=\"520\" admin-status=\"up(1)\" operational-status=\"up(1)\" interface-name=\"xe-0/0/1\"] ifIndex 520, ifAdminStatus up(1), ifOperStatus up(1), ifName xe-0/0/1",
                port: "xe-0/0/1",
                state: LinkState::Up,
            },
        ],
        fallback: false,
        recognise,
    }
}

static MNEMONIC: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\bSNMP_TRAP_LINK_(UP|DOWN)\b"));
static IFNAME: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\bifName\s+([^\s,]+)"));
static SD_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| re(r#"\binterface-name="([^"\\]+)""#));

fn recognise(m: &SyslogMessage<'_>) -> Option<Result<Recognised, String>> {
    let in_text = m.text.contains("SNMP_TRAP_LINK_");
    let in_msgid = m.msgid.is_some_and(|i| i.starts_with("SNMP_TRAP_LINK_"));
    if !in_text && !in_msgid {
        return None;
    }
    let mnemonic = MNEMONIC.as_ref()?;
    let c = mnemonic
        .captures(m.msgid.unwrap_or(""))
        .or_else(|| mnemonic.captures(m.text))?;
    let state = if c.get(1).is_some_and(|s| s.as_str() == "UP") {
        LinkState::Up
    } else {
        LinkState::Down
    };
    let from = |rx: &LazyLock<Option<Regex>>, s: &str| {
        rx.as_ref()
            .and_then(|r| r.captures(s))
            .and_then(|c| c.get(1))
            .map(|p| p.as_str().to_string())
    };
    let port = from(&IFNAME, m.text).or_else(|| from(&SD_NAME, m.structured_data.unwrap_or("")));
    Some(match port {
        Some(port) => Ok(Recognised { port, state }),
        None => Err("no ifName (nor interface-name structured data)".into()),
    })
}
