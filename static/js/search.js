// Kindred search box: title suggestions as you type (progressive enhancement).
// Without this script the box is a plain GET form to /search/. With it, the input is an
// ARIA 1.2 combobox (templates/search/includes/search_box.html): suggestions from
// /search/autocomplete/ fill its listbox as options (text, inserted as text, never as
// HTML, and not links: an option holds nothing interactive). Focus stays in the input;
// Up and Down move aria-activedescendant, Enter or a click opens the title, Escape and
// Tab close the list, and Enter with nothing chosen searches as before.
(function () {
  "use strict";
  if (!window.fetch) return;

  function setUp(form) {
    var input = form.querySelector("input[role=combobox]");
    var list = input && document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    var endpoint = form.getAttribute("data-autocomplete-url");
    var timer = null;
    var controller = null;
    var active = -1;
    var urls = [];

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      clearTimeout(timer);
      if (controller) controller.abort();
      list.hidden = true;
      list.textContent = "";
      urls = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(results) {
      list.textContent = "";
      urls = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!results.length) return close();
      results.forEach(function (result, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.className = "search-suggestion";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "search-suggestion-title";
        title.textContent = result.title;
        var type = document.createElement("span");
        type.className = "search-suggestion-type";
        type.textContent = result.type;
        option.appendChild(title);
        option.appendChild(type);
        list.appendChild(option);
        urls.push(result.url);
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
        .then(function (data) {
          // A late answer for words no longer in the box, or after focus left, is dropped.
          if (input.value.trim() !== query || document.activeElement !== input) return;
          show(data.results || []);
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    function choose(index) {
      var items = options();
      if (active >= 0 && items[active]) {
        items[active].classList.remove("is-active");
        items[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active < 0 || !items[active]) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
        return;
      }
      items[active].classList.add("is-active");
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
      if (items[active].scrollIntoView) items[active].scrollIntoView({ block: "nearest" });
    }

    function move(step) {
      var count = options().length;
      if (!count) return;
      choose((active + step + count) % count);
    }

    function open(index) {
      var url = urls[index];
      if (!url) return;
      // Only a page of this site's kind of address, never a script URL.
      var target = new URL(url, window.location.href);
      if (target.protocol !== "http:" && target.protocol !== "https:") return;
      window.location.assign(target.href);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) fetchSuggestions();
        else move(1);
      } else if (event.key === "ArrowUp") {
        if (list.hidden) return;
        event.preventDefault();
        move(-1);
      } else if (event.key === "Escape") {
        if (list.hidden) return;
        // Close the list; the typed words stay (a second Escape clears them, natively).
        event.preventDefault();
        close();
      } else if (event.key === "Enter") {
        if (list.hidden || active < 0) return; // search for the typed words
        event.preventDefault();
        open(active);
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", close);
    // Keep the focus in the input while an option is pressed, then open it.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) open(Array.prototype.indexOf.call(options(), option));
    });
    list.addEventListener("mousemove", function (event) {
      var option = event.target.closest("[role=option]");
      var index = option ? Array.prototype.indexOf.call(options(), option) : -1;
      if (index >= 0 && index !== active) choose(index);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autocomplete-url]"), setUp);
})();
