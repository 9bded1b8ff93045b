#!/usr/bin/python3
"""Reads back the workbook WritePlanXlsx makes of the sample plan (sample_plan.hpp) with openpyxl
(Debian's python3-openpyxl) and checks its sheets, rows, cells and layout.

Usage: check_plan_xlsx.py PLAN_XLSX_SAMPLE_BINARY
"""
import pathlib
import subprocess
import sys
import tempfile

import openpyxl

UNITS = ("Utvecklingsavdelningen / Folkhälsocentrum; "
         "Avdelningen för regional utveckling / Näringslivsenheten")

EXPECTED = {
    "Åtgärder": [
        ("Delmål", "Arena", "Grupp", "Nr", "Målgrupp", "Förväntat långsiktigt resultat", "År",
         "Åtgärd", "Aktör", "Status"),
        ("1 Utbildningsnivån ska öka", None, "1 Bidra till att eleverna klarar grundskolan", "1 A",
         None, "Fler elever går ut skolan med fullständiga betyg", None, "Motverka mobbning",
         f"Region Norrbotten ({UNITS})\nLuleå tekniska universitet", "pågår"),
        ("1 Utbildningsnivån ska öka", None, "1 Bidra till att eleverna klarar grundskolan", "1 B",
         "Elever 13–15 år", "Ökad närvaro", 2022, 'Stärk "elevhälsan"\nmed två rader',
         "Norrbottens Kommuner (Kansliet) (ärvd)", "ej angiven"),
        ("2 Fler i arbete", "A Arbetsliv", "5 Friska arbetsplatser", "5 A", None, None, None,
         "Hälsofrämjande arbetsplatser", "Region Norrbotten", "klar"),
    ],
    "Samverkan": [
        ("Nr", "Åtgärd", "Partner", "Roll", "Enheter"),
        ("1 A", "Motverka mobbning", "Svenska kyrkan", "i samverkan", None),
        ("1 A", "Motverka mobbning", "Kommunerna i Norrbotten", "förutsättning", "Elevhälsan"),
        ("5 A", "Hälsofrämjande arbetsplatser", "Företagarna", "huvudaktör", None),
    ],
    "Klassificering": [
        ("Nivå", "Kod", "Titel", "Klassificering id", "Klassificering", "Föreslagen"),
        ("Ramverk", None, "Handlingsplan för folkhälsa", "prevention_level:universal",
         "Universell", "nej"),
        ("Delmål", "1", "Utbildningsnivån ska öka", "target_area:2",
         "Kunskaper, kompetenser och utbildning", "nej"),
        ("Åtgärd", "1 B", 'Stärk "elevhälsan"\nmed två rader', "agenda2030:4",
         "God utbildning för alla", "ja"),
        ("Åtgärd", "5 A", "Hälsofrämjande arbetsplatser", "target_area:3",
         "Arbete, arbetsförhållanden och arbetsmiljö", "nej"),
    ],
    "Om": [
        ("Titel", "Handlingsplan för folkhälsa"),
        ("Kort titel", "Handlingsplan 2018–2022"),
        ("Typ", "handlingsplan"),
        ("Status", "antagen"),
        ("Period", "2018–2022"),
        ("Ägare", "Region Norrbotten"),
        ("Antal åtgärder", 3),
        ("Exporterad", "2024-05-01"),
    ],
}

# The table sheets: frozen header row, autofilter over every row, bold header, wrapped body.
TABLES = {"Åtgärder": "A1:J4", "Samverkan": "A1:E4", "Klassificering": "A1:F5"}


def check(workbook: openpyxl.Workbook) -> list[str]:
    problems = []

    def expect(what: str, actual, expected) -> None:
        if actual != expected:
            problems.append(f"{what}: got {actual!r}, expected {expected!r}")

    expect("sheet names", workbook.sheetnames, list(EXPECTED))
    expect("document title", workbook.properties.title, "Handlingsplan för folkhälsa")
    expect("creation date", workbook.properties.created.isoformat(), "2024-05-01T00:00:00")
    for name, rows in EXPECTED.items():
        if name not in workbook.sheetnames:
            continue
        sheet = workbook[name]
        actual = list(sheet.iter_rows(values_only=True))
        expect(f"{name}: number of rows", len(actual), len(rows))
        for row_idx, (got, want) in enumerate(zip(actual, rows), start=1):
            expect(f"{name}: row {row_idx}", got, want)
    for name, ref in TABLES.items():
        sheet = workbook[name]
        expect(f"{name}: frozen panes", sheet.freeze_panes, "A2")
        expect(f"{name}: autofilter", sheet.auto_filter.ref, ref)
        expect(f"{name}: header bold", all(cell.font.b for cell in sheet[1]), True)
        expect(f"{name}: body wrapped", all(
            cell.alignment.wrap_text for row in sheet.iter_rows(min_row=2) for cell in row
            if isinstance(cell.value, str)), True)
        expect(f"{name}: printed header row", sheet.print_title_rows, "$1:$1")
        for column, dimension in sheet.column_dimensions.items():
            if not 5 <= dimension.width <= 60:
                problems.append(f"{name}: column {column} is {dimension.width} wide")
    measures = workbook["Åtgärder"]
    widths = [round(measures.column_dimensions[column].width) for column in "ABCDEFGHIJ"]
    expect("Åtgärder: column widths", widths, [31, 31, 31, 9, 25, 41, 8, 56, 41, 17])
    expect("Åtgärder: year is a number", measures["G3"].data_type, "n")
    expect("Åtgärder: year format", measures["G3"].number_format, "0")
    expect("Om: labels bold", all(row[0].font.b for row in workbook["Om"].iter_rows()), True)
    return problems


def main(binary: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "plan.xlsx"
        subprocess.run([binary, str(path)], check=True)
        problems = check(openpyxl.load_workbook(path))
    for problem in problems:
        print(problem)
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
