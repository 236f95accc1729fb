/**
 * Checks a BlueprintInput before anything is synthesized, so a mistake is reported as "where and
 * what to do" rather than as a CloudFormation failure at deploy time. The spec loader validates
 * shapes; these are the rules only the blueprint knows (ports it reserves, AWS naming rules).
 */
import type { BlueprintInput } from './blueprint-input.ts';
import { ipv4NetworkAddress, isWholeInternet, parseAddressOrCidr, parseCidr } from './cidr.ts';
import { accountStackName, environmentProfile } from './environment-profile.ts';
import { NRPE_PORT, SSH_PORT } from './flows.ts';

export interface InputProblem {
  /** Where in the input, e.g. environments[1].hosts[0].productPorts[2]. */
  path: string;
  message: string;
  hint: string;
}

export class BlueprintInputError extends Error {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    super(
      `the blueprint input has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems
        .map((p) => `  ${p.path}: ${p.message} (${p.hint})`)
        .join('\n')}`,
    );
    this.name = 'BlueprintInputError';
    this.problems = problems;
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const IAM_USER = /^[\w+=,.@-]{1,64}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}

/** Subnets of each zone: public, application, monitoring, data, each a /24. */
const SUBNET_TIERS = 4;

export function backupBucketName(input: BlueprintInput, environment: string): string | undefined {
  return input.backupBucket?.name ? `${input.backupBucket.name}-${environment.toLowerCase()}` : undefined;
}

