//! The annual report as one document in the reader's language ([`Doc`]), built once from the
//! assembled report and written three ways: the page, the print-ready HTML (the template
//! `_report_body.html` in both) and DOCX ([`docx`], through the `docx-rs` crate). Every figure
//! is printed as the release printed it ([`haven_app::annual_report::cell_text`]): a hidden cell
//! is `c`, never a value.

use crate::i18n::Tr;
use crate::views::charts::{self, Chart, Group, Point};
use crate::views::monitoring::lateness_text;
use crate::views::{format_time, label_of};
use haven_app::annual_report::{AnnualReportView, Figure, ReleasedTable, TREND_INDICATORS, cell_text};
use haven_domain::Jurisdiction;
use haven_domain::annual_report::ReportStatus;
use haven_stats::{Concept, Indicator, TOTAL};

/// A cell of a document table; `key` marks a released figure (its table and index, for checks).
pub struct DocCell {
    pub text: String,
    pub lang: Option<&'static str>,
    pub key: Option<String>,
    pub header: bool,
}

impl DocCell {
    fn text(text: impl Into<String>) -> Self {
        DocCell { text: text.into(), lang: None, key: None, header: false }
    }

    fn head(text: impl Into<String>) -> Self {
        DocCell { text: text.into(), lang: None, key: None, header: true }
    }

    fn english(text: impl Into<String>) -> Self {
        DocCell { text: text.into(), lang: Some("en"), key: None, header: false }
    }

    fn figure(text: String, key: String) -> Self {
        DocCell { text, lang: None, key: Some(key), header: false }
    }
}

/// A table of the document: its caption, column headings and rows.
pub struct DocTable {
    pub id: String,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<DocCell>>,
}

/// A paragraph, in English where it is the source's text (GRETA's wording).
pub struct DocText {
    pub text: String,
    pub lang: Option<&'static str>,
}

/// A section of the document.
pub struct DocSection {
    pub id: String,
    pub heading: String,
    /// The rapporteur's own text (narrative sections).
    pub narrative: bool,
    pub paragraphs: Vec<DocText>,
    pub chart: Option<Chart>,
    pub tables: Vec<DocTable>,
}

/// The whole report, in the reader's language.
pub struct Doc {
    pub title: String,
    pub subtitle: String,
    pub basis: String,
    pub status: String,
    pub sections: Vec<DocSection>,
}

fn para(text: impl Into<String>) -> DocText {
    DocText { text: text.into(), lang: None }
}

fn section(id: &str, heading: String) -> DocSection {
    DocSection { id: id.to_owned(), heading, narrative: false, paragraphs: Vec::new(), chart: None, tables: Vec::new() }
}

fn code_label(tr: &Tr<'_>, concept: Concept, code: &str) -> String {
    if code == TOTAL {
        return tr.t("stats-total");
    }
    match concept {
        Concept::Citizen if code != "UNK" => code.to_owned(),
        _ => tr.t(&format!("stat-{}-{code}", concept.id())),
    }
}

fn indicator_label(tr: &Tr<'_>, indicator: Indicator) -> String {
    tr.t(&format!("stat-indicator-{}", indicator.code()))
}

fn figure_text(f: &Figure) -> String {
    f.text()
}

/// A released table laid out: the last dimension across, the others down.
fn released_table(tr: &Tr<'_>, t: &ReleasedTable) -> DocTable {
    let spec = &t.spec;
    let (down, across) = spec.dims.split_at(spec.dims.len().saturating_sub(1));
    let columns_n = across.first().map_or(1, |d| d.positions());
    let mut columns =
        vec![down.iter().map(|d| tr.t(&format!("stat-concept-{}", d.concept.id()))).collect::<Vec<_>>().join(" · ")];
    match across.first() {
        Some(d) => columns.extend((0..d.positions()).map(|p| code_label(tr, d.concept, d.code_at(p)))),
        None => columns.push(tr.t("stats-persons")),
    }
    let rows_n = spec.len() / columns_n.max(1);
    let rows = (0..rows_n)
        .map(|r| {
            let positions = spec.positions_of(r * columns_n);
            let label = down
                .iter()
                .zip(&positions)
                .map(|(d, p)| code_label(tr, d.concept, d.code_at(*p)))
                .collect::<Vec<_>>()
                .join(" · ");
            let mut row = vec![DocCell::head(if label.is_empty() { tr.t("stats-total") } else { label })];
            for c in 0..columns_n {
                let index = r * columns_n + c;
                let text = t.cells.get(index).map_or_else(
                    || ":".to_owned(),
                    |cell| cell_text(cell.value, cell.conf.is_suppressed(), cell.error),
                );
                row.push(DocCell::figure(text, format!("{}-{index}", spec.id)));
            }
            row
        })
        .collect();
    DocTable {
        id: format!("table-{}", spec.id.to_lowercase()),
        caption: tr.t(&format!("stat-table-{}", spec.id)),
        columns,
        rows,
    }
}

