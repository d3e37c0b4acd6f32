# Information for a person who may be a victim of human trafficking, printed for them to keep
# (Directive 2011/36/EU Art 11(5)-(6); Council of Europe Convention Arts 12(1)(d), 15(1)).
# Ukrainian (uk).
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
language-name = Українська

## Dates

# How a date is written in this language. Haven fills in $day (two digits, e.g. 05),
# $month (two digits, e.g. 09) and $year (four digits, e.g. 2026). Put them in the usual order,
# with the usual separators.
date = { $day }.{ $month }.{ $year }

## Title

# The title at the top of the leaflet.
leaflet-title = Ваші права і де отримати допомогу
# Under the title: the paper belongs to the person.
leaflet-keep = Цей папір для вас. Ви можете залишити його собі.
# Under the title: they may read it when they are ready, with someone they trust.
leaflet-read = Прочитайте його, коли будете готові. Ви можете попросити людину, якій довіряєте, прочитати його разом з вами.
# Printed only when the support worker chooses to print the person's first name.
# $name is the first name, e.g. "Olena".
leaflet-greeting = Вітаємо, { $name }!

## Your rights as a possible victim

# Heading of the section.
rights-title = Ваші права
# Why the person gets this leaflet. "Human trafficking" is the legal name of the crime.
rights-victim = Ми вважаємо, що ви, можливо, постраждали від торгівлі людьми.
# What human trafficking means, in simple words.
rights-meaning = Це означає, що вас обманули, змусили або залякали і використали, щоб заробити на вас гроші.
# Reassurance: it is a crime, and the victim is not to blame.
rights-not-your-fault = Це злочин. Ви ні в чому не винні.
# The person has rights and will get help.
rights-help = У цій країні ви маєте права. Ви можете отримати допомогу і захист. Ви можете ставити запитання будь-коли.
# Interpretation is free.
rights-interpreter = Вам може допомагати перекладач. Для вас це безкоштовно.

## Help does not depend on talking to the police (Directive Art 11(3))

# Heading of the section.
police-title = Допомога без звернення до поліції
# Help is not conditional on cooperating with the police or the courts.
police-text = Ви отримаєте допомогу, навіть якщо не хочете говорити з поліцією. Допомога не залежить від того, чи дасте ви показання і чи підете до суду.
# The person may decide later.
police-later = Ви можете вирішити пізніше, чи хочете ви говорити з поліцією.

## The recovery and reflection period (Convention Art 13)

# Heading of the section.
reflection-title = Час відпочити і вирішити
# The right to the period, with its legal name (so the person can ask for it by name).
reflection-right = Ви маєте право на час, щоб відпочити і подумати. Це називається період відновлення і роздумів.
# What the period is for.
reflection-purpose = За цей час ви можете прийти до тями, піти від людей, які заподіяли вам шкоду, і спокійно вирішити, що ви хочете робити. Наприклад, чи хочете ви говорити з поліцією.
# No removal from the country while the period runs.
reflection-no-removal = У цей час ніхто не може вислати вас із цієї країни.
# The dates of the person's period. $from is the first day, $until the last day (both dates).
reflection-dates = Ваш час відпочити і вирішити: з { $from } до { $until }.
# Printed instead of the dates when they are not known yet.
reflection-dates-unknown = Ваш соціальний працівник скаже вам, коли цей час починається і коли закінчується.

## Residence permit (Convention Art 14; Directive 2004/81/EC)

# Heading of the section.
residence-title = Дозвіл залишитися
# What a residence permit is.
residence-text = Можливо, ви зможете отримати дозвіл якийсь час залишатися в цій країні. Це називається посвідка на проживання.
# On what grounds it can be given.
residence-grounds = Її можуть видати через ваше особисте становище або тому, що ви допомагаєте поліції чи суду.
# Where to get help to apply.
residence-help = Ваш соціальний працівник або юрист допоможе вам подати заяву.
# Printed when the person has a residence permit. $until is the last day it is valid (a date).
residence-yours = У вас є посвідка на проживання. Вона дійсна до { $until }.

## International protection (asylum) (Directive Art 11(6); Convention Art 14(5))

# Heading of the section. "Asylum" is the word most people know.
protection-title = Притулок
# The right to ask for international protection.
protection-text = Якщо ви боїтеся повертатися до своєї країни, ви можете попросити захисту тут. Це називається притулок, або міжнародний захист.
# Asylum can be asked for together with the other help.
protection-also = Ви можете попросити притулку і при цьому отримувати всю іншу допомогу, про яку тут написано.
# Where to get help.
protection-help = Скажіть соціальному працівнику або юристу, якщо хочете попросити притулку.

## Support available (Directive Art 11(5); Convention Art 12(1))

# Heading of the section.
support-title = Допомога, яку ви можете отримати
# Introduces the list below.
support-intro = Ви можете отримати таку допомогу. Для вас вона безкоштовна:
# List item: safe accommodation.
support-accommodation = безпечне місце для життя
# List item: material assistance.
support-material = їжу, одяг та інші речі, які потрібні щодня
# List item: medical treatment.
support-medical = лікаря і ліки, коли вони потрібні
# List item: psychological assistance.
support-psychological = людину, з якою можна поговорити про те, що з вами сталося
# List item: translation and interpretation.
support-interpretation = перекладача, щоб ви розуміли інших і інші розуміли вас
# List item: counselling and information.
support-counselling = поради та інформацію про ваші права зрозумілою вам мовою
# Help is given only with the person's agreement.
support-choice = Ви самі обираєте, яку допомогу хочете. Ви можете відмовитися.
# Printed when known. $since is the date from which the person has had the right to this help.
support-since = Ви маєте право на цю допомогу з { $since }.

