//! Cost, time and emission parameters with their provenance. The defaults live in
//! `data/params/default.toml` (embedded at compile time). A **market state**
//! (`data/params/markets/*.toml`, embedded) replaces the parameters that move with the freight
//! market (sea and rail rates) by the figures of one period, each with its own source; the default
//! is a normal year ([`DEFAULT_MARKET`]). Last, a user file of `key = value` pairs (TOML, nested
//! tables allowed: `[ferry] wait_hours = 24`) overrides single values. Unknown keys are errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The default parameter file, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../../../../data/params/default.toml");

/// The market state used when none is named: a normal year.
pub const DEFAULT_MARKET: &str = "normal-2023";

/// The shipped market states (name, file text), in the order `corridor params --markets` lists them.
pub const MARKETS: &[(&str, &str)] = &[
    ("normal-2023", include_str!("../../../../data/params/markets/normal-2023.toml")),
    ("red-sea-2024", include_str!("../../../../data/params/markets/red-sea-2024.toml")),
    ("latest", include_str!("../../../../data/params/markets/latest.toml")),
];

/// A sea trade whose freight is priced apart from the Asia-Europe headhaul the markets are fitted
/// to. A query is on a trade by its two ends (`Planner::trade_of`): liner freight is quoted per
/// trade lane, port to port, so the price of a voyage depends on where it starts and ends, which
/// per-edge weights cannot see. Each trade is a planner with its own sea parameters (`Planner::trade_params`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trade {
    /// Europe (zone `sea_backhaul.from`) to East Asia (`sea_backhaul.to`): ships sail back
    /// part-empty, sea freight at `sea.backhaul_factor` times the headhaul's.
    Backhaul = 0,
    /// Both ends in Europe, the Mediterranean, the Black Sea or the Caucasus (areas
    /// `short_sea`): smaller ships on short-sea and intra-Mediterranean services, at the
    /// `shortsea.*` line, with no North Range discount.
    ShortSea = 1,
    /// Europe (zone `sea_backhaul.from`) to South Asia (`sea_backhaul_south_asia.to`): the
    /// return leg of the India-Europe trade, at `sea.backhaul_factor_south_asia` times the
    /// headhaul's where the market has one (the lanes were balanced in 2023, not in 2024).
    BackhaulSouthAsia = 2,
}

impl Trade {
    /// Every trade, in the order a query is tested against them.
    pub const ALL: [Trade; 3] = [Trade::Backhaul, Trade::ShortSea, Trade::BackhaulSouthAsia];
}

/// Which market state a parameter set uses.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Market {
    pub name: String,
    pub label: String,
    /// The period the market's figures describe ("2023-01..2023-11").
    pub period: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Passages closed by default in this market (carriers avoided them), opened per query with
    /// `allow_passages`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub close_passages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarketFile {
    name: String,
    label: String,
    period: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    close_passages: Vec<String>,
    param: Vec<Param>,
}

/// One numeric parameter and where it comes from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Param {
    pub key: String,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    pub unit: String,
    pub source: String,
    pub year: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Set when a user file changed the value (the file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden_by: Option<String>,
    /// Set when the value comes from a market state (its name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
}

/// A named set of countries (gauge zone, customs union).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Zone {
    pub key: String,
    pub countries: Vec<String>,
    pub source: String,
    pub year: u32,
    /// A speed zone's rate parameter when it is not the zone's own `<mode>.usd_per_feu_km_<name>`
    /// (South-East Europe has its own rail speed but Europe's rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
}

/// A sea area served by its own water service (a closed or semi-closed sea: the Caspian, the
/// Black Sea), as a box in degrees.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Area {
    pub key: String,
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
    pub source: String,
}

/// A row of the crossing table (`data/params/crossings.csv`) for one mode: either a
/// border-crossing point with published time (and fee), which applies to crossing edges between
/// its two countries whose midpoint lies within `radius_km` of its position; or a regional
/// default (`region` set, no countries or position), which applies to the other borders touching
/// one of its countries, the first matching default in table order, optionally only where the
/// two sides run one gauge (`gauge` = `same`) or two (`break`). Borders no row covers take the
/// `border.*` parameters.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Crossing {
    pub id: String,
    pub name: String,
    /// The two countries of a crossing point (empty for a regional default).
    pub a: String,
    pub b: String,
    pub mode: String,
    /// The position of a crossing point (None for a regional default).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub radius_km: f64,
    pub hours: f64,
    pub hours_low: f64,
    pub hours_high: f64,
    #[serde(default)]
    pub usd_per_feu: Option<f64>,
    pub source: String,
    pub year: String,
    #[serde(default)]
    pub note: String,
    /// The published time already includes the change of gauge (no separate gauge break).
    #[serde(default)]
    pub includes_gauge_break: bool,
    /// A regional default's countries (ISO alpha-2); empty for a crossing point.
    #[serde(default)]
    pub region: Vec<String>,
    /// A regional default's gauge rule: empty (any border), `same` or `break`.
    #[serde(default)]
    pub gauge: String,
}

