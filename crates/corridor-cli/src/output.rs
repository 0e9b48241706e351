//! Rendering for people (tables) and programs (JSON, GeoJSON).

use crate::fmt::{csv_record, jsonln, one_line, outln, thousands};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use corridor::compare::Row;
use corridor::model::params::Params;
use corridor::planner::{Planner, Query};
use corridor::route::{geojson_all, Route};
use corridor::Network;

use crate::Format;

/// The JSON of `route --format json`: the best route's fields plus `alternatives` (each a route).
pub fn routes_json(planner: &Planner, q: &Query, routes: &[Route]) -> serde_json::Value {
    serde_json::to_value(corridor::report::RoutesReport::new(planner, q, routes)).expect("route serializes")
}

/// The JSON of `compare --format json`: `corridors` plus provenance.
pub fn compare_json(planner: &Planner, rows: &[Row]) -> serde_json::Value {
    serde_json::to_value(corridor::report::CompareReport::new(planner, rows)).expect("rows serialize")
}

/// Prints the best route (and alternatives) in the requested format to stdout.
pub fn print_routes(planner: &Planner, q: &Query, routes: &[Route], format: Format, explain: bool) {
    let net = planner.net();
    match format {
        Format::Json => {
            jsonln!("{}", serde_json::to_string_pretty(&routes_json(planner, q, routes)).expect("json"));
        }
        Format::Geojson => jsonln!("{}", serde_json::to_string(&geojson_all(routes)).expect("json")),
        _ => {
            for (i, r) in routes.iter().enumerate() {
                if i > 0 {
                    outln!("\nalternative {i}");
                }
                // a trade's route was priced with the trade planner's parameters: explain those
                let trade_params = r.trade.filter(|_| explain).and_then(|t| planner.trade_params(t));
                print_route_table(net, q, r, explain.then(|| trade_params.as_ref().unwrap_or(planner.params())));
            }
        }
    }
}

