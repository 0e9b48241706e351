"""One planner serves many threads (same answers as one thread), and searches release the GIL."""

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import corridor


def test_threads_share_a_planner(planner, seed, big_places):
    rng = random.Random(seed + 3)
    queries = [(rng.choice(big_places), rng.choice(big_places), rng.choice([(), ("RU",), ("RU", "IR")]))
               for _ in range(16)]

    def one(q):
        a, b, avoid = q
        try:
            return planner.route(a, b, avoid=avoid)
        except corridor.CorridorError as e:
            return (type(e).__name__, str(e))

    sequential = [one(q) for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(one, queries))
    assert parallel == sequential
    # and planners built in threads at the same time are usable
    with ThreadPoolExecutor(max_workers=2) as pool:
        planners = list(pool.map(lambda _: corridor.Planner(), range(2)))
    assert all(p.route("Almaty", "Istanbul", avoid="RU,IR") == sequential_ref(planner) for p in planners)


def sequential_ref(planner):
    return planner.route("Almaty", "Istanbul", avoid="RU,IR")


def test_gil_released_during_search(planner, big_places):
    # a long search in one thread; the main thread keeps running Python meanwhile
    origins, destinations = big_places[:60], big_places[-60:]
    done = threading.Event()
    result = {}

    def work():
        t = time.perf_counter()
        result["m"] = planner.matrix(origins, destinations, avoid="RU", threads=1)
        result["seconds"] = time.perf_counter() - t
        done.set()

    ticks = 0
    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    # with the GIL held for the whole call, the loop could not run while the matrix is computed
    assert result["seconds"] > 0.05
    assert ticks >= 0.25 * result["seconds"] / 0.002, (ticks, result["seconds"])
    assert len(result["m"]["values"]) == 60


def test_planner_pickles_as_options(planner):
    import pickle

    data = pickle.dumps(planner)
    assert len(data) < 2000  # the options, not the network
    back = pickle.loads(data)
    assert back.network_version == planner.network_version and back.has_engine