export function blueprintInputProblems(input: BlueprintInput): InputProblem[] {
  const problems: InputProblem[] = [];
  const problem = (path: string, message: string, hint: string) => problems.push({ path, message, hint });

  if (!NAME.test(input.deployment ?? '')) {
    problem('deployment', 'not a valid deployment name', "use letters, digits, '.', '_' and '-', e.g. acme");
  }
  if (!Array.isArray(input.operatorNetworks) || input.operatorNetworks.length === 0) {
    problem(
      'operatorNetworks',
      'no operator network',
      'list the CIDRs of the provider network, e.g. [203.0.113.0/24]',
    );
  }
  (input.operatorNetworks ?? []).forEach((text, i) => {
    const network = parseCidr(text);
    if (!network)
      problem(
        `operatorNetworks[${i}]`,
        `"${text}" is not a CIDR`,
        'write e.g. 203.0.113.0/24 or 2001:db8::/32',
      );
    else if (isWholeInternet(network)) {
      problem(
        `operatorNetworks[${i}]`,
        `${text} admits the whole internet to the bastion and dashboard`,
        "list the provider's own networks",
      );
    }
  });

  const bastion = input.bastion;
  if (bastion?.placement !== 'vpc' && bastion?.placement !== 'datacenter') {
    problem(
      'bastion.placement',
      'must be vpc or datacenter',
      'write placement: vpc (an instance in the public subnet) or datacenter',
    );
  }
  if (!isPort(bastion?.port))
    problem('bastion.port', 'not a port number', 'write a port from 1 to 65535, e.g. 2222');
  else if (bastion.port === SSH_PORT) {
    problem(
      'bastion.port',
      'the bastion must not listen on the standard SSH port',
      'choose a non-standard port, e.g. 2222',
    );
  }
  if (bastion?.placement === 'datacenter') {
    const address = bastion.address === undefined ? null : parseAddressOrCidr(bastion.address);
    if (!address) {
      problem(
        'bastion.address',
        'a datacenter bastion needs its address',
        'write the address the VPC sees it from, e.g. 198.51.100.7',
      );
    } else if (isWholeInternet(address)) {
      problem(
        'bastion.address',
        'admits every address to SSH',
        'write the datacenter bastion address or its /32',
      );
    }
  }

  const monitoring = input.monitoring;
  if (!isPort(monitoring?.dashboardPort)) {
    problem(
      'monitoring.dashboardPort',
      'not a port number',
      'write the port steward serve listens on, e.g. 8443',
    );
  }
  const badDomain = monitoring?.domain !== undefined && !DOMAIN.test(monitoring.domain);
  if (badDomain) {
    problem(
      'monitoring.domain',
      `"${monitoring.domain}" is not a domain name`,
      'write a lower-case name such as monitor.acme.example',
    );
  }
  if (monitoring?.hostedZone && !badDomain) {
    const zone = monitoring.hostedZone.name.replace(/\.$/, '');
    if (!monitoring.domain)
      problem(
        'monitoring.hostedZone',
        'a hosted zone without a domain',
        'add monitoring.domain inside the zone',
      );
    else if (monitoring.domain !== zone && !monitoring.domain.endsWith(`.${zone}`)) {
      problem(
        'monitoring.domain',
        `${monitoring.domain} is not inside the hosted zone ${zone}`,
        'use a domain under the zone',
      );
    }
  }
  if (monitoring?.certificateArn !== undefined && !/^arn:aws[\w-]*:acm:/.test(monitoring.certificateArn)) {
    problem(
      'monitoring.certificateArn',
      'not an ACM certificate ARN',
      'write arn:aws:acm:<region>:<account>:certificate/<id>',
    );
  }
  if (monitoring?.alertEmail !== undefined && !EMAIL.test(monitoring.alertEmail)) {
    problem(
      'monitoring.alertEmail',
      'not an email address',
      'write the sender address of alert mail, e.g. alerts@acme.example',
    );
  }

  const retention = input.backupBucket?.retentionDays;
  if (retention !== undefined && !(Number.isInteger(retention) && retention >= 1)) {
    problem('backupBucket.retentionDays', 'not a whole number of days', 'write e.g. 90');
  }

  const operatorNames = new Set<string>();
  (input.operators ?? []).forEach((operator, i) => {
    if (!IAM_USER.test(operator.name)) {
      problem(
        `operators[${i}].name`,
        `"${operator.name}" is not a valid IAM user name`,
        'use letters, digits and +=,.@_- (at most 64)',
      );
    }
    if (operatorNames.has(operator.name))
      problem(`operators[${i}].name`, `${operator.name} is listed twice`, 'remove the duplicate');
    operatorNames.add(operator.name);
  });

  if (input.ci) {
    if (!/^[a-z0-9.-]+(\/[\w.-]+)*$/i.test(input.ci.issuer)) {
      problem(
        'ci.issuer',
        'not an OIDC issuer host',
        'write it without https://, e.g. token.actions.githubusercontent.com',
      );
    }
    if (input.ci.subjects.length === 0) {
      problem(
        'ci.subjects',
        'no subject',
        'list who may assume the role, e.g. repo:acme/infra:ref:refs/heads/main',
      );
    }
  }

  if (!Array.isArray(input.environments) || input.environments.length === 0) {
    problem('environments', 'no environment', 'list at least one environment, e.g. dev, test, preprod, prod');
  }
  const stackNames = new Map<string, string>([[accountStackName(input), 'the account stack']]);
  (input.environments ?? []).forEach((env, e) => {
    const at = `environments[${e}]`;
    if (!NAME.test(env.name ?? '')) {
      problem(
        `${at}.name`,
        'not a valid environment name',
        "use letters, digits, '.', '_' and '-', e.g. prod",
      );
      return;
    }
    const profile = environmentProfile(input, env);
    const clash = stackNames.get(profile.stackName);
    if (clash)
      problem(
        `${at}.name`,
        `its stack name ${profile.stackName} is already used by ${clash}`,
        'rename the environment',
      );
    stackNames.set(profile.stackName, `environment ${env.name}`);
    if (env.account !== undefined && !ACCOUNT.test(env.account)) {
      problem(
        `${at}.account`,
        'not an AWS account id',
        'write the 12-digit account id as a string, e.g. "123456789012"',
      );
    }
    if (env.region !== undefined && !REGION.test(env.region)) {
      problem(`${at}.region`, `"${env.region}" is not an AWS region`, 'write e.g. eu-west-1');
    }
    const zones = env.availabilityZones;
    if (zones !== undefined) {
      if (zones.length < 2 || new Set(zones).size !== zones.length) {
        problem(
          `${at}.availabilityZones`,
          'needs two or more distinct zones',
          'list e.g. [eu-west-1a, eu-west-1b]',
        );
      }
      for (const zone of zones) {
        if (env.region && !zone.startsWith(env.region)) {
          problem(`${at}.availabilityZones`, `${zone} is not in ${env.region}`, `use zones of ${env.region}`);
        }
      }
    }
    const cidr = parseCidr(profile.cidr);
    const largestPrefix = 24 - Math.ceil(Math.log2(SUBNET_TIERS * profile.azCount));
    if (cidr?.family !== 4) problem(`${at}.cidr`, 'not an IPv4 CIDR', 'write e.g. 10.20.0.0/16');
    else if (cidr.prefix < 16 || cidr.prefix > largestPrefix) {
      problem(
        `${at}.cidr`,
        `a /${cidr.prefix} VPC cannot hold ${SUBNET_TIERS * profile.azCount} /24 subnets (AWS allows /16 to /28)`,
        `use a prefix from /16 to /${largestPrefix}`,
      );
    } else if (ipv4NetworkAddress(cidr) !== cidr.address) {
      // CloudFormation does not refuse it: CDK would quietly move the VPC to another range.
      problem(
        `${at}.cidr`,
        `${profile.cidr} has bits set after the /${cidr.prefix} prefix`,
        `write the network address, ${ipv4NetworkAddress(cidr)}/${cidr.prefix}`,
      );
    }
    if (
      !(
        Number.isInteger(profile.natGateways) &&
        profile.natGateways >= 1 &&
        profile.natGateways <= profile.azCount
      )
    ) {
      problem(
        `${at}.natGateways`,
        `must be 1 to ${profile.azCount} (the monitoring host reaches alert services only through NAT)`,
        'write 1 for a shared gateway, or one per zone',
      );
    }
    profile.productClients.forEach((text, i) => {
      if (!parseAddressOrCidr(text))
        problem(`${at}.productClients[${i}]`, `"${text}" is not a CIDR`, 'write e.g. 0.0.0.0/0');
    });
    const bucket = backupBucketName(input, env.name);
    if (bucket !== undefined && !BUCKET.test(bucket)) {
      problem(
        'backupBucket.name',
        `the bucket name ${bucket} (name-environment) is not a valid S3 bucket name`,
        'use 3-63 lower-case letters, digits, dots and hyphens',
      );
    }
    const hostNames = new Set<string>();
    (env.hosts ?? []).forEach((host, h) => {
      if (!NAME.test(host.name ?? ''))
        problem(`${at}.hosts[${h}].name`, 'not a valid host name', 'write e.g. apim-1');
      if (hostNames.has(host.name))
        problem(`${at}.hosts[${h}].name`, `${host.name} is listed twice`, 'remove the duplicate');
      hostNames.add(host.name);
      (host.productPorts ?? []).forEach((port, p) => {
        const path = `${at}.hosts[${h}].productPorts[${p}]`;
        if (!isPort(port)) problem(path, 'not a port number', 'write a port from 1 to 65535');
        else if (port === SSH_PORT || port === NRPE_PORT || port === bastion?.port) {
          problem(
            path,
            `port ${port} is reserved for SSH, NRPE or the bastion`,
            'serve the product on another port',
          );
        }
      });
    });
    if (env.database) {
      const db = env.database;
      if (!['postgres', 'mysql', 'mariadb'].includes(db.engine)) {
        problem(`${at}.database.engine`, `unknown engine "${db.engine}"`, 'write postgres, mysql or mariadb');
      }
      const days = db.backupRetentionDays;
      if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 35)) {
        problem(
          `${at}.database.backupRetentionDays`,
          'RDS keeps automated backups 1 to 35 days',
          'write a whole number from 1 to 35',
        );
      }
    }
  });
  return problems;
}

/** Throws a BlueprintInputError listing every problem; returns quietly when there is none. */
export function checkBlueprintInput(input: BlueprintInput): void {
  const problems = blueprintInputProblems(input);
  if (problems.length > 0) throw new BlueprintInputError(problems);
}
