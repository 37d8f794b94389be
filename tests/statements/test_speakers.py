"""Speaker resolution: candidates, fragments, the learned choice, and its trainer."""

import json

import khabar
from khabar.devsets import evaluation_files, half_ids
from khabar.statements.speakers import is_fragment, name_key, same_speaker
from khabar.statements.train_speakers import accuracy, fit


def quotes(text):
    return khabar.process(text, id="t").to_json()["quotes"]


def test_fragments_are_no_speakers():
    assert is_fragment("للأطفال")
    assert is_fragment("خامسة في رئاسة الفيفا يوم 29 مايو الماضي لكنه")
    assert is_fragment("على الرغم")
    assert is_fragment("السبت")  # a day
    assert is_fragment("تكريم الدوحة إرهابياً")  # an accusative with tanween is no subject
    assert not is_fragment("علي الأحمدي")  # the name, not the preposition
    assert not is_fragment("المتحدث الرسمي")
    assert not is_fragment("عادل الجبير")


def test_names_of_one_speaker_are_one_candidate():
    assert same_speaker(name_key("الجبير"), name_key("عادل الجبير"))
    assert same_speaker(name_key("للوزير"), name_key("الوزير"))
    assert not same_speaker(name_key("عادل الجبير"), name_key("عادل الزهراني"))


def test_role_mention_resolves_to_the_person_named_with_that_role():
    found = quotes("قال وزير الخارجية السعودي عادل الجبير إن المملكة ماضية في دعم الحكومة الشرعية في اليمن. "
                   "وأضاف الوزير أن الحل السياسي هو الأساس.")
    assert [q["speaker"] for q in found] == ["عادل الجبير", "عادل الجبير"]
    assert found[1]["speaker_mention"] == "الوزير"
    assert found[1]["speaker_entity"] == found[0]["speaker_entity"] is not None


def test_a_role_and_its_adjectives_stay_a_description():
    found = quotes("وأكد المتحدث الرسمي أن الاجتماع سيعقد غدا.")
    assert found[0]["speaker"] == "المتحدث الرسمي"


def test_the_relay_of_a_contact_phrase_before_the_cue_reaches_the_statement_and_its_continuation():
    found = quotes("اعترف المقدم في مداخلة عبر إذاعة الرياض بخطئه وقال: أنا أخطأت في حق الجمهور. "
                   "وأضاف أنه لن يكرر ذلك.")
    assert [q["via"] for q in found] == [[{"name": "إذاعة الرياض", "relation": "statement_to"}]] * 2


def test_an_interview_made_by_the_outlet_is_told_to_it():
    found = quotes('من جانبه، قال محمد النهاري في اتصال هاتفي أجرته معه "الوطن" إن القضية لا أساس لها.')
    assert found[0]["via"] == [{"name": "الوطن", "relation": "told_to"}]


def test_the_ranker_learns_which_candidate_features_are_right():
    groups = [([{"a": 1.0}, {"b": 1.0}], [True, False]), ([{"b": 1.0, "c": 1.0}, {"a": 1.0}], [False, True]),
              ([{"a": 1.0, "c": 1.0}, {"c": 1.0}], [True, False])]
    weights = fit(groups, steps=300)
    assert weights["a"] > 0 > weights["b"]
    assert accuracy(groups, weights) == 1.0
    assert fit(groups, steps=300) == weights  # deterministic


def test_the_halves_of_a_development_set_split_each_outlet(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(f'{{"id": "{o}{i}", "source": "{o}"}}\n' for o in "ab" for i in range(4)))
    tune, report = half_ids(docs, "tune"), half_ids(docs, "report")
    assert tune == {"a0", "a2", "b0", "b2"} and report == {"a1", "a3", "b1", "b3"}
    (tmp_path / "gold.jsonl").write_text("".join(f'{{"doc_id": "{o}{i}"}}\n' for o in "ab" for i in range(4)))
    half_docs, half_gold, found = evaluation_files(tmp_path, "report", None)
    assert [json.loads(line)["doc_id"] for line in half_gold.read_text().splitlines()] == ["a1", "a3", "b1", "b3"]
    assert len(half_docs.read_text().splitlines()) == 4 and found.parent == half_docs.parent
    assert evaluation_files(tmp_path, None, tmp_path / "out.jsonl") == (docs, tmp_path / "gold.jsonl",
                                                                       tmp_path / "out.jsonl")


