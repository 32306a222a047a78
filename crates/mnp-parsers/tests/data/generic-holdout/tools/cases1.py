# Hand-written held-out cases, part 1. Expected windows are computed by hand (UTC),
# the "check" entries (local time + zone as written in the mail) are only used to
# re-verify the hand arithmetic with zoneinfo afterwards.
CASES = []

def case(**kw):
    CASES.append(kw)

OUTLOOK_HEAD = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!--
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
table.MsoTableGrid {border-collapse:collapse; border:none;}
td {border:solid windowtext 1.0pt; padding:0cm 5.4pt 0cm 5.4pt;}
--></style></head>
"""

# ---------------------------------------------------------------- nordlicht (German, QP)
case(vendor="nordlicht", case="nordlicht1",
 headers={"From": "Nordlicht Fiber NOC <wartung@nordlicht-fiber.example>",
          "To": "noc@halden-net.example",
          "Subject": "Geplante Wartungsarbeiten NLF-WA-2025-0311",
          "Date": "Tue, 25 Feb 2025 09:14:00 +0100"},
 parts=[("plain", "quoted-printable", """Sehr geehrte Kundin, sehr geehrter Kunde,

wir führen in unserem Netz geplante Wartungsarbeiten durch. Dabei kommt es zu einer
Unterbrechung der unten aufgeführten Dienste.

Wartungsnummer:   NLF-WA-2025-0311
Kundennummer:     KD-448120
Grund:            Austausch eines Glasfaserkabels zwischen Kassel und Göttingen

Beginn:           Dienstag, 11.03.2025 01:00 MEZ
Ende:             Dienstag, 11.03.2025 05:00 MEZ
(Alle Zeiten in MEZ, UTC+1.)

Betroffene Leitungen:
  NLF/ETH/100234   Ethernet 10G   Kassel - Göttingen
  NLF/ETH/100871   Ethernet 1G    Kassel - Hannover

Auswirkung: Ausfall der Dienste für bis zu 4 Stunden während des Wartungsfensters.

Bei Rückfragen erreichen Sie unser NOC unter +49 561 0000 000.

Mit freundlichen Grüßen
Ihr Nordlicht Fiber NOC
""")],
 notes=["German: Beginn/Ende = start/end, MEZ = CET = UTC+1 (stated in the mail); 01:00 MEZ = 00:00Z.",
        "Kundennummer (customer number) is the account.",
        "Auswirkung: Ausfall (outage) of up to 4 hours -> OUTAGE for both lines."],
 expected=[dict(account="KD-448120", maintenanceId="NLF-WA-2025-0311", status="CONFIRMED",
    begin="2025-03-11T00:00:00Z", end="2025-03-11T04:00:00Z",
    circuits=[("NLF/ETH/100234", "OUTAGE"), ("NLF/ETH/100871", "OUTAGE")],
    check=("2025-03-11 01:00", "2025-03-11 05:00", "Europe/Berlin"))])

case(vendor="nordlicht", case="nordlicht2",
 headers={"From": "Nordlicht Fiber NOC <wartung@nordlicht-fiber.example>",
          "To": "noc@halden-net.example",
          "Subject": "REMINDER: Planned maintenance NLF-WA-2025-0617 - loss of redundancy",
          "Date": "Mon, 16 Jun 2025 10:02:11 +0200"},
 parts=[("plain", "7bit", """Dear customer,

This is a reminder of the planned maintenance below.

Maintenance reference: NLF-WA-2025-0617
Start: Tuesday, 17 June 2025 23:00 (Frankfurt time)
End:   Wednesday, 18 June 2025 03:00 (Frankfurt time)

Work: software upgrade of the core routers in our Frankfurt (FRA2) site.

Affected services:
  NLF/WAVE/300112  - 100G wavelength FRA2-AMS1
  NLF/IPT/500067   - IP transit 10G, FRA2

Impact: your services are protected. During the window they will run on the
secondary path only (loss of redundancy). No interruption is expected.

