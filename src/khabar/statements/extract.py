"""Attributed statements: who said what, through whom (contract: ../shared/docs/ATTRIBUTION.md).

The extractor works paragraph by paragraph on tokens with offsets into ``raw``:

1. quotation regions are paired (every style Arabic text uses, reversed and unbalanced ones
   included), and cues inside them are ignored: they belong to the quote;
2. each cue word (from the lexicon) looks right for what opens its content: a complementizer
   (أن، إن، بأن، إلى أن ...), a colon or a quotation mark. What lies between is the
   *attribution zone*: the speaker, a role, relays (لرويترز، في تصريحات لـ...), the medium
   (في بيان) and time words;
3. verbs that carry their subject (وأضاف، مشيرا) inherit the last speaker of the same gender,
   with its relays; a subject before the verb (محمد علوش ... قال) is found by looking back;
4. "according to" (بحسب، وفقا لـ، نقلا عن) and "نقلت X عن Y" add relays or statements;
5. contents end at the sentence end or where the next statement starts; a statement found
   inside another's reported content is relayed by it (``reported_by``).

Speakers use the ``entities`` layer when a NER stage ran before (names and roles split
cleanly); without it, titles and role nouns from the lexicon split the speaker phrase.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from khabar.data import BODY, Document, Span
from khabar.normalize import SENTENCE_END, normalize_arabic, normalize_word, strip_marks
from khabar.statements.lexicon import Cue, Lexicon, Phrase, load_lexicon
from khabar.statements.speakers import SpeakerResolver, contains_words, is_title_adjective

_CLAUSE_PUNCT = {",", "،", ";", "؛"}
_OPENING_QUOTES = {"«": ("»",), "»": ("«",), "“": ("”", "“"), "”": ("”", "“"), '"': ('"',), "„": ("“", "”")}
_TRAILING = {"حينما", "عندما", "حين", "الذي", "التي", "الذين", "و", "كما", "فيما", "اذ", "حيث", "بينما",
             "لكن", "ولكن", "ثم", "قائلا", "قائله"}
# How far (in tokens) a cue may be from what opens its content; ambiguous cue words
# (بين is also "between") must be much closer.
_MAX_ZONE = 20
_MAX_ZONE_AMBIGUOUS = 6
_AFTER_NAME_REACH = 16  # tokens of titles a name may be followed by before the opener
_MAX_PARAGRAPH = 20_000  # characters read at once (a longer paragraph is read in pieces)
_HISTORY = 50  # earlier statements a new one may continue or refer to
# Verbs that issue a text ("أصدرت اللجنة بيانا"), past tense, with a conjunction or not.
_ISSUING_VERBS = {prefix + verb
                  for verb in ("نشر", "اصدر", "قدم", "وجه", "بعث", "ارسل", "القي", "وزع", "بث", "كتب", "غرد",
                               "نشرت", "اصدرت", "قدمت", "وجهت", "بعثت", "ارسلت", "القت", "وزعت", "بثت", "كتبت", "غردت")
                  for prefix in ("", "و", "ف")}
# Texts issued with a verb ("نشرت الوزارة تغريدة قالت فيها") beyond the lexicon's documents.
_ISSUED_TEXTS = {"تغريده", "كلمه", "منشور", "رساله", "مذكره", "برقيه", "خطاب", "فيديو", "تسجيل"}
# The words _according_to starts from (normalised), bare and after و: the rest are not looked at.
_ACCORDING_FORMS = {prefix + word for word in ("وفق", "وفقا", "طبقا", "بحسب", "حسب", "حسبما", "نقلا")
                    for prefix in ("", "و")}
# A title before a verb-first subject's name (المتحدث باسم وزارة الداخلية اللواء) is at most this long.
_TITLE_REACH = 14
# Words that join a title's parts without being definite: باسم وزارة, رئيس لجنة.
_TITLE_LINKS = {"باسم", "لدي", "في", "دوله"}
# A participle's content follows at once ("مشيرا إلى أن", "مؤكدا أن"); relays may come between.
_PARTICIPLE_REACH = 8
_AMBIGUOUS = {"بين", "وبين", "زاد", "وزاد", "كتب", "حمل", "طلب", "عبر", "ختم", "علق", "واصل", "تابع", "راي", "وجه"}
# Between a cue and its content these mean the content belongs to another clause.
_ZONE_BREAKERS = {"حيث", "عندما", "بعدما", "لان", "كي", "حتي", "الذي", "التي", "الذين", "اذا", "لو", "بينما"}
# A speaker phrase never starts with these (prepositions, pronouns, particles).
_NOT_SUBJECT = {"الي", "عن", "في", "من", "مع", "ب", "ل", "اليه", "اليها", "عليه", "عليها", "اياهم", "اياه",
                "اياها", "انه", "انها", "ان", "هذا", "هذه", "ذلك", "تلك", "ما", "لا", "لم", "لن", "قد", "كل", "بعض",
                "منه", "منها", "له", "لها", "لهم", "به", "بها", "فيه", "فيها", "عنه", "عنها", "هو", "هي", "هم", "وكان",
                "كان", "كانت", "وكانت",
                "بقوله", "بقولها", "ضروره", "اهميه", "اهمية"}
# Prepositions end a speaker phrase, unless they follow a role noun (القيادي في جماعة ...).
# Matched on the written form: normalised, على and the name علي are one word.
_PREPOSITIONS = {"على", "في", "خلال", "عبر", "أمام", "امام", "من", "إلى", "الى", "عن", "مع", "بعد", "قبل", "عقب",
                 "أثناء", "لدى", "منذ", "بين"}
# After a comma these start a new clause, ending a statement's content.
_CLAUSE_BREAKS = {"دون", "بدون", "بينما", "فيما", "وذلك", "وفي"}
# Prepositions whose object is never who speaks, as written (على, not the name علي)
_GOVERNING = {"من", "إلى", "الى", "على", "عن", "مع", "لدى"}
# A verb right after these has its subject before them (الجماهير التي طالبت).
_RELATIVES = {"الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي", "اللاتي"}
_HONORIFIC_PRONOUNS = {"سموه", "سموها", "معاليه", "معاليها", "فضيلته", "سعادته", "سيادته", "جلالته", "فخامته",
                       "سماحته", "دولته"}
# "عدد من المسؤولين", "أحد المصادر": a quantity noun keeps its من phrase in the speaker
_QUANTIFIERS = {"عدد", "احد", "احدي", "واحد", "واحده", "بعض", "كثير", "مجموعه", "عشرات", "مئات", "الاف", "غالبيه",
                "معظم", "اغلب"}
# what a verb of saying sends, in the accusative: "ووجه نداء للشباب بأن ..." — never who speaks
_OBJECT_NOUNS = {"نداء", "نداءا", "نداءات", "رساله", "رسائل", "دعوه", "تحذيرا", "تحذيرات", "بيانا", "تصريحا",
                 "مناشده", "اتهاما", "اتهامات", "انتقادا", "انتقادات", "تهديدا", "تهديدات", "سؤالا", "وعدا",
                 "الانظار", "الانتباه", "النظر"}  # (لفت الأنظار إلى: drew attention to)
# a preposition with the pronoun of a relative clause's antecedent (التي طالبت بها)
_RESUMPTIVE = {"به", "بها", "بهم", "فيه", "فيها", "عنه", "عنها", "اليه", "اليها", "عليه", "عليها", "له", "لها", "منه",
               "منها"}
# cues that are statements only with an opener: بين (between), يبلغ من العمر, زاد (grew)
_NEEDS_OPENER = {"بين", "يبلغ", "تبلغ", "زاد", "زادت"}
# "بي بي سي عربي", "سي إن إن العربية": a medium's Arabic service is part of its name
_ARABIC_SERVICE = {"عربي", "العربيه", "عربيه"}
# "مؤسسة خيرية تابعة لوكالة رويترز": the لـ of whom something belongs to, not of an addressee
_AFFILIATED = {"تابع", "تابعه", "التابع", "التابعه", "مملوك", "مملوكه", "المملوكه", "تابعين", "تابعون"}
# "بيان صادر عن قصر كينغستون": who issued a document belongs to its name
_ISSUED = {"صادر", "الصادر", "صادره", "الصادره"}
# "المرصد السوري، ومقره بريطانيا،": an aside on where the speaker sits
_ASIDES = {"ومقره", "ومقرها", "ومقرهم", "مقره", "مقرها", "ومركزه", "ومركزها"}
_CONNECTORS = {"فيما", "ففيما", "وفيما", "بينما", "وبينما", "كما", "وكما", "فقد", "وقد", "قد", "ثم", "كذلك"}
_TEMPORAL = {"حينما", "عندما", "حين", "بعدما", "لما"}
# words that open a clause of their own inside a sentence: a subject before a verb starts after them
_CLAUSE_OPENERS = {"لكن", "ولكن", "بينما", "وبينما", "فيما", "وفيما", "حيث", "بعدما", "عندما", "حينما"}
# كان and its sisters: a verb before the subject of the verb of saying that follows
_KANA = {prefix + verb for verb in ("كان", "كانت", "ظل", "ظلت", "بات", "باتت", "اصبح", "اصبحت", "مازال", "مازالت",
                                    "لازال", "لازالت", "لايزال", "لاتزال")
         for prefix in ("", "و", "ف")}
# "قبل أن", "دون أن": after these أن opens no reported content
_NOT_OPENING = {"قبل", "بعد", "دون", "بدون", "منذ", "حتي", "لاجل", "اجل", "من"}
_MAX_NAME_WORDS = 5
# adjectives of titles and organisations besides the relative ones (-ي): الأمين العام، المؤسسة العامة
_TITLE_ADJECTIVES = {"العام", "العامه", "الاعلي", "الاول", "الاولي", "الدائم", "الدائمه", "المتحده", "الخاص",
                     "الخاصه", "المساعد", "المكلف", "المستقل", "المستقله", "الوطني", "الموحد", "العليا",
                     "الكبري", "العظمي", "السابق", "السابقه", "الاسبق", "الحالي", "الحاليه", "الجديد",
                     "الجديده", "المقبل", "المنتخب", "المنتخبه", "المؤقت", "المكلفه"}
# "وأوضح متحدثا لصحيفة واشنطن بوست": speaking, to whom follows; not a speaker
_SPEAKING = {"متحدثا", "متحدثه", "متحدثين", "متحدثون"}


@dataclass(slots=True)
class Token:
    text: str
    norm: str
    start: int
    end: int
    word: bool


@dataclass(slots=True)
class Region:
    """A quotation: marks at ``open`` (and ``close_end - 1``), inner tokens ``[inner_start, inner_end)``."""

    open: int
    inner_start: int
    inner_end: int
    close_end: int


@dataclass(slots=True)
class Statement:
    cue: Cue
    cue_token: int
    speaker: str = ""
    speaker_mention: str = ""
    speaker_type: str = "unknown"
    role: str = ""
    act: str = "say"
    type: str = "indirect"
    content: tuple[int, int] = (0, 0)  # token range
    content_chars: tuple[int, int] = (0, 0)  # offsets into raw
    via: list[dict] = field(default_factory=list)
    medium: str = ""
    gender: str = "m"
    carried: bool = False
    mention_chars: tuple[int, int] | None = None
    cue_text: str = ""
    cue_chars: tuple[int, int] = (0, 0)
    via_inherited: bool = False  # its via was copied from the statement it continues
    continues: Statement | None = None  # the statement a carried verb continues
    resolved_entity: str | None = None  # the entity (id) its speaker was resolved to


# khabar.normalize.TOKEN, but an underscore separates words: hashtags (#مجلس_الأمن) are names
_WORD_OR_MARK = re.compile(r"(?:[^\W_]+|[\u0640\u064B-\u065F\u0670]+)+|[^\w\s]")  # runs, not one letter per turn
class _Paragraph:
    def __init__(self, raw: str, span: Span, lexicon: Lexicon):
        self.raw = raw
        self.tokens = tokens = []
        append = tokens.append
        for m in _WORD_OR_MARK.finditer(raw, span.start, span.end):  # inlined: the hottest loop of the stage
            word = m.group()
            if word != "#":  # a hashtag's mark
                start, end = m.span()
                append(Token(word, normalize_word(word), start, end, word[0].isalnum() or word[0] == "_"))
        self.lexicon = lexicon
        self.regions = self._pair_quotes()
        self.quoted = [False] * len(self.tokens)
        self.region_at: dict[int, Region] = {}
        for region in self.regions:
            self.region_at[region.open] = region
            for k in range(region.open, region.close_end):
                self.quoted[k] = True
        self.ends = [t.text in SENTENCE_END and self._is_sentence_end(k) for k, t in enumerate(tokens)]
        self.token_ends = [t.end for t in self.tokens]
        # where the sentence holding each token ends and starts, computed once (a paragraph that
        # never ends a sentence must not be scanned again for every cue in it)
        n = len(self.tokens)
        self._next_end = [n] * (n + 1)
        for k in range(n - 1, -1, -1):
            self._next_end[k] = k if self.ends[k] and not self.quoted[k] else self._next_end[k + 1]
        self._start_of = [0] * (n + 1)
        for k in range(1, n + 1):
            self._start_of[k] = k if self.ends[k - 1] and not self.quoted[k - 1] else self._start_of[k - 1]

    # ----- quotation marks and sentences ---------------------------------------------------
    def _pair_quotes(self) -> list[Region]:
        tokens, regions, k = self.tokens, [], 0
        n = len(tokens)
        at: dict[str, list[int]] = {}  # each mark's positions: the next closer is found by bisection
        for j, token in enumerate(tokens):
            if len(token.text) == 1 and not token.word:
                at.setdefault(token.text, []).append(j)

        def next_of(marks, after: int) -> int | None:
            found = [positions[i] for positions in (at.get(m, ()) for m in marks)
                     for i in [bisect.bisect_right(positions, after)] if i < len(positions)]
            return min(found) if found else None

        while k < n:
            text = tokens[k].text
            if text == "(" and k + 1 < n and tokens[k + 1].text == "(":
                close = next((j for j in range(k + 2, n - 1) if tokens[j].text == ")" and tokens[j + 1].text == ")"), None)
                if close is not None:
                    regions.append(Region(k, k + 2, close, close + 2))
                    k = close + 2
                    continue
            if text in _OPENING_QUOTES and text != "»":
                closers = _OPENING_QUOTES[text]
                close = next_of(closers, k)
                if close is None and text == "«":
                    close = next_of("«", k)
                if close is None:  # unbalanced: the quote runs to the end of the paragraph
                    regions.append(Region(k, k + 1, n, n))
                    break
                if close > k + 1:
                    regions.append(Region(k, k + 1, close, close + 1))
                k = close + 1
                continue
            k += 1
        return regions

    def _is_sentence_end(self, k: int) -> bool:
        token = self.tokens[k]
        if token.text not in SENTENCE_END:
            return False
        if token.text == "." and k > 0 and k + 1 < len(self.tokens):
            before, after = self.tokens[k - 1], self.tokens[k + 1]
            if before.end == token.start and after.start == token.end:
                return False  # 91.54, د.ب.
            if before.end == token.start and len(before.text) == 1 and before.word:
                return False  # an initial: د. محمد
        return True

    def sentence_end(self, k: int) -> int:
        """Index of the first sentence end at or after ``k`` outside quotes (or len)."""
        return self._next_end[min(max(k, 0), len(self.tokens))]

    def sentence_start(self, k: int) -> int:
        return self._start_of[min(max(k, 0), len(self.tokens))]

    def chars(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            return (self.tokens[start].start, self.tokens[start].start) if start < len(self.tokens) else (0, 0)
        return self.tokens[start].start, self.tokens[end - 1].end

    def text(self, start: int, end: int) -> str:
        a, b = self.chars(start, end)
        return self.raw[a:b]

    def match(self, k: int, phrase: Phrase) -> int:
        """Length in tokens of ``phrase`` at ``k`` (0 if absent); words only, in order."""
        j = k
        for word in phrase:
            if j >= len(self.tokens) or self.tokens[j].norm != word:
                return 0
            if word == "علي" and _bare(self.tokens[j]) == "علي":
                return 0  # the name Ali, not the preposition على (one word once normalised)
            j += 1
        return j - k


# ----- the attribution zone ----------------------------------------------------------------

@dataclass(slots=True)
class _Zone:
    subject: tuple[int, int] | None = None
    via: list[dict] = field(default_factory=list)
    medium: str = ""


def _media_head(lexicon: Lexicon, norm: str) -> bool:
    bare = norm[2:] if norm.startswith("ال") else norm
    return norm in lexicon.media_nouns or bare in lexicon.media_nouns or any(
        phrase and phrase[0] == norm for phrase in lexicon.media_names)


def _medium_after_li(lexicon: Lexicon, norm: str) -> bool:
    """لوكالة، للصحيفة: ل and a medium's head noun in one word (لل is ل + ال)."""
    return _media_head(lexicon, "ال" + norm[2:] if norm.startswith("لل") else norm[1:])


