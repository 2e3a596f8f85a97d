// Draws the Find page's sites on a Leaflet map. The list beside the map holds the same sites,
// so the page is complete without this script, without tiles and without a pointer.
(function () {
  "use strict";
  var map = null;
  function draw() {
    var element = document.getElementById("map");
    var data = document.getElementById("map-data");
    if (map) { map.remove(); map = null; }
    if (!element || !data || !window.L) { return; }
    var sites = JSON.parse(data.textContent);
    map = window.L.map(element, { scrollWheelZoom: false, zoomControl: false });
    window.L.control.zoom({
      zoomInTitle: element.getAttribute("data-zoom-in") || "+",
      zoomOutTitle: element.getAttribute("data-zoom-out") || "-"
    }).addTo(map);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      window.L.tileLayer(tiles, { maxZoom: 18, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
    }
    var bounds = [];
    sites.forEach(function (site) {
      // Vector markers with their names: readable with no tiles and no images.
      var marker = window.L.circleMarker([site.lat, site.lon], { radius: 9, color: "#0000bf", weight: 3, fillColor: "#ffffff", fillOpacity: 1 }).addTo(map);
      // A node, never a string: Leaflet would read a string as HTML, and names come from hosts.
      var label = document.createElement("span");
      label.textContent = site.name;
      marker.bindTooltip(label, { permanent: true, direction: "right", offset: [10, 0] });
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = site.url;
      link.textContent = site.name;
      var facts = document.createElement("p");
      facts.textContent = site.free;
      popup.appendChild(link);
      popup.appendChild(facts);
      marker.bindPopup(popup);
      bounds.push([site.lat, site.lon]);
    });
    if (bounds.length > 0) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 12 }); }
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
