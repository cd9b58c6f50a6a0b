"""The benchmark framework: cases with their baselines, measured side by side, reported as ratios.

A case is a function registered with :func:`case`; adding one is a few lines::

    @case("exposure_10k", baselines={"sql": exposure_sql, "core": exposure_read_group}, setup=ten_thousand_partners)
    def exposure_10k(env, partners):
        \"\"\"Credit exposure of 10,000 customers.\"\"\"
        partners._compute_credit_exposure()

Every callable takes ``(env, fixture)``: ``setup(env)`` builds the fixture once, untimed; with ``prepare``,
``prepare(env, fixture)`` builds a fresh argument before each run, untimed (e.g. a draft order to confirm).
``verify(env, fixture)``, run once before the measures, raises :class:`BaselineMismatch` when a baseline does not
return the same figures as ours: a ratio against a different answer would mean nothing.
Each run happens in a savepoint rolled back afterwards, on an empty ORM cache, and ends with a flush so that
deferred writes are timed too. Ours and the baselines run alternately, after a warm-up, so that the noise of
the machine hits them alike: the ratio of the medians is what counts, not the milliseconds.
"""

import contextlib
import dataclasses
import statistics
import time
from collections.abc import Callable

CASES = {}


@dataclasses.dataclass(frozen=True)
class Case:
    """A benchmark case: our way, and the baselines it is compared to."""

    name: str
    ours: Callable
    baselines: dict
    setup: Callable | None = None
    prepare: Callable | None = None
    verify: Callable | None = None
    description: str = ""


class BaselineMismatch(Exception):
    """A baseline does not give the same answer as ours."""


def case(name, *, baselines=None, setup=None, prepare=None, verify=None):
    """Register the decorated function as the benchmark case ``name`` (see the module's docstring)."""

    def register(func):
        if name in CASES:
            raise ValueError(f"Two benchmark cases named {name}")
        description = (func.__doc__ or "").strip().splitlines()
        CASES[name] = Case(
            name, func, dict(baselines or {}), setup, prepare, verify, description[0] if description else ""
        )
        return func

    return register


@dataclasses.dataclass
class Measure:
    """The runs of one callable: durations in seconds and query counts."""

    durations: list = dataclasses.field(default_factory=list)
    queries: list = dataclasses.field(default_factory=list)

    @property
    def median_ms(self):
        return statistics.median(self.durations) * 1000

    @property
    def min_ms(self):
        return min(self.durations) * 1000

    @property
    def median_queries(self):
        return int(statistics.median(self.queries))

    def as_dict(self):
        return {
            "median_ms": round(self.median_ms, 3),
            "min_ms": round(self.min_ms, 3),
            "runs_ms": [round(duration * 1000, 3) for duration in self.durations],
            "queries": self.median_queries,
        }


def run_case(env, bench_case, runs, warmup):
    """Measure ``bench_case``: ``{"ours": Measure, <baseline>: Measure}``; nothing it does is kept."""
    variants = {"ours": bench_case.ours, **bench_case.baselines}
    measures = {label: Measure() for label in variants}
    with _rolled_back(env):
        fixture = bench_case.setup(env) if bench_case.setup else None
        env.flush_all()
        if bench_case.verify:
            with _rolled_back(env):
                bench_case.verify(env, fixture)
        for index in range(warmup + runs):
            for label, func in variants.items():
                duration, queries = _run_once(env, bench_case, func, fixture)
                if index >= warmup:
                    measures[label].durations.append(duration)
                    measures[label].queries.append(queries)
    return measures


def _run_once(env, bench_case, func, fixture):
    cr = env.cr
    with _rolled_back(env):
        argument = bench_case.prepare(env, fixture) if bench_case.prepare else fixture
        env.flush_all()
        # No run reads what an earlier one left in the ORM cache; the registry's caches stay warm, as in production.
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        func(env, argument)
        env.flush_all()
        duration = time.perf_counter() - started
        return duration, cr.sql_log_count - queries


@contextlib.contextmanager
def _rolled_back(env):
    """A savepoint always rolled back, with the ORM cache it leaves behind."""
    savepoint = env.cr.savepoint(flush=True)
    try:
        yield
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all(flush=False)
