"""How ``pytest -n N --dist loadfile`` shares the suite among its xdist workers (the root
``conftest.py`` installs :func:`make_scheduler`).

xdist's loadfile keeps each file on one worker: right for a notebook under nbval (its cells
share one kernel) and for a test module (its tests share module fixtures), but it also puts
all of ``tests/test_exercises.py`` on one worker, and with it every notebook's exercise probe
(3-10 s each). Here those tests go
one notebook at a time (:func:`work_unit`), so the probes spread over the workers and fill
the gaps at the end: xdist hands out the units with the most tests first, the probes last.
"""

PER_NOTEBOOK_TEST_MODULES = ("tests/test_exercises.py",)


def work_unit(nodeid: str) -> str:
    """The unit of work (run on one worker) of the test with pytest id ``nodeid``: its file, or
    for a test of :data:`PER_NOTEBOOK_TEST_MODULES`, its file and its parameter (the notebook).

    >>> work_unit("notebooks/06_x.ipynb::Cell 3")
    'notebooks/06_x.ipynb'
    >>> work_unit("tests/test_exercises.py::test_checks_pass_on_solutions_and_fail_on_stubs[06_x]")
    'tests/test_exercises.py[06_x]'
    """
    file, _, test = nodeid.partition("::")
    if file in PER_NOTEBOOK_TEST_MODULES and test.endswith("]") and "[" in test:
        return f"{file}[{test.rsplit('[', 1)[1]}"
    return file


def make_scheduler(config, log):
    """xdist's loadfile scheduling by :func:`work_unit`, for ``pytest_xdist_make_scheduler``.

    A worker is given its next unit once it has at most one test left (loadfile tops up at
    two, which at the end could leave two probes queued on one worker while the other idles).
    It must always hold one test beyond the running one: an xdist worker waits for the next
    test's index before it runs the current one.
    """
    from xdist.scheduler import LoadFileScheduling

    class SpreadExercisesScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _reschedule(self, node) -> None:
            if not node.shutting_down and self.workqueue and self._pending_of(self.assigned_work[node]) > 1:
                return
            super()._reschedule(node)

    return SpreadExercisesScheduling(config, log)
