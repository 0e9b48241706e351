//! Customizable contraction hierarchy (Dibbelt, Strasser and Wagner, 2016) of the network: the
//! preprocessing behind exact per-query exclusions at speed.
//!
//! Three phases, of which only the first is expensive:
//! 1. **Order and topology** (once per network, metric independent): a nested dissection order
//!    ([`order`]) and the chordal supergraph it induces, stored as upward arcs per rank.
//! 2. **Customization** (per metric, i.e. per objective and exclusion set; about a second): every
//!    upward arc gets the shortest distance between its ends through lower ranked nodes
//!    (lower-triangle relaxation). Excluded edges and nodes simply weigh [`INF`].
//! 3. **Queries**: the distance between s and t is the minimum over common ancestors z in the
//!    elimination tree of up(s, z) + up(t, z), found by walking the two ancestor chains
//!    ([`UpSearch`]).
//!
//! Uses: [`potential`] turns the customization of the *unrestricted* metric into an exact A*
//! potential (CH-potentials, Strasser and Zeitz 2021): exclusions only raise weights, so the
//! unrestricted distance to the target stays a consistent lower bound for any exclusion set, and
//! the search itself checks the exclusions. [`matrix`] customizes for one exclusion set and
//! answers many-to-many queries with buckets.
//!
//! Weights are u32 (metres, seconds, cents or grams) and every shortest path weight must stay
//! below 2^32 - 1; distances are summed in u64.

pub mod matrix;
pub mod order;
pub mod potential;

use super::LazyArray;
use crate::col::{Col, SectionWriter, Sections, SharedBytes, Verify};
use crate::network::Network;

/// Weight of an excluded or missing arc.
pub const INF: u32 = u32::MAX;
const NONE: u32 = u32::MAX;

/// The metric-independent part of a CCH. Internally everything is indexed by rank.
#[derive(Debug, Clone)]
pub struct Cch {
    /// `rank[node]`
    pub rank: Col<u32>,
    /// `order[rank] = node`
    pub order: Col<u32>,
    /// Upward arcs of rank r: `up_first[r]..up_first[r + 1]`, heads (ranks) ascending; the first
    /// head is r's parent in the elimination tree.
    pub up_first: Col<u32>,
    pub up_head: Col<u32>,
    /// For each network edge, the upward arc between its ends (NONE for a self loop).
    pub edge_arc: Col<u32>,
}

/// Shape of a CCH, for reports.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CchStats {
    pub nodes: usize,
    pub arcs: usize,
    pub max_up_degree: usize,
    pub etree_height: usize,
}

impl Cch {
    /// Builds the CCH of a network: nested dissection on (longitude, latitude), then the
    /// chordal supergraph. `progress(done, total)` reports ordered nodes.
    pub fn build(net: &Network, progress: &(dyn Fn(usize, usize) + Sync)) -> Cch {
        let coords: Vec<[f32; 2]> =
            (0..net.node_count()).map(|v| [net.lon_e6[v] as f32 * 1e-6, net.lat_e6[v] as f32 * 1e-6]).collect();
        let n = net.node_count();
        let order = order::nested_dissection(
            &order::Graph { first_out: &net.first_out, head: &net.arc_head, coords: &coords },
            &|d| progress(d, n),
        );
        Cch::from_order(n, &net.edge_a, &net.edge_b, order)
    }

