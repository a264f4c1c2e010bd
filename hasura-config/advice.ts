/**
 * One line of advice for the common reasons Hasura refuses a Cognito token. Pure: from Hasura's
 * answer and what the token says about itself. `undefined` when there is nothing specific to say.
 */
import type { TokenUse } from '../lambda/claims-config';
import type { HasuraJwtSecret } from '../lib/hasura-jwt-secret';
import type { HasuraRejection, JsonObject } from './hasura-jwt-rules';

export interface AdviceInput {
  readonly rejection: HasuraRejection;
  /** Its unverified payload, when it could be decoded. */
  readonly payload?: JsonObject;
  readonly secret: HasuraJwtSecret;
  /** Which token the Lambda puts the claims in. */
  readonly tokenUse: TokenUse;
  readonly role?: string;
  /** Seconds since the epoch. */
  readonly now: number;
}

const TOKEN_NAMES: Readonly<Record<TokenUse, string>> = { access: 'access token', id: 'ID token' };

export function adviceFor(input: AdviceInput): string | undefined {
  const { rejection, payload, secret } = input;
  const message = rejection.message;

  if (/got 5\)$/.test(message)) {
    return `This token has 5 parts: it is an encrypted JWE, which is what a Cognito refresh token is. Send the ${TOKEN_NAMES[input.tokenUse]} instead.`;
  }
  if (message.startsWith('claims key:')) {
    const sent = payload?.token_use;
    if ((sent === 'id' || sent === 'access') && sent !== input.tokenUse) {
      return `This is an ${TOKEN_NAMES[sent]}, but the Lambda puts Hasura's claims in the ${TOKEN_NAMES[input.tokenUse]} (tokenUse: ${input.tokenUse}): send the ${TOKEN_NAMES[input.tokenUse]}.`;
    }
    return `The token has no "${secret.claims_namespace}" claim: check that the pre token generation trigger is attached to the pool and uses this namespace, and that the client is configured for claims.`;
  }
  if (message.endsWith('JWTNotInAudience')) {
    const aud = payload?.aud;
    const audText = Array.isArray(aud) ? aud.join(', ') : String(aud);
    return `The token was issued to app client ${audText}, which is not in the audience (${secret.audience.join(', ')}): use a token of that client, or generate the config with that client in its audience (a machine client of the stack, or --client-id ${audText} with explicit ids).`;
  }
  if (message.endsWith('JWTExpired')) {
    const exp = typeof payload?.exp === 'number' ? payload.exp : undefined;
    const when =
      exp === undefined
        ? ''
        : ` at ${new Date(exp * 1000).toISOString()} (${Math.round(input.now - exp)} s ago, allowed skew ${secret.allowed_skew} s)`;
    return `The token expired${when}: sign in again or get fresh tokens with the refresh token.`;
  }
  if (rejection.code === 'access-denied') {
    const requested = input.role !== undefined && input.role !== '' ? `The requested role "${input.role}"` : 'The default role';
    return `${requested} is not among the token's x-hasura-allowed-roles: send an allowed role in x-hasura-role, or add the user to the Cognito group mapped to that role and sign in again.`;
  }
  if (message.endsWith('JWTNotInIssuer')) {
    return `The token comes from ${String(payload?.iss)}, not ${secret.issuer}: it belongs to another user pool, region or endpoint.`;
  }
  if (message.endsWith('JWTIssuedAtFuture') || message.endsWith('JWTNotYetValid')) {
    return `The token is from the future by more than the allowed skew (${secret.allowed_skew} s): check the clocks (NTP) of this machine and the Hasura server.`;
  }
  if (message.endsWith('JWSInvalidSignature')) {
    return `No key of ${secret.jwk_url} verifies the signature: the token was altered, or was signed by another pool.`;
  }
  if (message.startsWith('expecting')) {
    return `The claims are not in the format Hasura expects (claims_format ${secret.claims_format}): the config's claims_format must match the Lambda's claimsFormat (generate it from the stack's outputs, or pass the Lambda's --claims-format with explicit ids).`;
  }
  return undefined;
}
