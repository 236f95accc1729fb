export type { ParsedThresholdRange, ThresholdOutcome, ThresholdRange } from './threshold-range.ts';
export {
  cachedThresholdRange,
  checkThresholds,
  evaluateThresholds,
  parseThresholdRange,
  rangeAlerts,
} from './threshold-range.ts';
