"""Gas and risk from Python: `Planner.gas_flow` / `gas_security` / `corridor.Gas` and
`Planner.risk_route` / `risk_areas` (and the risk options of `route` and `compare`) return exactly
the parsed JSON of `corridor gas flow|security|scenario` and `corridor risk route|areas`
(`--format json`); bad input raises BadInput with the CLI's message (exit code 2)."""

import json
import pickle

import pytest

import corridor
from conftest import REPO


def same(cli, args, call):
    """The CLI's outcome for `args` against the package's call: equal JSON, or BadInput with
    the same message for exit code 2."""
    code, out, err = cli(*args, "--format", "json")
    if code == 0:
        assert call() == out
        return out
    assert code == 2, err
    with pytest.raises(corridor.BadInput) as e:
        call()
    assert err.strip() == f"corridor: {e.value}"
    return None


@pytest.fixture(scope="module")
def gas():
    return corridor.Gas()


@pytest.mark.parametrize(
    "suppliers, countries, avoid, without",
    [
        ("AZ", "EU", (), ()),
        (["NO", "DZ", "LNG"], "EU", ["RU", "UA"], "TurkStream"),
        ("RU", "DE,PL,-PL", (), ()),
        ("TM,KZ", ["IT", "AT"], "RU", ()),
    ],
)
def test_gas_flow_equals_cli(planner, cli, suppliers, countries, avoid, without):
    j = lambda v: v if isinstance(v, str) else ",".join(v)  # noqa: E731
    args = ["gas", "flow", "--from", j(suppliers), "--to", j(countries)]
    if avoid:
        args += ["--avoid", j(avoid)]
    if without:
        args += ["--without", j(without)]
    out = same(cli, args, lambda: planner.gas_flow(suppliers, countries, avoid=avoid, without=without))
    assert out is not None and out["max_bcm"] >= 0


def test_gas_flow_options_equal_cli(planner, cli):
    """Committed offtakes and supply caps lifted: the CLI's --no-reserve --no-supply-cap."""
    args = ["gas", "flow", "--from", "AZ", "--to", "EU", "--avoid", "RU,IR", "--no-reserve", "--no-supply-cap"]
    out = same(cli, args, lambda: planner.gas_flow("AZ", "EU", avoid="RU,IR", no_reserve=True, no_supply_cap=True))
    assert out is not None and out["reserved"] == [] and not out["supply_caps"]
    reserved = planner.gas_flow("AZ", "EU", avoid="RU,IR")
    assert reserved["max_bcm"] < out["max_bcm"] and {r["offtaker"] for r in reserved["reserved"]} == {"TR", "GE"}


@pytest.mark.parametrize(
    "kwargs, flags",
    [
        ({}, []),
        ({"without_supplier": "none", "country": ["DE", "IT"]}, ["--without-supplier", "none", "--country", "DE,IT"]),
        ({"without_supplier": ["RU", "LNG"], "avoid": "UA", "country": "EU"},
         ["--without-supplier", "RU,LNG", "--avoid", "UA", "--country", "EU"]),
    ],
)
def test_gas_security_equals_cli(planner, cli, kwargs, flags):
    out = same(cli, ["gas", "security", *flags], lambda: planner.gas_security(**kwargs))
    assert out is not None and out["countries"]


def test_gas_scenario_equals_cli(gas, cli):
    path = REPO / "examples" / "scenarios" / "gas-southern-corridor-20.toml"
    out = same(cli, ["gas", "scenario", str(path)], lambda: gas.scenario(path))
    assert out is not None and out["flows"]
    assert gas.scenario(path.read_text(encoding="utf-8")) == out


@pytest.mark.parametrize(
    "call, args",
    [
        (lambda g: g.flow("XX", "EU"), ["gas", "flow", "--from", "XX", "--to", "EU"]),
        (lambda g: g.flow("AZ", "Itlay"), ["gas", "flow", "--from", "AZ", "--to", "Itlay"]),
        (lambda g: g.flow("AZ", "EU", without="TurkStraem"), ["gas", "flow", "--from", "AZ", "--to", "EU", "--without", "TurkStraem"]),
        (lambda g: g.security(without_supplier="Rusia"), ["gas", "security", "--without-supplier", "Rusia"]),
        (lambda g: g.security(avoid="ZZ"), ["gas", "security", "--avoid", "ZZ"]),
    ],
)
def test_gas_bad_input(gas, cli, call, args):
    assert same(cli, args, lambda: call(gas)) is None
    with pytest.raises(corridor.BadInput) as e:
        call(gas)
    assert isinstance(e.value, ValueError)


def test_gas_suggestions_and_pickle(gas):
    with pytest.raises(corridor.BadInput) as e:
        gas.flow("AZ", "Itlay")
    assert e.value.suggestions
    assert pickle.loads(pickle.dumps(gas)).flow("AZ", "EU") == gas.flow("AZ", "EU")
    with pytest.raises(corridor.BadInput):
        gas.scenario("no-such-file.toml")


@pytest.mark.parametrize(
    "origin, destination, kwargs, flags",
    [
        ("Shanghai", "Rotterdam", {"as_of": "2024-03-01"}, ["--as-of", "2024-03-01"]),
        ("Singapore", "Hamburg", {"limit": 3}, ["--limit", "3"]),
        ("Mumbai", "Genoa", {"as_of": "2024-01-15", "max_risk": 2.0, "by": "time"},
         ["--as-of", "2024-01-15", "--max-risk", "2", "--by", "time"]),
        ("Jebel Ali", "Piraeus", {"avoid": "IR", "via": ["Jeddah"]}, ["--avoid", "IR", "--via", "Jeddah"]),
    ],
)
def test_risk_route_equals_cli(planner, cli, origin, destination, kwargs, flags):
    out = same(cli, ["risk", "route", origin, destination, *flags],
               lambda: planner.risk_route(origin, destination, **kwargs))
    assert out is not None and "exposure" in out


