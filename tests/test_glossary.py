"""GLOSSARY.md: the course's terms, A to Z, each defined once and linked to the notebook section
that teaches it, which must speak of the term.

An entry is one line, ``- **Term** (also *form*, *form*): definition — [notebook NN, Section](notebooks/NN_topic.ipynb#Section)``,
under the heading of its first letter. The forms in "(also ...)" are other names the notebook may
use (an abbreviation, the other spelling). Whether the link's file and anchor exist is
tests/test_links.py's job; this test checks that the section it names mentions the term.
"""

import re
from pathlib import Path

import nbformat
import pytest
from conftest import REPO

from course_tools.anchors import HEADING, jupyterlab_id

GLOSSARY = REPO / "GLOSSARY.md"
ENTRY = re.compile(r"^- \*\*(?P<term>[^*]+)\*\*(?: \(also (?P<forms>[^)]*)\))?: (?P<definition>.+)$")
SECTION_LINK = re.compile(
    r"\[notebook (?P<number>\d\d)[^\]]*\]\((?P<file>notebooks/(?P=number)_[a-z0-9_]+\.ipynb)#(?P<anchor>[^)\s]+)\)"
)


def entries(text: str) -> list[dict]:
    """Each entry of a glossary text: its term, forms, definition and letter heading."""
    found, letter = [], ""
    for line in text.splitlines():
        if heading := re.match(r"^## (\S+)$", line):
            letter = heading.group(1)
        elif match := ENTRY.match(line):
            forms = re.findall(r"\*([^*]+)\*", match.group("forms") or "")
            found.append({**match.groupdict(), "forms": forms, "letter": letter, "line": line})
    return found


def sort_key(term: str) -> str:
    """Letters, digits and spaces of the term without its parenthesised gloss, lower-cased."""
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s*\(.*\)$", "", term).casefold())


def names(entry: dict) -> list[str]:
    """The term without a parenthesised gloss ("Bias (of a model)" -> "Bias"), and its forms."""
    return [re.sub(r"\s*\(.*\)$", "", entry["term"]), *entry["forms"]]


def words(text: str) -> str:
    """Text lower-cased, with markdown marks dropped and hyphens read as spaces, for matching
    (a name matches whole words, perhaps with a plural's -s or -es)."""
    text = re.sub(r"[*`_]|\\", "", text.casefold()).replace("-", " ")
    return re.sub(r"\s+", " ", text)


