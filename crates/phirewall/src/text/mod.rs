//! Text handling: tokens, the folded detection view, and offset conversion.

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod classify;
mod normalize;
mod offsets;
mod tokenize;

pub use normalize::Normalized;
pub use offsets::OffsetIndex;
pub(crate) use tokenize::tokenize_into;
pub use tokenize::{shape_of, tokenize, Shape, Token, Tokens};
