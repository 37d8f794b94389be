"""End to end in a real headless Chromium (Debian's chromium and chromedriver, driven by
Selenium): search, open a document, open a speaker page; the layout is right-to-left and no
request leaves localhost. .ci/run installs the browser."""

import json
import shutil
import socket
import threading
import time
from urllib.parse import urlparse

import pytest
import uvicorn

from khabar.web import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def server(web_db):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(web_db), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not instance.started and time.time() < deadline:
        time.sleep(0.05)
    assert instance.started, "the web server did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not shutil.which("chromium") or not shutil.which("chromedriver"):
        pytest.fail("Debian's chromium and chromium-driver are needed: apt-get install chromium chromium-driver "
                    "(.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1200,1400",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _wait(driver, condition, seconds: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def _requested_hosts(driver) -> set[str]:
    """Hosts of every network request the pages made (the browser's own chrome:// pages aside)."""
    hosts = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = urlparse(message["params"]["request"]["url"])
            if url.scheme not in ("data", "about", "chrome", "chrome-extension", "blob"):
                hosts.add(url.hostname)
    return hosts


def test_browser_search_document_and_speaker(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    box = browser.find_element(By.NAME, "q")
    box.send_keys("زاخاروفا")
    box.submit()
    # navigation is asynchronous: wait for the results page, not the page we left
    results = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".result a.title"))
    assert browser.find_elements(By.CSS_SELECTOR, ".result mark")
    results[0].click()
    _wait(browser, lambda d: "/document/" in d.current_url)
    assert "/document/examples/humanvoice-ghouta.txt" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "روسيا: العمليات العسكرية في الغوطة انتهت تقريباً"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ol.statements > li")) == 7
    assert browser.find_elements(By.CSS_SELECTOR, ".statement.act-deny")
    # the text starts on the right: the first paragraph's right edge is near the page's
    paragraph = browser.find_element(By.CSS_SELECTOR, ".body p")
    right_gap = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return document.documentElement.clientWidth - r.right;",
        paragraph)
    left_gap = browser.execute_script("return arguments[0].getBoundingClientRect().left;", paragraph)
    assert right_gap <= left_gap + 1
    browser.find_element(By.LINK_TEXT, "محمد علوش").click()
    # a named speaker's page is its corpus entity's: aliases, statements by act, its neighbourhood
    _wait(browser, lambda d: "/entity/" in d.current_url and d.find_elements(By.CSS_SELECTOR, "h2.act-deny"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "محمد علوش"
    assert browser.find_element(By.CSS_SELECTOR, "h2.act-deny").text.startswith("نفى")
    assert "وكالة الأنباء الألمانية" in browser.find_element(By.TAG_NAME, "main").text
    assert "علوش" in [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.aliases li")]
    assert browser.find_elements(By.CSS_SELECTOR, "svg.network line.out")
    browser.find_element(By.CSS_SELECTOR, "ul.speaks-about a").click()  # on to an entity it speaks about
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ul.spoken-about-by a"))
    assert "محمد علوش" in [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ul.spoken-about-by a")]
    browser.get(server + "/places")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.map circle")
    browser.get(server + "/api/docs")  # the API's documentation page too
    assert "/api/search" in browser.find_element(By.TAG_NAME, "body").text
    hosts = _requested_hosts(browser)
    assert hosts == {"127.0.0.1"}, f"requests left localhost: {hosts}"


def test_browser_escapes_hostile_text(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/document/hostile/1")
    assert "<script>alert('x')</script>" in browser.find_element(By.CSS_SELECTOR, ".body").text
    assert browser.execute_script("return document.querySelectorAll('main script').length") == 0
