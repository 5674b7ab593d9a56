"""A resident's sign-ups are theirs: in their data download, and given up when they close the account."""

import datetime as dt

from django.utils import timezone

from activities.models import Occurrence, SignUp
from portal.privacy import close_account


def test_sign_ups_are_in_the_download_and_released_when_the_account_closes(client, make_activity, resident):
    first = timezone.localdate() + dt.timedelta(days=1)
    page = make_activity(
        "宠物知识普及",
        "pets-privacy",
        signup_required=True,
        capacity=2,
        schedules=[
            {
                "weekdays": [first.weekday()],
                "first_date": first,
                "start_time": dt.time(9, 30),
                "end_time": dt.time(11),
                "count": 1,
            }
        ],
    )
    session = Occurrence.objects.get(activity=page)
    who = resident
    SignUp.objects.create(occurrence=session, resident=who)

    client.force_login(who)
    data = client.get("/accounts/me/download/", HTTP_HOST="localhost").json()
    assert [(s["activity"], s["status"]) for s in data["activity_sign_ups"]] == [("宠物知识普及", "active")]

    close_account(who)
    signup = SignUp.objects.get(resident=who)
    assert signup.status == SignUp.Status.CANCELLED and signup.cancelled_at is not None
