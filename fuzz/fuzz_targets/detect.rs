//! Fuzzes `Engine::detect` on arbitrary UTF-8 and checks the invariants every result must keep
//! (`check_detect` in fuzz/checks.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    checks::check_detect(&text);
});
