"""The JSON API and the pages through a test client: statuses, schemas, pagination, bad
parameters, escaping."""

import pytest
from fastapi.testclient import TestClient

from khabar.errors import KhabarError
from khabar.web import create_app


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(web_db))


def test_web_api_stats_and_openapi(client):
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 34 and stats["statements"] > 150
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/documents/{doc_id}", "/api/speakers", "/api/statements", "/api/stories",
            "/api/places", "/api/outlets", "/api/entities", "/api/entities/{entity_id}"} <= set(spec["paths"])


def test_web_api_search_normalised_paginated_and_validated(client):
    first = client.get("/api/search", params={"q": "الاسلام", "limit": 1}).json()
    assert first["total"] >= 3 and len(first["results"]) == 1
    second = client.get("/api/search", params={"q": "الاسلام", "limit": 1, "offset": 1}).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    bad = client.get("/api/search", params={"q": '"unbalanced'})
    assert bad.status_code == 400 and "malformed" in bad.json()["error"]
    assert client.get("/api/search", params={"q": "x", "limit": 500}).status_code == 422
    assert client.get("/api/search", params={"q": "x" * 600}).status_code == 422
    assert client.get("/api/search").status_code == 422
    filtered = client.get("/api/search", params={"q": "في", "outlet": "okaz"}).json()
    assert filtered["results"] and all(r["outlet"] == "عكاظ" for r in filtered["results"])
    by_name = client.get("/api/search", params={"q": "في", "outlet": "عكاظ"}).json()
    assert by_name["total"] == filtered["total"]


def test_web_api_document(client):
    record = client.get("/api/documents/examples/humanvoice-ghouta.txt").json()
    assert record["outlet"] == "هيومن فويس" and len(record["quotes"]) == 7
    assert {"entities", "places", "boilerplate", "raw", "duplicate_groups", "stories", "corpus_entities"} <= set(record)
    assert set(record["corpus_entities"]) == {e["entity"] for e in record["entities"]}
    page = client.get("/document/examples/humanvoice-ghouta.txt")
    assert f'href="/entity/{record["corpus_entities"]["E8"]}"' in page.text  # محمد علوش, to his entity page
    missing = client.get("/api/documents/no/such/doc")
    assert missing.status_code == 404 and "error" in missing.json()


def test_web_api_speakers_and_statements(client):
    speakers = client.get("/api/speakers", params={"name": "علوش"}).json()["results"]
    assert speakers[0]["speaker"] == "محمد علوش" and speakers[0]["acts"]["deny"] == 1
    denials = client.get("/api/statements", params={"act": "deny"}).json()["results"]
    assert denials and all(s["act"] == "deny" for s in denials)
    told = client.get("/api/statements", params={"relay": "told_to", "limit": 200}).json()["results"]
    assert told and all(any(v["relation"] == "told_to" for v in s["via"]) for s in told)
    page = client.get("/api/statements", params={"limit": 5, "offset": 5}).json()
    assert len(page["results"]) == 5 and page["offset"] == 5
    assert client.get("/api/statements", params={"act": "shout"}).status_code == 400
    assert client.get("/api/statements", params={"limit": 0}).status_code == 422


def test_web_api_entities(client):
    found = client.get("/api/entities", params={"name": "علوش"}).json()["results"]
    assert [e["name"] for e in found] == ["محمد علوش"] and "علوش" in found[0]["aliases"]
    entity = client.get(f"/api/entities/{found[0]['id']}").json()
    assert len(entity["statements"]) == entity["statements_by"] == 6
    assert entity["relays"]["وكالة الأنباء الألمانية"] == 3
    people = client.get("/api/entities", params={"type": "PERS", "limit": 200}).json()["results"]
    assert people and all(e["type"] == "PERS" for e in people)
    assert client.get("/api/entities/2147483647").status_code == 404
    assert client.get("/api/entities", params={"type": "PERSON"}).status_code == 422
    page = client.get(f"/entity/{found[0]['id']}")
    assert page.status_code == 200 and 'dir="rtl"' in page.text and "svg" in page.text
    # the named speaker's old address leads to its entity; a speaker that is no entity has a page
    assert client.get("/speaker/علوش", follow_redirects=False).headers["location"] == f"/entity/{found[0]['id']}"
    unresolved = client.get("/api/speakers", params={"unresolved": True}).json()["results"]
    assert unresolved and all(s["entity"] is None for s in unresolved)
    assert not {s["speaker"] for s in unresolved} & {s["speaker"] for s in client.get("/api/speakers").json()["results"]}
    page = client.get("/speaker/" + unresolved[0]["speaker"])
    assert page.status_code == 200 and "act-" in page.text


