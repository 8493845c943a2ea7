"""The maintainers' tooling: what instructors, maintainers and CI run (``course export``), kept apart from ``helpers``."""