    /// The chordal supergraph of the graph with edges `(a[i], b[i])` eliminated in `order`.
    pub fn from_order(n: usize, a: &[u32], b: &[u32], order: Vec<u32>) -> Cch {
        let mut rank = vec![0u32; n];
        for (r, &v) in order.iter().enumerate() {
            rank[v as usize] = r as u32;
        }
        let mut up: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (&x, &y) in a.iter().zip(b) {
            let (rx, ry) = (rank[x as usize], rank[y as usize]);
            if rx != ry {
                up[rx.min(ry) as usize].push(rx.max(ry));
            }
        }
        for list in &mut up {
            list.sort_unstable();
            list.dedup();
        }
        // eliminate in rank order: the higher neighbours of x become a clique, which it suffices
        // to merge into the lowest of them (x's parent in the elimination tree)
        for x in 0..n {
            if up[x].len() < 2 {
                continue;
            }
            let p = up[x][0] as usize;
            let (lo, hi) = up.split_at_mut(p);
            let merged = merge_sorted(&hi[0], &lo[x][1..]);
            hi[0] = merged;
        }
        let mut up_first = Vec::with_capacity(n + 1);
        up_first.push(0u32);
        let mut up_head = Vec::with_capacity(up.iter().map(Vec::len).sum());
        for list in &up {
            up_head.extend_from_slice(list);
            up_first.push(up_head.len() as u32);
        }
        drop(up);
        let edge_arc: Vec<u32> = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| {
                let (rx, ry) = (rank[x as usize], rank[y as usize]);
                if rx == ry {
                    return NONE;
                }
                let (lo, hi) = (rx.min(ry) as usize, rx.max(ry));
                let range = &up_head[up_first[lo] as usize..up_first[lo + 1] as usize];
                up_first[lo] + range.binary_search(&hi).expect("every edge is an arc") as u32
            })
            .collect();
        Cch {
            rank: rank.into(),
            order: order.into(),
            up_first: up_first.into(),
            up_head: up_head.into(),
            edge_arc: edge_arc.into(),
        }
    }

    pub fn node_count(&self) -> usize {
        self.rank.len()
    }

    pub fn arc_count(&self) -> usize {
        self.up_head.len()
    }

    /// Parent rank of rank `r` in the elimination tree (None for a root).
    #[inline]
    pub fn parent(&self, r: u32) -> Option<u32> {
        let (s, e) = (self.up_first[r as usize], self.up_first[r as usize + 1]);
        (s < e).then(|| self.up_head[s as usize])
    }

    pub fn stats(&self) -> CchStats {
        let n = self.node_count();
        let max_up_degree = (0..n).map(|r| (self.up_first[r + 1] - self.up_first[r]) as usize).max().unwrap_or(0);
        // height: ranks in increasing order, a parent is always higher
        let mut depth = vec![0u32; n];
        let mut height = 0;
        for r in (0..n).rev() {
            if let Some(p) = self.parent(r as u32) {
                depth[r] = depth[p as usize] + 1;
            }
            height = height.max(depth[r] as usize + 1);
        }
        CchStats { nodes: n, arcs: self.arc_count(), max_up_degree, etree_height: height }
    }

    /// Customizes the hierarchy for per-edge weights (`INF` = excluded): returns the weight of
    /// every upward arc, the exact shortest distance between its ends via lower ranked nodes.
    pub fn customize(&self, edge_weight: impl Fn(usize) -> u32) -> Vec<u32> {
        let (up_first, up_head, edge_arc) = (&*self.up_first, &*self.up_head, &*self.edge_arc);
        let mut w = vec![INF; up_head.len()];
        for (e, &a) in edge_arc.iter().enumerate() {
            if a != NONE {
                let x = edge_weight(e);
                if x < w[a as usize] {
                    w[a as usize] = x;
                }
            }
        }
        // lower triangles (x, u, v) with x below u < v: w(u, v) <= w(x, u) + w(x, v). Processing
        // x in increasing rank makes w(x, .) final before it is used.
        for x in 0..self.node_count() {
            let (xs, xe) = (up_first[x] as usize, up_first[x + 1] as usize);
            for i in xs..xe {
                let wxu = w[i];
                if wxu == INF {
                    continue;
                }
                let u = up_head[i] as usize;
                let (mut p, u_end) = (up_first[u] as usize, up_first[u + 1] as usize);
                for j in i + 1..xe {
                    let v = up_head[j];
                    // the arc (u, v) exists by chordality and u's heads are sorted (a hierarchy
                    // that is not chordal, i.e. damaged, ends the triangle walk instead of
                    // reading past u's arcs)
                    while p < u_end && up_head[p] != v {
                        p += 1;
                    }
                    if p == u_end {
                        break;
                    }
                    let wxv = w[j];
                    if wxv != INF {
                        let s = wxu as u64 + wxv as u64;
                        if s < w[p] as u64 {
                            w[p] = s as u32;
                        }
                    }
                }
            }
        }
        w
    }

    /// Customizes for a network, a metric and the exclusions of a query: edges the query may
    /// not use, and edges touching nodes it may not enter, weigh [`INF`].
    pub fn customize_for(&self, net: &Network, r: Option<&super::Restrictions>, metric: super::Metric) -> Vec<u32> {
        self.customize(|e| {
            if let Some(r) = r {
                let (a, b) = (net.edge_a[e], net.edge_b[e]);
                if !r.edge_ok(net, e as u32) || !r.node_ok(net, a) || !r.node_ok(net, b) {
                    return INF;
                }
            }
            // u32::MAX means "no arc" here; a real weight that large is kept just below it
            metric.weight(net.edge_len_m[e], e as u32).min(INF - 1)
        })
    }

    /// The customization for `metric` under `r`, from `base`, the customization of the same
    /// metric under restrictions `base_r` that `r` keeps (`base_r` looser or equal). An arc's
    /// weight is a shortest path through the tail's elimination-tree descendants, so only arcs
    /// whose tail is an ancestor (or itself) of the lower end of an edge `r` excludes and
    /// `base_r` does not can change: those are recomputed from the edges and their lower
    /// triangles, every other arc keeps its base weight. For one excluded country or passage
    /// this touches a small part of the hierarchy (the triangles below the excluded region and
    /// the top separators), several times faster than [`Cch::customize_for`]; equal to it.
    pub fn customize_from(
        &self,
        net: &Network,
        base: &[u32],
        base_r: &super::Restrictions,
        r: &super::Restrictions,
        metric: super::Metric,
    ) -> Vec<u32> {
        let (up_first, up_head, edge_arc) = (&*self.up_first, &*self.up_head, &*self.edge_arc);
        let n = self.node_count();
        let excluded = |r: &super::Restrictions, e: usize| {
            let (a, b) = (net.edge_a[e], net.edge_b[e]);
            !r.edge_ok(net, e as u32) || !r.node_ok(net, a) || !r.node_ok(net, b)
        };
        // ranks whose arcs are recomputed: ancestors-or-self of newly excluded edges' lower ends
        let mut in_a = vec![false; n];
        for (e, &a) in edge_arc.iter().enumerate() {
            if a == NONE || !excluded(r, e) || excluded(base_r, e) {
                continue;
            }
            let (ra, rb) = (self.rank[net.edge_a[e] as usize], self.rank[net.edge_b[e] as usize]);
            let mut x = ra.min(rb);
            while !in_a[x as usize] {
                in_a[x as usize] = true;
                match self.parent(x) {
                    Some(p) if p > x => x = p,
                    _ => break,
                }
            }
        }
        let mut w = base.to_vec();
        for x in (0..n).filter(|&x| in_a[x]) {
            w[up_first[x] as usize..up_first[x + 1] as usize].fill(INF);
        }
        for (e, &a) in edge_arc.iter().enumerate() {
            if a == NONE {
                continue;
            }
            let (ra, rb) = (self.rank[net.edge_a[e] as usize], self.rank[net.edge_b[e] as usize]);
            if !in_a[ra.min(rb) as usize] || excluded(r, e) {
                continue;
            }
            // as customize_for: u32::MAX means "no arc"
            let x = metric.weight(net.edge_len_m[e], e as u32).min(INF - 1);
            if x < w[a as usize] {
                w[a as usize] = x;
            }
        }
        // lower triangles (z, u, v) into the recomputed arcs (u in A), z in increasing rank as
        // in customize: an arc's weight is final before any triangle reads it
        for z in 0..n {
            let (zs, ze) = (up_first[z] as usize, up_first[z + 1] as usize);
            for i in zs..ze {
                let u = up_head[i] as usize;
                let wzu = w[i];
                if !in_a[u] || wzu == INF {
                    continue;
                }
                let (mut p, u_end) = (up_first[u] as usize, up_first[u + 1] as usize);
                for j in i + 1..ze {
                    let v = up_head[j];
                    while p < u_end && up_head[p] != v {
                        p += 1;
                    }
                    if p == u_end {
                        break;
                    }
                    let wzv = w[j];
                    if wzv != INF {
                        let s = wzu as u64 + wzv as u64;
                        if s < w[p] as u64 {
                            w[p] = s as u32;
                        }
                    }
                }
            }
        }
        w
    }

    /// Serialises the topology for a network version, with named customizations (see
    /// [`Cch::from_bytes`]).
    pub fn to_bytes(&self, network_version: &str, metric_weights: &[(&str, &[u32])]) -> Vec<u8> {
        self.to_bytes_with_deltas(network_version, metric_weights, &[])
    }

    /// [`Cch::to_bytes`] with named customizations stored as differences ([`ArcDelta`]), read
    /// back by [`Cch::from_bytes_with_deltas`].
    pub fn to_bytes_with_deltas(
        &self,
        network_version: &str,
        metric_weights: &[(&str, &[u32])],
        deltas: &[(&str, &ArcDelta)],
    ) -> Vec<u8> {
        let mut w = SectionWriter::default();
        w.add_bytes("version", network_version.as_bytes().to_vec());
        w.add("order", &self.order);
        w.add("rank", &self.rank);
        w.add("up_first", &self.up_first);
        w.add("up_head", &self.up_head);
        w.add("edge_arc", &self.edge_arc);
        for (name, weights) in metric_weights {
            w.add(&format!("metric:{name}"), weights);
        }
        if !deltas.is_empty() {
            // all in six sections (the names, each column concatenated, and where each delta's
            // offsets and weights end), however many there are
            let names: Vec<&str> = deltas.iter().map(|(n, _)| *n).collect();
            w.add_bytes("deltas:names", names.join("\n").into_bytes());
            let bits: Vec<u64> = deltas.iter().flat_map(|(_, d)| d.bits.iter().copied()).collect();
            w.add("deltas:bits", &bits);
            drop(bits);
            let cat = |f: fn(&ArcDelta) -> &[u32]| -> Vec<u32> {
                deltas.iter().flat_map(|(_, d)| f(d).iter().copied()).collect()
            };
            w.add("deltas:before", &cat(|d| &d.before));
            w.add("deltas:first", &cat(|d| &d.first));
            w.add("deltas:weights", &cat(|d| &d.weights));
            let (mut f, mut x) = (0u64, 0u64);
            let ends: Vec<u64> = deltas
                .iter()
                .flat_map(|(_, d)| {
                    f += d.first.len() as u64;
                    x += d.weights.len() as u64;
                    [f, x]
                })
                .collect();
            w.add("deltas:ends", &ends);
        }
        w.finish(MAGIC)
    }

    /// Reads a CCH written by [`Cch::to_bytes`] for this network, zero-copy where the bytes are
    /// aligned; also returns the stored customizations by name. An error if the bytes belong to
    /// another network version, fail their checksums (as `verify` asks) or break the structure
    /// every query relies on (see [`Cch::validate`]).
    pub fn from_bytes(bytes: SharedBytes, net: &Network, verify: Verify) -> Result<(Cch, NamedWeights), String> {
        Cch::from_bytes_with_deltas(bytes, net, verify).map(|(c, m, _)| (c, m))
    }

    /// [`Cch::from_bytes`], also returning the customizations stored as differences (each
    /// checked against the hierarchy: [`ArcDelta::validate`]).
    pub fn from_bytes_with_deltas(
        bytes: SharedBytes,
        net: &Network,
        verify: Verify,
    ) -> Result<(Cch, NamedWeights, NamedDeltas), String> {
        let s = Sections::parse(bytes, MAGIC)?;
        s.verify_if(verify)?;
        if s.bytes("version").ok_or("no version section")? != net.meta.version.as_bytes() {
            return Err("made for another network version".into());
        }
        let col = |name: &str| s.col(name).ok_or_else(|| format!("section {name} missing or misaligned"));
        let cch = Cch {
            order: col("order")?,
            rank: col("rank")?,
            up_first: col("up_first")?,
            up_head: col("up_head")?,
            edge_arc: col("edge_arc")?,
        };
        cch.validate(net, verify == Verify::Checksums)?;
        let m = cch.up_head.len();
        let mut metrics = Vec::new();
        for name in s.names().filter_map(|n| n.strip_prefix("metric:")) {
            let c: Col<u32> = col(&format!("metric:{name}"))?;
            // arc customizations, or per-edge weights stored beside them (`edge-weights:...`,
            // `backhaul-weights:...`)
            let per_edge = name.starts_with("edge-weights:") || name.starts_with("backhaul-weights:");
            let len = if per_edge { net.edge_count() } else { m };
            if c.len() != len {
                return Err(format!("section metric:{name} has {} values, not {len}", c.len()));
            }
            metrics.push((name.to_string(), c));
        }
        let mut deltas = Vec::new();
        if let Some(names) = s.bytes("deltas:names") {
            let names = std::str::from_utf8(names).map_err(|_| "delta names are not text")?;
            let names: Vec<&str> = if names.is_empty() { Vec::new() } else { names.split('\n').collect() };
            let bits: Col<u64> = s.col("deltas:bits").ok_or("section deltas:bits missing or misaligned")?;
            let ends: Col<u64> = s.col("deltas:ends").ok_or("section deltas:ends missing or misaligned")?;
            let (before, first, weights) = (col("deltas:before")?, col("deltas:first")?, col("deltas:weights")?);
            let words = cch.node_count().div_ceil(64);
            let k = names.len();
            if ends.len() != 2 * k || bits.len() != k * words || before.len() != k * words {
                return Err("delta columns do not match their names".into());
            }
            let (mut f0, mut x0) = (0usize, 0usize);
            for (i, name) in names.into_iter().enumerate() {
                let (f1, x1) = (ends[2 * i] as usize, ends[2 * i + 1] as usize);
                if f1 < f0 || x1 < x0 || f1 > first.len() || x1 > weights.len() {
                    return Err("delta offsets out of range".into());
                }
                let d = ArcDelta {
                    bits: bits.slice(i * words..(i + 1) * words),
                    before: before.slice(i * words..(i + 1) * words),
                    first: first.slice(f0..f1),
                    weights: weights.slice(x0..x1),
                };
                if verify == Verify::Checksums {
                    d.validate(&cch)?;
                }
                deltas.push((name.to_string(), d));
                (f0, x0) = (f1, x1);
            }
        }
        Ok((cch, metrics, deltas))
    }

    /// The structure queries and customizations rely on. Always: sizes, monotone offsets and
    /// every index in range, so that no file, however damaged, can make a query index out of
    /// bounds (the searches themselves only walk upwards, so they end). With `full` (bytes
    /// whose checksums were just verified) also: `rank` is a permutation and `order` its
    /// inverse; each rank's upward heads are strictly ascending and above it; every network
    /// edge maps to the upward arc between its ends' ranks.
    pub fn validate(&self, net: &Network, full: bool) -> Result<(), String> {
        let n = net.node_count();
        let (rank, order, up_first, up_head, edge_arc) =
            (&*self.rank, &*self.order, &*self.up_first, &*self.up_head, &*self.edge_arc);
        let m = up_head.len();
        if rank.len() != n || order.len() != n || up_first.len() != n + 1 || edge_arc.len() != net.edge_count() {
            return Err("CCH columns do not match the network's size".into());
        }
        if up_first[0] != 0 || up_first[n] as usize != m || up_first.windows(2).any(|p| p[0] > p[1]) {
            return Err("upward arc offsets are not monotone".into());
        }
        // every index in range (sequential passes): what keeps queries in bounds; with the
        // searches' guards (upward walks only go up) also what keeps them finite
        let max = |c: &[u32]| c.iter().copied().fold(0, u32::max);
        if n > 0 && (max(rank) as usize >= n || max(up_head) as usize >= n) {
            return Err("a rank or an arc head is out of range".into());
        }
        if edge_arc.iter().any(|&a| a.wrapping_add(1) as usize > m) {
            return Err("an edge maps to an arc out of range".into());
        }
        if !full {
            return Ok(());
        }
        if order.iter().enumerate().any(|(r, &v)| rank.get(v as usize) != Some(&(r as u32))) {
            return Err("rank is not a permutation (order and rank disagree)".into());
        }
        for r in 0..n {
            let heads = &up_head[up_first[r] as usize..up_first[r + 1] as usize];
            let mut prev = r as u32;
            for &h in heads {
                if h <= prev || h as usize >= n {
                    return Err(format!("upward arcs of rank {r} are not ascending above it"));
                }
                prev = h;
            }
        }
        let (ea, eb) = (&*net.edge_a, &*net.edge_b);
        for (e, &a) in edge_arc.iter().enumerate() {
            let (x, y) = (rank[ea[e] as usize], rank[eb[e] as usize]);
            let (lo, hi) = (x.min(y) as usize, x.max(y));
            let ok = a != NONE && (up_first[lo]..up_first[lo + 1]).contains(&a) && up_head[a as usize] == hi;
            if !ok {
                return Err(format!("edge {e} does not map to the arc between its ends"));
            }
        }
        Ok(())
    }
}

