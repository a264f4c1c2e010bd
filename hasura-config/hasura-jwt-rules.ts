/**
 * Hasura GraphQL Engine v2's JWT rules as pure functions, reconstructed from
 * Hasura's source in the project's reference notes, hasura-jwt.md (section numbers refer to it). No signature checking
 * and no I/O here: the caller runs the steps in Hasura's order (evaluate-token.ts):
 *
 *   Authorization header (4.3) -> issuer pre-match on the unverified payload (4.4)
 *   -> compact decode and claims-set types (4.5.1-3) -> signature (4.5.4, caller)
 *   -> exp/iat/nbf/iss/aud (4.5.5) -> claims location and format (5) -> role claims (4.7)
 *   -> role selection (4.8) -> session variables (4.9).
 *
 * Error codes and Hasura's own message texts are exact. Texts Hasura takes from aeson or jose
 * internals (the detail after `JSONDecodeError`, `JWTClaimsSetDecodeError` or base64 errors) are
 * best effort, as the reference says.
 */
import { type ClaimsFormat, DEFAULT_CLAIMS_NAMESPACE } from '../lambda/claims-config';

export type HasuraErrorCode = 'invalid-headers' | 'invalid-jwt' | 'jwt-invalid-claims' | 'jwt-missing-role-claims' | 'access-denied';

/** What Hasura answers when it refuses the request (`extensions.code` and `message`). */
export interface HasuraRejection {
  readonly ok: false;
  readonly code: HasuraErrorCode;
  readonly message: string;
}

/** What Hasura runs the request as. `sessionVariables` includes `x-hasura-role`; keys are lower case. */
export interface HasuraSession {
  readonly ok: true;
  readonly role: string;
  readonly sessionVariables: Readonly<Record<string, string>>;
}

export type HasuraOutcome = HasuraSession | HasuraRejection;

/** The fields of HASURA_GRAPHQL_JWT_SECRET these rules read (a HasuraJwtSecret fits). */
export interface HasuraJwtRulesConfig {
  readonly claims_namespace?: string;
  readonly claims_format?: ClaimsFormat;
  readonly issuer?: string;
  readonly audience?: string | readonly string[];
  readonly allowed_skew?: number;
}

export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

/** Claims jose registers; every other top-level claim is "unregistered" (section 5.1). */
export const REGISTERED_CLAIMS: ReadonlySet<string> = new Set(['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub']);

/** Algorithms jose can decode in a JWS header; anything else fails header decoding (section 2). */
const JOSE_ALGORITHMS: ReadonlySet<string> = new Set([
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'ES256K',
  'EdDSA',
  'none',
]);

export function reject(code: HasuraErrorCode, message: string): HasuraRejection {
  return { ok: false, code, message };
}

const verifyFailure = (detail: string) => reject('invalid-jwt', `Could not verify JWT: ${detail}`);

/** Step 3: `Authorization` must be exactly the two words `Bearer <jwt>` (case-sensitive `Bearer`). */
export function tokenFromAuthorizationHeader(value: string): string | HasuraRejection {
  const words = value.split(/[ \t\n\r\f\v]+/).filter((word) => word !== '');
  if (words.length !== 2 || words[0] !== 'Bearer') return reject('invalid-headers', 'Malformed Authorization header');
  return words[1];
}

/** The `iss` of the unverified payload, as Hasura's `tokenIssuer` reads it; undefined if unreadable. */
export function unverifiedIssuer(token: string): string | undefined {
  const iss = unverifiedPayload(token)?.iss;
  return typeof iss === 'string' ? iss : undefined;
}

/** The second dot-separated part decoded as a JSON object, without any check; undefined if unreadable. */
export function unverifiedPayload(token: string): JsonObject | undefined {
  const parts = token.split('.');
  return parts.length < 2 ? undefined : parseJsonObject(decodeBase64Url(parts[1]));
}

/** Step 4: a configured issuer that differs from the token's (unverified) `iss` fails before any verification. */
export function issuerPreMatch(token: string, config: HasuraJwtRulesConfig): HasuraRejection | undefined {
  const iss = unverifiedIssuer(token);
  if (config.issuer === undefined || iss === undefined || iss === config.issuer) return undefined;
  return verifyFailure('JWTNotInIssuer');
}

