import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { snmpSamples } from '../../src/probes/snmp/metric-samples.ts';
import { hostMetricValues } from '../../src/probes/snmp/metric-values.ts';
import { seriesKey } from '../../src/store/index.ts';
import type { SeriesInfo } from '../../src/store/types.ts';
import { graphTree, hostGraphs, MAX_LINES, NO_ROLE, perSecond } from '../../src/web/graphs/index.ts';

/** The graphs a host gets from what the store holds for it (pure parts, no I/O). */
const WHO = { environment: 'prod', host: 'apim-1' };
let id = 0;
function info(name: string, labels: Record<string, string>, unit?: string): SeriesInfo {
  const all = { ...WHO, ...labels };
  return {
    id: ++id,
    key: seriesKey({ name, labels: all }),
    name,
    labels: all,
    firstT: 0,
    lastT: 0,
    ...(unit ? { unit } : {}),
  };
}

/** Series exactly as the SNMP probe names them, from a poll with two mounts and two interfaces. */
const snmp = snmpSamples(
  hostMetricValues({
    at: 0,
    rebooted: false,
    agentRestarted: false,
    uptimeSeconds: 100,
    cpu: { usagePercent: 12, userPercent: 8, systemPercent: 4, iowaitPercent: 0, source: 'ssCpuRaw' },
    load: { one: 0.5, five: 0.4, fifteen: 0.3 },
    memory: { totalBytes: 8e9, usedBytes: 4e9, availableBytes: 4e9, usedPercent: 50 },
    swap: { totalBytes: 1e9, usedBytes: 0, usedPercent: 0 },
    disks: [
      { mount: '/', totalBytes: 1e10, usedBytes: 5e9, usedPercent: 50, source: 'dskTable' },
      { mount: '/var', totalBytes: 1e10, usedBytes: 9e9, usedPercent: 90, source: 'dskTable' },
    ],
    interfaces: [
      { name: 'lo', inBytesPerSecond: 10, outBytesPerSecond: 10 },
      { name: 'eth0', inBytesPerSecond: 1000, outBytesPerSecond: 2000, up: true },
    ],
  }),
  WHO,
).map((s) => info(s.name, s.labels, s.unit));

const perfdata = [
  info('perfdata', { service: 'jvm-heap', label: 'heap_used_percent' }, '%'),
  info('perfdata', { service: 'jvm-heap', label: 'heap_used' }, 'B'),
  info('perfdata', { service: 'backup-db', label: 'duration' }, 's'),
  info('perfdata', { service: 'backup-db', label: 'size' }, 'B'),
  info('perfdata', { service: 'backup-db', label: 'added' }, 'B'),
];
const exporter = [
  info('node_network_receive_bytes_total', { device: 'eth0' }),
  info('node_memory_MemAvailable_bytes', {}),
];

