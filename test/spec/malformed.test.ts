// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fixtures contain ${ENV} references on purpose
/**
 * Malformed specs: each error must name the file, line and column where the mistake is (marked
 * with ▶ in the fixture), say what was expected and what to do (a hint).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSpecError, loadSpec } from '../../src/spec/index.ts';
import { writeFixture } from './fixture.ts';

interface Case {
  name: string;
  /** The first file is the main spec. ▶ marks each expected error, in order. */
  files: Record<string, string>;
  /** One pattern per mark, for the message. */
  messages: RegExp[];
  /** Patterns the hints must match, when it matters what they say. */
  hints?: (RegExp | undefined)[];
  env?: Record<string, string>;
}

const HEAD = 'deployment: acme\noperatorNetworks: [203.0.113.0/24]\n';

/** A valid spec with one host whose checks are given. */
function withChecks(checks: string): string {
  return `${HEAD}environments:
  - name: prod
    hosts:
      - name: web-1
        address: 10.0.0.1
        checks:
${checks}`;
}

const cases: Case[] = [
  {
    name: 'bad YAML syntax is reported where the parser found it',
    files: { 'steward.yaml': `${HEAD}environments:\n  - name: prod\n▶\thosts: []\n` },
    messages: [/Tabs are not allowed as indentation/],
    hints: [/spaces/],
  },
  {
    name: 'an unclosed flow list is a syntax error',
    files: { 'steward.yaml': 'deployment: acme\noperatorNetworks: [203.0.113.0/24\n▶environments: []\n' },
    messages: [/end with a \]/],
  },
  {
    name: 'duplicate YAML keys',
    files: { 'steward.yaml': `${HEAD}▶deployment: other\n` },
    messages: [/duplicate key `deployment`/],
  },
  {
    name: 'unknown top-level key, with did-you-mean',
    files: { 'steward.yaml': `${HEAD}▶enviroments: []\n` },
    messages: [/unknown key `enviroments`/],
    hints: [/did you mean `environments`\?/],
  },
  {
    name: 'unknown check key, with did-you-mean',
    files: { 'steward.yaml': withChecks('          - { name: ssh, ▶intervall: 5s, tcp: { port: 22 } }\n') },
    messages: [/unknown key `intervall`/],
    hints: [/did you mean `interval`\?/],
  },
  {
    name: 'a misspelt kind key is one error (not also "no kind")',
    files: { 'steward.yaml': withChecks('          - { name: ssh, ▶tpc: { port: 22 } }\n') },
    messages: [/unknown key `tpc`/],
    hints: [/did you mean `tcp`\?/],
  },
  {
    name: 'wrong types: a string for a list, a string for a number',
    files: {
      'steward.yaml': `${HEAD}environments:\n  - name: prod\n    hosts: ▶web-1\n  - name: dev\n    hosts:\n      - { name: d-1, address: 10.0.0.2, checks: [{ name: ssh, tcp: { port: 22 }, maxAttempts: ▶three }] }\n`,
    },
    messages: [/expected a list, got a string `web-1`/, /expected a number of attempts, got `three`/],
  },
  {
    name: 'a number written in quotes',
    files: { 'steward.yaml': withChecks('          - { name: ssh, tcp: { port: ▶"22" } }\n') },
    messages: [/expected a port number/],
    hints: [/without quotes/],
  },
  {
    name: 'bad durations: words, negative, no unit, zero interval',
    files: {
      'steward.yaml': withChecks(
        '          - { name: a, tcp: { port: 22 }, interval: ▶5 minutes }\n' +
          '          - { name: b, tcp: { port: 22 }, retryInterval: ▶-1s }\n' +
          '          - { name: c, tcp: { port: 22 }, timeout: ▶60 }\n' +
          '          - { name: d, tcp: { port: 22 }, interval: ▶0s }\n',
      ),
    },
    messages: [
      /expected a duration.*got `5 minutes`/,
      /cannot be negative, got `-1s`/,
      /needs a unit/,
      /longer than 0/,
    ],
    hints: [/30s, 5m/, undefined, /60s/, undefined],
  },
  {
    name: 'maxAttempts 0',
    files: { 'steward.yaml': `${HEAD}defaults: { maxAttempts: ▶0 }\n` },
    messages: [/maxAttempts must be at least 1, got `0`/],
  },
  {
    name: 'a check with two kind keys',
    files: {
      'steward.yaml': withChecks(
        '          - { name: ssh, tcp: { port: 22 }, ▶http: { url: "http://{{address}}/" } }\n',
      ),
    },
    messages: [/exactly one kind, but this one has tcp and http/],
  },
  {
    name: 'a check with no kind key',
    files: { 'steward.yaml': withChecks('          - ▶{ name: ssh, interval: 5s }\n') },
    messages: [/no kind: expected exactly one of plugin, tcp, http, passive/],
    hints: [/tcp: \{ port: 22 \}/],
  },
  {
    name: 'a missing required key points at the mapping that lacks it',
    files: {
      'steward.yaml': `${HEAD}environments:\n  - name: prod\n    hosts:\n      - ▶name: web-1\n        roles: []\n`,
    },
    messages: [/missing required key `address`/],
    hints: [/add `address:`/],
  },
  {
    name: 'duplicate host names, in one environment and across environments',
    files: {
      'steward.yaml': `${HEAD}environments:
  - name: prod
    hosts:
      - { name: web-1, address: 10.0.0.1 }
      - { name: ▶web-1, address: 10.0.0.2 }
  - name: dev
    hosts:
      - { name: ▶web-1, address: 10.0.0.3 }
`,
    },
    messages: [
      /host `web-1` is already defined at .*steward\.yaml:6:9 \(environment prod\)/,
      /host `web-1` is already defined/,
    ],
  },
  {
    name: 'duplicate environment names',
    files: { 'steward.yaml': `${HEAD}environments:\n  - name: prod\n  - name: dev\n  - name: ▶prod\n` },
    messages: [/environment `prod` is declared twice in this file \(first at .*:4:5\)/],
  },
  {
    name: 'duplicate check names on one host',
    files: {
      'steward.yaml': withChecks(
        '          - { name: ssh, tcp: { port: 22 } }\n          - { name: ▶ssh, tcp: { port: 2222 } }\n',
      ),
    },
    messages: [/host `web-1` has two checks named `ssh` \(the first at .*:9:13\)/],
  },
  {
    name: 'unknown role, with did-you-mean',
    files: {
      'steward.yaml': `${HEAD}environments:\n  - name: prod\n    hosts:\n      - { name: web-1, address: 10.0.0.1, roles: [▶lnux] }\nroles:\n  linux: { checks: [] }\n`,
    },
    messages: [/unknown role `lnux`/],
    hints: [/did you mean `linux`\?/],
  },
  {
    name: 'two roles giving a host the same check name, naming both places',
    files: {
      'steward.yaml': `${HEAD}environments:
  - name: prod
    hosts:
      - { name: web-1, address: 10.0.0.1, roles: [linux, ▶base] }
roles:
  linux: { checks: [{ name: cpu, tcp: { port: 22 } }] }
  base: { checks: [{ name: cpu, tcp: { port: 23 } }] }
`,
    },
    messages: [
      /roles `linux` and `base` give host `web-1` different checks named `cpu` \(.*:8:21 and .*:9:20\)/,
    ],
    hints: [/host's own checks/],
  },
  {
    name: 'unknown parent',
    files: {
      'steward.yaml': `${HEAD}environments:\n  - name: prod\n    hosts:\n      - { name: core-sw, address: 10.0.0.254 }\n      - { name: web-1, address: 10.0.0.1, parents: [▶cor-sw] }\n`,
    },
    messages: [/unknown parent host `cor-sw`/],
    hints: [/did you mean `core-sw`\?/],
  },
  {
    name: 'parent cycle, naming the cycle',
    files: {
      'steward.yaml': `${HEAD}environments:\n  - name: prod\n    hosts:\n      - { name: a, address: 10.0.0.1, parents: [b] }\n      - { name: b, address: 10.0.0.2, parents: [▶a] }\n`,
    },
    messages: [/parent cycle: a → b → a/],
  },
  {
    name: 'unknown environment in an included file, with did-you-mean',
    files: {
      'steward.yaml': `${HEAD}include: [hosts.yaml]\nenvironments:\n  - name: prod\n`,
      'hosts.yaml': 'hosts:\n  - { name: web-1, environment: ▶prd, address: 10.0.0.1 }\n',
    },
    messages: [/unknown environment `prd`/],
    hints: [/did you mean `prod`\?/],
  },
  {
    name: 'bad CIDRs in operatorNetworks',
    files: {
      'steward.yaml': 'deployment: acme\noperatorNetworks: [▶10.0.0.0/33, ▶300.1.1.1/8, ▶10.0.0.0]\n',
    },
    messages: [
      /prefix length must be a number from 0 to 32/,
      /not a valid IPv4 address, got `300.1.1.1\/8`/,
      /expected a CIDR/,
    ],
  },
  {
    name: 'bad host addresses',
    files: {
      'steward.yaml': `${HEAD}environments:\n  - name: prod\n    hosts:\n      - { name: a, address: ▶10.20.11.300 }\n      - { name: b, address: ▶"http://b:80" }\n`,
    },
    messages: [/not a valid IPv4 address, got `10.20.11.300`/, /not a valid IPv6 address/],
  },
  {
    name: 'a missing ${ENV_VAR} names the variable and never prints values',
    files: {
      'steward.yaml': withChecks(
        '          - name: api\n            http:\n              url: "https://{{address}}/"\n              headers: { Authorization: ▶"Bearer ${API_TOKEN} ${API_SECRET_2}" }\n',
      ),
    },
    env: { API_TOKEN: 'tok-5f1d9e2a-secret' },
    messages: [/environment variable API_SECRET_2 is not set/],
    hints: [/export API_SECRET_2=/],
  },
  {
    name: 'bad threshold ranges',
    files: {
      'steward.yaml': withChecks(
        '          - { name: ssh, tcp: { port: 22 }, warning: ▶"10:5", critical: ▶abc }\n',
      ),
    },
    messages: [
      /start of the range is greater than its end, got `"10:5"`/,
      /expected a threshold range, got `abc`/,
    ],
    hints: [/~:N/, /10:20/],
  },
  {
    name: 'bad URLs, and an unknown template variable',
    files: {
      'steward.yaml': withChecks(
        '          - { name: a, http: { url: ▶"not a url" } }\n' +
          '          - { name: b, http: { url: ▶"ftp://{{address}}/" } }\n' +
          '          - { name: c, http: { url: ▶"https://{{adress}}/" } }\n',
      ),
    },
    messages: [
      /not a valid URL/,
      /must start with http:\/\/ or https:\/\//,
      /unknown template variable \{\{adress\}\}/,
    ],
    hints: [undefined, undefined, /did you mean `address`\?/],
  },
  {
    name: 'port out of range',
    files: {
      'steward.yaml': withChecks(
        '          - { name: a, tcp: { port: ▶70000 } }\n          - { name: b, tcp: { port: ▶0 } }\n',
      ),
    },
    messages: [/a port is at most 65535, got `70000`/, /a port is at least 1, got `0`/],
  },
  {
    name: 'bad expectStatus',
    files: {
      'steward.yaml': withChecks(
        '          - { name: a, http: { url: "http://{{address}}/", expectStatus: [200, ▶700] } }\n' +
          '          - { name: b, http: { url: "http://{{address}}/", expectStatus: ▶ok } }\n',
      ),
    },
    messages: [
      /status code is from 100 to 599, got `700`/,
      /expected a status code or a list of them, got `ok`/,
    ],
  },
  {
    name: 'include of a missing file',
    files: { 'steward.yaml': `${HEAD}include: [▶hosts/nope.yaml]\n` },
    messages: [/cannot read included file .*hosts\/nope\.yaml: no such file/],
    hints: [/relative to the including file/],
  },
  {
    name: 'include cycle',
    files: {
      'steward.yaml': `${HEAD}include: [a.yaml]\n`,
      'a.yaml': 'include: [b.yaml]\n',
      'b.yaml': 'include: [▶a.yaml]\n',
    },
    messages: [/include cycle: .*a\.yaml → .*b\.yaml → .*a\.yaml/],
  },
  {
    name: 'an error inside an included file names that file and its line:column',
    files: {
      'steward.yaml': `${HEAD}include: [roles/linux.yaml]\nenvironments:\n  - name: prod\n    hosts: [{ name: web-1, address: 10.0.0.1, roles: [linux] }]\n`,
      'roles/linux.yaml':
        'roles:\n  linux:\n    checks:\n      - name: load\n        plugin: { command: check_load }\n        interval: ▶fast\n',
    },
    messages: [/expected a duration, got `fast`/],
  },
  {
    name: 'bad states, with did-you-mean',
    files: {
      'steward.yaml': withChecks(
        '          - { name: a, passive: {}, freshness: 10m, staleState: ▶CRITCAL }\n',
      ),
    },
    messages: [/expected a service state/],
    hints: [/did you mean `CRITICAL`\?/],
  },
  {
    name: 'http timeout set twice',
    files: {
      'steward.yaml': withChecks(
        '          - { name: a, timeout: 5s, http: { url: "http://{{address}}/", ▶timeout: 3s } }\n',
      ),
    },
    messages: [/timeout is set twice/],
  },
  {
    name: 'an empty file',
    files: { 'steward.yaml': '▶' },
    messages: [/the file is empty/],
  },
];

