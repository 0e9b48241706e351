//! End-to-end tests of `corridor scenario` and `corridor capacity` on the embedded network: the
//! shipped example scenarios run and change what they should, a scenario that changes nothing
//! reports zero differences, capacity finds the Middle Corridor's bottleneck, bad input exits 2.

use std::process::Command;

use serde_json::Value;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios");

fn corridor(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corridor"));
    // use the prepared engine CI (and `corridor prepare`) writes there, when it exists
    let cache = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/corridor-cache");
    if std::env::var_os("CORRIDOR_CACHE").is_none() && std::path::Path::new(cache).is_dir() {
        cmd.env("CORRIDOR_CACHE", cache);
    }
    let out = cmd.args(args).output().expect("run corridor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let (code, out, err) = corridor(&all);
    assert_eq!(code, 0, "corridor {all:?} failed: {err}");
    serde_json::from_str(&out).expect("valid JSON")
}

fn example(name: &str) -> String {
    format!("{EXAMPLES}/{name}")
}

fn corridor_row<'a>(pair: &'a Value, id: &str) -> &'a Value {
    pair["corridors"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()
}

const MEASURES: [&str; 4] = ["distance_km", "days", "usd_per_feu", "kg_co2e_per_teu"];

fn check_shape(r: &Value) {
    assert!(r["fingerprint"].as_str().unwrap().len() == 16);
    assert!(!r["network_version"].as_str().unwrap().is_empty());
    for p in r["pairs"].as_array().unwrap() {
        for c in std::iter::once(&p["route"]).chain(p["corridors"].as_array().unwrap()) {
            for side in ["before", "after", "delta"] {
                assert!(c.get(side).is_some(), "{side} missing in {c}");
            }
            if !c["delta"].is_null() {
                for m in MEASURES {
                    let (b, a, d) = (&c["before"][m], &c["after"][m], &c["delta"][m]);
                    assert!((a.as_f64().unwrap() - b.as_f64().unwrap() - d.as_f64().unwrap()).abs() < 1e-3, "{c}");
                }
            }
        }
    }
}

#[test]
fn red_sea_closed_sends_shanghai_rotterdam_by_sea_on_a_long_detour() {
    let r = json(&["scenario", &example("red-sea-closed.toml"), "Shanghai", "Rotterdam", "--modes", "sea"]);
    check_shape(&r);
    let p = &r["pairs"][0];
    let d = &p["route"]["delta"];
    assert!(d["distance_km"].as_f64().unwrap() > 3000.0, "{p}");
    assert!(d["days"].as_f64().unwrap() > 3.0, "{p}");
    // Suez is gone, the Cape route is unchanged
    let suez = corridor_row(p, "sea_suez");
    assert_eq!((suez["available_before"].as_bool(), suez["available_after"].as_bool()), (Some(true), Some(false)));
    assert_eq!(corridor_row(p, "sea_cape")["delta"]["distance_km"], 0.0);
}

#[test]
fn imec_built_makes_imec_available() {
    let r = json(&["scenario", &example("imec-built.toml"), "Mumbai", "Rotterdam"]);
    check_shape(&r);
    let imec = corridor_row(&r["pairs"][0], "imec");
    assert_eq!(imec["available_before"], false, "{imec}");
    assert_eq!(imec["available_after"], true, "{imec}");
    assert!(imec["after"]["distance_km"].as_f64().unwrap() > 5000.0);
    assert!(r["changes"]["opened_edges"].as_u64().unwrap() >= 4);
}

#[test]
fn fast_borders_lower_days_on_the_middle_corridor_and_nothing_else_changes_km() {
    // by distance, so that the routes stay the same and only their dwell changes
    let r = json(&["scenario", &example("middle-corridor-fast-borders.toml"), "Xi'an", "Duisburg", "--by", "distance"]);
    check_shape(&r);
    let m = corridor_row(&r["pairs"][0], "middle");
    assert!(m["delta"]["days"].as_f64().unwrap() < -1.0, "{m}");
    assert_eq!(m["delta"]["distance_km"], 0.0);
    assert_eq!(m["delta"]["usd_per_feu"], 0.0);
}

