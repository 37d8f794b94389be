"""Synthetic news pages for training and evaluating structure recovery.

Articles whose title and body are known (SaudiNewsNet, ANT) are wrapped in generated page
layouts — menus, breadcrumbs, datelines, related headlines, tags, comments, share prompts,
consent banners, weather and prayer-time boxes, tickers, video labels, footers, teasers — and
every line keeps the role it was generated with. Layouts come in *families* that differ in
which furniture appears, where and in what form, so that a model can be trained on some
families and scored on one it has never seen (``bench/eval_structure.py``).

Nothing generated here is shipped: ``khabar train structure`` regenerates the pages, seeded.
"""

from __future__ import annotations

import json
import random
import re
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from khabar.cleaning.lines import (  # noqa: F401  (the labels pages are generated with)
    ADVERT, BODY, CAPTION, COMMENTS, CONSENT, DATELINE, DUPLICATE, FOOTER, LABELS, NAV, NEWSLETTER, OUTLET,
    RELATED, SHARE, SOURCE, TAGS, TEASER, TITLE, WIDGET)


@dataclass(slots=True)
class Article:
    id: str
    title: str
    paragraphs: list[str]
    outlet: str = ""


@dataclass(slots=True)
class Page:
    """A generated page: its lines with their labels, and how they are joined."""

    article: Article
    family: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    blank_lines: bool = True

    @property
    def text(self) -> str:
        return ("\n\n" if self.blank_lines else "\n").join(text for text, _ in self.lines)


# ----- articles ----------------------------------------------------------------------------

def _cut_tail(line: str, tails) -> str:
    """The line without an end a tail rule removes (SaudiNewsNet's "رابط الخبر بصحيفة ...")."""
    for rule in tails:
        match = rule.pattern.search(line)
        if match:
            return line[:match.start()]
    return line


def _paragraphs(content: str) -> list[str]:
    from khabar.cleaning.structure import load_rules

    rules = load_rules()
    lines = [" ".join(_cut_tail(line, rules.tail).split()) for line in content.splitlines()]
    lines = [line for line in lines if re.search(r"\w", line)]  # "***" separates, it is not body
    # lines the boilerplate rules know (contact prompts, e-mail addresses) are not body either
    lines = [line for line in lines if not any(rule.matches(line, len(line.split())) for rule in rules.line)]
    # bylines and signatures at either end are not body; short lines inside are subheadings
    while lines and len(lines[0].split()) <= 5:
        lines.pop(0)
    while lines and len(lines[-1].split()) <= 5:
        lines.pop()
    return lines


def _keep(article: Article) -> bool:
    words = sum(len(p.split()) for p in article.paragraphs)
    return 2 <= len(article.title.split()) <= 30 and 20 <= words <= 2500


def saudinewsnet_articles(folder: Path) -> Iterator[Article]:
    from khabar.outlets import outlet_name

    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                for index, record in enumerate(json.loads(archive.read(member))):
                    article = Article(f"saudinewsnet/{path.stem}/{index}", " ".join((record.get("title") or "").split()),
                                      _paragraphs(record.get("content") or ""), outlet_name(record.get("source", "")))
                    if _keep(article):
                        yield article


def ant_articles(archive_path: Path) -> Iterator[Article]:
    from khabar.outlets import outlet_name
    from khabar.reading.sgml import parse_sgml

    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            text = archive.extractfile(member).read().decode("utf-8", "replace")
            for document in parse_sgml(text, path=member.name, doc_id=member.name):
                if not hasattr(document, "raw"):
                    continue
                article = Article(document.id, " ".join(document.metadata.get("title", "").split()),
                                  _paragraphs(document.raw), outlet_name(document.metadata.get("outlet_id", "")))
                if _keep(article):
                    yield article


