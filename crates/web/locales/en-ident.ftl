# Identification: coded values and pages (English).

## Acts (Directive 2011/36/EU Art 2(1))
act-recruitment = Recruitment
act-transportation = Transportation
act-transfer = Transfer
act-harbouring = Harbouring
act-reception = Reception
act-exchange_of_control = Exchange or transfer of control over the person

## Means (Directive 2011/36/EU Art 2(1))
means-threat = Threat of force
means-use_of_force = Use of force
means-other_coercion = Other forms of coercion
means-abduction = Abduction
means-fraud = Fraud
means-deception = Deception
means-abuse_of_power = Abuse of power
means-abuse_of_vulnerability = Abuse of a position of vulnerability
means-payments_to_controller = Payments or benefits to a person in control of the victim

## Methods of control
control-physical_threats = Threats of physical harm
control-threats_law_enforcement = Threats of reporting to the police or immigration
control-threatens_children_family = Threats against the person's children or family
control-debt_bondage = Debt bondage
control-false_promises = False promises
control-physical_abuse = Physical abuse
control-sexual_abuse = Sexual abuse
control-takes_earnings = Takes the person's earnings
control-restricts_financial_access = Restricts access to money or bank accounts
control-restricts_medical_care = Restricts access to medical care
control-withholds_necessities = Withholds food, sleep or other necessities
control-psychological_abuse = Psychological abuse
control-psychoactive_substance = Forced or induced use of alcohol or drugs
control-excessive_working_hours = Excessive working hours
control-withholds_documents = Withholds identity or travel documents
control-other = Other method (described in text)

## Methods of recruitment
recruitment-at_a_place_of_business = At a place of business
recruitment-at_an_educational_institution = At a school, college or university
recruitment-at_work = At work
recruitment-through_online_social_networks = Through online social networks
recruitment-through_an_online_advertisement = Through an online advertisement
recruitment-through_a_television_advert = Through a television advertisement
recruitment-through_a_newspaper_advert = Through a newspaper advertisement
recruitment-through_family_or_family_events = Through family or family events
recruitment-through_friends_or_social_events = Through friends or social events
recruitment-other = Other way (described in text)

## Websites and apps
platform-facebook = Facebook
platform-instagram = Instagram
platform-whatsapp = WhatsApp
platform-telegram = Telegram
platform-messenger = Facebook Messenger
platform-viber = Viber
platform-snapchat = Snapchat
platform-line = LINE
platform-four_sale = 4Sale
platform-wechat = WeChat
platform-qq = QQ
platform-qzone = Qzone
platform-tiktok = TikTok
platform-twitter = Twitter (X)
platform-other = Other platform (named in text)

## Relationship to the trafficker
relationship-familial = Family member
relationship-acquainted = Someone the person knew
relationship-unacquainted = Stranger
relationship-intimate_partner = Current or former intimate partner
relationship-unknown = Not known

## Vulnerabilities
vulnerability-child = Being a child
vulnerability-gender = Gender
vulnerability-pregnancy = Pregnancy
vulnerability-state_of_health = State of health
vulnerability-disability = Physical or mental disability
vulnerability-irregular_migration_status = Irregular migration or residence status
vulnerability-economic_hardship = Poverty, debt or other economic hardship
vulnerability-dependency = Emotional, family or economic dependency
vulnerability-addiction = Alcohol or drug addiction
vulnerability-homelessness = Homelessness
vulnerability-lack_of_language = Does not speak the local language
vulnerability-isolation = Social or geographical isolation
vulnerability-previous_victimisation = Earlier victimisation, including earlier trafficking
vulnerability-other = Other vulnerability (described in text)

## Trafficking events
event-recruitment = Recruitment
event-transit = Transit
event-exploitation = Exploitation

## Industries of forced labour (ISIC Rev.4 sections)
industry-A = Agriculture, forestry and fishing
industry-B = Mining and quarrying
industry-C = Manufacturing
industry-D = Electricity, gas, steam and air conditioning supply
industry-E = Water supply; sewerage, waste management and remediation activities
industry-F = Construction
industry-G = Wholesale and retail trade; repair of motor vehicles and motorcycles
industry-H = Transportation and storage
industry-I = Accommodation and food service activities
industry-J = Information and communication
industry-K = Financial and insurance activities
industry-L = Real estate activities
industry-M = Professional, scientific and technical activities
industry-N = Administrative and support service activities
industry-O = Public administration and defence; compulsory social security
industry-P = Education
industry-Q = Human health and social work activities
industry-R = Arts, entertainment and recreation
industry-S = Other service activities
industry-T = Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use
industry-U = Activities of extraterritorial organizations and bodies

