/**
 * Reads a synthesized template's security groups back as plain ingress rules, "source ->
 * component protocol/port", whether CDK wrote them inline (CIDR sources) or as separate
 * AWS::EC2::SecurityGroupIngress resources (security-group sources).
 */
import { COMPONENT_TAG } from '../../src/synth/index.ts';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

interface IngressJson {
  IpProtocol: string;
  FromPort: number;
  ToPort: number;
  CidrIp?: string;
  CidrIpv6?: string;
  GroupId?: unknown;
  SourceSecurityGroupId?: unknown;
}

/** Security group logical id -> its steward:component tag. */
export function componentsByLogicalId(json: object): Map<string, string> {
  const template = json as { Resources: Resources };
  const components = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::EC2::SecurityGroup') continue;
    const tags = (resource.Properties?.Tags ?? []) as { Key: string; Value: string }[];
    const tag = tags.find((t) => t.Key === COMPONENT_TAG);
    if (!tag) throw new Error(`security group ${id} has no ${COMPONENT_TAG} tag`);
    components.set(id, tag.Value);
  }
  return components;
}

function groupRef(value: unknown, components: Map<string, string>): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  const component = getAtt ? components.get(getAtt[0]) : undefined;
  if (!component) throw new Error(`unexpected security group reference ${JSON.stringify(value)}`);
  return component;
}

function describe(rule: IngressJson, target: string, components: Map<string, string>): string {
  if (rule.FromPort !== rule.ToPort)
    throw new Error(`port range ${rule.FromPort}-${rule.ToPort} on ${target}`);
  const source =
    rule.CidrIp !== undefined
      ? `cidr:${rule.CidrIp}`
      : rule.CidrIpv6 !== undefined
        ? `cidr:${rule.CidrIpv6}`
        : groupRef(rule.SourceSecurityGroupId, components);
  return `${source} -> ${target} ${rule.IpProtocol}/${rule.FromPort}`;
}

/** Every ingress rule of the template, sorted. */
export function ingressRules(json: object): string[] {
  const template = json as { Resources: Resources };
  const components = componentsByLogicalId(template);
  const rules: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::EC2::SecurityGroup') {
      for (const rule of (resource.Properties?.SecurityGroupIngress ?? []) as IngressJson[]) {
        rules.push(describe(rule, components.get(id)!, components));
      }
    } else if (resource.Type === 'AWS::EC2::SecurityGroupIngress') {
      const rule = resource.Properties as unknown as IngressJson;
      rules.push(describe(rule, groupRef(rule.GroupId, components), components));
    }
  }
  return rules.sort();
}