def load_articles(shared: Path, *, limit: int | None = None, seed: int = 1) -> list[Article]:
    """Articles of both corpora, shuffled with ``seed`` and cut to ``limit`` (half from each)."""
    data = Path(shared) / "data"
    pools = [list(saudinewsnet_articles(data / "saudinewsnet")),
             list(ant_articles(data / "ant" / "ant-2018-02-08.tar.gz"))]
    rng = random.Random(seed)
    chosen: list[Article] = []
    for pool in pools:
        rng.shuffle(pool)
        chosen.extend(pool[:limit // 2] if limit else pool)
    rng.shuffle(chosen)
    return chosen


def is_held_out(article: Article, share: int = 5) -> bool:
    """A fixed fifth of the articles (by a hash of the id) is kept for evaluation."""
    return zlib.crc32(article.id.encode("utf-8")) % share == 0


# ----- page furniture ----------------------------------------------------------------------

SECTIONS = ["الرئيسية", "أخبار", "محليات", "سياسة", "اقتصاد", "رياضة", "ثقافة", "فن", "منوعات", "تقنية",
            "صحة", "العالم", "الخليج", "عربي ودولي", "مقالات", "رأي", "فيديو", "صور", "إنفوغراف", "تحقيقات",
            "حوارات", "مجتمع", "تعليم", "سيارات", "سياحة", "الشرق الأوسط", "علوم", "بيئة", "أسواق", "عقارات",
            "كتاب الرأي", "ملفات", "برامج", "البث المباشر", "الطقس", "وظائف", "أرشيف", "المرأة", "شباب",
            "مال وأعمال", "دوري روشن", "كرة القدم", "الدوري الإنجليزي", "محافظات", "حوادث", "برلمان"]
SECTIONS_EN = ["Home", "News", "Politics", "Business", "Sports", "Culture", "Tech", "Opinion", "Video",
               "World", "Health", "Travel", "Live", "Weather", "More"]
SEPARATORS = [" » ", " › ", " > ", " / ", " | ", " - ", " • ", " ← ", "  "]
OUTLET_WORDS = ["صحيفة", "جريدة", "وكالة", "قناة", "شبكة", "موقع", "بوابة", "مجلة"]
OUTLET_NAMES = ["الأنباء", "الحدث", "الخبر", "اليوم", "الشروق", "المستقبل", "الفجر", "الرأي", "النهار",
                "الوسط", "الأيام", "الصباح", "البيان", "الميدان", "الساعة", "المرصد", "الحياة", "الغد",
                "الاتحاد", "الثورة", "القدس", "المشهد", "الأخبار", "العاصمة", "الجنوب", "الشمال"]
OUTLET_SUFFIX = ["", "", " نيوز", " الإخبارية", " الإلكترونية", " 24", " اليوم", " نت", " بوست"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
          "نوفمبر", "ديسمبر", "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
          "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep"]
WEEKDAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"]
HIJRI = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
         "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]
NAMES = ["محمد", "أحمد", "عبدالله", "خالد", "سعد", "فهد", "علي", "حسن", "عمر", "يوسف", "سارة", "نورة",
         "فاطمة", "ريم", "ليلى", "منى", "هشام", "طارق", "ماجد", "سلطان", "نايف", "إبراهيم", "مريم", "هدى"]
FAMILY_NAMES = ["العتيبي", "القحطاني", "الشمري", "الحربي", "الغامدي", "الزهراني", "المصري", "حداد",
                "السيد", "عبدالرحمن", "الخطيب", "النجار", "العلي", "الدوسري", "منصور", "سليمان", "يوسف"]
CITIES = ["الرياض", "جدة", "القاهرة", "دبي", "بيروت", "عمّان", "بغداد", "الدمام", "الكويت", "الدوحة",
          "تونس", "الرباط", "لندن", "واشنطن", "باريس", "مكة المكرمة", "المدينة المنورة", "أبوظبي"]
AGENCIES = ["واس", "رويترز", "أ ف ب", "فرانس برس", "د ب أ", "الأناضول", "أ ش أ", "كونا", "وام", "سبوتنيك",
            "وكالات", "أسوشيتد برس", "بي بي سي", "العربية نت", "سكاي نيوز عربية"]
RELATED_HEADINGS = ["اقرأ أيضا", "اقرأ أيضاً:", "أخبار ذات صلة", "مواضيع ذات صلة", "المزيد من الأخبار",
                    "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تعليقا", "قد يعجبك أيضا", "مقالات مقترحة",
                    "أخبار متعلقة", "آخر الأخبار", "أحدث المقالات", "لا يفوتك", "ننصحك بقراءة",
                    "المزيد من {section}", "أخبار {section}", "شاهد أيضا", "تقارير ذات صلة", "اخترنا لكم",
                    "Related", "Most Read", "More stories", "You may also like"]
TAG_HEADINGS = ["الوسوم:", "وسوم:", "كلمات دلالية:", "الكلمات المفتاحية:", "مواضيع:", "تصنيفات:",
                "الموضوعات:", "Tags:", "هاشتاق:"]
COMMENT_LINES = ["التعليقات", "التعليقات ({n})", "{n} تعليقات", "{n} تعليق", "أضف تعليقك", "أضف تعليقا",
                 "اترك تعليقاً", "اترك رداً", "لا توجد تعليقات", "كن أول من يعلق", "علق على الخبر",
                 "تعليقات الفيسبوك", "شارك برأيك", "ما رأيك؟", "إرسال التعليق", "الاسم", "البريد الإلكتروني",
                 "التعليق", "إرسال", "يرجى الالتزام بآداب الحوار", "التعليقات المنشورة لا تعبر عن رأي الموقع",
                 "عرض جميع التعليقات", "تحميل المزيد من التعليقات", "Comments", "Leave a comment", "رد",
                 "أعجبني ({n})", "إبلاغ عن إساءة", "يجب تسجيل الدخول للتعليق"]
COMMENT_TEXTS = ["الله يحفظ بلادنا", "خبر جميل شكرا", "كلام صحيح", "متى يتم التطبيق؟", "الله المستعان",
                 "نتمنى الاستمرار", "ما شاء الله تبارك الله", "هذا غير صحيح", "شكرا على الخبر", "أتفق معك",
                 "الى الامام", "وين الرقابة", "كلام جميل ولكن التطبيق صعب", "الله يوفقهم"]
SHARE_LINES = ["شارك", "شارك:", "شارك الخبر", "شارك هذا المقال", "شارك على فيسبوك", "شارك على تويتر",
               "فيسبوك تويتر واتساب", "فيسبوك", "تويتر", "واتساب", "تيليجرام", "لينكدإن", "انستغرام", "يوتيوب",
               "طباعة", "إرسال لصديق", "أرسل لصديق", "نسخ الرابط", "حفظ", "تكبير الخط", "تصغير الخط",
               "حجم الخط", "A A", "A+ A-", "مشاركة", "المشاركة عبر", "انشر على", "تابعونا على تويتر",
               "تابعنا على فيسبوك", "تابعوا آخر الأخبار عبر قناتنا على تيليجرام", "Share", "Tweet",
               "Share on Facebook", "Share on Twitter", "Email", "Print", "WhatsApp", "Facebook Twitter",
               "Pinterest", "Copy link", "Share this article", "Follow us", "Send this to a friend"]
FOOTER_LINES = ["جميع الحقوق محفوظة © {year}", "© {year} {outlet}. جميع الحقوق محفوظة",
                "حقوق النشر محفوظة ل{outlet} {year}", "اتصل بنا", "من نحن", "سياسة الخصوصية",
                "شروط الاستخدام", "أعلن معنا", "للإعلان", "خريطة الموقع", "اتصل بنا | من نحن | سياسة الخصوصية",
                "من نحن - اتصل بنا - أعلن معنا - الشروط والأحكام", "هيئة التحرير", "رئيس التحرير: {name}",
                "هاتف: 0{phone}", "فاكس: 0{phone}", "ص.ب {n} {city}", "البريد الإلكتروني: info@example.com",
                "Copyright © {year} {outlet_en}. All rights reserved.", "Privacy Policy", "Terms of Use",
                "Contact Us", "About Us", "Powered by WordPress", "تصميم وتطوير شركة {fam}",
                "الموقع لا يتحمل مسؤولية المحتوى المنشور", "جميع المواد المنشورة تعبر عن رأي كتابها",
                "للتواصل أرسل sms إلى {n} الاتصالات ,{phone} موبايلي, {n} زين تبدأ بالرمز {n}",
                "للتواصل مع الكاتب: {name}{n}@gmail.com", "writer{n}@example.com", "@{name}{n}",
                "{n} - Stc", "{name}@{fam}.com", "لمراسلة الكاتب: {name}{n}@hotmail.com"]
NEWSLETTER_LINES = ["اشترك في النشرة البريدية", "اشترك في نشرتنا الإخبارية", "النشرة الإخبارية",
                    "أدخل بريدك الإلكتروني", "اشتراك", "اشترك الآن", "سجل بريدك ليصلك كل جديد",
                    "احصل على أهم الأخبار في بريدك", "Subscribe to our newsletter", "Sign up",
                    "اشترك في خدمة الرسائل القصيرة", "حمل تطبيق {outlet} على أندرويد وآيفون",
                    "تطبيق {outlet} متوفر الآن على App Store و Google Play", "فعل الإشعارات ليصلك كل جديد"]
ADVERT_LINES = ["إعلان", "إعلانات", "مساحة إعلانية", "Advertisement", "ADVERTISEMENT", "برعاية",
                "محتوى مدعوم", "إعلان ممول", "Sponsored", "اعلن هنا", "للإعلان في الموقع اتصل على 0{phone}"]
CONSENT_LINES = [
    "نستخدم ملفات تعريف الارتباط (الكوكيز) لتحسين تجربتك على موقعنا. باستمرارك في التصفح فإنك توافق على ذلك.",
    "يستخدم هذا الموقع ملفات تعريف الارتباط لتقديم أفضل تجربة ممكنة.",
    "باستخدامك لهذا الموقع فإنك توافق على سياسة الخصوصية وشروط الاستخدام.",
    "هذا الموقع يستخدم الكوكيز لتحليل الزيارات وتخصيص الإعلانات. لمعرفة المزيد اطلع على سياسة الخصوصية.",
    "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
    "This website uses cookies to ensure you get the best experience on our website.",
    "موافق", "أوافق", "قبول", "رفض", "إعدادات ملفات تعريف الارتباط", "المزيد من المعلومات", "Accept",
    "Accept all cookies", "Cookie settings", "OK", "حسنا", "فهمت"]
WIDGET_LINES = [
    "الطقس", "{city} {temp}°", "{city} {temp}° مشمس", "درجة الحرارة العظمى {temp} والصغرى {temp2}",
    "مواقيت الصلاة", "مواقيت الصلاة في {city}", "الفجر {h}:{m}", "الشروق {h}:{m}", "الظهر {h}:{m}",
    "العصر {h}:{m}", "المغرب {h}:{m}", "العشاء {h}:{m}", "الفجر {h}:{m} الظهر {h}:{m} العصر {h}:{m} المغرب {h}:{m}",
    "تاسي {price} ▲ {pct}%", "مؤشر السوق {price} ▼ {pct}%", "الدولار {small} ريال", "اليورو {small}",
    "برنت {small} دولار", "الذهب {price}", "أسعار العملات", "البورصة", "{temp}° C",
    "تشغيل الفيديو", "شاهد الفيديو", "00:00 / 0{h}:{m}", "مدة الفيديو 0{h}:{m}", "فيديو", "بث مباشر",
    "Play Video", "Your browser does not support the video tag.", "Loading...", "جار التحميل...",
    "صور", "الصورة 1 من {n}", "السابق", "التالي", "السابق التالي", "Next Previous", "بحث", "ابحث هنا...",
    "تسجيل الدخول", "حسابي", "English", "Français", "عاجل", "عاجل: {fragment}", "آخر تحديث للموقع {h}:{m}",
    "الإثنين {day} {month} {year}", "مباشر", "أخبار عاجلة", "القائمة", "إغلاق", "×", "☰ القائمة"]
SOURCE_LINES = ["المصدر: {agency}", "المصدر : {agency}", "المصدر - {agency}", "المصدر: {outlet}",
                "({agency})", "- {agency}", "{agency}", "مصدر الخبر: {agency}", "نقلا عن {agency}",
                "Source: {agency}", "المصدر: وكالات", "وكالات", "رابط المقال: https://www.example.com/{n}",
                "رابط مختصر: https://exa.mp/{n}", "https://www.example.com/news/{n}"]
CAPTION_SUFFIX = ["(تصوير: {name})", "(أرشيفية)", "- أرشيفية", "(رويترز)", "(أ ف ب)", "(تصوير: {name} {fam})", "(الصورة: {agency})",
                  "صورة أرشيفية", "(واس)", "- صورة من الحدث", "(Getty)", "(EPA)", "(AFP)"]


def _fill(template: str, rng: random.Random, article: Article, outlet: str) -> str:
    values = {
        "n": rng.randint(1, 400), "year": rng.choice([2014, 2015, 2016, 2017, 2018, 2019, 2020]),
        "outlet": outlet, "outlet_en": rng.choice(["Al Akhbar", "News Net", "Alyaum", "Arab Post"]),
        "name": rng.choice(NAMES), "fam": rng.choice(FAMILY_NAMES), "city": rng.choice(CITIES),
        "phone": rng.randint(10_000_000, 99_999_999), "temp": rng.randint(12, 48), "temp2": rng.randint(5, 30),
        "h": rng.randint(1, 12), "m": f"{rng.randint(0, 59):02d}", "price": f"{rng.uniform(1000, 12000):,.2f}",
        "pct": f"{rng.uniform(0, 4):.2f}", "small": f"{rng.uniform(1, 90):.2f}", "agency": rng.choice(AGENCIES),
        "section": rng.choice(SECTIONS), "day": rng.randint(1, 28), "month": rng.choice(MONTHS),
        "fragment": " ".join(article.title.split()[:6]),
    }
    return template.format(**values)


def _date(rng: random.Random) -> str:
    day, year = rng.randint(1, 28), rng.choice([2015, 2016, 2017, 2018, 2019])
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    month_no = rng.randint(1, 12)
    forms = [
        f"{day} {rng.choice(MONTHS)} {year}",
        f"{rng.choice(WEEKDAYS)} {day} {rng.choice(MONTHS)} {year}",
        f"{rng.choice(WEEKDAYS)}، {day} {rng.choice(MONTHS)} {year} - {hour:02d}:{minute:02d}",
        f"{year}-{month_no:02d}-{day:02d} {hour:02d}:{minute:02d}",
        f"{day:02d}/{month_no:02d}/{year}",
        f"{day}/{month_no}/{year} {hour}:{minute:02d} م",
        f"{rng.randint(1, 29)} {rng.choice(HIJRI)} {rng.randint(1436, 1441)}هـ",
        f"{rng.choice(WEEKDAYS)} {rng.randint(1, 29)} {rng.choice(HIJRI)} {rng.randint(1436, 1441)} هـ - {day} {rng.choice(MONTHS)} {year} م",
        f"{rng.choice(MONTHS_EN)} {day}, {year}",
        f"{hour:02d}:{minute:02d} {day}.{month_no:02d}.{year}",
    ]
    return rng.choice(forms)


def dateline(rng: random.Random, outlet: str) -> str:
    author = f"{rng.choice(NAMES)} {rng.choice(FAMILY_NAMES)}"
    date = _date(rng)
    forms = [
        f"نشر في: {date}", f"نشر في {date}", f"تاريخ النشر: {date}", f"آخر تحديث: {date}",
        f"آخر تحديث {date}", f"تم النشر: {date}", f"{date}", f"{date}", f"منذ {rng.randint(2, 59)} دقيقة",
        f"منذ {rng.randint(2, 23)} ساعات", f"قبل {rng.randint(2, 12)} ساعة", f"بقلم: {author}", f"بقلم {author}",
        f"كتب: {author}", f"كتبت - {author}", f"{rng.choice(CITIES)} - {author}", f"{rng.choice(CITIES)}: {outlet}",
        f"{author} - {rng.choice(CITIES)}", f"{outlet} - {rng.choice(['متابعات', 'خاص', 'وكالات'])}",
        f"{author} | {date}", f"بقلم: {author} | {date}", f"{date} | {rng.choice(SECTIONS)}",
        f"محرر {rng.choice(SECTIONS)}", f"{rng.choice(['فريق التحرير', 'المحرر', 'خاص'])} - {outlet}",
        f"Published: {date}", f"By {rng.choice(['Staff', 'Reporter', 'Editor'])} | {date}",
        f"{date} | آخر تحديث: {_date(rng)}", f"{rng.choice(CITIES)} ـ {rng.choice(AGENCIES)}",
        f"{rng.randint(1, 90)} قراءة", f"عدد القراءات: {rng.randint(10, 90000)}", f"{rng.randint(1, 15)} دقائق للقراءة",
    ]
    return rng.choice(forms)


def outlet_line(rng: random.Random) -> str:
    base = rng.choice(OUTLET_NAMES) + rng.choice(OUTLET_SUFFIX)
    return rng.choice([base, base, f"{rng.choice(OUTLET_WORDS)} {base}"])


def _teaser(rng: random.Random, article: Article, outlet: str) -> str:
    words = " ".join(article.paragraphs).split()
    if len(words) < 12:
        return ""
    cut = rng.randint(10, min(len(words), 80))
    text = " ".join(words[:cut])
    if rng.random() < 0.5:  # cut mid-word, as sites do
        text = text[:len(text) - rng.randint(1, 3)]
    if rng.random() < 0.4:
        text += rng.choice(["...", " ...", "…", " [...]", " اقرأ المزيد"])
    if outlet and rng.random() < 0.4:
        text = f"{outlet} {text}"
    return text


def _caption(rng: random.Random, article: Article) -> str:
    words = article.paragraphs[0].split()
    start = rng.randint(0, max(0, len(words) - 8))
    fragment = " ".join(words[start:start + rng.randint(3, 8)]).strip("،,.")
    suffix = _fill(rng.choice(CAPTION_SUFFIX), rng, article, "")
    return rng.choice([f"{fragment} {suffix}", f"{suffix} {fragment}", f"صورة: {fragment}", f"{fragment} {suffix}"])


def _menu(rng: random.Random, *, english: bool = False, one_line: bool | None = None) -> list[str]:
    pool = SECTIONS_EN if english else SECTIONS
    items = rng.sample(pool, rng.randint(4, min(11, len(pool))))
    if one_line is None:
        one_line = rng.random() < 0.5
    return [rng.choice(SEPARATORS).join(items)] if one_line else items


def _breadcrumb(rng: random.Random, article: Article) -> str:
    parts = ["الرئيسية"] + rng.sample(SECTIONS[1:], rng.randint(1, 2))
    if rng.random() < 0.3:
        parts.append(" ".join(article.title.split()[:rng.randint(3, 7)]) + "...")
    return rng.choice([" » ", " › ", " > ", " / ", " ← "]).join(parts)


def _related(rng: random.Random, others: list[Article], *, heading: bool | None = None) -> list[tuple[str, str]]:
    lines = []
    if heading if heading is not None else rng.random() < 0.7:
        lines.append((_fill(rng.choice(RELATED_HEADINGS), rng, others[0], ""), RELATED))
    for other in rng.sample(others, min(len(others), rng.randint(2, 8))):
        title = other.title
        style = rng.random()
        if style < 0.15:
            title = f"{title} {_date(rng)}"
        elif style < 0.25:
            title = f"• {title}"
        elif style < 0.32:
            title = f"{rng.randint(1, 10)}. {title}"
        lines.append((title, RELATED))
    return lines


def _tags(rng: random.Random, article: Article) -> list[tuple[str, str]]:
    words = [w.strip("،,.:\"«»()") for w in " ".join(article.paragraphs[:2]).split()]
    candidates = [w for w in words if len(w) > 3]
    chosen = list(dict.fromkeys(rng.sample(candidates, min(len(candidates), rng.randint(2, 7)))))
    style = rng.random()
    heading = rng.choice(TAG_HEADINGS)
    if style < 0.4:
        return [(f"{heading} " + rng.choice(["، ", " - ", " | ", " ", ", "]).join(chosen), TAGS)]
    if style < 0.6:
        return [(" ".join("#" + w for w in chosen), TAGS)]
    return [(heading.rstrip(":"), TAGS)] + [(w, TAGS) for w in chosen]


def _comments(rng: random.Random, article: Article) -> list[tuple[str, str]]:
    lines = [(_fill(rng.choice(COMMENT_LINES), rng, article, ""), COMMENTS) for _ in range(rng.randint(1, 4))]
    for _ in range(rng.randint(0, 3)):
        author = f"{rng.choice(NAMES)} {rng.choice(FAMILY_NAMES)}"
        text = rng.choice(COMMENT_TEXTS)
        form = rng.random()
        if form < 0.4:
            lines.append((f"{author} {_date(rng)}", COMMENTS))
            lines.append((text, COMMENTS))
        elif form < 0.7:
            lines.append((f"{author}: {text}", COMMENTS))
        else:
            lines.append((f"{author} - منذ {rng.randint(1, 12)} ساعات", COMMENTS))
            lines.append((text, COMMENTS))
    return lines


def _pick(rng: random.Random, pool: list[str], article: Article, outlet: str, count: tuple[int, int], label: str):
    return [(_fill(rng.choice(pool), rng, article, outlet), label) for _ in range(rng.randint(*count))]


# ----- body paragraphing -------------------------------------------------------------------

_SENTENCE_SPLIT = re.compile(r"(?<=[.!؟?])\s+")


def _body(rng: random.Random, article: Article, style: str) -> list[tuple[str, str]]:
    lines = [(p, BODY) for p in _paragraphing(rng, article, style)]
    if len(lines) > 2 and rng.random() < 0.08:  # scrapers repeat a paragraph now and then
        copy = rng.randrange(len(lines) - 1)
        lines.insert(rng.randint(copy + 1, len(lines)), (lines[copy][0], DUPLICATE))
    return lines


def _paragraphing(rng: random.Random, article: Article, style: str) -> list[str]:
    paragraphs = article.paragraphs
    if style == "sentences":  # <br> inside paragraphs became line breaks
        paragraphs = [s for p in paragraphs for s in _SENTENCE_SPLIT.split(p) if s.strip()]
    elif style == "joined" and len(paragraphs) > 1:  # the whole article in one or two lines
        half = rng.randint(1, len(paragraphs))
        paragraphs = [" ".join(paragraphs[:half])] + ([" ".join(paragraphs[half:])] if paragraphs[half:] else [])
    return paragraphs


def _body_style(rng: random.Random) -> str:
    return rng.choices(["paragraphs", "sentences", "joined"], weights=[7, 2, 1])[0]


def _with_inserts(rng: random.Random, body: list[tuple[str, str]], inserts: list[list[tuple[str, str]]]):
    """Body lines with furniture blocks dropped between paragraphs (ads, captions, read-also links)."""
    out = list(body)
    for block in inserts:
        position = rng.randint(1, max(1, len(out) - 1)) if len(out) > 1 else len(out)
        out[position:position] = block
    return out


# ----- layout families -----------------------------------------------------------------------

Family = Callable[[random.Random, Article, list[Article]], Page]


def _outlet_for(rng: random.Random, article: Article) -> str:
    return article.outlet if article.outlet and rng.random() < 0.5 else outlet_line(rng)


def _maybe(rng: random.Random, probability: float, block) -> list[tuple[str, str]]:
    if rng.random() >= probability:
        return []
    return block() if callable(block) else block


def family_example_like(rng, article, others) -> Page:
    """Outlet line, body, share prompt, title after the body, truncated teaser, English widget."""
    outlet = _outlet_for(rng, article)
    lines = [(outlet, OUTLET)] if rng.random() < 0.85 else []
    lines += _body(rng, article, _body_style(rng))
    lines += _pick(rng, SHARE_LINES, article, outlet, (0, 2), SHARE)
    lines.append((article.title, TITLE))
    teaser = _teaser(rng, article, outlet if lines and lines[0][1] == OUTLET else "")
    if teaser and rng.random() < 0.8:
        lines.append((teaser, TEASER))
    lines += _maybe(rng, 0.6, lambda: [(rng.choice(SHARE_LINES[-14:]), SHARE)])
    return Page(article, "example_like", lines, blank_lines=rng.random() < 0.8)


def family_portal(rng, article, others) -> Page:
    """Menu line, breadcrumb, title, dateline, body, tags, share, related with heading, comments, footer."""
    outlet = _outlet_for(rng, article)
    lines = _maybe(rng, 0.5, [(outlet, OUTLET)])
    lines += [(m, NAV) for m in _menu(rng, one_line=True)]
    lines += _maybe(rng, 0.8, lambda: [(_breadcrumb(rng, article), NAV)])
    lines.append((article.title, TITLE))
    lines += [(dateline(rng, outlet), DATELINE) for _ in range(rng.randint(1, 2))]
    lines += _body(rng, article, _body_style(rng))
    lines += _maybe(rng, 0.7, lambda: _tags(rng, article))
    lines += _pick(rng, SHARE_LINES, article, outlet, (0, 3), SHARE)
    lines += _related(rng, others, heading=True)
    lines += _maybe(rng, 0.6, lambda: _comments(rng, article))
    lines += _pick(rng, FOOTER_LINES, article, outlet, (1, 3), FOOTER)
    return Page(article, "portal", lines, blank_lines=rng.random() < 0.5)


def family_menu_lines(rng, article, others) -> Page:
    """A menu with one item per line, title, byline, photo caption, body, source, most-read, newsletter."""
    outlet = _outlet_for(rng, article)
    lines = [(outlet, OUTLET)] if rng.random() < 0.4 else []
    lines += [(m, NAV) for m in _menu(rng, one_line=False)]
    lines += _maybe(rng, 0.4, lambda: _pick(rng, WIDGET_LINES[:12], article, outlet, (1, 3), WIDGET))
    title_last = rng.random() < 0.2
    if not title_last:
        lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.7, lambda: [(dateline(rng, outlet), DATELINE)])
    lines += _maybe(rng, 0.6, lambda: [(_caption(rng, article), CAPTION)])
    lines += _body(rng, article, _body_style(rng))
    if title_last:
        lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.6, lambda: [(_fill(rng.choice(SOURCE_LINES), rng, article, outlet), SOURCE)])
    lines += _related(rng, others)
    lines += _maybe(rng, 0.6, lambda: _pick(rng, NEWSLETTER_LINES, article, outlet, (1, 3), NEWSLETTER))
    lines += _pick(rng, FOOTER_LINES, article, outlet, (0, 2), FOOTER)
    return Page(article, "menu_lines", lines, blank_lines=rng.random() < 0.3)