/// Customized weights to read a rank's upward arcs from: `base`, except for the ranks a
/// [`ArcDelta`] overrides.
#[derive(Debug, Clone, Copy)]
pub struct ArcWeights<'a> {
    pub base: &'a [u32],
    pub delta: Option<&'a ArcDelta>,
}

impl<'a> ArcWeights<'a> {
    /// The weights of rank `x`'s upward arcs `s..e` (`up_first[x]..up_first[x + 1]`).
    #[inline(always)]
    pub fn arcs(&self, x: usize, s: usize, e: usize) -> &'a [u32] {
        match self.delta {
            None => &self.base[s..e],
            Some(d) => d.arcs(self.base, x, s, e),
        }
    }
}

/// A customization stored as its difference from a base customization of the same hierarchy:
/// the ranks any of whose upward arcs differ keep all their arcs' weights, the others read the
/// base. Excluding one country or passage changes only arcs whose tail is an elimination-tree
/// ancestor of an excluded edge, and few of those (a passage a few thousand of 4.2 M arcs, most
/// countries some tens of thousands), so such a family costs a small part of a full one.
#[derive(Debug, Clone)]
pub struct ArcDelta {
    /// Bit `r % 64` of word `r / 64`: rank r is overridden.
    pub bits: Col<u64>,
    /// Overridden ranks before each 64-rank word.
    pub before: Col<u32>,
    /// Per overridden rank, in rank order: where its arcs' weights start in `weights`.
    pub first: Col<u32>,
    pub weights: Col<u32>,
}

