//! The network's value types: node and edge ids, layers, modes, edge kinds, flag bits, and the
//! metadata (sources, curated links, places). They depend on nothing else in the crate, so that
//! the gazetteer (`places.rs`) and the lookup indexes can use them without depending on
//! [`Network`](super::Network) (no module cycle); `network` re-exports them.

use serde::{Deserialize, Serialize};

/// Index of a node.
pub type NodeId = u32;
/// Index of an undirected edge.
pub type EdgeId = u32;

/// Which sub-network a node belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Layer {
    Rail = 0,
    Road = 1,
    Sea = 2,
    /// A port hub: the meeting point of the sea lane approach, rail and road transfers, and ferries.
    Port = 3,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Layer::Rail, Layer::Road, Layer::Sea, Layer::Port];
    pub fn from_u8(v: u8) -> Option<Layer> {
        Layer::ALL.get(v as usize).copied()
    }
}

/// The transport mode a user sees on a leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Rail,
    Road,
    Sea,
    Ferry,
    Transfer,
}

impl Mode {
    pub const CHOOSABLE: [Mode; 4] = [Mode::Rail, Mode::Road, Mode::Sea, Mode::Ferry];
    pub fn name(self) -> &'static str {
        match self {
            Mode::Rail => "rail",
            Mode::Road => "road",
            Mode::Sea => "sea",
            Mode::Ferry => "ferry",
            Mode::Transfer => "transfer",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::CHOOSABLE.into_iter().find(|m| m.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// The stored kind of an edge. Transfers remember which land mode they reach so that they can be
/// switched off with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum EdgeKind {
    Rail = 0,
    Road = 1,
    Sea = 2,
    Ferry = 3,
    TransferRail = 4,
    TransferRoad = 5,
}

impl EdgeKind {
    pub const ALL: [EdgeKind; 6] = [
        EdgeKind::Rail,
        EdgeKind::Road,
        EdgeKind::Sea,
        EdgeKind::Ferry,
        EdgeKind::TransferRail,
        EdgeKind::TransferRoad,
    ];
    pub fn from_u8(v: u8) -> Option<EdgeKind> {
        EdgeKind::ALL.get(v as usize).copied()
    }
    /// The mode shown to users.
    pub fn mode(self) -> Mode {
        match self {
            EdgeKind::Rail => Mode::Rail,
            EdgeKind::Road => Mode::Road,
            EdgeKind::Sea => Mode::Sea,
            EdgeKind::Ferry => Mode::Ferry,
            EdgeKind::TransferRail | EdgeKind::TransferRoad => Mode::Transfer,
        }
    }
    /// The choosable mode that must be allowed for this edge to be usable.
    pub fn requires(self) -> Mode {
        match self {
            EdgeKind::Rail | EdgeKind::TransferRail => Mode::Rail,
            EdgeKind::Road | EdgeKind::TransferRoad => Mode::Road,
            EdgeKind::Sea => Mode::Sea,
            EdgeKind::Ferry => Mode::Ferry,
        }
    }
}

/// Edge flag bits.
pub mod edge_flags {
    /// A planned link: unusable unless the query allows planned links.
    pub const PLANNED: u8 = 1;
    /// Added by the build to close a small same-country gap in the source data.
    pub const STITCHED: u8 = 2;
    /// From the curated link list (see [`super::Meta::links`]).
    pub const CURATED: u8 = 4;
    /// Closed by a scenario (see [`crate::Network::with_edge_changes`]); never set in a built
    /// network file. Closing only removes edges, so every prepared bound stays valid.
    pub const CLOSED: u8 = 8;
    /// A sea lane or approach of a copy of the maritime layer (one per sea trade closed to
    /// liners, data/curated/sea_trade_bans.csv): the same water as its original, so anything
    /// that measures the sea itself (a canal's length) counts the original alone.
    pub const SEA_COPY: u8 = 16;
}

/// Node flag bits.
pub mod node_flags {
    /// The node lies in a connected component of fewer than [`super::SMALL_COMPONENT`] nodes;
    /// snapping avoids such nodes when a better-connected one is near.
    pub const SMALL_COMPONENT: u8 = 1;
    /// A sea node on an inland waterway (the Volga-Don; see data/curated/inland_waters.csv):
    /// always subject to its country's avoidance, unlike territorial sea.
    pub const INLAND_WATER: u8 = 2;
    /// A ferry line's terminal of its own (a ro-ro berth: links.csv column `terminal`), with
    /// land transfers and no container ships: places do not snap to it (a box reaches it by
    /// road or rail and its gate), unless the query allows neither.
    pub const OWN_TERMINAL: u8 = 4;
}

/// Components below this size are "small" for snapping purposes.
pub const SMALL_COMPONENT: usize = 200;

/// Where a piece of source data came from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    pub name: String,
    pub version: String,
    pub sha256: String,
    pub licence: String,
    pub attribution: String,
}

/// A curated link's provenance (edges with the CURATED flag point here).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LinkInfo {
    pub id: String,
    pub mode: Mode,
    pub planned: bool,
    pub km: f64,
    pub from_name: String,
    pub to_name: String,
    pub source: String,
    pub note: String,
    /// Days between sailings of a ferry or ro-ro line where its operator publishes a schedule
    /// (the wait for a sailing is half of it); None: the service's `{group}.service_interval_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_interval_days: Option<f64>,
}

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    City,
    Port,
    Border,
    Dryport,
    Station,
}

/// A gazetteer entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Place {
    pub name: String,
    /// Other spellings (GeoNames' alternate names, curated aliases): search keys of the
    /// gazetteer. Empty in a network mapped from the raw cache with its saved gazetteer, which
    /// holds them folded (see `format::decode_raw_with`); listings leave them out ([`Place::listing`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: PlaceKind,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub population: u32,
    /// UN/LOCODE for ports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locode: Option<String>,
    /// The port hub node of a port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<NodeId>,
    /// 0 = GeoNames cities (CC-BY 4.0), 1 = searoute ports, 2 = curated places (see `source`).
    pub origin: u8,
}

impl Place {
    /// The place as listed to users (`corridor places --format json`, `/api/places`, the Python
    /// `places()`): every field but the aliases, which are search keys and are not decoded when
    /// the raw cache's gazetteer loads, so that a listing does not depend on the cache's state.
    pub fn listing(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).expect("a place serializes");
        if let Some(o) = v.as_object_mut() {
            o.remove("aliases");
        }
        v
    }
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// Everything about the network that is not per-node or per-edge.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// A short id that changes whenever the content changes (hash of the payload).
    pub version: String,
    pub sources: Vec<Source>,
    /// Licence and attribution text to show wherever the data is shown.
    pub attribution: String,
    /// How disputed areas are assigned to countries.
    pub disputed_policy: String,
    /// ISO 3166-1 alpha-2 codes; index 0 is "" (no country: open sea).
    pub countries: Vec<String>,
    /// Passage names; index 0 is "" (no passage).
    pub passages: Vec<String>,
    /// Passages closed unless a query opens them (ice-bound Arctic routes).
    pub default_closed_passages: Vec<String>,
    /// Curated links (ferries, repaired gaps, planned lines).
    pub links: Vec<LinkInfo>,
    pub places: Vec<Place>,
    /// Build statistics (counts per layer, stitches, components) for the QA report.
    pub stats: serde_json::Value,
}
