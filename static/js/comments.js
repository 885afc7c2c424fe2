// Comment forms: post without leaving the page, so a refusal (too long, too
// fast, the comment replied to is gone) is shown next to the text instead of
// on a page of its own. Without this script the forms post normally and the
// server answers with a page, so nothing here is required.
(function () {
  "use strict";

  function show(status, text) {
    if (status) {
      status.textContent = text;
    }
  }

  function firstError(data, words) {
    if (data.errors) {
      for (var name in data.errors) {
        if (data.errors[name] && data.errors[name].length) {
          return data.errors[name][0];
        }
      }
    }
    return data.error || words.failed || "";
  }

  function enhance(form) {
    var status = form.querySelector("[data-comment-status]");
    // The words this script writes itself, in the page's language, from the
    // discussion's data-* attributes (templates/discussion/includes/page_thread.html).
    var words = (form.closest("[data-discussion]") || form).dataset;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
      }
      show(status, words.posting || "");
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
          if (result.response.ok && result.data.url) {
            show(status, result.data.message || words.posted || "");
            // Reload at the new comment so the whole thread is current.
            window.location.href = result.data.url;
            window.location.reload();
            return;
          }
          if (result.response.status === 401 && result.data.login_url) {
            window.location.href = result.data.login_url;
            return;
          }
          show(status, firstError(result.data, words));
          if (button) {
            button.disabled = false;
          }
        })
        .catch(function () {
          // Offline or the server is unreachable: let the browser post the form itself.
          form.submit();
        });
    });
  }

  if (!window.fetch || !window.FormData) {
    return;
  }
  var forms = document.querySelectorAll("[data-comment-form]");
  for (var i = 0; i < forms.length; i++) {
    enhance(forms[i]);
  }
})();
