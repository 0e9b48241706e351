"""Bad input raises BadInput (a ValueError, with suggestions for unknown places), a valid query
without a route raises NoRoute (with the hint), and both survive pickling (Dask workers)."""

import pickle

import pytest

import corridor


def test_unknown_place_suggests(planner):
    with pytest.raises(corridor.BadInput) as e:
        planner.route("Amsterdamm", "Rotterdam")
    assert isinstance(e.value, ValueError) and isinstance(e.value, corridor.CorridorError)
    assert "Amsterdamm" in str(e.value)
    assert e.value.suggestions and any("Amsterdam" in s for s in e.value.suggestions)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"avoid": "XX"}, "unknown country code 'XX'"),
        ({"avoid_passage": "nowhere"}, "unknown passage 'nowhere'"),
        ({"modes": "plane"}, "unknown mode 'plane'"),
        ({"modes": ""}, "empty list of modes"),
        ({"by": "speed"}, "unknown objective 'speed'"),
        ({"alternatives": 9}, "alternatives"),
        ({"avoid": "CN"}, ""),  # the origin lies in an avoided country
    ],
)
def test_bad_constraints(planner, kwargs, words):
    with pytest.raises(corridor.BadInput) as e:
        planner.route("Shanghai", "Rotterdam", **kwargs)
    assert words in str(e.value)
    assert e.value.suggestions == []


def test_bad_coordinate(planner):
    with pytest.raises(corridor.BadInput, match="coordinate"):
        planner.route("95.0,10.0", "Rotterdam")


def test_no_route_has_hint(planner, cli):
    # by rail only, neither through Russia, Kazakhstan nor Iran: Uzbekistan is cut off from Turkey
    args = ("Tashkent", "Istanbul")
    with pytest.raises(corridor.NoRoute) as e:
        planner.route(*args, modes="rail", avoid="RU,IR,KZ")
    err = e.value
    assert not isinstance(err, ValueError)
    assert err.origin == "Tashkent, UZ" and err.destination == "Istanbul, TR"
    assert err.hint == "reachable with all modes" and str(err).endswith(err.hint)
    code, _, stderr = cli("route", *args, "--modes", "rail", "--avoid", "RU,IR,KZ")
    assert code == 1 and stderr.strip() == f"corridor: {err}"


def test_bad_scenario_and_pairs(planner, tmp_path):
    with pytest.raises(corridor.BadInput, match="unknown field"):
        planner.scenario({"name": "x", "closee": {}}, "Shanghai", "Rotterdam")
    with pytest.raises(corridor.BadInput, match="no such file"):
        planner.scenario("missing.toml", "Shanghai", "Rotterdam")
    with pytest.raises(corridor.BadInput):
        planner.critical([("Xyzzyq", "Rotterdam")])
    with pytest.raises(corridor.BadInput, match="unknown corridor"):
        planner.capacity(corridor="nowhere")


def test_exceptions_pickle():
    for e in [corridor.BadInput("bad", ["a", "b"]), corridor.NoRoute("none", "A", "B", "closed"),
              corridor.CorridorError("x")]:
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is type(e) and str(back) == str(e) and back.__dict__ == e.__dict__
