//! Replays every input kept in `fuzz/regressions/<target>/` through the check its fuzz target
//! runs (`fuzz/checks.rs`, included here), through the public API.
//!
//! Each file there once crashed a fuzz target (or is a seed worth keeping); this keeps them
//! fixed without nightly or libFuzzer. A directory for a target this test does not know fails
//! the test, so a new target cannot be added without its replay.

use std::path::{Path, PathBuf};

#[path = "../../../fuzz/checks.rs"]
mod checks;

fn regressions() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions")
}

/// The inputs kept for one target (empty if it has none yet).
fn inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|e| e.expect("readable entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != ".gitkeep" && n != "README.md")
        })
        .map(|p| {
            let data = std::fs::read(&p).expect("readable regression input");
            (p, data)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let root = regressions();
    let mut replayed = 0;
    for entry in std::fs::read_dir(&root).expect("fuzz/regressions exists") {
        let dir = entry.expect("readable entry").path();
        let target = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        for (path, data) in inputs(&dir) {
            eprintln!("replaying {}", path.display());
            match target.as_str() {
                // The fuzz targets read bytes lossily as UTF-8; so does the replay.
                "detect" => {
                    checks::check_detect(&String::from_utf8_lossy(&data));
                }
                "deid" => checks::check_deid(&String::from_utf8_lossy(&data)),
                "policy" => checks::check_policy(&data),
                // Replayed by crates/phirewall-cli/tests/fuzz_regressions.rs.
                "cli_input" => continue,
                other => panic!("no replay for fuzz target {other}: add it here"),
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression inputs found");
}
