/**
 * The spec may name the bastion's address and the monitoring subnet for the hosts' own firewalls
 * (`steward render host`). In a `vpc` blueprint the bastion and the monitoring host sit at pinned
 * addresses; a spec naming other ones would have every host refuse its own bastion and
 * monitoring. Found here, before anything is deployed.
 */
import type { Spec } from '../spec/index.ts';
import { pinnedAddresses } from './addresses.ts';
import type { BlueprintInput } from './blueprint-input.ts';
import { containsIpv4, parseAddressOrCidr } from './cidr.ts';
import { environmentProfile } from './environment-profile.ts';
import type { SpecProblem } from './from-spec.ts';

export function firewallAgreementProblems(spec: Spec, input: BlueprintInput): SpecProblem[] {
  const pinned = input.environments.map((env) => ({
    name: env.name,
    ...pinnedAddresses(environmentProfile(input, env)),
  }));
  const problems: SpecProblem[] = [];
  const check = (
    path: SpecProblem['path'],
    written: string | undefined,
    what: 'bastion' | 'monitoring',
    admits: string,
  ) => {
    if (written === undefined) return;
    const network = parseAddressOrCidr(written);
    const outside = pinned.filter((env) => network === null || !containsIpv4(network, env[what]));
    if (outside.length === 0) return;
    const where = outside.map((env) => `${env[what]} in ${env.name}`).join(', ');
    problems.push({
      path,
      message: `hosts' firewalls would admit ${admits} only from ${written}, but the ${what === 'bastion' ? 'bastion' : 'monitoring host'} is at ${where}`,
      hint:
        pinned.length === 1
          ? `write ${pinned[0]![what]}, its address in the blueprint`
          : `write a network holding ${pinned.map((env) => env[what]).join(', ')}, or leave it out`,
    });
  };
  if (input.bastion.placement === 'vpc') {
    check(['access', 'bastion', 'address'], spec.access?.bastion?.address, 'bastion', 'SSH');
  }
  check(['monitoring', 'subnet'], spec.monitoring?.subnet, 'monitoring', 'NRPE and SNMP');
  return problems;
}