Best regards,
Nordlicht Fiber NOC
""")],
 notes=["Reminder -> CONFIRMED.", "Frankfurt time in June is CEST (UTC+2): 23:00 -> 21:00Z, 03:00 next day -> 01:00Z.",
        "Loss of redundancy, no interruption -> REDUCED-REDUNDANCY.", "No customer/account label -> account empty."],
 expected=[dict(account="", maintenanceId="NLF-WA-2025-0617", status="CONFIRMED",
    begin="2025-06-17T21:00:00Z", end="2025-06-18T01:00:00Z",
    circuits=[("NLF/WAVE/300112", "REDUCED-REDUNDANCY"), ("NLF/IPT/500067", "REDUCED-REDUNDANCY")],
    check=("2025-06-17 23:00", "2025-06-18 03:00", "Europe/Berlin"))])

# ---------------------------------------------------------------- brightwave (HTML tables with header rows)
BW_STYLE = "<style>table{border-collapse:collapse}th{background:#003366;color:#fff;padding:4px}td{border:1px solid #999;padding:4px}</style>"
case(vendor="brightwave", case="brightwave1",
 headers={"From": "Brightwave Network Operations <maintenance@brightwave.example.net>",
          "To": "noc@halden-net.example",
          "Subject": "[Brightwave] Scheduled Maintenance BWM-240871 - New",
          "Date": "Thu, 27 Mar 2025 16:40:00 +0000"},
 parts=[("html", "quoted-printable", f"""<html><head>{BW_STYLE}</head><body>
<p>Dear Halden Networks,</p>
<p>Brightwave will perform scheduled maintenance to relocate fibre cables away from road works
on the London - Slough route. Details of the work and the affected services are below.</p>
<table>
<tr><th>Ticket</th><th>Status</th><th>Start (UTC)</th><th>End (UTC)</th></tr>
<tr><td>BWM-240871</td><td>Scheduled</td><td>2025-04-08 02:00</td><td>2025-04-08 06:00</td></tr>
</table>
<p>Affected services:</p>
<table>
<tr><th>Account</th><th>Circuit ID</th><th>Service</th><th>A-End</th><th>Z-End</th><th>Expected impact</th></tr>
<tr><td>BW-ACC-70021</td><td>BW-WAVE-004512</td><td>10G Wave</td><td>London LD8</td><td>Slough SL1</td><td>Outage - up to 4 hours</td></tr>
<tr><td>BW-ACC-70021</td><td>BW-ETH-019930</td><td>1G Ethernet</td><td>London LD8</td><td>Reading RD2</td><td>Outage - up to 4 hours</td></tr>
</table>
<p>If you have questions, reply to this mail quoting the ticket number.</p>
<p>Brightwave Network Operations<br>+44 20 0000 0000</p>
</body></html>
""")],
 notes=["Window given in a table with 'Start (UTC)'/'End (UTC)' headers.", "Account column -> account BW-ACC-70021."],
 expected=[dict(account="BW-ACC-70021", maintenanceId="BWM-240871", status="CONFIRMED",
    begin="2025-04-08T02:00:00Z", end="2025-04-08T06:00:00Z",
    circuits=[("BW-WAVE-004512", "OUTAGE"), ("BW-ETH-019930", "OUTAGE")],
    check=("2025-04-08 02:00", "2025-04-08 06:00", "UTC"))])

case(vendor="brightwave", case="brightwave2",
 headers={"From": "Brightwave Network Operations <maintenance@brightwave.example.net>",
          "To": "noc@halden-net.example",
          "Subject": "[Brightwave] Scheduled Maintenance BWM-241230 - Cancelled",
          "Date": "Fri, 02 May 2025 08:05:00 +0000"},
 parts=[("html", "quoted-printable", f"""<html><head>{BW_STYLE}</head><body>
