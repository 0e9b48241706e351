//! Place queries on a gazetteer (the small network's: the same code as the world's, at fuzzing
//! speed; the world's suggestion search costs milliseconds per input): coordinates (`lat,lon`), UN/LOCODEs, names and
//! `name, CC`, suggestions and type-ahead completion; any text is an error or a place.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    let _ = corridor::places::parse_coordinate(q);
    let planner = corridor_fuzz::small_planner();
    let places = &planner.net().meta.places;
    let g = planner.gazetteer();
    if let Ok(r) = g.resolve(places, q) {
        assert!(r.point.lat.is_finite() && r.point.lon.is_finite());
    }
    if q.len() <= 64 {
        let _ = g.complete(places, q, 8);
    }
});
