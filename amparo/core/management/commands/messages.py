"""`amparo messages`: extract and compile the catalogs of every app under amparo/.

Each app owns ``amparo/<app>/locale/<language>/LC_MESSAGES/django.po``: Spanish for every app
(staff and public pages speak it), and Portuguese, French, Haitian Creole, Arabic and Russian
(the *draft* languages, ``amparo.core.i18n_public``) for the apps with strings on public pages.
Extraction runs Django's ``makemessages`` in the app's own folder (so each catalog holds exactly
that app's strings); compilation runs ``compilemessages`` there, or polib when GNU gettext is
not installed.

``amparo messages --check`` changes nothing: it extracts the strings with Python alone (``ast``
for Python files, Django's ``templatize`` for templates), compares them with the committed
catalogs and the compiled ``.mo`` files, and fails on any missing, empty or fuzzy Spanish
string, and on any *public* string (one used by a public source, ``PUBLIC_SOURCES``) missing,
empty or fuzzy in a draft language's catalog. A draft language nobody has started (no catalog
for it in any app) is not checked; once one app has its catalog, every app with public strings
must. The test suite runs the same check (tests/i18n/).
"""

from __future__ import annotations

import ast
import functools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation.template import templatize

import amparo
from amparo.core.i18n_public import draft_languages, is_public_source

LANGUAGE = "es"
DOMAIN = "django"
AMPARO_ROOT = Path(amparo.__file__).resolve().parent

#: The file types makemessages reads for the ``django`` domain; anything not .py is a template.
EXTENSIONS = (".py", ".html", ".txt")
#: Folders makemessages skips (hidden ones and CVS) plus ones that hold no source.
IGNORED_DIRS = frozenset({"CVS", "__pycache__", "locale"})

#: Keyword -> (context argument, singular argument, plural argument), as xgettext reads them
#: with the keywords Django's makemessages adds.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

#: What ``templatize`` writes for a translatable template string: ``gettext('...')`` and
#: friends with Python string literals, and ``_("...")`` copied from filter arguments.
_TEMPLATE_CALL = re.compile(r"(?<![\w.])(npgettext|pgettext|ngettext|gettext|_)\(")
_STRING_ARG = re.compile(r"""\s*(u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))\s*([,)])""")

MessageKey = tuple[str | None, str]  # (context, msgid)


@dataclass
class Message:
    msgid: str
    context: str | None = None
    plural: str | None = None
    locations: list[str] = field(default_factory=list)

    @property
    def key(self) -> MessageKey:
        return (self.context, self.msgid)


def _message_from_args(keyword: str, args: list[str | None], location: str) -> Message | None:
    ctx_i, msg_i, plural_i = KEYWORDS[keyword]
    needed = max(i for i in (ctx_i, msg_i, plural_i) if i is not None)
    if len(args) <= needed:
        return None
    msgid = args[msg_i]
    context = args[ctx_i] if ctx_i is not None else None
    plural = args[plural_i] if plural_i is not None else None
    if (
        not msgid
        or (ctx_i is not None and context is None)
        or (plural_i is not None and plural is None)
    ):
        return None  # not a literal: xgettext cannot read it either
    return Message(msgid=msgid, context=context, plural=plural, locations=[location])


def messages_in_python(source: str, filename: str = "<string>") -> list[Message]:
    """The translatable strings of a Python module, found through its syntax tree."""
    found: list[Message] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        if name not in KEYWORDS:
            continue
        args = [
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
            for a in node.args
        ]
        message = _message_from_args(name, args, f"{filename}:{node.lineno}")
        if message is not None:
            found.append(message)
    return found


def messages_in_template(source: str, filename: str = "<template>") -> list[Message]:
    """The translatable strings of a Django template, through Django's own ``templatize``."""
    code = templatize(source, origin=filename)
    found: list[Message] = []
    for match in _TEMPLATE_CALL.finditer(code):
        args: list[str | None] = []
        pos = match.end()
        while arg := _STRING_ARG.match(code, pos):
            args.append(ast.literal_eval(arg.group(1)))
            pos = arg.end()
            if arg.group(2) == ")":
                break
        else:
            args.append(None)  # a non-literal argument, such as ngettext's ``count``
        line = code.count("\n", 0, match.start()) + 1
        message = _message_from_args(match.group(1), args, f"{filename}:{line}")
        if message is not None:
            found.append(message)
    return found


