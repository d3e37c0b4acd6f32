//! What the domain says to a person, as a message of the interface's translations (an id of
//! `crates/web/locales/*.ftl`) with its arguments, never as an English sentence: the web renders it
//! in the reader's language, and `haven check-translations` checks that every id of
//! [`MessageId`] has its English and Latvian message.

use serde::Serialize;

crate::coded_enum! {
    /// Every message the domain and the use cases give to the web, by its id in the message files.
    pub enum MessageId {
        // Validation of what was typed.
        MustNotBeEmpty => "msg-must-not-be-empty",
        AtMostCharacters => "msg-at-most-characters",
        NoControlCharacters => "msg-no-control-characters",
        UnknownValue => "msg-unknown-value",
        NotADate => "msg-not-a-date",
        DateInFuture => "msg-date-in-future",
        MustBeYesOrNo => "msg-must-be-yes-or-no",
        NotYesOrNo => "msg-not-yes-or-no",
        NotBeforeLastChange => "msg-not-before-last-change",
        DecisionNeedsReasons => "msg-decision-needs-reasons",
        ReconsiderationNeedsReasons => "msg-reconsideration-needs-reasons",
        MustNotBeInFuture => "msg-must-not-be-in-future",
        EveryAreaAssessed => "msg-every-area-assessed",
        NotACountryCode => "msg-not-a-country-code",
        NotAnAmount => "msg-not-an-amount",
        UsernameLength => "msg-username-length",
        UsernameCharacters => "msg-username-characters",
        ReferenceYear => "msg-reference-year",
        RiskNeedsSummary => "msg-risk-needs-summary",
        ReferralCannotChange => "msg-referral-cannot-change",
        DeclineNeedsReason => "msg-decline-needs-reason",
        EuHoldsNoCases => "msg-eu-holds-no-cases",
        /// The count of persons across borders is read at the EU level (the jurisdiction named).
        CrossBorderCountAtEuLevel => "msg-cross-border-count-at-eu-level",
        // The transposition tracker (transposition).
        MonitoringNotADirective => "msg-monitoring-not-a-directive",
        MonitoringNotBound => "msg-monitoring-not-bound",
        MonitoringUnknownArticle => "msg-monitoring-unknown-article",
        MonitoringNotALink => "msg-monitoring-not-a-link",
        MonitoringStepOrder => "msg-monitoring-step-order",
        MonitoringProcedureClosed => "msg-monitoring-procedure-closed",
        MonitoringBeforeInForce => "msg-monitoring-before-in-force",
        MonitoringMeasuresByCountries => "msg-monitoring-measures-by-countries",
        // Why a provider ranks where it does for a need.
        MatchEligibility => "msg-match-eligibility",
        MatchCapacityBeds => "msg-match-capacity-beds",
        MatchCapacityPlaces => "msg-match-capacity-places",
        MatchUnlimitedBeds => "msg-match-unlimited-beds",
        MatchUnlimitedPlaces => "msg-match-unlimited-places",
        MatchLanguageNotGiven => "msg-match-language-not-given",
        MatchLanguagePreferred => "msg-match-language-preferred",
        MatchLanguageOtherThanPreferred => "msg-match-language-other-than-preferred",
        MatchLanguageOther => "msg-match-language-other",
        MatchInterpretationOnSite => "msg-match-interpretation-on-site",
        MatchInterpreterNeeded => "msg-match-interpreter-needed",
        MatchRegionNotGiven => "msg-match-region-not-given",
        MatchRegionSame => "msg-match-region-same",
        MatchRegionCountry => "msg-match-region-country",
        MatchRegionElsewhere => "msg-match-region-elsewhere",
        MatchSpecialisedAsked => "msg-match-specialised-asked",
        MatchSpecialised => "msg-match-specialised",
        MatchNotSpecialisedAsked => "msg-match-not-specialised-asked",
        MatchNotSpecialised => "msg-match-not-specialised",
        // The legal test (Dir 2011/36 Art 2; CETS 197 Art 4).
        LegalNoAct => "msg-legal-no-act",
        LegalActRecorded => "msg-legal-act-recorded",
        LegalChildNoMeans => "msg-legal-child-no-means",
        LegalChildNoMeansRecorded => "msg-legal-child-no-means-recorded",
        LegalNoMeans => "msg-legal-no-means",
        LegalMeansRecorded => "msg-legal-means-recorded",
        LegalNoPurpose => "msg-legal-no-purpose",
        LegalPurposeRecorded => "msg-legal-purpose-recorded",
        LegalAgeAtActsChild => "msg-legal-age-at-acts-child",
        LegalAgeAtActsAdult => "msg-legal-age-at-acts-adult",
        LegalAgeAtRegistration => "msg-legal-age-at-registration",
        LegalChildDefinition => "msg-legal-child-definition",
        LegalConsentRecorded => "msg-legal-consent-recorded",
        LegalConsentNotGiven => "msg-legal-consent-not-given",
        LegalConsentChild => "msg-legal-consent-child",
        LegalConsentMeans => "msg-legal-consent-means",
        LegalConsentExamineMeans => "msg-legal-consent-examine-means",
        // Protection from removal (CETS 197 Arts 10(2), 13(1), 14; Dir 2004/81).
        RemovalNoExpulsion => "msg-removal-no-expulsion",
        RemovalNoGround => "msg-removal-no-ground",
        RemovalReflectionPeriod => "msg-removal-reflection-period",
        RemovalPresumedVictim => "msg-removal-presumed-victim",
        RemovalPermit => "msg-removal-permit",
        RemovalGround => "msg-removal-ground",
        // A decision refused for where the case stands (the national referral mechanism).
        DecisionRefused => "msg-decision-refused",
        DecisionRefusedAsCorrection => "msg-decision-refused-as-correction",
        DecisionStale => "msg-decision-stale",
        DecisionBeforeReferral => "msg-decision-before-referral",
        DecisionBeforePrevious => "msg-decision-before-previous",
        DecisionOutOfSequence => "msg-decision-out-of-sequence",
        CorrectionNeedsReasons => "msg-correction-needs-reasons",
        CorrectionUnknownTarget => "msg-correction-unknown-target",
        CorrectionSuperseded => "msg-correction-superseded",
        CorrectionNotLatest => "msg-correction-not-latest",
        RefusalFinalPositiveIsFinal => "msg-refusal-final-positive-is-final",
        RefusalWithdrawnIsFinal => "msg-refusal-withdrawn-is-final",
        RefusalOneDecisionOnly => "msg-refusal-one-decision-only",
        RefusalFirstDecisionMade => "msg-refusal-first-decision-made",
        RefusalFirstDecisionReconsidered => "msg-refusal-first-decision-reconsidered",
        RefusalFirstDecisionAlreadyMade => "msg-refusal-first-decision-already-made",
        RefusalFinalNeedsFirst => "msg-refusal-final-needs-first",
        RefusalFinalDecisionReconsidered => "msg-refusal-final-decision-reconsidered",
        RefusalFinalDecisionMade => "msg-refusal-final-decision-made",
        RefusalReconsiderationPending => "msg-refusal-reconsideration-pending",
        RefusalNoReconsiderationProvided => "msg-refusal-no-reconsideration-provided",
        RefusalOnlyNegativeReconsidered => "msg-refusal-only-negative-reconsidered",
        RefusalNoPendingReconsideration => "msg-refusal-no-pending-reconsideration",
        RefusalWithdrawOnlyPending => "msg-refusal-withdraw-only-pending",
        // A request refused for where the record stands (a conflict: nothing was stored).
        RegistrationAlreadyReferred => "msg-registration-already-referred",
        RegistrationNotReferred => "msg-registration-not-referred",
        NoReflectionPeriod => "msg-no-reflection-period",
        ReflectionAlreadyEnded => "msg-reflection-already-ended",
        AssessmentNotSubmitted => "msg-assessment-not-submitted",
        AssessmentOwnReview => "msg-assessment-own-review",
        AssessmentReturnNeedsReason => "msg-assessment-return-needs-reason",
        ServiceChangedMeanwhile => "msg-service-changed-meanwhile",
        ReferralChangedMeanwhile => "msg-referral-changed-meanwhile",
        RecordChangedMeanwhile => "msg-record-changed-meanwhile",
        OrganisationNameExists => "msg-organisation-name-exists",
        UsernameTaken => "msg-username-taken",
        GrantAlreadyDecided => "msg-grant-already-decided",
        NoFreePlace => "msg-no-free-place",
        BudgetExceeded => "msg-budget-exceeded",
        StoredConflict => "msg-stored-conflict",
        // What was typed that the forms refuse (registration, assessment, plan, referral, administration).
        ReferralNeedsReceiver => "msg-referral-needs-receiver",
        ReferralToSelf => "msg-referral-to-self",
        ProviderOfOtherOrganisation => "msg-provider-of-other-organisation",
        NoSuchProvider => "msg-no-such-provider",
        ProviderLacksService => "msg-provider-lacks-service",
        ServiceForChildren => "msg-service-for-children",
        NoSuchOrganisationHere => "msg-no-such-organisation-here",
        NoSuchOrganisation => "msg-no-such-organisation",
        EndsBeforeStart => "msg-ends-before-start",
        BeforeServiceStarts => "msg-before-service-starts",
        StopNeedsReason => "msg-stop-needs-reason",
        StopReasonOnlyWhenStopped => "msg-stop-reason-only-when-stopped",
        ForChildrenOnly => "msg-for-children-only",
        ChildsBestInterests => "msg-childs-best-interests",
        ChildsViews => "msg-childs-views",
        ChildPartForChildren => "msg-child-part-for-children",
        LanguageCode => "msg-language-code",
        ConsentLanguageCode => "msg-consent-language-code",
        EmergencyNeedsReason => "msg-emergency-needs-reason",
        RoleRequired => "msg-role-required",
        PasswordTooShort => "msg-password-too-short",
        OrganisationKindJurisdiction => "msg-organisation-kind-jurisdiction",
        OwnAccountDisable => "msg-own-account-disable",
        ReferralNeedsName => "msg-referral-needs-name",
        IndustryOnlyForcedLabour => "msg-industry-only-forced-labour",
        FreeWhereLacksMeans => "msg-free-where-lacks-means",
        TransferWholeCase => "msg-transfer-whole-case",
        TransnationalReferral => "msg-transnational-referral",
        // What the support records refuse (child protection, compensation, safe return).
        NameInterviewer => "msg-name-interviewer",
        ReasonOnlyUnaccompanied => "msg-reason-only-unaccompanied",
        NameFactor => "msg-name-factor",
        DurableSolutionNeedsDetermination => "msg-durable-solution-needs-determination",
        ReturnNeedsDetermination => "msg-return-needs-determination",
        ClaimNamesOffender => "msg-claim-names-offender",
        PartialAwardNeedsAmount => "msg-partial-award-needs-amount",
        OnlyAwardHasAmount => "msg-only-award-has-amount",
        PaymentNeedsAward => "msg-payment-needs-award",
        PaymentPositive => "msg-payment-positive",
        SentReferralReference => "msg-sent-referral-reference",
        PlanCancelled => "msg-plan-cancelled",
        FollowUpAfterReturn => "msg-follow-up-after-return",
        FollowUpFirst => "msg-follow-up-first",
        AgeBeforeReturn => "msg-age-before-return",
        ReturnNeedsConsent => "msg-return-needs-consent",
        ReturnNeedsRiskAssessment => "msg-return-needs-risk-assessment",
        // What identification's forms refuse (search, notifications, decisions, case records).
        SearchNeedsTerm => "msg-search-needs-term",
        ChildNotNotified => "msg-child-not-notified",
        PeriodOutOfRange => "msg-period-out-of-range",
        RenewedContactNotApplicable => "msg-renewed-contact-not-applicable",
        VotesOnlyCommission => "msg-votes-only-commission",
        NoSuchPermitApplication => "msg-no-such-permit-application",
        NoSuchPermitDecision => "msg-no-such-permit-decision",
        EarlyEndWithinPeriod => "msg-early-end-within-period",
        // What the provider directory's form refuses.
        NotALanguageCode => "msg-not-a-language-code",
        NotARegionCode => "msg-not-a-region-code",
        NotATimeOfDay => "msg-not-a-time-of-day",
        NotAPhoneNumber => "msg-not-a-phone-number",
        NotAnEmailAddress => "msg-not-an-email-address",
        AtLeastOneService => "msg-at-least-one-service",
        AccommodationNeedsCapacity => "msg-accommodation-needs-capacity",
        ContactNeedsPhoneOrEmail => "msg-contact-needs-phone-or-email",
        MustListOne => "msg-must-list-one",
        ListedTwice => "msg-listed-twice",
        // What residence, identification records, accounts and shares refuse.
        RenewedContactOnlyPermitRoute => "msg-renewed-contact-only-permit-route",
        NotBeforeStartOn => "msg-not-before-start-on",
        ReflectionTooShort => "msg-reflection-too-short",
        EarlyEndNeedsGround => "msg-early-end-needs-ground",
        GroundNeedsDate => "msg-ground-needs-date",
        PermitDecisionBeforeApplication => "msg-permit-decision-before-application",
        NotAPermitIdentifier => "msg-not-a-permit-identifier",
        RefusedPermitNoValidity => "msg-refused-permit-no-validity",
        GrantedPermitFirstDay => "msg-granted-permit-first-day",
        GrantedPermitLastDay => "msg-granted-permit-last-day",
        AfterFirstDayOfValidity => "msg-after-first-day-of-validity",
        TooLateForMinimumPermit => "msg-too-late-for-minimum-permit",
        PermitTooShort => "msg-permit-too-short",
        RefusedPermitNotRenewed => "msg-refused-permit-not-renewed",
        RenewalAfterFirstDay => "msg-renewal-after-first-day",
        PendingNoDecisionDate => "msg-pending-no-decision-date",
        OutcomeNeedsDate => "msg-outcome-needs-date",
        OutcomeBeforeApplication => "msg-outcome-before-application",
        AtMostEntries => "msg-at-most-entries",
        AtMostCitizenships => "msg-at-most-citizenships",
        AtMostDocuments => "msg-at-most-documents",
        AtMostEvents => "msg-at-most-events",
        AtMostAliases => "msg-at-most-aliases",
        TooManyIndicators => "msg-too-many-indicators",
        NotAnIso639Code => "msg-not-an-iso-language-code",
        NotAFormOfExploitation => "msg-not-a-form-of-exploitation",
        AdultReferralNeedsConsent => "msg-adult-referral-needs-consent",
        AgeRangeInverted => "msg-age-range-inverted",
        AgeAbove => "msg-age-above",
        NotANumberOfYears => "msg-not-a-number-of-years",
        NotADecisionNumber => "msg-not-a-decision-number",
        CorrectionNamesEarlier => "msg-correction-names-earlier",
        NotesCompartment => "msg-notes-compartment",
        EuRegistersNoCases => "msg-eu-registers-no-cases",
        NoProfileForCountry => "msg-no-profile-for-country",
        NoProfileVersionOn => "msg-no-profile-version-on",
        NoSuchProcedure => "msg-no-such-procedure",
        NotAFieldOf => "msg-not-a-field-of",
        TooLong => "msg-too-long",
        AtMostCasesPerImport => "msg-at-most-cases-per-import",
        ClockFirstBeforeReferral => "msg-clock-first-before-referral",
        ClockFinalBeforeFirst => "msg-clock-final-before-first",
        ClockOutOfRange => "msg-clock-out-of-range",
        NotAVersionOfRegistration => "msg-not-a-version-of-registration",
        NotAVersionGivenOut => "msg-not-a-version-given-out",
        NotJsonOrCsv => "msg-not-json-or-csv",
        NoSuchStep => "msg-no-such-step",
        StatisticsNotShared => "msg-statistics-not-shared",
        CannotShareUnheld => "msg-cannot-share-unheld",
        NameOneCompartment => "msg-name-one-compartment",
        ShareSameCountry => "msg-share-same-country",
        RoleDoesNotFitKind => "msg-role-does-not-fit-kind",
        RoleDoesNotFitOrganisation => "msg-role-does-not-fit-organisation",
        AdminChoosesNoPassword => "msg-admin-chooses-no-password",
        SetUpCodeInvalid => "msg-set-up-code-invalid",
        CurrentTotpRequired => "msg-current-totp-required",
        NotAValidSecret => "msg-not-a-valid-secret",
        TotpCodeDoesNotMatch => "msg-totp-code-does-not-match",
        NoSecondFactor => "msg-no-second-factor",
        NotCurrentPassword => "msg-not-current-password",
        NotCurrentTotpCode => "msg-not-current-totp-code",
        PasswordsDoNotMatch => "msg-passwords-do-not-match",
        PairOfTwoRegistrations => "msg-pair-of-two-registrations",
        SameDifferentOrUnsure => "msg-same-different-or-unsure",
        PersonsChangedTryAgain => "msg-persons-changed-try-again",
        RelinkAnswersChanged => "msg-relink-answers-changed",
        TooManyCandidatePairs => "msg-too-many-candidate-pairs",
        // What the support records refuse when they quote a value (dates, amounts, states).
        RecordedBeforeReturn => "msg-recorded-before-return",
        AtMostContacts => "msg-at-most-contacts",
        FollowUpBeforeReturn => "msg-follow-up-before-return",
        ReturnPlanCannotChange => "msg-return-plan-cannot-change",
        ConsentComesAfter => "msg-consent-comes-after",
        SevereRiskChildNotReturned => "msg-severe-risk-child-not-returned",
        ChildReturnNeedsDetermination => "msg-child-return-needs-determination",
        LinkedDeterminationNotGiven => "msg-linked-determination-not-given",
        DeterminationNotLinked => "msg-determination-not-linked",
        DeterminationComesAfter => "msg-determination-comes-after",
        DeterminationAgainstReturn => "msg-determination-against-return",
        NotACurrencyCode => "msg-not-a-currency-code",
        AtMostAssetReferences => "msg-at-most-asset-references",
        ClaimCannotChange => "msg-claim-cannot-change",
        AwardStandsNoWithdrawal => "msg-award-stands-no-withdrawal",
        AwardBelowClaimed => "msg-award-below-claimed",
        PartialAwardRange => "msg-partial-award-range",
        AwardBelowPaid => "msg-award-below-paid",
        PaymentBeforeAward => "msg-payment-before-award",
        PaymentCurrency => "msg-payment-currency",
        PaymentAboveAward => "msg-payment-above-award",
        NotARecordIdentifier => "msg-not-a-record-identifier",
        InterviewBeforeFacts => "msg-interview-before-facts",
        AtMostInterviewers => "msg-at-most-interviewers",
        SummariseChildsViews => "msg-summarise-childs-views",
        SayWhyChildNotHeard => "msg-say-why-child-not-heard",
        DeterminationNotBasis => "msg-determination-not-basis",
        DurableSolutionCannotChange => "msg-durable-solution-cannot-change",
        PrintableAsciiNoSpaces => "msg-printable-ascii-no-spaces",
        OccupiedWithoutCapacity => "msg-occupied-without-capacity",
        OccupiedAboveCapacity => "msg-occupied-above-capacity",
        SlotsWhenAlwaysOpen => "msg-slots-when-always-open",
        WeekdayRange => "msg-weekday-range",
        ClosesBeforeOpens => "msg-closes-before-opens",
        SlotsOverlap => "msg-slots-overlap",
        FieldNotShared => "msg-field-not-shared",
        SupportNotConditional => "msg-support-not-conditional",
        PlanServiceCannotChange => "msg-plan-service-cannot-change",
        NotADeterminationId => "msg-not-a-determination-id",
        NoSuchDetermination => "msg-no-such-determination",
        ChangeNotForRecord => "msg-change-not-for-record",
        RecordsForChildren => "msg-records-for-children",
        ProvidersOwnCountry => "msg-providers-own-country",
        ReferralNeedsConsent => "msg-referral-needs-consent",
        NoFollowUpInState => "msg-no-follow-up-in-state",
        IdOfPath => "msg-id-of-path",
        MailboxName => "msg-mailbox-name",
        NameTheChange => "msg-name-the-change",
        ReviewVersion => "msg-review-version",
        ReloadAndRetry => "msg-reload-and-retry",
        FormActionMissing => "msg-form-action-missing",
        FormNotUnderstood => "msg-form-not-understood",
        ValueNotUnderstood => "msg-value-not-understood",
        // Persons at national scale: the maintained persons and the person model in use.
        // (end of persons at national scale)
        // The person review and the re-link jobs in the platform.
        RelinkRunning => "msg-relink-running",
        RelinkJobsLimit => "msg-relink-jobs-limit",
        RelinkConfirm => "msg-relink-confirm",
        // (end of person review and re-link jobs)
        // Criminal proceedings, suspects, charges, judgments and assets.
        ProceedingsReportNeeded => "msg-proceedings-report-needed",
        ProceedingsNoReportExOfficio => "msg-proceedings-no-report-ex-officio",
        ProceedingsNotBefore => "msg-proceedings-not-before",
        ProceedingsNoOffence => "msg-proceedings-no-offence",
        ProceedingsOffenceNeedsForm => "msg-proceedings-offence-needs-form",
        ProceedingsClosureNotOnWithdrawal => "msg-proceedings-closure-not-on-withdrawal",
        ProceedingsStatusChangeRefused => "msg-proceedings-status-change-refused",
        ProceedingsClosureNeedsGround => "msg-proceedings-closure-needs-ground",
        ProceedingsReportWithdrawnGoesOn => "msg-proceedings-report-withdrawn-goes-on",
        ProceedingsVictimAlreadyLinked => "msg-proceedings-victim-already-linked",
        ProceedingsLegalPersonNoPersonalData => "msg-proceedings-legal-person-no-personal-data",
        ProceedingsLegalPersonNeedsLiability => "msg-proceedings-legal-person-needs-liability",
        ProceedingsNaturalPersonNoLiability => "msg-proceedings-natural-person-no-liability",
        ProceedingsNoRole => "msg-proceedings-no-role",
        ProceedingsChargeOffenceNotInvestigated => "msg-proceedings-charge-offence-not-investigated",
        ProceedingsCircumstanceNotForOffence => "msg-proceedings-circumstance-not-for-offence",
        ProceedingsDecisionNeedsReasons => "msg-proceedings-decision-needs-reasons",
        ProceedingsNoticeUndecided => "msg-proceedings-notice-undecided",
        ProceedingsSentenceWithoutConviction => "msg-proceedings-sentence-without-conviction",
        ProceedingsConvictionNeedsSentence => "msg-proceedings-conviction-needs-sentence",
        ProceedingsMonths => "msg-proceedings-months",
        ProceedingsJudgmentWithoutIndictment => "msg-proceedings-judgment-without-indictment",
        ProceedingsAppealNotFinal => "msg-proceedings-appeal-not-final",
        ProceedingsPenaltyBelowBasicFloor => "msg-proceedings-penalty-below-basic-floor",
        ProceedingsPenaltyBelowAggravatedFloor => "msg-proceedings-penalty-below-aggravated-floor",
        ProceedingsCircumstanceNotAggravating => "msg-proceedings-circumstance-not-aggravating",
        ProceedingsNonPunishmentNotice => "msg-proceedings-non-punishment-notice",
        ProceedingsNoticeAlreadyDecided => "msg-proceedings-notice-already-decided",
        ProceedingsNotAProsecutor => "msg-proceedings-not-a-prosecutor",
        ProceedingsUnknownSuspect => "msg-proceedings-unknown-suspect",
        // Victims in proceedings: protection, limitation, information; training records.
        ProceedingsVictimNotLinked => "msg-proceedings-victim-not-linked",
        ProceedingsMeasureNeedsReasons => "msg-proceedings-measure-needs-reasons",
        ProceedingsMeasureMissing => "msg-proceedings-measure-missing",
        ProceedingsLimitationApproaching => "msg-proceedings-limitation-approaching",
        ProceedingsLimitationPassed => "msg-proceedings-limitation-passed",
        ProceedingsLimitationUnknown => "msg-proceedings-limitation-unknown",
        ProceedingsLimitationNotFromMajority => "msg-proceedings-limitation-not-from-majority",
        ProceedingsInformationDue => "msg-proceedings-information-due",
        ProceedingsTrainingNoAudience => "msg-proceedings-training-no-audience",
        ProceedingsTrainingAudienceTwice => "msg-proceedings-training-audience-twice",
        ProceedingsTrainingNumber => "msg-proceedings-training-number",
        // Money in proceedings: assets and confiscation, financial investigations, Europol, JITs.
        ProceedingsRateForEuro => "msg-proceedings-rate-for-euro",
        ProceedingsRateNeeded => "msg-proceedings-rate-needed",
        ProceedingsNotARate => "msg-proceedings-not-a-rate",
        ProceedingsAlreadyConfiscated => "msg-proceedings-already-confiscated",
        ProceedingsRealisationNeedsConfiscation => "msg-proceedings-realisation-needs-confiscation",
        ProceedingsRealisationNeedsAmount => "msg-proceedings-realisation-needs-amount",
        ProceedingsProceedsNotForCompensation => "msg-proceedings-proceeds-not-for-compensation",
        ProceedingsClaimOfUnlinkedVictim => "msg-proceedings-claim-of-unlinked-victim",
        ProceedingsAllocationAboveRealised => "msg-proceedings-allocation-above-realised",
        ProceedingsPayoutAboveAllocation => "msg-proceedings-payout-above-allocation",
        ProceedingsUnknownClaim => "msg-proceedings-unknown-claim",
        ProceedingsUnknownAsset => "msg-proceedings-unknown-asset",
        ProceedingsFinancialAlready => "msg-proceedings-financial-already",
        ProceedingsFinancialNeedsReasons => "msg-proceedings-financial-needs-reasons",
        ProceedingsUnknownReference => "msg-proceedings-unknown-reference",
        ProceedingsTeamNeedsTwoStates => "msg-proceedings-team-needs-two-states",
        ProceedingsTeamCountryNotMember => "msg-proceedings-team-country-not-member",
        ProceedingsTeamConcluded => "msg-proceedings-team-concluded",
        ProceedingsExportNeedsParts => "msg-proceedings-export-needs-parts",
        ProceedingsExportVictimsNeedJustification => "msg-proceedings-export-victims-need-justification",
        ProceedingsClaimNotPayable => "msg-proceedings-claim-not-payable",
        ProceedingsClaimNotInEuro => "msg-proceedings-claim-not-in-euro",
        ProceedingsAllocationAboveAward => "msg-proceedings-allocation-above-award",
        ProceedingsCurrencyUnknown => "msg-proceedings-currency-unknown",
        ProceedingsCurrencyMinorUnits => "msg-proceedings-currency-minor-units",
        // (end of criminal proceedings)
        // A victim's lawyer (proceedings::representation).
        RepresentationNeedsConsent => "msg-representation-needs-consent",
        RepresentationNotALawyer => "msg-representation-not-a-lawyer",
        RepresentationInForce => "msg-representation-in-force",
        // Strategies and action plans (strategy), GRETA's evaluations (greta).
        StrategyCodeCharacters => "msg-strategy-code-characters",
        StrategyNotBefore => "msg-strategy-not-before",
        StrategyPriorityLine => "msg-strategy-priority-line",
        StrategyPriorityTwice => "msg-strategy-priority-twice",
        StrategyTooMany => "msg-strategy-too-many",
        StrategyEvidenceReference => "msg-strategy-evidence-reference",
        StrategyShipped => "msg-strategy-shipped",
        GretaKeptByCountries => "msg-greta-kept-by-countries",
        GretaNotBefore => "msg-greta-not-before",
        GretaRoundNumber => "msg-greta-round-number",
        GretaAddress => "msg-greta-address",
        GretaStrengthNotRead => "msg-greta-strength-not-read",
        // The transnational referral of a victim (assist::transnational).
        TransnationalCannotChange => "msg-transnational-cannot-change",
        TransnationalWrongDesk => "msg-transnational-wrong-desk",
        TransnationalAgeUnknown => "msg-transnational-age-unknown",
        TransnationalNoBasis => "msg-transnational-no-basis",
        TransnationalChildNeedsBestInterests => "msg-transnational-child-needs-best-interests",
        TransnationalAdultNeedsConsent => "msg-transnational-adult-needs-consent",
        TransnationalVitalInterestsOnlyAtRisk => "msg-transnational-vital-interests-only-at-risk",
        TransnationalNotInBestInterests => "msg-transnational-not-in-best-interests",
        TransnationalAssessmentOnlyForReturn => "msg-transnational-assessment-only-for-return",
        TransnationalBasisComesAfter => "msg-transnational-basis-comes-after",
        // (end of the transnational referral)
    }
}

