"""Signals accounts sends to the apps above it (accounts imports no domain app)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent (with ``user``, ``by`` and ``reason``) after every API token of ``user`` was revoked, in
#: the same transaction: the apps that hold other credentials of the account (calendar feeds)
#: revoke theirs.
credentials_revoked = Signal()

#: Sent (with ``user``, ``email``, ``name`` and ``by``) when a fund administrator invites a
#: donor, in the same transaction: the donations app links the digest-address account ``user``
#: to the donor record of ``email`` (creating it with ``name`` if there is none), where the
#: address and name are kept encrypted.
donor_invited = Signal()
