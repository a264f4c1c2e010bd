/**
 * `npm start`: the whole flow on one machine, no AWS account. Starts cognito-local and a local
 * Lambda host serving the deployment bundle, provisions the pool from cdk.json's `hasuraCognito`
 * block, creates two demo users, writes hasura-config/local.env and shows what Hasura would do
 * with each demo user's token. Serves until Ctrl-C; `--once` stops after the summary.
 *
 * The pool, its client, users and groups are kept in the state folder (.local-stack): the next
 * start reuses them on the same port, so local.env stays valid; `--reset` starts over.
 *
 * Stopping leaves no process or temporary file behind (the state folder stays), whatever ends it: Ctrl-C, SIGTERM or SIGHUP (to the process
 * group or to npm alone), npm dying, or this process being killed. package.json runs it as
 * `exec node --require tsx/cjs bin/start.ts`, so this one process is npm's child: no shell or tsx
 * relay in between that could die and leave it running. Its children exit with it (child-process.ts).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AdminGetUserCommand, AdminListGroupsForUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { readCdkJsonStackConfig } from '../hasura-config/cdk-json';
import { render } from '../hasura-config/formats';
import { type LocalStackState, localStateDir, readLocalStackState } from '../hasura-config/local-stack-state';
import { generatePassword, projectPasswordPolicy } from '../hasura-config/password';
import { poolTargetFromIds } from '../hasura-config/pool-target';
import { printable } from '../hasura-config/terminal-text';
import { checkToken, describeTokenCheck } from '../hasura-config/token-check';
import { ChildProcessError, InvalidInputError } from '../lambda/errors';
import { appendGroupRoles } from '../lambda/hasura-claims';
import type { StackConfig } from '../lib/stack-config';
import { type DemoUser, demoAttributes, demoUsers, demoUsersFile, readDemoPasswords, writeDemoPasswords } from './local/demo-users';
import { checkLocalEnvTarget, shownPath, writeLocalEnvFile } from './local/local-env-file';
import { type LocalStack, localClaimsConfig, startLocalStack } from './local/local-stack';
import { FORGEABLE_NOTICE, hasuraHeading, hasuraHint, keptPasswordsNote, onceNote, stateLines, USAGE, userLine } from './local/start-text';
import { checkStateFolder, RESET_REMEDY, resetStateFolder } from './local/state-folder';
import { type StopRequests, watchStopRequests } from './local/stop-requests';

const ROOT = path.join(__dirname, '..');

export interface StartOptions {
  help: boolean;
  once: boolean;
  cognitoPort?: number;
  lambdaPort?: number;
  cdkJson: string;
  out: string;
  force: boolean;
  /** The folder that keeps the local stack's state (default: .local-stack at the repository's root). */
  stateDir: string;
  /** Delete the state and start over. */
  reset: boolean;
}

const START_OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  once: { type: 'boolean', default: false },
  port: { type: 'string' },
  'lambda-port': { type: 'string' },
  'cdk-json': { type: 'string', default: path.join(ROOT, 'cdk.json') },
  out: { type: 'string', default: path.join(ROOT, 'hasura-config', 'local.env') },
  force: { type: 'boolean', default: false },
  'state-dir': { type: 'string', default: localStateDir(ROOT) },
  reset: { type: 'boolean', default: false },
} as const;

export function readOptions(argv: string[]): StartOptions {
  const parse = () => parseArgs({ args: argv, strict: true, allowPositionals: false, options: START_OPTIONS }).values;
  let values: ReturnType<typeof parse>;
  try {
    values = parse();
  } catch (error) {
    // parseArgs's own sentence says what is wrong; it has no single option to name.
    throw new InvalidInputError('arguments', 'the options npm start -- --help shows', (error as Error).message);
  }
  const port = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new InvalidInputError(`--${name}`, 'a port from 1 to 65535', JSON.stringify(text));
    return n;
  };
  const cognitoPort = port('port', values.port);
  const lambdaPort = port('lambda-port', values['lambda-port']);
  if (cognitoPort !== undefined && cognitoPort === lambdaPort) {
    throw new InvalidInputError('--lambda-port', 'a port other than --port', String(lambdaPort));
  }
  return {
    help: values.help,
    once: values.once,
    cognitoPort,
    lambdaPort,
    cdkJson: path.resolve(values['cdk-json']),
    out: path.resolve(values.out),
    force: values.force,
    stateDir: path.resolve(values['state-dir']),
    reset: values.reset,
  };
}

/** The `hasuraCognito` block of a cdk.json, validated like `cdk synth` validates it. */
export function readStackConfig(cdkJsonPath: string): StackConfig {
  return readCdkJsonStackConfig(cdkJsonPath, `--cdk-json ${shownPath(cdkJsonPath)}`);
}