/** Steps 5.1-5.3: compact form, header, and the claims-set types, before the signature. */
export function decodeJwt(token: string): DecodedJwt | HasuraRejection {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return verifyFailure(`JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got ${parts.length})`);
  }
  const [headerText, payloadText, signatureText] = parts.map(decodeBase64Url);
  if (headerText === undefined || payloadText === undefined || signatureText === undefined) {
    return verifyFailure('JWSError (CompactDecodeError Invalid base64url)');
  }
  const header = parseJsonObject(headerText);
  if (header === undefined) return verifyFailure('JWSError (JSONDecodeError "Error in $: the JWS header is not a JSON object")');
  if (typeof header.alg !== 'string') return verifyFailure('JWSError (JSONDecodeError "Error in $: key \\"alg\\" not found")');
  if (!JOSE_ALGORITHMS.has(header.alg))
    return verifyFailure(`JWSError (JSONDecodeError "Error in $.alg: unrecognized value ${header.alg}")`);
  if (header.crit !== undefined) return verifyFailure('JWSError (JSONDecodeError "Error in $.crit: unsupported critical header")');
  const payload = parseJsonObject(payloadText);
  if (payload === undefined) return verifyFailure('JWTClaimsSetDecodeError "Error in $: the claims set is not a JSON object"');
  const typeError = claimsSetTypeError(payload);
  if (typeError !== undefined) return verifyFailure(`JWTClaimsSetDecodeError "${typeError}"`);
  return { header, payload };
}

/** jose's ClaimsSet parser: registered claims have fixed types; `null` means absent. */
function claimsSetTypeError(payload: JsonObject): string | undefined {
  const checkStringOrUri = (value: unknown, path: string): string | undefined => {
    if (typeof value !== 'string')
      return `Error in ${path}: parsing StringOrURI failed, expected String, but encountered ${aesonType(value)}`;
    if (value.includes(':') && !isUri(value)) return `Error in ${path}: not a URI: ${value}`;
    return undefined;
  };
  for (const claim of ['iss', 'sub'] as const) {
    const value = payload[claim];
    if (value !== undefined && value !== null) {
      const error = checkStringOrUri(value, `$.${claim}`);
      if (error !== undefined) return error;
    }
  }
  const aud = payload.aud;
  if (aud !== undefined && aud !== null) {
    if (Array.isArray(aud)) {
      for (let i = 0; i < aud.length; i++) {
        const error = checkStringOrUri(aud[i], `$.aud[${i}]`);
        if (error !== undefined) return error;
      }
    } else {
      const error = checkStringOrUri(aud, '$.aud');
      if (error !== undefined) return error;
    }
  }
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = payload[claim];
    if (value !== undefined && value !== null && typeof value !== 'number') {
      return `Error in $.${claim}: parsing NumericDate failed, expected Number, but encountered ${aesonType(value)}`;
    }
  }
  if (payload.jti !== undefined && payload.jti !== null && typeof payload.jti !== 'string') {
    return `Error in $.jti: parsing Text failed, expected String, but encountered ${aesonType(payload.jti)}`;
  }
  return undefined;
}

/** RFC 3986 absolute URI (what network-uri's parseURI accepts, approximately). */
function isUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/.test(value);
}

/** Step 5.5: jose's validateClaimsSet, in its order, with skew = |allowed_skew|. `now` in seconds. */
export function validateClaimsSet(payload: JsonObject, config: HasuraJwtRulesConfig, now: number): HasuraRejection | undefined {
  const skew = Math.abs(config.allowed_skew ?? 0);
  const numeric = (claim: string) => (typeof payload[claim] === 'number' ? (payload[claim] as number) : undefined);
  const exp = numeric('exp');
  if (exp !== undefined && !(now < exp + skew)) return verifyFailure('JWTExpired');
  const iat = numeric('iat');
  if (iat !== undefined && iat > now + skew) return verifyFailure('JWTIssuedAtFuture');
  const nbf = numeric('nbf');
  if (nbf !== undefined && !(now >= nbf - skew)) return verifyFailure('JWTNotYetValid');
  const iss = payload.iss;
  if (config.issuer !== undefined && typeof iss === 'string' && iss !== config.issuer) return verifyFailure('JWTNotInIssuer');
  const aud = payload.aud;
  if (aud !== undefined && aud !== null) {
    const audiences = Array.isArray(aud) ? aud : [aud];
    const configured =
      config.audience === undefined ? undefined : typeof config.audience === 'string' ? [config.audience] : config.audience;
    // `or []` is False: an empty aud array fails even with no audience configured.
    if (!audiences.some((value) => configured === undefined || configured.includes(value as string)))
      return verifyFailure('JWTNotInAudience');
  }
  return undefined;
}

