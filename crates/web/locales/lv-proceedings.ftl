# Kriminālprocesi: izmeklēšanas, aizdomās turētie, apsūdzības, spriedumi (kriminālprocesa nodalījums)

## Ko saka domēns
msg-proceedings-report-needed = izmeklēšanai, kas uzsākta pēc ziņojuma, jānorāda, kas ziņoja
msg-proceedings-no-report-ex-officio = izmeklēšanai, kas uzsākta pēc iestādes iniciatīvas, ziņojuma nav
msg-proceedings-not-before = nedrīkst būt pirms { $date }
msg-proceedings-no-offence = izmeklēšana attiecas vismaz uz vienu noziedzīgu nodarījumu
msg-proceedings-offence-needs-form = noziedzīgam nodarījumam jānorāda vismaz viens ekspluatācijas veids (Direktīvas 2011/36/ES 2. panta 3. punkts)
msg-proceedings-closure-not-on-withdrawal = izmeklēšanu neizbeidz tāpēc, ka cilvēku tirdzniecības upuris atsaucis vai nav sniedzis ziņojumu vai liecību (Direktīvas 2011/36/ES 9. panta 1. punkts)
msg-proceedings-status-change-refused = izmeklēšana, kuras statuss ir “{ $from }”, nevar pāriet uz “{ $to }”
msg-proceedings-closure-needs-ground = izbeigtai izmeklēšanai jānorāda izbeigšanas pamats
msg-proceedings-report-withdrawn-goes-on = Atsaukums ({ $date }) ir reģistrēts. Izmeklēšana turpinās: tā nav atkarīga no cilvēku tirdzniecības upura ziņojuma ({ $article }).
msg-proceedings-victim-already-linked = šī lieta jau ir sasaistīta ar izmeklēšanu
msg-proceedings-legal-person-no-personal-data = juridiskai personai nav dzimuma, vecuma grupas vai identificēšanas lietas
msg-proceedings-legal-person-needs-liability = juridiskās personas atbildībai jānorāda tās pamats (Direktīvas 2011/36/ES 5. pants)
msg-proceedings-natural-person-no-liability = Direktīvas 2011/36/ES 5. panta atbildība attiecas uz juridisku personu
msg-proceedings-no-role = aizdomās turētajam jānorāda vismaz viena loma ķēdē
msg-proceedings-charge-offence-not-investigated = izmeklēšana neattiecas uz šo noziedzīgo nodarījumu
msg-proceedings-circumstance-not-for-offence = { $article } šo noziedzīgo nodarījumu nepadara smagāku
msg-proceedings-decision-needs-reasons = lēmumam jānorāda pamatojums
msg-proceedings-notice-undecided = aizdomās turētais ir reģistrēts kā cilvēku tirdzniecības upuris: pirms lēmuma par kriminālvajāšanu pieņemiet lēmumu par paziņojumu par nesodīšanu (Direktīvas 2011/36/ES 8. pants; CETS 197 26. pants)
msg-proceedings-sentence-without-conviction = sods ir tikai notiesājošam spriedumam
msg-proceedings-conviction-needs-sentence = notiesājošam spriedumam jānorāda sods
msg-proceedings-months = jābūt veselam mēnešu skaitam no 1 līdz { $max }
msg-proceedings-judgment-without-indictment = spriedums seko apsūdzībai un lēmumam par kriminālvajāšanu
msg-proceedings-appeal-not-final = galīgu spriedumu nepārsūdz
msg-proceedings-penalty-below-basic-floor = { $provision } maksimālais sods ir { $years } gadi; Direktīvas 2011/36/ES 4. panta 1. punkts prasa vismaz { $floor } gadus.
msg-proceedings-penalty-below-aggravated-floor = Ar apstākli “{ $circumstance }” { $provision } maksimālais sods ir { $years } gadi; Direktīvas 2011/36/ES 4. panta 2. punkts prasa vismaz { $floor } gadus.
msg-proceedings-circumstance-not-aggravating = valsts tiesību akti šo apstākli neuzskata par kvalificējošu
msg-proceedings-non-punishment-notice = Paziņojums par nesodīšanu: šis aizdomās turētais ir { $standing }. Kompetentajām iestādēm ir tiesības nesaukt pie kriminālatbildības cilvēku tirdzniecības upurus vai nepiemērot tiem sodu par noziedzīgām darbībām, kuras tie bija spiesti izdarīt kā tiešas cilvēku tirdzniecības sekas ({ $articles }). Prokurors pirms lēmuma par kriminālvajāšanu reģistrē lēmumu par šo paziņojumu.
msg-proceedings-notice-already-decided = prokurors par šo paziņojumu jau ir pieņēmis lēmumu
msg-proceedings-not-a-prosecutor = nav šīs valsts prokuratūras iestāde
msg-proceedings-unknown-suspect = šajā izmeklēšanā nav aizdomās turētā ar šo identifikatoru

## Kodētās vērtības
investigation-status-open = atvērta
investigation-status-suspended = apturēta
investigation-status-with_prosecutor = nodota prokuroram
investigation-status-closed = izbeigta
victim-standing-registered = reģistrēts kā iespējamais cilvēku tirdzniecības upuris, vēl nav nosūtīts
victim-standing-presumed = iespējamais cilvēku tirdzniecības upuris
victim-standing-identified = identificēts kā cilvēku tirdzniecības upuris
circumstance-child_victim = bērns – cilvēku tirdzniecības upuris (4. panta 2. punkta a) apakšpunkts)
circumstance-particularly_vulnerable = īpaši neaizsargāts cilvēku tirdzniecības upuris (4. panta 2. punkta a) apakšpunkts)
circumstance-criminal_organisation = noziedzīgas organizācijas ietvaros (4. panta 2. punkta b) apakšpunkts)
circumstance-life_endangered = apdraudēta cilvēku tirdzniecības upura dzīvība (4. panta 2. punkta c) apakšpunkts)
circumstance-serious_violence = smaga vardarbība (4. panta 2. punkta d) apakšpunkts)
circumstance-serious_harm = īpaši smags kaitējums (4. panta 2. punkta d) apakšpunkts)
circumstance-public_official = valsts amatpersona, pildot dienesta pienākumus (4. panta 3. punkta a) apakšpunkts)
circumstance-ict_sexual_images = cilvēku tirdzniecības upura seksuāla rakstura attēli izplatīti tiešsaistē (4. panta 3. punkta b) apakšpunkts)
audit-action-proceedings_read = Kriminālprocesa dati skatīti
audit-action-proceedings_written = Kriminālprocesa dati reģistrēti