def test_an_according_to_between_the_cue_and_its_content_is_a_relay_of_that_statement():
    found = quotes('وذكر كيريل ديمترييف في مؤتمر صحافي عبر الهاتف، بحسب "رويترز"، أن الصندوق ينوي زيادة '
                   'استثماراته في المنطقة.')
    assert len(found) == 1
    assert found[0]["speaker"] == "كيريل ديمترييف"
    assert found[0]["via"] == [{"name": "رويترز", "relation": "according_to"}]


def test_the_press_as_addressee_keeps_its_article():
    found = quotes("وقال ميشال بارنييه للصحافيين في بروكسل إن الاتفاق بات قريبا.")
    assert found[0]["via"] == [{"name": "الصحافيين", "relation": "told_to"}]


def test_a_clause_about_a_copy_of_the_statement_is_no_speaker():
    found = quotes("وأكد مجلس الأمن أن الإرهاب يهدد السلم الدولي. كما أعرب في بيان، تلقت الأناضول نسخة منه، "
                   "عن تضامنه مع بوركينا فاسو في كفاحها ضد الإرهاب.")
    assert "نسخة" not in found[-1]["speaker"] and "نسخة" not in found[-1]["speaker_mention"]


def test_a_title_alone_names_the_person_introduced_with_it_anywhere_in_the_article():
    found = quotes("الهلال يستعد للقاء العين\nوقال رئيس الهلال إن الفريق جاهز للمباراة.\n"
                   "وكان رئيس نادي الهلال الأمير نواف بن سعد قد عاد إلى الرياض أمس من فرنسا.")
    assert found[0]["speaker_mention"] == "رئيس الهلال"
    assert found[0]["speaker"] == "نواف بن سعد"  # named only further on


def test_a_spokesman_for_an_institution_is_not_the_institution():
    assert not same_speaker(name_key("الفاتيكان"), name_key("متحدث باسم الفاتيكان"))
    found = quotes("أدان الفاتيكان الانتهاكات التي ارتكبها كهنة في بنسلفانيا. "
                   "وقال متحدث باسم الفاتيكان إن البابا يريد القضاء على هذه المأساة.")
    assert [q["speaker"] for q in found] == ["الفاتيكان", "متحدث باسم الفاتيكان"]
    assert is_fragment("وحول موقف أميركا من القضية الفلسطينية")


def test_an_object_verbs_subject_keeps_its_adjective_alias_and_apposition():
    found = quotes("أعلن مكتب التحقيقات الفدرالي الأمريكي إحباط مخطط اعتداء في مدينة كليفلند.")
    assert found[0]["speaker"] == "مكتب التحقيقات الفدرالي الأمريكي"
    assert found[0]["content"].startswith("إحباط مخطط")
    found = quotes('أعلنت وكالة الأنباء السورية "سانا" الخميس عن دخول قوات النظام أحياء في درعا.')
    assert found[0]["content"].startswith("دخول قوات")
    found = quotes("أكد عادل عزت، رئيس اتحاد القدم السعودي، مناقشة موضوع مشاركة اللاعبين الدوليين.")
    assert (found[0]["speaker"], found[0]["role"]) == ("عادل عزت", "رئيس اتحاد القدم السعودي")
    assert found[0]["content"].startswith("مناقشة")


def test_a_quoted_name_after_a_preposition_is_part_of_the_subject():
    found = quotes('وقال المسؤول في "إف بي آي" المكلف الملف، ستيف أنطوني في مؤتمر صحافي، إن المتهم '
                   '"كان ينوي القتل".')
    assert found[0]["speaker"] == "ستيف أنطوني"
    assert found[0]["content"].startswith("المتهم")


