"""The captcha against OCR (tesseract, Debian tesseract-ocr): share of pictures read right.

A bot-resistance figure, not a human one: run `.venv/bin/python scripts/captcha_ocr.py 200`.
"""
import io, secrets, subprocess, sys, tempfile, os
from captcha.image import ImageCaptcha
from PIL import Image, ImageOps

def ocr(png: bytes, whitelist: str) -> str:
    im = Image.open(io.BytesIO(png)).convert("L")
    im = im.resize((im.width * 3, im.height * 3))
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
        im.save(f.name)
    out = subprocess.run(["tesseract", f.name, "-", "--psm", "7", "-c", f"tessedit_char_whitelist={whitelist}"],
                         capture_output=True, text=True).stdout
    os.unlink(f.name)
    return "".join(out.split()).upper()

def run(alphabet, length, fg, bg, n=200, **kw):
    gen = ImageCaptcha(width=200, height=70, **kw)
    ok = 0
    for _ in range(n):
        answer = "".join(secrets.choice(alphabet) for _ in range(length))
        png = gen.generate(answer, bg_color=bg, fg_color=fg).getvalue() if fg else gen.generate(answer).getvalue()
        ok += ocr(png, alphabet) == answer
    return ok / n

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    print("old letters+digits, random colours", run("ABCDEFHKMNPRSTUVWXY2345678", 5, None, None, n // 2))
    print("digits 2-9, dark on white", run("23456789", 5, (20, 30, 70, 255), (255, 255, 255), n))
