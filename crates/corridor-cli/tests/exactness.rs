//! The production searches (bidirectional Dijkstra, ALT) against plain Dijkstra on the embedded world network: random places,
//! random exclusion sets from {RU, IR, BY, suez, babalmandab, ormuz, bosporus} and modes.
//! Tolerance: none (integer metres must be equal).

use corridor::engine::bidir::Searcher;
use corridor::engine::{reference, Metric, Restrictions, Terminal};
use corridor::planner::{Constraints, Planner};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

#[test]
fn bidirectional_equals_plain_dijkstra_on_the_world_network() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = corridor::network::format::read(std::path::Path::new(path)).expect("embedded network file");
    let planner = Planner::new(&net);
    let mut rng = SmallRng::seed_from_u64(2026);
    let mut searcher = Searcher::new(&net);
    let countries = ["RU", "IR", "BY"];
    let passages = ["suez", "babalmandab", "ormuz", "bosporus"];
    let lm = corridor::engine::alt::Landmarks::build(&net, 4, 0, 2);
    let mut alt = corridor::engine::alt::AltSearcher::new(&net);
    let mut bialt = corridor::engine::bialt::BiAltSearcher::new(&net);
    let mut found = 0;
    for _ in 0..24 {
        let mut c = Constraints::default();
        for x in countries {
            if rng.gen_bool(0.3) {
                c.avoid.push(x.into());
            }
        }
        for x in passages {
            if rng.gen_bool(0.3) {
                c.avoid_passages.push(x.into());
            }
        }
        let r: Restrictions = planner.restrictions(&c).unwrap();
        let pick = |rng: &mut SmallRng| loop {
            let v = rng.gen_range(0..net.node_count() as u32);
            if r.node_ok(&net, v) {
                return Terminal { node: v, cost: rng.gen_range(0..5_000) };
            }
        };
        let s = [pick(&mut rng), pick(&mut rng)];
        let t = [pick(&mut rng)];
        let fast = searcher.shortest_path(&net, &r, Metric::Length, &s, &t).map(|p| p.cost);
        let slow = reference::shortest_path(&net, &r, Metric::Length, &s, &t).map(|p| p.cost);
        assert_eq!(fast, slow, "constraints {c:?}");
        let a = alt.shortest_path(&net, &[&lm], &r, Metric::Length, 1.0, &s, &t).map(|p| p.cost);
        assert_eq!(a, slow, "ALT, constraints {c:?}");
        let b = bialt.shortest_path(&net, &lm, &r, &s, &t).map(|p| p.cost);
        assert_eq!(b, slow, "bidirectional ALT, constraints {c:?}");
        found += fast.is_some() as usize;
    }
    assert!(found >= 12, "most random pairs should connect ({found}/24)");
}
