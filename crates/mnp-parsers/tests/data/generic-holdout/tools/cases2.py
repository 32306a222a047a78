from cases1 import case, OUTLOOK_HEAD

# ---------------------------------------------------------------- atlantis (two consecutive nights)
case(vendor="atlantis", case="atlantis1",
 headers={"From": "Atlantis Cable Systems NOC <noc@atlantis-cable.example.net>",
          "To": "noc@halden-net.example",
          "Subject": "Planned Works ACS-PW-0914 - ATLANTIS-1 segment S2 (two nights)",
          "Date": "Mon, 25 Aug 2025 09:00:00 +0000"},
 parts=[("plain", "7bit", """PLANNED WORKS NOTIFICATION

Reference:         ACS-PW-0914
Customer account:  ACS-CUST-2210
System:            ATLANTIS-1 subsea cable, segment S2 (Bude - Halifax)

Description:
Repeater re-powering on segment S2. The work needs two consecutive nights; the
affected services will be down during each of the two windows below.

Window 1 (first night):   2025-09-09 22:00 UTC to 2025-09-10 04:00 UTC
Window 2 (second night):  2025-09-10 22:00 UTC to 2025-09-11 04:00 UTC

Impact: outage of the listed services for up to 6 hours in each window.

Affected services:
  ATL-SUB-0042-A   100G spectrum, Bude - Halifax
  ATL-SUB-0042-B   100G spectrum, Bude - Halifax

Atlantis Cable Systems - Network Operations Centre
""")],
 notes=["Two windows, both used -> two maintenances with the same reference.", "Customer account label -> account."],
 expected=[dict(account="ACS-CUST-2210", maintenanceId="ACS-PW-0914", status="CONFIRMED",
    begin="2025-09-09T22:00:00Z", end="2025-09-10T04:00:00Z",
    circuits=[("ATL-SUB-0042-A", "OUTAGE"), ("ATL-SUB-0042-B", "OUTAGE")],
    check=("2025-09-09 22:00", "2025-09-10 04:00", "UTC")),
  dict(account="ACS-CUST-2210", maintenanceId="ACS-PW-0914", status="CONFIRMED",
    begin="2025-09-10T22:00:00Z", end="2025-09-11T04:00:00Z",
    circuits=[("ATL-SUB-0042-A", "OUTAGE"), ("ATL-SUB-0042-B", "OUTAGE")],
    check=("2025-09-10 22:00", "2025-09-11 04:00", "UTC"))])

# ---------------------------------------------------------------- orbital (GMT+n offsets)
case(vendor="orbital", case="orbital1",
 headers={"From": "Orbital IX Operations <ops@orbital-ix.example>",
          "To": "noc@halden-net.example",
          "Subject": "Orbital IX maintenance notice OIX-MW-7731",
          "Date": "Tue, 14 Oct 2025 15:10:00 +0200"},
 parts=[("html", "quoted-printable", """<html><body style="font-family:Arial,Helvetica,sans-serif;font-size:13px">
<h2 style="color:#5a2d82">Orbital IX &ndash; Maintenance Notice</h2>
<p>Dear member,</p>
<p>We will replace a line card in the Orbital IX edge switch <i>edge-fra3-02</i>. Your ports
listed below will be moved to the new card; each port will flap once with an outage of up to
10 minutes.</p>
<p><b>Notice:</b> OIX-MW-7731<br>
<b>Maintenance window:</b> Tuesday, 21 October 2025 02:00 &ndash; 05:00 (GMT+2)<br>
<b>Affected ports:</b> ORB-IX-3301, ORB-IX-3302</p>
<p>Please make sure your BGP sessions over the route servers are configured on both IPv4 and IPv6.</p>
<p>Orbital IX Operations &middot; ops@orbital-ix.example</p>
</body></html>
""")],
 notes=["GMT+2 = UTC+2 explicit: 02:00 -> 00:00Z, 05:00 -> 03:00Z on 21 Oct.", "Port flap / outage up to 10 minutes -> OUTAGE."],
 expected=[dict(account="", maintenanceId="OIX-MW-7731", status="CONFIRMED",
    begin="2025-10-21T00:00:00Z", end="2025-10-21T03:00:00Z",
    circuits=[("ORB-IX-3301", "OUTAGE"), ("ORB-IX-3302", "OUTAGE")],
    check=("2025-10-21 02:00", "2025-10-21 05:00", "+02:00"))])

