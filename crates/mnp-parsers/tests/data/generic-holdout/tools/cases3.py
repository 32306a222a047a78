from cases1 import case, OUTLOOK_HEAD

# ---------------------------------------------------------------- ironbark (Australia, AEDT/AEST)
case(vendor="ironbark", case="ironbark1",
 headers={"From": "Ironbark Fibre Network Operations <netops@ironbark.example.net>",
          "To": "noc@halden-net.example",
          "Subject": "Ironbark Fibre - Planned Outage IBF-PO-2291",
          "Date": "Wed, 26 Feb 2025 12:00:00 +1100"},
 parts=[("html", "quoted-printable", """<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body style="margin:0;background:#f4f4f4">
<div style="max-width:640px;margin:0 auto;background:#ffffff;font-family:'Segoe UI',Arial,sans-serif;font-size:14px;color:#222">
 <div style="background:#2e5d34;color:#fff;padding:16px 20px;font-size:18px">Ironbark Fibre &mdash; Planned Outage</div>
 <div style="padding:16px 20px">
  <p>G'day,</p>
  <p>We are replacing aerial fibre on the Sydney &ndash; Melbourne route. The services below will be
  <strong>out of service for up to 4 hours</strong> within the window.</p>
  <div><span style="display:inline-block;width:170px;color:#666">Reference</span><span>IBF-PO-2291</span></div>
  <div><span style="display:inline-block;width:170px;color:#666">Start</span><span>Wednesday, 12 March 2025 00:00 AEDT (UTC+11:00)</span></div>
  <div><span style="display:inline-block;width:170px;color:#666">Finish</span><span>Wednesday, 12 March 2025 06:00 AEDT (UTC+11:00)</span></div>
  <div><span style="display:inline-block;width:170px;color:#666">Services</span><span>IBF-SYD-MEL-0301 (10G)<br>IBF-SYD-MEL-0302 (10G)<br>IBF-SYD-BNE-0077 (1G)</span></div>
  <div><span style="display:inline-block;width:170px;color:#666">Impact</span><span>Service outage</span></div>
  <p style="color:#666;font-size:12px">Ironbark Fibre Pty Ltd &middot; Network Operations &middot; 1800 000 000</p>
 </div>
</div>
</body></html>
""")],
 notes=["AEDT = UTC+11 (stated): 00:00 12 Mar -> 13:00Z 11 Mar; 06:00 -> 19:00Z 11 Mar."],
 expected=[dict(account="", maintenanceId="IBF-PO-2291", status="CONFIRMED",
    begin="2025-03-11T13:00:00Z", end="2025-03-11T19:00:00Z",
    circuits=[("IBF-SYD-MEL-0301", "OUTAGE"), ("IBF-SYD-MEL-0302", "OUTAGE"), ("IBF-SYD-BNE-0077", "OUTAGE")],
    check=("2025-03-12 00:00", "2025-03-12 06:00", "Australia/Sydney"))])

IB2_TEXT = """G'day,

Ironbark Fibre will carry out planned works on the Sydney - Perth route.

Reference: IBF-PW-2388
Start:     Monday, 12 May 2025 01:00 AEST (UTC+10:00)
Finish:    Monday, 12 May 2025 05:00 AEST (UTC+10:00)
Service:   IBF-SYD-PER-0015
Impact:    Degraded service - intermittent packet loss may be seen while amplifiers are re-tuned.
           The service is not expected to go down.

Ironbark Fibre Network Operations
"""
case(vendor="ironbark", case="ironbark2",
 headers={"From": "Ironbark Fibre Network Operations <netops@ironbark.example.net>",
          "To": "noc@halden-net.example",
          "Subject": "Ironbark Fibre - Planned Works IBF-PW-2388 (degraded service)",
          "Date": "Mon, 28 Apr 2025 09:30:00 +1000"},
 parts=[("plain", "7bit", IB2_TEXT),
        ("html", "quoted-printable", """<html><body style="font-family:'Segoe UI',Arial,sans-serif">
<p>G'day,</p>
<p>Ironbark Fibre will carry out planned works on the Sydney &ndash; Perth route.</p>
<table style="border-collapse:collapse" cellpadding="4">
<tr><td style="color:#666">Reference</td><td>IBF-PW-2388</td></tr>
<tr><td style="color:#666">Start</td><td>Monday, 12 May 2025 01:00 AEST (UTC+10:00)</td></tr>
<tr><td style="color:#666">Finish</td><td>Monday, 12 May 2025 05:00 AEST (UTC+10:00)</td></tr>
<tr><td style="color:#666">Service</td><td>IBF-SYD-PER-0015</td></tr>
<tr><td style="color:#666">Impact</td><td>Degraded service &ndash; intermittent packet loss may be seen while amplifiers are re-tuned. The service is not expected to go down.</td></tr>
</table>
<p>Ironbark Fibre Network Operations</p>
</body></html>
""")],
 alternative=True,
 notes=["multipart/alternative (plain + HTML, same content).", "AEST = UTC+10 (DST ended 6 April 2025): 01:00 12 May -> 15:00Z 11 May; 05:00 -> 19:00Z.",
        "Degraded / intermittent packet loss -> DEGRADED."],
 expected=[dict(account="", maintenanceId="IBF-PW-2388", status="CONFIRMED",
    begin="2025-05-11T15:00:00Z", end="2025-05-11T19:00:00Z",
    circuits=[("IBF-SYD-PER-0015", "DEGRADED")],
    check=("2025-05-12 01:00", "2025-05-12 05:00", "Australia/Sydney"))])

