/**
 * Step 5.4 of Hasura's pipeline, done with aws-jwt-verify: is the token signed by a key of the
 * pool's JWKS? Only the signature is decided here. Claim checks that aws-jwt-verify also makes
 * (exp, nbf, iss) are left to the Hasura rules, which use Hasura's semantics and allowed_skew:
 * aws-jwt-verify checks the signature before any claim, so a claim error means "signature valid".
 *
 * Hasura tries every key of the set and ignores `kid` (section 2), so when the `kid` lookup fails
 * every key is tried too.
 */
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import {
  JwtInvalidClaimError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { type Jwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { verifyJwtSync } from 'aws-jwt-verify/jwt-verifier';
import { JwksUnavailableError, TokenUncheckableError } from '../lambda/errors';
import { isLoopbackHostname } from '../lib/loopback';
import { type DecodedJwt, type HasuraRejection, reject } from './hasura-jwt-rules';

export interface SignatureTarget {
  readonly userPoolId: string;
  /** Set for a local emulator: then JwtRsaVerifier with the JWKS over http. */
  readonly endpoint?: string;
  readonly jwksUri: string;
}

/**
 * Fetches over https, and over plain http from a loopback host only (aws-jwt-verify's default
 * fetcher refuses http:). --endpoint already allows nothing else; this holds whatever built the
 * URL. A redirect is not followed: it could lead to plain http anywhere.
 */
export const httpAndHttpsFetcher: Fetcher = {
  fetch: async (uri) => {
    const url = new URL(uri);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHostname(url.hostname))) {
      throw new Error('not fetched: https, or plain http only from a loopback host');
    }
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        response.status >= 300 && response.status < 400 ? `HTTP ${response.status}, a redirect, not followed` : `HTTP ${response.status}`,
      );
    }
    return response.arrayBuffer();
  },
};

const invalidSignature = () => reject('invalid-jwt', 'Could not verify JWT: JWSError JWSInvalidSignature');

/** undefined when a key of the JWKS verifies the signature, else Hasura's rejection. */
export async function verifySignature(
  token: string,
  decoded: DecodedJwt,
  target: SignatureTarget,
  fetcher: Fetcher,
): Promise<HasuraRejection | undefined> {
  if (decoded.header.alg === 'none') return reject('invalid-jwt', 'Could not verify JWT: JWSError JWSNoSignatures');

  const jwksCache = new SimpleJwksCache({ fetcher });
  let jwks: Jwks;
  try {
    jwks = await jwksCache.getJwks(target.jwksUri);
  } catch (error) {
    throw new JwksUnavailableError(target.jwksUri, error instanceof Error ? error.message : String(error));
  }
  if (jwks.keys.length === 0) return reject('invalid-jwt', 'Could not verify JWT: JWSError NoUsableKeys');
  if (token.endsWith('.')) return invalidSignature(); // empty signature: aws-jwt-verify cannot parse it

  // The issuer pre-match already ran, so a token with `iss` has this pool's issuer.
  const verifier =
    target.endpoint === undefined && typeof decoded.payload.iss === 'string'
      ? CognitoJwtVerifier.create({ userPoolId: target.userPoolId, tokenUse: null, clientId: null }, { jwksCache })
      : JwtRsaVerifier.create({ issuer: null, jwksUri: target.jwksUri, audience: null }, { jwksCache });
  try {
    await verifier.verify(token);
    return undefined;
  } catch (error) {
    if (error instanceof JwtInvalidClaimError) return undefined;
    if (error instanceof JwtParseError) throw new TokenUncheckableError(error.message);
    const keyMismatch =
      error instanceof JwtInvalidSignatureError ||
      error instanceof KidNotFoundInJwksError ||
      error instanceof JwtWithoutValidKidError ||
      error instanceof JwtInvalidSignatureAlgorithmError;
    if (!keyMismatch) throw error;
  }
  return anyKeyVerifies(token, jwks) ? undefined : invalidSignature();
}

function anyKeyVerifies(token: string, jwks: Jwks): boolean {
  for (const jwk of jwks.keys) {
    try {
      verifyJwtSync(token, jwk, { issuer: null, audience: null });
      return true;
    } catch (error) {
      if (error instanceof JwtInvalidClaimError) return true;
    }
  }
  return false;
}
