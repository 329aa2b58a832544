"""Helpers shared by the cross-app browser tests (accessibility, phone, keyboard, stories)."""

from django.conf import settings

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def context_for(browser, live_server, user=None, *, phone=False):
    """A new browser context (phone or desktop) already logged in as ``user`` (a session cookie, reused)."""
    from django.test import Client

    opts = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {"viewport": DESKTOP}
    # Reduced motion: Bootstrap then skips its transitions, so focus rings and panels are final at once.
    context = browser.new_context(reduced_motion="reduce", **opts)
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user, backend="accounts.backends.EmailBackend")
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
    return context


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


SMALL_TARGETS_JS = """
(minSize) => {
  const out = [];
  const sel = 'main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary, '
            + 'main [role=button], header button, header a[href]';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;   // not shown
    // Links inside running text are exempt (WCAG 2.5.8 inline exception); the skip link is off-screen.
    if (el.tagName === 'A' && style.display === 'inline' && el.closest('p, li, td, dd, small')) continue;
    if (el.classList.contains('skip-link')) continue;
    let w = r.width, h = r.height;
    if (el.type === 'checkbox' || el.type === 'radio') {               // the label is the target
      const label = el.id && document.querySelector(`label[for="${el.id}"]`);
      if (label) { const lr = label.getBoundingClientRect(); w = Math.max(w, lr.width); h = Math.max(h, lr.height); }
    }
    if (w < minSize || h < minSize) {
      const text = (el.innerText || el.value || el.name || '').trim().slice(0, 40);
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}" ${Math.round(w)}x${Math.round(h)}`);
    }
  }
  return out;
}
"""


def small_touch_targets(page, min_size=44) -> list[str]:
    """Visible interactive elements in the header and main smaller than ``min_size`` CSS px."""
    return page.evaluate(SMALL_TARGETS_JS, min_size)


def with_axe(context):
    """Load axe-core (shipped by axe-playwright-python, no npm) into every page the context opens."""
    from axe_playwright_python.sync_playwright import Axe

    context.add_init_script(Axe().axe_script)  # parsed with each page, not sent over for each run
    return context


def axe_violations(page, where: str = "") -> list[str]:
    """axe-core's violations on the page as it is now (all rules but the experimental ones), one line each."""
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    out = []
    for v in result["violations"]:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        out.append(f"{where or page.url} {v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return out


ERRORS_ANNOUNCED_JS = """
() => {
  const problems = [];
  const summary = document.querySelector('[data-error-summary]');
  if (!summary) return ['no error summary'];
  if (summary.getAttribute('role') !== 'alert') problems.push('the summary has no role=alert');
  if (document.activeElement !== summary) problems.push('focus is not on the summary but on '
      + (document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : 'nothing'));
  const form = summary.closest('form');
  if (!form) problems.push('the summary is outside the form');
  const invalid = form ? [...form.querySelectorAll('[aria-invalid=true]')] : [];
  for (const el of invalid) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    const texts = ids.map(id => document.getElementById(id)).filter(e => e && e.textContent.trim());
    if (!texts.length) problems.push(`${el.name}: aria-describedby points at no error text`);
    if (!summary.querySelector(`a[href="#${el.id}"]`)) problems.push(`${el.name}: not linked from the summary`);
  }
  for (const a of summary.querySelectorAll('a[href^="#"]')) {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    if (!target) problems.push(`summary link ${a.getAttribute('href')} leads nowhere`);
    else if (target.getAttribute('aria-invalid') !== 'true') problems.push(`${target.name}: linked, not aria-invalid`);
  }
  return {problems, invalid: invalid.map(el => el.name)};
}
"""


def errors_announced(page) -> dict:
    """Where the page's form errors fall short: summary (role=alert, focused, links to each bad field), each bad
    field aria-invalid and described by its error text. Returns {problems: [...], invalid: [field names]}."""
    out = page.evaluate(ERRORS_ANNOUNCED_JS)
    return out if isinstance(out, dict) else {"problems": out, "invalid": []}


def focus_is_visible(page) -> bool:
    """The focused element shows an outline or a box shadow (our :focus-visible ring or Bootstrap's)."""
    return page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        if (!el || el === document.body) return false;
        // A date or time input whose own parts do not hold the focus: Chromium's picker button inside it has it,
        // drawn with the browser's focus ring (not visible in the input's computed style).
        if (/^(date|time|datetime-local|month|week)$/.test(el.type) && !el.matches(':focus')) return true;
        const shadow = s.boxShadow && s.boxShadow !== 'none' && !/rgba\\([^)]*, 0\\)/.test(s.boxShadow);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || shadow;
    }""")


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''")


def tab_to(page, predicate_js, limit=80):
    """Press Tab until the focused element matches; every stop must show focus and follow the page order."""
    previous = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), f"focus not visible on {focused(page)}"
        handle = page.evaluate_handle("document.activeElement")
        # DOCUMENT_POSITION_FOLLOWING: the tab order follows the page (a date input's parts are one element)
        if previous is not None and not page.evaluate("([a, b]) => a === b", [previous, handle]):
            assert page.evaluate("([a, b]) => !!(a.compareDocumentPosition(b) & 4)", [previous, handle]), \
                f"Tab went backwards to {focused(page)}"
        previous = handle
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")