describe('hostGraphs', () => {
  const all = [...snmp, ...perfdata, ...exporter];
  const graphs = hostGraphs(all);
  const byId = new Map(graphs.map((g) => [g.id, g]));

  test('default graphs first: summary, CPU, load, memory/swap, disk per mount, traffic per interface', () => {
    assert.deepEqual(
      graphs.slice(0, 8).map((g) => g.id),
      ['summary', 'cpu', 'load', 'memory', 'disk', 'net:eth0', 'net:lo', 'heap'],
    );
    assert.deepEqual(
      byId.get('summary')!.lines.map((l) => l.label),
      ['CPU', 'memory', 'swap', 'disk /', 'disk /var', 'heap jvm-heap'],
      'a host CPU, memory, disk and heap together, all in %',
    );
    assert.equal(byId.get('summary')!.unit, '%');
    assert.deepEqual(
      byId.get('disk')!.lines.map((l) => l.label),
      ['/', '/var'],
    );
    assert.equal(
      byId.get('disk')!.lines[1]!.key,
      'snmp_disk_used_percent{environment="prod",host="apim-1",mount="/var"}',
    );
    assert.deepEqual(
      byId.get('net:eth0')!.lines.map((l) => l.label),
      ['in', 'out'],
    );
    assert.equal(byId.get('net:eth0')!.unit, 'B/s');
    assert.deepEqual(
      byId.get('load')!.lines.map((l) => l.label),
      ['1 min', '5 min', '15 min'],
    );
  });

  test('each check gets a graph per unit (a backup: duration in s, sizes in B); counters are rates', () => {
    assert.deepEqual(
      byId.get('check:backup-db:B')!.lines.map((l) => l.label),
      ['added', 'size'],
    );
    assert.equal(byId.get('check:backup-db:B')!.title, 'backup-db (B)');
    assert.deepEqual(
      byId.get('check:backup-db:s')!.lines.map((l) => l.label),
      ['duration'],
    );
    const rx = byId.get('metric:node_network_receive_bytes_total')!;
    assert.equal(rx.unit, 'B/s');
    assert.equal(rx.lines[0]!.rate, true);
    assert.equal(rx.section, 'Exporters');
    assert.equal(byId.get('metric:node_memory_MemAvailable_bytes')!.unit, 'B');
    assert.equal(byId.get('metric:node_memory_MemAvailable_bytes')!.lines[0]!.rate, undefined);
  });

  test('every stored series of the host is in some graph (the rest of SNMP by name)', () => {
    const drawn = new Set(graphs.flatMap((g) => g.lines.map((l) => l.key)));
    assert.deepEqual(
      all.filter((s) => !drawn.has(s.key)).map((s) => s.key),
      [],
    );
    assert.equal(byId.get('metric:snmp_memory_total_bytes')?.section, 'More SNMP');
    assert.equal(byId.get('metric:snmp_memory_total_bytes')?.unit, 'B');
    assert.ok(graphs.every((g) => g.lines.length <= MAX_LINES));
    assert.equal(new Set(graphs.map((g) => g.id)).size, graphs.length, 'ids are unique');
  });

  test('more lines than a graph can show are split over further graphs', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      info('snmp_disk_used_percent', { mount: `/m${String(i).padStart(2, '0')}` }, '%'),
    );
    const disk = hostGraphs(many).filter((g) => g.id.startsWith('disk'));
    assert.deepEqual(
      disk.map((g) => [g.id, g.lines.length]),
      [
        ['disk', 12],
        ['disk#2', 12],
        ['disk#3', 6],
      ],
    );
  });

  test('no series, no graphs', () => {
    assert.deepEqual(hostGraphs([]), []);
  });
});

describe('perSecond', () => {
  test('the rate between bucket ends; a counter reset counts from 0', () => {
    assert.deepEqual(
      perSecond([
        [0, 0, 0, 100],
        [10_000, 0, 0, 200],
        [20_000, 0, 0, 50],
      ]),
      [
        [10_000, 10, 10, 10],
        [20_000, 5, 5, 5],
      ],
    );
    assert.deepEqual(perSecond([[0, 1, 1, 1]]), []);
  });
});

describe('graphTree', () => {
  test('environment → role → host; a host under each of its roles; no role last; invisible environments left out', () => {
    const tree = graphTree(
      [{ name: 'prod' }, { name: 'dev' }, { name: 'secret' }],
      [
        { name: 'b-1', environment: 'prod', roles: ['linux', 'wso2-apim'] },
        { name: 'a-1', environment: 'prod', roles: ['linux'] },
        { name: 'x-1', environment: 'prod', roles: [] },
        { name: 'd-1', environment: 'dev', roles: [] },
        { name: 's-1', environment: 'secret', roles: ['linux'] },
      ],
      (e) => e !== 'secret',
    );
    assert.deepEqual(tree, {
      environments: [
        {
          name: 'prod',
          roles: [
            { name: 'linux', hosts: ['a-1', 'b-1'] },
            { name: 'wso2-apim', hosts: ['b-1'] },
            { name: NO_ROLE, hosts: ['x-1'] },
          ],
        },
        { name: 'dev', roles: [{ name: NO_ROLE, hosts: ['d-1'] }] },
      ],
    });
  });
});
