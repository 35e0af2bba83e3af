// Debian's Chromium, headless, as every browser test and benchmark runs it.
"use strict";
const { chromium } = require("playwright-core");

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts the browser (`CHROMIUM` overrides /usr/bin/chromium). */
function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ARGS });
}

module.exports = { launch };
