"""Exercise tests: the learners' version of every notebook is valid, holds no solution,
and every check cell passes on the solution but fails on the stub, on a wrong (None) answer and on
each plausible wrong answer a solution cell lists in its ``wrong_answers`` metadata.

These run the setup cell and the Exercises section in a kernel (three times: solution, stub, None,
then each wrong answer). The probes of one pytest worker share a kernel, reset between notebooks
(:class:`course_tools.exercise_probe.ProbeKernel`).
"""

import ast

import nbformat
import pytest
from conftest import NOTEBOOK_DIR, notebook_params

from course_tools.exercise_probe import ProbeKernel, probe_exercises
from course_tools.exercises import SOLUTION_TAG, make_learner_version, source_of, tags


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_learner_version_has_stubs_and_no_outputs(notebook):
    learner = make_learner_version(notebook)
    nbformat.validate(learner)
    stubbed = [cell for cell in learner.cells if SOLUTION_TAG in tags(cell)]
    assert stubbed
    for cell in stubbed:
        for node in ast.parse(source_of(cell)).body:
            if isinstance(node, ast.FunctionDef):
                body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
                assert len(body) == 1 and isinstance(body[0], ast.Raise), f"{node.name}() still holds solution code"
    assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in learner.cells if cell.cell_type == "code")


@pytest.fixture(scope="session")
def probe_kernel():
    """One probe kernel per pytest worker, in the notebooks' folder."""
    with ProbeKernel(NOTEBOOK_DIR) as kernel:
        yield kernel


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_checks_pass_on_solutions_and_fail_on_stubs(notebook, probe_kernel):
    results = probe_exercises(notebook, NOTEBOOK_DIR, probe_kernel)
    assert results["solution"] and not any(results["solution"]), (
        f"check cells that fail on the solution when the Exercises section runs after the setup cell alone: "
        f"{[i + 1 for i, failed in enumerate(results['solution']) if failed]} (exercises may only use the setup cell's names)"
    )
    for variant in ("stub", "none"):
        passed = [i + 1 for i, failed in enumerate(results[variant]) if not failed]
        assert not passed, f"check cells {passed} pass on the {variant} answer: they can never fail"
    accepted = [i for i, failed in enumerate(results["wrong"]) if not failed]
    assert not accepted, f"wrong answers {accepted} (in notebook order) pass their exercise's checks"
