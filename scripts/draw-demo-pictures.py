#!/usr/bin/env python3
"""Draws the demo site's pictures: abstract illustrations (no people, no
real place or event), with gradients and a light grain so that they behave
like photos when portail encodes them. Written to static/images/demo/.

They are part of this repository and under its licence; run again to
remake them (Pillow and NumPy: pip install pillow numpy).
"""
import math
import pathlib
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

W, H = 1600, 1000
OUT = pathlib.Path(__file__).resolve().parent.parent / "static" / "images" / "demo"


def gradient(top, bottom, height=H):
    t = np.linspace(0, 1, height)[:, None, None]
    row = np.array(top)[None, None, :] * (1 - t) + np.array(bottom)[None, None, :] * t
    return np.repeat(row, W, axis=1)


def finish(image, name, seed):
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(1.2)), dtype=np.float32)
    pixels += rng.normal(0, 5, pixels.shape)
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    out.save(OUT / f"{name}.jpg", quality=86, optimize=True, progressive=True)


def coast():
    sky = gradient((250, 214, 165), (120, 170, 210), 560)
    sea = gradient((40, 110, 150), (12, 50, 80), H - 560)
    image = Image.fromarray(np.vstack([sky, sea]).astype(np.uint8))
    d = ImageDraw.Draw(image)
    d.ellipse((1080, 250, 1280, 450), fill=(255, 236, 190))
    for i in range(40):
        y = 580 + i * 11
        d.line([(random.randint(0, W // 2), y), (random.randint(W // 2, W), y)], fill=(80, 150, 185), width=2)
    for x, y, s in [(380, 600, 70), (620, 640, 50), (930, 610, 40)]:
        d.polygon([(x, y), (x, y - 2 * s), (x + s, y)], fill=(245, 245, 240))
        d.polygon([(x - 0.4 * s, y + 6), (x + 1.3 * s, y + 6), (x + s, y + 22), (x - 0.1 * s, y + 22)], fill=(90, 50, 40))
    finish(image, "coast", 1)


def hills():
    image = Image.fromarray(gradient((255, 226, 180), (240, 150, 110)).astype(np.uint8))
    d = ImageDraw.Draw(image)
    d.ellipse((260, 180, 460, 380), fill=(255, 245, 215))
    colours = [(214, 140, 95), (176, 110, 80), (132, 86, 70), (92, 64, 58), (60, 46, 48)]
    for i, colour in enumerate(colours):
        base = 430 + i * 120
        points = [(0, H)]
        for x in range(0, W + 20, 20):
            y = base + 60 * math.sin(x / (260 + 40 * i) + i * 1.7) + 25 * math.sin(x / 90 + i)
            points.append((x, y))
        points.append((W, H))
        d.polygon(points, fill=colour)
    finish(image, "hills", 2)


def city():
    image = Image.fromarray(gradient((38, 52, 96), (236, 150, 120)).astype(np.uint8))
    d = ImageDraw.Draw(image)
    rng = random.Random(3)
    x = 0
    while x < W:
        w = rng.randint(70, 160)
        h = rng.randint(220, 620)
        shade = rng.randint(28, 52)
        d.rectangle((x, H - h, x + w, H), fill=(shade, shade + 6, shade + 22))
        for wy in range(H - h + 24, H - 20, 34):
            for wx in range(x + 12, x + w - 16, 26):
                if rng.random() < 0.45:
                    d.rectangle((wx, wy, wx + 12, wy + 16), fill=(255, 214, 140))
        x += w + rng.randint(4, 18)
    finish(image, "city", 3)


def chart():
    image = Image.fromarray(gradient((248, 246, 240), (232, 236, 240)).astype(np.uint8))
    d = ImageDraw.Draw(image)
    for y in range(180, 900, 90):
        d.line([(140, y), (1480, y)], fill=(200, 206, 214), width=2)
    values = [0.35, 0.5, 0.42, 0.66, 0.58, 0.74, 0.8, 0.7, 0.88]
    for i, v in enumerate(values):
        x = 190 + i * 145
        d.rectangle((x, 900 - v * 700, x + 90, 900), fill=(11, 92, 138))
    points = [(235 + i * 145, 900 - (v * 0.8 + 0.1) * 700) for i, v in enumerate(values[::-1])]
    d.line(points, fill=(224, 138, 40), width=10, joint="curve")
    for x, y in points:
        d.ellipse((x - 14, y - 14, x + 14, y + 14), fill=(224, 138, 40))
    finish(image, "chart", 4)


def network():
    image = Image.fromarray(gradient((14, 40, 72), (6, 18, 36)).astype(np.uint8))
    d = ImageDraw.Draw(image)
    rng = random.Random(5)
    nodes = [(rng.randint(80, W - 80), rng.randint(80, H - 80)) for _ in range(46)]
    for i, (x, y) in enumerate(nodes):
        near = sorted(nodes, key=lambda n: (n[0] - x) ** 2 + (n[1] - y) ** 2)[1:4]
        for nx, ny in near:
            d.line([(x, y), (nx, ny)], fill=(70, 140, 190), width=3)
    for x, y in nodes:
        r = rng.randint(8, 22)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(124, 196, 240) if r < 16 else (240, 180, 90))
    finish(image, "network", 5)


def documents():
    image = Image.fromarray(gradient((196, 210, 200), (150, 172, 160)).astype(np.uint8))
    d = ImageDraw.Draw(image)
    for i, (x, y, angle) in enumerate([(420, 160, -8), (640, 200, 5), (860, 150, -3)]):
        sheet = Image.new("RGBA", (520, 700), (0, 0, 0, 0))
        s = ImageDraw.Draw(sheet)
        s.rectangle((0, 0, 519, 699), fill=(252, 250, 244), outline=(170, 170, 160), width=3)
        s.rectangle((50, 60, 300, 90), fill=(11, 92, 138))
        for ly in range(140, 640, 38):
            s.line([(50, ly), (470 - (ly * 7) % 120, ly)], fill=(150, 156, 160), width=6)
        sheet = sheet.rotate(angle, expand=True, resample=Image.BICUBIC)
        image.paste(sheet, (x - 100, y - 60), sheet)
    finish(image, "documents", 6)


if __name__ == "__main__":
    random.seed(7)
    OUT.mkdir(parents=True, exist_ok=True)
    for draw in (coast, hills, city, chart, network, documents):
        draw()
    print("\n".join(sorted(str(p.relative_to(OUT.parent.parent.parent)) for p in OUT.glob("*.jpg"))))
