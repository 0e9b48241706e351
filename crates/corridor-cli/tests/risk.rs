//! The risk layer end to end (issue 13): recorded incidents, through the risk field, the listed
//! areas and the war-risk premium in the cost, move the cheapest Shanghai -> Rotterdam sea route
//! from Suez (incidents up to mid-2023) round the Cape (early 2024), as carriers did; nothing is
//! closed by hand. Also the avoidance option, user files and bad input.

use std::process::Command;

use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor")).args(args).output().expect("run corridor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "corridor {args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("corridor {args:?}: {e}: {out}"))
}

fn passages(route: &Value) -> Vec<String> {
    route["passages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect()
}

fn war_risk(route: &Value) -> f64 {
    route["dwell"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "war_risk")
        .map(|d| d["usd_per_feu"].as_f64().unwrap())
        .sum()
}

fn sea_route(extra: &[&str]) -> Value {
    let mut args = vec!["route", "Shanghai", "Rotterdam", "--modes", "sea", "--by", "cost", "--format", "json"];
    args.extend_from_slice(extra);
    json(&args)
}

fn area<'a>(areas: &'a Value, key: &str) -> &'a Value {
    areas.as_array().unwrap().iter().find(|a| a["key"] == key).unwrap_or_else(|| panic!("area {key}"))
}

#[test]
fn the_cheapest_sea_route_leaves_the_red_sea_when_the_incidents_say_so() {
    // mid-2023: no attack on record near the Red Sea lanes; the area is not listed, its transit
    // pays the normal-times premium, and the route goes through Suez
    let calm = sea_route(&["--as-of", "2023-06-30"]);
    let p = passages(&calm);
    assert!(p.contains(&"suez".to_string()) && p.contains(&"babalmandab".to_string()), "mid-2023: {p:?}");
    let calm_areas = json(&["risk", "areas", "--as-of", "2023-06-30", "--format", "json"]);
    let rs = area(&calm_areas["areas"], "red_sea_aden");
    assert_eq!(rs["listed"], false, "{rs}");
    let normal = rs["premium_usd_per_feu"].as_f64().unwrap();
    assert!(
        normal > 0.0 && (war_risk(&calm) - normal).abs() <= 1.0,
        "one transit at the normal premium: {}",
        war_risk(&calm)
    );

    // early 2024: the attacks since November 2023 list the area, the listed premium makes the
    // Cape cheaper, and the cheapest route goes round it
    let crisis = sea_route(&["--as-of", "2024-03-01"]);
    let p = passages(&crisis);
    assert!(p.contains(&"south_africa".to_string()) && !p.contains(&"suez".to_string()), "early 2024: {p:?}");
    assert_eq!(war_risk(&crisis), 0.0, "the Cape route crosses no high-risk area");
    let crisis_areas = json(&["risk", "areas", "--as-of", "2024-03-01", "--format", "json"]);
    let rs = area(&crisis_areas["areas"], "red_sea_aden");
    assert_eq!(rs["listed"], true, "{rs}");
    assert!(rs["field"].as_f64().unwrap() >= crisis_areas["params"]["listing_threshold"].as_f64().unwrap());
    let listed = rs["premium_usd_per_feu"].as_f64().unwrap();

    // the reason is the premium: through Suez (the Cape closed) the route pays one listed
    // transit, and without it Suez would still be cheaper
    let forced = sea_route(&["--as-of", "2024-03-01", "--avoid-passage", "south_africa"]);
    assert!(passages(&forced).contains(&"suez".to_string()));
    assert!((war_risk(&forced) - listed).abs() <= 1.0, "{} vs {listed}", war_risk(&forced));
    let total = |r: &Value| r["total_usd_per_feu"].as_f64().unwrap();
    assert!(total(&forced) > total(&crisis), "Suez with the premium is dearer than the Cape");
    assert!(total(&forced) - war_risk(&forced) < total(&crisis), "without the premium Suez would win");

    // and without any risk option nothing changes: the default route is Suez without premiums
    let plain = sea_route(&[]);
    assert!(passages(&plain).contains(&"suez".to_string()));
    assert_eq!(war_risk(&plain), 0.0);
    assert!((total(&calm) - total(&plain) - normal).abs() <= 1.0, "risk on a calm date adds exactly the premium");
}

#[test]
fn max_risk_closes_the_threatened_waters_for_any_objective() {
    let by_distance = |extra: &[&str]| {
        let mut a = vec!["route", "Shanghai", "Rotterdam", "--modes", "sea", "--by", "distance", "--format", "json"];
        a.extend_from_slice(extra);
        passages(&json(&a))
    };
    // the distance objective ignores premiums: only the closure moves it
    assert!(by_distance(&["--as-of", "2024-03-01"]).contains(&"suez".to_string()));
    assert!(by_distance(&["--as-of", "2024-03-01", "--max-risk", "1"]).contains(&"south_africa".to_string()));
    assert!(by_distance(&["--as-of", "2023-06-30", "--max-risk", "1"]).contains(&"suez".to_string()));
}

