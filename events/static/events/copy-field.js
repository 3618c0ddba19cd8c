/* A "Copy" button next to a read-only field (progressive enhancement: without
   JavaScript the button stays hidden and the field's text can be selected and
   copied by hand). Markup: <button data-copy="FIELD-ID" hidden> and, for the
   announcement, <span data-copy-status="FIELD-ID" role="status">. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector(
      '[data-copy-status="' + button.getAttribute("data-copy") + '"]'
    );
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        if (status) {
          status.textContent = button.getAttribute("data-copied") || "";
        }
      };
      var byHand = function () {
        field.focus();
        field.select();
        try {
          if (document.execCommand("copy")) {
            done();
          }
        } catch (error) {
          /* The text stays selected: the person copies it. */
        }
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, byHand);
      } else {
        byHand();
      }
    });
  });
})();
