//! De-identification: replace what the engine finds, one operator per kind, as a [`Policy`] says.
//!
//! [`Deidentifier`] ties an [`Engine`], a [`Policy`] and an optional [`Secret`] together. It does
//! no I/O: text in, text out. Keyed operators derive every choice from HMAC-SHA256 of the secret
//! and the value, never from a random generator or shared state, so shards and runs agree.

mod date_shift;
mod generalize;
mod hash;
mod simple;
pub(crate) mod surrogate;
mod vault;

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::dict::Dict;
use crate::error::{Error, ErrorKind};
use crate::policy::{Op, Policy, Rule};
use crate::secret::Secret;
use crate::text::Normalized;
use crate::{Engine, Finding, Kind, Known, Span};

pub use vault::{Echo, Vault};

/// One replaced identifier. It holds no text, only where the value was and where its
/// replacement is, so it can be logged or stored as an audit trail.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Replacement {
    /// The kind of identifier.
    pub kind: Kind,
    /// The operator that replaced it.
    pub op: Op,
    /// Where the original value was, in bytes of the input text.
    pub source: Span,
    /// Where its replacement is, in bytes of the output text (empty for [`Op::Redact`]).
    pub output: Span,
    /// The detector that found it, e.g. `"date.numeric"`.
    pub detector: &'static str,
}

/// The result of de-identifying one text.
#[derive(Clone, PartialEq)]
pub struct Deidentified {
    /// The de-identified text.
    pub text: String,
    /// Every replacement, in text order. Findings the policy keeps are not listed.
    pub replacements: Vec<Replacement>,
}

impl fmt::Debug for Deidentified {
    /// Prints the replacements but not the text: an identifier the engine missed would still be
    /// in it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deidentified")
            .field("text_len", &self.text.len())
            .field("replacements", &self.replacements)
            .finish()
    }
}

/// Applies a [`Policy`] to texts.
///
/// ```
/// use phirewall::{Deidentifier, Engine, Policy};
///
/// let deid = Deidentifier::new(Engine::new()?, Policy::safe_harbor(), None)?;
/// let out = deid.deidentify("92 yo seen 3/4/2021, ZIP 03601. SSN 123-45-6789.", None)?;
/// assert_eq!(out.text, "90+ yo seen 2021, ZIP 000. SSN [SSN].");
/// # Ok::<(), phirewall::Error>(())
/// ```
#[derive(Clone)]
pub struct Deidentifier {
    engine: Engine,
    policy: Policy,
    /// The policy's rule of every kind, at `kind as usize`, resolved once: [`Policy::rule`] is a
    /// map lookup, and every finding needs its rule. The policy never changes after `new`.
    rules: Vec<Rule>,
    /// The caller's secret, keyed into HMAC once (see [`MacKey`]).
    mac: Option<MacKey>,
    /// The secret's permutation of initials for surrogate names, computed once.
    initials: Option<[u8; 26]>,
    /// Name and place words already replaced (see [`surrogate::WordCache`]); clones share it.
    words: Arc<surrogate::WordCache>,
    dict: &'static Dict,
}

