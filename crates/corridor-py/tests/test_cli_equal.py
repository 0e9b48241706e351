"""The package's answers equal the CLI's `--format json` on random queries (exact equality of the
parsed JSON: same fields, same numbers), and errors map to the exit codes' meaning (2: BadInput,
1: NoRoute)."""

import random

import pytest

import corridor

COUNTRIES = ["RU", "IR", "BY", "KZ", "TR", "GE", "AZ", "UA", "CN", "PL", "UZ", "TM", "AF", "PK", "IQ", "SY", "SA", "EG"]
PASSAGES = ["suez", "babalmandab", "ormuz", "bosporus", "malacca", "gibraltar"]
MODES = [None, "rail", "rail,ferry", "sea", "road,sea", "rail,road,ferry"]
OBJECTIVES = [None, "distance", "time", "cost", "co2"]


def random_query(rng, places):
    q = {
        "avoid": rng.sample(COUNTRIES, rng.choice([0, 0, 1, 2, 3])),
        "avoid_passage": rng.sample(PASSAGES, rng.choice([0, 0, 1, 2])),
        "modes": rng.choice(MODES),
        "by": rng.choice(OBJECTIVES),
    }
    return rng.choice(places), rng.choice(places), q


def flags(q):
    out = []
    if q.get("avoid"):
        out += ["--avoid", ",".join(q["avoid"])]
    if q.get("avoid_passage"):
        out += ["--avoid-passage", ",".join(q["avoid_passage"])]
    if q.get("modes"):
        out += ["--modes", q["modes"]]
    if q.get("by"):
        out += ["--by", q["by"]]
    return out


def same_outcome(code, out, err, call):
    """The CLI's outcome (exit code, JSON or message) against the package's call."""
    if code == 0:
        assert call() == out
    elif code == 2:
        with pytest.raises(corridor.BadInput) as e:
            call()
        assert err.strip() == f"corridor: {e.value}"
    else:
        assert code == 1, err
        with pytest.raises(corridor.NoRoute) as e:
            call()
        assert err.strip() == f"corridor: {e.value}"


def test_random_routes_equal_cli(planner, cli, seed, big_places):
    rng = random.Random(seed)
    outcomes = {0: 0, 1: 0, 2: 0}
    for _ in range(14):
        a, b, q = random_query(rng, big_places)
        alternatives = rng.choice([0, 0, 0, 1])
        code, out, err = cli("route", a, b, "--format", "json", "--alternatives", str(alternatives), *flags(q))
        outcomes[code] = outcomes.get(code, 0) + 1
        same_outcome(code, out, err, lambda: planner.route(a, b, alternatives=alternatives, **q))
    assert outcomes[0] >= 1, outcomes  # at least one real route was compared


def test_fixed_route_with_via_equals_cli(planner, cli):
    code, out, _ = cli("route", "Almaty", "Istanbul", "--avoid", "RU,IR", "--via", "Aktau port", "--format", "json")
    assert code == 0
    got = planner.route("Almaty", "Istanbul", avoid="RU,IR", via="Aktau port")
    assert got == out
    assert got["countries"][0] == "KZ" and "RU" not in got["countries"] and "IR" not in got["countries"]
    assert abs(sum(leg["distance_km"] for leg in got["legs"]) - got["distance_km"]) < 1.0


def test_door_to_door_equals_cli(planner, cli):
    code, out, _ = cli("route", "Rotterdam", "Duisburg", "--door", "--format", "json")
    assert code == 0
    got = planner.route("Rotterdam", "Duisburg", door=True)
    assert got == out
    assert got["origin"]["door"] is True and got["constraints"]["door"] is True
    assert any(d["kind"] == "drayage" for d in got["dwell"])
    with pytest.raises(corridor.BadInput) as e:
        planner.matrix(["Warsaw"], ["Lisbon"], door=True)
    assert "door to door" in str(e.value)


def test_geojson_equals_cli(planner, cli):
    code, out, _ = cli("route", "Xi'an", "Duisburg", "--modes", "rail", "--alternatives", "1", "--format", "geojson")
    assert code == 0
    got = planner.geojson("Xi'an", "Duisburg", modes="rail", alternatives=1)
    assert got == out
    assert got["type"] == "FeatureCollection" and len(got["features"]) >= 1


