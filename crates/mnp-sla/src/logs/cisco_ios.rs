//! Cisco IOS and IOS-XE link-state messages (`%LINK-…`, `%LINEPROTO-…`).

use std::sync::LazyLock;

use regex::Regex;

use super::{FamilyExample, LinkFamily, LinkState, Recognised, SyslogMessage, re, state_phrase};

const DOC: &str = "\
# Formats
`%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down|up`,
`%LINK-5-CHANGED: Interface GigabitEthernet0/1, changed state to
administratively down`, and `%LINEPROTO-5-UPDOWN: Line protocol on Interface
GigabitEthernet0/1, changed state to down|up`, anywhere in the message: a
sequence number, the device's own timestamp (`123: *May  1 10:00:00.123
UTC:`) or a hostname may come first.

# Quirks
A port going down usually logs both `%LINK` and `%LINEPROTO` (a second DOWN
for the detector, which does not open a second outage), and coming up logs
both again (the first UP closes the outage, the second is an UP without a
DOWN). `administratively down` is a DOWN: whether a shutdown counts against
an SLA is for the SLA evaluation to decide, not the log reader. This family
is the fallback for these mnemonics: Arista EOS writes the same ones from its
`Ebra` agent and claims those lines first.

# Known gaps
`changed state to reset` and other states are reported as malformed, not
read. Device timestamps inside the message are ignored in favour of the
syslog header's.
";

inventory::submit! {
    LinkFamily {
        id: "cisco-ios",
        description: "Cisco IOS / IOS-XE %LINK-3-UPDOWN, %LINK-5-CHANGED, %LINEPROTO-5-UPDOWN",
        doc: DOC,
        fixtures: &["logs_cisco_ios.log"],
        examples: &[
            FamilyExample {
                line: "<187>May  1 10:00:00 rtr1 123: *May  1 10:00:00.123 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down",
                port: "GigabitEthernet0/1",
                state: LinkState::Down,
            },
            FamilyExample {
                line: "<189>May  1 10:00:01 rtr1 124: *May  1 10:00:01.456 UTC: %LINEPROTO-5-UPDOWN: Line protocol on Interface Gi0/1, changed state to up",
                port: "Gi0/1",
                state: LinkState::Up,
            },
            FamilyExample {
                line: "<189>May  1 10:00:02 rtr1 %LINK-5-CHANGED: Interface TenGigabitEthernet1/0/1, changed state to administratively down",
                port: "TenGigabitEthernet1/0/1",
                state: LinkState::Down,
            },
        ],
        fallback: true,
        recognise,
    }
}

static LINK: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"%LINK-\d-(?:UPDOWN|CHANGED)\s*:\s*(.*)$"));
static LINEPROTO: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"%LINEPROTO-\d-UPDOWN\s*:\s*(.*)$"));
static LINK_BODY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)^Interface\s+([^\s,]+)\s*,\s*changed\s+state\s+to\s+([A-Za-z][A-Za-z ]*)")
});
static LINEPROTO_BODY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)^Line\s+protocol\s+on\s+Interface\s+([^\s,]+)\s*,\s*changed\s+state\s+to\s+([A-Za-z][A-Za-z ]*)",
    )
});

fn recognise(m: &SyslogMessage<'_>) -> Option<Result<Recognised, String>> {
    ios_style(m.text)
}

/// The `%LINK` / `%LINEPROTO` reader, shared with Arista EOS.
pub(super) fn ios_style(text: &str) -> Option<Result<Recognised, String>> {
    if !text.contains("%LINK-") && !text.contains("%LINEPROTO-") {
        return None;
    }
    for (mnemonic, body) in [(&*LINK, &*LINK_BODY), (&*LINEPROTO, &*LINEPROTO_BODY)] {
        let (Some(mnemonic), Some(body)) = (mnemonic.as_ref(), body.as_ref()) else {
            continue;
        };
        let Some(rest) = mnemonic.captures(text).and_then(|c| c.get(1)) else {
            continue;
        };
        return Some(read_body(body, rest.as_str()));
    }
    None
}

/// Interface and state from a `… Interface X, changed state to S` body.
pub(super) fn read_body(body: &Regex, text: &str) -> Result<Recognised, String> {
    let c = body
        .captures(text)
        .ok_or_else(|| format!("expected `Interface NAME, changed state to STATE` in {text:?}"))?;
    let port = c.get(1).map_or("", |m| m.as_str()).to_string();
    let state = state_phrase(c.get(2).map_or("", |m| m.as_str()))?;
    Ok(Recognised { port, state })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(text: &str) -> Option<Result<Recognised, String>> {
        ios_style(text)
    }

    #[test]
    fn reads_link_and_lineproto() {
        assert_eq!(
            rec("%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down"),
            Some(Ok(Recognised {
                port: "GigabitEthernet0/1".into(),
                state: LinkState::Down
            }))
        );
        assert_eq!(
            rec(
                "rtr1: 55: May  1 10:00:00: %LINEPROTO-5-UPDOWN: Line protocol on Interface Vlan10, changed state to up"
            ),
            Some(Ok(Recognised {
                port: "Vlan10".into(),
                state: LinkState::Up
            }))
        );
    }

    #[test]
    fn other_link_mnemonics_are_not_claimed() {
        assert_eq!(
            rec("%LINK-4-ERROR: Interface Gi0/1 is experiencing errors"),
            None
        );
        assert_eq!(rec("%SYS-5-CONFIG_I: Configured from console"), None);
        assert_eq!(
            rec("%PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/0/0/1, changed state to Down"),
            None
        );
    }

    #[test]
    fn unreadable_bodies_are_malformed() {
        assert!(matches!(
            rec("%LINK-3-UPDOWN: Interface Gi0/1 changed"),
            Some(Err(_))
        ));
        assert!(matches!(
            rec("%LINK-5-CHANGED: Interface Gi0/1, changed state to reset"),
            Some(Err(e)) if e.contains("reset")
        ));
    }
}
