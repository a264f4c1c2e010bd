/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * partial or empty file: a temporary file in the same directory, fsync, rename over the target.
 */

import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidInputError, OutputExistsError } from '../lambda/errors';

export type WriteOutcome = 'written' | 'unchanged';

export interface AtomicWriteOptions {
  /** File mode of the new file, e.g. 0o600 for secrets-adjacent config. */
  readonly mode: number;
  /** Replace an existing file whose content differs. */
  readonly force: boolean;
}

/**
 * Writes `content` to `path`. An existing file with the same content is left alone ('unchanged');
 * one with different content is replaced only with `force` (else OutputExistsError, file untouched).
 */
export function writeFileAtomic(path: string, content: string, options: AtomicWriteOptions): WriteOutcome {
  const existing = readExisting(path);
  if (existing !== undefined) {
    if (existing === content) return 'unchanged';
    if (!options.force) throw new OutputExistsError(path);
  }

  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', options.mode);
    fchmodSync(fd, options.mode); // exact mode, whatever the umask
    const bytes = Buffer.from(content, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InvalidInputError(`--out ${path}`, 'a writable file in an existing directory', `an error (${code})`);
  }
  syncDirectory(dirname(path));
  return 'written';
}

function readExisting(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new InvalidInputError(
      `--out ${path}`,
      'a regular file or no file',
      code === 'EISDIR' ? 'a directory' : `an unreadable file (${code ?? 'error'})`,
    );
  }
}

/** Makes the rename durable; not every platform can fsync a directory, which is fine. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
