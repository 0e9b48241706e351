//! CH-potentials: A* whose potential is the exact distance to the target on the unrestricted
//! metric, read from a customized CCH, and whose search applies the query's exclusions.
//!
//! Exclusions only remove edges and nodes, so for every query d_restricted(v, t) >=
//! d_unrestricted(v, t): the potential is admissible and, being a true distance function,
//! consistent. The answer is therefore exactly Dijkstra's (integer costs, compared in tests).
//! When the exclusions do not touch the unrestricted shortest path the search settles little
//! more than that path; when they do, it explores the region where the detour is cheaper than
//! going round, as any exact method must.
//!
//! The potential is evaluated lazily: a backward upward search from the targets fills the
//! target side once per query, then pot(v) = min(back(v), min over upward arcs (v, y) of
//! w(v, y) + pot(y)), memoized per rank. Objectives other than the one the weights were
//! customized for use the weights scaled by a factor that keeps them below every edge's weight.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{ArcDelta, ArcWeights, Cch, UpSearch, INF};
use crate::engine::{cost_of, key_of, Key, LazyArray, Metric, Path, Restrictions, Terminal};
use crate::network::{Network, NodeId};

/// Potential not evaluated yet (the lazy array's unset value).
const UNKNOWN: u64 = u64::MAX;
const UNREACHABLE: u64 = u64::MAX - 1;

/// Lazily evaluated exact distances to a target set on customized weights.
#[derive(Debug, Clone)]
pub struct Potential {
    back: UpSearch,
    /// By rank: UNKNOWN until evaluated, UNREACHABLE if no target can be reached.
    pot: LazyArray<u64>,
    evaluated: Vec<u32>,
    stack: Vec<u32>,
}

impl Potential {
    pub fn new(n: usize) -> Potential {
        Potential { back: UpSearch::new(n), pot: LazyArray::<u64>::new(n), evaluated: Vec::new(), stack: Vec::new() }
    }

    /// Prepares for a new target set (node, final cost).
    pub fn init(&mut self, cch: &Cch, w: ArcWeights, targets: &[Terminal]) {
        for &r in &self.evaluated {
            self.pot.set(r as usize, UNKNOWN);
        }
        self.evaluated.clear();
        self.back.run_on(cch, w, targets.iter().enumerate().map(|(i, t)| (t.node, t.cost, i as u32)));
    }

    /// Exact distance from node `v` to the nearest target (plus its final cost) on the
    /// customized weights; u64::MAX if none is reachable.
    pub fn get(&mut self, cch: &Cch, w: ArcWeights, v: NodeId) -> u64 {
        let r = cch.rank[v as usize];
        if self.pot.get(r as usize) != UNKNOWN {
            return self.pot.get(r as usize);
        }
        let (up_first, up_head) = (&*cch.up_first, &*cch.up_head);
        self.stack.push(r);
        while let Some(&x) = self.stack.last() {
            if self.pot.get(x as usize) != UNKNOWN {
                self.stack.pop();
                continue;
            }
            let (s, e) = (up_first[x as usize] as usize, up_first[x as usize + 1] as usize);
            let wx = w.arcs(x as usize, s, e);
            let mut ready = true;
            for (&y, &wa) in up_head[s..e].iter().zip(wx) {
                // upward arcs only (in a damaged hierarchy a downward one could cycle)
                if y > x && self.pot.get(y as usize) == UNKNOWN && wa != INF {
                    self.stack.push(y);
                    ready = false;
                }
            }
            if !ready {
                continue;
            }
            // not reached by the targets' upward search: u64::MAX, i.e. no path through it
            let mut best = self.back.dist(x).min(UNREACHABLE);
            for (&y, &wa) in up_head[s..e].iter().zip(wx) {
                if wa == INF || y <= x {
                    continue;
                }
                let py = self.pot.get(y as usize);
                if py != UNREACHABLE {
                    best = best.min(py + wa as u64);
                }
            }
            self.pot.set(x as usize, best);
            self.evaluated.push(x);
            self.stack.pop();
        }
        self.pot.get(r as usize)
    }
}

/// Customized weights an A* potential can be read from: the unrestricted metric, or a
/// "family" customized with some exclusions already applied. A family's distances bound every
/// query at least as restrictive (a subgraph of the family's graph) from below, and are much
/// tighter than the unrestricted ones when the query's exclusions force a long detour. The
/// maximum of several such potentials is still consistent.
#[derive(Debug, Clone, Copy)]
pub struct PotentialSource<'a> {
    pub weights: &'a [u32],
    /// Factor that keeps `weights` (times it) below the query metric's weights: 1.0 when the
    /// weights are the query's own metric; see [`CchSearcher::shortest_path`].
    pub scale: f64,
    /// The exclusions the weights were customized under; None = nothing excluded.
    pub family: Option<Restrictions>,
    /// When set, the customization is `weights` changed by this difference (a family stored
    /// as an [`ArcDelta`] from the base customization `weights`).
    pub delta: Option<&'a ArcDelta>,
}

