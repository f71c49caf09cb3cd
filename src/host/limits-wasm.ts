/**
 * The memory and table caps of `limits`, applied to a core module's binary before it is compiled.
 * jco instantiates each core module of a component with `WebAssembly.instantiate(module, imports)`
 * and the component's linear memory is defined in one of them, so lowering the maximum in that
 * module's memory section is enough to make `memory.grow` fail beyond the cap (the guest's malloc
 * returns NULL): the engine refuses the grow, nothing in the host grows. Tables the same way.
 *
 * A refused grow is invisible from outside the module, so each `memory.grow` / `table.grow` on a
 * capped memory or table becomes a call to a small function appended to the module, which does the
 * grow and, when it fails, counts the refusal and the size asked for in exported globals (the
 * probes, read by limits-probe.ts after the run). Appending keeps every existing function, global
 * and type index as it was; only the code section's bodies that grow change.
 *
 * This works on the binary format with a parser: sections, the instruction stream of every body
 * (it must end exactly where the body's size says, or the transform fails), and counts what it
 * changed. It refuses what it cannot read (the GC proposal, memory64, custom page sizes) by name.
 */

export const PAGE_BYTES = 65536;
/** wasm32's largest memory, in pages (4 GiB). */
export const MAX_PAGES = 65536;

export interface CoreCaps {
  /** Largest size of any linear memory the module defines, in pages. */
  maxMemoryPages?: number;
  /** Largest number of elements of any table the module defines. */
  maxTableElements?: number;
}

/** What a probe export counts; its memory or table index in the module. */
export interface ProbeExport {
  kind: 'memory' | 'table';
  index: number;
  /** The cap in pages (memory) or elements (table). */
  cap: number;
  /** Exported i32 global: how many grows were refused. */
  refused: string;
  /** Exported i64 global: the largest size (pages or elements) a refused grow asked for. */
  asked: string;
}

export interface CapResult<B extends ArrayBufferLike = ArrayBuffer> {
  bytes: Uint8Array<B>;
  /** Memories and tables whose maximum was lowered to the cap. */
  memoriesCapped: number;
  tablesCapped: number;
  /** `memory.grow` / `table.grow` instructions routed through the probe functions. */
  growsWrapped: number;
  /** Memories the module defines (0 for the component's modules that only import one). */
  memoriesDefined: number;
  /** Memories it imports (defined by another module of the component, capped there). */
  memoriesImported: number;
  probes: ProbeExport[];
}

/** A memory or table that cannot even start within its cap: the component cannot run under this limit. */
export class StartsAboveCapError extends Error {
  constructor(
    readonly kind: 'memory' | 'table',
    /** Initial size in pages or elements, and the cap. */
    readonly initial: number,
    readonly cap: number,
  ) {
    super(
      kind === 'memory'
        ? `the component's linear memory starts at ${initial} pages (${mib(initial * PAGE_BYTES)}), above the cap of ${cap} pages (${mib(cap * PAGE_BYTES)})`
        : `the component's table starts with ${initial} elements, above the cap of ${cap}`,
    );
    this.name = 'StartsAboveCapError';
  }
}

/**
 * The module uses something this transform cannot read, or the caps could not be applied (a
 * component whose memory no core module defines); the message names it and where.
 */
export class CapTransformError extends Error {
  override name = 'CapTransformError';
}

const mib = (bytes: number) => `${+(bytes / 2 ** 20).toFixed(2)} MiB`;

// ---- reading ----

class Reader {
  constructor(
    readonly b: Uint8Array,
    public p = 0,
    readonly end = b.length,
  ) {}
  byte(): number {
    if (this.p >= this.end) throw new CapTransformError(`unexpected end of data at byte ${this.p}`);
    return this.b[this.p++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new CapTransformError(`LEB128 too long at byte ${this.p}`);
    }
  }
  /** A signed LEB of up to 64 bits; only its value's sign and smallness matter to callers. */
  s(): number {
    let result = 0;
    let shift = 0;
    let x: number;
    do {
      x = this.byte();
      if (shift < 49) result += (x & 0x7f) * 2 ** shift;
      shift += 7;
      if (shift > 70) throw new CapTransformError(`LEB128 too long at byte ${this.p}`);
    } while (x & 0x80);
    if (shift < 49 && x & 0x40) result -= 2 ** shift;
    return result;
  }
  skip(n: number): void {
    if (this.p + n > this.end) throw new CapTransformError(`unexpected end of data at byte ${this.p}`);
    this.p += n;
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.p, this.p + n));
    this.skip(n);
    return s;
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let x = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) x |= 0x80;
    out.push(x);
  } while (n > 0);
  return out;
}

