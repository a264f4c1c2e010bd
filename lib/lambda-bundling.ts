/**
 * How the pre token generation Lambda is bundled. The CDK construct passes these settings to
 * NodejsFunction; the benchmark and the local flow call `bundlePreTokenGeneration`, so all three
 * run the same minified bundle (a test compares it byte for byte with the synthesized asset).
 *
 * No CDK import here: the benchmark and the local flow must not load aws-cdk-lib.
 */
import * as path from 'node:path';
import { build } from 'esbuild';

export const PRE_TOKEN_GENERATION_ENTRY = path.join(__dirname, '..', 'lambda', 'index.ts');

/** Node.js major version of the Lambda runtime (Runtime.NODEJS_24_X, the newest aws-cdk-lib offers). */
export const LAMBDA_NODE_MAJOR = 24;

/** NodejsFunction `bundling` settings; mirrored one to one in `bundlePreTokenGeneration`. */
export const PRE_TOKEN_BUNDLING = {
  minify: true,
  sourceMap: false,
  target: `node${LAMBDA_NODE_MAJOR}`,
  format: 'cjs',
  // The handler needs no AWS SDK; keep it external as the managed runtime provides it anyway.
  externalModules: ['@aws-sdk/*'],
} as const;

/**
 * Bundles the handler into `<outdir>/index.js` (the file name NodejsFunction uploads) and returns
 * that path.
 */
export function bundlePreTokenGeneration(outdir: string): Promise<string> {
  return bundleLambda(PRE_TOKEN_GENERATION_ENTRY, outdir);
}

/** Bundles any handler entry with the deployment's settings (the benchmark's baseline uses it too). */
export async function bundleLambda(entry: string, outdir: string): Promise<string> {
  const outfile = path.join(outdir, 'index.js');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: PRE_TOKEN_BUNDLING.target,
    format: PRE_TOKEN_BUNDLING.format,
    minify: PRE_TOKEN_BUNDLING.minify,
    sourcemap: PRE_TOKEN_BUNDLING.sourceMap,
    external: [...PRE_TOKEN_BUNDLING.externalModules],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}
