# What the domain says to people (haven_domain::MessageId): every id here has its Latvian message
# in lv-domain.ftl, and `haven check-translations` fails on an id of MessageId missing from either.

## Validation of what was typed
msg-must-not-be-empty = must not be empty
msg-at-most-characters = must be at most { $max } characters
msg-no-control-characters = must not contain control characters
msg-unknown-value = “{ $value }” is not one of the values allowed
msg-not-a-date = “{ $value }” is not a date in the form YYYY-MM-DD
msg-date-in-future = { $date } is in the future (today is { $today })
msg-must-be-yes-or-no = must be answered yes or no
msg-not-yes-or-no = “{ $value }” is not yes or no
msg-not-before-last-change = must not be before the last change ({ $last })
msg-decision-needs-reasons = { $kind }: the decision must state its reasons
msg-reconsideration-needs-reasons = a reconsideration request must state why the decision should be reconsidered
msg-must-not-be-in-future = must not be in the future
msg-every-area-assessed = every area must be assessed
msg-not-a-country-code = “{ $value }” is not a two-letter country code (ISO 3166-1), such as LV
msg-not-an-amount = “{ $value }” is not a positive whole number of cents
msg-username-length = must be 3 to 64 characters
msg-username-characters = may contain only lower-case letters, digits, “.”, “_” and “-”
msg-reference-year = a reference year between 2000 and 2100
msg-risk-needs-summary = a high or severe risk needs a summary of what it is
msg-referral-cannot-change = a referral cannot go from { $from } to { $to }
msg-decline-needs-reason = a declined referral needs the reason
msg-eu-holds-no-cases = the EU level holds no case data: national tables and releases are made in a member state; see the EU hub for what has been submitted

## The legal test (Dir 2011/36 Art 2; CETS 197 Art 4)
msg-legal-no-act = no act is recorded (any one of: { $acts })
msg-legal-act-recorded = act recorded: { $acts }
msg-legal-child-no-means = the person is a child or presumed a child: trafficking needs no means, only an act for the purpose of exploitation
msg-legal-child-no-means-recorded = the person is a child or presumed a child: trafficking needs no means, only an act for the purpose of exploitation (recorded all the same: { $means })
msg-legal-no-means = no means is recorded (any one of: { $means })
msg-legal-means-recorded = means recorded: { $means }
msg-legal-no-purpose = no purpose of exploitation is recorded
msg-legal-purpose-recorded = purpose of exploitation recorded: { $forms }
msg-legal-age-at-acts-child = on { $on }, the earliest date of the acts recorded on the timeline, the person was a child or presumed a child: the child rule looks at the age when the acts took place, not at the age today
msg-legal-age-at-acts-adult = on { $on }, the earliest date of the acts recorded on the timeline, the person was not a child as far as the record shows
msg-legal-age-at-registration = no date of the acts is recorded on the timeline, so the age is taken at registration ({ $on }); the child rule looks at the age when the acts took place: record when they took place, as a person under 18 then needs no means
msg-legal-child-definition = a child is a person below 18; where the age is uncertain and there are reasons to believe the person is a child, they are presumed to be one
msg-legal-consent-recorded = consent to the exploitation is recorded
msg-legal-consent-not-given = the record says the person did not consent to the exploitation
msg-legal-consent-child = { $consent }; a child's consent is always irrelevant, and no means is needed
msg-legal-consent-means = { $consent }; consent is irrelevant because a means is recorded
msg-legal-consent-examine-means = { $consent }; consent becomes irrelevant once any means is established, so the means (including abuse of a position of vulnerability, Art 2(2)) should be examined

## Protection from removal (CETS 197 Arts 10(2), 13(1), 14; Dir 2004/81 Arts 6(2), 8)
msg-removal-no-expulsion = No expulsion order may be enforced on { $on }: { $grounds }.
msg-removal-no-ground = On { $on } none of the trafficking grounds that stop removal applies (recovery and reflection period, presumed victim awaiting identification, valid residence permit). Other grounds, such as a pending application for international protection, are not assessed here.
msg-removal-ground = { $ground } ({ $article })
msg-removal-reflection-period = the recovery and reflection period runs from { $start } to { $end }
msg-removal-presumed-victim = there are reasonable grounds to believe the person is a victim since { $since }, and identification is not complete
msg-removal-permit = a residence permit ({ $ground }) is valid from { $from } to { $until }

