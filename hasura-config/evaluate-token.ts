/**
 * Hasura's request pipeline for one `Authorization: Bearer <jwt>` header, in Hasura's order
 * (hasura-jwt-rules.ts). The signature step is injected, so the order is testable without keys.
 */
import {
  applyHasuraRules,
  type DecodedJwt,
  decodeJwt,
  type HasuraJwtRulesConfig,
  type HasuraOutcome,
  type HasuraRejection,
  issuerPreMatch,
  type JsonObject,
  tokenFromAuthorizationHeader,
  unverifiedPayload,
} from './hasura-jwt-rules';

export type SignatureCheck = (token: string, decoded: DecodedJwt) => Promise<HasuraRejection | undefined>;

export interface Evaluation {
  readonly outcome: HasuraOutcome;
  /** The token taken from the header, when the header was well formed. */
  readonly token?: string;
  /** The token's payload: verified when the outcome is a session, else as far as it could be read. */
  readonly payload?: JsonObject;
}

export async function evaluateAuthorization(input: {
  readonly authorization: string;
  readonly config: HasuraJwtRulesConfig;
  readonly roleHeader?: string;
  /** Seconds since the epoch. */
  readonly now: number;
  readonly verifySignature: SignatureCheck;
}): Promise<Evaluation> {
  const token = tokenFromAuthorizationHeader(input.authorization);
  if (typeof token !== 'string') return { outcome: token };
  const payload = unverifiedPayload(token);

  const notIssuer = issuerPreMatch(token, input.config);
  if (notIssuer !== undefined) return { outcome: notIssuer, token, payload };

  const decoded = decodeJwt(token);
  if ('ok' in decoded) return { outcome: decoded, token, payload };

  const badSignature = await input.verifySignature(token, decoded);
  if (badSignature !== undefined) return { outcome: badSignature, token, payload: decoded.payload };

  const outcome = applyHasuraRules({ payload: decoded.payload, config: input.config, roleHeader: input.roleHeader, now: input.now });
  return { outcome, token, payload: decoded.payload };
}
