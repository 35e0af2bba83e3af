// A hosted video in headless Chromium: its page asks nothing of the video's
// host until the visitor clicks the facade, which then loads the host's
// privacy-enhanced player in place.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { launch } = require("./chromium.js");
const { ROOT } = require("./lunr.js");
const { buildAndServe, pagesWith } = require("./server.js");

test("a video facade asks nothing of the host before the click, then plays in place", { timeout: 120000 }, async () => {
  const demo = await buildAndServe(ROOT);
  const browser = await launch();
  try {
    for (const [lang, label] of [["fr", "Lire la vidéo\u00a0: "], ["en", "Play: "]]) {
      const [video] = pagesWith(demo.publicDir, lang, 'class="video-facade"');
      assert.ok(video, `a ${lang} page of the demo shows a hosted video`);
      const page = await browser.newPage();
      const elsewhere = [];
      // Nothing leaves the machine: requests to other hosts are noted and refused.
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(demo.url)) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
      await page.goto(demo.url + video, { waitUntil: "networkidle" });
      const facade = page.locator("a.video-facade").first();
      assert.match(await facade.innerText(), new RegExp("^" + label));
      // Scrolled into view and hovered, as a visitor would before choosing.
      await facade.scrollIntoViewIfNeeded();
      await facade.hover();
      await page.waitForTimeout(300);
      assert.deepEqual(elsewhere, [], "no request to another host before the click");
      assert.equal(await page.locator("iframe").count(), 0);

      await facade.click();
      const player = page.locator("figure.video iframe");
      await player.waitFor();
      const src = await player.getAttribute("src");
      assert.match(src, /^https:\/\/video\.example\.org\/videos\/embed\/[A-Za-z0-9-]+\?autoplay=1&p2p=0$/);
      assert.match(await player.getAttribute("title"), new RegExp("^" + label));
      await page.waitForTimeout(300);
      assert.ok(elsewhere.some((url) => url.startsWith("https://video.example.org/videos/embed/")), elsewhere.join(" "));
      assert.equal(await page.locator("a.video-facade").count(), 0, "the facade gave way to the player");
      await page.close();
    }
  } finally {
    await browser.close();
    demo.close();
  }
});
