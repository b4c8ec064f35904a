//! Replays every input kept in `fuzz/regressions/detect/` through `Engine::detect`.
//!
//! Each file there once crashed a fuzz target; this keeps them fixed without nightly or libFuzzer.

use phirewall::Engine;
use std::path::PathBuf;

#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/detect");
    let engine = Engine::new().expect("engine builds");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions/detect exists") {
        let path = entry.expect("readable entry").path();
        if path
            .file_name()
            .is_some_and(|n| n == ".gitkeep" || n == "README.md")
        {
            continue;
        }
        let data = std::fs::read(&path).expect("readable regression input");
        let text = String::from_utf8_lossy(&data);
        let found = engine.detect(&text);
        for w in found.windows(2) {
            assert!(
                w[0].span.end <= w[1].span.start,
                "{}: overlapping findings",
                path.display()
            );
        }
        for f in &found {
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        }
        replayed += 1;
    }
    assert!(
        replayed > 0,
        "no regression inputs found in {}",
        dir.display()
    );
}
