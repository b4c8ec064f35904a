//! `phirewall synth`: write a synthetic corpus from phirewall-synth.
//!
//! Useful to benchmark without real notes and to make sample files. The text is streamed, so a
//! large corpus does not have to fit in memory, and `--mb N` writes exactly the bytes of
//! `phirewall_synth::corpus(N * 10^6, seed)`.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::error::CliError;

/// Arguments of `phirewall synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Size in MB (10^6 bytes). Plain text is cut to exactly this size; JSON Lines stop at the
    /// first whole record that reaches it.
    #[arg(long, value_name = "N", value_parser = crate::parse_mb, required_unless_present = "notes")]
    pub mb: Option<f64>,
    /// Write this many whole notes instead of a size.
    #[arg(long, value_name = "N", conflicts_with = "mb")]
    pub notes: Option<usize>,
    /// Seed: the same seed always gives the same text.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Write JSON Lines `{"id": 1, "text": "..."}` (ids count from 1), ready for
    /// `phirewall detect --jsonl`.
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Serialize)]
struct Record<'a> {
    id: usize,
    text: &'a str,
}

/// Writes the corpus to `out`.
pub fn run(args: &SynthArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let limit = args.mb.map(crate::mb_to_bytes);
    let max_notes = args.notes.unwrap_or(usize::MAX);
    let mut written = 0usize;
    for (i, note) in phirewall_synth::notes(args.seed).enumerate() {
        if i >= max_notes || limit.is_some_and(|limit| written >= limit) {
            break;
        }
        if args.jsonl {
            let mut line = serde_json::to_vec(&Record {
                id: i + 1,
                text: &note,
            })
            .map_err(|e| CliError::Write(e.into()))?;
            line.push(b'\n');
            write(out, &line, &mut written)?;
        } else {
            if i > 0 {
                write_limited(out, "\n\n", limit, &mut written)?;
            }
            write_limited(out, &note, limit, &mut written)?;
        }
    }
    if !args.jsonl && limit.is_none() && max_notes > 0 {
        write(out, b"\n", &mut written)?;
    }
    out.flush().map_err(CliError::Write)
}

fn write(out: &mut dyn Write, bytes: &[u8], written: &mut usize) -> Result<(), CliError> {
    out.write_all(bytes).map_err(CliError::Write)?;
    *written += bytes.len();
    Ok(())
}

/// Writes as much of `s` as fits under `limit`, cut on a character boundary.
fn write_limited(
    out: &mut dyn Write,
    s: &str,
    limit: Option<usize>,
    written: &mut usize,
) -> Result<(), CliError> {
    let room = limit.map_or(usize::MAX, |l| l.saturating_sub(*written));
    let mut end = room.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    write(out, s.get(..end).unwrap_or_default().as_bytes(), written)
}