## The EU coverage statement and how persons are counted (the statistics' own English, said again)
stats-eu-statement-head = EU totals for { $year }: { $submitted } of { $expected } expected member states submitted
stats-eu-statement-missing = not submitted: { $countries }
stats-eu-statement-cells = Each total adds only the values the countries reported as known: { $complete } of { $cells } cells are complete; { $confidential } have a country's value confidential (not added in); { $unknown } have a country's value blank or absent (unknown, not taken as zero). Each cell lists the countries behind its total.
stats-eu-statement-voluntary = { $country } is not bound by the Directive (Protocol No 22) and submitted voluntarily: its known values are added in.
stats-eu-statement-not-bound = { $country } is not bound by the Directive (Protocol No 22): not expected to submit, not missing.
stats-eu-statement-left-out = Left out: { $list }.
stats-eu-ignored-not-expected = not an expected country
stats-eu-ignored-second = a second submission for the year (the first is counted)
stats-eu-ignored-year = reference year { $year }
stats-linkage-model-built-in = { $name } (built in)
stats-linkage-method = the same document number first, then the linkage engine: model { $model }, threshold { $threshold }
stats-counting-method = Persons, not records: { $linkage }. A person is counted once, in the year of their first registration, under the values of that registration; identified if any registration has a positive final decision, presumed where the country's procedure presumes (from the referral or from a positive first decision); registrations closed negative, withdrawn or only referred where the procedure presumes from a first decision are left out. Anonymous notifications cannot be linked and count one each.

## The names of the built-in indicator lists (their dimensions and indicators: en-ident.ftl, ilo-*)
indicator-list-ilo_ec_adult_labour = ILO/EC operational indicators: adult victims of trafficking for labour exploitation

## Why a provider ranks where it does for a need (the English pages show the domain's own sentences)
msg-match-eligibility = Offers { $service }; takes { $audiences }.
msg-match-capacity-beds = { $free } of { $capacity } beds free.
msg-match-capacity-places = { $free } of { $capacity } places free.
msg-match-unlimited-beds = Beds not limited.
msg-match-unlimited-places = Places not limited.
msg-match-language-not-given = No language given for the person.
msg-match-language-preferred = Works in the person's preferred language ({ $language }).
msg-match-language-other-than-preferred = Works in one of the person's languages ({ $language }), not the preferred one ({ $preferred }).
msg-match-language-other = Works in one of the person's languages ({ $language }).
msg-match-interpretation-on-site = Works in none of the person's languages ({ $languages }); offers interpretation itself.
msg-match-interpreter-needed = Works in none of the person's languages ({ $languages }); an interpreter will be needed.
msg-match-region-not-given = No region given for the person.
msg-match-region-same = Works in the person's region ({ $region }).
msg-match-region-country = Works elsewhere in the person's country ({ $country }), not in { $region }.
msg-match-region-elsewhere = Works outside the person's country ({ $country }); based in { $based }.
msg-match-specialised-asked = Specialised in assisting victims of trafficking, as asked.
msg-match-specialised = Specialised in assisting victims of trafficking.
msg-match-not-specialised-asked = Not specialised in trafficking, although a specialised provider was asked for.
msg-match-not-specialised = Not specialised in trafficking.

