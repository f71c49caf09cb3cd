// MQTT figures, against Debian's mosquitto on loopback (started here as `npm run test:mqtt` does,
// with the helpers of test/messaging/mqtt/; left out with a message when mosquitto is missing).
//
// mqtt_publish_ratio: messages/s a guest publishes through wasi:messaging (messaging_send's
// burst: one send per message, each returning once the message is in the on-disk queue with
// fsync "none", until the host has the broker's PUBACK for every one; the same with fsync
// "always", an fdatasync per send, is mqtt_publish_ratio_fsync_always) / messages/s mqtt.js
// publishes the same messages (topic, data, metadata `seq` as a user property) from JS, same
// broker, QoS 1, awaiting every PUBACK. Both sides warm alike: each run is a fresh thread with a
// fresh mqtt.js (the host's MQTT worker; bench/mqtt-js-publisher.mjs for JS) that publishes a
// warm-up burst of WARM messages through the same client, then the timed burst of N (a fresh
// worker's mqtt.js runs unoptimised code, and TurboFan compiles it, during its first thousands of
// messages). A first pair warms this thread's host code up and is not counted; then guest and JS
// runs alternate, and the figure is the median of the per-pair ratios.
//
// mqtt_messages_lost: the fault run of test/messaging/mqtt/fault-run.mjs (10^4 messages, 3
// broker restarts, 2 connection cuts, 1 host SIGKILL and restart): messages that neither
// reached the subscriber nor were counted as dropped by the queue.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ROOT, benchTempDir, median } from './lib.mjs';
import { createHost, instantiateComponent, loadComponent } from '../dist/index.js';
import { entryPoint, resultOf } from '../dist/host/runner.js';
import { Mosquitto, mosquittoMissing } from '../test/messaging/mqtt/broker.mjs';
import { faultRun } from '../test/messaging/mqtt/fault-run.mjs';
import { TcpProxy } from '../test/messaging/mqtt/proxy.mjs';

const N = Number(process.env.MQTT_BENCH_MESSAGES ?? 3000);
const WARM = 2 * N;
const REPS = 7;
const TOPIC = 'edge/bench';

const nap = new Int32Array(new SharedArrayBuffer(4));

/**
 * One host, one guest run of two bursts: WARM messages that warm the host's MQTT worker up, and
 * once the broker has acknowledged all of them, N timed from the first send until the host has
 * the broker's PUBACK for the last (the host's stop, which JS's client.end matches, is not timed).
 * Returns messages/s.
 */
async function guestRate(component, url, dir, rep, fsync) {
  const config = {
    messaging: {
      clients: {
        cloud: { kind: 'mqtt', url, publish: ['edge/#'], drainMs: 60_000, queue: { dir: join(dir, `queue-${fsync}-${rep}`), maxMessages: WARM + N, fsync } },
      },
    },
    wasi: { args: ['messaging_send', 'connect:cloud', `burst:edge/warm:${WARM}`, `burst:${TOPIC}:${N}`] },
  };
  let started = 0n;
  let ended = 0n;
  let out = '';
  let host;
  // The guest waits in its print until every message sent so far is acknowledged.
  const acknowledged = () => {
    const deadline = Date.now() + 60_000;
    while (host.services.messaging.stats().cloud.waiting > 0) {
      if (Date.now() > deadline) throw new Error('a burst was not acknowledged within 60 s');
      Atomics.wait(nap, 0, 0, 1);
    }
    return process.hrtime.bigint();
  };
  const stdout = (c) => {
    out += Buffer.from(c).toString();
    if (!started && out.includes(`{"burst":"edge/warm","sent":${WARM}}\n`)) started = acknowledged();
    else if (started && !ended && out.includes(`{"burst":"${TOPIC}","sent":${N}}\n`)) ended = acknowledged();
  };
  host = createHost(config, { stdio: { stdout, stderr: (c) => process.stderr.write(c) } });
  let result;
  try {
    const exports = await instantiateComponent(component, host);
    result = resultOf(entryPoint(exports));
  } finally {
    host.dispose();
  }
  const stats = host.services.messaging.stats().cloud;
  if (result.code !== 0 || !ended || stats.acked !== WARM + N || stats.waiting !== 0) {
    throw new Error(`guest burst failed: code ${result.code}, acked ${stats.acked} of ${WARM + N}, waiting ${stats.waiting}; output ${out.slice(-300)}`);
  }
  return N / (Number(ended - started) / 1e9);
}

