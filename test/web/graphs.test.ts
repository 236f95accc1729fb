import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nodeHostMetrics } from '../../src/probes/prometheus/index.ts';
import { snmpSamples } from '../../src/probes/snmp/metric-samples.ts';
import { hostMetricValues } from '../../src/probes/snmp/metric-values.ts';
import { seriesKey } from '../../src/store/index.ts';
import type { SeriesInfo } from '../../src/store/types.ts';
import { shareOfRates, usedPercent } from '../../src/web/graphs/derived-lines.ts';
import {
  derivedPoints,
  formulaInputs,
  type GraphPoint,
  graphTree,
  hostGraphs,
  MAX_LINES,
  NO_ROLE,
  parseDerivedLine,
  perSecond,
} from '../../src/web/graphs/index.ts';

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
    const drawn = new Set(
      graphs.flatMap((g) => g.lines.flatMap((l) => (l.of ? formulaInputs(l.of).map((i) => i.key) : [l.key]))),
    );
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

/** A node exporter page as the real one writes it: 2 CPUs, a disk, tmpfs, a container, lo and a veth. */
const NODE_PAGE = [
  '# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.',
  '# TYPE node_cpu_seconds_total counter',
  ...['0', '1'].flatMap((cpu) =>
    Object.entries({ idle: 100, iowait: 5, irq: 0, nice: 1, softirq: 2, steal: 0, system: 10, user: 30 }).map(
      ([mode, v]) => `node_cpu_seconds_total{cpu="${cpu}",mode="${mode}"} ${v}`,
    ),
  ),
  'node_load1 0.5',
  'node_load15 0.3',
  'node_load5 0.4',
  'node_memory_MemAvailable_bytes 6e+09',
  'node_memory_MemTotal_bytes 8e+09',
  'node_memory_SwapFree_bytes 1e+09',
  'node_memory_SwapTotal_bytes 2e+09',
  ...['size', 'free', 'avail'].flatMap((what, i) => [
    `node_filesystem_${what}_bytes{device="/dev/vda1",fstype="ext4",mountpoint="/"} ${[100e9, 60e9, 55e9][i]}`,
    `node_filesystem_${what}_bytes{device="/dev/vda1",fstype="ext4",mountpoint="/etc/hosts"} ${[100e9, 60e9, 55e9][i]}`,
    `node_filesystem_${what}_bytes{device="/dev/vdb",fstype="xfs",mountpoint="/var"} ${[50e9, 5e9, 5e9][i]}`,
    `node_filesystem_${what}_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 1e+09`,
    `node_filesystem_${what}_bytes{device="overlay",fstype="overlay",mountpoint="/var/lib/docker/overlay2/abc/merged"} 1e+11`,
  ]),
  ...['receive', 'transmit'].flatMap((dir) => [
    `node_network_${dir}_bytes_total{device="eth0"} 1e+06`,
    `node_network_${dir}_bytes_total{device="lo"} 5e+06`,
    `node_network_${dir}_bytes_total{device="veth12ab"} 7`,
  ]),
  '',
].join('\n');

