// What keyway accepts as an e-mail address to notify: one plain address (local@domain.tld), no display name, no
// list, nothing a mail header could be bent with.

const MAX_LENGTH = 254;
/** Dot-atom local part (RFC 5322 without quoting) and a dotted domain of LDH labels ending in a letter TLD. */
const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_LENGTH && ADDRESS.test(value) && (value.split("@")[0]?.length ?? 0) <= 64;
}
