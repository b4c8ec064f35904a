//! Detection throughput on synthetic ICU notes.
//!
//! The corpus is 4 MB from phirewall-synth (notes with vitals, labs, doses and invented
//! identifiers at a realistic density), because throughput depends on how often the scanner
//! meets digits and cue words: plain prose would flatter it. Throughput is reported in bytes so
//! criterion prints MB/s, comparable with the >= 150 MB/s per core target.
//!
//! Sample sizes are criterion's minimum (10) with short measurement windows, so the whole suite
//! runs in well under three minutes on two cores; these benches track regressions, they are not
//! a lab measurement.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use phirewall::{Engine, Kind};

const CORPUS_BYTES: usize = 4_000_000;
const SEED: u64 = 1;

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

fn detect(c: &mut Criterion) {
    let engine = Engine::new().expect("the default engine builds");
    let corpus = phirewall_synth::corpus(CORPUS_BYTES, SEED);
    let notes: Vec<&str> = corpus.split("\n\n").collect();

    let mut group = c.benchmark_group("detect");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    // One call per note, one thread: the per-core figure.
    group.bench_function("notes_one_thread", |b| {
        b.iter(|| {
            for note in &notes {
                black_box(engine.detect(black_box(note)));
            }
        })
    });
    // The pattern stage alone (no names or places): the one-pass regex and cue scan.
    let patterns = Engine::builder()
        .kinds(Kind::ALL.iter().copied().filter(|k| !k.is_word_level()))
        .build()
        .expect("a pattern-only engine builds");
    group.bench_function("patterns_only_notes_one_thread", |b| {
        b.iter(|| {
            for note in &notes {
                black_box(patterns.detect(black_box(note)));
            }
        })
    });
    // The whole corpus as a single text: no per-call overhead.
    group.bench_function("one_4mb_text", |b| {
        b.iter(|| black_box(engine.detect(black_box(&corpus))))
    });
    // detect_batch over rayon's global pool: all cores.
    group.bench_function("detect_batch", |b| {
        b.iter(|| black_box(engine.detect_batch(black_box(&notes))))
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    c.bench_function("engine_build", |b| {
        b.iter_batched(
            || (),
            |()| black_box(Engine::new().expect("the default engine builds")),
            BatchSize::PerIteration,
        )
    });
}

criterion_group! {
    name = benches;
    config = config();
    targets = detect, build
}
criterion_main!(benches);
