//! `phirewall`: find protected health information in clinical text from the command line.
//!
//! ```text
//! phirewall detect notes.txt                      # one record: the whole file
//! phirewall detect --jsonl corpus.jsonl > found.jsonl
//! phirewall deid --policy surrogate --secret-file key --jsonl corpus.jsonl -o deid.jsonl
//! phirewall bench --mb 16 --threads 2
//! phirewall synth --mb 1 --seed 7 > sample.txt
//! ```
//!
//! Exit codes: 0 success, 1 usage or I/O error, 2 some input could not be processed (each
//! problem is reported on stderr by line number and reason, never with the record's text).

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod deid;
mod detect;
mod error;
mod eval;
mod synth;

use error::CliError;

/// Find protected health information (PHI) in clinical text.
#[derive(Debug, Parser)]
#[command(name = "phirewall", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find identifiers in a text file or a JSON Lines corpus; writes JSON Lines.
    Detect(detect::DetectArgs),
    /// De-identify text files, a directory, JSON Lines or CSV under a policy.
    Deid(Box<deid::DeidArgs>),
    /// Score detection against gold PHI annotations (PhysioNet, i2b2 2014 XML, BRAT, JSON Lines).
    Eval(eval::EvalArgs),
    /// Measure detection throughput and memory on a file or a synthetic corpus.
    Bench(bench::BenchArgs),
    /// Write a synthetic corpus of clinical notes (all identifiers invented) to stdout.
    Synth(synth::SynthArgs),
}

fn main() -> ExitCode {
    // Panic messages can quote the input (slicing a str at a bad index prints the string), so
    // a panic reports only where it happened.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        warn(format_args!(
            "internal error{at} (a bug; the panic message is withheld in case it quotes input)"
        ));
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap exits with 2 on usage errors; here 2 means "bad input data", so usage is 1.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            warn(format_args!("{e}"));
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(command: Command) -> Result<ExitCode, CliError> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match command {
        Command::Detect(args) => {
            let summary = detect::run(&args, &mut out)?;
            if summary.skipped > 0 {
                warn(format_args!(
                    "{} of {} records skipped because of input errors",
                    summary.skipped,
                    summary.skipped + summary.records
                ));
                return Ok(ExitCode::from(2));
            }
        }
        Command::Deid(args) => {
            let summary = deid::run(&args)?;
            if summary.rejected > 0 {
                warn(format_args!(
                    "{} of {} records rejected because of input errors",
                    summary.rejected, summary.read
                ));
                return Ok(ExitCode::from(2));
            }
        }
        Command::Bench(args) => {
            let report = bench::run(&args)?;
            let text = if args.json {
                let mut json =
                    serde_json::to_string(&report).map_err(|e| CliError::Write(e.into()))?;
                json.push('\n');
                json
            } else {
                report.to_text()
            };
            out.write_all(text.as_bytes()).map_err(CliError::Write)?;
        }
        Command::Synth(args) => synth::run(&args, &mut out)?,
        Command::Eval(args) => eval::run(&args, &mut out)?,
    }
    out.flush().map_err(CliError::Write)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `phirewall: message` to stderr. Unlike `eprintln!`, never panics if stderr is closed.
fn warn(message: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "phirewall: {message}");
}

/// Parses a size in MB: a positive number, fractions allowed (`--mb 0.5`).
fn parse_mb(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(mb) if mb > 0.0 && mb <= 1e6 => Ok(mb),
        _ => Err("expected a size in MB greater than 0 (e.g. 16 or 0.5)".to_string()),
    }
}

/// MB (10^6 bytes) to bytes.
fn mb_to_bytes(mb: f64) -> usize {
    (mb * 1e6).round() as usize
}