#[test]
fn user_incident_files_count_and_bad_ones_exit_2() {
    let dir = std::env::temp_dir().join(format!("corridor-risk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // five hijackings in the Gulf of Aden in June 2023 (an NGA ASAM JSON file), which never
    // happened: with them the area is listed on 30 June 2023 and the route avoids it
    let records: Vec<Value> = (1..=5)
        .map(|k| {
            serde_json::json!({"reference": format!("2023-9{k}"), "date": format!("2023-06-0{k}"),
                "position": format!("12°{:02}'00\"N \n47°00'00\"E", 20 + k), "hostility": "Hijacking",
                "victim": format!("test ship {k}"), "description": "GULF OF ADEN: test record"})
        })
        .collect();
    let asam = dir.join("asam.json");
    std::fs::write(&asam, serde_json::to_string(&serde_json::json!({ "asam": records })).unwrap()).unwrap();
    let r = sea_route(&["--as-of", "2023-06-30", "--risk-incidents", asam.to_str().unwrap()]);
    assert!(passages(&r).contains(&"south_africa".to_string()), "{:?}", passages(&r));
    let report = json(&[
        "risk",
        "route",
        "Shanghai",
        "Rotterdam",
        "--modes",
        "sea",
        "--avoid-passage",
        "south_africa",
        "--as-of",
        "2023-06-30",
        "--risk-incidents",
        asam.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let e = &report["exposure"];
    assert_eq!(e["incidents_near"], 5, "{e}");
    assert!(e["days_in_high_risk"].as_f64().unwrap() > 0.0);
    assert!(e["nearest"][0]["source"].as_str().unwrap().starts_with("NGA ASAM 2023-9"));

    // bad input: exit 2 with a message that names the problem
    let acled = dir.join("acled.csv");
    std::fs::write(
        &acled,
        "event_date,event_type,sub_event_type,latitude,longitude\n2024-01-01,Battles,Armed clash,10,40\n",
    )
    .unwrap();
    let (code, _, err) = run(&["route", "Shanghai", "Rotterdam", "--risk-incidents", acled.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing column 'event_id_cnty'") && err.contains("ACLED"), "{err}");
    let (code, _, err) = run(&["route", "Shanghai", "Rotterdam", "--as-of", "2024-02-30"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("as-of date"), "{err}");
    let (code, _, err) = run(&["route", "Shanghai", "Rotterdam", "--max-risk", "-1"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&["risk", "areas", "nowhere"]);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn risk_report_lists_the_nearest_incidents_with_sources() {
    let r = json(&[
        "risk",
        "route",
        "Shanghai",
        "Rotterdam",
        "--modes",
        "sea",
        "--avoid-passage",
        "south_africa",
        "--as-of",
        "2024-03-01",
        "--format",
        "json",
    ]);
    let e = &r["exposure"];
    assert!(e["incidents_near"].as_u64().unwrap() >= 20, "{e}");
    let nearest = e["nearest"].as_array().unwrap();
    assert_eq!(nearest.len(), 10);
    let kms: Vec<f64> = nearest.iter().map(|n| n["km"].as_f64().unwrap()).collect();
    assert!(kms.windows(2).all(|w| w[0] <= w[1]), "nearest first: {kms:?}");
    assert!(nearest.iter().all(|n| n["source"].as_str().unwrap().contains("http")), "every row has its source");
    assert!(e["days_in_high_risk"].as_f64().unwrap() > 0.5);
    assert_eq!(e["areas"][0]["key"], "red_sea_aden");
    // the table form with --explain on route prints them too
    let (code, out, err) =
        run(&["route", "Shanghai", "Rotterdam", "--modes", "sea", "--as-of", "2024-03-01", "--explain"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("WarRisk") || out.contains("exposure"), "{out}");
    assert!(out.contains("red_sea_aden LISTED"), "{out}");
}

/// `/api/risk/route` and `/api/risk/areas` answer with the CLI's JSON and match the OpenAPI
/// document; bad input is a 400.
#[test]
fn risk_endpoints_answer_like_the_cli() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["serve", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start corridor serve");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let server = Kill(child);
    let mut line = String::new();
    while !line.starts_with("corridor serve: listening on ") {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "server ended before listening");
    }
    let base = line.trim().trim_start_matches("corridor serve: listening on ").trim_end_matches('/').to_string();
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = err.read_to_string(&mut sink);
    });
    let get = |path: &str| -> (u16, Value) {
        for _ in 0..300 {
            match ureq::get(&format!("{base}{path}")).call() {
                Ok(r) => return (r.status(), serde_json::from_str(&r.into_string().unwrap()).unwrap()),
                Err(ureq::Error::Status(s, r)) => return (s, serde_json::from_str(&r.into_string().unwrap()).unwrap()),
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(100)),
            }
        }
        panic!("no answer from {path}");
    };
    let doc: Value = serde_json::from_str(include_str!("../../../docs/openapi.json")).unwrap();
    let conforms = |path: &str, body: &Value| {
        let mut root = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"].clone();
        root["components"] = doc["components"].clone();
        let v = jsonschema::validator_for(&root).expect("valid schema");
        let errors: Vec<String> = v.iter_errors(body).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    };
    let (st, r) = get("/api/risk/route?from=Shanghai&to=Rotterdam&modes=sea&avoid_passage=cape&as_of=2024-03-01");
    assert_eq!(st, 200, "{r}");
    conforms("/api/risk/route", &r);
    let cli = json(&[
        "risk",
        "route",
        "Shanghai",
        "Rotterdam",
        "--modes",
        "sea",
        "--avoid-passage",
        "cape",
        "--as-of",
        "2024-03-01",
        "--format",
        "json",
    ]);
    assert_eq!(r, cli, "HTTP equals the CLI");
    let (st, a) = get("/api/risk/areas?as_of=2024-03-01&area=red_sea_aden");
    assert_eq!(st, 200, "{a}");
    conforms("/api/risk/areas", &a);
    assert_eq!(a, json(&["risk", "areas", "red_sea_aden", "--as-of", "2024-03-01", "--format", "json"]));
    // the web map's incident layer: GeoJSON points of what weighs on the field, none in mid-2023
    let (st, i) = get("/api/risk/incidents?as_of=2024-03-01");
    assert_eq!(st, 200, "{i}");
    conforms("/api/risk/incidents", &i);
    assert_eq!(i, json(&["risk", "incidents", "--as-of", "2024-03-01", "--format", "json"]));
    let features = i["features"].as_array().unwrap();
    assert!(features.len() >= 20, "early 2024 has the Red Sea attacks: {}", features.len());
    assert!(features.iter().all(|f| f["properties"]["date"].as_str().unwrap() <= "2024-03-01"));
    assert!(
        features.iter().all(|f| !f["properties"]["source"].as_str().unwrap().is_empty()),
        "every point has a source"
    );
    let (st, none) = get("/api/risk/incidents?as_of=2023-06-01");
    assert_eq!((st, none["features"].as_array().unwrap().len()), (200, 0), "nothing recorded before Nov 2023");
    for bad in [
        "/api/risk/incidents?as_of=2024-13-01",
        "/api/risk/incidents?from=Shanghai",
        "/api/risk/route?from=Shanghai&to=Rotterdam&as_of=2024-02-30",
        "/api/risk/route?from=Shanghai&to=Rotterdam&max_risk=-1",
        "/api/risk/route?from=Shanghai&to=Rotterdam&limit=51",
        "/api/risk/areas?area=nowhere",
        "/api/risk/areas?from=Shanghai",
        "/api/risk/route?from=Shanghai&to=Rotterdam&nonsense=1",
    ] {
        let (st, e) = get(bad);
        assert_eq!(st, 400, "{bad}: {e}");
        assert!(e["error"].is_string(), "{bad}: {e}");
    }
    drop(server);
}

/// The premiums only raise edge weights and `--max-risk` only closes edges, so the prepared
/// engine's potentials stay exact: with and without the cache (bidirectional Dijkstra) every
/// answer is the same.
#[test]
fn prepared_engine_and_plain_search_agree_under_risk() {
    let empty = std::env::temp_dir().join(format!("corridor-risk-nocache-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let queries: &[&[&str]] = &[
        &["route", "Shanghai", "Rotterdam", "--as-of", "2024-03-01"],
        &["route", "Mumbai", "Rotterdam", "--as-of", "2024-03-01", "--by", "time"],
        &["route", "Jebel Ali", "Rotterdam", "--as-of", "2024-03-01", "--max-risk", "1"],
        &["route", "Shanghai", "Odesa", "--as-of", "2024-12-31", "--modes", "sea"],
        &["route", "Xi'an", "Duisburg", "--as-of", "2025-07-15", "--avoid", "RU"],
        // the two listing states the prepared engine customizes (none listed; the Red Sea listed)
        &["route", "Shanghai", "Rotterdam", "--as-of", "2023-06-01", "--modes", "sea"],
        &["route", "Singapore", "Hamburg", "--as-of", "2024-06-30"],
        &["route", "Mumbai", "Genoa", "--as-of", "2024-03-01", "--avoid-passage", "suez"],
    ];
    for q in queries {
        let mut args = q.to_vec();
        args.extend(["--format", "json"]);
        let prepared = json(&args);
        let out =
            Command::new(env!("CARGO_BIN_EXE_corridor")).args(&args).env("CORRIDOR_CACHE", &empty).output().unwrap();
        assert!(out.status.success(), "{q:?}: {}", String::from_utf8_lossy(&out.stderr));
        let plain: Value = serde_json::from_slice(&out.stdout).unwrap();
        // the objective's figure (paths of equal weight may differ in other measures)
        let k = if q.contains(&"time") { "hours" } else { "total_usd_per_feu" };
        assert!(prepared[k].is_number(), "{q:?}: {k}");
        assert_eq!(prepared[k], plain[k], "{q:?}: {k}");
        if k == "total_usd_per_feu" {
            assert_eq!(prepared["passages"], plain["passages"], "{q:?}");
        }
    }
    std::fs::remove_dir_all(&empty).ok();
}

/// The risk options reach `scenario` and `critical` (issue "Threats to routes": "the options above
/// on route, compare, scenario and critical"). With the incidents up to mid-2023 closing
/// Bab-el-Mandeb sends Shanghai -> Rotterdam round the Cape and the Red Sea passage is the most
/// critical element; with those of early 2024 the cheapest route already goes round the Cape, so
/// the closure changes nothing and the Cape passage becomes the critical one.
#[test]
fn scenario_and_critical_take_the_risk_options() {
    let dir = std::env::temp_dir().join(format!("corridor-risk-sc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let od = dir.join("od.csv");
    std::fs::write(&od, "from,to\nShanghai,Rotterdam\n").unwrap();
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios/red-sea-closed.toml");
    for (as_of, closure_matters, most_critical) in
        [("2023-06-01", true, "babalmandab"), ("2024-03-01", false, "south_africa")]
    {
        let s = json(&[
            "scenario",
            scenario,
            "Shanghai",
            "Rotterdam",
            "--modes",
            "sea",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        let delta_days = s["pairs"][0]["route"]["delta"]["days"].as_f64().unwrap();
        assert_eq!(delta_days > 5.0, closure_matters, "as of {as_of}: the closure adds {delta_days} days");
        let c =
            json(&["critical", "--od", od.to_str().unwrap(), "--modes", "sea", "--as-of", as_of, "--format", "json"]);
        assert_eq!(c["ranking"][0]["id"], most_critical, "as of {as_of}: {}", c["ranking"][0]);
        let (code, table, _) = run(&["critical", "--od", od.to_str().unwrap(), "--modes", "sea", "--as-of", as_of]);
        assert_eq!(code, 0);
        assert!(table.contains(&format!("risk: as of {as_of}")), "the table names the risk layer: {table}");
    }
    let (code, _, err) = run(&["scenario", scenario, "Shanghai", "Rotterdam", "--as-of", "2024-13-01"]);
    assert_eq!(code, 2, "a bad date is bad input: {err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The prepared engine customizes the cost objective with the premiums of two listing states
/// (`corridor::prepared::RISK_LISTINGS`); a risk query uses them as exact potentials when its
/// charges are the same. So the charges of a dated layer must equal those of its listing state:
/// as of mid-2023 nothing is listed, as of March 2024 exactly the southern Red Sea.
#[test]
fn dated_charges_equal_their_listing_state() {
    use corridor::risk::{areas, RiskLayer};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network/world.cnet");
    let net = corridor::network::format::read(std::path::Path::new(path)).expect("network file");
    let params = corridor::model::params::Params::defaults();
    let rp = corridor::risk::RiskParams::from_params(&params);
    for (as_of, listed) in [("2023-06-01", &[][..]), ("2024-03-01", &["red_sea_aden"][..])] {
        let date = corridor::risk::parse_as_of(as_of).unwrap();
        let l = RiskLayer::build(&net, &params, RiskLayer::shipped_incidents(), Some(date), None).unwrap();
        let on: Vec<&str> = l.areas.iter().filter(|a| a.listed).map(|a| a.key.as_str()).collect();
        assert_eq!(on, listed, "as of {as_of}");
        let state = areas::listing_charges(&net, &rp, &areas::Area::shipped(), listed);
        assert_eq!(areas::charges_fingerprint(&l.charges), areas::charges_fingerprint(&state), "as of {as_of}");
        assert!(corridor::prepared::RISK_LISTINGS.contains(&listed), "{listed:?} is customized");
    }
}
