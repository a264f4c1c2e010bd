/**
 * The one test that synthesizes with real bundling: the asset CDK uploads must be byte for byte
 * the bundle that the benchmark and the local flow run (`bundlePreTokenGeneration`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundlePreTokenGeneration } from '../../../lib/lambda-bundling';
import { buildStack, onlyResource } from './helpers';

let tmpdir: string;
beforeAll(() => {
  tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-bundle-'));
});
afterAll(() => {
  fs.rmSync(tmpdir, { recursive: true, force: true });
});

test('the synthesized Lambda asset is byte-identical to bundlePreTokenGeneration output', async () => {
  const { app, template } = buildStack({}, { bundling: true, context: { 'aws:cdk:enable-asset-metadata': true } });
  const assembly = app.synth();
  const [, fn] = onlyResource(template, 'AWS::Lambda::Function');
  const assetPath = fn.Metadata?.['aws:asset:path'];
  expect(typeof assetPath).toBe('string');
  const assetDir = path.join(assembly.directory, assetPath as string);
  // The asset holds the bundle and nothing else (no source map, no node_modules).
  expect(fs.readdirSync(assetDir)).toEqual(['index.js']);
  const synthesized = fs.readFileSync(path.join(assetDir, 'index.js'));

  const reference = fs.readFileSync(bundlePreTokenGeneration(tmpdir));
  expect(synthesized.length).toBeGreaterThan(0);
  expect(synthesized.equals(reference)).toBe(true);
});
