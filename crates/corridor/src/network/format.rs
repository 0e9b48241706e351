//! The network file: `CORRNET\0`, a little-endian u32 format version, then one zstd frame (with
//! checksum) holding the payload:
//!
//! ```text
//! u32 meta_len | meta (JSON, see Meta) | u32 n | u32 m |
//! lat_e6 deltas i32[n] | lon_e6 deltas i32[n] | country u8[n] | layer u8[n] | node flags u8[n] |
//! a deltas u32[m] | (b - a) u32[m] | len_m u32[m] | kind u8[m] | passage u8[m] | flags u8[m] | link u16[m]
//! ```
//!
//! Columns are delta-encoded (nodes in id order, edges sorted by (a, b) with a < b) because
//! neighbouring ids are close in space, which roughly halves the compressed size. Writing is
//! deterministic: the same network gives the same bytes, so the committed file changes only when
//! the data does. `Meta::version` is a hash of the columns, set by [`encode`].

use std::path::Path;

use super::{EdgeColumns, Meta, Network, NodeColumns};
use crate::{Error, Result};

const MAGIC: &[u8; 8] = b"CORRNET\0";
/// Bumped whenever the layout above changes.
pub const FORMAT_VERSION: u32 = 1;
const ZSTD_LEVEL: i32 = 19;

/// Serialises a network (its node and edge columns plus meta) to the compressed file bytes.
/// Edges must already be sorted by (a, b) with a < b; the builder guarantees it.
pub fn encode(meta: &Meta, nodes: &NodeColumns, edges: &EdgeColumns) -> Result<Vec<u8>> {
    let n = nodes.lat_e6.len();
    let m = edges.a.len();
    let mut cols: Vec<u8> = Vec::with_capacity(n * 11 + m * 16);
    let mut prev = 0i32;
    for &v in &nodes.lat_e6 {
        cols.extend_from_slice(&v.wrapping_sub(prev).to_le_bytes());
        prev = v;
    }
    prev = 0;
    for &v in &nodes.lon_e6 {
        cols.extend_from_slice(&v.wrapping_sub(prev).to_le_bytes());
        prev = v;
    }
    cols.extend_from_slice(&nodes.country);
    cols.extend_from_slice(&nodes.layer);
    cols.extend_from_slice(&nodes.flags);
    let mut prev_a = 0u32;
    for i in 0..m {
        if edges.a[i] >= edges.b[i] || edges.a[i] < prev_a {
            return Err(Error::Format(format!("edge {i} not in (a < b) sorted order")));
        }
        cols.extend_from_slice(&(edges.a[i] - prev_a).to_le_bytes());
        prev_a = edges.a[i];
    }
    for i in 0..m {
        cols.extend_from_slice(&(edges.b[i] - edges.a[i]).to_le_bytes());
    }
    for &l in &edges.len_m {
        cols.extend_from_slice(&l.to_le_bytes());
    }
    cols.extend_from_slice(&edges.kind);
    cols.extend_from_slice(&edges.passage);
    cols.extend_from_slice(&edges.flags);
    for &l in &edges.link {
        cols.extend_from_slice(&l.to_le_bytes());
    }
    let mut meta = meta.clone();
    let mut h = crate::hash::Fnv64::default();
    h.write(&cols);
    meta.version = String::new();
    h.write(&serde_json::to_vec(&meta).map_err(|e| Error::Format(e.to_string()))?);
    meta.version = h.hex();
    let meta_json = serde_json::to_vec(&meta).map_err(|e| Error::Format(e.to_string()))?;

    let mut payload = Vec::with_capacity(cols.len() + meta_json.len() + 16);
    payload.extend_from_slice(&(meta_json.len() as u32).to_le_bytes());
    payload.extend_from_slice(&meta_json);
    payload.extend_from_slice(&(n as u32).to_le_bytes());
    payload.extend_from_slice(&(m as u32).to_le_bytes());
    payload.extend_from_slice(&cols);

    let mut out = Vec::with_capacity(payload.len() / 3);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let mut enc = zstd::stream::Encoder::new(&mut out, ZSTD_LEVEL).map_err(|e| Error::Format(e.to_string()))?;
    enc.include_checksum(true).map_err(|e| Error::Format(e.to_string()))?;
    enc.include_contentsize(true).map_err(|e| Error::Format(e.to_string()))?;
    enc.set_pledged_src_size(Some(payload.len() as u64)).map_err(|e| Error::Format(e.to_string()))?;
    std::io::Write::write_all(&mut enc, &payload).map_err(|e| Error::Format(e.to_string()))?;
    enc.finish().map_err(|e| Error::Format(e.to_string()))?;
    Ok(out)
}

