"""Structure recovery on short hand-built articles."""

import khabar

P1 = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمئة سرير لخدمة سكان المنطقة."
P2 = "وقال المتحدث باسم الوزارة إن المستشفى سيبدأ استقبال المرضى مطلع الشهر المقبل بعد اكتمال التجهيزات."
P3 = "وأضاف أن الوزارة تعمل على توظيف مئات الأطباء والممرضين من داخل المملكة وخارجها خلال الأشهر القادمة."


def _kinds(document):
    return [(b["kind"], b["text"]) for b in document.boilerplate]


def test_structure_title_on_the_first_line():
    document = khabar.process("\n".join(["وزارة الصحة تفتتح مستشفى جديدا في جدة", P1, P2, P3]))
    assert document.title == "وزارة الصحة تفتتح مستشفى جديدا في جدة"
    assert document.body == [P1, P2, P3]


def test_structure_prompts_are_removed_with_their_kind():
    text = "\n\n".join([P1, P2, "اقرأ أيضا: الصحة تطلق حملة للتطعيم", P3,
                        "تابعونا على تويتر وفيسبوك", "جميع الحقوق محفوظة © 2015", "* * *",
                        "اشترك في النشرة البريدية"])
    document = khabar.process(text)
    assert document.body == [P1, P2, P3]
    assert [k for k, _ in _kinds(document)] == [
        "read_more", "follow_prompt", "copyright", "separator", "newsletter"]


def test_structure_paragraph_mentioning_share_is_kept():
    long_share = ("شارك أكثر من ألف متطوع في حملة تنظيف الشواطئ التي نظمتها البلدية على مدى ثلاثة أيام "
                  "بمشاركة المدارس والجمعيات الأهلية وعدد من الشركات الخاصة في المدينة.")
    document = khabar.process("\n".join([P1, long_share, P2]))
    assert document.body == [P1, long_share, P2]


def test_structure_teaser_repeating_the_lede_is_removed():
    teaser = (P1 + " " + P2)[:150].rsplit(" ", 1)[0] + " مست"  # cut mid-word
    document = khabar.process("\n".join([P1, P2, P3, teaser]))
    assert document.body == [P1, P2, P3]
    assert document.teaser == teaser
    assert _kinds(document) == [("teaser_duplicate", teaser)]


def test_structure_repeated_paragraph_is_kept_once():
    document = khabar.process("\n".join([P1, P2, P3, P2]))
    assert document.body == [P1, P2, P3]
    assert _kinds(document) == [("duplicate_line", P2)]


def test_structure_given_title_and_outlet_are_used():
    document = khabar.process("\n".join(["افتتاح مستشفى جديد", P1, P2]), title="افتتاح مستشفى جديد",
                              outlet="okaz")
    assert document.title == "افتتاح مستشفى جديد" and document.outlet == "okaz"
    assert document.body == [P1, P2]
    assert _kinds(document) == [("title_line", "افتتاح مستشفى جديد")]


def test_structure_source_link_tail_is_cut_from_the_paragraph():
    tail = "رابط الخبر بصحيفة الوئام: افتتاح مستشفى جديد في جدة"
    document = khabar.process(P1 + "\n" + P2 + " " + tail, title="افتتاح مستشفى جديد في جدة")
    assert document.body == [P1, P2]
    assert _kinds(document) == [("source_link", tail)]


def test_structure_foreign_lines_inside_the_body_stay_flagged():
    english = "The hospital will open in August, officials said on Monday."
    document = khabar.process("\n".join([P1, english, P2, "Send this to a friend"]))
    assert document.body == [P1, english, P2]
    flagged = {document.span_text(b): b.attrs for b in document.blocks()}
    assert flagged[english]["foreign"] and flagged[english]["language"] == "en"
    assert _kinds(document) == [("widget_foreign_language", "Send this to a friend")]


def test_structure_contact_and_link_lines():
    document = khabar.process("\n".join([P1, P2, "للتواصل أرسل sms إلى 88548 الاتصالات", "88591 - Stc",
                                         "writer@example.com", "(تصوير: المحرر)"]))
    assert document.body == [P1, P2]
    assert [k for k, _ in _kinds(document)] == ["contact_prompt", "contact_prompt", "link_line", "photo_credit"]


def test_structure_warns_when_nothing_is_left():
    document = khabar.process("***\n---")
    assert document.body == [] and document.warnings == ["no body text left after cleaning"]
