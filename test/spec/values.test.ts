// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fixtures contain ${ENV} references on purpose
/** The value parsers behind the schema: ranges, networks, durations, did-you-mean, ${ENV}. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestMatch, editDistance } from '../../src/spec/did-you-mean.ts';
import { scrubSecrets, substituteEnvironment } from '../../src/spec/env-substitution.ts';
import { durationRejection } from '../../src/spec/schema/duration.ts';
import { addressRejection, hasHostBits, isCidr, parseCidr } from '../../src/spec/schema/network.ts';
import { isThresholdRange, parseThresholdRange } from '../../src/spec/schema/threshold.ts';

test('Nagios threshold ranges', () => {
  const range = (text: string) => {
    const r = parseThresholdRange(text);
    return isThresholdRange(r) ? [r.start, r.end, r.inside] : r.message;
  };
  assert.deepEqual(range('10'), [0, 10, false]);
  assert.deepEqual(range('10:'), [10, Number.POSITIVE_INFINITY, false]);
  assert.deepEqual(range('~:10'), [Number.NEGATIVE_INFINITY, 10, false]);
  assert.deepEqual(range('10:20'), [10, 20, false]);
  assert.deepEqual(range('@10:20'), [10, 20, true]);
  assert.deepEqual(range('-5.5:0.5'), [-5.5, 0.5, false]);
  assert.match(String(range('10:5')), /greater than its end/);
  assert.match(String(range('abc')), /expected a threshold range/);
  assert.match(String(range('@')), /expected a threshold range/);
  assert.match(String(range('x:5')), /start of the range/);
});

test('CIDRs, IPv4 and IPv6, and host bits', () => {
  const cidr = (text: string) => {
    const c = parseCidr(text);
    return isCidr(c) ? `${c.family}/${c.prefix}` : c.message;
  };
  assert.equal(cidr('203.0.113.0/24'), '4/24');
  assert.equal(cidr('2001:db8::/32'), '6/32');
  assert.equal(cidr('0.0.0.0/0'), '4/0');
  assert.match(cidr('10.0.0.0/33'), /0 to 32/);
  assert.match(cidr('2001:db8::/129'), /0 to 128/);
  assert.match(cidr('300.1.1.1/8'), /IPv4/);
  assert.match(cidr('10.0.0.0'), /address\/prefix/);
  assert.match(cidr('10.0.0.0/x'), /prefix length/);
  const bits = (text: string) => {
    const c = parseCidr(text);
    return isCidr(c) && hasHostBits(c);
  };
  assert.equal(bits('203.0.113.0/24'), false);
  assert.equal(bits('203.0.113.7/24'), true);
  assert.equal(bits('203.0.113.7/32'), false);
  assert.equal(bits('2001:db8::/32'), false);
  assert.equal(bits('2001:db8::1/32'), true);
  assert.equal(bits('::ffff:10.0.0.0/120'), false);
});

test('host addresses: IPv4, IPv6 or DNS names', () => {
  for (const ok of ['10.20.11.10', '2001:db8::10', '::1', 'apim-1', 'apim-1.internal.example.com']) {
    assert.equal(addressRejection(ok), null, ok);
  }
  for (const bad of ['10.20.11.300', '1.2.3', 'http://x', 'a b', '-x.example.com', '2001:db8:::1']) {
    assert.notEqual(addressRejection(bad), null, bad);
  }
});

test('durations: positive, with a unit', () => {
  assert.equal(durationRejection('30s', { positive: true }), null);
  assert.equal(durationRejection('1h30m', { positive: true }), null);
  assert.match(durationRejection('5 minutes', { positive: true })!.message, /without spaces/);
  assert.match(durationRejection('-1s', { positive: true })!.message, /negative/);
  assert.match(durationRejection('60', { positive: true })!.hint, /60s/);
  assert.match(durationRejection('0s', { positive: true })!.message, /longer than 0/);
  assert.equal(durationRejection('0s', { positive: false }), null);
});

test('did-you-mean: typos and transpositions, nothing when far', () => {
  assert.equal(editDistance('tpc', 'tcp'), 1);
  assert.equal(editDistance('intervall', 'interval'), 1);
  assert.equal(closestMatch('intervall', ['interval', 'retryInterval', 'timeout']), 'interval');
  assert.equal(closestMatch('enviroments', ['deployment', 'environments', 'roles']), 'environments');
  assert.equal(closestMatch('CRITCAL', ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']), 'CRITICAL');
  assert.equal(closestMatch('get', ['GET', 'POST']), 'GET');
  assert.equal(closestMatch('zzz', ['tcp', 'http']), undefined);
});

test('${ENV} substitution: names, escapes, missing and malformed references', () => {
  const result = substituteEnvironment(
    { a: 'x ${A} $${A} ${B}', list: ['${A}'], n: 3, bad: '${not valid}', open: 'x ${A' },
    { A: 'alpha-value' },
  );
  assert.deepEqual(result.data, {
    a: 'x alpha-value ${A} ${B}',
    list: ['alpha-value'],
    n: 3,
    bad: '${not valid}',
    open: 'x ${A',
  });
  assert.deepEqual(
    result.problems.map((p) => [p.path.join('.'), p.message]),
    [
      ['a', 'environment variable B is not set'],
      ['bad', '`${not valid}` is not a valid environment variable reference'],
      ['open', '`${A` is not a valid environment variable reference'],
    ],
  );
  assert.equal(scrubSecrets('value alpha-value here', result.usedValues), 'value ${A} here');
});
