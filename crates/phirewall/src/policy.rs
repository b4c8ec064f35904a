//! [`Policy`]: which kinds to de-identify, how sure a finding must be, and the operator for each
//! kind. Policies are plain serde data, so they can live in a TOML or JSON file next to the
//! pipeline that uses them and be reviewed like any other configuration.
//!
//! ```toml
//! min_score = 0.5
//! default = { op = "tag" }
//! tag = "[{kind}]"
//! restricted_zip3 = ["036", "059"]
//!
//! [kinds.DATE]
//! op = "date_shift"
//!
//! [kinds.PHONE]
//! op = "mask"
//! min_score = 0.8
//!
//! [mask]
//! char = "X"
//! keep_last = 4
//!
//! [date_shift]
//! min_days = -365
//! max_days = -30
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind};
use crate::Kind;

/// What to do with a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Op {
    /// Leave the value as it is: the kind is not de-identified.
    Keep,
    /// Remove the value; nothing takes its place.
    Redact,
    /// Replace the value with the policy's tag template, `[NAME]` by default.
    Tag,
    /// Replace each letter and digit with the mask character, keeping the last `keep_last` of
    /// them and every separator, so `617-555-0199` becomes `***-***-0199`.
    Mask,
    /// Replace the value with its kind and a truncated keyed HMAC-SHA256, e.g. `SSN_3f9a01c2b4d7`.
    /// The same value and secret always give the same hash. Needs a secret.
    Hash,
    /// Replace the value with a realistic value of the same shape, chosen by a keyed HMAC of the
    /// value, so it is the same in every document and run. Identifiers come from never-issued
    /// ranges. For dates it is the same as [`Op::DateShift`]. Needs a secret.
    Surrogate,
    /// Move a date by the patient's offset, keeping its format. Needs a secret and a patient
    /// key. Only for `DATE`.
    DateShift,
    /// Safe Harbor generalization: a date becomes its year, an age over 89 becomes `90+`, a ZIP
    /// code its first three digits (or `000`). Only for `DATE`, `AGE` and `ZIP`.
    Generalize,
}

impl Op {
    /// The stable snake_case name used in policy files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Op::Keep => "keep",
            Op::Redact => "redact",
            Op::Tag => "tag",
            Op::Mask => "mask",
            Op::Hash => "hash",
            Op::Surrogate => "surrogate",
            Op::DateShift => "date_shift",
            Op::Generalize => "generalize",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The operator for one kind, and optionally its own score threshold.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The operator.
    pub op: Op,
    /// Findings of this kind scoring below this are left alone; `None` uses the policy's
    /// `min_score`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f32>,
}

impl Rule {
    /// A rule with the policy-wide threshold.
    pub const fn new(op: Op) -> Rule {
        Rule {
            op,
            min_score: None,
        }
    }
}

/// Options of [`Op::Mask`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MaskOptions {
    /// The character written over each masked letter or digit.
    pub char: char,
    /// How many letters and digits at the end stay visible (0: none).
    pub keep_last: usize,
}

impl Default for MaskOptions {
    fn default() -> MaskOptions {
        MaskOptions {
            char: '*',
            keep_last: 0,
        }
    }
}

/// The range of [`Op::DateShift`] offsets, in days, both ends included. An offset of 0 is never
/// chosen, so a shifted date always differs from the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShiftRange {
    /// The smallest offset (negative moves dates into the past).
    pub min_days: i32,
    /// The largest offset.
    pub max_days: i32,
}

impl Default for ShiftRange {
    fn default() -> ShiftRange {
        ShiftRange {
            min_days: -365,
            max_days: 365,
        }
    }
}

/// The three-digit ZIP prefixes that HHS lists as covering 20,000 people or fewer (2000
/// Census), which Safe Harbor generalization must write as `000`.
pub const HHS_RESTRICTED_ZIP3: &[&str] = &[
    "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878",
    "879", "884", "890", "893",
];

/// A de-identification policy.
///
/// Every kind gets the operator of its entry in `kinds`, or `default` when it has none. Build one
/// from a preset ([`Policy::safe_harbor`], [`Policy::surrogate`], [`Policy::llm_prompt`],
/// [`Policy::preset`]) or from a file ([`Policy::from_toml`], [`Policy::from_json`]); fields left
/// out of a file take the values of [`Policy::default`], which tags everything.
///
/// A policy holds no secret: secrets are passed next to it, so a policy file can be shared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Findings scoring below this are left alone, unless their kind's rule says otherwise.
    pub min_score: f32,
    /// The rule of kinds not listed in `kinds`.
    pub default: Rule,
    /// Rules per kind, keyed by the stable kind name (`NAME`, `DATE`, ...).
    pub kinds: BTreeMap<Kind, Rule>,
    /// The [`Op::Tag`] template; `{kind}` stands for the kind name.
    pub tag: String,
    /// Options of [`Op::Mask`].
    pub mask: MaskOptions,
    /// How many hex digits of the HMAC [`Op::Hash`] keeps (8 to 64).
    pub hash_len: usize,
    /// The range of [`Op::DateShift`] offsets.
    pub date_shift: ShiftRange,
    /// ZIP prefixes that [`Op::Generalize`] writes as `000`; HHS's list by default.
    pub restricted_zip3: Vec<String>,
}

