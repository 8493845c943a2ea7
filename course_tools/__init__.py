"""The maintainers' tooling: what only instructors, maintainers and CI run (``course export``), kept apart from ``helpers``, which learners import."""
