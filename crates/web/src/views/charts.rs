//! Bar charts drawn on the server as SVG (no script, no external asset): grouped horizontal bars
//! with their values written beside them, confidential cells marked with a hatched box and `c`,
//! unknown ones with `:`. The template is `_chart.html`; every chart links to its table.

/// Bar colours: dark enough for text-level contrast on white (WCAG AA for graphics).
const COLOURS: &[&str] = &["#1d4e89", "#9a4d00", "#2e6b30", "#6a1b9a", "#555555"];
const LABEL_WIDTH: i64 = 220;
const BAR_SPACE: i64 = 300;
const BAR_HEIGHT: i64 = 16;
const GROUP_GAP: i64 = 10;
const VALUE_WIDTH: i64 = 80;

/// One value to draw.
#[derive(Debug, Clone)]
pub struct Point {
    pub value: Option<u64>,
    pub confidential: bool,
}

/// A category with one point per series.
#[derive(Debug, Clone)]
pub struct Group {
    pub label: String,
    pub points: Vec<Point>,
}

pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub colour: &'static str,
    pub text_x: i64,
    pub text_y: i64,
    pub text: String,
    pub confidential: bool,
    pub unknown: bool,
}

pub struct DrawnGroup {
    pub label: String,
    pub label_y: i64,
    pub bars: Vec<Bar>,
}

pub struct LegendItem {
    pub label: String,
    pub colour: &'static str,
    pub x: i64,
    pub text_x: i64,
    pub y: i64,
    pub text_y: i64,
}

/// A chart ready for `_chart.html`.
pub struct Chart {
    pub id: String,
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub groups: Vec<DrawnGroup>,
    pub legend: Vec<LegendItem>,
    /// Where the chart's figures are as a table.
    pub table_href: String,
    pub label_x: i64,
    pub bar_x: i64,
    pub any_confidential: bool,
}

/// Lays out grouped horizontal bars. `series` names the bars of each group (a legend is drawn
/// when there is more than one).
pub fn chart(id: &str, title: String, series: &[String], groups: &[Group], table_href: String) -> Chart {
    let max = groups.iter().flat_map(|g| g.points.iter()).filter_map(|p| p.value).max().unwrap_or(0).max(1);
    let per_group = i64::try_from(series.len().max(1)).unwrap_or(1);
    let group_height = per_group * BAR_HEIGHT + GROUP_GAP;
    let width = LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH;
    let legend = legend(series, width);
    let legend_rows = legend.last().map_or(0, |l| l.y + 22);
    let mut drawn = Vec::with_capacity(groups.len());
    let mut any_confidential = false;
    for (gi, g) in groups.iter().enumerate() {
        let top = legend_rows + i64::try_from(gi).unwrap_or(0) * group_height + 4;
        let mut bars = Vec::new();
        for (si, p) in g.points.iter().enumerate() {
            let y = top + i64::try_from(si).unwrap_or(0) * BAR_HEIGHT;
            let v = i64::try_from(p.value.unwrap_or(0)).unwrap_or(i64::MAX);
            let width = if p.value.is_some() {
                (v.saturating_mul(BAR_SPACE) / i64::try_from(max).unwrap_or(1)).max(1)
            } else {
                0
            };
            any_confidential |= p.confidential;
            let text = match (p.value, p.confidential) {
                (_, true) => "c".to_owned(),
                (Some(v), false) => v.to_string(),
                (None, false) => ":".to_owned(),
            };
            bars.push(Bar {
                x: LABEL_WIDTH,
                y,
                width: if p.confidential { 14 } else { width },
                height: BAR_HEIGHT - 3,
                colour: COLOURS[si % COLOURS.len()],
                text_x: LABEL_WIDTH + if p.confidential { 14 } else { width } + 6,
                text_y: y + BAR_HEIGHT - 5,
                text,
                confidential: p.confidential,
                unknown: p.value.is_none() && !p.confidential,
            });
        }
        drawn.push(DrawnGroup { label: g.label.clone(), label_y: top + (per_group * BAR_HEIGHT) / 2 + 4, bars });
    }
    Chart {
        id: id.to_owned(),
        title,
        width,
        height: legend_rows + i64::try_from(groups.len()).unwrap_or(0) * group_height + 8,
        groups: drawn,
        legend,
        table_href,
        label_x: LABEL_WIDTH - 8,
        bar_x: LABEL_WIDTH,
        any_confidential,
    }
}

/// The legend of a chart of several series, wrapped into as many rows as the chart's width needs
/// (a long label in a narrow chart must not run out of the picture, as on a phone).
fn legend(series: &[String], width: i64) -> Vec<LegendItem> {
    let mut legend = Vec::new();
    if series.len() < 2 {
        return legend;
    }
    let (mut x, mut y) = (0, 6);
    for (i, s) in series.iter().enumerate() {
        let item = 18 + i64::try_from(s.chars().count()).unwrap_or(10) * 8;
        if x > 0 && x + item > width {
            (x, y) = (0, y + 22);
        }
        legend.push(LegendItem {
            label: s.clone(),
            colour: COLOURS[i % COLOURS.len()],
            x,
            text_x: x + 18,
            y,
            text_y: y + 12,
        });
        x += item + 16;
    }
    legend
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_mark_confidential_and_unknown_cells() {
        let groups = vec![
            Group { label: "A".into(), points: vec![Point { value: Some(10), confidential: false }] },
            Group { label: "B".into(), points: vec![Point { value: Some(5), confidential: false }] },
            Group { label: "C".into(), points: vec![Point { value: None, confidential: true }] },
            Group { label: "D".into(), points: vec![Point { value: None, confidential: false }] },
        ];
        let c = chart("x", "T".into(), &["all".into()], &groups, "/t".into());
        assert_eq!(c.groups[0].bars[0].width, BAR_SPACE);
        assert_eq!(c.groups[1].bars[0].width, BAR_SPACE / 2);
        assert_eq!(c.groups[2].bars[0].text, "c");
        assert!(c.groups[2].bars[0].confidential);
        assert_eq!(c.groups[3].bars[0].text, ":");
        assert!(c.groups[3].bars[0].unknown);
        assert!(c.any_confidential);
        assert!(c.legend.is_empty());
    }

    #[test]
    fn a_legend_wider_than_the_chart_wraps_into_rows_inside_it() {
        let series: Vec<String> =
            ["Registered victims", "Victims assisted", "Victims given a reflection period", "Permits"]
                .map(String::from)
                .to_vec();
        let groups =
            vec![Group { label: "2026".into(), points: vec![Point { value: Some(3), confidential: false }; 4] }];
        let c = chart("x", "T".into(), &series, &groups, "/t".into());
        assert_eq!(c.legend.len(), 4);
        for l in &c.legend {
            let right = l.text_x + i64::try_from(l.label.chars().count()).unwrap() * 8;
            assert!(right <= c.width, "{} ends at {right}, past {}", l.label, c.width);
        }
        let rows: std::collections::BTreeSet<i64> = c.legend.iter().map(|l| l.y).collect();
        assert!(rows.len() > 1, "the legend wraps");
        let last = c.legend.iter().map(|l| l.y).max().unwrap();
        assert!(c.groups[0].bars[0].y > last + 14, "the bars start below the legend");
    }
}
