//! The cost model, objectives, alternatives, corridor comparison and validation on the world
//! network. Properties: measures are non-negative and additive over legs; an objective's optimum
//! is never worse on that objective than any other route found (tolerance: the per-edge integer
//! rounding of the search weights, at most 1 unit per edge).

use std::process::Command;

use corridor::model::cost::Objective;
use corridor::planner::{Constraints, Planner, Query};
use corridor::route::Route;
use serde_json::Value;

fn network() -> std::sync::Arc<corridor::Network> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    std::sync::Arc::new(corridor::network::format::read(std::path::Path::new(path)).expect("network file"))
}

fn corridor_cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor")).args(args).output().expect("run corridor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn value(r: &Route, o: Objective) -> f64 {
    let m = &r.measures;
    match o {
        Objective::Distance => r.distance_km,
        Objective::Time => m.hours,
        Objective::Cost => m.total_usd_per_feu(),
        Objective::Co2 => m.kg_co2e_per_teu,
    }
}

/// What the search minimises: the route's value plus its access to the network at both ends
/// (by road, in the objective's units; reported beside the totals, not in them).
fn searched(planner: &Planner, r: &Route, o: Objective) -> f64 {
    let access = |km: f64| {
        let m = planner.cost().road(km);
        match o {
            Objective::Distance => m.km,
            Objective::Time => m.hours,
            Objective::Cost => m.total_usd_per_feu(),
            Objective::Co2 => m.kg_co2e_per_teu,
        }
    };
    value(r, o) + access(r.origin.access_km) + access(r.destination.access_km)
}

/// Allowed slack of an objective from integer rounding of per-edge weights (1 unit per edge,
/// generously bounded by 20,000 edges) plus access terminals.
fn slack(o: Objective) -> f64 {
    match o {
        Objective::Distance => 0.01,
        Objective::Time => 20_000.0 / 3600.0,
        Objective::Cost => 20_000.0 / 100.0,
        Objective::Co2 => 20_000.0 / 1000.0,
    }
}

#[test]
fn objectives_are_optimal_measures_additive_and_non_negative() {
    let net = network();
    let planner = Planner::new(net.clone());
    let pairs = [
        ("Xi'an", "Duisburg", vec![]),
        ("Almaty", "Istanbul", vec!["RU", "IR"]),
        ("Shanghai", "Rotterdam", vec![]),
        ("Mumbai", "Hamburg", vec!["IR"]),
    ];
    let objectives = [Objective::Distance, Objective::Time, Objective::Cost, Objective::Co2];
    for (from, to, avoid) in pairs {
        let constraints = Constraints { avoid: avoid.iter().map(|s| s.to_string()).collect(), ..Default::default() };
        let mut found: Vec<Route> = Vec::new();
        for o in objectives {
            let q = Query { constraints: constraints.clone(), objective: o, ..Query::new(from, to) };
            let routes = planner.routes(&q, 2).unwrap();
            for r in &routes {
                // non-negative and additive over legs
                let m = &r.measures;
                for x in
                    [m.km, m.hours, m.hours_low, m.hours_high, m.usd_per_feu, m.kg_co2e_per_teu, m.kg_co2e_per_teu_ttw]
                {
                    assert!(x >= 0.0 && x.is_finite());
                }
                assert!(m.hours_low <= m.hours + 1e-9 && m.hours <= m.hours_high + 1e-9);
                assert!(m.kg_co2e_per_teu_ttw <= m.kg_co2e_per_teu + 1e-9);
                let legs_h: f64 = r.legs.iter().map(|l| l.measures.hours).sum();
                let legs_usd: f64 = r.legs.iter().map(|l| l.measures.usd_per_feu).sum();
                let legs_co2: f64 = r.legs.iter().map(|l| l.measures.kg_co2e_per_teu).sum();
                assert!(
                    (legs_h - m.hours).abs() < 1e-6
                        && (legs_usd - m.usd_per_feu).abs() < 1e-6
                        && (legs_co2 - m.kg_co2e_per_teu).abs() < 1e-6
                );
                let dwell_h: f64 = r.dwell.iter().map(|d| d.hours).sum();
                assert!(dwell_h <= m.hours + 0.1);
                // alternatives are never better than the best on its own objective
                assert!(value(r, o) + slack(o) >= value(&routes[0], o), "{from}-{to} {o:?}");
            }
            found.extend(routes);
        }
        // each objective's optimum is at least as good as every route found for other objectives
        for o in objectives {
            let q = Query { constraints: constraints.clone(), objective: o, ..Query::new(from, to) };
            let best = planner.route(&q).unwrap();
            for other in &found {
                assert!(
                    searched(&planner, &best, o) <= searched(&planner, other, o) + slack(o),
                    "{from}-{to}: best by {o:?} {} > {}",
                    searched(&planner, &best, o),
                    searched(&planner, other, o)
                );
            }
        }
    }
}