impl MessageId {
    /// The message's id in the message files.
    pub fn id(self) -> &'static str {
        crate::Coded::code(self)
    }
}

/// A value filled into a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    /// Shown as it is: a date, a number, a name, a citation.
    Text(String),
    /// Coded values, each shown by its label (the message `PREFIX-CODE`), joined by commas.
    Labels { prefix: &'static str, codes: Vec<String> },
    /// Messages in their turn, joined by semicolons.
    Messages(Vec<Message>),
}

/// A message id with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub id: MessageId,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(id: MessageId) -> Self {
        Self { id, args: Vec::new() }
    }

    /// With an argument shown as it is.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// With coded values shown by their labels (`PREFIX-CODE`).
    #[must_use]
    pub fn labels<S: Into<String>>(
        mut self,
        name: &'static str,
        prefix: &'static str,
        codes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.args.push((name, Arg::Labels { prefix, codes: codes.into_iter().map(Into::into).collect() }));
        self
    }

    /// With messages, joined by semicolons.
    #[must_use]
    pub fn messages(mut self, name: &'static str, messages: Vec<Message>) -> Self {
        self.args.push((name, Arg::Messages(messages)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn message_ids_are_distinct_fluent_ids() {
        let mut ids: Vec<&str> = MessageId::ALL.iter().map(|m| m.id()).collect();
        assert!(ids.iter().all(|id| id.starts_with("msg-") && id.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), MessageId::ALL.len());
    }
}
