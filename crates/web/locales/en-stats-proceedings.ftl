# The trafficker tables of the national statistics, counted from the proceedings data.

stats-proc-counting = How the offenders were counted
stats-proc-suspects = suspect records of natural persons in the country's investigations
stats-proc-merged = counted with another suspect record of the same person
stats-proc-legal = legal persons among the suspects, not counted
stats-proc-method = Offenders are counted as persons, not records: natural persons who are suspects in the country's investigations. Suspects linked to the same identification case, or to cases the person register joins into one person, are one person, and so are suspects of the same name (letter case, diacritics and the order of the names aside), the same citizenship and the same sex. A person is counted once per stage and year: suspected in the year first known as a suspect, prosecuted in the year of the earliest decision to prosecute (indictment or penal order), convicted in the year of the first conviction at any instance, whatever an appeal decides later; under the sex, age group, citizenship and form of exploitation of the first record to reach the stage in the year. Traffickers are suspects of offences of Dir 2011/36 Arts 2 and 3; persons who knowingly used services exploited from a victim are suspects of the offence of Art 18a. Each stage is counted on its own: a person convicted in the year may have been suspected in an earlier one. Legal persons are not counted.

stats-proc-amounts = Amounts frozen, seized, confiscated and realised in the year (Dir 2011/36 Art 7)
stats-proc-amount-ASSET_FROZEN = Frozen
stats-proc-amount-ASSET_SEIZED = Seized
stats-proc-amount-ASSET_CONFISCATED = Confiscated (confiscation orders)
stats-proc-amount-ASSET_REALISED = Realised from confiscated assets
stats-proc-amounts-rule = In euro, at the rates recorded. An asset counts once for each measure, in the year of its first measure of that kind, at the measure's amount or else at the asset's value. A figure is confidential (c) when fewer investigations than the release's threshold make it up, or when one investigation makes up more than 85 % of it; no figure is the sum of others, so none can be recomputed.
