"""Language identification of blocks with py3langid, whose model ships inside its package
(no download). The model is loaded lazily, once per process."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

NO_LANGUAGE = "zxx"  # ISO 639-2: no linguistic content (numbers, punctuation)

# py3langid knows several Arabic varieties; khabar reports the macrolanguage.
_MACRO = {"arz": "ar", "ary": "ar", "apc": "ar", "acm": "ar", "aeb": "ar", "arq": "ar",
          "ars": "ar", "afb": "ar", "ajp": "ar", "acq": "ar", "ayl": "ar", "shu": "ar"}

# Long blocks are identified from their start: a few hundred characters decide as well as
# a whole paragraph, at a fraction of the cost.
_SAMPLE_CHARS = 400

# Below this probability on a short block the model's guess is noise; the script decides.
_MIN_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _arabic_letter_share(text: str) -> tuple[int, float]:
    letters = arabic = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
                arabic += 1
    return letters, (arabic / letters if letters else 0.0)


def identify_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (``zxx`` when it has no letters)."""
    text = text[:_SAMPLE_CHARS]
    letters, arabic_share = _arabic_letter_share(text)
    if letters == 0:
        return NO_LANGUAGE
    label, probability = _identifier().classify(unicodedata.normalize("NFKC", text))
    label = _MACRO.get(label, label)
    if probability < _MIN_CONFIDENCE and arabic_share >= 0.9:
        # An unsure guess on Arabic script: Arabic, unless a longer text looks Persian or Urdu.
        if label not in ("fa", "ur") or letters < 30:
            return "ar"
    return label
