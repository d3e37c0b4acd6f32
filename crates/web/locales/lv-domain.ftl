# Tas, ko domēns saka cilvēkiem (haven_domain::MessageId); katram id ir angļu teksts en-domain.ftl.

## Ievadīto vērtību pārbaude
msg-must-not-be-empty = jāaizpilda
msg-at-most-characters = ne vairāk kā { $max } rakstzīmes
msg-no-control-characters = nedrīkst saturēt vadības rakstzīmes
msg-unknown-value = “{ $value }” nav neviena no atļautajām vērtībām
msg-not-a-date = “{ $value }” nav datums formā GGGG-MM-DD
msg-date-in-future = { $date } ir nākotnē (šodien ir { $today })
msg-must-be-yes-or-no = jāatbild “jā” vai “nē”
msg-not-yes-or-no = “{ $value }” nav “jā” vai “nē”
msg-not-before-last-change = nedrīkst būt pirms pēdējām izmaiņām ({ $last })
msg-decision-needs-reasons = { $kind }: lēmumā jānorāda pamatojums
msg-reconsideration-needs-reasons = lūgumā pārskatīt lēmumu jānorāda, kāpēc lēmums būtu jāpārskata
msg-must-not-be-in-future = nedrīkst būt nākotnē
msg-every-area-assessed = jānovērtē katra joma
msg-not-a-country-code = “{ $value }” nav divburtu valsts kods (ISO 3166-1), piemēram, LV
msg-not-an-amount = “{ $value }” nav pozitīvs vesels centu skaits
msg-username-length = no 3 līdz 64 rakstzīmēm
msg-username-characters = drīkst saturēt tikai mazos burtus, ciparus, “.”, “_” un “-”
msg-reference-year = pārskata gads no 2000 līdz 2100
msg-risk-needs-summary = augstam vai smagam riskam jāapraksta, kas tas ir
msg-referral-cannot-change = nosūtījuma stāvokli nevar mainīt no “{ $from }” uz “{ $to }”
msg-decline-needs-reason = noraidītam nosūtījumam jānorāda iemesls
msg-eu-holds-no-cases = ES līmenī lietu datu nav: valsts tabulas un publikācijas veido dalībvalstīs; ko dalībvalstis iesniegušas, skatiet ES centrā

## Juridiskā pārbaude (Direktīvas 2011/36/ES 2. pants; CETS 197 4. pants)
msg-legal-no-act = nav reģistrēta neviena darbība (kāda no šīm: { $acts })
msg-legal-act-recorded = reģistrētā darbība: { $acts }
msg-legal-child-no-means = persona ir bērns vai tiek uzskatīta par bērnu: cilvēku tirdzniecībai nav vajadzīgs līdzeklis, tikai darbība ekspluatācijas nolūkā
msg-legal-child-no-means-recorded = persona ir bērns vai tiek uzskatīta par bērnu: cilvēku tirdzniecībai nav vajadzīgs līdzeklis, tikai darbība ekspluatācijas nolūkā (tomēr reģistrēts: { $means })
msg-legal-no-means = nav reģistrēts neviens līdzeklis (kāds no šiem: { $means })
msg-legal-means-recorded = reģistrētais līdzeklis: { $means }
msg-legal-no-purpose = nav reģistrēts ekspluatācijas nolūks
msg-legal-purpose-recorded = reģistrētais ekspluatācijas nolūks: { $forms }
msg-legal-age-at-acts-child = { $on }, agrākajā laika joslā reģistrēto darbību datumā, persona bija bērns vai tika uzskatīta par bērnu: noteikums par bērniem ņem vērā vecumu darbību laikā, nevis šodienas vecumu
msg-legal-age-at-acts-adult = { $on }, agrākajā laika joslā reģistrēto darbību datumā, persona, cik var spriest pēc ieraksta, nebija bērns
msg-legal-age-at-registration = laika joslā nav reģistrēts darbību datums, tāpēc vecums ņemts reģistrācijas dienā ({ $on }); noteikums par bērniem ņem vērā vecumu darbību laikā: reģistrējiet, kad tās notika, jo personai, kas tad bija jaunāka par 18 gadiem, līdzeklis nav vajadzīgs
msg-legal-child-definition = bērns ir persona, kas jaunāka par 18 gadiem; ja vecums nav zināms un ir pamats uzskatīt, ka persona ir bērns, to uzskata par bērnu
msg-legal-consent-recorded = reģistrēta piekrišana ekspluatācijai
msg-legal-consent-not-given = ierakstā teikts, ka persona nepiekrita ekspluatācijai
msg-legal-consent-child = { $consent }; bērna piekrišanai nekad nav nozīmes, un līdzeklis nav vajadzīgs
msg-legal-consent-means = { $consent }; piekrišanai nav nozīmes, jo reģistrēts līdzeklis
msg-legal-consent-examine-means = { $consent }; piekrišana zaudē nozīmi, tiklīdz konstatēts jebkurš līdzeklis, tāpēc jāizvērtē līdzekļi (arī neaizsargātības stāvokļa ļaunprātīga izmantošana, 2. panta 2. punkts)

