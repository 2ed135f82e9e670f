//! Name recognition: candidate names with types, from rules and gazetteers.
