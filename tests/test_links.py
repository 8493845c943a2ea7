"""Every cross-reference a learner can click leads somewhere: the file exists, and a #fragment
names a heading of its target, by the anchor rules of :mod:`course_tools.anchors` (JupyterLab's
for notebooks, GitHub's for markdown documents).
"""

import re
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO

from course_tools.anchors import EXPLICIT_ID, HEADING, github_id, jupyterlab_id, without_code
from course_tools.navigation import stale_navigation
from course_tools.renumber import NOTEBOOK_TARGET, NUMBER, PLAIN_MENTION

DOCUMENTS = sorted(REPO.glob("*.md")) + sorted((REPO / "datasets").rglob("*.md"))
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
EXTERNAL = ("http://", "https://", "mailto:")


def markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def anchors_of(path: Path) -> set[str]:
    make_id = jupyterlab_id if path.suffix == ".ipynb" else github_id
    markdown = without_code(markdown_of(path))
    return {make_id(heading) for heading in HEADING.findall(markdown)} | set(EXPLICIT_ID.findall(markdown))


def broken_links(path: Path) -> list[str]:
    problems = []
    for target in LINK.findall(without_code(markdown_of(path))):
        if target.startswith(EXTERNAL):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{target}: no file {linked.relative_to(REPO) if linked.is_relative_to(REPO) else linked}")
        elif fragment and linked.suffix in (".ipynb", ".md") and fragment not in anchors_of(linked):
            problems.append(f"{target}: {linked.name} has no heading with the id {fragment!r}")
    return problems


def mention_problems(path: Path) -> list[str]:
    """Plain "notebook NN" phrases (each mention must be a link, so that it can be clicked and
    renumbered), and links whose text names another notebook's number than their target's."""
    markdown = re.sub(r"`[^`\n]*`", "", without_code(markdown_of(path)))
    problems = [f"plain mention {m.group()!r}: make it a link" for m in PLAIN_MENTION.finditer(LINK_WITH_TEXT.sub("", markdown))]
    for text, target in LINK_WITH_TEXT.findall(markdown):
        parts = NOTEBOOK_TARGET.match(target)
        numbers = re.findall(NUMBER, text)
        if parts and numbers and parts["stem"][:2] not in numbers:
            problems.append(f"[{text}]({target}): the text names {', '.join(numbers)}, the target is {parts['stem'][:2]}")
    return problems


LINK_WITH_TEXT = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", NOTEBOOKS + DOCUMENTS, ids=lambda p: p.name)
def test_every_mention_of_a_notebook_is_a_link_with_its_number(path):
    problems = mention_problems(path)
    assert not problems, f"{path.name}: mentions of notebooks (renumbering rewrites links only):\n" + "\n".join(problems)


def test_every_notebook_starts_and_ends_with_current_previous_and_next_links():
    stale = stale_navigation(REPO / "notebooks")
    assert not stale, f"missing or stale previous/next links in {', '.join(stale)}: run `course renumber` (no arguments)"


def test_a_plain_or_mismatched_mention_is_reported(tmp_path):
    document = tmp_path / "doc.md"
    document.write_text("As notebook 05 showed, [notebook 06](05_lines.ipynb) and [07](07_x.ipynb) agree; `notebook 09`.\n")
    problems = mention_problems(document)
    assert len(problems) == 2 and "'notebook 05'" in problems[0] and "the target is 05" in problems[1]


@pytest.mark.parametrize("path", NOTEBOOKS + DOCUMENTS, ids=lambda p: p.name)
def test_links_lead_to_a_file_and_a_heading(path):
    problems = broken_links(path)
    assert not problems, f"{path.name}: broken links (fix the target or the heading):\n" + "\n".join(problems)


def test_anchor_rules_match_jupyterlab_and_github():
    assert jupyterlab_id("The gradient in **matrix** form") == "The-gradient-in-matrix-form"
    assert jupyterlab_id("Exercise 1 · `count_per_class`") == "Exercise-1-·-count_per_class"
    assert github_id("Outputs that hold on every machine") == "outputs-that-hold-on-every-machine"
    assert github_id("Sources, and references!") == "sources-and-references"


def test_a_broken_link_is_reported(tmp_path):
    document = tmp_path / "doc.md"
    document.write_text('# Title\n\n- <a id="set-by-hand"></a> [ok](#title) [ok](#set-by-hand) [bad](#nowhere) [gone](missing.ipynb)\n', encoding="utf-8")
    problems = broken_links(document)
    assert len(problems) == 2 and "nowhere" in problems[0] and "missing.ipynb" in problems[1]