fn trends(tr: &Tr<'_>, view: &AnnualReportView) -> DocSection {
    let mut s = section("report-trends", tr.t("report-trends"));
    s.paragraphs.push(para(tr.t(if view.eu.is_some() { "report-trends-explain-eu" } else { "report-trends-explain" })));
    if view.trends.is_empty() {
        s.paragraphs.push(para(tr.t("report-none-released")));
        return s;
    }
    let shown = [Indicator::Registered, Indicator::Assisted, Indicator::Prosecuted, Indicator::Convicted];
    let series: Vec<String> = shown.iter().map(|i| indicator_label(tr, *i)).collect();
    let groups: Vec<Group> = view
        .trends
        .iter()
        .map(|y| Group {
            label: y.year.to_string(),
            points: shown
                .iter()
                .map(|i| match y.figures.iter().find(|f| f.indicator == *i) {
                    Some(f) => {
                        Point { value: if f.confidential { None } else { f.value }, confidential: f.confidential }
                    }
                    None => Point { value: None, confidential: false },
                })
                .collect(),
        })
        .collect();
    s.chart =
        Some(charts::chart("chart-trends", tr.t("report-trends-chart"), &series, &groups, "#table-trends".into()));
    let mut columns = vec![tr.t("report-year")];
    columns.extend(TREND_INDICATORS.iter().map(|i| indicator_label(tr, *i)));
    s.tables.push(DocTable {
        id: "table-trends".into(),
        caption: tr.t("report-trends-table"),
        columns,
        rows: view
            .trends
            .iter()
            .map(|y| {
                let mut row = vec![DocCell::head(y.year.to_string())];
                row.extend(
                    y.figures
                        .iter()
                        .map(|f| DocCell::figure(figure_text(f), format!("trend-{}-{}", y.year, f.indicator.code()))),
                );
                row
            })
            .collect(),
    });
    s
}

fn figures_section(tr: &Tr<'_>, view: &AnnualReportView) -> DocSection {
    let mut s = section("report-figures", tr.t("report-figures"));
    s.paragraphs.push(para(tr.t("report-figures-explain")));
    let figures: Vec<Figure> = match (&view.statistics, &view.eu) {
        (Some(st), _) => st.figures.clone(),
        (None, Some(eu)) => eu
            .totals
            .iter()
            .map(|t| Figure { indicator: t.indicator, value: t.total, confidential: false, error: None })
            .collect(),
        (None, None) => Vec::new(),
    };
    if figures.is_empty() {
        s.paragraphs.push(para(tr.t("report-none-released")));
        return s;
    }
    let assistance = [Indicator::Registered, Indicator::Assisted, Indicator::Reflection, Indicator::ResidencePermit];
    let table = |id: &str, caption: String, which: &dyn Fn(Indicator) -> bool| DocTable {
        id: id.to_owned(),
        caption,
        columns: vec![tr.t("report-indicator"), tr.t("stats-persons")],
        rows: figures
            .iter()
            .filter(|f| which(f.indicator))
            .map(|f| {
                vec![
                    DocCell::head(indicator_label(tr, f.indicator)),
                    DocCell::figure(figure_text(f), format!("figure-{}", f.indicator.code())),
                ]
            })
            .collect(),
    };
    s.tables.push(table("table-assistance", tr.t("report-assistance"), &|i| assistance.contains(&i)));
    s.tables.push(table("table-proceedings", tr.t("report-proceedings"), &|i| !assistance.contains(&i)));
    if let Some(st) = &view.statistics
        && !st.amounts.is_empty()
    {
        s.tables.push(DocTable {
            id: "table-amounts".into(),
            caption: tr.t("report-amounts"),
            columns: vec![tr.t("report-measure"), tr.t("report-euro")],
            rows: st
                .amounts
                .iter()
                .map(|a| {
                    vec![
                        DocCell::head(tr.t(&format!("stats-proc-amount-{}", a.code))),
                        DocCell::figure(
                            if a.confidential {
                                "c".to_owned()
                            } else {
                                a.euro.map_or_else(|| ":".to_owned(), |e| e.to_string())
                            },
                            format!("amount-{}", a.code),
                        ),
                    ]
                })
                .collect(),
        });
    }
    s
}

