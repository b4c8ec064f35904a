//! De-identification throughput with the `surrogate` policy on synthetic ICU notes.
//!
//! The corpus and settings match `detect.rs` (4 MB from phirewall-synth, one call per note), and
//! detection alone is measured here too, so the ratios show what the operators add to it. The target for
//! `surrogate`, the most expensive preset (keyed HMAC per value, date shifting, word-by-word name
//! and place surrogates), is at least 30 MB/s per core. `safe_harbor` is measured too, as the
//! cheapest policy that replaces every kind.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use phirewall::{Deidentifier, Engine, Policy, Secret};

const CORPUS_BYTES: usize = 4_000_000;
const SEED: u64 = 1;

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

fn deid(c: &mut Criterion) {
    let engine = Engine::new().expect("the default engine builds");
    let secret = Secret::new(b"a benchmark secret, not a real one".to_vec()).expect("long enough");
    let surrogate = Deidentifier::new(engine.clone(), Policy::surrogate(), Some(secret))
        .expect("the surrogate preset is valid");
    let safe_harbor = Deidentifier::new(engine.clone(), Policy::safe_harbor(), None)
        .expect("the safe-harbor preset is valid");
    let corpus = phirewall_synth::corpus(CORPUS_BYTES, SEED);
    let notes: Vec<&str> = corpus.split("\n\n").collect();

    let mut group = c.benchmark_group("deid");
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    // Detection alone over the same notes, in the same run: what the policies cost on top of
    // it is the ratio of the figures below to this one, free of run-to-run drift.
    group.bench_function("detect_notes_one_thread", |b| {
        b.iter(|| {
            for note in &notes {
                black_box(engine.detect(black_box(note)));
            }
        })
    });
    // One call per note, one thread, each note its own patient: the per-core figure.
    group.bench_function("surrogate_notes_one_thread", |b| {
        b.iter(|| {
            for (i, note) in notes.iter().enumerate() {
                let key = i.to_string();
                black_box(surrogate.deidentify(black_box(note), Some(&key)).ok());
            }
        })
    });
    group.bench_function("safe_harbor_notes_one_thread", |b| {
        b.iter(|| {
            for note in &notes {
                black_box(safe_harbor.deidentify(black_box(note), None).ok());
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = deid
}
criterion_main!(benches);
