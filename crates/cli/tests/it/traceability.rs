//! The legal traceability table (docs/legal/traceability.md): every test it names exists and is
//! named after its row's article, and every article is cited in the one citation style.

use std::path::{Path, PathBuf};

/// The instruments the table may cite, with the snake form a test name carries.
const INSTRUMENTS: [(&str, &str); 5] = [
    ("Dir 2011/36", "dir_2011_36"),
    ("Dir 2024/1712", "dir_2024_1712"),
    ("Dir 2004/81", "dir_2004_81"),
    ("CETS 197", "cets"),
    ("Reg 1182/71", "reg_1182_71"),
];

/// Spellings of the instruments that the table must not use.
const FORBIDDEN: [&str; 6] = [
    "Directive 2011/36/EU Art",
    "Directive 2004/81/EC Art",
    "Directive (EU) 2024/1712 Art",
    "Convention Art",
    "Directive Art",
    "Arts ",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

/// The text of every `.rs` file under `dir`, skipping build output.
fn rust_sources(dir: &Path, out: &mut String) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())));
            out.push('\n');
        }
    }
}

/// How a row without a test begins, each followed by the reason: the obligation is not for case
/// software, or Haven does not encode it yet (and says what is missing). A rule Haven encodes has
/// its test; "not yet proved" is not an answer.
const NO_TEST: [&str; 2] = ["not supported:", "not encoded yet:"];

/// `Art 15(3)(f)` → `art_15_3_f`, `Art 18a` → `art_18a`.
fn article_snake(article: &str) -> Option<String> {
    let rest = article.strip_prefix("Art ")?;
    let mut snake = String::from("art");
    let mut parts = rest.split(['(', ')']).filter(|p| !p.is_empty());
    let number = parts.next()?;
    if !number.chars().next()?.is_ascii_digit() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    snake.push('_');
    snake.push_str(number);
    for p in parts {
        if !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        snake.push('_');
        snake.push_str(p);
    }
    // Every part is a whole bracket: `Art 15(3)(f)`, never `Art 15(3`.
    let rebuilt: String =
        rest.split(['(', ')']).filter(|p| !p.is_empty()).enumerate().fold(String::new(), |mut acc, (i, p)| {
            if i == 0 {
                acc.push_str(p);
            } else {
                acc.push_str(&format!("({p})"));
            }
            acc
        });
    (rebuilt == rest).then_some(snake)
}

/// A citation cell such as `Dir 2011/36 Art 11(2)`: its instrument's snake form and its
/// article's.
fn parse_citation(cell: &str) -> Option<(&'static str, String)> {
    INSTRUMENTS.iter().find_map(|(name, snake)| {
        let article = cell.strip_prefix(name)?.strip_prefix(' ')?;
        Some((*snake, article_snake(article)?))
    })
}

