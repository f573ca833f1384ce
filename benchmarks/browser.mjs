/**
 * `pnpm bench:browser`: images per second of convkit's LeNet-5 training step (lib/works.mjs'
 * `lenet5-train-step`: SGD, batch 128 of 28x28x1) in the example page in headless Chromium on each
 * page backend — wasm on a cross-origin isolated page (threads), wasm on the same page served without
 * the COOP/COEP headers (one thread), webgl, cpu, webgpu where the browser offers it — beside the same
 * work in Node on tensorflow, wasm and cpu. Engines run in interleaved rounds (`--rounds`, default 3;
 * each round runs every engine once, in a rotated order, each in its own process or browser), with
 * `--budget-ms` (default 2500) of timed steps per engine and round. Prints the table and writes
 * benchmarks/results/browser.json.
 */
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runForJson } from './lib/child-process.mjs';
import { keepResults, machineDuring } from './lib/results.mjs';
import { summarize } from './lib/rounds.mjs';
import { renderTable } from './lib/table.mjs';
import { importCore, repoRoot } from './lib/tfjs-modules.mjs';
import { WORKS } from './lib/works.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'budget-ms': { type: 'string', default: '2500' },
  },
});
const ROUNDS = Number(args.rounds);
const BUDGET_MS = Number(args['budget-ms']);
const WORK = WORKS.find((w) => w.name === 'lenet5-train-step');
const here = join(repoRoot, 'benchmarks');
const app = join(repoRoot, 'examples', 'browser');

// The page's own test helpers (TypeScript) drive it: vite, the example's bundler, imports them.
const vite = await import(pathToFileURL(createRequire(join(app, 'package.json')).resolve('vite')).href);
const load = async (file) => (await vite.runnerImport(join(app, 'test', 'support', file), { root: app, configFile: false })).module;
const [{ buildPage }, { serveStatic }, { openApp, callPage }] = await Promise.all(
  ['page-build.ts', 'static-server.ts', 'page.ts'].map(load),
);

/** One round of one engine: `{ result: { ms, samples, kernels? }, device, threads }` or why it is unavailable. */
function nodeEngine(backend) {
  return () => {
    const runner = join(here, 'lib', 'tfjs-runner.mjs');
    const { parsed, failure } = runForJson(process.execPath, [runner, backend, String(BUDGET_MS)], {
      env: { ...process.env, CONVKIT_WASM_THREADS: String(threads), CONVKIT_BENCH_WORKS: WORK.name },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (!parsed) return { unavailable: `the runner ${failure}` };
    if (parsed.unavailable) return { unavailable: parsed.unavailable };
    const result = parsed.results[0];
    if (result.ms === undefined) return { unavailable: result.skipped };
    return { result, device: parsed.device, threads: parsed.threads };
  };
}

function pageEngine(server, backend) {
  return async () => {
    const opened = await openApp(server.url);
    try {
      // A first step compiles webgl's shaders (seconds under SwiftShader), which the timed call's one
      // warm-up step would otherwise fold into a lone sample; Node's backends compile nothing.
      await callPage(opened.page, 'benchTrainStep', backend, WORK.shape.batch, 0);
      const timing = await callPage(opened.page, 'benchTrainStep', backend, WORK.shape.batch, BUDGET_MS);
      const status = backend === 'wasm' ? await callPage(opened.page, 'wasmThreads') : undefined;
      return { result: timing, device: timing.device, threads: status?.active ?? null };
    } catch (error) {
      // playwright prefixes the page's error with the call it failed in; the page's message is the reason.
      const message = String(error instanceof Error ? error.message : error).split('\n')[0];
      return { unavailable: message.replace(/^page\.evaluate: (\w*Error: )?/, '') };
    } finally {
      await opened.close();
    }
  };
}

const core = await importCore();
const threads = core.requestedWasmThreads();
const pageBuild = join(app, 'node_modules', '.bench-page');
console.log('building the example page...');
await buildPage(pageBuild);
const servers = {
  isolated: await serveStatic({ '/': pageBuild }, true),
  plain: await serveStatic({ '/': pageBuild }, false),
};
const ENGINES = {
  'node tensorflow': nodeEngine('tensorflow'),
  'node wasm': nodeEngine('wasm'),
  'node cpu': nodeEngine('cpu'),
  'page wasm, isolated': pageEngine(servers.isolated, 'wasm'),
  'page wasm, not isolated': pageEngine(servers.plain, 'wasm'),
  'page webgl': pageEngine(servers.isolated, 'webgl'),
  'page cpu': pageEngine(servers.isolated, 'cpu'),
  'page webgpu': pageEngine(servers.isolated, 'webgpu'),
};

const loadBefore = loadavg();
const names = Object.keys(ENGINES);
const rounds = [];
const info = {};
try {
  for (let round = 0; round < ROUNDS; round++) {
    const measured = {};
    for (const name of names.map((_, i) => names[(i + round) % names.length])) {
      if (info[name]?.unavailable) continue;
      console.log(`round ${round + 1}/${ROUNDS}: ${name}...`);
      const { result, ...about } = await ENGINES[name]();
      info[name] = about;
      if (result) measured[name] = { [WORK.name]: result };
    }
    rounds.push(measured);
  }
} finally {
  await Promise.all(Object.values(servers).map((s) => s.close()));
}
const loadAfter = loadavg();

const { rows } = summarize([WORK], rounds, []);
const lines = names.map((name) => {
  const row = rows.find((r) => r.engine === name);
  if (!row) return [name, `not available: ${info[name]?.unavailable ?? 'no result'}`, '-', '-', '-', '-'];
  const imagesPerSecond = (1000 * WORK.shape.batch) / row.ms;
  Object.assign(row, { images_per_second: imagesPerSecond, device: info[name].device, threads: info[name].threads });
  return [
    name,
    info[name].device,
    row.ms.toFixed(1),
    `±${((100 * row.spread) / 2).toFixed(1)}%`,
    imagesPerSecond.toFixed(0),
    row.gflops.toFixed(2),
  ];
});
console.log('');
console.log(`${WORK.title}: convkit's training step (benchModel), median over ${ROUNDS} interleaved rounds`);
console.log(renderTable(['engine', 'device', 'ms', 'spread', 'images/s', 'GFLOP/s'], lines, 2));
keepResults('browser.json', machineDuring(loadBefore, loadAfter), {
  work: { name: WORK.name, title: WORK.title, gflop: WORK.gflop },
  rounds: ROUNDS,
  budgetMs: BUDGET_MS,
  engines: info,
  results: rows,
  raw: rounds,
});