impl fmt::Debug for Deidentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deidentifier")
            .field("engine", &self.engine)
            .field("policy", &self.policy)
            .field("secret", &self.mac.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Deidentifier {
    /// Checks the policy and builds a de-identifier.
    ///
    /// # Errors
    /// [`ErrorKind::Policy`] if the policy is invalid (see [`Policy::validate`]);
    /// [`ErrorKind::Secret`] if it uses a keyed operator and `secret` is `None`. There is no
    /// default secret: a built-in one would make every surrogate reversible by anyone.
    pub fn new(
        engine: Engine,
        policy: Policy,
        secret: Option<Secret>,
    ) -> Result<Deidentifier, Error> {
        policy.validate()?;
        if policy.needs_secret() && secret.is_none() {
            return Err(Error::new(
                ErrorKind::Secret,
                "this policy uses hash, surrogate or date_shift and needs a secret; none was given",
            ));
        }
        let dict = Dict::shared()?;
        let mac = secret.as_ref().map(MacKey::new);
        let initials = mac.as_ref().map(|mac| surrogate::initials(Keys::new(mac)));
        let mut rules = vec![policy.default; Kind::ALL.len()];
        for &kind in Kind::ALL {
            if let Some(rule) = rules.get_mut(kind as usize) {
                *rule = policy.rule(kind);
            }
        }
        Ok(Deidentifier {
            engine,
            rules,
            policy,
            mac,
            initials,
            words: Arc::default(),
            dict,
        })
    }

    /// Does now the one-time work that `policy`'s operators would otherwise do on their first
    /// use: for surrogates of names and places, the word lists they draw from (built from the
    /// dictionary in one pass over it, tens of milliseconds, opening the dictionary first if
    /// nothing has). Without a call, the first such surrogate builds them.
    ///
    /// Calling it is never needed. A batch program can call it on a second thread while it
    /// builds the [`Engine`] (which compiles its patterns, then opens the same dictionary), so
    /// that the two overlap instead of following each other before any record is processed.
    ///
    /// # Errors
    /// As [`Engine::new`], if the dictionary cannot be opened (a broken build).
    pub fn warm_up(policy: &Policy) -> Result<(), Error> {
        let surrogates_words = Kind::ALL
            .iter()
            .any(|k| k.is_word_level() && policy.rule(*k).op == Op::Surrogate);
        if surrogates_words {
            surrogate::warm_up(Dict::shared()?);
        }
        Ok(())
    }

    /// The policy in use.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// De-identifies `text`.
    ///
    /// `patient_key` identifies whose record this is (an MRN, a study id): every date of one
    /// patient moves by the same number of days, in every document, so intervals survive. It is
    /// only used through HMAC and never appears in the output.
    ///
    /// # Errors
    /// [`ErrorKind::PatientKey`] if the policy shifts dates and `patient_key` is `None`.
    pub fn deidentify(&self, text: &str, patient_key: Option<&str>) -> Result<Deidentified, Error> {
        self.run(text, patient_key, None, None)
    }

    /// De-identifies `text` as [`Deidentifier::deidentify`] does, and also replaces every
    /// occurrence of the identifiers the caller knows for this record (see [`Known`] and
    /// [`Engine::detect_known`]): the patient's name is replaced wherever the note spells it,
    /// even where no detector would have recognized it.
    ///
    /// Known findings score 1.0, so no threshold of the policy drops them; the policy's operator
    /// for their kind still applies (a policy that keeps `NAME` keeps known names too).
    ///
    /// # Errors
    /// As [`Deidentifier::deidentify`].
    pub fn deidentify_known(
        &self,
        text: &str,
        patient_key: Option<&str>,
        known: &Known,
    ) -> Result<Deidentified, Error> {
        self.run(text, patient_key, Some(known), None)
    }

    /// De-identifies `text` reversibly: every replacement is recorded in `vault`, which the
    /// caller keeps, so [`Vault::restore`] can put the originals back into a model's response.
    ///
    /// Use it with a policy whose replacements are unique per value ([`Policy::llm_prompt`]):
    /// a tag or a mask stands for many values, and the vault cannot tell which one to restore.
    ///
    /// # Errors
    /// As [`Deidentifier::deidentify`].
    pub fn pseudonymize(
        &self,
        text: &str,
        patient_key: Option<&str>,
        vault: &mut Vault,
    ) -> Result<Deidentified, Error> {
        self.run(text, patient_key, None, Some(vault))
    }

    /// [`Deidentifier::pseudonymize`] with the identifiers the caller knows for this record, as
    /// in [`Deidentifier::deidentify_known`].
    ///
    /// # Errors
    /// As [`Deidentifier::deidentify`].
    pub fn pseudonymize_known(
        &self,
        text: &str,
        patient_key: Option<&str>,
        known: &Known,
        vault: &mut Vault,
    ) -> Result<Deidentified, Error> {
        self.run(text, patient_key, Some(known), Some(vault))
    }

    fn run(
        &self,
        text: &str,
        patient_key: Option<&str>,
        known: Option<&Known>,
        mut vault: Option<&mut Vault>,
    ) -> Result<Deidentified, Error> {
        let shift_key = match (self.policy.shifts_dates(), patient_key) {
            (false, _) => None,
            (true, None) => {
                return Err(Error::new(
                    ErrorKind::PatientKey,
                    "this policy shifts dates and needs a patient key; none was given",
                ))
            }
            (true, Some(key)) => Some(key),
        };
        // The patient's offset in days costs an HMAC: it is drawn at the first date, so a text
        // without dates (a third of the notes of a typical corpus) costs none.
        let mut offset: Option<i64> = None;
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let found = match known {
            Some(known) => self.engine.detect_known(text, known),
            None => self.engine.detect(text),
        };
        // At most one replacement per finding: one allocation, none for a text without any.
        let mut replacements = Vec::with_capacity(found.len());
        for f in found {
            let rule = self.rule(f.kind);
            let min = rule.min_score.unwrap_or(self.policy.min_score);
            if rule.op == Op::Keep || f.score < min {
                continue;
            }
            let (Some(before), Some(value)) =
                (text.get(last..f.span.start), text.get(f.span.range()))
            else {
                // The engine's spans are sorted, disjoint and on character boundaries; a span
                // that is not is skipped rather than trusted.
                continue;
            };
            // Operators read the value as the detectors saw it: full-width digits, look-alike
            // letters and zero-width characters folded. Without this a surrogate or a shifted
            // date would copy a full-width SSN's digits verbatim (they are not ASCII digits), and
            // a disguised value would hash and substitute differently from its plain spelling.
            let folded = Normalized::new(value);
            let shift = match (shift_key, offset) {
                (Some(_), Some(days)) => Some(days),
                (Some(key), None) if f.kind == Kind::Date => {
                    let days = date_shift::offset(self.keys()?, key, self.policy.date_shift);
                    offset = Some(days);
                    Some(days)
                }
                // Only dates read the offset (see `apply`).
                _ => None,
            };
            out.push_str(before);
            // The replacement is written straight after the text before it: `out[start..]`.
            let start = out.len();
            self.apply_into(&mut out, rule.op, &f, folded.as_str(), shift, 0)?;
            if let Some(vault) = vault.as_deref() {
                // A surrogate the vault already holds for another value could not be restored
                // (the vault would not know which original it stands for): draw again, with the
                // attempt number in the key, a few times. Tags and masks stand for many values
                // by design and are left alone.
                let mut attempt = 0;
                while rule.op == Op::Surrogate
                    && attempt < SURROGATE_ATTEMPTS
                    && vault.stands_for_another(value, out.get(start..).unwrap_or_default())
                {
                    attempt += 1;
                    out.truncate(start);
                    self.apply_into(&mut out, rule.op, &f, folded.as_str(), shift, attempt)?;
                }
            }
            if let Some(vault) = vault.as_deref_mut() {
                vault.insert(f.kind, value, out.get(start..).unwrap_or_default());
            }
            replacements.push(Replacement {
                kind: f.kind,
                op: rule.op,
                source: f.span,
                output: Span::new(start, out.len()),
                detector: f.detector,
            });
            last = f.span.end;
        }
        out.push_str(text.get(last..).unwrap_or_default());
        Ok(Deidentified {
            text: out,
            replacements,
        })
    }

    /// The policy's rule for `kind` (see [`Deidentifier::rules`]).
    fn rule(&self, kind: Kind) -> Rule {
        match self.rules.get(kind as usize) {
            Some(rule) => *rule,
            None => self.policy.rule(kind),
        }
    }

    fn keys(&self) -> Result<Keys<'_>, Error> {
        match &self.mac {
            Some(mac) => Ok(Keys {
                mac,
                initials: self.initials.as_ref(),
                words: Some(&self.words),
                attempt: 0,
            }),
            // `new` refuses keyed policies without a secret; this is the same error for safety.
            None => Err(Error::new(ErrorKind::Secret, "this policy needs a secret")),
        }
    }

    /// Appends the replacement of `value` under `op` to `out`. `attempt` > 0 draws a surrogate
    /// anew (see [`Keys::stream`]); the other operators ignore it.
    ///
    /// Shifted dates and the surrogates of names and places, most replacements of a note, are
    /// written straight into `out` (the output text) rather than built in a string of their own
    /// and copied.
    fn apply_into(
        &self,
        out: &mut String,
        op: Op,
        f: &Finding,
        value: &str,
        shift: Option<i64>,
        attempt: u32,
    ) -> Result<(), Error> {
        let p = &self.policy;
        let tag = |out: &mut String| out.push_str(&simple::tag(&p.tag, f.kind));
        match op {
            Op::Keep => out.push_str(value),
            Op::Redact => {}
            Op::Tag => tag(out),
            Op::Mask => out.push_str(&simple::mask(value, p.mask)),
            Op::Hash => out.push_str(&hash::hash(self.keys()?, f.kind, value, p.hash_len)),
            Op::DateShift | Op::Surrogate if f.kind == Kind::Date => {
                let shifted =
                    shift.is_some_and(|days| date_shift::shift_into(out, value, f.detector, days));
                if !shifted {
                    tag(out);
                }
            }
            Op::DateShift => tag(out),
            Op::Surrogate => {
                let keys = Keys {
                    attempt,
                    ..self.keys()?
                };
                surrogate::surrogate_into(out, keys, self.dict, f, value);
            }
            Op::Generalize => match generalize::generalize(f, value, p) {
                Some(general) => out.push_str(&general),
                None => tag(out),
            },
        }
        Ok(())
    }
}

