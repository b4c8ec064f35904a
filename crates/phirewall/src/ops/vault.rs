//! The reversible vault: which surrogate stands for which original, held by the caller.
//!
//! [`Deidentifier::pseudonymize`](crate::Deidentifier::pseudonymize) fills it while replacing
//! identifiers in a prompt; [`Vault::restore`] puts the originals back into a model's response,
//! and [`Vault::echoes`] reports originals that appear in a text (a leak check: a response the
//! model wrote from a pseudonymized prompt should contain none). The vault is plain data: it
//! serializes to JSON for the caller to store, and [`Vault::seal`] encrypts that JSON with
//! AES-256-GCM-SIV under a key derived from the caller's [`Secret`].

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use aes_gcm_siv::aead::{Aead, KeyInit, OsRng};
use aes_gcm_siv::{AeadCore, Aes256GcmSiv, Nonce};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::{match_case, Keys, MacKey};
use crate::error::{Error, ErrorKind};
use crate::secret::Secret;
use crate::{Kind, Span};

/// Sealed vaults start with this, so a sealed string is recognizable and its format versioned.
const SEALED_PREFIX: &str = "phirewall-vault-v1:";

/// Original values and their surrogates. It holds PHI: store it like the original records.
/// `Debug` prints only the number of entries.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(from = "Stored", into = "Stored")]
pub struct Vault {
    entries: BTreeSet<Entry>,
    /// For each surrogate (ASCII lowercase), the originals it stands for (ASCII lowercase):
    /// [`Vault::stands_for_another`] is asked for every value a prompt replaces, and a scan of
    /// the entries made a long prompt quadratic. Derived from `entries`, never stored.
    originals_of: HashMap<String, BTreeSet<String>>,
}

/// What a vault's JSON holds: the entries alone.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    entries: BTreeSet<Entry>,
}

impl From<Stored> for Vault {
    fn from(stored: Stored) -> Vault {
        let mut vault = Vault::default();
        for e in stored.entries {
            vault.index(&e);
            vault.entries.insert(e);
        }
        vault
    }
}

impl From<Vault> for Stored {
    fn from(vault: Vault) -> Stored {
        Stored {
            entries: vault.entries,
        }
    }
}

/// Two vaults are equal when they hold the same pairs (the index follows from them).
impl PartialEq for Vault {
    fn eq(&self, other: &Vault) -> bool {
        self.entries == other.entries
    }
}

impl Eq for Vault {}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    kind: Kind,
    original: String,
    surrogate: String,
}

