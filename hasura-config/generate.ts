/**
 * `npm run hasura-config -- <options>`: HASURA_GRAPHQL_JWT_SECRET (and friends) for a Cognito user
 * pool: the deployed stack's own `HasuraJwtSecret` from a cdk outputs file, or one built from
 * explicit ids. Exit 0 on success, 2 on a bad option or input (one line on stderr, nothing written).
 * A thin shell: options in, a typed RenderInput to `render`, the text to `writeFileAtomic` or stdout.
 */
import { InvalidInputError } from '../lambda/errors';
import { writeFileAtomic } from './atomic-write';
import { checkRoleName, POOL_OPTIONS, parseOptions, resolvePoolTarget, stringOption } from './cli-args';
import { type CliIo, reportUsageError, runAsProcess } from './cli-io';
import { DEFAULT_ENV_FILE, FILE_MODES, FORMATS, type Format, render } from './formats';
import { printable, quoted } from './terminal-text';

const PROGRAM = 'hasura-config';

const OPTIONS = {
  ...POOL_OPTIONS,
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  'unauthorized-role': { type: 'string' },
  'env-file': { type: 'string' },
} as const;

export const USAGE = `Usage: hasura-config (--outputs FILE [--stack NAME] | --region R --user-pool-id ID --client-id C [--client-id C2 ...]
         [--endpoint URL] [--namespace NS] [--claims-format stringified_json|json]) [--token-use access|id]
         [--format env|json|compose|ddn] [--unauthorized-role ROLE] [--env-file NAME] [--out FILE [--force]]
Writes HASURA_GRAPHQL_JWT_SECRET for a user pool. With --outputs (the file cdk deploy --outputs-file wrote),
the config is the stack's own HasuraJwtSecret output, checked.
In a clone of the repository: npm run hasura-config -- <options>.
`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const values = parseOptions(argv, OPTIONS);
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const formatText = stringOption(values, 'format') ?? 'env';
    if (!(FORMATS as readonly string[]).includes(formatText)) {
      throw new InvalidInputError('--format', `one of ${FORMATS.join(', ')}`, quoted(formatText));
    }
    const format = formatText as Format;
    const unauthorizedRoleText = stringOption(values, 'unauthorized-role');
    if (unauthorizedRoleText !== undefined && format !== 'env') {
      throw new InvalidInputError('--unauthorized-role', '--format env (it adds HASURA_GRAPHQL_UNAUTHORIZED_ROLE)', `--format ${format}`);
    }
    const envFile = stringOption(values, 'env-file');
    if (envFile !== undefined) {
      if (format !== 'compose')
        throw new InvalidInputError('--env-file', '--format compose (it names the env file compose loads)', `--format ${format}`);
      if (!/^(?!\/)[\w][\w.\-/]*$/.test(envFile) || envFile.split('/').includes('..')) {
        throw new InvalidInputError('--env-file', `a relative file name such as ${DEFAULT_ENV_FILE}`, quoted(envFile));
      }
    }
    if (values.force === true && values.out === undefined) throw new InvalidInputError('--force', '--out FILE with it', 'no --out');

    const target = resolvePoolTarget(values);
    const unauthorizedRole = unauthorizedRoleText === undefined ? undefined : checkRoleName(unauthorizedRoleText, '--unauthorized-role');
    const text = render(format, {
      secret: target.secret,
      userPoolId: target.pool.userPoolId,
      tokenUse: target.tokenUse,
      unauthorizedRole,
      envFile,
    });

    const out = stringOption(values, 'out');
    if (out === undefined) {
      io.stdout(text);
      return 0;
    }
    const outcome = writeFileAtomic(out, text, { mode: FILE_MODES[format], force: values.force === true });
    io.stdout(outcome === 'written' ? `wrote ${printable(out)}\n` : `${printable(out)} is up to date\n`);
    return 0;
  } catch (error) {
    return reportUsageError(PROGRAM, error, io);
  }
}

if (require.main === module) runAsProcess(main);