## Statistical groups of forms
stat-group-sexual = Sexual exploitation
stat-group-forced_labour = Forced labour or services, including forced begging
stat-group-other = Other forms

## Forms of exploitation
form-sexual = Sexual exploitation
form-forced_labour = Forced labour or services
form-begging = Forced begging
form-slavery = Slavery or practices similar to slavery
form-servitude = Servitude
form-criminal_activities = Exploitation of criminal activities
form-organ_removal = Removal of organs
form-surrogacy = Exploitation of surrogacy
form-forced_marriage = Forced marriage
form-illegal_adoption = Illegal adoption
form-other = Other form (described in text)

## Gender
gender-feminine = Female
gender-masculine = Male
gender-transgender_feminine = Transgender female
gender-transgender_masculine = Transgender male
gender-non_conforming = Gender non-conforming
gender-unknown = Not known

## Identity documents
document-passport = Passport
document-identity_card = Identity card
document-residence_permit = Residence permit
document-birth_certificate = Birth certificate
document-driving_licence = Driving licence
document-other = Other document

## Registration states
regstate-draft = Draft
regstate-submitted = Submitted for referral

## Child or adult
child-status-child = Child (date of birth verified)
child-status-presumed_child = Presumed child (age uncertain)
child-status-adult = Adult
child-status-unknown = Not known

## Age groups
age-group-0_11 = 0–11 years
age-group-12_17 = 12–17 years
age-group-18_24 = 18–24 years
age-group-25_34 = 25–34 years
age-group-35_44 = 35–44 years
age-group-45_54 = 45–54 years
age-group-55_64 = 55–64 years
age-group-65_plus = 65 and over
age-group-unknown = Not known

## Age assessment methods
age-method-documents = Identity or civil-status documents
age-method-multidisciplinary = Multidisciplinary assessment
age-method-medical = Medical examination (last resort)
age-method-other = Other method (described in the record)

## Reasons for presuming a child
presumption-reasons_to_believe_child = There are reasons to believe the person is a child
presumption-estimate_includes_child_age = The age estimate includes ages under 18
presumption-unverified_date_of_birth_under_18 = An unverified date of birth gives an age under 18
presumption-assessment_includes_child_age = The latest age assessment includes ages under 18

## Status in the national referral mechanism
nrm-status-referred = Referred (identification running)
nrm-status-presumed_victim = Presumed victim (positive first decision)
nrm-status-first_decision_negative = Negative first decision
nrm-status-identified_victim = Identified victim (positive final decision)
nrm-status-not_identified = Not identified (negative final decision)
nrm-status-first_decision_reconsideration = Reconsideration of the negative first decision requested
nrm-status-final_decision_reconsideration = Reconsideration of the negative final decision requested
nrm-status-withdrawn = Referral withdrawn

## Decisions
decision-first_decision_positive = Positive first decision
decision-first_decision_negative = Negative first decision
decision-final_decision_positive = Positive final decision: identified as a victim
decision-final_decision_negative = Negative final decision: not identified
decision-reconsideration_requested = Reconsideration of a negative decision requested
decision-reconsideration_upheld = Negative decision upheld on reconsideration
decision-reconsideration_overturned = Negative decision replaced by a positive one on reconsideration
decision-withdrawal = Referral withdrawn

## Grounds for ending the reflection period early
termination-public_order = Public order or national security
termination-improper_claim = Victim status claimed improperly
termination-renewed_contact = Renewed contact with the suspected perpetrators on the person's own initiative

## Grounds for a residence permit
permit-ground-personal_situation = The person's personal situation
permit-ground-cooperation = Cooperation with the authorities in an investigation or proceedings
permit-ground-both = Both personal situation and cooperation
permit-ground-child_best_interests = The best interests of the child

## International protection
protection-outcome-pending = Pending
protection-outcome-refugee = Refugee status granted
protection-outcome-subsidiary = Subsidiary protection granted
protection-outcome-refused = Refused
protection-outcome-withdrawn = Withdrawn

