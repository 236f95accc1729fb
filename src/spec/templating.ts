/**
 * Per-host templates in check strings: {{address}}, {{host}} and {{environment}} are replaced when
 * a role's check is applied to a host, so one role definition serves every host.
 */
import { isIPv6 } from 'node:net';
import { didYouMean } from './did-you-mean.ts';

export const TEMPLATE_VARIABLES = ['address', 'host', 'environment'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

/** Values used to check that a templated string (a URL, say) is well formed before any host is known. */
export const SAMPLE_TEMPLATE_VALUES: TemplateValues = {
  address: '192.0.2.1',
  host: 'host',
  environment: 'env',
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function isTemplateVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

/** The first unknown placeholder in a string, as a message and hint; null when all are known. */
export function templateProblem(text: string): { message: string; hint: string } | null {
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!isTemplateVariable(name)) {
      const suggestion = didYouMean(name, TEMPLATE_VARIABLES);
      return {
        message: `unknown template variable {{${name}}}`,
        hint: `${suggestion === '' ? '' : `${suggestion} `}templates know {{address}}, {{host}} and {{environment}}`,
      };
    }
  }
  return null;
}

export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    isTemplateVariable(name) ? values[name] : whole,
  );
}

/** Like renderTemplate, but an IPv6 {{address}} is bracketed, as URLs require ("https://[::1]:8443/"). */
export function renderUrlTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    if (!isTemplateVariable(name)) return whole;
    const value = values[name];
    const bracketed = text[offset - 1] === '[';
    return name === 'address' && isIPv6(value) && !bracketed ? `[${value}]` : value;
  });
}
