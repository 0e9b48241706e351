//! ALT: A* with landmark lower bounds, exact under any per-query exclusions.
//!
//! Preprocessing picks landmarks by farthest-point selection and stores each node's network
//! distance (metres) to every landmark, computed on the whole graph with nothing excluded. By
//! the triangle inequality, |d(L, v) - d(L, t)| bounds d(v, t) from below on the whole graph;
//! exclusions only remove edges and nodes, so distances can only grow and the bound stays valid
//! (and consistent) for every query. Objectives other than distance use the bound scaled by the
//! smallest weight per metre over all edges (weights are rounded up, so the scaled bound never
//! exceeds an edge's weight). The search is one-directional A* from weighted sources to weighted
//! targets; it settles nodes in order of d + h and stops when that reaches the best total.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Metric, Path, Restrictions, Terminal};
use crate::network::{Network, NodeId};

const UNREACHED: u64 = u64::MAX;

/// Landmark distances: `dist[v * k + i]` is the distance in metres from landmark i to node v
/// (u64::MAX = unreached). Exact integers, so the bounds are consistent, which the bidirectional
/// search needs.
pub struct Landmarks {
    pub nodes: Vec<NodeId>,
    /// The exclusions the distances were computed under (None: nothing excluded). A family's
    /// bounds hold for every query at least as restrictive (a subgraph of the family's graph).
    pub family: Option<Restrictions>,
    k: usize,
    dist: Box<dyn AsRef<[u64]> + Send + Sync>,
}

impl std::fmt::Debug for Landmarks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Landmarks").field("nodes", &self.nodes).field("k", &self.k).finish()
    }
}

/// Plain Dijkstra from several sources over every edge allowed by `within` (all edges if None),
/// in metres (u64::MAX = unreached).
fn full_dijkstra(net: &Network, sources: &[NodeId], within: Option<&Restrictions>) -> Vec<u64> {
    let mut dist = vec![u64::MAX; net.node_count()];
    let mut heap = BinaryHeap::new();
    for &s in sources {
        dist[s as usize] = 0;
        heap.push(Reverse((0u64, s)));
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for (w, len, e) in net.arcs(v) {
            if within.is_some_and(|r| !r.edge_ok(net, e) || !r.node_ok(net, w)) {
                continue;
            }
            let nd = d + len as u64;
            if nd < dist[w as usize] {
                dist[w as usize] = nd;
                heap.push(Reverse((nd, w)));
            }
        }
    }
    dist
}

impl Landmarks {
    /// Selects `k` landmarks by farthest-point selection, starting from `seed`, and computes their
    /// distances with `threads` worker threads.
    pub fn build(net: &Network, k: usize, seed: NodeId, threads: usize) -> Landmarks {
        Landmarks::build_family(net, k, seed, threads, None)
    }

    /// Like [`Landmarks::build`], on the graph left by a family of exclusions (e.g. Suez
    /// closed), whose bounds are much tighter for the queries that share those exclusions.
    pub fn build_family(
        net: &Network,
        k: usize,
        seed: NodeId,
        threads: usize,
        family: Option<Restrictions>,
    ) -> Landmarks {
        let within = family.as_ref();
        let n = net.node_count();
        let mut nodes: Vec<NodeId> = Vec::with_capacity(k);
        // the first landmark: the node farthest from the seed in its component
        let from_seed = full_dijkstra(net, &[seed], within);
        let far = |d: &[u64]| {
            (0..n).filter(|&v| d[v] != UNREACHED).max_by_key(|&v| (d[v], std::cmp::Reverse(v))).unwrap_or(seed as usize)
                as NodeId
        };
        nodes.push(far(&from_seed));
        while nodes.len() < k {
            let d = full_dijkstra(net, &nodes, within);
            let next = far(&d);
            if nodes.contains(&next) {
                break;
            }
            nodes.push(next);
        }
        let k = nodes.len();
        let mut columns: Vec<Vec<u64>> = vec![Vec::new(); k];
        let threads = threads.max(1);
        std::thread::scope(|s| {
            let chunks: Vec<(usize, &mut [Vec<u64>])> = columns.chunks_mut(k.div_ceil(threads)).enumerate().collect();
            let nodes = &nodes;
            let size = k.div_ceil(threads);
            for (ci, chunk) in chunks {
                s.spawn(move || {
                    for (j, col) in chunk.iter_mut().enumerate() {
                        *col = full_dijkstra(net, &[nodes[ci * size + j]], within);
                    }
                });
            }
        });
        let mut dist = vec![0u64; n * k];
        for (i, col) in columns.iter().enumerate() {
            for v in 0..n {
                dist[v * k + i] = col[v];
            }
        }
        Landmarks { nodes, family, k, dist: Box::new(dist) }
    }

