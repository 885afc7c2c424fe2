// Kindred search box: title suggestions as you type (progressive enhancement).
// Without this script the box is a plain GET form to /search/. Suggestions come
// from /search/autocomplete/ as JSON and are inserted as text, never as HTML.
(function () {
  "use strict";
  var form = document.querySelector("form.site-search[data-autocomplete-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".search-suggestions");
  if (!input || !list) return;
  var endpoint = form.getAttribute("data-autocomplete-url");
  var timer = null;
  var controller = null;
  var active = -1;

  function close() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(results) {
    list.textContent = "";
    active = -1;
    if (!results.length) return close();
    results.forEach(function (result, index) {
      var item = document.createElement("li");
      item.id = "site-search-suggestion-" + index;
      item.setAttribute("role", "option");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.title;
      var type = document.createElement("span");
      type.className = "search-suggestion-type";
      type.textContent = result.type;
      link.appendChild(type);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query.length < 2) return close();
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(query.slice(0, 200)), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { show(data.results || []); })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  function move(step) {
    var items = list.querySelectorAll("li");
    if (!items.length) return;
    if (active >= 0) items[active].classList.remove("is-active");
    active = (active + step + items.length) % items.length;
    items[active].classList.add("is-active");
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = list.querySelectorAll("a")[active].href;
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
