//! Scenario files (`Scenario::parse`, TOML) applied to the small network (its countries TR and GE,
//! ports Alpha and Beta, link ferry_a_b): any text is an error or a scenario whose changes apply
//! without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(s) = corridor::scenario::Scenario::parse(text, "fuzz") {
        let _ = s.fingerprint();
        let planner = corridor_fuzz::small_planner();
        static CAPACITIES: std::sync::OnceLock<corridor::capacity::CapacityFile> = std::sync::OnceLock::new();
        let caps = CAPACITIES.get_or_init(corridor::capacity::CapacityFile::shipped);
        let _ = s.apply(planner, caps);
    }
});