def source_files(root: Path) -> Iterator[Path]:
    """The files makemessages would read under ``root``, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in IGNORED_DIRS)
        for name in sorted(filenames):
            if name.endswith(EXTENSIONS) and not name.startswith("."):
                yield Path(dirpath) / name


def extract_messages(root: Path, files: Iterable[Path] | None = None) -> dict[MessageKey, Message]:
    """Every translatable string under ``root`` (an app's folder), keyed by (context, msgid)."""
    messages: dict[MessageKey, Message] = {}
    for path in source_files(root) if files is None else files:
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        found = (
            messages_in_python(source, rel)
            if path.suffix == ".py"
            else messages_in_template(source, rel)
        )
        for message in found:
            if message.key in messages:
                messages[message.key].locations.extend(message.locations)
            else:
                messages[message.key] = message
    return messages


def app_messages(root: Path) -> dict[MessageKey, Message]:
    """``extract_messages(root)``, read again only when a source file changed: ``--check``
    asks for an app's strings once per language. (Callers must not change the result.)"""
    signature = tuple((str(p), p.stat().st_mtime_ns) for p in source_files(root))
    return _messages_for(root, signature)


@functools.lru_cache(maxsize=64)
def _messages_for(root: Path, _signature: tuple[tuple[str, int], ...]) -> dict[MessageKey, Message]:
    return extract_messages(root)


def catalog_paths(root: Path, language: str = LANGUAGE) -> tuple[Path, Path]:
    base = root / "locale" / language / "LC_MESSAGES" / DOMAIN
    return base.with_suffix(".po"), base.with_suffix(".mo")


def _entry_key(entry: polib.POEntry | polib.MOEntry) -> MessageKey:
    return (entry.msgctxt or None, entry.msgid)


def _entry_value(entry: polib.POEntry | polib.MOEntry) -> Any:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def is_public_message(root: Path, message: Message) -> bool:
    """True when a public page can show ``message`` (one of its sources is public)."""
    return any(is_public_source(root.name, location) for location in message.locations)


def public_messages(root: Path) -> dict[MessageKey, Message]:
    """The strings of the app at ``root`` that public pages use."""
    return {k: m for k, m in app_messages(root).items() if is_public_message(root, m)}


def started_languages() -> list[str]:
    """The draft languages that have a catalog in at least one app."""
    roots = app_roots()
    return [
        code for code in draft_languages() if any(catalog_paths(r, code)[0].exists() for r in roots)
    ]


def catalog_languages(root: Path) -> list[str]:
    """The languages the app at ``root`` keeps a catalog for: Spanish, and the draft languages
    when the app has public strings."""
    return [LANGUAGE, *draft_languages()] if public_messages(root) else [LANGUAGE]


def catalog_problems(
    root: Path, language: str = LANGUAGE, *, public_only: bool = False
) -> list[str]:
    """Why the catalog of the app at ``root`` is not complete, or [] when it is.

    A problem is: a string in the code with no entry in the .po file, an entry that is empty or
    marked fuzzy, a .po file that does not parse, or a .mo file missing or not matching its .po.
    ``public_only``: only the strings public pages use count (a draft language's catalog).
    """
    messages = public_messages(root) if public_only else app_messages(root)
    po_path, mo_path = catalog_paths(root, language)
    if not po_path.exists():
        return [f"{po_path}: missing ({len(messages)} strings to translate)"] if messages else []
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as exc:
        return [f"{po_path}: cannot be read: {exc}"]
    entries = {_entry_key(e): e for e in po if not e.obsolete}
    problems: list[str] = []
    for key, message in sorted(messages.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        where = ", ".join(message.locations[:3])
        label = f"{message.msgid!r}" + (
            f" (context {message.context!r})" if message.context else ""
        )
        entry = entries.get(key)
        if entry is None:
            problems.append(
                f"{po_path}: not in the catalog: {label} ({where}); run `amparo messages`"
            )
        elif entry.fuzzy:
            problems.append(f"{po_path}: fuzzy: {label}")
        elif not entry.translated():
            problems.append(f"{po_path}: not translated: {label}")
    problems.extend(compiled_problems(po, po_path, mo_path))
    return problems


def compiled_problems(po: polib.POFile, po_path: Path, mo_path: Path) -> list[str]:
    """Whether ``mo_path`` holds exactly the translated entries of ``po``."""
    if not mo_path.exists():
        return [f"{mo_path}: missing; run `amparo messages`"]
    try:
        mo = polib.mofile(str(mo_path))
    except (OSError, ValueError) as exc:
        return [f"{mo_path}: cannot be read: {exc}"]
    expected = {_entry_key(e): _entry_value(e) for e in po.translated_entries()}
    compiled = {_entry_key(e): _entry_value(e) for e in mo if e.msgid}
    problems = []
    if compiled != expected:
        keys = set(expected) | set(compiled)
        changed = sorted(k[1] for k in keys if expected.get(k) != compiled.get(k))
        problems.append(
            f"{mo_path}: out of date with {po_path.name} (e.g. {changed[:3]}); run `amparo messages`"
        )
    if po.metadata.get("Plural-Forms") != mo.metadata.get("Plural-Forms"):
        problems.append(
            f"{mo_path}: Plural-Forms differ from {po_path.name}; run `amparo messages`"
        )
    return problems


def app_roots() -> list[Path]:
    """The folders of the installed apps that live in the amparo package."""
    roots = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(AMPARO_ROOT):
            roots.append(path)
    return sorted(roots)


def stray_messages() -> dict[Path, list[Message]]:
    """Translatable strings in files of the amparo package that belong to no installed app.

    Django loads catalogs only from installed apps, so these strings would never be translated.
    """
    roots = app_roots()
    strays: dict[Path, list[Message]] = {}
    for path in source_files(AMPARO_ROOT):
        if any(path.resolve().is_relative_to(root) for root in roots):
            continue
        found = extract_messages(AMPARO_ROOT, [path])
        if found:
            strays[path] = list(found.values())
    return strays


def compile_catalog(po_path: Path) -> None:
    """Write the .mo beside ``po_path`` with polib (used when msgfmt is not installed)."""
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))


