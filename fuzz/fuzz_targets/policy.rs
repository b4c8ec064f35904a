//! Fuzzes policy parsing: arbitrary bytes to `Policy::from_toml` and `Policy::from_json`.
//!
//! Invariants in `checks::check_policy`: parsing never panics; a policy that parses and
//! validates builds a `Deidentifier` given a secret, de-identifies a note with every kind, and
//! survives a JSON round trip unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::check_policy(data);
});
