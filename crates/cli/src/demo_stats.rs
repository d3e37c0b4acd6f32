//! Demonstration statistics: each country's rapporteur makes a release of this year's national
//! tables (cell suppression; Latvia also one of last year with differential privacy); Latvia's
//! goes to the EU hub over the exchange, Estonia's and Lithuania's wait for their rapporteurs to
//! send them; the EU statistics office, on the hub, receives files of last year and of other
//! member states, made from synthetic records the way a member state's own system would. Finland's and
//! Sweden's files carry the offender tables (traffickers and users of services exploited from a
//! victim, Dir 2024/1712 Art 18a) from their proceedings data; Denmark, not bound by the
//! Directive, sends nothing and shows as not bound.

use anyhow::{Context, Result};
use haven_app::stats::{FileFormat, ReleaseRequest};
use haven_app::{App, Principal};
use haven_stats::{hub, national, sdc, sdmx, synth};

/// Member states whose files the EU statistics office receives: the country, the number of
/// synthetic victims behind the file, how many years back, and the number of suspected
/// traffickers in its offender tables (0: no offender tables).
const FILES: &[(&str, usize, u16, usize)] = &[
    ("FI", 900, 0, 120),
    ("SE", 1_400, 0, 210),
    ("LV", 180, 1, 0),
    ("EE", 90, 1, 0),
    ("LT", 140, 1, 0),
    ("FI", 850, 1, 110),
    ("SE", 1_300, 1, 0),
];

/// The statistics of one instance: its country's rapporteur makes the releases (Latvia's, with
/// `latvia`, sends this year's to the EU hub over the exchange, into the outbox, and makes one
/// of last year with differential privacy); the EU
/// statistics office, on the hub, receives the files. Returns the number of releases made, of
/// releases sent and of files received.
pub async fn seed(
    app: &App,
    rapporteur: Option<&Principal>,
    statistician: Option<&Principal>,
    latvia: bool,
    year: u16,
) -> Result<(usize, usize, usize)> {
    let (mut made, mut sent) = (0, 0);
    if let Some(p) = rapporteur {
        let req = ReleaseRequest { year, mode: "suppression".into(), threshold: Some(3), ..ReleaseRequest::default() };
        let release = app.create_release(p, &req).await.context("a suppression release")?;
        made += 1;
        if latvia {
            let delivery = app.send_release_to_hub(p, &release.id).await.context("sending a release to the EU hub")?;
            if let Some(error) = delivery.error {
                anyhow::bail!("sending a release to the EU hub: {error}");
            }
            sent += 1;
        }
    }
    // exact and differentially private releases of one year exclude each other: Latvia's noisy
    // release is of the year before
    if let Some(lv) = rapporteur.filter(|_| latvia) {
        let req = ReleaseRequest {
            year: year - 1,
            mode: "dp".into(),
            mechanism: Some("laplace".into()),
            epsilon: Some("1".into()),
            ..ReleaseRequest::default()
        };
        app.create_release(lv, &req).await.context("a differentially private release")?;
        made += 1;
    }
    let Some(statistician) = statistician else { return Ok((made, sent, 0)) };
    let mut received = 0;
    for (i, (country, persons, years_back, suspects)) in FILES.iter().enumerate() {
        let file_year = year - years_back;
        let records = synth::records(*persons, 7_000 + i as u64, country);
        let offenders = synth::offenders(*suspects, 8_000 + i as u64);
        let specs = national::national_tables(&national::citizens_of(&records), *suspects > 0);
        let tables = national::build(&specs, &records, &offenders);
        let protection =
            sdc::protect(country, &tables, &sdc::SdcParams::new(5)).context("protecting a synthetic file")?;
        let dataset = hub::dataset_from_tables(country, file_year, &tables, Some(&protection.status));
        let csv = sdmx::to_csv(std::slice::from_ref(&dataset), sdmx::DATAFLOW).context("writing SDMX-CSV")?;
        app.submit_statistics(statistician, country, file_year, FileFormat::SdmxCsv, csv.as_bytes())
            .await
            .with_context(|| format!("receiving the file of {country} {file_year}"))?;
        received += 1;
    }
    Ok((made, sent, received))
}
