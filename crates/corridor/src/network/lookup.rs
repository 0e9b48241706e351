//! The network's lookup indexes: the gazetteer (place names), the place grid (naming leg ends)
//! and one node grid per snappable layer (snapping places to the network).
//!
//! They depend on the network alone, so the network owns them ([`crate::Network::lookup`]): built on
//! first use, shared by scenario copies of the network, or read in place from the raw cache that
//! `corridor prepare` writes ([`super::format::encode_raw`]), so that a CLI call does not fold
//! 50,000 names and bucket two million nodes on every start.

use crate::col::{Col, SectionWriter, Sections};
use crate::geo::LatLon;
use crate::places::Gazetteer;

use super::grid::Grid;
use super::types::{Layer, NodeId, Place};

/// Bumped whenever the saved layout of the indexes changes.
const LOOKUP_VERSION: u64 = 1;

/// Identifies the layout and the name-folding rules the saved indexes were made with: the
/// gazetteer's keys are folded names, so a saved index is only valid for the same rules.
fn fingerprint() -> u64 {
    let probe = ["Xi’an", "İstanbul", "Małaszewicze", "São Paulo", "Baku/Alat", "N'Djamena", "ŁÓDŹ-Kaliska", "Đà Nẵng"];
    let mut h = crate::hash::Fnv64::salted(LOOKUP_VERSION);
    for name in probe {
        h.write(crate::places::normalize(name).as_bytes());
        h.write(&[0]);
    }
    h.finish()
}

/// The layers a place snaps to, in snapping order.
pub const SNAP_LAYERS: [Layer; 3] = [Layer::Rail, Layer::Road, Layer::Port];

/// A grid over the nodes of one layer: grid point i is node `nodes[i]`.
#[derive(Debug, Clone)]
pub struct LayerGrid {
    pub layer: Layer,
    pub grid: Grid,
    pub nodes: Col<NodeId>,
}

/// Every lookup index of a network.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub gazetteer: Gazetteer,
    pub place_grid: Grid,
    pub layer_grids: Vec<LayerGrid>,
}

impl Lookup {
    /// Builds the indexes of a network's places and nodes (their layers and coordinates; the
    /// gazetteer and the grids on two threads).
    pub fn build(places: &[Place], node_layer: &[u8], coord: impl Fn(NodeId) -> LatLon) -> Lookup {
        let (gazetteer, (place_grid, layer_grids)) = std::thread::scope(|scope| {
            let gazetteer = scope.spawn(|| Gazetteer::new(places));
            let grids = grids(places, node_layer, coord);
            (gazetteer.join().expect("gazetteer build does not panic"), grids)
        });
        Lookup { gazetteer, place_grid, layer_grids }
    }

    /// Saves the indexes as sections named `lookup.*`.
    pub fn write(&self, w: &mut SectionWriter) {
        w.add("lookup.fingerprint", &[fingerprint()]);
        self.gazetteer.write(w, "lookup.gazetteer");
        self.place_grid.write(w, "lookup.places");
        for lg in &self.layer_grids {
            let prefix = format!("lookup.layer{}", lg.layer as u8);
            lg.grid.write(w, &prefix);
            w.add(&format!("{prefix}.nodes"), &lg.nodes);
        }
    }

    /// Indexes saved by [`Lookup::write`] for a network with these places and `node_count`
    /// nodes, viewed in place; None if they were saved by another layout or other folding rules,
    /// or if any is missing or does not fit the network (lengths and ids checked, so lookups
    /// cannot go out of bounds).
    pub fn read(s: &Sections, places: &[Place], node_count: usize) -> Option<Lookup> {
        if s.col::<u64>("lookup.fingerprint")?.first() != Some(&fingerprint()) {
            return None;
        }
        let gazetteer = Gazetteer::read(s, "lookup.gazetteer", places)?;
        let place_grid = Grid::read(s, "lookup.places")?;
        if place_grid.len() != places.len() {
            return None;
        }
        let mut layer_grids = Vec::new();
        for layer in SNAP_LAYERS {
            let prefix = format!("lookup.layer{}", layer as u8);
            let grid = Grid::read(s, &prefix)?;
            let nodes: Col<NodeId> = s.col(&format!("{prefix}.nodes"))?;
            let n = node_count;
            if nodes.len() != grid.len() || nodes.iter().any(|&v| v as usize >= n) {
                return None;
            }
            layer_grids.push(LayerGrid { layer, grid, nodes });
        }
        Some(Lookup { gazetteer, place_grid, layer_grids })
    }
}

/// The place grid and one node grid per snappable layer, from one pass over the nodes.
fn grids(places: &[Place], node_layer: &[u8], coord: impl Fn(NodeId) -> LatLon) -> (Grid, Vec<LayerGrid>) {
    let place_grid = Grid::new(places.iter().map(|p| (p.lat, p.lon)));
    let mut ids: Vec<Vec<NodeId>> = vec![Vec::new(); SNAP_LAYERS.len()];
    for (v, &l) in node_layer.iter().enumerate() {
        if let Some(i) = SNAP_LAYERS.iter().position(|&x| x as u8 == l) {
            ids[i].push(v as NodeId);
        }
    }
    let layer_grids = SNAP_LAYERS
        .into_iter()
        .zip(ids)
        .map(|(layer, nodes)| {
            let grid = Grid::new(nodes.iter().map(|&v| {
                let c = coord(v);
                (c.lat, c.lon)
            }));
            LayerGrid { layer, grid, nodes: nodes.into() }
        })
        .collect();
    (place_grid, layer_grids)
}
