//! Fixtures for tests and fuzz targets (the crate's tests, `corridor-server`'s, `fuzz/`), so that
//! each exists once; not part of the API.

use crate::network::{edge_flags, EdgeColumns, EdgeKind, Layer, LinkInfo, Meta, Mode, NodeColumns, Place, PlaceKind};

/// The `.cnet` bytes of a small network with every layer and edge kind, two countries (TR, GE),
/// a passage (bosporus), a curated ferry, a planned link, and four places (two ports with hubs).
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
        links: vec![LinkInfo {
            id: "ferry_a_b".into(),
            mode: Mode::Ferry,
            planned: false,
            km: 61.0,
            from_name: "Alpha".into(),
            to_name: "Beta".into(),
            source: "fuzz".into(),
            note: String::new(),
            service_interval_days: None,
        }],
        places: vec![
            place("Alpha", "TR", 40.0, 30.0, PlaceKind::Port, Some(ports[0])),
            place("Beta", "TR", 40.5, 30.0, PlaceKind::Port, Some(ports[1])),
            place("Gamma", "GE", 40.2, 30.4, PlaceKind::City, None),
            place("Delta", "GE", 40.4, 30.5, PlaceKind::City, None),
        ],
        stats: serde_json::Value::Null,
    };
    crate::network::format::encode(&meta, &nodes, &cols).expect("the small network encodes")
}

/// A copy of a section file with its checksums recomputed where its table can be read (each
/// section's, then the header's), so that damaged or mutated bytes reach the structural checks
/// instead of stopping at a checksum: for tests and fuzz targets (the crate's own and `fuzz/`
/// share this one copy). None if the table cannot be read at all; a section whose table entry
/// points outside the file keeps its checksum.
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
            let crc = crate::col::checksum(data);
            b.get_mut(pos + 16..pos + 20)?.copy_from_slice(&crc.to_le_bytes());
        }
        pos += 20;
    }
    let crc = crate::col::checksum(b.get(..pos)?);
    b.get_mut(pos..pos + 4)?.copy_from_slice(&crc.to_le_bytes());
    Some(b)
}
