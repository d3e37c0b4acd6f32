# Identifikācija: kodētās vērtības un lapas (latviski).

## Darbības (Direktīvas 2011/36/ES 2. panta 1. punkts)
act-recruitment = Savervēšana
act-transportation = Pārvadāšana
act-transfer = Nodošana
act-harbouring = Slēpšana
act-reception = Saņemšana
act-exchange_of_control = Kontroles pār personu apmaiņa vai nodošana

## Līdzekļi (Direktīvas 2011/36/ES 2. panta 1. punkts)
means-threat = Vardarbības draudi
means-use_of_force = Vardarbības izmantošana
means-other_coercion = Citi piespiešanas veidi
means-abduction = Nolaupīšana
means-fraud = Krāpšana
means-deception = Maldināšana
means-abuse_of_power = Varas ļaunprātīga izmantošana
means-abuse_of_vulnerability = Ievainojamības stāvokļa ļaunprātīga izmantošana
means-payments_to_controller = Maksājumi vai labumi personai, kuras kontrolē ir upuris

## Kontroles veidi
control-physical_threats = Fiziska kaitējuma draudi
control-threats_law_enforcement = Draudi ziņot policijai vai migrācijas iestādēm
control-threatens_children_family = Draudi personas bērniem vai ģimenei
control-debt_bondage = Parādu verdzība
control-false_promises = Nepatiesi solījumi
control-physical_abuse = Fiziska vardarbība
control-sexual_abuse = Seksuāla vardarbība
control-takes_earnings = Atņem personas nopelnīto
control-restricts_financial_access = Ierobežo piekļuvi naudai vai bankas kontiem
control-restricts_medical_care = Ierobežo piekļuvi medicīniskajai palīdzībai
control-withholds_necessities = Liedz ēdienu, miegu vai citas pamatvajadzības
control-psychological_abuse = Psiholoģiska vardarbība
control-psychoactive_substance = Piespiedu vai pamudināta alkohola vai narkotiku lietošana
control-excessive_working_hours = Pārmērīgi garš darba laiks
control-withholds_documents = Aiztur personu apliecinošus vai ceļošanas dokumentus
control-other = Cits veids (aprakstīts tekstā)

## Savervēšanas veidi
recruitment-at_a_place_of_business = Uzņēmumā (veikalā, bārā u. tml.)
recruitment-at_an_educational_institution = Skolā, koledžā vai universitātē
recruitment-at_work = Darbavietā
recruitment-through_online_social_networks = Sociālajos tīklos internetā
recruitment-through_an_online_advertisement = Ar sludinājumu internetā
recruitment-through_a_television_advert = Ar reklāmu televīzijā
recruitment-through_a_newspaper_advert = Ar sludinājumu laikrakstā
recruitment-through_family_or_family_events = Ar ģimenes starpniecību vai ģimenes pasākumos
recruitment-through_friends_or_social_events = Ar draugu starpniecību vai sabiedriskos pasākumos
recruitment-other = Cits veids (aprakstīts tekstā)

## Tīmekļvietnes un lietotnes
platform-facebook = Facebook
platform-instagram = Instagram
platform-whatsapp = WhatsApp
platform-telegram = Telegram
platform-messenger = Facebook Messenger
platform-viber = Viber
platform-snapchat = Snapchat
platform-line = LINE
platform-four_sale = 4Sale
platform-wechat = WeChat
platform-qq = QQ
platform-qzone = Qzone
platform-tiktok = TikTok
platform-twitter = Twitter (X)
platform-other = Cita platforma (nosaukta tekstā)

## Attiecības ar cilvēku tirgotāju
relationship-familial = Ģimenes loceklis
relationship-acquainted = Paziņa
relationship-unacquainted = Svešinieks
relationship-intimate_partner = Pašreizējais vai bijušais intīmais partneris
relationship-unknown = Nav zināms

## Ievainojamība
vulnerability-child = Persona ir bērns
vulnerability-gender = Dzimums
vulnerability-pregnancy = Grūtniecība
vulnerability-state_of_health = Veselības stāvoklis
vulnerability-disability = Fiziska vai garīga invaliditāte
vulnerability-irregular_migration_status = Nelikumīgs migrācijas vai uzturēšanās statuss
vulnerability-economic_hardship = Nabadzība, parādi vai citas ekonomiskas grūtības
vulnerability-dependency = Emocionāla, ģimenes vai ekonomiska atkarība
vulnerability-addiction = Atkarība no alkohola vai narkotikām
vulnerability-homelessness = Bezpajumtniecība
vulnerability-lack_of_language = Nezina vietējo valodu
vulnerability-isolation = Sociāla vai ģeogrāfiska izolētība
vulnerability-previous_victimisation = Agrāka viktimizācija, arī agrāka cilvēku tirdzniecība
vulnerability-other = Cita ievainojamība (aprakstīta tekstā)

