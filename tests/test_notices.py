"""The notice board (home/notices.py): where notices can be created, pinned first then newest,
the category filter and pages, the RSS feed, a notice with its downloads, tables and checklists,
the printed sheet, the home page's latest notices, banner and services, each area's own
notices, and the English board."""

import datetime as dt
import email.utils
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from home.models import ContentPage, HomePage, NoticeIndexPage, NoticePage
from portal.models import AreaSettings
from services.models import ServiceGuidePage, ServiceIndexPage, ServiceLibraryPage
from tests.helpers import main_text, path_of, text


def notice_board(home):
    """A live notice board 通知公告 at notices/ under the home page, with no notices yet (tests add their own)."""
    board = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices", intro="居委会的通知。"))
    board.save_revision().publish()
    return NoticeIndexPage.objects.get(pk=board.pk)


def add_notice(board, title, slug, *, publish=True, **fields):
    """A notice on a board, published unless publish=False (then a draft, or scheduled by the caller)."""
    notice = board.add_child(instance=NoticePage(title=title, slug=slug, live=publish, **fields))
    if publish:
        notice.save_revision().publish()
    return NoticePage.objects.get(pk=notice.pk)


@pytest.fixture
def board(xhy):
    return notice_board(xhy.site.root_page)


@pytest.fixture
def make_notice(board):
    def make(title, slug, **fields):
        return add_notice(board, title, slug, **fields)

    return make


@pytest.fixture
def today():
    return timezone.localdate()


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def notice_titles(response):
    """The titles on the board, in the order shown."""
    return re.findall(r'<h2 class="notice-item__title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


def section(response, section_id):
    found = re.search(rf'<section class="card" id="{section_id}".*?</section>', response.content.decode(), re.DOTALL)
    return found.group(0) if found else ""


def banner(response):
    found = re.search(r'<section class="wrap banners".*?</section>', response.content.decode(), re.DOTALL)
    return text(found.group(0)) if found else ""


class PageTypeRules(WagtailPageTestCase):
    def test_notices_go_on_a_notice_board_under_a_home_page(self):
        self.assertCanCreateAt(HomePage, NoticeIndexPage)
        self.assertCanCreateAt(NoticeIndexPage, NoticePage)
        self.assertCanNotCreateAt(HomePage, NoticePage)
        self.assertCanNotCreateAt(ContentPage, NoticePage)
        self.assertCanNotCreateAt(ContentPage, NoticeIndexPage)
        self.assertAllowedParentPageTypes(NoticePage, {NoticeIndexPage})
        self.assertAllowedParentPageTypes(NoticeIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NoticeIndexPage, {NoticePage})
        self.assertAllowedSubpageTypes(NoticePage, set())

    def test_one_notice_board_per_home_page(self):
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="测试居民区", slug="test-area"))
        other = root.add_child(instance=HomePage(title="另一个居民区", slug="other-area"))
        assert NoticeIndexPage.can_create_at(home)
        home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
        assert not NoticeIndexPage.can_create_at(home)
        assert NoticeIndexPage.can_create_at(other)

    def test_the_board_its_feed_a_notice_and_its_sheet_render(self):
        home = Page.get_first_root_node().add_child(instance=HomePage(title="测试居民区", slug="test-area"))
        Site.objects.update(root_page=home)
        Site.clear_site_root_paths_cache()  # .update() sends no signal, and earlier tests filled the cache
        board = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
        notice = add_notice(board, "停水通知", "water", summary="周五停水。", body=json.dumps(every_block()))
        self.assertPageIsRenderable(board)
        self.assertPageIsRenderable(board, route_path="feed/")
        self.assertPageIsRenderable(notice)
        self.assertPageIsRenderable(notice, route_path="print/")


def application_form():
    document = get_document_model()(title="停水期间用水登记表")
    document.file = ContentFile(b"%PDF-1.4\n" + b"0" * 2048, name="water-form.pdf")
    document.file_size = 2057
    document.save()
    return document


