import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestLogLevel, SLOW_REQUEST_MS } from '../../src/web/request-log.ts';

test('request log level: errors, refusals and slow requests stand out; the rest is debug', () => {
  assert.equal(requestLogLevel(500, 3), 'error');
  assert.equal(requestLogLevel(503, 3), 'error');
  for (const refused of [401, 403, 429]) assert.equal(requestLogLevel(refused, 3), 'warn');
  assert.equal(requestLogLevel(200, SLOW_REQUEST_MS), 'info');
  assert.equal(requestLogLevel(200, 12), 'debug');
  assert.equal(requestLogLevel(303, 1), 'debug');
  assert.equal(requestLogLevel(404, 1), 'debug');
});
