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
    return time_interleaved({"function": function}, repeats, warmup)["function"]


def time_interleaved(functions: dict[str, Callable[[], object]], repeats: int, warmup: int = 1) -> dict[str, Timing]:
    """Time several functions in turns (a, b, a, b, ...) so that a slow spell of a noisy machine hits each alike.

    Each function is called ``warmup`` times untimed, then ``repeats`` times timed.

    Returns:
        Name -> :class:`Timing`, in the order of ``functions``.

    Raises:
        ValueError: ``repeats`` < 1 or ``warmup`` < 0.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError(f"need repeats >= 1 and warmup >= 0, got repeats={repeats}, warmup={warmup}")
    for _ in range(warmup):
        for function in functions.values():
            function()
    runs: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            runs[name].append(time.perf_counter() - start)
    return {name: Timing(tuple(times)) for name, times in runs.items()}
