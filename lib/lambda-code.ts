/**
 * The pre token generation function's code. The installed package ships its bundle (`npm run build`
 * writes it next to the compiled library), so a consumer's synth needs no esbuild, no Docker and no
 * TypeScript. Inside this repository there is no shipped bundle next to the sources: the same
 * bundling function builds it at synth, skipped like any bundling for stacks outside
 * `aws:cdk:bundling-stacks`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aws_lambda as lambda } from 'aws-cdk-lib';
import { bundlePreTokenGeneration, LAMBDA_BUNDLE_DIR_NAME, LAMBDA_BUNDLE_FILE, PRE_TOKEN_GENERATION_ENTRY } from './lambda-bundling';

/** The shipped bundle's directory: dist/lambda-bundle/ beside dist/lib/, where this file compiles to. */
export const SHIPPED_BUNDLE_DIR = path.join(__dirname, '..', LAMBDA_BUNDLE_DIR_NAME);

/** The handler of the bundle, as the function's `handler` names it. */
export const PRE_TOKEN_GENERATION_HANDLER = `${path.parse(LAMBDA_BUNDLE_FILE).name}.handler`;

export function preTokenGenerationCode(runtime: lambda.Runtime): lambda.Code {
  if (fs.existsSync(path.join(SHIPPED_BUNDLE_DIR, LAMBDA_BUNDLE_FILE))) return lambda.Code.fromAsset(SHIPPED_BUNDLE_DIR);
  return lambda.Code.fromAsset(path.dirname(PRE_TOKEN_GENERATION_ENTRY), {
    bundling: {
      local: {
        // Bundles or throws: it never returns false, so the image below is never pulled.
        tryBundle(outputDir) {
          bundlePreTokenGeneration(outputDir);
          return true;
        },
      },
      image: runtime.bundlingImage,
    },
  });
}
