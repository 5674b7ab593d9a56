"""What every page a resident uses must pass in a real browser: WCAG 2.1 AA (axe-core)
and the elder-friendly sizes axe does not check (font size, line height, tap target height)."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

MEASURE = """
() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const text = [...document.querySelectorAll('main p, main li, main dd, main dt, footer p, footer dd, footer dt')]
    .filter(visible)
    .map((el) => {
      const s = getComputedStyle(el);
      const size = parseFloat(s.fontSize);
      return {what: el.textContent.trim().slice(0, 30), size, ratio: parseFloat(s.lineHeight) / size};
    });
  // A radio button or tick box is tapped through its label, which wraps it.
  const tapped = (el) => ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label')) || el;
  // Controls not shown (read-aloud buttons not in use) are no targets.
  const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter((el) => !el.closest('[data-wagtail-userbar]') && visible(tapped(el)))
    .map((el) => ({what: el.textContent.trim().slice(0, 30) || el.outerHTML.slice(0, 60),
                   height: tapped(el).getBoundingClientRect().height}));
  return {text, targets};
}
"""


def check_sizes(page, min_text, min_target):
    found = page.evaluate(MEASURE)
    assert found["text"] and found["targets"]
    small = [t for t in found["text"] if t["size"] < min_text]
    cramped = [t for t in found["text"] if t["ratio"] < 1.5]
    short = [t for t in found["targets"] if t["height"] < min_target]
    assert small == [], f"text smaller than {min_text}px: {small}"
    assert cramped == [], f"line height under 1.5: {cramped}"
    assert short == [], f"tap targets lower than {min_target}px: {short}"


def check_accessibility(page):
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