## A decision refused for where the case stands.
msg-decision-refused = { $problem }; the case is: { $status }
msg-decision-refused-as-correction = as a correction of decision { $target }: { $problem }; before decision { $target } the case was: { $status }
msg-decision-stale = the case changed since it was loaded: decision { $expected } is next, not { $given }; reload the case
msg-decision-before-referral = a decision cannot be dated before the referral on { $date }
msg-decision-before-previous = a decision cannot be dated before the previous decision (number { $seq }, dated { $date })
msg-decision-out-of-sequence = decision number { $seq } is out of sequence: the next number is { $expected }
msg-correction-needs-reasons = a correction must state its reasons
msg-correction-unknown-target = decision { $target } does not exist before this one, so it cannot be corrected
msg-correction-superseded = decision { $target } has already been corrected by decision { $by }; correct that one instead
msg-correction-not-latest = only the latest decision (number { $latest }) can be corrected; decision { $target } has later decisions that depend on it
msg-refusal-final-positive-is-final = a positive final decision is final; only a correction of it can follow
msg-refusal-withdrawn-is-final = a withdrawn referral is final; only a correction of the withdrawal can follow
msg-refusal-one-decision-only = this procedure has one decision only: record the final decision
msg-refusal-first-decision-made = the first decision has been made; it can change only through reconsideration or a correction
msg-refusal-first-decision-reconsidered = the first decision is being reconsidered; record the outcome of the reconsideration instead
msg-refusal-first-decision-already-made = the first decision has already been made
msg-refusal-final-needs-first = a final decision needs a positive first decision first
msg-refusal-final-decision-reconsidered = the final decision is being reconsidered; record the outcome of the reconsideration instead
msg-refusal-final-decision-made = the final decision has been made; it can change only through reconsideration or a correction
msg-refusal-reconsideration-pending = a reconsideration request is already pending
msg-refusal-no-reconsideration-provided = this country's procedure provides no reconsideration of this decision; see its appeal route
msg-refusal-only-negative-reconsidered = only a negative first or final decision can be reconsidered
msg-refusal-no-pending-reconsideration = there is no pending reconsideration request to decide
msg-refusal-withdraw-only-pending = a referral can be withdrawn only while it awaits a decision

## A request refused for where the record stands (nothing was stored).
msg-registration-already-referred = this registration was already referred
msg-registration-not-referred = the registration has not been referred yet
msg-no-reflection-period = no reflection period runs on this case
msg-reflection-already-ended = the reflection period was already ended early
msg-assessment-not-submitted = only a submitted assessment can be approved or returned; this one is: { $state }
msg-assessment-own-review = the author of an assessment cannot approve it: a second person reviews it
msg-assessment-return-needs-reason = a returned assessment needs the reason
msg-service-changed-meanwhile = the service was changed meanwhile; reload it
msg-referral-changed-meanwhile = the referral was changed meanwhile; reload it
msg-record-changed-meanwhile = the record was changed meanwhile; reload it
msg-organisation-name-exists = an organisation with this name exists in this jurisdiction
msg-username-taken = this username is taken
msg-grant-already-decided = this grant of roles has already been decided
msg-no-free-place = the provider has no free place left for this service; choose another provider
msg-budget-exceeded = the privacy budget of this dataset cannot cover the release; nothing was published
msg-stored-conflict = this could not be saved: the record was changed meanwhile, or what is stored does not allow the change (such as places in use); reload it and try again

## What was typed that the forms refuse.
msg-referral-needs-receiver = name the receiving organisation
msg-referral-to-self = a referral goes to another organisation
msg-provider-of-other-organisation = the provider belongs to another organisation
msg-no-such-provider = no such provider in this country
msg-provider-lacks-service = the provider does not offer this service
msg-service-for-children = this service is for child victims and their families
msg-no-such-organisation-here = no such organisation in this country
msg-no-such-organisation = no such organisation
msg-ends-before-start = must not be before the start date
msg-before-service-starts = before the service starts
msg-stop-needs-reason = stopping a service needs the reason
msg-stop-reason-only-when-stopped = only a stopped service has a stop reason
msg-for-children-only = assessed for children only
msg-childs-best-interests = a child's assessment states the child's best interests
msg-childs-views = record the child's views, or why the child could not be heard
msg-child-part-for-children = the child's part is for children only
msg-language-code = a two-letter ISO 639-1 code
msg-consent-language-code = the language the person was informed in, as a two-letter ISO 639-1 code
msg-emergency-needs-reason = document the emergency: why the referral cannot wait for consent
msg-role-required = at least one role is required
msg-password-too-short = must be at least 12 characters
msg-organisation-kind-jurisdiction = this kind of organisation cannot act at this jurisdiction
msg-own-account-disable = you cannot disable your own account
msg-referral-needs-name = a referral needs a name or an alias (one the person uses is enough)
msg-industry-only-forced-labour = an industry is recorded only for forced labour or services (including begging)
msg-free-where-lacks-means = the victim lacks sufficient means: legal counselling and representation are free of charge (Dir 2011/36 Art 12(2))
msg-transfer-whole-case = a transfer moves the whole case: no service or provider
msg-transnational-referral = another country's organisation: use the transnational referral

