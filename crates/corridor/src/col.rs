//! Columns that are either owned vectors or views into shared bytes (a memory-mapped file), so
//! that preprocessed data loads without parsing or copying. The library never maps files itself:
//! the caller hands it the bytes (see `corridor-cli`'s loader).

use std::ops::{Deref, Range};
use std::sync::Arc;

use bytemuck::Pod;

/// Bytes shared by several columns, e.g. a memory-mapped file.
pub type SharedBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A column of plain values: owned, or a little-endian view into shared bytes.
pub enum Col<T: Pod> {
    Owned(Vec<T>),
    Shared { bytes: SharedBytes, range: Range<usize> },
}

impl<T: Pod> Col<T> {
    /// A view of `len` values at byte offset `at`; None if out of bounds or misaligned.
    pub fn view(bytes: &SharedBytes, at: usize, len: usize) -> Option<Col<T>> {
        let size = len.checked_mul(std::mem::size_of::<T>())?;
        let all: &[u8] = (**bytes).as_ref();
        let slice = all.get(at..at.checked_add(size)?)?;
        if !(slice.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>()) || cfg!(target_endian = "big") {
            return None;
        }
        Some(Col::Shared { bytes: bytes.clone(), range: at..at + size })
    }
}

impl<T: Pod> Col<T> {
    /// The values `range` of this column (a view of the same bytes when shared; a copy when
    /// owned). Panics if out of range, as slicing does.
    pub fn slice(&self, range: Range<usize>) -> Col<T> {
        let size = std::mem::size_of::<T>();
        match self {
            Col::Owned(v) => Col::Owned(v[range].to_vec()),
            Col::Shared { bytes, range: r } => {
                assert!(range.start <= range.end && r.start + range.end * size <= r.end, "column slice out of range");
                Col::Shared { bytes: bytes.clone(), range: r.start + range.start * size..r.start + range.end * size }
            }
        }
    }
}

impl<T: Pod> Deref for Col<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Col::Owned(v) => v,
            Col::Shared { bytes, range } => bytemuck::cast_slice(&(**bytes).as_ref()[range.clone()]),
        }
    }
}

impl<'a, T: Pod> IntoIterator for &'a Col<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Pod> From<Vec<T>> for Col<T> {
    fn from(v: Vec<T>) -> Self {
        Col::Owned(v)
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Col<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Col(len {})", self.len())
    }
}

impl<T: Pod> Clone for Col<T> {
    fn clone(&self) -> Self {
        match self {
            Col::Owned(v) => Col::Owned(v.clone()),
            Col::Shared { bytes, range } => Col::Shared { bytes: bytes.clone(), range: range.clone() },
        }
    }
}

/// Writes named columns into one byte buffer: `magic` (8 bytes), u32 section count, then per
/// section a u32 name length, the name, u64 byte offset, u64 byte length and the CRC-32 of the
/// section's bytes, then the CRC-32 of the header so far; each section's data starts 8-byte
/// aligned. Read back with [`Sections::parse`], which checks the header's checksum, and
/// [`Sections::verify`], which checks every section's.
#[derive(Default)]
pub struct SectionWriter {
    sections: Vec<(String, Vec<u8>)>,
}

/// The CRC-32 (IEEE) of some bytes: the sections' checksum. Hardware-assisted (`crc32fast`,
/// already a dependency of the compression crates); see ARCHITECTURE.md for why a checksum is
/// verified once per file version and not on every load.
pub fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

impl SectionWriter {
    pub fn add<T: Pod>(&mut self, name: &str, data: &[T]) {
        self.sections.push((name.to_string(), bytemuck::cast_slice(data).to_vec()));
    }
    pub fn add_bytes(&mut self, name: &str, data: Vec<u8>) {
        self.sections.push((name.to_string(), data));
    }
    pub fn finish(self, magic: &[u8; 8]) -> Vec<u8> {
        let header_len: usize = 16 + self.sections.iter().map(|(n, _)| 4 + n.len() + 20).sum::<usize>();
        let mut offset = header_len.div_ceil(8) * 8;
        let mut out = Vec::with_capacity(offset + self.sections.iter().map(|s| s.1.len() + 8).sum::<usize>());
        out.extend_from_slice(magic);
        out.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        let mut placed = Vec::new();
        for (name, data) in &self.sections {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(offset as u64).to_le_bytes());
            out.extend_from_slice(&(data.len() as u64).to_le_bytes());
            out.extend_from_slice(&checksum(data).to_le_bytes());
            placed.push(offset);
            offset = (offset + data.len()).div_ceil(8) * 8;
        }
        let header_crc = checksum(&out);
        out.extend_from_slice(&header_crc.to_le_bytes());
        for ((_, data), at) in self.sections.iter().zip(placed) {
            out.resize(at, 0);
            out.extend_from_slice(data);
        }
        out
    }
}

