/* plankg viewer: draws the page's JSON data with vis-network and wires the small UI.
 *
 * Two modes (data.mode): "overview" (documents by level and province; a click opens a
 * document's tasks, read from its own JSON blob only then) and "tree" (the cascade around
 * one node, laid out by Python). The page's words come from data.strings, in its language.
 *
 * Document text is untrusted: it reaches the DOM only through textContent and DOM
 * elements built here (never innerHTML), including the tooltips handed to vis-network.
 * The page records its state on <body> for headless checks: data-drawn (nodes drawn),
 * data-pixels (canvas pixels the drawing changed), data-drawn-ms (performance.now() at
 * the first complete drawing), data-matches (hits of the last search), data-search-ms (its
 * time), data-match-ids (its best 50 hits: id and score), data-error,
 * data-pwned (String(window.__pwned): "undefined" unless something injected ran), and,
 * when the address holds "probe", data-texts: the text the latest drawing (until the reader
 * drags or zooms) put on the canvas, each with its font size in screen pixels and its place,
 * and data-labels: the id and label of every task node the page holds.
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

  var S = data.strings || {};
  var params = new URLSearchParams(window.location.hash.slice(1));

  /** The page's word for key, with {name} places filled from values; a count's words
   * come as [one, more], chosen by values.n. */
  function t(key, values) {
    var text = S[key] !== undefined ? S[key] : key;
    if (Array.isArray(text)) {
      text = text[values && values.n === 1 ? 0 : 1];
    }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && values[name] !== undefined ? String(values[name]) : whole;
    });
  }

  // --- helpers ------------------------------------------------------------------------

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

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function button(className, text, onClick) {
    var b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function linkText(link) {
    var parts = [t(link.relation)];
    if (typeof link.score === "number") {
      parts.push(link.score.toFixed(2));
    }
    if (link.band) {
      parts.push(t(link.band));
    }
    if (link.status) {
      parts.push(t(link.status));
    }
    return parts.join(" · ");
  }

  // --- search: the typed query folded as plankg.normalize folds text -----------------------
  // The texts' keys were made in Python (fold, search_key); only the query is folded here.

  var TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"
  };
  var TONE_RE = new RegExp("(?<![q])(" + Object.keys(TONES).join("|") + ")(?![\\p{L}\\p{N}_])", "gu");
  var WORD_RE = /[\p{L}\p{N}_]+/gu;
  var ABBREVIATIONS = [[" ủy ban nhân dân ", " ubnd "], [" hội đồng nhân dân ", " hđnd "], [" mặt trận tổ quốc ", " mttq "]];
  var BARE_ABBREVIATIONS = [[" uy ban nhan dan ", " ubnd "], [" hoi dong nhan dan ", " hdnd "], [" mat tran to quoc ", " mttq "]];

  function words(text) {
    return String(text).match(WORD_RE) || [];
  }

  function abbreviate(text, pairs) {
    var padded = " " + text + " ";
    pairs.forEach(function (pair) {
      while (padded.indexOf(pair[0]) >= 0) {
        padded = padded.replace(pair[0], pair[1]);
      }
    });
    return padded.trim();
  }

  function stripMarks(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  }

  /** What plankg.normalize.fold does to the query: case, Unicode form, tone placement, abbreviations. */
  function foldQuery(text) {
    var s = String(text).normalize("NFC").replace(/[\u00d0\u0189]/g, "Đ").replace(/\u00f0/g, "đ").toLowerCase();
    s = words(s).join(" ").replace(TONE_RE, function (pair) {
      return TONES[pair];
    });
    return abbreviate(s, ABBREVIATIONS);
  }

  function makeQuery(text) {
    var folded = foldQuery(text);
    var bare = abbreviate(words(stripMarks(folded)).join(" "), BARE_ABBREVIATIONS);
    var list = [];
    words(bare).forEach(function (w) {
      if (list.indexOf(w) < 0) {
        list.push(w);
      }
    });
    return {words: list, phrase: words(bare).join(" "), typed: words(folded)};
  }

  /**
   * How a node's keys ([folded, accent-free], fields joined by "¶") answer the query, as
   * plankg.graph.queries.SearchQuery.score ranks: [whole words matched, phrase held,
   * matched with the diacritics as typed]; null unless every word begins a word of the text.
   */
  function scoreKeys(keys, query) {
    var bare = keys[1];
    var i;
    for (i = 0; i < query.words.length; i++) {
      if (bare.indexOf(query.words[i]) < 0) {
        return null;
      }
    }
    var fields = bare.split("¶").map(function (f) {
      return " " + words(f).join(" ") + " ";
    });
    var all = " " + fields.join(" ") + " ";
    var matched = 0;
    for (i = 0; i < query.words.length; i++) {
      var w = " " + query.words[i];
      if (all.indexOf(w + " ") >= 0) {
        matched += 1;
      } else if (all.indexOf(w) < 0) {
        return null;
      }
    }
    var phrase = fields.some(function (f) {
      return f.indexOf(" " + query.phrase + " ") >= 0;
    });
    var typed = " " + words(keys[0]).join(" ") + " ";
    var exact = query.typed.every(function (w) {
      return typed.indexOf(" " + w + " ") >= 0;
    });
    return [matched, phrase, exact];
  }

  var KIND_ORDER = {document: 0, group: 0, task: 1, target: 2, agency: 3};

  function kindOrder(kind) {
    return KIND_ORDER.hasOwnProperty(kind) ? KIND_ORDER[kind] : 9;
  }

  function rankHits(hits) {
    return hits.sort(function (a, b) {
      return (b.score[0] - a.score[0]) || (b.score[1] - a.score[1]) || (b.score[2] - a.score[2]) ||
        (kindOrder(a.kind) - kindOrder(b.kind)) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
    });
  }

  // --- the canvas probe: what a drawing wrote, and how large -------------------------------

  var probe = params.has("probe") ? [] : null;

  function probeContext(ctx) {
    if (probe === null || ctx.__probed) {
      return;
    }
    ctx.__probed = true;
    var fillText = ctx.fillText;
    ctx.fillText = function (text, x, y) {
      if (probe !== null && probe.length < 2000) {
        var m = ctx.getTransform();
        var ratio = window.devicePixelRatio || 1;
        var size = /(\d+(?:\.\d+)?)px/.exec(ctx.font);
        var sx = (m.a * x + m.c * y + m.e) / ratio;
        var sy = (m.b * x + m.d * y + m.f) / ratio;
        if (sx > -50 && sy > 0 && sx < ctx.canvas.width / ratio && sy < ctx.canvas.height / ratio) {
          probe.push({text: String(text), px: size ? +(parseFloat(size[1]) * Math.abs(m.a) / ratio).toFixed(2) : 0,
                      x: Math.round(sx), y: Math.round(sy)});
        }
      }
      return fillText.apply(this, arguments);
    };
  }

  // --- the network -------------------------------------------------------------------------

  var container = document.getElementById("graph");
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var options = {
    autoResize: true,
    physics: {enabled: false},
    layout: {improvedLayout: false, randomSeed: 1},
    interaction: {hover: true, tooltipDelay: 150, multiselect: true, navigationButtons: false, keyboard: false,
                  hideEdgesOnDrag: true},
    nodes: {shape: "box", borderWidth: 1, borderWidthSelected: 3, margin: 10,
            font: {face: "system-ui, Arial, sans-serif", size: 14}},
    edges: {smooth: false, selectionWidth: 2, font: {size: 13, align: "horizontal", strokeWidth: 4, strokeColor: "#ffffff"},
            arrows: {to: {enabled: true, scaleFactor: 0.5}}, color: {inherit: false}}
  };
  var network = null;
  var boxes = [];  // coloured rectangles drawn behind the nodes: {x, y, w, h, fill, label}

  function drawBoxes(ctx) {
    // A band's name stays at the left edge of the view, however far the reader has scrolled.
    var viewLeft = network ? network.DOMtoCanvas({x: 0, y: 0}).x : -Infinity;
    boxes.forEach(function (box) {
      ctx.fillStyle = box.fill;
      ctx.fillRect(box.x, box.y, box.w, box.h);
      if (box.label) {
        ctx.fillStyle = "rgba(33,47,61,0.6)";
        ctx.font = "bold 26px system-ui, Arial, sans-serif";
        ctx.textBaseline = "top";
        ctx.fillText(box.label, Math.max(box.x + 14, viewLeft + 10), box.y + 10);
      }
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

  var moved = false;  // has the reader moved the view (dragged or zoomed)?
  var view = null;  // what the page last chose to show (the home view, a document), shown again on a resize
  var firstDrawing = false;  // is the next drawing the first of the page as set up?

  /** Draw the page as set up: the drawing that the body's data-* attributes describe. */
  function settle() {
    firstDrawing = true;
    network.redraw();
  }

  function startNetwork(onClick) {
    network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
    var beforeGraph = null;
    network.on("beforeDrawing", function (ctx) {
      if (probe !== null) {
        probeContext(ctx);
        probe = [];
      }
      drawBoxes(ctx);
      if (firstDrawing) {
        beforeGraph = snapshot(ctx.canvas);
      }
    });
    network.on("afterDrawing", function (ctx) {
      if (probe !== null && !moved) {
        record("texts", JSON.stringify(probe));
        record("labels", JSON.stringify(nodes.get().filter(function (n) {
          return String(n.id).charAt(0) === "t";
        }).map(function (n) {
          return [n.id, n.label];
        })));
      }
      if (!firstDrawing) {
        return;
      }
      firstDrawing = false;
      record("pixels", changedPixels(beforeGraph, snapshot(ctx.canvas)));
      beforeGraph = null;
      record("drawn", nodes.length);
      record("drawn-ms", performance.now().toFixed(1));
    });
    network.on("click", onClick);
    network.on("dragStart", function () {
      moved = true;
    });
    network.on("zoom", function () {
      moved = true;
    });
    network.on("resize", function () {
      if (!moved) {
        // vis-network restores its previous camera right after this event: place it after that.
        Promise.resolve().then(view);
      }
    });
  }

  var READABLE = 0.85;  // the least zoom at which a 14px label is read without effort
  // What the first view shows when the whole graph cannot be read at once: {x, y, left}, the
  // top middle of the view (or its top left corner when left is true).
  var homeTarget = null;

  /** The whole graph when it can be read at that size; else its top, at a readable size. */
  function home() {
    view = home;
    network.fit({animation: false});
    var scale = network.getScale() * 0.94;
    if (scale >= READABLE || !homeTarget) {
      network.moveTo({scale: Math.min(scale, 1.3), animation: false});
      return;
    }
    var h = container.clientHeight || 600;
    var w = container.clientWidth || 800;
    var x = homeTarget.left ? homeTarget.x + w / (2 * READABLE) - 20 : homeTarget.x;
    network.moveTo({position: {x: x, y: homeTarget.y + h / (2 * READABLE) - 20}, scale: READABLE, animation: false});
  }

  /** Show the nodes ids: all of them when they can be read at once, else their top left part. */
  function showRegion(ids) {
    view = function () {
      showRegion(ids);
    };
    // From the nodes' centres (their sizes are known only once drawn), padded by half a box.
    var box = null;
    var positions = network.getPositions(ids);
    Object.keys(positions).forEach(function (id) {
      var p = positions[id];
      var b = {left: p.x - 140, right: p.x + 140, top: p.y - 90, bottom: p.y + 90};
      box = box ? {left: Math.min(box.left, b.left), top: Math.min(box.top, b.top), right: Math.max(box.right, b.right),
                   bottom: Math.max(box.bottom, b.bottom)} : b;
    });
    if (!box) {
      return;
    }
    var w = container.clientWidth || 800, h = container.clientHeight || 600;
    var scale = Math.min(1.2, 0.94 * Math.min(w / (box.right - box.left + 1), h / (box.bottom - box.top + 1)));
    if (scale >= READABLE) {
      network.moveTo({position: {x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2}, scale: scale,
                      animation: false});
    } else {
      network.moveTo({position: {x: box.left + w / (2 * READABLE) - 20, y: box.top + h / (2 * READABLE) - 20},
                      scale: READABLE, animation: false});
    }
  }

  function focusOn(id) {
    network.selectNodes([id]);
    var scale = Math.max(network.getScale(), 0.9);
    view = function () {
      network.focus(id, {scale: scale, animation: false});
    };
    view();
  }

  var info = document.getElementById("info");
  var results = document.getElementById("results");
  var summary = document.getElementById("summary");

  // --- search UI, the same in both modes ---------------------------------------------------

  var search = document.getElementById("search");
  var searchCount = document.getElementById("search-count");
  var matches = [];
  var current = -1;
  var pending = null;

  function wireSearch(findHits, go, select) {
    function runSearch() {
      var started = performance.now();
      pending = null;
      current = -1;
      var query = makeQuery(search.value);
      clear(results);
      if (!query.words.length) {
        matches = [];
        searchCount.textContent = "";
        results.hidden = true;
        select([]);
        record("matches", 0);
        return;
      }
      matches = rankHits(findHits(query));
      searchCount.textContent = matches.length ? t("found", {n: matches.length}) : t("no_match");
      results.hidden = !matches.length;
      if (matches.length) {
        results.appendChild(el("h2", null, t("results")));
        var list = el("ol", "hits");
        matches.slice(0, 40).forEach(function (hit, i) {
          var item = el("li");
          item.appendChild(button("link", clip(hit.label, 140), function () {
            current = i;
            go(hit);
          }));
          if (hit.context) {
            item.appendChild(el("span", "score", clip(hit.context, 90)));
          }
          list.appendChild(item);
        });
        if (matches.length > 40) {
          list.appendChild(el("li", "more", t("more", {n: matches.length - 40})));
        }
        results.appendChild(list);
        select(matches);
      }
      record("matches", matches.length);
      record("search-ms", (performance.now() - started).toFixed(1));
      record("match-ids", JSON.stringify(matches.slice(0, 50).map(function (hit) {
        return [hit.node, hit.score[0], hit.score[1], hit.score[2]];
      })));
    }

    search.addEventListener("input", function () {
      if (pending !== null) {
        clearTimeout(pending);
      }
      pending = setTimeout(runSearch, 200);
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
          go(matches[current]);
          searchCount.textContent = t("step", {i: current + 1, n: matches.length});
        }
      } else if (event.key === "Escape") {
        search.value = "";
        runSearch();
        home();
        moved = false;
      }
    });
    return runSearch;
  }

  // =========================================================================================
  // Overview: documents by level and province; tasks of a document on demand.
  // =========================================================================================

  function overview() {
    var docs = data.documents;
    var groups = data.groups;
    var links = data.links;
    var LEVEL_ORDER = data.levels.map(function (l) {
      return l.level;
    });
    var LEVEL_LABEL = {};
    data.levels.forEach(function (l) {
      LEVEL_LABEL[String(l.level)] = l.label;
    });
    var COLOUR = data.colours.level;
    var LINK_COLOUR = data.colours.link;
    var openDocs = {};
    var openGroups = {};
    var blobs = {};

    // Layout, in canvas units.
    var DOC_W = 270, PLACEHOLDER_W = 180, SLOT_GAP = 40, DOC_H = 130, ROW_GAP = 40, BAND_GAP = 40, BAND_PAD = 60;
    var TASK_W = 250, TASK_DX = 280, TASK_DY = 175;

    function items(i) {
      if (!blobs.hasOwnProperty(i)) {
        var script = document.getElementById("plankg-doc-" + i);
        blobs[i] = script ? JSON.parse(script.textContent) : [];
      }
      return blobs[i];
    }

    function taskColumns(n) {
      return Math.max(1, Math.min(6, Math.ceil(Math.sqrt(n * 1.5))));
    }

    function tint(hex, amount) {
      var out = "#";
      for (var k = 1; k < 7; k += 2) {
        var c = parseInt(hex.slice(k, k + 2), 16);
        out += ("0" + Math.round(c + (255 - c) * amount).toString(16)).slice(-2);
      }
      return out;
    }

    function colourOf(level) {
      return COLOUR[String(level)] || COLOUR["None"];
    }

    /** The node a document is drawn as now: itself, or its closed group. */
    function shown(i) {
      var g = docs[i].group;
      return g >= 0 && !openGroups[g] ? "g" + g : "d" + i;
    }

    var slotRowLimit = 0;

    function layout() {
      var placed = [];  // node objects
      var newBoxes = [];
      var y = 0;
      var levels = LEVEL_ORDER.filter(function (level) {
        return docs.some(function (d) {
          return d.level === level;
        });
      });
      var widest = 0;
      levels.forEach(function (level) {
        var slots = [];
        var seen = {};
        docs.forEach(function (d, i) {
          if (d.level !== level) {
            return;
          }
          if (d.group >= 0 && !openGroups[d.group]) {
            if (!seen[d.group]) {
              seen[d.group] = true;
              slots.push({kind: "g", i: d.group, w: DOC_W, h: DOC_H});
            }
            return;
          }
          var w = d.placeholder ? PLACEHOLDER_W : DOC_W;
          var h = DOC_H;
          if (openDocs[i]) {
            var n = items(i).length;
            var cols = taskColumns(n);
            w = Math.max(w, cols * TASK_DX);
            h = DOC_H + 30 + Math.ceil(n / cols) * TASK_DY;
          }
          slots.push({kind: "d", i: i, w: w, h: h});
        });
        if (!slotRowLimit) {
          var area = docs.length * (DOC_W + SLOT_GAP) * (DOC_H + ROW_GAP);
          slotRowLimit = Math.max(1400, Math.sqrt(area * 1.4));
        }
        var rows = [];
        var width = 0;
        slots.forEach(function (slot) {
          if (rows.length && width + slot.w <= slotRowLimit) {
            rows[rows.length - 1].push(slot);
            width += slot.w + SLOT_GAP;
          } else {
            rows.push([slot]);
            width = slot.w + SLOT_GAP;
          }
        });
        var top = y;
        y += BAND_PAD;
        var left = Infinity, right = -Infinity;
        rows.forEach(function (row) {
          var x = 0;
          var height = 0;
          row.forEach(function (slot) {
            var cx = x + slot.w / 2;
            left = Math.min(left, x);
            right = Math.max(right, x + slot.w);
            if (slot.kind === "g") {
              placed.push(groupNode(slot.i, cx, y + DOC_H / 2));
            } else {
              placed.push(docNode(slot.i, cx, y + DOC_H / 2));
              if (openDocs[slot.i]) {
                var list = items(slot.i);
                var cols = taskColumns(list.length);
                var gridLeft = cx - (cols * TASK_DX) / 2 + TASK_DX / 2;
                newBoxes.push({x: x - 10, y: y + DOC_H - 10, w: slot.w + 20, h: slot.h - DOC_H + 20,
                               fill: tint(colourOf(docs[slot.i].level), 0.88)});
                list.forEach(function (item, j) {
                  var r = Math.floor(j / cols), c = j % cols;
                  placed.push(taskNode(slot.i, j, gridLeft + c * TASK_DX, y + DOC_H + 30 + TASK_DY / 2 + r * TASK_DY));
                });
              }
            }
            height = Math.max(height, slot.h);
            x += slot.w + SLOT_GAP;
          });
          y += height + ROW_GAP;
        });
        widest = Math.max(widest, right - left);
        newBoxes.unshift({x: left - 30, y: top, w: right - left + 60, h: y - top, band: true,
                          fill: tint(colourOf(level), 0.93), label: LEVEL_LABEL[String(level)]});
        y += BAND_GAP;
      });
      // bands share one width
      var bands = newBoxes.filter(function (b) {
        return b.band;
      });
      var bandLeft = Math.min.apply(null, bands.map(function (b) {
        return b.x;
      }));
      var bandRight = Math.max.apply(null, bands.map(function (b) {
        return b.x + b.w;
      }));
      bands.forEach(function (b) {
        b.x = bandLeft;
        b.w = bandRight - bandLeft;
      });
      homeTarget = {x: bandLeft, y: 0, left: true};
      boxes = newBoxes;
      return placed;
    }

    function docNode(i, x, y) {
      var d = docs[i];
      var base = colourOf(d.level);
      var node = {id: "d" + i, x: x, y: y, label: d.label, title: docTooltip(i),
                  widthConstraint: {minimum: d.placeholder ? PLACEHOLDER_W - 20 : DOC_W - 20,
                                    maximum: d.placeholder ? PLACEHOLDER_W - 20 : DOC_W - 20},
                  font: {size: d.placeholder ? 14 : 16, color: "#ffffff", bold: true},
                  color: {background: base, border: tint(base, -0.4), highlight: {background: "#1b2631", border: "#f4d03f"},
                          hover: {background: base, border: "#1b2631"}},
                  borderWidth: openDocs[i] ? 4 : 1};
      if (d.placeholder) {
        node.color = {background: "#ffffff", border: base, highlight: {background: "#fdf2e9", border: "#1b2631"},
                      hover: {background: "#fbfcfc", border: "#1b2631"}};
        node.font = {size: 14, color: "#1b2631"};
        node.shapeProperties = {borderDashes: [5, 4]};
        node.borderWidth = 2;
      }
      return node;
    }

    function groupNode(g, x, y) {
      var group = groups[g];
      var base = colourOf(group.level);
      return {id: "g" + g, x: x, y: y, label: group.label, title: el("div", "tip", group.label),
              widthConstraint: {minimum: DOC_W - 20, maximum: DOC_W - 20}, font: {size: 16, color: "#1b2631"},
              color: {background: tint(base, 0.7), border: base, highlight: {background: tint(base, 0.5), border: "#1b2631"},
                      hover: {background: tint(base, 0.6), border: "#1b2631"}},
              borderWidth: 3, shapeProperties: {borderDashes: [8, 4]}};
    }

    /** The first line of ``text`` cut to ``width`` characters at a word, as the viewer's
        first_line in Python does (characters counted as code points). */
    function firstLine(text, width) {
      var line = String(text || "").trim().split("\n")[0].split(/\s+/).filter(Boolean).join(" ");
      var chars = Array.from(line);
      if (chars.length <= width) {
        return line;
      }
      var cut = chars.slice(0, width - 1);
      if (chars[width - 1] !== " " && cut.slice(Math.floor(width / 2)).indexOf(" ") >= 0) {
        cut = cut.slice(0, cut.lastIndexOf(" "));
      }
      return cut.join("").replace(/[ ,;:\-\u2013]+$/, "") + "\u2026";
    }

    /** A task node's label: its path and first line, its lead and its deadline (item_label in Python). */
    function itemLabel(item) {
      var head = firstLine(item[3], data.label_width) || t("no_text");
      var lead = item[4] && item[4].length ? firstLine(item[4].join("; "), 70) : "\u2014";
      return [item[0] ? item[0] + " \u00b7 " + head : head, t("lead_line", {agencies: lead}),
              t("deadline_line", {deadline: item[5] ? firstLine(item[5], 50) : "\u2014"})].join("\n");
    }

    function taskNode(i, j, x, y) {
      var item = items(i)[j];
      var base = colourOf(docs[i].level);
      return {id: "t" + i + "." + j, x: x, y: y, label: itemLabel(item),
              widthConstraint: {minimum: TASK_W, maximum: TASK_W}, font: {size: 15, color: "#1b2631", align: "left"},
              color: {background: "#ffffff", border: base, highlight: {background: "#fcf3cf", border: "#1b2631"},
                      hover: {background: "#fdfefe", border: "#1b2631"}}};
    }

    function docTooltip(i) {
      var d = docs[i];
      var tip = el("div", "tip");
      tip.appendChild(el("div", "tip-title", clip(d.name, 140)));
      field(tip, t("title"), d.info.title ? clip(d.info.title, 200) : null);
      field(tip, t("issuer"), d.info.issuer);
      field(tip, t("date"), d.info.date);
      return tip;
    }

    function overviewEdges() {
      var pairs = {};
      links.forEach(function (link) {
        var a = shown(link.from), b = shown(link.to);
        if (a === b || (openDocs[link.from] && openDocs[link.to] && link.tasks && !link.relations.some(function (r) {
          return r !== "derived_from";
        }))) {
          return;
        }
        var key = a + ">" + b;
        var pair = pairs[key] || (pairs[key] = {from: a, to: b, tasks: 0, relations: {}, links: []});
        pair.tasks += link.tasks;
        link.relations.forEach(function (r) {
          pair.relations[r] = true;
        });
        pair.links.push(link);
      });
      var out = [];
      Object.keys(pairs).sort().forEach(function (key) {
        var p = pairs[key];
        var lineage = p.relations.applies || p.relations.attached_to;
        var edge = {id: "l" + key, from: p.from, to: p.to, pair: p};
        if (p.tasks) {
          edge.label = t("task_links", {n: p.tasks});
          edge.color = {color: LINK_COLOUR.proposed};
          edge.width = Math.min(8, 1.5 + Math.log(1 + p.tasks));
        } else if (lineage) {
          edge.color = {color: "#34495e"};
          edge.width = 2;
        } else {
          edge.color = {color: "#aab7b8"};
          edge.dashes = true;
          edge.width = 1;
        }
        out.push(edge);
      });
      Object.keys(openDocs).forEach(function (key) {
        var i = +key;
        items(i).forEach(function (item, j) {
          item[7].forEach(function (up, k) {
            var b = up[0], target = up[1] >= 0 ? (openDocs[b] ? "t" + b + "." + up[1] : null) : shown(b);
            if (!target) {
              return;
            }
            var edge = {id: "u" + i + "." + j + "." + k, from: "t" + i + "." + j, to: target,
                        color: {color: LINK_COLOUR[up[4]] || LINK_COLOUR.proposed},
                        dashes: up[4] !== "confirmed", width: 1.5 + 3 * Math.min(up[2] || 0, 1),
                        up: up, child: [i, j]};
            if (typeof up[2] === "number") {
              edge.label = up[2].toFixed(2) + " " + t(up[3] || "");
            }
            out.push(edge);
          });
        });
      });
      return out;
    }

    function redraw() {
      var placed = layout();
      var keep = {};
      placed.forEach(function (n) {
        keep[n.id] = true;
      });
      nodes.remove(nodes.getIds().filter(function (id) {
        return !keep[id];
      }));
      nodes.update(placed);
      var newEdges = overviewEdges();
      var keepEdges = {};
      newEdges.forEach(function (e) {
        keepEdges[e.id] = true;
      });
      edges.remove(edges.getIds().filter(function (id) {
        return !keepEdges[id];
      }));
      edges.update(newEdges);
    }

    // --- info panel ---

    function docLinks(i, up) {
      var found = [];
      links.forEach(function (link) {
        if ((up ? link.from : link.to) === i) {
          found.push(link);
        }
      });
      return found.sort(function (a, b) {
        return b.tasks - a.tasks;
      });
    }

    function docList(title, list, up) {
      if (!list.length) {
        return;
      }
      info.appendChild(el("h3", null, title + " (" + list.length + ")"));
      var ul = el("ul", "links");
      list.slice(0, 60).forEach(function (link) {
        var other = up ? link.to : link.from;
        var li = el("li");
        li.appendChild(button("link", clip(docs[other].name, 110), function () {
          goToDoc(other, false);
        }));
        var parts = link.relations.filter(function (r) {
          return r !== "derived_from";
        }).map(function (r) {
          return t(r);
        });
        if (link.tasks) {
          var bands = Object.keys(link.bands).map(function (b) {
            return link.bands[b] + " " + t(b);
          });
          parts.push(t("task_links", {n: link.tasks}) + (bands.length ? " (" + bands.join(", ") + ")" : ""));
        }
        li.appendChild(el("span", "score", parts.join(" · ")));
        ul.appendChild(li);
      });
      if (list.length > 60) {
        ul.appendChild(el("li", "more", t("more", {n: list.length - 60})));
      }
      info.appendChild(ul);
    }

    function showDoc(i) {
      var d = docs[i];
      clear(info);
      info.appendChild(el("h2", null, d.name));
      info.appendChild(el("div", "kind", t("document") + " · " + (LEVEL_LABEL[String(d.level)] || t("level_unknown")) +
        (d.placeholder ? " · " + t("cited_not_loaded") : "")));
      var fields = el("div", "fields");
      field(fields, t("number"), d.info.number);
      field(fields, t("title"), d.info.title);
      field(fields, t("issuer"), d.info.issuer);
      field(fields, t("date"), d.info.date);
      field(fields, t("jurisdiction"), d.info.jurisdiction);
      field(fields, t("source"), d.info.source);
      field(fields, t("id"), d.id);
      if (!d.placeholder) {
        field(fields, t("tasks_count"), String(d.items));
        field(fields, t("links_up"), String(d.up));
        field(fields, t("links_down"), String(d.down));
      }
      info.appendChild(fields);
      if (d.items) {
        info.appendChild(button("action", openDocs[i] ? t("close_tasks") : t("open_tasks"), function () {
          toggleDoc(i);
        }));
      }
      docList(t("comes_from"), docLinks(i, true), true);
      docList(t("taken_up_by"), docLinks(i, false), false);
    }

    function showGroup(g) {
      var group = groups[g];
      clear(info);
      info.appendChild(el("h2", null, group.province));
      info.appendChild(el("div", "kind", t("group") + " · " + (LEVEL_LABEL[String(group.level)] || "")));
      info.appendChild(el("p", "text", group.label));
      info.appendChild(button("action", openGroups[g] ? t("close_group") : t("open_group"), function () {
        toggleGroup(g);
      }));
      var ul = el("ul", "links");
      group.docs.slice(0, 200).forEach(function (i) {
        var li = el("li");
        li.appendChild(button("link", clip(docs[i].name, 110), function () {
          goToDoc(i, false);
        }));
        ul.appendChild(li);
      });
      info.appendChild(ul);
    }

    function showTask(i, j) {
      var item = items(i)[j];
      clear(info);
      info.appendChild(el("h2", null, (item[0] ? item[0] + " · " : "") + clip(item[3] || "", 120)));
      info.appendChild(el("div", "kind", t(item[1]) + " · " + (LEVEL_LABEL[String(docs[i].level)] || "")));
      info.appendChild(el("p", "text", item[3]));
      var fields = el("div", "fields");
      field(fields, t("in_document"), docs[i].name);
      field(fields, t("path"), item[0]);
      field(fields, t("lead"), item[4]);
      field(fields, t("deadline"), item[5]);
      info.appendChild(fields);
      if (item[7].length) {
        info.appendChild(el("h3", null, t("comes_from") + " (" + item[7].length + ")"));
        var ul = el("ul", "links");
        item[7].forEach(function (up) {
          var li = el("li");
          var label = up[1] >= 0 ? docs[up[0]].name + " · " + (items(up[0])[up[1]][0] || "") + " · " +
            clip(items(up[0])[up[1]][3] || "", 80) : docs[up[0]].name;
          li.appendChild(button("link", label, function () {
            if (up[1] >= 0) {
              goToTask(up[0], up[1]);
            } else {
              goToDoc(up[0], false);
            }
          }));
          // an item's parent is a task (derived from) or a document (attached to)
          li.appendChild(el("span", "score", linkText({relation: up[1] >= 0 ? "derived_from" : "attached_to",
                                                       score: up[2], band: up[3], status: up[4]})));
          ul.appendChild(li);
        });
        info.appendChild(ul);
      }
    }

    function showEdge(id) {
      var e = edges.get(id);
      if (!e) {
        return;
      }
      if (e.up) {
        showTask(e.child[0], e.child[1]);
        return;
      }
      clear(info);
      var p = e.pair;
      info.appendChild(el("h2", null, Object.keys(p.relations).map(function (r) {
        return t(r);
      }).join(", ")));
      var ul = el("ul", "links");
      p.links.slice(0, 60).forEach(function (link) {
        var li = el("li");
        li.appendChild(el("span", null, clip(docs[link.from].name, 60) + " → " + clip(docs[link.to].name, 60)));
        if (link.tasks) {
          li.appendChild(el("span", "score", t("task_links", {n: link.tasks})));
        }
        ul.appendChild(li);
      });
      info.appendChild(ul);
    }

    // --- opening and going to ---

    function toggleDoc(i) {
      if (openDocs[i]) {
        delete openDocs[i];
      } else if (docs[i].items) {
        openDocs[i] = true;
      }
      redraw();
      showDoc(i);
    }

    function toggleGroup(g) {
      if (openGroups[g]) {
        delete openGroups[g];
      } else {
        openGroups[g] = true;
      }
      redraw();
      showGroup(g);
    }

    function goToDoc(i, open) {
      var g = docs[i].group;
      var changed = false;
      if (g >= 0 && !openGroups[g]) {
        openGroups[g] = true;
        changed = true;
      }
      if (open && !openDocs[i] && docs[i].items) {
        openDocs[i] = true;
        changed = true;
      }
      if (changed) {
        redraw();
      }
      network.selectNodes(["d" + i]);
      if (openDocs[i]) {
        showRegion(["d" + i].concat(items(i).map(function (item, j) {
          return "t" + i + "." + j;
        })));
      } else {
        focusOn("d" + i);
      }
      showDoc(i);
    }

    function goToTask(i, j) {
      goToDoc(i, true);
      focusOn("t" + i + "." + j);
      showTask(i, j);
    }

    startNetwork(function (event) {
      if (event.nodes.length) {
        var id = String(event.nodes[0]);
        if (id.charAt(0) === "d") {
          toggleDoc(+id.slice(1));
        } else if (id.charAt(0) === "g") {
          toggleGroup(+id.slice(1));
        } else {
          var parts = id.slice(1).split(".");
          showTask(+parts[0], +parts[1]);
        }
      } else if (event.edges.length) {
        showEdge(event.edges[0]);
      }
    });
    redraw();
    var tasks = docs.reduce(function (s, d) {
      return s + d.items;
    }, 0);
    var taskLinks = docs.reduce(function (s, d) {
      return s + d.up;
    }, 0);
    summary.textContent = t("summary_overview", {documents: t("documents_n", {n: docs.length}),
                                                 tasks: t("tasks_n", {n: tasks}), links: t("task_links", {n: taskLinks})});

    function findHits(query) {
      var hits = [];
      docs.forEach(function (d, i) {
        var score = scoreKeys(d.search, query);
        if (score) {
          hits.push({id: "d" + i, node: d.id, kind: "document", label: d.name, context: d.info.title, score: score,
                     doc: i, item: -1});
        }
      });
      groups.forEach(function (group, g) {
        var score = scoreKeys(group.search, query);
        if (score) {
          hits.push({id: "g" + g, node: "", kind: "group", label: group.label.split("\n").join(" · "), score: score,
                     group: g});
        }
      });
      docs.forEach(function (d, i) {
        if (!d.items) {
          return;
        }
        items(i).forEach(function (item, j) {
          var score = scoreKeys(item[6], query);
          if (score) {
            hits.push({id: "t" + i + "." + j, node: item[8] || d.id + "#" + item[0], kind: item[1],
                       label: (item[0] ? item[0] + " · " : "") + item[3], context: d.name, score: score, doc: i, item: j});
          }
        });
      });
      return hits;
    }

    function go(hit) {
      if (hit.group !== undefined) {
        if (!openGroups[hit.group]) {
          toggleGroup(hit.group);
        }
        showGroup(hit.group);
        return;
      }
      if (hit.item >= 0) {
        goToTask(hit.doc, hit.item);
      } else {
        goToDoc(hit.doc, false);
      }
    }

    function select(hits) {
      var ids = [];
      var seen = {};
      hits.forEach(function (h) {
        var id = nodes.get(h.id) ? h.id : (h.doc !== undefined ? shown(h.doc) : null);
        if (id && !seen[id]) {
          seen[id] = true;
          ids.push(id);
        }
      });
      if (network) {
        network.selectNodes(ids.slice(0, 500), false);
      }
    }

    var runSearch = wireSearch(findHits, go, select);
    home();
    // The address may name documents to open, then to close again, as clicks on them do:
    // page.html#open=ID,ID&close=ID (before the first drawing).
    (params.get("open") || "").split(",").forEach(function (id) {
      docs.forEach(function (d, i) {
        if (id && d.id === id) {
          goToDoc(i, true);
        }
      });
    });
    (params.get("close") || "").split(",").forEach(function (id) {
      docs.forEach(function (d, i) {
        if (id && d.id === id && openDocs[i]) {
          toggleDoc(i);
        }
      });
    });
    settle();
    return runSearch;
  }

  // =========================================================================================
  // Tree: the cascade around one node, positions from Python.
  // =========================================================================================

  function tree() {
    var details = data.details;

    function nodeTooltip(id) {
      var d = details[id] || {};
      var tip = el("div", "tip");
      tip.appendChild(el("div", "tip-title", clip(d.label || id, 140)));
      if (d.text) {
        tip.appendChild(el("div", "tip-text", clip(d.text, 360)));
      }
      field(tip, t("in_document"), d.document_label);
      field(tip, t("lead"), d.lead);
      field(tip, t("support"), d.support);
      field(tip, t("deadline"), d.deadline);
      return tip;
    }

    function edgeTooltip(e) {
      var tip = el("div", "tip");
      tip.appendChild(el("div", "tip-title", t(e.relation)));
      if (typeof e.score === "number") {
        field(tip, t("score"), e.score.toFixed(3));
      }
      field(tip, t("confidence"), e.band ? t(e.band) : null);
      field(tip, t("status"), e.status ? t(e.status) : null);
      field(tip, t("shared"), e.evidence);
      return tip;
    }

    data.nodes.forEach(function (n) {
      n.title = nodeTooltip(n.id);
    });
    data.edges.forEach(function (e) {
      e.title = edgeTooltip(e);
    });
    nodes.add(data.nodes);
    edges.add(data.edges);
    // When the tree cannot be read whole, the first view shows its top left corner: the
    // directive, and the first of its tasks with what restates them below.
    if (data.nodes.length) {
      homeTarget = {x: Math.min.apply(null, data.nodes.map(function (n) {
        return n.x;
      })) - 150, y: Math.min.apply(null, data.nodes.map(function (n) {
        return n.y;
      })) - 80, left: true};
    }

    function linkList(title, list) {
      if (!list || !list.length) {
        return;
      }
      info.appendChild(el("h3", null, title + " (" + list.length + ")"));
      var ul = el("ul", "links");
      list.slice(0, 60).forEach(function (link) {
        var li = el("li");
        if (link.drawn) {
          li.appendChild(button("link", clip(link.label, 120), function () {
            goTo(link.id);
          }));
        } else {
          li.appendChild(el("span", "link off", clip(link.label, 120) + " " + t("not_drawn")));
        }
        li.appendChild(el("span", "score", linkText(link)));
        ul.appendChild(li);
      });
      if (list.length > 60) {
        ul.appendChild(el("li", "more", t("more", {n: list.length - 60})));
      }
      info.appendChild(ul);
    }

    function showNode(id) {
      var d = details[id];
      if (!d) {
        return;
      }
      clear(info);
      info.appendChild(el("h2", null, d.label || id));
      info.appendChild(el("div", "kind", t(d.kind) + (d.placeholder ? " · " + t("cited_not_loaded") : "")));
      if (d.text) {
        info.appendChild(el("p", "text", d.text));
      }
      var fields = el("div", "fields");
      field(fields, t("id"), id);
      field(fields, t("number"), d.number);
      field(fields, t("title"), d.title);
      field(fields, t("issuer"), d.issuer);
      field(fields, t("date"), d.date);
      field(fields, t("name"), d.name);
      field(fields, t("in_document"), d.document_label || d.document);
      field(fields, t("path"), d.path);
      field(fields, t("lead"), d.lead);
      field(fields, t("support"), d.support);
      field(fields, t("deadline"), d.deadline);
      field(fields, t("indicator"), d.indicator);
      info.appendChild(fields);
      linkList(t("comes_from"), d.up);
      linkList(t("taken_up_by"), d.down);
    }

    function showEdge(id) {
      var e = edges.get(id);
      if (!e) {
        return;
      }
      clear(info);
      info.appendChild(el("h2", null, t(e.relation)));
      var fields = el("div", "fields");
      field(fields, t("from"), (details[e.from] || {}).label || e.from);
      field(fields, t("to"), (details[e.to] || {}).label || e.to);
      if (typeof e.score === "number") {
        field(fields, t("score"), e.score.toFixed(3));
      }
      field(fields, t("confidence"), e.band ? t(e.band) : null);
      field(fields, t("status"), e.status ? t(e.status) : null);
      field(fields, t("method"), e.method);
      field(fields, t("shared"), e.evidence);
      field(fields, t("reason"), e.reason);
      info.appendChild(fields);
    }

    function goTo(id) {
      if (!nodes.get(id)) {
        return;
      }
      focusOn(id);
      showNode(id);
    }

    startNetwork(function (event) {
      if (event.nodes.length) {
        showNode(event.nodes[0]);
      } else if (event.edges.length) {
        showEdge(event.edges[0]);
      }
    });
    summary.textContent = t("summary_tree", {nodes: t("nodes_n", {n: data.nodes.length}),
                                             focus: clip(data.focus_label || data.focus, 60), depth: data.depth});
    function findHits(query) {
      var hits = [];
      data.nodes.forEach(function (n) {
        var d = details[n.id] || {};
        var score = d.search ? scoreKeys(d.search, query) : null;
        if (score) {
          hits.push({id: n.id, node: n.id, kind: d.kind, label: (d.path ? d.path + " · " : "") + (d.text || d.label || n.id),
                     context: d.document_label, score: score});
        }
      });
      return hits;
    }

    var runSearch = wireSearch(findHits, function (hit) {
      goTo(hit.id);
    }, function (hits) {
      network.selectNodes(hits.map(function (h) {
        return h.id;
      }), false);
    });
    home();
    settle();
    if (params.get("node")) {
      goTo(params.get("node"));
    }
    return runSearch;
  }

  var runSearch = data.mode === "overview" ? overview() : tree();
  // The address may name a search: page.html#search=so%20tai%20chinh
  if (params.get("search")) {
    search.value = params.get("search");
    runSearch();
  }
}());
