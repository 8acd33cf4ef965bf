"""The Django admin for the deadlines app: the federal closures an administrator keeps."""

from __future__ import annotations

from django.contrib import admin

from .models import FederalClosure


@admin.register(FederalClosure)
class FederalClosureAdmin(admin.ModelAdmin[FederalClosure]):
    list_display = ("date", "name", "scope", "confirmed", "source")
    list_filter = ("scope", "confirmed")
    search_fields = ("name", "source")
    ordering = ("-date",)
