"""Throughput of corridor.dask.route_many on a dask.distributed LocalCluster against the native
batch (the same routes in one process on Rust threads, no Dask, no pandas), on random
origin/destination pairs with an exclusion set. Also the matrix. Not run in CI.

    python bench/python_dask.py --pairs 100000 --avoid RU,BY --workers 2
"""

import argparse
import json
import os
import random
import time

import pandas as pd

import corridor
import corridor.dask as cd


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=20000)
    ap.add_argument("--avoid", default="RU,BY")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--min-population", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--matrix", type=int, default=100, help="N x N matrix (0: skip)")
    ap.add_argument("--skip-native", action="store_true")
    args = ap.parse_args()

    p = corridor.Planner()
    places = sorted({f"{x['name']}, {x['country']}" for x in p.places() if x.get("population", 0) >= args.min_population})
    rng = random.Random(args.seed)
    pairs = pd.DataFrame([(rng.choice(places), rng.choice(places)) for _ in range(args.pairs)], columns=["from", "to"])
    out = {"pairs": args.pairs, "places": len(places), "avoid": args.avoid, "workers": args.workers,
           "cores": os.cpu_count()}

    if not args.skip_native:
        t = time.perf_counter()
        rows = p.route_rows(zip(pairs["from"], pairs["to"]), avoid=args.avoid, threads=args.workers)
        native = time.perf_counter() - t
        out["native_s"] = round(native, 2)
        out["native_routes_per_s"] = round(args.pairs / native, 1)
        out["ok"] = sum(r[-1] == "ok" for r in rows)

    from distributed import Client, LocalCluster

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    client = Client(cluster)
    cd.route_many(pairs.iloc[: 2 * args.workers], avoid=args.avoid)  # workers open their planner
    out["cluster_start_and_open_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    got = cd.route_many(pairs, avoid=args.avoid)
    dask_s = time.perf_counter() - t
    out["dask_s"] = round(dask_s, 2)
    out["dask_routes_per_s"] = round(args.pairs / dask_s, 1)
    if not args.skip_native:
        out["dask_over_native"] = round(dask_s / native, 3)
        same = [tuple(None if pd.isna(v) else v for v in r) for r in got[cd.ROUTE_COLUMNS].itertuples(index=False)]
        out["dask_equals_native"] = same == [tuple(r) for r in rows]

    if args.matrix:
        o, d = places[: args.matrix], places[-args.matrix:]
        t = time.perf_counter()
        m1 = p.matrix(o, d, avoid=args.avoid, threads=args.workers)
        out["matrix_native_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        m2 = cd.matrix(o, d, avoid=args.avoid)
        out["matrix_dask_s"] = round(time.perf_counter() - t, 2)
        out["matrix_equal"] = m1 == m2
    client.close()
    cluster.close()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