impl<'a> PotentialSource<'a> {
    /// The customized weights to read.
    #[inline]
    pub fn arc_weights(&self) -> ArcWeights<'a> {
        ArcWeights { base: self.weights, delta: self.delta }
    }
}

/// At most this many family potentials are combined in one query (besides the unrestricted one).
const MAX_FAMILIES: usize = 2;

/// Reusable A* state with a CCH potential.
#[derive(Debug, Clone)]
pub struct CchSearcher {
    /// Potential states, one per source used by the current query.
    slots: Vec<Potential>,
    /// Keys (cost, then the common tie-break: see [`Key`]).
    dist: LazyArray<u128>,
    /// h(v) of touched nodes (scaled potential).
    h: LazyArray<u64>,
    pred: LazyArray<u32>,
    origin: LazyArray<u32>,
    touched: Vec<NodeId>,
    heap: BinaryHeap<Reverse<(Key, NodeId)>>,
    /// Nodes settled by the last query.
    pub settled: usize,
    /// Family potentials used by the last query.
    pub families_used: usize,
}

impl CchSearcher {
    pub fn new(net: &Network) -> CchSearcher {
        let n = net.node_count();
        CchSearcher {
            slots: Vec::new(),
            dist: LazyArray::<u128>::new(n),
            h: LazyArray::<u64>::new(n),
            pred: LazyArray::<u32>::new(n),
            origin: LazyArray::<u32>::new(n),
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            settled: 0,
            families_used: 0,
        }
    }

