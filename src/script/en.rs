//! English scripts.

use super::Words;

pub(super) fn write(out: &mut String, words: &Words<'_>) -> std::fmt::Result {
    let _ = (out, words);
    Ok(())
}
