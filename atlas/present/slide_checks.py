"""What a rehearsed slide must satisfy, as pure checks on what the browser measured: captions
whose numbers do not contradict each other, a layout that fits the screen without overlaps,
and legend colours that read against the page (WCAG contrast). rehearse.py runs them."""

import re

MIN_CONTRAST = 3.0  # WCAG 2.1: non-text contrast, and large text (the legend's 22 px)

DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NUMBER = r"(\d[\d,]*)"
PART_OF = re.compile(rf"\b{NUMBER} of (?:the |its |those |these )?{NUMBER}\b", re.I)
OF_THE = re.compile(rf"\bOf the {NUMBER}\b([^;.]*)", re.I)
OF_THEM = re.compile(rf"\b{NUMBER} of them\b", re.I)
WHOLE_THEN_PARTS = re.compile(rf"\b{NUMBER} countries\b[^:;.]*:([^;.]*)", re.I)
COUNTRIES = re.compile(rf"\b{NUMBER} countries\b", re.I)
LOOSE_NUMBER = re.compile(r"(?<![(\w])(\d[\d,]*)\b(?![%.\d])")
SHARE = re.compile(r"\b(\d+(?:\.\d+)?)%")


def caption_contradictions(text: str) -> list[str]:
    """Numbers of one caption that cannot all be true: a part larger than its whole ('N of M',
    'Of the M ..., N ...', 'M countries ...; N of them', 'M countries ...: N ..., K ...') or a
    share above 100%. Dates are read as dates, not numbers."""
    text = DATE.sub("<date>", " ".join(text.split()))
    found = []

    def check(part: str, whole: str, how: str) -> None:
        if int(part.replace(",", "")) > int(whole.replace(",", "")):
            found.append(f"caption says {how}: {part} is more than its whole, {whole}")

    for part, whole in PART_OF.findall(text):
        check(part, whole, f"'{part} of {whole}'")
    for whole, rest in OF_THE.findall(text):
        for part in LOOSE_NUMBER.findall(rest):
            check(part, whole, f"'of the {whole} ..., {part} ...'")
    for match in OF_THEM.finditer(text):
        wholes = COUNTRIES.findall(text[: match.start()])
        if wholes:
            part = match.group(1)
            check(part, wholes[-1], f"'{wholes[-1]} countries ... {part} of them'")
    for whole, rest in WHOLE_THEN_PARTS.findall(text):
        for part in LOOSE_NUMBER.findall(rest):
            check(part, whole, f"'{whole} countries ...: {part} ...'")
    found += [f"caption states a share of {n}%" for n in SHARE.findall(text) if float(n) > 100]
    return list(dict.fromkeys(found))


# Rectangles of what a slide shows, read in the browser at the page's top: every visible
# element (Streamlit's element containers, with the content that may overflow them), and by
# name the parts a slide must show. Plus the page's scroll and the legend's colours.
LAYOUT_JS = """([stage, chart]) => {
  const rect = (el) => { const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom].map(Math.round); };
  const union = (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]),
    Math.max(a[2], b[2]), Math.max(a[3], b[3])];
  const visible = (el) => { const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== "hidden"; };
  const boxes = [];
  for (const el of document.querySelectorAll('[data-testid="stElementContainer"]')) {
    if (!visible(el) || el.closest('[data-testid="stSidebar"]')) continue;
    let box = rect(el);
    const inner = el.firstElementChild;
    if (inner && visible(inner)) box = union(box, rect(inner));
    const key = [...el.classList].find((c) => c.startsWith("st-key-"));
    const kind = inner ? (inner.getAttribute("data-testid") || inner.tagName) : "?";
    const text = (el.innerText || "").trim().split("\\n")[0].slice(0, 40);
    boxes.push({name: (key ? key.slice(7) : kind) + (text ? ` "${text}"` : ""), rect: box});
  }
  const one = (selector) => { const el = document.querySelector(selector);
    return el && visible(el) ? rect(el) : null; };
  const named = {
    title: one("h1"),
    caption: one(".st-key-slide_caption p"),
    map: one(`.st-key-${chart}`),
    legend: one(`.st-key-${stage} .js-plotly-plot g.legend`),
    citation: one('.st-key-present_footer [data-testid="stMarkdownContainer"] p'),
    exit: one(".st-key-exit_presentation button"),
    previous: one(".st-key-deck_previous button"),
    next: one(".st-key-deck_next button"),
  };
  const main = document.querySelector('[data-testid="stMain"]');
  const app = document.querySelector('[data-testid="stApp"]');
  const legend = document.querySelector(`.st-key-${stage} .js-plotly-plot g.legend`);
  const paint = (fill) => {  // a legend swatch of a choropleth is filled with a gradient
    const id = (fill.match(/#([^")]+)/) || [])[1];
    const stop = id && document.getElementById(id)?.querySelector("stop");
    return stop ? getComputedStyle(stop).stopColor : fill;
  };
  const fills = (selector) => legend ? [...legend.querySelectorAll(selector)]
    .map((el) => paint(getComputedStyle(el).fill)).filter((f) => f && f !== "none") : [];
  return {
    viewport: [window.innerWidth, window.innerHeight],
    scroll: main ? [main.scrollTop, main.scrollHeight, main.clientHeight] : [0, 0, 0],
    boxes, named,
    background: getComputedStyle(app).backgroundColor,
    legendText: fills("text.legendtext"),
    legendSwatches: fills(".legendpoints path"),
  };
}"""
SLIDE_PARTS = ("title", "caption", "map", "legend", "citation")
OVERLAP_TOLERANCE = 1  # px


