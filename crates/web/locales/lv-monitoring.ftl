# Instrumenti kā datēti dati, transponēšanas uzraudzība un koordinatora pārskats
# (docs/monitoring.md)

## Pārskats
nav-monitoring = Uzraudzība
monitoring-title = Uzraudzība
monitoring-explain = Tuvākie termiņi un valstis, kas kavē transponēšanu, valstīm, kuras jūs uzraugāt: jūsu valstij vai ES līmenī visām dalībvalstīm. Šodien
monitoring-deadlines = Tuvākie termiņi
monitoring-deadlines-explain = Vēl neizpildīti transponēšanas termiņi un atbildes uz Komisijas vēstulēm un argumentētiem atzinumiem nākamajās { $days } dienās.
monitoring-deadlines-none = Šajā laikā termiņu nav.
monitoring-late = Valstis, kas kavē transponēšanu
monitoring-late-explain = Transponēšanas termiņš pagājis, bet pilnīga transponēšana nav paziņota; vispirms visvairāk kavējušās, ar pēdējo pienākumu neizpildes procedūras soli.
monitoring-late-none = Neviena valsts nekavē.
monitoring-due = Termiņš
monitoring-days-left = Atlikušās dienas
monitoring-days-late = Nokavētās dienas
monitoring-country = Valsts
monitoring-instrument = Instruments
monitoring-deadline = Termiņš
monitoring-deadline-kind = Kas jāizdara
monitoring-deadline-transposition = Transponēšana
monitoring-deadline-reply_to_formal_notice = Atbilde uz oficiāla paziņojuma vēstuli
monitoring-deadline-reply_to_reasoned_opinion = Atbilde uz argumentēto atzinumu
monitoring-where = Stāvoklis
monitoring-last-step = Pēdējais procedūras solis

## Kavējums
monitoring-lateness-not_bound = Direktīva valstij nav saistoša
monitoring-lateness-not_yet_due = Vēl nav paziņots; atlikušas { $days } dienas
monitoring-lateness-not_yet_due-partial = Daļēji paziņots; atlikušas { $days } dienas
monitoring-lateness-on_time = Paziņots laikā ({ $date })
monitoring-lateness-notified_late = Paziņots novēloti ({ $date }, kavējums { $days } dienas)
monitoring-lateness-not_notified = Nav paziņots, kavējums { $days } dienas
monitoring-lateness-not_notified-partial = Daļēji paziņots, kavējums { $days } dienas

## Panta stāvoklis
monitoring-status-none = nav pasākumu
monitoring-status-partial = daļēji
monitoring-status-complete = pilnīgi
monitoring-status-non_conformity = konstatēta neatbilstība
monitoring-finding-conform = atbilst
monitoring-finding-partial = daļēji
monitoring-finding-non_conformity = konstatēta neatbilstība

## Pienākumu neizpildes procedūras
monitoring-stage-letter_of_formal_notice = Oficiāla paziņojuma vēstule
monitoring-stage-reasoned_opinion = Argumentēts atzinums
monitoring-stage-referral_to_court = Lietas nodošana Eiropas Savienības Tiesai
monitoring-stage-closed = Slēgta
monitoring-ground-non_communication = Pasākumi nav paziņoti
monitoring-ground-non_conformity = Pasākumi neatbilst

## Tabula un laika skala
monitoring-transposition-title = Direktīvu transponēšana
monitoring-transposition-explain = Katrai valstij un katram direktīvas pantam — transponēšanas stāvoklis: valsts paziņotie pasākumi un Komisijas novērtējums. Katru stāvokli rāda zīme un vārds. Izvēlieties direktīvu:
monitoring-bound = Valstis, kurām direktīva ir saistoša
monitoring-legend = Zīmes
monitoring-timeline = Valstis, kas bija paziņojušas, pa datumiem
monitoring-timeline-complete = Paziņota pilnīga transponēšana
monitoring-timeline-any = Paziņots vismaz viens pasākums
monitoring-timeline-none = Neviena valsts vēl nav paziņojusi pasākumu.
monitoring-date = Datums

