"""``course link-citations``: every citation in a notebook's markdown a link to its REFERENCES.md entry.

A notebook cites published work as "(Kingma & Ba, 2014)", "(Simonyan et al., 2013; Zeiler & Fergus,
2014)" or "Linnainmaa (1970)". Each entry of REFERENCES.md (a line ``- Surname, I., & Other, J.
(YEAR). Title...``) carries an explicit anchor, ``<a id="kingma-ba-2014"></a>``, named after its
authors and year: one surname (``fisher-1936``), two (``kingma-ba-2014``) or the first and "et al."
(``simonyan-et-al-2013``); an institution's whole name (``us-census-bureau-1995``). Linking
rewrites a citation into ``[Kingma & Ba, 2014](../REFERENCES.md#kingma-ba-2014)`` (the
parentheses stay outside the link) and drops the "; see [References](../REFERENCES.md)" that
the link makes redundant. Both steps are idempotent: running them again changes nothing.

A citation names its entry by its surnames and year: "Fisher" one author, "Kingma & Ba" exactly
two, "Simonyan et al." the first of three or more. A citation that names no entry is left as it
is and reported; one that names more than one stops the run.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
SURNAME = r"[A-Z][A-Za-zÀ-ÿ'\-]+"
AUTHORS = rf"{SURNAME}(?:\s+(?:&|and)\s+{SURNAME})?(?:\s+et\s+al\.)?"
YEAR = r"(?:1[6-9]\d\d|20[0-4]\d)"
# "Kingma & Ba, 2014" (within parentheses) and "Kingma & Ba (2014)" (in a sentence).
COMMA_CITATION = re.compile(rf"(?<![\w\[])(?P<authors>{AUTHORS}),\s*(?P<year>{YEAR})[a-z]?(?!\d)")
NARRATIVE_CITATION = re.compile(rf"(?<![\w\[])(?P<authors>{AUTHORS})\s+\((?P<year>{YEAR})[a-z]?\)")
# Capitalised words before a surname may belong to an institution: "US Census Bureau, 1995".
INSTITUTION_WORD = re.compile(r"[A-Z][\w.]*\s+$")
ANCHOR_TAG = re.compile(r'^- <a id="[^"]*"></a>\s*')
ENTRY_AUTHORS = re.compile(r"^(?P<authors>.+?)\s+\((?P<year>{0})[a-z]?\)".format(YEAR))
PERSON = re.compile(r"(?:^|,\s*)(?:&\s*)?(?P<surname>[^,&]+?),\s+[^\W\d_]{1,2}\.")
# Spans where nothing is a citation: code, mathematics, links, autolinks, HTML tags.
PROTECTED = re.compile(
    r"^```.*?^```|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]+\$|(?<!!)\[[^\]]*\]\([^)\s]*\)|<[^>\n]+>",
    re.MULTILINE | re.DOTALL,
)
# "; see [References](../REFERENCES.md)" closing a parenthesis whose citation is already a link.
SEE_REFERENCES = re.compile(
    r"(\]\(\.\./REFERENCES\.md#[^)\s]+\)[^()\[\]]*?)"  # a linked citation, then perhaps ", section 2"
    r";\s*(?:see\s+)?\[[Rr]eferences\]\(\.\./REFERENCES\.md(?:#[^)\s]*)?\)(?=\))"
)


class CitationError(Exception):
    """A citation or a reference entry cannot be resolved (the message says which and why)."""


@dataclass(frozen=True)
class Reference:
    """One entry of REFERENCES.md: its anchor, its authors' surnames in order (an institution's
    name as one), its year ('' for an undated entry) and its line."""

    anchor: str
    surnames: tuple[str, ...]
    year: str
    line: str


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` ('Géron' -> 'geron', 'U.S.' -> 'us')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9 ]", "", ascii_text.lower().replace("-", " "))


def _slug(text: str) -> str:
    return re.sub(r"\s+", "-", _fold(text).strip())


def entry_surnames(authors: str) -> tuple[str, ...]:
    """The surnames in an entry's author list ("Kingma, D. P., & Ba, J." -> ("Kingma", "Ba")); an
    author list without initials is an institution, one name ("U.S. Census Bureau")."""
    people = [match.group("surname").strip() for match in PERSON.finditer(authors)]
    return tuple(people) if people else (authors.strip().rstrip("."),)


def anchor_for(surnames: tuple[str, ...], year: str) -> str:
    """The anchor of an entry: ``kingma-ba-2014``, ``fisher-1936``, ``simonyan-et-al-2013``."""
    names = surnames if len(surnames) <= 2 else (surnames[0], "et al")
    return "-".join(_slug(name) for name in (*names, year) if name)


def parse_references(text: str) -> list[Reference]:
    """The entries ("- " lines) of a REFERENCES.md text, with or without their anchor tags.

    Raises CitationError if two entries would get the same anchor."""
    references = []
    for line in text.splitlines():
        if not line.startswith("- "):
            continue
        body = ANCHOR_TAG.sub("- ", line)[2:]
        match = ENTRY_AUTHORS.match(body)
        if match:
            surnames, year = entry_surnames(match.group("authors")), match.group("year")
        else:
            surnames, year = (re.split(r"[:.(]", body, maxsplit=1)[0].strip(),), ""
        references.append(Reference(anchor_for(surnames, year), surnames, year, line))
    anchors = [reference.anchor for reference in references]
    repeated = sorted({anchor for anchor in anchors if anchors.count(anchor) > 1})
    if repeated:
        raise CitationError(f"REFERENCES.md: entries share the anchors {repeated}; tell them apart by hand")
    return references


def with_anchors(text: str) -> str:
    """REFERENCES.md ``text`` with an ``<a id="..."></a>`` at the start of every entry."""
    anchors = iter(reference.anchor for reference in parse_references(text))
    lines = [
        f'- <a id="{next(anchors)}"></a>' + ANCHOR_TAG.sub("- ", line)[1:] if line.startswith("- ") else line
        for line in text.splitlines()
    ]
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def cited_surnames(authors: str) -> list[str]:
    """The surnames a citation names ("Simonyan et al." -> ["Simonyan"], "A & B" -> ["A", "B"])."""
    return [name.strip() for name in re.split(r"\s+(?:&|and)\s+", re.sub(r"\s+et\s+al\.", "", authors))]


def resolve(authors: str, year: str, references: list[Reference]) -> Reference | None:
    """The entry that citation ``authors, year`` names, or None if none does.

    Raises CitationError if it names more than one."""
    names = [_fold(name) for name in cited_surnames(authors)]
    matches = [
        reference for reference in references
        if reference.year == year
        and [_fold(name) for name in reference.surnames[: len(names)]] == names
        and (len(reference.surnames) > 2 if "et al." in authors else len(reference.surnames) == len(names))
    ]
    if len(matches) > 1:
        raise CitationError(f"{authors}, {year} names {len(matches)} entries: {[m.anchor for m in matches]}")
    return matches[0] if matches else None


def _protected_spans(markdown: str) -> list[tuple[int, int]]:
    return [match.span() for match in PROTECTED.finditer(markdown)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def link_citations(markdown: str, references: list[Reference], target: str = "../REFERENCES.md") -> str:
    """``markdown`` with every citation that names an entry made a link to ``target#anchor``.

    Raises CitationError for a citation that names more than one entry."""
    spans = _protected_spans(markdown)
    replacements = []  # (start, end, new text)
    for pattern in (NARRATIVE_CITATION, COMMA_CITATION):
        for match in pattern.finditer(markdown):
            start = match.start()
            if _inside(start, spans) or any(s <= start < e for s, e, _ in replacements):
                continue
            reference = resolve(match.group("authors"), match.group("year"), references)
            if reference is None and pattern is COMMA_CITATION:
                start, reference = _institution(markdown, start, match, references)
            if reference is not None:
                text = markdown[start:match.end()]
                replacements.append((start, match.end(), f"[{text}]({target}#{reference.anchor})"))
    for start, end, text in sorted(replacements, reverse=True):
        markdown = markdown[:start] + text + markdown[end:]
    return SEE_REFERENCES.sub(r"\1", markdown)


def _institution(
    markdown: str, start: int, match: re.Match, references: list[Reference]
) -> tuple[int, Reference | None]:
    """For a citation whose last word is an institution's ("US Census Bureau, 1995"), the start of
    its name (up to three more capitalised words before) and its entry; else (start, None)."""
    for _ in range(3):
        word = INSTITUTION_WORD.search(markdown[:start])
        if not word:
            break
        start = word.start()
        reference = resolve(markdown[start:match.start()] + match.group("authors"), match.group("year"), references)
        if reference is not None:
            return start, reference
    return match.start(), None


def unknown_citations(markdown: str, references: list[Reference]) -> list[str]:
    """The citations in ``markdown`` ("(Smith, 2020)", "Smith (2020)", not yet links) that name
    no entry of ``references``."""
    spans = _protected_spans(markdown)
    found = []
    for pattern in (NARRATIVE_CITATION, COMMA_CITATION):
        for match in pattern.finditer(markdown):
            before = markdown[:match.start()].rstrip()
            if (pattern is NARRATIVE_CITATION or before.endswith(("(", ";"))) and not _inside(match.start(), spans):
                if resolve(match.group("authors"), match.group("year"), references) is None:
                    found.append(match.group(0))
    return found


def link_notebook(path: Path, references: list[Reference]) -> tuple[bool, list[str]]:
    """Link the citations in the markdown cells of notebook ``path``; return whether it changed,
    and the citations left plain because they name no entry."""
    nb = nbformat.read(path, as_version=4)
    changed, unknown = False, []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            linked = link_citations(cell.source, references)
            changed |= linked != cell.source
            unknown += unknown_citations(linked, references)
            cell.source = linked
    if changed:
        nbformat.write(nb, path)
    return changed, unknown


def link_all(notebooks: list[Path], repo: Path = REPO) -> tuple[list[Path], list[str]]:
    """Give REFERENCES.md's entries their anchors and link every citation in ``notebooks``; return
    the files that changed, and the citations (``"notebook: citation"``) that name no entry.

    Raises CitationError if REFERENCES.md is missing, two entries share an anchor, or a citation
    names more than one entry."""
    references_path = repo / "REFERENCES.md"
    if not references_path.is_file():
        raise CitationError(f"no REFERENCES.md in {repo}: run course link-citations from the course's repository")
    text = references_path.read_text(encoding="utf-8")
    anchored = with_anchors(text)
    changed = []
    if anchored != text:
        references_path.write_text(anchored, encoding="utf-8")
        changed.append(references_path)
    references = parse_references(anchored)
    unknown = []
    for path in notebooks:
        if not path.is_file():
            raise CitationError(f"no such notebook: {path}")
        notebook_changed, plain = link_notebook(path, references)
        changed += [path] if notebook_changed else []
        unknown += [f"{path.name}: {citation}" for citation in plain]
    return changed, unknown


def main(notebooks: list[Path], repo: Path = REPO) -> int:
    """``course link-citations [NOTEBOOK ...]`` (default: every notebook): print what changed, and
    return 1 if a citation names no entry of REFERENCES.md (0 otherwise).

    Exits with a message (SystemExit) on a CitationError."""
    paths = notebooks or sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    try:
        changed, unknown = link_all([Path(path) for path in paths], repo)
    except CitationError as error:
        raise SystemExit(f"course link-citations: {error}") from error
    for path in changed:
        print(f"linked citations in {path}")
    for citation in unknown:
        print(f"no entry in REFERENCES.md for {citation}: add one (surnames and year), then run again")
    print(f"{len(changed)} file(s) changed, {len(paths)} notebook(s) checked")
    return 1 if unknown else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main([Path(arg) for arg in sys.argv[1:]]))
