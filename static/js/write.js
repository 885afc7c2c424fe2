// A small formatting toolbar for the Markdown textarea. The form works
// without it; this only inserts the same markers a person could type.
(function () {
  "use strict";
  var actions = [
    { label: "Bold", before: "**", after: "**", placeholder: "bold text" },
    { label: "Italic", before: "*", after: "*", placeholder: "italic text" },
    { label: "Heading", before: "\n## ", after: "\n", placeholder: "Heading" },
    { label: "List", before: "\n- ", after: "", placeholder: "list item" },
    { label: "Numbered", before: "\n1. ", after: "", placeholder: "first item" },
    { label: "Quote", before: "\n> ", after: "\n", placeholder: "quoted words" },
    { label: "Link", before: "[", after: "](https://)", placeholder: "link text" }
  ];

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
    toolbar.setAttribute("aria-label", "Formatting");
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
