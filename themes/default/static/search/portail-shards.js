/*
 * portail's sharded search: the index is cut into shards by the first
 * letters of its terms (see docs/search.md). For a query, this script
 * fetches the shards of the query's terms only and gives lunr.js an index
 * assembled from them: lunr scores a document by the dot product of the
 * query's vector with the document's, so vectors that keep only the loaded
 * terms give the scores and order of the whole index.
 *
 * What a query fetches: one shard per term; a wildcard (`immig*`) the
 * shards whose key begins with what precedes its first `*` (a `*` first is
 * dropped); a fuzzy term (`migraton~1`) the list of terms, then the shards
 * of the terms it matches. Results' documents come in chunks.
 *
 * Load after lunr and portail-lunr.js; in node, call the exported function
 * with lunr.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory;
  } else {
    factory(root.lunr);
  }
})(this, function (lunr) {
  "use strict";
  if (lunr.portail.Shards) return lunr.portail.Shards;

  /* Words shorter than this do not match as prefixes while typing. */
  var PREFIX_MIN = 2;
  /* Nor do prefixes that would need more shards than this, or terms. */
  var PREFIX_SHARDS = 6;
  var PREFIX_TERMS = 40;

  function chars(s) {
    return Array.from(s);
  }

  /*
   * `manifest` as the build wrote it; `base` the address of its folder
   * (ending in "/"); `fetchJson(url)` a promise of the parsed file.
   */
  function Shards(manifest, base, fetchJson) {
    var self = this;
    this.manifest = manifest;
    this.fetchJson = function (path) {
      return fetchJson(base + path + "?v=" + manifest.hash);
    };
    this.keys = new Map(manifest.keys.map(function (k, i) { return [k, i]; }));
    /* Every proper prefix of a key was split: it holds only itself. */
    this.split = new Set();
    manifest.keys.forEach(function (k) {
      var c = chars(k);
      for (var n = 0; n < c.length; n++) self.split.add(c.slice(0, n).join(""));
    });
    this.pipeline = lunr.Pipeline.load(manifest.pipeline);
    /* The pipeline but its stemmer: a typed word as the shards list it. */
    this.words = lunr.Pipeline.load(manifest.pipeline.filter(function (name) { return !/^stemmer/.test(name); }));
    this.refs = manifest.refs ? new Map(manifest.refs.map(function (r, i) { return [r, i]; })) : null;
    this.loaded = new Map(); /* shard or file → promise */
  }

  /* A file, fetched once; a failed fetch may be tried again. */
  Shards.prototype.file = function (path) {
    var loaded = this.loaded;
    if (!loaded.has(path)) {
      loaded.set(path, this.fetchJson(path).catch(function (error) {
        loaded.delete(path);
        throw error;
      }));
    }
    return loaded.get(path);
  };

  /* The shard holding `term` if the index has it, else null. */
  Shards.prototype.shardOf = function (term) {
    var c = chars(term);
    for (var n = c.length; n >= 0; n--) {
      var p = c.slice(0, n).join("");
      var key = this.keys.has(p);
      if (key || this.split.has(p)) {
        return key && (n === c.length || !this.split.has(p)) ? this.keys.get(p) : null;
      }
    }
    return null;
  };

  /* The shards that may hold terms or words beginning with `prefix`. */
  Shards.prototype.shardsFrom = function (prefix) {
    var found = [];
    this.manifest.keys.forEach(function (k, i) {
      if (k.indexOf(prefix) === 0) found.push(i);
    });
    var c = chars(prefix);
    for (var n = c.length - 1; n >= 0; n--) {
      var p = c.slice(0, n).join("");
      if (this.keys.has(p) || this.split.has(p)) {
        if (this.keys.has(p) && !this.split.has(p)) found.push(this.keys.get(p));
        break;
      }
    }
    return found;
  };

  /* A shard, parsed: its terms and its words ({word, term}). */
  Shards.prototype.shard = function (n) {
    return this.file("t/" + n + ".json").then(function (data) {
      return {
        terms: data.t,
        words: data.w.map(function (w) {
          return typeof w === "string" ? { word: w, term: w } : { word: w[0], term: w[1] };
        }),
      };
    });
  };

  Shards.prototype.shardsOf = function (numbers) {
    var self = this;
    var unique = Array.from(new Set(numbers)).sort(function (a, b) { return a - b; });
    return Promise.all(unique.map(function (n) { return self.shard(n); }));
  };

  Shards.prototype.vocabulary = function () {
    if (!this.tokens) {
      this.tokens = this.file("terms.json").then(function (terms) {
        return lunr.TokenSet.fromArray(terms);
      });
    }
    return this.tokens;
  };

  /* The parsed query (lunr's own parser), or throws lunr.QueryParseError. */
  Shards.prototype.parse = function (queryString) {
    var query = new lunr.Query(this.manifest.fields);
    new lunr.QueryParser(queryString, query).parse();
    return query;
  };

  /* The shards a parsed query needs, as lunr will look its terms up. */
  Shards.prototype.needs = function (query) {
    var self = this;
    var numbers = [];
    var fuzzy = [];
    query.clauses.forEach(function (clause) {
      var terms = clause.usePipeline ? self.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
      terms.forEach(function (term) {
        if ("editDistance" in clause) {
          fuzzy.push(lunr.TokenSet.fromFuzzyString(term, clause.editDistance));
        } else if (term.indexOf("*") >= 0) {
          numbers = numbers.concat(self.shardsFrom(term.slice(0, term.indexOf("*"))));
        } else {
          var n = self.shardOf(term);
          if (n !== null) numbers.push(n);
        }
      });
    });
    if (!fuzzy.length) return Promise.resolve(numbers);
    return this.vocabulary().then(function (tokens) {
      fuzzy.forEach(function (set) {
        tokens.intersect(set).toArray().forEach(function (term) {
          var n = self.shardOf(term);
          if (n !== null) numbers.push(n);
        });
      });
      return numbers;
    });
  };

  /* A lunr index of the terms of `shards`, as lunr.Index.load makes one. */
  Shards.prototype.assemble = function (shards) {
    var fields = this.manifest.fields;
    var refs = this.manifest.refs;
    var invertedIndex = {};
    var vectors = new Map();
    var names = [];
    shards.forEach(function (shard) {
      shard.terms.forEach(function (entry) {
        var term = entry[0];
        var posting = { _index: entry[1] };
        fields.forEach(function (field, f) {
          var list = entry[2 + f];
          var postingField = {};
          var d = 0;
          for (var i = 0; i < list.length; i += 2) {
            d += list[i];
            var ref = refs ? refs[d] : String(d);
            postingField[ref] = {};
            var key = field + "/" + ref;
            if (!vectors.has(key)) vectors.set(key, []);
            vectors.get(key).push([entry[1], list[i + 1] / 1000]);
          }
          posting[field] = postingField;
        });
        names.push(term);
        invertedIndex[term] = posting;
      });
    });
    var fieldVectors = {};
    vectors.forEach(function (pairs, key) {
      pairs.sort(function (a, b) { return a[0] - b[0]; });
      var elements = [];
      pairs.forEach(function (p) { elements.push(p[0], p[1]); });
      fieldVectors[key] = new lunr.Vector(elements);
    });
    names.sort();
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(names),
      fields: fields,
      pipeline: this.pipeline,
    });
  };

  /* `[*]abc` → `abc`: a wildcard first would need every shard. */
  function leadingWildcards(queryString) {
    return queryString.replace(/(^|[\s+\-:])\*+/g, "$1");
  }

  /*
   * lunr's results for `queryString`, as the whole index gives them. With
   * `prefix`, the last word also matches as the beginning of words, after
   * the results of the query as written.
   */
  Shards.prototype.search = function (queryString, options) {
    var self = this;
    var q = leadingWildcards(queryString);
    var query = this.parse(q);
    var last = options && options.prefix ? this.lastWord(q, query) : null;
    var expansion = last ? this.expand(last.word) : Promise.resolve([]);
    return Promise.all([this.needs(query), expansion]).then(function (found) {
      var numbers = found[0].slice();
      var expanded = found[1];
      expanded.forEach(function (term) {
        var n = self.shardOf(term);
        if (n !== null) numbers.push(n);
      });
      return self.shardsOf(numbers).then(function (shards) {
        var index = self.assemble(shards);
        var results = index.search(q);
        if (!expanded.length) return results;
        var seen = new Set(results.map(function (r) { return r.ref; }));
        var more = index.query(function (query) {
          new lunr.QueryParser(q, query).parse();
          var clause = query.clauses.pop();
          expanded.forEach(function (term) {
            query.clause({ term: term, usePipeline: false, fields: clause.fields, boost: clause.boost });
          });
        });
        return results.concat(more.filter(function (r) { return !seen.has(r.ref); }));
      });
    });
  };

  /* The last clause as a word being typed, if it is a plain optional word. */
  Shards.prototype.lastWord = function (q, query) {
    var clause = query.clauses[query.clauses.length - 1];
    if (!clause || !clause.usePipeline || "editDistance" in clause) return null;
    if (clause.presence !== lunr.Query.presence.OPTIONAL || /\s$/.test(q)) return null;
    var word = this.words.runString(clause.term)[0];
    return word && chars(word).length >= PREFIX_MIN ? { word: word } : null;
  };

  /* Terms of the words that begin with `word` (none if too many shards). */
  Shards.prototype.expand = function (word) {
    var numbers = this.shardsFrom(word);
    if (numbers.length > PREFIX_SHARDS) return Promise.resolve([]);
    return this.shardsOf(numbers).then(function (shards) {
      var terms = new Set();
      shards.forEach(function (shard) {
        shard.words.forEach(function (w) {
          if (w.word.indexOf(word) === 0 && w.word !== word) terms.add(w.term);
        });
      });
      return Array.from(terms).sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); }).slice(0, PREFIX_TERMS);
    });
  };

  /* A result's position in the store. */
  Shards.prototype.position = function (ref) {
    return this.refs ? this.refs.get(ref) : Number(ref);
  };

  /*
   * What results can be narrowed by: [{name, label, values: [{id, label}],
   * of: Map(position → [value id])}].
   */
  Shards.prototype.facets = function () {
    return this.file("facets.json").then(function (kinds) {
      return kinds.map(function (kind) {
        var of = new Map();
        var values = kind.values.map(function (v) {
          var d = 0;
          v[2].forEach(function (delta) {
            d += delta;
            if (!of.has(d)) of.set(d, []);
            of.get(d).push(v[0]);
          });
          return { id: v[0], label: v[1] };
        });
        return { name: kind.name, label: kind.label, values: values, of: of };
      });
    });
  };

  /* The stored documents of `refs`, in that order. */
  Shards.prototype.documents = function (refs) {
    var self = this;
    var chunk = this.manifest.chunk;
    var positions = refs.map(function (r) { return self.position(r); });
    var numbers = Array.from(new Set(positions.map(function (d) { return Math.floor(d / chunk); })));
    return Promise.all(numbers.map(function (n) { return self.file("d/" + n + ".json"); })).then(function (chunks) {
      var byNumber = new Map(numbers.map(function (n, i) { return [n, chunks[i]]; }));
      return positions.map(function (d) { return byNumber.get(Math.floor(d / chunk))[d % chunk]; });
    });
  };

  /* Levenshtein distance, stopping early above `max`. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var row = [];
    for (var j = 0; j <= b.length; j++) row.push(j);
    for (var i = 1; i <= a.length; i++) {
      var previous = row[0];
      row[0] = i;
      var best = row[0];
      for (var k = 1; k <= b.length; k++) {
        var next = Math.min(row[k] + 1, row[k - 1] + 1, previous + (a[i - 1] === b[k - 1] ? 0 : 1));
        previous = row[k];
        row[k] = next;
        best = Math.min(best, next);
      }
      if (best > max) return max + 1;
    }
    return row[b.length];
  }

  /*
   * For a query that found nothing: the query with each word the index
   * does not have replaced by the nearest indexed word (one or two edits,
   * the more frequent first), or null.
   */
  Shards.prototype.suggest = function (queryString) {
    var self = this;
    return this.file("words.json").then(function (words) {
      var known = new Set(words.map(function (w) { return w[0]; }));
      var changed = false;
      var parts = queryString.split(/(\s+)/).map(function (part) {
        var word = /^[\p{L}\p{N}]+$/u.test(part) ? self.words.runString(part.toLowerCase())[0] : null;
        if (!word || known.has(word)) return part;
        var max = word.length < 5 ? 1 : 2;
        var best = null;
        words.forEach(function (w) {
          var d = distance(word, w[0], max);
          if (d <= max && (!best || d < best.d || (d === best.d && w[1] > best.n))) best = { word: w[0], d: d, n: w[1] };
        });
        if (!best) return part;
        changed = true;
        return best.word;
      });
      return changed ? parts.join("") : null;
    });
  };

  lunr.portail.Shards = Shards;
  return Shards;
});
