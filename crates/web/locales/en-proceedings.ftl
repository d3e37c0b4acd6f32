# Criminal proceedings: investigations, suspects, charges, judgments (the proceedings compartment)

## What the domain says
msg-proceedings-report-needed = an investigation opened on a report names who reported
msg-proceedings-no-report-ex-officio = an investigation opened ex officio has no report
msg-proceedings-not-before = must not be before { $date }
msg-proceedings-no-offence = an investigation concerns at least one offence
msg-proceedings-offence-needs-form = an offence names at least one form of exploitation (Dir 2011/36 Art 2(3))
msg-proceedings-closure-not-on-withdrawal = an investigation is not closed because the victim withdrew or gave no report or statement (Dir 2011/36 Art 9(1))
msg-proceedings-status-change-refused = an investigation that is { $from } does not go to { $to }
msg-proceedings-closure-needs-ground = a closed investigation names its ground
msg-proceedings-report-withdrawn-goes-on = The withdrawal of { $date } is recorded. The investigation goes on: it does not depend on the victim's report ({ $article }).
msg-proceedings-victim-already-linked = this case is already linked to the investigation
msg-proceedings-legal-person-no-personal-data = a legal person has no sex, age group or case in identification
msg-proceedings-legal-person-needs-liability = a legal person's liability names its ground (Dir 2011/36 Art 5)
msg-proceedings-natural-person-no-liability = the liability of Dir 2011/36 Art 5 is a legal person's
msg-proceedings-no-role = a suspect has at least one role in the chain
msg-proceedings-charge-offence-not-investigated = the investigation does not concern this offence
msg-proceedings-circumstance-not-for-offence = { $article } does not aggravate this offence
msg-proceedings-decision-needs-reasons = a decision needs its reasons
msg-proceedings-notice-undecided = the suspect is registered as a victim of trafficking: decide on the non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26) before deciding to prosecute
msg-proceedings-sentence-without-conviction = only a conviction has a sentence
msg-proceedings-conviction-needs-sentence = a conviction records its sentence
msg-proceedings-months = must be a whole number of months from 1 to { $max }
msg-proceedings-judgment-without-indictment = a judgment follows a charge and a decision to prosecute
msg-proceedings-appeal-not-final = a final judgment is not appealed
msg-proceedings-penalty-below-basic-floor = The maximum penalty of { $provision } is { $years } years; Dir 2011/36 Art 4(1) asks for at least { $floor } years.
msg-proceedings-penalty-below-aggravated-floor = With the circumstance "{ $circumstance }", the maximum penalty of { $provision } is { $years } years; Dir 2011/36 Art 4(2) asks for at least { $floor } years.
msg-proceedings-circumstance-not-aggravating = national law does not make this circumstance an aggravated form
msg-proceedings-non-punishment-notice = Non-punishment notice: this suspect is { $standing }. The competent authorities are entitled not to prosecute victims, or not to impose penalties on them, for criminal activities they were compelled to commit as a direct consequence of being trafficked ({ $articles }). The prosecutor records a decision on this notice before deciding to prosecute.
msg-proceedings-notice-already-decided = the prosecutor has already decided on this notice
msg-proceedings-not-a-prosecutor = not a prosecutor's office of this country
msg-proceedings-unknown-suspect = no suspect of this investigation has this id

## Coded values
investigation-status-open = open
investigation-status-suspended = suspended
investigation-status-with_prosecutor = with the prosecutor
investigation-status-closed = closed
victim-standing-registered = registered as a presumed victim, not yet referred
victim-standing-presumed = a presumed victim
victim-standing-identified = identified as a victim
circumstance-child_victim = a child victim (Art 4(2)(a))
circumstance-particularly_vulnerable = a particularly vulnerable victim (Art 4(2)(a))
circumstance-criminal_organisation = within a criminal organisation (Art 4(2)(b))
circumstance-life_endangered = the victim's life endangered (Art 4(2)(c))
circumstance-serious_violence = serious violence (Art 4(2)(d))
circumstance-serious_harm = particularly serious harm (Art 4(2)(d))
circumstance-public_official = a public official in the performance of duties (Art 4(3)(a))
circumstance-ict_sexual_images = sexual images of the victim disseminated online (Art 4(3)(b))
audit-action-proceedings_read = Proceedings read
audit-action-proceedings_written = Proceedings recorded
