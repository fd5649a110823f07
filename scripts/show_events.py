"""Summarise `eventscribe extract --format jsonl` output, one line per event (developer aid)."""
import json
import sys

for line in sys.stdin:
    if not line.startswith("{"):
        print(line.rstrip())
        continue
    e = json.loads(line)
    who = lambda a: a and f"{a['name']}[{a['country']} {a['sector']}]"
    cnt = lambda c: c and f"{c['min']}..{c['max']}"
    print(e["doc_id"][:28], e["type"], e["mode"], "NEG" if e["negated"] else "", "HYP" if e["hypothetical"] else "",
          "| A:", who(e["actor"]), "| T:", who(e["target"]), "| L:", [l["name"] + "/" + str(l["country"]) for l in e["locations"]],
          "| D:", e["date"] and (e["date"]["start"], e["date"]["end"]), "| K:", cnt(e["fatalities"]), "I:", cnt(e["injured"]),
          "Ar:", cnt(e["arrested"]), "| Q:", [(q["min"], q["unit"]) for q in e["quantities"]],
          "| att:", e["attribution"] and e["attribution"]["name"], "| ev:", [x["trigger"]["text"] for x in e["evidence"]], e["responds_to"])
