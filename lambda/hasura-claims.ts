/**
 * Pure claim logic: from a user's groups and attributes (or an M2M client id) to Hasura's claims.
 * No I/O, no event shapes; the handler adapts Cognito events to these functions.
 */
import { type ClaimsConfig, MAX_HASURA_CLAIM_BYTES } from './claims-config';
import { ClaimsTooLargeError, MissingUserIdError } from './errors';

/** The object Hasura reads under the claims namespace. Every value but the roles is a string. */
export interface HasuraClaims {
  'x-hasura-allowed-roles': string[];
  'x-hasura-default-role': string;
  [sessionVariable: string]: string | string[];
}

/** What Cognito tells the trigger about a user. Only administrator-controlled data. */
export interface CognitoUser {
  /** Cognito sends strings; each value is type-checked where it is read. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The user pool groups the user belongs to (`groupConfiguration.groupsToOverride`). */
  readonly groups: readonly string[];
}

/**
 * Hasura claims for a user: the default role first, then the roles of the user's mapped groups in
 * config order (de-duplicated); the user id; and each configured session variable whose attribute
 * has a value. Throws `MissingUserIdError` rather than issue claims without a user id.
 */
export function buildHasuraClaims(config: ClaimsConfig, user: CognitoUser): HasuraClaims {
  const userId = user.attributes[config.userIdAttribute];
  if (typeof userId !== 'string' || userId.length === 0) throw new MissingUserIdError(config.userIdAttribute);

  const roles = appendGroupRoles(config.groupRoles, user.groups, [config.defaultRole]);
  const claims: HasuraClaims = {
    'x-hasura-allowed-roles': roles,
    'x-hasura-default-role': config.defaultRole,
    'x-hasura-user-id': userId,
  };
  for (const name in config.sessionVariables) {
    const value = user.attributes[config.sessionVariables[name]];
    // Cognito sends attribute values as strings; anything else is not an attribute value.
    if (typeof value === 'string') claims[name] = value;
  }
  return claims;
}

/**
 * Appends to `roles` the Hasura role of each of `groups` that `groupRoles` maps, in config order,
 * skipping roles already there, and returns it. Groups the map does not list give no role. The
 * users CLI and npm start's summary show a user's roles with this same function.
 */
export function appendGroupRoles(groupRoles: Readonly<Record<string, string>>, groups: readonly string[], roles: string[]): string[] {
  // for...in over the frozen config maps: Object.entries here makes the handler several times
  // slower on Node 24 (npm run bench).
  for (const group in groupRoles) {
    if (groups.includes(group)) {
      const role = groupRoles[group];
      if (!roles.includes(role)) roles.push(role);
    }
  }
  return roles;
}

/**
 * Hasura claims for a client-credentials (M2M) token: the client's role as its only allowed and
 * default role, `x-hasura-client-id`, and the client's fixed session variables. `undefined` for a
 * client the config does not list: such a token gets no Hasura claims, so Hasura refuses it.
 */
export function buildMachineClaims(config: ClaimsConfig, clientId: string): HasuraClaims | undefined {
  if (!Object.hasOwn(config.machineClients, clientId)) return undefined;
  const client = config.machineClients[clientId];
  return {
    'x-hasura-allowed-roles': [client.role],
    'x-hasura-default-role': client.role,
    'x-hasura-client-id': clientId,
    ...client.sessionVariables,
  };
}

/**
 * The claims as the namespace claim's value: a JSON string for `stringified_json`, the object
 * itself for `json`. Throws `ClaimsTooLargeError` above MAX_HASURA_CLAIM_BYTES.
 */
export function encodeHasuraClaims(config: ClaimsConfig, claims: HasuraClaims): string | HasuraClaims {
  const json = serializeHasuraClaims(claims);
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so claims under a third of the cap need no count.
  if (json.length * 3 > MAX_HASURA_CLAIM_BYTES) {
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_HASURA_CLAIM_BYTES) throw new ClaimsTooLargeError(MAX_HASURA_CLAIM_BYTES, bytes);
  }
  return config.claimsFormat === 'stringified_json' ? json : claims;
}

/** The claims as JSON: what a `stringified_json` token carries, and what the size cap counts. */
export function serializeHasuraClaims(claims: HasuraClaims): string {
  return JSON.stringify(claims);
}