impl ArcDelta {
    /// The difference of customization `w` from `base` (both for `cch`).
    pub fn new(cch: &Cch, base: &[u32], w: &[u32]) -> ArcDelta {
        let n = cch.node_count();
        let mut bits = vec![0u64; n.div_ceil(64)];
        let mut before = vec![0u32; n.div_ceil(64)];
        let (mut first, mut weights) = (Vec::new(), Vec::new());
        for x in 0..n {
            if x % 64 == 0 {
                before[x / 64] = first.len() as u32;
            }
            let (s, e) = (cch.up_first[x] as usize, cch.up_first[x + 1] as usize);
            if base[s..e] != w[s..e] {
                bits[x / 64] |= 1 << (x % 64);
                first.push(weights.len() as u32);
                weights.extend_from_slice(&w[s..e]);
            }
        }
        ArcDelta { bits: bits.into(), before: before.into(), first: first.into(), weights: weights.into() }
    }

    /// The weights of rank `x`'s upward arcs `s..e`: its own if overridden, else `base`'s.
    /// Reads are bounds-checked (a damaged file whose columns do not add up reads the base
    /// there), so that loading needs no pass over the columns: a process touches only the
    /// pages of the families its queries use.
    #[inline(always)]
    pub fn arcs<'a>(&'a self, base: &'a [u32], x: usize, s: usize, e: usize) -> &'a [u32] {
        let word = self.bits.get(x >> 6).copied().unwrap_or(0);
        let bit = x & 63;
        if (word >> bit) & 1 == 0 {
            return &base[s..e];
        }
        let i = self.before.get(x >> 6).map_or(0, |&b| b as usize) + (word & ((1u64 << bit) - 1)).count_ones() as usize;
        let f = self.first.get(i).map_or(usize::MAX, |&f| f as usize);
        self.weights.get(f..f.saturating_add(e - s)).unwrap_or(&base[s..e])
    }

