# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Arabic (ar).
#
# Translated from en.ftl, the reference: the notes above each message explain it and are the
# same in every language file. A message missing here is printed in English, and
# `haven check-translations` lists it.
#
# For translators:
# - The reader may be frightened, tired and may have gone to school for only a few years. Use
#   plain, everyday words and short sentences. Speak to the reader as "you", kindly and directly.
#   Use the polite form of "you" if your language has one. Where your language shows whether the
#   reader is a man or a woman, prefer words that fit both.
# - Keep each message name (the part before " = ") exactly as it is. Translate only the text
#   after " = ".
# - Words in braces such as { $until } are filled in by Haven (a date, a name). Copy them exactly,
#   with the braces and the dollar sign. You may move them to where they fit in your sentence.
# - A long message may go on over several lines: start each further line with four spaces.
# - Lines starting with # are notes for you. They are never printed.

## Language

# The name of this language, written in this language and its own script. The person chooses
# their language from a list of these names.
language-name = العربية

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }/{ $month }/{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = حقوقك وأين يمكنك الحصول على المساعدة
# Under the title: the paper belongs to the person.
leaflet-keep = هذه الورقة لك. يمكنك الاحتفاظ بها.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = يمكنك قراءتها في الوقت الذي يناسبك. ويمكنك قراءتها مع شخص موضع ثقتك.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = مرحبًا { $name }.

## Your rights as a possible victim

# Heading of the section.
rights-title = حقوقك
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = نعتقد أنك ربما وقعت ضحية للاتجار بالبشر.
# What human trafficking means, in simple words.
rights-meaning = هذا يعني أن شخصًا ما كذب عليك أو أجبرك أو هددك، واستغلك لكسب المال.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = هذه جريمة. والذنب ليس ذنبك.
# The person has rights and will get help.
rights-help = لك حقوق في هذا البلد. يمكنك الحصول على المساعدة والحماية. ويمكنك طرح الأسئلة في أي وقت.
# Interpretation is free.
rights-interpreter = يمكنك الحصول على مترجم. وهذا مجاني لك.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = مساعدة دون الذهاب إلى الشرطة
# Help is not conditional on cooperating with the police or the courts.
police-text = المساعدة حق لك، سواء تحدثت إلى الشرطة أم لا. ولا تتوقف المساعدة على الإدلاء بالشهادة أو الذهاب إلى المحكمة.
# The person may decide later.
police-later = يمكنك اتخاذ القرار لاحقًا بشأن التحدث إلى الشرطة.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = وقت للراحة واتخاذ القرار
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = لك الحق في وقت للراحة والتفكير. ويسمى هذا فترة التعافي والتفكير.
# What the period is for.
reflection-purpose = في هذا الوقت يمكنك التعافي، والابتعاد عن الأشخاص الذين آذوك، واتخاذ قرارك بهدوء بشأن خطواتك القادمة. مثلًا، بشأن التحدث إلى الشرطة.
# No removal from the country while the period runs.
reflection-no-removal = خلال هذا الوقت، لا يجوز لأحد إبعادك عن هذا البلد.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = وقتك للراحة واتخاذ القرار: من { $from } إلى { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = سيخبرك الأخصائي الاجتماعي المسؤول عنك بموعد بداية هذا الوقت ونهايته.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = الإذن بالبقاء
# What a residence permit is.
residence-text = قد يمكنك الحصول على إذن بالبقاء في هذا البلد لفترة من الزمن. ويسمى هذا تصريح الإقامة.
# On what grounds it can be given.
residence-grounds = يمكن منحه بسبب ظروفك الشخصية، أو بسبب مساعدتك للشرطة أو المحكمة.
# Where to get help to apply.
residence-help = يمكن للأخصائي الاجتماعي أو للمحامي مساعدتك في تقديم الطلب.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = لديك تصريح إقامة. وهو صالح حتى { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = اللجوء
# The right to ask for international protection.
protection-text = إذا كان لديك خوف من العودة إلى بلدك، يمكنك طلب الحماية هنا. ويسمى هذا اللجوء، أو الحماية الدولية.
# Asylum can be asked for together with the other help.
protection-also = يمكنك طلب اللجوء مع الاستمرار في الحصول على كل المساعدات الأخرى المذكورة في هذه الورقة.
# Where to get help.
protection-help = إذا رغبت في طلب اللجوء، يمكنك إبلاغ الأخصائي الاجتماعي أو المحامي.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = المساعدة التي يمكنك الحصول عليها
# Introduces the list below.
support-intro = يمكنك الحصول على هذه المساعدة مجانًا:
# List item: safe accommodation.
support-accommodation = مكان آمن للسكن
# List item: material assistance.
support-material = الطعام والملابس وغيرها من الاحتياجات اليومية
# List item: medical treatment.
support-medical = طبيب، والأدوية عند الحاجة
# List item: psychological assistance.
support-psychological = شخص يمكنك التحدث معه عما حدث لك
# List item: translation and interpretation.
support-interpretation = مترجم، من أجل التفاهم مع الآخرين
# List item: counselling and information.
support-counselling = النصيحة والمعلومات عن حقوقك، بلغة مفهومة لك
# Help is given only with the person's agreement.
support-choice = لك حرية اختيار نوع المساعدة. ويمكنك الرفض.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = لك الحق في هذه المساعدة منذ { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = محامٍ
# What a lawyer can do.
legal-advice = يمكن للمحامي أن يشرح لك حقوقك. ويمكنه مساعدتك في التعامل مع الشرطة والمحكمة وأوراقك الرسمية.
# Free when the person has no money.
legal-free = إذا لم يكن لديك ما يكفي من المال، فالمحامي مجاني لك.
# Representation in court.
legal-court = ويمكن للمحامي أيضًا أن يمثلك أمام المحكمة.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = المال مقابل الضرر الذي لحق بك
# The right to compensation, with its legal name.
compensation-text = قد يكون لك الحق في الحصول على مال مقابل الضرر الذي لحق بك، ومقابل العمل الذي لم يُدفع لك أجره. ويسمى هذا التعويض.
# Where to get help.
compensation-help = يمكن للمحامي مساعدتك في المطالبة به.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = الأشياء التي أُجبرت على فعلها
# Examples of offences a victim may have been compelled to commit.
punishment-forced = ربما أُجبرت على مخالفة القانون. مثلًا: العمل دون أوراق، أو استخدام وثائق مزورة، أو السرقة.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = يمكن للسلطات أن تقرر عدم معاقبتك على الأشياء التي أُجبرت على فعلها. ومن المهم إخبار محاميك أو الأخصائي الاجتماعي بذلك.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = إذا كان عمرك أقل من 18 سنة
# Children get extra protection.
children-protection = إذا كان عمرك أقل من 18 سنة، فلك حماية إضافية.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = إذا كنت هنا بدون والديك، أو كان والداك لا يستطيعان حماية مصالحك، فسيُعيَّن لك وصي. والوصي شخص بالغ يحمي مصالحك ويساعدك في اتخاذ القرارات.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = إذا تحدثت إلى الشرطة أو إلى قاضٍ، فسيكون ذلك في غرفة آمنة ومريحة، وبأقل عدد ممكن من المرات. ويمكن أن يرافقك وصيّك أو ممثلك، أو شخص بالغ تختاره، ما لم يكن هناك سبب جدي يمنع حضور هذا الشخص.
# Access to education.
children-school = يمكنك الذهاب إلى المدرسة.
# The presumption of minority.
children-age = إذا لم يكن أحد متأكدًا من عمرك، فلك حماية الطفل إلى أن يتم التحقق من عمرك.

## Whom to call

# Heading of the section.
contact-title = جهات الاتصال
# The organisation that helps the person. $organisation is its name.
contact-organisation = منظمة الدعم الخاصة بك: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = الهاتف: { $phone }
# Printed when known. $email is an email address.
contact-email = البريد الإلكتروني: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = رقم هاتف الأخصائي الاجتماعي المسؤول عنك:
# The emergency number.
contact-emergency = في حالة الطوارئ، الرقم هو 112. والاتصال مجاني، ليلًا ونهارًا.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = نسخة من بياناتك
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = لقد طلبت نسخة من المعلومات التي نحتفظ بها عنك. هذه هي النسخة. القانون يعطيك هذا الحق (اللائحة العامة لحماية البيانات في الاتحاد الأوروبي، المادة 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = الصفحات التالية ليست بلغتك بعد. يمكنك أن تطلب من شخص أن يقرأها لك أو أن يترجمها.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = إذا كان هناك شيء غير صحيح، يمكنك أن تطلب منا تصحيحه. يمكنك أن تطلب منا حذف معلوماتك، أو التوقف عن استخدامها لفترة. يمكنك تقديم شكوى إلى هيئة حماية البيانات.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = المعلومات من تحقيقات الشرطة وقضايا المحاكم ليست في هذه النسخة. يمكنك أن تطلب من هيئة حماية البيانات التحقق من ذلك.
