"""A tiny, safe text format for the rights pages: the repository's files and admins' edits.

What it knows, and nothing else:

- a blank line ends a paragraph (one idea per paragraph);
- ``## Heading`` starts a short section;
- ``- item`` lines make a list;
- ``[words](/path/)`` is a link, only to our own pages, ``tel:`` numbers or the outside
  addresses listed in ``amparo.core.security.OUTBOUND_LINKS``;
- ``**words**`` is bold.

Everything is escaped: raw HTML is shown as text (and refused when an admin saves it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

#: Outside sites a page may link to, by origin: one list with the other security rules.
from amparo.core.security import OUTBOUND_LINKS as _OUTBOUND

_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\(([^()\s]{1,300})\)")
_BOLD = re.compile(r"\*\*([^*\n]{1,300})\*\*")
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_TEL = re.compile(r"^tel:\+?[0-9-]{3,20}$")
_LOCAL = re.compile(r"^/[A-Za-z0-9/_.\-]*(#[A-Za-z0-9_-]+)?$")


@dataclass(frozen=True)
class Block:
    kind: str  # "h2", "p" or "ul"
    lines: tuple[str, ...]


def allowed_target(url: str) -> bool:
    """Our own pages (a path, never ``//host``), ``tel:`` numbers, and the listed sites."""
    if _LOCAL.match(url) and not url.startswith("//"):
        return True
    if _TEL.match(url):
        return True
    return any(url == origin or url.startswith(origin + "/") for origin in _OUTBOUND)


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("p", (" ".join(paragraph),)))
            paragraph.clear()
        if items:
            blocks.append(Block("ul", tuple(items)))
            items.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(Block("h2", (line[3:].strip(),)))
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks


def problems(text: str) -> list[str]:
    """Codes of what is wrong with ``text`` (empty when it is fine): ``html``, ``link``,
    ``heading`` (a heading line with nothing after it) and ``empty``."""
    found: list[str] = []
    if _HTML.search(text):
        found.append("html")
    for match in _LINK.finditer(text):
        if not allowed_target(match.group(2)):
            found.append("link")
            break
    blocks = parse(text)
    if any(b.kind == "h2" and not b.lines[0] for b in blocks):
        found.append("heading")
    if not any(b.kind in ("p", "ul") for b in blocks):
        found.append("empty")
    return found


def _inline(text: str) -> str:
    """Escape ``text`` and turn the allowed links and bold into HTML."""
    out: list[str] = []
    pos = 0
    for match in _LINK.finditer(text):
        out.append(_bold(text[pos : match.start()]))
        label, url = match.group(1), match.group(2)
        if allowed_target(url):
            out.append(f'<a href="{escape(url, quote=True)}">{_bold(label)}</a>')
        else:
            out.append(_bold(label))
        pos = match.end()
    out.append(_bold(text[pos:]))
    return "".join(out)


def _bold(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _BOLD.finditer(text):
        out.append(escape(text[pos : match.start()], quote=True))
        out.append(f"<strong>{escape(match.group(1), quote=True)}</strong>")
        pos = match.end()
    out.append(escape(text[pos:], quote=True))
    return "".join(out)


def to_html(text: str, heading_level: int = 2) -> str:
    """HTML for ``text``; every character of the source is escaped first."""
    parts: list[str] = []
    for block in parse(text):
        if block.kind == "h2":
            parts.append(f"<h{heading_level}>{_inline(block.lines[0])}</h{heading_level}>")
        elif block.kind == "ul":
            items = "".join(f"<li>{_inline(item)}</li>" for item in block.lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_inline(block.lines[0])}</p>")
    return "\n".join(parts)


def to_plain(text: str) -> str:
    """The words only (link targets and markers dropped): for readability scores and PDFs."""
    lines: list[str] = []
    for block in parse(text):
        for line in block.lines:
            line = _LINK.sub(lambda m: m.group(1), line)
            line = _BOLD.sub(lambda m: m.group(1), line)
            lines.append(line)
    return "\n".join(lines)
