"""Query budgets of the suggestion pages (docs/architecture.md, tests): the area's public board,
signed out and signed in, and the staff inbox, as staff, the lead and the supervisor see it, cost
at most 15 queries, and no more for 1 000 suggestions than for 3."""

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach.models import Suggestion
from portal.localtime import at
from tests.helpers import client_for

Status = Suggestion.Status
BUDGET = 15

# The states they are in, in turn: waiting, accepted, worked on, answered, rated (satisfied or not) and
# closed, refused, passed on.
STATES = [
    {"status": Status.SUBMITTED},
    {"status": Status.ACCEPTED, "accepted": 1},
    {"status": Status.IN_PROGRESS, "accepted": 2},
    {"status": Status.ANSWERED, "accepted": 1, "answered": 4, "answer": "已通知物业清理"},
    {"status": Status.CLOSED, "accepted": 1, "answered": 3, "answer": "已增设车棚", "rating": "satisfied"},
    {"status": Status.CLOSED, "accepted": 3, "answered": 9, "answer": "已联系业委会", "rating": "unsatisfied"},
    {"status": Status.REJECTED, "reason": "不属于居委会职责"},
    {"status": Status.TRANSFERRED, "accepted": 1, "transferred_to": "物业"},
]


def last_month():
    """The first day of the month before this one: every suggestion here is received in it, so its
    figures count them all."""
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def file_many(area, category, count, first=0):
    """`count` suggestions numbered on from `first`, received through last month in every state;
    every other one on the public board in approved wording."""
    month = last_month()
    rows = []
    for index, state in zip(range(first, first + count), itertools.cycle(STATES), strict=False):
        # By the 20th, so that even December's are answered within the year (one year of holidays read).
        received = at(month + dt.timedelta(days=index % 20), dt.time(9, index % 60))
        state = dict(state)
        accepted, answered = state.pop("accepted", None), state.pop("answered", None)
        public = index % 2 == 0
        rows.append(
            Suggestion(
                area=area,
                category=category,
                number=f"{month.year}-{index + 1:04d}",
                text=f"第{index + 1}条：5号楼车棚电动车乱停",
                received_at=received,
                accepted_at=received + dt.timedelta(days=accepted) if accepted else None,
                answered_at=received + dt.timedelta(days=answered) if answered else None,
                accept_due=(received + dt.timedelta(days=1)).date(),
                answer_due=(received + dt.timedelta(days=7)).date(),
                public=public,
                public_text=f"车棚第{index + 1}条" if public else "",
                public_approved_at=received if public else None,
                **state,
            )
        )
    Suggestion.objects.bulk_create(rows)


def queries(client, url):
    """How many queries a page costs, and the page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def costs(client, url, area, category):
    """The page's cost with 3 suggestions and with 1 000, and the page with 1 000."""
    file_many(area, category, 3)
    client.get(url)  # content types and the like, cached per process
    few, _page = queries(client, url)
    file_many(area, category, 997, first=3)
    many, page = queries(client, url)
    return few, many, page


@pytest.fixture
def board_url():
    return f"/suggestions/?month={last_month():%Y-%m}"


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "resident"])
def test_the_board_costs_the_same_for_three_suggestions_as_for_a_thousand(xhy, parking, resident, board_url, signed_in):
    client = client_for(resident) if signed_in else Client()
    few, many, page = costs(client, board_url, xhy, parking)
    assert many <= few and many <= BUDGET, f"{few} queries for 3, {many} for 1 000"
    assert page.count('class="booking"') == 20  # one page of them
    assert 'page=2"' in page and 'page=25"' in page  # the way to the others: 500 on the board
    assert "<dd>1000</dd>" in page  # last month's figures count every one


@pytest.fixture(params=["xhy_staff", "xhy_lead", "supervisor"])
def reader(request):
    """Who reads the inbox: 徐汇苑's staff, its lead, and the supervisor (every area's)."""
    return request.getfixturevalue(request.param)


def test_the_inbox_costs_the_same_for_three_suggestions_as_for_a_thousand(xhy, parking, reader):
    few, many, page = costs(client_for(reader), reverse("suggestions:index"), xhy, parking)
    assert many <= few and many <= BUDGET, f"{few} queries for 3, {many} for 1 000"
    opened = set(re.findall(r'href="/admin/suggestions/(\d+)/"', page))
    assert len(opened) == 30  # a page of rows
    assert "?p=2" in page and "?p=34" in page  # and the way to the others
