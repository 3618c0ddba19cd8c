/* Filters of the listings: a <details> closed on phones (results come first),
   open on wide screens. Without JavaScript, CSS shows its content on wide screens
   (::details-content); with it, `open` is set to match, so assistive
   technologies are told the same as what is shown. */
(function () {
    "use strict";
    var wide = window.matchMedia("(min-width: 60em)");
    function apply() {
        var boxes = document.querySelectorAll("details[data-disclosure='wide-open']");
        for (var i = 0; i < boxes.length; i++) {
            // An invalid filter keeps its box open on phones too.
            if (wide.matches) boxes[i].open = true;
            else if (!boxes[i].querySelector("[aria-invalid='true']")) boxes[i].open = false;
        }
    }
    apply();
    if (wide.addEventListener) wide.addEventListener("change", apply);
})();