case(vendor="orbital", case="orbital2",
 headers={"From": "Orbital IX Operations <ops@orbital-ix.example>",
          "To": "noc@halden-net.example",
          "Subject": "Orbital IX maintenance notice OIX-MW-7790 (primary and second-night window)",
          "Date": "Mon, 03 Nov 2025 10:00:00 +0100"},
 parts=[("html", "quoted-printable", """<html><body style="font-family:Arial,Helvetica,sans-serif;font-size:13px">
<h2 style="color:#5a2d82">Orbital IX &ndash; Maintenance Notice OIX-MW-7790</h2>
<p>Dear member,</p>
<p>We will migrate one member of your link aggregation group to a new switch. While the work
is ongoing your LAG will run on a single member: <b>loss of redundancy</b>, no outage expected.
The work is planned in the primary window; the second night is reserved in case the work
cannot be finished in the first one.</p>
<table border="1" cellpadding="4" cellspacing="0">
<tr style="background:#eee"><th>Window</th><th>Start</th><th>End</th></tr>
<tr><td>Primary</td><td>2025-11-18 01:00 (GMT+1)</td><td>2025-11-18 04:00 (GMT+1)</td></tr>
<tr><td>Second night</td><td>2025-11-19 01:00 (GMT+1)</td><td>2025-11-19 04:00 (GMT+1)</td></tr>
</table>
<p><b>Affected port:</b> ORB-IX-3301</p>
<p>Orbital IX Operations</p>
</body></html>
""")],
 notes=["Two windows (primary + second night) -> two maintenances with the same notice id.",
        "GMT+1: 01:00 -> 00:00Z, 04:00 -> 03:00Z.", "Loss of redundancy -> REDUCED-REDUNDANCY."],
 expected=[dict(account="", maintenanceId="OIX-MW-7790", status="CONFIRMED",
    begin="2025-11-18T00:00:00Z", end="2025-11-18T03:00:00Z",
    circuits=[("ORB-IX-3301", "REDUCED-REDUNDANCY")],
    check=("2025-11-18 01:00", "2025-11-18 04:00", "+01:00")),
  dict(account="", maintenanceId="OIX-MW-7790", status="CONFIRMED",
    begin="2025-11-19T00:00:00Z", end="2025-11-19T03:00:00Z",
    circuits=[("ORB-IX-3301", "REDUCED-REDUNDANCY")],
    check=("2025-11-19 01:00", "2025-11-19 04:00", "+01:00"))])

# ---------------------------------------------------------------- kestrel (forwarded; CSV attachment)
case(vendor="kestrel", case="kestrel1",
 headers={"From": "Ana Lindqvist <ana.lindqvist@halden-net.example>",
          "To": "noc@halden-net.example",
          "Subject": "Fwd: Kestrel Networks Maintenance Notification KN-CHG-003391",
          "Date": "Thu, 10 Jul 2025 08:12:00 +0200"},
 parts=[("plain", "7bit", """FYI - this hits both Oslo uplinks, please plan the traffic shift.

Ana

---------- Forwarded message ---------
From: Kestrel Networks Change Management <change@kestrel.test>
Date: Wed, 9 Jul 2025 at 17:45
Subject: Kestrel Networks Maintenance Notification KN-CHG-003391
To: <noc@halden-net.example>


Dear Customer,

Kestrel Networks will carry out planned maintenance on the following service(s).

Change reference : KN-CHG-003391
Start            : 2025-07-22 22:00 CEST
End              : 2025-07-23 05:00 CEST
Service ID(s)    : KST/10G/88213, KST/10G/88214
Impact           : Service interruption of up to 2 x 15 minutes within the window

Reason: fibre route diversion near Drammen.

Kind regards,
Kestrel Networks NOC
""")],
 notes=["Forwarded by a colleague; provider is the original sender (Kestrel).",
        "CEST = UTC+2: 22:00 -> 20:00Z, 05:00 next day -> 03:00Z.", "Service interruption -> OUTAGE."],
 expected=[dict(account="", maintenanceId="KN-CHG-003391", status="CONFIRMED",
    begin="2025-07-22T20:00:00Z", end="2025-07-23T03:00:00Z",
    circuits=[("KST/10G/88213", "OUTAGE"), ("KST/10G/88214", "OUTAGE")],
    check=("2025-07-22 22:00", "2025-07-23 05:00", "Europe/Oslo"))])

