#!/usr/bin/env python3
"""The benchmark: portail (and Hugo, when installed) on generated portals.

    python3 bench/bench.py                      # 1,000 and 10,000 pairs, 5 runs each
    python3 bench/bench.py --pairs 1000 --runs 7 --work /dev/shm/portail-bench
    python3 bench/bench.py --deep               # safe mode on pages nested 100,000 levels

Builds the release binary, generates each corpus with bench/corpus.py (in
portail's layout and, if `hugo` is on the PATH, in Hugo's), then for each
size runs one warm-up build per tool and `--runs` timed builds, the tools
alternating. It prints a Markdown table: full-build wall time (median and
min–max), peak RSS, output size, search index bytes (raw and gzipped,
index plus document store, both languages) and, for portail, the time from
saving one page's body to `serve` having written the rebuilt pages, and then
the search indexes. Each tool writes into an output folder removed before
each run (untimed). Hugo builds no search index; its row is the same site
without one (its own `hugo server` is not timed: it keeps the site in memory,
so there is no "written output" to compare).
"""

import argparse
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "portail")
ENV = dict(os.environ, LANG="C", LC_ALL="C")


def timed(command, cwd, output):
    """Runs `command` into a fresh `output` (removed first, untimed); returns
    (wall seconds, peak RSS in bytes)."""
    shutil.rmtree(output, ignore_errors=True)
    handle, rusage_file = tempfile.mkstemp(prefix="portail-bench-time-")
    os.close(handle)
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rusage_file] + command,
                            cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit("failed: {}\n{}".format(" ".join(command), result.stderr.decode(errors="replace")))
    with open(rusage_file) as f:
        peak_kb = int(f.read().split()[-1])
    os.remove(rusage_file)
    return wall, peak_kb * 1024


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def file_counts(output):
    """HTML and XML files: a check that both tools built the same site."""
    html = xml = 0
    for _, _, files in os.walk(output):
        html += sum(f.endswith(".html") for f in files)
        xml += sum(f.endswith(".xml") for f in files)
    return html, xml


def search_bytes(output):
    raw = gz = 0
    for d, _, files in os.walk(os.path.join(output, "search")):
        for f in files:
            if f in ("index.json", "documents.json"):
                data = open(os.path.join(d, f), "rb").read()
                raw += len(data)
                gz += len(gzip.compress(data, compresslevel=6))
    return raw, gz


def serve_latency(site, edits, work):
    """For `edits` saves of a page's body, `edits` saves of its title, then
    `edits` saves that add a new page or delete it again: seconds until
    `serve` has written the rebuilt pages, and until it has written the
    search indexes too (the whole output), per kind of save. The next save
    waits for both."""
    env = dict(ENV, TMPDIR=work)  # serve's output folder on the same disk as the rest
    process = subprocess.Popen([BIN, "serve", "--port", "0", "--root", site], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               errors="replace")
    lines = []
    arrived = threading.Condition()

    def read():
        for line in process.stderr:
            with arrived:
                lines.append((time.perf_counter(), line))
                arrived.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_for(pattern, after):
        deadline = time.perf_counter() + 600
        with arrived:
            while True:
                for at, line in lines[after:]:
                    if "Build failed" in line:
                        sys.exit("serve failed:\n" + "".join(l for _, l in lines))
                    if re.search(pattern, line):
                        return at, line
                if time.perf_counter() > deadline or process.poll() is not None:
                    sys.exit("serve never said {!r}:\n{}".format(pattern, "".join(l for _, l in lines)))
                arrived.wait(1)

    try:
        wait_for("Serving the site at", 0)
        folder = os.path.join(site, "content", "news")
        name = sorted(f for f in os.listdir(folder) if f.endswith(".fr.md") and not f.startswith("_"))[0]
        page = os.path.join(folder, name)
        original = open(page, encoding="utf-8").read()
        new_name = "zz-benchmark-new-page.fr.md"
        new_page = os.path.join(folder, new_name)
        new_text = original.replace('title = "', 'title = "New: ', 1)

        def write(path, text):
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

        def add_or_delete(i):
            if i % 2 == 0:
                write(new_page, new_text)
            else:
                os.remove(new_page)

        kinds = {
            "text": (name, lambda i: write(page, original + "\nA benchmark edit, number {}.\n".format(i))),
            "title": (name, lambda i: write(page, original.replace('title = "', 'title = "Edit {}: '.format(i), 1))),
            "new page": (new_name, add_or_delete),
        }
        times = {}
        for kind, (changed, save) in kinds.items():
            pages, whole = [], []
            for i in range(edits):
                time.sleep(0.5)
                seen = len(lines)
                saved = time.perf_counter()
                save(i)
                at, line = wait_for("Rebuilt in", seen)
                if changed not in line:
                    sys.exit("serve rebuilt for another change: " + line)
                pages.append(at - saved)
                at, _ = wait_for("Search indexes updated in", seen)
                whole.append(at - saved)
            times[kind] = (pages, whole)
        write(page, original)
        if os.path.exists(new_page):
            os.remove(new_page)
        return times
    finally:
        process.terminate()
        process.wait()


