//! Nested dissection order for the customizable contraction hierarchy, by inertial flow.
//!
//! A CCH is only as good as its order: the number of shortcuts and the depth of the elimination
//! tree both follow from the sizes of the separators. Inertial flow (Schild and Sommer, 2015)
//! finds small balanced separators on road-like graphs with coordinates: project the nodes on a
//! direction, take the first and last quarter as sources and sinks, and compute a minimum
//! vertex cut between them by max flow (unit node capacities, augmenting paths). Of four
//! directions the smallest cut wins. The separator gets the highest ranks of its cell, and the
//! two sides are ordered recursively (in parallel with rayon). Disconnected parts need no
//! separator. The order depends only on the graph, never on a metric, so one order serves every
//! exclusion set and every objective.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

/// Cells at most this large are ordered by minimum degree instead of being dissected further.
const LEAF: usize = 48;
/// Share of the projected nodes that forms the source and the sink set of a cut.
const ALPHA: f64 = 0.25;
/// Cells larger than this recurse in parallel.
const PARALLEL: usize = 20_000;
const NONE: u32 = u32::MAX;

/// An undirected graph as adjacency lists (both directions listed) with planar coordinates.
pub struct Graph<'a> {
    pub first_out: &'a [u32],
    pub head: &'a [u32],
    /// (x, y) per node, e.g. (longitude, latitude).
    pub coords: &'a [[f32; 2]],
}

/// Computes a nested dissection order: `order[rank] = node`, a permutation of the nodes.
/// `progress` is called with the number of nodes ordered so far (from any thread).
pub fn nested_dissection(g: &Graph, progress: &(dyn Fn(usize) + Sync)) -> Vec<u32> {
    let n = g.first_out.len() - 1;
    let ctx = Ctx { g, local: (0..n).map(|_| AtomicU32::new(NONE)).collect(), done: AtomicUsize::new(0), progress };
    let nodes: Vec<u32> = (0..n as u32).collect();
    let order = ctx.dissect(nodes);
    debug_assert_eq!(order.len(), n);
    order
}

struct Ctx<'a> {
    g: &'a Graph<'a>,
    /// Global node -> local index in the cell being processed. Cells processed at the same time
    /// are disjoint, so each entry is written by one cell at a time.
    local: Vec<AtomicU32>,
    done: AtomicUsize,
    progress: &'a (dyn Fn(usize) + Sync),
}

/// A cell's induced subgraph in local indices.
struct Cell {
    nodes: Vec<u32>,
    first: Vec<u32>,
    adj: Vec<u32>,
}