fn statistics_section(tr: &Tr<'_>, view: &AnnualReportView) -> DocSection {
    let mut s = section("report-statistics", tr.t("report-statistics"));
    if let Some(eu) = &view.eu {
        s.paragraphs.push(para(tr.args(
            "report-eu-coverage",
            &[("submitted", &eu.submitted.to_string()), ("expected", &eu.expected.to_string())],
        )));
        s.tables.push(DocTable {
            id: "table-countries".into(),
            caption: tr.t("report-eu-countries"),
            columns: vec![
                tr.t("monitoring-country"),
                tr.t("report-eu-status"),
                indicator_label(tr, Indicator::Registered),
            ],
            rows: eu
                .countries
                .iter()
                .map(|c| {
                    vec![
                        DocCell::head(c.country.clone()),
                        DocCell::text(tr.t(&format!("stats-status-{}", c.status))),
                        DocCell::figure(
                            c.registered.as_ref().map_or_else(String::new, figure_text),
                            format!("country-{}", c.country),
                        ),
                    ]
                })
                .collect(),
        });
        return s;
    }
    match &view.statistics {
        Some(st) => {
            s.paragraphs.push(para(tr.args(
                "report-statistics-explain",
                &[("released", &format_time(&st.released_at)), ("mode", &tr.t(&format!("report-mode-{}", st.mode)))],
            )));
            s.tables.extend(st.tables.iter().map(|t| released_table(tr, t)));
        }
        None => s.paragraphs.push(para(tr.t("report-none-released"))),
    }
    s
}

fn transposition_section(tr: &Tr<'_>, view: &AnnualReportView) -> DocSection {
    let mut s = section("report-transposition", tr.t("report-transposition"));
    s.paragraphs.push(para(tr.t("report-transposition-explain")));
    s.tables.push(DocTable {
        id: "table-transposition".into(),
        caption: tr.t("report-transposition"),
        columns: vec![
            tr.t("monitoring-instrument"),
            tr.t("monitoring-country"),
            tr.t("monitoring-where"),
            tr.t("report-articles-complete"),
        ],
        rows: view
            .transposition
            .iter()
            .map(|l| {
                vec![
                    DocCell::head(l.instrument.citation()),
                    DocCell::text(l.country.to_string()),
                    DocCell::text(lateness_text(tr, &l.lateness)),
                    DocCell::text(format!("{} / {}", l.complete, l.articles)),
                ]
            })
            .collect(),
    });
    s
}

fn strategy_section(tr: &Tr<'_>, view: &AnnualReportView) -> DocSection {
    let mut s = section("report-strategy", tr.t("report-strategy"));
    if view.strategies.is_empty() {
        s.paragraphs.push(para(tr.t("report-strategy-none")));
    }
    for (n, summary) in view.strategies.iter().enumerate() {
        let strategy = &summary.strategy;
        s.tables.push(DocTable {
            id: format!("table-strategy-{}", n + 1),
            caption: format!(
                "{} ({} – {})",
                crate::views::strategy::strategy_title(tr, strategy),
                strategy.starts_on,
                strategy.ends_on
            ),
            columns: vec![
                tr.t("report-priority"),
                tr.t("report-actions"),
                tr.t("strategy-status-completed"),
                tr.t("strategy-status-ongoing"),
                tr.t("report-overdue"),
            ],
            rows: summary
                .progress
                .iter()
                .map(|p| {
                    let title = strategy.priority_title(&p.priority, tr.code());
                    let english =
                        strategy.shipped && tr.code() != "en" && title == strategy.priority_title(&p.priority, "en");
                    let label = format!("{} {title}", p.priority);
                    vec![
                        if english {
                            DocCell { header: true, ..DocCell::english(label) }
                        } else {
                            DocCell::head(label)
                        },
                        DocCell::text(p.actions.to_string()),
                        DocCell::text(format!("{} ({} %)", p.completed, p.share_completed())),
                        DocCell::text(format!("{} ({} %)", p.ongoing, p.share_ongoing())),
                        DocCell::text(p.overdue.to_string()),
                    ]
                })
                .collect(),
        });
    }
    s
}

