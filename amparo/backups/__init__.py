"""Encrypted backups that restore (issue #15): ``amparo backup``, ``amparo restore``.

Not a Django app: plain modules the core's management commands, the scheduler and the benchmark
call. See :mod:`amparo.backups.archive` and SECURITY.md ("Backups and restore").
"""
