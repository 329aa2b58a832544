// Fixdesk's own script: no inline scripts anywhere (they would break the Content-Security-Policy).
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
  }
});

// A form that came back with errors: move focus to its error summary (announced by screen readers), and let
// each link in the summary put the focus in the field it names, not only scroll to it.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    const panel = summary.closest(".collapse");
    if (!panel || panel.classList.contains("show")) summary.focus();
  }
});
document.addEventListener("click", (event) => {
  const link = event.target.closest(".error-summary a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    field.focus();
  }
});

// "Show earlier activity" on a ticket (htmx): the earlier entries take the link's place; move the focus to the
// first of them so that keyboard and screen reader users carry on reading where the new entries start.
document.addEventListener("htmx:afterSettle", () => {
  const entry = document.querySelector("[data-timeline-focus]");
  if (entry) {
    entry.removeAttribute("data-timeline-focus");
    entry.focus();
  }
});