    /// Exact shortest path under `r` and `metric` (equal in cost to plain Dijkstra).
    /// The first of `potentials` that applies to `r` (unrestricted, or customized under
    /// restrictions `r` keeps) is the base bound, so the list should hold an unrestricted one;
    /// the others are families used when they apply to `r` and tighten the bound at the sources. Each source's weights times its `scale` must be at
    /// most the edge's weight under `metric` (scale 1.0 when customized for `metric` itself;
    /// [`crate::engine::min_weight_per_metre`] for length weights and another objective).
    #[allow(clippy::too_many_arguments)]
    pub fn shortest_path(
        &mut self,
        net: &Network,
        cch: &Cch,
        potentials: &[PotentialSource],
        r: &Restrictions,
        metric: Metric,
        sources: &[Terminal],
        targets: &[Terminal],
    ) -> Option<Path> {
        for &v in &self.touched {
            self.dist.set(v as usize, Key::MAX);
            self.h.set(v as usize, u64::MAX);
            self.pred.set(v as usize, u32::MAX);
            self.origin.set(v as usize, u32::MAX);
        }
        self.touched.clear();
        self.heap.clear();
        self.settled = 0;
        self.families_used = 0;
        let targets: Vec<(usize, Terminal)> =
            targets.iter().copied().enumerate().filter(|(_, t)| r.node_ok(net, t.node)).collect();
        if targets.is_empty() || potentials.is_empty() {
            return None;
        }
        let min_target_cost = targets.iter().map(|(_, t)| t.cost).min().unwrap_or(0);
        let live_sources: Vec<NodeId> = sources.iter().filter(|s| r.node_ok(net, s.node)).map(|s| s.node).collect();
        // slot 0: the first applicable potential; then the other applicable families that raise
        // the bound at a source, the strongest first
        let applies = |p: &PotentialSource| p.family.is_none_or(|f| f.is_looser_or_equal(r));
        let first = potentials.iter().position(applies)?;
        let mut chosen: Vec<PotentialSource> = vec![potentials[first]];
        self.init_slot(0, cch, &potentials[first], &targets);
        // bounds compared in the search's units: a length source counts scaled, as in `h` below
        // (raw metres would outrank every exact cost family)
        let in_units = |p: &PotentialSource, x: u64| -> u64 {
            if x == UNREACHABLE || p.scale == 1.0 {
                x
            } else {
                (x as f64 * p.scale).floor() as u64 + min_target_cost
            }
        };
        let base: Vec<u64> = live_sources
            .iter()
            .map(|&v| in_units(&potentials[first], self.slots[0].get(cch, potentials[first].arc_weights(), v)))
            .collect();
        let mut gains: Vec<(u64, usize)> = Vec::new();
        for (i, p) in potentials.iter().enumerate() {
            if i == first || p.family.is_none() || !applies(p) {
                continue;
            }
            self.init_slot(1, cch, p, &targets);
            let gain = live_sources
                .iter()
                .zip(&base)
                .map(|(&v, &b)| {
                    let f = in_units(p, self.slots[1].get(cch, p.arc_weights(), v));
                    if f == UNREACHABLE || b == UNREACHABLE {
                        u64::MAX
                    } else {
                        f.saturating_sub(b)
                    }
                })
                .min()
                .unwrap_or(0);
            if gain > 0 {
                gains.push((gain, i));
            }
        }
        gains.sort_unstable_by(|a, b| b.cmp(a));
        for &(_, i) in gains.iter().take(MAX_FAMILIES) {
            let slot = chosen.len();
            self.init_slot(slot, cch, &potentials[i], &targets);
            chosen.push(potentials[i]);
        }
        self.families_used = chosen.len() - 1;
        let slots = &mut self.slots;
        let mut h = |v: NodeId| -> Option<u64> {
            let mut best = 0;
            for (slot, p) in slots.iter_mut().zip(&chosen) {
                let x = slot.get(cch, p.arc_weights(), v);
                if x == UNREACHABLE {
                    return None;
                }
                let x = if p.scale == 1.0 { x } else { (x as f64 * p.scale).floor() as u64 + min_target_cost };
                best = best.max(x);
            }
            Some(best)
        };
        // keys: cost then tie-break (see [`Key`]); the potential bounds the cost part
        for (i, s) in sources.iter().enumerate() {
            let v = s.node as usize;
            let k = key_of(s.cost);
            if !r.node_ok(net, s.node) || k >= self.dist.get(v) {
                continue;
            }
            if let Some(hv) = h(s.node) {
                if self.dist.get(v) == Key::MAX {
                    self.touched.push(s.node);
                }
                self.h.set(v, hv);
                self.dist.set(v, k);
                self.origin.set(v, i as u32);
                self.heap.push(Reverse((k + key_of(hv), s.node)));
            }
        }
        let mut best: Option<(Key, NodeId, usize)> = None;
        while let Some(Reverse((key, v))) = self.heap.pop() {
            if best.is_some_and(|(b, _, _)| key >= b) {
                break;
            }
            let d = self.dist.get(v as usize);
            if key != d + key_of(self.h.get(v as usize)) {
                continue;
            }
            self.settled += 1;
            for (ti, t) in &targets {
                if t.node == v && best.is_none_or(|(b, _, _)| d + key_of(t.cost) < b) {
                    best = Some((d + key_of(t.cost), v, *ti));
                }
            }
            for (x, len, e) in net.arcs(v) {
                if !r.edge_ok(net, e) || !r.node_ok(net, x) {
                    continue;
                }
                let nd = d + metric.key(len, e);
                let xi = x as usize;
                if nd < self.dist.get(xi) {
                    let hx = if self.h.get(xi) != u64::MAX {
                        self.h.get(xi)
                    } else {
                        let Some(hx) = h(x) else { continue };
                        hx
                    };
                    if self.dist.get(xi) == Key::MAX {
                        self.touched.push(x);
                    }
                    self.h.set(xi, hx);
                    self.dist.set(xi, nd);
                    self.pred.set(xi, e);
                    self.origin.set(xi, self.origin.get(v as usize));
                    self.heap.push(Reverse((nd + key_of(hx), x)));
                }
            }
        }
        let (cost, t, target) = best?;
        let (mut nodes, mut edges) = (vec![t], Vec::new());
        let mut v = t;
        while self.pred.get(v as usize) != u32::MAX {
            let e = self.pred.get(v as usize);
            // a predecessor edge that does not touch v, or a walk longer than the graph, can
            // only come from a damaged adjacency: stop rather than loop
            if !net.touches(e, v) || edges.len() > net.node_count() {
                break;
            }
            edges.push(e);
            v = net.other_end(e, v);
            nodes.push(v);
        }
        nodes.reverse();
        edges.reverse();
        Some(Path { cost: cost_of(cost), source: self.origin.get(nodes[0] as usize) as usize, target, nodes, edges })
    }
}

impl CchSearcher {
    /// Prepares potential slot `i` for the targets under a source's weights.
    fn init_slot(&mut self, i: usize, cch: &Cch, p: &PotentialSource, targets: &[(usize, Terminal)]) {
        while self.slots.len() <= i {
            self.slots.push(Potential::new(cch.node_count()));
        }
        // exact weights carry the targets' final costs; scaled ones add the smallest afterwards
        let ts: Vec<Terminal> = targets
            .iter()
            .map(|(_, t)| Terminal { node: t.node, cost: if p.scale == 1.0 { t.cost } else { 0 } })
            .collect();
        self.slots[i].init(cch, p.arc_weights(), &ts);
    }
}