impl Ctx<'_> {
    fn finished(&self, k: usize) {
        let d = self.done.fetch_add(k, Ordering::Relaxed) + k;
        (self.progress)(d);
    }

    /// Orders the cell `nodes` (any connectivity): returns them in contraction order.
    fn dissect(&self, nodes: Vec<u32>) -> Vec<u32> {
        if nodes.len() <= LEAF {
            let cell = self.induce(nodes);
            let order = min_degree(&cell);
            self.finished(order.len());
            return order;
        }
        let cell = self.induce(nodes);
        let comps = components(&cell);
        if comps.len() > 1 {
            return self
                .dissect_all(comps.into_iter().map(|c| c.into_iter().map(|i| cell.nodes[i as usize]).collect()));
        }
        let sep = self.best_separator(&cell);
        let mut in_sep = vec![false; cell.nodes.len()];
        for &s in &sep {
            in_sep[s as usize] = true;
        }
        let rest: Vec<u32> = (0..cell.nodes.len()).filter(|&i| !in_sep[i]).map(|i| cell.nodes[i]).collect();
        let sep_nodes: Vec<u32> = sep.iter().map(|&i| cell.nodes[i as usize]).collect();
        drop(cell);
        self.finished(sep_nodes.len());
        let mut order = self.dissect(rest);
        order.extend(sep_nodes);
        order
    }

    /// Orders several independent cells (no edges between them) one after the other.
    fn dissect_all(&self, cells: impl Iterator<Item = Vec<u32>>) -> Vec<u32> {
        let mut cells: Vec<Vec<u32>> = cells.collect();
        cells.sort_by_key(|c| std::cmp::Reverse(c.len()));
        let big: usize = cells.iter().filter(|c| c.len() > PARALLEL).count();
        if big >= 2 {
            // the two largest in parallel, the rest after
            let rest = cells.split_off(2);
            let second = cells.pop().unwrap();
            let first = cells.pop().unwrap();
            let (mut a, b) = rayon::join(|| self.dissect(first), || self.dissect(second));
            a.extend(b);
            for c in rest {
                a.extend(self.dissect(c));
            }
            a
        } else {
            cells.into_iter().flat_map(|c| self.dissect(c)).collect()
        }
    }

    /// The induced subgraph of `nodes`, without self loops and parallel arcs.
    fn induce(&self, nodes: Vec<u32>) -> Cell {
        for (i, &v) in nodes.iter().enumerate() {
            self.local[v as usize].store(i as u32, Ordering::Relaxed);
        }
        let mut first = Vec::with_capacity(nodes.len() + 1);
        let mut adj = Vec::new();
        first.push(0);
        for (i, &v) in nodes.iter().enumerate() {
            let start = adj.len();
            for a in self.g.first_out[v as usize]..self.g.first_out[v as usize + 1] {
                let w = self.g.head[a as usize];
                let lw = self.local[w as usize].load(Ordering::Relaxed);
                if lw != NONE && lw != i as u32 && (lw as usize) < nodes.len() && nodes[lw as usize] == w {
                    adj.push(lw);
                }
            }
            adj[start..].sort_unstable();
            let mut k = start;
            for j in start..adj.len() {
                if j == start || adj[j] != adj[k - 1] {
                    adj[k] = adj[j];
                    k += 1;
                }
            }
            adj.truncate(k);
            first.push(adj.len() as u32);
        }
        Cell { nodes, first, adj }
    }

    /// The smallest vertex separator over four projection directions.
    fn best_separator(&self, cell: &Cell) -> Vec<u32> {
        const S: f32 = std::f32::consts::FRAC_1_SQRT_2;
        const DIRS: [[f32; 2]; 4] = [[1.0, 0.0], [0.0, 1.0], [S, S], [S, -S]];
        let mut best: Option<Vec<u32>> = None;
        for d in DIRS {
            let cap = best.as_ref().map_or(usize::MAX, |b| b.len());
            if let Some(sep) = self.cut_along(cell, d, cap) {
                if sep.len() < cap {
                    best = Some(sep);
                }
            }
        }
        best.expect("the first direction has no cap")
    }

    /// Minimum vertex cut between the first and last ALPHA share of the nodes projected on `dir`;
    /// None if it would exceed `cap` nodes.
    fn cut_along(&self, cell: &Cell, dir: [f32; 2], cap: usize) -> Option<Vec<u32>> {
        let k = cell.nodes.len();
        let mut by_proj: Vec<(f32, u32)> = cell
            .nodes
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let c = self.g.coords[v as usize];
                (c[0] * dir[0] + c[1] * dir[1], i as u32)
            })
            .collect();
        by_proj.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let m = ((k as f64 * ALPHA).ceil() as usize).max(1);
        let mut role = vec![0u8; k]; // 1 source, 2 sink
        for &(_, i) in &by_proj[..m] {
            role[i as usize] = 1;
        }
        for &(_, i) in &by_proj[k - m..] {
            role[i as usize] = 2;
        }
        VertexFlow::new(cell, &role).min_cut(cap)
    }
}

/// Unit node-capacity max flow on a cell, with nodes split into an in and an out state.
/// State 2v is v's in-side, 2v+1 its out-side. Edges have unbounded capacity.
struct VertexFlow<'a> {
    cell: &'a Cell,
    role: &'a [u8],
    /// flow[a] = 1 if one unit flows along arc a (from its tail to its head).
    flow: Vec<u8>,
    /// Whether a node carries a unit of flow.
    used: Vec<bool>,
    /// Arc index of the reverse of each arc.
    twin: Vec<u32>,
    /// BFS parent state of each state (NONE = unvisited), and the arc used (NONE = internal).
    parent: Vec<u32>,
    parent_arc: Vec<u32>,
    queue: Vec<u32>,
}

const SUPER: u32 = u32::MAX - 1;

