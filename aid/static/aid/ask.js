/* « Poser une question »: while the title is typed, show what already answers
   it (progressive enhancement: without JavaScript the « Vérifier les réponses
   existantes » button does the same by posting the form back). The fragment
   comes from this site only (/entraide/poser/suggestions/), into the form's
   aria-live region. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-aid-ask]");
  if (!form || !window.fetch) {
    return;
  }
  var input = form.querySelector("input[name=title]");
  var region = document.getElementById("suggestions");
  var url = form.getAttribute("data-suggestions-url");
  if (!input || !region || !url) {
    return;
  }
  var timer = null;
  var last = input.value.trim();
  var controller = null;
  input.addEventListener("input", function () {
    var text = input.value.trim();
    window.clearTimeout(timer);
    if (text === last) {
      return;
    }
    timer = window.setTimeout(function () {
      last = text;
      if (text.length < 4) {
        region.innerHTML = "";
        return;
      }
      if (controller && window.AbortController) {
        controller.abort();
      }
      controller = window.AbortController ? new window.AbortController() : null;
      window
        .fetch(url + "?titre=" + encodeURIComponent(text), {
          headers: { Accept: "text/html" },
          credentials: "same-origin",
          signal: controller ? controller.signal : undefined,
        })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && input.value.trim() === text) {
            region.innerHTML = html;
          }
        })
        .catch(function () {});
    }, 400);
  });
})();