case(vendor="kestrel", case="kestrel2",
 headers={"From": "Kestrel Networks Change Management <change@kestrel.test>",
          "To": "noc@halden-net.example",
          "Subject": "Kestrel Networks Maintenance Notification KN-CHG-003455",
          "Date": "Mon, 18 Aug 2025 13:30:00 +0200"},
 parts=[("plain", "7bit", """Dear Customer,

Kestrel Networks will carry out planned maintenance on the Oslo - Stockholm backbone.

Change reference : KN-CHG-003455
Customer account : KN-C-4471
Start            : 2025-09-02 01:00 CEST
End              : 2025-09-02 05:00 CEST

The affected services and the expected impact on each of them are listed in the attached
file KN-CHG-003455-services.csv.

Kind regards,
Kestrel Networks NOC
"""),
  ("attachment", "KN-CHG-003455-services.csv", """service_id,service_type,a_end,b_end,expected_impact
KST/10G/88213,Ethernet 10G,OSL1,STO2,Loss of redundancy
KST/1G/90120,Ethernet 1G,OSL1,STO1,Loss of redundancy
KST/WAVE/40011,Wavelength 100G,OSL2,STO2,Outage (up to 2 hours)
""")],
 notes=["Circuits and per-circuit impact only in the CSV attachment.", "CEST = UTC+2: 01:00 -> 23:00Z the day before, 05:00 -> 03:00Z.",
        "Customer account label -> account."],
 expected=[dict(account="KN-C-4471", maintenanceId="KN-CHG-003455", status="CONFIRMED",
    begin="2025-09-01T23:00:00Z", end="2025-09-02T03:00:00Z",
    circuits=[("KST/10G/88213", "REDUCED-REDUNDANCY"), ("KST/1G/90120", "REDUCED-REDUNDANCY"), ("KST/WAVE/40011", "OUTAGE")],
    check=("2025-09-02 01:00", "2025-09-02 05:00", "Europe/Oslo"))])

# ---------------------------------------------------------------- polaris (base64, explicit layout hints)
case(vendor="polaris", case="polaris1",
 headers={"From": "Polaris Telecom NOC <noc@polaris-telecom.example>",
          "To": "noc@halden-net.example",
          "Subject": "Polaris Telecom - Scheduled Maintenance PT-SM-10442",
          "Date": "Mon, 24 Feb 2025 18:00:00 +0000"},
 parts=[("plain", "base64", """Polaris Telecom Scheduled Maintenance

Ticket:  PT-SM-10442
Account: PT-ACCT-00917

All dates in this notice are in MM/DD/YYYY format and all times are UTC.

Maintenance window: 03/04/2025 22:00 - 03/05/2025 04:00

Circuits:
  PLR-2209-ETH   (Impact: Outage, approx. 45 minutes)
  PLR-2210-ETH   (Impact: Outage, approx. 45 minutes)

Reason: migration of the Dublin aggregation router to new hardware.

Polaris Telecom Network Operations
""")],
 notes=["Explicit MM/DD/YYYY hint: 03/04/2025 = 4 March 2025, 03/05/2025 = 5 March 2025, UTC.", "Account label -> account."],
 expected=[dict(account="PT-ACCT-00917", maintenanceId="PT-SM-10442", status="CONFIRMED",
    begin="2025-03-04T22:00:00Z", end="2025-03-05T04:00:00Z",
    circuits=[("PLR-2209-ETH", "OUTAGE"), ("PLR-2210-ETH", "OUTAGE")],
    check=("2025-03-04 22:00", "2025-03-05 04:00", "UTC"))])

