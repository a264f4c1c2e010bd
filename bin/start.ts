/**
 * `npm start`: the whole flow on one machine, no AWS account. Starts cognito-local and a local
 * Lambda host serving the deployment bundle, provisions the pool from cdk.json's `hasuraCognito`
 * block, signs in two demo users, writes hasura-config/local.env and shows what Hasura would do
 * with each token. Serves until Ctrl-C; `--once` stops after the summary.
 *
 * Stopping leaves nothing behind, whatever ends it: Ctrl-C, SIGTERM or SIGHUP (to the process
 * group or to npm alone), npm dying, or this process being killed. package.json runs it as
 * `exec node --require tsx/cjs bin/start.ts`, so this one process is npm's child: no shell or tsx
 * relay in between that could die and leave it running. Its children exit with it (child-process.ts).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readCdkJsonStackConfig } from '../hasura-config/cdk-json';
import { render } from '../hasura-config/formats';
import { generatePassword, projectPasswordPolicy } from '../hasura-config/password';
import { poolTargetFromIds } from '../hasura-config/pool-target';
import { printable } from '../hasura-config/terminal-text';
import { checkToken, describeTokenCheck } from '../hasura-config/token-check';
import { ChildProcessError, InvalidInputError } from '../lambda/errors';
import type { StackConfig } from '../lib/stack-config';
import { checkLocalEnvTarget, shownPath, writeLocalEnvFile } from './local/local-env-file';
import { type LocalStack, localClaimsConfig, startLocalStack } from './local/local-stack';
import { FORGEABLE_NOTICE, hasuraHeading, hasuraHint, USAGE, userLine } from './local/start-text';
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
}

const START_OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  once: { type: 'boolean', default: false },
  port: { type: 'string' },
  'lambda-port': { type: 'string' },
  'cdk-json': { type: 'string', default: path.join(ROOT, 'cdk.json') },
  out: { type: 'string', default: path.join(ROOT, 'hasura-config', 'local.env') },
  force: { type: 'boolean', default: false },
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
  };
}

/** The `hasuraCognito` block of a cdk.json, validated like `cdk synth` validates it. */
export function readStackConfig(cdkJsonPath: string): StackConfig {
  return readCdkJsonStackConfig(cdkJsonPath, `--cdk-json ${shownPath(cdkJsonPath)}`);
}

/** Everything that can be checked before a process starts: the config, and that `--out` may be written. */
export function validate(options: StartOptions): StackConfig {
  const config = readStackConfig(options.cdkJson);
  checkLocalEnvTarget(options.out, options.force);
  return config;
}

/** Prints the pool, writes the Hasura env file, signs in the demo users and says what Hasura does with their tokens. */
async function showFlow(
  stack: LocalStack,
  config: StackConfig,
  options: StartOptions,
  changes: readonly string[],
  print: (text: string) => void,
): Promise<void> {
  print(`cognito-local      ${stack.endpoint} (user pool ${printable(stack.userPoolId)}, app client ${printable(stack.clientId)})`);
  print(`Lambda host        http://127.0.0.1:${stack.lambdaPort} (the bundle cdk deploy uploads)`);
  print(
    `Token mode         ID token, stringified JSON: the emulator runs V1 triggers only${changes.length ? ` (cdk.json says ${changes.join(', ')})` : ''}.`,
  );

  // Demo users: one with no group, one in the first mapped group. Values for custom attributes the claims read.
  const attributes = Object.fromEntries(
    config.claimAttributes.filter((a) => a.startsWith('custom:')).map((a) => [a, `demo-${a.slice('custom:'.length).replace(/_/g, '-')}`]),
  );
  const [group, role] = Object.entries(config.claims.groupRoles)[0] ?? [];
  const users = [
    { email: 'reader@example.com', groups: [] as string[], role: undefined as string | undefined },
    ...(group ? [{ email: 'admin@example.com', groups: [group], role }] : []),
  ];
  if (!group) print('No groupRoles in cdk.json: only the demo user without a group is created.');

  // The config and the checks of the emulator's pool, as the CLIs build them from --endpoint and ids:
  // the issuer and key set URL come from the endpoint, so the emulator's region "local" is not in them.
  const target = poolTargetFromIds(stack, [stack.clientId], stack.claims);
  let hasuraEnv: string;
  try {
    hasuraEnv = render('env', { secret: target.secret, userPoolId: target.pool.userPoolId, tokenUse: target.tokenUse });
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(`--out ${shownPath(options.out)} ${error.field}`, error.expected, error.found);
  }
  writeLocalEnvFile(options.out, hasuraEnv, options.force);
  print(`Hasura config      ${shownPath(options.out)} (HASURA_GRAPHQL_JWT_SECRET)\n`);

  for (const user of users) {
    const password = generatePassword(projectPasswordPolicy(config.passwordMinLength));
    await stack.createUser({ email: user.email, password, groups: user.groups, attributes });
    const tokens = await stack.signIn(user.email, password);
    const idToken = tokens.IdToken;
    if (idToken === undefined) throw new ChildProcessError('cognito-local answered a sign-in without an ID token', 'an ID token', 'none');
    print(userLine(user.email, password, user.groups));
    // The default role first, then the mapped role chosen with the x-hasura-role header.
    for (const requested of user.role ? [undefined, user.role] : [undefined]) {
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
  const config = validate(options);
  const { changes } = localClaimsConfig(config.claims);

  let crash: (error: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => undefined); // awaited below only if it happens
  const stack = await startLocalStack({
    config,
    cognitoPort: options.cognitoPort,
    lambdaPort: options.lambdaPort,
    onCrash: (error) => crash(error),
  });
  let stopped = stopRequests.reason() !== undefined;
  try {
    // A stop requested while the stack was starting skips the flow: nothing more is started or written.
    if (!stopped) {
      console.log(`${FORGEABLE_NOTICE}\n`);
      // Once a stop is requested, the flow's remaining steps fail against the stopped stack, and print nothing.
      const flow = showFlow(stack, config, options, changes, (text) => {
        if (stopRequests.reason() === undefined) console.log(text);
      });
      flow.catch(() => undefined); // raced below; after a stop, its failure is not an error
      stopped = (await Promise.race([flow.then(() => 'shown' as const), stopRequests.requested, crashed])) !== 'shown';
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
