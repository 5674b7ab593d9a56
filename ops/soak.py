"""A few minutes of many residents at once (make soak; docs/operations.md).

gunicorn with the production settings on loopback, on a new PostgreSQL database with the demo
areas; SOAK_CLIENTS clients (8), each from its own address, browse pages in both languages,
book rooms, cancel bookings, read their own pages signed in, and new residents sign up, for
SOAK_SECONDS (180). Passes when no request got a 5xx or no answer, the server's log holds no
error, no worker's memory (PSS) grew from the start of the second minute to the end by more
than SOAK_MEMORY_GROWTH_MB (10), every booking answered 201 exists, and no room is booked twice.
"""

import collections
import datetime as dt
import os
import random
import statistics
import threading
import time
import uuid

from ops import flows
from ops.servers import (
    FIRST_PORT,
    Client,
    Failed,
    Stack,
    collect_static,
    flush_redis,
    gunicorn,
    load_demo,
    main_of,
    production_env,
    pss_kb,
    say,
    sql,
    summary,
    tail,
    wait_until_serving,
    workers_of,
)

SECONDS = int(os.environ.get("SOAK_SECONDS", "180"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "8"))
GROWTH_MB = float(os.environ.get("SOAK_MEMORY_GROWTH_MB", "10"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "2"))
PORT = FIRST_PORT + 3
HOLDING = "('pending', 'confirmed', 'completed', 'no_show')"
LOG_ERRORS = ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT")

PAGES = [
    "/",
    "/en/",
    "/activities/",
    "/en/activities/",
    "/notices/",
    "/services/",
    "/staff-schedule/",
    "/rooms/",
    "/search/?q=%E6%97%97%E8%A2%8D",  # 旗袍
    "/accounts/login/",
    "/accounts/signup/",
]

ROOM_SLUGS = ["piano-room", "reading-room", "multi-function-room"]  # the demo's rooms of 徐汇苑


