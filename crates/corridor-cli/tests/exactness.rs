//! The production searches (bidirectional Dijkstra, the prepared CCH with its length and
//! total-cost families) against plain Dijkstra on the embedded world network: random places,
//! random exclusion sets from {RU, IR, BY, suez, babalmandab, ormuz, bosporus}, modes, objectives.
//! Tolerance: none (integer metres must be equal).

use corridor::engine::bidir::Searcher;
use corridor::engine::{reference, Metric, Restrictions, Terminal};
use corridor::planner::{Constraints, Planner};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

#[test]
fn bidirectional_equals_plain_dijkstra_on_the_world_network() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(
        corridor::network::format::read(std::path::Path::new(path)).expect("embedded network file"),
    );
    let planner = Planner::new(net.clone());
    let mut rng = SmallRng::seed_from_u64(2026);
    let mut searcher = Searcher::new(&net);
    let countries = ["RU", "IR", "BY"];
    let passages = ["suez", "babalmandab", "ormuz", "bosporus"];
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
        // the same path, not just the same cost (ties are broken the same way by every engine)
        let fast = searcher.shortest_path(&net, &r, Metric::Length, &s, &t);
        let slow = reference::shortest_path(&net, &r, Metric::Length, &s, &t);
        assert_eq!(fast, slow, "constraints {c:?}");
        found += fast.is_some() as usize;
    }
    assert!(found >= 12, "most random pairs should connect ({found}/24)");
}

