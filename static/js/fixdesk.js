// Fixdesk's own script: no inline scripts anywhere (they would break the Content-Security-Policy).
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
  }
});
