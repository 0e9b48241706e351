//! Origin/destination files (`corridor::od::parse`, CSV `from,to[,demand]`): any text is an
//! error or pairs with finite, non-negative demands.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(pairs) = corridor::od::parse(text, "fuzz") {
        for p in &pairs {
            let w = p.weight();
            assert!(w.is_finite() && w >= 0.0, "demand {w}");
        }
    }
});