## Aizsardzība pret izraidīšanu (CETS 197 10. panta 2. punkts, 13. panta 1. punkts, 14. pants; Direktīva 2004/81/EK)
msg-removal-no-expulsion = { $on } nedrīkst izpildīt nevienu izraidīšanas rīkojumu: { $grounds }.
msg-removal-no-ground = { $on } nav piemērojams neviens ar cilvēku tirdzniecību saistītais pamats, kas aptur izraidīšanu (atlabšanas un pārdomu periods, iespējamais cilvēku tirdzniecības upuris, kura identifikācija turpinās, derīga uzturēšanās atļauja). Citi pamati, piemēram, neizskatīts starptautiskās aizsardzības pieteikums, šeit netiek vērtēti.
msg-removal-ground = { $ground } ({ $article })
msg-removal-reflection-period = atlabšanas un pārdomu periods ilgst no { $start } līdz { $end }
msg-removal-presumed-victim = kopš { $since } ir pamatots iemesls uzskatīt, ka persona ir cilvēku tirdzniecības upuris, un identifikācija nav pabeigta
msg-removal-permit = uzturēšanās atļauja ({ $ground }) ir derīga no { $from } līdz { $until }

## ES aptvēruma paziņojums un personu skaitīšanas metode
stats-eu-statement-head = ES kopsummas par { $year }. gadu: datus iesniegušas { $submitted } no { $expected } gaidītajām dalībvalstīm
stats-eu-statement-missing = nav iesniegušas: { $countries }
stats-eu-statement-cells = Katrā kopsummā saskaitītas tikai vērtības, ko valstis norādījušas kā zināmas: pilnīgas ir { $complete } no { $cells } šūnām; { $confidential } šūnās kādas valsts vērtība ir konfidenciāla (nav pieskaitīta); { $unknown } šūnās kādas valsts vērtība ir tukša vai trūkst (nezināma, netiek uzskatīta par nulli). Katrai šūnai norādītas valstis, no kurām veidojas tās kopsumma.
stats-eu-statement-voluntary = { $country } nav saistoša direktīva (Protokols Nr. 22), un tā datus iesniegusi brīvprātīgi: tās zināmās vērtības ir pieskaitītas.
stats-eu-statement-not-bound = { $country } nav saistoša direktīva (Protokols Nr. 22): no tās datus negaida, un tā netiek uzskatīta par neiesniegušu.
stats-eu-statement-left-out = Neņemti vērā: { $list }.
stats-eu-ignored-not-expected = valsts nav starp gaidītajām
stats-eu-ignored-second = otrs iesniegums par šo gadu (ņemts vērā pirmais)
stats-eu-ignored-year = pārskata gads { $year }
stats-linkage-model-built-in = { $name } (iebūvētais)
stats-linkage-method = vispirms vienāds dokumenta numurs, tad ierakstu sasaistes rīks: modelis { $model }, slieksnis { $threshold }
stats-counting-method = Personas, nevis ieraksti: { $linkage }. Katru personu skaita vienreiz, tās pirmās reģistrācijas gadā, pēc šīs reģistrācijas vērtībām; par identificētu cilvēku tirdzniecības upuri, ja kādai reģistrācijai ir pozitīvs galīgais lēmums, par iespējamo cilvēku tirdzniecības upuri tur, kur to paredz valsts procedūra (no nosūtīšanas brīža vai no pozitīva pirmā lēmuma); reģistrācijas, kas slēgtas ar negatīvu lēmumu, atsauktas vai tikai nosūtītas, ja procedūra paredz iespējamā upura statusu no pirmā lēmuma, netiek skaitītas. Anonīmos ziņojumus nevar sasaistīt, un katrs tiek skaitīts atsevišķi.

