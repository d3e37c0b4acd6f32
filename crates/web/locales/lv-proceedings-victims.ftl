# Cilvēku tirdzniecības upuri kriminālprocesā: aizsardzības pasākumi, noilgums bērniem, sniegtā
# informācija; mācību uzskaite

## What the domain says
msg-proceedings-victim-not-linked = šī lieta nav sasaistīta ar izmeklēšanu kā cilvēku tirdzniecības upura lieta
msg-proceedings-measure-needs-reasons = ja pasākums nav piemērojams, norādiet iemeslus
msg-proceedings-measure-missing = Par pasākumu "{ $measure }" šim cilvēku tirdzniecības upurim nekas nav reģistrēts ({ $article }).
msg-proceedings-limitation-approaching = Noilgums par darbībām pret šo bērnu – cilvēku tirdzniecības upuri – var iestāties { $date }, pēc { $days } dienām ({ $article }).
msg-proceedings-limitation-passed = Noilgums par darbībām pret šo bērnu – cilvēku tirdzniecības upuri – var būt iestājies { $date } ({ $article }).
msg-proceedings-limitation-unknown = Dienu, kad iestājas noilgums šim bērnam – cilvēku tirdzniecības upurim –, nevar aprēķināt: reģistrējiet upura vecumu un valsts noteikumu ({ $article }).
msg-proceedings-limitation-not-from-majority = Valsts praksē noilgums tiek skaitīts { $rule }: nav garantēts, ka kriminālvajāšana būs iespējama arī pēc tam, kad bērns – cilvēku tirdzniecības upuris – sasniedz pilngadību ({ $article }).
msg-proceedings-information-due = Nav reģistrēts, ka kopš { $date } šim cilvēku tirdzniecības upurim sniegta informācija "{ $kind }" ({ $article }).
msg-proceedings-training-no-audience = mācībās norāda vismaz vienu mērķgrupu ar dalībnieku skaitu
msg-proceedings-training-audience-twice = katru mērķgrupu norāda vienu reizi
msg-proceedings-training-number = jābūt veselam skaitlim no 1 līdz { $max }

## Coded values
protection-measure-interview_without_delay = nopratināšana bez nepamatotas kavēšanās
protection-measure-few_interviews = pēc iespējas mazāk nopratināšanu
protection-measure-same_interviewers = visās nopratināšanās tās pašas personas
protection-measure-trained_interviewers = nopratina apmācīti speciālisti
protection-measure-adapted_premises = nopratināšanai pielāgotas telpas
protection-measure-representative = kopā ar pārstāvi vai bērna izvēlētu pieaugušo
protection-measure-recorded_interviews = nopratināšana ierakstīta izmantošanai par pierādījumu
protection-measure-no_visual_contact = bez vizuāla kontakta ar apsūdzēto
protection-measure-hearing_without_public = slēgta tiesas sēde
protection-measure-no_private_life_questions = bez nevajadzīgiem jautājumiem par privāto dzīvi
protection-measure-protection_from_intimidation = aizsardzība pret atriebību un iebiedēšanu
measure-status-applied = piemērots
measure-status-not_applicable = nav piemērojams
measure-status-refused_by_victim = cilvēku tirdzniecības upuris atteicās
child-victim-rule-from_majority = no cilvēku tirdzniecības upura pilngadības
child-victim-rule-until_age = no darbībām, bet ne īsāk kā līdz noteiktam cilvēku tirdzniecības upura vecumam
child-victim-rule-from_acts = no darbībām neatkarīgi no cilvēku tirdzniecības upura vecuma
limitation-state-running = tecējums turpinās
limitation-state-approaching = drīz iestāsies
limitation-state-passed = var būt iestājies
limitation-state-unknown = nevar aprēķināt
majority-basis-verified_date_of_birth = pārbaudīts dzimšanas datums
majority-basis-stated_date_of_birth = nepārbaudīts dzimšanas datums
majority-basis-age_assessment = pēdējais vecuma novērtējums, augstākais vecums
majority-basis-age_estimate = vecuma aplēse, augstākais vecums
information-kind-decision_not_to_prosecute = lēmums neuzsākt kriminālvajāšanu vai izbeigt izmeklēšanu
information-kind-trial_time_and_place = tiesas sēdes laiks un vieta
information-kind-final_judgment = galīgais spriedums
information-kind-state_of_proceedings = procesa gaita
information-kind-offender_released = likumpārkāpēja atbrīvošana vai bēgšana
information-channel-in_person = klātienē
information-channel-letter = vēstulē
information-channel-phone = pa tālruni
information-channel-email = e-pastā
information-channel-through_representative = ar cilvēku tirdzniecības upura advokāta vai pārstāvja starpniecību
training-audience-police = policisti
training-audience-prosecutors = prokurori
training-audience-judges = tiesneši
training-audience-labour_inspectors = darba inspektori
training-audience-border_guards = robežsargi
training-audience-others = citi

## Labels
victims-proceedings-title = Cilvēku tirdzniecības upuri procesā
victims-proceedings-protection = Aizsardzības pasākumi
victims-proceedings-missing = Nav reģistrēts
victims-proceedings-limitation = Noilgums no pilngadības
victims-proceedings-limitation-ends = Iestājas (agrākais)
victims-proceedings-information = Sniegtā informācija
victims-proceedings-information-due = Sniedzamā informācija
trainings-title = Mācības par cilvēku tirdzniecības apkarošanu
trainings-summary = Mācības pa gadiem un mērķgrupām
trainings-attendees = Dalībnieki
trainings-hours = Stundas
trainings-attendee-hours = Dalībnieku stundas
