"""How the suite is shared among xdist workers: notebooks and test modules stay whole, the
exercise probes go one notebook at a time (course_tools.suite_scheduling)."""

import pytest

from course_tools.suite_scheduling import PER_NOTEBOOK_TEST_MODULES, work_unit


@pytest.mark.parametrize(
    ("nodeid", "unit"),
    [
        ("notebooks/06_simple_linear_regression.ipynb::Cell 0", "notebooks/06_simple_linear_regression.ipynb"),
        ("notebooks/06_simple_linear_regression.ipynb::Cell 12", "notebooks/06_simple_linear_regression.ipynb"),
        ("tests/test_site.py::test_every_page_builds", "tests/test_site.py"),
        ("tests/test_links.py::test_links_resolve[06_simple_linear_regression]", "tests/test_links.py"),
        ("tests/test_exercises.py::test_checks_pass_on_solutions_and_fail_on_stubs[06_x]", "tests/test_exercises.py[06_x]"),
        ("tests/test_exercises.py::test_learner_version_has_stubs_and_no_outputs[06_x]", "tests/test_exercises.py[06_x]"),
        ("tests/test_exercises.py::test_unparametrized", "tests/test_exercises.py"),
    ],
)
def test_work_units_keep_files_whole_but_split_exercises_by_notebook(nodeid, unit):
    assert work_unit(nodeid) == unit


def test_the_per_notebook_modules_exist():
    from conftest import REPO

    assert all((REPO / module).is_file() for module in PER_NOTEBOOK_TEST_MODULES)
