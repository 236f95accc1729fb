import type { ServiceState } from '../../core/index.ts';
import { checkThresholds } from '../thresholds/index.ts';
import type { BodyMatcher } from './body-matcher.ts';

/** What a finished HTTP exchange looked like, for evaluation (pure data). */
export interface HttpExchange {
  statusCode: number;
  /** "HTTP/1.1 200 OK" */
  statusLine: string;
  /** Response size as check_http counts it: status line, headers and body. */
  sizeBytes: number;
  seconds: number;
  /** The body as far as it was kept (only when a body expectation needs it). */
  body: string;
  bodyTruncated: boolean;
  /** URL without credentials or query, safe to print. */
  displayUrl: string;
}

export interface HttpExpectations {
  expectStatus: readonly number[];
  matcher?: Extract<BodyMatcher, { ok: true }>;
  warning?: string;
  critical?: string;
}

export interface HttpVerdict {
  state: ServiceState;
  /** Reasons for a non-OK state, in check_http's order: status, body, response time. */
  problems: string[];
}

function worse(a: ServiceState, b: ServiceState): ServiceState {
  return b > a ? b : a;
}

/**
 * check_http's verdict on a response. Without expectStatus: 2xx and 3xx (redirects are not
 * followed) OK, 4xx WARNING, 5xx and anything else CRITICAL. With expectStatus: those codes OK,
 * anything else CRITICAL. A missing expected body is CRITICAL; response time against the warning
 * and critical ranges (seconds).
 */
export function evaluateHttpExchange(exchange: HttpExchange, expect: HttpExpectations): HttpVerdict {
  const problems: string[] = [];
  let state: ServiceState = 0;
  const code = exchange.statusCode;
  if (expect.expectStatus.length > 0) {
    if (!expect.expectStatus.includes(code)) {
      state = 2;
      problems.push(`expected status ${expect.expectStatus.join(' or ')}, got ${code}`);
    }
  } else if (code >= 500 || code < 200 || code >= 600) {
    state = 2;
    if (code < 200 || code >= 600) problems.push(`unexpected status ${code}`);
  } else if (code >= 400) {
    state = 1;
  }
  if (expect.matcher && !expect.matcher.matches(exchange.body)) {
    state = 2;
    const where = exchange.bodyTruncated ? ' (searched the beginning of the body only)' : '';
    problems.push(`${expect.matcher.describe} not found on '${exchange.displayUrl}'${where}`);
  }
  const timing = checkThresholds(exchange.seconds, expect.warning, expect.critical);
  if (timing.ok && timing.state !== 0) {
    const which =
      timing.state === 2 ? `critical range '${expect.critical}'` : `warning range '${expect.warning}'`;
    problems.push(`response time outside ${which}`);
    state = worse(state, timing.state);
  }
  return { state, problems };
}
