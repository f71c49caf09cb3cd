/**
 * The Rust guest library (guests/rust/wasi-edge-guest) cannot drift from wit/: its hand-written
 * canonical-ABI imports are read from the Rust source (no Rust toolchain needed) and compared with
 * the core functions a guest of world `edge-imports` must import, as the WIT tooling derives them
 * from wit/ (scripts/print-core-abi.mjs): the same functions, each with the same core signature.
 * The cases of every WIT enum the crate declares (`wit_enum!`) are compared with wit/, in order.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-guest.js';

const CRATE = join(ROOT, 'guests/rust/wasi-edge-guest/src');

/** The interfaces the crate binds (new-style import names: short versions). */
const BOUND = [
  'wasi:sensor/sensor', 'wasi:buffer-pool/buffer-pool', 'wasi:io/poll@0.2', 'wasi:i2c/i2c@0.2.0-draft',
  'wasi:i2c/delay@0.2.0-draft', 'wasi:spi/spi', 'wasi:nn/tensor@0.2.0-rc-2024-10-28', 'wasi:nn/graph@0.2.0-rc-2024-10-28',
  'wasi:nn/inference@0.2.0-rc-2024-10-28', 'wasi:nn/errors@0.2.0-rc-2024-10-28', 'wasi:vision/image@0.1.0-draft',
  'wasi-edge:host/access@0.1',
];

const rustSources = () => readdirSync(CRATE).filter((f) => f.endsWith('.rs')).map((f) => readFileSync(join(CRATE, f), 'utf8'));

/** `1.2.3` → `1`, `0.2.0` → `0.2`, prereleases whole: how the new import names shorten versions. */
function shortVersion(module: string): string {
  const m = /^(.*)@(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(module);
  if (!m) return module;
  const [, base, major, minor, patch, pre] = m;
  if (pre) return module;
  return `${base}@${major !== '0' ? major : minor !== '0' ? `0.${minor}` : `0.0.${patch}`}`;
}

const CORE_TYPE: Record<string, string> = { i32: 'i32', u32: 'i32', i16: 'i32', u16: 'i32', i8: 'i32', u8: 'i32', usize: 'i32', isize: 'i32', bool: 'i32', i64: 'i64', u64: 'i64', f32: 'f32', f64: 'f64' };

function coreType(rust: string): string {
  const t = rust.trim();
  if (t.startsWith('*')) return 'i32'; // pointers are wasm32 addresses
  const core = CORE_TYPE[t];
  if (!core) throw new Error(`no core type for the Rust type ${t}`);
  return core;
}

/** `module#name (params) -> (results)` for every function of the crate's `extern` blocks. */
function rustImports(): string[] {
  const out: string[] = [];
  for (const src of rustSources()) {
    for (const block of src.matchAll(/#\[link\(wasm_import_module = "([^"]+)"\)\]\s*extern "C" \{([^}]*)\}/g)) {
      const module = shortVersion(block[1]!);
      for (const f of block[2]!.matchAll(/#\[link_name = "([^"]+)"\]\s*fn \w+\(([^)]*)\)(?:\s*->\s*([\w*]+))?;/g)) {
        const name = f[1]!.replace(/^\[resource-drop\](.+)$/, '$1_drop');
        const params = f[2]!.split(',').map((p) => p.trim()).filter(Boolean).map((p) => coreType(p.split(':')[1]!));
        out.push(`${module}#${name} (${params.join(' ')}) -> (${f[3] ? coreType(f[3]) : ''})`);
      }
    }
  }
  return out.sort();
}

/** The same list from wit/, for the interfaces the crate binds. */
function witImports(): string[] {
  // In a child: the WIT tooling sets preview2-shim preopens that must not leak into this process.
  const text = execFileSync(process.execPath, [join(ROOT, 'scripts/print-core-abi.mjs'), 'edge-imports'], { encoding: 'utf8' });
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\(import "cm32p2\|([^"]+)" "([^"]+)" .*;; \(func((?: \(param [^)]*\))?)((?: \(result [^)]*\))?)\)$/.exec(line);
    if (!m || !BOUND.includes(m[1]!)) continue;
    const types = (s: string) => s.replace(/\((param|result)/g, '').replace(/[()]/g, '').trim().split(/\s+/).filter(Boolean).join(' ');
    out.push(`${m[1]}#${m[2]} (${types(m[3]!)}) -> (${types(m[4]!)})`);
  }
  return out.sort();
}

// ---------------------------------------------------------------- enums in wit/

function witFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? [] : f.endsWith('.wit') ? [p] : [];
  });
}