## Iebūvēto indikatoru sarakstu nosaukumi
indicator-list-ilo_ec_adult_labour = SDO/EK darbības indikatori: pieaugušie cilvēku tirdzniecības upuri darba ekspluatācijas nolūkā

## Kāpēc pakalpojumu sniedzējs vajadzībai ierindots šajā vietā
msg-match-eligibility = Piedāvā: { $service }; pieņem: { $audiences }.
msg-match-capacity-beds = Brīvas gultas: { $free } no { $capacity }.
msg-match-capacity-places = Brīvas vietas: { $free } no { $capacity }.
msg-match-unlimited-beds = Gultu skaits nav ierobežots.
msg-match-unlimited-places = Vietu skaits nav ierobežots.
msg-match-language-not-given = Personas valoda nav norādīta.
msg-match-language-preferred = Strādā personas vēlamajā valodā ({ $language }).
msg-match-language-other-than-preferred = Strādā vienā no personas valodām ({ $language }), ne vēlamajā ({ $preferred }).
msg-match-language-other = Strādā vienā no personas valodām ({ $language }).
msg-match-interpretation-on-site = Nestrādā nevienā no personas valodām ({ $languages }); tulkošanu nodrošina pats.
msg-match-interpreter-needed = Nestrādā nevienā no personas valodām ({ $languages }); būs vajadzīgs tulks.
msg-match-region-not-given = Personas reģions nav norādīts.
msg-match-region-same = Strādā personas reģionā ({ $region }).
msg-match-region-country = Strādā citur personas valstī ({ $country }), ne reģionā { $region }.
msg-match-region-elsewhere = Strādā ārpus personas valsts ({ $country }); atrodas: { $based }.
msg-match-specialised-asked = Specializējies palīdzībā cilvēku tirdzniecības upuriem, kā prasīts.
msg-match-specialised = Specializējies palīdzībā cilvēku tirdzniecības upuriem.
msg-match-not-specialised-asked = Nav specializējies cilvēku tirdzniecības jomā, lai gan tika prasīts specializēts pakalpojumu sniedzējs.
msg-match-not-specialised = Nav specializējies cilvēku tirdzniecības jomā.

## Lēmums atteikts lietas stāvokļa dēļ.
msg-decision-refused = { $problem }; lietas statuss: { $status }
msg-decision-refused-as-correction = kā lēmuma Nr. { $target } labojums: { $problem }; pirms lēmuma Nr. { $target } lietas statuss bija: { $status }
msg-decision-stale = lieta ir mainījusies, kopš tā tika atvērta: nākamais ir lēmums Nr. { $expected }, nevis Nr. { $given }; atveriet lietu no jauna
msg-decision-before-referral = lēmumu nevar datēt agrāk par nosūtījumu ({ $date })
msg-decision-before-previous = lēmumu nevar datēt agrāk par iepriekšējo lēmumu (Nr. { $seq }, datēts { $date })
msg-decision-out-of-sequence = lēmuma numurs { $seq } neatbilst secībai: nākamais numurs ir { $expected }
msg-correction-needs-reasons = labojumā jānorāda pamatojums
msg-correction-unknown-target = lēmuma Nr. { $target } pirms šī lēmuma nav, tāpēc to nevar labot
msg-correction-superseded = lēmums Nr. { $target } jau ir labots ar lēmumu Nr. { $by }; labojiet to
msg-correction-not-latest = labot var tikai pēdējo lēmumu (Nr. { $latest }); no lēmuma Nr. { $target } ir atkarīgi vēlāki lēmumi
msg-refusal-final-positive-is-final = pozitīvs galīgais lēmums ir galīgs; tam var sekot tikai tā labojums
msg-refusal-withdrawn-is-final = atsaukts nosūtījums ir galīgs; tam var sekot tikai atsaukšanas labojums
msg-refusal-one-decision-only = šajā procedūrā ir tikai viens lēmums: reģistrējiet galīgo lēmumu
msg-refusal-first-decision-made = pirmais lēmums ir pieņemts; to var mainīt tikai pārskatīšanā vai ar labojumu
msg-refusal-first-decision-reconsidered = pirmais lēmums tiek pārskatīts; tā vietā reģistrējiet pārskatīšanas iznākumu
msg-refusal-first-decision-already-made = pirmais lēmums jau ir pieņemts
msg-refusal-final-needs-first = galīgajam lēmumam vispirms vajadzīgs pozitīvs pirmais lēmums
msg-refusal-final-decision-reconsidered = galīgais lēmums tiek pārskatīts; tā vietā reģistrējiet pārskatīšanas iznākumu
msg-refusal-final-decision-made = galīgais lēmums ir pieņemts; to var mainīt tikai pārskatīšanā vai ar labojumu
msg-refusal-reconsideration-pending = lūgums pārskatīt lēmumu jau tiek izskatīts
msg-refusal-no-reconsideration-provided = šīs valsts procedūra neparedz šī lēmuma pārskatīšanu; skatiet tās pārsūdzības kārtību
msg-refusal-only-negative-reconsidered = pārskatīt var tikai negatīvu pirmo vai galīgo lēmumu
msg-refusal-no-pending-reconsideration = nav neizskatīta lūguma pārskatīt lēmumu, par ko lemt
msg-refusal-withdraw-only-pending = nosūtījumu var atsaukt tikai, kamēr tas gaida lēmumu

