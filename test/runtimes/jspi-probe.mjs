// Run by test/runtimes/run.mjs's `jspi` check under each runtime: one component through the
// runner with --jspi MODE, printing one JSON line: the RunResult, the guest's output, whether
// the bindings were made for JSPI (the transpile cache's entry), and how often this thread called
// Atomics.wait (blocking) and Atomics.waitAsync (awaiting, what JSPI mode does). Errors are
// printed as { error: { name, message } }.
// usage: <runtime> jspi-probe.mjs COMPONENT MODE CONFIG-JSON CACHE-DIR
import { readdirSync } from 'node:fs';

const [component, mode, configJson, cacheDir] = process.argv.slice(2);
const { runComponent } = await import(new URL('../../dist/index.js', import.meta.url).href);
const counts = { wait: 0, waitAsync: 0 };
for (const name of ['wait', 'waitAsync']) {
  const real = Atomics[name];
  if (real) Atomics[name] = function (...args) { counts[name]++; return real.apply(this, args); };
}
const output = [];
const sink = (b) => output.push(new TextDecoder().decode(b));
try {
  const result = await runComponent(component, JSON.parse(configJson), { jspi: mode, cacheDir, stdio: { stdout: sink, stderr: sink } });
  const entries = readdirSync(cacheDir).filter((d) => !d.startsWith('.'));
  console.log(JSON.stringify({ result, output: output.join(''), jspiBindings: entries.some((d) => d.endsWith('-jspi')), entries: entries.length, ...counts }));
} catch (e) {
  console.log(JSON.stringify({ error: { name: e?.name, message: e?.message } }));
}
