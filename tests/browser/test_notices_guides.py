"""Notices, service guides and search in a real browser (Chromium at 390×844, Chinese): a resident
types 长护险 into the header's search box, finds the long-term care insurance guide with the word
highlighted, sees what to bring and has the guide read aloud; search finds 旗袍 in the middle of a
title; the notice board, a notice, a guide and a results page pass axe (WCAG 2.1 AA) and the
elder-friendly size checks, also in large mode.

Headless Chromium has no voices, so the read-aloud tests give the page a stand-in speechSynthesis
that reports the voices a test chooses and records what it is asked to say."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.utils import translation
from playwright.sync_api import expect

from home.models import NoticePage
from portal.models import AreaSettings
from services.models import ServiceGuidePage
from tests.browser.checks import check_accessibility, check_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICES = "/notices/"
NOTICE = "/notices/waste-sorting-times/"  # with a table in its body
GUIDE = "/services/long-term-care-insurance/"
SEARCH = "/search/?" + urlencode({"q": "长护险"})

MANDARIN = {"name": "Tingting", "lang": "zh-CN"}
ENGLISH = {"name": "Samantha", "lang": "en-US"}

# Voices arrive a moment after the page loads, as in Chrome; speak() only records, and
# window.speech.finish() ends the utterance being spoken, as an engine does when it is done.
FAKE_SPEECH = """
(() => {
  const record = { calls: [], spoken: [] };
  let voices = [];
  let current = null;
  class Utterance extends EventTarget {
    constructor(text) { super(); this.text = text; this.lang = ''; this.voice = null; }
  }
  const synth = new EventTarget();
  Object.assign(synth, {
    paused: false,
    getVoices: () => voices,
    speak(utterance) {
      record.calls.push('speak');
      const voice = utterance.voice && utterance.voice.name;
      record.spoken.push({ text: utterance.text, lang: utterance.lang, voice });
      current = utterance;
    },
    pause() { record.calls.push('pause'); this.paused = true; },
    resume() { record.calls.push('resume'); this.paused = false; },
    cancel() {
      record.calls.push('cancel');
      const stopped = current;
      current = null;
      if (stopped) stopped.dispatchEvent(new Event('error'));
    },
  });
  record.finish = () => {
    const done = current;
    current = null;
    if (done) done.dispatchEvent(new Event('end'));
    return Boolean(done);
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
  window.speech = record;
  setTimeout(() => {
    voices = VOICES;
    synth.dispatchEvent(new Event('voiceschanged'));
  }, 200);
})();
"""
NO_SPEECH = "delete window.speechSynthesis; delete Window.prototype.speechSynthesis;"


def fake_speech(*voices):
    # The default voice first: the page must pick the one in its language, not the default.
    listed = [dict(voice, default=index == 0, localService=True) for index, voice in enumerate(voices)]
    return FAKE_SPEECH.replace("VOICES", json.dumps(listed))


def check_page(page, large=False):
    check_accessibility(page)
    check_sizes(page, min_text=22 if large else 18, min_target=60 if large else 48)


def zh(msgid):
    """What the Chinese pages say for `msgid`."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def calls(page):
    return page.evaluate("window.speech.calls")


def guide():
    return ServiceGuidePage.objects.get(slug="long-term-care-insurance", locale__language_code="zh-hans")


def checklist_items(service):
    return [item["item"] for block in service.materials for item in block.value["items"]]


def squeeze(text):
    return "".join(text.split())


def check_materials(page):
    """The guide's checklist of what to bring, every item with a box to tick."""
    materials = page.locator("section[aria-labelledby=materials]")
    expect(materials.get_by_role("heading", level=2)).to_be_visible()
    items = checklist_items(guide())
    shown = materials.locator(".checklist__items li")
    expect(shown).to_have_count(len(items))
    for item, text in zip(items, shown.all_inner_texts(), strict=True):
        assert text.strip().startswith(item)
    expect(materials.get_by_role("checkbox")).to_have_count(len(items))
    return materials


def search_from_the_header(page, server, words):
    header_search = page.locator("header form[role=search]")
    header_search.locator("input[name=q]").fill(words)
    with page.expect_navigation():
        header_search.locator("input[name=q]").press("Enter")
    assert page.url == server.url + "/search/?" + urlencode({"q": words})


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize(
    "path", [NOTICES, NOTICE, GUIDE, SEARCH], ids=["notice-index", "notice", "guide", "search-results"]
)
def test_notice_guide_and_search_pages_are_accessible_and_elder_friendly(live_demo, phone, path, large):
    # With a voice, so that the read-aloud controls are checked too.
    phone.add_init_script(fake_speech(MANDARIN))
    if large:
        phone.goto(live_demo.url + "/large-mode/?" + urlencode({"on": 1, "next": path}))
        assert phone.locator("html").get_attribute("class") == "large"
    else:
        phone.goto(live_demo.url + path)
    assert phone.url == live_demo.url + path
    # Something to check on each page.
    expect(phone.locator("main .notice-item, main article h1, main .search-result").first).to_be_visible()
    read_aloud = phone.get_by_role("button", name=zh("Read aloud"), exact=True)
    if path in (NOTICE, GUIDE):
        expect(read_aloud).to_be_visible()
    else:
        expect(read_aloud).to_have_count(0)
    check_page(phone, large)


def test_a_resident_searches_for_long_term_care_insurance_and_has_the_guide_read_aloud(live_demo, phone):
    phone.add_init_script(fake_speech(ENGLISH, MANDARIN))
    phone.goto(live_demo.url + "/")
    search_from_the_header(phone, live_demo, "长护险")

    # The guide comes first (its title has the full term), the term highlighted in title and excerpt,
    # the title still one run of text.
    first = phone.locator("main .search-result").first
    title = first.locator(".search-result__title")
    assert title.inner_text() == guide().title
    assert title.locator("mark").all_inner_texts() == ["长期护理保险"]
    assert first.locator(".search-result__type").inner_text() == zh("Service guide")
    marked = set(first.locator(".search-result__excerpt mark").all_inner_texts())
    assert marked and marked <= {"长期护理保险", "长护险"}
    check_page(phone)

    title.get_by_role("link").click()
    phone.wait_for_url(live_demo.url + GUIDE)
    assert phone.locator("h1").inner_text() == "长期护理保险申请"
    # A resident ticks off what is in the bag.
    tick = check_materials(phone).get_by_role("checkbox").first
    tick.check()
    assert tick.is_checked()

    # Read aloud: offered once the voices have arrived, in Mandarin although English is the default.
    read = phone.get_by_role("button", name=zh("Read aloud"), exact=True)
    pause = phone.get_by_role("button", name=zh("Pause"))
    resume = phone.get_by_role("button", name=zh("Resume"))
    stop = phone.get_by_role("button", name=zh("Stop"))
    status = phone.locator("[data-read-aloud-controls] [role=status]")
    expect(read).to_be_visible()
    for button in (pause, resume, stop):
        expect(button).to_be_hidden()

    read.click()
    spoken = phone.evaluate("window.speech.spoken")
    assert spoken == [{"text": "长期护理保险申请", "lang": "zh-CN", "voice": "Tingting"}]
    expect(status).to_have_text(zh("Reading aloud…"))
    expect(read).to_be_hidden()
    expect(pause).to_be_visible()
    expect(pause).to_be_focused()  # where the pressed button was
    expect(stop).to_be_visible()

    pause.click()
    assert calls(phone)[-1] == "pause"
    expect(status).to_have_text(zh("Paused"))
    expect(resume).to_be_visible()
    expect(resume).to_be_focused()
    expect(pause).to_be_hidden()
    resume.click()
    assert calls(phone)[-1] == "resume"
    expect(status).to_have_text(zh("Reading aloud…"))
    expect(pause).to_be_visible()

    # To the end, sentence by sentence: the whole guide, what to bring included, in short pieces.
    while phone.evaluate("window.speech.finish()"):
        pass
    spoken = phone.evaluate("window.speech.spoken")
    assert {(utterance["lang"], utterance["voice"]) for utterance in spoken} == {("zh-CN", "Tingting")}
    assert all(0 < len(utterance["text"]) <= 200 for utterance in spoken)
    read_out = "".join(utterance["text"] for utterance in spoken)
    assert squeeze(read_out) == squeeze(phone.locator("article[data-read-aloud]").inner_text())
    assert all(item in read_out for item in checklist_items(guide()))
    assert len(spoken) > 10
    expect(status).to_have_text(zh("Finished reading"))
    expect(read).to_be_visible()
    expect(stop).to_be_hidden()

    # Stop: the engine is told to cancel, and nothing more is spoken.
    read.click()
    before = len(phone.evaluate("window.speech.spoken"))
    stop.click()
    assert calls(phone)[-1] == "cancel"
    expect(read).to_be_visible()
    expect(status).to_have_text("")
    assert not phone.evaluate("window.speech.finish()")
    assert len(phone.evaluate("window.speech.spoken")) == before

    # Switching to another app stops the reading too.
    read.click()
    phone.evaluate(
        "Object.defineProperty(document, 'hidden', { value: true, configurable: true });"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    assert calls(phone)[-1] == "cancel"
    expect(read).to_be_visible()


@pytest.mark.parametrize("speech", [NO_SPEECH, fake_speech(ENGLISH)], ids=["no-speech-synthesis", "no-mandarin-voice"])
def test_without_a_mandarin_voice_the_guide_reads_fine_and_offers_no_read_aloud(live_demo, phone, speech):
    errors = []
    phone.on("pageerror", lambda error: errors.append(error))
    phone.add_init_script(speech)
    phone.goto(live_demo.url + GUIDE)
    phone.wait_for_timeout(500)  # past the moment the voices arrive
    assert errors == []
    expect(phone.locator("[data-read-aloud-controls]")).to_be_hidden()
    assert phone.get_by_role("button", name=zh("Read aloud"), exact=True).count() == 0
    assert phone.locator("h1").inner_text() == "长期护理保险申请"
    check_materials(phone)
    check_page(phone)


def test_without_javascript_the_read_aloud_controls_stay_hidden(live_demo, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_demo.url + NOTICE)
    expect(page.locator("[data-read-aloud-controls]")).to_be_hidden()
    expect(page.locator("article[data-read-aloud] h1")).to_be_visible()
    context.close()


@pytest.mark.parametrize(
    "path, voice",
    [
        ("/en" + GUIDE, ENGLISH),
        # A guide not translated yet: shown in Chinese on the English site, and read in Mandarin.
        ("/en/services/serious-illness-outpatient/", MANDARIN),
    ],
    ids=["english-guide", "chinese-guide-on-english-site"],
)
def test_read_aloud_speaks_the_language_of_the_text(live_demo, phone, path, voice):
    # No English address given: the English page shows the Chinese one.
    AreaSettings.objects.update(address_en="")
    address = AreaSettings.objects.get(site__hostname="localhost").address
    phone.add_init_script(fake_speech(MANDARIN, ENGLISH))
    phone.goto(live_demo.url + path)
    assert phone.locator("html").get_attribute("lang") == "en"
    phone.get_by_role("button", name="Read aloud", exact=True).click()
    while phone.evaluate("window.speech.finish()"):
        pass
    spoken = phone.evaluate("window.speech.spoken")
    article = phone.locator("article[data-read-aloud]")
    assert spoken[0]["text"] == article.locator("h1").inner_text()
    assert (spoken[0]["lang"], spoken[0]["voice"]) == (voice["lang"], voice["name"])
    # The English headings are read in English whatever the language of the guide's text, and
    # the text after them in its own; nothing is left out.
    heading = spoken.index(next(item for item in spoken if item["text"] == "Who is eligible"))
    assert (spoken[heading]["lang"], spoken[heading + 1]["lang"]) == (ENGLISH["lang"], voice["lang"])
    assert squeeze("".join(item["text"] for item in spoken)) == squeeze(article.inner_text())
    # Names and addresses still in Chinese in the English parts go to the Mandarin voice.
    assert {"text": address, "lang": MANDARIN["lang"], "voice": MANDARIN["name"]} in spoken
    english = [item["text"] for item in spoken if item["lang"] == ENGLISH["lang"]]
    assert not [text for text in english if re.search("[\u4e00-\u9fff]", text)]


def test_search_finds_qipao_in_the_middle_of_a_notice_title(live_demo, phone):
    notice = NoticePage.objects.get(slug="culture-festival", locale__language_code="zh-hans")
    assert "旗袍" in notice.title and not notice.title.startswith("旗袍")
    phone.goto(live_demo.url + NOTICES)
    search_from_the_header(phone, live_demo, "旗袍")

    url = f"{NOTICES}{notice.slug}/"
    found = phone.locator("main .search-result").filter(has=phone.locator(f"a[href='{url}']"))
    expect(found).to_have_count(1)
    title = found.locator(".search-result__title")
    assert title.inner_text() == notice.title
    assert title.locator("mark").all_inner_texts() == ["旗袍"]
    assert found.locator(".search-result__type").inner_text() == zh("Notice")
    title.get_by_role("link").click()
    phone.wait_for_url(live_demo.url + url)
    assert phone.locator("h1").inner_text() == notice.title
