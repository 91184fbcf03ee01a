"""Workbooks written by software other than hafen, for test_xlsx.

  xlsx_fixtures.py make DIR    writes every fixture into DIR
  xlsx_fixtures.py check FILE  checks hafen's own workbook with openpyxl

Run with Debian's /usr/bin/python3 (python3-openpyxl). Files made with
openpyxl are what offices get from Python tools; the raw ones carry what
openpyxl never writes (shared strings with rich text and phonetic runs,
_xHHHH_ escapes, cells without references, namespace prefixes) as Excel
and LibreOffice write it, and the broken inputs.
"""
import datetime
import os
import sys
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.utils.escape import unescape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def office(d):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zugänge"
    ws.append(["Datum", "Einheit", "Personen", "Anteil", "Flag", "Fehler",
               "Zeitpunkt"])
    ws.append([datetime.date(2024, 3, 5), "Kiel", 4, 0.1, True, "#N/A",
               datetime.datetime(2024, 3, 5, 13, 45, 30)])
    ws["A2"].number_format = "DD.MM.YYYY"
    ws.append([datetime.date(2023, 12, 31), "Lübeck – Süd", -12, 1234567.125,
               False, "#DIV/0!", 0.5])
    ws["A3"].number_format = "mm-dd-yy"  # built-in 14
    ws["G3"].number_format = "h:mm"  # built-in 20, a time alone
    # row 4 empty; row 5 with gaps
    ws["A5"] = datetime.date(2024, 2, 29)
    ws["A5"].number_format = "[$-407]DDDD, D. MMMM YYYY"
    ws["C5"] = 12345678901234567  # more digits than a double holds
    ws["D5"] = 2.5
    ws["D5"].number_format = '"days" 0.0'  # d and s only in quotes
    ws["E5"] = 7
    ws["E5"].number_format = "[Red]0"  # d only in brackets
    ws["F5"] = 3.75
    ws["F5"].number_format = "0.00"
    ws["G5"] = 0.001
    ws["I7"] = "weit"  # column H stays empty, row 6 too

    ws = wb.create_sheet("Daten")
    ws.append(["x"])
    ws.append([10])
    wb.create_sheet("Leer")

    ws = wb.create_sheet("Früh")
    for v in (datetime.date(1900, 1, 1), datetime.date(1900, 2, 28),
              datetime.date(1900, 3, 1), 60, datetime.date(9999, 12, 31), -1):
        ws.append([v])
    for r in range(1, 7):
        ws.cell(r, 1).number_format = "DD.MM.YYYY"
    wb.save(os.path.join(d, "office.xlsx"))

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append([datetime.date(2024, 3, 5)])
    ws.append([datetime.date(1904, 1, 1)])
    ws.append([datetime.datetime(2024, 3, 5, 6, 0, 0)])
    for r in range(1, 4):
        ws.cell(r, 1).number_format = "DD.MM.YYYY"
    wb.save(os.path.join(d, "mac1904.xlsx"))


