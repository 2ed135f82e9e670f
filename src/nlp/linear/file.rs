//! The building blocks of the taggers' model files: a header (magic bytes naming the model
//! and the feature version it was trained with), little-endian numbers read and written
//! piece by piece, and one error type for a file that cannot be read.
//!
//! Each tagger lays out its own file from these pieces (the name tagger's `AENER1`, the
//! reported-speech tagger's `AEATTR2`; see `models/README.md`), with the weight rows of
//! [`super::Weights::write_rows`].

use thiserror::Error;

/// Why a model file could not be read.
#[derive(Debug, Error)]
pub enum ModelError {
    #[error("not a {model} model file (bad magic bytes)")]
    Magic { model: &'static str },
    #[error("the {model} model was built for feature version {found}, this build uses {expected}: rebuild it with `article-enricher train {command}`")]
    Version {
        model: &'static str,
        command: &'static str,
        found: u32,
        expected: u32,
    },
    #[error("the model file is truncated or corrupt")]
    Truncated,
}

/// What a model file starts with: 8 magic bytes, then the feature version as a `u32`.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub magic: &'static [u8; 8],
    pub version: u32,
    /// What the model is, for messages ("name-tagger").
    pub model: &'static str,
    /// The `article-enricher train` command that builds it.
    pub command: &'static str,
}

impl Header {
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.magic);
        out.extend_from_slice(&self.version.to_le_bytes());
    }

    /// Reads and checks the header.
    pub fn read(&self, reader: &mut Reader<'_>) -> Result<(), ModelError> {
        if reader.take(self.magic.len())? != self.magic {
            return Err(ModelError::Magic { model: self.model });
        }
        let found = reader.u32()?;
        if found != self.version {
            return Err(ModelError::Version {
                model: self.model,
                command: self.command,
                found,
                expected: self.version,
            });
        }
        Ok(())
    }
}

/// Writes `values` as little-endian `f32`s.
pub fn write_f32s(out: &mut Vec<u8>, values: &[f32]) {
    for value in values {
        out.extend_from_slice(&value.to_le_bytes());
    }
}

/// Reads a model file's bytes piece by piece; running past the end is [`ModelError::Truncated`].
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    pub fn take(&mut self, count: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(count).ok_or(ModelError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(ModelError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    pub fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.array::<1>()?[0])
    }

    pub fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub fn i16(&mut self) -> Result<i16, ModelError> {
        Ok(i16::from_le_bytes(self.array()?))
    }

    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    /// `count` little-endian `f32`s.
    pub fn f32s(&mut self, count: usize) -> Result<Vec<f32>, ModelError> {
        if count > self.remaining() / 4 {
            return Err(ModelError::Truncated);
        }
        (0..count).map(|_| self.f32()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: Header = Header {
        magic: b"TEST1\0\0\0",
        version: 3,
        model: "test",
        command: "test",
    };

    #[test]
    fn headers_and_numbers_round_trip_and_damage_is_refused() {
        let mut bytes = Vec::new();
        HEADER.write(&mut bytes);
        write_f32s(&mut bytes, &[1.5, -2.0]);
        let mut reader = Reader::new(&bytes);
        HEADER.read(&mut reader).unwrap();
        assert_eq!(reader.f32s(2).unwrap(), vec![1.5, -2.0]);
        assert_eq!(reader.remaining(), 0);
        assert!(matches!(reader.u8(), Err(ModelError::Truncated)));
        let newer = Header {
            version: 4,
            ..HEADER
        };
        assert!(matches!(
            newer.read(&mut Reader::new(&bytes)),
            Err(ModelError::Version { found: 3, .. })
        ));
        assert!(matches!(
            HEADER.read(&mut Reader::new(b"nonsense")),
            Err(ModelError::Magic { .. })
        ));
    }
}
