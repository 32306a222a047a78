//! Untrusted profile text → `profiles::load_str` → the loaded profile run on
//! a sample notice and on the input itself: no panic, no hang, and whatever
//! comes out passes the conformance check.
#![no_main]

use libfuzzer_sys::fuzz_target;

const SAMPLE: &[u8] = b"From: noc@acmefiber.example\nSubject: Acme Fiber Maintenance\n\n\
Ticket: AF-1\nStatus: Scheduled\nStart Time (UTC): 2025-05-06 22:00\n\
End Time (UTC): 2025-05-07 03:30\nTime Zone: Europe/Berlin\nCircuit ID(s): AF/1, AF/2\nImpact: Outage\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let violations = mnp_parsers::profiles::check_text(&text, &[SAMPLE, data]);
    assert!(violations.is_empty(), "{violations:?}");
});
