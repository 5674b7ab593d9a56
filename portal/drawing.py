"""Pictures for the demo content, drawn with Pillow when the demo is loaded, so the
repository carries no binary images. Each area gets its own colours. Every app's demo
(its demo.py) draws with it, so it lives in the base layer."""

import io
import random

from PIL import Image, ImageDraw

PALETTES = {
    "xuhuiyuan": {
        "sky": ((250, 224, 196), (196, 222, 240)),
        "walls": [(222, 205, 186), (205, 190, 176), (232, 218, 200)],
    },
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


def _jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _backdrop(rng, width, height, top, bottom):
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)))
    for _ in range(14):  # soft confetti of circles, so pictures of one kind still differ
        r = rng.randint(10, 36)
        x, y = rng.randint(0, width), rng.randint(0, height)
        shade = tuple(min(255, c + rng.randint(6, 20)) for c in top)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=shade)
    return image, draw


def _person(draw, x, ground, scale, colour, arms="down"):
    """A simple standing figure with its feet on `ground`."""
    head = 22 * scale
    body_top = ground - 170 * scale
    draw.ellipse([x - head, body_top - 2 * head, x + head, body_top], fill=(240, 205, 170))
    draw.pieslice([x - head, body_top - 2 * head, x + head, body_top - head / 2], 180, 360, fill=(60, 50, 45))
    draw.polygon(
        [
            (x - 30 * scale, body_top + 6),
            (x + 30 * scale, body_top + 6),
            (x + 42 * scale, ground - 60 * scale),
            (x - 42 * scale, ground - 60 * scale),
        ],
        fill=colour,
    )
    draw.line(
        [(x - 14 * scale, ground - 60 * scale), (x - 16 * scale, ground)], fill=(70, 60, 55), width=int(9 * scale)
    )
    draw.line(
        [(x + 14 * scale, ground - 60 * scale), (x + 16 * scale, ground)], fill=(70, 60, 55), width=int(9 * scale)
    )
    if arms == "up":  # tai chi: one hand raised to the side, the other low in front
        draw.line(
            [(x - 30 * scale, body_top + 14), (x - 90 * scale, body_top - 20 * scale)],
            fill=colour,
            width=int(12 * scale),
        )
        draw.line(
            [(x + 30 * scale, body_top + 14), (x + 80 * scale, body_top + 60 * scale)],
            fill=colour,
            width=int(12 * scale),
        )
    else:
        draw.line(
            [(x - 30 * scale, body_top + 14), (x - 44 * scale, ground - 80 * scale)], fill=colour, width=int(12 * scale)
        )
        draw.line(
            [(x + 30 * scale, body_top + 14), (x + 44 * scale, ground - 80 * scale)], fill=colour, width=int(12 * scale)
        )


def _qipao(draw, x, top, scale, colour, rng):
    """A qipao dress: high collar, fitted waist, long skirt with side slits."""
    s = scale
    outline = [
        (x - 18 * s, top),
        (x + 18 * s, top),
        (x + 30 * s, top + 30 * s),
        (x + 62 * s, top + 60 * s),
        (x + 46 * s, top + 120 * s),
        (x + 34 * s, top + 190 * s),
        (x + 56 * s, top + 420 * s),
        (x - 56 * s, top + 420 * s),
        (x - 34 * s, top + 190 * s),
        (x - 46 * s, top + 120 * s),
        (x - 62 * s, top + 60 * s),
        (x - 30 * s, top + 30 * s),
    ]
    draw.polygon(outline, fill=colour, outline=(90, 30, 40))
    for _ in range(9):  # flowers on the silk
        fx = x + rng.randint(-30, 30) * s
        fy = top + rng.randint(60, 380) * s
        r = rng.randint(6, 11) * s
        draw.ellipse([fx - r, fy - r, fx + r, fy + r], fill=(250, 220, 120))
    draw.line([(x - 18 * s, top + 10 * s), (x + 26 * s, top + 52 * s)], fill=(250, 220, 120), width=int(4 * s))


