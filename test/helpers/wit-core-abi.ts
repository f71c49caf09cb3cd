/**
 * What wit/ says a guest library must bind, read without any guest toolchain: the core functions a
 * guest of world `edge-imports` imports (as the WIT tooling derives them, scripts/print-core-abi.mjs)
 * and the cases of WIT enums and variants. The guest libraries' drift tests compare their
 * hand-written bindings with these.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Not run-guest.ts's ROOT: reading wit/ needs none of the host.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `1.2.3` → `1`, `0.2.0` → `0.2`, prereleases whole: how the new import names shorten versions. */
export function shortVersion(module: string): string {
  const m = /^(.*)@(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(module);
  if (!m) return module;
  const [, base, major, minor, patch, pre] = m;
  if (pre) return module;
  return `${base}@${major !== '0' ? major : minor !== '0' ? `0.${minor}` : `0.0.${patch}`}`;
}

/**
 * `module#name (params) -> (results)` for every core import of world edge-imports from the
 * interfaces in `bound` (short-version module names), sorted; resource drops are `<resource>_drop`.
 */
export function witCoreImports(bound: string[]): string[] {
  // In a child: the WIT tooling sets preview2-shim preopens that must not leak into this process.
  const text = execFileSync(process.execPath, [join(ROOT, 'scripts/print-core-abi.mjs'), 'edge-imports'], { encoding: 'utf8' });
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\(import "cm32p2\|([^"]+)" "([^"]+)" .*;; \(func((?: \(param [^)]*\))?)((?: \(result [^)]*\))?)\)$/.exec(line);
    if (!m || !bound.includes(m[1]!)) continue;
    const types = (s: string) => s.replace(/\((param|result)/g, '').replace(/[()]/g, '').trim().split(/\s+/).filter(Boolean).join(' ');
    out.push(`${m[1]}#${m[2]} (${types(m[3]!)}) -> (${types(m[4]!)})`);
  }
  return out.sort();
}

/** Interface `pkg/iface@version` → its text (comments stripped), from every package folder of wit/. */
function witInterfaces(): Map<string, string> {
  const dirs = [join(ROOT, 'wit'), ...readdirSync(join(ROOT, 'wit/deps')).map((d) => join(ROOT, 'wit/deps', d))];
  const out = new Map<string, string>();
  for (const dir of dirs) {
    const texts = readdirSync(dir)
      .filter((f) => f.endsWith('.wit') && !statSync(join(dir, f)).isDirectory())
      .map((f) => readFileSync(join(dir, f), 'utf8').replace(/\/\/.*$/gm, ''));
    const pkg = texts.map((t) => /^\s*package ([^;]+);/m.exec(t)?.[1]).find(Boolean);
    if (!pkg) continue;
    const [ns, version] = pkg.split('@');
    for (const text of texts) {
      for (const m of text.matchAll(/\binterface (%?[\w-]+) \{/g)) {
        let depth = 0;
        let end = m.index + m[0].length - 1;
        for (; end < text.length; end++) {
          if (text[end] === '{') depth++;
          else if (text[end] === '}' && --depth === 0) break;
        }
        out.set(`${ns}/${m[1]}${version ? `@${version}` : ''}`, text.slice(m.index, end + 1));
      }
    }
  }
  return out;
}

/** The case names, in order, of `enum name` or `variant name` (payloads dropped) in interface `iface`. */
export function witCases(iface: string, kind: 'enum' | 'variant', name: string): string[] {
  const text = witInterfaces().get(iface);
  if (!text) throw new Error(`no interface ${iface} in wit/`);
  const m = new RegExp(`\\b${kind} ${name} \\{([^}]*)\\}`).exec(text);
  if (!m) throw new Error(`no ${kind} ${name} in ${iface}`);
  // variant payloads may hold commas (tuple<a, b>): drop parenthesised parts first
  let body = m[1]!;
  while (/\([^()]*\)/.test(body)) body = body.replace(/\([^()]*\)/g, '');
  return body.split(',').map((c) => c.trim()).filter(Boolean);
}