def raw(path, sheets, sst=None, styles=None, extra=None, workbook=True):
    """A workbook from XML parts; sheets is a list of (name, xml)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/'
                   'content-types"/>')
        if workbook:
            z.writestr("_rels/.rels",
                       f'<Relationships xmlns="{PKG}"><Relationship Id="rId1"'
                       f' Type="{RNS}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>')
            wb = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                         for i, (n, _) in enumerate(sheets))
            z.writestr("xl/workbook.xml",
                       f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><workbookPr/>'
                       f'<sheets>{wb}</sheets></workbook>')
            rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{RNS}/worksheet"'
                           f' Target="worksheets/sheet{i + 1}.xml"/>'
                           for i in range(len(sheets)))
            rels += (f'<Relationship Id="rId90" Type="{RNS}/sharedStrings" '
                     'Target="sharedStrings.xml"/>'
                     f'<Relationship Id="rId91" Type="{RNS}/styles" '
                     'Target="/xl/styles.xml"/>')
            z.writestr("xl/_rels/workbook.xml.rels",
                       f'<Relationships xmlns="{PKG}">{rels}</Relationships>')
            for i, (_, xml) in enumerate(sheets):
                z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
            if sst is not None:
                z.writestr("xl/sharedStrings.xml",
                           f'<sst xmlns="{NS}" count="9">{sst}</sst>')
            if styles is not None:
                z.writestr("xl/styles.xml", styles)
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def sheet(rows):
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
            f'<dimension ref="A1"/><sheetData>{rows}</sheetData></worksheet>')


def excel_like(d):
    sst = ("<si><t>Kiel</t></si>"
           "<si><r><rPr><b/></rPr><t>Fett</t></r>"
           '<r><t xml:space="preserve"> und normal</t></r></si>'
           '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>'
           "<si><t>Zeile1_x000D__x000A_Zeile2</t></si>"
           "<si><t>_x005F_x0041_</t></si>"
           "<si><t/></si>")
    styles = (f'<styleSheet xmlns="{NS}"><numFmts count="1"><numFmt '
              'numFmtId="14" formatCode="0.00"/></numFmts>'
              '<cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>'
              '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
              "</cellXfs></styleSheet>")
    s1 = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
               '<v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>'
               '<row r="2"><c r="A2" t="str"><f>A1&amp;"!"</f><v>Kiel!</v></c>'
               '<c r="B2" t="inlineStr"><is><r><t>in</t></r><r><t>line</t>'
               '</r></is></c><c r="C2" t="d"><v>2024-03-05T00:00:00</v></c>'
               '<c r="D2" t="s"><v>4</v></c><c r="E2" t="s"><v>5</v></c>'
               '<c r="F2" s="1"/><c r="G2" s="1"><v>45356</v></c></row>'
               "<row><c><v> 42 </v></c></row>"
               '<row r="5"><c r="C5"><v>1E-3</v></c><c><v>-2.50</v></c></row>')
    s2 = (f'<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1">'
          '<x:c r="A1"><x:v>7</x:v></x:c></x:row></x:sheetData>'
          "</x:worksheet>")
    raw(os.path.join(d, "excel.xlsx"), [("Tabelle1", s1), ("Präfix", s2)],
        sst=sst, styles=styles)

    def broken(name, rows, sst=None):
        raw(os.path.join(d, name), [("Blatt", sheet(rows))], sst=sst)

    broken("badref.xlsx", '<row r="1"><c r="XFE1"><v>1</v></c></row>')
    broken("badref2.xlsx", '<row r="1"><c r="A1048577"><v>1</v></c></row>')
    broken("far.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>'
           '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>')
    broken("badsyntax.xlsx", '<row r="1"><c r="1A"><v>1</v></c></row>')
    broken("badxml.xlsx", '<row r="1"><c r="A1"><v>1</v></row>')
    broken("badsst.xlsx", '<row r="1"><c r="A1" t="s"><v>9</v></c></row>',
           sst="<si><t>a</t></si>")
    broken("badnum.xlsx", '<row r="1"><c r="B1"><v>12a</v></c></row>')
    broken("dup.xlsx", '<row r="1"><c r="A1"><v>1</v></c>'
           '<c r="A1"><v>2</v></c></row>')
    raw(os.path.join(d, "dtd.xlsx"), [("Blatt", '<?xml version="1.0"?>'
        '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{NS}"><sheetData><row><c t="inlineStr"><is><t>'
        "&b;</t></is></c></row></sheetData></worksheet>")])
    raw(os.path.join(d, "noworkbook.xlsx"), [], workbook=False,
        extra={"hello.txt": "Hallo"})
    with open(os.path.join(d, "notzip.xlsx"), "w") as f:
        f.write("Datum;Einheit;Personen\n05.03.2024;Kiel;4\n")


def check(path):
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Quoten", "Quelle"], wb.sheetnames
    ws = wb["Quoten"]
    assert ws.freeze_panes == "A2", ws.freeze_panes
    assert ws.auto_filter.ref == "A1:F5", ws.auto_filter.ref
    assert [c.value for c in ws[1]] == ["Einheit", "Personen", "Anteil",
                                        "Erfüllung", "Stichtag", "Jahr"]
    assert all(c.font.b for c in ws[1])
    row = [c.value for c in ws[2]]
    assert row == ["Kiel", 1234, 7.45679, 0.9512,
                   datetime.datetime(2024, 3, 5), 2024], row
    fmts = [c.number_format for c in ws[2]]
    assert fmts == ["General", "#,##0", "#,##0.000", "0.00%", "DD.MM.YYYY",
                    "0"], fmts
    assert not any(c.font.b for c in ws[2])
    row = [c.value for c in ws[3]]
    assert row == ["Lübeck – Süd", -12, 0.1, 1,
                   datetime.datetime(1900, 1, 15), 2023], row
    assert [c.value for c in ws[4]] == [None, 0, None, None, None, None]
    row = [c.value for c in ws[5]]
    assert row == ["Summe", 1222, 7.55679, None, None, None], row
    assert all(c.font.b for c in ws[5])
    assert ws.max_row == 5
    wa = ws.column_dimensions["A"].width
    assert len("Lübeck – Süd") + 1 <= wa <= 60, wa
    ab = wb["Quelle"]
    # hafen writes inline strings (libxlsxwriter's constant-memory mode);
    # openpyxl decodes _xHHHH_ escapes only in shared strings, so do it
    # here as Excel does for both
    assert [(r[0].value, unescape(r[1].value)) for r in ab.iter_rows()] == [
        ("Titel", "Quoten 2024"), ("Quelle", "hafen 0.1.0"),
        ("Erstellt", "2024-03-05T10:00:00Z"),
        ("Zeichen", "_x0041_ <&> _x005f_")]
    assert ab["A1"].font.b and not ab["B1"].font.b


if __name__ == "__main__":
    if sys.argv[1] == "make":
        office(sys.argv[2])
        excel_like(sys.argv[2])
    else:
        check(sys.argv[2])
