//! The build's edge record: an undirected edge between two node ids (the smaller first), with
//! its length, kind, passage index, flags and curated link index, as the network file encodes it.

use corridor::network::EdgeKind;

pub(crate) struct EdgeRec {
    pub a: u32,
    pub b: u32,
    pub len_m: u32,
    pub kind: EdgeKind,
    pub passage: u8,
    pub flags: u8,
    pub link: u16,
}
