//! One-to-many Dijkstra: from weighted sources to every target of a set, stopping once all
//! targets are settled. The building block of distance matrices.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Metric, Restrictions, Terminal};
use crate::network::{Network, NodeId};

/// Reusable state for one-to-many searches (one per thread).
#[derive(Debug, Clone)]
pub struct ManySearcher {
    dist: Vec<u64>,
    origin: Vec<u32>,
    /// Number of targets (terminal slots) at each node, reset after each query.
    target_count: Vec<u32>,
    touched: Vec<NodeId>,
}

/// A target reached: the total cost (source cost + path + target cost) and the source used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub total: u64,
    pub source: usize,
}

impl ManySearcher {
    pub fn new(net: &Network) -> ManySearcher {
        let n = net.node_count();
        ManySearcher {
            dist: vec![u64::MAX; n],
            origin: vec![u32::MAX; n],
            target_count: vec![0; n],
            touched: Vec::new(),
        }
    }

    /// For each target terminal, the cheapest way to reach it from any source (None if
    /// unreachable under `r`). Equal to running [`super::reference::shortest_path`] per target.
    pub fn search(
        &mut self,
        net: &Network,
        r: &Restrictions,
        metric: Metric,
        sources: &[Terminal],
        targets: &[Terminal],
    ) -> Vec<Option<Reached>> {
        self.run(net, r, metric, sources, targets, usize::MAX);
        let out = targets
            .iter()
            .map(|t| {
                let d = self.dist[t.node as usize];
                (r.node_ok(net, t.node) && d != u64::MAX)
                    .then(|| Reached { total: d + t.cost, source: self.origin[t.node as usize] as usize })
            })
            .collect();
        for t in targets {
            self.target_count[t.node as usize] = 0;
        }
        out
    }

    /// The `k` target nodes reached first from the sources (the nearest under `metric`, target
    /// costs not counted), nearest first, with their distances. Stops once `k` are settled, so
    /// it costs a fraction of [`ManySearcher::search`] when the targets are many and spread out.
    pub fn nearest(
        &mut self,
        net: &Network,
        r: &Restrictions,
        metric: Metric,
        sources: &[Terminal],
        targets: &[Terminal],
        k: usize,
    ) -> Vec<(NodeId, u64)> {
        let settled = self.run(net, r, metric, sources, targets, k);
        for t in targets {
            self.target_count[t.node as usize] = 0;
        }
        settled.into_iter().map(|v| (v, self.dist[v as usize])).collect()
    }

    /// Dijkstra from the sources until `limit` distinct target nodes are settled (or all are);
    /// returns the settled target nodes in order.
    fn run(
        &mut self,
        net: &Network,
        r: &Restrictions,
        metric: Metric,
        sources: &[Terminal],
        targets: &[Terminal],
        limit: usize,
    ) -> Vec<NodeId> {
        for &v in &self.touched {
            self.dist[v as usize] = u64::MAX;
            self.origin[v as usize] = u32::MAX;
        }
        self.touched.clear();
        let mut remaining = 0usize;
        for t in targets {
            if r.node_ok(net, t.node) {
                if self.target_count[t.node as usize] == 0 {
                    remaining += 1;
                }
                self.target_count[t.node as usize] += 1;
            }
        }
        let mut settled = Vec::new();
        let mut heap = BinaryHeap::new();
        for (i, s) in sources.iter().enumerate() {
            let v = s.node as usize;
            if r.node_ok(net, s.node) && s.cost < self.dist[v] {
                if self.dist[v] == u64::MAX {
                    self.touched.push(s.node);
                }
                self.dist[v] = s.cost;
                self.origin[v] = i as u32;
                heap.push(Reverse((s.cost, s.node)));
            }
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > self.dist[v as usize] {
                continue;
            }
            if self.target_count[v as usize] > 0 {
                settled.push(v);
                remaining -= 1;
                if remaining == 0 || settled.len() >= limit {
                    break;
                }
            }
            for (w, len, e) in net.arcs(v) {
                if !r.edge_ok(net, e) || !r.node_ok(net, w) {
                    continue;
                }
                let nd = d + metric.weight(len, e) as u64;
                if nd < self.dist[w as usize] {
                    if self.dist[w as usize] == u64::MAX {
                        self.touched.push(w);
                    }
                    self.dist[w as usize] = nd;
                    self.origin[w as usize] = self.origin[v as usize];
                    heap.push(Reverse((nd, w)));
                }
            }
        }
        settled
    }
}
