/**
 * The code of the package's Lambdas (see lib/lambda-bundling.ts). The installed package ships their
 * bundles (`npm run build` writes them next to the compiled library), so a consumer's synth needs no
 * esbuild, no Docker and no TypeScript. Inside this repository there is no shipped bundle next to
 * the sources: the same bundling function builds it at synth, skipped like any bundling for stacks
 * outside `aws:cdk:bundling-stacks`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, aws_lambda as lambda } from 'aws-cdk-lib';
import {
  bundleLambda,
  LAMBDA_BUNDLE_DIR_NAME,
  LAMBDA_BUNDLE_FILE,
  POOL_TRIGGER_LAMBDA,
  PRE_TOKEN_GENERATION_LAMBDA,
  type ShippedLambda,
} from './lambda-bundling';

/** The trigger's shipped bundle directory: dist/lambda-bundle/ beside dist/lib/, where this file compiles to. */
export const SHIPPED_BUNDLE_DIR = path.join(__dirname, '..', LAMBDA_BUNDLE_DIR_NAME);

/** The handler of every bundle, as a function's `handler` names it. */
export const PRE_TOKEN_GENERATION_HANDLER = `${path.parse(LAMBDA_BUNDLE_FILE).name}.handler`;

/** The shipped bundle if there is one (the installed package), else the same bundle built at synth. */
export function shippedLambdaCode(shipped: ShippedLambda, runtime: lambda.Runtime): lambda.Code {
  const shippedDir = path.join(__dirname, '..', shipped.bundleDirName);
  if (fs.existsSync(path.join(shippedDir, LAMBDA_BUNDLE_FILE))) return lambda.Code.fromAsset(shippedDir);
  return lambda.Code.fromAsset(path.dirname(shipped.entry), {
    // The hash of the bundle itself: an entry may import files outside its directory (the
    // attachment handler imports lambda/errors.ts), which a hash of that directory would miss.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: {
        // Bundles or throws: it never returns false, so the image below is never pulled.
        tryBundle(outputDir) {
          bundleLambda(shipped.entry, outputDir);
          return true;
        },
      },
      image: runtime.bundlingImage,
    },
  });
}

export function preTokenGenerationCode(runtime: lambda.Runtime): lambda.Code {
  return shippedLambdaCode(PRE_TOKEN_GENERATION_LAMBDA, runtime);
}

/** The code of `PreTokenTriggerAttachment`'s custom resource handler. */
export function poolTriggerCode(runtime: lambda.Runtime): lambda.Code {
  return shippedLambdaCode(POOL_TRIGGER_LAMBDA, runtime);
}
