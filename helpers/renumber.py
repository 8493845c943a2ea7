"""Renumber the course's notebooks and rewrite every reference to them.

    course renumber 05_topic=06_topic 06_other=05_other   # OLD_STEM=NEW_STEM, here a swap
    course renumber --link-mentions          # turn plain "notebook 07" in markdown into links

A notebook is named ``NN_topic.ipynb``. Other files refer to it in three ways, and
:func:`renumber` rewrites all three:

- by file name or stem (``07_gradient_descent.ipynb``, test ids, commands in the docs);
- by a markdown link, whose target is the file and whose text carries the number
  (``[notebook 07](07_gradient_descent.ipynb#Feature-scaling)``, or ``[07](...)`` in a list);
- by a plain phrase, in code comments, docstrings and printed text
  (``notebook 07``, ``notebooks 16-18``, ``Notebooks 05, 06 and 07``).

Markdown must use links (``tests/test_links.py`` rejects a plain phrase there), so every
mention a learner reads can be clicked and is renumbered from its target. The moved
notebook's title cell (``# 07 · Topic``) and its row in the README's course map
(``| 07 | [Topic](notebooks/07_....ipynb) | ...``) follow as well.
"""

import re
import subprocess
from pathlib import Path

import nbformat

STEM = re.compile(r"^(\d\d)_[a-z0-9]+(?:_[a-z0-9]+)*$")
NOT_REWRITTEN = {"helpers/renumber.py", "tests/test_renumber.py", "tests/test_links.py"}  # their examples stay as written
TEXT_SUFFIXES = {".ipynb", ".md", ".json", ".py", ".txt", ".yml", ".yaml", ".toml", ".cfg", ".sh", ""}
NUMBER = r"(?<![\w.])\d\d(?!\w|\.\d)"
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)\)")
NOTEBOOK_TARGET = re.compile(r"^(?P<dir>(?:\.\./)?(?:notebooks/)?)(?P<stem>\d\d_[a-z0-9_]+)\.ipynb(?P<anchor>#\S*)?$")
PARENTHESIS = r"\s*\((?:[^()]|\([^()]*\))*\)"
_ITEM = rf"{NUMBER}(?:'s)?(?:{PARENTHESIS})?"
_SEPARATOR = r"(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+to\s+|\s*[-–]\s*)"
PLAIN_MENTION = re.compile(rf"(?P<word>\b[Nn]otebooks?)(?P<space>\s+)(?P<chain>{_ITEM}(?:{_SEPARATOR}{_ITEM})*)")
TITLE = re.compile(r"^# (\d\d) ·")
MAP_ROW = re.compile(r"^\| (\d\d) \| (?=\[[^\]]*\]\((?:\.\./)?notebooks/(\d\d)_)", re.MULTILINE)


def _number_map(moves: dict[str, str]) -> dict[str, str]:
    return {old[:2]: new[:2] for old, new in moves.items()}


def _map_numbers(text: str, numbers: dict[str, str]) -> str:
    return re.sub(NUMBER, lambda m: numbers.get(m.group(), m.group()), text)


def _rewrite_chain(match: re.Match, numbers: dict[str, str]) -> str:
    """Renumber the item numbers of a plain mention; inside its parentheses, only mentions."""
    chain = match.group("chain")
    pieces = re.split(f"({PARENTHESIS})", chain)
    chain = "".join(
        PLAIN_MENTION.sub(lambda m: _rewrite_chain(m, numbers), piece) if piece.lstrip().startswith("(") else _map_numbers(piece, numbers)
        for piece in pieces
    )
    return match.group("word") + match.group("space") + chain


def rewrite_plain(text: str, moves: dict[str, str]) -> str:
    """Rewrite stems and plain "notebook NN" phrases of code or prose (no markdown links)."""
    numbers = _number_map(moves)
    text = re.sub(r"(?<!\w)\d\d_[a-z0-9_]+", lambda m: moves.get(m.group(), m.group()), text)
    return PLAIN_MENTION.sub(lambda m: _rewrite_chain(m, numbers), text)


def _rewrite_link(match: re.Match, moves: dict[str, str]) -> str:
    text, target = match.group(1), match.group(2)
    parts = NOTEBOOK_TARGET.match(target)
    if not parts or parts["stem"] not in moves:
        return match.group()
    old, new = parts["stem"], moves[parts["stem"]]
    text = re.sub(NUMBER, lambda m: new[:2] if m.group() == old[:2] else m.group(), text)
    return f"[{text}]({parts['dir']}{new}.ipynb{parts['anchor'] or ''})"


def rewrite_markdown(text: str, moves: dict[str, str]) -> str:
    """Rewrite markdown: links to moved notebooks (target and number), the course map's
    number column, and stems or plain phrases outside links."""
    numbers = _number_map(moves)
    text = MAP_ROW.sub(lambda m: f"| {numbers.get(m.group(1), m.group(1)) if m.group(1) == m.group(2) else m.group(1)} | ", text)
    pieces, position = [], 0
    for match in LINK.finditer(text):
        pieces += [rewrite_plain(text[position:match.start()], moves), _rewrite_link(match, moves)]
        position = match.end()
    return "".join(pieces + [rewrite_plain(text[position:], moves)])


