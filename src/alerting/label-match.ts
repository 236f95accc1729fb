import type { LabelMatch } from '../core/alerting-model.ts';

const compiled = new Map<string, RegExp>();

/** Anchored like Alertmanager's =~ : `~prod|staging` matches "prod" but not "preprod". */
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, re);
  }
  return re;
}

/** One matcher value against a label value (missing labels are ""). */
export function matchesValue(expected: string, actual: string | undefined): boolean {
  const value = actual ?? '';
  return expected.startsWith('~') ? regex(expected.slice(1)).test(value) : expected === value;
}

/** True when every matcher matches; an empty match matches everything. */
export function matchesLabels(match: LabelMatch, labels: Record<string, string>): boolean {
  for (const [label, expected] of Object.entries(match)) {
    if (!matchesValue(expected, labels[label])) return false;
  }
  return true;
}