impl Default for Policy {
    /// Every kind replaced by its tag, whatever its score.
    fn default() -> Policy {
        Policy {
            min_score: 0.0,
            default: Rule::new(Op::Tag),
            kinds: BTreeMap::new(),
            tag: "[{kind}]".to_string(),
            mask: MaskOptions::default(),
            hash_len: 12,
            date_shift: ShiftRange::default(),
            restricted_zip3: HHS_RESTRICTED_ZIP3.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The preset names [`Policy::preset`] knows.
pub const PRESETS: &[&str] = &["safe-harbor", "surrogate", "llm-prompt"];

impl Policy {
    /// `safe-harbor`: dates to their year, ages over 89 to `90+`, ZIP codes to three digits,
    /// everything else to its tag. Needs no secret.
    pub fn safe_harbor() -> Policy {
        let mut p = Policy::default();
        for kind in [Kind::Date, Kind::Age, Kind::Zip] {
            p.kinds.insert(kind, Rule::new(Op::Generalize));
        }
        p
    }

    /// `surrogate`: consistent realistic replacements, and dates shifted per patient. Needs a
    /// secret, and a patient key for the dates.
    pub fn surrogate() -> Policy {
        let mut p = Policy {
            default: Rule::new(Op::Surrogate),
            ..Policy::default()
        };
        p.kinds.insert(Kind::Date, Rule::new(Op::DateShift));
        p
    }

    /// `llm-prompt`: like `surrogate`, for [`Deidentifier::pseudonymize`]: the replacements are
    /// realistic so a model reasons about them normally, and unique so the vault can restore them.
    ///
    /// [`Deidentifier::pseudonymize`]: crate::Deidentifier::pseudonymize
    pub fn llm_prompt() -> Policy {
        Policy::surrogate()
    }

    /// A preset by name: one of [`PRESETS`].
    ///
    /// # Errors
    /// [`ErrorKind::Policy`] for any other name.
    pub fn preset(name: &str) -> Result<Policy, Error> {
        match name {
            "safe-harbor" => Ok(Policy::safe_harbor()),
            "surrogate" => Ok(Policy::surrogate()),
            "llm-prompt" => Ok(Policy::llm_prompt()),
            _ => Err(Error::new(
                ErrorKind::Policy,
                "unknown policy preset (expected safe-harbor, surrogate or llm-prompt)",
            )),
        }
    }

    /// Reads a policy from TOML.
    ///
    /// The error says only that the file is malformed, because errors never carry text; for the
    /// parser's detailed message deserialize [`Policy`] with the `toml` crate directly.
    ///
    /// # Errors
    /// [`ErrorKind::Policy`] if the TOML is malformed or names an unknown field, kind or operator.
    pub fn from_toml(s: &str) -> Result<Policy, Error> {
        toml::from_str(s).map_err(|_| {
            Error::new(
                ErrorKind::Policy,
                "the policy is not valid TOML for a phirewall policy",
            )
        })
    }

    /// Reads a policy from JSON. See [`Policy::from_toml`] about error messages.
    ///
    /// # Errors
    /// [`ErrorKind::Policy`] if the JSON is malformed or names an unknown field, kind or operator.
    pub fn from_json(s: &str) -> Result<Policy, Error> {
        serde_json::from_str(s).map_err(|_| {
            Error::new(
                ErrorKind::Policy,
                "the policy is not valid JSON for a phirewall policy",
            )
        })
    }

    /// The rule that applies to `kind`.
    pub fn rule(&self, kind: Kind) -> Rule {
        self.kinds.get(&kind).copied().unwrap_or(self.default)
    }

    /// Whether some kind uses a keyed operator, so a [`Secret`](crate::Secret) is required.
    pub fn needs_secret(&self) -> bool {
        Kind::ALL
            .iter()
            .any(|k| matches!(self.rule(*k).op, Op::Hash | Op::Surrogate | Op::DateShift))
    }

    /// Whether dates are shifted, so a patient key is required.
    pub fn shifts_dates(&self) -> bool {
        matches!(self.rule(Kind::Date).op, Op::Surrogate | Op::DateShift)
    }

    /// Checks that every operator fits its kind and every option is in range.
    ///
    /// # Errors
    /// [`ErrorKind::Policy`], with a message that names the problem.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |message| Err(Error::new(ErrorKind::Policy, message));
        let score_ok = |s: f32| (0.0..=1.0).contains(&s);
        if !score_ok(self.min_score)
            || self
                .kinds
                .values()
                .any(|r| !r.min_score.map_or(true, score_ok))
        {
            return bad("a min_score is outside 0.0..=1.0");
        }
        if self.default.min_score.is_some_and(|s| !score_ok(s)) {
            return bad("a min_score is outside 0.0..=1.0");
        }
        for &kind in Kind::ALL {
            let op = self.rule(kind).op;
            if op == Op::DateShift && kind != Kind::Date {
                return bad("date_shift applies only to DATE");
            }
            if op == Op::Generalize && !matches!(kind, Kind::Date | Kind::Age | Kind::Zip) {
                return bad("generalize applies only to DATE, AGE and ZIP (set another default)");
            }
        }
        if !(8..=64).contains(&self.hash_len) {
            return bad("hash_len must be between 8 and 64");
        }
        let ShiftRange { min_days, max_days } = self.date_shift;
        if min_days > max_days || (min_days == 0 && max_days == 0) {
            return bad("the date_shift range is empty (min_days > max_days, or only 0)");
        }
        if min_days < -36_500 || max_days > 36_500 {
            return bad("the date_shift range exceeds 100 years");
        }
        if self.mask.char.is_control() {
            return bad("the mask character is a control character");
        }
        let zip3_ok = |z: &String| z.len() == 3 && z.bytes().all(|b| b.is_ascii_digit());
        if !self.restricted_zip3.iter().all(zip3_ok) {
            return bad("restricted_zip3 entries must be three digits");
        }
        Ok(())
    }
}

// Kinds are written by their stable names in policy files ("DATE", "STREET_ADDRESS").
impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        name.parse()
            .map_err(|_| serde::de::Error::custom("unknown identifier kind"))
    }
}