def test_random_compare_equals_cli(planner, cli, seed, big_places):
    rng = random.Random(seed + 1)
    for _ in range(3):
        a, b, q = random_query(rng, big_places)
        q.pop("modes")
        code, out, err = cli("compare", a, b, "--format", "json", *flags(q))
        same_outcome(code, out, err, lambda: planner.compare(a, b, **q))


def test_random_matrix_equals_cli(planner, cli, seed, big_places):
    rng = random.Random(seed + 2)
    origins, destinations = rng.sample(big_places, 4), rng.sample(big_places, 5)
    q = {"avoid": rng.sample(COUNTRIES, 1), "by": rng.choice(OBJECTIVES)}
    code, out, err = cli("matrix", "--from", ";".join(origins), "--to", ";".join(destinations), "--format", "json",
                         *flags(q))
    same_outcome(code, out, err, lambda: planner.matrix(origins, destinations, **q))
    if code == 0:
        assert len(out["values"]) == 4 and all(len(r) == 5 for r in out["values"])


def test_scenario_equals_cli(planner, cli, monkeypatch):
    from conftest import REPO

    monkeypatch.chdir(REPO)  # the report names the file as given
    f = "examples/scenarios/red-sea-closed.toml"
    code, out, _ = cli("scenario", f, "Shanghai", "Rotterdam", "--modes", "sea", "--format", "json")
    assert code == 0
    got = planner.scenario(f, "Shanghai", "Rotterdam", modes="sea")
    assert got == out and got["scenario_file"] == f
    route = got["pairs"][0]["route"]
    assert route["delta"]["distance_km"] > 1000  # round the Cape


def test_critical_equals_cli(planner, cli, tmp_path):
    od = tmp_path / "flows.csv"
    od.write_text("from,to,demand\nAlmaty,Istanbul,5\nXi'an,Duisburg,3\nTashkent,Baku,2\n")
    code, out, _ = cli("critical", "--od", str(od), "--avoid", "RU", "--format", "json")
    assert code == 0
    got = planner.critical(str(od), avoid="RU")
    assert got == out
    assert got["ranking"] and got["ranking"][0]["rank"] == 1
    # the same flows as rows give the same answer
    assert planner.critical([("Almaty", "Istanbul", 5), ("Xi'an", "Duisburg", 3), ("Tashkent", "Baku", 2)],
                            avoid="RU") == got


def test_capacity_equals_cli(planner, cli):
    f = "examples/scenarios/red-sea-closed-caspian-doubled.toml"
    code, out, _ = cli("capacity", "--corridor", "middle", "--scenario", f, "--format", "json")
    assert code == 0
    got = planner.capacity(corridor="middle", scenario=corridor_path(f))
    assert got == out
    assert got["corridors"][0]["id"] == "middle"


def corridor_path(relative):
    from conftest import REPO

    return str(REPO / relative)


def test_market_and_params_equal_cli(cli, tmp_path):
    overrides = tmp_path / "params.toml"
    overrides.write_text('"ferry.port_hours" = 48\n')
    args = ("Almaty", "Istanbul", "--avoid", "RU,IR", "--format", "json")
    code, out, _ = cli("route", *args, "--market", "red-sea-2024", "--params", str(overrides), "--cargo-value", "90000")
    assert code == 0
    p = corridor.Planner(params={"ferry.port_hours": 48}, market="red-sea-2024", cargo_value=90000)
    got = p.route("Almaty", "Istanbul", avoid="RU,IR")
    assert got == out and p.market == "red-sea-2024"
    # the same overrides from the file, and a different answer without them
    assert corridor.Planner(params=str(overrides), market="red-sea-2024", cargo_value=90000).route(
        "Almaty", "Istanbul", avoid="RU,IR") == out
    assert corridor.Planner().route("Almaty", "Istanbul", avoid="RU,IR")["capital_usd_per_feu"] != got["capital_usd_per_feu"]
    with pytest.raises(corridor.BadInput, match="nowhere"):
        corridor.Planner(market="nowhere")
