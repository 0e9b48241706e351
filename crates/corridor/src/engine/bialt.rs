//! Bidirectional ALT for the distance metric, kept as a measured alternative: on the world
//! network it is about twice as slow as one-directional ALT (`corridor-bench`: median 11.9 vs
//! 6.0 ms, p99 225 vs 86 ms), because the average potential is weaker than either one-sided
//! bound. It stays exact and tested so that the choice can be re-measured.
//!
//! A* from both ends with the average potential A* from both ends with the average potential
//! pf(v) = (pi_t(v) - pi_s(v)) / 2, where pi_t bounds the distance from v to the targets and pi_s
//! the distance from the sources to v (landmark bounds, exact metres, consistent; see [`super::alt`]).
//! Reduced arc costs stay non-negative, so each side is a Dijkstra search and the classic
//! stopping rule applies: stop when the two queue minima add up to the best path found. Keys are
//! doubled to stay integral: key_f(v) = 2 d_f(v) + pi_t(v) - pi_s(v), key_r(v) = 2 d_r(v) + pi_s(v) - pi_t(v).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::alt::Landmarks;
use super::{Metric, Path, Restrictions, Terminal};
use crate::network::{Network, NodeId};

const NONE: u32 = u32::MAX;
const UNSET: u64 = u64::MAX;

#[derive(Debug, Clone)]
struct Side {
    dist: Vec<u64>,
    pred: Vec<u32>,
    origin: Vec<u32>,
    heap: BinaryHeap<Reverse<(i64, NodeId)>>,
}

impl Side {
    fn new(n: usize) -> Side {
        Side { dist: vec![u64::MAX; n], pred: vec![NONE; n], origin: vec![NONE; n], heap: BinaryHeap::new() }
    }
    fn trace(&self, net: &Network, v: NodeId) -> (Vec<NodeId>, Vec<u32>) {
        super::trace_back(net, &self.pred, v)
    }
}

/// Reusable state for bidirectional ALT searches on one network.
#[derive(Debug, Clone)]
pub struct BiAltSearcher {
    fwd: Side,
    bwd: Side,
    /// Cached potentials of touched nodes: bound to the targets and from the sources.
    pi_t: Vec<u64>,
    pi_s: Vec<u64>,
    touched: Vec<NodeId>,
    /// Nodes settled by the last query, both sides.
    pub settled: usize,
}

impl BiAltSearcher {
    pub fn new(net: &Network) -> BiAltSearcher {
        let n = net.node_count();
        BiAltSearcher {
            fwd: Side::new(n),
            bwd: Side::new(n),
            pi_t: vec![UNSET; n],
            pi_s: vec![UNSET; n],
            touched: Vec::new(),
            settled: 0,
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            let v = v as usize;
            for s in [&mut self.fwd, &mut self.bwd] {
                s.dist[v] = u64::MAX;
                s.pred[v] = NONE;
                s.origin[v] = NONE;
            }
            self.pi_t[v] = UNSET;
            self.pi_s[v] = UNSET;
        }
        self.touched.clear();
        self.fwd.heap.clear();
        self.bwd.heap.clear();
        self.settled = 0;
    }

    /// Potentials of v (pi_t, pi_s), or None if v is provably cut off from the targets or the
    /// sources. Computed once per node and query.
    fn potentials(
        &mut self,
        lm: &Landmarks,
        v: NodeId,
        sources: &[Terminal],
        targets: &[Terminal],
    ) -> Option<(u64, u64)> {
        let vi = v as usize;
        if self.pi_t[vi] == UNSET {
            let bound = |ts: &[Terminal]| ts.iter().filter_map(|t| lm.lower_bound(v, t.node).map(|b| b + t.cost)).min();
            let (t, s) = (bound(targets)?, bound(sources)?);
            self.pi_t[vi] = t;
            self.pi_s[vi] = s;
            if self.fwd.dist[vi] == u64::MAX && self.bwd.dist[vi] == u64::MAX {
                self.touched.push(v);
            }
        }
        Some((self.pi_t[vi], self.pi_s[vi]))
    }

