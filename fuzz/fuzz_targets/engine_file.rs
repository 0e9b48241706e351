//! The prepared engine decoder (`Prepared::from_bytes`) for the small network: the bytes as
//! given and re-sealed with fresh checksums, with full validation and as a stamped file (index
//! checks only). Any bytes are an error or an engine whose searches end without panicking, and
//! that answers exactly when it passed the full validation.
#![no_main]
use std::sync::Arc;

use corridor::col::Verify;
use corridor::engine::cch::potential::CchSearcher;
use corridor::engine::{reference, Metric, Restrictions, Terminal};
use corridor::model::cost::Objective;
use corridor::prepared::Prepared;
use libfuzzer_sys::fuzz_target;

fn exercise(p: &Prepared, validated: bool) {
    let planner = corridor_fuzz::small_planner();
    let net = planner.net();
    let n = net.node_count() as u32;
    let mut search = CchSearcher::new(net);
    let mut r = Restrictions::open();
    // the potentials and (for a validated file) whether the stored length customization is the
    // real one, once per engine rather than per query
    let pots = p.potentials(planner, Objective::Distance, Metric::Length);
    // a sound structure with damaged weights is a loose or wrong bound, which only the checksums
    // catch: the costs are compared where the length customization is the real one
    let exact =
        validated && p.families.is_empty() && p.cch.customize_for(net, None, Metric::Length)[..] == p.length[..];
    for (a, b) in [(0, n - 1), (n / 3, 2 * n / 3), (n - 1, 1)] {
        let (s, t) = ([Terminal { node: a, cost: 0 }], [Terminal { node: b, cost: 3 }]);
        let got = search.shortest_path(net, &p.cch, &pots, &r, Metric::Length, &s, &t);
        if exact {
            assert_eq!(got, reference::shortest_path(net, &r, Metric::Length, &s, &t));
        }
        r.modes = 0b0011;
    }
    // a customization on the mapped hierarchy (what analyses do) ends too
    let _ = p.with_exact(planner, Restrictions::open(), Objective::Distance);
}

fuzz_target!(|data: &[u8]| {
    let planner = corridor_fuzz::small_planner();
    let decode = |b: &[u8], v: Verify| Prepared::from_bytes(Arc::new(b.to_vec()), planner, v);
    let sealed = corridor_fuzz::reseal(data);
    // bytes that are already sealed are decoded once, below
    if sealed.as_deref() != Some(data) {
        if let Ok(p) = decode(data, Verify::Checksums) {
            exercise(&p, true);
        }
    }
    if let Some(sealed) = sealed {
        let full = decode(&sealed, Verify::Checksums);
        // the stamped reading (index checks only) always runs; its engine is searched when the
        // full validation refused the file (what it accepts, the stamped reading accepts too,
        // as the same engine, already searched)
        let stamped = decode(&sealed, Verify::HeaderOnly);
        match (full, stamped) {
            (Ok(_), Err(e)) => panic!("the full validation accepted a file the stamped reading refused: {e}"),
            (Ok(p), Ok(_)) => exercise(&p, true),
            (Err(_), Ok(p)) => exercise(&p, false),
            (Err(_), Err(_)) => {}
        }
    }
});
