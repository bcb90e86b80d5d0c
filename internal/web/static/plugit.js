// Behaviour of the proxy's layout.
//
// Links marked data-plugit-switch switch the simulated user or the
// organisation. The switch endpoint returns an empty 200 response, and the
// page is reloaded once it has. When the switch fails, the page stays as
// it is and a message in the layout's alert region (#plugit-alerts)
// explains why. The links are ordinary links, so Enter on a focused link switches
// too.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-plugit-switch]");
    if (!link) {
      return;
    }
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") {
      return;
    }
    switchWith(link);
  });

  function switchWith(link) {
    var choice = link.textContent.trim();
    link.setAttribute("aria-disabled", "true");
    document.body.setAttribute("aria-busy", "true");

    fetch(link.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.ok) {
          window.location.reload();
          return null;
        }
        return response.text().then(function (body) {
          fail(link, "Could not switch to " + choice + ": " + errorMessage(response, body));
        });
      })
      .catch(function () {
        fail(link, "Could not switch to " + choice +
          ": the server could not be reached. Check the connection and try again.");
      });
  }

  function fail(link, message) {
    link.removeAttribute("aria-disabled");
    document.body.removeAttribute("aria-busy");
    var menu = link.closest(".dropdown");
    showError(message, menu && menu.querySelector("[data-bs-toggle=dropdown]"));
  }

  // errorMessage returns the message of the proxy's error page in body,
  // or the HTTP status when body is not such a page.
  function errorMessage(response, body) {
    var page = new DOMParser().parseFromString(body, "text/html");
    var message = page.getElementById("plugit-error-message");
    if (message && message.textContent.trim() !== "") {
      return message.textContent.trim();
    }
    var status = response.statusText ? response.status + " (" + response.statusText + ")" : response.status;
    return "the server returned HTTP status " + status + ".";
  }

  // showError shows message in the alert region and moves the focus to
  // it, so that keyboard and screen reader users land on it. Closing the
  // message moves the focus to returnTo, when given.
  function showError(message, returnTo) {
    var region = document.getElementById("plugit-alerts");
    if (!region) {
      window.alert(message);
      return;
    }

    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible";
    alert.setAttribute("role", "alert");
    alert.tabIndex = -1;

    var text = document.createElement("p");
    text.className = "mb-0";
    text.textContent = message;

    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Close");

    alert.append(text, close);
    if (returnTo) {
      alert.addEventListener("closed.bs.alert", function () {
        returnTo.focus();
      });
    }
    region.replaceChildren(alert);
    alert.focus();
  }
})();
