// Debian's Chromium driven headless by playwright-core (never a downloaded browser), with the
// flags this machine needs (/work/.library/env/machines/node.md): no sandbox as root, no GPU,
// and no background networking (the closed network refuses those connections). The fake media
// device flags give getUserMedia a synthetic camera, so the webcam path runs in CI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
];

export async function launchChromium() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'wasi-edge-chromium-'));
  // The profile serves this process only; 'exit' also fires when a run fails or throws.
  process.once('exit', () => rmSync(userDataDir, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return context;
}