## Pieprasījums atteikts ieraksta stāvokļa dēļ (nekas netika saglabāts).
msg-registration-already-referred = šī reģistrācija jau ir nosūtīta
msg-registration-not-referred = reģistrācija vēl nav nosūtīta
msg-no-reflection-period = šajā lietā neilgst atlabšanas un pārdomu periods
msg-reflection-already-ended = atlabšanas un pārdomu periods jau ir pārtraukts pirms termiņa
msg-assessment-not-submitted = apstiprināt vai atgriezt var tikai iesniegtu novērtējumu; šī novērtējuma stāvoklis: { $state }
msg-assessment-own-review = novērtējuma autors to nevar apstiprināt: to pārbauda otra persona
msg-assessment-return-needs-reason = atgrieztam novērtējumam jānorāda iemesls
msg-service-changed-meanwhile = pakalpojums pa to laiku ir mainīts; atveriet to no jauna
msg-referral-changed-meanwhile = nosūtījums pa to laiku ir mainīts; atveriet to no jauna
msg-record-changed-meanwhile = ieraksts pa to laiku ir mainīts; atveriet to no jauna
msg-organisation-name-exists = organizācija ar šādu nosaukumu šajā jurisdikcijā jau ir
msg-username-taken = šis lietotājvārds jau ir aizņemts
msg-grant-already-decided = par šo lomu piešķiršanu jau ir lemts
msg-no-free-place = pakalpojumu sniedzējam šim pakalpojumam vairs nav brīvu vietu; izvēlieties citu pakalpojumu sniedzēju
msg-budget-exceeded = šīs datu kopas privātuma budžets nav pietiekams šai publikācijai; nekas netika publicēts
msg-stored-conflict = to nevarēja saglabāt: ieraksts pa to laiku ir mainīts, vai saglabātie dati šādas izmaiņas neatļauj (piemēram, aizņemtas vietas); atveriet to no jauna un mēģiniet vēlreiz