case(vendor="polaris", case="polaris2",
 headers={"From": "Polaris Telecom NOC <noc@polaris-telecom.example>",
          "To": "noc@halden-net.example",
          "Subject": "Polaris Telecom - Scheduled Maintenance PT-SM-10987 - Reminder",
          "Date": "Fri, 11 Jul 2025 09:00:00 +0100"},
 parts=[("plain", "base64", """Polaris Telecom Scheduled Maintenance - REMINDER

Ticket:  PT-SM-10987
Account: PT-ACCT-00917

Dates below are DD/MM/YYYY. Times are UK local time (BST, UTC+1).

Start: 15/07/2025 23:00
End:   16/07/2025 03:00

Circuit: PLR-3301-WAV
Impact:  degraded performance - traffic is rerouted over a longer path; expect higher
         latency and possible intermittent packet loss.

Polaris Telecom Network Operations
""")],
 notes=["Reminder -> CONFIRMED.", "DD/MM/YYYY hint, BST = UTC+1: 23:00 15 Jul -> 22:00Z, 03:00 16 Jul -> 02:00Z.",
        "Degraded / intermittent loss -> DEGRADED."],
 expected=[dict(account="PT-ACCT-00917", maintenanceId="PT-SM-10987", status="CONFIRMED",
    begin="2025-07-15T22:00:00Z", end="2025-07-16T02:00:00Z",
    circuits=[("PLR-3301-WAV", "DEGRADED")],
    check=("2025-07-15 23:00", "2025-07-16 03:00", "Europe/London"))])

# ---------------------------------------------------------------- tern ("22:00-04:00 UTC on 11 March")
case(vendor="tern", case="tern1",
 headers={"From": "Tern Data Networks <maintenance@terndata.example>",
          "To": "noc@halden-net.example",
          "Subject": "Tern Data maintenance TD-4471 on 11 March 2025",
          "Date": "Tue, 04 Mar 2025 10:00:00 +0000"},
 parts=[("plain", "7bit", """Hello,

We will upgrade the optical line system between Manchester and Leeds.

Reference: TD-4471
When:      22:00-04:00 UTC on 11 March 2025 (overnight, ending 04:00 UTC on 12 March)
Impact:    two short outages of up to 5 minutes each while traffic is switched

Circuits:  TDN-MAN-LDS-0007, TDN-MAN-LDS-0012

Thanks,
Tern Data Networks operations
""")],
 notes=["Overnight window 22:00 11 Mar to 04:00 12 Mar UTC.", "Short outages -> OUTAGE."],
 expected=[dict(account="", maintenanceId="TD-4471", status="CONFIRMED",
    begin="2025-03-11T22:00:00Z", end="2025-03-12T04:00:00Z",
    circuits=[("TDN-MAN-LDS-0007", "OUTAGE"), ("TDN-MAN-LDS-0012", "OUTAGE")],
    check=("2025-03-11 22:00", "2025-03-12 04:00", "UTC"))])

case(vendor="tern", case="tern2",
 headers={"From": "Tern Data Networks <maintenance@terndata.example>",
          "To": "noc@halden-net.example",
          "Subject": "IN PROGRESS: Tern Data maintenance TD-4502",
          "Date": "Tue, 15 Apr 2025 23:41:00 +0000"},
 parts=[("plain", "7bit", """Hello,

Maintenance TD-4502 has started and is now in progress.

Reference: TD-4502
When:      23:30 UTC on 15 April 2025 until 03:30 UTC on 16 April 2025
Impact:    no impact expected - your circuit is protected and stays on its working path

Circuit:   TDN-LDS-NCL-0003

We will send a further update when the work is complete.

Tern Data Networks operations
""")],
 notes=["In progress -> IN-PROCESS.", "No impact expected -> NO-IMPACT."],
 expected=[dict(account="", maintenanceId="TD-4502", status="IN-PROCESS",
    begin="2025-04-15T23:30:00Z", end="2025-04-16T03:30:00Z",
    circuits=[("TDN-LDS-NCL-0003", "NO-IMPACT")],
    check=("2025-04-15 23:30", "2025-04-16 03:30", "UTC"))])

