/**
 * A host that runs its own backup jobs (runOn: host) can do it in the blueprint: it reaches
 * steward serve to report each run, and its instance role may write the backup bucket. Hosts
 * without such jobs get neither.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { loadSpec } from '../../src/spec/index.ts';
import { blueprintFromSpec, buildBlueprint, networkFlows } from '../../src/synth/index.ts';
import { playbookInput } from './fixtures.ts';
import { ingressRules } from './template-rules.ts';

test('examples/acme.yaml: apim-1 backs up its own files; no other host does', () => {
  const loaded = loadSpec(join(import.meta.dirname, '../../examples/acme.yaml'), { env: {} });
  assert.ok(loaded.ok);
  const { input } = blueprintFromSpec(loaded.spec);
  const runners = input.environments.flatMap((env) =>
    env.hosts.filter((h) => h.runsBackups).map((h) => h.name),
  );
  assert.deepEqual(runners, ['apim-1']);
});

test('the host reaches steward serve on the dashboard port and may write the backup bucket', () => {
  const input = playbookInput();
  const prod = input.environments.find((env) => env.name === 'prod')!;
  prod.hosts[0]!.runsBackups = true;
  const flows = networkFlows(input, prod).filter((f) => f.to === 'monitoring' && f.port === 8443);
  assert.deepEqual(
    flows.map((f) => (f.from.kind === 'component' ? f.from.component : f.from.cidr)),
    ['dashboard-lb', 'bastion', 'host:apim-1'],
  );

  const outDir = mkdtempSync(join(tmpdir(), 'steward-synth-backups-'));
  try {
    const blueprint = buildBlueprint(input, outDir);
    const template = Template.fromStack(blueprint.environmentStacks.get('prod')!);
    const json = template.toJSON();
    const toServe = ingressRules(json).filter((rule) => rule.endsWith('-> monitoring tcp/8443'));
    assert.deepEqual(toServe, [
      'bastion -> monitoring tcp/8443',
      'dashboard-lb -> monitoring tcp/8443',
      'host:apim-1 -> monitoring tcp/8443',
    ]);
    // The bucket's object actions appear in the role policies of the monitoring host and apim-1 only.
    const writers = Object.entries(json.Resources as Record<string, { Type: string; Properties: any }>)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) => JSON.stringify(r.Properties.PolicyDocument).includes('s3:PutObject'))
      .map(([id]) => id)
      .sort();
    assert.equal(writers.length, 2, `policies writing the bucket: ${writers}`);
    assert.ok(
      writers.some((id) => id.startsWith('Monitoring')),
      String(writers),
    );
    assert.ok(
      writers.some((id) => /apim1/i.test(id)),
      String(writers),
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