## Ievadītais, ko veidlapas atsaka.
msg-referral-needs-receiver = norādiet saņēmēju organizāciju
msg-referral-to-self = nosūtījumu sūta citai organizācijai
msg-provider-of-other-organisation = pakalpojumu sniedzējs pieder citai organizācijai
msg-no-such-provider = šajā valstī nav tāda pakalpojumu sniedzēja
msg-provider-lacks-service = pakalpojumu sniedzējs šo pakalpojumu nesniedz
msg-service-for-children = šis pakalpojums ir paredzēts bērniem, kas ir cilvēku tirdzniecības upuri, un viņu ģimenēm
msg-no-such-organisation-here = šajā valstī nav tādas organizācijas
msg-no-such-organisation = tādas organizācijas nav
msg-ends-before-start = nedrīkst būt agrāk par sākuma datumu
msg-before-service-starts = agrāk, nekā pakalpojums sākas
msg-stop-needs-reason = pārtraucot pakalpojumu, jānorāda iemesls
msg-stop-reason-only-when-stopped = pārtraukšanas iemesls var būt tikai pārtrauktam pakalpojumam
msg-for-children-only = to vērtē tikai bērniem
msg-childs-best-interests = bērna novērtējumā norāda bērna labākās intereses
msg-childs-views = ierakstiet bērna viedokli vai to, kāpēc bērnu nevarēja uzklausīt
msg-child-part-for-children = bērna daļa ir tikai bērniem
msg-language-code = divu burtu ISO 639-1 kods
msg-consent-language-code = valoda, kurā persona tika informēta, kā divu burtu ISO 639-1 kods
msg-emergency-needs-reason = aprakstiet ārkārtas situāciju: kāpēc nosūtījums nevar gaidīt piekrišanu
msg-role-required = jānorāda vismaz viena loma
msg-password-too-short = jābūt vismaz 12 rakstzīmēm
msg-organisation-kind-jurisdiction = šāda veida organizācija nevar darboties šajā jurisdikcijā
msg-own-account-disable = savu kontu nevar atspējot
msg-referral-needs-name = nosūtījumam vajadzīgs vārds vai cits lietots vārds (pietiek ar to, ko persona lieto)
msg-industry-only-forced-labour = nozari norāda tikai piespiedu darbam vai pakalpojumiem (arī ubagošanai)
msg-free-where-lacks-means = cilvēku tirdzniecības upurim nav pietiekamu līdzekļu: juridiskā konsultēšana un pārstāvība ir bez maksas (Dir 2011/36 Art 12(2))
msg-transfer-whole-case = nodošana pārceļ visu lietu: bez pakalpojuma un pakalpojumu sniedzēja
msg-transnational-referral = citas valsts organizācija: izmantojiet starptautisko nosūtījumu

## Ko atbalsta ieraksti atsaka.
msg-name-interviewer = nosauciet vismaz vienu nopratinātāju
msg-reason-only-unaccompanied = iemeslu norāda tikai tad, ja bērns netika pavadīts
msg-name-factor = nosauciet vismaz vienu izvērtēto apstākli
msg-durable-solution-needs-determination = ilgtspējīgam risinājumam vispirms vajadzīgs bērna labāko interešu izvērtējums (Dir 2011/36 Art 16(2))
msg-return-needs-determination = atgriešanai izcelsmes valstī vajadzīgs labāko interešu izvērtējums, kas atzīst atgriešanos par bērna labākajās interesēs esošu (Dir 2011/36 Art 16(2); CETS 197 Art 16(7))
msg-claim-names-offender = prasījumā pret likumpārkāpēju norāda likumpārkāpēju (vārdu vai lietas numuru)
msg-partial-award-needs-amount = daļējai piešķiršanai jānorāda piešķirtā summa
msg-only-award-has-amount = summa ir tikai piešķiršanai
msg-payment-needs-award = šim prasījumam nekas nav piešķirts: maksājumus reģistrē pēc piešķiršanas
msg-payment-positive = maksājumam jābūt pozitīvai summai
msg-sent-referral-reference = nosūtītam nosūtījumam norāda tā ziņojuma atsauci
msg-plan-cancelled = plāns ir atcelts
msg-follow-up-after-return = uzraudzību reģistrē pēc atgriešanās
msg-follow-up-first = vispirms reģistrējiet uzraudzību
msg-age-before-return = pirms atgriešanās personas vecumam jābūt zināmam vai pieņemtam: bērna atgriešanai ir citi noteikumi
msg-return-needs-consent = pieaugušā atgriešanai vajadzīga personas informēta piekrišana (CETS 197 Art 16(2))
msg-return-needs-risk-assessment = atgriešanai vispirms vajadzīgs riska novērtējums (CETS 197 Art 16(2))

