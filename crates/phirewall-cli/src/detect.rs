//! `phirewall detect`: find identifiers in a text file or a JSON Lines corpus.
//!
//! Output is one JSON line per record:
//! `{"id": ..., "findings": [{"kind", "start", "end", "byte_start", "byte_end", "score", "detector"}]}`
//! where `start`/`end` count Unicode code points (what Python and most JSON consumers index by)
//! and `byte_start`/`byte_end` count UTF-8 bytes.
//!
//! A JSON Lines record may carry the identifiers the caller already knows for it:
//! `"known": {"names": [...], "mrn": "...", "addresses": [...], "ids": [{"kind": "PHONE",
//! "value": "..."}]}` (every field optional). They are always found, in the spellings listed in
//! `phirewall::Known`'s documentation, with detector `known.<kind>`.
//!
//! JSON Lines input is read in chunks of lines; each chunk is parsed and scanned in parallel and
//! written in input order before the next chunk is read, so memory stays bounded by the chunk
//! size however large the corpus is. A bad record is reported on stderr (line number and reason,
//! never its text) and skipped; the others are still processed, and the exit code says that
//! something was skipped.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;

use clap::Args;
use phirewall::{Engine, Finding, Kind, Known, OffsetIndex};
use phirewall_cli::input::{
    decode_string, parse_known, parse_object, InputError, LineChunks, Reason,
};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::error::CliError;

/// At most this many lines are held in memory at once...
const CHUNK_LINES: usize = 1024;
/// ...or this many bytes, whichever comes first (a chunk always takes at least one line).
const CHUNK_BYTES: usize = 16 << 20;
/// A longer line is reported and skipped: no note is this long, and it bounds memory.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Arguments of `phirewall detect`.
#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Input file; `-` or nothing reads standard input.
    pub input: Option<PathBuf>,
    /// Read JSON Lines: one `{"id": ..., "text": ...}` object per line. The id (a string or a
    /// number, echoed exactly as written) defaults to the line number.
    ///
    /// A record may add what is already known about its patient, to be found always (with
    /// variants: case, initials, "Last, First", possessives):
    /// `"known": {"names": ["John Q. Smith"], "mrn": "00123456",
    /// "addresses": ["12 Elm St, Springfield, MA 01101"],
    /// "ids": [{"kind": "PHONE", "value": "617-555-0142"}]}`. Every field is optional; any other
    /// field, or a value of the wrong type, is an error for that record.
    #[arg(long, verbatim_doc_comment)]
    pub jsonl: bool,
    /// Report only findings scoring at least this much (0.0 to 1.0).
    #[arg(long, value_name = "X", default_value_t = 0.0, value_parser = parse_score)]
    pub min_score: f32,
    /// Report only these kinds, comma-separated (e.g. DATE,PHONE). Default: all.
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<Kind>,
}

/// How a `detect` run ended, when it ran to the end.
#[derive(Debug, Default)]
pub struct Summary {
    /// Records written.
    pub records: usize,
    /// Records skipped because of input errors (already reported on stderr).
    pub skipped: usize,
}

fn parse_score(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err("expected a number from 0.0 to 1.0".to_string()),
    }
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.trim().parse::<Kind>().map_err(|_| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown kind; expected one of {}", names.join(", "))
    })
}

/// Runs `detect`, writing results to `out`.
pub fn run(args: &DetectArgs, out: &mut dyn Write) -> Result<Summary, CliError> {
    let mut builder = Engine::builder().min_score(args.min_score);
    if !args.kinds.is_empty() {
        builder = builder.kinds(args.kinds.iter().copied());
    }
    let engine = builder.build()?;

    let (name, reader): (String, Box<dyn Read>) = match &args.input {
        None => ("-".to_string(), Box::new(io::stdin().lock())),
        Some(p) if p.as_os_str() == "-" => ("-".to_string(), Box::new(io::stdin().lock())),
        Some(p) => {
            let name = p.to_string_lossy().into_owned();
            let file = File::open(p).map_err(|error| CliError::Read {
                source_name: name.clone(),
                error,
            })?;
            (name, Box::new(file))
        }
    };
    if args.jsonl {
        run_jsonl(
            &engine,
            &name,
            BufReader::with_capacity(1 << 18, reader),
            out,
        )
    } else {
        run_plain(&engine, &name, reader, out)
    }
}

