//! Temporal expressions normalised against the publication time.

use super::document::Document;

/// Finds temporal expressions and resolves their values.
pub fn extract(_document: &mut Document) {}