def every_block(document=None):
    """A notice body with each kind of block a notice adds to an ordinary page."""
    blocks = [
        {"type": "paragraph", "value": "<p>因管道维修，本周五停水。</p>"},
        {
            "type": "table",
            "value": {
                "caption": "停水安排",
                "columns": [{"type": "text", "heading": "楼号"}, {"type": "text", "heading": "停水时间"}],
                "rows": [{"values": ["5号楼", "9:00–12:00"]}, {"values": ["6号楼", "13:00–16:00"]}],
            },
        },
        {
            "type": "checklist",
            "value": {
                "title": "停水前请准备",
                "items": [{"item": "储存饮用水", "note": "每人约5升"}, {"item": "关好水龙头", "note": ""}],
            },
        },
    ]
    if document is not None:
        blocks.append({"type": "document", "value": {"document": document.pk, "title": ""}})
    return blocks


# The board: order, filter, pages


def test_pinned_notices_come_first_then_the_newest(client, board, make_notice, today):
    make_notice("三天前的通知", "three-days", date=days_ago(3))
    make_notice("置顶到今天的通知", "pinned-today", date=days_ago(10), pinned_until=today)
    make_notice("昨天的通知", "yesterday", date=days_ago(1))
    make_notice("置顶到昨天的通知", "pinned-yesterday", date=days_ago(5), pinned_until=days_ago(1))
    make_notice("置顶到下周的通知", "pinned-next-week", date=days_ago(20), pinned_until=today + dt.timedelta(days=7))

    response = client.get(path_of(board))
    assert response.status_code == 200
    assert notice_titles(response) == [
        "置顶到今天的通知",
        "置顶到下周的通知",
        "昨天的通知",
        "三天前的通知",
        "置顶到昨天的通知",  # no longer pinned: in its place by date
    ]
    html = response.content.decode()
    pinned = re.findall(r'<li class="notice-item notice-item--pinned">.*?</li>', html, re.DOTALL)
    assert len(pinned) == 2 and all('class="badge"' in item for item in pinned)
    assert html.count('class="badge"') == 2


def test_the_board_shows_date_category_and_summary(client, board, make_notice):
    make_notice("电梯检修", "lift", date=dt.date(2026, 3, 5), category="safety", summary="3号楼电梯周三检修。")
    page_text = main_text(client.get(path_of(board)))
    assert "电梯检修" in page_text and "3号楼电梯周三检修。" in page_text
    assert "2026年3月5日" in page_text
    assert "安全" in page_text or "Safety" in page_text


def test_the_category_filter_is_a_row_of_links(client, board, make_notice):
    make_notice("消防演练", "fire-drill", category="safety")
    make_notice("旗袍班汇报演出", "qipao-show", category="activity")
    url = path_of(board)

    response = client.get(url, {"category": "safety"})
    assert notice_titles(response) == ["消防演练"]
    html = response.content.decode()
    assert f'href="{url}?category=safety" aria-current="page"' in html
    assert f'href="{url}?category=activity"' in html
    assert re.search(rf'<a class="button button--quiet" href="{url}">', html)  # back to every notice

    assert notice_titles(client.get(url, {"category": "activity"})) == ["旗袍班汇报演出"]
    # An unknown category (an old or mistyped link) shows the whole board.
    response = client.get(url, {"category": "nonsense"})
    assert response.status_code == 200
    assert set(notice_titles(response)) == {"消防演练", "旗袍班汇报演出"}


