"""The product cites published work, never the internal documents the course was written from.

Learners never saw those five documents (COURSE_DESIGN.md, "Modern APIs"), so no notebook, README or
helpers docstring may point to "the sources", "the glossary", "the report" and the like. Every
"(Author, YEAR)" citation in a notebook must have its entry in REFERENCES.md.
"""

import ast
import re

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO, notebook_params

REFERENCES = REPO / "REFERENCES.md"
DOCUMENTS = ["README.md", "CONTRIBUTING.md", "NOTATION.md", "REFERENCES.md", "datasets/README.md", "datasets/synthetic/LICENSE.md"]

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
            for group in PARENTHETICAL.finditer(cell.source):
                citations += [(a, y, path.name, index) for a, y in ONE_CITATION.findall(group.group(1))]
            citations += [(a, y, path.name, index) for a, y in NARRATIVE.findall(cell.source)]
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
