//! Helpers shared by the fuzz targets: a small deterministic network (for the file decoders:
//! its `.cnet`, raw cache and engine file are the seeds; for the parsers that resolve places),
//! and re-sealing of section files so that mutated bytes reach the structural
//! validation instead of stopping at a checksum.

use std::sync::{Arc, OnceLock};

use corridor::network::{edge_flags, EdgeColumns, EdgeKind, Layer, Meta, Network, NodeColumns, Place, PlaceKind};
use corridor::planner::Planner;

/// A small network with every layer and edge kind, two countries, a passage, places with hubs.
pub fn small_network() -> &'static Arc<Network> {
    static NET: OnceLock<Arc<Network>> = OnceLock::new();
    NET.get_or_init(|| {
        let bytes = small_network_file();
        Arc::new(corridor::network::format::decode(&bytes).expect("the small network decodes"))
    })
}

/// The `.cnet` bytes of [`small_network`].
pub fn small_network_file() -> Vec<u8> {
    // a 6 x 6 rail grid and a 6 x 6 road grid over two countries, 4 ports joined to both, and a
    // sea lane of 8 nodes (one edge in a passage) between the two western ports
    let mut nodes = NodeColumns::default();
    let mut push = |lat: i32, lon: i32, country: u8, layer: Layer| {
        nodes.lat_e6.push(lat);
        nodes.lon_e6.push(lon);
        nodes.country.push(country);
        nodes.layer.push(layer as u8);
        nodes.flags.push(0);
        (nodes.lat_e6.len() - 1) as u32
    };
    let mut rail = vec![];
    let mut road = vec![];
    for layer in [Layer::Rail, Layer::Road] {
        for i in 0..6 {
            for j in 0..6 {
                let country = if j < 3 { 1 } else { 2 };
                let v =
                    push(40_000_000 + i * 100_000, 30_000_000 + j * 100_000 + (layer as i32) * 1000, country, layer);
                if layer == Layer::Rail {
                    rail.push(v)
                } else {
                    road.push(v)
                }
            }
        }
    }
    let ports: Vec<u32> = [(0, 0), (5, 0), (0, 5), (5, 5)]
        .iter()
        .map(|&(i, j)| {
            push(40_000_000 + i * 100_000, 30_000_000 + j * 100_000 + 500, if j < 3 { 1 } else { 2 }, Layer::Port)
        })
        .collect();
    let sea: Vec<u32> = (0..8).map(|k| push(39_900_000 + k * 70_000, 29_900_000, 0, Layer::Sea)).collect();
    let mut edges: Vec<(u32, u32, u32, EdgeKind, u8, u8)> = Vec::new();
    for (grid, kind) in [(&rail, EdgeKind::Rail), (&road, EdgeKind::Road)] {
        for i in 0..6 {
            for j in 0..6 {
                let v = grid[i * 6 + j];
                if j + 1 < 6 {
                    edges.push((v, grid[i * 6 + j + 1], 8_500 + (i * 37 + j * 11) as u32 % 900, kind, 0, 0));
                }
                if i + 1 < 6 {
                    let flags = if i == 2 && j == 4 { edge_flags::PLANNED } else { 0 };
                    edges.push((v, grid[(i + 1) * 6 + j], 11_100 + (i * 13 + j * 7) as u32 % 700, kind, 0, flags));
                }
            }
        }
    }
    for (k, &p) in ports.iter().enumerate() {
        let (i, j) = [(0, 0), (5, 0), (0, 5), (5, 5)][k];
        edges.push((p, rail[i * 6 + j], 400, EdgeKind::TransferRail, 0, 0));
        edges.push((p, road[i * 6 + j], 450, EdgeKind::TransferRoad, 0, 0));
    }
    edges.push((ports[0], ports[1], 61_000, EdgeKind::Ferry, 0, edge_flags::CURATED));
    edges.push((ports[0], sea[0], 12_000, EdgeKind::Sea, 0, 0));
    for k in 0..7 {
        edges.push((sea[k], sea[k + 1], 9_000, EdgeKind::Sea, if k == 3 { 1 } else { 0 }, 0));
    }
    edges.push((sea[7], ports[1], 12_000, EdgeKind::Sea, 0, 0));
    let mut edges: Vec<(u32, u32, u32, u8, u8, u8, u16)> = edges
        .into_iter()
        .map(|(a, b, l, k, p, f)| {
            let link = if f & edge_flags::CURATED != 0 { 1 } else { 0 };
            (a.min(b), a.max(b), l, k as u8, p, f, link)
        })
        .collect();
    edges.sort();
    let cols = EdgeColumns {
        a: edges.iter().map(|e| e.0).collect(),
        b: edges.iter().map(|e| e.1).collect(),
        len_m: edges.iter().map(|e| e.2).collect(),
        kind: edges.iter().map(|e| e.3).collect(),
        passage: edges.iter().map(|e| e.4).collect(),
        flags: edges.iter().map(|e| e.5).collect(),
        link: edges.iter().map(|e| e.6).collect(),
    };
    let place = |name: &str, country: &str, lat: f64, lon: f64, kind: PlaceKind, hub: Option<u32>| Place {
        name: name.into(),
        aliases: vec![format!("{name} alias")],
        country: country.into(),
        lat,
        lon,
        kind,
        population: 1000,
        locode: hub.map(|h| format!("{country}P{h:02}")),
        hub,
        origin: 2,
    };
    let meta = Meta {
        version: String::new(),
        sources: vec![],
        attribution: "fuzz".into(),
        disputed_policy: String::new(),
        countries: vec![String::new(), "TR".into(), "GE".into()],
        passages: vec![String::new(), "bosporus".into()],
        default_closed_passages: vec![],
        links: vec![corridor::network::LinkInfo {
            id: "ferry_a_b".into(),
            mode: corridor::network::Mode::Ferry,
            planned: false,
            km: 61.0,
            from_name: "Alpha".into(),
            to_name: "Beta".into(),
            source: "fuzz".into(),
            note: String::new(),
        }],
        places: vec![
            place("Alpha", "TR", 40.0, 30.0, PlaceKind::Port, Some(ports[0])),
            place("Beta", "TR", 40.5, 30.0, PlaceKind::Port, Some(ports[1])),
            place("Gamma", "GE", 40.2, 30.4, PlaceKind::City, None),
            place("Delta", "GE", 40.4, 30.5, PlaceKind::City, None),
        ],
        stats: serde_json::Value::Null,
    };
    corridor::network::format::encode(&meta, &nodes, &cols).expect("the small network encodes")
}

