"""The phones of ``amparo bench raid``: Locust users that walk the public help form.

Run by the bench in a subprocess of its own (``python -m bench.raid_phones``), because Locust
monkey-patches the standard library with gevent when it is imported and the bench process runs
Django: this module imports nothing from Django or the product. It writes what it saw as one
JSON file (``--out``): every response time, every error, and for each submission the phone saw
accepted, its form token (the request's idempotency key), the reference the done page showed
and whether the person was detained. The bench checks those against the database.

Each phone is a Locust ``FastHttpUser`` with its own cookies, as a browser without JavaScript:
it opens ``/help/``, presses "Start now", then on each question GETs the page, reads the CSRF
token from the form and POSTs its answer, follows the redirect to the next question, reads the
summary page's token, agrees and sends, and reads its reference on the done page. Redirects are
followed by hand, so every HTTP request is timed on its own.

``--mode healthz`` is the baseline: the same phones, the same pacing and think time, the same
number of requests per iteration, each a ``GET /healthz``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import threading
import time
from typing import Any

import gevent
from locust import FastHttpUser, constant_pacing, events, task
from locust.env import Environment
from locust.exception import StopUser

from bench.raid import COUNTIES, FACILITY, REQUESTS_PER_FLOW

#: The most pages a flow may visit before the phone gives up (the form has 13 questions).
MAX_PAGES = 20
#: The name the final send (consent, request created) is timed under.
SEND = "/help/check/ send"

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TOKEN = re.compile(r'name="token" value="([0-9a-f]+)"')
_REFERENCE = re.compile(r'id="reference">([A-Z0-9-]+)<')


class Plan:
    """What the run was told, and what it saw (shared by every phone of this process)."""

    mode = "flow"
    target = 0
    interval = 1.0
    think = 0.0
    detained_share = 0.3
    seed = 1
    claimed = 0
    latencies: list[float] = []
    send_latencies: list[float] = []
    errors: list[str] = []
    submissions: list[dict[str, Any]] = []
    lock = threading.Lock()

    @classmethod
    def claim(cls) -> int | None:
        """The index of the next iteration, or None once every one was handed out."""
        with cls.lock:
            if cls.claimed >= cls.target:
                return None
            cls.claimed += 1
            return cls.claimed - 1


def _record(
    request_type: str, name: str, response_time: float, exception: Any = None, **_: Any
) -> None:
    if exception is not None:
        Plan.errors.append(f"{request_type} {name}: {str(exception)[:200]}")
    else:
        Plan.latencies.append(response_time)
        if name == SEND:
            Plan.send_latencies.append(response_time)


events.request.add_listener(_record)  # type: ignore[no-untyped-call]


def _answers(rng: random.Random, index: int, detained: bool) -> dict[str, dict[str, str]]:
    """One person's answers, step by step (synthetic; 555-01xx numbers are fictional)."""
    first = rng.choice(("Rosa", "Juan", "Ana", "Luis", "Marta", "Jorge", "Lucía", "Wilmer"))
    last = rng.choice(("Pérez", "Quispe", "López", "Ramírez", "Santos", "Tzul", "Coc"))
    county = rng.choice(COUNTIES)
    return {
        "for-whom": {"for_whom": "family" if detained or rng.random() < 0.3 else "self"},
        "name": {"name": f"{first} {last}"},
        "detained": {
            "custody": "detained" if detained else rng.choice(("never_detained", "released"))
        },
        "facility": {"facility": FACILITY},
        # Unique per submission, so no request is held back as a possible duplicate.
        "a-number": {"a_number": f"A{300_000_000 + index:09d}" if rng.random() < 0.7 else ""},
        "hearing": {
            "next_hearing_day": "",
            "next_hearing_month": "",
            "next_hearing_year": "",
            "court": "",
        },
        "missed": {"missed": rng.choice(("no", "no", "unknown"))},
        "deadline": {
            "deadline_kind": "",
            "deadline_date_day": "",
            "deadline_date_month": "",
            "deadline_date_year": "",
        },
        "where": {"zip_code": "", "county": county}
        if not detained
        else {"zip_code": "", "county": ""},
        "household": {"household_size": str(rng.randint(1, 6))},
        # A few people above the income limit: their requests are created, not eligible.
        "income": {"income_band": "under_15k" if detained or rng.random() < 0.9 else "over_75k"},
        "language": {"spoken_language": rng.choice(("es", "es", "en")), "needs_interpreter": "no"},
        "contact": {"contact_method": "phone", "phone": f"(303) 555-01{index % 100:02d}"},
    }