/** Signed LEB of a small integer (the i32.const / i64.const immediates the probe bodies use). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const x = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (x & 0x40) === 0) || (n === -1 && x & 0x40)) {
      out.push(x);
      return out;
    }
    out.push(x | 0x80);
  }
}

const nameBytes = (s: string) => {
  const b = new TextEncoder().encode(s);
  return [...leb(b.length), ...b];
};

interface Limits {
  flags: number;
  min: number;
  max?: number;
}

function readLimits(r: Reader, what: string): Limits {
  const flags = r.byte();
  if (flags & 0x04) throw new CapTransformError(`${what} is a 64-bit (memory64) one, which the limits do not support`);
  if (flags & 0x08) throw new CapTransformError(`${what} has a custom page size, which the limits do not support`);
  if (flags & ~0x03) throw new CapTransformError(`${what} has unknown limit flags 0x${flags.toString(16)}`);
  const min = r.u32();
  return flags & 0x01 ? { flags, min, max: r.u32() } : { flags, min };
}

function writeLimits(l: Limits): number[] {
  // Keep the shared bit (threads); a maximum is always present after capping.
  return [(l.flags & 0x02) | (l.max !== undefined ? 0x01 : 0), ...leb(l.min), ...(l.max !== undefined ? leb(l.max) : [])];
}

/** A value type; reference types with a heap type (0x63, 0x64) carry one more s33. */
function skipValType(r: Reader): number {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.s();
  return t;
}

function readRefType(r: Reader, what: string): number {
  const t = r.byte();
  if (t === 0x70 || t === 0x6f) return t;
  throw new CapTransformError(`${what} has element type 0x${t.toString(16)} (only funcref and externref tables are supported)`);
}

interface Section {
  id: number;
  /** The section's content (without id and size). */
  body: Uint8Array;
}

function readSections(bytes: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (bytes.length < 8 || magic.some((m, i) => bytes[i] !== m)) throw new CapTransformError('not a WebAssembly module');
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new CapTransformError('not a core module (a component, or an unknown version): caps apply to the core modules inside a component');
  }
  const r = new Reader(bytes, 8);
  const out: Section[] = [];
  while (r.p < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.p;
    r.skip(size);
    out.push({ id, body: bytes.subarray(start, start + size) });
  }
  return out;
}

// ---- the instruction stream ----

/** Memory-argument immediates: alignment (bit 6: a memory index follows), then the offset. */
function skipMemarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32();
  r.u32();
}

/** SIMD (0xfd) sub-opcodes by immediate. */
function skipSimd(r: Reader, op: number): void {
  if (op <= 0x0b || op === 0x5c || op === 0x5d) skipMemarg(r);
  else if (op === 0x0c || op === 0x0d) r.skip(16);
  else if (op >= 0x15 && op <= 0x22) r.skip(1);
  else if (op >= 0x54 && op <= 0x5b) {
    skipMemarg(r);
    r.skip(1);
  } else if (op > 0x113) throw new CapTransformError(`unknown SIMD instruction 0xfd ${op}`);
}

/** A grow to replace: where its bytes are and which memory or table it grows. */
interface GrowSite {
  start: number;
  end: number;
  kind: 'memory' | 'table';
  index: number;
}

/**
 * Walks one function body's instructions, from after its locals to its end, and returns the
 * grows in it. Every opcode of the MVP and of the finished proposals a toolchain emits (sign
 * extension, saturating truncation, bulk memory, reference types, multi-value, tail calls, SIMD
 * and relaxed SIMD, threads, exception handling old and new, typed function references) is
 * decoded; anything else fails the transform, naming the opcode.
 */
