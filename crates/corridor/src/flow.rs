//! Network-flow algorithms on small directed graphs with integer capacities and costs: maximum
//! flow by Dinic's algorithm with the minimum cut it certifies, and minimum-cost flow by
//! successive shortest paths with Johnson potentials (Dijkstra on reduced costs).
//!
//! These run on the corridor-level graphs of [`crate::capacity`] (tens to thousands of arcs),
//! not on the 850k-node world network. Capacities are `i64` (TEU per year); [`INF`] marks an
//! uncapacitated arc. Costs must be non-negative (they are per-TEU route costs), so the initial
//! potentials are zero and every reduced cost stays non-negative.

use std::collections::VecDeque;

/// Capacity of an uncapacitated arc. Large enough that no sum of finite capacities reaches it,
/// small enough that sums of a few never overflow.
pub const INF: i64 = i64::MAX / 8;

#[derive(Debug, Clone)]
struct Arc {
    to: usize,
    cap: i64,
    cost: i64,
}

/// A directed graph with residual arcs; arc `2i` is the i-th added arc, `2i+1` its reverse.
#[derive(Debug, Clone)]
pub struct FlowGraph {
    adj: Vec<Vec<usize>>,
    arcs: Vec<Arc>,
    original_cap: Vec<i64>,
}

/// Result of a maximum-flow computation.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxFlow {
    /// The flow value; at least [`INF`] means unbounded (an uncapacitated source-sink path).
    pub value: i64,
    /// Arcs (ids as returned by [`FlowGraph::add_arc`]) of a minimum cut: from the nodes the
    /// source still reaches in the residual graph to the others. Their capacities sum to `value`.
    pub cut: Vec<usize>,
}

impl FlowGraph {
    pub fn new(nodes: usize) -> FlowGraph {
        FlowGraph { adj: vec![Vec::new(); nodes], arcs: Vec::new(), original_cap: Vec::new() }
    }

    pub fn node_count(&self) -> usize {
        self.adj.len()
    }

    /// Adds a node and returns its id.
    pub fn add_node(&mut self) -> usize {
        self.adj.push(Vec::new());
        self.adj.len() - 1
    }

    /// Adds an arc `from -> to` with a capacity (>= 0) and a cost per unit (>= 0); returns its id.
    pub fn add_arc(&mut self, from: usize, to: usize, cap: i64, cost: i64) -> usize {
        assert!(cap >= 0 && cost >= 0, "capacities and costs are non-negative");
        let id = self.original_cap.len();
        self.adj[from].push(self.arcs.len());
        self.arcs.push(Arc { to, cap, cost });
        self.adj[to].push(self.arcs.len());
        self.arcs.push(Arc { to: from, cap: 0, cost: -cost });
        self.original_cap.push(cap);
        id
    }

    /// Flow currently on arc `id`.
    pub fn flow(&self, id: usize) -> i64 {
        self.original_cap[id] - self.arcs[2 * id].cap
    }

    /// Capacity the arc was added with.
    pub fn capacity(&self, id: usize) -> i64 {
        self.original_cap[id]
    }

    /// (from, to) of arc `id`.
    pub fn ends(&self, id: usize) -> (usize, usize) {
        (self.arcs[2 * id + 1].to, self.arcs[2 * id].to)
    }

    /// Maximum flow from `s` to `t` (Dinic), then the minimum cut from the final residual graph.
    pub fn max_flow(&mut self, s: usize, t: usize) -> MaxFlow {
        let n = self.adj.len();
        let mut value: i64 = 0;
        let mut level = vec![usize::MAX; n];
        let mut next = vec![0usize; n];
        loop {
            level.fill(usize::MAX);
            level[s] = 0;
            let mut q = VecDeque::from([s]);
            while let Some(u) = q.pop_front() {
                for &a in &self.adj[u] {
                    let v = self.arcs[a].to;
                    if self.arcs[a].cap > 0 && level[v] == usize::MAX {
                        level[v] = level[u] + 1;
                        q.push_back(v);
                    }
                }
            }
            if level[t] == usize::MAX || value >= INF {
                break;
            }
            next.fill(0);
            loop {
                let pushed = self.dfs(s, t, INF, &level, &mut next);
                if pushed == 0 {
                    break;
                }
                value = value.saturating_add(pushed);
                if value >= INF {
                    break;
                }
            }
        }
        // minimum cut: arcs leaving the residual-reachable side
        let seen = self.reachable(s);
        let cut = (0..self.original_cap.len())
            .filter(|&id| {
                let (u, v) = self.ends(id);
                seen[u] && !seen[v] && self.original_cap[id] > 0
            })
            .collect();
        MaxFlow { value: value.min(INF), cut }
    }

