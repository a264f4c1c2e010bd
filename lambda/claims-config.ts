/**
 * The claims configuration: the one contract that lambda/, lib/ (CDK) and hasura-config/ agree on.
 *
 * This module has no dependencies, not even on Node built-ins, because it is bundled into the
 * Lambda. The CDK app and the local flow validate the same config with `parseClaimsConfig`, so a
 * config the Lambda would refuse at load already fails `cdk synth` or `npm start`.
 */
import { assertFields, fieldPath, readMap, readOneOf, readString, type StringRule } from './assert';
import { InvalidInputError } from './errors';

export { fieldPath, PROTOTYPE_NAMES } from './assert';

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

/** How the claims are encoded: a JSON string (any event version) or an object (V2/V3 only). */
export const CLAIMS_FORMATS = ['stringified_json', 'json'] as const;
export type ClaimsFormat = (typeof CLAIMS_FORMATS)[number];
/** The tokens a V2/V3 event can put the claims into. */
export const TOKEN_USES = ['access', 'id'] as const;
export type TokenUse = (typeof TOKEN_USES)[number];

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
export const RESERVED_CLAIMS: readonly string[] = [
  'acr',
  'amr',
  'aud',
  'at_hash',
  'auth_time',
  'azp',
  'client_id',
  'cognito:groups',
  'cognito:preferred_role',
  'cognito:roles',
  'cognito:username',
  'device_key',
  'event_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
  'version',
];

/**
 * Every standard (OIDC) user attribute of a Cognito user pool (developer guide, "Standard
 * attributes"), including the two Cognito sets itself on verification. Cognito writes each one a
 * user has into the ID token as a claim of the same name, so none of them can be the namespace.
 */
export const STANDARD_ATTRIBUTES = [
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'updated_at',
  'website',
  'zoneinfo',
] as const;
export type StandardAttribute = (typeof STANDARD_ATTRIBUTES)[number];

/**
 * Session variables this project sets itself, or that Hasura overwrites (`x-hasura-role`) or
 * strips (the secrets). A configured session variable must not use these names.
 */
export const HASURA_RESERVED_SESSION_VARIABLES: readonly string[] = [
  'x-hasura-allowed-roles',
  'x-hasura-default-role',
  'x-hasura-user-id',
  'x-hasura-client-id',
  'x-hasura-role',
  'x-hasura-admin-secret',
  'x-hasura-access-key',
];

/**
 * The config's fields, in the order of `ClaimsConfig`. The compiler keeps the list complete:
 * `satisfies` refuses a name that is not a field, and the parser, which must produce every field,
 * can read only the fields listed here.
 */
const FIELDS = [
  'namespace',
  'claimsFormat',
  'tokenUse',
  'defaultRole',
  'groupRoles',
  'userIdAttribute',
  'sessionVariables',
  'machineClients',
] as const satisfies readonly (keyof ClaimsConfig)[];
export const CLAIMS_CONFIG_FIELDS: readonly (keyof ClaimsConfig)[] = FIELDS;

const MACHINE_CLIENT_FIELDS = ['role', 'sessionVariables'] as const satisfies readonly (keyof MachineClientConfig)[];

// A claim Cognito reserves, or one it fills from a user attribute (standard, custom: or dev:), would
// be Cognito's or the user's: the token without Hasura's claims would still carry a user-written
// value under the namespace. Refused in any case: Cognito's handling of case in claim names is
// undocumented.
const NAMESPACE: StringRule = {
  pattern: /^(?!(?:cognito|custom|dev):)\S(?:.{0,254}\S)?$/is,
  expected: 'a claim name of 1-256 characters that Cognito neither reserves nor fills from a user attribute',
  reserved: [...RESERVED_CLAIMS, ...STANDARD_ATTRIBUTES],
};
// Hasura accepts any non-empty text as a role; surrounding spaces are never what was meant.
const ROLE: StringRule = { pattern: /^\S(?:.{0,126}\S)?$/s, expected: 'a role name of 1-128 characters without surrounding spaces' };
// Cognito's pattern for group and attribute names is [\p{L}\p{M}\p{S}\p{N}\p{P}]+: in effect no
// spaces or control characters (\0-\x1f, \x7f-\x9f: the set \p{Cc} names). Spelled as ranges: \p{Cc}
// needs the u flag, under which {1,128} counts code points rather than UTF-16 units and so accepts
// longer names, and its first use costs 0.5-1 ms of a fresh load (npm run bench).
const GROUP: StringRule = {
  pattern: /^[^\s\0-\x1f\x7f-\x9f]{1,128}$/,
  expected: 'a Cognito group name of 1-128 characters without spaces',
};
const ATTRIBUTE: StringRule = {
  pattern: /^[^\s\0-\x1f\x7f-\x9f]{1,32}$/,
  expected: 'a user attribute name such as "sub" or "custom:org_id"',
};
// Hasura lower-cases session variable names; the canonical form avoids two names differing in case.
const SESSION_VARIABLE: StringRule = {
  pattern: /^x-hasura-[a-z0-9][a-z0-9_-]*$/,
  expected: 'a lower-case "x-hasura-*" name that this project does not set itself',
  reserved: HASURA_RESERVED_SESSION_VARIABLES,
};
const CLIENT_ID: StringRule = { pattern: /^[\w+]{1,128}$/, expected: 'an app client id' };
const SESSION_VALUE: StringRule = { pattern: /^.{0,2048}$/s, expected: 'a string of at most 2048 characters' };

const readRole = (value: unknown, path: string) => readString(value, path, ROLE);
const readAttribute = (value: unknown, path: string) => readString(value, path, ATTRIBUTE);
const readSessionValue = (value: unknown, path: string) => readString(value, path, SESSION_VALUE);

/**
 * Validates a claims config and applies the defaults. Throws `InvalidInputError` naming the first
 * invalid field; never returns a partly applied config. The result is deeply frozen.
 *
 * @param input the config object (`undefined` or `null` means all defaults)
 * @param source how to name the config in error messages, e.g. `hasuraCognito` for cdk.json
 */
export function parseClaimsConfig(input: unknown, source: string = CLAIMS_CONFIG_ENV): ClaimsConfig {
  const config = input ?? {};
  assertFields(config, source, FIELDS);
  const at = (field: string) => fieldPath(source, field);
  return Object.freeze({
    namespace: readString(config.namespace, at('namespace'), NAMESPACE, DEFAULT_CLAIMS_NAMESPACE),
    claimsFormat: readOneOf(config.claimsFormat, at('claimsFormat'), CLAIMS_FORMATS, 'stringified_json'),
    tokenUse: readOneOf(config.tokenUse, at('tokenUse'), TOKEN_USES, 'access'),
    defaultRole: readString(config.defaultRole, at('defaultRole'), ROLE, 'user'),
    groupRoles: readMap(config.groupRoles, at('groupRoles'), GROUP, readRole),
    userIdAttribute: readString(config.userIdAttribute, at('userIdAttribute'), ATTRIBUTE, 'sub'),
    sessionVariables: readMap(config.sessionVariables, at('sessionVariables'), SESSION_VARIABLE, readAttribute),
    machineClients: readMap(config.machineClients, at('machineClients'), CLIENT_ID, readMachineClient),
  });
}

function readMachineClient(client: unknown, path: string): MachineClientConfig {
  assertFields(client, path, MACHINE_CLIENT_FIELDS);
  const at = (field: string) => fieldPath(path, field);
  return Object.freeze({
    role: readRole(client.role, at('role')),
    sessionVariables: readMap(client.sessionVariables, at('sessionVariables'), SESSION_VARIABLE, readSessionValue),
  });
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
