import { z } from 'zod';
import { durationSchema } from '../schema/duration.ts';
import { type Rejection, withHint } from '../schema/message.ts';
import { checked } from '../schema/refine.ts';
import { renderTemplate, renderUrlTemplate, SAMPLE_TEMPLATE_VALUES, templateProblem } from '../templating.ts';
import { defineCheckKind } from './check-kind.ts';

export const DEFAULT_CERTIFICATE_DAYS = { warningDays: 30, criticalDays: 14 } as const;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function urlRejection(text: string): Rejection | null {
  const template = templateProblem(text);
  if (template !== null) return template;
  const hint = 'write a full URL with scheme and host, e.g. https://{{address}}:9443/health';
  if (!URL.canParse(renderUrlTemplate(text, SAMPLE_TEMPLATE_VALUES)))
    return { message: 'not a valid URL', hint };
  const url = new URL(renderUrlTemplate(text, SAMPLE_TEMPLATE_VALUES));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { message: 'the URL must start with http:// or https://', hint };
  }
  return null;
}

const statusCode = z
  .number({
    error: (issue) => (issue.input === undefined ? undefined : 'expected an HTTP status code (a number)'),
  })
  .int(withHint('an HTTP status code is a whole number', 'write e.g. 200'))
  .min(100, withHint('an HTTP status code is from 100 to 599', 'write e.g. 200, 301 or 404'))
  .max(599, withHint('an HTTP status code is from 100 to 599', 'write e.g. 200, 301 or 404'));

const days = (what: string, byDefault: number) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? undefined : 'expected a number of days') })
    .int(withHint('a number of days is a whole number', `write e.g. ${byDefault}`))
    .min(0, withHint('a number of days is at least 0', `write e.g. ${byDefault}`))
    .optional()
    .describe(`${what} when the certificate expires in fewer days than this (default ${byDefault}).`);

const schema = z
  .strictObject({
    url: checked(
      z.string({ error: (issue) => (issue.input === undefined ? undefined : 'expected a URL (a string)') }),
      urlRejection,
    ).describe('The URL to request; {{address}}, {{host}} and {{environment}} are replaced per host.'),
    method: z
      .enum(METHODS, {
        error: withHint(
          `expected an HTTP method: ${METHODS.join(', ')}`,
          'write the method in capitals, e.g. GET',
        ),
      })
      .optional()
      .describe('HTTP method (default GET).'),
    headers: z
      .record(z.string(), checked(z.string(), templateProblem))
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${ENV} syntax, shown to users
      .describe('Request headers; use ${ENV_VAR} for secrets, e.g. Authorization: "Bearer ${API_TOKEN}".'),
    expectStatus: z
      .union(
        [
          statusCode,
          z
            .array(statusCode)
            .min(1, withHint('the list is empty', 'list at least one status, e.g. [200, 204]')),
        ],
        {
          error: withHint('expected a status code or a list of them', 'write e.g. 200 or [200, 204]'),
        },
      )
      .optional()
      .describe(
        'Acceptable status codes (a number or list). Default: 2xx and 3xx OK, 4xx WARNING, 5xx CRITICAL.',
      ),
    expectBody: z.string().optional().describe('Text that must appear in the response body, or /regex/.'),
    timeout: durationSchema()
      .optional()
      .describe("Request timeout; the same as the check's `timeout` (set one of them)."),
    insecure: z
      .boolean()
      .optional()
      .describe(
        'Accept self-signed or otherwise unverifiable certificates (days left are still checked). Default false.',
      ),
    certificate: z
      .strictObject({
        warningDays: days('WARNING', DEFAULT_CERTIFICATE_DAYS.warningDays),
        criticalDays: days('CRITICAL', DEFAULT_CERTIFICATE_DAYS.criticalDays),
      })
      .optional()
      .describe('Certificate expiry thresholds for https URLs.'),
  })
  .describe(
    'Request a URL: state from the status code, the expected body and (https) the certificate expiry.',
  );

export const httpCheck = defineCheckKind({
  key: 'http',
  schema,
  timeout: (value) => value.timeout,
  toProbe(value, context) {
    const url = renderUrlTemplate(value.url, context.template);
    const certificate = value.certificate ?? {};
    const warningDays = certificate.warningDays ?? DEFAULT_CERTIFICATE_DAYS.warningDays;
    const criticalDays = certificate.criticalDays ?? DEFAULT_CERTIFICATE_DAYS.criticalDays;
    if (criticalDays > warningDays) {
      context.warn(
        ['certificate'],
        `certificate criticalDays (${criticalDays}) is above warningDays (${warningDays}): WARNING is never reported`,
        'make warningDays the larger number, e.g. warningDays: 30, criticalDays: 14',
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, text] of Object.entries(value.headers ?? {}))
      headers[name] = renderTemplate(text, context.template);
    const probe = {
      kind: 'http' as const,
      url,
      method: value.method ?? 'GET',
      headers,
      expectStatus: value.expectStatus === undefined ? [] : [value.expectStatus].flat(),
      insecure: value.insecure ?? false,
      certificateWarningDays: warningDays,
      certificateCriticalDays: criticalDays,
    };
    return value.expectBody === undefined ? probe : { ...probe, expectBody: value.expectBody };
  },
});