# ---------------------------------------------------------------- hudson (multipart/alternative, Eastern)
HM1_TEXT = """Hudson Metro Fiber - Maintenance Notice

Notice ID:  HMF-2025-0116
Account #:  44-10872

Date:    Thursday, January 16, 2025
Time:    12:00 AM to 6:00 AM Eastern (EST, UTC-5)
Impact:  Up to 30 minutes of interruption

Circuits:
  HMF/DF/001187
  HMF/DF/001188
  HMF/ETH/020331

Work description: relocation of dark fiber panels at 60 Hudson St, 9th floor.

Hudson Metro Fiber NOC - noc@hudsonmetro.test
"""
case(vendor="hudson", case="hudson1",
 headers={"From": "Hudson Metro Fiber NOC <noc@hudsonmetro.test>",
          "To": "noc@halden-net.example",
          "Subject": "Hudson Metro Fiber Maintenance Notice HMF-2025-0116",
          "Date": "Thu, 02 Jan 2025 16:00:00 -0500"},
 parts=[("plain", "7bit", HM1_TEXT),
        ("html", "quoted-printable", """<html><body>
<h3>Hudson Metro Fiber &ndash; Maintenance Notice</h3>
<table border="1" cellspacing="0" cellpadding="4">
<tr><th align="left">Notice ID</th><td>HMF-2025-0116</td></tr>
<tr><th align="left">Account #</th><td>44-10872</td></tr>
<tr><th align="left">Date</th><td>Thursday, January 16, 2025</td></tr>
<tr><th align="left">Time</th><td>12:00 AM to 6:00 AM Eastern (EST, UTC-5)</td></tr>
<tr><th align="left">Impact</th><td>Up to 30 minutes of interruption</td></tr>
<tr><th align="left">Circuits</th><td>HMF/DF/001187<br>HMF/DF/001188<br>HMF/ETH/020331</td></tr>
</table>
<p>Work description: relocation of dark fiber panels at 60 Hudson St, 9th floor.</p>
<p>Hudson Metro Fiber NOC &ndash; noc@hudsonmetro.test</p>
</body></html>
""")],
 alternative=True,
 notes=["Date and time in separate fields; 12:00 AM = midnight starting 16 Jan.", "EST = UTC-5: 00:00 -> 05:00Z, 06:00 -> 11:00Z.",
        "Account # -> account; up to 30 minutes of interruption -> OUTAGE."],
 expected=[dict(account="44-10872", maintenanceId="HMF-2025-0116", status="CONFIRMED",
    begin="2025-01-16T05:00:00Z", end="2025-01-16T11:00:00Z",
    circuits=[("HMF/DF/001187", "OUTAGE"), ("HMF/DF/001188", "OUTAGE"), ("HMF/ETH/020331", "OUTAGE")],
    check=("2025-01-16 00:00", "2025-01-16 06:00", "America/New_York"))])

