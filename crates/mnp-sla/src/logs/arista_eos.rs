//! Arista EOS link-state messages from the `Ebra` agent.

use super::{FamilyExample, LinkFamily, LinkState, Recognised, SyslogMessage, cisco_ios};

const DOC: &str = "\
# Formats
`Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet1, changed
state to down|up` and `Ebra: %LINK-3-UPDOWN: Interface Ethernet49/1, changed
state to down|up`: the Cisco wording, told apart by the EOS agent name `Ebra`
as the syslog TAG (RFC 3164) or APP-NAME (RFC 5424).

# Quirks
Interface names are EOS's: `Ethernet1`, `Ethernet49/1`, `Port-Channel10`,
`Management1`; `Et1` in a port map is the same port. This family is specific
and claims `Ebra` lines before the Cisco IOS fallback does.

# Known gaps
`%ETH-4-…` messages (host flapping between ports, error-disable notices) are
not link transitions and are left as noise; an error-disabled port is seen
through its `%LINEPROTO` DOWN. Lines from EOS relayed without the `Ebra` tag
are read by the Cisco IOS family, with the same events.
";

inventory::submit! {
    LinkFamily {
        id: "arista-eos",
        description: "Arista EOS Ebra %LINEPROTO-5-UPDOWN, %LINK-3-UPDOWN",
        doc: DOC,
        fixtures: &["logs_arista_eos.log"],
        examples: &[
            FamilyExample {
                line: "<187>May  1 10:00:00 leaf1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet1, changed state to down",
                port: "Ethernet1",
                state: LinkState::Down,
            },
            FamilyExample {
                line: "<189>1 2024-05-01T10:00:05.001+02:00 leaf1 Ebra 1911 - - %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet49/1, changed state to up",
                port: "Ethernet49/1",
                state: LinkState::Up,
            },
        ],
        fallback: false,
        recognise,
    }
}

fn recognise(m: &SyslogMessage<'_>) -> Option<Result<Recognised, String>> {
    if !m.app.is_some_and(|a| a.eq_ignore_ascii_case("ebra")) {
        return None;
    }
    cisco_ios::ios_style(m.text)
}
