import type { BlueprintInput } from '../../src/synth/blueprint-input.ts';

/** The playbook's deployment: four environments, a VPC bastion, a database in each. */
export function playbookInput(): BlueprintInput {
  return {
    deployment: 'acme',
    operatorNetworks: ['203.0.113.0/24', '2001:db8::/32'],
    environments: [
      {
        name: 'dev',
        hosts: [{ name: 'apim-dev-1', role: 'wso2-apim', productPorts: [8243, 9443] }],
        database: { engine: 'mysql' },
      },
      { name: 'test', hosts: [{ name: 'apim-test-1', role: 'wso2-apim', productPorts: [8243] }] },
      {
        name: 'preprod',
        cidr: '10.30.0.0/16',
        hosts: [
          { name: 'apim-pp-1', productPorts: [8243] },
          { name: 'is-pp-1', role: 'wso2-is' },
        ],
        database: { engine: 'mariadb', backupRetentionDays: 14 },
      },
      {
        name: 'prod',
        account: '123456789012',
        region: 'eu-west-1',
        cidr: '10.40.0.0/16',
        hosts: [
          { name: 'apim-1', role: 'wso2-apim', productPorts: [8243, 9443] },
          { name: 'apim-2', role: 'wso2-apim', productPorts: [8243, 9443] },
          { name: 'is-1', role: 'wso2-is' },
        ],
        database: { engine: 'postgres' },
      },
    ],
    bastion: { placement: 'vpc', port: 2222 },
    monitoring: {
      dashboardPort: 8443,
      domain: 'monitor.acme.example',
      hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'acme.example' },
      alertEmail: 'alerts@acme.example',
    },
    backupBucket: { name: 'acme-steward-backups', retentionDays: 90 },
    operators: [{ name: 'alice' }, { name: 'bob' }],
    ci: { issuer: 'token.actions.githubusercontent.com', subjects: ['repo:acme/infra:ref:refs/heads/main'] },
  };
}
