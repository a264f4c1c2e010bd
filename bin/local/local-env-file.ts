/**
 * The env file `npm start` writes for Hasura (hasura-config/local.env by default). The local stack
 * keeps its pool across restarts, so the file is rewritten only when its content changes (a new
 * pool after --reset, another --cdk-json), and only a file npm start wrote itself, which it knows
 * by the first line: `--out` pointing at a hand-written or AWS env file is refused, as
 * hasura-config refuses it, unless `--force`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type WriteOutcome, writeFileAtomic } from '../../hasura-config/atomic-write';
import { FILE_MODES } from '../../hasura-config/formats';
import { printable } from '../../hasura-config/terminal-text';
import { InvalidInputError } from '../../lambda/errors';

/** The first line of every file npm start writes; a file that starts otherwise is not npm start's. */
export const LOCAL_ENV_MARKER =
  '# Written by npm start for the local Cognito emulator, whose tokens anyone can forge; npm start replaces this file.';

/** A path as npm start prints it: relative to the working directory when inside it, escaped. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return printable(relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative);
}

/**
 * Throws InvalidInputError for `--out` unless `file` may be written: it does not exist (in an
 * existing directory), npm start wrote it, or `force`. A directory or an unreadable file is
 * refused even with `force`: it cannot be told apart from the user's own, and is not replaced blindly.
 */
export function checkLocalEnvTarget(file: string, force: boolean): void {
  const field = `--out ${shownPath(file)}`;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const directory = path.dirname(file);
      if (!isDirectory(directory))
        throw new InvalidInputError(field, 'a file in an existing directory', `no directory ${shownPath(directory)}`);
      return;
    }
    if (code === 'EISDIR') throw new InvalidInputError(field, 'a file name', 'a directory');
    throw new InvalidInputError(field, 'no file, or a file npm start can read', `an unreadable file (${code})`);
  }
  if (force || text.split('\n', 1)[0] === LOCAL_ENV_MARKER) return;
  throw new InvalidInputError(field, 'no file, a file npm start wrote, or --force', 'a file npm start did not write');
}

/**
 * Writes the marker line and `hasuraEnv` (hasura-config's env output) to `file`, checking it again
 * first; a file that already says exactly that is left alone ('unchanged'), so a running Hasura's config stays as it is.
 */
export function writeLocalEnvFile(file: string, hasuraEnv: string, force: boolean): WriteOutcome {
  // Checked again: the file may have appeared since start-up.
  checkLocalEnvTarget(file, force);
  return writeFileAtomic(file, `${LOCAL_ENV_MARKER}\n${hasuraEnv}`, { mode: FILE_MODES.env, force: true });
}

function isDirectory(directory: string): boolean {
  try {
    return fs.statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
