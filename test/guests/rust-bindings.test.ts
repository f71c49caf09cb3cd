/**
 * The Rust guest library (guests/rust/wasi-edge-guest) cannot drift from wit/: its hand-written
 * canonical-ABI imports are read from the Rust source (no Rust toolchain needed) and compared with
 * the core functions a guest of world `edge-imports` must import, as the WIT tooling derives them
 * from wit/ (scripts/print-core-abi.mjs, read by test/helpers/wit-core-abi.ts): the same functions, each with the same core signature.
 * The cases of every WIT enum the crate declares (`wit_enum!`) are compared with wit/, in order.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shortVersion, witCases, witCoreImports } from '../helpers/wit-core-abi.js';

const CRATE = fileURLToPath(new URL('../../guests/rust/wasi-edge-guest/src', import.meta.url));

/** The interfaces the crate binds (new-style import names: short versions). */
const BOUND = [
  'wasi:sensor/sensor', 'wasi:buffer-pool/buffer-pool', 'wasi:io/poll@0.2', 'wasi:i2c/i2c@0.2.0-draft',
  'wasi:i2c/delay@0.2.0-draft', 'wasi:spi/spi', 'wasi:nn/tensor@0.2.0-rc-2024-10-28', 'wasi:nn/graph@0.2.0-rc-2024-10-28',
  'wasi:nn/inference@0.2.0-rc-2024-10-28', 'wasi:nn/errors@0.2.0-rc-2024-10-28', 'wasi:vision/image@0.1.0-draft',
  'wasi-edge:host/access@0.1',
];

const rustSources = () => readdirSync(CRATE).filter((f) => f.endsWith('.rs')).map((f) => readFileSync(join(CRATE, f), 'utf8'));

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
    const wit = witCoreImports(BOUND);
    expect(wit.length).toBeGreaterThan(50); // the WIT side was read at all
    expect(rust).toEqual(wit);
  });

  it('declares every WIT enum it uses with the WIT cases, in order (the ordinals)', () => {
    const enums = rustEnums();
    expect(enums.map((e) => e.name)).toEqual(expect.arrayContaining(['buffer-error', 'pixel-format', 'tensor-type', 'error-code', 'no-acknowledge-source']));
    for (const e of enums) expect(e.cases, `${e.iface} ${e.name}`).toEqual(witCases(e.iface, 'enum', e.name));
  });

  it("wasi:sensor's device-error has buffer-error's cases (the crate uses one Rust type for both)", () => {
    expect(witCases('wasi:sensor/sensor', 'enum', 'device-error')).toEqual(witCases('wasi:buffer-pool/buffer-pool', 'enum', 'buffer-error'));
    expect(rustSources().join('\n')).toMatch(/pub type DeviceError = BufferError;/);
  });

  it('the version shortening follows the new import names', () => {
    expect(shortVersion('wasi:io/poll@0.2.0')).toBe('wasi:io/poll@0.2');
    expect(shortVersion('wasi-edge:host/access@0.1.0')).toBe('wasi-edge:host/access@0.1');
    expect(shortVersion('wasi:i2c/i2c@0.2.0-draft')).toBe('wasi:i2c/i2c@0.2.0-draft');
    expect(shortVersion('wasi:cli/run@1.2.3')).toBe('wasi:cli/run@1');
  });
});
