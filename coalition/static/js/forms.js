// Forms people finish: the error summary takes the focus and its links focus their field; a field with a
// limit shows the characters left as one types. Without this script the page still works: the summary and
// the limit are in the HTML. Included once per form, it sets itself up once per page.
(function () {
  "use strict";
  if (window.coalitionForms) { return; }
  window.coalitionForms = true;

  function setUp() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        var field = link && document.getElementById(link.getAttribute("href").slice(1));
        if (field) {
          event.preventDefault();
          field.focus();
          var label = document.querySelector("label[for='" + field.id + "']");
          (label || field).scrollIntoView();
        }
      });
    }
    document.querySelectorAll("[data-count-for]").forEach(function (counter) {
      var field = document.getElementById(counter.getAttribute("data-count-for"));
      var limit = parseInt(counter.getAttribute("data-limit"), 10);
      if (!field || !limit) { return; }
      var describedBy = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (describedBy.indexOf(counter.id) < 0) { describedBy.push(counter.id); }
      field.setAttribute("aria-describedby", describedBy.join(" "));
      var update = function () {
        // What the server counts: line breaks as one character, surrounding space trimmed.
        var length = field.value.replace(/\r\n/g, "\n").trim().length;
        var over = length > limit;
        var text = counter.getAttribute(over ? "data-over" : "data-left");
        counter.textContent = text.replace("{count}", String(Math.abs(limit - length)));
        counter.classList.toggle("over", over);
      };
      field.addEventListener("input", update);
      update();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

// "Copy the link": the button appears only where the script runs; without it the link is selectable text.
(function () {
  "use strict";
  if (window.coalitionCopy) { return; }
  window.coalitionCopy = true;
  function setUp() {
    document.querySelectorAll("[data-copy-for]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy-for"));
      if (!input) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        input.select();
        var done = function () { button.textContent = button.getAttribute("data-copied"); };
        if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done, done); } else { done(); }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
