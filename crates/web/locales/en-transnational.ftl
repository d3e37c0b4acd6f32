# The transnational referral of a victim (Dir 2011/36 Art 11(4); CETS 197 Art 16, 33).
msg-transnational-cannot-change = a transnational referral cannot go from { $from } to { $to }
msg-transnational-wrong-desk = only { $desk } may make this change
msg-transnational-age-unknown = the person's age must be known or presumed before a transnational referral: a child's referral follows other rules
msg-transnational-no-basis = record the basis for sharing first: the adult's informed consent, or for a child the best-interests determination and the guardian's view
msg-transnational-child-needs-best-interests = for a child or presumed child the basis is the best-interests determination and the guardian's view (Dir 2011/36 Art 13(1), 14(2))
msg-transnational-adult-needs-consent = an adult's data are shared on the adult's informed consent
msg-transnational-vital-interests-only-at-risk = sharing without consent or a best-interests determination is only for a victim at risk (CETS 197 Art 33(1))
msg-transnational-not-in-best-interests = the best-interests determination does not find the referral in the child's best interests: the child is not referred
msg-transnational-assessment-only-for-return = only a return carries a return risk assessment
msg-transnational-basis-comes-after = the basis of { $given } comes after { $on }; it must come first

# The states of a transnational referral and who moves it.
tnr-state-draft = Draft
tnr-state-submitted = Submitted for review
tnr-state-sent = Sent
tnr-state-received = Received
tnr-state-accepted = Accepted
tnr-state-declined = Declined
tnr-state-organisation_assigned = Organisation assigned
tnr-state-arrived_safely = Arrived safely
tnr-state-support_started = Support started
tnr-state-follow_up_due = Follow-up due
tnr-state-closed = Closed
tnr-desk-caseworker = the caseworker
tnr-desk-sending_focal_point = the sending country's focal point
tnr-desk-receiving_focal_point = the receiving country's focal point
tnr-purpose-return_and_reintegration = Return and reintegration
tnr-purpose-onward_support = Support in the receiving country
tnr-purpose-identified_here_exploited_there = Identified here, exploited there
tnr-purpose-information_request = Request for information or family tracing
tnr-purpose-victim_at_risk = Warning: victim at risk
tnr-field-given_names = Given names
tnr-field-family_name = Family name
tnr-field-date_of_birth = Date of birth
tnr-field-year_of_birth = Year of birth
tnr-field-sex = Sex
tnr-field-nationalities = Nationalities
tnr-field-languages = Languages
tnr-field-identity_documents = Identity documents
tnr-field-current_location = Current location (town)
tnr-field-contact = Contact

# The audit log's words for the transnational referral.
audit-action-transnational_referral_prepared = Transnational referral prepared
audit-action-transnational_referral_changed = Transnational referral changed
audit-action-transnational_referral_received = Transnational referral received from another country
audit-action-transnational_referral_read = Transnational referral read
audit-action-transnational_referrals_listed = Transnational referrals listed
