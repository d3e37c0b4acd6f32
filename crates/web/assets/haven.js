// Progressive enhancement only: every page works without this file.
// Asks for confirmation on forms marked data-confirm (no inline handlers: CSP forbids them).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
