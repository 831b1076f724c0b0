// Live progress on a mailing's page: asks for the counts every few seconds while it is sending.
(function () {
  "use strict";
  function refresh(box) {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelectorAll("[data-count]").forEach(function (cell) {
          cell.textContent = data[cell.dataset.count];
        });
        document.getElementById("progress-bar").value = data.percent;
        document.getElementById("progress-percent").textContent = data.percent;
        if (data.status === "sending" || data.status === "scheduled") {
          window.setTimeout(function () { refresh(box); }, 3000);
        }
      })
      .catch(function () { window.setTimeout(function () { refresh(box); }, 10000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("mailing-progress");
    if (box && box.dataset.live) { refresh(box); }
  });
})();