## Indicator grades
grade-strong = Strong
grade-medium = Medium
grade-weak = Weak

## Stages of the trafficking process
stage-recruitment = Recruitment
stage-exploitation = Exploitation
stage-destination = Destination

## Indicator lists by population
population-adult = Adults
population-child = Children

## Records that follow a registration
record-kind-permit_application = Residence permit application
record-kind-permit_decision = Residence permit decision or renewal
record-kind-protection_application = Application for international protection
record-kind-reflection_termination = Reflection period ended early
record-kind-criminal_matter = Criminal matter in which the person is a suspect

## Statutory clocks
clock-first_decision = First decision due
clock-reflection_end = Reflection period ends
clock-final_decision = Final decision due
clock-guardian = Guardian to be appointed

## Deadline states
deadline-done = Done
deadline-upcoming = Upcoming
deadline-due_soon = Due soon
deadline-due_today = Due today
deadline-overdue = Overdue

## ILO/EC indicator dimensions
ilo-dim-i1 = Deceptive recruitment (including transfer and transport)
ilo-dim-i2 = Coercive recruitment
ilo-dim-i3 = Recruitment by abuse of vulnerability
ilo-dim-i4 = Exploitative conditions of work
ilo-dim-i5 = Coercion at destination
ilo-dim-i6 = Abuse of vulnerability at destination

## ILO/EC indicators of trafficking for labour exploitation (adults)
ilo-i1-01 = Deceived about the nature of the job, location or employer
ilo-i1-02 = Deceived about conditions of work
ilo-i1-03 = Deceived about the content or legality of the work contract
ilo-i1-04 = Deceived about family reunification
ilo-i1-05 = Deceived about housing and living conditions
ilo-i1-06 = Deceived about legal documents or obtaining legal migrant status
ilo-i1-07 = Deceived about travel and recruitment conditions
ilo-i1-08 = Deceived about wages or earnings
ilo-i1-09 = Deceived through promises of marriage or adoption
ilo-i1-10 = Deceived about access to education
ilo-i2-01 = Violence against the victim
ilo-i2-02 = Abduction, forced marriage, forced adoption or selling of the victim
ilo-i2-03 = Confiscation of documents
ilo-i2-04 = Debt bondage
ilo-i2-05 = Isolation, confinement or surveillance
ilo-i2-06 = Threat of denunciation to the authorities
ilo-i2-07 = Threats of violence against the victim
ilo-i2-08 = Threats to inform family, community or the public
ilo-i2-09 = Violence against the family (threatened or actual)
ilo-i2-10 = Withholding of money
ilo-i3-01 = Abuse of a difficult family situation
ilo-i3-02 = Abuse of illegal status
ilo-i3-03 = Abuse of lack of education (language)
ilo-i3-04 = Abuse of lack of information
ilo-i3-05 = Control by exploiters
ilo-i3-06 = Economic reasons
ilo-i3-07 = False information about the law or the attitude of the authorities
ilo-i3-08 = False information about successful migration
ilo-i3-09 = Family situation
ilo-i3-10 = Personal situation
ilo-i3-11 = Psychological and emotional dependency
ilo-i3-12 = Relationship with the authorities or legal status
ilo-i3-13 = Abuse of cultural or religious beliefs
ilo-i3-14 = Difficulties in the past
ilo-i3-15 = Difficulty in organising the travel
ilo-i3-16 = General context
ilo-i4-01 = Excessive working days or hours
ilo-i4-02 = Bad living conditions
ilo-i4-03 = Hazardous work
ilo-i4-04 = Low or no pay
ilo-i4-05 = Labour laws or the signed contract not respected
ilo-i4-06 = No social protection (contract, social insurance, etc.)
ilo-i4-07 = Very bad working conditions
ilo-i4-08 = Wage manipulation
ilo-i4-09 = No access to education
ilo-i5-01 = Confiscation of documents
ilo-i5-02 = Debt bondage
ilo-i5-03 = Isolation, confinement or surveillance
ilo-i5-04 = Violence against the victim
ilo-i5-05 = Forced into illicit or criminal activities
ilo-i5-06 = Forced tasks or clients
ilo-i5-07 = Forced to act against peers
ilo-i5-08 = Forced to lie to the authorities, family, etc.
ilo-i5-09 = Threat of denunciation to the authorities
ilo-i5-10 = Threat to impose even worse working conditions
ilo-i5-11 = Threats of violence against the victim
ilo-i5-12 = Under strong influence
ilo-i5-13 = Violence against the family (threatened or actual)
ilo-i5-14 = Withholding of wages
ilo-i5-15 = Threats to inform family, community or the public
ilo-i6-01 = Dependency on exploiters
ilo-i6-02 = Difficulty living in an unfamiliar place
ilo-i6-03 = Economic reasons
ilo-i6-04 = Family situation
ilo-i6-05 = Relationship with the authorities or legal status
ilo-i6-06 = Difficulties in the past
ilo-i6-07 = Personal characteristics

