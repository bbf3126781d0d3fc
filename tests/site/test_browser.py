"""The generated site in a real browser: headless Chromium driven by Selenium.

The site (tests/site_data.py: real recorded papers plus SYNTHETIC hostile ones) is served from
a loopback HTTP server.  Debian's chromium and chromium-driver packages provide the browser;
the driver path is given explicitly so Selenium Manager never tries to download one.  Without
them the tests are skipped, unless DAILY_PAPERS_REQUIRE_BROWSER=1 (CI) makes that a failure.
Screenshots go to DAILY_PAPERS_SCREENSHOT_DIR when set, else to a pytest temporary directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from daily_papers.site.structure import topic_page_path
from tests.browser import browser_missing, chrome, serve_directory
from tests.site_data import HOSTILE_TITLE, OUTSIDER_TITLE, write_ranked_site, write_test_site

WAIT = 20  # seconds; the machine may be busy


_MISSING = browser_missing()
if _MISSING and os.environ.get("DAILY_PAPERS_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"DAILY_PAPERS_REQUIRE_BROWSER=1 but {_MISSING}")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(_MISSING is not None, reason=_MISSING or ""),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, server = serve_directory(write_test_site(tmp_path_factory.mktemp("site") / "_site"))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def ranked_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, server = serve_directory(write_ranked_site(tmp_path_factory.mktemp("ranked") / "_site"))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("DAILY_PAPERS_SCREENSHOT_DIR")
    directory = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[Any]:
    browser = chrome(tmp_path / "profile", "--window-size=1100,1300")
    browser.set_page_load_timeout(WAIT)
    yield browser
    browser.quit()


def _wait_status(driver: Any, needle: str) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    status = driver.find_element(By.ID, "search-status")
    WebDriverWait(driver, WAIT).until(lambda _: needle in status.text)
    text: str = status.text
    return text


def _result_titles(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    links = driver.find_elements(By.CSS_SELECTOR, "#search-results .result .title a")
    return [e.text for e in links]


def _search_requests(driver: Any) -> list[str]:
    urls: list[str] = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return urls


def test_typing_a_query_shows_the_expected_papers(driver: Any, base_url: str, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base_url)
    assert driver.title == "Octo's papers"
    driver.save_screenshot(str(shots / "index.png"))

    box = driver.find_element(By.ID, "search-input")
    box.send_keys("planar graphs")
    assert "1 paper matches" in _wait_status(driver, "match")
    assert _result_titles(driver) == ["Strip Planarity Testing of Embedded Planar Graphs"]
    driver.save_screenshot(str(shots / "search.png"))

    # the last word matches as a prefix while typing; an author's accent-free spelling works
    box.clear()
    box.send_keys("planari")
    _wait_status(driver, "“planari”")
    assert "Strip Planarity Testing of Embedded Planar Graphs" in _result_titles(driver)
    box.clear()
    box.send_keys("lukasz")
    _wait_status(driver, "“lukasz”")
    assert _result_titles(driver) == [HOSTILE_TITLE]  # shown as text, not run as markup
    assert driver.execute_script("return window.__pwned === undefined")
    assert not driver.find_elements(By.CSS_SELECTOR, "#search-results script, #search-results img")

    # a word nobody used: no results, said so
    box.clear()
    box.send_keys("zzqqxnotaword")
    assert "No paper matches" in _wait_status(driver, "No paper")
    assert _result_titles(driver) == []

    # only this site's own files were fetched, and only the shards of the query words
    requests = _search_requests(driver)
    assert all(url.startswith(base_url) for url in requests), requests
    shards = [u for u in requests if "/search/s/" in u]
    assert 0 < len(shards) < 12, shards
    assert len([u for u in requests if "/search/d/" in u]) <= 3


def test_result_links_reach_the_paper_anchor(driver: Any, base_url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base_url + "?q=planar+graphs")
    _wait_status(driver, "match")
    link = driver.find_element(By.CSS_SELECTOR, "#search-results .result .title a")
    href = link.get_attribute("href")
    assert href.startswith(base_url + "topics/")
    link.click()
    anchor = href.split("#")[1]
    assert driver.execute_script("return location.hash") == f"#{anchor}"
    target = driver.find_element(By.ID, anchor)
    assert "Strip Planarity" in target.text
    # the topic month page has its own search box, fetching from the site root
    box = driver.find_element(By.ID, "search-input")
    box.send_keys("zyxwvut")
    _wait_status(driver, "1 paper matches")


def test_removed_topic_page(driver: Any, base_url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base_url + topic_page_path("Retired topic"))
    assert "no longer followed" in driver.find_element(By.CSS_SELECTOR, ".notice").text


def _active(driver: Any) -> Any:
    return driver.switch_to.active_element


def _background(driver: Any) -> str:
    color: str = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    return color


def test_keyboard_path_and_dark_theme(driver: Any, base_url: str, shots: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.get(base_url)
    light = _background(driver)
    keys = ActionChains(driver)
    # Tab order: skip link, site name, theme toggle, search box
    for _ in range(3):
        keys.send_keys(Keys.TAB).perform()
    assert _active(driver).get_attribute("id") == "theme-toggle"
    assert _active(driver).get_attribute("aria-pressed") == "false"
    keys.send_keys(Keys.SPACE).perform()
    assert _active(driver).get_attribute("aria-pressed") == "true"
    dark = _background(driver)
    assert dark != light
    assert dark == "rgb(20, 22, 26)"
    keys.send_keys(Keys.TAB).perform()
    assert _active(driver).get_attribute("id") == "search-input"
    keys.send_keys("strip planarity", Keys.ENTER).perform()
    _wait_status(driver, "match")
    keys.send_keys(Keys.TAB).perform()
    focused = _active(driver)
    assert focused.tag_name == "a"
    assert focused.text == "Strip Planarity Testing of Embedded Planar Graphs"
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused)
    assert outline == "solid"  # the focus ring is visible
    driver.save_screenshot(str(shots / "search-dark-keyboard.png"))
    # the choice is remembered on the next page
    driver.get(base_url + topic_page_path("testing"))
    assert _background(driver) == dark
    # Escape in the search box clears the results
    keys = ActionChains(driver)
    keys.send_keys("/").perform()
    assert _active(driver).get_attribute("id") == "search-input"
    keys.send_keys("graphs", Keys.ENTER).perform()
    _wait_status(driver, "match")
    keys.send_keys(Keys.ESCAPE).perform()
    assert _result_titles(driver) == []


def test_system_dark_preference_is_followed(driver: Any, base_url: str) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    driver.get(base_url)
    assert _background(driver) == "rgb(20, 22, 26)"
    assert (
        driver.execute_script(
            "return document.getElementById('theme-toggle').getAttribute('aria-pressed')"
        )
        == "true"
    )


def test_the_content_security_policy_blocks_nothing_the_site_uses(
    driver: Any, base_url: str
) -> None:
    """Every page carries the CSP meta tag (issue 24); searching, theme switching and the
    topic pages work under it, and Chromium reports no violation."""
    from selenium.webdriver.common.by import By

    driver.get(base_url + "?q=planar+graphs")
    assert "1 paper matches" in _wait_status(driver, "match")
    policy = driver.find_element(By.CSS_SELECTOR, 'meta[http-equiv="Content-Security-Policy"]')
    assert "script-src 'self'" in (policy.get_attribute("content") or "")
    assert "unsafe-inline" not in (policy.get_attribute("content") or "")
    driver.find_element(By.ID, "theme-toggle").click()
    driver.find_element(By.CSS_SELECTOR, "#search-results .result .title a").click()
    _wait_status(driver, "")
    assert driver.execute_script("return getComputedStyle(document.body).display") == "block"
    messages = [entry["message"] for entry in driver.get_log("browser")]
    assert not [m for m in messages if "Content Security Policy" in m], messages


def test_for_you_and_the_searchs_scores_render_as_text(
    driver: Any, ranked_url: str, shots: Path
) -> None:
    """A site with a library: For you first with each score, the hostile title of a paper no
    topic matched shown as text, and the day's score added to a search result (textContent)."""
    from selenium.webdriver.common.by import By

    driver.get(ranked_url)
    section = driver.find_element(By.ID, "for-you")
    titles = [e.text for e in section.find_elements(By.CSS_SELECTOR, ".paper .title a")]
    assert titles[0] == OUTSIDER_TITLE  # shown as text, not run as markup
    assert len(titles) == 3
    values = [e.text for e in section.find_elements(By.CSS_SELECTOR, ".score .value")]
    assert values == sorted(values, key=float, reverse=True)
    assert len(values) == 3
    assert not section.find_elements(By.CSS_SELECTOR, "script, img, iframe")
    assert driver.execute_script("return window.__pwned === undefined")
    driver.save_screenshot(str(shots / "for-you.png"))

    box = driver.find_element(By.ID, "search-input")
    box.send_keys("lukasz")
    _wait_status(driver, "1 paper matches")
    from selenium.webdriver.support.ui import WebDriverWait

    score = WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results .result .score")
    )[0]
    assert score.text.startswith("Score on 2026-11-26 ")
    assert not driver.find_elements(By.CSS_SELECTOR, "#search-results script, #search-results img")
    messages = [entry["message"] for entry in driver.get_log("browser")]
    assert not [m for m in messages if "Content Security Policy" in m], messages
