//! The library's error type.
//!
//! An [`Error`] is deliberately small and opaque: a stable [`ErrorKind`] plus a fixed message. It
//! never contains input text, a finding's value or a secret, so it is always safe to log.

use std::fmt;

/// What went wrong, as a stable category callers can match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The engine configuration is invalid (for example, no kind is enabled).
    Config,
    /// Compiling the detectors failed. This is a bug in phirewall, not in the caller's input.
    Build,
}

/// An error from building or using an engine.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    kind: ErrorKind,
    message: &'static str,
}

impl Error {
    pub(crate) const fn new(kind: ErrorKind, message: &'static str) -> Error {
        Error { kind, message }
    }

    /// The category of this error.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .finish()
    }
}
