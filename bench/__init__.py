"""Amparo's benchmarks, outside the product (issue #16).

Nothing in ``amparo/`` imports this package. ``amparo bench`` runs under
:mod:`bench.settings`, which extend the project's settings with this app (its sample models
and their migrations), its URLs (the baselines' pages) and rate limits high enough for its own
clients. A production deployment never installs the app, so its database never has a bench
table. See :mod:`bench.registry` for how a benchmark is written.
"""
