// Personal-data hints while writing (issue 15). After a pause in typing, and
// once on load, the form's title, summary and body go to Kindred's own
// endpoint (safety:personal_data_hints), which says what looks like personal
// data; each field then lists its hints under it, with a Remove button that
// replaces that exact occurrence with "[removed]" (in the page's language).
// Nothing leaves Kindred and nothing is stored. The form works the same without this script.
(function () {
  "use strict";

  var PAUSE_MS = 800;
  var SEPARATOR = "\n\n";
  var FIELD_NAMES = ["title", "summary", "body"];

  function labelOf(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.trim() : field.name;
  }

  // "%(name)s" in one of the template's sentences, filled in.
  function fill(sentence, values) {
    return String(sentence || "").replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function setUp(config) {
    var form = config.closest("form");
    // Every word this script writes comes, in the page's language, from the
    // config element's data-* attributes
    // (templates/safety/includes/personal_data_hints.html).
    var words = config.dataset;
    var REPLACEMENT = words.replacement || "";

    // A kind of personal data as it reads inside a sentence ("phone number").
    function inSentence(kind, label) {
      return config.getAttribute("data-kind-" + kind.replace(/_/g, "-")) || label;
    }
    var url = config.getAttribute("data-personal-data-url");
    if (!form || !url || !window.fetch) {
      return;
    }
    var tokenInput = form.querySelector('input[name="csrfmiddlewaretoken"]');
    var fields = [];
    FIELD_NAMES.forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (field && (field.tagName === "TEXTAREA" || field.type === "text")) {
        fields.push({ element: field, name: name, label: labelOf(field), region: region(field), key: "" });
      }
    });
    if (!fields.length) {
      return;
    }
    var timer = null;
    var sent = 0;

    function region(field) {
      var box = document.createElement("div");
      box.className = "pd-hints";
      box.id = "pd-hints-" + field.name;
      box.setAttribute("aria-live", "polite");
      // Right under the field, before its help text.
      field.parentNode.insertBefore(box, field.nextSibling);
      return box;
    }

    function anonymous() {
      return form.querySelector('input[name="byline"][value="anonymous"]:checked') ? "1" : "";
    }

    function check() {
      window.clearTimeout(timer);
      var offsets = [];
      var parts = [];
      var position = 0;
      fields.forEach(function (field) {
        var value = field.element.value;
        offsets.push({ field: field, start: position, end: position + value.length, value: value });
        parts.push(value);
        position += value.length + SEPARATOR.length;
      });
      var text = parts.join(SEPARATOR);
      if (!text.trim()) {
        show(offsets, []);
        return;
      }
      var number = ++sent;
      var body = new URLSearchParams();
      body.set("text", text);
      body.set("anonymous", anonymous());
      if (tokenInput) {
        body.set("csrfmiddlewaretoken", tokenInput.value);
      }
      window
        .fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": tokenInput ? tokenInput.value : "" },
          body: body
        })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          // An older answer arriving late must not replace a newer one.
          if (data && Array.isArray(data.hints) && number === sent) {
            show(offsets, data.hints);
          }
        })
        .catch(function () {
          // Hints are advice: when they cannot be had, the form works as before.
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, PAUSE_MS);
    }

    // Each hint goes to the field its text came from, at that field's offsets.
    function show(offsets, hints) {
      offsets.forEach(function (part) {
        var own = [];
        hints.forEach(function (hint) {
          if (hint.start >= part.start && hint.end <= part.end) {
            own.push({
              start: hint.start - part.start,
              end: hint.end - part.start,
              text: String(hint.text),
              kind: String(hint.kind),
              label: String(hint.label),
              name: inSentence(String(hint.kind), String(hint.label))
            });
          }
        });
        render(part.field, own);
      });
    }

    function render(field, hints) {
      var key = JSON.stringify(hints);
      if (key === field.key) {
        return; // unchanged: say nothing new to screen readers
      }
      field.key = key;
      var box = field.region;
      // A Remove button with focus is replaced below: focus moves to the one now
      // in its place, or back to the field when none is left.
      var buttons = Array.prototype.slice.call(box.querySelectorAll("button"));
      var focused = buttons.indexOf(document.activeElement);
      box.textContent = "";
      if (!hints.length) {
        if (focused !== -1) {
          field.element.focus();
        }
        return;
      }
      var intro = document.createElement("p");
      intro.className = "pd-hints-intro";
      intro.textContent = words.intro || "";
      box.appendChild(intro);
      var list = document.createElement("ul");
      list.className = "pd-hints-list";
      hints.forEach(function (hint) {
        var item = document.createElement("li");
        var found = document.createElement("span");
        found.className = "pd-found";
        var label = document.createElement("span");
        label.className = "pd-label";
        label.textContent = hint.label;
        var quoted = document.createElement("span");
        quoted.className = "pd-text";
        quoted.textContent = fill(words.quoted, { text: hint.text });
        found.appendChild(label);
        found.appendChild(document.createTextNode(" "));
        found.appendChild(quoted);
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button-secondary pd-remove";
        // The full name is in hidden text, not aria-label: a label naming the field
        // would also answer to the field's own label.
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent =
          " " + fill(words.removeDetail, { label: hint.name, text: hint.text, field: field.label });
        button.appendChild(document.createTextNode(words.remove || ""));
        button.appendChild(hidden);
        button.addEventListener("click", function () {
          remove(field, hint, item);
        });
        item.appendChild(found);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(button);
        list.appendChild(item);
      });
      box.appendChild(list);
      if (focused !== -1) {
        var now = list.querySelectorAll("button");
        now[Math.min(focused, now.length - 1)].focus();
      }
    }

    // The occurrence of the hint's text nearest where it was found: the writer
    // may have typed elsewhere since the check.
    function occurrence(value, hint) {
      if (value.slice(hint.start, hint.end) === hint.text) {
        return hint.start;
      }
      var best = -1;
      var at = value.indexOf(hint.text);
      while (at !== -1) {
        if (best === -1 || Math.abs(at - hint.start) < Math.abs(best - hint.start)) {
          best = at;
        }
        at = value.indexOf(hint.text, at + 1);
      }
      return best;
    }

    function remove(field, hint, item) {
      var element = field.element;
      var start = occurrence(element.value, hint);
      if (start !== -1 && hint.text) {
        var end = start + hint.text.length;
        var selStart = element.selectionStart;
        var selEnd = element.selectionEnd;
        var shift = REPLACEMENT.length - hint.text.length;
        element.setRangeText(REPLACEMENT, start, end, "preserve");
        // Keep the writer's cursor where it was in their words.
        var moved = function (at) {
          if (at >= end) {
            return at + shift;
          }
          return at > start ? start + REPLACEMENT.length : at;
        };
        element.setSelectionRange(moved(selStart), moved(selEnd));
      }
      // Focus goes on to the next hint, or back to the field after the last one.
      var list = item.parentNode;
      var next = item.nextElementSibling || item.previousElementSibling;
      list.removeChild(item);
      field.key = "";
      if (next) {
        next.querySelector("button").focus();
      } else {
        field.region.textContent = "";
        element.focus();
      }
      check();
    }

    fields.forEach(function (field) {
      field.element.addEventListener("input", later);
    });
    form.querySelectorAll('input[name="byline"]').forEach(function (radio) {
      radio.addEventListener("change", later);
    });
    check();
  }

  document.querySelectorAll("[data-personal-data-url]").forEach(setUp);
})();
