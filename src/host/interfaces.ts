/**
 * The interfaces this host provides, in creation order (later providers may use the services
 * of earlier ones: vision uses sensor frames and nn tensors). Adding an interface is one line here.
 */
import { sensorDefinition } from '../sensor/definition.js';
import { i2cDefinition } from '../i2c/definition.js';
import { spiDefinition } from '../spi/definition.js';
import { nnDefinition } from '../nn/definition.js';
import { visionDefinition } from '../vision/definition.js';
import type { InterfaceDefinition } from '../core/provider.js';

export const INTERFACES = [
  sensorDefinition,
  i2cDefinition,
  spiDefinition,
  nnDefinition,
  visionDefinition,
] as const satisfies readonly InterfaceDefinition<any>[];

export type InterfaceName = (typeof INTERFACES)[number]['name'];