for (const c of cases) {
  test(`malformed spec: ${c.name}`, () => {
    const fixture = writeFixture(c.files);
    const result = loadSpec(fixture.main, { env: c.env ?? {} });
    assert.equal(result.ok, false, 'the spec must be rejected');
    if (result.ok) return;
    const shown = result.errors.map(formatSpecError).join('\n');
    assert.equal(
      result.errors.length,
      fixture.marks.length,
      `expected ${fixture.marks.length} errors, got:\n${shown}`,
    );
    result.errors.forEach((error, i) => {
      const mark = fixture.marks[i]!;
      assert.deepEqual(
        { file: error.file, line: error.line, column: error.column },
        { file: mark.file, line: mark.line, column: mark.column },
        `error ${i} is not where ▶ is:\n${shown}`,
      );
      assert.match(error.message, c.messages[i]!, shown);
      assert.equal(error.severity, 'error');
      assert.ok(error.hint && error.hint.length > 10, `error ${i} says what to do: ${shown}`);
      const hint = c.hints?.[i];
      if (hint !== undefined) assert.match(error.hint, hint, shown);
    });
    for (const value of Object.values(c.env ?? {})) {
      assert.ok(!JSON.stringify(result).includes(value), 'an environment value leaked into the errors');
    }
  });
}

