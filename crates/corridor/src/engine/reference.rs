//! Plain one-directional Dijkstra: the reference every faster search must match exactly.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{cost_of, key_of, Key, Metric, Path, Restrictions, Terminal};
use crate::network::Network;

/// Shortest path from any source to any target under `r`, or None if none exists.
pub fn shortest_path(
    net: &Network,
    r: &Restrictions,
    metric: Metric,
    sources: &[Terminal],
    targets: &[Terminal],
) -> Option<Path> {
    let n = net.node_count();
    // keys: cost, then the tie-break every engine applies (see [`Key`])
    let mut dist = vec![Key::MAX; n];
    let mut pred_edge = vec![u32::MAX; n];
    let mut origin = vec![usize::MAX; n];
    let mut heap = BinaryHeap::new();
    for (i, s) in sources.iter().enumerate() {
        if r.node_ok(net, s.node) && key_of(s.cost) < dist[s.node as usize] {
            dist[s.node as usize] = key_of(s.cost);
            origin[s.node as usize] = i;
            heap.push(Reverse((key_of(s.cost), s.node)));
        }
    }
    let mut final_cost = vec![Key::MAX; n];
    let mut target_idx = vec![usize::MAX; n];
    for (i, t) in targets.iter().enumerate() {
        if r.node_ok(net, t.node) && key_of(t.cost) < final_cost[t.node as usize] {
            final_cost[t.node as usize] = key_of(t.cost);
            target_idx[t.node as usize] = i;
        }
    }
    let mut best: Option<(Key, u32)> = None;
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        if best.is_some_and(|(b, _)| d >= b) {
            break;
        }
        if final_cost[v as usize] != Key::MAX {
            let total = d + final_cost[v as usize];
            if best.is_none_or(|(b, _)| total < b) {
                best = Some((total, v));
            }
        }
        for (w, len, e) in net.arcs(v) {
            if !r.edge_ok(net, e) || !r.node_ok(net, w) {
                continue;
            }
            let nd = d + metric.key(len, e);
            if nd < dist[w as usize] {
                dist[w as usize] = nd;
                pred_edge[w as usize] = e;
                origin[w as usize] = origin[v as usize];
                heap.push(Reverse((nd, w)));
            }
        }
    }
    let (cost, t) = best?;
    let (mut nodes, mut edges) = super::trace_back(net, &pred_edge, t);
    nodes.reverse();
    edges.reverse();
    Some(Path { cost: cost_of(cost), source: origin[t as usize], target: target_idx[t as usize], nodes, edges })
}