/// A planner on [`small_network`] (default parameters).
pub fn small_planner() -> &'static Planner {
    static P: OnceLock<Planner> = OnceLock::new();
    P.get_or_init(|| Planner::new(small_network().clone()))
}

/// Recomputes the checksums of a section file (`corridor::col::SectionWriter`'s layout) in
/// place, where its table can be read: a mutated file then reaches the structural validation.
/// Returns None if the table cannot be read at all.
pub fn reseal(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut b = bytes.to_vec();
    let u32_at = |b: &[u8], i: usize| b.get(i..i.checked_add(4)?).map(|x| u32::from_le_bytes(x.try_into().unwrap()));
    let u64_at = |b: &[u8], i: usize| b.get(i..i.checked_add(8)?).map(|x| u64::from_le_bytes(x.try_into().unwrap()));
    let count = u32_at(&b, 8)? as usize;
    let mut pos = 12usize;
    for _ in 0..count.min(4096) {
        let nlen = u32_at(&b, pos)? as usize;
        pos = pos.checked_add(4 + nlen)?;
        let (at, len) = (u64_at(&b, pos)? as usize, u64_at(&b, pos + 8)? as usize);
        if let Some(data) = at.checked_add(len).and_then(|end| b.get(at..end)) {
            let crc = corridor::col::checksum(data);
            b.get_mut(pos + 16..pos + 20)?.copy_from_slice(&crc.to_le_bytes());
        }
        pos += 20;
    }
    let crc = corridor::col::checksum(b.get(..pos)?);
    b.get_mut(pos..pos + 4)?.copy_from_slice(&crc.to_le_bytes());
    Some(b)
}

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
