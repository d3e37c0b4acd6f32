"""Swaps given name and surname in a share of the records of a CSV file (seeded), for the
blocking-recall check of docs/linkage.md: records with names swapped meet only through rules on
other fields, so the true blocking recall falls well below 100%.
usage: python swap_names.py IN.csv OUT.csv SHARE [SEED] [GIVEN_COLUMN SURNAME_COLUMN]"""
import csv, random, sys

src, dst, share = sys.argv[1], sys.argv[2], float(sys.argv[3])
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
given, surname = (sys.argv[5], sys.argv[6]) if len(sys.argv) > 6 else ("given_name", "surname")
rng = random.Random(seed)
with open(src, newline="") as f, open(dst, "w", newline="") as g:
    r = csv.DictReader(f)
    w = csv.DictWriter(g, fieldnames=r.fieldnames)
    w.writeheader()
    n = 0
    for row in r:
        if rng.random() < share:
            row[given], row[surname] = row[surname], row[given]
            n += 1
        w.writerow(row)
print(f"swapped the names of {n} records", file=sys.stderr)
