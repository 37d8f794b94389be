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
