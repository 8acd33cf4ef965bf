"""Type names for the fixtures the vault and audit tests use."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.test import Client

from amparo.accounts.models import User
from bench.models import SampleRecord

MakeRecord = Callable[..., SampleRecord]
MakeUser = Callable[..., User]
ClientFor = Callable[[User], Client]
Records = dict[uuid.UUID, tuple[str, str]]
Json = dict[str, Any]
