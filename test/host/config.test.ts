import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/validate.js';
import { defaultConfig, parseConfig } from '../../src/host/config.js';
import { loadConfigFile } from '../../src/index.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('configuration', () => {
  it('an empty config is the embedded all-simulated default', () => {
    const c = parseConfig({});
    expect(c).toEqual(defaultConfig());
    expect(c.wasi.network).toBe(false);
    expect(c.wasi.preopens).toEqual({});
  });

  it('a typo in a section name names the field and suggests the right one', () => {
    expect(() => parseConfig({ sensr: {} })).toThrowError(/config: sensr should be one of the known keys.*did you mean "sensor"/);
  });

  it('a typo inside wasi names the dotted path', () => {
    expect(() => parseConfig({ wasi: { preopen: {} } })).toThrowError(/wasi\.preopen .*did you mean "preopens"/);
  });

  it('a wrong type names the field, the expectation and what it got', () => {
    try {
      parseConfig({ wasi: { network: 'yes' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe('wasi.network');
      expect((e as Error).message).toBe('config: wasi.network should be true or false, got "yes"');
    }
  });

  it('guest paths of preopens must be absolute; host paths resolve against the config file', () => {
    expect(() => parseConfig({ wasi: { preopens: { data: '/tmp' } } })).toThrowError(/wasi\.preopens\.data/);
    const dir = tempDir('cfg');
    const file = join(dir, 'edge.json');
    writeFileSync(file, JSON.stringify({ wasi: { preopens: { '/out': 'out' }, env: { A: '1' } } }));
    const c = loadConfigFile(file);
    expect(c.wasi.preopens['/out']).toBe(join(dir, 'out'));
    expect(c.wasi.env).toEqual({ A: '1' });
  });

  it('a file that is not JSON or does not exist gets a one-line message', () => {
    const dir = tempDir('cfg');
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadConfigFile(join(dir, 'bad.json'))).toThrowError(/is not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrowError(/cannot read config file/);
  });
});

describe('parsed or not', () => {
  it('createHost validates any config it did not parse itself, even one that looks complete', async () => {
    const { createHost } = await import('../../src/index.js');
    const { isParsedConfig } = await import('../../src/host/config.js');
    const lookalike = { ...defaultConfig(), wasi: { args: ['x'], preopens: {}, env: {}, network: 'yes' } };
    expect(isParsedConfig(lookalike)).toBe(false);
    // Validated rather than trusted: a parsed config is not itself valid input, so this fails in its first section.
    expect(() => createHost(lookalike as never)).toThrowError(ConfigError);
    const parsed = parseConfig({});
    expect(isParsedConfig(parsed)).toBe(true);
    const host = createHost(parsed);
    expect(host.config).toBe(parsed);
    host.dispose();
  });
});
