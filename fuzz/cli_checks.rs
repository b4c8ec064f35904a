//! The checks of the `cli_input` fuzz target, shared with the CLI's ordinary test
//! `crates/phirewall-cli/tests/fuzz_regressions.rs`, which replays `regressions/cli_input/` on stable.

use phirewall_cli::input::{
    decode_string, decode_strings, parse_known, parse_object, row_text, CsvChunks, LineChunks,
};

/// Small limits, so that chunk and line-length boundaries are reached by short inputs.
const MAX_LINES: usize = 3;
const MAX_BYTES: usize = 64;
const MAX_LINE: usize = 256;

/// Feeds `data` to the JSON Lines and CSV readers; panics if an invariant fails.
pub fn cli_input(data: &[u8]) {
    let mut lines = LineChunks::new(data, MAX_LINES, MAX_BYTES, MAX_LINE);
    let mut chunk = Vec::new();
    let mut last_line = 0;
    while lines
        .next_chunk(&mut chunk)
        .expect("a slice reads without I/O errors")
    {
        assert!(chunk.len() <= MAX_LINES);
        for (line, bytes) in &chunk {
            assert!(*line > last_line, "line numbers grow");
            last_line = *line;
            let Ok(bytes) = bytes else { continue };
            assert!(bytes.len() <= MAX_LINE);
            let Ok(object) = parse_object(bytes) else {
                continue;
            };
            for (_, raw) in &object.fields {
                // Every raw value is valid JSON on its own.
                assert!(serde_json::from_str::<serde::de::IgnoredAny>(raw.get()).is_ok());
                let _ = decode_string(raw);
                let _ = decode_strings(raw);
                let _ = parse_known(raw);
            }
        }
    }

    if let Ok(mut csv) = CsvChunks::new(data, MAX_LINES, MAX_BYTES, MAX_LINE) {
        let header: Vec<String> = csv.header().to_vec();
        let mut rows = Vec::new();
        let mut last_line = 0;
        while csv
            .next_chunk(&mut rows)
            .expect("a slice reads without I/O errors")
        {
            for (line, row) in &rows {
                assert!(*line >= last_line, "row lines never go back");
                last_line = *line;
                let Ok(row) = row else { continue };
                assert_eq!(row.len(), header.len(), "a kept row has the header's width");
                for (i, name) in header.iter().enumerate() {
                    let _ = row_text(row, i, name);
                }
            }
        }
    }
}