def _read_name(p: _Paragraph, k: int, end: int, *, first_strip: int = 0) -> tuple[str, int]:
    """A relay's name starting at token ``k``: a quotation, or up to four words."""
    lexicon = p.lexicon
    if k < end and k in p.region_at:
        region = p.region_at[k]
        return p.text(region.inner_start, region.inner_end), region.close_end
    if k < end and p.tokens[k].text == "(":  # لـ(عكاظ)
        close = next((j for j in range(k + 1, min(end, k + 6)) if p.tokens[j].text == ")"), None)
        if close is not None and close > k + 1:
            return p.text(k + 1, close), close + 1
    if k + 1 < end and (k + 1) in p.region_at and _media_head(lexicon, p.tokens[k].norm[first_strip:]):
        region = p.region_at[k + 1]  # لصحيفة "لا ريبابليكا": the quoted name is the name
        return p.text(region.inner_start, region.inner_end), region.close_end
    j = k
    while j < end and j - k < 4:
        token = p.tokens[j]
        if j > k and _pronoun_object(token):
            break  # إذاعة الرياض بخطئه: the name ends before a prepositional phrase
        if (not token.word or token.norm in lexicon.time_words or token.norm in (
                "في", "خلال", "عبر", "من", "علي", "عن", "الي", "ان", "بان", "انه", "وهو", "وهي", "وهم")) \
                and not _inside_media_name(p, j):  # (وقالت للصحيفة وهي تبكي: a clause on the speaker)
            break  # (but سي إن إن is a name)
        if j > k and lexicon.cue(token.norm):
            break
        j += 1
    if j == k:
        return "", k
    if j < end and j > k and p.tokens[j].norm in _ARABIC_SERVICE and _inside_media_name(p, j - 1):
        j += 1  # بي بي سي عربي: a medium's Arabic service
    if j + 2 < end and p.tokens[j].text == "(":  # an alias after the name: وكالة الأنباء (ميديافاكس)
        close = next((i for i in range(j + 1, min(end, j + 5)) if p.tokens[i].text == ")"), None)
        if close is not None and close > j + 1:
            j = close + 1
    a, b = p.chars(k, j)
    if first_strip and p.tokens[k].norm.startswith("لل"):
        return "ال" + p.raw[a + 2:b], j  # للصحافيين: ل + الصحافيين
    return p.raw[a + first_strip:b], j


_PUBLISH_VERBS = {"نشر", "نشرت", "بث", "بثت", "اورد", "اوردت", "اذاع", "اذاعت"}
_PUBLISHED_NOUNS = {"تصريحا", "تصريحات", "حديثا", "مقابله", "حوارا", "لقاء", "تصريح", "حديث", "حوار"}


def _publisher_before(p: _Paragraph, k: int) -> str:
    """The medium that published what the speaker at token ``k`` said: "نشر موقع (فوكوس) الألماني
    تصريحا لرئيس النادي ...", "نشرت صحيفة الحياة حوارا مع الوزير ..."; empty when there is none."""
    tokens, start = p.tokens, max(p.sentence_start(k), k - 14)
    noun = next((j for j in range(k, max(start, k - 4) - 1, -1) if tokens[j].word and not p.quoted[j]
                 and tokens[j].norm in _PUBLISHED_NOUNS), None)
    if noun is None:
        return ""
    verb = next((j for j in range(noun - 1, max(start, noun - 8) - 1, -1)
                 if tokens[j].norm in _PUBLISH_VERBS or tokens[j].norm[1:] in _PUBLISH_VERBS and tokens[j].norm[0] in "وف"), None)
    if verb is None or verb + 1 >= noun:
        return ""
    return p.text(verb + 1, noun).strip(" ،,")


def _trailing_addressee(p: _Paragraph, start: int, end: int) -> tuple[int, str] | None:
    """``(token, name)`` of a medium told the statement, closing a verb's object: "أكد هذه الأخبار
    لوكالة الأنباء (ميديافاكس)", "نفى الخبر لصحيفة الحياة" — ل, a medium's head noun, its name, and
    nothing after it."""
    for j in range(start + 1, end):
        token = p.tokens[j]
        norm = token.norm
        if p.quoted[j] or not token.word or not norm.startswith("ل") or len(norm) < 4:
            continue
        if not _medium_after_li(p.lexicon, norm):
            continue
        name, stop = _read_name(p, j, end, first_strip=1)
        if name and not any(t.word for t in p.tokens[stop:end]):
            return j, name.strip("«»\"“”() ")
        return None
    return None


def _pronoun_object(token: Token) -> bool:
    """بخطئه، لهم، بدورها: a preposition, a noun and a pronoun in one word — never part of a name."""
    norm = token.norm
    return len(norm) > 3 and norm[0] in "بل" and not norm.startswith(("بال", "لل")) and norm.endswith(("ه", "ها", "هم"))


def _medium_at(p: _Paragraph, k: int, end: int) -> tuple[str, int]:
    """``(medium, tokens used)`` for "في بيان", "خلال إفادة صحفية أسبوعية", "عبر حسابه في تويتر"."""
    lexicon = p.lexicon
    for prep in lexicon.medium_prepositions:
        used = p.match(k, prep)
        if not used:
            continue
        j = k + used
        for noun in lexicon.medium_nouns:
            n = p.match(j, noun)
            if not n and j < end and p.tokens[j].norm.startswith("ال"):
                n = p.match(j, ("ال" + noun[0],) + noun[1:])  # في البيان
            if n:
                canonical = lexicon.medium_aliases.get(noun, " ".join(p.tokens[j + i].text for i in range(n)))
                if canonical.startswith("ال") and len(noun) == 1:
                    canonical = canonical[2:]  # the medium is named without the article: بيان
                stop = j + n
                while stop < end and p.tokens[stop].word and stop - j < n + 3 and not p.tokens[stop].norm.startswith("ل") \
                        and p.tokens[stop].norm not in ("ان", "بان", "انه") and not lexicon.cue(p.tokens[stop].norm):
                    stop += 1  # adjectives: أسبوعية، الرسمي
                return canonical, stop - k
    return "", 0


_POSSESSIVE = ("ها", "هم", "ه")
# a statement "that X published": في تصريح نشرته صحيفة X (normalised)
_PUBLISHED_BY = {"نشرته", "نشرتها", "بثته", "بثتها", "اوردته", "اوردتها", "نقلته", "نقلتها", "اذاعته", "اذاعتها"}
# "أجرته معه «الوطن»": an interview the outlet made with the speaker
_MADE_WITH = {"اجرته", "اجراه", "اجرتها", "اجرتهم", "اجراها", "اجروه"}


def _statement_noun(lexicon: Lexicon, norm: str) -> bool:
    """تصريح, تصريحاته, حديثها, مداخلته: a statement noun, bare or with a possessive."""
    if norm in lexicon.statement_nouns:
        return True
    return any(norm.endswith(suffix) and norm[:-len(suffix)] in lexicon.statement_nouns
               for suffix in _POSSESSIVE if len(norm) > len(suffix) + 2)


def _contact_noun(lexicon: Lexicon, tokens: list[Token], k: int, end: int) -> bool:
    return tokens[k].norm in ("في", "خلال") and k + 1 < end and _statement_noun(lexicon, tokens[k + 1].norm)


def _contact_at(p: _Paragraph, k: int, end: int) -> tuple[list[dict], str, int]:
    """``(relays, medium, tokens used)`` of "في تصريحات لـX", "في حديثه لـ«X»", "في مقابلة مع X",
    "في مداخلة عبر إذاعة X", "في اتصال هاتفي أجرته معه X" at ``k`` (a preposition and a statement
    noun); the relays are empty when the phrase names no addressee."""
    lexicon, tokens = p.lexicon, p.tokens
    medium = tokens[k + 1].text
    relays: list[dict] = []
    j = k + 2
    while j < end and j < k + 6:
        candidate = tokens[j]
        if candidate.norm in _MADE_WITH and j + 2 < end and tokens[j + 1].norm.startswith("مع"):
            name, stop = _read_name(p, j + 2, end)  # أجرته معه "الوطن"
            if name:
                relays.append({"name": name.strip("«»\"“” "), "relation": "told_to"})
                j = stop
            break
        if candidate.norm in _PUBLISHED_BY and j + 1 < end:
            name, stop = _read_name(p, j + 1, end)  # في تصريح بثته وكالة الأنباء الرسمية سبأ
            if name:
                relays.append({"name": name.strip("«»\"“” "), "relation": "published_in"})
                j = stop
            break
        if candidate.norm == "ل" or (candidate.norm.startswith("ل") and len(candidate.norm) > 2):
            strip = 0 if candidate.norm == "ل" else 1
            first = j + 1 if candidate.norm == "ل" else j
            name, stop = _read_name(p, first, end, first_strip=strip)
            if name:
                relays.append({"name": name.strip("«»\"“” "), "relation": "statement_to"})
                j = stop
            break
        if candidate.norm == "مع" or (candidate.norm in ("الي", "عبر") and j + 1 < end
                                      and _media_head(lexicon, tokens[j + 1].norm)):
            name, stop = _read_name(p, j + 1, end)  # مع X; إلى محطة X; عبر إذاعة X
            if name:
                relays.append({"name": name, "relation": "statement_to"})
                j = stop
            break
        if not candidate.word or lexicon.cue(candidate.norm):
            break
        j += 1
    return relays, medium, j - k


def _contact_before(p: _Paragraph, k: int) -> tuple[list[dict], str]:
    """A contact phrase earlier in the cue's sentence, outside quotes: "اعترف المقدم في مداخلة
    عبر إذاعة X بخطئه وقال: ..." — the statement reached X that way."""
    lexicon, tokens = p.lexicon, p.tokens
    for j in range(max(p.sentence_start(k), k - 2 * _MAX_ZONE), k - 1):
        if not p.quoted[j] and _contact_noun(lexicon, tokens, j, k):
            relays, medium, _ = _contact_at(p, j, k)
            if relays:
                return relays, medium
    return [], ""


def _person_in(p: _Paragraph, run: tuple[int, int], entities: list[Span]) -> bool:
    a, b = p.chars(*run)
    return any(e.label == "PERS" and a <= e.start and e.end <= b for e in entities)


# Places named after people: a person's name after these is part of the place's name.
_NAMED_PLACES = {"جامع", "مسجد", "شارع", "طريق", "حي", "مدينه", "جامعه", "مستشفي", "مطار", "ميناء", "قاعه",
                 "مركز", "مدرسه", "برج", "ملعب", "استاد", "قصر", "جسر", "ميدان", "كليه", "معهد", "مجمع"}


def _possessed_noun(p: _Paragraph, run: tuple[int, int], entities: list[Span]) -> bool:
    """A one-word phrase with an attached pronoun (إصراره، دعمها), which is no person's name."""
    words = [t for t in p.tokens[run[0]:run[1]] if t.word]
    if len(words) != 1:
        return False
    written = _bare(words[0])
    if written.endswith("الله") or written.startswith("ال") or _person_in(p, run, entities) \
            or words[0].norm.lstrip("وف") in _HONORIFIC_PRONOUNS:
        return False  # سماحته، معاليه: a person
    return written.endswith(("ه", "ها", "هم", "هما", "هن")) and len(written) > 3


