//! Text handling: tokens, the folded detection view, and offset conversion.

mod normalize;
mod offsets;
mod tokenize;

pub use normalize::Normalized;
pub use offsets::OffsetIndex;
pub(crate) use tokenize::tokenize_into;
pub use tokenize::{shape_of, tokenize, Shape, Token, Tokens};
