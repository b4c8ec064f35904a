//! The operators that need no key: tag and mask. (Redact is the empty string.)

use crate::policy::MaskOptions;
use crate::Kind;

/// The tag template with `{kind}` replaced by the kind name: `[NAME]`, `<<DATE>>`.
pub(crate) fn tag(template: &str, kind: Kind) -> String {
    template.replace("{kind}", kind.as_str())
}

/// Masks every letter and digit but the last `keep_last`, keeping separators and spaces, so the
/// shape of the value (and with `keep_last` its tail, as on receipts) stays readable.
pub(crate) fn mask(value: &str, options: MaskOptions) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let hide = total.saturating_sub(options.keep_last);
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= hide {
                options.char
            } else {
                c
            }
        })
        .collect()
}
