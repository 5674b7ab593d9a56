"""What suggestions gained beside filing and answering: a photo kept without its location and
shown only to the resident and the area's staff; filing signed out with a number and a code;
staff's answer templates; names jieba finds offered for masking in the public wording; and the
month's A4 sheet for the lobby notice board."""

import io
import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from outreach import suggestions
from outreach.models import AnswerTemplate, Suggestion, SuggestionCategory
from portal.models import User
from tests.factories import LeadUserFactory, ResidentFactory
from tests.helpers import client_for


@pytest.fixture
def parking(db):
    return SuggestionCategory.objects.get(slug="parking")


# Photos


def phone_photo(size=(4000, 3000)):
    """A phone's JPEG: held sideways (EXIF orientation 6: turn it a quarter to stand up), with
    the camera's make and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (31.0, 12.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (121.0, 26.0, 10.0),
        }
    )
    data = io.BytesIO()
    Image.new("RGB", size, "#c49668").save(data, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", data.getvalue(), content_type="image/jpeg")


def stored(suggestion):
    with storages["private"].open(suggestion.photo.name) as file:
        data = file.read()
    return data, Image.open(io.BytesIO(data))


def photo_url(suggestion):
    return reverse("outreach:photo", args=[suggestion.pk])


def admin_photo_url(suggestion):
    return reverse("suggestions:photo", args=[suggestion.pk])


def test_a_residents_photo_is_kept_upright_small_and_without_exif(resident, parking):
    me = client_for(resident)
    untold = me.post("/en/suggestions/new/", {"category": parking.pk, "text": "", "photo": phone_photo()})
    assert untold.status_code == 400 and "choose the photo again" in untold.content.decode()
    sent = me.post(
        "/suggestions/new/", {"category": parking.pk, "text": "车棚顶破了", "place": "5号楼", "photo": phone_photo()}
    )
    assert sent.status_code == 302
    suggestion = Suggestion.objects.get()
    data, image = stored(suggestion)
    assert image.format == "JPEG"
    assert image.size == (1200, 1600)  # stood up, then 1600 px on the long side
    assert not image.getexif() and "exif" not in image.info
    assert b"Exif" not in data and b"PhoneMaker" not in data
    assert not suggestion.photo.url.startswith("/media/")  # the private storage, never served as media

    page = me.get(sent["Location"]).content.decode()
    assert photo_url(suggestion) in page
    served = me.get(photo_url(suggestion))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "private" in served["Cache-Control"] and "no-store" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == data


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1), content_type="image/jpeg"),
            "larger than 10 MB",
        ),
        (SimpleUploadedFile("notes.pdf", b"%PDF-1.4 not a picture", content_type="application/pdf"), "not a photo"),
    ],
)
def test_a_file_too_large_or_not_a_picture_is_refused_and_the_text_stays(resident, parking, upload, message):
    page = client_for(resident).post(
        "/en/suggestions/new/", {"category": parking.pk, "text": "车棚顶破了，漏雨", "place": "5号楼", "photo": upload}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert message in html and "车棚顶破了，漏雨" in html and "5号楼" in html
    assert not Suggestion.objects.exists()


def test_staff_record_a_photo_and_only_the_areas_staff_and_supervisors_open_it(
    xhy, resident, parking, xhy_staff, wanliu, wanliu_staff, supervisor
):
    staff = client_for(xhy_staff)
    not_a_photo = SimpleUploadedFile("scan.jpg", b"not a picture at all", content_type="image/jpeg")
    refused = staff.post(
        reverse("suggestions:add"),
        {"category": parking.pk, "text": "楼道灯坏了", "channel": "visit", "photo": not_a_photo},
    )
    assert refused.status_code == 400 and "楼道灯坏了" in refused.content.decode()
    assert not Suggestion.objects.exists()
    recorded = staff.post(
        reverse("suggestions:add"),
        {
            "category": parking.pk,
            "text": "楼道灯坏了",
            "channel": "visit",
            "phone": "13900000001",
            "photo": phone_photo(),
        },
    )
    suggestion = Suggestion.objects.get()
    assert recorded.status_code == 302 and suggestion.resident == resident
    _data, image = stored(suggestion)
    assert max(image.size) == 1600 and not image.getexif()

    assert (
        admin_photo_url(suggestion) in staff.get(reverse("suggestions:inspect", args=[suggestion.pk])).content.decode()
    )
    for reader in (xhy_staff, LeadUserFactory(area=xhy, username="xhy-lead"), supervisor):
        served = client_for(reader).get(admin_photo_url(suggestion))
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg", reader
        assert "no-store" in served["Cache-Control"] and "private" in served["Cache-Control"]
    assert suggestion.events.filter(action="viewed", note__isnull=False).exclude(note="").count() == 3

    assert client_for(wanliu_staff).get(admin_photo_url(suggestion)).status_code == 404
    for outsider in (client_for(resident), Client()):  # no admin access: Wagtail sends them away
        answer = outsider.get(admin_photo_url(suggestion))
        assert answer.status_code == 302 and answer.get("Content-Type") != "image/jpeg"
    assert not suggestion.events.filter(by=wanliu_staff).exists()


def test_the_photo_is_nobody_elses_and_never_on_the_board(xhy, wanliu, resident, parking, xhy_staff):
    client_for(resident).post(
        "/suggestions/new/", {"category": parking.pk, "text": "车棚顶破了", "public": "on", "photo": phone_photo()}
    )
    suggestion = Suggestion.objects.get()
    suggestions.approve_wording(suggestion, xhy_staff, "5号楼车棚顶破了")
    neighbour = ResidentFactory(area=xhy, phone="+8613900000002")
    suggestions.follow(suggestion, neighbour)
    elsewhere = ResidentFactory(area=wanliu, phone="+8613900000003")
    for outsider in (client_for(neighbour), client_for(elsewhere), Client(), client_for(xhy_staff)):
        assert outsider.get(photo_url(suggestion)).status_code == 404
    # The neighbour who supports it follows its page, without the photo.
    assert photo_url(suggestion) not in client_for(neighbour).get(f"/suggestions/{suggestion.pk}/").content.decode()
    board = Client().get("/suggestions/").content.decode()
    assert "5号楼车棚顶破了" in board and "/photo/" not in board


# Filing signed out, with a number and a code


def filled(parking, **fields):
    typed = {"category": parking.pk, "text": "车棚电动车乱停，晚上进不去", "place": "5号楼东侧车棚", "consent": "on"}
    return {**typed, **fields}


def ask_for_code(visitor, parking, phone, sms_outbox, **fields):
    page = visitor.post("/suggestions/new/", filled(parking, phone=phone, **fields))
    assert page.status_code == 200, page.content.decode()
    assert sms_outbox[-1].template == "verification_code"
    return sms_outbox[-1].params["code"]


def wrong(code):
    return str((int(code) + 1) % 1_000_000).zfill(6)


def test_signed_out_a_resident_files_with_a_code_to_their_number(xhy, resident, parking, sms_outbox):
    resident.privacy_consent_version, agreed_at = "2026-11", resident.privacy_consent_at
    resident.save()
    visitor = Client(HTTP_HOST="localhost")
    form = visitor.get("/suggestions/new/")
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    assert 'name="phone"' in form.content.decode() and 'name="code"' not in form.content.decode()

    code = ask_for_code(visitor, parking, "139 0000 0001", sms_outbox)
    assert sms_outbox[-1].phone == "+8613900000001" and not Suggestion.objects.exists()
    back = visitor.get("/suggestions/new/").content.decode()  # coming back to the page, the code still waits
    assert 'value="13900000001"' in back and "139****0001" in back and 'name="code"' in back

    mistaken = visitor.post("/suggestions/new/", filled(parking, phone="13900000001", code=wrong(code)))
    assert mistaken.status_code == 400
    html = mistaken.content.decode()
    assert "车棚电动车乱停，晚上进不去" in html and "5号楼东侧车棚" in html  # what was typed stays
    assert not Suggestion.objects.exists()

    filed = visitor.post("/suggestions/new/", filled(parking, phone="13900000001", code=code, photo=phone_photo()))
    suggestion = Suggestion.objects.get()
    assert filed.status_code == 302 and filed["Location"] == reverse("outreach:suggestion", args=[suggestion.pk])
    assert suggestion.resident == resident and suggestion.area == xhy and suggestion.photo
    assert suggestion.channel == Suggestion.Channel.PORTAL
    resident.refresh_from_db()  # their agreement is theirs: the page's box changes nothing of it
    assert (resident.privacy_consent_version, resident.privacy_consent_at) == ("2026-11", agreed_at)
    # Signed in by the code, as signing in by code would: their suggestion's page is theirs.
    assert suggestion.number in visitor.get(filed["Location"]).content.decode()
    # The code proved the number once: sending the same again files nothing more.
    visitor.logout()
    again = Client(HTTP_HOST="localhost").post("/suggestions/new/", filled(parking, phone="13900000001", code=code))
    assert again.status_code == 200 and Suggestion.objects.count() == 1


def test_a_number_without_an_account_gets_one_in_the_sites_area(xhy, parking, sms_outbox, settings):
    visitor = Client(HTTP_HOST="localhost")
    code = ask_for_code(visitor, parking, "13700000077", sms_outbox)
    assert not User.objects.filter(phone="+8613700000077").exists()  # nothing before the code
    filed = visitor.post("/suggestions/new/", filled(parking, phone="13700000077", code=code))
    account = User.objects.get(phone="+8613700000077")
    suggestion = Suggestion.objects.get()
    assert suggestion.resident == account
    assert account.area == xhy and account.phone_verified and not account.has_usable_password()
    assert not account.get_full_name()
    # The agreement given on the form, before anything was kept.
    assert account.privacy_consent_version == settings.PRIVACY_NOTICE_VERSION
    assert account.privacy_consent_at <= suggestion.received_at
    # Like any account opened by proving a number: its owner gives name and home first.
    after = visitor.get(filed["Location"])
    assert after.status_code == 302 and after["Location"].startswith(reverse("account_details"))


def test_without_agreeing_to_the_privacy_notice_nothing_is_sent_or_kept(xhy, parking, sms_outbox):
    visitor = Client(HTTP_HOST="localhost")
    form = visitor.get("/en/suggestions/new/").content.decode()
    assert 'name="consent"' in form and 'href="/en/accounts/privacy/"' in form
    refused = visitor.post("/en/suggestions/new/", filled(parking, phone="13700000077", consent=""))
    assert refused.status_code == 400 and not sms_outbox
    html = refused.content.decode()
    assert "Please tick this box to agree to the privacy notice" in html
    assert "车棚电动车乱停，晚上进不去" in html and "13700000077" in html  # what was typed stays

    sent = visitor.post("/en/suggestions/new/", filled(parking, phone="13700000077"))  # ticked: it stays ticked
    assert sent.status_code == 200 and re.search(r'<input[^>]*name="consent"[^>]*checked', sent.content.decode())
    code = sms_outbox[-1].params["code"]
    untick = visitor.post("/en/suggestions/new/", filled(parking, phone="13700000077", code=code, consent=""))
    assert untick.status_code == 400 and "车棚电动车乱停，晚上进不去" in untick.content.decode()
    assert not Suggestion.objects.exists() and not User.objects.filter(phone="+8613700000077").exists()


def test_another_areas_resident_files_nothing_on_this_sites_area(xhy, wanliu, parking, sms_outbox):
    ResidentFactory(area=wanliu, phone="+8613900000003")
    visitor = Client(HTTP_HOST="localhost")  # 徐汇苑's site
    code = ask_for_code(visitor, parking, "13900000003", sms_outbox)
    refused = visitor.post("/en/suggestions/new/", filled(parking, phone="13900000003", code=code))
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "宛六居民区" in html and "车棚电动车乱停，晚上进不去" in html
    assert not Suggestion.objects.exists()
    assert "_auth_user_id" not in visitor.session


def test_a_staff_number_opens_nothing_here(xhy, xhy_staff, parking, sms_outbox):
    xhy_staff.phone = "+8613800000009"
    xhy_staff.save()
    visitor = Client(HTTP_HOST="localhost")
    code = ask_for_code(visitor, parking, "13800000009", sms_outbox)
    refused = visitor.post("/suggestions/new/", filled(parking, phone="13800000009", code=code))
    assert refused.status_code == 403 and "车棚电动车乱停" in refused.content.decode()
    assert not Suggestion.objects.exists() and User.objects.filter(phone="+8613800000009").count() == 1
    assert "_auth_user_id" not in visitor.session


def test_codes_are_limited_and_wrong_guesses_end_a_code(xhy, resident, parking, sms_outbox):
    visitor = Client(HTTP_HOST="localhost")
    code = ask_for_code(visitor, parking, "13900000001", sms_outbox)
    for _attempt in range(3):  # allauth's limit of attempts for a phone code
        page = visitor.post("/en/suggestions/new/", filled(parking, phone="13900000001", code=wrong(code)))
        assert page.status_code == 400
    assert "Ask for a new one" in page.content.decode()
    used_up = visitor.post("/suggestions/new/", filled(parking, phone="13900000001", code=code))
    assert used_up.status_code == 200 and not Suggestion.objects.exists()  # a new code was sent instead

    third = visitor.post("/suggestions/new/", filled(parking, phone="13900000001", send_code="1"))
    assert third.status_code == 200 and len(sms_outbox) == 3
    # A fourth within the minute: allauth's 3 a minute for a number (the counter signing in uses too).
    limited = visitor.post("/en/suggestions/new/", filled(parking, phone="13900000001", send_code="1"))
    assert limited.status_code == 400
    assert "Too many codes" in limited.content.decode() and "车棚电动车乱停" in limited.content.decode()
    assert len(sms_outbox) == 3


# Answer templates


@pytest.fixture
def templates(xhy, wanliu, parking):
    """A template of 徐汇苑's for parking, one of 宛六's, and one of 徐汇苑's for repairs."""
    repairs = SuggestionCategory.objects.get(slug="repairs")
    return {
        "ours": AnswerTemplate.objects.create(area=xhy, category=parking, title="徐汇苑停车", text="已请物业划线。"),
        "theirs": AnswerTemplate.objects.create(area=wanliu, category=parking, title="宛六停车", text="宛六的回复。"),
        "repairs": AnswerTemplate.objects.create(area=xhy, category=repairs, title="徐汇苑维修", text="已报修。"),
        "shared": AnswerTemplate.objects.filter(area=None, category=parking).get(),
    }


