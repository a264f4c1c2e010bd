/**
 * Signing a user in the way a frontend does, to get the tokens Hasura is sent. Against AWS: SRP
 * (USER_SRP_AUTH) through amazon-cognito-identity-js, the password never sent; the stack's app
 * client allows only SRP unless `passwordAuth` is on. Against the emulator: USER_PASSWORD_AUTH
 * through the SDK's InitiateAuth, since cognito-local has no SRP. A challenge neither can answer
 * (MFA, a new password) is a SignInChallengeError; a refusal is a CognitoServiceError.
 */
import { type AuthenticationResultType, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
} from 'amazon-cognito-identity-js';
import { CognitoServiceError, SignInChallengeError } from '../lambda/errors';
import { cognitoServiceError } from './cognito-errors';
import type { CognitoTarget } from './cognito-target';

/** The three tokens of a sign-in. */
export interface SignInTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** What each challenge asks for, as the one line says it. */
export const CHALLENGES: Readonly<Record<string, string>> = {
  NEW_PASSWORD_REQUIRED: 'a new password',
  SMS_MFA: 'a code sent by SMS',
  SOFTWARE_TOKEN_MFA: 'a code from an authenticator app',
  EMAIL_OTP: 'a code sent by email',
  SELECT_MFA_TYPE: 'a choice of MFA method',
  MFA_SETUP: 'MFA to be set up',
  CUSTOM_CHALLENGE: 'the answer to a custom challenge',
  DEVICE_SRP_AUTH: 'a remembered device',
};

export function challengeError(challenge: string): SignInChallengeError {
  return new SignInChallengeError(challenge, Object.hasOwn(CHALLENGES, challenge) ? CHALLENGES[challenge] : 'an answer');
}

export const SRP_OPERATION = 'sign-in (SRP)';
export const PASSWORD_OPERATION = 'sign-in (USER_PASSWORD_AUTH)';

/** Signs `email` in to the target's app client: SRP against AWS, USER_PASSWORD_AUTH against the emulator. */
export function signIn(target: CognitoTarget, email: string, password: string): Promise<SignInTokens> {
  return target.local ? signInWithPassword(target, email, password) : signInWithSrp(target, email, password);
}

/** USER_PASSWORD_AUTH with the SDK: what the emulator supports. */
export async function signInWithPassword(target: CognitoTarget, email: string, password: string): Promise<SignInTokens> {
  let result: { AuthenticationResult?: AuthenticationResultType; ChallengeName?: string };
  try {
    result = await target.cognito.send(
      new InitiateAuthCommand({
        ClientId: target.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
  } catch (error) {
    // The client's middleware names the operation InitiateAuth; the sign-in is what the person ran.
    const failure = cognitoServiceError(PASSWORD_OPERATION, error);
    throw new CognitoServiceError(PASSWORD_OPERATION, failure.errorName, failure.reason);
  }
  if (result.ChallengeName !== undefined) throw challengeError(result.ChallengeName);
  const tokens = result.AuthenticationResult;
  if (tokens?.IdToken === undefined || tokens.AccessToken === undefined || tokens.RefreshToken === undefined) {
    throw new CognitoServiceError(PASSWORD_OPERATION, 'IncompleteResult', 'the answer lacks the ID, access or refresh token');
  }
  return { idToken: tokens.IdToken, accessToken: tokens.AccessToken, refreshToken: tokens.RefreshToken };
}

/** The pool and client of an SRP sign-in; `endpoint` only for a Cognito other than AWS's. */
export interface SrpPool {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly endpoint?: string;
}

/** USER_SRP_AUTH with amazon-cognito-identity-js, as a browser app using it signs in. */
export function signInWithSrp(pool: SrpPool, email: string, password: string): Promise<SignInTokens> {
  const userPool = new CognitoUserPool({ UserPoolId: pool.userPoolId, ClientId: pool.clientId, endpoint: pool.endpoint });
  const user = new CognitoUser({ Username: email, Pool: userPool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), srpCallbacks(resolve, reject));
  });
}

/**
 * The library's callbacks: the session's tokens on success; its error, or the challenge it asks
 * the app to answer, as one error. Exported for the tests, which call them as the library does.
 */
export function srpCallbacks(resolve: (tokens: SignInTokens) => void, reject: (error: Error) => void): IAuthenticationCallback {
  const challenge = (name: string) => () => reject(challengeError(name));
  return {
    onSuccess: (session: CognitoUserSession) =>
      resolve({
        idToken: session.getIdToken().getJwtToken(),
        accessToken: session.getAccessToken().getJwtToken(),
        refreshToken: session.getRefreshToken().getToken(),
      }),
    onFailure: (error: unknown) => reject(cognitoServiceError(SRP_OPERATION, error)),
    newPasswordRequired: challenge('NEW_PASSWORD_REQUIRED'),
    // The library passes the challenge's name to these three.
    mfaRequired: (name) => reject(challengeError(name)),
    totpRequired: (name) => reject(challengeError(name)),
    selectMFAType: (name) => reject(challengeError(name)),
    mfaSetup: (name) => reject(challengeError(name)),
    customChallenge: challenge('CUSTOM_CHALLENGE'),
  };
}