def _paw(draw, x, y, r, colour):
    draw.ellipse([x - r, y - r * 0.8, x + r, y + r * 0.8], fill=colour)
    for dx, dy in ((-1.0, -1.3), (-0.35, -1.75), (0.35, -1.75), (1.0, -1.3)):
        cx, cy = x + dx * r, y + dy * r
        draw.ellipse([cx - r * 0.35, cy - r * 0.42, cx + r * 0.35, cy + r * 0.42], fill=colour)


def _book(draw, x, y, w, h, colour):
    draw.polygon(
        [(x, y), (x + w / 2, y + 14), (x + w / 2, y + h + 14), (x, y + h)], fill=(250, 248, 240), outline=colour
    )
    draw.polygon(
        [(x + w, y), (x + w / 2, y + 14), (x + w / 2, y + h + 14), (x + w, y + h)], fill=(245, 242, 232), outline=colour
    )
    for line in range(1, 7):
        ly = y + line * h / 8
        draw.line([(x + 14, ly), (x + w / 2 - 14, ly + 10)], fill=(170, 170, 170), width=3)
        draw.line([(x + w / 2 + 14, ly + 10), (x + w - 14, ly)], fill=(170, 170, 170), width=3)
    draw.rectangle([x - 6, y + h, x + w + 6, y + h + 22], fill=colour)


def activity_scene(kind, seed="", width=960, height=640):
    """A picture for an activity page: the qipao group, a pet-care talk, education consulting,
    tai chi, a reading club, calligraphy, a health talk, a services day. Returns JPEG bytes."""
    rng = random.Random(f"{kind}-{seed}")
    palettes = {
        "qipao": ((250, 228, 222), (236, 200, 196)),
        "pets": ((232, 244, 226), (200, 226, 196)),
        "education": ((226, 236, 250), (196, 212, 238)),
        "taichi": ((255, 236, 206), (206, 228, 236)),
        "books": ((246, 238, 220), (226, 210, 184)),
        "calligraphy": ((248, 244, 236), (226, 220, 206)),
        "health": ((236, 246, 246), (204, 230, 228)),
        "services": ((252, 240, 214), (234, 214, 180)),
    }
    top, bottom = palettes.get(kind, palettes["books"])
    image, draw = _backdrop(rng, width, height, top, bottom)
    ground = int(height * 0.86)
    floor = (196, 150, 104) if kind != "taichi" else (128, 170, 110)
    draw.rectangle([0, ground, width, height], fill=floor)

    if kind == "qipao":
        draw.rectangle([width * 0.05, 60, width * 0.95, ground], outline=(190, 170, 160), width=6)  # the mirror wall
        for i, colour in enumerate([(180, 30, 50), (30, 90, 140), (120, 40, 110), (20, 120, 100)]):
            _qipao(draw, 170 + i * 210, 120 + (i % 2) * 20, 1.0, colour, rng)
        draw.rectangle([width * 0.82, ground - 150, width * 0.97, ground], fill=(40, 30, 30))  # the piano
        draw.rectangle([width * 0.82, ground - 150, width * 0.97, ground - 120], fill=(250, 250, 245))
    elif kind == "pets":
        for i in range(7):
            _paw(draw, 110 + i * 125, 160 + (i % 2) * 70, 34, (120, 90, 70))
        draw.ellipse([330, 330, 630, 520], fill=(210, 160, 100))  # a dog, lying down
        draw.ellipse([560, 290, 700, 410], fill=(210, 160, 100))
        draw.polygon([(580, 300), (600, 250), (630, 300)], fill=(170, 120, 70))
        draw.polygon([(640, 300), (670, 250), (690, 310)], fill=(170, 120, 70))
        draw.ellipse([630, 330, 648, 348], fill=(30, 30, 30))
        draw.ellipse([682, 360, 700, 376], fill=(30, 30, 30))
        _person(draw, 180, ground, 1.2, (60, 120, 170))
    elif kind == "education":
        _book(draw, 300, 150, 360, 220, (40, 80, 150))
        draw.line([(700, 420), (840, 200)], fill=(230, 180, 40), width=22)  # a pencil
        draw.polygon([(700, 420), (690, 452), (716, 432)], fill=(60, 50, 40))
        _person(draw, 160, ground, 1.1, (160, 60, 60))
        _person(draw, 800, ground, 0.8, (60, 140, 90))
    elif kind == "taichi":
        draw.ellipse([width * 0.78, 50, width * 0.78 + 120, 170], fill=(255, 200, 110))  # the morning sun
        for i in range(4):
            _person(draw, 170 + i * 210, ground, 1.1 - (i % 2) * 0.1, (245, 245, 245), arms="up")
    elif kind == "books":
        shelf = (150, 100, 60)
        for row in range(3):
            y = 110 + row * 150
            draw.rectangle([80, y + 120, 880, y + 132], fill=shelf)
            x = 96
            while x < 860:
                w = rng.randint(22, 40)
                h = rng.randint(80, 118)
                draw.rectangle(
                    [x, y + 120 - h, x + w, y + 120],
                    fill=rng.choice([(180, 60, 50), (60, 100, 150), (80, 140, 90), (200, 160, 60)]),
                )
                x += w + 4
    elif kind == "calligraphy":
        draw.rectangle([180, 90, 780, 520], fill=(252, 250, 244), outline=(170, 140, 110), width=6)
        for i in range(4):  # brush strokes
            x = 260 + i * 130
            draw.line([(x, 140), (x + 10, 470)], fill=(30, 30, 30), width=18)
            draw.line([(x - 30, 220 + i * 30), (x + 50, 210 + i * 30)], fill=(30, 30, 30), width=14)
        draw.ellipse([690, 440, 750, 500], fill=(190, 30, 30))  # the seal
    elif kind == "health":
        draw.ellipse([330, 140, 490, 300], fill=(220, 70, 80))
        draw.ellipse([470, 140, 630, 300], fill=(220, 70, 80))
        draw.polygon([(338, 250), (622, 250), (480, 440)], fill=(220, 70, 80))
        draw.rectangle([462, 190, 498, 330], fill=(255, 255, 255))
        draw.rectangle([410, 242, 550, 278], fill=(255, 255, 255))
    else:  # services: a stall with an umbrella, scissors and a kettle
        draw.rectangle([160, 330, 800, 360], fill=(150, 100, 60))
        draw.pieslice([200, 120, 520, 360], 180, 360, fill=(70, 130, 190))
        draw.line([(360, 240), (360, 330)], fill=(90, 70, 50), width=8)
        draw.ellipse([600, 250, 650, 300], outline=(80, 80, 80), width=8)
        draw.ellipse([660, 250, 710, 300], outline=(80, 80, 80), width=8)
        draw.line([(640, 270), (740, 160)], fill=(120, 120, 120), width=8)
        draw.line([(670, 270), (570, 160)], fill=(120, 120, 120), width=8)
        _person(draw, 480, ground, 1.0, (200, 120, 60))
    return _jpeg(image)


