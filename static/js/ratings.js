// Star widget: send the rating without leaving the page and update the
// summary in place. Without this script the form posts normally and the
// server redirects back with a message, so nothing here is required.
(function () {
  "use strict";

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function showSummary(widget, data) {
    var summary = widget.querySelector("[data-rating-summary]");
    var yours = widget.querySelector("[data-rating-yours]");
    var legend = widget.querySelector("legend");
    if (summary) {
      summary.textContent = "";
      if (data.count) {
        // The star is decoration; the words say the same for screen readers.
        var star = document.createElement("span");
        star.setAttribute("aria-hidden", "true");
        star.textContent = "★ ";
        var average = document.createElement("strong");
        average.textContent = data.average.toFixed(1);
        summary.append(star, "Rated ", average, " out of 5 from " + plural(data.count, "rating"));
      } else {
        summary.textContent = "No ratings yet";
      }
    }
    if (yours && data.your_score) {
      yours.textContent = "Your rating: " + plural(data.your_score, "star");
      yours.hidden = false;
    }
    if (legend) {
      legend.textContent = "Change your rating";
    }
  }

  function enhance(widget) {
    var form = widget.querySelector("[data-rating-form]");
    var status = widget.querySelector("[data-rating-status]");
    if (!form || !window.fetch || !window.FormData) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
      }
      status.textContent = "Saving…";
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          return response.json().then(
            function (data) { return { response: response, data: data }; },
            function () { return { response: response, data: {} }; }
          );
        })
        .then(function (result) {
          var data = result.data;
          if (result.response.ok) {
            showSummary(widget, data);
            status.textContent = data.message || "Your rating is saved.";
          } else if (result.response.status === 401 && data.login_url) {
            window.location.assign(data.login_url);
          } else {
            // The server's messages are plain text; textContent keeps them so.
            status.textContent = data.error || "Your rating could not be saved. Please try again.";
          }
        })
        .catch(function () {
          status.textContent = "Your rating could not be saved. Check your connection and try again.";
        })
        .then(function () {
          if (button) {
            button.disabled = false;
          }
        });
    });
  }

  document.querySelectorAll("[data-rating-widget]").forEach(enhance);
})();
