// Authentication primitives shared by the SSH gateway and the HTTPS dashboard: TOTP second factor
// (RFC 6238) and the operator-network source filter applied to bare TCP peers.
export { operatorNetworkFilter, type SourceFilter, unmapIpv4 } from './operator-networks.ts';
export {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  TOTP_DIGITS,
  TOTP_STEP_SECONDS,
  type TotpVerdict,
  totpCode,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.ts';