## Cilvēku tirdzniecības notikumi
event-recruitment = Savervēšana
event-transit = Tranzīts
event-exploitation = Ekspluatācija

## Piespiedu darba nozares (NACE 2. red. sadaļas)
industry-A = Lauksaimniecība, mežsaimniecība un zivsaimniecība
industry-B = Ieguves rūpniecība un karjeru izstrāde
industry-C = Apstrādes rūpniecība
industry-D = Elektroenerģija, gāzes apgāde, siltumapgāde un gaisa kondicionēšana
industry-E = Ūdens apgāde; notekūdeņu, atkritumu apsaimniekošana un sanācija
industry-F = Būvniecība
industry-G = Vairumtirdzniecība un mazumtirdzniecība; automobiļu un motociklu remonts
industry-H = Transports un uzglabāšana
industry-I = Izmitināšana un ēdināšanas pakalpojumi
industry-J = Informācijas un komunikācijas pakalpojumi
industry-K = Finanšu un apdrošināšanas darbības
industry-L = Operācijas ar nekustamo īpašumu
industry-M = Profesionālie, zinātniskie un tehniskie pakalpojumi
industry-N = Administratīvo un apkalpojošo dienestu darbība
industry-O = Valsts pārvalde un aizsardzība; obligātā sociālā apdrošināšana
industry-P = Izglītība
industry-Q = Veselība un sociālā aprūpe
industry-R = Māksla, izklaide un atpūta
industry-S = Citi pakalpojumi
industry-T = Mājsaimniecību kā darba devēju darbība; pašu patēriņam paredzētu preču ražošana un pakalpojumu sniegšana individuālajās mājsaimniecībās
industry-U = Ārpusteritoriālo organizāciju un institūciju darbība

## Ekspluatācijas veidu statistikas grupas
stat-group-sexual = Seksuālā ekspluatācija
stat-group-forced_labour = Piespiedu darbs vai pakalpojumi, arī piespiedu ubagošana
stat-group-other = Citi ekspluatācijas veidi

## Ekspluatācijas veidi
form-sexual = Seksuālā ekspluatācija
form-forced_labour = Piespiedu darbs vai pakalpojumi
form-begging = Piespiedu ubagošana
form-slavery = Verdzība vai verdzībai līdzīga prakse
form-servitude = Kalpība
form-criminal_activities = Piespiešana izdarīt noziedzīgus nodarījumus
form-organ_removal = Orgānu izņemšana
form-surrogacy = Surogātmātes pakalpojumu ekspluatācija
form-forced_marriage = Piespiedu laulība
form-illegal_adoption = Nelikumīga adopcija
form-other = Cits ekspluatācijas veids (aprakstīts tekstā)

## Dzimums
gender-feminine = Sieviete
gender-masculine = Vīrietis
gender-transgender_feminine = Transpersona (sieviete)
gender-transgender_masculine = Transpersona (vīrietis)
gender-non_conforming = Dzimuma normām neatbilstoša identitāte
gender-unknown = Nav zināms

## Personu apliecinoši dokumenti
document-passport = Pase
document-identity_card = Personas apliecība
document-residence_permit = Uzturēšanās atļauja
document-birth_certificate = Dzimšanas apliecība
document-driving_licence = Vadītāja apliecība
document-other = Cits dokuments

## Reģistrācijas stāvoklis
regstate-draft = Melnraksts
regstate-submitted = Iesniegts nosūtīšanai

## Bērns vai pieaugušais
child-status-child = Bērns (dzimšanas datums pārbaudīts)
child-status-presumed_child = Uzskatāms par bērnu (vecums nav noteikts)
child-status-adult = Pieaugušais
child-status-unknown = Nav zināms

## Vecuma grupas
age-group-0_11 = 0–11 gadi
age-group-12_17 = 12–17 gadi
age-group-18_24 = 18–24 gadi
age-group-25_34 = 25–34 gadi
age-group-35_44 = 35–44 gadi
age-group-45_54 = 45–54 gadi
age-group-55_64 = 55–64 gadi
age-group-65_plus = 65 gadi un vairāk
age-group-unknown = Nav zināms

## Vecuma novērtēšanas metodes
age-method-documents = Personu apliecinoši vai civilstāvokļa dokumenti
age-method-multidisciplinary = Starpdisciplinārs novērtējums
age-method-medical = Medicīniska pārbaude (tikai galējā gadījumā)
age-method-other = Cita metode (aprakstīta ierakstā)

