/**
 * `npm run check-token -- --token JWT|- (--outputs FILE [--stack NAME] | --env-file FILE | --jwt-secret JSON
 * | --region R --user-pool-id ID --client-id C [--endpoint URL]) [--role ROLE]`: what Hasura will do
 * with this token under the generated config (with --outputs, the stack's own HasuraJwtSecret; with
 * --env-file, exactly the HASURA_GRAPHQL_JWT_SECRET in that file). A thin shell over
 * checkToken (token-check.ts): options in, its lines out. `--token -` reads the token from
 * standard input, which keeps it out of the shell history and the process list. Exit 0: accepted
 * (role and session variables printed); 1: refused (Hasura's code and message, plus advice);
 * 2: bad option or input, or the JWKS cannot be loaded.
 */
import type { Fetcher } from 'aws-jwt-verify/https';
import { InvalidInputError } from '../lambda/errors';
import { POOL_OPTIONS, parseOptions, resolvePoolTarget, resolveSecretTarget, SECRET_OPTIONS, stringOption } from './cli-args';
import { type CliIo, MAX_STDIN_BYTES, reportUsageError, runAsProcess } from './cli-io';
import { checkToken, describeTokenCheck } from './token-check';

const PROGRAM = 'check-token';

const OPTIONS = {
  ...POOL_OPTIONS,
  ...SECRET_OPTIONS,
  token: { type: 'string' },
  role: { type: 'string' },
} as const;

export const USAGE = `Usage: check-token --token JWT|- (--outputs FILE [--stack NAME] | --env-file FILE | --jwt-secret JSON
         | --region R --user-pool-id ID --client-id C ... [--endpoint URL] [--namespace NS] [--claims-format stringified_json|json])
         [--token-use access|id] [--role ROLE]
--token - reads the token from standard input.
--env-file FILE judges the token against that file's HASURA_GRAPHQL_JWT_SECRET (e.g. hasura.env, or npm start's local.env);
--jwt-secret JSON against that value.
Exit status: 0 Hasura accepts the token, 1 Hasura refuses it, 2 bad options or inputs.
In a clone of the repository: npm run check-token -- <options>.
`;

export interface CheckTokenIo extends CliIo {
  /** Where the JWKS comes from (default: http(s) fetch). Tests serve an in-memory JWKS. */
  readonly fetcher?: Fetcher;
  /** Seconds since the epoch (default: the clock). */
  readonly now?: () => number;
}

export async function main(argv: readonly string[], io: CheckTokenIo): Promise<number> {
  try {
    const values = parseOptions(argv, OPTIONS);
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const tokenOption = stringOption(values, 'token')?.trim();
    if (tokenOption === undefined || tokenOption === '') throw new InvalidInputError('--token', 'a JWT', 'nothing');
    const role = stringOption(values, 'role');
    const target = resolveSecretTarget(values) ?? resolvePoolTarget(values);
    // Read only once every option has passed: a typo must not leave the command waiting for input.
    const token = tokenOption === '-' ? await readTokenFromStdin(io) : tokenOption;
    const result = await checkToken({ ...target, token, role, fetcher: io.fetcher, now: io.now?.() });
    io.stdout(`${describeTokenCheck(result).join('\n')}\n`);
    return result.ok ? 0 : 1;
  } catch (error) {
    return reportUsageError(PROGRAM, error, io);
  }
}

/** `--token -`: the one token on standard input. */
async function readTokenFromStdin(io: CliIo): Promise<string> {
  if (io.readStdin === undefined) throw new InvalidInputError('--token -', 'a readable standard input', 'none');
  const text = (await io.readStdin('the token')).trim();
  if (text === '') throw new InvalidInputError('--token -', 'a JWT on standard input', 'nothing');
  if (Buffer.byteLength(text) > MAX_STDIN_BYTES) {
    throw new InvalidInputError('--token -', `a JWT of at most ${MAX_STDIN_BYTES} bytes on standard input`, 'more');
  }
  // One token, possibly pasted as "Bearer <token>": anything else is not what was meant.
  if (/\s/.test(text.replace(/^Bearer /, ''))) {
    throw new InvalidInputError('--token -', 'one JWT on standard input', 'several words or lines');
  }
  return text;
}

if (require.main === module) runAsProcess(main);