def template_form(title, **fields):
    return {"title": title, "text": f"{title}的内容", "sort_order": "0", "category": "", **fields}


def test_every_area_starts_with_shared_templates(db):
    shared = AnswerTemplate.objects.filter(area=None)
    assert shared.count() >= 5 and shared.filter(category=None).exists()
    assert all(template.text.startswith("您好") for template in shared)


def test_staff_keep_their_areas_templates_and_read_the_shared_ones(xhy, xhy_staff, templates):
    staff = client_for(xhy_staff)
    listing = staff.get(reverse("answer_templates:index")).content.decode()
    assert "徐汇苑停车" in listing and templates["shared"].title in listing and "宛六停车" not in listing
    assert reverse("answer_templates:edit", args=[templates["ours"].pk]) in listing
    assert reverse("answer_templates:edit", args=[templates["shared"].pk]) not in listing

    assert 'name="area"' not in staff.get(reverse("answer_templates:add")).content.decode()
    assert staff.post(reverse("answer_templates:add"), template_form("楼道堆物")).status_code == 302
    added = AnswerTemplate.objects.get(title="楼道堆物")
    assert added.area == xhy  # staff's templates are their area's
    changed = staff.post(reverse("answer_templates:edit", args=[added.pk]), template_form("楼道堆物清理"))
    assert changed.status_code == 302 and AnswerTemplate.objects.filter(title="楼道堆物清理", area=xhy).exists()

    shared = templates["shared"]
    staff.post(reverse("answer_templates:edit", args=[shared.pk]), template_form("改掉共用的"))
    staff.post(reverse("answer_templates:delete", args=[shared.pk]))
    assert AnswerTemplate.objects.get(pk=shared.pk).title == shared.title  # only supervisors change shared ones