def filesystem(path):
    """The type of file system `path` is on (tmpfs, ext4…), from /proc/mounts."""
    path = os.path.realpath(path)
    best, kind = "", "unknown"
    try:
        for line in open("/proc/mounts"):
            _, mount, fstype = line.split()[:3]
            if path.startswith(mount) and len(mount) > len(best):
                best, kind = mount, fstype
    except OSError:
        pass
    return kind


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                memory = "{:.0f} GB RAM".format(int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return "{} × {}, {}, {} {}, {}".format(os.cpu_count(), cpu, memory, platform.system(),
                                          platform.release(), rustc)


def fmt_ms(values):
    return "{:.0f} ms ({:.0f}–{:.0f})".format(statistics.median(values) * 1000, min(values) * 1000,
                                             max(values) * 1000)


def latency(times):
    """`pages / search indexes`, in milliseconds, or a dash when not timed."""
    if not times:
        return "–"
    pages, whole = times
    return "{} / {}".format(fmt_ms(pages), fmt_ms(whole))


def fmt_seconds(values):
    return "{:.2f} s ({:.2f}–{:.2f})".format(statistics.median(values), min(values), max(values))


def mb(n):
    return "{:.0f} MB".format(n / 1e6) if n >= 1e7 else "{:.1f} MB".format(n / 1e6)


def deep_nesting(work, runs):
    """`[markdown] safe = true` on pages nested 100,000 levels deep (quotes,
    HTML elements, both): the time to the build's located errors."""
    site = os.path.join(work, "deep")
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([BIN, "init", site], env=ENV, check=True, capture_output=True)
    with open(os.path.join(site, "config.toml"), "a") as f:
        f.write("\n[markdown]\nsafe = true\n")
    bodies = {
        "quotes": ">" * 100000 + " x",
        "divs": "<div>" * 100000 + "x" + "</div>" * 100000,
        "both": "> <div>" * 50000 + "x",
    }
    for name, body in bodies.items():
        with open(os.path.join(site, "content", "news", name + ".fr.md"), "w") as f:
            f.write('+++\ntitle = "{}"\ndate = 2024-01-01\n+++\n{}\n'.format(name, body))
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run([BIN, "build", "--root", site], env=ENV, capture_output=True)
        walls.append(time.perf_counter() - started)
        if result.returncode != 1 or result.stderr.count(b"levels deep") != len(bodies):
            sys.exit("expected one located error per page:\n" + result.stderr.decode(errors="replace"))
    print("| safe mode, 3 pages nested 100,000 levels | {} |".format(fmt_seconds(walls)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5, help="timed builds per tool (at least 1)")
    parser.add_argument("--edits", type=int, default=5, help="saves timed in serve (0: none)")
    parser.add_argument("--work", default=os.path.join(ROOT, "target", "bench"))
    parser.add_argument("--no-hugo", action="store_true", help="even if hugo is installed")
    parser.add_argument("--deep", action="store_true", help="only safe mode on deep nesting")
    args = parser.parse_args()
    if args.runs < 1 or min(args.pairs) < 10:
        sys.exit("--runs must be at least 1 and --pairs at least 10")

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if args.deep:
        os.makedirs(args.work, exist_ok=True)
        print("| case | build to its errors, median (min–max) |\n| --- | ---: |")
        deep_nesting(args.work, args.runs)
        return
    hugo = None if args.no_hugo else shutil.which("hugo")
    os.makedirs(args.work, exist_ok=True)
    print("Machine: " + machine())
    if hugo:
        print("Hugo: " + subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())
    print()
    print("Work folder: {} ({})".format(args.work, filesystem(args.work)))
    print()
    print("| tool | pairs | full build, median (min–max) | peak RSS (max) | output (HTML, XML files) | search index (raw / gzip) | `serve`, text edit: save → pages written / → search indexes written | title edit: save → pages / → search indexes | page added or deleted: save → pages / → search indexes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for pairs in args.pairs:
        site = os.path.join(args.work, "portail-{}".format(pairs))
        out = os.path.join(args.work, "out-portail-{}".format(pairs))
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "corpus.py"), "--pairs",
                        str(pairs), "--out", site], check=True)
        tools = [("portail", [BIN, "build", "--root", site, "--output", out], None, out)]
        if hugo:
            hugo_site = os.path.join(args.work, "hugo-{}".format(pairs))
            hugo_out = os.path.join(args.work, "out-hugo-{}".format(pairs))
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "corpus.py"), "--pairs",
                            str(pairs), "--out", hugo_site, "--flavor", "hugo"], check=True)
            tools.append(("Hugo", [hugo, "--quiet", "--cleanDestinationDir", "-d", hugo_out],
                          hugo_site, hugo_out))
        results = {name: ([], []) for name, *_ in tools}
        for name, command, cwd, output in tools:
            timed(command, cwd, output)  # warm-up: file cache
        for run in range(args.runs):
            # Alternate who goes first, so neither always follows the other.
            for name, command, cwd, output in (tools if run % 2 == 0 else tools[::-1]):
                wall, peak = timed(command, cwd, output)
                results[name][0].append(wall)
                results[name][1].append(peak)
        times = serve_latency(site, args.edits, args.work) if args.edits else {}
        for name, _, _, output in tools:
            walls, peaks = results[name]
            raw, gz = search_bytes(output)
            html, xml = file_counts(output)
            print("| {} | {:,} | {} | {} | {} ({:,}, {:,}) | {} | {} | {} | {} |".format(
                name, pairs, fmt_seconds(walls), mb(max(peaks)), mb(folder_bytes(output)), html, xml,
                "{} / {}".format(mb(raw), mb(gz)) if raw else "none",
                latency(times.get("text")) if name == "portail" else "–",
                latency(times.get("title")) if name == "portail" else "–",
                latency(times.get("new page")) if name == "portail" else "–"))
        if hugo:
            p, h = results["portail"], results["Hugo"]
            print("| portail ÷ Hugo | {:,} | {:.2f} | {:.2f} | | | | | |".format(
                pairs, statistics.median(p[0]) / statistics.median(h[0]), max(p[1]) / max(h[1])))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
