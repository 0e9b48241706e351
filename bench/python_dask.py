"""Throughput of corridor.dask.route_many on a dask.distributed LocalCluster against the native
batch (the same routes in one process on Rust threads: no Dask, no pandas), on random
origin/destination pairs with an exclusion set, for 1 and 2 workers (threads). Also a matrix.
Not run in CI.

    python bench/python_dask.py --pairs 100000 --avoid RU,BY
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
    ap.add_argument("--workers", default="1,2", help="worker counts to measure (one thread each)")
    ap.add_argument("--min-population", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--matrix", type=int, default=60, help="N x N matrix (0: skip)")
    args = ap.parse_args()

    p = corridor.Planner()
    avoid = set(args.avoid.split(",")) if args.avoid else set()
    # places outside the avoided countries (an origin inside one is bad input, answered at once)
    places = sorted({f"{x['name']}, {x['country']}" for x in p.places()
                     if x.get("population", 0) >= args.min_population and x["country"] not in avoid})
    rng = random.Random(args.seed)
    pairs = pd.DataFrame([(rng.choice(places), rng.choice(places)) for _ in range(args.pairs)], columns=["from", "to"])
    out = {"pairs": args.pairs, "places": len(places), "avoid": args.avoid, "cores": os.cpu_count(),
           "load_before": os.getloadavg()[0]}
    report = lambda: print(json.dumps(out), flush=True)  # noqa: E731

    from distributed import Client, LocalCluster

    reference = None
    for n in [int(x) for x in args.workers.split(",")]:
        t = time.perf_counter()
        rows = p.route_rows(zip(pairs["from"], pairs["to"]), avoid=args.avoid, threads=n)
        native = time.perf_counter() - t
        out[f"native_{n}_s"] = round(native, 2)
        out[f"native_{n}_routes_per_s"] = round(args.pairs / native, 1)
        out["ok"] = sum(r[-1] == "ok" for r in rows)
        reference = reference or rows
        report()

        t = time.perf_counter()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
        cd.route_many(pairs.iloc[: 4 * n])  # the workers open their planner
        out[f"dask_{n}_start_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        got = cd.route_many(pairs, avoid=args.avoid)
        dask_s = time.perf_counter() - t
        out[f"dask_{n}_s"] = round(dask_s, 2)
        out[f"dask_{n}_routes_per_s"] = round(args.pairs / dask_s, 1)
        out[f"dask_{n}_over_native"] = round(dask_s / native, 3)
        same = [tuple(None if pd.isna(v) else v for v in r) for r in got[cd.ROUTE_COLUMNS].itertuples(index=False)]
        out[f"dask_{n}_equals_native"] = same == [tuple(r) for r in reference]
        report()
        if args.matrix and n == max(int(x) for x in args.workers.split(",")):
            ok = list(dict.fromkeys(r[0] for r in rows if r[-1] == "ok"))
            o, d = ok[: args.matrix], ok[-args.matrix:]
            t = time.perf_counter()
            m1 = p.matrix(o, d, avoid=args.avoid, threads=n)
            out["matrix"] = f"{len(o)}x{len(d)}"
            out["matrix_native_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            m2 = cd.matrix(o, d, avoid=args.avoid)
            out["matrix_dask_s"] = round(time.perf_counter() - t, 2)
            out["matrix_equal"] = m1 == m2
            report()
        client.close()
        cluster.close()
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
