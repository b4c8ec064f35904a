//! Synthetic clinical notes (being written).
