//! `corridor scenario` and `corridor capacity`: what-if analyses. Thin: read files, build the
//! planners (before, and after the scenario's changes), call `corridor::scenario` and
//! `corridor::capacity`, format tables, JSON or CSV.

use std::io::IsTerminal;
use std::path::PathBuf;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use corridor::analysis::capacity::{CapacityQuery, CapacityReport};
use corridor::capacity::CapacityFile;
use corridor::compare::Catalogue;
use corridor::od::{self, OdPair};
use corridor::planner::Planner;
use corridor::scenario::{BeforeAfter, Measures, Report, Scenario};
use corridor::Network;

use crate::fmt::{csv_record, jsonln, one_line, outln, thousands};
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
    #[command(flatten)]
    risk: crate::riskcmd::RiskArgs,
    #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
    format: Format,
}

#[derive(clap::Args)]
pub struct CapacityArgs {
    /// Corridor id of data/corridors.toml (middle, middle_blacksea, northern, southern, instc, imec, imec_road,
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
    #[arg(long, default_value = "table", value_parser = crate::formats(crate::TABLE_JSON_CSV))]
    format: Format,
}

fn bad(message: String) -> Failure {
    Failure { code: 2, message }
}

fn read(path: &std::path::Path) -> Result<String, Failure> {
    crate::read_input(path)
}

fn read_scenario(path: &std::path::Path) -> Result<Scenario, Failure> {
    Ok(Scenario::parse(&read(path)?, &path.display().to_string())?)
}

fn base_planner(net: std::sync::Arc<Network>, model: &ModelArgs) -> Result<Planner, Failure> {
    Ok(load::planner(net, model.load()?))
}

