"""The site search page (home/search_views.py): Chinese words found inside titles and bodies,
the current area's pages only, in the reader's language, results with type, date or next session
and a highlighted excerpt, pagination, help when nothing is found, and a fixed number of queries.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL set; both use the real index.
"""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from wagtail.documents.models import Document
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.rich_text import RichText

from home.models import ContentPage, HomePage, NoticeIndexPage, NoticePage
from portal.localtime import show_when
from portal.models import AreaSettings
from services.models import ServiceGuidePage, ServiceIndexPage, ServiceLibraryPage
from tests.conftest import page_of
from tests.schedules import weekly

WANLIU = "wanliu.localhost"
BUDGET = 20


def text(html):
    """What a reader sees of some HTML: tags dropped (a <mark> inside a word leaves it whole)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def says(found, chinese, english):
    """Chinese once the translations are compiled, the English source string before."""
    return chinese in found or english in found


def results(response):
    """The results listed on a search page, in order: title, link, type line, excerpt (HTML), lang."""
    assert response.status_code == 200
    html = response.content.decode()
    found = []
    for lang, item in re.findall(r'<li class="search-result" lang="([^"]+)">(.*?)</li>', html, re.DOTALL):
        title = re.search(r'<h2 class="search-result__title">(.*?)</h2>', item, re.DOTALL).group(1)
        link = re.search(r'href="([^"]+)"', title)
        excerpt = re.search(r'<p class="search-result__excerpt">(.*?)</p>', item, re.DOTALL)
        found.append(
            {
                "title": text(title),
                "title_html": title,
                "url": link.group(1) if link else None,
                "meta": text(re.search(r'<p class="search-result__meta">(.*?)</p>', item, re.DOTALL).group(1)),
                "excerpt": excerpt.group(1) if excerpt else "",
                "lang": lang,
            }
        )
    return found


def titles(response):
    return [result["title"] for result in results(response)]


def status(response):
    return text(re.search(r'<p class="search-count" role="status">(.*?)</p>', response.content.decode(), re.S)[1])


def path_of(page):
    """A page's address as links on its own site write it."""
    return page.relative_url(page.get_site())


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def paragraph(html):
    return [("paragraph", RichText(html))]


def section(home, model, title, slug):
    """The area's live section page of this type under `home` (made on first use)."""
    return model.objects.child_of(home).live().first() or publish(home, model(title=title, slug=slug))


@pytest.fixture
def board(xhy):
    return section(page_of(xhy), NoticeIndexPage, "通知公告", "notices")


@pytest.fixture
def wanliu_board(wanliu):
    return section(page_of(wanliu), NoticeIndexPage, "通知公告", "notices")


@pytest.fixture
def add_notice(board):
    def add(title, body="", *, parent=None, summary="", attachments=(), **fields):
        notice = NoticePage(
            title=title,
            slug=f"search-notice-{NoticePage.objects.count()}",
            date=dt.date(2026, 3, 5),
            summary=summary,
            body=(paragraph(f"<p>{body}</p>") if body else [])
            + [("document", {"document": document, "title": document.title}) for document in attachments],
            **fields,
        )
        return publish(parent or board, notice)

    return add


@pytest.fixture
def services(xhy, wanliu):
    """Each area's services page, through which the shared guides are read."""
    for area in (xhy, wanliu):
        section(page_of(area), ServiceIndexPage, "办事指南", "services")
    return ServiceIndexPage.objects.child_of(page_of(xhy)).live().get()


@pytest.fixture
def library(services):
    root = Page.get_first_root_node()
    return publish(root, ServiceLibraryPage(title="搜索测试办事指南", slug="search-test-guides"))


@pytest.fixture
def add_guide(library):
    def add(title, summary, *, slug=None, **fields):
        guide = ServiceGuidePage(
            title=title,
            slug=slug or f"search-guide-{ServiceGuidePage.objects.count()}",
            theme=fields.pop("theme", "elderly"),
            summary=summary,
            eligibility=fields.pop("eligibility", "<p>本市户籍居民。</p>"),
            **fields,
        )
        return publish(library, guide)

    return add


def search(client, query, host="localhost", prefix="", **params):
    return client.get(f"{prefix}/search/", {"q": query, **params}, HTTP_HOST=host)


