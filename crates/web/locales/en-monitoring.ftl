# The instruments as dated data, the transposition tracker and the coordinator's dashboard
# (docs/monitoring.md)

## The dashboard
nav-monitoring = Monitoring
monitoring-title = Monitoring
monitoring-explain = Deadlines coming up and countries late on transposition, for the countries you follow: your own country, or at the EU level every Member State. Today
monitoring-deadlines = Deadlines coming up
monitoring-deadlines-explain = Transposition deadlines not yet met, and replies due to the Commission's letters and reasoned opinions, in the next { $days } days.
monitoring-deadlines-none = No deadline in that period.
monitoring-late = Countries late on transposition
monitoring-late-explain = Past the transposition deadline without notifying complete transposition, most days late first, with the last infringement step.
monitoring-late-none = No country is late.
monitoring-due = Due
monitoring-days-left = Days left
monitoring-days-late = Days late
monitoring-country = Country
monitoring-instrument = Instrument
monitoring-deadline = Deadline
monitoring-deadline-kind = What is due
monitoring-deadline-transposition = Transposition
monitoring-deadline-reply_to_formal_notice = Reply to the letter of formal notice
monitoring-deadline-reply_to_reasoned_opinion = Reply to the reasoned opinion
monitoring-where = Where it stands
monitoring-last-step = Last infringement step

## How late
monitoring-lateness-not_bound = Not bound by the directive
monitoring-lateness-not_yet_due = Not notified yet; { $days } days left
monitoring-lateness-not_yet_due-partial = Partly notified; { $days } days left
monitoring-lateness-on_time = Notified on time ({ $date })
monitoring-lateness-notified_late = Notified late ({ $date }, { $days } days late)
monitoring-lateness-not_notified = Not notified, { $days } days late
monitoring-lateness-not_notified-partial = Partly notified, { $days } days late

## Status of an article
monitoring-status-none = no measure
monitoring-status-partial = partial
monitoring-status-complete = complete
monitoring-status-non_conformity = non-conformity found
monitoring-finding-conform = conform
monitoring-finding-partial = partial
monitoring-finding-non_conformity = non-conformity found

## Infringement procedures
monitoring-stage-letter_of_formal_notice = Letter of formal notice
monitoring-stage-reasoned_opinion = Reasoned opinion
monitoring-stage-referral_to_court = Referral to the Court of Justice
monitoring-stage-closed = Closed
monitoring-ground-non_communication = Measures not notified
monitoring-ground-non_conformity = Measures do not conform

## The matrix and the timeline
monitoring-transposition-title = Transposition of the directives
monitoring-transposition-explain = For each country and each article of the directive, where its transposition stands: the measures the country notified and the Commission's assessment of them. A sign and its word show each status. Choose a directive:
monitoring-bound = Countries bound
monitoring-legend = Signs
monitoring-timeline = Countries that had notified, by date
monitoring-timeline-complete = Complete transposition notified
monitoring-timeline-any = At least one measure notified
monitoring-timeline-none = No country has notified a measure yet.
monitoring-date = Date

## A country's page
monitoring-country-title = Transposition in a country
monitoring-country-explain = The measures the country notified for each directive, the Commission's assessment of each article and the infringement steps. Back to
monitoring-articles = Articles
monitoring-article = Article
monitoring-status = Status
monitoring-measures = National measures notified
monitoring-measures-none = No measure notified.
monitoring-assessments = The Commission's assessment
monitoring-assessments-none = No assessment recorded.
monitoring-steps = Infringement steps
monitoring-steps-none = No infringement procedure.
monitoring-reply-due = Reply due
monitoring-all-articles = the whole directive
monitoring-completes-yes = complete
monitoring-completes-no = partial
monitoring-articles-hint = The articles the measure transposes, separated by commas (for example 11(4), 18a); leave empty for the whole directive.
monitoring-record-measure = Record a national measure notified
monitoring-record-measure-submit = Record the measure
monitoring-record-assessment = Record the Commission's assessment of an article
monitoring-record-assessment-submit = Record the assessment
monitoring-record-step = Record an infringement step
monitoring-record-step-submit = Record the step
monitoring-field-country = Country
monitoring-field-instrument = Directive
monitoring-field-articles = Articles
monitoring-field-title = Title
monitoring-field-reference = Official reference
monitoring-field-notified_on = Notified on
monitoring-field-link = Link
monitoring-field-completes = Transposition
monitoring-field-article = Article
monitoring-field-finding = Finding
monitoring-field-assessed_on = Assessed on
monitoring-field-note = Note
monitoring-field-procedure = Procedure number
monitoring-field-ground = Ground
monitoring-field-stage = Step
monitoring-field-decided_on = Decided on

## The instruments
monitoring-instruments-title = Instruments
monitoring-instruments-explain = The instruments against trafficking in human beings, their articles with the obligation in each and the date it applies from, and who is bound since when. The same article list is used by the legal traceability table.
monitoring-instrument-title = Title
monitoring-in-force-on = In force
monitoring-mark = Checked
monitoring-mark-explain = Checked: V read in the text, V~ partly, U not yet checked against the official text.
monitoring-source = Source
monitoring-obligation = Obligation
monitoring-applies-from = Applies from
monitoring-amended = Replaced or added by
monitoring-in-force = In force today
monitoring-in-force-for = In force for
monitoring-in-force-original = yes
monitoring-in-force-amended = yes, as amended
monitoring-in-force-no = no
monitoring-parties = Who is bound
monitoring-bound-from = Bound from
monitoring-bound-until = Bound until
monitoring-note = Note

## Messages of the rules
msg-monitoring-not-a-directive = { $instrument } is not a directive whose transposition is tracked
msg-monitoring-not-bound = { $country } is not bound by { $instrument }
msg-monitoring-unknown-article = { $article } is not an article { $instrument } transposes
msg-monitoring-not-a-link = must be a web address starting with https://
msg-monitoring-step-order = the next step of this procedure is { $stage }
msg-monitoring-procedure-closed = the procedure { $procedure } is closed
msg-monitoring-before-in-force = must not be before { $date } ({ $instrument })
msg-monitoring-measures-by-countries = National measures are notified by each Member State; the jurisdiction { $jurisdiction } records the Commission's assessments and infringement steps.

## Audit log
audit-action-transposition_read = Transposition records read
audit-action-transposition_recorded = Transposition record added
