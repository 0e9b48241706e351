//! Criticality on small networks whose answers are known by hand: a bridge's removal
//! disconnects, a detour's extra km is exactly the difference of the two paths, elements no
//! flow uses are not candidates, and a country is not charged for flows that start in it.

use corridor::critical::{critical, ElementKind};
use corridor::model::cost::Objective;
use corridor::network::{EdgeColumns, EdgeKind, Layer, Meta, Network, NodeColumns, Place, PlaceKind};
use corridor::od::OdPair;
use corridor::planner::{Constraints, Planner};

/// Rail line Alpha(0) - 1 - 2 | 3 - Delta(4) across the AA|BB border at edge 2-3, and, when
/// `detour`, a second crossing 1 - 5 | 6 - 3 far to the north (2 degrees away).
fn line(detour: bool) -> Network {
    let mut nodes = NodeColumns::default();
    let mut add = |lat: f64, lon: f64, country: u8| {
        nodes.lat_e6.push((lat * 1e6) as i32);
        nodes.lon_e6.push((lon * 1e6) as i32);
        nodes.country.push(country);
        nodes.layer.push(Layer::Rail as u8);
        nodes.flags.push(0);
    };
    add(40.0, 10.0, 1);
    add(40.0, 10.5, 1);
    add(40.0, 11.0, 1);
    add(40.0, 11.1, 2);
    add(40.0, 11.6, 2);
    let mut edges = vec![(0, 1, 40_000), (1, 2, 40_000), (2, 3, 8_000), (3, 4, 40_000)];
    if detour {
        add(42.0, 10.9, 1);
        add(42.0, 11.2, 2);
        edges.extend([(1, 5, 230_000), (5, 6, 25_000), (3, 6, 230_000)]);
    }
    let cols = EdgeColumns {
        a: edges.iter().map(|e| e.0).collect(),
        b: edges.iter().map(|e| e.1).collect(),
        len_m: edges.iter().map(|e| e.2).collect(),
        kind: vec![EdgeKind::Rail as u8; edges.len()],
        passage: vec![0; edges.len()],
        flags: vec![0; edges.len()],
        link: vec![0; edges.len()],
    };
    let place = |name: &str, country: &str, lat: f64, lon: f64| Place {
        name: name.into(),
        aliases: vec![],
        country: country.into(),
        lat,
        lon,
        kind: PlaceKind::City,
        population: 100_000,
        locode: None,
        hub: None,
        origin: 0,
    };
    let meta = Meta {
        version: format!("test-{detour}"),
        sources: vec![],
        attribution: String::new(),
        disputed_policy: String::new(),
        countries: vec![String::new(), "AA".into(), "BB".into()],
        passages: vec![String::new()],
        default_closed_passages: vec![],
        links: vec![],
        places: vec![place("Alpha", "AA", 40.0, 10.0), place("Delta", "BB", 40.0, 11.6)],
        stats: serde_json::Value::Null,
    };
    Network::from_parts(meta, nodes, cols).expect("valid test network")
}

fn parse_od_csv(text: &str) -> corridor::Result<Vec<OdPair>> {
    corridor::od::parse(text, "test flows")
}

fn flows() -> Vec<OdPair> {
    parse_od_csv("from,to,demand\nAlpha,Delta,3\n").unwrap()
}

#[test]
fn removing_a_bridge_crossing_loses_the_flow() {
    let net = line(false);
    let planner = Planner::new(net.clone());
    let c = critical(&planner, &flows(), &Constraints::default(), Objective::Distance, 2, &|_, _| true).unwrap();
    assert_eq!(c.flows[0].distance_km, Some(128.0));
    let crossing =
        c.ranking.iter().find(|r| r.kind == ElementKind::BorderCrossing).expect("the crossing is a candidate");
    assert_eq!((crossing.flows_using, crossing.flows_lost, crossing.demand_lost), (1, 1, 3.0));
    assert_eq!(crossing.country, "AA>BB");
    assert_eq!(c.ranking[0].kind, ElementKind::BorderCrossing, "the only element whose loss disconnects ranks first");
    // the flow starts in AA and ends in BB: neither country is charged for it
    for r in c.ranking.iter().filter(|r| r.kind == ElementKind::Country) {
        assert_eq!((r.flows_using, r.flows_lost), (0, 0), "{}", r.id);
    }
}

#[test]
fn a_detour_costs_exactly_the_difference() {
    let net = line(true);
    let planner = Planner::new(net.clone());
    let c = critical(&planner, &flows(), &Constraints::default(), Objective::Distance, 1, &|_, _| true).unwrap();
    let crossing = c.ranking.iter().find(|r| r.kind == ElementKind::BorderCrossing).unwrap();
    assert_eq!(crossing.flows_lost, 0);
    // direct 40+8+40 km from node 1 to node 3; detour 230+25+230 km; demand 3
    assert!((crossing.extra_km - 3.0 * (485.0 - 48.0)).abs() < 1e-6, "{}", crossing.extra_km);
    // the northern crossing is not on the base route: not a candidate
    assert_eq!(c.ranking.iter().filter(|r| r.kind == ElementKind::BorderCrossing).count(), 1);
    assert!(c.ranking.iter().all(|r| r.extra_km >= 0.0), "removing an element never shortens a route");
}

#[test]
fn origin_destination_files_are_checked() {
    assert_eq!(parse_od_csv("# flows\nfrom,to\n\"Xi'an\",Duisburg\n").unwrap()[0].weight(), 1.0);
    assert!(parse_od_csv("from,to,demand,extra\nA,B,1,2\n").is_err());
    assert!(parse_od_csv("from,to,demand\nA,B,-1\n").is_err());
    assert!(parse_od_csv("from,to\nA\n").is_err());
    assert!(parse_od_csv("from,to\n").is_err());
}

#[test]
fn a_progress_callback_can_stop_the_ranking() {
    let net = line(true);
    let planner = Planner::new(net.clone());
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let stopped = critical(&planner, &flows(), &Constraints::default(), Objective::Distance, 1, &|done, _| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        done < 1
    });
    assert!(matches!(stopped, Err(corridor::Error::Cancelled)), "{:?}", stopped.map(|c| c.ranking.len()));
    // asked once with 0 (go on), once after the first removal (stop); no removal after that
    assert_eq!(calls.into_inner(), 2);
}
