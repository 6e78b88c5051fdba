"""Mixed intake at 5x a megacity's daily peak (issue 20): about 100 items/s arriving through every channel at once,
to gunicorn on PostgreSQL with jobs as in production (bench/load.py: a private Redis and one `flask worker`).

The mix (BENCH_MIX, default "phone=40,api=25,web=20,sms=10,email=5", per cent of the items):
- phone: the telephone system's CTI events of one call (POST /api/v1/cti newCall, answer, hangup; X-CTI-Token)
  then the operator's save as the console does it (POST /api/v1/tickets with the call's id: the ticket is linked
  to the call, hotline/cti_console.py);
- api: POST /api/v1/tickets with an operator's token;
- web: the citizen's form as a browser sends it: GET /hotline/new (session cookie, CSRF token, one-time submission
  token), then POST /hotline/new, answered 302 to the ticket's status page. Each submission comes from its own
  address (PROXY_COUNT=1, X-Forwarded-For), as citizens do: the captcha and the submission rate limit stay ON,
  and neither is asked of a first submission from an address;
- sms: the gateway's webhook POST /api/v1/sms/inbound (X-SMS-Token), into the 待受理 inbox;
- email: one SMTP connection per message to `flask mail listen` (a real aiosmtpd listener), acknowledged by its
  250, into the 待受理 inbox.
Every item carries a unique marker, each SMS and e-mail its own sender (the inbox's per-sender limit is not hit).

Runs, on one throw-away database (bench/throwaway.py):
1. the mix at a fixed offered rate BENCH_RATE (100 items/s) for BENCH_SECONDS (60): per channel p50/p95/p99 of
   the acknowledging request (the save, the form's POST, the webhook, the SMTP transaction), of the CTI events and
   of the form's GET, and of every request together;
2. the mix closed loop (every client as fast as it is answered): items/s;
3. the reference of bench_hotline.py in the same run: the bare insert endpoint (bench/reference_app.py), closed
   loop and at the same offered rate; the ratios are printed.
Then 0 lost: every acknowledged item is stored exactly once (tickets by content; the phone tickets each linked to
their call; inbox items by body or subject), nothing stored that was not acknowledged is counted.
Verdict (one line): served >= 97% of the offered rate, p95 of the acknowledging requests <= 150 ms (issue 19's
intake target), 0 lost, 0 doubled, 0 errors.

Run: `.venv/bin/python bench/bench_intake.py` (BENCH_SECONDS, BENCH_RATE, BENCH_MIX, BENCH_CLIENTS, BENCH_WORKERS,
BENCH_THREADS, BENCH_WARMUP, BENCH_DATABASE_URL). Quick look: `BENCH_SECONDS=10 BENCH_RATE=10`."""
import http.client
import json
import os
import random
import re
import smtplib
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.bench_hotline import exactly_once, prepare, ticket_requests  # noqa: E402
from bench.reference_app import APP as REFERENCE_APP  # noqa: E402
from bench.reference_app import TABLE  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", 60))
RATE = float(os.environ.get("BENCH_RATE", 100))  # items/s offered by all clients together
MIX = {k: int(v) for k, v in (p.split("=") for p in os.environ.get(
    "BENCH_MIX", "phone=40,api=25,web=20,sms=10,email=5").split(","))}
P95_TARGET = 150.0  # ms, issue 19's intake target
CTI_TOKEN = "bench-cti-" + uuid.uuid4().hex
SMS_TOKEN = "bench-sms-" + uuid.uuid4().hex
TICKET = {"type": "complaint", "category_code": "030101", "address": "亭湖区某路 1 号"}
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_SUBMISSION = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')
_STATUS = re.compile(r"/hotline/my/(\d+)")


