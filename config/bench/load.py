"""The load run: gunicorn on PostgreSQL under ``wrk``, bloc overview against the floor.

gunicorn serves ``config.wsgi`` with the benchmark's settings (persistent connections:
``CONN_MAX_AGE`` from ``config.settings.base``) on a free port of 127.0.0.1, with 2 sync
workers and no control socket. ``wrk`` (2 threads, 16 connections) then requests one page
for a bounded time, signed in through a session cookie made with the session engine
(``Client.force_login`` writes the session row; the cookie carries its key). Each page
gets a short warm-up run first. The result is the requests per second of the bloc
overview ÷ those of the floor; wrk and gunicorn share the machine's cores in both runs.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from .pages import FLOOR, PAGES, client_for, lookup

ROOT = Path(settings.BASE_DIR)
OVERVIEW = next(page for page in PAGES if page.key == "overview")


def parse_wrk(output: str) -> dict:
    """Requests/s, the count of non-2xx/3xx answers and socket errors from wrk's output."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "requests": int(requests.group(1)) if requests else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextmanager
def gunicorn(workers: int = 2):
    """A gunicorn serving this process's settings and database; yields its base URL."""
    port = free_port()
    log_path = Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--no-control-socket",
        f"--error-logfile={log_path}",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/healthz/", "") == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log_path}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(url: str, cookie: str, *, seconds: int, threads: int = 2, connections: int = 16) -> dict:
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (scripts/bench.sh installs it as root)")
    output = subprocess.run(
        [
            binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {**parse_wrk(output), "seconds": seconds}


def session_cookie(username: str) -> str:
    client = client_for(username)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def measure(*, seconds: int, warmup: int = 2) -> dict:
    ids = lookup()
    cookie = session_cookie(OVERVIEW.user)
    results = {}
    with gunicorn() as base:
        for page in (FLOOR, OVERVIEW):
            url = base + page.url(ids)
            status = _get(url, cookie)
            if status != 200:
                raise RuntimeError(f"{url} answered {status} under gunicorn")
            wrk(url, cookie, seconds=warmup)
            results[page.key] = {"path": page.url(ids), **wrk(url, cookie, seconds=seconds)}
    return results