function scanBody(r: Reader, fn: number): GrowSite[] {
  const sites: GrowSite[] = [];
  let last = -1;
  while (r.p < r.end) {
    const at = r.p;
    const op = r.byte();
    last = op;
    if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x19 || op === 0x1a || op === 0x1b || op === 0x0a) continue;
    if (op >= 0x02 && op <= 0x04) {
      blockType(r);
    } else if (op === 0x06) {
      blockType(r); // try (legacy exceptions)
    } else if (op === 0x07 || op === 0x08 || op === 0x09 || op === 0x0c || op === 0x0d || op === 0x18 || op === 0xd5 || op === 0xd6) {
      r.u32(); // catch/throw tag, rethrow/br/br_if/delegate label, br_on_(non_)null label
    } else if (op === 0x0e) {
      const n = r.u32();
      for (let i = 0; i <= n; i++) r.u32();
    } else if (op === 0x10 || op === 0x12 || op === 0x14 || op === 0x15 || op === 0xd2) {
      r.u32(); // call / return_call / call_ref / return_call_ref / ref.func
    } else if (op === 0x11 || op === 0x13) {
      r.u32();
      r.u32();
    } else if (op === 0x1c) {
      const n = r.u32();
      for (let i = 0; i < n; i++) skipValType(r);
    } else if (op === 0x1f) {
      blockType(r); // try_table
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const kind = r.byte();
        if (kind <= 0x01) r.u32();
        else if (kind > 0x03) throw new CapTransformError(`function ${fn}: unknown catch clause ${kind} at byte ${at}`);
        r.u32();
      }
    } else if (op >= 0x20 && op <= 0x26) {
      r.u32(); // locals, globals, table.get/set
    } else if (op >= 0x28 && op <= 0x3e) {
      skipMemarg(r);
    } else if (op === 0x3f) {
      r.u32();
    } else if (op === 0x40) {
      const index = r.u32();
      sites.push({ start: at, end: r.p, kind: 'memory', index });
    } else if (op === 0x41 || op === 0x42) {
      r.s();
    } else if (op === 0x43) {
      r.skip(4);
    } else if (op === 0x44) {
      r.skip(8);
    } else if ((op >= 0x45 && op <= 0xc4) || op === 0xd1 || op === 0xd3 || op === 0xd4) {
      // numeric, ref.is_null, ref.eq, ref.as_non_null: no immediates
    } else if (op === 0xd0) {
      r.s(); // ref.null heap type
    } else if (op === 0xfc) {
      const sub = r.u32();
      if (sub <= 7) continue;
      if (sub === 15) {
        const index = r.u32();
        sites.push({ start: at, end: r.p, kind: 'table', index });
      } else if (sub === 8 || sub === 10 || sub === 12 || sub === 14) {
        r.u32();
        r.u32();
      } else if (sub === 9 || sub === 11 || sub === 13 || sub === 16 || sub === 17) r.u32();
      else throw new CapTransformError(`function ${fn}: unknown instruction 0xfc ${sub} at byte ${at}`);
    } else if (op === 0xfd) {
      skipSimd(r, r.u32());
    } else if (op === 0xfe) {
      const sub = r.u32();
      if (sub === 0x03) r.skip(1);
      else if (sub <= 0x4e) skipMemarg(r);
      else throw new CapTransformError(`function ${fn}: unknown atomic instruction 0xfe ${sub} at byte ${at}`);
    } else if (op === 0xfb) {
      throw new CapTransformError(`function ${fn} uses the GC proposal (0xfb at byte ${at}), which the limits do not support`);
    } else {
      throw new CapTransformError(`function ${fn}: unknown opcode 0x${op.toString(16)} at byte ${at}`);
    }
  }
  if (last !== 0x0b || r.p !== r.end) throw new CapTransformError(`function ${fn}: its body does not end with \`end\` where its size says`);
  return sites;
}