@pytest.mark.parametrize(
    "area, kwargs, flags",
    [
        (None, {}, []),
        ("red_sea_aden", {"as_of": "2024-03-01", "limit": 2}, ["--as-of", "2024-03-01", "--limit", "2"]),
        ("gulf_hormuz", {"as_of": "2023-06-30"}, ["--as-of", "2023-06-30"]),
    ],
)
def test_risk_areas_equals_cli(planner, cli, area, kwargs, flags):
    args = ["risk", "areas"] + ([area] if area else []) + flags
    out = same(cli, args, lambda: planner.risk_areas(area, **kwargs))
    assert out is not None and out["areas"]


@pytest.mark.parametrize(
    "kwargs, flags",
    [
        ({"risk": True}, ["--risk"]),
        ({"as_of": "2024-03-01"}, ["--as-of", "2024-03-01"]),
        ({"as_of": "2024-03-01", "max_risk": 1.5, "alternatives": 1}, ["--as-of", "2024-03-01", "--max-risk", "1.5", "--alternatives", "1"]),
    ],
)
def test_route_with_risk_equals_cli(planner, cli, kwargs, flags):
    out = same(cli, ["route", "Shanghai", "Rotterdam", *flags], lambda: planner.route("Shanghai", "Rotterdam", **kwargs))
    assert out is not None


def test_compare_with_risk_equals_cli(planner, cli):
    out = same(cli, ["compare", "Shanghai", "Rotterdam", "--as-of", "2024-03-01"],
               lambda: planner.compare("Shanghai", "Rotterdam", as_of="2024-03-01"))
    assert out is not None
    # the premiums change the answer of that date: it is not the plain comparison
    assert out != planner.compare("Shanghai", "Rotterdam")


@pytest.mark.parametrize(
    "call, args",
    [
        (lambda p: p.risk_route("Shanghai", "Rotterdam", as_of="2024-13-45"),
         ["risk", "route", "Shanghai", "Rotterdam", "--as-of", "2024-13-45"]),
        (lambda p: p.risk_route("Shanghai", "Rotterdam", max_risk=-1), ["risk", "route", "Shanghai", "Rotterdam", "--max-risk=-1"]),
        (lambda p: p.risk_areas("atlantis"), ["risk", "areas", "atlantis"]),
        (lambda p: p.route("Shanghai", "Rotterdam", as_of="1 March"), ["route", "Shanghai", "Rotterdam", "--as-of", "1 March"]),
        (lambda p: p.risk_route("Shanghai", "Rotterdam", risk_incidents="no/such/file.csv"),
         ["risk", "route", "Shanghai", "Rotterdam", "--risk-incidents", "no/such/file.csv"]),
    ],
)
def test_risk_bad_input(planner, cli, call, args):
    assert same(cli, args, lambda: call(planner)) is None


def test_unknown_keywords_are_type_errors(planner):
    with pytest.raises(TypeError, match="as_off"):
        planner.route("Shanghai", "Rotterdam", as_off="2024-03-01")
    with pytest.raises(TypeError, match="alternatives"):
        planner.compare("Shanghai", "Rotterdam", alternatives=1)
    with pytest.raises(corridor.BadInput, match="max_risk"):
        planner.risk_areas(max_risk="high")


def test_user_incident_files(planner, cli, tmp_path):
    """Incident files added to the shipped table (`risk_incidents`, as `--risk-incidents`): five
    made-up hijackings in the Gulf of Aden in June 2023 list the area and show in the exposure;
    a file lacking a column its format needs is BadInput naming the column."""
    records = [{"reference": f"2023-9{k}", "date": f"2023-06-0{k}", "position": f"12°{20 + k:02}'00\"N 47°00'00\"E",
                "hostility": "Hijacking", "victim": f"test ship {k}", "description": "GULF OF ADEN: test record"}
               for k in range(1, 6)]
    asam = tmp_path / "asam.json"
    asam.write_text(json.dumps({"asam": records}), encoding="utf-8")
    args = ["Shanghai", "Rotterdam", "--modes", "sea", "--avoid-passage", "south_africa", "--as-of", "2023-06-30",
            "--risk-incidents", str(asam)]
    kwargs = {"modes": "sea", "avoid_passage": "south_africa", "as_of": "2023-06-30", "risk_incidents": [asam]}
    out = same(cli, ["risk", "route", *args], lambda: planner.risk_route("Shanghai", "Rotterdam", **kwargs))
    assert out["exposure"]["incidents_near"] == 5
    same(cli, ["route", *args], lambda: planner.route("Shanghai", "Rotterdam", **kwargs))
    acled = tmp_path / "acled.csv"
    acled.write_text("event_date,event_type,sub_event_type,latitude,longitude\n2024-01-01,Battles,Armed clash,10,40\n",
                     encoding="utf-8")
    assert same(cli, ["route", "Shanghai", "Rotterdam", "--risk-incidents", str(acled)],
                lambda: planner.route("Shanghai", "Rotterdam", risk_incidents=str(acled))) is None
    with pytest.raises(corridor.BadInput, match="event_id_cnty"):
        planner.compare("Shanghai", "Rotterdam", risk_incidents=acled)
