"""The rights pages as the repository ships them: one text file per topic and language.

``content/<language>/<topic>.txt`` holds a small header (``title:``, ``summary:``,
``reviewed:``, and optionally ``reviewed_by:``, who checked it, and ``sources:``, the law it
rests on, separated by ``;``), a blank line, then the body in the format of ``markup``.
A translation nobody has reviewed yet has ``drafted:`` (the date it was written) instead of
``reviewed:`` and no ``reviewed_by:``: the page says "not yet reviewed" until a translator
signs it off on the translators' page (``amparo.translations``).
Adding a language is adding a folder with the same files; the tests check that every
language has every topic and the same sections.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_LANGUAGE = "en"

#: The topics, in reading order. The slug is the address: /rights/<slug>/.
TOPICS: tuple[str, ...] = (
    "at-home",
    "at-work",
    "in-public",
    "remain-silent",
    "never-claim-citizenship",
    "do-not-sign",
    "lawyer",
    "after-arrest",
    "expedited-removal",
    "delivery-bond",
    "find-someone",
)
HEADER_KEYS = ("title", "summary")
#: Exactly one of these dates the page: when it was last reviewed, or when a draft was written.
DATE_KEYS = ("reviewed", "drafted")
OPTIONAL_KEYS = ("reviewed_by", "sources")


@dataclass(frozen=True)
class PageText:
    topic: str
    language: str
    title: str
    summary: str
    reviewed: datetime.date
    body: str
    reviewed_by: str = ""
    sources: tuple[str, ...] = ()
    #: True for a draft (``drafted:``): ``reviewed`` is then the date it was written.
    drafted: bool = False


class ContentError(ValueError):
    pass


def languages() -> list[str]:
    """Languages with a folder of pages, English first."""
    found = sorted(p.name for p in CONTENT_DIR.iterdir() if p.is_dir())
    return sorted(found, key=lambda code: (code != DEFAULT_LANGUAGE, code))


def parse_file(text: str, *, topic: str, language: str) -> PageText:
    head, sep, body = text.partition("\n\n")
    if not sep:
        raise ContentError(f"{language}/{topic}: no blank line after the header")
    header: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in HEADER_KEYS + DATE_KEYS + OPTIONAL_KEYS:
            raise ContentError(f"{language}/{topic}: unknown header line {line!r}")
        header[key.strip()] = value.strip()
    missing = [k for k in HEADER_KEYS if not header.get(k)]
    if missing:
        raise ContentError(f"{language}/{topic}: missing {', '.join(missing)}")
    dated = [k for k in DATE_KEYS if header.get(k)]
    if len(dated) != 1:
        raise ContentError(f"{language}/{topic}: needs either reviewed or drafted (one of them)")
    date_key = dated[0]
    if date_key == "drafted" and header.get("reviewed_by"):
        raise ContentError(f"{language}/{topic}: a draft has no reviewed_by")
    try:
        reviewed = datetime.date.fromisoformat(header[date_key])
    except ValueError as error:
        raise ContentError(f"{language}/{topic}: {date_key} is not a date") from error
    return PageText(
        topic=topic,
        language=language,
        title=header["title"],
        summary=header["summary"],
        reviewed=reviewed,
        body=body.strip() + "\n",
        reviewed_by=header.get("reviewed_by", ""),
        sources=tuple(x.strip() for x in header.get("sources", "").split(";") if x.strip()),
        drafted=date_key == "drafted",
    )


@functools.cache
def repository_page(topic: str, language: str) -> PageText | None:
    """The shipped text of ``topic`` in ``language``, or None when there is none."""
    if topic not in TOPICS or "/" in language or language.startswith("."):
        return None
    path = CONTENT_DIR / language / f"{topic}.txt"
    if not path.is_file():
        return None
    return parse_file(path.read_text(encoding="utf-8"), topic=topic, language=language)
