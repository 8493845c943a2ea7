"""Repeated wall-clock timings: these machines are noisy, so every figure is a median with its spread."""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Timing:
    """Seconds per call over ``len(runs)`` repeats: the median, and min/max as the spread."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        ordered = sorted(self.runs)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def spread(self) -> tuple[float, float]:
        return min(self.runs), max(self.runs)

    def as_dict(self) -> dict:
        return {**asdict(self), "median": self.median, "min": self.spread[0], "max": self.spread[1]}


def time_repeated(function: Callable[[], object], repeats: int, warmup: int = 1) -> Timing:
    """Call ``function`` ``warmup`` times untimed, then ``repeats`` times timed.

    Raises:
        ValueError: ``repeats`` < 1 or ``warmup`` < 0.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError(f"need repeats >= 1 and warmup >= 0, got repeats={repeats}, warmup={warmup}")
    for _ in range(warmup):
        function()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return Timing(tuple(runs))
