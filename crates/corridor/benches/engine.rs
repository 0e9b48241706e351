//! Criterion benchmarks of the engine on the world network (data/network/world.cnet): plain
//! Dijkstra and A* with CCH potentials on the same fixed random queries with random
//! exclusion sets; one CCH customization; a 100 x 100 CCH matrix; whole routes in process (place
//! resolution, snapping, the search and the explanation: legs, borders, dwell, measures). The prepared engine is read
//! from `$CORRIDOR_CACHE` when `corridor prepare` wrote it, else built first (about 30 s).
//!
//! Run: `cargo bench -p corridor --bench engine` (side-by-side peers: `bash bench/peers.sh`).

use corridor::engine::cch::matrix::many_to_many;
use corridor::engine::cch::potential::CchSearcher;
use corridor::engine::{reference, Metric, Restrictions, Terminal};
use corridor::model::cost::Objective;
use corridor::planner::{Constraints, Planner, Query};
use corridor::prepared::Prepared;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

fn queries(net: &corridor::Network, planner: &Planner, count: usize) -> Vec<(Restrictions, Terminal, Terminal)> {
    let mut rng = SmallRng::seed_from_u64(2026);
    let pool = ["RU", "IR", "BY"];
    let passages = ["suez", "babalmandab", "ormuz", "bosporus"];
    (0..count)
        .map(|_| {
            let mask: u32 = rng.gen_range(0..128);
            let c = Constraints {
                avoid: pool
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, x)| x.to_string())
                    .collect(),
                avoid_passages: passages
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << (i + 3)) != 0)
                    .map(|(_, x)| x.to_string())
                    .collect(),
                ..Default::default()
            };
            let r = planner.restrictions(&c).unwrap();
            let mut pick = || loop {
                let v = rng.gen_range(0..net.node_count() as u32);
                if r.node_ok(net, v) {
                    return Terminal { node: v, cost: 0 };
                }
            };
            (r, pick(), pick())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(corridor::network::format::read(std::path::Path::new(path)).expect("world network"));
    let planner = Planner::new(net.clone());
    let (prepared, _) = Prepared::from_env_cache_or_build(&planner);
    let planner = planner.with_prepared(Some(std::sync::Arc::new(prepared)));
    let prep = planner.prepared().unwrap();
    let qs = queries(&net, &planner, 50);
    let pots = prep.potentials(&planner, Objective::Distance, Metric::Length);

    let mut g = c.benchmark_group("world 50 random queries");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("query", "dijkstra"), |b| {
        b.iter(|| {
            for (r, s, t) in &qs {
                reference::shortest_path(&net, r, Metric::Length, &[*s], &[*t]);
            }
        })
    });
    let mut cch = CchSearcher::new(&net);
    g.bench_function(BenchmarkId::new("query", "cch-potentials"), |b| {
        b.iter(|| {
            for (r, s, t) in &qs {
                cch.shortest_path(&net, &prep.cch, &pots, r, Metric::Length, &[*s], &[*t]);
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("world cch");
    g.sample_size(10);
    let r = planner.restrictions(&Constraints { avoid: vec!["RU".into()], ..Default::default() }).unwrap();
    g.bench_function("customize avoiding RU", |b| b.iter(|| prep.cch.customize_for(&net, Some(&r), Metric::Length)));
    let w = prep.cch.customize_for(&net, Some(&r), Metric::Length);
    let ends: Vec<Vec<Terminal>> = queries(&net, &planner, 100).into_iter().map(|(_, s, _)| vec![s]).collect();
    g.bench_function("matrix 100 x 100 avoiding RU", |b| {
        b.iter(|| many_to_many(&prep.cch, &w, &ends, &ends, 2, &|| {}))
    });
    g.finish();
}

/// Whole routes in process: what `corridor route` does after loading (resolve, snap, search,
/// explain). Long multimodal routes; the last one's exclusion set is outside every prepared family.
fn bench_routes(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(corridor::network::format::read(std::path::Path::new(path)).expect("world network"));
    let planner = Planner::new(net.clone());
    let (prepared, _) = Prepared::from_env_cache_or_build(&planner);
    let planner = planner.with_prepared(Some(std::sync::Arc::new(prepared)));
    let mut g = c.benchmark_group("route in process (search + explanation)");
    g.sample_size(20);
    for (a, b, avoid) in [
        ("Shanghai", "Rotterdam", ""),
        ("Chongqing", "Duisburg", ""),
        ("Almaty", "Istanbul", "RU,IR"),
        ("Rotterdam", "Kabul", "PK,GE"),
    ] {
        let mut q = Query::new(a, b);
        q.constraints.avoid = avoid.split(',').filter(|s| !s.is_empty()).map(String::from).collect();
        g.bench_function(format!("{a} -> {b} avoid [{avoid}]"), |bch| bch.iter(|| planner.route(&q).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, bench, bench_routes);
criterion_main!(benches);
