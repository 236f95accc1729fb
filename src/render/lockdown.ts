// The host lockdown part of `steward render host`: sshd drop-in and nftables rules.
export { hostLockdownFiles, type LockdownFile, lockdownSources } from './host-lockdown.ts';
export { lockdownInstallLines } from './lockdown-install.ts';
export { NFT_TABLE, type NftablesInput, renderNftables } from './nftables.ts';
export { renderSshdDropin, type SshdDropinInput } from './sshd-dropin.ts';
