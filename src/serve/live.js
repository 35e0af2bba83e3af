// Added by `portail serve` only: brings the page up to date after each
// rebuild and shows the errors of a failed one over the page. After an
// edit of Markdown alone the page's content is replaced in place (no new
// request for stylesheets and scripts, the scroll position kept); after
// anything else, or if the page's stylesheets or scripts changed, it
// reloads whole.
(function () {
  "use strict";
  var script = document.currentScript;
  var since = script ? script.getAttribute("data-generation") : "";
  // The build this page was last loaded whole from: a later build that
  // calls for a whole load (a stylesheet, a template…) reloads it.
  var loaded = Number(since) || 0;
  // Only the latest fetch may replace the page.
  var serial = 0;
  // The address a fetch in flight follows the page to: a build that
  // comes meanwhile no longer says the page moved, but it did.
  var following = null;
  var source = null;
  var overlay = null;

  function clear() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function show(errors) {
    clear();
    overlay = document.createElement("div");
    overlay.id = "portail-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace";
    var title = document.createElement("h2");
    title.textContent = errors.length === 1
      ? "The site has 1 error / Le site a 1 erreur"
      : "The site has " + errors.length + " errors / Le site a " + errors.length + " erreurs";
    title.style.cssText = "margin-top:0;color:#ff8a80;font:bold 1.2rem sans-serif";
    overlay.appendChild(title);
    errors.forEach(function (error) {
      var item = document.createElement("div");
      item.style.cssText = "margin:1rem 0;padding:1rem;border-left:4px solid #ff8a80;background:#000";
      var where = document.createElement("div");
      where.style.color = "#9cdcfe";
      where.textContent = error.file
        ? error.file + (error.line ? ":" + error.line + (error.column ? ":" + error.column : "") : "")
        : "";
      var message = document.createElement("div");
      message.textContent = error.message;
      item.appendChild(where);
      item.appendChild(message);
      if (error.help) {
        var help = document.createElement("div");
        help.style.color = "#b5e8a0";
        help.textContent = (error.help_label || "help") + ": " + error.help;
        item.appendChild(help);
      }
      overlay.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = "The page shows the last good build; it reloads when the file is fixed. / " +
      "La page montre la dernière version correcte ; elle se recharge quand le fichier est corrigé.";
    overlay.appendChild(note);
    document.body.appendChild(overlay);
  }

  // What a page loads (structured data is not): if any of it changed,
  // only a reload applies it.
  var RESOURCES = "link[rel~=stylesheet], link[rel~=icon], style, " +
    "script:not([type='application/ld+json'])";

  function resources(doc) {
    var nodes = doc.head.querySelectorAll(RESOURCES);
    return Array.prototype.map.call(nodes, function (node) { return node.outerHTML; }).join("\n");
  }

  // As served (scripts may add more to the head later, e.g. the search's).
  var served = resources(document);

  function isResource(node) {
    return node.nodeType === 1 && node.matches(RESOURCES);
  }

  // Set, not replaced: what the page's own scripts added stays.
  function copyAttributes(from, to) {
    Array.prototype.forEach.call(from.attributes, function (a) { to.setAttribute(a.name, a.value); });
  }

  // Scripts moved from another document do not run: each is made anew
  // (this script's own tag excepted: it keeps running).
  function runScripts(body) {
    body.querySelectorAll("script").forEach(function (old) {
      if ((old.getAttribute("src") || "").indexOf("/__portail/") === 0) return;
      var fresh = document.createElement("script");
      copyAttributes(old, fresh);
      fresh.text = old.text;
      // In document order, as when the page loads.
      fresh.async = false;
      old.replaceWith(fresh);
    });
  }

  function replaceContent(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    if (resources(next) !== served) return false;
    var y = window.scrollY;
    Array.prototype.slice.call(document.head.childNodes).forEach(function (node) {
      if (!isResource(node)) node.remove();
    });
    Array.prototype.slice.call(next.head.childNodes).forEach(function (node) {
      if (!isResource(node)) document.head.appendChild(document.adoptNode(node));
    });
    copyAttributes(next.documentElement, document.documentElement);
    var body = document.adoptNode(next.body);
    document.documentElement.replaceChild(body, document.body);
    runScripts(body);
    overlay = null;
    window.scrollTo(0, y);
    return true;
  }

  function onReload(event) {
    var build;
    try {
      build = JSON.parse(event.data) || {};
    } catch (e) {
      build = {};
    }
    // A page that moved to another address is followed there (from the
    // address it is being followed to, if it is).
    var from = following ? new URL(following, window.location.href).pathname : window.location.pathname;
    var moved = build.moved && build.moved[from];
    var address = typeof moved === "string"
      ? moved + window.location.search + window.location.hash
      : following;
    function load() {
      if (address) window.location.replace(address);
      else window.location.reload();
    }
    if (!(build.full <= loaded) || !window.fetch || !window.DOMParser) {
      load();
      return;
    }
    var mine = ++serial;
    following = address;
    window.fetch(address || window.location.href, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (mine !== serial) return;
        following = null;
        // At its new address before its content comes, so that relative
        // links in it lead where they should.
        if (address) window.history.replaceState(window.history.state, "", address);
        if (!replaceContent(html)) window.location.reload();
        // The server is told the page's new address.
        else if (address) connect(build.generation);
      })
      .catch(function () {
        if (mine === serial) load();
      });
  }

  // Follows the rebuilds from build `generation` on; the server writes
  // the pages open in browsers first.
  function connect(generation) {
    if (source) source.close();
    source = new EventSource("/__portail/events?since=" + encodeURIComponent(generation || "") +
      "&path=" + encodeURIComponent(window.location.pathname));
    source.addEventListener("reload", onReload);
    source.addEventListener("errors", function (event) {
      show(JSON.parse(event.data));
    });
    source.addEventListener("ok", function () {
      clear();
      // For tests and curious authors: the page follows the rebuilds.
      window.portailLive = "connected";
    });
  }

  connect(since);
})();
