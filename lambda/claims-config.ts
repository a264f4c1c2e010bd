/**
 * The claims configuration: the one contract that lambda/, lib/ (CDK) and hasura-config/ agree on.
 *
 * This module has no dependencies, not even on Node built-ins, because it is bundled into the
 * Lambda. The CDK app and the local flow validate the same config with `parseClaimsConfig`, so a
 * config the Lambda would refuse at load already fails `cdk synth` or `npm start`.
 */
import { InvalidInputError } from './errors';

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
export const RESERVED_CLAIMS: readonly string[] = (
  'acr amr aud at_hash auth_time azp client_id cognito:groups cognito:preferred_role cognito:roles ' +
  'cognito:username device_key event_id exp iat identities iss jti nbf nonce origin_jti scope sub ' +
  'token_use username version'
).split(' ');

/**
 * Every standard (OIDC) user attribute of a Cognito user pool (developer guide, "Standard
 * attributes"), including the two Cognito sets itself on verification. Cognito writes each one a
 * user has into the ID token as a claim of the same name, so none of them can be the namespace.
 */
export const STANDARD_ATTRIBUTES = [
  'address', 'birthdate', 'email', 'email_verified', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
  'nickname', 'phone_number', 'phone_number_verified', 'picture', 'preferred_username', 'profile', 'sub', 'updated_at', 'website', 'zoneinfo',
] as const;
export type StandardAttribute = (typeof STANDARD_ATTRIBUTES)[number];

/**
 * Session variables this project sets itself, or that Hasura overwrites (`x-hasura-role`) or
 * strips (the secrets). A configured session variable must not use these names.
 */
export const HASURA_RESERVED_SESSION_VARIABLES: readonly string[] = (
  'x-hasura-allowed-roles x-hasura-default-role x-hasura-user-id x-hasura-client-id x-hasura-role ' +
  'x-hasura-admin-secret x-hasura-access-key'
).split(' ');

/*
 * The parser is a schema, written as plain data, and one small function that walks it. The Lambda
 * runs it on every cold start, where each function V8 has to compile counts (about 10 µs each on
 * a small machine): data costs nothing until it is read, and only the patterns a config needs are
 * ever compiled.
 */

/**
 * A string: the pattern it must match, names it must not be in any case (lower-case names), and how
 * an error message says so.
 */
type TextRule = readonly [pattern: RegExp, expected: string, reserved?: readonly string[]];
/** A map: every key must pass `keys`, every value `values`. */
interface MapSchema {
  readonly keys: TextRule;
  readonly values: Schema;
}
/** An object with exactly these fields, each with its schema and its default (none: required). */
interface StructSchema {
  readonly fields: { readonly [name: string]: readonly [schema: Schema, fallback?: unknown] };
}
type Schema = TextRule | MapSchema | StructSchema;

// Hasura accepts any non-empty text as a role; surrounding spaces are never what was meant.
const ROLE: TextRule = [/^\S(?:[^]{0,126}\S)?$/, 'a role name of 1-128 characters without surrounding spaces'];
// Cognito's pattern for group and attribute names is [\p{L}\p{M}\p{S}\p{N}\p{P}]+: in effect no
// spaces or control characters. Spelled without Unicode property escapes, which cost V8 over a
// millisecond to compile.
// eslint-disable-next-line no-control-regex
const GROUP: TextRule = [/^[^\s\0-\x1f\x7f-\x9f]{1,128}$/, 'a Cognito group name of 1-128 characters without spaces'];
// eslint-disable-next-line no-control-regex
const ATTRIBUTE: TextRule = [/^[^\s\0-\x1f\x7f-\x9f]{1,32}$/, 'a user attribute name such as "sub" or "custom:org_id"'];
// Hasura lower-cases session variable names; the canonical form avoids two names differing in case.
const SESSION_VARIABLE: TextRule = [
  /^x-hasura-[a-z0-9][a-z0-9_-]*$/,
  'a lower-case "x-hasura-*" name that this project does not set itself',
  HASURA_RESERVED_SESSION_VARIABLES,
];

/**
 * Keys no map may have. Written into a plain object, "__proto__" sets its prototype instead of an
 * entry, and "constructor" or "prototype" read back inherited values where an entry is missing:
 * whatever later handles the config by key (the construct, a user's code) would lose or confuse them.
 */
export const PROTOTYPE_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The default of every map: one object shared by every config, so frozen. */
const NONE: Readonly<Record<string, never>> = Object.freeze({});

