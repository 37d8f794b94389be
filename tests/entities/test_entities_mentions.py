"""Mentions, clitics and merging, independent of the statistical model."""

from khabar.data import Span
from khabar.normalize import normalize_arabic
from khabar.entities.mentions import bio_spans, merge_mentions, sentences, strip_name_clitic, tokenize

KNOWN = {normalize_arabic(w) for w in ("رويترز", "سوريا", "الغوطة", "وكالة", "الأمم")}


def known(word: str) -> bool:
    return word in KNOWN


def test_mentions_bio_spans_follow_conlleval():
    assert bio_spans(["B-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "I-LOC"]) == [
        (0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "LOC")]


def test_mentions_clitics_are_left_out_when_the_rest_is_a_name():
    assert strip_name_clitic("لرويترز", known) == 1
    assert strip_name_clitic("بسوريا", known) == 1
    assert strip_name_clitic("وبالغوطة", known) == 2  # وب stripped, the article kept
    assert strip_name_clitic("بغداد", known) == 0  # the ب belongs to the name
    assert strip_name_clitic("للأمم المتحدة", known) == 1


def test_mentions_tokenize_keeps_offsets_and_splits_punctuation():
    text = "قال محمد، لرويترز: نعم."
    tokens = tokenize(text, offset=10)
    assert [t.text for t in tokens] == ["قال", "محمد", "،", "لرويترز", ":", "نعم", "."]
    assert all(text[t.start - 10:t.end - 10] == t.text for t in tokens)
    assert [len(s) for s in sentences(tokens)] == [7]


def _spans(raw: str, texts: list[tuple[str, str]]) -> list[Span]:
    spans, position = [], 0
    for text, label in texts:
        start = raw.index(text, position)
        spans.append(Span(start, start + len(text), label, {}))
        position = start + len(text)
    return spans


def test_mentions_merge_into_the_fullest_name():
    raw = "قالت زاخاروفا إن ماريا زاخاروفا تحدثت، وقال علوش ثم محمد علوش عن د.ب. أ ووكالة الأنباء الألمانية"
    mentions = _spans(raw, [("زاخاروفا", "PERS"), ("ماريا زاخاروفا", "PERS"), ("علوش", "PERS"),
                            ("محمد علوش", "PERS"), ("د.ب. أ", "ORG"), ("وكالة الأنباء الألمانية", "ORG")])
    entities = merge_mentions(mentions, raw)
    canonical = [(raw[m.start:m.end], m.attrs["canonical"]) for m in mentions]
    assert canonical == [("زاخاروفا", "ماريا زاخاروفا"), ("ماريا زاخاروفا", "ماريا زاخاروفا"),
                         ("علوش", "محمد علوش"), ("محمد علوش", "محمد علوش"),
                         ("د.ب. أ", "وكالة الأنباء الألمانية"), ("وكالة الأنباء الألمانية", "وكالة الأنباء الألمانية")]
    assert [e.id for e in entities] == ["E1", "E2", "E3"]
    assert len({m.attrs["entity"] for m in mentions}) == 3


def test_mentions_a_father_or_a_shared_given_name_is_not_the_person():
    raw = ("استقبل الملك سلمان بن عبد العزيز الأمير محمد بن سلمان بن عبد العزيز والأمير سلمان بن سلطان، "
           "وقال الملك سلمان إن")
    names = ["سلمان بن عبد العزيز", "محمد بن سلمان بن عبد العزيز", "سلمان بن سلطان"]
    mentions = _spans(raw, [(n, "PERS") for n in names] + [("سلمان", "PERS")])
    merge_mentions(mentions, raw)
    canonical = [m.attrs["canonical"] for m in mentions]
    # the king's name inside his son's (after بن) is not the son; سلمان alone fits two men: neither
    assert canonical == names + ["سلمان"]


def test_mentions_same_word_different_types_stay_apart():
    raw = "زار عمان وفد من عمان"
    mentions = _spans(raw, [("عمان", "LOC"), ("عمان", "ORG")])
    assert len(merge_mentions(mentions, raw)) == 2


def test_a_persons_last_name_alone_is_that_person_whatever_the_tagger_said():
    from khabar.data import Span
    from khabar.entities.rules import surnames_are_people

    raw = "التقى باراك أوباما الوفد. وقال أوباما إن اللقاء مثمر، ثم زار لأوباما اليابانية."
    full = raw.index("باراك")
    alone = raw.index("أوباما", full + 12)
    mentions = [Span(full, full + len("باراك أوباما"), "PERS"), Span(alone, alone + 6, "LOC"),
                Span(raw.index("اليابانية"), raw.index("اليابانية") + 9, "LOC")]
    surnames_are_people(mentions, raw)
    assert [m.label for m in mentions] == ["PERS", "PERS", "LOC"]
