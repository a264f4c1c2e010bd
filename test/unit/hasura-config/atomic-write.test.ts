/** atomic-write: a failure at any step leaves the old file as it was and no temporary file. */
// The real module object (not an interop copy), so spies reach atomic-write's calls.
import fs = require('node:fs');

import { join } from 'node:path';
import { writeFileAtomic } from '../../../hasura-config/atomic-write';
import { InvalidInputError, OutputExistsError } from '../../../lambda/errors';
import { makeTempDir } from './helpers';

describe('writeFileAtomic', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    temp.cleanup();
  });

  it.each([
    ['writing fails (disk full)', 'writeSync', 'ENOSPC'],
    ['fsync fails', 'fsyncSync', 'EIO'],
    ['rename fails', 'renameSync', 'EXDEV'],
  ] as const)('when %s, the old file stays and no temp file remains', (_name, method, code) => {
    const path = join(temp.dir, 'hasura.env');
    fs.writeFileSync(path, 'old content\n');
    jest.spyOn(fs, method).mockImplementation(() => {
      throw Object.assign(new Error(code), { code });
    });
    expect(() => writeFileAtomic(path, 'new content\n', { mode: 0o600, force: true })).toThrow(InvalidInputError);
    jest.restoreAllMocks();
    expect(fs.readFileSync(path, 'utf8')).toBe('old content\n');
    expect(fs.readdirSync(temp.dir)).toEqual(['hasura.env']);
  });

  it('creates a file that did not exist, exactly', () => {
    const path = join(temp.dir, 'out.json');
    expect(writeFileAtomic(path, '{}\n', { mode: 0o644, force: false })).toBe('written');
    expect(fs.readFileSync(path, 'utf8')).toBe('{}\n');
  });

  it('refuses different content without force and reports unchanged content', () => {
    const path = join(temp.dir, 'out.json');
    fs.writeFileSync(path, 'a');
    expect(() => writeFileAtomic(path, 'b', { mode: 0o644, force: false })).toThrow(OutputExistsError);
    expect(writeFileAtomic(path, 'a', { mode: 0o644, force: false })).toBe('unchanged');
    expect(fs.readFileSync(path, 'utf8')).toBe('a');
  });
});
