"""The Django admin for the deadlines app: the federal closures an administrator keeps."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin

from .models import FederalClosure


@admin.register(FederalClosure)
class FederalClosureAdmin(admin.ModelAdmin[FederalClosure]):
    list_display: ClassVar = ("date", "name", "scope", "confirmed", "source")
    list_filter: ClassVar = ("scope", "confirmed")
    search_fields: ClassVar = ("name", "source")
    ordering: ClassVar = ("-date",)