fn print_route_table(net: &Network, q: &Query, route: &Route, explain: Option<&Params>) {
    let c = &q.constraints;
    let mut excl = Vec::new();
    if !c.avoid.is_empty() {
        excl.push(format!("avoid {}{}", c.avoid.join(","), if c.avoid_waters { " (and waters)" } else { "" }));
    }
    if !c.avoid_passages.is_empty() {
        excl.push(format!("avoid passage {}", c.avoid_passages.join(",")));
    }
    if !c.modes.is_empty() {
        excl.push(format!("modes {}", c.modes.iter().map(|m| m.name()).collect::<Vec<_>>().join(",")));
    }
    if c.allow_planned {
        excl.push("planned links allowed".into());
    }
    outln!(
        "{} -> {}   {} km{}",
        route.origin.name,
        route.destination.name,
        thousands(route.distance_km),
        if excl.is_empty() { String::new() } else { format!("   [{}]", excl.join("; ")) }
    );
    for v in &route.via {
        outln!("  via {}", v.name);
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["#", "mode", "km", "days", "US$/FEU", "kg CO2e/TEU", "from", "to", "countries", "passages"]);
    for (i, l) in route.legs.iter().enumerate() {
        t.add_row(vec![
            Cell::new(i + 1),
            Cell::new(l.mode.name()),
            Cell::new(thousands(l.distance_km)).set_alignment(CellAlignment::Right),
            Cell::new(format!("{:.1}", l.totals.days)).set_alignment(CellAlignment::Right),
            Cell::new(thousands(l.totals.usd_per_feu)).set_alignment(CellAlignment::Right),
            Cell::new(thousands(l.totals.kg_co2e_per_teu)).set_alignment(CellAlignment::Right),
            Cell::new(&l.from),
            Cell::new(&l.to),
            Cell::new(l.countries.join(" > ")),
            Cell::new(l.passages.join(", ")),
        ]);
    }
    outln!("{t}");
    let tt = &route.totals;
    outln!(
        "totals     {} km, {:.1} days (range {:.1}-{:.1}), US${} per FEU total logistics cost = US${} charges + US${} capital in transit (US${} per TEU charges), {} kg CO2e per TEU well-to-wheel ({} tank-to-wheel; {:.1} kg per tonne)   [by {}]",
        thousands(route.distance_km),
        tt.days,
        tt.days_low,
        tt.days_high,
        thousands(tt.total_usd_per_feu),
        thousands(tt.usd_per_feu),
        thousands(tt.capital_usd_per_feu),
        thousands(tt.usd_per_teu),
        thousands(tt.kg_co2e_per_teu),
        thousands(tt.kg_co2e_per_teu_ttw),
        tt.kg_co2e_per_tonne,
        route.objective.name()
    );
    outln!("market     {} (set with --market; see `corridor params --markets`)", route.market);
    if let Some(t) = &route.trade_direction {
        outln!("trade      {t}");
    }
    outln!("countries  {}", route.countries.join(" > "));
    if route.borders.is_empty() {
        outln!("borders    none");
    } else {
        let b: Vec<String> =
            route.borders.iter().map(|b| format!("{}>{} ({}, {})", b.from, b.to, b.mode.name(), b.at)).collect();
        outln!("borders    {}", b.join("; "));
    }
    outln!("passages   {}", if route.passages.is_empty() { "none".to_string() } else { route.passages.join(", ") });
    let by_mode: Vec<String> =
        route.km_by_mode.iter().map(|(m, k)| format!("{} {} km", m.name(), thousands(*k))).collect();
    outln!("by mode    {}   ({} transfers; sea {} nm)", by_mode.join(", "), route.transfers, thousands(route.sea_nm));
    let door = route.origin.door || route.destination.door;
    outln!(
        "access     origin {:.1} km to the {:?} network, destination {:.1} km ({})",
        route.origin.access_km,
        route.origin.layer,
        route.destination.access_km,
        if door {
            "door to door: in the total by truck, with the drayage charge at both ends of an intermodal route"
        } else {
            "not in the total; --door counts it"
        }
    );
    if let Some(params) = explain {
        let mut d = Table::new();
        d.load_preset(UTF8_FULL_CONDENSED);
        d.set_header(vec!["leg", "dwell", "at", "hours", "US$/FEU", "parameters (source)"]);
        for x in &route.dwell {
            let src: Vec<String> = x
                .params
                .iter()
                .map(|k| {
                    if let Some(id) = k.strip_prefix("link:").and_then(|k| k.strip_suffix(".service_interval_days")) {
                        if let Some(days) = route.links.iter().find(|l| l.id == id).and_then(|l| l.service_interval_days) {
                            return format!("link {id}: a sailing every {days} days (the line's published schedule, in the link's note: data/curated/links.csv)");
                        }
                    }
                    if let Some(id) = k.strip_prefix("crossing:") {
                        if let Some(c) = params.crossings.iter().find(|c| c.id == id) {
                            return format!("crossing {} ({}, {})", c.name, c.source, c.year);
                        }
                    }
                    params
                        .param(k)
                        .map(|p| match &p.overridden_by {
                            Some(by) => format!("{k} = {} {} (set by {by})", p.value, p.unit),
                            None => format!("{k} = {} {} ({}, {})", p.value, p.unit, p.source, p.year),
                        })
                        .unwrap_or_else(|| k.clone())
                })
                .collect();
            let hours = if x.hours_low != x.hours_high {
                format!("{:.1} ({}-{})", x.hours, range_bound(x.hours_low), range_bound(x.hours_high))
            } else {
                format!("{:.1}", x.hours)
            };
            d.add_row(vec![
                (x.leg + 1).to_string(),
                format!("{:?}", x.kind),
                x.at.clone(),
                hours,
                thousands(x.usd_per_feu),
                src.join("; "),
            ]);
        }
        outln!("{d}");
        outln!("moving time, cost and CO2e per leg: km x the mode's speed, rate and factor (rail CO2e by each country's traction where given: rail.electric_share_*, grid.kg_co2e_per_kwh_*; `corridor params`); access to the network is not included, except door to door (Drayage rows)");
    }
    for l in &route.links {
        let every = l.service_interval_days.map(|d| format!("; a sailing every {d} days")).unwrap_or_default();
        outln!("link       {} ({} {}, {} km{every}): {}", l.id, l.status, l.mode.name(), l.km, l.source);
    }
    // operated rail and road lengths (stats.{rail,road}_length_factors) of the countries the
    // route's rail and road legs cross
    let why = [
        (corridor::network::Mode::Rail, "rail", "operated lengths", "passenger-only high-speed lines in the data"),
        (corridor::network::Mode::Road, "road", "published road lengths", "the coarse road geometry cuts bends"),
    ];
    for (mode, name, what, cause) in why {
        // regions (stats.{rail,road}_length_regions): boxes whose edges take the region's factor
        // instead of their country's; a leg of the mode with a point in a box crossed it
        let regions: Vec<(&serde_json::Value, [f64; 4])> = net
            .meta
            .stats
            .get(format!("{name}_length_regions"))
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|r| {
                let bx: Vec<f64> = r["box"].as_array()?.iter().filter_map(|v| v.as_f64()).collect();
                Some((r, <[f64; 4]>::try_from(bx).ok()?))
            })
            .collect();
        let inside = |[min_lat, max_lat, min_lon, max_lon]: [f64; 4], [lon, lat]: [f64; 2]| {
            (min_lat..=max_lat).contains(&lat) && (min_lon..=max_lon).contains(&lon)
        };
        let legs = || route.legs.iter().filter(|l| l.mode == mode);
        // a country's factor shows where a leg through the country has a point outside every region
        // (the leg's points carry no country: a leg that leaves the regions in another country still
        // lists it, as Kashgar-Islamabad lists China though its Chinese edges are all in regions)
        let country_rows = net.meta.stats.get(format!("{name}_length_factors")).and_then(|v| v.as_array());
        for r in country_rows.into_iter().flatten() {
            let cc = r["country"].as_str().unwrap_or("");
            let outside_regions =
                |l: &&corridor::route::Leg| l.coords.iter().any(|&p| regions.iter().all(|&(_, b)| !inside(b, p)));
            if legs().any(|l| l.countries.iter().any(|c| c == cc) && outside_regions(&l)) {
                outln!(
                    "lengths    {name} in {cc}: {what}, the network's km x {} ({cause}; data/curated/{name}_length_factors.csv)",
                    r["factor"]
                );
            }
        }
        for &(r, b) in &regions {
            if legs().any(|l| l.coords.iter().any(|&p| inside(b, p))) {
                outln!(
                    "lengths    {name} in region {}: {what}, the network's km x {} ({cause}; data/curated/{name}_length_regions.csv)",
                    r["region"].as_str().unwrap_or(""),
                    r["factor"]
                );
            }
        }
    }
    outln!("data       {} (network {})", net.meta.attribution, net.meta.version);
}

