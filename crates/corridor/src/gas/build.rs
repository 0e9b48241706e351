//! Builds the [`GasNetwork`] from the committed sources (`data/gas/`):
//!
//! * `sources/ggit_pipelines.csv`: GGIT pipelines touching two or more modelled countries, with
//!   their routes (thinned WKT points) and GGIT's `areas` (countries crossed, unordered);
//! * `sources/ggit_lng_import.csv`: GGIT LNG import terminal units (mtpa);
//! * `sources/iggielgn_storage.csv`: SciGRID_gas storage sites;
//! * `countries.csv`: the modelled countries, which of them are suppliers, and the curated demand,
//!   peak day and production, each with its source and year;
//! * `overrides.csv`: the project's corrections to GGIT, each with a source and a date.
//!
//! Why geometry: GGIT's `areas` says which countries a pipeline crosses but not in which order
//! (Trans-Med is listed "Algeria, Croatia, Tunisia, Italy"), and a country-level model needs the
//! borders. Each route point is tagged with the country it lies in (a caller-supplied function:
//! the CLI passes the `country-boundaries` tagger of corridor-build, so this crate stays free of
//! boundary data); points at sea or in countries not in `areas` are skipped, so that a route
//! drawn a little across a border it does not cross adds no border. The tags in route order,
//! each country once, give the crossed borders. Orientation: GGIT draws some routes against the
//! flow (TANAP from Greece to Georgia), so the route is reversed when GGIT's first listed country
//! (the origin in most rows) is its last tag; the override table fixes the rest (`route`).
//! Offshore pipelines begin on a platform outside territorial waters: when exactly one country of
//! `areas` has no tagged point and the route begins (or ends) at sea, that country is placed at
//! the sea end. Onshore pipelines whose drawn route stops short of the border they serve add no
//! border (listed by the build log).
//!
//! Interconnection points (`interconnections.csv`): GGIT gives no capacity, or a wrong one, for
//! many intra-European borders (Oberkappel, Waidhaus, Kulata...). The table gives the firm
//! technical capacity of the points on one border in one direction, each row with its source and
//! date. A border direction the table lists is carried by the table alone: the legs of operating
//! GGIT pipelines on it are cut (the rest of their routes stays, under their names), so no border
//! is counted twice; each row becomes a two-country pipeline named after its points (the rows of
//! one name in both directions merge into one pipeline with a reverse capacity).
//! The build is deterministic: same inputs, same bytes.

use std::collections::BTreeMap;

use super::{
    Commitment, Country, GasError, GasNetwork, Pipeline, Result, Sourced, Storage, SupplyCap, Terminal, LNG, VERSION,
};

/// BP / Energy Institute Statistical Review, approximate conversion factors: 1 million tonnes of
/// LNG = 1.36 billion cubic metres of natural gas.
pub const BCM_PER_MTPA: f64 = 1.36;

/// Energy to volume for capacities published in GWh/d, the convention of `countries.csv`: 1 bcm
/// of natural gas = 36 PJ = 10 TWh (Energy Institute / bp Statistical Review, approximate
/// conversion factors). TSOs publish gross calorific value energy (about 10.55 kWh/m3 in
/// ENTSOG's tables), so a converted volume is high by about 5%; demand is converted alike, so
/// the coverage ratios are not biased.
pub const TWH_PER_BCM: f64 = 10.0;

/// How a missing peak day (Dmax) is estimated: the annual demand's average day times the mean
/// ratio of peak day to average day over the countries with both a sourced peak and a sourced
/// annual demand (see [`peak_ratio`]).
pub const PEAK_RATIO_SOURCE: &str = "documented default, not a published figure: annual demand / 365 x the mean peak-to-average-day ratio of the countries with a sourced peak day";

/// The mean ratio of the sourced peak day (mcm/d) to the sourced annual demand's average day
/// (bcm/y x 1000 / 365), rounded to two decimals, with the countries it comes from; None when
/// no country has both.
pub fn peak_ratio(countries: &[Country]) -> Option<(f64, Vec<String>)> {
    let mut ratios = Vec::new();
    let mut from = Vec::new();
    for c in countries {
        if let (Some(p), Some(d)) = (&c.peak, &c.demand) {
            if !p.estimated && d.value > 0.0 {
                ratios.push(p.value / (d.value * 1000.0 / 365.0));
                from.push(c.code.clone());
            }
        }
    }
    if ratios.is_empty() {
        return None;
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    Some(((mean * 100.0).round() / 100.0, from))
}

/// Source row label of interconnection pipelines (`Pipeline::route_from`).
pub const FROM_INTERCONNECTIONS: &str = "interconnections";

/// The source texts of a build.
pub struct Sources<'a> {
    pub pipelines: &'a str,
    pub lng: &'a str,
    pub storage: &'a str,
    pub countries: &'a str,
    pub overrides: &'a str,
    /// `interconnections.csv` (may be empty: no curated border capacities).
    pub interconnections: &'a str,
    /// `supply.csv` (may be empty: every supplier uncapped).
    pub supply: &'a str,
    /// `commitments.csv` (may be empty: nothing reserved).
    pub commitments: &'a str,
}