## What the support records refuse.
msg-name-interviewer = name at least one interviewer
msg-reason-only-unaccompanied = a reason is recorded only when the child was not accompanied
msg-name-factor = name at least one factor considered
msg-durable-solution-needs-determination = a durable solution needs a best-interests determination first (Dir 2011/36 Art 16(2))
msg-return-needs-determination = a return to the country of origin needs a best-interests determination that finds return in the child's best interests (Dir 2011/36 Art 16(2); CETS 197 Art 16(7))
msg-claim-names-offender = a claim against the offender names the offender (a name or a case reference)
msg-partial-award-needs-amount = a partial award needs the amount awarded
msg-only-award-has-amount = only an award carries an amount
msg-payment-needs-award = no award stands on this claim: payments are recorded after an award
msg-payment-positive = a payment is a positive amount
msg-sent-referral-reference = a sent referral has the reference of its message
msg-plan-cancelled = the plan is cancelled
msg-follow-up-after-return = a follow-up is recorded after the return
msg-follow-up-first = record a follow-up first
msg-age-before-return = the person's age must be known or presumed before a return goes ahead: a child's return follows other rules
msg-return-needs-consent = an adult's return needs the person's informed consent (Council of Europe Convention Art 16(2))
msg-return-needs-risk-assessment = a return needs a risk assessment first (CETS 197 Art 16(2))

## What identification's forms refuse.
msg-search-needs-term = give a name, a date of birth or a document number
msg-child-not-notified = a child is registered and referred without consent (Dir 2011/36 Art 13(2); CETS 197 Art 10(3)): register the child instead
msg-period-out-of-range = the period is out of range
msg-renewed-contact-not-applicable = renewed contact ends only the reflection period of Dir 2004/81 Art 6(4), which does not apply in this country; the Convention's period ends only on public order or an improperly claimed victim status (CETS 197 Art 13(3))
msg-votes-only-commission = only a decision of a commission records votes
msg-no-such-permit-application = no such permit application on this case
msg-no-such-permit-decision = no such permit decision on this case
msg-early-end-within-period = an early end must fall within the period ({ $start } to { $end })

## What the provider directory's form refuses.
msg-not-a-language-code = { $value } is not an ISO 639-1 code (two lower-case letters)
msg-not-a-region-code = { $value } is not a region code such as “LV” or “LV-RIX”
msg-not-a-time-of-day = { $value } is not a time of day HH:MM between 00:00 and 24:00
msg-not-a-phone-number = { $value } is not a phone number (3 to 15 digits, optional +)
msg-not-an-email-address = { $value } is not an e-mail address
msg-at-least-one-service = must offer at least one service
msg-accommodation-needs-capacity = accommodation needs a capacity (the number of beds)
msg-contact-needs-phone-or-email = needs a phone number or an e-mail address
msg-must-list-one = must list at least one
msg-listed-twice = { $value } is listed twice

