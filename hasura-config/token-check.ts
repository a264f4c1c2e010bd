/**
 * What Hasura does with one token under a config, from typed inputs: the check behind check-token,
 * and what the local flow calls directly. The signature is verified against the pool's key set
 * (verify-signature.ts), Hasura's rules run in Hasura's order (evaluate-token.ts), and a refusal
 * carries one line of advice when there is something specific to say (advice.ts).
 */
import type { Fetcher } from 'aws-jwt-verify/https';
import { adviceFor } from './advice';
import { evaluateAuthorization } from './evaluate-token';
import type { HasuraRejection, HasuraSession } from './hasura-jwt-rules';
import type { PoolTarget } from './pool-target';
import { printable, quoted } from './terminal-text';
import { httpAndHttpsFetcher, verifySignature } from './verify-signature';

export interface TokenCheckInput extends PoolTarget {
  /** The JWT. A pasted `Bearer <jwt>` is the same `Authorization` header. */
  readonly token: string;
  /** The `x-hasura-role` header; none means the token's default role. */
  readonly role?: string;
  /** Where the JWKS comes from (default: https, or plain http from a loopback host only). */
  readonly fetcher?: Fetcher;
  /** Seconds since the epoch (default: the clock). */
  readonly now?: number;
}

/** Hasura's refusal, with one line of advice when there is something specific to say. */
export interface TokenRefusal extends HasuraRejection {
  readonly advice?: string;
}

/** `ok: true`: Hasura accepts the token with this role and these session variables; else its refusal. */
export type TokenCheck = HasuraSession | TokenRefusal;

/**
 * Hasura's answer for `input.token`. Throws JwksUnavailableError when the key set cannot be loaded
 * and TokenUncheckableError when aws-jwt-verify cannot parse the token: then Hasura's answer is
 * not known.
 */
export async function checkToken(input: TokenCheckInput): Promise<TokenCheck> {
  const { secret, pool } = input;
  const now = input.now ?? Date.now() / 1000;
  const fetcher = input.fetcher ?? httpAndHttpsFetcher;
  const authorization = input.token.startsWith('Bearer ') ? input.token : `Bearer ${input.token}`;
  const evaluation = await evaluateAuthorization({
    authorization,
    config: secret,
    roleHeader: input.role,
    now,
    verifySignature: (jwt, decoded) =>
      verifySignature(jwt, decoded, { userPoolId: pool.userPoolId, endpoint: pool.endpoint, jwksUri: secret.jwk_url }, fetcher),
  });
  const { outcome } = evaluation;
  if (outcome.ok) return outcome;
  const advice = adviceFor({ rejection: outcome, payload: evaluation.payload, secret, tokenUse: input.tokenUse, role: input.role, now });
  return advice === undefined ? outcome : { ...outcome, advice };
}

/**
 * The lines check-token prints for a result. Role, session variable names and values, Hasura's
 * message and the advice quote the token (iss, aud, alg, claims) or the role asked for: each is
 * escaped, so none can paint a line of its own.
 */
export function describeTokenCheck(result: TokenCheck): string[] {
  if (result.ok) {
    const lines = ['Hasura accepts this token.', `role: ${printable(result.role)}`, 'session variables:'];
    for (const [name, value] of Object.entries(result.sessionVariables)) lines.push(`  ${printable(name)}: ${quoted(value)}`);
    return lines;
  }
  const lines = ['Hasura refuses this token.', `code: ${printable(result.code)}`, `message: ${printable(result.message)}`];
  if (result.advice !== undefined) lines.push(`advice: ${printable(result.advice)}`);
  return lines;
}
