// A small formatting toolbar for the Markdown textarea. The form works
// without it; this only inserts the same markers a person could type.
(function () {
  "use strict";
  // The words come, in the page's language, from the data-* attributes of
  // templates/authoring/includes/markdown_toolbar.html.
  var holder = document.querySelector("[data-markdown-words]");
  var words = holder ? holder.dataset : {};
  var actions = [
    { name: "bold", before: "**", after: "**" },
    { name: "italic", before: "*", after: "*" },
    { name: "heading", before: "\n## ", after: "\n" },
    { name: "list", before: "\n- ", after: "" },
    { name: "numbered", before: "\n1. ", after: "" },
    { name: "quote", before: "\n> ", after: "\n" },
    { name: "link", before: "[", after: "](https://)" }
  ].map(function (action) {
    action.label = words[action.name] || "";
    action.placeholder = words[action.name + "Placeholder"] || "";
    return action;
  });

  function insert(textarea, action) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end) || action.placeholder;
    var text = action.before + selected + action.after;
    textarea.setRangeText(text, start, end, "end");
    textarea.focus();
    textarea.setSelectionRange(start + action.before.length, start + action.before.length + selected.length);
  }

  document.querySelectorAll("textarea[data-markdown-editor]").forEach(function (textarea) {
    var toolbar = document.createElement("div");
    toolbar.className = "md-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", words.formatting || "");
    actions.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary";
      button.textContent = action.label;
      button.addEventListener("click", function () { insert(textarea, action); });
      toolbar.appendChild(button);
    });
    textarea.parentNode.insertBefore(toolbar, textarea);
  });
})();