def test_a_counterpart_after_the_speaker_is_the_addressee():
    found = quotes('وأبلغ الرئيس الفرنسي إيمانويل ماكرون نظيره الأمريكي ليل الجمعة أن قراره "غير شرعي".')
    assert found[0]["speaker"] == "إيمانويل ماكرون"
    assert [(v["name"], v["relation"]) for v in found[0]["via"]] == [("نظيره الأمريكي", "told_to")]


def test_a_clause_too_long_for_a_subject_leaves_the_verb_to_the_organisation_before():
    found = quotes("نشرت منظمة العفو الدولية تقريرا يدعو للتحقيق في شبكة سجون سرية في جنوب اليمن، "
                   'قالت فيه إن السجون تشهد "انتهاكات فظيعة".')
    assert found[0]["speaker"] == "منظمة العفو الدولية"


def test_a_long_title_with_coordinated_nouns_and_the_name_between_commas_is_the_subject():
    found = quotes("أعلن وزير الموارد المائية والري والكهرباء السوداني، معتز موسى، عن عقد اجتماع في الخامس من مايو.")
    assert (found[0]["speaker"], found[0]["role"]) == ("معتز موسى", "وزير الموارد المائية والري والكهرباء السوداني")
    assert found[0]["content"].startswith("عقد اجتماع")
    found = quotes("أعلنت المفوضية العليا المستقلة للانتخابات في العراق، السبت، عن موعد بدء عمليات إعادة الفرز.")
    assert found[0]["speaker"] == "المفوضية العليا المستقلة للانتخابات في العراق"
    assert found[0]["content"].startswith("موعد")


def test_a_name_after_the_preposition_li_is_the_addressee_and_a_time_phrase_no_subject():
    found = quotes('ونقلت تاس عن شويغو قوله خلال اجتماع مع ليبرمان "هناك قضايا كثيرة مثارة" '
                   'وأضاف لليبرمان "يجب علينا أن نبحث اليوم كل شيء".')
    assert found[1]["speaker"] == "شويغو"
    assert {"name": "ليبرمان", "relation": "told_to"} in found[1]["via"]
    found = quotes("وتقول كوريا الشمالية منذ فترة طويلة إنها مستعدة للتخلي عن ترسانتها النووية.")
    assert found[0]["speaker"] == "كوريا الشمالية"


def test_a_statement_an_agency_broadcast_is_published_in_it_and_a_particle_is_no_subject():
    found = quotes('وأدان عبد الرقيب فتح الهجوم. وقال في تصريح بثته وكالة الأنباء الرسمية سبأ "إن الهجوم مرفوض".')
    assert found[1]["via"] == [{"name": "وكالة الأنباء الرسمية سبأ", "relation": "published_in"}]
    found = quotes("وكان وزير الداخلية الفرنسية، جيرار كولوم، قد قال للصحفيين، إن المهاجم معروف للسلطات.")
    assert found[0]["speaker"] == "جيرار كولوم"


def test_asides_after_the_subject_are_no_part_of_it():
    cases = [
        ("وتؤكد الأميرة، واحدة من بين ثلاثين من أبناء الملك الراحل، أن والدها كان قريبا من الناس.",
         "الأميرة", "والدها"),
        ("أعلنت السعودية رسميا أنه سوف يسمح للمرأة بقيادة السيارات.", "السعودية", "سوف"),
        ("وقال المرصد السوري لحقوق الإنسان، ومقره بريطانيا، وقتها إنه لم يتمكن من تحديد الأسباب.",
         "المرصد السوري لحقوق الإنسان", "لم يتمكن"),
        ("من جانبه، أشاد معهد نايت، الذي تولى تقديم الشكاوى للمحكمة، بالقرار الجديد.", "معهد نايت", "بالقرار"),
        ("وقال بيان صادر عن قصر كينغستون إن ماركل ستقضي الليلة في فندق.", "بيان صادر عن قصر كينغستون", "ماركل"),
    ]
    for text, speaker, content in cases:
        (found,) = quotes(text)
        assert found["speaker"] == speaker, text
        assert found["content"].startswith(content), text


