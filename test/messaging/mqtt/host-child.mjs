// A host in its own process for the fault tests, so that the test can restart the broker, cut
// connections and SIGKILL the host while the guest sends: runs messaging_send with the steps given
// after the configuration (JSON), on the built host (dist/).
import { fileURLToPath } from 'node:url';
import { runComponent } from '../../../dist/index.js';

const [config, ...steps] = process.argv.slice(2);
const guest = fileURLToPath(new URL('../../../fixtures/components/messaging_send.wasm', import.meta.url));
const { code } = await runComponent(guest, { ...JSON.parse(config), wasi: { args: ['messaging_send', ...steps] } });
process.exit(code);
