"""Version guard: fail early, with a fix, when the installed stack is not the tested one."""

from importlib import metadata

from packaging.version import Version

# Inclusive minimum, exclusive maximum. requirements.txt pins versions inside these ranges.
SUPPORTED_VERSIONS: dict[str, tuple[str, str]] = {
    "numpy": ("2.0", "3.0"),
    "scikit-learn": ("1.4", "2.0"),
    "matplotlib": ("3.8", "4.0"),
    "keras": ("3.0", "4.0"),
    "tensorflow-cpu": ("2.16", "3.0"),
}

FIX = "Reinstall the tested versions with:  python -m pip install -r requirements.txt"


def installed_version(package: str) -> str | None:
    """Return the installed version of ``package`` (a distribution name), or None if absent."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def check_versions(packages: list[str] | None = None) -> None:
    """Check that each package is installed within its supported range.

    Args:
        packages: distribution names from :data:`SUPPORTED_VERSIONS`; all of them if None.

    Raises:
        KeyError: a name that is not in :data:`SUPPORTED_VERSIONS`.
        RuntimeError: a package is missing, too old or too new; the message lists
            every problem and how to fix it.
    """
    names = list(SUPPORTED_VERSIONS) if packages is None else packages
    problems = []
    for name in names:
        if name not in SUPPORTED_VERSIONS:
            raise KeyError(f"No supported range is known for {name!r}; known: {sorted(SUPPORTED_VERSIONS)}")
        low, high = SUPPORTED_VERSIONS[name]
        found = installed_version(name)
        if found is None:
            problems.append(f"{name} is not installed (need >={low},<{high})")
        elif not Version(low) <= Version(found) < Version(high):
            problems.append(f"{name} {found} is installed but the course needs >={low},<{high}")
    if problems:
        raise RuntimeError("; ".join(problems) + ". " + FIX)
