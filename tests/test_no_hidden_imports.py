"""No module hides an import of another app inside a function (issue #17).

"A cycle is fixed by moving code, never hidden in a function-level import" (STYLE.md,
docs/architecture.md). This reads every module of ``amparo/`` with ``ast`` and fails on an
import of another ``amparo`` app made inside a function or method. Module-level imports (those
under ``if TYPE_CHECKING:`` too) are fine, and so are imports of the module's own app.

Not checked: migrations and ``AppConfig.ready()``, where an app plugs itself into the others
(navigation, dashboards, the
API, hooks) once every app is loaded. Anything else is in :data:`ALLOWED`, with its reason, and
goes when its reason does.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import amparo

ROOT = Path(amparo.__file__).parent

#: (module, imported module) -> why the import is still inside a function. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {
    # The reports' metrics module is being rewritten in another change; it takes this with it.
    ("amparo.reports.metrics", "amparo.grants.models"): "reports metrics, being rewritten",
}


def _module_name(path: Path, root: Path) -> str:
    parts = ["amparo", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield _module_name(path, root), path


def _known(name: str, modules: set[str]) -> str:
    """The module ``name`` refers to (``from amparo.x.y import z``: z may be a name)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def _imported(module: str, node: ast.Import | ast.ImportFrom, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")[: None if is_package else -1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    return [f"{target}.{alias.name}" for alias in node.names]


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def hidden_imports(root: Path = ROOT) -> list[tuple[str, int, str, str]]:
    """(module, line, function, imported module) for every import of another app made in a
    function, but ``AppConfig.ready()``, in the ``amparo`` package at ``root``."""
    modules = dict(_modules(root))
    names = set(modules)
    found = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"

        def visit(node: ast.AST, function: str | None) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    if child.name == "ready" and isinstance(node, ast.ClassDef):
                        continue  # AppConfig.ready(): where an app plugs into the others
                    visit(child, child.name)
                elif isinstance(child, ast.Import | ast.ImportFrom) and function is not None:
                    for name in _imported(module, child, is_package):
                        target = _known(name, names) if name.startswith("amparo.") else ""
                        if target and _app(target) != _app(module):
                            found.append((module, child.lineno, function, target))
                else:
                    visit(child, function)

        visit(tree, None)
    return sorted(set(found))


def test_no_function_imports_another_app() -> None:
    hidden = [
        f"{module}:{line} in {function}() imports {target}"
        for module, line, function, target in hidden_imports()
        if (module, target) not in ALLOWED
    ]
    assert not hidden, (
        "Import other apps at module level; if that makes a cycle, move code instead "
        "(STYLE.md):\n" + "\n".join(hidden)
    )


def test_the_allow_list_has_no_stale_entry() -> None:
    used = {(module, target) for module, _line, _function, target in hidden_imports()}
    assert not set(ALLOWED) - used, f"Remove from ALLOWED: {sorted(set(ALLOWED) - used)}"


def test_the_check_sees_a_hidden_import(tmp_path: Path) -> None:
    """The checker itself, on a made-up package: a function-level import of another app is
    found (even in a method, or through a relative import); its own app's is not, nor one at
    module level, under TYPE_CHECKING, in ``ready()`` or a migration."""
    files = {
        "__init__.py": "",
        "cases/__init__.py": "",
        "cases/models.py": "class Case: ...\n",
        "intake/__init__.py": "",
        "intake/models.py": "",
        "intake/apps.py": (
            "class IntakeConfig:\n"
            "    def ready(self):\n"
            "        from amparo.cases.models import Case\n"
        ),
        "intake/services.py": (
            "from typing import TYPE_CHECKING\n"
            "from amparo.cases.models import Case\n"
            "if TYPE_CHECKING:\n"
            "    from amparo.cases import models\n"
            "def submit():\n"
            "    from .models import HelpRequest\n"
            "    from amparo.cases.models import Case\n"
            "class Door:\n"
            "    def open(self):\n"
            "        from ..cases import models\n"
        ),
        "intake/migrations/__init__.py": "",
        "intake/migrations/0001.py": "def f():\n    from amparo.cases.models import Case\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert hidden_imports(tmp_path) == [
        ("amparo.intake.services", 7, "submit", "amparo.cases.models"),
        ("amparo.intake.services", 10, "open", "amparo.cases.models"),
    ]