describe('node exporter host (prometheus check with hostMetrics)', () => {
  const stored = nodeHostMetrics(NODE_PAGE).samples.map((s) => info(s.name, s.labels));
  const graphs = hostGraphs(stored);
  const byId = new Map(graphs.map((g) => [g.id, g]));

  test('the same standard graphs as an SNMP host, labelled alike', () => {
    assert.deepEqual(
      graphs.map((g) => g.id),
      ['summary', 'cpu', 'load', 'memory', 'disk', 'net:eth0'],
      'every stored series is in a standard graph: no raw leftovers',
    );
    const read = new Set(
      graphs.flatMap((g) => g.lines.flatMap((l) => (l.of ? formulaInputs(l.of).map((i) => i.key) : [l.key]))),
    );
    assert.deepEqual(
      stored.filter((s) => !read.has(s.key)).map((s) => s.key),
      [],
    );
    assert.deepEqual(
      byId.get('summary')!.lines.map((l) => l.label),
      ['CPU', 'memory', 'swap', 'disk /', 'disk /var'],
    );
    assert.deepEqual(
      byId.get('cpu')!.lines.map((l) => l.label),
      ['busy', 'user', 'system', 'iowait', 'steal'],
    );
    assert.deepEqual(
      byId.get('load')!.lines.map((l) => [l.label, l.key]),
      [
        ['1 min', 'node_load1{environment="prod",host="apim-1"}'],
        ['5 min', 'node_load5{environment="prod",host="apim-1"}'],
        ['15 min', 'node_load15{environment="prod",host="apim-1"}'],
      ],
    );
    assert.deepEqual(
      byId.get('net:eth0')!.lines.map((l) => [l.label, l.rate]),
      [
        ['in', true],
        ['out', true],
      ],
    );
    assert.equal(byId.get('net:eth0')!.unit, 'B/s');
  });

  test('CPU busy is the share of every mode but idle and iowait; memory and disk are used %', () => {
    const key = (name: string, labels: Record<string, string> = {}) =>
      seriesKey({ name, labels: { ...WHO, ...labels } });
    const cpu = (mode: string) => key('node_cpu_seconds_total', { mode });
    const busy = byId.get('cpu')!.lines[0]!;
    assert.equal(busy.key, '=cpu busy');
    assert.deepEqual(busy.of, {
      share: {
        part: ['irq', 'nice', 'softirq', 'steal', 'system', 'user'].map(cpu),
        whole: ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'].map(cpu),
      },
    });
    assert.deepEqual(byId.get('cpu')!.lines[1]!.of, {
      share: {
        part: [cpu('user'), cpu('nice')],
        whole: busy.of && 'share' in busy.of ? busy.of.share.whole : [],
      },
    });
    assert.deepEqual(byId.get('memory')!.lines[0]!.of, {
      used: { total: key('node_memory_MemTotal_bytes'), free: key('node_memory_MemAvailable_bytes') },
    });
    const fs = (what: string) =>
      key(`node_filesystem_${what}_bytes`, { device: '/dev/vdb', fstype: 'xfs', mountpoint: '/var' });
    assert.deepEqual(byId.get('disk')!.lines[1]!, {
      key: '=disk /var',
      label: '/var',
      of: { used: { total: fs('size'), free: fs('free'), avail: fs('avail') } },
    });
  });

  test('SNMP wins where a host has both; the exporter series then stay raw graphs', () => {
    const both = hostGraphs([...snmp, ...stored]);
    const cpu = both.find((g) => g.id === 'cpu')!;
    assert.equal(cpu.lines[0]!.key, 'snmp_cpu_usage{environment="prod",host="apim-1"}');
    assert.ok(both.some((g) => g.id === 'metric:node_cpu_seconds_total'));
    assert.ok(!both.some((g) => g.id === 'net:veth12ab'));
  });

  test('a memory series alone (a check selecting it) is no memory graph', () => {
    const alone = hostGraphs([info('node_memory_MemAvailable_bytes', {})]);
    assert.deepEqual(
      alone.map((g) => g.id),
      ['metric:node_memory_MemAvailable_bytes'],
    );
  });
});

describe('formula lines', () => {
  const at = (t: number, v: number): GraphPoint => [t, v, v, v];
  test('used % as df counts it: (size - free) / (size - free + avail); without avail, of the total', () => {
    // ext4 with reserved blocks: 100 GB, 60 free, 55 available to users → 40 / 95.
    assert.deepEqual(
      usedPercent([at(0, 100), at(10, 100)], [at(0, 60), at(10, 50)], [at(0, 55), at(10, 45)]),
      [at(0, (40 / 95) * 100), at(10, (50 / 95) * 100)],
    );
    assert.deepEqual(
      usedPercent([at(0, 8), at(10, 0)], [at(0, 6), at(10, 0)]),
      [at(0, 25)],
      'zero total: no point',
    );
    assert.deepEqual(usedPercent([at(0, 8)], []), [], 'no free: no point');
  });

  test('share of rates: a mode over all modes, per bucket; a reset counts from 0', () => {
    const counters = new Map<string, GraphPoint[]>([
      ['idle', [at(0, 100), at(10_000, 115), at(20_000, 5)]],
      ['user', [at(0, 50), at(10_000, 55), at(20_000, 5)]],
    ]);
    assert.deepEqual(shareOfRates(['user'], ['idle', 'user'], counters), [at(10_000, 25), at(20_000, 50)]);
    assert.deepEqual(
      derivedPoints({ share: { part: ['user'], whole: ['idle', 'user', 'gone'] } }, counters),
      [],
      'a whole series without data gives no point rather than a wrong share',
    );
  });

  test('a line request is JSON with a key and a used or share formula; anything else says what is expected', () => {
    const ok = parseDerivedLine(JSON.stringify({ key: '=memory', of: { used: { total: 'a', free: 'b' } } }));
    assert.deepEqual(ok, { key: '=memory', of: { used: { total: 'a', free: 'b' } } });
    assert.deepEqual(formulaInputs({ share: { part: ['u'], whole: ['i', 'u'] } }), [
      { key: 'u', counter: true },
      { key: 'i', counter: true },
    ]);
    assert.match(String(parseDerivedLine('{')), /not JSON/);
    assert.match(
      String(parseDerivedLine('{"key":"x","of":{"share":{"part":[],"whole":["a"]}}}')),
      /part and whole/,
    );
    assert.match(String(parseDerivedLine('{"key":"x","of":{"used":{"total":1}}}')), /total and free/);
    assert.match(String(parseDerivedLine('{"key":"x","of":{}}')), /neither used nor share/);
  });
});
