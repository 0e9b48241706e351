//! `corridor scenario` and `corridor capacity`: what-if analyses. Thin: read files, build the
//! planners (before, and after the scenario's changes), call `corridor::scenario` and
//! `corridor::capacity`, format tables, JSON or CSV.

use std::io::IsTerminal;
use std::path::PathBuf;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use corridor::capacity::{self, Capacities, CapacityFile, RoutePath};
use corridor::compare::{compare, Catalogue};
use corridor::od::{self, OdPair};
use corridor::planner::{Constraints, Planner};
use corridor::scenario::{BeforeAfter, Measures, Report, Scenario};
use corridor::Network;

use crate::{load, ConstraintArgs, Failure, Format, ModelArgs};

#[derive(clap::Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML; see docs/scenarios.md and examples/scenarios/).
    file: PathBuf,
    /// Origin (with TO: report this pair only).
    from: Option<String>,
    /// Destination.
    to: Option<String>,
    /// Origin/destination file (CSV from,to[,demand]) instead of FROM TO.
    #[arg(long)]
    od: Option<PathBuf>,
    #[command(flatten)]
    constraints: ConstraintArgs,
    #[command(flatten)]
    model: ModelArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(clap::Args)]
pub struct CapacityArgs {
    /// Corridor id of data/corridors.toml (middle, northern, southern, instc, imec, imec_road,
    /// sea_suez, sea_cape); default: every corridor.
    #[arg(long)]
    corridor: Option<String>,
    /// Origin/destination file (CSV from,to[,demand]); default data/od/middle.csv.
    #[arg(long)]
    od: Option<PathBuf>,
    /// Apply a scenario first (closures, capacities, dwell changes).
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Demand matrix (CSV from,to,demand in TEU/year): assign it across corridors at least cost
    /// within the capacities.
    #[arg(long)]
    demand: Option<PathBuf>,
    #[command(flatten)]
    constraints: ConstraintArgs,
    #[command(flatten)]
    model: ModelArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// A whole number with thousands separators.
fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < -0.5 {
        out.insert(0, '-');
    }
    out
}

fn bad(message: String) -> Failure {
    Failure { code: 2, message }
}

fn read(path: &PathBuf) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| bad(format!("{}: {e}", path.display())))
}

fn read_scenario(path: &PathBuf) -> Result<Scenario, Failure> {
    Ok(Scenario::parse(&read(path)?, &path.display().to_string())?)
}

fn base_planner(net: std::sync::Arc<Network>, model: &ModelArgs) -> Result<Planner, Failure> {
    Ok(load::planner(net, model.load()?))
}

pub fn scenario(args: ScenarioArgs, network: Option<&PathBuf>) -> Result<u8, Failure> {
    let sc = read_scenario(&args.file)?;
    let user = args.constraints.to_constraints()?;
    if args.format == Format::Geojson {
        return Err(bad("scenario supports --format table, json or csv".into()));
    }
    let pairs: Vec<OdPair> = match (&args.from, &args.to, &args.od) {
        (Some(_), None, _) => return Err(bad("give both FROM and TO, or --od FILE".into())),
        (Some(_), Some(_), Some(_)) => return Err(bad("give FROM TO or --od FILE, not both".into())),
        (Some(f), Some(t), None) => vec![OdPair { from: f.clone(), to: t.clone(), demand: None }],
        (None, _, Some(path)) => od::parse(&read(path)?, &path.display().to_string())?,
        (None, _, None) if !sc.pair.is_empty() => {
            sc.pair.iter().map(|p| OdPair { from: p.from.clone(), to: p.to.clone(), demand: None }).collect()
        }
        (None, _, None) => od::parse(od::SCENARIO_PAIRS_CSV, "data/od/scenario-pairs.csv")?,
    };
    let net = load::network(network)?;
    let before = base_planner(net.clone(), &args.model)?;
    let applied = sc.apply(&before, &CapacityFile::shipped())?;
    let after = applied.planner(&before);
    let catalogue = Catalogue::shipped();
    let report =
        corridor::scenario::evaluate(&sc, &applied, &before, &after, &catalogue, &pairs, &user, args.model.by)?;
    print_report(&report, &args.file, args.format);
    Ok(0)
}