impl Crossing {
    /// Whether the row is a regional default rather than a crossing point.
    pub fn is_regional(&self) -> bool {
        !self.region.is_empty()
    }
}

/// The shipped crossing table.
pub const CROSSINGS_CSV: &str = include_str!("../../../../data/params/crossings.csv");

/// A line across a rail or road section that only opens for freight at set hours (the Marmaray
/// tunnel under the Bosporus: freight trains between 00:00 and 05:00): every edge of the mode
/// whose straight segment crosses the line waits for the window, `hours` (a parameter key with
/// its range) per crossing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Gate {
    pub key: String,
    /// What the user reads where the wait happens ("Marmaray tunnel (Bosporus)").
    pub name: String,
    /// `rail` or `road`.
    pub mode: String,
    /// The line's points, `[lat, lon]` in degrees, at least two.
    pub line: Vec<[f64; 2]>,
    /// The parameter holding the wait (hours, with its low and high).
    pub hours: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    version: String,
    param: Vec<Param>,
    #[serde(default)]
    zone: Vec<Zone>,
    #[serde(default)]
    area: Vec<Area>,
    #[serde(default)]
    gate: Vec<Gate>,
}

/// Reads the crossing table: crossing points (both countries and a position) and regional
/// defaults (a `region` of countries, no countries or position), in table order.
pub fn parse_crossings(text: &str) -> Result<Vec<Crossing>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        name: String,
        a: String,
        b: String,
        mode: String,
        lat: Option<f64>,
        lon: Option<f64>,
        radius_km: Option<f64>,
        hours: f64,
        hours_low: Option<f64>,
        hours_high: Option<f64>,
        usd_per_feu: Option<f64>,
        source: String,
        year: String,
        #[serde(default)]
        note: String,
        #[serde(default)]
        includes_gauge_break: bool,
        #[serde(default)]
        region: String,
        #[serde(default)]
        gauge: String,
    }
    let mut out = Vec::new();
    let mut r = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    for row in r.deserialize::<Row>() {
        let row = row.map_err(|e| Error::BadQuery(format!("crossing table: {e}")))?;
        let bad = |what: &str| Error::BadQuery(format!("crossing {}: {what}", row.id));
        let region: Vec<String> = row.region.split_whitespace().map(|c| c.to_ascii_uppercase()).collect();
        if region.iter().any(|c| c.len() != 2 || !c.chars().all(|x| x.is_ascii_alphabetic())) {
            return Err(bad("region must list ISO 3166-1 alpha-2 codes separated by spaces"));
        }
        let point = !row.a.is_empty() && !row.b.is_empty() && row.lat.is_some() && row.lon.is_some();
        let any_point_field = !row.a.is_empty() || !row.b.is_empty() || row.lat.is_some() || row.lon.is_some();
        let regional = !region.is_empty() && !any_point_field;
        let a_point = point && region.is_empty();
        if !(a_point || regional) {
            return Err(bad("a row is either a crossing point (a, b, lat, lon) or a regional default (region only)"));
        }
        if !matches!(row.gauge.as_str(), "" | "same" | "break") || (point && !row.gauge.is_empty()) {
            return Err(bad("gauge must be empty, same or break (regional defaults only)"));
        }
        if !matches!(row.mode.as_str(), "rail" | "road") {
            return Err(bad("mode must be rail or road"));
        }
        let c = Crossing {
            hours_low: row.hours_low.unwrap_or(row.hours).min(row.hours),
            hours_high: row.hours_high.unwrap_or(row.hours).max(row.hours),
            id: row.id,
            name: row.name,
            a: row.a.to_ascii_uppercase(),
            b: row.b.to_ascii_uppercase(),
            mode: row.mode,
            lat: row.lat,
            lon: row.lon,
            radius_km: row.radius_km.unwrap_or(25.0),
            hours: row.hours,
            usd_per_feu: row.usd_per_feu,
            source: row.source,
            year: row.year,
            note: row.note,
            includes_gauge_break: row.includes_gauge_break,
            region,
            gauge: row.gauge,
        };
        if !(c.hours.is_finite() && c.hours >= 0.0 && c.usd_per_feu.is_none_or(|u| u.is_finite() && u >= 0.0)) {
            return Err(Error::BadQuery(format!("crossing {}: hours and fee must be non-negative", c.id)));
        }
        out.push(c);
    }
    Ok(out)
}

