//! Readers for the converted source files (gzip'd CSV written by `scripts/fetch_sources.py`) and
//! for the curated CSV files kept in the repository (`data/curated/`).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::BuildError;

fn open_csv(path: &Path) -> Result<csv::Reader<Box<dyn std::io::Read>>, BuildError> {
    let file = std::fs::File::open(path).map_err(|e| BuildError::Input(format!("{}: {e}", path.display())))?;
    let reader: Box<dyn std::io::Read> = if path.extension().is_some_and(|x| x == "gz") {
        Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    Ok(csv::ReaderBuilder::new().has_headers(true).from_reader(reader))
}

fn rows<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, BuildError> {
    let mut r = open_csv(path)?;
    r.deserialize()
        .enumerate()
        .map(|(i, row)| row.map_err(|e| BuildError::Input(format!("{} line {}: {e}", path.display(), i + 2))))
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct NodeRow {
    pub id: u32,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Deserialize)]
pub struct EdgeRow {
    pub from: u32,
    pub to: u32,
    pub km: f64,
    #[serde(default)]
    pub passage: String,
}

/// A source graph (rail, road or marnet) as read.
pub struct SourceGraph {
    pub nodes: Vec<(f64, f64)>,
    pub edges: Vec<EdgeRow>,
}

pub fn read_graph(dir: &Path, name: &str) -> Result<SourceGraph, BuildError> {
    let nodes: Vec<NodeRow> = rows(&dir.join(format!("{name}.nodes.csv.gz")))?;
    for (i, n) in nodes.iter().enumerate() {
        if n.id as usize != i {
            return Err(BuildError::Input(format!(
                "{name}: node ids must be dense and ordered (row {i} has id {})",
                n.id
            )));
        }
    }
    let edges: Vec<EdgeRow> = rows(&dir.join(format!("{name}.edges.csv.gz")))?;
    let n = nodes.len() as u32;
    if let Some(e) = edges.iter().find(|e| e.from >= n || e.to >= n || !e.km.is_finite() || e.km < 0.0) {
        return Err(BuildError::Input(format!("{name}: bad edge {}-{} ({} km)", e.from, e.to, e.km)));
    }
    Ok(SourceGraph { nodes: nodes.into_iter().map(|r| (r.lat, r.lon)).collect(), edges })
}

#[derive(Debug, Deserialize)]
pub struct PortRow {
    pub locode: String,
    pub name: String,
    pub country_name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub terminal: String,
}

pub fn read_ports(dir: &Path) -> Result<Vec<PortRow>, BuildError> {
    rows(&dir.join("ports.csv.gz"))
}

#[derive(Debug, Deserialize)]
pub struct CityRow {
    pub geonameid: u64,
    pub name: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Other spellings, `|`-separated (GeoNames' Latin-script alternate names; see
    /// scripts/fetch_sources.py `city_aliases`). Empty in sources converted before 2026-12-06.
    #[serde(default)]
    pub aliases: String,
}

pub fn read_cities(dir: &Path) -> Result<Vec<CityRow>, BuildError> {
    rows(&dir.join("cities.csv.gz"))
}

/// The package hashes recorded by the fetch script.
#[derive(Debug, Deserialize)]
pub struct SourcePackage {
    pub version: String,
    pub sha256: String,
}

pub fn read_manifest(dir: &Path) -> Result<HashMap<String, SourcePackage>, BuildError> {
    let path = dir.join("SOURCES.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| BuildError::Input(format!("{}: {e} (run scripts/fetch_sources.py first)", path.display())))?;
    serde_json::from_str(&text).map_err(|e| BuildError::Input(format!("{}: {e}", path.display())))
}

/// A curated link (data/curated/links.csv).
#[derive(Debug, Clone, Deserialize)]
pub struct LinkRow {
    pub id: String,
    pub mode: String,
    pub status: String,
    pub from_name: String,
    pub from_lat: f64,
    pub from_lon: f64,
    pub from_country: String,
    pub to_name: String,
    pub to_lat: f64,
    pub to_lon: f64,
    pub to_country: String,
    pub km: f64,
    pub source: String,
    #[serde(default)]
    pub note: String,
    /// Days between sailings of a ferry line with a published schedule (empty: the service's
    /// parameter); the note gives the source.
    #[serde(default)]
    pub service_interval_days: Option<f64>,
    /// `own` for a ferry line that calls at a terminal of its own (the Turkey-EU ro-ro berths,
    /// where trailers roll on and off), not at the container port's hub; empty otherwise.
    #[serde(default)]
    pub terminal: String,
}

pub fn read_links(path: &Path) -> Result<Vec<LinkRow>, BuildError> {
    rows(path)
}

/// A curated place (data/curated/places.csv).
#[derive(Debug, Clone, Deserialize)]
pub struct PlaceRow {
    pub name: String,
    #[serde(default)]
    pub aliases: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: String,
    #[serde(default)]
    pub source: String,
}

pub fn read_places(path: &Path) -> Result<Vec<PlaceRow>, BuildError> {
    rows(path)
}

/// A curated inland-waterway box (data/curated/inland_waters.csv).
#[derive(Debug, Clone, Deserialize)]
pub struct InlandWaterRow {
    pub name: String,
    pub country: String,
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
    pub source: String,
}

pub fn read_inland_waters(path: &Path) -> Result<Vec<InlandWaterRow>, BuildError> {
    rows(path)
}

/// A land border closed to freight (data/curated/closed_borders.csv): the rail and/or road
/// edges between countries `a` and `b` are left out of the network, all of them or those near
/// one crossing.
#[derive(Debug, Clone, Deserialize)]
pub struct ClosedBorderRow {
    pub a: String,
    pub b: String,
    /// `rail`, `road` or `both`.
    pub mode: String,
    pub near_lat: Option<f64>,
    pub near_lon: Option<f64>,
    pub radius_km: Option<f64>,
    pub since: String,
    pub source: String,
    #[serde(default)]
    pub note: String,
}

pub fn read_closed_borders(path: &Path) -> Result<Vec<ClosedBorderRow>, BuildError> {
    rows(path)
}

/// A country whose rail or road edges are lengthened to operated lengths
/// (data/curated/rail_length_factors.csv, road_length_factors.csv; see `operated.rs`).
#[derive(Debug, Clone, Deserialize)]
pub struct LengthFactorRow {
    pub country: String,
    pub factor: f64,
    pub source: String,
    #[serde(default)]
    pub note: String,
}

pub fn read_length_factors(path: &Path) -> Result<Vec<LengthFactorRow>, BuildError> {
    rows(path)
}

/// A region (a latitude-longitude box) whose rail or road edges are lengthened to published
/// lengths (data/curated/rail_length_regions.csv, road_length_regions.csv; see `operated.rs`):
/// mountain roads that a country's factor does not reach, border crossings included.
#[derive(Debug, Clone, Deserialize)]
pub struct LengthRegionRow {
    pub region: String,
    /// ISO codes, space-separated: only edges whose two ends lie in these countries (a box over
    /// the Karakoram would otherwise take in Indian Kashmir); empty = any country.
    #[serde(default)]
    pub countries: String,
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
    pub factor: f64,
    pub source: String,
    #[serde(default)]
    pub note: String,
}

pub fn read_length_regions(path: &Path) -> Result<Vec<LengthRegionRow>, BuildError> {
    rows(path)
}

/// A searoute port that is an inland town (data/curated/inland_ports.csv): it keeps its
/// rail/road transfers but gets no sea approach.
#[derive(Debug, Clone, Deserialize)]
pub struct InlandPortRow {
    pub locode: String,
    pub name: String,
    pub reason: String,
}

pub fn read_inland_ports(path: &Path) -> Result<Vec<InlandPortRow>, BuildError> {
    rows(path)
}

/// A curated change to searoute's terminal flag (data/curated/liner_ports.csv): `liner` is `yes`
/// for a container port the flag misses, `no` for a flagged port without container service.
#[derive(Debug, Clone, Deserialize)]
pub struct LinerPortRow {
    pub locode: String,
    pub name: String,
    pub liner: String,
    pub source: String,
}

pub fn read_liner_ports(path: &Path) -> Result<Vec<LinerPortRow>, BuildError> {
    rows(path)
}

/// A sea trade closed to liners (data/curated/sea_trade_bans.csv): no direct sailing between a
/// port of the countries `a` and one of the countries `b` (ISO codes, space-separated).
#[derive(Debug, Clone, Deserialize)]
pub struct SeaTradeBanRow {
    pub a: String,
    pub b: String,
    pub since: String,
    pub source: String,
    #[serde(default)]
    pub note: String,
}

pub fn read_sea_trade_bans(path: &Path) -> Result<Vec<SeaTradeBanRow>, BuildError> {
    rows(path)
}
