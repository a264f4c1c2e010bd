/**
 * What both CLIs and the local flow derive everything from: Hasura's JWT config, the pool whose
 * keys sign the tokens, and which token carries the claims. The CLIs resolve one from options
 * (cli-args.ts); the local flow builds one for its emulator pool with `poolTargetFromIds`; a
 * HASURA_GRAPHQL_JWT_SECRET already written (an env file, or the value) gives one with `poolTargetFromSecret`.
 */
import type { ClaimsConfig, TokenUse } from '../lambda/claims-config';
import { InvalidInputError } from '../lambda/errors';
import {
  buildHasuraJwtSecret,
  cognitoIssuer,
  type HasuraJwtSecret,
  hasuraUrlExpectation,
  type UserPoolLocation,
} from '../lib/hasura-jwt-secret';
import { quoted } from './terminal-text';

export interface PoolTarget {
  /** The stack's own HasuraJwtSecret (--outputs), or built by buildHasuraJwtSecret from ids. */
  readonly secret: HasuraJwtSecret;
  /** The pool whose keys sign the tokens: named in messages and used for the signature check. */
  readonly pool: UserPoolLocation;
  /** Which token the Lambda puts the claims in; the secret does not record it. */
  readonly tokenUse: TokenUse;
}

/** The claims settings a target needs, as a validated ClaimsConfig has them. */
export type TargetClaims = Pick<ClaimsConfig, 'namespace' | 'claimsFormat' | 'tokenUse'>;

/**
 * The target of a pool given by its ids (explicit options, or the local flow's emulator pool), its
 * secret built by buildHasuraJwtSecret. Validates nothing: callers pass checked ids and a parsed
 * claims config.
 */
export function poolTargetFromIds(pool: UserPoolLocation, clientIds: readonly string[], claims: TargetClaims): PoolTarget {
  const location: UserPoolLocation = { region: pool.region, userPoolId: pool.userPoolId, endpoint: pool.endpoint };
  return {
    secret: buildHasuraJwtSecret({ ...location, clientIds, namespace: claims.namespace, claimsFormat: claims.claimsFormat }),
    pool: location,
    tokenUse: claims.tokenUse,
  };
}

/**
 * The target of a secret as written (already parsed by parseHasuraJwtSecret): the secret itself,
 * and the pool its issuer names, which the signature check needs. A Cognito issuer is
 * `https://cognito-idp.<region>.amazonaws.com/<pool id>`; any other issuer is an emulator's, its
 * endpoint the issuer without the last path segment, the pool id that segment. Throws
 * InvalidInputError (`<subject> field issuer`) when the issuer names no pool that way.
 */
export function poolTargetFromSecret(secret: HasuraJwtSecret, tokenUse: TokenUse, subject: string): PoolTarget {
  const field = `${subject} field issuer`;
  const issuer = secret.issuer;
  const cognitoHost = COGNITO_HOST.exec(new URL(issuer).hostname);
  let pool: UserPoolLocation;
  if (cognitoHost !== null) {
    const region = checkRegion(cognitoHost[1], field);
    pool = { region, userPoolId: checkUserPoolId(issuer.slice(issuer.lastIndexOf('/') + 1), region, undefined, field) };
  } else {
    const lastSlash = issuer.lastIndexOf('/');
    const endpoint = issuer.slice(0, lastSlash);
    const userPoolId = issuer.slice(lastSlash + 1);
    // An emulator's pool ids carry its own prefix for a region (cognito-local: local_...).
    pool = {
      region: userPoolId.slice(0, userPoolId.lastIndexOf('_')),
      userPoolId: checkUserPoolId(userPoolId, '', endpoint, field),
      endpoint,
    };
  }
  // Built back, the pool must give the very issuer: no port, path or trailing slash left unaccounted for.
  const endpointIsUrl = pool.endpoint === undefined || hasuraUrlExpectation(pool.endpoint, ISSUER_FORM) === undefined;
  if (!endpointIsUrl || cognitoIssuer(pool) !== issuer) {
    throw new InvalidInputError(field, ISSUER_FORM, quoted(issuer));
  }
  return { secret, pool, tokenUse };
}

const COGNITO_HOST = /^cognito-idp\.([^.]+)\.amazonaws\.com$/;
const ISSUER_FORM = 'https://cognito-idp.<region>.amazonaws.com/<pool id>, or an emulator endpoint followed by /<pool id>';

// Region names such as us-east-1, ap-southeast-2, us-gov-west-1.
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// Cognito's pattern for a user pool id; cognito-local's ids look like local_4DA54YKg.
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

export function checkRegion(region: string, subject: string): string {
  if (!REGION.test(region)) throw new InvalidInputError(subject, 'an AWS region such as us-east-1', quoted(region));
  return region;
}

export function checkUserPoolId(id: string, region: string, endpoint: string | undefined, subject: string): string {
  if (!USER_POOL_ID.test(id) || id.length > 55) {
    throw new InvalidInputError(subject, 'a user pool id such as us-east-1_AbC123', quoted(id));
  }
  const prefix = id.slice(0, id.lastIndexOf('_'));
  if (endpoint === undefined && prefix !== region) {
    throw new InvalidInputError(subject, `a user pool id of region ${region} (${region}_...)`, quoted(id));
  }
  return id;
}