def test_qipao_finds_an_activity_by_its_title_and_a_notice_by_a_word_in_its_body(
    client, add_notice, make_activity, tuesday
):
    activity = make_activity(
        "社区旗袍班",
        "test-community-qipao",
        summary="穿上传统服装练身姿、学台步。",
        schedules=[weekly(1, first=tuesday, starts="14:00", ends="16:00", skip_holidays=False)],
        changes=[{"date": tuesday, "action": "cancel", "note": "老师生病"}],
    )
    notice = add_notice("活动室本周使用安排", "周四下午合唱队先用活动室，居民旗袍队改到三点以后排练，请互相体谅。")
    add_notice("阅览室开放时间调整", "阅览室周一闭馆整理图书。")

    response = search(client, "旗袍")
    found = {result["title"]: result for result in results(response)}
    order = list(found)

    assert "社区旗袍班" in found and "活动室本周使用安排" in found
    assert "阅览室开放时间调整" not in found
    # A match in the title ranks above one in the body only.
    assert order.index("社区旗袍班") < order.index("活动室本周使用安排")

    qipao = found["社区旗袍班"]
    assert qipao["url"] == path_of(activity)
    assert qipao["title_html"].count("<mark>旗袍</mark>") == 1
    assert says(qipao["meta"], "活动", "Activity")
    # The next session that takes place: the first one is cancelled.
    with translation.override("zh-hans"):
        start = timezone.make_aware(dt.datetime.combine(tuesday + dt.timedelta(days=7), dt.time(14)))
        assert show_when(start, start + dt.timedelta(hours=2)) in qipao["meta"]

    board_notice = found["活动室本周使用安排"]
    assert board_notice["url"] == path_of(notice)
    assert says(board_notice["meta"], "通知", "Notice") and "2026" in board_notice["meta"]
    assert "居民<mark>旗袍</mark>队改到三点以后排练" in board_notice["excerpt"]

    html = response.content.decode()
    assert re.search(r"<title>[^<]*旗袍[^<]*</title>", html)
    assert '<html lang="zh-Hans"' in html
    assert re.search(r"\d+", status(response)) and "旗袍" in status(response)
    # What was typed stays in the box.
    assert 'name="q" value="旗袍"' in html


def test_an_abbreviation_finds_the_guide_that_only_uses_the_full_term(client, services, add_guide):
    add_guide(
        "护理服务申请",
        "失能老人可以申请长期护理保险，由护理机构上门或在机构内提供照护。",
        slug="test-care-insurance",
    )

    found = {result["title"]: result for result in results(search(client, "长护险"))}

    assert "护理服务申请" in found
    result = found["护理服务申请"]
    assert "<mark>长期护理保险</mark>" in result["excerpt"]
    # Guides are read through this area's services page.
    assert result["url"] == f"{path_of(services)}test-care-insurance/"
    assert says(result["meta"], "办事指南", "Service guide") and says(result["meta"], "养老", "Elderly care")


def test_pension_finds_the_word_in_the_middle_of_a_guide_and_a_notice(client, add_guide, add_notice):
    add_guide("退休人员社会化管理", "办理退休手续后，养老金按月发放到社保卡，搬家后请到居委会登记新的住址。")
    add_notice("三月份便民服务", "三月起，本居民区代办养老金资格认证，请带身份证到接待台。")
    add_notice("垃圾分类提醒", "湿垃圾请破袋投放。")

    found = {result["title"]: result for result in results(search(client, "养老金"))}

    assert {"退休人员社会化管理", "三月份便民服务"} <= set(found)
    assert "垃圾分类提醒" not in found
    assert "代办<mark>养老金</mark>资格认证" in found["三月份便民服务"]["excerpt"]
    assert "<mark>养老金</mark>按月发放" in found["退休人员社会化管理"]["excerpt"]

    # A question with words no page has still finds the pages with the others.
    question = search(client, "养老金怎么领")
    assert {"退休人员社会化管理", "三月份便民服务"} <= set(titles(question))
    assert says(status(question), "部分", "some of them")


def test_a_query_mixing_chinese_with_latin_letters_and_digits_matches_both(client, add_notice):
    add_notice("阅览室开通无线网络", "阅览室已开通免费WiFi，账号和密码贴在门口。5号楼电梯3月10日维修。")

    found = {result["title"]: result for result in results(search(client, "阅览室wifi"))}

    excerpt = found["阅览室开通无线网络"]["excerpt"]
    assert "<mark>阅览室</mark>" in excerpt and "<mark>WiFi</mark>" in excerpt
    # Pages need all the words: other pages about the reading room are left out.
    assert list(found) == ["阅览室开通无线网络"]
    assert "阅览室开通无线网络" in titles(search(client, "5号楼电梯"))