class Channels:
    """One client's connections and the steps of each channel's item. Every step appends (latency s, status
    (0 = connection failed), bytes, marker) to the list of its row; an item's acknowledging step is the one
    whose row is the channel's name."""

    def __init__(self, port, smtp_port, token, n, rows, run_no):
        self.port, self.smtp_port, self.token, self.n, self.rows = port, smtp_port, token, n, rows
        self.net = 10 + run_no  # each run's citizens have their own addresses (captcha after CAPTCHA_AFTER an hour)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, row, method, path, body=None, headers=None, marker=None, acknowledged=None):
        """One HTTP request on the client's keep-alive connection: (status, [(header, value)], body);
        `acknowledged(headers)`, when given, must hold too for the answer to count as the item's acknowledgement."""
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            resp = self.conn.getresponse()
            data, status, got = resp.read(), resp.status, resp.getheaders()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            data, status, got = b"", 0, []
        if acknowledged is not None and status in OK[row] and not acknowledged(got):
            status = -status  # answered, but not with what acknowledges the item
        self.rows[row].append((time.perf_counter() - t0, status, len(data), marker))
        return status, got, data

    def _api(self, marker, phone, **extra):
        body = json.dumps({**TICKET, "caller_phone": phone, "content": marker, **extra})
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}, body.encode()

    def phone(self, marker, i):
        caller = f"138{self.n:04d}{i % 10000:04d}"
        call_id = uuid.uuid4().hex
        base = {"from": caller, "to": "12345", "direction": "in", "callId": call_id}
        headers = {"X-CTI-Token": CTI_TOKEN, "Content-Type": "application/json"}
        call = None
        for event in ({**base, "event": "newCall", "user": ["8001"]},
                      {**base, "event": "answer", "user": ["8001"], "answeringNumber": "8001"},
                      {**base, "event": "hangup", "cause": "normalClearing"}):
            status, _, data = self.request("phone CTI events", "POST", "/api/v1/cti", json.dumps(event).encode(),
                                           headers)
            if status != 200:
                return
            call = json.loads(data)["call"]
        headers, body = self._api(marker, caller, channel="phone", call_id=call)
        self.request("phone", "POST", "/api/v1/tickets", body, headers, marker)

    def api(self, marker, i):
        headers, body = self._api(marker, "13800001111")
        self.request("api", "POST", "/api/v1/tickets", body, headers, marker)

    def web(self, marker, i):
        # a citizen of their own address: nginx's X-Forwarded-For (PROXY_COUNT=1)
        address = {"X-Forwarded-For": f"{self.net}.{self.n % 250}.{i // 250 % 250}.{i % 250 + 1}"}
        status, got, data = self.request("web form GET", "GET", "/hotline/new", headers=address)
        page = data.decode("utf-8", "replace")
        csrf, submission = _CSRF.search(page), _SUBMISSION.search(page)
        cookie = "; ".join(v.split(";", 1)[0] for k, v in got if k.lower() == "set-cookie")
        if status != 200 or not csrf or not cookie:
            return
        form = {"csrf_token": csrf.group(1), "type": "complaint", "category_code": "030101",
                "caller_phone": "13900002222", "caller_name": "王五", "address": "亭湖区某路 2 号", "content": marker}
        if submission:
            form["submission_token"] = submission.group(1)
        self.request("web", "POST", "/hotline/new", urlencode(form).encode(),
                     {**address, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, marker,
                     acknowledged=lambda got: any(k.lower() == "location" and _STATUS.search(v) for k, v in got))

    def sms(self, marker, i):
        body = json.dumps({"from": f"139{self.n:04d}{i % 10000:04d}", "text": marker, "id": marker}).encode()
        self.request("sms", "POST", "/api/v1/sms/inbound", body,
                     {"X-SMS-Token": SMS_TOKEN, "Content-Type": "application/json"}, marker)

    def email(self, marker, i):
        msg = EmailMessage()
        msg["From"] = f"citizen{self.n}x{i}@example.cn"
        msg["To"] = "12345@tinghu.gov.cn"
        msg["Subject"] = marker
        msg["Message-ID"] = f"<{uuid.uuid4().hex}@example.cn>"
        msg.set_content(f"{marker}\n小区门口路灯不亮，请尽快修复。")
        t0, status = time.perf_counter(), 0
        try:
            with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=30) as smtp:
                refused = smtp.send_message(msg)
                status = 250 if not refused else 550
        except (OSError, smtplib.SMTPException) as err:
            status = getattr(err, "smtp_code", 0) or 0
        self.rows["email"].append((time.perf_counter() - t0, status, 0, marker))

    def close(self):
        self.conn.close()


CHANNELS = ("phone", "api", "web", "sms", "email")
ROWS = ("phone", "phone CTI events", "api", "web", "web form GET", "sms", "email")
CHANNEL_OF = {**{c: c for c in CHANNELS}, "phone CTI events": "phone", "web form GET": "web"}
OK = {"phone": frozenset({201}), "phone CTI events": frozenset({200}), "api": frozenset({201}),
      "web": frozenset({302}), "web form GET": frozenset({200}), "sms": frozenset({201}), "email": frozenset({250})}


