# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Portuguese (pt).
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
language-name = Português

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }/{ $month }/{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = Os seus direitos e onde pedir ajuda
# Under the title: the paper belongs to the person.
leaflet-keep = Este papel é seu. Pode ficar com ele.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Leia-o quando se sentir capaz. Pode lê-lo com uma pessoa em quem confia.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Olá, { $name }.

## Your rights as a possible victim

# Heading of the section.
rights-title = Os seus direitos
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Pensamos que pode ser vítima de tráfico de seres humanos.
# What human trafficking means, in simple words.
rights-meaning = Isto quer dizer que alguém ganhou dinheiro à sua custa, com mentiras, ameaças ou força.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = Isto é um crime. A culpa não é sua.
# The person has rights and will get help.
rights-help = Neste país tem direitos. Pode receber ajuda e proteção. Pode fazer perguntas a qualquer momento.
# Interpretation is free.
rights-interpreter = Pode ter um intérprete. É gratuito.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Ajuda sem ir à polícia
# Help is not conditional on cooperating with the police or the courts.
police-text = Recebe ajuda mesmo que não queira falar com a polícia. A ajuda não depende de prestar declarações nem de ir a tribunal.
# The person may decide later.
police-later = Pode decidir mais tarde se quer falar com a polícia.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Tempo para descansar e decidir
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = Tem direito a um tempo para descansar e pensar. Chama-se período de recuperação e reflexão.
# What the period is for.
reflection-purpose = Neste tempo pode recuperar, afastar-se das pessoas que lhe fizeram mal e decidir com calma o que quer fazer. Por exemplo, se quer falar com a polícia.
# No removal from the country while the period runs.
reflection-no-removal = Durante este tempo, ninguém lhe pode dar ordem para sair deste país.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = O seu tempo para descansar e decidir: de { $from } a { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = O seu técnico de apoio vai dizer-lhe quando este tempo começa e quando acaba.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Autorização para ficar
# What a residence permit is.
residence-text = Talvez possa receber autorização para ficar neste país durante algum tempo. Chama-se autorização de residência.
# On what grounds it can be given.
residence-grounds = Pode ser dada por causa da sua situação pessoal, ou porque ajuda a polícia ou o tribunal.
# Where to get help to apply.
residence-help = O seu técnico de apoio ou um advogado pode ajudar a fazer o pedido.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = Tem autorização de residência. É válida até { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Asilo
# The right to ask for international protection.
protection-text = Se tem medo de voltar ao seu país, pode pedir proteção aqui. Chama-se asilo, ou proteção internacional.
# Asylum can be asked for together with the other help.
protection-also = Pode pedir asilo e continuar a receber toda a outra ajuda deste papel.
# Where to get help.
protection-help = Diga ao seu técnico de apoio ou a um advogado se quer pedir asilo.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Ajuda que pode receber
# Introduces the list below.
support-intro = Pode receber esta ajuda. É gratuita:
# List item: safe accommodation.
support-accommodation = um lugar seguro para viver
# List item: material assistance.
support-material = comida, roupa e outras coisas de que precisa todos os dias
# List item: medical treatment.
support-medical = um médico, e medicamentos quando precisar
# List item: psychological assistance.
support-psychological = alguém com quem falar sobre o que lhe aconteceu
# List item: translation and interpretation.
support-interpretation = um intérprete, para se entender com as outras pessoas
# List item: counselling and information.
support-counselling = conselhos e informação sobre os seus direitos, numa língua que compreende
# Help is given only with the person's agreement.
support-choice = Escolhe a ajuda que quer. Pode dizer não.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = Tem direito a esta ajuda desde { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Um advogado
# What a lawyer can do.
legal-advice = Um advogado pode explicar os seus direitos. Um advogado pode ajudar com a polícia, o tribunal e os seus documentos.
# Free when the person has no money.
legal-free = Se não tem dinheiro suficiente, o advogado é gratuito.
# Representation in court.
legal-court = Um advogado também pode defender os seus interesses em tribunal.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Dinheiro pelo mal que lhe fizeram
# The right to compensation, with its legal name.
compensation-text = Pode ter direito a dinheiro pelo mal que lhe fizeram e pelo trabalho que não lhe pagaram. Chama-se indemnização.
# Where to get help.
compensation-help = Um advogado pode ajudar a pedi-la.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Coisas que teve de fazer à força
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Talvez tenha tido de fazer coisas contra a lei, à força. Por exemplo, trabalhar sem documentos, usar documentos falsos ou roubar.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = As autoridades podem decidir não castigar o que teve de fazer à força. Fale disso ao seu advogado ou ao seu técnico de apoio.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Se tem menos de 18 anos
# Children get extra protection.
children-protection = Se tem menos de 18 anos, recebe proteção especial.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Se está aqui sem os seus pais, ou se os seus pais não podem defender os seus interesses, vai ter um tutor. O tutor é um adulto que defende os seus interesses e ajuda a tomar decisões.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Se falar com a polícia ou com um juiz, vai ser numa sala segura e acolhedora, o menor número de vezes possível. O seu tutor ou representante, ou um adulto que escolher, pode estar presente, a não ser que haja uma razão séria contra essa pessoa.
# Access to education.
children-school = Pode ir à escola.
# The presumption of minority.
children-age = Se ninguém tem a certeza da sua idade, tem a proteção de uma criança até a sua idade ser verificada.

## Whom to call

# Heading of the section.
contact-title = A quem ligar
# The organisation that helps the person. $organisation is its name.
contact-organisation = A sua organização de apoio: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Telefone: { $phone }
# Printed when known. $email is an email address.
contact-email = E-mail: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Número de telefone do seu técnico de apoio:
# The emergency number.
contact-emergency = Em caso de emergência, ligue 112. A chamada é gratuita, de dia e de noite.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = Uma cópia dos seus dados
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Pediu uma cópia das informações que guardamos sobre si. Esta é a cópia. A lei dá-lhe este direito (Regulamento Geral sobre a Proteção de Dados da UE, artigo 15.º).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = As páginas seguintes ainda não estão na sua língua. Pode pedir a alguém que as leia para si ou que as traduza.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Se alguma coisa estiver errada, pode pedir-nos que a corrijamos. Pode pedir-nos que apaguemos as suas informações, ou que deixemos de as usar durante algum tempo. Pode apresentar queixa à autoridade de proteção de dados.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = As informações de investigações da polícia e de processos em tribunal não estão nesta cópia. Pode pedir à autoridade de proteção de dados que verifique isto.