def family_mobile(rng, article, others) -> Page:
    """Consent banner first, outlet, title, time ago, video labels, body as sentences, English share icons."""
    outlet = _outlet_for(rng, article)
    lines = _pick(rng, CONSENT_LINES, article, outlet, (1, 3), CONSENT)
    lines += _maybe(rng, 0.6, [(outlet, OUTLET)])
    lines += _maybe(rng, 0.5, lambda: [("☰", NAV)] + [(m, NAV) for m in _menu(rng, one_line=True)])
    lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.8, lambda: [(dateline(rng, outlet), DATELINE)])
    lines += _maybe(rng, 0.6, lambda: _pick(rng, WIDGET_LINES[26:33], article, outlet, (1, 3), WIDGET))
    lines += _body(rng, article, rng.choice(["sentences", "paragraphs"]))
    lines += _pick(rng, SHARE_LINES[-16:], article, outlet, (1, 4), SHARE)
    lines += _related(rng, others, heading=rng.random() < 0.4)
    lines += _maybe(rng, 0.5, lambda: _pick(rng, NEWSLETTER_LINES[-3:], article, outlet, (1, 1), NEWSLETTER))
    return Page(article, "mobile", lines, blank_lines=rng.random() < 0.5)


def family_wire(rng, article, others) -> Page:
    """Agency copy: outlet and date, title (or the title after the text), body, source line, copyright."""
    outlet = _outlet_for(rng, article)
    lines = _maybe(rng, 0.5, [(outlet, OUTLET)])
    lines += _maybe(rng, 0.5, lambda: [(dateline(rng, outlet), DATELINE)])
    title_last = rng.random() < 0.3
    if not title_last:
        lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.5, lambda: [(dateline(rng, outlet), DATELINE)])
    lines += _body(rng, article, "paragraphs")
    if title_last:
        lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.8, lambda: [(_fill(rng.choice(SOURCE_LINES), rng, article, outlet), SOURCE)])
    lines += _maybe(rng, 0.5, lambda: _pick(rng, ADVERT_LINES, article, outlet, (1, 1), ADVERT))
    lines += _pick(rng, FOOTER_LINES, article, outlet, (1, 2), FOOTER)
    return Page(article, "wire", lines, blank_lines=rng.random() < 0.6)


