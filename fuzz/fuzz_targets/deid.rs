//! Fuzzes `Deidentifier` on arbitrary UTF-8 through every preset policy and a tag, a redact
//! and a hash policy, with a fixed test secret and patient key.
//!
//! The invariants are in `checks::check_deid` (fuzz/checks.rs), shared with the
//! ordinary regression test so a kept input is checked the same way on stable.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is not this target's concern (the CLI reads bytes); keep it lossy so the
    // fuzzer still explores the replacement character.
    let text = String::from_utf8_lossy(data);
    checks::check_deid(&text);
});
