//! Errors of the command-line tool.
//!
//! Every message names where the problem is (a file, a line, a column) and what it is, never the
//! text of a record: the input is clinical text, and stderr often ends up in CI logs and tickets.
//! That is also why JSON parse errors are reported by category and column only: serde_json's own
//! messages can quote the offending value.

use std::io;

pub use phirewall_cli::input::InputError;

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
    /// The command's configuration is unusable (a policy, a secret, a column name): the message
    /// says what and where, never a value from the input or the secret.
    #[error("{0}")]
    Config(String),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_and_line() {
        let e = CliError::Input {
            source_name: "notes.txt".into(),
            error: InputError {
                line: 2,
                reason: phirewall_cli::input::Reason::InvalidUtf8 { column: 5 },
            },
        };
        assert_eq!(e.to_string(), "notes.txt: line 2: invalid UTF-8 at byte 5");
        assert_eq!(e.exit_code(), 2);
    }
}
