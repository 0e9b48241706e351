//! Shortest paths on the [`Network`] under per-query [`Restrictions`].
//!
//! Costs are whole metres (u64 sums of u32 edge lengths), so "equal to Dijkstra" is an exact
//! integer comparison. Searches start from several sources, each with an initial cost (the access
//! distance from the query point to that node), and end at several targets, each with a final
//! cost: this is exactly a shortest path in the graph extended by a virtual origin and destination.
//!
//! * [`cch`]: customizable contraction hierarchy: exact A* potentials for any exclusion set
//!   (the default search once prepared) and many-to-many matrices.
//! * [`bidir`]: bidirectional Dijkstra, the search without preprocessing.
//! * [`many`]: one-to-many Dijkstra for matrices.
//! * [`mod@reference`]: plain one-directional Dijkstra, the baseline every faster search is tested against.

pub mod bidir;
pub mod cch;
pub mod many;
pub mod reference;

use crate::network::{edge_flags, EdgeId, EdgeKind, Mode, Network, NodeId};

/// A per-node array whose unset value is `MAX`, allocated zeroed so that the operating system
/// maps its pages only when a search first touches them: a query that settles a few thousand
/// nodes does not pay for writing megabytes. Values are stored bit-inverted (MAX <-> 0).
#[derive(Debug, Clone)]
pub struct LazyArray<T>(Vec<T>);

macro_rules! lazy_array {
    ($t:ty) => {
        impl LazyArray<$t> {
            pub fn new(n: usize) -> Self {
                LazyArray(vec![0; n])
            }
            #[inline(always)]
            pub fn get(&self, i: usize) -> $t {
                !self.0[i]
            }
            #[inline(always)]
            pub fn set(&mut self, i: usize, v: $t) {
                self.0[i] = !v;
            }
        }
    };
}
lazy_array!(u128);
lazy_array!(u64);
lazy_array!(u32);

/// A bit set over the network's country indices (at most 256 countries).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CountrySet([u64; 4]);

impl CountrySet {
    pub fn insert(&mut self, i: u8) {
        self.0[(i >> 6) as usize] |= 1 << (i & 63);
    }
    pub fn remove(&mut self, i: u8) {
        self.0[(i >> 6) as usize] &= !(1 << (i & 63));
    }
    #[inline]
    pub fn contains(&self, i: u8) -> bool {
        self.0[(i >> 6) as usize] & (1 << (i & 63)) != 0
    }
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..=255u8).filter(|&i| self.contains(i))
    }
    pub fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }
}

/// What a query excludes. Everything is resolved to indices, so checks are bit tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Restrictions {
    /// A route touches no rail, road or port node of these countries.
    pub avoid_countries: CountrySet,
    /// Also avoid those countries' territorial waters (sea nodes tagged with the country). Off by
    /// default: merchant ships pass through territorial seas and straits under innocent or
    /// transit passage. Canals and inland waterways (flagged INLAND_WATER) count as land always.
    pub avoid_waters: bool,
    /// Bit i set = passage index i is closed.
    pub closed_passages: u64,
    /// Bit per [`Mode`] (rail=0, road=1, sea=2, ferry=3) that may be used.
    pub modes: u8,
    /// Whether planned (not yet built) links may be used.
    pub allow_planned: bool,
}

/// Bit for a choosable mode in [`Restrictions::modes`].
pub fn mode_bit(m: Mode) -> u8 {
    match m {
        Mode::Rail => 1,
        Mode::Road => 2,
        Mode::Sea => 4,
        Mode::Ferry => 8,
        Mode::Transfer => 0,
    }
}

impl Restrictions {
    /// Everything allowed except planned links and no passage closed.
    pub fn open() -> Restrictions {
        Restrictions {
            avoid_countries: CountrySet::default(),
            avoid_waters: false,
            closed_passages: 0,
            modes: 0b1111,
            allow_planned: false,
        }
    }

    /// Whether a search may enter node `v`.
    #[inline]
    pub fn node_ok(&self, net: &Network, v: NodeId) -> bool {
        let c = net.node_country[v as usize];
        if c == 0 || !self.avoid_countries.contains(c) {
            return true;
        }
        !self.avoid_waters && net.is_open_water(v)
    }

    /// Whether a search may use edge `e` (its endpoints are checked separately).
    #[inline]
    pub fn edge_ok(&self, net: &Network, e: EdgeId) -> bool {
        let e = e as usize;
        let kind = EdgeKind::from_u8(net.edge_kind[e]).expect("validated");
        if self.modes & mode_bit(kind.requires()) == 0 {
            return false;
        }
        if self.closed_passages & (1u64 << net.edge_passage[e]) != 0 {
            return false;
        }
        let flags = net.edge_flags[e];
        flags & edge_flags::CLOSED == 0 && (self.allow_planned || flags & edge_flags::PLANNED == 0)
    }

    /// A compact text form (hex fields joined by '.'), stored with the customizations made for
    /// these restrictions so that a file says exactly what each was built with.
    pub fn to_key(&self) -> String {
        let c = self.avoid_countries.0;
        format!(
            "{:x}.{:x}.{:x}.{:x}.{:x}.{:x}.{:x}",
            c[0],
            c[1],
            c[2],
            c[3],
            self.closed_passages,
            self.modes,
            (self.avoid_waters as u8) | ((self.allow_planned as u8) << 1)
        )
    }

