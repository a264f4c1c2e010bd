/**
 * `npm run bench`: the pre token generation Lambda as deployed (esbuild, minified), against the
 * minimal handler of Hasura's Cognito guide bundled the same way, in one run:
 *   1. bundle bytes;
 *   2. module load time over an empty module, two ways: in a process whose module loader has
 *      already run (as the Lambda runtime's has when it loads the handler), and as the first
 *      require of a fresh process, which also pays Node's own first-use costs;
 *   3. time per invocation for a V1 and a V2 event, and the ratio to the baseline.
 * It prints figures and the targets of issue 2; it never fails on them.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleLambda, bundlePreTokenGeneration } from '../lib/lambda-bundling';

const LOAD_SAMPLES = 41;
const WARM_LOAD_ROUNDS = 300;
const WARM_LOAD_WARMUP = 30;
const CALLS_PER_ROUND = 50_000;
const ROUNDS = 15;

/** A realistic production config: three mapped groups and one tenant session variable. */
const CONFIG = JSON.stringify({
  groupRoles: { admin: 'admin', editor: 'editor', auditor: 'auditor' },
  sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
});

type Handler = (event: unknown) => Promise<unknown>;

function event(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'events', `${name}.json`), 'utf8'));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

/**
 * Milliseconds that `require(file)` takes as the first require of a fresh Node process, one sample
 * per process. Coarser than `warmLoadTimes`: it includes Node's and V8's first-use costs, which
 * vary from process to process by a few tenths of a millisecond.
 */
function loadTimes(files: Record<string, string>): Record<string, number[]> {
  const script = 'const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((k) => [k, []]));
  for (let i = 0; i < LOAD_SAMPLES; i++) {
    // Interleaved, so drift in machine load hits every variant alike.
    for (const [name, file] of Object.entries(files)) {
      const out = execFileSync(process.execPath, ['-e', script, file], { env: { ...process.env, HASURA_CLAIMS_CONFIG: CONFIG } });
      samples[name].push(Number(out.toString()));
    }
  }
  return samples;
}

/**
 * Milliseconds that `require(file)` takes in one process whose loader is already warm: every
 * round loads a fresh copy of each file, interleaved. Each copy ends in a distinct comment, so V8's
 * compilation cache (keyed on the source text) cannot serve it: each load parses, compiles and runs
 * the module as a cold start does. The first rounds are dropped.
 */
function warmLoadTimes(files: Record<string, string>, dir: string): Record<string, number[]> {
  const script = `
    const fs = require('node:fs'), path = require('node:path');
    const [dir, rounds, warmup, ...files] = process.argv.slice(1);
    const sources = files.map((file) => fs.readFileSync(file, 'utf8'));
    const samples = files.map(() => []);
    for (let round = 0; round < Number(rounds); round++) {
      sources.forEach((source, i) => {
        const copy = path.join(dir, round + '-' + i + '.js');
        fs.writeFileSync(copy, source + '\\n//' + round);
        const start = process.hrtime.bigint();
        require(copy);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (round >= Number(warmup)) samples[i].push(ms);
      });
    }
    process.stdout.write(JSON.stringify(samples));`;
  const copies = fs.mkdtempSync(path.join(dir, 'warm-'));
  const out = execFileSync(process.execPath, ['-e', script, copies, String(WARM_LOAD_ROUNDS), String(WARM_LOAD_WARMUP), ...Object.values(files)], {
    env: { ...process.env, HASURA_CLAIMS_CONFIG: CONFIG },
    maxBuffer: 64 * 1024 * 1024,
  });
  const samples: number[][] = JSON.parse(out.toString());
  return Object.fromEntries(Object.keys(files).map((name, i) => [name, samples[i]]));
}

/** Nanoseconds per `await handler(event)` over one round. */
async function timeRound(handler: Handler, input: unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS_PER_ROUND; i++) await handler(input);
  return Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND;
}

/**
 * Both handlers, round after round in alternation, so drift in machine load and GC hits both
 * alike; the ratio is the median of the per-round ratios.
 */
async function compare(ours: Handler, baseline: Handler, input: unknown): Promise<{ ours: number; baseline: number; ratio: number }> {
  const mine: number[] = [];
  const base: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    base.push(await timeRound(baseline, input));
    mine.push(await timeRound(ours, input));
    ratios.push(mine[round] / base[round]);
  }
  return { ours: median(mine), baseline: median(base), ratio: median(ratios) };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-bench-'));
  try {
    const ours = await bundlePreTokenGeneration(path.join(dir, 'ours'));
    const baseline = await bundleLambda(path.join(__dirname, 'hasura-guide-baseline.ts'), path.join(dir, 'baseline'));
    const empty = path.join(dir, 'empty.js');
    fs.writeFileSync(empty, '');

    console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`);

    const bytes = (file: string) => fs.statSync(file).size;
    const gz = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
    console.log('1. Bundle (esbuild, minified, as deployed)');
    console.log(`   hasura-cognito   ${bytes(ours)} bytes (gzip ${gz(ours)})   target <= 4096`);
    console.log(`   baseline         ${bytes(baseline)} bytes (gzip ${gz(baseline)})\n`);

    const report = (load: Record<string, number[]>) => {
      const line = (name: string) =>
        `median ${median(load[name]).toFixed(3)} ms (p10 ${percentile(load[name], 0.1).toFixed(3)}, p90 ${percentile(load[name], 0.9).toFixed(3)})`;
      console.log(`   empty module     ${line('empty')}`);
      console.log(`   baseline         ${line('baseline')}   over empty ${(median(load.baseline) - median(load.empty)).toFixed(3)} ms`);
      console.log(`   hasura-cognito   ${line('ours')}   over empty ${(median(load.ours) - median(load.empty)).toFixed(3)} ms   target < 0.5 ms`);
    };
    console.log('2. Module load, with the config above');
    console.log(`   a. require() in a warm process, ${WARM_LOAD_ROUNDS - WARM_LOAD_WARMUP} fresh copies each, interleaved`);
    report(warmLoadTimes({ empty, baseline, ours }, dir));
    console.log(`   b. first require() of a fresh process, ${LOAD_SAMPLES} processes each`);
    report(loadTimes({ empty, baseline, ours }));
    console.log();

    process.env.HASURA_CLAIMS_CONFIG = CONFIG;
    const ourHandler: Handler = require(ours).handler;
    const baseHandler: Handler = require(baseline).handler;
    console.log(`3. Per invocation, ${ROUNDS} alternating rounds of ${CALLS_PER_ROUND} calls, medians`);
    const events = [['V1', event('pretoken-v1-authentication')], ['V2', event('pretoken-v2-hostedauth-groups')]] as const;
    // Warm both handlers on both event versions first, so both are measured with the same,
    // fully optimized code whatever the order of the measurements.
    for (let i = 0; i < 4; i++) for (const [, input] of events) for (const h of [ourHandler, baseHandler]) await timeRound(h, input);
    for (const [label, input] of events) {
      const { ours: mine, baseline: base, ratio } = await compare(ourHandler, baseHandler, input);
      console.log(
        `   ${label}: hasura-cognito ${(mine / 1000).toFixed(3)} us, baseline ${(base / 1000).toFixed(3)} us, ratio ${ratio.toFixed(2)}x   target <= 1.5x`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