def test_a_report_quoting_someone_relays_him_and_a_construct_title_is_no_name():
    (found,) = quotes("وأشار بيان حكومي نقلا عن محمد البسامي، مدير الإدارة العامة للمرور، إلى اكتمال المتطلبات.")
    assert found["speaker"] == "محمد البسامي"
    assert found["via"] == [{"name": "بيان حكومي", "relation": "reported_by"}]
    found = quotes("وقالت وزيرة الأمن في الحكومة الأرجنتينية، باترسيا بولريتش، إن قيمة الشحنة كبيرة. "
                   "واعتقل شخصان في الأرجنتين. وقالت وزيرة الأمن إن أجهزة الأمن الروسية ساعدت في التحقيق.")
    assert [q["speaker"] for q in found] == ["باترسيا بولريتش", "باترسيا بولريتش"]


def test_a_medium_told_after_the_object_and_a_medium_that_published_the_statement_are_relays():
    (found,) = quotes("ونفى الوزير الخبر لصحيفة الحياة.")
    assert found["content"] == "الخبر"
    assert found["via"] == [{"name": "صحيفة الحياة", "relation": "told_to"}]
    (found,) = quotes("وأعلن الوزير تقديم الدعم لقناة الجزيرة الرياضية في بطولتها.")
    assert found["via"] == []  # a beneficiary, not an addressee: something follows the name
    found = quotes("ونشرت صحيفة هآرتس الإسرائيلية تصريحا للمدرب خالد العمر الذي أعلن عن رحيله، وأكد أنه "
                   "لن يعود.")
    assert [v["relation"] for q in found for v in q["via"]] == ["published_in", "published_in"]
    assert found[0]["via"][0]["name"] == "صحيفة هآرتس الإسرائيلية"


def test_relative_clauses_with_a_resumptive_pronoun_and_objects_holding_an_institution():
    found = quotes("وقال عبد الحميد غول إن مسلم تعهد التعاون مع جميع إجراءات تسليمه التي طالبت بها أنقرة.")
    assert [q["cue"] for q in found] == ["وقال"]  # طالبت بها: what was asked for is the antecedent
    (found,) = quotes("وألقى الوزير كلمة في الحفل التي قال فيها إن المملكة ماضية في الإصلاح.")
    assert found["speaker"] in ("", "الوزير")  # never a word of the clause before التي
    found = quotes("وقال أبو علي الكحلاني إن الحوثيين اعتدوا على الضابط. "
                   "وطالبوا بإغلاق قسم شرطة الرازقي، كما رفضوا إعادة الأسلحة.")
    assert "قسم" not in found[-1]["speaker"]
    (found,) = quotes("واتهمت تقارير دولية الميليشيات الانقلابية بزراعة الألغام المحرمة دولياً.")
    assert found["speaker"] == "تقارير دولية"


def test_a_long_title_with_a_coordinated_noun_and_its_institution_runs_to_the_name():
    (found,) = quotes("من جهته، أكد مدير العلاقات العامة والإعلام المتحدث الرسمي بأمانة منطقة الرياض ابراهيم "
                      "الدعيلج عدم قبول الأمانة ما حدث.")
    assert found["speaker"] == "ابراهيم الدعيلج"
    assert found["role"] == "مدير العلاقات العامة والإعلام المتحدث الرسمي بأمانة منطقة الرياض"
    assert found["content"].startswith("عدم قبول")


def test_the_gender_of_a_carried_cue_is_its_own():
    """A feminine verb carried from a masculine speaker keeps its gender for the ranker."""
    from khabar.statements.speakers import _cue_gender

    class Carried:
        cue = type("C", (), {"gender": "f"})()
        gender = "m"
    assert _cue_gender(Carried()) == "f"


def test_objects_told_apart_from_subjects_by_case_and_gender():
    (found,) = quotes("وأبلغ الوزير مراسلين سنغافوريين أن واشنطن وبيونغيانغ تشعران بالرضا.")
    assert found["speaker"] == "الوزير"
    assert found["via"] == [{"name": "مراسلين سنغافوريين", "relation": "told_to"}]
    found = quotes("وقال ترامب إن الجيش جاهز. وحذر كوريا الشمالية من أي عمل أحمق.")
    assert found[1]["speaker"] == "ترامب"  # a masculine verb: the (feminine) country is its object
    (found,) = quotes("وحذرت روسيا من أي عمل أحمق.")
    assert found["speaker"] == "روسيا"