## Free legal advice and representation (Directive Art 12(2); Convention Art 15(2))

# Heading of the section.
legal-title = Юрист
# What a lawyer can do.
legal-advice = Юрист може пояснити ваші права. Юрист може допомогти вам із поліцією, судом і документами.
# Free when the person has no money.
legal-free = Якщо у вас недостатньо грошей, допомога юриста для вас безкоштовна.
# Representation in court.
legal-court = Юрист також може представляти вас у суді.

## Compensation (Directive Art 17; Convention Art 15(3)-(4))

# Heading of the section.
compensation-title = Гроші за заподіяну вам шкоду
# The right to compensation, with its legal name.
compensation-text = Можливо, ви маєте право отримати гроші за заподіяну вам шкоду і за роботу, за яку вам не заплатили. Це називається компенсація.
# Where to get help.
compensation-help = Юрист може допомогти вам її вимагати.

## Not punished for crimes you were forced to commit (Directive Art 8; Convention Art 26)

# Heading of the section.
punishment-title = Те, що вас змусили робити
# Examples of offences a victim may have been compelled to commit.
punishment-forced = Можливо, вас змусили порушити закон. Наприклад, працювати без документів, користуватися підробленими документами або красти.
# The authorities may decide not to punish the person. Do not promise more than this.
punishment-text = Органи влади можуть вирішити не карати вас за те, що вас змусили робити. Розкажіть про це своєму юристу або соціальному працівнику.

## Children (Directive Arts 13-16; Convention Art 10(3)-(4))

# Heading of the section.
children-title = Якщо вам менше 18 років
# Children get extra protection.
children-protection = Якщо вам менше 18 років, ви отримуєте особливий захист.
# A guardian or representative is appointed for a child who is here without their parents, or
# whose parents cannot act in the child's interests (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
# Art 10(4)). Printed on a child's leaflet only: do not promise a guardian to everyone.
children-guardian = Якщо ви тут без батьків або ваші батьки не можуть захистити ваші інтереси, у вас буде опікун. Опікун — це доросла людина, яка захищає ваші інтереси і допомагає вам ухвалювати рішення.
# Protected interviews (Dir 2011/36 Art 15(3)). The child's representative or, where appropriate,
# an adult the child chooses may be present, unless a reasoned decision excludes that person
# (Dir 2011/36 Art 15(3)(f)). Do not promise more than this.
children-interviews = Якщо ви говоритимете з поліцією або суддею, це буде в безпечній і дружній кімнаті і якомога рідше. З вами може бути ваш опікун чи представник або доросла людина, яку ви оберете, якщо тільки немає серйозної причини проти цієї людини.
# Access to education.
children-school = Ви можете ходити до школи.
# The presumption of minority.
children-age = Якщо ніхто точно не знає, скільки вам років, вас захищають як дитину, доки ваш вік не перевірять.

## Whom to call

# Heading of the section.
contact-title = Куди дзвонити
# The organisation that helps the person. $organisation is its name.
contact-organisation = Ваша організація підтримки: { $organisation }.
# Printed when known. $phone is a telephone number.
contact-phone = Телефон: { $phone }
# Printed when known. $email is an email address.
contact-email = Ел. пошта: { $email }
# A line left empty so that the support worker can write a telephone number by hand.
contact-write-in = Номер телефону вашого соціального працівника:
# The emergency number.
contact-emergency = У надзвичайній ситуації дзвоніть 112. Дзвінок безкоштовний, удень і вночі.

## A copy of your data

# The heading of the first page of a copy of the person's data (Reg 2016/679 Art 15), printed
# for them when the rest of the copy is not yet in their language.
leaflet-access-heading = Копія ваших даних
# What the paper is: the copy of their data they asked for, and the article that gives them
# the right to it.
leaflet-access-intro = Ви попросили копію інформації, яку ми зберігаємо про вас. Ось ця копія. Закон дає вам це право (Загальний регламент ЄС про захист даних, стаття 15).
# Why the pages after this one are in another language, and what they can do about it.
leaflet-access-language = Наступні сторінки поки що не вашою мовою. Ви можете попросити когось прочитати їх вам або перекласти.
# Their further rights: correction, erasure, restriction (Reg 2016/679 Arts 16-18) and a
# complaint to the supervisory authority (Art 77).
leaflet-access-rights = Якщо щось указано неправильно, ви можете попросити нас це виправити. Ви можете попросити нас видалити вашу інформацію або на деякий час припинити її використання. Ви можете подати скаргу до органу із захисту даних.
# Data of police investigations and court cases are left out of the copy (Dir 2016/680
# Art 15); the person may ask the supervisory authority to check (Art 17).
leaflet-access-police = Інформації з поліцейських розслідувань і судових справ у цій копії немає. Ви можете попросити орган із захисту даних перевірити це.