def _inside_place_name(p: _Paragraph, entity: Span) -> bool:
    """مدينة الملك سعود، جامع الإمام تركي: the name is the place's, not a speaker's."""
    first = bisect.bisect_right(p.token_ends, entity.start)  # the tokens ending before the entity
    before = p.tokens[max(0, first - 3):first]
    return any(t.norm in _NAMED_PLACES or t.norm[1:] in _NAMED_PLACES for t in before if t.word)


def _named_after(p: _Paragraph, run: tuple[int, int]) -> bool:
    return any(p.tokens[k].norm in _NAMED_PLACES for k in range(*run))


def _analyse_zone(p: _Paragraph, start: int, end: int, skip: frozenset[int] = frozenset(),
                  entities: list[Span] = ()) -> _Zone:
    """Split the tokens between a cue and its content opener into subject, relays, medium."""
    lexicon, tokens = p.lexicon, p.tokens
    zone = _Zone()
    runs: list[tuple[int, int]] = []
    run_start = None
    k = start
    while k < end:
        token = tokens[k]
        used = 0
        if k in skip:
            used = 1
        elif token.text.startswith("لـ") and len(token.text) > 2:  # لـCNN
            name, stop = _read_name(p, k, end, first_strip=2)
            if name:
                zone.via.append({"name": name.strip("«»\"“” "), "relation": "told_to"})
                used = stop - k
        elif token.norm == "ل" and k + 1 < end:  # لـ«عكاظ», لـ X
            name, stop = _read_name(p, k + 1, end)
            if name:
                zone.via.append({"name": name.strip("«»\"“” "), "relation": "told_to"})
                used = stop - k
        elif token.word and token.norm.startswith("ل") and (named := next(
                (e for e in entities if e.start == token.start + 1 and e.label in ("PERS", "ORG")), None)) and (
                run_start is None or any(e.label == "PERS" and e.end == tokens[k - 1].end for e in entities)):
            # وأضاف لليبرمان: ل and a name the recogniser found after it — to whom it was said
            # (after a title it is the title's genitive: الأمين العام لأوبك)
            used = 1
            while k + used < end and tokens[k + used].end <= named.end:
                used += 1
            name_end = named.end
            if k + used < end and tokens[k + used].norm in _ARABIC_SERVICE:
                name_end = tokens[k + used].end  # بي بي سي عربي
                used += 1
            zone.via.append({"name": p.raw[named.start:name_end], "relation": "told_to"})
        elif token.word and token.norm.startswith("ل") and len(token.norm) > 2 \
                and tokens[k - 1].norm not in _AFFILIATED and _medium_after_li(lexicon, token.norm):
            name, stop = _read_name(p, k, end, first_strip=1)
            zone.via.append({"name": name, "relation": "told_to"})
            used = stop - k
        elif token.norm in ("الي", "للصحافيين", "للصحفيين") and token.norm != "الي" or (
                token.norm == "الي" and k + 1 < end and _media_head(lexicon, tokens[k + 1].norm)):
            first = k + 1 if token.norm == "الي" else k
            strip = 0 if token.norm == "الي" else 1
            name, stop = _read_name(p, first, end, first_strip=strip)
            zone.via.append({"name": name, "relation": "told_to"})
            used = stop - k
        elif token.norm == "بالقول" or (token.norm.startswith("ب") and (said := lexicon.cue(token.norm)) is not None
                                       and said.kind == "masdar"):
            used = 1  # "وتابعت الهيئة بالقول إن": "by saying" is the verb's manner, not its subject
        elif _contact_noun(lexicon, tokens, k, end):
            relays, medium, used = _contact_at(p, k, end)
            zone.medium = zone.medium or medium
            zone.via.extend(relays)
        else:
            medium, used = _medium_at(p, k, end)
            if used:
                zone.medium = zone.medium or medium
            elif (token.norm in lexicon.time_words and not _title_not_time(p, k, end)) or token.norm in _SPEAKING or (
                    token.text == "(" and k + 2 < end and tokens[k + 2].text == ")"):
                used = 3 if token.text == "(" else 1
                if token.norm == "يوم" and k + 1 < end:
                    used = 2
        if used:
            if run_start is not None:
                runs.append((run_start, k))
                run_start = None
            k += used
            continue
        if token.norm == "نقلا" and k + 1 < end and tokens[k + 1].norm == "عن" and (run_start is not None or runs):
            # "وأشار بيان حكومي نقلا عن محمد البسامي": the statement relays who comes after عن
            first = runs[0][0] if runs else run_start
            zone.via.append({"name": p.text(first, k).strip(" ،,"), "relation": "reported_by"})
            runs, run_start = [], None
            k += 2
            continue
        if (token.norm in _RELATIVES and (run_start is not None or runs)) or (
                token.norm in _OBJECT_NOUNS and run_start is not None):
            # the relative clause describes the subject (also after a comma): not part of it;
            # "مفتي السعودية نداء للشباب": what the verb sends ends the subject
            if run_start is not None:
                runs.append((run_start, k))
            run_start = None
            k += 1
            while k < end and tokens[k].text not in _CLAUSE_PUNCT:
                k += 1
            continue
        if token.word and _bare(token) in _PREPOSITIONS and run_start is not None \
                and tokens[k - 1].norm not in _ISSUED and tokens[k - 1].norm not in lexicon.role_nouns and tokens[k - 1].norm.lstrip("و") not in lexicon.role_nouns \
                and tokens[k - 1].norm not in _QUANTIFIERS:
            runs.append((run_start, k))
            run_start = None
            k = _skip_phrase(p, k, end, entities)
            continue
        if token.word or token.text in ".":
            if run_start is None:
                if token.norm in _NOT_SUBJECT or _bare(token) in _PREPOSITIONS:
                    k = _skip_phrase(p, k, end)
                    continue
                run_start = k
        elif token.text in _CLAUSE_PUNCT or token.text in ":()":
            if run_start is not None:  # runs split only by commas are rejoined by _joins
                runs.append((run_start, k))
                run_start = None
        k += 1
    if run_start is not None:
        runs.append((run_start, end))
    runs = [r for r in runs if any(tokens[i].word for i in range(*r)) and tokens[r[0]].norm not in _NOT_SUBJECT
            and tokens[r[0]].norm not in _OBJECT_NOUNS]
    people = [r for r in runs if _person_in(p, r, entities)]
    head = tokens[runs[0][0]].norm if runs else ""
    if people and people[0] != runs[0] and not _person_in(p, runs[0], entities) \
            and not _named_after(p, people[0]) and head not in lexicon.organization:
        # "المستشار الثقافي المصري في المملكة د. محمد عثمان الخشت": role, place, then the person
        # (but not "... في جامع الإمام تركي بن عبد الله": a name inside a place's name)
        zone.subject = (runs[0][0], people[0][1])
        return zone
    if runs:
        zone.subject = runs[0] if len(runs) == 1 else (runs[0][0], runs[-1][1]) if _joins(p, runs) else runs[0]
    return zone


def _indefinite_head(p: _Paragraph, k: int, *, organisations: bool = False) -> bool:
    """A role noun (or an organisation's head noun) in construct form (مدير، وزير، مجلس): what
    follows is its genitive."""
    if k >= len(p.tokens):
        return False
    norm = p.tokens[k].norm
    heads = p.lexicon.organization if organisations else p.lexicon.role_nouns
    return norm in heads and not norm.startswith("ال")


def _genitive_end(p: _Paragraph, k: int, end: int) -> int:
    """Where the genitive of a construct title starting at ``k`` ends: a definite noun, then its
    relative adjectives and لـ phrases (المرصد السوري لحقوق الإنسان، المنظمة الأوروبية للسلامة
    الجوية); ``k`` when no definite noun starts there."""
    tokens = p.tokens
    if k >= end or not tokens[k].norm.startswith("ال") or not tokens[k].word:
        return k
    return _title_tail(p, k + 1, end)


def _title_tail(p: _Paragraph, j: int, end: int) -> int:
    """Where the adjectives, لـ phrases, باسم and coordinated nouns that extend a title or an
    institution's name from ``j`` end."""
    tokens = p.tokens
    while j < end and tokens[j].word:
        norm = tokens[j].norm
        if _adjective(tokens[j]) or (
                norm.startswith("و") and (is_title_adjective(norm[1:]) or norm[1:] in _TITLE_ADJECTIVES)):
            j += 1  # السوري، العامة، التقني والمهني
        elif norm == "باسم" and j + 1 < end:  # المتحدث باسم وزارة الخارجية
            j += 1
            if j < end and tokens[j].norm in p.lexicon.organization and not tokens[j].norm.startswith("ال"):
                j += 1
            if j < end and tokens[j].norm.startswith("ال"):
                j += 1
        elif norm.startswith("ل") and len(norm) > 3 and j + 1 < end and tokens[j + 1].norm.startswith("ال"):
            j += 2  # للسلامة الجوية، لحقوق الإنسان (not للمشاركة في: a purpose)
        elif norm.startswith("لل") and len(norm) > 5:
            j += 1  # المفوضية العليا المستقلة للانتخابات
        elif norm.startswith("وال") and len(norm) > 4:
            j += 1  # وزير الموارد المائية والري والكهرباء: coordinated nouns of one title
        else:
            break
    return j


def _located_before_comma(p: _Paragraph, j: int, end: int) -> int:
    """The comma ending "في العراق،" (في and one or two words) at ``j``, else 0."""
    if p.tokens[j].norm != "في":
        return 0
    stop = next((i for i in range(j + 2, min(end, j + 4)) if not p.tokens[i].word), None)
    return stop if stop is not None and p.tokens[stop].text in _CLAUSE_PUNCT else 0


def _past_insertions(p: _Paragraph, subject: tuple[int, int], content_start: int, end: int,
                     entities: list[Span], zone: _Zone) -> tuple[tuple[int, int], int]:
    """The subject of a verb-first sentence may be followed, before the verb's object, by an
    abbreviation in brackets, the name in apposition and a day between commas: "ودعت المنظمة
    الأوروبية للسلامة الجوية (يوروكونترول)، الأربعاء، شركات الطيران ..."، "طالب وزير الخارجية
    الفرنسي، جان إيف لودريان، الجمعة، إيران ...". The name joins the subject; the rest is passed."""
    tokens, lexicon = p.tokens, p.lexicon
    j = content_start
    while j < end:
        region = p.region_at.get(j)
        if region is not None and j == subject[1] and region.close_end < end and 0 < sum(
                1 for t in tokens[region.inner_start:region.inner_end] if t.word) <= 3:
            j = region.close_end  # وكالة الأنباء السورية "سانا": a quoted alias
        elif tokens[j].norm in lexicon.time_words and j > content_start - 1 and tokens[j].word \
                and j + 1 < end and (tokens[j + 1].norm in _PREPOSITIONS or tokens[j + 1].norm in lexicon.time_words):
            j += 1  # ... "سانا" الخميس عن دخول: a day before the object's preposition
        elif j == subject[1] and (comma := _located_before_comma(p, j, end)):
            # المفوضية العليا للانتخابات في العراق، السبت، ...: where the subject is, then a comma
            j = comma
            subject = (subject[0], j)
        elif j == subject[1] and _indefinite_head(p, j) and (title_end := _genitive_end(p, j + 1, end)) > j + 1:
            # وزير الإدارة المحلية رئيس اللجنة العليا للإغاثة: a second title of the subject
            j = title_end
            subject = (subject[0], j)
        elif tokens[j].text == "(":
            close = next((i for i in range(j + 1, min(end, j + 6)) if tokens[i].text == ")"), None)
            if close is None:
                break
            j = close + 1
        elif tokens[j].text in _CLAUSE_PUNCT:
            nxt = j + 1
            stop = nxt
            while stop < min(end, nxt + 3) and tokens[stop].norm in lexicon.time_words:
                stop += 1
            if stop > nxt and stop < end and tokens[stop].text in _CLAUSE_PUNCT:
                j = stop  # ، الجمعة، / ، أمس الاثنين،
                continue
            if _contact_noun(lexicon, tokens, nxt, end):  # ، في تصريح لـ«الوطن»،
                relays, medium, used = _contact_at(p, nxt, end)
            else:
                medium, used = _medium_at(p, nxt, end)  # ، في بيان،
                relays = []
            if used and nxt + used < end and tokens[nxt + used].text in _CLAUSE_PUNCT:
                zone.via.extend(relays)
                zone.medium = zone.medium or medium
                j = nxt + used
                continue
            if nxt < end and tokens[nxt].norm in _RELATIVES:
                # "أشاد معهد نايت، الذي تولى تقديم الشكاوى، بالقرار": a clause on the subject
                close = next((i for i in range(nxt + 1, end) if tokens[i].text in _CLAUSE_PUNCT), None)
                if close is not None:
                    j = close
                    continue
            if nxt < end and tokens[nxt].norm in lexicon.role_nouns and subject[1] == j:
                # ، رئيس اتحاد القدم السعودي،: the subject's title in apposition
                close = next((i for i in range(nxt + 1, min(end, nxt + _TITLE_REACH))
                              if tokens[i].text in _CLAUSE_PUNCT or lexicon.cue(tokens[i].norm)), None)
                if close is not None and tokens[close].text in _CLAUSE_PUNCT:
                    subject = (subject[0], close)
                    j = close
                    continue
            person = next((e for e in entities if e.label == "PERS" and nxt < end and e.start == tokens[nxt].start), None)
            if person is None:
                j += 1
                break
            stop = nxt
            while stop < end and tokens[stop].end <= person.end:
                stop += 1
            if stop < end and tokens[stop].text in _CLAUSE_PUNCT:
                subject = (subject[0], stop)  # ، جان إيف لودريان،
                j = stop
                continue
            if stop < end and (tokens[stop].norm in _PREPOSITIONS or tokens[stop].norm in lexicon.time_words):
                subject = (subject[0], stop)  # "ناشد الرئيس التركي، رجب طيب أردوغان خلال تجمع ..."
                j = stop
            break
        else:
            break
    return subject, j