def test_web_api_stories_places_outlets(client):
    assert client.get("/api/stories").status_code == 200
    places = client.get("/api/places").json()["results"]
    assert any(p["name"] == "دمشق" and p["country"] == "SY" for p in places)
    assert any(o["name"] == "عكاظ" for o in client.get("/api/outlets").json())
    assert client.get("/api/stories/999999").status_code == 404


def test_web_pages_render_and_escape(client):
    page = client.get("/document/hostile/1")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text
    assert "<b>الاجتماع</b>" not in page.text
    search = client.get("/", params={"q": "الاجتماع"})
    assert search.status_code == 200 and "<script>alert" not in search.text and "<mark>" in search.text
    speaker = client.get("/speaker/محمد علوش")
    assert speaker.status_code == 200 and 'dir="rtl"' in speaker.text and "act-deny" in speaker.text
    assert "وكالة الأنباء الألمانية" in speaker.text
    assert client.get("/places").status_code == 200
    assert client.get("/document/no-such").status_code == 404
    bad = client.get("/", params={"q": '"unbalanced'})
    assert bad.status_code == 400


def test_web_refuses_a_missing_database(tmp_path):
    with pytest.raises(KhabarError):
        create_app(tmp_path / "missing.db")


def test_web_api_huge_numbers_are_invalid_not_server_errors(client):
    huge = "9" * 30
    assert client.get("/api/search", params={"q": "وزير", "offset": huge}).status_code == 422
    assert client.get(f"/api/stories/{huge}").status_code == 422
    assert client.get("/api/stories/2147483647").status_code == 404


def test_web_api_wildcards_in_names_are_taken_literally(client):
    everyone = client.get("/api/speakers").json()["results"]
    assert everyone  # the test database has speakers
    assert client.get("/api/speakers", params={"name": "%"}).json()["results"] == []
    assert client.get("/api/speakers", params={"name": "_"}).json()["results"] == []


def test_web_api_docs_page_is_served_locally(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/search" in page.text and "offset" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text


def test_web_api_errors_all_answer_with_an_error_field(client):
    for url, status in (("/api/search?q=", 422), ("/api/documents/nothing-here", 404),
                        ("/api/search?q=%22unclosed", 400)):
        answer = client.get(url)
        assert (answer.status_code, "error" in answer.json()) == (status, True), url


def test_web_speaker_page_takes_a_name_with_a_slash(client):
    page = client.get("/speaker/" + "وزارة الخارجية/الإعلام".replace("/", "%2F"))
    assert page.status_code in (200, 404)  # a page, found or not, never a broken route
    assert "وزارة الخارجية/الإعلام" in page.text


HOSTILE_PATHS = [
    "/api/documents/../../etc/passwd", "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/document/..%2f..%2fk.db",
    "/api/documents/a%00b", "/document/%00", "/speaker/%00", "/speaker/" + "ا" * 5000, "/story/-1", "/story/abc",
    "/api/search?q=" + "وزير " * 600, "/api/search?q=%00", "/api/search?q=وزير&limit=-1",
    "/api/search?q=وزير&limit=100000000", "/api/statements?speaker=" + "%" * 2000, "/api/places?country=" + "x" * 9000,
    "/api/stories?limit=" + "9" * 40, "/?q=" + "«" * 4000, "/places?x=%ff%fe",
]


@pytest.mark.parametrize("url", HOSTILE_PATHS)
def test_web_hostile_urls_answer_without_a_server_error_or_a_traceback(client, url):
    answer = client.get(url)
    assert answer.status_code < 500, (url, answer.status_code)
    assert "Traceback" not in answer.text and "File \"" not in answer.text
    assert "root:" not in answer.text  # nothing read outside the database


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_web_wrong_methods_are_refused(client, method):
    for url in ("/api/search?q=وزير", "/api/documents/examples/humanvoice-ghouta.txt", "/"):
        answer = getattr(client, method)(url)
        assert answer.status_code == 405, (method, url)
        assert "Traceback" not in answer.text
