/**
 * The SRP sign-in through amazon-cognito-identity-js, the library itself running: against a
 * loopback server answering as Cognito's API does (there is no SRP on cognito-local, and unit
 * tests reach no AWS), each answer Cognito can give after the password verifier maps to one
 * error or to the tokens. The server does not check the SRP proof; the live suite signs in for real.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoAccessToken, CognitoIdToken, CognitoRefreshToken, CognitoUserSession } from 'amazon-cognito-identity-js';
import { type SignInTokens, signInWithSrp, srpCallbacks } from '../../../hasura-config/sign-in';
import { CognitoServiceError, SignInChallengeError } from '../../../lambda/errors';
import { compact } from './helpers';

const ID_TOKEN = compact({ alg: 'RS256' }, { token_use: 'id', exp: 2_000_000_000 });
const ACCESS_TOKEN = compact({ alg: 'RS256' }, { token_use: 'access', exp: 2_000_000_000 });
const REFRESH_TOKEN = 'eyJjdHkiOiJKV1QifQ.a.b.c.d';
const PASSWORD = 'Correct-Horse-7';

interface Received {
  target: string;
  body: Record<string, unknown>;
}

let server: Server;
let endpoint: string;
let answer: { status: number; body: unknown };
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => {
      const target = String(request.headers['x-amz-target']).replace('AWSCognitoIdentityProviderService.', '');
      received.push({ target, body: JSON.parse(text) });
      const reply =
        target === 'InitiateAuth'
          ? {
              status: 200,
              body: {
                ChallengeName: 'PASSWORD_VERIFIER',
                ChallengeParameters: {
                  USER_ID_FOR_SRP: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
                  SRP_B: 'a1b2c3d4e5f6'.repeat(40),
                  SALT: '5eed5eed5eed5eed',
                  SECRET_BLOCK: Buffer.from('secret block').toString('base64'),
                },
                Session: 'session-1',
              },
            }
          : answer;
      response.writeHead(reply.status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(reply.status === 200 ? {} : { 'x-amzn-errortype': (reply.body as { __type: string }).__type }),
      });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  received.length = 0;
});

const signIn = () =>
  signInWithSrp({ userPoolId: 'us-east-1_EXAMPLE', clientId: '1example23456789', endpoint }, 'alice@example.com', PASSWORD);

describe('signInWithSrp, through amazon-cognito-identity-js', () => {
  it('answers the password verifier and returns the three tokens; the password is never sent', async () => {
    answer = { status: 200, body: { AuthenticationResult: { IdToken: ID_TOKEN, AccessToken: ACCESS_TOKEN, RefreshToken: REFRESH_TOKEN } } };
    await expect(signIn()).resolves.toEqual({ idToken: ID_TOKEN, accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    expect(received.map((r) => r.target)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(received[0].body).toMatchObject({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: '1example23456789',
      AuthParameters: { USERNAME: 'alice@example.com' },
    });
    expect(received[1].body).toMatchObject({ ChallengeName: 'PASSWORD_VERIFIER', Session: 'session-1' });
    expect(JSON.stringify(received)).not.toContain(PASSWORD);
  });

  it.each<[string, unknown, string]>([
    ['SOFTWARE_TOKEN_MFA', {}, 'a code from an authenticator app'],
    ['SMS_MFA', { CODE_DELIVERY_DESTINATION: '+*******1234' }, 'a code sent by SMS'],
    ['SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' }, 'a choice of MFA method'],
    ['MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, 'MFA to be set up'],
    ['NEW_PASSWORD_REQUIRED', { userAttributes: '{"email":"alice@example.com"}', requiredAttributes: '[]' }, 'a new password'],
    ['CUSTOM_CHALLENGE', { question: '?' }, 'the answer to a custom challenge'],
  ])('the challenge %s is one SignInChallengeError saying what it asks for', async (challenge, parameters, what) => {
    answer = { status: 200, body: { ChallengeName: challenge, ChallengeParameters: parameters, Session: 'session-2' } };
    const error = await signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInChallengeError);
    expect((error as Error).message).toBe(
      `the sign-in asks for ${what} (challenge ${challenge}), which this command cannot answer; complete it in a frontend, or use a user without it`,
    );
  });

  it('a refusal is a CognitoServiceError with the service’s error name and message', async () => {
    answer = { status: 400, body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' } };
    const error = await signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CognitoServiceError);
    expect((error as Error).message).toBe('sign-in (SRP): NotAuthorizedException: Incorrect username or password.');
  });

  it('an unreachable Cognito is a CognitoServiceError too', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await signInWithSrp(
      { userPoolId: 'us-east-1_EXAMPLE', clientId: 'c', endpoint: `http://127.0.0.1:${port}/` },
      'a@example.com',
      'p',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CognitoServiceError);
    expect((error as Error).message).toMatch(/^sign-in \(SRP\): \w+: \S/);
  });
});

describe('srpCallbacks', () => {
  it('takes the tokens from the library’s own session object', () => {
    let tokens: SignInTokens | undefined;
    const callbacks = srpCallbacks((t) => {
      tokens = t;
    }, fail);
    callbacks.onSuccess(
      new CognitoUserSession({
        IdToken: new CognitoIdToken({ IdToken: ID_TOKEN }),
        AccessToken: new CognitoAccessToken({ AccessToken: ACCESS_TOKEN }),
        RefreshToken: new CognitoRefreshToken({ RefreshToken: REFRESH_TOKEN }),
      }),
    );
    expect(tokens).toEqual({ idToken: ID_TOKEN, accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
  });

  it('has a callback for every challenge the library can raise, so none is left unanswered', () => {
    const callbacks = srpCallbacks(fail, () => undefined);
    for (const name of [
      'onFailure',
      'newPasswordRequired',
      'mfaRequired',
      'totpRequired',
      'selectMFAType',
      'mfaSetup',
      'customChallenge',
    ] as const) {
      expect(typeof callbacks[name]).toBe('function');
    }
  });
});

function fail(): never {
  throw new Error('not expected');
}