def _inside_media_name(p: _Paragraph, j: int) -> bool:
    """Token ``j`` is a word of a medium's name written in Arabic letters (سي إن إن)."""
    norm = p.tokens[j].norm
    for name in p.lexicon.media_names:
        if len(name) > 1 and norm in name:
            for offset, word in enumerate(name):
                if word == norm and j - offset >= 0 and p.match(j - offset, name):
                    return True
    return False


_TIME_MODIFIERS = {"الماضي", "الحالي", "المقبل", "الجاري", "المنصرم", "القادم"}


def _title_not_time(p: _Paragraph, k: int, end: int) -> bool:
    """العام after a title is part of it (المدعي العام، الأمين العام), the year only with its
    modifier (العام الماضي)."""
    token = p.tokens[k]
    if token.norm not in _TITLE_ADJECTIVES:
        return False
    return not (k + 1 < end and p.tokens[k + 1].norm in _TIME_MODIFIERS)


def _split_addressee(p: _Paragraph, zone: _Zone, entities: list[Span]) -> None:
    """After أبلغ/أخبر the subject is followed by whom it was told to: "أبلغ مسؤول أمريكي رويترز",
    "وأبلغ فاريلا، الصحفيين", "أبلغ ترامب ماكرون". The addressee starts at a media word, or is the
    last of two names; it becomes a told_to relay and leaves the subject."""
    tokens = p.tokens
    start, end = zone.subject
    split = next((i for i in range(start + 1, end) if tokens[i].word and (
        _media_head(p.lexicon, tokens[i].norm) or _possessed_title(p.lexicon, tokens[i].norm)
        or _oblique_plural(tokens[i].norm))), None)
    if split is None:
        names = [e for e in entities if e.label in ("PERS", "ORG")
                 and tokens[start].start <= e.start and e.end <= tokens[end - 1].end]
        if len(names) >= 2 and names[-1].start >= names[0].end and names[-1].end == tokens[end - 1].end:
            # the token holding the name's start (which may follow a clitic: ولرويترز)
            split = next(i for i in range(start, end) if tokens[i].end > names[-1].start)
            lexicon = p.lexicon  # the addressee's titles go with it: الرئيس الأمريكي دونالد ترامب
            while split - 1 > start and tokens[split - 1].start >= names[0].end and (
                    tokens[split - 1].norm in lexicon.role_nouns or tokens[split - 1].norm in lexicon.honorifics
                    or _adjective(tokens[split - 1])):
                split -= 1
    if split is None:
        person = next((e for e in entities if e.label == "PERS" and tokens[start].start <= e.start
                       and e.end < tokens[end - 1].end), None)
        if person is not None:
            after = next((i for i in range(start, end) if tokens[i].start >= person.end), None)
            if after is not None and all(tokens[i].word for i in range(after, end)) \
                    and not all(_adjective(tokens[i]) for i in range(after, end)):
                split = after  # "وأبلغ الرئيس رجب طيب إردوغان تجمعا انتخابيا أن": whom he told
    if split is None:
        return
    subject_end = split
    while subject_end > start and not tokens[subject_end - 1].word:
        subject_end -= 1  # "فاريلا، الصحفيين": the comma belongs to neither
    if subject_end == start:
        return
    name = p.raw[tokens[split].start:tokens[end - 1].end].strip("«»\"“”() ،,")
    zone.subject = (start, subject_end)
    zone.via.append({"name": name, "relation": "told_to"})


def _plural_verb(cue: Cue) -> bool:
    """هددوا، قالوا: a verb in the plural, which carries its subject (a noun after it is no subject)."""
    return cue.gender == "p" and cue.kind in ("past", "form")


def _plural_name(name: str) -> bool:
    """الحوثيون، مسؤولون أمريكيون، مصادر محلية: a speaker named in the plural."""
    words = normalize_arabic(name).split()
    if not words:
        return False
    head = words[0]  # (not بوتين، ياسين، الحسين، زيدون: names that end like plurals)
    return head in _PLURAL_HEADS or head.endswith(("يون", "يين")) or (
        head.startswith("ال") and head.endswith("ون") and len(head) > 5)


_PLURAL_HEADS = {"مصادر", "المصادر", "خبراء", "الخبراء", "محللون", "مسؤولون", "نشطاء", "ناشطون", "سكان", "شهود",
                 "اطباء", "الاطباء", "علماء", "العلماء", "باحثون", "الباحثون", "قاده", "القاده", "وزراء", "الوزراء"}


def _disagrees(cue: Cue, place: str) -> bool:
    """A masculine verb cannot have a feminine place for subject (وحذر كوريا الشمالية من ...: the
    country is the object); most countries and cities ending in ا or ة are feminine (حذرت روسيا)."""
    words = normalize_arabic(place).split()
    return cue.gender == "m" and bool(words) and words[0].endswith(("ا", "ه"))


def _oblique_plural(norm: str) -> bool:
    """مراسلين سنغافوريين، الصحفيين: a plural in the accusative — an object, never the subject."""
    return len(norm) > 5 and norm.endswith("يين") or norm in _AUDIENCE


_AUDIENCE = {"مراسلين", "المراسلين", "الصحفيين", "الصحافيين", "صحفيين", "صحافيين", "الحاضرين", "الحضور",
             "المشاركين", "الزوار"}


def _possessed_title(lexicon: Lexicon, norm: str) -> bool:
    """نظيره، نظيرتها، مستشاره: a title with a pronoun — someone of the subject's, not the subject."""
    for suffix in ("ها", "ه"):
        if norm.endswith(suffix) and len(norm) > len(suffix) + 2:
            stem = norm[:-len(suffix)]
            stem = stem[:-1] + "ه" if stem.endswith("ت") else stem  # نظيرت(ها) -> نظيره
            return stem in lexicon.role_nouns or stem.rstrip("ه") in lexicon.role_nouns
    return False


def _bare(token: Token) -> str:
    """The written word without diacritics (not letter-folded: على stays apart from علي)."""
    return strip_marks(token.text)


def _skip_phrase(p: _Paragraph, k: int, end: int, entities: list[Span] = ()) -> int:
    """Skip a prepositional phrase (to the next punctuation, relay or person's name) inside a zone:
    "المشرف على المعرض أحمد الجابري" — the name after the phrase is the subject's."""
    k += 1
    people = {e.start for e in entities if e.label == "PERS" and not _inside_place_name(p, e)}
    while k < end and p.tokens[k].word and p.tokens[k].norm != "ل" and not p.tokens[k].norm.startswith("لل") \
            and p.tokens[k].start not in people:
        k += 1
    return k


def _joins(p: _Paragraph, runs: list[tuple[int, int]]) -> bool:
    """Runs split only by commas form one speaker phrase (role، name)."""
    for (a_start, a_end), (b_start, b_end) in zip(runs, runs[1:]):
        between = [t.text for t in p.tokens[a_end:b_start]]
        if not between or any(t not in _CLAUSE_PUNCT for t in between) or p.tokens[b_start].norm in _QUANTIFIERS \
                or p.tokens[b_start].norm in _ASIDES:
            return False  # "الأميرة، واحدة من ...", "المرصد، ومقره بريطانيا،": a description, not the name
    return True


# ----- speaker phrases ---------------------------------------------------------------------

def _strip_discourse(p: _Paragraph, start: int, end: int) -> int:
    lexicon = p.lexicon
    moved = True
    while moved and start < end:
        moved = False
        for phrase in lexicon.discourse:
            used = p.match(start, phrase)
            if used:
                start += used
                while start < end and not p.tokens[start].word:
                    start += 1
                moved = True
                break
    return start


def _entity_in(entities: list[Span], a: int, b: int) -> Span | None:
    """The person named inside ``[a, b)``, else the first organisation: in "عضو مجلس الإدارة
    ... عبدالله الجعويني" the organisation belongs to the role."""
    inside = [e for e in entities if e.start >= a and e.end <= b and e.label in ("PERS", "ORG")]
    return next((e for e in inside if e.label == "PERS"), inside[0] if inside else None)


def _split_speaker(p: _Paragraph, start: int, end: int, entities: list[Span]) -> tuple[str, str, tuple[int, int]]:
    """``(name, role, name offsets)`` of a speaker phrase."""
    lexicon, tokens = p.lexicon, p.tokens
    while start < end and not tokens[start].word:
        start += 1
    if start + 1 < end and tokens[start].norm in ("نفس", "ذات") and tokens[start + 1].norm.startswith("ال"):
        start += 1  # "نفس المسؤول": the same official, named before
    while end > start and not tokens[end - 1].word and tokens[end - 1].text not in "»\"”":
        end -= 1
    if start >= end:
        return "", "", (0, 0)
    a, b = p.chars(start, end)
    entity = _entity_in([e for e in entities if a <= e.start and e.end <= b and not _inside_place_name(p, e)], a, b)
    governed = next((k for k in range(end - 1, start, -1) if tokens[k].end <= entity.start), None) \
        if entity is not None and entity.label == "PERS" else None
    while governed is not None and governed > start + 1 and (
            tokens[governed].norm in lexicon.role_nouns or tokens[governed].norm in lexicon.honorifics
            or _adjective(tokens[governed]) or tokens[governed].norm in ("العام", "العامه")):
        governed -= 1  # "من الأمين العام أنطونيو غوتيريش": the person's titles go with him
    if governed is not None and _bare(tokens[governed]) in _GOVERNING:
        if tokens[start].norm in lexicon.anonymous or not tokens[start].norm.startswith("ال"):
            # "مصدر مقرب من بوتين"، "مقربون من غول": an unnamed source, described
            return p.raw[a:b], "", (a, b)
        # "وطلب القرار من غوتيريش أن ...": whom it was asked of; the speaker is before من
        return _split_speaker(p, start, governed, [e for e in entities if e.end <= tokens[governed].start])
    if entity is not None and entity.label == "PERS":
        name_a, name_b = entity.start, min(entity.end, b)  # (not over an addressee: بوستاني لبي بي سي)
        before, after = p.raw[a:name_a].strip(" ،,"), p.raw[name_b:b].strip(" ،,")
        role = ", ".join(x for x in (before, after) if x)
        return p.raw[name_a:name_b], role, (name_a, name_b)
    words = list(range(start, end))
    honor = [k for k in words if tokens[k].norm in lexicon.honorifics]
    first = tokens[start].norm
    role_first = first in lexicon.role_nouns or first in lexicon.honorifics
    if role_first:
        # role ... [، honorific] NAME: the name follows the last honorific or comma
        cut = max([k for k in honor] + [k for k in words if tokens[k].text in _CLAUSE_PUNCT], default=None)
        if cut is not None and cut + 1 < end and not all(_adjective(tokens[k]) for k in range(cut + 1, end)) \
                and tokens[cut + 1].norm not in _QUANTIFIERS:  # "الأميرة، واحدة من ...": no name
            name_start = cut + 1
            name_end = min(end, name_start + _MAX_NAME_WORDS)
            role = p.text(start, cut + (1 if tokens[cut].norm in lexicon.honorifics else 0)).strip(" ،,")
            a2, b2 = p.chars(name_start, name_end)
            return p.raw[a2:b2], role, (a2, b2)
        if first in lexicon.anonymous and not first.startswith("ال"):
            return p.raw[a:b], "", (a, b)  # مسؤول أمريكي رفيع: an unnamed source, whole
        if 2 <= len(words) <= 5 and all(tokens[k].word for k in words) \
                and not any(tokens[k].norm in lexicon.organization for k in words[1:]):
            # الوزيرة هدى سالم, الوزير السعودي خالد العمر: a role noun and its adjectives, then a name
            name_start = start + 1
            while name_start < end and _adjective(tokens[name_start]):
                name_start += 1
            if name_start == end or tokens[name_start].norm.startswith("ل") or tokens[name_start].norm == "باسم" or (
                    name_start == start + 1 and not first.startswith("ال")):
                # المتحدث الرسمي، الأمين العام للأمم المتحدة، متحدث باسم الفاتيكان، وزيرة الأمن، ولي
                # عهد أبوظبي، ناشطة حقوقية: a role with its adjectives or its genitive (لـ، باسم; after an
                # indefinite role noun, whatever follows), no name
                return p.raw[a:b], "", (a, b)
            a2, b2 = p.chars(name_start, end)
            return p.raw[a2:b2], p.text(start, name_start), (a2, b2)
        return p.raw[a:b], "", (a, b)
    if first in lexicon.organization:
        return p.raw[a:b], "", (a, b)  # مكتب المدعي العام: an office, whole
    # NAME [role ...]: the role starts at the first role noun
    role_at = next((k for k in words[1:] if tokens[k].norm in lexicon.role_nouns), None)
    if role_at is not None:
        a2, b2 = p.chars(start, role_at)
        return p.raw[a2:b2].strip(" ،,"), p.text(role_at, end).strip(" ،,"), (a2, b2)
    return p.raw[a:b], "", (a, b)


def _adjective(token: Token) -> bool:
    return is_title_adjective(token.norm) or token.norm in _TITLE_ADJECTIVES


def _speaker_head(lexicon: Lexicon, head: str) -> bool:
    """A (normalised) first word that heads a speaker phrase, with or without the article: an
    institution, an unnamed source, a document, a medium, a title or an honorific."""
    bare = head[2:] if head.startswith("ال") else head
    return any(head in words or bare in words or "ال" + bare in words for words in (
        lexicon.organization, lexicon.anonymous, lexicon.document, lexicon.media_nouns, lexicon.role_nouns,
        lexicon.honorifics))


def _speaker_type(lexicon: Lexicon, mention: str, has_person_entity: bool) -> str:
    words = [w for w in normalize_arabic(mention).split() if w not in ("احد",)]
    if not words:
        return "unknown"
    head = words[0]
    if head in lexicon.document:
        return "document"
    if head in lexicon.anonymous and not has_person_entity:
        return "anonymous"
    if head in lexicon.organization or (head.startswith("ال") and head[2:] in lexicon.organization):
        return "organization"
    return "person"


# ----- the extractor -----------------------------------------------------------------------

