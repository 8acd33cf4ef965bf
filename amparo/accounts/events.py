"""Signals accounts sends to the apps above it (accounts imports no domain app)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent (with ``user``, ``by`` and ``reason``) after every API token of ``user`` was revoked, in
#: the same transaction: the apps that hold other credentials of the account (calendar feeds)
#: revoke theirs.
credentials_revoked = Signal()
