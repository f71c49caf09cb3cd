/**
 * The syntax-tree tools of the bindings rewrite (src/host/transpile-rewrite.ts): acorn's parse,
 * a walk that records every node's parent, and edits made at parsed positions and applied in
 * one go, so that the rest of jco's text is kept as it was written.
 */
import { parse, type AnyNode } from 'acorn';

export type { AnyNode };

export interface ParsedModule {
  source: string;
  program: AnyNode;
  /** Every node in source order, each with its parent. */
  nodes: AnyNode[];
  parent: Map<AnyNode, AnyNode>;
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** The child nodes of `node`, in source order. */
export function childrenOf(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  let sorted = true;
  for (const key in node) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (typeof value !== 'object' || value === null || key === 'loc') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (isNode(value)) out.push(value);
    if (out.length > 1 && out[out.length - 1]!.start < out[out.length - 2]!.start) sorted = false;
  }
  return sorted ? out : out.sort((a, b) => a.start - b.start);
}

export function parseModule(source: string): ParsedModule {
  const program = parse(source, { ecmaVersion: 'latest', sourceType: 'module' }) as AnyNode;
  const nodes: AnyNode[] = [];
  const parent = new Map<AnyNode, AnyNode>();
  const stack: AnyNode[] = [program];
  while (stack.length) {
    const node = stack.pop()!;
    nodes.push(node);
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) {
      parent.set(kids[i]!, node);
      stack.push(kids[i]!);
    }
  }
  return { source, program, nodes, parent };
}

/** Every node of `root`'s subtree (root included), in source order. */
export function subtree(root: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    out.push(node);
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

/** The text of a node with its whitespace squeezed out, for comparing code to a known form. */
export function squeezed(source: string, node: AnyNode): string {
  return source.slice(node.start, node.end).replace(/\s+/g, '');
}

export function textOf(source: string, node: AnyNode): string {
  return source.slice(node.start, node.end);
}

export function isIdentifier(node: AnyNode | null | undefined, name?: string): boolean {
  return node?.type === 'Identifier' && (name === undefined || node.name === name);
}

/** `object.property` with both plain names (`task.exit`, `x.manuallyAsync`). */
export function isMember(node: AnyNode | null | undefined, object: string | undefined, property: string): boolean {
  return (
    node?.type === 'MemberExpression' && !node.computed &&
    isIdentifier(node.object, object) && isIdentifier(node.property, property)
  );
}

/** The value of a plain `key: value` property of an object literal. */
export function propertyOf(object: AnyNode, key: string): AnyNode | undefined {
  if (object.type !== 'ObjectExpression') return undefined;
  for (const p of object.properties) {
    if (p.type === 'Property' && !p.computed && isIdentifier(p.key, key)) return p.value;
  }
  return undefined;
}

/** Replacements at parsed positions; overlapping ones are a bug of the rewrite, not of the input. */
export class Edits {
  private readonly list: { start: number; end: number; text: string }[] = [];

  replace(node: { start: number; end: number }, text: string): void {
    this.list.push({ start: node.start, end: node.end, text });
  }

  insertBefore(node: { start: number }, text: string): void {
    this.list.push({ start: node.start, end: node.start, text });
  }

  /** True when `node` lies inside a range already replaced. */
  covers(node: { start: number; end: number }): boolean {
    return this.list.some((e) => e.start < e.end && e.start <= node.start && node.end <= e.end);
  }

  apply(source: string): string {
    const sorted = [...this.list].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.start < sorted[i - 1]!.end) throw new Error(`bindings rewrite: overlapping edits at ${sorted[i]!.start}`);
    }
    let out = '';
    let at = 0;
    for (const e of sorted) {
      out += source.slice(at, e.start) + e.text;
      at = e.end;
    }
    return out + source.slice(at);
  }
}
