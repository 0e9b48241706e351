//! Writes the seed inputs of every fuzz target into `corpus/<target>/` (run from `fuzz/`:
//! `RUSTFLAGS="--cfg fuzzing" cargo run --release --example seeds`, with the cfg that cargo-fuzz
//! builds the targets with, so that the raw cache has their lookup-grid layout): the shipped
//! scenario, parameter and OD files, the small network's `.cnet`, raw cache and engine file, place
//! queries and API requests.

use std::path::Path;

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn copy_dir(target: &str, dir: &str, ext: &str) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) == Some(ext) {
            write(target, p.file_name().unwrap().to_str().unwrap(), &std::fs::read(&p).unwrap());
        }
    }
}

fn main() {
    copy_dir("scenario_toml", "../examples/scenarios", "toml");
    copy_dir("params_toml", "../data/params/markets", "toml");
    write("params_toml", "override.toml", b"[sea]\nspeed_knots = 17.5\n[road]\ndriving_hours_per_day = 9\n");
    copy_dir("od_csv", "../data/od", "csv");
    write("od_csv", "bom.csv", "\u{feff}from,to,demand\nAlmaty,Istanbul,120\n\"Brest, BY\",Duisburg,1e3\n".as_bytes());
    for (i, q) in
        ["Almaty", "41.01,28.97", "NLRTM", "Brest, BY", "Xi'an", "  khorgos gateway ", "-33.9,18.4", "Baku/Alat"]
            .iter()
            .enumerate()
    {
        write("place_query", &format!("q{i}"), q.as_bytes());
    }
    write("network_file", "small.cnet", &corridor_fuzz::small_network_file());
    let net = corridor_fuzz::small_network();
    write("raw_cache", "small.raw", &corridor::network::format::encode_raw(net).unwrap());
    let planner = corridor_fuzz::small_planner();
    let prepared = corridor::prepared::Prepared::build(planner, &|_| {});
    write("engine_file", "small.cch", &prepared.to_bytes(planner));
    let requests: [&[u8]; 6] = [
        b"\x00from=Almaty&to=Istanbul&avoid=RU,IR&by=time",
        b"\x00from=Shanghai&to=Rotterdam&avoid_passage=suez&modes=sea&alternatives=2&geometry=true",
        b"\x00from=Xi%27an&to=Duisburg&via=Aktau%20port;Baku&allow_planned=true&market=red-sea-2024",
        b"\x01{\"from\":\"Almaty\",\"to\":\"Istanbul\",\"avoid\":[\"RU\",\"IR\"],\"modes\":\"rail,ferry\"}",
        b"\x01{\"from\":\"Almaty;Baku\",\"to\":[\"Istanbul\"],\"scenario\":\"[close]\\ncountries = [\\\"RU\\\"]\\n\"}",
        b"\x01{\"od\":\"from,to\\nAlmaty,Istanbul\\n\",\"corridor\":\"middle\",\"scenario\":{\"close\":{\"passages\":[\"suez\"]}}}",
    ];
    for (i, r) in requests.iter().enumerate() {
        write("http_request", &format!("r{i}"), r);
    }
}