/// Prints gazetteer hits.
pub fn print_places(net: &Network, hits: &[usize], format: Format) {
    let places: Vec<&corridor::network::Place> = hits.iter().map(|&i| &net.meta.places[i]).collect();
    if format != Format::Table {
        let listed: Vec<serde_json::Value> = places.iter().map(|p| p.listing()).collect();
        jsonln!("{}", serde_json::to_string_pretty(&listed).expect("json"));
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["name", "country", "kind", "lat", "lon", "population", "locode"]);
    for p in places {
        t.add_row(vec![
            p.name.clone(),
            p.country.clone(),
            match p.hub {
                // a seaport without container service: reached by sea when named, no change of mode
                Some(h) if p.kind == corridor::network::PlaceKind::Port && !net.has_transfer(h) => {
                    "port (sea only)".to_string()
                }
                _ => format!("{:?}", p.kind).to_lowercase(),
            },
            format!("{:.4}", p.lat),
            format!("{:.4}", p.lon),
            if p.population > 0 { p.population.to_string() } else { String::new() },
            p.locode.clone().unwrap_or_default(),
        ]);
    }
    outln!("{t}");
}

/// Prints the corridor comparison.
/// `door`: the rows are door to door (a line under the table says so).
pub fn print_compare(planner: &Planner, rows: &[Row], format: Format, door: bool) {
    let opt = |x: Option<f64>, digits: usize| x.map(|v| format!("{v:.digits$}")).unwrap_or_default();
    match format {
        Format::Json => {
            jsonln!("{}", serde_json::to_string_pretty(&compare_json(planner, rows)).expect("json"));
        }
        Format::Csv => {
            outln!("id,name,available,status,distance_km,days,days_low,days_high,usd_per_feu,kg_co2e_per_teu,countries,borders,transfers,passages");
            for r in rows {
                outln!(
                    "{}",
                    csv_record([
                        r.id.clone(),
                        r.name.clone(),
                        r.available.to_string(),
                        r.status.clone(),
                        opt(r.distance_km, 1),
                        opt(r.days, 2),
                        opt(r.days_low, 2),
                        opt(r.days_high, 2),
                        opt(r.usd_per_feu, 0),
                        opt(r.kg_co2e_per_teu, 1),
                        r.countries.join(" "),
                        r.borders.join(" "),
                        r.transfers.to_string(),
                        r.passages.join(" "),
                    ])
                );
            }
        }
        _ => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec![
                "corridor",
                "status",
                "km",
                "days",
                "US$/FEU",
                "total US$/FEU",
                "kg CO2e/TEU",
                "countries",
                "borders",
                "transfers",
                "passages",
            ]);
            for r in rows {
                let days = match (r.days, r.days_low, r.days_high) {
                    (Some(d), Some(lo), Some(hi)) if hi > lo => format!("{d:.1} ({lo:.1}-{hi:.1})"),
                    (Some(d), _, _) => format!("{d:.1}"),
                    _ => String::new(),
                };
                t.add_row(vec![
                    Cell::new(&r.name),
                    Cell::new(&r.status),
                    Cell::new(r.distance_km.map(thousands).unwrap_or_default()).set_alignment(CellAlignment::Right),
                    Cell::new(days).set_alignment(CellAlignment::Right),
                    Cell::new(r.usd_per_feu.map(thousands).unwrap_or_default()).set_alignment(CellAlignment::Right),
                    Cell::new(r.total_usd_per_feu.map(thousands).unwrap_or_default())
                        .set_alignment(CellAlignment::Right),
                    Cell::new(r.kg_co2e_per_teu.map(thousands).unwrap_or_default()).set_alignment(CellAlignment::Right),
                    Cell::new(r.countries.join(" ")),
                    Cell::new(r.borders.len()),
                    Cell::new(r.transfers),
                    Cell::new(r.passages.join(", ")),
                ]);
            }
            outln!("{t}");
            if door {
                outln!("door to door: the trucks between the places and the network are in the totals, with the drayage charge (drayage.usd_per_feu) at both ends of a route by rail or container ship");
            }
            outln!("days in brackets: range from speeds (published low to high), waits for sailings, port dwell and truck crews (two drivers to one); US$/FEU = charges, total = charges + capital cost of the cargo in transit; CO2e well-to-wheel per TEU; market {} (`corridor params` lists every figure's source)", planner.params().market.name);
            outln!(
                "data: {} (network {}, parameters {})",
                planner.net().meta.attribution,
                planner.net().meta.version,
                planner.params().version
            );
        }
    }
}

