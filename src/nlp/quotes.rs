//! Direct and reported speech with speakers and outlets.

use super::document::Document;
use super::gazetteer::Gazetteer;

/// Finds quotes and attributes them.
pub fn extract(_document: &mut Document, _gazetteer: &Gazetteer) {}