## Iemesli uzskatīt personu par bērnu
presumption-reasons_to_believe_child = Ir pamats uzskatīt, ka persona ir bērns
presumption-estimate_includes_child_age = Vecuma aplēse pieļauj, ka persona ir jaunāka par 18 gadiem
presumption-unverified_date_of_birth_under_18 = Pēc nepārbaudīta dzimšanas datuma persona ir jaunāka par 18 gadiem
presumption-assessment_includes_child_age = Pēdējais vecuma novērtējums pieļauj, ka persona ir jaunāka par 18 gadiem

## Statuss nacionālajā nosūtīšanas mehānismā
nrm-status-referred = Nosūtīts (notiek identificēšana)
nrm-status-presumed_victim = Iespējamais cilvēku tirdzniecības upuris (pozitīvs pirmais lēmums)
nrm-status-first_decision_negative = Negatīvs pirmais lēmums
nrm-status-identified_victim = Identificēts cilvēku tirdzniecības upuris (pozitīvs galīgais lēmums)
nrm-status-not_identified = Nav identificēts (negatīvs galīgais lēmums)
nrm-status-first_decision_reconsideration = Lūgts pārskatīt negatīvo pirmo lēmumu
nrm-status-final_decision_reconsideration = Lūgts pārskatīt negatīvo galīgo lēmumu
nrm-status-withdrawn = Nosūtījums atsaukts

## Lēmumi
decision-first_decision_positive = Pozitīvs pirmais lēmums
decision-first_decision_negative = Negatīvs pirmais lēmums
decision-final_decision_positive = Pozitīvs galīgais lēmums: identificēts kā cilvēku tirdzniecības upuris
decision-final_decision_negative = Negatīvs galīgais lēmums: nav identificēts
decision-reconsideration_requested = Lūgums pārskatīt negatīvu lēmumu
decision-reconsideration_upheld = Pēc pārskatīšanas negatīvais lēmums atstāts spēkā
decision-reconsideration_overturned = Pēc pārskatīšanas negatīvais lēmums aizstāts ar pozitīvu
decision-withdrawal = Nosūtījuma atsaukšana

## Pamats atlabšanas un pārdomu perioda pārtraukšanai pirms termiņa
termination-public_order = Sabiedriskā kārtība vai valsts drošība
termination-improper_claim = Cilvēku tirdzniecības upura statuss tiek prasīts nepamatoti
termination-renewed_contact = Persona pēc savas iniciatīvas atjaunojusi saikni ar aizdomās turētajiem

## Uzturēšanās atļaujas pamats
permit-ground-personal_situation = Personas personiskā situācija
permit-ground-cooperation = Sadarbība ar iestādēm izmeklēšanā vai tiesvedībā
permit-ground-both = Gan personiskā situācija, gan sadarbība
permit-ground-child_best_interests = Bērna labākās intereses

## Starptautiskā aizsardzība
protection-outcome-pending = Izskatīšanā
protection-outcome-refugee = Piešķirts bēgļa statuss
protection-outcome-subsidiary = Piešķirts alternatīvais statuss
protection-outcome-refused = Atteikts
protection-outcome-withdrawn = Atsaukts

## Indikatoru nozīmīgums
grade-strong = Spēcīgs
grade-medium = Vidējs
grade-weak = Vājš

## Cilvēku tirdzniecības posmi
stage-recruitment = Savervēšana
stage-exploitation = Ekspluatācija
stage-destination = Galamērķis

## Indikatoru saraksti pēc mērķgrupas
population-adult = Pieaugušie
population-child = Bērni

## Ieraksti pēc reģistrācijas
record-kind-permit_application = Uzturēšanās atļaujas pieteikums
record-kind-permit_decision = Lēmums par uzturēšanās atļauju vai tās pagarināšanu
record-kind-protection_application = Starptautiskās aizsardzības pieteikums
record-kind-reflection_termination = Atlabšanas un pārdomu periods pārtraukts pirms termiņa
record-kind-criminal_matter = Kriminālprocess, kurā persona tiek turēta aizdomās

## Noteiktie termiņi
clock-first_decision = Pirmā lēmuma termiņš
clock-reflection_end = Atlabšanas un pārdomu perioda beigas
clock-final_decision = Galīgā lēmuma termiņš
clock-guardian = Jāieceļ aizbildnis

## Termiņu stāvoklis
deadline-done = Izpildīts
deadline-upcoming = Gaidāms
deadline-due_soon = Termiņš drīz
deadline-due_today = Termiņš šodien
deadline-overdue = Nokavēts