    /// Whether the columns have the hierarchy's size (what every load checks; reads stay in
    /// bounds anyway, see [`ArcDelta::arcs`]).
    pub fn check_size(&self, cch: &Cch) -> Result<(), String> {
        let words = cch.node_count().div_ceil(64);
        if self.bits.len() != words || self.before.len() != words {
            return Err("delta: bit columns do not match the hierarchy".into());
        }
        Ok(())
    }

    /// Whether the columns fit the hierarchy (sizes, counts, every slice in range); checked
    /// when a file's checksums are verified.
    pub fn validate(&self, cch: &Cch) -> Result<(), String> {
        self.check_size(cch)?;
        let n = cch.node_count();
        let words = n.div_ceil(64);
        let mut count = 0usize;
        for (i, &b) in self.bits.iter().enumerate() {
            if self.before[i] as usize != count {
                return Err("delta: rank counts do not add up".into());
            }
            if i == words - 1 && !n.is_multiple_of(64) && b >> (n % 64) != 0 {
                return Err("delta: a rank out of range".into());
            }
            count += b.count_ones() as usize;
        }
        if count != self.first.len() {
            return Err("delta: rank count does not match the offsets".into());
        }
        let mut i = 0;
        for (wi, &b) in self.bits.iter().enumerate() {
            let mut b = b;
            while b != 0 {
                let x = wi * 64 + b.trailing_zeros() as usize;
                b &= b - 1;
                let deg = (cch.up_first[x + 1] - cch.up_first[x]) as usize;
                if self.first[i] as usize + deg > self.weights.len() {
                    return Err("delta: weights out of range".into());
                }
                i += 1;
            }
        }
        Ok(())
    }