/// The network and what the build did (dropped rows, applied overrides), for `network build`.
pub struct Built {
    pub network: GasNetwork,
    pub log: Vec<String>,
}

/// Parses a CSV text into rows of (header -> value) maps.
fn rows(text: &str, what: &str) -> Result<Vec<BTreeMap<String, String>>> {
    let mut r = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    let headers = r.headers().map_err(|e| GasError::Format(format!("{what}: {e}")))?.clone();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| GasError::Format(format!("{what}: {e}")))?;
        out.push(headers.iter().zip(rec.iter()).map(|(h, v)| (h.to_string(), v.trim().to_string())).collect());
    }
    Ok(out)
}

fn get<'a>(row: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    row.get(key).map(String::as_str).unwrap_or("")
}

fn number(s: &str, what: &str) -> Result<Option<f64>> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<f64>().map(Some).map_err(|_| GasError::Format(format!("{what}: '{s}' is not a number")))
}

fn sourced(row: &BTreeMap<String, String>, prefix: &str, value_key: &str) -> Result<Option<Sourced>> {
    let code = get(row, "code");
    let Some(value) = number(get(row, value_key), &format!("countries.csv {code} {value_key}"))? else {
        return Ok(None);
    };
    let (year, source) = (get(row, &format!("{prefix}_year")), get(row, &format!("{prefix}_source")));
    if year.is_empty() || source.is_empty() {
        return Err(GasError::Format(format!(
            "countries.csv {code}: {value_key} needs a {prefix}_year and a {prefix}_source"
        )));
    }
    Ok(Some(Sourced { value, year: year.into(), source: source.into(), estimated: false }))
}

/// One override row.
struct Override {
    target: String,
    field: String,
    value: String,
    source: String,
    date: String,
}

/// One row of `interconnections.csv`: the firm technical capacity of the points on one border
/// in one direction.
struct Point {
    from: String,
    to: String,
    name: String,
    points: String,
    bcm: f64,
    source: String,
    date: String,
}

/// Reads `interconnections.csv`: from, to, name, points, and exactly one of capacity_bcm_y,
/// capacity_gwh_d (converted with [`TWH_PER_BCM`]) or capacity_mcm_d (x 365 / 1000), with a
/// source and a date.
fn interconnections(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Vec<Point>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Point> = Vec::new();
    for row in rows(text, "interconnections.csv")? {
        let (from, to, name) = (get(&row, "from"), get(&row, "to"), get(&row, "name"));
        let what = format!("interconnections.csv {from}>{to} {name}");
        for c in [from, to] {
            if !known(c) {
                return Err(GasError::Format(format!("{what}: country '{c}' is not in countries.csv")));
            }
        }
        if from == to || name.is_empty() {
            return Err(GasError::Format(format!("{what}: needs two different countries and a name")));
        }
        let given = [
            number(get(&row, "capacity_bcm_y"), &what)?,
            number(get(&row, "capacity_gwh_d"), &what)?.map(|v| v * 365.0 / 1000.0 / TWH_PER_BCM),
            number(get(&row, "capacity_mcm_d"), &what)?.map(|v| v * 365.0 / 1000.0),
        ];
        let bcm: Vec<f64> = given.iter().flatten().copied().collect();
        if bcm.len() != 1 || !(bcm[0] > 0.0 && bcm[0].is_finite()) {
            return Err(GasError::Format(format!(
                "{what}: give exactly one positive capacity (capacity_bcm_y, capacity_gwh_d or capacity_mcm_d)"
            )));
        }
        let (source, date) = (get(&row, "source"), get(&row, "date"));
        if source.is_empty() || date.is_empty() {
            return Err(GasError::Format(format!("{what}: every row needs a source and a date")));
        }
        if out.iter().any(|p| p.from == from && p.to == to && p.name == name) {
            return Err(GasError::Format(format!("{what}: listed twice")));
        }
        out.push(Point {
            from: from.into(),
            to: to.into(),
            name: name.into(),
            points: match get(&row, "points") {
                "" => name.to_string(),
                p => p.to_string(),
            },
            bcm: (bcm[0] * 1000.0).round() / 1000.0,
            source: source.into(),
            date: date.into(),
        });
    }
    Ok(out)
}

