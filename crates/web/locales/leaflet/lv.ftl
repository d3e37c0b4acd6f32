# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Latvian (lv).
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
language-name = Latviešu

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
# Here the date ends with a full stop, so a sentence that ends with a date has no full stop of
# its own.
date = { $day }.{ $month }.{ $year }.

## Title

# The title at the top of the leaflet.
leaflet-title = Jūsu tiesības un kur saņemt palīdzību
# Under the title: the paper belongs to the person.
leaflet-keep = Šī lapa ir Jums. Jūs varat to paturēt.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Izlasiet to, kad Jums ir piemērots brīdis. Jūs varat to izlasīt kopā ar cilvēku, kuram uzticaties.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Labdien, { $name }!

## Your rights as a possible victim

# Heading of the section.
rights-title = Jūsu tiesības
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Mēs domājam, ka Jūs, iespējams, esat cilvēku tirdzniecības upuris.
# What human trafficking means, in simple words.
rights-meaning = Tas nozīmē, ka kāds Jums meloja, Jūs piespieda vai Jums draudēja un izmantoja Jūs, lai nopelnītu naudu.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = Tas ir noziegums. Tā nav Jūsu vaina.
# The person has rights and will get help.
rights-help = Jums šajā valstī ir tiesības. Jūs varat saņemt palīdzību un aizsardzību. Jūs jebkurā laikā varat uzdot jautājumus.
# Interpretation is free.
rights-interpreter = Jums var palīdzēt tulks. Jums tas ir bez maksas.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Palīdzība bez vēršanās policijā
# Help is not conditional on cooperating with the police or the courts.
police-text = Jūs saņemsiet palīdzību arī tad, ja nevēlaties runāt ar policiju. Palīdzība nav atkarīga no tā, vai Jūs sniedzat liecību vai ejat uz tiesu.
# The person may decide later.
police-later = Jūs varat izlemt vēlāk, vai vēlaties runāt ar policiju.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Laiks atpūsties un izlemt
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = Jums ir tiesības uz laiku, lai atpūstos un padomātu. To sauc par atlabšanas un pārdomu periodu.
# What the period is for.
reflection-purpose = Šajā laikā Jūs varat atgūties, attālināties no cilvēkiem, kuri Jums nodarīja pāri, un mierīgi izlemt, ko vēlaties darīt. Piemēram, vai vēlaties runāt ar policiju.
# No removal from the country while the period runs.
reflection-no-removal = Šajā laikā neviens nevar Jūs izraidīt no šīs valsts.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Jūsu laiks atpūsties un izlemt: no { $from } līdz { $until }
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Jūsu sociālais darbinieks Jums pateiks, kad šis laiks sākas un kad beidzas.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Atļauja palikt valstī
# What a residence permit is.
residence-text = Jūs, iespējams, varat saņemt atļauju kādu laiku palikt šajā valstī. To sauc par uzturēšanās atļauju.
# On what grounds it can be given.
residence-grounds = To var piešķirt Jūsu personiskās situācijas dēļ vai tāpēc, ka Jūs palīdzat policijai vai tiesai.
# Where to get help to apply.
residence-help = Jūsu sociālais darbinieks vai jurists var palīdzēt Jums to pieprasīt.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = Jums ir uzturēšanās atļauja. Tā ir derīga līdz { $until }

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Patvērums
# The right to ask for international protection.
protection-text = Ja Jūs baidāties atgriezties savā valstī, Jūs varat lūgt aizsardzību šeit. To sauc par patvērumu jeb starptautisko aizsardzību.
# Asylum can be asked for together with the other help.
protection-also = Jūs varat lūgt patvērumu un arī tad saņemt visu pārējo palīdzību, kas minēta šajā lapā.
# Where to get help.
protection-help = Pasakiet savam sociālajam darbiniekam vai juristam, ja vēlaties lūgt patvērumu.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Palīdzība, ko Jūs varat saņemt
# Introduces the list below.
support-intro = Jūs varat saņemt šādu palīdzību. Jums tā ir bez maksas:
# List item: safe accommodation.
support-accommodation = drošu dzīvesvietu
# List item: material assistance.
support-material = ēdienu, apģērbu un citas lietas, kas vajadzīgas ikdienā
# List item: medical treatment.
support-medical = ārstu un zāles, kad tās vajadzīgas
# List item: psychological assistance.
support-psychological = cilvēku, ar kuru varat runāt par to, kas ar Jums notika
# List item: translation and interpretation.
support-interpretation = tulku, lai Jūs saprastu citus un citi saprastu Jūs
# List item: counselling and information.
support-counselling = padomus un informāciju par Jūsu tiesībām valodā, kuru Jūs saprotat
# Help is given only with the person's agreement.
support-choice = Jūs izvēlaties, kādu palīdzību vēlaties. Jūs varat atteikties.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = Jums ir tiesības uz šo palīdzību kopš { $since }

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Jurists
# What a lawyer can do.
legal-advice = Jurists var izskaidrot Jūsu tiesības. Jurists var palīdzēt Jums saistībā ar policiju, tiesu un Jūsu dokumentiem.
# Free when the person has no money.
legal-free = Ja Jums nav pietiekami daudz naudas, jurista palīdzība ir bez maksas.
# Representation in court.
legal-court = Jurists var arī pārstāvēt Jūs tiesā.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Nauda par Jums nodarīto kaitējumu
# The right to compensation, with its legal name.
compensation-text = Jums var būt tiesības saņemt naudu par Jums nodarīto kaitējumu un par darbu, par kuru Jums nesamaksāja. To sauc par kompensāciju.
# Where to get help.
compensation-help = Jurists var palīdzēt Jums to pieprasīt.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Tas, ko Jūs piespieda darīt
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Iespējams, Jūs piespieda pārkāpt likumu. Piemēram, strādāt bez dokumentiem, izmantot viltotus dokumentus vai zagt.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = Iestādes var nolemt Jūs nesodīt par to, ko Jūs piespieda darīt. Pastāstiet par to savam juristam vai sociālajam darbiniekam.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Ja Jums vēl nav 18 gadu
# Children get extra protection.
children-protection = Ja Jums vēl nav 18 gadu, Jūs saņemat papildu aizsardzību.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Ja Jūs esat šeit bez vecākiem vai Jūsu vecāki nevar aizsargāt Jūsu intereses, Jums būs aizbildnis. Aizbildnis ir pieaugušais, kurš aizsargā Jūsu intereses un palīdz Jums pieņemt lēmumus.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Ja Jūs runāsiet ar policiju vai tiesnesi, tas notiks drošā un draudzīgā telpā un pēc iespējas retāk. Kopā ar Jums var būt Jūsu aizbildnis vai pārstāvis vai pieaugušais, kuru Jūs izvēlaties, ja vien nav nopietna iemesla pret šo personu.
# Access to education.
children-school = Jūs varat iet skolā.
# The presumption of minority.
children-age = Ja neviens nezina droši, cik Jums ir gadu, Jūs aizsargā kā bērnu, līdz Jūsu vecums ir pārbaudīts.