    /// Reads [`Restrictions::to_key`]; None on anything else.
    pub fn from_key(key: &str) -> Option<Restrictions> {
        let f: Vec<u64> = key.split('.').map(|x| u64::from_str_radix(x, 16).ok()).collect::<Option<_>>()?;
        let [c0, c1, c2, c3, closed, modes, flags] = f[..] else { return None };
        if modes > 0xff || flags > 3 {
            return None;
        }
        Some(Restrictions {
            avoid_countries: CountrySet([c0, c1, c2, c3]),
            avoid_waters: flags & 1 != 0,
            closed_passages: closed,
            modes: modes as u8,
            allow_planned: flags & 2 != 0,
        })
    }

    /// True if `self` allows at least everything `other` allows (used by monotonicity tests and
    /// by the "what blocks this route" diagnosis).
    pub fn is_looser_or_equal(&self, other: &Restrictions) -> bool {
        other.avoid_countries.0.iter().zip(self.avoid_countries.0.iter()).all(|(o, s)| s & !o == 0)
            && (!self.avoid_waters || other.avoid_waters)
            && self.closed_passages & !other.closed_passages == 0
            && other.modes & !self.modes == 0
            && (self.allow_planned || !other.allow_planned)
    }
}

/// What a search minimises: edge length in metres, or a per-edge weight computed for the query
/// (seconds, US cents, grams CO2e; see [`crate::model::cost`]).
#[derive(Debug, Clone, Copy)]
pub enum Metric<'a> {
    Length,
    PerEdge(&'a [u32]),
}

impl Metric<'_> {
    /// The weight of an arc given its length and edge id.
    #[inline(always)]
    pub fn weight(&self, len_m: u32, e: EdgeId) -> u32 {
        match self {
            Metric::Length => len_m,
            Metric::PerEdge(w) => w[e as usize],
        }
    }

    /// The search key of an arc: its weight, then [`tie_break`] (see [`Key`]).
    #[inline(always)]
    pub fn key(&self, len_m: u32, e: EdgeId) -> Key {
        ((self.weight(len_m, e) as Key) << 64) | tie_break(len_m, e) as Key
    }
}

/// What every search minimises: the metric's cost in the high 64 bits, a tie-break in the low
/// 64 bits, compared as one integer. So among paths of equal cost every engine (plain,
/// bidirectional and CCH-potential Dijkstra) returns the same one: the shorter, then the one
/// with the smaller sum of edge hashes, whatever order it explores in. The cost is exact
/// (`key >> 64`); potentials bound the cost part only, which keeps them consistent for keys.
/// Terminals' costs enter with a zero tie-break.
pub type Key = u128;

/// An edge's tie-break: its length in metres shifted above a 16-bit hash of its id. Sums stay
/// exact below 2^64 for paths under 268,000 km of at most 2^20 edges, and two paths of equal
/// cost are ordered by length first, exactly.
#[inline(always)]
pub fn tie_break(len_m: u32, e: EdgeId) -> u64 {
    ((len_m as u64) << 36) | ((e as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48)
}

/// A terminal's or a cost's key (zero tie-break).
#[inline(always)]
pub fn key_of(cost: u64) -> Key {
    (cost as Key) << 64
}

/// The cost part of a key.
#[inline(always)]
pub fn cost_of(key: Key) -> u64 {
    (key >> 64) as u64
}

/// A start or end of a search: a node and the cost of reaching it from the query point (or the
/// query point from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    pub node: NodeId,
    pub cost: u64,
}

/// A shortest path: total cost (initial + path + final), which terminals were used, and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub cost: u64,
    /// Index into the sources slice of the search.
    pub source: usize,
    /// Index into the targets slice of the search.
    pub target: usize,
    /// Nodes from source to target (one node if source == target).
    pub nodes: Vec<NodeId>,
    /// Edges between consecutive nodes.
    pub edges: Vec<EdgeId>,
}

impl Path {
    /// Length of the path's edges only (without the terminals' access costs), in metres.
    pub fn network_m(&self, net: &Network) -> u64 {
        self.edges.iter().map(|&e| net.edge_len_m[e as usize] as u64).sum()
    }

    /// Weight of the path's edges under a metric (without the terminals' costs).
    pub fn network_weight(&self, net: &Network, metric: Metric) -> u64 {
        self.edges.iter().map(|&e| metric.weight(net.edge_len_m[e as usize], e) as u64).sum()
    }
}

/// Walks a predecessor-edge array (u32::MAX = none) back from `v` to the node where the search
/// started: the nodes and edges in walking order, i.e. from `v` backwards.
pub(crate) fn trace_back(net: &Network, pred: &[u32], mut v: NodeId) -> (Vec<NodeId>, Vec<EdgeId>) {
    let (mut nodes, mut edges) = (vec![v], Vec::new());
    while pred[v as usize] != u32::MAX {
        let e = pred[v as usize];
        // a predecessor edge that does not touch v, or a walk longer than the graph, can only
        // come from a damaged adjacency: stop rather than loop
        if !net.touches(e, v) || edges.len() > net.node_count() {
            break;
        }
        edges.push(e);
        v = net.other_end(e, v);
        nodes.push(v);
    }
    (nodes, edges)
}

/// Smallest weight per metre over all edges under a metric (0 for zero-length-only metrics): the
/// factor that turns a length bound (metres) into a bound on the metric's weights.
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

/// Runs `f` on a rayon pool of `threads` workers (on the global pool if one cannot be started):
/// the matrices search their origin rows in parallel, one searcher per worker.
pub(crate) fn on_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}
