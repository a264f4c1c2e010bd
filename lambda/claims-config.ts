/**
 * The claims configuration: the one contract that lambda/, lib/ (CDK) and hasura-config/ agree on.
 *
 * This module has no dependencies, not even on Node built-ins, because it is bundled into the
 * Lambda. The CDK app and the local flow validate the same config with `parseClaimsConfig`, so a
 * config the Lambda would refuse at load already fails `cdk synth` or `npm start`.
 */
import { ClaimsConfigError } from './errors';

/** Hasura's default `claims_namespace`. */
export const DEFAULT_CLAIMS_NAMESPACE = 'https://hasura.io/jwt/claims';

/** The Lambda environment variable that carries the JSON claims config. */
export const CLAIMS_CONFIG_ENV = 'HASURA_CLAIMS_CONFIG';

/**
 * Upper bound on the encoded Hasura claim, in UTF-8 bytes. Tokens travel in an HTTP header;
 * proxies commonly cap a header section at 8 KiB, and a Cognito ID token is already about 1 KiB
 * before any custom claim. 4 KiB leaves room for hundreds of roles while keeping the token usable.
 */
export const MAX_HASURA_CLAIM_BYTES = 4096;

export type ClaimsFormat = 'stringified_json' | 'json';
export type TokenUse = 'access' | 'id';

export const CLAIMS_FORMATS: readonly ClaimsFormat[] = ['stringified_json', 'json'];
export const TOKEN_USES: readonly TokenUse[] = ['access', 'id'];

/** A client-credentials (M2M) app client and the Hasura identity its tokens carry. */
export interface MachineClientConfig {
  /** The client's only Hasura role (also its default role). */
  readonly role: string;
  /** Fixed `x-hasura-*` session variables for this client: name -> literal value. */
  readonly sessionVariables: Readonly<Record<string, string>>;
}

/** A validated claims config with every default applied. Produced only by `parseClaimsConfig`. */
export interface ClaimsConfig {
  /** Top-level claim that holds the Hasura claims (Hasura's `claims_namespace`). */
  readonly namespace: string;
  /** How the claims are encoded: a JSON string (any event version) or an object (V2/V3 only). */
  readonly claimsFormat: ClaimsFormat;
  /** On V2/V3 events, the one token that carries the claims. V1 events only change the ID token. */
  readonly tokenUse: TokenUse;
  /** Every signed-in user's default role, and always one of their allowed roles. */
  readonly defaultRole: string;
  /** Cognito group name -> Hasura role. Groups not listed here never become roles. */
  readonly groupRoles: Readonly<Record<string, string>>;
  /** User attribute that becomes `x-hasura-user-id`. */
  readonly userIdAttribute: string;
  /** `x-hasura-*` session variable -> user attribute it is read from. */
  readonly sessionVariables: Readonly<Record<string, string>>;
  /** App client id -> its M2M identity (V3 `TokenGeneration_ClientCredentials` events). */
  readonly machineClients: Readonly<Record<string, MachineClientConfig>>;
}

/** What a person writes: every field optional. */
export type ClaimsConfigInput = {
  -readonly [K in keyof ClaimsConfig]?: K extends 'machineClients'
    ? Record<string, { role: string; sessionVariables?: Record<string, string> }>
    : ClaimsConfig[K] extends Readonly<Record<string, string>>
      ? Record<string, string>
      : ClaimsConfig[K];
};

/**
 * Claims Cognito never lets a trigger add or change (Cognito developer guide, "Claims and scopes
 * reference"), plus the group claims it only changes through group overrides. `aud` may be added
 * to an access token with the app client id as its value; only the handler does that.
 */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set(
  ('acr amr aud at_hash auth_time azp client_id cognito:groups cognito:preferred_role cognito:roles ' +
    'cognito:username device_key event_id exp iat identities iss jti nbf nonce origin_jti scope sub ' +
    'token_use username version').split(' '),
);
/** A new claim with one of these prefixes would clobber Cognito's or a user attribute's claim. */
export const RESERVED_CLAIM_PREFIX = /^(cognito|custom|dev):/;

/**
 * Session variables this project sets itself, or that Hasura overwrites (`x-hasura-role`) or
 * strips (the secrets). A configured session variable must not use these names.
 */
export const HASURA_RESERVED_SESSION_VARIABLES: ReadonlySet<string> = new Set(
  ['allowed-roles', 'default-role', 'user-id', 'client-id', 'role', 'admin-secret', 'access-key'].map((n) => `x-hasura-${n}`),
);

/**
 * Reads the value at `key` of the object at path `parent` (no key: the value is that object), or
 * throws `ClaimsConfigError` naming the path. Paths are built only to report an error or to descend
 * into a nested object, so a valid config costs no string building.
 */
type Read<T> = (value: unknown, parent: string, key?: string) => T;
/** A struct field: its reader and its default; a field without a default is required. */
type Field<T> = readonly [read: Read<T>, fallback?: T];

const pathOf = (parent: string, key?: string) => (key === undefined ? parent : fieldPath(parent, key));

const fail = (parent: string, key: string | undefined, expected: string, value: unknown): never => {
  const found = value === undefined ? 'nothing' : JSON.stringify(value);
  throw new ClaimsConfigError(pathOf(parent, key), expected, found.length > 64 ? `${found.slice(0, 61)}...` : found);
};

const text = (test: (s: string) => boolean, expected: string): Read<string> => (value, parent, key) =>
  typeof value === 'string' && test(value) ? value : fail(parent, key, expected, value);

