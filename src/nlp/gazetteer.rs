//! Gazetteers: places (GeoNames), countries and demonyms, organisations, titles, agencies.

use std::sync::LazyLock;

/// All embedded lexical knowledge, parsed once per process.
pub struct Gazetteer {}

impl Gazetteer {
    /// The gazetteer built from the data embedded in the binary.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer {});
        &EMBEDDED
    }
}
