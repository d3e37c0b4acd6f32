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
}

/// A chart ready for `_chart.html`.
pub struct Chart {
    pub id: String,
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub legend_y: i64,
    pub legend_text_y: i64,
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
    let legend_rows = if series.len() > 1 { 28 } else { 0 };
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
    let mut legend = Vec::new();
    if series.len() > 1 {
        let mut x = LABEL_WIDTH;
        for (i, s) in series.iter().enumerate() {
            legend.push(LegendItem { label: s.clone(), colour: COLOURS[i % COLOURS.len()], x, text_x: x + 18 });
            x += 18 + i64::try_from(s.chars().count()).unwrap_or(10) * 8 + 16;
        }
    }
    Chart {
        id: id.to_owned(),
        title,
        width: LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH,
        height: legend_rows + i64::try_from(groups.len()).unwrap_or(0) * group_height + 8,
        legend_y: 6,
        legend_text_y: 18,
        groups: drawn,
        legend,
        table_href,
        label_x: LABEL_WIDTH - 8,
        bar_x: LABEL_WIDTH,
        any_confidential,
    }
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
}