class Phone(FastHttpUser):
    """A phone: one submission per iteration, paced so the run sends its target on time."""

    wait_time = constant_pacing(1.0)  # replaced by the plan's interval in main()
    network_timeout = 60.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        # Phones do not all arrive at once: each starts somewhere in its first interval.
        gevent.sleep(random.uniform(0, Plan.interval))

    def _page(self, method: str, path: str, name: str, expect: int, **kw: Any) -> Any:
        """One request; a status other than ``expect`` is an error. Returns the response or None."""
        with self.client.request(
            method, path, name=name, allow_redirects=False, catch_response=True, **kw
        ) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code}, expected {expect}")
                return None
            response.success()
            return response

    def _think(self) -> None:
        if Plan.think:
            gevent.sleep(Plan.think)

    @task
    def iteration(self) -> None:
        index = Plan.claim()
        if index is None:
            raise StopUser()
        if Plan.mode == "healthz":
            for _ in range(REQUESTS_PER_FLOW):
                self._page("GET", "/healthz", "/healthz", 200)
                self._think()
            return
        self._submit(index)

    def _csrf(self, response: Any) -> str:
        found = _CSRF.search(response.text or "")
        return found[1] if found else ""

    def _submit(self, index: int) -> None:
        rng = random.Random(Plan.seed * 1_000_003 + index)
        detained = rng.random() < Plan.detained_share
        answers = _answers(rng, index, detained)
        language = rng.choice(("es", "es", "en"))
        headers = {"Accept-Language": language}
        start = self._page("GET", "/help/", "/help/", 200, headers=headers)
        if start is None:
            return
        self._think()
        sent = self._page(
            "POST",
            "/help/",
            "/help/ start",
            302,
            headers=headers,
            data={"csrfmiddlewaretoken": self._csrf(start)},
        )
        if sent is None:
            return
        location = sent.headers.get("Location", "")
        for _ in range(MAX_PAGES):
            if not location.startswith("/help/q/"):
                break
            slug = location.split("/")[3]
            page = self._page("GET", location, "/help/q/[step]", 200, headers=headers)
            if page is None or slug not in answers:
                if page is not None:
                    Plan.errors.append(f"unexpected step {slug}")
                return
            self._think()
            posted = self._page(
                "POST",
                location,
                "/help/q/[step] answer",
                302,
                headers=headers,
                data={"csrfmiddlewaretoken": self._csrf(page), **answers[slug]},
            )
            if posted is None:
                return
            location = posted.headers.get("Location", "")
        if location != "/help/check/":
            Plan.errors.append(f"the flow ended at {location!r}, not the check page")
            return
        check = self._page("GET", location, "/help/check/", 200, headers=headers)
        if check is None:
            return
        token = _TOKEN.search(check.text or "")
        if token is None:
            Plan.errors.append("no token on the check page")
            return
        self._think()
        agreed = self._page(
            "POST",
            location,
            SEND,
            302,
            headers=headers,
            data={"csrfmiddlewaretoken": self._csrf(check), "token": token[1], "consent": "on"},
        )
        if agreed is None or agreed.headers.get("Location") != "/help/done/":
            if agreed is not None:
                Plan.errors.append("sending did not lead to the done page")
            return
        # Accepted: the server answered "sent". From here on the request must exist exactly once.
        submission: dict[str, Any] = {"token": token[1], "detained": detained, "reference": None}
        Plan.submissions.append(submission)
        done = self._page("GET", "/help/done/", "/help/done/", 200, headers=headers)
        reference = _REFERENCE.search(done.text or "") if done is not None else None
        if reference is None:
            Plan.errors.append("no reference on the done page")
            return
        submission["reference"] = reference[1]


def run(args: argparse.Namespace) -> dict[str, Any]:
    Plan.mode, Plan.target, Plan.interval = args.mode, args.iterations, args.interval
    Plan.think, Plan.detained_share, Plan.seed = args.think, args.detained_share, args.seed
    Phone.wait_time = constant_pacing(args.interval)
    environment = Environment(user_classes=[Phone], host=args.host, events=events)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(args.users, spawn_rate=max(1.0, args.users / 5))
    deadline = started + args.timeout
    while time.monotonic() < deadline:
        gevent.sleep(0.2)
        if Plan.claimed >= Plan.target and runner.user_count == 0:
            break
    unfinished = runner.user_count
    runner.quit()
    seconds = time.monotonic() - started
    return {
        "mode": args.mode,
        "users": args.users,
        "iterations": Plan.claimed,
        "seconds": seconds,
        "unfinished_phones": unfinished,
        "latencies_ms": Plan.latencies,
        "send_latencies_ms": Plan.send_latencies,
        "errors": Plan.errors,
        "submissions": Plan.submissions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.raid_phones")
    parser.add_argument("--host", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--mode", choices=("flow", "healthz"), default="flow")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--iterations", type=int, required=True, help="submissions in all")
    parser.add_argument(
        "--interval", type=float, required=True, help="seconds per phone per iteration"
    )
    parser.add_argument("--think", type=float, default=0.0, help="seconds between two pages")
    parser.add_argument("--detained-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, required=True, help="stop after this long anyway")
    parser.add_argument("--out", required=True, help="where to write what the phones saw (JSON)")
    args = parser.parse_args(argv)
    result = run(args)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
