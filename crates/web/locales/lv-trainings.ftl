# Mācību uzskaite (Direktīvas 2011/36 18. panta 3. punkts, 9. panta 3. punkts); konfiscēto līdzekļu
# izmaksa kompensācijā un valūtas, kurās skaita summas

## Mācību uzskaite (virsraksts, kopsavilkums, stundas un dalībnieki ir *-proceedings-victims.ftl)
nav-trainings = Mācības
trainings-explain = Jūsu valstī rīkotās mācības par cilvēku tirdzniecības apkarošanu policistiem, prokuroriem, tiesnešiem, darba inspektoriem un citiem, kas saskaras ar cilvēku tirdzniecības upuriem (Dir 2011/36 Art 18(3), Art 9(3)). Tikai skaits, nekad dalībnieku vārdi. Kopsavilkums ir valsts ziņotāja pārskatiem.
trainings-empty = Vēl nav reģistrētu mācību.
trainings-year = Gads
trainings-audience = Mērķgrupa
trainings-sessions = Mācību reizes
trainings-list = Reģistrētās mācības
trainings-dates = Datumi
trainings-field-title = Tēma
trainings-field-organiser = Rīkotājs
trainings-field-starts_on = Pirmā diena
trainings-field-ends_on = Pēdējā diena
trainings-field-hours = Stundas
trainings-ends-on-hint = Vienas dienas mācībām atstājiet tukšu.
trainings-audiences = Mērķgrupa un dalībnieki
trainings-audiences-hint = Katras profesijas dalībnieku skaits; pārējos atstājiet tukšus.
trainings-record = Reģistrēt mācības
trainings-record-submit = Reģistrēt mācības
trainings-kept-by-countries = Mācību uzskaiti katra valsts kārto savam ziņotājam (Dir 2011/36 Art 18(3)); jurisdikcija { $jurisdiction } to nekārto.

## Konfiscēto līdzekļu izmaksa kompensācijā (Dir 2011/36 Art 7, Art 17)
msg-proceedings-claim-not-payable = šim prasījumam nav piešķirtas kompensācijas (tā statuss: { $status }): no konfiscētajiem līdzekļiem tajā neko nevar izmaksāt
msg-proceedings-claim-not-in-euro = prasījums ir valūtā { $currency }; konfiscētos līdzekļus skaita eiro un izmaksā prasījumos eiro
msg-proceedings-allocation-above-award = { $amount } euro centi ir vairāk nekā { $left } no piešķirtās kompensācijas, kas vēl nav ne izmaksāti, ne piešķirti

## Valūtas (ISO 4217)
msg-proceedings-currency-unknown = { $currency } nav spēkā esoša ISO 4217 valūta
msg-proceedings-currency-minor-units = summām valūtā { $currency } ir { $places } decimālzīmes; Haven skaita summas valūtās ar 0, 2 vai 3
