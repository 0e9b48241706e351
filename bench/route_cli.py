#!/usr/bin/env python3
"""End-to-end benchmark of `corridor route`: process start, loading the embedded network, one world
query, output. Reports per query the median and max wall time over repeats and the peak resident
memory (from wait4's rusage), then the medians over all queries.

Usage: python3 bench/route_cli.py [--bin target/release/corridor] [--repeat 5]
       python3 bench/route_cli.py --bin NEW --cache DIR --against OLD --against-cache DIR2
With --against, the two binaries (each on the engine cache it prepared, $CORRIDOR_CACHE) run
interleaved, query by query and repeat by repeat, so the machine's drift hits both alike; the
table gives both medians and their ratio (new / old).
Targets (issue 2): under 1 s and under 1.5 GB per call on the 2-core reference machine.
"""
import argparse, os, statistics, subprocess, sys, time

QUERIES = [
    ["Almaty", "Istanbul", "--avoid", "RU,IR"],
    ["Shanghai", "Rotterdam", "--modes", "sea", "--avoid-passage", "suez"],
    ["Xi'an", "Duisburg", "--modes", "rail"],
    ["Lisbon", "Vladivostok"],
    ["Mumbai", "Hamburg", "--avoid", "IR"],
    ["Cape Town", "Helsinki", "--avoid", "RU,BY"],
    # the backhaul of the Asia-Europe trade (sea freight at sea.backhaul_factor)
    ["Rotterdam", "Shanghai"],
    ["Duisburg", "Xi'an"],
    # the Europe -> Indian subcontinent backhaul (sea.backhaul_factor_south_asia), priced apart
    # from the headhaul only in the crisis and latest markets
    ["Rotterdam", "Mumbai", "--market", "red-sea-2024"],
    ["Genoa", "Karachi", "--market", "latest", "--modes", "sea"],
    # short sea (shortsea.*) and the other objectives
    ["Barcelona", "Piraeus", "--modes", "sea", "--by", "time"],
    ["Istanbul", "Munich", "--by", "co2"],
]


def run(cmd, cache=None):
    env = dict(os.environ, CORRIDOR_CACHE=cache) if cache else None
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode()
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} exited {code}: {err}")
    return wall, ru.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="target/release/corridor")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cache", help="engine cache of --bin (default: $CORRIDOR_CACHE)")
    ap.add_argument("--against", help="a second binary (the baseline), run interleaved with --bin")
    ap.add_argument("--against-cache", help="engine cache of --against")
    args = ap.parse_args()
    if args.against:
        side_by_side(args)
        return
    run([args.bin, "route", *QUERIES[0]])  # warm the page cache
    medians, peaks = [], []
    print(f"{'query':<58} {'median s':>9} {'max s':>7} {'peak MB':>8}")
    for q in QUERIES:
        walls, rss = zip(*(run([args.bin, "route", *q, "--format", "json"]) for _ in range(args.repeat)))
        m = statistics.median(walls)
        medians.append(m)
        peaks.append(max(rss))
        print(f"{' '.join(q):<58} {m:>9.3f} {max(walls):>7.3f} {max(rss):>8.0f}")
    print(f"{'all queries':<58} {statistics.median(medians):>9.3f} {max(medians):>7.3f} {max(peaks):>8.0f}")
    print(f"machine: {os.cpu_count()} cores; repeats {args.repeat}; binary {args.bin}")


def side_by_side(args):
    """Both binaries, interleaved per repeat; medians per query, then the median of the medians."""
    pair = [(args.bin, args.cache), (args.against, args.against_cache)]
    for b, c in pair:
        run([b, "route", *QUERIES[0]], c)  # warm each binary's page cache
    print(f"{'query':<58} {'new s':>7} {'old s':>7} {'ratio':>6} {'new MB':>7} {'old MB':>7}")
    med = ([], [])
    peak = ([], [])
    for q in QUERIES:
        walls = ([], [])
        rss = ([], [])
        for _ in range(args.repeat):
            for k, (b, c) in enumerate(pair):
                w, r = run([b, "route", *q, "--format", "json"], c)
                walls[k].append(w)
                rss[k].append(r)
        m = [statistics.median(w) for w in walls]
        for k in (0, 1):
            med[k].append(m[k])
            peak[k].append(max(rss[k]))
        print(f"{' '.join(q):<58} {m[0]:>7.3f} {m[1]:>7.3f} {m[0] / m[1]:>6.2f} {max(rss[0]):>7.0f} {max(rss[1]):>7.0f}")
    a, b = statistics.median(med[0]), statistics.median(med[1])
    print(f"{'all queries (median of medians)':<58} {a:>7.3f} {b:>7.3f} {a / b:>6.2f} {max(peak[0]):>7.0f} {max(peak[1]):>7.0f}")
    print(f"machine: {os.cpu_count()} cores; repeats {args.repeat}; new {args.bin}; old {args.against}")


if __name__ == "__main__":
    main()
