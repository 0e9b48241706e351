#!/usr/bin/env python3
"""Fit `sea.speed_knots`, the ocean liner's schedule speed with its intermediate calls, to
published port-to-port transit times (ETD to ETA) of liner services
(docs/research/liner_transit_times.csv): each pair's distance on the network's sea lanes
(`corridor route A B --modes sea --by distance`, round the Cape for the rows that say so) over the
published hours less the canal transit. Printed per lane: the Asia and South Asia - Europe rows (the
fit, with the reference string of sea.speed_knots' first source: 10,600 nm in 32-35 days with 5-10
calls) and the Far East - Gulf/India rows (the check: short hops with many calls).
Also printed: the time per intermediate call that would explain the published times at the
sailing speed of 16 knots.

Usage: scripts/fit_sea_schedule_speed.py [target/release/corridor]
"""
import csv
import json
import statistics
import subprocess
import sys

ROWS = "docs/research/liner_transit_times.csv"
REFERENCE = (10600.0, 33.5 * 24 - 11.0)  # porteconomicsmanagement.org: 32-35 d, Suez (canal ~11 h)
SAILING_KNOTS = 16.0


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/corridor"
    lanes = {"europe": [], "asia": []}
    per_call = []
    print(f"{'id':<6} {'from':<6} {'to':<6} {'route':<5} {'nm':>6} {'days':>5} {'calls':>5} {'knots':>6}")
    for r in csv.DictReader(open(ROWS, encoding="utf-8")):
        cmd = [binary, "route", r["from_locode"], r["to_locode"], "--modes", "sea", "--by", "distance", "--format", "json"]
        if r["route"] == "cape":
            cmd += ["--avoid-passage", "suez"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print(f"{r['id']} skipped: {p.stderr.strip()[:90]}", file=sys.stderr)
            continue
        d = json.loads(p.stdout)
        nm = d["sea_nm"]
        canal = sum(x["hours"] for x in d["dwell"] if x["kind"] == "canal")
        hours = float(r["days"]) * 24 - canal
        calls = len([c for c in r["calls_between"].split(";") if c.strip()])
        lanes["europe" if r["route"] in ("suez", "cape") else "asia"].append((nm, hours))
        per_call.append((calls, hours - nm / SAILING_KNOTS))
        print(f"{r['id']:<6} {r['from_locode']:<6} {r['to_locode']:<6} {r['route']:<5} {nm:>6.0f} {r['days']:>5} "
              f"{calls:>5} {nm / hours:>6.1f}")
    lanes["europe"].append(REFERENCE)
    for name, rows in (("Asia/South Asia - Europe + reference (fit)", lanes["europe"]),
                       ("Far East - Gulf/India (check)", lanes["asia"])):
        knots = [nm / h for nm, h in rows]
        print(f"{name}: {len(rows)} rows, ratio of sums {sum(n for n, _ in rows) / sum(h for _, h in rows):.1f} kn, "
              f"median {statistics.median(knots):.1f}")
    calls = sum(c for c, _ in per_call)
    print(f"at {SAILING_KNOTS} kn: {sum(h for _, h in per_call) / calls:.0f} h per intermediate call ({calls} calls)")


if __name__ == "__main__":
    main()