def sections(path: Path) -> dict[str, str]:
    """Each heading id of a notebook, with the text (markdown and code) of its section: from the
    heading to the next heading of the same or a higher level."""
    cells = nbformat.read(path, as_version=4).cells
    starts = []  # (cell index, level, id)
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            for hashes, heading in re.findall(r"^(#{1,6})\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE):
                starts.append((index, len(hashes), jupyterlab_id(heading)))
    result = {}
    for position, (index, level, anchor) in enumerate(starts):
        end = next((i for i, lvl, _ in starts[position + 1:] if lvl <= level and i > index), len(cells))
        result[anchor] = "\n".join(cell.source for cell in cells[index:max(end, index + 1)])
    return result


def entry_problems(entry: dict, repo: Path = REPO) -> list[str]:
    """What is wrong with one entry: no link to a notebook section, or a section that does not
    mention the term (nor any of its forms)."""
    links = list(SECTION_LINK.finditer(entry["definition"]))
    if not links:
        return [f"{entry['term']}: no link [notebook NN, Section](notebooks/NN_topic.ipynb#Section-id)"]
    problems = []
    for link in links:
        path = repo / link.group("file")
        section = sections(path).get(link.group("anchor")) if path.exists() else None
        if section is None:
            problems.append(f"{entry['term']}: {link.group('file')} has no section #{link.group('anchor')}")
        elif not any(re.search(rf"\b{re.escape(words(name))}(?:s|es)?\b", words(section)) for name in names(entry)):
            where = f"the section #{link.group('anchor')} of {path.name}"
            problems.append(f"{entry['term']}: {where} never says {names(entry)}")
    return problems


@pytest.fixture(scope="module")
def glossary():
    assert GLOSSARY.exists(), "GLOSSARY.md is missing"
    return entries(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_covers_the_course(glossary):
    assert len(glossary) >= 120, f"only {len(glossary)} entries"
    taught = {number for entry in glossary for number in re.findall(r"\(notebooks/(\d\d)_", entry["definition"])}
    every = {path.name[:2] for path in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert sorted(every - taught) == [], "notebooks that teach no term of the glossary"


def test_every_line_that_looks_like_an_entry_is_one():
    lines = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert [line for line in lines if not ENTRY.match(line)] == []


def test_entries_are_sorted_under_their_letter(glossary):
    keys = [sort_key(entry["term"]) for entry in glossary]
    assert keys == sorted(keys), [a for a, b in zip(keys, keys[1:]) if a > b]
    misplaced = [entry["term"] for entry in glossary if entry["letter"] != entry["term"][0].upper()]
    assert misplaced == [], "entries under another letter's heading"
    letters = HEADING.findall(GLOSSARY.read_text(encoding="utf-8"))[1:]
    used = sorted({entry["term"][0].upper() for entry in glossary})
    assert letters == used, "letter headings, one per letter used, in order"


def test_no_term_is_defined_twice(glossary):
    seen: dict[str, str] = {}
    repeated = []
    for entry in glossary:
        for name in names(entry):
            key = words(name)
            if key in seen:
                repeated.append(f"{name!r} in {entry['term']!r} and {seen[key]!r}")
            seen[key] = entry["term"]
    assert repeated == []


def test_each_entry_links_to_a_section_that_speaks_of_it(glossary):
    problems = [problem for entry in glossary for problem in entry_problems(entry)]
    assert problems == []


def test_readme_and_the_course_map_of_notebook_00_link_the_glossary():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "[GLOSSARY.md](GLOSSARY.md)" in readme and "\nGLOSSARY.md " in readme  # a sentence, and the layout list
    course_map = sections(REPO / "notebooks" / "00_jupyter_and_numpy_essentials.ipynb")["What-this-course-teaches"]
    assert "The course map" in course_map and "(../GLOSSARY.md)" in course_map


def test_a_bad_entry_is_reported(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    cells = [nbformat.v4.new_markdown_cell("# 07 · Descent\n\n## The learning rate\n\nThe step size."),
             nbformat.v4.new_code_cell("lr = 0.1  # learning rate"),
             nbformat.v4.new_markdown_cell("## Feature scaling\n\nStandardise the features.")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), notebooks / "07_descent.ipynb")
    text = "\n".join([
        "## F", "- **Feature scaling** (also *standardise*): x. — [notebook 07, Scaling](notebooks/07_descent.ipynb#Feature-scaling)",
        "## L", "- **Learning rate**: x. — [notebook 07, Rate](notebooks/07_descent.ipynb#The-learning-rate)",
        "- **Learning-rate warm-up**: x. — [notebook 07, Rate](notebooks/07_descent.ipynb#The-learning-rate)",
        "- **Loss**: x. — [notebook 07, Loss](notebooks/07_descent.ipynb#Loss)",
        "- **Lasso**: x, no link.",
    ])
    problems = [problem for entry in entries(text) for problem in entry_problems(entry, tmp_path)]
    assert problems == [
        "Learning-rate warm-up: the section #The-learning-rate of 07_descent.ipynb never says ['Learning-rate warm-up']",
        "Loss: notebooks/07_descent.ipynb has no section #Loss",
        "Lasso: no link [notebook NN, Section](notebooks/NN_topic.ipynb#Section-id)",
    ]
    keys = [sort_key(entry["term"]) for entry in entries(text)]
    assert keys != sorted(keys)
