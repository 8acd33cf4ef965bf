"""Which county a ZIP code is in, from the dataset bundled with the ``zipcodes`` package.

Pure Python, no Django, no network: the data ships inside the package (refreshed monthly by its
maintainers from USPS and other public sources). The dataset gives each ZIP code its main
county only, so a ZIP code that crosses a county line is answered with that one county; the
screening rules therefore never refuse anyone on a ZIP code's county, they only pass someone
whose ZIP code lies wholly in the program's counties, and send the rest to a person.
"""

from __future__ import annotations

import functools

import zipcodes

#: Words the dataset (and people) put after a county's name; "Denver County" and "Denver" are
#: the same county for matching.
_SUFFIXES = (" county", " parish", " borough", " census area", " municipality")


def county_key(name: str) -> str:
    """A county name reduced for comparison: case, spaces and a trailing "County" ignored."""
    key = " ".join(name.casefold().split())
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


@functools.lru_cache(maxsize=4096)
def counties_of_zip(zip_code: str) -> tuple[str, ...]:
    """The counties ``zip_code`` lies in, as the dataset names them ("Denver County"); empty
    for a ZIP code the dataset does not know or that is not five digits."""
    digits = "".join(c for c in zip_code if c.isdigit())[:5]
    if len(digits) != 5:
        return ()
    try:
        # The package types its core (_zipcodes.pyi) but not this thin wrapper.
        found = zipcodes.matching(digits)  # type: ignore[no-untyped-call]
    except (ValueError, TypeError):
        return ()
    names = (str(row.get("county") or "").strip() for row in found)
    return tuple(dict.fromkeys(n for n in names if n))
