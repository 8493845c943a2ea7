"""Probe a notebook's exercises: do its check cells pass on the solutions and fail on the
learners' stubs, on ``None`` answers and on each plausible wrong answer? (``tests/test_exercises.py``)

A probe runs in a :class:`ProbeKernel`, which the exercise tests share between notebooks: on
a Keras notebook, starting a kernel and importing TensorFlow cost about two thirds of a
probe's CPU time, and the course has 35 notebooks.
"""

from pathlib import Path

from course_tools.exercises import CHECK_TAG, SOLUTION_TAG, exercise_cells, source_of, stub_source, tags, wrong_answers
from course_tools.kernel_environment import LocalSocketKernelManager, set_kernel_environment

STUB_RAISES = "<the learners' stub, which raises NotImplementedError>"
CELL_TIMEOUT_S = 300

# Run before each notebook's probe. Only imported modules survive it (as cached imports, which
# the setup cell's own import lines bind again): the namespace is emptied, figures closed,
# Keras' session cleared, the working directory, warning filters and NumPy's print and
# floating-point-error settings put back as they were when the kernel started.
_SNAPSHOT = """\
def _probe_snapshot():
    import os, sys, types, warnings
    import numpy
    sys.modules["_course_probe_start"] = types.SimpleNamespace(
        cwd=os.getcwd(), filters=list(warnings.filters), printoptions=numpy.get_printoptions(),
        errors=numpy.geterr())
_probe_snapshot()
del _probe_snapshot
"""
_RESET = """\
def _probe_reset():
    import os, sys, warnings
    import numpy
    start = sys.modules["_course_probe_start"]
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()
    os.chdir(start.cwd)
    warnings.filters[:] = start.filters
    numpy.set_printoptions(**start.printoptions)
    numpy.seterr(**start.errors)
_probe_reset()
get_ipython().run_line_magic("reset", "-f")
"""


class ProbeKernel:
    """A kernel of this Python environment, started in ``cwd``, that probes notebooks one
    after the other (a context manager; :func:`probe_exercises` uses it).

    Between notebooks it is reset (see ``_RESET``): no name, figure or Keras model of one
    notebook's probe is seen by the next, and each probe starts, as in a fresh kernel, by
    running its notebook's setup cell. What does carry over is what a fresh kernel would
    rebuild identically: imported modules.

    Raises:
        RuntimeError: on entry, the kernel does not start or cannot take its snapshot.
    """

    def __init__(self, cwd: Path):
        self.cwd = Path(cwd).resolve()
        self.manager = self.client = None

    def __enter__(self) -> "ProbeKernel":
        set_kernel_environment()
        self.manager = LocalSocketKernelManager(kernel_name="python3")
        self.manager.start_kernel(cwd=str(self.cwd))
        self.client = self.manager.client()
        self.client.start_channels()
        try:
            self.client.wait_for_ready(timeout=120)
            if self.run(_SNAPSHOT):
                raise RuntimeError("the probe kernel could not record its starting state")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, source: str) -> bool:
        """Execute ``source`` as one cell and return True if it raised (its output is dropped).

        Raises:
            TimeoutError: the cell ran longer than ``CELL_TIMEOUT_S``.
        """
        reply = self.client.execute_interactive(source, timeout=CELL_TIMEOUT_S, output_hook=lambda message: None,
                                                allow_stdin=False, stop_on_error=False)
        return reply["content"]["status"] != "ok"

    def reset(self) -> None:
        """Empty the namespace and put back the starting state (see the class docstring)."""
        if self.run(_RESET):
            raise RuntimeError("the probe kernel could not be reset between notebooks")


def probe_cells(nb) -> list[tuple[str, str, bool]]:
    """The cells a probe of ``nb`` runs: ``(source, variant, is_check)`` after its setup cell.

    The variants are ``solution`` (the Exercises section as written), ``stub`` (each solution
    function raises NotImplementedError, as learners receive it), ``none`` (each solution
    function returns None, as a wrong answer would) and ``wrong i.j`` (wrong answer j listed
    in exercise i's solution metadata, in place of that solution, followed by that exercise's
    cells; the solution is run again before and after it, variant ``restore``, so that the
    other exercises' names stay right).

    Raises:
        ValueError: a solution cell's ``wrong_answers`` metadata is not a list of sources.
    """
    section = [cell for cell in exercise_cells(nb) if cell.cell_type == "code"]
    cells = []
    variants = {"solution": None, "stub": STUB_RAISES, "none": "return None"}
    for variant, statement in variants.items():
        exercise = 0
        for cell in section:
            source = source_of(cell)
            if SOLUTION_TAG in tags(cell):
                exercise += 1
                if statement is not None:
                    source = stub_source(source, exercise, None if statement is STUB_RAISES else statement)
            cells.append((source, variant, CHECK_TAG in tags(cell)))
    solutions = [index for index, cell in enumerate(section) if SOLUTION_TAG in tags(cell)]
    for number, start in enumerate(solutions):
        end = solutions[number + 1] if number + 1 < len(solutions) else len(section)
        solution = source_of(section[start])
        for answer_index, answer in enumerate(wrong_answers(section[start])):
            variant = f"wrong {number + 1}.{answer_index}"
            cells.append((solution, "restore", False))
            cells.append((answer, variant, False))
            cells += [(source_of(cell), variant, CHECK_TAG in tags(cell)) for cell in section[start + 1 : end]]
            cells.append((solution, "restore", False))
    return cells


def probe_exercises(nb, cwd: Path, kernel: ProbeKernel | None = None) -> dict[str, list[bool]]:
    """Run the setup cell and then the Exercises section several times (see :func:`probe_cells`).

    Args:
        nb: the notebook.
        cwd: the folder it runs in (its own, as under ``pytest``).
        kernel: a started :class:`ProbeKernel` in ``cwd`` to run in (it is reset first); None
            starts a kernel for this probe alone.

    Returns:
        For ``solution``, ``stub`` and ``none``, one bool per check cell: True if that
        check cell raised. For ``wrong``, one bool per wrong answer: True if one of its
        exercise's check cells raised. A sound notebook gives all False for ``solution``
        and all True for the others.

    Raises:
        ValueError: ``kernel`` runs in another folder than ``cwd``, or a ``wrong_answers``
            metadata entry is not a list of sources.
    """
    cells = probe_cells(nb)
    if kernel is None:
        with ProbeKernel(cwd) as own_kernel:
            return probe_exercises(nb, cwd, own_kernel)
    if kernel.cwd != Path(cwd).resolve():
        raise ValueError(f"the probe kernel runs in {kernel.cwd}, not in {cwd}: start a ProbeKernel there")
    kernel.reset()
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    kernel.run(source_of(setup))
    results: dict[str, list[bool]] = {"solution": [], "stub": [], "none": []}
    raised: dict[str, bool] = {}
    for source, variant, is_check in cells:
        failed = kernel.run(source)
        if variant in results and is_check:
            results[variant].append(failed)
        elif variant.startswith("wrong") and is_check:
            raised[variant] = raised.get(variant, False) or failed
    results["wrong"] = list(raised.values())
    return results
