#!/usr/bin/env python3
"""Validate data/risk/incidents_2023_2025.csv and print counts.

Checks: exact columns, enum values, ISO dates inside the window, coordinates in
range and inside the bounding box of the row's area (a plausibility check for
"at sea in the right water body", not a land mask), unique ids, non-empty
source and source_url. Exit status 1 when anything fails.

Usage: python3 scripts/check_incidents.py [path/to/incidents.csv]
"""
import csv
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

COLUMNS = ["id", "date", "lat", "lon", "position_basis", "place", "area", "type",
           "vessel", "vessel_type", "flag", "outcome", "source", "source_url", "note"]
TYPES = {"missile", "drone", "usv", "hijacking", "seizure", "boarding", "small_arms",
         "approach", "mine", "attack_port", "other"}
OUTCOMES = {"hit", "miss", "intercepted", "seized", "sunk", "no_damage", "unknown"}
BASES = {"reported", "stated place"}
# (lat_min, lat_max, lon_min, lon_max); deliberately generous, one box per water body.
AREA_BOXES = {
    "red_sea":       (12.9, 30.0, 32.0, 43.9),
    "bab_el_mandeb": (12.2, 13.5, 42.6, 43.8),
    "gulf_of_aden":  (10.5, 15.5, 43.2, 51.6),
    "arabian_sea":   (5.0, 25.0, 51.0, 75.0),
    "gulf_of_oman":  (22.0, 26.0, 56.0, 61.5),
    "hormuz":        (25.3, 27.2, 55.5, 57.6),
    "persian_gulf":  (23.5, 30.5, 47.5, 56.5),
    "black_sea":     (40.8, 47.0, 27.3, 42.0),
    "other":         (-90.0, 90.0, -180.0, 180.0),
}
WINDOW_START = dt.date(2023, 11, 1)


def main(path):
    errors = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            print(f"columns differ:\n  got      {reader.fieldnames}\n  expected {COLUMNS}")
            return 1
        rows = list(reader)
    today = dt.date.today()
    ids = Counter(r["id"] for r in rows)
    for dup, n in ids.items():
        if n > 1:
            errors.append(f"duplicate id {dup} ({n}x)")
    for i, r in enumerate(rows, start=2):
        tag = f"line {i} ({r['id']})"
        try:
            d = dt.date.fromisoformat(r["date"])
            if not (WINDOW_START <= d <= today):
                errors.append(f"{tag}: date {d} outside {WINDOW_START}..{today}")
            if not r["id"].startswith(r["date"]):
                errors.append(f"{tag}: id does not start with the date")
        except ValueError:
            errors.append(f"{tag}: bad date {r['date']!r}")
        for col, allowed in (("type", TYPES), ("outcome", OUTCOMES), ("area", AREA_BOXES),
                             ("position_basis", BASES)):
            if r[col] not in allowed:
                errors.append(f"{tag}: {col}={r[col]!r} not allowed")
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
            for v, col in ((r["lat"], "lat"), (r["lon"], "lon")):
                if "." in v and len(v.split(".")[1]) > 3:
                    errors.append(f"{tag}: {col} has more than 3 decimals")
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                errors.append(f"{tag}: coordinates out of range")
            box = AREA_BOXES.get(r["area"])
            if box and not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
                errors.append(f"{tag}: ({lat},{lon}) outside the {r['area']} box {box}")
        except ValueError:
            errors.append(f"{tag}: bad coordinates {r['lat']!r},{r['lon']!r}")
        for col in ("source", "source_url", "vessel", "place"):
            if not r[col].strip():
                errors.append(f"{tag}: empty {col}")
        if r["source_url"] and not r["source_url"].startswith(("http://", "https://")):
            errors.append(f"{tag}: source_url is not a URL")

    dates = sorted(r["date"] for r in rows)
    print(f"{path}: {len(rows)} rows, {dates[0] if dates else '-'} .. {dates[-1] if dates else '-'}")
    for col in ("area", "type", "outcome", "position_basis"):
        c = Counter(r[col] for r in rows)
        print(f"  by {col}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))))
    years = Counter(r["date"][:4] for r in rows)
    print("  by year: " + ", ".join(f"{k} {v}" for k, v in sorted(years.items())))
    if errors:
        print(f"{len(errors)} problem(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "data" / "risk" / "incidents_2023_2025.csv"
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else default))
