// `access.bastion.name` and `access.bastion.reportTo` (where the gateway ships its audit log):
// loaded into what the gateway uses, and mistakes located where they were written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessFromSpec, checkReportTarget, normalizeFingerprint } from '../../src/gateway/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { writeFixture } from '../spec/fixture.ts';

const PIN = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

function spec(bastion: string): string {
  return `deployment: acme
operatorNetworks: [203.0.113.0/24]
environments:
  - name: prod
    hosts: [{ name: web-1, address: 10.0.0.11 }]
access:
  bastion:
    placement: vpc
    port: 2222
${bastion}`;
}

test('reportTo and name load into the gateway access settings', () => {
  const fixture = writeFixture({
    'steward.yaml': spec(`    name: bastion-1
    reportTo: { url: "https://10.20.1.10:8443", tokenEnv: AUDIT_TOKEN, fingerprint: "sha256:${PIN}" }
`),
  });
  const result = loadSpec(fixture.main);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const access = accessFromSpec(result.spec);
  assert.equal(access.bastion.name, 'bastion-1');
  assert.deepEqual(access.bastion.reportTo, {
    url: 'https://10.20.1.10:8443',
    tokenEnv: 'AUDIT_TOKEN',
    fingerprint: `sha256:${PIN}`,
  });
});

test('an http:// URL, a bad fingerprint and the name `local` are refused where written', () => {
  const fixture = writeFixture({
    'steward.yaml': spec(`    name: ▶local
    reportTo:
      url: ▶"http://10.20.1.10:8443"
      fingerprint: ▶"AB:CD"
`),
  });
  const result = loadSpec(fixture.main);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const at = (text: RegExp) => {
    const e = result.errors.find((x) => text.test(x.message));
    assert.ok(e, JSON.stringify(result.errors));
    return [e.line, e.column];
  };
  assert.deepEqual(at(/bastion name/), [fixture.marks[0]!.line, fixture.marks[0]!.column]);
  assert.deepEqual(at(/https:\/\/ URL/), [fixture.marks[1]!.line, fixture.marks[1]!.column]);
  assert.deepEqual(at(/fingerprint/), [fixture.marks[2]!.line, fixture.marks[2]!.column]);
});

test('fingerprints are read as openssl prints them, with or without sha256: and colons', () => {
  assert.equal(normalizeFingerprint(`sha256:${PIN.toLowerCase()}`), PIN);
  assert.equal(normalizeFingerprint(PIN.replace(/:/g, '')), PIN);
  assert.throws(() => normalizeFingerprint('AB:CD'), /not a SHA-256 certificate fingerprint.*openssl x509/);
  assert.throws(() => checkReportTarget({ url: 'http://10.0.0.1:8443' }), /use https:\/\//);
  assert.throws(() => checkReportTarget({ url: 'monitor:8443' }), /not a URL|use https/);
});
