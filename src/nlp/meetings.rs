//! Meeting frames.

use super::document::Document;
use super::gazetteer::Gazetteer;

/// Finds meetings.
pub fn extract(_document: &mut Document, _gazetteer: &Gazetteer) {}
