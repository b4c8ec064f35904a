//! [`Secret`]: the caller's key for keyed operators (hash, surrogate, date shift) and for sealing
//! a vault.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind};

/// The shortest secret accepted, in bytes. Surrogates and hashes are only as unguessable as the
/// secret: with a short one an attacker could enumerate keys and reverse common values.
pub const MIN_SECRET_LEN: usize = 16;

/// A secret key held by the caller.
///
/// Keyed operators derive everything from it with HMAC-SHA256, so the same secret gives the same
/// surrogates in every process, shard and run, and a different secret gives unrelated ones.
/// phirewall never has a built-in secret: a policy that needs one refuses to run without it.
///
/// The bytes are wiped from memory when the `Secret` is dropped, and `Debug` prints nothing of
/// them, so a secret can sit in a struct that gets logged.
#[derive(Clone)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps key bytes, e.g. 32 random bytes from a key store or a passphrase.
    ///
    /// # Errors
    /// [`ErrorKind::Secret`] if it is shorter than [`MIN_SECRET_LEN`] bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Secret, Error> {
        let bytes = Zeroizing::new(bytes.into());
        if bytes.len() < MIN_SECRET_LEN {
            return Err(Error::new(
                ErrorKind::Secret,
                "the secret is too short (at least 16 bytes are needed)",
            ));
        }
        Ok(Secret(bytes))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}