/// Plain text: the whole input is one record whose id is the file name (`-` for stdin).
fn run_plain(
    engine: &Engine,
    name: &str,
    mut reader: impl Read,
    out: &mut dyn Write,
) -> Result<Summary, CliError> {
    let read_error = |error| CliError::Read {
        source_name: display_name(name),
        error,
    };
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(read_error)?;
    let text = String::from_utf8(bytes).map_err(|e| CliError::Input {
        source_name: display_name(name),
        error: InputError::invalid_utf8(e.as_bytes(), e.utf8_error().valid_up_to()),
    })?;
    // A file name is not record text, and it is what the user asked to be called.
    let id = serde_json::value::to_raw_value(name).map_err(|_| CliError::Write(json_bug()))?;
    let findings = detect_caught(engine, &text, None).ok_or_else(|| CliError::Input {
        source_name: display_name(name),
        error: InputError {
            line: 1,
            reason: Reason::Internal,
        },
    })?;
    let line = render(&id, &text, &findings);
    out.write_all(line.as_bytes()).map_err(CliError::Write)?;
    out.flush().map_err(CliError::Write)?;
    Ok(Summary {
        records: 1,
        skipped: 0,
    })
}

/// JSON Lines: chunks of lines are parsed and scanned in parallel, then written in order.
fn run_jsonl(
    engine: &Engine,
    name: &str,
    mut reader: impl BufRead,
    out: &mut dyn Write,
) -> Result<Summary, CliError> {
    let mut summary = Summary::default();
    let mut lines = LineChunks::new(&mut reader, CHUNK_LINES, CHUNK_BYTES, MAX_LINE_BYTES);
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    loop {
        let more = lines
            .next_chunk(&mut chunk)
            .map_err(|error| CliError::Read {
                source_name: display_name(name),
                error,
            })?;
        if !more {
            break;
        }
        // Short rayon runs, so the workers finish a chunk together (as in `deid`).
        let results: Vec<Result<String, InputError>> = chunk
            .par_iter()
            .with_max_len(4)
            .map(|(line_no, line)| match line {
                Ok(line) => process_line(engine, *line_no, line),
                Err(reason) => Err(InputError {
                    line: *line_no,
                    reason: reason.clone(),
                }),
            })
            .collect();
        for result in results {
            match result {
                Ok(json) => {
                    out.write_all(json.as_bytes()).map_err(CliError::Write)?;
                    summary.records += 1;
                }
                Err(e) => {
                    crate::warn(format_args!("{}: {e}", display_name(name)));
                    summary.skipped += 1;
                }
            }
        }
        out.flush().map_err(CliError::Write)?;
    }
    Ok(summary)
}

/// Parses, scans and renders one JSON line.
fn process_line(engine: &Engine, line_no: usize, line: &[u8]) -> Result<String, InputError> {
    let fail = |reason| InputError {
        line: line_no,
        reason,
    };
    let record = parse_object(line).map_err(fail)?;
    let text = match record.get("text") {
        None => return Err(fail(Reason::MissingText)),
        Some(raw) => decode_string(raw).ok_or_else(|| fail(Reason::TextNotString))?,
    };
    let line_id;
    let id: &RawValue = match record.get("id") {
        Some(raw) => {
            if !raw
                .get()
                .starts_with(['"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
            {
                return Err(fail(Reason::BadId));
            }
            raw
        }
        None => {
            line_id = serde_json::value::to_raw_value(&line_no).map_err(|_| fail(Reason::BadId))?;
            &line_id
        }
    };
    let known = match record.get("known") {
        None => None,
        Some(raw) => parse_known(raw).map_err(fail)?,
    };
    let findings =
        detect_caught(engine, &text, known.as_ref()).ok_or_else(|| fail(Reason::Internal))?;
    Ok(render(id, &text, &findings))
}

/// `engine.detect(text)` (or `detect_known` when something is known), or `None` if it panicked.
///
/// The library is written not to panic, but a CLI that stops halfway through a corpus because of
/// one record is worse than one that skips that record and says so. (The panic hook installed in
/// `main` keeps the panic message, which could quote the text, off stderr.)
fn detect_caught(engine: &Engine, text: &str, known: Option<&Known>) -> Option<Vec<Finding>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match known {
        Some(known) => engine.detect_known(text, known),
        None => engine.detect(text),
    }))
    .ok()
}

#[derive(Serialize)]
struct OutRecord<'a> {
    id: &'a RawValue,
    findings: Vec<OutFinding>,
}

#[derive(Serialize)]
struct OutFinding {
    kind: &'static str,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    score: f32,
    detector: &'static str,
}

/// One output line, newline included.
fn render(id: &RawValue, text: &str, findings: &[Finding]) -> String {
    let index = OffsetIndex::new(text);
    let record = OutRecord {
        id,
        findings: findings
            .iter()
            .map(|f| OutFinding {
                kind: f.kind.as_str(),
                start: index.char_offset(f.span.start),
                end: index.char_offset(f.span.end),
                byte_start: f.span.start,
                byte_end: f.span.end,
                score: f.score,
                detector: f.detector,
            })
            .collect(),
    };
    // Serializing plain structs of numbers and static strings cannot fail; should it ever,
    // an empty object is still one valid JSON line and keeps the output aligned.
    let mut line = serde_json::to_string(&record).unwrap_or_else(|_| "{}".to_string());
    line.push('\n');
    line
}