def test_twelve_notices_to_a_page(client, board, make_notice):
    for n in range(14):
        make_notice(f"测试通知{n:02d}", f"notice-{n}", date=days_ago(n), category="convenience")
    make_notice("安全通知", "safety", date=days_ago(30), category="safety")
    url = path_of(board)

    first = client.get(url, {"category": "convenience"})
    assert notice_titles(first) == [f"测试通知{n:02d}" for n in range(12)]
    html = first.content.decode()
    assert f'href="{url}?category=convenience&amp;page=2" rel="next"' in html
    assert 'rel="prev"' not in html

    second = client.get(url, {"category": "convenience", "page": 2})
    assert notice_titles(second) == ["测试通知12", "测试通知13"]
    assert f'href="{url}?category=convenience&amp;page=1" rel="prev"' in second.content.decode()
    assert 'rel="next"' not in second.content.decode()

    # Past the end or not a number: the last or the first page, never an error.
    assert notice_titles(client.get(url, {"category": "convenience", "page": 99})) == ["测试通知12", "测试通知13"]
    assert notice_titles(client.get(url, {"page": "x"}))[0] == "测试通知00"


def test_the_board_keeps_a_fixed_number_of_queries(client, board, make_notice, django_assert_max_num_queries):
    for n in range(40):
        make_notice(
            f"测试通知{n}", f"notice-{n}", date=days_ago(n % 7), pinned_until=days_ago(-1) if n % 9 == 0 else None
        )
    url = path_of(board)
    client.get(url)  # caches the sites' root paths, as on a running site
    with django_assert_max_num_queries(17) as crowded:
        response = client.get(url)
    assert len(notice_titles(response)) == 12
    with django_assert_max_num_queries(17) as empty:
        response = client.get(url, {"category": "safety"})
    assert notice_titles(response) == []
    # The same queries with forty notices as with none (an empty page skips reading its notices).
    assert len(crowded) == len(empty) + 1


def test_drafts_expired_and_scheduled_notices_are_not_on_the_board(client, board, make_notice):
    now = timezone.now()
    make_notice("正在有效的通知", "current", expire_at=now + dt.timedelta(days=1))
    make_notice("草稿通知", "draft", publish=False)
    make_notice("已过期的通知", "expired", expire_at=now - dt.timedelta(minutes=1))
    assert notice_titles(client.get(path_of(board))) == ["正在有效的通知"]


# The feed


