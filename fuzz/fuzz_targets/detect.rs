//! Fuzzes `Engine::detect` on arbitrary UTF-8 and checks the invariants every result must keep.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phirewall::Engine;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| Engine::new().expect("engine builds"));
    let text = String::from_utf8_lossy(data);
    let found = engine.detect(&text);
    let mut last_end = 0;
    for f in &found {
        assert!(f.span.start < f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        assert!(f.span.start >= last_end, "findings overlap or are out of order");
        last_end = f.span.end;
    }
});
