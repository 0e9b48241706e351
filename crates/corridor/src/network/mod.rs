//! The multimodal network: one graph with rail, road and sea nodes, port hubs, and undirected edges
//! of kind rail, road, sea, ferry or transfer. Stored as struct-of-arrays and, after loading, as a
//! compressed-sparse-row adjacency that every search reads.
//!
//! Invariants (checked by [`Network::validate`], relied on by the engine):
//! * every edge joins two distinct, valid nodes; lengths are whole metres;
//! * ferry edges and sea-approach edges join port hubs; transfer edges join a port hub to a rail
//!   (`TransferRail`) or road (`TransferRoad`) node, so a transfer is usable only when that land
//!   mode is allowed;
//! * node countries index [`Meta::countries`], whose entry 0 is "" (open sea); edge passages index
//!   [`Meta::passages`], entry 0 being "no passage"; edge links index [`Meta::links`] plus one (0 = none).

pub mod format;
pub mod grid;
pub mod lookup;
pub mod types;

use crate::col::Col;

use crate::geo::{from_e6, LatLon};

pub use types::*;

/// The loaded network.
#[derive(Debug, Clone)]
pub struct Network {
    /// Shared: scenario copies of a network ([`Network::with_edge_changes`]) share it.
    pub meta: std::sync::Arc<Meta>,
    // nodes
    pub lat_e6: Col<i32>,
    pub lon_e6: Col<i32>,
    pub node_country: Col<u8>,
    pub node_layer: Col<u8>,
    pub node_flags: Col<u8>,
    // undirected edges
    pub edge_a: Col<NodeId>,
    pub edge_b: Col<NodeId>,
    pub edge_len_m: Col<u32>,
    pub edge_kind: Col<u8>,
    pub edge_passage: Col<u8>,
    pub edge_flags: Col<u8>,
    pub edge_link: Col<u16>,
    // CSR adjacency built on load: arcs of node v are first_out[v]..first_out[v+1]
    pub first_out: Col<u32>,
    pub arc_head: Col<NodeId>,
    pub arc_len: Col<u32>,
    pub arc_edge: Col<EdgeId>,
    /// Lookup indexes (gazetteer, grids), built on first use or given by the raw cache; shared
    /// by scenario copies, whose places and nodes are the same.
    pub(crate) lookup: std::sync::Arc<std::sync::OnceLock<std::sync::Arc<lookup::Lookup>>>,
}

