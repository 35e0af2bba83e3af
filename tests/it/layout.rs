//! The source tree reads as the pipeline: no module of `src/` uses one
//! that uses it back, however far round.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src/` (a file or a folder) and the top-level
/// modules its code (not its tests) names with `crate::`.
fn modules() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let name = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let group = regex::Regex::new(r"use crate::\{([^}]*)\}").unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "main" || top == "lib" || rel.ends_with("/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut used: BTreeSet<String> =
            name.captures_iter(code).map(|c| c[1].to_string()).collect();
        for c in group.captures_iter(code) {
            used.extend(
                c[1].split(',')
                    .map(|p| p.trim().split("::").next().unwrap_or("").to_string()),
            );
        }
        used.retain(|m| !m.is_empty() && *m != top && m != "msg");
        graph.entry(top).or_default().extend(used);
    }
    graph
}

/// The modules that `from` reaches.
fn reach(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(module) = todo.pop() {
        for next in graph.get(&module).into_iter().flatten() {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}

#[test]
fn no_module_uses_one_that_uses_it_back() {
    let graph = modules();
    assert!(graph.len() > 10, "{graph:?}");
    let circles: Vec<(String, BTreeSet<String>)> = graph
        .keys()
        .map(|module| {
            let back: BTreeSet<String> = reach(&graph, module)
                .into_iter()
                .filter(|other| reach(&graph, other).contains(module))
                .collect();
            (module.clone(), back)
        })
        .filter(|(_, back)| !back.is_empty())
        .collect();
    assert!(circles.is_empty(), "modules in a circle: {circles:?}");
}