def family_widgets(rng, article, others) -> Page:
    """Weather, prayer times and ticker boxes, menu, breadcrumb, title, ads inside the body, tags, comments."""
    outlet = _outlet_for(rng, article)
    lines = _pick(rng, WIDGET_LINES, article, outlet, (2, 6), WIDGET)
    lines += [(m, NAV) for m in _menu(rng)]
    lines += _maybe(rng, 0.6, lambda: [(_breadcrumb(rng, article), NAV)])
    lines += _maybe(rng, 0.5, lambda: _pick(rng, ADVERT_LINES, article, outlet, (1, 1), ADVERT))
    lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.7, lambda: [(dateline(rng, outlet), DATELINE)])
    inserts = [_pick(rng, ADVERT_LINES, article, outlet, (1, 1), ADVERT)]
    if rng.random() < 0.5:
        inserts.append(_related(rng, others, heading=True)[:3])
    lines += _with_inserts(rng, _body(rng, article, _body_style(rng)), inserts)
    lines += _maybe(rng, 0.7, lambda: _tags(rng, article))
    lines += _maybe(rng, 0.7, lambda: _comments(rng, article))
    lines += _pick(rng, FOOTER_LINES, article, outlet, (1, 4), FOOTER)
    return Page(article, "widgets", lines, blank_lines=rng.random() < 0.4)


