# A victim's lawyer (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): the representation recorded on
# the case page, and the lawyer's pages of the victims it represents

nav-representations = Represented victims
audit-action-representation_recorded = Victim's lawyer recorded
audit-action-representation_revoked = Victim's lawyer revoked
audit-action-representation_read = Victim's representation or victim's view read

msg-representation-needs-consent = a victim is represented with the victim's consent: note it first
msg-representation-not-a-lawyer = choose a victim's lawyer of the case's country
msg-representation-in-force = this lawyer already represents the victim; revoke that representation first

## The case page (the case's caseworker or supervisor)
representation-heading = Victim's lawyer
representation-explain = A lawyer who represents the victim, with the victim's consent, reads the victim's view of the criminal proceedings the victim is linked to: the investigation's reference, status, offences, the stage of prosecution and the court outcomes, the victim's own protection measures and the information given to the victim. Never the suspects, other victims, the money or the support records.
representation-none = No lawyer represents the victim.
representation-lawyer = Lawyer
representation-from-on = Represented from
representation-consent-on = Victim's consent given on
representation-consent-note = How the victim consented
representation-consent-given = The victim consents to being represented by this lawyer, and to the lawyer reading the victim's view of the proceedings
representation-state = State
representation-in-force = in force
representation-not-begun = not begun
representation-revoked-on = revoked on
representation-revoke = Revoke
representation-revoke-reason = Reason (optional)
representation-no-lawyers = No user of your country holds the victim's lawyer role.
representation-record = Record the victim's lawyer
representation-record-button = Record the lawyer

## The lawyer's pages
representations-title = Represented victims
representations-explain = The victims you represent today, by the reference of their case. For each, the victim's view of the criminal proceedings the victim is linked to (Dir 2011/36 Art 12(2)). Every reading is recorded in the audit log.
representations-none = You represent no victim today.
representations-case = Case
representations-investigations = Investigations
representations-back = Back to the represented victims
representation-victim-title = Victim's view of the proceedings
representation-victim-explain = What the victim has a right to know of the proceedings and their outcome, and the victim's own protection and information. Suspects, other victims, the money and the support records are not shown.
representation-no-investigations = The victim is linked to no investigation.
representation-investigation = Investigation
representation-status = Status
representation-since = since
representation-opened-on = Opened on
representation-linked-on = Victim linked on
representation-offences = Offences
representation-closure = Ground of closure
representation-acts = Acts
representation-stages = Prosecution and court
representation-no-stages = No charge, decision or judgment yet.
representation-final = final
representation-not-recorded = not recorded
