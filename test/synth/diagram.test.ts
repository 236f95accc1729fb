import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderDiagram } from '../../src/synth/index.ts';
import { playbookInput } from './fixtures.ts';
import { wellFormedElements } from './xml-well-formed.ts';

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

test('the diagram is well-formed SVG with a title and a size', () => {
  const svg = renderDiagram(playbookInput());
  const elements = wellFormedElements(svg);
  assert.equal(elements[0], 'svg');
  assert.match(
    svg,
    /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1200" height="\d+" viewBox="0 0 1200 \d+"/,
  );
  assert.ok(elements.includes('title'));
  assert.ok(elements.filter((e) => e === 'line').length > 20, 'flows are drawn');
});

test('every host of every environment, and every environment, is in the diagram', () => {
  const input = playbookInput();
  const shown = texts(renderDiagram(input));
  for (const env of input.environments) {
    assert.ok(
      shown.some((t) => t.startsWith(`${env.name}`) && t.includes(`stack acme-${env.name}`)),
      env.name,
    );
    for (const host of env.hosts) assert.ok(shown.includes(host.name), `${env.name}/${host.name}`);
  }
});

test('the diagram shows the bastion port, the dashboard, NAT and the per-host flows with ports', () => {
  const shown = texts(renderDiagram(playbookInput())).join('\n');
  assert.match(shown, /steward gateway :2222/);
  assert.match(shown, /operators 203\.0\.113\.0\/24 → bastion +2222\/tcp/);
  assert.match(shown, /bastion → host:apim-1 +22\/tcp +\(SSH from the bastion\)/);
  assert.match(shown, /monitoring → host:is-1 +161\/udp/);
  assert.match(shown, /product-lb → host:apim-2 +9443\/tcp/);
  assert.match(shown, /NAT gateway/);
  assert.match(shown, /2 \(one per AZ\)/);
  assert.match(shown, /RDS postgres/);
  assert.match(shown, /Multi-AZ, deletion protection/);
});

test('a datacenter bastion is drawn outside the VPC, with no bastion instance', () => {
  const input = playbookInput();
  input.bastion = { placement: 'datacenter', port: 2222, address: '198.51.100.7' };
  const svg = renderDiagram(input);
  wellFormedElements(svg);
  const shown = texts(svg);
  assert.ok(shown.includes('Datacenter bastion'));
  assert.ok(!shown.includes('Bastion'));
  assert.ok(shown.some((t) => /datacenter-bastion 198\.51\.100\.7\/32 → host:apim-1 +22\/tcp/.test(t)));
});

test('text is escaped', () => {
  const input = playbookInput();
  input.environments[0]!.hosts[0]!.role = 'a<b>&"c"';
  const svg = renderDiagram(input);
  wellFormedElements(svg);
  assert.match(svg, /role a&lt;b&gt;&amp;&quot;c&quot;/);
});

test('the XML checker rejects what is not well-formed', () => {
  assert.throws(() => wellFormedElements('<svg><g></svg>'), /closes <g>/);
  assert.throws(() => wellFormedElements('<svg><text>a & b</text></svg>'), /bad entity/);
  assert.throws(() => wellFormedElements('<svg x="1" x="2"/>'), /twice/);
  assert.throws(() => wellFormedElements('<svg/><svg/>'), /second root/);
  assert.throws(() => wellFormedElements('<svg><rect x=1/></svg>'), /malformed start tag/);
  assert.deepEqual(wellFormedElements('<?xml version="1.0"?>\n<svg><!-- c --><g a="&amp;"/></svg>\n'), [
    'svg',
    'g',
  ]);
});
