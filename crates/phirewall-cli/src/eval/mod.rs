//! `phirewall eval`: scores the engine against gold PHI annotations.
//!
//! Gold comes in four formats, each read into the same [`GoldDoc`]s by its own module:
//! PhysioNet deid ([`physionet`]), JSON Lines ([`jsonl`]), i2b2 2014 XML ([`i2b2`]) and BRAT
//! standoff ([`brat`]). Every gold type is mapped to one of our kinds, or declared neutral, by the
//! one table in [`mapping`] (also printed in `docs/eval.md`). [`score`] compares findings with the
//! gold and fills a [`Report`]; [`review`] writes the misses and false positives, with context, for
//! a human reviewer.
//!
//! The report holds counts and shapes only, never record text, so it is safe to share and to
//! print. The review file is the one output that holds corpus text, by design, and it is written
//! only when asked for with `--review`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use phirewall::Span;

use crate::error::CliError;

pub mod brat;
pub mod i2b2;
pub mod jsonl;
pub mod mapping;
pub mod physionet;
pub mod report;
pub mod review;
pub mod score;

pub use score::evaluate;

/// One annotated document, whatever format it came from.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    /// Where the document came from: `patient:note` for PhysioNet, the file stem for i2b2 and
    /// BRAT, the `id` field (or the line number) for JSON Lines. Ids are not PHI in these
    /// corpora, so they may appear in reports.
    pub id: String,
    /// The document's text.
    pub text: String,
    /// Its gold PHI annotations.
    pub spans: Vec<GoldSpan>,
}

/// One gold annotation: a byte range of [`GoldDoc::text`] and the gold type as written in the
/// corpus (e.g. `PATIENT`, `HCPName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSpan {
    /// Byte offset of the first annotated byte.
    pub start: usize,
    /// Byte offset one past the last annotated byte.
    pub end: usize,
    /// The corpus's type name, mapped to our kinds by [`mapping::classify`].
    pub gold_type: String,
    /// For a discontinuous annotation (BRAT `0 5;9 14`), its pieces in order; `start..end` then
    /// runs from the first piece's start to the last piece's end, and the bytes between the
    /// pieces are not gold. Empty for the usual contiguous annotation.
    pub fragments: Vec<Span>,
}

impl GoldSpan {
    /// A contiguous annotation.
    pub fn new(start: usize, end: usize, gold_type: impl Into<String>) -> GoldSpan {
        GoldSpan {
            start,
            end,
            gold_type: gold_type.into(),
            fragments: Vec::new(),
        }
    }

    /// The annotated byte ranges: `start..end` alone, or the fragments.
    pub fn parts(&self) -> Vec<Span> {
        if self.fragments.is_empty() {
            vec![Span::new(self.start, self.end)]
        } else {
            self.fragments.clone()
        }
    }