class Tally:
    """What every request got, by action: statuses and times."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.defaultdict(collections.Counter)
        self.times = collections.defaultdict(list)
        self.failures = []
        self.booked = []

    def note(self, action, answer, seconds, path=""):
        with self.lock:
            self.statuses[action][answer.status if answer is not None else "no answer"] += 1
            self.times[action].append(seconds)
            if answer is None or answer.status >= 500:
                self.failures.append(f"{action} {path}: {answer.status if answer else 'no answer'}")


def timed(tally, action, call, path=""):
    began = time.monotonic()
    try:
        answer = call()
    except OSError as error:
        tally.note(action, None, time.monotonic() - began, f"{path} {error}")
        return None
    tally.note(action, answer, time.monotonic() - began, path)
    return answer


def resident(number, base_url, tally, deadline, today, sms_file):
    """One demo resident (and newcomers signing up) until the deadline."""
    address = f"10.1.{number}.1"
    api = Client(
        base_url,
        address=address,
        token=flows.token_by_password(Client(base_url, address=address), flows.demo_phone(number)),
    )
    browser = Client(base_url, address=address)
    flows.web_sign_in(browser, flows.demo_phone(number))
    rooms = [room for room in flows.rooms(api) if not room["needs_approval"]]
    mine = []
    signups = 0
    rng = random.Random(number)
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.45:
            slug, day = rng.choice(ROOM_SLUGS), today + dt.timedelta(days=rng.randint(0, 6))
            path = rng.choice([*PAGES, f"/rooms/{slug}/", f"/rooms/{slug}/{day}/"])
            timed(tally, "browse", lambda path=path: Client(base_url, address=address).get(path), path)
        elif roll < 0.60:
            path = rng.choice(["/accounts/me/", "/bookings/", "/", "/activities/"])
            timed(tally, "signed in", lambda path=path: browser.get(path), path)
        elif roll < 0.70:
            room = rng.choice(rooms)
            day = today + dt.timedelta(days=rng.randint(0, 6))
            path = f"/api/v1/rooms/{room['id']}/availability?date={day}"
            timed(tally, "availability", lambda path=path: api.get(path), path)
        elif roll < 0.85:
            room = rng.choice(rooms)
            day = today + dt.timedelta(days=rng.randint(1, min(room["window_days"], 14) - 1))
            began = time.monotonic()
            try:
                answer, asked = flows.try_to_book(api, room, day, pick=rng.choice)
            except OSError as error:
                tally.note("book", None, time.monotonic() - began, str(error))
                continue
            tally.note("book", answer, time.monotonic() - began, "/api/v1/reservations")
            if answer.status == 201:
                mine.append(answer.json()["id"])
                with tally.lock:
                    tally.booked.append((answer.json()["id"], asked))
        elif roll < 0.95:
            if mine:
                booking = mine.pop(rng.randrange(len(mine)))
                path = f"/api/v1/reservations/{booking}/cancel"
                timed(tally, "cancel", lambda path=path: api.post(path), path)
        else:
            signups += 1
            phone = f"+86137{number:02d}{int(time.time() * 10) % 100000:05d}{signups % 10}"
            newcomer = Client(base_url, address=f"10.2.{number}.{signups % 250 + 1}")
            began = time.monotonic()
            try:
                answer = flows.sign_up(newcomer, phone, sms_file)
            except (OSError, Failed) as error:
                tally.note("sign up", None, time.monotonic() - began, str(error))
                continue
            tally.note("sign up", answer, time.monotonic() - began, "/accounts/signup/")


def main():
    started = time.monotonic()
    with Stack(SECONDS + 600) as stack:
        database = stack.database(f"portal_soak_{uuid.uuid4().hex[:8]}")
        sms_file = stack.scratch / "sms.jsonl"
        say(f"database {database}: demo areas {load_demo(database)}")
        flush_redis()
        base_url = f"http://localhost:{PORT}"
        env = production_env(database, base_url=base_url, sms_file=sms_file)
        collect_static(env)
        server = gunicorn(stack, "soak", PORT, env, workers=WORKERS)
        wait_until_serving(base_url, server)
        first_id = int(sql(database, "SELECT coalesce(max(id), 0) FROM booking_reservation")[0][0])
        today = dt.date.fromisoformat(time.strftime("%Y-%m-%d"))
        say(f"{CLIENTS} clients for {SECONDS} s against {base_url} (gunicorn, {WORKERS} workers)")

        tally = Tally()
        soak_began = time.monotonic()
        deadline = soak_began + SECONDS
        threads = [
            threading.Thread(
                target=guarded, args=(resident, number, base_url, tally, deadline, today, sms_file), daemon=True
            )
            for number in range(1, CLIENTS + 1)
        ]
        for thread in threads:
            thread.start()
        first_sample = min(60, SECONDS / 2)
        time.sleep(max(0, soak_began + first_sample - time.monotonic()))
        memory_start = {pid: pss_kb(pid) for pid in workers_of(server.pid)}
        say(f"worker PSS at {first_sample:.0f} s: " + ", ".join(f"{kb / 1024:.0f} MB" for kb in memory_start.values()))
        for thread in threads:
            thread.join(max(0, deadline - time.monotonic()) + 60)
        memory_end = {pid: pss_kb(pid) for pid in workers_of(server.pid)}
        elapsed = time.monotonic() - soak_began

        results = []
        total = sum(sum(c.values()) for c in tally.statuses.values())
        say(f"{total} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s)")
        for action, statuses in sorted(tally.statuses.items()):
            times = sorted(tally.times[action])
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            print(
                f"    {action:13} {sum(statuses.values()):6} requests  p50 {statistics.median(times) * 1000:6.0f} ms"
                f"  p99 {p99 * 1000:6.0f} ms  statuses {dict(sorted(statuses.items(), key=str))}"
            )
        results.append(("no 5xx and no request without an answer", not tally.failures, "; ".join(tally.failures[:5])))
        results.append(("every client ran to the end", not CRASHES, "; ".join(CRASHES[:3])))
        log_errors = [
            line
            for line in server.log_path.read_text(errors="replace").splitlines()
            if any(e in line for e in LOG_ERRORS)
        ]
        results.append(("no errors in the server's log", not log_errors, "; ".join(log_errors[:3])))
        kept = [pid for pid in memory_start if pid in memory_end]
        growth = {pid: (memory_end[pid] - memory_start[pid]) / 1024 for pid in kept}
        memory = ", ".join(f"{memory_start[p] / 1024:.0f} → {memory_end[p] / 1024:.0f} MB" for p in kept)
        if SECONDS >= 120:
            results.append(
                (
                    f"no worker grew by more than {GROWTH_MB:.0f} MB (PSS)",
                    bool(kept) and all(g <= GROWTH_MB for g in growth.values()),
                    memory or "the workers were replaced",
                )
            )
        else:  # the first minute warms the workers up (search's dictionary, templates, caches)
            say(f"worker PSS {memory}: not judged, a run shorter than 2 minutes ends in the warm-up")
        booked_ids = [str(booking_id) for booking_id, _ in tally.booked]
        found = set()
        if booked_ids:
            found = {
                row[0]
                for row in sql(database, f"SELECT id FROM booking_reservation WHERE id IN ({','.join(booked_ids)})")
            }
        results.append(
            ("every booking answered 201 exists", found == set(booked_ids), f"{len(found)} of {len(booked_ids)}")
        )
        doubles = sql(
            database,
            f"""SELECT a.id, b.id FROM booking_reservation a JOIN booking_reservation b
                ON a.room_id = b.room_id AND a.id < b.id AND a.start < b."end" AND b.start < a."end"
                WHERE a.status IN {HOLDING} AND b.status IN {HOLDING} AND b.id > {first_id}""",
        )
        results.append(("no room booked twice", not doubles, f"{len(doubles)} overlapping pairs"))

        for name, passed, detail in results:
            say(f"{'ok  ' if passed else 'FAIL'} {name}{': ' + detail if detail else ''}")
        if not all(passed for _name, passed, _detail in results):
            print(tail(server.log_path, 30))
    return summary("soak", results, started)


CRASHES = []


def guarded(function, *args):
    try:
        function(*args)
    except Exception as error:  # a client that stops early is itself a finding
        CRASHES.append(f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    main_of("soak", main)
