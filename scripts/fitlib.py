"""Shared by the fit scripts (scripts/fit_*.py): one `corridor route` run with one parameter
overridden, as a calibration experiment runs it (`--params` with a temporary override file)."""
import json
import os
import subprocess
import tempfile


def route_with(binary, a, b, mode, key, value):
    """`corridor route A B --modes MODE` with `key = value`: (the route's JSON, None) or (None, the error)."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(f'"{key}" = {value}\n')
        path = f.name
    try:
        p = subprocess.run([binary, "route", a, b, "--modes", mode, "--params", path, "--format", "json"],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        return None, p.stderr.strip()[:90]
    return json.loads(p.stdout), None
