/**
 * The value of HASURA_GRAPHQL_JWT_SECRET for a Cognito user pool: the one definition of its shape,
 * shared by the CDK construct (lib/) and the CLIs built on this library (hasura-config/). CDK-free,
 * so the CLIs load it without aws-cdk-lib.
 *
 * One function builds it for the CDK stack's `HasuraJwtSecret` output (where region, pool id and
 * client ids are CloudFormation tokens), for the generator given explicit ids and for the local
 * flow, so all of them produce the same JSON. It validates nothing: callers validate their inputs
 * first (tokens would not pass a format check).
 */
import type { ClaimsFormat } from '../lambda/claims-config';

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
  const base = location.endpoint === undefined
    ? `https://cognito-idp.${location.region}.amazonaws.com`
    : location.endpoint.replace(/\/+$/, '');
  return `${base}/${location.userPoolId}`;
}

/** The pool's JSON Web Key Set. */
export function cognitoJwksUrl(location: UserPoolLocation): string {
  return `${cognitoIssuer(location)}/.well-known/jwks.json`;
}

export interface HasuraJwtSecretOptions extends UserPoolLocation {
  /** App clients whose tokens Hasura accepts: the ID token's and (thanks to the Lambda) the access token's `aud`. */
  readonly clientIds: readonly string[];
  readonly namespace: string;
  readonly claimsFormat: ClaimsFormat;
}

/** Hasura v2's JWT config, in the field order Hasura's docs use. */
export interface HasuraJwtSecret {
  type: 'RS256';
  jwk_url: string;
  claims_format: ClaimsFormat;
  claims_namespace: string;
  issuer: string;
  audience: string[];
  allowed_skew: number;
}

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
