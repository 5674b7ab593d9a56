"""What residents do, as the operations scripts do it over HTTP: get an API token, find a free
slot, book, cancel, sign in on the website, sign up. Each returns what the server answered."""

import datetime as dt
import random
import re
import uuid

from ops.servers import Failed, sms_code

# The demo's residents of 徐汇苑 (seed_demo): 13900000001 to 13900000030, this password.
DEMO_PASSWORD = "portal-demo"


def demo_phone(number):
    return f"+86139000000{number:02d}"


def token_by_code(client_a, client_b, phone, sms_file):
    """Ask for a code through one server and trade it for a token through the other: the code
    must live in the shared cache for that to work."""
    asked = client_a.post("/api/v1/auth/code", json_body={"phone": phone})
    if asked.status != 202:
        raise Failed(f"POST /api/v1/auth/code answered {asked!r}")
    code = sms_code(sms_file, phone, "login_code")
    answer = client_b.post("/api/v1/auth/token", json_body={"phone": phone, "code": code})
    if answer.status != 200:
        raise Failed(f"POST /api/v1/auth/token with the texted code answered {answer!r}")
    return answer.json()["token"]


def token_by_password(client, phone):
    answer = client.post("/api/v1/auth/token", json_body={"phone": phone, "password": DEMO_PASSWORD})
    if answer.status != 200:
        raise Failed(f"POST /api/v1/auth/token with the password answered {answer!r}")
    return answer.json()["token"]


def rooms(client):
    answer = client.get("/api/v1/rooms")
    if answer.status != 200:
        raise Failed(f"GET /api/v1/rooms answered {answer!r}")
    return answer.json()


def free_starts(client, room, day):
    """The free slots of a room on a day (the availability API), as (start, end) strings."""
    answer = client.get(f"/api/v1/rooms/{room['id']}/availability?date={day.isoformat()}")
    if answer.status != 200:
        return answer, []
    slots = answer.json()["slots"]
    return answer, [(slot["start"], slot["end"]) for slot in slots if slot["state"] == "free"]


def try_to_book(client, room, day, *, pick=random.choice, key=None):
    """One booking attempt of the room's shortest length at a free slot of the day. Returns the
    answer and what was asked (None when the day has no free slot)."""
    answer, starts = free_starts(client, room, day)
    if not starts:
        return answer, None
    return request_booking(client, room, pick(starts)[0], key=key)


def request_booking(client, room, start, *, key=None):
    """POST a booking of the room's shortest length from `start` with an Idempotency-Key."""
    asked = booking_request(room, start, key=key)
    return send_booking(client, asked), asked


def booking_request(room, start, *, key=None):
    """What a booking of the room's shortest length from `start` sends, its Idempotency-Key under "key"."""
    start = dt.datetime.fromisoformat(start)
    end = start + dt.timedelta(minutes=room["min_minutes"])
    return {
        "room": room["id"],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "purpose": "ops",
        "key": key or uuid.uuid4().hex,
    }


def send_booking(client, asked):
    body = {name: value for name, value in asked.items() if name != "key"}
    return client.post("/api/v1/reservations", json_body=body, headers={"Idempotency-Key": asked["key"]})


def book_somewhere(client, today, *, days=range(2, 8)):
    """Book the first slot the rules accept in a room without approval; Failed if none does."""
    refusals = []
    for room in rooms(client):
        if room["needs_approval"]:
            continue
        for ahead in days:
            answer, asked = try_to_book(client, room, today + dt.timedelta(days=ahead), pick=lambda starts: starts[0])
            if answer.status == 201:
                return answer.json(), room
            refusals.append(f"{room['name']} +{ahead}d: {answer.status}")
    raise Failed("no room could be booked: " + "; ".join(refusals[-6:]))


def web_sign_in(client, phone):
    """Sign in on the website with the phone number and password; the session cookie is in client.jar."""
    answer = client.form_post("/accounts/login/", {"login": phone, "password": DEMO_PASSWORD})
    if answer.status != 302:
        raise Failed(f"signing in on the website answered {answer.status}, not a redirect")
    return answer


def sign_up(client, phone, sms_file, *, name="测试居民"):
    """Open an account on the website and prove the number with the texted code."""
    page = client.get("/accounts/signup/")
    area = re.search(r'<option value="(\d+)" selected>', page.text)
    fields = {
        "csrfmiddlewaretoken": client.cookie("csrftoken") or "",
        "name": name,
        "phone": phone,
        "building": "7号楼",
        "room_number": f"{random.randint(101, 1802)}室",
        "area": area.group(1) if area else "",
        "password1": "",
        "consent": "on",
    }
    answer = client.post("/accounts/signup/", form=fields)
    if answer.status != 302:
        return answer
    code = sms_code(sms_file, phone, "verification_code")
    return client.form_post("/accounts/phone/verify/", {"code": code})
