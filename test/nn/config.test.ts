/** The `nn` configuration section: defaults, validation naming the field, paths, the CLI flag form. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../src/nn/backends/registry.js';
import { BLAZEFACE_PATH, defaultNnConfig, describeNnConfig, parseGraphFlag, parseNnConfig } from '../../src/nn/config.js';
import { ConfigError } from '../../src/core/validate.js';
import { createHost } from '../../src/index.js';
import { nnDefinition } from '../../src/nn/definition.js';
import { existsSync } from 'node:fs';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('nn-config');
beforeAll(() => writeFileSync(join(dir, 'm.onnx'), new Uint8Array([8, 8])));

describe('nn config', () => {
  it('the default names blazeface by an absolute path that exists, whatever the cwd', () => {
    const c = defaultNnConfig();
    expect(c.models.blazeface?.path).toBe(BLAZEFACE_PATH);
    expect(existsSync(BLAZEFACE_PATH)).toBe(true);
    expect(c).toMatchObject({ backend: 'onnxruntime-node', threads: 1, allow: '*', allowLoad: true, cpuFallback: false });
  });

  it('model paths are relative to the config file; a bare string is a path', () => {
    const c = parseNnConfig({ models: { a: 'm.onnx', b: { path: './m.onnx', encoding: 'onnx', target: 'gpu' } } }, 'nn', dir);
    expect(c.models.a).toEqual({ path: join(dir, 'm.onnx'), encoding: 'autodetect', target: 'cpu' });
    expect(c.models.b).toEqual({ path: join(dir, 'm.onnx'), encoding: 'onnx', target: 'gpu' });
    expect(c.models.blazeface).toBeUndefined(); // given models replace the default set
  });

  it.each([
    [{ threads: 0 }, 'nn.threads'],
    [{ backend: 'tensorflow-js' }, 'nn.backend'],
    [{ models: { a: 'missing.onnx' } }, 'nn.models.a.path'],
    [{ models: { a: { path: 'm.onnx', encoding: 'onnxx' } } }, 'nn.models.a.encoding'],
    [{ models: { a: { path: 'm.onnx', target: 'npu' } } }, 'nn.models.a.target'],
    [{ allow: 'a' }, 'nn.allow'],
    [{ allow: [1] }, 'nn.allow[0]'],
    [{ limits: { tensorBytes: -1 } }, 'nn.limits.tensorBytes'],
    [{ timeoutMs: 0 }, 'nn.timeoutMs'],
    [{ limitz: {} }, 'nn.limitz'],
  ])('%j is refused, naming %s', (raw, field) => {
    let err: unknown;
    try {
      parseNnConfig(raw, 'nn', dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
  });

  it('parses the wasmtime-style graph flag (encoding::dir or encoding::file)', () => {
    mkdirSync(join(dir, 'faces'), { recursive: true });
    writeFileSync(join(dir, 'faces', 'model.onnx'), new Uint8Array([8, 8]));
    expect(parseGraphFlag('onnx::faces', dir)).toEqual({ name: 'faces', model: { path: join(dir, 'faces', 'model.onnx'), encoding: 'onnx', target: 'cpu' } });
    expect(parseGraphFlag('autodetect::m.onnx', dir).name).toBe('m');
    expect(() => parseGraphFlag('faces', dir)).toThrow(ConfigError);
    expect(() => parseGraphFlag('onnx::nowhere', dir)).toThrow(ConfigError);
  });

  it('describe says what a guest can load', () => {
    const lines = describeNnConfig(parseNnConfig({ models: { a: 'm.onnx', b: 'm.onnx' }, allow: ['a'], allowLoad: false }, 'nn', dir));
    expect(lines.join('\n')).toMatch(/model "b".*not granted/);
    expect(lines.join('\n')).toMatch(/graph.load from guest bytes: refused/);
  });

  it('describe says when the backend cannot load anything here, why and how to install it', () => {
    const config = defaultNnConfig();
    const installed = describeNnConfig(config)[0]!;
    expect(installed).toBe('backend for onnx: onnxruntime-node (1 thread)');
    const missing = { ...BACKENDS, 'onnxruntime-node': { ...BACKENDS['onnxruntime-node'], unavailable: () => 'it is not installed; npm install onnxruntime-node@1.30.0' } };
    expect(describeNnConfig(config, missing)[0]).toBe('backend for onnx: onnxruntime-node (1 thread) — UNAVAILABLE: it is not installed; npm install onnxruntime-node@1.30.0');
  });

  it('a real backend whose package cannot be found says so through unavailable()', async () => {
    const { loadOrtRuntime } = await import('../../src/nn/backends/onnxruntime-node.js');
    const req = Object.assign(() => { throw new Error("Cannot find module 'onnxruntime-node/dist/binding'"); }, { resolve: () => '' }) as unknown as NodeJS.Require;
    expect(() => loadOrtRuntime(req)).toThrow(/needs the optional package onnxruntime-node@1\.30\.0.*npm install onnxruntime-node@1\.30\.0/);
    expect(BACKENDS['onnxruntime-node'].unavailable()).toBeUndefined();
  });
});

describe('nn in the host', () => {
  it('installs versioned and unversioned keys and offers the tensor service to vision', () => {
    const host = createHost({});
    for (const iface of ['tensor', 'graph', 'inference', 'errors']) {
      expect(host.imports[`wasi:nn/${iface}`]).toBeDefined();
      expect(host.imports[`wasi:nn/${iface}@0.2.0-rc-2024-10-28`]).toBe(host.imports[`wasi:nn/${iface}`]);
    }
    const t = host.services.nnTensors!.create([2], 'U8', new Uint8Array([1, 2])) as { ty(): string };
    expect(t).toBeInstanceOf((host.imports['wasi:nn/tensor'] as { Tensor: new () => unknown }).Tensor);
    expect(t.ty()).toBe('U8');
    host.dispose();
    expect(nnDefinition.describe(defaultNnConfig())[0]).toMatch(/onnxruntime-node/);
  });
});