/// Prints the effective parameters with their sources.
pub fn print_params(p: &Params, format: Format) {
    if format == Format::Json {
        jsonln!("{}", serde_json::to_string_pretty(p).expect("json"));
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["parameter", "value", "range", "unit", "source", "year"]);
    for x in &p.params {
        let range = match (x.low, x.high) {
            (Some(lo), Some(hi)) => format!("{lo}-{hi}"),
            _ => String::new(),
        };
        let src = match (&x.overridden_by, &x.market) {
            (Some(f), _) => format!("overridden by {f} (default source: {})", x.source),
            (None, Some(m)) => format!("[market {m}] {}", x.source),
            (None, None) => x.source.clone(),
        };
        t.add_row(vec![x.key.clone(), x.value.to_string(), range, x.unit.clone(), src, x.year.to_string()]);
    }
    outln!("{t}");
    for z in &p.zones {
        outln!("{}: {} ({}, {})", z.key, z.countries.join(" "), z.source, z.year);
    }
    for c in &p.crossings {
        let between = if c.is_regional() {
            let gauge = match c.gauge.as_str() {
                "" => String::new(),
                g => format!(", {g} gauge"),
            };
            format!("borders touching {}{gauge}", c.region.join(" "))
        } else {
            format!("{}-{}", c.a, c.b)
        };
        outln!(
            "crossing {} ({} {} {}): {} h ({}-{}), {} [{}, {}]",
            c.id,
            c.name,
            between,
            c.mode,
            c.hours,
            c.hours_low,
            c.hours_high,
            c.usd_per_feu.map(|u| format!("US${u}/FEU")).unwrap_or_else(|| "default fee".into()),
            c.source,
            c.year
        );
    }
    outln!("market {} ({}, {}); parameters version {}", p.market.name, p.market.label, p.market.period, p.version);
}