<p>Dear Halden Networks,</p>
<p>The scheduled maintenance below has been <b>cancelled</b> and will not take place.
We apologise for any inconvenience. A new notice will be sent if the work is re-planned.</p>
<table>
<tr><th>Ticket</th><th>Status</th><th>Start (UTC)</th><th>End (UTC)</th></tr>
<tr><td>BWM-241230</td><td>Cancelled</td><td>2025-05-13 22:00</td><td>2025-05-14 02:00</td></tr>
</table>
<p>Affected services:</p>
<table>
<tr><th>Account</th><th>Circuit ID</th><th>Service</th><th>A-End</th><th>Z-End</th><th>Expected impact</th></tr>
<tr><td>BW-ACC-70021</td><td>BW-WAVE-004977</td><td>100G Wave</td><td>London LD8</td><td>Basingstoke BA1</td><td>Outage - up to 20 minutes</td></tr>
</table>
<p>Brightwave Network Operations</p>
</body></html>
""")],
 notes=["Cancellation -> CANCELLED, window = the cancelled window.", "Impact as originally planned: outage -> OUTAGE."],
 expected=[dict(account="BW-ACC-70021", maintenanceId="BWM-241230", status="CANCELLED",
    begin="2025-05-13T22:00:00Z", end="2025-05-14T02:00:00Z",
    circuits=[("BW-WAVE-004977", "OUTAGE")],
    check=("2025-05-13 22:00", "2025-05-14 02:00", "UTC"))])

# ---------------------------------------------------------------- cascadia (US, 12-hour clock, EDT)
case(vendor="cascadia", case="cascadia1",
 headers={"From": "Cascadia Transit NOC <noc-notify@cascadia.test>",
          "To": "noc@halden-net.example",
          "Subject": "Cascadia Transit Planned Maintenance Notification - CT-MX-55812",
          "Date": "Wed, 30 Apr 2025 14:22:09 -0700"},
 parts=[("plain", "7bit", """PLANNED MAINTENANCE NOTIFICATION

Customer: Halden Networks
Maintenance ID: CT-MX-55812

Cascadia Transit will be performing fiber splicing on our Albany - Syracuse
route during the window below.

Maintenance Window:
  Start: Wednesday, May 14, 2025 11:00 PM EDT
  End:   Thursday, May 15, 2025 5:00 AM EDT

Expected Impact: Hard down for the duration of the splicing (approx. 2 hours within the window).

Circuits affected:
  CSC-300412-DIA
  CSC-300415-DIA
  CSC-301009-ELAN

Please contact the Cascadia Transit NOC at 1-800-000-0000 with any questions.
""")],
 notes=["EDT = UTC-4: 11:00 PM May 14 -> 03:00Z May 15; 5:00 AM May 15 -> 09:00Z.", "Hard down -> OUTAGE."],
 expected=[dict(account="Halden Networks", maintenanceId="CT-MX-55812", status="CONFIRMED",
    begin="2025-05-15T03:00:00Z", end="2025-05-15T09:00:00Z",
    circuits=[("CSC-300412-DIA", "OUTAGE"), ("CSC-300415-DIA", "OUTAGE"), ("CSC-301009-ELAN", "OUTAGE")],
    check=("2025-05-14 23:00", "2025-05-15 05:00", "America/New_York"))])

case(vendor="cascadia", case="cascadia2",
 headers={"From": "Cascadia Transit NOC <noc-notify@cascadia.test>",
          "To": "noc@halden-net.example",
          "Subject": "RESCHEDULED: Cascadia Transit Planned Maintenance - CT-MX-56020",
          "Date": "Fri, 23 May 2025 11:05:00 -0700"},
 parts=[("plain", "quoted-printable", """PLANNED MAINTENANCE NOTIFICATION - RESCHEDULED

Customer: Halden Networks
Maintenance ID: CT-MX-56020

The maintenance previously scheduled for Tuesday, May 27, 2025 has been postponed due to
equipment delivery delays. The work has been rescheduled to the new window below.

ORIGINAL WINDOW (no longer valid):
  05/27/2025 12:00 AM - 05/27/2025 4:00 AM EDT

NEW WINDOW:
  Start: Tuesday, June 10, 2025 12:00 AM EDT
  End:   Tuesday, June 10, 2025 4:00 AM EDT

Expected Impact: Up to 30 minutes of interruption.

Circuits affected:
  CSC-300412-DIA