def family_title_after(rng, article, others) -> Page:
    """Body first, then the title, its date, a related list without heading and comments."""
    outlet = _outlet_for(rng, article)
    lines = _body(rng, article, _body_style(rng))
    lines += _maybe(rng, 0.5, lambda: [(_fill(rng.choice(SOURCE_LINES), rng, article, outlet), SOURCE)])
    lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.6, lambda: [(dateline(rng, outlet), DATELINE)])
    lines += _maybe(rng, 0.5, lambda: [(outlet, OUTLET)])
    lines += _related(rng, others, heading=False)
    lines += _maybe(rng, 0.6, lambda: _comments(rng, article))
    lines += _maybe(rng, 0.5, lambda: _pick(rng, SHARE_LINES, article, outlet, (1, 2), SHARE))
    return Page(article, "title_after", lines, blank_lines=rng.random() < 0.5)


def family_blog(rng, article, others) -> Page:
    """Site name, title, author and date, body, about-the-author, comment form, footer links."""
    outlet = _outlet_for(rng, article)
    lines = [(outlet, OUTLET)] if rng.random() < 0.7 else []
    lines += _maybe(rng, 0.5, lambda: [(m, NAV) for m in _menu(rng, one_line=True)])
    title_last = rng.random() < 0.2
    if not title_last:
        lines.append((article.title, TITLE))
    author = f"{rng.choice(NAMES)} {rng.choice(FAMILY_NAMES)}"
    lines.append((rng.choice([f"بقلم: {author}", f"{author}", f"الكاتب: {author}", f"{author} | {_date(rng)}"]), DATELINE))
    lines += _maybe(rng, 0.6, lambda: [(_date(rng), DATELINE)])
    lines += _body(rng, article, _body_style(rng))
    if title_last:
        lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.5, lambda: _tags(rng, article))
    lines += _maybe(rng, 0.5, lambda: [("عن الكاتب", FOOTER), (f"{author} كاتب وصحفي", FOOTER)])
    lines += _comments(rng, article)
    lines += _pick(rng, FOOTER_LINES, article, outlet, (1, 3), FOOTER)
    return Page(article, "blog", lines, blank_lines=rng.random() < 0.7)