HM2_TEXT = """REMINDER - Hudson Metro Fiber - Maintenance Notice

Notice ID:  HMF-2025-0708
Account #:  44-10872

Date:    Tuesday, July 8, 2025
Time:    1:00 AM to 5:00 AM Eastern (EDT)
Impact:  No impact expected. Work is on the redundant power feed of the cabinet only.

Circuits:
  HMF/ETH/020331
  HMF/ETH/020332

Hudson Metro Fiber NOC - noc@hudsonmetro.test
"""
case(vendor="hudson", case="hudson2",
 headers={"From": "Hudson Metro Fiber NOC <noc@hudsonmetro.test>",
          "To": "noc@halden-net.example",
          "Subject": "REMINDER - Hudson Metro Fiber Maintenance Notice HMF-2025-0708",
          "Date": "Mon, 07 Jul 2025 09:00:00 -0400"},
 parts=[("plain", "quoted-printable", HM2_TEXT),
        ("html", "base64", """<html><body>
<h3>REMINDER &ndash; Hudson Metro Fiber &ndash; Maintenance Notice</h3>
<table border="1" cellspacing="0" cellpadding="4">
<tr><th align="left">Notice ID</th><td>HMF-2025-0708</td></tr>
<tr><th align="left">Account #</th><td>44-10872</td></tr>
<tr><th align="left">Date</th><td>Tuesday, July 8, 2025</td></tr>
<tr><th align="left">Time</th><td>1:00 AM to 5:00 AM Eastern (EDT)</td></tr>
<tr><th align="left">Impact</th><td>No impact expected. Work is on the redundant power feed of the cabinet only.</td></tr>
<tr><th align="left">Circuits</th><td>HMF/ETH/020331<br>HMF/ETH/020332</td></tr>
</table>
<p>Hudson Metro Fiber NOC &ndash; noc@hudsonmetro.test</p>
</body></html>
""")],
 alternative=True,
 notes=["Reminder -> CONFIRMED.", "EDT = UTC-4: 01:00 -> 05:00Z, 05:00 -> 09:00Z.", "No impact expected -> NO-IMPACT."],
 expected=[dict(account="44-10872", maintenanceId="HMF-2025-0708", status="CONFIRMED",
    begin="2025-07-08T05:00:00Z", end="2025-07-08T09:00:00Z",
    circuits=[("HMF/ETH/020331", "NO-IMPACT"), ("HMF/ETH/020332", "NO-IMPACT")],
    check=("2025-07-08 01:00", "2025-07-08 05:00", "America/New_York"))])

# ---------------------------------------------------------------- quarry (ISO with offset; postponed with CET)
case(vendor="quarry", case="quarry1",
 headers={"From": "Quarry Networks Change Control <change-control@quarry.example>",
          "To": "noc@halden-net.example",
          "Subject": "[Quarry Networks] Planned Engineering Works QN-PEW-61102",
          "Date": "Tue, 07 Oct 2025 14:00:00 +0100"},
 parts=[("plain", "7bit", """Quarry Networks - Planned Engineering Works

Reference:            QN-PEW-61102
Scheduled Start:      2025-10-21T21:00:00+00:00
Scheduled End:        2025-10-22T03:00:00+00:00
Affected Service(s):  QN-EPL-00451, QN-EPL-00452

Impact: Loss of resilience. Your services remain in service on the alternate path;
resilience will be restored at the end of the works.

Description: replacement of the optical amplifier shelf at our Bristol node.

Quarry Networks Change Control
""")],
 notes=["ISO 8601 with +00:00.", "Loss of resilience, stays in service -> REDUCED-REDUNDANCY."],
 expected=[dict(account="", maintenanceId="QN-PEW-61102", status="CONFIRMED",
    begin="2025-10-21T21:00:00Z", end="2025-10-22T03:00:00Z",
    circuits=[("QN-EPL-00451", "REDUCED-REDUNDANCY"), ("QN-EPL-00452", "REDUCED-REDUNDANCY")],
    check=("2025-10-21 21:00", "2025-10-22 03:00", "UTC"))])

case(vendor="quarry", case="quarry2",
 headers={"From": "Quarry Networks Change Control <change-control@quarry.example>",
          "To": "noc@halden-net.example",
          "Subject": "[Quarry Networks] POSTPONED - Planned Engineering Works QN-PEW-61240",
          "Date": "Thu, 23 Oct 2025 10:00:00 +0100"},
 parts=[("plain", "7bit", """Quarry Networks - Planned Engineering Works - POSTPONED

The planned engineering works QN-PEW-61240, originally scheduled for the night of
28 October 2025, have been postponed at the request of the site owner. The new window is:

Reference:            QN-PEW-61240
Start:                Tuesday, 4 November 2025 23:00 CET
End:                  Wednesday, 5 November 2025 04:00 CET
Affected Service(s):  QN-WAV-00077

Impact: Service outage of up to 2 hours within the window.

Quarry Networks Change Control
""")],
 notes=["Postponed -> RE-SCHEDULED with the new window.", "CET = UTC+1 (November): 23:00 4 Nov -> 22:00Z; 04:00 5 Nov -> 03:00Z."],
 expected=[dict(account="", maintenanceId="QN-PEW-61240", status="RE-SCHEDULED",
    begin="2025-11-04T22:00:00Z", end="2025-11-05T03:00:00Z",
    circuits=[("QN-WAV-00077", "OUTAGE")],
    check=("2025-11-04 23:00", "2025-11-05 04:00", "Europe/Amsterdam"))])