def layout_problems(layout: dict, required=SLIDE_PARTS, whole_page: bool = True) -> list[str]:
    """What does not fit: a required part missing or outside the screen, the page scrolling
    (`whole_page`: a slide must fit entirely; a page need only fit down to its map), elements
    overlapping, the exit button over a navigation control. `layout`: LAYOUT_JS's answer."""
    width, height = layout["viewport"]
    named, problems = layout["named"], []

    def inside(box: list[int]) -> bool:
        return box[0] >= -1 and box[1] >= -1 and box[2] <= width + 1 and box[3] <= height + 1

    for part in required:
        box = named.get(part)
        if box is None:
            problems.append(f"shows no {part}")
        elif not inside(box):
            problems.append(f"its {part} is not on the screen ({box} in {width}x{height})")
    top, scroll_height, client_height = layout["scroll"]
    if whole_page and scroll_height > client_height + 1:
        problems.append(f"the page scrolls ({scroll_height} px tall in {client_height} px)")
    if top:
        problems.append(f"the page is scrolled {top} px down")
    boxes = [b for b in layout["boxes"] if b["rect"][1] < height]  # what starts on the screen
    if not whole_page and named.get("map"):  # a page: what stands above the map's bottom
        boxes = [b for b in boxes if b["rect"][1] < named["map"][3]]
    for box in boxes:
        if not inside(box["rect"]):
            problems.append(f"{box['name']} is not on the screen ({box['rect']})")
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            if overlap(first["rect"], second["rect"]):
                problems.append(f"{first['name']} overlaps {second['name']}")
    for control in ("previous", "next"):
        if named.get("exit") and named.get(control) and overlap(named["exit"], named[control]):
            problems.append(f"the exit button overlaps {control.title()}")
    legend, citation = named.get("legend"), named.get("citation")
    if legend and citation and overlap(legend, citation):
        problems.append("the legend runs under the citation")
    return problems


def overlap(a: list[int], b: list[int]) -> bool:
    wide = min(a[2], b[2]) - max(a[0], b[0])
    tall = min(a[3], b[3]) - max(a[1], b[1])
    return wide > OVERLAP_TOLERANCE and tall > OVERLAP_TOLERANCE


def contrast_problems(layout: dict, swatches: bool) -> list[str]:
    """Legend text (and, with `swatches`, the legend's colours) below 3:1 against the page."""
    background = layout["background"]
    checked = [("legend text", c) for c in dict.fromkeys(layout["legendText"])]
    if swatches:
        checked += [("legend colour", c) for c in dict.fromkeys(layout["legendSwatches"])]
    checked = [(what, c) for what, c in checked if CSS_COLOUR.fullmatch(c)]  # not gradients
    return [
        f"{what} {colour} has {ratio:.1f}:1 contrast with the page ({background})"
        for what, colour in checked
        if (ratio := contrast(colour, background)) < MIN_CONTRAST
    ]


CSS_COLOUR = re.compile(r"#[0-9a-fA-F]{6}|rgba?\([\d.,\s]+\)")


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS colours ('rgb(r, g, b)' or '#rrggbb')."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def luminance(colour: str) -> float:
    """WCAG relative luminance of 'rgb(...)', 'rgba(...)' or '#rrggbb'."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [float(v) for v in re.findall(r"[\d.]+", colour)[:3]]
    srgb = [c / 255 for c in channels]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