/// How many times a reversible run draws a surrogate again when the vault already holds it for
/// another value. With pools of hundreds of words per initial, one more draw nearly always
/// suffices; after the last, the surrogate is kept and `Vault::restore` leaves it ambiguous.
const SURROGATE_ATTEMPTS: u32 = 8;

/// The caller's secret as a keyed HMAC-SHA256 state: the secret's inner and outer pads already
/// absorbed. Every keyed operator starts from a clone of it, which gives exactly the MAC that
/// keying a new HMAC from the secret bytes would, two SHA-256 blocks sooner (a MAC of a short
/// message costs three or four blocks instead of five or six). It is built once per
/// [`Deidentifier`].
///
/// Like the [`Secret`] it comes from, it never appears in `Debug` output. Unlike the secret's
/// bytes it is not wiped on drop (the `hmac` crate offers no way to), as none of the transient
/// HMAC states on the stack ever were.
#[derive(Clone)]
pub(crate) struct MacKey(Hmac<Sha256>);

impl MacKey {
    pub(crate) fn new(secret: &Secret) -> MacKey {
        MacKey(hmac_with(secret.bytes()))
    }
}

/// HMAC-SHA256 keyed by the caller's secret. Every use names its purpose and kind in the input,
/// so the hash of a value can never be matched against its surrogate or its date offset.
#[derive(Clone, Copy)]
pub(crate) struct Keys<'a> {
    mac: &'a MacKey,
    /// The keyed permutation of initials ([`surrogate::initials`]) when the caller computed it
    /// once: it is the same for every value, and costs 26 HMACs.
    initials: Option<&'a [u8; 26]>,
    /// Word surrogates drawn before under the same keys, when the caller keeps them (a
    /// [`Deidentifier`] does). Used for the first draw only (`attempt` 0).
    words: Option<&'a surrogate::WordCache>,
    /// Which draw this is: 0 normally; more when a reversible run found the first surrogate
    /// already standing for another value. Mixed into [`Keys::stream`] only.
    attempt: u32,
}