## Whom to call

# Heading of the section.
contact-title = Kam zvanīt
# The organisation that helps the person. $organisation is its name.
contact-organisation = Jūsu atbalsta organizācija: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Tālrunis: { $phone }
# Printed when known. $email is an email address.
contact-email = E-pasts: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Jūsu sociālā darbinieka tālruņa numurs:
# The emergency number.
contact-emergency = Ārkārtas gadījumā zvaniet 112. Zvans ir bez maksas, dienu un nakti.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = Jūsu datu kopija
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Jūs lūdzāt kopiju informācijai, ko mēs glabājam par jums. Šī ir šī kopija. Likums jums dod šīs tiesības (ES Vispārīgās datu aizsardzības regulas 15. pants).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = Nākamās lapas vēl nav jūsu valodā. Jūs varat palūgt, lai kāds tās jums izlasa vai iztulko.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Ja kaut kas nav pareizi, jūs varat lūgt mums to izlabot. Jūs varat lūgt mums dzēst jūsu informāciju vai uz laiku pārtraukt tās izmantošanu. Jūs varat iesniegt sūdzību datu aizsardzības iestādē.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Šajā kopijā nav informācijas no policijas izmeklēšanām un tiesas lietām. Jūs varat lūgt datu aizsardzības iestādei to pārbaudīt.