def portrait(seed, width=480, height=480):
    """A friendly head-and-shoulders drawing standing in for a staff member's photo."""
    rng = random.Random(seed)
    background = rng.choice([(214, 230, 242), (238, 226, 210), (222, 238, 222), (242, 222, 226)])
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    jacket = rng.choice([(50, 70, 110), (120, 40, 50), (60, 100, 80), (90, 90, 100)])
    draw.pieslice([60, 300, 420, 660], 180, 360, fill=jacket)
    draw.polygon([(200, 310), (280, 310), (240, 380)], fill=(250, 250, 250))  # the shirt collar
    draw.rectangle([215, 250, 265, 320], fill=(236, 200, 166))  # neck
    draw.ellipse([150, 90, 330, 290], fill=(240, 206, 172))  # face
    hair = rng.choice([(40, 35, 30), (70, 55, 45), (110, 110, 110)])
    if rng.random() < 0.5:
        draw.pieslice([140, 70, 340, 240], 180, 360, fill=hair)
    else:  # longer hair
        draw.pieslice([136, 70, 344, 250], 170, 370, fill=hair)
        draw.rectangle([136, 160, 166, 280], fill=hair)
        draw.rectangle([314, 160, 344, 280], fill=hair)
    draw.ellipse([195, 175, 211, 191], fill=(40, 35, 30))
    draw.ellipse([269, 175, 285, 191], fill=(40, 35, 30))
    draw.arc([205, 200, 275, 250], 20, 160, fill=(170, 80, 70), width=5)
    return _jpeg(image)
