# Cilvēku tirdzniecības upura starptautiskā nosūtīšana (Dir 2011/36 11. panta 4. punkts; CETS 197 16., 33. pants).
msg-transnational-cannot-change = starptautisku nosūtījumu nevar mainīt no { $from } uz { $to }
msg-transnational-wrong-desk = šīs izmaiņas drīkst veikt tikai { $desk }
msg-transnational-age-unknown = pirms starptautiskas nosūtīšanas personas vecumam jābūt zināmam vai pieņemtam: bērna nosūtīšanai ir citi noteikumi
msg-transnational-no-basis = vispirms norādiet datu nodošanas pamatu: pieaugušā informētu piekrišanu vai bērnam — labāko interešu izvērtējumu un aizbildņa viedokli
msg-transnational-child-needs-best-interests = bērnam vai iespējamam bērnam pamats ir labāko interešu izvērtējums un aizbildņa viedoklis (Dir 2011/36 13. panta 1. punkts, 14. panta 2. punkts)
msg-transnational-adult-needs-consent = pieaugušā datus nodod ar viņa informētu piekrišanu
msg-transnational-vital-interests-only-at-risk = datus bez piekrišanas vai labāko interešu izvērtējuma nodod tikai apdraudēta upura brīdināšanai (CETS 197 33. panta 1. punkts)
msg-transnational-not-in-best-interests = labāko interešu izvērtējums neatzīst nosūtīšanu par bērna labākajās interesēs: bērnu nenosūta
msg-transnational-assessment-only-for-return = atgriešanās riska izvērtējums ir tikai atgriešanai
msg-transnational-basis-comes-after = pamats ({ $given }) ir vēlāks par { $on }; tam jābūt agrākam

# Starptautiskā nosūtījuma statusi un kas tos maina.
tnr-state-draft = Melnraksts
tnr-state-submitted = Iesniegts pārskatīšanai
tnr-state-sent = Nosūtīts
tnr-state-received = Saņemts
tnr-state-accepted = Pieņemts
tnr-state-declined = Noraidīts
tnr-state-organisation_assigned = Organizācija norīkota
tnr-state-arrived_safely = Droši ieradies
tnr-state-support_started = Atbalsts uzsākts
tnr-state-follow_up_due = Jāveic pēcpārbaude
tnr-state-closed = Slēgts
tnr-desk-caseworker = lietas vadītājs
tnr-desk-sending_focal_point = nosūtītājvalsts kontaktpunkts
tnr-desk-receiving_focal_point = saņēmējvalsts kontaktpunkts
tnr-purpose-return_and_reintegration = Atgriešanās un reintegrācija
tnr-purpose-onward_support = Atbalsts saņēmējvalstī
tnr-purpose-identified_here_exploited_there = Identificēts šeit, ekspluatēts tur
tnr-purpose-information_request = Informācijas pieprasījums vai ģimenes meklēšana
tnr-purpose-victim_at_risk = Brīdinājums: apdraudēts upuris
tnr-field-given_names = Vārdi
tnr-field-family_name = Uzvārds
tnr-field-date_of_birth = Dzimšanas datums
tnr-field-year_of_birth = Dzimšanas gads
tnr-field-sex = Dzimums
tnr-field-nationalities = Pilsonības
tnr-field-languages = Valodas
tnr-field-identity_documents = Personu apliecinoši dokumenti
tnr-field-current_location = Pašreizējā atrašanās vieta (apdzīvota vieta)
tnr-field-contact = Kontaktinformācija

# Audita žurnāla vārdi starptautiskajam nosūtījumam.
audit-action-transnational_referral_prepared = Sagatavots starptautisks nosūtījums
audit-action-transnational_referral_changed = Mainīts starptautisks nosūtījums
audit-action-transnational_referral_received = Saņemts starptautisks nosūtījums no citas valsts
audit-action-transnational_referral_read = Skatīts starptautisks nosūtījums
audit-action-transnational_referrals_listed = Skatīts starptautisko nosūtījumu saraksts