/** Block types are an s33: negative single bytes are value types (0x63/0x64 carry a heap type), others a type index. */
function blockType(r: Reader): void {
  const t = r.s();
  if (t === -29 || t === -28) r.s();
}

// ---- writing ----

/** Bytes built in pieces (a code section is megabytes: never spread it into an argument list). */
type Chunks = (Uint8Array | number[])[];

const size = (c: Chunks) => c.reduce((n, x) => n + x.length, 0);

function concat(c: Chunks): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size(c));
  let at = 0;
  for (const x of c) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

function section(id: number, content: Chunks): Chunks {
  return [[id, ...leb(size(content))], ...content];
}

/** A vector section's content with more entries at its end (a new vector when there was none). */
function appendVec(body: Uint8Array | undefined, more: readonly number[][]): Chunks {
  if (!body) return [leb(more.length), ...more];
  const r = new Reader(body);
  const n = r.u32();
  return [leb(n + more.length), body.subarray(r.p), ...more];
}

/** Section order of the binary format (custom sections, id 0, stay where they were). */
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

interface ModuleInfo {
  types: number;
  importedFuncs: number;
  importedTables: number;
  importedMemories: number;
  importedGlobals: number;
  definedFuncs: number;
  tables: { refType: number; limits: Limits }[];
  memories: Limits[];
  exportNames: Set<string>;
}

function moduleInfo(sections: Section[]): ModuleInfo {
  const info: ModuleInfo = {
    types: 0, importedFuncs: 0, importedTables: 0, importedMemories: 0, importedGlobals: 0, definedFuncs: 0,
    tables: [], memories: [], exportNames: new Set(),
  };
  for (const s of sections) {
    const r = new Reader(s.body);
    if (s.id === 1) {
      info.types = r.u32();
      // A rec group or sub type (GC) makes the entry count differ from the type count.
      for (let i = 0; i < info.types; i++) {
        const form = r.byte();
        if (form !== 0x60) throw new CapTransformError(`type ${i} is not a plain function type (GC types are not supported)`);
        for (let k = 0; k < 2; k++) {
          const n = r.u32();
          for (let j = 0; j < n; j++) skipValType(r);
        }
      }
    } else if (s.id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0x00) {
          r.u32();
          info.importedFuncs++;
        } else if (kind === 0x01) {
          readRefType(r, `imported table ${info.importedTables}`);
          readLimits(r, `imported table ${info.importedTables}`);
          info.importedTables++;
        } else if (kind === 0x02) {
          readLimits(r, `imported memory ${info.importedMemories}`);
          info.importedMemories++;
        } else if (kind === 0x03) {
          skipValType(r);
          r.byte();
          info.importedGlobals++;
        } else if (kind === 0x04) {
          r.byte();
          r.u32();
        } else throw new CapTransformError(`import ${i} has unknown kind ${kind}`);
      }
    } else if (s.id === 3) {
      info.definedFuncs = r.u32();
    } else if (s.id === 4) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const at = `table ${info.importedTables + i}`;
        if (r.b[r.p] === 0x40) throw new CapTransformError(`${at} has an initializer expression (GC), which the limits do not support`);
        const refType = readRefType(r, at);
        info.tables.push({ refType, limits: readLimits(r, at) });
      }
    } else if (s.id === 5) {
      const n = r.u32();
      for (let i = 0; i < n; i++) info.memories.push(readLimits(r, `memory ${info.importedMemories + i}`));
    } else if (s.id === 7) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        info.exportNames.add(r.name());
        r.byte();
        r.u32();
      }
    }
  }
  return info;
}

const PROBE_PREFIX = 'wasi-edge-limits';

/**
 * Lowers the maximum of every memory and table the module defines to the caps, and routes each
 * grow of those through a probe function. Throws StartsAboveCapError when one starts above its
 * cap, CapTransformError when the module uses what this reader does not know. A module with
 * nothing to cap comes back as it was (`bytes` is the input).
 */