def test_the_other_areas_staff_neither_see_nor_change_a_template(templates, wanliu_staff):
    other = client_for(wanliu_staff)
    ours = templates["ours"]
    assert other.get(reverse("answer_templates:edit", args=[ours.pk])).status_code == 404
    assert other.post(reverse("answer_templates:edit", args=[ours.pk]), template_form("改")).status_code == 404
    assert other.post(reverse("answer_templates:delete", args=[ours.pk])).status_code == 404
    listing = other.get(reverse("answer_templates:index"), {"q": "徐汇苑"}).content.decode()
    assert "徐汇苑停车" not in listing and "已请物业划线" not in listing
    assert AnswerTemplate.objects.get(pk=ours.pk).title == "徐汇苑停车"


def test_supervisors_keep_the_shared_templates_only(templates, supervisor, xhy):
    reader = client_for(supervisor)
    listing = reader.get(reverse("answer_templates:index")).content.decode()
    assert "徐汇苑停车" in listing and "宛六停车" in listing
    assert reader.post(reverse("answer_templates:add"), template_form("共用的新模板")).status_code == 302
    assert AnswerTemplate.objects.get(title="共用的新模板").area is None
    shared = templates["shared"]
    assert reader.post(reverse("answer_templates:edit", args=[shared.pk]), template_form("共用改")).status_code == 302
    assert AnswerTemplate.objects.get(pk=shared.pk).title == "共用改"
    ours = templates["ours"]
    reader.post(reverse("answer_templates:edit", args=[ours.pk]), template_form("督导改"))
    reader.post(reverse("answer_templates:delete", args=[ours.pk]))
    assert AnswerTemplate.objects.get(pk=ours.pk).title == "徐汇苑停车"  # an area's are its staff's