fn greta_section(tr: &Tr<'_>, view: &AnnualReportView) -> DocSection {
    let mut s = section("report-greta", tr.t("report-greta"));
    if view.greta.is_empty() {
        s.paragraphs.push(para(tr.t("report-greta-none")));
        return s;
    }
    s.tables.push(DocTable {
        id: "table-greta-rounds".into(),
        caption: tr.t("report-greta-rounds"),
        columns: vec![
            tr.t("greta-country"),
            tr.t("greta-round-field-round"),
            tr.t("greta-round-field-report_published_on"),
            tr.t("report-recommendations"),
            tr.t("report-without-follow-up"),
        ],
        rows: view
            .greta
            .iter()
            .map(|r| {
                vec![
                    DocCell::head(r.country.to_string()),
                    DocCell::text(r.round.to_string()),
                    DocCell::text(r.report_published_on.map(|d| d.to_string()).unwrap_or_default()),
                    DocCell::text(r.recommendations.to_string()),
                    DocCell::text(r.without_follow_up.to_string()),
                ]
            })
            .collect(),
    });
    for r in view.greta.iter().filter(|r| !r.lines.is_empty()) {
        s.tables.push(DocTable {
            id: format!("table-greta-{}", r.round),
            caption: tr.t1("report-greta-round", "round", &r.round.to_string()),
            columns: vec![
                tr.t("greta-recommendation-field-paragraph"),
                tr.t("greta-recommendation-field-strength"),
                tr.t("greta-recommendation-field-wording"),
                tr.t("report-follow-up"),
            ],
            rows: r
                .lines
                .iter()
                .map(|l| {
                    vec![
                        DocCell::head(l.paragraph.clone()),
                        DocCell::text(label_of(tr, "greta-strength", l.strength)),
                        DocCell::english(l.wording.clone()),
                        DocCell::text(match (l.latest, l.latest_on) {
                            (Some(status), Some(on)) => format!("{} ({on})", label_of(tr, "greta-follow-up", status)),
                            (Some(status), None) => label_of(tr, "greta-follow-up", status),
                            _ => tr.t("report-no-follow-up"),
                        }),
                    ]
                })
                .collect(),
        });
    }
    s
}

/// The report as a document in the reader's language.
pub fn document(tr: &Tr<'_>, view: &AnnualReportView) -> Doc {
    let report = &view.report;
    let whose = match report.jurisdiction {
        Jurisdiction::EuropeanUnion => tr.t("report-of-eu"),
        Jurisdiction::Country(c) => tr.t1("report-of-country", "country", c.as_str()),
    };
    let status = match (report.status, &view.finalised_by_name, report.finalised_at) {
        (ReportStatus::Final, Some(name), Some(at)) => {
            tr.args("report-status-final-by", &[("name", name.as_str()), ("at", &format_time(&at))])
        }
        (s, _, _) => label_of(tr, "report-status", s),
    };
    let mut sections: Vec<DocSection> = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, n)| DocSection {
            id: format!("narrative-{}", i + 1),
            heading: n.title.clone(),
            narrative: true,
            paragraphs: n.text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| para(p.trim())).collect(),
            chart: None,
            tables: Vec::new(),
        })
        .collect();
    sections.push(statistics_section(tr, view));
    sections.push(trends(tr, view));
    sections.push(figures_section(tr, view));
    sections.push(transposition_section(tr, view));
    sections.push(strategy_section(tr, view));
    sections.push(greta_section(tr, view));
    Doc {
        title: tr.t1("report-title-year", "year", &report.year.to_string()),
        subtitle: whose,
        basis: tr.t1("report-basis", "articles", &view.legal_basis.join(", ")),
        status,
        sections,
    }
}

/// Writes the document as DOCX (Office Open XML), with headings as Word's heading styles and the
/// tables as tables; the chart's figures are in the trends table beside it.
pub fn docx(doc: &Doc) -> Result<Vec<u8>, docx_rs::DocxError> {
    use docx_rs::{Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableRow};
    let text = |t: &str, bold: bool| {
        let run = Run::new().add_text(t);
        Paragraph::new().add_run(if bold { run.bold() } else { run })
    };
    let heading = |t: &str, style: &str| Paragraph::new().add_run(Run::new().add_text(t)).style(style);
    let mut out = Docx::new()
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(40).bold())
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1").size(32).bold())
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("Heading 2").size(26).bold())
        .add_paragraph(heading(&doc.title, "Title"))
        .add_paragraph(text(&doc.subtitle, true))
        .add_paragraph(text(&doc.basis, false))
        .add_paragraph(text(&doc.status, false));
    for s in &doc.sections {
        out = out.add_paragraph(heading(&s.heading, "Heading1"));
        for p in &s.paragraphs {
            out = out.add_paragraph(text(&p.text, false));
        }
        for t in &s.tables {
            out = out.add_paragraph(heading(&t.caption, "Heading2"));
            let mut rows =
                vec![TableRow::new(t.columns.iter().map(|c| TableCell::new().add_paragraph(text(c, true))).collect())];
            rows.extend(t.rows.iter().map(|r| {
                TableRow::new(r.iter().map(|c| TableCell::new().add_paragraph(text(&c.text, c.header))).collect())
            }));
            out = out.add_table(Table::new(rows));
        }
    }
    let mut buffer = std::io::Cursor::new(Vec::new());
    out.build().pack(&mut buffer).map_err(docx_rs::DocxError::from)?;
    Ok(buffer.into_inner())
}