## SDO/EK indikatoru dimensijas
ilo-dim-i1 = Maldinoša savervēšana (arī nodošana un pārvadāšana)
ilo-dim-i2 = Piespiedu savervēšana
ilo-dim-i3 = Savervēšana, ļaunprātīgi izmantojot ievainojamību
ilo-dim-i4 = Ekspluatējoši darba apstākļi
ilo-dim-i5 = Piespiešana galamērķī
ilo-dim-i6 = Ievainojamības ļaunprātīga izmantošana galamērķī

## SDO/EK cilvēku tirdzniecības darba ekspluatācijas nolūkā indikatori (pieaugušie)
ilo-i1-01 = Maldināšana par darba būtību, vietu vai darba devēju
ilo-i1-02 = Maldināšana par darba apstākļiem
ilo-i1-03 = Maldināšana par darba līguma saturu vai likumību
ilo-i1-04 = Maldināšana par ģimenes atkalapvienošanos
ilo-i1-05 = Maldināšana par mājokli un dzīves apstākļiem
ilo-i1-06 = Maldināšana par dokumentiem vai likumīga migranta statusa iegūšanu
ilo-i1-07 = Maldināšana par ceļošanas un savervēšanas nosacījumiem
ilo-i1-08 = Maldināšana par darba samaksu vai ienākumiem
ilo-i1-09 = Maldināšana ar laulības vai adopcijas solījumiem
ilo-i1-10 = Maldināšana par izglītības iespējām
ilo-i2-01 = Vardarbība pret upuri
ilo-i2-02 = Nolaupīšana, piespiedu laulība, piespiedu adopcija vai upura pārdošana
ilo-i2-03 = Dokumentu atņemšana
ilo-i2-04 = Parādu verdzība
ilo-i2-05 = Izolēšana, ieslodzīšana vai novērošana
ilo-i2-06 = Draudi ziņot iestādēm
ilo-i2-07 = Vardarbības draudi pret upuri
ilo-i2-08 = Draudi informēt ģimeni, kopienu vai sabiedrību
ilo-i2-09 = Vardarbība pret ģimeni (draudi vai īstenota)
ilo-i2-10 = Naudas aizturēšana
ilo-i3-01 = Sarežģītas ģimenes situācijas ļaunprātīga izmantošana
ilo-i3-02 = Nelikumīga statusa ļaunprātīga izmantošana
ilo-i3-03 = Izglītības (valodas zināšanu) trūkuma ļaunprātīga izmantošana
ilo-i3-04 = Informācijas trūkuma ļaunprātīga izmantošana
ilo-i3-05 = Ekspluatētāju kontrole
ilo-i3-06 = Ekonomiski iemesli
ilo-i3-07 = Nepatiesa informācija par likumiem vai iestāžu attieksmi
ilo-i3-08 = Nepatiesa informācija par veiksmīgu migrāciju
ilo-i3-09 = Ģimenes situācija
ilo-i3-10 = Personiskā situācija
ilo-i3-11 = Psiholoģiska un emocionāla atkarība
ilo-i3-12 = Attiecības ar iestādēm vai tiesiskais statuss
ilo-i3-13 = Kultūras vai reliģisko uzskatu ļaunprātīga izmantošana
ilo-i3-14 = Grūtības pagātnē
ilo-i3-15 = Grūtības pašam noorganizēt ceļošanu
ilo-i3-16 = Vispārējie apstākļi
ilo-i4-01 = Pārmērīgi daudz darba dienu vai stundu
ilo-i4-02 = Slikti dzīves apstākļi
ilo-i4-03 = Bīstams darbs
ilo-i4-04 = Zema samaksa vai samaksas nav vispār
ilo-i4-05 = Netiek ievērotas darba tiesību normas vai parakstītais līgums
ilo-i4-06 = Nav sociālās aizsardzības (līguma, sociālās apdrošināšanas u. c.)
ilo-i4-07 = Ļoti slikti darba apstākļi
ilo-i4-08 = Manipulācijas ar darba samaksu
ilo-i4-09 = Nav piekļuves izglītībai
ilo-i5-01 = Dokumentu atņemšana
ilo-i5-02 = Parādu verdzība
ilo-i5-03 = Izolēšana, ieslodzīšana vai novērošana
ilo-i5-04 = Vardarbība pret upuri
ilo-i5-05 = Piespiešana veikt nelikumīgas vai noziedzīgas darbības
ilo-i5-06 = Piespiešana veikt uzdevumus vai apkalpot klientus
ilo-i5-07 = Piespiešana rīkoties pret biedriem
ilo-i5-08 = Piespiešana melot iestādēm, ģimenei u. c.
ilo-i5-09 = Draudi ziņot iestādēm
ilo-i5-10 = Draudi noteikt vēl sliktākus darba apstākļus
ilo-i5-11 = Vardarbības draudi pret upuri
ilo-i5-12 = Atrodas spēcīgā ietekmē
ilo-i5-13 = Vardarbība pret ģimeni (draudi vai īstenota)
ilo-i5-14 = Darba samaksas aizturēšana
ilo-i5-15 = Draudi informēt ģimeni, kopienu vai sabiedrību
ilo-i6-01 = Atkarība no ekspluatētājiem
ilo-i6-02 = Grūtības dzīvot nepazīstamā vietā
ilo-i6-03 = Ekonomiski iemesli
ilo-i6-04 = Ģimenes situācija
ilo-i6-05 = Attiecības ar iestādēm vai tiesiskais statuss
ilo-i6-06 = Grūtības pagātnē
ilo-i6-07 = Personiskās īpašības

