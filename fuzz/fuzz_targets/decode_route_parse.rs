//! Untrusted bytes → `Email` → router → every parser: no panic, no hang, and
//! whatever comes out passes the conformance check.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static REGISTRY: LazyLock<mnp_core::Registry> = LazyLock::new(mnp_parsers::registry);

fuzz_target!(|data: &[u8]| {
    let violations = mnp_parsers::check_bytes(&REGISTRY, data);
    assert!(violations.is_empty(), "{violations:?}");
});