#[test]
fn alternatives_differ_and_stay_within_stretch() {
    let (code, out, err) =
        corridor_cli(&["route", "Xi'an", "Duisburg", "--modes", "rail", "--alternatives", "2", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let best = v["distance_km"].as_f64().unwrap();
    let alts = v["alternatives"].as_array().unwrap();
    assert!(!alts.is_empty(), "rail Xi'an-Duisburg has alternatives (e.g. via Mongolia or Khorgos)");
    for a in alts {
        let km = a["distance_km"].as_f64().unwrap();
        assert!(km >= best - 0.01 && km <= best * 1.5 + 0.01, "{km} vs {best}");
        assert_ne!(a["legs"], v["legs"]);
    }
    let (code, _, _) = corridor_cli(&["route", "Almaty", "Istanbul", "--alternatives", "9"]);
    assert_eq!(code, 2, "more than 5 alternatives is bad input");
}

#[test]
fn route_json_carries_measures_and_explanation() {
    let (code, out, err) =
        corridor_cli(&["route", "Almaty", "Istanbul", "--avoid", "RU,IR", "--by", "time", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    for f in [
        "distance_km",
        "days",
        "hours",
        "days_low",
        "days_high",
        "usd_per_feu",
        "usd_per_teu",
        "kg_co2e_per_teu",
        "kg_co2e_per_teu_ttw",
        "kg_co2e_per_tonne",
        "sea_nm",
        "dwell",
    ] {
        assert!(v.get(f).is_some(), "missing {f}");
    }
    assert_eq!(v["objective"], "time");
    assert!(v["usd_per_teu"].as_f64().unwrap() * 2.0 - v["usd_per_feu"].as_f64().unwrap() <= 1.0);
    for d in v["dwell"].as_array().unwrap() {
        assert!(!d["params"].as_array().unwrap().is_empty(), "every dwell names its parameters");
    }
    for l in v["legs"].as_array().unwrap() {
        if l["mode"] == "sea" || l["mode"] == "ferry" {
            assert!(l["distance_nm"].as_f64().unwrap() > 0.0);
        }
    }
    let (code, out, _) = corridor_cli(&["route", "Almaty", "Istanbul", "--avoid", "RU,IR", "--explain"]);
    assert_eq!(code, 0);
    assert!(out.contains("CAREC") && out.contains("parameters (source)"), "{out}");
}

#[test]
fn compare_rows_for_the_named_corridors() {
    let (code, out, err) = corridor_cli(&["compare", "Xi'an", "Duisburg", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v["corridors"].as_array().unwrap();
    let get = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no row {id}")).clone();
    for r in rows {
        for f in [
            "id",
            "name",
            "available",
            "distance_km",
            "days",
            "usd_per_feu",
            "kg_co2e_per_teu",
            "countries",
            "borders",
            "passages",
        ] {
            assert!(r.get(f).is_some(), "row {} misses {f}", r["id"]);
        }
    }
    let northern = get("northern");
    assert_eq!(northern["available"], true);
    assert!(northern["countries"].as_array().unwrap().contains(&Value::from("RU")));
    let middle = get("middle");
    assert_eq!(middle["available"], true, "{middle}");
    let mc: Vec<&str> = middle["countries"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(mc.contains(&"AZ") && mc.contains(&"GE") && !mc.contains(&"RU"), "{mc:?}");
    assert!(get("sea_suez")["passages"].as_array().unwrap().contains(&Value::from("suez")));
    assert!(!get("sea_cape")["passages"].as_array().unwrap().contains(&Value::from("suez")));

    let (_, out, _) = corridor_cli(&["compare", "Xi'an", "Duisburg", "--avoid", "RU", "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let n = v["corridors"].as_array().unwrap().iter().find(|r| r["id"] == "northern").unwrap().clone();
    assert_eq!(n["available"], false);
    assert!(n["status"].as_str().unwrap().contains("excluded by avoiding RU"));

    let (_, out, _) = corridor_cli(&["compare", "Mumbai", "Rotterdam", "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let imec = v["corridors"].as_array().unwrap().iter().find(|r| r["id"] == "imec").unwrap().clone();
    assert_eq!(imec["available"], false);
    assert!(imec["status"].as_str().unwrap().starts_with("needs "), "{imec}");

    let (code, out, _) = corridor_cli(&["compare", "Shanghai", "Rotterdam", "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("id,name,available,status,distance_km,days"));
    assert_eq!(corridor_cli(&["compare", "Nowhereville", "Rotterdam"]).0, 2);
}

#[test]
fn params_print_sources_and_overrides_apply() {
    let (code, out, _) = corridor_cli(&["params", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["params"].as_array().unwrap().iter().all(|p| !p["source"].as_str().unwrap().is_empty()));

    let dir = std::env::temp_dir().join(format!("corridor-params-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let slow = dir.join("slow.toml");
    std::fs::write(&slow, "[caspian]\nservice_interval_days = 600\n").unwrap();
    let days = |extra: &[&str]| -> f64 {
        let mut args = vec!["route", "Aktau port", "Port of Baku (Alat)", "--modes", "ferry", "--format", "json"];
        args.extend_from_slice(extra);
        let (code, out, err) = corridor_cli(&args);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Value>(&out).unwrap()["days"].as_f64().unwrap()
    };
    let base = days(&[]);
    let slower = days(&["--params", slow.to_str().unwrap()]);
    assert!((slower - base - (300.0 - 2.0)).abs() < 0.02, "{base} -> {slower}");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[ferry]\nwiat_hours = 3\n").unwrap();
    let (code, _, err) = corridor_cli(&["route", "Almaty", "Istanbul", "--params", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown parameter 'ferry.wiat_hours'"), "{err}");
}

#[test]
fn validation_gaps_are_all_explained_and_explanations_current() {
    let net = network();
    let planner = Planner::new(net.clone());
    let checks = corridor::validation::run(&planner, &corridor::compare::Catalogue::shipped()).unwrap();
    assert!(checks.len() >= 20);
    for c in &checks {
        assert!(c.within || c.explanation.is_some(), "unexplained gap: {c:?}");
        assert!(!(c.within && c.explanation.is_some()), "explanation for a figure within tolerance: {}", c.id);
    }
    let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
    for (id, _) in corridor::validation::explanations().unwrap() {
        assert!(ids.contains(&id.as_str()), "explanation for unknown figure {id}");
    }
    assert!(checks.iter().filter(|c| c.within).count() * 2 > checks.len(), "most published figures should be matched");
}

#[test]
fn matrix_agrees_with_single_routes() {
    let (code, out, err) = corridor_cli(&[
        "matrix",
        "--from",
        "Almaty;Xi'an",
        "--to",
        "Istanbul;Duisburg",
        "--avoid",
        "RU",
        "--by",
        "distance",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let m: Value = serde_json::from_str(&out).unwrap();
    let (froms, tos) = (["Almaty", "Xi'an"], ["Istanbul", "Duisburg"]);
    for (i, f) in froms.iter().enumerate() {
        for (j, t) in tos.iter().enumerate() {
            let (code, out, _) =
                corridor_cli(&["route", f, t, "--avoid", "RU", "--by", "distance", "--format", "json"]);
            assert_eq!(code, 0);
            let r: Value = serde_json::from_str(&out).unwrap();
            let cell = m["values"][i][j].as_f64().unwrap();
            assert!(
                (cell - r["distance_km"].as_f64().unwrap()).abs() < 0.01,
                "{f}-{t}: matrix {cell} vs route {}",
                r["distance_km"]
            );
        }
    }
    // cost cells equal the routes' total cost both ways (two places, one market): the pair's
    // [a -> b, b -> a] cells
    let both_ways = |a: &str, b: &str, market: &str| -> Vec<f64> {
        let list = format!("{a};{b}");
        let (code, out, err) =
            corridor_cli(&["matrix", "--from", &list, "--to", &list, "--market", market, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let m: Value = serde_json::from_str(&out).unwrap();
        let places = [a, b];
        let mut cells = Vec::new();
        for (i, j) in [(0, 1), (1, 0)] {
            let (code, out, _) = corridor_cli(&["route", places[i], places[j], "--market", market, "--format", "json"]);
            assert_eq!(code, 0);
            let r: Value = serde_json::from_str(&out).unwrap();
            let (cell, route) = (m["values"][i][j].as_f64().unwrap(), r["total_usd_per_feu"].as_f64().unwrap());
            assert!((cell - route).abs() <= 1.0, "{}-{}: matrix {cell} vs route {route}", places[i], places[j]);
            cells.push(cell);
        }
        cells
    };
    // Rotterdam -> Shanghai is a backhaul (sea freight at sea.backhaul_factor of the headhaul
    // rates), Shanghai -> Rotterdam is not
    let cells = both_ways("Rotterdam", "Shanghai", "normal-2023");
    assert!(cells[0] < cells[1], "the backhaul is cheaper: {cells:?}");
    // and the India lanes' own backhaul in the crisis market (a planner sharing the engine)
    let cells = both_ways("Rotterdam", "Mumbai", "red-sea-2024");
    assert!(cells[0] < cells[1], "Europe -> India is the crisis backhaul: {cells:?}");
    // unreachable pairs are empty, not an error
    let (code, out, _) =
        corridor_cli(&["matrix", "--from", "Almaty", "--to", "Duisburg", "--modes", "rail", "--avoid", "RU"]);
    assert_eq!(code, 0);
    assert!(out.lines().nth(1).unwrap().ends_with(','), "{out}");
    assert_eq!(corridor_cli(&["matrix", "--from", "Almaty", "--to", "Nowhereville"]).0, 2);
}

/// A schedule's transit runs from the sailing's departure to its arrival (ETD to ETA): the
/// validation measure `transit_days` of a port-to-port sea route is its moving time at sea plus
/// the canal, without the calls at the ports of loading and discharge, the land-side handling
/// and the wait; `port_to_port_days` adds the two calls back.
#[test]
fn transit_measures_count_from_departure_to_arrival() {
    use corridor::model::cost::DwellKind;
    use corridor::validation::measure_of;
    let net = network();
    let planner = Planner::new(net.clone());
    let modes = vec![corridor::network::Mode::parse("sea").unwrap()];
    // the Asia-Europe liner and the short-sea trade (both ends in Europe) each at its own speed
    for (from, to, speed_key) in
        [("CNSHA", "NLRTM", "sea.speed_knots"), ("Barcelona", "Piraeus", "shortsea.speed_knots")]
    {
        let q =
            Query { constraints: Constraints { modes: modes.clone(), ..Default::default() }, ..Query::new(from, to) };
        let r = planner.route(&q).unwrap();
        let sea: Vec<_> = r.legs.iter().filter(|l| l.service.is_some()).collect();
        assert_eq!(sea.len(), 1, "{from}-{to}: one sea leg");
        let hours = |kind: DwellKind| -> f64 { r.dwell.iter().filter(|d| d.kind == kind).map(|d| d.hours).sum() };
        let moving = sea[0].distance_nm.unwrap() / planner.params().get(speed_key);
        let transit = measure_of(&r, "transit_days").unwrap() * 24.0;
        assert!(
            (transit - moving - hours(DwellKind::Canal)).abs() < 0.05,
            "{from}-{to}: {transit} h, moving {moving} h"
        );
        let calls = hours(DwellKind::PortCall);
        assert!(calls >= 24.0, "{from}-{to}: two calls");
        let port_to_port = measure_of(&r, "port_to_port_days").unwrap() * 24.0;
        assert!((port_to_port - transit - calls).abs() < 1e-6, "{from}-{to}");
        assert!(r.measures.hours > port_to_port, "the waits and handling are outside both");
    }
}
