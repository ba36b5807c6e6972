"use strict";
// Sortable tables: click a header to sort by that column (numbers numerically).
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, index) {
    th.classList.add("sortable");
    th.addEventListener("click", function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var asc = th.getAttribute("data-order") !== "asc";
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute("data-value") || a.cells[index].textContent;
        var y = b.cells[index].getAttribute("data-value") || b.cells[index].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var cmp = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? cmp : -cmp;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      th.setAttribute("data-order", asc ? "asc" : "desc");
    });
  });
});
