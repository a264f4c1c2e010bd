/**
 * `npm run bench`: the pre token generation Lambda as deployed (esbuild, minified), against the
 * minimal handler of Hasura's Cognito guide bundled the same way, in one run:
 *   1. bundle bytes;
 *   2. module load time over an empty module, two ways: in a process whose module loader has
 *      already run (as the Lambda runtime's has when it loads the handler), and as the first
 *      require of a fresh process, which also pays Node's and V8's first-use costs;
 *   3. time per invocation for a V1 and a V2 event, and the ratio to the baseline.
 * It prints each figure against its bound and says whether it is inside; it never fails on them:
 * the bounds guard against regressions, and timings on a shared machine are noisy.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleLambda, bundlePreTokenGeneration } from '../lib/lambda-bundling';

const LOAD_SAMPLES = 41;
const WARM_LOAD_ROUNDS = 300;
const WARM_LOAD_WARMUP = 30;
const CALLS_PER_ROUND = 50_000;
const ROUNDS = 15;

/** The bounds `npm run bench` reports against (none of them user-visible next to a Lambda cold start). */
const BOUNDS = {
  /** The deployed bundle, in bytes. */
  bundleBytes: 8 * 1024,
  /** Module load over an empty module, warm process, in milliseconds. */
  loadMs: 1,
  /** Time per invocation over the baseline's. */
  callRatio: 1.5,
};

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
 * per process. Coarser than `warmLoadTimes`, and with no bound: it includes Node's and V8's
 * first-use costs, which a warm process pays only for its first copy, and it varies from process
 * to process by tenths of a millisecond.
 */
function loadTimes(files: Record<string, string>): Record<string, number[]> {
  // The end time is taken before process.stdout is touched: its first use sets up the stream,
  // several milliseconds that are no part of the load.
  const script =
    'const t=process.hrtime.bigint();require(process.argv[1]);const ms=Number(process.hrtime.bigint()-t)/1e6;process.stdout.write(String(ms))';
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
  const out = execFileSync(
    process.execPath,
    ['-e', script, copies, String(WARM_LOAD_ROUNDS), String(WARM_LOAD_WARMUP), ...Object.values(files)],
    {
      env: { ...process.env, HASURA_CLAIMS_CONFIG: CONFIG },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
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
    const ours = bundlePreTokenGeneration(path.join(dir, 'ours'));
    const baseline = bundleLambda(path.join(__dirname, 'hasura-guide-baseline.ts'), path.join(dir, 'baseline'));
    const empty = path.join(dir, 'empty.js');
    fs.writeFileSync(empty, '');

    console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`);
    const inside = (figure: number, bound: number) => (figure <= bound ? 'inside' : 'OUTSIDE');

    const bytes = (file: string) => fs.statSync(file).size;
    console.log('1. Bundle (esbuild, minified, as deployed)');
    console.log(`   hasura-cognito   ${bytes(ours)} bytes   bound <= ${BOUNDS.bundleBytes}: ${inside(bytes(ours), BOUNDS.bundleBytes)}`);
    console.log(`   baseline         ${bytes(baseline)} bytes\n`);

    const report = (load: Record<string, number[]>, bound?: number) => {
      const line = (name: string) =>
        `median ${median(load[name]).toFixed(3)} ms (p10 ${percentile(load[name], 0.1).toFixed(3)}, p90 ${percentile(load[name], 0.9).toFixed(3)})`;
      const over = (name: string) => median(load[name]) - median(load.empty);
      const verdict = bound === undefined ? '' : `   bound <= ${bound} ms: ${inside(over('ours'), bound)}`;
      console.log(`   empty module     ${line('empty')}`);
      console.log(`   baseline         ${line('baseline')}   over empty ${over('baseline').toFixed(3)} ms`);
      console.log(`   hasura-cognito   ${line('ours')}   over empty ${over('ours').toFixed(3)} ms${verdict}`);
    };
    console.log('2. Module load, with the config above');
    console.log(`   a. require() in a warm process, ${WARM_LOAD_ROUNDS - WARM_LOAD_WARMUP} fresh copies each, interleaved`);
    report(warmLoadTimes({ empty, baseline, ours }, dir), BOUNDS.loadMs);
    console.log(`   b. first require() of a fresh process, ${LOAD_SAMPLES} processes each (no bound: includes first-use costs)`);
    report(loadTimes({ empty, baseline, ours }));
    console.log();

    process.env.HASURA_CLAIMS_CONFIG = CONFIG;
    const ourHandler: Handler = require(ours).handler;
    const baseHandler: Handler = require(baseline).handler;
    console.log(`3. Per invocation, ${ROUNDS} alternating rounds of ${CALLS_PER_ROUND} calls, medians`);
    const events = [
      ['V1', event('pretoken-v1-authentication')],
      ['V2', event('pretoken-v2-hostedauth-groups')],
    ] as const;
    // Like for like: both handlers must answer each event with the same response.
    for (const [label, input] of events) {
      const [mine, base] = await Promise.all([ourHandler, baseHandler].map(async (h) => JSON.stringify(await h(structuredClone(input)))));
      if (mine !== base) throw new Error(`the baseline's ${label} response differs from hasura-cognito's:\n${base}\n${mine}`);
    }
    // Warm both handlers on both event versions first, so both are measured with the same,
    // fully optimized code whatever the order of the measurements.
    for (let i = 0; i < 4; i++) for (const [, input] of events) for (const h of [ourHandler, baseHandler]) await timeRound(h, input);
    for (const [label, input] of events) {
      const { ours: mine, baseline: base, ratio } = await compare(ourHandler, baseHandler, input);
      console.log(
        `   ${label}: hasura-cognito ${(mine / 1000).toFixed(3)} us, baseline ${(base / 1000).toFixed(3)} us, ratio ${ratio.toFixed(2)}x   bound <= ${BOUNDS.callRatio}x: ${inside(ratio, BOUNDS.callRatio)}`,
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
