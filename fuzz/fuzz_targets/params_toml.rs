//! Parameter files: user overrides (`--params`), market states and whole parameter files (TOML);
//! any text is an error or parameters whose cost model and search weights build without
//! panicking.
#![no_main]
use corridor::model::cost::{CostModel, Objective};
use corridor::model::params::Params;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // the three readers below start with the same TOML parse: a text that is not TOML (most
    // mutations) is an error in each, from the toml crate, so one parse sets it aside
    if text.parse::<toml::Table>().is_err() {
        return;
    }
    let net = corridor_fuzz::small_network();
    // the shipped parameters, parsed once (parsing them is most of an execution otherwise)
    static DEFAULTS: std::sync::OnceLock<Params> = std::sync::OnceLock::new();
    let defaults = DEFAULTS.get_or_init(Params::defaults);
    let mut results = vec![];
    let mut p = defaults.clone();
    results.push(p.apply_overrides(text, "fuzz").map(|_| p));
    let mut p = defaults.clone();
    results.push(p.apply_market(text).map(|_| p));
    results.push(Params::parse(text));
    for p in results.into_iter().flatten() {
        let cost = CostModel::new(net, &p);
        for o in [Objective::Time, Objective::Cost, Objective::Co2] {
            let _ = cost.weights(net, o);
        }
    }
});