def test_only_the_current_areas_pages_are_found(client, add_notice, wanliu_board):
    add_notice("徐汇苑葫芦丝兴趣班", "每周三晚上在多功能室上课。")
    add_notice("宛六葫芦丝兴趣班", "每周五晚上在阅览室上课。", parent=wanliu_board)

    assert titles(search(client, "葫芦丝")) == ["徐汇苑葫芦丝兴趣班"]
    assert titles(search(client, "葫芦丝", host=WANLIU)) == ["宛六葫芦丝兴趣班"]


def test_unpublished_expired_and_restricted_pages_are_not_found(client, board, add_notice):
    add_notice("口琴队招新", "欢迎喜欢口琴的居民加入。")
    draft = NoticePage(title="口琴比赛草稿", slug="draft-harmonica", live=False, body=paragraph("<p>口琴比赛。</p>"))
    board.add_child(instance=draft)
    draft.save_revision()
    expired = add_notice("口琴讲座", "上周的口琴讲座。")
    # Past its expiry, though the scheduled unpublish has not run yet.
    NoticePage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - dt.timedelta(hours=1))
    private = publish(board.get_parent(), ContentPage(title="口琴队内部名单", slug="harmonica-team"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert titles(search(client, "口琴")) == ["口琴队招新"]


def test_english_readers_find_english_pages_and_untranslated_guides(
    client, xhy, board, add_notice, add_guide, en_locale
):
    add_notice("Pension card changes", "Bring your ID card to reception to collect the new pension card.")
    board_en = board.copy_for_translation(en_locale, copy_parents=True, alias=False)
    board_en.save_revision().publish()
    add_notice(
        "New pension card", "Pensioners collect the new card at reception.", parent=board_en, summary="For pensioners."
    )
    add_guide("养老金领取", "pension 养老金按月发放。")

    response = search(client, "pension", prefix="/en")
    found = {result["title"]: result for result in results(response)}

    assert '<html lang="en"' in response.content.decode()
    assert found["New pension card"]["url"].startswith("/en/")
    assert found["New pension card"]["lang"] == "en"
    assert "Notice" in found["New pension card"]["meta"]
    # A guide nobody has translated yet is found in Chinese, marked as Chinese.
    assert found["养老金领取"]["lang"] == "zh-Hans"
    # The Chinese notice board is not searched in English.
    assert "Pension card changes" not in found
    assert "New pension card" not in titles(search(client, "pension"))


def test_an_area_without_english_pages_sends_english_searches_to_chinese(client, db):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="无英文居民区", slug="zh-only"))
    Site.objects.create(hostname="zhonly.localhost", root_page=home)

    response = client.get("/en/search/", {"q": "旗袍"}, HTTP_HOST="zhonly.localhost")

    assert response.status_code == 302
    assert response["Location"] == "/search/?q=%E6%97%97%E8%A2%8D"


def test_nothing_found_keeps_the_query_and_suggests_popular_services_and_reception(client, xhy, services, add_guide):
    AreaSettings.objects.filter(site=xhy.site).update(
        office_phone="021-64000001", reception_hours="周一至周六 8:30–17:00"
    )
    add_guide("敬老卡申领", "年满65周岁的本市户籍老人可以申领敬老卡。", popular=True, slug="test-senior-card")
    add_guide("就业登记", "失业人员登记。", theme="employment", slug="test-job-registration")

    response = search(client, "火星探测器")
    html = response.content.decode()

    assert results(response) == []
    assert says(status(response), "没有找到", "Nothing found") and "火星探测器" in status(response)
    assert 'name="q" value="火星探测器"' in html
    help_text = re.search(r'<section class="search-help".*?</section>', html, re.DOTALL).group(0)
    assert f'<a href="{path_of(services)}test-senior-card/">敬老卡申领</a>' in help_text
    assert "就业登记" not in help_text
    assert '<a class="tel" href="tel:02164000001">021-64000001</a>' in help_text
    assert "周一至周六 8:30–17:00" in help_text


def test_an_empty_query_shows_only_the_form(client, xhy):
    response = client.get("/search/")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'type="search"' in html and 'name="q" value=""' in html
    assert 'role="status"' not in html and "search-help" not in html
    assert client.get("/search/", {"q": "   "}).content.decode().count('role="status"') == 0


