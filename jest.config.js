/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  // A generous limit for hung tests only: on 2 loaded cores a first CDK synth (loading aws-cdk-lib,
  // running esbuild) can take over jest's default 5 s. No test asserts on wall-clock time.
  testTimeout: 60_000,
  // One worker per core rather than jest's default of cores - 1 (a single worker on 2 cores): many
  // suites spend their time waiting on subprocesses (tsx, cdk synth, cognito-local, npm).
  maxWorkers: '100%',
  // Removes the cdk.out* directories that CDK tests synthesize into the OS temp dir.
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
