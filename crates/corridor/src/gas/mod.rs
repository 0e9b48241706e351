//! Gas supply model for Europe, Turkey, the Caucasus and the Caspian, at country level (one node
//! per country, as ENTSOG's Union-wide security-of-supply simulation uses one per balancing zone).
//!
//! What each file is for:
//!
//! * `mod.rs` (this file): the network types ([`GasNetwork`]: countries with their curated demand,
//!   peak day and production; named pipelines with the ordered countries they cross; LNG import
//!   terminals; storage sites), the gas error type, the embedded network and name lookups
//!   (countries, the `EU` alias, suppliers, pipelines and terminals, with suggestions).
//! * [`build`]: builds the network from the committed sources (GGIT pipelines and LNG terminals,
//!   IGGIELGN storage, the project's override table and country table) into the JSON file the
//!   library embeds (`data/gas/network.json`).
//! * [`analysis`]: the questions: maximum deliverable flow between supplier and country sets with
//!   its minimum cut and flow paths, per-country security (coverage without a supplier, the single
//!   infrastructure whose loss hurts most, N-1 per Regulation (EU) 2017/1938 Annex II).
//! * [`scenario`]: `[gas]` scenario files (capacity and status changes, new projects, supplier
//!   cuts) applied to a copy of the network.
//! * [`qa`]: the network check (known pipelines present with their capacities) and the
//!   validation rows of `data/validation/gas.csv`.
//!
//! Units: annual capacities and flows in bcm/year (billion cubic metres); the N-1 formula in
//! mcm/day (million cubic metres), as the Regulation states it.

pub mod analysis;
pub mod build;
pub mod qa;
pub mod scenario;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Everything that can go wrong in the gas model.
#[derive(Debug, Error)]
pub enum GasError {
    /// A country code (or alias) not in the gas network.
    #[error("unknown country '{query}' in the gas network{}", suggest(.suggestions))]
    UnknownCountry { query: String, suggestions: Vec<String> },
    /// A supplier that is not one of the network's suppliers.
    #[error("'{query}' is not a gas supplier in the data (suppliers: {known}){}", suggest(.suggestions))]
    UnknownSupplier { query: String, known: String, suggestions: Vec<String> },
    /// A pipeline or terminal name that matches nothing (or several things).
    #[error("unknown pipeline or terminal '{query}'{}", suggest(.suggestions))]
    UnknownInfrastructure { query: String, suggestions: Vec<String> },
    /// Another invalid query or scenario (e.g. a supplier inside the destination set).
    #[error("{0}")]
    BadQuery(String),
    /// A source or scenario file that cannot be read or parsed.
    #[error("{0}")]
    Format(String),
    /// The embedded or given network file is not a gas network of this version.
    #[error("gas network file: {0}")]
    Network(String),
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", s.join(", "))
    }
}

impl GasError {
    /// True for errors caused by the user's input (exit code 2 at the CLI).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, GasError::Network(_))
    }
}

pub type Result<T, E = GasError> = std::result::Result<T, E>;

/// Format version of `data/gas/network.json`.
pub const VERSION: u32 = 1;

/// The 27 EU member states (the `EU` alias).
pub const EU27: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// The pseudo-supplier standing for the world LNG market (enters through import terminals).
pub const LNG: &str = "LNG";

/// A curated figure with its source.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sourced {
    pub value: f64,
    pub year: String,
    pub source: String,
    /// True for a documented default computed by the build (a peak day estimated from the
    /// annual demand, see [`build::PEAK_RATIO_SOURCE`]), false for a published figure.
    #[serde(default)]
    pub estimated: bool,
}

/// A country (node of the network).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Country {
    pub code: String,
    pub name: String,
    pub eu: bool,
    /// Annual consumption, bcm/y.
    pub demand: Option<Sourced>,
    /// Peak-day demand (Dmax of the N-1 formula, or the nearest published figure), mcm/d.
    pub peak: Option<Sourced>,
    /// Domestic production, bcm/y.
    pub production: Option<Sourced>,
    /// What is known about missing figures (`countries.csv` note column): searched and not
    /// found, no gas market, a supplier whose demand the model does not use...
    #[serde(default)]
    pub note: Option<String>,
}

