/**
 * The value of HASURA_GRAPHQL_JWT_SECRET for a Cognito user pool: the one definition of its shape,
 * shared by the CDK construct (lib/) and the CLIs built on this library (hasura-config/). CDK-free,
 * so the CLIs load it without aws-cdk-lib.
 *
 * One function builds it for the CDK stack's `HasuraJwtSecret` output (where region, pool id and
 * client ids are CloudFormation tokens), for the generator given explicit ids and for the local
 * flow, so all of them produce the same JSON. It validates nothing: callers validate their inputs
 * first (tokens would not pass a format check). One function parses a secret back (the stack's
 * output, read by the CLIs) and refuses anything the builder would not have written.
 */
import { isIP } from 'node:net';
import { type ClaimsFormat, parseClaimsConfig } from '../lambda/claims-config';
import { InvalidInputError } from '../lambda/errors';
import { isLoopbackHostname } from './loopback';

/**
 * Leeway for `exp`, `iat` and `nbf`. Hasura rejects a token whose `iat` is even a moment ahead of
 * its own clock ("JWTIssuedAtFuture"), and its default skew is 0, so a fresh Cognito token fails
 * on a server whose clock runs a little behind. A few seconds absorb that without extending
 * token lifetime meaningfully.
 */
export const HASURA_ALLOWED_SKEW_SECONDS = 5;

/** Where a user pool's tokens come from: real Cognito, or a local emulator at `endpoint`. */
export interface UserPoolLocation {
  readonly region: string;
  readonly userPoolId: string;
  /** Base URL of a Cognito emulator such as cognito-local, e.g. `http://127.0.0.1:9229`. */
  readonly endpoint?: string;
}

/** The `iss` claim of the pool's tokens. */
export function cognitoIssuer(location: UserPoolLocation): string {
  const base =
    location.endpoint === undefined ? `https://cognito-idp.${location.region}.amazonaws.com` : location.endpoint.replace(/\/+$/, '');
  return `${base}/${location.userPoolId}`;
}

/** The pool's JSON Web Key Set. */
export function cognitoJwksUrl(location: UserPoolLocation): string {
  return `${cognitoIssuer(location)}/.well-known/jwks.json`;
}

/** The pool, its accepted app clients and the claims' namespace and format: what a Hasura JWT secret is built from. */
export interface HasuraJwtSecretOptions extends UserPoolLocation {
  /** App clients whose tokens Hasura accepts: the ID token's and (thanks to the Lambda) the access token's `aud`. */
  readonly clientIds: readonly string[];
  readonly namespace: string;
  readonly claimsFormat: ClaimsFormat;
}

/** Hasura v2's JWT config, in the field order Hasura's docs use. */
export interface HasuraJwtSecret {
  readonly type: 'RS256';
  readonly jwk_url: string;
  readonly claims_format: ClaimsFormat;
  readonly claims_namespace: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly allowed_skew: number;
}

/** Its fields, in that order: the only fields this project writes. */
export const HASURA_JWT_SECRET_FIELDS = [
  'type',
  'jwk_url',
  'claims_format',
  'claims_namespace',
  'issuer',
  'audience',
  'allowed_skew',
] as const satisfies readonly (keyof HasuraJwtSecret)[];

/** The `HASURA_GRAPHQL_JWT_SECRET` value (as an object: `JSON.stringify` it) for a pool's tokens. */
export function buildHasuraJwtSecret(options: HasuraJwtSecretOptions): HasuraJwtSecret {
  return {
    type: 'RS256',
    jwk_url: cognitoJwksUrl(options),
    claims_format: options.claimsFormat,
    claims_namespace: options.namespace,
    issuer: cognitoIssuer(options),
    audience: [...options.clientIds],
    allowed_skew: HASURA_ALLOWED_SKEW_SECONDS,
  };
}

/** Cognito's pattern for an app client id. */
export function isAppClientId(id: string): boolean {
  return id.length <= 128 && /^[\w+]+$/.test(id);
}

// The authority as written: after `scheme://`, up to the first `/`, `?` or `#`.
const WRITTEN_AUTHORITY = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i;

/**
 * What a URL Hasura reads must be, when `text` is not one; undefined when it is. Covers `issuer`
 * (compared with `iss`), `jwk_url` (fetched) and an emulator's base URL they are built on: https,
 * or plain http to a loopback host only, since whoever serves the key set can sign any token;
 * printable ASCII without credentials, query or fragment. Hasura reads the text with its own URL
 * parser and resolver, so the host must be written as the WHATWG parser reads it: `2130706433`,
 * `0x7f.1`, `127.1` or `127.0.0.1.` are 127.0.0.1 here but may be a DNS name elsewhere, and `\`,
 * `@` or `%` in the authority can name another host.
 *
 * @param wellFormed how to say what a well-formed URL of this kind looks like
 */