impl<'a> Keys<'a> {
    /// Keys with nothing precomputed.
    pub(crate) fn new(mac: &'a MacKey) -> Keys<'a> {
        Keys {
            mac,
            initials: None,
            words: None,
            attempt: 0,
        }
    }

    /// HMAC of the parts, each prefixed with its length so ("ab","c") and ("a","bc") differ.
    pub(crate) fn mac(self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.mac.0.clone();
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// A deterministic stream of numbers for the parts: the same parts give the same stream.
    /// A later attempt (see [`Keys::attempt`]) adds its number as one more part, so it draws
    /// differently; attempt 0 adds nothing, and surrogates stay those of every other run.
    pub(crate) fn stream(self, parts: &[&[u8]]) -> Stream {
        let attempt = self.attempt.to_be_bytes();
        let seed = if self.attempt == 0 {
            self.mac(parts)
        } else {
            let mut with: Vec<&[u8]> = parts.to_vec();
            with.push(b"attempt");
            with.push(&attempt);
            self.mac(&with)
        };
        Stream {
            keyed: hmac_with(&seed),
            block: [0; 32],
            pos: 32,
            counter: 0,
        }
    }
}

fn hmac_with(key: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this never fails.
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// HMAC-SHA256 in counter mode over a seed: as many pseudo-random bytes as an operator needs.
pub(crate) struct Stream {
    /// HMAC keyed by the seed, cloned for each block (keyed once, not once per block).
    keyed: Hmac<Sha256>,
    block: [u8; 32],
    pos: usize,
    counter: u64,
}

impl Stream {
    /// The next eight bytes of the stream, big-endian. They are copied a run at a time (the
    /// rest of the block, then the start of the next) rather than byte by byte.
    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        let mut filled = 0;
        while filled < bytes.len() {
            if self.pos >= self.block.len() {
                let mut mac = self.keyed.clone();
                mac.update(&self.counter.to_be_bytes());
                self.block = mac.finalize().into_bytes().into();
                self.counter += 1;
                self.pos = 0;
            }
            let n = (bytes.len() - filled).min(self.block.len() - self.pos);
            if let (Some(to), Some(from)) = (
                bytes.get_mut(filled..filled + n),
                self.block.get(self.pos..self.pos + n),
            ) {
                to.copy_from_slice(from);
            }
            filled += n;
            self.pos += n;
        }
        u64::from_be_bytes(bytes)
    }

    /// A number in `0..n` (`n > 0`). The modulo bias is below 2^-50 for the small `n` used here.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// An ASCII digit.
    pub(crate) fn digit(&mut self) -> char {
        char::from(b'0' + self.below(10) as u8)
    }

    /// A lowercase ASCII letter.
    pub(crate) fn letter(&mut self) -> char {
        char::from(b'a' + self.below(26) as u8)
    }

    /// An element of a non-empty slice.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = self.below(items.len() as u64) as usize;
        items.get(i).copied().unwrap_or_default()
    }
}

/// Writes `word` in the letter case of `model`: `SMITH` -> `HAYES`, `smith` -> `hayes`,
/// `Smith` -> `Hayes`.
pub(crate) fn match_case(model: &str, word: &str) -> String {
    match Case::of(model) {
        Case::Upper => word.to_uppercase(),
        Case::Lower => word.to_lowercase(),
        Case::Capital => {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => lower,
            }
        }
        Case::AsIs => word.to_string(),
    }
}

