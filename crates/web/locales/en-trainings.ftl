# Training records (Dir 2011/36 Art 18(3), Art 9(3)); the money rules of confiscated proceeds
# paid into compensation, and the currencies amounts are counted in

## Training records (the title, summary, hours and attendees labels are in *-proceedings-victims.ftl)
nav-trainings = Trainings
trainings-explain = Trainings given in your country against trafficking in human beings to police officers, prosecutors, judges, labour inspectors and others who come into contact with victims (Dir 2011/36 Art 18(3), Art 9(3)). Counts only, never the attendees' names. The summary is for the national rapporteur's reports.
trainings-empty = No training is recorded yet.
trainings-year = Year
trainings-audience = Audience
trainings-sessions = Sessions
trainings-list = Trainings recorded
trainings-dates = Dates
trainings-field-title = Topic
trainings-field-organiser = Organiser
trainings-field-starts_on = First day
trainings-field-ends_on = Last day
trainings-field-hours = Hours
trainings-ends-on-hint = Leave empty for a one-day training.
trainings-audiences = Audience and attendees
trainings-audiences-hint = The number of attendees of each profession that took part; leave the others empty.
trainings-record = Record a training
trainings-record-submit = Record the training
trainings-kept-by-countries = Training records are kept by each country for its own rapporteur (Dir 2011/36 Art 18(3)); the jurisdiction { $jurisdiction } keeps none.

## Confiscated proceeds paid into compensation (Dir 2011/36 Art 7, Art 17)
msg-proceedings-claim-not-payable = no award stands on this claim (it is { $status }): nothing can be paid on it from confiscated proceeds
msg-proceedings-claim-not-in-euro = the claim is in { $currency }; confiscated proceeds are counted in euro and paid into claims in euro
msg-proceedings-allocation-above-award = { $amount } euro cents is more than the { $left } of the award neither paid nor allocated yet

## Currencies (ISO 4217)
msg-proceedings-currency-unknown = { $currency } is not an active ISO 4217 currency
msg-proceedings-currency-minor-units = amounts in { $currency } have { $places } decimal places; Haven counts amounts in currencies with 0, 2 or 3
