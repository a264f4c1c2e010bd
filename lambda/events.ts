/**
 * Pre Token Generation event shapes as Cognito really sends them.
 *
 * Written here rather than taken from @types/aws-lambda, whose types are narrower than real
 * events: `preferredRole` and the response container arrive as `null`, V3 pools send user
 * trigger sources too, and V2/V3 claim values may be JSON, not only strings.
 */

export type ClaimValue = string | number | boolean | readonly ClaimValue[] | { readonly [name: string]: ClaimValue };
export type ClaimMap = Record<string, ClaimValue>;

export const CLIENT_CREDENTIALS_SOURCE = 'TokenGeneration_ClientCredentials';

/** The trigger sources that issue tokens to a user. All of them must yield the same claims. */
export const USER_TRIGGER_SOURCES = [
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
] as const;

export interface PreTokenGenerationEvent {
  /** "1" (V1_0), "2" (V2_0), "3" (V3_0); cognito-local sends "0" for its V1 events. */
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  /** Absent on client-credentials events. */
  userName?: string;
  callerContext: { awsSdkVersion?: string; clientId: string };
  request: {
    userAttributes?: Record<string, string> | null;
    groupConfiguration?: {
      groupsToOverride?: string[] | null;
      iamRolesToOverride?: string[] | null;
      preferredRole?: string | null;
    } | null;
    scopes?: string[] | null;
    /** Caller-controlled. Never read by this project. */
    clientMetadata?: Record<string, string> | null;
  };
  response: PreTokenGenerationResponse | Record<string, unknown> | null;
}

/** V1 response: only the ID token can be changed, with string values only. */
export interface V1Response {
  claimsOverrideDetails: {
    claimsToAddOrOverride?: Record<string, string>;
    claimsToSuppress?: string[];
  };
}

export interface TokenCustomization {
  claimsToAddOrOverride?: ClaimMap;
  claimsToSuppress?: string[];
}

/** V2/V3 response. `accessTokenGeneration` also has scope overrides, which this project does not use. */
export interface V2Response {
  claimsAndScopeOverrideDetails: {
    idTokenGeneration?: TokenCustomization;
    accessTokenGeneration?: TokenCustomization;
  };
}

export type PreTokenGenerationResponse = V1Response | V2Response;