/// Writes the file atomically: to a temporary file beside it, then renamed over the target, so
/// that no reader ever sees a half-written network.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |context: String| move |source| Error::Io { context, source };
    let tmp = path.with_extension("tmp");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    }
    let written = (|| {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp).map_err(io(format!("creating {}", tmp.display())))?;
        f.write_all(bytes).map_err(io(format!("writing {}", tmp.display())))?;
        f.sync_all().map_err(io(format!("syncing {}", tmp.display())))?;
        std::fs::rename(&tmp, path).map_err(io(format!("renaming {} to {}", tmp.display(), path.display())))
    })();
    if written.is_err() {
        // no half-written file stays behind (a full disk, a read-only directory)
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A cursor over the decompressed payload that fails cleanly on truncation.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| Error::Format("truncated payload".into()))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u32s(&mut self, count: usize) -> Result<Vec<u32>> {
        let bytes = self.take(count.checked_mul(4).ok_or_else(|| Error::Format("size overflow".into()))?)?;
        Ok(bytes.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect())
    }
    fn u16s(&mut self, count: usize) -> Result<Vec<u16>> {
        let bytes = self.take(count.checked_mul(2).ok_or_else(|| Error::Format("size overflow".into()))?)?;
        Ok(bytes.chunks_exact(2).map(|c| u16::from_le_bytes(c.try_into().unwrap())).collect())
    }
    fn u8s(&mut self, count: usize) -> Result<Vec<u8>> {
        Ok(self.take(count)?.to_vec())
    }
}

fn undelta_i32(v: Vec<u32>) -> Vec<i32> {
    let mut acc = 0i32;
    v.into_iter()
        .map(|d| {
            acc = acc.wrapping_add(d as i32);
            acc
        })
        .collect()
}

/// The largest payload [`decode`] decompresses (the world network's is about 25 MB): a
/// damaged or hostile frame cannot make it allocate without bound.
pub const MAX_PAYLOAD: usize = 1 << 30;

/// Decodes file bytes into a validated network with its adjacency built. The zstd frame's
/// checksum covers the payload; [`Network::validate`] its structure.
pub fn decode(bytes: &[u8]) -> Result<Network> {
    decode_with_limit(bytes, MAX_PAYLOAD)
}

