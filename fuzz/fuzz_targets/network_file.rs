//! The network file decoder (`corridor::network::format::decode`): any bytes are an error or a
//! validated network on which every search ends.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // a small bound on the decompressed payload: a frame that expands without end is an error
    if let Ok(net) = corridor::network::format::decode_with_limit(data, 16 << 20) {
        corridor_fuzz::exercise_network(&net, true);
    }
});