test('every error of a spec is reported in one run, in file order', () => {
  const fixture = writeFixture({
    'steward.yaml': `deployment: acme
operatorNetworks: [▶10.0.0.0/40]
▶defualts: {}
environments:
  - name: prod
    hosts:
      - { name: web-1, address: 10.0.0.1, roles: [▶nope], parents: [▶ghost] }
      - { name: web-2, address: ▶999.0.0.1, checks: [{ name: x, tcp: { port: 22 }, interval: ▶soon }] }
`,
  });
  const result = loadSpec(fixture.main, { env: {} });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.errors.map((e) => [e.line, e.column]),
    fixture.marks.map((m) => [m.line, m.column]),
  );
});

test('errors are formatted as file:line:column: error: path: message, then the hint', () => {
  const fixture = writeFixture({
    'steward.yaml': withChecks('          - { name: ssh, tcp: { port: 22 }, interval: 5 minutes }\n'),
  });
  const result = loadSpec(fixture.main, { env: {} });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(
    formatSpecError(result.errors[0]!),
    `${fixture.main}:9:55: error: environments[0].hosts[0].checks[0].interval: expected a duration without spaces or words, got \`5 minutes\`\n` +
      '  hint: write a number and a unit (ms, s, m, h, d), e.g. 500ms, 30s, 5m, 2h, 1d or 1h30m',
  );
});

test('a value substituted from the environment is not echoed when it is invalid', () => {
  const fixture = writeFixture({
    'steward.yaml': withChecks('          - { name: a, http: { url: ▶"${HEALTH_URL}" } }\n'),
  });
  const secret = 'not-a-url-but-a-secret-7d3f';
  const result = loadSpec(fixture.main, { env: { HEALTH_URL: secret } });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /not a valid URL, got `"\$\{HEALTH_URL\}"`/);
  assert.ok(!JSON.stringify(result).includes(secret));
});

test('a main spec file that does not exist', () => {
  const result = loadSpec('/nonexistent/steward.yaml', { env: {} });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /cannot read the spec file: no such file/);
  assert.equal(result.errors[0]!.file, '/nonexistent/steward.yaml');
});
