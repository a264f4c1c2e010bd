/**
 * `--password -`: a password read from standard input (one trailing newline dropped), or asked for
 * at the terminal with echo off. A password is never taken from the arguments, where other users
 * of the machine can read it (the process list) and the shell keeps it (its history).
 */
import { InvalidInputError } from '../lambda/errors';
import { type CliIo, MAX_STDIN_BYTES } from './cli-io';
import { COGNITO_PASSWORD_MAX_LENGTH } from './password';

/** Checks the value of `--password` before anything is read or sent: only `-` is accepted. */
export function checkPasswordOption(value: string | undefined): void {
  if (value !== undefined && value !== '-') {
    // The value is not quoted back: it is most likely the password itself.
    throw new InvalidInputError(
      '--password',
      '- (the password on standard input; arguments are visible to other users)',
      'a password in the arguments',
    );
  }
}

/**
 * The password for `--password -`, or, when `--password` is not given and `ask` is set, asked at
 * the terminal. `undefined` when it is not given and not asked for (the caller generates one).
 */
export async function readPassword(value: string | undefined, io: CliIo, ask: string | undefined): Promise<string | undefined> {
  checkPasswordOption(value);
  if (value === undefined && ask === undefined) return undefined;
  let password: string | undefined;
  if (io.promptSecret !== undefined) {
    // A terminal: ask with echo off, for `--password -` too (nothing to pipe in).
    password = await io.promptSecret(ask ?? 'Password: ');
    if (password === undefined) throw new InvalidInputError('--password', 'a password typed at the prompt', 'none (cancelled)');
  } else if (value === '-' && io.readStdin !== undefined) {
    const text = await io.readStdin('the password');
    if (Buffer.byteLength(text) > MAX_STDIN_BYTES) throw new InvalidInputError('--password -', 'one password on standard input', 'more');
    password = text.replace(/\r?\n$/, '');
  } else {
    throw new InvalidInputError('--password', '- with the password on standard input (it is not a terminal to ask at)', 'no --password');
  }
  if (password === '') throw new InvalidInputError('--password -', 'a password', 'an empty line');
  if (/[\r\n]/.test(password)) throw new InvalidInputError('--password -', 'one line', 'several lines');
  if ([...password].length > COGNITO_PASSWORD_MAX_LENGTH) {
    throw new InvalidInputError('--password -', `a password of at most ${COGNITO_PASSWORD_MAX_LENGTH} characters`, 'more');
  }
  return password;
}
