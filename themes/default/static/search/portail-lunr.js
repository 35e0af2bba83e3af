/*
 * portail's lunr settings, shared by the browser and by the tests that
 * build reference indexes with lunr.js itself, so both apply exactly what
 * portail's Rust index writer does:
 * - tokens split on whitespace, hyphens and both apostrophes, so French
 *   elisions (« l'immigration », « l’immigration ») index as "immigration";
 * - `portail-fold` removes accents before lunr's English trimmer, so
 *   "cafe" finds "café" in English too.
 * Load after lunr (and lunr-languages for French and Arabic); in node,
 * call the exported function with lunr.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory;
  } else {
    factory(root.lunr);
  }
})(this, function (lunr) {
  if (lunr.portail) {
    return lunr.portail;
  }
  var separator = /[\s\-'\u2019]+/;
  lunr.tokenizer.separator = separator;
  lunr.QueryLexer.termSeparator = separator;

  var fold = function (token) {
    return token.update(function (s) {
      return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    });
  };
  lunr.Pipeline.registerFunction(fold, "portail-fold");

  /* Index and search pipelines per portail pipeline name. */
  var configure = function (builder, pipeline) {
    if (pipeline === "french") {
      builder.use(lunr.fr);
      return;
    }
    if (pipeline === "arabic") {
      builder.use(lunr.ar);
      return;
    }
    builder.pipeline.reset();
    builder.searchPipeline.reset();
    if (pipeline === "english") {
      builder.pipeline.add(fold, lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
      builder.searchPipeline.add(fold, lunr.trimmer, lunr.stemmer);
    } else {
      builder.pipeline.add(fold, lunr.trimmer);
      builder.searchPipeline.add(fold, lunr.trimmer);
    }
  };

  lunr.portail = { separator: separator, fold: fold, configure: configure };
  return lunr.portail;
});