// Hasura accepts any non-empty text as a role; surrounding spaces are never what was meant.
const plain = (s: string, max: number) => s.length > 0 && s.length <= max && s.trim() === s;
// Cognito's pattern for group and attribute names, [\p{L}\p{M}\p{S}\p{N}\p{P}]+, in effect: no
// spaces or control characters. Spelled without Unicode property escapes, which cost V8 over a
// millisecond to compile on every cold start.
// eslint-disable-next-line no-control-regex
const cognitoName = (s: string, max: number) => s.length <= max && /^[^\s\u0000-\u001f\u007f-\u009f]+$/.test(s);

const oneOf = <T extends string>(allowed: readonly T[]) =>
  text((s) => (allowed as readonly string[]).includes(s), allowed.map((a) => `"${a}"`).join(' or ')) as Read<T>;

const readRole = text((s) => plain(s, 128), 'a role name of 1-128 characters without surrounding spaces');
const readAttribute = text((s) => cognitoName(s, 32), 'a user attribute name such as "sub" or "custom:org_id"');
// Hasura lower-cases session variable names; the canonical form avoids two names differing in case.
const readSessionVariable = text(
  (s) => /^x-hasura-[a-z0-9][a-z0-9_-]*$/.test(s) && !HASURA_RESERVED_SESSION_VARIABLES.has(s),
  'a lower-case "x-hasura-*" name that this project does not set itself',
);

const readObject = (value: unknown, parent: string, key?: string): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(parent, key, 'an object', value);

const record = <T>(readKey: Read<string>, readValue: Read<T>): Read<Record<string, T>> => (value, parent, key) => {
  const object = readObject(value, parent, key);
  const at = pathOf(parent, key);
  // Object.fromEntries defines own properties, so a key such as "__proto__" stays data.
  return Object.fromEntries(Object.entries(object).map(([k, entry]) => [readKey(k, at, k), readValue(entry, at, k)]));
};

const struct = <T>(fields: { [K in keyof T]: Field<T[K]> }): Read<T> => (value, parent, key) => {
  const object = readObject(value, parent, key);
  const at = pathOf(parent, key);
  for (const k of Object.keys(object)) {
    if (!Object.hasOwn(fields, k)) throw new ClaimsConfigError(fieldPath(at, k), `one of ${Object.keys(fields).join(', ')}`, 'an unknown field');
  }
  const result = {} as T;
  for (const k in fields) {
    const [read, fallback] = fields[k];
    const entry = object[k];
    result[k] = entry === undefined && fallback !== undefined ? fallback : read(entry, at, k);
  }
  return result;
};

const readMachineClient = struct<MachineClientConfig>({
  role: [readRole],
  sessionVariables: [record(readSessionVariable, text((s) => s.length <= 2048, 'a string of at most 2048 characters')), {}],
});

const readClaimsConfig = struct<ClaimsConfig>({
  namespace: [
    text((s) => plain(s, 256) && !RESERVED_CLAIMS.has(s) && !RESERVED_CLAIM_PREFIX.test(s), 'a claim name of 1-256 characters that Cognito does not reserve'),
    DEFAULT_CLAIMS_NAMESPACE,
  ],
  claimsFormat: [oneOf(CLAIMS_FORMATS), 'stringified_json'],
  tokenUse: [oneOf(TOKEN_USES), 'access'],
  defaultRole: [readRole, 'user'],
  groupRoles: [record(text((s) => cognitoName(s, 128), 'a Cognito group name of 1-128 characters without spaces'), readRole), {}],
  userIdAttribute: [readAttribute, 'sub'],
  sessionVariables: [record(readSessionVariable, readAttribute), {}],
  machineClients: [record(text((s) => s.length <= 128 && /^[\w+]+$/.test(s), 'an app client id'), readMachineClient), {}],
});

/** The config's fields, in the order of `ClaimsConfig` (a unit test holds this list to the schema). */
export const CLAIMS_CONFIG_FIELDS: readonly (keyof ClaimsConfig)[] = [
  'namespace', 'claimsFormat', 'tokenUse', 'defaultRole', 'groupRoles', 'userIdAttribute', 'sessionVariables', 'machineClients',
];

/**
 * Validates a claims config and applies the defaults. Throws `ClaimsConfigError` naming the first
 * invalid field; never returns a partly applied config. The result is deeply frozen.
 *
 * @param input the config object (`undefined` or `null` means all defaults)
 * @param source how to name the config in error messages, e.g. `hasuraCognito` for cdk.json
 */
export function parseClaimsConfig(input: unknown, source: string = CLAIMS_CONFIG_ENV): ClaimsConfig {
  return deepFreeze(readClaimsConfig(input ?? {}, source));
}

/**
 * Parses the JSON text of a claims config (the Lambda's `HASURA_CLAIMS_CONFIG`). An unset or
 * empty variable means all defaults.
 */
export function parseClaimsConfigJson(json: string | undefined, source: string = CLAIMS_CONFIG_ENV): ClaimsConfig {
  let value: unknown;
  try {
    value = json?.trim() ? JSON.parse(json) : {};
  } catch {
    throw new ClaimsConfigError(source, 'a JSON object', 'text that is not JSON');
  }
  return parseClaimsConfig(value, source);
}

/** The JSON the Lambda reads back with `parseClaimsConfigJson` (what the CDK app puts in its environment). */
export function serializeClaimsConfig(config: ClaimsConfig): string {
  return JSON.stringify(config);
}

/** `base.key`, or `base["key"]` when the key is not a plain identifier. */
export function fieldPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
