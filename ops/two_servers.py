"""Two app servers behind nginx share everything that matters (make two-servers; docs/operations.md).

Starts two gunicorn app servers (production settings) on two loopback ports with one new
PostgreSQL database and one Redis database, and nginx in front of both; then, through one server,
books a room, publishes a notice and signs in, and checks the other server (and nginx) sees each
at once. Exit 0 with a summary; otherwise 1, naming what failed. Stops all it started.
"""

import concurrent.futures
import datetime as dt
import os
import subprocess
import time
import uuid

from ops import flows
from ops.servers import (
    FIRST_PORT,
    PYTHON,
    ROOT,
    Client,
    Failed,
    Stack,
    collect_static,
    flush_redis,
    gunicorn,
    load_demo,
    main_of,
    nginx,
    production_env,
    say,
    summary,
    wait_until_serving,
)

TIME_LIMIT = int(os.environ.get("TWO_SERVERS_TIME_LIMIT", "420"))
RESIDENT = flows.demo_phone(3)

# Waits for a line on its input before publishing, so Django is set up while the servers start.
PUBLISH = """
import sys
sys.stdin.readline()
from home.models import NoticeIndexPage, NoticePage
from portal.models import Area
home = Area.objects.get(slug="xuhuiyuan").site.root_page
board = NoticeIndexPage.objects.descendant_of(home).first()
notice = NoticePage(title={title!r}, slug={slug!r}, summary="两台服务器的检查")
board.add_child(instance=notice)
notice.save_revision().publish()
print(notice.url_path)
"""


def main():
    results = []
    started = time.monotonic()

    def check(name, passed, detail=""):
        results.append((name, passed, detail))
        say(f"{'ok  ' if passed else 'FAIL'} {name}{': ' + detail if detail else ''}")

    with Stack(TIME_LIMIT) as stack:
        front, port_a, port_b = FIRST_PORT, FIRST_PORT + 1, FIRST_PORT + 2
        database = stack.database(f"portal_two_servers_{uuid.uuid4().hex[:8]}")
        sms_file = stack.scratch / "sms.jsonl"
        env_a = production_env(database, base_url=f"http://localhost:{port_a}", sms_file=sms_file)
        env_b = {**env_a, "WAGTAILADMIN_BASE_URL": f"http://localhost:{port_b}"}
        say(f"database {database}; loading the demo areas, collecting static files")
        with concurrent.futures.ThreadPoolExecutor() as pool:
            static = pool.submit(collect_static, env_a)
            say(f"demo areas {load_demo(database)}")
            static.result()
        flush_redis()
        title = f"两台服务器通知 {uuid.uuid4().hex[:6]}"
        publisher = subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                PUBLISH.format(title=title, slug=f"two-servers-{uuid.uuid4().hex[:6]}"),
            ],
            env=env_a,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stack.callback(publisher.kill)
        a = gunicorn(stack, "a", port_a, env_a)
        b = gunicorn(stack, "b", port_b, env_b)
        proxy = nginx(stack, front, [port_a, port_b])
        url_a, url_b, url_front = (f"http://localhost:{p}" for p in (port_a, port_b, front))
        probe = wait_until_serving(url_a, a), wait_until_serving(url_b, b), wait_until_serving(url_front, proxy)
        say(
            f"serving: A {url_a}, B {url_b}, nginx {url_front} (ready by {probe[0]}) after {time.monotonic() - started:.0f} s"
        )

        # A code asked for through A is accepted through B (the code is in the shared cache).
        token = flows.token_by_code(Client(url_a), Client(url_b), RESIDENT, sms_file)
        check("an SMS code asked for on A signs in on B (API token)", True)

        # A booking made through A is on B's availability and in B's list of my bookings.
        api_a, api_b = Client(url_a, token=token), Client(url_b, token=token)
        today = dt.date.fromisoformat(time.strftime("%Y-%m-%d"))
        booking, room = flows.book_somewhere(api_a, today)
        start = dt.datetime.fromisoformat(booking["start"])
        _, free_on_b = flows.free_starts(api_b, room, start.date())
        mine = api_b.get("/api/v1/reservations?page_size=100").json()["items"]
        check(
            "a room booked on A is taken on B",
            booking["start"] not in [s for s, _ in free_on_b] and booking["id"] in [r["id"] for r in mine],
            f"{room['name_en']} {booking['start']}, booking {booking['id']}",
        )

        # A notice published (on the shared database) is on B's board and through nginx at once.
        # The board read first, so both servers' kept copy of it must be renewed by the publication.
        before = Client(url_b).get("/notices/"), Client(url_front).get("/notices/")
        out, err = publisher.communicate("publish\n", timeout=120)
        if publisher.returncode != 0:
            raise Failed(f"publishing the notice failed: {err[-2000:]}")
        path = out.strip().splitlines()[-1]
        board_b, board_front = Client(url_b).get("/notices/"), Client(url_front).get("/notices/")
        page_front = Client(url_front).get("/" + path.split("/", 2)[-1])
        check(
            "a notice published is on B's board and through nginx at once",
            all(title not in page.text for page in before)
            and title in board_b.text
            and title in board_front.text
            and page_front.status == 200,
            "the board was read through B and nginx just before",
        )

        # Signed in on A's website, still signed in on B and through nginx.
        browser_a = Client(url_a)
        flows.web_sign_in(browser_a, RESIDENT)
        on_b = Client(url_b, jar=browser_a.jar).get("/accounts/me/")
        on_front = Client(url_front, jar=browser_a.jar).get("/accounts/me/")
        anonymous = Client(url_b).get("/accounts/me/")
        check(
            "signed in on A, still signed in on B and through nginx",
            on_b.status == 200
            and on_front.status == 200
            and anonymous.status == 302
            and "13900000003" in on_b.text.replace(" ", ""),
            f"B {on_b.status}, nginx {on_front.status}, not signed in {anonymous.status}",
        )

        for name, process in (("A", a), ("B", b), ("nginx", proxy)):
            if process.poll() is not None:
                check(f"{name} kept running", False, f"exited {process.returncode}")
        errors = [
            line
            for process in (a, b)
            for line in process.log_path.read_text(errors="replace").splitlines()
            if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line
        ]
        check("no errors in the app servers' logs", not errors, "; ".join(errors[:3]))

    return summary("two servers", results, started)


if __name__ == "__main__":
    main_of("two servers", main)