class StatementExtractor:
    """``resolve=False`` keeps the speakers the rules read (what ``khabar train speakers``
    learns to correct)."""

    def __init__(self, lexicon: Lexicon | None = None, *, resolve: bool = True):
        self.lexicon = lexicon or load_lexicon()
        self._person_ends: dict[int, int] = {}  # where each person's name starts -> ends
        self.resolver = SpeakerResolver(self.lexicon) if resolve else None

    def extract(self, document: Document) -> list[Statement]:
        entities = document.layers.get("entities", [])
        self._person_ends = {e.start: e.end for e in entities if e.label == "PERS"}
        statements: list[Statement] = []
        starts = [e.start for e in entities]  # (the layer is sorted by start)
        for block in document.blocks(BODY):
            pieces = _pieces(document.raw, block)
            if len(pieces) > 1:
                document.warnings.append(f"a paragraph of {block.end - block.start:,} characters was read for "
                                         f"statements in {len(pieces)} pieces of at most {_MAX_PARAGRAPH:,}")
            for piece in pieces:
                p = _Paragraph(document.raw, piece, self.lexicon)
                local = entities[bisect.bisect_left(starts, piece.start):bisect.bisect_left(starts, piece.end)]
                found = self._paragraph(p, local, statements[-_HISTORY:])
                statements.extend(found)
        _canonical_speakers(statements)
        if self.resolver is not None:
            self.resolver.resolve(document, statements)
        for statement in statements:  # a relaying statement is named by its speaker as resolved
            for relay in statement.via:
                outer = relay.pop("_by", None)
                if outer is not None and outer.speaker:
                    relay["name"] = outer.speaker
                relay["name"] = _plain_name(relay["name"])
            statement.speaker = _plain_name(statement.speaker)
            # a relay is somebody else, named once: not the speaker, not twice in one chain
            seen = {normalize_arabic(statement.speaker)} if statement.speaker else set()
            kept = []
            for relay in statement.via:
                key = normalize_arabic(relay["name"])
                if relay["name"] and key not in seen:
                    seen.add(key)
                    kept.append(relay)
            statement.via = kept
            statement.speaker_mention = _plain_name(statement.speaker_mention)
            statement.role = _plain_name(statement.role)
        return statements

    # -- one paragraph -----------------------------------------------------------------------
    def _paragraph(self, p: _Paragraph, entities: list[Span], before: list[Statement]) -> list[Statement]:
        lexicon, tokens = self.lexicon, p.tokens
        candidates: list[tuple[int, Cue, int, int, str]] = []  # (cue index, cue, opener index, opener length, kind)
        pending_via: dict[int, list[dict]] = {}
        according: list[Statement] = []
        according_ends: dict[int, int] = {}
        consumed: set[int] = set()
        k = 0
        while k < len(tokens):
            token = tokens[k]
            if p.quoted[k] or not token.word or k in consumed:
                k += 1
                continue
            relay = self._according_to(p, k) if token.norm in _ACCORDING_FORMS else None
            if relay is not None:
                source, source_end = relay
                follow = source_end
                while follow < len(tokens) and (tokens[follow].text in _CLAUSE_PUNCT or tokens[follow].norm in ("فقد", "ف", "فان")):
                    follow += 1
                if follow < len(tokens) and lexicon.cue(tokens[follow].norm) and not p.ends[source_end - 1] \
                        and self._looks_like_source(p, k, source, entities):
                    # "وبحسب الألمانية، فقد ذكرت الهيئة ...": a relay of the next statement
                    pending_via[follow] = [{"name": source, "relation": "according_to"}]
                    k = follow
                    continue
                if self._looks_like_source(p, k, source, entities):
                    according.append(self._according_statement(p, k, source, source_end))
                    according_ends[k] = source_end
                    k = source_end
                    continue
            cue = lexicon.cue(token.norm)
            if cue is None and token.norm.lstrip("وف") in lexicon.report_verbs:
                report = self._report(p, k)
                if report is not None:
                    cue_index, opener, length, via = report
                    candidates.append((cue_index, lexicon.cue(tokens[cue_index].norm), opener, length, "relay"))
                    pending_via[cue_index] = via
                    consumed.add(cue_index)
                    k = cue_index + 1
                    continue
            if cue is None or (k > 0 and _bare(tokens[k - 1]) in _PREPOSITIONS | {"بناء"}):
                k += 1  # على طلب، في بيان: after a preposition the word is a noun
                continue
            if token.norm.lstrip("و") in ("يبلغ", "تبلغ") and k + 2 < len(tokens) and tokens[k + 1].norm == "من" \
                    and tokens[k + 2].norm == "العمر":
                k += 1  # "التي تبلغ من العمر 18 عاما": her age, not an announcement
                continue
            if token.norm == "بين" and not self._clause_start(p, k, cue):
                k += 1  # "جمعت بين الطفلين": بين is "between" unless it opens a clause
                continue
            found = self._find_opener(p, k, cue, consumed)
            if found is None and token.norm.lstrip("و") in _NEEDS_OPENER:
                k += 1  # بيّن، يبلغ، زاد speak only with their أن or colon: alone "between", "is aged", "grew"
                continue
            if found is not None and cue.kind == "participle" and found[0] - k > _PARTICIPLE_REACH:
                found = None  # "مطالبا الجهات ... بالقيام بدورها، خاصة أن ...": that أن is not its opener
            postposed = self._content_before(p, k, cue) if found is None else None
            if found is not None:
                candidates.append((k, cue, found[0], found[1], "cue"))
            elif postposed is not None:  # «...»، قال الوزير. / الحكومة لن تتراجع، يقول المتحدث.
                candidates.append((k, cue, postposed[0], postposed[1], "before"))
            elif cue.takes_object and token.norm not in _AMBIGUOUS and self._clause_start(p, k, cue):
                candidates.append((k, cue, -1, 0, "object"))
            k += 1

        # "وقال المسؤول، الذي طلب عدم نشر اسمه، إن ...": the opener is the outer verb's, not the
        # relative clause's
        candidates = [c for c in candidates if not (
            c[4] == "cue" and c[0] > 0 and tokens[c[0] - 1].norm in _RELATIVES
            and any(o == c[2] and i < c[0] for i, _, o, _, kind in candidates if kind == "cue"))]
        # "وذكر X، بحسب رويترز، أن ...": an according-to between a cue and its content is a relay
        for cue_index, _, opener, _, kind in candidates:
            for relay in [s for s in according if kind != "object" and cue_index < s.cue_token < opener]:
                according.remove(relay)
                pending_via.setdefault(cue_index, []).append({"name": relay.speaker, "relation": "according_to"})
                consumed.update(range(relay.cue_token, according_ends[relay.cue_token]))
        starts = sorted([c[0] for c in candidates] + [s.cue_token for s in according])
        statements: list[Statement] = []
        history = before
        for cue_index, cue, opener, length, kind in candidates:
            statement = self._build(p, cue_index, cue, opener, length, kind, starts, entities,
                                    history + statements, pending_via.get(cue_index), frozenset(consumed))
            if statement is not None:
                statements.append(statement)
        according = _trailing_relays(p, statements, according)
        statements = _nest(p, statements) + according
        statements.sort(key=lambda s: s.content_chars)
        return [s for s in statements if s.content_chars[1] > s.content_chars[0]]

    def _find_opener(self, p: _Paragraph, k: int, cue: Cue, consumed: set[int]) -> tuple[int, int] | None:
        tokens, lexicon = p.tokens, self.lexicon
        reach = _MAX_ZONE
        person_ends = self._person_ends
        if tokens[k].norm in _AMBIGUOUS and not (k + 1 < len(tokens) and tokens[k + 1].start in person_ends):
            reach = _MAX_ZONE_AMBIGUOUS  # "رأى فريديريك غابيزون ... أن": a person seeing is an opinion
        sentence_end = p.sentence_end(k + 1)
        limit = min(sentence_end, k + reach, len(tokens))
        openers = sorted(cue.openers, key=len, reverse=True)
        j = k + 1
        while j < limit:
            token = tokens[j]
            if token.start in person_ends and reach == _MAX_ZONE:
                # titles after a name run long: "الأمير خالد الفيصل مستشار خادم الحرمين الشريفين أمير
                # منطقة مكة المكرمة رئيس اللجنة الإشرافية لسوق عكاظ أن ..."
                after = next((i for i in range(j, len(tokens)) if tokens[i].end >= person_ends[token.start]), j)
                limit = min(sentence_end, len(tokens), max(limit, after + 1 + _AFTER_NAME_REACH))
            if j in p.region_at and not cue.only_openers and self._opens_content(p, k, j, cue):
                return j, 0
            if token.text == ":" and not cue.only_openers:
                return j, 1
            for phrase in openers:
                used = p.match(j, phrase)
                if used and tokens[j - 1].norm in _NOT_OPENING:
                    break  # قبل أن، بعد أن، دون أن: a conjunction of time or manner, no content
                if used and _inside_media_name(p, j):
                    break  # the إن of "سي إن إن"
                if used:
                    return j, used
                if len(phrase) == 1 and len(phrase[0]) == 1 and token.norm.startswith(phrase[0]) \
                        and len(token.norm) > 3 and j == k + 1:
                    return j, -1  # a clitic opener: مشيدا بالدور -> content starts inside the token
            if token.norm in _RELATIVES and not p.quoted[j] and j > k + 1 and (
                    tokens[j - 1].word or tokens[j - 1].text in _CLAUSE_PUNCT):
                # "قال X، الذي حضر الجلسة، إن ...": a relative clause on the subject ends at a comma
                comma = next((i for i in range(j + 1, limit) if tokens[i].text in _CLAUSE_PUNCT), None)
                if comma is None:
                    # "وقال المسؤول الذي طلب عدم نشر اسمه إن ...": without commas the clause ends
                    # where the cue's own opener comes, if its verb takes no opener of its own
                    return self._opener_past_clause(p, j, cue, openers, min(p.sentence_end(k + 1), limit + 12))
                # the clause is a parenthesis: it does not count against the reach
                limit = min(p.sentence_end(k + 1), limit + comma + 1 - j, len(tokens))
                j = comma + 1
                continue
            if not p.quoted[j] and _contact_noun(lexicon, tokens, j, limit):
                _, _, used = _contact_at(p, j, limit)  # "في اتصال هاتفي أجرته معه «الوطن»"
                limit = min(p.sentence_end(k + 1), limit + used, len(tokens))
                j += used
                continue
            if token.norm in _ZONE_BREAKERS and not p.quoted[j]:
                return None
            other = lexicon.cue(token.norm) if token.word else None
            if other is not None and other.only_openers and not any(p.match(j + 1, o) for o in other.openers):
                other = None  # "وقال هزازي عبر تغريدة": عبر is "via" here, not a verb
            if other is not None and (_bare(tokens[j - 1]) in _PREPOSITIONS or (
                    token.norm == "بين" and not self._clause_start(p, j, other))):
                other = None  # "واحدة من بين ثلاثين": after a preposition a noun; بين "between"
            if other is not None:
                if other.lemma == "قال" and other.kind == "participle" and j == k + 1:
                    consumed.add(j)  # صرح قائلا
                elif not p.quoted[j]:
                    return None
            j += 1
        return None

    def _opener_past_clause(self, p: _Paragraph, relative: int, cue: Cue, openers: list, limit: int):
        """The opener after a relative clause without commas, when the clause's verb does not
        take it itself: its verb is no cue, or a cue followed by its object (طلب عدم نشر اسمه)."""
        tokens = p.tokens
        for j in range(relative + 2, min(limit, len(tokens))):
            if p.quoted[j] or tokens[j].text in _CLAUSE_PUNCT:
                return None
            for phrase in openers:
                used = p.match(j, phrase)
                if used and tokens[j - 1].norm not in _NOT_OPENING:
                    verb = relative + 1
                    inner = self.lexicon.cue(tokens[verb].norm) if verb < len(tokens) else None
                    if inner is not None and j <= verb + 2:
                        return None  # "الذي أكد أن": the clause's own verb and its opener
                    return j, used
        return None

    def _content_before(self, p: _Paragraph, k: int, cue: Cue) -> tuple[int, int] | None:
        """``(start, end)`` tokens of the content when the attribution comes after it, closing its
        sentence: a quotation («نحن مستعدون للحوار»، قال الوزير) or, for a verb of saying with no
        object, the clause before a comma (الحكومة لن تتراجع، يقول المتحدث باسم الوزارة)."""
        tokens = p.tokens
        if cue.kind not in ("past", "present") or k < 2 or p.quoted[k]:
            return None
        sentence_end = p.sentence_end(k + 1)
        tail = [t for t in tokens[k + 1:sentence_end] if t.word]
        if not tail or len(tail) > 10 or any(self.lexicon.cue(t.norm) for t in tail):
            return None  # the attribution ends the sentence: its subject, a medium, a time
        j = k - 1
        comma = tokens[j].text in _CLAUSE_PUNCT
        if comma:
            j -= 1
        region = next((r for r in p.regions if r.close_end == j + 1), None)
        if region is not None and region.inner_end - region.inner_start >= 3:
            return region.inner_start, region.inner_end
        if not comma or cue.takes_object or p.quoted[j]:
            return None
        start = _strip_discourse(p, p.sentence_start(j), j)
        if sum(1 for t in tokens[start:j + 1] if t.word) < 4 or any(
                self.lexicon.cue(t.norm) for t in tokens[start:j + 1] if t.word):
            return None
        return start, j + 1

    def _clause_start(self, p: _Paragraph, k: int, cue: Cue) -> bool:
        """A cue without an opener is a statement only where a clause starts: after a sentence
        end or a comma, with a conjunction (ونفى), or after a relative pronoun in the past
        (الجماهير التي طالبت ...)."""
        token = p.tokens[k]
        if k == 0 or p.ends[k - 1] or p.tokens[k - 1].text in _CLAUSE_PUNCT:
            return True
        if p.tokens[k - 1].text == ":" and not p.quoted[k - 1] and not any(
                self.lexicon.cue(t.norm) for t in p.tokens[max(0, k - 6):k - 1] if t.word):
            return True  # a dateline's colon: "سبق- الرياض: كشفت المؤسسة ..." (not "قال: نفى ...")
        if token.norm != token.norm.lstrip("وف") and cue.kind != "masdar":
            return True
        if p.tokens[k - 1].norm in _CONNECTORS:
            return True  # فيما توقع ...
        return p.tokens[k - 1].norm in _RELATIVES and cue.kind == "past"

    def _opens_content(self, p: _Paragraph, k: int, j: int, cue: Cue) -> bool:
        """A quotation after a cue is its content, unless it is a name (لـ«عكاظ», صحيفة "الحياة")."""
        region = p.region_at[j]
        previous = p.tokens[j - 1]
        words = sum(1 for t in p.tokens[region.inner_start:region.inner_end] if t.word)
        after = region.close_end
        if words <= 5 and after < len(p.tokens) and (p.tokens[after].text == ":" or any(
                p.match(after, o) for o in self.lexicon.default_openers) or any(
                p.match(after, o) for o in cue.openers if len(o) > 1)):  # وأشارت "أس" إلى أن
            return False  # وأوضح "الجاسر" أن ...: a quoted name, then the content
        if j == k + 1 or previous.text == ":" or previous.norm in ("قائلا", "قائله", "قائلين"):
            return True
        if (previous.norm in _PREPOSITIONS or previous.norm == "باسم") and not any(
                o[0] == previous.norm for o in cue.openers):
            return False  # المسؤول في "إف بي آي": a name governed by a preposition, inside the subject
            # (but كشف عن «...»: the cue's own preposition opens its content)
        if previous.norm == "ل" or _media_head(self.lexicon, previous.norm) or previous.norm in self.lexicon.organization \
                or (previous.norm.startswith("ل") and _media_head(self.lexicon, previous.norm[1:])):
            return False  # لـ«عكاظ»، صحيفة "الحياة"، لمحطة "آر بي بي"
        return words >= 3

    def _according_to(self, p: _Paragraph, k: int) -> tuple[str, int] | None:
        tokens = p.tokens
        norm = tokens[k].norm
        # و is a conjunction (وبحسب) unless it is the word's own first letter (وفقا, ووفقا)
        bare = norm[1:] if norm.startswith("و") and len(norm) > 3 and norm not in ("وفقا", "وفق") else norm
        start = None
        if bare == "وفق" and k + 1 < len(tokens) and (tokens[k + 1].word or k + 1 in p.region_at):
            start, strip = k + 1, 0  # وفق عبد الرحمن، وفق "رويترز"
        elif bare in ("وفقا", "طبقا") and k + 1 < len(tokens):
            nxt = tokens[k + 1]
            if nxt.norm == "ل":
                start, strip = k + 2, 0
            elif nxt.norm == "لما":
                start, strip = k + 1, 0
            elif nxt.norm.startswith("ل") and len(nxt.norm) > 2:
                start, strip = k + 1, 1
        elif bare in ("بحسب", "حسب"):
            start, strip = k + 1, 0
        elif bare == "حسبما":
            start, strip = k, 0
        elif bare == "نقلا" and k + 1 < len(tokens) and tokens[k + 1].norm == "عن":
            start, strip = k + 2, 0
        if start is None or start >= len(tokens):
            return None
        if bare == "حسبما" or tokens[start].norm in ("ما", "لما"):
            # "وفق ما ذكرت رويترز"، "بحسب ما نقلت عنه يونهاب"، "حسبما أفادت وكالة ...": the source
            # follows the verb
            start = _source_after_verb(p, start + 1)
            if start is None:
                return None
        end = p.sentence_end(start)
        if start in p.region_at:
            region = p.region_at[start]
            return p.text(region.inner_start, region.inner_end), region.close_end
        j = start
        while j < end and j - start < 7:
            token = tokens[j]
            if not token.word or token.norm in ("فان", "فقد", "ان", "انه", "انها", "بان") or token.norm in _RELATIVES \
                    or (j > start and (self.lexicon.cue(token.norm) or token.norm in _CLAUSE_OPENERS
                                       or (token.norm in self.lexicon.time_words and not _title_not_time(p, j, end)))):
                # the source ends where a cue, the content's opener, a time (يوم الخميس) or a new
                # clause (حسب منظمات حقوقية لكن مكتب الوزيرة أوضح ...) starts
                break
            if j > start and token.norm in ("في", "علي", "من", "عن", "الي") and j - start >= 3:
                break
            j += 1
        if j == start:
            return None
        head = tokens[j - 1].norm[strip:] if j - 1 == start else tokens[j - 1].norm
        if j < end and j in p.region_at and j - start <= 2 and _media_head(self.lexicon, head):
            # "وفقا لصحيفة "الاقتصادية" السعودية": the medium's name in quotes, and its adjectives
            j = p.region_at[j].close_end
            while j < end and tokens[j].word and _adjective(tokens[j]):
                j += 1
        if j < end and tokens[j].text in ("،", ",") and bare != "نقلا" and (tokens[start].norm in self.lexicon.role_nouns
                                                        or tokens[start].norm in self.lexicon.honorifics):
            # "وحسب الأمين العام للفيدرالية، سرحان الطاهر سعدي، فإن": the name in apposition
            name_end = j + 1
            while name_end < end and tokens[name_end].word and name_end - j <= _MAX_NAME_WORDS:
                name_end += 1
            if name_end > j + 2 and name_end < end and name_end - j <= _MAX_NAME_WORDS and (
                    tokens[name_end].text in ("،", ",") or tokens[name_end].norm in ("فان", "فقد")):
                j = name_end
        a, b = p.chars(start, j)
        source = " ".join(re.sub(r"[«»\"“”]", " ", p.raw[a + strip:b]).split())  # (صحيفة "الاقتصادية")
        if strip and tokens[start].norm.startswith("لل"):
            return "ال" + source[1:], j  # وفقا للألمانية: ل + الألمانية
        return source, j

    def _looks_like_source(self, p: _Paragraph, k: int, source: str, entities: list[Span]) -> bool:
        """"بحسب وكالة ..." is a source; "حسب الاستطاعة", "بحسب معايير القبول" are not. After a
        reporting verb (وفق ما ذكرت ..., حسبما أفاد ...) whatever is named is."""
        lexicon, tokens = self.lexicon, p.tokens
        words = normalize_arabic(source).split()
        if not words:
            return False
        if tokens[k].norm.endswith("حسبما") or tokens[k + 1].norm in ("ما", "لما"):
            return True
        start = tokens[k + 1].start
        if any(start <= e.start <= start + 2 and e.label in ("PERS", "ORG") for e in entities):
            return True  # the source opens with a name (a clitic ل before it at most)
        if tokens[k].norm.lstrip("و") != "فق" and _speaker_head(lexicon, words[0]):
            return True  # (وفق + a noun is mostly "in keeping with": وفق برنامج التحول، وفق خطة)
        return any(tuple(words[:len(name)]) == name for name in lexicon.media_names)

    def _according_statement(self, p: _Paragraph, k: int, source: str, source_end: int) -> Statement:
        start = p.sentence_start(k)
        end = p.sentence_end(source_end)
        first = _strip_discourse(p, start, k)
        if first >= k:  # at the start of the sentence: what follows is the content
            content_start = source_end
            while content_start < end and (not p.tokens[content_start].word or p.tokens[content_start].norm in ("فان", "فقد", "ف")):
                content_start += 1
            content = (content_start, end)
        else:  # after the content: "...، حسبما ذكرت وكالة الأنباء الرسمية." ends it
            trailing = all(not t.word or t.norm in self.lexicon.time_words for t in p.tokens[source_end:end]) or (
                source_end < end and p.tokens[source_end].norm in _RELATIVES)  # بحسب الشرطة التي ...
            content = (first, k if trailing else end)
            while content[1] > content[0] and not p.tokens[content[1] - 1].word:
                content = (content[0], content[1] - 1)
        statement = Statement(cue=Cue("بحسب", "say", "m", "according", (), False), cue_token=k, act="say",
                              type="according_to", content=content, cue_text=p.tokens[k].text,
                              cue_chars=(p.tokens[k].start, p.tokens[k].end))
        reporter, _, reported = source.partition(" عن ")
        if reported.strip() and reporter.strip():  # بحسب ما نقلت وكالة رويترز عن مسؤول أمريكي
            source = reported.strip(" ،,")
            statement.via = [{"name": reporter.strip(" ،,"), "relation": "reported_by"}]
        role, comma, name = source.rpartition("،")
        if comma and role.split() and _speaker_head(self.lexicon, normalize_arabic(role.split()[0])):
            source, statement.role = name.strip(), role.strip()  # (a title, then the name in apposition)
        statement.speaker = statement.speaker_mention = source
        statement.speaker_type = _speaker_type(self.lexicon, source, False)
        statement.content_chars = p.chars(*content)
        return statement

    def _report(self, p: _Paragraph, k: int):
        """"نقلت وكالة X عن Y [قوله] إن ...": returns the cue (the masdar, else the verb),
        the opener, and the relay."""
        tokens = p.tokens
        end = min(p.sentence_end(k), k + _MAX_ZONE)
        an = next((j for j in range(k + 1, min(end, k + 10)) if tokens[j].norm == "عن"), None)
        if an is None or an == k + 1:
            return None
        reporter = p.text(k + 1, an).strip(" ،,")
        cue_index = next((j for j in range(an + 1, end) if self.lexicon.cue(tokens[j].norm)
                          and self.lexicon.cue(tokens[j].norm).kind == "masdar"), None)
        cue_index = cue_index if cue_index is not None else k
        found = self._find_opener(p, cue_index, self.lexicon.cue(tokens[cue_index].norm) or self.lexicon.cue("قال"), set())
        if found is None or self.lexicon.cue(tokens[cue_index].norm) is None:
            return None
        return cue_index, found[0], found[1], [{"name": reporter, "relation": "reported_by", "_speaker_from": an + 1}]

    # -- one statement -----------------------------------------------------------------------
    def _build(self, p: _Paragraph, k: int, cue: Cue, opener: int, length: int, kind: str, starts: list[int],
               entities: list[Span], history: list[Statement], via: list[dict] | None,
               consumed: frozenset[int]) -> Statement | None:
        tokens, lexicon = p.tokens, self.lexicon
        statement = Statement(cue=cue, cue_token=k, act=cue.act, gender=cue.gender,
                              cue_text=tokens[k].text, cue_chars=(tokens[k].start, tokens[k].end))
        sentence_end = p.sentence_end(k + 1)
        subject = self._subject_of_relative(p, k, entities)
        zone = _Zone()
        if kind == "relay":
            speaker_from = via[0].pop("_speaker_from")
            zone = _analyse_zone(p, speaker_from, k, entities=entities)
            subject = zone.subject
            zone.via = via + zone.via
            after = _analyse_zone(p, k + 1, opener)
            zone.medium = zone.medium or after.medium
            zone.via += after.via
        elif kind == "before":
            zone = _analyse_zone(p, k + 1, p.sentence_end(k + 1), entities=entities)
            subject = zone.subject
            statement.content = (opener, length)
            statement.type = "direct" if p.quoted[opener] else "indirect"
        elif kind == "object":
            # نفى محمد علوش، جملة الأخبار ...: the subject runs to a comma, or is carried
            comma = next((j for j in range(k + 1, min(sentence_end, k + 8)) if tokens[j].text in _CLAUSE_PUNCT), None)
            if cue.kind == "participle" or cue.kind == "masdar" or subject is not None or _plural_verb(cue):
                content_start = k + 1  # (a plural verb carries its subject: ودعوا المواطنين إلى ...)
                if _plural_verb(cue) and k + 2 < sentence_end and tokens[k + 1].norm in ("الي", "الى"):
                    content_start = k + 2  # "ودعوا إلى اتخاذ إجراءات": what they called for
            else:
                subject, content_start = self._object_subject(p, k, cue, entities, sentence_end)
                if subject is None and comma is not None:
                    zone = _analyse_zone(p, k + 1, comma, entities=entities)
                    subject = zone.subject
                    content_start = comma + 1 if subject is None else comma  # the comma: see _past_insertions
                    if subject is not None and not self._speaker_like(p, subject, entities):
                        # "كما ثمن زيارة أمين المدينة إلى هذه المواقع، ...": the object, the subject carried
                        subject, zone, content_start = None, _Zone(), k + 1
            if subject is not None and subject[0] == k + 1 and kind == "object":
                subject, content_start = _past_insertions(p, subject, content_start, sentence_end, entities, zone)
            if content_start + 1 < sentence_end and tokens[content_start].norm in _PREPOSITIONS \
                    and any(o[0] == tokens[content_start].norm for o in cue.openers):
                content_start += 1  # كشف عن قبول ...: what was revealed is the object of عن
            while content_start + 1 < sentence_end and tokens[content_start].norm in lexicon.time_words \
                    and not _title_not_time(p, content_start, sentence_end):
                content_start += 1  # هددت أيضا بتنفيذ ...: an adverb before the object
            if content_start >= len(tokens):
                return None  # the cue ends the text: nothing was said
            if k > 0 and tokens[content_start].norm in _RESUMPTIVE and tokens[k - 1].norm in _RELATIVES:
                return None  # "الإجراءات التي طالبت بها أنقرة": what was asked for is the antecedent
            statement.content = (content_start, self._content_end(p, content_start, starts))
            statement.type = "indirect"
            addressee = _trailing_addressee(p, *statement.content)
            if addressee is not None:  # أكد هذه الأخبار لوكالة الأنباء (ميديافاكس)
                statement.content = (statement.content[0], addressee[0])
                zone.via.append({"name": addressee[1], "relation": "told_to"})
        else:
            zone = _analyse_zone(p, k + 1, opener, consumed, entities)
            if _plural_verb(cue) and zone.subject is not None:
                # "قادة حوثيين هددوا شيوخ القبيلة بأنهم ...": a verb in the plural carries its subject
                # (before it, or a pronoun); a noun after it is its object
                zone.subject = None
            if cue.addressee and zone.subject is not None:
                _split_addressee(p, zone, entities)
            if cue.takes_object and zone.subject is not None and zone.subject[0] == k + 1 \
                    and any(e.start == tokens[k + 1].start for e in entities):
                # "ووصفت روسيا تقارير الهجوم بأنها ...": a named subject, then what the verb is about
                named, _ = self._object_subject(p, k, cue, entities, zone.subject[1])
                rest = p.chars(named[1], zone.subject[1]) if named is not None and named[1] < zone.subject[1] else None
                if rest is not None and self._object_after(p, named[1], entities) and not any(
                        e.label in ("PERS", "ORG") and rest[0] <= e.start < rest[1] for e in entities):
                    zone.subject = named  # (unless a name follows: شركة الطيران منخفض التكلفة فلاي دبي)
            if zone.subject is not None:
                a, b = p.chars(*zone.subject)
                if any(e.label == "LOC" and (e.start, e.end) == (a, b) for e in entities) \
                        and _disagrees(cue, p.raw[a:b]):
                    zone.subject = None  # وحذر كوريا الشمالية من: the country is the object
            if cue.kind != "participle":  # a participle's subject is always the one it continues
                subject = subject or zone.subject
        if via and kind != "relay":
            zone.via = via + zone.via
        if not zone.via and cue.kind != "participle":
            zone.via, medium = _contact_before(p, k)
            zone.medium = zone.medium or medium
        statement.via = [v for v in zone.via if v["name"].strip(" ،,.«»\"“”()")]
        statement.medium = zone.medium

        if kind not in ("object", "before") and not self._set_content(p, statement, opener, length, starts):
            return None
        if subject is None and cue.kind in ("past", "present") and tokens[k].norm in lexicon.cues:
            subject = self._subject_before(p, k)
        if subject is not None and _possessed_noun(p, subject, entities):
            subject = None  # "أكد إصراره على ...": his insistence is what he affirmed
        if subject is not None and not statement.via:
            publisher = _publisher_before(p, subject[0])
            if publisher:  # "نشر موقع فوكوس تصريحا لرئيس النادي الذي أعلن ..."
                statement.via = [{"name": publisher, "relation": "published_in"}]
        if subject is not None:
            name, role, mention_chars = _split_speaker(p, subject[0], subject[1], entities)
            if not name:
                subject = None
        if subject is None:
            self._inherit(statement, history, p, k, entities)
        else:
            statement.speaker = statement.speaker_mention = name
            statement.role = role
            statement.mention_chars = mention_chars
            inside = [e for e in entities if e.start >= mention_chars[0] and e.end <= mention_chars[1]]
            has_person = any(e.label == "PERS" for e in inside)
            statement.speaker_type = _speaker_type(lexicon, name, has_person)
            if not has_person and inside and all(e.label == "LOC" for e in inside):
                statement.speaker_type = "organization"  # a country or capital speaking for its state
            self._resolve_reference(statement, history)
        if statement.content_chars == (0, 0):
            statement.content_chars = p.chars(*statement.content)
        return statement

    def _speaker_like(self, p: _Paragraph, run: tuple[int, int], entities: list[Span]) -> bool:
        """A phrase that can name who speaks: a person or organisation named, or headed by a
        title, an institution, a document or an unnamed source (not زيارة, not الأمر)."""
        a, b = p.chars(*run)
        first = next((t for t in p.tokens[run[0]:run[1]] if t.word), None)
        if not entities or any(e.label in ("PERS", "ORG") and a <= e.start < b
                               and (first is None or e.start < first.end) for e in entities):
            return True  # (without a recogniser, a name cannot be told from a noun: trust the comma)
            # — a name that opens the phrase: in "بإغلاق قسم الشرطة" the institution is the object's
        head = first.norm if first is not None else ""
        return _speaker_head(self.lexicon, head) or head in _HONORIFIC_PRONOUNS

    def _object_after(self, p: _Paragraph, j: int, entities: list[Span]) -> bool:
        """Whether the word after a named subject starts the verb's object (تقارير، أي، ما) rather
        than going on with the subject: a definite adjective or noun, a conjunction, a preposition,
        a title or another name."""
        token = p.tokens[j]
        if not token.word:
            return False
        norm = token.norm
        return not (norm.startswith(("ال", "و", "ب", "ل", "ف")) or norm in self.lexicon.role_nouns
                    or norm in self.lexicon.honorifics or any(e.start == token.start for e in entities))

    def _object_subject(self, p: _Paragraph, k: int, cue: Cue, entities: list[Span],
                        sentence_end: int) -> tuple[tuple[int, int] | None, int]:
        """``(subject, content start)`` of a verb-first sentence whose content is the verb's object:
        titles and a name (ودعا العقيد محمد السعد ...), a named entity, a construct title (مدير
        المرصد السوري لحقوق الإنسان ...) or a definite noun and its adjectives (الشرطة الهندية)."""
        tokens, lexicon = p.tokens, self.lexicon
        first = k + 1  # titles before the name belong to the subject
        while first < min(len(tokens), k + 4) and (tokens[first].norm in lexicon.honorifics
                                                   or tokens[first].norm in lexicon.role_nouns):
            first += 1
        titled = self._titled_subject(p, k, entities, sentence_end) or self._lineage_subject(p, k, sentence_end)
        if titled is not None:
            return (k + 1, titled), titled
        entity = next((e for e in entities if first < len(tokens) and e.start == tokens[first].start
                       and (e.label in ("PERS", "ORG") or (e.label == "LOC" and first == k + 1
                                                            and not _disagrees(cue, p.raw[e.start:e.end])))), None)
        if entity is not None:
            j = first
            while j < len(tokens) and tokens[j].end <= entity.end:
                j += 1
            if entity.label != "LOC":  # مكتب التحقيقات الفدرالي الأمريكي، الموارد المائية والري:
                j = _title_tail(p, j, sentence_end)  # the recogniser's name stops before the rest
            if entity.label == "LOC":  # وتتهم موسكو ودمشق ...: capitals and countries speak for their states
                while j < sentence_end and tokens[j].norm.startswith("و") and any(
                        e.label == "LOC" and e.start in (tokens[j].start, tokens[j].start + 1) for e in entities):
                    stop = next(e.end for e in entities if e.label == "LOC" and e.start in (tokens[j].start,
                                                                                          tokens[j].start + 1))
                    while j < len(tokens) and tokens[j].end <= stop:
                        j += 1
            return (k + 1, j), j
        if cue.kind == "participle":
            return None, k + 1
        if first > k + 1 and _indefinite_head(p, first - 1) or _indefinite_head(p, k + 1, organisations=True):
            first = max(first, k + 2)  # مدير المرصد السوري لحقوق الإنسان، مجلس الأمن الدولي
            j = _genitive_end(p, first, sentence_end)
            return ((k + 1, j), j) if j > first else (None, k + 1)
        if k + 1 < len(tokens) and tokens[k + 1].norm.startswith("ال"):
            j = _genitive_end(p, k + 1, sentence_end)  # المنظمة الأوروبية للسلامة الجوية
            return (k + 1, j), j
        if k + 1 < len(tokens) and (tokens[k + 1].norm in lexicon.anonymous or tokens[k + 1].norm in lexicon.document):
            j = k + 2  # ودعت جماعات حقوقية إلى ...، واتهمت تقارير دولية: an unnamed source and its adjectives
            while j < sentence_end and tokens[j].word and tokens[j].norm.endswith(("ي", "يه", "يون", "يين")) \
                    and not tokens[j].norm.startswith("ال") and j < k + 4:
                j += 1
            return (k + 1, j), j
        return None, k + 1

    def _lineage_subject(self, p: _Paragraph, k: int, sentence_end: int) -> int | None:
        """Where a title and a name of lineage end at a comma, when the recogniser missed the name:
        "وصفت الشيخة موزا بنت ناصر، والدة أمير قطر، ..." (the name holds بن/بنت, so it is one)."""
        tokens, lexicon = p.tokens, self.lexicon
        start = k + 1
        if start + 2 >= sentence_end or not (tokens[start].norm in lexicon.honorifics or tokens[start].norm in lexicon.role_nouns):
            return None
        if tokens[start + 1].norm.startswith("ال") or not tokens[start + 1].word:
            return None
        comma = next((j for j in range(start + 2, min(sentence_end, start + 7)) if not tokens[j].word), None)
        if comma is None or tokens[comma].text not in _CLAUSE_PUNCT:
            return None
        if not any(tokens[j].norm in ("بن", "بنت", "ابن", "ابو", "ال") for j in range(start + 2, comma)):
            return None
        return comma

    def _titled_subject(self, p: _Paragraph, k: int, entities: list[Span], sentence_end: int) -> int | None:
        """Where the subject of a verb-first sentence ends when a title runs before the name:
        ``نفى المتحدث باسم وزارة الداخلية اللواء منصور التركي صحة ...``, ``ندد الرئيس التركي رجب
        طيب أردوغان بالهجوم``. The subject opens with a role noun or honorific, runs over words a
        title is made of (definite nouns and adjectives, باسم, names of organisations and places)
        and ends with a person's name; None when the words before a name are not a title."""
        tokens, lexicon = p.tokens, self.lexicon
        start = k + 1
        if start >= len(tokens) or not (tokens[start].norm in lexicon.role_nouns
                                        or tokens[start].norm in lexicon.honorifics):
            return None
        limit = min(sentence_end, start + _TITLE_REACH, len(tokens))
        j = start
        while j < limit:
            token = tokens[j]
            if token.text in _CLAUSE_PUNCT or p.quoted[j]:
                return None
            entity = next((e for e in entities if e.start == token.start), None) or next(
                (e for e in entities if e.start == token.start + 1 and e.label in ("ORG", "LOC")
                 and token.norm[:1] in ("ب", "ل")), None)  # بأمانة منطقة الرياض: a clitic, then the name
            if entity is not None and entity.label == "PERS" and j > start:
                end = j
                while end < len(tokens) and tokens[end].end <= entity.end:
                    end += 1
                return end
            if entity is not None and entity.label in ("ORG", "LOC"):  # باسم وزارة الداخلية
                while j < len(tokens) and tokens[j].end <= entity.end:
                    j += 1
                continue
            title_word = (token.norm in lexicon.role_nouns or token.norm in lexicon.honorifics
                          or token.norm in _TITLE_LINKS or token.norm.startswith(("ال", "وال"))
                          or (token.norm[:1] in ("ب", "ل") and token.norm[1:] in lexicon.organization)
                          or token.norm in lexicon.organization)  # رئيس مجلس الوزراء، دولة الإمارات
            if not title_word or lexicon.cue(token.norm) is not None:
                return None
            j += 1
        return None

    def _set_content(self, p: _Paragraph, statement: Statement, opener: int, length: int, starts: list[int]) -> bool:
        tokens = p.tokens
        if length == -1:  # clitic opener (بالدور)
            end = self._content_end(p, opener, starts)
            statement.content = (opener, end)
            statement.content_chars = (tokens[opener].start + 1, tokens[end - 1].end)
            statement.type = "indirect"
            return True
        start = opener + length
        if length and tokens[opener].text == ":" and start < len(tokens):
            for phrase in sorted(self.lexicon.default_openers, key=len, reverse=True):
                used = p.match(start, phrase)
                if used:
                    start += used
                    break
        if start in p.region_at:
            region = p.region_at[start]
            after = region.close_end
            while after < len(tokens) and not tokens[after].word and not p.ends[after] and after not in p.region_at:
                after += 1
            if after >= len(tokens) or p.ends[after] or (after > region.close_end and self._next_statement_at(p, after, starts)):
                statement.content = (region.inner_start, region.inner_end)
                statement.type = "direct"
                return region.inner_end > region.inner_start
        end = self._content_end(p, start, starts)
        if end <= start:
            return False
        statement.content = (start, end)
        inner = any(r.open >= start and r.open < end for r in p.regions)
        statement.type = "direct" if tokens[opener].text == ":" and not inner and length == 1 else (
            "mixed" if inner else "indirect")
        return True

    def _next_statement_at(self, p: _Paragraph, k: int, starts: list[int]) -> bool:
        while k < len(p.tokens) and (not p.tokens[k].word or p.tokens[k].text in _CLAUSE_PUNCT):
            k += 1
        return k in starts

    def _content_end(self, p: _Paragraph, start: int, starts: list[int]) -> int:
        tokens = p.tokens
        end = p.sentence_end(start)
        nxt = next((s for s in starts if start < s < end), None)
        if nxt is not None:
            end = nxt
        for j in range(start + 1, end - 1):
            if tokens[j].text in _CLAUSE_PUNCT and not p.quoted[j] and tokens[j + 1].norm in _CLAUSE_BREAKS:
                end = j
                break
        while end > start and (not tokens[end - 1].word and tokens[end - 1].text not in "»”\")"
                               or tokens[end - 1].norm in _TRAILING):
            end -= 1
        return end

    def _subject_of_relative(self, p: _Paragraph, k: int, entities: list[Span]) -> tuple[int, int] | None:
        """``الجماهير السعودية التي طالبت``: the antecedent; ``بينيتيز ... حينما صرح``: the
        nearest person named before in the sentence."""
        if k == 0:
            return None
        before = p.tokens[k - 1].norm
        if before in _RELATIVES and k + 1 < len(p.tokens) and p.tokens[k + 1].norm in _RESUMPTIVE:
            return None  # "الإجراءات التي طالبت بها أنقرة"، "كلمة قال فيها": the antecedent is no subject
        if before in _RELATIVES:
            start = k - 1
            while start > 0 and k - 1 - start < 4 and p.tokens[start - 1].word \
                    and _bare(p.tokens[start - 1]) not in _PREPOSITIONS and p.tokens[start - 1].norm not in _NOT_SUBJECT \
                    and not p.lexicon.cue(p.tokens[start - 1].norm):
                start -= 1
            return (start, k - 1) if start < k - 1 else None
        if before in _TEMPORAL:
            sentence_start = p.sentence_start(k)
            people = [e for e in entities if e.label == "PERS" and p.tokens[sentence_start].start <= e.start
                      and e.end <= p.tokens[k].start]
            if people:
                target = people[-1]
                first = next(i for i, t in enumerate(p.tokens) if t.start >= target.start)
                last = next(i for i, t in enumerate(p.tokens) if t.end >= target.end)
                return (first, last + 1)
            # no NER: the last titled person before (المدرب خالد العمر الذي ... حينما صرح)
            lexicon = p.lexicon
            titled = [i for i in range(sentence_start, k - 1)
                      if p.tokens[i].norm in lexicon.role_nouns or p.tokens[i].norm in lexicon.honorifics]
            if titled:
                end = titled[-1] + 1
                while end < k - 1 and end - titled[-1] <= _MAX_NAME_WORDS and p.tokens[end].word \
                        and p.tokens[end].norm not in _RELATIVES and p.tokens[end].norm not in _TEMPORAL:
                    end += 1
                return (titled[-1], end)
        return None

    def _issued_text(self, norm: str) -> bool:
        """An indefinite noun of a text someone issues (بيانا، تغريدة، رسالة، كلمة)."""
        bare = norm[:-1] if norm.endswith("ا") else norm
        return not bare.startswith("ال") and (bare in self.lexicon.document or bare in self.lexicon.statement_nouns
                                              or bare in _ISSUED_TEXTS)

    def _subject_before(self, p: _Paragraph, k: int) -> tuple[int, int] | None:
        """``محمد علوش القيادي في جماعة جيش الإسلام قال``: the subject stands before the verb."""
        while k > 1 and p.tokens[k - 1].norm in ("قد", "لقد"):
            k -= 1  # "وكان الوزير، جيرار كولوم، قد قال": the particle is no subject
        start = k
        if start > 1 and p.tokens[start - 1].text in _CLAUSE_PUNCT:
            start -= 1  # "وكان مساعد الوزير حسين عبد اللهيان، أكد أن": a comma before the verb
        while start > 0 and not (p.ends[start - 1] and not p.quoted[start - 1]) \
                and p.tokens[start - 1].text not in _CLAUSE_PUNCT and p.tokens[start - 1].text != ":" \
                and k - start < 12:
            start -= 1
        if k - start >= 12 and start > 0:
            return None  # no clause boundary within reach: a clause of its own, not a subject
        start = _strip_discourse(p, start, k)
        end = k - 1 if p.tokens[k - 1].text in _CLAUSE_PUNCT else k
        # "حسب منظمات حقوقية لكن مكتب الوزيرة أوضح": a conjunction opens the verb's own clause;
        # "ظلت الحكومة تقول"، "بعدما كانت قد أعلنت": كان and its sisters are no subject
        start = max([start] + [j + 1 for j in range(start, end) if p.tokens[j].norm in _CLAUSE_OPENERS])
        while start < end and p.tokens[start].norm in _KANA:
            start += 1
        if start >= end or any(p.quoted[j] for j in range(start, end)) or p.tokens[end - 1].norm in _RELATIVES \
                or p.tokens[end - 1].norm in _CONNECTORS or "\u064b" in p.tokens[end - 1].text:
            # a relative clause's verb, a connector (يتمركز الحزب في قنديل كما هددت) or an
            # accusative with tanween (وبث التلفزيون نقلاً مباشراً قال): no subject before the verb
            return None
        opener = max((j for j in range(start, end) if p.tokens[j].norm in ("ان", "بان", "فان")), default=None)
        if opener is not None and opener + 1 < end:
            start = opener + 1  # "أفاد البيان أن سمو الأمير قال ...": the subject of the reported clause
        if k + 1 < len(p.tokens) and p.tokens[k + 1].norm in ("فيه", "فيها") and p.tokens[start].norm in _ISSUING_VERBS:
            # "وأصدرت لجنة الانضباط بيانا قالت فيه": verb, subject, then the text it issued; the
            # speaker is the subject
            issued = next((j for j in range(start + 2, end) if self._issued_text(p.tokens[j].norm)), None)
            if issued is not None:
                start, end = start + 1, issued
        if self.lexicon.cue(p.tokens[start].norm) or p.tokens[start].norm in ("ان", "انه", "الذي", "التي"):
            return None
        return (start, end)

    def _inherit(self, statement: Statement, history: list[Statement], p: _Paragraph, k: int,
                 entities: list[Span]) -> None:
        statement.carried = True
        if statement.gender == "p":  # وقالوا: a plural speaker (a plural verb agrees in number)
            source = next((s for s in reversed(history) if s.speaker and _plural_name(s.speaker)), None)
        else:
            source = next((s for s in reversed(history) if s.speaker and s.gender == statement.gender), None)
        if source is None and statement.gender == "f":
            # organisations take feminine verbs: "أصدرت وزارة الداخلية بيانا ... وتحذر الوزارة"
            before = p.tokens[k].start
            organisation = next((e for e in reversed(entities) if e.label == "ORG" and e.end <= before), None)
            if organisation is not None:
                statement.speaker = organisation.attrs.get("canonical") or p.raw[organisation.start:organisation.end]
                statement.speaker_type = "organization"
                return
        if source is None and statement.gender != "p":
            source = next((s for s in reversed(history) if s.speaker), None)
        if source is None:  # (a plural verb with no plural speaker before: unknown, not a guess)
            statement.speaker_type = "unknown"
            return
        statement.speaker, statement.speaker_type, statement.gender = source.speaker, source.speaker_type, source.gender
        statement.continues = source
        if not statement.via:
            statement.via = [dict(v) for v in source.via]
            statement.via_inherited = True
        statement.medium = statement.medium or source.medium

    def _resolve_reference(self, statement: Statement, history: list[Statement]) -> None:
        """"وأضاف البيان"، "وأضافت المصادر"، "الوزير": a definite noun pointing to an earlier speaker."""
        words = normalize_arabic(statement.speaker).split()
        lexicon = self.lexicon
        if len(words) == 1 and (words[0] in _HONORIFIC_PRONOUNS or words[0] in lexicon.honorifics):
            # سموه، معاليه، الدكتور alone: the person the article is about, named before —
            # preferably with the same honorific (سماحته: سماحة المفتي)
            people = [s for s in reversed(history) if s.speaker_type == "person" and s.speaker
                      and normalize_arabic(s.speaker) != words[0]]
            honorific = _honorific_of(words[0])
            earlier = next((s for s in people if honorific and honorific in
                            normalize_arabic(f"{s.speaker_mention} {s.role}").split()), None)
            earlier = earlier or next(iter(people), None)
            if earlier is not None:
                statement.speaker, statement.speaker_type = earlier.speaker, "person"
            return
        generic = lexicon.document | lexicon.organization | lexicon.anonymous | lexicon.role_nouns
        if len(words) != 1 or not words[0].startswith("ال") or len(words[0]) < 4 or words[0] not in generic:
            return  # a family name (الجاسر) is not a reference to an earlier speaker
        stem = words[0][2:]
        institution = words[0] in lexicon.organization
        for earlier in reversed(history):
            if not earlier.speaker or earlier.speaker == statement.speaker:
                continue
            if institution and earlier.speaker_type == "person":
                continue  # "وقالت الشرطة" is not the officer "المسؤول عن القضية بمركز الشرطة"
            fields = " ".join(normalize_arabic(x) for x in (earlier.speaker, earlier.role, earlier.medium))
            if stem in fields.replace("ال", " ").split() or stem in fields.split() or words[0] in fields.split():
                statement.speaker = earlier.speaker
                if statement.speaker_type != "document":
                    statement.speaker_type = earlier.speaker_type
                statement.medium = statement.medium or earlier.medium
                if not statement.via:
                    statement.via = [dict(v) for v in earlier.via]
                return


