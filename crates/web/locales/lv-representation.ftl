# Upura advokāts (Direktīvas 2011/36 12. panta 2. punkts; Direktīvas 2012/29 20. pants): lietas
# lapā reģistrētā pārstāvība un advokāta lapas par upuriem, kurus viņš pārstāv

nav-representations = Pārstāvētie upuri
audit-action-representation_recorded = Reģistrēts upura advokāts
audit-action-representation_revoked = Upura advokāta pārstāvība atsaukta
audit-action-representation_read = Skatīta upura pārstāvība vai upura skats

msg-representation-needs-consent = upuri pārstāv ar upura piekrišanu: vispirms atzīmējiet to
msg-representation-not-a-lawyer = izvēlieties upura advokātu no lietas valsts
msg-representation-in-force = šis advokāts jau pārstāv upuri; vispirms atsauciet šo pārstāvību

## Lietas lapa (lietas sociālais darbinieks vai vadītājs)
representation-heading = Upura advokāts
representation-explain = Advokāts, kas ar upura piekrišanu pārstāv upuri, redz upura skatu uz kriminālprocesiem, kuros upuris ir iesaistīts: izmeklēšanas numuru, statusu, noziedzīgos nodarījumus, kriminālvajāšanas stadiju un tiesas nolēmumus, upura aizsardzības pasākumus un upurim sniegto informāciju. Nekad aizdomās turētos, citus upurus, naudas līdzekļus vai atbalsta ierakstus.
representation-none = Upuri nepārstāv neviens advokāts.
representation-lawyer = Advokāts
representation-from-on = Pārstāv no
representation-consent-on = Upura piekrišanas datums
representation-consent-note = Kā upuris deva piekrišanu
representation-consent-given = Upuris piekrīt, ka viņu pārstāv šis advokāts un ka advokāts redz upura skatu uz kriminālprocesu
representation-state = Stāvoklis
representation-in-force = spēkā
representation-not-begun = vēl nav sākusies
representation-revoked-on = atsaukta
representation-revoke = Atsaukt
representation-revoke-reason = Iemesls (nav obligāts)
representation-no-lawyers = Nevienam jūsu valsts lietotājam nav upura advokāta lomas.
representation-record = Reģistrēt upura advokātu
representation-record-button = Reģistrēt advokātu

## Advokāta lapas
representations-title = Pārstāvētie upuri
representations-explain = Upuri, kurus jūs šodien pārstāvat, pēc viņu lietas numura. Katram upura skats uz kriminālprocesiem, kuros upuris ir iesaistīts (Dir 2011/36 Art 12(2)). Katra skatīšana tiek reģistrēta audita žurnālā.
representations-none = Jūs šodien nepārstāvat nevienu upuri.
representations-case = Lieta
representations-investigations = Izmeklēšanas
representations-back = Atpakaļ uz pārstāvētajiem upuriem
representation-victim-title = Upura skats uz kriminālprocesu
representation-victim-explain = Tas, ko upurim ir tiesības zināt par kriminālprocesu un tā iznākumu, un upura aizsardzība un informācija. Aizdomās turētie, citi upuri, naudas līdzekļi un atbalsta ieraksti netiek rādīti.
representation-no-investigations = Upuris nav iesaistīts nevienā izmeklēšanā.
representation-investigation = Izmeklēšana
representation-status = Statuss
representation-since = kopš
representation-opened-on = Uzsākta
representation-linked-on = Upuris iesaistīts
representation-offences = Noziedzīgie nodarījumi
representation-closure = Izbeigšanas pamats
representation-acts = Nodarījumu laiks
representation-stages = Kriminālvajāšana un tiesa
representation-no-stages = Vēl nav ne apsūdzības, ne lēmuma, ne sprieduma.
representation-final = stājies spēkā
representation-not-recorded = nav reģistrēts
