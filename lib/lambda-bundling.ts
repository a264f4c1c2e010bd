/**
 * How the package's Lambdas are bundled: one function, `bundleLambda`, with one set of settings.
 * Two Lambdas ship: the pre token generation trigger and the handler that attaches it to an existing
 * pool (`PreTokenTriggerAttachment`). `npm run build` bundles both into dist/ (`bundleShippedLambdas`);
 * inside this repository the constructs bundle them at synth, and the benchmark and the local flow
 * bundle the trigger too, so all of them run the same minified bundle (tests compare the shipped and
 * the synthesized assets with it byte for byte).
 *
 * No CDK import here: the benchmark and the local flow must not load aws-cdk-lib. esbuild is loaded
 * only when a bundle is built: the installed package ships its bundles and has no esbuild.
 */
import * as path from 'node:path';

export const PRE_TOKEN_GENERATION_ENTRY = path.join(__dirname, '..', 'lambda', 'index.ts');

/** The entry of the custom resource handler that attaches the trigger to an existing pool. */
export const POOL_TRIGGER_ENTRY = path.join(__dirname, 'existing-pool', 'lambda-entry.ts');

/** Node.js major version of the Lambda runtime (Runtime.NODEJS_24_X, the newest aws-cdk-lib offers). */
export const LAMBDA_NODE_MAJOR = 24;

/** The file name of a bundle in its directory; a function's handler is `index.handler`. */
export const LAMBDA_BUNDLE_FILE = 'index.js';

/** The directory `npm run build` writes the trigger's shipped bundle to, in dist/ (beside dist/lib/). */
export const LAMBDA_BUNDLE_DIR_NAME = 'lambda-bundle';

/** A Lambda the package ships prebuilt: its entry, and the directory of dist/ its bundle is written to. */
export interface ShippedLambda {
  readonly entry: string;
  readonly bundleDirName: string;
}

export const PRE_TOKEN_GENERATION_LAMBDA: ShippedLambda = { entry: PRE_TOKEN_GENERATION_ENTRY, bundleDirName: LAMBDA_BUNDLE_DIR_NAME };
export const POOL_TRIGGER_LAMBDA: ShippedLambda = { entry: POOL_TRIGGER_ENTRY, bundleDirName: 'pool-trigger-bundle' };
export const SHIPPED_LAMBDAS: readonly ShippedLambda[] = [PRE_TOKEN_GENERATION_LAMBDA, POOL_TRIGGER_LAMBDA];

/** Bundles the trigger into `<outdir>/index.js` and returns that path. */
export function bundlePreTokenGeneration(outdir: string): string {
  return bundleLambda(PRE_TOKEN_GENERATION_ENTRY, outdir);
}

/** Bundles the existing-pool attachment handler into `<outdir>/index.js` and returns that path. */
export function bundlePoolTrigger(outdir: string): string {
  return bundleLambda(POOL_TRIGGER_ENTRY, outdir);
}

/** `npm run build`: every shipped Lambda into `<distDir>/<bundleDirName>/index.js`; returns those paths. */
export function bundleShippedLambdas(distDir: string): string[] {
  return SHIPPED_LAMBDAS.map((shipped) => bundleLambda(shipped.entry, path.join(distDir, shipped.bundleDirName)));
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
    // The trigger needs no AWS SDK; the attachment handler uses the one the managed runtime provides.
    external: ['@aws-sdk/*'],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}
