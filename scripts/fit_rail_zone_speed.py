#!/usr/bin/env python3
"""Fit the container-train speed of a rail speed zone (`rail.speed_<zone>_km_per_day`) to published
running times of regular trains that cross it:
  - `see` (South-East Europe: Bulgaria, Romania, Greece, Croatia, the Western Balkans): Turkey-Central
    Europe services (docs/research/btk_turkey_rail_times.csv) and the Piraeus, Curtici and Arad
    services of the European intermodal research (docs/research/eu_intermodal_train_times.csv);
  - `caucasus` (Azerbaijan, Georgia, Armenia): the regular Kars-Baku, Baku port-Boyuk Kesik and
    Poti-Baku times (docs/research/btk_turkey_rail_times.csv).

Each row is routed by rail on the network (`corridor route FROM TO --modes rail`, the default
objective) at two zone speeds (`--params`). A route's days are A + B / v: A everything that does
not depend on the zone's speed (borders, gauge changes, the other zones' running time), B the
zone's km. Solving the two runs for A and B per row, the fit is the v at which the model's days
sum to the published days (ratio of sums) over the rows kept:
  - not in data/validation/published.csv (rail_cgn_ist_days repeats btr_koln_cerkezkoy_5_6d);
  - a running time of a regular service: an operator's average or its timetable's running time
    (`average`, `departure_arrival`, `planned` with a stated running time, `unclear`); no first
    runs, records or day-A-to-day-C promises.
Printed: each row's A, B, published days and the v that would match it alone; the fit over all
rows, and without the row named in LEAVE_ONE_OUT (the zone's most doubtful figure).

Usage: scripts/fit_rail_zone_speed.py see|caucasus [target/release/corridor]   (set CORRIDOR_CACHE)
"""
import statistics
import sys

from fitlib import route_with

# (id, from, to, published days) per zone: places as the gazetteer knows them
ZONES = {
    "see": [
        ("btr_halkali_budapest_3d", "Halkali", "Budapest", 3.0),
        ("btr_halkali_de_border_98h", "Halkali", "Passau", 98 / 24),
        ("btr_halkali_dunajska_4_5d", "Halkali", "Dunajská Streda", 4.5),
        ("btr_halkali_kolin_4d", "Halkali", "Kolín", 4.0),
        ("btr_bratislava_istanbul_5d", "Bratislava", "Izmit", 5.0),
        ("btr_giengen_cerkezkoy_7d", "Giengen an der Brenz", "Çerkezköy", 7.0),
        ("btr_koln_istanbul_9d", "Cologne", "Halkali", 9.0),
        ("eu_pir_bud_2014", "Piraeus, GR", "Budapest", 3.0),
        ("eu_genk_curtici_rcg_2022", "Genk", "Arad", 40 / 24),
        ("eu_melzo_curtici_2024", "Melzo", "Arad", 2.0),
    ],
    "caucasus": [
        ("btr_kars_baku_70h", "Kars", "Baku", 70 / 24),
        # Boyuk Kesik station, on the Azerbaijani side of the Georgian border (not in the gazetteer)
        ("btr_baku_boyukkesik_regular_24h", "Port of Baku (Alat)", "41.29,45.07", 1.0),
        ("btr_poti_baku_2014_34h", "Poti port", "Baku", 34 / 24),
    ],
}
LEAVE_ONE_OUT = {"see": "btr_koln_istanbul_9d", "caucasus": "btr_poti_baku_2014_34h"}
SLOW, FAST = 300.0, 900.0


def days_at(binary, zone, a, b, speed):
    r, err = route_with(binary, a, b, "rail", f"rail.speed_{zone}_km_per_day", speed)
    if r is None:
        return None, err
    return (r["days"], r["distance_km"], "-".join(r["countries"])), None


def fit(rows):
    """The v at which sum(A + B / v) = sum(published)."""
    a = sum(r[1] for r in rows)
    b = sum(r[2] for r in rows)
    pub = sum(r[3] for r in rows)
    return b / (pub - a) if pub > a else float("inf")


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ZONES:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(ZONES)} [target/release/corridor]")
    zone = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/corridor"
    kept = []
    print(f"{'id':<28} {'countries':<24} {'km':>6} {'A d':>5} {'B km':>6} {'pub d':>6} {'v alone':>7}")
    for rid, a, b, pub in ZONES[zone]:
        slow, err = days_at(binary, zone, a, b, SLOW)
        fast, _ = days_at(binary, zone, a, b, FAST)
        if slow is None or fast is None:
            print(f"{rid:<28} skipped: {err}")
            continue
        if slow[2] != fast[2]:
            print(f"{rid:<28} note: the path changes with the speed ({slow[2]} / {fast[2]})")
        # days = A + B / v at both speeds
        bkm = (slow[0] - fast[0]) / (1 / SLOW - 1 / FAST)
        adays = fast[0] - bkm / FAST
        alone = bkm / (pub - adays) if pub > adays else float("inf")
        kept.append((rid, adays, bkm, pub))
        print(f"{rid:<28} {slow[2]:<24} {slow[1]:>6.0f} {adays:>5.2f} {bkm:>6.0f} {pub:>6.2f} {alone:>7.0f}")
    alone = [r[2] / (r[3] - r[1]) for r in kept if r[3] > r[1]]
    print(f"fit, {len(kept)} rows: ratio of sums {fit(kept):.0f} km/day; median of the rows alone "
          f"{statistics.median(alone):.0f}")
    without = [r for r in kept if r[0] != LEAVE_ONE_OUT[zone]]
    print(f"without {LEAVE_ONE_OUT[zone]}: {fit(without):.0f} km/day")


if __name__ == "__main__":
    main()
