"""Tooling for the course's maintainers and CI, not for learners.

Whose it is: maintainers'. ``helpers`` is what the notebooks import; ``course_tools`` holds
what only maintainers run, through the ``course`` command (:mod:`course_tools.cli`), and
what the tests share with it. A change that a learner's notebook needs belongs in
``helpers``; a change to how the course is built, checked or published belongs here.
``course_tools`` may import ``helpers``, never the other way round.

Modules, one concern each:

- :mod:`course_tools.cli`: the ``course`` command.
- :mod:`course_tools.exercises`: the exercise format (tags, stubs, collapsed solutions) and
  learners' versions (``course learners``).
- :mod:`course_tools.execution`: running a notebook in a fresh kernel; ``course store``.
- :mod:`course_tools.kernel_environment`: every kernel's environment and sockets (``course``,
  the root ``conftest.py`` for nbval).
- :mod:`course_tools.exercise_probe`: checks pass on solutions, fail on stubs and wrong answers.
- :mod:`course_tools.seed_sweep`: rerunning notebooks under seeds 0-4 (``course seeds``).
- :mod:`course_tools.export`: the exercises for nbgrader and otter-grader (``course export``).
- :mod:`course_tools.site`: the website from the stored outputs (``course site``).
- :mod:`course_tools.renumber`, :mod:`course_tools.navigation`: renaming notebooks and their
  previous / next links (``course renumber``).
- :mod:`course_tools.anchors`: the heading-anchor rules that links, the site and tests share.
"""
