/**
 * Which folder may import which, read from the import statements (`from '…'`, `import '…'`,
 * `import('…')`, `require('…')`, `require.resolve('…')`) of every source file:
 *   lambda/         the trigger: only itself, and no package (it deploys with no dependencies)
 *   lib/            the published library: itself and lambda/; of packages, only its dependencies and peers
 *   hasura-config/  the CLIs: itself, lib/ and lambda/, and never the CDK, not even through lib/; its bin/
 *                   shims run the compiled twins in dist/, counted here as the sources they compile from
 *   bin/            the CDK app and npm start (bin/local/): any of the above
 * None imports test/ or bench/.
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const FOLDERS = ['lambda', 'lib', 'hasura-config', 'bin'] as const;
type Folder = (typeof FOLDERS)[number];

const MAY_IMPORT: Readonly<Record<Folder, readonly Folder[]>> = {
  lambda: ['lambda'],
  lib: ['lib', 'lambda'],
  'hasura-config': ['hasura-config', 'lib', 'lambda'],
  bin: ['bin', 'lib', 'hasura-config', 'lambda'],
};

const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
/**
 * Packages lib/ imports besides its dependencies and peers. esbuild bundles the Lambda, but only
 * inside this repository and in `npm run build` (lib/lambda-bundling.ts loads it when called): the
 * installed package ships the bundle, and the package e2e test synthesizes with no esbuild. cdk-nag,
 * the app's checks, is not here: it belongs to bin/app.ts.
 */
const LIB_BUNDLER = ['esbuild'];
const CDK_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag'];

const SPECIFIER = /\b(?:from|import|require(?:\.resolve)?)\s*\(?\s*(['"])([^'"\n]+)\1/g;

interface Import {
  /** The importing file, relative to the repository. */
  readonly file: string;
  readonly specifier: string;
  /** The repository file a relative specifier names (relative path), or undefined for a package. */
  readonly target?: string;
}

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|cjs)$/.test(entry.name) ? [relative] : [];
  });
}

/** The file a relative specifier resolves to, as Node's resolver (with the TypeScript loader) would find it. */
function resolveFile(from: string, specifier: string): string {
  const resolved = path.resolve(ROOT, path.dirname(from), specifier);
  // dist/ is the compiled twin of the sources (`npm run build`): a file there counts as its source.
  const compiled = path.relative(path.join(ROOT, 'dist'), resolved);
  const base = compiled.startsWith('..') ? resolved : path.join(ROOT, compiled.replace(/\.js$/, ''));
  const found = [base, `${base}.ts`, `${base}.cjs`, `${base}.js`, path.join(base, 'index.ts')].find((candidate) =>
    fs.statSync(candidate, { throwIfNoEntry: false })?.isFile(),
  );
  return path.relative(ROOT, found ?? base);
}

/** The import statements of a source file; comments are removed first, so prose cannot count as an import. */
function importsOf(file: string, source: string): Import[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(SPECIFIER)].map(([, , specifier]) =>
    specifier.startsWith('.') ? { file, specifier, target: resolveFile(file, specifier) } : { file, specifier },
  );
}

const folderOf = (file: string) => file.split(path.sep)[0];
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

const imports = new Map(
  FOLDERS.flatMap(sourceFiles).map((file) => [file, importsOf(file, fs.readFileSync(path.join(ROOT, file), 'utf8'))]),
);
const all = [...imports.values()].flat();
const shown = (i: Import) => `${i.file}: '${i.specifier}'`;

it('finds the source files and their imports', () => {
  for (const folder of FOLDERS) expect([...imports.keys()].some((file) => folderOf(file) === folder)).toBe(true);
  expect(imports.get(path.join('bin', 'start.ts'))).toContainEqual({
    file: path.join('bin', 'start.ts'),
    specifier: './local/local-stack',
    target: path.join('bin', 'local', 'local-stack.ts'),
  });
  expect(imports.get(path.join('hasura-config', 'bin', 'check-token.cjs'))?.map((i) => i.target)).toContain(
    path.join('hasura-config', 'check-token.ts'),
  );
});

it.each(FOLDERS)('%s/ imports only from the folders it may', (folder) => {
  const allowed: readonly string[] = MAY_IMPORT[folder];
  const forbidden = all.filter((i) => folderOf(i.file) === folder && i.target !== undefined && !allowed.includes(folderOf(i.target)));
  expect(forbidden.map(shown)).toEqual([]);
});

it('lambda/ imports no package: the trigger deploys with no dependencies', () => {
  expect(all.filter((i) => folderOf(i.file) === 'lambda' && i.target === undefined && !isBuiltin(i.specifier)).map(shown)).toEqual([]);
});

it('lib/ imports only the packages it depends on', () => {
  const allowed = [...Object.keys(PACKAGE_JSON.dependencies), ...Object.keys(PACKAGE_JSON.peerDependencies), ...LIB_BUNDLER];
  const others = all.filter(
    (i) => folderOf(i.file) === 'lib' && i.target === undefined && !isBuiltin(i.specifier) && !allowed.includes(packageOf(i.specifier)),
  );
  expect(others.map(shown)).toEqual([]);
});

it.each(['hasura-config', 'lambda'])('%s/ reaches no CDK package, directly or through the files it imports', (folder) => {
  const reached = new Set([...imports.keys()].filter((file) => folderOf(file) === folder));
  for (const file of reached) {
    for (const i of imports.get(file) ?? []) if (i.target !== undefined && imports.has(i.target)) reached.add(i.target);
  }
  const cdk = [...reached]
    .flatMap((file) => imports.get(file)!)
    .filter((i) => i.target === undefined && CDK_PACKAGES.includes(packageOf(i.specifier)));
  expect(cdk.map(shown)).toEqual([]);
});
