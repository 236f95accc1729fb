import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment, HostModel, ServiceModel } from '../../src/core/index.ts';
import { planReload } from '../../src/engine/reload-plan.ts';
import { host, service } from '../state/fixtures.ts';

function deployment(hosts: HostModel[], services: ServiceModel[]): Deployment {
  return {
    name: 'd',
    operatorNetworks: [],
    environments: [{ name: 'production' }],
    hosts,
    services,
    pluginDirs: [],
    files: [],
  };
}

function running(...objects: (HostModel | ServiceModel)[]): Map<string, HostModel | ServiceModel> {
  return new Map(objects.map((obj) => [obj.id, obj]));
}

test('added, removed and changed objects, by id; an unchanged object is left alone', () => {
  const web1 = host();
  const http = service();
  const disk = service({ id: 'web1/disk', name: 'disk' });
  const plan = planReload(
    running(web1, http, disk),
    deployment(
      [web1, host({ name: 'web2' })],
      [service({ labels: { team: 'ops' } }), service({ id: 'web1/load', name: 'load' })],
    ),
  );
  assert.deepEqual(plan.added, ['web2', 'web1/load']);
  assert.deepEqual(plan.removed, ['web1/disk']);
  assert.deepEqual(plan.changed, ['web1/http']);
  assert.deepEqual([...plan.rescheduled], [], 'a label change keeps the schedule');
});

test('a new probe or interval reschedules; moving the definition in the spec is no change', () => {
  const http = service();
  const plan = planReload(
    running(http, service({ id: 'web1/b', name: 'b' }), service({ id: 'web1/c', name: 'c' })),
    deployment(
      [],
      [
        { ...http, source: { file: 'other.yaml', line: 9, column: 3 } } as ServiceModel,
        service({ id: 'web1/b', name: 'b', probe: { kind: 'plugin', command: 'check_dummy', args: ['1'] } }),
        service({ id: 'web1/c', name: 'c', timing: { ...http.timing, intervalMs: 1000 } }),
      ],
    ),
  );
  assert.deepEqual(plan.changed, ['web1/b', 'web1/c']);
  assert.deepEqual([...plan.rescheduled], ['web1/b', 'web1/c']);
});
