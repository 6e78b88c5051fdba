"""A small SIP/PBX simulator: posts the CTI events of calls (newCall → answer → hangup, Zammad's generic CTI shape)
to a running server's /api/v1/cti, as a telephone system would (issue 20 item 1; docs/api.md, "CTI").

    .venv/bin/python scripts/pbx_simulator.py --url http://127.0.0.1:5000 --token "$CTI_TOKEN" \\
        --from 13800001111 --extension 8001 --ring 3 --talk 20
    .venv/bin/python scripts/pbx_simulator.py … --missed          # rings, nobody answers (cause noAnswer)
    .venv/bin/python scripts/pbx_simulator.py … --calls 5 --json  # five calls, JSON bodies instead of forms

The server needs the token in CTI_TOKENS (e.g. CTI_TOKENS=sim=<token> before `make run`), and an operator signed in
at the extension on the console (/hotline/console, 来电弹屏) to see the screen-pop. Standard library only.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


def send(url: str, token: str, event: dict, *, as_json: bool = False, timeout: float = 10) -> tuple[int, dict]:
    """POST one CTI event to `url` (the server's base address); (HTTP status, the JSON answer)."""
    endpoint = url.rstrip("/") + "/api/v1/cti"
    if as_json:
        data, kind = json.dumps(event).encode(), "application/json"
    else:  # form-encoded, the extensions as user[] fields, as Zammad's PBX integrations post them
        pairs = [(("user[]" if k == "user" else k), v) for k, vs in event.items()
                 for v in (vs if isinstance(vs, list) else [vs])]
        data, kind = urllib.parse.urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    request = urllib.request.Request(endpoint, data=data, method="POST",
                                     headers={"Content-Type": kind, "X-CTI-Token": token})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as err:
        body = err.read()
        try:
            return err.code, json.loads(body or b"{}")
        except ValueError:
            return err.code, {"error": body.decode(errors="replace")[:200]}


def call_events(caller: str, called: str, extension: str, call_id: str | None = None, *,
                missed: bool = False) -> list[dict]:
    """The events of one inbound call to `extension`: newCall, then answer (unless missed), then hangup."""
    call_id = call_id or uuid.uuid4().hex
    base = {"from": caller, "to": called, "direction": "in", "callId": call_id}
    events = [{**base, "event": "newCall", "user": [extension]}]
    if not missed:
        events.append({**base, "event": "answer", "user": [extension], "answeringNumber": extension})
    events.append({**base, "event": "hangup", "cause": "noAnswer" if missed else "normalClearing"})
    return events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000", help="the server's base address")
    parser.add_argument("--token", required=True, help="a CTI token of CTI_TOKENS")
    parser.add_argument("--from", dest="caller", default="13800001111", help="the calling number")
    parser.add_argument("--to", dest="called", default="12345", help="the number called")
    parser.add_argument("--extension", default="8001", help="the operator's extension")
    parser.add_argument("--ring", type=float, default=2, help="seconds between newCall and answer")
    parser.add_argument("--talk", type=float, default=5, help="seconds between answer and hangup")
    parser.add_argument("--calls", type=int, default=1, help="how many calls, one after the other")
    parser.add_argument("--missed", action="store_true", help="nobody answers")
    parser.add_argument("--json", action="store_true", help="JSON bodies (default: form-encoded)")
    args = parser.parse_args(argv)
    for _ in range(max(args.calls, 1)):
        for n, event in enumerate(call_events(args.caller, args.called, args.extension, missed=args.missed)):
            if n:
                time.sleep(args.talk if event["event"] == "hangup" and not args.missed else args.ring)
            status, answer = send(args.url, args.token, event, as_json=args.json)
            print(f"{event['event']:8} {event['callId']} → {status} {json.dumps(answer, ensure_ascii=False)}")
            if status >= 400:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
