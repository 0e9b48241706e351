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
    let sealed = corridor_fuzz::reseal(data);
    // bytes that are already sealed are decoded once, below
    if sealed.as_deref() != Some(data) {
        if let Ok(net) = decode(data, Verify::Checksums) {
            corridor_fuzz::exercise_network(&net, true);
        }
    }
    if let Some(sealed) = sealed {
        let full = decode(&sealed, Verify::Checksums);
        // the stamped reading (index checks only) always runs; its network is searched when the
        // full validation refused the file (what it accepts, the stamped reading accepts too)
        let stamped = decode(&sealed, Verify::HeaderOnly);
        match (full, stamped) {
            (Ok(_), Err(e)) => panic!("the full validation accepted a file the stamped reading refused: {e}"),
            (Ok(net), Ok(_)) => corridor_fuzz::exercise_network(&net, true),
            (Err(_), Ok(net)) => corridor_fuzz::exercise_network(&net, false),
            (Err(_), Err(_)) => {}
        }
    }
});