def family_print(rng, article, others) -> Page:
    """A print view: outlet and date, title twice (page title and heading), teaser, body, link, copyright."""
    outlet = _outlet_for(rng, article)
    lines = [(f"{outlet} | {article.title}", DUPLICATE)] if rng.random() < 0.4 else []
    lines += [(outlet, OUTLET), (dateline(rng, outlet), DATELINE), (article.title, TITLE)]
    teaser = _teaser(rng, article, "")
    if teaser and rng.random() < 0.6:
        lines.append((teaser, TEASER))
    lines += _body(rng, article, "paragraphs")
    lines += [(_fill(rng.choice(SOURCE_LINES[-3:]), rng, article, outlet), SOURCE)]
    lines += _pick(rng, FOOTER_LINES, article, outlet, (1, 2), FOOTER)
    lines += _maybe(rng, 0.5, lambda: [(rng.choice(["طباعة", "اطبع", "Print", "إغلاق النافذة"]), SHARE)])
    return Page(article, "print", lines, blank_lines=rng.random() < 0.5)


def family_english_chrome(rng, article, others) -> Page:
    """English navigation, consent and share chrome around an Arabic article; related with English heading."""
    outlet = _outlet_for(rng, article)
    lines = [(m, NAV) for m in _menu(rng, english=True)]
    lines += _maybe(rng, 0.6, lambda: [(rng.choice(CONSENT_LINES[4:6]), CONSENT), (rng.choice(["Accept", "OK"]), CONSENT)])
    lines += _maybe(rng, 0.4, [(outlet, OUTLET)])
    title_last = rng.random() < 0.2
    if not title_last:
        lines.append((article.title, TITLE))
    lines += _maybe(rng, 0.6, lambda: [(dateline(rng, outlet), DATELINE)])
    lines += _maybe(rng, 0.5, lambda: [(_caption(rng, article), CAPTION)])
    lines += _body(rng, article, _body_style(rng))
    if title_last:
        lines.append((article.title, TITLE))
    lines += _pick(rng, SHARE_LINES[-16:], article, outlet, (1, 3), SHARE)
    lines += [(rng.choice(["Related", "More stories", "Most Read", "You may also like"]), RELATED)]
    lines += _related(rng, others, heading=False)
    lines += _pick(rng, FOOTER_LINES[-8:], article, outlet, (1, 3), FOOTER)
    return Page(article, "english_chrome", lines, blank_lines=rng.random() < 0.5)


