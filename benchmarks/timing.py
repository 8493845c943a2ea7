"""Repeated wall-clock timings: these machines are noisy, so every figure is a median with its spread."""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


def median(values) -> float:
    """The median of a non-empty collection of numbers (the mean of the middle two for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Timing:
    """Seconds per call over ``len(runs)`` repeats: the median, and min/max as the spread."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return median(self.runs)

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

    Each function is called ``warmup`` times untimed, then ``repeats`` times timed (see :func:`time_turns`).

    Returns:
        Name -> :class:`Timing`, in the order of ``functions``.

    Raises:
        ValueError: ``repeats`` < 1 or ``warmup`` < 0.
    """
    return time_turns({name: self_timed(function) for name, function in functions.items()}, repeats, warmup)


def time_turns(turns: dict[str, Callable[[], float]], repeats: int, warmup: int = 1) -> dict[str, Timing]:
    """Run self-timed turns in rounds: each callable runs one turn and returns the seconds it took.

    A turn may run in another process (see :mod:`benchmarks.peer`), which times itself, so the
    pipe's round trip is not counted. Every round runs each turn once; the order rotates from
    round to round (a, b, c; b, c, a; ...) so that no turn always follows the same neighbour.
    ``warmup`` untimed rounds come first (compilation, caches, first-touch allocations).

    Returns:
        Name -> :class:`Timing` (one run per round), in the order of ``turns``.

    Raises:
        ValueError: ``repeats`` < 1 or ``warmup`` < 0.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError(f"need repeats >= 1 and warmup >= 0, got repeats={repeats}, warmup={warmup}")
    names = list(turns)
    for _ in range(warmup):
        for name in names:
            turns[name]()
    runs: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(repeats):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            runs[name].append(float(turns[name]()))
    return {name: Timing(tuple(runs[name])) for name in names}


def paired_ratio(numerator: Timing, denominator: Timing) -> float:
    """The median over rounds of ``numerator.runs[i] / denominator.runs[i]``: a ratio from the same turns.

    Pairing the two runs of each round cancels a load drift that lasts longer than one round,
    which a ratio of the two medians would not.

    Raises:
        ValueError: the two timings have different numbers of runs.
    """
    if len(numerator.runs) != len(denominator.runs):
        raise ValueError(f"paired_ratio needs timings of the same rounds, got {len(numerator.runs)} and "
                         f"{len(denominator.runs)} runs")
    return Timing(tuple(a / b for a, b in zip(numerator.runs, denominator.runs))).median


def self_timed(function: Callable[[], object]) -> Callable[[], float]:
    """Wrap ``function`` as a turn for :func:`time_turns`: call it and return its wall time in seconds."""

    def turn() -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    return turn
