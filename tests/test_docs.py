"""The design lives with the code: no reference leaves the repository, and every link lands.

- No tracked file names the design notes that used to live outside the repository (their rules
  are in ``docs/``), nor a path into the shared folder beside it.
- Every relative link in ``README.md`` and ``docs/**/*.md`` points at a file that exists.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Spelled in two parts so that this file does not match itself.
FORBIDDEN = ("DESIGN" + ".md", "../" + "shared")

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def repository_files() -> list[Path]:
    """Tracked files, plus new files not yet added (so a fresh file is checked before commit)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted({ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()})


def text_of(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None  # binary (screenshots, compiled catalogs)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def relative_links(markdown: str) -> list[str]:
    """Link targets that name a file of the repository (not a URL, a site path or an anchor)."""
    prose = CODE_SPAN.sub("", FENCE.sub("", markdown))
    targets = []
    for target in LINK.findall(prose):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith(("/", "#")):
            continue
        targets.append(target.split("#", 1)[0])
    return targets


def test_no_file_refers_outside_the_repository() -> None:
    files = repository_files()
    assert ROOT / "docs" / "architecture.md" in files  # the listing really covers the repository
    found = []
    for path in files:
        text = text_of(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            found += [
                f"{path.relative_to(ROOT)}:{number}: {word}" for word in FORBIDDEN if word in line
            ]
    assert not found, "point these at docs/ instead:\n" + "\n".join(found)


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    broken = [
        target
        for target in relative_links(path.read_text(encoding="utf-8"))
        if not (path.parent / target).exists()
    ]
    assert not broken, f"{path.relative_to(ROOT)} links to missing files: {broken}"


def test_the_design_documents_exist_and_are_linked_from_the_readme() -> None:
    readme_links = set(relative_links((ROOT / "README.md").read_text(encoding="utf-8")))
    assert "docs/architecture.md" in readme_links
    assert "docs/data-protection.md" in readme_links
    decisions = sorted((ROOT / "docs" / "decisions").glob("0*.md"))
    assert len(decisions) >= 4
    index = set(relative_links((ROOT / "docs" / "decisions" / "README.md").read_text("utf-8")))
    assert {d.name for d in decisions} <= index, "every decision record is listed in the index"


def test_the_link_checker_sees_links_and_skips_code() -> None:
    sample = "[a](x.md) ![b](img/y.png#z) [c](https://e.org) [d](/help/) `[e](no.md)`\n```\n[f](no2.md)\n```\n"
    assert relative_links(sample) == ["x.md", "img/y.png"]