/// Reads `supply.csv`: supplier, bcm_y, year, basis, source; one row per supplier at most, every
/// row sourced. A supplier without a row stays uncapped.
fn supply_caps(text: &str, suppliers: &[String]) -> Result<Vec<SupplyCap>> {
    let mut out: Vec<SupplyCap> = Vec::new();
    if text.trim().is_empty() {
        return Ok(out);
    }
    for row in rows(text, "supply.csv")? {
        let supplier = get(&row, "supplier").to_string();
        let what = format!("supply.csv {supplier}");
        if !suppliers.contains(&supplier) {
            return Err(GasError::Format(format!("{what}: not a supplier in countries.csv (nor LNG)")));
        }
        let Some(bcm) = number(get(&row, "bcm_y"), &what)? else {
            continue; // listed without a figure: uncapped, the note says why
        };
        if !(bcm > 0.0 && bcm.is_finite()) {
            return Err(GasError::Format(format!("{what}: bcm_y must be positive")));
        }
        let (year, basis, source) = (get(&row, "year"), get(&row, "basis"), get(&row, "source"));
        if year.is_empty() || basis.is_empty() || source.is_empty() {
            return Err(GasError::Format(format!("{what}: a figure needs a year, a basis and a source")));
        }
        if out.iter().any(|c| c.supplier == supplier) {
            return Err(GasError::Format(format!("{what}: listed twice")));
        }
        out.push(SupplyCap { supplier, bcm, year: year.into(), basis: basis.into(), source: source.into() });
    }
    Ok(out)
}

/// Reads `commitments.csv`: supplier, offtaker, name, bcm_y, year, basis, source.
fn commitments(text: &str, suppliers: &[String], known: &dyn Fn(&str) -> bool) -> Result<Vec<Commitment>> {
    let mut out: Vec<Commitment> = Vec::new();
    if text.trim().is_empty() {
        return Ok(out);
    }
    for row in rows(text, "commitments.csv")? {
        let (supplier, offtaker, name) = (get(&row, "supplier"), get(&row, "offtaker"), get(&row, "name"));
        let what = format!("commitments.csv {supplier}>{offtaker} {name}");
        if !suppliers.iter().any(|s| s == supplier) || supplier == LNG {
            return Err(GasError::Format(format!("{what}: '{supplier}' is not a pipeline supplier")));
        }
        if !known(offtaker) || suppliers.iter().any(|s| s == offtaker) {
            return Err(GasError::Format(format!("{what}: the offtaker must be a country that is not a supplier")));
        }
        let bcm = number(get(&row, "bcm_y"), &what)?.unwrap_or(0.0);
        if !(bcm > 0.0 && bcm.is_finite()) || name.is_empty() {
            return Err(GasError::Format(format!("{what}: needs a name and a positive bcm_y")));
        }
        let (year, basis, source) = (get(&row, "year"), get(&row, "basis"), get(&row, "source"));
        if year.is_empty() || basis.is_empty() || source.is_empty() {
            return Err(GasError::Format(format!("{what}: every row needs a year, a basis and a source")));
        }
        out.push(Commitment {
            supplier: supplier.into(),
            offtaker: offtaker.into(),
            name: name.into(),
            bcm,
            year: year.into(),
            basis: basis.into(),
            source: source.into(),
        });
    }
    Ok(out)
}

