/**
 * Our rewrite of the JavaScript jco generates, done on its syntax tree (acorn, edits at parsed
 * positions). Five changes, each the same behaviour by a cheaper road (docs/transpiler.md has the
 * measurements):
 *
 * 1. `JCO_DEBUG` is read once per instantiation, not at every `_debugLog` call (jco reads
 *    `process.env.JCO_DEBUG` there: a getenv under a lock on Node, ~0.5 µs, 20+ times per import
 *    call), and each `_debugLog(…)` statement is skipped whole when it is off, so its arguments
 *    (objects, template strings) are not built either.
 * 2. A direct path for the synchronous imports of a synchronous component: jco (1.13 on) wraps
 *    every host import call in component-model-async bookkeeping (an AsyncTask and a subtask,
 *    promise resolvers, table entries, current-task switching), all created and torn down inside
 *    the one synchronous call, with nothing able to observe them in between. For an import lowered
 *    sync, of a sync function type, in a component that lifts no export async and lowers no import
 *    async, the core import becomes jco's own trampoline (argument lifting, the host call, result
 *    lowering, trap poisoning kept) without that bookkeeping. A component using component-model
 *    async keeps jco's code as it is. In JSPI mode (transpile's `jspi`), the imports jco makes
 *    suspending (`asyncImports`) get the same treatment: jco's async trampoline without the task
 *    code, wrapped in `WebAssembly.Suspending` (jco wraps it in its own bookkeeping first, which
 *    costs tens of microseconds per suspension).
 * 3. Byte lists (`list<u8>`) copied through one cached byte view of guest memory, with the bounds
 *    the canonical ABI requires (a list outside memory is a trap, not a short copy or a RangeError
 *    thrown through the host); a Uint8Array the host returns is copied as it is (reading `.buffer`
 *    of a small typed array makes V8 move its bytes out first, ~0.9 µs). Lists of wider elements
 *    (`list<u32>`, `list<f32>`) are lifted through the same view too (`liftWords`). A large byte
 *    list is copied into a buffer from the host's recycler, when the runner passes one
 *    (HOST_BUFFERS_IMPORT), so that a tensor the guest builds for every frame reuses the bytes of
 *    the last one instead of allocating 196 KB that only a full garbage collection frees.
 *
 * 4. jco's handle tables no longer record every resource representation they ever held: jco 1.35's
 *    `rscTableCreateOwn` adds each new rep to `table._createdReps`, a Set nothing reads and nothing
 *    empties, so a long-running instance that makes a tensor per frame grows without bound (and each
 *    add costs more as the Set rehashes). The add is removed; any other use of the Set is refused.
 *
 * 5. A synchronous import's borrowed handles are released in place: jco pushes each borrowed
 *    resource of the host onto one list shared by the instance, walks it after the host call with
 *    a for-of (its iterator objects, and a fresh empty array every call) and clears each one's
 *    handle. Where every push in the trampoline is such a plain resource, at the top of the
 *    function, the trampoline now clears those handles itself, in the same order, with no list.
 *    A trampoline that also borrows a guest's resource (jco pushes `{ rsc, drop }` then) keeps jco's code.
 *
 * (And jco's check for a missing import function throws without printing to the console first.)
 *
 * The rewrite knows the exact code it replaces. Where that code is not there in the known form it
 * throws a BindingsRewriteError naming the jco version, rather than return bindings that silently
 * lost the speed (or, worse, dropped something that was not bookkeeping).
 */
import {
  Edits, isIdentifier, isMember, parseModule, propertyOf, squeezed, subtree, textOf,
  type AnyNode, type ParsedModule,
} from './transpile-ast.js';
import type { CallExpression } from 'acorn';
import { HOST_BUFFERS_IMPORT } from '../core/buffer-recycler.js';

/** The jco release whose generated code this rewrite was written against and tested on. */
export const REWRITE_KNOWN_JCO = '1.35.0';

export class BindingsRewriteError extends Error {
  constructor(readonly jcoVersion: string, readonly expected: string) {
    super(
      `jco ${jcoVersion} generated bindings that the host's rewrite does not know: ${expected} ` +
        `(the rewrite was written for jco ${REWRITE_KNOWN_JCO}; update src/host/transpile-rewrite.ts for this jco, or pin ${REWRITE_KNOWN_JCO})`,
    );
    this.name = 'BindingsRewriteError';
  }
}

export interface RewriteCounts {
  /** Import trampolines now called directly (their per-call task bookkeeping removed). */
  directImports: number;
  /** Of those, JSPI imports: jco's async trampoline wrapped in WebAssembly.Suspending directly. */
  suspendingImports: number;
  /** `_debugLog(…)` statements now skipped whole while JCO_DEBUG is off. */
  debugLogsGuarded: number;
  /** `list<u8>` copies out of guest memory (lifting) now through the cached view. */
  byteListsLifted: number;
  /** List copies into guest memory (lowering) now through the cached view. */
  byteListsLowered: number;
  /** Lists of wider elements (`list<u32>`, `list<f32>`, …) copied out through the cached view, not by slicing memory.buffer. */
  wideListsLifted: number;
  /** Missing-import checks that now throw without printing to the console (unless JCO_DEBUG). */
  importChecksQuieted: number;
  /** jco's dataView helpers that no longer read memory.buffer at each use. */
  dataViewsCached: number;
  /** `table._createdReps.add(rep)` statements removed (a Set that grew with every resource handed out). */
  createdRepsDropped: number;
  /** Synchronous trampolines whose borrowed handles are now released in place, without jco's shared list. */
  borrowsReleasedInPlace: number;
  /** Why the direct path was not applied: the component uses component-model async. */
  asyncFeature?: string;
}