    /// Whether these bounds hold for a query under `r`.
    pub fn applies(&self, r: &Restrictions) -> bool {
        self.family.as_ref().is_none_or(|f| f.is_looser_or_equal(r))
    }

    /// Landmarks over distances stored elsewhere (a memory-mapped file): `dist` holds n*k
    /// decametre distances laid out as [`Landmarks::to_bytes`] writes them.
    pub fn from_parts(
        nodes: Vec<NodeId>,
        dist: Box<dyn AsRef<[u64]> + Send + Sync>,
        net: &Network,
    ) -> Option<Landmarks> {
        let k = nodes.len();
        (k > 0
            && dist.as_ref().as_ref().len() == k * net.node_count()
            && nodes.iter().all(|&v| (v as usize) < net.node_count()))
        .then_some(Landmarks { nodes, family: None, k, dist })
    }

    /// Lower bound on the distance in metres between u and v on the whole graph; `None` if they
    /// are provably disconnected. Admissible and consistent.
    #[inline]
    pub fn lower_bound(&self, u: NodeId, v: NodeId) -> Option<u64> {
        let dist = self.dist.as_ref().as_ref();
        let (a, b) = (&dist[u as usize * self.k..][..self.k], &dist[v as usize * self.k..][..self.k]);
        let mut best = 0u64;
        for i in 0..self.k {
            match (a[i], b[i]) {
                (UNREACHED, UNREACHED) => {}
                (UNREACHED, _) | (_, UNREACHED) => return None,
                (x, y) => best = best.max(x.abs_diff(y)),
            }
        }
        Some(best)
    }

    pub fn memory_bytes(&self) -> usize {
        self.dist.as_ref().as_ref().len() * 8
    }

