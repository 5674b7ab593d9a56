"""Signing in to the residents' JSON API: codes by SMS, passwords, bearer tokens, rate limits."""

from django.test import RequestFactory
from django.utils import timezone

from portal.api_auth import ResidentTokenAuth
from portal.models import ApiToken, User
from portal.privacy import close_account
from tests.factories import PASSWORD, ResidentFactory


def post(client, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1/auth/{path}", body, content_type="application/json", headers=headers)


def assert_error_body(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


def bearer(token):
    request = RequestFactory().get("/api/v1/rooms", headers={"Authorization": f"Bearer {token}"})
    return ResidentTokenAuth()(request)


def test_a_code_by_sms_gives_a_token_that_identifies_the_resident(client, resident, sms_outbox):
    response = post(client, "code", {"phone": "13900000001"})
    assert response.status_code == 202
    assert response.json()["expires_in"] == 300
    assert [(m.phone, m.template) for m in sms_outbox] == [("+8613900000001", "login_code")]

    response = post(client, "token", {"phone": "+8613900000001", "code": sms_outbox[-1].params["code"]})
    assert response.status_code == 200
    token = response.json()["token"]
    assert bearer(token) == resident
    expires = timezone.datetime.fromisoformat(response.json()["expires_at"])
    assert timezone.timedelta(days=29) < expires - timezone.now() <= timezone.timedelta(days=30)
    # The same code does not work twice.
    response = post(client, "token", {"phone": "13900000001", "code": sms_outbox[-1].params["code"]})
    assert_error_body(response, 401)


def test_a_password_gives_a_token(client, resident):
    response = post(client, "token", {"phone": "13900000001", "password": PASSWORD})
    assert response.status_code == 200
    assert bearer(response.json()["token"]) == resident


def test_wrong_code_or_password_is_401_with_the_error_body(client, resident, sms_outbox):
    assert_error_body(post(client, "token", {"phone": "13900000001", "password": "nope-nope"}), 401)
    post(client, "code", {"phone": "13900000001"})
    right = sms_outbox[-1].params["code"]
    wrong = "000000" if right != "000000" else "111111"
    assert_error_body(post(client, "token", {"phone": "13900000001", "code": wrong}), 401)
    assert post(client, "token", {"phone": "13900000001", "code": right}).status_code == 200


def test_three_wrong_codes_use_the_code_up(client, resident, sms_outbox):
    post(client, "code", {"phone": "13900000001"})
    right = sms_outbox[-1].params["code"]
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(3):
        assert_error_body(post(client, "token", {"phone": "13900000001", "code": wrong}), 401)
    assert_error_body(post(client, "token", {"phone": "13900000001", "code": right}), 401)


def test_a_number_without_account_is_answered_alike_and_told_by_sms(client, xhy, sms_outbox):
    response = post(client, "code", {"phone": "13700000000"})
    assert response.status_code == 202
    assert [(m.phone, m.template) for m in sms_outbox] == [("+8613700000000", "unknown_account")]
    assert_error_body(post(client, "token", {"phone": "13700000000", "code": "123456"}), 401)


def test_bad_input_is_400_naming_the_field(client, resident, sms_outbox):
    body = assert_error_body(post(client, "code", {"phone": "12345"}), 400)
    assert list(body["errors"]) == ["phone"]
    assert_error_body(post(client, "code", {}), 400)
    # Either a code or a password, not both and not neither.
    assert_error_body(post(client, "token", {"phone": "13900000001"}), 400)
    assert_error_body(post(client, "token", {"phone": "13900000001", "code": "1", "password": "x"}), 400)
    # An empty number is a 400 naming the phone, never a text to nobody or a "wrong code".
    for phone in ("", "   "):
        for path, extra in (("code", {}), ("token", {"code": "123456"})):
            empty = assert_error_body(post(client, path, {"phone": phone, **extra}), 400)
            assert list(empty["errors"]) == ["phone"]
    assert sms_outbox == []


def test_code_requests_are_rate_limited_with_429(client, resident, sms_outbox):
    for _attempt in range(3):
        assert post(client, "code", {"phone": "13900000001"}).status_code == 202
    assert_error_body(post(client, "code", {"phone": "13900000001"}), 429)
    assert len(sms_outbox) == 3


def test_wrong_passwords_are_rate_limited_per_number(client, resident, xhy):
    ResidentFactory(area=xhy, phone="+8613900000002")
    for _attempt in range(5):
        assert post(client, "token", {"phone": "13900000001", "password": "nope-nope"}).status_code == 401
    assert_error_body(post(client, "token", {"phone": "13900000001", "password": PASSWORD}), 429)
    assert post(client, "token", {"phone": "13900000002", "password": PASSWORD}).status_code == 200


def test_only_a_hash_of_the_key_is_stored_and_labels_say_nothing_personal(resident):
    token, key = ApiToken.objects.issue(resident)
    assert key not in token.key_hash and len(key) >= 40
    assert str(token) == f"API token {token.pk}"


def test_logout_revokes_the_token(client, resident, resident_token):
    assert post(client, "logout", {}, token=resident_token).status_code == 204
    assert bearer(resident_token) is None
    assert_error_body(post(client, "logout", {}, token=resident_token), 401)


def test_expired_revoked_and_unknown_tokens_are_refused(resident):
    expired, expired_key = ApiToken.objects.issue(resident)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    assert bearer(expired_key) is None
    assert bearer("not-a-token") is None


def test_closed_or_switched_off_accounts_cannot_use_their_tokens(resident, xhy):
    other = ResidentFactory(area=xhy, phone="+8613900000002")
    _token, other_key = ApiToken.objects.issue(other)
    User.objects.filter(pk=other.pk).update(is_active=False)
    assert bearer(other_key) is None
    _token, key = ApiToken.objects.issue(resident)
    close_account(resident)
    assert bearer(key) is None


def test_staff_sign_a_residents_app_out(client, xhy_staff, resident, resident_token):
    client.force_login(xhy_staff)
    client.post(f"/admin/residents/{resident.pk}/", {"action": "reset_access", "identity_checked": "1"})
    assert bearer(resident_token) is None


def test_use_is_recorded_without_writing_on_every_request(resident, resident_token, django_assert_num_queries):
    assert bearer(resident_token) == resident
    token = ApiToken.objects.get(user=resident)
    assert token.last_used_at is not None
    with django_assert_num_queries(1):  # the lookup only, no write
        bearer(resident_token)


def test_the_openapi_schema_lists_the_auth_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/auth/code", "/api/v1/auth/token", "/api/v1/auth/logout"} <= set(paths)