## Valsts lapa
monitoring-country-title = Transponēšana valstī
monitoring-country-explain = Valsts paziņotie pasākumi katrai direktīvai, Komisijas novērtējums katram pantam un pienākumu neizpildes procedūras soļi. Atpakaļ uz
monitoring-articles = Panti
monitoring-article = Pants
monitoring-status = Stāvoklis
monitoring-measures = Paziņotie valsts pasākumi
monitoring-measures-none = Neviens pasākums nav paziņots.
monitoring-assessments = Komisijas novērtējums
monitoring-assessments-none = Novērtējums nav reģistrēts.
monitoring-steps = Pienākumu neizpildes procedūras soļi
monitoring-steps-none = Pienākumu neizpildes procedūras nav.
monitoring-reply-due = Atbildes termiņš
monitoring-all-articles = visa direktīva
monitoring-completes-yes = pilnīgi
monitoring-completes-no = daļēji
monitoring-articles-hint = Panti, ko pasākums transponē, atdalīti ar komatiem (piemēram, 11(4), 18a); visai direktīvai atstājiet tukšu.
monitoring-record-measure = Reģistrēt paziņotu valsts pasākumu
monitoring-record-measure-submit = Reģistrēt pasākumu
monitoring-record-assessment = Reģistrēt Komisijas novērtējumu pantam
monitoring-record-assessment-submit = Reģistrēt novērtējumu
monitoring-record-step = Reģistrēt procedūras soli
monitoring-record-step-submit = Reģistrēt soli
monitoring-field-country = Valsts
monitoring-field-instrument = Direktīva
monitoring-field-articles = Panti
monitoring-field-title = Nosaukums
monitoring-field-reference = Oficiālā atsauce
monitoring-field-notified_on = Paziņošanas datums
monitoring-field-link = Saite
monitoring-field-completes = Transponēšana
monitoring-field-article = Pants
monitoring-field-finding = Konstatējums
monitoring-field-assessed_on = Novērtēšanas datums
monitoring-field-note = Piezīme
monitoring-field-procedure = Procedūras numurs
monitoring-field-ground = Pamats
monitoring-field-stage = Solis
monitoring-field-decided_on = Lēmuma datums

## Instrumenti
monitoring-instruments-title = Instrumenti
monitoring-instruments-explain = Instrumenti cilvēku tirdzniecības apkarošanai, to panti ar pienākumu katrā un datumu, no kura tas piemērojams, un kam tie ir saistoši un kopš kura laika. To pašu pantu sarakstu izmanto tiesiskās izsekojamības tabula.
monitoring-instrument-title = Nosaukums
monitoring-in-force-on = Stājās spēkā
monitoring-mark = Pārbaudīts
monitoring-mark-explain = Pārbaudīts: V izlasīts tekstā, V~ daļēji, U vēl nav pārbaudīts pret oficiālo tekstu.
monitoring-source = Avots
monitoring-obligation = Pienākums
monitoring-applies-from = Piemērojams no
monitoring-amended = Aizstāts vai papildināts ar
monitoring-in-force = Spēkā šodien
monitoring-in-force-for = Spēkā valstij
monitoring-in-force-original = jā
monitoring-in-force-amended = jā, grozītajā redakcijā
monitoring-in-force-no = nē
monitoring-parties = Kam saistošs
monitoring-bound-from = Saistošs no
monitoring-bound-until = Saistošs līdz
monitoring-note = Piezīme

## Noteikumu paziņojumi
msg-monitoring-not-a-directive = { $instrument } nav direktīva, kuras transponēšanu uzrauga
msg-monitoring-not-bound = { $instrument } valstij { $country } nav saistoša
msg-monitoring-unknown-article = { $article } nav pants, ko transponē { $instrument }
msg-monitoring-not-a-link = jābūt tīmekļa adresei, kas sākas ar https://
msg-monitoring-step-order = nākamais šīs procedūras solis ir { $stage }
msg-monitoring-procedure-closed = procedūra { $procedure } ir slēgta
msg-monitoring-before-in-force = nedrīkst būt pirms { $date } ({ $instrument })
msg-monitoring-measures-by-countries = Valsts pasākumus paziņo katra dalībvalsts; jurisdikcija { $jurisdiction } reģistrē Komisijas novērtējumus un pienākumu neizpildes procedūras soļus.

## Audita žurnāls
audit-action-transposition_read = Skatīti transponēšanas ieraksti
audit-action-transposition_recorded = Pievienots transponēšanas ieraksts
