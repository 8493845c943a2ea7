"""Probe a notebook's exercises: do its check cells pass on the solutions and fail on the
learners' stubs, on ``None`` answers and on each plausible wrong answer? (``tests/test_exercises.py``)"""

from pathlib import Path

import nbformat

from course_tools.execution import execute_notebook
from course_tools.exercises import CHECK_TAG, SOLUTION_TAG, exercise_cells, source_of, stub_source, tags, wrong_answers

STUB_RAISES = "<the learners' stub, which raises NotImplementedError>"


def probe_exercises(nb, cwd: Path) -> dict[str, list[bool]]:
    """Run the setup cell and then the Exercises section several times in one kernel.

    The variants are ``solution`` (as written), ``stub`` (each solution
    function raises NotImplementedError, as learners receive it), ``none``
    (each solution function returns None, as a wrong answer would) and
    ``wrong`` (each plausible wrong answer listed in a solution cell's metadata,
    in place of that solution, followed by that exercise's check cells).

    Returns:
        For ``solution``, ``stub`` and ``none``, one bool per check cell: True if that
        check cell raised. For ``wrong``, one bool per wrong answer: True if one of its
        exercise's check cells raised. A sound notebook gives all False for ``solution``
        and all True for the others.
    """
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    section = [cell for cell in exercise_cells(nb) if cell.cell_type == "code"]
    probe = nbformat.v4.new_notebook(metadata=nb.metadata)
    probe.cells.append(nbformat.v4.new_code_cell(source_of(setup)))

    def add(source: str, variant: str, cell) -> None:
        probe.cells.append(nbformat.v4.new_code_cell(source, metadata={"probe": variant, "check": CHECK_TAG in tags(cell)}))

    variants = {"solution": None, "stub": STUB_RAISES, "none": "return None"}
    for variant, statement in variants.items():
        exercise = 0
        for cell in section:
            source = source_of(cell)
            if SOLUTION_TAG in tags(cell):
                exercise += 1
                if statement is not None:
                    source = stub_source(source, exercise, None if statement is STUB_RAISES else statement)
            add(source, variant, cell)
    solutions = [index for index, cell in enumerate(section) if SOLUTION_TAG in tags(cell)]
    for number, start in enumerate(solutions):
        end = solutions[number + 1] if number + 1 < len(solutions) else len(section)
        for answer_index, answer in enumerate(wrong_answers(section[start])):
            variant = f"wrong {number + 1}.{answer_index}"
            add(source_of(section[start]), "restore", section[start])  # the other exercises' names stay right
            add(answer, variant, section[start])
            for cell in section[start + 1 : end]:
                add(source_of(cell), variant, cell)
            add(source_of(section[start]), "restore", section[start])
    execute_notebook(probe, cwd, allow_errors=True)
    results: dict[str, list[bool]] = {variant: [] for variant in variants}
    raised: dict[str, bool] = {}
    for cell in probe.cells[1:]:
        failed = any(out.output_type == "error" for out in cell.outputs)
        variant = cell.metadata["probe"]
        if variant in variants and cell.metadata["check"]:
            results[variant].append(failed)
        elif variant.startswith("wrong") and cell.metadata["check"]:
            raised[variant] = raised.get(variant, False) or failed
    results["wrong"] = list(raised.values())
    return results
