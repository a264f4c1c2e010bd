/**
 * `npm run test:live`: the live suite, against real AWS. Not part of `npm test` (the name does not
 * match `*.test.ts`) nor of CI.
 *
 * With no usable AWS credentials it prints one line saying it was skipped and why, and exits 0.
 * With credentials it deploys a throwaway stack `HasuraCognitoLive<8 hex>` with the real CDK CLI
 * (RemovalPolicy DESTROY), creates two users with the admin API, lists them with `npm run users`,
 * signs them in with `npm run token` (SRP, as a frontend does: the app client allows no
 * USER_PASSWORD_AUTH), verifies their tokens with aws-jwt-verify's CognitoJwtVerifier, runs
 * check-token in-process on the access and ID tokens, refreshes a session, and destroys the stack
 * in a `finally`, on failure and on Ctrl-C
 * too. Every step prints its duration. Exit: 0 passed (or skipped), 1 failed or the stack could
 * not be destroyed (the command to remove it is printed), 130 interrupted.
 *
 * A plain script rather than jest: the checks share one deployment and run in order, the skip is
 * one line rather than a test report, and Ctrl-C must run `cdk destroy` before the process ends,
 * which needs the process's own signal handlers (jest owns those).
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { main as checkToken } from '../../hasura-config/check-token';
import { readStackOutputs } from '../../hasura-config/outputs-file';
import { detectCredentials } from './credentials';
import {
  type CdkRun,
  cdkDeployArgs,
  cdkDestroyArgs,
  formatDuration,
  HASURA_NAMESPACE,
  LIVE_DEFAULT_ROLE,
  LIVE_GROUP,
  LIVE_ORG_ATTRIBUTE,
  LIVE_ROLE,
  LIVE_SESSION_VARIABLE,
  liveDecision,
  liveStackContext,
  liveStackName,
  manualDestroyCommand,
} from './plan';

const ROOT = path.resolve(__dirname, '..', '..');
const CDK_BIN = require.resolve('aws-cdk/bin/cdk');
const DESTROY_RETRY_PAUSE_MS = 20_000;

class InterruptedError extends Error {
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
    this.name = 'InterruptedError';
  }
}

/** SIGINT/SIGTERM: the first one fails the running step; the `finally` then destroys the stack. */
class Interrupts {
  signal: string | undefined;
  readonly first: Promise<never>;
  private rejectFirst!: (error: Error) => void;
  private readonly listeners = new Set<(signal: string) => void>();

  constructor() {
    this.first = new Promise<never>((_, reject) => {
      this.rejectFirst = reject;
    });
    this.first.catch(() => undefined);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => this.receive(signal));
  }

  on(listener: (signal: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(signal: string): void {
    if (this.signal === undefined) {
      this.signal = signal;
      this.rejectFirst(new InterruptedError(signal));
    }
    for (const listener of [...this.listeners]) listener(signal);
  }
}

class Steps {
  count = 0;
  constructor(private readonly interrupts: Interrupts) {}

  /**
   * Runs one step, printing its name and duration. A signal fails it at once, unless `ownsChild`:
   * a step running a child process waits for the child to exit (it gets the signal too), so the
   * destroy never overlaps a deploy.
   */
  async run<T>(name: string, action: () => Promise<T>, options: { ownsChild?: boolean } = {}): Promise<T> {
    if (this.interrupts.signal !== undefined) throw new InterruptedError(this.interrupts.signal);
    const started = Date.now();
    log(`→ ${name}`);
    try {
      const result = await (options.ownsChild ? action() : Promise.race([action(), this.interrupts.first]));
      this.count += 1;
      log(`✓ ${name} (${formatDuration(Date.now() - started)})`);
      return result;
    } catch (error) {
      log(`✗ ${name} (${formatDuration(Date.now() - started)})`);
      throw error;
    }
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Runs the CDK CLI from this repository's node_modules, output shown as it comes. `detached` puts
 * it in its own process group, so a Ctrl-C at the terminal does not reach it (used for destroy).
 */
function cdk(
  args: readonly string[],
  interrupts: Interrupts,
  options: { detached: boolean },
): Promise<{ code: number; abandoned: boolean }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CDK_BIN, ...args], {
      cwd: ROOT,
      // cdk.json's app command runs `tsx`: found on PATH under npm run, and here when run directly.
      env: { ...process.env, PATH: [path.join(ROOT, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(path.delimiter) },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: options.detached,
    });
    let signals = 0;
    let abandoned = false;
    const stopListening = interrupts.on((signal) => {
      signals += 1;
      if (!options.detached) {
        // The terminal's Ctrl-C reaches the child too; a signal sent to this process alone must as well.
        child.kill(signal as NodeJS.Signals);
      } else if (signals === 1) {
        log(`cdk ${args[0]} is still running; ${signal} again abandons it.`);
      } else if (child.pid !== undefined) {
        abandoned = true;
        process.kill(-child.pid, 'SIGINT');
      }
    });
    child.once('error', (error) => {
      stopListening();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      stopListening();
      resolve({ code: code ?? (signal === null ? 1 : 128 + (os.constants.signals[signal] ?? 0)), abandoned });
    });
  });
}