    /// Nodes reachable from `s` in the residual graph (the source side of the minimum cut after
    /// [`FlowGraph::max_flow`]).
    pub fn reachable(&self, s: usize) -> Vec<bool> {
        let mut seen = vec![false; self.adj.len()];
        seen[s] = true;
        let mut q = VecDeque::from([s]);
        while let Some(u) = q.pop_front() {
            for &a in &self.adj[u] {
                let v = self.arcs[a].to;
                if self.arcs[a].cap > 0 && !seen[v] {
                    seen[v] = true;
                    q.push_back(v);
                }
            }
        }
        seen
    }

    fn dfs(&mut self, u: usize, t: usize, limit: i64, level: &[usize], next: &mut [usize]) -> i64 {
        if u == t {
            return limit;
        }
        while next[u] < self.adj[u].len() {
            let a = self.adj[u][next[u]];
            let v = self.arcs[a].to;
            if self.arcs[a].cap > 0 && level[v] == level[u] + 1 {
                let d = self.dfs(v, t, limit.min(self.arcs[a].cap), level, next);
                if d > 0 {
                    self.arcs[a].cap -= d;
                    self.arcs[a ^ 1].cap += d;
                    return d;
                }
            }
            next[u] += 1;
        }
        0
    }

    /// Sends up to `amount` units from `s` to `t` at minimum total cost (successive shortest
    /// paths with potentials). Returns (units sent, total cost). Optimal for the amount sent:
    /// each augmentation follows a cheapest residual path, so no negative cycle ever appears.
    pub fn min_cost_flow(&mut self, s: usize, t: usize, amount: i64) -> (i64, i64) {
        let n = self.adj.len();
        let mut potential = vec![0i64; n];
        let (mut sent, mut cost) = (0i64, 0i64);
        while sent < amount {
            // Dijkstra on reduced costs
            let mut dist = vec![i64::MAX; n];
            let mut via = vec![usize::MAX; n];
            dist[s] = 0;
            let mut heap = std::collections::BinaryHeap::new();
            heap.push(std::cmp::Reverse((0i64, s)));
            while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
                if d > dist[u] {
                    continue;
                }
                for &a in &self.adj[u] {
                    let arc = &self.arcs[a];
                    if arc.cap <= 0 {
                        continue;
                    }
                    let nd = d + arc.cost + potential[u] - potential[arc.to];
                    if nd < dist[arc.to] {
                        dist[arc.to] = nd;
                        via[arc.to] = a;
                        heap.push(std::cmp::Reverse((nd, arc.to)));
                    }
                }
            }
            if dist[t] == i64::MAX {
                break;
            }
            for v in 0..n {
                if dist[v] != i64::MAX {
                    potential[v] += dist[v];
                }
            }
            let mut push = amount - sent;
            let mut v = t;
            while v != s {
                let a = via[v];
                push = push.min(self.arcs[a].cap);
                v = self.arcs[a ^ 1].to;
            }
            let mut v = t;
            while v != s {
                let a = via[v];
                self.arcs[a].cap -= push;
                self.arcs[a ^ 1].cap += push;
                cost += push * self.arcs[a].cost;
                v = self.arcs[a ^ 1].to;
            }
            sent += push;
        }
        (sent, cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CLRS figure 26.1: the classic 6-node network whose maximum flow is 23.
    #[test]
    fn max_flow_equals_min_cut_on_the_textbook_network() {
        let mut g = FlowGraph::new(6);
        let (s, v1, v2, v3, v4, t) = (0, 1, 2, 3, 4, 5);
        let arcs = [
            (s, v1, 16),
            (s, v2, 13),
            (v2, v1, 4),
            (v1, v3, 12),
            (v3, v2, 9),
            (v2, v4, 14),
            (v4, v3, 7),
            (v3, t, 20),
            (v4, t, 4),
        ];
        for (a, b, c) in arcs {
            g.add_arc(a, b, c, 0);
        }
        let f = g.max_flow(s, t);
        assert_eq!(f.value, 23);
        let cut_cap: i64 = f.cut.iter().map(|&id| g.capacity(id)).sum();
        assert_eq!(cut_cap, 23, "max flow = min cut");
        // the cut is {v1->v3, v4->v3, v4->t}
        let mut ends: Vec<(usize, usize)> = f.cut.iter().map(|&id| g.ends(id)).collect();
        ends.sort();
        assert_eq!(ends, vec![(v1, v3), (v4, v3), (v4, t)]);
    }

    #[test]
    fn removing_a_bridge_disconnects_and_unbounded_paths_are_flagged() {
        // s -> a -> b -> t where a->b is the only link (a bridge)
        let mut g = FlowGraph::new(4);
        g.add_arc(0, 1, INF, 0);
        let bridge = g.add_arc(1, 2, 7, 0);
        g.add_arc(2, 3, INF, 0);
        let f = g.max_flow(0, 3);
        assert_eq!((f.value, f.cut.clone()), (7, vec![bridge]));
        let mut g2 = FlowGraph::new(4);
        g2.add_arc(0, 1, INF, 0);
        g2.add_arc(2, 3, INF, 0);
        assert_eq!(g2.max_flow(0, 3).value, 0);
        let mut g3 = FlowGraph::new(2);
        g3.add_arc(0, 1, INF, 0);
        assert!(g3.max_flow(0, 1).value >= INF);
    }

    #[test]
    fn min_cost_flow_respects_capacities_and_is_optimal() {
        // two routes s->t: cheap (cost 1, cap 4) and dear (cost 3, cap 10), plus a shortcut
        // through a shared node that costs 2 but is limited to 3.
        let mut g = FlowGraph::new(4);
        let cheap = g.add_arc(0, 3, 4, 1);
        let dear = g.add_arc(0, 3, 10, 3);
        let a = g.add_arc(0, 1, 3, 1);
        let b = g.add_arc(1, 3, 5, 1);
        let (sent, cost) = g.min_cost_flow(0, 3, 9);
        assert_eq!(sent, 9);
        // optimum: 4 at 1 + 3 at 2 + 2 at 3 = 4 + 6 + 6 = 16
        assert_eq!(cost, 16);
        assert_eq!((g.flow(cheap), g.flow(a), g.flow(b), g.flow(dear)), (4, 3, 3, 2));
        // more than the capacity: only 17 go through
        let mut g = FlowGraph::new(2);
        g.add_arc(0, 1, 7, 2);
        g.add_arc(0, 1, 10, 5);
        assert_eq!(g.min_cost_flow(0, 1, 100), (17, 64));
    }

    /// Brute force on random small graphs: max flow equals the cheapest s-t cut over all subsets.
    #[test]
    fn max_flow_equals_brute_force_min_cut() {
        let mut seed = 0x2545F4914F6CDD1Du64;
        let mut rnd = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..200 {
            let n = 2 + rnd(5) as usize;
            let mut g = FlowGraph::new(n);
            let mut arcs = Vec::new();
            for _ in 0..rnd(12) {
                let (a, b, c) = (rnd(n as u64) as usize, rnd(n as u64) as usize, rnd(10) as i64);
                if a != b {
                    g.add_arc(a, b, c, 0);
                    arcs.push((a, b, c));
                }
            }
            let f = g.max_flow(0, n - 1);
            let mut best = i64::MAX;
            for mask in 0..(1u32 << n) {
                if mask & 1 == 0 || mask & (1 << (n - 1)) != 0 {
                    continue;
                }
                let c: i64 =
                    arcs.iter().filter(|(a, b, _)| mask & (1 << a) != 0 && mask & (1 << b) == 0).map(|x| x.2).sum();
                best = best.min(c);
            }
            assert_eq!(f.value, best);
            assert_eq!(f.cut.iter().map(|&id| g.capacity(id)).sum::<i64>(), best);
        }
    }
}
