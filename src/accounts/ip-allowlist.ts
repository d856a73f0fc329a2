// IP allowlists (CIDR) for keyway keys: parsed once, checked per request.
import { BlockList, isIP } from "node:net";
import { invalidRequest } from "../core/errors.ts";

/** Throws `invalid_request` naming the entry when a CIDR (or bare address) is malformed. */
export function parseAllowlist(entries: readonly string[], param = "ip_allowlist"): BlockList {
  const list = new BlockList();
  for (const [index, entry] of entries.entries()) {
    const [address = "", bits] = entry.trim().split("/");
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw invalidRequest(`'${entry}' is not an IP address or CIDR range (like 10.0.0.0/8 or 2001:db8::/32).`, `${param}[${index}]`);
    }
    list.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return list;
}

const cache = new Map<string, BlockList>();

/** True when `address` falls inside the allowlist; IPv4-mapped IPv6 addresses count as IPv4. */
export function ipAllowed(entries: readonly string[], address: string | undefined): boolean {
  if (!address) return false;
  const key = entries.join(",");
  let list = cache.get(key);
  if (!list) {
    list = parseAllowlist(entries);
    if (cache.size > 1000) cache.clear();
    cache.set(key, list);
  }
  const mapped = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(mapped);
  if (family === 0) return false;
  return list.check(mapped, family === 4 ? "ipv4" : "ipv6");
}