/// A named pipeline (GGIT units of one pipeline on one route merged), flowing along `route`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Pipeline {
    /// Name used in results (the override table's short name, else GGIT's name).
    pub name: String,
    /// GGIT name (and unit, if any).
    pub ggit_name: String,
    /// GGIT ids merged into this pipeline.
    pub ids: Vec<String>,
    /// operating, construction, proposed, shelved, mothballed, idle, stopped...; only operating
    /// pipelines carry gas unless a scenario changes the status.
    pub status: String,
    /// Capacity in the flow direction, bcm/y (0 when no source gives one).
    pub capacity: f64,
    /// Capacity against the flow direction, bcm/y (physical reverse flow; 0 if none).
    pub reverse: f64,
    /// Countries crossed in flow order (at least two).
    pub route: Vec<String>,
    /// How the route was found: "geometry" (GGIT route tagged with country boundaries) or
    /// "override" (the override table).
    pub route_from: String,
    /// Override notes applied to this pipeline (field: old -> new, source, date).
    pub notes: Vec<String>,
}

impl Pipeline {
    pub fn operating(&self) -> bool {
        self.status == "operating"
    }
}

/// An LNG import terminal (units merged), bcm/y of regasification.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Terminal {
    pub name: String,
    pub country: String,
    pub ids: Vec<String>,
    pub status: String,
    pub capacity: f64,
    pub notes: Vec<String>,
}

/// An underground storage site.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Storage {
    pub name: String,
    pub country: String,
    /// Maximum withdrawal, mcm/d.
    pub withdrawal: f64,
    /// Working gas, mcm.
    pub working_gas: f64,
}

/// The gas network: what `data/gas/network.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GasNetwork {
    pub version: u32,
    /// Sources and licences, one line each.
    pub sources: Vec<String>,
    pub countries: Vec<Country>,
    /// Codes of the external suppliers (producing countries whose gas is offered to the region),
    /// plus [`LNG`].
    pub suppliers: Vec<String>,
    pub pipelines: Vec<Pipeline>,
    pub terminals: Vec<Terminal>,
    pub storages: Vec<Storage>,
    /// What each supplier can send into the region (`data/gas/supply.csv`); a supplier without a
    /// row is uncapped (its note in the file says why).
    #[serde(default)]
    pub supply: Vec<SupplyCap>,
    /// Volumes a supplier has committed to countries outside a question's destinations
    /// (`data/gas/commitments.csv`), served before the question's flow.
    #[serde(default)]
    pub commitments: Vec<Commitment>,
}

/// A supplier's availability for export into the modelled region, bcm/y.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SupplyCap {
    pub supplier: String,
    pub bcm: f64,
    pub year: String,
    /// What the figure is: "exports" (a year's exports), "production" (a supplier that exports
    /// nearly all it produces), "record exports", "trade" (the world LNG market)...
    pub basis: String,
    pub source: String,
}

/// A committed offtake: `bcm` a year of `supplier`'s gas for `offtaker` under a contract (or,
/// where no contract volume is published, the last year's deliveries; `basis` says which).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Commitment {
    pub supplier: String,
    pub offtaker: String,
    /// Short name (the contract or the flow), e.g. "Shah Deniz 2 (BOTAS)".
    pub name: String,
    pub bcm: f64,
    pub year: String,
    pub basis: String,
    pub source: String,
}

static EMBEDDED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/gas/network.json"));

impl GasNetwork {
    /// The network built into the library (`data/gas/network.json` at compile time).
    pub fn embedded() -> Result<GasNetwork> {
        GasNetwork::from_json(EMBEDDED)
    }

    pub fn from_json(bytes: &[u8]) -> Result<GasNetwork> {
        let net: GasNetwork = serde_json::from_slice(bytes).map_err(|e| GasError::Network(e.to_string()))?;
        if net.version != VERSION {
            return Err(GasError::Network(format!("version {} (this program reads {VERSION})", net.version)));
        }
        Ok(net)
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("serializable");
        v.push(b'\n');
        v
    }

