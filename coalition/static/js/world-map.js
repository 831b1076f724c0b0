// The world map (templates/includes/world_map.html): a tap near a marker opens it.
// On a phone a country's dot is a few pixels wide; this gives every marker a target of 44 px
// (22 px around its centre), picks the nearest one, and follows its link or, for a marker
// without a link (research clusters), says what it is in the live region under the map.
// Without this script the map still works: every marker is a link, and the list beside it too.
(function () {
  "use strict";
  var REACH = 22; // px around a marker's centre that still counts as a tap on it

  function nearest(svg, x, y, reach) {
    var best = null;
    var bestDistance = Infinity;
    svg.querySelectorAll(".world-map__marker").forEach(function (marker) {
      var box = marker.getBoundingClientRect();
      var distance = Math.hypot(box.left + box.width / 2 - x, box.top + box.height / 2 - y);
      if (distance <= Math.max(reach, box.width / 2) && distance < bestDistance) {
        best = marker;
        bestDistance = distance;
      }
    });
    return best;
  }

  function label(marker) {
    return marker.getAttribute("aria-label") || marker.getAttribute("data-label") || "";
  }

  function setUp(figure) {
    if (figure.hasAttribute("data-world-map-ready")) return;
    figure.setAttribute("data-world-map-ready", "");
    var svg = figure.querySelector("svg");
    var readout = figure.querySelector(".world-map__readout");
    svg.addEventListener("click", function (event) {
      if (event.target.closest(".world-map__marker")) {
        var direct = event.target.closest(".world-map__marker");
        if (!direct.hasAttribute("href") && readout) readout.textContent = label(direct);
        return; // a link hit squarely opens itself
      }
      // On a country's own shape, only a dot very close by wins over the country itself.
      var reach = event.target.closest(".world-map__region") ? 8 : REACH;
      var marker = nearest(svg, event.clientX, event.clientY, reach);
      if (!marker) return;
      event.preventDefault();
      var href = marker.getAttribute("href");
      if (href) {
        window.location.assign(href);
      } else if (readout) {
        readout.textContent = label(marker);
      }
    });
  }

  document.querySelectorAll("[data-world-map]").forEach(setUp);
})();