/** Steps 6-9: locate and decode the claims, check the role claims, pick the role, build the session. */
export function sessionFromClaims(payload: JsonObject, config: HasuraJwtRulesConfig, roleHeader: string | undefined): HasuraOutcome {
  const namespace = config.claims_namespace ?? DEFAULT_CLAIMS_NAMESPACE;
  const format = config.claims_format ?? 'json';

  // 5.1: only unregistered claims are searched.
  if (REGISTERED_CLAIMS.has(namespace) || !Object.hasOwn(payload, namespace)) {
    return reject('jwt-invalid-claims', `claims key: '${namespace}' not found`);
  }
  const located = payload[namespace];

  // 5.3: the claims format.
  let claimsObject: JsonObject;
  if (format === 'json') {
    if (!isJsonObject(located)) return reject('jwt-invalid-claims', 'expecting a json object when claims_format is json');
    claimsObject = located;
  } else {
    if (typeof located !== 'string') return reject('jwt-invalid-claims', 'expecting a string when claims_format is stringified_json');
    const decoded = parseJsonObject(located);
    if (decoded === undefined) {
      return reject('jwt-invalid-claims', `expecting stringified json at: 'claims_namespace ${namespace}', but found: ${located}`);
    }
    claimsObject = decoded;
  }

  // Only x-hasura-* keys survive, lower-cased; on a case clash the key sorting last wins.
  const claims = new Map<string, unknown>();
  for (const key of Object.keys(claimsObject).sort(compareCodeUnits)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('x-hasura-')) claims.set(lower, claimsObject[key]);
  }

  // 4.7: allowed roles, then default role.
  if (!claims.has('x-hasura-allowed-roles')) return reject('jwt-missing-role-claims', 'JWT claim does not contain x-hasura-allowed-roles');
  const allowedRoles = claims.get('x-hasura-allowed-roles');
  if (!Array.isArray(allowedRoles)) {
    return reject(
      'jwt-invalid-claims',
      `invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered ${aesonType(allowedRoles)}`,
    );
  }
  for (const role of allowedRoles) {
    const problem = roleNameProblem(role);
    if (problem !== undefined) return reject('jwt-invalid-claims', `invalid x-hasura-allowed-roles; should be a list of roles: ${problem}`);
  }
  if (!claims.has('x-hasura-default-role')) return reject('jwt-missing-role-claims', 'JWT claim does not contain x-hasura-default-role');
  const defaultRole = claims.get('x-hasura-default-role');
  const defaultProblem = roleNameProblem(defaultRole);
  if (defaultProblem !== undefined) {
    return reject('jwt-invalid-claims', `invalid x-hasura-default-role; should be a single role name: ${defaultProblem}`);
  }

  // 4.8: the x-hasura-role header if non-empty, else the default role; it must be allowed.
  const role = roleHeader !== undefined && roleHeader !== '' ? roleHeader : (defaultRole as string);
  if (!(allowedRoles as string[]).includes(role)) return reject('access-denied', 'Your requested role is not in allowed roles');

  // 4.9: every other x-hasura-* claim must be a JSON string; nothing is coerced.
  claims.delete('x-hasura-allowed-roles');
  claims.delete('x-hasura-default-role');
  const sessionVariables: Record<string, string> = {};
  for (const [name, value] of claims) {
    if (typeof value !== 'string') {
      return reject('jwt-invalid-claims', `x-hasura-* claims: parsing Text failed, expected String, but encountered ${aesonType(value)}`);
    }
    sessionVariables[name] = value;
  }
  delete sessionVariables['x-hasura-admin-secret'];
  delete sessionVariables['x-hasura-access-key'];
  sessionVariables['x-hasura-role'] = role;
  const sorted = Object.fromEntries(
    Object.keys(sessionVariables)
      .sort(compareCodeUnits)
      .map((key) => [key, sessionVariables[key]]),
  );
  return { ok: true, role, sessionVariables: sorted };
}

/**
 * Everything after the signature check (5.5 to 9), for a payload whose signature is valid:
 * the pure core of check-token, testable with plain payloads.
 */
export function applyHasuraRules(input: {
  readonly payload: JsonObject;
  readonly config: HasuraJwtRulesConfig;
  readonly roleHeader?: string;
  /** Seconds since the epoch. */
  readonly now: number;
}): HasuraOutcome {
  return validateClaimsSet(input.payload, input.config, input.now) ?? sessionFromClaims(input.payload, input.config, input.roleHeader);
}

/** A role is Hasura's NonEmptyText: any non-empty string (whitespace-only too). */
function roleNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `parsing String failed, expected String, but encountered ${aesonType(value)}`;
  if (value === '') return 'empty string not allowed';
  return undefined;
}

/** The JSON type names aeson prints in its errors. */
export function aesonType(value: unknown): string {
  if (value === null || value === undefined) return 'Null';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'number':
      return 'Number';
    case 'boolean':
      return 'Boolean';
    default:
      return 'Object';
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Base64url without padding (jose's decodeUnpadded); undefined when not valid. */
export function decodeBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url').toString('utf8');
}

function parseJsonObject(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