## Ko identifikācijas veidlapas atsaka.
msg-search-needs-term = norādiet vārdu, dzimšanas datumu vai dokumenta numuru
msg-child-not-notified = bērnu reģistrē un nosūta bez piekrišanas (Dir 2011/36 Art 13(2); CETS 197 Art 10(3)): tā vietā reģistrējiet bērnu
msg-period-out-of-range = periods ir ārpus pieļaujamām robežām
msg-renewed-contact-not-applicable = atjaunoti kontakti pārtrauc tikai Dir 2004/81 Art 6(4) nogaidīšanas periodu, bet šī direktīva šajā valstī netiek piemērota; Konvencijas atlabšanas un pārdomu periods beidzas tikai sabiedriskās kārtības dēļ vai tad, ja upura statuss pieprasīts nepamatoti (CETS 197 Art 13(3))
msg-votes-only-commission = balsojumus reģistrē tikai komisijas lēmumam
msg-no-such-permit-application = šajā lietā nav tāda uzturēšanās atļaujas pieteikuma
msg-no-such-permit-decision = šajā lietā nav tāda lēmuma par uzturēšanās atļauju
msg-early-end-within-period = pārtraukšanai pirms termiņa jābūt perioda robežās (no { $start } līdz { $end })

## Ko pakalpojumu sniedzēju saraksta veidlapa atsaka.
msg-not-a-language-code = { $value } nav ISO 639-1 kods (divi mazie burti)
msg-not-a-region-code = { $value } nav reģiona kods, piemēram, “LV” vai “LV-RIX”
msg-not-a-time-of-day = { $value } nav diennakts laiks HH:MM no 00:00 līdz 24:00
msg-not-a-phone-number = { $value } nav tālruņa numurs (3 līdz 15 cipari, var sākt ar +)
msg-not-an-email-address = { $value } nav e-pasta adrese
msg-at-least-one-service = jāpiedāvā vismaz viens pakalpojums
msg-accommodation-needs-capacity = izmitināšanai jānorāda ietilpība (gultu skaits)
msg-contact-needs-phone-or-email = vajadzīgs tālruņa numurs vai e-pasta adrese
msg-must-list-one = jānorāda vismaz viens
msg-listed-twice = { $value } norādīts divreiz

