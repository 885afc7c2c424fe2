// Star widget: send the rating without leaving the page and update the
// summary in place. Without this script the form posts normally and the
// server redirects back with a message, so nothing here is required.
(function () {
  "use strict";

  // Every word comes from the server in the page's language: the sentences in
  // the JSON answer (summary, your_rating, legend), the fixed ones from the
  // widget's data-* attributes (templates/ratings/includes/page_rating.html).
  function showSummary(widget, data) {
    var summary = widget.querySelector("[data-rating-summary]");
    var yours = widget.querySelector("[data-rating-yours]");
    var legend = widget.querySelector("legend");
    if (summary && typeof data.summary === "string") {
      summary.textContent = "";
      if (data.count) {
        // The star is decoration; the words say the same for screen readers.
        var star = document.createElement("span");
        star.setAttribute("aria-hidden", "true");
        star.textContent = "\u2605 ";
        summary.appendChild(star);
        var text = data.summary;
        var shown = data.summary_average ? String(data.summary_average) : "";
        var at = shown ? text.indexOf(shown) : -1;
        if (at === -1) {
          summary.appendChild(document.createTextNode(text));
        } else {
          var average = document.createElement("strong");
          average.textContent = shown;
          summary.append(text.slice(0, at), average, text.slice(at + shown.length));
        }
      } else {
        summary.textContent = data.summary;
      }
    }
    if (yours && data.your_score && data.your_rating) {
      yours.textContent = data.your_rating;
      yours.hidden = false;
    }
    if (legend && data.legend) {
      legend.textContent = data.legend;
    }
  }

  function enhance(widget) {
    var form = widget.querySelector("[data-rating-form]");
    var status = widget.querySelector("[data-rating-status]");
    var words = widget.dataset;
    if (!form || !window.fetch || !window.FormData) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
      }
      status.textContent = words.saving || "";
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
            status.textContent = data.message || words.saved || "";
          } else if (result.response.status === 401 && data.login_url) {
            window.location.assign(data.login_url);
          } else {
            // The server's messages are plain text; textContent keeps them so.
            status.textContent = data.error || words.failed || "";
          }
        })
        .catch(function () {
          status.textContent = words.offline || "";
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
