/**
 * Every host configuration committed in the repository, found rather than listed so that a new one
 * cannot be missed: JSON files (host configs as they are; conformance manifests and scenarios
 * through the host's own fixture mapping), the ```json examples of README.md and docs/, and the
 * ```json examples in the doc comments of src/. A JSON file is a host config when it has a section
 * of one (so a misspelt key beside it is parseConfig's to reject, not a reason to skip the file);
 * a docs example that is none of the known shapes is an error, so it gets a decision.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { configForFixture } from '../../src/conformance/fixture.js';
import { readManifest } from '../../src/conformance/manifest.js';
import { readScenarioFile } from '../../src/conformance/scenarios.js';
import { parseDeviceConfig } from '../../src/host/device/config.js';
import { INTERFACES } from '../../src/host/interfaces.js';
import { isObject, type Json } from '../../src/core/validate.js';
import { ROOT } from '../helpers/run-guest.js';

export interface CommittedConfig {
  /** Where it was found: `file` or `file:line`, and for conformance fixtures the case. */
  source: string;
  config: Json;
  /** What its relative paths are relative to. */
  baseDir: string;
}

const SECTIONS = new Set([...INTERFACES.map((d) => d.name), 'wasi', 'limits']);
const CONFIG_KEYS = new Set([...SECTIONS, '$schema', 'description']);
/** Docs examples name models by paths under fixtures/ (docs/nn.md: `models/blazeface-128.onnx`), and nn checks they exist. */
const DOCS_BASE = join(ROOT, 'fixtures');

const isHostConfig = (o: Json) => Object.keys(o).every((k) => CONFIG_KEYS.has(k));
const rel = (file: string) => relative(ROOT, file);

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return walk(path, ext);
    return name.endsWith(ext) ? [path] : [];
  });
}

function fromFixture(source: string, fixture: Json, baseDir: string): CommittedConfig {
  return { source, config: configForFixture(fixture, baseDir) as Json, baseDir };
}

/**
 * A device configuration (`wasi-edge serve`): the device parser checks the whole of it, and its
 * `devices` part, the host configuration every app shares, is checked as one.
 */
function fromDevice(source: string, o: Record<string, unknown>, baseDir: string): CommittedConfig {
  parseDeviceConfig(o, baseDir);
  return { source: `${source} (devices)`, config: (o.devices ?? {}) as Json, baseDir };
}

function fromJsonFile(file: string): CommittedConfig[] {
  const o = JSON.parse(readFileSync(file, 'utf8')) as Json;
  if (isObject(o) && isObject(o.apps)) return [fromDevice(rel(file), o, dirname(file))];
  if (rel(file).startsWith(join('conformance', 'scenarios'))) {
    return readScenarioFile(file).map((s) => fromFixture(`${rel(file)} (${s.name})`, s.fixture, s.baseDir));
  }
  if (rel(file).startsWith('conformance')) {
    return readManifest(file).map((c) => fromFixture(`${rel(file)} (${c.id})`, c.fixture, c.baseDir));
  }
  if (isObject(o) && Object.keys(o).some((k) => SECTIONS.has(k))) return [{ source: rel(file), config: o, baseDir: dirname(file) }];
  return [];
}

/** ```json blocks of a text, with the line each starts on; `strip` removes a comment prefix from each line. */
function jsonBlocks(text: string, strip: RegExp): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = text.split('\n').map((l) => l.replace(strip, ''));
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```json') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    if (end < 0) throw new Error(`a \`\`\`json block from line ${i + 1} is not closed`);
    blocks.push({ line: i + 1, text: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** A docs block: a whole config, a scenario (its fixture), a device configuration or a sensor device (shown alone in docs/demo.md). */
function fromDocsBlock(source: string, o: unknown): CommittedConfig {
  if (!isObject(o)) throw new Error(`${source}: a json block that is not an object`);
  if (isHostConfig(o)) return { source, config: o, baseDir: DOCS_BASE };
  if (isObject(o.fixture)) return fromFixture(source, o.fixture, DOCS_BASE);
  if (isObject(o.apps)) return fromDevice(source, o, DOCS_BASE);
  if (typeof o.kind === 'string') return { source, config: { sensor: { devices: { [source]: o } } }, baseDir: DOCS_BASE };
  throw new Error(`${source}: a json block that is neither a host config, a scenario, a device configuration nor a sensor device`);
}

function fromMarkdown(file: string): CommittedConfig[] {
  return jsonBlocks(readFileSync(file, 'utf8'), /^$/).map((b) => fromDocsBlock(`${rel(file)}:${b.line}`, JSON.parse(b.text)));
}

/** Doc comments show one section as `"i2c": { … }`, with `//` remarks: the section is wrapped, the remarks dropped. */
function fromSourceComments(file: string): CommittedConfig[] {
  return jsonBlocks(readFileSync(file, 'utf8'), /^\s*\* ?/).map((b) => {
    const text = b.text.replace(/\s+\/\/ .*$/gm, '').trim();
    return fromDocsBlock(`${rel(file)}:${b.line}`, JSON.parse(text.startsWith('"') ? `{${text}}` : text));
  });
}

export function committedConfigs(): CommittedConfig[] {
  const json = ['fixtures', 'conformance', 'test'].flatMap((d) => walk(join(ROOT, d), '.json'));
  const markdown = [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs'), '.md')];
  const sources = walk(join(ROOT, 'src'), '.ts').filter((f) => !f.includes(`${join('src', 'generated')}`));
  return [...json.flatMap(fromJsonFile), ...markdown.flatMap(fromMarkdown), ...sources.flatMap(fromSourceComments)];
}
