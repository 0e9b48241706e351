//! The engine against brute force on small random multimodal graphs, and its properties:
//! an excluded country never appears, adding an exclusion never shortens a route, A->B = B->A.
//! Tolerance: none. Costs are integer metres and must be equal.

use corridor::engine::bidir::Searcher;
use corridor::engine::{reference, CountrySet, Metric, Path, Restrictions, Terminal};
use corridor::network::{edge_flags, EdgeColumns, EdgeKind, Layer, Meta, Network, NodeColumns};
use proptest::prelude::*;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

const COUNTRIES: usize = 5; // indices 1..=5, 0 = sea/none
const PASSAGES: usize = 3; // indices 1..=3

fn meta() -> Meta {
    Meta {
        version: String::new(),
        sources: vec![],
        attribution: String::new(),
        disputed_policy: String::new(),
        countries: std::iter::once(String::new()).chain((0..COUNTRIES).map(|i| format!("C{i}"))).collect(),
        passages: std::iter::once(String::new()).chain((0..PASSAGES).map(|i| format!("p{i}"))).collect(),
        default_closed_passages: vec![],
        links: vec![],
        places: vec![],
        stats: serde_json::Value::Null,
    }
}

/// A random network with rail, road, sea and port nodes and edges of every kind that respect the
/// layer rules (ferries between ports, transfers port<->land, sea between sea/port nodes).
fn random_network(rng: &mut SmallRng, n: usize, m: usize) -> Network {
    let mut nodes = NodeColumns::default();
    for _ in 0..n {
        let layer = match rng.gen_range(0..10) {
            0..=3 => Layer::Rail,
            4..=6 => Layer::Road,
            7..=8 => Layer::Sea,
            _ => Layer::Port,
        };
        nodes.lat_e6.push(rng.gen_range(-1_000_000..1_000_000));
        nodes.lon_e6.push(rng.gen_range(-1_000_000..1_000_000));
        let country = if layer == Layer::Sea && rng.gen_bool(0.6) { 0 } else { rng.gen_range(1..=COUNTRIES as u8) };
        nodes.country.push(country);
        nodes.layer.push(layer as u8);
        nodes.flags.push(0);
    }
    let mut edges: Vec<(u32, u32, u32, u8, u8, u8)> = Vec::new();
    let mut tries = 0;
    while edges.len() < m && tries < m * 50 {
        tries += 1;
        let (a, b) = (rng.gen_range(0..n as u32), rng.gen_range(0..n as u32));
        if a == b {
            continue;
        }
        let (la, lb) =
            (Layer::from_u8(nodes.layer[a as usize]).unwrap(), Layer::from_u8(nodes.layer[b as usize]).unwrap());
        use Layer::*;
        let kind = match (la, lb) {
            (Rail, Rail) => EdgeKind::Rail,
            (Road, Road) => EdgeKind::Road,
            (Sea, Sea) | (Sea, Port) | (Port, Sea) => EdgeKind::Sea,
            (Port, Port) => {
                if rng.gen_bool(0.5) {
                    EdgeKind::Ferry
                } else {
                    EdgeKind::Sea
                }
            }
            (Port, Rail) | (Rail, Port) => EdgeKind::TransferRail,
            (Port, Road) | (Road, Port) => EdgeKind::TransferRoad,
            _ => continue,
        };
        let len = if rng.gen_bool(0.05) { 0 } else { rng.gen_range(1..100_000) };
        let passage = if kind == EdgeKind::Sea && rng.gen_bool(0.3) { rng.gen_range(1..=PASSAGES as u8) } else { 0 };
        let flags = if rng.gen_bool(0.1) { edge_flags::PLANNED } else { 0 };
        edges.push((a.min(b), a.max(b), len, kind as u8, passage, flags));
    }
    edges.sort();
    let cols = EdgeColumns {
        a: edges.iter().map(|e| e.0).collect(),
        b: edges.iter().map(|e| e.1).collect(),
        len_m: edges.iter().map(|e| e.2).collect(),
        kind: edges.iter().map(|e| e.3).collect(),
        passage: edges.iter().map(|e| e.4).collect(),
        flags: edges.iter().map(|e| e.5).collect(),
        link: vec![0; edges.len()],
    };
    Network::from_parts(meta(), nodes, cols).expect("random network is valid")
}

fn random_restrictions(rng: &mut SmallRng) -> Restrictions {
    let mut r = Restrictions::open();
    let mut avoid = CountrySet::default();
    for c in 1..=COUNTRIES as u8 {
        if rng.gen_bool(0.2) {
            avoid.insert(c);
        }
    }
    r.avoid_countries = avoid;
    r.avoid_waters = rng.gen_bool(0.3);
    for p in 1..=PASSAGES {
        if rng.gen_bool(0.3) {
            r.closed_passages |= 1 << p;
        }
    }
    r.modes = rng.gen_range(1..16);
    r.allow_planned = rng.gen_bool(0.5);
    r
}

fn random_terminals(rng: &mut SmallRng, n: usize) -> Vec<Terminal> {
    (0..rng.gen_range(1..4))
        .map(|_| Terminal { node: rng.gen_range(0..n as u32), cost: rng.gen_range(0..50_000) })
        .collect()
}

/// Brute force: Bellman-Ford over the allowed edges from a virtual source to a virtual target.
fn brute_force(net: &Network, r: &Restrictions, sources: &[Terminal], targets: &[Terminal]) -> Option<u64> {
    brute_force_with(net, r, Metric::Length, sources, targets)
}

/// The exclusion rules written out again from their specification, on the raw columns, so that
/// the oracle does not share [`Restrictions::node_ok`]/[`Restrictions::edge_ok`] with the engines
/// (a misreading there would otherwise pass every differential test):
/// * a node is usable unless its country (column value > 0) is avoided; an avoided country's
///   open-sea node (layer 2 = sea, without the inland-water flag 2) stays usable unless the
///   query avoids waters too;
/// * an edge is usable if the mode its kind needs is allowed (rail 0 and rail transfer 4 need
///   rail = bit 1; road 1 and road transfer 5 need road = bit 2; sea 2 needs bit 4; ferry 3 needs
///   bit 8), its passage (column value) is not closed, it is not closed by a scenario (flag 8),
///   and it is not planned (flag 1) unless planned links are allowed.
fn oracle_node_ok(net: &Network, r: &Restrictions, v: usize) -> bool {
    let country = net.node_country[v];
    let avoided = country != 0 && r.avoid_countries.iter().any(|c| c == country);
    let open_sea = net.node_layer[v] == 2 && net.node_flags[v] & 2 == 0;
    !avoided || (open_sea && !r.avoid_waters)
}