def test_residents_and_strangers_reach_no_template(templates, resident):
    for outsider in (client_for(resident), Client()):
        for url in (
            reverse("answer_templates:index"),
            reverse("answer_templates:add"),
            reverse("answer_templates:edit", args=[templates["ours"].pk]),
        ):
            answer = outsider.get(url)
            assert answer.status_code == 302 and "徐汇苑停车" not in answer.content.decode(), url


def test_the_answer_form_offers_the_areas_templates_for_the_category(xhy, resident, parking, xhy_staff, templates):
    suggestion = suggestions.submit(area=xhy, category=parking, text="车棚乱停", resident=resident)
    suggestions.accept(suggestion, xhy_staff)
    staff = client_for(xhy_staff)
    inspect = reverse("suggestions:inspect", args=[suggestion.pk])
    page = staff.get(inspect).content.decode()
    assert "徐汇苑停车" in page and templates["shared"].title in page
    assert "宛六停车" not in page and "宛六的回复" not in page  # another area's
    assert "徐汇苑维修" not in page  # another category's

    chosen = staff.get(inspect, {"template": templates["ours"].pk}).content.decode()
    assert '<textarea name="answer-answer"' in chosen and "已请物业划线。</textarea>" in chosen
    for other in (templates["theirs"].pk, templates["repairs"].pk, "x", "99999"):
        page = staff.get(inspect, {"template": other}).content.decode()
        assert "宛六的回复" not in page and "已报修。</textarea>" not in page, other


