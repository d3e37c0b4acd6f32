# Victims in criminal proceedings: protection measures, limitation for child victims, the
# information given; training records

## What the domain says
msg-proceedings-victim-not-linked = this case is not linked to the investigation as a victim
msg-proceedings-measure-needs-reasons = a measure found not applicable names the reasons
msg-proceedings-measure-missing = Nothing is recorded of "{ $measure }" for this victim ({ $article }).
msg-proceedings-limitation-approaching = Limitation for the acts against this child victim may end on { $date }, in { $days } days ({ $article }).
msg-proceedings-limitation-passed = Limitation for the acts against this child victim may have ended on { $date } ({ $article }).
msg-proceedings-limitation-unknown = The day limitation ends for this child victim cannot be computed: record the victim's age, and the national rule ({ $article }).
msg-proceedings-limitation-not-from-majority = National practice lets limitation run { $rule }: prosecution is not sure to remain possible after a child victim reaches majority ({ $article }).
msg-proceedings-information-due = "{ $kind }" is not yet logged as given to this victim since { $date } ({ $article }).
msg-proceedings-training-no-audience = a training names at least one audience with its attendees
msg-proceedings-training-audience-twice = each audience once
msg-proceedings-training-number = must be a whole number from 1 to { $max }

## Coded values
protection-measure-interview_without_delay = interviews without unjustified delay
protection-measure-few_interviews = as few interviews as possible
protection-measure-same_interviewers = the same persons at every interview
protection-measure-trained_interviewers = interviews by trained professionals
protection-measure-adapted_premises = premises adapted for interviews
protection-measure-representative = accompanied by the representative or an adult of the child's choice
protection-measure-recorded_interviews = interviews recorded for use as evidence
protection-measure-no_visual_contact = no visual contact with the defendant
protection-measure-hearing_without_public = hearing without the public
protection-measure-no_private_life_questions = no questions on private life without need
protection-measure-protection_from_intimidation = protection from retaliation and intimidation
measure-status-applied = applied
measure-status-not_applicable = not applicable
measure-status-refused_by_victim = refused by the victim
child-victim-rule-from_majority = from the victim's majority
child-victim-rule-until_age = from the acts, not ending before the victim reaches an age
child-victim-rule-from_acts = from the acts, whatever the victim's age
limitation-state-running = running
limitation-state-approaching = ending soon
limitation-state-passed = may have ended
limitation-state-unknown = cannot be computed
majority-basis-verified_date_of_birth = a verified date of birth
majority-basis-stated_date_of_birth = a date of birth not verified
majority-basis-age_assessment = the latest age assessment, at its oldest
majority-basis-age_estimate = the age estimate, at its oldest
information-kind-decision_not_to_prosecute = the decision not to prosecute or to end the investigation
information-kind-trial_time_and_place = the time and place of the trial
information-kind-final_judgment = the final judgment
information-kind-state_of_proceedings = the state of the proceedings
information-kind-offender_released = the release or escape of the offender
information-channel-in_person = in person
information-channel-letter = by letter
information-channel-phone = by phone
information-channel-email = by e-mail
information-channel-through_representative = through the victim's lawyer or representative
training-audience-police = police officers
training-audience-prosecutors = prosecutors
training-audience-judges = judges
training-audience-labour_inspectors = labour inspectors
training-audience-border_guards = border guards
training-audience-others = others

## Labels
victims-proceedings-title = Victims in the proceedings
victims-proceedings-protection = Protection measures
victims-proceedings-missing = Not recorded
victims-proceedings-limitation = Limitation from majority
victims-proceedings-limitation-ends = Ends on (at the earliest)
victims-proceedings-information = Information given
victims-proceedings-information-due = Information due
trainings-title = Trainings against trafficking in human beings
trainings-summary = Trainings per year and audience
trainings-attendees = Attendees
trainings-hours = Hours
trainings-attendee-hours = Attendee hours
