#!/usr/bin/env python3
"""Puts rKolada's tidied Kolada values (tests/data/kolada/values_*.csv) back into the Kolada v3 API's
response shape, one file per KPI: {"values": [{kpi, municipality, period, values: [{gender, count,
status, value}]}], "count": N, "next_page": null}. A mechanical conversion: nothing is added or
rounded; a row that two files both hold must agree. Run from the repository root:
    python3 data/demo/statistics/make_kolada_json.py
"""
import csv
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SOURCE = os.path.join(ROOT, "tests", "data", "kolada")
TARGET = os.path.dirname(os.path.abspath(__file__))


def number(text):
    if text in ("", "NA", "null"):
        return None
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def main():
    items = {}  # (kpi, municipality, year) -> {gender: inner value}
    for name in sorted(os.listdir(SOURCE)):
        if not name.startswith("values_") or not name.endswith(".csv"):
            continue
        with open(os.path.join(SOURCE, name), encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row["kpi"], row["municipality_id"], int(row["year"]))
                inner = {"gender": row["gender"], "count": int(row["count"]),
                         "status": row["status"], "value": number(row["value"])}
                genders = items.setdefault(key, {})
                if genders.get(row["gender"], inner) != inner:
                    sys.exit(f"{name}: {key} {row['gender']} differs from an earlier file")
                genders[row["gender"]] = inner
    for kpi in sorted({key[0] for key in items}):
        values = [{"kpi": k, "municipality": m, "period": y,
                   "values": [genders[g] for g in sorted(genders, key="TKM".index)]}
                  for (k, m, y), genders in sorted(items.items()) if k == kpi]
        path = os.path.join(TARGET, f"kolada_{kpi}.json")
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"values": values, "count": len(values), "next_page": None}, out,
                      ensure_ascii=False, indent=1)
            out.write("\n")
        print(f"{path}: {len(values)} items")


if __name__ == "__main__":
    main()
