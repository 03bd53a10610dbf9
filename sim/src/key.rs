//! Customer and order ids stored inline, so reading them does not chase a pointer.

/// An id (a customer's, an order's) kept by the simulator: ids up to 22 bytes (all real-world account ids we know of)
/// are stored inside the key itself, longer ones on the heap.
///
/// A replay looks a customer up on every request among hundreds of thousands; with the id inline,
/// the comparison reads the same cache line as the table entry instead of another one.
#[derive(Debug, Clone)]
pub(crate) enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

const INLINE: usize = 22;

impl Key {
    pub fn new(id: &str) -> Self {
        let mut bytes = [0; INLINE];
        match bytes.get_mut(..id.len()) {
            Some(start) => {
                start.copy_from_slice(id.as_bytes());
                Key::Inline {
                    len: id.len() as u8,
                    bytes,
                }
            }
            None => Key::Heap(Box::from(id)),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(&[]),
            Key::Heap(text) => text.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // The bytes were copied whole from a `str`.
            Key::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or(""),
            Key::Heap(text) => text,
        }
    }

    pub fn is(&self, id: &str) -> bool {
        self.as_bytes() == id.as_bytes()
    }

    /// The id's length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Key::Inline { len, .. } => usize::from(*len),
            Key::Heap(text) => text.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_ids_read_back_the_same() {
        for id in [
            "",
            "C-0012345",
            "exactly-twenty-two-by",
            "a-much-longer-account-identifier-0001",
            "pelanggan-ñ",
        ] {
            let key = Key::new(id);
            assert!(key.is(id), "{id}");
            assert_eq!(key.as_str(), id);
            assert_eq!(key.len(), id.len());
            assert!(!key.is("other"));
        }
        assert!(matches!(Key::new("C-0012345"), Key::Inline { .. }));
        assert!(matches!(Key::new(&"x".repeat(23)), Key::Heap(_)));
    }
}