#[test]
fn caspian_doubled_runs_and_every_example_parses() {
    let r = json(&["scenario", &example("red-sea-closed-caspian-doubled.toml"), "Xi'an", "Duisburg"]);
    check_shape(&r);
    assert_eq!(r["changes"]["capacity_changes"], 3);
    // freight scenarios, and the gas scenarios (a [gas] section, `corridor gas scenario`)
    for e in std::fs::read_dir(EXAMPLES).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let what = path.display().to_string();
        if path.file_name().unwrap().to_string_lossy().starts_with("gas-") {
            corridor::gas::scenario::Scenario::parse(&text, &what).unwrap();
        } else {
            corridor::scenario::Scenario::parse(&text, &what).unwrap();
        }
    }
}

#[test]
fn a_scenario_that_changes_nothing_reports_zero_differences() {
    let dir = std::env::temp_dir().join(format!("corridor-whatif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("nothing.toml");
    // closing a passage nobody uses and setting a parameter to its default change nothing
    std::fs::write(
        &f,
        "name = \"nothing\"\n[params]\n\"caspian.service_interval_days\" = 4\n[close]\npassages = [\"bering\"]\n",
    )
    .unwrap();
    // by distance: under time/cost objectives the prepared engine and the fallback may pick
    // different routes among equal-cost ones (issue 17), which this test is not about
    let r = json(&["scenario", f.to_str().unwrap(), "Almaty", "Istanbul", "--by", "distance"]);
    check_shape(&r);
    let p = &r["pairs"][0];
    let mut compared = 0;
    for c in std::iter::once(&p["route"]).chain(p["corridors"].as_array().unwrap()) {
        assert_eq!(c["available_before"], c["available_after"], "{c}");
        if !c["delta"].is_null() {
            compared += 1;
            for m in MEASURES {
                assert_eq!(c["delta"][m], 0.0, "{m} in {c}");
            }
        }
    }
    assert!(compared >= 3);
    // CSV has the same rows: a header, 1 route + 9 corridors
    let (code, csv, _) = corridor(&["scenario", f.to_str().unwrap(), "Almaty", "Istanbul", "--format", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(csv.lines().count(), 1 + 10);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn closing_alat_reroutes_the_middle_corridor() {
    let dir = std::env::temp_dir().join(format!("corridor-whatif-alat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("alat.toml");
    std::fs::write(&f, "name = \"Alat closed\"\n[close]\nports = [\"Port of Baku (Alat)\"]\n").unwrap();
    // by distance: under time/cost objectives the prepared engine and the fallback may pick
    // different routes among equal-cost ones (issue 17), which this test is not about
    let r = json(&["scenario", f.to_str().unwrap(), "Almaty", "Istanbul", "--by", "distance"]);
    assert!(r["changes"]["closed_edges"].as_u64().unwrap() >= 2);
    // the Caspian stays open by sea to Baku's other port hubs: the route changes, it is not cut
    let m = corridor_row(&r["pairs"][0], "middle");
    assert_ne!(m["delta"]["distance_km"], 0.0, "{m}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_scenarios_exit_2_with_the_bad_key() {
    let dir = std::env::temp_dir().join(format!("corridor-whatif-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (body, needle) in [
        ("name = \"x\"\n[close]\npasages = [\"suez\"]\n", "pasages"),
        ("name = \"x\"\n[close]\npassages = [\"nowhere\"]\n", "nowhere"),
        ("name = \"x\"\n[open]\nplanned_links = [\"ferry_aktau_alat\"]\n", "not a planned link"),
        ("name = \"x\"\n[[capacity]]\nelement = \"port_atlantis\"\nfactor = 2\n", "port_atlantis"),
        ("name = \"x\"\n[params]\n\"ferry.wait_hour\" = 3\n", "ferry.wait_hour"),
        ("name = \"x\"\n[[border]]\nbetween = [\"CN\", \"KZ\"]\nhours = 1\nhours_factor = 0.5\n", "not both"),
    ] {
        let f = dir.join("bad.toml");
        std::fs::write(&f, body).unwrap();
        let (code, _, err) = corridor(&["scenario", f.to_str().unwrap(), "Almaty", "Istanbul"]);
        assert_eq!(code, 2, "{body}: {err}");
        assert!(err.contains(needle), "{body}: {err}");
    }
    let (code, _, err) = corridor(&["capacity", "--corridor", "atlantis"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("middle"), "{err}");
    let (code, _, _) = corridor(&["scenario", "/nonexistent.toml"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn middle_corridor_capacity_names_the_bottleneck_and_scenarios_move_it() {
    let r = json(&["capacity", "--corridor", "middle"]);
    let m = &r["corridors"][0];
    // every pair of the default OD set resolves and has a Middle Corridor route
    assert_eq!(m["routes"], 100, "{}", r["unavailable"]);
    let flow = m["max_flow_teu_per_year"].as_f64().unwrap();
    let cut: f64 = m["bottleneck"].as_array().unwrap().iter().map(|e| e["teu_per_year"].as_f64().unwrap()).sum();
    assert_eq!(flow, cut, "max flow = min cut");
    assert!(m["bottleneck"].as_array().unwrap().iter().all(|e| !e["source"].as_str().unwrap().is_empty()));
    assert_eq!(m["bottleneck"][0]["id"], "port_alat");
    // the scenario doubles Alat, Aktau and Kuryk: the flow doubles
    let r2 = json(&["capacity", "--corridor", "middle", "--scenario", &example("red-sea-closed-caspian-doubled.toml")]);
    assert_eq!(r2["corridors"][0]["max_flow_teu_per_year"].as_f64().unwrap(), 2.0 * flow);
    let (code, table, err) =
        corridor(&["capacity", "--corridor", "middle", "--od", &format!("{EXAMPLES}/../demand/china-europe.csv")]);
    assert_eq!(code, 0, "{err}");
    assert!(table.contains("Port of Baku (Alat)"), "{table}");
}

#[test]
fn demand_is_assigned_within_capacities() {
    let r = json(&["capacity", "--demand", &format!("{EXAMPLES}/../demand/china-europe.csv")]);
    let a = &r["assignment"];
    let total = a["total_demand_teu_per_year"].as_f64().unwrap();
    let served: f64 = a["flows"].as_array().unwrap().iter().map(|f| f["teu_per_year"].as_f64().unwrap()).sum();
    assert_eq!(served + a["unserved_teu_per_year"].as_f64().unwrap(), total);
    let middle: f64 = a["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["corridor"] == "middle")
        .map(|f| f["teu_per_year"].as_f64().unwrap())
        .sum();
    assert!(middle <= 100_000.0, "Alat limits the Middle Corridor: {a}");
}

/// One model of the elements on a route (`corridor::analysis::elements`), seen from its three
/// users on a few world routes: criticality ranks exactly the elements on the flow's route; a
/// scenario closing a port, link or border crossing of the route closes exactly the edges
/// criticality closes for it (one border-crossing radius); and capacity finds on the route
/// exactly the capacitated elements whose closure by a scenario cuts the route.
#[test]
fn critical_capacity_and_scenarios_agree_on_the_elements_of_a_route() {
    use corridor::analysis::elements::{BorderSel, Closure, ElementKind, Elements};
    use corridor::capacity::{Capacities, CapacityFile};
    use corridor::model::cost::Objective;
    use corridor::network::edge_flags;
    use corridor::planner::{Constraints, Planner, Query};
    use corridor::scenario::{Applied, Scenario};
    use serde_json::json;

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = std::sync::Arc::new(corridor::network::format::read(std::path::Path::new(path)).expect("network file"));
    let planner = Planner::new(net.clone());
    let (prepared, _) = corridor::prepared::Prepared::from_env_cache_or_build(&planner);
    let planner = planner.with_prepared(Some(std::sync::Arc::new(prepared)));
    let elements = Elements::new(&planner);
    let file = CapacityFile::shipped();
    let caps = Capacities::resolve(file.clone(), &net, planner.gazetteer()).unwrap();
    let close = |what: Value| -> Applied {
        let s = Scenario::from_json(&json!({"name": "t", "close": what}), "test").unwrap();
        s.apply(&planner, &file).unwrap()
    };
    let closed = |a: &Applied, e: u32| a.network.edge_flags[e as usize] & edge_flags::CLOSED != 0;
    let cases: [(&str, &str, &[&str]); 4] = [
        ("Xi'an", "Duisburg", &[]),
        ("Almaty", "Istanbul", &["RU", "IR"]),
        ("Urumqi", "Poti", &["RU", "IR"]),
        ("Shanghai", "Rotterdam", &[]),
    ];
    let mut kinds = std::collections::BTreeSet::new();
    let mut capacitated = 0;
    for (from, to, avoid) in cases {
        let constraints = Constraints { avoid: avoid.iter().map(|s| s.to_string()).collect(), ..Default::default() };
        let q = Query {
            from: from.into(),
            to: to.into(),
            via: vec![],
            constraints: constraints.clone(),
            objective: Objective::Cost,
        };
        let route = planner.route(&q).unwrap();
        let on = elements.on_route(&route);
        kinds.extend(on.iter().map(|e| e.kind));

        // criticality: exactly the route's elements, each closing what the model closes
        let ods = corridor::od::parse(&format!("from,to\n{from},{to}\n"), "test").unwrap();
        let c = corridor::critical::critical(&planner, &ods, &constraints, Objective::Cost, 2, &|_, _| true).unwrap();
        let mut ranked: Vec<_> = c.ranking.iter().map(|r| (r.kind, r.id.clone(), r.edges_closed)).collect();
        let mut model: Vec<_> = on
            .iter()
            .map(|e| (e.kind, e.id.clone(), if let Closure::Edges(x) = &e.closure { x.len() } else { 0 }))
            .collect();
        ranked.sort();
        model.sort();
        assert_eq!(ranked, model, "{from} - {to}");

        // scenarios: closing an element of the route closes exactly its edges
        for el in &on {
            let Closure::Edges(edges) = &el.closure else { continue };
            let what = match el.kind {
                ElementKind::Port => {
                    let Some(p) = net.meta.places.iter().find(|p| p.hub == el.hub) else { continue };
                    // by UN/LOCODE: a port's name may also be a city's
                    json!({"ports": [p.locode.clone().unwrap_or_else(|| format!("{}, {}", p.name, p.country))]})
                }
                ElementKind::Link => json!({"links": [el.link]}),
                ElementKind::BorderCrossing => {
                    json!({"borders": [BorderSel::of_crossing(&net, &el.crossing.unwrap())]})
                }
                _ => continue,
            };
            let a = close(what);
            assert_eq!(a.closed_edges, edges.len(), "{} on {from} - {to}", el.id);
            assert!(edges.iter().all(|&e| closed(&a, e)), "{} on {from} - {to}", el.id);
        }

        // capacity: the capacitated elements on the route are those whose closure cuts it
        let found = caps.elements_on(&net, &on);
        capacitated += found.len();
        for (i, e) in file.element.iter().enumerate() {
            let what = match (&e.port, &e.border) {
                (Some(p), _) => json!({"ports": [p]}),
                (_, Some(b)) => json!({"borders": [b]}),
                _ => json!({"links": e.links}),
            };
            let a = close(what);
            let cuts = route.edges.iter().any(|&x| closed(&a, x));
            assert_eq!(found.contains(&i), cuts, "{} on {from} - {to}", e.id);
        }
    }
    assert!(kinds.len() == 5, "every kind of element met: {kinds:?}");
    assert!(capacitated >= 4, "capacitated elements met: {capacitated}");
}