# ---------------------------------------------------------------- saltmarsh (emergency; IST offset; 12-hour with GMT-05:00)
case(vendor="saltmarsh", case="saltmarsh1",
 headers={"From": "Saltmarsh Telecom Emergency Desk <emergency@saltmarsh.test>",
          "To": "noc@halden-net.example",
          "Subject": "URGENT: Emergency Maintenance SMT-EMG-0912 - Mumbai landing station",
          "Date": "Mon, 01 Dec 2025 18:20:00 +0530"},
 parts=[("plain", "7bit", """*** EMERGENCY MAINTENANCE ***

Ticket:   SMT-EMG-0912
Customer: Halden Networks

We must replace a failing power supply module in our Mumbai landing station tonight.
The affected service will be hard down while the module is swapped.

Start: 2025-12-02 03:00 IST (UTC+05:30)
End:   2025-12-02 06:00 IST (UTC+05:30)

Affected circuit: SMT-MUM-SIN-0458

Saltmarsh Telecom Emergency Desk
""")],
 notes=["Emergency notice before the work -> CONFIRMED.", "IST = UTC+05:30 (stated): 03:00 -> 21:30Z on 1 Dec; 06:00 -> 00:30Z on 2 Dec.",
        "Customer label -> account; hard down -> OUTAGE."],
 expected=[dict(account="Halden Networks", maintenanceId="SMT-EMG-0912", status="CONFIRMED",
    begin="2025-12-01T21:30:00Z", end="2025-12-02T00:30:00Z",
    circuits=[("SMT-MUM-SIN-0458", "OUTAGE")],
    check=("2025-12-02 03:00", "2025-12-02 06:00", "Asia/Kolkata"))])

SM2_TEXT = """EMERGENCY MAINTENANCE NOTIFICATION

Ticket:   SMT-EMG-0977
Customer: Halden Networks

A fiber cut repair on the Miami - Jacksonville route requires an emergency splice window.
Start:    December 9, 2025 10:00 PM (GMT-05:00)
End:      December 10, 2025 2:30 AM (GMT-05:00)
Impact:   Outage during splicing (expected 45-60 minutes)
Circuits: SMT-MIA-JAX-0102, SMT-MIA-JAX-0103

Saltmarsh Telecom Emergency Desk
"""
case(vendor="saltmarsh", case="saltmarsh2",
 headers={"From": "Saltmarsh Telecom Emergency Desk <emergency@saltmarsh.test>",
          "To": "noc@halden-net.example",
          "Subject": "Emergency Maintenance SMT-EMG-0977",
          "Date": "Tue, 09 Dec 2025 15:05:00 -0500"},
 parts=[("plain", "7bit", SM2_TEXT),
        ("html", "base64", """<html><body style="font-family:Tahoma,sans-serif">
<p style="color:#b00000;font-weight:bold">EMERGENCY MAINTENANCE NOTIFICATION</p>
<p>Ticket: <b>SMT-EMG-0977</b><br>Customer: Halden Networks</p>
<p>A fiber cut repair on the Miami &ndash; Jacksonville route requires an emergency splice window.</p>
<p>Start: December 9, 2025 10:00 PM (GMT-05:00)<br>
End: December 10, 2025 2:30 AM (GMT-05:00)<br>
Impact: Outage during splicing (expected 45-60 minutes)<br>
Circuits: SMT-MIA-JAX-0102, SMT-MIA-JAX-0103</p>
<p>Saltmarsh Telecom Emergency Desk</p>
</body></html>
""")],
 alternative=True,
 notes=["12-hour clock with GMT-05:00: 10:00 PM 9 Dec -> 03:00Z 10 Dec; 2:30 AM 10 Dec -> 07:30Z.",
        "Emergency notice -> CONFIRMED; outage -> OUTAGE."],
 expected=[dict(account="Halden Networks", maintenanceId="SMT-EMG-0977", status="CONFIRMED",
    begin="2025-12-10T03:00:00Z", end="2025-12-10T07:30:00Z",
    circuits=[("SMT-MIA-JAX-0102", "OUTAGE"), ("SMT-MIA-JAX-0103", "OUTAGE")],
    check=("2025-12-09 22:00", "2025-12-10 02:30", "-05:00"))])
