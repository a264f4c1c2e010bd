/**
 * `npm run token -- <email> [--password -] [--all] (--local | --outputs FILE [--stack NAME])`: signs
 * the user in the way a frontend does (sign-in.ts) and prints only the token Hasura needs, so
 * `TOKEN=$(npm run -s token -- …)` works: the access token with `tokenUse: access`, the ID token
 * with `tokenUse: id` and locally (the emulator runs V1 triggers). `--all` prints the three tokens
 * as JSON. Standard output holds nothing else; errors are one line on stderr. Exit 0 signed in; 1
 * refused (a wrong password, an unknown user, a challenge it cannot answer, an AWS error); 2 bad
 * arguments, or `--local` while nothing serves the local stack.
 */
import { CognitoServiceError, InvalidInputError } from '../lambda/errors';
import { checkEmail, parseArguments, stringOption } from './cli-args';
import { type CliIo, reportError, runAsProcess } from './cli-io';
import type { CognitoTarget } from './cognito-target';
import { checkPasswordOption, readPassword } from './password-input';
import type { SignInTokens } from './sign-in';
import { TARGET_OPTIONS, type TargetOptions, targetOptions } from './target-options';
import { printable, quotedJson } from './terminal-text';

const PROGRAM = 'token';

const OPTIONS = {
  ...TARGET_OPTIONS,
  password: { type: 'string' },
  all: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export const USAGE = `Usage: hasura-cognito-token <email> [--password -] [--all] (--local | --outputs FILE [--stack NAME])
Signs the user in as a frontend does and prints only the token to send to Hasura, so that
TOKEN=$(hasura-cognito-token alice@example.com --outputs cdk-outputs.json) works: the access token when the stack's
tokenUse is access, the ID token when it is id, and the ID token with --local (the emulator runs V1 triggers).
Against AWS the sign-in is SRP (the password is never sent); with --local it is USER_PASSWORD_AUTH.
  --password -   read the password from standard input; without it, it is asked for at the terminal
  --all          print the ID, access and refresh tokens as JSON
Targets (exactly one):
  --local [--state-dir DIR]   the stack npm start is serving (its state in DIR, default .local-stack)
  --outputs FILE [--stack NAME]
                 a deployed stack (the file cdk deploy --outputs-file writes)
Exit status: 0 signed in, 1 refused (wrong password, unknown user, MFA or a new password asked for, an AWS error),
2 bad arguments or nothing serving --local.
In a clone of the repository: npm run -s token -- <email> <options>.
`;

interface TokenRequest {
  readonly email: string;
  readonly password: string | undefined;
  readonly all: boolean;
  readonly target: TargetOptions;
}

/** Checks the whole command line, with no I/O; throws InvalidInputError for the first problem. */
export function parseTokenCommand(argv: readonly string[]): TokenRequest | 'help' {
  const { values, positionals } = parseArguments(argv, OPTIONS);
  if (values.help === true) return 'help';
  if (positionals.length === 0) throw new InvalidInputError('<email>', 'the email of the user to sign in', 'nothing');
  if (positionals.length > 1) throw new InvalidInputError('<email>', 'one email', `also ${printable(positionals[1])}`);
  const email = checkEmail(positionals[0], '<email>');
  if (values['cdk-json'] !== undefined) throw new InvalidInputError('--cdk-json', 'no --cdk-json (token does not read groupRoles)', 'one');
  const password = stringOption(values, 'password');
  checkPasswordOption(password);
  return { email, password, all: values.all === true, target: targetOptions(values) };
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let target: CognitoTarget | undefined;
  try {
    const request = parseTokenCommand(argv);
    if (request === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    // The AWS SDK and the SRP library take longer to load than all the rest: only once the arguments are known to be good.
    const { openTarget } = require('./cognito-target') as typeof import('./cognito-target');
    const { signIn } = require('./sign-in') as typeof import('./sign-in');
    target = await openTarget(request.target);
    // Known before the password is asked for: a stack without its TokenUse output stops here.
    const tokenUse = request.all ? undefined : target.tokenUse();
    const password = (await readPassword(request.password, io, `Password for ${printable(request.email)}: `)) as string;
    const tokens = checkTokens(await signIn(target, request.email, password));
    io.stdout(`${tokenUse === undefined ? quotedJson(tokens) : tokenUse === 'access' ? tokens.accessToken : tokens.idToken}\n`);
    return 0;
  } catch (error) {
    return reportError(PROGRAM, error, io);
  } finally {
    target?.cognito.destroy();
  }
}

// A JWT (three parts) or a JWE (five, as Cognito's refresh tokens are), in base64url: nothing a terminal acts on.
const COMPACT_TOKEN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}$/;

/** The tokens as Cognito answered them, printed raw only once each is seen to be a compact JWT or JWE. */
function checkTokens(tokens: SignInTokens): SignInTokens {
  for (const [name, value] of Object.entries(tokens)) {
    if (!COMPACT_TOKEN.test(value)) throw new CognitoServiceError('sign-in', 'UnexpectedAnswer', `the ${name} is not a compact JWT`);
  }
  return { idToken: tokens.idToken, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

if (require.main === module) runAsProcess(main);