## Identifikācijas lapas
nav-deadlines = Termiņi
nav-search = Atrast personu
yes = Jā
no = Nē
days = dienas
wizard-title = Reģistrācija
wizard-steps = Reģistrācijas soļi
wizard-step-person = Persona
wizard-step-age = Vecums un aizbildnis
wizard-step-context = Cilvēku tirdzniecības apstākļi
wizard-step-timeline = Notikumi un vervēšana
wizard-step-indicators = Indikatori
wizard-step-consent = Piekrišana un nosūtīšana
wizard-back-to-case = Atpakaļ uz lietu
wizard-save-next = Saglabāt un turpināt
wizard-save-close = Saglabāt un aizvērt
wizard-countries-hint = ISO kodi, piemēram, LV, UA, atdalīti ar komatiem
wizard-languages-hint = ISO 639 kodi, piemēram, lv, ru, uk
wizard-age-explain = Persona līdz 18 gadu vecumam ir bērns. Ja vecums nav skaidrs un ir pamats uzskatīt, ka persona ir bērns, to nekavējoties uzskata par bērnu un piemēro visas bērna aizsardzības garantijas (Direktīvas 2011/36/ES 13. panta 2. punkts).
wizard-age-from = No (gadi)
wizard-age-to = līdz (gadi)
wizard-age-assessment = Pievienot vecuma novērtējumu
wizard-guardian-explain = Bērnam ir vajadzīgs aizbildnis vai pārstāvis (Direktīvas 2011/36/ES 14. panta 2. punkts, 16. panta 3. punkts).
wizard-event = Notikums
wizard-indicators-explain = Atzīmējiet novērotos indikatorus. Rezultāts palīdz pieņemt lēmumu: nekas netiek izlemts automātiski.
wizard-consent-explain = Identifikācija negaida piekrišanu: personu nosūta identifikācijai neatkarīgi no tā, kam tā piekritusi, un aizsardzība pret izraidīšanu un atlabšanas un pārdomu periods ir spēkā tāpat (CETS 197 10. panta 2. punkts, 13. pants). Piekrišana izšķir palīdzību un nosūtīšanu atbalsta organizācijai, kā arī identificējošu datu nodošanu. Bērnu nosūta bez piekrišanas.
wizard-support-consent-explain = Piekrišana palīdzībai un nosūtīšanai atbalsta organizācijai (Dir 2011/36 11. panta 5. punkts; CETS 197 12. panta 7. punkts). Ja valsts praksē pirms formālas nosūtīšanas prasa pieaugušā piekrišanu, to nosaka valsts profils, un tur bez tās nosūtīšanu atsaka.
wizard-sharing-consent-explain = Piekrišana identificējošu datu nodošanai citai organizācijai vai valstij: datu aizsardzības pamats to nodošanai. Tā neizšķir ne identifikāciju, ne palīdzību.
wizard-submit = Nosūtīt nacionālajam nosūtīšanas mehānismam
wizard-submit-explain = Ar nosūtīšanu sākas pirmā lēmuma termiņš.
case-status = Statuss
case-referred-on = nosūtīts
case-assistance-since = Palīdzība kopš
case-assistance-unconditional = bez nosacījumiem: tā nekad nav atkarīga no sadarbības ar iestādēm
case-age = Vecums
case-child-notice = Bērns: piemēro visas bērna aizsardzības garantijas. Bērnu nosūta bez piekrišanas, un viņam ir vajadzīgs aizbildnis.
case-guardian-missing = Šim bērnam nav iecelts aizbildnis.
case-no-expulsion = Izraidīšanu nedrīkst izpildīt.
case-non-punishment = Paziņojums prokuratūrai par nesodīšanu.
case-non-punishment-hidden = Sīkāka informācija ir pieejama tiesībsargājošajām iestādēm un prokuratūrai.
case-continue = Turpināt reģistrāciju
case-edit = Labot reģistrāciju
case-export-json = Eksportēt (HTCDS JSON)
case-export-csv = Eksportēt (HTCDS CSV)
case-export-xlsx = Eksportēt (HTCDS Excel veidne)
htcds-imported-title = Importēts no citas sistēmas (HTCDS)
htcds-imported-hint = Tas, ko fails saturēja, bet ko Haven neieraksta kā savus datus. Cilvēku tirdzniecības statuss šeit noteikts citā sistēmā: tā ir vēsture, nevis šīs valsts procedūras lēmums. Eksportējot lietu, šīs vērtības tiek ierakstītas atpakaļ.
htcds-imported-status = Cilvēku tirdzniecības statuss tur
htcds-imported-decided-by = Tur noteica
htcds-imported-case-owner = Lietas atbildīgais tur
htcds-imported-consent = Tur reģistrētā piekrišana
htcds-imported-reference = Atsauce sūtītāja Haven instancē
htcds-imported-remainder = Lauki, kuriem Haven nav vietas (HTCDS atlikums)
htcds-imported-events = Notikumu papildu lauki (iela, štats vai reģions, pasta indekss, koordinātas)
case-clocks = Likumā noteiktie termiņi
case-decision-support = Atbalsts lēmuma pieņemšanai
case-decision-support-explain = Indikatori un juridiskais tests palīdz lēmuma pieņēmējam; tie neko neizlemj.
case-legal-test = Cilvēku tirdzniecības definīcija (Direktīvas 2011/36/ES 2. pants)
legal-outcome-met = elementi konstatēti
legal-outcome-not_met = trūkst elementu
indicators-positive = pozitīvs
indicators-not-positive = nav pozitīvs
case-decisions = Lēmumi par statusu
case-decisions-none = Lēmuma vēl nav.
case-corrects = labo
case-corrected-by = labots ar
case-decide = Reģistrēt lēmumu
dup-title = Iespējamie dublikāti
dup-explain = Jau reģistrētas personas, kas var būt šī persona. Pārbaudiet tās: divreiz reģistrēta persona tiek uzskaitīta divreiz.
dup-matched = Kas sakrita
dup-probability = Varbūtība
dup-exact = precīzi (dokumenta numurs)
case-modules = Atbalsts šai personai
case-decision-choose = Izvēlieties lēmumu
case-decision-final-explain = Reģistrētu lēmumu nevar mainīt: kļūdu labo ar jaunu lēmumu, kas uz to norāda.
case-decision-reasons-hint = (obligāti negatīvam lēmumam)
case-correct = Labot lēmumu
case-records = Uzturēšanās, aizsardzība un krimināllietas
case-records-none = Nekas nav reģistrēts.
case-record-add = Pievienot
deadlines-title = Termiņi
deadlines-explain = Nosūtīto lietu atvērtie likumā noteiktie termiņi, agrākie vispirms.
deadlines-none = Nekas nav jāizpilda.
deadlines-due = Termiņš
deadlines-state = Stāvoklis
deadlines-clock = Termiņa veids
notification-title = Anonīms paziņojums
notification-explain = Pieaugušajam, kurš netiek reģistrēts (nevēlas, lai tiktu reģistrēti identificējoši dati, vai nepiekrīt, ja valsts praksē pirms formālas nosūtīšanas prasa piekrišanu): persona tiek uzskaitīta statistikā; nekas, kas viņu identificē, netiek reģistrēts. Par bērnu nekad neziņo anonīmi: reģistrējiet bērnu.
notification-file = Iesniegt paziņojumu
notification-filed = Paziņojums iesniegts.
search-title = Atrast personu
search-explain = Meklē tikai lietās, kuras jums ir tiesības redzēt. Vārdus salīdzina sasaistes modelis (diakritiskās zīmes, transliterācija, secība, iepriekšējie uzvārdi, citi vārdi un dzimšanas datums, ja to norādāt); katrs rezultāts parāda, kuras ziņas sakrita un cik tās sver. Dokumenta numuram vai dzimšanas datumam, ja meklējat tikai pēc tā, jāsakrīt precīzi.
search-button = Meklēt
# Personas vārds un uzvārds, ko meklē un rāda rezultātos
search-field-name = Vārds, uzvārds
search-none = Neviens nav atrasts.
search-results = Atrastās personas
search-score = Atbilstība
search-why = Kāpēc
search-level-exact = sakrīt
search-level-similar = gandrīz sakrīt
search-level-phonetic = skan vienādi vai viens vārds kopīgs
search-level-day-month-swapped = diena un mēnesis samainīti
search-level-year-off = gads atšķiras par vienu
search-level-one-component = viena daļa atšķiras
search-level-partial-date = atbilst novērtējumam vai daļējam datumam
search-level-edits = atšķiras viena vai divas rakstzīmes
search-level-different = atšķiras
search-level-missing = nav zināms vienā vai abās pusēs
field-document = Dokuments
field-state = Reģistrācija
field-nrm_status = Statuss
field-gender = Dzimums (sociālais)
field-previous_family_names = Iepriekšējie uzvārdi
field-citizenships = Pilsonības
field-citizenship = Pilsonība
field-languages = Valodas
field-interpreter_needed = Vajadzīgs tulks
field-safe_contact = Droša saziņa
field-documents = Personu apliecinošs dokuments
field-document_kind = Dokumenta veids
field-document_number = Dokumenta numurs
field-document_country = Izdevēja valsts
field-dob_verified = Dzimšanas datums pārbaudīts dokumentā
field-age_estimate = Aptuvenais vecums
field-age_group = Vecuma grupa
field-reasons_to_believe_child = Ir pamats uzskatīt, ka persona ir bērns
field-assessment_date = Novērtējuma datums
field-assessment_method = Metode
field-assessment_by = Novērtēja
field-guardian = Aizbildnis
field-guardian_appointed_on = Iecelts
field-guardian_name = Aizbildņa vārds, uzvārds
field-guardian_organisation = Aizbildņa organizācija
field-acts = Darbības
field-means = Līdzekļi
field-forms = Ekspluatācijas veidi
field-forced_labour_industry = Nozare (piespiedu darbs)
field-other_form = Cits veids, apraksts
field-methods_of_control = Kontroles metodes
field-consent_to_exploitation = Vai persona teica, ka piekrita ekspluatācijai?
field-event_kind = Notikuma veids
field-event_date = Datums
field-event_country = Valsts
field-event_place = Vieta
field-event_description = Kas notika
field-recruitment_method = Vervēšanas veids
field-online_platforms = Izmantotās tiešsaistes platformas
field-relationship_to_trafficker = Saistība ar vervētāju
field-vulnerabilities = Neaizsargātības faktori
field-narrative = Stāstījums
field-consent_given = Persona piekrīt palīdzībai un nosūtīšanai atbalsta organizācijai
field-consent_date = Piekrišanas datums
field-consent_language = Valoda, kurā persona informēta
field-consent_informed_by = Informēja
field-support_consent = Piekrišana palīdzībai un nosūtīšanai atbalstam
field-data_sharing_consent = Piekrišana identificējošu datu nodošanai
field-sharing_consent_given = Persona piekrīt identificējošu datu nodošanai citai organizācijai vai valstij
field-sharing_consent_date = Piekrišanas datu nodošanai datums
field-sharing_consent_language = Valoda, kurā persona informēta
field-sharing_consent_informed_by = Informēja
field-notified_on = Datums
field-decided_on = Lēmuma datums
field-reasons = Pamatojums
field-applied_on = Pieteikts
field-ground = Pamats
field-granted = Piešķirta
field-valid_from = Derīga no
field-valid_until = Derīga līdz
field-outcome = Rezultāts
field-terminated_on = Izbeigts
field-offence = Noziedzīgs nodarījums
field-authority = Iestāde
field-reference = Atsauce
field-recorded_on = Reģistrēts
field-compelled = Izdarīts kā tiešas cilvēku tirdzniecības sekas
field-consent = Piekrišana
field-application_id = Atļaujas pieteikums
field-renewal_of = Atjauno
field-decided_on_protection = Izlemts
audit-action-registration_created = Lieta reģistrēta
audit-action-registration_updated = Reģistrācija saglabāta
audit-action-registration_submitted = Nosūtīts nacionālajam nosūtīšanas mehānismam
audit-action-decision_recorded = Reģistrēts lēmums par statusu
audit-action-case_record_added = Pievienots ieraksts
audit-action-notification_filed = Iesniegts anonīms paziņojums
audit-action-person_searched = Personas meklēšana
audit-action-deadlines_read = Skatīti termiņi
audit-action-case_imported = Importētas lietas
statistics-identification = Nosūtītās personas un anonīmie paziņojumi
statistics-identification-explain = Personas, kas nosūtītas nacionālajam nosūtīšanas mehānismam, un pieaugušie, kuri netika reģistrēti un tika uzskaitīti ar anonīmu paziņojumu. Persona var būt vairākās ekspluatācijas grupās.
statistics-referred = Nosūtīti
statistics-notified = Anonīmi paziņojumi
statistics-children = Nosūtītie bērni un par bērniem uzskatītās personas
statistics-distinct-persons = Atšķirīgas personas starp nosūtītajām
statistics-distinct-explain = Personu, kas reģistrēta vairāk nekā vienu reizi (divās organizācijās vai ar dažādi rakstītu vārdu), uzskaita vienu reizi.
statistics-records = reģistrācijas
statistics-merged = uzskaitītas kopā ar citu tās pašas personas reģistrāciju
statistics-method = Metode
cases-filter = Atlasīt
cases-any = Jebkurš
cases-children = Bērni
cases-none-filtered = Neviena lieta neatbilst šiem atlases kritērijiem.
wizard-indicator-lists = Indikatoru saraksti
case-reconsideration-explain = Organizācija, kas personu nosūtīja vai to atbalsta, var lūgt kompetentajai iestādei pārskatīt šo negatīvo lēmumu.
case-request-reconsideration = Lūgt pārskatīšanu
field-requested_on = Lūguma datums
legal-element-act = Darbība (savervēšana, pārvadāšana, nodošana, slēpšana vai saņemšana)
legal-element-means = Līdzekļi (draudi, vardarbība, piespiešana, nolaupīšana, krāpšana, maldināšana, varas vai ievainojamības stāvokļa ļaunprātīga izmantošana, maksājumi)
legal-element-purpose = Ekspluatācijas nolūks
legal-element-present = reģistrēts
legal-element-absent = nav reģistrēts
legal-element-not_required = nav vajadzīgs (bērns)
legal-reasons = Pamatojums ar pantiem
combination-two_strong = vismaz 2 spēcīgi indikatori
combination-strong_and_other = 1 spēcīgs un vismaz 1 vidējs vai vājš indikators
combination-three_medium = vismaz 3 vidēji indikatori
combination-two_medium_and_weak = 2 vidēji un vismaz 1 vājš indikators