## What residence, identification records, accounts and shares refuse.
msg-renewed-contact-only-permit-route = renewed contact with the suspected perpetrators ends only the reflection period of the residence-permit route (Dir 2004/81 Art 6(4)); the Convention's period ends only on public order or an improperly claimed victim status (CETS 197 Art 13(3))
msg-not-before-start-on = must not be before the start ({ $start })
msg-reflection-too-short = the reflection period must last at least { $min } days (CETS 197 Art 13(1)); from { $start } to { $end } is { $length } days
msg-early-end-needs-ground = an early end needs its ground: public order or an improperly claimed victim status (CETS 197 Art 13(3))
msg-ground-needs-date = a termination ground needs the date it took effect
msg-permit-decision-before-application = the decision cannot come before the application of { $date }
msg-not-a-permit-identifier = “{ $value }” is not a permit identifier
msg-refused-permit-no-validity = a refused permit has no validity dates
msg-granted-permit-first-day = a granted permit needs its first day
msg-granted-permit-last-day = a granted permit needs its last day
msg-after-first-day-of-validity = must be after the first day of validity ({ $from })
msg-too-late-for-minimum-permit = is too late for a permit of the minimum length
msg-permit-too-short = a permit for a cooperating victim is valid at least { $months } months (Dir 2004/81 Art 8(3)): from { $from } it runs at least until { $until }
msg-refused-permit-not-renewed = a refused permit cannot be renewed
msg-renewal-after-first-day = a renewal starts after the renewed permit's first day ({ $date })
msg-pending-no-decision-date = a pending application has no decision date
msg-outcome-needs-date = the date of the outcome is needed
msg-outcome-before-application = the outcome cannot come before the application of { $date }
msg-at-most-entries = at most { $max } entries
msg-at-most-citizenships = at most { $max } citizenships
msg-at-most-documents = at most { $max } documents
msg-at-most-events = at most { $max } events
msg-at-most-aliases = at most { $max } aliases
msg-too-many-indicators = too many indicators
msg-not-an-iso-639-code = “{ $value }” is not an ISO 639 language code (two or three letters)
msg-not-a-form-of-exploitation = “{ $value }” is not a form of exploitation in the catalogue
msg-adult-referral-needs-consent = national practice in this country: an adult is formally referred only with informed consent to assistance and referral (not a requirement of Dir 2011/36 or CETS 197); without it, file an anonymous notification so that the person is still counted
msg-age-range-inverted = the lower age is above the upper age
msg-age-above = ages above { $max } are not accepted
msg-not-a-number-of-years = “{ $value }” is not a number of years
msg-not-a-decision-number = “{ $value }” is not the number of a decision
msg-correction-names-earlier = a correction must name an earlier decision of this case
msg-notes-compartment = notes belong to identity, support or proceedings
msg-eu-registers-no-cases = cases are registered in a country; the EU level holds statistics only
msg-no-profile-for-country = no jurisdiction profile for { $country }
msg-no-profile-version-on = the { $country } profile has no version in force on { $date }; its first version applies from { $first }
msg-no-such-procedure = the { $country } profile has no identification procedure “{ $id }”
msg-not-a-field-of = not a field of this record ({ $kind }); expected { $expected }
msg-too-long = too long
msg-at-most-cases-per-import = at most { $max } cases per import
msg-clock-first-before-referral = the first decision ({ $decided }) is dated before the referral ({ $referred })
msg-clock-final-before-first = the final decision ({ $final }) is dated before the first decision ({ $first })
msg-clock-out-of-range = a due date of this case falls outside the years 1900-2100
msg-not-a-version-of-registration = is not a version of this registration
msg-not-a-version-given-out = is not a version this server gave out
msg-not-json-or-csv = json or csv
msg-no-such-step = no step “{ $value }”
msg-statistics-not-shared = statistics are not shared per case
msg-cannot-share-unheld = you cannot share { $compartment }: you do not hold it
msg-name-one-compartment = name at least one compartment
msg-share-same-country = cases are shared with other organisations of the same country
msg-role-does-not-fit-kind = the role { $role } does not fit an organisation of kind { $kind }
msg-role-does-not-fit-organisation = the role { $role } does not fit this organisation
msg-admin-chooses-no-password = an administrator does not choose passwords: the user chooses one with the set-up code
msg-set-up-code-invalid = is not valid or has expired; ask your administrator for a new one
msg-current-totp-required = a current code of your authenticator app is required
msg-not-a-valid-secret = is not a valid secret
msg-totp-code-does-not-match = does not match; check the time on the device
msg-no-second-factor = no second factor is set up
msg-not-current-password = is not your current password
msg-not-current-totp-code = is not a current code of your authenticator app
msg-passwords-do-not-match = does not match

## What the support records refuse when they quote a value (dates, amounts, states).