/// How much of a section file [`Sections::parse`]'s callers verify before using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Every section's checksum (reads every byte: about 0.3 s for the 400 MB engine file).
    Checksums,
    /// The header's checksum only: the caller knows that these exact bytes were verified
    /// before (the CLI keeps a stamp of the file's identity, see `corridor-cli/src/load.rs`).
    /// The structure is validated in either case.
    HeaderOnly,
}

/// The section table of bytes written by [`SectionWriter`].
pub struct Sections {
    bytes: SharedBytes,
    table: Vec<(String, usize, usize, u32)>,
}

impl Sections {
    /// Parses the table and checks its checksum and bounds; an error says what is wrong.
    pub fn parse(bytes: SharedBytes, magic: &[u8; 8]) -> Result<Sections, String> {
        let b: &[u8] = (*bytes).as_ref();
        if b.get(..8) != Some(&magic[..]) {
            return Err("not this kind of file (bad magic or an older layout)".into());
        }
        let truncated = || "truncated header".to_string();
        let u32_at = |i: usize| b.get(i..i + 4).map(|x| u32::from_le_bytes(x.try_into().unwrap()));
        let u64_at = |i: usize| b.get(i..i + 8).map(|x| u64::from_le_bytes(x.try_into().unwrap()));
        let count = u32_at(8).ok_or_else(truncated)? as usize;
        let mut pos = 12;
        let mut table = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let nlen = u32_at(pos).ok_or_else(truncated)? as usize;
            let name = b.get(pos + 4..(pos + 4).checked_add(nlen).ok_or_else(truncated)?).ok_or_else(truncated)?;
            let name = String::from_utf8_lossy(name).into_owned();
            pos += 4 + nlen;
            let (at, len) = (u64_at(pos).ok_or_else(truncated)?, u64_at(pos + 8).ok_or_else(truncated)?);
            let crc = u32_at(pos + 16).ok_or_else(truncated)?;
            pos += 20;
            table.push((name, at, len, crc));
        }
        let stored = u32_at(pos).ok_or_else(truncated)?;
        if checksum(&b[..pos]) != stored {
            return Err("header checksum mismatch".into());
        }
        let mut out = Vec::with_capacity(table.len());
        for (name, at, len, crc) in table {
            let end = at.checked_add(len).filter(|&e| e <= b.len() as u64);
            if end.is_none() || at < (pos + 4) as u64 {
                return Err(format!("section {name} lies outside the file (truncated?)"));
            }
            out.push((name, at as usize, len as usize, crc));
        }
        Ok(Sections { bytes, table: out })
    }

    /// Checks every section's checksum; the error names the first damaged section.
    pub fn verify(&self) -> Result<(), String> {
        let b: &[u8] = (*self.bytes).as_ref();
        for (name, at, len, crc) in &self.table {
            if checksum(&b[*at..at + len]) != *crc {
                return Err(format!("section {name}: checksum mismatch"));
            }
        }
        Ok(())
    }

    /// [`Sections::verify`] when `v` asks for it.
    pub fn verify_if(&self, v: Verify) -> Result<(), String> {
        match v {
            Verify::Checksums => self.verify(),
            Verify::HeaderOnly => Ok(()),
        }
    }

    /// Names of the sections, in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.table.iter().map(|(n, _, _, _)| n.as_str())
    }

    fn find(&self, name: &str) -> Option<(usize, usize)> {
        self.table.iter().find(|(n, _, _, _)| n == name).map(|&(_, at, len, _)| (at, len))
    }

    /// A section as a column of `T` (zero-copy when aligned).
    pub fn col<T: Pod>(&self, name: &str) -> Option<Col<T>> {
        let (at, len) = self.find(name)?;
        if !len.is_multiple_of(std::mem::size_of::<T>()) {
            return None;
        }
        let n = len / std::mem::size_of::<T>();
        Col::view(&self.bytes, at, n).or_else(|| {
            let raw = &(*self.bytes).as_ref()[at..at + len];
            Some(Col::Owned(bytemuck::pod_collect_to_vec(raw)))
        })
    }

    /// A section's raw bytes.
    pub fn bytes(&self, name: &str) -> Option<&[u8]> {
        let (at, len) = self.find(name)?;
        Some(&(*self.bytes).as_ref()[at..at + len])
    }
}