/// An original value found in a text by [`Vault::echoes`]: its kind and where it is. It holds
/// no text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Echo {
    /// The kind of the original value.
    pub kind: Kind,
    /// Where it is in the text that was checked, in bytes.
    pub span: Span,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Vault {
    /// An empty vault.
    pub fn new() -> Vault {
        Vault::default()
    }

    /// The number of (original, surrogate) pairs.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the vault holds no pair.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn insert(&mut self, kind: Kind, original: &str, surrogate: &str) {
        if surrogate.is_empty() || original == surrogate {
            return;
        }
        let entry = Entry {
            kind,
            original: original.to_string(),
            surrogate: surrogate.to_string(),
        };
        self.index(&entry);
        self.entries.insert(entry);
    }

    /// Adds `e` to [`Vault::originals_of`].
    fn index(&mut self, e: &Entry) {
        self.originals_of
            .entry(e.surrogate.to_ascii_lowercase())
            .or_default()
            .insert(e.original.to_ascii_lowercase());
    }

    /// Whether `surrogate` already stands for a value other than `original` (ignoring ASCII
    /// case, as [`Vault::restore`] does), so that restoring it would be ambiguous.
    pub(crate) fn stands_for_another(&self, original: &str, surrogate: &str) -> bool {
        self.originals_of
            .get(&surrogate.to_ascii_lowercase())
            .is_some_and(|originals| originals.iter().any(|o| !o.eq_ignore_ascii_case(original)))
    }

    /// Replaces every surrogate in `response` with its original.
    ///
    /// Matching ignores ASCII case (a model may write "HAYES" for "Hayes") and takes whole words
    /// only, longest first. A surrogate that stands for several originals (a tag such as
    /// `[NAME]`) is ambiguous and left as it is.
    pub fn restore(&self, response: &str) -> String {
        // Surrogate -> original, exactly as written and ignoring ASCII case. `None` marks a
        // surrogate that stands for more than one original. Names keep their case, so "Hayes"
        // and "HAYES" are two entries for "Smith" and "SMITH": the exact match decides first.
        let mut exact: HashMap<&str, Option<&str>> = HashMap::new();
        let mut folded: HashMap<String, Option<&Entry>> = HashMap::new();
        for e in &self.entries {
            exact
                .entry(&e.surrogate)
                .and_modify(|o| {
                    if *o != Some(e.original.as_str()) {
                        *o = None;
                    }
                })
                .or_insert(Some(&e.original));
            folded
                .entry(e.surrogate.to_ascii_lowercase())
                .and_modify(|o| {
                    if !o.is_some_and(|o| o.original.eq_ignore_ascii_case(&e.original)) {
                        *o = None;
                    }
                })
                .or_insert(Some(e));
        }
        let needles: Vec<&str> = folded.keys().map(String::as_str).collect();
        let mut out = String::with_capacity(response.len());
        let mut last = 0;
        for (_, span) in find_words(&needles, response) {
            let (Some(before), Some(found)) =
                (response.get(last..span.start), response.get(span.range()))
            else {
                continue;
            };
            let original = match exact.get(found) {
                Some(known) => known.map(str::to_string),
                // A case the vault never saw ("hayes"): names and places take that case,
                // identifiers are restored as they were written.
                None => match folded.get(&found.to_ascii_lowercase()).copied().flatten() {
                    Some(e) if e.kind.is_word_level() => Some(match_case(found, &e.original)),
                    Some(e) => Some(e.original.clone()),
                    None => None,
                },
            };
            let Some(original) = original else { continue };
            out.push_str(before);
            out.push_str(&original);
            last = span.end;
        }
        out.push_str(response.get(last..).unwrap_or_default());
        out
    }

    /// Where original values appear in `text` (ASCII case ignored, whole words only).
    ///
    /// Run it on a model's response before [`Vault::restore`]: the model only saw surrogates,
    /// so an original in its answer came from somewhere else (its context, a tool, training) and
    /// is a leak. Run it on a pseudonymized prompt to check nothing was missed that the vault
    /// knows from earlier turns.
    pub fn echoes(&self, text: &str) -> Vec<Echo> {
        let entries: Vec<&Entry> = self.entries.iter().collect();
        let needles: Vec<&str> = entries.iter().map(|e| e.original.as_str()).collect();
        find_words(&needles, text)
            .into_iter()
            .filter_map(|(i, span)| entries.get(i).map(|e| Echo { kind: e.kind, span }))
            .collect()
    }

    /// The vault as JSON. It contains the originals in clear: prefer [`Vault::seal`] to store it.
    pub fn to_json(&self) -> String {
        // Serializing strings and enums to JSON cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a vault written by [`Vault::to_json`].
    ///
    /// # Errors
    /// [`ErrorKind::Vault`] if the JSON is not a vault.
    pub fn from_json(json: &str) -> Result<Vault, Error> {
        serde_json::from_str(json)
            .map_err(|_| Error::new(ErrorKind::Vault, "the vault JSON is malformed"))
    }

    /// The vault's JSON encrypted with AES-256-GCM-SIV under a key derived from `key`, with a
    /// random nonce, as `phirewall-vault-v1:` followed by base64 of nonce and ciphertext.
    ///
    /// GCM-SIV stays safe even if the random source repeats a nonce. Use a different secret
    /// from the one that chooses surrogates if the two are managed separately; the derived keys
    /// differ in any case.
    ///
    /// # Errors
    /// [`ErrorKind::Vault`] if encryption fails (it does not for in-memory data).
    pub fn seal(&self, key: &Secret) -> Result<String, Error> {
        let cipher = cipher(key);
        let nonce = Aes256GcmSiv::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, self.to_json().as_bytes())
            .map_err(|_| Error::new(ErrorKind::Vault, "sealing the vault failed"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!(
            "{SEALED_PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }

    /// Opens a vault sealed by [`Vault::seal`] with the same key.
    ///
    /// # Errors
    /// [`ErrorKind::Vault`] if the string is not a sealed vault, the key is wrong or the data was
    /// changed.
    pub fn unseal(sealed: &str, key: &Secret) -> Result<Vault, Error> {
        let bad = || {
            Error::new(
                ErrorKind::Vault,
                "the sealed vault is malformed, altered, or sealed with another key",
            )
        };
        let body = sealed.trim().strip_prefix(SEALED_PREFIX).ok_or_else(bad)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|_| bad())?;
        if bytes.len() < 12 {
            return Err(bad());
        }
        let (nonce, data) = bytes.split_at(12);
        let json = cipher(key)
            .decrypt(Nonce::from_slice(nonce), data)
            .map_err(|_| bad())?;
        let json = String::from_utf8(json).map_err(|_| bad())?;
        Vault::from_json(&json)
    }
}

fn cipher(key: &Secret) -> Aes256GcmSiv {
    let derived = Keys::new(&MacKey::new(key)).mac(&[b"vault seal v1"]);
    Aes256GcmSiv::new(&derived.into())
}

/// Whole-word, ASCII case-insensitive, leftmost-longest matches of the needles: `(needle index,
/// span)`. A match counts as whole when no letter or digit touches it on a side where the needle
/// itself starts or ends with one, so "Hayes" is not found in "Hayesville".
fn find_words(needles: &[&str], text: &str) -> Vec<(usize, Span)> {
    let needles_ok: Vec<(usize, &str)> = needles
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
        .collect();
    if needles_ok.is_empty() {
        return Vec::new();
    }
    let Ok(ac) = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(needles_ok.iter().map(|(_, n)| n))
    else {
        return Vec::new();
    };
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = Vec::new();
    for m in ac.find_iter(text) {
        let Some(&(index, needle)) = needles_ok.get(m.pattern().as_usize()) else {
            continue;
        };
        let before = text.get(..m.start()).and_then(|s| s.chars().next_back());
        let after = text.get(m.end()..).and_then(|s| s.chars().next());
        let starts_word = word(needle.chars().next());
        let ends_word = word(needle.chars().next_back());
        if (starts_word && word(before)) || (ends_word && word(after)) {
            continue;
        }
        out.push((index, Span::new(m.start(), m.end())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names keep their case, so one name gives several case variants; each restores to its
    /// own original, and a case the vault never saw restores too.
    /// The index behind `stands_for_another` is rebuilt when a vault is read back, and the
    /// JSON holds the entries alone.
    #[test]
    fn a_vault_read_back_knows_which_surrogate_is_taken() {
        let mut v = Vault::new();
        v.insert(Kind::Name, "Ostrowski", "Hayes");
        assert!(v.stands_for_another("Lindqvist", "HAYES"));
        assert!(!v.stands_for_another("OSTROWSKI", "hayes"));
        assert!(!v.stands_for_another("Lindqvist", "Marlow"));
        let json = v.to_json();
        assert!(
            json.starts_with(r#"{"entries":["#),
            "the JSON shape changed"
        );
        let back = Vault::from_json(&json).expect("a vault's own JSON reads back");
        assert_eq!(back, v);
        assert!(back.stands_for_another("Lindqvist", "hayes"));
        assert!(!back.stands_for_another("ostrowski", "Hayes"));
        let extra = json.replacen('{', r#"{"index":1,"#, 1);
        assert!(
            Vault::from_json(&extra).is_err(),
            "unknown fields are refused"
        );
    }

    #[test]
    fn case_variants_restore() {
        let mut v = Vault::new();
        v.insert(Kind::Name, "Smith", "Hayes");
        v.insert(Kind::Name, "SMITH", "HAYES");
        v.insert(Kind::Name, "John", "Robert");
        assert_eq!(
            v.restore("Hayes, HAYES, hayes; Robert Hayes. Hayesville."),
            "Smith, SMITH, smith; John Smith. Hayesville."
        );
        // Two different originals behind one surrogate: left alone.
        v.insert(Kind::Name, "Jones", "Robert");
        assert_eq!(v.restore("Robert Hayes"), "Robert Smith");
        let echoes = v.echoes("smith and JONES");
        assert_eq!(echoes.len(), 2);
        assert_eq!(echoes[1].span, Span::new(10, 15));
    }
}