/// [`decode`] with another bound on the decompressed payload (the fuzz targets use a small one).
pub fn decode_with_limit(bytes: &[u8], max_payload: usize) -> Result<Network> {
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return Err(Error::Format("not a corridor network file (bad magic)".into()));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
    if version != FORMAT_VERSION {
        return Err(Error::Format(format!(
            "format version {version}, this build reads {FORMAT_VERSION}; rebuild the network"
        )));
    }
    let payload = {
        use std::io::Read;
        let failed = |e: std::io::Error| Error::Format(format!("decompression failed: {e}"));
        let mut out = Vec::new();
        zstd::stream::Decoder::new(&bytes[12..])
            .map_err(failed)?
            .take(max_payload as u64 + 1)
            .read_to_end(&mut out)
            .map_err(failed)?;
        if out.len() > max_payload {
            return Err(Error::Format(format!("payload larger than {max_payload} bytes")));
        }
        out
    };
    let mut r = Reader { buf: &payload, pos: 0 };
    let meta_len = r.u32()? as usize;
    let meta: Meta = serde_json::from_slice(r.take(meta_len)?).map_err(|e| Error::Format(format!("meta: {e}")))?;
    let n = r.u32()? as usize;
    let m = r.u32()? as usize;
    let lat_e6 = undelta_i32(r.u32s(n)?);
    let lon_e6 = undelta_i32(r.u32s(n)?);
    let nodes = NodeColumns { lat_e6, lon_e6, country: r.u8s(n)?, layer: r.u8s(n)?, flags: r.u8s(n)? };
    let a_delta = r.u32s(m)?;
    let mut a = Vec::with_capacity(m);
    let mut acc = 0u32;
    for d in a_delta {
        acc = acc.checked_add(d).ok_or_else(|| Error::Format("edge index overflow".into()))?;
        a.push(acc);
    }
    let b: Vec<u32> = r
        .u32s(m)?
        .into_iter()
        .zip(&a)
        .map(|(d, &a)| a.checked_add(d).ok_or_else(|| Error::Format("edge index overflow".into())))
        .collect::<Result<_>>()?;
    let edges = EdgeColumns {
        a,
        b,
        len_m: r.u32s(m)?,
        kind: r.u8s(m)?,
        passage: r.u8s(m)?,
        flags: r.u8s(m)?,
        link: r.u16s(m)?,
    };
    if r.pos != payload.len() {
        return Err(Error::Format("trailing bytes after the edge columns".into()));
    }
    Network::from_parts(meta, nodes, edges)
}

/// Reads and decodes a network file.
pub fn read(path: &Path) -> Result<Network> {
    let bytes =
        std::fs::read(path).map_err(|source| Error::Io { context: format!("reading {}", path.display()), source })?;
    decode(&bytes)
}

/// Magic of the raw (uncompressed, aligned) network layout used as a load cache.
const RAW_MAGIC: &[u8; 8] = b"CORRRAW4";

/// The network as an uncompressed, aligned section file ([`crate::col::SectionWriter`]): the
/// meta as JSON (its places in binary), every column including the adjacency, and the lookup
/// indexes ([`super::lookup::Lookup`]), so that [`decode_raw`] can map it without
/// decompressing, decoding or building anything. A cache, not an exchange format: the
/// `.cnet` file stays the source of truth: `net` must hold its places' aliases (decoded from the
/// `.cnet` file or built), as a network mapped from a raw cache with its gazetteer does not.
pub fn encode_raw(net: &Network) -> Result<Vec<u8>> {
    let mut w = crate::col::SectionWriter::default();
    // the places in binary: parsing 38,000 of them from JSON was a third of a CLI call
    let meta_without_places = Meta { places: Vec::new(), ..(*net.meta).clone() };
    w.add_bytes("meta", serde_json::to_vec(&meta_without_places).map_err(|e| Error::Format(format!("meta: {e}")))?);
    w.add_bytes("places", places_codec::encode(&net.meta.places));
    w.add_bytes("place_aliases", places_codec::encode_aliases(&net.meta.places));
    w.add("lat_e6", &net.lat_e6);
    w.add("lon_e6", &net.lon_e6);
    w.add("node_country", &net.node_country);
    w.add("node_layer", &net.node_layer);
    w.add("node_flags", &net.node_flags);
    w.add("edge_a", &net.edge_a);
    w.add("edge_b", &net.edge_b);
    w.add("edge_len_m", &net.edge_len_m);
    w.add("edge_kind", &net.edge_kind);
    w.add("edge_passage", &net.edge_passage);
    w.add("edge_flags", &net.edge_flags);
    w.add("edge_link", &net.edge_link);
    w.add("first_out", &net.first_out);
    w.add("arc_head", &net.arc_head);
    w.add("arc_len", &net.arc_len);
    w.add("arc_edge", &net.arc_edge);
    net.lookup().write(&mut w);
    Ok(w.finish(RAW_MAGIC))
}