/** Identifiers of the per-call bookkeeping: none may be left once a trampoline is rewritten. */
const BOOKKEEPING = new Set(['task', 'subtask', 'parentTask', 'started', 'hostProvided', 'createTask']);

/**
 * jco's prologue of a host import trampoline (Instruction::CallInterface), whitespace removed:
 * from `const hostProvided = true;` to `task.enterSync()`. Only the names vary.
 */
const PROLOGUE = new RegExp(
  '^' +
    [
      'consthostProvided=true;letparentTask;lettask;letsubtask;',
      "constcreateTask=\\(\\)=>{constresults=createNewCurrentTask\\({componentIdx:-1,isAsync:false,entryFnName:'[^'`\\\\]*',",
      "getCallbackFn:\\(\\)=>null,callbackFnName:null,errHandling:'[\\w-]+',callingWasmExport:false,}\\);task=results\\[0\\];};",
      'taskCreation:{parentTask=getCurrentTask\\((\\d+),_getGlobalCurrentTaskMeta\\(\\1\\)\\?\\.taskID,\\)\\?\\.task;',
      'if\\(!parentTask\\){createTask\\(\\);breaktaskCreation;}createTask\\(\\);',
      'if\\(hostProvided\\){subtask=parentTask\\.getLatestSubtask\\(\\);if\\(!subtask\\){thrownewError\\(`[^`]*`\\);}',
      'task\\.setParentSubtask\\(subtask\\);}}',
    ].join('') +
    '$',
);

/** How a trampoline enters its task: synchronously, or (a JSPI import's async trampoline) awaited. */
const ENTER = { sync: 'const started = task.enterSync();', suspending: 'const started = await task.enter({ isHost: hostProvided });' } as const;
/** The check that follows the awaited enter (`if (!started) { _debugLog(…); throw … }`). */
const NOT_STARTED = /^if\(!started\)\{_debugLog\([^;]*\);thrownewError\("failedtoentertask"\);\}$/;

const DEBUG_TEST = '!globalThis?.process?.env?.JCO_DEBUG';

/** The cached byte view and the two copies (inserted at the top of `instantiate`). */
export const BYTE_HELPERS = `
  // (wasi-edge-host) one byte view of guest memory; bounds per the canonical ABI. Reading
  // memory.buffer costs more than the copy of a short list, so the view is renewed only when a
  // copy does not fit in it: a grown memory detaches its old buffer, whose view then has length 0.
  let u8m = null;
  let u8v = new Uint8Array(0);
  const bytesOf = (mem, ptr, len) => {
    if (u8m !== mem || ptr + len > u8v.length) {
      u8m = mem;
      u8v = new Uint8Array(mem.buffer);
      if (ptr + len > u8v.length) throw new WebAssembly.RuntimeError(\`list of \${len} bytes at \${ptr} lies outside the guest's memory\`);
    }
    return u8v;
  };
  // Large lists are copied into a buffer from the host's recycler when the host gives one (see
  // HOST_BUFFERS_IMPORT): a buffer the host is done with (a tensor a compute consumed) is then
  // filled again instead of a fresh one being allocated for every call.
  const hostBuffers = imports?.['${HOST_BUFFERS_IMPORT}'];
  if (hostBuffers !== undefined && (typeof hostBuffers.take !== 'function' || typeof hostBuffers.minBytes !== 'number')) {
    throw new TypeError("imports['${HOST_BUFFERS_IMPORT}'] must be the host's buffer recycler (take(byteLength), minBytes)");
  }
  const recycledFrom = hostBuffers === undefined ? Infinity : hostBuffers.minBytes;
  // Pointers arrive as signed i32: above 2 GiB they are negative until read as unsigned.
  const liftBytes = (mem, ptr, len) => {
    const p = ptr >>> 0, view = bytesOf(mem, p, len);
    if (len < recycledFrom) return view.slice(p, p + len);
    const out = new Uint8Array(hostBuffers.take(len));
    out.set(view.subarray(p, p + len));
    return out;
  };
  const lowerBytes = (mem, ptr, src) => bytesOf(mem, ptr >>> 0, src.length).set(src, ptr >>> 0);
  // A list of wider elements (list<u32>, list<f32>, …) into its own typed array, from the same view:
  // aligned (jco checks that first), a view of the guest's memory sliced; otherwise through a byte copy.
  const liftWords = (View, mem, ptr, n) => {
    const p = ptr >>> 0, size = n * View.BYTES_PER_ELEMENT;
    const bytes = bytesOf(mem, p, size);
    return p % View.BYTES_PER_ELEMENT === 0 ? new View(bytes.buffer, p, n).slice() : new View(bytes.slice(p, p + size).buffer);
  };
`;

