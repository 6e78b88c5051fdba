"""Waiting on a condition, never on a clock: every poll in the suite goes through here.

A test that waits for a server, a worker or a page polls for what it needs and returns the moment
it holds; the deadline only bounds a real failure. Deadlines are generous because the same step
runs 2–4× slower on a busy or slower machine of the same kind (issue 22), and the suite must pass
there too.
"""
import time
import urllib.request

# Long enough for a cold `flask` process (imports, jieba) on a loaded 2-core machine.
PATIENCE = 120.0


def wait_until(condition, what, timeout=PATIENCE, interval=0.1, ignore=()):
    """Call `condition()` until it returns something truthy and return that; fail naming `what`.

    Exceptions of the types in `ignore` count as "not yet" (a port that refuses, a service still starting).
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = condition()
        except ignore as exc:
            value, last = None, exc
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}" + (f" (last: {last!r})" if last else ""))
        time.sleep(interval)


def wait_for_http(url, what=None, timeout=PATIENCE):
    """Wait until `url` answers an HTTP GET; return the body as text."""
    def fetch():
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode()
    return wait_until(fetch, what or f"{url} to answer", timeout=timeout, ignore=(OSError,))