    /// Exact shortest path by distance (equal in cost to plain Dijkstra) under `r`.
    pub fn shortest_path(
        &mut self,
        net: &Network,
        lm: &Landmarks,
        r: &Restrictions,
        sources: &[Terminal],
        targets: &[Terminal],
    ) -> Option<Path> {
        self.reset();
        let metric = Metric::Length;
        // Excluded terminals still take part in the bounds (a minimum over more terminals is
        // smaller, so still a valid, consistent bound) but are never entered.
        let (sources, targets) = (sources.to_vec(), targets.to_vec());
        // best: (cost, meeting node)
        let mut best: Option<(u64, NodeId)> = None;
        for forward in [true, false] {
            let terms = if forward { &sources } else { &targets };
            for (i, t) in terms.iter().enumerate() {
                if !r.node_ok(net, t.node) {
                    continue;
                }
                let Some((pt, ps)) = self.potentials(lm, t.node, &sources, &targets) else { continue };
                let side = if forward { &mut self.fwd } else { &mut self.bwd };
                let v = t.node as usize;
                if t.cost < side.dist[v] {
                    side.dist[v] = t.cost;
                    side.origin[v] = i as u32;
                    let pot = if forward { pt as i64 - ps as i64 } else { ps as i64 - pt as i64 };
                    side.heap.push(Reverse((2 * t.cost as i64 + pot, t.node)));
                }
            }
        }
        for t in targets.iter().filter(|t| r.node_ok(net, t.node)) {
            let (df, db) = (self.fwd.dist[t.node as usize], self.bwd.dist[t.node as usize]);
            if df != u64::MAX && db != u64::MAX && best.is_none_or(|(b, _)| df + db < b) {
                best = Some((df + db, t.node));
            }
        }
        loop {
            let top = |s: &mut Side, pi_t: &[u64], pi_s: &[u64], forward: bool| -> Option<i64> {
                while let Some(&Reverse((k, v))) = s.heap.peek() {
                    let vi = v as usize;
                    let pot =
                        if forward { pi_t[vi] as i64 - pi_s[vi] as i64 } else { pi_s[vi] as i64 - pi_t[vi] as i64 };
                    if k != 2 * s.dist[vi] as i64 + pot {
                        s.heap.pop();
                    } else {
                        return Some(k);
                    }
                }
                None
            };
            let tf = top(&mut self.fwd, &self.pi_t, &self.pi_s, true);
            let tb = top(&mut self.bwd, &self.pi_t, &self.pi_s, false);
            let (Some(tf), Some(tb)) = (tf, tb) else { break };
            if best.is_some_and(|(b, _)| tf + tb >= 2 * b as i64) {
                break;
            }
            let forward = tf <= tb;
            let Reverse((_, v)) =
                if forward { self.fwd.heap.pop() } else { self.bwd.heap.pop() }.expect("top was Some");
            self.settled += 1;
            let d = if forward { self.fwd.dist[v as usize] } else { self.bwd.dist[v as usize] };
            for (w, len, e) in net.arcs(v) {
                if !r.edge_ok(net, e) || !r.node_ok(net, w) {
                    continue;
                }
                let nd = d + metric.weight(len, e) as u64;
                let wi = w as usize;
                let current = if forward { self.fwd.dist[wi] } else { self.bwd.dist[wi] };
                if nd < current {
                    let Some((pt, ps)) = self.potentials(lm, w, &sources, &targets) else { continue };
                    let (this, pot) = if forward {
                        (&mut self.fwd, pt as i64 - ps as i64)
                    } else {
                        (&mut self.bwd, ps as i64 - pt as i64)
                    };
                    this.dist[wi] = nd;
                    this.pred[wi] = e;
                    this.origin[wi] = this.origin[v as usize];
                    this.heap.push(Reverse((2 * nd as i64 + pot, w)));
                }
                let (df, db) = (self.fwd.dist[wi], self.bwd.dist[wi]);
                if df != u64::MAX && db != u64::MAX && best.is_none_or(|(b, _)| df + db < b) {
                    best = Some((df + db, w));
                }
            }
        }
        let (cost, meet) = best?;
        let (mut nodes, mut edges) = self.fwd.trace(net, meet);
        nodes.reverse();
        edges.reverse();
        let (bn, be) = self.bwd.trace(net, meet);
        nodes.extend_from_slice(&bn[1..]);
        edges.extend_from_slice(&be);
        let source = self.fwd.origin[nodes[0] as usize] as usize;
        let target = self.bwd.origin[*nodes.last().unwrap() as usize] as usize;
        Some(Path { cost, source, target, nodes, edges })
    }
}