/** What start-up checks before a process starts. */
export interface Validated {
  config: StackConfig;
  /** The state of an earlier start to reuse; none on a first start or with `--reset`. */
  state?: LocalStackState;
  /** The kept demo users' passwords, with `state`; none when no demo user was created yet. */
  demoPasswords?: ReadonlyMap<string, string>;
}

/** Everything that can be checked before a process starts: the config, that `--out` may be written, and the state folder. */
export function validate(options: StartOptions): Validated {
  const config = readStackConfig(options.cdkJson);
  checkLocalEnvTarget(options.out, options.force);
  checkStateFolder(options.stateDir);
  // With --reset the state is deleted unread: start over is the remedy for one that cannot be read.
  if (options.reset) return { config };
  const state = readLocalStackState(options.stateDir);
  return { config, state, demoPasswords: state === undefined ? undefined : readDemoPasswords(options.stateDir) };
}

/** The pool's config and checks, as the CLIs build them from --endpoint and ids. */
function hasuraTarget(stack: LocalStack) {
  // The issuer and key set URL come from the endpoint, so the emulator's region "local" is not in them.
  return poolTargetFromIds(stack, [stack.clientId], stack.claims);
}

/** A demo user and its password: just created (shown), kept from an earlier start (not shown), or unknown. */
interface DemoSignIn {
  user: DemoUser;
  password: string | undefined;
  created: boolean;
}

/**
 * The demo users, each with its password: those the state kept, and any not created yet (on a
 * first start, after --reset, or when cdk.json now maps a group for the grouped one), created now
 * with a new password, which is shown. Each is recorded as soon as it exists, so a start stopped
 * half-way keeps what it made; a user that exists without a kept password is left as it is.
 */
async function demoUsersWithPasswords(
  stack: LocalStack,
  config: StackConfig,
  kept: ReadonlyMap<string, string> | undefined,
): Promise<DemoSignIn[]> {
  const passwords = new Map(kept);
  const users: DemoSignIn[] = [];
  for (const user of demoUsers(config)) {
    const known = passwords.get(user.email);
    if (known !== undefined) {
      users.push({ user, password: known, created: false });
      continue;
    }
    const password = generatePassword(projectPasswordPolicy(config.passwordMinLength));
    try {
      await stack.createUser({ email: user.email, password, groups: user.groups, attributes: demoAttributes(config) });
    } catch (error) {
      if ((error as Error).name !== 'UsernameExistsException') throw error;
      users.push({ user, password: undefined, created: false });
      continue;
    }
    passwords.set(user.email, password);
    writeDemoPasswords(stack.stateDir, passwords);
    users.push({ user, password, created: true });
  }
  return users;
}

/** The groups the emulator holds for `email` now (a kept user may have been moved since it was created); none for a user gone. */
async function groupsOf(stack: LocalStack, email: string): Promise<string[]> {
  // cognito-local matches group members by the name asked for, not by the user it resolves it to: ask with the user's own name.
  const user = await stack.cognito
    .send(new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: email }))
    .catch((error: unknown) => {
      if ((error as Error).name === 'UserNotFoundException') return undefined;
      throw error;
    });
  if (user?.Username === undefined) return [];
  const groups: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await stack.cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: stack.userPoolId, Username: user.Username, NextToken }),
    );
    for (const group of page.Groups ?? []) if (group.GroupName) groups.push(group.GroupName);
    NextToken = page.NextToken;
  } while (NextToken);
  return groups;
}

