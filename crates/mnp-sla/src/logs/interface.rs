//! Device and interface name normalisation, so that the port map and the
//! logs agree whatever abbreviation either uses.

/// Abbreviations (lower case, letters only) and the canonical lower-case
/// name they stand for. An abbreviation is expanded only when the interface
/// number follows it directly (`Gi0/1`, `Gi 0/1`), never before a hyphen:
/// Junos names such as `et-0/0/1`, `ge-0/0/0`, `xe-0/0/1` are already
/// canonical and `et-` must not become Arista's `Et` (= `Ethernet`).
const ALIASES: &[(&[&str], &str)] = &[
    (&["fa", "fas", "fastethernet"], "fastethernet"),
    (
        &["gi", "gig", "gige", "ge", "gigabit", "gigabitethernet"],
        "gigabitethernet",
    ),
    (&["tw", "twogigabitethernet"], "twogigabitethernet"),
    // `Fi` is left out: Five- and FiftyGigE both abbreviate to it.
    (&["fivegige", "fivegigabitethernet"], "fivegigabitethernet"),
    (
        &["te", "ten", "tengig", "tengige", "tengigabitethernet"],
        "tengigabitethernet",
    ),
    (
        &["twe", "twentyfivegige", "twentyfivegigabitethernet"],
        "twentyfivegigabitethernet",
    ),
    (
        &["fo", "fortygige", "fortygigabitethernet"],
        "fortygigabitethernet",
    ),
    (
        &["fiftygige", "fiftygigabitethernet"],
        "fiftygigabitethernet",
    ),
    (
        &["hu", "hundredgige", "hundredgigabitethernet"],
        "hundredgigabitethernet",
    ),
    (
        &["fh", "fourhundredgige", "fourhundredgigabitethernet"],
        "fourhundredgigabitethernet",
    ),
    (&["e", "et", "eth", "ether", "ethernet"], "ethernet"),
    (&["po", "portchannel"], "port-channel"),
    (&["be"], "bundle-ether"),
    (&["lo", "loopback"], "loopback"),
    (&["vl", "vlan"], "vlan"),
    (&["tu", "tunnel"], "tunnel"),
    (&["se", "serial"], "serial"),
    (&["ma", "mgmt", "management"], "management"),
];

/// Canonical form of an interface name: blanks removed, lower case, the
/// type prefix expanded to its full name (`Gi0/1`, `gi 0/1` and
/// `GigabitEthernet0/1` → `gigabitethernet0/1`; `Te`, `TenGigE` and
/// `TenGigabitEthernet` → `tengigabitethernet`; `Eth1/1`, `Et1` →
/// `ethernet…`; `Hu`, `HundredGigE` → `hundredgigabitethernet`; `Po10` →
/// `port-channel10`; `BE10` → `bundle-ether10`). Junos names (`xe-0/0/1`,
/// `et-0/0/1`, `ae0`) and unknown prefixes are only lower-cased.
/// Sub-interface and channel suffixes (`.100`, `:0`) are kept: a logical
/// unit is a port of its own.
///
/// ```
/// use mnp_sla::logs::normalize_port;
/// assert_eq!(normalize_port("Gi0/1"), normalize_port("GigabitEthernet0/1"));
/// assert_eq!(normalize_port("TenGigE0/0/0/1"), "tengigabitethernet0/0/0/1");
/// assert_eq!(normalize_port("Eth1/1"), "ethernet1/1");
/// assert_eq!(normalize_port("xe-0/0/1"), "xe-0/0/1");
/// assert_eq!(normalize_port("et-0/0/1"), "et-0/0/1");
/// ```
pub fn normalize_port(port: &str) -> String {
    let s: String = port
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let split = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    let (name, rest) = s.split_at(split);
    if rest.starts_with(|c: char| c.is_ascii_digit())
        && let Some((_, full)) = ALIASES.iter().find(|(abbr, _)| abbr.contains(&name))
    {
        return format!("{full}{rest}");
    }
    s
}