fn oracle_edge_ok(net: &Network, r: &Restrictions, e: usize) -> bool {
    let needs: u8 = match net.edge_kind[e] {
        0 | 4 => 1,
        1 | 5 => 2,
        2 => 4,
        3 => 8,
        k => panic!("unknown edge kind {k}"),
    };
    let passage_closed = (r.closed_passages >> net.edge_passage[e]) & 1 == 1;
    let flags = net.edge_flags[e];
    r.modes & needs != 0 && !passage_closed && flags & 8 == 0 && (r.allow_planned || flags & 1 == 0)
}

fn brute_force_with(
    net: &Network,
    r: &Restrictions,
    metric: Metric,
    sources: &[Terminal],
    targets: &[Terminal],
) -> Option<u64> {
    let n = net.node_count();
    let mut dist = vec![u64::MAX; n];
    for s in sources {
        if oracle_node_ok(net, r, s.node as usize) {
            dist[s.node as usize] = dist[s.node as usize].min(s.cost);
        }
    }
    for _ in 0..n {
        let mut changed = false;
        for e in 0..net.edge_count() {
            if !oracle_edge_ok(net, r, e) {
                continue;
            }
            let (a, b) = (net.edge_a[e] as usize, net.edge_b[e] as usize);
            let w = metric.weight(net.edge_len_m[e], e as u32) as u64;
            if !oracle_node_ok(net, r, a) || !oracle_node_ok(net, r, b) {
                continue;
            }
            for (u, v) in [(a, b), (b, a)] {
                if dist[u] != u64::MAX && dist[u] + w < dist[v] {
                    dist[v] = dist[u] + w;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    targets
        .iter()
        .filter(|t| oracle_node_ok(net, r, t.node as usize) && dist[t.node as usize] != u64::MAX)
        .map(|t| dist[t.node as usize] + t.cost)
        .min()
}

/// A path must be a real walk under the restrictions whose cost matches its terminals and edges.
fn check_path(net: &Network, r: &Restrictions, sources: &[Terminal], targets: &[Terminal], p: &Path) {
    assert_eq!(p.nodes.len(), p.edges.len() + 1);
    assert_eq!(p.nodes[0], sources[p.source].node);
    assert_eq!(*p.nodes.last().unwrap(), targets[p.target].node);
    for (i, &e) in p.edges.iter().enumerate() {
        assert!(oracle_edge_ok(net, r, e as usize), "edge {e} not allowed");
        let (a, b) = (net.edge_a[e as usize], net.edge_b[e as usize]);
        assert!(
            (a, b) == (p.nodes[i], p.nodes[i + 1]) || (b, a) == (p.nodes[i], p.nodes[i + 1]),
            "edge {e} does not join consecutive nodes"
        );
    }
    for &v in &p.nodes {
        assert!(oracle_node_ok(net, r, v as usize), "node {v} excluded");
        let c = net.node_country[v as usize];
        if r.avoid_countries.contains(c) {
            assert!(net.layer(v) == Layer::Sea && !r.avoid_waters, "avoided country on land");
        }
    }
    assert_eq!(p.cost, sources[p.source].cost + p.network_m(net) + targets[p.target].cost);
}

#[test]
fn bidirectional_and_reference_equal_brute_force() {
    let mut rng = SmallRng::seed_from_u64(7);
    for round in 0..300 {
        let n = rng.gen_range(2..40);
        let m = rng.gen_range(0..n * 3);
        let net = random_network(&mut rng, n, m);
        let mut searcher = Searcher::new(&net);
        for _ in 0..10 {
            let r = random_restrictions(&mut rng);
            let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
            let want = brute_force(&net, &r, &s, &t);
            let fast = searcher.shortest_path(&net, &r, Metric::Length, &s, &t);
            let slow = reference::shortest_path(&net, &r, Metric::Length, &s, &t);
            assert_eq!(fast.as_ref().map(|p| p.cost), want, "bidir, round {round}");
            assert_eq!(slow.as_ref().map(|p| p.cost), want, "reference, round {round}");
            if let Some(p) = &fast {
                check_path(&net, &r, &s, &t, p);
            }
            if let Some(p) = &slow {
                check_path(&net, &r, &s, &t, p);
            }
        }
    }
}

/// `ManySearcher::nearest` (the ocean ports nearest a land end) returns the k target nodes
/// nearest to the sources, nearest first, at their brute-force distances.
#[test]
fn nearest_targets_equal_brute_force() {
    let mut rng = SmallRng::seed_from_u64(11);
    for round in 0..200 {
        let n = rng.gen_range(2..40);
        let m = rng.gen_range(0..n * 3);
        let net = random_network(&mut rng, n, m);
        let mut many = corridor::engine::many::ManySearcher::new(&net);
        for _ in 0..10 {
            let r = random_restrictions(&mut rng);
            let s = random_terminals(&mut rng, n);
            let targets: Vec<Terminal> =
                (0..rng.gen_range(1..8)).map(|_| Terminal { node: rng.gen_range(0..n as u32), cost: 0 }).collect();
            let k = rng.gen_range(1..5);
            let got = many.nearest(&net, &r, Metric::Length, &s, &targets, k);
            let mut want: Vec<(u32, u64)> = Vec::new();
            for t in &targets {
                if want.iter().any(|w| w.0 == t.node) {
                    continue;
                }
                if let Some(d) = brute_force(&net, &r, &s, std::slice::from_ref(t)) {
                    want.push((t.node, d));
                }
            }
            want.sort_by_key(|w| w.1);
            assert_eq!(got.len(), want.len().min(k), "round {round}");
            for (i, (node, d)) in got.iter().enumerate() {
                assert_eq!(*d, want[i].1, "round {round}: distance of the {i}th nearest");
                assert_eq!(want.iter().find(|w| w.0 == *node).map(|w| w.1), Some(*d), "round {round}");
            }
        }
    }
}

#[test]
fn per_edge_weights_equal_brute_force() {
    let mut rng = SmallRng::seed_from_u64(11);
    for round in 0..200 {
        let n = rng.gen_range(2..40);
        let m = rng.gen_range(0..n * 3);
        let net = random_network(&mut rng, n, m);
        let weights: Vec<u32> = (0..net.edge_count()).map(|_| rng.gen_range(0..1_000_000)).collect();
        let metric = Metric::PerEdge(&weights);
        let mut searcher = Searcher::new(&net);
        for _ in 0..10 {
            let r = random_restrictions(&mut rng);
            let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
            let want = brute_force_with(&net, &r, metric, &s, &t);
            let fast = searcher.shortest_path(&net, &r, metric, &s, &t);
            assert_eq!(fast.as_ref().map(|p| p.cost), want, "round {round}");
            assert_eq!(reference::shortest_path(&net, &r, metric, &s, &t).map(|p| p.cost), want);
            if let Some(p) = fast {
                assert_eq!(p.cost, s[p.source].cost + p.network_weight(&net, metric) + t[p.target].cost);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Adding an exclusion never shortens a route (and never creates one).
    #[test]
    fn tighter_restrictions_never_shorten(seed in any::<u64>()) {
        let mut rng = SmallRng::seed_from_u64(seed);
        let n = rng.gen_range(2..60);
        let m = rng.gen_range(0..n * 3);
        let net = random_network(&mut rng, n, m);
        let loose = random_restrictions(&mut rng);
        let mut tight = loose;
        tight.avoid_countries.insert(rng.gen_range(1..=COUNTRIES as u8));
        tight.closed_passages |= 1 << rng.gen_range(1..=PASSAGES);
        tight.modes &= rng.gen_range(0..16);
        tight.allow_planned &= rng.gen_bool(0.5);
        tight.avoid_waters |= rng.gen_bool(0.5);
        prop_assert!(loose.is_looser_or_equal(&tight));
        let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
        let mut searcher = Searcher::new(&net);
        let a = searcher.shortest_path(&net, &loose, Metric::Length, &s, &t).map(|p| p.cost);
        let b = searcher.shortest_path(&net, &tight, Metric::Length, &s, &t).map(|p| p.cost);
        match (a, b) {
            (None, Some(_)) => prop_assert!(false, "tightening created a route"),
            (Some(x), Some(y)) => prop_assert!(y >= x),
            _ => {}
        }
    }

    /// Edges are undirected: A->B costs what B->A costs.
    #[test]
    fn symmetric(seed in any::<u64>()) {
        let mut rng = SmallRng::seed_from_u64(seed);
        let n = rng.gen_range(2..60);
        let m = rng.gen_range(0..n * 3);
        let net = random_network(&mut rng, n, m);
        let r = random_restrictions(&mut rng);
        let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
        let mut searcher = Searcher::new(&net);
        let ab = searcher.shortest_path(&net, &r, Metric::Length, &s, &t).map(|p| p.cost);
        let ba = searcher.shortest_path(&net, &r, Metric::Length, &t, &s).map(|p| p.cost);
        prop_assert_eq!(ab, ba);
    }

    /// The network file round-trips exactly.
    #[test]
    fn format_round_trip(seed in any::<u64>()) {
        let mut rng = SmallRng::seed_from_u64(seed);
        let n = rng.gen_range(2..60);
        let m = rng.gen_range(0..n * 3);
        let net = random_network(&mut rng, n, m);
        let nodes = NodeColumns { lat_e6: net.lat_e6.to_vec(), lon_e6: net.lon_e6.to_vec(), country: net.node_country.to_vec(), layer: net.node_layer.to_vec(), flags: net.node_flags.to_vec() };
        let edges = EdgeColumns { a: net.edge_a.to_vec(), b: net.edge_b.to_vec(), len_m: net.edge_len_m.to_vec(), kind: net.edge_kind.to_vec(), passage: net.edge_passage.to_vec(), flags: net.edge_flags.to_vec(), link: net.edge_link.to_vec() };
        let bytes = corridor::network::format::encode(&net.meta, &nodes, &edges).unwrap();
        let back = corridor::network::format::decode(&bytes).unwrap();
        prop_assert_eq!(&*back.lat_e6, &*net.lat_e6);
        prop_assert_eq!(&*back.edge_b, &*net.edge_b);
        prop_assert_eq!(&*back.edge_len_m, &*net.edge_len_m);
        prop_assert_eq!(&*back.first_out, &*net.first_out);
        // the raw load cache reads back the same columns, in place
        let raw: corridor::col::SharedBytes = std::sync::Arc::new(corridor::network::format::encode_raw(&net).unwrap());
        let mapped = corridor::network::format::decode_raw(raw.clone()).unwrap();
        prop_assert_eq!(&*mapped.arc_head, &*net.arc_head);
        prop_assert_eq!(&*mapped.edge_kind, &*net.edge_kind);
        prop_assert_eq!(&mapped.meta.countries, &net.meta.countries);
        let mut cut = (*raw).as_ref().to_vec();
        cut.truncate(cut.len() * 2 / 3);
        prop_assert!(corridor::network::format::decode_raw(std::sync::Arc::new(cut)).is_err());
        // deterministic
        prop_assert_eq!(bytes, corridor::network::format::encode(&net.meta, &nodes, &edges).unwrap());
    }
}

/// The raw cache keeps the places (binary) and the lookup indexes (gazetteer, grids), which load
/// in place and answer like freshly built ones; damaged bytes give an error or a network whose
/// answers are still checked, never a panic.
#[test]
fn raw_cache_keeps_places_and_lookup_indexes() {
    use corridor::network::{Place, PlaceKind};
    let mut rng = SmallRng::seed_from_u64(11);
    let mut net = geometric_network(&mut rng, 400);
    let names = ["Xi'an", "São Paulo", "Brest", "Baku/Alat", "İstanbul", "Małaszewicze", "Port of Poti", "Aktau"];
    let mut meta = (*net.meta).clone();
    meta.places = (0..120)
        .map(|i| Place {
            name: format!("{} {}", names[i % names.len()], i / 3),
            aliases: if i % 4 == 0 { vec![format!("Alias {i}"), "Shared".into()] } else { vec![] },
            country: ["KZ", "AZ", "GE"][i % 3].into(),
            lat: rng.gen_range(-60.0..60.0),
            lon: rng.gen_range(-170.0..170.0),
            kind: [PlaceKind::City, PlaceKind::Port, PlaceKind::Border, PlaceKind::Dryport, PlaceKind::Station][i % 5],
            population: rng.gen_range(0..2_000_000),
            locode: (i % 5 == 1).then(|| format!("KZ{:03}", i)),
            hub: (i % 7 == 0).then_some(i as u32),
            origin: (i % 3) as u8,
        })
        .collect();
    net = Network::from_parts(meta, nodes_of(&net), edges_of(&net)).unwrap();
    let raw = corridor::network::format::encode_raw(&net).unwrap();
    let mapped = corridor::network::format::decode_raw(std::sync::Arc::new(raw.clone())).unwrap();
    assert!(mapped.lookup_ready(), "the lookup indexes come with the cache");
    // the places come back whole but for their aliases, which the saved gazetteer holds folded
    // (decoded only when the gazetteer must be built again: see the flipped bytes below)
    let without_aliases = |ps: &[Place]| ps.iter().map(|p| Place { aliases: vec![], ..p.clone() }).collect::<Vec<_>>();
    assert_eq!(without_aliases(&mapped.meta.places), without_aliases(&net.meta.places));
    let (built, read) = (net.lookup(), mapped.lookup());
    let places = &net.meta.places;
    for q in ["xian 3", "SAO PAULO 1", "shared", "alias 8", "KZ001", "KZ006", "Aktau 39", "nowhere"] {
        let a = built.gazetteer.resolve(places, q).map(|r| r.place).map_err(|e| e.to_string());
        let b = read.gazetteer.resolve(places, q).map(|r| r.place).map_err(|e| e.to_string());
        assert_eq!(a, b, "{q}");
    }
    assert_eq!(built.gazetteer.complete(places, "ba", 50), read.gazetteer.complete(places, "ba", 50));
    for _ in 0..50 {
        let (lat, lon) = (rng.gen_range(-70.0..70.0), rng.gen_range(-180.0..180.0));
        assert_eq!(
            built.place_grid.nearest(lat, lon, 3000.0, |_| true),
            read.place_grid.nearest(lat, lon, 3000.0, |_| true)
        );
        for (a, b) in built.layer_grids.iter().zip(&read.layer_grids) {
            assert_eq!(a.layer, b.layer);
            let near = |g: &corridor::network::lookup::LayerGrid| {
                g.grid.nearest(lat, lon, 5000.0, |_| true).map(|(i, d)| (g.nodes[i as usize], d))
            };
            assert_eq!(near(a), near(b));
        }
    }
    // flipped bytes anywhere (the header densely, then 400 places spread over the file; the
    // grids' cell offsets alone are 1 MB each): an error, or a network whose lookups still answer
    let spread = (raw.len() / 400).max(1);
    for i in (16..2048.min(raw.len())).step_by(7).chain((2048..raw.len()).step_by(spread)) {
        let mut b = raw.clone();
        b[i] ^= 0xa5;
        if let Ok(n) = corridor::network::format::decode_raw(std::sync::Arc::new(b)) {
            let _ = n.lookup().gazetteer.resolve(&n.meta.places, "xian 3");
            let _ = n.lookup().gazetteer.complete(&n.meta.places, "a", 5);
        }
    }
    // a cache whose saved gazetteer does not load (here: its fingerprint changed, with the
    // checksums not read again, as for a stamped file) reads the aliases and builds the
    // gazetteer anew, aliases included
    let shared: corridor::col::SharedBytes = std::sync::Arc::new(raw.clone());
    let sections = corridor::col::Sections::parse(shared.clone(), b"CORRRAW4").unwrap();
    let at = sections.bytes("lookup.fingerprint").unwrap().as_ptr() as usize - (*shared).as_ref().as_ptr() as usize;
    let mut b = raw.clone();
    b[at] ^= 1;
    let rebuilt = corridor::network::format::decode_raw_with(std::sync::Arc::new(b), corridor::col::Verify::HeaderOnly)
        .expect("a cache without its lookup still loads");
    assert!(!rebuilt.lookup_ready());
    assert_eq!(rebuilt.meta.places, net.meta.places);
    let hit = rebuilt.lookup().gazetteer.resolve(&rebuilt.meta.places, "alias 8").map(|r| r.place);
    assert!(hit.is_ok(), "an alias resolves through the rebuilt gazetteer");
    assert_eq!(hit.ok(), built.gazetteer.resolve(places, "alias 8").map(|r| r.place).ok());
}

fn nodes_of(net: &Network) -> NodeColumns {
    NodeColumns {
        lat_e6: net.lat_e6.to_vec(),
        lon_e6: net.lon_e6.to_vec(),
        country: net.node_country.to_vec(),
        layer: net.node_layer.to_vec(),
        flags: net.node_flags.to_vec(),
    }
}

fn edges_of(net: &Network) -> EdgeColumns {
    EdgeColumns {
        a: net.edge_a.to_vec(),
        b: net.edge_b.to_vec(),
        len_m: net.edge_len_m.to_vec(),
        kind: net.edge_kind.to_vec(),
        passage: net.edge_passage.to_vec(),
        flags: net.edge_flags.to_vec(),
        link: net.edge_link.to_vec(),
    }
}

#[test]
fn corrupt_files_are_errors_not_panics() {
    let mut rng = SmallRng::seed_from_u64(3);
    let net = random_network(&mut rng, 30, 60);
    let (nodes, edges) = (nodes_of(&net), edges_of(&net));
    let bytes = corridor::network::format::encode(&net.meta, &nodes, &edges).unwrap();
    assert!(corridor::network::format::decode(&bytes[..bytes.len() / 2]).is_err());
    assert!(corridor::network::format::decode(b"garbage").is_err());
    for i in (12..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[i] ^= 0x5a;
        let _ = corridor::network::format::decode(&b); // must not panic
    }
}

/// A larger road-like network: random points joined to their nearest neighbours, so that the
/// nested dissection really cuts (small random networks are ordered by minimum degree alone).
fn geometric_network(rng: &mut SmallRng, n: usize) -> Network {
    let mut nodes = NodeColumns::default();
    for _ in 0..n {
        let layer = if rng.gen_bool(0.5) { Layer::Rail } else { Layer::Road };
        nodes.lat_e6.push(rng.gen_range(-10_000_000..10_000_000));
        nodes.lon_e6.push(rng.gen_range(-20_000_000..20_000_000));
        nodes.country.push(rng.gen_range(1..=COUNTRIES as u8));
        nodes.layer.push(layer as u8);
        nodes.flags.push(0);
    }
    let mut edges = std::collections::BTreeSet::new();
    for a in 0..n {
        let mut near: Vec<(i64, usize)> = (0..n)
            .filter(|&b| b != a && nodes.layer[b] == nodes.layer[a])
            .map(|b| {
                let dy = (nodes.lat_e6[a] - nodes.lat_e6[b]) as i64;
                let dx = (nodes.lon_e6[a] - nodes.lon_e6[b]) as i64;
                (dx * dx + dy * dy, b)
            })
            .collect();
        near.sort();
        for &(_, b) in near.iter().take(3) {
            edges.insert((a.min(b) as u32, a.max(b) as u32));
        }
    }
    let edges: Vec<(u32, u32)> = edges.into_iter().collect();
    let kinds: Vec<u8> = edges
        .iter()
        .map(|&(a, _)| if nodes.layer[a as usize] == Layer::Rail as u8 { EdgeKind::Rail } else { EdgeKind::Road } as u8)
        .collect();
    let cols = EdgeColumns {
        len_m: edges.iter().map(|_| rng.gen_range(1..100_000)).collect(),
        a: edges.iter().map(|e| e.0).collect(),
        b: edges.iter().map(|e| e.1).collect(),
        kind: kinds,
        passage: vec![0; edges.len()],
        flags: edges.iter().map(|_| if rng.gen_bool(0.05) { edge_flags::PLANNED } else { 0 }).collect(),
        link: vec![0; edges.len()],
    };
    Network::from_parts(meta(), nodes, cols).expect("geometric network is valid")
}

fn cch_of(net: &Network) -> corridor::engine::cch::Cch {
    let cch = corridor::engine::cch::Cch::build(net, &|_, _| {});
    let mut seen = vec![false; net.node_count()];
    for &v in cch.order.iter() {
        assert!(!std::mem::replace(&mut seen[v as usize], true), "order is a permutation");
    }
    assert!(seen.iter().all(|&s| s));
    cch
}

#[test]
fn cch_customized_distances_equal_brute_force() {
    use corridor::engine::cch::{distance, UpSearch};
    let mut rng = SmallRng::seed_from_u64(41);
    for round in 0..150 {
        let net = if round % 10 == 9 {
            geometric_network(&mut rng, 600)
        } else {
            let n = rng.gen_range(2..80);
            let m = rng.gen_range(0..n * 3);
            random_network(&mut rng, n, m)
        };
        let n = net.node_count();
        let cch = cch_of(&net);
        let weights: Vec<u32> = (0..net.edge_count()).map(|_| rng.gen_range(0..1_000_000)).collect();
        let (mut fw, mut bw) = (UpSearch::new(n), UpSearch::new(n));
        for metric in [Metric::Length, Metric::PerEdge(&weights)] {
            for _ in 0..4 {
                let r = random_restrictions(&mut rng);
                let w = cch.customize_for(&net, Some(&r), metric);
                for _ in 0..5 {
                    let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
                    let want = brute_force_with(&net, &r, metric, &s, &t);
                    // terminals in excluded nodes are not usable, as in every search
                    let s: Vec<Terminal> = s.into_iter().filter(|x| r.node_ok(&net, x.node)).collect();
                    let t: Vec<Terminal> = t.into_iter().filter(|x| r.node_ok(&net, x.node)).collect();
                    let got = distance(&cch, &w, &mut fw, &mut bw, &s, &t);
                    assert_eq!(got, want, "round {round}");
                }
            }
        }
    }
}

#[test]
fn cch_potential_search_equals_brute_force() {
    use corridor::engine::cch::potential::{CchSearcher, PotentialSource};
    use corridor::engine::min_weight_per_metre;
    let mut rng = SmallRng::seed_from_u64(43);
    let mut families_used = 0;
    for round in 0..150 {
        let net = if round % 10 == 9 {
            geometric_network(&mut rng, 800)
        } else {
            let n = rng.gen_range(2..80);
            let m = rng.gen_range(0..n * 3);
            random_network(&mut rng, n, m)
        };
        let n = net.node_count();
        let cch = cch_of(&net);
        let weights: Vec<u32> =
            (0..net.edge_count()).map(|e| net.edge_len_m[e] / 10 + rng.gen_range(0..50_000)).collect();
        let length_w = cch.customize_for(&net, None, Metric::Length);
        let own_w = cch.customize_for(&net, None, Metric::PerEdge(&weights));
        // two families: one country avoided (all else open), and a random looser set
        let mut fam_a = Restrictions::open();
        fam_a.allow_planned = true;
        fam_a.avoid_countries.insert(rng.gen_range(1..=COUNTRIES as u8));
        let mut fam_b = random_restrictions(&mut rng);
        fam_b.modes = 0b1111;
        fam_b.allow_planned = true;
        let fam_a_w = cch.customize_for(&net, Some(&fam_a), Metric::Length);
        let fam_b_w = cch.customize_for(&net, Some(&fam_b), Metric::Length);
        // the families also customized with the objective's own weights (exact for them, as
        // `corridor prepare` stores them for the default objective)
        let fam_a_own = cch.customize_for(&net, Some(&fam_a), Metric::PerEdge(&weights));
        let fam_b_own = cch.customize_for(&net, Some(&fam_b), Metric::PerEdge(&weights));
        let mut search = CchSearcher::new(&net);
        for metric in [Metric::Length, Metric::PerEdge(&weights)] {
            let scale = min_weight_per_metre(&net, metric);
            let with = |w: &'static str| -> Vec<PotentialSource> {
                let base = match w {
                    "own" | "own-families" => {
                        PotentialSource { weights: &own_w, scale: 1.0, family: None, delta: None }
                    }
                    _ => PotentialSource { weights: &length_w, scale, family: None, delta: None },
                };
                let mut v = vec![base];
                if w == "own-families" {
                    v.push(PotentialSource { weights: &fam_a_own, scale: 1.0, family: Some(fam_a), delta: None });
                    v.push(PotentialSource { weights: &fam_b_own, scale: 1.0, family: Some(fam_b), delta: None });
                }
                v.push(PotentialSource { weights: &fam_a_w, scale, family: Some(fam_a), delta: None });
                v.push(PotentialSource { weights: &fam_b_w, scale, family: Some(fam_b), delta: None });
                v
            };
            let mut kinds = vec!["length"];
            if matches!(metric, Metric::PerEdge(_)) {
                kinds.push("own");
                kinds.push("own-families");
            }
            for kind in kinds {
                let pots = with(kind);
                for families in [1, pots.len()] {
                    for _ in 0..6 {
                        let mut r = random_restrictions(&mut rng);
                        if rng.gen_bool(0.5) {
                            r.avoid_countries = fam_a.avoid_countries;
                        }
                        let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
                        let want = brute_force_with(&net, &r, metric, &s, &t);
                        let got = search.shortest_path(&net, &cch, &pots[..families], &r, metric, &s, &t);
                        assert_eq!(got.as_ref().map(|p| p.cost), want, "round {round}");
                        families_used += search.families_used;
                        if let Some(p) = got {
                            assert_eq!(p.cost, s[p.source].cost + p.network_weight(&net, metric) + t[p.target].cost);
                            check_path(
                                &net,
                                &r,
                                &s,
                                &t,
                                &Path { cost: s[p.source].cost + p.network_m(&net) + t[p.target].cost, ..p.clone() },
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(families_used > 100, "families were exercised ({families_used})");
}

/// A family made from a looser customization (`Cch::customize_from`, which recomputes only the
/// elimination-tree ancestors of the newly excluded edges) equals the full customization; stored
/// as a difference (`ArcDelta`) it reads the same weights for every rank, survives the file
/// round trip, and as an A* potential gives brute force's answers.
#[test]
fn cch_partial_customization_and_deltas_equal_full() {
    use corridor::engine::cch::potential::{CchSearcher, PotentialSource};
    use corridor::engine::cch::{ArcDelta, Cch};
    let mut rng = SmallRng::seed_from_u64(59);
    let mut deltas_used = 0;
    for round in 0..120 {
        let mut net = if round % 8 == 7 {
            geometric_network(&mut rng, 700)
        } else {
            let n = rng.gen_range(2..80);
            let m = rng.gen_range(0..n * 3);
            random_network(&mut rng, n, m)
        };
        std::sync::Arc::make_mut(&mut net.meta).version = "v1".into();
        let n = net.node_count();
        let cch = cch_of(&net);
        let weights: Vec<u32> = (0..net.edge_count()).map(|_| rng.gen_range(0..1_000_000)).collect();
        let mut search = CchSearcher::new(&net);
        for metric in [Metric::Length, Metric::PerEdge(&weights)] {
            // a looser base and a stricter family: more countries, passages, fewer modes
            let mut base_r = random_restrictions(&mut rng);
            if rng.gen_bool(0.5) {
                base_r = Restrictions::open();
                base_r.allow_planned = true;
            }
            let mut r = base_r;
            r.avoid_countries.insert(rng.gen_range(1..=COUNTRIES as u8));
            if rng.gen_bool(0.3) {
                r.closed_passages |= 1 << rng.gen_range(1..=PASSAGES);
            }
            if rng.gen_bool(0.2) {
                r.modes &= rng.gen_range(0..16);
            }
            if rng.gen_bool(0.2) {
                r.avoid_waters = true;
            }
            assert!(base_r.is_looser_or_equal(&r));
            let base = cch.customize_for(&net, Some(&base_r), metric);
            let full = cch.customize_for(&net, Some(&r), metric);
            assert_eq!(cch.customize_from(&net, &base, &base_r, &r, metric), full, "round {round}");
            let d = ArcDelta::new(&cch, &base, &full);
            d.validate(&cch).expect("a delta fits its hierarchy");
            for x in 0..n {
                let (s, e) = (cch.up_first[x] as usize, cch.up_first[x + 1] as usize);
                assert_eq!(d.arcs(&base, x, s, e), &full[s..e], "round {round}, rank {x}");
            }
            // two deltas in one file (their columns are stored concatenated)
            let d2 = ArcDelta::new(&cch, &full, &base);
            let bytes: corridor::col::SharedBytes = std::sync::Arc::new(cch.to_bytes_with_deltas(
                "v1",
                &[("base", &base)],
                &[("family", &d), ("back", &d2)],
            ));
            for verify in [corridor::col::Verify::Checksums, corridor::col::Verify::HeaderOnly] {
                let (_, _, back) = Cch::from_bytes_with_deltas(bytes.clone(), &net, verify).expect("reads back");
                assert_eq!(back.len(), 2);
                for ((name, got), (want_name, want)) in back.iter().zip([("family", &d), ("back", &d2)]) {
                    assert_eq!(name, want_name);
                    assert_eq!(
                        (&*got.bits, &*got.before, &*got.first, &*got.weights),
                        (&*want.bits, &*want.before, &*want.first, &*want.weights)
                    );
                }
            }
            let pots = [
                PotentialSource { weights: &base, scale: 1.0, family: Some(base_r), delta: None },
                PotentialSource { weights: &base, scale: 1.0, family: Some(r), delta: Some(&d) },
            ];
            for _ in 0..6 {
                let mut q = r;
                if rng.gen_bool(0.5) {
                    q.avoid_countries.insert(rng.gen_range(1..=COUNTRIES as u8));
                }
                let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
                let want = brute_force_with(&net, &q, metric, &s, &t);
                let got = search.shortest_path(&net, &cch, &pots, &q, metric, &s, &t);
                assert_eq!(got.as_ref().map(|p| p.cost), want, "round {round}");
                deltas_used += search.families_used;
            }
        }
    }
    assert!(deltas_used > 20, "delta potentials were exercised ({deltas_used})");
}

/// The text form stored with each family customization reads back to the same restrictions,
/// and anything else is refused.
#[test]
fn restriction_keys_round_trip() {
    let mut rng = SmallRng::seed_from_u64(49);
    for _ in 0..200 {
        let mut r = random_restrictions(&mut rng);
        r.avoid_waters = rng.gen_bool(0.5);
        r.allow_planned = rng.gen_bool(0.5);
        assert_eq!(Restrictions::from_key(&r.to_key()), Some(r));
    }
    for bad in ["", "1.2.3", "x.0.0.0.0.f.0", "0.0.0.0.0.100.0", "0.0.0.0.0.f.4", "0.0.0.0.0.f.0.0"] {
        assert_eq!(Restrictions::from_key(bad), None, "{bad}");
    }
}

#[test]
fn cch_matrix_equals_brute_force() {
    use corridor::engine::cch::matrix::many_to_many;
    let mut rng = SmallRng::seed_from_u64(47);
    for round in 0..40 {
        let net = if round % 4 == 3 {
            geometric_network(&mut rng, 500)
        } else {
            let n = rng.gen_range(2..80);
            let m = rng.gen_range(0..n * 3);
            random_network(&mut rng, n, m)
        };
        let n = net.node_count();
        let cch = cch_of(&net);
        let r = random_restrictions(&mut rng);
        let w = cch.customize_for(&net, Some(&r), Metric::Length);
        let keep =
            |ts: Vec<Terminal>| -> Vec<Terminal> { ts.into_iter().filter(|x| r.node_ok(&net, x.node)).collect() };
        let origins: Vec<Vec<Terminal>> =
            (0..rng.gen_range(1..8)).map(|_| keep(random_terminals(&mut rng, n))).collect();
        let dests: Vec<Vec<Terminal>> = (0..rng.gen_range(1..8)).map(|_| keep(random_terminals(&mut rng, n))).collect();
        let got = many_to_many(&cch, &w, &origins, &dests, 2, &|| {});
        for (i, o) in origins.iter().enumerate() {
            for (j, d) in dests.iter().enumerate() {
                let want = brute_force(&net, &r, o, d);
                let cell = got[i][j];
                assert_eq!(cell.map(|c| c.total), want, "round {round} ({i}, {j})");
                if let Some(c) = cell {
                    // the terminals named give the same total
                    let via = brute_force(&net, &r, &o[c.source..=c.source], &d[c.target..=c.target]);
                    assert_eq!(via, Some(c.total));
                }
            }
        }
    }
}

#[test]
fn cch_files_round_trip_and_reject_other_networks() {
    use corridor::engine::cch::Cch;
    let mut rng = SmallRng::seed_from_u64(53);
    let mut net = geometric_network(&mut rng, 300);
    std::sync::Arc::make_mut(&mut net.meta).version = "v1".into();
    let cch = cch_of(&net);
    let w = cch.customize_for(&net, None, Metric::Length);
    let bytes: corridor::col::SharedBytes = std::sync::Arc::new(cch.to_bytes("v1", &[("length", &w)]));
    let full = corridor::col::Verify::Checksums;
    let (back, metrics) = Cch::from_bytes(bytes.clone(), &net, full).expect("reads back");
    assert_eq!(&*back.up_head, &*cch.up_head);
    assert_eq!(&*back.edge_arc, &*cch.edge_arc);
    assert_eq!(metrics.len(), 1);
    assert_eq!(&*metrics[0].1, &w[..]);
    std::sync::Arc::make_mut(&mut net.meta).version = "v2".into();
    assert!(Cch::from_bytes(bytes.clone(), &net, full).is_err(), "other network version");
    let mut cut = (*bytes).as_ref().to_vec();
    cut.truncate(cut.len() / 2);
    std::sync::Arc::make_mut(&mut net.meta).version = "v1".into();
    assert!(Cch::from_bytes(std::sync::Arc::new(cut), &net, full).is_err(), "truncated");
}

/// A scenario closes edges and opens planned ones on a copy of the network; the engine prepared
/// on the original network must still answer exactly on the copy.
#[test]
fn prepared_potentials_stay_exact_under_scenario_edge_changes() {
    use corridor::engine::cch::potential::{CchSearcher, PotentialSource};
    let mut rng = SmallRng::seed_from_u64(59);
    for round in 0..60 {
        let net = if round % 6 == 5 {
            geometric_network(&mut rng, 600)
        } else {
            let n = rng.gen_range(2..80);
            let m = rng.gen_range(0..n * 3);
            random_network(&mut rng, n, m)
        };
        let cch = cch_of(&net);
        let mut open = Restrictions::open();
        open.allow_planned = true;
        let base = cch.customize_for(&net, None, Metric::Length);
        let close: Vec<u32> = (0..net.edge_count() as u32).filter(|_| rng.gen_bool(0.15)).collect();
        let opened: Vec<u32> = (0..net.edge_count() as u32)
            .filter(|&e| net.edge_flags[e as usize] & edge_flags::PLANNED != 0 && rng.gen_bool(0.5))
            .collect();
        let changed = net.with_edge_changes(&close, &opened);
        for &e in &close {
            assert!(!Restrictions::open().edge_ok(&changed, e) && !open.edge_ok(&changed, e), "closed edge usable");
        }
        let pots = [PotentialSource { weights: &base, scale: 1.0, family: None, delta: None }];
        let mut search = CchSearcher::new(&changed);
        let n = net.node_count();
        for _ in 0..10 {
            let r = random_restrictions(&mut rng);
            let (s, t) = (random_terminals(&mut rng, n), random_terminals(&mut rng, n));
            let want = brute_force(&changed, &r, &s, &t);
            let got = search.shortest_path(&changed, &cch, &pots, &r, Metric::Length, &s, &t);
            assert_eq!(got.as_ref().map(|p| p.cost), want, "round {round}");
            if let Some(p) = got {
                check_path(&changed, &r, &s, &t, &p);
            }
        }
    }
}

/// Among paths of equal cost every engine returns the same one (the shorter, then the smaller
/// sum of edge hashes: see `engine::Key`), so the prepared engine and the fallback give the same
/// route, not just the same cost. Weights and lengths drawn from a few values make ties the
/// rule, not the exception.
#[test]
fn every_engine_returns_the_same_path_among_equal_costs() {
    use corridor::engine::bidir::Searcher;
    use corridor::engine::cch::potential::{CchSearcher, PotentialSource};
    use corridor::engine::min_weight_per_metre;
    let mut rng = SmallRng::seed_from_u64(59);
    let mut tied = 0;
    for round in 0..12 {
        let base = geometric_network(&mut rng, 500);
        // lengths from {1000, 2000} (some rounds) so that the length tie-break ties too
        let (nodes, mut edges) = (nodes_of(&base), edges_of(&base));
        if round % 2 == 0 {
            edges.len_m = edges.len_m.iter().map(|_| rng.gen_range(1..=2) * 1000).collect();
        }
        let net = Network::from_parts(meta(), nodes, edges).unwrap();
        let n = net.node_count();
        let cch = cch_of(&net);
        let weights: Vec<u32> = (0..net.edge_count()).map(|_| rng.gen_range(1..=3)).collect();
        let mut bidir = Searcher::new(&net);
        let mut search = CchSearcher::new(&net);
        for metric in [Metric::Length, Metric::PerEdge(&weights)] {
            let own = cch.customize_for(&net, None, metric);
            let length_w = cch.customize_for(&net, None, Metric::Length);
            let scale = min_weight_per_metre(&net, metric);
            let pots_own = [PotentialSource { weights: &own, scale: 1.0, family: None, delta: None }];
            let pots_len = [PotentialSource { weights: &length_w, scale, family: None, delta: None }];
            for _ in 0..25 {
                let r = random_restrictions(&mut rng);
                let s = vec![Terminal { node: rng.gen_range(0..n) as u32, cost: 0 }];
                let t = vec![Terminal { node: rng.gen_range(0..n) as u32, cost: 0 }];
                let want = corridor::engine::reference::shortest_path(&net, &r, metric, &s, &t);
                let got_bidir = bidir.shortest_path(&net, &r, metric, &s, &t);
                let got_own = search.shortest_path(&net, &cch, &pots_own, &r, metric, &s, &t);
                let got_len = search.shortest_path(&net, &cch, &pots_len, &r, metric, &s, &t);
                assert_eq!(got_bidir, want, "bidirectional, round {round}");
                assert_eq!(got_own, want, "CCH potential, round {round}");
                assert_eq!(got_len, want, "CCH length potential, round {round}");
                if want.as_ref().is_some_and(|p| p.edges.len() > 3) {
                    tied += 1;
                }
            }
        }
    }
    assert!(tied > 30, "queries with real paths ({tied})");
}

/// Damage the checksums cannot see (a file damaged in place after its stamp, i.e. with the same
/// identity) meets the index checks only: whatever the bytes, every search on the engine or the
/// network read from them ends without panicking (a test that loops fails by not ending). And
/// the same damage with the checksums verified is always an error.
#[test]
fn damaged_files_read_as_stamped_never_panic_or_loop() {
    use corridor::col::Verify;
    use corridor::engine::bidir::Searcher;
    use corridor::engine::cch::potential::{CchSearcher, PotentialSource};
    use corridor::engine::cch::{Cch, UpSearch};
    let mut rng = SmallRng::seed_from_u64(61);
    let net = geometric_network(&mut rng, 300);
    let n = net.node_count() as u32;
    let cch = cch_of(&net);
    let w = cch.customize_for(&net, None, Metric::Length);
    let bytes = cch.to_bytes(&net.meta.version, &[("length", &w)]);
    let (mut accepted, mut search) = (0, CchSearcher::new(&net));
    let (mut fw, mut bw) = (UpSearch::new(n as usize), UpSearch::new(n as usize));
    let pairs = [(0, n - 1), (n / 2, 3), (7, n / 3)];
    for i in (16..bytes.len()).step_by(bytes.len() / 600) {
        for x in [0x01u8, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= x;
            assert!(Cch::from_bytes(std::sync::Arc::new(b.clone()), &net, Verify::Checksums).is_err());
            let Some(sealed) = corridor::testing::reseal(&b) else { continue };
            let Ok((c, metrics)) = Cch::from_bytes(std::sync::Arc::new(sealed), &net, Verify::HeaderOnly) else {
                continue;
            };
            accepted += 1;
            let Some((_, w)) = metrics.first() else { continue };
            let pots = [PotentialSource { weights: w, scale: 1.0, family: None, delta: None }];
            for &(a, z) in &pairs {
                let (s, t) = ([Terminal { node: a, cost: 0 }], [Terminal { node: z, cost: 0 }]);
                let _ = search.shortest_path(&net, &c, &pots, &Restrictions::open(), Metric::Length, &s, &t);
                let _ = corridor::engine::cch::distance(&c, w, &mut fw, &mut bw, &s, &t);
            }
            let _ = c.customize_for(&net, None, Metric::Length);
        }
    }
    assert!(accepted > 100, "damage the index checks let through was searched ({accepted})");
    // the raw network cache, damaged the same way
    let raw = corridor::network::format::encode_raw(&net).unwrap();
    let mut accepted = 0;
    for i in (16..raw.len()).step_by(raw.len() / 600) {
        for x in [0x01u8, 0x80, 0xff] {
            let mut b = raw.clone();
            b[i] ^= x;
            let decode = |b: Vec<u8>, v| corridor::network::format::decode_raw_with(std::sync::Arc::new(b), v);
            assert!(decode(b.clone(), Verify::Checksums).is_err());
            let Some(sealed) = corridor::testing::reseal(&b) else { continue };
            let Ok(damaged) = decode(sealed, Verify::HeaderOnly) else { continue };
            accepted += 1;
            let mut bidir = Searcher::new(&damaged);
            let m = damaged.node_count() as u32;
            if m == 0 {
                continue;
            }
            for &(a, z) in &pairs {
                let (s, t) = ([Terminal { node: a % m, cost: 0 }], [Terminal { node: z % m, cost: 0 }]);
                let _ = bidir.shortest_path(&damaged, &Restrictions::open(), Metric::Length, &s, &t);
                let _ =
                    corridor::engine::reference::shortest_path(&damaged, &Restrictions::open(), Metric::Length, &s, &t);
            }
            let _ = damaged.lookup().gazetteer.complete(&damaged.meta.places, "a", 3);
        }
    }
    assert!(accepted > 100, "damage the index checks let through was searched ({accepted})");
}
