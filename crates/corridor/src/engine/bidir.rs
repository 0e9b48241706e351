//! Bidirectional Dijkstra with multiple weighted sources and targets.
//!
//! The forward search grows from the sources, the backward search from the targets (edges are
//! undirected, so both read the same adjacency). Every relaxation that reaches a node labelled by
//! the other side proposes a path; the search stops when the two queue minima add up to at least
//! the best proposal, which is the classic exact stopping rule. A [`Searcher`] keeps its arrays
//! between queries and resets only what it touched, so repeated queries cost no allocation.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{cost_of, key_of, Key, Metric, Path, Restrictions, Terminal};
use crate::network::{Network, NodeId};

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Side {
    /// Keys (cost, then the common tie-break: see [`Key`]).
    dist: Vec<Key>,
    pred: Vec<u32>,
    origin: Vec<u32>,
    touched: Vec<NodeId>,
    heap: BinaryHeap<Reverse<(Key, NodeId)>>,
}

impl Side {
    fn new(n: usize) -> Side {
        Side {
            dist: vec![Key::MAX; n],
            pred: vec![NONE; n],
            origin: vec![NONE; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }
    fn reset(&mut self) {
        for &v in &self.touched {
            self.dist[v as usize] = Key::MAX;
            self.pred[v as usize] = NONE;
            self.origin[v as usize] = NONE;
        }
        self.touched.clear();
        self.heap.clear();
    }
    fn seed(&mut self, net: &Network, r: &Restrictions, terminals: &[Terminal]) {
        for (i, t) in terminals.iter().enumerate() {
            let v = t.node as usize;
            let k = key_of(t.cost);
            if r.node_ok(net, t.node) && k < self.dist[v] {
                if self.dist[v] == Key::MAX {
                    self.touched.push(t.node);
                }
                self.dist[v] = k;
                self.origin[v] = i as u32;
                self.heap.push(Reverse((k, t.node)));
            }
        }
    }
    fn top(&mut self) -> Option<Key> {
        while let Some(&Reverse((d, v))) = self.heap.peek() {
            if d > self.dist[v as usize] {
                self.heap.pop();
            } else {
                return Some(d);
            }
        }
        None
    }
    /// Walks predecessors from `v` back to the terminal the label came from.
    fn trace(&self, net: &Network, v: NodeId) -> (Vec<NodeId>, Vec<u32>) {
        super::trace_back(net, &self.pred, v)
    }
}

/// Reusable state for bidirectional searches on one network.
#[derive(Debug, Clone)]
pub struct Searcher {
    fwd: Side,
    bwd: Side,
    /// Nodes settled by the last query (both directions), for statistics and benchmarks.
    pub settled: usize,
}

impl Searcher {
    pub fn new(net: &Network) -> Searcher {
        Searcher { fwd: Side::new(net.node_count()), bwd: Side::new(net.node_count()), settled: 0 }
    }

    /// Shortest path from any source to any target under `r`; equal in cost to
    /// [`super::reference::shortest_path`].
    pub fn shortest_path(
        &mut self,
        net: &Network,
        r: &Restrictions,
        metric: Metric,
        sources: &[Terminal],
        targets: &[Terminal],
    ) -> Option<Path> {
        self.fwd.reset();
        self.bwd.reset();
        self.settled = 0;
        self.fwd.seed(net, r, sources);
        self.bwd.seed(net, r, targets);
        // best: (cost, meeting node)
        let mut best: Option<(Key, NodeId)> = None;
        for &t in &self.fwd.touched {
            let (df, db) = (self.fwd.dist[t as usize], self.bwd.dist[t as usize]);
            if db != Key::MAX && best.is_none_or(|(b, _)| df + db < b) {
                best = Some((df + db, t));
            }
        }
        loop {
            let (tf, tb) = (self.fwd.top(), self.bwd.top());
            let (Some(tf), Some(tb)) = (tf, tb) else {
                break;
            };
            if best.is_some_and(|(b, _)| tf.saturating_add(tb) >= b) {
                break;
            }
            let forward = tf <= tb;
            let (this, other) = if forward { (&mut self.fwd, &self.bwd) } else { (&mut self.bwd, &self.fwd) };
            let Reverse((d, v)) = this.heap.pop().expect("top was Some");
            self.settled += 1;
            for (w, len, e) in net.arcs(v) {
                if !r.edge_ok(net, e) || !r.node_ok(net, w) {
                    continue;
                }
                let nd = d + metric.key(len, e);
                let wi = w as usize;
                if nd < this.dist[wi] {
                    if this.dist[wi] == Key::MAX {
                        this.touched.push(w);
                    }
                    this.dist[wi] = nd;
                    this.pred[wi] = e;
                    this.origin[wi] = this.origin[v as usize];
                    this.heap.push(Reverse((nd, w)));
                }
                let ow = other.dist[wi];
                if ow != Key::MAX {
                    let total = this.dist[wi] + ow;
                    if best.is_none_or(|(b, _)| total < b) {
                        best = Some((total, w));
                    }
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
        Some(Path { cost: cost_of(cost), source, target, nodes, edges })
    }
}
