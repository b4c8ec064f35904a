//! Replays every input kept in `fuzz/regressions/cli_input/` through the `cli_input` fuzz
//! target's checks, on stable, so a crash found by fuzzing stays fixed.

#[allow(dead_code, clippy::all)]
#[path = "../../../fuzz/cli_checks.rs"]
mod cli_checks;

use std::path::Path;

#[test]
fn kept_cli_inputs_pass_the_fuzz_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/cli_input");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("the regressions directory exists") {
        let path = entry.expect("a directory entry").path();
        let data = std::fs::read(&path).expect("a kept input reads");
        cli_checks::cli_input(&data);
        replayed += 1;
    }
    assert!(replayed > 0, "no kept input in {}", dir.display());
}