We apologize for any inconvenience this change may cause.
""")],
 notes=["Rescheduled -> RE-SCHEDULED with the NEW window.", "12:00 AM EDT June 10 = 04:00Z June 10; 4:00 AM EDT = 08:00Z.",
        "'Up to 30 minutes of interruption' -> OUTAGE."],
 expected=[dict(account="Halden Networks", maintenanceId="CT-MX-56020", status="RE-SCHEDULED",
    begin="2025-06-10T04:00:00Z", end="2025-06-10T08:00:00Z",
    circuits=[("CSC-300412-DIA", "OUTAGE")],
    check=("2025-06-10 00:00", "2025-06-10 04:00", "America/New_York"))])

# ---------------------------------------------------------------- meridian (Outlook-ish HTML key/value)
case(vendor="meridian", case="meridian1",
 headers={"From": "Meridian Optical Service Desk <servicedesk@meridian-optical.example>",
          "To": "noc@halden-net.example",
          "Subject": "EMERGENCY MAINTENANCE - Ref MO-EM-20250219-01",
          "Date": "Wed, 19 Feb 2025 11:48:00 +0000"},
 parts=[("html", "quoted-printable", OUTLOOK_HEAD + """<body lang="EN-GB" link="#0563C1" vlink="#954F72">
<div class="WordSection1">
<p class="MsoNormal">Dear Customer,<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Meridian Optical needs to carry out <b>emergency maintenance</b> at short notice. Please find the details below.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0">
<tr><td width="200" valign="top"><p class="MsoNormal"><b>Reference<o:p></o:p></b></p></td><td width="400" valign="top"><p class="MsoNormal">MO-EM-20250219-01<o:p></o:p></p></td></tr>
<tr><td valign="top"><p class="MsoNormal"><b>Type<o:p></o:p></b></p></td><td valign="top"><p class="MsoNormal">Emergency Maintenance<o:p></o:p></p></td></tr>
<tr><td valign="top"><p class="MsoNormal"><b>Start Date/Time<o:p></o:p></b></p></td><td valign="top"><p class="MsoNormal">19-Feb-2025 14:00 GMT<o:p></o:p></p></td></tr>
<tr><td valign="top"><p class="MsoNormal"><b>End Date/Time<o:p></o:p></b></p></td><td valign="top"><p class="MsoNormal">19-Feb-2025 16:00 GMT<o:p></o:p></p></td></tr>
<tr><td valign="top"><p class="MsoNormal"><b>Affected Circuit(s)<o:p></o:p></b></p></td><td valign="top"><p class="MsoNormal">MRD.IPT.77120<br>MRD.IPT.77121<o:p></o:p></p></td></tr>
<tr><td valign="top"><p class="MsoNormal"><b>Customer Impact<o:p></o:p></b></p></td><td valign="top"><p class="MsoNormal">Degraded service: intermittent packet loss and increased latency are expected during the window.<o:p></o:p></p></td></tr>
<tr><td valign="top"><p class="MsoNormal"><b>Reason<o:p></o:p></b></p></td><td valign="top"><p class="MsoNormal">Replacement of a line card showing rising error counters in our Manchester PoP.<o:p></o:p></p></td></tr>
</table>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Kind regards,<o:p></o:p></p>
<p class="MsoNormal"><span style="color:#1F3864">Meridian Optical Service Desk</span><o:p></o:p></p>
</div></body></html>
""")],
 notes=["Emergency maintenance announced ahead of the work -> CONFIRMED.", "GMT = UTC (February).",
        "Degraded / intermittent packet loss -> DEGRADED."],
 expected=[dict(account="", maintenanceId="MO-EM-20250219-01", status="CONFIRMED",
    begin="2025-02-19T14:00:00Z", end="2025-02-19T16:00:00Z",
    circuits=[("MRD.IPT.77120", "DEGRADED"), ("MRD.IPT.77121", "DEGRADED")],
    check=("2025-02-19 14:00", "2025-02-19 16:00", "Europe/London"))])

case(vendor="meridian", case="meridian2",
 headers={"From": "Meridian Optical Service Desk <servicedesk@meridian-optical.example>",
          "To": "noc@halden-net.example",
          "Subject": "COMPLETED - Planned Maintenance Ref MO-PW-2025-0412",
          "Date": "Sat, 12 Apr 2025 05:31:00 +0100"},
 parts=[("html", "base64", OUTLOOK_HEAD + """<body lang="EN-GB">