def family_summary_first(rng, article, others) -> Page:
    """Breadcrumb, title, dateline, teaser of the lede, photo with caption, body, read-also inside, tags."""
    outlet = _outlet_for(rng, article)
    lines = [(_breadcrumb(rng, article), NAV)]
    lines += _maybe(rng, 0.5, lambda: _pick(rng, WIDGET_LINES[-14:], article, outlet, (1, 3), WIDGET))
    lines.append((article.title, TITLE))
    teaser = _teaser(rng, article, "")
    if teaser:
        lines.append((teaser, TEASER))
    lines += [(dateline(rng, outlet), DATELINE)]
    lines += _maybe(rng, 0.7, lambda: [(_caption(rng, article), CAPTION)])
    inserts = [_related(rng, others, heading=True)[:2]] if rng.random() < 0.6 else []
    lines += _with_inserts(rng, _body(rng, article, _body_style(rng)), inserts)
    lines += _maybe(rng, 0.7, lambda: _tags(rng, article))
    lines += _maybe(rng, 0.5, lambda: _pick(rng, NEWSLETTER_LINES, article, outlet, (1, 2), NEWSLETTER))
    lines += _related(rng, others)
    return Page(article, "summary_first", lines, blank_lines=rng.random() < 0.5)


def family_plain(rng, article, others) -> Page:
    """Text as feeds and corpora give it: the body alone, or with its title, or a source line."""
    lines = _body(rng, article, rng.choice(["paragraphs", "paragraphs", "joined"]))
    form = rng.random()
    if form < 0.25:
        lines.insert(0, (article.title, TITLE))
    elif form < 0.35:
        lines.append((article.title, TITLE))
    elif form < 0.5:
        lines.append((_fill(rng.choice(SOURCE_LINES[:8]), rng, article, ""), SOURCE))
    return Page(article, "plain", lines, blank_lines=rng.random() < 0.5)


