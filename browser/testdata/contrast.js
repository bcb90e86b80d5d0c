// Lists the visible text of the page whose colour contrast is below the
// WCAG 2.1 AA minimum: 4.5:1, or 3:1 for large text (24 px, or 18.66 px
// bold). The background is the blend of the element's and its ancestors'
// background colours over white. Background images are ignored.
(() => {
  const parse = (css) => {
    const m = css.match(/rgba?\(([^)]+)\)/);
    if (!m) {
      return null;
    }
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) {
      chain.unshift(e);
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const e of chain) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        bg = over(c, bg);
      }
    }
    return bg;
  };
  const luminance = (c) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };

  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const text = Array.from(el.childNodes)
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent.trim())
      .join(" ")
      .trim();
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (text === "" || box.width <= 1 || box.height <= 1 || style.visibility === "hidden") {
      continue;
    }
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
    const got = ratio(fg, bg);
    if (got < (large ? 3 : 4.5)) {
      failures.push(`"${text.slice(0, 40)}" (${el.tagName.toLowerCase()}.${el.className}): ${got.toFixed(2)}:1`);
    }
  }
  return failures;
})()
