# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
#
# English is the reference: every other language has the same messages. A message missing in a
# language is printed in English, and `haven check-translations` lists it.
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
language-name = English

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }/{ $month }/{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = Your rights and where to get help
# Under the title: the paper belongs to the person.
leaflet-keep = This paper is for you. You can keep it.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Read it when you are ready. You can ask someone you trust to read it with you.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Hello, { $name }.

## Your rights as a possible victim

# Heading of the section.
rights-title = Your rights
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = We think that you may be a victim of human trafficking.
# What human trafficking means, in simple words.
rights-meaning = This means that someone lied to you, forced you or threatened you, and used you to make money.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = This is a crime. It is not your fault.
# The person has rights and will get help.
rights-help = You have rights in this country. You can get help and protection. You can ask questions at any time.
# Interpretation is free.
rights-interpreter = You can have an interpreter. This is free for you.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Help without going to the police
# Help is not conditional on cooperating with the police or the courts.
police-text = You get help even if you do not want to talk to the police. Help does not depend on giving evidence or going to court.
# The person may decide later.
police-later = You can decide later if you want to talk to the police.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Time to rest and decide
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = You have the right to time to rest and think. This is called the recovery and reflection period.
# What the period is for.
reflection-purpose = In this time you can get well, get away from the people who hurt you, and decide calmly what you want to do. For example, if you want to talk to the police.
# No removal from the country while the period runs.
reflection-no-removal = During this time, nobody can send you out of this country.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Your time to rest and decide: from { $from } to { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Your support worker will tell you when this time starts and ends.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Permission to stay
# What a residence permit is.
residence-text = You may be able to get permission to stay in this country for some time. This is called a residence permit.
# On what grounds it can be given.
residence-grounds = It can be given because of your personal situation, or because you help the police or the court.
# Where to get help to apply.
residence-help = Your support worker or a lawyer can help you apply.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = You have a residence permit. It is valid until { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Asylum
# The right to ask for international protection.
protection-text = If you are afraid to go back to your country, you can ask for protection here. This is called asylum, or international protection.
# Asylum can be asked for together with the other help.
protection-also = You can ask for asylum and still get all the other help in this paper.
# Where to get help.
protection-help = Tell your support worker or a lawyer if you want to ask for asylum.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Help you can get
# Introduces the list below.
support-intro = You can get this help. It is free for you:
# List item: safe accommodation.
support-accommodation = a safe place to live
# List item: material assistance.
support-material = food, clothes and other things you need every day
# List item: medical treatment.
support-medical = a doctor, and medicine when you need it
# List item: psychological assistance.
support-psychological = someone to talk to about what happened to you
# List item: translation and interpretation.
support-interpretation = an interpreter, so that you understand and are understood
# List item: counselling and information.
support-counselling = advice and information about your rights, in a language you understand
# Help is given only with the person's agreement.
support-choice = You choose the help you want. You can say no.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = You have had the right to this help since { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = A lawyer
# What a lawyer can do.
legal-advice = A lawyer can explain your rights. A lawyer can help you with the police, the court and your papers.
# Free when the person has no money.
legal-free = If you do not have enough money, the lawyer is free.
# Representation in court.
legal-court = A lawyer can also speak for you in court.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Money for the harm done to you
# The right to compensation, with its legal name.
compensation-text = You may have the right to money for the harm done to you, and for work you were not paid for. This is called compensation.
# Where to get help.
compensation-help = A lawyer can help you ask for it.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Things you were forced to do
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Maybe you were forced to break the law. For example, to work without papers, to use false documents or to steal.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = The authorities can decide not to punish you for things you were forced to do. Tell your lawyer or your support worker about it.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = If you are under 18
# Children get extra protection.
children-protection = If you are under 18, you get extra protection.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = If you are here without your parents, or your parents cannot protect your interests, you will have a guardian. A guardian is an adult who protects your interests and helps you decide.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = If you talk to the police or a judge, it will be in a safe and friendly room, as few times as possible. Your guardian or representative, or an adult you choose, can be with you, unless there is a serious reason against that person.
# Access to education.
children-school = You can go to school.
# The presumption of minority.
children-age = If nobody is sure how old you are, you are treated as a child until your age is checked.

## Whom to call

# Heading of the section.
contact-title = Whom to call
# The organisation that helps the person. $organisation is its name.
contact-organisation = Your support organisation: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Telephone: { $phone }
# Printed when known. $email is an email address.
contact-email = Email: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Telephone number of your support worker:
# The emergency number.
contact-emergency = In an emergency, call 112. The call is free, day and night.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = A copy of your data
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = You asked for a copy of the information we keep about you. This is the copy. The law gives you this right (EU General Data Protection Regulation, Article 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = The pages after this one are not in your language yet. You can ask someone to read them to you or to translate them.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = If something is wrong, you can ask us to correct it. You can ask us to delete your information, or to stop using it for a time. You can complain to the data protection authority.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Information from police investigations and court cases is not in this copy. You can ask the data protection authority to check this.
