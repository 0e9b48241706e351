//! Helpers shared by the fuzz targets: a small deterministic network (for the file decoders:
//! its `.cnet`, raw cache and engine file are the seeds; for the parsers that resolve places),
//! and re-sealing of section files (`corridor::testing`) so that mutated bytes reach the
//! structural validation instead of stopping at a checksum.

use std::sync::{Arc, OnceLock};

use corridor::network::Network;
use corridor::planner::Planner;

/// A small network with every layer and edge kind, two countries, a passage, places with hubs.
pub fn small_network() -> &'static Arc<Network> {
    static NET: OnceLock<Arc<Network>> = OnceLock::new();
    NET.get_or_init(|| {
        let bytes = small_network_file();
        Arc::new(corridor::network::format::decode(&bytes).expect("the small network decodes"))
    })
}

/// The `.cnet` bytes of [`small_network`] (the library's fixture, shared with the server's tests).
pub use corridor::testing::small_network_file;

/// A planner on [`small_network`] (default parameters).
pub fn small_planner() -> &'static Planner {
    static P: OnceLock<Planner> = OnceLock::new();
    P.get_or_init(|| Planner::new(small_network().clone()))
}

/// Recomputes the checksums of a section file where its table can be read, so that a mutated
/// file reaches the structural validation (the library's copy, shared with its tests).
pub use corridor::testing::reseal;

/// Runs a few searches on a network that decoded (every engine must end without panicking,
/// whatever the file held): bidirectional and plain Dijkstra between spread nodes, under the
/// open restrictions and with modes cut, and the lookups. `validated`: the network passed the
/// full validation, so the two engines must also agree.
pub fn exercise_network(net: &Network, validated: bool) {
    use corridor::engine::{bidir::Searcher, reference, Metric, Restrictions, Terminal};
    let n = net.node_count() as u32;
    if n == 0 {
        return;
    }
    let mut s = Searcher::new(net);
    let mut r = Restrictions::open();
    for (a, b) in [(0, n - 1), (n / 3, 2 * n / 3), (n / 2, 1.min(n - 1))] {
        let (src, dst) = ([Terminal { node: a, cost: 0 }], [Terminal { node: b, cost: 7 }]);
        let x = s.shortest_path(net, &r, Metric::Length, &src, &dst);
        let y = reference::shortest_path(net, &r, Metric::Length, &src, &dst);
        if validated {
            assert_eq!(x.map(|p| p.cost), y.map(|p| p.cost), "the engines agree on any valid network");
        }
        r.modes = 0b0101;
    }
    let lookup = net.lookup();
    let _ = lookup.gazetteer.resolve(&net.meta.places, "alpha");
    let _ = lookup.gazetteer.complete(&net.meta.places, "a", 5);
    let _ = lookup.place_grid.nearest(40.2, 30.2, 500.0, |_| true);
    for g in &lookup.layer_grids {
        let _ = g.grid.nearest(40.2, 30.2, 500.0, |_| true);
    }
}
