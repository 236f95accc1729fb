/**
 * Every EC2 instance of the blueprint is built the same way: IMDSv2 only, encrypted gp3 root
 * volume, detailed monitoring, termination protection, no key pair (operators come in through
 * the steward gateway, whose keys come from the spec).
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';

export interface HardenedInstanceProps {
  vpc: ec2.IVpc;
  subnetGroupName: string;
  securityGroup: ec2.ISecurityGroup;
  instanceType: string;
  /** The Name tag, shown in the console. */
  name: string;
  rootVolumeGiB: number;
  userData?: ec2.UserData;
  /** A fixed private address (inside the first subnet of the group) that other rules name. */
  privateIpAddress?: string;
}

export function hardenedInstance(scope: Construct, id: string, props: HardenedInstanceProps): ec2.Instance {
  const instance = new ec2.Instance(scope, id, {
    vpc: props.vpc,
    vpcSubnets: { subnetGroupName: props.subnetGroupName },
    securityGroup: props.securityGroup,
    instanceType: new ec2.InstanceType(props.instanceType),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    detailedMonitoring: true,
    disableApiTermination: true,
    ...(props.userData ? { userData: props.userData } : {}),
    ...(props.privateIpAddress ? { privateIpAddress: props.privateIpAddress } : {}),
    blockDevices: [
      {
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeGiB, {
          encrypted: true,
          volumeType: ec2.EbsDeviceVolumeType.GP3,
        }),
      },
    ],
    propagateTagsToVolumeOnCreation: true,
  });
  // IMDSv2 only, set on the instance itself: `requireImdsv2` would add a launch template with a
  // fixed name, which collides when two environments share an account and region.
  (instance.node.defaultChild as ec2.CfnInstance).metadataOptions = {
    httpTokens: 'required',
    httpEndpoint: 'enabled',
    httpPutResponseHopLimit: 1,
  };
  Tags.of(instance).add('Name', props.name);
  return instance;
}

/** User data that installs a systemd unit running one steward command and starts it. */
export function stewardServiceUserData(unit: string, description: string, command: string): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    // steward is baked into the image or copied by provisioning to /opt/steward, with the spec in
    // /etc/steward (see CHECKLIST.md); the unit waits for both.
    'id steward >/dev/null 2>&1 || useradd --system --home-dir /var/lib/steward --create-home steward',
    `cat > /etc/systemd/system/${unit}.service <<'UNIT'`,
    '[Unit]',
    `Description=${description}`,
    'After=network-online.target',
    'Wants=network-online.target',
    'ConditionPathExists=/opt/steward/bin/steward',
    '',
    '[Service]',
    // Site settings the blueprint cannot know (tokens, fingerprints) go in this optional file;
    // STEWARD_ARGS adds options to the command line (unset: nothing is added).
    `EnvironmentFile=-/etc/steward/${unit}.env`,
    `ExecStart=/opt/steward/bin/steward ${command} $STEWARD_ARGS`,
    'User=steward',
    'AmbientCapabilities=CAP_NET_BIND_SERVICE',
    'Restart=always',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    'UNIT',
    'systemctl daemon-reload',
    `systemctl enable --now ${unit}.service`,
  );
  return userData;
}