def mixed(tag, run_no, port, smtp_port, token, seconds, rate, clients=load.CLIENTS):
    """`clients` clients making items of the mix for `seconds` (rate: items/s of all together, 0 = closed loop):
    ({row: load.Run}, elapsed s)."""
    rows = {r: [] for r in ROWS}
    stop = threading.Event()
    weights = [MIX.get(c, 0) for c in CHANNELS]

    def one(n):
        rng = random.Random(f"{tag}-{n}")
        ch = Channels(port, smtp_port, token, n, rows, run_no)
        interval = clients / rate if rate else 0.0
        next_at = time.perf_counter() + interval * n / clients
        i = 0
        while not stop.is_set():
            if interval:
                if stop.wait(max(0.0, next_at - time.perf_counter())):
                    break  # the run ends while waiting: no item after its end
                next_at += interval
            channel = rng.choices(CHANNELS, weights)[0]
            getattr(ch, channel)(f"bench {tag} {channel} {n}-{i} 夜间施工噪声", i)
            i += 1
        ch.close()

    elapsed = load.run_for([threading.Thread(target=one, args=(n,)) for n in range(clients)], stop, seconds)
    return {r: load.Run(f"{tag} {r}", rows[r], elapsed, OK[r], rate * MIX.get(CHANNEL_OF[r], 0) / sum(weights))
            for r in ROWS}, elapsed


def acknowledging(runs, tag):
    """The acknowledging requests of every channel together, as one Run."""
    first = runs["phone"]
    results = [r for c in CHANNELS for r in runs[c].results if r[1] in OK[c]]
    results += [r for c in CHANNELS for r in runs[c].results if r[1] not in OK[c]]
    return load.Run(f"{tag} all items", results, first.elapsed, frozenset({201, 302, 250}), first.offered and sum(
        runs[c].offered for c in CHANNELS))


def stored(engine):
    """marker -> times stored: tickets by content, inbox items (status new) by body (SMS) or subject (e-mail);
    and the phone markers whose ticket is linked to a call."""
    with engine.connect() as c:
        counts = Counter(dict(c.execute(text(
            "SELECT content, count(*) FROM tickets WHERE content LIKE 'bench %' GROUP BY content")).all()))
        for channel, column in (("sms", "body"), ("email", "subject")):
            counts.update(dict(c.execute(text(
                f"SELECT {column}, count(*) FROM inbound_messages WHERE channel = :ch AND status = 'new' "
                f"AND {column} LIKE 'bench %' GROUP BY {column}"), {"ch": channel}).all()))
        linked = {m for (m,) in c.execute(text(
            "SELECT t.content FROM tickets t JOIN cti_calls k ON k.ticket_id = t.id WHERE t.content LIKE 'bench %'"))}
    return counts, linked


def check(runs, counts, linked):
    """(acknowledged, stored once, lost, doubled, phone tickets not linked to their call, stored not acknowledged)."""
    acked = {r[3] for c in CHANNELS for r in runs[c].ok}
    tag = runs["phone"].name.split(" ", 1)[0]
    mine = {m: k for m, k in counts.items() if m.split(" ", 2)[1] == tag}
    lost = sum(1 for m in acked if m not in mine)
    doubled = sum(1 for m in acked if mine.get(m, 0) > 1)
    unlinked = sum(1 for r in runs["phone"].ok if r[3] not in linked)
    extra = sum(1 for m in mine if m not in acked)
    return len(acked), len(acked) - lost - doubled, lost, doubled, unlinked, extra


def main():
    from bench.throwaway import throwaway_database
    with throwaway_database("gk_intake") as url:
        return run(url)


