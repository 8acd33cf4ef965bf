"""Findings 11 and 12 of issue #15 (second round): ``amparo serve`` multiplexes connections
(a silent or slow client does not hold a whole worker) and does not name its server software."""

from __future__ import annotations

from types import SimpleNamespace

from gunicorn.http import wsgi
from gunicorn.workers.gthread import ThreadWorker

from amparo.core.management.commands.amparo_serve import (
    AmparoServer,
    gunicorn_options,
    server_header_remove,
)


def test_serve_uses_threaded_workers_with_a_short_keepalive() -> None:
    options = gunicorn_options(bind="127.0.0.1:8000", workers=2, timeout=30)
    assert options["worker_class"] == "amparo.core.webserver.DeadlineThreadWorker"
    assert options["threads"] >= 8
    assert 1 <= options["keepalive"] <= 5
    assert options["limit_request_field_size"] <= 8190
    server = AmparoServer(options)
    assert issubclass(server.cfg.worker_class, ThreadWorker)
    assert server.cfg.keepalive == options["keepalive"]


def test_answers_carry_no_server_header() -> None:
    server_header_remove()
    response = wsgi.Response(
        SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False), None, None
    )
    response.status = "200 OK"
    response.status_code = 200
    headers = response.default_headers()
    assert not [h for h in headers if h.lower().startswith("server:")], headers
    assert any(h.startswith("Date:") for h in headers)
