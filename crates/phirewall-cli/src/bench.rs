//! `phirewall bench`: how fast is detection on this machine?
//!
//! The corpus is split into documents at blank lines and each document is one `Engine::detect`
//! call, because that is how the engine is used (one note at a time) and it includes the per-call
//! costs a single huge string would hide. The single-thread run gives MB/s per core, the figure
//! the performance target is stated in; the multi-thread run uses `Engine::detect_batch` on a
//! rayon pool of `--threads` workers. Each run repeats whole passes until about a second has
//! passed, after a short warm-up. MB means 10^6 bytes throughout.

use std::fs;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use phirewall::{Engine, Kind};
use serde::Serialize;

use crate::error::{CliError, InputError};

/// Runs stop repeating passes once they have taken this long...
const MIN_TIME: Duration = Duration::from_secs(1);
/// ...or after this many passes.
const MAX_PASSES: u32 = 20;

/// Arguments of `phirewall bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Plain text file to measure on, documents separated by blank lines. Default: a synthetic
    /// corpus from phirewall-synth.
    pub file: Option<PathBuf>,
    /// Size of the synthetic corpus in MB (10^6 bytes).
    #[arg(long, value_name = "N", default_value_t = 16.0, value_parser = crate::parse_mb)]
    pub mb: f64,
    /// Seed of the synthetic corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads for the parallel run. Default: the number of available cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Print the report as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Detect only the pattern-shaped kinds (no names or places): the speed of the one-pass
    /// scan alone, without tokenizing or dictionary lookups.
    #[arg(long)]
    pub patterns_only: bool,
}

/// What `bench` measured.
#[derive(Debug, Serialize)]
pub struct Report {
    /// "synthetic" or "file".
    pub source: &'static str,
    /// The synthetic corpus seed, when there is one.
    pub seed: Option<u64>,
    pub corpus_bytes: usize,
    pub documents: usize,
    /// Time to build the engine (compile every pattern and dictionary), in milliseconds.
    pub build_ms: f64,
    /// Findings in one pass over the corpus.
    pub findings: usize,
    /// One thread: MB/s per core.
    pub single_thread_mb_s: f64,
    pub threads: usize,
    /// All threads together.
    pub multi_thread_mb_s: f64,
    /// Peak resident memory of the process (VmHWM), when the platform reports it.
    pub peak_rss_bytes: Option<u64>,
}

/// Runs the benchmark.
pub fn run(args: &BenchArgs) -> Result<Report, CliError> {
    let (source, seed, text) = match &args.file {
        Some(path) => {
            let name = path.to_string_lossy().into_owned();
            let bytes = fs::read(path).map_err(|error| CliError::Read {
                source_name: name.clone(),
                error,
            })?;
            let text = String::from_utf8(bytes).map_err(|e| CliError::Input {
                error: InputError::invalid_utf8(e.as_bytes(), e.utf8_error().valid_up_to()),
                source_name: name,
            })?;
            ("file", None, text)
        }
        None => {
            let bytes = crate::mb_to_bytes(args.mb);
            (
                "synthetic",
                Some(args.seed),
                phirewall_synth::corpus(bytes, args.seed),
            )
        }
    };
    let docs: Vec<&str> = text
        .split("\n\n")
        .filter(|d| !d.trim().is_empty())
        .collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();

    let started = Instant::now();
    let mut builder = Engine::builder();
    if args.patterns_only {
        builder = builder.kinds(Kind::ALL.iter().copied().filter(|k| !k.is_word_level()));
    }
    let engine = builder.build()?;
    let build = started.elapsed();

    // Warm-up: page in the corpus, fill the engine's scratch caches.
    for doc in docs.iter().take(64) {
        black_box(engine.detect(doc));
    }
    let findings: usize = docs.iter().map(|d| engine.detect(d).len()).sum();

    let single = repeat(|| {
        for doc in &docs {
            black_box(engine.detect(doc));
        }
    });

    let threads = match args.threads {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let multi = pool.install(|| {
        black_box(engine.detect_batch(&docs));
        repeat(|| {
            black_box(engine.detect_batch(&docs));
        })
    });

    Ok(Report {
        source,
        seed,
        corpus_bytes: bytes,
        documents: docs.len(),
        build_ms: build.as_secs_f64() * 1e3,
        findings,
        single_thread_mb_s: mb_per_s(bytes, single),
        threads,
        multi_thread_mb_s: mb_per_s(bytes, multi),
        peak_rss_bytes: peak_rss(),
    })
}

/// Runs `pass` until [`MIN_TIME`] or [`MAX_PASSES`] is reached; returns the mean time per pass.
fn repeat(mut pass: impl FnMut()) -> Duration {
    let started = Instant::now();
    let mut passes = 0;
    while passes == 0 || (started.elapsed() < MIN_TIME && passes < MAX_PASSES) {
        pass();
        passes += 1;
    }
    started.elapsed() / passes
}

fn mb_per_s(bytes: usize, per_pass: Duration) -> f64 {
    let secs = per_pass.as_secs_f64();
    if secs > 0.0 {
        bytes as f64 / 1e6 / secs
    } else {
        f64::INFINITY
    }
}

/// Peak resident set size from `/proc/self/status` (Linux); `None` elsewhere.
fn peak_rss() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

impl Report {
    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let corpus = match self.seed {
            Some(seed) => format!("synthetic, seed {seed}"),
            None => "file".to_string(),
        };
        let per_thread = self.multi_thread_mb_s / self.threads.max(1) as f64;
        let rss = match self.peak_rss_bytes {
            Some(b) => format!("{:.1} MB", b as f64 / 1e6),
            None => "n/a".to_string(),
        };
        let per_mb = self.findings as f64 / (self.corpus_bytes.max(1) as f64 / 1e6);
        format!(
            "corpus        {:.1} MB ({corpus}), {} documents\n\
             engine build  {:.1} ms\n\
             1 thread      {:.1} MB/s per core\n\
             {:<13} {:.1} MB/s ({per_thread:.1} MB/s per thread)\n\
             findings      {} ({per_mb:.0} per MB)\n\
             peak RSS      {rss}\n",
            self.corpus_bytes as f64 / 1e6,
            self.documents,
            self.build_ms,
            self.single_thread_mb_s,
            format!(
                "{} thread{}",
                self.threads,
                if self.threads == 1 { "" } else { "s" }
            ),
            self.multi_thread_mb_s,
            self.findings,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_peak_rss_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss().is_some_and(|b| b > 0));
        }
    }

    #[test]
    fn report_text_has_every_line() {
        let r = Report {
            source: "synthetic",
            seed: Some(1),
            corpus_bytes: 2_000_000,
            documents: 10,
            build_ms: 12.5,
            findings: 100,
            single_thread_mb_s: 150.0,
            threads: 2,
            multi_thread_mb_s: 290.0,
            peak_rss_bytes: None,
        };
        let text = r.to_text();
        assert!(text.contains("1 thread      150.0 MB/s per core"), "{text}");
        assert!(
            text.contains("2 threads     290.0 MB/s (145.0 MB/s per thread)"),
            "{text}"
        );
        assert!(text.contains("findings      100 (50 per MB)"), "{text}");
        assert!(text.contains("peak RSS      n/a"), "{text}");
    }
}