/// The effective parameters.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Params {
    pub version: String,
    /// The market state in force.
    pub market: Market,
    pub params: Vec<Param>,
    pub zones: Vec<Zone>,
    pub areas: Vec<Area>,
    pub gates: Vec<Gate>,
    pub crossings: Vec<Crossing>,
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

impl Params {
    /// The shipped defaults in the default market state.
    pub fn defaults() -> Params {
        Params::for_market(DEFAULT_MARKET).expect("the shipped parameter and market files are valid")
    }

    /// The shipped defaults in a named market state (see [`MARKETS`]).
    pub fn for_market(name: &str) -> Result<Params> {
        let key = name.trim().to_ascii_lowercase();
        let Some((_, text)) = MARKETS.iter().find(|(n, _)| *n == key) else {
            let known: Vec<&str> = MARKETS.iter().map(|(n, _)| *n).collect();
            return Err(Error::BadQuery(format!("unknown market '{name}' (known: {})", known.join(", "))));
        };
        let mut p = Params::parse(DEFAULT_TOML)?;
        p.apply_market(text)?;
        Ok(p)
    }

    /// Replaces the market-dependent parameters by a market file's records (value, range and
    /// source together: a market figure carries its own provenance).
    pub fn apply_market(&mut self, text: &str) -> Result<()> {
        let f: MarketFile = toml::from_str(text).map_err(|e| Error::BadQuery(format!("market file: {e}")))?;
        for mut m in f.param {
            let Some(&i) = self.index.get(&m.key) else {
                return Err(Error::BadQuery(format!("market {}: unknown parameter '{}'", f.name, m.key)));
            };
            check_value(&m)?;
            m.market = Some(f.name.clone());
            self.params[i] = m;
        }
        self.market =
            Market { name: f.name, label: f.label, period: f.period, note: f.note, close_passages: f.close_passages };
        Ok(())
    }

    /// Parses a full parameter file (the format of `data/params/default.toml`).
    pub fn parse(text: &str) -> Result<Params> {
        let f: ParamFile = toml::from_str(text).map_err(|e| Error::BadQuery(format!("parameter file: {e}")))?;
        let mut index = BTreeMap::new();
        for (i, p) in f.param.iter().enumerate() {
            if index.insert(p.key.clone(), i).is_some() {
                return Err(Error::BadQuery(format!("parameter file: duplicate key {}", p.key)));
            }
            check_value(p)?;
        }
        let market = Market {
            name: "base".into(),
            label: "parameter file without a market state".into(),
            period: String::new(),
            note: String::new(),
            close_passages: Vec::new(),
        };
        let crossings = parse_crossings(CROSSINGS_CSV)?;
        let p = Params {
            version: f.version,
            market,
            params: f.param,
            zones: f.zone,
            areas: f.area,
            gates: f.gate,
            crossings,
            index,
        };
        for g in &p.gates {
            if !matches!(g.mode.as_str(), "rail" | "road") || g.line.len() < 2 {
                return Err(Error::BadQuery(format!(
                    "parameter file: gate {} needs mode rail or road and a line of two points or more",
                    g.key
                )));
            }
            if p.param(&g.hours).is_none() {
                return Err(Error::BadQuery(format!(
                    "parameter file: gate {} names an unknown parameter {}",
                    g.key, g.hours
                )));
            }
        }
        for mode in SpeedMode::ALL {
            if let Some((z, key)) = p.speed_zones(mode).find(|(_, key)| p.param(key).is_none()) {
                return Err(Error::BadQuery(format!("parameter file: zone {} needs the parameter {key}", z.key)));
            }
            if let Some((z, rate)) = p
                .speed_zones(mode)
                .find_map(|(z, _)| z.rate.as_ref().filter(|r| p.param(r.as_str()).is_none()).map(|r| (z, r)))
            {
                return Err(Error::BadQuery(format!("parameter file: zone {} names an unknown rate {rate}", z.key)));
            }
            if p.speed_zones(mode).count() >= u8::MAX as usize {
                return Err(Error::BadQuery(format!("parameter file: too many {} speed zones", mode.name())));
            }
        }
        Ok(p)
    }