FAMILIES: dict[str, Family] = {
    "plain": family_plain,
    "example_like": family_example_like,
    "portal": family_portal,
    "menu_lines": family_menu_lines,
    "mobile": family_mobile,
    "wire": family_wire,
    "widgets": family_widgets,
    "title_after": family_title_after,
    "blog": family_blog,
    "print": family_print,
    "english_chrome": family_english_chrome,
    "summary_first": family_summary_first,
}


def _extras(rng: random.Random, page: Page, others: list[Article]) -> None:
    """Furniture any layout may carry besides its own, so that no kind is known from one family
    only: consent and widget boxes on top, ads, newsletter, share and footer lines below."""
    article, outlet = page.article, _outlet_for(rng, page.article)
    top: list[tuple[str, str]] = []
    bottom: list[tuple[str, str]] = []
    if rng.random() < 0.15:
        top += _pick(rng, CONSENT_LINES, article, outlet, (1, 2), CONSENT)
    if rng.random() < 0.15:
        top += _pick(rng, WIDGET_LINES, article, outlet, (1, 4), WIDGET)
    if rng.random() < 0.1:
        top += _pick(rng, ADVERT_LINES, article, outlet, (1, 1), ADVERT)
    if rng.random() < 0.08 and not page.lines[0][0].startswith(outlet):  # the browser title, "Site | Headline"
        top.insert(0, (f"{outlet}{rng.choice([' | ', ' - ', ' :: ', ' » '])}{article.title}", DUPLICATE))
    if rng.random() < 0.15:
        bottom += _pick(rng, SHARE_LINES, article, outlet, (1, 3), SHARE)
    if rng.random() < 0.15:
        bottom += _comments(rng, article)
    if rng.random() < 0.15:
        bottom += _related(rng, others)
    if rng.random() < 0.15:
        bottom += _pick(rng, NEWSLETTER_LINES, article, outlet, (1, 2), NEWSLETTER)
    if rng.random() < 0.2:
        bottom += _pick(rng, FOOTER_LINES, article, outlet, (1, 3), FOOTER)
    if rng.random() < 0.1:
        bottom += _pick(rng, CONSENT_LINES, article, outlet, (1, 2), CONSENT)
    body = [i for i, (_, label) in enumerate(page.lines) if label == BODY]
    has_teaser = any(label == TEASER for _, label in page.lines)
    if body and not has_teaser and rng.random() < 0.15:  # a teaser before or after the text
        teaser = _teaser(rng, article, "")
        if teaser:
            where = body[0] if rng.random() < 0.5 else body[-1] + 1
            page.lines[where:where] = [(teaser, TEASER)]
            body = [i for i, (_, label) in enumerate(page.lines) if label == BODY]
    if len(body) > 2 and rng.random() < 0.4:  # something dropped between two paragraphs
        insert = rng.choice([
            lambda: _pick(rng, ADVERT_LINES, article, outlet, (1, 1), ADVERT),
            lambda: [(_caption(rng, article), CAPTION)],
            lambda: _related(rng, others, heading=True)[:rng.randint(2, 3)],
            lambda: [(f"{rng.choice(RELATED_HEADINGS[:6]).rstrip(':')}: {rng.choice(others).title}", RELATED)],
            lambda: _pick(rng, WIDGET_LINES[26:33], article, outlet, (1, 2), WIDGET),
        ])()
        position = rng.choice(body[1:])
        page.lines[position:position] = insert
    page.lines = top + page.lines + bottom


def generate_pages(articles: list[Article], families: list[str], *, per_family: int, seed: int = 1) -> list[Page]:
    """``per_family`` pages of each named family, each around its own article (cycled)."""
    rng = random.Random(seed)
    pages = []
    cursor = 0
    for name in families:
        family = FAMILIES[name]
        for _ in range(per_family):
            article = articles[cursor % len(articles)]
            cursor += 1
            others = [articles[(cursor + k * 7919) % len(articles)] for k in range(1, 12)]
            others = [o for o in others if o.id != article.id]
            page = family(rng, article, others)
            if name != "plain":
                _extras(rng, page, others)
            page.lines = [(" ".join(text.split()), label) for text, label in page.lines if text.strip()]
            pages.append(page)
    return pages
