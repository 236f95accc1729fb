/**
 * What `steward synth` and `steward diagram` need to know about a deployment. The spec loader
 * (src/spec) produces it from the spec; synth never reads YAML itself, so the blueprint can be
 * built and tested from plain data.
 */

export type DatabaseEngine = 'postgres' | 'mysql' | 'mariadb';

export interface BlueprintHost {
  name: string;
  /** Shown in the diagram and tagged on the instance (the host's first role in the spec). */
  role?: string;
  /** Ports the product serves; reachable only from the environment's product load balancer. */
  productPorts?: number[];
  /** EC2 instance type (default m7i.large: JVM middleware wants memory). */
  instanceType?: string;
  /**
   * The host runs backup jobs itself (`runOn: host`): it writes to the backup bucket and reports
   * each run to steward serve on the monitoring host.
   */
  runsBackups?: boolean;
}

export interface BlueprintDatabase {
  engine: DatabaseEngine;
  /** RDS instance class without the "db." prefix, e.g. t4g.medium (default t4g.medium, m7g.large in production). */
  instanceClass?: string;
  /** Days of automated backups (default 35 in production, 7 elsewhere; 1..35). */
  backupRetentionDays?: number;
}

export interface BlueprintEnvironment {
  name: string;
  /** AWS account id (12 digits); omitted: the stack is account-agnostic (deploy with any credentials). */
  account?: string;
  /** AWS region, e.g. eu-west-1; omitted: region-agnostic. */
  region?: string;
  /** The VPC's IPv4 CIDR (default 10.0.0.0/16). */
  cidr?: string;
  /** Availability zones to span (default the region's "a" and "b" zones, or any two when the region is unknown). */
  availabilityZones?: string[];
  /** NAT gateways (default one per availability zone in production, one shared elsewhere). */
  natGateways?: number;
  /** Who may reach the product load balancer on the product ports (default: the internet, 0.0.0.0/0). */
  productClients?: string[];
  hosts: BlueprintHost[];
  database?: BlueprintDatabase;
}

export interface BlueprintBastion {
  /** `vpc`: an instance in the public subnet runs `steward gateway`; `datacenter`: the customer runs it. */
  placement: 'vpc' | 'datacenter';
  /** The gateway's non-standard SSH port, open to operatorNetworks only. */
  port: number;
  /** The datacenter bastion's address as the VPC sees it (IP or CIDR); required for `datacenter`. */
  address?: string;
  /** EC2 instance type of a `vpc` bastion (default t3.small). */
  instanceType?: string;
}

export interface BlueprintMonitoring {
  /** The port `steward serve` listens on (HTTPS), behind the dashboard load balancer. */
  dashboardPort: number;
  /** An existing ACM certificate for the dashboard load balancer. */
  certificateArn?: string;
  /** Dashboard domain; each environment's dashboard is `<environment>.<domain>`. */
  domain?: string;
  /** A Route 53 public hosted zone for `domain`: certificates are validated and records created in it. */
  hostedZone?: { id: string; name: string };
  /** Sender address of mail alerts (an SES identity is created for it). */
  alertEmail?: string;
  /** EC2 instance type of the monitoring host (default t3.medium). */
  instanceType?: string;
}

export interface BlueprintCi {
  /** OIDC issuer without scheme, e.g. token.actions.githubusercontent.com. */
  issuer: string;
  /** Allowed token subjects, e.g. repo:acme/infra:ref:refs/heads/main (wildcards * allowed). */
  subjects: string[];
  /** Token audience (default sts.amazonaws.com). */
  audience?: string;
}

export interface BlueprintInput {
  deployment: string;
  /** The provider's networks (CIDRs): the only sources of the bastion port and the dashboard. */
  operatorNetworks: string[];
  environments: BlueprintEnvironment[];
  bastion: BlueprintBastion;
  monitoring: BlueprintMonitoring;
  backupBucket?: { name?: string; retentionDays?: number };
  /** IAM users for the provider's operators. */
  operators: { name: string }[];
  /** Lets CI assume the automation role through OIDC instead of holding access keys. */
  ci?: BlueprintCi;
}