    /// Applies a user override file (`key = value`, nested tables flattened with dots).
    pub fn apply_overrides(&mut self, text: &str, origin: &str) -> Result<()> {
        let table: toml::Table = toml::from_str(text).map_err(|e| Error::BadQuery(format!("{origin}: {e}")))?;
        let mut flat = Vec::new();
        flatten("", &toml::Value::Table(table), &mut flat);
        for (key, v) in flat {
            let value = match v {
                toml::Value::Float(f) => f,
                toml::Value::Integer(i) => i as f64,
                other => return Err(Error::BadQuery(format!("{origin}: {key} must be a number, not {other}"))),
            };
            let Some(&i) = self.index.get(&key) else {
                return Err(Error::BadQuery(format!("{origin}: unknown parameter '{key}' (see `corridor params`)")));
            };
            let (min, max) = allowed_range(&key);
            if !(value.is_finite() && (min..=max).contains(&value)) {
                return Err(Error::BadQuery(format!(
                    "{origin}: {key} = {value} is out of range: it must lie in {}",
                    describe_range(min, max)
                )));
            }
            let p = &mut self.params[i];
            p.value = value;
            // a user value is a point estimate: its range collapses to it
            p.low = p.low.map(|_| value);
            p.high = p.high.map(|_| value);
            p.overridden_by = Some(origin.to_string());
        }
        Ok(())
    }

    /// Gives `key` the low and high of `from` (both keys must exist): a derived parameter set
    /// (a trade's sea line) keeps the published range of the figure it stands in for, where
    /// [`Params::apply_overrides`] would collapse it to a point.
    pub fn copy_range(&mut self, key: &str, from: &str) -> Result<()> {
        let unknown = |k: &str| Error::BadQuery(format!("unknown parameter '{k}'"));
        let &src = self.index.get(from).ok_or_else(|| unknown(from))?;
        let &dst = self.index.get(key).ok_or_else(|| unknown(key))?;
        let (low, high) = (self.params[src].low, self.params[src].high);
        let p = &mut self.params[dst];
        p.low = low.map(|l| l.min(p.value));
        p.high = high.map(|h| h.max(p.value));
        Ok(())
    }

    /// The value of a parameter. Panics on a key the shipped file lacks: keys are fixed in code.
    pub fn get(&self, key: &str) -> f64 {
        self.params[self.index[key]].value
    }
    /// (low, value, high) of a parameter; low and high default to the value.
    pub fn range(&self, key: &str) -> (f64, f64, f64) {
        let p = &self.params[self.index[key]];
        (p.low.unwrap_or(p.value), p.value, p.high.unwrap_or(p.value))
    }
    pub fn param(&self, key: &str) -> Option<&Param> {
        self.index.get(key).map(|&i| &self.params[i])
    }
    pub fn zone(&self, key: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.key == key)
    }

    /// The rate parameter of a land mode's zone (None: the mode's default zone): the zone's
    /// `rate` if it names one, else `<mode>.usd_per_feu_km_<name>` where the file has it, else the
    /// mode's default `<mode>.usd_per_feu_km` (as for speeds).
    pub fn zone_rate_key(&self, mode: SpeedMode, zone: Option<&Zone>) -> String {
        let default = format!("{}.usd_per_feu_km", mode.name());
        let Some(z) = zone else { return default };
        if let Some(rate) = &z.rate {
            return rate.clone();
        }
        z.key
            .strip_prefix(mode.zone_prefix())
            .map(|n| format!("{default}_{n}"))
            .filter(|k| self.param(k).is_some())
            .unwrap_or(default)
    }

    /// The speed zones of a land mode with the key of each zone's speed: zone `rail_speed.<name>`
    /// moves at `rail.speed_<name>_km_per_day`, zone `road_speed.<name>` at `road.speed_<name>_kmh`.
    pub fn speed_zones(&self, mode: SpeedMode) -> impl Iterator<Item = (&Zone, String)> {
        self.zones.iter().filter_map(move |z| {
            let name = z.key.strip_prefix(mode.zone_prefix())?;
            Some((z, mode.speed_key(Some(name))))
        })
    }
}

