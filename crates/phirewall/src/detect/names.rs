//! Being written (issue 3): see the tracker.

use super::words::Words;
use crate::Finding;

/// Adds this family's candidates to `out`.
pub(crate) fn find(_words: &Words<'_>, _out: &mut Vec<Finding>) {}