interface Context {
  m: ParsedModule;
  edits: Edits;
  bad: (expected: string) => BindingsRewriteError;
  /** Variable declarators by the name they declare. */
  declarators: Map<string, AnyNode[]>;
}

function statementsOf(block: AnyNode): AnyNode[] {
  return block.type === 'BlockStatement' || block.type === 'Program' ? block.body as AnyNode[] : [];
}

function callStatement(node: AnyNode): CallExpression | undefined {
  return node.type === 'ExpressionStatement' && node.expression.type === 'CallExpression' ? node.expression : undefined;
}

/** A reference to a variable (not a property name or object key). */
function isReference(m: ParsedModule, id: AnyNode): boolean {
  const p = m.parent.get(id);
  if (p?.type === 'MemberExpression' && p.property === id && !p.computed) return false;
  if (p?.type === 'Property' && p.key === id && !p.computed && !p.shorthand) return false;
  return true;
}

// ---- 1. JCO_DEBUG, read once ----

function readDebugOnce(c: Context): number {
  const { m, edits } = c;
  const decls = m.nodes.filter((n) => n.type === 'VariableDeclarator' && isIdentifier(n.id, '_debugLog'));
  if (decls.length === 0) throw c.bad('no `const _debugLog = (...args) => { … }` declaration');
  for (const d of decls) {
    const fn = d.type === 'VariableDeclarator' ? d.init : null;
    const first = fn?.type === 'ArrowFunctionExpression' && fn.body.type === 'BlockStatement' ? fn.body.body[0] : undefined;
    const declaration = m.parent.get(d);
    if (first?.type !== 'IfStatement' || squeezed(m.source, first.test) !== DEBUG_TEST || declaration?.type !== 'VariableDeclaration') {
      throw c.bad(`_debugLog does not begin with \`if (${DEBUG_TEST}) return;\``);
    }
    edits.replace(first.test, '!_jcoDebug');
    edits.insertBefore(declaration, `const _jcoDebug = !!globalThis?.process?.env?.JCO_DEBUG;\n  `);
  }
  let guarded = 0;
  for (const n of m.nodes) {
    const call = callStatement(n);
    if (call && isIdentifier(call.callee, '_debugLog') && !edits.covers(n)) {
      edits.insertBefore(call, '_jcoDebug && ');
      guarded++;
    }
  }
  return guarded;
}

/**
 * jco checks each import function at instantiation and, for one that is missing, prints
 * `ERROR: …` to the console before it throws. The thrown error says the same, and the host turns
 * it into its own report (MissingImportsError); a library must not write to the console, so the
 * line is printed only under JCO_DEBUG:
 *   if (name === undefined) { const err = new Error("unexpectedly undefined instance import …"); console.error("ERROR:", err.toString()); throw err; }
 */