def _trailing_relays(p: _Paragraph, statements: list[Statement], according: list[Statement]) -> list[Statement]:
    """"وقال الوزير إن ...، بحسب ما أوردت وكالة فرانس برس": an according-to right after a
    statement's content, in its sentence, is how that statement reached the article — a relay
    of it (and of the statements that continue it), not a statement of its own. Returns the
    according-to statements left."""
    left = []
    for relay in according:
        k = relay.cue_token
        target = next((s for s in statements if s.content[1] <= k and s.content[1] > s.content[0]
                       and all(not t.word for t in p.tokens[s.content[1]:k])
                       and p.sentence_start(k) <= s.content[0]), None)
        if target is None:
            left.append(relay)
            continue
        link = {"name": relay.speaker, "relation": "according_to"}
        for statement in statements:
            if statement is target or (statement.continues is target and statement.via_inherited):
                statement.via.append(dict(link))
    return left


_PUBLISHING = {"اورد", "اوردت", "نشر", "نشرت", "بث", "بثت", "كتب", "كتبت", "اوردته", "نشرته", "بثته"}


def _reporting_verb(lexicon: Lexicon, norm: str) -> bool:
    """ذكرت، أفادت، نقلت، أوردته، نشرت: a verb that reports (not أدخلته، خطط)."""
    for form in (norm, norm[:-1] if norm.endswith("ه") else norm, norm[:-2] if norm.endswith("ها") else norm):
        cue = lexicon.cue(form)
        if (cue is not None and cue.kind in ("past", "present")) or form in lexicon.report_verbs or form in _PUBLISHING:
            return True
    return False


