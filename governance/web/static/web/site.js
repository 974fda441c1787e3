// The pages work without this file; it only moves keyboard focus where a person needs it.
// Loaded from /static/ (the CSP allows no inline script).

// A page that comes back with errors: focus the summary, so that it is read out first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// A link in an error summary: focus the field it names, not only scroll to it.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".error-summary a[href^='#']");
  if (!link) {
    return;
  }
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  }
});