    /// The annotated text, fragments joined by a space (as BRAT writes them).
    pub fn text<'a>(&self, doc_text: &'a str) -> std::borrow::Cow<'a, str> {
        let parts = self.parts();
        match parts.as_slice() {
            [one] => std::borrow::Cow::Borrowed(doc_text.get(one.range()).unwrap_or("")),
            many => std::borrow::Cow::Owned(
                many.iter()
                    .map(|p| doc_text.get(p.range()).unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
    }
}

/// Errors while reading gold files. Messages name files, lines and what is wrong, never record
/// or annotation text.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line of a gold file is malformed.
    #[error("{path}:{line}: {reason}")]
    Format {
        /// The file.
        path: String,
        /// One-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A gold file or directory is unusable as a whole (no line to point at).
    #[error("{path}: {reason}")]
    File {
        /// The file or directory.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

impl GoldError {
    pub(crate) fn format(path: &Path, line: usize, reason: impl Into<String>) -> GoldError {
        GoldError::Format {
            path: path.display().to_string(),
            line,
            reason: reason.into(),
        }
    }

    pub(crate) fn file(path: &Path, reason: impl Into<String>) -> GoldError {
        GoldError::File {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }
}

/// Reads a whole UTF-8 file. Invalid UTF-8 is reported by line, not with the bytes.
pub(crate) fn read(path: &Path) -> Result<String, GoldError> {
    let bytes = std::fs::read(path).map_err(|source| GoldError::Io {
        path: path.display().to_string(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = e.as_bytes().get(..valid).unwrap_or_default();
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        GoldError::format(path, line, "invalid UTF-8")
    })
}

/// The files in `dir` whose name ends with `.ext`, sorted by name (so documents are scored in a
/// stable order).
pub(crate) fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, GoldError> {
    let io = |source| GoldError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The file name without its extension: a document id.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Converts code point offsets into byte offsets of one text. Gold formats count characters;
/// the engine counts bytes.
pub(crate) struct CharOffsets {
    /// Byte offset of every character, plus the text length (so `len` characters map to the end).
    starts: Vec<usize>,
}

impl CharOffsets {
    pub(crate) fn new(text: &str) -> CharOffsets {
        let mut starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        starts.push(text.len());
        CharOffsets { starts }
    }

    /// The byte offset of character offset `chars`, if it is within the text (the end included).
    pub(crate) fn byte(&self, chars: usize) -> Option<usize> {
        self.starts.get(chars).copied()
    }

    /// The character index of byte offset `byte` (a character boundary; otherwise the character
    /// that contains it).
    pub(crate) fn char_index(&self, byte: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= byte)
            .saturating_sub(1)
    }

    /// A non-empty character range `start..end` as bytes, or why it is unusable.
    pub(crate) fn span(&self, start: usize, end: usize) -> Result<Span, &'static str> {
        let (Some(bs), Some(be)) = (self.byte(start), self.byte(end)) else {
            return Err("offsets past the end of the text");
        };
        if bs >= be {
            return Err("empty or reversed span");
        }
        Ok(Span::new(bs, be))
    }
}

/// Whether an annotation's own copy of its text agrees with the text at its offsets, ignoring
/// differences in whitespace (annotation tools write line breaks inside a span as spaces).
/// A disagreement means the offsets do not point where the annotator meant, and every score
/// computed from them would be wrong.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Gold annotation formats `eval` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GoldFormat {
    /// A directory with PhysioNet deid's `id.text` and `id-phi.phrase`.
    Physionet,
    /// A file of lines `{"id", "text", "spans": [{"start", "end", "type"}]}` (code point offsets).
    Jsonl,
    /// i2b2 2014 de-identification XML: one `.xml` file, or a directory of them.
    I2b2,
    /// BRAT standoff: a directory of `name.txt` + `name.ann` pairs.
    Brat,
}

/// How the review file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    /// One JSON object per miss or false positive.
    Jsonl,
    /// Plain text, one entry per paragraph.
    Text,
}

/// Arguments of `phirewall eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The gold data: a directory for `physionet` and `brat`, a file for `jsonl`, a file or a
    /// directory of `.xml` files for `i2b2`.
    pub path: PathBuf,
    /// The gold format.
    #[arg(long, value_enum, default_value = "physionet")]
    pub format: GoldFormat,
    /// The Safe Harbor view: gold that Safe Harbor lets you keep is neutral (neither required
    /// nor a false positive when found): a year alone, and an age of 89 or less. Professions,
    /// states and countries are neutral in every view. See docs/eval.md.
    #[arg(long)]
    pub safe_harbor: bool,
    /// Ignore findings scoring below this.
    #[arg(long, default_value_t = 0.0)]
    pub min_score: f32,
    /// How many of the most frequent missed shapes to list (shapes only, never text).
    #[arg(long, default_value_t = 20)]
    pub misses: usize,
    /// Write the report as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also write every miss and false positive, with the text around it, to this file for a
    /// human reviewer. The file CONTAINS CORPUS TEXT (PHI when the gold is real): keep it where
    /// the corpus is kept. Nothing of it goes to stdout or stderr.
    #[arg(long, value_name = "FILE")]
    pub review: Option<PathBuf>,
    /// The review file's format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub review_format: ReviewFormat,
    /// Characters of context on each side of an entry in the review file.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub context: usize,
}

/// Reads gold data in `format` from `path`.
pub fn read_gold(format: GoldFormat, path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    match format {
        GoldFormat::Physionet => physionet::read(path),
        GoldFormat::Jsonl => jsonl::read(path),
        GoldFormat::I2b2 => i2b2::read(path),
        GoldFormat::Brat => brat::read(path),
    }
}

/// Runs `phirewall eval`: reads the gold, scores the engine, writes the report to `out` and,
/// when asked, the review file.
pub fn run(args: &EvalArgs, out: &mut impl Write) -> Result<(), CliError> {
    let docs = read_gold(args.format, &args.path)?;
    let engine = phirewall::Engine::builder()
        .min_score(args.min_score)
        .build()?;
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let found = engine.detect_batch(&texts);
    let (report, outcomes) = evaluate(&docs, &found, args.safe_harbor);
    if let Some(path) = &args.review {
        let file = File::create(path).map_err(|error| CliError::WriteFile {
            path: path.display().to_string(),
            error,
        })?;
        let mut w = BufWriter::new(file);
        let options = review::Options {
            format: args.review_format,
            context: args.context,
        };
        review::write(&mut w, &docs, &found, &outcomes, &options)
            .and_then(|()| w.flush())
            .map_err(|error| CliError::WriteFile {
                path: path.display().to_string(),
                error,
            })?;
    }
    let text = if args.json {
        let mut json = serde_json::to_string(&report).map_err(|e| CliError::Write(e.into()))?;
        json.push('\n');
        json
    } else {
        report.table(args.misses)
    };
    out.write_all(text.as_bytes()).map_err(CliError::Write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_map_to_bytes() {
        let text = "Zo\u{eb} ok";
        let c = CharOffsets::new(text);
        assert_eq!(c.byte(0), Some(0));
        assert_eq!(c.byte(3), Some(4));
        assert_eq!(c.byte(6), Some(text.len()));
        assert_eq!(c.byte(7), None);
        assert_eq!(c.span(0, 3), Ok(Span::new(0, 4)));
        assert!(c.span(3, 3).is_err());
        assert!(c.span(2, 9).is_err());
    }

    #[test]
    fn same_text_ignores_whitespace_only() {
        assert!(same_text("Ana\nKowal", "Ana Kowal"));
        assert!(!same_text("Ana Kowal", "Ana Kowalski"));
    }

    #[test]
    fn discontinuous_text_joins_fragments() {
        let text = "Dr. Ana and Bo Kowal";
        let span = GoldSpan {
            start: 4,
            end: 20,
            gold_type: "DOCTOR".into(),
            fragments: vec![Span::new(4, 7), Span::new(15, 20)],
        };
        assert_eq!(span.text(text), "Ana Kowal");
        assert_eq!(span.parts().len(), 2);
    }
}
