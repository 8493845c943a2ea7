"""The product cites published work, never the internal documents the course was written from.

Learners never saw those five documents (COURSE_DESIGN.md, "Modern APIs"), so no notebook, README or
helpers docstring may point to "the sources", "the glossary", "the report" and the like. Every
"(Author, YEAR)" citation in a notebook must have its entry in REFERENCES.md, and in a notebook's
markdown be a link to that entry's anchor (``course link-citations`` makes them).
"""

import ast
import re

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO, notebook_params

from course_tools.anchors import EXPLICIT_ID

REFERENCES = REPO / "REFERENCES.md"
DOCUMENTS = ["README.md", "CONTRIBUTING.md", "NOTATION.md", "REFERENCES.md", "GLOSSARY.md", "datasets/README.md",
             "datasets/synthetic/LICENSE.md"]

# Each pattern names one of the internal documents; ordinary phrases stay legal: "two sources of
# difference", "the source task" of transfer learning, "the source of helpers.nn", "benchmarks'
# report.md", "classification_report", "report the final numbers".
INTERNAL_REFERENCE = re.compile(
    r"""
      \bthe\s+sources\b | \bsources'(?=\s) | \bsource\s+documents?\b
    | \bthe\s+source(?:'s)?\b(?!\s+(?:task|data|domain|distribution|model|of|is|images?|code)\b)
    | \b(?:one|our|another)\s+(?:of\s+(?:our|the)\s+)?sources?\b(?!\s+task)
    | \bthe\s+glossary\b | \bML\s+Glossary\b | \bml-glossary\b | \bML\s+Cheatsheet\b
    | \bthe\s+report\b(?!\.md) | \breport's\b | \bthe\s+notes\b | \bhandwritten\s+(?:course\s+)?notes\b
    | \bcourse\s+draws\s+on\b | \bcourse's\s+sources\b | \bpractical-ML\s+tutorial\b
    | \(S[0-4]\) | LazyProgrammer | \bIIT\b | \bBombay\b | Summer[\s-]+of[\s-]+Science
    """,
    re.IGNORECASE | re.VERBOSE,
)

SURNAME = r"[A-Z][A-Za-zÀ-ÿ'\-]+"
AUTHORS = rf"{SURNAME}(?:\s+(?:&|and)\s+{SURNAME})?(?:\s+et\s+al\.)?"
YEAR = r"(?:1[6-9]\d\d|20[0-4]\d)"
# (Kingma & Ba, 2014), (Simonyan et al., 2013; Zeiler & Fergus, 2014) and Kingma & Ba (2014).
PARENTHETICAL = re.compile(rf"\(((?:{AUTHORS}),\s*{YEAR}[a-z]?(?:;\s*(?:{AUTHORS}),\s*{YEAR}[a-z]?)*)\)")
ONE_CITATION = re.compile(rf"({AUTHORS}),\s*({YEAR})")
NARRATIVE = re.compile(rf"\b({AUTHORS})\s+\(({YEAR})[a-z]?\)")
# [Kingma & Ba, 2014](../REFERENCES.md#kingma-ba-2014), [Linnainmaa (1970)](../REFERENCES.md#linnainmaa-1970)
LINK_TO_ENTRY = re.compile(rf"\[(?P<text>[^\[\]\n]*?\(?{YEAR}[a-z]?\)?)\]\((?P<target>[^)\s]*REFERENCES\.md#[^)\s]*)\)")
# Where a citation is not read as one: code, mathematics and the text of other links.
NOT_PROSE = re.compile(r"^```.*?^```|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]+\$|\[[^\]]*\]\([^)\s]*\)", re.MULTILINE | re.DOTALL)


def cell_texts(path):
    """Yield (cell index, text) for every cell's source and stored text outputs."""
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        yield index, cell.source
        for output in cell.get("outputs", []):
            if "text" in output:
                yield index, output["text"]
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/"):
                    yield index, data if isinstance(data, str) else "".join(data)