def feed_items(response):
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def test_the_feed_has_the_newest_twenty_current_notices(client, board, make_notice):
    for n in range(22):
        make_notice(f"测试通知{n:02d}", f"notice-{n}", date=days_ago(n + 1), summary=f"第{n}条通知的摘要。")
    make_notice("置顶的旧通知", "old-pinned", date=days_ago(60), pinned_until=timezone.localdate())
    make_notice("已过期的通知", "expired", expire_at=timezone.now() - dt.timedelta(minutes=1))
    make_notice("草稿通知", "draft", publish=False)

    response = client.get(f"{path_of(board)}feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel, items = feed_items(response)
    assert channel.findtext("link") == f"http://testserver{path_of(board)}"
    assert "通知公告" in channel.findtext("title") and "徐汇苑居民区" in channel.findtext("title")
    titles = [item.findtext("title") for item in items]
    assert titles == [f"测试通知{n:02d}" for n in range(20)]
    first = items[0]
    assert first.findtext("link") == f"http://testserver{path_of(board)}notice-0/"
    assert first.findtext("guid") == first.findtext("link")
    assert first.findtext("description") == "第0条通知的摘要。"
    published = email.utils.parsedate_to_datetime(first.findtext("pubDate"))
    assert published.utcoffset() == dt.timedelta(hours=8)
    assert published.date() == days_ago(1)


def test_the_feed_dates_a_notice_published_on_its_day_at_that_time(client, board, make_notice):
    notice = make_notice("今天的通知", "today")
    _channel, items = feed_items(client.get(f"{path_of(board)}feed/"))
    published = email.utils.parsedate_to_datetime(items[0].findtext("pubDate"))
    assert published == notice.first_published_at.replace(microsecond=0)
    assert published.utcoffset() == dt.timedelta(hours=8)


def test_the_board_points_feed_readers_to_its_feed(client, board):
    html = client.get(path_of(board)).content.decode()
    assert f'<link rel="alternate" type="application/rss+xml" title="通知公告" href="{path_of(board)}feed/">' in html


# A notice


def test_a_notice_shows_its_blocks_downloads_and_the_ways_on(client, board, make_notice):
    document = application_form()
    notice = make_notice(
        "停水通知", "water", date=dt.date(2026, 3, 5), summary="周五停水。", body=json.dumps(every_block(document))
    )
    response = client.get(path_of(notice))
    assert response.status_code == 200
    html = response.content.decode()
    article = re.search(r"<article data-read-aloud>.*?</article>", html, re.DOTALL).group(0)
    assert "<h1>停水通知</h1>" in article and "2026年3月5日" in text(article)
    assert "因管道维修，本周五停水。" in article
    # A table with column headings, a checklist to tick, a download named with its type and size.
    assert '<th scope="col">楼号</th>' in article and "<caption>停水安排</caption>" in article
    assert "<td>5号楼</td>" in article.replace("\n", "").replace(" ", "")
    assert re.search(r'<input type="checkbox"> <span>储存饮用水<span class="checklist__note">每人约5升</span>', article)
    link = re.search(r'<a class="document__link" href="([^"]+)">(.*?)</a>', article, re.DOTALL)
    assert link.group(1) == document.url
    assert text(link.group(2)) == "停水期间用水登记表 (PDF, 2.0 KB)"
    # The read-aloud controls sit just above the article.
    assert html.index("data-read-aloud-controls") < html.index("<article data-read-aloud>")
    assert f'href="{path_of(notice)}print/"' in html
    assert f'href="{path_of(board)}"' in html


def test_a_document_block_uses_its_own_link_text(client, board, make_notice):
    document = application_form()
    body = [{"type": "document", "value": {"document": document.pk, "title": "下载登记表"}}]
    notice = make_notice("登记表", "form", body=json.dumps(body))
    link = re.search(
        r'<a class="document__link"[^>]*>(.*?)</a>', client.get(path_of(notice)).content.decode(), re.DOTALL
    )
    assert text(link.group(1)) == "下载登记表 (PDF, 2.0 KB)"


def test_the_printed_sheet_has_the_notice_and_the_committees_contact(client, xhy, board, make_notice):
    AreaSettings.objects.filter(site=xhy.site).update(address="徐汇苑5号楼一层", office_phone="021-64000001")
    notice = make_notice("停水通知", "water", date=dt.date(2026, 3, 5), body=json.dumps(every_block()))
    contact = AreaSettings.for_site(xhy.site)
    assert (contact.address, contact.office_phone) == ("徐汇苑5号楼一层", "021-64000001")
    response = client.get(f"{path_of(notice)}print/")
    assert response.status_code == 200
    html = response.content.decode()
    sheet = text(re.search(r'<main class="sheet">.*?</main>', html, re.DOTALL).group(0))
    assert sheet.startswith("徐汇苑居民区 停水通知 2026年3月5日")
    assert "因管道维修，本周五停水。" in sheet and "停水安排" in sheet and "储存饮用水" in sheet
    assert contact.address in sheet and contact.office_phone in sheet
    # A sheet for the board: none of the site's header, menu or footer.
    assert "site-header" not in html and "site-nav" not in html and "site-footer" not in html
    assert '<html lang="zh-Hans">' in html
    # The print button needs JavaScript, so it shows only once a script has revealed it.
    assert re.search(r"<button type=\"button\" data-print hidden>", html)
    assert f'href="{path_of(notice)}"' in html


def test_the_english_sheet_gives_the_english_address(client, xhy, board, english_board, en_locale):
    AreaSettings.objects.filter(site=xhy.site).update(address_en="Ground floor, Building 5, Xuhuiyuan")
    notice = add_notice(board, "停水通知", "water")
    notice_en = notice.copy_for_translation(en_locale)
    notice_en.title = "Water off on Friday"
    notice_en.save_revision().publish()
    html = client.get(f"{path_of(english_board)}water/print/").content.decode()
    assert "Water off on Friday" in html and "Ground floor, Building 5, Xuhuiyuan" in html
    assert '<html lang="en">' in html


# The home page


def test_the_home_page_shows_the_latest_three_and_a_link_to_the_board(client, board, make_notice, today):
    make_notice("置顶的旧通知", "old-pinned", date=days_ago(30), pinned_until=today)
    for n in range(4):
        make_notice(f"第{n}天前的通知", f"day-{n}", date=days_ago(n))
    make_notice("已过期的新通知", "expired", date=today, expire_at=timezone.now() - dt.timedelta(minutes=1))

    block = section(client.get("/"), "notices")
    titles = re.findall(r'<h3 class="notice-item__title"><a href="([^"]+)">([^<]+)</a>', block)
    assert [title for _url, title in titles] == ["第0天前的通知", "第1天前的通知", "第2天前的通知"]
    assert titles[0][0] == f"{path_of(board)}day-0/"
    assert f'<a class="button" href="{path_of(board)}">' in block


def test_important_current_notices_are_in_the_banner(client, board, make_notice):
    now = timezone.now()
    make_notice(
        "台风预警", "typhoon", important=True, summary="请收好阳台上的物品。", expire_at=now + dt.timedelta(days=1)
    )
    make_notice("普通通知", "ordinary")
    make_notice("已过期的重要通知", "expired", important=True, expire_at=now - dt.timedelta(minutes=1))
    make_notice("重要通知草稿", "draft", important=True, publish=False)

    response = client.get("/")
    shown = banner(response)
    assert "台风预警" in shown and "请收好阳台上的物品。" in shown
    assert "普通通知" not in shown and "已过期的重要通知" not in shown and "重要通知草稿" not in shown
    html = response.content.decode()
    # At the top of the page, above the area's name.
    assert html.index('class="wrap banners"') < html.index("<h1>")


def test_no_banner_without_an_important_notice(client, board, make_notice):
    make_notice("普通通知", "ordinary")
    response = client.get("/")
    assert 'class="wrap banners"' not in response.content.decode()
    assert "普通通知" in section(response, "notices")


@pytest.fixture
def guides(xhy):
    """Two popular guides and one other in a library of guides outside every site."""
    library = Page.get_first_root_node().add_child(
        instance=ServiceLibraryPage(title="办事指南库", slug="guide-library")
    )
    made = {}
    for slug, title, popular in (
        ("test-ltc", "测试长期护理保险", True),
        ("test-pension", "测试养老金领取", True),
        ("test-certificate", "测试证明开具", False),
    ):
        guide = library.add_child(
            instance=ServiceGuidePage(
                title=title, slug=slug, theme="elderly", summary="摘要", eligibility="<p>本市户籍</p>", popular=popular
            )
        )
        guide.save_revision().publish()
        made[slug] = guide
    return made


def services_page(home):
    """The area's services page 办事指南 at services/, through which its site shows the guides."""
    page = home.add_child(instance=ServiceIndexPage(title="办事指南", slug="services"))
    page.save_revision().publish()
    return page


def test_the_home_page_lists_popular_guides_under_the_services_page(client, xhy, guides):
    services = services_page(xhy.site.root_page)
    block = section(client.get("/"), "services")
    url = path_of(services)
    assert f'<a href="{url}test-ltc/">测试长期护理保险</a>' in block
    assert f'<a href="{url}test-pension/">测试养老金领取</a>' in block
    assert "测试证明开具" not in block
    assert f'<a class="button" href="{url}">' in block


def test_the_services_section_stays_without_a_services_page(client, xhy, guides):
    services_page(xhy.site.root_page).unpublish()
    block = section(client.get("/"), "services")
    assert "15" in text(block)
    assert "测试长期护理保险" not in block and 'class="button"' not in block


def test_the_home_page_keeps_a_fixed_number_of_queries(
    client, xhy, board, make_notice, guides, django_assert_max_num_queries
):
    services_page(xhy.site.root_page)
    for n in range(40):
        make_notice(f"测试通知{n}", f"notice-{n}", important=n % 4 == 0)
    client.get("/")
    # The budget includes the other blocks of the home page (who is on duty, coming up, ...).
    with django_assert_max_num_queries(34) as crowded:
        response = client.get("/")
    assert banner(response).count("测试通知") == 10
    assert len(re.findall(r'class="notice-item__title"', section(response, "notices"))) == 3
    for notice in NoticePage.objects.child_of(board):
        notice.delete()
    ServiceGuidePage.objects.filter(slug__startswith="test-").update(popular=False)
    with django_assert_max_num_queries(34) as empty:
        response = client.get("/")
    assert not banner(response)
    assert len(crowded) == len(empty)


# Areas and languages


@pytest.fixture
def wanliu_notice(wanliu):
    board = notice_board(wanliu.site.root_page)
    return add_notice(board, "宛六停水通知", "water", important=True)


def test_an_area_sees_only_its_own_notices(client, board, make_notice, wanliu_notice):
    make_notice("徐汇苑电梯检修", "lift", important=True)
    wanliu_board = wanliu_notice.get_parent()
    for host, own, other in (
        ("localhost", "徐汇苑电梯检修", "宛六停水通知"),
        ("wanliu.localhost", "宛六停水通知", "徐汇苑电梯检修"),
    ):
        home = client.get("/", HTTP_HOST=host).content.decode()
        listing = client.get(path_of(board), HTTP_HOST=host).content.decode()
        feed = client.get(f"{path_of(board)}feed/", HTTP_HOST=host).content.decode()
        assert own in home and own in listing and own in feed, host
        assert other not in home and other not in listing and other not in feed, host
    assert path_of(wanliu_board) == path_of(board)  # the same address on each area's own host


@pytest.fixture
def english_board(board, en_locale):
    """The board's English translation "Notices" at /en/notices/ (with the English home page it
    needs), with no notices yet."""
    home_en = board.get_parent().specific.copy_for_translation(en_locale)
    home_en.save_revision().publish()
    board_en = board.copy_for_translation(en_locale)
    board_en.title = "Notices"
    board_en.save_revision().publish()
    return NoticeIndexPage.objects.get(pk=board_en.pk)


def translate(notice, locale, title, **fields):
    notice_en = notice.copy_for_translation(locale)
    notice_en.title = title
    for name, value in fields.items():
        setattr(notice_en, name, value)
    notice_en.save_revision().publish()
    return notice_en


def test_the_english_board_lists_english_notices(client, board, english_board, make_notice, en_locale):
    water = make_notice("停水通知", "water", important=True)
    make_notice("只有中文的通知", "chinese-only")
    gas = make_notice("燃气管道检修", "gas", important=True)
    # Made live without being published: no first publishing time to order it by.
    NoticePage.objects.filter(pk=gas.pk).update(first_published_at=None)
    translate(water, en_locale, "Water off on Friday", summary="No water on Friday morning.")

    response = client.get(path_of(english_board))
    assert response.status_code == 200 and path_of(english_board).startswith("/en/")
    assert notice_titles(response) == ["Water off on Friday"]
    assert '<html lang="en"' in response.content.decode()

    home = client.get("/en/")
    assert "Water off on Friday" in banner(home) and "停水通知" not in banner(home)
    # An important notice not translated yet is on the English banner too, in Chinese, after the newer one.
    assert banner(home).index("Water off on Friday") < banner(home).index("燃气管道检修")
    gas_title = '<p class="banner__title" lang="zh-Hans"><a href="/notices/gas/">燃气管道检修'
    assert gas_title in home.content.decode()
    assert "燃气管道检修" not in section(home, "notices")
    assert "Water off on Friday" in section(home, "notices") and "只有中文的通知" not in section(home, "notices")
    assert f'href="{path_of(english_board)}"' in section(home, "notices")

    _channel, items = feed_items(client.get(f"{path_of(english_board)}feed/"))
    assert [item.findtext("title") for item in items] == ["Water off on Friday"]
    assert items[0].findtext("link") == f"http://testserver{path_of(english_board)}water/"
