//! The risk layer at the command line: the `--risk`, `--as-of`, `--max-risk` and
//! `--risk-incidents` options of `route` and `compare`, and `corridor risk` (a route's, a
//! corridor's or the high-risk areas' exposure, and a timing of the field). The library does the
//! work (`corridor::risk`); this file parses, loads files and prints.

use std::path::{Path, PathBuf};

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use corridor::planner::{Planner, Query};
use corridor::risk::{self, Incident, RiskLayer};
use corridor::route::Route;
use corridor::Network;

use crate::fmt::{jsonln, outln, thousands};
use crate::{ConstraintArgs, Failure, Format, ModelArgs, TABLE_JSON};

/// Risk options shared by `route`, `compare` and `corridor risk`.
#[derive(clap::Args, Clone, Default)]
pub struct RiskArgs {
    /// Put war-risk premiums of high-risk waters in the cost (as of the newest incident unless
    /// --as-of); implied by --as-of, --max-risk and --risk-incidents.
    #[arg(long)]
    pub risk: bool,
    /// Date of the risk field (YYYY-MM-DD): incidents up to it, weighted by their age.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Close edges whose risk field exceeds this value (the field counts recent incidents
    /// nearby; areas are listed at `risk.listing_threshold`, 2 by default).
    #[arg(long, value_name = "FIELD")]
    pub max_risk: Option<f64>,
    /// Incident files to add to the shipped table (NGA ASAM CSV/JSON, ACLED, UCDP GED, GDELT
    /// events, chokepointR incidents_recent.csv beside its chokepoints.csv); repeatable.
    #[arg(long, value_name = "FILE")]
    pub risk_incidents: Vec<PathBuf>,
}

impl RiskArgs {
    /// Whether any risk option was given.
    pub fn on(&self) -> bool {
        self.risk || self.as_of.is_some() || self.max_risk.is_some() || !self.risk_incidents.is_empty()
    }
}

/// Reads one user incident file (its format recognised; see `corridor::risk::load::file`),
/// saying on stderr how many rows had no usable position.
pub fn read_incident_file(path: &Path) -> Result<Vec<Incident>, Failure> {
    let loaded = risk::load::file(path)?;
    if loaded.skipped > 0 {
        eprintln!("corridor: {}: {} rows without a usable position skipped", path.display(), loaded.skipped);
    }
    Ok(loaded.incidents)
}

/// The incidents of a query: the shipped table plus the user's files.
pub fn incidents(args: &RiskArgs) -> Result<Vec<Incident>, Failure> {
    let mut all = RiskLayer::shipped_incidents();
    for p in &args.risk_incidents {
        all.extend(read_incident_file(p)?);
    }
    Ok(all)
}

/// Builds the risk layer for a network and parameters.
pub fn layer(args: &RiskArgs, net: &Network, params: &corridor::model::params::Params) -> Result<RiskLayer, Failure> {
    // the library's wording ("as-of date ..."), as the server and the Python package give it
    let as_of = args.as_of.as_deref().map(risk::parse_as_of).transpose()?;
    Ok(RiskLayer::build(net, params, incidents(args)?, as_of, args.max_risk)?)
}

/// The planner of a routing command: with the risk layer when an option asks for it.
pub fn apply(args: &RiskArgs, planner: Planner) -> Result<(Planner, Option<RiskLayer>), Failure> {
    if !args.on() {
        return Ok((planner, None));
    }
    let l = layer(args, planner.net(), planner.params())?;
    let p = l.planner(&planner);
    Ok((p, Some(l)))
}

