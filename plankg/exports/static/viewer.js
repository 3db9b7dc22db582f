/* plankg viewer: draws the page's JSON data with vis-network and wires the small UI.
 *
 * Document text is untrusted: it reaches the DOM only through textContent and DOM
 * elements built here (never innerHTML), including the tooltips handed to vis-network.
 * The page records its state on <body> for headless checks: data-drawn (nodes drawn),
 * data-pixels (canvas pixels the drawing changed), data-drawn-ms (performance.now() at
 * the first complete drawing), data-matches (hits of the last search), data-error, and
 * data-pwned (String(window.__pwned): "undefined" unless something injected ran).
 */
(function () {
  "use strict";

  var body = document.body;

  function record(name, value) {
    body.setAttribute("data-" + name, String(value));
  }

  function recordPwned() {
    record("pwned", window.__pwned);
  }

  recordPwned();
  window.addEventListener("load", function () {
    recordPwned();
    setTimeout(recordPwned, 1000);
  });

  var data;
  try {
    data = JSON.parse(document.getElementById("plankg-data").textContent);
  } catch (err) {
    record("error", "bad data: " + err);
    return;
  }
  if (typeof vis === "undefined") {
    record("error", "vis-network did not load");
    return;
  }

  var LEVELS = {
    national: "National · Trung ương",
    province: "Province · Tỉnh",
    district: "District · Huyện",
    commune: "Commune · Xã, phường"
  };
  var KINDS = {document: "Document", section: "Section", task: "Task", target: "Target", agency: "Agency"};
  var RELATIONS = {derived_from: "derived from", applies: "applies", attached_to: "attached to"};
  var details = data.details;
  var edgeDetails = data.edge_details;

  // --- helpers ------------------------------------------------------------------------

  /** Accent-free, lower-case search key: "Đầu tư" -> "dau tu". */
  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function clip(text, width) {
    text = String(text);
    return text.length <= width ? text : text.slice(0, width - 1) + "…";
  }

  function field(parent, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) {
      return;
    }
    var row = el("div", "field");
    row.appendChild(el("span", "key", name));
    row.appendChild(el("span", "value", Array.isArray(value) ? value.join("; ") : value));
    parent.appendChild(row);
  }

  function describeKind(d) {
    var kind = KINDS[d.kind] || d.kind;
    var level = LEVELS[d.level] || "level unknown";
    return kind + " · " + level + (d.placeholder ? " · cited, not loaded" : "");
  }

  function linkText(link) {
    var parts = [RELATIONS[link.relation] || link.relation];
    if (typeof link.score === "number") {
      parts.push(link.score.toFixed(2));
    }
    if (link.band) {
      parts.push(link.band);
    }
    if (link.status) {
      parts.push(link.status);
    }
    return parts.join(" · ");
  }

  function documentFields(parent, d) {
    field(parent, "Number", d.number);
    field(parent, "Title", d.title);
    field(parent, "Issuer", d.issuer);
    field(parent, "Date", d.date);
  }

  // --- tooltips (DOM elements: vis-network shows them as they are) ----------------------

  function nodeTooltip(id) {
    var d = details[id] || {};
    var tip = el("div", "tip");
    tip.appendChild(el("div", "tip-title", clip(d.label || id, 140)));
    tip.appendChild(el("div", "tip-kind", describeKind(d)));
    if (d.text) {
      tip.appendChild(el("div", "tip-text", clip(d.text, 360)));
    }
    if (d.kind === "document") {
      documentFields(tip, d);
    }
    field(tip, "Lead", d.lead);
    field(tip, "Deadline", d.deadline);
    (d.up || []).slice(0, 3).forEach(function (link) {
      field(tip, "↑ " + linkText(link), clip(link.label, 90));
    });
    if ((d.down || []).length) {
      field(tip, "↓", d.down.length + " derived below");
    }
    return tip;
  }

  function edgeTooltip(id) {
    var d = edgeDetails[id] || {};
    var tip = el("div", "tip");
    tip.appendChild(el("div", "tip-title", (RELATIONS[d.relation] || d.relation || "").replace(/_/g, " ")));
    if (typeof d.score === "number") {
      field(tip, "Score", d.score.toFixed(3));
    }
    field(tip, "Confidence", d.band);
    field(tip, "Status", d.status);
    field(tip, "Method", d.method);
    field(tip, "Shared", d.evidence);
    field(tip, "Reason", d.reason);
    if (d.collapsed) {
      field(tip, "Note", "sections in between are not drawn");
    }
    return tip;
  }

  data.nodes.forEach(function (n) {
    n.title = nodeTooltip(n.id);
  });
  data.edges.forEach(function (e) {
    e.title = edgeTooltip(e.id);
  });

  // --- network --------------------------------------------------------------------------

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);

  var BAND_FILL = {
    national: "rgba(192,57,43,0.05)",
    province: "rgba(214,137,16,0.05)",
    district: "rgba(34,153,84,0.05)",
    commune: "rgba(36,113,163,0.05)",
    agency: "rgba(108,52,131,0.05)"
  };

  function drawBands(ctx) {
    data.bands.forEach(function (band) {
      ctx.fillStyle = BAND_FILL[band.level] || "rgba(127,140,141,0.05)";
      ctx.fillRect(band.left, band.top, band.right - band.left, band.bottom - band.top);
      ctx.fillStyle = "rgba(33,47,61,0.55)";
      ctx.font = "bold 40px sans-serif";
      ctx.textBaseline = "top";
      ctx.fillText(band.label, band.left + 14, band.top + 12);
    });
  }

  function snapshot(canvas) {
    try {
      return canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    } catch (err) {
      return null;
    }
  }

  function changedPixels(before, after) {
    if (!before || !after || before.length !== after.length) {
      return -1;
    }
    var count = 0;
    for (var i = 0; i < after.length; i += 4) {
      if (after[i] !== before[i] || after[i + 1] !== before[i + 1] || after[i + 2] !== before[i + 2] ||
          after[i + 3] !== before[i + 3]) {
        count += 1;
      }
    }
    return count;
  }

  var moved = false;  // has the reader (or the search) moved the view?
  var firstDrawing = true;
  var beforeGraph = null;
  network.on("beforeDrawing", function (ctx) {
    drawBands(ctx);
    if (firstDrawing) {
      beforeGraph = snapshot(ctx.canvas);
    }
  });
  network.on("afterDrawing", function (ctx) {
    if (!firstDrawing) {
      return;
    }
    firstDrawing = false;
    record("pixels", changedPixels(beforeGraph, snapshot(ctx.canvas)));
    beforeGraph = null;
    record("drawn", nodes.length);
    record("drawn-ms", performance.now().toFixed(1));
  });

  // --- summary, info panel --------------------------------------------------------------

  var summary = document.getElementById("summary");
  var shownEdges = data.edges.filter(function (e) {
    return !e.hidden;
  }).length;
  summary.textContent = data.nodes.length + " nodes, " + shownEdges + " links" +
    (data.focus ? " · focus: " + clip(data.focus_label || data.focus, 60) + " (depth " + data.depth + ")" : "");

  var info = document.getElementById("info");

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function goTo(id) {
    if (!nodes.get(id)) {
      return;
    }
    moved = true;
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
    showNode(id);
  }

  function linkList(parent, title, links) {
    if (!links || !links.length) {
      return;
    }
    parent.appendChild(el("h3", null, title + " (" + links.length + ")"));
    var list = el("ul", "links");
    links.slice(0, 60).forEach(function (link) {
      var item = el("li");
      var label = clip(link.label, 120);
      if (link.drawn) {
        var button = el("button", "link", label);
        button.type = "button";
        button.addEventListener("click", function () {
          goTo(link.id);
        });
        item.appendChild(button);
      } else {
        item.appendChild(el("span", "link off", label + " (not drawn)"));
      }
      item.appendChild(el("span", "score", linkText(link)));
      list.appendChild(item);
    });
    if (links.length > 60) {
      list.appendChild(el("li", "more", (links.length - 60) + " more"));
    }
    parent.appendChild(list);
  }

  function showNode(id) {
    var d = details[id];
    if (!d) {
      return;
    }
    clear(info);
    info.appendChild(el("h2", null, d.label || id));
    info.appendChild(el("div", "kind", describeKind(d)));
    if (d.text) {
      info.appendChild(el("p", "text", d.text));
    }
    var fields = el("div", "fields");
    field(fields, "Id", id);
    if (d.kind === "document") {
      documentFields(fields, d);
      field(fields, "Jurisdiction", d.jurisdiction);
      field(fields, "Source", d.source);
    } else if (d.kind === "agency") {
      field(fields, "Name", d.name);
      field(fields, "Kind", d.agency_kind);
      field(fields, "Jurisdiction", d.jurisdiction);
    } else {
      field(fields, "Document", d.document_label || d.document);
      field(fields, "Path", d.path);
      field(fields, "Lead", d.lead);
      field(fields, "Support", d.support);
      field(fields, "Deadline", d.deadline);
      field(fields, "Indicator", d.indicator);
    }
    info.appendChild(fields);
    linkList(info, "Comes from", d.up);
    linkList(info, "Taken up by", d.down);
  }

  function showEdge(id) {
    var d = edgeDetails[id];
    var e = edges.get(id);
    if (!d || !e) {
      return;
    }
    clear(info);
    info.appendChild(el("h2", null, (RELATIONS[d.relation] || d.relation).replace(/_/g, " ")));
    var fields = el("div", "fields");
    field(fields, "From", (details[e.from] || {}).label || e.from);
    field(fields, "To", (details[e.to] || {}).label || e.to);
    if (typeof d.score === "number") {
      field(fields, "Score", d.score.toFixed(3));
    }
    field(fields, "Confidence", d.band);
    field(fields, "Status", d.status);
    field(fields, "Method", d.method);
    field(fields, "Shared phrases", d.evidence);
    field(fields, "Reason", d.reason);
    info.appendChild(fields);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    }
  });

  // --- search ---------------------------------------------------------------------------

  var search = document.getElementById("search");
  var searchCount = document.getElementById("search-count");
  var keys = null;
  var matches = [];
  var current = -1;
  var pending = null;

  function searchKeys() {
    if (keys === null) {
      keys = {};
      data.nodes.forEach(function (n) {
        var d = details[n.id] || {};
        keys[n.id] = fold([n.id, d.label, d.text, d.title, d.number, d.issuer, d.name, (d.lead || []).join(" ")]
          .filter(Boolean).join(" "));
      });
    }
    return keys;
  }

  function fitAll() {
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.94, animation: false});
  }

  function fitTo(ids) {
    moved = true;
    network.fit({nodes: ids, animation: false});
    if (network.getScale() > 1.2) {
      network.moveTo({scale: 1.2, animation: false});
    }
  }

  function runSearch() {
    pending = null;
    var query = fold(search.value).trim();
    current = -1;
    if (!query) {
      matches = [];
      searchCount.textContent = "";
      network.unselectAll();
      return;
    }
    var terms = query.split(/\s+/);
    var all = searchKeys();
    matches = data.nodes.map(function (n) {
      return n.id;
    }).filter(function (id) {
      return terms.every(function (term) {
        return all[id].indexOf(term) >= 0;
      });
    });
    searchCount.textContent = matches.length ? matches.length + " found" : "no match";
    network.selectNodes(matches, false);
    if (matches.length) {
      fitTo(matches);
      if (matches.length === 1) {
        showNode(matches[0]);
      }
    }
    record("matches", matches.length);
  }

  search.addEventListener("input", function () {
    if (pending !== null) {
      clearTimeout(pending);
    }
    pending = setTimeout(runSearch, 150);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      if (pending !== null) {
        clearTimeout(pending);
        runSearch();
      }
      if (matches.length) {
        current = (current + 1) % matches.length;
        var id = matches[current];
        network.selectNodes(matches, false);
        moved = true;
        network.focus(id, {scale: 1.2, animation: false});
        showNode(id);
        searchCount.textContent = (current + 1) + " / " + matches.length;
      }
    } else if (event.key === "Escape") {
      search.value = "";
      runSearch();
      fitAll();
      moved = false;
    }
  });

  // --- rejected links -------------------------------------------------------------------

  var rejected = data.edges.filter(function (e) {
    return edgeDetails[e.id] && edgeDetails[e.id].status === "rejected";
  }).map(function (e) {
    return e.id;
  });
  var toggle = document.getElementById("show-rejected");
  toggle.disabled = !rejected.length;
  toggle.addEventListener("change", function () {
    edges.update(rejected.map(function (id) {
      return {id: id, hidden: !toggle.checked};
    }));
  });

  // --- first drawing, and what the address asks for ------------------------------------

  fitAll();
  network.redraw();
  // Until the reader moves the view, keep the whole graph in sight when the window resizes.
  network.on("dragStart", function () {
    moved = true;
  });
  network.on("zoom", function () {
    moved = true;
  });
  network.on("resize", function () {
    if (!moved) {
      // vis-network restores its previous camera right after this event: fit after that.
      Promise.resolve().then(fitAll);
    }
  });
  // The address may name a search and a node to show: page.html#search=so%20tai%20chinh&node=ID
  var params = new URLSearchParams(window.location.hash.slice(1));
  if (params.get("search")) {
    search.value = params.get("search");
    runSearch();
  }
  if (params.get("node")) {
    goTo(params.get("node"));
  }
}());
