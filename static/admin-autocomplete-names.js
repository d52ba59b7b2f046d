// Select2 draws each autocomplete box as a <span role="combobox"> labelled only by the span
// that shows the chosen value, so an empty box has no accessible name (axe:
// aria-input-field-name). Name the box and that span by the field's own <label>. Runs after
// Django's autocomplete.js has drawn the boxes.
"use strict";
window.addEventListener("load", function () {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
        var label = document.querySelector('label[for="' + select.id + '"]');
        var holder = select.parentElement;
        if (!label || !holder) {
            return;
        }
        label.id = label.id || select.id + "-label";
        holder.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(
            function (part) {
                var shown = part.getAttribute("aria-labelledby");
                var own = part.id && part.id !== label.id ? " " + part.id : "";
                part.setAttribute("aria-labelledby", label.id + (shown ? " " + shown : own));
            }
        );
    });
});