pub fn scenario(args: ScenarioArgs, network: Option<&PathBuf>) -> Result<u8, Failure> {
    let sc = read_scenario(&args.file)?;
    let user = args.constraints.to_constraints()?;
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
    let base = base_planner(net.clone(), &args.model)?;
    let applied = sc.apply(&base, &CapacityFile::shipped())?;
    let after = applied.planner(&base);
    // the risk layer is built on each side's own network (a scenario can add or close links),
    // so both sides carry the same incidents, premiums and --max-risk closures
    let (before, risk) = crate::riskcmd::apply(&args.risk, base)?;
    let (after, _) = crate::riskcmd::apply(&args.risk, after)?;
    let catalogue = Catalogue::shipped();
    let report =
        corridor::scenario::evaluate(&sc, &applied, &before, &after, &catalogue, &pairs, &user, args.model.by)?;
    print_report(&report, &args.file, args.format);
    crate::riskcmd::after_compare(&risk, args.format);
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
            jsonln!("{}", serde_json::to_string_pretty(&v).unwrap());
        }
        Format::Csv => {
            let mut head = "from,to,corridor,available_before,available_after,status_before,status_after".to_string();
            for (m, _, _) in MEASURES {
                head.push_str(&format!(",{m}_before,{m}_after,{m}_delta"));
            }
            outln!("{head}");
            for p in &r.pairs {
                let rows =
                    std::iter::once(("route", &p.route)).chain(p.corridors.iter().map(|c| (c.id.as_str(), &c.change)));
                for (id, c) in rows {
                    let mut fields = vec![
                        p.from.clone(),
                        p.to.clone(),
                        id.to_string(),
                        c.available_before.to_string(),
                        c.available_after.to_string(),
                        c.status_before.clone(),
                        c.status_after.clone(),
                    ];
                    for (_, f, _) in MEASURES {
                        fields.push(fmt_opt(c.before.as_ref().map(f), 3));
                        fields.push(fmt_opt(c.after.as_ref().map(f), 3));
                        fields.push(fmt_opt(c.delta.as_ref().map(f), 3));
                    }
                    outln!("{}", csv_record(fields));
                }
            }
        }
        _ => {
            outln!("scenario  {} ({})", one_line(&r.scenario), file.display());
            if !r.description.is_empty() {
                outln!("          {}", r.description);
            }
            let ch = &r.changes;
            outln!(
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
                outln!("\n{} -> {}", one_line(&p.from), one_line(&p.to));
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
                outln!("{t}");
            }
            outln!(
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
            outln!("{t}");
            outln!(
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

pub fn capacity(args: CapacityArgs, network: Option<&PathBuf>) -> Result<u8, Failure> {
    let user = args.constraints.to_constraints()?;
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
    if args.demand.is_some() && pairs.iter().any(|p| p.demand.is_none()) {
        return Err(bad("--demand: every line needs from,to,demand (TEU per year)".into()));
    }
    let sc = args.scenario.as_deref().map(read_scenario).transpose()?;
    let net = load::network(network)?;
    let base = base_planner(net.clone(), &args.model)?;
    let applied = match &sc {
        Some(s) => Some(s.apply(&base, &CapacityFile::shipped())?),
        None => None,
    };
    let after;
    let (planner, capacities, constraints) = match &applied {
        Some(a) => {
            after = a.planner(&base);
            (&after, a.capacities.clone(), a.constrain(&user))
        }
        None => (&base, CapacityFile::shipped(), user),
    };
    let query = CapacityQuery {
        catalogue: &catalogue,
        pairs: &pairs,
        od_name,
        assign: args.demand.is_some(),
        constraints,
        objective: args.model.by,
        capacities,
        scenario: sc.as_ref(),
    };
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(pairs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let report = corridor::analysis::capacity::capacity(planner, &query, &|| bar.inc(1))?;
    bar.finish_and_clear();
    match args.format {
        Format::Json => jsonln!("{}", serde_json::to_string_pretty(&report).expect("report serializes")),
        Format::Csv => print_capacity_csv(&report)?,
        _ => print_capacity_table(&report, &catalogue),
    }
    Ok(0)
}

fn print_capacity_csv(r: &CapacityReport) -> Result<(), Failure> {
    let mut w = csv::Writer::from_writer(std::io::stdout());
    let fail = |e: csv::Error| Failure { code: 1, message: format!("writing CSV: {e}") };
    w.write_record(["corridor", "routes", "max_flow_teu_per_year", "bottleneck", "bottleneck_sources"])
        .map_err(fail)?;
    for c in &r.corridors {
        let names: Vec<&str> = c.flow.bottleneck.iter().map(|e| e.id.as_str()).collect();
        let sources: Vec<String> = c.flow.bottleneck.iter().map(|e| format!("{} ({})", e.source, e.year)).collect();
        let max = c.flow.max_flow_teu_per_year.map(|v| format!("{v:.0}")).unwrap_or_else(|| "unbounded".into());
        let record = [c.id.clone(), c.routes.to_string(), max, names.join(";"), sources.join("; ")];
        w.write_record(record.iter().map(|f| one_line(f).into_owned())).map_err(fail)?;
    }
    w.flush().map_err(|e| Failure { code: 1, message: format!("writing CSV: {e}") })
}

fn print_capacity_table(r: &CapacityReport, catalogue: &Catalogue) {
    let scen = r.scenario.as_ref().map(|s| format!("  scenario {} ({})", s.name, s.fingerprint)).unwrap_or_default();
    outln!("capacity  {} pair(s) from {}{scen}", r.pairs, r.od);
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "corridor",
        "routes",
        "max flow TEU/yr",
        "bottleneck (minimum cut)",
        "published corridor figure",
    ]);
    for c in &r.corridors {
        let f = &c.flow;
        let cut = if f.max_flow_teu_per_year.is_none() && c.routes > 0 {
            format!("unbounded: {} route(s) meet no capacitated element", f.routes_without_capacity_data.len())
        } else {
            f.bottleneck
                .iter()
                .map(|e| format!("{} {:.0} TEU/yr [{}, {}]", e.name, e.teu_per_year, e.source, e.year))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let reference = c
            .published
            .as_ref()
            .map(|p| format!("{:.0} TEU/yr: {} [{}, {}]", p.teu_per_year, p.published, p.source, p.year))
            .unwrap_or_default();
        t.add_row(vec![
            Cell::new(&c.name),
            Cell::new(c.routes).set_alignment(CellAlignment::Right),
            Cell::new(if c.routes == 0 {
                "no route".into()
            } else {
                f.max_flow_teu_per_year.map(thousands).unwrap_or_else(|| "unbounded".into())
            })
            .set_alignment(CellAlignment::Right),
            Cell::new(cut),
            Cell::new(reference),
        ]);
    }
    outln!("{t}");
    if r.corridors.len() > 1 {
        let ids: Vec<&str> = r.all.bottleneck.iter().map(|e| e.id.as_str()).collect();
        outln!(
            "all corridors together: {} TEU/yr{}",
            r.all.max_flow_teu_per_year.map(thousands).unwrap_or_else(|| "unbounded".into()),
            if ids.is_empty() { String::new() } else { format!("; bottleneck {}", ids.join(", ")) }
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
    for u in r.elements.iter().filter(|u| u.routes_through > 0) {
        let e = &u.element;
        t.add_row(vec![
            Cell::new(format!("{}{}", e.name, if e.changed_by.is_some() { " *" } else { "" })),
            Cell::new(thousands(e.teu_per_year)).set_alignment(CellAlignment::Right),
            Cell::new(&e.published),
            Cell::new(&e.source),
            Cell::new(e.year),
            Cell::new(u.routes_through).set_alignment(CellAlignment::Right),
            Cell::new(u.flow_teu_per_year.map(thousands).unwrap_or_else(|| "-".into()))
                .set_alignment(CellAlignment::Right),
        ]);
    }
    outln!("capacitated elements on the routes (* changed by the scenario):\n{t}");
    if let Some(a) = &r.assignment {
        let total = a.total_demand_teu_per_year;
        let unserved = a.unserved_teu_per_year;
        outln!(
            "demand {} TEU/yr: served {}, unserved {}, cost US$ {} per year; binding: {}",
            thousands(total),
            thousands(total - unserved),
            thousands(unserved),
            thousands(a.total_usd_per_year),
            a.binding.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(", ")
        );
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec!["corridor", "TEU/yr assigned", "pairs"]);
        for c in &catalogue.corridor {
            let (f, n) = a
                .flows
                .iter()
                .filter(|f| f.corridor == c.id)
                .fold((0.0, 0), |acc, f| (acc.0 + f.teu_per_year, acc.1 + 1));
            t.add_row(vec![
                Cell::new(&c.name),
                Cell::new(thousands(f)).set_alignment(CellAlignment::Right),
                Cell::new(n).set_alignment(CellAlignment::Right),
            ]);
        }
        outln!("{t}");
        outln!("(least-cost within the capacities; flows may swap routes at a shared element, see docs/scenarios.md)");
    }
    if !r.unavailable.is_empty() {
        outln!(
            "{} pair/corridor combination(s) without an available route (see --format json: unavailable)",
            r.unavailable.len()
        );
    }
    outln!(
        "network {}  capacities {} (data/params/capacity.toml; Mt/yr at {} t/TEU, trains/day at {} TEU/train). Between capacitated elements the model has no figure: those stretches are uncapacitated.",
        r.network_version,
        r.capacity_version,
        conversion(r, "tonnes_per_teu"),
        conversion(r, "teu_per_train")
    );
}

/// A conversion factor of the report's capacity file (as `CapacityFile::conversion` prints it).
fn conversion(r: &CapacityReport, key: &str) -> f64 {
    r.conversions.iter().find(|c| c.key == key).map(|c| c.value).unwrap_or(1.0)
}