/// The words between backticks in `cell`.
fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// Problems with the table `text`, given the Rust sources of the workspace.
fn check_table(text: &str, sources: &str) -> (usize, usize, Vec<String>) {
    let mut problems = Vec::new();
    let (mut rows, mut proved) = (0, 0);
    for (no, line) in text.lines().enumerate() {
        let line_no = no + 1;
        if !line.starts_with('|') || line.starts_with("|---") || line.starts_with("| Article ") {
            continue;
        }
        for bad in FORBIDDEN {
            if line.contains(bad) {
                problems.push(format!("line {line_no}: {bad:?} is not the citation style"));
            }
        }
        // Every `Art ` is preceded by one of the instruments.
        for (at, _) in line.match_indices("Art ") {
            let before = &line[..at];
            if !INSTRUMENTS.iter().any(|(name, _)| before.ends_with(&format!("{name} "))) {
                problems.push(format!("line {line_no}: an article without its instrument: {line}"));
            }
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() != 4 {
            problems.push(format!("line {line_no}: {} cells, not 4", cells.len()));
            continue;
        }
        rows += 1;
        let Some((instrument, article)) = parse_citation(cells[0]) else {
            problems.push(format!("line {line_no}: {:?} is not one citation in the citation style", cells[0]));
            continue;
        };
        let test_cell = cells[3];
        if let Some(reason) = NO_TEST.iter().find_map(|prefix| test_cell.strip_prefix(prefix)) {
            // A row without a test says why, and names no test it would then leave unchecked.
            if reason.trim().is_empty() {
                problems.push(format!("line {line_no}: {test_cell:?} without the reason"));
            }
            if backticked(test_cell).iter().any(|w| w.starts_with("art_")) {
                problems.push(format!("line {line_no}: a test named in a row marked {test_cell:?}"));
            }
            continue;
        }
        let tests = backticked(test_cell);
        if tests.is_empty() {
            problems.push(format!(
                "line {line_no}: no test named after the article, and not marked \"not supported:\" or \"not encoded \
                 yet:\" with the reason"
            ));
            continue;
        }
        proved += 1;
        for test in tests {
            if !sources.contains(&format!("fn {test}(")) {
                problems.push(format!("line {line_no}: no test function {test} under crates/"));
            }
            if !test.starts_with(&format!("{article}_")) || !test.contains(&format!("_{instrument}_")) {
                problems.push(format!(
                    "line {line_no}: {test} is not named after {} (expected {article}_ and _{instrument}_)",
                    cells[0]
                ));
            }
        }
    }
    (rows, proved, problems)
}

#[test]
fn every_article_in_the_traceability_table_has_a_test_named_after_it() {
    let root = workspace();
    let text = std::fs::read_to_string(root.join("docs/legal/traceability.md")).expect("read traceability.md");
    let mut sources = String::new();
    rust_sources(&root.join("crates"), &mut sources);

    let (rows, proved, problems) = check_table(&text, &sources);
    assert!(problems.is_empty(), "docs/legal/traceability.md:\n{}", problems.join("\n"));
    assert!(rows >= 40, "only {rows} rows in the table");
    assert!(proved >= 10, "only {proved} rows with a test");
    for (name, _) in INSTRUMENTS {
        assert!(text.contains(&format!("| {name} Art ")), "no row for {name}");
    }

    // The check itself catches a missing test, a test named after another article and a
    // citation in another style.
    let missing = "| CETS 197 Art 13(3) | x | y | `art_13_3_cets_no_such_test_exists_anywhere` |";
    let (_, _, p) = check_table(missing, &sources);
    assert!(p.iter().any(|m| m.contains("no test function")), "{p:?}");
    let misnamed = "| CETS 197 Art 13(1) | x | y | `art_13_3_cets_reflection_period_ends_only_on_public_order_or_improper_claim` |";
    let (_, _, p) = check_table(misnamed, &sources);
    assert!(p.iter().any(|m| m.contains("is not named after")), "{p:?}");
    let styled = "| Directive 2011/36/EU Art 11(2) | x | y | not supported: z |";
    let (_, _, p) = check_table(styled, &sources);
    assert!(p.iter().any(|m| m.contains("citation style")), "{p:?}");
    // An encoded rule without its test, a row without its reason and a test hidden in a row
    // marked as untested are caught; a reasoned row passes.
    let unproved = "| CETS 197 Art 26 | x | y | not yet proved by a named test |";
    let (_, _, p) = check_table(unproved, &sources);
    assert!(p.iter().any(|m| m.contains("no test named after the article")), "{p:?}");
    let bare = "| CETS 197 Art 27 | x | y | not supported: |";
    let (_, _, p) = check_table(bare, &sources);
    assert!(p.iter().any(|m| m.contains("without the reason")), "{p:?}");
    let hidden = "| Dir 2004/81 Art 13 | x | y | not encoded yet: see `art_13_dir_2004_81_made_up` |";
    let (_, _, p) = check_table(hidden, &sources);
    assert!(p.iter().any(|m| m.contains("a test named in a row marked")), "{p:?}");
    let reasoned = "| Dir 2004/81 Art 13 | x | y | not encoded yet: the conditions of the permit are not tracked |";
    assert_eq!(check_table(reasoned, &sources).2, Vec::<String>::new());
}

/// The article citations of the table's first column (`Dir 2011/36 Art 11(2)`), in order.
fn cited_articles(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Article ") && !l.starts_with("|---"))
        .filter_map(|l| l.trim_matches('|').split('|').next().map(str::trim))
        .filter(|cell| parse_citation(cell).is_some())
        .map(str::to_owned)
        .collect()
}

/// One article list, not two: every article the table cites is in the reference data's article
/// list (reference/instrument-articles.csv, which the monitoring pages and the rules of who is
/// bound read), and every article listed there is in the table.
#[test]
fn the_traceability_table_and_the_instruments_article_list_are_one_list() {
    let root = workspace();
    let text = std::fs::read_to_string(root.join("docs/legal/traceability.md")).expect("read traceability.md");
    let instruments = haven_domain::instruments::Instruments::embedded().expect("the embedded instruments");
    let listed: Vec<String> = instruments.articles().iter().map(|a| a.citation()).collect();
    let cited = cited_articles(&text);
    let missing: Vec<&String> = cited.iter().filter(|c| !listed.contains(c)).collect();
    assert!(
        missing.is_empty(),
        "cited in docs/legal/traceability.md, not in reference/instrument-articles.csv: {missing:?}"
    );
    let unlisted: Vec<&String> = listed.iter().filter(|l| !cited.contains(l)).collect();
    assert!(
        unlisted.is_empty(),
        "in reference/instrument-articles.csv, no row in docs/legal/traceability.md: {unlisted:?}"
    );
    // Each article once in the table.
    let mut sorted = cited.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), cited.len(), "an article with two rows");
    // The check can fail: a row for an article the list lacks is caught.
    let extra = format!("{text}\n| CETS 197 Art 99 | x | y | not supported: z |\n");
    assert!(cited_articles(&extra).iter().any(|c| !listed.contains(c)));
}