function quietImportChecks(c: Context): number {
  const { m, edits } = c;
  let quieted = 0;
  for (const n of m.nodes) {
    if (n.type !== 'IfStatement' || n.consequent.type !== 'BlockStatement' || n.consequent.body.length !== 3) continue;
    const [make, print, thrown] = n.consequent.body as [AnyNode, AnyNode, AnyNode];
    if (!/^consterr=newError\("unexpectedlyundefinedinstanceimport/.test(squeezed(m.source, make))) continue;
    if (squeezed(m.source, print) !== 'console.error("ERROR:",err.toString());' || squeezed(m.source, thrown) !== 'throwerr;') {
      throw c.bad(`the check for a missing import is not \`const err = new Error(…); console.error("ERROR:", err.toString()); throw err;\`: ${textOf(m.source, n.consequent)}`);
    }
    edits.insertBefore(print, '_jcoDebug && ');
    quieted++;
  }
  return quieted;
}

// ---- 2. Direct path for sync imports ----

/** Why the direct path must not be applied (a component-model async feature), if there is one. */
function asyncFeature(m: ParsedModule): string | undefined {
  for (const n of m.nodes) {
    // `_trampolineN.manuallyAsync = true` (a JSPI import, transpile's `jspi`) is handled by the
    // direct path; only the literal `true` is known.
    if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && isIdentifier(n.left.property, 'manuallyAsync')) {
      if (!(n.right.type === 'Literal' && n.right.value === true)) return `an import is marked manuallyAsync = ${textOf(m.source, n.right)}`;
      continue;
    }
    if (n.type !== 'CallExpression') continue;
    const arg = n.arguments[n.arguments.length - 1];
    if (isMember(n.callee, '_lowerImportBackwardsCompat', 'bind') && arg) {
      for (const key of ['isAsync', 'funcTypeIsAsync']) {
        const v = propertyOf(arg, key);
        if (!(v?.type === 'Literal' && v.value === false)) return `an import is lowered with ${key}: ${v ? textOf(m.source, v) : 'missing'}`;
      }
    }
    // Generated call sites (export wrappers, import prologues) pass literals; jco's own helpers
    // pass their arguments through (`isAsync` shorthand), and are not a feature of the component.
    const isAsync = arg && propertyOf(arg, 'isAsync');
    if (isIdentifier(n.callee, 'createNewCurrentTask') && isAsync?.type === 'Literal' && isAsync.value !== false) {
      return `a task is created with isAsync: ${textOf(m.source, isAsync)}`;
    }
  }
  return undefined;
}

/** `let trampolineN = _trampolineN.manuallyAsync ? …Suspending… : _lowerImportBackwardsCompat.bind(null, {…});` */
function loweredImports(c: Context): { declarator: AnyNode; trampoline: string }[] {
  const { m } = c;
  const found: { declarator: AnyNode; trampoline: string }[] = [];
  const accounted = new Set<AnyNode>();
  for (const d of m.nodes) {
    if (d.type !== 'VariableDeclarator' || d.init?.type !== 'ConditionalExpression') continue;
    const test = d.init.test;
    if (!(test.type === 'MemberExpression' && isIdentifier(test.property, 'manuallyAsync') && test.object.type === 'Identifier')) continue;
    const trampoline = test.object.name;
    const bind = d.init.alternate;
    const desc = bind.type === 'CallExpression' && isMember(bind.callee, '_lowerImportBackwardsCompat', 'bind') ? bind.arguments[1] : undefined;
    const importFn = desc && propertyOf(desc, 'importFn');
    const manual = desc && propertyOf(desc, 'isManualAsync');
    if (!importFn || !isIdentifier(importFn, trampoline) || !manual || squeezed(m.source, manual) !== `${trampoline}.manuallyAsync`) {
      throw c.bad(`\`${textOf(m.source, d.id)}\` is not \`${trampoline}.manuallyAsync ? … : _lowerImportBackwardsCompat.bind(null, { …, importFn: ${trampoline} })\``);
    }
    for (const n of subtree(d.init)) if (n.type === 'CallExpression' && isMember(n.callee, '_lowerImportBackwardsCompat', 'bind')) accounted.add(n);
    found.push({ declarator: d, trampoline });
  }
  for (const n of m.nodes) {
    if (n.type === 'CallExpression' && isMember(n.callee, '_lowerImportBackwardsCompat', 'bind') && !accounted.has(n)) {
      throw c.bad(`a lowered import outside the known \`let trampolineN = _trampolineN.manuallyAsync ? … : …\` form: ${textOf(m.source, n).slice(0, 80)}…`);
    }
  }
  return found;
}

/**
 * Removes the task bookkeeping from jco's trampoline function `name`: a plain function for a sync
 * import, an async one for a JSPI import (jco awaits its task's entry and the host call there).
 */
function directTrampoline(c: Context, name: string): 'sync' | 'suspending' {
  const { m, edits, bad } = c;
  const decls = c.declarators.get(name) ?? [];
  const fn = decls.length === 1 && decls[0]!.type === 'VariableDeclarator' ? decls[0]!.init : undefined;
  if (fn?.type !== 'FunctionExpression') throw bad(`no single \`const ${name} = function(…) { … }\``);
  const kind = fn.async ? 'suspending' : 'sync';
  const body = fn.body.body as AnyNode[];

  // The prologue: from `const hostProvided = true;` to `const started = task.enterSync();` (or,
  // async, `const started = await task.enter({ isHost: hostProvided });` and its `if (!started)`).
  const from = body.findIndex((s) => s.type === 'VariableDeclaration' && squeezed(m.source, s) === 'consthostProvided=true;');
  const enter = body.findIndex((s) => s.type === 'VariableDeclaration' && squeezed(m.source, s) === ENTER[kind].replace(/\s+/g, ''));
  if (from < 0 || enter < from) throw bad(`${name} has no \`const hostProvided = true; … ${ENTER[kind]}\` prologue (${kind} trampoline)`);
  const prologue = m.source.slice(body[from]!.start, body[enter - 1]!.end).replace(/\s+/g, '');
  if (!PROLOGUE.test(prologue)) throw bad(`${name}'s task prologue is not the known one (sync task, componentIdx -1, no callback)`);
  let to = enter;
  if (kind === 'suspending') {
    const check = body[enter + 1];
    if (!check || !NOT_STARTED.test(squeezed(m.source, check))) throw bad(`${name}'s awaited task entry is not followed by \`if (!started) { …; throw new Error("failed to enter task"); }\``);
    to = enter + 1;
  }
  edits.replace({ start: body[from]!.start, end: body[to]!.end }, `// (wasi-edge-host) direct path: no async task for this ${kind === 'sync' ? 'sync call' : 'suspending call (JSPI)'}`);

  const inside = subtree(fn);
  // The host call: `_withGlobalCurrentTaskMeta({ componentIdx: task.componentIdx(), taskID: task.id(), fn: () => _trackHostOperation(() => CALL) })`
  // (`await _withGlobalCurrentTaskMetaAsync(…)` in a suspending one).
  const withMeta = kind === 'sync' ? '_withGlobalCurrentTaskMeta' : '_withGlobalCurrentTaskMetaAsync';
  const wrappers = inside.filter((n) => n.type === 'CallExpression' && isIdentifier(n.callee, withMeta));
  if (wrappers.length !== 1) throw bad(`${name} has ${wrappers.length} ${withMeta} calls, expected 1`);
  const wrapper = wrappers[0]!;
  const meta = wrapper.type === 'CallExpression' && wrapper.arguments.length === 1 ? wrapper.arguments[0]! : undefined;
  const arrow = meta && propertyOf(meta, 'fn');
  const track = arrow?.type === 'ArrowFunctionExpression' && arrow.params.length === 0 ? arrow.body : undefined;
  const inner = track?.type === 'CallExpression' && isIdentifier(track.callee, '_trackHostOperation') && track.arguments.length === 1 ? track.arguments[0] : undefined;
  const call = inner?.type === 'ArrowFunctionExpression' && inner.params.length === 0 && inner.body.type !== 'BlockStatement' ? inner.body : undefined;
  if (
    !meta || meta.type !== 'ObjectExpression' || meta.properties.length !== 3 || !call ||
    squeezed(m.source, propertyOf(meta, 'componentIdx') ?? meta) !== 'task.componentIdx()' ||
    squeezed(m.source, propertyOf(meta, 'taskID') ?? meta) !== 'task.id()'
  ) {
    throw bad(`${name}'s host call is not \`${withMeta}({ componentIdx: task.componentIdx(), taskID: task.id(), fn: () => _trackHostOperation(() => …) })\``);
  }
  // Kept by position, so that edits inside the call (byte lists, debug lines) still apply.
  edits.replace({ start: wrapper.start, end: call.start }, '(');
  edits.replace({ start: call.end, end: wrapper.end }, ')');

  // The epilogue and error paths: task.resolve/exit/setErrored/reject, and debug lines naming the task.
  for (const n of inside) {
    const stmt = callStatement(n);
    if (!stmt || edits.covers(n)) continue;
    const callee = stmt.callee;
    const mentionsTask = subtree(stmt).some((x) => isIdentifier(x, 'task') && isReference(m, x));
    if (callee.type === 'MemberExpression' && isIdentifier(callee.object, 'task')) {
      const method = isIdentifier(callee.property) && callee.property.type === 'Identifier' ? callee.property.name : '';
      if (!['resolve', 'exit', 'setErrored', 'reject'].includes(method)) throw bad(`${name} calls task.${textOf(m.source, callee.property)}()`);
      if (method === 'resolve') checkResolvedIsReturned(c, name, n, stmt);
      edits.replace(n, '');
    } else if (isIdentifier(callee, '_debugLog') && mentionsTask) {
      edits.replace(n, '');
    }
  }
  // A suspending trampoline's host error path returns the task's (rejected) completion promise;
  // without the task, the async function rethrows the error itself, which rejects it the same way.
  for (const n of inside) {
    if (n.type !== 'ReturnStatement' || !n.argument || squeezed(m.source, n.argument) !== 'task.completionPromise()') continue;
    const handler = m.parent.get(m.parent.get(n)!);
    const param = handler?.type === 'CatchClause' && handler.param?.type === 'Identifier' ? handler.param.name : undefined;
    if (kind !== 'suspending' || !param) throw bad(`${name} returns task.completionPromise() outside the catch clause of a suspending trampoline`);
    edits.replace(n, `throw ${param};`);
  }
  for (const n of inside) {
    if (n.type === 'Identifier' && BOOKKEEPING.has(n.name) && isReference(m, n) && !edits.covers(n)) {
      throw bad(`${name} still uses \`${n.name}\` at offset ${n.start} after its task code was removed`);
    }
  }
  return kind;
}

/**
 * jco's caller returns the subtask's result, which `task.resolve([X])` set; the direct path
 * returns the trampoline's own value. They agree when the trampoline returns X (or nothing, for a
 * result written through a pointer).
 */
function checkResolvedIsReturned(c: Context, name: string, stmt: AnyNode, call: AnyNode): void {
  const { m } = c;
  const arg = call.type === 'CallExpression' ? call.arguments[0] : undefined;
  if (call.type !== 'CallExpression' || call.arguments.length !== 1 || arg?.type !== 'ArrayExpression' || arg.elements.length !== 1 || !arg.elements[0]) {
    throw c.bad(`${name} resolves its task with ${textOf(m.source, call)}, expected task.resolve([value])`);
  }
  const block = m.parent.get(stmt);
  const rest = block ? statementsOf(block) : [];
  const after = rest.slice(rest.indexOf(stmt) + 1);
  const ret = after.find((s) => s.type === 'ReturnStatement');
  const exitNext = after[0] && squeezed(m.source, after[0]) === 'task.exit();';
  if (!exitNext || (ret?.type === 'ReturnStatement' && (!ret.argument || squeezed(m.source, ret.argument) !== squeezed(m.source, arg.elements[0])))) {
    throw c.bad(`${name} does not return what it resolves its task with (${textOf(m.source, arg)})`);
  }
}

function directImports(c: Context): { direct: number; suspending: number } {
  const imports = loweredImports(c);
  let suspending = 0;
  for (const { declarator, trampoline } of imports) {
    const kind = directTrampoline(c, trampoline);
    if (kind === 'suspending') suspending++;
    const marked = manuallyAsync(c, trampoline);
    if ((kind === 'suspending') !== marked) throw c.bad(`${trampoline} is ${kind === 'suspending' ? 'async' : 'sync'} but ${marked ? '' : 'not '}marked manuallyAsync`);
    // jco picks at instantiation: `_trampolineN.manuallyAsync ? new WebAssembly.Suspending(…) : …`.
    if (declarator.type === 'VariableDeclarator' && declarator.init) c.edits.replace(declarator.init, kind === 'sync' ? trampoline : `new WebAssembly.Suspending(${trampoline})`);
  }
  // Every host import trampoline must have been one of them.
  const prologues = (c.declarators.get('hostProvided') ?? []).filter((d) => squeezed(c.m.source, c.m.parent.get(d)!) === 'consthostProvided=true;');
  if (prologues.length !== imports.length) {
    throw c.bad(`${prologues.length} host import trampolines but ${imports.length} lowered imports of the known form`);
  }
  return { direct: imports.length, suspending };
}

/** Whether jco marked `trampoline` as a JSPI import (`_trampolineN.manuallyAsync = true;`). */
function manuallyAsync(c: Context, trampoline: string): boolean {
  return c.m.nodes.some(
    (n) => n.type === 'ExpressionStatement' && squeezed(c.m.source, n) === `${trampoline}.manuallyAsync=true;`,
  );
}

// ---- 3. Byte lists ----

const DATA_VIEW = 'constdataView=mem=>dv.buffer===mem.buffer?dv:dv=newDataView(mem.buffer);';

/**
 * jco's cached DataView (`dataView(memory0).setUint32(…)`, several per call) reads `memory.buffer`
 * each time, which costs more than the write. Kept instead while it is of the same memory and not
 * detached (a grown memory detaches its old buffer); a shared memory's buffer is never detached,
 * so for one the buffer is still compared each time.
 */
function cachedDataView(c: Context): number {
  const { m, edits } = c;
  let cached = 0;
  for (const d of c.declarators.get('dataView') ?? []) {
    const decl = m.parent.get(d)!;
    if (squeezed(m.source, decl) !== DATA_VIEW) throw c.bad(`jco's dataView helper is not \`${DATA_VIEW}\`: ${textOf(m.source, decl)}`);
    edits.replace(
      decl,
      'let dvMem = null;\n  let dvShared = false;\n' +
        '  const dataView = mem => dvMem === mem && !dvShared && dv.buffer.byteLength !== 0 ? dv : dvShared ? (dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer)) : ' +
        "(dvMem = mem, dv = new DataView(mem.buffer), dvShared = typeof SharedArrayBuffer !== 'undefined' && dv.buffer instanceof SharedArrayBuffer, dv);",
    );
    cached++;
  }
  return cached;
}

// ---- 4. The record of every rep a handle table held ----

/** jco 1.35's rscTableCreateOwn, whitespace removed; the Set add is the statement dropped. */
const CREATE_OWN =
  'functionrscTableCreateOwn(table,rep){constfree=table[0]&~T_FLAG;table._createdReps.add(rep);' +
  'if(free===0){table.push(0);table.push(rep|T_FLAG);return(table.length>>1)-1;}' +
  'table[0]=table[free<<1];table[free<<1]=0;table[(free<<1)+1]=rep|T_FLAG;returnfree;}';
const CREATED_REPS_ADD = 'table._createdReps.add(rep);';
/** `handleTableN._createdReps = new Set();`: kept (an empty Set costs nothing and nothing reads it). */
const CREATED_REPS_INIT = /^handleTable\d+\._createdReps=newSet\(\);$/;

/**
 * Each `_createdReps` must be either the add in the known rscTableCreateOwn (removed) or a table's
 * initialisation (kept): a read anywhere would mean jco now uses the Set, and dropping the add
 * would change what that code sees.
 */
function dropCreatedReps(c: Context): number {
  const { m, edits, bad } = c;
  let dropped = 0;
  const creators = m.nodes.filter((n) => n.type === 'FunctionDeclaration' && isIdentifier(n.id, 'rscTableCreateOwn'));
  for (const fn of creators) {
    if (squeezed(m.source, fn) !== CREATE_OWN) throw bad(`jco's rscTableCreateOwn is not the known one (with \`${CREATED_REPS_ADD}\`): ${textOf(m.source, fn)}`);
    const add = subtree(fn).find((n) => n.type === 'ExpressionStatement' && squeezed(m.source, n) === CREATED_REPS_ADD)!;
    edits.replace(add, '// (wasi-edge-host) no _createdReps.add: a Set nothing reads, growing with every resource');
    dropped++;
  }
  const uses = m.nodes.filter((n) => n.type === 'MemberExpression' && !n.computed && isIdentifier(n.property, '_createdReps'));
  if (uses.length > 0 && dropped === 0) throw bad('handle tables with _createdReps but no rscTableCreateOwn adding to it');
  for (const n of uses) {
    if (edits.covers(n)) continue;
    const assign = m.parent.get(n);
    const stmt = assign && m.parent.get(assign);
    const isInit = assign?.type === 'AssignmentExpression' && assign.left === n && stmt?.type === 'ExpressionStatement' && CREATED_REPS_INIT.test(squeezed(m.source, stmt));
    if (!isInit) throw bad(`a use of _createdReps other than rscTableCreateOwn's add and a table's \`= new Set()\`: ${textOf(m.source, stmt ?? n)}`);
  }
  return dropped;
}

// ---- 5. Borrowed handles released in place ----

/** jco 1.35's release of the borrows of one call, whitespace removed, and the reset after it. */
const BORROW_LOOP =
  'for(constentryofcurResourceBorrows){constrsc=entry.rsc??entry;if(entry.drop){if(rsc[symbolRscHandle]){entry.drop(rsc[symbolRscHandle]);}}rsc[symbolRscHandle]=undefined;}';
const BORROW_RESET = 'curResourceBorrows=[];';
/** A borrowed resource of the host: a plain object, no `drop` (jco's `{ rsc, drop }` is a guest's). */
const HOST_BORROW = /^curResourceBorrows\.push\((rsc\d+)\);$/;

/**
 * Every walk of `curResourceBorrows` must be the known loop followed by the reset (anything else
 * would mean jco now releases borrows differently). A synchronous trampoline whose pushes are all
 * host borrows at the top of its body, before that loop, and which uses the list nowhere else,
 * clears the same handles in the same order itself. On a trap between a push and the loop, jco
 * leaves the borrow for the next call to clear; the rewritten one does not, but the instance is
 * poisoned then and makes no next call.
 */
function borrowsInPlace(c: Context): number {
  const { m, edits, bad } = c;
  let released = 0;
  for (const loop of m.nodes) {
    if (loop.type !== 'ForOfStatement' || !isIdentifier(loop.right, 'curResourceBorrows')) continue;
    if (squeezed(m.source, loop) !== BORROW_LOOP) throw bad(`jco's release of borrowed handles is not \`${BORROW_LOOP}\`: ${textOf(m.source, loop)}`);
    const block = m.parent.get(loop)!;
    const list = statementsOf(block);
    const at = list.indexOf(loop);
    const reset = list[at + 1];
    if (!reset || squeezed(m.source, reset) !== BORROW_RESET) throw bad(`jco's release of borrowed handles is not followed by \`${BORROW_RESET}\``);
    const fn = m.parent.get(block);
    if (fn?.type !== 'FunctionExpression' || fn.async || fn.body !== block) continue;
    const pushes = list.slice(0, at).filter((s) => /^curResourceBorrows\.push\(/.test(squeezed(m.source, s)));
    const names = pushes.map((s) => HOST_BORROW.exec(squeezed(m.source, s))?.[1]);
    const uses = subtree(fn).filter((n) => isIdentifier(n, 'curResourceBorrows') && isReference(m, n)).length;
    // one use per push, the loop's and the reset's: none in nested code, none after
    if (names.length === 0 || names.some((n) => n === undefined) || uses !== pushes.length + 2) continue;
    for (const p of pushes) edits.replace(p, '');
    edits.replace(
      { start: loop.start, end: reset.end },
      `// (wasi-edge-host) borrows released in place, not through the instance's shared list\n    ${names.map((n) => `${n}[symbolRscHandle] = undefined;`).join(' ')}`,
    );
    released++;
  }
  return released;
}

function instantiateBody(c: Context): AnyNode {
  for (const n of statementsOf(c.m.program)) {
    const d = n.type === 'ExportNamedDeclaration' ? n.declaration : undefined;
    if (d?.type === 'FunctionDeclaration' && isIdentifier(d.id, 'instantiate')) {
      // BYTE_HELPERS reads the host's recycler from the second parameter, by that name.
      if (!isIdentifier(d.params[1], 'imports')) throw c.bad('instantiate() whose second parameter is `imports`');
      return d.body;
    }
  }
  throw c.bad('no `export function instantiate(getCoreModule, imports, instantiateCore)` (transpile with instantiation: async)');
}

const LIFT = /^newUint8Array\((memory\d*)\.buffer\.slice\((\w+),\2\+(\w+)\*1\)\)$/;
const WIDE_LIFT = /^new(Int8|Uint8|Int16|Uint16|Int32|Uint32|BigInt64|BigUint64|Float32|Float64)Array\((memory\d*)\.buffer\.slice\((\w+),\3\+(\w+)\*(\d+)\)\)$/;
const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  Int8: 1, Uint8: 1, Int16: 2, Uint16: 2, Int32: 4, Uint32: 4, BigInt64: 8, BigUint64: 8, Float32: 4, Float64: 8,
};
const LOWER_VIEW = /^newUint8Array\((\w+)\.buffer\|\|\1,\1\.byteOffset,(\w+)\)$/;

function byteLists(c: Context, body: AnyNode): { lifted: number; lowered: number; wide: number } {
  const { m, edits, bad } = c;
  let lifted = 0;
  let lowered = 0;
  let wide = 0;
  for (const n of m.nodes) {
    if (n.type !== 'NewExpression' || !isIdentifier(n.callee)) continue;
    const text = squeezed(m.source, n);
    const inBody = n.start >= body.start && n.end <= body.end;
    const lift = LIFT.exec(text);
    if (lift) {
      if (!inBody) throw bad(`a byte-list copy outside instantiate(): ${textOf(m.source, n)}`);
      edits.replace(n, `liftBytes(${lift[1]}, ${lift[2]}, ${lift[3]})`);
      lifted++;
      continue;
    }
    const wideLift = WIDE_LIFT.exec(text);
    if (wideLift) {
      const [, type, mem, ptr, len, size] = wideLift as unknown as [string, string, string, string, string, string];
      if (!inBody || ELEMENT_BYTES[type] !== Number(size)) throw bad(`a ${type}Array list copy of ${size}-byte elements: ${textOf(m.source, n)}`);
      // new Uint32Array(memory0.buffer.slice(p, p + n * 4)): slicing the ArrayBuffer of a wasm memory
      // costs microseconds (and a pointer above 2 GiB, negative here, counted from its end).
      edits.replace(n, `liftWords(${type}Array, ${mem}, ${ptr}, ${len})`);
      wide++;
      continue;
    }
    if (/\.buffer\.slice\(/.test(text) && /^new\w+Array\(memory/.test(text)) {
      throw bad(`a list copy out of guest memory of an unknown form: ${textOf(m.source, n)}`);
    }
    const view = LOWER_VIEW.exec(text);
    if (!view) continue;
    // valDataK = new Uint8Array(v.buffer || v, v.byteOffset, N); const outK = new Uint8Array(memoryM.buffer, ptrK, N); outK.set(valDataK);
    const assign = m.parent.get(n);
    const stmt = assign && m.parent.get(assign);
    const block = stmt && m.parent.get(stmt);
    const list = block ? statementsOf(block) : [];
    const i = stmt ? list.indexOf(stmt) : -1;
    const target = assign?.type === 'AssignmentExpression' && assign.left.type === 'Identifier' ? assign.left.name : undefined;
    const out = i >= 0 ? list[i + 1] : undefined;
    const set = i >= 0 ? list[i + 2] : undefined;
    const outMatch = out && /^const(\w+)=newUint8Array\((memory\d*)\.buffer,(\w+),(\w+)\);$/.exec(squeezed(m.source, out));
    if (!inBody || !target || !outMatch || outMatch[4] !== view[2] || !set || squeezed(m.source, set) !== `${outMatch[1]}.set(${target});`) {
      throw bad(`a list copy into guest memory of an unknown form: ${textOf(m.source, stmt ?? n)}`);
    }
    const [v, len] = [view[1]!, view[2]!];
    edits.replace(n, `(${v} instanceof Uint8Array && ${v}.length === ${len} ? ${v} : ${textOf(m.source, n)})`);
    edits.replace({ start: out.start, end: set.end }, `lowerBytes(${outMatch[2]}, ${outMatch[3]}, ${target});`);
    lowered++;
  }
  if (lifted + lowered + wide > 0) edits.insertBefore({ start: body.start + 1 }, BYTE_HELPERS);
  return { lifted, lowered, wide };
}

/** Rewrites `js` (jco's `component.js`, instantiation 'async'); throws BindingsRewriteError. */
export function rewriteBindings(js: string, jcoVersion: string): { js: string; counts: RewriteCounts } {
  let m: ParsedModule;
  try {
    m = parseModule(js);
  } catch (e) {
    throw new BindingsRewriteError(jcoVersion, `JavaScript that parses (${(e as Error).message})`);
  }
  const edits = new Edits();
  const declarators = new Map<string, AnyNode[]>();
  for (const n of m.nodes) {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') declarators.set(n.id.name, [...(declarators.get(n.id.name) ?? []), n]);
  }
  const c: Context = { m, edits, declarators, bad: (expected) => new BindingsRewriteError(jcoVersion, expected) };
  const body = instantiateBody(c);
  const feature = asyncFeature(m);
  const { direct, suspending } = feature ? { direct: 0, suspending: 0 } : directImports(c);
  const { lifted, lowered, wide } = byteLists(c, body);
  const quieted = quietImportChecks(c);
  const dataViews = cachedDataView(c);
  const createdReps = dropCreatedReps(c);
  const borrows = borrowsInPlace(c);
  const guarded = readDebugOnce(c);
  const counts: RewriteCounts = {
    directImports: direct, suspendingImports: suspending, debugLogsGuarded: guarded, byteListsLifted: lifted, byteListsLowered: lowered, importChecksQuieted: quieted,
    dataViewsCached: dataViews, createdRepsDropped: createdReps, wideListsLifted: wide, borrowsReleasedInPlace: borrows,
  };
  if (feature) counts.asyncFeature = feature;
  return { js: edits.apply(js), counts };
}
