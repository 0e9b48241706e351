//! The `corridor gas` commands end to end: exit codes, JSON shapes, the QA check, validation,
//! exclusions and scenarios, on the embedded gas network.

use std::process::Command;

use serde_json::Value;

fn corridor(args: &[&str]) -> (u8, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_corridor")).args(args).output().expect("run corridor");
    (
        out.status.code().unwrap_or(255) as u8,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = corridor(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).expect("JSON output")
}

fn max(v: &Value) -> f64 {
    v["max_bcm"].as_f64().unwrap()
}

#[test]
fn gas_network_check_passes_and_names_the_known_pipelines() {
    let (code, out, err) = corridor(&["gas", "network", "check"]);
    assert_eq!(code, 0, "{out}{err}");
    for name in
        ["SCP", "TANAP", "TAP", "IGB", "TurkStream", "Blue Stream", "Trans-Med", "Medgaz", "Greenstream", "Langeled"]
    {
        assert!(out.contains(name), "{name} missing from the check");
    }
}

#[test]
fn gas_flow_cut_equals_maximum_and_paths_add_up() {
    let v = json(&["gas", "flow", "--from", "AZ", "--to", "EU", "--avoid", "RU,IR", "--format", "json"]);
    let f = |c: &Value, k: &str| c[k].as_f64().unwrap();
    // the cut less what the committed offtakes take of it
    let cut: f64 = v["cut"].as_array().unwrap().iter().map(|c| f(c, "capacity") - f(c, "reserved")).sum();
    let paths: f64 = v["paths"].as_array().unwrap().iter().map(|p| p["flow"].as_f64().unwrap()).sum();
    assert!((cut - max(&v)).abs() < 1e-6 && (paths - max(&v)).abs() < 1e-6);
    // Azerbaijani gas reaches the EU through the SCP
    let text = v["paths"].to_string();
    assert!(text.contains("SCP"), "{text}");
    // Turkey's and Georgia's contracts are served first, and said so
    let reserved = v["reserved"].as_array().unwrap();
    assert!(reserved.iter().any(|r| r["offtaker"] == "TR") && reserved.iter().any(|r| r["offtaker"] == "GE"));
    let served: f64 = reserved.iter().map(|r| f(r, "served")).sum();
    let az = &v["supply"][0];
    assert!((f(az, "sent") - served - max(&v)).abs() < 1e-6 && f(az, "sent") <= f(az, "cap") + 1e-9, "{az}");
    let (_, table, _) = corridor(&["gas", "flow", "--from", "AZ", "--to", "EU", "--avoid", "RU,IR"]);
    assert!(table.contains("reserved first for committed offtakes") && table.contains("TR 9.3"), "{table}");
    // the pure physical question: the whole SCP
    let p = json(&[
        "gas",
        "flow",
        "--from",
        "AZ",
        "--to",
        "EU",
        "--avoid",
        "RU,IR",
        "--no-reserve",
        "--no-supply-cap",
        "--format",
        "json",
    ]);
    assert!((max(&p) - 23.4).abs() < 1e-6 && p["reserved"].as_array().unwrap().is_empty(), "{p}");
    assert!(max(&p) > max(&v));
}

#[test]
fn gas_without_the_bottleneck_the_maximum_drops() {
    // the infrastructure question (Azerbaijan's availability is the bottleneck otherwise)
    let phys = ["--no-reserve", "--no-supply-cap"];
    let v = json(
        &[&["gas", "flow", "--from", "AZ", "--to", "IT", "--avoid", "RU,IR", "--format", "json"][..], &phys].concat(),
    );
    let name = v["cut"][0]["name"].as_str().unwrap().to_string();
    assert_eq!(name, "TAP", "TAP is the largest way into Italy for Azerbaijani gas");
    let w = json(
        &[
            &["gas", "flow", "--from", "AZ", "--to", "IT", "--avoid", "RU,IR", "--without", &name, "--format", "json"]
                [..],
            &phys,
        ]
        .concat(),
    );
    assert!(max(&w) < max(&v));
    // what is left reaches Italy over land (the Balkans and Austria), never through TAP
    assert!(!w["paths"].to_string().contains("\"TAP\""), "{}", w["paths"]);
    assert!(w["paths"].to_string().contains("Arnoldstein"), "{}", w["paths"]);
}

#[test]
fn gas_avoid_removes_flows_through_a_country() {
    let base = json(&["gas", "flow", "--from", "AZ", "--to", "EU", "--format", "json"]);
    assert!(base["paths"].to_string().contains("\"TR\""));
    let v = json(&["gas", "flow", "--from", "AZ", "--to", "EU", "--avoid", "TR", "--format", "json"]);
    assert!(!v["paths"].to_string().contains("\"TR\""));
    assert!(max(&v) < max(&base));
}

#[test]
fn gas_no_flow_is_not_an_error_but_bad_input_is() {
    let (code, out, _) = corridor(&["gas", "flow", "--from", "LY", "--to", "GE", "--avoid", "RU"]);
    assert_eq!(code, 0);
    assert!(out.contains("0.00 bcm/y"), "{out}");
    for (args, hint) in [
        (vec!["gas", "flow", "--from", "AZ", "--to", "Itlay"], "Italy"),
        (vec!["gas", "flow", "--from", "Qatar", "--to", "EU"], "not a gas supplier"),
        (vec!["gas", "flow", "--from", "AZ", "--to", "EU", "--without", "Turkstrem"], "TurkStream"),
        (vec!["gas", "flow", "--from", "AZ", "--to", "AZ"], "both a supplier and a destination"),
        (vec!["gas", "security", "--avoid", "XX"], "unknown country"),
    ] {
        let (code, _, err) = corridor(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(hint), "{args:?}: {err}");
    }
}

#[test]
fn gas_security_reports_n1_and_coverage_without_russia() {
    let v = json(&["gas", "security", "--format", "json"]);
    assert_eq!(v["without_suppliers"], serde_json::json!(["RU"]));
    let rows = v["countries"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["code"] != "RU"), "the excluded supplier has no row");
    let tr = rows.iter().find(|r| r["code"] == "TR").unwrap();
    let n1 = &tr["n1"];
    let f = |k: &str| n1[k].as_f64().unwrap();
    let expect = (f("epm") + f("pm") + f("sm") + f("lngm") - f("im")) / f("dmax") * 100.0;
    assert!((f("percent") - expect).abs() < 1e-6);
    let csv = corridor(&["gas", "security", "--country", "EU", "--format", "csv"]).1;
    assert_eq!(csv.lines().count(), 28, "header + 27 member states");
    assert!(csv.lines().next().unwrap().ends_with("dmax,dmax_estimated,note"));
    // estimated Dmax is flagged; missing demand is said, not shown as 0
    let de = rows.iter().find(|r| r["code"] == "DE").unwrap();
    assert_eq!(de["n1"]["dmax_estimated"], true);
    let si = rows.iter().find(|r| r["code"] == "SI").unwrap();
    assert!(si["demand"].is_null() && si["covered_pct"].is_null() && si["note"].is_string());
    let (_, table, _) = corridor(&["gas", "security", "--country", "SI,IE"]);
    assert!(table.contains("~") && table.contains("notes:") && table.contains("SI: demand not found"), "{table}");
}

#[test]
fn gas_scenarios_run_and_expansions_raise_the_maximum() {
    for f in ["gas-southern-corridor-20", "gas-trans-caspian", "gas-turkstream-cut", "gas-eastmed"] {
        let path = format!("{}/../../examples/scenarios/{f}.toml", env!("CARGO_MANIFEST_DIR"));
        let v = json(&["gas", "scenario", &path, "--format", "json"]);
        assert!(!v["flows"].as_array().unwrap().is_empty(), "{f}");
        if f != "gas-turkstream-cut" {
            for q in v["flows"].as_array().unwrap() {
                assert!(max(&q["after"]) > max(&q["before"]), "{f}: {q}");
            }
        }
    }
}

#[test]
fn gas_validation_has_no_unexplained_gap() {
    let (code, out, err) = corridor(&["gas", "validate"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 unexplained"));
    // the published N-1 rows are there: a value (Austria) and two published failures
    let v = json(&["gas", "validate", "--format", "json"]);
    let kinds: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"n1") && kinds.iter().filter(|k| **k == "n1_below").count() >= 2, "{kinds:?}");
}
