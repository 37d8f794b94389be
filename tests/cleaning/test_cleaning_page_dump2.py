"""A second hand-written page dump: blank lines between blocks, the title after the text,
English chrome, a teaser, a caption and a 'read also' line inside the article."""

import khabar

PAGE = """Skip to main content

Menu

الرياضة | الاقتصاد | الثقافة | الصحة | آراء

خلال حفل التوقيع في الدوحة (أرشيف)

وقعت قطر وسلطنة عمان اتفاقية للتعاون في مجال الطاقة المتجددة خلال زيارة رسمية لوزير الطاقة العماني إلى الدوحة استمرت يومين.

وتنص الاتفاقية على تبادل الخبرات وإنشاء مشاريع مشتركة للطاقة الشمسية وطاقة الرياح في البلدين.

إقرأ أيضاً: السعودية تطلق أكبر مشروع للطاقة الشمسية في المنطقة

وأوضح الوزير العماني أن بلاده تسعى لرفع حصة الطاقة المتجددة إلى ثلاثين في المئة من إنتاج الكهرباء بحلول عام 2030.

قطر وعمان توقعان اتفاقية للتعاون في الطاقة المتجددة

منذ 3 ساعات

وقعت قطر وسلطنة عمان اتفاقية للتعاون في مجال الطاقة المتجددة خلال زيارة رسمية لوزير الطاقة العم...

Share this story

Facebook

WhatsApp

الأكثر تداولاً

إغلاق مطار بيروت مؤقتا بسبب الأحوال الجوية

الكويت ترفع أسعار الوقود

هل تحب الاشتراك في إشعارات الأخبار العاجلة؟

© جميع الحقوق محفوظة"""

MUST_KEEP = ["وقعت قطر وسلطنة عمان اتفاقية", "وتنص الاتفاقية على تبادل الخبرات", "وأوضح الوزير العماني"]
MUST_GO = ["Skip to main content", "Menu", "الرياضة | الاقتصاد", "إقرأ أيضاً", "منذ 3 ساعات", "Share this story",
           "Facebook", "WhatsApp", "الأكثر تداولاً", "إغلاق مطار بيروت", "الكويت ترفع", "إشعارات الأخبار",
           "جميع الحقوق محفوظة", "خلال حفل التوقيع"]


def test_page_dump_title_after_the_text_and_a_teaser():
    document = khabar.process(PAGE, pipeline=khabar.api.default_pipeline(["clean"]))
    assert document.title == "قطر وعمان توقعان اتفاقية للتعاون في الطاقة المتجددة"
    assert document.teaser and document.teaser.endswith("العم...")
    text = document.text
    assert all(s in text for s in MUST_KEEP)
    kept = [s for s in MUST_GO if s in text]
    assert len(kept) <= 2, kept
    assert len(document.body) == 3
