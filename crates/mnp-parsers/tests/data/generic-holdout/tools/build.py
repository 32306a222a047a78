import sys, os, re, json, datetime as dt, email, email.policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo
sys.path.insert(0, os.path.dirname(__file__))
import cases1, cases2, cases3  # noqa
from cases1 import CASES

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
errors = []

def build(c):
    m = EmailMessage()
    for k, v in c["headers"].items():
        m[k] = v
    dom = re.search(r"@([\w.-]+)>?\s*$", c["headers"]["From"]).group(1)
    d = email.utils.parsedate_to_datetime(c["headers"]["Date"])
    m["Message-ID"] = f"<{c['case']}.{d.strftime('%Y%m%d%H%M%S')}@{dom}>"
    m["MIME-Version"] = "1.0"
    parts = c["parts"]
    kind, cte, body = parts[0]
    m.set_content(body, subtype=kind, charset="utf-8", cte=cte)
    for kind, a, b in parts[1:]:
        if kind == "attachment":
            m.add_attachment(b, subtype="csv", filename=a)
        else:
            assert c.get("alternative")
            m.add_alternative(b, subtype=kind, charset="utf-8", cte=a)
    if m.is_multipart():
        m.set_boundary(f"=_{c['case']}_part_boundary")
        for part in m.iter_parts():
            del part["MIME-Version"]
    return m.as_bytes(policy=email.policy.SMTP)

def utc(local, zone):
    t = dt.datetime.strptime(local, "%Y-%m-%d %H:%M")
    if zone[0] in "+-":
        sign = 1 if zone[0] == "+" else -1
        h, mi = zone[1:].split(":")
        tz = dt.timezone(sign * dt.timedelta(hours=int(h), minutes=int(mi)))
    else:
        tz = ZoneInfo(zone)
    return t.replace(tzinfo=tz).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

EN_DAYS = ["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]
MONTHS = {m: i+1 for i, m in enumerate(["january","february","march","april","may","june","july","august","september","october","november","december"])}
FR_M = {"avril": 4}
DAYNAMES = {**{d: i for i, d in enumerate(EN_DAYS)}, "dienstag": 1, "jueves": 3, "terça-feira": 1, "mardi": 1}
def weekday_checks(text, cid):
    n = 0
    for m in re.finditer(r"(?i)\b([a-zç-]+),? (\d{1,2}) ([a-z]+) (\d{4})", text):
        w, d, mo, y = m.groups()
        if w.lower() in DAYNAMES and (mo.lower() in MONTHS or mo.lower() in FR_M):
            mon = MONTHS.get(mo.lower()) or FR_M[mo.lower()]
            n += 1
            if dt.date(int(y), mon, int(d)).weekday() != DAYNAMES[w.lower()]:
                errors.append(f"{cid}: weekday wrong in {m.group(0)!r}")
    for m in re.finditer(r"(?i)\b([a-z]+), ([a-z]+) (\d{1,2}), (\d{4})", text):
        w, mo, d, y = m.groups()
        if w.lower() in DAYNAMES and mo.lower() in MONTHS:
            n += 1
            if dt.date(int(y), MONTHS[mo.lower()], int(d)).weekday() != DAYNAMES[w.lower()]:
                errors.append(f"{cid}: weekday wrong in {m.group(0)!r}")
    for m in re.finditer(r"(?i)\b([a-zç-]+),? (\d{2})[./](\d{2})[./](\d{4})", text):
        w, d, mo, y = m.groups()
        if w.lower() in DAYNAMES:
            n += 1
            if dt.date(int(y), int(mo), int(d)).weekday() != DAYNAMES[w.lower()]:
                errors.append(f"{cid}: weekday wrong in {m.group(0)!r}")
    return n

inv = []
summary = []
for c in CASES:
    cid = f"{c['vendor']}/{c['case']}"
    d = os.path.join(OUT, c["vendor"]); os.makedirs(d, exist_ok=True)
    raw = build(c)
    open(os.path.join(d, c["case"] + ".eml"), "wb").write(raw)
    # parse back and check
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    texts = []
    for part in msg.walk():
        if part.get_content_maintype() == "multipart":
            continue
        texts.append(part.get_content())
    alltext = "\n".join(texts)
    alltext = re.sub(r"<[^>]+>", " ", alltext).replace("&ndash;", "-")
    nwd = weekday_checks(alltext, cid)
    mts = []
    for e in c["expected"]:
        b = utc(e["check"][0], e["check"][2]); en = utc(e["check"][1], e["check"][2])
        if b != e["begin"] or en != e["end"]:
            errors.append(f"{cid}: hand {e['begin']}..{e['end']} != zoneinfo {b}..{en}")
        if e["maintenanceId"] not in alltext:
            errors.append(f"{cid}: id {e['maintenanceId']} not in text")
        if e["account"] and e["account"] not in alltext:
            errors.append(f"{cid}: account not in text")
        for cc, imp in e["circuits"]:
            if cc not in alltext:
                errors.append(f"{cid}: circuit {cc} not in text")
            if (c["vendor"], cc) not in inv:
                inv.append((c["vendor"], cc))
        mts.append({"provider": c["vendor"], "account": e["account"], "maintenanceId": e["maintenanceId"],
                    "status": e["status"], "beginWindow": e["begin"], "endWindow": e["end"],
                    "circuits": [{"vendorCircuitId": cc, "impact": imp} for cc, imp in e["circuits"]]})
    exp = {"vendor": c["vendor"], "case": c["case"], "notes": c["notes"], "ignore": [], "maintenances": mts}
    s = json.dumps(exp, indent=2, ensure_ascii=False) + "\n"
    json.loads(s)
    open(os.path.join(d, c["case"] + ".expected.json"), "w").write(s)
    ctypes = [p.get_content_type() + ("/" + str(p.get("Content-Transfer-Encoding", "7bit"))) for p in msg.walk()]
    summary.append((cid, nwd, " ".join(ctypes)))

with open(os.path.join(OUT, "inventory.csv"), "w") as f:
    f.write("vendor,vendorCircuitId\n")
    for v, cc in inv:
        assert "," not in cc
        f.write(f"{v},{cc}\n")
for s in summary:
    print(*s, sep="\t")
print(len(CASES), "cases", len({c['vendor'] for c in CASES}), "vendors", len(inv), "circuits")
print("ERRORS:" if errors else "no errors", *errors, sep="\n")
