//! Detectors for this family are being written; see the issue tracker.

use super::{Cue, Pattern};

pub(crate) const CUES: &[(&str, Cue)] = &[];

pub(crate) fn patterns() -> Vec<Pattern> {
    Vec::new()
}