impl<'a> VertexFlow<'a> {
    fn new(cell: &'a Cell, role: &'a [u8]) -> VertexFlow<'a> {
        let k = cell.nodes.len();
        let mut twin = vec![NONE; cell.adj.len()];
        for v in 0..k {
            for a in cell.first[v]..cell.first[v + 1] {
                let w = cell.adj[a as usize] as usize;
                let range = &cell.adj[cell.first[w] as usize..cell.first[w + 1] as usize];
                let pos = range.binary_search(&(v as u32)).expect("symmetric adjacency");
                twin[a as usize] = cell.first[w] + pos as u32;
            }
        }
        VertexFlow {
            cell,
            role,
            flow: vec![0; cell.adj.len()],
            used: vec![false; k],
            twin,
            parent: vec![NONE; 2 * k],
            parent_arc: vec![NONE; 2 * k],
            queue: Vec::with_capacity(2 * k),
        }
    }

    /// Augments until no path is left; returns the nodes of a minimum vertex cut, or None once
    /// the flow exceeds `cap`.
    fn min_cut(mut self, cap: usize) -> Option<Vec<u32>> {
        let mut value = 0usize;
        while let Some(end) = self.bfs() {
            self.augment(end);
            value += 1;
            if value >= cap {
                return None;
            }
        }
        // cut: nodes whose in-side is reachable and out-side is not
        let k = self.cell.nodes.len();
        let cut: Vec<u32> = (0..k as u32)
            .filter(|&v| self.parent[2 * v as usize] != NONE && self.parent[2 * v as usize + 1] == NONE)
            .collect();
        debug_assert_eq!(cut.len(), value);
        Some(cut)
    }

    /// Breadth-first search in the residual graph from the super source; returns the out-state
    /// of a sink node reached (the path's end), or None.
    fn bfs(&mut self) -> Option<u32> {
        self.parent.fill(NONE);
        self.queue.clear();
        let k = self.cell.nodes.len();
        for v in 0..k {
            if self.role[v] == 1 {
                self.parent[2 * v] = SUPER;
                self.queue.push(2 * v as u32);
            }
        }
        let mut qi = 0;
        while qi < self.queue.len() {
            let s = self.queue[qi];
            qi += 1;
            let v = (s / 2) as usize;
            let (lo, hi) = (self.cell.first[v] as usize, self.cell.first[v + 1] as usize);
            if s.is_multiple_of(2) {
                // in-side: through the node if unused, or back along the arc that feeds it
                if !self.used[v] {
                    if self.visit(s + 1, s, NONE) && self.role[v] == 2 {
                        return Some(s + 1);
                    }
                } else {
                    for a in lo..hi {
                        if self.flow[self.twin[a] as usize] == 1 {
                            let u = self.cell.adj[a];
                            self.visit(2 * u + 1, s, a as u32);
                        }
                    }
                }
            } else {
                // out-side: back to the in-side if the node is used, and to every neighbour's in-side
                if self.used[v] {
                    self.visit(s - 1, s, NONE);
                }
                for a in lo..hi {
                    let w = self.cell.adj[a];
                    self.visit(2 * w, s, a as u32);
                }
            }
        }
        None
    }

    #[inline]
    fn visit(&mut self, state: u32, from: u32, arc: u32) -> bool {
        if self.parent[state as usize] != NONE {
            return false;
        }
        self.parent[state as usize] = from;
        self.parent_arc[state as usize] = arc;
        self.queue.push(state);
        true
    }

    fn augment(&mut self, end: u32) {
        let mut s = end;
        while self.parent[s as usize] != SUPER {
            let p = self.parent[s as usize];
            let a = self.parent_arc[s as usize];
            if a == NONE {
                // internal move: in -> out uses the node, out -> in frees it
                self.used[(s / 2) as usize] = s % 2 == 1;
            } else if p % 2 == 1 {
                // forward along arc a (tail p/2 -> head s/2): cancel opposite flow or add
                let t = self.twin[a as usize] as usize;
                if self.flow[t] == 1 {
                    self.flow[t] = 0;
                } else {
                    self.flow[a as usize] = 1;
                }
            } else {
                // backward: arc a goes from p/2 (in-side) to u = s/2, whose flow u -> p/2 is cancelled
                self.flow[self.twin[a as usize] as usize] = 0;
            }
            s = p;
        }
    }
}

/// Connected components of a cell, as lists of local indices.
fn components(cell: &Cell) -> Vec<Vec<u32>> {
    let k = cell.nodes.len();
    let mut comp = vec![NONE; k];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for s in 0..k {
        if comp[s] != NONE {
            continue;
        }
        let id = out.len() as u32;
        let mut members = vec![s as u32];
        comp[s] = id;
        stack.push(s as u32);
        while let Some(v) = stack.pop() {
            for &w in &cell.adj[cell.first[v as usize] as usize..cell.first[v as usize + 1] as usize] {
                if comp[w as usize] == NONE {
                    comp[w as usize] = id;
                    members.push(w);
                    stack.push(w);
                }
            }
        }
        out.push(members);
    }
    out
}

/// Minimum-degree elimination order of a small cell (simulating fill-in), as global node ids.
fn min_degree(cell: &Cell) -> Vec<u32> {
    let k = cell.nodes.len();
    let mut nbrs: Vec<Vec<u32>> =
        (0..k).map(|v| cell.adj[cell.first[v] as usize..cell.first[v + 1] as usize].to_vec()).collect();
    let mut gone = vec![false; k];
    let mut order = Vec::with_capacity(k);
    for _ in 0..k {
        let v = (0..k).filter(|&v| !gone[v]).min_by_key(|&v| (nbrs[v].len(), v)).unwrap();
        gone[v] = true;
        order.push(cell.nodes[v]);
        let nv = std::mem::take(&mut nbrs[v]);
        for &a in &nv {
            let list = &mut nbrs[a as usize];
            list.retain(|&x| x != v as u32);
            for &b in &nv {
                if b != a && !list.contains(&b) {
                    list.push(b);
                }
            }
        }
    }
    order
}