    /// Bytes held (for reports).
    pub fn bytes(&self) -> usize {
        self.bits.len() * 8 + (self.before.len() + self.first.len() + self.weights.len()) * 4
    }
}

/// Bumped with the layout (2: per-section checksums).
const MAGIC: &[u8; 8] = b"CORRCCH2";

/// Customized weights stored with a CCH, by name.
pub type NamedWeights = Vec<(String, Col<u32>)>;

/// Customizations stored as differences with a CCH, by name.
pub type NamedDeltas = Vec<(String, ArcDelta)>;

fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Upward search in the elimination tree from several weighted starts: distances (u64) from
/// the nearest start to every ancestor, with the index of the start that gave it.
#[derive(Debug, Clone)]
pub struct UpSearch {
    /// By rank; u64::MAX outside the last search's ancestors.
    dist: LazyArray<u64>,
    label: LazyArray<u32>,
    /// Ranks reached by the last search, ascending.
    pub reached: Vec<u32>,
}

impl UpSearch {
    pub fn new(n: usize) -> UpSearch {
        UpSearch { dist: LazyArray::<u64>::new(n), label: LazyArray::<u32>::new(n), reached: Vec::new() }
    }

    /// Distance of rank `r` from the nearest start (u64::MAX if not reached).
    #[inline]
    pub fn dist(&self, r: u32) -> u64 {
        self.dist.get(r as usize)
    }

