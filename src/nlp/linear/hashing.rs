//! Feature keys: 64-bit hashes of strings and of combinations of hashes.
//!
//! The taggers never store feature strings. A feature is a template number mixed with the
//! hashes of the words it looks at; the model maps those keys to weights. The functions are
//! fixed (FNV-1a over UTF-8 bytes, then a SplitMix64 finaliser) because a trained model file
//! depends on them: changing them invalidates every model, which each tagger's feature
//! version (written in its model file) guards.

/// The hash of a string.
pub fn hash_str(text: &str) -> u64 {
    let mut hasher = CharHasher::new();
    hasher.push_bytes(text.as_bytes());
    hasher.finish()
}

/// [`hash_str`] taken one character at a time, without the string: the hash of the string
/// the pushed characters make.
#[derive(Debug, Clone, Copy)]
pub struct CharHasher(u64);

impl CharHasher {
    pub fn new() -> CharHasher {
        CharHasher(0xcbf2_9ce4_8422_2325)
    }

    #[inline]
    pub fn push(&mut self, c: char) {
        let mut buffer = [0u8; 4];
        self.push_bytes(c.encode_utf8(&mut buffer).as_bytes());
    }

    #[inline]
    fn push_bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(self) -> u64 {
        finalise(self.0)
    }
}

impl Default for CharHasher {
    fn default() -> Self {
        CharHasher::new()
    }
}

/// A key from a template number and one or more value hashes; never 0 (0 marks an empty
/// slot in the model's table). The values are already well-mixed hashes, so one multiply
/// per value and one finaliser suffice.
pub fn key(template: u64, values: &[u64]) -> u64 {
    let mut hash = (template + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for value in values {
        hash = (hash.rotate_left(23) ^ value).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    match finalise(hash) {
        0 => 1,
        hash => hash,
    }
}

/// SplitMix64's finaliser: spreads every input bit over the whole word.
pub fn finalise(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// A `BuildHasher` for keys that are already hashes (feature keys, word hashes): the hash
/// of a `u64` is the value itself, which spares SipHash on the hot path.
#[derive(Debug, Clone, Copy, Default)]
pub struct Prehashed;

impl std::hash::BuildHasher for Prehashed {
    type Hasher = PrehashedHasher;

    fn build_hasher(&self) -> PrehashedHasher {
        PrehashedHasher(0)
    }
}

/// The hasher of [`Prehashed`]; only `write_u64` is meant to be used.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = finalise(self.0 ^ u64::from(byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// A small deterministic random number generator (SplitMix64) for seeded shuffles and
/// initialisations; training must give the same model for the same seed.
#[derive(Debug, Clone)]
pub struct SeededRng(u64);

impl SeededRng {
    pub fn new(seed: u64) -> SeededRng {
        SeededRng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        finalise(self.0)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = self.below(index + 1);
            items.swap(index, other);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_and_strings_hash_alike() {
        let mut hasher = CharHasher::new();
        "Zürich".chars().for_each(|c| hasher.push(c));
        assert_eq!(hasher.finish(), hash_str("Zürich"));
        assert_ne!(hash_str("Paris"), hash_str("paris"));
    }

    #[test]
    fn keys_depend_on_template_and_order() {
        let (a, b) = (hash_str("a"), hash_str("b"));
        assert_ne!(key(1, &[a, b]), key(1, &[b, a]));
        assert_ne!(key(1, &[a]), key(2, &[a]));
        assert_ne!(key(1, &[a]), 0);
    }

    #[test]
    fn seeded_shuffles_repeat() {
        let mut first: Vec<u32> = (0..50).collect();
        let mut second = first.clone();
        SeededRng::new(7).shuffle(&mut first);
        SeededRng::new(7).shuffle(&mut second);
        assert_eq!(first, second);
        assert_ne!(first, (0..50).collect::<Vec<_>>());
    }
}
