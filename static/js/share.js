// Sharing (sharing/): small conveniences on top of forms that work without it.
// - The Mastodon server a reader typed is remembered in this browser
//   (localStorage, never sent anywhere but with the share itself).
// - On the "Copy the link" page, a button copies the address. What it then
//   says comes, in the page's language, from the status element's data-copied
//   and data-select attributes (templates/sharing/continue.html).
(function () {
  "use strict";
  var KEY = "kindred.mastodon-server";

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: nothing is remembered
    }
  }

  document.querySelectorAll("form[data-share-mastodon]").forEach(function (form) {
    var input = form.querySelector("input[name=instance]");
    var store = storage();
    if (!input || !store) return;
    if (!input.value) input.value = store.getItem(KEY) || "";
    form.addEventListener("submit", function () {
      var value = input.value.trim();
      if (value) store.setItem(KEY, value);
    });
  });

  var link = document.querySelector("[data-share-copy]");
  var button = document.querySelector("[data-share-copy-button]");
  var status = document.querySelector("[data-share-copied]");
  if (link && button && navigator.clipboard) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.value).then(
        function () {
          status.textContent = status.dataset.copied || "";
        },
        function () {
          link.select();
          status.textContent = status.dataset.select || "";
        }
      );
    });
  }
})();
