// Switches the simulated user or organisation: the switch endpoints answer
// an empty 200, so the page is reloaded once the switch is done.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-plugit-switch]");
  if (!link) {
    return;
  }
  event.preventDefault();
  fetch(link.href, { credentials: "same-origin" }).then(function (response) {
    if (response.ok) {
      window.location.reload();
    }
  });
});