    /// The availability cap of a supplier, if sourced.
    pub fn supply_cap(&self, supplier: &str) -> Option<&SupplyCap> {
        self.supply.iter().find(|c| c.supplier == supplier)
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.code == code)
    }

    /// Parses a comma-separated list of country codes or names; `EU` expands to the member
    /// states in the network and `-XX` removes a country (`EU,-GR`). Unknown entries fail with
    /// suggestions.
    pub fn parse_countries(&self, list: &str) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut minus: Vec<String> = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if let Some(rest) = item.strip_prefix('-') {
                minus.push(self.country_code(rest.trim())?);
                continue;
            }
            let codes: Vec<String> = if item.eq_ignore_ascii_case("EU") || item.eq_ignore_ascii_case("EU27") {
                self.countries.iter().filter(|c| c.eu).map(|c| c.code.clone()).collect()
            } else {
                vec![self.country_code(item)?]
            };
            for c in codes {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out.retain(|c| !minus.contains(c));
        if out.is_empty() {
            return Err(GasError::BadQuery(format!("no countries in '{list}'")));
        }
        Ok(out)
    }

    /// One country by code or name (case-insensitive).
    pub fn country_code(&self, item: &str) -> Result<String> {
        if let Some(c) =
            self.countries.iter().find(|c| c.code.eq_ignore_ascii_case(item) || c.name.eq_ignore_ascii_case(item))
        {
            return Ok(c.code.clone());
        }
        let mut cands: Vec<String> = self.countries.iter().flat_map(|c| [c.code.clone(), c.name.clone()]).collect();
        cands.push("EU".into());
        Err(GasError::UnknownCountry { query: item.into(), suggestions: closest(item, &cands) })
    }

    /// Parses a comma-separated list of suppliers (codes, names or `LNG`).
    pub fn parse_suppliers(&self, list: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let code = if item.eq_ignore_ascii_case(LNG) {
                LNG.to_string()
            } else {
                match self.country_code(item) {
                    Ok(c) if self.suppliers.contains(&c) => c,
                    _ => {
                        let names: Vec<String> = self
                            .suppliers
                            .iter()
                            .flat_map(|s| {
                                let name = self.country(s).map(|c| c.name.clone()).unwrap_or_default();
                                [s.clone(), name]
                            })
                            .collect();
                        return Err(GasError::UnknownSupplier {
                            query: item.into(),
                            known: self.suppliers.join(", "),
                            suggestions: closest(item, &names),
                        });
                    }
                }
            };
            if !out.contains(&code) {
                out.push(code);
            }
        }
        if out.is_empty() {
            return Err(GasError::BadQuery(format!("no suppliers in '{list}'")));
        }
        Ok(out)
    }

    /// Finds the pipelines or terminals a name designates: exact (normalised) name, alias or
    /// GGIT name first, else a unique substring; several pipelines may share one name (e.g. units
    /// on different routes), all are returned.
    pub fn find_infrastructure(&self, query: &str) -> Result<Infra> {
        let q = normalise(query);
        let names = |p: &Pipeline| [normalise(&p.name), normalise(&p.ggit_name)];
        let pipes: Vec<usize> = (0..self.pipelines.len()).filter(|&i| names(&self.pipelines[i]).contains(&q)).collect();
        let terms: Vec<usize> =
            (0..self.terminals.len()).filter(|&i| normalise(&self.terminals[i].name) == q).collect();
        if !pipes.is_empty() || !terms.is_empty() {
            return Ok(Infra { pipelines: pipes, terminals: terms });
        }
        // unique substring of one name
        let mut hits: Vec<String> = Vec::new();
        for p in &self.pipelines {
            if names(p).iter().any(|n| n.contains(&q)) && !hits.contains(&p.name) {
                hits.push(p.name.clone());
            }
        }
        for t in &self.terminals {
            if normalise(&t.name).contains(&q) && !hits.contains(&t.name) {
                hits.push(t.name.clone());
            }
        }
        if hits.len() == 1 && q.len() >= 3 {
            return self.find_infrastructure(&hits[0]);
        }
        let cands: Vec<String> = if hits.len() > 1 {
            hits.truncate(6);
            hits
        } else {
            let all: Vec<String> = self
                .pipelines
                .iter()
                .map(|p| p.name.clone())
                .chain(self.terminals.iter().map(|t| t.name.clone()))
                .collect();
            closest(query, &all)
        };
        Err(GasError::UnknownInfrastructure { query: query.into(), suggestions: cands })
    }
}

/// Pipelines and terminals (indexes) that a name designates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Infra {
    pub pipelines: Vec<usize>,
    pub terminals: Vec<usize>,
}

/// Lower case, without "gas pipeline", "pipeline", "lng terminal" and punctuation, so that
/// "TurkStream", "turkstream gas pipeline" and "Turk-Stream" match.
pub fn normalise(s: &str) -> String {
    let s = s.to_lowercase();
    let s = s.replace("gas pipeline", "").replace("pipeline", "");
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Up to 3 closest candidates by normalised Jaro-Winkler similarity (at least 0.75).
fn closest(query: &str, candidates: &[String]) -> Vec<String> {
    let q = normalise(query);
    let mut scored: Vec<(f64, &String)> =
        candidates.iter().map(|c| (strsim::jaro_winkler(&q, &normalise(c)), c)).filter(|(s, _)| *s >= 0.75).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.contains(c) {
            out.push(c.clone());
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}
