//! Errors of the command-line tool.
//!
//! Every message names where the problem is (a file, a line, a column) and what it is, never the
//! text of a record: the input is clinical text, and stderr often ends up in CI logs and tickets.
//! That is also why JSON parse errors are reported by category and column only: serde_json's own
//! messages can quote the offending value.

use std::fmt;
use std::io;

/// An error that stops a command. Bad records do not stop `detect`; see [`InputError`].
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input file or standard input could not be read.
    #[error("cannot read {source_name}: {error}")]
    Read {
        source_name: String,
        #[source]
        error: io::Error,
    },
    /// Writing to standard output failed.
    #[error("cannot write output: {0}")]
    Write(#[source] io::Error),
    /// A named output file (such as `eval --review`) could not be created or written.
    #[error("cannot write {path}: {error}")]
    WriteFile {
        path: String,
        #[source]
        error: io::Error,
    },
    /// The engine rejected its configuration (or failed to compile, which is a phirewall bug).
    #[error("cannot build the engine: {0}")]
    Engine(#[from] phirewall::Error),
    /// A whole-file input (plain text for `detect` or `bench`) is unusable, or the engine
    /// failed on it.
    #[error("{source_name}: {error}")]
    Input {
        source_name: String,
        error: InputError,
    },
    /// A gold annotation file for `eval` is unreadable or malformed.
    #[error("{0}")]
    Gold(#[from] crate::eval::GoldError),
    /// rayon could not start its worker threads.
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
}

impl CliError {
    /// The process exit code: 2 for bad input, 1 for usage and I/O problems.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input { .. } | CliError::Gold(_) => 2,
            _ => 1,
        }
    }

    /// Whether this is a closed pipe on stdout (`phirewall detect ... | head`), which is not
    /// worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Write(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// A record that cannot be processed, with the 1-based line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub line: usize,
    pub reason: Reason,
}

impl InputError {
    /// The position of the first invalid byte of a whole-file input: `valid_up_to` bytes of
    /// `bytes` are UTF-8 (as [`std::str::Utf8Error::valid_up_to`] says).
    pub fn invalid_utf8(bytes: &[u8], valid_up_to: usize) -> InputError {
        let before = bytes.get(..valid_up_to).unwrap_or(bytes);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        InputError {
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            reason: Reason::InvalidUtf8 {
                column: before.len() - line_start + 1,
            },
        }
    }
}

/// Why a record was rejected. Positions are 1-based byte columns within the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The bytes are not UTF-8.
    InvalidUtf8 { column: usize },
    /// The line is not valid JSON.
    Json { problem: JsonProblem, column: usize },
    /// The line is valid JSON but not an object.
    NotAnObject,
    /// The object has the same field twice.
    DuplicateField,
    /// The object has no "text" field.
    MissingText,
    /// "text" is there but is not a string.
    TextNotString,
    /// "id" is there but is neither a string nor a number.
    BadId,
    /// "known" is there but is not an object of the documented shape.
    BadKnown,
    /// An entry of "known.ids" names no identifier kind.
    BadKnownKind,
    /// The engine panicked on this record: a phirewall bug, reported without the record.
    Internal,
}

/// The kind of JSON syntax problem, from serde_json's error category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonProblem {
    Syntax,
    UnexpectedEnd,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match self.reason {
            Reason::InvalidUtf8 { column } => write!(f, "invalid UTF-8 at byte {column}"),
            Reason::Json {
                problem: JsonProblem::Syntax,
                column,
            } => write!(f, "malformed JSON (syntax error at column {column})"),
            Reason::Json {
                problem: JsonProblem::UnexpectedEnd,
                column,
            } => write!(f, "malformed JSON (line ends early, at column {column})"),
            Reason::NotAnObject => {
                f.write_str("expected a JSON object like {\"id\": ..., \"text\": ...}")
            }
            Reason::DuplicateField => {
                f.write_str("the object has a duplicate \"id\", \"text\" or \"known\" field")
            }
            Reason::MissingText => f.write_str("missing \"text\" field"),
            Reason::TextNotString => f.write_str("\"text\" must be a string"),
            Reason::BadId => f.write_str("\"id\" must be a string or a number"),
            Reason::BadKnown => f.write_str(
                "\"known\" must be an object with optional fields \"names\" (array of strings), \
                 \"mrn\" (string), \"addresses\" (array of strings) and \"ids\" (array of \
                 {\"kind\", \"value\"} strings)",
            ),
            Reason::BadKnownKind => f.write_str(
                "a \"kind\" in \"known.ids\" is not an identifier kind (NAME, PHONE, MRN, ...)",
            ),
            Reason::Internal => {
                f.write_str("internal error while scanning this record (a phirewall bug)")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_line() {
        let e = InputError {
            line: 7,
            reason: Reason::MissingText,
        };
        assert_eq!(e.to_string(), "line 7: missing \"text\" field");
        let e = CliError::Input {
            source_name: "notes.txt".into(),
            error: InputError {
                line: 2,
                reason: Reason::InvalidUtf8 { column: 5 },
            },
        };
        assert_eq!(e.to_string(), "notes.txt: line 2: invalid UTF-8 at byte 5");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn locates_invalid_utf8() {
        let bytes = b"ab\ncd\nef\xffg";
        assert_eq!(
            InputError::invalid_utf8(bytes, 8),
            InputError {
                line: 3,
                reason: Reason::InvalidUtf8 { column: 3 }
            }
        );
        let first = InputError::invalid_utf8(b"\xff", 0);
        assert_eq!(first.line, 1);
        assert_eq!(first.reason, Reason::InvalidUtf8 { column: 1 });
    }
}
