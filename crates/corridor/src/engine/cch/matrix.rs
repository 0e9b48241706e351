//! Many-to-many distances on a CCH customized for one exclusion set, with buckets: each
//! destination's upward search leaves (distance, terminal) entries at its ancestors; each
//! origin's upward search scans the buckets of its own ancestors. Origins run in parallel.

use super::{Cch, UpSearch};
use crate::engine::Terminal;

/// The best way found between an origin and a destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Initial cost + network path + final cost.
    pub total: u64,
    /// Index of the origin terminal and of the destination terminal used.
    pub source: usize,
    pub target: usize,
}

/// Shortest totals from every origin (a set of weighted terminals) to every destination under
/// customized weights `w`; `progress` is called once per origin finished.
pub fn many_to_many(
    cch: &Cch,
    w: &[u32],
    origins: &[Vec<Terminal>],
    destinations: &[Vec<Terminal>],
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Vec<Vec<Option<Cell>>> {
    let n = cch.node_count();
    // buckets: (rank, destination, terminal, distance), sorted by rank, indexed by a CSR
    let mut entries: Vec<(u32, u32, u32, u64)> = Vec::new();
    let mut up = UpSearch::new(n);
    for (j, d) in destinations.iter().enumerate() {
        up.run(cch, w, d.iter().enumerate().map(|(k, t)| (t.node, t.cost, k as u32)));
        for &x in &up.reached {
            let dist = up.dist(x);
            if dist != u64::MAX {
                entries.push((x, j as u32, up.label(x), dist));
            }
        }
    }
    entries.sort_unstable_by_key(|e| e.0);
    let mut first = vec![0u32; n + 1];
    for e in &entries {
        first[e.0 as usize + 1] += 1;
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    // one upward search per origin row, a searcher per worker
    crate::engine::on_threads(threads, || {
        use rayon::prelude::*;
        origins
            .par_iter()
            .map_init(
                || UpSearch::new(n),
                |up, origin| {
                    up.run(cch, w, origin.iter().enumerate().map(|(k, t)| (t.node, t.cost, k as u32)));
                    let mut row: Vec<Option<Cell>> = vec![None; destinations.len()];
                    for &x in &up.reached {
                        let fd = up.dist(x);
                        if fd == u64::MAX {
                            continue;
                        }
                        let src = up.label(x) as usize;
                        for &(_, j, k, bd) in &entries[first[x as usize] as usize..first[x as usize + 1] as usize] {
                            let total = fd + bd;
                            let cell = &mut row[j as usize];
                            if cell.is_none_or(|c| total < c.total) {
                                *cell = Some(Cell { total, source: src, target: k as usize });
                            }
                        }
                    }
                    progress();
                    row
                },
            )
            .collect()
    })
}