    /// Serialises the landmarks for a network version: `CORRALT2`, u32 version length, version
    /// padded with zeros to a multiple of 8 bytes, u32 k, u32 n, k landmark ids (u32) padded to a
    /// multiple of 8 bytes, n*k distances (u64); all little-endian. The distances start 8-byte
    /// aligned so a mapped file can be read in place.
    pub fn to_bytes(&self, network_version: &str) -> Vec<u8> {
        let dist = self.dist.as_ref().as_ref();
        let n = dist.len() / self.k.max(1);
        let mut out = Vec::with_capacity(dist.len() * 4 + 64);
        out.extend_from_slice(b"CORRALT2");
        out.extend_from_slice(&(network_version.len() as u32).to_le_bytes());
        out.extend_from_slice(network_version.as_bytes());
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
        out.extend_from_slice(&(self.k as u32).to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for &v in &self.nodes {
            out.extend_from_slice(&v.to_le_bytes());
        }
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
        for &d in dist {
            out.extend_from_slice(&d.to_le_bytes());
        }
        out
    }

    /// Parses the header of [`Landmarks::to_bytes`]: (landmark ids, byte offset of the distances)
    /// if the bytes hold landmarks of this network (same version and size).
    pub fn parse_header(bytes: &[u8], net: &Network) -> Option<(Vec<NodeId>, usize)> {
        let u32_at = |i: usize| bytes.get(i..i + 4).map(|b| u32::from_le_bytes(b.try_into().unwrap()));
        if bytes.get(..8)? != b"CORRALT2" {
            return None;
        }
        let vlen = u32_at(8)? as usize;
        let version = std::str::from_utf8(bytes.get(12..12 + vlen)?).ok()?;
        if version != net.meta.version {
            return None;
        }
        let pos = (12 + vlen).div_ceil(8) * 8;
        let k = u32_at(pos)? as usize;
        let n = u32_at(pos + 4)? as usize;
        let ids = pos + 8;
        let at = (ids + 4 * k).div_ceil(8) * 8;
        if n != net.node_count() || k == 0 || bytes.len() != at + 8 * n * k {
            return None;
        }
        let nodes: Vec<NodeId> =
            bytes[ids..ids + 4 * k].chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
        Some((nodes, at))
    }

    /// Reads landmarks written by [`Landmarks::to_bytes`] into memory; None if the bytes are not
    /// landmarks of this network (other version, other size, truncated).
    pub fn from_bytes(bytes: &[u8], net: &Network) -> Option<Landmarks> {
        let (nodes, at) = Landmarks::parse_header(bytes, net)?;
        let dist: Vec<u64> = bytes[at..].chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect();
        Landmarks::from_parts(nodes, Box::new(dist), net)
    }
}

/// Smallest weight per metre over all edges under a metric (0 for zero-length-only metrics).
pub fn min_weight_per_metre(net: &Network, metric: Metric) -> f64 {
    match metric {
        Metric::Length => 1.0,
        Metric::PerEdge(w) => {
            let best = w
                .iter()
                .zip(&net.edge_len_m)
                .filter(|(_, &len)| len > 0)
                .map(|(&w, &len)| w as f64 / len as f64)
                .fold(f64::INFINITY, f64::min);
            if best.is_finite() {
                best * (1.0 - 1e-9)
            } else {
                0.0
            }
        }
    }
}

/// Reusable A* state.
#[derive(Debug, Clone)]
pub struct AltSearcher {
    dist: Vec<u64>,
    /// The potential h(v) of touched nodes (it does not change during a query).
    pot: Vec<u64>,
    pred: Vec<u32>,
    origin: Vec<u32>,
    touched: Vec<NodeId>,
    heap: BinaryHeap<Reverse<(u64, NodeId)>>,
    /// Nodes settled by the last query.
    pub settled: usize,
}

impl AltSearcher {
    pub fn new(net: &Network) -> AltSearcher {
        let n = net.node_count();
        AltSearcher {
            dist: vec![u64::MAX; n],
            pot: vec![u64::MAX; n],
            pred: vec![u32::MAX; n],
            origin: vec![u32::MAX; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            settled: 0,
        }
    }

    /// Exact shortest path (equal in cost to plain Dijkstra) using landmark potentials.
    /// `scale` is [`min_weight_per_metre`] for the metric.
    #[allow(clippy::too_many_arguments)]
    pub fn shortest_path(
        &mut self,
        net: &Network,
        lms: &[&Landmarks],
        r: &Restrictions,
        metric: Metric,
        scale: f64,
        sources: &[Terminal],
        targets: &[Terminal],
    ) -> Option<Path> {
        for &v in &self.touched {
            self.dist[v as usize] = u64::MAX;
            self.pot[v as usize] = u64::MAX;
            self.pred[v as usize] = u32::MAX;
            self.origin[v as usize] = u32::MAX;
        }
        self.touched.clear();
        self.heap.clear();
        self.settled = 0;
        let targets: Vec<(usize, Terminal)> =
            targets.iter().copied().enumerate().filter(|(_, t)| r.node_ok(net, t.node)).collect();
        if targets.is_empty() {
            return None;
        }
        // h(v) = min over targets of (scaled landmark bound + the target's final cost); None = no target reachable
        // the landmark sets whose bounds hold for this query (the unrestricted set always does)
        let lms: Vec<&Landmarks> = lms.iter().copied().filter(|l| l.applies(r)).collect();
        let bound = |v: NodeId, t: NodeId| -> Option<u64> {
            let mut best = 0;
            for l in &lms {
                best = best.max(l.lower_bound(v, t)?);
            }
            Some(best)
        };
        let h = |v: NodeId| -> Option<u64> {
            targets
                .iter()
                .filter_map(|(_, t)| bound(v, t.node).map(|b| (b as f64 * scale).floor() as u64 + t.cost))
                .min()
        };
        for (i, s) in sources.iter().enumerate() {
            let v = s.node as usize;
            if !r.node_ok(net, s.node) || s.cost >= self.dist[v] {
                continue;
            }
            if let Some(hv) = h(s.node) {
                if self.dist[v] == u64::MAX {
                    self.touched.push(s.node);
                }
                self.pot[v] = hv;
                self.dist[v] = s.cost;
                self.origin[v] = i as u32;
                self.heap.push(Reverse((s.cost + hv, s.node)));
            }
        }
        let mut best: Option<(u64, NodeId, usize)> = None;
        while let Some(Reverse((key, v))) = self.heap.pop() {
            if best.is_some_and(|(b, _, _)| key >= b) {
                break;
            }
            let d = self.dist[v as usize];
            // a stale entry was pushed before the node's distance dropped
            if key != d + self.pot[v as usize] {
                continue;
            }
            self.settled += 1;
            for (ti, t) in &targets {
                if t.node == v && best.is_none_or(|(b, _, _)| d + t.cost < b) {
                    best = Some((d + t.cost, v, *ti));
                }
            }
            for (w, len, e) in net.arcs(v) {
                if !r.edge_ok(net, e) || !r.node_ok(net, w) {
                    continue;
                }
                let nd = d + metric.weight(len, e) as u64;
                let wi = w as usize;
                if nd < self.dist[wi] {
                    let hw = if self.pot[wi] != u64::MAX {
                        self.pot[wi]
                    } else {
                        // no target reachable from w on the whole graph: never enter it
                        let Some(hw) = h(w) else { continue };
                        hw
                    };
                    if self.dist[wi] == u64::MAX {
                        self.touched.push(w);
                    }
                    self.pot[wi] = hw;
                    self.dist[wi] = nd;
                    self.pred[wi] = e;
                    self.origin[wi] = self.origin[v as usize];
                    self.heap.push(Reverse((nd + hw, w)));
                }
            }
        }
        let (cost, t, target) = best?;
        let (mut nodes, mut edges) = super::trace_back(net, &self.pred, t);
        nodes.reverse();
        edges.reverse();
        Some(Path { cost, source: self.origin[nodes[0] as usize] as usize, target, nodes, edges })
    }
}
