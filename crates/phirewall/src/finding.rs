//! What a detector reports: a [`Kind`] of identifier at a byte [`Span`] of the caller's text.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// The kind of protected health information a [`Finding`] is.
///
/// The names returned by [`Kind::as_str`] (`NAME`, `DATE`, ...) are stable: they appear in JSON
/// output, policies and tags, so they never change once released. New kinds may be added, hence
/// `#[non_exhaustive]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A person's name: patient, relative or clinician.
    Name,
    /// A street address (number, street, unit, PO box).
    StreetAddress,
    /// A city or town.
    City,
    /// A county.
    County,
    /// A ZIP code (5 digits or ZIP+4).
    Zip,
    /// Any other place smaller than a state: a hospital, clinic or facility.
    Location,
    /// Any element of a date other than the year alone.
    Date,
    /// An age over 89.
    Age,
    /// A telephone number.
    Phone,
    /// A fax number.
    Fax,
    /// An e-mail address.
    Email,
    /// A Social Security number.
    Ssn,
    /// A medical record number.
    Mrn,
    /// A health plan beneficiary, member or policy number.
    HealthPlan,
    /// An account number: bank, billing or payment card.
    Account,
    /// A certificate or license number (driver's license, DEA, NPI, medical license).
    License,
    /// A vehicle identifier: VIN or license plate.
    Vehicle,
    /// A device identifier or serial number.
    Device,
    /// A web address.
    Url,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A biometric identifier (fingerprint, retina, voiceprint or face template id).
    Biometric,
    /// Any other unique identifying number or code (accession, specimen, encounter, study ids).
    OtherId,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [Kind] = &[
        Kind::Name,
        Kind::StreetAddress,
        Kind::City,
        Kind::County,
        Kind::Zip,
        Kind::Location,
        Kind::Date,
        Kind::Age,
        Kind::Phone,
        Kind::Fax,
        Kind::Email,
        Kind::Ssn,
        Kind::Mrn,
        Kind::HealthPlan,
        Kind::Account,
        Kind::License,
        Kind::Vehicle,
        Kind::Device,
        Kind::Url,
        Kind::Ip,
        Kind::Biometric,
        Kind::OtherId,
    ];

    /// The stable UPPER_SNAKE name of this kind, e.g. `"STREET_ADDRESS"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "NAME",
            Kind::StreetAddress => "STREET_ADDRESS",
            Kind::City => "CITY",
            Kind::County => "COUNTY",
            Kind::Zip => "ZIP",
            Kind::Location => "LOCATION",
            Kind::Date => "DATE",
            Kind::Age => "AGE",
            Kind::Phone => "PHONE",
            Kind::Fax => "FAX",
            Kind::Email => "EMAIL",
            Kind::Ssn => "SSN",
            Kind::Mrn => "MRN",
            Kind::HealthPlan => "HEALTH_PLAN",
            Kind::Account => "ACCOUNT",
            Kind::License => "LICENSE",
            Kind::Vehicle => "VEHICLE",
            Kind::Device => "DEVICE",
            Kind::Url => "URL",
            Kind::Ip => "IP",
            Kind::Biometric => "BIOMETRIC",
            Kind::OtherId => "OTHER_ID",
        }
    }
}

impl Kind {
    /// Whether this kind is found from words and dictionaries (names and places) rather than
    /// from the shape of a string. Word-level kinds cost a tokenization and dictionary lookups;
    /// an engine that reports none of them skips that stage.
    pub const fn is_word_level(self) -> bool {
        matches!(
            self,
            Kind::Name | Kind::StreetAddress | Kind::City | Kind::County | Kind::Location
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string names no [`Kind`].
///
/// It does not echo the string: kind names come from policies and command lines, which are not
/// PHI, but keeping every error text-free is the simpler rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown identifier kind (expected one of NAME, DATE, PHONE, ... as listed in the docs)")]
pub struct UnknownKind(());

impl FromStr for Kind {
    type Err = UnknownKind;

    /// Parses a stable kind name, ignoring ASCII case (`"date"` and `"DATE"` both work).
    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownKind(()))
    }
}

/// A half-open byte range `start..end` into the text that was scanned.
///
/// Both ends always fall on UTF-8 character boundaries of that text. `Span` is `Copy`, unlike
/// `Range<usize>`, so findings can be passed around freely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// Creates a span. `start` must not exceed `end`.
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span as a range, for slicing: `&text[span.range()]`.
    pub const fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether two spans share at least one byte.
    pub const fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// One identifier found in a text.
///
/// A finding owns no text: it points into the caller's string by byte [`Span`], so it is `Copy`
/// and its `Debug` output can never leak PHI. Use `&text[finding.span.range()]` to see the value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Finding {
    /// What kind of identifier this is.
    pub kind: Kind,
    /// Where it is, in bytes of the scanned text.
    pub span: Span,
    /// Confidence in `0.0..=1.0`: validated and cue-confirmed matches score high, bare shapes lower.
    pub score: f32,
    /// The stable name of the rule that found it, e.g. `"date.numeric"`.
    pub detector: &'static str,
}