/// A land mode whose speed varies by zone of countries (`[[zone]]` keys `<mode>_speed.<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeedMode {
    Rail,
    Road,
}

impl SpeedMode {
    pub const ALL: [SpeedMode; 2] = [SpeedMode::Rail, SpeedMode::Road];

    pub fn name(self) -> &'static str {
        match self {
            SpeedMode::Rail => "rail",
            SpeedMode::Road => "road",
        }
    }

    /// The prefix of the mode's zone keys (`rail_speed.`, `road_speed.`).
    pub fn zone_prefix(self) -> &'static str {
        match self {
            SpeedMode::Rail => "rail_speed.",
            SpeedMode::Road => "road_speed.",
        }
    }

    /// The key of the speed of zone `name` (None: the mode's default speed). Rail is in km per
    /// day (commercial speed with stops), road in km per driving hour.
    pub fn speed_key(self, name: Option<&str>) -> String {
        match (self, name) {
            (SpeedMode::Rail, None) => "rail.speed_km_per_day".into(),
            (SpeedMode::Rail, Some(n)) => format!("rail.speed_{n}_km_per_day"),
            (SpeedMode::Road, None) => "road.speed_kmh".into(),
            (SpeedMode::Road, Some(n)) => format!("road.speed_{n}_kmh"),
        }
    }
}

/// Values are finite and non-negative, ranges ordered; speeds and other divisors (`positive`
/// keys) must be above zero, or a zero would mean instant travel.
fn check_value(p: &Param) -> Result<()> {
    let ok = |x: f64| x.is_finite() && x >= 0.0;
    if !ok(p.value) || !p.low.is_none_or(ok) || !p.high.is_none_or(ok) {
        return Err(Error::BadQuery(format!("parameter {}: values must be non-negative numbers", p.key)));
    }
    if p.low.is_some_and(|l| l > p.value) || p.high.is_some_and(|h| h < p.value) {
        return Err(Error::BadQuery(format!("parameter {}: low <= value <= high must hold", p.key)));
    }
    let (min, max) = allowed_range(&p.key);
    if !(min..=max).contains(&p.value) {
        return Err(Error::BadQuery(format!(
            "parameter {} = {} is out of range: it must lie in {}",
            p.key,
            p.value,
            describe_range(min, max)
        )));
    }
    Ok(())
}

/// The smallest value a speed (or another divisor) may take.
const MIN_POSITIVE: f64 = 0.01;

/// The values a parameter may take, by the kind of quantity its key names: speeds and other
/// divisors above zero (a zero would mean instant travel, a tiny one an infinite time), hours of
/// a day within (0, 24], everything else (money, hours, factors, shares) zero or more.
fn allowed_range(key: &str) -> (f64, f64) {
    if key.ends_with("hours_per_day") {
        (MIN_POSITIVE, 24.0)
    } else if key.contains("electric_share") {
        (0.0, 1.0)
    } else if key.contains("speed") || key == "cargo.tonnes_per_teu" {
        (MIN_POSITIVE, f64::MAX)
    } else {
        (0.0, f64::MAX)
    }
}

