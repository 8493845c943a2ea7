"""Tooling for the course's maintainers and CI, not for learners.

``helpers`` is what the notebooks import; ``course_tools`` holds what only maintainers run
through the ``course`` command (``course site`` builds the website, ``course export`` writes the
exercises for nbgrader and otter-grader, ``course renumber`` renames notebooks) and what the tests share
with it (the anchor rules of :mod:`course_tools.anchors`). A change that a learner's notebook
needs belongs in ``helpers``; a change to how the course is built, checked or published
belongs here.
"""