def test_every_page_has_a_search_form_in_the_header_in_its_language(client, xhy, en_locale):
    page_of(xhy).copy_for_translation(en_locale).save_revision().publish()  # the English home page, /en/

    chinese = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    form = r'<form class="[^"]*search-box--header" role="search" action="{}" method="get">'
    assert re.search(form.format("/search/"), chinese)
    assert re.search(form.format("/en/search/"), english)
    assert '<label class="search-box__label" for="site-search">' in chinese
    assert 'type="search" id="site-search" name="q"' in chinese


@pytest.fixture
def many(board, add_notice, add_guide, make_activity):
    """33 pages with 空竹 in them: notices (each also with 汇演), content pages, activities and
    guides; and one notice with 篆刻. The notices have a form to download in their bodies."""
    home = board.get_parent()
    form = [Document.objects.create(title="报名表", file=ContentFile(b"form", name="form.txt"))]
    for number in range(12):
        add_notice(f"空竹汇演通知{number}", "小区广场有抖空竹表演。", attachments=form)
    for number in range(8):
        publish(home, ContentPage(title=f"空竹介绍{number}", slug=f"diabolo-{number}", intro="抖空竹是传统游戏。"))
    for number in range(8):
        make_activity(f"空竹队{number}", f"test-diabolo-{number}", summary="一起抖空竹。")
    for number in range(5):
        add_guide(f"空竹场地申请{number}", "在广场抖空竹请先登记。")
    add_notice("篆刻展览", "社区篆刻作品展。", attachments=form)
    return 33


def test_results_come_ten_to_a_page_with_the_query_kept_in_the_page_links(client, many):
    first = search(client, "空竹")
    assert len(results(first)) == 10
    assert re.search(r"(?<!\d)33(?!\d)", status(first))
    html = first.content.decode()
    assert f'href="?{urlencode({"q": "空竹", "page": 2})}" rel="next"'.replace("&", "&amp;") in html

    seen = []
    for number in range(1, 5):
        seen += titles(search(client, "空竹", page=number))
    assert len(seen) == len(set(seen)) == many
    assert {"空竹汇演通知0", "空竹介绍0", "空竹队0", "空竹场地申请0"} <= set(seen)
    last = search(client, "空竹", page=4).content.decode()
    assert f'href="?{urlencode({"q": "空竹", "page": 3})}" rel="prev"'.replace("&", "&amp;") in last
    assert 'rel="next"' not in last
    # A page number past the end or not a number shows a page of results, not an error.
    assert len(results(search(client, "空竹", page=99))) == 3
    assert len(results(search(client, "空竹", page="x"))) == 10


def test_a_page_of_results_takes_a_fixed_number_of_queries(client, many, django_assert_max_num_queries):
    search(client, "空竹")  # the site's root paths and the services page are cached once
    with django_assert_max_num_queries(BUDGET) as ten:
        assert len(results(search(client, "汇演"))) == 10
    with django_assert_max_num_queries(BUDGET) as one:
        assert len(results(search(client, "篆刻"))) == 1
    assert len(ten) == len(one)
    # Ten results of all four types: one more query per type, and one for the next sessions.
    with django_assert_max_num_queries(BUDGET + 4):
        found = results(search(client, "空竹"))
    assert len(found) == 10


def test_the_query_and_page_text_are_escaped(client, add_notice):
    add_notice("<b>剪纸</b>培训", "学<i>剪纸</i>", summary='<img src=x onerror="alert(1)"> 剪纸班报名')

    response = search(client, '<script>alert("x")</script>剪纸')
    html = response.content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>" not in html
    (result,) = [r for r in results(response) if "剪纸" in r["title"]]
    assert result["title_html"].endswith("&lt;b&gt;<mark>剪纸</mark>&lt;/b&gt;培训</a>")
    assert result["excerpt"].startswith("&lt;img src=") and "&gt; <mark>剪纸</mark>班报名" in result["excerpt"]


def test_control_characters_in_the_query_are_dropped(client, add_notice):
    add_notice("评弹欣赏会", "社区评弹欣赏会。")

    assert client.get("/search/", {"q": "\x01"}).status_code == 200
    response = search(client, "评\x01弹")
    assert response.status_code == 200 and "评弹欣赏会" in [r["title"] for r in results(response)]


def test_a_very_long_query_is_cut_not_refused(client, add_notice):
    add_notice("评弹欣赏会", "社区评弹欣赏会。")
    query = "评弹" + "听" * 150

    response = search(client, query)
    html = response.content.decode()

    assert response.status_code == 200
    assert f'name="q" value="{query[:100]}"' in html
    assert says(html, "前100个字", "first 100 characters") and "评弹欣赏会" in titles(response)
