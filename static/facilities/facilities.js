// facilities: the "Print" button of the QR label sheet (no inline scripts: CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
