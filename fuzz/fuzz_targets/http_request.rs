//! The HTTP API's request parameters (`corridor::request::Request`), as `corridor serve` reads
//! them: a query string (serde_urlencoded, as axum's `Query`) when the first byte is even, a
//! JSON body otherwise; then the checks every endpoint makes (fields refused, constraints,
//! objective, places resolved on the small network, an inline scenario or OD text parsed). Any input is an error or a
//! checked query, never a panic.
#![no_main]
use corridor::request::{list, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let req: Request = if mode % 2 == 0 {
        match serde_urlencoded::from_bytes(rest) {
            Ok(r) => r,
            Err(_) => return,
        }
    } else {
        match serde_json::from_slice(rest) {
            Ok(r) => r,
            Err(_) => return,
        }
    };
    let planner = corridor_fuzz::small_planner();
    let _ = req.refuse("route", &[]);
    let _ = req.objective();
    if let Ok(c) = req.constraints() {
        let _ = planner.restrictions(&c);
    }
    let places = &planner.net().meta.places;
    for field in ["from", "to"] {
        for p in req.places(field).unwrap_or_default().iter().take(4) {
            let _ = planner.gazetteer().resolve(places, p);
        }
    }
    for v in list(&req.via, ';').iter().take(4) {
        let _ = planner.gazetteer().resolve(places, v);
    }
    match &req.scenario {
        Some(serde_json::Value::String(text)) => {
            let _ = corridor::scenario::Scenario::parse(text, "fuzz");
        }
        Some(v) => {
            let _ = corridor::scenario::Scenario::from_json(v, "fuzz");
        }
        None => {}
    }
    if let Some(od) = &req.od {
        let _ = corridor::od::parse(od, "fuzz");
    }
});
