"""Writes the "Clerical review with active learning" part of BENCHMARKS.md's record linkage section
from the JSON results of review.sh (haven-link-bench review)."""
import json, os, sys, subprocess, datetime, re

out, target, command, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
files = [f for f in os.listdir(out) if f.endswith(".json")]
stamp = max(os.path.getmtime(os.path.join(out, f)) for f in files) if files else 0
now = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
TITLE = "### Clerical review with active learning"
L = [TITLE + "\n"]
L.append(f"Measured {now} on {os.cpu_count()} cores ({cpu}), {rustc}. Command: `{command}`. A simulated "
         "reviewer answers from the ground truth (\"same\" when both records carry one true person, else "
         "\"different\") the pairs `haven link review next` picks: match probability nearest 0.5, at most one "
         "pair per 1-bit weight bin and comparison pattern first. After each round, as `haven link review apply` "
         "does, m is blended from the unsupervised model's m (counted as 20 answers) and the answers \"same\", and "
         "the threshold moves to the weight that best separates the answered pairs. Pair F1 at the model's "
         "threshold (0.9 before answers; the calibrated one after), pairs lost to blocking counted as misses; "
         "cluster F1 with the answers \"different\" kept apart. \"Fully labelled\" is m from every true pair "
         "(`haven link train --labelled`).\n")
L.append("| data set | model | answers (same / different) | threshold | pair F1 (precision, recall) | cluster F1 |")
L.append("|---|---|---|---|---|---|")
f4 = lambda x: f"{x:.4f}"
def row(name, model, answers, t, acc, cf1):
    return (f"| {name} | {model} | {answers} | {t:.4g} | {f4(acc['f1'])} ({f4(acc['precision'])}, "
            f"{f4(acc['recall'])}) | {f4(cf1)} |")
notes = []
gaps = []
for file, name in [("febrl4.json", "FEBRL4 link"), ("febrl3.json", "FEBRL3 dedupe"), ("synth.json", f"synthetic {n:,} dedupe")]:
    r = load(file)
    if not r:
        continue
    u, lab = r["unsupervised"], r["labelled"]
    L.append(row(name, "unsupervised", "0", u["threshold"], u["pair"], u["cluster_f1"]))
    for s in r["steps"]:
        L.append(row(name, f"after {s['answers']} answers", f"{s['answers']} ({s['same']} / {s['different']})",
                     s["threshold"], s["pair"], s["cluster_f1"]))
    L.append(row(name, "fully labelled", "all true pairs", lab["threshold"], lab["pair"], lab["cluster_f1"]))
    gaps.append(abs(u["pair"]["f1"] - lab["pair"]["f1"]))
    last = r["steps"][-1]["pair"]["f1"] if r["steps"] else u["pair"]["f1"]
    reach = r.get("blocking_recall")
    reach = f"; blocking compares {f4(reach)} of the true pairs, the highest recall possible" if reach is not None else ""
    notes.append(f"{name}: after 50 answers pair F1 {f4(last)} against {f4(lab['pair']['f1'])} fully labelled "
                 f"({last - lab['pair']['f1']:+.4f}) and {f4(u['pair']['f1'])} unsupervised{reach}")
L.append("")
for x in notes:
    L.append(f"- {x}.")
if gaps and max(gaps) < 0.005:
    L.append("- On these sets the constrained unsupervised model already reaches the fully labelled F1, so the curve "
         "shows that answers keep it there (they neither help nor harm much), not a rescue of a failed model; "
             "the recall left is lost to blocking, which answers about compared pairs cannot bring back.")
L.append("")
section = "\n".join(L) + "\n"
text = open(target).read() if os.path.exists(target) else "# Benchmarks\n\n"
m = re.search(r"^## Record linkage\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    body = m.group(0)
    body = re.sub(r"^" + re.escape(TITLE) + r"\n.*?(?=^## |^### |\Z)", "", body, flags=re.S | re.M)
    body = body.rstrip("\n") + "\n\n" + section
    text = text[:m.start()] + body + text[m.end():]
else:
    text = text.rstrip("\n") + "\n\n## Record linkage\n\n" + section
open(target, "w").write(text)