fn fmt_opt(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}")).unwrap_or_default()
}

fn signed(x: Option<f64>, digits: usize) -> String {
    x.map(|v| if v.abs() < 0.5 * 10f64.powi(-(digits as i32)) { "0".to_string() } else { format!("{v:+.digits$}") })
        .unwrap_or_default()
}

type Pick = fn(&Measures) -> f64;
const MEASURES: [(&str, Pick, usize); 4] = [
    ("distance_km", |m| m.distance_km, 0),
    ("days", |m| m.days, 1),
    ("usd_per_feu", |m| m.usd_per_feu, 0),
    ("kg_co2e_per_teu", |m| m.kg_co2e_per_teu, 0),
];

fn print_report(r: &Report, file: &std::path::Path, format: Format) {
    match format {
        Format::Json => {
            let mut v = serde_json::to_value(r).expect("report serializes");
            v["scenario_file"] = serde_json::json!(file.display().to_string());
            println!("{}", serde_json::to_string_pretty(&v).unwrap());
        }
        Format::Csv => {
            let mut head = "from,to,corridor,available_before,available_after,status_before,status_after".to_string();
            for (m, _, _) in MEASURES {
                head.push_str(&format!(",{m}_before,{m}_after,{m}_delta"));
            }
            println!("{head}");
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            for p in &r.pairs {
                let rows =
                    std::iter::once(("route", &p.route)).chain(p.corridors.iter().map(|c| (c.id.as_str(), &c.change)));
                for (id, c) in rows {
                    let mut line = format!(
                        "{},{},{},{},{},{},{}",
                        q(&p.from),
                        q(&p.to),
                        id,
                        c.available_before,
                        c.available_after,
                        q(&c.status_before),
                        q(&c.status_after)
                    );
                    for (_, f, _) in MEASURES {
                        line.push_str(&format!(
                            ",{},{},{}",
                            fmt_opt(c.before.as_ref().map(f), 3),
                            fmt_opt(c.after.as_ref().map(f), 3),
                            fmt_opt(c.delta.as_ref().map(f), 3)
                        ));
                    }
                    println!("{line}");
                }
            }
        }
        _ => {
            println!("scenario  {} ({})", r.scenario, file.display());
            if !r.description.is_empty() {
                println!("          {}", r.description);
            }
            let ch = &r.changes;
            println!(
                "changes   {} edges closed, {} opened; avoid [{}]; passages closed [{}]; params [{}]; {} dwell overrides; {} capacity changes",
                ch.closed_edges,
                ch.opened_edges,
                ch.avoid.join(","),
                ch.avoid_passages.join(","),
                ch.params_overridden.join(", "),
                ch.dwell_overrides,
                ch.capacity_changes
            );
            for p in &r.pairs {
                println!("\n{} -> {}", p.from, p.to);
                let mut t = Table::new();
                t.load_preset(UTF8_FULL_CONDENSED);
                t.set_header(vec![
                    "corridor",
                    "status before",
                    "status after",
                    "km",
                    "Δ km",
                    "days",
                    "Δ days",
                    "US$/FEU",
                    "Δ US$",
                    "kg CO2e/TEU",
                    "Δ kg",
                ]);
                let rows = std::iter::once(("best route", &p.route))
                    .chain(p.corridors.iter().map(|c| (c.name.as_str(), &c.change)));
                for (name, c) in rows {
                    t.add_row(change_row(name, c));
                }
                right_align(&mut t, 3);
                println!("{t}");
            }
            println!(
                "\nper corridor over {} pair(s): mean change where the corridor has a route before and after",
                r.pairs.len()
            );
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec![
                "corridor",
                "available before",
                "available after",
                "Δ km",
                "Δ days",
                "Δ US$/FEU",
                "Δ kg CO2e/TEU",
            ]);
            for c in &r.corridors {
                let d = c.mean_delta.as_ref();
                t.add_row(vec![
                    c.name.clone(),
                    c.pairs_available_before.to_string(),
                    c.pairs_available_after.to_string(),
                    signed(d.map(|m| m.distance_km), 0),
                    signed(d.map(|m| m.days), 1),
                    signed(d.map(|m| m.usd_per_feu), 0),
                    signed(d.map(|m| m.kg_co2e_per_teu), 0),
                ]);
            }
            right_align(&mut t, 1);
            println!("{t}");
            println!(
                "network {}  params {}  scenario fingerprint {}  (objective: {}; km by network, days, US$ per FEU, kg CO2e WTW per TEU)",
                r.network_version,
                r.params_version,
                r.fingerprint,
                r.objective.name()
            );
        }
    }
}