def language_problems(root: Path, language: str) -> list[str]:
    """``catalog_problems`` as ``--check`` applies it: every Spanish string; the public strings
    of a draft language (none when ``language`` is not a draft language of this app)."""
    if language == LANGUAGE:
        return catalog_problems(root)
    if language not in catalog_languages(root):
        return []
    return catalog_problems(root, language, public_only=True)


class Command(BaseCommand):
    help = "Extract and compile the catalogs of every app under amparo/ (or check them)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=(
                "Change nothing; fail if a Spanish string, or a public string of a started draft"
                " language, is missing or fuzzy, or a .mo is stale."
            ),
        )
        parser.add_argument(
            "-l",
            "--language",
            action="append",
            default=[],
            help="Only this language (repeatable; default: Spanish and every draft language).",
        )
        parser.add_argument("apps", nargs="*", help="App folder names (default: every app).")

    def handle(self, *args: Any, **options: Any) -> None:
        roots = app_roots()
        if options["apps"]:
            unknown = set(options["apps"]) - {r.name for r in roots}
            if unknown:
                raise CommandError(f"No such app under amparo/: {', '.join(sorted(unknown))}")
            roots = [r for r in roots if r.name in options["apps"]]
        known = [LANGUAGE, *draft_languages()]
        unknown_languages = set(options["language"]) - set(known)
        if unknown_languages:
            raise CommandError(
                f"No catalog language {', '.join(sorted(unknown_languages))}: "
                f"choose among {', '.join(known)}"
            )
        chosen = options["language"] or None
        if options["check"]:
            self.check_catalogs(roots, chosen)
        else:
            self.update_catalogs(roots, chosen)

    def check_catalogs(self, roots: list[Path], languages: list[str] | None = None) -> None:
        checked = languages or [LANGUAGE, *started_languages()]
        problems = [p for root in roots for code in checked for p in language_problems(root, code)]
        for path, found in stray_messages().items():
            problems.append(f"{path}: {len(found)} translatable strings outside any installed app")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} translation problems")
        self.stdout.write(
            self.style.SUCCESS(
                f"Every catalog is complete ({len(roots)} apps; {', '.join(checked)})."
            )
        )

    def update_catalogs(self, roots: list[Path], languages: list[str] | None = None) -> None:
        if shutil.which("xgettext") is None:
            raise CommandError(
                "xgettext was not found: install GNU gettext (apt-get install gettext) to extract "
                "strings. `amparo messages --check` works without it."
            )
        env = dict(os.environ)
        for root in roots:
            if not extract_messages(root) and not catalog_paths(root)[0].exists():
                continue
            codes = [c for c in catalog_languages(root) if languages is None or c in languages]
            if not codes:
                continue
            (root / "locale").mkdir(exist_ok=True)
            # -P keeps the app folder off sys.path: amparo/core/logging.py must not shadow logging.
            django = [sys.executable, "-P", "-m", "django"]
            by_language = [arg for code in codes for arg in ("-l", code)]
            self._run(
                [*django, "makemessages", *by_language, "--no-obsolete", "-d", DOMAIN], root, env
            )
            for code in codes:
                po_path, _mo_path = catalog_paths(root, code)
                if not po_path.exists():
                    continue
                if shutil.which("msgfmt"):
                    self._run([*django, "compilemessages", "-l", code], root, env)
                else:
                    compile_catalog(po_path)
                self._report(root, code, po_path)

    def _report(self, root: Path, language: str, po_path: Path) -> None:
        po = polib.pofile(str(po_path))
        if language == LANGUAGE:
            entries = [e for e in po if not e.obsolete]
        else:
            public = set(public_messages(root))
            entries = [e for e in po if not e.obsolete and _entry_key(e) in public]
        todo = sum(1 for e in entries if e.fuzzy or not e.translated())
        rel = (
            po_path.relative_to(AMPARO_ROOT.parent)
            if po_path.is_relative_to(AMPARO_ROOT.parent)
            else po_path
        )
        status = (
            self.style.WARNING(f"{todo} to translate") if todo else self.style.SUCCESS("complete")
        )
        scope = "" if language == LANGUAGE else " public"
        self.stdout.write(f"{rel}: {len(entries) - todo}{scope} translated, {status}")

    def _run(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        result = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError(f"{' '.join(command[3:])} failed in {cwd}:\n{result.stderr.strip()}")