## Identification pages
nav-deadlines = Deadlines
nav-search = Find a person
yes = Yes
no = No
days = days
wizard-title = Registration
wizard-steps = Steps of the registration
wizard-step-person = Person
wizard-step-age = Age and guardian
wizard-step-context = Trafficking context
wizard-step-timeline = Events and recruitment
wizard-step-indicators = Indicators
wizard-step-consent = Consent and referral
wizard-back-to-case = Back to the case
wizard-save-next = Save and continue
wizard-save-close = Save and close
wizard-countries-hint = ISO codes such as LV, UA, separated by commas
wizard-languages-hint = ISO 639 codes such as lv, ru, uk
wizard-age-explain = Under 18 is a child. If the age is uncertain and there are reasons to believe the person is a child, the person is presumed a child at once, with every child protection (Directive 2011/36/EU Art 13(2)).
wizard-age-from = From (years)
wizard-age-to = to (years)
wizard-age-assessment = Add an age assessment
wizard-guardian-explain = A child needs a guardian or representative (Directive 2011/36/EU Arts 14(2), 16(3)).
wizard-event = Event
wizard-indicators-explain = Tick the indicators you observed. The result is decision support: nothing is decided automatically.
wizard-consent-explain = Identification does not wait for consent: the person is referred for identification whatever they consented to, and the protection from removal and the recovery and reflection period apply all the same (CETS 197 Art 10(2), Art 13). Consent decides assistance and referral to a support organisation, and the sharing of identifying data. A child is referred without consent.
wizard-support-consent-explain = Consent to assistance and to referral to a support organisation (Dir 2011/36 Art 11(5); CETS 197 Art 12(7)). Where a country's practice asks an adult's consent before a formal referral, its profile says so, and a referral without it is refused there.
wizard-sharing-consent-explain = Consent to share identifying data with another organisation or country: the data-protection basis for sharing them. It does not decide identification or assistance.
wizard-submit = Refer to the national referral mechanism
wizard-submit-explain = Referral starts the clock for the first decision.
case-status = Status
case-referred-on = referred on
case-assistance-since = Assistance since
case-assistance-unconditional = unconditional: it never depends on cooperation with the authorities
case-age = Age
case-child-notice = Child: every child protection applies. A child is referred without consent and needs a guardian.
case-guardian-missing = No guardian has been appointed for this child.
case-no-expulsion = No expulsion may be enforced.
case-non-punishment = Non-punishment notice for the prosecution.
case-non-punishment-hidden = Details are visible to the law-enforcement and prosecution side.
case-continue = Continue the registration
case-edit = Edit the registration
case-export-json = Export (HTCDS JSON)
case-export-csv = Export (HTCDS CSV)
case-export-xlsx = Export (HTCDS Excel template)
htcds-imported-title = Imported from another system (HTCDS)
htcds-imported-hint = What the file recorded that Haven does not record as its own. The trafficking status here was decided in the other system: it is history, not a decision of this country's procedure. These values are written back when the case is exported.
htcds-imported-status = Trafficking status there
htcds-imported-decided-by = Decided there by
htcds-imported-case-owner = Case owner there
htcds-imported-consent = Consent recorded there
htcds-imported-reference = Reference in the sending Haven instance
htcds-imported-remainder = Fields Haven has no place for (HTCDS remainder)
htcds-imported-events = Further fields of the events (street, state, postal code, coordinates)
case-clocks = Statutory clocks
case-decision-support = Decision support
case-decision-support-explain = The indicators and the legal test help the person deciding; they decide nothing.
case-legal-test = Definition of trafficking (Directive 2011/36/EU Art 2)
legal-outcome-met = elements present
legal-outcome-not_met = elements missing
indicators-positive = positive
indicators-not-positive = not positive
case-decisions = Status decisions
case-decisions-none = No decision yet.
case-corrects = corrects
case-corrected-by = corrected by
case-decide = Record the decision
dup-title = Possible duplicates
dup-explain = Persons already registered who may be this person. Check them: one person registered twice is counted twice.
dup-matched = What matched
dup-probability = Probability
dup-exact = exact (document number)
case-modules = Support for this person
case-decision-choose = Choose the decision
case-decision-final-explain = A recorded decision cannot be changed: a mistake is corrected by a new decision that names it.
case-decision-reasons-hint = (required for a negative decision)
case-correct = Correct decision
case-records = Residence, protection and criminal matters
case-records-none = Nothing recorded.
case-record-add = Add
deadlines-title = Deadlines
deadlines-explain = Open statutory clocks of referred cases, the earliest first.
deadlines-none = Nothing is due.
deadlines-due = Due
deadlines-state = State
deadlines-clock = Clock
notification-title = Anonymous notification
notification-explain = For an adult who is not registered (who does not want identifying data recorded, or who does not consent where national practice asks consent before a formal referral): the person is counted in the statistics; nothing that identifies them is recorded. A child is never notified anonymously: register the child instead.
notification-file = File the notification
notification-filed = The notification was filed.
search-title = Find a person
search-explain = Searches only the cases you may see. Names are compared by the linkage model (diacritics, transliteration, order, earlier family names, aliases, and the date of birth when you give one); each result shows which details agreed and how much they weigh. A document number, or a date of birth searched alone, must match exactly.
search-button = Search
# A person's name, searched for and shown in the results (not field-name, which is also an organisation's)
search-field-name = Name
search-none = Nobody found.
search-results = Persons found
search-score = Match
search-why = Why
search-level-exact = the same
search-level-similar = nearly the same
search-level-phonetic = sounds the same, or one name shared
search-level-day-month-swapped = day and month swapped
search-level-year-off = year off by one
search-level-one-component = one part different
search-level-partial-date = fits an estimate or a partial date
search-level-edits = a character or two different
search-level-different = different
search-level-missing = not known on one side or both
field-document = Document
field-state = Registration
field-nrm_status = Status
field-gender = Gender
field-previous_family_names = Earlier family names
field-citizenships = Citizenships
field-citizenship = Citizenship
field-languages = Languages
field-interpreter_needed = Needs an interpreter
field-safe_contact = Safe contact
field-documents = Identity document
field-document_kind = Kind of document
field-document_number = Document number
field-document_country = Issuing country
field-dob_verified = Date of birth checked against a document
field-age_estimate = Estimated age
field-age_group = Age group
field-reasons_to_believe_child = There are reasons to believe the person is a child
field-assessment_date = Date of the assessment
field-assessment_method = Method
field-assessment_by = Assessed by
field-guardian = Guardian
field-guardian_appointed_on = Appointed on
field-guardian_name = Guardian's name
field-guardian_organisation = Guardian's organisation
field-acts = Acts
field-means = Means
field-forms = Forms of exploitation
field-forced_labour_industry = Industry (forced labour)
field-other_form = Other form, described
field-methods_of_control = Methods of control
field-consent_to_exploitation = Did the person say they agreed to the exploitation?
field-event_kind = Kind of event
field-event_date = Date
field-event_country = Country
field-event_place = Place
field-event_description = What happened
field-recruitment_method = Method of recruitment
field-online_platforms = Online platforms used
field-relationship_to_trafficker = Relationship to the recruiter
field-vulnerabilities = Vulnerability factors
field-narrative = Account
field-consent_given = The person consents to assistance and to referral to a support organisation
field-consent_date = Date of consent
field-consent_language = Language the person was informed in
field-consent_informed_by = Informed by
field-support_consent = Consent to assistance and referral to support
field-data_sharing_consent = Consent to share identifying data
field-sharing_consent_given = The person consents to sharing identifying data with another organisation or country
field-sharing_consent_date = Date of consent to data sharing
field-sharing_consent_language = Language the person was informed in
field-sharing_consent_informed_by = Informed by
field-notified_on = Date
field-decided_on = Date of the decision
field-reasons = Reasons
field-applied_on = Applied on
field-ground = Ground
field-granted = Granted
field-valid_from = Valid from
field-valid_until = Valid until
field-outcome = Outcome
field-terminated_on = Ended on
field-offence = Offence
field-authority = Authority
field-reference = Reference
field-recorded_on = Recorded on
field-compelled = Committed as a direct consequence of being trafficked
field-consent = Consent
field-application_id = Permit application
field-renewal_of = Renewal of
field-decided_on_protection = Decided on
audit-action-registration_created = Case registered
audit-action-registration_updated = Registration saved
audit-action-registration_submitted = Referred to the national referral mechanism
audit-action-decision_recorded = Status decision recorded
audit-action-case_record_added = Record added
audit-action-notification_filed = Anonymous notification filed
audit-action-person_searched = Person search
audit-action-deadlines_read = Deadlines read
audit-action-case_imported = Cases imported
statistics-identification = Referred persons and anonymous notifications
statistics-identification-explain = Persons referred to the national referral mechanism, and adults who were not registered and were counted through an anonymous notification. A person can be in more than one group of exploitation.
statistics-referred = Referred
statistics-notified = Anonymous notifications
statistics-children = Referred children and presumed children
statistics-distinct-persons = Distinct persons among the referred
statistics-distinct-explain = One person registered more than once (by two organisations, or under two spellings of the name) is counted once.
statistics-records = registrations
statistics-merged = counted with another registration of the same person
statistics-method = Method
cases-filter = Filter
cases-any = Any
cases-children = Children
cases-none-filtered = No case matches these filters.
wizard-indicator-lists = Indicator lists
case-reconsideration-explain = The organisation that referred or supports the person may ask the competent authority to reconsider this negative decision.
case-request-reconsideration = Request reconsideration
field-requested_on = Date of the request
legal-element-act = Act (recruitment, transport, transfer, harbouring or reception)
legal-element-means = Means (threat, force, coercion, abduction, fraud, deception, abuse of power or of vulnerability, payments)
legal-element-purpose = Purpose of exploitation
legal-element-present = recorded
legal-element-absent = not recorded
legal-element-not_required = not required (child)
legal-reasons = Reasons, with the articles
combination-two_strong = at least 2 strong indicators
combination-strong_and_other = 1 strong and at least 1 medium or weak indicator
combination-three_medium = at least 3 medium indicators
combination-two_medium_and_weak = 2 medium and at least 1 weak indicator