export function capCoreModule<B extends ArrayBufferLike>(bytes: Uint8Array<B>, caps: CoreCaps): CapResult<B | ArrayBuffer> {
  const sections = readSections(bytes);
  const info = moduleInfo(sections);
  const memoriesDefined = info.memories.length;
  const cappedMemories = new Map<number, { cap: number }>();
  const cappedTables = new Map<number, { cap: number; refType: number }>();
  if (caps.maxMemoryPages !== undefined) {
    info.memories.forEach((l, i) => {
      const cap = caps.maxMemoryPages!;
      if (l.min > cap) throw new StartsAboveCapError('memory', l.min, cap);
      if (l.max === undefined || l.max > cap) {
        l.max = cap;
        cappedMemories.set(info.importedMemories + i, { cap });
      }
    });
  }
  if (caps.maxTableElements !== undefined) {
    info.tables.forEach((t, i) => {
      const cap = caps.maxTableElements!;
      if (t.limits.min > cap) throw new StartsAboveCapError('table', t.limits.min, cap);
      if (t.limits.max === undefined || t.limits.max > cap) {
        t.limits.max = cap;
        cappedTables.set(info.importedTables + i, { cap, refType: t.refType });
      }
    });
  }
  if (cappedMemories.size === 0 && cappedTables.size === 0) {
    return { bytes, memoriesCapped: 0, tablesCapped: 0, growsWrapped: 0, memoriesDefined, memoriesImported: info.importedMemories, probes: [] };
  }

  // One probe function, type and pair of globals per capped memory or table, appended.
  interface Probe extends ProbeExport {
    func: number;
    type: number;
    refusedGlobal: number;
    askedGlobal: number;
    refType?: number;
  }
  const probes: Probe[] = [];
  const newTypes: number[][] = [];
  let nextFunc = info.importedFuncs + info.definedFuncs;
  let nextGlobal = info.importedGlobals + countOf(sections, 6);
  const addProbe = (kind: 'memory' | 'table', index: number, cap: number, refType?: number) => {
    const base = `${PROBE_PREFIX}:${kind}${index}`;
    const probe: Probe = {
      kind, index, cap, refused: `${base}:refused`, asked: `${base}:asked`,
      func: nextFunc++, type: info.types + newTypes.length, refusedGlobal: nextGlobal++, askedGlobal: nextGlobal++, refType,
    };
    for (const name of [probe.refused, probe.asked]) {
      if (info.exportNames.has(name)) throw new CapTransformError(`the module already exports ${name}: it was capped before`);
    }
    // memory.grow: [i32] -> [i32]; table.grow: [ref, i32] -> [i32].
    newTypes.push(kind === 'memory' ? [0x60, 1, 0x7f, 1, 0x7f] : [0x60, 2, refType!, 0x7f, 1, 0x7f]);
    probes.push(probe);
  };
  for (const [index, { cap }] of cappedMemories) addProbe('memory', index, cap);
  for (const [index, { cap, refType }] of cappedTables) addProbe('table', index, cap, refType);
  const probeFor = (kind: 'memory' | 'table', index: number) => probes.find((p) => p.kind === kind && p.index === index);

  let growsWrapped = 0;
  const rewriteCode = (body: Uint8Array): Chunks => {
    const r = new Reader(body);
    const n = r.u32();
    const out: Chunks = [leb(n + probes.length)];
    for (let f = 0; f < n; f++) {
      const bodySize = r.u32();
      const start = r.p;
      const fr = new Reader(body, start, start + bodySize);
      const groups = fr.u32();
      for (let g = 0; g < groups; g++) {
        fr.u32();
        skipValType(fr);
      }
      const sites = scanBody(fr, info.importedFuncs + f).filter((s) => probeFor(s.kind, s.index));
      r.p = start + bodySize;
      if (sites.length === 0) {
        out.push(leb(bodySize), body.subarray(start, start + bodySize));
        continue;
      }
      const fn: Chunks = [];
      let at = start;
      for (const s of sites) {
        fn.push(body.subarray(at, s.start), [0x10, ...leb(probeFor(s.kind, s.index)!.func)]);
        at = s.end;
        growsWrapped++;
      }
      fn.push(body.subarray(at, start + bodySize));
      out.push(leb(size(fn)), ...fn);
    }
    out.push(...probes.map(probeBody));
    return out;
  };

  const probeBody = (p: Probe): number[] => {
    const grow = p.kind === 'memory' ? [0x40, ...leb(p.index)] : [0xfc, ...leb(15), ...leb(p.index)];
    const current = p.kind === 'memory' ? [0x3f, ...leb(p.index)] : [0xfc, ...leb(16), ...leb(p.index)];
    // Parameters: (delta) for a memory, (init, delta) for a table; then the locals result: i32, asked: i64.
    const delta = p.kind === 'memory' ? 0 : 1;
    const result = delta + 1;
    const asked = delta + 2;
    const fn = [
      2, 1, 0x7f, 1, 0x7e,
      ...(p.kind === 'table' ? [0x20, 0] : []),
      0x20, delta, ...grow, 0x22, result, // the grow itself; local.tee result
      0x41, ...sleb(-1), 0x46, 0x04, 0x40, // if result == -1:
      0x23, ...leb(p.refusedGlobal), 0x41, 1, 0x6a, 0x24, ...leb(p.refusedGlobal), //   refused += 1
      ...current, 0xad, 0x20, delta, 0xad, 0x7c, 0x22, asked, //   asked = u64(size) + u64(delta)
      0x23, ...leb(p.askedGlobal), 0x56, 0x04, 0x40, 0x20, asked, 0x24, ...leb(p.askedGlobal), 0x0b, //   keep the largest
      0x0b,
      0x20, result, 0x0b,
    ];
    return [...leb(fn.length), ...fn];
  };

  const rebuilt: Record<number, () => Chunks> = {
    1: () => appendVec(find(sections, 1), newTypes),
    3: () => appendVec(find(sections, 3), probes.map((p) => leb(p.type))),
    4: () => [leb(info.tables.length), ...info.tables.map((t) => [t.refType, ...writeLimits(t.limits)])],
    5: () => [leb(info.memories.length), ...info.memories.map(writeLimits)],
    6: () => appendVec(find(sections, 6), probes.flatMap(() => [[0x7f, 1, 0x41, 0, 0x0b], [0x7e, 1, 0x42, 0, 0x0b]])),
    7: () => appendVec(find(sections, 7), probes.flatMap((p) => [
      [...nameBytes(p.refused), 0x03, ...leb(p.refusedGlobal)],
      [...nameBytes(p.asked), 0x03, ...leb(p.askedGlobal)],
    ])),
    10: () => rewriteCode(find(sections, 10) ?? new Uint8Array([0])),
  };
  // Sections the probes need and the module lacks are created where the format's order puts them.
  const all: { id: number; body?: Uint8Array }[] = [...sections];
  for (const id of [1, 3, 6, 7, 10]) {
    if (find(sections, id)) continue;
    const rank = ORDER.indexOf(id);
    const before = all.findIndex((s) => s.id !== 0 && ORDER.indexOf(s.id) > rank);
    all.splice(before < 0 ? all.length : before, 0, { id });
  }
  const out: Chunks = [bytes.subarray(0, 8)];
  for (const s of all) out.push(...section(s.id, rebuilt[s.id]?.() ?? [s.body!]));
  return {
    bytes: concat(out),
    memoriesCapped: cappedMemories.size,
    tablesCapped: cappedTables.size,
    growsWrapped,
    memoriesDefined,
    memoriesImported: info.importedMemories,
    probes: probes.map(({ kind, index, cap, refused, asked }) => ({ kind, index, cap, refused, asked })),
  };
}

function find(sections: Section[], id: number): Uint8Array | undefined {
  return sections.find((s) => s.id === id)?.body;
}

function countOf(sections: Section[], id: number): number {
  const body = find(sections, id);
  return body ? new Reader(body).u32() : 0;
}


/** Bytes of a core module's code section (0 without one): what `--report` counts as code. */
export function codeBytes(bytes: Uint8Array): number {
  return readSections(bytes).find((s) => s.id === 10)?.body.length ?? 0;
}