# Names offered for masking in the public wording


@pytest.fixture
def naming(xhy, parking, resident):
    """The resident, whose name the portal knows (王秀英), writes of 李阿姨 and names her
    neighbour in full: 张建国, whom the portal does not know."""
    resident.last_name, resident.first_name = "王", "秀英"
    resident.save()
    return suggestions.submit(
        area=xhy, category=parking, text="王秀英：李阿姨说张建国家门口的车棚电动车乱停", resident=resident, public=True
    )


def publish(client, suggestion, **data):
    return client.post(reverse("suggestions:step", args=[suggestion.pk, "publish"]), data)


def test_names_jieba_finds_are_offered_and_masked_only_when_ticked(naming, xhy_staff):
    staff = client_for(xhy_staff)
    page = staff.get(reverse("suggestions:inspect", args=[naming.pk])).content.decode()
    assert "王*英：李阿姨说张建国家门口" in page  # the known name masked, the unknown one not (yet)
    assert 'name="publish-mask_names" value="张建国"' in page
    assert page.count('name="publish-mask_names"') == 1  # not 阿姨, which says how she is addressed
    assert "Possibly a person" in page or "可能是人名" in page

    kept = publish(staff, naming, **{"publish-public_text": "张建国家门口的车棚电动车乱停"})
    assert kept.status_code == 302
    naming.refresh_from_db()
    assert naming.public_text == "张建国家门口的车棚电动车乱停"  # nothing masked without staff

    masked = publish(
        staff, naming, **{"publish-public_text": "张建国家门口的车棚电动车乱停", "publish-mask_names": ["张建国"]}
    )
    assert masked.status_code == 302
    naming.refresh_from_db()
    assert naming.public_text == "张*国家门口的车棚电动车乱停"