def run(url):
    name = url.rsplit("/", 1)[1]
    tmp = f"/tmp/{name}"
    os.makedirs(tmp, exist_ok=True)
    smtp_port = load.free_port()
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "INSTANCE_PATH": tmp, "UPLOAD_DIR": f"{tmp}/uploads", "CTI_TOKENS": f"bench={CTI_TOKEN}",
           "SMS_WEBHOOK_TOKEN": SMS_TOKEN, "PROXY_COUNT": "1", "MAIL_LISTEN_PORT": str(smtp_port),
           "NOTIFY_SMS_ADAPTER": "file", "NOTIFY_EMAIL_ADAPTER": "file", "NOTIFY_FILE_SINK": f"{tmp}/sink.jsonl",
           "LOG_LEVEL": "WARNING", "LOG_FORMAT": "text"}
    token, engine, version = prepare(env, url)

    with load.production_jobs(env, tmp) as jobs_env, load.gunicorn("app:create_app()", jobs_env) as port, \
            open(f"{tmp}/mail.log", "ab") as log:
        listener = subprocess.Popen([str(load.BIN / "flask"), "--app", "app", "mail", "listen"], cwd=ROOT,
                                    env=jobs_env, stdout=log, stderr=log)
        try:
            if not load.wait_port(smtp_port):
                raise RuntimeError(f"flask mail listen did not listen on {smtp_port}")
            if load.WARMUP > 0:
                mixed("warm", 0, port, smtp_port, token, load.WARMUP, 0)
            at_rate, _ = mixed("rate", 1, port, smtp_port, token, SECONDS, RATE)
            closed, _ = mixed("closed", 2, port, smtp_port, token, SECONDS, 0)
        finally:
            listener.terminate()
            listener.wait(30)
    with load.gunicorn(REFERENCE_APP, env) as port:
        load.warm(port, ticket_requests("warm"))
        bare = load.measure("bare", port, ticket_requests("bare"), SECONDS, frozenset({201}))
        bare_rate = load.measure("bare-rate", port, ticket_requests("bare-rate"), SECONDS, frozenset({201}), RATE)
    counts, linked = stored(engine)
    with engine.connect() as c:
        rows = dict(c.execute(text(f"SELECT content, count(*) FROM {TABLE} GROUP BY content")).all())
    engine.dispose()
    for r in (bare, bare_rate):
        once, lost, doubled, _ = exactly_once(r, rows)
        r.name += f" (stored once {once:,}, lost {lost}, doubled {doubled})"
    return report(version, at_rate, closed, bare, bare_rate, counts, linked)


def report(version, at_rate, closed, bare, bare_rate, counts, linked):
    print(load.machine(version))
    print(f"mix {MIX} (per cent of items); phone = 3 CTI events + the console's save with the call id; web = GET + "
          "POST of the citizen's form (captcha and rate limit on, one address per citizen); e-mail = one SMTP "
          "connection to `flask mail listen` per message")
    clean = True
    for tag, runs in (("offered", at_rate), ("closed loop", closed)):
        whole = acknowledging(runs, tag)
        print(f"-- {tag}" + (f" {RATE:g} items/s" if tag == "offered" else ""))
        for r in ROWS:
            print("  " + runs[r].line())
        print("  " + whole.line())
        requests = sum(len(runs[r].results) for r in ROWS)
        print(f"  every request (CTI events and form pages included): {requests:,} in {whole.elapsed:.1f} s = "
              f"{requests / whole.elapsed:.1f}/s; errors {sum(runs[r].errors for r in ROWS)}")
        acked, once, lost, doubled, unlinked, extra = check(runs, counts, linked)
        print(f"  stored exactly once: {once:,} of {acked:,} acknowledged; lost {lost}; doubled {doubled}; "
              f"phone tickets not linked to their call {unlinked}; stored but not acknowledged {extra}")
        clean = clean and not (lost or doubled or unlinked or any(runs[r].errors for r in ROWS))
        runs["whole"] = whole
    print("  " + bare.line())
    print("  " + bare_rate.line())
    print(load.ratio_line("mixed items vs bare inserts, closed loop", closed["whole"], bare))
    print(load.ratio_line(f"mixed items vs bare inserts, offered {RATE:g}/s", at_rate["whole"], bare_rate))
    whole = at_rate["whole"]
    met = whole.throughput >= 0.97 * RATE and whole.p95 <= P95_TARGET and clean
    print(f"VERDICT: mixed intake at {RATE:g} items/s offered: {whole.throughput:.1f}/s served, p95 {whole.p95:.1f} ms "
          f"(target <= {P95_TARGET:g}), 0 lost/doubled/errors: {'yes' if clean else 'NO'} — "
          f"{'met' if met else 'NOT MET'}; closed loop {closed['whole'].throughput:.1f} items/s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
