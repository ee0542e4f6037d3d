"""The report's HTML: one self-contained page (inline CSS, charts as base64 PNG, no scripts)."""
import base64
import html
import math

CSS = """
:root { --ink:#1f2933; --muted:#66707c; --line:#e2e5ea; --card:#fff; --bg:#f3f4f6;
        --scen:#1d5fa6; --base:#d9731a; }
* { box-sizing:border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
header.top { background:#17324d; color:#fff; padding:28px 0 22px; }
.wrap { max-width:1100px; margin:0 auto; padding:0 24px; }
header.top h1 { margin:0 0 4px; font-size:26px; font-weight:650; letter-spacing:-.01em; }
header.top .sub { color:#b8c7d8; font-size:13.5px; }
.key { display:flex; gap:18px; flex-wrap:wrap; margin-top:14px; font-size:13.5px; }
.chip { display:inline-flex; align-items:center; gap:7px; }
.sw { width:22px; height:10px; border-radius:2px; display:inline-block; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px;
        padding:18px 22px 20px; margin:18px 0; }
h2 { font-size:19px; margin:0 0 2px; }
h2 code { font-size:18px; }
h3 { font-size:14px; margin:18px 0 6px; color:var(--muted); text-transform:uppercase;
     letter-spacing:.04em; font-weight:600; }
p.desc { margin:0 0 10px; color:var(--muted); font-size:14px; }
p.note { margin:8px 0 0; color:var(--muted); font-size:12.5px; }
img.chart { display:block; width:100%; height:auto; margin:4px 0; }
table { border-collapse:collapse; width:100%; font-size:13.5px; }
th, td { padding:6px 10px; border-bottom:1px solid var(--line); text-align:right;
         white-space:nowrap; font-variant-numeric:tabular-nums; }
th { font-weight:600; color:var(--muted); font-size:12.5px; border-bottom:2px solid var(--line); }
th:first-child, td:first-child { text-align:left; }
tbody tr:nth-child(even) { background:#fafbfc; }
td .ci { color:var(--muted); font-size:12px; }
td .vs { display:block; color:var(--muted); font-size:12px; }
td.up, td.down { font-weight:600; }
.sig { font-weight:650; }
.partial { color:var(--muted); font-style:italic; }
tr:has(.partial) td { color:var(--muted); }
tr:has(.partial) .sig { font-weight:inherit; }
.scroll { overflow-x:auto; }
.money table { font-size:12.5px; }
.money th, .money td { padding:5px 6px; }
.money td .ci { display:block; font-size:11px; font-weight:normal; }
.money tr.fund td { border-top:1px solid #cfd4da; }
.money tr.line td:first-child { padding-left:28px; }
.money tr.total td { font-weight:600; border-top:2px solid #cfd4da; }
table.meta { width:auto; font-size:13.5px; }
table.meta th, table.meta td { text-align:left; border:none; padding:3px 18px 3px 0; }
table.meta th { color:var(--muted); font-weight:500; }
nav.toc a { display:inline-block; margin:3px 6px 3px 0; padding:3px 10px; border-radius:14px;
            background:#e8eef5; color:#17324d; text-decoration:none; font-size:13px; }
nav.toc a:hover { background:#d5e1ee; }
details { margin-top:10px; }
summary { cursor:pointer; color:#17324d; font-weight:600; font-size:14px; }
pre { background:#f7f8fa; border:1px solid var(--line); border-radius:6px; padding:12px;
      font-size:12.5px; overflow-x:auto; }
code { font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace; }
footer { color:var(--muted); font-size:12.5px; padding:8px 0 30px; }
"""


def esc(text):
    """HTML-escaped text."""
    return html.escape(str(text), quote=True)


def number(x):
    """A value with as many digits as a reader needs: 12,345 · 123 · 12.3 · 1.23 · 0.0123."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    x = float(x)
    a = abs(x)
    if a == 0:
        return "0"
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def signed(x):
    """A number with an explicit sign (differences)."""
    s = number(x)
    return s if s.startswith(("-", "–")) or s == "0" else "+" + s


def plural(n, noun):
    """'1 replicate', '4 replicates'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def percent(x, sign=False):
    """x (a fraction) as a percentage; NaN as a dash."""
    if x is None or math.isnan(x) or math.isinf(x):
        return "–"
    return f"{x * 100:+.1f}%" if sign else f"{x * 100:.1f}%"


def image(png_bytes, alt):
    """An <img> embedding PNG bytes as a data URI."""
    data = base64.b64encode(png_bytes).decode("ascii")
    return f'<img class="chart" alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def table(headers, rows, classes=None):
    """A table from header cells (HTML) and rows of cells (HTML), rows optionally classed."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def swatch(colour, label):
    """A coloured key entry."""
    return (f'<span class="chip"><span class="sw" style="background:{colour}"></span>'
            f"{esc(label)}</span>")


def page(title, subtitle, key, body, footer):
    """The whole page."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header class="top"><div class="wrap">
<h1>{esc(title)}</h1>
<div class="sub">{subtitle}</div>
<div class="key">{key}</div>
</div></header>
<main class="wrap">
{body}
</main>
<footer class="wrap">{footer}</footer>
</body>
</html>
"""