# ---------------------------------------------------------------- vasco (Portuguese HTML)
case(vendor="vasco", case="vasco1",
 headers={"From": "Centro de Operações Vasco Redes <noc@vascoredes.example>",
          "To": "noc@halden-net.example",
          "Subject": "Manutenção programada VR-MNT-2025-0325",
          "Date": "Mon, 10 Mar 2025 15:00:00 -0300"},
 parts=[("html", "quoted-printable", """<html><head><meta charset="utf-8"></head><body style="font-family:Verdana,sans-serif">
<p>Prezado cliente,</p>
<p>Informamos que a Vasco Redes realizará uma manutenção programada na rota óptica São Paulo &ndash; Rio de Janeiro.</p>
<table cellpadding="3">
<tr><td><b>Número da manutenção:</b></td><td>VR-MNT-2025-0325</td></tr>
<tr><td><b>Cliente:</b></td><td>Halden Networks</td></tr>
<tr><td><b>Início:</b></td><td>terça-feira, 25/03/2025 00:00 (horário de Brasília, UTC-3)</td></tr>
<tr><td><b>Término:</b></td><td>terça-feira, 25/03/2025 05:00 (horário de Brasília, UTC-3)</td></tr>
<tr><td><b>Circuitos afetados:</b></td><td>VR-SP-RJ-1120</td></tr>
<tr><td><b>Impacto:</b></td><td>interrupção de até 30 minutos</td></tr>
</table>
<p>Atenciosamente,<br>Centro de Operações de Rede &ndash; Vasco Redes</p>
</body></html>
""")],
 notes=["Portuguese: início/término = start/end, dd/mm/yyyy (25/03).", "UTC-3: 00:00 -> 03:00Z, 05:00 -> 08:00Z.",
        "Cliente -> account; interrupção de até 30 minutos -> OUTAGE."],
 expected=[dict(account="Halden Networks", maintenanceId="VR-MNT-2025-0325", status="CONFIRMED",
    begin="2025-03-25T03:00:00Z", end="2025-03-25T08:00:00Z",
    circuits=[("VR-SP-RJ-1120", "OUTAGE")],
    check=("2025-03-25 00:00", "2025-03-25 05:00", "America/Sao_Paulo"))])

# ---------------------------------------------------------------- lumiere (French)
case(vendor="lumiere", case="lumiere1",
 headers={"From": "Lumière Télécom - Supervision <supervision@lumiere-telecom.example>",
          "To": "noc@halden-net.example",
          "Subject": "Avis de travaux programmés LT-TP-88412",
          "Date": "Mon, 24 Mar 2025 11:00:00 +0100"},
 parts=[("plain", "quoted-printable", """Madame, Monsieur,

Dans le cadre de l'amélioration de notre réseau, Lumière Télécom réalisera des travaux
de maintenance programmés.

Référence :         LT-TP-88412
Numéro de client :  LT-CL-30018
Début :             mardi 8 avril 2025 à 00h00 (heure de Paris)
Fin :               mardi 8 avril 2025 à 06h00 (heure de Paris)

Liens concernés :
 - LT-LIAISON-5521
 - LT-LIAISON-5522

Impact : perte de redondance (sécurisation) pendant la durée des travaux ; aucune coupure
n'est prévue.

Cordialement,
Le service Supervision de Lumière Télécom
""")],
 notes=["French: début/fin = start/end; Paris time on 8 April 2025 is CEST (UTC+2, DST began 30 March).",
        "00h00 -> 22:00Z on 7 April; 06h00 -> 04:00Z on 8 April.", "Numéro de client -> account.",
        "Perte de redondance, aucune coupure -> REDUCED-REDUNDANCY."],
 expected=[dict(account="LT-CL-30018", maintenanceId="LT-TP-88412", status="CONFIRMED",
    begin="2025-04-07T22:00:00Z", end="2025-04-08T04:00:00Z",
    circuits=[("LT-LIAISON-5521", "REDUCED-REDUNDANCY"), ("LT-LIAISON-5522", "REDUCED-REDUNDANCY")],
    check=("2025-04-08 00:00", "2025-04-08 06:00", "Europe/Paris"))])