/// Prints the shipped market states.
pub fn print_markets(list: &[corridor::model::params::Market], format: Format) {
    if format == Format::Json {
        jsonln!("{}", serde_json::to_string_pretty(&serde_json::json!({ "markets": list })).expect("json"));
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["market", "period", "description", "closed by default"]);
    for m in list {
        t.add_row(vec![m.name.clone(), m.period.clone(), m.label.clone(), m.close_passages.join(", ")]);
    }
    outln!("{t}");
    outln!("default: {}", corridor::model::params::DEFAULT_MARKET);
}

/// Prints the validation checks.
pub fn print_validation(checks: &[corridor::validation::Check], format: Format) {
    if format == Format::Json {
        jsonln!("{}", serde_json::to_string_pretty(&serde_json::json!({"checks": checks})).expect("json"));
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["id", "corridor", "measure", "published", "model", "ratio", "tol", "result", "source"]);
    for c in checks {
        let published = match c.bound.as_str() {
            "at_least" => format!(">= {}", c.published_low),
            "at_most" => format!("<= {}", c.published_high),
            _ if c.published_low == c.published_high => format!("{}", c.published_low),
            _ => format!("{}-{}", c.published_low, c.published_high),
        };
        let result = match (c.within, &c.explanation) {
            (true, _) => "within".to_string(),
            (false, Some(_)) => "gap, explained".to_string(),
            (false, None) => "GAP, UNEXPLAINED".to_string(),
        };
        t.add_row(vec![
            c.id.clone(),
            c.corridor.clone(),
            c.measure.clone(),
            published,
            c.model.map(|m| format!("{m:.1}")).unwrap_or("no route".into()),
            c.ratio.map(|r| format!("{r:.2}")).unwrap_or_default(),
            format!("{:.0}%", c.tolerance * 100.0),
            result,
            c.source.clone(),
        ]);
    }
    outln!("{t}");
    let within = checks.iter().filter(|c| c.within).count();
    outln!(
        "{} figures: {} within tolerance, {} gaps ({} explained)",
        checks.len(),
        within,
        checks.len() - within,
        checks.iter().filter(|c| !c.within && c.explanation.is_some()).count()
    );
    let by_evidence: Vec<String> = corridor::validation::EVIDENCE
        .iter()
        .filter_map(|e| {
            let of: Vec<_> = checks.iter().filter(|c| c.evidence == *e).collect();
            (!of.is_empty()).then(|| format!("{e} {}/{}", of.iter().filter(|c| c.within).count(), of.len()))
        })
        .collect();
    outln!("within by kind of evidence: {}", by_evidence.join(", "));
}

