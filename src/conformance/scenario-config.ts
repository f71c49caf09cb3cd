/**
 * The host configuration of one `wasi-edge check` scenario, built in the worker that runs the
 * guest (src/platform/node/worker-run.ts, by name as a ConfigRecipe): a scenario's live cameras
 * are objects with functions, which cannot be sent to another thread, so they are made there.
 */
import { parseConfig, type EdgeConfig } from '../host/config.js';
import type { LimitsConfig } from '../host/limits.js';
import type { Json } from '../core/validate.js';
import { configForFixture } from './fixture.js';

export interface ScenarioConfigInput {
  fixture: Json;
  baseDir: string;
  wasi: { args: string[]; env: Record<string, string>; preopens: Record<string, string> };
  limits: LimitsConfig;
}

export function scenarioConfig(input: ScenarioConfigInput): EdgeConfig {
  return parseConfig({ ...configForFixture(input.fixture, input.baseDir), wasi: input.wasi, limits: input.limits }, input.baseDir);
}
