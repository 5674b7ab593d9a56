"""Chinese full-text search through Wagtail's database backend (portal/search, docs/architecture.md, Chinese search).

Runs on SQLite by default and on PostgreSQL with DATABASE_URL set; both use the real index.
"""

import io

import jieba
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from home.models import ContentPage
from portal.search import query_terms, text
from tests.conftest import page_of, run_project


@pytest.fixture
def section(xhy):
    """A page of 徐汇苑's tree holding this test's pages: searches look under it only, so the
    area's home page and this section itself stay out of the results."""
    home = page_of(xhy)
    page = home.add_child(instance=ContentPage(title="搜索测试", slug="search-test"))
    page.save_revision().publish()
    return page


@pytest.fixture
def add_page(section):
    def add(title, body="", *, live=True):
        page = ContentPage(
            title=title,
            slug=f"page-{ContentPage.objects.count()}",
            body=[("paragraph", RichText(f"<p>{body}</p>"))] if body else [],
            live=live,
        )
        section.add_child(instance=page)
        if live:
            page.save_revision().publish()
        return page

    return add


def search(section, query):
    """The titles of this test's live pages that a site search for `query` returns, best first."""
    return [page.title for page in ContentPage.objects.live().descendant_of(section).search(query)]


def test_a_word_inside_a_title_or_a_body_is_found(section, add_page):
    add_page("旗袍班排练时间")
    add_page("活动室开放安排", "每周四下午，社区旗袍班在这里排练。")
    add_page("阅览室开放时间", "报刊和图书可以借阅。")

    assert sorted(search(section, "旗袍")) == ["旗袍班排练时间", "活动室开放安排"]
    assert search(section, "排练") != []
    assert search(section, "借阅") == ["阅览室开放时间"]


def test_a_title_match_ranks_above_a_body_only_match(section, add_page):
    add_page("活动室开放安排", "旗袍班每周四排练，没有旗袍可以借穿队里的备用旗袍。")
    add_page("社区旗袍班招新")

    assert search(section, "旗袍") == ["社区旗袍班招新", "活动室开放安排"]
    in_titles = ContentPage.objects.live().descendant_of(section).search("旗袍", fields=["title"])
    assert [page.title for page in in_titles] == ["社区旗袍班招新"]


def test_an_abbreviation_finds_the_full_term_and_itself(section, add_page):
    add_page("长期护理保险申请指南", "年满60周岁、需要照护的老人可以申请。")
    add_page("居委会答复", "长护险评估结果一般在20个工作日内告知。")
    add_page("领取养老金的手续")

    assert sorted(search(section, "长护险")) == ["居委会答复", "长期护理保险申请指南"]
    assert sorted(search(section, "长期护理保险")) == ["居委会答复", "长期护理保险申请指南"]
    assert search(section, "长护险申请") == ["长期护理保险申请指南"]
    assert search(section, "低保") == []


def test_a_dictionary_word_matches_whole_and_inside_longer_words(section, add_page):
    add_page("领取养老金的手续")
    add_page("门诊大病登记", "带上医保卡和诊断证明。")

    assert search(section, "养老金") == ["领取养老金的手续"]
    assert search(section, "门诊大病") == ["门诊大病登记"]
    assert search(section, "医疗保险") == ["门诊大病登记"]


def test_mixed_chinese_english_and_digits(section, add_page):
    add_page("2026年养老金调整通知")
    add_page("领取养老金的手续")
    add_page("旗袍班 Qipao class")

    assert search(section, "2026 养老金") == ["2026年养老金调整通知"]
    assert sorted(search(section, "养老金")) == ["2026年养老金调整通知", "领取养老金的手续"]
    assert search(section, "qipao 旗袍") == ["旗袍班 Qipao class"]
    assert search(section, "Qipao旗袍") == ["旗袍班 Qipao class"]
    assert search(section, "2025 养老金") == []


def test_an_english_query_still_works(section, add_page):
    add_page("Reading room", "Newspapers and books for residents.")

    assert search(section, "reading") == ["Reading room"]
    assert search(section, "newspapers books") == ["Reading room"]


def test_a_query_of_punctuation_finds_nothing_and_does_not_fail(section, add_page):
    add_page("旗袍班排练时间")

    assert search(section, "？") == []
    # A NUL typed or pasted broke the database's query syntax (a 500 on the search page).
    assert search(section, "\x00") == []
    assert search(section, "旗袍\x00") == ["旗袍班排练时间"]


def test_staff_find_a_page_by_a_word_in_its_title_in_the_admin(admin_client, section, add_page):
    add_page("本周旗袍班排练时间")

    found = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "旗袍"})
    assert "本周旗袍班排练时间" in [page.title for page in found.context["pages"]]
    # Autocomplete: the last word may be the start of a word.
    found = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "旗袍班排"})
    assert "本周旗袍班排练时间" in [page.title for page in found.context["pages"]]

    chooser = admin_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "旗袍"})
    assert "本周旗袍班排练时间" in chooser.content.decode()


def test_other_indexed_models_are_segmented_too(db):
    Document.objects.create(title="旗袍班报名表", file=ContentFile(b"form", name="form.txt"))
    Document.objects.create(title="阅览室借阅规则", file=ContentFile(b"rules", name="rules.txt"))

    assert [doc.title for doc in Document.objects.search("报名")] == ["旗袍班报名表"]
    assert [doc.title for doc in Document.objects.all().autocomplete("旗")] == ["旗袍班报名表"]


def test_publishing_and_unpublishing_keep_the_index_current(section, add_page):
    draft = add_page("社区旗袍班招新", live=False)
    assert search(section, "旗袍") == []

    draft.save_revision().publish()
    assert search(section, "旗袍") == ["社区旗袍班招新"]

    page = add_page("社区活动通知")
    page.title = "社区长护险讲座通知"
    page.save_revision().publish()
    assert search(section, "长期护理保险") == ["社区长护险讲座通知"]

    draft.refresh_from_db()
    draft.unpublish()
    assert search(section, "旗袍") == []


def test_update_index_rebuilds_the_segmented_index(section, add_page):
    add_page("旗袍班排练时间")
    IndexEntry.objects.all().delete()
    assert search(section, "旗袍") == []

    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())

    assert search(section, "旗袍") == ["旗袍班排练时间"]


def test_query_terms_gives_the_words_to_highlight():
    assert query_terms("长护险 申请") == ["长期护理保险", "长护险", "申请"]
    assert query_terms("2026年养老金") == ["2026", "养老金", "年"]
    assert query_terms("？") == []


def test_the_dictionary_loads_once_per_process(section, add_page):
    add_page("旗袍班排练时间")
    for query in ["旗袍", "长护险", "养老金"]:
        search(section, query)
    list(get_search_backend().autocomplete("旗袍", ContentPage))

    assert jieba.dt.initialized
    assert text._load_dictionary.cache_info().misses == 1


def test_the_dictionary_loads_on_first_use_and_once_across_threads():
    code = (
        "import threading, django; django.setup(); import jieba; "
        "from wagtail.search.backends import get_search_backend; from portal.search import text; "
        "get_search_backend(); loaded_at_start = jieba.dt.initialized; "
        "threads = [threading.Thread(target=text.query_terms, args=('长护险',)) for _ in range(8)]; "
        "[thread.start() for thread in threads]; [thread.join() for thread in threads]; "
        "print(loaded_at_start, text._load_dictionary.cache_info().misses, jieba.dt.initialized)"
    )
    result = run_project("-c", code)
    assert result.stdout.split() == ["False", "1", "True"], result.stderr
