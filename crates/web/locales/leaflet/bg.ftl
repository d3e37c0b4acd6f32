# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Bulgarian (bg).
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
language-name = Български

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
# Here the date ends with a full stop, so a sentence that ends with a date has no full stop of
# its own.
date = { $day }.{ $month }.{ $year } г.

## Title

# The title at the top of the leaflet.
leaflet-title = Вашите права и къде да получите помощ
# Under the title: the paper belongs to the person.
leaflet-keep = Този лист е за вас. Можете да го запазите.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Прочетете го, когато сте готови. Можете да помолите човек, на когото имате доверие, да го прочете заедно с вас.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Здравейте, { $name }!

## Your rights as a possible victim

# Heading of the section.
rights-title = Вашите права
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Смятаме, че може би сте жертва на трафик на хора.
# What human trafficking means, in simple words.
rights-meaning = Това означава, че някой ви е излъгал, принудил или заплашил и ви е използвал, за да печели пари.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = Това е престъпление. Вината не е ваша.
# The person has rights and will get help.
rights-help = В тази страна вие имате права. Можете да получите помощ и закрила. Можете да задавате въпроси по всяко време.
# Interpretation is free.
rights-interpreter = Можете да имате преводач. За вас това е безплатно.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Помощ, без да ходите в полицията
# Help is not conditional on cooperating with the police or the courts.
police-text = Ще получите помощ, дори ако не искате да говорите с полицията. Помощта не зависи от това дали ще дадете показания или ще отидете в съда.
# The person may decide later.
police-later = Можете да решите по-късно дали искате да говорите с полицията.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Време за почивка и решение
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = Имате право на време, за да си починете и да помислите. То се нарича период за възстановяване и размисъл.
# What the period is for.
reflection-purpose = През това време можете да се възстановите, да се отдалечите от хората, които са ви наранили, и спокойно да решите какво искате да направите. Например дали искате да говорите с полицията.
# No removal from the country while the period runs.
reflection-no-removal = През това време никой не може да ви изгони от тази страна.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Вашето време за почивка и решение: от { $from } до { $until }
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Вашият социален работник ще ви каже кога започва и кога свършва това време.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Разрешение да останете
# What a residence permit is.
residence-text = Може би ще можете да получите разрешение да останете известно време в тази страна. Това се нарича разрешение за пребиваване.
# On what grounds it can be given.
residence-grounds = То може да бъде дадено заради личното ви положение или защото помагате на полицията или на съда.
# Where to get help to apply.
residence-help = Вашият социален работник или адвокат може да ви помогне да го поискате.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = Имате разрешение за пребиваване. То е валидно до { $until }

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Убежище
# The right to ask for international protection.
protection-text = Ако се страхувате да се върнете в своята страна, можете да поискате закрила тук. Това се нарича убежище или международна закрила.
# Asylum can be asked for together with the other help.
protection-also = Можете да поискате убежище и пак да получавате цялата друга помощ от този лист.
# Where to get help.
protection-help = Кажете на социалния работник или на адвокат, ако искате да поискате убежище.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Помощ, която можете да получите
# Introduces the list below.
support-intro = Можете да получите тази помощ. За вас тя е безплатна:
# List item: safe accommodation.
support-accommodation = безопасно място за живеене
# List item: material assistance.
support-material = храна, дрехи и други неща, от които имате нужда всеки ден
# List item: medical treatment.
support-medical = лекар и лекарства, когато са ви нужни
# List item: psychological assistance.
support-psychological = човек, с когото да поговорите за това, което ви се е случило
# List item: translation and interpretation.
support-interpretation = преводач, за да разбирате другите и те да ви разбират
# List item: counselling and information.
support-counselling = съвети и информация за правата ви на език, който разбирате
# Help is given only with the person's agreement.
support-choice = Вие избирате каква помощ искате. Можете да откажете.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = Имате право на тази помощ от { $since }

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Адвокат
# What a lawyer can do.
legal-advice = Адвокат може да ви обясни правата ви. Адвокат може да ви помогне с полицията, съда и документите ви.
# Free when the person has no money.
legal-free = Ако нямате достатъчно пари, адвокатът е безплатен за вас.
# Representation in court.
legal-court = Адвокат може също да ви представлява в съда.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Пари за вредата, която ви е причинена
# The right to compensation, with its legal name.
compensation-text = Може би имате право на пари за вредата, която ви е причинена, и за работа, за която не са ви платили. Това се нарича обезщетение.
# Where to get help.
compensation-help = Адвокат може да ви помогне да го поискате.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Това, което са ви принудили да правите
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Може би са ви принудили да нарушите закона. Например да работите без документи, да използвате фалшиви документи или да крадете.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = Властите могат да решат да не ви наказват за това, което са ви принудили да направите. Кажете за това на адвоката или на социалния си работник.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Ако сте под 18 години
# Children get extra protection.
children-protection = Ако сте под 18 години, получавате допълнителна закрила.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Ако сте тук без родителите си или родителите ви не могат да защитят интересите ви, ще имате настойник. Настойникът е възрастен, който защитава интересите ви и ви помага да вземате решения.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Ако говорите с полицията или със съдия, това ще бъде в безопасна и приятелска стая и колкото може по-рядко. С вас може да бъде вашият настойник или представител или възрастен, когото изберете, освен ако има сериозна причина срещу този човек.
# Access to education.
children-school = Можете да ходите на училище.
# The presumption of minority.
children-age = Ако никой не знае със сигурност на колко години сте, ви пазят като дете, докато възрастта ви бъде проверена.

## Whom to call

# Heading of the section.
contact-title = На кого да се обадите
# The organisation that helps the person. $organisation is its name.
contact-organisation = Вашата организация за подкрепа: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Телефон: { $phone }
# Printed when known. $email is an email address.
contact-email = Имейл: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Телефонен номер на вашия социален работник:
# The emergency number.
contact-emergency = При спешен случай се обадете на 112. Обаждането е безплатно, денем и нощем.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = Копие на вашите данни
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Вие поискахте копие на информацията, която пазим за вас. Това е копието. Законът ви дава това право (Общ регламент на ЕС относно защитата на данните, член 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = Следващите страници все още не са на вашия език. Можете да помолите някого да ви ги прочете или преведе.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Ако нещо е грешно, можете да ни помолите да го поправим. Можете да ни помолите да изтрием вашата информация или да спрем да я използваме за известно време. Можете да подадете жалба до органа за защита на данните.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Информацията от полицейски разследвания и съдебни дела не е в това копие. Можете да помолите органа за защита на данните да провери това.
