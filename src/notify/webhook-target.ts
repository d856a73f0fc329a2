// Whether a webhook URL leads into a loopback, link-local, private or otherwise non-public network: the host is
// resolved and every address it has is checked (IPv4 and IPv6, IPv4-mapped IPv6 as the IPv4 address it carries).
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

export interface PrivateAddress {
  address: string;
  /** ipaddr.js's name of the range (loopback, private, linkLocal, uniqueLocal, ...). */
  range: string;
}

const LOOKUP_TIMEOUT_MS = 5_000;

function classify(text: string): PrivateAddress | undefined {
  let address = ipaddr.parse(text);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) address = address.toIPv4Address();
  const range = address.range();
  return range === "unicast" ? undefined : { address: address.toString(), range };
}

async function addressesOf(host: string): Promise<string[]> {
  if (ipaddr.isValid(host)) return [host];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer for ${host} within ${LOOKUP_TIMEOUT_MS / 1000} s`)), LOOKUP_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((entry) => entry.address);
  } finally {
    clearTimeout(timer);
  }
}

/** The first non-public address the URL's host is or resolves to; undefined when all are public. Throws when the host does not resolve. */
export async function privateTarget(url: string): Promise<PrivateAddress | undefined> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, "$1");
  for (const address of await addressesOf(host)) {
    const found = classify(address);
    if (found) return found;
  }
  return undefined;
}

/** Why keyway will not send to this address, in words an operator can act on. */
export function privateTargetReason(url: string, found: PrivateAddress): string {
  return `'${url}' leads into a private network (${found.address}, ${found.range}); keyway sends webhooks only to public addresses unless security.webhook_allow_private_networks is true`;
}