fn display_name(name: &str) -> String {
    if name == "-" {
        "<stdin>".to_string()
    } else {
        name.to_string()
    }
}

fn json_bug() -> io::Error {
    io::Error::other("internal JSON encoding error")
}

#[cfg(test)]
mod tests {
    use super::*;
    use phirewall_cli::input::JsonProblem;

    fn engine() -> Engine {
        Engine::builder()
            .kinds([Kind::Age])
            .build()
            .expect("engine builds")
    }

    fn reason(line: &str) -> Reason {
        match process_line(&engine(), 3, line.as_bytes()) {
            Ok(out) => panic!("accepted: {out}"),
            Err(e) => {
                assert_eq!(e.line, 3);
                e.reason
            }
        }
    }

    #[test]
    fn rejects_bad_records_with_a_reason() {
        assert!(matches!(
            reason("{\"id\": 1, \"text\": "),
            Reason::Json {
                problem: JsonProblem::UnexpectedEnd,
                ..
            }
        ));
        assert!(matches!(
            reason("{\"id\": 1 \"text\": \"x\"}"),
            Reason::Json {
                problem: JsonProblem::Syntax,
                ..
            }
        ));
        assert_eq!(reason("[\"a\", \"b\"]"), Reason::NotAnObject);
        assert_eq!(reason("\"just a string\""), Reason::NotAnObject);
        assert_eq!(reason("{\"id\": 1}"), Reason::MissingText);
        assert_eq!(reason("{\"id\": 1, \"text\": null}"), Reason::TextNotString);
        assert_eq!(reason("{\"id\": 1, \"text\": 42}"), Reason::TextNotString);
        assert_eq!(reason("{\"id\": [1], \"text\": \"x\"}"), Reason::BadId);
        assert_eq!(reason("{\"id\": null, \"text\": \"x\"}"), Reason::BadId);
        assert_eq!(
            reason("{\"text\": \"a\", \"text\": \"b\"}"),
            Reason::DuplicateField
        );
        assert_eq!(
            reason("{\"text\": \"a\", \"known\": {\"names\": \"Al Bo\"}}"),
            Reason::BadKnown
        );
        assert_eq!(
            reason("{\"text\": \"a\", \"known\": {\"names\": [\"Al Bo\"], \"dob\": \"x\"}}"),
            Reason::BadKnown
        );
        assert_eq!(
            reason("{\"text\": \"a\", \"known\": {\"ids\": [{\"kind\": \"MRN\"}]}}"),
            Reason::BadKnown
        );
        assert_eq!(
            reason(
                "{\"text\": \"a\", \"known\": {\"ids\": [{\"kind\": \"DOB\", \"value\": \"1\"}]}}"
            ),
            Reason::BadKnownKind
        );
        assert_eq!(
            reason("{\"text\": \"a\", \"known\": {}, \"known\": {}}"),
            Reason::DuplicateField
        );
        assert_eq!(
            process_line(&engine(), 1, b"{\"text\": \"a\xff\"}").map_err(|e| e.reason),
            Err(Reason::InvalidUtf8 { column: 12 })
        );
    }

    #[test]
    fn echoes_ids_exactly_and_defaults_to_the_line() {
        let out = process_line(
            &engine(),
            9,
            br#"{"id": 12345678901234567890123, "text": "x"}"#,
        );
        assert_eq!(
            out.as_deref(),
            Ok("{\"id\":12345678901234567890123,\"findings\":[]}\n")
        );
        let out = process_line(&engine(), 9, br#"{"id": "a\u00e9", "text": "x"}"#);
        assert_eq!(
            out.as_deref(),
            Ok("{\"id\":\"a\\u00e9\",\"findings\":[]}\n")
        );
        let out = process_line(&engine(), 9, br#"{"text": "x", "meta": {"k": [1]}}"#);
        assert_eq!(out.as_deref(), Ok("{\"id\":9,\"findings\":[]}\n"));
    }

    #[test]
    fn escaped_text_is_decoded_before_scanning() {
        let out = process_line(&engine(), 1, br#"{"id": 1, "text": "Jos\u00e9\n92 yo"}"#)
            .expect("valid record");
        // "José\n" is 5 code points and 6 bytes.
        assert!(
            out.contains("\"start\":5,\"end\":7,\"byte_start\":6,\"byte_end\":8"),
            "{out}"
        );
    }
}