fn change_row(name: &str, c: &BeforeAfter) -> Vec<String> {
    let mut row = vec![name.to_string(), c.status_before.clone(), c.status_after.clone()];
    for (_, f, d) in MEASURES {
        let now = c.after.as_ref().or(c.before.as_ref()).map(f);
        row.push(fmt_opt(now, d));
        row.push(match (&c.before, &c.after) {
            (Some(_), Some(_)) => signed(c.delta.as_ref().map(f), d),
            (None, Some(_)) => "new".into(),
            (Some(_), None) => "gone".into(),
            _ => String::new(),
        });
    }
    row
}

fn right_align(t: &mut Table, from: usize) {
    for i in from..t.column_count() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// A pair (index) and corridor without an available route, with the corridor's status.
type Unavailable = (usize, String, String);

/// Routes every pair on the chosen corridors (two worker threads) and reduces each available
/// route to its capacitated elements.
fn corridor_routes(
    planner: &Planner,
    catalogue: &Catalogue,
    pairs: &[OdPair],
    user: &Constraints,
    objective: corridor::model::cost::Objective,
    caps: &Capacities,
) -> Result<(Vec<RoutePath>, Vec<Unavailable>), Failure> {
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(pairs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<corridor::Result<Vec<corridor::compare::Row>>>>> =
        pairs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= pairs.len() {
                    break;
                }
                let rows = compare(planner, catalogue, &pairs[i].from, &pairs[i].to, user, objective);
                *results[i].lock().unwrap() = Some(rows);
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    let mut routes = Vec::new();
    let mut missing = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        let rows = r.into_inner().unwrap().expect("every pair routed")?;
        for row in rows {
            match (&row.route, row.available) {
                (Some(route), true) => routes.push(RoutePath {
                    pair: i,
                    corridor: row.id.clone(),
                    usd_per_teu: route.totals.usd_per_teu,
                    elements: caps.elements_on(route),
                }),
                _ => missing.push((i, row.id.clone(), row.status.clone())),
            }
        }
    }
    Ok((routes, missing))
}

pub fn capacity(args: CapacityArgs, network: Option<&PathBuf>) -> Result<u8, Failure> {
    let user = args.constraints.to_constraints()?;
    if args.format == Format::Geojson {
        return Err(bad("capacity supports --format table, json or csv".into()));
    }
    let shipped = Catalogue::shipped();
    let catalogue = match &args.corridor {
        Some(id) => {
            let c = shipped.get(id).ok_or_else(|| {
                let ids: Vec<&str> = shipped.corridor.iter().map(|c| c.id.as_str()).collect();
                bad(format!("unknown corridor '{id}' (known: {})", ids.join(", ")))
            })?;
            Catalogue { version: shipped.version.clone(), corridor: vec![c.clone()] }
        }
        None => shipped.clone(),
    };
    let (pairs, od_name) = match (&args.demand, &args.od) {
        (Some(_), Some(_)) => {
            return Err(bad("give --od FILE or --demand FILE (which lists the pairs), not both".into()))
        }
        (Some(p), None) | (None, Some(p)) => (od::parse(&read(p)?, &p.display().to_string())?, p.display().to_string()),
        (None, None) => (od::parse(od::MIDDLE_CSV, "data/od/middle.csv")?, "data/od/middle.csv".to_string()),
    };
    let demand: Option<Vec<f64>> = if args.demand.is_some() {
        let d: Option<Vec<f64>> = pairs.iter().map(|p| p.demand).collect();
        Some(d.ok_or_else(|| bad("--demand: every line needs from,to,demand (TEU per year)".into()))?)
    } else {
        None
    };
    let sc = args.scenario.as_ref().map(read_scenario).transpose()?;
    let net = load::network(network)?;
    let base = base_planner(net.clone(), &args.model)?;
    let applied = match &sc {
        Some(s) => Some(s.apply(&base, &CapacityFile::shipped())?),
        None => None,
    };
    let after;
    let (planner, cap_file, user) = match &applied {
        Some(a) => {
            after = a.planner(&base);
            (&after, a.capacities.clone(), a.constrain(&user))
        }
        None => (&base, CapacityFile::shipped(), user),
    };
    let caps = Capacities::resolve(cap_file, planner.net(), planner.gazetteer())?;
    let (routes, missing) = corridor_routes(planner, &catalogue, &pairs, &user, args.model.by, &caps)?;
    let teu = &caps.teu;
    let pooled = capacity::max_flow(teu, &routes);
    let per_corridor: Vec<(String, String, usize, capacity::MaxFlowResult)> = catalogue
        .corridor
        .iter()
        .map(|c| {
            let rs: Vec<RoutePath> = routes.iter().filter(|r| r.corridor == c.id).cloned().collect();
            (c.id.clone(), c.name.clone(), rs.len(), capacity::max_flow(teu, &rs))
        })
        .collect();
    let assignment = demand.as_ref().map(|d| capacity::assign(teu, &routes, d));

    let element_json = |i: usize| {
        let e = &caps.file.element[i];
        serde_json::json!({"id": e.id, "name": e.name, "teu_per_year": teu[i], "published": e.published,
            "source": e.source, "year": e.year, "note": e.note, "changed_by": e.changed_by})
    };
    let flow_json = |f: &capacity::MaxFlowResult, rs: &[RoutePath]| {
        serde_json::json!({
            "max_flow_teu_per_year": f.teu_per_year,
            "unbounded": f.teu_per_year.is_none() && !f.unbounded_routes.is_empty(),
            "bottleneck": f.cut.iter().map(|&i| element_json(i)).collect::<Vec<_>>(),
            "routes_without_capacity_data": f.unbounded_routes.iter().map(|&k| {
                let r = &rs[k];
                serde_json::json!({"from": pairs[r.pair].from, "to": pairs[r.pair].to, "corridor": r.corridor})
            }).collect::<Vec<_>>(),
        })
    };
    match args.format {
        Format::Json => {
            let corridors: Vec<serde_json::Value> = per_corridor
                .iter()
                .map(|(id, name, n, f)| {
                    let rs: Vec<RoutePath> = routes.iter().filter(|r| &r.corridor == id).cloned().collect();
                    let mut v = flow_json(f, &rs);
                    v["id"] = serde_json::json!(id);
                    v["name"] = serde_json::json!(name);
                    v["routes"] = serde_json::json!(n);
                    v["published"] = serde_json::json!(caps.file.reference.iter().find(|r| &r.corridor == id));
                    v
                })
                .collect();
            let mut out = serde_json::json!({
                "network_version": net.meta.version,
                "capacity_version": caps.file.version,
                "od": od_name,
                "pairs": pairs.len(),
                "scenario": sc.as_ref().map(|s| serde_json::json!({"name": s.name, "fingerprint": s.fingerprint()})),
                "conversions": caps.file.conversion,
                "all": flow_json(&pooled, &routes),
                "corridors": corridors,
                "elements": (0..teu.len()).map(|i| {
                    let mut v = element_json(i);
                    v["flow_teu_per_year"] = serde_json::json!(pooled.teu_per_year.map(|_| pooled.element_flow[i]));
                    v["routes_through"] = serde_json::json!(routes.iter().filter(|r| r.elements.contains(&i)).count());
                    v
                }).collect::<Vec<_>>(),
                "unavailable": missing.iter().map(|(k, c, s)| serde_json::json!({"from": pairs[*k].from, "to": pairs[*k].to, "corridor": c, "status": s})).collect::<Vec<_>>(),
            });
            if let Some(a) = &assignment {
                out["assignment"] = serde_json::json!({
                    "total_demand_teu_per_year": demand.as_ref().unwrap().iter().sum::<f64>(),
                    "unserved_teu_per_year": a.unserved.iter().sum::<f64>(),
                    "total_usd_per_year": a.total_usd.round(),
                    "binding": a.binding.iter().map(|&i| element_json(i)).collect::<Vec<_>>(),
                    "flows": routes.iter().zip(&a.route_flow).filter(|(_, f)| **f > 0.0).map(|(r, f)| serde_json::json!({
                        "from": pairs[r.pair].from, "to": pairs[r.pair].to, "corridor": r.corridor,
                        "teu_per_year": f, "usd_per_teu": r.usd_per_teu})).collect::<Vec<_>>(),
                    "unserved": pairs.iter().zip(&a.unserved).filter(|(_, u)| **u > 0.0).map(|(p, u)| serde_json::json!({
                        "from": p.from, "to": p.to, "teu_per_year": u})).collect::<Vec<_>>(),
                });
            }
            println!("{}", serde_json::to_string_pretty(&out).unwrap());
        }
        Format::Csv => {
            println!("corridor,routes,max_flow_teu_per_year,bottleneck,bottleneck_sources");
            for (id, _, n, f) in &per_corridor {
                let names: Vec<String> = f.cut.iter().map(|&i| caps.file.element[i].id.clone()).collect();
                let srcs: Vec<String> = f
                    .cut
                    .iter()
                    .map(|&i| {
                        let e = &caps.file.element[i];
                        format!("{} ({})", e.source, e.year)
                    })
                    .collect();
                println!(
                    "{id},{n},{},\"{}\",\"{}\"",
                    f.teu_per_year.map(|v| format!("{v:.0}")).unwrap_or_else(|| "unbounded".into()),
                    names.join(";"),
                    srcs.join("; ").replace('"', "'")
                );
            }
        }
        _ => {
            let scen = sc.as_ref().map(|s| format!("  scenario {} ({})", s.name, s.fingerprint())).unwrap_or_default();
            println!("capacity  {} pair(s) from {od_name}{scen}", pairs.len());
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec![
                "corridor",
                "routes",
                "max flow TEU/yr",
                "bottleneck (minimum cut)",
                "published corridor figure",
            ]);
            for (id, name, n, f) in &per_corridor {
                let cut = if f.teu_per_year.is_none() && *n > 0 {
                    format!("unbounded: {} route(s) meet no capacitated element", f.unbounded_routes.len())
                } else {
                    f.cut
                        .iter()
                        .map(|&i| {
                            let e = &caps.file.element[i];
                            format!("{} {:.0} TEU/yr [{}, {}]", e.name, teu[i], e.source, e.year)
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let reference = caps
                    .file
                    .reference
                    .iter()
                    .find(|r| &r.corridor == id)
                    .map(|r| format!("{:.0} TEU/yr: {} [{}, {}]", r.teu_per_year, r.published, r.source, r.year))
                    .unwrap_or_default();
                t.add_row(vec![
                    Cell::new(name),
                    Cell::new(n).set_alignment(CellAlignment::Right),
                    Cell::new(if *n == 0 {
                        "no route".into()
                    } else {
                        f.teu_per_year.map(thousands).unwrap_or_else(|| "unbounded".into())
                    })
                    .set_alignment(CellAlignment::Right),
                    Cell::new(cut),
                    Cell::new(reference),
                ]);
            }
            println!("{t}");
            if catalogue.corridor.len() > 1 {
                println!(
                    "all corridors together: {} TEU/yr{}",
                    pooled.teu_per_year.map(thousands).unwrap_or_else(|| "unbounded".into()),
                    if pooled.cut.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; bottleneck {}",
                            pooled.cut.iter().map(|&i| caps.file.element[i].id.clone()).collect::<Vec<_>>().join(", ")
                        )
                    }
                );
            }
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec![
                "element",
                "capacity TEU/yr",
                "published",
                "source",
                "year",
                "routes through",
                "max-flow TEU/yr",
            ]);
            for (i, e) in caps.file.element.iter().enumerate() {
                let through = routes.iter().filter(|r| r.elements.contains(&i)).count();
                if through == 0 {
                    continue;
                }
                t.add_row(vec![
                    Cell::new(format!("{}{}", e.name, if e.changed_by.is_some() { " *" } else { "" })),
                    Cell::new(thousands(teu[i])).set_alignment(CellAlignment::Right),
                    Cell::new(&e.published),
                    Cell::new(&e.source),
                    Cell::new(e.year),
                    Cell::new(through).set_alignment(CellAlignment::Right),
                    Cell::new(if pooled.teu_per_year.is_some() {
                        thousands(pooled.element_flow[i])
                    } else {
                        "-".into()
                    })
                    .set_alignment(CellAlignment::Right),
                ]);
            }
            println!("capacitated elements on the routes (* changed by the scenario):\n{t}");
            if let Some(a) = &assignment {
                let total: f64 = demand.as_ref().unwrap().iter().sum();
                let unserved: f64 = a.unserved.iter().sum();
                println!(
                    "demand {} TEU/yr: served {}, unserved {}, cost US$ {} per year; binding: {}",
                    thousands(total),
                    thousands(total - unserved),
                    thousands(unserved),
                    thousands(a.total_usd),
                    a.binding.iter().map(|&i| caps.file.element[i].id.clone()).collect::<Vec<_>>().join(", ")
                );
                let mut t = Table::new();
                t.load_preset(UTF8_FULL_CONDENSED);
                t.set_header(vec!["corridor", "TEU/yr assigned", "pairs"]);
                for c in &catalogue.corridor {
                    let (f, n) = routes
                        .iter()
                        .zip(&a.route_flow)
                        .filter(|(r, f)| r.corridor == c.id && **f > 0.0)
                        .fold((0.0, 0), |acc, (_, f)| (acc.0 + f, acc.1 + 1));
                    t.add_row(vec![
                        Cell::new(&c.name),
                        Cell::new(thousands(f)).set_alignment(CellAlignment::Right),
                        Cell::new(n).set_alignment(CellAlignment::Right),
                    ]);
                }
                println!("{t}");
                println!("(least-cost within the capacities; flows may swap routes at a shared element, see docs/scenarios.md)");
            }
            if !missing.is_empty() {
                println!(
                    "{} pair/corridor combination(s) without an available route (see --format json: unavailable)",
                    missing.len()
                );
            }
            println!(
                "network {}  capacities {} (data/params/capacity.toml; Mt/yr at {} t/TEU, trains/day at {} TEU/train). Between capacitated elements the model has no figure: those stretches are uncapacitated.",
                net.meta.version,
                caps.file.version,
                caps.file.conversion("tonnes_per_teu"),
                caps.file.conversion("teu_per_train")
            );
        }
    }
    Ok(0)
}