def helpers_strings():
    """Yield (file, line, text) for every string constant (docstrings included) in helpers/."""
    for path in sorted((REPO / "helpers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield path.relative_to(REPO), node.lineno, node.value


def found(text):
    return [match.group(0) for match in INTERNAL_REFERENCE.finditer(text)]


def test_the_pattern_tells_internal_references_from_ordinary_phrases():
    for phrase in ["the sources' Keras example", "The glossary's init_weights()", "as the report says",
                   "the IIT Bombay report", "(S3)", "the LazyProgrammer post", "One of our sources",
                   "the handwritten notes", "The source's cost", "to follow the source,"]:
        assert found(phrase), phrase
    for phrase in ["two sources of difference", "the source task", "source data helps", "the report.md of the benchmarks",
                   "classification_report", "report the final numbers", "the source of `helpers.nn`"]:
        assert not found(phrase), phrase


@pytest.mark.parametrize("path", notebook_params())
def test_notebook_does_not_mention_internal_documents(path):
    hits = [f"cell {index}: {phrase!r}" for index, text in cell_texts(path) for phrase in found(text)]
    assert not hits, (f"{path.name} refers to documents learners never saw ({len(hits)}): {hits}. "
                      "Say it in the notebook's own words, or cite published work listed in REFERENCES.md.")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_does_not_mention_internal_documents(name):
    hits = found((REPO / name).read_text(encoding="utf-8"))
    assert not hits, f"{name} refers to documents learners never saw: {hits}"


def test_helpers_do_not_mention_internal_documents():
    hits = [f"{path}:{line}: {phrase!r}" for path, line, text in helpers_strings() for phrase in found(text)]
    assert not hits, f"helpers docstrings and strings refer to documents learners never saw: {hits}"


def notebook_citations():
    """Every (authors, year, notebook, cell) cited in a notebook's markdown or code."""
    citations = []
    for path in NOTEBOOKS:
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            source = re.sub(r"\[([^\]]*)\]\([^)\s]*\)", r"\1", cell.source)  # a linked citation reads as its text
            for group in PARENTHETICAL.finditer(source):
                citations += [(a, y, path.name, index) for a, y in ONE_CITATION.findall(group.group(1))]
            citations += [(a, y, path.name, index) for a, y in NARRATIVE.findall(source)]
    return citations


def surnames(authors):
    return re.findall(SURNAME, re.sub(r"\s+et\s+al\.", "", authors).replace(" and ", " & "))


def test_every_citation_has_a_reference_entry():
    assert REFERENCES.exists(), "REFERENCES.md is missing: the notebooks' citations need their entries"
    entries = [line for line in REFERENCES.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    citations = notebook_citations()
    assert len(citations) >= 10, f"only {len(citations)} citations found: is the pattern still right?"
    missing = []
    for authors, year, notebook, index in citations:
        names = surnames(authors)
        if not any(year in entry and all(re.search(rf"\b{re.escape(name)}\b", entry) for name in names)
                   for entry in entries):
            missing.append(f"{notebook} cell {index}: {authors}, {year}")
    assert not missing, f"citations without an entry in REFERENCES.md (surnames and year on one line): {missing}"


def test_readme_and_first_notebook_link_the_references():
    assert "REFERENCES.md" in (REPO / "README.md").read_text(encoding="utf-8")
    first = nbformat.read(NOTEBOOKS[0], as_version=4)
    assert any("REFERENCES.md" in cell.source for cell in first.cells if cell.cell_type == "markdown")


def entry_lines():
    return [line for line in REFERENCES.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]


def names_entry(authors, year, line):
    """Whether the entry ``line`` is the work "authors, year": the surnames (dots ignored, as in
    "U.S.") stand in its author list, before its "(year)"."""
    author_list, bracket, _ = line.replace(".", "").partition(f"({year}")
    return bool(bracket) and all(re.search(rf"\b{re.escape(name)}\b", author_list) for name in surnames(authors.replace(".", "")))


def citation_link_problems(markdown, entries):
    """Citations in ``markdown`` that are not links, and links to an entry that is not theirs."""
    anchors = {anchor: line for line in entries for anchor in EXPLICIT_ID.findall(line)}
    problems = []
    for link in LINK_TO_ENTRY.finditer(markdown):
        text, target = link.group("text"), link.group("target")
        year = re.search(YEAR, text).group(0)
        line = anchors.get(target.partition("#")[2], "")
        if target.partition("#")[0] != "../REFERENCES.md" or not names_entry(text[: text.rfind(year)], year, line):
            problems.append(f"[{text}]({target}) does not lead to its entry")
    prose = NOT_PROSE.sub(" ", markdown)
    plain = [m.group(0) for m in ONE_CITATION.finditer(prose)
             if any(names_entry(m.group(1), m.group(2), line) for line in entries)]
    plain += [m.group(0) for m in NARRATIVE.finditer(prose)] + [m.group(1) for m in PARENTHETICAL.finditer(prose)]
    return problems + [f"{citation!r} is not a link to its entry" for citation in dict.fromkeys(plain)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_citation_in_markdown_links_to_its_entry(path):
    markdown = "\n\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    problems = citation_link_problems(markdown, entry_lines())
    assert not problems, f"{path.name}: run `course link-citations {path.relative_to(REPO)}`:\n" + "\n".join(problems)


def test_a_plain_or_misdirected_citation_is_reported():
    entries = ['- <a id="kingma-ba-2014"></a> Kingma, D. P., & Ba, J. (2014). Adam.',
               '- <a id="fisher-1936"></a> Fisher, R. A. (1936). Iris. (Cited with Kingma & Ba, 2014.)',
               '- <a id="us-census-bureau-1995"></a> U.S. Census Bureau (1995). *Names*.']
    good = ("([Kingma & Ba, 2014](../REFERENCES.md#kingma-ba-2014)), [Fisher (1936)](../REFERENCES.md#fisher-1936), "
            "([US Census Bureau, 1995](../REFERENCES.md#us-census-bureau-1995)), `Kingma & Ba, 2014` in code")
    assert citation_link_problems(good, entries) == []
    bad = ("(Kingma & Ba, 2014), Fisher (1936), (AdamW, Kingma & Ba, 2014; see below), "
           "[Kingma & Ba, 2014](../REFERENCES.md#fisher-1936), [Fisher, 1936](REFERENCES.md#fisher-1936)")
    problems = citation_link_problems(bad, entries)
    assert len(problems) == 4, problems
    assert [kind for kind in ("#fisher-1936) does", "REFERENCES.md#fisher-1936) does", "'Kingma & Ba, 2014' is not",
                              "'Fisher (1936)' is not") if not any(kind in p for p in problems)] == []
