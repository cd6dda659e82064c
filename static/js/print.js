// Progressive enhancement: a print button where JavaScript runs; the page prints without it too.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
