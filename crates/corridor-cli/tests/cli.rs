//! End-to-end tests of the `corridor` binary on the embedded network: corridor facts (golden
//! tests), output formats, and exit codes (0 ok, 1 no route / failed check, 2 bad input).

use std::process::Command;

use serde_json::Value;

fn corridor(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor")).args(args).output().expect("run corridor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn route_json(args: &[&str]) -> Value {
    let mut all = vec!["route"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    // these tests are about the network and the constraints: shortest distance unless asked
    if !args.contains(&"--by") {
        all.extend_from_slice(&["--by", "distance"]);
    }
    let (code, out, err) = corridor(&all);
    assert_eq!(code, 0, "corridor {all:?} failed: {err}");
    serde_json::from_str(&out).expect("valid JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

#[test]
fn middle_corridor_almaty_istanbul_avoiding_ru_ir_crosses_caspian_and_georgia() {
    let r = route_json(&["Almaty", "Istanbul", "--avoid", "RU,IR"]);
    let countries = strings(&r["countries"]);
    assert!(!countries.iter().any(|c| c == "RU" || c == "IR"), "{countries:?}");
    assert!(countries.contains(&"AZ".to_string()) && countries.contains(&"GE".to_string()), "{countries:?}");
    // a Caspian crossing: a border into AZ by sea or ferry, from KZ or TM
    let caspian = r["borders"].as_array().unwrap().iter().any(|b| {
        b["to"] == "AZ" && (b["from"] == "KZ" || b["from"] == "TM") && (b["mode"] == "sea" || b["mode"] == "ferry")
    });
    assert!(caspian, "{}", r["borders"]);
    // stable top-level fields
    for f in ["distance_km", "countries", "passages", "borders", "legs"] {
        assert!(r.get(f).is_some(), "missing {f}");
    }
    let legs = r["legs"].as_array().unwrap();
    let sum: f64 = legs.iter().map(|l| l["distance_km"].as_f64().unwrap()).sum();
    assert!((sum - r["distance_km"].as_f64().unwrap()).abs() < 0.01);
    for l in legs {
        assert!(["rail", "road", "sea", "ferry", "transfer"].contains(&l["mode"].as_str().unwrap()));
        assert!(l["from"].is_string() && l["to"].is_string());
    }
}

#[test]
fn northern_rail_route_xian_duisburg() {
    let r = route_json(&["Xi'an", "Duisburg", "--modes", "rail"]);
    let countries = strings(&r["countries"]);
    for c in ["CN", "KZ", "RU", "BY", "PL", "DE"] {
        assert!(countries.contains(&c.to_string()), "{c} missing from {countries:?}");
    }
    let km = r["distance_km"].as_f64().unwrap();
    assert!((9000.0..10500.0).contains(&km), "{km}");
    assert!(r["legs"].as_array().unwrap().iter().all(|l| l["mode"] == "rail"));
}

#[test]
fn rail_only_without_russia_has_no_route_and_says_why() {
    let (code, _, err) = corridor(&["route", "Xi'an", "Duisburg", "--modes", "rail", "--avoid", "RU"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("reachable if RU is allowed"), "{err}");
}

#[test]
fn avoiding_ru_by_ir_takes_the_middle_corridor() {
    let r = route_json(&["Xian", "Duisburg", "--avoid", "RU,BY,IR"]);
    let countries = strings(&r["countries"]);
    assert!(!countries.iter().any(|c| ["RU", "BY", "IR"].contains(&c.as_str())), "{countries:?}");
    assert!(countries.contains(&"AZ".to_string()) && countries.contains(&"GE".to_string()), "{countries:?}");
}

#[test]
fn sea_routes_and_passages() {
    let suez = route_json(&["Shanghai", "Rotterdam", "--modes", "sea"]);
    let p = strings(&suez["passages"]);
    assert!(p.contains(&"suez".to_string()) && p.contains(&"malacca".to_string()), "{p:?}");
    let km = suez["distance_km"].as_f64().unwrap();
    // Shanghai-Rotterdam via Suez is about 10,500 nm (19,500 km)
    assert!((18500.0..20500.0).contains(&km), "{km}");
    assert!((suez["sea_nm"].as_f64().unwrap() * 1.852 - suez["sea_km"].as_f64().unwrap()).abs() < 1.0);
    let around = route_json(&["Shanghai", "Rotterdam", "--modes", "sea", "--avoid-passage", "suez"]);
    let p = strings(&around["passages"]);
    assert!(!p.contains(&"suez".to_string()), "{p:?}");
    assert!(around["distance_km"].as_f64().unwrap() > km);
    // the Arctic stays closed by default
    assert!(!p.iter().any(|x| x == "nsr" || x == "northwest"));
    // each Arctic route opens on its own: the Northern Sea Route alone is shorter than Suez
    let nsr = route_json(&["Shanghai", "Rotterdam", "--modes", "sea", "--allow-passage", "nsr"]);
    let p = strings(&nsr["passages"]);
    assert!(p.contains(&"nsr".to_string()) && !p.contains(&"northwest".to_string()), "{p:?}");
    assert!(nsr["distance_km"].as_f64().unwrap() < km);
    // the alias works like the label
    let red = route_json(&["Shanghai", "Rotterdam", "--modes", "sea", "--avoid-passage", "bab-el-mandeb"]);
    assert!(!strings(&red["passages"]).contains(&"babalmandab".to_string()));
}

#[test]
fn territorial_waters_are_an_option() {
    let open = route_json(&["Jebel Ali", "Mumbai", "--modes", "sea", "--avoid", "IR"]);
    assert!(strings(&open["passages"]).contains(&"ormuz".to_string()));
    let (code, _, err) =
        corridor(&["route", "Jebel Ali", "Mumbai", "--modes", "sea", "--avoid", "IR", "--avoid-waters"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("waters"), "{err}");
}

#[test]
fn imec_needs_planned_links() {
    let (code, _, err) = corridor(&["route", "Jebel Ali", "Haifa", "--modes", "rail"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--allow-planned"), "{err}");
    let r = route_json(&["Jebel Ali", "Haifa", "--modes", "rail", "--allow-planned"]);
    let countries = strings(&r["countries"]);
    for c in ["AE", "SA", "JO", "IL"] {
        assert!(countries.contains(&c.to_string()), "{countries:?}");
    }
    assert!(r["links"].as_array().unwrap().iter().any(|l| l["status"] == "planned"));
}

#[test]
fn via_points_are_visited_in_order() {
    let direct = route_json(&["Almaty", "Istanbul", "--avoid", "RU,IR"]);
    let via = route_json(&["Almaty", "Istanbul", "--avoid", "RU,IR", "--via", "Aktau port"]);
    assert!(via["distance_km"].as_f64().unwrap() >= direct["distance_km"].as_f64().unwrap() - 1.0);
    assert_eq!(via["via"].as_array().unwrap().len(), 1);
    // the order of the via places is the order of the visits: Baku then Aktau goes straight
    // across the Caspian; Aktau then Baku must cross it, come back and cross again
    let countries = |v: &Value| -> Vec<String> {
        v["countries"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect()
    };
    let ordered = route_json(&["Tbilisi", "Almaty", "--avoid", "RU,IR", "--via", "Baku", "--via", "Aktau port"]);
    let swapped = route_json(&["Tbilisi", "Almaty", "--avoid", "RU,IR", "--via", "Aktau port", "--via", "Baku"]);
    let names = |v: &Value| -> Vec<String> {
        v["via"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_string()).collect()
    };
    assert!(names(&ordered)[0].starts_with("Baku") && names(&ordered)[1].starts_with("Aktau"), "{:?}", names(&ordered));
    assert!(names(&swapped)[0].starts_with("Aktau") && names(&swapped)[1].starts_with("Baku"), "{:?}", names(&swapped));
    let c = countries(&ordered);
    assert_eq!(c[..3], ["GE", "AZ", "KZ"], "one crossing: {c:?}");
    assert_eq!(c.iter().filter(|x| *x == "AZ").count(), 1, "one crossing: {c:?}");
    let c = countries(&swapped);
    let first_kz = c.iter().position(|x| x == "KZ").unwrap();
    let last_az = c.iter().rposition(|x| x == "AZ").unwrap();
    assert!(first_kz < last_az, "Aktau is visited before Baku: {c:?}");
    let km = |v: &Value| v["distance_km"].as_f64().unwrap();
    assert!(km(&swapped) > km(&ordered) + 400.0, "{} vs {}", km(&swapped), km(&ordered));
}

#[test]
fn geojson_is_a_feature_collection_with_one_feature_per_leg() {
    let (code, out, err) = corridor(&["route", "Xi'an", "Duisburg", "--modes", "rail", "--format", "geojson"]);
    assert_eq!(code, 0, "{err}");
    let g: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let f = g["features"].as_array().unwrap();
    assert!(!f.is_empty());
    for feat in f {
        assert_eq!(feat["type"], "Feature");
        let c = &feat["geometry"]["coordinates"];
        let first = if feat["geometry"]["type"] == "LineString" { &c[0] } else { &c[0][0] };
        let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        assert!(feat["properties"]["mode"].is_string());
    }
}

#[test]
fn names_fold_accents_case_and_apostrophes() {
    let a = route_json(&["XI'AN", "Duisburg", "--modes", "rail"]);
    let b = route_json(&["xian", "Duisburg", "--modes", "rail"]);
    assert_eq!(a["distance_km"], b["distance_km"]);
    let c = route_json(&["34.27,108.93", "DEDUI", "--modes", "rail"]);
    assert!(c["distance_km"].as_f64().unwrap() > 9000.0);
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let (code, _, err) = corridor(&["route", "Almty", "Istanbul"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean") && err.contains("Almaty"), "{err}");
    for args in [
        vec!["route", "Almaty", "Istanbul", "--avoid", "XX"],
        vec!["route", "Almaty", "Istanbul", "--avoid", "Russia"],
        vec!["route", "Almaty", "Istanbul", "--modes", "boat"],
        vec!["route", "Almaty", "Istanbul", "--avoid-passage", "atlantis"],
        vec!["route", "95,10", "Istanbul"],
        vec!["route", "Almaty"],
        vec!["route", "Moscow", "Istanbul", "--avoid", "RU"],
        vec!["route", "40,-40", "Istanbul", "--modes", "rail"],
    ] {
        let (code, _, err) = corridor(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.trim().is_empty());
    }
}

#[test]
fn oversized_input_files_are_refused_not_read_forever() {
    // /dev/zero never ends: the reader stops at the cap and says so (exit 2)
    for args in [
        vec!["params", "--params", "/dev/zero"],
        vec!["route", "Almaty", "Istanbul", "--params", "/dev/zero"],
        vec!["scenario", "/dev/zero", "Almaty", "Istanbul"],
    ] {
        let (code, _, err) = corridor(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("larger than 64 MB"), "{args:?}: {err}");
    }
}

#[test]
fn validate_takes_an_override_file_for_calibration_experiments() {
    let dir = std::env::temp_dir().join(format!("corridor-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let slow = dir.join("one-driver.toml");
    std::fs::write(&slow, "[road]\ndriving_hours_per_day = 9\n").unwrap();
    let model_of = |args: &[&str], id: &str| -> f64 {
        let (code, out, err) = corridor(args);
        assert!(code == 0 || code == 1, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let check = v["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
        check["model"].as_f64().unwrap()
    };
    let id = "road_ulm_sha_days";
    let base = model_of(&["validate", "--format", "json"], id);
    let one_driver = model_of(&["validate", "--format", "json", "--params", slow.to_str().unwrap()], id);
    // the same kilometres driven 9 h a day instead of 11: the driving part takes 11/9 as long,
    // the borders as long as before
    assert!(one_driver > base * 1.15 && one_driver < base * 11.0 / 9.0 + 0.01, "{base} -> {one_driver}");
    let (code, _, err) = corridor(&["validate", "--params", "/nonexistent/p.toml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn table_output_names_legs_borders_and_attribution() {
    let (code, out, _) = corridor(&["route", "Almaty", "Istanbul", "--avoid", "RU,IR"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("countries") && out.contains("borders") && out.contains("© OpenStreetMap contributors"),
        "{out}"
    );
}

#[test]
fn network_check_passes_on_the_shipped_segments() {
    let (code, out, err) = corridor(&["network", "check"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("0 failed"));
}

#[test]
fn network_check_fails_on_a_broken_segment() {
    let dir = std::env::temp_dir().join(format!("corridor-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("segments.csv");
    // rail cannot cross the Caspian without ferries: must fail with exit 1
    std::fs::write(&f, "name,from,to,modes,avoid,max_detour,note\nAktau-Baku rail,Aktau port,Baku,rail,,2.0,\n")
        .unwrap();
    let (code, out, _) = corridor(&["network", "check", "--segments", f.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL"));
}

#[test]
fn network_info_states_sources_and_policy() {
    let (code, out, _) = corridor(&["network", "info", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["disputed_policy"].as_str().unwrap().contains("Crimea"));
    assert!(v["attribution"].as_str().unwrap().contains("OpenStreetMap"));
    assert!(v["sources"].as_array().unwrap().iter().any(|s| s["name"] == "scgraph-data" && s["version"] == "2.0.0"));
}

#[test]
fn critical_ranks_the_caspian_crossing_for_trade_avoiding_russia_and_iran() {
    let dir = std::env::temp_dir().join(format!("corridor-critical-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let od = dir.join("od.csv");
    std::fs::write(&od, "from,to,demand\nAlmaty,Istanbul,2\nTashkent,Tbilisi,1\n").unwrap();
    let (code, out, err) = corridor(&[
        "critical",
        "--od",
        od.to_str().unwrap(),
        "--avoid",
        "RU,IR",
        "--by",
        "distance",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    let ranking = v["ranking"].as_array().unwrap();
    assert!(!ranking.is_empty());
    for r in ranking {
        for key in ["kind", "id", "name", "country", "source"] {
            assert!(r[key].is_string(), "{key} in {r}");
        }
        // distance objective: removing an element never shortens a route
        assert!(r["extra_km"].as_f64().unwrap() >= 0.0, "{r}");
    }
    // Azerbaijan carries both flows (they start in KZ/UZ and end in TR/GE) and costs a detour or the flow
    let az = ranking.iter().find(|r| r["kind"] == "country" && r["id"] == "AZ").expect("AZ ranked");
    assert_eq!(az["flows_using"], 2);
    assert!(az["flows_lost"].as_u64().unwrap() > 0 || az["extra_km"].as_f64().unwrap() > 100.0, "{az}");
    let ranks: Vec<u64> = ranking.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=ranking.len() as u64).collect::<Vec<_>>());
    assert_eq!(v["network_version"].as_str().unwrap().len(), 16);
    // bad input exits 2
    assert_eq!(corridor(&["critical"]).0, 2);
    assert_eq!(corridor(&["critical", "--corridor", "nowhere"]).0, 2);
    std::fs::write(&od, "origin,destination\nA,B\n").unwrap();
    assert_eq!(corridor(&["critical", "--od", od.to_str().unwrap()]).0, 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_marks_corridors_without_an_allowed_mode_unavailable() {
    let (code, out, err) = corridor(&["compare", "Shanghai", "Rotterdam", "--modes", "sea", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().or_else(|| v["corridors"].as_array()).expect("rows");
    let northern = rows.iter().find(|r| r["id"] == "northern").expect("northern row");
    assert_eq!(northern["available"], false, "{northern}");
    assert!(northern["status"].as_str().unwrap().contains("excluded by the modes allowed"), "{northern}");
}

/// Each command accepts only the formats it can write: anything else is a usage error (exit 2)
/// that lists the command's formats, never another format's output.
#[test]
fn unsupported_formats_are_usage_errors() {
    for (args, listed) in [
        (vec!["places", "khorg", "--format", "csv"], "table, json"),
        (vec!["route", "Baku", "Tbilisi", "--format", "csv"], "table, json, geojson"),
        (vec!["compare", "Baku", "Tbilisi", "--format", "geojson"], "table, json, csv"),
        (vec!["params", "--format", "csv"], "table, json"),
        (vec!["validate", "--format", "geojson"], "table, json"),
        (vec!["network", "info", "--format", "csv"], "table, json"),
    ] {
        let (code, out, err) = corridor(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert!(err.contains(&format!("[possible values: {listed}]")), "{args:?}: {err}");
    }
}

/// Two distinct places that attach to the same network point have no route between them: the
/// answer says so (exit 1) instead of "0 km", and a matrix leaves the cell empty; the same place
/// twice is still a 0 km answer.
#[test]
fn distinct_places_on_one_network_point_are_no_route() {
    let (code, out, err) = corridor(&["route", "40.2,53.6", "39.9,54.1", "--modes", "sea"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("attach to the same network point"), "{err}");
    let (code, out, err) =
        corridor(&["matrix", "--from", "40.2,53.6", "--to", "39.9,54.1;40.2,53.6", "--modes", "sea"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[1].ends_with(','), "empty cell: {out}");
    assert!(rows[2].ends_with(",0"), "same place: {out}");
}
