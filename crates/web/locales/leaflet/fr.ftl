# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# French (fr).
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
language-name = Français

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }/{ $month }/{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = Vos droits et où trouver de l'aide
# Under the title: the paper belongs to the person.
leaflet-keep = Ce papier est pour vous. Vous pouvez le garder.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Lisez-le quand vous le souhaitez. Vous pouvez le lire avec une personne de confiance.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Bonjour { $name }.

## Your rights as a possible victim

# Heading of the section.
rights-title = Vos droits
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Nous pensons que vous êtes peut-être victime de la traite des êtres humains.
# What human trafficking means, in simple words.
rights-meaning = Cela veut dire que quelqu'un a gagné de l'argent sur votre dos, avec des mensonges, des menaces ou la force.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = C'est un crime. Ce n'est pas votre faute.
# The person has rights and will get help.
rights-help = Dans ce pays, vous avez des droits. Vous pouvez recevoir de l'aide et une protection. Vous pouvez poser des questions à tout moment.
# Interpretation is free.
rights-interpreter = Vous pouvez avoir un interprète. C'est gratuit pour vous.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = De l'aide sans aller à la police
# Help is not conditional on cooperating with the police or the courts.
police-text = Vous recevez de l'aide même si vous ne voulez pas parler à la police. L'aide ne dépend pas d'un témoignage ou d'un procès.
# The person may decide later.
police-later = Vous pouvez décider plus tard si vous voulez parler à la police.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Du temps pour vous reposer et décider
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = Vous avez droit à du temps pour vous reposer et réfléchir. Cela s'appelle le délai de rétablissement et de réflexion.
# What the period is for.
reflection-purpose = Pendant ce temps, vous pouvez vous remettre, vous éloigner des personnes qui vous ont fait du mal, et décider calmement ce que vous voulez faire. Par exemple, si vous voulez parler à la police.
# No removal from the country while the period runs.
reflection-no-removal = Pendant ce temps, personne ne peut vous renvoyer de ce pays.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Votre temps pour vous reposer et décider : du { $from } au { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Votre travailleur social vous dira quand ce temps commence et quand il finit.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = L'autorisation de rester
# What a residence permit is.
residence-text = Vous pouvez peut-être obtenir l'autorisation de rester quelque temps dans ce pays. Cela s'appelle un titre de séjour.
# On what grounds it can be given.
residence-grounds = Il peut être donné en raison de votre situation personnelle, ou parce que vous aidez la police ou la justice.
# Where to get help to apply.
residence-help = Votre travailleur social ou un avocat peut vous aider à le demander.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = Vous avez un titre de séjour. Il est valable jusqu'au { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = L'asile
# The right to ask for international protection.
protection-text = Si vous avez peur de retourner dans votre pays, vous pouvez demander une protection ici. Cela s'appelle l'asile, ou la protection internationale.
# Asylum can be asked for together with the other help.
protection-also = Vous pouvez demander l'asile et continuer à recevoir toute l'autre aide de ce papier.
# Where to get help.
protection-help = Dites-le à votre travailleur social ou à un avocat si vous voulez demander l'asile.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = L'aide que vous pouvez recevoir
# Introduces the list below.
support-intro = Vous pouvez recevoir cette aide. Elle est gratuite pour vous :
# List item: safe accommodation.
support-accommodation = un logement sûr
# List item: material assistance.
support-material = de la nourriture, des vêtements et d'autres choses dont vous avez besoin chaque jour
# List item: medical treatment.
support-medical = un médecin, et des médicaments quand vous en avez besoin
# List item: psychological assistance.
support-psychological = quelqu'un à qui parler de ce qui vous est arrivé
# List item: translation and interpretation.
support-interpretation = un interprète, pour que vous compreniez les autres et qu'ils vous comprennent
# List item: counselling and information.
support-counselling = des conseils et des informations sur vos droits, dans une langue que vous comprenez
# Help is given only with the person's agreement.
support-choice = Vous choisissez l'aide que vous voulez. Vous pouvez dire non.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = Vous avez droit à cette aide depuis le { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Un avocat
# What a lawyer can do.
legal-advice = Un avocat peut vous expliquer vos droits. Un avocat peut vous aider avec la police, la justice et vos papiers.
# Free when the person has no money.
legal-free = Si vous n'avez pas assez d'argent, l'avocat est gratuit.
# Representation in court.
legal-court = Un avocat peut aussi vous représenter devant le tribunal.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = De l'argent pour le mal qu'on vous a fait
# The right to compensation, with its legal name.
compensation-text = Vous avez peut-être droit à de l'argent pour le mal qu'on vous a fait, et pour le travail qu'on ne vous a pas payé. Cela s'appelle une indemnisation.
# Where to get help.
compensation-help = Un avocat peut vous aider à la demander.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Ce que vous avez dû faire sous la contrainte
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Vous avez peut-être dû enfreindre la loi sous la contrainte. Par exemple, travailler sans papiers, utiliser de faux documents ou voler.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = Les autorités peuvent décider de ne pas vous punir pour ce que vous avez dû faire sous la contrainte. Parlez-en à votre avocat ou à votre travailleur social.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Si vous avez moins de 18 ans
# Children get extra protection.
children-protection = Si vous avez moins de 18 ans, vous avez une protection en plus.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Si vous êtes ici sans vos parents, ou si vos parents ne peuvent pas défendre vos intérêts, vous aurez un tuteur. Un tuteur est un adulte qui défend vos intérêts et vous aide à prendre des décisions.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Si vous parlez à la police ou à un juge, ce sera dans une pièce sûre et accueillante, le moins de fois possible. Votre tuteur ou représentant, ou un adulte que vous choisissez, peut être avec vous, sauf s'il existe une raison sérieuse contre cette personne.
# Access to education.
children-school = Vous pouvez aller à l'école.
# The presumption of minority.
children-age = Si personne ne connaît votre âge avec certitude, vous avez la protection d'un enfant jusqu'à ce que votre âge soit vérifié.

## Whom to call

# Heading of the section.
contact-title = Qui appeler
# The organisation that helps the person. $organisation is its name.
contact-organisation = Votre organisation d'aide : { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Téléphone : { $phone }
# Printed when known. $email is an email address.
contact-email = E-mail : { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Numéro de téléphone de votre travailleur social :
# The emergency number.
contact-emergency = En cas d'urgence, appelez le 112. L'appel est gratuit, de jour comme de nuit.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = Une copie de vos données
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Vous avez demandé une copie des informations que nous gardons sur vous. Voici cette copie. La loi vous donne ce droit (Règlement général de l'UE sur la protection des données, article 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = Les pages suivantes ne sont pas encore dans votre langue. Vous pouvez demander à quelqu'un de vous les lire ou de les traduire.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Si quelque chose est faux, vous pouvez nous demander de le corriger. Vous pouvez nous demander d'effacer vos informations, ou d'arrêter de les utiliser pendant un temps. Vous pouvez faire une réclamation auprès de l'autorité de protection des données.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Les informations des enquêtes de police et des affaires en justice ne sont pas dans cette copie. Vous pouvez demander à l'autorité de protection des données de le vérifier.
