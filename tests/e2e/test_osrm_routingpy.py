"""Drives corridor's OSRM-compatible service with a real OSRM client library, routingpy, as an
existing OSRM user would: `OSRM(base_url=...)` and `directions(...)`, unchanged.

Usage: CORRIDOR_URL=http://127.0.0.1:PORT python3 tests/e2e/test_osrm_routingpy.py
Exit code 0 when every check passes.
"""

import os
import sys

from routingpy import OSRM
from routingpy.exceptions import RouterApiError

BASE = os.environ.get("CORRIDOR_URL", "http://127.0.0.1:8080").rstrip("/")
ALMATY = [76.9286, 43.2567]  # lon, lat
ISTANBUL = [28.9784, 41.0082]
BAKU = [49.8671, 40.4093]
SHANGHAI = [121.47, 31.23]
ROTTERDAM = [4.47, 51.92]


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def main():
    client = OSRM(base_url=BASE, timeout=60, retry_over_query_limit=False)

    # Almaty -> Istanbul avoiding Russia and Iran, full GeoJSON geometry
    d = client.directions(
        locations=[ALMATY, ISTANBUL], profile="freight", overview="full", geometries="geojson", exclude="RU,IR"
    )
    check(3_000_000 < d.distance < 8_000_000, f"distance in metres: {d.distance}")
    check(d.duration > 24 * 3600, f"duration in seconds: {d.duration}")
    check(len(d.geometry) > 50, "full geometry")
    route = d.raw["routes"][0]
    check("RU" not in route["countries"] and "IR" not in route["countries"], route["countries"])
    check(d.raw["code"] == "Ok", d.raw["code"])
    check(len(d.raw["waypoints"]) == 2, "two waypoints")

    # the same route as an encoded polyline (routingpy decodes it): same path
    p = client.directions(locations=[ALMATY, ISTANBUL], profile="freight", overview="full", exclude="RU,IR")
    check(p.distance == d.distance, "polyline and geojson agree on distance")
    check(len(p.geometry) == len(d.geometry), "same number of points")
    worst = max(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in zip(p.geometry, d.geometry))
    check(worst < 2e-5, f"decoded polyline matches the GeoJSON ({worst})")

    # alternatives come back as routingpy Directions
    alts = client.directions(locations=[ALMATY, ISTANBUL], profile="freight", alternatives=2, exclude="RU,IR")
    check(len(alts) >= 2, f"alternatives: {len(alts)}")
    check(all(r.distance >= alts[0].distance for r in alts), "best route first")

    # three waypoints: two legs
    v = client.directions(locations=[ALMATY, BAKU, ISTANBUL], profile="freight", exclude="RU,IR")
    check(len(v.raw["routes"][0]["legs"]) == 2, "one leg per pair of waypoints")

    # the sea profile, with and without Suez
    via_suez = client.directions(locations=[SHANGHAI, ROTTERDAM], profile="sea")
    no_suez = client.directions(locations=[SHANGHAI, ROTTERDAM], profile="sea", exclude="suez")
    check("suez" in via_suez.raw["routes"][0]["passages"], "sea route via Suez")
    check(no_suez.distance > via_suez.distance + 1_000_000, "closing Suez adds thousands of km")

    # errors reach the client as OSRM errors
    try:
        client.directions(locations=[ALMATY, ISTANBUL], profile="driving")
        check(False, "unknown profile must fail")
    except RouterApiError as e:
        check(e.status == 400 and "InvalidValue" in str(e.message), f"error: {e.status} {e.message}")

    print(f"routingpy OSRM client ok: {d.distance / 1000:.0f} km, {d.duration / 86400:.1f} days, {len(alts)} alternatives")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
