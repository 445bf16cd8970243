/** Parses `host:port` (IPv6 as `[::1]:port`), the form of the seed's `-s/--server`. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match) throw new Error(`expected host:port, got "${text}"${bracketsHint(text.trim())}`);
  if (!isPort(port) || port === 0) throw new Error(`the port in "${text}" must be 1..65535`);
  return { host: match[1] ?? match[2], port };
}

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}

/** `::1:50001` reads as an IPv6 address with no port: the form that says where the port starts. */
function bracketsHint(text: string): string {
  const unbracketed = /^([\da-f:.]*:[\da-f:.]*):(\d+)$/i.exec(text);
  return unbracketed ? `: an IPv6 address goes in brackets, [${unbracketed[1]}]:${unbracketed[2]}` : '';
}