def _source_after_verb(p: _Paragraph, k: int) -> int | None:
    """Where the source starts in "[وفق ما] ذكرت [عنه] رويترز": after one reporting verb and its
    عنه, if any ("وفق ما خطط له" names no source)."""
    tokens = p.tokens
    if k >= len(tokens) or not tokens[k].word or not _reporting_verb(p.lexicon, tokens[k].norm):
        return None
    k += 1
    while k < len(tokens) and (tokens[k].norm in ("عنه", "عنها", "عنهم", "عنهما", "به", "بها")
                               or tokens[k].norm in p.lexicon.time_words):
        k += 1  # بحسب ما أفادت به الشرطة، وفق ما ذكر وقتها المرصد
    return k if k < len(tokens) and tokens[k].word else None


def _pieces(raw: str, block: Span) -> list[Span]:
    """A paragraph, or pieces of it of at most _MAX_PARAGRAPH characters cut after a sentence end
    or a space: no news paragraph is that long, and a page's wall of text (a script, a table
    flattened to one line) must not make the stage's work grow with its square."""
    if block.end - block.start <= _MAX_PARAGRAPH:
        return [block]
    pieces, start = [], block.start
    while block.end - start > _MAX_PARAGRAPH:
        window = raw[start:start + _MAX_PARAGRAPH]
        cut = max(window.rfind(". "), window.rfind("\n"), window.rfind(" "))
        end = start + (cut + 1 if cut > _MAX_PARAGRAPH // 2 else _MAX_PARAGRAPH)
        pieces.append(Span(start, end, block.label, dict(block.attrs)))
        start = end
    pieces.append(Span(start, block.end, block.label, dict(block.attrs)))
    return pieces


def _plain_name(text: str) -> str:
    """A name as a reader writes it: hashtag marks (#مجلس_الأمن) and odd spaces (no-break, doubled)
    made plain, and no preposition or particle left hanging at its end (جماعة الإخوان المسلمين إلى)."""
    if "_" in text or "#" in text:
        text = text.replace("_", " ").replace("#", " ")
    words = text.split()
    while len(words) > 1 and strip_marks(words[-1]) in _DANGLING:
        words.pop()
    return " ".join(words)


# the written forms (على, not the name علي)
_DANGLING = {"إلى", "الى", "في", "من", "على", "عن", "مع", "قد", "لقد", "أن", "إن", "بأن", "أنه", "إنه"}


def _honorific_of(pronoun: str) -> str:
    """The honorific a pronoun form stands for (normalised): سماحته -> سماحه, سموه -> سمو, else ""."""
    if pronoun not in _HONORIFIC_PRONOUNS:
        return ""
    stem = pronoun[:-2] if pronoun.endswith("ها") else pronoun[:-1]
    return stem[:-1] + "ه" if stem.endswith("ت") else stem


def _nest(p: _Paragraph, statements: list[Statement]) -> list[Statement]:
    """A statement whose cue lies inside another's reported content is relayed by it; a report
    that says nothing but that statement ("ذكرت X أن Y أفاد بأن") merges into it."""
    dropped = set()
    for outer in statements:
        sentence_end = p.sentence_end(outer.content[0])
        for inner in statements:
            if inner is outer or inner.carried or outer.type == "direct" or not outer.speaker:
                continue  # (a statement of no known speaker relays nothing)
            if outer.content[1] <= inner.cue_token < sentence_end and outer.content[0] <= inner.cue_token \
                    and inner.speaker != outer.speaker and outer.cue.kind != "participle":
                between = [t for t in p.tokens[outer.content[1]:inner.cue_token] if t.word]
                if len(between) > 12 or (outer.cue.takes_object and any(
                        t.text in _CLAUSE_PUNCT for t in p.tokens[outer.content[1]:inner.cue_token])):
                    continue  # "ففيما حملت الجامعة الطالبة المسؤولية، تنفي الطالبة": a clause of its own
                inner.via = [dict(v) for v in outer.via] + [
                    {"name": outer.speaker, "relation": "reported_by", "_by": outer}] + [
                    v for v in inner.via if v["name"] != outer.speaker]
                words = [t for t in p.tokens[outer.content[0]:outer.content[1]] if t.word]
                if len(words) < 3:
                    dropped.add(id(outer))
    return [s for s in statements if id(s) not in dropped]


def _canonical_speakers(statements: list[Statement]) -> None:
    """Each speaker is named by the fullest form the document uses (علوش -> محمد علوش)."""
    # in document order, not a set's (which changes with the hash seed): of two fuller names of
    # one length, the first written wins
    names = list(dict.fromkeys(s.speaker for s in statements if s.speaker))
    norm = {name: tuple(normalize_arabic(name).split()) for name in names}
    for statement in statements:
        words = norm.get(statement.speaker)
        if not words or statement.speaker_type in ("anonymous", "document"):
            continue
        fuller = [name for name in names if len(words) < len(norm[name]) <= _MAX_NAME_WORDS
                  and contains_words(norm[name], words)]  # (a name, not a phrase that holds the word)
        if fuller:
            statement.speaker = max(fuller, key=lambda name: len(norm[name]))
