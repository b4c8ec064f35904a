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

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;

use clap::Args;
use phirewall::{Engine, Finding, Kind, Known, OffsetIndex};
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::error::{CliError, InputError, JsonProblem, Reason};

/// At most this many lines are held in memory at once...
const CHUNK_LINES: usize = 1024;
/// ...or this many bytes, whichever comes first (a chunk always takes at least one line).
const CHUNK_BYTES: usize = 16 << 20;

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
    let mut line_no = 0usize;
    let mut chunk: Vec<(usize, Vec<u8>)> = Vec::with_capacity(CHUNK_LINES);
    let mut at_eof = false;
    while !at_eof {
        chunk.clear();
        let mut chunk_bytes = 0;
        while chunk.len() < CHUNK_LINES && chunk_bytes < CHUNK_BYTES {
            let mut line = Vec::new();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|error| CliError::Read {
                    source_name: display_name(name),
                    error,
                })?;
            if n == 0 {
                at_eof = true;
                break;
            }
            line_no += 1;
            if line_no == 1 && line.starts_with(b"\xEF\xBB\xBF") {
                // A UTF-8 byte order mark, as some Windows tools write: not part of the JSON.
                line.drain(..3);
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            chunk_bytes += line.len();
            chunk.push((line_no, line));
        }

        let results: Vec<Result<String, InputError>> = chunk
            .par_iter()
            .map(|(line_no, line)| process_line(engine, *line_no, line))
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

/// The JSON shape of one input record. Fields are kept as raw JSON so that the id is echoed
/// exactly and so that no type error can quote a value back at us; unknown fields are ignored.
#[derive(Deserialize)]
struct RawRecord<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    text: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    known: Option<&'a RawValue>,
}

/// The `known` field of a record. Unknown fields are errors, not ignored: a misspelt `"name"`
/// would otherwise silently leave the patient's name to chance. The MRN must be a string, since
/// a JSON number would lose its leading zeros.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownField {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    mrn: Option<String>,
    #[serde(default)]
    addresses: Vec<String>,
    #[serde(default)]
    ids: Vec<KnownId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownId {
    kind: String,
    value: String,
}

/// Builds a [`Known`] from a raw `known` field; `null` means none. The serde error is dropped
/// unread: its message could quote a value.
fn parse_known(raw: &RawValue) -> Result<Option<Known>, Reason> {
    if raw.get() == "null" {
        return Ok(None);
    }
    let field: KnownField = serde_json::from_str(raw.get()).map_err(|_| Reason::BadKnown)?;
    let mut known = Known::new();
    for name in &field.names {
        known = known.name(name);
    }
    if let Some(mrn) = &field.mrn {
        known = known.mrn(mrn);
    }
    for address in &field.addresses {
        known = known.address(address);
    }
    for id in &field.ids {
        let kind = id.kind.parse::<Kind>().map_err(|_| Reason::BadKnownKind)?;
        known = known.identifier(kind, &id.value);
    }
    Ok(Some(known))
}

/// `Some` for any value that is present, `null` included: a missing field is `None` via
/// `default`, while `"text": null` must be reported as "not a string", not as "missing".
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// Parses, scans and renders one JSON line.
fn process_line(engine: &Engine, line_no: usize, line: &[u8]) -> Result<String, InputError> {
    let fail = |reason| InputError {
        line: line_no,
        reason,
    };
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = std::str::from_utf8(line).map_err(|e| {
        fail(Reason::InvalidUtf8 {
            column: e.valid_up_to() + 1,
        })
    })?;
    // Checked before serde sees it: serde would happily read `["a", "b"]` as a struct.
    if !line.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(line) {
            Ok(_) => fail(Reason::NotAnObject),
            Err(e) => fail(json_reason(&e)),
        });
    }
    let record: RawRecord<'_> = serde_json::from_str(line).map_err(|e| match e.classify() {
        // Every field accepts any JSON value, so a data error can only be a repeated field.
        serde_json::error::Category::Data => fail(Reason::DuplicateField),
        _ => fail(json_reason(&e)),
    })?;
    let text = match record.text {
        None => return Err(fail(Reason::MissingText)),
        Some(raw) => decode_string(raw).ok_or_else(|| fail(Reason::TextNotString))?,
    };
    let line_id;
    let id: &RawValue = match record.id {
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
    let known = match record.known {
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

/// The string value of a raw JSON value, or `None` if it is not a string.
fn decode_string(raw: &RawValue) -> Option<Cow<'_, str>> {
    let json = raw.get();
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(json).ok().map(Cow::Owned)
    } else {
        // No escapes: the JSON text between the quotes is the string itself.
        Some(Cow::Borrowed(inner))
    }
}

fn json_reason(e: &serde_json::Error) -> Reason {
    let problem = match e.classify() {
        serde_json::error::Category::Eof => JsonProblem::UnexpectedEnd,
        _ => JsonProblem::Syntax,
    };
    Reason::Json {
        problem,
        column: e.column(),
    }
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
