// Select2 draws each autocomplete box as a <span role="combobox"> labelled only by the span
// that shows the chosen value, so an empty box has no accessible name (axe:
// aria-input-field-name). Name the box and that span by the field's own <label>. Select2 draws
// the boxes when Django's autocomplete.js runs, so this runs then and whenever a box appears.
"use strict";
(function () {
    function nameBoxes() {
        document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            var label = document.querySelector('label[for="' + select.id + '"]');
            var holder = select.parentElement;
            if (!label || !holder) {
                return;
            }
            label.id = label.id || select.id + "-label";
            holder.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(
                function (part) {
                    var names = (part.getAttribute("aria-labelledby") || part.id || "").trim();
                    if (names.split(/\s+/).indexOf(label.id) === -1) {
                        part.setAttribute("aria-labelledby", (label.id + " " + names).trim());
                    }
                }
            );
        });
    }
    document.addEventListener("DOMContentLoaded", function () {
        nameBoxes();
        new MutationObserver(nameBoxes).observe(document.body, { childList: true, subtree: true });
    });
    window.addEventListener("load", nameBoxes);
})();
