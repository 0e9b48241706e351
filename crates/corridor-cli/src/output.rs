//! Rendering for people (tables) and programs (JSON, GeoJSON).

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use corridor::planner::Query;
use corridor::route::{geojson, Route};
use corridor::Network;

use crate::Format;

fn km(x: f64) -> String {
    let s = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 && c != '-' {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Prints a route in the requested format to stdout.
pub fn print_route(net: &Network, q: &Query, route: &Route, format: Format) {
    match format {
        Format::Json => {
            let mut v = serde_json::to_value(route).expect("route serializes");
            v["network"] = serde_json::json!({"version": net.meta.version, "attribution": net.meta.attribution});
            v["constraints"] = serde_json::json!({
                "avoid": q.constraints.avoid, "avoid_waters": q.constraints.avoid_waters,
                "avoid_passages": q.constraints.avoid_passages, "allow_passages": q.constraints.allow_passages,
                "modes": if q.constraints.modes.is_empty() { vec!["rail","road","sea","ferry"] } else { q.constraints.modes.iter().map(|m| m.name()).collect() },
                "allow_planned": q.constraints.allow_planned,
            });
            println!("{}", serde_json::to_string_pretty(&v).expect("json"));
        }
        Format::Geojson => println!("{}", serde_json::to_string(&geojson(route)).expect("json")),
        Format::Table => print_route_table(net, q, route),
    }
}

fn print_route_table(net: &Network, q: &Query, route: &Route) {
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
    println!(
        "{} -> {}   {} km{}",
        route.origin.name,
        route.destination.name,
        km(route.distance_km),
        if excl.is_empty() { String::new() } else { format!("   [{}]", excl.join("; ")) }
    );
    for v in &route.via {
        println!("  via {}", v.name);
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["#", "mode", "km", "from", "to", "countries", "passages"]);
    for (i, l) in route.legs.iter().enumerate() {
        t.add_row(vec![
            Cell::new(i + 1),
            Cell::new(l.mode.name()),
            Cell::new(km(l.distance_km)).set_alignment(CellAlignment::Right),
            Cell::new(&l.from),
            Cell::new(&l.to),
            Cell::new(l.countries.join(" > ")),
            Cell::new(l.passages.join(", ")),
        ]);
    }
    println!("{t}");
    println!("countries  {}", route.countries.join(" > "));
    if route.borders.is_empty() {
        println!("borders    none");
    } else {
        let b: Vec<String> =
            route.borders.iter().map(|b| format!("{}>{} ({}, {})", b.from, b.to, b.mode.name(), b.at)).collect();
        println!("borders    {}", b.join("; "));
    }
    println!("passages   {}", if route.passages.is_empty() { "none".to_string() } else { route.passages.join(", ") });
    let by_mode: Vec<String> = route.km_by_mode.iter().map(|(m, k)| format!("{} {} km", m.name(), km(*k))).collect();
    println!("by mode    {}   ({} transfers; sea {} nm)", by_mode.join(", "), route.transfers, km(route.sea_nm));
    println!(
        "access     origin {:.1} km to the {:?} network, destination {:.1} km (not in the total)",
        route.origin.access_km, route.origin.layer, route.destination.access_km
    );
    for l in &route.links {
        println!("link       {} ({} {}, {} km): {}", l.id, l.status, l.mode.name(), l.km, l.source);
    }
    println!("data       {} (network {})", net.meta.attribution, net.meta.version);
}

/// Prints gazetteer hits.
pub fn print_places(net: &Network, hits: &[usize], format: Format) {
    let places: Vec<&corridor::network::Place> = hits.iter().map(|&i| &net.meta.places[i]).collect();
    if format != Format::Table {
        println!("{}", serde_json::to_string_pretty(&places).expect("json"));
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["name", "country", "kind", "lat", "lon", "population", "locode"]);
    for p in places {
        t.add_row(vec![
            p.name.clone(),
            p.country.clone(),
            format!("{:?}", p.kind).to_lowercase(),
            format!("{:.4}", p.lat),
            format!("{:.4}", p.lon),
            if p.population > 0 { p.population.to_string() } else { String::new() },
            p.locode.clone().unwrap_or_default(),
        ]);
    }
    println!("{t}");
}