/// Builds the network. `country_at(lat, lon)` returns the ISO alpha-2 code at a point ("" at sea).
pub fn build(src: &Sources, country_at: &dyn Fn(f64, f64) -> String) -> Result<Built> {
    let mut log = Vec::new();
    // countries
    let mut countries = Vec::new();
    let mut suppliers = Vec::new();
    for row in rows(src.countries, "countries.csv")? {
        let code = get(&row, "code").to_string();
        if get(&row, "supplier") == "yes" {
            suppliers.push(code.clone());
        }
        countries.push(Country {
            code: code.clone(),
            name: get(&row, "name").into(),
            eu: get(&row, "eu") == "yes",
            demand: sourced(&row, "demand", "demand_bcm")?,
            peak: sourced(&row, "peak", "peak_mcm_d")?,
            production: sourced(&row, "production", "production_bcm")?,
            note: match get(&row, "note") {
                "" => None,
                n => Some(n.to_string()),
            },
        });
    }
    // a country with annual demand but no published peak day gets a documented default Dmax
    if let Some((ratio, from)) = peak_ratio(&countries) {
        for c in &mut countries {
            let Some(d) = c.demand.clone() else { continue };
            if c.peak.is_none() && d.value > 0.0 {
                let value = (d.value * 1000.0 / 365.0 * ratio * 10.0).round() / 10.0;
                c.peak = Some(Sourced {
                    value,
                    year: d.year.clone(),
                    source: format!(
                        "{PEAK_RATIO_SOURCE} ({ratio:.2}, from {}): {:.3} bcm/y x 1000 / 365 x {ratio:.2}",
                        from.join(", "),
                        d.value
                    ),
                    estimated: true,
                });
            }
        }
        log.push(format!(
            "peak day estimated for {} countries (annual demand / 365 x {ratio:.2}, the mean ratio of {})",
            countries.iter().filter(|c| c.peak.as_ref().is_some_and(|p| p.estimated)).count(),
            from.join(", ")
        ));
    }
    suppliers.push(LNG.into());
    let known = |c: &str| countries.iter().any(|k| k.code == c);

    // overrides, by target
    let mut overrides: Vec<Override> = Vec::new();
    for row in rows(src.overrides, "overrides.csv")? {
        let o = Override {
            target: get(&row, "target").into(),
            field: get(&row, "field").into(),
            value: get(&row, "value").into(),
            source: get(&row, "source").into(),
            date: get(&row, "date").into(),
        };
        if o.source.is_empty() || o.date.is_empty() {
            return Err(GasError::Format(format!(
                "overrides.csv {} {}: every row needs a source and a date",
                o.target, o.field
            )));
        }
        overrides.push(o);
    }
    let mut used = vec![false; overrides.len()];

    // pipeline units: route from geometry, then overrides
    struct Unit {
        id: String,
        name: String,
        ggit_name: String,
        status: String,
        capacity: f64,
        reverse: f64,
        route: Vec<String>,
        route_from: String,
        notes: Vec<String>,
    }
    let mut units: Vec<Unit> = Vec::new();
    for row in rows(src.pipelines, "ggit_pipelines.csv")? {
        let id = get(&row, "id").to_string();
        let areas: Vec<&str> = get(&row, "countries").split_whitespace().collect();
        let mut route: Vec<String> = Vec::new();
        let (mut first_tag, mut last_tag) = (None, String::new());
        for part in get(&row, "route").split('|') {
            for pt in part.split(';').filter(|p| !p.is_empty()) {
                let mut it = pt.split_whitespace().map(str::parse::<f64>);
                let (Some(Ok(lon)), Some(Ok(lat))) = (it.next(), it.next()) else {
                    return Err(GasError::Format(format!("ggit_pipelines.csv {id}: bad point '{pt}'")));
                };
                let c = country_at(lat, lon);
                first_tag.get_or_insert_with(|| c.clone());
                last_tag.clone_from(&c);
                if areas.contains(&c.as_str()) && known(&c) && !route.contains(&c) {
                    route.push(c);
                }
            }
        }
        // offshore pipelines start or end on a platform outside any country's waters: the one
        // country of `areas` not tagged is placed at that sea end (Norpipe: Ekofisk -> Emden)
        let missing: Vec<&&str> = areas.iter().filter(|a| !route.iter().any(|r| r == **a) && known(a)).collect();
        if missing.len() == 1 && !route.is_empty() {
            if first_tag.as_deref() == Some("") {
                route.insert(0, missing[0].to_string());
            } else if last_tag.is_empty() {
                route.push(missing[0].to_string());
            }
        }
        if route.len() >= 2 && route.last().map(String::as_str) == areas.first().copied() && route[0] != areas[0] {
            route.reverse();
        }
        let ggit_name = match get(&row, "unit") {
            "" => get(&row, "name").to_string(),
            u => format!("{} ({u})", get(&row, "name")),
        };
        let mut u = Unit {
            id: id.clone(),
            name: ggit_name.clone(),
            ggit_name,
            status: get(&row, "status").into(),
            capacity: number(get(&row, "capacity_bcm_y"), &id)?.unwrap_or(0.0),
            reverse: 0.0,
            route,
            route_from: "geometry".into(),
            notes: Vec::new(),
        };
        let mut excluded = false;
        for (i, o) in overrides.iter().enumerate().filter(|(_, o)| o.target == id) {
            used[i] = true;
            let old = match o.field.as_str() {
                "name" => std::mem::replace(&mut u.name, o.value.clone()),
                "status" => std::mem::replace(&mut u.status, o.value.clone()),
                "capacity_bcm_y" => {
                    let v = number(&o.value, &id)?.unwrap_or(0.0);
                    std::mem::replace(&mut u.capacity, v).to_string()
                }
                "reverse_bcm_y" => {
                    let v = number(&o.value, &id)?.unwrap_or(0.0);
                    std::mem::replace(&mut u.reverse, v).to_string()
                }
                "route" => {
                    u.route_from = "override".into();
                    let r = o.value.split_whitespace().map(String::from).collect();
                    std::mem::replace(&mut u.route, r).join(" ")
                }
                "exclude" => {
                    excluded = true;
                    String::new()
                }
                f => return Err(GasError::Format(format!("overrides.csv {id}: unknown field '{f}'"))),
            };
            if o.field != "name" {
                u.notes.push(format!("{}: {} -> {} ({}, {})", o.field, old, o.value, o.source, o.date));
            }
        }
        if let Some(c) = u.route.iter().find(|c| !known(c)) {
            return Err(GasError::Format(format!("{id}: route country '{c}' is not in countries.csv")));
        }
        if excluded {
            log.push(format!("{id} {}: excluded by the override table", u.ggit_name));
        } else if u.route.len() < 2 {
            log.push(format!("{id} {}: crosses no modelled border (tags {:?}), left out", u.ggit_name, u.route));
        } else {
            units.push(u);
        }
    }
    // merge units of one pipeline on one route with one status (TurkStream's two strings)
    let mut pipelines: Vec<Pipeline> = Vec::new();
    for u in units {
        if let Some(p) = pipelines.iter_mut().find(|p| p.name == u.name && p.status == u.status && p.route == u.route) {
            p.ids.push(u.id);
            p.capacity += u.capacity;
            p.reverse += u.reverse;
            p.notes.extend(u.notes);
        } else {
            pipelines.push(Pipeline {
                name: u.name,
                ggit_name: u.ggit_name,
                ids: vec![u.id],
                status: u.status,
                capacity: u.capacity,
                reverse: u.reverse,
                route: u.route,
                route_from: u.route_from,
                notes: u.notes,
            });
        }
    }
    // interconnection points: the border directions they carry replace GGIT's legs
    let points = interconnections(src.interconnections, &known)?;
    let covered = |a: &str, b: &str| points.iter().any(|r| r.from == a && r.to == b);
    let mut cut_pipes: Vec<Pipeline> = Vec::new();
    for p in pipelines {
        let cut: Vec<bool> = p
            .route
            .windows(2)
            .map(|w| p.operating() && (covered(&w[0], &w[1]) || (p.reverse > 0.0 && covered(&w[1], &w[0]))))
            .collect();
        if !cut.contains(&true) {
            cut_pipes.push(p);
            continue;
        }
        let legs: Vec<String> =
            p.route.windows(2).zip(&cut).filter(|(_, c)| **c).map(|(w, _)| format!("{}>{}", w[0], w[1])).collect();
        log.push(format!(
            "{} {} ({:.2} bcm/y): leg {} carried by interconnections.csv",
            p.ids.join(" "),
            p.name,
            p.capacity,
            legs.join(", ")
        ));
        // the runs of legs that stay, each a pipeline of its own (same name; made unique below)
        let mut start = 0;
        for i in 0..=cut.len() {
            if i == cut.len() || cut[i] {
                if i > start {
                    let mut piece = p.clone();
                    piece.route = p.route[start..=i].to_vec();
                    piece.notes.push(format!("legs {} carried by data/gas/interconnections.csv", legs.join(", ")));
                    cut_pipes.push(piece);
                }
                start = i + 1;
            }
        }
    }
    let mut pipelines = cut_pipes;
    for r in &points {
        let note = format!("{}>{} {:.3} bcm/y at {} ({}, {})", r.from, r.to, r.bcm, r.points, r.source, r.date);
        let reverse_of = pipelines.iter_mut().find(|p| {
            p.route_from == FROM_INTERCONNECTIONS && p.name == r.name && p.route == [r.to.clone(), r.from.clone()]
        });
        match reverse_of {
            Some(p) if p.reverse == 0.0 => {
                p.reverse = r.bcm;
                p.ids.push(format!("IC {}>{}", r.from, r.to));
                p.notes.push(note);
            }
            _ => pipelines.push(Pipeline {
                name: r.name.clone(),
                ggit_name: r.points.clone(),
                ids: vec![format!("IC {}>{}", r.from, r.to)],
                status: "operating".into(),
                capacity: r.bcm,
                reverse: 0.0,
                route: vec![r.from.clone(), r.to.clone()],
                route_from: FROM_INTERCONNECTIONS.into(),
                notes: vec![note],
            }),
        }
    }
    log.push(format!(
        "{} interconnection rows on {} border directions",
        points.len(),
        points.iter().map(|r| (&r.from, &r.to)).collect::<std::collections::BTreeSet<_>>().len()
    ));
    // names stay unique: a second pipeline of the same name gets its status or route appended
    for i in 0..pipelines.len() {
        if pipelines[..i].iter().any(|p| p.name == pipelines[i].name) {
            let suffix =
                if pipelines[i].operating() { pipelines[i].route.join("-") } else { pipelines[i].status.clone() };
            pipelines[i].name = format!("{} [{suffix}]", pipelines[i].name);
        }
    }

    // LNG terminals: units of one terminal with one status merged
    let mut terminals: Vec<Terminal> = Vec::new();
    for row in rows(src.lng, "ggit_lng_import.csv")? {
        let id = get(&row, "id").to_string();
        let country = get(&row, "country").to_string();
        if !known(&country) {
            continue;
        }
        let mut name = get(&row, "name").to_string();
        let mut status = get(&row, "status").to_string();
        let mut capacity = number(get(&row, "capacity_mtpa"), &id)?.unwrap_or(0.0) * BCM_PER_MTPA;
        let mut notes = Vec::new();
        for (i, o) in overrides.iter().enumerate().filter(|(_, o)| o.target == id) {
            used[i] = true;
            let old = match o.field.as_str() {
                "name" => std::mem::replace(&mut name, o.value.clone()),
                "status" => std::mem::replace(&mut status, o.value.clone()),
                "capacity_bcm_y" => {
                    let v = number(&o.value, &id)?.unwrap_or(0.0);
                    format!("{:.2}", std::mem::replace(&mut capacity, v))
                }
                f => return Err(GasError::Format(format!("overrides.csv {id}: unknown terminal field '{f}'"))),
            };
            notes.push(format!("{}: {} -> {} ({}, {})", o.field, old, o.value, o.source, o.date));
        }
        if let Some(t) = terminals.iter_mut().find(|t| t.name == name && t.status == status) {
            t.ids.push(id);
            t.capacity += capacity;
            t.notes.extend(notes);
        } else {
            terminals.push(Terminal { name, country, ids: vec![id], status, capacity, notes });
        }
    }
    for i in 0..terminals.len() {
        if terminals[..i].iter().any(|t| t.name == terminals[i].name) {
            terminals[i].name = format!("{} [{}]", terminals[i].name, terminals[i].status);
        }
    }
    for t in &mut terminals {
        t.capacity = (t.capacity * 1000.0).round() / 1000.0;
    }

    let mut storages = Vec::new();
    for row in rows(src.storage, "iggielgn_storage.csv")? {
        let country = get(&row, "country").to_string();
        let id = get(&row, "id").to_string();
        let mut withdrawal = number(get(&row, "withdrawal_mcm_d"), "storage")?.unwrap_or(0.0);
        // a storage row corrected by the override table: left out (a duplicate) or a withdrawal
        // capacity replaced, each with its source
        let mut excluded = false;
        for (i, o) in overrides.iter().enumerate().filter(|(_, o)| !id.is_empty() && o.target == id) {
            used[i] = true;
            match o.field.as_str() {
                "exclude" => excluded = true,
                "withdrawal_mcm_d" => withdrawal = number(&o.value, &id)?.unwrap_or(0.0),
                f => return Err(GasError::Format(format!("overrides.csv {id}: unknown storage field '{f}'"))),
            }
        }
        if excluded {
            log.push(format!("{id} {}: storage excluded by the override table", get(&row, "name")));
        } else if known(&country) && withdrawal > 0.0 {
            storages.push(Storage {
                name: get(&row, "name").into(),
                country,
                withdrawal,
                working_gas: number(get(&row, "working_gas_mcm"), "storage")?.unwrap_or(0.0),
            });
        }
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(GasError::Format(format!("overrides.csv: target '{}' is not in the sources", overrides[i].target)));
    }
    log.push(format!(
        "{} pipelines ({} operating), {} LNG terminals, {} storage sites, {} countries, {} overrides",
        pipelines.len(),
        pipelines.iter().filter(|p| p.operating()).count(),
        terminals.len(),
        storages.len(),
        countries.len(),
        overrides.len()
    ));
    let supply = supply_caps(src.supply, &suppliers)?;
    let commitments = commitments(src.commitments, &suppliers, &known)?;
    log.push(format!(
        "{} of {} suppliers capped (supply.csv), {} committed offtakes (commitments.csv)",
        supply.len(),
        suppliers.len(),
        commitments.len()
    ));
    let sources = vec![
        "Global Energy Monitor, Global Gas Infrastructure Tracker, October 2024 (ggit_2024-10-08.xlsx), CC BY 4.0"
            .into(),
        "SciGRID_gas IGGIELGN storages (DLR), CC BY 4.0".into(),
        "Country boundaries: country-boundaries crate, ODbL, (c) OpenStreetMap contributors".into(),
        "Project curation: data/gas/countries.csv, overrides.csv, interconnections.csv, supply.csv and commitments.csv (each figure with its source and date)"
            .into(),
    ];
    Ok(Built {
        network: GasNetwork {
            version: VERSION,
            sources,
            countries,
            suppliers,
            pipelines,
            terminals,
            storages,
            supply,
            commitments,
        },
        log,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy world: x < 10 is "AA", 10..20 "BB", 20..30 "CC", beyond is sea.
    fn tag(_lat: f64, lon: f64) -> String {
        match lon {
            x if x < 10.0 => "AA".into(),
            x if x < 20.0 => "BB".into(),
            x if x < 30.0 => "CC".into(),
            _ => String::new(),
        }
    }

    const COUNTRIES: &str = "code,name,eu,supplier,demand_bcm,demand_year,demand_source,peak_mcm_d,peak_year,peak_source,production_bcm,production_year,production_source\n\
AA,Aland,,yes,,,,,,,,,\nBB,Bland,yes,,5,2024,test source,,,,,,\nCC,Cland,yes,,,,,,,,,,\nDD,Dland,,yes,,,,,,,,,\n";

    fn sources<'a>(pipes: &'a str, overrides: &'a str) -> Sources<'a> {
        Sources {
            pipelines: pipes,
            lng: "id,name,unit,status,country,capacity_mtpa,start_year,lat,lon,url\nT1,Port,,operating,CC,2,,0,25,\nT2,Port,x,operating,CC,1,,0,25,\n",
            storage: "id,name,country,withdrawal_mcm_d,working_gas_mcm,lat,lon\n",
            countries: COUNTRIES,
            overrides,
            interconnections: "",
            supply: "",
            commitments: "",
        }
    }

    const H: &str = "id,name,unit,status,countries,capacity_bcm_y,start_year,url,route\n";

    #[test]
    fn routes_follow_borders_orientation_and_units_merge() {
        // drawn against the flow (CC -> AA), GGIT lists AA first: reversed; two units merged
        let pipes = format!(
            "{H}P1,Line,1,operating,AA BB CC,5,,,25 0;15 0;5 0\nP2,Line,2,operating,AA BB CC,7,,,25 0;15 0;5 0\n\
P3,Stub,,operating,AA BB,3,,,1 0;2 0\nP4,Offshore,,operating,DD BB,4,,,40 0;35 0;15 0\n"
        );
        let b = build(&sources(&pipes, "target,field,value,source,date,note\n"), &tag).unwrap();
        let line = b.network.pipelines.iter().find(|p| p.name == "Line (1)").unwrap();
        assert_eq!(line.route, vec!["AA", "BB", "CC"]);
        assert_eq!(line.ids, vec!["P1"]);
        // units keep their GGIT unit names, so they stay apart unless an override names them alike
        assert!(b.network.pipelines.iter().any(|p| p.name == "Line (2)"));
        assert!(
            !b.network.pipelines.iter().any(|p| p.ggit_name == "Stub"),
            "a route inside one country adds no border"
        );
        let off = b.network.pipelines.iter().find(|p| p.ggit_name == "Offshore").unwrap();
        assert_eq!(off.route, vec!["DD", "BB"], "the untagged country goes to the sea end");
        assert_eq!(b.network.terminals.len(), 1, "LNG units of one terminal merge");
        assert!((b.network.terminals[0].capacity - 3.0 * BCM_PER_MTPA).abs() < 1e-9);
        assert_eq!(b.network.suppliers, vec!["AA", "DD", "LNG"]);
    }

    #[test]
    fn overrides_need_sources_and_apply() {
        let pipes = format!(
            "{H}P1,Line,1,operating,AA BB CC,5,,,5 0;15 0;25 0\nP2,Line,2,operating,AA BB CC,7,,,5 0;15 0;25 0\n"
        );
        let ov = "target,field,value,source,date,note\nP1,name,L,naming,2025,\nP2,name,L,naming,2025,\nP2,capacity_bcm_y,8,a source,2024,\n";
        let b = build(&sources(&pipes, ov), &tag).unwrap();
        let l = b.network.pipelines.iter().find(|p| p.name == "L").unwrap();
        assert_eq!((l.capacity, l.ids.len()), (13.0, 2), "renamed units merge and add up");
        let bad = "target,field,value,source,date,note\nP1,capacity_bcm_y,8,,,\n";
        assert!(build(&sources(&pipes, bad), &tag).is_err(), "an override without a source is refused");
        let unknown = "target,field,value,source,date,note\nP9,status,stopped,s,2025,\n";
        assert!(build(&sources(&pipes, unknown), &tag).is_err(), "an override of nothing is refused");
    }

    #[test]
    fn missing_peak_days_get_the_documented_default_and_notes_are_kept() {
        // BB: demand 3.65 bcm/y and a published peak of 20 mcm/d (average day 10: ratio 2);
        // CC: demand 7.3 bcm/y, no peak: estimated 20 x 2 = 40 mcm/d; DD: no gas market (0)
        let countries = "code,name,eu,supplier,demand_bcm,demand_year,demand_source,peak_mcm_d,peak_year,peak_source,production_bcm,production_year,production_source,note\n\
AA,Aland,,yes,,,,,,,,,,supplier\nBB,Bland,yes,,3.65,2024,src,20,2024,peak src,,,,\nCC,Cland,yes,,7.3,2023,src,,,,,,,\n\
DD,Dland,,,0,2023,no gas src,,,,,,,no gas market\n";
        let mut src = sources(H, "target,field,value,source,date,note\n");
        src.countries = countries;
        let b = build(&src, &tag).unwrap();
        let c = |code: &str| b.network.countries.iter().find(|c| c.code == code).unwrap().clone();
        let bb = c("BB").peak.unwrap();
        assert!(!bb.estimated && bb.value == 20.0, "a published peak stays");
        let cc = c("CC").peak.unwrap();
        assert!(cc.estimated && (cc.value - 40.0).abs() < 1e-9, "{cc:?}");
        assert!(cc.source.contains("documented default") && cc.source.contains("BB"), "{}", cc.source);
        assert_eq!(c("DD").peak, None, "no Dmax without a gas market");
        assert_eq!(c("DD").note.as_deref(), Some("no gas market"));
        assert_eq!(c("AA").note.as_deref(), Some("supplier"));
        assert_eq!(peak_ratio(&b.network.countries).map(|r| r.1), Some(vec!["BB".to_string()]));
    }

    #[test]
    fn supply_caps_and_commitments_need_sources() {
        let pipes = format!("{H}P1,Line,,operating,AA BB CC,5,,,5 0;15 0;25 0\n");
        let ov = "target,field,value,source,date,note\n";
        let sup = "supplier,bcm_y,year,basis,source,note\nAA,7,2024,exports,a source,\nDD,,,,,not sourced\n";
        let com = "supplier,offtaker,name,bcm_y,year,basis,source\nAA,BB,Deal,2,2020,contract,a source\n";
        let mut src = sources(&pipes, ov);
        (src.supply, src.commitments) = (sup, com);
        let b = build(&src, &tag).unwrap();
        assert_eq!(b.network.supply_cap("AA").map(|c| c.bcm), Some(7.0));
        assert!(b.network.supply_cap("DD").is_none(), "listed without a figure: uncapped");
        assert_eq!(b.network.commitments.len(), 1);
        let bad_supply = [
            "supplier,bcm_y,year,basis,source,note\nBB,7,2024,exports,s,\n", // not a supplier
            "supplier,bcm_y,year,basis,source,note\nAA,7,2024,exports,,\n",  // no source
            "supplier,bcm_y,year,basis,source,note\nAA,-1,2024,exports,s,\n", // negative
            "supplier,bcm_y,year,basis,source,note\nAA,1,2024,e,s,\nAA,2,2024,e,s,\n", // twice
        ];
        for bad in bad_supply {
            let mut s = sources(&pipes, ov);
            s.supply = bad;
            assert!(build(&s, &tag).is_err(), "{bad}");
        }
        let bad_com = [
            "supplier,offtaker,name,bcm_y,year,basis,source\nBB,CC,D,2,2020,contract,s\n", // not a supplier
            "supplier,offtaker,name,bcm_y,year,basis,source\nAA,DD,D,2,2020,contract,s\n", // offtaker supplies
            "supplier,offtaker,name,bcm_y,year,basis,source\nAA,BB,D,2,2020,contract,\n",  // no source
            "supplier,offtaker,name,bcm_y,year,basis,source\nAA,ZZ,D,2,2020,contract,s\n", // unknown
        ];
        for bad in bad_com {
            let mut s = sources(&pipes, ov);
            s.commitments = bad;
            assert!(build(&s, &tag).is_err(), "{bad}");
        }
    }

    const IC: &str = "from,to,name,points,capacity_bcm_y,capacity_gwh_d,capacity_mcm_d,source,date,note\n";

    #[test]
    fn interconnections_replace_the_legs_of_their_border_direction() {
        let pipes = format!("{H}P1,Line,,operating,AA BB CC,5,,,5 0;15 0;25 0\nP2,Plan,,proposed,AA BB,9,,,5 0;15 0\n");
        let ic = format!(
            "{IC}AA,BB,Gate,Gate A/B,2,,,src,2024,\nBB,AA,Gate,Gate A/B,,100,,src,2024,\nBB,CC,Other,,,,10,src,2025,\n"
        );
        let mut src = sources(&pipes, "target,field,value,source,date,note\n");
        src.interconnections = &ic;
        let b = build(&src, &tag).unwrap();
        let net = &b.network;
        // Line's AA>BB and BB>CC legs are both covered: nothing of it is left
        assert!(!net.pipelines.iter().any(|p| p.name.starts_with("Line")), "{:?}", net.pipelines);
        let gate = net.pipelines.iter().find(|p| p.name == "Gate").unwrap();
        assert_eq!(gate.route, vec!["AA", "BB"]);
        assert_eq!(gate.capacity, 2.0);
        assert!((gate.reverse - 100.0 * 365.0 / 1000.0 / TWH_PER_BCM).abs() < 1e-3, "GWh/d converted");
        let other = net.pipelines.iter().find(|p| p.name == "Other").unwrap();
        assert!((other.capacity - 3.65).abs() < 1e-9, "mcm/d x 365");
        // a proposed pipeline on a covered border stays whole (a scenario may switch it on)
        assert_eq!(net.pipelines.iter().find(|p| p.name == "Plan").unwrap().route, vec!["AA", "BB"]);

        // only one border covered: the rest of the route stays under its name
        let ic2 = format!("{IC}BB,CC,Other,,3,,,src,2025,\n");
        src.interconnections = &ic2;
        let b = build(&src, &tag).unwrap();
        let line = b.network.pipelines.iter().find(|p| p.name == "Line").unwrap();
        assert_eq!((line.route.clone(), line.capacity), (vec!["AA".to_string(), "BB".to_string()], 5.0));

        let bad_rows = [
            format!("{IC}AA,BB,Gate,,2,100,,src,2024,\n"), // two capacities
            format!("{IC}AA,BB,Gate,,,,,src,2024,\n"),     // none
            format!("{IC}AA,ZZ,Gate,,2,,,src,2024,\n"),    // unknown country
            format!("{IC}AA,BB,Gate,,2,,,,,\n"),           // no source
            format!("{IC}AA,BB,Gate,,-2,,,src,2024,\n"),   // negative
        ];
        for bad in &bad_rows {
            let mut s = sources(&pipes, "target,field,value,source,date,note\n");
            s.interconnections = bad;
            assert!(build(&s, &tag).is_err(), "{bad}");
        }
    }
}
