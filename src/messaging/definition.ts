/**
 * wasi:messaging as one interface of the host: section `messaging` (named clients: MQTT brokers
 * or the in-process broker), default one in-process client `local` that takes any topic.
 */
import type { InterfaceDefinition } from '../core/provider.js';
import type { MessagingConfigInput } from './config-input.js';
import { defaultMessagingConfig, parseMessagingConfig, type MessagingConfig } from './config.js';
import { createMessagingProvider, type MessagingPlatform } from './provider.js';

export type { MessagingConfigInput } from './config-input.js';
export type { MessagingConfig } from './config.js';

function describeMessaging(config: MessagingConfig): string[] {
  const lines = Object.entries(config.clients).map(([name, c]) => {
    const where = c.kind === 'mqtt' ? `MQTT ${c.url}${c.username !== undefined ? ` as ${c.username}` : ''}` : 'in-process broker';
    const queue = c.queue.dir ? `queue ${c.queue.dir}` : 'queue in memory (not kept across a crash)';
    return `messaging client "${name}": ${where}; publish ${c.publish.join(', ') || 'nothing'}; subscribed ${c.subscribe.join(', ') || 'to nothing'}; QoS ${c.qos}; ${queue}, at most ${c.queue.maxMessages} messages (${c.queue.overflow})`;
  });
  return lines.length ? lines : ['no messaging clients configured'];
}

export const messagingDefinition: InterfaceDefinition<'messaging', MessagingConfig, MessagingConfigInput, MessagingPlatform> = {
  name: 'messaging',
  packages: { 'wasi:messaging': '0.2.0-draft' },
  parseConfig: parseMessagingConfig,
  defaultConfig: defaultMessagingConfig,
  create: (config, ctx) => createMessagingProvider(config, ctx),
  describe: describeMessaging,
};
