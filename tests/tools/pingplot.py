#!/usr/bin/env python3
"""pingplot.py: what a fast ping saw across an event, in figures and a plot.

The logs are those of "ping -D -O -n -i 0.01 ...": every answer and every
"no answer yet" stamped with the time of day (-D, seconds since 1970).

  pingplot.py stats LOG [T0]

prints one line: "sent N answered N lost N run N blackout MS first MS
runstart S",
where lost counts the requests never answered between the first and
the last answered one (those still in flight when ping stopped are not
losses), run is the longest run of them, blackout the time in ms
between the sending of the last request answered before that run and
of the first answered after it (0 when nothing was lost), and first the
ms from T0 (seconds since 1970) to the first answer sent after the
longest run ("-" without T0 or a run), runstart the time (seconds since
1970) the first request of that run went ("-" without a run): where a
cut that no log line marks began, as the traffic saw it.

  pingplot.py plot OUT.png TITLE T0 LOG [TITLE T0 LOG]...

draws one panel per (TITLE, T0, LOG): the round trip of each answered
request against the time it was sent, in s from T0 (a red line there),
and each lost request as a red mark above them.  Needs gnuplot (Debian:
gnuplot-nox).  Exit status 1 if a log holds no answer at all.
"""
import os
import re
import subprocess
import sys
import tempfile

ANSWER = re.compile(r"^\[(\d+\.\d+)\] .*bytes from .*icmp_seq=(\d+) .*time=([\d.]+) ms")
NOANSWER = re.compile(r"^\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)")


def parse(path):
    """{seq: (sent_s, rtt_ms)} for the answered, {seq: about_sent_s} for
    the rest (a "no answer yet" line is printed as the next one goes)."""
    answered, pending = {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            m = ANSWER.match(line)
            if m:
                t, seq, rtt = float(m[1]), int(m[2]), float(m[3])
                answered.setdefault(seq, (t - rtt / 1000.0, rtt))
                continue
            m = NOANSWER.match(line)
            if m:
                pending.setdefault(int(m[2]), float(m[1]))
    return answered, pending


def stats(path, t0=None):
    answered, pending = parse(path)
    if not answered:
        return None
    seqs = sorted(answered)
    lost = [s for s in range(seqs[0], seqs[-1] + 1) if s not in answered]
    # "no answer yet for N" comes as N + 1 goes: N went one interval
    # earlier (the median of the answered ones, not what -i asked).
    gaps = sorted((answered[b][0] - answered[a][0]) / (b - a) for a, b in zip(seqs, seqs[1:]))
    interval = gaps[len(gaps) // 2] if gaps else 0.0
    run, blackout, first, runstart = 0, 0.0, None, None
    for a, b in zip(seqs, seqs[1:]):
        if b - a - 1 > run:
            run = b - a - 1
            blackout = (answered[b][0] - answered[a][0]) * 1000.0
            first = answered[b][0]
            runstart = pending.get(a + 1, answered[a][0] + 2 * interval) - interval
    sent = max(seqs[-1], max(pending, default=0))
    return {
        "sent": sent,
        "answered": len(seqs),
        "lost": len(lost),
        "run": run,
        "blackout": round(blackout),
        "first": "-" if t0 is None or first is None else round((first - t0) * 1000.0),
        "runstart": "-" if runstart is None else "%.6f" % runstart,
        "answered_pts": [(answered[s][0], answered[s][1]) for s in seqs],
        "lost_pts": [pending[s] - interval for s in lost if s in pending],
    }


def plot(out, panels):
    with tempfile.TemporaryDirectory() as d:
        cmds = [
            "set terminal pngcairo size 1200,%d font ',10'" % (260 * len(panels)),
            "set output '%s'" % out.replace("'", "''"),
            "set multiplot layout %d,1" % len(panels),
            "set logscale y",
            "set ylabel 'round trip (ms)'",
            "set xlabel 's from the event (red line); red marks: lost, one ping every 10 ms'",
            "set grid",
            "set key top left",
        ]
        for i, (title, t0, path) in enumerate(panels):
            s = stats(path, t0)
            if s is None:
                print("pingplot: no answer in %s" % path, file=sys.stderr)
                return 1
            top = max(r for _, r in s["answered_pts"]) * 3
            a, l = os.path.join(d, "a%d" % i), os.path.join(d, "l%d" % i)
            with open(a, "w") as f:
                f.writelines("%.4f %.3f\n" % (t - t0, r) for t, r in s["answered_pts"])
            with open(l, "w") as f:
                f.writelines("%.4f %.3f\n" % (t - t0, top) for t in s["lost_pts"])
            lost = "%d lost, at most %d in a row (%d ms)" % (s["lost"], s["run"], s["blackout"])
            cmds += [
                "set title '%s: %s'" % (title.replace("'", "''"), lost),
                "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb 'red'",
                "plot '%s' using 1:2 with points pt 7 ps 0.3 lc rgb '#1f4e9c' title 'answered'" % a
                + (", '%s' using 1:2 with points pt 2 ps 0.6 lc rgb 'red' title 'lost'" % l
                   if s["lost"] else ""),
            ]
        cmds.append("unset multiplot")
        r = subprocess.run(["gnuplot"], input="\n".join(cmds) + "\n", text=True)
        return 0 if r.returncode == 0 and os.path.getsize(out) > 0 else 1


def main(argv):
    if len(argv) in (3, 4) and argv[1] == "stats":
        s = stats(argv[2], float(argv[3]) if len(argv) == 4 else None)
        if s is None:
            print("pingplot: no answer in %s" % argv[2], file=sys.stderr)
            return 1
        print("sent %(sent)d answered %(answered)d lost %(lost)d run %(run)d "
              "blackout %(blackout)d first %(first)s runstart %(runstart)s" % s)
        return 0
    if len(argv) >= 6 and argv[1] == "plot" and (len(argv) - 3) % 3 == 0:
        panels = [(argv[i], float(argv[i + 1]), argv[i + 2]) for i in range(3, len(argv), 3)]
        return plot(argv[2], panels)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