/** The same messages from mqtt.js in a fresh worker thread, warmed up alike; messages/s of the timed burst. */
function jsRate(url) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./mqtt-js-publisher.mjs', import.meta.url), { workerData: { url, warm: WARM, n: N, warmTopic: 'edge/warm', topic: TOPIC } });
    let rate;
    w.once('message', (r) => (rate = r));
    w.once('error', reject);
    w.once('exit', (code) => (rate !== undefined ? resolve(rate) : reject(new Error(`the JS publisher exited with ${code} before it measured`))));
  });
}

/** The ratio with the queue's fsync policy `fsync` ("none": survives kill -9; "always": a power cut too). */
export async function publishRatio(dir, fsync) {
  const broker = await Mosquitto.start(join(dir, `broker-${fsync}`));
  try {
    const component = await loadComponent(join(ROOT, 'fixtures/components/messaging_send.wasm'));
    // One pair not counted: the host's own code in this thread (the provider, jco's bindings, the
    // guest's wasm tiering up) is warm from the second run on, as in a long-running host.
    await guestRate(component, broker.url, dir, 'warm', fsync);
    await jsRate(broker.url);
    const ratios = [];
    const guest = [];
    const js = [];
    for (let i = 0; i < REPS; i++) {
      const g = await guestRate(component, broker.url, dir, i, fsync);
      const j = await jsRate(broker.url);
      guest.push(g);
      js.push(j);
      ratios.push(g / j);
      process.stderr.write(`bench: mqtt: fsync ${fsync}, pair ${i + 1}: guest ${g.toFixed(0)}/s, mqtt.js ${j.toFixed(0)}/s, ratio ${(g / j).toFixed(3)}\n`);
    }
    return {
      value: median(ratios),
      goal: fsync === 'none' ? '>= 0.8' : 'report',
      what: `messages/s from a C guest via wasi:messaging (${N} QoS 1 sends, each returning once in the on-disk queue, fsync "${fsync}"${fsync === 'none' ? ' (a send survives kill -9, not a power cut)' : ' (fdatasync per send)'}, until the host has the last PUBACK; median ${median(guest).toFixed(0)}/s) / mqtt.js publishing the same messages from JS (median ${median(js).toFixed(0)}/s), same mosquitto on loopback; both warmed alike (each run a fresh thread and mqtt.js, a ${WARM}-message warm-up burst through the same client before the timed burst; one uncounted pair first), median of ${REPS} paired runs`,
    };
  } finally {
    await broker.stop();
  }
}

export async function messagesLost(dir) {
  const faultBroker = await Mosquitto.start(join(dir, 'fault-broker'));
  const proxy = await TcpProxy.start(faultBroker.port);
  try {
    const r = await faultRun({ broker: faultBroker, proxy, dir: join(dir, 'faults'), n: 10_000 });
    if (r.exits[0] !== 'SIGKILL' || r.exits[1] !== 0 || r.cuts.length !== 2 || Math.min(...r.cuts) === 0) {
      throw new Error(`the fault run did not go as planned: exits ${r.exits.join(', ')}, connections cut ${r.cuts.join(', ')}`);
    }
    return {
      value: r.lost,
      goal: '<= 0',
      what: `messages neither delivered nor counted as dropped, over ${r.n} from a C guest with 3 mosquitto restarts, 2 connection cuts (our TCP proxy) and 1 host SIGKILL + restart (after send ${r.crashedAfter}); delivered ${r.delivered}, dropped (counted) ${r.dropped}, duplicates ${r.duplicates}, first arrivals out of order ${r.outOfOrder}`,
    };
  } finally {
    await proxy.close();
    await faultBroker.stop();
  }
}

export default async function run() {
  const missing = mosquittoMissing();
  if (missing) {
    process.stderr.write(`bench: mqtt: ${missing}; mqtt figures left out\n`);
    return {};
  }
  const dir = benchTempDir('bench-mqtt-');
  return {
    mqtt_publish_ratio: await publishRatio(dir, 'none'),
    mqtt_publish_ratio_fsync_always: await publishRatio(dir, 'always'),
    mqtt_messages_lost: await messagesLost(dir),
  };
}