/// Reads a network written by [`encode_raw`] in place (columns view `bytes`), verifying every
/// section's checksum ([`decode_raw_with`] can skip that for bytes known to be verified).
pub fn decode_raw(bytes: crate::col::SharedBytes) -> Result<Network> {
    decode_raw_with(bytes, crate::col::Verify::Checksums)
}

/// Reads a network written by [`encode_raw`] in place. Checks the header's checksum and, when
/// `verify` asks for it, each section's and the whole structure ([`Network::validate`],
/// [`Network::validate_adjacency`]): `corridor-cli` does that once per file and keeps a stamp.
/// Otherwise (bytes verified before) it checks every index against its table
/// ([`Network::check_indices`]: sequential passes, a few ms), which with the searches' own
/// guards keeps any file, however damaged, from making a query panic or loop.
pub fn decode_raw_with(bytes: crate::col::SharedBytes, verify: crate::col::Verify) -> Result<Network> {
    let bad = |what: &str| Error::Format(format!("raw network cache: {what}"));
    let s = crate::col::Sections::parse(bytes, RAW_MAGIC).map_err(|e| bad(&e))?;
    s.verify_if(verify).map_err(|e| bad(&e))?;
    let mut meta: Meta =
        serde_json::from_slice(s.bytes("meta").ok_or_else(|| bad("no meta"))?).map_err(|e| bad(&e.to_string()))?;
    meta.places = places_codec::decode(s.bytes("places").ok_or_else(|| bad("no places"))?)
        .ok_or_else(|| bad("corrupt places"))?;
    // the lookup indexes saved beside the columns; a cache without them (or with ones that do
    // not fit) still loads, and the indexes are then built on first use. The places' other
    // spellings (95,000 strings, a third of a CLI call's start) are read only then: the saved
    // gazetteer already holds them folded, and nothing else reads them.
    let node_count = s.col::<i32>("lat_e6").map_or(0, |c| c.len());
    let lookup = super::lookup::Lookup::read(&s, &meta.places, node_count);
    if lookup.is_none() {
        places_codec::decode_aliases(
            s.bytes("place_aliases").ok_or_else(|| bad("no place aliases"))?,
            &mut meta.places,
        )
        .ok_or_else(|| bad("corrupt place aliases"))?;
    }
    macro_rules! col {
        ($name:literal) => {
            s.col($name).ok_or_else(|| bad(concat!("missing or misaligned column ", $name)))?
        };
    }
    let net = Network {
        meta: std::sync::Arc::new(meta),
        lat_e6: col!("lat_e6"),
        lon_e6: col!("lon_e6"),
        node_country: col!("node_country"),
        node_layer: col!("node_layer"),
        node_flags: col!("node_flags"),
        edge_a: col!("edge_a"),
        edge_b: col!("edge_b"),
        edge_len_m: col!("edge_len_m"),
        edge_kind: col!("edge_kind"),
        edge_passage: col!("edge_passage"),
        edge_flags: col!("edge_flags"),
        edge_link: col!("edge_link"),
        first_out: col!("first_out"),
        arc_head: col!("arc_head"),
        arc_len: col!("arc_len"),
        arc_edge: col!("arc_edge"),
        lookup: Default::default(),
    };
    match verify {
        // bytes verified now: the whole structure, once per file version
        crate::col::Verify::Checksums => {
            net.validate().map_err(|e| bad(&e.to_string()))?;
            net.validate_adjacency().map_err(|e| bad(&e.to_string()))?;
        }
        // bytes verified before (and so validated): every index in range, the bound that keeps
        // the searches in bounds whatever happens to the file later
        crate::col::Verify::HeaderOnly => net.check_indices().map_err(|e| bad(&e.to_string()))?,
    }
    if let Some(lookup) = lookup {
        let _ = net.lookup.set(std::sync::Arc::new(lookup));
    }
    Ok(net)
}

/// A compact binary form of the places for the raw cache: per place its strings (u32 length +
/// UTF-8), coordinates, kind, population, optional LOCODE and hub, origin. The places' aliases
/// go in a section of their own (u32 place count, then per place a u32 count and the strings),
/// read only when the gazetteer has to be built again.
mod places_codec {
    use super::super::{Place, PlaceKind};

