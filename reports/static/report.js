"use strict";
// The report's behaviour: sortable tables, the matrices' controls, and the service map (pan, zoom,
// drill-down, search, details). Text from the analyzed code only ever goes in through textContent
// and setAttribute, never as HTML.
(function () {
  document.documentElement.classList.remove("no-js");
  var SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAll(node, attrs, children);
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    setAll(node, attrs, null);
    return node;
  }
  function setAll(node, attrs, children) {
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
  }
  function lines(count) { return fmt(count) + (count === 1 ? " line" : " lines"); }
  function fmt(value) {
    var rounded = Math.round(value * 10) / 10;
    return rounded.toLocaleString("en-US");
  }

  // ---- filters: an input[data-filter=X] shows only the rows (and cards) marked data-filtered=X
  // whose text holds what is typed ----------------------------------------------------------
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var name = input.getAttribute("data-filter");
    var targets = document.querySelectorAll('[data-filtered="' + name + '"]');
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      targets.forEach(function (target) {
        var items = target.tagName === "TABLE" ? target.querySelectorAll("tbody tr") : [target];
        items.forEach(function (item) {
          item.hidden = q !== "" && item.textContent.toLowerCase().indexOf(q) < 0;
        });
      });
    });
  });

  // ---- sortable tables -------------------------------------------------------------------
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, index) {
      th.classList.add("sortable");
      th.setAttribute("tabindex", "0");
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var asc = th.getAttribute("aria-sort") !== "ascending";
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[index]), y = cellValue(b.cells[index]);
          var nx = parseFloat(x), ny = parseFloat(y);
          var cmp = (!isNaN(nx) && !isNaN(ny) && isFinite(x) && isFinite(y)) ? nx - ny : x.localeCompare(y);
          return asc ? cmp : -cmp;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) { if (event.key === "Enter") sort(); });
    });
  });
  function cellValue(cell) {
    if (!cell) return "";
    var value = cell.getAttribute("data-value");
    return value !== null ? value : cell.textContent.trim();
  }

  // ---- dependency matrix: pick a kind ----------------------------------------------------
  var picker = document.querySelector(".kind-picker");
  if (picker) {
    picker.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-kind]");
      if (!button) return;
      picker.querySelectorAll("button").forEach(function (b) { b.classList.toggle("active", b === button); });
      var kind = button.getAttribute("data-kind");
      var cells = document.querySelectorAll("#dependency-matrix td.cell");
      var top = 0;
      cells.forEach(function (cell) { top = Math.max(top, parseFloat(cell.getAttribute("data-" + kind)) || 0); });
      cells.forEach(function (cell) {
        var value = parseFloat(cell.getAttribute("data-" + kind)) || 0;
        var shade = value > 0 && top > 0 ? Math.log(1 + value) / Math.log(1 + top) : 0;
        cell.textContent = value > 0 ? fmt(value) : "";
        cell.style.setProperty("--shade", shade.toFixed(3));
        cell.classList.toggle("dark", shade > 0.55);
      });
    });
  }
  var conflictsOnly = document.getElementById("conflicts-only");
  if (conflictsOnly) {
    conflictsOnly.addEventListener("change", function () {
      document.querySelectorAll("#table-matrix tbody tr").forEach(function (row) {
        row.hidden = conflictsOnly.checked && !row.classList.contains("conflict");
      });
    });
  }

  // Printing shows what folded sections hold.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; reopened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });

  var dataNode = document.getElementById("seams-data");
  var map = document.getElementById("service-map");
  if (dataNode && map) initMap(JSON.parse(dataNode.textContent), map);
  window.seamsReadyAt = performance.now();
  window.seamsReady = true;

  // ---- the service map -------------------------------------------------------------------
  function initMap(D, root) {
    var P = D.pieces, N = D.nodes, E = D.edges, S = D.services;
    var nPieces = P.s.length, nNodes = N.k.length, nEdges = E.length / 4;
    for (var source = 0, at = 0; at < E.length; at += 4) E[at] = source += E[at]; // sources are stored as steps
    var viewport = document.getElementById("viewport");
    var edgeLayer = document.getElementById("map-edges");
    var labelLayer = document.getElementById("piece-labels");
    var details = document.getElementById("details");
    var crumbs = document.getElementById("crumbs");
    var box = root.viewBox.baseVal;
    var view = { x: 0, y: 0, k: 1 };
    var ZOOMED = 1.5; // beyond this the map shows a service's insides, not the overview
    var selection = { service: -1, piece: -1 };
    var pieceEls = new Array(nPieces);
    root.querySelectorAll("[data-piece]").forEach(function (node) {
      pieceEls[+node.getAttribute("data-piece")] = node;
    });
    var regionEls = [];
    root.querySelectorAll("circle.region").forEach(function (node) {
      regionEls[+node.getAttribute("data-service")] = node;
    });

    // Which nodes sit in each piece, and the edges between pieces (weights summed).
    var nodesOf = [];
    for (var p = 0; p < nPieces; p++) nodesOf.push([]);
    for (var n = 0; n < nNodes; n++) if (N.p[n] >= 0) nodesOf[N.p[n]].push(n);
    var pieceOut = [], pieceIn = [];
    for (p = 0; p < nPieces; p++) { pieceOut.push(new Map()); pieceIn.push(new Map()); }
    for (var e = 0; e < nEdges; e++) {
      var a = N.p[E[4 * e]], b = N.p[E[4 * e + 1]];
      if (a < 0 || b < 0 || a === b) continue;
      addTo(pieceOut[a], b, E[4 * e + 2], E[4 * e + 3]);
      addTo(pieceIn[b], a, E[4 * e + 2], E[4 * e + 3]);
    }
    function addTo(table, key, weight, mask) {
      var entry = table.get(key);
      if (!entry) table.set(key, entry = { w: 0, mask: 0 });
      entry.w += weight;
      entry.mask |= mask;
    }
    var nodeEdges = null; // built on first need: edge indices per node, out and in
    function edgesOfNode() {
      if (nodeEdges) return nodeEdges;
      nodeEdges = { out: [], into: [] };
      for (var i = 0; i < nNodes; i++) { nodeEdges.out.push([]); nodeEdges.into.push([]); }
      for (var j = 0; j < nEdges; j++) {
        nodeEdges.out[E[4 * j]].push(j);
        nodeEdges.into[E[4 * j + 1]].push(j);
      }
      return nodeEdges;
    }
    var mainPiece = new Map(); // module index -> its piece holding the module's own code
    for (n = 0; n < nNodes; n++) {
      if (N.k[n] === "m" && N.p[n] >= 0) mainPiece.set(N.m[n], N.p[n]);
    }
    var moduleIndex = new Map();
    D.modules.forEach(function (name, i) { moduleIndex.set(name, i); });
    function piecesOfModule(name) {
      var found = [];
      for (var i = 0; i < nPieces; i++) if (!P.table[i] && P.label[i] === name) found.push(i);
      return found;
    }
    function nodeId(i) {
      if (N.k[i] === "t") return "table::" + N.n[i];
      var module = N.m[i] >= 0 ? D.modules[N.m[i]] : "";
      return N.k[i] === "m" ? module : module + ":" + N.n[i];
    }
    function kindNames(mask) {
      return D.kinds.filter(function (_, i) { return mask & (1 << i); }).join(", ");
    }

    // -- view transform --
    function screen() {
      var rect = root.getBoundingClientRect();
      var s0 = Math.min(rect.width / box.width, rect.height / box.height) || 1;
      return {
        rect: rect, s0: s0,
        ox: (rect.width - box.width * s0) / 2, oy: (rect.height - box.height * s0) / 2
      };
    }
    function toUser(clientX, clientY) {
      var sc = screen();
      return { x: (clientX - sc.rect.left - sc.ox) / sc.s0, y: (clientY - sc.rect.top - sc.oy) / sc.s0 };
    }
    var pending = false;
    function apply() {
      viewport.setAttribute("transform", "translate(" + view.x.toFixed(2) + " " + view.y.toFixed(2) + ") scale(" + view.k.toFixed(5) + ")");
      root.classList.toggle("zoomed", view.k > ZOOMED);
      if (!pending) {
        pending = true;
        requestAnimationFrame(function () { pending = false; drawLabels(); });
      }
    }
    function zoomAt(ux, uy, factor) {
      var k = Math.max(0.3, Math.min(view.k * factor, 400));
      factor = k / view.k;
      view.x = ux - (ux - view.x) * factor;
      view.y = uy - (uy - view.y) * factor;
      view.k = k;
      apply();
    }
    function fit(cx, cy, r) {
      var sc = screen();
      var w = sc.rect.width / sc.s0, h = sc.rect.height / sc.s0;
      var left = -sc.ox / sc.s0, top = -sc.oy / sc.s0;
      view.k = Math.max(0.3, Math.min(Math.min(w, h) / (2.3 * r), 400));
      view.x = left + w / 2 - cx * view.k;
      view.y = top + h / 2 - cy * view.k;
      apply();
    }
    function fitAll() { view = { x: 0, y: 0, k: 1 }; apply(); }

    // Where each service sits (its circle), its name on the map, and the lines between services.
    var homes = [], serviceLabels = [];
    regionEls.forEach(function (node, i) {
      homes[i] = { x: +node.getAttribute("cx"), y: +node.getAttribute("cy"), r: +node.getAttribute("r") };
    });
    root.querySelectorAll("text.service-label").forEach(function (node) {
      serviceLabels[+node.getAttribute("data-service")] = node;
    });
    var links = [];
    root.querySelectorAll(".arc").forEach(function (arc) {
      links.push({ a: +arc.getAttribute("data-from"), b: +arc.getAttribute("data-to"),
        forward: +arc.getAttribute("data-forward"), backward: +arc.getAttribute("data-backward"),
        w: +arc.getAttribute("data-weight") });
    });
    var offscreen = document.getElementById("offscreen");

    // Labels for the pieces that are large enough on screen, the biggest first.
    var labelPool = [];
    var arrow = document.getElementById("arrow");
    function drawLabels() {
      var sc = screen();
      var px = sc.s0 * view.k;
      root.style.setProperty("--label", (15 / px).toFixed(3) + "px");
      root.style.setProperty("--piece-label", (11 / px).toFixed(3) + "px");
      if (arrow) { arrow.setAttribute("markerWidth", (14 / px).toFixed(3)); arrow.setAttribute("markerHeight", (14 / px).toFixed(3)); }
      var left = (-sc.ox / sc.s0 - view.x) / view.k, top = (-sc.oy / sc.s0 - view.y) / view.k;
      var right = left + sc.rect.width / sc.s0 / view.k, bottom = top + sc.rect.height / sc.s0 / view.k;
      var vis = { left: left, top: top, right: right, bottom: bottom };
      var nameBoxes = placeServiceLabels(vis, px);
      var shown = [];
      for (var i = 0; i < nPieces; i++) {
        if (P.r[i] * px < 6) continue;
        if (P.x[i] < left || P.x[i] > right || P.y[i] < top || P.y[i] > bottom) continue;
        shown.push(i);
      }
      shown.sort(function (a, b) { return P.r[b] - P.r[a] || a - b; });
      shown = unclutter(shown, px, nameBoxes).slice(0, 300);
      while (labelPool.length < shown.length) {
        var text = svg("text", { "class": "piece-label" });
        labelLayer.appendChild(text);
        labelPool.push(text);
      }
      labelPool.forEach(function (text, j) {
        if (j >= shown.length) { text.setAttribute("display", "none"); return; }
        var piece = shown[j];
        text.removeAttribute("display");
        text.setAttribute("x", P.x[piece]);
        text.setAttribute("y", (P.y[piece] + P.r[piece] + 11 / px).toFixed(2));
        text.textContent = shortLabel(piece);
      });
      drawMarkers(sc, vis);
    }
    // A service's name sits in its circle's middle on the overview. Zoomed in, it moves above the
    // circle, clear of the dots, and stays in view (over the circle's top) while the circle fills
    // the screen. Returns the names' boxes in screen pixels, for unclutter.
    function placeServiceLabels(vis, px) {
      var boxes = [], zoomed = view.k > ZOOMED;
      S.forEach(function (service, i) {
        var label = serviceLabels[i], c = homes[i];
        if (!label || !c) return;
        var half = (service.name.length * 9 + 8) / 2 / px, gap = 14 / px;
        var x = c.x, y = c.y;
        if (zoomed) {
          y = c.y - c.r - gap;
          if (y < vis.top + gap) y = Math.min(vis.top + gap * 1.5, c.y + c.r - gap);
          x = Math.max(vis.left + half + gap, Math.min(vis.right - half - gap, x));
          x = Math.max(c.x - c.r + half, Math.min(c.x + c.r - half, x));
        }
        var at = x.toFixed(2) + " " + y.toFixed(2);
        if (label.seamsAt !== at) { // moving a text costs a layout: only when it moved
          label.seamsAt = at;
          label.setAttribute("x", x.toFixed(2));
          label.setAttribute("y", y.toFixed(2));
        }
        boxes.push({ l: (x - half) * px, r: (x + half) * px, t: y * px - 10, b: y * px + 10 });
      });
      return boxes;
    }
    // Keep a label only where it does not cover one already kept (boxes in screen pixels).
    function unclutter(candidates, px, taken) {
      var cell = 60, grid = new Map(), kept = [];
      function file(b) {
        var keys = [];
        for (var gx = Math.floor(b.l / cell); gx <= Math.floor(b.r / cell); gx++) {
          for (var gy = Math.floor(b.t / cell); gy <= Math.floor(b.b / cell); gy++) keys.push(gx + "," + gy);
        }
        return keys;
      }
      taken.forEach(function (b) {
        file(b).forEach(function (key) { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(b); });
      });
      candidates.forEach(function (piece) {
        if (kept.length >= 300) return;
        var w = shortLabel(piece).length * 6.2 + 4, h = 14;
        var cx = P.x[piece] * px, top = (P.y[piece] + P.r[piece]) * px + 2;
        var b = { l: cx - w / 2, r: cx + w / 2, t: top, b: top + h };
        var keys = file(b);
        var clash = keys.some(function (key) {
          return (grid.get(key) || []).some(function (o) { return b.l < o.r && o.l < b.r && b.t < o.b && o.t < b.b; });
        });
        if (clash) return;
        keys.forEach(function (key) { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(b); });
        kept.push(piece);
      });
      return kept;
    }

    // Services out of view that the service in focus depends on, or is used by: a marker at the
    // edge of the map, pointing towards each, with its name; clicking it goes there.
    function focusService(vis) {
      if (selection.service >= 0) return selection.service;
      if (view.k <= ZOOMED) return -1;
      var cx = (vis.left + vis.right) / 2, cy = (vis.top + vis.bottom) / 2;
      for (var i = 0; i < homes.length; i++) {
        if (homes[i] && Math.hypot(cx - homes[i].x, cy - homes[i].y) < homes[i].r) return i;
      }
      return -1;
    }
    var MARKERS = 14; // the heaviest dependencies out of view get a marker, at most this many
    function drawMarkers(sc, vis) {
      offscreen.replaceChildren();
      var focus = focusService(vis);
      if (focus < 0) return;
      var edge = { unit: 1 / sc.s0, left: -sc.ox / sc.s0, top: -sc.oy / sc.s0,
        width: sc.rect.width / sc.s0, height: sc.rect.height / sc.s0 };
      edge.pad = 18 * edge.unit;
      var found = markersOf(focus, vis, edge);
      ["left", "right", "top", "bottom"].forEach(function (side) { spreadAlong(found, side, edge); });
      clearOfName(found, focus, edge);
      keepInside(found, edge);
      found.forEach(function (m) { offscreen.appendChild(marker(focus, m, edge.unit)); });
    }
    // The box a marker's label covers, in the map's own coordinates (drawn by ``marker``).
    function extentOf(m, unit) {
      var h = 22 * unit;
      var bx = m.side === "right" ? -m.width : m.side === "left" ? 0 : -m.width / 2;
      var by = m.side === "bottom" ? -h : m.side === "top" ? 0 : -h / 2;
      return { l: m.x + bx, r: m.x + bx + m.width, t: m.y + by, b: m.y + by + h };
    }
    // Every marker wholly inside the view, its tip too: a wide label near a corner is moved in
    // along its side.
    function keepInside(found, edge) {
      var margin = 8 * edge.unit; // the tip reaches 7 units beyond the label's anchor
      var right = edge.left + edge.width - margin, bottom = edge.top + edge.height - margin;
      found.forEach(function (m) {
        var e = extentOf(m, edge.unit);
        if (e.l < edge.left + margin) m.x += edge.left + margin - e.l;
        else if (e.r > right) m.x -= e.r - right;
        if (e.t < edge.top + margin) m.y += edge.top + margin - e.t;
        else if (e.b > bottom) m.y -= e.b - bottom;
      });
    }
    // A marker never covers the name of the service in focus (held at the view's edge when
    // zoomed in): markers in its way move along their side, away from the name, pushing on
    // those beyond them so that none covers another.
    function clearOfName(found, focus, edge) {
      var label = serviceLabels[focus];
      if (!label) return;
      var lx = view.x + view.k * +label.getAttribute("x"), ly = view.y + view.k * +label.getAttribute("y");
      var half = (S[focus].name.length * 9 + 8) / 2 * edge.unit, tall = 12 * edge.unit, gap = 6 * edge.unit;
      var box = { l: lx - half - gap, r: lx + half + gap, t: ly - tall - gap, b: ly + tall + gap };
      function extent(m) { return extentOf(m, edge.unit); }
      ["top", "bottom", "left", "right"].forEach(function (side) {
        var vertical = side === "left" || side === "right";
        var axis = vertical ? "y" : "x";
        var lo = vertical ? "t" : "l", hi = vertical ? "b" : "r";
        var across = function (e) { return vertical ? e.r > box.l && e.l < box.r : e.b > box.t && e.t < box.b; };
        var mine = found.filter(function (m) { return m.side === side && across(extent(m)); });
        var hit = mine.some(function (m) { var e = extent(m); return e[hi] > box[lo] && e[lo] < box[hi]; });
        if (!hit) return;
        var centre = (box[lo] + box[hi]) / 2;
        var after = mine.filter(function (m) { return m[axis] >= centre; });
        var before = mine.filter(function (m) { return m[axis] < centre; });
        after.sort(function (a, b) { return a[axis] - b[axis]; });
        before.sort(function (a, b) { return b[axis] - a[axis]; });
        var cursor = box[hi];
        after.forEach(function (m) {
          var e = extent(m);
          if (e[lo] < cursor) m[axis] += cursor - e[lo];
          cursor = extent(m)[hi] + gap;
        });
        cursor = box[lo];
        before.forEach(function (m) {
          var e = extent(m);
          if (e[hi] > cursor) m[axis] -= e[hi] - cursor;
          cursor = extent(m)[lo] - gap;
        });
      });
    }
    // Where the line from the view's centre to each service out of view leaves the view (in the
    // map's own coordinates, not zoomed): one marker per service, heaviest first.
    function markersOf(focus, vis, edge) {
      var cx = edge.left + edge.width / 2, cy = edge.top + edge.height / 2;
      var halfW = edge.width / 2 - edge.pad, halfH = edge.height / 2 - edge.pad;
      var found = [];
      links.forEach(function (link) {
        if (link.a !== focus && link.b !== focus) return;
        var other = link.a === focus ? link.b : link.a, c = homes[other];
        if (!c || (c.x >= vis.left && c.x <= vis.right && c.y >= vis.top && c.y <= vis.bottom)) return;
        var out = link.a === focus ? link.forward > 0 : link.backward > 0;
        var into = link.a === focus ? link.backward > 0 : link.forward > 0;
        var dx = view.x + view.k * c.x - cx, dy = view.y + view.k * c.y - cy;
        var t = Math.min(halfW / Math.max(Math.abs(dx), 1e-9), halfH / Math.max(Math.abs(dy), 1e-9));
        var side = Math.abs(dx) * t >= halfW - 1e-6 ? (dx > 0 ? "right" : "left") : (dy > 0 ? "bottom" : "top");
        var text = (out && into ? "\u21c4 " : out ? "\u2192 " : "\u2190 ") + S[other].name;
        found.push({ service: other, w: link.w, x: cx + dx * t, y: cy + dy * t, dx: dx, dy: dy, side: side,
          text: text, width: (text.length * 7 + 14) * edge.unit, out: out, into: into });
      });
      found.sort(function (a, b) { return b.w - a.w || a.service - b.service; });
      return found.slice(0, MARKERS);
    }
    // Markers on one side of the view, pushed apart along it so that none covers another.
    function spreadAlong(found, side, edge) {
      var mine = found.filter(function (m) { return m.side === side; });
      var vertical = side === "left" || side === "right";
      var axis = vertical ? "y" : "x";
      var low = (vertical ? edge.top : edge.left) + edge.pad;
      var high = (vertical ? edge.top + edge.height : edge.left + edge.width) - edge.pad;
      function room(a, b) { return vertical ? 24 * edge.unit : (a.width + b.width) / 2 + 8 * edge.unit; }
      mine.sort(function (a, b) { return a[axis] - b[axis]; });
      for (var i = 1; i < mine.length; i++) mine[i][axis] = Math.max(mine[i][axis], mine[i - 1][axis] + room(mine[i - 1], mine[i]));
      if (mine.length && mine[mine.length - 1][axis] > high) mine[mine.length - 1][axis] = high;
      for (i = mine.length - 2; i >= 0; i--) mine[i][axis] = Math.min(mine[i][axis], mine[i + 1][axis] - room(mine[i], mine[i + 1]));
      mine.forEach(function (m) { m[axis] = Math.max(low, m[axis]); });
    }
    function marker(focus, m, unit) {
      var h = 22 * unit, w = m.width, tip = 7 * unit;
      var bx = m.side === "right" ? -w : m.side === "left" ? 0 : -w / 2;
      var by = m.side === "bottom" ? -h : m.side === "top" ? 0 : -h / 2;
      var angle = Math.atan2(m.dy, m.dx) * 180 / Math.PI;
      var how = m.out && m.into ? S[focus].name + " and " + S[m.service].name + " depend on each other" :
        m.out ? S[focus].name + " depends on " + S[m.service].name : S[m.service].name + " depends on " + S[focus].name;
      var group = svg("g", { "class": "offscreen-marker", "data-service": String(m.service),
        transform: "translate(" + m.x.toFixed(2) + " " + m.y.toFixed(2) + ")" });
      // the weight as written in the document: the locale formatter costs ~20 ms on first use
      group.appendChild(svg("title", { text: how + " (weight " + m.w + "), out of view: click to go there" }));
      group.appendChild(svg("rect", { x: bx.toFixed(2), y: by.toFixed(2), width: w.toFixed(2), height: h.toFixed(2),
        rx: (4 * unit).toFixed(2), stroke: S[m.service].colour, "stroke-width": (2 * unit).toFixed(2) }));
      group.appendChild(svg("path", { "class": "tip", d: "M" + tip + " 0L" + (-tip) + " " + (-tip * 0.7) + "L" + (-tip) + " " + (tip * 0.7) + "z",
        fill: S[m.service].colour, transform: "rotate(" + angle.toFixed(1) + ")" }));
      group.appendChild(svg("text", { x: (bx + w / 2).toFixed(2), y: (by + h / 2).toFixed(2), "font-size": (12 * unit).toFixed(2), text: m.text }));
      return group;
    }
    function shortLabel(piece) {
      var parts = P.label[piece].split(".");
      return P.table[piece] ? P.label[piece] : parts.slice(-2).join(".");
    }

    // -- pointer: drag to pan, wheel to zoom, click to select --
    var drag = null, dragged = false;
    root.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
      dragged = false;
    });
    root.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!dragged) { dragged = true; root.classList.add("dragging"); root.setPointerCapture(event.pointerId); }
      var s0 = screen().s0;
      view.x = drag.vx + dx / s0;
      view.y = drag.vy + dy / s0;
      apply();
    });
    function endDrag() { drag = null; root.classList.remove("dragging"); }
    root.addEventListener("pointerup", endDrag);
    root.addEventListener("pointercancel", endDrag);
    root.addEventListener("wheel", function (event) {
      event.preventDefault();
      var u = toUser(event.clientX, event.clientY);
      zoomAt(u.x, u.y, Math.exp(-event.deltaY * 0.0015));
    }, { passive: false });
    // On the overview a click anywhere on a service (its circle, its name or one of its dots)
    // zooms into it; modules are picked once their service is open or the map is zoomed in.
    root.addEventListener("click", function (event) {
      if (dragged) { dragged = false; return; }
      var target = event.target.closest("[data-piece], [data-service]");
      if (!target) { clearSelection(); return; }
      if (target.hasAttribute("data-piece")) {
        var piece = +target.getAttribute("data-piece");
        if (selection.service === P.s[piece] || view.k > ZOOMED) selectPiece(piece, false);
        else selectService(P.s[piece], true);
      } else selectService(+target.getAttribute("data-service"), true);
    });
    root.addEventListener("dblclick", function (event) {
      var u = toUser(event.clientX, event.clientY);
      zoomAt(u.x, u.y, 2);
    });
    root.setAttribute("tabindex", "0");
    root.addEventListener("keydown", function (event) {
      var c = { x: box.width / 2, y: box.height / 2 };
      var step = 60;
      var keys = {
        "+": function () { zoomAt(c.x, c.y, 1.4); }, "=": function () { zoomAt(c.x, c.y, 1.4); },
        "-": function () { zoomAt(c.x, c.y, 1 / 1.4); }, "0": fitAll,
        "ArrowLeft": function () { view.x += step; apply(); }, "ArrowRight": function () { view.x -= step; apply(); },
        "ArrowUp": function () { view.y += step; apply(); }, "ArrowDown": function () { view.y -= step; apply(); },
        "Escape": function () { clearSelection(); fitAll(); }
      };
      if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });
    document.querySelectorAll(".map-toolbar [data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-action");
        if (action === "fit") { clearSelection(); fitAll(); }
        else zoomAt(box.width / 2, box.height / 2, action === "zoom-in" ? 1.5 : 1 / 1.5);
      });
    });
    document.querySelectorAll(".legend-item").forEach(function (button) {
      button.addEventListener("click", function () {
        selectService(+button.getAttribute("data-service"), true);
        root.scrollIntoView({ block: "nearest" });
      });
    });
    var allEdges = document.getElementById("all-edges");
    allEdges.addEventListener("change", redrawEdges);

    // -- selection and edges --
    function clearMarks() {
      root.querySelectorAll(".selected, .near, .hit, .lit").forEach(function (node) {
        node.classList.remove("selected", "near", "hit", "lit");
      });
      root.querySelector(".arcs").classList.remove("dim");
      root.querySelector(".pieces").classList.remove("dim");
    }
    function clearSelection() {
      clearMarks();
      selection = { service: -1, piece: -1 };
      redrawEdges();
      setCrumbs();
      details.replaceChildren(el("h3", { text: "Details" }),
        el("p", { "class": "muted", text: "Click a service or a module on the map, or search for one by name." }));
      apply();
    }
    function segment(a, b) {
      return "M" + P.x[a] + " " + P.y[a] + "L" + P.x[b] + " " + P.y[b];
    }
    function redrawEdges() {
      var inside = [], out = [], into = [], all = [];
      if (allEdges.checked) {
        pieceOut.forEach(function (targets, a) { targets.forEach(function (_, b) { all.push(segment(a, b)); }); });
      }
      if (selection.piece >= 0) {
        var p = selection.piece;
        pieceOut[p].forEach(function (_, b) { out.push(segment(p, b)); });
        pieceIn[p].forEach(function (_, a) { into.push(segment(a, p)); });
      } else if (selection.service >= 0) {
        var s = selection.service;
        for (var a = 0; a < nPieces; a++) {
          if (P.s[a] !== s) continue;
          pieceOut[a].forEach(function (_, b) { (P.s[b] === s ? inside : out).push(segment(a, b)); });
          pieceIn[a].forEach(function (_, b) { if (P.s[b] !== s) into.push(segment(b, a)); });
        }
      }
      edgeLayer.replaceChildren();
      // A module's own links are drawn over the dots, a whole service's under them.
      var pieceLayer = root.querySelector(".pieces");
      if (selection.piece >= 0) pieceLayer.after(edgeLayer);
      else pieceLayer.before(edgeLayer);
      [["all", all], ["inside", inside], ["in", into], ["out", out]].forEach(function (pair) {
        if (pair[1].length) edgeLayer.appendChild(svg("path", { "class": pair[0], d: pair[1].join("") }));
      });
    }
    function lightArcs(service) {
      root.querySelector(".arcs").classList.add("dim");
      root.querySelectorAll(".arc").forEach(function (arc) {
        if (+arc.getAttribute("data-from") === service || +arc.getAttribute("data-to") === service) arc.classList.add("lit");
      });
    }
    function setCrumbs(service, piece) {
      var parts = [link("All services", function () { clearSelection(); fitAll(); })];
      if (service >= 0) {
        parts.push(" \u203a ", link(S[service].name, function () { selectService(service, true); }));
      }
      if (piece >= 0) parts.push(" \u203a ", el("span", { text: P.label[piece] }));
      crumbs.replaceChildren.apply(crumbs, parts);
    }
    function link(text, action) {
      var a = el("a", { href: "#map", text: text });
      a.addEventListener("click", function (event) { event.preventDefault(); action(); });
      return a;
    }
    function chip(service) {
      return el("span", { "class": "chip" }, [
        el("span", { "class": "swatch", style: "background:" + S[service].colour }), S[service].name]);
    }

    function selectService(s, zoom) {
      clearMarks();
      selection = { service: s, piece: -1 };
      if (regionEls[s]) regionEls[s].classList.add("selected");
      lightArcs(s);
      redrawEdges();
      setCrumbs(s, -1);
      var card = document.getElementById("card-" + s);
      var body = card ? card.cloneNode(true) : el("p", { text: S[s].name });
      body.removeAttribute("id");
      details.replaceChildren(body, el("p", { "class": "muted" }, [
        "Orange lines: its modules' dependencies on other services; blue: other services using it; grey: inside it."]));
      if (zoom && homes[s]) fit(homes[s].x, homes[s].y, homes[s].r);
      else apply();
    }

    function selectPiece(p, zoom, focusNode) {
      clearMarks();
      selection = { service: P.s[p], piece: p };
      pieceEls[p].classList.add("selected");
      root.querySelector(".pieces").classList.add("dim");
      pieceOut[p].forEach(function (_, b) { pieceEls[b].classList.add("near"); });
      pieceIn[p].forEach(function (_, b) { pieceEls[b].classList.add("near"); });
      lightArcs(P.s[p]);
      redrawEdges();
      setCrumbs(P.s[p], p);
      details.replaceChildren.apply(details, P.table[p] ? tableDetails(p) : pieceDetails(p, focusNode));
      if (zoom) fit(P.x[p], P.y[p], Math.max(P.r[p] * 6, 60));
      else apply();
    }

    function dependencyRows(entries, outgoing) {
      var rows = [];
      entries.forEach(function (entry, other) { rows.push({ other: other, w: entry.w, mask: entry.mask }); });
      rows.sort(function (a, b) { return b.w - a.w || a.other - b.other; });
      if (!rows.length) return [el("p", { "class": "muted", text: outgoing ? "It uses nothing in other modules." : "No other module uses it." })];
      var list = el("ul");
      rows.slice(0, 12).forEach(function (row) {
        list.appendChild(el("li", {}, [
          link(P.label[row.other], function () { selectPiece(row.other, true); }), " ",
          chip(P.s[row.other]),
          el("span", { "class": "muted", text: " " + fmt(row.w) + " (" + kindNames(row.mask) + ")" })]));
      });
      var result = [list];
      if (rows.length > 12) result.push(el("p", { "class": "muted", text: "and " + (rows.length - 12) + " more" }));
      return result;
    }

    function whyBlock(node) {
      var row = D.why.rows[String(node)];
      if (!row) return null;
      var service = N.s[node];
      var parts = [el("b", { text: "Why here: " })];
      if (row[0] < 0 && !row[1]) {
        parts.push(row[3].length ? "" : "no coupling found.");
      } else if (row[0] >= 0) {
        parts.push("pull " + fmt(row[1]) + " towards " + (service >= 0 ? S[service].name : "?") +
          ", " + fmt(row[2]) + " towards the runner-up, " + S[row[0]].name + ".");
      } else {
        parts.push("pull " + fmt(row[1]) + " towards " + (service >= 0 ? S[service].name : "?") + ".");
      }
      var list = el("ul");
      row[3].forEach(function (reason) {
        list.appendChild(el("li", {}, [
          el("span", { "class": "kind kind-" + reason[0], text: reason[0] }), " ", D.why.texts[reason[1]] || "",
          // the other end's service and the edge's weight; reasons that are not an edge
          // (no coupling, shared library) have no weight and say all in their text
          reason[2] >= 0 && reason[3] > 0 ? el("span", { "class": "muted", text: " (" + S[reason[2]].name + ", weight " + fmt(reason[3]) + ")" }) : null]));
      });
      return el("div", { "class": "why" }, [el("p", {}, parts), row[3].length ? list : null]);
    }

    function pieceDetails(p, focusNode) {
      var module = P.label[p];
      var mi = moduleIndex.has(module) ? moduleIndex.get(module) : -1;
      var out = [el("h3", { text: module }),
        el("p", {}, [chip(P.s[p]), el("span", { "class": "muted", text: " \u00b7 " + lines(P.loc[p]) + " here" }),
          mi >= 0 && D.paths[mi] ? el("br") : null, mi >= 0 && D.paths[mi] ? el("code", { text: D.paths[mi] }) : null])];
      var others = piecesOfModule(module).filter(function (q) { return q !== p; });
      if (others.length) {
        var split = el("p", {}, [el("b", { text: "Split file: " }), "its other parts are in "]);
        others.forEach(function (q, i) {
          split.appendChild(link(S[P.s[q]].name, function () { selectPiece(q, true); }));
          split.appendChild(document.createTextNode(" (" + lines(P.loc[q]) + ")" + (i < others.length - 1 ? ", " : ".")));
        });
        out.push(split);
      }
      var members = nodesOf[p];
      var own = members.filter(function (n) { return N.k[n] === "m"; });
      if (own.length) { var why = whyBlock(own[0]); if (why) out.push(why); }
      var symbols = members.filter(function (n) { return N.k[n] === "c" || N.k[n] === "f"; });
      if (symbols.length) {
        out.push(el("h4", { text: "Classes and functions here (" + symbols.length + ")" }));
        var list = el("ul", { "class": "symbols" });
        symbols.sort(function (a, b) { return N.line[a] - N.line[b]; });
        symbols.forEach(function (n) { list.appendChild(symbolItem(n, n === focusNode)); });
        out.push(list);
      }
      var tables = tablesUsed(members);
      if (tables.length) {
        out.push(el("h4", { text: "Tables" }));
        out.push(el("ul", {}, tables.map(function (t) {
          return el("li", {}, [el("code", { text: t.name }), " ", el("span", { "class": "muted", text: t.how })]);
        })));
      }
      out.push(el("h4", { text: "Depends on" }));
      out = out.concat(dependencyRows(pieceOut[p], true));
      out.push(el("h4", { text: "Used by" }));
      out = out.concat(dependencyRows(pieceIn[p], false));
      return out;
    }

    function symbolItem(n, open) {
      var kind = N.k[n] === "c" ? "class" : "function";
      var item = el("details", { "data-node": String(n) });
      if (open) item.open = true;
      var outside = 0, edges = edgesOfNode();
      edges.into[n].forEach(function (j) { if (N.s[E[4 * j]] !== N.s[n]) outside++; });
      item.appendChild(el("summary", {}, [el("code", { text: N.n[n] }),
        el("span", { "class": "muted", text: " " + kind + ", line " + N.line[n] + ", " + lines(N.loc[n]) +
          (outside ? ", used from " + outside + " place" + (outside > 1 ? "s" : "") + " outside" : "") })]));
      var why = whyBlock(n);
      if (why) item.appendChild(why);
      var uses = edgeList(edges.out[n], 1, "uses");
      var usedBy = edgeList(edges.into[n], 0, "used by");
      if (uses) item.appendChild(uses);
      if (usedBy) item.appendChild(usedBy);
      return el("li", {}, [item]);
    }
    function edgeList(indices, end, verb) {
      if (!indices.length) return null;
      var sorted = indices.slice().sort(function (a, b) { return E[4 * b + 2] - E[4 * a + 2]; });
      var list = el("ul");
      sorted.slice(0, 10).forEach(function (j) {
        var other = E[4 * j + end];
        var service = N.s[other];
        var name = N.p[other] >= 0 ? link(nodeId(other), function () { goToNode(other); }) : el("span", { text: nodeId(other) });
        list.appendChild(el("li", {}, [el("span", { "class": "muted", text: verb + " " }),
          el("code", {}, [name]), " ", service >= 0 ? chip(service) : null,
          el("span", { "class": "muted", text: " " + kindNames(E[4 * j + 3]) })]));
      });
      if (sorted.length > 10) list.appendChild(el("li", { "class": "muted", text: "and " + (sorted.length - 10) + " more" }));
      return list;
    }
    function goToNode(node) {
      if (N.k[node] === "c" || N.k[node] === "f") { selectPiece(N.p[node], true, node); focusSymbol(node); }
      else selectPiece(N.p[node], true);
    }
    function tablesUsed(members) {
      var edges = edgesOfNode(), found = new Map();
      members.forEach(function (n) {
        edges.out[n].forEach(function (j) {
          var t = E[4 * j + 1];
          if (N.k[t] === "t") found.set(N.n[t], kindNames(E[4 * j + 3]));
        });
      });
      return Array.from(found.keys()).sort().map(function (name) {
        var info = D.tables[name];
        var how = info ? (info.writers.indexOf(selection.service) >= 0 ? "writes" : "reads") : found.get(name);
        if (info && info.owner >= 0) how += ", owned by " + S[info.owner].name;
        return { name: name, how: how };
      });
    }

    function tableDetails(p) {
      var name = P.label[p], info = D.tables[name];
      var out = [el("h3", { text: "table " + name }), el("p", {}, [chip(P.s[p])])];
      if (info) {
        var names = function (list) { return list.map(function (s) { return S[s].name; }).join(", ") || "none"; };
        out.push(el("p", {}, ["Owner: " + (info.owner >= 0 ? S[info.owner].name : "none")]));
        out.push(el("p", {}, ["Written by: " + names(info.writers)]));
        out.push(el("p", {}, ["Read by: " + names(info.readers)]));
        if (info.writers.length > 1) out.push(el("p", { "class": "worse-text", text: "Written by several services: settle who owns it before extracting." }));
        if (info.models.length) out.push(el("p", {}, ["Models: ", el("code", { text: info.models.join(", ") })]));
        if (info.sites.length) {
          out.push(el("h4", { text: "Where it is used (" + info.site_count + ")" }));
          out.push(el("ul", {}, info.sites.map(function (s) {
            return el("li", {}, [el("code", { text: s[0] + ":" + s[1] }), " " + s[2]]);
          })));
        }
      }
      out.push(el("h4", { text: "Used by" }));
      return out.concat(dependencyRows(pieceIn[p], false));
    }

    // -- search --
    var input = document.getElementById("map-search");
    var results = document.getElementById("search-results");
    var index = null, hits = [], active = 0;
    function buildIndex() {
      index = [];
      S.forEach(function (s, i) { index.push({ name: s.name, what: "service", go: function () { selectService(i, true); } }); });
      D.modules.forEach(function (name, i) {
        var piece = mainPiece.has(i) ? mainPiece.get(i) : piecesOfModule(name)[0];
        if (piece !== undefined) index.push({ name: name, what: "module", go: function () { selectPiece(piece, true); } });
      });
      var inner = D.inner || { m: [], n: [] };
      inner.m.forEach(function (m, j) {
        var name = D.modules[m];
        var piece = mainPiece.has(m) ? mainPiece.get(m) : piecesOfModule(name)[0];
        if (piece !== undefined) index.push({ name: name + ":" + inner.n[j], what: "symbol", go: function () { selectPiece(piece, true); } });
      });
      for (var i = 0; i < nNodes; i++) {
        if (N.p[i] < 0) continue;
        if (N.k[i] === "c" || N.k[i] === "f") index.push({ name: nodeId(i), what: N.k[i] === "c" ? "class" : "function", node: i });
        else if (N.k[i] === "t") index.push({ name: N.n[i], what: "table", node: i });
      }
      index.forEach(function (entry) {
        entry.lower = entry.name.toLowerCase();
        if (entry.node !== undefined) {
          var node = entry.node;
          entry.go = function () { goToNode(node); };
        }
      });
    }
    function focusSymbol(node) {
      var item = details.querySelector('details[data-node="' + node + '"]');
      if (item) { item.open = true; item.scrollIntoView({ block: "nearest" }); }
    }
    function search(query) {
      if (!index) buildIndex();
      var q = query.trim().toLowerCase();
      if (!q) return [];
      var found = [];
      index.forEach(function (entry) {
        var at = entry.lower.indexOf(q);
        if (at < 0) return;
        var tail = entry.lower.split(/[.:]/).pop();
        var score = entry.lower === q ? 0 : tail === q ? 1 : tail.indexOf(q) === 0 ? 2 : at === 0 ? 3 : 4;
        found.push({ entry: entry, score: score });
      });
      found.sort(function (a, b) {
        return a.score - b.score || a.entry.name.length - b.entry.name.length || (a.entry.name < b.entry.name ? -1 : 1);
      });
      return found.slice(0, 15).map(function (f) { return f.entry; });
    }
    function showResults() {
      results.replaceChildren();
      hits.forEach(function (entry, i) {
        var item = el("li", { role: "option", "aria-selected": i === active ? "true" : "false" },
          [el("span", { "class": "what", text: entry.what }), el("span", { text: entry.name })]);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        results.appendChild(item);
      });
      if (!hits.length && input.value.trim()) results.appendChild(el("li", { "class": "muted", text: "Nothing by that name." }));
      results.hidden = !input.value.trim();
    }
    function choose(i) {
      var entry = hits[i];
      if (!entry) return;
      results.hidden = true;
      entry.go();
      var sel = root.querySelector(".selected");
      if (sel) sel.classList.add("hit");
    }
    input.addEventListener("input", function () { hits = search(input.value); active = 0; showResults(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { active = Math.min(active + 1, hits.length - 1); showResults(); event.preventDefault(); }
      else if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); showResults(); event.preventDefault(); }
      else if (event.key === "Enter") { choose(active); event.preventDefault(); }
      else if (event.key === "Escape") { results.hidden = true; }
    });
    input.addEventListener("blur", function () { results.hidden = true; });
    input.addEventListener("focus", function () { if (hits.length) showResults(); });

    apply();
  }
})();
