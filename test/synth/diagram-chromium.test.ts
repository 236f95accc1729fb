/**
 * The committed architecture diagram (docs/architecture.svg, drawn from examples/acme.yaml) is
 * up to date, and it renders in a real browser: Chromium opens it, every host of the spec is laid
 * out as visible text, and the screenshot (test-artifacts/architecture.png) is not blank.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { loadSpec } from '../../src/spec/index.ts';
import { renderDiagram } from '../../src/synth/diagram.ts';
import { blueprintInputOf } from '../../src/synth/from-spec.ts';

// page.evaluate callbacks run in Chromium; the project compiles against Node's types, not the DOM's.
declare const document: any;
declare const OffscreenCanvas: any;
declare function createImageBitmap(blob: Blob): Promise<unknown>;

const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = path.join(root, 'test-artifacts');

function acmeDiagram(): { svg: string; hosts: string[] } {
  const loaded = loadSpec(path.join(root, 'examples/acme.yaml'), { env: {} });
  assert.ok(loaded.ok);
  const blueprint = blueprintInputOf(loaded);
  assert.ok(blueprint.ok);
  return {
    svg: renderDiagram(blueprint.input),
    // The spec's hosts (not the deployment's, which adds pseudo-hosts such as the backup one).
    hosts: (loaded.spec.environments ?? []).flatMap((env) => (env.hosts ?? []).map((host) => host.name)),
  };
}

test('docs/architecture.svg is the diagram of examples/acme.yaml (regenerate: steward diagram --spec examples/acme.yaml --out docs/architecture.svg)', () => {
  const committed = readFileSync(path.join(root, 'docs/architecture.svg'), 'utf8');
  assert.ok(
    committed === acmeDiagram().svg,
    'docs/architecture.svg is stale: regenerate it with the command in this test name',
  );
});

const profile = mkdtempSync(path.join(tmpdir(), 'steward-chromium-'));
after(() => rmSync(profile, { recursive: true, force: true }));

test('Chromium renders the diagram: every host visible, the screenshot not blank', async () => {
  const { svg, hosts } = acmeDiagram();
  assert.equal(hosts.length, 11);
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, 'architecture.svg');
  writeFileSync(file, svg);

  // A fresh profile directory: nothing from another run (or another test) leaks in.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);

    const svgBox = await page.evaluate(() => {
      const svgRoot = document.documentElement;
      const box = svgRoot.getBoundingClientRect();
      return { tag: svgRoot.tagName, width: box.width, height: box.height };
    });
    assert.equal(svgBox.tag, 'svg', 'Chromium parsed the file as SVG (an XML error page would be html)');
    assert.equal(svgBox.width, 1200);
    assert.ok(svgBox.height > 2000, `height ${svgBox.height}`);

    const text = await page.evaluate(() => document.documentElement.textContent ?? '');
    // Laid out, not just present: each host name is a <text> with a real width on the page.
    const widths = await page.evaluate((names) => {
      const texts = [...document.querySelectorAll('text')];
      return names.map((name) => {
        const element = texts.find((t) => t.textContent === name);
        return element ? element.getBoundingClientRect().width : 0;
      });
    }, hosts);
    for (const [i, host] of hosts.entries()) {
      assert.ok(text.includes(host), `${host} in the page text`);
      assert.ok((widths[i] ?? 0) > 10, `${host} rendered (width ${widths[i]})`);
    }

    // fullPage screenshots of an SVG document never finish in Chromium: size the viewport instead.
    await page.setViewportSize({ width: 1200, height: Math.ceil(svgBox.height) });
    const screenshot = await page.screenshot({ path: path.join(artifacts, 'architecture.png') });
    assert.ok(screenshot.length > 50_000, `screenshot of ${screenshot.length} bytes`);
    // Not blank: the pixels differ (a blank page compresses to a few hundred bytes of one colour).
    const colours = await page.evaluate(async (png) => {
      // The page is an SVG document: no HTML elements, so decode and draw off screen.
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(400, 400);
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0, 1200, 1200, 0, 0, 400, 400);
      const data = context.getImageData(0, 0, 400, 400).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4)
        seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    }, screenshot.toString('base64'));
    assert.ok(colours > 20, `${colours} distinct colours in the top of the screenshot`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
