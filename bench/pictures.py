#!/usr/bin/env python3
"""Pictures: portail against Hugo on phone-size photos, and what photos cost
a warm build of the shared corpus.

    python3 bench/pictures.py                          # 200 photos, 3 runs each
    python3 bench/pictures.py --photos 50 --runs 5 --corpus-pairs 0

Generates `--photos` JPEG photos of 4032×3024 (gradients, shapes and grain,
so that encoders work as on camera photos; Pillow and NumPy draw them:
`pip install pillow numpy`), then:

1. Cold processing, alternating: portail builds a site of one page per
   photo (each published at 480, 800, 1200 and 1600 pixels wide, WebP and
   JPEG, quality 80), its picture cache emptied before each run; Hugo 0.111
   (`hugo` on the PATH, Debian's) builds the same pages with a template
   asking the same widths and formats (Lanczos, quality 80), its resource
   cache emptied. Wall time and peak RSS, median and range.
2. The shared corpus (`../shared/bench/gen_corpus.py --pairs N`) built warm
   with and without the photos shown on its first pages, alternating: what
   the photos add to a rebuild once they are processed.

Share cards are turned off in the photo site (`[images] cards = false`):
Hugo draws none, and they are not pictures of the page. Run on an idle
machine; the load average is printed.
"""

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the same timing, machine and formatting helpers)

ROOT = pathlib.Path(bench.ROOT)
SHARED = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
WIDTHS = [480, 800, 1200, 1600]

# portail's configuration of the shared corpus (which writes content only).
SHARED_CONFIG = (pathlib.Path(__file__).parent / "shared-config.toml").read_text()


