"""Real headless Chromium (Debian's package) driven by Playwright.

Playwright's own browser download cannot work offline, so the tests launch
/usr/bin/chromium. Playwright's sync API runs an event loop in the test
thread; Django refuses ORM calls there unless told it is safe, which it is
here because the test thread is the only one touching the test database.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is needed for browser tests: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def screenshot_dir():
    directory = Path(os.environ.get("TEST_OUTPUT_DIR", Path(settings.BASE_DIR) / "test-results"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(autouse=True)
def fail_on_csp_violations(request, monkeypatch):
    """A Content-Security-Policy violation fails the test: the browser blocks an inline
    style or script silently (the page just looks or works wrong), and only a real
    browser enforces the policy. Chromium reports each one on the console; every
    context the test opens is listened to."""
    browser = request.getfixturevalue("browser")
    violations = []
    create = browser.new_context

    def listen(message):
        if "Content Security Policy" in message.text:
            where = message.page.url if message.page else "?"
            violations.append(f"{where}: {message.text}")

    def new_context(*args, **kwargs):
        context = create(*args, **kwargs)
        context.on("console", listen)
        return context

    monkeypatch.setattr(browser, "new_context", new_context)
    yield
    assert not violations, "\n".join(violations)
