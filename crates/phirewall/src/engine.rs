//! The engine: compiled once, shared read-only, used from any number of threads.

use std::sync::Arc;

use rayon::prelude::*;

use crate::detect::words::Words;
use crate::detect::{names, places, resolve, Scanner};
use crate::dict::Dict;
use crate::error::{Error, ErrorKind};
use crate::known::{self, Known};
use crate::text::Normalized;
use crate::{Finding, Kind};

/// A compiled detector set.
///
/// Building compiles every pattern and dictionary once; after that the engine is immutable.
/// Cloning is cheap (a reference count) and an engine may be used from many threads at once.
///
/// ```
/// use phirewall::{Engine, Kind};
///
/// let engine = Engine::new()?;
/// let text = "Fax results to 617-555-0142 by 03/04/2021.";
/// let kinds: Vec<Kind> = engine.detect(text).iter().map(|f| f.kind).collect();
/// assert_eq!(kinds, [Kind::Fax, Kind::Date]);
/// # Ok::<(), phirewall::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    scanner: Scanner,
    /// The dictionary, when a word-level kind (names, places) is reported.
    dict: Option<&'static Dict>,
    /// Bit `k as usize` set when kind `k` is reported.
    kinds: u64,
    min_score: f32,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("scanner", &self.inner.scanner)
            .field(
                "kinds",
                &Kind::ALL
                    .iter()
                    .filter(|k| self.inner.reports(**k))
                    .collect::<Vec<_>>(),
            )
            .field("min_score", &self.inner.min_score)
            .finish()
    }
}

impl Inner {
    fn reports(&self, kind: Kind) -> bool {
        self.kinds & (1 << kind as u64) != 0
    }
}

impl Engine {
    /// An engine with the default configuration: every kind, every score.
    pub fn new() -> Result<Engine, Error> {
        Engine::builder().build()
    }

    /// Starts configuring an engine.
    pub fn builder() -> Builder {
        Builder {
            kinds: None,
            min_score: 0.0,
        }
    }

    /// Finds identifiers in `text`.
    ///
    /// Findings are sorted by position, never overlap, and their spans are byte offsets into
    /// `text` that fall on character boundaries. Detection runs over a folded view of the text
    /// (zero-width characters removed, full-width and look-alike characters made ASCII), and spans
    /// are mapped back, so `&text[f.span.range()]` is always the identifier as the caller wrote it.
    pub fn detect(&self, text: &str) -> Vec<Finding> {
        let view = Normalized::new(text);
        let found = self.detect_view(&view);
        Engine::to_original(&view, found)
    }

    /// Finds identifiers in `text` as [`Engine::detect`] does, and also every occurrence of the
    /// identifiers the caller knows for this record (the patient's name, MRN, address...).
    ///
    /// Known identifiers are found in the spellings listed in [`Known`]'s documentation, with
    /// score 1.0 and detector `known.<kind>` (e.g. `known.mrn`). The engine's kind filter still
    /// applies to them (an engine that reports only dates reports no known name); `min_score`
    /// never drops them. Where a known identifier overlaps a usual finding, the known one wins,
    /// except that a usual finding of the same kind is merged into it (so the finding covers
    /// both) and a usual finding of another kind that covers it and more is kept instead (an
    /// e-mail address containing the patient's first name stays one e-mail address).
    ///
    /// The result is sorted, non-overlapping, and its spans point into `text`, as for `detect`.
    /// Known values are matched on the same folded view of the text as the detectors, so a
    /// zero-width space inside a name does not hide it.
    pub fn detect_known(&self, text: &str, known: &Known) -> Vec<Finding> {
        let view = Normalized::new(text);
        let usual = self.detect_view(&view);
        let mut found = known.find(view.as_str());
        found.retain(|f| self.inner.reports(f.kind));
        Engine::to_original(&view, known::merge(usual, found))
    }

    /// The usual findings, with spans into the folded view.
    fn detect_view(&self, view: &Normalized<'_>) -> Vec<Finding> {
        let inner = &*self.inner;
        let mut found = inner.scanner.scan(view.as_str());
        if let Some(dict) = inner.dict {
            let words = Words::new(view.as_str(), dict);
            names::find(&words, &mut found);
            places::find(&words, &mut found);
            found = resolve(found);
        }
        found.retain(|f| inner.reports(f.kind) && f.score >= inner.min_score);
        found
    }

    /// Maps spans of the folded view back to the caller's text.
    fn to_original(view: &Normalized<'_>, mut found: Vec<Finding>) -> Vec<Finding> {
        if view.is_folded() {
            for f in &mut found {
                f.span = view.to_original(f.span);
            }
        }
        found
    }

    /// Runs [`Engine::detect`] over many texts in parallel (on rayon's global pool).
    ///
    /// The result has one entry per input, in input order.
    pub fn detect_batch(&self, texts: &[&str]) -> Vec<Vec<Finding>> {
        texts.par_iter().map(|t| self.detect(t)).collect()
    }
}

/// Configures an [`Engine`]. Obtain one from [`Engine::builder`].
#[derive(Clone, Debug)]
pub struct Builder {
    kinds: Option<Vec<Kind>>,
    min_score: f32,
}

impl Builder {
    /// Reports only these kinds (default: all of them).
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = Kind>) -> Builder {
        self.kinds = Some(kinds.into_iter().collect());
        self
    }

    /// Drops findings scoring below `min_score` (default 0.0: keep everything, recall first).
    pub fn min_score(mut self, min_score: f32) -> Builder {
        self.min_score = min_score;
        self
    }

    /// Compiles the engine.
    ///
    /// # Errors
    /// [`ErrorKind::Config`] if the kind list is empty or `min_score` is not within `0.0..=1.0`.
    pub fn build(self) -> Result<Engine, Error> {
        let kinds = match &self.kinds {
            None => Kind::ALL.iter().fold(0u64, |m, k| m | 1 << *k as u64),
            Some(list) if list.is_empty() => {
                return Err(Error::new(
                    ErrorKind::Config,
                    "no identifier kind is enabled",
                ))
            }
            Some(list) => list.iter().fold(0u64, |m, k| m | 1 << *k as u64),
        };
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(Error::new(
                ErrorKind::Config,
                "min_score must be between 0.0 and 1.0",
            ));
        }
        let scanner = Scanner::new()?;
        let dict = if Kind::ALL
            .iter()
            .any(|k| k.is_word_level() && kinds & (1 << *k as u64) != 0)
        {
            Some(Dict::shared()?)
        } else {
            None
        };
        Ok(Engine {
            inner: Arc::new(Inner {
                scanner,
                dict,
                kinds,
                min_score: self.min_score,
            }),
        })
    }
}