    /// Which start gave rank `r` its distance.
    #[inline]
    pub fn label(&self, r: u32) -> u32 {
        self.label.get(r as usize)
    }

    /// Runs from `starts` = (node, initial cost, label) under customized weights `w`.
    pub fn run(&mut self, cch: &Cch, w: &[u32], starts: impl IntoIterator<Item = (u32, u64, u32)>) {
        self.run_on(cch, ArcWeights { base: w, delta: None }, starts)
    }

    /// [`UpSearch::run`] on weights that may be stored as a difference ([`ArcDelta`]).
    pub fn run_on(&mut self, cch: &Cch, w: ArcWeights, starts: impl IntoIterator<Item = (u32, u64, u32)>) {
        for &r in &self.reached {
            self.dist.set(r as usize, u64::MAX);
            self.label.set(r as usize, NONE);
        }
        self.reached.clear();
        for (v, cost, label) in starts {
            let r = cch.rank[v as usize];
            // collect the ancestors not yet seen (dist MAX and label NONE marks unseen)
            let mut x = r;
            loop {
                if self.label.get(x as usize) != NONE || self.dist.get(x as usize) != u64::MAX {
                    break;
                }
                self.reached.push(x);
                self.label.set(x as usize, NONE - 1); // seen, no distance yet
                match cch.parent(x) {
                    // parents rank higher (a damaged hierarchy ends the walk)
                    Some(p) if p > x => x = p,
                    _ => break,
                }
            }
            if cost < self.dist.get(r as usize) {
                self.dist.set(r as usize, cost);
                self.label.set(r as usize, label);
            }
        }
        self.reached.sort_unstable();
        let (up_first, up_head) = (&*cch.up_first, &*cch.up_head);
        for &x in &self.reached {
            let d = self.dist.get(x as usize);
            if d == u64::MAX {
                continue;
            }
            let l = self.label.get(x as usize);
            let (s, e) = (up_first[x as usize] as usize, up_first[x as usize + 1] as usize);
            let wx = w.arcs(x as usize, s, e);
            for (a, &wa) in (s..e).zip(wx) {
                if wa == INF {
                    continue;
                }
                let y = up_head[a] as usize;
                if y <= x as usize {
                    continue; // not upward: a damaged hierarchy
                }
                let nd = d + wa as u64;
                if nd < self.dist.get(y) {
                    self.dist.set(y, nd);
                    self.label.set(y, l);
                }
            }
        }
    }
}

/// Exact shortest distance between two weighted terminal sets under customized weights, by
/// meeting the two upward searches (for tests and one-off queries).
pub fn distance(
    cch: &Cch,
    w: &[u32],
    fw: &mut UpSearch,
    bw: &mut UpSearch,
    sources: &[super::Terminal],
    targets: &[super::Terminal],
) -> Option<u64> {
    fw.run(cch, w, sources.iter().enumerate().map(|(i, t)| (t.node, t.cost, i as u32)));
    bw.run(cch, w, targets.iter().enumerate().map(|(i, t)| (t.node, t.cost, i as u32)));
    fw.reached
        .iter()
        .filter_map(|&x| {
            let (a, b) = (fw.dist(x), bw.dist(x));
            (a != u64::MAX && b != u64::MAX).then(|| a + b)
        })
        .min()
}