const CLAIMS_CONFIG_SCHEMA = {
  fields: {
    namespace: [
      // A claim Cognito reserves, or one it fills from a user attribute (standard, custom: or dev:),
      // would be Cognito's or the user's: the token without Hasura's claims would still carry a
      // user-written value under the namespace. Refused in any case: Cognito's handling of case
      // in claim names is undocumented.
      [
        /^(?!(?:cognito|custom|dev):)\S(?:[^]{0,254}\S)?$/i,
        'a claim name of 1-256 characters that Cognito neither reserves nor fills from a user attribute',
        RESERVED_CLAIMS.concat(STANDARD_ATTRIBUTES),
      ],
      DEFAULT_CLAIMS_NAMESPACE,
    ],
    claimsFormat: [[/^(?:stringified_json|json)$/, '"stringified_json" or "json"'], 'stringified_json'],
    tokenUse: [[/^(?:access|id)$/, '"access" or "id"'], 'access'],
    defaultRole: [ROLE, 'user'],
    groupRoles: [{ keys: GROUP, values: ROLE }, NONE],
    userIdAttribute: [ATTRIBUTE, 'sub'],
    sessionVariables: [{ keys: SESSION_VARIABLE, values: ATTRIBUTE }, NONE],
    machineClients: [
      {
        keys: [/^[\w+]{1,128}$/, 'an app client id'],
        values: {
          fields: {
            role: [ROLE],
            sessionVariables: [{ keys: SESSION_VARIABLE, values: [/^[^]{0,2048}$/, 'a string of at most 2048 characters'] }, NONE],
          } satisfies { [K in keyof MachineClientConfig]: readonly [Schema, MachineClientConfig[K]?] },
        },
      },
      NONE,
    ],
  } satisfies { [K in keyof ClaimsConfig]: readonly [Schema, ClaimsConfig[K]] },
} satisfies StructSchema;

/** The config's fields, in the order of `ClaimsConfig` (a unit test holds this list to the schema). */
export const CLAIMS_CONFIG_FIELDS: readonly (keyof ClaimsConfig)[] = [
  'namespace', 'claimsFormat', 'tokenUse', 'defaultRole', 'groupRoles', 'userIdAttribute', 'sessionVariables', 'machineClients',
];

/**
 * Reads `value` as `schema` says: the value itself, or a frozen copy of an object. Throws
 * `ClaimsConfigError` naming the first value that does not pass. A path is the config's name and
 * the keys down to the value; it becomes text only in an error message.
 */
function read(value: unknown, path: readonly string[], schema: Schema): unknown {
  // Indexes and counted loops rather than destructuring, for-of or spread: those compile to V8's
  // iterator protocol, which makes this function measurably slower to compile on a cold start.
  if (Array.isArray(schema)) {
    const rule = schema as TextRule;
    return typeof value === 'string' && rule[0].test(value) && !rule[2]?.includes(value.toLowerCase()) ? value : fail(path, rule[1], value);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'an object', value);
  const object = value as Record<string, unknown>;
  const names = Object.keys(object);
  const entries: [string, unknown][] = [];
  // Array.isArray does not narrow a readonly tuple out of the union, hence the cast.
  const shape = schema as MapSchema | StructSchema;
  if ('keys' in shape) {
    for (let i = 0; i < names.length; i++) {
      const at = path.concat(names[i]);
      if (PROTOTYPE_NAMES.includes(names[i])) fail(at, `${shape.keys[1]}, not "__proto__", "constructor" or "prototype"`, names[i]);
      entries.push([read(names[i], at, shape.keys) as string, read(object[names[i]], at, shape.values)]);
    }
  } else {
    const fields = shape.fields;
    for (let i = 0; i < names.length; i++) {
      if (!Object.hasOwn(fields, names[i])) {
        throw new InvalidInputError(path.concat(names[i]).reduce(fieldPath), `one of ${Object.keys(fields).join(', ')}`, 'an unknown field');
      }
    }
    for (const name in fields) {
      const field = fields[name];
      const entry = object[name];
      entries.push([name, entry === undefined && field[1] !== undefined ? field[1] : read(entry, path.concat(name), field[0])]);
    }
  }
  // Object.fromEntries defines own properties, so a key such as "__proto__" stays data.
  return Object.freeze(Object.fromEntries(entries));
}

function fail(path: readonly string[], expected: string, found: unknown): never {
  const text = found === undefined ? 'nothing' : JSON.stringify(found);
  throw new InvalidInputError(path.reduce(fieldPath), expected, text.length > 64 ? `${text.slice(0, 61)}...` : text);
}

/**
 * Validates a claims config and applies the defaults. Throws `ClaimsConfigError` naming the first
 * invalid field; never returns a partly applied config. The result is deeply frozen.
 *
 * @param input the config object (`undefined` or `null` means all defaults)
 * @param source how to name the config in error messages, e.g. `hasuraCognito` for cdk.json
 */
export function parseClaimsConfig(input: unknown, source: string = CLAIMS_CONFIG_ENV): ClaimsConfig {
  return read(input ?? {}, [source], CLAIMS_CONFIG_SCHEMA) as ClaimsConfig;
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
    throw new InvalidInputError(source, 'a JSON object', 'text that is not JSON');
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
