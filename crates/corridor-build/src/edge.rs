//! The build's edge record: an undirected edge between two node ids (the smaller first), with
//! its length, kind, passage index, flags and curated link index, as the network file encodes it.

use corridor::network::{edge_flags, EdgeKind};

#[derive(Clone, Copy)]
pub(crate) struct EdgeRec {
    pub a: u32,
    pub b: u32,
    pub len_m: u32,
    pub kind: EdgeKind,
    pub passage: u8,
    pub flags: u8,
    pub link: u16,
}

impl EdgeRec {
    /// The same edge (length, kind, passage, flags, link) between two other ends, flagged as a
    /// copy of the maritime layer (`edge_flags::SEA_COPY`; see `sea_trades`).
    pub fn sea_copy(&self, a: u32, b: u32) -> EdgeRec {
        EdgeRec { a: a.min(b), b: a.max(b), flags: self.flags | edge_flags::SEA_COPY, ..*self }
    }
}

/// Keeps the edges whose flag in `keep` (one per edge, in order) is true.
pub(crate) fn retain_edges(edges: &mut Vec<EdgeRec>, keep: Vec<bool>) {
    let mut keep = keep.into_iter();
    edges.retain(|_| keep.next().unwrap_or(true));
}