fn area_line(l: &RiskLayer) -> String {
    l.areas
        .iter()
        .map(|a| {
            format!(
                "{} {} (field {:.2}): US${}/FEU per transit",
                a.key,
                if a.listed { "LISTED" } else { "not listed" },
                a.field,
                thousands(a.premium_usd_per_feu)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn header(l: &RiskLayer) -> String {
    let p = &l.params;
    let closed = match l.max_risk {
        Some(m) => format!("; --max-risk {m}: {} edges closed", thousands(l.closed.len() as f64)),
        None => String::new(),
    };
    format!(
        "as of {} ({} incidents loaded; Gaussian kernel {} km, half-life {} days, listed at field >= {}{closed})",
        l.as_of,
        thousands(l.incidents.len() as f64),
        p.bandwidth_km,
        p.half_life_days,
        p.listing_threshold
    )
}

fn nearest_table(r: &risk::report::RouteRisk) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["date", "km", "kind", "vessel", "place", "source"]);
    for n in &r.nearest {
        t.add_row(vec![
            n.date.to_string(),
            format!("{:.0}", n.km),
            n.kind.clone(),
            n.vessel.clone(),
            n.place.chars().take(48).collect(),
            n.source.chars().take(110).collect(),
        ]);
    }
    t
}

fn exposure_line(r: &risk::report::RouteRisk) -> String {
    format!(
        "{} incidents within {} km in the {} days to {}; {:.1} days in high-risk waters (max field {:.2}); war-risk premiums US${}/FEU",
        r.incidents_near,
        r.exposure_km,
        r.window_days,
        r.as_of,
        r.days_in_high_risk,
        r.max_field,
        thousands(r.premium_usd_per_feu)
    )
}

/// After `route` (table format): the risk layer's state and the best route's exposure; with
/// `--explain`, the nearest incidents with their sources.
pub fn after_route(l: &Option<RiskLayer>, planner: &Planner, routes: &[Route], format: Format, explain: bool) {
    let (Some(l), Format::Table) = (l, format) else { return };
    let r = l.route_report(planner.net(), planner.cost(), &routes[0], 10);
    outln!("risk       {}", header(l));
    outln!("areas      {}", area_line(l));
    outln!("exposure   {}", exposure_line(&r));
    if explain && !r.nearest.is_empty() {
        outln!("nearest incidents (the {} closest of the window):", r.nearest.len());
        outln!("{}", nearest_table(&r));
    }
}

/// After `compare` (table format): the layer's state.
pub fn after_compare(l: &Option<RiskLayer>, format: Format) {
    if let (Some(l), Format::Table) = (l, format) {
        outln!("risk: {}; {}", header(l), area_line(l));
    }
}

/// `corridor risk`.
#[derive(clap::Args)]
pub struct RiskCmd {
    #[command(subcommand)]
    what: RiskWhat,
}

#[derive(clap::Subcommand)]
enum RiskWhat {
    /// The exposure of the best route between two places: incidents near it, days in
    /// high-risk waters, premiums, the nearest incidents with their sources.
    Route {
        from: String,
        to: String,
        #[arg(long)]
        via: Vec<String>,
        #[command(flatten)]
        constraints: ConstraintArgs,
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        risk: RiskArgs,
        /// Nearest incidents to list.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value = "table", value_parser = crate::formats(TABLE_JSON))]
        format: Format,
    },
    /// The exposure of one corridor of data/corridors.toml (e.g. sea_suez, middle) between two places.
    Corridor {
        corridor: String,
        from: String,
        to: String,
        #[command(flatten)]
        constraints: ConstraintArgs,
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        risk: RiskArgs,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value = "table", value_parser = crate::formats(TABLE_JSON))]
        format: Format,
    },
    /// The high-risk areas: field, listed or not, premium per FEU, their incidents in the window.
    Areas {
        /// One area (red_sea_aden, gulf_hormuz, black_sea_north); all by default.
        area: Option<String>,
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        risk: RiskArgs,
        #[arg(long, default_value_t = 5)]
        limit: usize,
        #[arg(long, default_value = "table", value_parser = crate::formats(TABLE_JSON))]
        format: Format,
    },
    /// The incidents that weigh on the field as of the date, newest first, with their weight in
    /// the field and their source; `--format json` gives GeoJSON points (the web map's layer).
    Incidents {
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        risk: RiskArgs,
        #[arg(long, default_value = "table", value_parser = crate::formats(TABLE_JSON))]
        format: Format,
    },
    /// Time the field on the world network for N incidents drawn at random over the corridor
    /// region (sea and land alternately) and for the shipped table, and routing by cost with and
    /// without the premiums on ten world pairs.
    Bench {
        #[arg(long, default_value_t = 10_000)]
        incidents: usize,
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
}

fn json<T: serde::Serialize>(v: &T) {
    jsonln!("{}", serde_json::to_string_pretty(v).expect("json"));
}

/// Runs `corridor risk`.
pub fn run(cmd: RiskCmd, network: Option<&PathBuf>) -> Result<u8, Failure> {
    match cmd.what {
        RiskWhat::Route { from, to, via, constraints, model, risk, limit, format } => {
            let c = constraints.to_constraints()?;
            let params = model.load()?;
            let base = crate::load::planner(crate::load::network(network)?, params);
            let l = layer(&risk, base.net(), base.params())?;
            let planner = l.planner(&base);
            let q = Query { from, to, via, constraints: c, objective: model.by };
            let route = planner.route(&q)?;
            print_route_report(&l, &route, &l.route_risk_report(&planner, &route, limit), format);
            Ok(0)
        }
        RiskWhat::Corridor { corridor, from, to, constraints, model, risk, limit, format } => {
            let c = constraints.to_constraints()?;
            let params = model.load()?;
            let base = crate::load::planner(crate::load::network(network)?, params);
            let l = layer(&risk, base.net(), base.params())?;
            let planner = l.planner(&base);
            let catalogue = corridor::compare::Catalogue::shipped();
            if !catalogue.corridor.iter().any(|k| k.id == corridor) {
                let known: Vec<&str> = catalogue.corridor.iter().map(|k| k.id.as_str()).collect();
                return Err(Failure {
                    code: 2,
                    message: format!("unknown corridor '{corridor}' (known: {})", known.join(", ")),
                });
            }
            let rows = corridor::compare::compare(&planner, &catalogue, &from, &to, &c, model.by)?;
            let row = rows.into_iter().find(|r| r.id == corridor).expect("every corridor has a row");
            let Some(route) = row.route else {
                return Err(Failure { code: 1, message: format!("corridor {corridor}: {}", row.status) });
            };
            if !row.available {
                // e.g. sea_suez when the premiums send its best route round the Cape
                eprintln!("corridor: corridor {corridor}: {} (the report is of the route it takes)", row.status);
            }
            print_route_report(&l, &route, &l.route_risk_report(&planner, &route, limit), format);
            Ok(0)
        }
        RiskWhat::Areas { area, model, risk, limit, format } => {
            let params = model.load()?;
            let net = crate::load::network(network)?;
            let l = layer(&risk, &net, &params)?;
            let report = l.areas_report(area.as_deref(), limit)?;
            if format == Format::Json {
                json(&report);
                return Ok(0);
            }
            let reports = &report.areas;
            outln!("risk: {}", header(&l));
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec![
                "area",
                "field",
                "listed",
                "premium % hull",
                "US$/FEU per transit",
                "incidents in window",
                "latest",
            ]);
            for r in reports {
                let latest =
                    r.recent.first().map(|n| format!("{} {} ({})", n.date, n.vessel, n.kind)).unwrap_or_default();
                t.add_row(vec![
                    format!("{} ({})", r.state.key, r.state.name),
                    format!("{:.2}", r.state.field),
                    if r.state.listed { "yes".into() } else { "no".into() },
                    format!("{:.3}", r.state.premium_share * 100.0),
                    thousands(r.state.premium_usd_per_feu),
                    r.incidents.to_string(),
                    latest,
                ]);
            }
            outln!("{t}");
            for r in reports {
                outln!("{}: {}", r.state.key, r.state.source);
                for n in &r.recent {
                    outln!("  {} {} {} ({}): {}", n.date, n.kind, n.vessel, n.place, n.source);
                }
            }
            Ok(0)
        }
        RiskWhat::Incidents { model, risk, format } => {
            let params = model.load()?;
            let net = crate::load::network(network)?;
            let l = layer(&risk, &net, &params)?;
            let report = l.incidents_report();
            if format == Format::Json {
                json(&report);
                return Ok(0);
            }
            outln!("risk: {}", header(&l));
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec!["date", "age (d)", "kind", "vessel", "place", "field weight", "in window", "source"]);
            for f in &report.features {
                let p = &f.properties;
                t.add_row(vec![
                    p.date.to_string(),
                    p.age_days.to_string(),
                    p.kind.clone(),
                    p.vessel.clone(),
                    p.place.clone(),
                    format!("{:.3}", p.field_weight),
                    if p.in_window { "yes".into() } else { "no".into() },
                    p.source.clone(),
                ]);
            }
            outln!("{t}");
            outln!("{} incidents weigh on the field as of {}", report.features.len(), report.as_of);
            Ok(0)
        }
        RiskWhat::Bench { incidents, repeat } => bench(network, incidents, repeat),
    }
}