# The A4 sheet for the lobby notice board


def answered(suggestion, staff, answer, wording=None):
    suggestions.accept(suggestion, staff)
    suggestions.answer(suggestion, staff, answer)
    if wording:
        suggestions.approve_wording(suggestion, staff, wording)


def test_the_a4_sheet_shows_the_months_figures_and_approved_wording_only(
    xhy, wanliu, resident, parking, xhy_staff, wanliu_staff
):
    resident.last_name, resident.first_name = "王", "秀英"
    resident.save()
    shown = suggestions.submit(area=xhy, category=parking, text="王秀英：车棚乱停", resident=resident, public=True)
    answered(shown, xhy_staff, "已通知物业，并请王秀英阿姨确认，电话13912345678", wording="5号楼车棚电动车乱停")
    unapproved = suggestions.submit(area=xhy, category=parking, text="未审核的原话", resident=resident, public=True)
    answered(unapproved, xhy_staff, "未审核的答复")
    private = suggestions.submit(area=xhy, category=parking, text="不公开的原话", resident=resident)
    answered(private, xhy_staff, "不公开的答复")
    suggestions.submit(area=xhy, category=parking, text="还没答复", resident=resident, public=True)
    theirs = suggestions.submit(area=wanliu, category=parking, text="宛六的原话", public=True)
    answered(theirs, wanliu_staff, "宛六的答复", wording="宛六的车棚")

    neighbour = ResidentFactory(area=wanliu, phone="+8613900000003")
    for reader in (Client(HTTP_HOST="localhost"), client_for(neighbour), client_for(wanliu_staff)):
        sheet = reader.get("/en/suggestions/print/", HTTP_HOST="localhost")
        assert sheet.status_code == 200
        html = sheet.content.decode()
        assert "5号楼车棚电动车乱停" in html and "已通知物业" in html and shown.number in html
        assert "王*英" in html and "139****5678" in html  # the answer's name and number masked on paper
        assert "<dt>Received</dt><dd>4</dd>" in html and "Answered on time" in html
        for hidden in ("王秀英", "13912345678", "139****0001", "301室", "原话", "未审核", "不公开", "宛六", "/photo/"):
            assert hidden not in html, hidden
        assert "css/poster.css" in html  # A4 pages, and nothing but the sheet on paper

    board = Client(HTTP_HOST="localhost").get("/suggestions/").content.decode()
    assert reverse("outreach:print") in board
    # 宛六's own site prints 宛六's sheet.
    theirs_sheet = Client(HTTP_HOST="wanliu.localhost").get("/suggestions/print/").content.decode()
    assert "宛六的车棚" in theirs_sheet and "5号楼车棚" not in theirs_sheet
