from khabar.normalize import match_words, normalize_arabic, normalize_with_offsets


def test_normalize_folds_letter_forms_digits_and_quotes():
    assert normalize_arabic("الإسلام أحمد آمن ٱلله") == "الاسلام احمد امن الله"
    assert normalize_arabic("مصطفى مدرسة") == "مصطفي مدرسه"
    assert normalize_arabic("٢٠١٥ و۱۲") == "2015 و12"
    assert normalize_arabic("«قال» “نعم” ‘لا’") == '"قال" "نعم" \'لا\''


def test_normalize_removes_diacritics_tatweel_and_presentation_forms():
    assert normalize_arabic("مُحَمَّدٌ") == "محمد"
    assert normalize_arabic("العـــربي") == "العربي"
    assert normalize_arabic("ﻗﺎﻝ") == "قال"
    assert normalize_arabic("\u200fنص\u200e") == "نص"


def test_normalize_offsets_map_back_to_the_original():
    original = "قالَ الإمامُ «نعم»"
    normalized, offsets = normalize_with_offsets(original)
    assert normalized == normalize_arabic(original) == 'قال الامام "نعم"'
    start = normalized.index("الامام")
    end = start + len("الامام")
    assert original[offsets[start]:offsets[end]].rstrip() == "الإمامُ"
    assert len(offsets) == len(normalized) + 1 and offsets[-1] == len(original)


def test_match_words_ignores_punctuation():
    assert match_words("قالَ: «الإسلام»، نعم.") == ["قال", "الاسلام", "نعم"]


def test_normalize_folds_persian_keyboard_letters():
    # a Kuwaiti page typed on a Persian keyboard: ی ک ھ for ي ك ه
    assert normalize_arabic("الھیئة العامة للاتصالات وتقنیة المعلومات الکویتیة") == \
        normalize_arabic("الهيئة العامة للاتصالات وتقنية المعلومات الكويتية")


def test_a_remembered_word_is_normalised_as_anew(monkeypatch):
    from khabar import normalize
    from khabar.normalize import normalize_word

    from ..conftest import SHARED

    monkeypatch.setattr(normalize, "WORDS_REMEMBERED", 50)
    monkeypatch.setattr(normalize, "_WORDS", {})
    words = (SHARED / "examples" / "humanvoice-ghouta.txt").read_text(encoding="utf-8").split()
    assert len(set(words)) > 50
    for word in words + words:  # the second time, from memory or after the memory was emptied
        assert normalize_word(word) == normalize_arabic(word)
    assert 0 < len(normalize._WORDS) <= 50