export function hasuraUrlExpectation(text: string, wellFormed: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    !/^[!-~]+$/.test(text)
  ) {
    return wellFormed;
  }
  if (!hostWrittenAsParsed(text, url)) return `a URL whose host is written as URL parsers read it (here ${url.hostname})`;
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname))
    return 'an https URL (http only for a loopback host: 127.0.0.0/8, [::1] or localhost)';
  return undefined;
}

function hostWrittenAsParsed(text: string, url: URL): boolean {
  const authority = WRITTEN_AUTHORITY.exec(text)?.[1];
  if (authority === undefined) return false;
  const host = authority.replace(/:\d*$/, '').toLowerCase();
  if (host === url.hostname) return true;
  // An IPv6 literal means one address however it is spelled: [::ffff:127.0.0.1] is [::ffff:7f00:1].
  return host.startsWith('[') && host.endsWith(']') && isIP(host.slice(1, -1)) === 6;
}

const URL_FORM = 'an http(s) URL without credentials, query or fragment, in printable ASCII';
const CLAIMS_FIELDS = { namespace: 'claims_namespace', claimsFormat: 'claims_format' } as const;

/**
 * Reads a HASURA_GRAPHQL_JWT_SECRET value (parsed JSON) as exactly what `buildHasuraJwtSecret`
 * writes: these fields and no other (Hasura honours more, such as `claims_map` or `header`, which
 * would move where roles come from), RS256, an issuer and a jwk_url Hasura may trust, the
 * issuer's own key set, client ids for audience, claims the Lambda's parser accepts. Throws
 * InvalidInputError naming the first field that is not (`<subject> field audience`); returns a
 * frozen copy in field order.
 *
 * @param subject how to name the value in messages, e.g. `--outputs FILE stack S output HasuraJwtSecret`
 */
export function parseHasuraJwtSecret(value: unknown, subject: string): HasuraJwtSecret {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(subject, 'a JSON object', describeKind(value));
  }
  const fields = value as Record<string, unknown>;
  const fail = (field: string, expected: string, found: string = describeValue(fields[field])): never => {
    throw new InvalidInputError(`${subject} field ${field}`, expected, found);
  };
  for (const name of Object.keys(fields)) {
    if (!(HASURA_JWT_SECRET_FIELDS as readonly string[]).includes(name)) {
      fail(
        name,
        `no such field: the secret has exactly ${HASURA_JWT_SECRET_FIELDS.slice(0, -1).join(', ')} and ${HASURA_JWT_SECRET_FIELDS.at(-1)}`,
        'one',
      );
    }
  }
  const url = (field: 'jwk_url' | 'issuer'): string => {
    const text = fields[field];
    if (typeof text !== 'string') return fail(field, URL_FORM);
    const expected = hasuraUrlExpectation(text, URL_FORM);
    return expected === undefined ? text : fail(field, expected);
  };

  if (fields.type !== 'RS256') fail('type', '"RS256"');
  const jwkUrl = url('jwk_url');
  const claims = readClaims(fields, fail);
  const issuer = url('issuer');
  if (jwkUrl !== `${issuer}/.well-known/jwks.json`) fail('jwk_url', `${issuer}/.well-known/jwks.json (the issuer's key set)`);
  const audience = fields.audience;
  if (!Array.isArray(audience) || audience.length === 0 || !audience.every((id) => typeof id === 'string' && isAppClientId(id))) {
    fail('audience', 'a non-empty array of app client ids (letters, digits, _ and +)');
  }
  const skew = fields.allowed_skew;
  if (typeof skew !== 'number' || !Number.isSafeInteger(skew) || skew < 0) fail('allowed_skew', 'a non-negative integer (seconds)');

  return Object.freeze({
    type: 'RS256',
    jwk_url: jwkUrl,
    claims_format: claims.claimsFormat,
    claims_namespace: claims.namespace,
    issuer,
    audience: Object.freeze([...(audience as string[])]),
    allowed_skew: skew as number,
  });
}

/** claims_namespace and claims_format, by the Lambda's own parser: a value the Lambda refuses is refused here. */
function readClaims(fields: Record<string, unknown>, fail: (field: string, expected: string, found?: string) => never) {
  // null rather than undefined for an absent field: the parser would apply its default to undefined.
  const input = { namespace: fields.claims_namespace ?? null, claimsFormat: fields.claims_format ?? null };
  try {
    return parseClaimsConfig(input, 'secret');
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const name = error.field.replace(/^secret\./, '');
    const field: string = Object.hasOwn(CLAIMS_FIELDS, name) ? CLAIMS_FIELDS[name as keyof typeof CLAIMS_FIELDS] : name;
    return fail(field, error.expected, fields[field] === undefined ? 'nothing' : error.found);
  }
}

function describeKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** The value as JSON, cut short: it is quoted in a one-line message. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = (JSON.stringify(value) as string | undefined) ?? String(value);
  return json.length > 200 ? `${json.slice(0, 197)}...` : json;
}
