"""Language identification of blocks with py3langid, whose model ships inside its package
(no download). The model is loaded lazily, once per process."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NO_LANGUAGE = "zxx"  # ISO 639-2: no linguistic content (numbers, punctuation)

# py3langid knows several Arabic varieties; khabar reports the macrolanguage.
_MACRO = {"arz": "ar", "ary": "ar", "apc": "ar", "acm": "ar", "aeb": "ar", "arq": "ar",
          "ars": "ar", "afb": "ar", "ajp": "ar", "acq": "ar", "ayl": "ar", "shu": "ar"}

# Long blocks are identified from their start: a few hundred characters decide as well as
# a whole paragraph, at a fraction of the cost.
_SAMPLE_CHARS = 400

# Letters that Persian, Urdu, Pashto, Kurdish ... write and Arabic does not (پ چ ژ گ ک ی ٹ ڈ ڑ ں ے ہ ۆ ێ ...).
_OTHER_ARABIC_SCRIPT = re.compile("[\u0679-\u06d3\u06d5-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_SURE_LETTERS = 12

# Below this probability on a short block the model's guess is noise; the script decides.
_MIN_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")


def _arabic_letter_share(text: str) -> tuple[int, float]:
    letters = len(_LETTER.findall(text))
    arabic = len(_ARABIC_LETTER.findall(text)) if letters else 0
    return letters, (min(1.0, arabic / letters) if letters else 0.0)


def identify_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (``zxx`` when it has no letters)."""
    return identify_language_counted(text)[0]


def identify_language_counted(text: str) -> tuple[str, int, float]:
    """The language of ``text`` with what was counted on the way: letters and the Arabic share
    of them (in the first few hundred characters)."""
    text = text[:_SAMPLE_CHARS]
    letters, arabic_share = _arabic_letter_share(text)
    return _identify(text, letters, arabic_share), letters, arabic_share


def _identify(text: str, letters: int, arabic_share: float) -> str:
    if letters == 0:
        return NO_LANGUAGE
    if arabic_share == 1.0 and letters >= _SURE_LETTERS and not _OTHER_ARABIC_SCRIPT.search(text):
        return "ar"  # Arabic script without a letter only Persian, Urdu or Pashto use: Arabic, no model needed
    label, probability = _identifier().classify(unicodedata.normalize("NFKC", text))
    label = _MACRO.get(label, label)
    if probability < _MIN_CONFIDENCE and arabic_share >= 0.9:
        # An unsure guess on Arabic script: Arabic, unless a longer text looks Persian or Urdu.
        if label not in ("fa", "ur") or letters < 30:
            return "ar"
    return label