## Identifikācijas procedūras (valsts dati no valsts profila)
procedure-heading = Identificēšanas procedūra
procedure-explain = Kā valsts identificē cilvēku tirdzniecības upurus, ir tās pašas izvēle, kas glabājas tās profilā ar katras vērtības avotu. Tiesību akti prasa, lai identificēšana notiktu, lai palīdzība sāktos ar pirmo pamatoto norādi un lai personu neizraidītu, kamēr tā notiek.
procedure-name = Procedūra
procedure-stage = Lēmums
procedure-deciders = Kas lemj
procedure-commission = Komisija
procedure-commission-quorum = vietas; jābalso vismaz { $quorum }
procedure-commission-for = lemj ar komisijas starpniecību
procedure-standard = Pierādīšanas standarts
procedure-deadline = Termiņš
procedure-deadline-none = nav noteikts
procedure-deadline-working = { $days } darba dienas pēc
procedure-deadline-calendar = { $days } kalendārās dienas pēc
procedure-from-referral = nosūtīšanas
procedure-from-first_decision = pirmā lēmuma
procedure-from-reflection_end = atlabšanas un pārdomu perioda beigām
procedure-reconsideration = Pārskatīšana pēc lūguma
procedure-appeal = Pārsūdzība
procedure-notification = Paziņošana
procedure-must-notify = Pienākums paziņot
procedure-presumed-from = Iespējamais cilvēku tirdzniecības upuris no
procedure-presumed-from-referral = nosūtīšanas
procedure-presumed-from-first_decision = pozitīva pirmā lēmuma
procedure-entitlements-presumed = Iespējamam cilvēku tirdzniecības upurim pienākas
procedure-entitlements-identified = Identificētam cilvēku tirdzniecības upurim pienākas
procedure-source = Avots
entitlement-assistance = palīdzība un atbalsts
entitlement-reflection_period = atlabšanas un pārdomu periods
entitlement-protection_from_removal = aizsardzība pret izraidīšanu
entitlement-residence_permit_route = ceļš uz uzturēšanās atļauju
case-presumed-since = Iespējamais cilvēku tirdzniecības upuris kopš
case-assistance-basis = no nosūtīšanas: reģistrācija ir pamatota norāde (Direktīvas 2011/36 11. panta 2. punkts)
case-permit-route-reflection-ended = Uzturēšanās atļaujas ceļa nogaidīšanas periods beidzies (atjaunoti kontakti, Direktīvas 2004/81 6. panta 4. punkts); Konvencijas atlabšanas un pārdomu periods turpinās (CETS 197 13. panta 3. punkts)
vote-for = par
vote-against = pret
vote-abstain = atturas
vote-absent = nav klāt
votes-heading = Komisijas balsojums
votes-member = Locekļa vārds, uzvārds
votes-explain = Ierakstiet katra locekļa balsi. Lēmumam jāatbilst nodoto balsu vairākumam, un jābalso vismaz kvorumam.