/** `npm run -s <script> -- <args>` in this repository, `input` on its standard input: its exit code and output. */
function npmRun(script: string, args: readonly string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', script, '--', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

interface LiveUser {
  readonly email: string;
  readonly password: string;
  readonly orgId: string;
  readonly groups: readonly string[];
}

function newUser(name: string, groups: readonly string[]): LiveUser {
  // Every character class the pool's policy requires, from a random core.
  const password = `${randomBytes(18).toString('base64url').replace(/[-_]/g, '')}aZ7!`;
  return { email: `live-${name}@example.com`, password, orgId: `org-${name}`, groups };
}

type Tokens = Required<Pick<AuthenticationResultType, 'AccessToken' | 'IdToken'>> & { RefreshToken?: string };

function tokensOf(result: { AuthenticationResult?: AuthenticationResultType; ChallengeName?: string }, what: string): Tokens {
  const tokens = result.AuthenticationResult;
  assert.ok(
    tokens?.AccessToken && tokens.IdToken,
    `${what}: expected tokens, got ${result.ChallengeName ? `the challenge ${result.ChallengeName}` : 'no AuthenticationResult'}`,
  );
  return { AccessToken: tokens.AccessToken, IdToken: tokens.IdToken, RefreshToken: tokens.RefreshToken };
}

/** The Hasura claims an access token carries: the namespace claim, a JSON string (claimsFormat default). */
function hasuraClaims(payload: Record<string, unknown>): Record<string, unknown> {
  const value = payload[HASURA_NAMESPACE];
  assert.equal(typeof value, 'string', `the access token's ${HASURA_NAMESPACE} claim should be stringified JSON`);
  return JSON.parse(value as string) as Record<string, unknown>;
}

async function deployAndCheck(run: CdkRun, outputsFile: string, steps: Steps, interrupts: Interrupts): Promise<void> {
  const { stackName } = run;
  await steps.run(
    `cdk deploy ${stackName}`,
    async () => {
      const { code } = await cdk(cdkDeployArgs(run, outputsFile), interrupts, { detached: false });
      if (interrupts.signal !== undefined) throw new InterruptedError(interrupts.signal);
      if (code !== 0)
        throw new Error(
          `cdk deploy exited with ${code}; see its output above (a first deploy to an account and region needs \`npx cdk bootstrap\`)`,
        );
    },
    { ownsChild: true },
  );

  const outputs = await steps.run('read the stack outputs', async () => {
    const stack = readStackOutputs(outputsFile, stackName);
    const raw = (JSON.parse(fs.readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>)[stackName]!;
    assert.equal(raw.Issuer, `https://cognito-idp.${stack.region}.amazonaws.com/${stack.userPoolId}`, 'output Issuer');
    assert.equal(raw.JwksUrl, `${raw.Issuer}/.well-known/jwks.json`, 'output JwksUrl');
    return { region: stack.region, userPoolId: stack.userPoolId, clientId: stack.clientIds[0]!, issuer: raw.Issuer };
  });
  log(`  region ${outputs.region}, user pool ${outputs.userPoolId}, app client ${outputs.clientId}`);

  const cognito = new CognitoIdentityProviderClient({ region: outputs.region });
  try {
    const plain = newUser('plain', []);
    const grouped = newUser('grouped', [LIVE_GROUP]);

    await steps.run(`create two users with the admin API (one in group ${LIVE_GROUP})`, async () => {
      for (const user of [plain, grouped]) {
        await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: outputs.userPoolId,
            Username: user.email,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: user.email },
              { Name: 'email_verified', Value: 'true' },
              { Name: LIVE_ORG_ATTRIBUTE, Value: user.orgId },
            ],
          }),
        );
        await cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: outputs.userPoolId,
            Username: user.email,
            Password: user.password,
            Permanent: true,
          }),
        );
        for (const group of user.groups) {
          await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: outputs.userPoolId, Username: user.email, GroupName: group }));
        }
      }
    });

    const target = ['--outputs', outputsFile, '--stack', stackName];
    /** The three tokens of a sign-in through the real `npm run token --all` process (SRP against the deployed pool). */
    const signIn = async (user: LiveUser): Promise<Tokens> => {
      const result = await npmRun('token', [user.email, '--password', '-', '--all', ...target], `${user.password}\n`);
      assert.equal(result.code, 0, `npm run token ${user.email} --all: exit ${result.code}: ${result.stderr}`);
      const tokens = JSON.parse(result.stdout) as { idToken: string; accessToken: string; refreshToken: string };
      return { AccessToken: tokens.accessToken, IdToken: tokens.idToken, RefreshToken: tokens.refreshToken };
    };

    const accessVerifier = CognitoJwtVerifier.create({ userPoolId: outputs.userPoolId, tokenUse: 'access', clientId: outputs.clientId });
    const idVerifier = CognitoJwtVerifier.create({ userPoolId: outputs.userPoolId, tokenUse: 'id', clientId: outputs.clientId });

    /** Verifies both tokens, checks the access token's Hasura claims and that the ID token has none; returns the claims and the jti. */
    const verify = async (tokens: Tokens, user: LiveUser, allowedRoles: readonly string[]) => {
      const access = (await accessVerifier.verify(tokens.AccessToken)) as unknown as Record<string, unknown>;
      const id = (await idVerifier.verify(tokens.IdToken)) as unknown as Record<string, unknown>;
      assert.equal(access.iss, outputs.issuer, 'access token iss');
      assert.equal(id.sub, access.sub, 'the ID and access tokens name the same user');
      assert.equal(id.email, user.email, 'ID token email');
      const aud = access.aud;
      assert.ok(
        aud === outputs.clientId || (Array.isArray(aud) && aud.includes(outputs.clientId)),
        `access token aud should be the app client id, got ${JSON.stringify(aud)}`,
      );
      assert.deepEqual(hasuraClaims(access), {
        'x-hasura-allowed-roles': allowedRoles,
        'x-hasura-default-role': LIVE_DEFAULT_ROLE,
        'x-hasura-user-id': access.sub,
        [LIVE_SESSION_VARIABLE]: user.orgId,
      });
      assert.equal(id[HASURA_NAMESPACE], undefined, 'in the default access mode the ID token carries no Hasura claims');
      return { claims: hasuraClaims(access), jti: access.jti };
    };

    const hasura = async (token: string, role?: string) => {
      let out = '';
      const write = (text: string) => {
        out += text;
      };
      const io = { stdout: write, stderr: write };
      const code = await checkToken(
        ['--outputs', outputsFile, '--stack', stackName, '--token', token, ...(role === undefined ? [] : ['--role', role])],
        io,
      );
      return { code, out };
    };
    const expectAccepted = async (token: string, role: string | undefined, expectedRole: string) => {
      const result = await hasura(token, role);
      assert.equal(result.code, 0, `check-token${role ? ` --role ${role}` : ''} should accept the token:\n${result.out}`);
      assert.match(result.out, new RegExp(`^role: ${expectedRole}$`, 'm'), result.out);
    };
    const expectRefused = async (token: string, role: string | undefined, message: string) => {
      const result = await hasura(token, role);
      assert.equal(result.code, 1, `check-token${role ? ` --role ${role}` : ''} should refuse the token:\n${result.out}`);
      assert.ok(result.out.includes(message), `check-token output should contain ${JSON.stringify(message)}:\n${result.out}`);
    };

    await steps.run('npm run users -- list: each user with their groups and the roles those give', async () => {
      const result = await npmRun('users', ['list', ...target]);
      assert.equal(result.code, 0, `npm run users -- list: exit ${result.code}: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`^${grouped.email} +CONFIRMED +${LIVE_GROUP} +${LIVE_ROLE}$`, 'm'), result.stdout);
      assert.match(result.stdout, new RegExp(`^${plain.email} +CONFIRMED +- +-$`, 'm'), result.stdout);
    });

    // The plain user: only the default role.
    const plainTokens = await steps.run('sign in the plain user (npm run token --all: SRP)', () => signIn(plain));
    await steps.run('npm run token prints only the access token (tokenUse access), for TOKEN=$(…)', async () => {
      const result = await npmRun('token', [plain.email, '--password', '-', ...target], `${plain.password}\n`);
      assert.equal(result.code, 0, `npm run token: exit ${result.code}: ${result.stderr}`);
      assert.match(result.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'stdout is one token and a newline');
      await accessVerifier.verify(result.stdout.trim());
    });
    await steps.run('verify the plain user’s access and ID tokens (CognitoJwtVerifier)', () =>
      verify(plainTokens, plain, [LIVE_DEFAULT_ROLE]),
    );
    await steps.run(`check-token, plain user’s access token: role ${LIVE_DEFAULT_ROLE}; --role ${LIVE_ROLE} refused`, async () => {
      await expectAccepted(plainTokens.AccessToken, undefined, LIVE_DEFAULT_ROLE);
      await expectRefused(plainTokens.AccessToken, LIVE_ROLE, 'Your requested role is not in allowed roles');
    });
    await steps.run('check-token, plain user’s ID token: refused, no Hasura claims', () =>
      expectRefused(plainTokens.IdToken, undefined, `claims key: '${HASURA_NAMESPACE}' not found`),
    );

    // The grouped user: the mapped role as well.
    const groupedTokens = await steps.run('sign in the grouped user (npm run token --all: SRP)', () => signIn(grouped));
    const first = await steps.run('verify the grouped user’s access and ID tokens (CognitoJwtVerifier)', () =>
      verify(groupedTokens, grouped, [LIVE_DEFAULT_ROLE, LIVE_ROLE]),
    );
    await steps.run(
      `check-token, grouped user’s access token: role ${LIVE_DEFAULT_ROLE}, and ${LIVE_ROLE} with --role ${LIVE_ROLE}`,
      async () => {
        await expectAccepted(groupedTokens.AccessToken, undefined, LIVE_DEFAULT_ROLE);
        await expectAccepted(groupedTokens.AccessToken, LIVE_ROLE, LIVE_ROLE);
      },
    );
    await steps.run('check-token, grouped user’s ID token: refused, no Hasura claims', () =>
      expectRefused(groupedTokens.IdToken, LIVE_ROLE, `claims key: '${HASURA_NAMESPACE}' not found`),
    );

    // A refresh runs the trigger again and must give the same claims.
    await steps.run('refresh the grouped user (REFRESH_TOKEN_AUTH): new tokens, same claims', async () => {
      assert.ok(groupedTokens.RefreshToken, 'the sign-in should return a refresh token');
      const refreshed = tokensOf(
        await cognito.send(
          new InitiateAuthCommand({
            ClientId: outputs.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: groupedTokens.RefreshToken },
          }),
        ),
        'refresh',
      );
      const again = await verify(refreshed, grouped, [LIVE_DEFAULT_ROLE, LIVE_ROLE]);
      assert.ok(typeof first.jti === 'string' && typeof again.jti === 'string', 'access tokens should carry a jti');
      assert.notEqual(again.jti, first.jti, 'the refresh should issue a new access token');
      assert.deepEqual(again.claims, first.claims);
      await expectAccepted(refreshed.AccessToken, LIVE_ROLE, LIVE_ROLE);
    });
  } finally {
    cognito.destroy();
  }
}

/**
 * Destroys the stack (a stack that was never created is a no-op for cdk destroy). A failed destroy
 * is tried once more after a pause, for a transient error; a destroy the user abandoned is not.
 */
async function destroy(run: CdkRun, steps: Steps, interrupts: Interrupts): Promise<boolean> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt > 1) {
      log(`  trying again in ${DESTROY_RETRY_PAUSE_MS / 1000} s (a signal now abandons the stack)`);
      const abandoned = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          stopListening();
          resolve(false);
        }, DESTROY_RETRY_PAUSE_MS);
        const stopListening = interrupts.on(() => {
          clearTimeout(timer);
          stopListening();
          resolve(true);
        });
      });
      if (abandoned) return false;
    }
    const started = Date.now();
    const name = `cdk destroy ${run.stackName}${attempt > 1 ? ' (second attempt)' : ''}`;
    log(`→ ${name}`);
    const { code, abandoned } = await cdk(cdkDestroyArgs(run), interrupts, { detached: true }).catch((error: unknown) => {
      log(`  ${error instanceof Error ? error.message : String(error)}`);
      return { code: 1, abandoned: false };
    });
    if (code === 0) {
      steps.count += 1;
      log(`✓ ${name} (${formatDuration(Date.now() - started)})`);
      return true;
    }
    log(`✗ ${name} (${formatDuration(Date.now() - started)}): ${abandoned ? 'abandoned' : `exit ${code}`}`);
    if (abandoned) return false;
  }
  return false;
}

async function main(): Promise<number> {
  const lookupStarted = Date.now();
  const decision = liveDecision(await detectCredentials(), new Date());
  if (!decision.run) {
    log(decision.line);
    return 0;
  }
  const interrupts = new Interrupts();
  const steps = new Steps(interrupts);
  const stackName = liveStackName();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-live-'));
  const run: CdkRun = { stackName, context: liveStackContext(stackName), assemblyDir: path.join(workDir, 'cdk.out') };
  const outputsFile = path.join(workDir, 'cdk-outputs.json');
  const started = Date.now();
  log(
    `AWS credentials found (${formatDuration(started - lookupStarted)}). Deploying the throwaway stack ${stackName}: a Cognito user pool`,
  );
  log("(Essentials plan, billed per monthly active user) and a Lambda, in the CDK CLI's account and region. It is destroyed at the end,");
  log('also on failure or Ctrl-C.');

  let failure: unknown;
  let destroyed = false;
  try {
    await deployAndCheck(run, outputsFile, steps, interrupts);
  } catch (error) {
    failure = error;
  } finally {
    if (failure instanceof InterruptedError) log(`test:live ${failure.message}; destroying the stack.`);
    else if (failure !== undefined) log(`test:live FAILED: ${failure instanceof Error ? failure.message : String(failure)}`);
    destroyed = await destroy(run, steps, interrupts);
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  const total = formatDuration(Date.now() - started);
  if (!destroyed) {
    log(`test:live: the stack ${stackName} may still exist. Remove it with:`);
    log(`  ${manualDestroyCommand(run)}`);
  }
  if (interrupts.signal !== undefined) {
    log(`test:live interrupted after ${total}; ${destroyed ? `stack ${stackName} destroyed` : 'stack NOT destroyed'}.`);
    return 130;
  }
  if (failure !== undefined || !destroyed) {
    log(`test:live failed after ${total} (${steps.count} steps passed).`);
    return 1;
  }
  log(`test:live passed: ${steps.count} steps in ${total}; stack ${stackName} deployed and destroyed.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
