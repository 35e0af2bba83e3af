/*
 * portail's search box and results page. lunr and the search's manifest
 * load only on the first interaction with the box (or on the results page
 * when the address carries ?q=); each query then fetches the index shards
 * and result documents it needs (portail-shards.js). Results are built
 * with DOM text nodes only: page titles and excerpts are never parsed as
 * HTML.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.site-search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var results = document.getElementById("search-results");
  var pipeline = form.getAttribute("data-pipeline");
  /*
   * lunr-languages' pipelines take the query as typed: folding would split
   * Arabic hamza letters (ؤ → و + U+0654) before lunr.ar reads them.
   */
  var folds = pipeline !== "french" && pipeline !== "arabic";
  /* Results are shown this many at a time (each may need a chunk of documents). */
  var PAGE = 20;
  /* The separator portail-lunr.js gives lunr (whitespace, hyphens, apostrophes). */
  var SEPARATOR = /([\s\-'\u2019]+)/;
  var loading = null;
  /* Only the latest query may write the results. */
  var serial = 0;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  /* lunr, then the language's files, then the manifest of the shards. */
  function load() {
    if (loading) return loading;
    var scripts = form.getAttribute("data-scripts").split(" ");
    var chain = scripts.reduce(function (p, src) {
      return p.then(function () { return loadScript(src); });
    }, Promise.resolve());
    var manifest = new URL(form.getAttribute("data-manifest"), window.location.href);
    loading = chain.then(function () {
      return fetchJson(manifest.href);
    }).then(function (data) {
      return new window.lunr.portail.Shards(data, new URL(".", manifest).href, fetchJson);
    }).catch(function (error) {
      loading = null; /* a later search tries again */
      throw error;
    });
    return loading;
  }

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /*
   * The query as lunr should get it: elided articles dropped (so `+l'État`
   * and `title:l'immigration` work), fuzzy distances capped at 2 (larger
   * ones take seconds), accents folded where lunr's wildcard terms would
   * skip the index's folding. `null` when nothing is left to look for.
   */
  function prepare(query) {
    var q = query.replace(/(^|[\s+\-:])(?:qu|[cdjlmnst])['\u2019]/gi, "$1");
    q = q.replace(/~(\d+)/g, function (_, n) { return "~" + Math.min(Number(n), 2); });
    if (folds) q = fold(q);
    /* A query of operators only, or of excluded terms only, would list everything. */
    var wanted = q.split(/\s+/).filter(function (t) { return t && t.charAt(0) !== "-" && /[\p{L}\p{N}]/u.test(t); });
    return wanted.length ? q : null;
  }

  /* The results of `query`; while `typing`, its last word is also a prefix. */
  function run(engine, query, typing) {
    var q = prepare(query);
    if (q === null) return Promise.resolve([]);
    return engine.search(q, { prefix: typing }).catch(function (error) {
      if (!(error instanceof window.lunr.QueryParseError)) throw error;
      /* Not valid lunr syntax (a lone "title:", "~"…): search the words. */
      return engine.search(q.replace(/[:*~^+\-]/g, " "), { prefix: typing });
    });
  }

  /* The excerpt as text nodes, words starting like a query word in <mark>. */
  function highlighted(text, query) {
    var wanted = fold(query).split(/[\s\-'\u2019:*~^+]+/).filter(function (w) { return w.length > 1; })
      .map(function (w) { return w.slice(0, Math.max(3, w.length - 2)); });
    var fragment = document.createDocumentFragment();
    text.split(SEPARATOR).forEach(function (part) {
      var word = fold(part).replace(/^[^\p{L}\p{N}]+/u, "");
      var hit = word && wanted.some(function (w) { return word.indexOf(w) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function item(doc, query) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = doc.url;
    a.textContent = doc.title;
    h.appendChild(a);
    li.appendChild(h);
    var meta = [doc.section, doc.date].filter(Boolean).join(" · ");
    if (meta) {
      var p = document.createElement("p");
      p.className = "meta";
      p.textContent = meta;
      li.appendChild(p);
    }
    if (doc.excerpt) {
      var e = document.createElement("p");
      e.appendChild(highlighted(doc.excerpt, query));
      li.appendChild(e);
    }
    return li;
  }

  /* "Did you mean" with a link to the suggested query, or nothing. */
  function suggest(engine, query, mine) {
    var box = results.querySelector(".search-suggest");
    engine.suggest(query).then(function (better) {
      if (mine !== serial || !better) return;
      var a = document.createElement("a");
      a.href = "?q=" + encodeURIComponent(better);
      a.textContent = better;
      box.textContent = results.getAttribute("data-suggest") + " ";
      box.appendChild(a);
      box.hidden = false;
    }).catch(function () {});
  }

  /*
   * Filters (section, year, taxonomies): the values chosen, by kind, kept
   * in the address beside q. Their data loads when the visitor opens them
   * or when the address already chooses some.
   */
  var chosen = {};
  var facets = null;
  var filterBox = results && results.querySelector(".search-filters");
  var filterForm = results && results.querySelector("#search-filter-form");
  var selects = {};

  function chosenFromAddress() {
    var out = {};
    new URLSearchParams(window.location.search).forEach(function (value, key) {
      if (key !== "q" && value) out[key] = value;
    });
    return out;
  }

  function address(q) {
    var params = new URLSearchParams();
    params.set("q", q);
    Object.keys(chosen).forEach(function (k) { params.set(k, chosen[k]); });
    return "?" + params.toString();
  }

  /* Whether the result at `position` has every chosen value (but `except`'s). */
  function matches(kinds, position, except) {
    return kinds.every(function (kind) {
      var want = chosen[kind.name];
      if (!want || kind === except) return true;
      var have = kind.of.get(position);
      return !!have && have.indexOf(want) >= 0;
    });
  }

  /* One select per kind, made once; their options count the results. */
  function drawFilters(engine, kinds, found) {
    var positions = found.map(function (hit) { return engine.position(hit.ref); });
    kinds.forEach(function (kind) {
      var select = selects[kind.name];
      if (!select) {
        var label = document.createElement("label");
        label.textContent = kind.label + " ";
        select = document.createElement("select");
        select.name = kind.name;
        select.addEventListener("change", function () {
          if (select.value) chosen[kind.name] = select.value;
          else delete chosen[kind.name];
          history.replaceState(null, "", address(input.value));
          show(input.value);
        });
        label.appendChild(select);
        filterForm.appendChild(label);
        selects[kind.name] = select;
      }
      var counts = new Map();
      positions.forEach(function (d) {
        if (!matches(kinds, d, kind)) return;
        (kind.of.get(d) || []).forEach(function (id) { counts.set(id, (counts.get(id) || 0) + 1); });
      });
      select.textContent = "";
      select.appendChild(new Option(filterForm.getAttribute("data-any"), ""));
      kind.values.forEach(function (value) {
        var n = counts.get(value.id) || 0;
        if (n || chosen[kind.name] === value.id) select.appendChild(new Option(value.label + " (" + n + ")", value.id));
      });
      select.value = chosen[kind.name] || "";
    });
    return found.filter(function (hit, i) { return matches(kinds, positions[i], null); });
  }

  /* The filters' data, once; a failed load may be tried again. */
  function loadFacets(engine) {
    if (!facets) {
      facets = engine.facets().catch(function (error) {
        facets = null;
        throw error;
      });
    }
    return facets;
  }

  function openFilters(open) {
    filterForm.hidden = !open;
    filterBox.querySelector(".search-filter-toggle").setAttribute("aria-expanded", String(open));
  }

  function show(query, typing) {
    if (!results) return;
    var mine = ++serial;
    var status = results.querySelector(".search-status");
    var list = results.querySelector(".search-list");
    var more = results.querySelector(".search-more");
    var retry = results.querySelector(".search-retry");
    var suggestion = results.querySelector(".search-suggest");
    list.textContent = "";
    more.hidden = true;
    more.onclick = null;
    retry.hidden = true;
    suggestion.hidden = true;
    if (!query.trim()) {
      status.textContent = "";
      return;
    }
    status.textContent = results.getAttribute("data-loading");
    function failed() {
      if (mine !== serial) return;
      status.textContent = results.getAttribute("data-error");
      retry.hidden = false;
      retry.onclick = function () {
        show(query, typing);
        input.focus();
      };
    }
    load().then(function (engine) {
      var narrowing = facets || (Object.keys(chosen).length ? loadFacets(engine) : null);
      return Promise.all([run(engine, query, typing), narrowing]).then(function (both) {
        if (mine !== serial) return;
        var found = both[0];
        if (both[1]) found = drawFilters(engine, both[1], found);
        filterBox.hidden = !found.length && !Object.keys(chosen).length;
        var message = found.length === 0 ? "data-none" : found.length === 1 ? "data-result" : "data-results";
        /* Said once the first results are in the list. */
        function announce() {
          if (mine === serial) status.textContent = say(results.getAttribute(message), { count: found.length, query: query });
        }
        if (!found.length) suggest(engine, query, mine);
        var shown = 0;
        function next() {
          var page = found.slice(shown, shown + PAGE);
          shown += page.length;
          return engine.documents(page.map(function (hit) { return hit.ref; })).then(function (docs) {
            if (mine !== serial) return;
            docs.forEach(function (doc) {
              if (doc) list.appendChild(item(doc, query));
            });
            more.hidden = shown >= found.length;
          });
        }
        more.onclick = function () {
          var first = list.children.length;
          next().then(function () {
            if (list.children[first]) list.children[first].querySelector("a").focus();
          }, failed);
        };
        return next().then(announce);
      });
    }).catch(failed);
  }

  function queryFromAddress() {
    return new URLSearchParams(window.location.search).get("q") || "";
  }

  /* Elsewhere: load on first interaction, submit to the results page. */
  ["focus", "pointerdown", "keydown"].forEach(function (type) {
    input.addEventListener(type, function () { load().catch(function () {}); }, { once: true });
  });

  if (!results) return;

  /*
   * The results page: results follow the typing; pressing Enter records
   * the query in the address (shareable) and in the history (Back returns
   * to the previous query).
   */
  var timer = null;
  input.value = queryFromAddress();
  chosen = chosenFromAddress();
  if (Object.keys(chosen).length) openFilters(true);
  filterForm.addEventListener("submit", function (event) { event.preventDefault(); });
  filterBox.querySelector(".search-filter-toggle").addEventListener("click", function () {
    var open = filterForm.hidden;
    openFilters(open);
    if (open && !facets) {
      load().then(function (engine) {
        loadFacets(engine);
        show(input.value);
      }).catch(function () {});
    }
  });
  show(input.value);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var q = input.value;
    if (q !== queryFromAddress()) history.pushState(null, "", address(q));
    show(q);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value, true); }, 150);
  });
  window.addEventListener("popstate", function () {
    clearTimeout(timer);
    input.value = queryFromAddress();
    chosen = chosenFromAddress();
    show(input.value);
  });
})();