def test_an_according_to_source_ends_before_its_relative_clause_and_bayyana_needs_its_opener():
    (found,) = quotes("وفي وقت سابق قتل شاب في السابعة عشرة بالرصاص، بحسب الشرطة التي فتحت تحقيقا.")
    assert found["speaker"] == "الشرطة"
    assert found["content"].endswith("بالرصاص")
    assert quotes("وتستضيف كييف المباراة النهائية، بين فريقي ليفربول وريال مدريد يوم السبت.") == []


def test_what_a_verb_of_saying_sends_is_no_speaker():
    (found,) = quotes("ووجه مفتي السعودية نداء للشباب الذين اغتروا بأفكارهم، بأن يحذروا من سفك الدماء البريئة.")
    assert found["speaker"] == "مفتي السعودية"


def test_names_of_media_services_affiliation_and_lineage():
    found = quotes('وقالت هدى الخالدي إن ابنها أصيب. وتضيف لبي بي سي عربي: "خرجنا لنطالب بحقوقنا الضائعة".')
    assert found[1]["speaker"] == "هدى الخالدي"
    assert found[1]["via"] == [{"name": "بي بي سي عربي", "relation": "told_to"}]
    (found,) = quotes("وأفادت تحقيقات أجرتها مؤسسة خيرية تابعة لوكالة رويترز للأنباء إن واحدا من كل عشرين منشورا "
                      "تضمن ضحايا.")
    assert found["via"] == []  # affiliated with the agency, not told to it
    (found,) = quotes("وصفت الشيخة موزا بنت ناصر، والدة أمير قطر، التهم التي وجهتها دول الحصار بالأكاذيب.")
    assert found["speaker"] == "موزا بنت ناصر"
    assert found["content"].startswith("التهم")


def test_no_subject_before_a_verb_after_a_connector_or_an_accusative():
    (found,) = quotes("وبث التلفزيون السوري نقلاً مباشراً قال إنه يظهر تصدي الدفاعات الجوية.")
    assert "نقلا" not in found["speaker"] and "نقلاً" not in found["speaker"]
    found = quotes("وقالت أنقرة إنها ستضرب المسلحين. يتمركز الحزب في جبال قنديل كما هددت أيضا بتنفيذ عمليات في سنجار.")
    assert found[1]["speaker"] == "أنقرة"
    assert found[1]["content"].startswith("بتنفيذ")


def test_a_relative_clause_on_the_subject_with_its_own_verb_leaves_the_opener_to_the_main_verb():
    for text in ("وقال المسؤول الأمريكي، الذي طلب عدم نشر اسمه، إن المفاوضات متعثرة منذ أسابيع.",
                 "وقال المسؤول الأمريكي الذي طلب عدم نشر اسمه إن المفاوضات متعثرة منذ أسابيع.",
                 "وقال المسؤول الأمريكي الذي رفض الكشف عن اسمه إن المفاوضات متعثرة منذ أسابيع."):
        (found,) = quotes(text)
        assert (found["cue"], found["speaker"]) == ("وقال", "المسؤول الأمريكي"), text
        assert found["content"] == "المفاوضات متعثرة منذ أسابيع"
    (found,) = quotes("وقال الرجل الذي أكد أن المفاوضات متعثرة كلاما كثيرا.")
    assert found["cue"] == "أكد"  # the clause's verb with its own opener keeps it
    (found,) = quotes("وقالت الطالبة التي تبلغ من العمر 18 عاما إن المدرسة مغلقة.")
    assert (found["cue"], found["speaker"]) == ("وقالت", "الطالبة")


