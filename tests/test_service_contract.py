"""The service contract (``amparo.core.services``), checked on the code itself: every public
function of a services module that takes ``by`` takes it without a default, and annotated as a
named actor (``User``, or ``Actor`` when the scheduler may act too), never ``Any`` or ``None``.

Every app with a services module is checked (found on disk, so a new app is checked too).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import amparo

#: Every app with a services module or package, but core (which defines the contract) and audit
#: (whose one writer, ``audit_record``, records the actor a service was given).
_ROOT = Path(amparo.__file__).parent
COVERED = tuple(
    sorted(
        (
            {path.parent.name for path in _ROOT.glob("*/services.py")}
            | {path.parent.parent.name for path in _ROOT.glob("*/services/__init__.py")}
        )
        - {"core", "audit"}
    )
)


def _service_modules(app: str) -> Iterator[types.ModuleType]:
    module = importlib.import_module(f"amparo.{app}.services")
    yield module
    if hasattr(module, "__path__"):  # a package: amparo/<app>/services/*.py
        for info in pkgutil.iter_modules(module.__path__):
            if not info.name.startswith("_"):
                yield importlib.import_module(f"{module.__name__}.{info.name}")


def _services_with_by(app: str) -> list[tuple[str, Any]]:
    found = {}
    for module in _service_modules(app):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or not function.__module__.startswith(f"amparo.{app}.services"):
                continue
            if "by" in inspect.signature(function).parameters:
                found[f"{function.__module__}.{name}"] = function
    return sorted(found.items())


def _refusal(function: Any) -> str | None:
    parameter = inspect.signature(function).parameters["by"]
    if parameter.default is not inspect.Parameter.empty:
        return f"`by` has a default ({parameter.default!r})"
    if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
        return "`by` is not keyword-only"
    if parameter.annotation is inspect.Parameter.empty:
        return "`by` is not annotated"
    # ``Actor`` names ``User`` only for type checkers: give the names it refers to.
    from amparo.accounts.models import User
    from amparo.core.services import SystemActor

    names = {"User": User, "SystemActor": SystemActor, "Actor": User | SystemActor}
    hint = typing.get_type_hints(function, localns=names)["by"]
    if hint is Any:
        return "`by` is annotated Any"
    members = (
        typing.get_args(hint)
        if typing.get_origin(hint) in (typing.Union, types.UnionType)
        else (hint,)
    )
    if type(None) in members or Any in members:
        return f"`by` may be None or Any ({hint!r})"
    return None


@pytest.mark.parametrize("app", COVERED)
def test_every_service_names_its_actor(app: str) -> None:
    services = _services_with_by(app)
    assert services, f"amparo.{app}.services has no service taking `by`"
    refused = {name: why for name, function in services if (why := _refusal(function))}
    assert not refused, refused


def test_the_checker_refuses_what_the_contract_forbids() -> None:
    from amparo.accounts.models import User
    from amparo.core.services import Actor

    def with_default(*, by: User | None = None) -> None: ...

    def with_any(*, by: Any) -> None: ...

    def optional(*, by: Actor | None) -> None: ...

    def positional(by: User) -> None: ...

    def good(*, by: Actor) -> None: ...

    def good_user(*, by: User) -> None: ...

    for bad in (with_default, with_any, optional, positional):
        assert _refusal(bad) is not None, bad.__name__
    assert _refusal(good) is None and _refusal(good_user) is None


def test_covered_apps_exist() -> None:
    apps = {info.name for info in pkgutil.iter_modules(amparo.__path__)}
    assert set(COVERED) <= apps
