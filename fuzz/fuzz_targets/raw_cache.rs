//! The raw network cache decoder (`decode_raw_with`): the bytes as given (checksums verified:
//! almost always an error) and re-sealed with fresh checksums, read both with every checksum and
//! full validation and as a stamped file (index checks only). Any bytes are an error or a
//! network on which the searches and lookups end without panicking.
#![no_main]
use std::sync::Arc;

use corridor::col::Verify;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decode = |b: &[u8], v: Verify| corridor::network::format::decode_raw_with(Arc::new(b.to_vec()), v);
    if let Ok(net) = decode(data, Verify::Checksums) {
        corridor_fuzz::exercise_network(&net, true);
    }
    if let Some(sealed) = corridor_fuzz::reseal(data) {
        if let Ok(net) = decode(&sealed, Verify::Checksums) {
            corridor_fuzz::exercise_network(&net, true);
        }
        if let Ok(net) = decode(&sealed, Verify::HeaderOnly) {
            corridor_fuzz::exercise_network(&net, false);
        }
    }
});