<div class="WordSection1">
<p class="MsoNormal">Dear Customer,<o:p></o:p></p>
<p class="MsoNormal">We are pleased to confirm that the planned maintenance below has been completed successfully. All services have been restored.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0">
<tr><td><p class="MsoNormal"><b>Reference</b></p></td><td><p class="MsoNormal">MO-PW-2025-0412</p></td></tr>
<tr><td><p class="MsoNormal"><b>Account Number</b></p></td><td><p class="MsoNormal">MO-55102</p></td></tr>
<tr><td><p class="MsoNormal"><b>Status</b></p></td><td><p class="MsoNormal">Completed</p></td></tr>
<tr><td><p class="MsoNormal"><b>Start Date/Time</b></p></td><td><p class="MsoNormal">12-Apr-2025 01:00 BST (UTC+1)</p></td></tr>
<tr><td><p class="MsoNormal"><b>End Date/Time</b></p></td><td><p class="MsoNormal">12-Apr-2025 05:00 BST (UTC+1)</p></td></tr>
<tr><td><p class="MsoNormal"><b>Affected Circuit(s)</b></p></td><td><p class="MsoNormal">MRD.WAV.10093</p></td></tr>
<tr><td><p class="MsoNormal"><b>Customer Impact</b></p></td><td><p class="MsoNormal">Service outage of up to 1 hour</p></td></tr>
</table>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Kind regards,<br>Meridian Optical Service Desk<o:p></o:p></p>
</div></body></html>
""")],
 notes=["Completion notice -> COMPLETED with the planned window.", "BST = UTC+1 (stated): 01:00 -> 00:00Z, 05:00 -> 04:00Z.",
        "Account Number -> account."],
 expected=[dict(account="MO-55102", maintenanceId="MO-PW-2025-0412", status="COMPLETED",
    begin="2025-04-12T00:00:00Z", end="2025-04-12T04:00:00Z",
    circuits=[("MRD.WAV.10093", "OUTAGE")],
    check=("2025-04-12 01:00", "2025-04-12 05:00", "Europe/London"))])

# ---------------------------------------------------------------- sierralink (Spanish)
case(vendor="sierralink", case="sierralink1",
 headers={"From": "Centro de Operaciones SierraLink <noc@sierralink.example>",
          "To": "noc@halden-net.example",
          "Subject": "Aviso de mantenimiento programado SL-MP-2025-118",
          "Date": "Thu, 06 Mar 2025 12:00:00 -0300"},
 parts=[("plain", "quoted-printable", """Estimado cliente:

Le informamos que SierraLink realizará un mantenimiento programado en su red de
fibra óptica entre Buenos Aires y Rosario.

Número de mantenimiento: SL-MP-2025-118
Cliente: Halden Networks
Fecha y hora de inicio: jueves 20/03/2025 02:00 (UTC-3, hora de Buenos Aires)
Fecha y hora de fin:    jueves 20/03/2025 06:00 (UTC-3, hora de Buenos Aires)

Circuitos afectados:
  SL-BA-0091
  SL-BA-0094

Impacto: corte total del servicio durante aproximadamente 3 horas dentro de la ventana.

Ante cualquier consulta, comuníquese con nuestro Centro de Operaciones.

Atentamente,
SierraLink
""")],
 notes=["Spanish: inicio/fin = start/end, dates dd/mm/yyyy (jueves 20/03).", "UTC-3: 02:00 -> 05:00Z, 06:00 -> 09:00Z.",
        "Cliente -> account; 'corte total del servicio' -> OUTAGE."],
 expected=[dict(account="Halden Networks", maintenanceId="SL-MP-2025-118", status="CONFIRMED",
    begin="2025-03-20T05:00:00Z", end="2025-03-20T09:00:00Z",
    circuits=[("SL-BA-0091", "OUTAGE"), ("SL-BA-0094", "OUTAGE")],
    check=("2025-03-20 02:00", "2025-03-20 06:00", "America/Argentina/Buenos_Aires"))])
