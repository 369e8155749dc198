"""Locust users of the load benchmark: signed-in officials opening 我的学分, staff opening the approval queue.

Driven by ``bench/load.py`` (which prepares the accounts, signs them in and starts the server); it can also be
run by hand against a server of your own:

    BENCH_SESSIONS=bench/out/load/sessions.json BENCH_PATH=/me/ \\
        .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 50 -t 60s -H http://127.0.0.1:8150 Official

Environment:

- ``BENCH_SESSIONS``: a JSON file ``{"official": [{"username", "password", "staff_no", "sessionid"}...],
  "staff": [...]}``. Each locust user takes the next account of its role; with a ``sessionid`` it reuses that
  session, otherwise it signs in through ``/accounts/login/`` itself (form post with the CSRF token).
- ``BENCH_PATH``: the page to open (``{staff_no}`` and ``{year}`` are filled in), default ``/me/`` for officials,
  ``/staff/`` for staff.
- ``BENCH_THINK``: ``"lo-hi"`` seconds between two page views of one user (uniform), default ``1-3``; ``0`` makes a
  closed loop (every user asks again as soon as it has its answer: the server's saturation throughput).
- ``BENCH_TIMES``: when set, every timed response of the page is written there at the end as JSON
  (``[[started_epoch_s, ms, ok], ...]``) so ``load.py`` can take exact percentiles.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import FastHttpUser, between, constant, events, task

PAGE = "page"
SIGN_IN = "sign-in"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_sessions: dict = {}
_next_account = {"official": itertools.count(), "staff": itertools.count()}
_times: list[list] = []


def _think():
    spec = os.environ.get("BENCH_THINK", "1-3")
    lo, _, hi = spec.partition("-")
    lo, hi = float(lo), float(hi or lo)
    return (between(lo, hi) if hi > 0 else constant(0)), hi


WAIT_TIME, MAX_THINK = _think()


def _accounts(role: str) -> list[dict]:
    if not _sessions:
        path = os.environ.get("BENCH_SESSIONS")
        if not path:
            raise RuntimeError("Set BENCH_SESSIONS to the accounts file written by bench/load.py.")
        with open(path, encoding="utf-8") as f:
            _sessions.update(json.load(f))
    return _sessions[role]


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=None, **kwargs):
    if name == PAGE:
        _times.append([start_time or time.time(), response_time, exception is None])


@events.quitting.add_listener
def _write_times(environment, **kwargs):
    path = os.environ.get("BENCH_TIMES")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(_times, f)


class _SignedIn(FastHttpUser):
    abstract = True
    role = ""
    default_path = ""
    wait_time = WAIT_TIME

    def on_start(self) -> None:
        accounts = _accounts(self.role)
        account = accounts[next(_next_account[self.role]) % len(accounts)]
        self.path = (
            os.environ.get("BENCH_PATH", self.default_path)
            .replace("{staff_no}", account.get("staff_no") or "")
            .replace("{year}", str(_sessions.get("year", "")))
        )
        if account.get("sessionid"):
            self.client.cookiejar.set_cookie(_cookie("sessionid", account["sessionid"]))
        else:
            self.sign_in(account)
        # Arrive one by one, as people do, rather than 50 clicks in the same millisecond.
        gevent.sleep(random.uniform(0, MAX_THINK))

    def sign_in(self, account: dict) -> None:
        with self.client.get("/accounts/login/", name=SIGN_IN, catch_response=True) as page:
            match = CSRF_INPUT.search(page.text or "")
            if page.status_code != 200 or not match:
                page.failure(f"sign-in page: HTTP {page.status_code}")
                raise RuntimeError("no sign-in form")
        form = {"username": account["username"], "password": account["password"], "next": "/",
                "csrfmiddlewaretoken": match.group(1)}  # fmt: skip
        referer = {"Referer": self.host + "/accounts/login/"}
        with self.client.post(
            "/accounts/login/", data=form, name=SIGN_IN, allow_redirects=False, headers=referer, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in refused for {account['username']}: HTTP {answer.status_code}")

    @task
    def open_page(self) -> None:
        # No redirects followed: a redirect to the sign-in page is a failure, not a fast 200.
        with self.client.get(self.path, name=PAGE, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")


class Official(_SignedIn):
    """An official with their own account, opening 我的学分."""

    role = "official"
    default_path = "/me/"


class Staff(_SignedIn):
    """Org-dept training section staff, opening the approval queue."""

    role = "staff"
    default_path = "/staff/"


def _cookie(name: str, value: str):
    from http.cookiejar import Cookie

    return Cookie(
        version=0, name=name, value=value, port=None, port_specified=False, domain="127.0.0.1",
        domain_specified=False, domain_initial_dot=False, path="/", path_specified=True, secure=False, expires=None,
        discard=True, comment=None, comment_url=None, rest={}, rfc2109=False,
    )  # fmt: skip