## Identification procedures (national data, from the country's profile)
procedure-heading = Identification procedure
procedure-explain = How this country identifies victims is its own choice, kept in its profile with the source of every value. The law requires that identification happens, that assistance starts with the first reasonable-grounds indication and that the person is not removed while it runs.
procedure-name = Procedure
procedure-stage = Decision
procedure-deciders = Who decides
procedure-commission = Commission
procedure-commission-quorum = seats; at least { $quorum } must vote
procedure-commission-for = decides through the commission
procedure-standard = Standard of proof
procedure-deadline = Deadline
procedure-deadline-none = none set
procedure-deadline-working = { $days } working days after
procedure-deadline-calendar = { $days } calendar days after
procedure-from-referral = the referral
procedure-from-first_decision = the first decision
procedure-from-reflection_end = the end of the reflection period
procedure-reconsideration = Reconsideration on request
procedure-appeal = Appeal
procedure-notification = Notification
procedure-must-notify = Must notify
procedure-presumed-from = Presumed victim from
procedure-presumed-from-referral = the referral
procedure-presumed-from-first_decision = a positive first decision
procedure-entitlements-presumed = A presumed victim is entitled to
procedure-entitlements-identified = An identified victim is entitled to
procedure-source = Source
entitlement-assistance = assistance and support
entitlement-reflection_period = a recovery and reflection period
entitlement-protection_from_removal = protection from removal
entitlement-residence_permit_route = the route to a residence permit
case-presumed-since = Presumed victim since
case-assistance-basis = from the referral: the registration is the reasonable-grounds indication (Dir 2011/36 Art 11(2))
case-permit-route-reflection-ended = Reflection period of the residence-permit route ended (renewed contact, Dir 2004/81 Art 6(4)); the Convention's period continues (CETS 197 Art 13(3))
vote-for = for
vote-against = against
vote-abstain = abstains
vote-absent = absent
votes-heading = Commission votes
votes-member = Member's name
votes-explain = Record each member's vote. The decision must follow the majority of the votes cast, with at least the quorum voting.
