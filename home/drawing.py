"""Pictures for the demo content, drawn with Pillow when the demo is loaded, so the
repository carries no binary images. Each area gets its own colours."""

import io
import random

from PIL import Image, ImageDraw

PALETTES = {
    "xuhuiyuan": {"sky": ((250, 224, 196), (196, 222, 240)), "walls": [(222, 205, 186), (205, 190, 176), (232, 218, 200)]},
    "wanliu": {"sky": ((255, 238, 204), (170, 210, 235)), "walls": [(214, 220, 226), (198, 206, 214), (226, 214, 200)]},
}


def neighbourhood_scene(key, width=1200, height=675):
    """A residential quarter at morning: blocks of flats, trees and the committee's
    ground-floor rooms with their lights on. Returns JPEG bytes."""
    palette = PALETTES.get(key, PALETTES["xuhuiyuan"])
    rng = random.Random(key)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)

    top, bottom = palette["sky"]
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)))
    draw.ellipse([width * 0.78, 60, width * 0.78 + 110, 170], fill=(255, 214, 120))

    ground = int(height * 0.8)
    x = -20
    while x < width:
        w = rng.randint(150, 230)
        h = rng.randint(260, 430)
        wall = rng.choice(palette["walls"])
        draw.rectangle([x, ground - h, x + w, ground], fill=wall, outline=(150, 140, 130), width=2)
        draw.rectangle([x - 6, ground - h - 14, x + w + 6, ground - h], fill=(164, 22, 26))
        for wy in range(ground - h + 24, ground - 50, 42):
            for wx in range(x + 16, x + w - 30, 38):
                lit = rng.random() < 0.25
                draw.rectangle([wx, wy, wx + 22, wy + 26], fill=(255, 232, 160) if lit else (120, 150, 175))
        x += w + rng.randint(16, 40)

    draw.rectangle([0, ground, width, height], fill=(128, 170, 110))
    draw.rectangle([0, ground + 30, width, ground + 70], fill=(205, 200, 190))
    for tx in range(40, width, 150):
        trunk_x = tx + rng.randint(-20, 20)
        draw.rectangle([trunk_x - 6, ground - 40, trunk_x + 6, ground + 20], fill=(110, 80, 60))
        r = rng.randint(36, 52)
        draw.ellipse([trunk_x - r, ground - 40 - 2 * r, trunk_x + r, ground - 40], fill=(70, 140, 80))

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def room_scene(seed, width=960, height=640):
    """An interior of one of the public rooms: warm floor, a window, tables."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (246, 240, 228))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(height * 0.65), width, height], fill=(196, 150, 104))
    draw.rectangle([width * 0.1, 70, width * 0.45, 300], fill=(190, 225, 245), outline=(120, 100, 80), width=8)
    draw.line([(width * 0.275, 70), (width * 0.275, 300)], fill=(120, 100, 80), width=6)
    for i in range(3):
        left = 120 + i * 260 + rng.randint(-20, 20)
        draw.rectangle([left, int(height * 0.6), left + 200, int(height * 0.6) + 24], fill=(150, 100, 60))
        draw.rectangle([left + 10, int(height * 0.6) + 24, left + 22, int(height * 0.85)], fill=(120, 80, 50))
        draw.rectangle([left + 178, int(height * 0.6) + 24, left + 190, int(height * 0.85)], fill=(120, 80, 50))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