fn print_route_report(l: &RiskLayer, route: &Route, report: &risk::report::RouteRiskReport, format: Format) {
    if format == Format::Json {
        json(report);
        return;
    }
    let r = &report.exposure;
    outln!(
        "{} -> {}   {} km, {:.1} days, US${} per FEU total   passages {}",
        route.origin.name,
        route.destination.name,
        thousands(route.distance_km),
        route.totals.days,
        thousands(route.totals.total_usd_per_feu),
        if route.passages.is_empty() { "none".into() } else { route.passages.join(", ") }
    );
    outln!("risk       {}", header(l));
    outln!("areas      {}", area_line(l));
    outln!("exposure   {}", exposure_line(r));
    for a in &r.areas {
        outln!(
            "transit    {} ({}, field {:.2}): US${}/FEU",
            a.name,
            if a.listed { "listed" } else { "not listed" },
            a.field,
            thousands(a.premium_usd_per_feu)
        );
    }
    if !r.nearest.is_empty() {
        outln!("{}", nearest_table(r));
    }
}

/// `corridor risk bench`: the field's build time on the world network.
fn bench(network: Option<&PathBuf>, n: usize, repeat: usize) -> Result<u8, Failure> {
    let net = crate::load::network(network)?;
    let params = corridor::model::params::Params::defaults();
    let rp = risk::RiskParams::from_params(&params);
    let net_ref: &Network = &net;
    let as_of = risk::Date::from_ymd(2025, 1, 1).expect("a date");
    // xorshift: reproducible positions over 0-60 N, 20 W-130 E, dates over the two years before
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let synthetic: Vec<Incident> = (0..n)
        .map(|k| {
            let kind = if k % 2 == 0 { "missile" } else { "battle" };
            Incident {
                id: format!("bench-{k}"),
                date: risk::Date(as_of.0 - (rnd() * 730.0) as i32),
                lat: rnd() * 60.0,
                lon: rnd() * 150.0 - 20.0,
                kind: kind.into(),
                domain: if k % 2 == 0 { risk::Domain::Sea } else { risk::Domain::Land },
                vessel: String::new(),
                place: String::new(),
                source: String::new(),
                dataset: "bench".into(),
                weight: 1.0,
            }
        })
        .collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut times = Vec::new();
    for _ in 0..repeat.max(1) {
        let t = std::time::Instant::now();
        let f = risk::Field::build(net_ref, &synthetic, &rp, as_of);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(f);
    }
    times.sort_by(f64::total_cmp);
    let shipped = RiskLayer::shipped_incidents();
    let t = std::time::Instant::now();
    let l = RiskLayer::build(net_ref, &params, shipped, None, None)?;
    let layer_ms = t.elapsed().as_secs_f64() * 1e3;
    outln!(
        "risk field, world network ({} edges), {n} random incidents (half at sea, half on land), {threads} threads: median {:.0} ms (min {:.0}, max {:.0}, {} runs)",
        thousands(net_ref.edge_count() as f64),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
    outln!(
        "risk layer with the shipped table ({} incidents): field {:.0} ms, field + areas + charges {:.0} ms",
        l.incidents.len(),
        l.field_ms,
        layer_ms
    );
    // routing by total cost with and without the premiums (as of 2024-03-01, the Red Sea
    // listed), on the prepared engine when the cache has one
    let base = crate::load::attach_engine(Planner::with_params(net.clone(), params.clone()));
    let engine =
        if base.prepared().is_some() { "prepared engine" } else { "no prepared engine: bidirectional Dijkstra" };
    let crisis =
        RiskLayer::build(net_ref, &params, RiskLayer::shipped_incidents(), risk::Date::from_ymd(2024, 3, 1), None)?;
    let with = crisis.planner(&base);
    let pairs = [
        ("Shanghai", "Rotterdam"),
        ("Singapore", "Hamburg"),
        ("Mumbai", "Rotterdam"),
        ("Jebel Ali", "Genoa"),
        ("Busan", "Piraeus"),
        ("Karachi", "Antwerp"),
        ("Xi'an", "Duisburg"),
        ("Almaty", "Istanbul"),
        ("Colombo", "Barcelona"),
        ("Shanghai", "Odesa"),
    ];
    let mut times = [Vec::new(), Vec::new()];
    let mut changed = 0;
    for (from, to) in pairs {
        let q = Query::new(from, to);
        let mut totals = [0.0; 2];
        for (k, p) in [&base, &with].into_iter().enumerate() {
            let mut best = f64::INFINITY;
            for _ in 0..repeat.max(1) {
                let t = std::time::Instant::now();
                let r = p.route(&q)?;
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
                totals[k] = r.totals.total_usd_per_feu;
            }
            times[k].push(best);
        }
        changed += (totals[0] != totals[1]) as usize;
    }
    for t in times.iter_mut() {
        t.sort_by(f64::total_cmp);
    }
    outln!(
        "routing by cost, {} world pairs ({engine}), best of {} runs each: median {:.1} ms without risk, {:.1} ms with the premiums as of 2024-03-01 (max {:.1} / {:.1} ms; {changed} pairs cost more)",
        pairs.len(),
        repeat.max(1),
        times[0][times[0].len() / 2],
        times[1][times[1].len() / 2],
        times[0][times[0].len() - 1],
        times[1][times[1].len() - 1],
    );
    Ok(0)
}
