//! Untrusted bytes → `Email` → the generic parser alone (no routing): no
//! panic, no hang, and whatever comes out is conformant, carries evidence
//! and a confidence in 0..=1, and is the same when parsed twice
//! (`mnp_parsers::generic::check_bytes`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let violations = mnp_parsers::generic::check_bytes(data);
    assert!(violations.is_empty(), "{violations:?}");
});