def test_appositions_addressees_and_plural_verbs():
    (found,) = quotes("ناشد الرئيس التركي، رجب طيب أردوغان خلال تجمع حاشد في البوسنة، الرعايا الأتراك بالتصويت له.")
    assert (found["speaker"], found["role"]) == ("رجب طيب أردوغان", "الرئيس التركي")
    (found,) = quotes("وأبلغ الرئيس رجب طيب إردوغان تجمعا انتخابيا أن الشرطة ألقت القبض على عامل.")
    assert found["via"] == [{"name": "تجمعا انتخابيا", "relation": "told_to"}]
    from khabar.statements.extract import _plural_name

    assert _plural_name("الحوثيون") and _plural_name("مصادر محلية") and not _plural_name("أحمد الخالد")
    assert not any(_plural_name(name) for name in ("بوتين", "ياسين", "الحسين", "زيدون", "الأمين العام"))
    found = quotes("وأعلن الحوثيون استهداف المطار. وصرح مسؤول إماراتي بأن العمليات طبيعية. "
                   "وقالوا إن أبوظبي هدف لصواريخهم.")
    assert found[-1]["speaker"] == "الحوثيون"  # a plural verb carries the plural speaker
    assert is_fragment("بعدها الأخير") and is_fragment("الماضي")


def test_a_cue_that_ends_the_text_says_nothing():
    """Found by the property test: an object verb as the whole text once indexed past the end."""
    assert quotes("أكد") == [] and quotes("وأكد") == []


def test_a_statement_after_an_object_verbs_clause_is_not_relayed_by_it():
    found = quotes("ففيما حملت الجامعة الطالبة مسؤولية اختيارها، تنفي الطالبة وأسرتها أنها تقدمت لتخصص الحاسب.")
    assert [q["via"] for q in found] == [[], []]


def test_a_name_after_a_prepositional_title_and_nouns_that_are_never_speakers():
    (found,) = quotes("وأوضح المشرف على المعرض أحمد الجابري، أنه يحرص على المشاركة في المهرجان.")
    assert (found["speaker"], found["role"]) == ("أحمد الجابري", "المشرف على المعرض")
    found = quotes("وتتهم العدالة الأمريكية بين أمور أخرى هذا المصرف أنه سمح للعملاء بفتح حسابات خفية. "
                   "وأوضح المصرف في بيان أن الأحكام ستمكنه من تغطية العقوبة.")
    assert [q["speaker"] for q in found] == ["العدالة الأمريكية", "المصرف"]
    assert is_fragment("الأول")  # قال أمس الأول
    found = quotes("وكانت تقارير صحافية قد لفتت الأنظار إلى المخاطر التي تتعرض لها السيارات.")
    assert all(q["speaker"] != "الأنظار" for q in found)


def test_a_quotation_after_the_cues_own_preposition_is_its_content():
    (found,) = quotes("كشفت مصادر واسعة الاطلاع لـ«الشرق الأوسط» عن «وصول تهديدات جدية بتفجير الدورة الثالثة».")
    assert found["speaker"] == "مصادر واسعة الاطلاع"
    assert found["via"] == [{"name": "الشرق الأوسط", "relation": "told_to"}]
    assert found["content"].startswith("وصول")


def test_a_title_with_an_indefinite_aam_names_the_person_introduced_with_it():
    found = quotes("وقال مفتي عام المملكة الشيخ عبد العزيز آل الشيخ إن الصلاة في المقابر لا تجوز. "
                   "وشدد مفتي عام المملكة على أن البدع محرمة.")
    assert found[0]["speaker"] == found[1]["speaker"] != "مفتي عام المملكة"
    from khabar.statements.lexicon import load_lexicon
    from khabar.statements.speakers import SpeakerResolver

    assert SpeakerResolver(load_lexicon(), weights={})._title_head("مفتي عام المملكة") is not None


def test_a_clause_on_the_speaker_ends_the_addressees_name():
    found = quotes('وقالت كيت مكلور إنها شعرت بالإحباط. وقالت للصحيفة وهي تبكي: "لا أريد أن أفقد وظيفتي".')
    assert found[1]["via"] == [{"name": "الصحيفة", "relation": "told_to"}]
    assert is_fragment("ولطالما")
