/* Suggestions as you type in the search boxes (progressive enhancement: without
   JavaScript the boxes work as plain search forms). Titles and collectivity
   names come from /api/search/suggest/, with the same visibility rules as the
   search itself, into the input's native <datalist>. */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) {
      return;
    }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      if (text.length < 2 || text === last) {
        return;
      }
      timer = window.setTimeout(function () {
        last = text;
        window
          .fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text), {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          })
          .then(function (response) {
            return response.ok ? response.json() : { suggestions: [] };
          })
          .then(function (data) {
            list.textContent = "";
            data.suggestions.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.title;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