def photos(folder, count):
    """`count` photos in `folder` (kept between runs)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    width, height = 4032, 3024
    made = []
    for n in range(count):
        path = folder / f"photo-{n:03}.jpg"
        made.append(path)
        if path.exists():
            continue
        rng = np.random.default_rng(n)
        top, bottom = rng.integers(30, 230, 3), rng.integers(30, 230, 3)
        t = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
        pixels = np.repeat(top * (1 - t) + bottom * t, width, axis=1).astype(np.uint8)
        image = Image.fromarray(pixels)
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.integers(0, width), rng.integers(0, height)
            r = int(rng.integers(60, 700))
            colour = tuple(int(c) for c in rng.integers(0, 255, 3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        image = image.filter(ImageFilter.GaussianBlur(6))
        grain = rng.normal(0, 9, (height, width, 3)).astype(np.float32)
        out = np.clip(np.asarray(image, dtype=np.float32) + grain, 0, 255).astype(np.uint8)
        Image.fromarray(out).save(path, quality=90)
    return made


def portail_site(folder, shots):
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "content" / "photos").mkdir(parents=True)
    (folder / "config.toml").write_text(
        'base_url = "https://example.org/"\ndefault_language = "fr"\n\n'
        '[languages.fr]\nname = "Français"\ntitle = "Photos"\n\n'
        "[images]\nwidths = [480, 800, 1200, 1600]\nquality = 80\ncards = false\n"
        "warn_size_mb = 100\nwarn_pixels = 10000\npage_budget_kb = 100000\n")
    (folder / "content" / "_index.fr.md").write_text('+++\ntitle = "Photos"\n+++\n')
    (folder / "content" / "photos" / "_index.fr.md").write_text('+++\ntitle = "Photos"\n+++\n')
    for shot in shots:
        page = folder / "content" / "photos" / shot.stem
        page.mkdir()
        shutil.copy(shot, page / "photo.jpg")
        (page / "index.fr.md").write_text(
            f'+++\ntitle = "{shot.stem}"\n+++\n\n![Une photo](photo.jpg)\n')


def hugo_site(folder, shots):
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "content" / "photos").mkdir(parents=True)
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "config.toml").write_text(
        'baseURL = "https://example.org/"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        '[imaging]\nquality = 80\nresampleFilter = "lanczos"\n')
    widths = " ".join(str(w) for w in WIDTHS)
    (folder / "layouts" / "_default" / "single.html").write_text(
        '{{ $img := .Resources.GetMatch "photo.jpg" }}<html><body><picture>'
        f"{{{{ range $w := slice {widths} }}}}"
        '{{ $webp := $img.Resize (printf "%dx webp q80" $w) }}'
        '{{ $jpg := $img.Resize (printf "%dx jpg q80" $w) }}'
        '<source srcset="{{ $webp.RelPermalink }} {{ $w }}w"><img src="{{ $jpg.RelPermalink }}">'
        "{{ end }}</picture></body></html>\n")
    (folder / "layouts" / "_default" / "list.html").write_text("<html><body></body></html>\n")
    for shot in shots:
        page = folder / "content" / "photos" / shot.stem
        page.mkdir()
        shutil.copy(shot, page / "photo.jpg")
        (page / "index.md").write_text(f'+++\ntitle = "{shot.stem}"\n+++\n')


def count_files(folder, suffixes):
    return sum(1 for p in pathlib.Path(folder).rglob("*") if p.suffix in suffixes)


def cold(work, shots, runs, binary):
    site, hugo = work / "portail-site", work / "hugo-site"
    portail_site(site, shots)
    hugo_site(hugo, shots)
    results = {"portail": [], "hugo": []}
    for _ in range(runs):
        shutil.rmtree(site / ".portail-cache", ignore_errors=True)
        results["portail"].append(
            bench.timed([binary, "build", "--output", str(work / "portail-out")], site, work / "portail-out"))
        if shutil.which("hugo"):
            cache = work / "hugo-cache"
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(hugo / "resources", ignore_errors=True)
            results["hugo"].append(bench.timed(
                ["hugo", "--quiet", "--cacheDir", str(cache), "--destination", str(work / "hugo-out")],
                hugo, work / "hugo-out"))
    warm = [bench.timed([binary, "build", "--output", str(work / "portail-out")], site, work / "portail-out")
            for _ in range(runs)]
    made = {
        "portail": count_files(work / "portail-out" / "pictures", {".webp", ".jpg"}),
        "hugo": count_files(work / "hugo-out", {".webp", ".jpg"}) if results["hugo"] else 0,
    }
    return results, warm, made


def corpus_with_photos(work, shots, pairs, runs, binary):
    plain = work / f"corpus-{pairs}"
    if not plain.exists():
        subprocess.run([sys.executable, str(SHARED), "--pairs", str(pairs), "--flavor", "portail",
                        "--out", str(plain)], check=True, stdout=subprocess.DEVNULL)
        (plain / "config.toml").write_text(SHARED_CONFIG)
    shown = work / f"corpus-{pairs}-photos"
    if not shown.exists():
        shutil.copytree(plain, shown)
        (shown / "static" / "photos").mkdir(parents=True, exist_ok=True)
        pages = sorted((shown / "content").rglob("*.fr.md"))
        pages = [p for p in pages if not p.name.startswith("_index")][: len(shots)]
        for shot, page in zip(shots, pages):
            shutil.copy(shot, shown / "static" / "photos" / shot.name)
            with open(page, "a") as f:
                f.write(f"\n\n![Une photo](/photos/{shot.name})\n")
    times = {"without": [], "with": []}
    # One untimed build each fills the caches (pictures, and the disk's).
    for site in (plain, shown):
        bench.timed([binary, "build", "--output", str(work / "corpus-out")], site, work / "corpus-out")
    for _ in range(runs):
        for name, site in (("without", plain), ("with", shown)):
            times[name].append(
                bench.timed([binary, "build", "--output", str(work / "corpus-out")], site,
                            work / "corpus-out"))
    return times


def row(name, values):
    walls = [w for w, _ in values]
    peaks = [p for _, p in values]
    return "| {} | {} | {} |".format(name, bench.fmt_seconds(walls), bench.mb(statistics.median(peaks)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus-pairs", type=int, default=10000, help="0: no corpus build")
    parser.add_argument("--work", default=str(ROOT / "target" / "bench-pictures"))
    parser.add_argument("--binary", default=bench.BIN, help="the portail to measure")
    parser.add_argument("--parts", nargs="+", choices=["cold", "corpus"], default=["cold", "corpus"])
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    shots = photos(work / "photos", args.photos)
    print(f"Machine: {bench.machine()}; disk: {bench.filesystem(work)}; "
          f"load average before: {os.getloadavg()[0]:.2f}")
    if "cold" in args.parts:
        results, warm, made = cold(work, shots, args.runs, args.binary)
        print(f"\n{args.photos} photos of 4032×3024, {args.runs} runs each, alternating\n")
        print("| build | wall (median, range) | peak RSS |\n|---|---|---|")
        print(row(f"portail, cold ({made['portail']} files)", results["portail"]))
        if results["hugo"]:
            hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
            print(row(f"Hugo {hugo}, cold ({made['hugo']} files)", results["hugo"]))
        print(row("portail, warm", warm))
    if args.corpus_pairs and "corpus" in args.parts:
        times = corpus_with_photos(work, shots, args.corpus_pairs, args.runs, args.binary)
        print(f"\nShared corpus, {args.corpus_pairs} pairs, warm, alternating\n")
        print("| build | wall (median, range) | peak RSS |\n|---|---|---|")
        print(row("without photos", times["without"]))
        print(row(f"with {len(shots)} photos shown", times["with"]))
        ratio = statistics.median(w for w, _ in times["with"]) / statistics.median(
            w for w, _ in times["without"])
        print(f"\nwith / without: {ratio:.3f}")
    print(f"\nLoad average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
