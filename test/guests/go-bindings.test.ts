/**
 * The Go guest library (guests/go/edge) cannot drift from wit/: its hand-written //go:wasmimport
 * declarations are read from the Go source (no Go toolchain needed) and compared with the core
 * functions a guest of world `edge-imports` must import, as the WIT tooling derives them from wit/:
 * the same functions, each with the same core signature. Every enum and variant the package names
 * (`// wit-enum` / `// wit-variant` above a table of case names) is compared with wit/, in order, and
 * each enum's Go constants are counted against it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shortVersion, witCases, witCoreImports } from '../helpers/wit-core-abi.js';

const PACKAGE = fileURLToPath(new URL('../../guests/go/edge', import.meta.url));

/** The interfaces the package binds (new-style import names: short versions). */
const BOUND = [
  'wasi:sensor/sensor', 'wasi:buffer-pool/buffer-pool', 'wasi:io/poll@0.2', 'wasi:i2c/i2c@0.2.0-draft',
  'wasi:i2c/delay@0.2.0-draft', 'wasi:spi/spi', 'wasi:nn/tensor@0.2.0-rc-2024-10-28', 'wasi:nn/graph@0.2.0-rc-2024-10-28',
  'wasi:nn/inference@0.2.0-rc-2024-10-28', 'wasi:nn/errors@0.2.0-rc-2024-10-28', 'wasi:vision/image@0.1.0-draft',
  'wasi-edge:host/access@0.1',
];
/** Imports the build's wasm-merge resolves inside the module (edge/alloc.wat): not component imports. */
const MERGED = 'wasi-edge-alloc';

const goSources = () => readdirSync(PACKAGE).filter((f) => f.endsWith('.go')).map((f) => readFileSync(join(PACKAGE, f), 'utf8'));

/** Go's wasmimport lowering: 32-bit integers and pointers are i32, 64-bit integers i64. */
const CORE_TYPE: Record<string, string> = { int32: 'i32', uint32: 'i32', 'unsafe.Pointer': 'i32', uintptr: 'i32', int64: 'i64', uint64: 'i64', float32: 'f32', float64: 'f64' };

function coreType(go: string): string {
  const core = CORE_TYPE[go.trim()];
  if (!core) throw new Error(`no core type for the Go type ${go} (Go 1.23's wasmimport takes none)`);
  return core;
}

/** Go parameter lists may share a type (`a, b uint32`): one type per name. */
function paramTypes(list: string): string[] {
  const out: string[] = [];
  let pending = 0;
  for (const part of list.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [, type] = part.split(/\s+/, 2);
    if (!type) {
      pending++;
      continue;
    }
    for (; pending >= 0; pending--) out.push(coreType(type));
    pending = 0;
  }
  if (pending) throw new Error(`parameters without a type in (${list})`);
  return out;
}

/** `module#name (params) -> (results)` for every //go:wasmimport of the package. */
function goImports(): { bound: string[]; merged: string[] } {
  const bound: string[] = [];
  const merged: string[] = [];
  for (const src of goSources()) {
    for (const m of src.matchAll(/^\/\/go:wasmimport (\S+) (\S+)\n(?:\/\/go:\w+\n)*func \w+\(([^)]*)\)\s*(\w+)?\s*$/gm)) {
      const [, module, name, params, result] = m;
      const entry = `${shortVersion(module!)}#${name!.replace(/^\[resource-drop\](.+)$/, '$1_drop')} (${paramTypes(params!).join(' ')}) -> (${result ? coreType(result) : ''})`;
      (module === MERGED ? merged : bound).push(entry);
    }
  }
  return { bound: bound.sort(), merged: merged.sort() };
}

/**
 * How many constants the last `const ( First Type = iota; Second; ... )` block of `text` declares
 * (comment lines aside); undefined when it is not such a block.
 */
function iotaConstants(text: string): number | undefined {
  const start = text.lastIndexOf('const (\n');
  if (start < 0) return undefined;
  const body = text.slice(start + 'const (\n'.length, text.indexOf('\n)', start));
  const lines = body.split('\n').filter((l) => l.trim() && !l.trim().startsWith('//'));
  if (!/^\t\w+ \w+ = iota$/.test(lines[0] ?? '') || !lines.slice(1).every((l) => /^\t\w+$/.test(l))) return undefined;
  return lines.length;
}

/** Every `// wit-enum|wit-variant <iface> <name>` table of the package: its cases, and for enums the Go type's constants. */
function goTables(): { kind: 'enum' | 'variant'; iface: string; name: string; cases: string[]; constants?: number }[] {
  const out = [];
  for (const src of goSources()) {
    for (const m of src.matchAll(/^\/\/ wit-(enum|variant) (\S+) (\S+)\nvar \w+ = \[\.\.\.\]string\{([^}]*)\}/gm)) {
      const kind = m[1] as 'enum' | 'variant';
      const cases = [...m[4]!.matchAll(/"([^"]+)"/g)].map((c) => c[1]!);
      out.push({ kind, iface: m[2]!, name: m[3]!, cases, constants: iotaConstants(src.slice(0, m.index)) });
    }
  }
  return out;
}

describe('the Go guest library matches wit/', () => {
  it('imports exactly the functions of the interfaces it binds, with their core signatures', () => {
    const { bound } = goImports();
    const wit = witCoreImports(BOUND);
    expect(wit.length).toBeGreaterThan(50); // the WIT side was read at all
    expect(bound).toEqual(wit);
  });

  it("imports only alloc.wat's begin and end besides (merged into the module at build time)", () => {
    expect(goImports().merged).toEqual([`${MERGED}#begin () -> ()`, `${MERGED}#end () -> ()`]);
    const wat = readFileSync(join(PACKAGE, 'alloc.wat'), 'utf8');
    for (const name of ['cabi_realloc', 'begin', 'end']) expect(wat).toContain(`(export "${name}")`);
  });

  it('names every WIT enum and variant it uses with the WIT cases, in order (the ordinals)', () => {
    const tables = goTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['buffer-error', 'pixel-format', 'tensor-type', 'error-code', 'no-acknowledge-source', 'vision-error', 'access-error']));
    for (const t of tables) {
      expect(t.cases, `${t.iface} ${t.name}`).toEqual(witCases(t.iface, t.kind, t.name));
      expect(t.constants, `${t.iface} ${t.name}: Go constants`).toBe(t.cases.length);
    }
  });

  it("wasi:sensor's device-error has buffer-error's cases (the package uses one Go type for both)", () => {
    expect(witCases('wasi:sensor/sensor', 'enum', 'device-error')).toEqual(witCases('wasi:buffer-pool/buffer-pool', 'enum', 'buffer-error'));
    expect(goSources().join('\n')).toMatch(/type DeviceError = BufferError/);
  });

  it('reads shared parameter types as Go does', () => {
    expect(paramTypes('a, b uint32, p unsafe.Pointer, n uint64')).toEqual(['i32', 'i32', 'i32', 'i64']);
    expect(() => paramTypes('x bool')).toThrow(/no core type/);
  });
});
