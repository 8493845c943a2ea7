"""The ``course`` command: ``course store``, ``course learners``, ``course seeds``, ``course renumber``,
``course site``, ``course export`` and ``course link-citations``.

    course store notebooks/06_simple_linear_regression.ipynb   # one notebook
    course store --all                                        # every notebook
    course learners --out learners/                            # learners' versions of all
    course seeds notebooks/23_*.ipynb                          # rerun under seeds 0-4, list failing cells
    course renumber 05_topic=06_topic                          # git mv, rewrite every reference, previous/next links
    course renumber                                            # only bring the previous/next links up to date
    course site site/                                          # the course as a website, from the stored outputs
    course export --to nbgrader grading/                       # the exercises for nbgrader (or --to otter)
    course link-citations                                      # each citation a link to its REFERENCES.md entry
"""

import argparse
import sys
from pathlib import Path

from course_tools import citations
from course_tools.execution import store_outputs
from course_tools.exercises import write_learner_versions
from course_tools.export import FORMATS, export
from course_tools.navigation import write_navigation
from course_tools.renumber import link_all_mentions, renumber
from course_tools.seed_sweep import DEFAULT_SEEDS, format_sweep, sweep
from course_tools.site import SiteError, build_site

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"


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
    seeds = commands.add_parser("seeds", help="rerun notebooks under several seeds (COURSE_SEED) and list the cells that fail")
    seeds.add_argument("notebooks", nargs="*")
    seeds.add_argument("--all", action="store_true", help="every notebook in notebooks/")
    seeds.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS), help="default: 0 1 2 3 4")
    seeds.add_argument("--jobs", type=int, default=1, help="kernels run at a time (default 1)")
    moves = commands.add_parser("renumber", help="rename notebooks (git mv) and rewrite every reference to them")
    moves.add_argument("moves", nargs="*", metavar="OLD_STEM=NEW_STEM", help="e.g. 05_topic=06_topic")
    moves.add_argument("--link-mentions", action="store_true", help="first turn plain 'notebook NN' in markdown into links")
    site = commands.add_parser("site", help="render the course as a static website from the stored outputs (runs nothing)")
    site.add_argument("out", type=Path, help="folder to write the site to; open OUT/index.html")
    site.add_argument("notebooks", nargs="*", type=Path, help="only these notebooks (default: all)")
    exports = commands.add_parser("export", help="write the exercises in a grading tool's format (nbgrader or otter-grader)")
    exports.add_argument("--to", required=True, choices=FORMATS, help="the grading tool")
    exports.add_argument("out", type=Path, help="folder to write to")
    exports.add_argument("notebooks", nargs="*", help="default: every notebook in notebooks/")
    cite = commands.add_parser("link-citations", help="link each notebook citation to its REFERENCES.md entry")
    cite.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    args = parser.parse_args(argv)

    if args.command == "store":
        for path in _notebooks(args.notebooks, args.all):
            print(f"{path.name}: stored in {store_outputs(path):.1f} s", flush=True)
    elif args.command == "seeds":
        results = sweep(_notebooks(args.notebooks, args.all), args.seeds, args.jobs)
        print(format_sweep(results))
        return 1 if any(results.values()) else 0
    elif args.command == "renumber":
        if args.link_mentions:
            for path in link_all_mentions(REPO):
                print(f"linked mentions in {path.relative_to(REPO)}")
        pairs = [move.split("=") for move in args.moves]
        if any(len(pair) != 2 for pair in pairs):
            raise SystemExit("Write each move as OLD_STEM=NEW_STEM, e.g. 05_topic=06_topic")
        if pairs:
            for path in renumber(REPO, dict(pairs)):
                print(f"rewrote {path.relative_to(REPO)}")
        for path in write_navigation(NOTEBOOK_DIR):
            print(f"navigation links updated in {path.relative_to(REPO)}")
    elif args.command == "site":
        try:
            pages = build_site(args.out, args.notebooks or None)
        except SiteError as error:
            raise SystemExit(f"course site: {error}") from error
        print(f"wrote {len(pages)} pages; open {args.out / 'index.html'}")
    elif args.command == "link-citations":
        return citations.main(args.notebooks)
    elif args.command == "export":
        for written in export(_notebooks(args.notebooks, not args.notebooks), args.to, args.out):
            print(written)
    else:
        for written in write_learner_versions(_notebooks(args.notebooks, args.all or not args.notebooks), args.out):
            print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
