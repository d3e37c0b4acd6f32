# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Russian (ru).
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
language-name = Русский

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }.{ $month }.{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = Ваши права и где получить помощь
# Under the title: the paper belongs to the person.
leaflet-keep = Эта бумага для вас. Вы можете оставить её себе.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Прочитайте её, когда будете готовы. Вы можете попросить человека, которому доверяете, прочитать её вместе с вами.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Здравствуйте, { $name }!

## Your rights as a possible victim

# Heading of the section.
rights-title = Ваши права
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Мы думаем, что вы, возможно, стали жертвой торговли людьми.
# What human trafficking means, in simple words.
rights-meaning = Это значит, что вас обманули, заставили или запугали и использовали, чтобы заработать на вас деньги.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = Это преступление. Вы ни в чём не виноваты.
# The person has rights and will get help.
rights-help = В этой стране у вас есть права. Вы можете получить помощь и защиту. Вы можете задавать вопросы в любое время.
# Interpretation is free.
rights-interpreter = Вам может помогать переводчик. Для вас это бесплатно.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Помощь без обращения в полицию
# Help is not conditional on cooperating with the police or the courts.
police-text = Вы получите помощь, даже если не хотите говорить с полицией. Помощь не зависит от того, дадите ли вы показания и пойдёте ли в суд.
# The person may decide later.
police-later = Вы можете решить позже, хотите ли вы говорить с полицией.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Время отдохнуть и принять решение
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = У вас есть право на время, чтобы отдохнуть и подумать. Это называется период восстановления и размышления.
# What the period is for.
reflection-purpose = За это время вы можете прийти в себя, уйти от людей, которые причинили вам вред, и спокойно решить, что вы хотите делать. Например, хотите ли вы говорить с полицией.
# No removal from the country while the period runs.
reflection-no-removal = В это время никто не может выслать вас из этой страны.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Ваше время отдохнуть и принять решение: с { $from } по { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Ваш социальный работник скажет вам, когда это время начинается и когда заканчивается.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Разрешение остаться
# What a residence permit is.
residence-text = Возможно, вы сможете получить разрешение какое-то время оставаться в этой стране. Это называется вид на жительство.
# On what grounds it can be given.
residence-grounds = Его могут дать из-за вашего личного положения или потому, что вы помогаете полиции или суду.
# Where to get help to apply.
residence-help = Ваш социальный работник или юрист поможет вам подать заявление.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = У вас есть вид на жительство. Он действует до { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Убежище
# The right to ask for international protection.
protection-text = Если вы боитесь вернуться в свою страну, вы можете попросить защиты здесь. Это называется убежище, или международная защита.
# Asylum can be asked for together with the other help.
protection-also = Вы можете попросить убежище и при этом получать всю другую помощь, о которой здесь написано.
# Where to get help.
protection-help = Скажите социальному работнику или юристу, если хотите попросить убежище.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Помощь, которую вы можете получить
# Introduces the list below.
support-intro = Вы можете получить такую помощь. Для вас она бесплатна:
# List item: safe accommodation.
support-accommodation = безопасное место для жизни
# List item: material assistance.
support-material = еду, одежду и другие вещи, которые нужны каждый день
# List item: medical treatment.
support-medical = врача и лекарства, когда они нужны
# List item: psychological assistance.
support-psychological = человека, с которым можно поговорить о том, что с вами случилось
# List item: translation and interpretation.
support-interpretation = переводчика, чтобы вы понимали других и другие понимали вас
# List item: counselling and information.
support-counselling = советы и информацию о ваших правах на понятном вам языке
# Help is given only with the person's agreement.
support-choice = Вы сами выбираете, какую помощь хотите. Вы можете отказаться.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = У вас есть право на эту помощь с { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Юрист
# What a lawyer can do.
legal-advice = Юрист может объяснить ваши права. Юрист может помочь вам с полицией, судом и документами.
# Free when the person has no money.
legal-free = Если у вас недостаточно денег, помощь юриста для вас бесплатна.
# Representation in court.
legal-court = Юрист может также представлять вас в суде.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Деньги за причинённый вам вред
# The right to compensation, with its legal name.
compensation-text = Возможно, у вас есть право получить деньги за причинённый вам вред и за работу, за которую вам не заплатили. Это называется компенсация.
# Where to get help.
compensation-help = Юрист может помочь вам её потребовать.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = То, что вас заставили делать
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Может быть, вас заставили нарушить закон. Например, работать без документов, пользоваться поддельными документами или воровать.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = Власти могут решить не наказывать вас за то, что вас заставили делать. Расскажите об этом своему юристу или социальному работнику.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Если вам меньше 18 лет
# Children get extra protection.
children-protection = Если вам меньше 18 лет, вы получаете особую защиту.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Если вы здесь без родителей или ваши родители не могут защитить ваши интересы, у вас будет опекун. Опекун — это взрослый, который защищает ваши интересы и помогает вам принимать решения.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Если вы будете говорить с полицией или судьёй, это будет в безопасной и дружелюбной комнате и как можно реже. С вами может быть ваш опекун или представитель либо взрослый, которого вы выберете, если только нет серьёзной причины против этого человека.
# Access to education.
children-school = Вы можете ходить в школу.
# The presumption of minority.
children-age = Если никто точно не знает, сколько вам лет, вас защищают как ребёнка, пока ваш возраст не проверят.

## Whom to call

# Heading of the section.
contact-title = Куда звонить
# The organisation that helps the person. $organisation is its name.
contact-organisation = Ваша организация поддержки: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Телефон: { $phone }
# Printed when known. $email is an email address.
contact-email = Эл. почта: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Номер телефона вашего социального работника:
# The emergency number.
contact-emergency = В экстренном случае звоните 112. Звонок бесплатный, днём и ночью.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = Копия ваших данных
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Вы попросили копию информации, которую мы храним о вас. Вот эта копия. Закон даёт вам это право (Общий регламент ЕС о защите данных, статья 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = Следующие страницы пока не на вашем языке. Вы можете попросить кого-нибудь прочитать их вам или перевести.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Если что-то указано неправильно, вы можете попросить нас это исправить. Вы можете попросить нас удалить вашу информацию или на время перестать её использовать. Вы можете подать жалобу в орган по защите данных.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Информации из полицейских расследований и судебных дел в этой копии нет. Вы можете попросить орган по защите данных проверить это.
