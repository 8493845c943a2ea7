"""Version guard: fail early, with a fix, when the installed stack is not the tested one."""

from importlib import metadata

from packaging.version import Version

# Inclusive minimum, exclusive maximum. requirements.txt pins versions inside these ranges,
# and pyproject.toml declares the same ranges for what `helpers` imports.
SUPPORTED_VERSIONS: dict[str, tuple[str, str]] = {
    "numpy": ("2.0", "3.0"),
    "scikit-learn": ("1.4", "2.0"),
    "matplotlib": ("3.8", "4.0"),
    "keras": ("3.0", "4.0"),
    "tensorflow": ("2.16", "3.0"),
}

# Names in SUPPORTED_VERSIONS that more than one distribution provides, each with the
# platforms requirements.txt installs it on. Any one of them, installed, satisfies the name.
ALTERNATIVE_DISTRIBUTIONS: dict[str, dict[str, str]] = {
    "tensorflow": {
        "tensorflow-cpu": "Linux x86-64 and Windows",
        "tensorflow": "macOS arm64 and Linux aarch64",
    },
}

FIX = "Reinstall the tested versions with:  python -m pip install -r requirements.txt"


def installed_version(package: str) -> str | None:
    """Return the installed version of ``package`` (a distribution name), or None if absent."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _missing(name: str, low: str, high: str) -> str:
    """Say that nothing provides ``name``, and which distribution would on which platform."""
    alternatives = ALTERNATIVE_DISTRIBUTIONS.get(name)
    if alternatives is None:
        return f"{name} is not installed (need >={low},<{high})"
    where = " or ".join(f"{dist} on {platforms}" for dist, platforms in alternatives.items())
    return (
        f"{name} is not installed (need >={low},<{high} from {where}; "
        f"no other platform, such as an Intel Mac, has a supported {name})"
    )


def check_versions(packages: list[str] | None = None) -> None:
    """Check that each package is installed within its supported range.

    A name listed in :data:`ALTERNATIVE_DISTRIBUTIONS` (``tensorflow``) is satisfied by
    any of its distributions (``tensorflow-cpu`` or ``tensorflow``); every one of them
    that is installed must be in range.

    Args:
        packages: names from :data:`SUPPORTED_VERSIONS`; all of them if None.

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
        distributions = ALTERNATIVE_DISTRIBUTIONS.get(name, (name,))  # iterating a dict gives its keys
        found = {dist: version for dist in distributions if (version := installed_version(dist)) is not None}
        if not found:
            problems.append(_missing(name, low, high))
        for dist, version in found.items():
            if not Version(low) <= Version(version) < Version(high):
                problems.append(f"{dist} {version} is installed but the course needs >={low},<{high}")
    if problems:
        raise RuntimeError("; ".join(problems) + ". " + FIX)