## What residence, identification records, accounts and shares refuse.
msg-renewed-contact-only-permit-route = atjaunoti kontakti ar iespējamiem noziedzīgā nodarījuma izdarītājiem izbeidz tikai uzturēšanās atļaujas ceļa nogaidīšanas periodu (Dir 2004/81 Art 6(4)); Konvencijas atlabšanas un pārdomu periods beidzas tikai sabiedriskās kārtības dēļ vai tad, ja upura statuss pieprasīts nepamatoti (CETS 197 Art 13(3))
msg-not-before-start-on = nedrīkst būt agrāk par sākumu ({ $start })
msg-reflection-too-short = atlabšanas un pārdomu periodam jāilgst vismaz { $min } d. (CETS 197 Art 13(1)); no { $start } līdz { $end } ir { $length } d.
msg-early-end-needs-ground = pārtraukšanai pirms termiņa jānorāda pamats: sabiedriskā kārtība vai nepamatoti pieprasīts upura statuss (CETS 197 Art 13(3))
msg-ground-needs-date = pārtraukšanas pamatam jānorāda datums, kad tas stājās spēkā
msg-permit-decision-before-application = lēmums nevar būt agrāks par pieteikumu, kas iesniegts { $date }
msg-not-a-permit-identifier = “{ $value }” nav atļaujas identifikators
msg-refused-permit-no-validity = atteiktai atļaujai nav derīguma datumu
msg-granted-permit-first-day = piešķirtai atļaujai jānorāda pirmā derīguma diena
msg-granted-permit-last-day = piešķirtai atļaujai jānorāda pēdējā derīguma diena
msg-after-first-day-of-validity = jābūt vēlākam par pirmo derīguma dienu ({ $from })
msg-too-late-for-minimum-permit = ir par vēlu minimālā termiņa atļaujai
msg-permit-too-short = atļauja upurim, kas sadarbojas, ir derīga vismaz { $months } mēnešus (Dir 2004/81 Art 8(3)): no { $from } tai jābūt derīgai vismaz līdz { $until }
msg-refused-permit-not-renewed = atteiktu atļauju nevar pagarināt
msg-renewal-after-first-day = pagarinājums sākas pēc pagarināmās atļaujas pirmās derīguma dienas ({ $date })
msg-pending-no-decision-date = neizskatītam pieteikumam nav lēmuma datuma
msg-outcome-needs-date = jānorāda iznākuma datums
msg-outcome-before-application = iznākums nevar būt agrāks par pieteikumu, kas iesniegts { $date }
msg-at-most-entries = ierakstu skaits nedrīkst pārsniegt { $max }
msg-at-most-citizenships = pilsonību skaits nedrīkst pārsniegt { $max }
msg-at-most-documents = dokumentu skaits nedrīkst pārsniegt { $max }
msg-at-most-events = notikumu skaits nedrīkst pārsniegt { $max }
msg-at-most-aliases = citu lietoto vārdu skaits nedrīkst pārsniegt { $max }
msg-too-many-indicators = pārāk daudz indikatoru
msg-not-an-iso-639-code = “{ $value }” nav ISO 639 valodas kods (divi vai trīs burti)
msg-not-a-form-of-exploitation = “{ $value }” katalogā nav ekspluatācijas veids
msg-adult-referral-needs-consent = šīs valsts prakse: pieaugušo formāli nosūta tikai ar viņa informētu piekrišanu palīdzībai un nosūtīšanai (to neprasa ne Dir 2011/36, ne CETS 197); bez tās iesniedziet anonīmu paziņojumu, lai personu tomēr uzskaitītu
msg-age-range-inverted = apakšējais vecums ir lielāks par augšējo
msg-age-above = vecumu virs { $max } gadiem nepieņem
msg-not-a-number-of-years = “{ $value }” nav gadu skaits
msg-not-a-decision-number = “{ $value }” nav lēmuma numurs
msg-correction-names-earlier = labojumā jānorāda kāds agrāks šīs lietas lēmums
msg-notes-compartment = piezīmes pieder identitātes, atbalsta vai procesuālo darbību daļai
msg-eu-registers-no-cases = lietas reģistrē valstī; ES līmenī ir tikai statistika
msg-no-profile-for-country = valstij { $country } nav jurisdikcijas profila
msg-no-profile-version-on = valsts { $country } profilam nav versijas, kas būtu spēkā { $date }; tā pirmā versija ir spēkā no { $first }
msg-no-such-procedure = valsts { $country } profilā nav identificēšanas procedūras “{ $id }”
msg-not-a-field-of = nav šī ieraksta ({ $kind }) lauks; gaidīti: { $expected }
msg-too-long = pārāk garš
msg-at-most-cases-per-import = lietu skaits vienā importā nedrīkst pārsniegt { $max }
msg-clock-first-before-referral = pirmais lēmums ({ $decided }) datēts agrāk par nosūtīšanu ({ $referred })
msg-clock-final-before-first = galīgais lēmums ({ $final }) datēts agrāk par pirmo lēmumu ({ $first })
msg-clock-out-of-range = kāds šīs lietas termiņš iekrīt ārpus 1900.–2100. gada
msg-not-a-version-of-registration = nav šīs reģistrācijas versija
msg-not-a-version-given-out = nav versija, ko izsniedzis šis serveris
msg-not-json-or-csv = json vai csv
msg-no-such-step = nav tāda soļa “{ $value }”
msg-statistics-not-shared = statistikas daļu nekopīgo pa atsevišķām lietām
msg-cannot-share-unheld = jūs nevarat kopīgot daļu “{ $compartment }”: tā jums nav pieejama
msg-name-one-compartment = norādiet vismaz vienu lietas daļu
msg-share-same-country = lietas kopīgo ar citām tās pašas valsts organizācijām
msg-role-does-not-fit-kind = loma “{ $role }” neatbilst organizācijas veidam “{ $kind }”
msg-role-does-not-fit-organisation = loma “{ $role }” neatbilst šai organizācijai
msg-admin-chooses-no-password = administrators neizvēlas paroles: lietotājs to izvēlas ar iestatīšanas kodu
msg-set-up-code-invalid = nav derīgs vai ir beidzies; lūdziet administratoram jaunu
msg-current-totp-required = vajadzīgs pašreizējais kods no jūsu autentifikatora lietotnes
msg-not-a-valid-secret = nav derīga atslēga
msg-totp-code-does-not-match = nesakrīt; pārbaudiet laiku ierīcē
msg-no-second-factor = otrais faktors nav iestatīts
msg-not-current-password = nav jūsu pašreizējā parole
msg-not-current-totp-code = nav pašreizējais kods no jūsu autentifikatora lietotnes
msg-passwords-do-not-match = nesakrīt

## What the support records refuse when they quote a value (dates, amounts, states).