/// Appends [`match_case`]`(model, word)` to `out`. An ASCII word (month names and ordinal
/// suffixes of shifted dates) is cased byte by byte straight into `out`, which gives the same
/// characters without a `String` of its own; any other word goes through [`match_case`].
pub(crate) fn push_case(out: &mut String, model: &str, word: &str) {
    if !word.is_ascii() {
        out.push_str(&match_case(model, word));
        return;
    }
    let case = Case::of(model);
    for (i, b) in word.bytes().enumerate() {
        let b = match case {
            Case::Upper => b.to_ascii_uppercase(),
            Case::Capital if i == 0 => b.to_ascii_uppercase(),
            Case::Lower | Case::Capital => b.to_ascii_lowercase(),
            Case::AsIs => b,
        };
        out.push(char::from(b));
    }
}

/// The letter case of a word, as [`match_case`] copies it.
#[derive(Clone, Copy)]
enum Case {
    /// All capitals, and more than one letter (`SMITH`; a lone `J` is [`Case::Capital`]).
    Upper,
    /// No capital (`smith`).
    Lower,
    /// A capital first (`Smith`, `McDonald`, `J`).
    Capital,
    /// Anything else: the word is written as it is.
    AsIs,
}

impl Case {
    fn of(model: &str) -> Case {
        let has_upper = model.chars().any(char::is_uppercase);
        let has_lower = model.chars().any(char::is_lowercase);
        if has_upper && !has_lower && model.chars().filter(|c| c.is_alphabetic()).count() > 1 {
            Case::Upper
        } else if has_lower && !has_upper {
            Case::Lower
        } else if model.chars().next().is_some_and(char::is_uppercase) {
            Case::Capital
        } else {
            Case::AsIs
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_case_writes_what_match_case_returns() {
        let models = [
            "SMITH", "smith", "Smith", "J", "j", "McDonald", "4th", "4TH", "", "-", "É",
        ];
        let words = [
            "hayes", "HAYES", "Hayes", "th", "March", "x", "", "élan", "ΣΑΣ",
        ];
        for model in models {
            for word in words {
                let mut out = String::from("<");
                push_case(&mut out, model, word);
                assert_eq!(
                    out,
                    format!("<{}", match_case(model, word)),
                    "{model:?} {word:?}"
                );
            }
        }
    }
}