    const KINDS: [PlaceKind; 5] =
        [PlaceKind::City, PlaceKind::Port, PlaceKind::Border, PlaceKind::Dryport, PlaceKind::Station];

    pub fn encode(places: &[Place]) -> Vec<u8> {
        let mut out = Vec::with_capacity(places.len() * 48);
        let put_str = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        out.extend_from_slice(&(places.len() as u32).to_le_bytes());
        for p in places {
            put_str(&mut out, &p.name);
            put_str(&mut out, &p.country);
            out.extend_from_slice(&p.lat.to_le_bytes());
            out.extend_from_slice(&p.lon.to_le_bytes());
            out.push(KINDS.iter().position(|&k| k == p.kind).unwrap_or(0) as u8);
            out.extend_from_slice(&p.population.to_le_bytes());
            out.push(p.locode.is_some() as u8);
            put_str(&mut out, p.locode.as_deref().unwrap_or(""));
            out.extend_from_slice(&p.hub.map_or(u32::MAX, |h| h).to_le_bytes());
            out.push(p.origin);
        }
        out
    }

    /// None if the bytes are truncated or malformed.
    pub fn decode(b: &[u8]) -> Option<Vec<Place>> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = b.get(at..at.checked_add(n)?)?;
            at += n;
            Some(s)
        };
        macro_rules! num {
            ($t:ty) => {
                <$t>::from_le_bytes(take(std::mem::size_of::<$t>())?.try_into().ok()?)
            };
        }
        macro_rules! string {
            () => {{
                let len = num!(u32) as usize;
                String::from_utf8(take(len)?.to_vec()).ok()?
            }};
        }
        let count = num!(u32) as usize;
        // every place takes at least 35 bytes: a corrupt count cannot reserve much
        let mut places = Vec::with_capacity(count.min(b.len() / 35));
        for _ in 0..count {
            let name = string!();
            let country = string!();
            let (lat, lon) = (num!(f64), num!(f64));
            let kind = *KINDS.get(num!(u8) as usize)?;
            let population = num!(u32);
            let has_locode = num!(u8) != 0;
            let locode = string!();
            let hub = num!(u32);
            let origin = num!(u8);
            places.push(Place {
                name,
                aliases: Vec::new(),
                country,
                lat,
                lon,
                kind,
                population,
                locode: has_locode.then_some(locode),
                hub: (hub != u32::MAX).then_some(hub),
                origin,
            });
        }
        (at == b.len()).then_some(places)
    }

    pub fn encode_aliases(places: &[Place]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(places.len() as u32).to_le_bytes());
        for p in places {
            out.extend_from_slice(&(p.aliases.len() as u32).to_le_bytes());
            for a in &p.aliases {
                out.extend_from_slice(&(a.len() as u32).to_le_bytes());
                out.extend_from_slice(a.as_bytes());
            }
        }
        out
    }

    /// Fills `places`' aliases from [`encode_aliases`]' bytes; None if the bytes are truncated,
    /// malformed or for another number of places.
    pub fn decode_aliases(b: &[u8], places: &mut [Place]) -> Option<()> {
        let mut at = 0usize;
        let u32_at = |at: &mut usize| -> Option<u32> {
            let v = u32::from_le_bytes(b.get(*at..at.checked_add(4)?)?.try_into().ok()?);
            *at += 4;
            Some(v)
        };
        if u32_at(&mut at)? as usize != places.len() {
            return None;
        }
        for p in places.iter_mut() {
            let n = u32_at(&mut at)? as usize;
            let mut aliases = Vec::with_capacity(n.min(b.len() / 4));
            for _ in 0..n {
                let len = u32_at(&mut at)? as usize;
                let bytes = b.get(at..at.checked_add(len)?)?;
                at += len;
                aliases.push(String::from_utf8(bytes.to_vec()).ok()?);
            }
            p.aliases = aliases;
        }
        (at == b.len()).then_some(())
    }
}
