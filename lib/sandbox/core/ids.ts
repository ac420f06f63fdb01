// Identifier generators shaped like AWS's: hex resource ids, CloudFormation's random name
// suffixes, UUIDs, and stable hashes for the seeded (deterministic) network.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export const uuid = () => randomUUID();
export const hex = (length: number) => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
/** `vpc-0123456789abcdef0`: the 17-hex-digit form EC2 has used since 2018. */
export const ec2Id = (prefix: string) => `${prefix}-${hex(17)}`;
/** The 12–13 character suffix CloudFormation appends to generated physical names. */
export const cfnSuffix = (length = 13) => pick(UPPER_ALNUM, length);
export const alnum = (length: number) => pick(ALNUM, length);
export const upperAlnum = (length: number) => pick(UPPER_ALNUM, length);
export const digits = (length: number) => pick('0123456789', length);

/** A stable hex string derived from `seed`, for ids that must survive restarts without state. */
export const stableHex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);
export const stableEc2Id = (prefix: string, seed: string) => `${prefix}-${stableHex(seed, 17)}`;
