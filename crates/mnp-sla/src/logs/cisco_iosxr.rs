//! Cisco IOS-XR link-state messages (`%PKT_INFRA-LINK-…`,
//! `%PKT_INFRA-LINEPROTO-…`).

use std::sync::LazyLock;

use regex::Regex;

use super::{FamilyExample, LinkFamily, LinkState, Recognised, SyslogMessage, cisco_ios, re};

const DOC: &str = "\
# Formats
`%PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/0/0/1, changed state to
Down|Up`, `%PKT_INFRA-LINK-5-CHANGED : Interface …, changed state to
Administratively Down` and `%PKT_INFRA-LINEPROTO-5-UPDOWN : Line protocol on
Interface TenGigE0/0/0/1, changed state to Down|Up` (note the blank before
the colon), anywhere in the message, usually after the node and process:
`RP/0/RSP0/CPU0:May  1 10:00:00.123 UTC: ifmgr[254]: …`.

# Quirks
States are capitalised (`Down`, `Up`); case is ignored. Names are XR's
(`TenGigE`, `HundredGigE`, `Bundle-Ether10`), normalised to the same ports as
`Te…`, `Hu…`, `BE10`.

# Known gaps
`%PKT_INFRA-FM-…` fault-manager alarms and optics alarms are not link
transitions and are left as noise.
";

inventory::submit! {
    LinkFamily {
        id: "cisco-iosxr",
        description: "Cisco IOS-XR %PKT_INFRA-LINK-3-UPDOWN, %PKT_INFRA-LINEPROTO-5-UPDOWN",
        doc: DOC,
        fixtures: &["logs_cisco_iosxr.log"],
        examples: &[
            FamilyExample {
                line: "<187>May  1 10:00:00 pe1 RP/0/RSP0/CPU0:May  1 10:00:00.123 UTC: ifmgr[254]: %PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/0/0/1, changed state to Down",
                port: "TenGigE0/0/0/1",
                state: LinkState::Down,
            },
            FamilyExample {
                line: "<189>1 2024-05-01T08:00:09.5Z pe1 ifmgr 254 - - RP/0/RSP0/CPU0:May  1 08:00:09.500 UTC: ifmgr[254]: %PKT_INFRA-LINEPROTO-5-UPDOWN : Line protocol on Interface Bundle-Ether10, changed state to Up",
                port: "Bundle-Ether10",
                state: LinkState::Up,
            },
        ],
        fallback: false,
        recognise,
    }
}

static LINK: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"%PKT_INFRA-LINK-\d-(?:UPDOWN|CHANGED)\s*:\s*(.*)$"));
static LINEPROTO: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"%PKT_INFRA-LINEPROTO-\d-UPDOWN\s*:\s*(.*)$"));
static LINK_BODY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)^Interface\s+([^\s,]+)\s*,\s*changed\s+state\s+to\s+([A-Za-z][A-Za-z ]*)")
});
static LINEPROTO_BODY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)^Line\s+protocol\s+on\s+Interface\s+([^\s,]+)\s*,\s*changed\s+state\s+to\s+([A-Za-z][A-Za-z ]*)",
    )
});

fn recognise(m: &SyslogMessage<'_>) -> Option<Result<Recognised, String>> {
    let text = m.text;
    if !text.contains("%PKT_INFRA-LINK") && !text.contains("%PKT_INFRA-LINEPROTO") {
        return None;
    }
    for (mnemonic, body) in [(&*LINK, &*LINK_BODY), (&*LINEPROTO, &*LINEPROTO_BODY)] {
        let (Some(mnemonic), Some(body)) = (mnemonic.as_ref(), body.as_ref()) else {
            continue;
        };
        if let Some(rest) = mnemonic.captures(text).and_then(|c| c.get(1)) {
            return Some(cisco_ios::read_body(body, rest.as_str()));
        }
    }
    None
}
