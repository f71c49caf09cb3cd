/**
 * The face-detection demo (guests/c/facedetect.c) as an edge-to-cloud app: its score threshold and
 * device name come from wasi:config, and each frame's line (faces, temperature, frame number,
 * timestamp; no pixels) is published to edge/<device>/detections — or, with the broker away,
 * waits in the queue, which the host reports when it stops.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryBroker } from '../../src/messaging/memory-backend.js';
import { ROOT, runGuest } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { jsonLines } from './helpers.js';

function demo(broker: MemoryBroker, config: Record<string, string>, queueDir?: string) {
  return {
    sensor: { devices: { 'camera:0': { kind: 'image-fixture' as const, directory: join(ROOT, 'fixtures/demo/camera'), loop: false, fps: [10, 1] as const } } },
    config,
    messaging: {
      clients: { cloud: { kind: 'memory' as const, broker, publish: ['edge/+/detections'], ...(queueDir ? { queue: { dir: queueDir } } : {}) } },
    },
    wasi: { args: ['facedetect'], env: { OUT_DIR: '-' } },
  };
}

describe('the demo publishes', () => {
  it('one message per frame, the line it prints, to edge/<device>/detections, with the frame number as metadata', async () => {
    const broker = new MemoryBroker();
    const run = await runGuest('facedetect', demo(broker, { device: 'cam-7' }));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = jsonLines(run.stdout);
    const frames = lines.filter((l) => 'frame' in l);
    expect(frames).toHaveLength(3);
    expect(broker.published.map((m) => m.topic)).toEqual(Array(3).fill('edge/cam-7/detections'));
    expect(broker.published.map((m) => JSON.parse(Buffer.from(m.data).toString()))).toEqual(frames);
    expect(broker.published.map((m) => [m.contentType, m.metadata])).toEqual(frames.map((f) => ['application/json', [['frame', String(f.frame)]]]));
    expect(lines.at(-1)!.summary).toMatchObject({ frames: 3, faces: 1, topic: 'edge/cam-7/detections', published: 3, publish_errors: 0 });
  });

  it('reads its threshold from wasi:config: above the astronaut\'s 0.921 she is no face', async () => {
    const strict = await runGuest('facedetect', demo(new MemoryBroker(), { threshold: '0.95' }));
    expect(jsonLines(strict.stdout).at(-1)!.summary).toMatchObject({ frames: 3, faces: 0 });
    const loose = await runGuest('facedetect', demo(new MemoryBroker(), { threshold: '0.9' }));
    expect(jsonLines(loose.stdout).at(-1)!.summary).toMatchObject({ frames: 3, faces: 1 });
    const bad = await runGuest('facedetect', demo(new MemoryBroker(), { threshold: 'high' }));
    expect(bad.stderr).toBe('facedetect: config threshold "high" is not a number between 0 and 1; using 0.75\n');
    expect(jsonLines(bad.stdout).at(-1)!.summary).toMatchObject({ faces: 1 });
  });

  it('with no broker the messages wait in the queue, and the host says so when it stops', async () => {
    const dir = tempDir('demo-queue');
    const broker = new MemoryBroker();
    broker.setOnline(false);
    const run = await runGuest('facedetect', demo(broker, {}, dir));
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).at(-1)!.summary).toMatchObject({ topic: 'edge/cam-0/detections', published: 3 });
    expect(run.stderr).toBe(`wasi-edge: messaging client "cloud": 3 messages not delivered (the in-memory broker is offline): they wait in ${dir} and go out when the broker can be reached\n`);
    expect(broker.published).toEqual([]);
    broker.setOnline(true);
    const next = await runGuest('facedetect', demo(broker, {}, dir));
    expect(next.stderr).toBe('');
    // The three that waited go first, then this run's three.
    expect(broker.published.map((m) => (JSON.parse(Buffer.from(m.data).toString()) as { frame: number }).frame)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('without a client named "cloud" the app runs as before and publishes nothing', async () => {
    const run = await runGuest('facedetect', { ...demo(new MemoryBroker(), {}), messaging: undefined });
    expect(run.stderr).toBe('');
    const summary = jsonLines(run.stdout).at(-1)!.summary as Record<string, unknown>;
    expect(summary).toMatchObject({ frames: 3, faces: 1 });
    expect(summary).not.toHaveProperty('published');
  });

  it('a queue that overflows is reported with the count it dropped', async () => {
    const broker = new MemoryBroker();
    broker.setOnline(false);
    const config = demo(broker, {});
    const run = await runGuest('facedetect', { ...config, messaging: { clients: { cloud: { ...config.messaging.clients.cloud, queue: { maxMessages: 2 } } } } });
    expect(run.stderr).toBe('wasi-edge: messaging client "cloud": 2 messages not delivered (the in-memory broker is offline): the queue is in memory, so they are lost; 1 dropped because the queue was full\n');
  });
});
