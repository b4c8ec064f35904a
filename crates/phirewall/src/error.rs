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
    /// A de-identification policy is invalid (an operator used for a kind it cannot handle, an
    /// empty date shift range, a malformed policy file).
    Policy,
    /// The policy uses a keyed operator (hash, surrogate, date shift) or a vault is sealed, and
    /// no [`Secret`](crate::Secret) was given; or the secret given is unusable (too short).
    Secret,
    /// The policy shifts dates, which needs a patient key, and none was given.
    PatientKey,
    /// A vault could not be read or unsealed: malformed JSON, a wrong key or tampered data.
    Vault,
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
