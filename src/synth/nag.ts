/**
 * cdk-nag (AwsSolutions pack) runs on every synthesis. A rule the blueprint deliberately does not
 * follow is acknowledged on the construct concerned, always with the reason, so the exception is
 * reviewed in code and recorded in the validation report.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledgeRule(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: rule, reason });
}