fn describe_range(min: f64, max: f64) -> String {
    match (min > 0.0, max < f64::MAX) {
        (true, true) => format!("[{min}, {max}]"),
        (true, false) => format!("[{min}, infinity) (zero is not allowed)"),
        (false, true) => format!("[0, {max}]"),
        (false, false) => "[0, infinity): a finite number, zero or more".to_string(),
    }
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut Vec<(String, toml::Value)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

#[cfg(test)]
mod tests {

    const HEADER: &str = "id,name,a,b,mode,lat,lon,radius_km,hours,hours_low,hours_high,usd_per_feu,source,year,note,includes_gauge_break,region,gauge\n";

    #[test]
    fn a_speed_zone_takes_its_own_rate_the_rate_it_names_or_the_modes() {
        let p = Params::parse(DEFAULT_TOML).unwrap();
        let rate = |key: &str| p.zone_rate_key(SpeedMode::Rail, Some(p.zone(key).unwrap()));
        assert_eq!(rate("rail_speed.eu"), "rail.usd_per_feu_km_eu");
        assert_eq!(rate("rail_speed.see"), "rail.usd_per_feu_km_eu", "South-East Europe names Europe's rate");
        assert_eq!(rate("rail_speed.1520"), "rail.usd_per_feu_km");
        assert_eq!(p.zone_rate_key(SpeedMode::Road, None), "road.usd_per_feu_km");
        let bad = DEFAULT_TOML.replace(r#"rate = "rail.usd_per_feu_km_eu""#, r#"rate = "rail.usd_per_feu_km_moon""#);
        let e = Params::parse(&bad).unwrap_err().to_string();
        assert!(e.contains("unknown rate rail.usd_per_feu_km_moon"), "{e}");
    }

    #[test]
    fn the_crossing_table_holds_points_and_regional_defaults() {
        let all = parse_crossings(CROSSINGS_CSV).unwrap();
        assert!(all.iter().any(|c| !c.is_regional() && c.lat.is_some()));
        let defaults: Vec<&Crossing> = all.iter().filter(|c| c.is_regional()).collect();
        assert!(defaults.iter().any(|c| c.id == "default_carec_rail" && c.region.contains(&"KZ".to_string())));
        assert!(defaults.iter().any(|c| c.gauge == "same") && defaults.iter().any(|c| c.gauge == "break"));
        assert!(defaults.iter().all(|c| c.a.is_empty() && c.lat.is_none()));
        let ok = format!("{HEADER}d,Default,,,rail,,,,6,3,15,,src,2024,,false,TR RS,same\n");
        assert_eq!(parse_crossings(&ok).unwrap()[0].region, vec!["TR", "RS"]);
    }

    #[test]
    fn a_crossing_row_is_a_point_or_a_region_never_both_or_neither() {
        for (row, why) in [
            ("x,Both,TR,BG,rail,41.7,26.3,25,8,3,15,,src,2019,,false,TR,", "either"),
            ("x,Neither,,,rail,,,,8,3,15,,src,2019,,false,,", "either"),
            ("x,Bad code,,,rail,,,,8,3,15,,src,2019,,false,TUR,", "ISO"),
            ("x,Bad gauge,,,rail,,,,8,3,15,,src,2019,,false,TR,narrow", "gauge"),
            ("x,Gauge on a point,TR,BG,rail,41.7,26.3,25,8,3,15,,src,2019,,false,,same", "gauge"),
        ] {
            let e = parse_crossings(&format!("{HEADER}{row}\n")).unwrap_err().to_string();
            assert!(e.contains(why), "{row}: {e}");
        }
    }

    use super::*;

    #[test]
    fn defaults_have_sources_and_overrides_apply() {
        let mut p = Params::defaults();
        assert!(p.params.iter().all(|x| !x.source.is_empty() && x.year > 2000));
        assert_eq!(p.get("border.rail_hours"), 40.6);
        p.apply_overrides("\"sea.speed_knots\" = 14\n[caspian]\nservice_interval_days = 2\n", "test.toml").unwrap();
        assert_eq!(p.get("caspian.service_interval_days"), 2.0);
        assert_eq!(p.range("caspian.service_interval_days"), (2.0, 2.0, 2.0));
        assert!(p.apply_overrides("[sea]\nspeed_knots = 0", "t").is_err(), "a zero speed would mean instant travel");
        let e = p.apply_overrides("[sea]\nspeed_knots = 1e-308", "t").unwrap_err().to_string();
        assert!(e.contains("sea.speed_knots") && e.contains("[0.01, infinity)"), "names the key and the range: {e}");
        let e = p.apply_overrides("[road]\ndriving_hours_per_day = 25", "t").unwrap_err().to_string();
        assert!(e.contains("road.driving_hours_per_day") && e.contains("[0.01, 24]"), "{e}");
        assert!(p.apply_overrides("[road]\ndriving_hours_per_day = 0", "t").is_err());
        assert!(p.apply_overrides("[border]\nrail_usd_per_feu = -1", "t").is_err(), "money is zero or more");
        for (name, _) in MARKETS {
            let m = Params::for_market(name).unwrap();
            assert_eq!(m.market.name, *name);
            assert!(m.params.iter().all(|x| !x.source.is_empty()));
        }
        assert_eq!(p.get("sea.speed_knots"), 14.0);
        assert!(p.apply_overrides("nonsense = 1", "t").is_err());
        assert!(p.apply_overrides("[sea]\nspeed_knots = -3", "t").is_err());
        assert!(p.apply_overrides("[sea]\nspeed_knots = \"fast\"", "t").is_err());
        assert!(p.apply_overrides("not toml [", "t").is_err());
        assert!(p.zone("gauge.1520").unwrap().countries.contains(&"KZ".to_string()));
    }
}
