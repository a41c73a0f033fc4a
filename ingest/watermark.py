"""The restricted reader's watermark: who read this page and when, everywhere on it.

A light gray diagonal stamp is gone after one threshold, and a footer is
cropped off in a second. This one is drawn to survive both:

- **Tiled across the whole page**, in rows offset from one another, so any
  piece of the page worth keeping carries the stamp.
- **Mid-tone made of black**: the letters are filled with a checkerboard of
  2 × 2 pure black dots, which the eye sees as mid-gray, over the text
  without hiding it. Its dots are as black as the text, so no threshold
  separates them, and they are as thick as a thin text stroke, so erasing
  them (a morphological opening, a blur) erases the text too.
- **Varied per request**: the angle, the rows' phase and a short code in the
  stamp change each time, so two copies of one page differ and a leaked image
  names the request that made it (the code is kept with the page view).

It is a deterrent, not a lock: someone determined can retype the text. It
makes the easy ways (screenshots, thresholding, cropping, OCR) leave a
visible name and time on every page.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

DOT = 2  # pixels: the checkerboard's cell, about one thin text stroke at reading size
FOOTER_INK = 0


@lru_cache(maxsize=16)
def _font(path: str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size)


@lru_cache(maxsize=4)
def _checkerboard(width: int, height: int) -> Image.Image:
    """Black (0) on the dark cells of a checkerboard of DOT x DOT cells, white (255) elsewhere."""
    rows, columns = np.indices((height, width)) // DOT
    return Image.fromarray(((rows + columns) % 2 * 255).astype(np.uint8), mode="L")


def stamp_page(page: Image.Image, stamp: str, *, font_path: Path | None = None,
               rng: random.Random | None = None) -> Image.Image:
    """``page`` (grayscale) with ``stamp`` tiled over it and written along its foot."""
    rng = rng or random.Random()
    page = page.convert("L")
    width, height = page.size
    mask = _tiled_mask(page.size, stamp, str(font_path) if font_path else None, rng)
    dots = ImageChops.lighter(_checkerboard(width, height), ImageChops.invert(mask))
    marked = ImageChops.darker(page, dots)
    _footer(marked, stamp, str(font_path) if font_path else None)
    return marked


def _tiled_mask(size: tuple[int, int], stamp: str, font_path: str | None,
                rng: random.Random) -> Image.Image:
    """White where the stamp's letters are (thick strokes), black elsewhere.

    Lines of the repeated stamp are written across a square larger than the
    page's diagonal, which is turned by the request's angle and cropped to
    the page, so the lines cover it evenly at any angle.
    """
    width, height = size
    font = _font(font_path, max(20, width // 34))
    side = int((width ** 2 + height ** 2) ** 0.5) + 2
    text = f"{stamp}   ·   "
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), text, font=font, stroke_width=1)
    step, line_height = right - left, bottom - top
    # One line of the repeated stamp, drawn once and pasted at each row's offset.
    line = Image.new("L", (side + 2 * step, line_height + 4), 0)
    draw = ImageDraw.Draw(line)
    for x in range(0, line.width, step):
        draw.text((x - left, 2 - top), text, font=font, fill=255, stroke_width=1, stroke_fill=255)
    canvas = Image.new("L", (side, side), 0)
    line_step = line_height * 3
    x_phase, y_phase = rng.randrange(step), rng.randrange(line_step)
    for row, y in enumerate(range(y_phase - line_step, side, line_step)):
        shift = x_phase + (row % 2) * step // 2
        canvas.paste(line.crop((shift, 0, shift + side, line.height)), (0, y))
    turned = canvas.rotate(rng.uniform(25, 40), resample=Image.Resampling.NEAREST)
    offset_x, offset_y = (side - width) // 2, (side - height) // 2
    return turned.crop((offset_x, offset_y, offset_x + width, offset_y + height))


def _footer(page: Image.Image, stamp: str, font_path: str | None) -> None:
    """The stamp, legible, on a white band at the foot (the tiles carry it where this is cut)."""
    width, height = page.size
    font = _font(font_path, max(14, width // 60))
    draw = ImageDraw.Draw(page)
    box = draw.textbbox((0, 0), stamp, font=font)
    foot = height - (box[3] - box[1]) - 16
    draw.rectangle((0, foot - 8, width, height), fill=255)
    draw.text((12, foot), stamp, font=font, fill=FOOTER_INK)