/// Canonical form of a device name: trimmed, lower case, without a trailing
/// dot. Domains are kept (`rtr1.example.net` and `rtr1` differ): cutting at
/// the first dot would turn IP addresses into nonsense.
///
/// ```
/// assert_eq!(mnp_sla::logs::normalize_device(" RTR1.Example.NET. "), "rtr1.example.net");
/// ```
pub fn normalize_device(device: &str) -> String {
    device.trim().trim_end_matches('.').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cisco_abbreviations_expand() {
        for (a, b) in [
            ("Gi0/1", "GigabitEthernet0/1"),
            ("gi 0/1", "GigabitEthernet0/1"),
            ("GE1/0/0", "gigabitethernet1/0/0"),
            ("Te1/1/1", "TenGigabitEthernet1/1/1"),
            ("TenGigE0/0/0/1", "TenGigabitEthernet0/0/0/1"),
            ("Fa0/24", "FastEthernet0/24"),
            ("Eth1/1", "Ethernet1/1"),
            ("Et49/1", "Ethernet49/1"),
            ("Hu0/0/0/0", "HundredGigE0/0/0/0"),
            ("HundredGigabitEthernet1/0/1", "HundredGigE1/0/1"),
            ("Po10", "Port-channel10"),
            ("Po10", "port-channel10"),
            ("BE100", "Bundle-Ether100"),
            ("Gi0/1.100", "GigabitEthernet0/1.100"),
            ("Twe1/0/1", "TwentyFiveGigE1/0/1"),
            ("Fo1/1/1", "FortyGigabitEthernet1/1/1"),
            ("mgmt0", "Management0"),
        ] {
            assert_eq!(normalize_port(a), normalize_port(b), "{a} vs {b}");
        }
        assert_eq!(normalize_port("Gi0/1"), "gigabitethernet0/1");
    }

    #[test]
    fn distinct_ports_stay_distinct() {
        for (a, b) in [
            ("Gi0/1", "Gi0/10"),
            ("Gi0/1", "Gi0/1.100"),
            ("Tw1/0/1", "Twe1/0/1"),
            ("Te0/1", "Gi0/1"),
            ("et-0/0/1", "Et0/0/1"),
            ("xe-0/0/1", "xe-0/0/1.0"),
            ("ge-0/0/0", "GE0/0/0"),
        ] {
            assert_ne!(normalize_port(a), normalize_port(b), "{a} vs {b}");
        }
    }

    #[test]
    fn junos_and_unknown_names_are_only_lower_cased() {
        assert_eq!(normalize_port("XE-0/0/1"), "xe-0/0/1");
        assert_eq!(normalize_port("ae0"), "ae0");
        assert_eq!(normalize_port("Bundle-Ether10"), "bundle-ether10");
        assert_eq!(normalize_port("Foo3"), "foo3");
        assert_eq!(normalize_port(""), "");
        assert_eq!(normalize_port("Ünïcode0"), "ünïcode0");
    }

    #[test]
    fn idempotent() {
        for p in [
            "Gi0/1",
            "Te1/1",
            "xe-0/0/1.0",
            "Po10",
            "BE5",
            "Weird Name 7",
        ] {
            let once = normalize_port(p);
            assert_eq!(normalize_port(&once), once, "{p}");
        }
    }

    #[test]
    fn aliases_do_not_collide() {
        let mut seen = std::collections::BTreeSet::new();
        for (abbrs, full) in ALIASES {
            for a in *abbrs {
                assert!(seen.insert(*a), "{a} listed twice");
                assert!(a.chars().all(|c| c.is_ascii_lowercase()), "{a}");
            }
            // The canonical name maps to itself (idempotence), except names
            // with a hyphen, which are never expanded and already canonical.
            assert!(full.contains('-') || abbrs.contains(full), "{full}");
        }
    }
}
