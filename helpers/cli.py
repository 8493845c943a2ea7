"""The ``course`` command: ``course store`` and ``course learners``.

    course store notebooks/05_simple_linear_regression.ipynb   # one notebook
    course store --all                                        # every notebook
    course learners --out learners/                            # learners' versions of all
"""

import argparse
import sys
from pathlib import Path

from helpers.notebook_tools import store_outputs, write_learner_versions

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def _notebooks(paths: list[str], all_notebooks: bool) -> list[Path]:
    if all_notebooks:
        return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise SystemExit("Name one or more notebooks, or pass --all")
    return [Path(p) for p in paths]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="course", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    store = commands.add_parser("store", help="execute notebooks in a clean kernel and save their outputs")
    store.add_argument("notebooks", nargs="*")
    store.add_argument("--all", action="store_true", help="every notebook in notebooks/")
    learners = commands.add_parser("learners", help="write learners' versions (solutions stubbed, outputs cleared)")
    learners.add_argument("notebooks", nargs="*")
    learners.add_argument("--all", action="store_true", help="every notebook in notebooks/ (the default)")
    learners.add_argument("--out", required=True, type=Path, help="folder to write them to")
    args = parser.parse_args(argv)

    if args.command == "store":
        for path in _notebooks(args.notebooks, args.all):
            print(f"{path.name}: stored in {store_outputs(path):.1f} s", flush=True)
    else:
        for written in write_learner_versions(_notebooks(args.notebooks, args.all or not args.notebooks), args.out):
            print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
