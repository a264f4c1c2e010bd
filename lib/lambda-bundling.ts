/**
 * How the pre token generation Lambda is bundled: one function, `bundlePreTokenGeneration`. `npm run
 * build` runs it to write the bundle the package ships; inside this repository the construct runs it
 * at synth, and the benchmark and the local flow run it too, so all of them run the same minified
 * bundle (tests compare the shipped and the synthesized asset with it byte for byte).
 *
 * No CDK import here: the benchmark and the local flow must not load aws-cdk-lib. esbuild is loaded
 * only when a bundle is built: the installed package ships its bundle and has no esbuild.
 */
import * as path from 'node:path';

export const PRE_TOKEN_GENERATION_ENTRY = path.join(__dirname, '..', 'lambda', 'index.ts');

/** Node.js major version of the Lambda runtime (Runtime.NODEJS_24_X, the newest aws-cdk-lib offers). */
export const LAMBDA_NODE_MAJOR = 24;

/** The file name of the bundle in its directory; the function's handler is `index.handler`. */
export const LAMBDA_BUNDLE_FILE = 'index.js';

/** The directory `npm run build` writes the shipped bundle to, in dist/ (beside dist/lib/). */
export const LAMBDA_BUNDLE_DIR_NAME = 'lambda-bundle';

/** Bundles the handler into `<outdir>/index.js` and returns that path. */
export function bundlePreTokenGeneration(outdir: string): string {
  return bundleLambda(PRE_TOKEN_GENERATION_ENTRY, outdir);
}

/** Bundles any handler entry with the deployment's settings (the benchmark's baseline uses it too). */
export function bundleLambda(entry: string, outdir: string): string {
  // Synchronous: CDK's local bundling (`ILocalBundling.tryBundle`) is synchronous.
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const outfile = path.join(outdir, LAMBDA_BUNDLE_FILE);
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: `node${LAMBDA_NODE_MAJOR}`,
    format: 'cjs',
    minify: true,
    sourcemap: false,
    // The handler needs no AWS SDK; keep it external as the managed runtime provides it anyway.
    external: ['@aws-sdk/*'],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}