/// The prepared engine (CCH potentials with exclusion families, CCH matrices) against plain
/// Dijkstra on the world network: random node pairs with weighted terminals, random exclusion
/// sets and modes, distance and time objectives; and the planner's matrix with and without it.
/// Uses the engine `corridor prepare` wrote to $CORRIDOR_CACHE (CI prepares it first), else
/// builds it (about 30 s).
#[test]
fn prepared_engine_equals_plain_dijkstra_on_the_world_network() {
    use corridor::engine::cch::potential::CchSearcher;
    use corridor::model::cost::Objective;
    use corridor::prepared::Prepared;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(
        corridor::network::format::read(std::path::Path::new(path)).expect("embedded network file"),
    );
    let planner = Planner::new(net.clone());
    let (prepared, _) = Prepared::from_env_cache_or_build(&planner);
    let planner = planner.with_prepared(Some(std::sync::Arc::new(prepared)));
    let prep = planner.prepared().unwrap();
    assert!(!prep.families.is_empty() && prep.objectives.len() == 3);
    assert!(!planner.default_closed_passages().is_empty(), "the default market closes passages");
    assert!(
        prep.objectives.iter().all(|(_, r, _)| *r == planner.default_family()),
        "objectives under the default closures"
    );
    assert_eq!(prep.objective_families.len(), prep.families.len(), "families customized for the default objective");
    let time_w = planner.cost().weights(&net, Objective::Time).unwrap();
    let cost_w = planner.cost().weights(&net, Objective::Cost).unwrap();
    // the stored per-edge weights are the cost model's, bit for bit
    assert_eq!(prep.edge_weights_of(Objective::Time), Some(&time_w[..]));
    assert_eq!(prep.edge_weights_of(Objective::Cost), Some(&cost_w[..]));
    let mut rng = SmallRng::seed_from_u64(4);
    let mut search = CchSearcher::new(&net);
    let countries = ["RU", "IR", "BY"];
    let passages = ["suez", "babalmandab", "ormuz", "bosporus"];
    let (mut found, mut families) = (0, 0);
    for i in 0..60 {
        let mut c = Constraints::default();
        for x in countries {
            if rng.gen_bool(0.4) {
                c.avoid.push(x.into());
            }
        }
        for x in passages {
            if rng.gen_bool(0.3) {
                c.avoid_passages.push(x.into());
            }
        }
        if i % 5 == 4 {
            c.modes = vec![corridor::network::Mode::Rail, corridor::network::Mode::Sea];
        }
        if i % 7 == 6 {
            // reopening the default closures: the objectives' customization (made under them)
            // no longer bounds the query, the unrestricted length must
            c.allow_passages = planner.default_closed_passages();
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
        // every objective, the default (total cost, with its own family customizations) most
        let (objective, metric) = match i % 4 {
            0 => (Objective::Distance, Metric::Length),
            1 => (Objective::Time, Metric::PerEdge(&time_w)),
            _ => (Objective::Cost, Metric::PerEdge(&cost_w)),
        };
        let pots = prep.potentials(&planner, objective, metric);
        let got = search.shortest_path(&net, &prep.cch, &pots, &r, metric, &s, &t);
        let want = reference::shortest_path(&net, &r, metric, &s, &t);
        // the same path, not just the same cost (ties are broken the same way by every engine)
        assert_eq!(got, want, "query {i}, constraints {c:?}");
        if let Some(p) = got {
            assert_eq!(p.cost, s[p.source].cost + p.network_weight(&net, metric) + t[p.target].cost);
        }
        found += want.is_some() as usize;
        families += search.families_used;
    }
    assert!(found >= 30, "most random pairs should connect ({found}/60)");
    assert!(families > 0, "family potentials were used");
    // planner matrices: CCH buckets against one-to-many Dijkstra
    let places: Vec<String> = ["Almaty", "Istanbul", "Shanghai", "Rotterdam", "Mumbai", "Baku", "Duisburg", "Tbilisi"]
        .map(String::from)
        .into();
    for (c, objective) in [
        (Constraints { avoid: vec!["RU".into(), "IR".into()], ..Default::default() }, Objective::Distance),
        (Constraints { avoid_passages: vec!["suez".into()], ..Default::default() }, Objective::Cost),
    ] {
        let fast = planner.matrix(&places, &places, &c, objective, 2, &|| {}).unwrap();
        let plain = Planner::new(net.clone()).matrix(&places, &places, &c, objective, 2, &|| {}).unwrap();
        assert_eq!(fast.values, plain.values, "matrix {c:?} {objective:?}");
    }
}

/// The prepared engine against plain Dijkstra on queries from the whole space users ask: 0-3
/// countries of the 60 transit countries (and now and then one outside them), 0-2 of every
/// passage, every objective; the single-exclusion families stored as differences
/// (`Prepared::deltas`) must be used and every answer equal.
#[test]
fn prepared_engine_equals_plain_dijkstra_for_any_exclusion_set() {
    use corridor::engine::cch::potential::CchSearcher;
    use corridor::model::cost::Objective;
    use corridor::prepared::{Prepared, DELTA_COUNTRIES};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(
        corridor::network::format::read(std::path::Path::new(path)).expect("embedded network file"),
    );
    let planner = Planner::new(net.clone());
    let (prepared, _) = Prepared::from_env_cache_or_build(&planner);
    let planner = planner.with_prepared(Some(std::sync::Arc::new(prepared)));
    let prep = planner.prepared().unwrap();
    assert!(prep.is_complete(&planner), "a complete engine");
    assert!(!prep.deltas.is_empty(), "single-exclusion families");
    let objectives = [Objective::Distance, Objective::Time, Objective::Cost, Objective::Co2];
    let weights: Vec<_> = objectives.iter().map(|&o| planner.objective_weights(o)).collect();
    let passages: Vec<String> = net.meta.passages[1..].to_vec();
    let mut rng = SmallRng::seed_from_u64(16);
    let mut search = CchSearcher::new(&net);
    let (mut found, mut families) = (0, 0);
    for i in 0..48 {
        let mut c = Constraints::default();
        for _ in 0..rng.gen_range(0..4) {
            c.avoid.push(DELTA_COUNTRIES[rng.gen_range(0..DELTA_COUNTRIES.len())].into());
        }
        if i % 6 == 5 {
            c.avoid.push(["NO", "SE", "DK", "TH", "VN"][rng.gen_range(0..5)].into());
        }
        for _ in 0..rng.gen_range(0..3) {
            c.avoid_passages.push(passages[rng.gen_range(0..passages.len())].clone());
        }
        let r: Restrictions = planner.restrictions(&c).unwrap();
        let pick = |rng: &mut SmallRng| loop {
            let v = rng.gen_range(0..net.node_count() as u32);
            if r.node_ok(&net, v) {
                return Terminal { node: v, cost: rng.gen_range(0..5_000) };
            }
        };
        let s = [pick(&mut rng)];
        let t = [pick(&mut rng)];
        let k = i % objectives.len();
        let metric = match &weights[k] {
            Some(w) => Metric::PerEdge(w),
            None => Metric::Length,
        };
        let pots = prep.potentials(&planner, objectives[k], metric);
        let got = search.shortest_path(&net, &prep.cch, &pots, &r, metric, &s, &t);
        let want = reference::shortest_path(&net, &r, metric, &s, &t);
        assert_eq!(got, want, "query {i}, constraints {c:?}, {:?}", objectives[k]);
        found += want.is_some() as usize;
        families += search.families_used;
    }
    assert!(found >= 24, "most random pairs should connect ({found}/48)");
    assert!(families > 0, "family potentials were used");
}

/// The prepared engine read or shared by planners whose weights differ from those it was
/// prepared with (another market; parameters that make some edges cheaper or faster, so its
/// customizations count scaled below 1): every objective still equals plain Dijkstra, both when
/// the file is read for the planner (`Prepared::from_bytes`, factors computed on first use) and
/// when the engine is shared (`Planner::share_engine_of`, factors composed), as the short-sea
/// trade's planner does.
#[test]
fn engine_prepared_for_other_parameters_stays_exact() {
    use corridor::col::{SharedBytes, Verify};
    use corridor::engine::cch::potential::CchSearcher;
    use corridor::model::cost::Objective;
    use corridor::model::params::Params;
    use corridor::planner::Trade;
    use corridor::prepared::{Prepared, WeightBasis};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(
        corridor::network::format::read(std::path::Path::new(path)).expect("embedded network file"),
    );
    let base = Planner::new(net.clone());
    let (prepared, _) = Prepared::from_env_cache_or_build(&base);
    let bytes: SharedBytes = std::sync::Arc::new(prepared.to_bytes(&base));
    let base = base.with_prepared(Some(std::sync::Arc::new(prepared)));
    let cheaper = "sea.usd_per_feu_km = 0.05\nrail.speed_cn_km_per_day = 1300.0\nroad.usd_per_feu_km_eu = 1.2\n";
    let mut variants: Vec<(String, Planner)> = Vec::new();
    for (market, overrides) in [("red-sea-2024", ""), ("latest", ""), ("normal-2023", cheaper)] {
        let mut params = Params::for_market(market).unwrap();
        params.apply_overrides(overrides, "test").unwrap();
        // read from the file for this planner
        let read = Planner::with_params(net.clone(), params.clone());
        let p = Prepared::from_bytes(bytes.clone(), &read, Verify::Checksums).unwrap();
        assert!(matches!(p.basis, WeightBasis::Other(_)), "{market}: read as made for other weights");
        assert!(p.edge_weights.is_empty(), "{market}: the other parameters' weights are not the planner's");
        variants.push((format!("{market} read"), read.with_prepared(Some(std::sync::Arc::new(p)))));
        // shared from the default planner
        let mut shared = Planner::with_params(net.clone(), params);
        shared.share_engine_of(&base);
        assert!(matches!(shared.prepared().unwrap().basis, WeightBasis::Other(_)));
        variants.push((format!("{market} shared"), shared));
    }
    // the short-sea trade's planner (Planner::trade_params: dearer, slower ocean legs) shares
    // the default engine the same way
    let mut short_sea = Planner::with_params(net.clone(), base.trade_params(Trade::ShortSea).expect("short-sea line"));
    short_sea.share_engine_of(&base);
    variants.insert(0, ("short sea shared".into(), short_sea));
    // the crisis market's India-lane backhaul (cheaper sea freight: bounds scaled below 1)
    let crisis = Planner::with_params(net.clone(), Params::for_market("red-sea-2024").unwrap());
    let mut south_asia =
        Planner::with_params(net.clone(), crisis.trade_params(Trade::BackhaulSouthAsia).expect("crisis backhaul"));
    south_asia.share_engine_of(&base);
    variants.insert(1, ("South Asia backhaul shared".into(), south_asia));
    let (_, cheap) = variants.last().unwrap();
    let factor = cheap.prepared().unwrap().objective_scale(cheap, Objective::Cost);
    assert!(factor > 0.0 && factor < 1.0, "cheaper sea freight scales the cost bounds below 1 ({factor})");
    let objectives = [Objective::Time, Objective::Cost, Objective::Co2];
    let passages: Vec<String> = net.meta.passages[1..].to_vec();
    let mut rng = SmallRng::seed_from_u64(2027);
    let mut search = CchSearcher::new(&net);
    let mut found = 0;
    for (i, (name, planner)) in variants.iter().cycle().take(42).enumerate() {
        let c = random_constraints(&mut rng, &passages);
        let o = objectives[i % objectives.len()];
        found += check_random_query(planner, &mut search, &mut rng, &c, o, &format!("query {i} ({name})")) as usize;
    }
    assert!(found >= 21, "most random pairs should connect ({found}/42)");
}

/// The backhaul of the Asia-Europe trade (Europe -> East Asia, sea freight at
/// `sea.backhaul_factor`): the engine stores that variant's total-cost weights and their
/// customization under the default closures (`Prepared::backhaul`); a backhaul planner attached
/// to them (`Prepared::for_backhaul`) has exactly the weights its cost model computes, and every
/// objective, with random exclusions, equals plain Dijkstra.
#[test]
fn stored_backhaul_customization_stays_exact() {
    use corridor::engine::cch::potential::CchSearcher;
    use corridor::model::cost::{CostModel, Objective};
    use corridor::prepared::{fingerprint_of, Prepared, FAMILY_OBJECTIVE};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(
        corridor::network::format::read(std::path::Path::new(path)).expect("embedded network file"),
    );
    let base = Planner::new(net.clone());
    let (prepared, _) = Prepared::from_env_cache_or_build(&base);
    let params = base.backhaul_params().expect("the default market prices the backhaul");
    let stored = prepared.for_backhaul(&fingerprint_of(&params)).expect("the engine stores the backhaul");
    let fresh = CostModel::new(&net, &params).weights(&net, FAMILY_OBJECTIVE).unwrap();
    let planner = Planner::with_params(net.clone(), params).with_prepared(Some(std::sync::Arc::new(stored)));
    assert_eq!(*planner.objective_weights(FAMILY_OBJECTIVE).unwrap(), fresh, "stored weights are the variant's");
    let objectives = [Objective::Cost, Objective::Time, Objective::Cost, Objective::Co2];
    let passages: Vec<String> = net.meta.passages[1..].to_vec();
    let mut rng = SmallRng::seed_from_u64(42);
    let mut search = CchSearcher::new(&net);
    let mut found = 0;
    for i in 0..32 {
        // every fourth query keeps the default closures (the stored customization applies)
        let c = if i % 4 == 0 { Constraints::default() } else { random_constraints(&mut rng, &passages) };
        let o = objectives[i % objectives.len()];
        found += check_random_query(&planner, &mut search, &mut rng, &c, o, &format!("query {i}")) as usize;
    }
    assert!(found >= 16, "most random pairs should connect ({found}/32)");
}

/// Random constraints from the whole space users ask: 0-2 of the 60 transit countries and, half
/// the time, one passage.
fn random_constraints(rng: &mut SmallRng, passages: &[String]) -> Constraints {
    use corridor::prepared::DELTA_COUNTRIES;
    let mut c = Constraints::default();
    for _ in 0..rng.gen_range(0..3) {
        c.avoid.push(DELTA_COUNTRIES[rng.gen_range(0..DELTA_COUNTRIES.len())].into());
    }
    if rng.gen_bool(0.5) {
        c.avoid_passages.push(passages[rng.gen_range(0..passages.len())].clone());
    }
    c
}

/// One query between two random nodes open under `c`, by objective `o` (its per-edge weights),
/// on `planner`'s prepared engine against plain Dijkstra; true if they connect.
fn check_random_query(
    planner: &Planner,
    search: &mut corridor::engine::cch::potential::CchSearcher,
    rng: &mut SmallRng,
    c: &Constraints,
    o: corridor::model::cost::Objective,
    label: &str,
) -> bool {
    let net = planner.net();
    let prep = planner.prepared().unwrap();
    let r: Restrictions = planner.restrictions(c).unwrap();
    let pick = |rng: &mut SmallRng| loop {
        let v = rng.gen_range(0..net.node_count() as u32);
        if r.node_ok(net, v) {
            return Terminal { node: v, cost: rng.gen_range(0..5_000) };
        }
    };
    let s = [pick(rng)];
    let t = [pick(rng)];
    let w = planner.objective_weights(o).unwrap();
    let metric = Metric::PerEdge(&w);
    let pots = prep.potentials(planner, o, metric);
    let got = search.shortest_path(net, &prep.cch, &pots, &r, metric, &s, &t);
    let want = reference::shortest_path(net, &r, metric, &s, &t);
    assert_eq!(got, want, "{label}, constraints {c:?}, {o:?}");
    want.is_some()
}