/// Prints a matrix: CSV (origin, destination, value), JSON, or a table.
pub fn print_matrix(m: &corridor::planner::Matrix, format: Format) {
    match format {
        Format::Json => jsonln!("{}", serde_json::to_string(m).expect("json")),
        Format::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            let mut header = vec![format!("{} ({})", m.objective.name(), m.unit)];
            header.extend(m.destinations.iter().map(|d| one_line(d).into_owned()));
            t.set_header(header);
            for (i, row) in m.values.iter().enumerate() {
                let mut cells = vec![one_line(&m.origins[i]).into_owned()];
                cells.extend(row.iter().map(|v| v.map(|x| format!("{x:.1}")).unwrap_or("-".into())));
                t.add_row(cells);
            }
            outln!("{t}");
        }
        _ => {
            outln!("{}", csv_record(["origin", "destination", m.unit]));
            for (i, row) in m.values.iter().enumerate() {
                for (j, v) in row.iter().enumerate() {
                    let value = v.map(|x| x.to_string()).unwrap_or_default();
                    outln!("{}", csv_record([m.origins[i].as_str(), m.destinations[j].as_str(), value.as_str()]));
                }
            }
        }
    }
}

/// Prints a criticality ranking: a table of the `top` most damaging elements, or every element
/// as JSON (`ranking`, `flows`, the constraints and network version) or CSV.
pub fn print_critical(c: &corridor::critical::Criticality, top: usize, format: Format) {
    match format {
        Format::Json => jsonln!("{}", serde_json::to_string(c).expect("json")),
        Format::Table => {
            let routed = c.flows.iter().filter(|f| f.distance_km.is_some()).count();
            outln!(
                "{} flows ({} routed), {} elements on their routes, network {}; damage summed over flows",
                c.flows.len(),
                routed,
                c.ranking.len(),
                c.network_version
            );
            for f in c.flows.iter().filter(|f| f.error.is_some()) {
                outln!("  not routed: {} -> {}: {}", f.from, f.to, f.error.as_deref().unwrap_or(""));
            }
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header(vec![
                "#",
                "kind",
                "element",
                "country",
                "flows",
                "lost",
                "+km",
                "+days",
                "+US$/FEU",
                "+kg CO2e/TEU",
                "source",
            ]);
            for r in c.ranking.iter().take(top) {
                t.add_row(vec![
                    r.rank.to_string(),
                    r.kind.name().to_string(),
                    r.name.clone(),
                    r.country.clone(),
                    r.flows_using.to_string(),
                    r.flows_lost.to_string(),
                    thousands(r.extra_km),
                    format!("{:.1}", r.extra_days),
                    format!("{:.0}", r.extra_usd_per_feu),
                    format!("{:.0}", r.extra_kg_co2e_per_teu),
                    r.source.clone(),
                ]);
            }
            outln!("{t}");
            outln!(
                "+km, +days, +US$ and +CO2e are summed over the flows that re-route; lost flows have no route left."
            );
        }
        _ => {
            outln!("rank,kind,id,name,country,flows_using,demand_using,flows_lost,demand_lost,extra_km,extra_days,extra_usd_per_feu,extra_kg_co2e_per_teu,source");
            for r in &c.ranking {
                outln!(
                    "{}",
                    csv_record([
                        r.rank.to_string(),
                        r.kind.name().to_string(),
                        r.id.clone(),
                        r.name.clone(),
                        r.country.clone(),
                        r.flows_using.to_string(),
                        r.demand_using.to_string(),
                        r.flows_lost.to_string(),
                        r.demand_lost.to_string(),
                        r.extra_km.to_string(),
                        r.extra_days.to_string(),
                        r.extra_usd_per_feu.to_string(),
                        r.extra_kg_co2e_per_teu.to_string(),
                        r.source.clone(),
                    ])
                );
            }
        }
    }
}

/// A dwell range's bound in hours: whole hours as they are, others to a tenth (a ro-ro gate's
/// half hour would otherwise print as 0).
fn range_bound(h: f64) -> String {
    if (h - h.round()).abs() < 0.05 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::range_bound;

    #[test]
    fn range_bounds_keep_their_half_hours() {
        assert_eq!(range_bound(12.0), "12");
        assert_eq!(range_bound(0.5), "0.5");
        assert_eq!(range_bound(1.5), "1.5");
        assert_eq!(range_bound(69.7), "69.7");
    }
}
