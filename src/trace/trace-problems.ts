/**
 * What a trace line must hold to be read (trace-format.ts), as the one sentence that says what is wrong with
 * it: the header's fields and known role, protocol and transport; each entry's time, in order, and exactly one
 * kind of event of the right type. Fields a line has beyond these are ignored, as a newer wirestate/1 writer
 * may add some; a change that old readers would misread gets a new format name.
 */

/** A JSON type an input field holds. */
export type InputType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/**
 * The input fields each role's machine cannot go without, and their JSON types: a header whose input lacks one
 * (its role changed, a field cut) would build a machine that breaks, not one that replays.
 */
export type TraceInputs = Readonly<Record<'server' | 'client', Readonly<Record<string, InputType>>>>;

/** The fields a header names, without which a timeline would say "undefined". */
const HEADER_FIELDS = ['protocol', 'role', 'connection', 'peer', 'version', 'started'] as const;

const ROLES: readonly string[] = ['server', 'client', 'proxy'];
const TRANSPORTS: readonly string[] = ['tcp', 'udp'];

/** The stammering proxy relays bytes without reading them: its traces name the transport (src/proxy). */
const PROXY_PROTOCOLS: readonly string[] = ['tcp'];

/**
 * Why `header` (a parsed first line, already known to name the format) cannot be read, or undefined.
 * `protocols`: the protocols this wirestate can read, by name, with their machines' inputs; left out, any
 * protocol name and input object is taken.
 */
export function headerProblem(
  header: Record<string, unknown>,
  protocols?: Readonly<Record<string, { inputs: TraceInputs }>>,
): string | undefined {
  const missing = HEADER_FIELDS.filter((field) => header[field] === undefined);
  if (missing.length > 0) return `the trace header lacks ${missing.join(', ')}`;
  const notText = HEADER_FIELDS.find((field) => typeof header[field] !== 'string');
  if (notText) return `the trace header's ${notText} must be text, not ${shown(header[notText])}`;
  const { role, protocol, transport, input } = header;
  if (!ROLES.includes(role as string)) return unknown('role', role, ROLES);
  if (transport !== undefined && !TRANSPORTS.includes(transport as string))
    return unknown('transport', transport, TRANSPORTS);
  if (role === 'proxy')
    return PROXY_PROTOCOLS.includes(protocol as string) ? undefined : unknown('protocol', protocol, PROXY_PROTOCOLS);
  if (protocols && !Object.hasOwn(protocols, protocol as string))
    return unknown('protocol', protocol, Object.keys(protocols));
  if (!isObject(input))
    return input === undefined
      ? `the trace header lacks input (the ${role as string} machine's input, which a replay builds it from)`
      : `the trace header's input must be an object, not ${shown(input)}`;
  const fields = protocols?.[protocol as string].inputs[role as 'server' | 'client'] ?? {};
  const lacking = Object.keys(fields).filter((field) => input[field] === undefined);
  if (lacking.length > 0)
    return `the trace header's input lacks ${lacking.join(', ')}, which the ${protocol as string} ${role as string} machine needs (is its role right?)`;
  const mistyped = Object.keys(fields).find((field) => jsonType(input[field]) !== fields[field]);
  if (mistyped)
    return `the trace header's input.${mistyped} must be ${fields[mistyped]}, not ${shown(input[mistyped])}`;
  return undefined;
}

const jsonType = (value: unknown): string => (Array.isArray(value) ? 'array' : typeof value);

/** The kinds of entry, exactly one of which each entry has, and the value each must hold. */
const KINDS: Record<string, (value: unknown) => string | undefined> = {
  in: (value) => bytesProblem('in', value),
  out: (value) => bytesProblem('out', value),
  state: (value) =>
    typeof value === 'string' && value !== '' ? undefined : `state must be a state's name, not ${shown(value)}`,
  end: (value) => (value === 'peer' ? undefined : `end must be "peer", not ${shown(value)}`),
  error: (value) => (typeof value === 'string' ? undefined : `error must be text, not ${shown(value)}`),
  outcome: (value) => outcomeProblem(value),
};

/** Why `entry` (a parsed line after the header) cannot be read, or undefined; `previousT`: the entry before's `t`. */
export function entryProblem(entry: unknown, previousT: number): string | undefined {
  if (!isObject(entry)) return `an entry must be an object, not ${shown(entry)}`;
  const { t } = entry;
  if (t === undefined) return 'the entry lacks t (milliseconds since the connection opened)';
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
    return `t must be milliseconds since the connection opened, not ${shown(t)}`;
  if (t < previousT) return `t ${t} comes before the previous entry's ${previousT}: entries are in time order`;
  const kinds = Object.keys(KINDS).filter((kind) => kind in entry);
  if (kinds.length === 0) return `the entry has none of ${Object.keys(KINDS).join(', ')}`;
  if (kinds.length > 1) return `the entry has ${kinds.join(' and ')}: one of them per entry`;
  return KINDS[kinds[0]](entry[kinds[0]]);
}

/**
 * Base64 as Buffer's `toString('base64')` writes it (Node would quietly skip any other character), checked by a
 * pattern that cannot backtrack: a line may hold megabytes.
 */
const BASE64_CHARACTERS = /^[A-Za-z0-9+/]*={0,2}$/;

const bytesProblem = (kind: string, value: unknown) =>
  typeof value === 'string' && value.length % 4 === 0 && BASE64_CHARACTERS.test(value)
    ? undefined
    : `${kind} must be bytes in base64, not ${shown(value)}`;

/** What every outcome says (SessionOutcome): `detail` and `stopServer` may be left out. */
const OUTCOME_FIELDS = ['ok', 'outcome', 'code', 'bytes'] as const;

function outcomeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `outcome must be an object, not ${shown(value)}`;
  const missing = OUTCOME_FIELDS.filter((field) => value[field] === undefined);
  if (missing.length > 0) return `the outcome lacks ${missing.join(', ')}`;
  const { ok, outcome, code, bytes, detail, stopServer } = value;
  if (typeof ok !== 'boolean') return `the outcome's ok must be true or false, not ${shown(ok)}`;
  if (typeof outcome !== 'string') return `the outcome's outcome must be text, not ${shown(outcome)}`;
  if (typeof code !== 'string') return `the outcome's code must be text, not ${shown(code)}`;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0)
    return `the outcome's bytes must be a count of bytes, not ${shown(bytes)}`;
  if (detail !== undefined && typeof detail !== 'string')
    return `the outcome's detail must be text, not ${shown(detail)}`;
  if (stopServer !== undefined && typeof stopServer !== 'boolean')
    return `the outcome's stopServer must be true or false, not ${shown(stopServer)}`;
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const unknown = (field: string, value: unknown, known: readonly string[]) =>
  `the trace header's ${field} ${shown(value)} is not one wirestate knows (${known.join(', ')})`;

/** A value as JSON, cut short: a whole frame's base64 would not fit the one line. */
const shown = (value: unknown): string => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 40)}...` : json;
};