impl Network {
    pub fn node_count(&self) -> usize {
        self.lat_e6.len()
    }
    pub fn edge_count(&self) -> usize {
        self.edge_a.len()
    }
    pub fn coord(&self, v: NodeId) -> LatLon {
        LatLon { lat: from_e6(self.lat_e6[v as usize]), lon: from_e6(self.lon_e6[v as usize]) }
    }
    pub fn layer(&self, v: NodeId) -> Layer {
        Layer::from_u8(self.node_layer[v as usize]).expect("validated layer")
    }
    /// True for sea nodes outside any country's land and inland waters (open or territorial sea):
    /// the nodes an `--avoid` leaves passable unless it also avoids waters.
    #[inline]
    pub fn is_open_water(&self, v: NodeId) -> bool {
        self.node_layer[v as usize] == Layer::Sea as u8 && self.node_flags[v as usize] & node_flags::INLAND_WATER == 0
    }
    /// Whether a box can change mode at the node: it has a rail or road transfer edge (a liner
    /// port, a ferry end, an inland or dry-port terminal). The network build keeps transfers at
    /// seaports with container service only (`corridor-build`'s `liner` module).
    pub fn has_transfer(&self, v: NodeId) -> bool {
        self.arcs(v).any(|(_, _, e)| matches!(self.kind(e), EdgeKind::TransferRail | EdgeKind::TransferRoad))
    }
    /// ISO code of the node's country, "" for open sea.
    pub fn country(&self, v: NodeId) -> &str {
        &self.meta.countries[self.node_country[v as usize] as usize]
    }
    pub fn kind(&self, e: EdgeId) -> EdgeKind {
        EdgeKind::from_u8(self.edge_kind[e as usize]).expect("validated kind")
    }
    /// Passage name of an edge, None if it is in no named passage.
    pub fn passage(&self, e: EdgeId) -> Option<&str> {
        let p = self.edge_passage[e as usize];
        (p != 0).then(|| self.meta.passages[p as usize].as_str())
    }
    /// Curated link of an edge, if any.
    pub fn link(&self, e: EdgeId) -> Option<&LinkInfo> {
        let l = self.edge_link[e as usize];
        (l != 0).then(|| &self.meta.links[l as usize - 1])
    }
    pub fn country_index(&self, code: &str) -> Option<u8> {
        self.meta.countries.iter().position(|c| c.eq_ignore_ascii_case(code)).map(|i| i as u8)
    }
    pub fn passage_index(&self, name: &str) -> Option<u8> {
        self.meta.passages.iter().skip(1).position(|p| p.eq_ignore_ascii_case(name)).map(|i| i as u8 + 1)
    }
    /// Arcs leaving `v`: (head, length in metres, edge id).
    #[inline]
    pub fn arcs(&self, v: NodeId) -> impl Iterator<Item = (NodeId, u32, EdgeId)> + '_ {
        let (s, e) = (self.first_out[v as usize] as usize, self.first_out[v as usize + 1] as usize);
        (s..e).map(move |i| (self.arc_head[i], self.arc_len[i], self.arc_edge[i]))
    }
    /// The lookup indexes (gazetteer, place and layer grids): the raw cache's if the network
    /// came from one, else built on the first call.
    pub fn lookup(&self) -> &std::sync::Arc<lookup::Lookup> {
        self.lookup.get_or_init(|| {
            std::sync::Arc::new(lookup::Lookup::build(&self.meta.places, &self.node_layer, |v| self.coord(v)))
        })
    }

    /// Whether the lookup indexes are already there (read from the raw cache or built).
    pub fn lookup_ready(&self) -> bool {
        self.lookup.get().is_some()
    }

    /// Whether edge `e` has `v` as an end.
    #[inline]
    pub fn touches(&self, e: EdgeId, v: NodeId) -> bool {
        self.edge_a[e as usize] == v || self.edge_b[e as usize] == v
    }

    /// The other end of edge `e` seen from `v`.
    pub fn other_end(&self, e: EdgeId, v: NodeId) -> NodeId {
        let (a, b) = (self.edge_a[e as usize], self.edge_b[e as usize]);
        if a == v {
            b
        } else {
            a
        }
    }

    /// A copy of the network with some edges closed and some planned edges opened (their
    /// PLANNED flag cleared): what a scenario changes in the graph. The topology, the node
    /// numbering and the version stay the same, so the prepared engine still applies: closing
    /// raises distances and the prepared customizations already allowed planned links.
    pub fn with_edge_changes(&self, close: &[EdgeId], open_planned: &[EdgeId]) -> Network {
        let mut flags = self.edge_flags.to_vec();
        for &e in close {
            flags[e as usize] |= edge_flags::CLOSED;
        }
        for &e in open_planned {
            flags[e as usize] &= !edge_flags::PLANNED;
        }
        Network { edge_flags: flags.into(), ..self.clone() }
    }

    /// Builds a network from parts and derives the adjacency; validates invariants.
    pub fn from_parts(meta: Meta, nodes: NodeColumns, edges: EdgeColumns) -> crate::Result<Network> {
        let mut net = Network {
            meta: std::sync::Arc::new(meta),
            lat_e6: nodes.lat_e6.into(),
            lon_e6: nodes.lon_e6.into(),
            node_country: nodes.country.into(),
            node_layer: nodes.layer.into(),
            node_flags: nodes.flags.into(),
            edge_a: edges.a.into(),
            edge_b: edges.b.into(),
            edge_len_m: edges.len_m.into(),
            edge_kind: edges.kind.into(),
            edge_passage: edges.passage.into(),
            edge_flags: edges.flags.into(),
            edge_link: edges.link.into(),
            first_out: Vec::new().into(),
            arc_head: Vec::new().into(),
            arc_len: Vec::new().into(),
            arc_edge: Vec::new().into(),
            lookup: Default::default(),
        };
        net.validate()?;
        net.build_adjacency();
        Ok(net)
    }

    fn build_adjacency(&mut self) {
        let n = self.node_count();
        let mut deg = vec![0u32; n + 1];
        for (&a, &b) in self.edge_a.iter().zip(&self.edge_b) {
            deg[a as usize] += 1;
            deg[b as usize] += 1;
        }
        let mut first_out = vec![0u32; n + 1];
        for v in 0..n {
            first_out[v + 1] = first_out[v] + deg[v];
        }
        let arcs = first_out[n] as usize;
        let mut pos: Vec<u32> = first_out[..n].to_vec();
        let (mut head, mut len, mut eid) = (vec![0u32; arcs], vec![0u32; arcs], vec![0u32; arcs]);
        for e in 0..self.edge_count() {
            let (a, b, l) = (self.edge_a[e], self.edge_b[e], self.edge_len_m[e]);
            for (u, w) in [(a, b), (b, a)] {
                let p = pos[u as usize] as usize;
                head[p] = w;
                len[p] = l;
                eid[p] = e as u32;
                pos[u as usize] += 1;
            }
        }
        self.first_out = first_out.into();
        self.arc_head = head.into();
        self.arc_len = len.into();
        self.arc_edge = eid.into();
    }

    /// Checks the invariants listed in the module docs, and the meta's tables against the
    /// columns (country, passage and link indices in range, at most 256 countries and 64
    /// passages since restrictions keep them as bit sets, port hubs that are nodes).
    pub fn validate(&self) -> crate::Result<()> {
        let bad = |m: String| Err(crate::Error::Format(m));
        let n = self.lat_e6.len();
        if [self.lon_e6.len(), self.node_country.len(), self.node_layer.len(), self.node_flags.len()]
            .iter()
            .any(|&l| l != n)
        {
            return bad("node columns differ in length".into());
        }
        if n > u32::MAX as usize - 1 {
            return bad("too many nodes".into());
        }
        let m = self.edge_a.len();
        if [
            self.edge_b.len(),
            self.edge_len_m.len(),
            self.edge_kind.len(),
            self.edge_passage.len(),
            self.edge_flags.len(),
            self.edge_link.len(),
        ]
        .iter()
        .any(|&l| l != m)
        {
            return bad("edge columns differ in length".into());
        }
        if m > (u32::MAX as usize - 1) / 2 {
            return bad("too many edges".into());
        }
        let meta = &self.meta;
        if meta.countries.first().map(String::as_str) != Some("")
            || meta.passages.first().map(String::as_str) != Some("")
        {
            return bad("country and passage tables must start with the empty entry".into());
        }
        if meta.countries.len() > 256 || meta.passages.len() > 64 || meta.links.len() >= u16::MAX as usize {
            return bad("too many countries, passages or curated links".into());
        }
        for (i, p) in meta.places.iter().enumerate() {
            if !(p.lat.is_finite() && p.lon.is_finite() && p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0) {
                return bad(format!("place {i} has coordinates out of range"));
            }
            if p.hub.is_some_and(|h| h as usize >= n) {
                return bad(format!("place {i} has a hub that is not a node"));
            }
        }
        let (lat, lon, country, layer) = (&*self.lat_e6, &*self.lon_e6, &*self.node_country, &*self.node_layer);
        let countries = meta.countries.len();
        for v in 0..n {
            if country[v] as usize >= countries {
                return bad(format!("node {v} has an unknown country index"));
            }
            if layer[v] > Layer::Port as u8 {
                return bad(format!("node {v} has an unknown layer"));
            }
            if !(-90_000_000..=90_000_000).contains(&lat[v]) || !(-180_000_000..=180_000_000).contains(&lon[v]) {
                return bad(format!("node {v} has coordinates out of range"));
            }
        }
        let (ea, eb, kinds, passages, links) =
            (&*self.edge_a, &*self.edge_b, &*self.edge_kind, &*self.edge_passage, &*self.edge_link);
        let (n_passages, n_links) = (meta.passages.len(), meta.links.len());
        for e in 0..m {
            let (a, b) = (ea[e] as usize, eb[e] as usize);
            if a >= n || b >= n || a == b {
                return bad(format!("edge {e} joins invalid nodes {a}-{b}"));
            }
            let Some(kind) = EdgeKind::from_u8(kinds[e]) else {
                return bad(format!("edge {e} has an unknown kind"));
            };
            if passages[e] as usize >= n_passages {
                return bad(format!("edge {e} has an unknown passage"));
            }
            if links[e] as usize > n_links {
                return bad(format!("edge {e} has an unknown curated link"));
            }
            let (la, lb) = (layer[a], layer[b]);
            let port = Layer::Port as u8;
            let ok = match kind {
                EdgeKind::Ferry => la == port && lb == port,
                EdgeKind::TransferRail => {
                    (la == port && lb == Layer::Rail as u8) || (lb == port && la == Layer::Rail as u8)
                }
                EdgeKind::TransferRoad => {
                    (la == port && lb == Layer::Road as u8) || (lb == port && la == Layer::Road as u8)
                }
                EdgeKind::Sea => (la == Layer::Sea as u8 || la == port) && (lb == Layer::Sea as u8 || lb == port),
                EdgeKind::Rail => la == Layer::Rail as u8 && lb == Layer::Rail as u8,
                EdgeKind::Road => la == Layer::Road as u8 && lb == Layer::Road as u8,
            };
            if !ok {
                return bad(format!("edge {e} of kind {kind:?} joins layers {la} and {lb}"));
            }
        }
        Ok(())
    }

    /// Every index of the columns in range of what it indexes (nodes, edges, arcs, the meta's
    /// tables), the adjacency offsets monotone, and the meta's tables as [`Network::validate`]
    /// checks them: sequential passes only (a few ms on the world network), run on every load
    /// of the raw cache. It keeps every lookup in bounds; [`Network::validate`] and
    /// [`Network::validate_adjacency`] check the rest when the file's checksums are verified.
    pub fn check_indices(&self) -> crate::Result<()> {
        let bad = |m: &str| Err(crate::Error::Format(m.to_string()));
        let (n, m) = (self.node_count(), self.edge_count());
        let arcs = 2 * m;
        let sizes_ok = [self.lon_e6.len(), self.node_country.len(), self.node_layer.len(), self.node_flags.len()]
            .iter()
            .all(|&l| l == n)
            && [self.edge_b.len(), self.edge_len_m.len(), self.edge_kind.len(), self.edge_passage.len()]
                .iter()
                .all(|&l| l == m)
            && self.edge_flags.len() == m
            && self.edge_link.len() == m
            && self.first_out.len() == n + 1
            && self.arc_head.len() == arcs
            && self.arc_len.len() == arcs
            && self.arc_edge.len() == arcs
            && n < u32::MAX as usize
            && arcs < u32::MAX as usize;
        if !sizes_ok {
            return bad("column sizes do not match");
        }
        let meta = &self.meta;
        if meta.countries.first().map(String::as_str) != Some("")
            || meta.passages.first().map(String::as_str) != Some("")
        {
            return bad("country and passage tables must start with the empty entry");
        }
        if meta.countries.len() > 256 || meta.passages.len() > 64 || meta.links.len() >= u16::MAX as usize {
            return bad("too many countries, passages or curated links");
        }
        if meta.places.iter().any(|p| p.hub.is_some_and(|h| h as usize >= n)) {
            return bad("a place's hub is not a node");
        }
        let max8 = |c: &[u8]| c.iter().copied().fold(0, u8::max) as usize;
        let max32 = |c: &[u32]| c.iter().copied().fold(0, u32::max) as usize;
        let max16 = |c: &[u16]| c.iter().copied().fold(0, u16::max) as usize;
        if n > 0 && (max8(&self.node_country) >= meta.countries.len() || max8(&self.node_layer) > Layer::Port as usize)
        {
            return bad("a node's country or layer is out of range");
        }
        if m > 0
            && (max32(&self.edge_a) >= n
                || max32(&self.edge_b) >= n
                || max8(&self.edge_kind) > EdgeKind::TransferRoad as usize
                || max8(&self.edge_passage) >= meta.passages.len()
                || max16(&self.edge_link) > meta.links.len())
        {
            return bad("an edge's end, kind, passage or link is out of range");
        }
        let first_out = &*self.first_out;
        if first_out[0] != 0 || first_out[n] as usize != arcs || first_out.windows(2).any(|w| w[0] > w[1]) {
            return bad("adjacency offsets are not monotone from 0 to twice the edge count");
        }
        if arcs > 0 && (max32(&self.arc_head) >= n || max32(&self.arc_edge) >= m) {
            return bad("an arc's head or edge is out of range");
        }
        Ok(())
    }

    /// Checks a stored adjacency (the raw cache's) against the edges, as
    /// `Network::build_adjacency` would make it: offsets from 0 to 2m and monotone, every arc
    /// of node v an end of its edge with the other end as head and the edge's length, every
    /// edge's two arcs present once. Run after [`Network::validate`].
    pub fn validate_adjacency(&self) -> crate::Result<()> {
        let bad = |m: &str| Err(crate::Error::Format(format!("adjacency: {m}")));
        let (n, m) = (self.node_count(), self.edge_count());
        let (first_out, head, len, eid) = (&*self.first_out, &*self.arc_head, &*self.arc_len, &*self.arc_edge);
        let arcs = 2 * m;
        if first_out.len() != n + 1 || head.len() != arcs || len.len() != arcs || eid.len() != arcs {
            return bad("columns do not match the edges");
        }
        if first_out[0] != 0 || first_out[n] as usize != arcs || first_out.windows(2).any(|w| w[0] > w[1]) {
            return bad("offsets are not monotone from 0 to twice the edge count");
        }
        let (ea, eb, elen) = (&*self.edge_a, &*self.edge_b, &*self.edge_len_m);
        // bit 1: the arc leaving edge_a seen; bit 2: the one leaving edge_b
        let mut seen = vec![0u8; m];
        for v in 0..n {
            for i in first_out[v] as usize..first_out[v + 1] as usize {
                let e = eid[i] as usize;
                if e >= m || len[i] != elen[e] {
                    return bad("an arc's edge or length does not match");
                }
                let (a, b, h) = (ea[e] as usize, eb[e] as usize, head[i] as usize);
                let side = if a == v && b == h {
                    1
                } else if b == v && a == h {
                    2
                } else {
                    return bad("an arc does not join its edge's ends");
                };
                if seen[e] & side != 0 {
                    return bad("an edge's arc appears twice");
                }
                seen[e] |= side;
            }
        }
        // 2m arcs, none twice: every edge has both
        Ok(())
    }
}

/// Node columns, as the builder produces them and the file stores them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeColumns {
    pub lat_e6: Vec<i32>,
    pub lon_e6: Vec<i32>,
    pub country: Vec<u8>,
    pub layer: Vec<u8>,
    pub flags: Vec<u8>,
}

/// Edge columns, as the builder produces them and the file stores them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EdgeColumns {
    pub a: Vec<NodeId>,
    pub b: Vec<NodeId>,
    pub len_m: Vec<u32>,
    pub kind: Vec<u8>,
    pub passage: Vec<u8>,
    pub flags: Vec<u8>,
    pub link: Vec<u16>,
}