def link_mentions(markdown: str, stems: dict[str, str], prefix: str = "") -> str:
    """Turn every plain "notebook NN" phrase of ``markdown`` into links to the notebooks.

    ``stems`` maps a number ("07") to its stem ("07_gradient_descent"); ``prefix`` is the
    path from the document to the notebooks folder ("" in a notebook, "notebooks/" in the
    README). A singular mention becomes ``[notebook 07](07_....ipynb)``; in a list each
    number becomes its own link: ``notebooks [05](...) and [06](...)``.

    Raises:
        ValueError: a mention names a number that has no notebook.
    """

    def link(number: str, text: str) -> str:
        if number not in stems:
            raise ValueError(f"'notebook {number}' is mentioned, but no notebook has the number {number}")
        return f"[{text}]({prefix}{stems[number]}.ipynb)"

    def rewrite(match: re.Match) -> str:
        chain = match.group("chain")
        if match.group("word").lower() == "notebook":
            number = re.match(NUMBER, chain).group()
            return link(number, match.group("word") + match.group("space") + number) + chain[2:]
        pieces = re.split(f"({PARENTHESIS})", chain)
        linked = "".join(
            link_mentions(piece, stems, prefix) if piece.lstrip().startswith("(") else re.sub(NUMBER, lambda m: link(m.group(), m.group()), piece)
            for piece in pieces
        )
        return match.group("word") + match.group("space") + linked

    pieces, position = [], 0
    for match in LINK.finditer(markdown):
        pieces += [PLAIN_MENTION.sub(rewrite, markdown[position:match.start()]), match.group()]
        position = match.end()
    return "".join(pieces + [PLAIN_MENTION.sub(rewrite, markdown[position:])])


def _check_moves(notebook_dir: Path, moves: dict[str, str]) -> None:
    for old, new in moves.items():
        if not (notebook_dir / f"{old}.ipynb").is_file():
            raise ValueError(f"no notebook {old}.ipynb in {notebook_dir}: name an existing notebook's stem (without .ipynb)")
        if not STEM.match(new):
            raise ValueError(f"new name {new!r} is not NN_snake_case (two digits, an underscore, lower-case words)")
    staying = [path.stem for path in notebook_dir.glob("*.ipynb") if path.stem not in moves]
    numbers = [stem[:2] for stem in staying + list(moves.values())]
    repeated = sorted({number for number in numbers if numbers.count(number) > 1})
    if repeated:
        raise ValueError(f"after these moves, two notebooks would share the number(s) {', '.join(repeated)}: move the others too")


def _tracked_text_files(repo: Path) -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True).stdout.split("\n")
    return [
        repo / name
        for name in listed
        if name and name not in NOT_REWRITTEN and Path(name).suffix in TEXT_SUFFIXES and (repo / name).is_file()
    ]


def _rewrite_notebook(path: Path, moves: dict[str, str]) -> bool:
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    numbers = _number_map(moves)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_markdown(cell.source, moves)
        else:
            cell.source = rewrite_plain(cell.source, moves)
            for output in cell.get("outputs", []):
                if "text" in output:
                    output["text"] = rewrite_plain(output["text"], moves)
    if nb.cells and path.stem in moves:
        nb.cells[0].source = TITLE.sub(lambda m: f"# {numbers[m.group(1)]} ·", nb.cells[0].source)
    if nbformat.writes(nb) == before:
        return False
    nbformat.write(nb, path)
    return True


def renumber(repo: Path, moves: dict[str, str]) -> list[Path]:
    """Rename notebooks ``{old_stem: new_stem}`` with ``git mv`` and rewrite every reference.

    Returns the files whose content changed (renamed notebooks under their new names).

    Raises:
        ValueError: a stem names no notebook, a new name is not ``NN_snake_case``, or two
            notebooks would end up with the same number.
    """
    notebook_dir = repo / "notebooks"
    _check_moves(notebook_dir, moves)
    changed = []
    for path in _tracked_text_files(repo):
        if path.suffix == ".ipynb":
            if _rewrite_notebook(path, moves):
                changed.append(path)
            continue
        text = path.read_text(encoding="utf-8")
        new = rewrite_markdown(text, moves) if path.suffix == ".md" else rewrite_plain(text, moves)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    for old in moves:  # two steps, so that 05 -> 06 never overwrites a 06 that is moving on
        subprocess.run(["git", "mv", f"{old}.ipynb", f"{old}.renumbering"], cwd=notebook_dir, check=True)
    for old, new in moves.items():
        subprocess.run(["git", "mv", f"{old}.renumbering", f"{new}.ipynb"], cwd=notebook_dir, check=True)
    renamed = {notebook_dir / f"{old}.ipynb": notebook_dir / f"{new}.ipynb" for old, new in moves.items()}
    return [renamed.get(path, path) for path in changed]


def link_all_mentions(repo: Path) -> list[Path]:
    """Apply :func:`link_mentions` to every notebook's markdown and every tracked ``.md`` file;
    return the files that changed."""
    notebook_dir = repo / "notebooks"
    stems = {path.stem[:2]: path.stem for path in notebook_dir.glob("[0-9][0-9]_*.ipynb")}
    changed = []
    for path in _tracked_text_files(repo):
        if path.suffix == ".ipynb" and path.parent == notebook_dir:
            nb = nbformat.read(path, as_version=4)
            before = nbformat.writes(nb)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = link_mentions(cell.source, stems)
            if nbformat.writes(nb) != before:
                nbformat.write(nb, path)
                changed.append(path)
        elif path.suffix == ".md":
            prefix = Path("../" * len(path.parent.relative_to(repo).parts)) / "notebooks"
            text = path.read_text(encoding="utf-8")
            new = link_mentions(text, stems, prefix.as_posix() + "/")
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.append(path)
    return changed