/** Prints the pool, writes the Hasura env file, signs in the demo users and says what Hasura does with their tokens. */
async function showFlow(
  stack: LocalStack,
  validated: Validated,
  options: StartOptions,
  changes: readonly string[],
  print: (text: string) => void,
): Promise<void> {
  const { config } = validated;
  print(`cognito-local      ${stack.endpoint} (user pool ${printable(stack.userPoolId)}, app client ${printable(stack.clientId)})`);
  print(stateLines(shownPath(stack.stateDir), stack.reused, stack.reconciled).join('\n'));
  print(`Lambda host        http://127.0.0.1:${stack.lambdaPort} (the bundle cdk deploy uploads)`);
  print(
    `Token mode         ID token, stringified JSON: the emulator runs V1 triggers only${changes.length ? ` (cdk.json says ${changes.join(', ')})` : ''}.`,
  );

  const target = hasuraTarget(stack);
  let hasuraEnv: string;
  try {
    hasuraEnv = render('env', { secret: target.secret, userPoolId: target.pool.userPoolId, tokenUse: target.tokenUse });
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(`--out ${shownPath(options.out)} ${error.field}`, error.expected, error.found);
  }
  const written = writeLocalEnvFile(options.out, hasuraEnv, options.force);
  print(`Hasura config      ${shownPath(options.out)} (HASURA_GRAPHQL_JWT_SECRET${written === 'unchanged' ? ', unchanged' : ''})\n`);

  if (Object.keys(config.claims.groupRoles).length === 0)
    print('No groupRoles in cdk.json: only the demo user without a group is created.');
  const users = await demoUsersWithPasswords(stack, config, validated.demoPasswords);
  if (users.some((u) => !u.created)) print(keptPasswordsNote(shownPath(demoUsersFile(stack.stateDir))));
  for (const { user, password, created } of users) {
    const groups = created ? [...user.groups] : await groupsOf(stack, user.email);
    print(userLine(user.email, created ? password : undefined, groups));
    if (password === undefined) {
      print(`  in the pool, but with no password kept by npm start (${RESET_REMEDY})\n`);
      continue;
    }
    let idToken: string | undefined;
    try {
      idToken = (await stack.signIn(user.email, password)).IdToken;
    } catch (error) {
      const name = (error as Error).name;
      if (created || (name !== 'NotAuthorizedException' && name !== 'UserNotFoundException')) throw error;
      print(`  cannot sign in with the password npm start created: changed or deleted since (${RESET_REMEDY})\n`);
      continue;
    }
    if (idToken === undefined) throw new ChildProcessError('cognito-local answered a sign-in without an ID token', 'an ID token', 'none');
    // The default role first, then each role its groups map to, chosen with the x-hasura-role header.
    for (const requested of [undefined, ...appendGroupRoles(config.claims.groupRoles, groups, [])]) {
      // A key set that cannot be loaded or a token that cannot be parsed throws: the flow stops, saying so.
      const result = await checkToken({ ...target, token: idToken, role: requested });
      print([hasuraHeading(requested), ...describeTokenCheck(result).map((line) => `    ${line}`)].join('\n'));
    }
    print(`  ID token: ${idToken}\n`);
  }
  print(hasuraHint(shownPath(options.out)));
}

async function run(options: StartOptions, stopRequests: StopRequests): Promise<number> {
  // Validate before anything starts, exactly as `cdk synth` would.
  const validated = validate(options);
  const { config, state } = validated;
  const { changes } = localClaimsConfig(config.claims);
  const previous = options.reset ? await resetStateFolder(options.stateDir) : undefined;

  let crash: (error: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => undefined); // awaited below only if it happens
  const stack = await startLocalStack({
    config,
    stateDir: options.stateDir,
    state,
    cognitoPort: options.cognitoPort,
    lambdaPort: options.lambdaPort,
    onCrash: (error) => crash(error),
  });
  let stopped = stopRequests.reason() !== undefined;
  try {
    // A stop requested while the stack was starting skips the flow: nothing more is started or written.
    if (!stopped) {
      console.log(`${FORGEABLE_NOTICE}\n`);
      if (previous !== undefined)
        console.log(`--reset: deleted the local stack in ${shownPath(options.stateDir)} (user pool ${printable(previous.userPoolId)}).`);
      // Once a stop is requested, the flow's remaining steps fail against the stopped stack, and print nothing.
      const flow = showFlow(stack, validated, options, changes, (text) => {
        if (stopRequests.reason() === undefined) console.log(text);
      });
      flow.catch(() => undefined); // raced below; after a stop, its failure is not an error
      stopped = (await Promise.race([flow.then(() => 'shown' as const), stopRequests.requested, crashed])) !== 'shown';
      if (!stopped && options.once) console.log(`\n${onceNote(shownPath(options.stateDir))}`);
      if (!stopped && !options.once) {
        console.log('\nServing until Ctrl-C.');
        await Promise.race([stopRequests.requested, crashed]);
        stopped = true;
      }
    }
    return 0;
  } finally {
    await stack.stop();
    if (stopped) console.log('Stopped: every process this run started has exited.');
  }
}

/** A bad option, config or file is a usage error; anything else (a port, a child, the emulator's answers) is not. */
function exitCodeOf(error: unknown): number {
  return error instanceof InvalidInputError ? 2 : 1;
}

/**
 * What npm start prints for the error that ended it, and its exit code. A usage error is one line;
 * any other keeps its lines (a crash carries the last lines of the child's stderr). Either is
 * escaped: a message may quote what the emulator answered, such as a key set it could not parse.
 */
export function failureReport(error: unknown): { code: number; text: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = exitCodeOf(error);
  const text = code === 2 ? printable(message.replace(/\s*[\r\n]+\s*/g, ' ')) : message.split('\n').map(printable).join('\n');
  return { code, text: `npm start: ${text}` };
}

if (require.main === module) {
  // First, so that a signal during start-up also stops cleanly (once the stack is up) instead of killing this process.
  const stopRequests = watchStopRequests();
  let options: StartOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`npm start: ${printable((error as Error).message)}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  run(options, stopRequests).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const { code, text } = failureReport(error);
      console.error(text);
      process.exit(code);
    },
  );
}