/** Interface `pkg/iface` → its text (comments stripped), from every package folder of wit/. */
function witInterfaces(): Map<string, string> {
  const dirs = [join(ROOT, 'wit'), ...readdirSync(join(ROOT, 'wit/deps')).map((d) => join(ROOT, 'wit/deps', d))];
  const out = new Map<string, string>();
  for (const dir of dirs) {
    const texts = witFiles(dir).map((f) => readFileSync(f, 'utf8').replace(/\/\/.*$/gm, ''));
    const pkg = texts.map((t) => /^\s*package ([^;]+);/m.exec(t)?.[1]).find(Boolean);
    if (!pkg) continue;
    const [ns, version] = pkg.split('@');
    for (const text of texts) {
      for (const m of text.matchAll(/\binterface (%?[\w-]+) \{/g)) {
        let depth = 0;
        let end = m.index! + m[0].length - 1;
        for (; end < text.length; end++) {
          if (text[end] === '{') depth++;
          else if (text[end] === '}' && --depth === 0) break;
        }
        out.set(`${ns}/${m[1]}${version ? `@${version}` : ''}`, text.slice(m.index!, end + 1));
      }
    }
  }
  return out;
}

function witEnumCases(iface: string, name: string): string[] {
  const text = witInterfaces().get(iface);
  if (!text) throw new Error(`no interface ${iface} in wit/`);
  const m = new RegExp(`\\benum ${name} \\{([^}]*)\\}`).exec(text);
  if (!m) throw new Error(`no enum ${name} in ${iface}`);
  return m[1]!.split(',').map((c) => c.trim()).filter(Boolean);
}

/** Every `wit_enum! { "iface" "name" ... }` of the crate with its case names in order. */
function rustEnums(): { iface: string; name: string; cases: string[] }[] {
  const out = [];
  for (const src of rustSources()) {
    for (const m of src.matchAll(/wit_enum! \{ "([^"]+)" "([^"]+)"[^{]*\{([^}]*)\}/g)) {
      out.push({ iface: m[1]!, name: m[2]!, cases: [...m[3]!.matchAll(/= "([^"]+)",/g)].map((c) => c[1]!) });
    }
  }
  return out;
}

describe('the Rust guest library matches wit/', () => {
  it('imports exactly the functions of the interfaces it binds, with their core signatures', () => {
    const rust = rustImports();
    const wit = witImports();
    expect(wit.length).toBeGreaterThan(50); // the WIT side was read at all
    expect(rust).toEqual(wit);
  });

  it('declares every WIT enum it uses with the WIT cases, in order (the ordinals)', () => {
    const enums = rustEnums();
    expect(enums.map((e) => e.name)).toEqual(expect.arrayContaining(['buffer-error', 'pixel-format', 'tensor-type', 'error-code', 'no-acknowledge-source']));
    for (const e of enums) expect(e.cases, `${e.iface} ${e.name}`).toEqual(witEnumCases(e.iface, e.name));
  });

  it("wasi:sensor's device-error has buffer-error's cases (the crate uses one Rust type for both)", () => {
    expect(witEnumCases('wasi:sensor/sensor', 'device-error')).toEqual(witEnumCases('wasi:buffer-pool/buffer-pool', 'buffer-error'));
    expect(rustSources().join('\n')).toMatch(/pub type DeviceError = BufferError;/);
  });

  it('the version shortening follows the new import names', () => {
    expect(shortVersion('wasi:io/poll@0.2.0')).toBe('wasi:io/poll@0.2');
    expect(shortVersion('wasi-edge:host/access@0.1.0')).toBe('wasi-edge:host/access@0.1');
    expect(shortVersion('wasi:i2c/i2c@0.2.0-draft')).toBe('wasi:i2c/i2c@0.2.0-draft');
    expect(shortVersion('wasi:cli/run@1.2.3')).toBe('wasi:cli/run@1');
  });
});
