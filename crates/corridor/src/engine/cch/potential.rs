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

use super::{Cch, UpSearch, INF};
use crate::engine::{Metric, Path, Restrictions, Terminal};
use crate::network::{Network, NodeId};

const UNKNOWN: u64 = u64::MAX - 1;
const UNREACHABLE: u64 = u64::MAX;

/// Lazily evaluated exact distances to a target set on customized weights.
#[derive(Debug, Clone)]
pub struct Potential {
    back: UpSearch,
    /// By rank: UNKNOWN until evaluated, UNREACHABLE if no target can be reached.
    pot: Vec<u64>,
    evaluated: Vec<u32>,
    stack: Vec<u32>,
}

impl Potential {
    pub fn new(n: usize) -> Potential {
        Potential { back: UpSearch::new(n), pot: vec![UNKNOWN; n], evaluated: Vec::new(), stack: Vec::new() }
    }

    /// Prepares for a new target set (node, final cost).
    pub fn init(&mut self, cch: &Cch, w: &[u32], targets: &[Terminal]) {
        for &r in &self.evaluated {
            self.pot[r as usize] = UNKNOWN;
        }
        self.evaluated.clear();
        self.back.run(cch, w, targets.iter().enumerate().map(|(i, t)| (t.node, t.cost, i as u32)));
    }

    /// Exact distance from node `v` to the nearest target (plus its final cost) on the
    /// customized weights; u64::MAX if none is reachable.
    pub fn get(&mut self, cch: &Cch, w: &[u32], v: NodeId) -> u64 {
        let r = cch.rank[v as usize];
        if self.pot[r as usize] != UNKNOWN {
            return self.pot[r as usize];
        }
        let (up_first, up_head) = (&*cch.up_first, &*cch.up_head);
        self.stack.push(r);
        while let Some(&x) = self.stack.last() {
            if self.pot[x as usize] != UNKNOWN {
                self.stack.pop();
                continue;
            }
            let (s, e) = (up_first[x as usize] as usize, up_first[x as usize + 1] as usize);
            let mut ready = true;
            for a in s..e {
                let y = up_head[a];
                if self.pot[y as usize] == UNKNOWN && w[a] != INF {
                    self.stack.push(y);
                    ready = false;
                }
            }
            if !ready {
                continue;
            }
            let mut best = self.back.dist[x as usize];
            for a in s..e {
                if w[a] == INF {
                    continue;
                }
                let py = self.pot[up_head[a] as usize];
                if py != UNREACHABLE {
                    best = best.min(py + w[a] as u64);
                }
            }
            self.pot[x as usize] = best;
            self.evaluated.push(x);
            self.stack.pop();
        }
        self.pot[r as usize]
    }
}

/// Reusable A* state with a CCH potential.
#[derive(Debug, Clone)]
pub struct CchSearcher {
    potential: Potential,
    dist: Vec<u64>,
    /// h(v) of touched nodes (scaled potential).
    h: Vec<u64>,
    pred: Vec<u32>,
    origin: Vec<u32>,
    touched: Vec<NodeId>,
    heap: BinaryHeap<Reverse<(u64, NodeId)>>,
    /// Nodes settled by the last query.
    pub settled: usize,
}

impl CchSearcher {
    pub fn new(net: &Network) -> CchSearcher {
        let n = net.node_count();
        CchSearcher {
            potential: Potential::new(n),
            dist: vec![u64::MAX; n],
            h: vec![u64::MAX; n],
            pred: vec![u32::MAX; n],
            origin: vec![u32::MAX; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            settled: 0,
        }
    }

    /// Exact shortest path under `r` and `metric` (equal in cost to plain Dijkstra). `w` is the
    /// CCH customized for an unrestricted metric whose every edge weight, times `scale`, is at
    /// most the edge's weight under `metric` (scale 1.0 when `w` was customized for `metric`
    /// itself; [`crate::engine::alt::min_weight_per_metre`] for length weights and another
    /// objective).
    #[allow(clippy::too_many_arguments)]
    pub fn shortest_path(
        &mut self,
        net: &Network,
        cch: &Cch,
        w: &[u32],
        scale: f64,
        r: &Restrictions,
        metric: Metric,
        sources: &[Terminal],
        targets: &[Terminal],
    ) -> Option<Path> {
        for &v in &self.touched {
            self.dist[v as usize] = u64::MAX;
            self.h[v as usize] = u64::MAX;
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
        // potential targets carry their final cost in the potential's own units
        let unscaled: Vec<Terminal> = targets
            .iter()
            .map(|(_, t)| Terminal { node: t.node, cost: if scale == 1.0 { t.cost } else { 0 } })
            .collect();
        self.potential.init(cch, w, &unscaled);
        let min_target_cost = targets.iter().map(|(_, t)| t.cost).min().unwrap_or(0);
        let pot = &mut self.potential;
        let mut h = |v: NodeId| -> Option<u64> {
            let p = pot.get(cch, w, v);
            if p == UNREACHABLE {
                None
            } else if scale == 1.0 {
                Some(p)
            } else {
                Some((p as f64 * scale).floor() as u64 + min_target_cost)
            }
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
                self.h[v] = hv;
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
            if key != d + self.h[v as usize] {
                continue;
            }
            self.settled += 1;
            for (ti, t) in &targets {
                if t.node == v && best.is_none_or(|(b, _, _)| d + t.cost < b) {
                    best = Some((d + t.cost, v, *ti));
                }
            }
            for (x, len, e) in net.arcs(v) {
                if !r.edge_ok(net, e) || !r.node_ok(net, x) {
                    continue;
                }
                let nd = d + metric.weight(len, e) as u64;
                let xi = x as usize;
                if nd < self.dist[xi] {
                    let hx = if self.h[xi] != u64::MAX {
                        self.h[xi]
                    } else {
                        let Some(hx) = h(x) else { continue };
                        hx
                    };
                    if self.dist[xi] == u64::MAX {
                        self.touched.push(x);
                    }
                    self.h[xi] = hx;
                    self.dist[xi] = nd;
                    self.pred[xi] = e;
                    self.origin[xi] = self.origin[v as usize];
                    self.heap.push(Reverse((nd + hx, x)));
                }
            }
        }
        let (cost, t, target) = best?;
        let (mut nodes, mut edges) = crate::engine::trace_back(net, &self.pred, t);
        nodes.reverse();
        edges.reverse();
        Some(Path { cost, source: self.origin[nodes[0] as usize] as usize, target, nodes, edges })
    }
}
