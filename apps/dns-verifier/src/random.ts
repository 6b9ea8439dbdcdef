import { randomInt } from 'node:crypto';
import { DAY_MS, MAX_DNS_NAME_LENGTH } from '@privatelink/domain';

/**
 * The verifier's randomness, passed into the domain as data: the record label (lower case: DNS names are
 * case-insensitive), the record token (mixed case: the value must match exactly) and the daily slot.
 */
export interface RandomSource {
  label(length: number): string;
  token(): string;
  dailySlotMs(): number;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

export const cryptoRandom: RandomSource = {
  label: (length) => pick(LOWER, length),
  token: () => pick(MIXED, 22),
  dailySlotMs: () => randomInt(DAY_MS),
};

export const LABEL_LENGTH = 12;

/** The label length that keeps `_<label>.<domain>` within 255 characters (at least 1). */
export function labelLengthFor(domain: string): number {
  return Math.max(1, Math.min(LABEL_LENGTH, MAX_DNS_NAME_LENGTH - domain.length - 2));
}
