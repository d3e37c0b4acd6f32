#!/usr/bin/env bash
# Support-provider matching benchmark: ranks 10,000 synthetic providers (fixed seed) for several
# needs, many times each, and rewrites the "## Support-provider matching" section of
# BENCHMARKS.md with the results of this run (the other sections are left as they are).
#
#   bench/assist/run.sh            # 300 queries per need
#   ITERATIONS=1000 bench/assist/run.sh
#
# Needs cargo and jq. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

ITERATIONS="${ITERATIONS:-300}"
TARGET=BENCHMARKS.md
HEADING="## Support-provider matching"
CMD="cargo run --release -p haven-domain --example matching_bench -- $ITERATIONS"

command -v jq >/dev/null || { echo "jq is needed to read the results" >&2; exit 1; }

load_before="$(cut -d' ' -f1 /proc/loadavg)"
json="$($CMD | tail -n 1)"
load_after="$(cut -d' ' -f1 /proc/loadavg)"
echo "$json"
jq -e '.rank_top_20.p99_ms and .limit_ms' <<<"$json" >/dev/null

when="$(date -u '+%Y-%m-%d %H:%M UTC')"
cores="$(nproc)"
cpu="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
cpu="${cpu:-unknown CPU}"
rustc_version="$(rustc --version)"

section="$(mktemp)"
trap 'rm -f "$section"' EXIT
{
  echo "$HEADING"
  echo
  echo "Measured $when on $cores cores ($cpu), $rustc_version; load average $load_before before the run and $load_after when written (1-minute; the machine is shared, so other work can stretch the tail). Command: \`bench/assist/run.sh\`, which runs \`$CMD\`: $(jq -r '.providers | tostring | [scan("\\d{1,3}(?=(?:\\d{3})*$)")] | join(",")' <<<"$json") synthetic providers generated from seed $(jq -r '.seed' <<<"$json") (crates/domain/examples/matching_bench.rs), $(jq -r '.needs' <<<"$json") needs, $(jq -r '.iterations_per_need' <<<"$json") queries of each; wall-clock time per query, one thread. \`rank_top(need, providers, 20)\` scores every provider and explains the best 20; \`rank\` explains every eligible provider."
  echo
  echo "| need | eligible | rank_top 20: median ms | rank_top 20: p99 ms | rank (all): median ms | rank (all): p99 ms |"
  echo "|---|---|---|---|---|---|"
  jq -r '.per_need[] | "| \(.need) | \(.eligible) | \(.rank_top_20.median_ms) | \(.rank_top_20.p99_ms) | \(.rank_all.median_ms) | \(.rank_all.p99_ms) |"' <<<"$json"
  jq -r '"| **all needs** (\(.rank_top_20.queries) queries) | | **\(.rank_top_20.median_ms)** | **\(.rank_top_20.p99_ms)** | **\(.rank_all.median_ms)** | **\(.rank_all.p99_ms)** |"' <<<"$json"
  echo
  jq -r '
    def r4: (. * 10000 | round) / 10000;
    def met: if . < 1 then "met" else "not met" end;
    "- Limit: \(.limit_ms) ms per query over 10,000 providers. Ratio of measured time to the limit, rank_top 20: median \(.rank_top_20.median_ms / .limit_ms | r4), p99 \(.rank_top_20.p99_ms / .limit_ms | r4) (\(.rank_top_20.p99_ms / .limit_ms | met)); rank of all eligible: median \(.rank_all.median_ms / .limit_ms | r4), p99 \(.rank_all.p99_ms / .limit_ms | r4) (\(.rank_all.p99_ms / .limit_ms | met)).",
    "- Slowest single query: rank_top 20 \(.rank_top_20.max_ms) ms, rank \(.rank_all.max_ms) ms. Generating and parsing the 10,000 providers: \(.generate_and_parse_ms) ms (not part of a query)."
  ' <<<"$json"
} >"$section"

# Replace the section (from its heading to the next "## " heading or the end), or append it.
tmp="$(mktemp "$TARGET.XXXXXX")"
trap 'rm -f "$section" "$tmp"' EXIT
if [[ -f "$TARGET" ]]; then
  awk -v heading="$HEADING" -v section="$section" '
    function emit(   line) { while ((getline line < section) > 0) print line; close(section); done = 1 }
    $0 == heading { skipping = 1; if (!done) emit(); next }
    skipping && /^## / { skipping = 0; print "" }
    !skipping { print; last = $0 }
    END {
      if (!done) { if (NR > 0 && last != "") print ""; emit() }
    }
  ' "$TARGET" >"$tmp"
else
  { echo "# Benchmarks"; echo; cat "$section"; } >"$tmp"
fi
chmod 644 "$tmp"
mv "$tmp" "$TARGET"
echo "wrote the \"${HEADING#\#\# }\" section of $TARGET"
