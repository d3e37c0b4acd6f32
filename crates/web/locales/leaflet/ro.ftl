# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Romanian (ro).
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
language-name = Română

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }.{ $month }.{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = Drepturile dumneavoastră și unde găsiți ajutor
# Under the title: the paper belongs to the person.
leaflet-keep = Această foaie este pentru dumneavoastră. O puteți păstra.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Citiți-o când vă simțiți în stare. O puteți citi împreună cu o persoană în care aveți încredere.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Bună ziua, { $name }!

## Your rights as a possible victim

# Heading of the section.
rights-title = Drepturile dumneavoastră
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Credem că ați putea fi victima traficului de persoane.
# What human trafficking means, in simple words.
rights-meaning = Asta înseamnă că cineva v-a mințit, v-a forțat sau v-a amenințat și v-a folosit ca să câștige bani.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = Aceasta este o infracțiune. Nu este vina dumneavoastră.
# The person has rights and will get help.
rights-help = Aveți drepturi în această țară. Puteți primi ajutor și protecție. Puteți pune întrebări oricând.
# Interpretation is free.
rights-interpreter = Puteți avea un interpret. Pentru dumneavoastră este gratuit.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Ajutor fără să mergeți la poliție
# Help is not conditional on cooperating with the police or the courts.
police-text = Primiți ajutor chiar dacă nu vreți să vorbiți cu poliția. Ajutorul nu depinde de faptul că dați declarații sau că mergeți la tribunal.
# The person may decide later.
police-later = Puteți hotărî mai târziu dacă vreți să vorbiți cu poliția.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Timp să vă odihniți și să hotărâți
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = Aveți dreptul la un timp în care să vă odihniți și să vă gândiți. Acesta se numește perioada de recuperare și reflecție.
# What the period is for.
reflection-purpose = În acest timp vă puteți reveni, vă puteți îndepărta de oamenii care v-au făcut rău și puteți hotărî liniștit ce vreți să faceți. De exemplu, dacă vreți să vorbiți cu poliția.
# No removal from the country while the period runs.
reflection-no-removal = În acest timp, nimeni nu vă poate trimite afară din această țară.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Timpul dumneavoastră de odihnă și de hotărâre: de la { $from } până la { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Asistentul social vă va spune când începe și când se termină acest timp.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Permisiunea de a rămâne
# What a residence permit is.
residence-text = Este posibil să primiți permisiunea de a rămâne o vreme în această țară. Aceasta se numește permis de ședere.
# On what grounds it can be given.
residence-grounds = Poate fi dat din cauza situației dumneavoastră personale sau pentru că ajutați poliția sau instanța.
# Where to get help to apply.
residence-help = Asistentul social sau un avocat vă poate ajuta să îl cereți.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = Aveți permis de ședere. Este valabil până la { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Azil
# The right to ask for international protection.
protection-text = Dacă vă este frică să vă întoarceți în țara dumneavoastră, puteți cere protecție aici. Aceasta se numește azil sau protecție internațională.
# Asylum can be asked for together with the other help.
protection-also = Puteți cere azil și să primiți în continuare tot celălalt ajutor din această foaie.
# Where to get help.
protection-help = Spuneți asistentului social sau unui avocat dacă vreți să cereți azil.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Ajutorul pe care îl puteți primi
# Introduces the list below.
support-intro = Puteți primi acest ajutor. Pentru dumneavoastră este gratuit:
# List item: safe accommodation.
support-accommodation = un loc sigur unde să locuiți
# List item: material assistance.
support-material = mâncare, haine și alte lucruri de care aveți nevoie în fiecare zi
# List item: medical treatment.
support-medical = un medic și medicamente când aveți nevoie
# List item: psychological assistance.
support-psychological = cineva cu care să vorbiți despre ce vi s-a întâmplat
# List item: translation and interpretation.
support-interpretation = un interpret, ca să vă înțelegeți cu ceilalți
# List item: counselling and information.
support-counselling = sfaturi și informații despre drepturile dumneavoastră, într-o limbă pe care o înțelegeți
# Help is given only with the person's agreement.
support-choice = Dumneavoastră alegeți ce ajutor vreți. Puteți spune nu.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = Aveți dreptul la acest ajutor din { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Un avocat
# What a lawyer can do.
legal-advice = Un avocat vă poate explica drepturile. Un avocat vă poate ajuta în legătură cu poliția, instanța și actele dumneavoastră.
# Free when the person has no money.
legal-free = Dacă nu aveți destui bani, avocatul este gratuit.
# Representation in court.
legal-court = Un avocat vă poate și reprezenta în instanță.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Bani pentru răul care vi s-a făcut
# The right to compensation, with its legal name.
compensation-text = Este posibil să aveți dreptul la bani pentru răul care vi s-a făcut și pentru munca pe care ați făcut-o fără plată. Aceasta se numește despăgubire.
# Where to get help.
compensation-help = Un avocat vă poate ajuta să o cereți.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Lucrurile pe care v-au obligat să le faceți
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Poate că v-au obligat să încălcați legea. De exemplu, să munciți fără acte, să folosiți acte false sau să furați.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = Autoritățile pot hotărî să nu vă pedepsească pentru lucrurile pe care v-au obligat să le faceți. Spuneți asta avocatului sau asistentului social.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Dacă aveți sub 18 ani
# Children get extra protection.
children-protection = Dacă aveți sub 18 ani, primiți protecție în plus.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Dacă sunteți aici fără părinți sau părinții dumneavoastră nu vă pot apăra interesele, veți avea un tutore. Tutorele este un adult care vă apără interesele și vă ajută să luați hotărâri.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Dacă vorbiți cu poliția sau cu un judecător, discuția va avea loc într-o cameră sigură și prietenoasă, de cât mai puține ori. Tutorele sau reprezentantul dumneavoastră ori un adult pe care îl alegeți poate fi cu dumneavoastră, în afară de cazul în care există un motiv serios împotriva acelei persoane.
# Access to education.
children-school = Puteți merge la școală.
# The presumption of minority.
children-age = Dacă nimeni nu știe sigur câți ani aveți, primiți protecția unui copil până când vârsta vă este verificată.

## Whom to call

# Heading of the section.
contact-title = Pe cine să sunați
# The organisation that helps the person. $organisation is its name.
contact-organisation = Organizația care vă sprijină: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Telefon: { $phone }
# Printed when known. $email is an email address.
contact-email = E-mail: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Numărul de telefon al asistentului social:
# The emergency number.
contact-emergency = În caz de urgență, sunați la 112. Apelul este gratuit, zi și noapte.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = O copie a datelor dumneavoastră
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Ați cerut o copie a informațiilor pe care le păstrăm despre dumneavoastră. Aceasta este copia. Legea vă dă acest drept (Regulamentul general al UE privind protecția datelor, articolul 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = Paginile următoare nu sunt încă în limba dumneavoastră. Puteți cere cuiva să vi le citească sau să vi le traducă.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Dacă ceva nu este corect, ne puteți cere să corectăm. Ne puteți cere să ștergem informațiile dumneavoastră sau să nu le mai folosim o vreme. Puteți depune o plângere la autoritatea pentru protecția datelor.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Informațiile din anchetele poliției și din procesele în instanță nu sunt în această copie. Puteți cere autorității pentru protecția datelor să verifice acest lucru.
